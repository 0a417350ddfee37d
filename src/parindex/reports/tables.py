"""Tables the reports write for others to open: UTF-8 with a BOM, no cell a spreadsheet would run."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from parindex.data.units import Regions
from parindex.i18n import Lang

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
    run as a formula is neutralised as in the CSV.

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
        frame = pd.read_csv(
            file, encoding="utf-8-sig", dtype={"code": str}, keep_default_na=False, na_values=[""]
        )
        sheet = book.create_sheet(file.stem[:31])
        for lang in languages:
            sheet.append([neutralise(_plain(header(str(column), lang))) for column in frame.columns])
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        for row in frame.itertuples(index=False):
            sheet.append([None if pd.isna(value) else neutralise(_plain(value)) for value in row])
        sheet.freeze_panes = sheet.cell(row=len(languages) + 1, column=1)
    book.save(path)
    return path


def _plain(value: object) -> object:
    """A cell as openpyxl writes it: numpy numbers as Python numbers, text without control characters."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value.item() if hasattr(value, "item") else value
