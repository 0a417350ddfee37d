"""Sections of the trends report, each the HTML a notebook cell displays."""

from __future__ import annotations

import hashlib
import html

import pandas as pd
from IPython.display import HTML

from parindex import analysis
from parindex.data.published import AGGREGATES
from parindex.reports import present
from parindex.reports.present import SIMULATED_MARK, Column, number
from parindex.reports.provenance import build_time, versions
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
    regime_range,
    regional_means_by_year,
    spread_by_year,
    unit_sets,
)
from parindex.reports.trends.panel import Panel
from parindex.reports.trends.text import (
    DASH,
    from_to,
    gap_sentence,
    in_words,
    leader_sentence,
    mean_sentences,
    move_sentence,
    period_text,
    printed_means,
    region_sentence,
    runs_of,
    threshold_sentence,
    years_text,
)
from parindex.reports.yearly import charts as yearly_charts
from parindex.reports.yearly import text as yearly_text
from parindex.reports.yearly.sections import provenance_rows as year_provenance_rows
from parindex.reports.yearly.year import Year


def title(panel: Panel) -> HTML:
    """The report's heading, its style, and the demonstration banner when any value is simulated."""
    index = panel.years[-1].params.index
    parts = [present.STYLE, f"<h1>{html.escape(panel.name)}: trends</h1>"]
    subtitle = f"{html.escape(index.title)}, every year with data ({len(panel.years)} years)"
    if index.title_vi:
        subtitle += f" · <i>{html.escape(index.title_vi)} {period_text(panel.first, panel.last)}</i>"
    parts.append(f"<p>{subtitle}</p>")
    if panel.demonstration:
        parts.append(
            present.banner(
                "Demonstration data: values marked † are simulated, not official results; means and counts "
                "of years holding simulated values are marked too. Only values read in public sources are "
                "marked published (see Provenance)."
            )
        )
    return HTML("".join(parts))


def key_movement(panel: Panel) -> HTML:
    """Key figures in boxes and the movement of the period in sentences."""
    d, unit = panel.decimals, panel.unit_label
    provinces = panel.scores("province")
    means = mean_by_year(provinces, panel.published(panel.years[-1].params.index.slug), d)
    first, last = means.iloc[0], means.iloc[-1]
    boxes = [
        ("Years", period_text(panel.first, panel.last)),
        (f"Mean {first.year}", f"{number(first['mean'], d)}{unit}"),
        (f"Mean {last.year}", f"{number(last['mean'], d)}{unit}"),
        ("Change (points)", number(analysis.round_half_up(last["mean"] - first["mean"], d), d, signed=True)),
    ]
    sentences = mean_sentences(means, "national mean", unit, d)
    threshold = common_threshold(panel.bands)
    if threshold is not None:
        above = at_or_above(provinces, threshold, d)
        boxes.append(
            (f"≥ {threshold:g}{unit} in {last.year}", f"{above['count'].iloc[-1]} of {above['n'].iloc[-1]}")
        )
        sentences.append(threshold_sentence(above, threshold, unit))
    sentences.append(leader_sentence(leaders(provinces)))
    if len(panel.years) > 1:
        moves = largest_moves(provinces, d, k=1)
        sentences.append(move_sentence(moves, panel.first, panel.last, decimals=d))
    companion = panel.companion()
    if not companion.empty:
        name = panel.companion_name
        sipas = mean_by_year(companion, panel.published(name.lower()), d)
        sentences.extend(mean_sentences(sipas, f"{name} national mean", "%", d)[:1])
    return present.show(present.key_figures(boxes), present.paragraphs(*sentences))


def national_mean(panel: Panel) -> HTML:
    """The national mean per year beside the published mean, with the spread of scores; chart and table."""
    return _means_section(panel, panel.scores("province"), panel.years[-1].params.index.slug, "national mean")


def _means_section(
    panel: Panel, scores: pd.DataFrame, index: str, subject: str, noun: str = "Provinces"
) -> HTML:
    d, unit = panel.decimals, panel.unit_label
    means = mean_by_year(scores, panel.published(index), d) if index else None
    if means is None or means.empty:
        return HTML("<p>No values for this series.</p>")
    spread = spread_by_year(scores)
    label = f"{panel.index_name}" if index == panel.years[-1].params.index.slug else index.upper()
    fig = charts.yearly_means(
        means,
        f"{label}: {subject} per year, {period_text(panel.first, panel.last)}",
        _source(panel),
        spread=spread,
        score_label=f"{label} ({unit})",
        mean_label=subject,
        decimals=d,
    )
    alt = (
        f"Line chart of the {subject} of {label} per year, {from_to(means, d)}, with the published means "
        "marked and each year's spread of scores drawn as a box."
    )
    table = means.merge(spread[["year", "min", "max", "std"]], on="year")
    table["published_text"] = printed_means(table)
    checked = table[table["status"] != ""]
    text = mean_sentences(means, subject, unit, d)
    if not checked.empty:
        matched = int((checked["status"] == analysis.MATCH).sum())
        flagged = [str(y) for y in checked[checked["status"] != analysis.MATCH]["year"]]
        text.append(
            f"{matched} of {len(checked)} published means are reproduced by the data"
            + (f"; flagged: {in_words(flagged)}." if flagged else ".")
        )
    columns = [
        Column("year", "Year"),
        Column("n", noun, numeric=True),
        Column("mean", "Mean", lambda v: number(v, d), True, True),
        Column("published_text", "Published mean", numeric=True),
        Column("status", "Check", lambda v: v or DASH),
        Column("min", "Lowest", lambda v: number(v, d), True),
        Column("max", "Highest", lambda v: number(v, d), True),
        Column("std", "Std. dev.", lambda v: number(v, d), True),
    ]
    caption = f"{label}: {subject} per year"
    return present.show(
        present.paragraphs(*text),
        present.figure(fig, alt),
        present.table(table, columns, caption, table["simulated"]),
    )


def bands(panel: Panel) -> HTML:
    """Units per band per year: stacked bars, a note where the bands changed, and the counts."""
    provinces = panel.scores("province")
    counts = band_counts_by_year(provinces, panel.bands)
    regimes = band_regimes(panel.bands)
    unit = panel.unit_label
    fig = charts.bands_by_year(
        counts,
        regimes,
        f"{panel.index_name}: provinces per band, {period_text(panel.first, panel.last)}",
        _source(panel),
    )
    parts = "; ".join(f"{period_text(r['first'], r['last'])}: {r.ranges}" for _, r in regimes.iterrows())
    alt = f"Stacked bar chart of provinces per band for each year; bands as published: {parts}."
    text = []
    if len(regimes) > 1:
        changed = in_words([str(y) for y in regimes["first"].iloc[1:]])
        text.append(
            f"The bands changed in {changed}, so a band's letter does not mean the same range in every year: "
            + "; ".join(
                f"{period_text(r['first'], r['last'])}: "
                f"{yearly_text.band_rule(panel.bands[r['first']], unit)}"
                for _, r in regimes.iterrows()
            )
            + "."
        )
    threshold = common_threshold(panel.bands)
    if threshold is not None:
        text.append(threshold_sentence(at_or_above(provinces, threshold, panel.decimals), threshold, unit))
    wide = _band_table(counts, panel, threshold)
    return present.show(present.paragraphs(*text), present.figure(fig, alt), wide)


def _band_table(counts: pd.DataFrame, panel: Panel, threshold: float | None) -> str:
    labels = list(dict.fromkeys(counts.sort_values(["position", "band"])["band"]))
    rows = []
    for year, group in counts.groupby("year", sort=True):
        by_band = dict(zip(group["band"], group["count"], strict=True))
        sim = dict(zip(group["band"], group["simulated"], strict=True))
        own = panel.bands[year]
        row = {
            "year": str(year),
            "bands": ", ".join(f"{b.label} {regime_range(own, i)}" for i, b in enumerate(own)),
        }
        for label in labels:
            row[label] = (
                DASH if label not in by_band else f"{by_band[label]}" + (SIMULATED_MARK if sim[label] else "")
            )
        rows.append(row)
    frame = pd.DataFrame(rows)
    if threshold is not None:
        above = at_or_above(panel.scores("province"), threshold, panel.decimals)
        frame[f"≥ {threshold:g}"] = [str(c) for c in above["count"]]
    columns = [Column("year", "Year"), Column("bands", "Bands as published")] + [
        Column(c, c, numeric=True) for c in frame.columns[2:]
    ]
    note = (
        f'<p class="parindex-note">{SIMULATED_MARK} the band holds simulated values.</p>'
        if counts["simulated"].any()
        else ""
    )
    return present.table(frame, columns, "Provinces per band, each year in its own bands") + note


def leading(panel: Panel, top: int = 10) -> HTML:
    """Rank trajectories of the last year's leading provinces: bump chart, sentence and table."""
    provinces = panel.scores("province")
    paths = rank_trajectories(provinces, top)
    shown = paths["code"].nunique()
    fig = charts.rank_trajectories(
        paths,
        f"{panel.index_name}: rank of the top {shown} of {panel.last} in every year",
        _source(panel),
    )
    best = paths[paths["final_rank"] == 1]
    alt = (
        f"Bump chart of the ranks of the {shown} leading provinces of {panel.last} from "
        f"{panel.first} to {panel.last}; first in {panel.last}: {in_words(list(best['name'].unique()))}."
    )
    ranks = history(provinces[provinces["code"].isin(paths["code"])], "rank")
    text = [leader_sentence(leaders(provinces))]
    steady = ranks[ranks[panel.labels].le(shown).fillna(False).astype(bool).all(axis=1)]
    if len(panel.years) > 1:
        text.append(
            f"In the top {shown} in every year: {in_words(list(steady['name']))}."
            if not steady.empty
            else f"None of them was in the top {shown} in every year."
        )
    simulated = provinces.pivot(index="code", columns="year", values="provenance").eq("simulated")
    frame = ranks[["code", "name"]].copy()
    for year in panel.labels:
        frame[str(year)] = [
            DASH if pd.isna(rank) else f"{int(rank)}" + (SIMULATED_MARK if simulated.loc[code, year] else "")
            for code, rank in zip(ranks["code"], ranks[year], strict=True)
        ]
    columns = [Column("name", "Province", css="nowrap")] + [
        Column(str(y), str(y), numeric=True) for y in panel.labels
    ]
    table = present.table(frame, columns, "Rank in every year (1 is best)") + _marked(frame)
    return present.show(present.paragraphs(*text), present.figure(fig, alt), table)


def movers(panel: Panel, k: int = 5) -> HTML:
    """Largest risers and fallers between consecutive years and over the whole period."""
    d = panel.decimals
    provinces = panel.scores("province")
    if len(panel.years) < 2:
        return HTML("<p>One year only: no change to show.</p>")
    moves = largest_moves(provinces, d, k)
    whole_moves = moves[(moves.start == panel.first) & (moves.end == panel.last)]
    whole = changes(provinces, panel.first, panel.last, d)
    shown = whole[whole["code"].isin(whole_moves[whole_moves.by == "points"]["code"])]
    first, last = str(panel.first), str(panel.last)
    kinds = in_words(
        [w for w, sign in (("rises", 1), ("falls", -1)) if (shown.score_change * sign > 0).any()]
    )
    fig = yearly_charts.change(
        shown,
        f"{panel.index_name}: the largest {kinds or 'moves'} from {first} to {last}",
        _source(panel),
        previous_label=first,
        current_label=last,
        score_label=f"{panel.index_name} ({panel.unit_label})",
        decimals=d,
    )
    both = whole[whole.status == "both"]
    rose, fell = int((both.score_change > 0).sum()), int((both.score_change < 0).sum())
    alt = (
        f"Dumbbell chart of the provinces with the largest rises and falls of {panel.index_name} from "
        f"{first} to {last}, each province's {first} score joined to its {last} score. "
        + move_sentence(whole_moves, panel.first, panel.last, decimals=d)
    )
    counted = (
        f"all {rose} raised their score"
        if rose == len(both)
        else f"{rose} raised their score, {fell} lowered it and {len(both) - rose - fell} kept it"
    )
    text = [
        f"Of the {len(both)} provinces ranked in both {first} and {last}, {counted}.",
        move_sentence(whole_moves, panel.first, panel.last, decimals=d),
    ]
    steps = _steps_table(moves, list(zip(panel.labels, panel.labels[1:], strict=False)), d)
    return present.show(
        present.paragraphs(*text), present.figure(fig, alt), _whole_table(whole_moves, panel, k, kinds), steps
    )


def _marked(frame: pd.DataFrame) -> str:
    """The simulated note, when some pre-formatted cell of the frame carries the mark."""
    cells = frame.astype(str).apply(lambda column: column.str.endswith(SIMULATED_MARK))
    return f'<p class="parindex-note">{present.SIMULATED_NOTE}</p>' if cells.to_numpy().any() else ""


def _steps_table(moves: pd.DataFrame, pairs: list[tuple[int, int]], d: int) -> str:
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
                number(h.score_change, d, signed=True)
                if by == "points"
                else f"{h.rank_previous} → {h.rank_current}"
            )
            row[f"{direction}_{by}"] = f"{h['name']} {value}" + (
                SIMULATED_MARK if h.provenance == "simulated" else ""
            )
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return ""
    columns = [
        Column("period", "Years"),
        Column("rise_points", "Largest rise (points)"),
        Column("fall_points", "Largest fall (points)"),
        Column("rise_ranks", "Largest climb (rank)"),
        Column("fall_ranks", "Largest drop (rank)"),
    ]
    return present.table(frame, columns, "Largest moves between consecutive years") + _marked(frame)


def _whole_table(moves: pd.DataFrame, panel: Panel, k: int, kinds: str) -> str:
    d = panel.decimals
    points = moves[moves.by == "points"]
    columns = [
        Column("direction", "Move"),
        Column("name", "Province", css="nowrap"),
        Column("score_previous", str(panel.first), lambda v: number(v, d), True, True),
        Column("score_current", str(panel.last), lambda v: number(v, d), True, True),
        Column("score_change", "Change (points)", lambda v: number(v, d, signed=True), True),
        Column("rank_previous", f"Rank {panel.first}", numeric=True),
        Column("rank_current", f"Rank {panel.last}", numeric=True),
    ]
    caption = f"The {k} largest {kinds or 'moves'} in points, {period_text(panel.first, panel.last)}"
    return present.table(points, columns, caption, points["provenance"].eq("simulated"))


def regions(panel: Panel) -> HTML:
    """Regional means per year as small multiples against the national mean, with published means marked."""
    d, unit = panel.decimals, panel.unit_label
    provinces = panel.scores("province")
    slug = panel.years[-1].params.index.slug
    names = panel.regions.short_en
    regional = regional_means_by_year(provinces, panel.published(slug), names, d)
    national = mean_by_year(provinces, panel.published(slug), d)
    fig = charts.regional_trends(
        regional,
        national,
        f"{panel.index_name}: regional means per year, {period_text(panel.first, panel.last)}",
        _source(panel),
        score_label=f"Mean {panel.index_name} ({unit})",
        decimals=d,
    )
    top = regional.loc[regional.groupby("year")["mean"].idxmax()]
    alt = (
        f"Small multiples, one panel per region, of the regional mean per year against the national mean; "
        f"highest regional mean in {panel.last}: {top['name'].iloc[-1]} ({number(top['mean'].iloc[-1], d)})."
    )
    text = [region_sentence(regional, d, unit)]
    table_rows = []
    for code, name in names.items():
        own = regional[regional.region == code].set_index("year")
        if own.empty:
            continue
        row = {"name": name}
        for year in panel.labels:
            row[str(year)] = (
                number(own.loc[year, "mean"], d) + (SIMULATED_MARK if own.loc[year, "simulated"] else "")
                if year in own.index
                else DASH
            )
        table_rows.append(row)
    national_row = {"name": "National mean"}
    for _, r in national.iterrows():
        national_row[str(r.year)] = number(r["mean"], d) + (SIMULATED_MARK if r.simulated else "")
    table = pd.DataFrame(table_rows + [national_row])
    columns = [Column("name", "Region", css="nowrap")] + [
        Column(str(y), str(y), numeric=True) for y in panel.labels
    ]
    parts = [
        present.paragraphs(*text),
        present.figure(fig, alt),
        present.table(table, columns, "Mean by region and year") + _marked(table),
    ]
    printed = regional[regional["published"].notna()].copy()
    if not printed.empty:
        printed["published_text"] = printed_means(printed)
        matched = int((printed["status"] == analysis.MATCH).sum())
        parts.append(
            present.paragraphs(
                f"{matched} of {len(printed)} published regional means are reproduced by the data."
            )
        )
        checks = [
            Column("year", "Year"),
            Column("name", "Region", css="nowrap"),
            Column("published_text", "Published mean", numeric=True),
            Column("mean", "Computed mean", lambda v: number(v, d), True, True),
            Column("status", "Check"),
        ]
        parts.append(
            present.table(
                printed, checks, "Published regional means beside the computed ones", printed["simulated"]
            )
        )
    return present.show(*parts)


def ministries(panel: Panel) -> HTML:
    """Ministries over time: the mean per year, each ministry's score and rank per year, the set's changes."""
    d = panel.decimals
    scores = panel.scores("ministry")
    if scores.empty:
        return HTML("<p>No ministries are ranked in these years' inputs.</p>")
    slug = panel.years[-1].params.index.slug
    means = mean_by_year(scores, panel.published(slug, "ministry"), d)
    sets = unit_sets(scores)
    text = mean_sentences(means, "mean of ministries and agencies", panel.unit_label, d)
    counts = ", ".join(f"{n} in {years_text(years)}" for n, years in runs_of(sets["year"], sets["n"]))
    text.append(f"Units ranked: {counts}.")
    for _, r in sets.iterrows():
        if r.left:
            text.append(f"Not ranked from {r.year}: {', '.join(r.left)}.")
        if r.joined:
            text.append(f"Ranked from {r.year}: {', '.join(r.joined)}.")
    leader = leader_sentence(leaders(scores))
    text.append(leader)
    spread = spread_by_year(scores)
    mean_fig = charts.yearly_means(
        means,
        f"{panel.index_name}: mean of ministries and agencies per year",
        _source(panel),
        spread=spread,
        score_label=f"{panel.index_name} ({panel.unit_label})",
        mean_label="mean of ministries",
        decimals=d,
    )
    grid = charts.score_grid(
        scores,
        f"{panel.index_name}: ministries and agencies, score and rank per year",
        _source(panel),
        decimals=d,
    )
    alt_mean = f"Line chart of the mean of ministries per year, {from_to(means, d)}."
    alt_grid = (
        f"Grid of {scores.code.nunique()} ministries and agencies by {len(panel.years)} years, each cell the "
        f"score and rank; {leader}"
    )
    means = means.assign(published_text=printed_means(means))
    columns = [
        Column("year", "Year"),
        Column("n", "Units", numeric=True),
        Column("mean", "Mean", lambda v: number(v, d), True, True),
        Column("published_text", "Published mean", numeric=True),
        Column("status", "Check", lambda v: v or DASH),
    ]
    table = present.table(means, columns, "Ministries and agencies: mean per year", means["simulated"])
    return present.show(
        present.paragraphs(*text), present.figure(mean_fig, alt_mean), table, present.figure(grid, alt_grid)
    )


def companion(panel: Panel) -> HTML:
    """The companion index (SIPAS) over time: national mean, published means marked, spread per year."""
    frame = panel.companion()
    name = panel.companion_name
    if frame.empty or name is None:
        return HTML("<p>No companion index is given for these years.</p>")
    d = panel.decimals
    means = mean_by_year(frame, panel.published(name.lower()), d)
    spread = spread_by_year(frame)
    fig = charts.yearly_means(
        means,
        f"{name}: national mean and spread per year, {period_text(means.year.iloc[0], means.year.iloc[-1])}",
        _source(panel),
        spread=spread,
        score_label=f"{name} (%)",
        mean_label="national mean",
        decimals=d,
    )
    alt = (
        f"Line chart of the {name} national mean per year, {from_to(means, d)}, published means marked, "
        "each year's spread drawn as a box."
    )
    text = mean_sentences(means, f"{name} national mean", "%", d)
    gaps = spread.set_index("year")["range"].map(lambda gap: analysis.round_half_up(gap, d))
    text.append(gap_sentence(gaps, "province", d))
    text.append(leader_sentence(leaders(frame), f"First in {name}"))
    table = means.merge(spread[["year", "min", "median", "max", "std"]], on="year")
    table["published_text"] = printed_means(table)
    columns = [
        Column("year", "Year"),
        Column("n", "Provinces", numeric=True),
        Column("mean", "Mean", lambda v: number(v, d), True, True),
        Column("published_text", "Published mean", numeric=True),
        Column("status", "Check", lambda v: v or DASH),
        Column("min", "Lowest", lambda v: number(v, d), True),
        Column("median", "Median", lambda v: number(v, d), True),
        Column("max", "Highest", lambda v: number(v, d), True),
        Column("std", "Std. dev.", lambda v: number(v, d), True),
    ]
    return present.show(
        present.paragraphs(*text),
        present.figure(fig, alt),
        present.table(table, columns, f"{name}: national mean and spread per year", table["simulated"]),
    )


def methodology(panel: Panel) -> HTML:
    """Bands per year as published, ranks, means, changes and what the demonstration data is."""
    unit = panel.unit_label
    regimes = band_regimes(panel.bands)
    rows = pd.DataFrame(
        {
            "years": [period_text(r["first"], r["last"]) for _, r in regimes.iterrows()],
            "bands": [yearly_text.band_rule(panel.bands[r["first"]], unit) for _, r in regimes.iterrows()],
        }
    )
    texts = [
        "Each year is shown in its own bands, as published for that year; a band's letter may mean another "
        "range in another year. Counts above a threshold shared by every year's bands are comparable across "
        "the whole period.",
        f"Ranks: 1 is best. No official rule for ties is published; ranks are computed each year with "
        f"competition ranking (1, 2, 2, 4) on scores rounded to {panel.decimals} decimals.",
        "Means are the plain means of the units ranked that year (no weighting), rounded half-up; a "
        "published mean matches when it lies within half a unit of its last printed decimal. Regional means "
        "use the socio-economic regions of the unit register.",
        "Changes compare a unit with itself in two years (units ranked in both years only); a positive "
        "change in rank means the unit moved up. The set of ranked ministries changes between years, so "
        "their mean is not taken over the same units every year.",
    ]
    if panel.demonstration:
        texts.append(
            "Demonstration data: no complete official table is open data, so values not read in a public "
            "source are simulated to keep every published figure of each year (see data/demo/README.md). "
            "They are marked † in tables and drawn hatched or hollow in charts."
        )
    columns = [Column("years", "Years"), Column("bands", "Bands as published")]
    return present.show(present.paragraphs(*texts), present.table(rows, columns, "Bands per year"))


def provenance_rows(panel: Panel) -> pd.DataFrame:
    """Every file the trends report read (each year's inputs and params, published aggregates), with SHA-256.

    The rows of each year come from `year_provenance_rows`, so both reports list files the same way.
    """
    frames = [year_provenance_rows(Year(y.params, y.data, None, y.regions)) for y in panel.years]
    extra = []
    for y in panel.years:
        if y.params.published:
            extra.append(y.params.path(y.params.published) / AGGREGATES)
        extra.append(y.params.path(y.params.units_dir) / "regions.csv")
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


def provenance(panel: Panel) -> HTML:
    """Input files with SHA-256, package versions and build time."""
    rows = provenance_rows(panel)
    columns = [
        Column("file", "File"),
        Column("rows", "Rows", lambda v: DASH if v is None or pd.isna(v) else str(int(v)), True),
        Column("sha256", "SHA-256", css="hash"),
    ]
    version_text = ", ".join(f"{k} {v}" for k, v in versions().items())
    values = pd.concat([y.data.scores for y in panel.years])
    counts = values.provenance.value_counts()
    text = (
        f"Built {build_time()} with {version_text}. Of {len(values)} {panel.index_name} values over "
        f"{len(panel.years)} years, {counts.get('published', 0)} are published and "
        f"{counts.get('simulated', 0)} simulated."
    )
    return present.show(present.paragraphs(text), present.table(rows, columns, "Files read"))


def _source(panel: Panel) -> str:
    params = panel.years[-1].params
    publisher = params.index.publisher
    return " ".join(
        part for part in (f"Source: {publisher}." if publisher else "", params.source_note) if part
    )
