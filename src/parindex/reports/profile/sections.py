"""Sections of the province profile, each the HTML a notebook cell displays."""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML

from parindex.reports import present
from parindex.reports.present import Column, number
from parindex.reports.profile import charts
from parindex.reports.profile.history import difference
from parindex.reports.profile.text import (
    band_rules,
    companion_sentences,
    component_sentences,
    neighbour_sentence,
    sentences,
    years_with,
)
from parindex.reports.profile.unit import Profile

_PROFILE_STYLE = """<style>
.parindex-profile h1 { font-size: 18pt; margin: 0 0 .2em; }
.parindex-profile p { margin: .3em 0; }
.parindex-profile .parindex-banner { margin: .4em 0; padding: .3em .8em; }
.parindex-profile table.parindex-table { margin: .2em 0; }
.parindex-profile table.parindex-table caption { padding: .1em 0; }
.parindex-profile table.parindex-table th, .parindex-profile table.parindex-table td { padding: 1px 7px;
  line-height: 1.25; }
.parindex-profile .parindex-subtitle { color: #444; margin-top: 0; }
.parindex-profile .parindex-key { gap: .4em; }
.parindex-profile .parindex-key div { min-width: 0; flex: 1 1 0; padding: .25em .6em; font-size: 8.5pt; }
.parindex-profile .parindex-key b { font-size: 12pt; }
.parindex-profile table.parindex-table th, .parindex-profile table.parindex-table td { text-align: left; }
.parindex-profile table.parindex-table th.num, .parindex-profile table.parindex-table td.num {
  text-align: right; }
.parindex-profile table.parindex-table tr.parindex-self td { font-weight: bold; background: #f2f2f2; }
.parindex-profile .parindex-figure { margin: .3em 0; }
@media print {
  .jp-Notebook .jp-Cell.jp-Notebook-cell { padding-top: 0; padding-bottom: 0; }
  .jp-RenderedMarkdown h2 { font-size: 13pt; margin: .6em 0 .1em; }
  .jp-RenderedMarkdown p { margin: .2em 0; }
}
</style>"""


def _show(*parts: str) -> HTML:
    """A profile section: its parts inside the block the profile's style applies to."""
    return HTML('<div class="parindex-profile">' + "".join(parts) + "</div>")


def title(p: Profile) -> HTML:
    """The profile's heading, its style, and the demonstration banner when values are simulated."""
    params = p.params
    row = p.row
    kind = "centrally-run city" if p.code in _cities(p) else "province"
    parts = [
        present.STYLE,
        _PROFILE_STYLE,
        f"<h1>{html.escape(p.title)}</h1>",
        f'<p class="parindex-subtitle">{html.escape(params.index.title)}: profile of a {kind}, '
        f"code {html.escape(p.code)}, {html.escape(p.region_name)} region. Rank {int(row['rank'])} of "
        f"{int(row['n_units'])} in {p.year}.</p>",
    ]
    if p.demonstration:
        parts.append(
            present.banner(
                "Demonstration data: values marked † are simulated, not official results. Only values read "
                "in public sources are marked published."
            )
        )
    return _show(*parts)


def _cities(p: Profile) -> set[str]:
    """Codes of the centrally-run cities, from the unit register's kind column."""
    register = p.params.path(p.params.units_dir) / "provinces.csv"
    if not register.is_file():
        return set()
    table = pd.read_csv(register, dtype=str, keep_default_na=False)
    return set(table.loc[table.get("kind", pd.Series(dtype=str)) == "city", "code"])


def overview(p: Profile) -> HTML:
    """Key figures in boxes and the profile's sentences."""
    row, d, u = p.row, p.decimals, p.unit_label
    boxes = [
        ("Score", f"{number(row['score'], d)}{u}"),
        ("Rank", f"{int(row['rank'])} of {int(row['n_units'])}"),
        ("Band", str(row["band"])),
        ("vs national mean", number(difference(row["score"], row["national_mean"], d), d, signed=True)),
        ("vs regional mean", number(difference(row["score"], row["region_mean"], d), d, signed=True)),
    ]
    return _show(present.key_figures(boxes), present.paragraphs(*sentences(p)))


def _source(p: Profile) -> str:
    publisher = p.params.index.publisher
    return " ".join(
        part for part in (f"Source: {publisher}." if publisher else "", p.params.source_note) if part
    )


def chart(p: Profile) -> HTML:
    """The province's score against the national and regional means, and its rank, in every year."""
    timeline = p.timeline
    index = p.params.index
    region = p.history.regions.short_en.get(p.region, p.region_name)
    fig = charts.profile_history(
        timeline,
        f"{p.name}: {index.name} {int(timeline['year'].min())}–{int(timeline['year'].max())}",
        _source(p),
        unit_label=p.name,
        region_label=f"{region} mean",
        current_year=p.year,
        score_label=f"{index.name} ({index.unit_label})",
        decimals=p.decimals,
    )
    return _show(present.figure(fig, alt_text(p)))


def alt_text(p: Profile) -> str:
    """The history chart in words, with its figures."""
    timeline, d = p.timeline, p.decimals
    first, last = timeline.iloc[0], timeline.iloc[-1]
    best = int(timeline["rank"].min())
    return (
        f"Line chart of {p.name}'s {p.params.index.name} in {len(timeline)} years against the national and "
        f"regional means: {number(first['score'], d)} in {int(first['year'])}, {number(last['score'], d)} in "
        f"{int(last['year'])}; rank {int(first['rank'])} in {int(first['year'])}, {int(last['rank'])} in "
        f"{int(last['year'])}, best {best} ({years_with(timeline, 'rank', best)})."
    )


def history_table(p: Profile) -> HTML:
    """Score, rank and band in every year, against the national and regional means; the bands of each year."""
    d = p.decimals
    frame = p.timeline.assign(
        against=[
            difference(s, m, d) for s, m in zip(p.timeline["score"], p.timeline["national_mean"], strict=True)
        ]
    )
    region = p.history.regions.short_en.get(p.region, p.region_name)
    columns = [
        Column("year", "Year"),
        Column("score", f"Score ({p.unit_label})", lambda v: number(v, d), True, True),
        Column("rank", "Rank", lambda v: str(int(v)), True, True),
        Column("n_units", "of", lambda v: str(int(v)), True),
        Column("band", "Band", marks_simulated=True),
        Column("national_mean", "National mean", lambda v: number(v, d), True),
        Column("against", "vs national mean", lambda v: number(v, d, signed=True), True),
        Column("region_mean", f"{region} mean", lambda v: number(v, d), True),
        Column("region_rank", "Rank in region", lambda v: str(int(v)), True),
    ]
    bands = {int(y): p.history.params(int(y)).bands for y in frame["year"]}
    note = (
        f"Bands as published each year: {band_rules(bands, p.params.index.scale.min)}. Means are over all "
        "provinces of the year."
    )
    caption = f"{p.name}: {p.params.index.name} in every year with data"
    return _show(
        present.table(frame, columns, caption, frame["provenance"].eq("simulated")),
        f'<p class="parindex-note">{html.escape(note)}</p>',
    )


def neighbours_section(p: Profile) -> HTML:
    """The two provinces ranked just above and the two just below, with scores and the gap to this one."""
    d = p.decimals
    rows = p.neighbours.assign(difference=lambda f: f["difference"].where(~f["is_unit"], None))
    regions = p.history.regions.short_en
    columns = [
        Column("rank", "Rank", lambda v: str(int(v)), True),
        Column("name", "Province", css="nowrap"),
        Column("score", f"Score ({p.unit_label})", lambda v: number(v, d), True, True),
        Column("difference", f"Points ahead of {p.name}", lambda v: number(v, d, signed=True), True),
        Column("region", "Region", lambda v: regions.get(v, v), css="nowrap"),
    ]
    table = present.table(
        rows,
        columns,
        f"{p.year}: the neighbours of {p.name} in the ranking",
        rows["provenance"].eq("simulated"),
    )
    table = _mark_row(table, int(rows.index[rows["is_unit"]][0]))
    return _show(present.paragraphs(neighbour_sentence(p)), table)


def _mark_row(table: str, position: int) -> str:
    """Gives one row (0-based) of a `present.table` the class parindex-self (bold, shaded)."""
    head, body = table.split("<tbody>", 1)
    pieces = body.split("<tr>")
    pieces[position + 1] = '<tr class="parindex-self">' + pieces[position + 1]
    joined = "".join(
        piece if i == 0 or i == position + 1 else "<tr>" + piece for i, piece in enumerate(pieces)
    )
    return head + "<tbody>" + joined


def components(p: Profile) -> HTML:
    """The published parts of the province's score in the profile year, or plainly that none exist."""
    rows = p.components
    texts = component_sentences(p)
    if rows.empty:
        return _show(present.paragraphs(" ".join(texts)))
    d = p.decimals
    columns = [
        Column("label", "Part"),
        Column("score", "Points", lambda v: number(v, d), True),
    ]
    if pd.to_numeric(rows["max_score"], errors="coerce").notna().any():
        columns.append(Column("max_score", "Of", lambda v: v or "–", True))
    if (rows["note"].astype(str) != "").any():
        columns.append(Column("note", "Note"))
    sources = ", ".join(dict.fromkeys(rows["source_url"]))
    total = {"label": f"{p.params.index.name} score", "score": p.row["score"], "max_score": "", "note": ""}
    frame = pd.concat([rows, pd.DataFrame([total])], ignore_index=True)
    simulated = pd.Series([False] * len(rows) + [p.row["provenance"] == "simulated"], index=frame.index)
    columns[1] = Column("score", "Points", lambda v: number(v, d), True, True)
    table = present.table(frame, columns, f"{p.name}: parts of the {p.year} score, as published", simulated)
    return _show(
        present.paragraphs(" ".join(texts)),
        _mark_row(table, len(frame) - 1),
        f'<p class="parindex-note">Source: {html.escape(sources)}</p>',
    )


def sipas(p: Profile) -> HTML:
    """The companion index (SIPAS): score and rank in every year against its national mean."""
    frame = p.companion_timeline
    texts = companion_sentences(p)
    if frame.empty:
        return _show(present.paragraphs(" ".join(texts)))
    d = p.decimals
    name = str(frame["index"].iloc[-1])
    frame = frame.assign(
        against=[difference(s, m, d) for s, m in zip(frame["score"], frame["national_mean"], strict=True)]
    )
    columns = [
        Column("year", "Year"),
        Column("score", f"{name} (%)", lambda v: number(v, d), True, True),
        Column("rank", "Rank", lambda v: str(int(v)), True, True),
        Column("n_units", "of", lambda v: str(int(v)), True),
        Column("national_mean", "National mean", lambda v: number(v, d), True),
        Column("against", "vs national mean", lambda v: number(v, d, signed=True), True),
    ]
    return _show(
        present.paragraphs(" ".join(texts)),
        present.table(frame, columns, f"{p.name}: {name} in every year", frame["provenance"].eq("simulated")),
    )


def notes(p: Profile) -> HTML:
    """How ranks, means and differences are computed, and what the demonstration data is."""
    texts = [
        f"Ranks: 1 is best. No official rule for ties is published; this profile uses competition ranking "
        f"(1, 2, 2, 4) on scores rounded to {p.decimals} decimals. Means are rounded half-up; differences "
        "are computed on the values as published.",
    ]
    if p.demonstration:
        texts.append(
            "Demonstration data: values not read in a public source are simulated, keeping every published "
            "figure of each year (see data/demo/README.md); they are marked † in tables and drawn hollow in "
            "the chart."
        )
    return _show(f'<div class="parindex-note">{present.paragraphs(" ".join(texts))}</div>')
