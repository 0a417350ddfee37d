"""The profile's map: every province on its tile, coloured by band, the profile's province outlined."""

from __future__ import annotations

from parindex.i18n import Lang
from parindex.reports import maps, present
from parindex.reports.present import Localized
from parindex.reports.profile.sections import _show, source
from parindex.reports.profile.unit import Profile


def province_map(p: Profile) -> Localized:
    """The map section: its heading and a small map with the province's tile outlined.

    Args:
        p: The profile.

    Returns:
        The section in every language; a sentence instead of the map when the year's unit set has no
        tile layout.

    Raises:
        InputError: The unit set's tile layout does not cover the set exactly once.
    """
    layout = maps.layout_of(p.params)

    def render(lang: Lang) -> str:
        heading = present.heading(lang.t("map.profile.title"))
        if layout is None:
            return _show(heading, present.paragraphs(maps.no_map(p.params, lang)))
        units = p.history.ranked(p.year)
        index = p.params.index.name
        figure = maps.band_map(
            units,
            layout,
            p.params.bands,
            lang.t("chart.map.profile.title", name=p.name, index=index, year=p.year),
            source(p, lang),
            lang,
            regions=p.history.regions,
            highlight=p.code,
            sizes=maps.PROFILE,
            decimals=p.decimals,
        )
        name = lang.t("yearly.name", index=index, year=p.year)
        alt = maps.alt_text(units, p.params.bands, name, lang, highlight=p.code)
        return _show(heading, present.figure(figure, alt))

    return present.each(p.languages, render)
