"""The yearly report's component indices: national means, their change, strengths, heat map, distribution."""

from __future__ import annotations

import math
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from parindex import component_analysis as ca
from parindex.data.params import Component
from parindex.i18n import Lang
from parindex.reports import nouns, present
from parindex.reports.present import Column, Localized
from parindex.reports.style import (
    DOWN,
    NEUTRAL,
    PAGE_WIDTH,
    SPREAD_EDGE,
    SPREAD_FACE,
    finish,
    simulated_dot,
    styled,
    tooltip,
)
from parindex.reports.yearly import text
from parindex.reports.yearly.year import Year


def component_name(component: Component, lang: Lang) -> str:
    """A component's name in the language (its only name when params give one for all)."""
    name = component.name
    return name.get(lang.code) or next(iter(name.values())) if isinstance(name, dict) else name


def short_name(component: Component, lang: Lang) -> str:
    """A component's short name in the language, for narrow tables and chart panels (else its name)."""
    short = component.short
    if isinstance(short, dict):
        short = short.get(lang.code) or next(iter(short.values()), "")
    return short or component_name(component, lang)


def sentence_name(component: Component, lang: Lang) -> str:
    """A component's name as it stands inside a sentence of the language.

    The catalog key `yearly.components.name_case` says how: "lower" writes the first letter small (English:
    "the largest rise was in institutional reform"), unless the first word is an acronym ("SIPAS …");
    anything else keeps the name as given (Vietnamese quotes it, capital and all).
    """
    name = component_name(component, lang)
    first = name.split(" ", 1)[0]
    if lang.t("yearly.components.name_case") != "lower" or sum(ch.isupper() for ch in first) > 1:
        return name
    return name[:1].lower() + name[1:]


def _parts(data, unit_type: str) -> pd.DataFrame:  # noqa: ANN001 - YearData
    parts = data.components
    return parts[parts["unit_type"] == unit_type]


def table(year: Year, unit_type: str | None = None) -> pd.DataFrame:
    """The national mean of each component of the year, with its change on the comparison year if given."""
    unit_type = unit_type or year.params.main_type
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


def components(year: Year, unit_type: str | None = None) -> Localized:
    """The component indices section: sentences, means, heat map, strengths and distribution, per language.

    Empty (no heading) when the year's inputs give no components for the unit type (the main one by default).
    """
    return present.each(year.languages, lambda lang: _components(year, lang, unit_type))


def _components(year: Year, lang: Lang, unit_type: str | None) -> str:
    unit_type = unit_type or year.params.main_type
    heading = present.heading(lang.t("yearly.components.title"))
    parts = _parts(year.data, unit_type)
    if parts.empty:
        return ""
    comps = year.params.components_of(unit_type)
    names = {c.code: sentence_name(c, lang) for c in comps}
    frame = table(year, unit_type)
    texts = [lang.t("yearly.components.intro", index=year.params.index.name)]
    if frame["change"].notna().any():
        changed = frame.dropna(subset=["change"])
        summary = ca.summarise(changed, year.decimals)
        texts.append(change_sentence(summary, names, year.params.comparison_year, year.decimals, lang))
    unknown = sum(c.max is None for c in comps)
    if unknown:
        texts.append(lang.t("yearly.components.unknown_max", count=unknown))
    full = {c.code: component_name(c, lang) for c in comps}
    shorts = {c.code: short_name(c, lang) for c in comps}
    return (
        heading
        + present.paragraphs(*texts)
        + _table(year, frame, full, lang)
        + _heatmap(year, parts, lang)
        + _strengths(year, parts, shorts, lang, unit_type)
        + _distribution(year, parts, shorts, lang)
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
        "yearly.components.caption",
        units=nouns.formal(year.params, year.params.main_type, lang),
        year=year.params.year,
    )
    return present.table(shown, columns, caption, lang=lang)


HEATMAP_HEIGHT = 9.4  # inches: the tallest heat map that fits on an A4 page within its margins


def heatmap_figure(year: Year, parts: pd.DataFrame, lang: Lang) -> plt.Figure:
    """Units (rows, best total first) × components (numbered columns): points above or below the mean.

    Each cell shows its unit, component and difference on hover (a simulated one with †).
    """
    gaps = ca.relative(parts)
    order = list(dict.fromkeys(parts["component"]))
    units = year.units(year.params.main_type)
    rows = [c for c in units["code"] if c in gaps.index]
    gaps = gaps.loc[rows, order]
    labels = units.set_index("code").loc[rows, "name"]
    bound = max(0.5, math.ceil(float(gaps.abs().max().max()) * 2) / 2)
    fig = Figure(figsize=(6.3, min(HEATMAP_HEIGHT, 0.14 * len(rows) + 1.4)))
    ax = fig.subplots()
    image = ax.imshow(gaps.to_numpy(), cmap="PuOr", vmin=-bound, vmax=bound, aspect="auto")
    shorts = {c.code: short_name(c, lang) for c in year.params.components_of(year.params.main_type)}
    simulated = set(
        parts.loc[parts["provenance"] == "simulated", ["code", "component"]].itertuples(index=False)
    )
    for row, (code, name) in enumerate(labels.items()):
        for column, component in enumerate(order):
            gap = gaps.loc[code, component]
            if pd.isna(gap):
                continue
            # a cell of the image cannot carry a text of its own: a tile over it does, filled (a browser
            # points only at what is painted) but too faint to see
            cell = ax.add_patch(
                Rectangle((column - 0.5, row - 0.5), 1, 1, facecolor="white", alpha=0.001, linewidth=0)
            )
            mark = "†" if (code, component) in simulated else ""
            told = f"{lang.number(gap, year.decimals, signed=True)}{mark}"
            tooltip(cell, f"{name}: {lang.integer(column + 1)}. {shorts.get(component, component)}: {told}")
    ax.set_xticks(range(len(order)), [lang.integer(i + 1) for i in range(len(order))], fontsize=7)
    ax.set_yticks(range(len(rows)), list(labels), fontsize=5.5)
    ax.xaxis.tick_top()
    title = nouns.sentence(
        year.params, year.params.main_type, lang, "yearly.components.heatmap.title", year=year.params.year
    )
    ax.set_title(title, fontsize=9, pad=18)
    bar = fig.colorbar(image, ax=ax, shrink=0.4, pad=0.02)
    bar.set_label(lang.t("yearly.components.heatmap.colour"), fontsize=7)
    bar.ax.yaxis.set_major_formatter(lang.tick_formatter(1, ""))
    bar.ax.tick_params(labelsize=6)
    fig.tight_layout()
    return fig


def _heatmap(year: Year, parts: pd.DataFrame, lang: Lang) -> str:
    fig = heatmap_figure(year, parts, lang)
    alt = nouns.sentence(
        year.params,
        year.params.main_type,
        lang,
        "yearly.components.heatmap.alt",
        units=nouns.formal(year.params, year.params.main_type, lang),
        count=parts["component"].nunique(),
    )
    return present.figure(fig, alt)


def strengths_table(units: pd.DataFrame, parts: pd.DataFrame) -> pd.DataFrame:
    """Each unit's strongest and weakest component against the national means, in the units' order.

    Args:
        units: The units, best rank first (`Year.units`): code, name, computed_rank.
        parts: Their components (a long table with provenance).

    Returns:
        One row per unit with components: code, rank, name, strongest, strongest_gap, weakest, weakest_gap
        and simulated (whether any of the unit's component points is simulated).
    """
    found = ca.strengths(parts)
    simulated = parts.groupby("code")["provenance"].apply(lambda p: bool((p == "simulated").any()))
    rows = units[units["code"].isin(found.index)]
    table = rows[["code", "computed_rank", "name"]].rename(columns={"computed_rank": "rank"})
    table = table.join(found, on="code")
    return table.assign(simulated=table["code"].map(simulated).fillna(False).astype(bool)).reset_index(
        drop=True
    )


def _strengths(year: Year, parts: pd.DataFrame, shorts: dict[str, str], lang: Lang, unit_type: str) -> str:
    frame = strengths_table(year.units(unit_type), parts)
    words = (nouns.column(year.params, unit_type, lang), nouns.formal(year.params, unit_type, lang))
    intro = nouns.sentence(year.params, unit_type, lang, "yearly.components.strengths.intro")
    return strengths_html(frame, shorts, year.decimals, year.params.year, lang, words, intro)


def strengths_html(
    frame: pd.DataFrame,
    shorts: dict[str, str],
    decimals: int,
    year: int,
    lang: Lang,
    words: tuple[str, str] | None = None,
    intro: str | None = None,
) -> str:
    """The strengths table with its introduction: rank, unit, strongest and weakest area with their gaps.

    Args:
        frame: `strengths_table`.
        shorts: Each component's short name in the language, by code.
        decimals: Decimals of the gaps.
        year: The year of the results.
        lang: The language.
        words: The units' column heading and plural noun (see `parindex.reports.nouns`); the catalog's
            words for provinces when None.
        intro: The table's introduction; the catalog's for provinces when None.

    Returns:
        The HTML; gaps of units whose component points are simulated carry the simulated mark.
    """

    def gap(v: object) -> str:
        return lang.number(v, decimals, signed=True)

    column, units = words or (lang.t("common.column.province"), lang.t("common.unit.province_noun"))

    columns = [
        Column("rank", lang.t("common.column.rank"), lang.integer, numeric=True, css="nowrap"),
        Column("name", column, css="nowrap"),
        # the areas may wrap: in Vietnamese the table would run past the page's right edge
        Column("strongest", lang.t("yearly.components.strengths.col.strongest"), shorts.get),
        Column("strongest_gap", lang.t("yearly.components.strengths.col.gap"), gap, True, True, "nowrap"),
        Column("weakest", lang.t("yearly.components.strengths.col.weakest"), shorts.get),
        Column("weakest_gap", lang.t("yearly.components.strengths.col.gap"), gap, True, True, "nowrap"),
    ]
    caption = lang.t("yearly.components.strengths.caption", units=units, year=year)
    intro = present.paragraphs(intro or lang.t("yearly.components.strengths.intro.province"))
    return intro + present.table(frame, columns, caption, frame["simulated"], lang=lang)


def _jitter(count: int) -> np.ndarray:
    """Vertical offsets that spread a panel's points the same way in every build."""
    return np.random.default_rng(2024).uniform(-0.28, 0.28, count)


@styled
def distribution_figure(
    parts: pd.DataFrame,
    panels: dict[str, str],
    title: str,
    source: str,
    lang: Lang,
    *,
    names: Mapping[str, str] | None = None,
    decimals: int = 2,
) -> Figure:
    """Small multiples: one panel per component with each unit's points, a box and the national mean.

    Args:
        parts: The components of one unit type (a long table with provenance).
        panels: Each component's panel title (short name), by code, in the methodology's order.
        title: The chart's title.
        source: The source line printed under the chart.
        lang: The language of the chart's words and numbers.
        names: Each unit's name by code, for the texts shown on hover; the codes when None.
        decimals: Decimals of the points shown on hover.

    Returns:
        The figure; simulated points hollow, published ones filled, the mean a vermillion line. Each point
        shows its panel, unit and points on hover (a simulated one with †), the box its lowest, median and
        highest points, the line the mean.
    """
    codes = [c for c in panels if (parts["component"] == c).any()]
    ncols = 2
    nrows = max(1, math.ceil(len(codes) / ncols))
    figure = Figure(figsize=(PAGE_WIDTH, 0.78 * nrows + 1.45), layout="constrained")
    axes = figure.subplots(nrows, ncols, squeeze=False)
    simulated_any = published_any = False
    for ax, code in zip(axes.flat, codes, strict=False):
        rows = parts[parts["component"] == code]
        values = rows["score"].to_numpy(dtype=float)
        simulated = (rows["provenance"] == "simulated").to_numpy()
        simulated_any |= bool(simulated.any())
        published_any |= bool((~simulated).any())
        units = [(names or {}).get(unit, unit) for unit in rows["code"]]
        _panel(ax, values, simulated, panels[code], lang, units, decimals)
    for ax in axes.flat[len(codes) :]:
        ax.set_visible(False)
    handles: list = [
        Patch(facecolor=SPREAD_FACE, edgecolor=SPREAD_EDGE, label=lang.t("yearly.components.dist.box"))
    ]
    if published_any:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                color=NEUTRAL,
                markersize=4,
                label=lang.t("yearly.components.dist.unit"),
            )
        )
    if simulated_any:
        handles.append(simulated_dot(lang, linestyle="", markersize=4))
    handles.append(Line2D([], [], color=DOWN, linewidth=1.4, label=lang.t("yearly.components.dist.mean")))
    finish(figure, axes[0, 0], title, source, [])
    _legend_above_source(figure, handles)
    return figure


def _legend_above_source(figure: Figure, handles: list) -> None:
    """The legend in two columns between the panels and the source line, the panels moved up to make room."""
    engine = figure.get_layout_engine()
    left, bottom, width, height = engine.get()["rect"]
    rows = math.ceil(len(handles) / 2)
    room = (0.17 * rows + 0.12) / figure.get_figheight()
    figure.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.005, bottom),
        ncols=2,
        frameon=False,
        fontsize=7.5,
        borderaxespad=0,
    )
    engine.set(rect=(left, bottom + room, width, height - room))


def _panel(
    ax, values: np.ndarray, simulated: np.ndarray, title: str, lang: Lang, units: list[str], decimals: int
) -> None:
    """One component's panel: a box of the middle half, the units' points and the national mean."""
    box = ax.boxplot(
        values,
        orientation="horizontal",
        positions=[0],
        widths=0.7,
        showfliers=False,
        whis=(0, 100),
        patch_artist=True,
        boxprops={"facecolor": SPREAD_FACE, "edgecolor": SPREAD_EDGE},
        whiskerprops={"color": SPREAD_EDGE},
        capprops={"color": SPREAD_EDGE},
        medianprops={"color": SPREAD_EDGE},
    )
    stats = (("lowest", values.min()), ("median", np.median(values)), ("highest", values.max()))
    spread = " · ".join(f"{lang.t(f'common.stat.{key}')} {lang.number(v, decimals)}" for key, v in stats)
    for mark in (*box["boxes"], *box["whiskers"], *box["caps"], *box["medians"]):
        tooltip(mark, f"{title}: {spread}")
    y = _jitter(len(values))
    told = np.array(
        [f"{title}: {unit}: {lang.number(v, decimals)}" for unit, v in zip(units, values, strict=True)],
        dtype=object,
    )
    full = ax.scatter(values[~simulated], y[~simulated], s=9, color=NEUTRAL, zorder=3, linewidths=0)
    tooltip(full, list(told[~simulated]))
    hollow = ax.scatter(
        values[simulated], y[simulated], s=9, facecolors="white", edgecolors=NEUTRAL, linewidths=0.7, zorder=3
    )
    tooltip(hollow, [f"{said}†" for said in told[simulated]])
    mean = float(values.mean())
    line = ax.axvline(mean, color=DOWN, linewidth=1.4, zorder=4, gid="mean")
    tooltip(line, f"{title}: {lang.t('yearly.components.dist.mean')} {lang.number(mean, decimals)}")
    ax.set_title(title, fontsize=8, fontweight="bold", loc="left", pad=2)
    ax.set_yticks([])
    ax.set_ylim(-0.5, 0.5)
    ax.spines["left"].set_visible(False)
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="x", labelsize=7, pad=1)
    ax.xaxis.set_major_locator(plt.MaxNLocator(6, steps=[1, 2, 2.5, 5, 10]))
    ax.xaxis.set_major_formatter(lang.tick_formatter(_tick_decimals(ax), ""))


def _tick_decimals(ax) -> int:
    """The fewest decimals that write the panel's tick positions exactly (0, 1 or 2)."""
    ticks = ax.xaxis.get_major_locator()()
    for decimals in (0, 1):
        if all(abs(t - round(t, decimals)) < 1e-9 for t in ticks):
            return decimals
    return 2


def _distribution(year: Year, parts: pd.DataFrame, shorts: dict[str, str], lang: Lang) -> str:
    from parindex.reports.yearly.sections import source_line

    title = nouns.sentence(
        year.params, year.params.main_type, lang, "yearly.components.dist.title", year=year.params.year
    )
    units = year.units(year.params.main_type)
    names = dict(zip(units["code"], text.names(units, year.params.main_type, lang, year.params), strict=True))
    figure = distribution_figure(
        parts, shorts, title, source_line(year, lang), lang, names=names, decimals=year.decimals
    )
    units = nouns.formal(year.params, year.params.main_type, lang)
    return present.figure(figure, distribution_alt(parts, shorts, year.decimals, lang, units))


def distribution_alt(
    parts: pd.DataFrame, shorts: dict[str, str], decimals: int, lang: Lang, units: str | None = None
) -> str:
    """The chart's alt text: what each panel shows and the component whose units spread the widest.

    Args:
        parts: The components' points, one row per unit and component.
        shorts: Each component's short name in the language, by code.
        decimals: Decimals of the numbers.
        lang: The language.
        units: The units' plural noun; the catalog's for provinces when None.

    Returns:
        The alt text.
    """
    spread = parts.groupby("component")["score"].agg(["min", "max"])
    spread = spread.loc[[c for c in shorts if c in spread.index]]
    widest = (spread["max"] - spread["min"]).idxmax()
    return lang.t(
        "yearly.components.dist.alt",
        count=len(spread),
        units=units or lang.t("common.unit.province_noun"),
        name=shorts[widest],
        low=lang.number(spread.loc[widest, "min"], decimals),
        high=lang.number(spread.loc[widest, "max"], decimals),
    )
