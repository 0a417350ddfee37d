"""Limits: the largest inputs parindex reads, so that no file can exhaust the machine's memory or time.

A yearly index table has one row per ranked unit (63 provinces, about 20 ministries, 34 provinces after
the 2025 merger) and a dozen columns; the limits leave a hundredfold margin above that and stay far below
what would take more than a few seconds or a few hundred megabytes to check. They are checked before a
file is parsed (its size, an XLSX's unpacked size) or while it is streamed (rows, columns, cells), never
after reading everything.
"""

from __future__ import annotations

MAX_FILE_BYTES = 50 * 1024 * 1024
"""Largest input file (CSV or XLSX) read, in bytes."""

MAX_UNPACKED_BYTES = 100 * 1024 * 1024
"""Largest total size of the parts of an XLSX workbook once unpacked (a ZIP of XML), in bytes."""

MAX_ROWS = 10_000
"""Most rows holding any value in a file or sheet, title and header rows included."""

MAX_COLUMNS = 200
"""Most columns a row may use: the last column holding a value is at most this one."""

MAX_CELL_CHARS = 1_000
"""Most characters in one cell."""

MAX_PARAMS_BYTES = 1024 * 1024
"""Largest params file read, in bytes."""

MAX_RANK = 1_000_000
"""Largest rank read; a rank is at most the number of units ranked, far below this."""

XLSX_MAX_ROW = 1_048_576
"""The last row an XLSX sheet can have (Excel's and the format's limit)."""

XLSX_MAX_COLUMN = 16_384
"""The last column an XLSX sheet can have (XFD), the furthest a params column may name by position."""

PROBLEMS_SHOWN = 50
"""Problems listed one by one; the rest are counted per kind."""
