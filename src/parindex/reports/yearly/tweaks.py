"""Tweaks of the yearly report in a notebook: a filter and a highlight for its tables and charts, own charts.

`yearly.ranking(year, region="Red River Delta", highlight=["Hà Nội"])` shows one region's ranking with Hà
Nội emphasised; `yearly.chart(year, "ranked", band="A")` draws the units of band A only; `yearly.figure(year,
draw, alt=...)` draws a chart of one's own in the report's style, in every language of the report.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure

from parindex.data.units import UnitNameError, fold, load_unit_set
from parindex.i18n import Lang
from parindex.reports import present
from parindex.reports.present import Localized
from parindex.reports.style import PAGE_WIDTH, STYLE, finish
from parindex.reports.yearly.year import Year

HIGHLIGHT = "#FFE8A3"
"""The background of an emphasised table row (a light amber, clear of the band colours)."""

# Bold but for the region, long in Vietnamese, which would wrap onto a second line.
STYLE_HTML = (
    f"<style>.parindex-table tr.parindex-highlight td {{ background: {HIGHLIGHT}; }}"
    ".parindex-table tr.parindex-highlight td:not(.region) { font-weight: bold; }</style>"
)

_FADED = 0.3  # the opacity of bars not highlighted, so the highlighted ones stand out in their band colour

Text = str | Mapping[str, str] | Callable[[Lang], str]
"""A text of an own chart: one for every language, one per language code, or written per language."""


@dataclass(frozen=True)
class Selection:
    """Which units a table or chart shows, and which it emphasises.

    Attributes:
        unit_type: The unit type, e.g. "province".
        region: The code of the region shown, or None for every region.
        band: The key of the band shown, or None for every band.
        units: The codes of the units shown, or None for every unit.
        highlight: The codes of the units emphasised, in the order given.
    """

    unit_type: str
    region: str | None = None
    band: str | None = None
    units: tuple[str, ...] | None = None
    highlight: tuple[str, ...] = ()

    @property
    def filtered(self) -> bool:
        """Whether some units are left out."""
        return self.region is not None or self.band is not None or self.units is not None

    def keep(self, frame: pd.DataFrame, band_column: str = "band") -> pd.DataFrame:
        """The rows of the units shown, in the frame's order.

        Args:
            frame: Units with `code`, `region` and a band column.
            band_column: The column holding each unit's band key ("band", "band_current").

        Returns:
            The rows kept.
        """
        kept = pd.Series(True, index=frame.index)
        if self.region is not None:
            kept &= frame["region"] == self.region
        if self.band is not None:
            kept &= frame[band_column] == self.band
        if self.units is not None:
            kept &= frame["code"].isin(self.units)
        return frame[kept]

    def marked(self, frame: pd.DataFrame) -> pd.Series:
        """Whether each row is a highlighted unit."""
        return frame["code"].isin(self.highlight)

    def note(self, year: Year, lang: Lang, shown: int, total: int) -> str:
        """What the selection shows, e.g. "Only the Red River Delta region: 11 of 63 units; …".

        Args:
            year: The year.
            lang: The language.
            shown: How many units are shown.
            total: How many units the year ranks of the type.

        Returns:
            The sentences; empty when every unit is shown and none highlighted.
        """
        parts = []
        if self.filtered:
            what = []
            if self.region is not None:
                what.append(lang.t("yearly.tweak.region", region=year.regions.name(self.region, lang.code)))
            if self.band is not None:
                band = next(b for b in year.bands if b.key == self.band)
                what.append(lang.t("yearly.tweak.band", band=band.name(lang.code)))
            if self.units is not None:
                what.append(lang.t("yearly.tweak.units"))
            parts.append(
                lang.t(
                    "yearly.tweak.shown",
                    what=lang.join(what),
                    shown=lang.integer(shown),
                    total=lang.integer(total),
                )
            )
        if self.highlight:
            units = year.units(self.unit_type).set_index("code")
            named = [str(units.loc[code, "name"]) for code in self.highlight if code in units.index]
            parts.append(lang.t("yearly.tweak.highlighted", units=lang.join(named)))
        return " ".join(parts)


def select(
    year: Year,
    unit_type: str | None = None,
    *,
    region: str | None = None,
    band: str | None = None,
    units: Iterable[str] | str | None = None,
    highlight: Iterable[str] | str | None = None,
) -> Selection:
    """Resolves a filter and a highlight as a reader writes them into codes.

    Args:
        year: The year.
        unit_type: The unit type of the table or chart, the main one by default.
        region: A region by code ("RRD") or name in any language ("Red River Delta", "Đồng bằng sông
            Hồng"), written with or without diacritics.
        band: A band by key ("A") or label in any language.
        units: Units by code or name, matched as input files are ("Hanoi", "TP.HCM", "Thua Thien Hue").
        highlight: Units to emphasise, by code or name.

    Returns:
        The selection.

    Raises:
        ValueError: A region, band or unit that the year does not have; the message names the closest.
    """
    unit_type = unit_type or year.params.main_type
    return Selection(
        unit_type,
        _region(year, region) if region is not None else None,
        _band(year, band) if band is not None else None,
        _units(year, unit_type, units) if units is not None else None,
        _units(year, unit_type, highlight) if highlight is not None else (),
    )


def _region(year: Year, name: str) -> str:
    regions = year.regions
    spellings = {}
    for table in (regions.names_vi, regions.names_en, regions.short_en):
        for code, text in table.items():
            spellings[fold(text)] = code
    for code in regions.names_vi:
        spellings[fold(code)] = code
    found = spellings.get(fold(name))
    if found is not None:
        return found
    close = difflib.get_close_matches(fold(name), list(spellings), n=3, cutoff=0.5)
    codes = list(dict.fromkeys(spellings[key] for key in close))
    choices = [f"{code} ({regions.names_en.get(code, code)})" for code in codes or regions.names_vi]
    hint = "did you mean" if codes else "the regions are"
    raise ValueError(f"'{name}' is not a region of {year.name}; {hint} {', '.join(choices)}?")


def _band(year: Year, name: str) -> str:
    for band in year.bands:
        if fold(name) in {fold(label) for label in band.names()}:
            return band.key
    keys = ", ".join(band.key for band in year.bands)
    raise ValueError(f"'{name}' is not a band of {year.name}; the bands are {keys}")


def _units(year: Year, unit_type: str, names: Iterable[str] | str) -> tuple[str, ...]:
    if unit_type not in year.params.units:
        raise ValueError(
            f"{year.name} ranks no '{unit_type}'; its unit types are {', '.join(year.params.units)}"
        )
    unit_set = load_unit_set(year.params.path(year.params.units_dir), year.params.units[unit_type], unit_type)
    codes, problems = [], []
    for name in [names] if isinstance(names, str) else names:
        try:
            codes.append(unit_set.resolve(str(name)).code)
        except UnitNameError as error:
            problems.append(f"{error.message}: {error.fix}")
    if problems:
        raise ValueError("; ".join(problems))
    return tuple(dict.fromkeys(codes))


def emphasise_rows(table: str, marked: Iterable[bool]) -> str:
    """Adds the highlight class to the body rows of a table from `present.table` that are marked.

    Args:
        table: The table's HTML.
        marked: Whether each body row, in order, is highlighted.

    Returns:
        The table's HTML, with the style of highlighted rows before it when any is marked.
    """
    flags = list(marked)
    if not any(flags):
        return table
    head, _, body = table.partition("<tbody>")
    pieces = re.split(r"(<tr\b)", body)
    row = 0
    for i in range(1, len(pieces), 2):
        if row < len(flags) and flags[row]:
            pieces[i] = '<tr class="parindex-highlight"'
        row += 1
    return STYLE_HTML + head + "<tbody>" + "".join(pieces)


def emphasise_bars(figure: Figure, names: Iterable[str]) -> Figure:
    """Emphasises the bars of a ranked chart whose tick labels are among `names`: the others are faded.

    Args:
        figure: A chart of horizontal bars, one per tick label (`charts.ranked_units`).
        names: The labels of the bars to emphasise, as the chart writes them.

    Returns:
        The figure, changed in place.
    """
    wanted = set(names)
    ax = figure.axes[0]
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    bars = ax.containers[0] if ax.containers else []
    for bar, label in zip(bars, labels, strict=False):
        if label in wanted:
            bar.set_edgecolor("#000000")
            bar.set_linewidth(1.4)
        else:
            bar.set_alpha(_FADED)
    for tick in ax.get_yticklabels():
        if tick.get_text() in wanted:
            tick.set_fontweight("bold")
    return figure


def new_figure(height: float = 4.2) -> tuple[Figure, object]:
    """A figure and its axes in the report's style, as wide as an A4 page's text.

    Draw on the axes inside `yearly.figure`'s drawing function (which applies the style while drawing);
    used alone, wrap the drawing in `with matplotlib.rc_context(style.STYLE):`.

    Args:
        height: The height in inches.

    Returns:
        (figure, axes).
    """
    with mpl.rc_context(STYLE):
        figure = Figure(figsize=(PAGE_WIDTH, height), layout="constrained")
        return figure, figure.add_subplot()


def figure(
    year: Year,
    draw: Callable[[object, Lang], object] | Figure,
    *,
    alt: Text,
    caption: Text = "",
    title: Text = "",
    source: bool = True,
    height: float = 4.2,
) -> Localized:
    """A chart of one's own in the report's style, in every language of the report.

    Args:
        year: The year.
        draw: A function drawing on matplotlib axes in one language, `draw(ax, lang)` (`lang.number(83.7,
            2)` writes a number as the language does, `lang.code` is "vi" or "en"); or a finished figure,
            shown as it is in every language.
        alt: The chart's alt text (what it shows, for readers who cannot see it).
        caption: The caption under the chart.
        title: The title above the chart.
        source: Whether to print the year's source line under the chart, as the report's charts do.
        height: The height in inches (the width is an A4 page's text).

    Each text is one string for every language, a mapping {"vi": ..., "en": ...}, or a function of the
    language.

    Returns:
        The chart, embedded as SVG with its alt text, in every language.

    Example:
        >>> def ten_best(ax, lang):
        ...     top = year.units("province").head(10)
        ...     ax.barh(top.short_name, top.score, color=yearly.COLOURS[0])
        ...     ax.invert_yaxis()
        >>> yearly.figure(year, ten_best, title="Ten best", alt="Bars of the ten best provinces' scores")
    """
    from parindex.reports.yearly.sections import source_line

    def render(lang: Lang) -> str:
        if isinstance(draw, Figure):
            fig = draw
        else:
            with mpl.rc_context(STYLE):
                fig = Figure(figsize=(PAGE_WIDTH, height), layout="constrained")
                ax = fig.add_subplot()
                draw(ax, lang)
                finish(fig, ax, _text(title, lang), source_line(year, lang) if source else "", [])
        return present.figure(fig, _text(alt, lang), _text(caption, lang))

    return present.each(year.languages, render)


def _text(text: Text, lang: Lang) -> str:
    if callable(text):
        return str(text(lang))
    if isinstance(text, Mapping):
        return str(text.get(lang.code) or next(iter(text.values()), ""))
    return str(text)
