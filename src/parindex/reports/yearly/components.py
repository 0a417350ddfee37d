"""The yearly report's component indices: national means, their change, a sentence and a heat map."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd

from parindex import component_analysis as ca
from parindex.data.params import Component
from parindex.i18n import Lang
from parindex.reports import present
from parindex.reports.present import Column, Localized
from parindex.reports.yearly.year import Year


def component_name(component: Component, lang: Lang) -> str:
    """A component's name in the language (its only name when params give one for all)."""
    name = component.name
    return name.get(lang.code) or next(iter(name.values())) if isinstance(name, dict) else name


def _parts(data, unit_type: str) -> pd.DataFrame:  # noqa: ANN001 - YearData
    parts = data.components
    return parts[parts["unit_type"] == unit_type]


def table(year: Year, unit_type: str = "province") -> pd.DataFrame:
    """The national mean of each component of the year, with its change on the comparison year if given."""
    components = year.params.components_of(unit_type)
    now = ca.national(_parts(year.data, unit_type), components)
    if year.previous is None or now.empty:
        return now.assign(previous=float("nan"), change=float("nan"))
    before = ca.national(_parts(year.previous, unit_type), year.previous.params.components_of(unit_type))
    changed = ca.changes(now, before)
    return now.merge(changed[["component", "previous", "change"]], on="component", how="left")


def change_sentence(
    summary: ca.ChangeSummary, names: dict[str, str], previous: int, decimals: int, lang: Lang
) -> str:
    """How many components rose and fell, which rose most and which fell, as an announcement says it.

    Args:
        summary: The components' changes (`component_analysis.summarise`).
        names: Each component's name in the language, by code.
        previous: The comparison year.
        decimals: Decimals of the changes.
        lang: The language.

    Returns:
        E.g. "6 of 8 component indices rose on 2023; the largest rise was Impact … (+3.79 points). 2 fell:
        Public finance reform (−0.02 points) and Institutional reform (−1.60 points)."
    """
    points = lang.t("common.points")

    def item(code: str) -> str:
        change = lang.score(summary.change[code], decimals, points, signed=True)
        return lang.t("yearly.components.item", name=names[code], change=change)

    if summary.rose:
        top = summary.rose[0]
        change = lang.score(summary.change[top], decimals, points, signed=True)
        first = lang.n(
            "yearly.components.rose",
            len(summary.rose),
            total=summary.count,
            previous=previous,
            name=names[top],
            change=change,
        )
    else:
        first = lang.t("yearly.components.none_rose", previous=previous)
    if summary.fell:
        second = lang.n(
            "yearly.components.fell", len(summary.fell), items=lang.join([item(c) for c in summary.fell])
        )
    else:
        second = lang.t("yearly.components.none_fell")
    return f"{first} {second}"


def components(year: Year, unit_type: str = "province") -> Localized:
    """The section on component indices: heading, sentences, table and heat map, in every language."""
    return present.each(year.languages, lambda lang: _components(year, lang, unit_type))


def _components(year: Year, lang: Lang, unit_type: str) -> str:
    heading = present.heading(lang.t("yearly.components.title"))
    parts = _parts(year.data, unit_type)
    if parts.empty:
        return heading + present.paragraphs(lang.t("yearly.components.none", year=year.params.year))
    comps = year.params.components_of(unit_type)
    names = {c.code: component_name(c, lang) for c in comps}
    frame = table(year, unit_type)
    texts = [lang.t("yearly.components.intro", index=year.params.index.name)]
    if frame["change"].notna().any():
        changed = frame.dropna(subset=["change"])
        summary = ca.summarise(changed, year.decimals)
        texts.append(change_sentence(summary, names, year.params.comparison_year, year.decimals, lang))
    unknown = sum(c.max is None for c in comps)
    if unknown:
        texts.append(lang.t("yearly.components.unknown_max", count=unknown))
    return (
        heading + present.paragraphs(*texts) + _table(year, frame, names, lang) + _heatmap(year, parts, lang)
    )


def _table(year: Year, frame: pd.DataFrame, names: dict[str, str], lang: Lang) -> str:
    shown = frame.assign(
        number=range(1, len(frame) + 1),
        name=[names[c] for c in frame["component"]],
    )
    d = year.decimals

    def maximum(v: object) -> str:
        return lang.t("yearly.components.unknown") if pd.isna(v) else lang.number(v, d)

    columns = [
        Column("number", lang.t("yearly.components.col.number"), lang.integer, numeric=True),
        Column("name", lang.t("yearly.components.col.name")),
        Column("max", lang.t("yearly.components.col.max"), maximum, numeric=True),
        Column("mean", lang.t("yearly.components.col.mean"), lambda v: lang.number(v, d), numeric=True),
        Column("share", lang.t("yearly.components.col.share"), lambda v: lang.score(v, d, "%"), numeric=True),
    ]
    if frame["change"].notna().any():
        header = lang.t("yearly.components.col.change", previous=year.params.comparison_year)
        columns.append(Column("change", header, lambda v: lang.number(v, d, signed=True), numeric=True))
    caption = lang.t(
        "yearly.components.caption", units=lang.t("common.unit.province_noun"), year=year.params.year
    )
    return present.table(shown, columns, caption, lang=lang)


def heatmap_figure(year: Year, parts: pd.DataFrame, lang: Lang) -> plt.Figure:
    """Units (rows, best total first) × components (numbered columns): points above or below the mean."""
    gaps = ca.relative(parts)
    order = list(dict.fromkeys(parts["component"]))
    units = year.units("province")
    rows = [c for c in units["code"] if c in gaps.index]
    gaps = gaps.loc[rows, order]
    labels = units.set_index("code").loc[rows, "name"]
    bound = max(0.5, math.ceil(float(gaps.abs().max().max()) * 2) / 2)
    fig, ax = plt.subplots(figsize=(6.3, 0.14 * len(rows) + 1.4))
    image = ax.imshow(gaps.to_numpy(), cmap="PuOr", vmin=-bound, vmax=bound, aspect="auto")
    ax.set_xticks(range(len(order)), [lang.integer(i + 1) for i in range(len(order))], fontsize=7)
    ax.set_yticks(range(len(rows)), list(labels), fontsize=5.5)
    ax.xaxis.tick_top()
    ax.set_title(lang.t("yearly.components.heatmap.title", year=year.params.year), fontsize=9, pad=18)
    bar = fig.colorbar(image, ax=ax, shrink=0.4, pad=0.02)
    bar.set_label(lang.t("yearly.components.heatmap.colour"), fontsize=7)
    bar.ax.yaxis.set_major_formatter(lang.tick_formatter(1, ""))
    bar.ax.tick_params(labelsize=6)
    fig.tight_layout()
    return fig


def _heatmap(year: Year, parts: pd.DataFrame, lang: Lang) -> str:
    fig = heatmap_figure(year, parts, lang)
    alt = lang.t(
        "yearly.components.heatmap.alt",
        units=lang.t("common.unit.province_noun"),
        count=parts["component"].nunique(),
    )
    return present.figure(fig, alt)
