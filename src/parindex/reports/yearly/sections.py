"""Sections of the yearly report, each the HTML a notebook cell displays, in every language of the build."""

from __future__ import annotations

import datetime
import html
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from parindex import analysis
from parindex.i18n import MISSING, Lang
from parindex.reports import nouns, present
from parindex.reports.present import Column, Localized
from parindex.reports.provenance import build_time, sha256_of, versions
from parindex.reports.style import band_name, ranks_rule
from parindex.reports.yearly import charts, tweaks
from parindex.reports.yearly.reconcile import published_of, reconciliation_rows
from parindex.reports.yearly.text import (
    band_comparison,
    band_rule,
    ends,
    headline,
    name_of,
    names,
    plural_of,
    rank_move,
)
from parindex.reports.yearly.year import Year

_BUILT = "%Y-%m-%d %H:%M UTC"  # how provenance.build_time writes the time
# Region names are long in Vietnamese: wide enough to break once, never word by word.
_STYLE = "<style>.parindex-table td.region { min-width: 11em; }</style>"


def title(year: Year) -> Localized:
    """The report's heading, its byline, its style, and the demonstration banner when values are simulated."""
    return present.each(year.languages, lambda lang: _title(year, lang))


def _title(year: Year, lang: Lang) -> str:
    params = year.params
    full = params.text(params.index.title, lang.code)
    parts = [
        present.STYLE,
        _STYLE,
        present.heading(
            lang.t("report.yearly.title", name=params.index.name, year=params.year, title=full), 1
        ),
    ]
    author = params.text(params.author, lang.code)
    if author:
        parts.append(
            f'<p class="parindex-byline">{html.escape(lang.t("common.byline", organisation=author))}</p>'
        )
    if year.demonstration:
        parts.append(present.banner(lang.t("yearly.demonstration_banner")))
    return "".join(parts)


def section(year: Year, key: str) -> Localized:
    """A section's heading and its introduction, from the catalog keys yearly.section.<key>.*.

    A section with nothing to show has no heading: "change" without a comparison year with data,
    "regions" when the main units have no regions, "companion" without a companion index,
    "reconciliation" when nothing is published for this index and year.

    Args:
        year: The year.
        key: The section: "key_figures", "ranking", "distribution", "change", "regions", "companion",
            "reconciliation", "methodology" or "provenance".

    Returns:
        The heading (a PDF bookmark) and the introduction; empty when the section is left out.
    """
    left_out = {
        "change": lambda: year.compared(year.params.main_type) is None,
        "regions": lambda: not year.has_regions,
        "companion": lambda: year.companion is None,
        "reconciliation": lambda: reconciliation_rows(year).empty,
    }
    if key in left_out and left_out[key]():
        return present.each(year.languages, lambda lang: "")

    def render(lang: Lang) -> str:
        companion = year.params.companion
        main = year.params.main_type

        def own_words(base: str) -> str:
            """A message the same for every unit type, or written per type (`nouns.sentence`)."""
            if lang.has(base):
                return lang.t(base, **values)
            return nouns.sentence(year.params, main, lang, base, **values)

        values = {
            "year": year.params.year,
            "previous": year.params.comparison_year or "",
            "units": nouns.formal(year.params, main, lang),
            "nouns": nouns.noun(year.params, main, lang),
            "index": year.params.index.name,
            "companion": companion.name if companion is not None else "",
            "companion_title": year.params.text(companion.title, lang.code) if companion is not None else "",
        }
        parts = [present.heading(charts.capitalised(own_words(f"yearly.section.{key}.title")))]
        alone = (key == "key_figures" and reconciliation_rows(year).empty) or (
            key == "regions" and not _regional_published(year)
        )
        intro = own_words(f"yearly.section.{key}.intro" + ("_alone" if alone else ""))
        return "".join(parts + ([present.paragraphs(intro)] if intro.strip() else []))

    return present.each(year.languages, render)


def key_figures(year: Year) -> Localized:
    """Key figures in boxes and in sentences."""
    return present.each(year.languages, lambda lang: _key_figures(year, lang))


def _key_figures(year: Year, lang: Lang) -> str:
    units = year.units(year.params.main_type)
    d = year.decimals
    unit = year.params.unit_label(lang.code)
    counts = analysis.band_counts(units, year.bands)
    boxes = [
        (
            charts.capitalised(nouns.sentence(year.params, year.params.main_type, lang, "yearly.box.units")),
            lang.integer(len(units)),
        ),
        (lang.t("yearly.box.mean"), lang.score(year.mean(units), d, unit)),
        (lang.t("yearly.box.highest"), lang.score(units.score.max(), d, unit)),
        (lang.t("yearly.box.lowest"), lang.score(units.score.min(), d, unit)),
    ] + [
        (lang.t("yearly.box.band", label=row.band), lang.integer(row["count"]))
        for _, row in counts.iterrows()
    ]
    parts = [present.key_figures(boxes), present.paragraphs(*headline(year, lang))]
    before = year.previous_units(year.params.main_type)
    if before is not None and not before.empty:
        parts.append(band_comparison(year, units, before, lang))
    return "".join(parts)


def ranking(
    year: Year,
    unit_type: str | None = None,
    *,
    region: str | None = None,
    band: str | None = None,
    units: Iterable[str] | str | None = None,
    highlight: Iterable[str] | str | None = None,
) -> Localized:
    """Every unit ranked: rank, name, score, band, change in score and rank, region.

    Args:
        year: The year.
        unit_type: The unit type, the main one by default.
        region: Only this region's units: its code ("RRD") or name in any language ("Red River Delta").
        band: Only this band's units: its key ("A") or label.
        units: Only these units, by code or name ("Hà Nội", "Hanoi", "01").
        highlight: Units whose rows are emphasised, by code or name; the caption names them.

    Returns:
        The table, ranks as in the full ranking.

    Raises:
        ValueError: A region, band or unit the year does not have (the message names the closest).
    """
    unit_type = unit_type or year.params.main_type
    chosen = tweaks.select(year, unit_type, region=region, band=band, units=units, highlight=highlight)
    return present.each(year.languages, lambda lang: _ranking(year, lang, unit_type, chosen))


def _ranking(year: Year, lang: Lang, unit_type: str, chosen: tweaks.Selection | None = None) -> str:
    d = year.decimals
    units = year.units(unit_type)
    total = len(units)
    if chosen is not None:
        units = chosen.keep(units)
    compared = year.compared(unit_type)
    frame = units.assign(shown=names(units, unit_type, lang, year.params))
    if compared is not None:
        moves = compared.set_index("code")[["score_change", "rank_change"]]
        frame = frame.join(moves, on="code")
    main = unit_type == year.params.main_type
    score_header = charts.with_unit(lang.t("common.column.score"), year.params.unit_label(lang.code), lang)
    # Short cells never break, so the region (long in Vietnamese) gets the width left and wraps in it.
    columns = [
        Column("computed_rank", lang.t("common.column.rank"), lang.integer, numeric=True, css="nowrap"),
        Column("shown", nouns.column(year.params, unit_type, lang), css="nowrap" if main else ""),
        Column("score", score_header, lambda v: lang.number(v, d), True, True, css="nowrap"),
        Column("band", lang.t("common.column.band"), lambda key: band_name(key, year.bands, lang)),
    ]
    if compared is not None:
        columns += [
            Column(
                "score_change",
                lang.t("yearly.column.score_change"),
                lambda v: lang.number(v, d, signed=True),
                True,
                True,
                css="nowrap",
            ),
            Column(
                "rank_change",
                lang.t("yearly.column.rank_change"),
                lambda v: rank_move(v, lang),
                True,
                css="nowrap",
            ),
        ]
    if main and year.has_regions:
        columns.append(
            Column(
                "region",
                lang.t("common.column.region"),
                lambda code: year.regions.name(code, lang.code, short=True),
                css="region",
            )
        )
    values = {"name": name_of(year, lang), "units": plural_of(len(units), unit_type, lang, year.params)}
    key = "yearly.tweak.caption" if chosen is not None and chosen.filtered else "yearly.ranking.caption"
    if compared is None:
        caption = lang.t(key, **values)
    else:
        caption = lang.t(f"{key}_compared", **values, previous=year.params.comparison_year)
    if chosen is None:
        return present.table(frame, columns, caption, frame.provenance.eq("simulated"), lang=lang)
    caption = ". ".join(part for part in (caption, chosen.note(year, lang, len(units), total)) if part)
    table = present.table(frame, columns, caption, frame.provenance.eq("simulated"), lang=lang)
    return tweaks.emphasise_rows(table, chosen.marked(frame))


def source_line(year: Year, lang: Lang) -> str:
    """The source printed under every chart: the publisher, then the params' source note."""
    publisher = year.params.text(year.params.index.publisher, lang.code)
    parts = [
        lang.t("common.source", source=publisher) + "." if publisher else "",
        year.params.text(year.params.source_note, lang.code),
    ]
    return " ".join(part for part in parts if part)


def _label(year: Year, lang: Lang) -> str:
    return charts.with_unit(year.params.index.name, year.params.unit_label(lang.code), lang)


def chart(
    year: Year,
    kind: str,
    *,
    region: str | None = None,
    band: str | None = None,
    units: Iterable[str] | str | None = None,
    highlight: Iterable[str] | str | None = None,
) -> Localized:
    """One of the report's charts, embedded with its alt text, in every language.

    Args:
        year: The year.
        kind: "ranked", "distribution", "change", "regions" or "companion" (see `secondary` for the other
            unit types).
        region: "ranked" only: this region's units, by code ("RRD") or name in any language.
        band: "ranked" only: this band's units, by key ("A") or label.
        units: "ranked" only: these units, by code or name.
        highlight: "ranked" only: units whose bars are emphasised (the others faded), by code or name; the
            caption names them.

    Returns:
        The figure; an empty output when the year lacks what the chart needs.

    Raises:
        ValueError: An unknown kind; a filter or highlight on another chart than "ranked"; a region, band
            or unit the year does not have (the message names the closest).
    """
    if kind not in _CHARTS:
        raise ValueError(f"unknown chart '{kind}': use {', '.join(_CHARTS)}")
    chosen = tweaks.select(year, region=region, band=band, units=units, highlight=highlight)
    if chosen.filtered or chosen.highlight:
        if kind != "ranked":
            raise ValueError(f"the '{kind}' chart takes no filter or highlight: only 'ranked' does")
        return present.each(year.languages, lambda lang: _ranked_chart(year, lang, chosen))
    return present.each(year.languages, lambda lang: _CHARTS[kind](year, lang))


def _ranked_chart(year: Year, lang: Lang, chosen: tweaks.Selection | None = None) -> str:
    provinces = year.units(year.params.main_type)
    everyone, mean = provinces, year.mean(provinces)
    if chosen is not None:
        provinces = chosen.keep(provinces)
    name = name_of(year, lang)
    fig = charts.ranked_units(
        provinces,
        year.bands,
        mean,
        nouns.sentence(year.params, year.params.main_type, lang, "yearly.chart.units.title", name=name),
        source_line(year, lang),
        lang,
        score_label=_label(year, lang),
        decimals=year.decimals,
    )
    alt = charts.alt_text("ranked_units", provinces, name, lang, decimals=year.decimals)
    if chosen is None:
        return present.figure(fig, alt)
    tweaks.emphasise_bars(fig, provinces.loc[chosen.marked(provinces), "short_name"])
    note = chosen.note(year, lang, len(provinces), len(everyone))
    if chosen.filtered:
        note += " " + lang.t("yearly.tweak.national_mean")
    return present.figure(fig, alt, note)


def _distribution_chart(year: Year, lang: Lang) -> str:
    provinces = year.units(year.params.main_type)
    name = name_of(year, lang)
    fig = charts.distribution(
        provinces,
        year.bands,
        lang.t("yearly.chart.distribution.title", name=name),
        source_line(year, lang),
        lang,
        score_label=_label(year, lang),
    )
    alt = charts.alt_text("distribution", provinces, name, lang, bands=year.bands, decimals=year.decimals)
    return present.figure(fig, alt)


def _change_chart(year: Year, lang: Lang) -> str:
    compared = year.compared(year.params.main_type)
    if compared is None:
        return ""
    name = name_of(year, lang)
    previous, current = str(year.params.comparison_year), str(year.params.year)
    fig = charts.change(
        compared,
        lang.t("yearly.chart.change.title", name=name, previous=previous),
        source_line(year, lang),
        lang,
        previous_label=previous,
        current_label=current,
        score_label=_label(year, lang),
        decimals=year.decimals,
    )
    alt = charts.alt_text(
        "change",
        compared,
        name,
        lang,
        previous_label=previous,
        current_label=current,
        decimals=year.decimals,
    )
    return present.figure(fig, alt)


def _regions_chart(year: Year, lang: Lang) -> str:
    if not year.has_regions:
        return ""
    provinces = year.units(year.params.main_type)
    name = name_of(year, lang)
    regions = {code: year.regions.name(code, lang.code) for code in year.regions.names_vi}
    overall = lang.number(analysis.metric_value("mean", provinces, decimals=year.decimals), year.decimals)
    mean_label = nouns.sentence(
        year.params, year.params.main_type, lang, "yearly.chart.national_mean", value=overall
    )
    fig = charts.regional_means(
        provinces,
        regions,
        lang.t("yearly.chart.regions.title", name=name),
        source_line(year, lang),
        lang,
        score_label=lang.t("yearly.chart.mean_axis", label=_label(year, lang)),
        decimals=year.decimals,
        mean_label=mean_label,
        region_label=nouns.sentence(year.params, year.params.main_type, lang, "yearly.chart.region_axis"),
    )
    alt = charts.alt_text(
        "regional_means",
        provinces,
        name,
        lang,
        regions=regions,
        decimals=year.decimals,
        mean_label=mean_label,
    )
    return present.figure(fig, alt)


def _secondary_chart(year: Year, lang: Lang, unit_type: str) -> str:
    ministries = year.units(unit_type)
    if ministries.empty:
        return ""
    shown = ministries.assign(name=names(ministries, unit_type, lang, year.params))
    name = name_of(year, lang)
    fig = charts.ministries_ranked(
        shown,
        year.bands,
        year.mean(ministries),
        nouns.sentence(year.params, unit_type, lang, "yearly.chart.units.title", name=name),
        source_line(year, lang),
        lang,
        score_label=_label(year, lang),
        decimals=year.decimals,
    )
    alt = charts.alt_text("ministries_ranked", shown, name, lang, decimals=year.decimals)
    return present.figure(fig, alt)


def _companion_chart(year: Year, lang: Lang) -> str:
    if year.companion is None:
        return ""
    provinces = year.units(year.params.main_type)
    name = name_of(year, lang)
    companion_name = year.params.companion.name
    fig = charts.companion_vs_index(
        provinces,
        year.companion,
        lang.t("yearly.chart.companion.title", companion=companion_name, name=name),
        source_line(year, lang),
        lang,
        index_label=_label(year, lang),
        companion_label=charts.with_unit(
            companion_name, year.params.unit_label(lang.code, companion=True), lang
        ),
    )
    alt = charts.alt_text(
        "companion_vs_index",
        provinces,
        name,
        lang,
        companion=year.companion,
        companion_name=companion_name,
        decimals=year.decimals,
    )
    return present.figure(fig, alt)


_CHARTS = {
    "ranked": _ranked_chart,
    "distribution": _distribution_chart,
    "change": _change_chart,
    "regions": _regions_chart,
    "companion": _companion_chart,
}


def regions(year: Year) -> Localized:
    """Mean, median, spread, best and worst per region, with the published regional means beside.

    Empty when the main units have no regions.
    """
    return present.each(year.languages, lambda lang: _regions(year, lang))


def _regions(year: Year, lang: Lang) -> str:
    if not year.has_regions:
        return ""
    provinces = year.units(year.params.main_type)
    provinces = provinces.assign(name=names(provinces, year.params.main_type, lang, year.params))
    stats = analysis.describe(provinces, by="region", order=list(year.regions.names_vi))
    published = published_of(year, year.params.index.slug, year.params.main_type)
    d = year.decimals
    rows = []
    for _, row in stats.iterrows():
        members = provinces[provinces.region == row.region]
        metric = published[published.metric == f"mean_region_{row.region}"]
        rows.append(
            {
                "region": year.regions.name(row.region, lang.code),
                "n": row["count"],
                "mean": analysis.round_half_up(row["mean"], d) if row["count"] else None,
                "published": metric.value.iloc[0] if not metric.empty else None,
                "best": members.iloc[0]["name"] if not members.empty else "",
                "worst": members.iloc[-1]["name"] if not members.empty else "",
            }
        )
    frame = pd.DataFrame(rows)
    columns = [
        Column("region", lang.t("common.column.region")),
        Column("n", _count_header(year, lang), lang.integer, numeric=True),
        Column("mean", lang.t("yearly.column.mean"), lambda v: lang.number(v, d), True, True),
        Column("published", lang.t("yearly.column.published_mean"), lambda v: lang.number(v, d), True),
        Column("best", lang.t("yearly.column.highest")),
        Column("worst", lang.t("yearly.column.lowest")),
    ]
    simulated = pd.Series(
        [(provinces[provinces.region == r].provenance == "simulated").any() for r in stats.region],
        index=frame.index,
    )
    top = frame["mean"].max()
    best = list(frame.loc[frame["mean"] == top, "region"])
    unit = year.params.unit_label(lang.code)
    mean = lang.score(top, d, unit)
    key = "yearly.regions.highest"
    text = nouns.sentence(
        year.params, year.params.main_type, lang, key, len(best), regions=lang.join(best), mean=mean
    )
    caption = lang.t(
        "yearly.regions.caption",
        name=name_of(year, lang),
        nouns=nouns.noun(year.params, year.params.main_type, lang),
    )
    if frame["published"].isna().all():
        columns = [column for column in columns if column.key != "published"]
    return present.paragraphs(text) + present.table(frame, columns, caption, simulated, lang=lang)


def _regional_published(year: Year) -> bool:
    """Whether a mean of a region of the main units is published for the year."""
    published = published_of(year, year.params.index.slug, year.params.main_type)
    return published["metric"].str.startswith("mean_region_").any()


def _count_header(year: Year, lang: Lang) -> str:
    """The heading of a count of main units: "Số tỉnh, thành phố" for provinces, else the column's noun."""
    main = year.params.main_type
    if main not in year.params.unit_types and lang.has(f"yearly.column.{main}_count"):
        return lang.t(f"yearly.column.{main}_count")
    return lang.t("common.column.units")


def secondary(year: Year) -> Localized:
    """One section per unit type after the main one (ministries): heading, chart, sentences and ranking.

    Returns:
        The sections in every language; empty when the year has no units of another type.
    """
    return present.each(year.languages, lambda lang: _secondary(year, lang))


def _secondary(year: Year, lang: Lang) -> str:
    parts = []
    for unit_type in year.params.secondary_types:
        if year.units(unit_type).empty:
            continue
        params = year.params
        values = {"name": name_of(year, lang), "year": params.year}
        title = nouns.sentence(params, unit_type, lang, "yearly.section.units.title", **values)
        intro = nouns.sentence(params, unit_type, lang, "yearly.section.units.intro", **values)
        parts += [
            present.heading(charts.capitalised(title)),
            present.paragraphs(intro),
            _secondary_chart(year, lang, unit_type),
            present.paragraphs(*headline(year, lang, unit_type)),
            _ranking(year, lang, unit_type),
        ]
    return "".join(parts)


def companion(year: Year) -> Localized:
    """The companion index (SIPAS): sentences and its ranking; empty without one (see `section`)."""
    return present.each(year.languages, lambda lang: _companion(year, lang))


def _companion(year: Year, lang: Lang) -> str:
    frame = year.companion
    if frame is None:
        return ""
    name = year.params.companion.name
    d = year.decimals
    unit = year.params.unit_label(lang.code, companion=True)
    mean = analysis.round_half_up(frame.score.mean(), d)
    summary = lang.t(
        "yearly.companion.summary",
        companion=name,
        year=year.params.year,
        title=year.params.text(year.params.companion.title, lang.code),
        units=plural_of(len(frame), year.params.main_type, lang, year.params),
        mean=lang.score(mean, d, unit),
    )
    provinces = year.units(year.params.main_type).set_index("code")
    joined = frame.join(provinces[["score", "computed_rank"]], on="code", rsuffix="_index")
    correlation = joined.score.corr(joined.score_index)
    correlation_text = lang.t(
        "yearly.companion.correlation",
        companion=name,
        index=year.params.index.name,
        r=lang.number(correlation, 2),
    )
    columns = [
        Column("computed_rank", lang.t("common.column.rank"), lang.integer, numeric=True),
        Column("name", nouns.column(year.params, year.params.main_type, lang), css="nowrap"),
        Column("score", charts.with_unit(name, unit, lang), lambda v: lang.number(v, d), True, True),
        Column(
            "computed_rank_index",
            lang.t("yearly.companion.index_rank", index=year.params.index.name),
            lambda v: MISSING if pd.isna(v) else lang.integer(v),
            numeric=True,
        ),
    ]
    caption = lang.t("yearly.companion.caption", companion=name, year=year.params.year)
    table = present.table(joined, columns, caption, joined.provenance.eq("simulated"), lang=lang)
    first_last = ends(frame, frame["name"], d, unit, lang)
    return present.paragraphs(f"{summary} {first_last}", correlation_text) + table


def methodology(year: Year) -> Localized:
    """Bands, tie rule and what the demonstration data is."""
    return present.each(year.languages, lambda lang: _methodology(year, lang))


def _methodology(year: Year, lang: Lang) -> str:
    rule = band_rule(year.bands, lang, year.params.unit_label(lang.code))
    inferred = year.params.bands_basis == "inferred"
    texts = [
        lang.t(
            "yearly.method.bands.inferred" if inferred else "yearly.method.bands",
            year=year.params.year,
            rule=rule,
        ),
        ranks_rule(year.params.ranking.ties, year.decimals, lang, "yearly.method.ranks"),
        lang.t("yearly.method.changes"),
    ]
    if year.demonstration:
        alone = reconciliation_rows(year).empty
        texts.append(lang.t("yearly.method.demonstration_alone" if alone else "yearly.method.demonstration"))
    return present.paragraphs(*texts)


def provenance_rows(year: Year) -> pd.DataFrame:
    """Every file the report read (inputs, params), with its SHA-256."""
    root = year.params.root
    files = [(source.path, source.sha256, source.rows) for source in year.data.sources]
    files.append((Path(year.params.file), sha256_of(year.params.file), None))
    if year.previous is not None:
        files += [(source.path, source.sha256, source.rows) for source in year.previous.sources]
    return pd.DataFrame(
        {
            "file": [
                str(Path(p).resolve().relative_to(root)) if Path(p).resolve().is_relative_to(root) else str(p)
                for p, _, _ in files
            ],
            "sha256": [h for _, h, _ in files],
            "rows": [r for _, _, r in files],
        }
    )


def provenance(year: Year) -> Localized:
    """Input files with SHA-256, params, package versions and build time."""
    rows = provenance_rows(year)
    built = datetime.datetime.strptime(build_time(), _BUILT)
    return present.each(year.languages, lambda lang: _provenance(year, rows, built, lang))


def _provenance(year: Year, rows: pd.DataFrame, built: datetime.datetime, lang: Lang) -> str:
    columns = [
        Column("file", lang.t("yearly.column.file")),
        Column(
            "rows",
            lang.t("yearly.column.rows"),
            lambda v: MISSING if v is None or pd.isna(v) else lang.integer(v),
            True,
        ),
        Column("sha256", lang.t("yearly.column.sha256"), css="hash"),
    ]
    software = lang.join([f"{name} {version}" for name, version in versions().items()])
    counts = year.data.scores.provenance.value_counts()
    texts = [
        lang.t(
            "yearly.provenance.built",
            date=lang.date(built.date()),
            time=built.strftime("%H:%M"),
            versions=software,
        ),
        lang.t(
            "yearly.provenance.values",
            total=lang.integer(len(year.data.scores)),
            index=year.params.index.name,
            published=lang.integer(counts.get("published", 0)),
            simulated=lang.integer(counts.get("simulated", 0)),
        ),
    ]
    caption = lang.t("yearly.provenance.caption")
    return present.paragraphs(" ".join(texts)) + present.table(rows, columns, caption, lang=lang)
