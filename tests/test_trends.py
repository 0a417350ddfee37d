"""Tests of parindex.trends and its charts: figures of a hand-written panel, sections, outputs, notebook.

The fixture panel (tests/fixtures/trends) has six provinces in three regions, three years with three different
band sets, three ministries in 2018 and two after, and SIPAS. Its scores, by code:

    code  province           region  2018   2019    2020     (rank 2018, 2019, 2020)
    01    Hà Nội             RRD     82.00  86.50   90.00    3, 3, 2
    22    Quảng Ninh         RRD     85.00  91.00   89.00    2, 1, 3
    31    Hải Phòng          RRD     78.00  84.00   92.00    5, 4, 1
    46    Thừa Thiên Huế     NCC     80.00  79.00   85.00†   4, 6, 5
    48    Đà Nẵng            NCC     88.00  87.50   86.00    1, 2, 4
    79    TP. Hồ Chí Minh    SE      73.00  82.00†  83.00    6, 5, 6
    sums                             486    510     525      means 81.00, 85.00, 87.50

(† simulated.) Every expected value below is worked out by hand from this table.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest
from matplotlib.figure import Figure

from parindex.data.params import Band
from parindex.errors import InputError
from parindex.reports import style
from parindex.reports.trends import across as trends_across
from parindex.reports.trends import charts as trends_charts
from parindex.reports.trends import outputs as trends_outputs
from parindex.reports.trends import panel as trends_panel
from parindex.reports.trends import sections as trends_sections
from parindex.reports.trends import text as trends_text

FIXTURE = Path(__file__).parent / "fixtures" / "trends"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
SOURCE = "Source: trends test panel."


@pytest.fixture(scope="module")
def panel():
    return trends_panel.load(FIXTURE / "params")


@pytest.fixture(scope="module")
def provinces(panel):
    return panel.scores("province")


def rows(frame, *columns):
    return [tuple(r) for r in frame[list(columns)].itertuples(index=False)]


# --- loading ------------------------------------------------------------------------------------------------


def test_the_panel_holds_every_year_in_order(panel):
    assert panel.labels == [2018, 2019, 2020]
    assert (panel.first, panel.last) == (2018, 2020)
    assert panel.name == "PAR INDEX 2018–2020"
    assert panel.demonstration
    assert panel.companion_name == "SIPAS"
    assert panel.years[1].previous.params.year == 2018
    assert [b.label for b in panel.bands[2018]] == ["A", "B", "C", "D"]


def test_the_panel_frame_has_each_year_in_its_own_bands_and_ranks(provinces):
    assert len(provinces) == 18
    first = provinces[provinces.year == 2018]
    assert rows(first, "code", "rank", "band") == [
        ("48", 1, "A"),
        ("22", 2, "A"),
        ("01", 3, "A"),
        ("46", 4, "A"),
        ("31", 5, "B"),
        ("79", 6, "C"),
    ]
    # 85.00 is band A in 2018 (A >= 80) but B in 2020 (A >= 90)
    assert provinces[(provinces.code == "22") & (provinces.year == 2018)].band.item() == "A"
    assert provinces[(provinces.code == "46") & (provinces.year == 2020)].band.item() == "B"


def test_only_published_aggregates_of_the_panel_years_are_kept(panel):
    published = panel.published("par_index")
    assert 2017 not in set(published.year)
    assert sorted(published.metric.unique()) == ["count_ge_80", "mean", "mean_region_NCC", "mean_region_RRD"]


def test_a_folder_without_params_files_is_an_error_naming_the_fix(tmp_path):
    with pytest.raises(InputError) as error:
        trends_panel.load(tmp_path)
    assert str(error.value) == (
        f"1 problem found:\n  {tmp_path}: no params files (<year>.yaml) found\n"
        "    fix: add params/<year>.yaml"
    )


def test_a_params_file_named_for_another_year_is_an_error(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    (project / "params" / "2020.yaml").rename(project / "params" / "2021.yaml")
    with pytest.raises(InputError) as error:
        trends_panel.load(project / "params")
    assert "2021.yaml: holds year 2020\n    fix: rename it 2020.yaml" in str(error.value)


# --- figures ------------------------------------------------------------------------------------------------


def test_national_mean_per_year_with_the_published_mean(panel, provinces):
    means = trends_across.mean_by_year(provinces, panel.published("par_index"), 2)
    # 486 / 6, 510 / 6, 525 / 6
    assert rows(means, "year", "n", "mean", "published", "status", "simulated") == [
        (2018, 6, 81.00, 81.00, "match", False),
        (2019, 6, 85.00, 85.00, "match", True),
        (2020, 6, 87.50, 87.50, "match", True),
    ]


def test_a_mean_without_published_figure_or_off_the_published_one(panel):
    ministries = trends_across.mean_by_year(
        panel.scores("ministry"), panel.published("par_index", "ministry"), 2
    )
    # (90 + 84 + 81) / 3 = 85; (92 + 88) / 2 = 90; (91 + 93) / 2 = 92, published 92.1 (one decimal)
    assert list(ministries["mean"]) == [85.00, 90.00, 92.00]
    assert list(ministries["status"]) == ["", "", "MISMATCH"]
    assert math.isnan(ministries["published"].iloc[0])
    assert ministries["published"].iloc[2] == 92.1


def test_sipas_means_and_spread(panel):
    sipas = panel.companion()
    means = trends_across.mean_by_year(sipas, panel.published("sipas"), 2)
    # 486 / 6 = 81, 504 / 6 = 84, 522 / 6 = 87; 2018 published as 81.0 (one decimal)
    assert rows(means, "year", "mean", "status") == [
        (2018, 81.0, "match"),
        (2019, 84.0, ""),
        (2020, 87.0, "match"),
    ]
    spread = trends_across.spread_by_year(sipas)
    # 2020: 84, 84, 85, 88, 90, 91 -> median (85 + 88) / 2
    assert rows(spread, "year", "min", "median", "max", "range") == [
        (2018, 76.0, 81.0, 86.0, 10.0),
        (2019, 79.0, 84.0, 89.0, 10.0),
        (2020, 84.0, 86.5, 91.0, 7.0),
    ]


def test_units_per_band_per_year_in_each_year_s_bands(panel, provinces):
    counts = trends_across.band_counts_by_year(provinces, panel.bands)
    assert rows(counts, "year", "band", "range", "count", "simulated") == [
        (2018, "A", "≥ 80", 4, 0),
        (2018, "B", "75–<80", 1, 0),
        (2018, "C", "70–<75", 1, 0),
        (2018, "D", "< 70", 0, 0),
        (2019, "A", "≥ 90", 1, 0),
        (2019, "B", "80–<90", 4, 1),  # TP. Hồ Chí Minh 82.00 is simulated
        (2019, "C", "70–<80", 1, 0),
        (2020, "A", "≥ 90", 2, 0),
        (2020, "B", "80–<90", 4, 1),  # Thừa Thiên Huế 85.00 is simulated
    ]


def test_band_regimes_and_the_threshold_every_year_shares(panel, provinces):
    regimes = trends_across.band_regimes(panel.bands)
    assert rows(regimes, "first", "last", "labels", "ranges") == [
        (2018, 2018, "A–D", "A ≥ 80, B 75–<80, C 70–<75, D < 70"),
        (2019, 2019, "A–C", "A ≥ 90, B 80–<90, C 70–<80"),
        (2020, 2020, "A–B", "A ≥ 90, B 80–<90"),
    ]
    assert trends_across.common_threshold(panel.bands) == 80
    above = trends_across.at_or_above(provinces, 80, 2)
    assert rows(above, "year", "count") == [(2018, 4), (2019, 5), (2020, 6)]


def test_runs_of_the_same_bands_are_one_regime():
    a = (Band(label="A", min=90), Band(label="B", min=80))
    regimes = trends_across.band_regimes({2021: a, 2022: a, 2023: a})
    assert rows(regimes, "first", "last", "years") == [(2021, 2023, 3)]
    assert trends_across.common_threshold({2021: (Band(label="A", min=0),)}) is None


def test_rank_trajectories_of_the_last_year_s_leaders(provinces):
    paths = trends_across.rank_trajectories(provinces, top=3)
    assert rows(paths, "code", "year", "rank", "final_rank") == [
        ("31", 2018, 5, 1),
        ("31", 2019, 4, 1),
        ("31", 2020, 1, 1),
        ("01", 2018, 3, 2),
        ("01", 2019, 3, 2),
        ("01", 2020, 2, 2),
        ("22", 2018, 2, 3),
        ("22", 2019, 1, 3),
        ("22", 2020, 3, 3),
    ]


def test_leaders_and_ranks_history(panel, provinces):
    assert rows(trends_across.leaders(provinces), "year", "name") == [
        (2018, "Đà Nẵng"),
        (2019, "Quảng Ninh"),
        (2020, "Hải Phòng"),
    ]
    ranks = trends_across.history(panel.scores("ministry"), "rank")
    assert list(ranks["code"]) == ["MOJ", "SBV", "MOF"]  # by 2020 rank; MOF, not ranked since 2019, last
    assert list(ranks[2020].iloc[:2]) == [1, 2]
    assert ranks.loc[2, 2018] == 3 and pd.isna(ranks.loc[2, 2019])


def test_unit_sets_say_who_left_the_ranking(panel):
    sets = trends_across.unit_sets(panel.scores("ministry"))
    assert rows(sets, "year", "n", "left", "joined") == [
        (2018, 3, [], []),
        (2019, 2, ["Bộ Tài chính"], []),
        (2020, 2, [], []),
    ]


def test_change_over_the_whole_period(provinces):
    moved = trends_across.changes(provinces, 2018, 2020, 2).set_index("code")
    assert moved.loc["31", ["score_change", "rank_previous", "rank_current", "rank_change"]].tolist() == [
        14.0,
        5,
        1,
        4,
    ]
    assert moved.loc["48", ["score_change", "rank_change"]].tolist() == [-2.0, -3]
    assert moved.loc["46", "provenance"] == "simulated"
    assert set(moved["status"]) == {"both"}


def test_a_unit_in_one_year_only_is_new_or_absent(panel):
    moved = trends_across.changes(panel.scores("ministry"), 2018, 2019, 2)
    assert rows(moved, "code", "status") == [("SBV", "both"), ("MOJ", "both"), ("MOF", "absent")]


def test_largest_risers_and_fallers_between_consecutive_years_and_over_the_period(provinces):
    moves = trends_across.largest_moves(provinces, 2, k=2)
    assert list(dict.fromkeys(moves["period"])) == ["2018–2019", "2019–2020", "2018–2020"]

    def picked(period, by, direction):
        own = moves[(moves.period == period) & (moves.by == by) & (moves.direction == direction)]
        return [(code, change) for code, change in zip(own.code, own.score_change, strict=True)]

    # 2018-2019: +9.00 (79), then +6.00 for both 22 and 31: 22 ranks higher in 2019 (1 against 4)
    assert picked("2018–2019", "points", "rise") == [("79", 9.0), ("22", 6.0)]
    assert picked("2018–2019", "points", "fall") == [("46", -1.0), ("48", -0.5)]
    # one place up for 79, 22 and 31: the larger rise in points first, then the higher rank
    assert picked("2018–2019", "ranks", "rise") == [("79", 9.0), ("22", 6.0)]
    assert picked("2019–2020", "points", "rise") == [("31", 8.0), ("46", 6.0)]
    # two places down for 22 (-2.00) and 48 (-1.50): the larger fall in points first
    assert picked("2019–2020", "ranks", "fall") == [("22", -2.0), ("48", -1.5)]
    assert picked("2018–2020", "points", "rise") == [("31", 14.0), ("79", 10.0)]
    assert picked("2018–2020", "points", "fall") == [("48", -2.0)]
    assert picked("2018–2020", "ranks", "fall") == [("48", -2.0), ("22", 4.0)]


def test_periods():
    assert trends_across.periods([2020, 2018, 2019]) == [(2018, 2019), (2019, 2020), (2018, 2020)]
    assert trends_across.periods([2018, 2019]) == [(2018, 2019)]
    assert trends_across.periods([2018]) == []


def test_regional_means_per_year_with_published_ones(panel, provinces):
    regional = trends_across.regional_means_by_year(
        provinces, panel.published("par_index"), panel.regions.short_en, 2
    )
    # RRD: 245 / 3 = 81.666..., 261.5 / 3 = 87.1666..., 271 / 3 = 90.333...
    assert rows(regional, "year", "region", "n", "mean", "simulated") == [
        (2018, "RRD", 3, 81.67, False),
        (2018, "NCC", 2, 84.00, False),
        (2018, "SE", 1, 73.00, False),
        (2019, "RRD", 3, 87.17, False),
        (2019, "NCC", 2, 83.25, False),
        (2019, "SE", 1, 82.00, True),
        (2020, "RRD", 3, 90.33, False),
        (2020, "NCC", 2, 85.50, True),
        (2020, "SE", 1, 83.00, False),
    ]
    checked = regional[regional.status != ""]
    assert rows(checked, "year", "region", "published", "status") == [
        (2019, "RRD", 87.17, "match"),
        (2020, "NCC", 85.5, "match"),
    ]


# --- sentences ----------------------------------------------------------------------------------------------


def test_mean_sentences(panel, provinces):
    means = trends_across.mean_by_year(provinces, panel.published("par_index"), 2)
    assert trends_text.mean_sentences(means, "national mean") == [
        "The national mean rose from 81.00% in 2018 to 87.50% in 2020.",
        "It rose every year.",
    ]
    bumpy = pd.DataFrame({"year": [2018, 2019, 2020, 2021], "mean": [80.0, 84.0, 82.5, 83.0]})
    assert trends_text.mean_sentences(bumpy, "mean", unit="") == [
        "The mean rose from 80.00 in 2018 to 83.00 in 2021.",
        "It rose in 2 of 3 years and fell in 2020 (−1.50).",
        "The highest was 84.00 in 2019.",
    ]


def test_leader_and_move_sentences(provinces):
    assert trends_text.leader_sentence(trends_across.leaders(provinces)) == (
        "First place: Đà Nẵng (2018), Quảng Ninh (2019), Hải Phòng (2020)."
    )
    moves = trends_across.largest_moves(provinces, 2, k=1)
    assert trends_text.move_sentence(moves, 2018, 2020) == (
        "From 2018 to 2020, Hải Phòng rose most (+14.00 points, rank 5 to 1); "
        "Đà Nẵng fell most (−2.00 points, rank 1 to 4)."
    )


# --- sections -----------------------------------------------------------------------------------------------


def test_title_carries_the_demonstration_banner(panel):
    page = trends_sections.title(panel).data
    assert "<h1>PAR INDEX 2018–2020: trends</h1>" in page
    assert 'class="parindex-banner"' in page and "Demonstration data" in page


def test_key_movement_sentences(panel):
    page = trends_sections.key_movement(panel).data
    for sentence in (
        "The national mean rose from 81.00% in 2018 to 87.50% in 2020.",
        "Provinces at or above 80%, a band threshold in every year: 4 in 2018, 5 in 2019, 6 in 2020.",
        "First place: Đà Nẵng (2018), Quảng Ninh (2019), Hải Phòng (2020).",
        "The SIPAS national mean rose from 81.00% in 2018 to 87.00% in 2020.",
    ):
        assert sentence in page


def test_sections_say_where_the_bands_changed_and_mark_simulated_values(panel):
    bands = trends_sections.bands(panel).data
    assert "The bands changed in 2019 and 2020" in bands
    assert "4†" in bands  # band B of 2019 holds a simulated value
    national = trends_sections.national_mean(panel).data
    assert "85.00†" in national and "3 of 3 published means are reproduced by the data." in national
    assert national.count("<img") == 1


def test_sections_on_leaders_movers_regions_ministries_and_sipas(panel):
    leading = trends_sections.leading(panel).data
    assert "rank of the top 6 of 2020" not in leading  # titles live in the chart, not in the page
    assert ">5†<" in leading  # Thừa Thiên Huế's simulated 2020 rank
    movers = trends_sections.movers(panel).data
    assert "Of the 6 provinces ranked in both 2018 and 2020, 5 raised their score, 1 lowered it" in movers
    assert "Hải Phòng 4 → 1" in movers  # the largest climb of 2019-2020
    regions = trends_sections.regions(panel).data
    assert "2 of 2 published regional means are reproduced by the data." in regions
    assert "Highest regional mean: Central Coast in 2018; Red River Delta in 2019–2020." in regions
    ministries = trends_sections.ministries(panel).data
    assert "Not ranked from 2019: Bộ Tài chính." in ministries
    assert "Units ranked: 3 in 2018, 2 in 2019–2020." in ministries
    assert "MISMATCH" in ministries
    sipas = trends_sections.companion(panel).data
    assert "First in SIPAS: Đà Nẵng (2018–2020)." in sipas


def test_methodology_lists_the_bands_of_each_year_and_provenance_the_files(panel):
    methods = trends_sections.methodology(panel).data
    assert "A: 80% and above; B: 75% to under 80%; C: 70% to under 75%; D: under 70%" in methods
    files = trends_sections.provenance_rows(panel)
    assert {"params/2018.yaml", "data/2020/sipas.csv", "data/published/aggregates.csv"} <= set(files.file)
    assert files.file.is_unique
    assert all(len(h) == 64 for h in files.sha256)


# --- outputs ------------------------------------------------------------------------------------------------


def test_write_outputs(panel, tmp_path):
    trends_outputs.write_outputs(panel, tmp_path)
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["years"] == [2018, 2019, 2020]
    assert summary["demonstration"] is True
    assert [m["mean"] for m in summary["means"]] == [81.0, 85.0, 87.5]
    assert summary["band_counts"] == {
        "2018": {"A": 4, "B": 1, "C": 1, "D": 0},
        "2019": {"A": 1, "B": 4, "C": 1},
        "2020": {"A": 2, "B": 4},
    }
    whole = [m for m in summary["movers"] if m["period"] == "2018–2020" and m["by"] == "points"]
    assert (whole[0]["name"], whole[0]["score_change"]) == ("Hải Phòng", 14.0)
    assert summary["at_or_above"]["threshold"] == 80
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == [
        "bands.csv",
        "means.csv",
        "ministries.csv",
        "ministry_means.csv",
        "movers.csv",
        "provinces.csv",
        "ranks.csv",
        "regions.csv",
        "sipas.csv",
        "sipas_means.csv",
        "spread.csv",
    ]
    means = pd.read_csv(tmp_path / "tables" / "means.csv")
    assert list(means["mean"]) == [81.0, 85.0, 87.5]


def test_nothing_is_written_without_an_output_dir(panel, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    trends_outputs.write_outputs(panel, "")
    assert list(tmp_path.iterdir()) == []


# --- charts -------------------------------------------------------------------------------------------------


def check_frame(figure, title, xlabel, ylabel, tmp_path, ax=None):
    assert isinstance(figure, Figure)
    assert figure.get_suptitle() == title
    ax = ax or figure.axes[0]
    assert ax.get_xlabel() == xlabel
    assert ax.get_ylabel() == ylabel
    assert SOURCE in [t.get_text() for t in figure.texts]
    path = tmp_path / "chart.png"
    path.write_bytes(style.render(figure, "png"))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return ax


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_yearly_means_chart(panel, provinces, tmp_path):
    means = trends_across.mean_by_year(provinces, panel.published("par_index"), 2)
    figure = trends_charts.yearly_means(
        means, "Mean", SOURCE, spread=trends_across.spread_by_year(provinces), score_label="PAR INDEX (%)"
    )
    ax = check_frame(figure, "Mean", "Year", "PAR INDEX (%)", tmp_path)
    assert [list(line.get_ydata()) for line in ax.lines if line.get_gid() == "mean"] == [[81.0, 85.0, 87.5]]
    published = [c for c in ax.collections if c.get_gid() == "published"]
    assert [float(y) for _, y in published[0].get_offsets()] == [81.0, 85.0, 87.5]
    assert len(ax.patches) == 3  # one box per year
    assert [t.get_text() for t in ax.texts] == ["81.00", "85.00", "87.50"]
    assert legend_texts(ax) == [
        "mean",
        "middle half, median and range of units",
        "published mean",
        "simulated (demonstration)",
    ]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2018", "2019", "2020"]


def test_yearly_means_without_published_or_simulated_values(tmp_path):
    means = pd.DataFrame(
        {"year": [2021, 2022], "mean": [80.0, 82.0], "published": math.nan, "simulated": False}
    )
    figure = trends_charts.yearly_means(means, "Mean", SOURCE)
    ax = check_frame(figure, "Mean", "Year", "Mean score (%)", tmp_path)
    assert legend_texts(ax) == ["mean"]


def test_bands_by_year_chart(panel, provinces, tmp_path):
    counts = trends_across.band_counts_by_year(provinces, panel.bands)
    figure = trends_charts.bands_by_year(counts, trends_across.band_regimes(panel.bands), "Bands", SOURCE)
    ax = check_frame(figure, "Bands", "Year (bands as published that year)", "Number of provinces", tmp_path)
    labels = [t.get_text() for t in ax.texts]
    assert [t for t in labels if len(t) <= 4 and t[0] in "ABCD"] == [
        "C 1",
        "B 1",
        "A 4",
        "C 1",
        "B 4",
        "A 1",
        "B 4",
        "A 2",
    ]
    assert labels.count(" bands changed") == 2
    rules = ["A ≥ 80 · B 75–<80 · C 70–<75\nD < 70", "A ≥ 90 · B 80–<90 · C 70–<80", "A ≥ 90 · B 80–<90"]
    assert [t for t in labels if " · " in t] == rules
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert [(p.get_x() + p.get_width() / 2, p.get_height()) for p in hatched] == [(2019, 1), (2020, 1)]
    assert legend_texts(ax) == [
        "top band",
        "second band",
        "third band",
        "fourth band",
        "simulated (demonstration)",
    ]


def test_rank_trajectories_chart(provinces, tmp_path):
    figure = trends_charts.rank_trajectories(trends_across.rank_trajectories(provinces, 3), "Ranks", SOURCE)
    ax = check_frame(figure, "Ranks", "Year", "Rank (1 = best)", tmp_path)
    lines = [line for line in ax.lines if line.get_gid() == "trajectory"]
    assert [list(line.get_ydata()) for line in lines] == [[5, 4, 1], [3, 3, 2], [2, 1, 3]]
    assert [t.get_text() for t in ax.texts] == ["1  Hải Phòng", "2  Hà Nội", "3  Quảng Ninh"]
    low, high = ax.get_ylim()
    assert low > high  # rank 1 at the top


def test_regional_trends_chart(panel, provinces, tmp_path):
    regional = trends_across.regional_means_by_year(
        provinces, panel.published("par_index"), panel.regions.short_en, 2
    )
    national = trends_across.mean_by_year(provinces, panel.published("par_index"), 2)
    figure = trends_charts.regional_trends(regional, national, "Regions", SOURCE, score_label="Mean (%)")
    panels = [ax for ax in figure.axes if ax.get_visible() and ax.get_title(loc="left")]
    assert [ax.get_title(loc="left") for ax in panels] == ["Red River Delta", "Central Coast", "Southeast"]
    check_frame(figure, "Regions", "Year", "Mean (%)", tmp_path, ax=panels[0])
    assert [list(line.get_ydata()) for ax in panels for line in ax.lines if line.get_gid() == "region"] == [
        [81.67, 87.17, 90.33],
        [84.0, 83.25, 85.5],
        [73.0, 82.0, 83.0],
    ]
    published = [len(c.get_offsets()) for ax in panels for c in ax.collections if c.get_gid() == "published"]
    assert published == [1, 1]
    assert sum(1 for ax in figure.axes if not ax.get_visible()) == 0
    legend = next(ax for ax in figure.axes if ax.get_legend() is not None)
    assert legend_texts(legend) == [
        "regional mean",
        "national mean",
        "published mean",
        "simulated (demonstration)",
    ]


def test_score_grid_chart(panel, tmp_path):
    figure = trends_charts.score_grid(panel.scores("ministry"), "Ministries", SOURCE)
    ax = check_frame(figure, "Ministries", "Year: score (rank)", "Ministry or agency", tmp_path)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Bộ Tư pháp",
        "Ngân hàng Nhà nước Việt Nam",
        "Bộ Tài chính",
    ]
    assert len(ax.patches) == 9
    texts = [t.get_text() for t in ax.texts]
    assert texts[:3] == ["84.00 (2)", "88.00 (2)", "93.00 (1)"]
    assert texts.count("–") == 2  # MOF not ranked in 2019 and 2020
    assert legend_texts(ax) == ["score 81", "score 93", "not ranked"]


# --- the notebook -------------------------------------------------------------------------------------------


def test_the_trends_notebook_runs_top_to_bottom_on_the_real_params(tmp_path):
    output = tmp_path / "output"
    executed = tmp_path / "par_index_trends.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS / "par_index_trends.ipynb"),
        str(executed),
        parameters={"output_dir": str(output)},
        kernel_name="parindex",
        cwd=str(NOTEBOOKS),
        progress_bar=False,
    )
    notebook = nbformat.read(executed, as_version=4)
    html = "".join(
        out.get("data", {}).get("text/html", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for out in cell.outputs
    )
    assert "The national mean rose from 76.92% in 2018 to 88.37% in 2024." in html
    assert "Demonstration data" in html
    summary = json.loads((output / "summary.json").read_text(encoding="utf-8"))
    assert summary["years"] == [2018, 2019, 2020, 2021, 2022, 2023, 2024]
    assert summary["band_counts"]["2018"] == {"A": 9, "B": 36, "C": 15, "D": 3}
    assert summary["band_counts"]["2020"] == {"A": 2, "B": 56, "C": 5}
    assert summary["at_or_above"]["counts"][1] == {"year": 2019, "n": 63, "count": 44}
    assert (output / "tables" / "ranks.csv").is_file()
