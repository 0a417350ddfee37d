"""One year of an index as the yearly report sees it: its data, bands, ranks and comparison year."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from parindex import analysis
from parindex.data.ingest import YearData, load_year
from parindex.data.params import Band, Params, load_params
from parindex.data.ranking import rank
from parindex.data.units import Regions, load_regions
from parindex.i18n import Lang, languages_of


@dataclass(frozen=True)
class Year:
    """One year's data with its analysis: what a report about that year shows.

    `year` alone in a notebook cell (or `print(year)`, `help(year)`) lists what it holds: its unit types,
    the tables and their columns, the companion index, the bands and the params file.

    Tables (pandas DataFrames):
        year.units(unit_type): One unit type's units, best first: code, name, short_name, name_en, region
            (a code such as "RRD"; `year.regions.name(code, "en")` names it), score, rank (as published),
            provenance ("published" or "simulated"), band (its key) and computed_rank.
        year.compared(unit_type): Each unit's change on the comparison year (score_previous,
            score_current, score_change, rank_change, status, ...), or None without a comparison year.
        year.companion: The companion index (SIPAS), ranked the same way, or None.
        year.data.components: The parts of the scores, one row per unit and component.

    The report's tables and charts take a filter and a highlight: `yearly.ranking(year, region="Red River
    Delta", highlight=["Hà Nội"])`, `yearly.chart(year, "ranked", band="A")`; `yearly.figure` adds a chart
    of one's own in the report's style.

    Attributes:
        params: The year's params.
        data: The year's validated data.
        previous: The comparison year's data, or None.
        regions: The regions of the main units (none when their register has none).
        languages: The languages every section is written in, the main one first.
    """

    params: Params
    data: YearData
    previous: YearData | None
    regions: Regions
    languages: tuple[Lang, ...] = ()

    @property
    def decimals(self) -> int:
        return self.params.index.decimals

    @property
    def bands(self) -> tuple[Band, ...]:
        return self.params.bands

    @property
    def name(self) -> str:
        """The index and year, e.g. "PAR INDEX 2020"."""
        return f"{self.params.index.name} {self.params.year}"

    @property
    def demonstration(self) -> bool:
        """Whether any value shown is simulated."""
        frames = [self.data.scores] + ([self.data.companion] if self.data.companion is not None else [])
        return any((f.provenance == "simulated").any() for f in frames)

    @cached_property
    def has_regions(self) -> bool:
        """Whether the main units have regions to compare (a region column in their register, and regions)."""
        units = self.data.scores[self.data.scores.unit_type == self.params.main_type]
        return bool(self.regions.names_vi) and units["region"].notna().any()

    def units(self, unit_type: str) -> pd.DataFrame:
        """The units of one type with band and computed rank, best first."""
        frame = self.data.scores[self.data.scores.unit_type == unit_type]
        ranked = analysis.with_bands(frame, self.bands, self.decimals, self.params.ranking.ties)
        return ranked.sort_values(["computed_rank", "code"])

    def previous_units(self, unit_type: str) -> pd.DataFrame | None:
        if self.previous is None:
            return None
        return self.previous.scores[self.previous.scores.unit_type == unit_type]

    def compared(self, unit_type: str) -> pd.DataFrame | None:
        """Unit-by-unit change on the comparison year, or None without one."""
        before = self.previous_units(unit_type)
        if before is None or before.empty:
            return None
        previous = self.previous.params
        return analysis.compare(
            self.units(unit_type),
            before,
            self.bands,
            previous.bands,
            self.decimals,
            self.params.ranking.ties,
            previous.ranking.ties,
        )

    @cached_property
    def companion(self) -> pd.DataFrame | None:
        frame = self.data.companion
        if frame is None:
            return None
        ranks = rank(frame.score, self.decimals, self.params.ranking.ties, frame.get("rank"))
        return frame.assign(computed_rank=ranks).sort_values(["computed_rank", "code"])

    def mean(self, frame: pd.DataFrame) -> float:
        return analysis.round_half_up(frame.score.mean(), self.decimals)

    @property
    def unit_types(self) -> tuple[str, ...]:
        """The unit types the year ranks, as its params name them (e.g. "province", "ministry")."""
        return tuple(self.params.units)

    def contents(self) -> list[str]:
        """What the year holds, one line each: unit types, tables and their columns, companion, bands, files.

        Returns:
            The lines `repr(year)` and `_repr_html_` show.
        """
        counts = self.data.scores.unit_type.value_counts()
        types = ", ".join(f"{t} ({counts.get(t, 0)} units, set {s})" for t, s in self.params.units.items())
        first = self.unit_types[0]
        compared = self.compared(first)
        companion = self.companion
        lines = [
            f"Year {self.name}: params {self.params.file}, languages {', '.join(self.codes)}",
            f"unit types: {types}",
            f'year.units("{first}"): DataFrame {len(self.units(first))} rows x '
            f"{', '.join(map(str, self.units(first).columns))}",
            f'year.compared("{first}"): '
            + (
                f"change on {self.params.comparison_year}: {', '.join(map(str, compared.columns))}"
                if compared is not None
                else "None (no comparison year)"
            ),
            "year.companion: "
            + (
                f"{self.params.companion.name}, {len(companion)} rows x "
                + ", ".join(map(str, companion.columns))
                if companion is not None
                else "None (no companion index)"
            ),
            f"year.data.components: {len(self.data.components)} rows (parts of the scores)",
            "bands: " + ", ".join(f"{band.key} >= {band.min:g}" for band in self.bands),
            "regions: " + ", ".join(f"{code} {name}" for code, name in self.regions.names_en.items()),
            "filters: yearly.ranking(year, region=..., band=..., units=[...], highlight=[...]); "
            'yearly.chart(year, "ranked", ...); yearly.figure(year, draw, alt=...)',
        ]
        return lines

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the languages the report is written in, the main one first."""
        return tuple(language.code for language in self.languages)

    def __repr__(self) -> str:
        return "\n  ".join(self.contents())

    def _repr_html_(self) -> str:
        first, *rest = self.contents()
        items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in rest)
        return f"<p><b>{html.escape(first)}</b></p><ul>{items}</ul>"


def load(params_file: str | Path, languages: str | Sequence[str] = "") -> Year:
    """Loads a year and its comparison year (params/<comparison_year>.yaml beside the params file).

    Args:
        params_file: The year's params file.
        languages: The languages to write the report in, e.g. "vi,en"; the params' when empty.

    Returns:
        The year, validated.

    Raises:
        InputError: Params or data of the year or of its comparison year are invalid.
    """
    params = load_params(params_file)
    previous = None
    if params.comparison_year is not None:
        previous_file = Path(params.file).parent / f"{params.comparison_year}.yaml"
        if previous_file.is_file():
            previous = load_year(load_params(previous_file))
    regions = load_regions(params.path(params.units_dir), params.units[params.main_type])
    return Year(params, load_year(params), previous, regions, languages_of(languages, params.languages))
