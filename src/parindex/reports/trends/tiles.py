"""The trends report's maps: one small tile map per year, the provinces coloured by that year's band."""

from __future__ import annotations

from parindex.i18n import Lang
from parindex.reports import maps, present
from parindex.reports.present import Localized
from parindex.reports.trends.panel import Panel
from parindex.reports.trends.sections import _source
from parindex.reports.trends.text import period_text


def province_maps(panel: Panel) -> Localized:
    """The maps section: heading, introduction and one small map per year of the latest year's unit set.

    Years ranking another unit set (63 provinces before the 2025 merger, 34 after) are left out, since
    their tiles differ; a set without a tile layout gets a sentence saying so instead of maps.

    Args:
        panel: The panel.

    Returns:
        The section in every language.

    Raises:
        InputError: The unit set's tile layout does not cover the set exactly once.
    """
    return present.each(panel.languages, lambda lang: _province_maps(panel, lang))


def _province_maps(panel: Panel, lang: Lang) -> str:
    last = panel.years[-1].params
    years = [y for y in panel.years if y.params.units.get("province") == last.units.get("province")]
    frames = {y.params.year: y.units("province") for y in years if not y.units("province").empty}
    if not frames:
        return ""
    heading = present.heading(lang.t("map.trends.title"))
    layout = maps.layout_of(last)
    if layout is None:
        return heading + present.paragraphs(maps.no_map(last, lang))
    first, final = min(frames), max(frames)
    bands = {y.params.year: y.bands for y in years if y.params.year in frames}
    title = lang.t("chart.map.trends.title", index=panel.index_name, period=period_text(first, final))
    figure = maps.band_maps(frames, layout, bands, title, _source(panel, lang), lang)
    intro = present.paragraphs(lang.t("map.trends.intro", first=first, last=final))
    return heading + intro + present.figure(figure, maps.trends_alt_text(frames, bands, lang))
