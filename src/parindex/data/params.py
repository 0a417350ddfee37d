"""Params: one YAML file per year, the only place a year's facts live, validated into frozen objects."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from parindex.data import files
from parindex.data.ranking import Ties
from parindex.data.tiles import load_tiles
from parindex.data.units import available_sets, load_unit_set
from parindex.errors import InputError, Problem
from parindex.limits import MAX_PARAMS_BYTES, XLSX_MAX_COLUMN

# The unit types the catalogs have words for; any other type named in `units` needs its words in `unit_types`.
UNIT_TYPES = ("province", "ministry")
_SLUG = re.compile(r"[a-z][a-z0-9_]{0,63}")
_NAME_LENGTH = 64
# Text from params shown in a report: one string for every language, or one per language code.
Text = str | dict[str, str]


def file_name(value: str, key: str) -> str:
    """Checks a params value that becomes part of a file name: letters, digits, spaces, '-' and '_' only.

    Such a name cannot hold a folder separator, '.', '..', a control character or a leading or trailing
    space, so the file it names stays in the folder it is written to.

    Args:
        value: The value, e.g. the companion's name "SIPAS" (written as tables/sipas.csv).
        key: Its key in the params file, for the message.

    Returns:
        The value, unchanged.

    Raises:
        PydanticCustomError: The value cannot name a file; the error carries the fix.
    """
    if (
        value
        and len(value) <= _NAME_LENGTH
        and value == value.strip()
        and all(c.isalnum() or c in " -_" for c in value)
    ):
        return value
    raise PydanticCustomError(
        "file_name",
        "{key} {value} cannot name a file",
        {
            "key": key,
            "value": repr(value),
            "fix": f"use letters, digits, spaces, '-' or '_' (at most {_NAME_LENGTH} characters), e.g. SIPAS",
        },
    )


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Frozen):
    """The score scale of the index.

    Attributes:
        min: The lowest score possible.
        max: The highest score possible.
    """

    min: float = 0
    max: float = 100

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if self.min >= self.max:
            raise ValueError(f"min ({self.min}) must be below max ({self.max})")
        return self


class Index(_Frozen):
    """What the index is called and how its scores are written.

    Attributes:
        name: The index's short name, the same in every language, e.g. "PAR INDEX".
        title: Its full name, e.g. {vi: "Chỉ số cải cách hành chính", en: "Public Administration Reform
            Index"}.
        slug: The start of its output files' names.
        publisher: Who publishes the index's results (cited as the source), a string or one per language.
        scale: The score scale.
        decimals: Digits after the decimal separator in published scores.
        unit_label: The unit written after a score: "%", a word (e.g. {vi: điểm, en: points}, written after
            a space), or "" for the bare number; one text or one per language.
    """

    name: str = Field(min_length=1)
    title: Text = Field(min_length=1)
    slug: str
    publisher: Text = ""
    scale: Scale = Scale()
    decimals: int = Field(default=2, ge=0, le=4)
    unit_label: Text = ""

    @field_validator("slug")
    @classmethod
    def _slug(cls, slug: str) -> str:
        if _SLUG.fullmatch(slug):
            return slug
        raise PydanticCustomError(
            "file_name",
            "index.slug {value} cannot name a file",
            {
                "value": repr(slug),
                "fix": "use lowercase letters, digits and '_', starting with a letter (at most 64 "
                "characters), e.g. par_index",
            },
        )


class Band(_Frozen):
    """One band (group): scores at or above `min` and below the next band's `min`.

    Attributes:
        label: The band's name, of any length: one text, e.g. "A", or one per language, e.g. {vi: "Rất
            tốt", en: "Very good"}.
        min: The lowest score of the band.
        key: The band's name in tables, summaries and the group column of an input: its label when the
            label is one text, else its label in the first of `languages`, unless given.
    """

    label: Text = Field(min_length=1)
    min: float
    key: str = ""

    @model_validator(mode="after")
    def _keyed(self) -> Band:
        if not self.key and isinstance(self.label, str):
            object.__setattr__(self, "key", self.label)
        return self

    def __hash__(self) -> int:  # a label given per language is a dict, which has no hash of its own
        label = tuple(sorted(self.label.items())) if isinstance(self.label, dict) else self.label
        return hash((label, self.min, self.key))

    def name(self, language: str) -> str:
        """The band's label in one language: its one text, that language's, else its key."""
        if isinstance(self.label, dict):
            return self.label.get(language) or self.key
        return self.label

    def names(self) -> tuple[str, ...]:
        """Every name a group column or a reader may give the band: its key and its label in each language."""
        labels = tuple(self.label.values()) if isinstance(self.label, dict) else (self.label,)
        return (self.key, *labels)


class Ranking(_Frozen):
    """How units are ranked, and so how ties are settled.

    Attributes:
        ties: "rounded": competition ranking (1, 2, 2, 4) on scores rounded to `index.decimals`, so two
            units written with the same score share a rank; "unrounded": competition ranking on the scores as
            given in the inputs; "official": the ranks of the inputs' rank column, which every unit must
            have, checked against the order of the scores (a higher score never has a worse rank; equal ranks
            only where the input gives them).
    """

    ties: Ties = "rounded"


# Column names a component's code may not take: those of the tables it is stored in.
_RESERVED_COMPONENT_CODES = {"unit", "unit_type", "code", "name", "score", "rank", "provenance", "component"}


class Component(_Frozen):
    """One part of an index's score, as the year's methodology defines it (an area, or a SIPAS factor).

    Attributes:
        code: A short identifier used in tables and long inputs, e.g. "institutions".
        name: Its official name, one per language, e.g. {vi: "Cải cách thể chế", en: "Institutional
            reform"}; also a header its column may carry in an input.
        max: Its maximum points, or None when no public source gives it (then `note` says so).
        unit_type: The unit type it applies to, a key of `units`; the main (first) type when empty.
        headers: Other headers its column may carry in inputs, e.g. "Thể chế".
        note: Where the structure comes from or why the maximum is unknown, one text or one per language.
        short: A short name for narrow tables and chart panels, one per language, e.g. {vi: "Thể chế", en:
            "Institutions"}; the name when not given.
    """

    code: str
    name: Text = Field(min_length=1)
    max: float | None = Field(gt=0)
    unit_type: str = ""
    headers: tuple[str, ...] = ()
    note: Text = ""
    short: Text = ""

    @field_validator("code")
    @classmethod
    def _code(cls, code: str) -> str:
        if _SLUG.fullmatch(code) and code not in _RESERVED_COMPONENT_CODES:
            return code
        raise PydanticCustomError(
            "component_code",
            "component code {value} must be lowercase letters, digits and '_', starting with a letter, and "
            "not one of {reserved}",
            {
                "value": repr(code),
                "reserved": ", ".join(sorted(_RESERVED_COMPONENT_CODES)),
                "fix": "use a short code such as institutions or public_finance",
            },
        )

    @model_validator(mode="after")
    def _unknown_max_explained(self) -> Component:
        if self.max is None and not self.note:
            raise PydanticCustomError(
                "component_note",
                "component {code}: max is null (unknown) but no note says why",
                {
                    "code": self.code,
                    "fix": "add a note, e.g. note: maximum points not found in a public source",
                },
            )
        return self


def _unique_components(components: tuple[Component, ...]) -> tuple[Component, ...]:
    """Refuses a component code given twice for the same unit type."""
    keys = [(c.unit_type, c.code) for c in components]
    repeated = sorted({f"{t}/{c}" for t, c in keys if keys.count((t, c)) > 1})
    if repeated:
        raise ValueError(f"component codes must differ within a unit type; repeated: {', '.join(repeated)}")
    return components


def _column_name(value: object) -> object:
    """A column named in params: its header (text), its spreadsheet letter (text) or its number from 1.

    Raises:
        PydanticCustomError: The value is neither text nor a whole number from 1 to XLSX_MAX_COLUMN.
    """
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= XLSX_MAX_COLUMN:
        return value
    raise PydanticCustomError(
        "column_name",
        "{value} names no column",
        {
            "value": repr(value),
            "fix": f"write the column's header, its letter (A to XFD) or its number counted from 1 (1 to "
            f"{XLSX_MAX_COLUMN:,})",
        },
    )


ColumnName = Annotated[str | int, BeforeValidator(_column_name)]


class UnitType(_Frozen):
    """The words of a unit type the catalogs do not know (e.g. "commune"), one text or one per language.

    Attributes:
        singular: One unit, in running text, e.g. {vi: "xã, phường", en: commune or ward}.
        plural: Several units, in running text, e.g. {vi: "xã, phường", en: communes and wards}.
        column: The heading of the column naming the units, e.g. {vi: "Xã, phường", en: Commune or ward}.
    """

    singular: Text = Field(min_length=1)
    plural: Text = Field(min_length=1)
    column: Text = Field(min_length=1)


class Columns(_Frozen):
    """Header overrides: the column of each role, by its header, its letter (A to XFD) or its number from 1.

    They name the columns the aliases do not find: by the header as written, or by position when the header
    is empty or unhelpful, a spreadsheet letter ("D") or a number counted from 1 (4); a header of the file
    that reads "D" or "4" wins over the position. Positions count the same way in a CSV file.

    Attributes:
        unit: The column naming each unit (or giving its code).
        code: The column giving each unit's code, checked against the name when both are given.
        score: The score column.
        rank: The rank column.
        band: The column giving each unit's official group (band), checked against the band of its score.
        unit_type: The column saying whether a row is a province or a ministry.
        provenance: The column saying whether a row's values are published or simulated.
        ignore: Columns of the file that are neither of these nor components, left out on purpose (any
            other unknown column is an error).
    """

    unit: ColumnName | None = None
    code: ColumnName | None = None
    score: ColumnName | None = None
    rank: ColumnName | None = None
    band: ColumnName | None = None
    unit_type: ColumnName | None = None
    provenance: ColumnName | None = None
    ignore: tuple[str, ...] = ()

    def roles(self) -> dict[str, str | int]:
        """The header named for each role that has one, e.g. {"unit": "Tên tỉnh"}."""
        return {role: name for role, name in self.model_dump(exclude={"ignore"}).items() if name is not None}


class InputFile(_Frozen):
    """One input file of a year's results.

    Attributes:
        path: The file, relative to the project folder (the parent of params/).
        unit_type: The unit type of its rows, a key of `units` (e.g. "province"), or "column" when a column
            marks each row's type.
        sheet: The sheet of an XLSX file; the first sheet when absent.
        columns: Header overrides.
        provenance: What the file's values are, "published" or "simulated", for a file without a
            provenance column (or for the empty cells of that column). Never assumed: a file with neither
            is an error.
        components: Columns holding parts of the score, kept as they are named.
        layout: "wide" (one row per unit: the total, and optionally a column per component of the year's
            `components`) or "long" (one row per unit and component: unit, component, score).
        header_row: The row of the header, counted from 1 as a spreadsheet numbers rows (a CSV file's line),
            when finding it among the first rows is not enough; by default the row naming the most columns.
        last_row: The last row of the table, counted the same way; the rows below it are left out. By default
            the table ends at its last data row: rows at its end that are notes (beginning "Nguồn", "Ghi
            chú", "Source", "Note"), totals or means ("Tổng cộng", "Trung bình", "Bình quân", "Average",
            "Total"), a date line ("ngày ... tháng ... năm") or hold neither a unit nor a score (a signature
            block) are left out; a repeated header row inside the table is always left out.
    """

    path: str
    unit_type: str
    sheet: str | None = None
    columns: Columns = Columns()
    provenance: Literal["published", "simulated"] | None = None
    components: tuple[str, ...] = ()
    layout: Literal["wide", "long"] = "wide"
    header_row: int | None = Field(default=None, ge=1, strict=True)
    last_row: int | None = Field(default=None, ge=1, strict=True)


def _as_code(value: object) -> object:
    """A unit code as text: YAML reads 46 as a number, so numbers become their digits."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Code = Annotated[str, BeforeValidator(_as_code)]


class Peers(_Frozen):
    """The peer groups province profiles compare with, instead of each province's region.

    Attributes:
        groups: Named groups, each a list of province codes; a province in a group compares with its group.
        provinces: A province's own peer group, by its code: a group's name or a list of codes. It wins over
            the groups the province is in.
    """

    groups: dict[str, tuple[Code, ...]] = {}
    provinces: dict[Code, str | tuple[Code, ...]] = {}

    def of(self, code: str) -> tuple[str, ...]:
        """A province's peer group from these params, itself included; () when none is given (its region).

        Args:
            code: The province's code.

        Returns:
            The codes of the group, in the order given, with the province added when the list leaves it out.
        """
        chosen = self.provinces.get(code)
        if isinstance(chosen, str):
            chosen = self.groups.get(chosen, ())
        if chosen is None:
            chosen = next((codes for codes in self.groups.values() if code in codes), ())
        return with_unit(chosen, code) if chosen else ()


def with_unit(codes: tuple[str, ...] | list[str], code: str) -> tuple[str, ...]:
    """A peer group's codes, once each, with the unit added at the end when the list leaves it out."""
    unique = tuple(dict.fromkeys(codes))
    return unique if code in unique else (*unique, code)


class Companion(_Frozen):
    """A companion index reported beside the main one (SIPAS beside PAR INDEX), with its own components.

    Attributes:
        name: Its short name, e.g. "SIPAS"; also the name of its table files (letters, digits, spaces,
            "-" and "_").
        title: Its full name, one text or one per language.
        inputs: The files of its results, as for the main index's `inputs`.
        components: Its parts (SIPAS's factors), as for the main index's `components`.
        unit_label: The unit written after its scores, as `index.unit_label`; the index's when not given.
    """

    name: str
    title: Text = Field(min_length=1)
    inputs: tuple[InputFile, ...] = Field(min_length=1)
    components: tuple[Component, ...] = ()
    unit_label: Text | None = None

    @field_validator("components")
    @classmethod
    def _unique(cls, components: tuple[Component, ...]) -> tuple[Component, ...]:
        return _unique_components(components)

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        return file_name(name, "companion.name")  # its tables are tables/<name, lowercase>.csv


# The notebooks each report runs by default, in the project's notebooks/ folder or else in the shared one.
TEMPLATE_NAMES = {
    "report": "yearly_report.ipynb",
    "trends": "trends_report.ipynb",
    "profile": "unit_profile.ipynb",
}
SHARED_NOTEBOOKS = Path(__file__).resolve().parents[3] / "notebooks"


class Templates(_Frozen):
    """The notebooks a year's reports run, relative to the project folder.

    Attributes:
        report: The yearly report's notebook; when empty, notebooks/yearly_report.ipynb of the project
            folder, else of the parindex repository.
        trends: The trends report's notebook; notebooks/trends_report.ipynb likewise.
        profile: The unit profile's notebook; notebooks/unit_profile.ipynb likewise.
    """

    report: str = ""
    trends: str = ""
    profile: str = ""


class Params(_Frozen):
    """Everything one year's report needs to know, as read from params/<year>.yaml.

    Attributes:
        index: The index's name, scale and number format.
        year: The year the results are for.
        comparison_year: The year to compare with, or None.
        units: The unit set of each unit type, by name in <units_dir>/sets.yaml, e.g. {province: provinces_63,
            ministry: ministries_17}. Any type may be named (a lowercase word such as "commune"); the first is
            the main type (ranked first, with regions, map, components and profiles), the others each get a
            section of their own.
        unit_types: The words of each unit type of `units` the catalogs do not know ("province" and
            "ministry" have theirs), e.g. {commune: {singular: ..., plural: ..., column: ...}}.
        inputs: The files of the year's results.
        bands: The year's bands, highest first.
        bands_basis: Where the bands come from: "published" (the index's publisher gives them for the year)
            or "inferred" (not published: the author of these params drew them, e.g. from the published
            groups of an earlier year); the report says which.
        ranking: The tie rule (how ranks are computed or taken from the inputs).
        companion: An optional companion index (SIPAS).
        published: Folder of published facts, relative to the project folder.
        units_dir: Folder of the unit registers and sets, relative to the project folder.
        source_note: The source line printed under every chart and table.
        author: Who publishes this report (an organisation): the PDF's Author. Never the index's owner by
            default: a report made by an analyst, and certainly one on demonstration data, is not theirs.
        languages: The languages the report is published in, the main one first (a catalog must exist for
            each, see parindex.i18n).
        templates: The notebooks the reports run, when not the shared ones (see `Templates`).
        components: The parts of the index's score this year (areas), per unit type, in the order the
            methodology lists them; empty when the year's structure is not used.
        peers: Peer groups for the province profiles; each province's region when none is given.
        file: The params file this was read from (set by the loader).
        root: The project folder paths are relative to (set by the loader).
    """

    index: Index
    year: int = Field(ge=1900, le=2200)
    comparison_year: int | None = None
    units: dict[str, str] = Field(min_length=1)
    unit_types: dict[str, UnitType] = {}
    inputs: tuple[InputFile, ...] = Field(min_length=1)
    bands: tuple[Band, ...] = Field(min_length=1)
    bands_basis: Literal["published", "inferred"] = "published"
    ranking: Ranking = Ranking()
    companion: Companion | None = None
    published: str | None = None
    units_dir: str = "data/units"
    source_note: Text = ""
    author: Text = ""
    languages: tuple[str, ...] = Field(default=("vi", "en"), min_length=1)
    templates: Templates = Templates()
    components: tuple[Component, ...] = ()
    peers: Peers = Peers()
    file: Path = Path()
    root: Path = Path()

    @field_validator("bands")
    @classmethod
    def _bands_descending(cls, bands: tuple[Band, ...]) -> tuple[Band, ...]:
        mins = [b.min for b in bands]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError(f"band minimums must be strictly decreasing, highest band first; got {mins}")
        return bands

    @field_validator("components")
    @classmethod
    def _unique(cls, components: tuple[Component, ...]) -> tuple[Component, ...]:
        return _unique_components(components)

    @field_validator("units")
    @classmethod
    def _unit_type_names(cls, units: dict[str, str]) -> dict[str, str]:
        bad = [name for name in units if not _SLUG.fullmatch(name) or name == "column"]
        if bad:
            raise PydanticCustomError(
                "unit_type",
                "unit type {value} must be lowercase letters, digits and '_', starting with a letter, "
                "and not 'column'",
                {"value": repr(bad[0]), "fix": "name the type with a short word, e.g. province or commune"},
            )
        return units

    @property
    def main_type(self) -> str:
        """The main unit type: the first of `units`, e.g. "province"."""
        return next(iter(self.units))

    @property
    def secondary_types(self) -> tuple[str, ...]:
        """The other unit types of `units`, in their order, e.g. ("ministry",)."""
        return tuple(self.units)[1:]

    def unit_label(self, language: str, companion: bool = False) -> str:
        """The unit written after a score in one language: "%", a word, or "".

        Args:
            language: The language code.
            companion: Whether the companion index's scores are meant (its own label, else the index's).

        Returns:
            The label.
        """
        label = self.index.unit_label
        if companion and self.companion is not None and self.companion.unit_label is not None:
            label = self.companion.unit_label
        return self.text(label, language)

    @model_validator(mode="after")
    def _component_types(self) -> Params:
        """Gives components without a unit type the main type, then checks the codes again."""
        main = self.main_type
        filled = tuple(
            c if c.unit_type else c.model_copy(update={"unit_type": main}) for c in self.components
        )
        object.__setattr__(self, "components", _unique_components(filled))
        if self.companion is not None:
            own = self.companion.components
            own = tuple(c if c.unit_type else c.model_copy(update={"unit_type": main}) for c in own)
            companion = self.companion.model_copy(update={"components": _unique_components(own)})
            object.__setattr__(self, "companion", companion)
        return self

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, codes: tuple[str, ...]) -> tuple[str, ...]:
        from parindex.i18n import LANGUAGES

        unknown = [code for code in codes if code not in LANGUAGES]
        if unknown or len(set(codes)) != len(codes):
            raise PydanticCustomError(
                "language",
                "languages {value} must name each language once, from those with a catalog",
                {"value": list(codes), "fix": f"use some of {', '.join(LANGUAGES)}, the main one first"},
            )
        return codes

    @model_validator(mode="after")
    def _texts_in_every_language(self) -> Params:
        fields = {
            "index.title": self.index.title,
            "index.publisher": self.index.publisher,
            "source_note": self.source_note,
            "author": self.author,
            "index.unit_label": self.index.unit_label,
        }
        if self.companion is not None and self.companion.unit_label is not None:
            fields["companion.unit_label"] = self.companion.unit_label
        for name, words in self.unit_types.items():
            for part in ("singular", "plural", "column"):
                fields[f"unit_types.{name}.{part}"] = getattr(words, part)
        if self.companion is not None:
            fields["companion.title"] = self.companion.title
        for n, component in enumerate(self.components):
            fields[f"components.{n}.name"] = component.name
        for n, band in enumerate(self.bands):
            fields[f"bands.{n}.label"] = band.label
        for n, component in enumerate(self.companion.components if self.companion else ()):
            fields[f"companion.components.{n}.name"] = component.name
        for key, value in fields.items():
            if isinstance(value, dict):
                missing = [code for code in self.languages if not value.get(code)]
                if missing:
                    raise PydanticCustomError(
                        "language_text",
                        "{key}: no text in {missing}, a language of the report",
                        {
                            "key": key,
                            "missing": ", ".join(missing),
                            "fix": f"give a text for each of {', '.join(self.languages)} (e.g. "
                            f"{key.rsplit('.', 1)[-1]}: {{vi: ..., en: ...}}), "
                            "or one text for every language",
                        },
                    )
        return self

    def template(self, kind: Literal["report", "trends", "profile"]) -> Path:
        """The notebook a report runs: as `templates` says, else the project's or the shared one.

        Without `templates.<kind>`, the notebook is notebooks/<name> of the project folder when it exists,
        else that of the parindex repository (`SHARED_NOTEBOOKS`), so a params folder anywhere builds with
        the shared templates.

        Args:
            kind: "report" (yearly), "trends" or "profile".

        Returns:
            The notebook's absolute path (it may not exist: `check_template` says so).
        """
        given = getattr(self.templates, kind)
        if given:
            return self.path(given)
        own = self.path(f"notebooks/{TEMPLATE_NAMES[kind]}")
        return own if own.is_file() else files.resolve(SHARED_NOTEBOOKS / TEMPLATE_NAMES[kind])

    def check_template(self, kind: Literal["report", "trends", "profile"]) -> Path:
        """The notebook a report runs, checked to exist.

        Raises:
            InputError: It does not exist; the message says where it was looked for and how to name another.
        """
        notebook = self.template(kind)
        if notebook.is_file():
            return notebook
        given = getattr(self.templates, kind)
        why = f"templates.{kind} names {given}" if given else f"nor in {self.path('notebooks')}"
        raise InputError(
            [
                Problem(
                    str(self.file),
                    f"no {kind} notebook {notebook} ({why})",
                    f"set templates.{kind} in params to the notebook to run (e.g. "
                    f"notebooks/{TEMPLATE_NAMES[kind]}), or copy one there",
                    key=f"templates.{kind}",
                )
            ]
        )

    def text(self, value: Text, language: str) -> str:
        """A text from params in one language: the same string for every language, or that language's.

        Args:
            value: A params text, e.g. `params.index.title`.
            language: The language code.

        Returns:
            The text; "" when the params give none in that language.
        """
        return value.get(language, "") if isinstance(value, dict) else value

    @model_validator(mode="after")
    def _consistent(self) -> Params:
        if self.comparison_year is not None and self.comparison_year >= self.year:
            raise ValueError(f"comparison_year: {self.comparison_year} must be before year ({self.year})")
        first = self.languages[0]
        for band in self.bands:
            if not band.key:
                object.__setattr__(band, "key", self.text(band.label, first))
            if not self.index.scale.min <= band.min <= self.index.scale.max:
                raise ValueError(f"bands: band {band.key} starts at {band.min}, outside the index's scale")
        keys = [b.key for b in self.bands]
        if len(set(keys)) != len(keys):
            raise ValueError(f"bands: band labels (keys) must differ; got {keys}")
        return self

    def components_of(self, unit_type: str, companion: bool = False) -> tuple[Component, ...]:
        """The components of one unit type, of the main index or of the companion.

        Args:
            unit_type: "province" or "ministry".
            companion: Whether the companion's (SIPAS's factors) are meant.

        Returns:
            The components in the methodology's order; empty when the params give none.
        """
        if companion:
            every = self.companion.components if self.companion else ()
        else:
            every = self.components
        return tuple(c for c in every if c.unit_type == unit_type)

    def path(self, relative: str) -> Path:
        """A path of this params file, made absolute against the project folder."""
        return files.resolve(self.root / relative)


def project_root(params_file: Path) -> Path:
    """The folder paths in a params file are relative to: the parent of the folder holding it."""
    return files.resolve(params_file).parent.parent


def load_params(params_file: Path | str, require_inputs: bool = True) -> Params:
    """Reads and validates one params file.

    Args:
        params_file: A YAML file such as params/2020.yaml.
        require_inputs: Whether a missing input file is a problem (not while the inputs are being made).

    Returns:
        The frozen params.

    Raises:
        InputError: The file is missing, is not YAML, or has unknown, missing or bad keys; every problem
            is listed with the key it concerns.
    """
    params_file = Path(params_file)
    where = str(params_file)
    raw = _read_yaml(params_file, where)
    if not isinstance(raw, dict):
        raise InputError(
            [Problem(where, "expected a mapping of keys at the top level", "see params/2020.yaml")]
        )
    problems = [
        Problem(where, "this key is set by parindex, not by params", "remove it", key=key)
        for key in ("file", "root")
        if key in raw
    ]
    if problems:
        raise InputError(problems)
    try:
        params = Params(**raw, file=files.resolve(params_file), root=project_root(params_file))
    except ValidationError as error:
        raise InputError([_problem(where, e) for e in error.errors()]) from None
    type_problems = _type_problems(params, where)
    if type_problems:
        raise InputError(type_problems)
    missing = _input_problems(params, where) if require_inputs else []
    missing += _unit_problems(params, where)
    if not missing:
        missing += _peer_problems(params, where)
    if missing:
        raise InputError(missing)
    return params


def _read_yaml(params_file: Path, where: str) -> object:
    """The content of a params file, read as YAML.

    Raises:
        InputError: The file is missing, not a file, too large, not UTF-8, not YAML or nested too deeply.
    """
    missing = ("params file not found", "give the path of a YAML file in params/")
    found = files.trouble(params_file, MAX_PARAMS_BYTES, missing)
    if found:
        raise InputError([Problem(where, *found)])
    try:
        return yaml.safe_load(params_file.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise InputError(
            [Problem(where, f"not valid YAML: {getattr(error, 'problem', error)}", "fix the syntax", row)]
        ) from None
    except RecursionError:
        raise InputError(
            [
                Problem(
                    where,
                    "lists or mappings are nested too deeply to be read",
                    "params are a few levels deep: write them as in params/2020.yaml",
                )
            ]
        ) from None


def _input_problems(params: Params, where: str) -> list[Problem]:
    """One problem per input file that is missing, not a file, or a symbolic link loop."""
    problems = []
    for key, spec in _all_inputs(params):
        missing = (f"input file not found: {spec.path}", "correct the path (relative to the project folder)")
        found = files.trouble(params.path(spec.path), missing=missing)
        if found:
            message, fix = found
            message = message if message == missing[0] else f"input {spec.path}: {message}"
            problems.append(Problem(where, message, fix, key=key))
    return problems


def _unit_problems(params: Params, where: str) -> list[Problem]:
    units_dir = params.path(params.units_dir)
    if not (units_dir / "sets.yaml").is_file():
        return [_no_unit_sets(params, where, units_dir)]
    sets = available_sets(units_dir)
    problems = [
        Problem(
            where, f"no unit set named '{name}'", f"use one of: {', '.join(sets)}", key=f"units.{unit_type}"
        )
        for unit_type, name in params.units.items()
        if name not in sets
    ]
    return problems + _tile_problems(units_dir, [name for name in params.units.values() if name in sets])


def _type_problems(params: Params, where: str) -> list[Problem]:
    """Every unit type without words, and every input or component of a type `units` does not name."""
    known = ", ".join(params.units)
    problems = [
        Problem(
            where,
            f"unit type '{name}' has no words in the catalogs (they know {', '.join(UNIT_TYPES)})",
            f"give its words under unit_types.{name}, e.g. {name}: {{singular: {{vi: ..., en: ...}}, plural: "
            "{vi: ..., en: ...}, column: {vi: ..., en: ...}}",
            key=f"units.{name}",
        )
        for name in params.units
        if name not in UNIT_TYPES and name not in params.unit_types
    ]
    problems += [
        Problem(
            where,
            f"unit_types names '{name}', which is not a unit type of units ({known})",
            f"add units.{name}: <unit set>, or remove unit_types.{name}",
            key=f"unit_types.{name}",
        )
        for name in params.unit_types
        if name not in params.units
    ]
    inputs = [(f"{key.removesuffix('.path')}.unit_type", spec.unit_type) for key, spec in _all_inputs(params)]
    parts = [(f"components.{n}.unit_type", c.unit_type) for n, c in enumerate(params.components)]
    if params.companion is not None:
        parts += [
            (f"companion.components.{n}.unit_type", c.unit_type)
            for n, c in enumerate(params.companion.components)
        ]
    for key, unit_type in inputs + parts:
        if unit_type in params.units or (unit_type == "column" and (key, unit_type) in inputs):
            continue
        allowed = known + (
            ", or column when a column marks each row's type" if (key, unit_type) in inputs else ""
        )
        problems.append(
            Problem(
                where,
                f"unit type '{unit_type}' is not a unit type of units ({known})",
                f"use one of {allowed}, or add units.{unit_type}: <unit set>",
                key=key,
            )
        )
    return problems


def _tile_problems(units_dir: Path, set_names: list[str]) -> list[Problem]:
    """The problems of the tile layouts of the sets a year ranks, so a bad layout stops a build early."""
    problems: list[Problem] = []
    for name in set_names:
        try:
            load_tiles(units_dir, name)
        except InputError as error:
            problems.extend(error.problems)
    return problems


def _peer_problems(params: Params, where: str) -> list[Problem]:
    """Every code of `peers` that is no unit of the year's main set, and every group named but not given."""
    peers = params.peers
    if not (peers.groups or peers.provinces):
        return []
    try:
        known = province_codes(params)
    except InputError as error:
        return list(error.problems)
    from parindex.reports.nouns import main_set  # which imports this module

    problems = []
    main = main_set(params)
    for name, codes in peers.groups.items():
        problems += code_problems(codes, known, where, *main, f"peers.groups.{name}")
    for code, chosen in peers.provinces.items():
        key = f"peers.provinces.{code}"
        problems += code_problems([code], known, where, *main, key, listed=False)
        if isinstance(chosen, str) and chosen not in peers.groups:
            named = ", ".join(peers.groups) or "none"
            problems.append(
                Problem(
                    where,
                    f"no peer group named '{chosen}' (groups: {named})",
                    f"name a group of peers.groups, or give a list of {main[0]} codes",
                    key=key,
                )
            )
        elif not isinstance(chosen, str):
            problems += code_problems(chosen, known, where, *main, key)
    return problems + _shared_members(peers, where, main[0])


def _shared_members(peers: Peers, where: str, noun: str) -> list[Problem]:
    """A unit in several groups without its own entry: which group it compares with is unclear.

    `noun` is one unit of the main set in English, e.g. "province" (`nouns.main_set`).
    """
    problems = []
    members: dict[str, list[str]] = {}
    for name, codes in peers.groups.items():
        for code in dict.fromkeys(codes):
            members.setdefault(code, []).append(name)
    for code, names in members.items():
        if len(names) > 1 and code not in peers.provinces:
            problems.append(
                Problem(
                    where,
                    f"{noun} '{code}' is in the peer groups {', '.join(names)}",
                    f"say which it compares with under peers.provinces, e.g. '{code}': {names[0]}",
                    key="peers.groups",
                )
            )
    return problems


def province_codes(params: Params) -> tuple[str, ...]:
    """The codes of the year's set of main units (provinces), in register order."""
    units = load_unit_set(params.path(params.units_dir), params.units[params.main_type], params.main_type)
    return tuple(unit.code for unit in units.units)


def code_problems(
    codes,
    known: tuple[str, ...],
    where: str,
    noun: str,
    set_name: str,
    key: str | None = None,
    listed: bool = True,
) -> list[Problem]:
    """One problem per code that is no unit of the set, with the code it most likely meant.

    Args:
        codes: The codes given.
        known: The codes of the set's units.
        where: The file (or command-line option) the codes come from.
        noun: One unit of the set in English, e.g. "province", "commune or ward" (`nouns.main_set`).
        set_name: The set's name, for the message.
        key: Their key in a params file, e.g. "peers.groups.cities"; None for codes given elsewhere.
        listed: Whether the key holds a list (each code is named by its place, "peers.groups.cities.2") or
            is the code itself.

    Returns:
        The problems, in the order of the codes.
    """
    problems = []
    for n, code in enumerate(codes):
        if code in known:
            continue
        padded = code.zfill(2)
        if padded in known and padded != code:
            fix = f"did you mean '{padded}'?"
            if key is not None:
                fix += f" Write codes as text in quotes, e.g. '{padded}'"
        else:
            fix = f"use the code of a {noun} of {set_name}, e.g. '{known[0]}'" if known else "add units"
        problems.append(
            Problem(
                where,
                f"'{code}' is not the code of a {noun} of {set_name}",
                fix,
                key=None if key is None else f"{key}.{n}" if listed else key,
            )
        )
    return problems


def _no_unit_sets(params: Params, where: str, units_dir: Path) -> Problem:
    """The problem of a units_dir without its sets.yaml, often a params file outside <project>/params/."""
    if params.file.parent.name != "params":
        return Problem(
            where,
            f"the params file is not in a folder named params, so its paths are read from {params.root}, "
            f"where units_dir {params.units_dir} holds no unit sets (sets.yaml)",
            "keep params files in the params/ folder of the project: their paths are relative to the project "
            "folder, the parent of params/",
            key="units_dir",
        )
    return Problem(
        where,
        f"units_dir: no unit sets (sets.yaml) in {units_dir}",
        f"point units_dir at the folder of the unit sets and registers (e.g. data/units), relative to the "
        f"project folder {params.root}",
        key="units_dir",
    )


def _all_inputs(params: Params) -> list[tuple[str, InputFile]]:
    """Every input file of a year with its key in the params file, e.g. ("inputs.0.path", spec)."""
    keyed = [(f"inputs.{n}.path", spec) for n, spec in enumerate(params.inputs)]
    if params.companion:
        keyed += [(f"companion.inputs.{n}.path", spec) for n, spec in enumerate(params.companion.inputs)]
    return keyed


def _problem(where: str, error: dict) -> Problem:
    key = ".".join(str(part) for part in error["loc"]) or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden":
        return Problem(where, f"unknown key '{key}'", "remove it or correct its spelling", key=key)
    if kind == "missing":
        return Problem(where, f"missing key '{key}'", "add it (see params/2020.yaml)", key=key)
    message = error["msg"].removeprefix("Value error, ")
    if kind == "file_name":
        return Problem(where, message, error["ctx"]["fix"], key=key)
    if kind in ("component_code", "component_note"):
        return Problem(where, message, error["ctx"]["fix"], key=key)
    if not error["loc"] and ": " in message:
        key, message = message.split(": ", 1)
    context = error.get("ctx", {})
    fix = context.get("fix") or _FIXES.get(kind, "correct the value").format(**context)
    return Problem(where, message, fix, key=key)  # the key is named where the problem is


# How to mend a value of the wrong kind, by pydantic's error type (its limits, e.g. `ge`, filled in).
_WHOLE_NUMBER = "write a whole number, e.g. 2 (digits only, no quotes)"
_NUMBER = "write a number with a point for decimals, e.g. 83.72 (no quotes)"
_FIXES = {
    "int_parsing": _WHOLE_NUMBER,
    "int_type": _WHOLE_NUMBER,
    "int_from_float": _WHOLE_NUMBER,
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "bool_parsing": "write true or false",
    "bool_type": "write true or false",
    "string_type": "write a text; put it in quotes when it looks like a number, a date or true/false",
    "literal_error": "write one of the values the message names",
    "greater_than_equal": "write a number of at least {ge}",
    "greater_than": "write a number above {gt}",
    "less_than_equal": "write a number of at most {le}",
    "less_than": "write a number below {lt}",
}


def year_files(params_dir: Path, years: list[int] | None = None) -> list[Path]:
    """The params files of a folder, one per year (<year>.yaml), oldest first; only `years` when given.

    Raises:
        InputError: The folder holds no params file.
    """
    params_dir = Path(params_dir)
    if years:
        return [params_dir / f"{year}.yaml" for year in sorted(set(years))]
    files = sorted((p for p in params_dir.glob("*.yaml") if p.stem.isdigit()), key=lambda p: int(p.stem))
    if not files:
        raise InputError(
            [Problem(str(params_dir), "no params files (<year>.yaml) found", "add params/<year>.yaml")]
        )
    return files


def load_years(files: list[Path]) -> tuple[list[Params], list[Problem]]:
    """Loads several params files, checking each holds the year its name says.

    Returns:
        The params that loaded, and the problems of the others (the caller adds its own before raising).
    """
    problems: list[Problem] = []
    loaded = []
    for file in files:
        try:
            params = load_params(file)
        except InputError as error:
            problems.extend(error.problems)
            continue
        if str(params.year) != Path(file).stem:
            problems.append(Problem(str(file), f"holds year {params.year}", f"rename it {params.year}.yaml"))
            continue
        loaded.append(params)
    return loaded, problems
