"""Trends: every year with data side by side: means, bands, ranks, movers, regions, ministries and SIPAS."""

from __future__ import annotations

import hashlib
import html
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from parindex import analysis, charts, report
from parindex.data.ingest import load_year
from parindex.data.params import Band, load_years, year_files
from parindex.data.published import AGGREGATES, load_aggregates
from parindex.data.units import Regions, load_regions
from parindex.errors import InputError
from parindex.reports import present
from parindex.reports.present import SIMULATED_MARK, Column, number

_PANEL_COLUMNS = ["year", *analysis.UNIT_COLUMNS, "score", "provenance", "band", "rank"]
_MOVE_COLUMNS = ["period", "start", "end", "by", "direction", "position", *analysis.PAIR_COLUMNS]
_DASH = "–"


@dataclass(frozen=True)
class Panel:
    """Every year with data, in year order, each as the yearly report sees it (`report.Year`).

    Attributes:
        years: The years, oldest first; each year's `previous` is its comparison year when in the panel.
    """

    years: tuple[report.Year, ...]

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

    @property
    def unit_label(self) -> str:
        return self.years[-1].params.index.unit_label

    @property
    def name(self) -> str:
        """The index and the period, e.g. "PAR INDEX 2018–2024"."""
        return f"{self.index_name} {_period(self.first, self.last)}"

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

    def scores(self, unit_type: str = "province") -> pd.DataFrame:
        """Every year's units of one type in one frame.

        Returns:
            Columns year, unit_type, code, name, short_name, name_en, region, score, provenance, band (that
            year's bands) and rank (computed in that year: competition ranking on rounded scores); years
            oldest first, units best first.
        """
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

    def published(self, index: str, unit_type: str = "province") -> pd.DataFrame:
        """Published aggregates of one index ("par_index", "sipas") and unit type, every year of the panel."""
        table = self.aggregates
        keep = (table["index"] == index) & (table["unit_type"] == unit_type)
        return table[keep].reset_index(drop=True)


def load(params_dir: str | Path) -> Panel:
    """Loads every params/<year>.yaml of a folder and its data.

    Args:
        params_dir: The folder of the params files.

    Returns:
        The panel, oldest year first.

    Raises:
        InputError: No params file, or params or data of some year are invalid (every problem listed).
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
        regions = load_regions(data.params.path(data.params.units_dir))
        years.append(report.Year(data.params, data, previous, regions))
    return Panel(tuple(years))


# --- figures: pure functions of panel frames ---------------------------------------------------------------


def mean_by_year(scores: pd.DataFrame, published: pd.DataFrame, decimals: int) -> pd.DataFrame:
    """The mean per year with the published mean beside it.

    Args:
        scores: A panel frame (`Panel.scores` or `Panel.companion`), one unit type.
        published: Published aggregates of the same index and unit type (columns year, metric, value,
            precision, source_url); rows with metric "mean" are used.
        decimals: Decimals means are rounded (half-up) to.

    Returns:
        One row per year: year, n, mean, published (NaN where none), precision (decimals the published
        mean was printed with), status ('match', 'MISMATCH' or '' without a published mean; judged as the
        yearly reconciliation does) and simulated (whether any value of the year is simulated).
    """
    rows = []
    for year, group in scores.groupby("year", sort=True):
        mean = analysis.metric_value("mean", group, decimals=decimals)
        rows.append(
            {
                "year": int(year),
                "n": len(group),
                "mean": mean,
                **_check(mean, published, int(year), "mean"),
                "simulated": bool((group["provenance"] == "simulated").any()),
            }
        )
    columns = ["year", "n", "mean", "published", "precision", "status", "simulated"]
    return pd.DataFrame(rows, columns=columns)


def _check(value: float, published: pd.DataFrame, year: int, metric: str) -> dict:
    """The published figure of one year and metric beside a computed one, judged as the yearly report does."""
    printed = published[(published["year"] == year) & (published["metric"] == metric)]
    if printed.empty:
        return {"published": math.nan, "precision": pd.NA, "status": ""}
    checked = analysis.reconcile({metric: value}, printed)
    return {
        "published": printed["value"].iloc[0],
        "precision": printed["precision"].iloc[0],
        "status": checked["status"].iloc[0],
    }


def spread_by_year(scores: pd.DataFrame) -> pd.DataFrame:
    """Count, mean, quartiles, spread and extremes of the scores per year (unrounded).

    Returns:
        Columns year, count, mean, median, std (ddof=1), min, q1, q3, max, range (max - min).
    """
    stats = analysis.describe(scores, by="year", order=sorted(scores["year"].unique()))
    quartiles = scores.groupby("year")["score"].quantile([0.25, 0.75]).unstack()
    stats["q1"] = stats["year"].map(quartiles[0.25])
    stats["q3"] = stats["year"].map(quartiles[0.75])
    stats["range"] = stats["max"] - stats["min"]
    stats["year"] = stats["year"].astype(int)
    return stats[["year", "count", "mean", "median", "std", "min", "q1", "q3", "max", "range"]]


def band_counts_by_year(scores: pd.DataFrame, bands: Mapping[int, Sequence[Band]]) -> pd.DataFrame:
    """Units per band per year, each year in its own bands as published.

    Args:
        scores: A panel frame with its `band` column, one unit type.
        bands: Each year's bands, highest first.

    Returns:
        Columns year, position (0 for the top band; the catch-all "< min" follows the last band), band,
        range (e.g. "80–<90"), lower, upper, count, simulated (how many of the units are simulated).
    """
    frames = []
    for year, group in scores.groupby("year", sort=True):
        counts = analysis.band_counts(group, bands[year])
        sim = group[group["provenance"] == "simulated"]["band"].value_counts()
        labels = analysis.band_labels(bands[year])
        counts.insert(0, "year", int(year))
        counts.insert(1, "position", [labels.index(b) for b in counts["band"]])
        counts.insert(3, "range", [report.analysis_range(row) for _, row in counts.iterrows()])
        counts["simulated"] = [int(sim.get(b, 0)) for b in counts["band"]]
        frames.append(counts)
    columns = ["year", "position", "band", "range", "lower", "upper", "count", "simulated"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def band_regimes(bands: Mapping[int, Sequence[Band]]) -> pd.DataFrame:
    """Runs of consecutive years with the same bands.

    Returns:
        One row per run: first, last (years), years (how many), labels (e.g. "A–D") and ranges (e.g.
        "A ≥ 80, B 75–<80, C 70–<75, D < 70").
    """
    rows: list[dict] = []
    for year in sorted(bands):
        own = tuple(bands[year])
        if rows and rows[-1]["bands"] == own:
            rows[-1].update(last=year, years=rows[-1]["years"] + 1)
            continue
        ranges = ", ".join(f"{b.label} {_band_range(own, i)}" for i, b in enumerate(own))
        labels = own[0].label if len(own) == 1 else f"{own[0].label}–{own[-1].label}"
        rows.append(
            {"first": year, "last": year, "years": 1, "labels": labels, "ranges": ranges, "bands": own}
        )
    return pd.DataFrame(rows, columns=["first", "last", "years", "labels", "ranges", "bands"]).drop(
        columns="bands"
    )


def _band_range(bands: Sequence[Band], i: int) -> str:
    """A band's range as the tables write it: "≥ 90", "80–<90", or "< 70" for a band starting at zero."""
    if i == 0:
        return f"≥ {bands[0].min:g}"
    if bands[i].min <= 0:
        return f"< {bands[i - 1].min:g}"
    return f"{bands[i].min:g}–<{bands[i - 1].min:g}"


def common_threshold(bands: Mapping[int, Sequence[Band]]) -> float | None:
    """The highest band minimum above zero that every year's bands share (80 for 2018–2024), or None."""
    shared = set.intersection(*({b.min for b in own} for own in bands.values())) if bands else set()
    shared = {m for m in shared if m > 0}
    return max(shared) if shared else None


def at_or_above(scores: pd.DataFrame, threshold: float, decimals: int) -> pd.DataFrame:
    """Units per year scoring at least `threshold`, judged on scores rounded half-up as bands are.

    Returns:
        Columns year, n, count.
    """
    rows = [
        {
            "year": int(year),
            "n": len(group),
            "count": sum(analysis.round_half_up(s, decimals) >= threshold for s in group["score"]),
        }
        for year, group in scores.groupby("year", sort=True)
    ]
    return pd.DataFrame(rows, columns=["year", "n", "count"])


def leaders(scores: pd.DataFrame) -> pd.DataFrame:
    """The unit(s) ranked first each year: year, code, name, score."""
    first = scores[scores["rank"] == 1].sort_values(["year", "code"])
    return first[["year", "code", "name", "score"]].reset_index(drop=True)


def rank_trajectories(scores: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The rank of the last year's leading units in every year.

    Args:
        scores: A panel frame, one unit type.
        top: How many units of the last year, best first (ties at the cut are decided by code).

    Returns:
        Columns year, code, name, short_name, region, score, rank, provenance, final_rank; ordered by the
        unit's rank in the last year, then year. A unit absent in a year has no row for it.
    """
    last = scores[scores["year"] == scores["year"].max()].sort_values(["rank", "code"]).head(top)
    final = dict(zip(last["code"], last["rank"], strict=True))
    order = {code: i for i, code in enumerate(last["code"])}
    rows = scores[scores["code"].isin(order)].assign(
        final_rank=lambda f: f["code"].map(final).astype("Int64")
    )
    rows = rows.assign(_order=rows["code"].map(order)).sort_values(["_order", "year"])
    columns = ["year", "code", "name", "short_name", "region", "score", "rank", "provenance", "final_rank"]
    return rows[columns].reset_index(drop=True)


def history(scores: pd.DataFrame, value: str = "rank") -> pd.DataFrame:
    """One row per unit, one column per year holding its score or rank (NA when not ranked that year).

    Args:
        scores: A panel frame, one unit type.
        value: "rank" or "score".

    Returns:
        Columns code, name, then the years (ints), oldest first; units ordered by their last rank (units
        absent in the last year follow, by their latest rank).
    """
    wide = scores.pivot(index="code", columns="year", values=value)
    latest = scores.sort_values("year").groupby("code").last()
    latest = latest.assign(_absent=latest["year"] != scores["year"].max())
    order = latest.sort_values(["_absent", "rank", "name"]).index
    wide = wide.loc[order]
    wide.insert(0, "name", latest.loc[order, "name"])
    wide.columns.name = None
    return wide.reset_index()


def unit_sets(scores: pd.DataFrame) -> pd.DataFrame:
    """The units ranked each year and how the set changed on the year before.

    Returns:
        Columns year, n, joined (names of units new that year), left (names of units ranked the year
        before but not that year); empty lists in the first year.
    """
    rows, before = [], None
    for year, group in scores.groupby("year", sort=True):
        names = dict(zip(group["code"], group["name"], strict=True))
        joined = [] if before is None else [names[c] for c in names if c not in before]
        left = [] if before is None else [before[c] for c in before if c not in names]
        rows.append({"year": int(year), "n": len(group), "joined": joined, "left": left})
        before = names
    return pd.DataFrame(rows, columns=["year", "n", "joined", "left"])


def changes(scores: pd.DataFrame, start: int, end: int, decimals: int) -> pd.DataFrame:
    """Unit-by-unit change between two years of a panel, in the columns of `analysis.compare`.

    The change in points is taken between the scores as published (rounded half-up to `decimals`); the
    change in rank is the start rank minus the end rank, so a positive change means the unit moved up.

    Returns:
        unit_type, code, name, short_name, name_en, region, provenance ('simulated' if either value is),
        score_previous, score_current, score_change, rank_previous, rank_current, rank_change, status
        ('both', 'new', 'absent'); units present at the end in their end rank order, then absent ones.
    """
    before = scores[scores["year"] == start]
    after = scores[scores["year"] == end]
    return analysis.pair_years(after, before, decimals)[analysis.PAIR_COLUMNS]


def periods(years: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive pairs of years, then the whole period when it spans more than one pair."""
    ordered = sorted(years)
    pairs = list(zip(ordered, ordered[1:], strict=False))
    if len(ordered) > 2:
        pairs.append((ordered[0], ordered[-1]))
    return pairs


def largest_moves(scores: pd.DataFrame, decimals: int, k: int = 5) -> pd.DataFrame:
    """The largest rises and falls, in points and in ranks, for every period of `periods`.

    Rises in points are ordered by the change, largest first, then by the end rank; falls likewise; rises
    and falls in ranks are ordered by the change in ranks, then by the change in points, then the end rank.
    Units in both years of a period only; at most `k` per list (a tie at the k-th place is cut there).

    Returns:
        Columns period (e.g. "2018–2019"), start, end, by ('points' or 'ranks'), direction ('rise' or
        'fall'), position (1 = largest), then the columns of `changes`.
    """
    frames = []
    for start, end in periods(scores["year"].unique()):
        moved = changes(scores, start, end, decimals)
        moved = moved[moved["status"] == "both"]
        lists = {
            ("points", "rise"): moved[moved["score_change"] > 0].sort_values(
                ["score_change", "rank_current", "code"], ascending=[False, True, True]
            ),
            ("points", "fall"): moved[moved["score_change"] < 0].sort_values(
                ["score_change", "rank_current", "code"], ascending=[True, True, True]
            ),
            ("ranks", "rise"): moved[moved["rank_change"] > 0].sort_values(
                ["rank_change", "score_change", "rank_current", "code"], ascending=[False, False, True, True]
            ),
            ("ranks", "fall"): moved[moved["rank_change"] < 0].sort_values(
                ["rank_change", "score_change", "rank_current", "code"], ascending=[True, True, True, True]
            ),
        }
        for (by, direction), rows in lists.items():
            rows = rows.head(k).copy()
            rows.insert(0, "period", _period(start, end))
            rows.insert(1, "start", int(start))
            rows.insert(2, "end", int(end))
            rows.insert(3, "by", by)
            rows.insert(4, "direction", direction)
            rows.insert(5, "position", range(1, len(rows) + 1))
            frames.append(rows)
    if not frames:
        return pd.DataFrame(columns=_MOVE_COLUMNS)
    return pd.concat(frames, ignore_index=True)[_MOVE_COLUMNS]


def regional_means_by_year(
    scores: pd.DataFrame, published: pd.DataFrame, regions: Mapping[str, str], decimals: int
) -> pd.DataFrame:
    """The mean of every region per year, with the published regional means beside.

    Args:
        scores: A panel frame of provinces.
        published: Published aggregates of the index (metrics "mean_region_<CODE>" are used).
        regions: Region code to name, in the order wanted.
        decimals: Decimals means are rounded (half-up) to.

    Returns:
        Columns year, region, name, n, mean, published (NaN where none), precision, status (as in
        `mean_by_year`), simulated; years oldest first, regions in the given order (regions without units
        that year are left out).
    """
    rows = []
    for year, group in scores.groupby("year", sort=True):
        for code, name in regions.items():
            members = group[group["region"] == code]
            if members.empty:
                continue
            mean = analysis.metric_value("mean", members, decimals=decimals)
            rows.append(
                {
                    "year": int(year),
                    "region": code,
                    "name": name,
                    "n": len(members),
                    "mean": mean,
                    **_check(mean, published, int(year), f"mean_region_{code}"),
                    "simulated": bool((members["provenance"] == "simulated").any()),
                }
            )
    columns = ["year", "region", "name", "n", "mean", "published", "precision", "status", "simulated"]
    return pd.DataFrame(rows, columns=columns)


# --- sentences ---------------------------------------------------------------------------------------------


def _period(start: int, end: int) -> str:
    return f"{start}–{end}" if start != end else str(start)


def _moved(before: float, after: float) -> str:
    return "rose" if after > before else "fell" if after < before else "was unchanged"


def _years(years: Sequence[int]) -> str:
    """Years in words, runs joined: [2019, 2020, 2021, 2023] -> "2019–2021 and 2023"."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    parts = [_period(run[0], run[-1]) for run in runs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def mean_sentences(means: pd.DataFrame, subject: str, unit: str = "%", decimals: int = 2) -> list[str]:
    """Sentences on a mean over the years ("The national mean rose from 76.92% in 2018 to 88.37% in 2024.").

    Args:
        means: A frame from `mean_by_year`.
        subject: What the mean is of, e.g. "national mean".
        unit: The unit written after each figure.
        decimals: Decimals figures are written with.
    """
    if means.empty:
        return []
    years, values = [int(y) for y in means["year"]], list(means["mean"])
    if len(means) == 1:
        return [f"The {subject} was {number(values[0], decimals)}{unit} in {years[0]}."]
    sentences = [
        f"The {subject} {_moved(values[0], values[-1])} from {number(values[0], decimals)}{unit} "
        f"in {years[0]} to {number(values[-1], decimals)}{unit} in {years[-1]}."
    ]
    steps = means["mean"].diff().iloc[1:]
    fell, rose = [y for y, s in zip(years[1:], steps, strict=True) if s < 0], list(steps[steps > 0])
    if len(steps) > 1:
        if not fell:
            sentences.append("It rose every year." if len(rose) == len(steps) else "It never fell.")
        elif not rose:
            sentences.append("It fell every year.")
        else:
            falls = [analysis.round_half_up(step, decimals) for step in steps[steps < 0]]
            drops = [f"{y} ({number(c, decimals, signed=True)})" for y, c in zip(fell, falls, strict=True)]
            sentences.append(f"It rose in {len(rose)} of {len(steps)} years and fell in {_and(drops)}.")
    best = values.index(max(values))
    if best != len(values) - 1:
        sentences.append(f"The highest was {number(values[best], decimals)}{unit} in {years[best]}.")
    return sentences


def leader_sentence(first: pd.DataFrame, noun: str = "First place") -> str:
    """Who ranked first, in runs of years: "First place: Quảng Ninh (2018–2022), Hải Phòng (2023–2024)."."""
    if first.empty:
        return ""
    names = first.groupby("year")["name"].agg(" and ".join)
    runs = _runs(list(names.index), list(names))
    return f"{noun}: " + ", ".join(f"{name} ({_period(ys[0], ys[-1])})" for name, ys in runs) + "."


def move_sentence(
    moves: pd.DataFrame, start: int, end: int, unit_noun: str = "province", decimals: int = 2
) -> str:
    """The largest rise and fall in points over one period, with the ranks, from `largest_moves`."""
    own = moves[(moves["start"] == start) & (moves["end"] == end) & (moves["by"] == "points")]
    rise = own[(own["direction"] == "rise") & (own["position"] == 1)]
    fall = own[(own["direction"] == "fall") & (own["position"] == 1)]
    parts = []
    for word, rows in (("rose most", rise), ("fell most", fall)):
        if rows.empty:
            continue
        row = rows.iloc[0]
        parts.append(
            f"{row['name']} {word} ({number(row.score_change, decimals, signed=True)} points, rank "
            f"{row.rank_previous} to {row.rank_current})"
        )
    if fall.empty:
        parts.append(f"no {unit_noun}'s score fell")
    return f"From {start} to {end}, " + "; ".join(parts) + "."


# --- sections ----------------------------------------------------------------------------------------------


def title(panel: Panel) -> HTML:
    """The report's heading, its style, and the demonstration banner when any value is simulated."""
    index = panel.years[-1].params.index
    parts = [present.STYLE, f"<h1>{html.escape(panel.name)}: trends</h1>"]
    subtitle = f"{html.escape(index.title)}, every year with data ({len(panel.years)} years)"
    if index.title_vi:
        subtitle += f" · <i>{html.escape(index.title_vi)} {_period(panel.first, panel.last)}</i>"
    parts.append(f"<p>{subtitle}</p>")
    if panel.demonstration:
        parts.append(
            present.banner(
                "Demonstration data: values marked † are simulated, not official results; means and counts "
                "of years holding simulated values are marked too. Only values read in public sources are "
                "marked published (see Provenance)."
            )
        )
    return HTML("".join(parts))


def key_movement(panel: Panel) -> HTML:
    """Key figures in boxes and the movement of the period in sentences."""
    d, unit = panel.decimals, panel.unit_label
    provinces = panel.scores("province")
    means = mean_by_year(provinces, panel.published(panel.years[-1].params.index.slug), d)
    first, last = means.iloc[0], means.iloc[-1]
    boxes = [
        ("Years", _period(panel.first, panel.last)),
        (f"Mean {first.year}", f"{number(first['mean'], d)}{unit}"),
        (f"Mean {last.year}", f"{number(last['mean'], d)}{unit}"),
        ("Change (points)", number(analysis.round_half_up(last["mean"] - first["mean"], d), d, signed=True)),
    ]
    sentences = mean_sentences(means, "national mean", unit, d)
    threshold = common_threshold(panel.bands)
    if threshold is not None:
        above = at_or_above(provinces, threshold, d)
        boxes.append(
            (f"≥ {threshold:g}{unit} in {last.year}", f"{above['count'].iloc[-1]} of {above['n'].iloc[-1]}")
        )
        sentences.append(_threshold_sentence(above, threshold, unit))
    sentences.append(leader_sentence(leaders(provinces)))
    if len(panel.years) > 1:
        moves = largest_moves(provinces, d, k=1)
        sentences.append(move_sentence(moves, panel.first, panel.last, decimals=d))
    companion = panel.companion()
    if not companion.empty:
        name = panel.companion_name
        sipas = mean_by_year(companion, panel.published(name.lower()), d)
        sentences.extend(mean_sentences(sipas, f"{name} national mean", "%", d)[:1])
    return present.show(present.key_figures(boxes), present.paragraphs(*sentences))


def _threshold_sentence(above: pd.DataFrame, threshold: float, unit: str) -> str:
    counts = ", ".join(f"{row['count']} in {row.year}" for _, row in above.iterrows())
    return f"Provinces at or above {threshold:g}{unit}, a band threshold in every year: {counts}."


def national_mean(panel: Panel) -> HTML:
    """The national mean per year beside the published mean, with the spread of scores; chart and table."""
    return _means_section(panel, panel.scores("province"), panel.years[-1].params.index.slug, "national mean")


def _means_section(
    panel: Panel, scores: pd.DataFrame, index: str, subject: str, noun: str = "Provinces"
) -> HTML:
    d, unit = panel.decimals, panel.unit_label
    means = mean_by_year(scores, panel.published(index), d) if index else None
    if means is None or means.empty:
        return HTML("<p>No values for this series.</p>")
    spread = spread_by_year(scores)
    label = f"{panel.index_name}" if index == panel.years[-1].params.index.slug else index.upper()
    fig = charts.yearly_means(
        means,
        f"{label}: {subject} per year, {_period(panel.first, panel.last)}",
        _source(panel),
        spread=spread,
        score_label=f"{label} ({unit})",
        mean_label=subject,
        decimals=d,
    )
    alt = (
        f"Line chart of the {subject} of {label} per year, {_from_to(means, d)}, with the published means "
        "marked and each year's spread of scores drawn as a box."
    )
    table = means.merge(spread[["year", "min", "max", "std"]], on="year")
    table["published_text"] = _printed(table)
    checked = table[table["status"] != ""]
    text = mean_sentences(means, subject, unit, d)
    if not checked.empty:
        matched = int((checked["status"] == analysis.MATCH).sum())
        flagged = [str(y) for y in checked[checked["status"] != analysis.MATCH]["year"]]
        text.append(
            f"{matched} of {len(checked)} published means are reproduced by the data"
            + (f"; flagged: {_and(flagged)}." if flagged else ".")
        )
    columns = [
        Column("year", "Year"),
        Column("n", noun, numeric=True),
        Column("mean", "Mean", lambda v: number(v, d), True, True),
        Column("published_text", "Published mean", numeric=True),
        Column("status", "Check", lambda v: v or _DASH),
        Column("min", "Lowest", lambda v: number(v, d), True),
        Column("max", "Highest", lambda v: number(v, d), True),
        Column("std", "Std. dev.", lambda v: number(v, d), True),
    ]
    caption = f"{label}: {subject} per year"
    return present.show(
        present.paragraphs(*text),
        present.figure(fig, alt),
        present.table(table, columns, caption, table["simulated"]),
    )


def _from_to(means: pd.DataFrame, d: int) -> str:
    """The first and last mean of a `mean_by_year` frame: "from 2018 (76.92) to 2024 (88.37)"."""
    years, values = list(means["year"]), list(means["mean"])
    return f"from {int(years[0])} ({number(values[0], d)}) to {int(years[-1])} ({number(values[-1], d)})"


def _printed(frame: pd.DataFrame) -> list[str]:
    """The published figures of a frame (columns published, precision) as printed; a dash where none."""
    return [
        _DASH if pd.isna(value) else f"{value:.{0 if pd.isna(places) else int(places)}f}"
        for value, places in zip(frame["published"], frame["precision"], strict=True)
    ]


def _and(parts: Sequence[str]) -> str:
    """Words joined as in a sentence: "a", "a and b", "a, b and c"."""
    parts = list(parts)
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _runs(years: Sequence[int], values: Sequence[object]) -> list[tuple[object, list[int]]]:
    """Consecutive years with the same value: [(value, [years]), ...], in year order."""
    runs: list[tuple[object, list[int]]] = []
    for year, value in zip(years, values, strict=True):
        if runs and runs[-1][0] == value and runs[-1][1][-1] == year - 1:
            runs[-1][1].append(year)
        else:
            runs.append((value, [year]))
    return runs


def bands(panel: Panel) -> HTML:
    """Units per band per year: stacked bars, a note where the bands changed, and the counts."""
    provinces = panel.scores("province")
    counts = band_counts_by_year(provinces, panel.bands)
    regimes = band_regimes(panel.bands)
    unit = panel.unit_label
    fig = charts.bands_by_year(
        counts,
        regimes,
        f"{panel.index_name}: provinces per band, {_period(panel.first, panel.last)}",
        _source(panel),
    )
    parts = "; ".join(f"{_period(r['first'], r['last'])}: {r.ranges}" for _, r in regimes.iterrows())
    alt = f"Stacked bar chart of provinces per band for each year; bands as published: {parts}."
    text = []
    if len(regimes) > 1:
        changed = _and([str(y) for y in regimes["first"].iloc[1:]])
        text.append(
            f"The bands changed in {changed}, so a band's letter does not mean the same range in every year: "
            + "; ".join(
                f"{_period(r['first'], r['last'])}: {report.band_rule(panel.bands[r['first']], unit)}"
                for _, r in regimes.iterrows()
            )
            + "."
        )
    threshold = common_threshold(panel.bands)
    if threshold is not None:
        text.append(_threshold_sentence(at_or_above(provinces, threshold, panel.decimals), threshold, unit))
    wide = _band_table(counts, panel, threshold)
    return present.show(present.paragraphs(*text), present.figure(fig, alt), wide)


def _band_table(counts: pd.DataFrame, panel: Panel, threshold: float | None) -> str:
    labels = list(dict.fromkeys(counts.sort_values(["position", "band"])["band"]))
    rows = []
    for year, group in counts.groupby("year", sort=True):
        by_band = dict(zip(group["band"], group["count"], strict=True))
        sim = dict(zip(group["band"], group["simulated"], strict=True))
        own = panel.bands[year]
        row = {
            "year": str(year),
            "bands": ", ".join(f"{b.label} {_band_range(own, i)}" for i, b in enumerate(own)),
        }
        for label in labels:
            row[label] = (
                _DASH
                if label not in by_band
                else f"{by_band[label]}" + (SIMULATED_MARK if sim[label] else "")
            )
        rows.append(row)
    frame = pd.DataFrame(rows)
    if threshold is not None:
        above = at_or_above(panel.scores("province"), threshold, panel.decimals)
        frame[f"≥ {threshold:g}"] = [str(c) for c in above["count"]]
    columns = [Column("year", "Year"), Column("bands", "Bands as published")] + [
        Column(c, c, numeric=True) for c in frame.columns[2:]
    ]
    note = (
        f'<p class="parindex-note">{SIMULATED_MARK} the band holds simulated values.</p>'
        if counts["simulated"].any()
        else ""
    )
    return present.table(frame, columns, "Provinces per band, each year in its own bands") + note


def leading(panel: Panel, top: int = 10) -> HTML:
    """Rank trajectories of the last year's leading provinces: bump chart, sentence and table."""
    provinces = panel.scores("province")
    paths = rank_trajectories(provinces, top)
    shown = paths["code"].nunique()
    fig = charts.rank_trajectories(
        paths,
        f"{panel.index_name}: rank of the top {shown} of {panel.last} in every year",
        _source(panel),
    )
    best = paths[paths["final_rank"] == 1]
    alt = (
        f"Bump chart of the ranks of the {shown} leading provinces of {panel.last} from "
        f"{panel.first} to {panel.last}; first in {panel.last}: {_and(list(best['name'].unique()))}."
    )
    ranks = history(provinces[provinces["code"].isin(paths["code"])], "rank")
    text = [leader_sentence(leaders(provinces))]
    steady = ranks[ranks[panel.labels].le(shown).fillna(False).astype(bool).all(axis=1)]
    if len(panel.years) > 1:
        text.append(
            f"In the top {shown} in every year: {_and(list(steady['name']))}."
            if not steady.empty
            else f"None of them was in the top {shown} in every year."
        )
    simulated = provinces.pivot(index="code", columns="year", values="provenance").eq("simulated")
    frame = ranks[["code", "name"]].copy()
    for year in panel.labels:
        frame[str(year)] = [
            _DASH if pd.isna(rank) else f"{int(rank)}" + (SIMULATED_MARK if simulated.loc[code, year] else "")
            for code, rank in zip(ranks["code"], ranks[year], strict=True)
        ]
    columns = [Column("name", "Province", css="nowrap")] + [
        Column(str(y), str(y), numeric=True) for y in panel.labels
    ]
    table = present.table(frame, columns, "Rank in every year (1 is best)") + _marked(frame)
    return present.show(present.paragraphs(*text), present.figure(fig, alt), table)


def movers(panel: Panel, k: int = 5) -> HTML:
    """Largest risers and fallers between consecutive years and over the whole period."""
    d = panel.decimals
    provinces = panel.scores("province")
    if len(panel.years) < 2:
        return HTML("<p>One year only: no change to show.</p>")
    moves = largest_moves(provinces, d, k)
    whole_moves = moves[(moves.start == panel.first) & (moves.end == panel.last)]
    whole = changes(provinces, panel.first, panel.last, d)
    shown = whole[whole["code"].isin(whole_moves[whole_moves.by == "points"]["code"])]
    first, last = str(panel.first), str(panel.last)
    kinds = _and([w for w, sign in (("rises", 1), ("falls", -1)) if (shown.score_change * sign > 0).any()])
    fig = charts.change(
        shown,
        f"{panel.index_name}: the largest {kinds or 'moves'} from {first} to {last}",
        _source(panel),
        previous_label=first,
        current_label=last,
        score_label=f"{panel.index_name} ({panel.unit_label})",
        decimals=d,
    )
    both = whole[whole.status == "both"]
    rose, fell = int((both.score_change > 0).sum()), int((both.score_change < 0).sum())
    alt = (
        f"Dumbbell chart of the provinces with the largest rises and falls of {panel.index_name} from "
        f"{first} to {last}, each province's {first} score joined to its {last} score. "
        + move_sentence(whole_moves, panel.first, panel.last, decimals=d)
    )
    counted = (
        f"all {rose} raised their score"
        if rose == len(both)
        else f"{rose} raised their score, {fell} lowered it and {len(both) - rose - fell} kept it"
    )
    text = [
        f"Of the {len(both)} provinces ranked in both {first} and {last}, {counted}.",
        move_sentence(whole_moves, panel.first, panel.last, decimals=d),
    ]
    steps = _steps_table(moves, list(zip(panel.labels, panel.labels[1:], strict=False)), d)
    return present.show(
        present.paragraphs(*text), present.figure(fig, alt), _whole_table(whole_moves, panel, k, kinds), steps
    )


def _marked(frame: pd.DataFrame) -> str:
    """The simulated note, when some pre-formatted cell of the frame carries the mark."""
    cells = frame.astype(str).apply(lambda column: column.str.endswith(SIMULATED_MARK))
    return f'<p class="parindex-note">{present.SIMULATED_NOTE}</p>' if cells.to_numpy().any() else ""


def _steps_table(moves: pd.DataFrame, pairs: list[tuple[int, int]], d: int) -> str:
    """One row per pair of consecutive years: the largest rise and fall in points and in ranks."""
    rows = []
    for start, end in pairs:
        own = moves[(moves.start == start) & (moves.end == end) & (moves.position == 1)]
        row = {"period": _period(start, end)}
        for by, direction in (("points", "rise"), ("points", "fall"), ("ranks", "rise"), ("ranks", "fall")):
            hit = own[(own.by == by) & (own.direction == direction)]
            if hit.empty:
                row[f"{direction}_{by}"] = _DASH
                continue
            h = hit.iloc[0]
            value = (
                number(h.score_change, d, signed=True)
                if by == "points"
                else f"{h.rank_previous} → {h.rank_current}"
            )
            row[f"{direction}_{by}"] = f"{h['name']} {value}" + (
                SIMULATED_MARK if h.provenance == "simulated" else ""
            )
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return ""
    columns = [
        Column("period", "Years"),
        Column("rise_points", "Largest rise (points)"),
        Column("fall_points", "Largest fall (points)"),
        Column("rise_ranks", "Largest climb (rank)"),
        Column("fall_ranks", "Largest drop (rank)"),
    ]
    return present.table(frame, columns, "Largest moves between consecutive years") + _marked(frame)


def _whole_table(moves: pd.DataFrame, panel: Panel, k: int, kinds: str) -> str:
    d = panel.decimals
    points = moves[moves.by == "points"]
    columns = [
        Column("direction", "Move"),
        Column("name", "Province", css="nowrap"),
        Column("score_previous", str(panel.first), lambda v: number(v, d), True, True),
        Column("score_current", str(panel.last), lambda v: number(v, d), True, True),
        Column("score_change", "Change (points)", lambda v: number(v, d, signed=True), True),
        Column("rank_previous", f"Rank {panel.first}", numeric=True),
        Column("rank_current", f"Rank {panel.last}", numeric=True),
    ]
    caption = f"The {k} largest {kinds or 'moves'} in points, {_period(panel.first, panel.last)}"
    return present.table(points, columns, caption, points["provenance"].eq("simulated"))


def regions(panel: Panel) -> HTML:
    """Regional means per year as small multiples against the national mean, with published means marked."""
    d, unit = panel.decimals, panel.unit_label
    provinces = panel.scores("province")
    slug = panel.years[-1].params.index.slug
    names = panel.regions.short_en
    regional = regional_means_by_year(provinces, panel.published(slug), names, d)
    national = mean_by_year(provinces, panel.published(slug), d)
    fig = charts.regional_trends(
        regional,
        national,
        f"{panel.index_name}: regional means per year, {_period(panel.first, panel.last)}",
        _source(panel),
        score_label=f"Mean {panel.index_name} ({unit})",
        decimals=d,
    )
    top = regional.loc[regional.groupby("year")["mean"].idxmax()]
    alt = (
        f"Small multiples, one panel per region, of the regional mean per year against the national mean; "
        f"highest regional mean in {panel.last}: {top['name'].iloc[-1]} ({number(top['mean'].iloc[-1], d)})."
    )
    text = [_region_sentence(regional, d, unit)]
    table_rows = []
    for code, name in names.items():
        own = regional[regional.region == code].set_index("year")
        if own.empty:
            continue
        row = {"name": name}
        for year in panel.labels:
            row[str(year)] = (
                number(own.loc[year, "mean"], d) + (SIMULATED_MARK if own.loc[year, "simulated"] else "")
                if year in own.index
                else _DASH
            )
        table_rows.append(row)
    national_row = {"name": "National mean"}
    for _, r in national.iterrows():
        national_row[str(r.year)] = number(r["mean"], d) + (SIMULATED_MARK if r.simulated else "")
    table = pd.DataFrame(table_rows + [national_row])
    columns = [Column("name", "Region", css="nowrap")] + [
        Column(str(y), str(y), numeric=True) for y in panel.labels
    ]
    parts = [
        present.paragraphs(*text),
        present.figure(fig, alt),
        present.table(table, columns, "Mean by region and year") + _marked(table),
    ]
    printed = regional[regional["published"].notna()].copy()
    if not printed.empty:
        printed["published_text"] = _printed(printed)
        matched = int((printed["status"] == analysis.MATCH).sum())
        parts.append(
            present.paragraphs(
                f"{matched} of {len(printed)} published regional means are reproduced by the data."
            )
        )
        checks = [
            Column("year", "Year"),
            Column("name", "Region", css="nowrap"),
            Column("published_text", "Published mean", numeric=True),
            Column("mean", "Computed mean", lambda v: number(v, d), True, True),
            Column("status", "Check"),
        ]
        parts.append(
            present.table(
                printed, checks, "Published regional means beside the computed ones", printed["simulated"]
            )
        )
    return present.show(*parts)


def _region_sentence(regional: pd.DataFrame, d: int, unit: str) -> str:
    if regional.empty:
        return ""
    top = regional.loc[regional.groupby("year")["mean"].idxmax()]
    leaders_by_year = top.groupby("name")["year"].apply(list)
    lead = "; ".join(
        f"{name} in {_years(years)}"
        for name, years in leaders_by_year.sort_values(key=lambda s: s.str[0]).items()
    )
    gaps = regional.groupby("year")["mean"].agg(lambda m: analysis.round_half_up(m.max() - m.min(), d))
    return " ".join(
        part for part in (f"Highest regional mean: {lead}.", _gap_sentence(gaps, "regional mean", d)) if part
    )


def _gap_sentence(gaps: pd.Series, what: str, d: int) -> str:
    """How the gap between highest and lowest moved from the first year to the last (gaps indexed by year)."""
    if len(gaps) < 2:
        return ""
    first, last = gaps.index[0], gaps.index[-1]
    word = {"rose": "widened", "fell": "narrowed"}.get(_moved(gaps[first], gaps[last]), "was unchanged")
    return (
        f"The gap between the highest and lowest {what} {word} from {number(gaps[first], d)} points in "
        f"{first} to {number(gaps[last], d)} in {last}."
    )


def ministries(panel: Panel) -> HTML:
    """Ministries over time: the mean per year, each ministry's score and rank per year, the set's changes."""
    d = panel.decimals
    scores = panel.scores("ministry")
    if scores.empty:
        return HTML("<p>No ministries are ranked in these years' inputs.</p>")
    slug = panel.years[-1].params.index.slug
    means = mean_by_year(scores, panel.published(slug, "ministry"), d)
    sets = unit_sets(scores)
    text = mean_sentences(means, "mean of ministries and agencies", panel.unit_label, d)
    counts = ", ".join(f"{n} in {_years(years)}" for n, years in _runs(sets["year"], sets["n"]))
    text.append(f"Units ranked: {counts}.")
    for _, r in sets.iterrows():
        if r.left:
            text.append(f"Not ranked from {r.year}: {', '.join(r.left)}.")
        if r.joined:
            text.append(f"Ranked from {r.year}: {', '.join(r.joined)}.")
    leader = leader_sentence(leaders(scores))
    text.append(leader)
    spread = spread_by_year(scores)
    mean_fig = charts.yearly_means(
        means,
        f"{panel.index_name}: mean of ministries and agencies per year",
        _source(panel),
        spread=spread,
        score_label=f"{panel.index_name} ({panel.unit_label})",
        mean_label="mean of ministries",
        decimals=d,
    )
    grid = charts.score_grid(
        scores,
        f"{panel.index_name}: ministries and agencies, score and rank per year",
        _source(panel),
        decimals=d,
    )
    alt_mean = f"Line chart of the mean of ministries per year, {_from_to(means, d)}."
    alt_grid = (
        f"Grid of {scores.code.nunique()} ministries and agencies by {len(panel.years)} years, each cell the "
        f"score and rank; {leader}"
    )
    means = means.assign(published_text=_printed(means))
    columns = [
        Column("year", "Year"),
        Column("n", "Units", numeric=True),
        Column("mean", "Mean", lambda v: number(v, d), True, True),
        Column("published_text", "Published mean", numeric=True),
        Column("status", "Check", lambda v: v or _DASH),
    ]
    table = present.table(means, columns, "Ministries and agencies: mean per year", means["simulated"])
    return present.show(
        present.paragraphs(*text), present.figure(mean_fig, alt_mean), table, present.figure(grid, alt_grid)
    )


def companion(panel: Panel) -> HTML:
    """The companion index (SIPAS) over time: national mean, published means marked, spread per year."""
    frame = panel.companion()
    name = panel.companion_name
    if frame.empty or name is None:
        return HTML("<p>No companion index is given for these years.</p>")
    d = panel.decimals
    means = mean_by_year(frame, panel.published(name.lower()), d)
    spread = spread_by_year(frame)
    fig = charts.yearly_means(
        means,
        f"{name}: national mean and spread per year, {_period(means.year.iloc[0], means.year.iloc[-1])}",
        _source(panel),
        spread=spread,
        score_label=f"{name} (%)",
        mean_label="national mean",
        decimals=d,
    )
    alt = (
        f"Line chart of the {name} national mean per year, {_from_to(means, d)}, published means marked, "
        "each year's spread drawn as a box."
    )
    text = mean_sentences(means, f"{name} national mean", "%", d)
    gaps = spread.set_index("year")["range"].map(lambda gap: analysis.round_half_up(gap, d))
    text.append(_gap_sentence(gaps, "province", d))
    text.append(leader_sentence(leaders(frame), f"First in {name}"))
    table = means.merge(spread[["year", "min", "median", "max", "std"]], on="year")
    table["published_text"] = _printed(table)
    columns = [
        Column("year", "Year"),
        Column("n", "Provinces", numeric=True),
        Column("mean", "Mean", lambda v: number(v, d), True, True),
        Column("published_text", "Published mean", numeric=True),
        Column("status", "Check", lambda v: v or _DASH),
        Column("min", "Lowest", lambda v: number(v, d), True),
        Column("median", "Median", lambda v: number(v, d), True),
        Column("max", "Highest", lambda v: number(v, d), True),
        Column("std", "Std. dev.", lambda v: number(v, d), True),
    ]
    return present.show(
        present.paragraphs(*text),
        present.figure(fig, alt),
        present.table(table, columns, f"{name}: national mean and spread per year", table["simulated"]),
    )


def methodology(panel: Panel) -> HTML:
    """Bands per year as published, ranks, means, changes and what the demonstration data is."""
    unit = panel.unit_label
    regimes = band_regimes(panel.bands)
    rows = pd.DataFrame(
        {
            "years": [_period(r["first"], r["last"]) for _, r in regimes.iterrows()],
            "bands": [report.band_rule(panel.bands[r["first"]], unit) for _, r in regimes.iterrows()],
        }
    )
    texts = [
        "Each year is shown in its own bands, as published for that year; a band's letter may mean another "
        "range in another year. Counts above a threshold shared by every year's bands are comparable across "
        "the whole period.",
        f"Ranks: 1 is best. No official rule for ties is published; ranks are computed each year with "
        f"competition ranking (1, 2, 2, 4) on scores rounded to {panel.decimals} decimals.",
        "Means are the plain means of the units ranked that year (no weighting), rounded half-up; a "
        "published mean matches when it lies within half a unit of its last printed decimal. Regional means "
        "use the socio-economic regions of the unit register.",
        "Changes compare a unit with itself in two years (units ranked in both years only); a positive "
        "change in rank means the unit moved up. The set of ranked ministries changes between years, so "
        "their mean is not taken over the same units every year.",
    ]
    if panel.demonstration:
        texts.append(
            "Demonstration data: no complete official table is open data, so values not read in a public "
            "source are simulated to keep every published figure of each year (see data/demo/README.md). "
            "They are marked † in tables and drawn hatched or hollow in charts."
        )
    columns = [Column("years", "Years"), Column("bands", "Bands as published")]
    return present.show(present.paragraphs(*texts), present.table(rows, columns, "Bands per year"))


def provenance_rows(panel: Panel) -> pd.DataFrame:
    """Every file the trends report read (each year's inputs and params, published aggregates), with SHA-256.

    The rows of each year come from `report.provenance_rows`, so both reports list files the same way.
    """
    frames = [report.provenance_rows(report.Year(y.params, y.data, None, y.regions)) for y in panel.years]
    extra = []
    for y in panel.years:
        if y.params.published:
            extra.append(y.params.path(y.params.published) / AGGREGATES)
        extra.append(y.params.path(y.params.units_dir) / "regions.csv")
    root = panel.years[-1].params.root
    files = list(dict.fromkeys(extra))
    frames.append(
        pd.DataFrame(
            {
                "file": [str(f.relative_to(root)) if f.is_relative_to(root) else str(f) for f in files],
                "sha256": [hashlib.sha256(f.read_bytes()).hexdigest() for f in files],
                "rows": [None] * len(files),
            }
        )
    )
    return pd.concat(frames, ignore_index=True).drop_duplicates("file").reset_index(drop=True)


def provenance(panel: Panel) -> HTML:
    """Input files with SHA-256, package versions and build time."""
    rows = provenance_rows(panel)
    columns = [
        Column("file", "File"),
        Column("rows", "Rows", lambda v: _DASH if v is None or pd.isna(v) else str(int(v)), True),
        Column("sha256", "SHA-256", css="hash"),
    ]
    version_text = ", ".join(f"{k} {v}" for k, v in report.versions().items())
    values = pd.concat([y.data.scores for y in panel.years])
    counts = values.provenance.value_counts()
    text = (
        f"Built {report.build_time()} with {version_text}. Of {len(values)} {panel.index_name} values over "
        f"{len(panel.years)} years, {counts.get('published', 0)} are published and "
        f"{counts.get('simulated', 0)} simulated."
    )
    return present.show(present.paragraphs(text), present.table(rows, columns, "Files read"))


def _source(panel: Panel) -> str:
    params = panel.years[-1].params
    publisher = params.index.publisher
    return " ".join(
        part for part in (f"Source: {publisher}." if publisher else "", params.source_note) if part
    )


# --- outputs -----------------------------------------------------------------------------------------------


def _records(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", force_ascii=False))


def summary(panel: Panel) -> dict:
    """The trends' figures as summary.json holds them."""
    d = panel.decimals
    provinces = panel.scores("province")
    slug = panel.years[-1].params.index.slug
    means = mean_by_year(provinces, panel.published(slug), d)
    counts = band_counts_by_year(provinces, panel.bands)
    moves = largest_moves(provinces, d, k=5)
    data = {
        "index": panel.index_name,
        "title": f"{panel.name}: trends",
        "years": panel.labels,
        "demonstration": panel.demonstration,
        "means": _records(means.drop(columns="precision")),
        "band_counts": {
            str(year): {row.band: int(row["count"]) for _, row in group.iterrows()}
            for year, group in counts.groupby("year", sort=True)
        },
        "bands": {str(y): report.band_rule(b, panel.unit_label) for y, b in panel.bands.items()},
        "movers": _records(
            moves[
                [
                    "period",
                    "by",
                    "direction",
                    "position",
                    "code",
                    "name",
                    "score_previous",
                    "score_current",
                    "score_change",
                    "rank_previous",
                    "rank_current",
                    "rank_change",
                    "provenance",
                ]
            ]
        ),
        "regional_means": _records(
            regional_means_by_year(provinces, panel.published(slug), panel.regions.names_en, d).drop(
                columns="precision"
            )
        ),
    }
    threshold = common_threshold(panel.bands)
    if threshold is not None:
        data["at_or_above"] = {
            "threshold": threshold,
            "counts": _records(at_or_above(provinces, threshold, d)),
        }
    ministries_frame = panel.scores("ministry")
    if not ministries_frame.empty:
        data["ministries"] = _records(
            mean_by_year(ministries_frame, panel.published(slug, "ministry"), d).drop(columns="precision")
        )
    companion_frame = panel.companion()
    if not companion_frame.empty:
        name = panel.companion_name
        data["companion"] = {
            "name": name,
            "means": _records(
                mean_by_year(companion_frame, panel.published(name.lower()), d).drop(columns="precision")
            ),
        }
    data["sources"] = _records(provenance_rows(panel))
    data["versions"] = report.versions()
    data["built"] = report.build_time()
    return data


def write_outputs(panel: Panel, output_dir: str | Path) -> None:
    """Writes summary.json and tables/*.csv into output_dir; nothing when output_dir is empty."""
    if not output_dir:
        return
    folder = Path(output_dir)
    tables = folder / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    present.write_summary(folder, summary(panel))
    d = panel.decimals
    fmt = f"%.{d}f"
    slug = panel.years[-1].params.index.slug
    provinces = panel.scores("province")
    keep = ["year", "rank", "code", "name", "score", "band", "region", "provenance"]
    provinces[keep].to_csv(tables / "provinces.csv", index=False, float_format=fmt)
    mean_by_year(provinces, panel.published(slug), d).to_csv(
        tables / "means.csv", index=False, float_format=fmt
    )
    spread_by_year(provinces).to_csv(tables / "spread.csv", index=False, float_format="%.4f")
    band_counts_by_year(provinces, panel.bands).to_csv(tables / "bands.csv", index=False)
    history(provinces, "rank").to_csv(tables / "ranks.csv", index=False)
    largest_moves(provinces, d).to_csv(tables / "movers.csv", index=False, float_format=fmt)
    regional_means_by_year(provinces, panel.published(slug), panel.regions.names_en, d).to_csv(
        tables / "regions.csv", index=False, float_format=fmt
    )
    ministries_frame = panel.scores("ministry")
    if not ministries_frame.empty:
        ministries_frame[keep[:-2] + ["provenance"]].to_csv(
            tables / "ministries.csv", index=False, float_format=fmt
        )
        mean_by_year(ministries_frame, panel.published(slug, "ministry"), d).to_csv(
            tables / "ministry_means.csv", index=False, float_format=fmt
        )
    companion_frame = panel.companion()
    if not companion_frame.empty:
        name = panel.companion_name.lower()
        companion_frame[["year", "rank", "code", "name", "score", "region", "provenance"]].to_csv(
            tables / f"{name}.csv", index=False, float_format=fmt
        )
        mean_by_year(companion_frame, panel.published(name), d).merge(
            spread_by_year(companion_frame).drop(columns="mean"), on="year"
        ).to_csv(tables / f"{name}_means.csv", index=False, float_format=fmt)


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=_PANEL_COLUMNS)
    return pd.concat([f[_PANEL_COLUMNS] for f in frames], ignore_index=True)
