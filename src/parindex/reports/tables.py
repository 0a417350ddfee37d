"""Tables the reports write for others to open: UTF-8 with a BOM, no cell a spreadsheet would run."""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from parindex.data.units import Regions
from parindex.i18n import Lang

if TYPE_CHECKING:
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
    import pandas as pd  # here: the build's workers write workbooks with this module, without pandas

    safe = frame.copy()
    safe.columns = [neutralise(str(column)) for column in safe.columns]
    for position, dtype in enumerate(safe.dtypes):
        if not pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            safe.isetitem(position, safe.iloc[:, position].map(neutralise))
    safe.to_csv(path, index=False, float_format=float_format, encoding="utf-8-sig", lineterminator="\r\n")


def with_region_names(frame: pd.DataFrame, regions: Regions) -> pd.DataFrame:
    """A table with its region codes named: region_vi and region_en added at the end (empty without a code).

    Args:
        frame: A table with a `region` column of region codes (e.g. "RRD").
        regions: The regions of the unit set.

    Returns:
        A new table, so that a filter on "Đồng bằng sông Hồng" or "Red River Delta" finds its rows.
    """
    codes = frame["region"]
    return frame.assign(
        region_vi=codes.map(lambda code: regions.name(code, "vi") if isinstance(code, str) else None),
        region_en=codes.map(lambda code: regions.name(code, "en") if isinstance(code, str) else None),
    )


def header(column: str, lang: Lang) -> str:
    """A table column's heading in a language (catalog key common.table.<column>), else its name."""
    try:
        return lang.t(f"common.table.{column}")
    except KeyError:
        return column


def write_workbook(tables: Path, path: Path, languages: Sequence[Lang]) -> Path | None:
    """Writes every CSV table of a folder into one XLSX workbook, one sheet per table.

    Each sheet starts with one heading row per language (the main language first), then the rows as in
    the CSV; codes stay text (leading zeros kept), numbers stay numbers, and text that a spreadsheet would
    run as a formula is neutralised as in the CSV. It reads the tables without pandas (see `read_table`):
    the build's workers write the workbooks, and never load it.

    Args:
        tables: The folder of the report's CSV tables.
        path: The workbook to write.
        languages: The languages of the heading rows.

    Returns:
        The workbook, or None when the folder holds no table.
    """
    files = sorted(tables.glob("*.csv")) if tables.is_dir() else []
    if not files:
        return None
    book = Workbook()
    book.remove(book.active)
    for file in files:
        columns, rows = read_table(file)
        sheet = book.create_sheet(file.stem[:31])
        for lang in languages:
            sheet.append([neutralise(_plain(header(column, lang))) for column in columns])
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        for row in rows:
            sheet.append([neutralise(_plain(value)) for value in row])
        sheet.freeze_panes = sheet.cell(row=len(languages) + 1, column=1)
    book.save(path)
    return path


def read_table(file: Path) -> tuple[list[str], list[list[object]]]:
    """A table written by `write_csv`, typed as pandas reads it back: (its columns, its rows).

    A column whose filled cells are all True or False holds booleans, one whose filled cells are all whole
    numbers holds integers, one whose filled cells are all numbers holds floats; any other column, and
    the column `code` always, holds text. An empty cell is None.
    """
    with file.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    if not lines:
        return [], []
    columns, rows = lines[0], lines[1:]
    typed = [_typed(name, [row[i] if i < len(row) else "" for row in rows]) for i, name in enumerate(columns)]
    return columns, [list(row) for row in zip(*typed, strict=True)]


_BOOLEANS = {"True": True, "true": True, "TRUE": True, "False": False, "false": False, "FALSE": False}
_INTEGER = re.compile(r"[+-]?\d+")


def _typed(column: str, cells: list[str]) -> list[object]:
    """One column's cells as `read_table` types them."""
    filled = [cell for cell in cells if cell != ""]
    if column == "code" or not filled:
        return [cell or None for cell in cells]
    if all(cell in _BOOLEANS for cell in filled):
        return [_BOOLEANS.get(cell) for cell in cells]
    if all(_INTEGER.fullmatch(cell) for cell in filled):
        return [int(cell) if cell else None for cell in cells]
    if all(_NUMBER.fullmatch(cell) for cell in filled):
        return [float(cell) if cell else None for cell in cells]
    return [cell or None for cell in cells]


def _plain(value: object) -> object:
    """A cell as openpyxl writes it: text without the control characters no workbook may hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
