"""Published facts: per-unit scores and ranks and per-year aggregates from public sources, with addresses."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

UNIT_FACTS = "unit_facts.csv"
AGGREGATES = "aggregates.csv"
COMPONENTS = "components.csv"
COMPONENT_AGGREGATES = "component_aggregates.csv"


def load_unit_facts(folder: Path) -> pd.DataFrame:
    """Reads the per-unit facts: one row per published score, rank, change, range or bottom group.

    Columns: year, index, unit_type, code, name, field, value, precision, source_url, note. `field` is one of
    score, rank, change (points against the previous year), score_range ("[lo, hi)"), bottom (the unit is
    among the lowest `value` units); `precision` is the number of decimals the value was printed with.
    """
    table = pd.read_csv(folder / UNIT_FACTS, dtype=str, keep_default_na=False)
    table["year"] = table["year"].astype(int)
    return table


def load_aggregates(folder: Path) -> pd.DataFrame:
    """Reads the per-year aggregates: n_units, mean, min, max, counts per band, regional means and more.

    Columns: year, index, unit_type, metric, value (float), precision (decimals printed; <NA> for counts),
    source_url, note.
    """
    table = pd.read_csv(folder / AGGREGATES, dtype=str, keep_default_na=False)
    table["year"] = table["year"].astype(int)
    table["value"] = table["value"].astype(float)
    table["precision"] = pd.to_numeric(table["precision"]).astype("Int64")
    return table


def load_components(folder: Path) -> pd.DataFrame:
    """Reads the published parts of units' scores: year, index, unit_type, code, name, component, score."""
    table = pd.read_csv(folder / COMPONENTS, dtype=str, keep_default_na=False)
    table["year"] = table["year"].astype(int)
    table["score"] = pd.to_numeric(table["score"])
    return table


def load_component_aggregates(folder: Path) -> pd.DataFrame:
    """Reads the published national figures about component indices.

    Columns: year, index, unit_type, component (a component's code in params; "" for counts), metric
    (n_components, count_increased, count_decreased, change), value (float), precision (<NA> for counts),
    source_url, note.
    """
    table = pd.read_csv(folder / COMPONENT_AGGREGATES, dtype=str, keep_default_na=False)
    table["year"] = table["year"].astype(int)
    table["value"] = table["value"].astype(float)
    table["precision"] = pd.to_numeric(table["precision"]).astype("Int64")
    return table


def tolerance(precision: int | None) -> float:
    """How far a computed figure may lie from a published one printed with `precision` decimals.

    Args:
        precision: Decimals printed, or None for a count (which must match exactly).

    Returns:
        Half a unit of the last printed decimal (0.005 for two decimals), or 0 for counts.
    """
    if precision is None or pd.isna(precision):
        return 0.0
    return 0.5 * 10 ** (-int(precision))


def select(table: pd.DataFrame, year: int, index: str, unit_type: str) -> pd.DataFrame:
    """The rows of one year, index and unit type."""
    keep = (table["year"] == year) & (table["index"] == index) & (table["unit_type"] == unit_type)
    return table[keep].reset_index(drop=True)
