"""The trends report's maps: one small tile map per year, the provinces coloured by that year's band."""

from __future__ import annotations

from parindex.i18n import Lang
from parindex.reports import maps, nouns, present
from parindex.reports.present import Localized
from parindex.reports.trends.panel import Panel
from parindex.reports.trends.sections import _source
from parindex.reports.trends.text import period_text
from parindex.reports.yearly.year import Year


def _mapped(panel: Panel) -> list[Year]:
    """The years of the latest year's unit set that have main units (another set has other tiles)."""
    main = panel.main_type
    last = panel.years[-1].params.units.get(main)
    return [y for y in panel.years if y.params.units.get(main) == last and not y.units(main).empty]


def maps_section(panel: Panel) -> Localized:
    """The maps section's heading and introduction.

    Returns:
        The heading (a PDF bookmark) and its introduction in every language; empty (no heading) without
        main units or a tile layout.
    """
    years = _mapped(panel)
    last = panel.years[-1].params
    has_layout = maps.layout_of(last) is not None

    def render(lang: Lang) -> str:
        if not years or not has_layout:
            return ""
        main = panel.main_type
        heading = present.heading(nouns.sentence(last, main, lang, "map.trends.title"))
        first, final = years[0].params.year, years[-1].params.year
        intro = nouns.sentence(last, main, lang, "map.trends.intro", first=first, last=final)
        return heading + present.paragraphs(intro)

    return present.each(panel.languages, render)


def province_maps(panel: Panel) -> Localized:
    """One small map per year of the latest year's unit set, side by side, coloured by that year's band.

    Years ranking another unit set (63 provinces before the 2025 merger, 34 after) are left out, since
    their tiles differ.

    Args:
        panel: The panel.

    Returns:
        The maps with their alt text in every language; empty without provinces or a tile layout.

    Raises:
        InputError: The unit set's tile layout does not cover the set exactly once.
    """
    return present.each(panel.languages, lambda lang: _province_maps(panel, lang))


def _province_maps(panel: Panel, lang: Lang) -> str:
    years = _mapped(panel)
    layout = maps.layout_of(panel.years[-1].params)
    if not years or layout is None:
        return ""
    frames = {y.params.year: y.units(panel.main_type) for y in years}
    bands = {y.params.year: y.bands for y in years}
    period = period_text(min(frames), max(frames))
    last, main = panel.years[-1].params, panel.main_type
    title = nouns.sentence(last, main, lang, "chart.map.trends.title", index=panel.index_name, period=period)
    published = all(y.params.bands_basis == "published" for y in years)
    figure = maps.band_maps(frames, layout, bands, title, _source(panel, lang), lang, published=published)
    return present.figure(figure, maps.trends_alt_text(frames, bands, lang, last, main))
