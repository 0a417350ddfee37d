"""One year of an index as the yearly report sees it: its data, bands, ranks and comparison year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from parindex import analysis
from parindex.data.ingest import YearData, load_year
from parindex.data.params import Band, Params, load_params
from parindex.data.units import Regions, load_regions
from parindex.i18n import Lang, languages_of


@dataclass(frozen=True)
class Year:
    """One year's data with its analysis: what a report about that year shows.

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
        return analysis.with_bands(frame, self.bands, self.decimals).sort_values(["computed_rank", "code"])

    def previous_units(self, unit_type: str) -> pd.DataFrame | None:
        if self.previous is None:
            return None
        return self.previous.scores[self.previous.scores.unit_type == unit_type]

    def compared(self, unit_type: str) -> pd.DataFrame | None:
        """Unit-by-unit change on the comparison year, or None without one."""
        before = self.previous_units(unit_type)
        if before is None or before.empty:
            return None
        return analysis.compare(
            self.units(unit_type), before, self.bands, self.previous.params.bands, self.decimals
        )

    @cached_property
    def companion(self) -> pd.DataFrame | None:
        frame = self.data.companion
        if frame is None:
            return None
        return frame.assign(computed_rank=analysis.competition_rank(frame.score, self.decimals)).sort_values(
            ["computed_rank", "code"]
        )

    def mean(self, frame: pd.DataFrame) -> float:
        return analysis.round_half_up(frame.score.mean(), self.decimals)


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
