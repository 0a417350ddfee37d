"""Units: the registers of provinces and ministries, the sets a year ranks, and matching names to units."""

from __future__ import annotations

import copy
import csv
import dataclasses
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import yaml

from parindex.errors import InputError, Problem

if TYPE_CHECKING:
    import pandas as pd

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212-"
_PUNCT = re.compile("[\\s.,;:()/'\u2019`\"&_" + _DASHES + "]+")
# Words that say what kind of unit follows or precedes a name, never part of the name itself.
_PREFIXES = ("thanh pho", "tinh", "tp", "city of", "province of", "the")
_SUFFIXES = ("city", "province", "municipality")


def fold(text: str) -> str:
    """Reduces a name to a comparison key: no diacritics, case, punctuation, dashes or prefixes.

    Args:
        text: A unit name as it arrived (NFC or NFD, any tone-mark placement, any case).

    Returns:
        Lower-case ASCII words separated by single spaces, e.g. "Tỉnh Thừa Thiên - Huế" -> "thua thien hue".
    """
    return _fold(str(text))


@functools.lru_cache(maxsize=1 << 16)  # the same few hundred names and headers are folded again and again
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text).replace("Đ", "D").replace("đ", "d")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("Ð", "D").replace("ð", "d")  # Icelandic eth, a common look-alike of Đ
    words = _PUNCT.sub(" ", text.casefold()).split()
    changed = True
    while changed and len(words) > 1:
        changed = False
        for prefix in _PREFIXES:
            head = prefix.split()
            if words[: len(head)] == head and len(words) > len(head):
                words, changed = words[len(head) :], True
        for suffix in _SUFFIXES:
            if words[-1] == suffix and len(words) > 1:
                words, changed = words[:-1], True
    return " ".join(words)


# A "k" that is not followed by i, e, y (where Vietnamese spelling wants k) or h (the letter kh): official
# tables write the same sound k or c there ("Bắc Kạn" and "Bắc Cạn", "Đắk Lắk" and "Đắc Lắc", "Kon Tum").
_K_AS_C = re.compile("k(?![ieyh])")
# The columns every register has; short_vi, name_ascii, kind and region are optional.
REGISTER_COLUMNS = ("code", "name_vi", "name_en")


def _key(text: str) -> str:
    """The matching key: the folded name without spaces, so "Hanoi" meets "Ha Noi".

    A "k" that official tables also spell c (before a, o, u and at the end of a syllable) becomes c, so
    "Bắc Cạn" meets "Bắc Kạn".
    """
    return _K_AS_C.sub("c", fold(text)).replace(" ", "")


@dataclass(frozen=True)
class Unit:
    """One ranked unit: a province or city, or a ministry or ministerial-level agency."""

    code: str
    name_vi: str
    short_vi: str
    name_en: str
    unit_type: str
    kind: str
    region: str | None = None


@dataclass(frozen=True)
class Former:
    """A unit that a set no longer holds, and the units of the set it became part of.

    Attributes:
        name_vi: Its Vietnamese name, e.g. "Hà Tây".
        spellings: The names and code it is matched by.
        became: The codes, in the set, of the units it became part of.
        since: The day it ceased to be a unit, e.g. "1 August 2008".
        source: The act that made the change, e.g. "Resolution 15/2008/QH12".
    """

    name_vi: str
    spellings: tuple[str, ...]
    became: tuple[str, ...]
    since: str
    source: str


@dataclass(frozen=True)
class UnitSet:
    """The units one year ranks for one unit type, and how their names are matched.

    Attributes:
        name: The set's name in data/units/sets.yaml, e.g. "provinces_63".
        unit_type: "province" or "ministry".
        units: The units, in register order.
        aliases: Extra spellings per unit code, beyond what folding already matches.
        former: The units that were merged into the set's units, so that their names are answered with
            what they became.
    """

    name: str
    unit_type: str
    units: tuple[Unit, ...]
    aliases: tuple[tuple[str, str], ...] = ()
    former: tuple[Former, ...] = ()

    @cached_property
    def by_code(self) -> dict[str, Unit]:
        return {u.code: u for u in self.units}

    @cached_property
    def _index(self) -> dict[str, set[str]]:
        index: dict[str, set[str]] = {}
        for unit in self.units:
            for spelling in (unit.code, unit.name_vi, unit.short_vi, unit.name_en):
                index.setdefault(_key(spelling), set()).add(unit.code)
        for code, alias in self.aliases:
            if code in self.by_code:
                index.setdefault(_key(alias), set()).add(code)
        return index

    @cached_property
    def _former_index(self) -> dict[str, Former]:
        return {_key(spelling): f for f in reversed(self.former) for spelling in f.spellings}

    def __len__(self) -> int:
        return len(self.units)

    def resolve(self, name: str) -> Unit:
        """Finds the one unit a name means.

        Args:
            name: A unit name or code as it arrived.

        Returns:
            The unit.

        Raises:
            UnitNameError: The name matches no unit, or more than one, or a former unit.
        """
        key = _key(name)
        codes = self._index.get(key, set())
        if len(codes) == 1:
            return self.by_code[next(iter(codes))]
        if len(codes) > 1:
            raise UnitNameError(name, "ambiguous", self._names(sorted(codes)))
        former = self._former_index.get(key)
        if former is not None:
            raise UnitNameError(name, "former", self._names(list(former.became)), former)
        partial = self._partial(name)
        if len(partial) > 1:
            raise UnitNameError(name, "ambiguous", self._names(partial))
        raise UnitNameError(name, "unknown", self._names(partial or self._closest(key)))

    def _partial(self, name: str) -> list[str]:
        """Codes of units whose name contains the given words as a whole-word run."""
        words = fold(name)
        if not words:
            return []
        pattern = re.compile(r"(^| )" + re.escape(words) + r"( |$)")
        return [u.code for u in self.units if any(pattern.search(fold(n)) for n in (u.name_vi, u.name_en))]

    def _closest(self, key: str) -> list[str]:
        found = difflib.get_close_matches(key, list(self._index), n=6, cutoff=0.6)
        codes: list[str] = []
        for k in found:
            for code in sorted(self._index[k]):
                if code not in codes:
                    codes.append(code)
        return codes[:3]

    def _names(self, codes: list[str]) -> list[str]:
        return [self.by_code[c].name_vi for c in codes]

    def frame(self) -> pd.DataFrame:
        """The set as a table: code, name, short_name, name_en, kind, region."""
        import pandas as pd

        return pd.DataFrame(
            {
                "code": [u.code for u in self.units],
                "name": [u.name_vi for u in self.units],
                "short_name": [u.short_vi for u in self.units],
                "name_en": [u.name_en for u in self.units],
                "kind": [u.kind for u in self.units],
                "region": [u.region for u in self.units],
            }
        )


class UnitNameError(ValueError):
    """A name that matches no unit, or several."""

    def __init__(self, name: str, reason: str, candidates: list[str], former: Former | None = None):
        self.name, self.reason, self.candidates = name, reason, candidates
        if former is not None:
            became = _and(candidates)
            how = f"merged into {became}" if len(candidates) == 1 else f"divided among {became}"
            message = f"'{name}' is no longer a unit: {former.name_vi} was {how} on {former.since}"
            message += f" ({former.source})" if former.source else ""
            fix = (
                f"write {_or(candidates)}; for a table of the years before {former.since[-4:]}, name in "
                f"params a unit set that still has {former.name_vi}"
            )
        elif reason == "ambiguous":
            message = f"'{name}' is ambiguous: it could be {_or(candidates)}"
            fix = "write the unit's full name"
        else:
            message = f"'{name}' is not a unit of this set"
            fix = (
                f"did you mean {_or(candidates)}?" if candidates else "write the unit's official name or code"
            )
        self.message, self.fix = message, fix
        super().__init__(message)


def _or(names: list[str], word: str = "or") -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" {word} " + quoted[-1]


def _and(names: list[str]) -> str:
    return _or(names, "and")


@dataclass(frozen=True)
class Regions:
    """The socio-economic regions: code to Vietnamese, English and short English name, in published order."""

    names_vi: dict[str, str]
    names_en: dict[str, str]
    short_en: dict[str, str]

    def name(self, code: str, language: str, short: bool = False) -> str:
        """A region's name in a language ("vi", or another, which reads English); the code if unknown.

        Args:
            code: The region's code, e.g. "RRD".
            language: The language code.
            short: The short English name, for charts and narrow columns (Vietnamese has one form).

        Returns:
            E.g. "Đồng bằng sông Hồng" or "Red River Delta".
        """
        if language == "vi":
            return self.names_vi.get(code, code)
        return (self.short_en if short else self.names_en).get(code, code)


def regions_file(units_dir: Path, set_name: str | None = None) -> Path | None:
    """The file of a unit set's regions: the one its `regions` names in sets.yaml, else regions.csv.

    Args:
        units_dir: The folder holding sets.yaml and the registers.
        set_name: The unit set; None for regions.csv of the folder.

    Returns:
        The file, or None when it does not exist.
    """
    spec = available_sets(units_dir).get(set_name, {}) if set_name is not None else {}
    path = units_dir / str(spec.get("regions", "regions.csv"))
    return path if path.is_file() else None


def load_regions(units_dir: Path, set_name: str | None = None) -> Regions:
    """Reads the regions of a unit set: the file its `regions` names in sets.yaml, else regions.csv.

    The short_en column is optional (name_en stands in). A set whose units have no region has no regions.

    Args:
        units_dir: The folder holding sets.yaml and the registers.
        set_name: The unit set; None reads regions.csv of the folder.

    Returns:
        The regions, in the file's order; none when the folder has no such file.
    """
    path = regions_file(units_dir, set_name)
    if path is None:
        return Regions({}, {}, {})
    rows = _read_table(path).rows
    return Regions(
        {row["code"]: row["name_vi"] for row in rows},
        {row["code"]: row["name_en"] for row in rows},
        {row["code"]: row.get("short_en", row["name_en"]) for row in rows},
    )


_SETS_READ: dict[str, object] = {}  # the content of each sets.yaml read, by its text


def _read_sets(handle: TextIO) -> object:
    """The content of an open sets.yaml; a text read before is not parsed again."""
    text = handle.read()
    if text not in _SETS_READ:
        _SETS_READ[text] = yaml.safe_load(text) or {}
    return copy.deepcopy(_SETS_READ[text])


def available_sets(units_dir: Path) -> dict[str, dict]:
    """The unit sets defined in data/units/sets.yaml, by name.

    Raises:
        InputError: sets.yaml is missing, is not YAML, or is not a mapping of sets each naming a register.
    """
    sets_file = units_dir / "sets.yaml"
    where = str(sets_file)
    try:
        with open(sets_file, encoding="utf-8") as handle:
            sets = _read_sets(handle)
    except OSError as error:
        fix = "point units_dir in params at the folder of the unit sets and registers (e.g. data/units)"
        raise InputError([Problem(where, f"cannot read the unit sets: {error.strerror}", fix)]) from None
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError) as error:
        message = f"not valid YAML: {getattr(error, 'problem', None) or type(error).__name__}"
        raise InputError([Problem(where, message, "fix the syntax")]) from None
    fix = "write each set as <name>: {register: <file>.csv, codes: all}"
    if not isinstance(sets, dict):
        raise InputError([Problem(where, "expected a mapping of unit sets by name", fix)])
    bad = [str(name) for name, spec in sets.items() if not isinstance(spec, dict) or "register" not in spec]
    if bad:
        names = ", ".join(f"'{n}'" for n in bad)
        raise InputError([Problem(where, f"sets that name no register: {names}", fix)])
    return sets


def load_unit_set(units_dir: Path, set_name: str, unit_type: str) -> UnitSet:
    """Loads one unit set from data/units.

    Args:
        units_dir: The folder holding sets.yaml, the registers and aliases.csv.
        set_name: A key of sets.yaml.
        unit_type: "province" or "ministry", recorded on every unit.

    Returns:
        The unit set, with its aliases.

    Raises:
        InputError: The set or a code it names does not exist.
    """
    sets_file = units_dir / "sets.yaml"
    sets = available_sets(units_dir)
    if set_name not in sets:
        raise InputError(
            [Problem(str(sets_file), f"no unit set named '{set_name}'", f"use one of: {', '.join(sets)}")]
        )
    spec = sets[set_name]
    register_file = units_dir / spec["register"]
    if not register_file.is_file():
        message = f"set '{set_name}' names the register {spec['register']}, which does not exist"
        raise InputError([Problem(str(sets_file), message, f"add {register_file} or correct 'register'")])
    register = _read_table(register_file)
    missing = [column for column in REGISTER_COLUMNS if column not in register.columns]
    if missing:
        message = f"register {spec['register']} has no column {', '.join(missing)}"
        fix = (
            f"give it the columns {', '.join(REGISTER_COLUMNS)} (short_vi, name_ascii, kind, region optional)"
        )
        raise InputError([Problem(str(register_file), message, fix)])
    codes = spec.get("codes", "all")
    wanted = None if codes == "all" else {str(c) for c in codes}
    excluded = {str(c) for c in spec.get("exclude", [])}
    chosen = [
        r for r in register.rows if (wanted is None or r["code"] in wanted) and r["code"] not in excluded
    ]
    named = [str(c) for c in (codes if codes != "all" else []) + spec.get("exclude", [])]
    unknown = sorted(set(named) - {r["code"] for r in register.rows})
    if unknown:
        message = f"set '{set_name}' names codes not in {register_file.name}: {', '.join(unknown)}"
        raise InputError(
            [Problem(str(sets_file), message, f"add them to {register_file.name} or remove them")]
        )
    units = tuple(
        Unit(
            code=r["code"],
            name_vi=r["name_vi"],
            short_vi=r.get("short_vi", "") or r["name_vi"],
            name_en=r["name_en"],
            unit_type=unit_type,
            kind=r.get("kind", ""),
            region=r.get("region") or None,
        )
        for r in chosen
    )
    aliases: tuple[tuple[str, str], ...] = ()
    if (units_dir / "aliases.csv").is_file():  # extra spellings are optional
        aliases = tuple((r["code"], r["alias"]) for r in _read_table(units_dir / "aliases.csv").rows)
    return UnitSet(set_name, unit_type, units, aliases)


_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_FORMER_COLUMNS = ("name_vi", "name_en", "register", "became", "since", "source")


def with_former(units_dir: Path, unit_set: UnitSet) -> UnitSet:
    """The unit set with the former units whose names it answers with what they became.

    Two sources give them: former.csv (name_vi, name_en, register, became, since, source, note: a unit of
    `register` that ceased on the day `since` and became part of the units whose codes `became` lists), and
    a set whose register has a merged_from column: sets.yaml then names, as `formed_from`, the register those
    codes come from, and as `formed_on` the day of the merger; each unit of that register that the set no
    longer holds is answered with the unit it was merged into. A former unit of `formed_from` in former.csv
    is followed through the merger (Hà Tây, merged into Hà Nội in 2008, is answered with today's Hà Nội).

    Args:
        units_dir: The folder holding sets.yaml, the registers and former.csv.
        unit_set: A set loaded by load_unit_set.

    Returns:
        The same set with its former units.

    Raises:
        InputError: former.csv lacks a column.
    """
    spec = available_sets(units_dir).get(unit_set.name, {})
    codes = set(unit_set.by_code)
    successors: dict[str, tuple[str, ...]] = {}
    found: list[Former] = []
    if spec.get("formed_from"):
        register = _read_table(units_dir / spec["register"])
        sources: dict[str, str] = {}
        for row in (r for r in register.rows if r["code"] in codes):
            for old in row.get("merged_from", "").split():
                successors[old] = (*successors.get(old, ()), row["code"])
                sources[old] = row.get("source", "").split(" http")[0].strip()
        for row in _read_table(units_dir / spec["formed_from"]).rows:
            code, name_vi = row["code"], row["name_vi"]
            if code not in successors or _key(name_vi) in unit_set._index:
                continue
            spellings = (name_vi, row["name_en"]) + ((code,) if code not in codes else ())
            since = _day(spec.get("formed_on", ""))
            found.append(Former(name_vi, spellings, successors[code], since, sources[code]))
    former_file = units_dir / "former.csv"
    if former_file.is_file():
        table = _read_table(former_file)
        missing = [c for c in _FORMER_COLUMNS if c not in table.columns]
        if missing:
            message = f"former.csv lacks the columns {', '.join(missing)}"
            fix = f"give it the columns {', '.join(_FORMER_COLUMNS)}, note"
            raise InputError([Problem(str(former_file), message, fix)])
        for row in table.rows:
            became = row["became"].split()
            if row["register"] == spec.get("formed_from"):
                became = [new for old in became for new in successors.get(old, ())]
            elif row["register"] != spec.get("register"):
                continue
            became = [code for code in dict.fromkeys(became) if code in codes]
            if became and _key(row["name_vi"]) not in unit_set._index:
                spellings = (row["name_vi"], row["name_en"])
                found.append(
                    Former(row["name_vi"], spellings, tuple(became), _day(row["since"]), row["source"])
                )
    return dataclasses.replace(unit_set, former=tuple(found))


def _day(value: object) -> str:
    """A date (or its ISO text) as "1 August 2008"; any other text as it is."""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class _Table:
    """A CSV file of the unit registers as text: its header and its rows, by column."""

    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]


def _read_table(path: Path) -> _Table:
    """A CSV file of the unit registers, every cell as text (an empty or missing cell as "").

    Read with the csv module, not pandas: checking a build's params reads the registers, and a build with
    nothing to do loads no data library.

    Raises:
        InputError: The file is not UTF-8 text, or rows have more cells than the header (every such row).
    """
    problems, rows = [], []
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            for cells in reader:
                if not cells:  # a blank line
                    continue
                if len(cells) > len(header):
                    message = f"the row has {len(cells)} cells, the header {len(header)}"
                    fix = "remove the extra cells, or put a cell holding a comma in double quotes"
                    problems.append(Problem(str(path), message, fix, row=reader.line_num))
                    continue
                rows.append(dict(zip(header, [*cells, *[""] * (len(header) - len(cells))], strict=True)))
    except UnicodeDecodeError:
        fix = "save it as UTF-8 (in Excel: CSV UTF-8)"
        raise InputError([Problem(str(path), "the file is not UTF-8 text", fix)]) from None
    if problems:
        raise InputError(problems)
    return _Table(tuple(header), tuple(rows))
