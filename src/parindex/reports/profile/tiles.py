"""The profile's map: every province on its tile, coloured by band, the profile's province outlined."""

from __future__ import annotations

from parindex.i18n import Lang
from parindex.reports import maps, present
from parindex.reports.present import Localized
from parindex.reports.profile.sections import _show, source
from parindex.reports.profile.unit import Profile


def map_section(p: Profile) -> Localized:
    """The map section's heading; empty (no heading) when the year's unit set has no tile layout."""
    has_layout = maps.layout_of(p.params) is not None

    def render(lang: Lang) -> str:
        return _show(present.heading(lang.t("map.profile.title"))) if has_layout else ""

    return present.each(p.languages, render)


def province_map(p: Profile) -> Localized:
    """A small map of the provinces coloured by band, the profile's province outlined.

    Args:
        p: The profile.

    Returns:
        The map with its alt text in every language; empty when the year's unit set has no tile layout.

    Raises:
        InputError: The unit set's tile layout does not cover the set exactly once.
    """
    layout = maps.layout_of(p.params)

    def render(lang: Lang) -> str:
        if layout is None:
            return ""
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
        main = p.params.main_type
        alt = maps.alt_text(units, p.params.bands, name, lang, p.code, p.params, main)
        return _show(present.figure(figure, alt))

    return present.each(p.languages, render)
