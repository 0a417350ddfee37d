"""Figures across years: means, spread, bands, leaders, rank histories, changes and regional means."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from parindex import analysis
from parindex.data.params import Band
from parindex.reports.trends.text import period_text

_MOVE_COLUMNS = ["period", "start", "end", "by", "direction", "position", *analysis.PAIR_COLUMNS]


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
        counts.insert(3, "range", [_range_of(row) for _, row in counts.iterrows()])
        counts["simulated"] = [int(sim.get(b, 0)) for b in counts["band"]]
        frames.append(counts)
    columns = ["year", "position", "band", "range", "lower", "upper", "count", "simulated"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def _range_of(row: pd.Series) -> str:
    """A band's range from a `band_counts` row, in symbols every language reads: "80–<90", "≥ 90", "< 70"."""
    if pd.isna(row.upper):
        return f"≥ {row.lower:g}"
    if pd.isna(row.lower) or row.lower == 0:
        return f"< {row.upper:g}"
    return f"{row.lower:g}–<{row.upper:g}"


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
        ranges = ", ".join(f"{b.label} {regime_range(own, i)}" for i, b in enumerate(own))
        labels = own[0].label if len(own) == 1 else f"{own[0].label}–{own[-1].label}"
        rows.append(
            {"first": year, "last": year, "years": 1, "labels": labels, "ranges": ranges, "bands": own}
        )
    return pd.DataFrame(rows, columns=["first", "last", "years", "labels", "ranges", "bands"]).drop(
        columns="bands"
    )


def regime_range(bands: Sequence[Band], i: int) -> str:
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
            rows.insert(0, "period", period_text(start, end))
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
