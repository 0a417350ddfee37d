"""The yearly report's files: summary.json and the tables as CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from parindex import analysis
from parindex.reports import present
from parindex.reports.provenance import build_time, versions
from parindex.reports.tables import with_region_names, write_csv
from parindex.reports.yearly.reconcile import reconciliation_rows
from parindex.reports.yearly.sections import provenance_rows
from parindex.reports.yearly.year import Year


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


def table_name(unit_type: str) -> str:
    """The name of a unit type's table and summary block: "provinces", "ministries", else the type's name."""
    return _TABLE_NAMES.get(unit_type, unit_type)


_TABLE_NAMES = {"province": "provinces", "ministry": "ministries"}


def summary(year: Year) -> dict:
    """The year's figures as summary.json holds them: the main units' at the top, each other type's apart."""
    provinces = _block(year, year.params.main_type)
    data = {
        "year": year.params.year,
        "index": year.params.index.name,
        "title": year.params.index.title,
        "demonstration": year.demonstration,
        "comparison_year": year.params.comparison_year,
        "n": provinces.get("n_units"),
        **provinces,
        **{table_name(t): _block(year, t) for t in year.params.secondary_types},
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
    for unit_type in year.params.units:
        file = f"{table_name(unit_type)}.csv"
        units = year.units(unit_type)
        compared = year.compared(unit_type)
        frame = units[keep].rename(columns={"computed_rank": "rank"})
        if compared is not None:
            frame = frame.join(
                compared.set_index("code")[["score_change", "rank_change", "band_move"]], on="code"
            )
        write_csv(with_region_names(frame, year.regions), tables / file, f"%.{year.decimals}f")
    if year.companion is not None:
        companion = with_region_names(
            year.companion[["computed_rank", "code", "name", "score", "region", "provenance"]], year.regions
        )
        write_csv(
            companion.rename(columns={"computed_rank": "rank"}),
            tables / f"{year.params.companion.name.lower()}.csv",
            f"%.{year.decimals}f",
        )
    provinces = year.units(year.params.main_type)
    if year.has_regions:
        regions = analysis.describe(provinces, by="region", order=list(year.regions.names_en))
        write_csv(with_region_names(regions, year.regions), tables / "regions.csv", "%.4f")
    write_csv(analysis.band_counts(provinces, year.bands), tables / "bands.csv")
    write_csv(reconciliation_rows(year), tables / "reconciliation.csv")
