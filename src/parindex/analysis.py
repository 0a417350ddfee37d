"""Analysis: bands, ranks, aggregates and year-over-year change, as pure functions of DataFrames."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from parindex.data.params import Band
from parindex.data.ranking import Ties, rank

MATCH, MISMATCH, NOT_COMPUTED = "match", "MISMATCH", "not computed"
_STAT_COLUMNS = ["count", "mean", "median", "std", "min", "max"]
UNIT_COLUMNS = ["unit_type", "code", "name", "short_name", "name_en", "region"]
_NUMBER = r"(\d+(?:\.\d+)?)"
_COUNT_METRICS = {
    re.compile(rf"count_ge_{_NUMBER}"): lambda s, x, _: s >= x,
    re.compile(rf"count_lt_{_NUMBER}"): lambda s, x, _: s < x,
    re.compile(rf"count_{_NUMBER}_{_NUMBER}"): lambda s, x, y: x <= s < y,
}
_REGION_METRIC = re.compile(r"mean_region_([A-Za-z0-9]+)")
_CHANGE_METRICS = (
    "count_increased",
    "count_decreased",
    "count_unchanged",
    "max_increase",
    "min_increase",
    "max_decrease",
    "min_decrease",
)


def band_of(score: float, bands: Sequence[Band]) -> str:
    """The key of the first band (highest first) whose minimum the score reaches.

    Args:
        score: One score.
        bands: The year's bands, highest first.

    Returns:
        The band's key (see `Band.key`), or "< {lowest min}" for a score below every band.
    """
    for band in bands:
        if score >= band.min:
            return band.key
    return f"< {bands[-1].min:g}"


def round_half_up(value: float, decimals: int) -> float:
    """Rounds the way a person does (2.345 -> 2.35), not banker's rounding, on the value as written.

    Args:
        value: A number; its shortest decimal form (``repr``) is what gets rounded.
        decimals: Decimals to keep.

    Returns:
        The rounded number.
    """
    return float(_exact(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def band_labels(bands: Sequence[Band]) -> list[str]:
    """Every band key of a year in order, best first, ending with the "< min" catch-all."""
    return [b.key for b in bands] + [band_of(-math.inf, bands)]


def with_bands(
    scores: pd.DataFrame, bands: Sequence[Band], decimals: int, ties: Ties = "rounded"
) -> pd.DataFrame:
    """Adds each unit's band and its rank by the tie rule in force.

    A score is banded as published, i.e. rounded half-up to `decimals` first (79.995 counts as 80.00).

    Args:
        scores: A `scores` frame (one unit type or several); under the "official" rule with the given ranks
            in `rank`.
        bands: The year's bands, highest first.
        decimals: Decimals the scores are published with.
        ties: The tie rule: "rounded" (ranks tie on scores equal at `decimals`), "unrounded" (on scores
            equal as given) or "official" (the given ranks).

    Returns:
        A copy with two more columns: `band` (its key, or "< min" below every band) and `computed_rank`
        (Int64, within each unit_type).
    """
    out = scores.copy()
    out["band"] = [None if pd.isna(s) else band_of(round_half_up(s, decimals), bands) for s in out["score"]]
    out["computed_rank"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    for _, group in out.groupby("unit_type", sort=False):
        given = group["rank"] if "rank" in group else None
        out.loc[group.index, "computed_rank"] = rank(group["score"], decimals, ties, given)
    return out


def describe(scores: pd.DataFrame, by: str | None = None, order: Sequence[str] | None = None) -> pd.DataFrame:
    """Count, mean, median, sample standard deviation (ddof=1), min and max of the scores.

    Args:
        scores: A `scores` frame of one unit type (with a `band` column to group by band).
        by: None for one row over all units, or a column to group by, e.g. "band" or "region".
        order: The groups in the order wanted, e.g. `band_labels(bands)`; groups listed but without units
            get count 0, groups present but not listed follow in sorted order. Default: sorted.

    Returns:
        Columns `by` (when grouping), count, mean, median, std, min, max; unrounded.

    Raises:
        ValueError: The frame holds more than one unit type and `by` is not "unit_type".
    """
    if by != "unit_type":
        _require_one_type(scores, "describe")
    if by is None:
        return pd.DataFrame([_stats(scores["score"])], columns=_STAT_COLUMNS)
    present = sorted(scores[by].dropna().unique(), key=str)
    groups = list(order or []) + [g for g in present if g not in (order or [])]
    rows = [{by: g, **_stats(scores.loc[scores[by] == g, "score"])} for g in groups]
    return pd.DataFrame(rows, columns=[by, *_STAT_COLUMNS])


def band_counts(scores_with_bands: pd.DataFrame, bands: Sequence[Band]) -> pd.DataFrame:
    """Units per band: every band of the year in order, and the "< min" catch-all only when it has units.

    Args:
        scores_with_bands: A frame from `with_bands`, one unit type.
        bands: The same year's bands, highest first.

    Returns:
        Columns band, lower (the band's min; NaN for the catch-all), upper (the next band's min, exclusive;
        NaN for the top band), count.

    Raises:
        ValueError: The frame holds more than one unit type.
    """
    _require_one_type(scores_with_bands, "band_counts")
    counts = scores_with_bands["band"].value_counts()
    rows = [
        {
            "band": band.key,
            "lower": band.min,
            "upper": bands[i - 1].min if i else math.nan,
            "count": int(counts.get(band.key, 0)),
        }
        for i, band in enumerate(bands)
    ]
    below = band_of(-math.inf, bands)
    if counts.get(below, 0):
        rows.append({"band": below, "lower": math.nan, "upper": bands[-1].min, "count": int(counts[below])})
    return pd.DataFrame(rows, columns=["band", "lower", "upper", "count"])


def compare(
    current: pd.DataFrame,
    previous: pd.DataFrame,
    bands_current: Sequence[Band],
    bands_previous: Sequence[Band],
    decimals: int,
    ties: Ties = "rounded",
    ties_previous: Ties | None = None,
) -> pd.DataFrame:
    """Compares two years unit by unit (matched on unit_type and code).

    Ranks follow each year's tie rule (computed from the scores within unit_type, or the official ranks
    given), so they exist for every unit even when a file of a year with a computed rule gives none.

    The band move compares band positions (best first, the catch-all last). When both years have the same
    band labels in the same order, a unit's previous and current bands are compared as they are. When the
    bands differ (2018's A-D against 2019's A-C), labels mean different things in the two years, so the
    previous score is placed in the *current* year's bands and that position is compared with the current
    one: the move says whether the unit crossed one of this year's thresholds. `band_previous` still shows
    the band the unit had in its own year.

    Args:
        current: The `scores` frame of the year reported.
        previous: The `scores` frame of the comparison year.
        bands_current: The current year's bands, highest first.
        bands_previous: The comparison year's bands, highest first.
        decimals: Decimals the scores are published with.
        ties: The current year's tie rule.
        ties_previous: The comparison year's tie rule; the current year's when None.

    Returns:
        One row per unit in either year, in current rank order then units absent this year: unit_type,
        code, name, short_name, name_en, region, provenance ('simulated' if either year's value is),
        score_previous, score_current, score_change (current - previous, rounded half-up to `decimals`),
        rank_previous, rank_current, rank_change (previous - current: positive = moved up), band_previous,
        band_current, band_move ('up'|'down'|'same', None unless in both years), status
        ('both'|'new'|'absent').
    """
    now = with_bands(current, bands_current, decimals, ties)
    before = with_bands(previous, bands_previous, decimals, ties_previous or ties)
    out = pair_years(now, before, decimals, rank="computed_rank")
    same_labels = [b.key for b in bands_current] == [b.key for b in bands_previous]
    out["band_move"] = [
        _band_move(row, bands_current, same_labels, decimals) for row in out.itertuples(index=False)
    ]
    return out[[*PAIR_COLUMNS[:-1], "band_previous", "band_current", "band_move", "status"]]


PAIR_COLUMNS = [
    *UNIT_COLUMNS,
    "provenance",
    "score_previous",
    "score_current",
    "score_change",
    "rank_previous",
    "rank_current",
    "rank_change",
    "status",
]


def pair_years(
    current: pd.DataFrame, previous: pd.DataFrame, decimals: int, rank: str = "rank"
) -> pd.DataFrame:
    """Two years of the same units side by side (matched on unit_type and code), with the change.

    Args:
        current: One year's units, with `score`, `provenance` and the rank column.
        previous: The earlier year's units, in the same columns.
        decimals: Decimals the scores are published with; the change is taken on the written values.
        rank: The column holding each year's rank.

    Returns:
        PAIR_COLUMNS (and band_previous, band_current when both frames have a `band`): provenance is
        'simulated' if either year's value is; rank_change is previous - current (positive = moved up);
        status 'both', 'new' or 'absent'. Units of the current year first, in rank order, then absent ones.
    """
    keys = ["unit_type", "code"]
    merged = current.merge(previous, on=keys, how="outer", suffixes=("_current", "_previous"), indicator=True)
    out = pd.DataFrame({k: merged[k] for k in keys})
    for column in UNIT_COLUMNS[2:]:
        out[column] = merged[f"{column}_current"].combine_first(merged[f"{column}_previous"])
    simulated = (merged["provenance_current"] == "simulated") | (merged["provenance_previous"] == "simulated")
    out["provenance"] = simulated.map({True: "simulated", False: "published"})
    out["score_previous"] = merged["score_previous"]
    out["score_current"] = merged["score_current"]
    out["score_change"] = [
        _change(c, p, decimals)
        for c, p in zip(merged["score_current"], merged["score_previous"], strict=True)
    ]
    out["rank_previous"] = merged[f"{rank}_previous"].astype("Int64")
    out["rank_current"] = merged[f"{rank}_current"].astype("Int64")
    out["rank_change"] = out["rank_previous"] - out["rank_current"]
    if "band_current" in merged and "band_previous" in merged:
        out["band_previous"] = merged["band_previous"]
        out["band_current"] = merged["band_current"]
    out["status"] = (
        merged["_merge"].map({"both": "both", "left_only": "new", "right_only": "absent"}).astype(str)
    )
    type_order = {
        t: i for i, t in enumerate(pd.concat([current["unit_type"], previous["unit_type"]]).unique())
    }
    out["_type"] = out["unit_type"].map(type_order)
    out["_absent"] = out["status"] == "absent"
    out = out.sort_values(["_type", "_absent", "rank_current", "rank_previous", "code"], na_position="last")
    return out.drop(columns=["_type", "_absent"]).reset_index(drop=True)


@dataclass(frozen=True)
class ChangeSummary:
    """How units moved between two years.

    Attributes:
        improved: Units in both years whose score rose.
        declined: Units in both years whose score fell.
        unchanged: Units in both years with the same score.
        new: Units ranked this year only.
        absent: Units ranked the previous year only.
        risers: The largest rises, largest first (rows of the compare frame).
        fallers: The largest falls, largest first (rows of the compare frame).
    """

    improved: int
    declined: int
    unchanged: int
    new: int
    absent: int
    risers: pd.DataFrame
    fallers: pd.DataFrame


def change_summary(compared: pd.DataFrame, k: int = 5) -> ChangeSummary:
    """Counts of improved, declined, unchanged, new and absent units, and the top `k` risers and fallers.

    Args:
        compared: A frame from `compare`, one unit type.
        k: How many risers and fallers to list. Units with equal changes are ordered by current rank, so
            a tie at the k-th place is cut there.

    Returns:
        The summary.

    Raises:
        ValueError: The frame holds more than one unit type.
    """
    _require_one_type(compared, "change_summary")
    both = compared[compared["status"] == "both"]
    change = both["score_change"]
    rose = both[change > 0].sort_values(
        ["score_change", "rank_current"], ascending=[False, True], kind="stable"
    )
    fell = both[change < 0].sort_values(
        ["score_change", "rank_current"], ascending=[True, True], kind="stable"
    )
    return ChangeSummary(
        improved=int((change > 0).sum()),
        declined=int((change < 0).sum()),
        unchanged=int((change == 0).sum()),
        new=int((compared["status"] == "new").sum()),
        absent=int((compared["status"] == "absent").sum()),
        risers=rose.head(k).reset_index(drop=True),
        fallers=fell.head(k).reset_index(drop=True),
    )


def reconcile(
    computed: Mapping[str, float | None], published: pd.DataFrame, tolerance: float = 0.005
) -> pd.DataFrame:
    """Checks computed figures against published ones.

    Counts (`n_units` and `count_*`) must be equal; other figures match when they differ by at most
    `tolerance`, judged on the numbers as written (decimal arithmetic), so 83.725 against 83.72 matches.
    A row with a `precision` (decimals the source printed) uses half a unit of its last decimal instead
    when that is wider (0.05 for a mean printed as 83.7).

    Args:
        computed: Computed value per metric name; None or a missing key when it could not be computed.
        published: Columns metric, value, source_url, optionally precision (any further columns are kept).
        tolerance: Largest allowed absolute difference for non-count metrics.

    Returns:
        One row per published metric: metric, published, computed, difference (computed - published),
        status ('match', 'MISMATCH' or 'not computed'), source_url, then any further published columns.
    """
    rows = []
    limit = _exact(tolerance)
    for record in published.to_dict("records"):
        metric, value = record["metric"], record["value"]
        mine = computed.get(metric)
        if mine is None or pd.isna(mine):
            difference, status = math.nan, NOT_COMPUTED
        else:
            exact = _exact(mine) - _exact(value)
            allowed = 0 if _is_count(metric) else max(limit, _half_unit(record.get("precision")))
            difference, status = float(exact), MATCH if abs(exact) <= allowed else MISMATCH
        extra = {k: v for k, v in record.items() if k not in ("metric", "value", "source_url")}
        rows.append(
            {
                "metric": metric,
                "published": value,
                "computed": math.nan if mine is None else mine,
                "difference": difference,
                "status": status,
                "source_url": record.get("source_url"),
                **extra,
            }
        )
    columns = ["metric", "published", "computed", "difference", "status", "source_url"]
    return pd.DataFrame(
        rows, columns=columns + [c for c in published.columns if c not in columns + ["value"]]
    )


def metric_value(
    metric: str, current: pd.DataFrame, previous: pd.DataFrame | None = None, decimals: int = 2
) -> float | None:
    """Computes one metric of the published-aggregates vocabulary from a year's scores.

    Vocabulary: n_units, mean, median, min, max, max_min_gap, count_ge_X, count_lt_X, count_X_Y
    (X <= score < Y), count_above_mean (score above the mean as published, i.e. rounded), count_increased,
    count_decreased, count_unchanged, max_increase, min_increase, max_decrease, min_decrease (decreases as
    positive numbers), mean_region_<CODE>. Change metrics use units present in both years (matched on
    unit_type and code). Means, medians and differences are rounded half-up to `decimals`.

    Args:
        metric: The metric's name, e.g. "count_80_90" or "mean_region_RRD".
        current: The year's `scores`, one unit type.
        previous: The comparison year's `scores`, same unit type, or None.
        decimals: Decimals results are rounded to.

    Returns:
        The value (an int for counts), or None when it cannot be computed: no previous year for a change
        metric, no unit in the region, no increase (decrease) for the increase (decrease) metrics.

    Raises:
        ValueError: The metric is not in the vocabulary, or a frame holds more than one unit type.
    """
    _require_one_type(current, "metric_value")
    scores = [_exact(s) for s in current["score"].dropna()]
    if metric == "n_units":
        return len(scores)
    if metric in ("mean", "median", "min", "max", "max_min_gap", "count_above_mean"):
        return _level(metric, scores, decimals)
    for pattern, test in _COUNT_METRICS.items():
        found = pattern.fullmatch(metric)
        if found:
            x, y = (Decimal(g) for g in (*found.groups(), "0")[:2])
            return sum(1 for s in scores if test(s, x, y))
    region = _REGION_METRIC.fullmatch(metric)
    if region:
        inside = current.loc[current["region"] == region.group(1), "score"].dropna()
        return _mean([_exact(s) for s in inside], decimals) if len(inside) else None
    if metric in _CHANGE_METRICS:
        if previous is None:
            return None
        _require_one_type(previous, "metric_value")
        return _change_metric(metric, current, previous, decimals)
    raise ValueError(f"unknown metric '{metric}': not in the vocabulary of data/published/aggregates.csv")


def _level(metric: str, scores: list[Decimal], decimals: int) -> float | int | None:
    if not scores:
        return None
    if metric == "mean":
        return _mean(scores, decimals)
    if metric == "median":
        ordered, half = sorted(scores), len(scores) // 2
        middle = ordered[half] if len(scores) % 2 else (ordered[half - 1] + ordered[half]) / 2
        return _quantize(middle, decimals)
    if metric == "min":
        return float(min(scores))
    if metric == "max":
        return float(max(scores))
    if metric == "max_min_gap":
        return _quantize(max(scores) - min(scores), decimals)
    mean = Decimal(repr(_mean(scores, decimals)))
    return sum(1 for s in scores if s > mean)


def _change_metric(metric: str, current: pd.DataFrame, previous: pd.DataFrame, decimals: int) -> float | None:
    pairs = current.merge(previous, on=["unit_type", "code"], suffixes=("", "_previous"))
    pairs = pairs.dropna(subset=["score", "score_previous"])
    changes = [
        _exact(round_half_up(c, decimals)) - _exact(round_half_up(p, decimals))
        for c, p in zip(pairs["score"], pairs["score_previous"], strict=True)
    ]
    if metric == "count_increased":
        return sum(1 for c in changes if c > 0)
    if metric == "count_decreased":
        return sum(1 for c in changes if c < 0)
    if metric == "count_unchanged":
        return sum(1 for c in changes if c == 0)
    rises = [c for c in changes if c > 0]
    falls = [-c for c in changes if c < 0]
    chosen = rises if metric.endswith("increase") else falls
    if not chosen:
        return None
    return _quantize(max(chosen) if metric.startswith("max") else min(chosen), decimals)


def _stats(series: pd.Series) -> dict[str, float]:
    values = series.dropna().astype(float)
    return {
        "count": int(values.size),
        "mean": values.mean() if values.size else math.nan,
        "median": values.median() if values.size else math.nan,
        "std": values.std(ddof=1) if values.size > 1 else math.nan,
        "min": values.min() if values.size else math.nan,
        "max": values.max() if values.size else math.nan,
    }


def _require_one_type(frame: pd.DataFrame, caller: str) -> None:
    types = list(frame["unit_type"].dropna().unique()) if "unit_type" in frame else []
    if len(types) > 1:
        raise ValueError(
            f"{caller} needs scores of one unit type, got {', '.join(sorted(types))}; "
            "select one first, e.g. scores[scores.unit_type == 'province']"
        )


def _exact(value: float | int | str) -> Decimal:
    """A number as written: the shortest decimal form of a float, so 0.1 is 0.1, not 0.1000000000000000055."""
    return Decimal(repr(float(value))) if isinstance(value, float) else Decimal(str(value))


def _quantize(value: Decimal, decimals: int) -> float:
    return float(value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _mean(scores: list[Decimal], decimals: int) -> float:
    return _quantize(sum(scores) / len(scores), decimals)


def _half_unit(precision: int | None) -> Decimal:
    """Half a unit of the last printed decimal: 0.005 for 2 decimals; 0 when unknown."""
    if precision is None or pd.isna(precision):
        return Decimal(0)
    return Decimal(5).scaleb(-int(precision) - 1)


def _is_count(metric: str) -> bool:
    return metric == "n_units" or metric.startswith("count_")


def _change(current: float, previous: float, decimals: int) -> float:
    if pd.isna(current) or pd.isna(previous):
        return math.nan
    return _quantize(_exact(current) - _exact(previous), decimals)


def _band_move(row, bands: Sequence[Band], same_labels: bool, decimals: int) -> str | None:
    if row.status != "both":
        return None
    order = band_labels(bands)
    if same_labels:
        before = order.index(row.band_previous) if row.band_previous in order else len(bands)
    else:
        before = order.index(band_of(round_half_up(row.score_previous, decimals), bands))
    now = order.index(row.band_current)
    return "up" if now < before else "down" if now > before else "same"
