"""The yearly report's map: the provinces on their tiles, coloured by band."""

from __future__ import annotations

from parindex.data.tiles import TileLayout
from parindex.i18n import Lang
from parindex.reports import maps, nouns, present
from parindex.reports.present import Localized
from parindex.reports.yearly.sections import source_line
from parindex.reports.yearly.text import name_of
from parindex.reports.yearly.year import Year


def map_section(year: Year) -> Localized:
    """The map section's heading and introduction.

    Args:
        year: The year.

    Returns:
        The heading (a PDF bookmark) and its introduction in every language; empty (no heading) without
        units of the main type or when their unit set has no tile layout.
    """
    has_layout = maps.layout_of(year.params) is not None

    def render(lang: Lang) -> str:
        if year.units(year.params.main_type).empty or not has_layout:
            return ""
        params, main = year.params, year.params.main_type
        heading = present.heading(nouns.sentence(params, main, lang, "map.section.title"))
        values = {"index": params.index.name, "year": params.year}
        return heading + present.paragraphs(nouns.sentence(params, main, lang, "map.section.intro", **values))

    return present.each(year.languages, render)


def province_map(year: Year) -> Localized:
    """The provinces on their tiles coloured by band, with the legend and the key to the labels.

    Args:
        year: The year.

    Returns:
        The map with its alt text in every language; empty when the year has no provinces or its unit
        set no tile layout.

    Raises:
        InputError: The unit set's tile layout does not cover the set exactly once.
    """
    layout = maps.layout_of(year.params)
    return present.each(year.languages, lambda lang: _province_map(year, layout, lang))


def _province_map(year: Year, layout: TileLayout | None, lang: Lang) -> str:
    units = year.units(year.params.main_type)
    if units.empty or layout is None:
        return ""
    name = name_of(year, lang)
    figure = maps.band_map(
        units,
        layout,
        year.bands,
        nouns.sentence(year.params, year.params.main_type, lang, "chart.map.title", name=name),
        source_line(year, lang),
        lang,
        regions=year.regions,
        decimals=year.decimals,
    )
    return present.figure(
        figure, maps.alt_text(units, year.bands, name, lang, None, year.params, year.params.main_type)
    )
