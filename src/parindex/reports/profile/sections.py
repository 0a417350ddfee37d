"""Sections of the province profile, each the output a notebook cell displays, in every language."""

from __future__ import annotations

import html
import re

import pandas as pd

from parindex.data.units import load_unit_set
from parindex.i18n import Lang
from parindex.reports import nouns, present
from parindex.reports.present import Column, Localized
from parindex.reports.profile import areas, charts
from parindex.reports.profile.history import difference
from parindex.reports.profile.text import (
    band_rules,
    companion_sentences,
    component_sentences,
    neighbour_sentence,
    peer_group_name,
    peer_position,
    peer_sentences,
    sentences,
    words,
    years_with,
)
from parindex.reports.profile.unit import Profile
from parindex.reports.style import band_name, ranks_rule
from parindex.reports.yearly.charts import with_unit

_PROFILE_STYLE = """<style>
.parindex-profile h1 { font-size: 18pt; margin: 0 0 .2em; }
.jp-RenderedHTMLCommon .parindex-profile h2 { font-size: 12.5pt; margin: .4em 0 0; }
.jp-RenderedHTMLCommon .parindex-profile p, .parindex-profile p { margin: .3em 0; }
.parindex-profile .parindex-banner { margin: .4em 0; padding: .3em .8em; }
.parindex-profile table.parindex-table { margin: .2em 0; }
.parindex-profile table.parindex-table caption { padding: .1em 0; }
.parindex-profile table.parindex-table th, .parindex-profile table.parindex-table td { padding: 1px 7px;
  line-height: 1.25; }
.parindex-profile .parindex-subtitle { color: #444; margin-top: 0; }
.parindex-profile .parindex-byline { color: #444; margin: 0; }
.parindex-profile .parindex-key { gap: .4em; }
.parindex-profile .parindex-key div { min-width: 0; flex: 1 1 0; padding: .25em .6em; font-size: 8.5pt; }
.parindex-profile .parindex-key b { font-size: 12pt; }
.parindex-profile table.parindex-table th, .parindex-profile table.parindex-table td { text-align: left; }
.parindex-profile table.parindex-table th.num, .parindex-profile table.parindex-table td.num {
  text-align: right; }
.parindex-profile table.parindex-table tr.parindex-self td { font-weight: bold; background: #f2f2f2; }
.parindex-profile .parindex-figure { margin: .3em 0; }
.parindex-profile .parindex-peers { display: flex; gap: 1.2em; align-items: flex-start; }
.parindex-profile .parindex-peers .parindex-figure { flex: 0 0 43%; margin: 0; }
.parindex-profile .parindex-peers .parindex-figure img { width: 100%; }
.parindex-profile .parindex-peers > div { flex: 1 1 0; min-width: 0; }
.parindex-profile .parindex-peers table.parindex-table { width: 100%; margin: 0; font-size: 8.5pt; }
.parindex-profile .parindex-areas table.parindex-table { width: 100%; font-size: 8pt; }
.parindex-profile .parindex-areas th { vertical-align: bottom; }
.parindex-profile .parindex-areas table.parindex-table { table-layout: auto; }
.parindex-profile .parindex-areas th.num { width: 5.2em; }
.parindex-profile .parindex-areas td.num { white-space: nowrap; }
@media print {
  .jp-Notebook .jp-Cell.jp-Notebook-cell { padding-top: 0; padding-bottom: 0; }
  .jp-Cell:has(.parindex-profile > h2) { break-after: avoid-page; }
  .parindex-profile .parindex-note p { margin: .1em 0; }
}
</style>"""


def _show(*parts: str) -> str:
    """A profile section: its parts inside the block the profile's style applies to."""
    return '<div class="parindex-profile">' + "".join(parts) + "</div>"


def _score_header(p: Profile, lang: Lang) -> str:
    """The heading of a score column with the index's unit: "Điểm (%)", "Score (points)", "Score"."""
    return lang.t("profile.column.score", unit=with_unit("", p.unit_label(lang.code), lang))


def _each(p: Profile, render) -> Localized:
    """A section written once in each of the profile's languages."""
    return present.each(p.languages, lambda lang: _show(render(p, lang)))


def title(p: Profile) -> Localized:
    """The profile's heading, byline, style, and the demonstration banner when values are simulated."""
    return present.each(p.languages, lambda lang: present.STYLE + _PROFILE_STYLE + _show(_title(p, lang)))


def _title(p: Profile, lang: Lang) -> str:
    params = p.params
    row = p.row
    main = params.main_type
    if main in params.unit_types or not lang.has(f"profile.kind.{main}"):
        kind = nouns.noun(params, main, lang, plural=False)
    else:
        kind = lang.t("profile.kind.city" if p.code in _cities(p) else f"profile.kind.{main}")
    subtitle = words(
        p,
        lang,
        "profile.subtitle",
        title=params.text(params.index.title, lang.code),
        kind=kind,
        code=p.code,
        region=p.region_in(lang),
        rank=lang.integer(row["rank"]),
        count=lang.integer(row["n_units"]),
        year=p.year,
    )
    parts = [present.heading(p.title(lang), 1), f'<p class="parindex-subtitle">{html.escape(subtitle)}</p>']
    author = params.text(params.author, lang.code) if params.author else ""
    if author:
        byline = lang.t("common.byline", organisation=author)
        parts.append(f'<p class="parindex-byline">{html.escape(byline)}</p>')
    if p.demonstration:
        parts.append(present.banner(lang.t("profile.demonstration_banner")))
    return "".join(parts)


def _cities(p: Profile) -> set[str]:
    """Codes of the centrally-run cities, from the kind column of the main units' register."""
    params = p.params
    units = load_unit_set(params.path(params.units_dir), params.units[params.main_type], params.main_type)
    return {unit.code for unit in units.units if unit.kind == "city"}


def section(p: Profile, key: str) -> Localized:
    """A section's heading (a PDF bookmark), from the catalog key profile.section.<key>.title.

    Args:
        p: The profile.
        key: The section: "history", "neighbours", "components", "sipas" or "notes".

    Returns:
        The heading in every language; empty for "sipas" when no loaded year has a companion index, and for
        "components" when the year has none (see `components`).
    """
    companion = p.params.companion
    if (key == "sipas" and companion is None and p.companion_timeline.empty) or (
        key == "components" and _no_components(p)
    ):
        return present.each(p.languages, lambda lang: "")

    def render(lang: Lang) -> str:
        values = {
            "name": companion.name if companion else "",
            "title": p.params.text(companion.title, lang.code) if companion else "",
        }
        return _show(present.heading(lang.t(f"profile.section.{key}.title", **values)))

    return present.each(p.languages, render)


def overview(p: Profile) -> Localized:
    """Key figures in boxes and the profile's sentences."""
    return _each(p, _overview)


def _overview(p: Profile, lang: Lang) -> str:
    row, d, u = p.row, p.decimals, p.unit_label(lang.code)
    boxes = [
        (lang.t("profile.box.score"), lang.score(row["score"], d, u)),
        (
            lang.t("profile.box.rank"),
            lang.t(
                "profile.box.rank_value", rank=lang.integer(row["rank"]), count=lang.integer(row["n_units"])
            ),
        ),
        (lang.t("profile.box.band"), band_name(str(row["band"]), p.params.bands, lang)),
        (
            words(p, lang, "profile.box.vs_national"),
            lang.number(difference(row["score"], row["national_mean"], d), d, signed=True),
        ),
        (
            lang.t("profile.box.vs_region"),
            lang.number(difference(row["score"], row["region_mean"], d), d, signed=True),
        ),
    ]
    return present.key_figures(boxes) + present.paragraphs(*sentences(p, lang))


def source(p: Profile, lang: Lang) -> str:
    """The source line of the profile's chart: publisher and source note in the language."""
    params = p.params
    publisher = params.text(params.index.publisher, lang.code) if params.index.publisher else ""
    note = params.text(params.source_note, lang.code) if params.source_note else ""
    return " ".join(
        part for part in (lang.t("common.source", source=publisher) + "." if publisher else "", note) if part
    )


def chart(p: Profile) -> Localized:
    """The province's score against the national and regional means, and its rank, in every year."""
    return _each(p, _chart)


def _chart(p: Profile, lang: Lang) -> str:
    timeline = p.timeline
    index = p.params.index
    fig = charts.profile_history(
        timeline,
        lang.t(
            "profile.chart.title",
            name=p.name,
            index=index.name,
            first=int(timeline["year"].min()),
            last=int(timeline["year"].max()),
        ),
        source(p, lang),
        lang=lang,
        unit_label=p.name,
        region_label=words(p, lang, "profile.chart.region_mean", region=p.region_in(lang, short=True)),
        current_year=p.year,
        mean_label=nouns.sentence(p.params, p.params.main_type, lang, "common.stat.national_mean"),
        score_label=lang.t(
            "profile.chart.score_axis", index=index.name, unit=with_unit("", p.unit_label(lang.code), lang)
        ),
        decimals=p.decimals,
    )
    return present.figure(fig, alt_text(p, lang))


def alt_text(p: Profile, lang: Lang) -> str:
    """The history chart in words, with its figures."""
    timeline, d = p.timeline, p.decimals
    first, last = timeline.iloc[0], timeline.iloc[-1]
    best = int(timeline["rank"].min())
    return words(
        p,
        lang,
        "profile.chart.alt",
        len(timeline),
        name=p.name,
        index=p.params.index.name,
        first_score=lang.number(first["score"], d),
        first_year=int(first["year"]),
        last_score=lang.number(last["score"], d),
        last_year=int(last["year"]),
        first_rank=lang.integer(first["rank"]),
        last_rank=lang.integer(last["rank"]),
        best=lang.integer(best),
        best_years=years_with(timeline, "rank", best, lang),
    )


def _integer(lang: Lang):
    return lambda v: lang.integer(v)


def _number(lang: Lang, d: int, signed: bool = False):
    return lambda v: lang.number(v, d, signed)


def history_table(p: Profile) -> Localized:
    """Score, rank and band in every year, against the national and regional means; the bands of each year."""
    return _each(p, _history_table)


def _history_table(p: Profile, lang: Lang) -> str:
    d = p.decimals
    frame = p.timeline.assign(
        against=[
            difference(s, m, d) for s, m in zip(p.timeline["score"], p.timeline["national_mean"], strict=True)
        ]
    )
    frame["band"] = [
        band_name(str(b), p.history.params(int(y)).bands, lang)
        for y, b in zip(frame["year"], frame["band"], strict=True)
    ]
    columns = [
        Column("year", lang.t("common.column.year")),
        Column("score", _score_header(p, lang), _number(lang, d), True, True),
        Column("rank", lang.t("common.column.rank"), _integer(lang), True, True),
        Column("n_units", lang.t("profile.column.of"), _integer(lang), True),
        Column("band", lang.t("common.column.band"), marks_simulated=True),
        Column("national_mean", words(p, lang, "profile.column.national_mean"), _number(lang, d), True),
        Column("against", words(p, lang, "profile.column.vs_national"), _number(lang, d, True), True),
        Column(
            "region_mean",
            lang.t("profile.column.region_mean", region=p.region_in(lang, short=True)),
            _number(lang, d),
            True,
        ),
        Column("region_rank", lang.t("profile.column.region_rank"), _integer(lang), True),
    ]
    bands = {int(y): p.history.params(int(y)).bands for y in frame["year"]}
    inferred = any(p.history.params(y).bands_basis == "inferred" for y in bands)
    key = "profile.table.history_note.own" if inferred else "profile.table.history_note"
    note = words(p, lang, key, rules=band_rules(bands, lang, p.params.index.scale.min))
    caption = lang.t("profile.table.history", name=p.name, index=p.params.index.name)
    return present.table(frame, columns, caption, frame["provenance"].eq("simulated"), lang=lang) + (
        f'<p class="parindex-note">{html.escape(note)}</p>'
    )


def neighbours_section(p: Profile) -> Localized:
    """The two provinces ranked just above and the two just below, with scores and the gap to this one."""
    return _each(p, _neighbours)


def _neighbours(p: Profile, lang: Lang) -> str:
    d = p.decimals
    rows = p.neighbours.assign(difference=lambda f: f["difference"].where(~f["is_unit"], None))
    regions = p.history.regions
    columns = [
        Column("rank", lang.t("common.column.rank"), _integer(lang), True),
        Column("name", nouns.column(p.params, p.params.main_type, lang), css="nowrap"),
        Column("score", _score_header(p, lang), _number(lang, d), True, True),
        Column("difference", lang.t("profile.column.ahead", name=p.name), _number(lang, d, True), True),
        Column(
            "region",
            lang.t("common.column.region"),
            lambda v: regions.name(v, lang.code, short=True),
            css="nowrap",
        ),
    ]
    caption = lang.t("profile.table.neighbours", year=p.year, name=p.name)
    table = present.table(rows, columns, caption, rows["provenance"].eq("simulated"), lang=lang)
    table = _mark_row(table, int(rows.index[rows["is_unit"]][0]))
    return present.paragraphs(neighbour_sentence(p, lang)) + table


def peers_heading(p: Profile) -> Localized:
    """The peers section's heading (a PDF bookmark)."""
    return present.each(p.languages, lambda lang: _show(present.heading(lang.t("profile.peers.title"))))


def peers_section(p: Profile) -> Localized:
    """The province in its peer group: ranks in the group and nationally, the mean, a chart and a table."""
    return _each(p, _peers)


def _peers(p: Profile, lang: Lang) -> str:
    texts = present.paragraphs(" ".join(peer_sentences(p, lang)))
    if len(p.peer_group) == 1:
        return texts
    chart, table = _peer_chart(p, lang), _peer_table(p, lang)
    return texts + f'<div class="parindex-peers">{chart}<div>{table}</div></div>'


def _peer_table(p: Profile, lang: Lang) -> str:
    """The peers in rank order: rank in the group, national rank, score and change; the province marked."""
    d, rows = p.decimals, p.peer_group
    region = p.peer_kind == "region"
    group_rank = lang.t("profile.column.region_rank" if region else "profile.peers.column.group_rank")
    columns = [
        Column("peer_rank", group_rank, _integer(lang), True),
        Column("short_name", nouns.column(p.params, p.params.main_type, lang), css="nowrap"),
        Column("rank", words(p, lang, "profile.peers.column.national_rank"), _integer(lang), True, True),
        Column("score", _score_header(p, lang), _number(lang, d), True, True),
    ]
    if rows["change"].notna().any():
        previous = p.params.comparison_year or p.year - 1
        heading = lang.t("profile.peers.column.change", year=previous)
        columns.append(Column("change", heading, _number(lang, d, True), True, True))
    if region:
        caption = words(
            p, lang, "profile.peers.table.region", year=p.year, region=p.region_in(lang, short=True)
        )
    else:
        caption = lang.t("profile.peers.table.list", year=p.year, name=p.name)
    table = present.table(rows, columns, caption, rows["provenance"].eq("simulated"), lang=lang)
    return _mark_row(table, int(rows.index[rows["is_unit"]][0]))


def _peer_chart(p: Profile, lang: Lang) -> str:
    """The peers' scores as dots, the province highlighted, with the group's mean."""
    d, u = p.decimals, p.unit_label(lang.code)
    mean = lang.score(p.peer_mean, d, u)
    group = peer_group_name(p, lang)
    index = p.params.index.name
    fig = charts.peer_scores(
        p.peer_group,
        lang.t("profile.peers.chart.title", index=index, year=p.year, group=group),
        source(p, lang),
        lang=lang,
        mean=p.peer_mean,
        mean_label=lang.t("profile.peers.chart.mean", mean=mean),
        decimals=d,
    )
    alt = words(
        p,
        lang,
        "profile.peers.chart.alt",
        len(p.peer_group),
        index=index,
        year=p.year,
        group=group,
        name=p.name,
        score=lang.score(p.row["score"], d, u),
        peer_position=peer_position(p, lang),
        mean=mean,
    )
    return present.figure(fig, alt)


def _mark_row(table: str, position: int) -> str:
    """Gives one row (0-based) of a `present.table` the class parindex-self (bold, shaded)."""
    head, body = table.split("<tbody>", 1)
    pieces = body.split("<tr>")
    pieces[position + 1] = '<tr class="parindex-self">' + pieces[position + 1]
    joined = "".join(
        piece if i == 0 or i == position + 1 else "<tr>" + piece for i, piece in enumerate(pieces)
    )
    return head + "<tbody>" + joined


def component_name(label: str, lang: Lang) -> str:
    """A published part's name in the language, from profile.component.<label as a key>; else as published."""
    key = "profile.component." + re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    try:
        return lang.t(key)
    except KeyError:
        return label


def _no_components(p: Profile) -> bool:
    """Whether the index has no parts of the score to show: none in params nor in published facts."""
    published = p.history.components
    own = published[published["index"] == p.params.index.slug] if "index" in published else published
    return p.areas.empty and p.components.empty and not p.params.components and own.empty


def components(p: Profile) -> Localized:
    """The published parts of the province's score in the profile year, or plainly that none exist.

    Empty when the year's params define no components and no published facts give any part of any unit.
    """
    if _no_components(p):
        return present.each(p.languages, lambda lang: "")
    return _each(p, _components)


def _components(p: Profile, lang: Lang) -> str:
    if not p.areas.empty:
        return _areas(p, lang)
    rows = p.components
    texts = present.paragraphs(" ".join(component_sentences(p, lang)))
    if rows.empty:
        return texts
    d = p.decimals
    columns = [
        Column("label", lang.t("profile.column.part"), lambda v: component_name(v, lang)),
        Column("score", lang.t("profile.column.points"), _number(lang, d), True, True),
    ]
    if pd.to_numeric(rows["max_score"], errors="coerce").notna().any():
        columns.append(Column("max_score", lang.t("profile.column.max"), lambda v: v or "–", True))
    if (rows["note"].astype(str) != "").any():
        columns.append(Column("note", lang.t("profile.column.note")))
    sources = ", ".join(dict.fromkeys(rows["source_url"]))
    total = {
        "label": lang.t("profile.table.components_total", index=p.params.index.name),
        "score": p.row["score"],
        "max_score": "",
        "note": "",
    }
    frame = pd.concat([rows, pd.DataFrame([total])], ignore_index=True)
    simulated = pd.Series([False] * len(rows) + [p.row["provenance"] == "simulated"], index=frame.index)
    caption = lang.t("profile.table.components", name=p.name, year=p.year)
    table = present.table(frame, columns, caption, simulated, lang=lang)
    note = lang.t("common.source", source=sources)
    return texts + _mark_row(table, len(frame) - 1) + f'<p class="parindex-note">{html.escape(note)}</p>'


def _area_names(p: Profile, lang: Lang) -> dict[str, str]:
    """Each component index's name in the language, by code."""
    return {c.code: p.params.text(c.name, lang.code) or str(c.name) for c in p.area_components}


def _areas(p: Profile, lang: Lang) -> str:
    """The province's component indices against the means, ranked by the points lost, with sentences."""
    frame, d, comps = p.areas, p.decimals, p.area_components
    names = _area_names(p, lang)
    how = areas.basis(comps)
    separate = p.peer_kind != "region"
    region = p.region_in(lang)
    texts = [
        areas.loss_sentence(frame, how, names, p.name, d, lang),
        areas.means_sentence(frame, p.name, region, separate, lang),
    ]
    if not p.components.empty:
        texts += component_sentences(p, lang)
    number = _number(lang, d)
    a = "profile.components.areas."
    shorts = {c.code: p.params.text(c.short, lang.code) or names[c.code] for c in comps}
    columns = [
        Column("rank", lang.t(a + "col.rank"), _integer(lang), True),
        Column("component", lang.t(a + "col.area"), lambda v: shorts[v]),
        Column("score", lang.t(a + "col.points"), number, True, True),
        Column("national", lang.t(a + "col.national"), number, True),
        Column("region", lang.t(a + "col.region", region=p.region_in(lang, short=True)), number, True),
    ]
    if frame["max"].notna().any():
        maximum = Column(
            "max", lang.t(a + "col.max"), lambda v: "–" if pd.isna(v) else lang.number(v, d), True
        )
        columns.insert(3, maximum)
    if separate:
        columns.append(Column("peers", lang.t(a + "col.peers"), number, True))
    if how == "max":
        columns.append(Column("lost", lang.t(a + "col.lost"), number, True, True))
    else:
        columns.append(
            Column("vs_national", lang.t(a + "col.vs_national"), _number(lang, d, True), True, True)
        )
    caption = lang.t(a + "caption", name=p.name, year=p.year, order=areas.basis_text(comps, lang))
    table = present.table(frame, columns, caption, frame["provenance"].eq("simulated"), lang=lang)
    return present.paragraphs(" ".join(texts)) + f'<div class="parindex-areas">{table}</div>'


def sipas(p: Profile) -> Localized:
    """The companion index (SIPAS): score and rank every year against its national mean; empty without one."""
    if p.params.companion is None and p.companion_timeline.empty:
        return present.each(p.languages, lambda lang: "")
    return _each(p, _sipas)


def _sipas(p: Profile, lang: Lang) -> str:
    frame = p.companion_timeline
    texts = present.paragraphs(" ".join(companion_sentences(p, lang)))
    if frame.empty:
        return texts
    d = p.decimals
    name = str(frame["index"].iloc[-1])
    frame = frame.assign(
        against=[difference(s, m, d) for s, m in zip(frame["score"], frame["national_mean"], strict=True)]
    )
    columns = [
        Column("year", lang.t("common.column.year")),
        Column(
            "score",
            lang.t(
                "profile.column.companion",
                index=name,
                unit=with_unit("", p.params.unit_label(lang.code, True), lang),
            ),
            _number(lang, d),
            True,
            True,
        ),
        Column("rank", lang.t("common.column.rank"), _integer(lang), True, True),
        Column("n_units", lang.t("profile.column.of"), _integer(lang), True),
        Column("national_mean", words(p, lang, "profile.column.national_mean"), _number(lang, d), True),
        Column("against", words(p, lang, "profile.column.vs_national"), _number(lang, d, True), True),
    ]
    caption = lang.t("profile.table.companion", name=p.name, index=name)
    return texts + present.table(frame, columns, caption, frame["provenance"].eq("simulated"), lang=lang)


def notes(p: Profile) -> Localized:
    """How ranks, means and differences are computed, and what the demonstration data is."""
    return _each(p, _notes)


def _notes(p: Profile, lang: Lang) -> str:
    texts = [ranks_rule(p.params.ranking.ties, p.decimals, lang, "profile.notes.ranks")]
    inferred = [y for y in p.history.year_numbers if p.history.params(y).bands_basis == "inferred"]
    if inferred:
        texts.append(lang.t("profile.notes.bands_inferred", years=lang.join([str(y) for y in inferred])))
    if p.demonstration:
        alone = not any(p.history.params(y).published for y in p.history.year_numbers)
        texts.append(lang.t("profile.notes.demonstration_alone" if alone else "profile.notes.demonstration"))
    return f'<div class="parindex-note parindex-endnote">{present.paragraphs(" ".join(texts))}</div>'
