"""Tile maps of the provinces: one equal square per unit, placed by geography, coloured by band.

Shared by the yearly report (one map), the trends report (one small map per year) and the province
profile (the province's tile outlined). The layouts are data (data/units/tiles/, see parindex.data.tiles).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from parindex.analysis import band_labels
from parindex.data.params import Band, Params
from parindex.data.tiles import TileLayout, load_tiles
from parindex.data.units import Regions
from parindex.i18n import Lang
from parindex.reports import nouns
from parindex.reports.style import (
    PAGE_WIDTH,
    band_colour,
    band_handles,
    band_name,
    band_range,
    mark_simulated,
    simulated_patch,
    styled,
    tooltip,
)

_GAP = 0.08
"""The white gap between two tiles, as a share of a tile."""

_EMPTY_FACE, _EMPTY_EDGE = "#ffffff", "#9a9a9a"
_OUTLINE = "#000000"
_TITLE, _SOURCE, _KEY = 11.0, 7.0, 7.0
_HANDLE = 0.45
"""Inches a legend entry takes beside its label: the patch and the gaps around it (8-point text)."""
_COLUMN_SPACING = 0.22
"""Inches between two legend columns (matplotlib's 2 font sizes at 8 points)."""
_LEGEND_ROW = 0.2
"""Inches a row of the small multiples' legend takes."""


@dataclass(frozen=True)
class Sizes:
    """How big a map is drawn: its tiles and the text written on them, in inches and points."""

    tile: float
    labels: bool = True
    values: bool = True
    key: bool = True

    @property
    def label_size(self) -> float:
        return min(7.5, self.tile * 72 * 0.3)

    @property
    def value_size(self) -> float:
        return self.label_size * 0.8


YEARLY = Sizes(tile=0.38)
"""The yearly report's map: a page high, each tile with its label and score, the abbreviations beside it."""

PROFILE = Sizes(tile=0.1, labels=False, values=False, key=False)
"""A profile's map: small, no labels (the province is outlined and named in the legend)."""


def layout_of(params: Params, unit_type: str | None = None) -> TileLayout | None:
    """The tile layout of a year's unit set (of the main unit type by default), or None when it has none.

    Raises:
        InputError: The layout does not cover its set exactly once.
    """
    set_name = params.units.get(unit_type or params.main_type)
    if set_name is None:
        return None
    return load_tiles(Path(params.path(params.units_dir)), set_name)


def no_map(params: Params, lang: Lang, unit_type: str | None = None) -> str:
    """The sentence saying why a report has no map: its unit set has no tile layout."""
    return lang.t("map.none", set=params.units.get(unit_type or params.main_type, ""))


@styled
def band_map(
    frame: pd.DataFrame,
    layout: TileLayout,
    bands: Sequence[Band],
    title: str,
    source: str,
    lang: Lang,
    *,
    regions: Regions | None = None,
    highlight: str | None = None,
    sizes: Sizes = YEARLY,
    decimals: int = 2,
) -> Figure:
    """One year's units on their tiles, coloured by band, with the legend and the key to the labels.

    Args:
        frame: The units of one year: code, name, region, score, band and provenance.
        layout: The tile layout of the year's unit set.
        bands: The year's bands, highest first.
        title: The chart's title.
        source: The source line printed under the map.
        lang: The language of the chart's words and numbers.
        regions: The regions, to group the key to the labels by region; no key when None.
        highlight: The code of a unit whose tile gets a thick outline.
        sizes: How big the tiles and their text are.
        decimals: Decimals scores are written with.

    Returns:
        The figure: a rectangle per tile (gid "tile-<code>"), the outline of the highlighted one (gid
        "highlight").
    """
    width, height = layout.cols * sizes.tile, layout.rows * sizes.tile
    top = _title_height(title)
    foot = _source_height(source)
    figure = Figure(figsize=(PAGE_WIDTH, top + height + foot + 0.1))
    ax = _axes(figure, 0.1, foot + 0.05, width, height)
    _tiles(ax, frame, layout, bands, lang, sizes, decimals)
    handles = _handles(frame, layout, bands, lang)
    if highlight is not None and highlight in layout.by_code:
        _outline(ax, layout, highlight, sizes)
        handles.append(_highlight_handle(frame, highlight))
    panel = _axes(figure, width + 0.45, foot + 0.05, PAGE_WIDTH - width - 0.55, height)
    panel.set_axis_off()
    for handle in handles:  # a long band name wraps inside the panel
        handle.set_label(_wrap(handle.get_label(), 8, width=PAGE_WIDTH - width - 0.55 - _HANDLE))
    legend = panel.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0, 1),
        frameon=False,
        borderaxespad=0,
        title=lang.t("common.column.band"),
        alignment="left",
        fontsize=8,
        title_fontsize=8.5,
    )
    if sizes.key and sizes.labels and regions is not None:
        _key(figure, panel, legend, _entries(frame, layout, regions, lang), lang)
    _frame_texts(figure, title, source)
    return figure


@styled
def band_maps(
    frames: Mapping[int, pd.DataFrame],
    layout: TileLayout,
    bands: Mapping[int, Sequence[Band]],
    title: str,
    source: str,
    lang: Lang,
    *,
    published: bool = True,
) -> Figure:
    """Small multiples: one small map per year, side by side, coloured by that year's bands.

    Args:
        frames: Each year's units (code, score, band, provenance), by year, oldest first.
        layout: The tile layout of the years' unit set.
        bands: Each year's bands, highest first.
        title: The chart's title.
        source: The source line printed under the maps.
        lang: The language of the chart's words.
        published: Whether every year's bands are as published (else the note of band limits does not say
            "as published").

    Returns:
        The figure: one axes per year titled with the year, each holding a rectangle per tile.
    """
    years = list(frames)
    per_row = min(len(years), 7)
    rows = -(-len(years) // per_row)
    step = (PAGE_WIDTH - 0.2) / per_row
    sizes = Sizes(tile=min(0.2, (step - 0.12) / layout.cols), labels=False, values=False, key=False)
    map_height = layout.rows * sizes.tile
    note = _limits_note(bands, lang, published)
    handles = _trend_handles(frames, layout, bands, lang)
    columns = _legend_columns(handles, PAGE_WIDTH - 0.2, 6)
    legend_rows = -(-len(handles) // columns)
    legend_height = 0.3 + _LEGEND_ROW * (legend_rows - 1) + (0.16 * len(note.splitlines()) if note else 0)
    top, foot = _title_height(title), _source_height(source)
    height = top + rows * (map_height + 0.3) + legend_height + foot
    figure = Figure(figsize=(PAGE_WIDTH, height))
    for i, year in enumerate(years):
        row, col = divmod(i, per_row)
        bottom = height - top - (row + 1) * (map_height + 0.3)
        ax = _axes(figure, 0.1 + col * step, bottom, layout.cols * sizes.tile, map_height)
        _tiles(ax, frames[year], layout, bands[year], lang, sizes, 0)
        ax.set_title(str(year), fontsize=9, fontweight="bold", loc="center", pad=3)
    figure.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(
            0.1 / PAGE_WIDTH,
            (foot + legend_height - 0.28 - _LEGEND_ROW * (legend_rows - 1)) / height,
        ),
        ncols=columns,
        frameon=False,
        borderaxespad=0,
        fontsize=8,
    )
    if note:
        figure.text(
            0.1 / PAGE_WIDTH,
            (foot + 0.02) / height,
            note,
            fontsize=7.5,
            color="#333333",
            va="bottom",
            gid="limits",
        )
    _frame_texts(figure, title, source)
    return figure


def _axes(figure: Figure, left: float, bottom: float, width: float, height: float):
    """An axes placed in inches from the figure's lower left corner, without frame or ticks."""
    w, h = figure.get_figwidth(), figure.get_figheight()
    ax = figure.add_axes((left / w, bottom / h, width / w, height / h))
    ax.set_axis_off()
    return ax


def _legend_columns(handles: list, width: float, most: int) -> int:
    """How many columns a legend of 8-point entries can have and still fit a width in inches.

    Entries fill the columns top to bottom, as matplotlib lays them out; each column is as wide as its
    widest entry. A label wider than the whole width is wrapped to it first.
    """
    for handle in handles:
        handle.set_label(_wrap(handle.get_label(), 8, width=width - _HANDLE))
    widths = [
        _HANDLE + max(len(line) for line in h.get_label().splitlines()) * 8 * 0.55 / 72 for h in handles
    ]
    for columns in range(min(len(handles), most), 1, -1):
        rows = -(-len(handles) // columns)
        spans = [max(widths[start : start + rows]) for start in range(0, len(widths), rows)]
        if sum(spans) + _COLUMN_SPACING * (len(spans) - 1) <= width:
            return columns
    return 1


def _title_height(title: str) -> float:
    return 0.12 + (_wrap(title, _TITLE, bold=True).count("\n") + 1) * _TITLE * 1.3 / 72


def _source_height(source: str) -> float:
    return 0.08 + (_wrap(source, _SOURCE).count("\n") + 1) * _SOURCE * 1.3 / 72 if source else 0.05


def _wrap(text: str, size: float, bold: bool = False, width: float = PAGE_WIDTH - 0.2) -> str:
    """The text wrapped to a width in inches at a font size (DejaVu Sans's mean character width)."""
    per_char = size * (0.62 if bold else 0.55) / 72
    return textwrap.fill(text, max(10, int(width / per_char)))


def _frame_texts(figure: Figure, title: str, source: str) -> None:
    """The title at the top left and the source line at the foot of the figure."""
    h = figure.get_figheight()
    figure.text(
        0.1 / PAGE_WIDTH,
        1 - 0.06 / h,
        _wrap(title, _TITLE, bold=True),
        fontsize=_TITLE,
        fontweight="bold",
        va="top",
        ha="left",
    )
    if source:
        figure.text(
            0.1 / PAGE_WIDTH,
            0.04 / h,
            _wrap(source, _SOURCE),
            fontsize=_SOURCE,
            color="#444444",
            va="bottom",
            gid="source",
        )


def _tiles(
    ax,
    frame: pd.DataFrame,
    layout: TileLayout,
    bands: Sequence[Band],
    lang: Lang,
    sizes: Sizes,
    decimals: int,
) -> None:
    """Draws every tile of the layout: its band's colour, hatched when simulated, white without data."""
    rows = frame.set_index("code")
    for tile in layout.tiles:
        unit = rows.loc[tile.code] if tile.code in rows.index else None
        face = band_colour(unit["band"], bands) if unit is not None else _EMPTY_FACE
        patch = Rectangle(
            (tile.col + _GAP / 2, tile.row + _GAP / 2),
            1 - _GAP,
            1 - _GAP,
            facecolor=face,
            edgecolor=face if unit is not None else _EMPTY_EDGE,
            linewidth=0.5,
            gid=f"tile-{tile.code}",
        )
        if unit is not None and unit.get("provenance") == "simulated":
            mark_simulated(patch)
        ax.add_patch(patch)
        marks = [patch] + (_label(ax, tile, unit, face, lang, sizes, decimals) if sizes.labels else [])
        if unit is not None:
            mark = "†" if unit.get("provenance") == "simulated" else ""
            told = f"{unit['name']}: {lang.number(unit['score'], decimals)}{mark} ({unit['band']})"
            for shown in marks:
                tooltip(shown, told)
    ax.set_xlim(0, layout.cols)
    ax.set_ylim(layout.rows, 0)
    ax.set_aspect("equal")


def _label(ax, tile, unit: pd.Series | None, face: str, lang: Lang, sizes: Sizes, decimals: int) -> list:
    """Writes a tile's label, and its score below when the map shows values, legible over the hatching.

    Returns:
        The texts written.
    """
    colour = _text_colour(face) if unit is not None else "#555555"
    # The tile's own colour behind each text, clearing the hatching there: a rectangle, where an outline
    # of the letters (a path effect) would write each letter's whole shape into the SVG twice.
    clear = dict(boxstyle="square,pad=0.3", facecolor=face, edgecolor="none", linewidth=0)
    show_value = sizes.values and unit is not None and pd.notna(unit.get("score"))
    x, y = tile.col + 0.5, tile.row + (0.4 if show_value else 0.5)
    texts = [
        ax.text(
            x,
            y,
            tile.label,
            ha="center",
            va="center",
            fontsize=sizes.label_size,
            fontweight="bold",
            color=colour,
            bbox=clear,
        )
    ]
    if show_value:
        texts.append(
            ax.text(
                x,
                tile.row + 0.72,
                lang.number(unit["score"], decimals),
                ha="center",
                va="center",
                fontsize=sizes.value_size,
                color=colour,
                bbox=clear,
            )
        )
    return texts


def _text_colour(face: str) -> str:
    """Black on light tiles, white on dark ones (by relative luminance)."""
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(face))
    return "#000000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.3 else "#ffffff"


def _outline(ax, layout: TileLayout, code: str, sizes: Sizes) -> None:
    """A thick outline around one unit's tile."""
    tile = layout.by_code[code]
    ax.add_patch(
        Rectangle(
            (tile.col + _GAP / 2, tile.row + _GAP / 2),
            1 - _GAP,
            1 - _GAP,
            facecolor="none",
            edgecolor=_OUTLINE,
            linewidth=max(2.4, sizes.tile * 8),
            zorder=5,
            gid="highlight",
        )
    )


def _highlight_handle(frame: pd.DataFrame, code: str) -> Patch:
    rows = frame.loc[frame["code"] == code, "name"]
    name = str(rows.iloc[0]) if not rows.empty else code
    return Patch(facecolor="white", edgecolor=_OUTLINE, linewidth=2, label=name)


def _handles(frame: pd.DataFrame, layout: TileLayout, bands: Sequence[Band], lang: Lang) -> list[Patch]:
    """Legend entries: the bands present, simulated values, and tiles without data when there are any."""
    handles = band_handles(frame["band"], bands, lang)
    if (frame["provenance"] == "simulated").any():
        handles.append(simulated_patch(lang))
    if set(layout.by_code) - set(frame["code"]):
        handles.append(_empty_handle(lang))
    return handles


def _empty_handle(lang: Lang) -> Patch:
    return Patch(facecolor=_EMPTY_FACE, edgecolor=_EMPTY_EDGE, label=lang.t("chart.map.no_data"))


def _trend_handles(
    frames: Mapping[int, pd.DataFrame], layout: TileLayout, bands: Mapping[int, Sequence[Band]], lang: Lang
) -> list[Patch]:
    """Legend entries of the small multiples: each band label once, with its limits when every year agrees."""
    present = pd.concat([frame["band"] for frame in frames.values()], ignore_index=True)
    last = list(bands.values())[-1]
    order = band_labels(last) + [b for bs in bands.values() for b in band_labels(bs)]
    labels = [label for label in dict.fromkeys(order) if (present == label).any()]
    same = len({tuple(bs) for bs in bands.values()}) == 1
    handles = [
        Patch(
            color=band_colour(label, _bands_with(label, bands)),
            label=f"{band_name(label, last, lang)} ({band_range(label, last, lang)})"
            if same
            else band_name(label, _bands_with(label, bands), lang),
        )
        for label in labels
    ]
    if any((frame["provenance"] == "simulated").any() for frame in frames.values()):
        handles.append(simulated_patch(lang))
    if any(set(layout.by_code) - set(frame["code"]) for frame in frames.values()):
        handles.append(_empty_handle(lang))
    return handles


def _bands_with(label: str, bands: Mapping[int, Sequence[Band]]) -> Sequence[Band]:
    """The latest year's bands holding a label (its colour is its place among them)."""
    for year_bands in reversed(list(bands.values())):
        if label in band_labels(year_bands):
            return year_bands
    return list(bands.values())[-1]


def _limits_note(bands: Mapping[int, Sequence[Band]], lang: Lang, published: bool = True) -> str:
    """The band limits of each run of years sharing them, when they differ between years; else ""."""
    runs: list[tuple[list[int], Sequence[Band]]] = []
    for year, year_bands in bands.items():
        if runs and tuple(runs[-1][1]) == tuple(year_bands):
            runs[-1][0].append(year)
        else:
            runs.append(([year], year_bands))
    if len(runs) < 2:
        return ""
    parts = [
        lang.t(
            "chart.map.limits_of",
            years=str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}",
            limits=", ".join(_limits(bs, lang)),
        )
        for years, bs in runs
    ]
    key = "chart.map.limits" if published else "chart.map.limits.own"
    return _wrap(lang.t(key, runs="; ".join(parts)), 7.5)


def _limits(bands: Sequence[Band], lang: Lang) -> list[str]:
    """Each band with its limits ("A ≥ 90", "B 80–<90"), then the catch-all below the last band if any."""
    shown = [f"{band.name(lang.code)} {band_range(band.key, bands, lang)}" for band in bands]
    return shown + ([band_labels(bands)[-1]] if bands[-1].min > 0 else [])


def _entries(
    frame: pd.DataFrame, layout: TileLayout, regions: Regions, lang: Lang
) -> list[tuple[str, list[str]]]:
    """The key to the labels: per region (in published order), "label  name" of its units, north first."""
    rows = frame.set_index("code")
    grouped: dict[str, list[str]] = {}
    for tile in sorted(layout.tiles, key=lambda t: (t.row, t.col)):
        if tile.code not in rows.index:
            continue
        unit = rows.loc[tile.code]
        grouped.setdefault(str(unit.get("region") or ""), []).append(f"{tile.label}  {unit['name']}")
    order = [code for code in regions.names_vi if code in grouped] + [
        c for c in grouped if c not in regions.names_vi
    ]
    return [(regions.name(code, lang.code, short=True) if code else "", grouped[code]) for code in order]


def _key(figure: Figure, panel, legend, entries: list[tuple[str, list[str]]], lang: Lang) -> None:
    """Writes the key to the labels below the legend, region by region, in as many columns as fit (2 or 3)."""
    inches = figure.dpi_scale_trans.inverted()
    box = legend.get_window_extent().transformed(inches)
    panel_box = panel.get_window_extent().transformed(inches)
    left, top = panel_box.x0, box.y0 - 0.25
    line = _KEY * 1.4 / 72
    lines: list[tuple[str, bool]] = [(lang.t("chart.map.key"), True)]
    for heading, items in entries:
        wrapped = (
            _wrap(heading, _KEY, bold=True, width=panel_box.width / 3 - 0.1).splitlines() if heading else []
        )
        lines += [(text, True) for text in wrapped] + [(item, False) for item in items]
    fits = max(1, int((top - panel_box.y0) / line))
    columns = min(3, max(2, -(-len(lines) // fits)))
    column_width = panel_box.width / columns
    per_column = -(-len(lines) // columns)
    w, h = figure.get_figwidth(), figure.get_figheight()
    for i, (text, bold) in enumerate(lines):
        column, row = divmod(i, per_column)
        figure.text(
            (left + column * column_width) / w,
            (top - row * line) / h,
            text,
            fontsize=_KEY,
            fontweight="bold" if bold else "normal",
            va="top",
            color="#222222",
        )


def alt_text(
    frame: pd.DataFrame,
    bands: Sequence[Band],
    name: str,
    lang: Lang,
    highlight: str | None = None,
    params: Params | None = None,
    unit_type: str = "province",
) -> str:
    """The map in words: what it shows, then each band's count and, for a few units, their names.

    Args:
        frame: The mapped units with their band.
        bands: The bands.
        name: The index and year.
        lang: The language.
        highlight: The code of a unit drawn with a thick outline, if any.
        params: The year's params (the words of the unit type).
        unit_type: The type of the mapped units.

    Returns:
        The alt text.
    """
    parts = [lang.t("chart.map.alt", units=nouns.count(params, unit_type, len(frame), lang), name=name)]
    for label in band_labels(bands):
        members = frame[frame["band"] == label]
        if members.empty:
            continue
        if len(members) <= 10:
            names = lang.join(lang.sorted(list(members["name"])))
            band = band_name(label, bands, lang)
            parts.append(
                nouns.sentence(
                    params, unit_type, lang, "chart.map.alt_band", len(members), band=band, names=names
                )
            )
        else:
            band = band_name(label, bands, lang)
            parts.append(
                nouns.sentence(params, unit_type, lang, "chart.map.alt_band_many", len(members), band=band)
            )
    if highlight is not None and (frame["code"] == highlight).any():
        unit = frame.loc[frame["code"] == highlight, "name"].iloc[0]
        parts.append(lang.t("chart.map.alt_highlight", name=unit))
    return " ".join(parts)


def trends_alt_text(
    frames: Mapping[int, pd.DataFrame],
    bands: Mapping[int, Sequence[Band]],
    lang: Lang,
    params: Params | None = None,
    unit_type: str = "province",
) -> str:
    """The small multiples in words: how many maps, then each year's count of units per band.

    Args:
        frames: Each year's mapped units with their band.
        bands: Each year's bands.
        lang: The language.
        params: The latest year's params (the words of the unit type).
        unit_type: The type of the mapped units.

    Returns:
        The alt text.
    """
    years = list(frames)
    first, last = years[0], years[-1]
    parts = [
        nouns.sentence(params, unit_type, lang, "chart.map.trends.alt", len(years), first=first, last=last)
    ]
    for year, frame in frames.items():
        counts = [
            lang.t(
                "chart.map.band_count",
                band=band_name(label, bands[year], lang),
                count=lang.integer((frame["band"] == label).sum()),
            )
            for label in band_labels(bands[year])
            if (frame["band"] == label).any()
        ]
        parts.append(lang.t("chart.map.trends.alt_year", year=year, counts=lang.join(counts)))
    return " ".join(parts)
