"""Charts of the province profile: the province's score and rank across the years."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from parindex.i18n import Lang
from parindex.reports.profile.text import ordinal
from parindex.reports.style import (
    GREY,
    NEUTRAL,
    OKABE_ITO,
    PAGE_WIDTH,
    finish,
    simulated_dot,
    styled,
    tooltip,
)


@styled
def profile_history(
    history: pd.DataFrame,
    title: str,
    source: str,
    *,
    lang: Lang,
    unit_label: str,
    region_label: str = "",
    current_year: int | None = None,
    score_label: str = "",
    decimals: int = 2,
    mean_label: str = "",
) -> Figure:
    """One unit in every year: its score against the national and regional means, and its rank beside it.

    Sized for a profile page (7.5 x 3.2 in): scores on the left, ranks on the right with rank 1 at the top.

    Args:
        history: One row per year: year, score, rank, n_units, national_mean, region_mean, provenance.
        title: The chart's title.
        source: The source line printed under the chart.
        lang: The language of the legend, axes and numbers.
        unit_label: The unit's name, for the legend.
        region_label: The regional mean's legend entry, e.g. "Central Coast mean"; "regional mean" when empty.
        current_year: The year the profile is about, shaded in both panels; None shades nothing.
        score_label: The score axis label, with its unit; "Score" in the language when empty.
        decimals: Decimals scores are written with.
        mean_label: The legend of the mean of all units; "national mean" in the language when empty.

    Returns:
        The figure; the unit's simulated values are drawn hollow.
    """
    rows = history.sort_values("year", kind="stable").reset_index(drop=True)
    years = rows["year"].astype(int).to_numpy()
    simulated = (rows["provenance"] == "simulated").to_numpy()
    figure = Figure(figsize=(PAGE_WIDTH, 3.2), layout="constrained")
    score_ax, rank_ax = figure.subplots(1, 2, width_ratios=(3, 2))
    for ax in (score_ax, rank_ax):
        if current_year is not None and current_year in years:
            ax.axvspan(current_year - 0.4, current_year + 0.4, color="#e8e8e8", linewidth=0, zorder=0)
        ax.set_xticks(years, [str(year) for year in years])
        ax.set_xlim(years.min() - 0.6, years.max() + 0.6)
        ax.grid(axis="x", visible=False)
    national_label = mean_label or lang.t("common.stat.national_mean.province")
    region_label = region_label or lang.t("profile.chart.regional_mean")
    for column, label, colour, width, style in (
        ("national_mean", national_label, "#222222", 1.1, (0, (4, 2))),
        ("region_mean", region_label, OKABE_ITO[3], 1.3, (0, (1, 1.2))),
    ):
        (line,) = score_ax.plot(years, rows[column], color=colour, linewidth=width, linestyle=style)
        told = (
            f"{year}: {lang.number(value, decimals)}" for year, value in zip(years, rows[column], strict=True)
        )
        tooltip(line, f"{label}: " + " · ".join(told))
    scores = [lang.number(s, decimals) for s in rows["score"]]
    _history_line(score_ax, years, rows["score"], simulated, scores, unit_label)
    score_ax.margins(y=0.18)
    score_ax.set_ylabel(score_label or lang.t("profile.column.score", unit=""))
    score_ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    score_ax.yaxis.set_major_formatter(lang.tick_formatter(0))
    ranks = [lang.integer(r) for r in rows["rank"]]
    places = [
        lang.t("profile.position", rank=ordinal(int(rank), lang), count=lang.integer(count))
        for rank, count in zip(rows["rank"], rows["n_units"], strict=True)
    ]
    _history_line(rank_ax, years, rows["rank"], simulated, ranks, unit_label, places)
    most = int(rows["n_units"].max())
    rank_ax.set_ylim(most + most * 0.06, 0.5 - most * 0.12)
    rank_ax.set_yticks([1, *(tick for tick in range(10, most, 10) if most - tick >= 5), most])
    rank_ax.yaxis.set_major_formatter(lang.tick_formatter(0))
    rank_ax.set_ylabel(
        lang.t("profile.chart.rank_axis_of", count=lang.integer(most))
        if rows["n_units"].nunique() == 1
        else lang.t("profile.chart.rank_axis")
    )
    handles = [
        Line2D([], [], marker="o", color=NEUTRAL, markersize=4.5, label=unit_label),
        Line2D(
            [],
            [],
            color="#222222",
            linewidth=1.1,
            linestyle=(0, (4, 2)),
            label=national_label,
        ),
        Line2D(
            [],
            [],
            color=OKABE_ITO[3],
            linewidth=1.3,
            linestyle=(0, (1, 1.2)),
            label=region_label,
        ),
    ]
    if simulated.any():
        handles.append(simulated_dot(lang, linestyle=""))
    finish(figure, score_ax, title, source, [])
    score_ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0, 1.01),
        ncols=2,
        frameon=False,
        borderaxespad=0,
        handlelength=1.6,
        columnspacing=1.2,
    )
    return figure


def _history_line(
    ax,
    years: np.ndarray,
    values: pd.Series,
    simulated: np.ndarray,
    texts: list[str],
    name: str,
    told: list[str] | None = None,
) -> None:
    """The unit's line with its values written above each point; simulated points hollow.

    Each point shows `name`, its year and its value on hover (`told`, when given, instead of the written
    value; a simulated one with †).
    """
    ax.plot(years, values, color=NEUTRAL, linewidth=1.4, zorder=3)
    hover = texts if told is None else told
    for year, value, sim, text, said in zip(years, values, simulated, texts, hover, strict=True):
        (point,) = ax.plot(
            year,
            value,
            "o",
            markersize=4.5,
            color=NEUTRAL,
            markerfacecolor="white" if sim else NEUTRAL,
            zorder=4,
            gid="simulated" if sim else "published",
        )
        tooltip(point, f"{name}: {year}: {said}{'†' if sim else ''}")
        ax.annotate(
            text,
            (year, value),
            xytext=(0, 5),
            textcoords="offset points",
            ha="center",
            fontsize=6.5,
            bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
            zorder=5,
        )


@styled
def peer_scores(
    group: pd.DataFrame,
    title: str,
    source: str,
    *,
    lang: Lang,
    mean: float,
    mean_label: str,
    decimals: int = 2,
    width: float = PAGE_WIDTH / 2,
) -> Figure:
    """The peers' scores as dots, best at the top, the province highlighted and the group's mean drawn.

    Dots rather than bars: scores of a group lie close together, and a dot needs no axis starting at zero.

    Args:
        group: The peer group in rank order, with short_name, score, provenance and is_unit.
        title: The chart's title.
        source: The source line printed under the chart.
        lang: The language of the numbers.
        mean: The group's mean, drawn as a vertical line.
        mean_label: The mean line's label, e.g. "Mean: 83.02%".
        decimals: Decimals scores are written with.
        width: The figure's width in inches (half the page's by default, to sit beside its table).

    Returns:
        The figure; simulated scores are drawn as hollow dots.
    """
    rows = group.reset_index(drop=True)
    y = np.arange(len(rows))
    figure = Figure(figsize=(width, 1.3 + 0.17 * len(rows)), layout="constrained")
    ax = figure.subplots()
    low, high = float(rows["score"].min()), float(rows["score"].max())
    pad = max((high - low) * 0.08, 0.5)
    ax.set_xlim(low - pad, high + pad * 3.2)
    ax.hlines(y, low - pad, rows["score"], color="#dddddd", linewidth=0.8, zorder=1)
    ax.axvline(mean, color="#222222", linewidth=0.9, linestyle=(0, (4, 2)), zorder=2)
    for yi, row in rows.iterrows():
        own = bool(row["is_unit"])
        colour = NEUTRAL if own else GREY
        sim = row["provenance"] == "simulated"
        (dot,) = ax.plot(
            row["score"],
            yi,
            "o",
            markersize=5.5 if own else 4,
            color=colour,
            markerfacecolor="white" if sim else colour,
            zorder=4,
            gid="unit" if own else "peer",
        )
        tooltip(dot, f"{row['short_name']}: {lang.number(row['score'], decimals)}{'†' if sim else ''}")
        ax.annotate(
            lang.number(row["score"], decimals),
            (row["score"], yi),
            xytext=(5, 0),
            textcoords="offset points",
            va="center",
            fontsize=6.5,
            fontweight="bold" if own else "normal",
            color="#222222",
        )
    ax.set_yticks(y, list(rows["short_name"]), fontsize=7.5)
    for label, own in zip(ax.get_yticklabels(), rows["is_unit"], strict=True):
        if own:
            label.set_fontweight("bold")
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.xaxis.set_major_formatter(lang.tick_formatter(0))
    ax.tick_params(axis="x", labelsize=7)
    handles = [Line2D([], [], color="#222222", linewidth=0.9, linestyle=(0, (4, 2)), label=mean_label)]
    if (rows["provenance"] == "simulated").any():
        handles.append(simulated_dot(lang, GREY, linestyle=""))
    finish(figure, ax, title, source, [])
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0, 1.01),
        frameon=False,
        borderaxespad=0,
        handlelength=1.6,
        fontsize=6.5,
    )
    return figure
