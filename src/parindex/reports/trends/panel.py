"""Every year with data of an index, loaded once, as the trends report sees it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from parindex import analysis
from parindex.data.ingest import load_year
from parindex.data.params import Band, Params, load_years, year_files
from parindex.data.published import load_aggregates
from parindex.data.units import Regions, load_regions
from parindex.errors import InputError
from parindex.i18n import Lang, languages_of
from parindex.reports.trends.text import period_text
from parindex.reports.yearly.year import Year

_PANEL_COLUMNS = ["year", *analysis.UNIT_COLUMNS, "score", "provenance", "band", "rank"]


@dataclass(frozen=True)
class Panel:
    """Every year with data, in year order, each as the yearly report sees it (`Year`).

    Attributes:
        years: The years, oldest first; each year's `previous` is its comparison year when in the panel.
        languages: The languages every section is written in, the main one first.
    """

    years: tuple[Year, ...]
    languages: tuple[Lang, ...] = ()

    @property
    def first(self) -> int:
        return self.years[0].params.year

    @property
    def last(self) -> int:
        return self.years[-1].params.year

    @property
    def labels(self) -> list[int]:
        """The years, oldest first."""
        return [y.params.year for y in self.years]

    @property
    def decimals(self) -> int:
        return self.years[-1].decimals

    @property
    def index_name(self) -> str:
        return self.years[-1].params.index.name

    def unit_label(self, language: str, companion: bool = False) -> str:
        """The unit written after a score in one language (the last year's), of the index or the companion."""
        return self.years[-1].params.unit_label(language, companion)

    @property
    def params(self) -> Params:
        """The last year's params (the words, labels and unit types every section uses)."""
        return self.years[-1].params

    @property
    def main_type(self) -> str:
        """The main unit type (that of the last year's params)."""
        return self.years[-1].params.main_type

    @property
    def secondary_types(self) -> tuple[str, ...]:
        """The other unit types of any year, in the order the params name them."""
        found = [t for y in self.years for t in y.params.secondary_types if t != self.main_type]
        return tuple(dict.fromkeys(found))

    @property
    def has_regions(self) -> bool:
        """Whether the main units of the last year have regions."""
        return self.years[-1].has_regions

    @property
    def name(self) -> str:
        """The index and the period, e.g. "PAR INDEX 2018–2024"."""
        return f"{self.index_name} {period_text(self.first, self.last)}"

    @property
    def regions(self) -> Regions:
        """The regions of the last year (the order and names every regional table uses)."""
        return self.years[-1].regions

    @property
    def bands(self) -> dict[int, tuple[Band, ...]]:
        """Each year's bands as published."""
        return {y.params.year: y.bands for y in self.years}

    @property
    def demonstration(self) -> bool:
        """Whether any value of any year is simulated."""
        return any(y.demonstration for y in self.years)

    @property
    def companion_name(self) -> str | None:
        """The companion index's name (SIPAS), from the last year that has one."""
        names = [y.params.companion.name for y in self.years if y.params.companion is not None]
        return names[-1] if names else None

    def scores(self, unit_type: str | None = None) -> pd.DataFrame:
        """Every year's units of one type (the main one by default) in one frame.

        Returns:
            Columns year, unit_type, code, name, short_name, name_en, region, score, provenance, band (that
            year's bands) and rank (computed in that year: competition ranking on rounded scores); years
            oldest first, units best first.
        """
        unit_type = unit_type or self.main_type
        frames = [y.units(unit_type).assign(year=y.params.year) for y in self.years]
        return _stack([f.rename(columns={"rank": "given_rank", "computed_rank": "rank"}) for f in frames])

    def companion(self) -> pd.DataFrame:
        """Every year's companion index (SIPAS) in one frame, as `scores` (band empty); empty without one."""
        frames = [
            y.companion.assign(year=y.params.year, band=None) for y in self.years if y.companion is not None
        ]
        return _stack([f.rename(columns={"rank": "given_rank", "computed_rank": "rank"}) for f in frames])

    @cached_property
    def aggregates(self) -> pd.DataFrame:
        """The published aggregates of the panel's years (data/published/aggregates.csv of each params)."""
        folders = {y.params.path(y.params.published) for y in self.years if y.params.published}
        tables = [load_aggregates(folder) for folder in sorted(folders)]
        if not tables:
            return pd.DataFrame(columns=["year", "index", "unit_type", "metric", "value", "precision"])
        table = pd.concat(tables, ignore_index=True).drop_duplicates(["year", "index", "unit_type", "metric"])
        return table[table["year"].isin(self.labels)].reset_index(drop=True)

    def published(self, index: str, unit_type: str | None = None) -> pd.DataFrame:
        """Published aggregates of one index and unit type, every year of the panel.

        Args:
            index: The index's slug, or the companion's name in lower case.
            unit_type: The unit type; the main one when None.

        Returns:
            The aggregates; none for an index the published facts do not hold.
        """
        table = self.aggregates
        keep = (table["index"] == index) & (table["unit_type"] == (unit_type or self.main_type))
        return table[keep].reset_index(drop=True)


def load(params_dir: str | Path, languages: str | Sequence[str] = "") -> Panel:
    """Loads every params/<year>.yaml of a folder and its data.

    Args:
        params_dir: The folder of the params files.
        languages: The languages to write the report in, e.g. "vi,en"; the latest year's params' when empty.

    Returns:
        The panel, oldest year first.

    Raises:
        InputError: No params file, params or data of some year are invalid (every problem listed), or a
            language has no catalog.
    """
    found, problems = load_years(year_files(Path(params_dir)))
    loaded = {}
    for params in found:
        try:
            loaded[params.year] = load_year(params)
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    years = []
    for year in sorted(loaded):
        data = loaded[year]
        previous = loaded.get(data.params.comparison_year)
        regions = load_regions(
            data.params.path(data.params.units_dir), data.params.units[data.params.main_type]
        )
        years.append(Year(data.params, data, previous, regions))
    return Panel(tuple(years), languages_of(languages, years[-1].params.languages))


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=_PANEL_COLUMNS)
    return pd.concat([f[_PANEL_COLUMNS] for f in frames], ignore_index=True)
