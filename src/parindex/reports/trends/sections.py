"""Sections of the trends report, each the HTML a notebook cell displays, in every language of the panel."""

from __future__ import annotations

import hashlib
import html

import pandas as pd

from parindex import analysis
from parindex.data.params import Params
from parindex.data.published import AGGREGATES
from parindex.data.units import regions_file
from parindex.i18n import Lang
from parindex.reports import nouns, present
from parindex.reports.present import SIMULATED_MARK, Column, Localized
from parindex.reports.provenance import build_time, versions
from parindex.reports.style import ranks_rule
from parindex.reports.trends import charts
from parindex.reports.trends.across import (
    at_or_above,
    band_counts_by_year,
    band_regimes,
    changes,
    common_threshold,
    history,
    largest_moves,
    leaders,
    mean_by_year,
    rank_trajectories,
    regional_means_by_year,
    spread_by_year,
    unit_sets,
)
from parindex.reports.trends.panel import Panel
from parindex.reports.trends.text import (
    DASH,
    band_label,
    band_rule,
    check_text,
    from_to,
    gap_sentence,
    leader_sentence,
    level,
    mean_sentences,
    move_sentence,
    names_text,
    period_text,
    printed_means,
    published_columns,
    regime_ranges,
    region_sentence,
    runs_of,
    threshold_sentence,
    years_text,
)
from parindex.reports.yearly.charts import capitalised, with_unit
from parindex.reports.yearly.sections import provenance_rows as year_provenance_rows
from parindex.reports.yearly.year import Year

_SECTIONS = (
    "key_movement",
    "national_mean",
    "bands",
    "leading",
    "movers",
    "regions",
    "companion",
    "methodology",
    "provenance",
)


def _each(panel: Panel, render) -> Localized:
    return present.each(panel.languages, lambda lang: render(panel, lang))


def title(panel: Panel) -> Localized:
    """The heading, byline and style of the report, and the demonstration banner for simulated values."""
    return _each(panel, _title)


def _title(panel: Panel, lang: Lang) -> str:
    params = panel.years[-1].params
    period = period_text(panel.first, panel.last)
    full = params.text(params.index.title, lang.code)
    parts = [
        present.STYLE,
        present.heading(lang.t("trends.title", name=panel.index_name, period=period), 1),
        present.paragraphs(lang.n("trends.subtitle", len(panel.years), title=full)),
    ]
    author = params.text(params.author, lang.code)
    if author:
        byline = html.escape(lang.t("common.byline", organisation=author))
        parts.append(f'<p class="parindex-byline">{byline}</p>')
    if panel.demonstration:
        parts.append(present.banner(lang.t("trends.demonstration_banner")))
    return "".join(parts)


def section(panel: Panel, key: str) -> Localized:
    """A section's heading and its introduction, from the catalog keys trends.section.<key>.title and .intro.

    Args:
        panel: The panel.
        key: The section: "key_movement", "national_mean", "bands", "leading", "movers", "regions",
            "companion", "methodology" or "provenance" (see `secondary` for the other unit types).

    Returns:
        The heading (a PDF bookmark) and its introduction. The companion's section is named after the
        companion index; it is left out (no heading) without one, as the regions' without regions.

    Raises:
        ValueError: The key names no section of the report.
    """
    if key not in _SECTIONS:
        raise ValueError(f"unknown section '{key}'; the sections are {', '.join(_SECTIONS)}")

    def render(panel: Panel, lang: Lang) -> str:
        params = panel.years[-1].params
        values = {"first": panel.first, "last": panel.last, "period": period_text(panel.first, panel.last)}
        companion = _companion_params(panel)
        if (key == "companion" and (companion is None or panel.companion().empty)) or (
            key == "regions" and not panel.has_regions
        ):
            return ""
        if key == "companion":
            values |= {"name": companion.name, "title": params.text(companion.title, lang.code)}

        def own_words(base: str) -> str:
            if lang.has(base):
                return lang.t(base, **values)
            return nouns.sentence(params, panel.main_type, lang, base, **values)

        intro = f"trends.section.{key}.intro"
        intro = _basis(panel, intro) if key in ("bands", "methodology") else intro
        if key in ("national_mean", "regions") and panel.published(params.index.slug).empty:
            intro = f"trends.section.{key}.intro_alone"
        heading = present.heading(capitalised(own_words(f"trends.section.{key}.title")))
        return heading + present.paragraphs(own_words(intro))

    return _each(panel, render)


def _basis(panel: Panel, key: str) -> str:
    """A catalog key saying "as published", or its ".own" variant when some year's bands were inferred."""
    inferred = any(y.params.bands_basis == "inferred" for y in panel.years)
    return f"{key}.own" if inferred else key


def _companion_params(panel: Panel):
    """The companion index's params of the last year that has one, or None."""
    found = [y.params.companion for y in panel.years if y.params.companion is not None]
    return found[-1] if found else None


def _source(panel: Panel, lang: Lang) -> str:
    """The source line under the charts: the index's publisher and the params' source note."""
    params = panel.years[-1].params
    publisher = params.text(params.index.publisher, lang.code)
    note = params.text(params.source_note, lang.code)
    cited = lang.t("common.source", source=publisher) + "." if publisher else ""
    return " ".join(part for part in (cited, note) if part)


def _named(frame: pd.DataFrame, lang: Lang, params: Params) -> pd.DataFrame:
    """The frame with units named in the language.

    Units of the other types (ministries) have their Vietnamese names in Vietnamese and their English ones
    otherwise; units of a main type the catalogs know (provinces) keep their official names in every
    language (see `nouns.english_names`).
    """
    if lang.code == "vi" or frame.empty or "name_en" not in frame:
        return frame
    english = frame["name_en"].fillna("").astype(str).str.strip()
    swap = frame["unit_type"].map(lambda t: nouns.english_names(params, t)) & (english != "")
    return frame.assign(name=frame["name"].where(~swap, english))


def _words(panel: Panel, lang: Lang, key: str, n: int | None = None, **values: object) -> str:
    """A message written for the main unit type (`<key>.<type>`), else for any (`<key>.unit`)."""
    return nouns.sentence(panel.params, panel.main_type, lang, key, n, **values)


def _count_header(panel: Panel, lang: Lang) -> str:
    """The heading of a count of main units, e.g. "Số tỉnh, thành phố", "Communes and wards"."""
    return capitalised(nouns.sentence(panel.params, panel.main_type, lang, "trends.column.count"))


def _region_names(panel: Panel, lang: Lang) -> dict[str, str]:
    """Region code to its name in the language (the short English name in English), in published order."""
    return {code: panel.regions.name(code, lang.code, short=True) for code in panel.regions.names_en}


def _marked(frame: pd.DataFrame, lang: Lang) -> str:
    """The simulated note, when some pre-formatted cell of the frame carries the mark."""
    cells = frame.astype(str).apply(lambda column: column.str.endswith(SIMULATED_MARK))
    if not cells.to_numpy().any():
        return ""
    return f'<p class="parindex-note">{html.escape(lang.t("common.simulated_note"))}</p>'


def _mark(text: str, simulated: bool) -> str:
    return text + (SIMULATED_MARK if simulated else "")


# --- key movement -------------------------------------------------------------------------------------------


def key_movement(panel: Panel) -> Localized:
    """Key figures in boxes and the movement of the period in sentences."""
    return _each(panel, _key_movement)


def _key_movement(panel: Panel, lang: Lang) -> str:
    d, unit = panel.decimals, panel.unit_label(lang.code)
    provinces = panel.scores()
    means = mean_by_year(provinces, panel.published(panel.years[-1].params.index.slug), d)
    first, last = means.iloc[0], means.iloc[-1]
    boxes = [
        (lang.t("trends.box.years"), period_text(panel.first, panel.last)),
        (lang.t("trends.box.mean", year=int(first.year)), lang.score(first["mean"], d, unit)),
    ]
    if len(means) > 1:
        change = analysis.round_half_up(last["mean"] - first["mean"], d)
        boxes += [
            (lang.t("trends.box.mean", year=int(last.year)), lang.score(last["mean"], d, unit)),
            (lang.t("trends.box.change"), lang.number(change, d, signed=True)),
        ]
    sentences = mean_sentences(means, _words(panel, lang, "trends.subject.national_mean"), lang, unit, d)
    threshold = common_threshold(panel.bands)
    if threshold is not None:
        above = at_or_above(provinces, threshold, d)
        share = lang.t(
            "trends.box.share",
            count=lang.integer(above["count"].iloc[-1]),
            total=lang.integer(above["n"].iloc[-1]),
        )
        label = lang.t("trends.box.at_or_above", threshold=level(threshold, unit, lang), year=int(last.year))
        boxes.append((label, share))
        sentences.append(threshold_sentence(above, threshold, unit, lang, panel.params, panel.main_type))
    sentences.append(leader_sentence(leaders(provinces), lang))
    if len(panel.years) > 1:
        moves = largest_moves(provinces, d)
        sentences.append(
            move_sentence(moves, panel.first, panel.last, lang, panel.main_type, d, panel.params)
        )
    companion = panel.companion()
    if not companion.empty:
        name = panel.companion_name
        sipas = mean_by_year(companion, panel.published(name.lower()), d)
        subject = lang.t("trends.subject.companion_mean", name=name)
        sentences.extend(mean_sentences(sipas, subject, lang, panel.unit_label(lang.code, True), d)[:1])
    return present.key_figures(boxes) + present.paragraphs(*sentences)


# --- national mean ------------------------------------------------------------------------------------------


def national_mean(panel: Panel) -> Localized:
    """The national mean per year beside the published mean, with the spread of scores; chart and table."""
    return _each(panel, _national_mean)


def _national_mean(panel: Panel, lang: Lang) -> str:
    d, unit = panel.decimals, panel.unit_label(lang.code)
    scores = panel.scores()
    means = mean_by_year(scores, panel.published(panel.years[-1].params.index.slug), d)
    if means.empty:
        return present.paragraphs(lang.t("trends.means.none"))
    spread = spread_by_year(scores)
    label, subject = panel.index_name, _words(panel, lang, "trends.subject.national_mean")
    period = period_text(panel.first, panel.last)
    fig = charts.yearly_means(
        means,
        lang.t("trends.chart.means.title", label=label, subject=subject, period=period),
        _source(panel, lang),
        lang,
        spread=spread,
        score_label=with_unit(label, unit, lang),
        mean_label=subject,
        decimals=d,
    )
    alt = lang.t("trends.chart.means.alt", subject=subject, label=label, from_to=from_to(means, d, lang))
    table = means.merge(spread[["year", "min", "max", "std"]], on="year")
    table["published_text"] = printed_means(table, lang)
    text = mean_sentences(means, subject, lang, unit, d)
    text.append(_checked_sentence(table, lang))
    columns = [
        Column("year", lang.t("common.column.year")),
        Column("n", _count_header(panel, lang), lang.integer, numeric=True),
        Column("mean", lang.t("trends.column.mean"), lambda v: lang.number(v, d), True, True),
        Column("published_text", lang.t("trends.column.published_mean"), numeric=True),
        Column("status", lang.t("trends.column.check"), lambda v: check_text(v, lang)),
        Column("min", lang.t("trends.column.lowest"), lambda v: lang.number(v, d), True),
        Column("max", lang.t("trends.column.highest"), lambda v: lang.number(v, d), True),
        Column("std", lang.t("trends.column.std"), lambda v: lang.number(v, d), True),
    ]
    caption = lang.t("trends.means.caption", label=label, subject=subject)
    return (
        present.paragraphs(*text)
        + present.figure(fig, alt)
        + present.table(table, published_columns(columns, table), caption, table["simulated"], lang=lang)
    )


def _checked_sentence(means: pd.DataFrame, lang: Lang) -> str:
    """How many published means the data reproduces, and the years it does not; "" without any."""
    checked = means[means["status"] != ""]
    if checked.empty:
        return ""
    matched = lang.integer(int((checked["status"] == analysis.MATCH).sum()))
    flagged = [str(y) for y in checked[checked["status"] != analysis.MATCH]["year"]]
    if flagged:
        return lang.n("trends.check.means_flagged", len(checked), matched=matched, years=lang.join(flagged))
    return lang.n("trends.check.means", len(checked), matched=matched)


# --- bands --------------------------------------------------------------------------------------------------


def bands(panel: Panel) -> Localized:
    """Units per band per year: stacked bars, a note where the bands changed, and the counts."""
    return _each(panel, _bands)


def _bands(panel: Panel, lang: Lang) -> str:
    provinces = panel.scores()
    counts = band_counts_by_year(provinces, panel.bands)
    counts = counts.assign(
        band=[
            band_label(b, panel.bands[y], lang) for y, b in zip(counts["year"], counts["band"], strict=True)
        ]
    )
    regimes = band_regimes(panel.bands)
    regimes = regimes.assign(ranges=[regime_ranges(panel.bands[first], lang) for first in regimes["first"]])
    unit = panel.unit_label(lang.code)
    period = period_text(panel.first, panel.last)
    fig = charts.bands_by_year(
        counts,
        regimes,
        _words(panel, lang, "trends.chart.bands.title", index=panel.index_name, period=period),
        _source(panel, lang),
        lang,
        year_label=lang.t(_basis(panel, "trends.chart.bands.axis")),
        count_label=capitalised(_words(panel, lang, "trends.chart.bands.count")),
    )
    listed = "; ".join(f"{period_text(r['first'], r['last'])}: {r.ranges}" for _, r in regimes.iterrows())
    alt = _words(panel, lang, _basis(panel, "trends.chart.bands.alt"), regimes=listed)
    text = []
    if len(regimes) > 1:
        changed = lang.join([str(y) for y in regimes["first"].iloc[1:]])
        rules = [
            f"{period_text(r['first'], r['last'])} ({band_rule(panel.bands[r['first']], unit, lang)})"
            for _, r in regimes.iterrows()
        ]
        text.append(lang.t("trends.bands.changed", years=changed, regimes=lang.join(rules)))
    threshold = common_threshold(panel.bands)
    if threshold is not None:
        above = at_or_above(provinces, threshold, panel.decimals)
        text.append(threshold_sentence(above, threshold, unit, lang, panel.params, panel.main_type))
    return present.paragraphs(*text) + present.figure(fig, alt) + _band_table(panel, counts, threshold, lang)


def _band_header(key: str, panel: Panel, lang: Lang) -> str:
    """A band's label in the language, from its key in any year's bands."""
    every = [band for bands in panel.bands.values() for band in bands]
    return next((band.name(lang.code) for band in every if band.key == key), key)


def _band_table(panel: Panel, counts: pd.DataFrame, threshold: float | None, lang: Lang) -> str:
    """Units per band per year, one row per year, one column per band label of any year."""
    labels = list(dict.fromkeys(counts.sort_values(["position", "year"])["band"]))
    rows = []
    for year, group in counts.groupby("year", sort=True):
        by_band = dict(zip(group["band"], group["count"], strict=True))
        sim = dict(zip(group["band"], group["simulated"], strict=True))
        row = {"year": str(year), "bands": regime_ranges(panel.bands[year], lang)}
        for label in labels:
            row[label] = (
                DASH if label not in by_band else _mark(lang.integer(by_band[label]), bool(sim[label]))
            )
        rows.append(row)
    frame = pd.DataFrame(rows)
    if threshold is not None:
        above = at_or_above(panel.scores(), threshold, panel.decimals)
        frame[f"≥ {level(threshold, '', lang)}"] = [lang.integer(c) for c in above["count"]]
    columns = [
        Column("year", lang.t("common.column.year")),
        Column("bands", lang.t(_basis(panel, "trends.column.bands"))),
    ] + [Column(c, _band_header(c, panel, lang), numeric=True) for c in frame.columns[2:]]
    note = ""
    if counts["simulated"].any():
        note = f'<p class="parindex-note">{html.escape(lang.t("trends.bands.simulated_note"))}</p>'
    caption = capitalised(_words(panel, lang, "trends.bands.caption"))
    return present.table(frame, columns, caption, lang=lang) + note


# --- leading provinces --------------------------------------------------------------------------------------


def leading(panel: Panel, top: int = 10) -> Localized:
    """Rank trajectories of the last year's leading provinces: bump chart, sentence and table."""
    return _each(panel, lambda panel, lang: _leading(panel, lang, top))


def _leading(panel: Panel, lang: Lang, top: int) -> str:
    provinces = panel.scores()
    paths = rank_trajectories(provinces, top)
    shown = paths["code"].nunique()
    fig = charts.rank_trajectories(
        paths,
        lang.t("trends.chart.leading.title", index=panel.index_name, count=shown, last=panel.last),
        _source(panel, lang),
        lang,
    )
    best = paths[paths["final_rank"] == 1]
    alt = _words(
        panel,
        lang,
        "trends.chart.leading.alt",
        count=shown,
        first=panel.first,
        last=panel.last,
        names=names_text(list(best["name"].unique()), lang),
    )
    ranks = history(provinces[provinces["code"].isin(paths["code"])], "rank")
    text = [leader_sentence(leaders(provinces), lang)]
    steady = ranks[ranks[panel.labels].le(shown).fillna(False).astype(bool).all(axis=1)]
    if len(panel.years) > 1:
        text.append(
            lang.t("trends.leading.steady", count=shown, names=names_text(list(steady["name"]), lang))
            if not steady.empty
            else lang.t("trends.leading.none_steady", count=shown)
        )
    simulated = provinces.pivot(index="code", columns="year", values="provenance").eq("simulated")
    frame = ranks[["code", "name"]].copy()
    for year in panel.labels:
        frame[str(year)] = [
            DASH if pd.isna(rank) else _mark(lang.integer(rank), bool(simulated.loc[code, year]))
            for code, rank in zip(ranks["code"], ranks[year], strict=True)
        ]
    columns = [Column("name", nouns.column(panel.params, panel.main_type, lang), css="nowrap")] + [
        Column(str(y), str(y), numeric=True) for y in panel.labels
    ]
    table = present.table(frame, columns, lang.t("trends.leading.caption"), lang=lang) + _marked(frame, lang)
    return present.paragraphs(*text) + present.figure(fig, alt) + table


# --- risers and fallers -------------------------------------------------------------------------------------


def movers(panel: Panel, k: int = 5) -> Localized:
    """Largest risers and fallers between consecutive years and over the whole period."""
    return _each(panel, lambda panel, lang: _movers(panel, lang, k))


def _movers(panel: Panel, lang: Lang, k: int) -> str:
    d = panel.decimals
    provinces = panel.scores()
    if len(panel.years) < 2:
        return present.paragraphs(lang.t("trends.movers.one_year"))
    moves = largest_moves(provinces, d, k)
    whole_moves = moves[(moves.start == panel.first) & (moves.end == panel.last)]
    whole = changes(provinces, panel.first, panel.last, d)
    shown = whole[whole["code"].isin(whole_moves[whole_moves.by == "points"]["code"])]
    first, last = str(panel.first), str(panel.last)
    kinds = _kinds(shown)
    fig = charts.change(
        shown,
        lang.t(f"trends.chart.movers.title.{kinds}", index=panel.index_name, first=first, last=last),
        _source(panel, lang),
        lang,
        previous_label=first,
        current_label=last,
        score_label=with_unit(panel.index_name, panel.unit_label(lang.code), lang),
        decimals=d,
        rows_label=capitalised(_words(panel, lang, "trends.chart.change.axis")),
    )
    moved = move_sentence(whole_moves, panel.first, panel.last, lang, panel.main_type, d, panel.params)
    alt = _words(
        panel, lang, "trends.chart.movers.alt", index=panel.index_name, first=first, last=last, sentence=moved
    )
    both = whole[whole.status == "both"]
    text = [_counted(both, panel, lang), moved]
    steps = _steps_table(moves, list(zip(panel.labels, panel.labels[1:], strict=False)), d, lang)
    return (
        present.paragraphs(*text)
        + present.figure(fig, alt)
        + _whole_table(whole_moves, panel, k, kinds, lang)
        + steps
    )


def _kinds(shown: pd.DataFrame) -> str:
    """Which moves a frame of changes holds: "both" rises and falls, "rises", "falls" or "none"."""
    rose, fell = (shown.score_change > 0).any(), (shown.score_change < 0).any()
    return "both" if rose and fell else "rises" if rose else "falls" if fell else "none"


def _counted(both: pd.DataFrame, panel: Panel, lang: Lang) -> str:
    """How many provinces ranked in the first and last year raised, lowered or kept their score."""
    if both.empty:
        return _words(panel, lang, "trends.movers.none_common", first=panel.first, last=panel.last)
    counts = {
        "rose": int((both.score_change > 0).sum()),
        "fell": int((both.score_change < 0).sum()),
        "same": int((both.score_change == 0).sum()),
    }
    present_kinds = [kind for kind, count in counts.items() if count]
    if len(present_kinds) == 1 and len(both) > 1:
        parts = lang.t(f"trends.movers.all_{present_kinds[0]}", count=lang.integer(len(both)))
    else:
        parts = lang.join([lang.n(f"trends.movers.{kind}", counts[kind]) for kind in present_kinds])
    return _words(
        panel, lang, "trends.movers.counted", len(both), first=panel.first, last=panel.last, parts=parts
    )


def _steps_table(moves: pd.DataFrame, pairs: list[tuple[int, int]], d: int, lang: Lang) -> str:
    """One row per pair of consecutive years: the largest rise and fall in points and in ranks."""
    rows = []
    for start, end in pairs:
        own = moves[(moves.start == start) & (moves.end == end) & (moves.position == 1)]
        row = {"period": period_text(start, end)}
        for by, direction in (("points", "rise"), ("points", "fall"), ("ranks", "rise"), ("ranks", "fall")):
            hit = own[(own.by == by) & (own.direction == direction)]
            if hit.empty:
                row[f"{direction}_{by}"] = DASH
                continue
            h = hit.iloc[0]
            value = (
                lang.number(h.score_change, d, signed=True)
                if by == "points"
                else f"{lang.integer(h.rank_previous)} → {lang.integer(h.rank_current)}"
            )
            row[f"{direction}_{by}"] = _mark(f"{h['name']} {value}", h.provenance == "simulated")
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return ""
    columns = [
        Column("period", lang.t("trends.column.period")),
        Column("rise_points", lang.t("trends.column.rise_points")),
        Column("fall_points", lang.t("trends.column.fall_points")),
        Column("rise_ranks", lang.t("trends.column.rise_ranks")),
        Column("fall_ranks", lang.t("trends.column.fall_ranks")),
    ]
    caption = lang.t("trends.movers.steps_caption")
    return present.table(frame, columns, caption, lang=lang) + _marked(frame, lang)


def _whole_table(moves: pd.DataFrame, panel: Panel, k: int, kinds: str, lang: Lang) -> str:
    d = panel.decimals
    shown = moves[moves.by == "points"]
    columns = [
        Column("direction", lang.t("trends.column.move"), lambda v: lang.t(f"trends.move.{v}")),
        Column("name", nouns.column(panel.params, panel.main_type, lang), css="nowrap"),
        Column("score_previous", str(panel.first), lambda v: lang.number(v, d), True, True),
        Column("score_current", str(panel.last), lambda v: lang.number(v, d), True, True),
        Column(
            "score_change",
            lang.t("trends.column.change_points"),
            lambda v: lang.number(v, d, signed=True),
            True,
        ),
        Column("rank_previous", lang.t("trends.column.rank_in", year=panel.first), lang.integer, True),
        Column("rank_current", lang.t("trends.column.rank_in", year=panel.last), lang.integer, True),
    ]
    period = period_text(panel.first, panel.last)
    caption = lang.t(f"trends.movers.caption.{kinds}", count=k, period=period)
    return present.table(shown, columns, caption, shown["provenance"].eq("simulated"), lang=lang)


# --- regions ------------------------------------------------------------------------------------------------


def regions(panel: Panel) -> Localized:
    """Regional means per year as small multiples against the national mean, with published means marked."""
    return _each(panel, _regions)


def _regions(panel: Panel, lang: Lang) -> str:
    if not panel.has_regions:
        return ""
    d, unit = panel.decimals, panel.unit_label(lang.code)
    provinces = panel.scores()
    slug = panel.years[-1].params.index.slug
    names = _region_names(panel, lang)
    regional = regional_means_by_year(provinces, panel.published(slug), names, d)
    national = mean_by_year(provinces, panel.published(slug), d)
    fig = charts.regional_trends(
        regional,
        national,
        lang.t(
            "trends.chart.regions.title", index=panel.index_name, period=period_text(panel.first, panel.last)
        ),
        _source(panel, lang),
        lang,
        score_label=lang.t(
            "trends.chart.regions.axis", index=panel.index_name, unit=with_unit("", unit, lang)
        ),
        decimals=d,
        mean_label=_words(panel, lang, "common.stat.national_mean"),
    )
    last = regional[regional["year"] == regional["year"].max()]
    top = last[last["mean"] == last["mean"].max()]
    alt = _words(
        panel,
        lang,
        "trends.chart.regions.alt",
        year=int(last["year"].max()),
        names=names_text(list(top["name"]), lang),
        value=lang.number(top["mean"].iloc[0], d),
    )
    parts = [
        present.paragraphs(region_sentence(regional, d, lang)),
        present.figure(fig, alt),
        _region_table(panel, regional, national, names, lang),
    ]
    printed = regional[regional["published"].notna()].copy()
    if not printed.empty:
        printed["published_text"] = printed_means(printed, lang)
        matched = lang.integer(int((printed["status"] == analysis.MATCH).sum()))
        parts.append(present.paragraphs(lang.n("trends.check.regions", len(printed), matched=matched)))
        checks = [
            Column("year", lang.t("common.column.year")),
            Column("name", lang.t("common.column.region")),
            Column("published_text", lang.t("trends.column.published_mean"), numeric=True),
            Column("mean", lang.t("trends.column.computed_mean"), lambda v: lang.number(v, d), True, True),
            Column("status", lang.t("trends.column.check"), lambda v: check_text(v, lang)),
        ]
        caption = lang.t("trends.regions.check_caption")
        parts.append(present.table(printed, checks, caption, printed["simulated"], lang=lang))
    return "".join(parts)


def _region_table(
    panel: Panel, regional: pd.DataFrame, national: pd.DataFrame, names: dict[str, str], lang: Lang
) -> str:
    """The mean of every region per year, and the national mean, one row each."""
    d = panel.decimals
    rows = []
    for code, name in names.items():
        own = regional[regional.region == code].set_index("year")
        if own.empty:
            continue
        row = {"name": name}
        for year in panel.labels:
            row[str(year)] = (
                _mark(lang.number(own.loc[year, "mean"], d), bool(own.loc[year, "simulated"]))
                if year in own.index
                else DASH
            )
        rows.append(row)
    national_row = {"name": _words(panel, lang, "trends.regions.national_row")}
    for _, r in national.iterrows():
        national_row[str(r.year)] = _mark(lang.number(r["mean"], d), bool(r.simulated))
    table = pd.DataFrame(rows + [national_row])
    columns = [Column("name", lang.t("common.column.region"))] + [
        Column(str(y), str(y), numeric=True) for y in panel.labels
    ]
    return present.table(table, columns, lang.t("trends.regions.caption"), lang=lang) + _marked(table, lang)


# --- the other unit types (ministries) ----------------------------------------------------------------------


def secondary(panel: Panel) -> Localized:
    """One section per unit type after the main one (ministries), over time.

    Each has its heading, the mean per year, each unit's score and rank per year and the set's changes;
    empty when no year has units of another type.
    """
    return _each(panel, _secondary)


def _secondary(panel: Panel, lang: Lang) -> str:
    parts = []
    for unit_type in panel.secondary_types:
        if panel.scores(unit_type).empty:
            continue
        values = {"first": panel.first, "last": panel.last, "period": period_text(panel.first, panel.last)}
        title = nouns.sentence(panel.params, unit_type, lang, "trends.section.units.title", **values)
        intro = nouns.sentence(panel.params, unit_type, lang, "trends.section.units.intro", **values)
        parts += [
            present.heading(capitalised(title)),
            present.paragraphs(intro),
            _units_over_time(panel, lang, unit_type),
        ]
    return "".join(parts)


def _units_over_time(panel: Panel, lang: Lang, unit_type: str) -> str:
    d = panel.decimals
    params = panel.params

    def words(key: str, **values: object) -> str:
        return nouns.sentence(params, unit_type, lang, key, **values)

    scores = _named(panel.scores(unit_type), lang, panel.params)
    slug = params.index.slug
    means = mean_by_year(scores, panel.published(slug, unit_type), d)
    sets = unit_sets(scores)
    text = mean_sentences(means, words("trends.subject.units_mean"), lang, panel.unit_label(lang.code), d)
    counts = [
        lang.t("trends.ministries.count_item", count=lang.integer(n), years=years_text(years, lang))
        for n, years in runs_of(list(sets["year"]), list(sets["n"]))
    ]
    text.append(lang.t("trends.ministries.counts", counts=lang.join(counts)))
    for _, r in sets.iterrows():
        if r.left:
            text.append(lang.t("trends.ministries.left", year=r.year, names=names_text(r.left, lang)))
        if r.joined:
            text.append(lang.t("trends.ministries.joined", year=r.year, names=names_text(r.joined, lang)))
    leader = leader_sentence(leaders(scores), lang)
    text.append(leader)
    source = _source(panel, lang)
    mean_fig = charts.yearly_means(
        means,
        words("trends.chart.units.means_title", index=panel.index_name),
        source,
        lang,
        spread=spread_by_year(scores),
        score_label=with_unit(panel.index_name, panel.unit_label(lang.code), lang),
        mean_label=words("trends.chart.units.mean"),
        decimals=d,
    )
    grid = charts.score_grid(
        scores,
        words("trends.chart.units.grid_title", index=panel.index_name),
        source,
        lang,
        unit_label=nouns.column(params, unit_type, lang),
        decimals=d,
    )
    alt_mean = words("trends.chart.units.means_alt", from_to=from_to(means, d, lang))
    alt_grid = lang.t(
        "trends.chart.ministries.grid_alt",
        units=nouns.count(params, unit_type, scores.code.nunique(), lang),
        years=lang.n("trends.years", len(panel.years)),
        leaders=leader,
    )
    means = means.assign(published_text=printed_means(means, lang))
    columns = [
        Column("year", lang.t("common.column.year")),
        Column("n", lang.t("common.column.units"), lang.integer, numeric=True),
        Column("mean", lang.t("trends.column.mean"), lambda v: lang.number(v, d), True, True),
        Column("published_text", lang.t("trends.column.published_mean"), numeric=True),
        Column("status", lang.t("trends.column.check"), lambda v: check_text(v, lang)),
    ]
    caption = capitalised(words("trends.units.caption"))
    table = present.table(means, published_columns(columns, means), caption, means["simulated"], lang=lang)
    return (
        present.paragraphs(*text)
        + present.figure(mean_fig, alt_mean)
        + table
        + present.figure(grid, alt_grid)
    )


# --- the companion index ------------------------------------------------------------------------------------


def companion(panel: Panel) -> Localized:
    """The companion index (SIPAS) over time: national mean, published means marked, spread per year."""
    return _each(panel, _companion)


def _companion(panel: Panel, lang: Lang) -> str:
    frame = panel.companion()
    name = panel.companion_name
    if frame.empty or name is None:
        return ""
    d = panel.decimals
    unit = panel.unit_label(lang.code, companion=True)
    means = mean_by_year(frame, panel.published(name.lower()), d)
    spread = spread_by_year(frame)
    period = period_text(int(means.year.iloc[0]), int(means.year.iloc[-1]))
    fig = charts.yearly_means(
        means,
        lang.t("trends.chart.companion.title", name=name, period=period),
        _source(panel, lang),
        lang,
        spread=spread,
        score_label=with_unit(name, unit, lang),
        mean_label=_words(panel, lang, "common.stat.national_mean"),
        decimals=d,
    )
    alt = lang.t("trends.chart.companion.alt", name=name, from_to=from_to(means, d, lang))
    text = mean_sentences(means, lang.t("trends.subject.companion_mean", name=name), lang, unit, d)
    gaps = spread.set_index("year")["range"].map(lambda gap: analysis.round_half_up(gap, d))
    text.append(gap_sentence(gaps, "provinces", d, lang))
    text.append(leader_sentence(leaders(frame), lang, lang.t("trends.leaders.first_in", name=name)))
    table = means.merge(spread[["year", "min", "median", "max", "std"]], on="year")
    table["published_text"] = printed_means(table, lang)
    columns = [
        Column("year", lang.t("common.column.year")),
        Column("n", _count_header(panel, lang), lang.integer, numeric=True),
        Column("mean", lang.t("trends.column.mean"), lambda v: lang.number(v, d), True, True),
        Column("published_text", lang.t("trends.column.published_mean"), numeric=True),
        Column("status", lang.t("trends.column.check"), lambda v: check_text(v, lang)),
        Column("min", lang.t("trends.column.lowest"), lambda v: lang.number(v, d), True),
        Column("median", lang.t("trends.column.median"), lambda v: lang.number(v, d), True),
        Column("max", lang.t("trends.column.highest"), lambda v: lang.number(v, d), True),
        Column("std", lang.t("trends.column.std"), lambda v: lang.number(v, d), True),
    ]
    caption = lang.t("trends.companion.caption", name=name)
    return (
        present.paragraphs(*text)
        + present.figure(fig, alt)
        + present.table(table, published_columns(columns, table), caption, table["simulated"], lang=lang)
    )


# --- methodology and provenance -----------------------------------------------------------------------------


def _ranks_sentences(panel: Panel, lang: Lang) -> list[str]:
    """The tie rule in force: once when every year shares it, else once per run of years with one rule."""
    runs: list[tuple[list[int], str]] = []
    for year in panel.years:
        ties = year.params.ranking.ties
        if runs and runs[-1][1] == ties:
            runs[-1][0].append(year.params.year)
        else:
            runs.append(([year.params.year], ties))
    key = "trends.methodology.ranks"
    if len(runs) == 1:
        return [ranks_rule(runs[0][1], panel.decimals, lang, key)]
    return [
        lang.t(
            "trends.methodology.ranks.years",
            years=period_text(years[0], years[-1]),
            rule=ranks_rule(ties, panel.decimals, lang, key),
        )
        for years, ties in runs
    ]


def methodology(panel: Panel) -> Localized:
    """Bands per year as published, ranks, means, changes and what the demonstration data is."""
    return _each(panel, _methodology)


def _methodology(panel: Panel, lang: Lang) -> str:
    unit = panel.unit_label(lang.code)
    regimes = band_regimes(panel.bands)
    rows = pd.DataFrame(
        {
            "years": [period_text(r["first"], r["last"]) for _, r in regimes.iterrows()],
            "bands": [band_rule(panel.bands[r["first"]], unit, lang) for _, r in regimes.iterrows()],
        }
    )
    inferred = [y.params.year for y in panel.years if y.params.bands_basis == "inferred"]
    texts = [
        lang.t("trends.methodology.bands.own" if inferred else "trends.methodology.bands"),
        *(
            [lang.t("trends.methodology.bands_inferred", years=lang.join([str(y) for y in inferred]))]
            if inferred
            else []
        ),
        *_ranks_sentences(panel, lang),
        _words(panel, lang, "trends.methodology.means"),
        _words(panel, lang, "trends.methodology.changes"),
    ]
    if panel.demonstration:
        alone = panel.aggregates.empty
        texts.append(
            lang.t("trends.methodology.demonstration_alone" if alone else "trends.methodology.demonstration")
        )
    columns = [
        Column("years", lang.t("trends.column.period")),
        Column("bands", lang.t(_basis(panel, "trends.column.bands"))),
    ]
    return present.paragraphs(*texts) + present.table(
        rows, columns, lang.t("trends.methodology.caption"), lang=lang
    )


def provenance_rows(panel: Panel) -> pd.DataFrame:
    """Every file the trends report read (each year's inputs and params, published aggregates), with SHA-256.

    The rows of each year come from `year_provenance_rows`, so both reports list files the same way.
    """
    frames = [year_provenance_rows(Year(y.params, y.data, None, y.regions)) for y in panel.years]
    extra = []
    for y in panel.years:
        if y.params.published:
            extra.append(y.params.path(y.params.published) / AGGREGATES)
        regions = regions_file(y.params.path(y.params.units_dir), y.params.units[y.params.main_type])
        if regions is not None:
            extra.append(regions)
    root = panel.years[-1].params.root
    files = list(dict.fromkeys(extra))
    frames.append(
        pd.DataFrame(
            {
                "file": [str(f.relative_to(root)) if f.is_relative_to(root) else str(f) for f in files],
                "sha256": [hashlib.sha256(f.read_bytes()).hexdigest() for f in files],
                "rows": [None] * len(files),
            }
        )
    )
    return pd.concat(frames, ignore_index=True).drop_duplicates("file").reset_index(drop=True)


def provenance(panel: Panel) -> Localized:
    """Input files with SHA-256, package versions and build time."""
    rows = provenance_rows(panel)
    built, version_text = build_time(), ", ".join(f"{k} {v}" for k, v in versions().items())
    return _each(panel, lambda panel, lang: _provenance(panel, lang, rows, built, version_text))


def _provenance(panel: Panel, lang: Lang, rows: pd.DataFrame, built: str, version_text: str) -> str:
    columns = [
        Column("file", lang.t("trends.column.file")),
        Column(
            "rows",
            lang.t("trends.column.rows"),
            lambda v: DASH if v is None or pd.isna(v) else lang.integer(v),
            True,
        ),
        Column("sha256", "SHA-256", css="hash"),
    ]
    values = pd.concat([y.data.scores for y in panel.years])
    counts = values.provenance.value_counts()
    text = lang.t(
        "trends.provenance.text",
        time=built,
        versions=version_text,
        count=lang.integer(len(values)),
        index=panel.index_name,
        years=lang.n("trends.years", len(panel.years)),
        published=lang.integer(counts.get("published", 0)),
        simulated=lang.integer(counts.get("simulated", 0)),
    )
    return present.paragraphs(text) + present.table(
        rows, columns, lang.t("trends.provenance.caption"), lang=lang
    )
