"""Demonstration component scores: published parts kept, the rest simulated.

Every unit's parts sum to its total, respect each known maximum and follow the published national directions
of change. Values are integers in thousandths throughout (a published part may have three decimals), so the
result is
the same on every machine. Only provinces' components are simulated: the params name no others.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

from parindex.data.params import Component, Params
from parindex.data.published import (
    COMPONENT_AGGREGATES,
    COMPONENTS,
    load_component_aggregates,
    load_components,
)
from parindex.data.units import fold

SEED = 20201
DEMO_FOLDER = "data/demo"
# Simulated share of the total each component is proposed with (not its maximum, which the params give).
WEIGHTS = {
    "direction": 0.085,
    "institutions": 0.09,
    "procedures": 0.115,
    "apparatus": 0.08,
    "civil_service": 0.11,
    "public_finance": 0.085,
    "e_government": 0.115,
    "impact": 0.32,
    "appraisal": 0.645,
    "leaders_survey": 0.22,
    "sipas": 0.10,
    "socio_economic": 0.035,
}
NOISE = 0.04  # a unit's own deviation from its share, as a share of the component's mean points
RISE = 100  # simulated national rise of a component whose rise was not published, in thousandths
FALL_SCALE = 0.25  # a published fall is simulated as this share of its printed value, in points
SMALLEST_FALL = 10  # in thousandths


def generate(params_by_year: dict[int, Params], totals: dict[Path, pd.DataFrame]) -> dict[Path, pd.DataFrame]:
    """The component tables of every year whose params name a long demonstration input of components.

    Args:
        params_by_year: The params of each year, oldest first.
        totals: The generated score tables, keyed by path (code, name, score).

    Returns:
        One long table (code, name, component, score as text with three decimals, provenance) per path.
    """
    outputs: dict[Path, pd.DataFrame] = {}
    means: dict[int, dict[str, float]] = {}
    for year, params in params_by_year.items():
        target = _component_input(params)
        components = params.components_of("province")
        if target is None or not components:
            continue
        table = totals[params.path(_totals_input(params).path)]
        published = _published(params, components)
        previous = means.get(params.comparison_year) if params.comparison_year == year - 1 else None
        shifts = _shifts(params, components, table, previous)
        values, fixed = _values(year, table, components, published, previous, shifts)
        means[year] = {
            c.code: sum(values[u][c.code] for u in values) / len(values) / 1000 for c in components
        }
        outputs[params.path(target.path)] = _table(table, components, values, fixed)
    return outputs


def _component_input(params: Params):  # noqa: ANN202 - an InputFile or None
    for spec in params.inputs:
        if spec.layout == "long" and spec.unit_type == "province" and spec.path.startswith(DEMO_FOLDER):
            return spec
    return None


def _totals_input(params: Params):  # noqa: ANN202 - an InputFile
    return next(s for s in params.inputs if s.layout == "wide" and s.unit_type == "province")


def _published(params: Params, components: tuple[Component, ...]) -> dict[tuple[str, str], int]:
    """The published parts of the year's units, by (unit code, component code), in thousandths."""
    folder = params.path(params.published) if params.published else None
    if folder is None or not (folder / COMPONENTS).is_file():
        return {}
    rows = load_components(folder)
    rows = rows[(rows["year"] == params.year) & (rows["unit_type"] == "province") & rows["score"].notna()]
    by_text = {fold(h): c.code for c in components for h in c.headers}
    return {
        (r.code, by_text[fold(r.component)]): round(float(r.score) * 1000)
        for r in rows.itertuples()
        if fold(r.component) in by_text
    }


def _shifts(
    params: Params, components: tuple[Component, ...], table: pd.DataFrame, previous: dict[str, float] | None
) -> dict[str, int]:
    """The simulated change of each component's national mean, in thousandths, following the published ones.

    A published fall becomes a fall, other components rise by RISE, and the component published as rising
    most takes what is left of the change of the mean total, so that it rises most.
    """
    if previous is None:
        return {}
    folder = params.path(params.published) if params.published else None
    if folder is None or not (folder / COMPONENT_AGGREGATES).is_file():
        return {}
    published = load_component_aggregates(folder)
    keep = (published["year"] == params.year) & (published["metric"] == "change")
    changes = dict(zip(published[keep]["component"], published[keep]["value"], strict=True))
    if not changes:
        return {}
    largest = max(changes, key=changes.get)
    shifts = {
        c.code: -max(round(abs(changes[c.code]) * FALL_SCALE * 1000), SMALLEST_FALL)
        if changes.get(c.code, 1) < 0
        else RISE
        for c in components
    }
    total = round((float(table["score"].mean()) - sum(previous.values())) * 1000)
    shifts[largest] = total - sum(v for k, v in shifts.items() if k != largest)
    return shifts


def _values(
    year: int,
    table: pd.DataFrame,
    components: tuple[Component, ...],
    published: dict[tuple[str, str], int],
    previous: dict[str, float] | None,
    shifts: dict[str, int],
) -> tuple[dict[str, dict[str, int]], set[tuple[str, str]]]:
    """Each unit's component points in thousandths, and the (unit, component) pairs kept as published."""
    rng = random.Random(f"{SEED}-components-{year}")
    codes = [c.code for c in components]
    totals = {
        code: round(float(score) * 100) * 10
        for code, score in zip(table["code"], table["score"], strict=True)
    }
    mean_total = sum(totals.values()) / len(totals)
    if previous and shifts:
        target = {k: previous[k] * 1000 + shifts[k] for k in codes}
    else:
        weight = sum(WEIGHTS[k] for k in codes)
        target = {k: WEIGHTS[k] / weight * mean_total for k in codes}
    noise = {u: {k: rng.gauss(0, NOISE * target[k]) for k in codes} for u in totals}
    _centre(noise, codes)
    values, fixed = {}, set()
    for unit, total in totals.items():
        proposal = {k: target[k] * total / mean_total + noise[unit][k] for k in codes}
        given = {k: published[(unit, k)] for k in codes if (unit, k) in published}
        fixed |= {(unit, k) for k in given}
        values[unit] = _allocate(total, proposal, given, {c.code: c.max for c in components})
    return values, fixed


def _centre(noise: dict[str, dict[str, float]], codes: list[str]) -> None:
    """Removes each unit's and each component's mean from the noise, so that it moves no mean."""
    units = list(noise)
    rows = {u: sum(noise[u].values()) / len(codes) for u in units}
    cols = {k: sum(noise[u][k] for u in units) / len(units) for k in codes}
    grand = sum(cols.values()) / len(codes)
    for u in units:
        for k in codes:
            noise[u][k] += grand - rows[u] - cols[k]


def _allocate(
    total: int, proposal: dict[str, float], given: dict[str, int], maxima: dict[str, float | None]
) -> dict[str, int]:
    """Points per component summing to `total` exactly: published ones kept, the rest shared as proposed.

    A unit whose every component is published keeps them as printed (they sum to its total within rounding).
    """
    free = [k for k in proposal if k not in given]
    if not free:
        return dict(given)
    left = total - sum(given.values())
    scale = left / sum(proposal[k] for k in free)
    values = {k: max(0, round(proposal[k] * scale)) for k in free}
    for k in free:
        top = maxima[k]
        if top is not None and values[k] > top * 1000:
            values[k] = int(top * 1000) - 1
    largest = max((k for k in free if maxima[k] is None), key=lambda k: values[k], default=free[0])
    values[largest] += left - sum(values.values())
    return {k: given.get(k, values.get(k)) for k in proposal}


def _table(
    table: pd.DataFrame,
    components: tuple[Component, ...],
    values: dict[str, dict[str, int]],
    fixed: set[tuple[str, str]],
) -> pd.DataFrame:
    rows = [
        {
            "code": code,
            "name": name,
            "component": c.code,
            "score": f"{values[code][c.code] / 1000:.3f}",
            "provenance": "published" if (code, c.code) in fixed else "simulated",
        }
        for code, name in zip(table["code"], table["name"], strict=True)
        for c in components
    ]
    return pd.DataFrame(rows)
