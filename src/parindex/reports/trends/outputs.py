"""The trends report's files: summary.json and the tables as CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from parindex.reports import present
from parindex.reports.provenance import build_time, versions
from parindex.reports.tables import with_region_names, write_csv
from parindex.reports.trends.across import (
    at_or_above,
    band_counts_by_year,
    band_regimes,
    common_threshold,
    history,
    largest_moves,
    mean_by_year,
    regional_means_by_year,
    spread_by_year,
)
from parindex.reports.trends.panel import Panel
from parindex.reports.trends.sections import provenance_rows
from parindex.reports.yearly.outputs import table_name


def _records(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", force_ascii=False))


def summary(panel: Panel) -> dict:
    """The trends' figures as summary.json holds them, in no language: bands as symbols."""
    d = panel.decimals
    provinces = panel.scores()
    slug = panel.years[-1].params.index.slug
    means = mean_by_year(provinces, panel.published(slug), d)
    counts = band_counts_by_year(provinces, panel.bands)
    moves = largest_moves(provinces, d, k=5)
    data = {
        "index": panel.index_name,
        "title": f"{panel.name}: trends",
        "years": panel.labels,
        "demonstration": panel.demonstration,
        "means": _records(means.drop(columns="precision")),
        "band_counts": {
            str(year): {row.band: int(row["count"]) for _, row in group.iterrows()}
            for year, group in counts.groupby("year", sort=True)
        },
        "bands": _band_ranges(panel),
        "movers": _records(
            moves[
                [
                    "period",
                    "by",
                    "direction",
                    "position",
                    "code",
                    "name",
                    "score_previous",
                    "score_current",
                    "score_change",
                    "rank_previous",
                    "rank_current",
                    "rank_change",
                    "provenance",
                ]
            ]
        ),
    }
    if panel.has_regions:
        regional = regional_means_by_year(provinces, panel.published(slug), panel.regions.names_en, d)
        data["regional_means"] = _records(regional.drop(columns="precision"))
    threshold = common_threshold(panel.bands)
    if threshold is not None:
        data["at_or_above"] = {
            "threshold": threshold,
            "counts": _records(at_or_above(provinces, threshold, d)),
        }
    for unit_type in panel.secondary_types:
        frame = panel.scores(unit_type)
        if not frame.empty:
            means = mean_by_year(frame, panel.published(slug, unit_type), d)
            data[table_name(unit_type)] = _records(means.drop(columns="precision"))
    companion_frame = panel.companion()
    if not companion_frame.empty:
        name = panel.companion_name
        data["companion"] = {
            "name": name,
            "means": _records(
                mean_by_year(companion_frame, panel.published(name.lower()), d).drop(columns="precision")
            ),
        }
    data["sources"] = _records(provenance_rows(panel))
    data["versions"] = versions()
    data["built"] = build_time()
    return data


def _band_ranges(panel: Panel) -> dict[str, str]:
    """Each year's bands in symbols, e.g. {"2018": "A ≥ 80, B 75–<80, C 70–<75, D < 70"}."""
    regimes = band_regimes(panel.bands)
    return {
        str(year): regime.ranges
        for regime in regimes.itertuples(index=False)
        for year in panel.labels
        if regime.first <= year <= regime.last
    }


def write_outputs(panel: Panel, output_dir: str | Path) -> None:
    """Writes summary.json and tables/*.csv into output_dir; nothing when output_dir is empty."""
    if not output_dir:
        return
    folder = Path(output_dir)
    tables = folder / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    present.write_summary(folder, summary(panel))
    d = panel.decimals
    fmt = f"%.{d}f"
    slug = panel.years[-1].params.index.slug
    provinces = panel.scores()
    keep = ["year", "rank", "code", "name", "score", "band", "region", "provenance"]
    write_csv(
        with_region_names(provinces[keep], panel.regions), tables / f"{table_name(panel.main_type)}.csv", fmt
    )
    write_csv(mean_by_year(provinces, panel.published(slug), d), tables / "means.csv", fmt)
    write_csv(spread_by_year(provinces), tables / "spread.csv", "%.4f")
    write_csv(band_counts_by_year(provinces, panel.bands), tables / "bands.csv")
    write_csv(history(provinces, "rank"), tables / "ranks.csv")
    write_csv(largest_moves(provinces, d), tables / "movers.csv", fmt)
    if panel.has_regions:
        regions = regional_means_by_year(provinces, panel.published(slug), panel.regions.names_en, d)
        write_csv(regions, tables / "regions.csv", fmt)
    for unit_type in panel.secondary_types:
        frame = panel.scores(unit_type)
        if not frame.empty:
            write_csv(frame[keep[:-2] + ["provenance"]], tables / f"{table_name(unit_type)}.csv", fmt)
            means = mean_by_year(frame, panel.published(slug, unit_type), d)
            write_csv(means, tables / f"{unit_type}_means.csv", fmt)
    companion_frame = panel.companion()
    if not companion_frame.empty:
        name = panel.companion_name.lower()
        columns = ["year", "rank", "code", "name", "score", "region", "provenance"]
        write_csv(with_region_names(companion_frame[columns], panel.regions), tables / f"{name}.csv", fmt)
        means = mean_by_year(companion_frame, panel.published(name), d).merge(
            spread_by_year(companion_frame).drop(columns="mean"), on="year"
        )
        write_csv(means, tables / f"{name}_means.csv", fmt)
