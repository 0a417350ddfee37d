"""Tables the reports write for others to open: UTF-8 with a BOM, no cell a spreadsheet would run."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(value: object) -> object:
    """A cell that no spreadsheet runs as a formula (OWASP's advice on CSV injection).

    Args:
        value: One cell: text, a number or a missing value.

    Returns:
        The value unchanged, except text starting with '=', '+', '-', '@', a tab or a carriage return,
        which gets a leading apostrophe. Numbers, and text that is only a number such as '-1.6', stay as
        they are.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_csv(frame: pd.DataFrame, path: str | Path, float_format: str | None = None) -> None:
    """Writes a table as CSV for spreadsheets: UTF-8 with a BOM, text cells and headers neutralised.

    Lines end in CRLF (RFC 4180), so a carriage return inside a cell is quoted and cannot start a row.

    Args:
        frame: The table; its index is not written.
        path: The CSV file to write.
        float_format: How floating-point numbers are written, e.g. '%.2f'; pandas' default when None.
    """
    safe = frame.copy()
    safe.columns = [neutralise(str(column)) for column in safe.columns]
    for position, dtype in enumerate(safe.dtypes):
        if not pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            safe.isetitem(position, safe.iloc[:, position].map(neutralise))
    safe.to_csv(path, index=False, float_format=float_format, encoding="utf-8-sig", lineterminator="\r\n")
