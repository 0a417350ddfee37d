"""Every published fact of 2018-2024 holds in the demonstration panel, read through the data layer."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from parindex.analysis import metric_value
from parindex.data.ingest import load_year
from parindex.data.params import load_params
from parindex.data.published import load_aggregates, load_unit_facts, tolerance
from parindex.data.ranking import competition_rank
from parindex.data.units import load_unit_set

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "data" / "published"
PANEL_YEARS = range(2018, 2025)
AGGREGATES = load_aggregates(PUBLISHED)
FACTS = load_unit_facts(PUBLISHED)


@cache
def year_frame(year: int, index: str, unit_type: str) -> pd.DataFrame | None:
    if year not in PANEL_YEARS:
        return None
    data = load_year(load_params(ROOT / "params" / f"{year}.yaml"))
    frame = data.scores if index == "par_index" else data.companion
    return frame[frame.unit_type == unit_type].reset_index(drop=True)


def _id(row) -> str:
    return f"{row.year}-{row.index}-{row.unit_type}-{row.metric if hasattr(row, 'metric') else row.code}"


PANEL_AGGREGATES = [r for r in AGGREGATES.itertuples() if r.year in PANEL_YEARS]


@pytest.mark.parametrize("row", PANEL_AGGREGATES, ids=[_id(r) for r in PANEL_AGGREGATES])
def test_every_published_aggregate_is_reproduced(row):
    current = year_frame(row.year, row.index, row.unit_type)
    previous = year_frame(row.year - 1, row.index, row.unit_type)
    computed = metric_value(row.metric, current, previous)
    assert computed is not None
    assert abs(computed - row.value) <= tolerance(row.precision) + 1e-9, (row.metric, computed, row.value)


PANEL_FACTS = [r for r in FACTS.itertuples() if r.year in PANEL_YEARS]


@pytest.mark.parametrize("row", PANEL_FACTS, ids=[f"{_id(r)}-{r.field}" for r in PANEL_FACTS])
def test_every_published_unit_fact_holds(row):
    frame = year_frame(row.year, row.index, row.unit_type)
    unit = frame.set_index("code").loc[row.code]
    if row.field == "score":
        half = tolerance(int(row.precision))
        assert abs(unit.score - float(row.value)) <= half + 1e-9
        if int(row.precision) == 2:
            assert unit.provenance == "published"
    elif row.field == "rank":
        ranks = competition_rank(frame.set_index("code").score, 2)
        assert ranks[row.code] == int(row.value)
        assert (frame.score == unit.score).sum() == 1, "a published rank is not shared"
    elif row.field == "change":
        before = year_frame(row.year - 1, row.index, row.unit_type).set_index("code").loc[row.code]
        assert abs(unit.score - before.score - float(row.value)) <= tolerance(int(row.precision)) + 1e-9
    elif row.field == "score_range":
        low, high = (text.strip() for text in row.value.strip("[)").split(","))
        assert (not low or unit.score >= float(low)) and (not high or unit.score < float(high))
    elif row.field == "bottom":
        assert (frame.score < unit.score).sum() < int(row.value)
    else:
        pytest.fail(f"unknown field {row.field}")


def test_2020_acceptance_figures_hold_in_the_data_layer():
    provinces = year_frame(2020, "par_index", "province").set_index("name")
    assert len(provinces) == 63
    assert round(provinces.score.mean(), 2) == 83.72
    assert (provinces.score >= 90).sum() == 2
    assert ((provinces.score >= 80) & (provinces.score < 90)).sum() == 56
    assert ((provinces.score >= 70) & (provinces.score < 80)).sum() == 5
    expected = {
        "Quảng Ninh": (91.04, 1),
        "Hải Phòng": (90.51, 2),
        "Thừa Thiên Huế": (88.47, 3),
        "Bình Dương": (86.93, 4),
        "Đồng Tháp": (86.77, 5),
        "Hà Nội": (86.07, 8),
        "Quảng Ngãi": (73.25, 63),
    }
    for name, (score, rank) in expected.items():
        assert (provinces.loc[name, "score"], provinces.loc[name, "rank"]) == (score, rank)
        assert provinces.loc[name, "provenance"] == "published"
    ministries = year_frame(2020, "par_index", "ministry")
    assert len(ministries) == 17
    assert set(ministries[ministries.score >= 90].code) == {"SBV", "MOF", "MOJ"}
    assert ((ministries.score >= 80) & (ministries.score < 90)).sum() == 14


def test_curated_rows_name_their_source_and_a_known_unit():
    units = {
        "province": load_unit_set(ROOT / "data" / "units", "provinces_63", "province"),
        "ministry": load_unit_set(ROOT / "data" / "units", "ministries_19", "ministry"),
    }
    for row in FACTS.itertuples():
        assert row.source_url.strip(), row
        assert units[row.unit_type].by_code[row.code].name_vi == row.name
    assert AGGREGATES.source_url.str.strip().ne("").all()
    assert set(FACTS.field) == {"score", "rank", "change", "score_range", "bottom"}


def test_one_value_is_kept_per_fact():
    scores = FACTS[FACTS.field.isin(["score", "rank"])]
    assert not scores.duplicated(["year", "index", "unit_type", "code", "field"]).any()
    assert not AGGREGATES.duplicated(["year", "index", "unit_type", "metric"]).any()


def test_conflicts_keep_the_value_the_decisions_file_gives():
    kept = FACTS.set_index(["year", "index", "code", "field"]).value
    assert kept[(2018, "par_index", "22", "score")] == "89.06"
    assert kept[(2018, "par_index", "01", "score")] == "83.98"
    assert kept[(2023, "par_index", "31", "score")] == "91.87"
    decisions = (PUBLISHED / "DECISIONS.md").read_text(encoding="utf-8")
    for value in ("89.06", "83.98", "91.87", "86.82", "88.33", "87.79"):
        assert value in decisions
