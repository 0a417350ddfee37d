"""Charts of the trends report: means, bands, rank trajectories, regions and scores across the years."""

from __future__ import annotations

import math
import textwrap

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import Formatter

from parindex.i18n import MISSING, Lang
from parindex.reports.style import (
    DOWN,
    GREY,
    LINESTYLES,
    NEUTRAL,
    OKABE_ITO,
    PAGE_WIDTH,
    SPREAD_EDGE,
    SPREAD_FACE,
    UP,
    dumbbell,
    fill_items,
    finish,
    mark_published,
    mark_simulated,
    mean_line,
    published_handle,
    simulated_dot,
    simulated_patch,
    styled,
    tooltip,
    year_axis,
)

_BAND_POSITIONS = 7
# style.finish lays a legend out in rows of four entries; a row of the page's width holds about 96 characters
_LEGEND_COLUMNS, _LEGEND_ROW_CHARS = 4, 96


def _decimals(values) -> int:
    """The decimals that write every value in full: 0 for 80 and 85, 1 for 80 and 82.5."""
    finite = [float(v) for v in values if np.isfinite(v)]
    return max((len(f"{round(v, 6):g}".partition(".")[2]) for v in finite), default=0)


class _NumberTicks(Formatter):
    """Tick labels as the language writes numbers, with the decimals the ticks drawn need (80, 82,5)."""

    def __init__(self, lang: Lang):
        self.lang = lang

    def format_ticks(self, values) -> list[str]:
        write = self.lang.tick_formatter(_decimals(values))
        return [write(value, position) for position, value in enumerate(values)]

    def __call__(self, value: float, position: int | None = None) -> str:
        return self.lang.tick_formatter(_decimals([value]))(value, position)


def number_ticks(axis: Axis, lang: Lang) -> None:
    """Writes an axis's tick labels as the language writes numbers, with the decimals the ticks need."""
    axis.set_major_formatter(_NumberTicks(lang))


def _finish(figure: Figure, ax, title: str, source: str, handles: list) -> None:
    """`style.finish`, with the long labels of a legend row too wide for the page wrapped onto two lines."""
    for start in range(0, len(handles), _LEGEND_COLUMNS):
        row = handles[start : start + _LEGEND_COLUMNS]
        if sum(len(handle.get_label()) for handle in row) > _LEGEND_ROW_CHARS:
            for handle in row:
                label = handle.get_label()
                if len(label) > _LEGEND_ROW_CHARS // _LEGEND_COLUMNS:
                    handle.set_label(textwrap.fill(label, math.ceil(len(label) / 2) + 4))
    finish(figure, ax, title, source, handles)


@styled
def yearly_means(
    means: pd.DataFrame,
    title: str,
    source: str,
    lang: Lang,
    *,
    spread: pd.DataFrame | None = None,
    score_label: str | None = None,
    mean_label: str | None = None,
    decimals: int = 2,
) -> Figure:
    """The mean per year as a line with its values, the published means marked, and each year's spread.

    Args:
        means: Columns year, mean, published (NaN where none) and simulated, as `trends.mean_by_year` gives.
        title: The chart's title.
        source: The source line printed under the chart.
        lang: The language of the chart's words and numbers.
        spread: Optional columns year, min, q1, median, q3, max (`trends.spread_by_year`): drawn behind the
            line, a box from the first to the third quartile with whiskers to the lowest and highest unit.
        score_label: The score axis label, with its unit; "Mean score" in the language when None.
        mean_label: What the line is, e.g. "national mean"; "mean" in the language when None.
        decimals: Decimals means are written with.

    Returns:
        The figure: the mean of a year holding simulated values is a hollow dot; published means are open
        vermillion diamonds.
    """
    figure = Figure(figsize=(PAGE_WIDTH, 4.2), layout="constrained")
    ax = figure.add_subplot()
    handles: list = []
    if spread is not None and not spread.empty:
        stats = {key: lang.t(f"common.stat.{key}") for key in ("lowest", "median", "highest")}
        for row in spread.itertuples(index=False):
            told = f"{row.year}: " + " · ".join(
                f"{stats[key]} {lang.number(value, decimals)}"
                for key, value in (("lowest", row.min), ("median", row.median), ("highest", row.max))
            )
            box = ax.add_patch(
                mpl.patches.Rectangle(
                    (row.year - 0.2, row.q1),
                    0.4,
                    row.q3 - row.q1,
                    facecolor=SPREAD_FACE,
                    edgecolor=SPREAD_EDGE,
                    linewidth=0.7,
                    zorder=1,
                )
            )
            marks = [box]
            for low, high in ((row.min, row.q1), (row.q3, row.max)):
                marks += ax.plot(
                    [row.year, row.year], [low, high], color=SPREAD_EDGE, linewidth=0.9, zorder=1
                )
            for end in (row.min, row.max):
                marks += ax.plot(
                    [row.year - 0.08, row.year + 0.08], [end, end], color=SPREAD_EDGE, linewidth=0.9
                )
            marks += ax.plot(
                [row.year - 0.2, row.year + 0.2], [row.median] * 2, color="#5b8db8", linewidth=1.1, zorder=1.5
            )
            for mark in marks:
                tooltip(mark, told)
        handles.append(
            Patch(
                facecolor=SPREAD_FACE,
                edgecolor=SPREAD_EDGE,
                label=lang.t("trends.chart.spread"),
            )
        )
    mean_line(ax, means, lang=lang, decimals=decimals)
    for row in means.itertuples(index=False):
        ax.annotate(
            lang.number(row.mean, decimals),
            (row.year, row.mean),
            xytext=(7, 5),
            textcoords="offset points",
            fontsize=7.5,
            color="#222222",
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
            zorder=6,
        )
    label = mean_label or lang.t("common.stat.mean")
    handles.insert(0, Line2D([], [], color=NEUTRAL, marker="o", linewidth=1.6, markersize=5, label=label))
    if mark_published(ax, means, lang=lang, decimals=decimals):
        handles.append(published_handle(lang))
    if means["simulated"].any():
        handles.append(simulated_dot(lang, linestyle=""))
    year_axis(ax, means["year"].tolist())
    ax.set_xlabel(lang.t("common.column.year"))
    ax.set_ylabel(score_label or lang.t("trends.chart.mean_score"))
    number_ticks(ax.yaxis, lang)
    _finish(figure, ax, title, source, handles)
    return figure


@styled
def bands_by_year(
    counts: pd.DataFrame,
    regimes: pd.DataFrame,
    title: str,
    source: str,
    lang: Lang,
    *,
    count_label: str | None = None,
    year_label: str | None = None,
) -> Figure:
    """Units per band per year as stacked bars, each year in its own bands, with a note where they changed.

    Args:
        counts: Columns year, position (0 = top band), band, count, simulated (units of the band that are
            simulated), as `trends.band_counts_by_year` gives; band labels as they should read.
        regimes: Runs of years with the same bands: columns first, last, ranges (`trends.band_regimes`, its
            ranges written in the language, items separated by ", ").
        title: The chart's title.
        source: The source line printed under the chart.
        lang: The language of the chart's words and numbers.
        count_label: The count axis label; "Number of provinces" in the language when None.
        year_label: The year axis label; "Year (bands as published that year)" in the language when None.

    Returns:
        The figure: colours follow the band's position (the top band is always the first colour, as in the
        yearly charts), each segment is labelled with its band and count, simulated units are stacked hatched
        above the published ones of their band, and a dashed line marks each year the bands changed.
    """
    figure = Figure(figsize=(PAGE_WIDTH, 4.8), layout="constrained")
    ax = figure.add_subplot()
    years = sorted(counts["year"].unique())
    totals = counts.groupby("year")["count"].sum()
    top = float(totals.max()) if len(totals) else 1.0
    width = 0.62
    for year in years:
        bottom = 0.0
        own = counts[counts["year"] == year].sort_values("position", ascending=False)
        for row in own.itertuples(index=False):
            colour = OKABE_ITO[min(row.position, len(OKABE_ITO) - 1)]
            published = row.count - row.simulated
            told = f"{year}: {row.band}: {lang.integer(row.count)}"
            if row.simulated:
                told += f" ({lang.integer(row.simulated)} {lang.t('common.status.simulated')})"
            bars = ax.bar(year, published, width, bottom=bottom, color=colour, linewidth=0).patches
            if row.simulated:
                bar = ax.bar(year, row.simulated, width, bottom=bottom + published, color=colour, linewidth=0)
                mark_simulated(bar.patches[0])
                bars = [*bars, bar.patches[0]]
            for bar in bars:
                tooltip(bar, told)
            if bottom:
                ax.plot([year - width / 2, year + width / 2], [bottom, bottom], color="white", linewidth=1.2)
            if row.count >= 0.045 * top:
                ax.text(
                    year,
                    bottom + row.count / 2,
                    f"{row.band} {lang.integer(row.count)}",
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    color="white" if row.position in (0, 2, 4, 6) else "#111111",
                    fontweight="bold",
                    bbox={"boxstyle": "square,pad=0.15", "facecolor": colour, "edgecolor": "none"},
                )
            bottom += row.count
    ax.set_ylim(0, top * 1.36)
    ax.set_yticks([t for t in ax.get_yticks() if t <= top])
    step = (PAGE_WIDTH * 0.85) / max(len(years), 1)
    for position, regime in enumerate(regimes.itertuples(index=False)):
        middle = (regime.first + regime.last) / 2
        chars = max(12, int((regime.last - regime.first + 1) * step * 72 / (7 * 0.6)))
        text = fill_items([item for item in regime.ranges.split(", ") if item], chars)
        ax.text(
            middle, top * 1.05, text, ha="center", va="bottom", fontsize=7, color="#333333", linespacing=1.25
        )
        if position:
            ax.axvline(regime.first - 0.5, color="#555555", linestyle=(0, (4, 3)), linewidth=0.9, zorder=0.5)
            ax.text(
                regime.first - 0.5,
                top * 1.35,
                " " + lang.t("trends.chart.bands.changed"),
                ha="left",
                va="top",
                fontsize=7,
                color="#555555",
                style="italic",
            )
    positions = sorted(counts["position"].unique())
    handles: list = [
        Patch(
            color=OKABE_ITO[min(p, len(OKABE_ITO) - 1)],
            label=lang.t(f"trends.chart.bands.position.{min(int(p), _BAND_POSITIONS - 1)}"),
        )
        for p in positions
    ]
    if counts["simulated"].any():
        handles.append(simulated_patch(lang))
    year_axis(ax, years)
    ax.set_xlabel(year_label or lang.t("trends.chart.bands.axis"))
    ax.set_ylabel(count_label or lang.t("trends.chart.bands.count.province"))
    ax.yaxis.set_major_formatter(lang.tick_formatter(0))
    _finish(figure, ax, title, source, handles)
    return figure


@styled
def rank_trajectories(
    trajectories: pd.DataFrame,
    title: str,
    source: str,
    lang: Lang,
    *,
    label: str = "short_name",
    rank_label: str | None = None,
) -> Figure:
    """Bump chart: the rank of each unit in every year, one line per unit, named at its last rank.

    Args:
        trajectories: Columns year, code, rank, provenance, final_rank and the `label` column, one row per
            unit and year (`trends.rank_trajectories`).
        title: The chart's title.
        source: The source line printed under the chart.
        lang: The language of the chart's words and numbers.
        label: The column naming each line.
        rank_label: The rank axis label; "Rank (1 = best)" in the language when None.

    Returns:
        The figure: rank 1 at the top; names in a column right of the last year, each joined to its line's
        end by a thin line when names had to move apart; a simulated value is a hollow dot.
    """
    height = 5.6
    figure = Figure(figsize=(PAGE_WIDTH, height), layout="constrained")
    ax = figure.add_subplot()
    years = sorted(trajectories["year"].unique())
    order = trajectories.drop_duplicates("code").sort_values(["final_rank", "code"])["code"].tolist()
    worst = float(trajectories["rank"].max())
    # names need about 10 points each: the rank span of 10 points on an axis of about height - 1.7 inches
    gap = (worst + 0.6) * (10 / 72) / (height - 1.7)
    label_x = years[-1] + 0.3
    placed = -math.inf
    colours = OKABE_ITO[:-1] + ("#666666",)
    for i, code in enumerate(order):
        own = trajectories[trajectories["code"] == code].sort_values("year")
        colour = colours[i % len(colours)]
        style = LINESTYLES[(i // len(colours)) % len(LINESTYLES)]
        x = own["year"].to_numpy()
        y = own["rank"].to_numpy(dtype=float)
        simulated = (own["provenance"] == "simulated").to_numpy()
        end = own.iloc[-1]
        (line,) = ax.plot(x, y, color=colour, linewidth=1.5, linestyle=style, zorder=3, gid="trajectory")
        tooltip(line, str(end[label]))
        full = ax.scatter(x[~simulated], y[~simulated], s=22, color=colour, zorder=4)
        hollow = ax.scatter(
            x[simulated], y[simulated], s=22, facecolors="white", edgecolors=colour, linewidths=1.2, zorder=4
        )
        for dots, mark in ((full, ""), (hollow, "†")):
            told = [
                f"{end[label]}: {int(year)}: {lang.integer(rank)}{mark}" for year, rank in dots.get_offsets()
            ]
            tooltip(dots, told)
        placed = max(float(end["rank"]), placed + gap)
        ax.plot(
            [end["year"] + 0.06, label_x - 0.04], [end["rank"], placed], color=colour, linewidth=0.6, zorder=2
        )
        ax.text(
            label_x,
            placed,
            f"{lang.integer(end['rank'])}  {end[label]}",
            va="center",
            fontsize=8,
            color=colour if colour != "#E69F00" else "#9a6a00",
        )
    bottom = max(worst, placed)
    ax.set_ylim(bottom + 0.8, 0.2)
    step = 1 if bottom <= 15 else 2 if bottom <= 30 else 5
    ax.set_yticks([1] + [t for t in range(step, int(bottom) + 1, step) if t - 1 >= step / 2])
    year_axis(ax, years, pad=0.35)
    ax.set_xlim(years[0] - 0.35, label_x + 0.3 * (years[-1] - years[0] + 0.65))
    ax.yaxis.set_major_formatter(lang.tick_formatter(0))
    handles = []
    if (trajectories["provenance"] == "simulated").any():
        handles.append(simulated_dot(lang, GREY, linestyle=""))
    ax.set_xlabel(lang.t("common.column.year"))
    ax.set_ylabel(rank_label or lang.t("trends.chart.rank_axis"))
    _finish(figure, ax, title, source, handles)
    return figure


@styled
def regional_trends(
    regional: pd.DataFrame,
    national: pd.DataFrame,
    title: str,
    source: str,
    lang: Lang,
    *,
    score_label: str | None = None,
    decimals: int = 2,
    columns: int = 3,
    mean_label: str | None = None,
) -> Figure:
    """Small multiples: one panel per region with its mean per year and the national mean as reference.

    Args:
        regional: Columns year, region, name, mean, published (NaN where none), simulated
            (`trends.regional_means_by_year`, names in the language); panels follow the order regions first
            appear in.
        national: Columns year, mean (`trends.mean_by_year`).
        title: The chart's title.
        source: The source line printed under the chart.
        lang: The language of the chart's words and numbers.
        score_label: The score axis label, with its unit; "Mean score" in the language when None.
        decimals: Decimals the last value of each panel is written with.
        columns: Panels per row.
        mean_label: The legend of the mean of all units; "national mean" in the language when None.

    Returns:
        The figure; every panel shares both axes; a mean holding simulated values is a hollow dot and
        published regional means are open diamonds.
    """
    names = dict(zip(regional["region"], regional["name"], strict=False))
    count = len(names)
    rows = max(1, math.ceil(count / columns))
    figure = Figure(figsize=(PAGE_WIDTH, 1.4 + 2.25 * rows), layout="constrained")
    # a flat first row carries the legend, so it sits under the title and above the panels' own titles
    grid = figure.add_gridspec(rows + 1, columns, height_ratios=[0.02] + [1] * rows)
    legend_ax = figure.add_subplot(grid[0, :])
    legend_ax.set_axis_off()
    first = figure.add_subplot(grid[1, 0])
    axes = [first] + [
        figure.add_subplot(grid[1 + i // columns, i % columns], sharex=first, sharey=first)
        for i in range(1, rows * columns)
    ]
    years = sorted(set(regional["year"]) | set(national["year"]))
    published = False
    simulated = bool(regional["simulated"].any())
    national_label = mean_label or lang.t("common.stat.national_mean.province")
    national_values = [
        f"{int(year)}: {lang.number(value, decimals)}"
        for year, value in zip(national["year"], national["mean"], strict=True)
    ]
    for ax, (code, name) in zip(axes, names.items(), strict=False):
        own = regional[regional["region"] == code].sort_values("year")
        (line,) = ax.plot(
            national["year"],
            national["mean"],
            color="#777777",
            linewidth=1.1,
            linestyle=(0, (4, 2)),
            zorder=2,
        )
        tooltip(line, f"{national_label}: " + " · ".join(national_values))
        mean_line(ax, own, size=18, gid="region", lang=lang, decimals=decimals, name=name)
        published = mark_published(ax, own, 30, lang, decimals, name) or published
        last = own.iloc[-1]
        ax.annotate(
            lang.number(last["mean"], decimals),
            (last["year"], last["mean"]),
            xytext=(0, 6),
            textcoords="offset points",
            ha="center",
            fontsize=7,
            color=NEUTRAL,
            bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
            zorder=6,
        )
        ax.set_title(textwrap.fill(name, 28), fontsize=8.5, loc="left", fontweight="bold")
        ax.set_xticks(years, [f"’{y % 100:02d}" for y in years])
        ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
        ax.grid(axis="x", visible=False)
    for index, ax in enumerate(axes):
        ax.set_visible(index < count)
        ax.tick_params(labelleft=index % columns == 0, labelbottom=index + columns >= count)
        if index % columns == 0:
            ax.set_ylabel(score_label or lang.t("trends.chart.mean_score"))
        if index + columns >= count:
            ax.set_xlabel(lang.t("common.column.year"))
    number_ticks(first.yaxis, lang)
    handles = [
        Line2D(
            [],
            [],
            color=NEUTRAL,
            marker="o",
            markersize=4.5,
            linewidth=1.6,
            label=lang.t("trends.chart.regions.regional"),
        ),
        Line2D(
            [],
            [],
            color="#777777",
            linewidth=1.1,
            linestyle=(0, (4, 2)),
            label=national_label,
        ),
    ]
    if published:
        handles.append(published_handle(lang))
    if simulated:
        handles.append(simulated_dot(lang, linestyle=""))
    _finish(figure, legend_ax, title, source, handles)
    return figure


@styled
def score_grid(
    scores: pd.DataFrame,
    title: str,
    source: str,
    lang: Lang,
    *,
    label: str = "name",
    unit_label: str | None = None,
    decimals: int = 2,
) -> Figure:
    """A grid of units by years, each cell the unit's score and rank that year, shaded by score.

    Args:
        scores: Columns year, code, score, rank, provenance and the `label` column (`trends.Panel.scores`).
        title: The chart's title.
        source: The source line printed under the chart.
        lang: The language of the chart's words and numbers.
        label: The column naming each row.
        unit_label: The row axis label; "Ministry or agency" in the language when None.
        decimals: Decimals scores are written with.

    Returns:
        The figure: rows in the order of the last rank (units not ranked in the last year at the foot), a
        grey dash where a unit was not ranked, simulated cells hatched.
    """
    years = sorted(scores["year"].unique())
    latest = scores.sort_values("year").groupby("code").last()
    latest = latest.assign(_absent=latest["year"] != years[-1]).sort_values(["_absent", "rank", label])
    codes = latest.index.tolist()
    n = len(codes)
    figure = Figure(figsize=(PAGE_WIDTH, 1.7 + 0.3 * n), layout="constrained")
    ax = figure.add_subplot()
    low, high = math.floor(scores["score"].min()), math.ceil(scores["score"].max())
    cmap = mpl.colormaps["Blues"]
    cells = {(r.code, r.year): r for r in scores.itertuples(index=False)}
    for row, code in enumerate(codes):
        for column, year in enumerate(years):
            cell = cells.get((code, year))
            name = latest.loc[code, label]
            if cell is None:
                blank = ax.add_patch(
                    mpl.patches.Rectangle(
                        (column, row), 1, 1, facecolor="#f2f2f2", edgecolor="white", linewidth=1.2
                    )
                )
                tooltip(blank, f"{name}: {year}: {lang.t('trends.chart.grid.not_ranked')}")
                ax.text(
                    column + 0.5, row + 0.5, MISSING, ha="center", va="center", fontsize=7.5, color="#888888"
                )
                continue
            shade = 0.15 + 0.7 * (cell.score - low) / max(high - low, 1e-9)
            patch = mpl.patches.Rectangle(
                (column, row), 1, 1, facecolor=cmap(shade), edgecolor="white", linewidth=1.2
            )
            ax.add_patch(patch)
            sim = cell.provenance == "simulated"
            if sim:
                mark_simulated(patch)
            score = f"{lang.number(cell.score, decimals)}{'†' if sim else ''}"
            tooltip(patch, f"{name}: {year}: {score} ({lang.integer(cell.rank)})")
            ax.text(
                column + 0.5,
                row + 0.5,
                f"{lang.number(cell.score, decimals)} ({lang.integer(cell.rank)})",
                ha="center",
                va="center",
                fontsize=7,
                color="white" if shade > 0.55 else "#111111",
                bbox={"boxstyle": "square,pad=0.12", "facecolor": cmap(shade), "edgecolor": "none"},
            )
    ax.set_xlim(0, len(years))
    ax.set_ylim(n, 0)
    ax.set_xticks([c + 0.5 for c in range(len(years))], [str(y) for y in years])
    ax.set_yticks(
        [r + 0.5 for r in range(n)],
        [textwrap.fill(str(latest.loc[c, label]), 36) for c in codes],
        fontsize=7.5,
    )
    ax.tick_params(length=0)
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    handles: list = [
        Patch(facecolor=cmap(0.15), label=lang.t("trends.chart.grid.score", value=lang.integer(low))),
        Patch(facecolor=cmap(0.85), label=lang.t("trends.chart.grid.score", value=lang.integer(high))),
        Patch(facecolor="#f2f2f2", label=lang.t("trends.chart.grid.not_ranked")),
    ]
    if (scores["provenance"] == "simulated").any():
        handles.append(simulated_patch(lang, cmap(0.5)))
    ax.set_xlabel(lang.t("trends.chart.grid.axis"))
    ax.set_ylabel(unit_label or lang.t("common.column.ministry"))
    _finish(figure, ax, title, source, handles)
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
    score_label: str,
    label: str = "short_name",
    decimals: int = 2,
    rows_label: str | None = None,
) -> Figure:
    """Dumbbell chart: each unit's score in one year joined to its score in a later one, sorted by change.

    Args:
        compared: A frame from `trends.changes`, one unit type; units in both years are drawn.
        title: The chart's title.
        source: The source line printed under the chart.
        lang: The language of the chart's words and numbers.
        previous_label: The earlier year as it should read, e.g. "2018".
        current_label: The later year, e.g. "2024".
        score_label: The score axis label, with its unit.
        label: The column naming each row.
        decimals: Decimals changes are written with.
        rows_label: The label of the rows' axis; "Province (largest rise first)" in the language when None.

    Returns:
        The figure: rises in blue, falls in vermillion, largest rise at the top; simulated values hollow with
        a dashed line; the legend names only the kinds of move drawn.
    """
    rows = compared[compared["status"] == "both"]
    rows = rows.sort_values(["score_change", "rank_current"], ascending=[False, True], kind="stable")
    rows = rows.reset_index(drop=True)
    n = len(rows)
    figure = Figure(figsize=(PAGE_WIDTH, min(9.0, 2.0 + 0.22 * n)), layout="constrained")
    ax = figure.add_subplot()
    y = np.arange(n)
    simulated = (rows["provenance"] == "simulated").to_numpy()
    for yi, row, sim in zip(y, rows.itertuples(index=False), simulated, strict=True):
        dumbbell(ax, yi, row, sim, getattr(row, label), (previous_label, current_label), decimals, lang, 7.5)
    ax.set_yticks(y, list(rows[label]), fontsize=8)
    ax.set_ylim(n - 0.4, -0.6)
    everything = pd.concat([rows["score_previous"], rows["score_current"]])
    if n:
        ax.set_xlim(everything.min() - 1, everything.max() + 2.2)
    ax.grid(axis="y", color="#eeeeee")
    ax.tick_params(axis="y", length=0, pad=3)
    number_ticks(ax.xaxis, lang)
    handles = [
        Line2D([], [], marker="o", linestyle="", color=GREY, markerfacecolor="white", label=previous_label)
    ]
    for kind, colour, drawn in (
        ("rose", UP, rows["score_change"] > 0),
        ("fell", DOWN, rows["score_change"] < 0),
        ("same", GREY, rows["score_change"] == 0),
    ):
        if drawn.any():
            label = lang.t(f"trends.chart.change.{kind}", year=current_label)
            handles.append(Line2D([], [], marker="o", color=colour, label=label))
    if simulated.any():
        handles.append(simulated_dot(lang, GREY, linestyle=(0, (2, 1.5))))
    ax.set_xlabel(score_label)
    # the axis label runs along the rows: wrapped to the height they take
    rows_label = rows_label or lang.t("trends.chart.change.axis.province")
    ax.set_ylabel(textwrap.fill(rows_label, max(16, int(figure.get_figheight() * 9))))
    _finish(figure, ax, title, source, handles)
    return figure
