"""Tile layouts: one equal square per unit, placed by geography, for the maps of a unit set."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from parindex.data.units import Unit, available_sets, load_unit_set
from parindex.errors import InputError, Problem

COLUMNS = ("code", "row", "col", "label")
"""The columns of a tile layout: the unit's code, its row (0 at the top, north), column (0 at the left,
west) and the short label written on its tile (empty for the register's short name)."""


@dataclass(frozen=True)
class Tile:
    """One unit's square on a tile map."""

    code: str
    row: int
    col: int
    label: str


@dataclass(frozen=True)
class TileLayout:
    """Where each unit of a set sits on a tile map.

    Attributes:
        set_name: The unit set the layout is for.
        file: The layout's file.
        tiles: One tile per unit of the set, in the file's order.
    """

    set_name: str
    file: str
    tiles: tuple[Tile, ...]

    @cached_property
    def by_code(self) -> dict[str, Tile]:
        return {tile.code: tile for tile in self.tiles}

    @property
    def rows(self) -> int:
        """The number of rows the tiles span."""
        return max(tile.row for tile in self.tiles) + 1

    @property
    def cols(self) -> int:
        """The number of columns the tiles span."""
        return max(tile.col for tile in self.tiles) + 1

    def __len__(self) -> int:
        return len(self.tiles)


def layout_file(units_dir: Path, set_name: str) -> Path | None:
    """The tile layout a unit set names in sets.yaml (its `tiles` key), or None when it names none.

    Raises:
        InputError: sets.yaml cannot be read.
    """
    spec = available_sets(units_dir).get(set_name) or {}
    tiles = spec.get("tiles")
    return units_dir / str(tiles) if tiles else None


def load_tiles(units_dir: Path, set_name: str) -> TileLayout | None:
    """Loads the tile layout of a unit set, checked against the set's register.

    Args:
        units_dir: The folder of sets.yaml and the registers (data/units).
        set_name: A unit set of sets.yaml, e.g. "provinces_63".

    Returns:
        The layout, or None when the set has no `tiles` key (such a set has no map).

    Raises:
        InputError: The set or its layout is invalid; every problem is listed with its row and fix.
    """
    file = layout_file(units_dir, set_name)
    if file is None:
        return None
    units = load_unit_set(units_dir, set_name, "province").units
    return load_layout(file, units, set_name)


def load_layout(file: Path, units: Sequence[Unit], set_name: str) -> TileLayout:
    """Reads a tile layout and checks it covers every unit exactly once, with no two tiles in one place.

    Args:
        file: The layout, a CSV file with the columns code, row, col and label.
        units: The units of the set it is for.
        set_name: The set's name, for the messages.

    Returns:
        The layout; a tile without a label gets the unit's short name.

    Raises:
        InputError: The file is missing or unreadable, a column is missing, a row or column is not a whole
            number of at least 0, a code is not a unit of the set or has two tiles, two tiles share a place,
            or a unit has no tile.
    """
    where = str(file)
    records = _read(file)
    missing = [c for c in COLUMNS[:3] if c not in records[0]] if records else list(COLUMNS[:3])
    if missing:
        message = f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}"
        raise InputError([Problem(where, message, "write the header code,row,col,label")])
    known = {unit.code: unit for unit in units}
    tiles, problems = _tiles(records[1:], known, set_name, where)
    listed = {record.get("code", "") for record in records[1:]}
    problems += _missing(listed, units, set_name, where)
    if problems:
        raise InputError(problems)
    return TileLayout(set_name, where, tuple(tiles))


def _read(file: Path) -> list[dict[str, str]]:
    """The header (as a mapping of names to themselves) and the rows of a layout, cells stripped."""
    try:
        with open(file, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except OSError as error:
        fix = "create the file, or correct the set's 'tiles' key in sets.yaml"
        message = f"cannot read the tile layout: {error.strerror}"
        raise InputError([Problem(str(file), message, fix)]) from None
    except UnicodeDecodeError:
        raise InputError([Problem(str(file), "not UTF-8 text", "save the file as UTF-8")]) from None
    if not rows:
        return []
    header = [cell.strip() for cell in rows[0]]
    records = [dict(zip(header, header, strict=True))]
    records += [dict(zip(header, (cell.strip() for cell in row), strict=False)) for row in rows[1:] if row]
    return records


def _tiles(
    records: list[dict[str, str]], known: dict[str, Unit], set_name: str, where: str
) -> tuple[list[Tile], list[Problem]]:
    """The layout's tiles and the problems of its rows (spreadsheet numbering: the header is row 1)."""
    tiles: list[Tile] = []
    problems: list[Problem] = []
    first_row: dict[str, int] = {}
    placed: dict[tuple[int, int], tuple[str, int]] = {}
    for number, record in enumerate(records, start=2):
        code = record.get("code", "")
        place = [_whole(record.get(column, ""), column, number, where) for column in ("row", "col")]
        bad = [p for p in place if isinstance(p, Problem)]
        problems += bad
        if code not in known:
            problems.append(_unknown(code, known, set_name, where, number))
            continue
        if code in first_row:
            message = f"unit {code} ({known[code].name_vi}) already has a tile in row {first_row[code]}"
            problems.append(Problem(where, message, "keep one row per unit: remove this one", number, "code"))
            continue
        first_row[code] = number
        if bad:
            continue
        spot = (int(place[0]), int(place[1]))
        if spot in placed:
            other, other_row = placed[spot]
            message = (
                f"the tile of {code} ({known[code].name_vi}) is on the tile of {other} "
                f"({known[other].name_vi}, row {other_row}): both at row {spot[0]}, col {spot[1]}"
            )
            problems.append(Problem(where, message, "move one of the two tiles to a free place", number))
            continue
        placed[spot] = (code, number)
        tiles.append(Tile(code, spot[0], spot[1], record.get("label", "") or known[code].short_vi))
    return tiles, problems


def _whole(text: str, column: str, number: int, where: str) -> int | Problem:
    """A row or column place: a whole number of at least 0, or the problem with it."""
    if text.isdigit():
        return int(text)
    message = f"{column} '{text}' is not a whole number of at least 0"
    return Problem(where, message, f"write the tile's {column}, counted from 0", number, column)


def _unknown(code: str, known: dict[str, Unit], set_name: str, where: str, number: int) -> Problem:
    """The problem of a code that is not a unit of the set, suggesting the zero-padded code when it is."""
    padded = code.zfill(2)
    if padded != code and padded in known:
        fix = f"write the code as text with its leading zero: '{padded}' ({known[padded].name_vi})"
    else:
        fix = f"use a code of the set '{set_name}' or remove the row"
    return Problem(where, f"code '{code}' is not a unit of the set '{set_name}'", fix, number, "code")


def _missing(listed: set[str], units: Sequence[Unit], set_name: str, where: str) -> list[Problem]:
    """A problem for each unit of the set the layout has no row for."""
    return [
        Problem(
            where,
            f"unit {unit.code} ({unit.name_vi}) of the set '{set_name}' has no tile",
            f"add a row {unit.code},<row>,<col>,<label> at a free place",
        )
        for unit in units
        if unit.code not in listed
    ]
