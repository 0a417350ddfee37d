"""Reconciliation of a year's computed figures with the published ones."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from parindex import analysis
from parindex.data.published import load_aggregates, select
from parindex.reports import present
from parindex.reports.present import Column
from parindex.reports.yearly.year import Year


def published_of(year: Year, index: str, unit_type: str) -> pd.DataFrame:
    """The aggregates published for the year, an index and a unit type (empty without published facts)."""
    if not year.params.published:
        return pd.DataFrame(columns=["metric", "value", "precision", "source_url"])
    return select(
        load_aggregates(year.params.path(year.params.published)), year.params.year, index, unit_type
    )


def _series(year: Year) -> list[tuple[str, str, str, pd.DataFrame, pd.DataFrame | None]]:
    """(index key, label, unit type, current frame, previous frame) for everything reconciled."""
    slug = year.params.index.slug
    out = []
    for unit_type in ("province", "ministry"):
        current = year.data.scores[year.data.scores.unit_type == unit_type]
        if not current.empty:
            out.append((slug, year.params.index.name, unit_type, current, year.previous_units(unit_type)))
    if year.data.companion is not None:
        previous = year.previous.companion if year.previous is not None else None
        name = year.params.companion.name
        out.append((name.lower(), name, "province", year.data.companion, previous))
    return out


def reconciliation_rows(year: Year) -> pd.DataFrame:
    """Every published aggregate of the year beside the same figure computed from the data."""
    frames = []
    for key, label, unit_type, current, previous in _series(year):
        published = published_of(year, key, unit_type)
        if published.empty:
            continue
        computed = {m: analysis.metric_value(m, current, previous, year.decimals) for m in published.metric}
        rows = analysis.reconcile(computed, published[["metric", "value", "precision", "source_url"]])
        rows.insert(0, "index", label)
        rows.insert(1, "unit_type", unit_type)
        frames.append(rows)
    if not frames:
        return pd.DataFrame(
            columns=["index", "unit_type", "metric", "published", "computed", "difference", "status"]
        )
    return pd.concat(frames, ignore_index=True)


def reconciliation(year: Year) -> HTML:
    """The reconciliation table, with a sentence saying how many figures match."""
    rows = reconciliation_rows(year)
    if rows.empty:
        return HTML("<p>No published figures are recorded for this year.</p>")
    matched = int((rows.status == "match").sum())
    text = (
        f"{matched} of {len(rows)} published figures for {year.params.year} are reproduced by the data "
        f"(means within half a unit of the last printed decimal, counts exactly)."
    )
    flagged = rows[rows.status != "match"]
    if not flagged.empty:
        text += f" Flagged: {', '.join(flagged.metric)}."
    d = year.decimals
    columns = [
        Column("index", "Index"),
        Column("unit_type", "Units"),
        Column("metric", "Figure"),
        Column("published", "Published", lambda v: f"{v:g}", True),
        Column(
            "computed", "Computed", lambda v: "–" if v is None or pd.isna(v) else f"{round(v, d):g}", True
        ),
        Column("status", "Status"),
    ]
    return present.show(
        present.paragraphs(text),
        present.table(rows, columns, f"{year.name}: reconciliation with published figures"),
    )
