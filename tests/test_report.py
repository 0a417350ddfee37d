"""Report sections on a small fixture: another index (PCI, 0-10 scale, three bands), five provinces."""

from __future__ import annotations

from pathlib import Path

import pytest

from parindex.data.params import Band
from parindex.reports.yearly import outputs as yearly_outputs
from parindex.reports.yearly import reconcile as yearly_reconcile
from parindex.reports.yearly import sections as yearly_sections
from parindex.reports.yearly import text as yearly_text
from parindex.reports.yearly import year as yearly_year

FIXTURE = Path(__file__).parent / "fixtures" / "report_small"


@pytest.fixture(scope="module")
def year():
    return yearly_year.load(FIXTURE / "params" / "2020.yaml")


def test_headline_sentences_are_written_from_the_data(year):
    assert yearly_text.headline(year) == [
        "PCI 2020 assessed 5 provinces; the mean score is 6.40, up 0.30 points on 2019 (6.10).",
        "Hà Nội ranks first with 8.20; Quảng Ngãi ranks last (rank 5) with 4.40.",
        "By band: 2 in band High (≥ 7), 2 in band Mid (5–<7), 1 in band Low (< 5).",
        "Against 2019, 3 improved their score, 1 declined and 1 kept it.",
    ]


def test_band_rule_in_words():
    bands = (Band(label="A", min=90), Band(label="B", min=80), Band(label="C", min=70))
    assert yearly_text.band_rule(bands) == "A: 90% and above; B: 80% to under 90%; C: 70% to under 80%"
    four = (Band(label="A", min=80), Band(label="B", min=75), Band(label="C", min=70), Band(label="D", min=0))
    assert (
        yearly_text.band_rule(four)
        == "A: 80% and above; B: 75% to under 80%; C: 70% to under 75%; D: under 70%"
    )


def test_reconciliation_flags_a_figure_the_data_does_not_reproduce(year):
    rows = yearly_reconcile.reconciliation_rows(year).set_index("metric")
    assert rows.loc["mean", "status"] == "match"
    assert rows.loc["count_ge_7", "status"] == "match"
    assert rows.loc["max", "status"] == "match"
    assert rows.loc["min", "status"] == "MISMATCH"
    assert rows.loc["min", "computed"] == 4.4
    assert "3 of 4 published figures for 2020 are reproduced" in yearly_reconcile.reconciliation(year).data
    assert "Flagged: min." in yearly_reconcile.reconciliation(year).data


def test_summary_holds_the_figures_and_the_ranking(year):
    summary = yearly_outputs.summary(year)
    assert (summary["year"], summary["index"], summary["n"], summary["mean"]) == (2020, "PCI", 5, 6.4)
    assert (summary["median"], summary["min"], summary["max"]) == (6.0, 4.4, 8.2)
    assert summary["band_counts"] == {"High": 2, "Mid": 2, "Low": 1}
    assert summary["demonstration"] is True
    first, *_, last = summary["ranking"]
    assert first == {
        "code": "01",
        "name": "Hà Nội",
        "score": 8.2,
        "rank": 1,
        "band": "High",
        "region": "RRD",
        "provenance": "published",
    }
    assert (last["code"], last["rank"], last["provenance"]) == ("51", 5, "simulated")
    assert summary["ministries"] == {}


def test_ranking_table_marks_simulated_values_and_moves(year):
    page = yearly_sections.ranking(year).data
    assert "8.20<" in page and "6.00†" in page  # published plain, simulated marked
    assert "▲ 1" in page  # Hà Nội moved from 2nd to 1st
    assert "† simulated (demonstration) value, not an official figure." in page


def test_title_carries_the_banner_only_for_demonstration_data(year):
    assert "Demonstration data" in yearly_sections.title(year).data


def test_write_outputs_writes_summary_and_tables(year, tmp_path):
    yearly_outputs.write_outputs(year, tmp_path)
    assert (tmp_path / "summary.json").is_file()
    data = (tmp_path / "tables" / "provinces.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads the Vietnamese names as UTF-8
    provinces = data.decode("utf-8-sig").splitlines()
    assert provinces[0] == "rank,code,name,score,band,region,provenance,score_change,rank_change,band_move"
    assert provinces[1] == "1,01,Hà Nội,8.20,High,RRD,published,0.70,1,same"  # 7.50 was High too
    yearly_outputs.write_outputs(year, "")  # an empty folder writes nothing and raises nothing


def test_a_year_without_comparison_shows_no_change_columns():
    first = yearly_year.load(FIXTURE / "params" / "2019.yaml")
    page = yearly_sections.ranking(first).data
    assert "Change (points)" not in page and "Change (ranks)" not in page
    assert "PCI 2019: all 5 provinces ranked</caption>" in page
    change = yearly_sections.chart(first, "change").data
    assert "No comparison year with data is set for 2019: no change is shown." in change
