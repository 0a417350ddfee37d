"""Every year of every province, loaded once and cached in the kernel, as profiles see it."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path

import pandas as pd

from parindex import analysis
from parindex.data.files import state
from parindex.data.ingest import YearData, load_year
from parindex.data.params import Params, load_params
from parindex.data.published import COMPONENTS, load_components
from parindex.data.ranking import Ties, rank
from parindex.data.units import Regions, load_regions
from parindex.errors import InputError, Problem

log = logging.getLogger(__name__)


NEIGHBOURS = 2


_COMPONENT_COLUMNS = ["year", "index", "unit_type", "code", "name", "component", "score", "max_score"]


_COMPONENT_COLUMNS += ["source_url", "note"]


# An aside in another script inside a component's name, e.g. "(得分, tham dinh)".
_FOREIGN_ASIDE = re.compile(r"\s*\([^)]*[\u3000-\u9fff][^)]*\)")


@dataclass(frozen=True, eq=False)
class History:
    """Every year with data, loaded once: what any number of province profiles are made from.

    Build it once with `load_history`, then `profile(history, code, year)` for each province is cheap: the
    per-year ranks, bands and means are computed on first use and kept.

    Attributes:
        years: Each year's validated data, oldest first.
        regions: The socio-economic regions.
        components: The published parts of scores (data/published/components.csv); empty when none.
    """

    years: tuple[YearData, ...]
    regions: Regions
    components: pd.DataFrame

    @cached_property
    def panel(self) -> pd.DataFrame:
        """Every province in every year with rank, band and means (see `panel`)."""
        return panel(self.years)

    @cached_property
    def companion_panel(self) -> pd.DataFrame:
        """Every province's companion index (SIPAS) in every year that has one (see `companion_panel`)."""
        return companion_panel(self.years)

    @property
    def year_numbers(self) -> list[int]:
        return [data.params.year for data in self.years]

    def params(self, year: int) -> Params:
        """The params of one loaded year."""
        for data in self.years:
            if data.params.year == year:
                return data.params
        raise KeyError(year)

    def ranked(self, year: int) -> pd.DataFrame:
        """The provinces of one year, best first."""
        return self.panel[self.panel["year"] == year].reset_index(drop=True)


def load_history(params_dir: str | Path) -> History:
    """Loads every year whose params file is in `params_dir` and whose input files exist.

    Args:
        params_dir: The folder of the params files (params/).

    Returns:
        The history, oldest year first.

    Raises:
        InputError: A params file or a year's data is invalid, or no year has data.
    """
    folder = Path(params_dir)
    years = []
    for file in sorted(folder.glob("*.yaml")):
        params = load_params(file, require_inputs=False)
        if not any(params.path(spec.path).is_file() for spec in params.inputs):
            log.info("%s: no input file exists; the year is left out of the profiles", file.name)
            continue
        years.append(load_year(load_params(file)))
    if not years:
        raise InputError(
            [Problem(str(folder), "no params file with existing input files", "add params/<year>.yaml")]
        )
    years.sort(key=lambda data: data.params.year)
    latest = years[-1].params
    regions = load_regions(latest.path(latest.units_dir), latest.units[latest.main_type])
    components = pd.DataFrame(columns=_COMPONENT_COLUMNS)
    if latest.published and (latest.path(latest.published) / COMPONENTS).is_file():
        components = load_components(latest.path(latest.published))
    return History(tuple(years), regions, components)


def panel(years: Sequence[YearData]) -> pd.DataFrame:
    """Every province in every year: score, computed rank and band, the national and regional means.

    Args:
        years: The years' data.

    Returns:
        Columns year, code, name, short_name, region, score, provenance, band, rank (by the year's tie rule,
        `ranking.ties`), n_units, national_mean, region_mean (means rounded half-up), region_rank (following
        the same rule within the region), region_size; by year, then rank, then code.
    """
    frames = []
    for data in years:
        units = data.scores[data.scores["unit_type"] == data.params.main_type]
        if units.empty:
            continue
        decimals = data.params.index.decimals
        ties = data.params.ranking.ties
        ranked = analysis.with_bands(units, data.params.bands, decimals, ties)
        frame = ranked[["code", "name", "short_name", "region", "score", "provenance", "band"]].copy()
        frame.insert(0, "year", data.params.year)
        frame["rank"] = ranked["computed_rank"].astype(int)
        frame["n_units"] = len(units)
        frame["national_mean"] = analysis.metric_value("mean", units, decimals=decimals)
        means = {
            region: analysis.metric_value(f"mean_region_{region}", units, decimals=decimals)
            for region in units["region"].dropna().unique()
        }
        frame["region_mean"] = frame["region"].map(means).astype(float)
        frame["region_rank"] = 0
        frame["region_size"] = 0
        for _, members in frame.groupby("region"):
            frame.loc[members.index, "region_rank"] = rank(
                members["score"], decimals, ties, members["rank"], within=True
            )
            frame.loc[members.index, "region_size"] = len(members)
        frames.append(frame.sort_values(["rank", "code"], kind="stable"))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def companion_panel(years: Sequence[YearData]) -> pd.DataFrame:
    """Every province's companion index (SIPAS) in every year that has one.

    Args:
        years: The years' data.

    Returns:
        Columns year, index (the companion's name), code, name, score, provenance, rank (by the year's tie
        rule), n_units, national_mean (rounded half-up); by year, then rank, then code.
    """
    frames = []
    for data in years:
        frame = data.companion
        if frame is None or frame.empty:
            continue
        decimals = data.params.index.decimals
        out = frame[["code", "name", "score", "provenance"]].copy()
        out.insert(0, "year", data.params.year)
        out.insert(1, "index", data.params.companion.name)
        given = frame["rank"] if "rank" in frame else None
        out["rank"] = rank(frame["score"], decimals, data.params.ranking.ties, given).astype(int)
        out["n_units"] = len(frame)
        out["national_mean"] = analysis.metric_value("mean", frame, decimals=decimals)
        frames.append(out.sort_values(["rank", "code"], kind="stable"))
    columns = ["year", "index", "code", "name", "score", "provenance", "rank", "n_units", "national_mean"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def neighbours(ranked: pd.DataFrame, code: str, k: int = NEIGHBOURS) -> pd.DataFrame:
    """The unit and the `k` units ranked just above and just below it.

    Args:
        ranked: One year's units in rank order (best first), with `code` and `score`.
        code: The unit.
        k: How many units on each side.

    Returns:
        Up to 2k + 1 rows of `ranked` in rank order, with `is_unit` (the unit's own row) and `difference`
        (the row's score minus the unit's, as exact decimals rounded to two places: positive = ahead).
    """
    ordered = ranked.reset_index(drop=True)
    where = ordered.index[ordered["code"] == code]
    if where.empty:
        raise KeyError(code)
    at = int(where[0])
    rows = ordered.iloc[max(0, at - k) : at + k + 1].copy()
    own = ordered.loc[at, "score"]
    rows["is_unit"] = rows["code"] == code
    rows["difference"] = [difference(score, own) for score in rows["score"]]
    return rows.reset_index(drop=True)


def peer_group(
    ranked: pd.DataFrame,
    codes: Sequence[str],
    code: str,
    decimals: int,
    previous: pd.DataFrame | None = None,
    ties: Ties = "rounded",
) -> pd.DataFrame:
    """A unit's peer group in one year: scores, ranks in the group and nationally, changes.

    Args:
        ranked: The year's units in national rank order (best first), with code, score and rank.
        codes: The codes of the group (the unit among them); codes without a score that year are left out.
        code: The unit the group is for.
        decimals: Decimals scores are compared and changes rounded at.
        previous: The comparison year's units (code and score), or None when that year is not loaded.
        ties: The year's tie rule; under "official" the group's ranks follow the official ranks.

    Returns:
        The group's rows of `ranked` in rank order, with `peer_rank` (by the tie rule, within the group:
        tied units share a rank), `peer_size`, `is_unit`, and `change` (score minus the comparison year's,
        exact and rounded half-up; NaN for a unit absent that year).
    """
    rows = ranked[ranked["code"].isin(list(codes))].reset_index(drop=True).copy()
    rows["peer_rank"] = rank(rows["score"], decimals, ties, rows["rank"], within=True).astype(int).to_numpy()
    rows["peer_size"] = len(rows)
    rows["is_unit"] = rows["code"] == code
    before = {} if previous is None else dict(zip(previous["code"], previous["score"], strict=True))
    rows["change"] = [
        difference(score, before[c], decimals) if c in before else float("nan")
        for c, score in zip(rows["code"], rows["score"], strict=True)
    ]
    return rows


def peer_mean(group: pd.DataFrame, decimals: int) -> float:
    """The mean score of a peer group, on the scores as written, rounded half-up like every published mean."""
    return analysis.metric_value("mean", group, decimals=decimals)


def difference(value: float, other: float, decimals: int = 2) -> float:
    """`value - other` computed on the numbers as written (88.47 - 83.72 = 4.75 exactly), rounded half-up."""
    exact = Decimal(repr(float(value))) - Decimal(repr(float(other)))
    return analysis.round_half_up(float(exact), decimals)


def components_of(components: pd.DataFrame, year: int, code: str, index: str | None = None) -> pd.DataFrame:
    """The published parts of one unit's score in one year, with a readable label for each.

    Args:
        components: A frame from `published.load_components`.
        year: The year.
        code: The unit's code.
        index: The index's slug (e.g. "par_index"); None keeps every index.

    Returns:
        The rows as published, largest part first, plus `label` (the component's name without asides in
        another script, e.g. "appraised_score (得分, tham dinh)" -> "Appraised score"); empty when nothing
        is published.
    """
    keep = (components["year"] == year) & (components["code"] == code)
    if index is not None:
        keep &= components["index"] == index
    rows = components[keep].copy()
    rows["label"] = [component_label(text) for text in rows["component"]]
    rows = rows.sort_values("score", ascending=False, na_position="last", kind="stable")
    return rows.reset_index(drop=True)


def component_label(text: str) -> str:
    """A component's name for a table: asides in another script dropped, underscores as spaces."""
    label = _FOREIGN_ASIDE.sub("", text).replace("_", " ").strip()
    return label[:1].upper() + label[1:]


def fingerprint(params_dir: Path, root: Path) -> tuple:
    """What the loaded years depend on: every params file and every data file, with its `files.state`."""
    files = sorted(params_dir.glob("*.yaml")) + sorted(p for p in (root / "data").rglob("*") if p.is_file())
    return tuple((str(p), state(p)) for p in files)


@functools.lru_cache(maxsize=2)
def cached_history(params_dir: Path, fingerprint: tuple) -> History:
    """The loaded years, kept while the files they came from are unchanged.

    A kernel that makes many profiles one after the other (parindex build --profiles) loads the data once;
    any change to a params or data file gives a new fingerprint, so a stale copy is never used.
    """
    return load_history(params_dir)
