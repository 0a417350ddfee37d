"""One province's profile: its row in every year, its region, neighbours, components and companion index."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from parindex.data.params import Component, Params, code_problems, load_params, province_codes, with_unit
from parindex.data.units import fold
from parindex.errors import InputError, Problem
from parindex.i18n import Lang, languages_of
from parindex.reports import nouns
from parindex.reports.profile.areas import area_table, year_parts
from parindex.reports.profile.history import (
    History,
    cached_history,
    components_of,
    fingerprint,
    neighbours,
    peer_group,
    peer_mean,
)

_NOT_ASCII = re.compile("[^a-z0-9]+")
_NAME_LENGTH = 40  # characters of a name in a file name, whole words


@dataclass(frozen=True, eq=False)
class Profile:
    """One province seen from one year, with its whole history.

    Attributes:
        history: The loaded years.
        code: The province's code.
        year: The year the profile is about.
        languages: The languages the profile is written in, the main one first.
        peers: A peer group given for this build (parindex build --peers), the province added when left out;
            empty for the params' group of the province, else its region.
    """

    history: History
    code: str
    year: int
    languages: tuple[Lang, ...] = ()
    peers: tuple[str, ...] = ()

    @property
    def params(self) -> Params:
        return self.history.params(self.year)

    @property
    def decimals(self) -> int:
        return self.params.index.decimals

    def unit_label(self, language: str) -> str:
        """The unit written after the index's scores in one language: "%", a word, or ""."""
        return self.params.unit_label(language)

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

    def region_in(self, lang: Lang, short: bool = False) -> str:
        """The region's name in a language, e.g. "Bắc Trung Bộ và duyên hải miền Trung" or "Central Coast"."""
        return self.history.regions.name(self.region, lang.code, short)

    def title(self, lang: Lang) -> str:
        """E.g. "Thừa Thiên Huế: hồ sơ PAR INDEX năm 2020" or "Thừa Thiên Huế: PAR INDEX 2020 profile"."""
        return lang.t("profile.title", name=self.name, index=self.params.index.name, year=self.year)

    @property
    def stem(self) -> str:
        """The name of the profile's files, e.g. par_index_2020_thua_thien_hue_46 (see `file_stem`)."""
        return file_stem(self.params, self.code, self.name)

    @cached_property
    def neighbours(self) -> pd.DataFrame:
        """The province and the two ranked just above and below it in the profile year."""
        return neighbours(self.history.ranked(self.year), self.code)

    @property
    def peer_kind(self) -> str:
        """Where the peer group comes from: "custom" (the build's --peers), "params" or "region"."""
        if self.peers:
            return "custom"
        return "params" if self.params.peers.of(self.code) else "region"

    @cached_property
    def peer_codes(self) -> tuple[str, ...]:
        """The codes of the peer group, the province among them."""
        if self.peers:
            return with_unit(self.peers, self.code)
        chosen = self.params.peers.of(self.code)
        if chosen:
            return chosen
        ranked = self.history.ranked(self.year)
        return tuple(ranked.loc[ranked["region"] == self.region, "code"])

    @cached_property
    def peer_group(self) -> pd.DataFrame:
        """The peer group in the profile year, in rank order, with ranks in the group and changes."""
        wanted = self.params.comparison_year or self.year - 1
        previous = self.history.ranked(wanted) if wanted in self.history.year_numbers else None
        ranked = self.history.ranked(self.year)
        ties = self.params.ranking.ties
        return peer_group(ranked, self.peer_codes, self.code, self.decimals, previous, ties)

    @property
    def peer_row(self) -> pd.Series:
        """The province's own row of `peer_group`."""
        return self.peer_group[self.peer_group["is_unit"]].iloc[0]

    @property
    def peer_mean(self) -> float:
        """The peer group's mean score, rounded half-up to the index's decimals."""
        return peer_mean(self.peer_group, self.decimals)

    @cached_property
    def components(self) -> pd.DataFrame:
        """The published parts of the province's score in the profile year."""
        return components_of(self.history.components, self.year, self.code, self.params.index.slug)

    @property
    def area_components(self) -> tuple[Component, ...]:
        """The profile year's component indices (areas) of provinces, in the methodology's order."""
        return self.params.components_of(self.params.main_type)

    @cached_property
    def areas(self) -> pd.DataFrame:
        """The province's points per component index against the national, regional and peer means.

        Rows of `areas.area_table`, most points lost first; empty when the year has no components.
        """
        data = next(d for d in self.history.years if d.params.year == self.year)
        ranked = self.history.ranked(self.year)
        region = tuple(ranked.loc[ranked["region"] == self.region, "code"])
        return area_table(
            year_parts(data), self.area_components, self.code, region, self.peer_codes, self.decimals
        )

    @property
    def previous(self) -> pd.Series | None:
        """The province in the comparison year (or the year before), when it is loaded."""
        wanted = self.params.comparison_year or self.year - 1
        rows = self.timeline[self.timeline["year"] == wanted]
        return rows.iloc[0] if not rows.empty else None

    @property
    def demonstration(self) -> bool:
        """Whether any value shown is simulated."""
        frames = (self.timeline, self.companion_timeline, self.neighbours, self.peer_group)
        return any((frame["provenance"] == "simulated").any() for frame in frames if not frame.empty)


def file_stem(params: Params, code: str, name: str = "") -> str:
    """The name of a profile's files, so that a person finds a province: its name in ASCII, then its code.

    Args:
        params: The year's params.
        code: The unit's code, e.g. "40".
        name: The unit's name, e.g. "Nghệ An": written without diacritics, prefixes or punctuation, in
            lower case with "_" between words, as many whole words as fit in 40 characters (left out when
            nothing of it is ASCII).

    Returns:
        <slug>_<year>_<name>_<code>, e.g. par_index_2020_nghe_an_40; <slug>_<year>_<code> without a name.
    """
    words: list[str] = []
    for word in _NOT_ASCII.sub(" ", fold(name)).split():
        if len("_".join([*words, word])) > _NAME_LENGTH:
            break
        words.append(word)
    return "_".join(part for part in (params.index.slug, str(params.year), "_".join(words), code) if part)


def profile(
    history: History,
    code: str | int,
    year: int | None = None,
    languages: str | Sequence[str] = "",
    peers: str | Sequence[str] = "",
) -> Profile:
    """One province's profile, from an already loaded history.

    Args:
        history: The years, from `load_history`.
        code: The province's code, e.g. "46".
        year: The year the profile is about; the latest loaded year when None.
        languages: The languages to write it in, e.g. "vi,en"; the year's params' when empty.
        peers: A peer group's codes, as a sequence or comma-separated ("01,31,48"); empty for the params'
            group of the province, else its region.

    Returns:
        The profile.

    Raises:
        InputError: The year is not loaded, no province of that year has the code or a peer's code, or a
            language has no catalog.
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
        tail = f' as text, e.g. unit_code = "{ranked["code"].iloc[0]}"'
        problem = nouns.unknown_code(history.params(year), [f"'{code}'"], hint, tail)
        raise InputError([replace(problem, key="unit_code")])
    params = history.params(year)
    group = peer_codes(peers)
    if group:
        known = province_codes(params)
        problems = code_problems(group, known, "peers", *nouns.main_set(params))
        if problems:
            raise InputError(problems)
    return Profile(history, code, year, languages_of(languages, params.languages), group)


def peer_codes(codes: str | Sequence[str]) -> tuple[str, ...]:
    """Peer codes as a tuple, from a sequence or a comma-separated string ("01, 31,48" -> 01, 31, 48)."""
    if isinstance(codes, str):
        codes = codes.split(",")
    return tuple(dict.fromkeys(str(code).strip() for code in codes if str(code).strip()))


def load(
    params_file: str | Path,
    unit_code: str | int,
    languages: str | Sequence[str] = "",
    peers: str | Sequence[str] = "",
) -> Profile:
    """Loads every year beside `params_file` and returns the profile of one province in that file's year.

    Args:
        params_file: The profile year's params file, e.g. params/2020.yaml.
        unit_code: The province's code, e.g. "46".
        languages: The languages to write it in, e.g. "vi,en"; the params' when empty.
        peers: A peer group's codes, e.g. "01,31,48,79,92"; empty for the params' group, else the region.

    Returns:
        The profile.

    Raises:
        InputError: Params or data are invalid, the code or a peer's is not a province of that year, or a
            language has no catalog.
    """
    params = load_params(params_file)
    params_dir = Path(params_file).resolve().parent
    history = cached_history(params_dir, fingerprint(params_dir, params.root))
    return profile(history, unit_code, params.year, languages, peers)
