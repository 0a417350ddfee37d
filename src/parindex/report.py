"""Yearly report: the figures, sentences, tables and charts of one year, and its summary.json and tables."""

from __future__ import annotations

import datetime
import hashlib
import html
import json
import os
import platform
from dataclasses import dataclass
from functools import cached_property
from importlib import metadata
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from parindex import analysis, charts
from parindex.data.ingest import YearData, load_year
from parindex.data.params import Band, Params, load_params
from parindex.data.published import load_aggregates, select
from parindex.data.units import Regions, load_regions
from parindex.reports import present
from parindex.reports.present import Column, number

VERSIONED = ("parindex", "pandas", "numpy", "matplotlib", "papermill", "nbconvert", "pandera", "playwright")
UNIT_NOUNS = {"province": ("province", "provinces"), "ministry": ("ministry", "ministries")}


@dataclass(frozen=True)
class Year:
    """One year's data with its analysis: what a report about that year shows."""

    params: Params
    data: YearData
    previous: YearData | None
    regions: Regions

    @property
    def decimals(self) -> int:
        return self.params.index.decimals

    @property
    def bands(self) -> tuple[Band, ...]:
        return self.params.bands

    @property
    def name(self) -> str:
        """The index and year, e.g. "PAR INDEX 2020"."""
        return f"{self.params.index.name} {self.params.year}"

    @property
    def demonstration(self) -> bool:
        """Whether any value shown is simulated."""
        frames = [self.data.scores] + ([self.data.companion] if self.data.companion is not None else [])
        return any((f.provenance == "simulated").any() for f in frames)

    def units(self, unit_type: str) -> pd.DataFrame:
        """The units of one type with band and computed rank, best first."""
        frame = self.data.scores[self.data.scores.unit_type == unit_type]
        return analysis.with_bands(frame, self.bands, self.decimals).sort_values(["computed_rank", "code"])

    def previous_units(self, unit_type: str) -> pd.DataFrame | None:
        if self.previous is None:
            return None
        return self.previous.scores[self.previous.scores.unit_type == unit_type]

    def compared(self, unit_type: str) -> pd.DataFrame | None:
        """Unit-by-unit change on the comparison year, or None without one."""
        before = self.previous_units(unit_type)
        if before is None or before.empty:
            return None
        return analysis.compare(
            self.units(unit_type), before, self.bands, self.previous.params.bands, self.decimals
        )

    @cached_property
    def companion(self) -> pd.DataFrame | None:
        frame = self.data.companion
        if frame is None:
            return None
        return frame.assign(computed_rank=analysis.competition_rank(frame.score, self.decimals)).sort_values(
            ["computed_rank", "code"]
        )

    def mean(self, frame: pd.DataFrame) -> float:
        return analysis.round_half_up(frame.score.mean(), self.decimals)


def load(params_file: str | Path) -> Year:
    """Loads a year and its comparison year (params/<comparison_year>.yaml beside the params file).

    Args:
        params_file: The year's params file.

    Returns:
        The year, validated.

    Raises:
        InputError: Params or data of the year or of its comparison year are invalid.
    """
    params = load_params(params_file)
    previous = None
    if params.comparison_year is not None:
        previous_file = Path(params.file).parent / f"{params.comparison_year}.yaml"
        if previous_file.is_file():
            previous = load_year(load_params(previous_file))
    return Year(params, load_year(params), previous, load_regions(params.path(params.units_dir)))


# --- sentences -------------------------------------------------------------------------------------------


def _plural(count: int, unit_type: str) -> str:
    singular, plural = UNIT_NOUNS.get(unit_type, (unit_type, unit_type + "s"))
    return f"{count} {singular if count == 1 else plural}"


def band_rule(bands: tuple[Band, ...], unit: str = "%") -> str:
    """The bands in words, e.g. "A: 90% and above; B: 80% to under 90%; C: 70% to under 80%"."""
    parts = []
    for position, band in enumerate(bands):
        low = f"{band.min:g}{unit}"
        if position == 0:
            parts.append(f"{band.label}: {low} and above")
        elif band.min == 0:
            parts.append(f"{band.label}: under {bands[position - 1].min:g}{unit}")
        else:
            parts.append(f"{band.label}: {low} to under {bands[position - 1].min:g}{unit}")
    return "; ".join(parts)


def headline(year: Year, unit_type: str = "province") -> list[str]:
    """The key sentences of a year, written from the data: n, mean and change, best, worst, bands."""
    units = year.units(unit_type)
    unit = year.params.index.unit_label
    d = year.decimals
    mean = year.mean(units)
    sentences = [
        f"{year.name} assessed {_plural(len(units), unit_type)}; the mean score is {number(mean, d)}{unit}."
    ]
    before = year.previous_units(unit_type)
    if before is not None and not before.empty:
        previous_mean = year.mean(before)
        change = analysis.round_half_up(mean - previous_mean, d)
        direction = "up" if change > 0 else "down" if change < 0 else "unchanged"
        sentences[0] = sentences[0][:-1] + (
            f", {direction} {number(abs(change), d)} points on {year.params.comparison_year} "
            f"({number(previous_mean, d)}{unit})."
            if change
            else f", unchanged on {year.params.comparison_year}."
        )
    best, worst = units.iloc[0], units.iloc[-1]
    sentences.append(
        f"{best['name']} ranks first with {number(best.score, d)}{unit}; {worst['name']} ranks last "
        f"(rank {worst.computed_rank}) with {number(worst.score, d)}{unit}."
    )
    counts = analysis.band_counts(units, year.bands)
    parts = [f"{row['count']} in band {row.band} ({analysis_range(row)})" for _, row in counts.iterrows()]
    sentences.append("By band: " + ", ".join(parts) + ".")
    compared = year.compared(unit_type)
    if compared is not None:
        moved = analysis.change_summary(compared)
        parts = [f"{moved.improved} improved their score", f"{moved.declined} declined"]
        parts += [f"{moved.unchanged} kept it"] if moved.unchanged else []
        parts += [f"{moved.new} are new"] if moved.new else []
        parts += [f"{moved.absent} are no longer ranked"] if moved.absent else []
        listed = ", ".join(parts[:-1]) + " and " + parts[-1]
        sentences.append(f"Against {year.params.comparison_year}, {listed}.")
    return sentences


def analysis_range(row: pd.Series) -> str:
    """A band's range from a band_counts row, e.g. "80–<90"."""
    if pd.isna(row.upper):
        return f"≥ {row.lower:g}"
    if pd.isna(row.lower) or row.lower == 0:
        return f"< {row.upper:g}"
    return f"{row.lower:g}–<{row.upper:g}"


# --- sections --------------------------------------------------------------------------------------------


def title(year: Year) -> HTML:
    """The report's heading, its style, and the demonstration banner when values are simulated."""
    parts = [present.STYLE, f"<h1>{html.escape(year.name)}: {html.escape(year.params.index.title)}</h1>"]
    if year.params.index.title_vi:
        parts.append(f"<p><i>{html.escape(year.params.index.title_vi)} năm {year.params.year}</i></p>")
    if year.demonstration:
        parts.append(
            present.banner(
                "Demonstration data: values marked † are simulated, not official results. Only values read "
                "in public sources are marked published (see Provenance)."
            )
        )
    return HTML("".join(parts))


def key_figures(year: Year) -> HTML:
    """Key figures in boxes and in sentences."""
    units = year.units("province")
    d = year.decimals
    unit = year.params.index.unit_label
    counts = analysis.band_counts(units, year.bands)
    boxes = [
        ("Provinces", str(len(units))),
        ("Mean", f"{number(year.mean(units), d)}{unit}"),
        ("Highest", f"{number(units.score.max(), d)}{unit}"),
        ("Lowest", f"{number(units.score.min(), d)}{unit}"),
    ] + [(f"Band {row.band}", str(row["count"])) for _, row in counts.iterrows()]
    parts = [present.key_figures(boxes), present.paragraphs(*headline(year))]
    before = year.previous_units("province")
    if before is not None and not before.empty:
        parts.append(_band_comparison(year, units, before))
    return present.show(*parts)


def _band_comparison(year: Year, units: pd.DataFrame, before: pd.DataFrame) -> str:
    previous_bands = year.previous.params.bands
    now = analysis.band_counts(units, year.bands)
    then = analysis.band_counts(analysis.with_bands(before, previous_bands, year.decimals), previous_bands)
    rows = pd.DataFrame(
        {
            "year": [year.params.year] * len(now) + [year.params.comparison_year] * len(then),
            "band": list(now.band) + list(then.band),
            "range": [analysis_range(r) for _, r in now.iterrows()]
            + [analysis_range(r) for _, r in then.iterrows()],
            "count": list(now["count"]) + list(then["count"]),
        }
    )
    columns = [
        Column("year", "Year"),
        Column("band", "Band"),
        Column("range", "Range"),
        Column("count", "Units", numeric=True),
    ]
    note = "" if tuple(previous_bands) == tuple(year.bands) else " (the bands changed between the two years)"
    return present.table(
        rows, columns, caption=f"Units per band, {year.params.year} and {year.params.comparison_year}{note}"
    )


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
            Column("rank_change", "Change (ranks)", lambda v: _rank_move(v), True),
        ]
    if unit_type == "province":
        columns.append(
            Column("region", "Region", lambda code: year.regions.short_en.get(code, code), css="nowrap")
        )
    caption = f"{year.name}: all {_plural(len(units), unit_type)} ranked"
    if compared is not None:
        caption += f"; changes on {year.params.comparison_year}"
    return present.show(present.table(frame, columns, caption, frame.provenance.eq("simulated")))


def _rank_move(value: object) -> str:
    """A rank change as an arrow and a count: ▲ 3 moved up three places."""
    if value is None or pd.isna(value):
        return "–"
    value = int(value)
    return f"▲ {value}" if value > 0 else f"▼ {-value}" if value < 0 else "="


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
    published = _published(year, "par_index", "province")
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
        f"{_plural(len(frame), 'province')}; "
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


# --- reconciliation --------------------------------------------------------------------------------------


def _published(year: Year, index: str, unit_type: str) -> pd.DataFrame:
    if not year.params.published:
        return pd.DataFrame(columns=["metric", "value", "precision", "source_url"])
    return select(
        load_aggregates(year.params.path(year.params.published)), year.params.year, index, unit_type
    )


def _series(year: Year) -> list[tuple[str, str, str, pd.DataFrame, pd.DataFrame | None]]:
    """(index key, label, unit type, current frame, previous frame) for everything reconciled."""
    slug = year.params.index.slug
    out = []
    for unit_type in ("province", "ministry"):
        current = year.data.scores[year.data.scores.unit_type == unit_type]
        if not current.empty:
            out.append((slug, year.params.index.name, unit_type, current, year.previous_units(unit_type)))
    if year.data.companion is not None:
        previous = year.previous.companion if year.previous is not None else None
        name = year.params.companion.name
        out.append((name.lower(), name, "province", year.data.companion, previous))
    return out


def reconciliation_rows(year: Year) -> pd.DataFrame:
    """Every published aggregate of the year beside the same figure computed from the data."""
    frames = []
    for key, label, unit_type, current, previous in _series(year):
        published = _published(year, key, unit_type)
        if published.empty:
            continue
        computed = {m: analysis.metric_value(m, current, previous, year.decimals) for m in published.metric}
        rows = analysis.reconcile(computed, published[["metric", "value", "precision", "source_url"]])
        rows.insert(0, "index", label)
        rows.insert(1, "unit_type", unit_type)
        frames.append(rows)
    if not frames:
        return pd.DataFrame(
            columns=["index", "unit_type", "metric", "published", "computed", "difference", "status"]
        )
    return pd.concat(frames, ignore_index=True)


def reconciliation(year: Year) -> HTML:
    """The reconciliation table, with a sentence saying how many figures match."""
    rows = reconciliation_rows(year)
    if rows.empty:
        return HTML("<p>No published figures are recorded for this year.</p>")
    matched = int((rows.status == "match").sum())
    text = (
        f"{matched} of {len(rows)} published figures for {year.params.year} are reproduced by the data "
        f"(means within half a unit of the last printed decimal, counts exactly)."
    )
    flagged = rows[rows.status != "match"]
    if not flagged.empty:
        text += f" Flagged: {', '.join(flagged.metric)}."
    d = year.decimals
    columns = [
        Column("index", "Index"),
        Column("unit_type", "Units"),
        Column("metric", "Figure"),
        Column("published", "Published", lambda v: f"{v:g}", True),
        Column(
            "computed", "Computed", lambda v: "–" if v is None or pd.isna(v) else f"{round(v, d):g}", True
        ),
        Column("status", "Status"),
    ]
    return present.show(
        present.paragraphs(text),
        present.table(rows, columns, f"{year.name}: reconciliation with published figures"),
    )


# --- methodology and provenance --------------------------------------------------------------------------


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


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def build_time() -> str:
    """UTC time of the build: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (
        datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
        if epoch
        else datetime.datetime.now(datetime.UTC)
    )
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def versions() -> dict[str, str]:
    """Versions of Python and the packages that shape the report."""
    found = {"python": platform.python_version()}
    for package in VERSIONED:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return found


def provenance_rows(year: Year) -> pd.DataFrame:
    """Every file the report read (inputs, params), with its SHA-256."""
    root = year.params.root
    files = [(source.path, source.sha256, source.rows) for source in year.data.sources]
    files.append((Path(year.params.file), _sha256(year.params.file), None))
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


# --- outputs ---------------------------------------------------------------------------------------------


def _ranking_records(frame: pd.DataFrame) -> list[dict]:
    return [
        {
            "code": row.code,
            "name": row["name"],
            "score": float(row.score),
            "rank": int(row.computed_rank),
            "band": row.band,
            "region": row.region if isinstance(row.region, str) else None,
            "provenance": row.provenance,
        }
        for _, row in frame.iterrows()
    ]


def _block(year: Year, unit_type: str) -> dict:
    units = year.units(unit_type)
    if units.empty:
        return {}
    counts = analysis.band_counts(units, year.bands)
    stats = analysis.describe(units).iloc[0]
    d = year.decimals
    return {
        "n_units": len(units),
        "mean": year.mean(units),
        "median": analysis.round_half_up(stats["median"], d),
        "std": analysis.round_half_up(stats["std"], d),
        "min": float(units.score.min()),
        "max": float(units.score.max()),
        "band_counts": {row.band: int(row["count"]) for _, row in counts.iterrows()},
        "ranking": _ranking_records(units),
    }


def summary(year: Year) -> dict:
    """The year's figures as summary.json holds them."""
    provinces = _block(year, "province")
    data = {
        "year": year.params.year,
        "index": year.params.index.name,
        "title": year.params.index.title,
        "demonstration": year.demonstration,
        "comparison_year": year.params.comparison_year,
        "n": provinces.get("n_units"),
        **provinces,
        "ministries": _block(year, "ministry"),
    }
    if year.companion is not None:
        frame = year.companion
        data["companion"] = {
            "name": year.params.companion.name,
            "n_units": len(frame),
            "mean": analysis.round_half_up(frame.score.mean(), year.decimals),
            "ranking": [
                {
                    "code": r.code,
                    "name": r["name"],
                    "score": float(r.score),
                    "rank": int(r.computed_rank),
                    "provenance": r.provenance,
                }
                for _, r in frame.iterrows()
            ],
        }
    rows = reconciliation_rows(year)
    data["reconciliation"] = json.loads(rows.to_json(orient="records", force_ascii=False))
    data["sources"] = json.loads(provenance_rows(year).to_json(orient="records"))
    data["versions"] = versions()
    data["built"] = build_time()
    return data


def write_outputs(year: Year, output_dir: str | Path) -> None:
    """Writes summary.json and tables/*.csv into output_dir; nothing when output_dir is empty."""
    if not output_dir:
        return
    folder = Path(output_dir)
    tables = folder / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    present.write_summary(folder, summary(year))
    keep = ["computed_rank", "code", "name", "score", "band", "region", "provenance"]
    for unit_type, file in (("province", "provinces.csv"), ("ministry", "ministries.csv")):
        units = year.units(unit_type)
        compared = year.compared(unit_type)
        frame = units[keep].rename(columns={"computed_rank": "rank"})
        if compared is not None:
            frame = frame.join(
                compared.set_index("code")[["score_change", "rank_change", "band_move"]], on="code"
            )
        frame.to_csv(tables / file, index=False, float_format=f"%.{year.decimals}f")
    if year.companion is not None:
        companion = year.companion[["computed_rank", "code", "name", "score", "region", "provenance"]]
        companion.rename(columns={"computed_rank": "rank"}).to_csv(
            tables / f"{year.params.companion.name.lower()}.csv",
            index=False,
            float_format=f"%.{year.decimals}f",
        )
    provinces = year.units("province")
    analysis.describe(provinces, by="region", order=list(year.regions.names_en)).to_csv(
        tables / "regions.csv", index=False, float_format="%.4f"
    )
    analysis.band_counts(provinces, year.bands).to_csv(tables / "bands.csv", index=False)
    reconciliation_rows(year).to_csv(tables / "reconciliation.csv", index=False)
