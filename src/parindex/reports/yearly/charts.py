"""Charts of the yearly report: ranking, distribution, change, regions, ministries, companion index."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import Formatter, MultipleLocator

from parindex.analysis import (
    band_counts,
    band_of,
    change_summary,
    describe,
    metric_value,
    round_half_up,
    with_bands,
)
from parindex.data.params import Band
from parindex.i18n import Lang
from parindex.reports.style import (
    DOWN,
    GREY,
    NEUTRAL,
    PAGE_WIDTH,
    UP,
    band_colour,
    band_handles,
    band_range,
    count_text,
    dumbbell,
    ends_of,
    finish,
    lay_out,
    mark_simulated,
    round_up,
    separate_thresholds,
    simulated_dot,
    simulated_patch,
    styled,
    thresholds,
    tooltip,
    unit_noun,
    unit_type_of,
    value_column,
)


@styled
def ranked_units(
    scores_with_bands: pd.DataFrame,
    bands: Sequence[Band],
    mean: float,
    title: str,
    source: str,
    lang: Lang,
    *,
    score_label: str | None = None,
    label: str = "short_name",
    decimals: int = 2,
) -> Figure:
    """Every unit ranked, best at the top, one bar each coloured by band, with the mean and band thresholds.

    Sized for an A4 page (7.5 x 10 in for 63 provinces; shorter for fewer units).

    Args:
        scores_with_bands: A frame from `analysis.with_bands`, one unit type.
        bands: The year's bands, highest first.
        mean: The mean to draw, as reported.
        title: The chart's title.
        source: The source line printed under the chart.
        lang: The language of the chart's words and numbers.
        score_label: The score axis label, with its unit; "Score" in the language when None.
        label: The column naming each bar.
        decimals: Decimals scores are written with.

    Returns:
        The figure.
    """
    return _ranked(scores_with_bands, bands, mean, title, source, lang, score_label, label, decimals)


@styled
def ministries_ranked(
    scores_with_bands: pd.DataFrame,
    bands: Sequence[Band],
    mean: float,
    title: str,
    source: str,
    lang: Lang,
    *,
    score_label: str | None = None,
    label: str = "name",
    decimals: int = 2,
) -> Figure:
    """Ministries and ministerial-level agencies ranked, as `ranked_units` draws provinces (full names).

    Pass `label="name_en"` for their English names.
    """
    return _ranked(scores_with_bands, bands, mean, title, source, lang, score_label, label, decimals)


def _ranked(
    frame: pd.DataFrame,
    bands: Sequence[Band],
    mean: float,
    title: str,
    source: str,
    lang: Lang,
    score_label: str | None,
    label: str,
    decimals: int,
) -> Figure:
    rows = frame.sort_values(["score", label], ascending=[False, True], kind="stable").reset_index(drop=True)
    n = len(rows)
    figure = Figure(figsize=(PAGE_WIDTH, min(9.0, 1.9 + 0.13 * n)), layout="constrained")
    ax = figure.add_subplot()
    y = np.arange(n)
    simulated = (rows["provenance"] == "simulated").to_numpy()
    colours = [band_colour(b, bands) for b in rows["band"]]
    bars = ax.barh(y, rows["score"], height=0.72, color=colours, edgecolor=colours, linewidth=0.6)
    values = [lang.number(score, decimals) for score in rows["score"]]
    for bar, sim, name, value, band in zip(bars, simulated, rows[label], values, rows["band"], strict=True):
        if sim:
            mark_simulated(bar)
        tooltip(bar, f"{name}: {value}{'†' if sim else ''} ({band})")
    value_column(ax, y, values, 6.5 if n > 40 else 7.5)
    ax.set_yticks(y, list(rows[label]), fontsize=7.5 if n > 40 else 8)
    ax.set_ylim(n - 0.4, -0.6)
    ax.set_xlim(0, round_up(rows["score"].max(), 10))
    ax.xaxis.set_major_locator(MultipleLocator(10))
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0, pad=3)
    number_ticks(ax.xaxis, lang)
    thresholds(ax, bands, lang)
    ax.axvline(mean, color="#222222", linewidth=1.2)
    handles = band_handles(rows["band"], bands, lang)
    handles.append(
        Line2D(
            [],
            [],
            color="#999999",
            linestyle=(0, (4, 3)),
            linewidth=0.9,
            label=lang.t("yearly.chart.threshold"),
        )
    )
    mean_text = lang.t("yearly.chart.mean", value=lang.number(mean, decimals))
    handles.append(Line2D([], [], color="#222222", linewidth=1.2, label=mean_text))
    if simulated.any():
        handles.append(simulated_patch(lang))
    ax.set_xlabel(score_label or score_axis(lang))
    ax.set_ylabel(lang.t("yearly.chart.rank_axis", noun=capitalised(unit_noun(rows, False, lang))))
    finish(figure, ax, title, source, handles)
    fit_legend(figure, ax, handles)
    return figure


@styled
def distribution(
    scores: pd.DataFrame,
    bands: Sequence[Band],
    title: str,
    source: str,
    lang: Lang,
    *,
    score_label: str | None = None,
    bin_width: float = 1.0,
) -> Figure:
    """Histogram of the scores, bins coloured by band, with the band thresholds marked.

    Args:
        scores: A `scores` frame, one unit type.
        bands: The year's bands, highest first.
        title: The chart's title.
        source: The source line printed under the chart.
        lang: The language of the chart's words and numbers.
        score_label: The score axis label, with its unit; "Score" in the language when None.
        bin_width: Width of a bin in points; bins start at multiples of it, so integer thresholds fall on
            bin edges.

    Returns:
        The figure; simulated units are stacked above published ones in each bin, hatched.
    """
    values = scores["score"].dropna().astype(float)
    low = math.floor(values.min() / bin_width) * bin_width
    high = (math.floor(values.max() / bin_width) + 1) * bin_width
    edges = np.arange(round((high - low) / bin_width) + 1) * bin_width + low
    simulated = (scores.loc[values.index, "provenance"] == "simulated").to_numpy()
    published_counts, _ = np.histogram(values[~simulated], bins=edges)
    simulated_counts, _ = np.histogram(values[simulated], bins=edges)
    figure = Figure(figsize=(PAGE_WIDTH, 4.2), layout="constrained")
    ax = figure.add_subplot()
    colours = [band_colour(band_of(edge, bands), bands) for edge in edges[:-1]]
    stacks = [
        ax.bar(edges[:-1], published_counts, width=bin_width, align="edge", color=colours, edgecolor="white")
    ]
    if simulated.any():
        bars = ax.bar(
            edges[:-1],
            simulated_counts,
            width=bin_width,
            align="edge",
            bottom=published_counts,
            color=colours,
            edgecolor="white",
        )
        for bar in bars:
            mark_simulated(bar)
        stacks.append(bars)
    step = len(f"{bin_width:g}".partition(".")[2])
    noun = f"common.unit.{unit_type_of(scores)}"
    for i, edge in enumerate(edges[:-1]):
        total = int(published_counts[i] + simulated_counts[i])
        span = f"{lang.number(edge, step)}–<{lang.number(edge + bin_width, step)}"
        for stack in stacks if total else []:
            tooltip(stack[i], f"{span}: {lang.n(noun, total)}")
    ax.set_xlim(low - bin_width, high + bin_width)
    thresholds(ax, bands, lang, labelled=True)
    ax.yaxis.get_major_locator().set_params(integer=True)
    number_ticks(ax.xaxis, lang)
    number_ticks(ax.yaxis, lang)
    ax.grid(axis="x", visible=False)
    handles = band_handles(pd.Series([band_of(v, bands) for v in values]), bands, lang)
    if simulated.any():
        handles.append(simulated_patch(lang))
    ax.set_xlabel(score_label or score_axis(lang))
    ax.set_ylabel(lang.t("yearly.chart.count_axis", noun=unit_noun(scores, True, lang)))
    finish(figure, ax, title, source, handles)
    fit_legend(figure, ax, handles)
    separate_thresholds(figure, ax)
    return figure


@styled
def change(
    compared: pd.DataFrame,
    title: str,
    source: str,
    lang: Lang,
    *,
    previous_label: str,
    current_label: str,
    top: int | None = None,
    score_label: str | None = None,
    label: str = "short_name",
    decimals: int = 2,
) -> Figure:
    """Dumbbell chart: each unit's previous score joined to its current one, sorted by change.

    Args:
        compared: A frame from `analysis.compare`, one unit type; units in both years are drawn.
        title: The chart's title.
        source: The source line printed under the chart.
        lang: The language of the chart's words and numbers.
        previous_label: The comparison year as it should read, e.g. "2019".
        current_label: The reported year, e.g. "2020".
        top: Draw only the `top` largest moves (by size of change); None draws every unit.
        score_label: The score axis label, with its unit; "Score" in the language when None.
        label: The column naming each row.
        decimals: Decimals changes are written with.

    Returns:
        The figure: rises in blue, falls in vermillion; simulated values hollow with a dashed line.
    """
    rows = compared[compared["status"] == "both"].copy()
    if top is not None:
        rows["_size"] = rows["score_change"].abs()
        rows = rows.sort_values(["_size", "rank_current"], ascending=[False, True], kind="stable").head(top)
    rows = rows.sort_values(["score_change", "rank_current"], ascending=[False, True], kind="stable")
    rows = rows.reset_index(drop=True)
    n = len(rows)
    figure = Figure(figsize=(PAGE_WIDTH, min(9.0, 2.0 + 0.13 * n)), layout="constrained")
    ax = figure.add_subplot()
    y = np.arange(n)
    simulated = (rows["provenance"] == "simulated").to_numpy()
    small = 6.5 if n > 40 else 7.5
    for yi, row, sim in zip(y, rows.itertuples(index=False), simulated, strict=True):
        dumbbell(
            ax, yi, row, sim, getattr(row, label), (previous_label, current_label), decimals, lang, small
        )
    ax.set_yticks(y, list(rows[label]), fontsize=7.5 if n > 40 else 8)
    ax.set_ylim(n - 0.4, -0.6)
    everything = pd.concat([rows["score_previous"], rows["score_current"]])
    ax.set_xlim(everything.min() - 1, everything.max() + 2.2)
    ax.grid(axis="y", color="#eeeeee")
    ax.tick_params(axis="y", length=0, pad=3)
    number_ticks(ax.xaxis, lang)
    handles = [
        Line2D([], [], marker="o", linestyle="", color=GREY, markerfacecolor="white", label=previous_label),
        Line2D([], [], marker="o", color=UP, label=lang.t("yearly.chart.rose", year=current_label)),
        Line2D([], [], marker="o", color=DOWN, label=lang.t("yearly.chart.fell", year=current_label)),
    ]
    if (rows["score_change"] == 0).any():
        handles.append(
            Line2D([], [], marker="o", color=GREY, label=lang.t("yearly.chart.same", year=current_label))
        )
    if simulated.any():
        handles.append(simulated_dot(lang, GREY, linestyle=(0, (2, 1.5))))
    ax.set_xlabel(score_label or score_axis(lang))
    ax.set_ylabel(lang.t("yearly.chart.change_axis", noun=capitalised(unit_noun(rows, False, lang))))
    finish(figure, ax, title, source, handles)
    fit_legend(figure, ax, handles)
    return figure


@styled
def regional_means(
    scores: pd.DataFrame,
    regions: Mapping[str, str],
    title: str,
    source: str,
    lang: Lang,
    *,
    score_label: str | None = None,
    decimals: int = 2,
    mean_label: str | None = None,
    region_label: str | None = None,
) -> Figure:
    """Mean score of each region as a dot, highest first, with the national mean.

    The means lie close together, so the axis starts near them (its label says where): a dot's place, not
    a bar's length, shows the value.

    Args:
        scores: A `scores` frame of provinces.
        regions: Region code to the name to print in the language (see `Regions.name`), in published order.
        title: The chart's title.
        source: The source line printed under the chart.
        lang: The language of the chart's words and numbers.
        score_label: The score axis label, with its unit; "Mean score" in the language when None.
        decimals: Decimals means are rounded (half-up) and written with.
        mean_label: The legend of the line of the mean of all units, with its value; "national mean 80.41"
            in the language when None.
        region_label: The label of the regions' axis; "Socio-economic region" in the language when None.

    Returns:
        The figure: one dot per region (gid "region"), hollow where its mean includes simulated values.
    """
    table = _region_table(scores, regions, decimals)
    national = metric_value("mean", scores, decimals=decimals)
    figure = Figure(figsize=(PAGE_WIDTH, 1.9 + 0.42 * len(table)), layout="constrained")
    ax = figure.add_subplot()
    y = np.arange(len(table))
    texts = [
        lang.t("yearly.chart.region_value", mean=lang.number(value, decimals), count=lang.integer(count))
        for value, count in zip(table["mean"], table["count"], strict=True)
    ]
    for yi, row in zip(y, table.itertuples(index=False), strict=True):
        (dot,) = ax.plot(
            row.mean,
            yi,
            "o",
            markersize=8,
            color=NEUTRAL,
            markerfacecolor="white" if row.simulated else NEUTRAL,
            markeredgewidth=1.5,
            zorder=3,
            gid="region",
        )
        mean = lang.number(row.mean, decimals) + ("†" if row.simulated else "")
        tooltip(
            dot,
            f"{row.name}: {lang.t('yearly.chart.region_value', mean=mean, count=lang.integer(row.count))}",
        )
    value_column(ax, y, texts, 7.5)
    ax.set_yticks(y, [textwrap.fill(n, 24) for n in table["name"]])
    ax.set_ylim(len(table) - 0.4, -0.6)
    low, high = min(table["mean"].min(), national), max(table["mean"].max(), national)
    pad = max(0.5, (high - low) * 0.15)
    ax.set_xlim(math.floor(low - pad), math.ceil(high + pad))
    ax.grid(axis="y", color="#eeeeee")
    ax.tick_params(axis="y", length=0, pad=3)
    number_ticks(ax.xaxis, lang)
    ax.axvline(national, color="#222222", linewidth=1.2)
    national_text = mean_label or national_mean_text(national, lang, decimals)
    handles = [Line2D([], [], color="#222222", linewidth=1.2, label=national_text)]
    if table["simulated"].any():
        handles.append(simulated_dot(lang, linestyle="", markeredgewidth=1.5))
    start = lang.number(ax.get_xlim()[0], 0)
    axis = score_label or lang.t("yearly.chart.mean_score")
    ax.set_xlabel(lang.t("yearly.chart.axis_from", label=axis, start=start))
    ax.set_ylabel(region_label or lang.t("yearly.chart.region_axis.province"))
    finish(figure, ax, title, source, handles)
    fit_legend(figure, ax, handles)
    return figure


@styled
def companion_vs_index(
    scores: pd.DataFrame,
    companion: pd.DataFrame,
    title: str,
    source: str,
    lang: Lang,
    *,
    index_label: str,
    companion_label: str,
    label: str = "short_name",
    extremes: int = 2,
) -> Figure:
    """Scatter of the companion index (SIPAS, vertical) against the index (horizontal), one dot per province.

    Args:
        scores: The year's `scores` (provinces are used).
        companion: The year's companion frame (same columns, score = companion index).
        title: The chart's title.
        source: The source line printed under the chart.
        lang: The language of the chart's words and numbers.
        index_label: The horizontal axis label, with its unit.
        companion_label: The vertical axis label, with its unit.
        label: The column naming labelled points.
        extremes: How many units at each end of each axis get a name.

    Returns:
        The figure, with a least-squares line and its correlation; simulated points hollow.
    """
    pairs = _pairs(scores, companion)
    figure = Figure(figsize=(PAGE_WIDTH, 5.8), layout="constrained")
    ax = figure.add_subplot()
    simulated = pairs["simulated"].to_numpy()
    told = [
        f"{row[label]}: {index_label} {lang.number(row['score'], 2)}, "
        f"{companion_label} {lang.number(row['companion'], 2)}{'†' if sim else ''}"
        for (_, row), sim in zip(pairs.iterrows(), simulated, strict=True)
    ]
    points = ax.scatter(
        pairs.loc[~simulated, "score"], pairs.loc[~simulated, "companion"], s=22, color=NEUTRAL, zorder=3
    )
    tooltip(points, [text for text, sim in zip(told, simulated, strict=True) if not sim])
    if simulated.any():
        hollow = ax.scatter(
            pairs.loc[simulated, "score"],
            pairs.loc[simulated, "companion"],
            s=22,
            facecolors="white",
            edgecolors=NEUTRAL,
            linewidths=1,
            zorder=3,
        )
        tooltip(hollow, [text for text, sim in zip(told, simulated, strict=True) if sim])
    handles = []
    if not simulated.all():
        handles.append(
            Line2D([], [], marker="o", linestyle="", color=NEUTRAL, label=unit_noun(pairs, False, lang))
        )
    if len(pairs) > 2 and pairs["score"].nunique() > 1:
        slope, intercept = np.polyfit(pairs["score"], pairs["companion"], 1)
        r = float(np.corrcoef(pairs["score"], pairs["companion"])[0, 1])
        xs = np.array([pairs["score"].min(), pairs["score"].max()])
        ax.plot(xs, slope * xs + intercept, color="#D55E00", linewidth=1.2, zorder=2)
        fit = lang.t("yearly.chart.fit", r=lang.number(r, 2))
        handles.append(Line2D([], [], color="#D55E00", linewidth=1.2, label=fit))
    if simulated.any():
        handles.append(simulated_dot(lang, linestyle=""))
    x_mid = (pairs["score"].min() + pairs["score"].max()) / 2
    for _, row in _extreme_rows(pairs, extremes).iterrows():
        right = row["score"] > x_mid
        ax.annotate(
            row[label],
            (row["score"], row["companion"]),
            xytext=(-6 if right else 6, 4),
            textcoords="offset points",
            ha="right" if right else "left",
            fontsize=7.5,
            color="#222222",
        )
    ax.set_xlabel(index_label)
    ax.set_ylabel(companion_label)
    ax.margins(0.06)
    number_ticks(ax.xaxis, lang)
    number_ticks(ax.yaxis, lang)
    finish(figure, ax, title, source, handles)
    fit_legend(figure, ax, handles)
    return figure


def alt_text(
    kind: str,
    frame: pd.DataFrame,
    subject: str,
    lang: Lang,
    *,
    bands: Sequence[Band] | None = None,
    regions: Mapping[str, str] | None = None,
    companion: pd.DataFrame | None = None,
    companion_name: str = "",
    mean_label: str | None = None,
    previous_label: str = "",
    current_label: str = "",
    decimals: int = 2,
) -> str:
    """A one-to-two-sentence description of a chart with its real figures, for the image's alt attribute.

    Args:
        kind: The chart function's name: "ranked_units", "ministries_ranked", "distribution", "change",
            "regional_means" or "companion_vs_index".
        frame: The frame the chart was drawn from (for "change", the `compare` frame); units are named by
            its `name` column.
        subject: What the scores are, e.g. "PAR INDEX 2020".
        lang: The language of the description.
        bands: The year's bands ("distribution").
        regions: Region code to name ("regional_means").
        companion: The companion frame ("companion_vs_index").
        companion_name: The companion index's name.
        mean_label: The mean of all units with its value ("regional_means"), as the chart's legend writes it.
        previous_label: The comparison year ("change").
        current_label: The reported year ("change").
        decimals: Decimals numbers are written with.

    Returns:
        The description, e.g. "Bar chart of 63 provinces ranked by PAR INDEX 2020; highest Quảng Ninh
        91.04, lowest Quảng Ngãi 73.25, mean 83.72." in English.

    Raises:
        ValueError: An unknown kind, or a kind without the keyword it needs.
    """
    writers = {
        "ranked_units": _alt_ranked,
        "ministries_ranked": _alt_ranked,
        "distribution": _alt_distribution,
        "change": _alt_change,
        "regional_means": _alt_regions,
        "companion_vs_index": _alt_companion,
    }
    if kind not in writers:
        raise ValueError(f"unknown chart kind '{kind}': use {', '.join(writers)}")
    needed = {"distribution": "bands", "regional_means": "regions", "companion_vs_index": "companion"}
    given = {"bands": bands, "regions": regions, "companion": companion}
    if kind in needed and given[needed[kind]] is None:
        raise ValueError(f"alt_text('{kind}') needs the keyword {needed[kind]}")
    context = {
        **given,
        "lang": lang,
        "companion_name": companion_name,
        "mean_label": mean_label,
        "previous_label": previous_label,
        "current_label": current_label,
        "decimals": decimals,
    }
    return writers[kind](frame, subject, **context)


def _alt_ranked(frame: pd.DataFrame, subject: str, lang: Lang, decimals: int, **_) -> str:
    (high, top), (low, bottom) = ends_of(frame, "score", lang)
    mean = metric_value("mean", frame, decimals=decimals)
    return lang.t(
        "yearly.alt.ranked",
        units=count_text(frame, lang),
        subject=subject,
        high=high,
        top=lang.number(top, decimals),
        low=low,
        bottom=lang.number(bottom, decimals),
        mean=lang.number(mean, decimals),
    )


def _alt_distribution(
    frame: pd.DataFrame, subject: str, bands: Sequence[Band], lang: Lang, decimals: int, **_
) -> str:
    counts = band_counts(with_bands(frame, bands, decimals), bands)
    labels = {b.key: f"{b.name(lang.code)} ({band_range(b.key, bands, lang)})" for b in bands}
    parts = [
        lang.t("yearly.alt.band_part", band=labels.get(r.band, r.band), count=lang.integer(r.count))
        for r in counts.itertuples()
    ]
    return lang.t(
        "yearly.alt.distribution", subject=subject, units=count_text(frame, lang), parts=lang.join(parts)
    )


def _alt_change(
    frame: pd.DataFrame, subject: str, previous_label: str, current_label: str, lang: Lang, decimals: int, **_
) -> str:
    summary = change_summary(frame, k=1)
    both = frame[frame["status"] == "both"]
    text = lang.t(
        "yearly.alt.change",
        subject=subject,
        units=count_text(both, lang),
        previous=previous_label,
        current=current_label,
        improved=lang.integer(summary.improved),
        declined=lang.integer(summary.declined),
        unchanged=lang.integer(summary.unchanged),
    )
    moves = [
        lang.t(
            key,
            name=rows.iloc[0]["name"],
            value=lang.number(rows.iloc[0]["score_change"], decimals, signed=True),
        )
        for key, rows in (("yearly.alt.rise", summary.risers), ("yearly.alt.fall", summary.fallers))
        if len(rows)
    ]
    return text + ("; " + ", ".join(moves) if moves else "") + "."


def _alt_regions(
    frame: pd.DataFrame,
    subject: str,
    regions: Mapping[str, str],
    lang: Lang,
    decimals: int,
    mean_label: str | None = None,
    **_,
) -> str:
    table = _region_table(frame, regions, decimals)
    (high, top), (low, bottom) = ends_of(table, "mean", lang)
    national = metric_value("mean", frame, decimals=decimals)
    return lang.n(
        "yearly.alt.regions",
        len(table),
        subject=subject,
        high=high,
        top=lang.number(top, decimals),
        low=low,
        bottom=lang.number(bottom, decimals),
        mean=mean_label or national_mean_text(national, lang, decimals),
    )


def national_mean_text(value: float, lang: Lang, decimals: int, key: str = "province") -> str:
    """The mean of all units with its value, "national mean 80.41"; `key` "unit" for "overall mean 80.41"."""
    return lang.t(f"yearly.chart.national_mean.{key}", value=lang.number(value, decimals))


def _alt_companion(
    frame: pd.DataFrame,
    subject: str,
    companion: pd.DataFrame,
    companion_name: str,
    lang: Lang,
    decimals: int,
    **_,
) -> str:
    pairs = _pairs(frame, companion)
    r = float(np.corrcoef(pairs["score"], pairs["companion"])[0, 1])
    (high, top), (low, bottom) = ends_of(pairs, "companion", lang)
    return lang.t(
        "yearly.alt.companion",
        companion=companion_name,
        subject=subject,
        units=count_text(pairs, lang),
        r=lang.number(r, 2),
        high=high,
        top=lang.number(top, decimals),
        low=low,
        bottom=lang.number(bottom, decimals),
    )


def _region_table(scores: pd.DataFrame, regions: Mapping[str, str], decimals: int) -> pd.DataFrame:
    """Region, name, mean (rounded half-up), count and whether any value is simulated; highest mean first."""
    stats = describe(scores, by="region", order=list(regions))
    stats = stats[stats["count"] > 0].copy()
    stats["mean"] = [round_half_up(m, decimals) for m in stats["mean"]]
    stats["name"] = [regions.get(code, code) for code in stats["region"]]
    simulated = scores.groupby("region")["provenance"].apply(lambda p: bool((p == "simulated").any()))
    stats["simulated"] = stats["region"].map(simulated).fillna(False).astype(bool)
    stats = stats.sort_values("mean", ascending=False, kind="stable").reset_index(drop=True)
    return stats[["region", "name", "mean", "count", "simulated"]]


def _pairs(scores: pd.DataFrame, companion: pd.DataFrame) -> pd.DataFrame:
    """Provinces with both scores: the index's columns plus `companion` and `simulated`."""
    own = scores[scores["unit_type"] == "province"] if "unit_type" in scores else scores
    other = companion[["code", "score", "provenance"]].rename(
        columns={"score": "companion", "provenance": "companion_provenance"}
    )
    pairs = own.merge(other, on="code").dropna(subset=["score", "companion"])
    pairs["simulated"] = (pairs["provenance"] == "simulated") | (pairs["companion_provenance"] == "simulated")
    return pairs.reset_index(drop=True)


def _extreme_rows(pairs: pd.DataFrame, k: int) -> pd.DataFrame:
    """The `k` highest and lowest units on each axis, each once."""
    chosen: list[int] = []
    for column in ("score", "companion"):
        ordered = pairs.sort_values([column, "code"], kind="stable").index
        for i in [*ordered[:k], *ordered[-k:]]:
            if i not in chosen:
                chosen.append(i)
    return pairs.loc[chosen]


def with_unit(label: str, unit: str, lang: Lang) -> str:
    """A label with its unit in brackets, "Score (%)"; the label alone without a unit."""
    return lang.t("yearly.column.with_unit", column=label, unit=unit) if unit else label


def score_axis(lang: Lang) -> str:
    """The default score axis label, "Score" in the language (no unit is assumed: reports pass theirs)."""
    return lang.t("common.column.score")


def capitalised(text: str) -> str:
    """The text with its first letter upper case and the rest as written ("Tỉnh, thành phố")."""
    return text[:1].upper() + text[1:]


class _NumberTicks(Formatter):
    """Tick labels as the language writes numbers, with as many decimals as the axis's ticks need."""

    def __init__(self, lang: Lang):
        self.lang = lang
        self.written = lang.tick_formatter(0)

    def set_locs(self, locs) -> None:
        super().set_locs(locs)
        steps = [f"{round(float(tick), 6):g}" for tick in locs]
        decimals = max((len(step.partition(".")[2]) for step in steps if "e" not in step), default=0)
        self.written = self.lang.tick_formatter(decimals)

    def __call__(self, x, pos=None) -> str:
        return self.written(x, pos)


def number_ticks(axis, lang: Lang) -> None:
    """Writes an axis's tick labels as the language writes numbers ("82,5" in Vietnamese, "82.5" in English).

    Args:
        axis: A matplotlib axis, `ax.xaxis` or `ax.yaxis`.
        lang: The language.
    """
    axis.set_major_formatter(_NumberTicks(lang))


def fit_legend(figure: Figure, ax, handles: list) -> None:
    """Lays the legend over the axes out in fewer columns while it runs past the figure's right edge.

    `style.finish` puts up to four columns from the left edge of the axes; long unit names (ministries, and
    most names in Vietnamese) push the axes, and the legend with them, to the right.

    Args:
        figure: The finished figure.
        ax: Its axes, holding the legend `finish` made.
        handles: The legend's entries.
    """
    legend = ax.get_legend()
    for columns in range(min(len(handles), 4) - 1, 0, -1):
        if legend.get_window_extent(lay_out(figure)).x1 <= figure.bbox.x1:
            return
        legend.remove()
        legend = ax.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0, 1.01),
            ncols=columns,
            frameon=False,
            borderaxespad=0,
            handlelength=1.6,
            columnspacing=1.2,
        )
