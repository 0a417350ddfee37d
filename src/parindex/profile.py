"""Province profile: one province across every year with data, in sections, sentences and an index page."""

from __future__ import annotations

import functools
import html
import logging
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from parindex import analysis, charts
from parindex.data.ingest import YearData, load_year
from parindex.data.params import Band, Params, load_params
from parindex.data.published import COMPONENTS, load_components
from parindex.data.units import Regions, load_regions
from parindex.errors import InputError, Problem
from parindex.reports import present
from parindex.reports.present import Column, number

log = logging.getLogger(__name__)

UNIT_TYPE = "province"
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
    regions = load_regions(latest.path(latest.units_dir))
    components = pd.DataFrame(columns=_COMPONENT_COLUMNS)
    if latest.published and (latest.path(latest.published) / COMPONENTS).is_file():
        components = load_components(latest.path(latest.published))
    return History(tuple(years), regions, components)


# --- pure functions --------------------------------------------------------------------------------------


def panel(years: Sequence[YearData]) -> pd.DataFrame:
    """Every province in every year: score, computed rank and band, the national and regional means.

    Args:
        years: The years' data.

    Returns:
        Columns year, code, name, short_name, region, score, provenance, band, rank (competition ranking on
        scores at the year's decimals), n_units, national_mean, region_mean (means rounded half-up),
        region_rank, region_size; by year, then rank, then code.
    """
    frames = []
    for data in years:
        units = data.scores[data.scores["unit_type"] == UNIT_TYPE]
        if units.empty:
            continue
        decimals = data.params.index.decimals
        ranked = analysis.with_bands(units, data.params.bands, decimals)
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
            frame.loc[members.index, "region_rank"] = analysis.competition_rank(members["score"], decimals)
            frame.loc[members.index, "region_size"] = len(members)
        frames.append(frame.sort_values(["rank", "code"], kind="stable"))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def companion_panel(years: Sequence[YearData]) -> pd.DataFrame:
    """Every province's companion index (SIPAS) in every year that has one.

    Args:
        years: The years' data.

    Returns:
        Columns year, index (the companion's name), code, name, score, provenance, rank (competition
        ranking), n_units, national_mean (rounded half-up); by year, then rank, then code.
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
        out["rank"] = analysis.competition_rank(frame["score"], decimals).astype(int)
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


def band_words(label: str, bands: Sequence[Band], unit: str = "%", scale_min: float = 0) -> str:
    """A band's range in words, e.g. "80% to under 90%", "90% and above", "under 70%"."""
    for i, band in enumerate(bands):
        if band.label == label:
            if i == 0:
                return f"{band.min:g}{unit} and above"
            if band.min <= scale_min:
                return f"under {bands[i - 1].min:g}{unit}"
            return f"{band.min:g}{unit} to under {bands[i - 1].min:g}{unit}"
    return f"under {bands[-1].min:g}{unit}"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd..."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def band_rules(bands_by_year: Mapping[int, Sequence[Band]], scale_min: float = 0) -> str:
    """The bands of each year in short, consecutive years with the same bands grouped.

    Example: "2018: A ≥ 80, B 75–<80, C 70–<75, D < 70; 2019–2022: A ≥ 90, B 80–<90, C 70–<80".
    """
    groups: list[tuple[list[int], str]] = []
    for year in sorted(bands_by_year):
        bands = bands_by_year[year]
        parts = []
        for i, band in enumerate(bands):
            if i == 0:
                parts.append(f"{band.label} ≥ {band.min:g}")
            elif band.min <= scale_min:
                parts.append(f"{band.label} < {bands[i - 1].min:g}")
            else:
                parts.append(f"{band.label} {band.min:g}–<{bands[i - 1].min:g}")
        text = ", ".join(parts)
        if groups and groups[-1][1] == text and groups[-1][0][-1] == year - 1:
            groups[-1][0].append(year)
        else:
            groups.append(([year], text))
    return "; ".join(
        f"{years[0] if len(years) == 1 else f'{years[0]}–{years[-1]}'}: {text}" for years, text in groups
    )


# --- one province ----------------------------------------------------------------------------------------


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
    return profile(_cached_history(params_dir, _fingerprint(params_dir, params.root)), unit_code, params.year)


def _fingerprint(params_dir: Path, root: Path) -> tuple:
    """What the loaded years depend on: every params file and every data file, with size and time."""
    files = sorted(params_dir.glob("*.yaml")) + sorted(p for p in (root / "data").rglob("*") if p.is_file())
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)


@functools.lru_cache(maxsize=2)
def _cached_history(params_dir: Path, fingerprint: tuple) -> History:
    """The loaded years, kept while the files they came from are unchanged.

    A kernel that makes many profiles one after the other (parindex build --profiles) loads the data once;
    any change to a params or data file gives a new fingerprint, so a stale copy is never used.
    """
    return load_history(params_dir)


# --- sentences -------------------------------------------------------------------------------------------


def _rank_text(rank: int, n: int, tied: bool) -> str:
    return f"{ordinal(rank)}{' (tied)' if tied else ''} of {n}"


def _against(diff: float, what: str, decimals: int) -> str:
    if diff == 0:
        return f"equal to {what}"
    return f"{number(abs(diff), decimals)} points {'above' if diff > 0 else 'below'} {what}"


def sentences(p: Profile) -> list[str]:
    """The profile's key sentences from the data: rank, means, region, change, range over the years."""
    row, d, u = p.row, p.decimals, p.unit_label
    ranked = p.history.ranked(p.year)
    tied = int((ranked["rank"] == row["rank"]).sum()) > 1
    national = difference(row["score"], row["national_mean"], d)
    band = band_words(str(row["band"]), p.params.bands, u, p.params.index.scale.min)
    texts = [
        f"{p.name} ranks {_rank_text(int(row['rank']), int(row['n_units']), tied)} in {p.year} with "
        f"{number(row['score'], d)}{u}, {_against(national, 'the national mean', d)} "
        f"({number(row['national_mean'], d)}{u}); it is in band {row['band']} ({band})."
    ]
    regional = difference(row["score"], row["region_mean"], d)
    size = int(row["region_size"])
    standing = (
        f"ranks {ordinal(int(row['region_rank']))} of {size} provinces in the region"
        if size > 1
        else "is the only province of the region in the data"
    )
    texts.append(
        f"It is in the {p.region_name} region, whose mean is {number(row['region_mean'], d)}{u}: "
        f"{p.name} is {_against(regional, 'it', d)} and {standing}."
    )
    before = p.previous
    if before is not None:
        change = difference(row["score"], before["score"], d)
        moved = int(before["rank"]) - int(row["rank"])
        score_text = (
            f"its score {'rose' if change > 0 else 'fell'} {number(abs(change), d)} points"
            if change
            else "its score was unchanged"
        )
        rank_text = (
            f"it moved {'up' if moved > 0 else 'down'} {abs(moved)} place{'s' if abs(moved) != 1 else ''} "
            f"from {ordinal(int(before['rank']))}"
            if moved
            else f"it kept its rank ({ordinal(int(row['rank']))})"
        )
        texts.append(
            f"Against {int(before['year'])} ({number(before['score'], d)}{u}), {score_text} and {rank_text}."
        )
    timeline = p.timeline
    if len(timeline) > 1:
        first, last = int(timeline["year"].min()), int(timeline["year"].max())
        best, worst = int(timeline["rank"].min()), int(timeline["rank"].max())
        above = int((timeline["score"] > timeline["national_mean"]).sum())
        texts.append(
            f"Over {first}–{last} its best rank was {ordinal(best)} ({_years(timeline, 'rank', best)}) and "
            f"its lowest {ordinal(worst)} ({_years(timeline, 'rank', worst)}); it scored above the national "
            f"mean in {above} of {len(timeline)} years."
        )
    return texts


def _years(frame: pd.DataFrame, column: str, value: object) -> str:
    return ", ".join(str(int(y)) for y in frame.loc[frame[column] == value, "year"])


def neighbour_sentence(p: Profile) -> str:
    """Who ranks just above and just below the province, and by how many points."""
    rows, d, u = p.neighbours, p.decimals, p.unit_label
    at = int(rows.index[rows["is_unit"]][0])
    parts = []
    if at > 0:
        above = rows.iloc[at - 1]
        gap = (
            f"is {number(above['difference'], d)} points ahead of {p.name}"
            if above["difference"]
            else f"has the same score as {p.name}"
        )
        parts.append(f"{above['name']} ({ordinal(int(above['rank']))}, {number(above['score'], d)}{u}) {gap}")
    else:
        parts.append(f"No province ranks above {p.name}")
    if at + 1 < len(rows):
        below = rows.iloc[at + 1]
        gap = (
            f"is {number(-below['difference'], d)} points behind"
            if below["difference"]
            else "has the same score"
        )
        parts.append(f"{below['name']} ({ordinal(int(below['rank']))}, {number(below['score'], d)}{u}) {gap}")
    else:
        parts.append("no province ranks below it")
    return "; ".join(parts) + "."


def companion_sentences(p: Profile) -> list[str]:
    """The province's companion index (SIPAS) in the profile year against its national mean, and its range."""
    frame = p.companion_timeline
    if frame.empty:
        return [f"No companion index (SIPAS) is given for {p.name} in any loaded year."]
    d = p.decimals
    now = frame[frame["year"] == p.year]
    name = str(frame["index"].iloc[-1])
    texts = []
    if now.empty:
        texts.append(f"No {name} is given for {p.year}.")
    else:
        row = now.iloc[0]
        diff = difference(row["score"], row["national_mean"], d)
        texts.append(
            f"{p.name}'s {name} in {p.year} is {number(row['score'], d)}% ({ordinal(int(row['rank']))} of "
            f"{int(row['n_units'])}), {_against(diff, f'the national {name} mean', d)} "
            f"({number(row['national_mean'], d)}%)."
        )
    if len(frame) > 1:
        best, worst = int(frame["rank"].min()), int(frame["rank"].max())
        texts.append(
            f"Its {name} rank over {int(frame['year'].min())}–{int(frame['year'].max())} ranged from "
            f"{ordinal(best)} ({_years(frame, 'rank', best)}) to {ordinal(worst)} "
            f"({_years(frame, 'rank', worst)})."
        )
    return texts


def component_sentences(p: Profile) -> list[str]:
    """What the published parts of the score say, or plainly that none are published."""
    rows, d = p.components, p.decimals
    others = p.history.components
    other_years = sorted(
        int(y)
        for y in others.loc[
            (others["code"] == p.code) & (others["index"] == p.params.index.slug), "year"
        ].unique()
        if int(y) != p.year
    )
    also = f" Parts are published for {p.name} in {', '.join(map(str, other_years))}." if other_years else ""
    if rows.empty:
        return [
            f"No breakdown of {p.name}'s {p.year} score into its parts has been published; only the total "
            f"({number(p.row['score'], d)}{p.unit_label}) is known.{also}"
        ]
    scored = rows.dropna(subset=["score"])
    total = analysis.round_half_up(float(sum(Decimal(repr(float(s))) for s in scored["score"])), d)
    text = f"{len(rows)} parts of {p.name}'s {p.year} score are published"
    if len(scored) == len(rows) and len(rows) > 1:
        gap = difference(total, p.row["score"], d)
        text += f"; they add up to {number(total, d)} points" + (
            f", {number(abs(gap), d)} {'above' if gap > 0 else 'below'} the score of "
            f"{number(p.row['score'], d)} (each part is rounded as published)"
            if gap
            else ", exactly the score"
        )
    return [text + "." + also]


# --- sections --------------------------------------------------------------------------------------------

_PROFILE_STYLE = """<style>
.parindex-profile h1 { font-size: 18pt; margin: 0 0 .2em; }
.parindex-profile p { margin: .3em 0; }
.parindex-profile .parindex-banner { margin: .4em 0; padding: .3em .8em; }
.parindex-profile table.parindex-table { margin: .2em 0; }
.parindex-profile table.parindex-table caption { padding: .1em 0; }
.parindex-profile table.parindex-table th, .parindex-profile table.parindex-table td { padding: 1px 7px;
  line-height: 1.25; }
.parindex-profile .parindex-subtitle { color: #444; margin-top: 0; }
.parindex-profile .parindex-key { gap: .4em; }
.parindex-profile .parindex-key div { min-width: 0; flex: 1 1 0; padding: .25em .6em; font-size: 8.5pt; }
.parindex-profile .parindex-key b { font-size: 12pt; }
.parindex-profile table.parindex-table th, .parindex-profile table.parindex-table td { text-align: left; }
.parindex-profile table.parindex-table th.num, .parindex-profile table.parindex-table td.num {
  text-align: right; }
.parindex-profile table.parindex-table tr.parindex-self td { font-weight: bold; background: #f2f2f2; }
.parindex-profile .parindex-figure { margin: .3em 0; }
@media print {
  .jp-Notebook .jp-Cell.jp-Notebook-cell { padding-top: 0; padding-bottom: 0; }
  .jp-RenderedMarkdown h2 { font-size: 13pt; margin: .6em 0 .1em; }
  .jp-RenderedMarkdown p { margin: .2em 0; }
}
</style>"""


def _show(*parts: str) -> HTML:
    """A profile section: its parts inside the block the profile's style applies to."""
    return HTML('<div class="parindex-profile">' + "".join(parts) + "</div>")


def title(p: Profile) -> HTML:
    """The profile's heading, its style, and the demonstration banner when values are simulated."""
    params = p.params
    row = p.row
    kind = "centrally-run city" if p.code in _cities(p) else "province"
    parts = [
        present.STYLE,
        _PROFILE_STYLE,
        f"<h1>{html.escape(p.title)}</h1>",
        f'<p class="parindex-subtitle">{html.escape(params.index.title)}: profile of a {kind}, '
        f"code {html.escape(p.code)}, {html.escape(p.region_name)} region. Rank {int(row['rank'])} of "
        f"{int(row['n_units'])} in {p.year}.</p>",
    ]
    if p.demonstration:
        parts.append(
            present.banner(
                "Demonstration data: values marked † are simulated, not official results. Only values read "
                "in public sources are marked published."
            )
        )
    return _show(*parts)


def _cities(p: Profile) -> set[str]:
    """Codes of the centrally-run cities, from the unit register's kind column."""
    register = p.params.path(p.params.units_dir) / "provinces.csv"
    if not register.is_file():
        return set()
    table = pd.read_csv(register, dtype=str, keep_default_na=False)
    return set(table.loc[table.get("kind", pd.Series(dtype=str)) == "city", "code"])


def overview(p: Profile) -> HTML:
    """Key figures in boxes and the profile's sentences."""
    row, d, u = p.row, p.decimals, p.unit_label
    boxes = [
        ("Score", f"{number(row['score'], d)}{u}"),
        ("Rank", f"{int(row['rank'])} of {int(row['n_units'])}"),
        ("Band", str(row["band"])),
        ("vs national mean", number(difference(row["score"], row["national_mean"], d), d, signed=True)),
        ("vs regional mean", number(difference(row["score"], row["region_mean"], d), d, signed=True)),
    ]
    return _show(present.key_figures(boxes), present.paragraphs(*sentences(p)))


def _source(p: Profile) -> str:
    publisher = p.params.index.publisher
    return " ".join(
        part for part in (f"Source: {publisher}." if publisher else "", p.params.source_note) if part
    )


def chart(p: Profile) -> HTML:
    """The province's score against the national and regional means, and its rank, in every year."""
    timeline = p.timeline
    index = p.params.index
    region = p.history.regions.short_en.get(p.region, p.region_name)
    fig = charts.profile_history(
        timeline,
        f"{p.name}: {index.name} {int(timeline['year'].min())}–{int(timeline['year'].max())}",
        _source(p),
        unit_label=p.name,
        region_label=f"{region} mean",
        current_year=p.year,
        score_label=f"{index.name} ({index.unit_label})",
        decimals=p.decimals,
    )
    return _show(present.figure(fig, alt_text(p)))


def alt_text(p: Profile) -> str:
    """The history chart in words, with its figures."""
    timeline, d = p.timeline, p.decimals
    first, last = timeline.iloc[0], timeline.iloc[-1]
    best = int(timeline["rank"].min())
    return (
        f"Line chart of {p.name}'s {p.params.index.name} in {len(timeline)} years against the national and "
        f"regional means: {number(first['score'], d)} in {int(first['year'])}, {number(last['score'], d)} in "
        f"{int(last['year'])}; rank {int(first['rank'])} in {int(first['year'])}, {int(last['rank'])} in "
        f"{int(last['year'])}, best {best} ({_years(timeline, 'rank', best)})."
    )


def history_table(p: Profile) -> HTML:
    """Score, rank and band in every year, against the national and regional means; the bands of each year."""
    d = p.decimals
    frame = p.timeline.assign(
        against=[
            difference(s, m, d) for s, m in zip(p.timeline["score"], p.timeline["national_mean"], strict=True)
        ]
    )
    region = p.history.regions.short_en.get(p.region, p.region_name)
    columns = [
        Column("year", "Year"),
        Column("score", f"Score ({p.unit_label})", lambda v: number(v, d), True, True),
        Column("rank", "Rank", lambda v: str(int(v)), True, True),
        Column("n_units", "of", lambda v: str(int(v)), True),
        Column("band", "Band", marks_simulated=True),
        Column("national_mean", "National mean", lambda v: number(v, d), True),
        Column("against", "vs national mean", lambda v: number(v, d, signed=True), True),
        Column("region_mean", f"{region} mean", lambda v: number(v, d), True),
        Column("region_rank", "Rank in region", lambda v: str(int(v)), True),
    ]
    bands = {int(y): p.history.params(int(y)).bands for y in frame["year"]}
    note = (
        f"Bands as published each year: {band_rules(bands, p.params.index.scale.min)}. Means are over all "
        "provinces of the year."
    )
    caption = f"{p.name}: {p.params.index.name} in every year with data"
    return _show(
        present.table(frame, columns, caption, frame["provenance"].eq("simulated")),
        f'<p class="parindex-note">{html.escape(note)}</p>',
    )


def neighbours_section(p: Profile) -> HTML:
    """The two provinces ranked just above and the two just below, with scores and the gap to this one."""
    d = p.decimals
    rows = p.neighbours.assign(difference=lambda f: f["difference"].where(~f["is_unit"], None))
    regions = p.history.regions.short_en
    columns = [
        Column("rank", "Rank", lambda v: str(int(v)), True),
        Column("name", "Province", css="nowrap"),
        Column("score", f"Score ({p.unit_label})", lambda v: number(v, d), True, True),
        Column("difference", f"Points ahead of {p.name}", lambda v: number(v, d, signed=True), True),
        Column("region", "Region", lambda v: regions.get(v, v), css="nowrap"),
    ]
    table = present.table(
        rows,
        columns,
        f"{p.year}: the neighbours of {p.name} in the ranking",
        rows["provenance"].eq("simulated"),
    )
    table = _mark_row(table, int(rows.index[rows["is_unit"]][0]))
    return _show(present.paragraphs(neighbour_sentence(p)), table)


def _mark_row(table: str, position: int) -> str:
    """Gives one row (0-based) of a `present.table` the class parindex-self (bold, shaded)."""
    head, body = table.split("<tbody>", 1)
    pieces = body.split("<tr>")
    pieces[position + 1] = '<tr class="parindex-self">' + pieces[position + 1]
    joined = "".join(
        piece if i == 0 or i == position + 1 else "<tr>" + piece for i, piece in enumerate(pieces)
    )
    return head + "<tbody>" + joined


def components(p: Profile) -> HTML:
    """The published parts of the province's score in the profile year, or plainly that none exist."""
    rows = p.components
    texts = component_sentences(p)
    if rows.empty:
        return _show(present.paragraphs(" ".join(texts)))
    d = p.decimals
    columns = [
        Column("label", "Part"),
        Column("score", "Points", lambda v: number(v, d), True),
    ]
    if pd.to_numeric(rows["max_score"], errors="coerce").notna().any():
        columns.append(Column("max_score", "Of", lambda v: v or "–", True))
    if (rows["note"].astype(str) != "").any():
        columns.append(Column("note", "Note"))
    sources = ", ".join(dict.fromkeys(rows["source_url"]))
    total = {"label": f"{p.params.index.name} score", "score": p.row["score"], "max_score": "", "note": ""}
    frame = pd.concat([rows, pd.DataFrame([total])], ignore_index=True)
    simulated = pd.Series([False] * len(rows) + [p.row["provenance"] == "simulated"], index=frame.index)
    columns[1] = Column("score", "Points", lambda v: number(v, d), True, True)
    table = present.table(frame, columns, f"{p.name}: parts of the {p.year} score, as published", simulated)
    return _show(
        present.paragraphs(" ".join(texts)),
        _mark_row(table, len(frame) - 1),
        f'<p class="parindex-note">Source: {html.escape(sources)}</p>',
    )


def sipas(p: Profile) -> HTML:
    """The companion index (SIPAS): score and rank in every year against its national mean."""
    frame = p.companion_timeline
    texts = companion_sentences(p)
    if frame.empty:
        return _show(present.paragraphs(" ".join(texts)))
    d = p.decimals
    name = str(frame["index"].iloc[-1])
    frame = frame.assign(
        against=[difference(s, m, d) for s, m in zip(frame["score"], frame["national_mean"], strict=True)]
    )
    columns = [
        Column("year", "Year"),
        Column("score", f"{name} (%)", lambda v: number(v, d), True, True),
        Column("rank", "Rank", lambda v: str(int(v)), True, True),
        Column("n_units", "of", lambda v: str(int(v)), True),
        Column("national_mean", "National mean", lambda v: number(v, d), True),
        Column("against", "vs national mean", lambda v: number(v, d, signed=True), True),
    ]
    return _show(
        present.paragraphs(" ".join(texts)),
        present.table(frame, columns, f"{p.name}: {name} in every year", frame["provenance"].eq("simulated")),
    )


def notes(p: Profile) -> HTML:
    """How ranks, means and differences are computed, and what the demonstration data is."""
    texts = [
        f"Ranks: 1 is best. No official rule for ties is published; this profile uses competition ranking "
        f"(1, 2, 2, 4) on scores rounded to {p.decimals} decimals. Means are rounded half-up; differences "
        "are computed on the values as published.",
    ]
    if p.demonstration:
        texts.append(
            "Demonstration data: values not read in a public source are simulated, keeping every published "
            "figure of each year (see data/demo/README.md); they are marked † in tables and drawn hollow in "
            "the chart."
        )
    return _show(f'<div class="parindex-note">{present.paragraphs(" ".join(texts))}</div>')


# --- outputs ---------------------------------------------------------------------------------------------


def _clean(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def summary(p: Profile) -> dict:
    """The profile's figures as summary.json holds them."""
    row = p.row
    history = [
        {
            "year": int(r["year"]),
            "score": float(r["score"]),
            "rank": int(r["rank"]),
            "n_units": int(r["n_units"]),
            "band": r["band"],
            "national_mean": _clean(r["national_mean"]),
            "region_mean": _clean(r["region_mean"]),
            "provenance": r["provenance"],
        }
        for _, r in p.timeline.iterrows()
    ]
    companion = [
        {
            "year": int(r["year"]),
            "index": r["index"],
            "score": float(r["score"]),
            "rank": int(r["rank"]),
            "national_mean": _clean(r["national_mean"]),
            "provenance": r["provenance"],
        }
        for _, r in p.companion_timeline.iterrows()
    ]
    return {
        "code": p.code,
        "name": p.name,
        "year": p.year,
        "index": p.params.index.name,
        "score": float(row["score"]),
        "rank": int(row["rank"]),
        "n_units": int(row["n_units"]),
        "band": row["band"],
        "region": p.region,
        "region_name": p.region_name,
        "national_mean": _clean(row["national_mean"]),
        "region_mean": _clean(row["region_mean"]),
        "provenance": row["provenance"],
        "demonstration": p.demonstration,
        "history": history,
        "companion": companion,
        "neighbours": [
            {"code": r["code"], "name": r["name"], "rank": int(r["rank"]), "score": float(r["score"])}
            for _, r in p.neighbours.iterrows()
        ],
        "components": [
            {"component": r["component"], "score": _clean(r["score"])} for _, r in p.components.iterrows()
        ],
    }


def write_outputs(p: Profile, output_dir: str | Path) -> None:
    """Writes summary.json for the profile into output_dir; nothing when output_dir is empty."""
    if not output_dir:
        return
    present.write_summary(Path(output_dir), summary(p))


# --- index page ------------------------------------------------------------------------------------------


def index_rows(history: History, year: int) -> list[dict]:
    """One row per province of the year for `index_page`, linking <stem>.html and <stem>.pdf.

    Args:
        history: The loaded years.
        year: The year of the profiles.

    Returns:
        Dicts with code, name, region, score, rank, band, provenance, html and pdf, in rank order.
    """
    params = history.params(year)
    regions = history.regions.short_en
    rows = []
    for _, r in history.ranked(year).iterrows():
        stem = file_stem(params, r["code"])
        rows.append(
            {
                "code": r["code"],
                "name": r["name"],
                "region": regions.get(r["region"], r["region"]),
                "score": float(r["score"]),
                "rank": int(r["rank"]),
                "band": r["band"],
                "provenance": r["provenance"],
                "html": f"{stem}.html",
                "pdf": f"{stem}.pdf",
            }
        )
    return rows


_INDEX_STYLE = """
body { font-family: 'DejaVu Sans', 'Liberation Sans', sans-serif; font-size: 10pt; margin: 2em auto;
  max-width: 60rem; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 3px 8px; border-bottom: 1px solid #ddd; text-align: left; }
th { cursor: pointer; user-select: none; background: #f4f4f4; }
th[aria-sort=ascending]::after { content: " ▲"; }
th[aria-sort=descending]::after { content: " ▼"; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.simulated { color: #555; font-style: italic; }
.note { font-size: 9pt; color: #444; }
"""

_SORT_SCRIPT = """
(function () {
  var table = document.getElementById("profiles");
  var headers = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(headers, function (th, column) {
    if (!th.dataset.type) { return; }
    function sort() {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].dataset.value, y = b.cells[column].dataset.value;
        var order = th.dataset.type === "number" ? Number(x) - Number(y) : x.localeCompare(y, "vi");
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    }
    th.tabIndex = 0;
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
    });
  });
})();
"""

_INDEX_COLUMNS = (
    ("code", "Code", "text"),
    ("name", "Province", "text"),
    ("region", "Region", "text"),
    ("score", "Score", "number"),
    ("rank", "Rank", "number"),
    ("band", "Band", "text"),
)


def index_page(rows: Sequence[Mapping[str, object]], title: str) -> str:
    """A self-contained HTML page listing the profiles in a table sorted by clicking a header (works offline).

    Args:
        rows: One mapping per unit with code, name, region, score, rank, band, html and pdf (links relative
            to the page), and optionally provenance ("simulated" marks the score with †).
        title: The page's title and heading.

    Returns:
        The page: inline style and a few lines of inline JavaScript, nothing loaded from anywhere.
    """
    head = "".join(
        f'<th scope="col" data-type="{kind}" class="{"num" if kind == "number" else ""}">'
        f"{html.escape(label)}</th>"
        for _, label, kind in _INDEX_COLUMNS
    )
    head += '<th scope="col">Profile</th>'
    body = []
    simulated = False
    for row in rows:
        cells = []
        for key, _, kind in _INDEX_COLUMNS:
            value = row[key]
            text = html.escape(f"{value:.2f}" if key == "score" else str(value))
            classes = ["num"] if kind == "number" else []
            if key == "score" and row.get("provenance") == "simulated":
                text += present.SIMULATED_MARK
                classes.append("simulated")
                simulated = True
            css = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f'<td{css} data-value="{html.escape(str(value), quote=True)}">{text}</td>')
        links = (
            f'<a href="{html.escape(str(row["html"]), quote=True)}">HTML</a> · '
            f'<a href="{html.escape(str(row["pdf"]), quote=True)}">PDF</a>'
        )
        cells.append(f"<td>{links}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    note = f'<p class="note">{html.escape(present.SIMULATED_NOTE)}</p>' if simulated else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_INDEX_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n"
        f'<p class="note">{len(rows)} profiles. Click a column heading to sort by it; click again to '
        "reverse.</p>\n"
        f'<table id="profiles">\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(body)
        + f"\n</tbody>\n</table>\n{note}\n<script>{_SORT_SCRIPT}</script>\n</body>\n</html>\n"
    )
