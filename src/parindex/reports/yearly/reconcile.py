"""Reconciliation of a year's computed figures with the published ones."""

from __future__ import annotations

import re

import pandas as pd

from parindex import analysis
from parindex import component_analysis as ca
from parindex.data.published import (
    COMPONENT_AGGREGATES,
    load_aggregates,
    load_component_aggregates,
    select,
)
from parindex.i18n import MISSING, Lang
from parindex.reports import nouns, present
from parindex.reports.present import Column, Localized
from parindex.reports.style import bound
from parindex.reports.yearly.components import component_name
from parindex.reports.yearly.components import table as components_table
from parindex.reports.yearly.text import name_of
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
    for unit_type in year.params.units:
        current = year.data.scores[year.data.scores.unit_type == unit_type]
        if not current.empty:
            out.append((slug, year.params.index.name, unit_type, current, year.previous_units(unit_type)))
    if year.data.companion is not None:
        previous = year.previous.companion if year.previous is not None else None
        name = year.params.companion.name
        out.append((name.lower(), name, year.params.main_type, year.data.companion, previous))
    return out


def _component_rows(year: Year) -> list[pd.DataFrame]:
    """Published figures on the year's component indices beside the same computed from the data.

    The number of components and how many rose or fell are counts; a component's published change is
    checked for its direction only (component_<code>_direction: +1 rose, -1 fell), since the unit of the
    published change is not printed (see data/published/DECISIONS.md).
    """
    folder = year.params.path(year.params.published) if year.params.published else None
    if folder is None or not (folder / COMPONENT_AGGREGATES).is_file():
        return []
    published = load_component_aggregates(folder)
    published = published[
        (published["year"] == year.params.year) & (published["index"] == year.params.index.slug)
    ]
    frames = []
    for unit_type, given in published.groupby("unit_type", sort=False):
        table = components_table(year, unit_type)
        changed = table.dropna(subset=["change"])
        moved = ca.summarise(changed, year.decimals) if not changed.empty else None
        computed: dict[str, float | None] = {"n_components": float(len(table)) if len(table) else None}
        if moved is not None:
            computed |= {
                "components_increased": float(len(moved.rose)),
                "components_decreased": float(len(moved.fell)),
            }
            for code, change in moved.change.items():
                computed[f"component_{code}_direction"] = float((change > 0) - (change < 0))
        rows = []
        for record in given.to_dict("records"):
            metric, value = record["metric"], record["value"]
            if metric == "change" and record["component"]:
                metric, value = f"component_{record['component']}_direction", float((value > 0) - (value < 0))
            metric = {
                "count_increased": "components_increased",
                "count_decreased": "components_decreased",
            }.get(metric, metric)
            rows.append(
                {"metric": metric, "value": value, "precision": None, "source_url": record["source_url"]}
            )
        checked = analysis.reconcile(computed, pd.DataFrame(rows))
        checked.insert(0, "index", year.params.index.name)
        checked.insert(1, "unit_type", unit_type)
        frames.append(checked)
    return frames


def reconciliation_rows(year: Year) -> pd.DataFrame:
    """Every published aggregate of the year beside the same figure computed from the data."""
    frames = _component_rows(year)
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


def reconciliation(year: Year) -> Localized:
    """The reconciliation table, with a sentence saying how many figures match, in every language.

    Empty (as its heading, see `sections.section`) when nothing is published for this index and year.
    """
    rows = reconciliation_rows(year)
    return present.each(year.languages, lambda lang: _reconciliation(year, rows, lang))


def _reconciliation(year: Year, rows: pd.DataFrame, lang: Lang) -> str:
    if rows.empty:
        return ""
    matched = int((rows.status == analysis.MATCH).sum())
    sentences = [
        lang.n("yearly.reconcile.summary", len(rows), matched=lang.integer(matched), year=year.params.year)
    ]
    flagged = rows[rows.status != analysis.MATCH]
    if not flagged.empty:
        labels = [metric_label(metric, year, lang) for metric in flagged.metric]
        sentences.append(lang.t("yearly.reconcile.flagged", list=lang.join(labels)))
    d = year.decimals
    columns = [
        Column("index", lang.t("common.column.index")),
        Column(
            "unit_type", lang.t("yearly.column.unit_type"), lambda kind: nouns.noun(year.params, kind, lang)
        ),
        Column("metric", lang.t("yearly.column.figure"), lambda metric: metric_label(metric, year, lang)),
        Column("published", lang.t("yearly.column.published"), lambda v: _as_given(v, lang), True),
        Column(
            "computed",
            lang.t("yearly.column.computed"),
            lambda v: _as_given(v if v is None or pd.isna(v) else round(v, d), lang),
            True,
        ),
        Column("status", lang.t("common.column.status"), lambda status: status_word(status, lang)),
    ]
    caption = lang.t("yearly.reconcile.caption", name=name_of(year, lang))
    return present.paragraphs(" ".join(sentences)) + present.table(rows, columns, caption, lang=lang)


def _as_given(value: object, lang: Lang) -> str:
    """A figure with the digits it has (83.72, 83.7, 58), as the language writes numbers; a dash if none."""
    if value is None or pd.isna(value):
        return MISSING
    return bound(float(value), lang)


_STATUS_KEYS = {
    analysis.MATCH: "yearly.status.match",
    analysis.MISMATCH: "yearly.status.mismatch",
    analysis.NOT_COMPUTED: "yearly.status.not_computed",
}


def status_word(status: str, lang: Lang) -> str:
    """A reconciliation status ('match', 'MISMATCH', 'not computed') in the language's words."""
    return lang.t(_STATUS_KEYS[status]) if status in _STATUS_KEYS else status


_NUMBER = r"(\d+(?:\.\d+)?)"
_COUNTS = (
    (re.compile(rf"count_ge_{_NUMBER}"), "yearly.metric.count_ge"),
    (re.compile(rf"count_lt_{_NUMBER}"), "yearly.metric.count_lt"),
    (re.compile(rf"count_{_NUMBER}_{_NUMBER}"), "yearly.metric.count_between"),
)
_REGION = re.compile(r"mean_region_([A-Za-z0-9]+)")
_DIRECTION = re.compile(r"component_(\w+)_direction")
_NAMED = (
    "n_units",
    "mean",
    "median",
    "min",
    "max",
    "max_min_gap",
    "count_above_mean",
    "count_increased",
    "count_decreased",
    "count_unchanged",
    "max_increase",
    "min_increase",
    "max_decrease",
    "min_decrease",
)


def metric_label(metric: str, year: Year, lang: Lang) -> str:
    """A published figure's name in words, e.g. "units from 80 to under 90" for count_80_90.

    Args:
        metric: A name of the published-aggregates vocabulary (see `analysis.metric_value`).
        year: The year (region names).
        lang: The language.

    Returns:
        The words; the metric's own name when it is not in the vocabulary.
    """
    if metric in _NAMED:
        return lang.t(f"yearly.metric.{metric}")
    for pattern, key in _COUNTS:
        found = pattern.fullmatch(metric)
        if found:
            limits = [bound(float(value), lang) for value in found.groups()]
            return lang.t(key, **dict(zip(("x", "y"), limits, strict=False)))
    region = _REGION.fullmatch(metric)
    if region:
        return lang.t("yearly.metric.mean_region", region=year.regions.name(region.group(1), lang.code))
    if metric in ("n_components", "components_increased", "components_decreased"):
        return lang.t(f"yearly.metric.{metric}")
    direction = _DIRECTION.fullmatch(metric)
    if direction:
        known = {c.code: c for unit_type in year.params.units for c in year.params.components_of(unit_type)}
        code = direction.group(1)
        name = component_name(known[code], lang) if code in known else code
        return lang.t("yearly.metric.component_direction", component=name)
    return metric
