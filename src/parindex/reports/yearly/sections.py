"""Sections of the yearly report, each the HTML a notebook cell displays."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from parindex import analysis
from parindex.i18n import Lang
from parindex.reports import present
from parindex.reports.present import Column, Localized, number
from parindex.reports.provenance import build_time, sha256_of, versions
from parindex.reports.yearly import charts
from parindex.reports.yearly.reconcile import published_of
from parindex.reports.yearly.text import band_comparison, band_rule, headline, plural_of, rank_move
from parindex.reports.yearly.year import Year


def title(year: Year) -> Localized:
    """The report's heading, its byline, its style, and the demonstration banner when values are simulated."""
    return present.each(year.languages, lambda lang: _title(year, lang))


def _title(year: Year, lang: Lang) -> str:
    params = year.params
    full = params.text(params.index.title, lang.code)
    parts = [
        present.STYLE,
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

    Args:
        year: The year.
        key: The section, e.g. "key_figures", "ranking", "regions".

    Returns:
        The heading (a PDF bookmark) and, where the catalog has one, the introduction.
    """

    def render(lang: Lang) -> str:
        values = {
            "year": year.params.year,
            "previous": year.params.comparison_year or "",
            "units": lang.t("common.unit.province_noun"),
        }
        parts = [present.heading(lang.t(f"yearly.section.{key}.title", **values))]
        intro = lang.t(f"yearly.section.{key}.intro", **values)
        return "".join(parts + ([present.paragraphs(intro)] if intro.strip() else []))

    return present.each(year.languages, render)


def key_figures(year: Year) -> Localized:
    """Key figures in boxes and in sentences."""
    return present.each(year.languages, lambda lang: _key_figures(year, lang))


def _key_figures(year: Year, lang: Lang) -> str:
    units = year.units("province")
    d = year.decimals
    unit = year.params.index.unit_label
    counts = analysis.band_counts(units, year.bands)
    boxes = [
        (lang.t("yearly.box.units"), lang.integer(len(units))),
        (lang.t("yearly.box.mean"), lang.score(year.mean(units), d, unit)),
        (lang.t("yearly.box.highest"), lang.score(units.score.max(), d, unit)),
        (lang.t("yearly.box.lowest"), lang.score(units.score.min(), d, unit)),
    ] + [
        (lang.t("yearly.box.band", label=row.band), lang.integer(row["count"]))
        for _, row in counts.iterrows()
    ]
    parts = [present.key_figures(boxes), present.paragraphs(*headline(year, lang))]
    before = year.previous_units("province")
    if before is not None and not before.empty:
        parts.append(band_comparison(year, units, before, lang))
    return "".join(parts)


def ranking(year: Year, unit_type: str = "province") -> HTML:
    """Every unit ranked: rank, name, score, band, change in score and rank, region."""
    d = year.decimals
    units = year.units(unit_type)
    compared = year.compared(unit_type)
    frame = units.copy()
    if compared is not None:
        moves = compared.set_index("code")[["score_change", "rank_change"]]
        frame = frame.join(moves, on="code")
    columns = [
        Column("computed_rank", "Rank", numeric=True),
        Column(
            "name",
            "Province" if unit_type == "province" else "Ministry or agency",
            css="nowrap" if unit_type == "province" else "",
        ),
        Column("score", f"Score ({year.params.index.unit_label})", lambda v: number(v, d), True, True),
        Column("band", "Band"),
    ]
    if compared is not None:
        columns += [
            Column("score_change", "Change (points)", lambda v: number(v, d, signed=True), True, True),
            Column("rank_change", "Change (ranks)", lambda v: rank_move(v), True),
        ]
    if unit_type == "province":
        columns.append(
            Column("region", "Region", lambda code: year.regions.short_en.get(code, code), css="nowrap")
        )
    caption = f"{year.name}: all {plural_of(len(units), unit_type)} ranked"
    if compared is not None:
        caption += f"; changes on {year.params.comparison_year}"
    return present.show(present.table(frame, columns, caption, frame.provenance.eq("simulated")))


def _source(year: Year) -> str:
    publisher = year.params.index.publisher
    return " ".join(
        part for part in (f"Source: {publisher}." if publisher else "", year.params.source_note) if part
    )


def _label(year: Year) -> str:
    return f"{year.params.index.name} ({year.params.index.unit_label})"


def chart(year: Year, kind: str) -> HTML:
    """One of the report's charts, embedded with its alt text.

    Args:
        year: The year.
        kind: "ranked", "distribution", "change", "regions", "ministries" or "companion".

    Returns:
        The figure; an empty output when the year lacks what the chart needs.
    """
    name, source, label = year.name, _source(year), _label(year)
    provinces = year.units("province")
    if kind == "ranked":
        fig = charts.ranked_units(
            provinces,
            year.bands,
            year.mean(provinces),
            f"{name}: provinces ranked",
            source,
            score_label=label,
        )
        alt = charts.alt_text("ranked_units", provinces, name, decimals=year.decimals)
    elif kind == "distribution":
        fig = charts.distribution(
            provinces, year.bands, f"{name}: distribution of scores", source, score_label=label
        )
        alt = charts.alt_text("distribution", provinces, name, bands=year.bands, decimals=year.decimals)
    elif kind == "change":
        compared = year.compared("province")
        if compared is None:
            return present.show(
                present.paragraphs(
                    f"No comparison year with data is set for {year.params.year}: no change is shown."
                )
            )
        previous, current = str(year.params.comparison_year), str(year.params.year)
        fig = charts.change(
            compared,
            f"{name}: change on {previous}",
            source,
            previous_label=previous,
            current_label=current,
            score_label=label,
        )
        alt = charts.alt_text(
            "change", compared, name, previous_label=previous, current_label=current, decimals=year.decimals
        )
    elif kind == "regions":
        regions = year.regions.names_en
        fig = charts.regional_means(
            provinces, regions, f"{name}: mean by region", source, score_label=f"Mean {label}"
        )
        alt = charts.alt_text("regional_means", provinces, name, regions=regions, decimals=year.decimals)
    elif kind == "ministries":
        ministries = year.units("ministry")
        if ministries.empty:
            return HTML("")
        fig = charts.ministries_ranked(
            ministries,
            year.bands,
            year.mean(ministries),
            f"{name}: ministries ranked",
            source,
            score_label=label,
        )
        alt = charts.alt_text("ministries_ranked", ministries, name, decimals=year.decimals)
    elif kind == "companion":
        if year.companion is None:
            return HTML("")
        companion_name = year.params.companion.name
        fig = charts.companion_vs_index(
            provinces,
            year.companion,
            f"{companion_name} against {name}",
            source,
            index_label=label,
            companion_label=f"{companion_name} (%)",
        )
        alt = charts.alt_text(
            "companion_vs_index", provinces, name, companion=year.companion, companion_name=companion_name
        )
    else:
        raise ValueError(f"unknown chart '{kind}'")
    return present.show(present.figure(fig, alt))


def regions(year: Year) -> HTML:
    """Mean, median, spread, best and worst per region, with the published regional means beside."""
    provinces = year.units("province")
    order = list(year.regions.names_en)
    stats = analysis.describe(provinces, by="region", order=order)
    published = published_of(year, "par_index", "province")
    rows = []
    for _, row in stats.iterrows():
        members = provinces[provinces.region == row.region]
        metric = published[published.metric == f"mean_region_{row.region}"]
        rows.append(
            {
                "region": year.regions.names_en.get(row.region, row.region),
                "n": row["count"],
                "mean": row["mean"],
                "published": metric.value.iloc[0] if not metric.empty else None,
                "best": members.iloc[0]["name"] if not members.empty else "",
                "worst": members.iloc[-1]["name"] if not members.empty else "",
            }
        )
    frame = pd.DataFrame(rows)
    d = year.decimals
    columns = [
        Column("region", "Region"),
        Column("n", "Provinces", numeric=True),
        Column("mean", "Mean", lambda v: number(analysis.round_half_up(v, d), d), True, True),
        Column("published", "Published mean", lambda v: number(v, d), True),
        Column("best", "Highest"),
        Column("worst", "Lowest"),
    ]
    simulated = pd.Series(
        [(provinces[provinces.region == r].provenance == "simulated").any() for r in stats.region],
        index=frame.index,
    )
    best = frame.loc[frame["mean"].idxmax()]
    text = (
        f"{best.region} has the highest regional mean ({number(analysis.round_half_up(best['mean'], d), d)})."
    )
    return present.show(
        present.paragraphs(text),
        present.table(frame, columns, f"{year.name}: provinces by region", simulated),
    )


def ministries(year: Year) -> HTML:
    """Sentences and the ranking of ministries and ministerial-level agencies."""
    units = year.units("ministry")
    if units.empty:
        return HTML("<p>No ministries are ranked in this year's inputs.</p>")
    return present.show(present.paragraphs(*headline(year, "ministry")), ranking(year, "ministry").data)


def companion(year: Year) -> HTML:
    """The companion index (SIPAS): sentences and its ranking."""
    frame = year.companion
    if frame is None:
        return HTML("<p>No companion index is given for this year.</p>")
    name = year.params.companion.name
    d = year.decimals
    best, worst = frame.iloc[0], frame.iloc[-1]
    mean = analysis.round_half_up(frame.score.mean(), d)
    text = (
        f"{name} {year.params.year} ({year.params.companion.title}) covers "
        f"{plural_of(len(frame), 'province')}; "
        f"the mean is {number(mean, d)}%. {best['name']} ranks first with {number(best.score, d)}%, "
        f"{worst['name']} last with {number(worst.score, d)}%."
    )
    provinces = year.units("province").set_index("code")
    joined = frame.join(provinces[["score", "computed_rank"]], on="code", rsuffix="_index")
    correlation = joined.score.corr(joined.score_index)
    text2 = (
        f"The correlation between {name} and {year.params.index.name} across provinces is {correlation:.2f}."
    )
    columns = [
        Column("computed_rank", "Rank", numeric=True),
        Column("name", "Province"),
        Column("score", f"{name} (%)", lambda v: number(v, d), True, True),
        Column("computed_rank_index", f"{year.params.index.name} rank", numeric=True),
    ]
    table = present.table(
        joined, columns, f"{name} {year.params.year}: provinces ranked", joined.provenance.eq("simulated")
    )
    return present.show(present.paragraphs(text, text2), table)


def methodology(year: Year) -> HTML:
    """Bands, tie rule and what the demonstration data is."""
    unit = year.params.index.unit_label
    texts = [
        f"Bands of {year.params.year}, as published: {band_rule(year.bands, unit)}.",
        f"Ranks: 1 is best. No official rule for ties is published; this report uses competition ranking "
        f"(1, 2, 2, 4) on scores rounded to {year.decimals} decimals, and checks any rank given in the "
        "inputs "
        f"against it.",
        "Changes compare each unit with its own score and rank in the comparison year; a positive rank "
        "change "
        "means the unit moved up.",
    ]
    if year.demonstration:
        texts.append(
            "Demonstration data: no complete official table is open data, so values not read in a public "
            "source "
            "are simulated to keep every published figure of the year (see data/demo/README.md). They are "
            "marked † in tables and drawn hatched or hollow in charts."
        )
    return present.show(present.paragraphs(*texts))


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


def provenance(year: Year) -> HTML:
    """Input files with SHA-256, params, package versions and build time."""
    rows = provenance_rows(year)
    columns = [
        Column("file", "File"),
        Column("rows", "Rows", lambda v: "–" if v is None or pd.isna(v) else str(int(v)), True),
        Column("sha256", "SHA-256", css="hash"),
    ]
    version_text = ", ".join(f"{k} {v}" for k, v in versions().items())
    counts = year.data.scores.provenance.value_counts()
    text = (
        f"Built {build_time()} with {version_text}. "
        f"Of {len(year.data.scores)} {year.params.index.name} values, "
        f"{counts.get('published', 0)} are published and {counts.get('simulated', 0)} simulated."
    )
    return present.show(present.paragraphs(text), present.table(rows, columns, "Files read"))
