"""Chart style shared by every report: colours, fonts, rendering, legends, thresholds and source lines."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import math
import re
import textwrap
import weakref
from collections.abc import Callable, Iterator, Sequence
from xml.sax.saxutils import escape

import matplotlib as mpl
import matplotlib.text
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.collections import Collection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path
from matplotlib.patheffects import AbstractPathEffect
from matplotlib.transforms import IdentityTransform, TransformedPath, blended_transform_factory

from parindex.analysis import (
    band_labels,
)
from parindex.data.params import Band
from parindex.i18n import Lang

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


NEUTRAL, UP, DOWN, GREY = "#0072B2", "#0072B2", "#D55E00", "#888888"


HATCH = "////"


_SOURCE_SIZE = 7


# Characters XML 1.0 does not allow (C0 controls but tab and line ends, and two non-characters).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SAVE_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def styled(function: Callable[..., Figure]) -> Callable[..., Figure]:
    """Runs a chart function inside `STYLE`, so the global rcParams are never touched."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs) -> Figure:
        with mpl.rc_context(STYLE):
            return function(*args, **kwargs)

    return wrapper


def tooltip(artist: Artist, text: str | Sequence[str]) -> Artist:
    """Gives a chart mark the text a browser shows when the pointer rests on it (an SVG <title>).

    A bar, tile, line or point gets one text, e.g. "Quảng Ninh: 91,04"; a collection (the points of a
    scatter) gets one text per point, in the order of its offsets. The text is written in the SVG that
    `render` makes and that `parindex.reports.present.figure` puts in the page; the artist's gid is kept.

    Args:
        artist: A mark already added to its axes.
        text: Its text, or one text per point of a collection.

    Returns:
        The artist, so that a call can wrap the one that draws it.

    Raises:
        ValueError: The artist is not in a figure, or a collection's texts do not match its points.
    """
    figure = artist.get_figure(root=True)
    if figure is None:
        raise ValueError("tooltip() needs a mark already added to its axes (it has no figure)")
    if isinstance(text, str):
        texts: tuple[str, ...] | str = text
    else:
        texts = tuple(text)
        points = len(artist.get_offsets()) if isinstance(artist, Collection) else -1
        if points != len(texts):
            raise ValueError(
                f"tooltip() got {len(texts)} texts for a mark of {max(points, 1)} point(s): give one text "
                "per point of a collection, or one text for any other mark"
            )
    # The mark by a weak reference: a mark refers to its figure, which would then never be freed.
    _LABELS.setdefault(figure, []).append((weakref.ref(artist), texts))
    return artist


_LABELS: weakref.WeakKeyDictionary[Figure, list[tuple[weakref.ref[Artist], tuple[str, ...] | str]]] = (
    weakref.WeakKeyDictionary()
)
_MARK = "parindex-mark-"
_POINT = re.compile(r"<(use|path)\b")


# The settings besides a text's font properties that decide its measure: which font file a family resolves
# to, and how FreeType lays its glyphs out.
_MEASURE_SETTINGS = (
    "font.family",
    "font.sans-serif",
    "font.serif",
    "font.monospace",
    "font.cursive",
    "font.fantasy",
    "font.enable_last_resort",
    "text.hinting",
    "text.hinting_factor",
    "text.kerning_factor",
)
_MEASURED_BY = (RendererAgg, RendererSVG)
_MEASURES: dict[tuple, tuple[float, float, float]] = {}
_MEASURES_KEPT = 16384
_measure_once_per_renderer = matplotlib.text._get_text_metrics_with_cache


def _measure(renderer, text: str, fontprop, ismath, dpi: float) -> tuple[float, float, float]:
    """A text's width, height and descent, measured once for every renderer of the same kind and resolution.

    matplotlib keeps a text's measure for the renderer that took it, and a chart meets several: the
    layout's, the saving's, each language's; a kernel draws the same names and ticks for every report.
    The measure depends on nothing else than the renderer's kind and resolution, the text, its font
    properties and `_MEASURE_SETTINGS` (all in the key), so it is shared. Other renderers and math text
    go through matplotlib's own cache. Installed in matplotlib when this module is imported.
    """
    # A vector file's renderer measures with the renderer it draws with at the moment (vector or raster).
    measuring = renderer._renderer if isinstance(renderer, MixedModeRenderer) else renderer
    if ismath or type(measuring) not in _MEASURED_BY:
        return _measure_once_per_renderer(renderer, text, fontprop, ismath, dpi)
    settings = tuple(
        tuple(value) if isinstance(value, list) else value
        for value in map(mpl.rcParams.__getitem__, _MEASURE_SETTINGS)
    )
    key = (type(measuring), getattr(measuring, "dpi", None), text, fontprop.copy(), dpi, settings)
    found = _MEASURES.get(key)
    if found is None:
        if len(_MEASURES) >= _MEASURES_KEPT:
            _MEASURES.clear()
        found = _MEASURES[key] = _measure_once_per_renderer(renderer, text, fontprop, ismath, dpi)
    return found


matplotlib.text._get_text_metrics_with_cache = _measure


def render(figure: Figure, fmt: str = "png") -> bytes:
    """The figure as PNG, SVG or PDF bytes, identical from one build to the next.

    Saves with `STYLE` (which sets `svg.hashsalt`) and without creation dates or software versions
    (`metadata={'CreationDate': None, ...}`). A caller saving with `Figure.savefig` itself should do the
    same: `with matplotlib.rc_context(STYLE): fig.savefig(path, metadata={'CreationDate': None})` for PDF.
    In SVG, each mark given a text by `tooltip` carries it as a <title>.

    Args:
        figure: A figure from this module.
        fmt: "png", "svg" or "pdf".

    Returns:
        The encoded image.
    """
    buffer = io.BytesIO()
    marks = _LABELS.get(figure, []) if fmt == "svg" else []
    labels = [(artist, texts) for mark, texts in marks if (artist := mark()) is not None]
    gids = [artist.get_gid() for artist, _ in labels]
    for i, (artist, _) in enumerate(labels):
        artist.set_gid(f"{_MARK}{i}")  # for the moment of saving: where each title goes
    try:
        with mpl.rc_context(STYLE), _laid_out_once(figure):
            figure.savefig(buffer, format=fmt, metadata=_SAVE_METADATA.get(fmt))
    finally:
        for (artist, _), gid in zip(labels, gids, strict=True):
            artist.set_gid(gid)
    if fmt == "svg":  # a control character in a label (e.g. from params) would make the SVG unreadable
        svg = _NOT_XML.sub("", buffer.getvalue().decode("utf-8"))
        return _titled(svg, [texts for _, texts in labels]).encode("utf-8")
    return buffer.getvalue()


@contextlib.contextmanager
def _laid_out_once(figure: Figure) -> Iterator[None]:
    """Has `savefig` lay a figure out without drawing it twice.

    With a layout engine, `savefig` draws the whole figure to nowhere to lay it out (in the saving
    renderer's units), then turns the engine off and draws it for real. Here that first draw runs the
    layout engine alone, as it would inside the draw, and nothing else: the saved figure is the same.
    """
    engine = figure.get_layout_engine()
    if engine is None:
        yield
        return

    def lay_out_only(renderer) -> None:
        del figure.draw  # the figure's own draw again, for the drawing that follows
        if figure.axes:
            with contextlib.suppress(ValueError):  # as Figure.draw does: a layout that cannot be made
                engine.execute(figure)

    figure.draw = lay_out_only
    try:
        yield
    finally:
        vars(figure).pop("draw", None)


def ranks_rule(ties: str, decimals: int, lang: Lang, key: str) -> str:
    """The sentence stating the tie rule in force, e.g. from "yearly.method.ranks".

    Args:
        ties: The rule, "rounded", "unrounded" or "official" (params `ranking.ties`).
        decimals: The decimals scores are rounded to under "rounded".
        lang: The language.
        key: The catalog key of the "rounded" sentence (plural in the decimals); the other rules' sentences
            are under "<key>.unrounded" and "<key>.official".

    Returns:
        The sentence.
    """
    return lang.n(key, decimals) if ties == "rounded" else lang.t(f"{key}.{ties}")


def band_name(key: str, bands: Sequence[Band], lang: Lang) -> str:
    """A band's label in the report's language, from its key (the catch-all "< 70" as it is)."""
    for band in bands:
        if band.key == key:
            return band.name(lang.code)
    return key


def _titled(svg: str, labels: list[tuple[str, ...] | str]) -> str:
    """The SVG with each labelled mark's <title>: first in its group, or in each point of a collection."""
    for i, texts in enumerate(labels):
        start = svg.find(f'<g id="{_MARK}{i}">')
        if start < 0:
            continue  # a mark outside the drawn area is not saved
        head = svg.index(">", start) + 1
        if isinstance(texts, str):
            svg = f"{svg[:head]}<title>{_xml_text(texts)}</title>{svg[head:]}"
            continue
        if svg.startswith("<defs>", svg.index("<", head)):  # the shape the points use, drawn once
            head = svg.index("</defs>", head) + len("</defs>")
        for text in texts:  # each point: a <use> of that shape, or a <path> of its own
            point = _POINT.search(svg, head)
            end = svg.index("/>", point.start())
            closing = f"</{point.group(1)}>"
            svg = f"{svg[:end]}><title>{_xml_text(text)}</title>{closing}{svg[end + 2 :]}"
            head = svg.index(closing, end) + len(closing)
    return svg


def _xml_text(text: str) -> str:
    return escape(_NOT_XML.sub("", text))


_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)  # matplotlib's copy of each text, which the page need not carry
_ID = re.compile(r'\bid="([^"]+)"')
_REFERENCE = re.compile(r'#([^\s"#()]+)(?=[")])')


def inline_svg(figure: Figure) -> str:
    """The figure as an <svg> element to write into an HTML page, its ids unique to it.

    The XML prolog and comments are dropped, and every id (with every reference to it) gets a prefix made
    from the drawing itself, so that two figures on one page never share an id and a build writes the same
    page.

    Args:
        figure: A figure from this module.

    Returns:
        The SVG element, with the <title> of each mark `tooltip` gave a text.
    """
    svg = _COMMENT.sub("", _PROLOG.sub("", render(figure, "svg").decode("utf-8"))).strip()
    prefix = "f" + hashlib.sha1(svg.encode("utf-8")).hexdigest()[:10] + "-"
    names = set(_ID.findall(svg))
    svg = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    return _REFERENCE.sub(lambda m: f"#{prefix}{m.group(1)}" if m.group(1) in names else m.group(0), svg)


def band_colour(label: str, bands: Sequence[Band]) -> str:
    """The colour of a band, by its position among the year's bands (A is always the first colour)."""
    labels = band_labels(bands)
    return OKABE_ITO[labels.index(label) if label in labels else len(bands)]


def bound(value: float, lang: Lang) -> str:
    """A band's limit as the language writes it, with the digits it was given: 90, 82,5 or 82.5."""
    return lang.number(value, len(f"{value:g}".partition(".")[2]))


def band_range(label: str, bands: Sequence[Band], lang: Lang) -> str:
    """A band's range in symbols, e.g. "≥ 90", "80–<90", "< 70" (numbers as the language writes them)."""
    for i, band in enumerate(bands):
        if band.key == label:
            low = bound(band.min, lang)
            return f"≥ {low}" if i == 0 else f"{low}–<{bound(bands[i - 1].min, lang)}"
    return f"< {bound(bands[-1].min, lang)}"


def finish(figure: Figure, ax, title: str, source: str, handles: list) -> None:
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


def thresholds(ax, bands: Sequence[Band], lang: Lang, labelled: bool = False) -> None:
    """Dashed lines at each band minimum inside the axis range, optionally labelled at the top."""
    low, high = ax.get_xlim()
    for band in bands:
        if not low < band.min < high:
            continue
        ax.axvline(band.min, color="#999999", linestyle=(0, (4, 3)), linewidth=0.9, zorder=1.5)
        if labelled:
            ax.annotate(
                f"{band.name(lang.code)} {band_range(band.key, bands, lang)}",
                (band.min, 1),
                xycoords=("data", "axes fraction"),
                xytext=(3, -3),
                textcoords="offset points",
                va="top",
                fontsize=7.5,
                color="#444444",
                gid="threshold",
            )


def lay_out(figure: Figure):
    """Lays a figure out with its layout engine, without drawing it: where its axes and legends go.

    About half the time of `Figure.draw_without_rendering`, which also draws every artist to nowhere.

    Returns:
        The renderer that measures the figure's texts (what `get_window_extent` takes).
    """
    engine = figure.get_layout_engine()
    if engine is not None:
        engine.execute(figure)
    return figure._get_renderer()


def separate_thresholds(figure: Figure, ax) -> None:
    """Moves the labels of `thresholds` apart once the figure is laid out, so long band names never overlap.

    A label that would run past the right edge of the axes is written left of its line; a label that would
    overlap one already placed goes down a line, as many lines as it takes.

    Args:
        figure: The finished figure (its layout is final).
        ax: The axes holding the labels.
    """
    labels = sorted((t for t in ax.texts if t.get_gid() == "threshold"), key=lambda t: t.xy[0])
    if not labels:
        return
    renderer = lay_out(figure)
    right = ax.get_window_extent(renderer).x1
    placed = []
    line = 7.5 * 1.25
    for label in labels:
        if label.get_window_extent(renderer).x1 > right:
            label.set_horizontalalignment("right")
            label.set_position((-3, -3))
        level = 0
        while True:
            label.set_position((label.get_position()[0], -3 - level * line))
            box = label.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in placed):
                break
            level += 1
        placed.append(box)


def dumbbell(
    ax,
    y: float,
    row,
    simulated: bool,
    name: str,
    labels: tuple[str, str],
    decimals: int,
    lang: Lang,
    size: float,
) -> None:
    """Draws one unit's change as a dumbbell: its earlier score joined to its later one, and the change.

    Both dots and the joining line show "name: 2019 79,75 → 2020 85,00 (+5,25)" on hover.

    Args:
        ax: The axes.
        y: The row's position.
        row: The unit's row of a comparison (score_previous, score_current, score_change).
        simulated: Whether its values are simulated (a dashed line, a hollow dot and the mark "†").
        name: The unit's name as the chart writes it.
        labels: The earlier and the later year's labels.
        decimals: Decimals of the scores.
        lang: The language.
        size: The font size of the change written after the later dot.
    """
    colour = UP if row.score_change > 0 else DOWN if row.score_change < 0 else GREY
    joining = ax.plot(
        [row.score_previous, row.score_current],
        [y, y],
        color=colour,
        linewidth=1.3,
        linestyle=(0, (2, 1.5)) if simulated else "-",
        alpha=0.8,
    )
    before = ax.plot(row.score_previous, y, "o", markersize=4, color=GREY, markerfacecolor="white")
    after = ax.plot(
        row.score_current,
        y,
        "o",
        markersize=4.5,
        color=colour,
        markerfacecolor="white" if simulated else colour,
        gid="current",
    )
    change = lang.number(row.score_change, decimals, signed=True)
    told = (
        f"{name}: {labels[0]} {lang.number(row.score_previous, decimals)} → "
        f"{labels[1]} {lang.number(row.score_current, decimals)} ({change}){'†' if simulated else ''}"
    )
    for mark in (*joining, *before, *after):
        tooltip(mark, told)
    end = max(row.score_previous, row.score_current)
    ax.text(end + 0.25, y, change, va="center", fontsize=size, color="#333333")


def value_column(ax, y: np.ndarray, texts: list[str], size: float) -> None:
    """Writes each bar's value in a column just right of the axes, clear of the mean and threshold lines."""
    where = blended_transform_factory(ax.transAxes, ax.transData)
    for yi, text in zip(y, texts, strict=True):
        ax.text(1.01, yi, text, transform=where, va="center", ha="left", fontsize=size, color="#222222")


def round_up(value: float, step: float) -> float:
    """The smallest multiple of `step` above `value`."""
    return (math.floor(value / step) + 1) * step


def band_handles(present: pd.Series, bands: Sequence[Band], lang: Lang) -> list[Patch]:
    """Legend entries for the bands present, in band order."""
    labels = [b for b in band_labels(bands) if (present == b).any()]
    named = {band.key: f"{band.name(lang.code)} ({band_range(band.key, bands, lang)})" for band in bands}
    return [Patch(color=band_colour(b, bands), label=named.get(b, b)) for b in labels]


def simulated_patch(lang: Lang, colour: str = GREY) -> Patch:
    """A legend patch for simulated values, hatched like them."""
    label = lang.t("chart.simulated")
    return mark_simulated(Patch(facecolor=colour, edgecolor=colour, label=label))


def simulated_dot(lang: Lang, colour: str = NEUTRAL, **style) -> Line2D:
    """A legend entry for a hollow dot, a value holding simulated ones; `style` adds Line2D properties."""
    return Line2D(
        [], [], marker="o", color=colour, markerfacecolor="white", label=lang.t("chart.simulated"), **style
    )


def mark_simulated(patch: Patch) -> Patch:
    """Draws a bar as simulated: its own colour crossed by white hatching, so its band stays readable.

    The hatching is drawn as lines of its own (see `HatchLines`); `patch.get_hatch()` still tells it.
    """
    patch.set_hatch(HATCH)
    patch.set_hatchcolor("white")
    patch.set_path_effects([HatchLines()])
    return patch


class HatchLines(AbstractPathEffect):
    """Draws a patch, then its hatching as lines clipped to it, where matplotlib would fill a pattern.

    matplotlib writes hatching into SVG as a pattern fill, which Chromium prints as an image of the pattern
    for every shape: a yearly report's hatched tiles and bars made 8 MB of its PDF and half its printing
    time. The lines are matplotlib's own hatch (`get_hatch_path`) laid over the shape in squares of an inch,
    anchored at the figure's corner as a pattern is, so neighbouring shapes' lines meet.
    """

    def draw_path(self, renderer, gc, tpath, affine, rgbFace=None):  # noqa: N803 (matplotlib's name)
        hatch = gc.get_hatch()
        plain = renderer.new_gc()
        plain.copy_properties(gc)
        plain.set_hatch(None)
        renderer.draw_path(plain, tpath, affine, rgbFace)
        plain.restore()
        if not hatch:
            return
        size = renderer.points_to_pixels(72)
        (x0, y0), (x1, y1) = affine.transform_path(tpath).get_extents().get_points()
        unit = _within_square(gc.get_hatch_path())
        squares = [
            unit.vertices * size + (i * size, j * size)
            for i in range(math.floor(x0 / size), math.ceil(x1 / size))
            for j in range(math.floor(y0 / size), math.ceil(y1 / size))
        ]
        if not squares:
            return
        codes = np.tile(unit.codes, len(squares)) if unit.codes is not None else None
        lines = renderer.new_gc()
        lines.copy_properties(gc)
        lines.set_hatch(None)
        lines.set_foreground(gc.get_hatch_color())
        lines.set_linewidth(gc.get_hatch_linewidth())
        lines.set_dashes(0, None)
        lines.set_clip_path(TransformedPath(tpath, affine))
        renderer.draw_path(lines, Path(np.concatenate(squares), codes), IdentityTransform())
        lines.restore()


def _within_square(hatch: Path) -> Path:
    """A hatch's straight lines cut to its unit square, as its pattern shows them.

    Laid side by side, the squares' lines then meet without overlapping. A hatch of other shapes (dots,
    circles) is kept as it is.
    """
    codes = hatch.codes
    if (
        codes is None
        or len(codes) % 2
        or (codes[0::2] != Path.MOVETO).any()
        or (codes[1::2] != Path.LINETO).any()
    ):
        return hatch
    starts, ends = hatch.vertices[0::2], hatch.vertices[1::2]
    step = ends - starts
    first, last = np.zeros(len(starts)), np.ones(len(starts))
    with np.errstate(divide="ignore", invalid="ignore"):  # Liang-Barsky, both axes at once
        for axis in (0, 1):
            a, b = (0 - starts[:, axis]) / step[:, axis], (1 - starts[:, axis]) / step[:, axis]
            flat = step[:, axis] == 0
            outside = flat & ((starts[:, axis] < 0) | (starts[:, axis] > 1))
            first = np.where(flat, first, np.maximum(first, np.minimum(a, b)))
            last = np.where(flat, last, np.minimum(last, np.maximum(a, b)))
            last = np.where(outside, -1, last)
    kept = first < last
    starts, step, first, last = starts[kept], step[kept], first[kept], last[kept]
    vertices = np.stack([starts + step * first[:, None], starts + step * last[:, None]], axis=1)
    return Path(vertices.reshape(-1, 2), np.tile([Path.MOVETO, Path.LINETO], len(starts)).astype(codes.dtype))


def unit_type_of(frame: pd.DataFrame) -> str:
    """The one unit type of the frame's rows ("province", "ministry"), or "unit" when mixed or unknown."""
    types = frame["unit_type"].dropna().unique() if "unit_type" in frame else []
    return str(types[0]) if len(types) == 1 and types[0] in ("province", "ministry") else "unit"


def unit_noun(frame: pd.DataFrame, plural: bool, lang: Lang) -> str:
    """The noun for the frame's units (province, ministry or agency, unit), singular or plural."""
    return lang.n(f"chart.noun.{unit_type_of(frame)}", 2 if plural else 1)


def count_text(frame: pd.DataFrame, lang: Lang) -> str:
    """How many units the frame holds, with their noun ("63 provinces", "63 tỉnh, thành phố")."""
    return lang.n(f"common.unit.{unit_type_of(frame)}", len(frame))


def ends_of(frame: pd.DataFrame, column: str, lang: Lang) -> tuple[tuple[str, float], tuple[str, float]]:
    """Names and value of the highest and lowest rows; tied names joined as a list ("a and b")."""
    values = frame[column]

    def named(value: float) -> tuple[str, float]:
        names = list(frame.loc[values == value, "name"])
        return lang.join(names), float(value)

    return named(values.max()), named(values.min())


SPREAD_FACE, SPREAD_EDGE, _PUBLISHED = "#dbe7f3", "#8fb3d3", "#D55E00"


LINESTYLES = ("-", (0, (4, 2)), (0, (1, 1.5)))


def published_handle(lang: Lang) -> Line2D:
    """A legend marker for published values."""
    return Line2D(
        [],
        [],
        marker="D",
        linestyle="",
        markersize=6.5,
        markerfacecolor="none",
        markeredgecolor=_PUBLISHED,
        markeredgewidth=1.2,
        label=lang.t("common.stat.published_mean"),
    )


def year_axis(ax, years: Sequence[int], pad: float = 0.6) -> None:
    """Ticks at each year, written in full, and room either side."""
    ax.set_xticks(list(years), [str(y) for y in years])
    ax.set_xlim(min(years) - pad, max(years) + pad)
    ax.grid(axis="x", visible=False)


def fill_items(items: Sequence[str], width: int) -> str:
    """Items joined with " · " into lines of at most `width` characters, never splitting an item."""
    lines: list[str] = []
    for item in items:
        if lines and len(lines[-1]) + 3 + len(item) <= width:
            lines[-1] += " · " + item
        else:
            lines.append(item)
    return "\n".join(lines)


def mark_published(
    ax, frame: pd.DataFrame, size: float = 42, lang: Lang | None = None, decimals: int = 2, name: str = ""
) -> bool:
    """Draws published values (column `published`, NaN where none) as open diamonds; whether any was drawn.

    With a language, each diamond shows its year and value on hover, after `name` when given.
    """
    shown = frame[frame["published"].notna()]
    if shown.empty:
        return False
    diamonds = ax.scatter(
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
    if lang is not None:
        what = lang.t("common.stat.published_mean")
        tooltip(
            diamonds, [_year_value(name, y, f"{what} {lang.number(v, decimals)}") for y, v in _pairs(shown)]
        )
    return True


def mean_line(
    ax,
    frame: pd.DataFrame,
    colour: str = NEUTRAL,
    size: float = 26,
    gid: str = "mean",
    lang: Lang | None = None,
    decimals: int = 2,
    name: str = "",
) -> None:
    """A mean per year as a line with dots, a year holding simulated values as a hollow dot.

    With a language, each dot shows its year and value on hover (a simulated one with †), after `name`
    when given.
    """
    years = frame["year"].to_numpy()
    values = frame["mean"].to_numpy(dtype=float)
    simulated = frame["simulated"].to_numpy(dtype=bool)
    ax.plot(years, values, color=colour, linewidth=1.6, zorder=3, gid=gid)
    full = ax.scatter(years[~simulated], values[~simulated], s=size, color=colour, zorder=4)
    hollow = ax.scatter(
        years[simulated],
        values[simulated],
        s=size,
        facecolors="white",
        edgecolors=colour,
        linewidths=1.2,
        zorder=4,
    )
    if lang is not None:
        for dots, mark in ((full, ""), (hollow, "†")):
            shown = dots.get_offsets()
            tooltip(dots, [_year_value(name, int(y), lang.number(v, decimals) + mark) for y, v in shown])


def _pairs(frame: pd.DataFrame) -> list[tuple[int, float]]:
    return list(zip(frame["year"].astype(int), frame["published"].astype(float), strict=True))


def _year_value(name: str, year: int, value: str) -> str:
    return f"{name}: {year}: {value}" if name else f"{year}: {value}"
