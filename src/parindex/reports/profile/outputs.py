"""The profile's files: summary.json and its tables."""

from __future__ import annotations

import math
from pathlib import Path

from parindex.reports import present
from parindex.reports.profile.unit import Profile


def _clean(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def summary(p: Profile) -> dict:
    """The profile's figures as summary.json holds them."""
    row = p.row
    history = [
        {
            "year": int(r["year"]),
            "score": float(r["score"]),
            "rank": int(r["rank"]),
            "n_units": int(r["n_units"]),
            "band": r["band"],
            "national_mean": _clean(r["national_mean"]),
            "region_mean": _clean(r["region_mean"]),
            "provenance": r["provenance"],
        }
        for _, r in p.timeline.iterrows()
    ]
    companion = [
        {
            "year": int(r["year"]),
            "index": r["index"],
            "score": float(r["score"]),
            "rank": int(r["rank"]),
            "national_mean": _clean(r["national_mean"]),
            "provenance": r["provenance"],
        }
        for _, r in p.companion_timeline.iterrows()
    ]
    return {
        "code": p.code,
        "name": p.name,
        "year": p.year,
        "index": p.params.index.name,
        "score": float(row["score"]),
        "rank": int(row["rank"]),
        "n_units": int(row["n_units"]),
        "band": row["band"],
        "region": p.region,
        "region_name": p.region_name,
        "national_mean": _clean(row["national_mean"]),
        "region_mean": _clean(row["region_mean"]),
        "provenance": row["provenance"],
        "demonstration": p.demonstration,
        "history": history,
        "companion": companion,
        "neighbours": [
            {"code": r["code"], "name": r["name"], "rank": int(r["rank"]), "score": float(r["score"])}
            for _, r in p.neighbours.iterrows()
        ],
        "components": [
            {"component": r["component"], "score": _clean(r["score"])} for _, r in p.components.iterrows()
        ],
    }


def write_outputs(p: Profile, output_dir: str | Path) -> None:
    """Writes summary.json for the profile into output_dir; nothing when output_dir is empty."""
    if not output_dir:
        return
    present.write_summary(Path(output_dir), summary(p))
