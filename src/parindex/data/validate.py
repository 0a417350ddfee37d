"""Validate: check the cells, units and ranks of a year's input tables, reporting every problem at once."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from parindex.analysis import band_of, round_half_up
from parindex.data.params import Band, Component, InputFile, Params, Scale
from parindex.data.ranking import Ties, competition_rank, order_conflicts
from parindex.data.units import Unit, UnitNameError, UnitSet, fold
from parindex.errors import Problem
from parindex.limits import MAX_RANK

PROVENANCES = ("published", "simulated")
# Values of a unit type column, as they are written; compared after folding.
UNIT_TYPE_VALUES = {
    "province": ("province", "tỉnh", "Tỉnh, thành phố", "thành phố", "city"),
    "ministry": ("ministry", "bộ", "Bộ, ngành", "ngành", "agency", "cơ quan ngang bộ"),
}
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_WHOLE = re.compile(r"\d+([.,]0*)?")


def parse_number(text: object) -> float | None:
    """Reads a number as it is written in result tables: 86,07 / 86.07 / 86,07% / "86.07 %".

    Args:
        text: The cell's text (or None for an empty cell).

    Returns:
        The number, or None when the cell is empty or holds no number.
    """
    if text is None or pd.isna(text):
        return None
    value = re.sub(r"\s+", "", str(text)).removesuffix("%")
    if "," in value and "." in value:
        decimal, thousands = (",", ".") if value.rfind(",") > value.rfind(".") else (".", ",")
        whole = value.rsplit(decimal, 1)[0].lstrip("+-")
        if not re.fullmatch(r"\d{1,3}(" + re.escape(thousands) + r"\d{3})+", whole):
            return None  # "8,6.07" is a typo, not a thousands separator
        value = value.replace(thousands, "").replace(decimal, ".")
    elif value.count(",") == 1:
        value = value.replace(",", ".")
    return float(value) if _NUMBER.fullmatch(value) else None


def parse_rank(text: object) -> int | None:
    """Reads a rank written "8", "8.0" or "08"; None unless it is a whole number from 1 to MAX_RANK."""
    rank = _whole(text)
    return rank if rank is not None and 0 < rank <= MAX_RANK else None


def _whole(text: object) -> int | None:
    """A whole number written "8", "8.0" or "08", however large; None for anything else."""
    if text is None or pd.isna(text):
        return None
    value = re.sub(r"\s+", "", str(text))
    if not _WHOLE.fullmatch(value):
        return None
    return int(re.split("[.,]", value)[0])


def parse_provenance(text: object) -> str | None:
    """Reads a provenance value ('published' or 'simulated', any case); None when unknown."""
    folded = fold(text) if text is not None and not pd.isna(text) else ""
    return folded if folded in PROVENANCES else None


def parse_unit_type(text: object, types: Iterable[str] = ()) -> str | None:
    """Reads a unit type cell ('tỉnh', 'Bộ, ngành', 'province', or a name of `types`); None when unknown.

    Args:
        text: The cell.
        types: The unit types of the year's params; a cell may name any of them ("commune").

    Returns:
        The unit type, or None.
    """
    if text is None or pd.isna(text):
        return None
    folded = fold(text)
    for unit_type, values in UNIT_TYPE_VALUES.items():
        if folded in {fold(v) for v in values}:
            return unit_type
    return next((t for t in types if folded == fold(t.replace("_", " "))), None)


def _is_number(text: object) -> bool:
    return parse_number(text) is not None


def _schema(cells: pd.DataFrame, params: Params, spec: InputFile) -> pa.DataFrameSchema:
    """The column-level checks of one table: numbers, scale, whole ranks, known values.

    A provenance cell may be empty only when params give the file's provenance.
    """
    low, high = params.index.scale.min, params.index.scale.max

    def in_scale(text: object) -> bool:
        number = parse_number(text)
        return number is None or low <= number <= high

    rules = {
        "unit": pa.Column(nullable=False),
        "code": pa.Column(nullable=True),
        "score": pa.Column(
            nullable=False,
            checks=[
                pa.Check(_is_number, element_wise=True, name="number"),
                pa.Check(in_scale, element_wise=True, name="in_scale"),
            ],
        ),
        "rank": pa.Column(
            nullable=params.ranking.ties != "official",
            checks=pa.Check(lambda t: parse_rank(t) is not None, element_wise=True, name="rank"),
        ),
        "provenance": pa.Column(
            nullable=spec.provenance is not None,
            checks=pa.Check(lambda t: parse_provenance(t) is not None, element_wise=True, name="provenance"),
        ),
        "component": pa.Column(nullable=False),
        "band": pa.Column(nullable=True),
        "unit_type": pa.Column(
            nullable=False,
            checks=pa.Check(
                lambda t: parse_unit_type(t, params.units) is not None, element_wise=True, name="unit_type"
            ),
        ),
    }
    number = pa.Check(_is_number, element_wise=True, name="number")
    columns = {role: rules.get(role, pa.Column(nullable=True, checks=number)) for role in cells.columns}
    return pa.DataFrameSchema(columns)


def _cell_message(
    role: str, check: str, cell: object, params: Params, default: str | None
) -> tuple[str, str]:
    """Turns one pandera failure case into the problem a user reads."""
    scale = params.index.scale
    if check == "not_nullable":
        what = {
            "unit": "unit name",
            "score": "score",
            "unit_type": "unit type",
            "provenance": "provenance",
            "component": "component",
            "rank": "rank",
        }
        fixes = {
            "component": "write the component's code or name, as in params",
            "unit": "write the unit's name or code, or delete the row",
            "score": "write the unit's score",
            "unit_type": _unit_type_fix(params),
            "rank": f"write the unit's official rank: {params.file.name} sets ranking.ties: official, which "
            "takes every rank from the input",
            "provenance": "write 'published' or 'simulated', or set provenance: published (or simulated) "
            f"for this file in {params.file.name} to say what an empty cell means",
        }
        return f"the {what[role]} is empty", fixes[role]
    if check == "number" and role == "score":
        return f"the score '{cell}' is not a number", "write a number such as 86.07 or 86,07"
    if check == "number":
        return f"the value '{cell}' is not a number", "write a number or leave the cell empty"
    if check == "in_scale":
        return (
            f"the score '{cell}' is outside the scale {scale.min:g} to {scale.max:g}",
            f"correct the score ({_score_example(params)})",
        )
    if check == "rank" and (_whole(cell) or 0) > MAX_RANK:
        return (
            f"the rank '{cell}' is larger than any rank can be (at most {MAX_RANK:,})",
            "write the unit's rank: 1, 2, 3 … up to the number of units ranked, or leave it empty",
        )
    if check == "rank":
        return (
            f"the rank '{cell}' is not a positive whole number",
            "write the rank as 1, 2, 3 … or leave it empty",
        )
    if check == "provenance":
        empty = f", or leave it empty to mean '{default}'" if default else ""
        return f"unknown provenance '{cell}'", f"write 'published' or 'simulated'{empty}"
    if check == "unit_type":
        return f"unknown unit type '{cell}'", _unit_type_fix(params)
    return f"check '{check}' failed for '{cell}'", "correct the cell"


def _unit_type_fix(params: Params) -> str:
    """How to write a unit type cell: the types of the year's params, with the Vietnamese words known."""
    words = {"province": "'province' (tỉnh)", "ministry": "'ministry' (bộ)"}
    named = [words.get(t, f"'{t}'") for t in params.units]
    return "write " + (named[0] if len(named) == 1 else ", ".join(named[:-1]) + " or " + named[-1])


def _score_example(params: Params) -> str:
    """What a score looks like in the index's unit: "a percentage, e.g. 86.07" or "from 0 to 10, e.g. 7.5"."""
    scale = params.index.scale
    if params.unit_label(params.languages[0]) == "%":
        return "a percentage, e.g. 86.07"
    example = scale.min + (scale.max - scale.min) * 0.75
    return f"a score from {scale.min:g} to {scale.max:g}, e.g. {example:g}"


# What each kind of bad cell is called when the problems beyond the first few are counted.
_KINDS = {
    ("unit", "not_nullable"): "empty unit names",
    ("score", "not_nullable"): "empty scores",
    ("unit_type", "not_nullable"): "empty unit types",
    ("provenance", "not_nullable"): "empty provenances",
    ("rank", "not_nullable"): "empty ranks",
    ("score", "number"): "scores that are not numbers",
    ("score", "in_scale"): "scores outside the scale",
    ("rank", "rank"): "ranks that are not positive whole numbers",
    ("provenance", "provenance"): "unknown provenances",
    ("unit_type", "unit_type"): "unknown unit types",
}


def check_cells(
    cells: pd.DataFrame, headers: Mapping[str, str], file: str, params: Params, spec: InputFile
) -> list[Problem]:
    """Checks every cell of a table against the column rules (a pandera schema, lazily).

    Args:
        cells: One column per role (unit, score, rank, provenance, unit_type, components) holding the cells'
            text or None, indexed by the row number a user sees.
        headers: The header as written for each role.
        file: The file as the user named it.
        params: The year's params (scale).
        spec: The input's entry in params (the provenance of empty provenance cells).

    Returns:
        One problem per bad cell, in row order.
    """
    try:
        _schema(cells, params, spec).validate(cells, lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return []
    order = list(cells.columns)
    problems = []
    for case in cases.itertuples(index=False):
        message, fix = _cell_message(case.column, case.check, case.failure_case, params, spec.provenance)
        kind = _KINDS.get((case.column, case.check), "values that are not numbers")
        problem = Problem(file, message, fix, row=int(case.index), column=headers[case.column], kind=kind)
        problems.append((int(case.index), order.index(case.column), problem))
    return [problem for _, _, problem in sorted(problems, key=lambda item: item[:2])]


def check_provenance(cells: pd.DataFrame, file: str, params: Params, spec: InputFile) -> list[Problem]:
    """Reports a file that says nowhere whether its values are published or simulated.

    Nothing is assumed: a file without a provenance column needs `provenance:` in its params entry.

    Args:
        cells: The table's cells by role.
        file: The file as the user named it.
        params: The year's params.
        spec: The input's entry in params.

    Returns:
        One problem when neither the file nor params give the provenance, else none.
    """
    if "provenance" in cells or spec.provenance is not None:
        return []
    return [
        Problem(
            file,
            "no provenance column, and params do not say whether its values are published or simulated",
            "add a column 'provenance' saying published or simulated on every row, or set provenance: "
            f"published (or simulated) for this file in {params.file.name}",
        )
    ]


def check_rank_column(cells: pd.DataFrame, file: str, params: Params) -> list[Problem]:
    """Reports a file without a rank column when the tie rule takes every rank from the inputs.

    Args:
        cells: The table's cells by role.
        file: The file as the user named it.
        params: The year's params (the tie rule).

    Returns:
        One problem when params set `ranking.ties: official` and the file has no rank column, else none.
    """
    if params.ranking.ties != "official" or "rank" in cells:
        return []
    return [
        Problem(
            file,
            f"no rank column, but {params.file.name} sets ranking.ties: official, which takes every rank "
            "from the input",
            "add the official ranks in a column 'Xếp hạng' (or 'Rank'; or name it with columns.rank), or "
            "set "
            "ranking.ties: rounded (or unrounded) to compute the ranks from the scores",
        )
    ]


def resolve_units(
    cells: pd.DataFrame,
    headers: Mapping[str, str],
    file: str,
    params: Params,
    spec: InputFile,
    unit_sets: Mapping[str, UnitSet],
) -> tuple[pd.DataFrame, list[Problem]]:
    """Finds the unit each row names, in the set params give for the row's unit type.

    Args:
        cells: The table's cells by role, indexed by row number.
        headers: The header as written for each role.
        file: The file as the user named it.
        params: The year's params.
        spec: The input's entry in params (its unit type).
        unit_sets: The unit set of each unit type params name.

    Returns:
        A frame indexed by row number with columns unit_type and code (None where unresolved), and one
        problem per unknown or ambiguous name, and per code (in a code column beside the names) that is
        unknown or gives another unit than the name.
    """
    problems = []
    types, codes = [], []
    for row, name in cells["unit"].items():
        unit_type = (
            spec.unit_type
            if spec.unit_type != "column"
            else parse_unit_type(cells.at[row, "unit_type"], unit_sets)
        )
        code = None
        if unit_type is not None and name is not None and not pd.isna(name):
            if unit_type not in unit_sets:
                problems.append(
                    Problem(
                        file,
                        f"this row is a {unit_type}, but params name no {unit_type} unit set",
                        f"add units.{unit_type} to {params.file.name}",
                        row=int(row),
                        column=headers.get("unit_type"),
                    )
                )
            else:
                try:
                    code = _resolve(unit_sets[unit_type], str(name)).code
                except UnitNameError as error:
                    problems.append(
                        Problem(
                            file,
                            error.message,
                            error.fix,
                            row=int(row),
                            column=headers["unit"],
                            kind=f"{error.reason} unit names",
                        )
                    )
                if "code" in cells:
                    problems += _check_code(
                        cells.at[row, "code"], code, unit_sets[unit_type], headers, file, row
                    )
        types.append(unit_type)
        codes.append(code)
    return pd.DataFrame({"unit_type": types, "code": codes}, index=cells.index, dtype=object), problems


def _check_code(
    given: object, code: str | None, unit_set: UnitSet, headers: Mapping[str, str], file: str, row: object
) -> list[Problem]:
    """The problem of a row whose code column is unknown or gives another unit than its name column."""
    if given is None or pd.isna(given):
        return []
    try:
        by_code = _resolve(unit_set, str(given))
    except UnitNameError as error:
        kind = f"{error.reason} codes"
        return [Problem(file, error.message, error.fix, row=int(row), column=headers["code"], kind=kind)]
    if code is None or by_code.code == code:
        return []
    by_name = unit_set.by_code[code]
    return [
        Problem(
            file,
            f"the code '{given}' is {by_code.name_vi} ({by_code.code}), but column '{headers['unit']}' names "
            f"{by_name.name_vi} ({by_name.code})",
            "correct the code or the name: both must give the same unit",
            row=int(row),
            column=headers["code"],
            kind="codes that contradict the names",
        )
    ]


def _resolve(unit_set: UnitSet, name: str) -> Unit:
    """Resolves a name, also a code that lost its leading zero in a spreadsheet (1 for 01)."""
    try:
        return unit_set.resolve(name)
    except UnitNameError:
        if name.strip().isdigit() and len(name.strip()) == 1:
            padded = name.strip().zfill(2)
            if padded in unit_set.by_code:
                return unit_set.by_code[padded]
        raise


def check_duplicates(rows: pd.DataFrame, unit_sets: Mapping[str, UnitSet]) -> list[Problem]:
    """Reports every unit given more than once, naming both rows.

    Args:
        rows: One row per data row of a group of files, with columns file, row, unit_cell, unit_header,
            unit_type and code (None where unresolved).
        unit_sets: The unit set of each unit type.

    Returns:
        One problem per repeated row.
    """
    problems = []
    seen: dict[tuple[str, str], object] = {}
    for entry in rows.itertuples(index=False):
        if pd.isna(entry.code) or pd.isna(entry.unit_type):
            continue
        key = (entry.unit_type, entry.code)
        if key not in seen:
            seen[key] = entry
            continue
        first = seen[key]
        where = f"row {first.row}" if first.file == entry.file else f"{first.file} row {first.row}"
        official = unit_sets[entry.unit_type].by_code[entry.code].name_vi
        problems.append(
            Problem(
                entry.file,
                f"duplicate unit: '{entry.unit_cell}' here and '{first.unit_cell}' in {where} are both "
                f"{official}",
                "keep one row per unit",
                row=int(entry.row),
                column=entry.unit_header,
                kind="duplicate units",
            )
        )
    return problems


def check_missing(
    rows: pd.DataFrame, unit_sets: Mapping[str, UnitSet], expected: Sequence[str]
) -> list[Problem]:
    """Reports the units of each expected unit type's set that no row gives.

    Args:
        rows: The group's rows, with columns file, unit_type and code.
        unit_sets: The unit set of each unit type.
        expected: The unit types the group must hold in full.

    Returns:
        One problem per unit type with missing units, listing them by name.
    """
    problems = []
    for unit_type in expected:
        unit_set = unit_sets[unit_type]
        own = rows[rows["unit_type"] == unit_type]
        files = ", ".join(dict.fromkeys(own["file"] if len(own) else rows["file"]))
        given = set(own["code"].dropna())
        missing = [u.name_vi for u in unit_set.units if u.code not in given]
        if missing:
            names = ", ".join(f"'{n}'" for n in missing)
            count = f"{len(missing)} unit{'s' if len(missing) != 1 else ''}"
            problems.append(
                Problem(
                    files,
                    f"{count} of {unit_set.name} missing: {names}",
                    "add a row for each of them (or name another unit set in params)",
                    kind="missing units",
                )
            )
    return problems


_RULES = {
    "rounded": "ranks are 1-2-2-4 on scores rounded to {decimals} decimals, highest first",
    "unrounded": "ranks are 1-2-2-4 on the scores as given, not rounded, highest first",
}


def check_ranks(rows: pd.DataFrame, decimals: int, ties: Ties = "rounded") -> list[Problem]:
    """Compares each given rank with the scores, by the tie rule in force.

    Under "rounded" and "unrounded" each given rank must equal the competition rank (1-2-2-4) of its score,
    rounded to `decimals` or as given. Under "official" the given ranks are the ranks: a unit with a higher
    score may not have a worse rank than a unit with a lower score (equal ranks are allowed where given).

    Args:
        rows: The rows of one unit type, complete and with every score read: columns file, row, score,
            rank (Int64, <NA> where absent or unreadable), rank_header and unit_cell.
        decimals: The decimals scores are published with.
        ties: The tie rule, "rounded", "unrounded" or "official".

    Returns:
        One problem per rank that contradicts the scores.
    """
    if ties == "official":
        return _official_conflicts(rows)
    implied = competition_rank(rows["score"], decimals if ties == "rounded" else None)
    rule = _RULES[ties].format(decimals=decimals)
    problems = []
    for index, entry in rows.iterrows():
        if pd.isna(entry["rank"]) or entry["rank"] == implied[index]:
            continue
        problems.append(
            Problem(
                entry["file"],
                f"the rank {entry['rank']} contradicts the scores: a score of {entry['score']:g} ranks "
                f"{implied[index]}",
                f"write rank {implied[index]}, or correct the score ({rule})",
                row=int(entry["row"]),
                column=entry["rank_header"],
                kind="ranks that contradict the scores",
            )
        )
    return problems


def _official_conflicts(rows: pd.DataFrame) -> list[Problem]:
    """One problem per official rank worse than that of a unit with a lower score."""
    given = rows.dropna(subset=["rank"])
    problems = []
    for index, other in order_conflicts(given["score"], given["rank"]):
        entry, rival = given.loc[index], given.loc[other]
        where = (
            f"row {rival['row']}" if rival["file"] == entry["file"] else f"{rival['file']} row {rival['row']}"
        )
        problems.append(
            Problem(
                entry["file"],
                f"the rank {entry['rank']} contradicts the order of the scores: '{entry['unit_cell']}' "
                f"scores {entry['score']:g}, above '{rival['unit_cell']}' ({where}), which scores "
                f"{rival['score']:g} and ranks {rival['rank']}",
                "correct the rank or the score of one of them: under ranking.ties: official the ranks are "
                "taken from the input, and a higher score never has a worse rank",
                row=int(entry["row"]),
                column=entry["rank_header"],
                kind="ranks that contradict the order of the scores",
            )
        )
    return problems


def check_bands(rows: pd.DataFrame, params: Params) -> list[Problem]:
    """Compares each official group (band) an input gives with the band of the unit's score.

    A group is matched with a band by its key or its label in any language, after folding (case and
    accents aside). The score is banded as published: rounded half-up to `index.decimals` first.

    Args:
        rows: The rows of a group of files, with columns file, row, code, score, band_cell and band_header
            (band_cell None where a file has no group column).
        params: The year's params (bands, decimals).

    Returns:
        One problem per group that names no band of the year, and per group that is not the score's band.
    """
    if "band_cell" not in rows or rows["band_cell"].isna().all():
        return []
    bands = params.bands
    names = {fold(name): band for band in bands for name in band.names()}
    rule = _band_rule(bands, params.index.scale.min)
    decimals = params.index.decimals
    problems = []
    for entry in rows.to_dict("records"):
        given = entry["band_cell"]
        if given is None or pd.isna(given) or pd.isna(entry["code"]) or pd.isna(entry["score"]):
            continue
        band = names.get(fold(given))
        computed = band_of(round_half_up(entry["score"], decimals), bands)
        if band is not None and band.key == computed:
            continue
        if band is None:
            message = f"the group '{given}' is not a band of {params.year} (bands: {rule})"
            fix = (
                f"write the band of the score, '{computed}', or add the group to bands in {params.file.name}"
            )
            kind = "unknown groups"
        else:
            message = (
                f"the group '{given}' contradicts the score: a score of {entry['score']:g} is in band "
                f"'{computed}' (bands of {params.year}: {rule})"
            )
            fix = (
                f"write '{computed}', or correct the score, or correct the band limits in {params.file.name} "
                f"(scores are rounded to {decimals} decimals before banding)"
            )
            kind = "groups that contradict the scores"
        problems.append(
            Problem(
                entry["file"], message, fix, row=int(entry["row"]), column=entry["band_header"], kind=kind
            )
        )
    return problems


def _band_rule(bands: Sequence[Band], scale_min: float) -> str:
    """The bands in symbols, for messages: "A ≥ 90, B 80–<90, C < 80"."""
    parts = []
    for i, band in enumerate(bands):
        if i == 0:
            parts.append(f"{band.key} ≥ {band.min:g}")
        elif band.min <= scale_min:
            parts.append(f"{band.key} < {bands[i - 1].min:g}")
        else:
            parts.append(f"{band.key} {band.min:g}–<{bands[i - 1].min:g}")
    return ", ".join(parts)


def check_group(
    rows: pd.DataFrame,
    unit_sets: Mapping[str, UnitSet],
    expected: Sequence[str],
    decimals: int,
    ties: Ties = "rounded",
    scale: Scale | None = None,
) -> list[Problem]:
    """Checks a group of files that together hold a year's results: duplicates, missing units, ranks.

    Ranks are compared with the scores only for a unit type whose rows all name a unit and a readable score
    (inside `scale`), with no unit repeated or missing: otherwise every rank below a gap, or displaced by a
    score already refused, would be reported.

    Args:
        rows: One row per data row of the group's files, with columns file, row, unit_cell, unit_header,
            unit_type, code, score, rank and rank_header.
        unit_sets: The unit set of each unit type.
        expected: The unit types the group must hold in full.
        decimals: The decimals scores are published with.
        ties: The tie rule ranks are checked by.
        scale: The index's scale: a score outside it is refused where it is read.

    Returns:
        The problems found.
    """
    duplicates = check_duplicates(rows, unit_sets)
    missing = check_missing(rows, unit_sets, expected)
    problems = duplicates + missing
    for unit_type in expected:
        own = rows[rows["unit_type"] == unit_type]
        scores = own["score"]
        readable = scores.notna().all() and (scale is None or scores.between(scale.min, scale.max).all())
        complete = readable and own["code"].notna().all() and len(own) == len(unit_sets[unit_type])
        if complete and not own["code"].duplicated().any() and own["rank"].notna().any():
            problems += check_ranks(own, decimals, ties)
    return problems


COMPONENT_COLUMNS = ["unit_type", "code", "component", "score", "provenance"]
_PLACES = ["file", "row", "column"]
_COMPONENT_ROLE = "component:"


def empty_components() -> pd.DataFrame:
    """A long table of components with no rows: unit_type, code, component, score, provenance."""
    return pd.DataFrame({c: pd.Series(dtype=float if c == "score" else object) for c in COMPONENT_COLUMNS})


def without_places(parts: pd.DataFrame) -> pd.DataFrame:
    """A long table of components without the file, row and column each value was read from."""
    return parts.drop(columns=[c for c in _PLACES if c in parts]).reset_index(drop=True)


def component_label(component: Component) -> str:
    """A component's name in the (English) messages: its English name, else its first name, else its code."""
    if isinstance(component.name, dict):
        return component.name.get("en") or next(iter(component.name.values()), component.code)
    return component.name or component.code


def components_of_rows(
    rows: pd.DataFrame, headers: Mapping[str, str], spec: InputFile, components: Sequence[Component]
) -> tuple[pd.DataFrame, list[Problem]]:
    """The component values of one file's rows, each checked against its component's maximum.

    Args:
        rows: The file's typed rows (from ingest): file, row, unit_type, code, score, provenance, and for a
            wide file one column per component given (role "component:<code>"), for a long file
            component_cell.
        headers: The header as written for each role.
        spec: The file's entry in params (its layout).
        components: The components the file may give.

    Returns:
        A long table (unit_type, code, component, score, provenance, file, row, column) of the values that
        were read, and one problem per value outside 0 and its maximum and per unknown component.
    """
    known = {(c.unit_type, c.code): c for c in components}
    records, problems = [], []
    for entry in rows.to_dict("records"):
        if entry["code"] is None or pd.isna(entry["code"]):
            continue
        if spec.layout == "long":
            given = [
                (_long_component(entry, components, headers, problems), entry["score"], headers["score"])
            ]
        else:
            given = [
                (role.removeprefix(_COMPONENT_ROLE), entry[role], headers[role])
                for role in rows.columns
                if role.startswith(_COMPONENT_ROLE)
            ]
        for code, value, column in given:
            component = known.get((entry["unit_type"], code))
            if component is None or value is None or pd.isna(value):
                continue
            problems += _out_of_range(component, value, entry["file"], entry["row"], column)
            records.append(
                (
                    entry["unit_type"],
                    entry["code"],
                    code,
                    value,
                    entry["provenance"],
                    entry["file"],
                    entry["row"],
                    column,
                )
            )
    return pd.DataFrame(
        records, columns=COMPONENT_COLUMNS + _PLACES
    ) if records else _empty_placed(), problems


def _empty_placed() -> pd.DataFrame:
    frame = empty_components()
    for column in _PLACES:
        frame[column] = pd.Series(dtype=object)
    return frame


def _long_component(
    entry: dict, components: Sequence[Component], headers: Mapping[str, str], problems: list[Problem]
) -> str | None:
    """The code of the component a long table's row names (by code or name), or None with a problem."""
    cell = entry["component_cell"]
    own = [c for c in components if c.unit_type == entry["unit_type"]]
    names = {}
    for component in own:
        labels = [component.code, component.name] if isinstance(component.name, str) else [component.code]
        labels += list(component.name.values()) if isinstance(component.name, dict) else []
        names.update({fold(label): component.code for label in (*labels, *component.headers)})
    if cell is not None and not pd.isna(cell) and fold(cell) in names:
        return names[fold(cell)]
    listed = ", ".join(f"{c.code} ({component_label(c)})" for c in own) or "none"
    close = difflib.get_close_matches(fold(cell or ""), list(names), n=1, cutoff=0.6)
    hint = f"did you mean '{names[close[0]]}'? " if close else ""
    problems.append(
        Problem(
            entry["file"],
            f"'{cell}' is not a component of the {entry['unit_type']}s this year"
            if cell is not None and not pd.isna(cell)
            else "the component is empty",
            f"{hint}write one of the components in params: {listed}",
            row=int(entry["row"]),
            column=headers["component"],
            kind="unknown components",
        )
    )
    return None


def _out_of_range(component: Component, value: float, file: str, row: int, column: str) -> list[Problem]:
    """The problem of a component value below 0 or above its maximum (when the maximum is known)."""
    top = component.max
    if value >= 0 and (top is None or value <= top):
        return []
    limit = f"0 to {top:g}" if top is not None else "0 or more"
    return [
        Problem(
            file,
            f"the component '{component_label(component)}' is {value:g}, outside {limit} points",
            f"correct the value: this component counts from 0 to {top:g} points"
            if top is not None
            else "correct the value: a component's points are never negative",
            row=int(row),
            column=column,
            kind="components outside their range",
        )
    ]


def sum_tolerance(decimals: int, parts: int) -> float:
    """How far printed parts may sum from their printed total: half a unit of the last decimal per part."""
    return 0.5 * 10 ** (-decimals) * parts


def check_component_sums(
    rows: pd.DataFrame, parts: pd.DataFrame, params: Params, companion: bool = False
) -> list[Problem]:
    """Reports each unit whose components do not sum to its score, within the printed rounding.

    A unit is checked when every component of its unit type is given. The components may differ from the
    score by half a unit of the last printed decimal times the number of parts (0.02 for four parts printed
    with two decimals).

    Args:
        rows: The rows giving the totals: file, row, unit_type, code, score, unit_header.
        parts: The long table of the components read (with their file and row).
        params: The year's params (components, decimals).
        companion: Whether the rows are the companion index's.

    Returns:
        One problem per unit whose components do not add up, at the row and column of its score.
    """
    decimals = params.index.decimals
    problems = []
    given = {key: group for key, group in parts.groupby(["unit_type", "code"])} if len(parts) else {}
    for entry in rows.to_dict("records"):
        key = (entry["unit_type"], entry["code"])
        if key not in given or entry["score"] is None or pd.isna(entry["score"]):
            continue
        expected = {c.code for c in params.components_of(entry["unit_type"], companion)}
        found = given[key].drop_duplicates("component")
        if set(found["component"]) != expected:
            continue
        total = float(found["score"].sum())
        allowed = sum_tolerance(decimals, len(expected))
        if abs(total - entry["score"]) <= allowed + 1e-9:
            continue
        score = entry["score"]  # with the index's decimals (83.00), or as many as it has (83.005)
        written = f"{score:.{decimals}f}" if round(score, decimals) == score else f"{score:g}"
        problems.append(
            Problem(
                entry["file"],
                f"the {len(expected)} components sum to {total:.{decimals + 1}f}, but the score is "
                f"{written}: they may differ by at most {allowed:g} (half a unit of the last "
                "decimal per part)",
                "correct the components or the score: the components of a score add up to it",
                row=int(entry["row"]),
                column=entry.get("score_header") or "score",
                kind="components that do not sum to the score",
            )
        )
    return problems
