"""The demonstration panel: regenerated from params and published facts, it equals the committed files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from parindex.data import demo
from parindex.data.ingest import load_year
from parindex.data.params import load_params

ROOT = Path(__file__).resolve().parents[1]
PARAMS = sorted((ROOT / "params").glob("*.yaml"))
COMPONENT_YEARS = (2020, 2023, 2024)


def test_regenerating_the_panel_gives_the_committed_files():
    outputs = demo.generate(PARAMS)
    assert len(outputs) == 3 * len(PARAMS) + len(COMPONENT_YEARS)
    for path, table in outputs.items():
        text = table.to_csv(index=False, float_format="%.2f", lineterminator="\n")
        assert text == path.read_text(encoding="utf-8"), f"{path} differs from a fresh generation"


def test_every_value_carries_its_provenance():
    for path in (ROOT / "data" / "demo").glob("*/*.csv"):
        if path.name == "province_components.csv":
            continue
        table = pd.read_csv(path, dtype={"code": str})
        assert list(table.columns) == ["code", "name", "score", "rank", "provenance"]
        assert set(table.provenance) <= {"published", "simulated"}
        assert (table.provenance == "simulated").any(), (
            "the panel is a demonstration: some values are simulated"
        )


def test_the_demo_readme_says_the_values_are_not_official():
    readme = (ROOT / "data" / "demo" / "README.md").read_text(encoding="utf-8")
    assert "not official" in readme
    assert "data/official" in readme


def _components(year: int) -> pd.DataFrame:
    return load_year(load_params(ROOT / "params" / f"{year}.yaml")).components


def test_the_demo_components_pass_validation_and_sum_to_every_total():
    for year in COMPONENT_YEARS:
        data = load_year(load_params(ROOT / "params" / f"{year}.yaml"))
        sums = data.components.groupby("code")["score"].sum()
        totals = data.scores[data.scores["unit_type"] == "province"].set_index("code")["score"]
        parts = len(data.params.components_of("province"))
        assert ((sums - totals).abs() <= 0.005 * parts + 1e-9).all()
        assert set(data.components["provenance"]) == {"published", "simulated"} or year == 2023


def test_the_demo_reproduces_the_published_parts_of_2020_and_2024():
    parts = _components(2020).set_index(["code", "component"])["score"]
    # data/published/components.csv, 2020: Quảng Ninh's four parts and Hải Phòng's appraisal points.
    assert parts[("22", "appraisal")] == 57.66
    assert parts[("22", "leaders_survey")] == 18.83
    assert parts[("22", "sipas")] == 9.56
    assert parts[("22", "socio_economic")] == 5.0
    assert parts[("31", "appraisal")] == 58.71
    published = _components(2020)
    assert (published["provenance"] == "published").sum() == 40
    binh_thuan = _components(2024).set_index(["code", "component"])
    assert binh_thuan.loc[("60", "procedures"), "score"] == 11.24
    assert binh_thuan.loc[("60", "direction"), "score"] == 9.428
    assert binh_thuan.loc[("60", "direction"), "provenance"] == "published"


def test_the_demo_reproduces_the_published_directions_of_the_2024_components():
    # 6 of 8 rose; the largest rise was impact; public finance and institutional reform fell.
    change = (
        _components(2024).groupby("component")["score"].mean()
        - _components(2023).groupby("component")["score"].mean()
    )
    assert (change > 0).sum() == 6
    assert sorted(change[change < 0].index) == ["institutions", "public_finance"]
    assert change.idxmax() == "impact"
