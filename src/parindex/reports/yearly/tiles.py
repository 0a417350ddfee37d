"""The yearly report's map: the provinces on their tiles, coloured by band."""

from __future__ import annotations

from parindex.data.tiles import TileLayout
from parindex.i18n import Lang
from parindex.reports import maps, present
from parindex.reports.present import Localized
from parindex.reports.yearly.sections import source_line
from parindex.reports.yearly.text import name_of
from parindex.reports.yearly.year import Year


def province_map(year: Year) -> Localized:
    """The map section: its heading, introduction and map, or why the year's unit set has no map.

    Args:
        year: The year.

    Returns:
        The section in every language; empty when the year has no provinces.

    Raises:
        InputError: The unit set's tile layout does not cover the set exactly once.
    """
    layout = maps.layout_of(year.params)
    return present.each(year.languages, lambda lang: _province_map(year, layout, lang))


def _province_map(year: Year, layout: TileLayout | None, lang: Lang) -> str:
    units = year.units("province")
    if units.empty:
        return ""
    heading = present.heading(lang.t("map.section.title"))
    if layout is None:
        return heading + present.paragraphs(maps.no_map(year.params, lang))
    values = {"index": year.params.index.name, "year": year.params.year}
    name = name_of(year, lang)
    figure = maps.band_map(
        units,
        layout,
        year.bands,
        lang.t("chart.map.title", name=name),
        source_line(year, lang),
        lang,
        regions=year.regions,
        decimals=year.decimals,
    )
    alt = maps.alt_text(units, year.bands, name, lang)
    return heading + present.paragraphs(lang.t("map.section.intro", **values)) + present.figure(figure, alt)
