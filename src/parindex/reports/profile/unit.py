"""One province's profile: its row in every year, its region, neighbours, components and companion index."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from parindex.data.params import Params, load_params
from parindex.errors import InputError, Problem
from parindex.reports.profile.history import History, cached_history, components_of, fingerprint, neighbours


@dataclass(frozen=True, eq=False)
class Profile:
    """One province seen from one year, with its whole history.

    Attributes:
        history: The loaded years.
        code: The province's code.
        year: The year the profile is about.
    """

    history: History
    code: str
    year: int

    @property
    def params(self) -> Params:
        return self.history.params(self.year)

    @property
    def decimals(self) -> int:
        return self.params.index.decimals

    @property
    def unit_label(self) -> str:
        return self.params.index.unit_label

    @cached_property
    def timeline(self) -> pd.DataFrame:
        """The province in every loaded year (rows of `History.panel`), oldest first."""
        panel_ = self.history.panel
        return panel_[panel_["code"] == self.code].sort_values("year").reset_index(drop=True)

    @cached_property
    def companion_timeline(self) -> pd.DataFrame:
        """The province's companion index (SIPAS) in every year that has one, oldest first."""
        frame = self.history.companion_panel
        return frame[frame["code"] == self.code].sort_values("year").reset_index(drop=True)

    @property
    def row(self) -> pd.Series:
        """The province in the profile year."""
        return self.timeline[self.timeline["year"] == self.year].iloc[0]

    @property
    def name(self) -> str:
        return str(self.row["name"])

    @property
    def region(self) -> str:
        return str(self.row["region"])

    @property
    def region_name(self) -> str:
        """The region's English name, e.g. "North Central and Central Coast"."""
        return self.history.regions.names_en.get(self.region, self.region)

    @property
    def title(self) -> str:
        """E.g. "Thừa Thiên Huế: PAR INDEX 2020 profile"."""
        return f"{self.name}: {self.params.index.name} {self.year} profile"

    @property
    def stem(self) -> str:
        """The name of the profile's files, e.g. par_index_2020_46 (see `file_stem`)."""
        return file_stem(self.params, self.code)

    @cached_property
    def neighbours(self) -> pd.DataFrame:
        """The province and the two ranked just above and below it in the profile year."""
        return neighbours(self.history.ranked(self.year), self.code)

    @cached_property
    def components(self) -> pd.DataFrame:
        """The published parts of the province's score in the profile year."""
        return components_of(self.history.components, self.year, self.code, self.params.index.slug)

    @property
    def previous(self) -> pd.Series | None:
        """The province in the comparison year (or the year before), when it is loaded."""
        wanted = self.params.comparison_year or self.year - 1
        rows = self.timeline[self.timeline["year"] == wanted]
        return rows.iloc[0] if not rows.empty else None

    @property
    def demonstration(self) -> bool:
        """Whether any value shown is simulated."""
        frames = (self.timeline, self.companion_timeline, self.neighbours)
        return any((frame["provenance"] == "simulated").any() for frame in frames if not frame.empty)


def file_stem(params: Params, code: str) -> str:
    """The name of a profile's files: <slug>_<year>_<code>, e.g. par_index_2020_46."""
    return f"{params.index.slug}_{params.year}_{code}"


def profile(history: History, code: str | int, year: int | None = None) -> Profile:
    """One province's profile, from an already loaded history.

    Args:
        history: The years, from `load_history`.
        code: The province's code, e.g. "46".
        year: The year the profile is about; the latest loaded year when None.

    Returns:
        The profile.

    Raises:
        InputError: The year is not loaded, or no province of that year has the code.
    """
    year = history.year_numbers[-1] if year is None else int(year)
    if year not in history.year_numbers:
        loaded = ", ".join(str(y) for y in history.year_numbers)
        raise InputError(
            [Problem("params", f"no data loaded for {year}", f"use one of the years with data: {loaded}")]
        )
    code = str(code).strip()
    ranked = history.ranked(year)
    if code not in set(ranked["code"]):
        padded = code.zfill(2)
        hint = ""
        if padded in set(ranked["code"]):
            name = ranked.loc[ranked["code"] == padded, "name"].iloc[0]
            hint = f"; did you mean '{padded}' ({name})?"
        units_dir = history.params(year).units_dir
        raise InputError(
            [
                Problem(
                    str(history.params(year).file),
                    f"no province with code '{code}' in {year}{hint}",
                    f'use a code of {units_dir}/provinces.csv as text, e.g. unit_code = "46"',
                    key="unit_code",
                )
            ]
        )
    return Profile(history, code, year)


def load(params_file: str | Path, unit_code: str | int) -> Profile:
    """Loads every year beside `params_file` and returns the profile of one province in that file's year.

    Args:
        params_file: The profile year's params file, e.g. params/2020.yaml.
        unit_code: The province's code, e.g. "46".

    Returns:
        The profile.

    Raises:
        InputError: Params or data are invalid, or the code is not a province of that year.
    """
    params = load_params(params_file)
    params_dir = Path(params_file).resolve().parent
    return profile(cached_history(params_dir, fingerprint(params_dir, params.root)), unit_code, params.year)
