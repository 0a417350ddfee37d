"""Charts: print-ready matplotlib figures of a year's scores, returned to the caller, never shown or saved.

Every chart is drawn in one style (`STYLE`), with colour-blind-safe band colours (Okabe-Ito, by band order),
a title, labelled axes, a source line and simulated values drawn hatched or hollow. `render` turns a figure
into bytes the same way every time; `alt_text` describes a chart in words for screen readers.
"""

from __future__ import annotations

import functools
import io
import math
import textwrap
from collections.abc import Callable, Mapping, Sequence

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MultipleLocator
from matplotlib.transforms import blended_transform_factory

from parindex.analysis import (
    band_counts,
    band_labels,
    band_of,
    change_summary,
    describe,
    metric_value,
    round_half_up,
    with_bands,
)
from parindex.data.params import Band

STYLE: dict[str, object] = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9,
    "axes.edgecolor": "#555555",
    "axes.linewidth": 0.7,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "legend.fontsize": 7.5,
    "legend.frameon": True,
    "legend.framealpha": 0.95,
    "legend.edgecolor": "#cccccc",
    "hatch.linewidth": 0.8,
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "svg.hashsalt": "parindex",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
}
"""The one style every chart is drawn in: white, DejaVu Sans (covers Vietnamese), sizes for A4 print."""

OKABE_ITO = ("#0072B2", "#56B4E9", "#009E73", "#E69F00", "#D55E00", "#CC79A7", "#000000")
"""Band colours by band order (best first, the "< min" catch-all next after the last band)."""

PAGE_WIDTH = 7.5
"""Figure width in inches: an A4 page's text width."""

SIMULATED = "simulated (demonstration)"
_NEUTRAL, _UP, _DOWN, _GREY = "#0072B2", "#0072B2", "#D55E00", "#888888"
_HATCH = "////"
_SOURCE_SIZE = 7
_NOUNS = {
    "province": ("province", "provinces"),
    "ministry": ("ministry or agency", "ministries and agencies"),
}
_SAVE_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def _styled(function: Callable[..., Figure]) -> Callable[..., Figure]:
    """Runs a chart function inside `STYLE`, so the global rcParams are never touched."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs) -> Figure:
        with mpl.rc_context(STYLE):
            return function(*args, **kwargs)

    return wrapper


def render(figure: Figure, fmt: str = "png") -> bytes:
    """The figure as PNG, SVG or PDF bytes, identical from one build to the next.

    Saves with `STYLE` (which sets `svg.hashsalt`) and without creation dates or software versions
    (`metadata={'CreationDate': None, ...}`). A caller saving with `Figure.savefig` itself should do the
    same: `with matplotlib.rc_context(STYLE): fig.savefig(path, metadata={'CreationDate': None})` for PDF.

    Args:
        figure: A figure from this module.
        fmt: "png", "svg" or "pdf".

    Returns:
        The encoded image.
    """
    buffer = io.BytesIO()
    with mpl.rc_context(STYLE):
        figure.savefig(buffer, format=fmt, metadata=_SAVE_METADATA.get(fmt))
    return buffer.getvalue()


def band_colour(label: str, bands: Sequence[Band]) -> str:
    """The colour of a band, by its position among the year's bands (A is always the first colour)."""
    labels = band_labels(bands)
    return OKABE_ITO[labels.index(label) if label in labels else len(bands)]


def band_range(label: str, bands: Sequence[Band]) -> str:
    """A band's range in words, e.g. "≥ 90", "80–<90", "< 70"."""
    for i, band in enumerate(bands):
        if band.label == label:
            return f"≥ {band.min:g}" if i == 0 else f"{band.min:g}–<{bands[i - 1].min:g}"
    return f"< {bands[-1].min:g}"


@_styled
def ranked_units(
    scores_with_bands: pd.DataFrame,
    bands: Sequence[Band],
    mean: float,
    title: str,
    source: str,
    *,
    score_label: str = "Score (%)",
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
        score_label: The score axis label, with its unit.
        label: The column naming each bar.
        decimals: Decimals scores are written with.

    Returns:
        The figure.
    """
    return _ranked(scores_with_bands, bands, mean, title, source, score_label, label, decimals)


@_styled
def ministries_ranked(
    scores_with_bands: pd.DataFrame,
    bands: Sequence[Band],
    mean: float,
    title: str,
    source: str,
    *,
    score_label: str = "Score (%)",
    label: str = "name",
    decimals: int = 2,
) -> Figure:
    """Ministries and ministerial-level agencies ranked, as `ranked_units` draws provinces (full names)."""
    return _ranked(scores_with_bands, bands, mean, title, source, score_label, label, decimals)


def _ranked(
    frame: pd.DataFrame,
    bands: Sequence[Band],
    mean: float,
    title: str,
    source: str,
    score_label: str,
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
    for bar, sim in zip(bars, simulated, strict=True):
        if sim:
            _mark_simulated(bar)
    _value_column(ax, y, [f"{score:.{decimals}f}" for score in rows["score"]], 6.5 if n > 40 else 7.5)
    ax.set_yticks(y, list(rows[label]), fontsize=7.5 if n > 40 else 8)
    ax.set_ylim(n - 0.4, -0.6)
    ax.set_xlim(0, _round_up(rows["score"].max(), 10))
    ax.xaxis.set_major_locator(MultipleLocator(10))
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0, pad=3)
    _thresholds(ax, bands)
    ax.axvline(mean, color="#222222", linewidth=1.2)
    handles = _band_handles(rows["band"], bands)
    handles.append(
        Line2D([], [], color="#999999", linestyle=(0, (4, 3)), linewidth=0.9, label="band threshold")
    )
    handles.append(Line2D([], [], color="#222222", linewidth=1.2, label=f"mean {mean:.{decimals}f}"))
    if simulated.any():
        handles.append(_simulated_patch())
    ax.set_xlabel(score_label)
    ax.set_ylabel(_noun(rows, plural=False).capitalize() + " (rank order)")
    _finish(figure, ax, title, source, handles)
    return figure


@_styled
def distribution(
    scores: pd.DataFrame,
    bands: Sequence[Band],
    title: str,
    source: str,
    *,
    score_label: str = "Score (%)",
    bin_width: float = 1.0,
) -> Figure:
    """Histogram of the scores, bins coloured by band, with the band thresholds marked.

    Args:
        scores: A `scores` frame, one unit type.
        bands: The year's bands, highest first.
        title: The chart's title.
        source: The source line printed under the chart.
        score_label: The score axis label, with its unit.
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
    ax.bar(edges[:-1], published_counts, width=bin_width, align="edge", color=colours, edgecolor="white")
    if simulated.any():
        ax.bar(
            edges[:-1],
            simulated_counts,
            width=bin_width,
            align="edge",
            bottom=published_counts,
            color=colours,
            edgecolor="white",
            hatch=_HATCH,
            hatchcolor="white",
        )
    ax.set_xlim(low - bin_width, high + bin_width)
    _thresholds(ax, bands, labelled=True)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="x", visible=False)
    handles = _band_handles(pd.Series([band_of(v, bands) for v in values]), bands)
    if simulated.any():
        handles.append(_simulated_patch())
    ax.set_xlabel(score_label)
    ax.set_ylabel(f"Number of {_noun(scores, plural=True)}")
    _finish(figure, ax, title, source, handles)
    return figure


@_styled
def change(
    compared: pd.DataFrame,
    title: str,
    source: str,
    *,
    previous_label: str,
    current_label: str,
    top: int | None = None,
    score_label: str = "Score (%)",
    label: str = "short_name",
    decimals: int = 2,
) -> Figure:
    """Dumbbell chart: each unit's previous score joined to its current one, sorted by change.

    Args:
        compared: A frame from `analysis.compare`, one unit type; units in both years are drawn.
        title: The chart's title.
        source: The source line printed under the chart.
        previous_label: The comparison year as it should read, e.g. "2019".
        current_label: The reported year, e.g. "2020".
        top: Draw only the `top` largest moves (by size of change); None draws every unit.
        score_label: The score axis label, with its unit.
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
        colour = _UP if row.score_change > 0 else _DOWN if row.score_change < 0 else _GREY
        ax.plot(
            [row.score_previous, row.score_current],
            [yi, yi],
            color=colour,
            linewidth=1.3,
            linestyle=(0, (2, 1.5)) if sim else "-",
            alpha=0.8,
        )
        ax.plot(row.score_previous, yi, "o", markersize=4, color=_GREY, markerfacecolor="white")
        ax.plot(
            row.score_current,
            yi,
            "o",
            markersize=4.5,
            color=colour,
            markerfacecolor="white" if sim else colour,
            gid="current",
        )
        end = max(row.score_previous, row.score_current)
        ax.text(
            end + 0.25, yi, f"{row.score_change:+.{decimals}f}", va="center", fontsize=small, color="#333333"
        )
    ax.set_yticks(y, list(rows[label]), fontsize=7.5 if n > 40 else 8)
    ax.set_ylim(n - 0.4, -0.6)
    everything = pd.concat([rows["score_previous"], rows["score_current"]])
    ax.set_xlim(everything.min() - 1, everything.max() + 2.2)
    ax.grid(axis="y", color="#eeeeee")
    ax.tick_params(axis="y", length=0, pad=3)
    handles = [
        Line2D([], [], marker="o", linestyle="", color=_GREY, markerfacecolor="white", label=previous_label),
        Line2D([], [], marker="o", color=_UP, label=f"{current_label}, score rose"),
        Line2D([], [], marker="o", color=_DOWN, label=f"{current_label}, score fell"),
    ]
    if (rows["score_change"] == 0).any():
        handles.append(Line2D([], [], marker="o", color=_GREY, label=f"{current_label}, unchanged"))
    if simulated.any():
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                color=_GREY,
                markerfacecolor="white",
                linestyle=(0, (2, 1.5)),
                label=SIMULATED,
            )
        )
    ax.set_xlabel(score_label)
    ax.set_ylabel(_noun(rows, plural=False).capitalize() + " (largest rise first)")
    _finish(figure, ax, title, source, handles)
    return figure


@_styled
def regional_means(
    scores: pd.DataFrame,
    regions: Mapping[str, str],
    title: str,
    source: str,
    *,
    score_label: str = "Mean score (%)",
    decimals: int = 2,
) -> Figure:
    """Mean score of each region, highest first, with the national mean.

    Args:
        scores: A `scores` frame of provinces.
        regions: Region code to the name to print (e.g. `Regions.names_vi`), in published order.
        title: The chart's title.
        source: The source line printed under the chart.
        score_label: The score axis label, with its unit.
        decimals: Decimals means are rounded (half-up) and written with.

    Returns:
        The figure; a region whose mean includes simulated values is hatched.
    """
    table = _region_table(scores, regions, decimals)
    national = metric_value("mean", scores, decimals=decimals)
    figure = Figure(figsize=(PAGE_WIDTH, 1.9 + 0.42 * len(table)), layout="constrained")
    ax = figure.add_subplot()
    y = np.arange(len(table))
    bars = ax.barh(y, table["mean"], height=0.62, color=_NEUTRAL, edgecolor=_NEUTRAL, linewidth=0.6)
    for bar, sim in zip(bars, table["simulated"], strict=True):
        if sim:
            _mark_simulated(bar)
    texts = [
        f"{value:.{decimals}f}  (n = {count})"
        for value, count in zip(table["mean"], table["count"], strict=True)
    ]
    _value_column(ax, y, texts, 7.5)
    ax.set_yticks(y, [textwrap.fill(n, 24) for n in table["name"]])
    ax.set_ylim(len(table) - 0.4, -0.6)
    ax.set_xlim(0, _round_up(table["mean"].max(), 10))
    ax.xaxis.set_major_locator(MultipleLocator(10))
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0, pad=3)
    ax.axvline(national, color="#222222", linewidth=1.2)
    handles = [Line2D([], [], color="#222222", linewidth=1.2, label=f"national mean {national:.{decimals}f}")]
    if table["simulated"].any():
        handles.append(_simulated_patch(_NEUTRAL))
    ax.set_xlabel(score_label)
    ax.set_ylabel("Socio-economic region")
    _finish(figure, ax, title, source, handles)
    return figure


@_styled
def companion_vs_index(
    scores: pd.DataFrame,
    companion: pd.DataFrame,
    title: str,
    source: str,
    *,
    index_label: str = "PAR INDEX (%)",
    companion_label: str = "SIPAS (%)",
    label: str = "short_name",
    extremes: int = 2,
) -> Figure:
    """Scatter of the companion index (SIPAS, vertical) against the index (horizontal), one dot per province.

    Args:
        scores: The year's `scores` (provinces are used).
        companion: The year's companion frame (same columns, score = companion index).
        title: The chart's title.
        source: The source line printed under the chart.
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
    ax.scatter(
        pairs.loc[~simulated, "score"], pairs.loc[~simulated, "companion"], s=22, color=_NEUTRAL, zorder=3
    )
    if simulated.any():
        ax.scatter(
            pairs.loc[simulated, "score"],
            pairs.loc[simulated, "companion"],
            s=22,
            facecolors="white",
            edgecolors=_NEUTRAL,
            linewidths=1,
            zorder=3,
        )
    handles = []
    if not simulated.all():
        handles.append(
            Line2D([], [], marker="o", linestyle="", color=_NEUTRAL, label=_noun(pairs, plural=False))
        )
    if len(pairs) > 2 and pairs["score"].nunique() > 1:
        slope, intercept = np.polyfit(pairs["score"], pairs["companion"], 1)
        r = float(np.corrcoef(pairs["score"], pairs["companion"])[0, 1])
        xs = np.array([pairs["score"].min(), pairs["score"].max()])
        ax.plot(xs, slope * xs + intercept, color="#D55E00", linewidth=1.2, zorder=2)
        handles.append(
            Line2D([], [], color="#D55E00", linewidth=1.2, label=f"least-squares line (r = {r:.2f})")
        )
    if simulated.any():
        handles.append(
            Line2D([], [], marker="o", linestyle="", color=_NEUTRAL, markerfacecolor="white", label=SIMULATED)
        )
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
    _finish(figure, ax, title, source, handles)
    return figure


def alt_text(
    kind: str,
    frame: pd.DataFrame,
    subject: str,
    *,
    bands: Sequence[Band] | None = None,
    regions: Mapping[str, str] | None = None,
    companion: pd.DataFrame | None = None,
    companion_name: str = "SIPAS",
    previous_label: str = "",
    current_label: str = "",
    decimals: int = 2,
) -> str:
    """A one-to-two-sentence description of a chart with its real figures, for the image's alt attribute.

    Args:
        kind: The chart function's name: "ranked_units", "ministries_ranked", "distribution", "change",
            "regional_means" or "companion_vs_index".
        frame: The frame the chart was drawn from (for "change", the `compare` frame).
        subject: What the scores are, e.g. "PAR INDEX 2020".
        bands: The year's bands ("distribution").
        regions: Region code to name ("regional_means").
        companion: The companion frame ("companion_vs_index").
        companion_name: The companion index's name.
        previous_label: The comparison year ("change").
        current_label: The reported year ("change").
        decimals: Decimals numbers are written with.

    Returns:
        The description, e.g. "Bar chart of 63 provinces ranked by PAR INDEX 2020; highest Quảng Ninh
        91.04, lowest Quảng Ngãi 73.25, mean 83.72."

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
        "companion_name": companion_name,
        "previous_label": previous_label,
        "current_label": current_label,
        "decimals": decimals,
    }
    return writers[kind](frame, subject, **context)


def _alt_ranked(frame: pd.DataFrame, subject: str, decimals: int, **_) -> str:
    (high, top), (low, bottom) = _ends(frame, "score")
    mean = metric_value("mean", frame, decimals=decimals)
    return (
        f"Bar chart of {_count(frame)} ranked by {subject}; highest {high} {top:.{decimals}f}, "
        f"lowest {low} {bottom:.{decimals}f}, mean {mean:.{decimals}f}."
    )


def _alt_distribution(frame: pd.DataFrame, subject: str, bands: Sequence[Band], decimals: int, **_) -> str:
    counts = band_counts(with_bands(frame, bands, decimals), bands)
    labels = {b.label: f"{b.label} ({band_range(b.label, bands)})" for b in bands}
    parts = ", ".join(f"{labels.get(r.band, r.band)}: {r.count}" for r in counts.itertuples())
    return f"Histogram of {subject} for {_count(frame)}; units per band: {parts}."


def _alt_change(
    frame: pd.DataFrame, subject: str, previous_label: str, current_label: str, decimals: int, **_
) -> str:
    summary = change_summary(frame, k=1)
    both = frame[frame["status"] == "both"]
    text = (
        f"Dumbbell chart of {subject} for {_count(both)} from {previous_label} to {current_label}; "
        f"{summary.improved} improved, {summary.declined} declined, {summary.unchanged} unchanged"
    )
    moves = [
        f"largest {word} {rows.iloc[0]['name']} {rows.iloc[0]['score_change']:+.{decimals}f}"
        for word, rows in (("rise", summary.risers), ("fall", summary.fallers))
        if len(rows)
    ]
    return text + ("; " + ", ".join(moves) if moves else "") + "."


def _alt_regions(frame: pd.DataFrame, subject: str, regions: Mapping[str, str], decimals: int, **_) -> str:
    table = _region_table(frame, regions, decimals)
    (high, top), (low, bottom) = _ends(table, "mean")
    national = metric_value("mean", frame, decimals=decimals)
    return (
        f"Bar chart of the mean {subject} of {len(table)} regions; highest {high} {top:.{decimals}f}, "
        f"lowest {low} {bottom:.{decimals}f}, national mean {national:.{decimals}f}."
    )


def _alt_companion(
    frame: pd.DataFrame, subject: str, companion: pd.DataFrame, companion_name: str, decimals: int, **_
) -> str:
    pairs = _pairs(frame, companion)
    r = float(np.corrcoef(pairs["score"], pairs["companion"])[0, 1])
    (high, top), (low, bottom) = _ends(pairs, "companion")
    return (
        f"Scatter plot of {companion_name} against {subject} for {_count(pairs)}, correlation r = {r:.2f}; "
        f"highest {companion_name} {high} {top:.{decimals}f}, lowest {low} {bottom:.{decimals}f}."
    )


def _finish(figure: Figure, ax, title: str, source: str, handles: list) -> None:
    """Sets the wrapped title, the legend under the axes and the source line at the foot of the figure."""
    width_pt = figure.get_figwidth() * 72
    figure.suptitle(
        textwrap.fill(title, int(width_pt / (mpl.rcParams["axes.titlesize"] * 0.62))),
        x=0.01,
        ha="left",
        fontsize=mpl.rcParams["axes.titlesize"],
        fontweight="bold",
    )
    if handles:
        ax.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0, 1.01),
            ncols=min(len(handles), 4),
            frameon=False,
            borderaxespad=0,
            handlelength=1.6,
            columnspacing=1.2,
        )
    lines = textwrap.fill(source, int(width_pt / (_SOURCE_SIZE * 0.55))) if source else ""
    height = ((lines.count("\n") + 1) * _SOURCE_SIZE * 1.3 / 72 + 0.06) / figure.get_figheight()
    figure.text(
        0.01, 0.008, lines, ha="left", va="bottom", fontsize=_SOURCE_SIZE, color="#444444", gid="source"
    )
    figure.get_layout_engine().set(rect=(0, height, 1, 1 - height))


def _thresholds(ax, bands: Sequence[Band], labelled: bool = False) -> None:
    """Dashed lines at each band minimum inside the axis range, optionally labelled at the top."""
    low, high = ax.get_xlim()
    for band in bands:
        if not low < band.min < high:
            continue
        ax.axvline(band.min, color="#999999", linestyle=(0, (4, 3)), linewidth=0.9, zorder=1.5)
        if labelled:
            ax.annotate(
                f"{band.label} {band_range(band.label, bands)}",
                (band.min, 1),
                xycoords=("data", "axes fraction"),
                xytext=(3, -3),
                textcoords="offset points",
                va="top",
                fontsize=7.5,
                color="#444444",
            )


def _value_column(ax, y: np.ndarray, texts: list[str], size: float) -> None:
    """Writes each bar's value in a column just right of the axes, clear of the mean and threshold lines."""
    where = blended_transform_factory(ax.transAxes, ax.transData)
    for yi, text in zip(y, texts, strict=True):
        ax.text(1.01, yi, text, transform=where, va="center", ha="left", fontsize=size, color="#222222")


def _round_up(value: float, step: float) -> float:
    """The smallest multiple of `step` above `value`."""
    return (math.floor(value / step) + 1) * step


def _band_handles(present: pd.Series, bands: Sequence[Band]) -> list[Patch]:
    """Legend entries for the bands present, in band order."""
    labels = [b for b in band_labels(bands) if (present == b).any()]
    named = {band.label: f"{band.label} ({band_range(band.label, bands)})" for band in bands}
    return [Patch(color=band_colour(b, bands), label=named.get(b, b)) for b in labels]


def _simulated_patch(colour: str = _GREY) -> Patch:
    return _mark_simulated(Patch(facecolor=colour, edgecolor=colour, label=SIMULATED))


def _mark_simulated(patch: Patch) -> Patch:
    """Draws a bar as simulated: its own colour crossed by white hatching, so its band stays readable."""
    patch.set_hatch(_HATCH)
    patch.set_hatchcolor("white")
    return patch


def _noun(frame: pd.DataFrame, plural: bool) -> str:
    types = frame["unit_type"].dropna().unique() if "unit_type" in frame else []
    singular, many = _NOUNS.get(types[0] if len(types) == 1 else "", ("unit", "units"))
    return many if plural else singular


def _count(frame: pd.DataFrame) -> str:
    return f"{len(frame)} {_noun(frame, plural=len(frame) != 1)}"


def _ends(frame: pd.DataFrame, column: str) -> tuple[tuple[str, float], tuple[str, float]]:
    """Names and value of the highest and lowest rows; tied names joined with "and"."""
    values = frame[column]

    def named(value: float) -> tuple[str, float]:
        names = list(frame.loc[values == value, "name"])
        return " and ".join(names), float(value)

    return named(values.max()), named(values.min())


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


@_styled
def profile_history(
    history: pd.DataFrame,
    title: str,
    source: str,
    *,
    unit_label: str,
    region_label: str = "regional mean",
    current_year: int | None = None,
    score_label: str = "Score (%)",
    decimals: int = 2,
) -> Figure:
    """One unit in every year: its score against the national and regional means, and its rank beside it.

    Sized for a profile page (7.5 x 3.2 in): scores on the left, ranks on the right with rank 1 at the top.

    Args:
        history: One row per year: year, score, rank, n_units, national_mean, region_mean, provenance.
        title: The chart's title.
        source: The source line printed under the chart.
        unit_label: The unit's name, for the legend.
        region_label: The regional mean's legend entry, e.g. "Central Coast mean".
        current_year: The year the profile is about, shaded in both panels; None shades nothing.
        score_label: The score axis label, with its unit.
        decimals: Decimals scores are written with.

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
    score_ax.plot(years, rows["national_mean"], color="#222222", linewidth=1.1, linestyle=(0, (4, 2)))
    score_ax.plot(years, rows["region_mean"], color=OKABE_ITO[3], linewidth=1.3, linestyle=(0, (1, 1.2)))
    _history_line(score_ax, years, rows["score"], simulated, [f"{s:.{decimals}f}" for s in rows["score"]])
    score_ax.margins(y=0.18)
    score_ax.set_ylabel(score_label)
    _history_line(rank_ax, years, rows["rank"], simulated, [str(int(r)) for r in rows["rank"]])
    most = int(rows["n_units"].max())
    rank_ax.set_ylim(most + most * 0.06, 0.5 - most * 0.12)
    rank_ax.set_yticks([1, *(tick for tick in range(10, most, 10) if most - tick >= 5), most])
    rank_ax.set_ylabel(f"Rank of {most} (1 = best)" if rows["n_units"].nunique() == 1 else "Rank (1 = best)")
    handles = [
        Line2D([], [], marker="o", color=_NEUTRAL, markersize=4.5, label=unit_label),
        Line2D([], [], color="#222222", linewidth=1.1, linestyle=(0, (4, 2)), label="national mean"),
        Line2D([], [], color=OKABE_ITO[3], linewidth=1.3, linestyle=(0, (1, 1.2)), label=region_label),
    ]
    if simulated.any():
        handles.append(
            Line2D([], [], marker="o", linestyle="", color=_NEUTRAL, markerfacecolor="white", label=SIMULATED)
        )
    _finish(figure, score_ax, title, source, [])
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


def _history_line(ax, years: np.ndarray, values: pd.Series, simulated: np.ndarray, texts: list[str]) -> None:
    """The unit's line with its values written above each point; simulated points hollow."""
    ax.plot(years, values, color=_NEUTRAL, linewidth=1.4, zorder=3)
    for year, value, sim, text in zip(years, values, simulated, texts, strict=True):
        ax.plot(
            year,
            value,
            "o",
            markersize=4.5,
            color=_NEUTRAL,
            markerfacecolor="white" if sim else _NEUTRAL,
            zorder=4,
            gid="simulated" if sim else "published",
        )
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


# --- trends: every year of a panel side by side ------------------------------------------------------

_SPREAD_FACE, _SPREAD_EDGE, _PUBLISHED = "#dbe7f3", "#8fb3d3", "#D55E00"
_LINESTYLES = ("-", (0, (4, 2)), (0, (1, 1.5)))


def _published_handle() -> Line2D:
    return Line2D(
        [],
        [],
        marker="D",
        linestyle="",
        markersize=6.5,
        markerfacecolor="none",
        markeredgecolor=_PUBLISHED,
        markeredgewidth=1.2,
        label="published mean",
    )


def _year_axis(ax, years: Sequence[int], pad: float = 0.6) -> None:
    """Ticks at each year, written in full, and room either side."""
    ax.set_xticks(list(years), [str(y) for y in years])
    ax.set_xlim(min(years) - pad, max(years) + pad)
    ax.grid(axis="x", visible=False)


def _fill_items(items: Sequence[str], width: int) -> str:
    """Items joined with " · " into lines of at most `width` characters, never splitting an item."""
    lines: list[str] = []
    for item in items:
        if lines and len(lines[-1]) + 3 + len(item) <= width:
            lines[-1] += " · " + item
        else:
            lines.append(item)
    return "\n".join(lines)


def _mark_published(ax, frame: pd.DataFrame, size: float = 42) -> bool:
    """Draws published values (column `published`, NaN where none) as open diamonds; whether any was drawn."""
    shown = frame[frame["published"].notna()]
    if shown.empty:
        return False
    ax.scatter(
        shown["year"],
        shown["published"],
        s=size,
        marker="D",
        facecolors="none",
        edgecolors=_PUBLISHED,
        linewidths=1.2,
        zorder=5,
        gid="published",
    )
    return True


def _mean_line(ax, frame: pd.DataFrame, colour: str = _NEUTRAL, size: float = 26, gid: str = "mean") -> None:
    """A mean per year as a line with dots, a year holding simulated values as a hollow dot."""
    years = frame["year"].to_numpy()
    values = frame["mean"].to_numpy(dtype=float)
    simulated = frame["simulated"].to_numpy(dtype=bool)
    ax.plot(years, values, color=colour, linewidth=1.6, zorder=3, gid=gid)
    ax.scatter(years[~simulated], values[~simulated], s=size, color=colour, zorder=4)
    ax.scatter(
        years[simulated],
        values[simulated],
        s=size,
        facecolors="white",
        edgecolors=colour,
        linewidths=1.2,
        zorder=4,
    )


@_styled
def yearly_means(
    means: pd.DataFrame,
    title: str,
    source: str,
    *,
    spread: pd.DataFrame | None = None,
    score_label: str = "Mean score (%)",
    mean_label: str = "mean",
    decimals: int = 2,
) -> Figure:
    """The mean per year as a line with its values, the published means marked, and each year's spread.

    Args:
        means: Columns year, mean, published (NaN where none) and simulated, as `trends.mean_by_year` gives.
        title: The chart's title.
        source: The source line printed under the chart.
        spread: Optional columns year, min, q1, median, q3, max (`trends.spread_by_year`): drawn behind the
            line, a box from the first to the third quartile with whiskers to the lowest and highest unit.
        score_label: The score axis label, with its unit.
        mean_label: What the line is, e.g. "national mean".
        decimals: Decimals means are written with.

    Returns:
        The figure: the mean of a year holding simulated values is a hollow dot; published means are open
        vermillion diamonds.
    """
    figure = Figure(figsize=(PAGE_WIDTH, 4.2), layout="constrained")
    ax = figure.add_subplot()
    handles: list = []
    if spread is not None and not spread.empty:
        for row in spread.itertuples(index=False):
            ax.add_patch(
                mpl.patches.Rectangle(
                    (row.year - 0.2, row.q1),
                    0.4,
                    row.q3 - row.q1,
                    facecolor=_SPREAD_FACE,
                    edgecolor=_SPREAD_EDGE,
                    linewidth=0.7,
                    zorder=1,
                )
            )
            for low, high in ((row.min, row.q1), (row.q3, row.max)):
                ax.plot([row.year, row.year], [low, high], color=_SPREAD_EDGE, linewidth=0.9, zorder=1)
            for end in (row.min, row.max):
                ax.plot([row.year - 0.08, row.year + 0.08], [end, end], color=_SPREAD_EDGE, linewidth=0.9)
            ax.plot(
                [row.year - 0.2, row.year + 0.2], [row.median] * 2, color="#5b8db8", linewidth=1.1, zorder=1.5
            )
        handles.append(
            Patch(
                facecolor=_SPREAD_FACE,
                edgecolor=_SPREAD_EDGE,
                label="middle half, median and range of units",
            )
        )
    _mean_line(ax, means)
    for row in means.itertuples(index=False):
        ax.annotate(
            f"{row.mean:.{decimals}f}",
            (row.year, row.mean),
            xytext=(7, 5),
            textcoords="offset points",
            fontsize=7.5,
            color="#222222",
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
            zorder=6,
        )
    handles.insert(
        0, Line2D([], [], color=_NEUTRAL, marker="o", linewidth=1.6, markersize=5, label=mean_label)
    )
    if _mark_published(ax, means):
        handles.append(_published_handle())
    if means["simulated"].any():
        handles.append(
            Line2D([], [], marker="o", linestyle="", color=_NEUTRAL, markerfacecolor="white", label=SIMULATED)
        )
    _year_axis(ax, means["year"].tolist())
    ax.set_xlabel("Year")
    ax.set_ylabel(score_label)
    _finish(figure, ax, title, source, handles)
    return figure


@_styled
def bands_by_year(
    counts: pd.DataFrame,
    regimes: pd.DataFrame,
    title: str,
    source: str,
    *,
    count_label: str = "Number of provinces",
) -> Figure:
    """Units per band per year as stacked bars, each year in its own bands, with a note where they changed.

    Args:
        counts: Columns year, position (0 = top band), band, count, simulated (units of the band that are
            simulated), as `trends.band_counts_by_year` gives.
        regimes: Runs of years with the same bands: columns first, last, ranges (`trends.band_regimes`).
        title: The chart's title.
        source: The source line printed under the chart.
        count_label: The count axis label.

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
            ax.bar(year, published, width, bottom=bottom, color=colour, linewidth=0)
            if row.simulated:
                bar = ax.bar(year, row.simulated, width, bottom=bottom + published, color=colour, linewidth=0)
                _mark_simulated(bar.patches[0])
            if bottom:
                ax.plot([year - width / 2, year + width / 2], [bottom, bottom], color="white", linewidth=1.2)
            if row.count >= 0.045 * top:
                ax.text(
                    year,
                    bottom + row.count / 2,
                    f"{row.band} {row.count}",
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
        text = _fill_items(regime.ranges.split(", "), chars)
        ax.text(
            middle, top * 1.05, text, ha="center", va="bottom", fontsize=7, color="#333333", linespacing=1.25
        )
        if position:
            ax.axvline(regime.first - 0.5, color="#555555", linestyle=(0, (4, 3)), linewidth=0.9, zorder=0.5)
            ax.text(
                regime.first - 0.5,
                top * 1.35,
                " bands changed",
                ha="left",
                va="top",
                fontsize=7,
                color="#555555",
                style="italic",
            )
    positions = sorted(counts["position"].unique())
    names = (
        "top band",
        "second band",
        "third band",
        "fourth band",
        "fifth band",
        "sixth band",
        "seventh band",
    )
    handles: list = [
        Patch(color=OKABE_ITO[min(p, len(OKABE_ITO) - 1)], label=names[min(p, len(names) - 1)])
        for p in positions
    ]
    if counts["simulated"].any():
        handles.append(_simulated_patch())
    _year_axis(ax, years)
    ax.set_xlabel("Year (bands as published that year)")
    ax.set_ylabel(count_label)
    _finish(figure, ax, title, source, handles)
    return figure


@_styled
def rank_trajectories(
    trajectories: pd.DataFrame,
    title: str,
    source: str,
    *,
    label: str = "short_name",
    rank_label: str = "Rank (1 = best)",
) -> Figure:
    """Bump chart: the rank of each unit in every year, one line per unit, named at its last rank.

    Args:
        trajectories: Columns year, code, rank, provenance, final_rank and the `label` column, one row per
            unit and year (`trends.rank_trajectories`).
        title: The chart's title.
        source: The source line printed under the chart.
        label: The column naming each line.
        rank_label: The rank axis label.

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
        style = _LINESTYLES[(i // len(colours)) % len(_LINESTYLES)]
        x = own["year"].to_numpy()
        y = own["rank"].to_numpy(dtype=float)
        simulated = (own["provenance"] == "simulated").to_numpy()
        ax.plot(x, y, color=colour, linewidth=1.5, linestyle=style, zorder=3, gid="trajectory")
        ax.scatter(x[~simulated], y[~simulated], s=22, color=colour, zorder=4)
        ax.scatter(
            x[simulated], y[simulated], s=22, facecolors="white", edgecolors=colour, linewidths=1.2, zorder=4
        )
        end = own.iloc[-1]
        placed = max(float(end["rank"]), placed + gap)
        ax.plot(
            [end["year"] + 0.06, label_x - 0.04], [end["rank"], placed], color=colour, linewidth=0.6, zorder=2
        )
        ax.text(
            label_x,
            placed,
            f"{int(end['rank'])}  {end[label]}",
            va="center",
            fontsize=8,
            color=colour if colour != "#E69F00" else "#9a6a00",
        )
    bottom = max(worst, placed)
    ax.set_ylim(bottom + 0.8, 0.2)
    step = 1 if bottom <= 15 else 2 if bottom <= 30 else 5
    ax.set_yticks([1] + [t for t in range(step, int(bottom) + 1, step) if t - 1 >= step / 2])
    _year_axis(ax, years, pad=0.35)
    ax.set_xlim(years[0] - 0.35, label_x + 0.3 * (years[-1] - years[0] + 0.65))
    handles = []
    if (trajectories["provenance"] == "simulated").any():
        handles.append(
            Line2D([], [], marker="o", linestyle="", color=_GREY, markerfacecolor="white", label=SIMULATED)
        )
    ax.set_xlabel("Year")
    ax.set_ylabel(rank_label)
    _finish(figure, ax, title, source, handles)
    return figure


@_styled
def regional_trends(
    regional: pd.DataFrame,
    national: pd.DataFrame,
    title: str,
    source: str,
    *,
    score_label: str = "Mean score (%)",
    decimals: int = 2,
    columns: int = 3,
) -> Figure:
    """Small multiples: one panel per region with its mean per year and the national mean as reference.

    Args:
        regional: Columns year, region, name, mean, published (NaN where none), simulated
            (`trends.regional_means_by_year`); panels follow the order regions first appear in.
        national: Columns year, mean (`trends.mean_by_year`).
        title: The chart's title.
        source: The source line printed under the chart.
        score_label: The score axis label, with its unit.
        decimals: Decimals the last value of each panel is written with.
        columns: Panels per row.

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
    for ax, (code, name) in zip(axes, names.items(), strict=False):
        own = regional[regional["region"] == code].sort_values("year")
        ax.plot(
            national["year"],
            national["mean"],
            color="#777777",
            linewidth=1.1,
            linestyle=(0, (4, 2)),
            zorder=2,
        )
        _mean_line(ax, own, size=18, gid="region")
        published = _mark_published(ax, own, size=30) or published
        last = own.iloc[-1]
        ax.annotate(
            f"{last['mean']:.{decimals}f}",
            (last["year"], last["mean"]),
            xytext=(0, 6),
            textcoords="offset points",
            ha="center",
            fontsize=7,
            color=_NEUTRAL,
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
            ax.set_ylabel(score_label)
        if index + columns >= count:
            ax.set_xlabel("Year")
    handles = [
        Line2D([], [], color=_NEUTRAL, marker="o", markersize=4.5, linewidth=1.6, label="regional mean"),
        Line2D([], [], color="#777777", linewidth=1.1, linestyle=(0, (4, 2)), label="national mean"),
    ]
    if published:
        handles.append(_published_handle())
    if simulated:
        handles.append(
            Line2D([], [], marker="o", linestyle="", color=_NEUTRAL, markerfacecolor="white", label=SIMULATED)
        )
    _finish(figure, legend_ax, title, source, handles)
    return figure


@_styled
def score_grid(
    scores: pd.DataFrame,
    title: str,
    source: str,
    *,
    label: str = "name",
    unit_label: str = "Ministry or agency",
    decimals: int = 2,
) -> Figure:
    """A grid of units by years, each cell the unit's score and rank that year, shaded by score.

    Args:
        scores: Columns year, code, score, rank, provenance and the `label` column (`trends.Panel.scores`).
        title: The chart's title.
        source: The source line printed under the chart.
        label: The column naming each row.
        unit_label: The row axis label.
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
            if cell is None:
                ax.add_patch(
                    mpl.patches.Rectangle(
                        (column, row), 1, 1, facecolor="#f2f2f2", edgecolor="white", linewidth=1.2
                    )
                )
                ax.text(column + 0.5, row + 0.5, "–", ha="center", va="center", fontsize=7.5, color="#888888")
                continue
            shade = 0.15 + 0.7 * (cell.score - low) / max(high - low, 1e-9)
            patch = mpl.patches.Rectangle(
                (column, row), 1, 1, facecolor=cmap(shade), edgecolor="white", linewidth=1.2
            )
            ax.add_patch(patch)
            if cell.provenance == "simulated":
                _mark_simulated(patch)
            ax.text(
                column + 0.5,
                row + 0.5,
                f"{cell.score:.{decimals}f} ({cell.rank})",
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
        [r + 0.5 for r in range(n)], [textwrap.shorten(str(latest.loc[c, label]), 40) for c in codes]
    )
    ax.tick_params(length=0)
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    handles: list = [
        Patch(facecolor=cmap(0.15), label=f"score {low}"),
        Patch(facecolor=cmap(0.85), label=f"score {high}"),
        Patch(facecolor="#f2f2f2", label="not ranked"),
    ]
    if (scores["provenance"] == "simulated").any():
        handles.append(_simulated_patch(cmap(0.5)))
    ax.set_xlabel("Year: score (rank)")
    ax.set_ylabel(unit_label)
    _finish(figure, ax, title, source, handles)
    return figure
