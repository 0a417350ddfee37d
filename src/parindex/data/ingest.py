"""Ingest: read a year's result files (CSV or XLSX) into one validated table of units and scores."""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import itertools
import logging
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from parindex.data import files, validate
from parindex.data.params import Component, InputFile, Params
from parindex.data.units import UnitSet, fold, load_unit_set, with_former
from parindex.errors import InputError, Problem
from parindex.limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    XLSX_MAX_COLUMN,
    XLSX_MAX_ROW,
)

log = logging.getLogger(__name__)

# Headers that name each column, compared after folding; the first listed wins when several are present.
# A file with a name column and a code column gives the unit by its name and has the code checked against it;
# a file with only a code column gives the unit by its code.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "unit": (
        "Tỉnh, thành phố",
        "Tỉnh/thành phố",
        "Địa phương",
        "Đơn vị",
        "Bộ, ngành",
        "Tên đơn vị",
        "Province",
        "Unit",
        "Ministry",
        "Name",
        "code",
        "Mã",
    ),
    "score": (
        "Chỉ số",
        "Chỉ số CCHC",
        "Điểm",
        "Tổng điểm",
        "Kết quả",
        "Score",
        "Index",
        "Value",
    ),
    "code": ("code", "Mã", "Mã tỉnh", "Mã đơn vị", "Mã số"),
    "rank": ("Xếp hạng", "Thứ hạng", "Hạng", "Rank", "Ranking"),
    "band": ("Nhóm", "Xếp loại", "Xếp hạng nhóm", "Phân nhóm", "Group", "Band", "Rating"),
    "provenance": ("provenance",),
    "unit_type": ("Loại", "Loại đơn vị", "Type", "unit_type"),
}
# Columns that are known and left out: row counters, notes, regions (a unit's region is in its register).
# Any other column that no alias, override or component names is an error, so that a misspelt header is
# never silently ignored.
# Headers of the component column of a long table (one row per unit and component).
COMPONENT_HEADERS = ("Chỉ số thành phần", "Thành phần", "Lĩnh vực", "Component", "Area")
# The role of a wide table's component column, followed by the component's code.
COMPONENT_ROLE = "component:"
IGNORED_HEADERS = ("STT", "TT", "Số TT", "No.", "#", "Ghi chú", "Notes", "Vùng", "Khu vực", "Region")
_CLOSE = 0.7  # how alike (difflib's ratio of the folded headers) an unknown header must be to be proposed
SUFFIXES = (".csv", ".xlsx", ".xlsm")
_HEADER_SEARCH = 30  # rows searched for the header: title rows may sit above it
# Rows that are not units, compared after folding with the start of a row's first cell (whole words):
# notes and signatures, left out at the end of a table; totals and means, left out wherever they are.
NOTE_WORDS = (
    "Nguồn", "Ghi chú", "Chú thích", "Chú giải", "Lưu ý", "Nơi nhận", "Người lập biểu", "Người lập bảng",
    "Source", "Sources", "Note", "Notes",
)  # fmt: skip
SUMMARY_WORDS = ("Trung bình", "Bình quân", "Tổng cộng", "Tổng số", "Cả nước", "Toàn quốc", "Average")
# Summary words only when they fill the cell: "Tổng cục ..." or "Total ..." may name a unit.
SUMMARY_CELLS = ("Tổng", "Cộng", "Total", "Mean", "National average")
_DATE_LINE = re.compile(r"\bngay \S+ thang \S+ nam\b")  # "Hà Nội, ngày 15 tháng 4 năm 2024", folded


@dataclass(frozen=True)
class Source:
    """One input file: where it is, its SHA-256 and its number of data rows."""

    path: Path
    sha256: str
    rows: int


@dataclass(frozen=True)
class Table:
    """One input file as read, before its cells are checked.

    Attributes:
        label: The file as the user named it (a params path or a command-line argument).
        source: Path, hash and row count.
        headers: The header as written for each role found (unit, score, rank, provenance, unit_type and
            each component); the column's letter for a column params name by position whose header is
            empty.
        cells: One column per role holding the cells' text (None when empty), indexed by the row number a
            user sees (CSV line, spreadsheet row).
        problems: The problems of the header found while reading (unknown columns), reported with those of
            the cells.
    """

    label: str
    source: Source
    headers: dict[str, str]
    cells: pd.DataFrame
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class LoadedFile:
    """One input file read and validated: its rows in the canonical columns of YearData.scores."""

    label: str
    source: Source
    scores: pd.DataFrame
    components: pd.DataFrame = field(default_factory=lambda: validate.empty_components())
    long: bool = False

    def summary(self, decimals: int) -> str:
        """One line for the user: units and mean per unit type (components per unit for a long table)."""
        if self.long:
            units = self.components[["unit_type", "code"]].drop_duplicates()
            return f"{self.label}: {len(self.components)} component values of {len(units)} units"
        parts = [
            f"{len(group)} {unit_type} units, mean {group['score'].mean():.{decimals}f}"
            for unit_type, group in self.scores.groupby("unit_type", sort=False)
        ]
        return f"{self.label}: {'; '.join(parts)}"


@dataclass(frozen=True)
class YearData:
    """A year's results, validated.

    Attributes:
        params: The year's params.
        scores: One row per unit: unit_type, code, name, short_name, name_en, region, score, rank (Int64),
            provenance, then one column per component.
        companion: The companion index (SIPAS) in the same columns, or None.
        sources: Every file read, main inputs first.
        components: The parts of the scores, one row per unit and component: unit_type, code, component
            (its code in params), score, provenance; empty when the inputs give none.
        companion_components: The same for the companion index (SIPAS's factors).
    """

    params: Params
    scores: pd.DataFrame
    companion: pd.DataFrame | None
    sources: tuple[Source, ...]
    components: pd.DataFrame = field(default_factory=lambda: validate.empty_components())
    companion_components: pd.DataFrame = field(default_factory=lambda: validate.empty_components())


def load_year(params: Params) -> YearData:
    """Reads and validates every input of a year.

    Args:
        params: The year's params.

    Returns:
        The year's scores, companion scores and sources.

    Raises:
        InputError: Listing every problem in every file of the year.
    """
    main, companion = _check(params)
    unit_sets = _unit_sets(params)
    scores = _combine(_wide(main), params.inputs, unit_sets)
    other = _combine(_wide(companion), params.companion.inputs, unit_sets) if params.companion else None
    sources = tuple(f.source for f in main + companion)
    return YearData(params, scores, other, sources, _parts(main), _parts(companion))


def _wide(loaded: list[LoadedFile]) -> list[LoadedFile]:
    """The files giving one row per unit (not the long tables of components)."""
    return [f for f in loaded if not f.long]


def _parts(loaded: list[LoadedFile]) -> pd.DataFrame:
    """The components of a group's files as one long table."""
    frames = [f.components for f in loaded if not f.components.empty]
    return pd.concat(frames, ignore_index=True) if frames else validate.empty_components()


def check_year(params: Params) -> list[LoadedFile]:
    """Reads and validates every input of a year (main and companion), file by file.

    Raises:
        InputError: Listing every problem in every file of the year.
    """
    main, companion = _check(params)
    return main + companion


def check_file(
    params: Params,
    path: Path | str,
    unit_type: str | None = None,
    sheet: str | None = None,
    provenance: str | None = None,
) -> LoadedFile:
    """Reads and validates one file as if it held a year's results on its own.

    Args:
        params: The year's params (unit sets, scale, header overrides of the entry with the same path).
        path: The file, as the user named it.
        unit_type: A unit type of the params' `units`, or "column"; by default that of the params entry with
            the same path, else the main (first) unit type.
        sheet: The sheet of an XLSX file; by default that of the params entry, else the first.
        provenance: "published" or "simulated" for a file without a provenance column; by default that of
            the params entry, else none (such a file is then an error).

    Raises:
        InputError: Listing every problem in the file.
    """
    spec, companion = _spec_for(params, Path(path))
    changes = {
        "unit_type": unit_type or spec.unit_type,
        "sheet": sheet or spec.sheet,
        "provenance": provenance or spec.provenance,
    }
    spec = spec.model_copy(update=changes)
    if spec.unit_type not in (*params.units, "column"):
        known = ", ".join(params.units)
        message = f"unit type '{spec.unit_type}' is not a unit type of {params.file.name} ({known})"
        raise InputError([Problem("--unit-type", message, f"use one of {known}, or column")])
    loaded, problems = _load_group(params, [spec], [str(path)], _unit_sets(params), companion)
    if problems:
        raise InputError(problems)
    return loaded[0]


def _spec_for(params: Params, path: Path) -> tuple[InputFile, bool]:
    """The params entry of a file (or a plain province entry), and whether it is a companion input."""
    inputs = [(spec, False) for spec in params.inputs]
    inputs += [(spec, True) for spec in (params.companion.inputs if params.companion else ())]
    for spec, companion in inputs:
        if params.path(spec.path) == files.resolve(path):
            return spec.model_copy(update={"path": str(files.resolve(path))}), companion
    return InputFile(path=str(files.resolve(path)), unit_type=params.main_type), False


def components_for(params: Params, spec: InputFile, companion: bool = False) -> tuple[Component, ...]:
    """The components a file may give: those of its unit type (of every type for a type column)."""
    types = tuple(params.units) if spec.unit_type == "column" else (spec.unit_type,)
    return tuple(c for t in types for c in params.components_of(t, companion))


def score_names(params: Params, companion: bool = False) -> tuple[str, ...]:
    """The headers naming an index's score column besides the usual ones.

    Returns:
        The index's name and its title in every language (the companion index's for its inputs).
    """
    index = params.companion if companion and params.companion else params.index
    titles = index.title.values() if isinstance(index.title, dict) else [index.title]
    return tuple(dict.fromkeys([index.name, *titles]))


def _unit_sets(params: Params) -> dict[str, UnitSet]:
    units_dir = params.path(params.units_dir)
    return {
        unit_type: with_former(units_dir, load_unit_set(units_dir, name, unit_type))
        for unit_type, name in params.units.items()
    }


def _check(params: Params) -> tuple[list[LoadedFile], list[LoadedFile]]:
    unit_sets = _unit_sets(params)
    main, problems = _load_group(params, params.inputs, [s.path for s in params.inputs], unit_sets)
    companion: list[LoadedFile] = []
    if params.companion:
        inputs = params.companion.inputs
        companion, more = _load_group(params, inputs, [s.path for s in inputs], unit_sets, companion=True)
        problems += more
    if problems:
        raise InputError(problems)
    return main, companion


def _load_group(
    params: Params,
    inputs: Sequence[InputFile],
    labels: Sequence[str],
    unit_sets: dict[str, UnitSet],
    companion: bool = False,
) -> tuple[list[LoadedFile], list[Problem]]:
    """Reads files that together hold one index's results, checking each and then the whole.

    Files of the long layout give components only; they are checked against the params' components and
    against the totals of the other files.
    """
    problems: list[Problem] = []
    read: list[tuple[InputFile, Table, pd.DataFrame]] = []
    names = score_names(params, companion)
    for spec, label in zip(inputs, labels, strict=True):
        components = components_for(params, spec, companion)
        try:
            table = read_table(params.path(spec.path), spec, label, params.file.name, components, names)
        except InputError as error:
            problems += error.problems
            continue
        rows, found = _rows(table, params, spec, unit_sets)
        problems += found
        read.append((spec, table, rows))
    wide = [(spec, t, rows) for spec, t, rows in read if spec.layout == "wide"]
    parts: dict[str, pd.DataFrame] = {}
    if read:
        declared = {spec.unit_type for spec, _, _ in wide}
        expected = [t for t in unit_sets if declared & {t, "column"}]
        every = pd.concat([rows for _, _, rows in wide], ignore_index=True) if wide else None
        if every is not None and not companion:
            problems += validate.check_bands(every, params)
        if every is not None:
            problems += validate.check_group(
                every, unit_sets, expected, params.index.decimals, params.ranking.ties, params.index.scale
            )
        for spec, table, rows in read:
            components = components_for(params, spec, companion)
            found_parts, found = validate.components_of_rows(rows, table.headers, spec, components)
            parts[table.label] = found_parts
            problems += found
        if every is not None:
            problems += validate.check_component_sums(
                every, pd.concat(parts.values(), ignore_index=True), params, companion
            )
    loaded = [
        LoadedFile(
            t.label,
            t.source,
            _canonical(rows, unit_sets, spec) if spec.layout == "wide" else pd.DataFrame(),
            validate.without_places(parts[t.label]),
            spec.layout == "long",
        )
        for spec, t, rows in read
    ]
    return loaded, problems


def _rows(
    table: Table, params: Params, spec: InputFile, unit_sets: dict[str, UnitSet]
) -> tuple[pd.DataFrame, list[Problem]]:
    """Checks a table's cells and units; returns its rows typed, with None/NaN where a cell is bad."""
    cells, headers = table.cells, table.headers
    problems = list(table.problems) + validate.check_provenance(cells, table.label, params, spec)
    problems += validate.check_rank_column(cells, table.label, params) if spec.layout == "wide" else []
    problems += validate.check_cells(cells, headers, table.label, params, spec)
    units, unit_problems = validate.resolve_units(cells, headers, table.label, params, spec, unit_sets)
    problems = sorted(problems + unit_problems, key=lambda p: p.row or 0)

    def column(role: str, parse) -> list:
        return [parse(v) for v in cells[role]] if role in cells else [None] * len(cells)

    provenance = [p or spec.provenance for p in column("provenance", validate.parse_provenance)]
    rows = pd.DataFrame(
        {
            "file": table.label,
            "row": cells.index,
            "unit_cell": cells["unit"].to_numpy(),
            "unit_header": headers["unit"],
            "unit_type": units["unit_type"].to_numpy(),
            "code": units["code"].to_numpy(),
            "score": pd.array(column("score", validate.parse_number), dtype="Float64").astype(float),
            "rank": pd.array(column("rank", validate.parse_rank), dtype="Int64"),
            "rank_header": headers.get("rank"),
            "band_cell": cells["band"].to_numpy() if "band" in cells else None,
            "band_header": headers.get("band"),
            "score_header": headers.get("score"),
            "provenance": provenance,
        }
    )
    for name in spec.components:
        rows[name] = pd.array(column(name, validate.parse_number), dtype="Float64").astype(float)
    for role in cells.columns:
        if role.startswith(COMPONENT_ROLE):
            rows[role] = pd.array(column(role, validate.parse_number), dtype="Float64").astype(float)
    if spec.layout == "long":
        rows["component_cell"] = cells["component"].to_numpy()
    return rows, problems


def _canonical(rows: pd.DataFrame, unit_sets: dict[str, UnitSet], spec: InputFile) -> pd.DataFrame:
    """A file's rows in the columns of YearData.scores, units in register order."""
    frames = []
    for unit_type in unit_sets:
        own = rows[rows["unit_type"] == unit_type]
        if own.empty:
            continue
        register = unit_sets[unit_type].frame().drop(columns="kind")
        register.insert(0, "unit_type", unit_type)
        values = own[["code", "score", "rank", "provenance", *spec.components]]
        frames.append(register.merge(values, on="code", how="inner"))
    columns = ["unit_type", "code", "name", "short_name", "name_en", "region", "score", "rank", "provenance"]
    if not frames:
        return pd.DataFrame(columns=columns + list(spec.components))
    return pd.concat(frames, ignore_index=True)


def _combine(
    loaded: list[LoadedFile], inputs: Sequence[InputFile], unit_sets: dict[str, UnitSet]
) -> pd.DataFrame:
    """The group's files as one table, components of every file as columns, units in register order."""
    components = list(dict.fromkeys(c for spec in inputs for c in spec.components))
    table = pd.concat([f.scores for f in loaded], ignore_index=True)
    for name in components:
        if name not in table:
            table[name] = float("nan")
    register = [(t, u.code) for t in unit_sets for u in unit_sets[t].units]
    position = {key: i for i, key in enumerate(register)}
    keys = [position[key] for key in zip(table["unit_type"], table["code"], strict=True)]
    table = table.iloc[sorted(range(len(table)), key=keys.__getitem__)].reset_index(drop=True)
    table["rank"] = table["rank"].astype("Int64")
    table["region"] = pd.Series([r if isinstance(r, str) else None for r in table["region"]], dtype=object)
    return table


def read_table(
    path: Path,
    spec: InputFile,
    label: str | None = None,
    params_name: str = "params",
    components: Sequence[Component] = (),
    score_names: Sequence[str] = (),
) -> Table:
    """Reads one CSV or XLSX file and finds its header row, its columns and the rows of its table.

    Rows above the header are titles. Below it, rows repeating the header (a table copied across pages) and
    rows of totals or means are left out; so are the notes, date and signature lines that end the table (see
    `_is_end`), or every row below `last_row` when params give it.

    Args:
        path: The file.
        spec: Its entry in params: sheet, header overrides, header and last row, unit type, components,
            layout.
        label: The file as the user named it, used in messages; the path by default.
        params_name: The params file's name, used in messages.
        components: The year's components the file may give: a wide file's column named by a component's
            code, name (in any language) or one of its headers holds that component.
        score_names: More headers of the score column, before the usual ones: the index's name and title.

    Returns:
        The table: headers as written and cells by role, indexed by the row number a user sees.

    Raises:
        InputError: The file is missing, unreadable, empty, of an unsupported type, lacks the sheet, or has
            no recognisable header or a required column is missing.
    """
    label = label or str(path)
    found = files.trouble(path, MAX_FILE_BYTES)
    if found:
        raise InputError([Problem(label, *found)])
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            [
                Problem(
                    label,
                    f"unsupported file type '{suffix or '(none)'}'",
                    "save the results as .xlsx or as UTF-8 .csv",
                )
            ]
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        fix = "check that you may read it"
        raise InputError([Problem(label, f"cannot read it: {error.strerror}", fix)]) from None
    if suffix == ".csv" and spec.sheet is not None:
        log.warning("%s: a CSV file has no sheets; sheet '%s' ignored", label, spec.sheet)
    problems: list[Problem] = []
    if suffix == ".csv":
        rows = _bounded(_csv_rows(data, label), label, problems, _field)
    else:
        rows = _bounded(_xlsx_rows(data, label, spec.sheet, problems), label, problems, _cell_name)
    if problems:
        raise InputError(problems)
    if not rows:
        raise InputError([Problem(label, "the file is empty", "put a header row and one row per unit in it")])
    at, roles = _find_header(rows, spec, label, params_name, components, score_names)
    header_row, header = rows[at]
    body = _table_rows(rows[at + 1 :], header_row, header, roles, spec, label, params_name)
    if not body:
        raise InputError(
            [Problem(label, "the file has a header but no data rows", "add one row per unit", row=header_row)]
        )
    cells = pd.DataFrame(
        {role: [_cell(cells, position) for _, cells in body] for role, position in roles.items()},
        index=pd.Index([number for number, _ in body], name="row"),
        dtype=object,
    )
    source = Source(files.resolve(path), hashlib.sha256(data).hexdigest(), len(body))
    log.debug("read %s: %d rows", label, len(body))
    unknown = _unknown_columns(header, roles, spec, label, params_name, header_row, components, score_names)
    headers = {role: _cell(header, p) or get_column_letter(p + 1) for role, p in roles.items()}
    return Table(label, source, headers, cells, tuple(unknown))


def _cell(cells: list[str | None], position: int) -> str | None:
    return cells[position] if position < len(cells) else None


def _table_rows(
    body: list[tuple[int, list[str | None]]],
    header_row: int,
    header: list[str | None],
    roles: dict[str, int],
    spec: InputFile,
    label: str,
    params_name: str,
) -> list[tuple[int, list[str | None]]]:
    """The rows below the header that belong to the table.

    Left out: rows below `last_row`; rows repeating the header; rows of totals or means (SUMMARY_WORDS);
    and, when params give no last row, the rows ending the table that `_is_end` recognises. Any other row
    is kept, so that a misspelt unit is reported, never dropped.

    Raises:
        InputError: last_row is not below the header.
    """
    if spec.last_row is not None:
        if spec.last_row <= header_row:
            raise InputError(
                [
                    Problem(
                        label,
                        f"last_row: {spec.last_row} in {params_name} is not below the header "
                        f"(row {header_row})",
                        f"set last_row to the row of the table's last unit in {params_name}, or remove it",
                        row=spec.last_row,
                        key="last_row",
                    )
                ]
            )
        body = [(number, cells) for number, cells in body if number <= spec.last_row]
    folded = {role: fold(header[p]) for role, p in roles.items() if _cell(header, p) is not None}
    kept, repeated, summaries = [], [], []
    for number, cells in body:
        if folded and all(fold(_cell(cells, roles[r]) or "") == text for r, text in folded.items()):
            repeated.append(number)
        elif _starts(_first(cells, roles), SUMMARY_WORDS, SUMMARY_CELLS):
            summaries.append(number)
        else:
            kept.append((number, cells))
    end = len(kept)
    while spec.last_row is None and end > 0 and _is_end(kept[end - 1][1], roles):
        end -= 1
    for what, numbers in (
        ("repeating the header", repeated),
        ("of totals or means", summaries),
        ("ending the table (notes, dates, signatures)", [n for n, _ in kept[end:]]),
    ):
        if numbers:
            rows = f"row{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))}"
            log.info("%s: %s left out, %s", label, rows, what)
    return kept[:end]


def _first(cells: list[str | None], roles: dict[str, int]) -> list[str]:
    """The texts that say what a row is: its first cell holding a value and its unit cell."""
    first = next((c for c in cells if c is not None), None)
    unit = _cell(cells, roles["unit"]) if "unit" in roles else None
    return [text for text in dict.fromkeys((first, unit)) if text is not None]


def _starts(texts: Sequence[str], words: Sequence[str], whole: Sequence[str] = ()) -> bool:
    """Whether a text begins with one of the words (whole words, after folding) or is one of `whole`."""
    for text in texts:
        folded = fold(text)
        if folded in {fold(w) for w in whole} or any(
            folded == fold(w) or folded.startswith(fold(w) + " ") for w in words
        ):
            return True
    return False


def _is_end(cells: list[str | None], roles: dict[str, int]) -> bool:
    """Whether a row at the end of a table is a note, a date or signature line, or holds no unit and score.

    A note begins with one of NOTE_WORDS or with "*"; a date line holds "ngày ... tháng ... năm"; a row with
    an empty unit cell and no number in its score cell is part of a signature block or a stray line.
    """
    texts = _first(cells, roles)
    if _starts(texts, NOTE_WORDS) or any(t.startswith(("*", "(*")) for t in texts):
        return True
    if any(_DATE_LINE.search(fold(t)) for t in texts):
        return True
    score = _cell(cells, roles["score"]) if "score" in roles else None
    unit = _cell(cells, roles["unit"]) if "unit" in roles else None
    return unit is None and validate.parse_number(score) is None


def _bounded(
    rows: Iterator[tuple[int, list[str | None]]],
    label: str,
    problems: list[Problem],
    address: Callable[[int, int], str],
) -> list[tuple[int, list[str | None]]]:
    """The rows holding a value, read while the limits hold.

    Stops at the first row beyond MAX_ROWS or reaching beyond MAX_COLUMNS, so that a file of a million rows
    is answered after reading ten thousand. Each cell longer than MAX_CELL_CHARS is added to `problems`.

    Args:
        rows: The file's rows with their numbers, as read.
        label: The file as the user named it.
        problems: Where the problems of single cells go.
        address: How a cell is named in a message, from its row number and 0-based column.

    Raises:
        InputError: The file has too many rows, or a row too many columns.
    """
    kept: list[tuple[int, list[str | None]]] = []
    for number, cells in rows:
        if len(cells) > MAX_COLUMNS:
            if cells[MAX_COLUMNS:].count(None) != len(cells) - MAX_COLUMNS:
                width = len(cells) - next(i for i, c in enumerate(reversed(cells)) if c is not None)
                raise InputError([_too_wide(label, number, address(number, width - 1))])
            cells = cells[:MAX_COLUMNS]
        if cells.count(None) == len(cells):
            continue
        if len(kept) == MAX_ROWS:
            raise InputError([_too_long(label, number)])
        for position, cell in enumerate(cells):
            if cell is not None and len(cell) > MAX_CELL_CHARS:
                problems.append(_long_cell(label, number, address(number, position), len(cell)))
        kept.append((number, cells))
    return kept


def _too_wide(label: str, row: int, cell: str) -> Problem:
    return Problem(
        label,
        f"{cell} holds a value, beyond the {MAX_COLUMNS} columns a table may have",
        f"keep the table within its first {MAX_COLUMNS} columns: delete what lies to the right of it",
        row=row,
    )


def _too_long(label: str, row: int) -> Problem:
    return Problem(
        label,
        f"the file has more than {MAX_ROWS:,} rows holding values, the most a table may have",
        "check that this is the results table (one row per unit); delete the rows that are not part of it",
        row=row,
    )


def _long_cell(label: str, row: int, cell: str, length: int) -> Problem:
    return Problem(
        label,
        f"{cell} holds {length:,} characters, more than the {MAX_CELL_CHARS:,} a cell may have",
        "shorten it: a cell holds a unit's name, a number or a short note",
        row=row,
        kind=f"cells longer than {MAX_CELL_CHARS:,} characters",
    )


def _field(row: int, position: int) -> str:
    """A CSV cell as a message names it: 'field 3 of line 7'."""
    return f"field {position + 1} of line {row}"


def _cell_name(row: int, position: int) -> str:
    """A spreadsheet cell as a message names it: 'cell C7'."""
    return f"cell {get_column_letter(position + 1)}{row}"


def _csv_rows(data: bytes, label: str) -> Iterator[tuple[int, list[str | None]]]:
    """The rows of a UTF-8 CSV (with or without BOM, comma or semicolon), each with its first line number."""
    try:
        text = data.decode("utf-8-sig")
        if "\x00" in text:
            raise UnicodeDecodeError("utf-8", data, text.index("\x00"), text.index("\x00") + 1, "NUL byte")
    except UnicodeDecodeError as error:
        raise InputError(
            [
                Problem(
                    label,
                    "the file is not UTF-8 text",
                    "save it as UTF-8 CSV (in Excel: Save As > 'CSV UTF-8 (Comma delimited)')",
                    row=data[: error.start].count(b"\n") + 1,
                )
            ]
        ) from None
    line = 1
    try:
        reader = csv.reader(_lines(text, label), delimiter=_delimiter(text))
        for record in reader:
            yield line, [c.strip() or None for c in record]
            line = reader.line_num + 1
    except csv.Error as error:
        fix = "open it in a spreadsheet program and save it again as UTF-8 CSV"
        raise InputError([Problem(label, f"not a readable CSV file ({error})", fix, row=line)]) from None


def _lines(text: str, label: str) -> Iterator[str]:
    """The lines of a CSV text, refusing a line longer than a row within the limits can be."""
    longest = MAX_COLUMNS * (MAX_CELL_CHARS + 3)  # every cell quoted, with its separator
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > longest:
            raise InputError(
                [
                    Problem(
                        label,
                        f"line {number} is {len(line):,} characters long, more than a row of {MAX_COLUMNS} "
                        f"cells of at most {MAX_CELL_CHARS:,} characters can be",
                        "check that this is the results table, saved as CSV with one line per row",
                        row=number,
                    )
                ]
            )
        yield line


def _delimiter(text: str) -> str:
    """The separator that splits the first lines most consistently into several fields.

    Every line counts alike, the header as one among the rows. When two separators split as many lines into
    as many fields, a tab wins over ";" and ";" over ",": in a file whose every line holds one "," as well as
    its ";" (an export from Excel in a Vietnamese locale, "Điểm, %" in the header and "83,72" in the rows),
    the commas are decimal commas or part of the text.
    """
    first = itertools.islice(io.StringIO(text, newline=""), 50)
    lines = [line[: MAX_COLUMNS * (MAX_CELL_CHARS + 3)] for line in first if line.strip()]
    best, best_score = ",", (0, 0)
    for candidate in ("\t", ";", ","):
        try:
            counts = Counter(len(r) for r in csv.reader(lines, delimiter=candidate) if len(r) > 1)
        except csv.Error:  # reported with its line when the file is read
            continue
        if counts:
            fields, lines_agreeing = counts.most_common(1)[0]
            if (lines_agreeing, fields) > best_score:
                best, best_score = candidate, (lines_agreeing, fields)
    return best


class _SheetParser(WorkSheetParser):
    """openpyxl's streaming parser of a sheet's XML, also marking the formulas that have no saved value."""

    def parse_cell(self, element):  # noqa: ANN001, ANN201 - openpyxl's signature
        cell = super().parse_cell(element)
        cell["formula"] = cell["value"] is None and element.find(FORMULA_TAG) is not None
        return cell


def _xlsx_rows(
    data: bytes, label: str, sheet: str | None, problems: list[Problem]
) -> Iterator[tuple[int, list[str | None]]]:
    """The rows of one sheet of a workbook, streamed, each with its spreadsheet row number; values as text.

    The sheet's XML is read row by row as it is stored: the dimension a sheet claims is ignored, and no
    cell that is not stored is made, so a workbook with one value in cell XFD1048576 costs one cell.
    A formula with no saved value (a workbook written by a program that does not compute) is added to
    `problems`.

    Raises:
        InputError: The workbook cannot be read, is larger unpacked than MAX_UNPACKED_BYTES, lacks the
            sheet, holds only chart sheets, or has rows beyond the last row of the format.
    """
    _check_unpacked(data, label)
    book = _open_workbook(data, label)
    try:
        worksheet = _worksheet(book, sheet, label)
        if worksheet is None:
            return
        number = 0
        try:
            for number, stored in _stored_rows(worksheet):
                if number > XLSX_MAX_ROW:
                    raise InputError([_beyond_last_row(label, number)])
                yield number, _row_text(worksheet, stored, label, problems)
        except InputError:
            raise
        except Exception as error:  # noqa: BLE001 - whatever openpyxl raises, the sheet cannot be read
            raise InputError([_unreadable(label, error, number + 1)]) from None
    finally:
        book.close()


def _check_unpacked(data: bytes, label: str) -> None:
    """Refuses a workbook whose parts, unpacked, exceed MAX_UNPACKED_BYTES (checked before parsing)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # reported by openpyxl as a workbook that cannot be read
    if size > MAX_UNPACKED_BYTES:
        raise InputError(
            [
                Problem(
                    label,
                    f"the workbook unpacks to {size:,} bytes, more than the {MAX_UNPACKED_BYTES:,} "
                    "a workbook may hold",
                    "save the results table alone in a new workbook, or as CSV",
                )
            ]
        )


def _open_workbook(data: bytes, label: str) -> openpyxl.Workbook:
    try:
        with warnings.catch_warnings():  # openpyxl warns about every extension it skips; the values remain
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - whatever openpyxl raises, the workbook cannot be read
        raise InputError([_unreadable(label, error)]) from None


def _unreadable(label: str, error: Exception, row: int | None = None) -> Problem:
    return Problem(
        label,
        f"not a readable XLSX workbook ({type(error).__name__})",
        "open it in a spreadsheet program and save it again as .xlsx",
        row=row,
    )


def _worksheet(book: openpyxl.Workbook, sheet: str | None, label: str):  # noqa: ANN202 - openpyxl's type
    """The sheet asked for, else the first sheet holding cells; None for a workbook without sheets.

    Raises:
        InputError: No sheet of that name, the sheet named is a chart sheet, or every sheet is a chart sheet.
    """
    sheets = {worksheet.title: worksheet for worksheet in book.worksheets}
    charts = [chart.title for chart in book.chartsheets]
    names = ", ".join(f"'{n}'" for n in sheets)
    if sheet in charts:
        fix = f"name a sheet holding the table: {names}" if sheets else "put the table on a worksheet"
        raise InputError([Problem(label, f"sheet '{sheet}' is a chart sheet: it holds no cells", fix)])
    if sheet is not None and sheet not in sheets:
        raise InputError(
            [Problem(label, f"no sheet named '{sheet}'; the sheets are {names}", "name one of these sheets")]
        )
    if not sheets and charts:
        raise InputError(
            [
                Problem(
                    label,
                    f"the workbook holds only chart sheets ({', '.join(repr(c) for c in charts)}), no table",
                    "put the results table on a worksheet of the workbook, or save it as CSV",
                )
            ]
        )
    if not sheets:
        return None
    if sheet is None and book.sheetnames[0] in charts:
        first = book.worksheets[0].title
        log.warning("%s: the first sheet '%s' is a chart sheet; reading sheet '%s'", label, charts[0], first)
    return sheets[sheet] if sheet is not None else book.worksheets[0]


def _stored_rows(worksheet) -> Iterator[tuple[int, list[dict]]]:  # noqa: ANN001 - openpyxl's type
    """The rows a sheet stores, each as its number and its stored cells, as openpyxl's reader parses them."""
    book = worksheet.parent
    with worksheet._get_source() as source:
        parser = _SheetParser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        yield from parser.parse()


def _row_text(worksheet, stored: list[dict], label: str, problems: list[Problem]) -> list[str | None]:  # noqa: ANN001
    """One stored row as the texts of its cells, up to its last value (MAX_COLUMNS + 1 at most).

    Raises:
        InputError: A value lies beyond column MAX_COLUMNS.
    """
    cells: list[str | None] = []
    for entry in stored:
        column, formula = entry["column"], entry.pop("formula")
        if formula:
            problems.append(_formula(label, entry["row"], column))
        if entry["value"] is None:
            continue
        if column > MAX_COLUMNS:
            raise InputError([_too_wide(label, entry["row"], _cell_name(entry["row"], column - 1))])
        cells.extend([None] * (column - len(cells)))
        cells[column - 1] = _text(ReadOnlyCell(worksheet, **entry))
    return cells


def _formula(label: str, row: int, column: int) -> Problem:
    return Problem(
        label,
        f"{_cell_name(row, column - 1)} holds a formula with no saved value",
        "open the workbook in Excel or LibreOffice and save it (its formulas' values are then saved too), "
        "or paste the values in place of the formulas",
        row=row,
        kind="formulas with no saved value",
    )


def _beyond_last_row(label: str, row: int) -> Problem:
    return Problem(
        label,
        f"the sheet has a row {row:,}, beyond row {XLSX_MAX_ROW:,}, the last an XLSX sheet can have",
        "the workbook was not written by a spreadsheet program: open it in Excel or LibreOffice and save it "
        "again, or save the table as CSV",
        row=row,
    )


def _text(cell) -> str | None:  # noqa: ANN001 - openpyxl's cell
    """A spreadsheet cell as the text it shows: percent-formatted numbers times 100."""
    value = cell.value
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if "%" in str(cell.number_format):
            value = value * 100 if isinstance(value, int) else round(value * 100, 10)
        return str(value) if isinstance(value, int) else repr(value)
    return str(value).strip() or None


def _find_header(
    rows: list[tuple[int, list[str | None]]],
    spec: InputFile,
    label: str,
    params_name: str,
    components: Sequence[Component] = (),
    score_names: Sequence[str] = (),
) -> tuple[int, dict[str, int]]:
    """The header row (index into rows) and the column of each role, by aliases and params overrides.

    The header is the row params give as header_row, else the row among the first _HEADER_SEARCH naming the
    most columns. A column params name by position is taken where the header row holds no such header.

    Raises:
        InputError: No header row is found, header_row is not a row holding values, or a column is missing.
    """
    searched = range(min(len(rows), _HEADER_SEARCH))
    if spec.header_row is not None:
        searched = [i for i, (number, _) in enumerate(rows) if number == spec.header_row]
        if not searched:
            raise InputError([_no_header_row(rows, spec.header_row, label, params_name)])
    matches = {i: _match(rows[i][1], spec, components, score_names) for i in searched}
    at = max(matches, key=lambda i: (len(matches[i]), -i))
    roles = matches[at]
    if not roles:  # show the row that looks most like a header: the first with the most cells filled
        at = max(matches, key=lambda i: (sum(c is not None for c in rows[i][1]), -i))
    number, header = rows[at]
    found = ", ".join(f"'{c}'" for c in header if c is not None)
    overrides = spec.columns.roles()
    for role, name in overrides.items():
        position = _position(name)
        if role not in roles and position is not None:
            roles[role] = position
    if not roles and not overrides:
        raise InputError(
            [
                Problem(
                    label,
                    f"no header row recognised; the likeliest header row holds {found}",
                    f"name the unit column one of {_names('unit')} and the score column one of "
                    f"{_names('score', score_names)}; or set columns.unit and columns.score for this file in "
                    f"{params_name}",
                    row=number,
                )
            ]
        )
    problems = [
        Problem(
            label,
            f"columns.{role} in {params_name} names '{name}', which is not a header of this file "
            f"(headers: {found})",
            f"correct columns.{role} for this file in {params_name}",
            row=number,
            key=f"columns.{role}",
        )
        for role, name in overrides.items()
        if role not in roles and (role != "unit_type" or spec.unit_type == "column")
    ]
    problems += [
        Problem(
            label,
            f"columns.{role} in {params_name} names column {get_column_letter(position + 1)}, beyond the "
            f"{MAX_COLUMNS} columns a table may have",
            f"correct columns.{role} for this file in {params_name}: its header, its letter (A is the first "
            "column) or its number counted from 1",
            row=number,
            key=f"columns.{role}",
        )
        for role, position in roles.items()
        if position >= MAX_COLUMNS
    ]
    required = ["unit", "score"] + (["unit_type"] if spec.unit_type == "column" else [])
    required += ["component"] if spec.layout == "long" else []
    unnamed = _unnamed(rows[at:], len(header))
    problems += [
        Problem(
            label,
            f"no {role.replace('_', ' ')} column (headers: {found})",
            f"name it one of {_names(role, score_names)}, or set columns.{role} for this file in "
            f"{params_name}"
            + (
                f"; column {unnamed[0]} has no header: if it is the {role.replace('_', ' ')} column, set "
                f"columns.{role}: {unnamed[0]} (a column is named by its header, its letter or its number "
                "counted from 1)"
                if unnamed
                else ""
            ),
            row=number,
        )
        for role in required
        if role not in roles and role not in overrides
    ]
    problems += [
        Problem(
            label,
            f"no column '{name}', named in components for this file (headers: {found})",
            f"add the column, or remove it from components in {params_name}",
            row=number,
        )
        for name in spec.components
        if name not in roles
    ]
    missing = _missing_components(roles, components, label, params_name, number)
    if missing and not problems:  # a misspelt component header is then reported beside the missing column
        missing += _unknown_columns(header, roles, spec, label, params_name, number, components, score_names)
    problems += missing
    if problems:
        raise InputError(problems)
    if spec.unit_type != "column":
        roles.pop("unit_type", None)
    return at, roles


def _header(text: str) -> str:
    """A header as compared with the known ones: folded, and without a "%" saying its unit ("Điểm, %")."""
    return " ".join(fold(text).replace("%", " ").split())


def _match(
    cells: list[str | None],
    spec: InputFile,
    components: Sequence[Component] = (),
    score_names: Sequence[str] = (),
) -> dict[str, int]:
    """The column of each role in a candidate header row: overrides first, then aliases in their order.

    A wide file's component columns get the role COMPONENT_ROLE + code; a long file's component column the
    role "component".
    """
    folded = [_header(c) if c is not None else None for c in cells]
    overrides = spec.columns.roles()
    roles: dict[str, int] = {}
    for role in HEADER_ALIASES:
        names = (str(overrides[role]),) if role in overrides else _aliases(role, score_names)
        for name in names:
            if _header(name) in folded:
                roles[role] = folded.index(_header(name))
                break
    if "code" in roles and roles.get("unit", roles["code"]) == roles["code"]:
        roles["unit"] = roles.pop("code")  # the only column naming the units gives their codes
    for name in spec.components:
        if _header(name) in folded:
            roles[name] = folded.index(_header(name))
    if spec.layout == "long":
        for name in COMPONENT_HEADERS:
            if _header(name) in folded:
                roles["component"] = folded.index(_header(name))
                break
        return roles
    for component in components:
        for name in component_headers(component):
            if _header(name) in folded and folded.index(_header(name)) not in roles.values():
                roles[COMPONENT_ROLE + component.code] = folded.index(_header(name))
                break
    return roles


def _unknown_columns(
    header: list[str | None],
    roles: dict[str, int],
    spec: InputFile,
    label: str,
    params_name: str,
    row: int,
    components: Sequence[Component] = (),
    score_names: Sequence[str] = (),
) -> list[Problem]:
    """One problem per header that names no role, component, ignored or known-ignored column.

    The fix proposes the closest header the file lacks (a known alias, an override, a component or a
    known-ignored column), so that 'provenence' is answered with 'provenance'.
    """
    overrides = spec.columns.roles()
    known = {_header(name) for role in HEADER_ALIASES for name in _aliases(role, score_names)}
    known |= {_header(str(name)) for name in (*overrides.values(), *spec.components, *spec.columns.ignore)}
    known |= {_header(name) for name in IGNORED_HEADERS}
    candidates: dict[str, tuple[str, str]] = {}  # folded header -> (header as written, what it is)
    for role in HEADER_ALIASES:
        if role not in roles:
            for name in (str(overrides[role]),) if role in overrides else _aliases(role, score_names):
                candidates.setdefault(_header(name), (name, role))
    for name in spec.components:
        if name not in roles:
            candidates.setdefault(_header(name), (name, "components"))
    for component in components:
        if COMPONENT_ROLE + component.code not in roles:
            for name in component_headers(component):
                candidates.setdefault(_header(name), (name, "component"))
    for name in IGNORED_HEADERS:
        candidates.setdefault(_header(name), (name, "ignore"))
    used = set(roles.values())
    problems = []
    for position, name in enumerate(header):
        if name is None or position in used or _header(name) in known:
            continue
        close = difflib.get_close_matches(_header(name), list(candidates), n=1, cutoff=_CLOSE)
        if close:
            closest, role = candidates[close[0]]
            where = {
                "components": f"or correct components for this file in {params_name}",
                "component": f"or add it to a component's headers in {params_name}",
                "ignore": f"or list it under columns.ignore for this file in {params_name}",
            }.get(role, f"or set columns.{role}: '{name}' for this file in {params_name}")
            fix = f"did you mean '{closest}'? Rename it, {where}"
        else:
            fix = (
                f"rename it to a known header, say what it holds under columns for this file in "
                f"{params_name} (columns.unit, code, score, rank, unit_type or provenance), or list it "
                "under columns.ignore to leave it out"
            )
        problems.append(
            Problem(
                label, f"'{name}' is not a known column", fix, row=row, column=name, kind="unknown columns"
            )
        )
    return problems


def _aliases(role: str, score_names: Sequence[str] = ()) -> tuple[str, ...]:
    """The headers of a role: for the score, the index's own names first."""
    names = HEADER_ALIASES.get(role, COMPONENT_HEADERS)
    return tuple(dict.fromkeys((*score_names, *names))) if role == "score" else names


def _names(role: str, score_names: Sequence[str] = ()) -> str:
    return ", ".join(f"'{a}'" for a in _aliases(role, score_names))


def _position(name: str | int) -> int | None:
    """The 0-based column a params value names by position (a number from 1, a letter A to XFD), or None."""
    if isinstance(name, int):
        return name - 1
    text = name.strip()
    if re.fullmatch("[0-9]{1,5}", text) and 0 < int(text) <= XLSX_MAX_COLUMN:
        return int(text) - 1
    if re.fullmatch("[A-Za-z]{1,3}", text) and column_index_from_string(text.upper()) <= XLSX_MAX_COLUMN:
        return column_index_from_string(text.upper()) - 1
    return None


def _unnamed(rows: list[tuple[int, list[str | None]]], width: int) -> list[str]:
    """The letters of the columns whose header cell is empty but that hold values below it."""
    header = rows[0][1]
    widest = max((len(cells) for _, cells in rows), default=width)
    return [
        get_column_letter(p + 1)
        for p in range(widest)
        if _cell(header, p) is None and any(_cell(cells, p) is not None for _, cells in rows[1:])
    ]


def _no_header_row(
    rows: list[tuple[int, list[str | None]]], header_row: int, label: str, params_name: str
) -> Problem:
    """The problem of a header_row that is not a row holding values."""
    last = rows[-1][0]
    where = f"the file ends at row {last}" if header_row > last else f"row {header_row} is empty"
    return Problem(
        label,
        f"header_row: {header_row} in {params_name}, but {where}",
        f"set header_row to the row holding the column headers (counted from 1, as the spreadsheet numbers "
        f"rows), or remove it to find the header among the first {_HEADER_SEARCH} rows",
        row=header_row,
        key="header_row",
    )


def component_headers(component: Component) -> list[str]:
    """The headers a component's column may carry: its code, its name in each language, its headers."""
    names = list(component.name.values()) if isinstance(component.name, dict) else [component.name]
    return list(dict.fromkeys([component.code, *names, *component.headers]))


def _missing_components(
    roles: dict[str, int], components: Sequence[Component], label: str, params_name: str, row: int
) -> list[Problem]:
    """One problem per component of a unit type of which a wide file gives some components but not this one.

    A file with no component column gives the totals only, which is never a problem.
    """
    given = {role.removeprefix(COMPONENT_ROLE) for role in roles if role.startswith(COMPONENT_ROLE)}
    problems = []
    for unit_type in dict.fromkeys(c.unit_type for c in components):
        own = [c for c in components if c.unit_type == unit_type]
        if not given & {c.code for c in own}:
            continue
        for component in own:
            if component.code in given:
                continue
            headers = component_headers(component)
            problems.append(
                Problem(
                    label,
                    f"no column for the component '{validate.component_label(component)}' "
                    f"({component.code}), while the file gives other components of the {unit_type}s",
                    f"add a column named one of {', '.join(repr(h) for h in headers)} with each unit's "
                    f"points (every component of a unit is needed to check that they sum to its score), or "
                    f"remove the component columns to give the totals only",
                    row=row,
                    kind="missing component columns",
                )
            )
    return problems
