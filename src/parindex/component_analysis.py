"""Component indices: national means per component, their change on a previous year, units' strengths."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from parindex.data.params import Component


def national(parts: pd.DataFrame, components: tuple[Component, ...]) -> pd.DataFrame:
    """The national mean of each component, in points and as a share of its maximum.

    Args:
        parts: A long table of components (unit_type, code, component, score) of one unit type.
        components: The year's components of that unit type, in the methodology's order.

    Returns:
        One row per component given: component, mean (points), max (NaN when unknown), share (percent of
        the maximum; NaN when the maximum is unknown), in the methodology's order.
    """
    means = parts.groupby("component")["score"].mean()
    rows = [
        {
            "component": c.code,
            "mean": float(means[c.code]),
            "max": c.max if c.max is not None else float("nan"),
            "share": float(means[c.code]) / c.max * 100 if c.max is not None else float("nan"),
        }
        for c in components
        if c.code in means.index
    ]
    return pd.DataFrame(rows, columns=["component", "mean", "max", "share"])


def changes(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """The change of each component's national mean on the previous year, for components of both years.

    Args:
        now: `national` of the year.
        before: `national` of the previous year.

    Returns:
        `now` with the columns previous and change (points), restricted to components of both years.
    """
    joined = now.merge(before[["component", "mean"]].rename(columns={"mean": "previous"}), on="component")
    return joined.assign(change=joined["mean"] - joined["previous"])


@dataclass(frozen=True)
class ChangeSummary:
    """How the component indices moved, as an announcement states it.

    Attributes:
        count: Components compared.
        rose: Codes of the components that rose, largest rise first.
        fell: Codes of those that fell, smallest fall first.
        unchanged: Codes of those that printed the same.
        change: Each component's change, rounded to the printed decimals.
    """

    count: int
    rose: tuple[str, ...]
    fell: tuple[str, ...]
    unchanged: tuple[str, ...]
    change: dict[str, float]


def summarise(changed: pd.DataFrame, decimals: int) -> ChangeSummary:
    """Counts the components that rose, fell or stayed, judged on changes rounded to `decimals`."""
    change = {
        c: round(float(v), decimals) for c, v in zip(changed["component"], changed["change"], strict=True)
    }
    order = list(changed["component"])
    rose = sorted((c for c in order if change[c] > 0), key=lambda c: (-change[c], order.index(c)))
    fell = sorted((c for c in order if change[c] < 0), key=lambda c: (-change[c], order.index(c)))
    same = tuple(c for c in order if change[c] == 0)
    return ChangeSummary(len(order), tuple(rose), tuple(fell), same, change)


def relative(parts: pd.DataFrame) -> pd.DataFrame:
    """Each unit's component points less the national mean of the component (a units × components table)."""
    table = parts.pivot(index="code", columns="component", values="score")
    return table - table.mean()


def strengths(parts: pd.DataFrame) -> pd.DataFrame:
    """Each unit's strongest and weakest component relative to the national means.

    Returns:
        One row per unit code: strongest, strongest_gap, weakest, weakest_gap (points above or below the
        national mean; ties go to the component listed first).
    """
    gaps = relative(parts)
    order = list(dict.fromkeys(parts["component"]))
    gaps = gaps[order]
    return pd.DataFrame(
        {
            "strongest": gaps.idxmax(axis=1),
            "strongest_gap": gaps.max(axis=1),
            "weakest": gaps.idxmin(axis=1),
            "weakest_gap": gaps.min(axis=1),
        }
    )
