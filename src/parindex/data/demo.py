"""Demonstration panel: keeps every published value and aggregate, and simulates the rest, deterministically.

No complete official table is open data, so the demonstration panel fills the gaps. For each index, unit type
and year (in order, so that year-over-year facts can be honoured) it:

1. fixes every unit whose score was published (and scores implied by a published change on a known score);
2. pins the published extremes (max, min, largest and smallest rise or fall) on units;
3. proposes the other scores from the previous year plus the published shift and random movement;
4. searches, by seeded local search on scores in hundredths, for scores meeting every published constraint
   exactly: ranks, bands and counts, mean and regional means at their printed precision, units improved, etc.

Scores are integers in hundredths throughout, so the result is the same on every machine.
"""

from __future__ import annotations

import logging
import math
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from parindex.data import demo_components
from parindex.data.params import Params, load_params
from parindex.data.published import load_aggregates, load_unit_facts, select
from parindex.data.ranking import competition_rank
from parindex.data.units import load_unit_set

log = logging.getLogger(__name__)

SEED = 20201
HARD = 10_000  # cost of one unit of hard violation, against one hundredth of distance from the proposal
MAX_ITERATIONS = 100_000
ATTEMPTS = 5
PLAUSIBLE = (6500, 9900)  # range of simulated scores, in hundredths
DEMO_FOLDER = "data/demo"

# Plausible shape of a year with no previous year: spread of scores and regional tilt, in points.
SPREAD = {"par_index": 4.0, "sipas": 3.5}
REGION_TILT = {"RRD": 1.5, "SE": 1.2, "MD": 0.4, "NCC": 0.0, "NMM": -1.2, "CH": -1.6}
YEARLY_MOVE = 1.6  # standard deviation of a unit's own year-to-year movement, in points
REVERSION = 0.2  # share of its distance from last year's mean a unit gives back in a year


def _hundredths(value: float | str) -> int:
    return int(round(float(value) * 100))


def _interval(value: str, precision: int) -> tuple[int, int]:
    """Hundredths that print as `value` at `precision` decimals (half-up): e.g. 90.1 -> 9005..9014."""
    centre = _hundredths(value)
    if precision >= 2:
        return centre, centre
    half = 10 ** (2 - precision) // 2
    return centre - half, centre + half - 1


@dataclass
class _Problem:
    """One index, unit type and year to generate."""

    key: tuple[str, str, int]
    codes: list[str]
    regions: list[str | None]
    prev: list[int | None]
    proposal: list[int] = field(default_factory=list)
    lo: list[int] = field(default_factory=list)
    hi: list[int] = field(default_factory=list)
    fixed: dict[int, int] = field(default_factory=dict)
    change: dict[int, int] = field(default_factory=dict)
    ranks: list[tuple[int, int]] = field(default_factory=list)
    bottoms: list[tuple[list[int], int]] = field(default_factory=list)
    sum_range: tuple[int, int] | None = None
    region_ranges: list[tuple[list[int], int, int]] = field(default_factory=list)
    counts: list[tuple[int, int, int]] = field(default_factory=list)
    above_mean: int | None = None
    increased: int | None = None
    decreased: int | None = None
    rise_range: tuple[int, int] | None = None
    fall_range: tuple[int, int] | None = None
    top: int | None = None
    bottom: int | None = None
    targets: list[int] = field(default_factory=list)


def _mean_range(value: float, precision: int, n: int) -> tuple[int, int]:
    """Sums (in hundredths) of n scores whose mean prints as `value`, with a margin from the rounding edge."""
    half = 0.5 * 10 ** (2 - precision)
    margin = 0.45 * half / 0.5 if precision >= 2 else half - 0.05
    centre = float(value) * 100
    return math.ceil((centre - margin) * n), math.floor((centre + margin) * n)


def _threshold(text: str) -> int:
    return _hundredths(text)


def _parse_count(metric: str) -> tuple[int, int] | None:
    """The score interval [lo, hi) in hundredths that a count metric counts, or None for other metrics."""
    if m := re.fullmatch(r"count_ge_([\d.]+)", metric):
        return _threshold(m[1]), 10**9
    if m := re.fullmatch(r"count_gt_([\d.]+)", metric):
        return _threshold(m[1]) + 1, 10**9
    if m := re.fullmatch(r"count_lt_([\d.]+)", metric):
        return -(10**9), _threshold(m[1])
    if m := re.fullmatch(r"count_([\d.]+)_([\d.]+)", metric):
        return _threshold(m[1]), _threshold(m[2])
    return None


def _build(
    key: tuple[str, str, int],
    units: pd.DataFrame,
    facts: pd.DataFrame,
    aggregates: pd.DataFrame,
    prev: dict[str, int] | None,
    anchor: dict[str, int] | None,
    ahead: _Lookahead,
    rng: random.Random,
) -> _Problem:
    """Turns one year's published facts into a problem for the search.

    `ahead` bounds units by what next year's published facts imply.
    """
    index, unit_type, year = key
    codes = list(units["code"])
    at = {c: i for i, c in enumerate(codes)}
    n = len(codes)
    problem = _Problem(key, codes, list(units["region"]), [prev.get(c) if prev else None for c in codes])
    scale_lo, scale_hi = PLAUSIBLE
    problem.lo, problem.hi = [scale_lo] * n, [scale_hi] * n
    metrics = {r.metric: (r.value, r.precision) for r in aggregates.itertuples()}

    for r in facts.itertuples():
        if r.code not in at:
            raise ValueError(f"{key}: published fact for {r.code} ({r.name}), which is not in the unit set")
        i = at[r.code]
        if r.field == "score":
            lo, hi = _interval(r.value, int(r.precision))
            problem.lo[i], problem.hi[i] = max(problem.lo[i], lo), min(problem.hi[i], hi)
            if lo == hi:
                problem.fixed[i] = lo
        elif r.field == "rank":
            problem.ranks.append((i, int(r.value)))
        elif r.field == "change":
            problem.change[i] = _hundredths(r.value)
        elif r.field == "score_range":
            lo_text, hi_text = r.value.strip("[)").split(",")
            if lo_text.strip():
                problem.lo[i] = max(problem.lo[i], _hundredths(lo_text))
            if hi_text.strip():
                problem.hi[i] = min(problem.hi[i], _hundredths(hi_text) - 1)
        elif r.field == "bottom":
            group = [at[c] for c in facts[(facts.field == "bottom") & (facts.value == r.value)].code]
            if (group, int(r.value)) not in problem.bottoms:
                problem.bottoms.append((group, int(r.value)))
    floor = _hundredths(metrics["min"][0]) if "min" in metrics else scale_lo
    if ahead.floor is not None:
        problem.lo = [
            max(lo, ahead.floor) if i not in problem.fixed else lo for i, lo in enumerate(problem.lo)
        ]
    for code, ceiling in ahead.hi.items():
        if code in at and ceiling > max(problem.lo[at[code]], floor):
            problem.hi[at[code]] = min(problem.hi[at[code]], ceiling)
    for code, bottom in ahead.lo.items():
        if code in at and bottom <= problem.hi[at[code]]:
            problem.lo[at[code]] = max(problem.lo[at[code]], bottom)
    for i, delta in problem.change.items():
        if problem.prev[i] is not None and i not in problem.fixed:
            problem.fixed[i] = problem.prev[i] + delta
    _add_aggregates(problem, metrics, at)
    _propose(problem, metrics, anchor, ahead, rng)
    _pin_extremes(problem, metrics)
    _order_proposal(problem)
    for r in facts[facts.field == "score"].itertuples():
        i = at[r.code]
        if i not in problem.fixed and problem.lo[i] <= _hundredths(r.value) <= problem.hi[i]:
            problem.proposal[i] = _hundredths(r.value)  # as printed, where the other facts allow
    return problem


def _order_proposal(problem: _Problem) -> None:
    """Moves proposals so that units with a published rank sit at that rank among the proposals."""
    n = len(problem.codes)
    value = [problem.fixed.get(i, problem.proposal[i]) for i in range(n)]
    ranked = dict(problem.ranks)
    order = sorted((i for i in range(n) if i not in ranked), key=lambda i: -value[i])
    for i, r in sorted(ranked.items(), key=lambda item: item[1]):
        order.insert(min(r - 1, len(order)), i)
    for k, i in enumerate(order):
        if i in problem.fixed:
            continue
        above = [value[j] for j in order[:k] if j in problem.fixed]
        below = [value[j] for j in order[k + 1 :] if j in problem.fixed]
        upper = min(above) - 1 if above else problem.hi[i]
        lower = max(below) + 1 if below else problem.lo[i]
        upper, lower = min(upper, problem.hi[i]), max(lower, problem.lo[i])
        if lower <= upper and not lower <= value[i] <= upper:
            value[i] = (lower + upper) // 2
        problem.proposal[i] = value[i]


def _add_aggregates(problem: _Problem, metrics: dict[str, tuple[float, int]], at: dict[str, int]) -> None:
    n = len(problem.codes)
    for metric, (value, precision) in metrics.items():
        precision = 2 if pd.isna(precision) else int(precision)
        if metric == "n_units":
            if int(value) != n:
                raise ValueError(f"{problem.key}: published n_units {int(value)} but the unit set has {n}")
        elif metric == "mean":
            problem.sum_range = _mean_range(value, precision, n)
        elif metric.startswith("mean_region_"):
            members = [i for i, r in enumerate(problem.regions) if r == metric.removeprefix("mean_region_")]
            problem.region_ranges.append((members, *_mean_range(value, precision, len(members))))
        elif (interval := _parse_count(metric)) is not None:
            problem.counts.append((interval[0], interval[1], int(value)))
        elif metric == "count_above_mean":
            problem.above_mean = int(value)
        elif metric == "count_increased":
            problem.increased = int(value)
        elif metric == "count_decreased":
            problem.decreased = int(value)
        elif metric in ("max", "min", "max_min_gap"):
            pass  # pinned on units by _pin_extremes
        elif metric in ("max_increase", "min_increase"):
            lo, hi = problem.rise_range or (1, 10**9)
            v = _hundredths(value)
            problem.rise_range = (v, hi) if metric == "min_increase" else (lo, v)
        elif metric in ("max_decrease", "min_decrease"):
            lo, hi = problem.fall_range or (1, 10**9)
            v = _hundredths(value)
            problem.fall_range = (v, hi) if metric == "min_decrease" else (lo, v)
        else:
            raise ValueError(f"{problem.key}: no demonstration rule for published metric '{metric}'")


def _propose(
    problem: _Problem,
    metrics: dict[str, tuple[float, int]],
    anchor: dict[str, int] | None,
    ahead: _Lookahead,
    rng: random.Random,
) -> None:
    """Plausible starting scores: last year's plus the published shift and movement, or a fresh spread.

    A unit whose next-year score is published starts halfway towards the level that score implies this
    year, so that simulated years lead smoothly into published ones.
    """
    index = problem.key[0]
    n = len(problem.codes)
    known = [p for p in problem.prev if p is not None]
    if "mean" in metrics:
        target = metrics["mean"][0] * 100
    elif known:
        region_means = [v for m, (v, _) in metrics.items() if m.startswith("mean_region_")]
        target = sum(region_means) / len(region_means) * 100 if region_means else sum(known) / len(known)
    else:
        target = 8000
    proposal = []
    for i in range(n):
        if problem.prev[i] is not None:
            last_mean = sum(known) / len(known)
            reversion = REVERSION * (last_mean - problem.prev[i])
            value = problem.prev[i] + (target - last_mean) + reversion + rng.gauss(0, YEARLY_MOVE * 100)
        elif anchor and problem.codes[i] in anchor:
            anchor_values = list(anchor.values())
            anchor_mean = sum(anchor_values) / len(anchor_values)
            value = target + 0.6 * (anchor[problem.codes[i]] - anchor_mean) + rng.gauss(0, 250)
        else:
            tilt = REGION_TILT.get(problem.regions[i] or "", 0.0)
            value = target + (tilt + rng.gauss(0, SPREAD.get(index, 4.0))) * 100
        code = problem.codes[i]
        if code in ahead.scores:
            level = ahead.scores[code] - ((ahead.mean - target) if ahead.mean is not None else 0)
            value = (value + level) / 2
        proposal.append(int(round(value)))
    for members, lo, hi in problem.region_ranges:
        free = [i for i in members if i not in problem.fixed]
        if free:
            gap = ((lo + hi) / 2 - sum(problem.fixed.get(i, proposal[i]) for i in members)) / len(free)
            for i in free:
                proposal[i] += int(round(gap))
    problem.proposal = proposal


def _pin_extremes(problem: _Problem, metrics: dict[str, tuple[float, int]]) -> None:
    """Puts the published max and min (and the extreme rises and falls) on units, and bounds the others."""
    n = len(problem.codes)
    value = {m: v for m, (v, _) in metrics.items()}
    top = _hundredths(value["max"]) if "max" in value else None
    bottom = _hundredths(value["min"]) if "min" in value else None
    n = len(problem.codes)
    leader = [problem.fixed[i] for i, r in problem.ranks if r == 1 and i in problem.fixed]
    if "max_min_gap" in value:
        gap = _hundredths(value["max_min_gap"])
        top = top if top is not None or not leader else leader[0]
        top = top if top is not None else (bottom + gap if bottom is not None else None)
        bottom = bottom if bottom is not None else (top - gap if top is not None else None)
    rank_of = dict(problem.ranks)
    if top is not None:
        problem.top = top
        _pin(problem, top, lambda i: rank_of.get(i) == 1, max)
    if bottom is not None:
        problem.bottom = bottom
        _pin(problem, bottom, lambda i: rank_of.get(i) == n, min)
    for i in range(n):
        if i not in problem.fixed:
            if top is not None:
                problem.hi[i] = min(problem.hi[i], top)
            if bottom is not None:
                problem.lo[i] = max(problem.lo[i], bottom)
    for metric in ("max_increase", "min_increase", "max_decrease", "min_decrease"):
        if metric in value:
            problem.targets.append(_hundredths(value[metric]) * (1 if "increase" in metric else -1))


def _pin(problem: _Problem, value: int, preferred, pick) -> None:
    """Ensures one unit holds `value`: a fixed unit already, else the preferred one, else the likeliest."""
    if value in problem.fixed.values():
        return
    free = [
        i
        for i in range(len(problem.codes))
        if i not in problem.fixed and problem.lo[i] <= value <= problem.hi[i]
    ]
    chosen = [i for i in free if preferred(i)] or free
    if not chosen:
        raise ValueError(f"{problem.key}: no unit can hold the published extreme {value / 100:.2f}")
    i = pick(chosen, key=lambda c: problem.proposal[c])
    problem.fixed[i] = value


def _violations(p: _Problem, v: list[int]) -> int:
    """How far the scores `v` are from meeting every hard constraint (0 = all met)."""
    bad = 0
    n = len(v)
    for i, r in p.ranks:
        s = v[i]
        above = sum(1 for x in v if x > s)
        ties = sum(1 for x in v if x == s) - 1
        bad += 100 * (abs(above - (r - 1)) + ties)
    for group, _size in p.bottoms:
        members = set(group)
        worst = max(v[i] for i in group)
        bad += 100 * sum(1 for j in range(n) if j not in members and v[j] <= worst)
    total = sum(v)
    if p.sum_range:
        bad += -(-max(0, p.sum_range[0] - total, total - p.sum_range[1]) // 10)
    for members, lo, hi in p.region_ranges:
        s = sum(v[i] for i in members)
        bad += -(-max(0, lo - s, s - hi) // 10)
    for lo, hi, count in p.counts:
        bad += 100 * abs(sum(1 for x in v if lo <= x < hi) - count)
    if p.above_mean is not None:
        bad += 100 * abs(sum(1 for x in v if x * n > total) - p.above_mean)
    if p.increased is not None or p.decreased is not None or p.rise_range or p.fall_range:
        rises = [v[i] - p.prev[i] for i in range(n) if p.prev[i] is not None]
        if p.increased is not None:
            bad += 100 * abs(sum(1 for d in rises if d > 0) - p.increased)
        if p.decreased is not None:
            bad += 100 * abs(sum(1 for d in rises if d < 0) - p.decreased)
        if p.rise_range:
            lo, hi = p.rise_range
            bad += sum(max(0, lo - d, d - hi) for d in rises if d > 0)
        if p.fall_range:
            lo, hi = p.fall_range
            bad += sum(max(0, lo + d, -d - hi) for d in rises if d < 0)
        reached = set(rises)
        bad += 100 * sum(1 for t in p.targets if t not in reached)
    return bad


def _cost(p: _Problem, v: list[int]) -> tuple[int, int]:
    """(hard violations, total cost): the cost adds the distance from the proposal to weighted violations."""
    bad = _violations(p, v)
    return bad, HARD * bad + sum(abs(a - b) for a, b in zip(v, p.proposal, strict=True))


def _solve(p: _Problem, rng: random.Random) -> list[int]:
    """Seeded local search for scores meeting every hard constraint, near the proposal."""
    n = len(p.codes)
    free = [i for i in range(n) if i not in p.fixed]
    v = [p.fixed.get(i, min(max(p.proposal[i], p.lo[i]), p.hi[i])) for i in range(n)]
    for i, value in p.fixed.items():
        if not p.lo[i] <= value <= p.hi[i]:
            raise ValueError(f"{p.key}: {p.codes[i]} fixed at {value / 100:.2f}, outside its published range")
    bad, cost = _cost(p, v)
    steps = (1, 2, 5, 10, 25, 60, 150)
    for iteration in range(MAX_ITERATIONS):
        if bad == 0:
            log.info("%s solved in %d steps", p.key, iteration)
            return v
        temperature = 300 * (1 - iteration / MAX_ITERATIONS) + 1
        move = rng.random()
        i = rng.choice(free)
        old_i = v[i]
        if move < 0.5:
            v[i] = min(max(old_i + rng.choice((-1, 1)) * rng.choice(steps), p.lo[i]), p.hi[i])
            j, old_j = None, None
        elif move < 0.55:
            v[i] = min(max(v[rng.randrange(n)] + rng.randint(-20, 20), p.lo[i]), p.hi[i])
            j, old_j = None, None
        elif move < 0.58 and p.targets and p.prev[i] is not None:
            v[i] = min(max(p.prev[i] + rng.choice(p.targets), p.lo[i]), p.hi[i])
            j, old_j = None, None
        else:
            j = rng.choice(free)
            old_j = v[j]
            if move < 0.8:
                d = rng.choice((-1, 1)) * rng.choice(steps)
                v[i], v[j] = old_i + d, old_j - d
            else:
                v[i], v[j] = old_j, old_i
            if not (p.lo[i] <= v[i] <= p.hi[i] and p.lo[j] <= v[j] <= p.hi[j]):
                v[i], v[j] = old_i, old_j
                continue
        new_bad, new_cost = _cost(p, v)
        delta = new_cost - cost
        if delta <= 0 or rng.random() < math.exp(-delta / temperature):
            bad, cost = new_bad, new_cost
        else:
            v[i] = old_i
            if j is not None:
                v[j] = old_j
    if bad == 0:
        return v
    raise _Stuck(_explain(p, v))


def _explain(p: _Problem, v: list[int]) -> str:
    """Which constraints the best scores found still break, for the error message."""
    broken = []
    for i, r in p.ranks:
        above = sum(1 for x in v if x > v[i])
        if above != r - 1:
            over = [
                f"{p.codes[j]}={v[j] / 100}({'fixed' if j in p.fixed else 'free'},prev={p.prev[j]})"
                for j in range(len(v))
                if v[j] > v[i]
            ]
            broken.append(f"{p.codes[i]} rank {above + 1} instead of {r}: {over}")
    for lo, hi, count in p.counts:
        got = sum(1 for x in v if lo <= x < hi)
        if got != count:
            broken.append(f"{got} scores in [{lo / 100}, {hi / 100}) instead of {count}")
    if p.increased is not None:
        got = sum(1 for i in range(len(v)) if p.prev[i] is not None and v[i] > p.prev[i])
        if got != p.increased:
            broken.append(f"{got} increased instead of {p.increased}")
    if p.decreased is not None:
        got = sum(1 for i in range(len(v)) if p.prev[i] is not None and v[i] < p.prev[i])
        if got != p.decreased:
            broken.append(f"{got} decreased instead of {p.decreased}")
    total = sum(v)
    if p.sum_range and not p.sum_range[0] <= total <= p.sum_range[1]:
        broken.append(f"sum {total} outside {p.sum_range}")
    for members, lo, hi in p.region_ranges:
        got = sum(v[i] for i in members)
        if not lo <= got <= hi:
            broken.append(
                f"region sum {got} outside {lo}..{hi} ({[p.codes[i] for i in members if i in p.fixed]} fixed)"
            )
    if p.above_mean is not None:
        got = sum(1 for x in v if x * len(v) > total)
        if got != p.above_mean:
            broken.append(f"{got} above the mean instead of {p.above_mean}")
    rises = {p.codes[i]: v[i] - p.prev[i] for i in range(len(v)) if p.prev[i] is not None}
    missing = [t / 100 for t in p.targets if t not in rises.values()]
    if missing:
        broken.append(f"no unit changed by {missing}")
    if p.rise_range:
        bad = {c: d for c, d in rises.items() if d > 0 and not p.rise_range[0] <= d <= p.rise_range[1]}
        if bad:
            broken.append(f"rises outside {p.rise_range}: {bad}")
    if p.fall_range:
        bad = {c: d for c, d in rises.items() if d < 0 and not p.fall_range[0] <= -d <= p.fall_range[1]}
        if bad:
            broken.append(f"falls outside {p.fall_range}: {bad}")
    return "; ".join(broken) or f"{_violations(p, v)} points of violation (sums, bottoms or rises)"


def _backfill(facts: pd.DataFrame) -> pd.DataFrame:
    """Adds the previous year's score implied by a published change on a published score.

    The implied score is exact when both figures have two decimals, else a range ("score_range" field).
    """
    added = []
    scores = facts[facts.field == "score"]
    for r in facts[facts.field == "change"].itertuples():
        same = (scores["index"] == r.index) & (scores.code == r.code)
        now = scores[same & (scores.year == r.year)]
        if now.empty or not scores[same & (scores.year == r.year - 1)].empty:
            continue
        row = now.iloc[0]
        lo, hi = _interval(row.value, int(row.precision))
        delta_lo, delta_hi = _interval(r.value, int(r.precision))
        lo, hi = lo - delta_hi, hi - delta_lo
        if lo == hi:
            fact = {"field": "score", "value": f"{lo / 100:.2f}", "precision": "2"}
        else:
            fact = {
                "field": "score_range",
                "value": f"[{lo / 100:.2f}, {(hi + 1) / 100:.2f})",
                "precision": "",
            }
        added.append({**row.to_dict(), **fact, "year": r.year - 1, "note": "derived"})
    return pd.concat([facts, pd.DataFrame(added)], ignore_index=True) if added else facts


def generate(params_files: list[Path]) -> dict[Path, pd.DataFrame]:
    """Generates the demonstration panel of the years of the given params files, from their published facts.

    Args:
        params_files: One params file per year (e.g. params/2018.yaml … params/2024.yaml).

    Returns:
        One table per input file named in the params (only those under data/demo/), keyed by path.
    """
    loaded = [load_params(path, require_inputs=False) for path in params_files]
    params_by_year = {p.year: p for p in sorted(loaded, key=lambda p: p.year)}
    first = next(iter(params_by_year.values()))
    published = first.path(first.published)
    facts = _backfill(load_unit_facts(published))
    aggregates = load_aggregates(published)
    panel: dict[tuple[str, str], dict[str, int]] = {}
    outputs: dict[Path, pd.DataFrame] = {}
    for year, params in params_by_year.items():
        for index, unit_type, spec in _series(params):
            units = load_unit_set(params.path(params.units_dir), params.units[unit_type], unit_type).frame()
            key = (index, unit_type, year)
            year_facts = select(facts, year, index, unit_type)
            prev = panel.get((index, unit_type)) if params.comparison_year == year - 1 else None
            anchor = panel.get((params.index.slug, unit_type)) if index != params.index.slug else None
            ahead = _lookahead(
                select(facts, year + 1, index, unit_type), select(aggregates, year + 1, index, unit_type)
            )
            year_aggregates = select(aggregates, year, index, unit_type)
            problem, scores = _attempt(key, units, year_facts, year_aggregates, prev, anchor, ahead)
            panel[(index, unit_type)] = dict(zip(problem.codes, scores, strict=True))
            exact = _published_exact(year_facts[~year_facts.note.eq("derived")])
            outputs[params.path(spec.path)] = _table(units, scores, exact, params.index.decimals)
            log.info("generated %s %s %s", index, unit_type, year)
    outputs.update(demo_components.generate(params_by_year, outputs))
    return outputs


@dataclass(frozen=True)
class _Lookahead:
    """Bounds on this year's scores implied by next year's published facts (hundredths)."""

    floor: int | None = None
    lo: dict[str, int] = field(default_factory=dict)
    hi: dict[str, int] = field(default_factory=dict)
    scores: dict[str, int] = field(default_factory=dict)
    mean: int | None = None


def _lookahead(next_facts: pd.DataFrame, next_aggregates: pd.DataFrame) -> _Lookahead:
    """What next year's facts say about this year.

    - Next year's minimum less its largest rise is a floor for every unit.
    - A unit with a published score next year rose to it when next year's counts say (nearly) every unit
      rose (all falls named, or at least 85 per cent rose), unless a fall of its own is published.
    - A unit with a published change next year stays, after the change, within next year's range: at or
      above the level every unknown unit must reach (its minimum, or a threshold X when count_lt_X units
      are all known) and below its maximum.
    """
    metrics = dict(zip(next_aggregates.metric, next_aggregates.value, strict=True))
    facts = next_facts[next_facts.field == "score"]
    known = {r.code: _interval(r.value, int(r.precision)) for r in facts.itertuples()}
    floor = None
    if "min" in metrics and "max_increase" in metrics:
        floor = _hundredths(metrics["min"]) - _hundredths(metrics["max_increase"])
    changes = next_facts[next_facts.field == "change"]
    falls = set(changes[changes.value.astype(float) < 0].code)
    n = metrics.get("n_units")
    all_falls_named = "count_decreased" in metrics and metrics["count_decreased"] == len(falls)
    most_rose = n is not None and metrics.get("count_increased", 0) >= 0.85 * n
    hi = {}
    if all_falls_named or most_rose:
        hi = {code: interval[0] - 1 for code, interval in known.items() if code not in falls}
    level = _hundredths(metrics["min"]) + 1 if "min" in metrics else None
    for metric, count in metrics.items():
        if (m := re.fullmatch(r"count_lt_([\d.]+)", metric)) is not None:
            below = sum(1 for lo, _ in known.values() if lo < _hundredths(m[1]))
            if below == count:
                level = max(level or 0, _hundredths(m[1]))
    top = _hundredths(metrics["max"]) - 1 if "max" in metrics else None
    rank_of = {r.code: int(r.value) for r in next_facts[next_facts.field == "rank"].itertuples()}
    leaders = sorted(rank_of.values())
    k = next((j for j, r in enumerate(leaders, start=1) if r != j), len(leaders) + 1) - 1
    scored = [known[c][0] for c, r in rank_of.items() if r <= k and c in known]
    if scored:
        top = min(top if top is not None else 10**9, min(scored) - 1)
    lo = {}
    for r in changes[~changes.code.isin(known) & ~changes.code.isin(rank_of)].itertuples():
        if level is not None:
            lo[r.code] = level - _hundredths(r.value)
        if top is not None:
            hi[r.code] = min(hi.get(r.code, top), top - _hundredths(r.value))
    if "max_increase" in metrics:
        ranks = next_facts[next_facts.field == "rank"]
        rank_of = {r.code: int(r.value) for r in ranks.itertuples()}
        for code, r in rank_of.items():
            below = [known[c][1] + rc - r for c, rc in rank_of.items() if rc > r and c in known]
            if code not in known and below:
                lo[code] = max(lo.get(code, 0), max(below) - _hundredths(metrics["max_increase"]))
    if "max_decrease" in metrics and level is not None and n is not None:
        for code, r in rank_of.items():
            if r == n and code not in known:
                hi[code] = min(hi.get(code, 10**9), level + _hundredths(metrics["max_decrease"]))
    exact = {code: (lo_hi[0] + lo_hi[1]) // 2 for code, lo_hi in known.items()}
    mean = _hundredths(metrics["mean"]) if "mean" in metrics else None
    return _Lookahead(floor, lo, hi, exact, mean)


def _series(params: Params):
    """(index, unit type, input spec) of each demonstration input of a year."""
    for spec in params.inputs:
        if spec.path.startswith(DEMO_FOLDER) and spec.layout == "wide":
            yield params.index.slug, spec.unit_type, spec
    if params.companion:
        for spec in params.companion.inputs:
            if spec.path.startswith(DEMO_FOLDER):
                yield params.companion.name.lower(), spec.unit_type, spec


def _attempt(key, units, facts, aggregates, prev, anchor, ahead) -> tuple[_Problem, list[int]]:
    """Builds and solves one year, starting again from new proposals if the search gets stuck."""
    stuck = None
    for attempt in range(ATTEMPTS):
        rng = random.Random(f"{SEED}-{'-'.join(map(str, key))}-{attempt}")
        problem = _build(key, units, facts, aggregates, prev, anchor, ahead, rng)
        try:
            return problem, _solve(problem, rng)
        except _Stuck as stuck:
            log.info("%s attempt %d: %s", key, attempt + 1, stuck)
    raise ValueError(f"{key}: no scores found meeting every published constraint: {stuck}")


class _Stuck(Exception):
    """The search ended with constraints still broken."""


def _published_exact(facts: pd.DataFrame) -> dict[str, int]:
    """Scores as printed in a source, by unit code, in hundredths."""
    scores = facts[(facts.field == "score")]
    return {r.code: _hundredths(r.value) for r in scores.itertuples()}


def _table(units: pd.DataFrame, scores: list[int], published: dict[str, int], decimals: int) -> pd.DataFrame:
    table = pd.DataFrame({"code": units["code"], "name": units["name"], "score": [s / 100 for s in scores]})
    table["rank"] = competition_rank(table["score"], decimals)
    table["provenance"] = [
        "published" if published.get(c) == s else "simulated"
        for c, s in zip(units["code"], scores, strict=True)
    ]
    return table.sort_values(["rank", "code"]).reset_index(drop=True)


def write(outputs: dict[Path, pd.DataFrame]) -> None:
    """Writes the generated tables as UTF-8 CSV with two-decimal scores."""
    for path, table in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(path, index=False, float_format="%.2f", lineterminator="\n")
