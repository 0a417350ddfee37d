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

import html
import json
import math
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest
from matplotlib.figure import Figure

from parindex.data.params import Band
from parindex.errors import InputError
from parindex.i18n import lang
from parindex.reports import style
from parindex.reports.present import LANGUAGES_MIME
from parindex.reports.trends import across as trends_across
from parindex.reports.trends import charts as trends_charts
from parindex.reports.trends import outputs as trends_outputs
from parindex.reports.trends import panel as trends_panel
from parindex.reports.trends import sections as trends_sections
from parindex.reports.trends import text as trends_text

FIXTURE = Path(__file__).parent / "fixtures" / "trends"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
SOURCE = "Source: trends test panel."
VI, EN = lang("vi"), lang("en")


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
    assert panel.languages == (VI, EN)  # the params' languages, Vietnamese first


def test_the_panel_is_written_in_the_languages_asked_for():
    assert trends_panel.load(FIXTURE / "params", "en").languages == (EN,)
    assert trends_panel.load(FIXTURE / "params", ["en", "vi"]).languages == (EN, VI)
    with pytest.raises(InputError) as error:
        trends_panel.load(FIXTURE / "params", "fr")
    assert "no catalog for language 'fr'; the languages are vi, en" in str(error.value)


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


def mean_frame(values, start=2018):
    return pd.DataFrame({"year": range(start, start + len(values)), "mean": values})


def test_mean_sentences(panel, provinces):
    means = trends_across.mean_by_year(provinces, panel.published("par_index"), 2)
    assert trends_text.mean_sentences(means, "national mean", EN) == [
        "The national mean rose from 81.00% in 2018 to 87.50% in 2020.",
        "It rose every year.",
    ]
    assert trends_text.mean_sentences(means, "giá trị trung bình cả nước", VI) == [
        "Giá trị trung bình cả nước tăng từ 81,00% năm 2018 lên 87,50% năm 2020.",
        "Giá trị này tăng qua từng năm.",
    ]
    bumpy = pd.DataFrame({"year": [2018, 2019, 2020, 2021], "mean": [80.0, 84.0, 82.5, 83.0]})
    assert trends_text.mean_sentences(bumpy, "mean", EN, unit="") == [
        "The mean rose from 80.00 in 2018 to 83.00 in 2021.",
        "It rose in 2 of 3 years and fell in 2020 (−1.50).",
        "The highest was 84.00, in 2019.",
    ]
    assert trends_text.mean_sentences(bumpy, "giá trị trung bình", VI, unit="") == [
        "Giá trị trung bình tăng từ 80,00 năm 2018 lên 83,00 năm 2021.",
        "Giá trị này tăng ở 2 trong 3 năm và giảm vào năm 2020 (−1,50).",
        "Mức cao nhất là 84,00, vào năm 2019.",
    ]


def test_a_mean_that_fell_every_year():
    falling = mean_frame([88.0, 86.5, 85.25])
    assert trends_text.mean_sentences(falling, "national mean", EN) == [
        "The national mean fell from 88.00% in 2018 to 85.25% in 2020.",
        "It fell every year.",
        "The highest was 88.00%, in 2018.",
    ]
    assert trends_text.mean_sentences(falling, "giá trị trung bình cả nước", VI) == [
        "Giá trị trung bình cả nước giảm từ 88,00% năm 2018 xuống 85,25% năm 2020.",
        "Giá trị này giảm qua từng năm.",
        "Mức cao nhất là 88,00%, vào năm 2018.",
    ]


def test_a_mean_unchanged_over_the_period_with_the_highest_in_two_years():
    # 80 -> 81 -> 80 -> 81 -> 80: unchanged end to end, highest in 2019 and 2021
    flat = mean_frame([80.0, 81.0, 80.0, 81.0, 80.0])
    assert trends_text.mean_sentences(flat, "national mean", EN) == [
        "The national mean was 80.00% in 2022, unchanged from 2018.",
        "It rose in 2 of 4 years and fell in 2020 (−1.00) and 2022 (−1.00).",
        "The highest was 81.00%, in 2019 and 2021.",
    ]
    assert trends_text.mean_sentences(flat, "giá trị trung bình cả nước", VI) == [
        "Giá trị trung bình cả nước năm 2022 giữ nguyên so với năm 2018, ở mức 80,00%.",
        "Giá trị này tăng ở 2 trong 4 năm và giảm vào năm 2020 (−1,00) và năm 2022 (−1,00).",
        "Mức cao nhất là 81,00%, vào năm 2019 và 2021.",
    ]


def test_a_mean_that_never_fell_never_rose_or_never_moved():
    assert trends_text.mean_sentences(mean_frame([80.0, 80.0, 82.0]), "mean", EN)[1] == "It never fell."
    assert trends_text.mean_sentences(mean_frame([80.0, 80.0, 82.0]), "mean", VI)[1] == (
        "Giá trị này không giảm ở năm nào."
    )
    # it never rose, and the highest (2018 and 2019) is not the last year
    assert trends_text.mean_sentences(mean_frame([82.0, 82.0, 80.0]), "mean", EN)[1:] == [
        "It never rose.",
        "The highest was 82.00%, in 2018 and 2019.",
    ]
    assert trends_text.mean_sentences(mean_frame([82.0, 82.0, 80.0]), "mean", VI)[1] == (
        "Giá trị này không tăng ở năm nào."
    )
    # the same every year: the highest is also the last year's, so it is not repeated
    assert trends_text.mean_sentences(mean_frame([80.0, 80.0, 80.0]), "mean", EN)[1:] == [
        "It was the same every year.",
        "The highest was 80.00%, in 2018, 2019 and 2020.",
    ]
    assert trends_text.mean_sentences(mean_frame([80.0, 80.0, 80.0]), "mean", VI)[1:] == [
        "Giá trị này không thay đổi qua các năm.",
        "Mức cao nhất là 80,00%, vào năm 2018, 2019 và 2020.",
    ]


def test_a_mean_of_a_single_year():
    one = mean_frame([83.72], start=2020)
    assert trends_text.mean_sentences(one, "national mean", EN) == ["The national mean was 83.72% in 2020."]
    assert trends_text.mean_sentences(one, "giá trị trung bình cả nước", VI) == [
        "Giá trị trung bình cả nước năm 2020 đạt 83,72%."
    ]
    assert trends_text.mean_sentences(mean_frame([]), "mean", EN) == []


def test_leader_and_move_sentences(provinces):
    assert trends_text.leader_sentence(trends_across.leaders(provinces), EN) == (
        "First place: Đà Nẵng (2018), Quảng Ninh (2019), Hải Phòng (2020)."
    )
    assert trends_text.leader_sentence(trends_across.leaders(provinces), VI) == (
        "Dẫn đầu: Đà Nẵng (2018), Quảng Ninh (2019), Hải Phòng (2020)."
    )
    moves = trends_across.largest_moves(provinces, 2, k=1)
    assert trends_text.move_sentence(moves, 2018, 2020, EN) == (
        "From 2018 to 2020, Hải Phòng rose most (+14.00 points, rank 5 to 1); "
        "Đà Nẵng fell most (−2.00 points, rank 1 to 4)."
    )
    assert trends_text.move_sentence(moves, 2018, 2020, VI) == (
        "Từ năm 2018 đến năm 2020, Hải Phòng tăng nhiều nhất (+14,00 điểm, từ hạng 5 lên hạng 1); "
        "Đà Nẵng giảm nhiều nhất (−2,00 điểm, từ hạng 1 xuống hạng 4)."
    )


def test_leaders_tied_in_first_place():
    first = pd.DataFrame(
        {"year": [2018, 2018, 2019, 2020], "name": ["Hà Nội", "Huế", "Hà Nội", "Hà Nội"], "code": "x"}
    )
    assert trends_text.leader_sentence(first, EN) == "First place: Hà Nội and Huế (2018), Hà Nội (2019–2020)."
    assert trends_text.leader_sentence(first, VI) == "Dẫn đầu: Hà Nội và Huế (2018), Hà Nội (2019–2020)."
    assert trends_text.leader_sentence(first, EN, "First in SIPAS") == (
        "First in SIPAS: Hà Nội and Huế (2018), Hà Nội (2019–2020)."
    )
    # names holding a comma are listed with semicolons
    ministries = pd.DataFrame(
        {"year": [2020, 2020], "name": ["Bộ Văn hóa, Thể thao và Du lịch", "Bộ Tư pháp"]}
    )
    assert trends_text.leader_sentence(ministries, VI) == (
        "Dẫn đầu: Bộ Văn hóa, Thể thao và Du lịch; Bộ Tư pháp (2020)."
    )


def move_rows(*rows):
    columns = ["direction", "position", "name", "score_change", "rank_previous", "rank_current"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.assign(start=2019, end=2020, by="points")


def test_a_tie_for_the_largest_rise_and_no_fall():
    moves = move_rows(
        ("rise", 1, "Hà Nội", 3.0, 4, 2), ("rise", 2, "Huế", 3.0, 3, 3), ("rise", 3, "Cà Mau", 1.0, 9, 9)
    )
    assert trends_text.move_sentence(moves, 2019, 2020, EN) == (
        "From 2019 to 2020, Hà Nội and Huế rose most (+3.00 points each); no province's score fell."
    )
    assert trends_text.move_sentence(moves, 2019, 2020, VI) == (
        "Từ năm 2019 đến năm 2020, Hà Nội và Huế cùng tăng nhiều nhất (+3,00 điểm); "
        "không có địa phương nào giảm điểm."
    )


def test_a_fall_only_with_the_rank_kept_and_no_change_at_all():
    moves = move_rows(("fall", 1, "Huế", -0.5, 3, 3))
    assert trends_text.move_sentence(moves, 2019, 2020, EN) == (
        "From 2019 to 2020, no province's score rose; Huế fell most (−0.50 points, still rank 3)."
    )
    assert trends_text.move_sentence(moves, 2019, 2020, VI) == (
        "Từ năm 2019 đến năm 2020, không có địa phương nào tăng điểm; "
        "Huế giảm nhiều nhất (−0,50 điểm, giữ hạng 3)."
    )
    nothing = move_rows()
    assert trends_text.move_sentence(nothing, 2019, 2020, EN) == (
        "From 2019 to 2020, no province's score changed."
    )
    assert trends_text.move_sentence(nothing, 2019, 2020, VI) == (
        "Từ năm 2019 đến năm 2020, không có địa phương nào thay đổi điểm."
    )


def test_threshold_and_band_rules_write_numbers_as_the_language_does(provinces):
    above = trends_across.at_or_above(provinces, 80, 2)
    assert trends_text.threshold_sentence(above, 80, "%", EN) == (
        "Provinces at or above 80%, a band threshold in every year: 4 in 2018, 5 in 2019 and 6 in 2020."
    )
    assert trends_text.threshold_sentence(above, 80, "%", VI) == (
        "Số địa phương đạt từ 80% trở lên (ngưỡng phân nhóm có ở mọi năm): "
        "năm 2018 có 4, năm 2019 có 5 và năm 2020 có 6."
    )
    bands = (Band(label="A", min=90), Band(label="B", min=82.5), Band(label="C", min=0))
    assert trends_text.band_rule(bands, "%", EN) == "A: 90% and above; B: 82.5% to under 90%; C: under 82.5%"
    assert trends_text.band_rule(bands, "%", VI) == (
        "A: từ 90% trở lên; B: từ 82,5% đến dưới 90%; C: dưới 82,5%"
    )
    assert trends_text.band_rule(bands, "điểm", VI) == (
        "A: từ 90 điểm trở lên; B: từ 82,5 điểm đến dưới 90 điểm; C: dưới 82,5 điểm"
    )
    assert trends_text.regime_ranges(bands, VI) == "A ≥ 90, B 82,5–<90, C < 82,5"
    assert trends_text.band_label("< 82.5", bands[:2], VI) == "< 82,5"  # below every band of A, B


def test_regions_led_and_the_gap_between_them():
    regional = pd.DataFrame(
        {
            "year": [2019, 2019, 2019, 2020, 2020, 2020],
            "name": ["Tây Nguyên", "Đông Nam Bộ", "Đồng bằng sông Hồng"] * 2,
            "mean": [80.0, 84.5, 84.5, 81.0, 83.0, 86.0],
        }
    )
    # 2019: a tie at 84.50, gap 4.50; 2020: gap 5.00
    assert trends_text.region_sentence(regional, 2, VI) == (
        "Vùng có giá trị trung bình cao nhất: Đông Nam Bộ (2019); Đồng bằng sông Hồng (2019–2020). "
        "Khoảng cách giữa vùng có giá trị trung bình cao nhất và vùng thấp nhất nới rộng "
        "từ 4,50 điểm năm 2019 lên 5,00 điểm năm 2020."
    )
    english = regional.assign(name=["Central Highlands", "Southeast", "Red River Delta"] * 2)
    assert trends_text.region_sentence(english, 2, EN) == (
        "Highest regional mean: Southeast in 2019; Red River Delta in 2019–2020. "
        "The gap between the highest and lowest regional mean widened from 4.50 points in 2019 "
        "to 5.00 points in 2020."
    )
    same = pd.Series([7.0, 6.0, 7.0], index=[2018, 2019, 2020])
    assert trends_text.gap_sentence(same, "provinces", 2, EN) == (
        "The gap between the highest and lowest province was 7.00 points in 2020, unchanged from 2018."
    )
    assert trends_text.gap_sentence(same, "provinces", 2, VI) == (
        "Khoảng cách giữa địa phương có điểm cao nhất và địa phương thấp nhất năm 2020 giữ nguyên so với "
        "năm 2018, ở mức 7,00 điểm."
    )
    assert trends_text.gap_sentence(same.iloc[:1], "provinces", 2, EN) == ""


def test_years_and_names_in_running_text():
    assert trends_text.years_text([2019, 2020, 2021, 2023], EN) == "2019–2021 and 2023"
    assert trends_text.years_text([2019, 2020, 2021, 2023], VI) == "2019–2021 và 2023"
    assert trends_text.names_text(["Bộ Tư pháp", "Bộ Tài chính"], VI) == "Bộ Tư pháp và Bộ Tài chính"
    assert trends_text.rank_move(3, 7, VI) == "từ hạng 3 xuống hạng 7"


# --- sections -----------------------------------------------------------------------------------------------


def texts(output):
    """The HTML of an output in each language, its entities unescaped."""
    return {code: html.unescape(text) for code, text in output.texts.items()}


def one_year_project(tmp_path, author=None):
    """A copy of the fixture with only its 2018 params, optionally with an author."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    for year in (2019, 2020):
        (project / "params" / f"{year}.yaml").unlink()
    if author:
        params = project / "params" / "2018.yaml"
        params.write_text(params.read_text(encoding="utf-8") + author, encoding="utf-8")
    return trends_panel.load(project / "params")


def test_every_section_is_written_in_every_language_of_the_panel(panel):
    for name in ("title", "key_movement", "national_mean", "bands", "leading", "movers", "regions"):
        assert list(getattr(trends_sections, name)(panel).texts) == ["vi", "en"], name
    for name in ("secondary", "companion", "methodology", "provenance"):
        assert list(getattr(trends_sections, name)(panel).texts) == ["vi", "en"], name
    only = trends_panel.load(FIXTURE / "params", "en")
    assert list(texts(trends_sections.bands(only))) == ["en"]


def test_title_carries_the_demonstration_banner(panel):
    page = texts(trends_sections.title(panel))
    assert "<h1>PAR INDEX 2018–2020: trends</h1>" in page["en"]
    assert "<p>Public Administration Reform Index: every year with data, 3 years</p>" in page["en"]
    assert 'class="parindex-banner"' in page["en"] and "Demonstration data" in page["en"]
    assert "<h1>PAR INDEX giai đoạn 2018–2020: diễn biến qua các năm</h1>" in page["vi"]
    assert "<p>Chỉ số cải cách hành chính: 3 năm có số liệu</p>" in page["vi"]
    assert (
        'class="parindex-banner"' in page["vi"] and "Dữ liệu minh họa: các giá trị đánh dấu †" in page["vi"]
    )
    assert "parindex-byline" not in page["en"]  # the fixture names no author


def test_a_title_with_a_byline_and_a_single_year(tmp_path):
    author = "author:\n  vi: Nhóm phân tích dữ liệu\n  en: Data analysis team\n"
    page = texts(trends_sections.title(one_year_project(tmp_path, author)))
    assert "<h1>PAR INDEX 2018: trends</h1>" in page["en"]
    assert "<p>Public Administration Reform Index: 1 year with data</p>" in page["en"]
    assert '<p class="parindex-byline">Prepared by Data analysis team</p>' in page["en"]
    assert "<h1>PAR INDEX giai đoạn 2018: diễn biến qua các năm</h1>" in page["vi"]
    assert "<p>Chỉ số cải cách hành chính: 1 năm có số liệu</p>" in page["vi"]
    assert '<p class="parindex-byline">Đơn vị thực hiện: Nhóm phân tích dữ liệu</p>' in page["vi"]


def test_section_headings_and_introductions_come_from_the_catalog(panel):
    leading = texts(trends_sections.section(panel, "leading"))
    assert leading["en"] == (
        "<h2>The leading provinces over time</h2>"
        "<p>The provinces leading 2020, and where each of them ranked in every earlier year.</p>"
    )
    assert leading["vi"] == (
        "<h2>Các địa phương dẫn đầu qua các năm</h2>"
        "<p>Các tỉnh, thành phố dẫn đầu năm 2020 và thứ hạng của từng địa phương trong các năm trước đó.</p>"
    )
    companion = texts(trends_sections.section(panel, "companion"))
    assert companion["en"].startswith("<h2>Satisfaction Index of Public Administrative Services (SIPAS)</h2>")
    assert "<p>Chỉ số SIPAS được khảo sát tại tất cả các tỉnh, thành phố" in companion["vi"]
    with pytest.raises(ValueError, match="unknown section 'summary'"):
        trends_sections.section(panel, "summary")


def test_key_movement_sentences(panel):
    page = texts(trends_sections.key_movement(panel))
    for sentence in (
        "The national mean rose from 81.00% in 2018 to 87.50% in 2020.",
        "Provinces at or above 80%, a band threshold in every year: 4 in 2018, 5 in 2019 and 6 in 2020.",
        "First place: Đà Nẵng (2018), Quảng Ninh (2019), Hải Phòng (2020).",
        "The SIPAS national mean rose from 81.00% in 2018 to 87.00% in 2020.",
        "<div>Change (points)<b>+6.50</b></div>",
        "<div>≥ 80% in 2020<b>6 of 6</b></div>",
    ):
        assert sentence in page["en"]
    for sentence in (
        "Giá trị trung bình cả nước tăng từ 81,00% năm 2018 lên 87,50% năm 2020.",
        "Số địa phương đạt từ 80% trở lên (ngưỡng phân nhóm có ở mọi năm): "
        "năm 2018 có 4, năm 2019 có 5 và năm 2020 có 6.",
        "Dẫn đầu: Đà Nẵng (2018), Quảng Ninh (2019), Hải Phòng (2020).",
        "Từ năm 2018 đến năm 2020, Hải Phòng tăng nhiều nhất (+14,00 điểm, từ hạng 5 lên hạng 1); "
        "Đà Nẵng giảm nhiều nhất (−2,00 điểm, từ hạng 1 xuống hạng 4).",
        "Giá trị trung bình cả nước của chỉ số SIPAS tăng từ 81,00% năm 2018 lên 87,00% năm 2020.",
        "<div>Trung bình năm 2020<b>87,50%</b></div>",
        "<div>≥ 80% năm 2020<b>6/6</b></div>",
    ):
        assert sentence in page["vi"]


def test_a_single_year_has_no_movement_to_tell(tmp_path):
    panel = one_year_project(tmp_path)
    key = texts(trends_sections.key_movement(panel))
    assert "The national mean was 81.00% in 2018." in key["en"]
    assert "Giá trị trung bình cả nước năm 2018 đạt 81,00%." in key["vi"]
    assert "Change (points)" not in key["en"] and "From 2018" not in key["en"]
    assert texts(trends_sections.movers(panel)) == {
        "vi": "<p>Chỉ có số liệu của một năm: không có thay đổi để trình bày.</p>",
        "en": "<p>One year only: no change to show.</p>",
    }
    bands = texts(trends_sections.bands(panel))
    assert "The bands changed" not in bands["en"] and "Cách phân nhóm thay đổi" not in bands["vi"]


def test_sections_say_where_the_bands_changed_and_mark_simulated_values(panel):
    bands = texts(trends_sections.bands(panel))
    assert (
        "The bands changed in 2019 and 2020, so a band's name does not mean the same range in every year: "
        "2018 (A: 80% and above; B: 75% to under 80%; C: 70% to under 75%; D: under 70%), "
        "2019 (A: 90% and above; B: 80% to under 90%; C: 70% to under 80%) and "
        "2020 (A: 90% and above; B: 80% to under 90%)."
    ) in bands["en"]
    assert (
        "Cách phân nhóm thay đổi vào năm 2019 và 2020, nên cùng một tên nhóm không ứng với cùng một khoảng "
        "điểm ở mọi năm: 2018 (A: từ 80% trở lên; B: từ 75% đến dưới 80%; C: từ 70% đến dưới 75%; "
        "D: dưới 70%), 2019 (A: từ 90% trở lên; B: từ 80% đến dưới 90%; C: từ 70% đến dưới 80%) và "
        "2020 (A: từ 90% trở lên; B: từ 80% đến dưới 90%)."
    ) in bands["vi"]
    assert "4†" in bands["en"]  # band B of 2019 holds a simulated value
    assert (
        "† the band holds simulated values." in bands["en"] and "† nhóm có giá trị mô phỏng." in bands["vi"]
    )
    national = texts(trends_sections.national_mean(panel))
    assert (
        "85.00†" in national["en"] and "3 of 3 published means are reproduced by the data." in national["en"]
    )
    assert (
        "85,00†" in national["vi"]
        and "Dữ liệu tái tạo đúng 3/3 giá trị trung bình đã công bố." in national["vi"]
    )
    assert ">Độ lệch chuẩn<" in national["vi"] and ">khớp<" in national["vi"]
    assert national["en"].count('<svg role="img"') == 1


def test_sections_on_leaders_movers_regions_ministries_and_sipas(panel):
    leading = texts(trends_sections.leading(panel))
    assert "rank of the top 6 of 2020" not in leading["en"]  # titles live in the chart, not in the page
    assert ">5†<" in leading["en"]  # Thừa Thiên Huế's simulated 2020 rank
    assert "<caption>Thứ hạng qua các năm (1 là cao nhất)</caption>" in leading["vi"]
    movers = texts(trends_sections.movers(panel))
    assert (
        "Of the 6 provinces ranked in both 2018 and 2020, 5 raised their score and 1 lowered its score."
        in (movers["en"])
    )
    assert (
        "Trong số 6 địa phương được xếp hạng ở cả năm 2018 và năm 2020, 5 địa phương tăng điểm và "
        "1 địa phương giảm điểm."
    ) in movers["vi"]
    assert "Hải Phòng 4 → 1" in movers["en"]  # the largest climb of 2019-2020
    assert "Thành phố Hồ Chí Minh +9,00†" in movers["vi"]  # the largest rise of 2018-2019, simulated
    assert ">rise<" in movers["en"] and ">tăng<" in movers["vi"]
    regions = texts(trends_sections.regions(panel))
    assert "2 of 2 published regional means are reproduced by the data." in regions["en"]
    assert "Highest regional mean: Central Coast in 2018; Red River Delta in 2019–2020." in regions["en"]
    assert (
        "Vùng có giá trị trung bình cao nhất: Bắc Trung Bộ và duyên hải miền Trung (2018); "
        "Đồng bằng sông Hồng (2019–2020)."
    ) in regions["vi"]
    assert ">Cả nước<" in regions["vi"] and ">National mean<" in regions["en"]
    ministries = texts(trends_sections.secondary(panel))
    assert "Not ranked from 2019: Ministry of Finance." in ministries["en"]
    assert "Không được xếp hạng từ năm 2019: Bộ Tài chính." in ministries["vi"]
    assert "Units ranked: 3 in 2018 and 2 in 2019–2020." in ministries["en"]
    assert "Số đơn vị được xếp hạng: 3 (2018) và 2 (2019–2020)." in ministries["vi"]
    assert "First place: State Bank of Vietnam (2018–2019), Ministry of Justice (2020)." in ministries["en"]
    assert "Dẫn đầu: Ngân hàng Nhà nước Việt Nam (2018–2019), Bộ Tư pháp (2020)." in ministries["vi"]
    assert "MISMATCH" in ministries["en"] and "KHÔNG KHỚP" in ministries["vi"]
    sipas = texts(trends_sections.companion(panel))
    assert "First in SIPAS: Đà Nẵng (2018–2020)." in sipas["en"]
    assert "Dẫn đầu chỉ số SIPAS: Đà Nẵng (2018–2020)." in sipas["vi"]
    assert (
        "The gap between the highest and lowest province narrowed from 10.00 points in 2018 to 7.00 points "
        "in 2020."
    ) in sipas["en"]
    assert (
        "Khoảng cách giữa địa phương có điểm cao nhất và địa phương thấp nhất thu hẹp từ 10,00 điểm năm 2018 "
        "xuống 7,00 điểm năm 2020."
    ) in sipas["vi"]


def test_methodology_lists_the_bands_of_each_year_and_provenance_the_files(panel):
    methods = texts(trends_sections.methodology(panel))
    assert "A: 80% and above; B: 75% to under 80%; C: 70% to under 75%; D: under 70%" in methods["en"]
    assert "A: từ 80% trở lên; B: từ 75% đến dưới 80%; C: từ 70% đến dưới 75%; D: dưới 70%" in methods["vi"]
    assert "on scores rounded to 2 decimals." in methods["en"]
    assert "trên điểm đã làm tròn đến 2 chữ số thập phân." in methods["vi"]
    files = trends_sections.provenance_rows(panel)
    assert {"params/2018.yaml", "data/2020/sipas.csv", "data/published/aggregates.csv"} <= set(files.file)
    assert files.file.is_unique
    assert all(len(h) == 64 for h in files.sha256)
    provenance = texts(trends_sections.provenance(panel))
    # 3 years of 6 provinces and 3, 2, 2 ministries; 2 values simulated
    assert "Of 25 PAR INDEX values over 3 years, 23 are published and 2 simulated." in provenance["en"]
    assert (
        "Trong 25 giá trị PAR INDEX của 3 năm, có 23 giá trị đã công bố và 2 giá trị mô phỏng."
        in (provenance["vi"])
    )


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
    # in no language: bands as symbols, names as registered
    assert summary["bands"] == {
        "2018": "A ≥ 80, B 75–<80, C 70–<75, D < 70",
        "2019": "A ≥ 90, B 80–<90, C 70–<80",
        "2020": "A ≥ 90, B 80–<90",
    }
    assert [r["name"] for r in summary["regional_means"][:3]] == [
        "Red River Delta",
        "North Central and Central Coast",
        "Southeast",
    ]
    assert summary["ministries"][2]["status"] == "MISMATCH"
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
    """The legend's entries, a label wrapped onto several lines read as one."""
    return [t.get_text().replace("\n", " ") for t in ax.get_legend().get_texts()]


def test_yearly_means_chart(panel, provinces, tmp_path):
    means = trends_across.mean_by_year(provinces, panel.published("par_index"), 2)
    figure = trends_charts.yearly_means(
        means, "Mean", SOURCE, EN, spread=trends_across.spread_by_year(provinces), score_label="PAR INDEX (%)"
    )
    ax = check_frame(figure, "Mean", "Year", "PAR INDEX (%)", tmp_path)
    assert [list(line.get_ydata()) for line in ax.lines if line.get_gid() == "mean"] == [[81.0, 85.0, 87.5]]
    published = [c for c in ax.collections if c.get_gid() == "published"]
    assert [float(y) for _, y in published[0].get_offsets()] == [81.0, 85.0, 87.5]
    assert len(ax.patches) == 3  # one box per year
    assert [t.get_text() for t in ax.texts] == ["81.00", "85.00", "87.50"]
    assert not any("\n" in t.get_text() for t in ax.get_legend().get_texts())  # the English row fits
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
    figure = trends_charts.yearly_means(means, "Mean", SOURCE, EN)
    ax = check_frame(figure, "Mean", "Year", "Mean score", tmp_path)
    assert legend_texts(ax) == ["mean"]


def test_bands_by_year_chart(panel, provinces, tmp_path):
    counts = trends_across.band_counts_by_year(provinces, panel.bands)
    figure = trends_charts.bands_by_year(counts, trends_across.band_regimes(panel.bands), "Bands", SOURCE, EN)
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
    assert [t.get_text() for t in ax.get_yticklabels()][:2] == ["0", "1"]
    assert legend_texts(ax) == [
        "top band",
        "second band",
        "third band",
        "fourth band",
        "simulated (demonstration)",
    ]


def test_rank_trajectories_chart(provinces, tmp_path):
    figure = trends_charts.rank_trajectories(
        trends_across.rank_trajectories(provinces, 3), "Ranks", SOURCE, EN
    )
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
    figure = trends_charts.regional_trends(regional, national, "Regions", SOURCE, EN, score_label="Mean (%)")
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
    figure = trends_charts.score_grid(panel.scores("ministry"), "Ministries", SOURCE, EN)
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


def test_change_chart_of_the_whole_period(provinces, tmp_path):
    moved = trends_across.changes(provinces, 2018, 2020, 2)
    figure = trends_charts.change(
        moved, "Moves", SOURCE, EN, previous_label="2018", current_label="2020", score_label="PAR INDEX (%)"
    )
    ax = check_frame(figure, "Moves", "PAR INDEX (%)", "Province (largest rise first)", tmp_path)
    # largest rise first: 31 +14, 79 +10, 01 +8, 46 +5, 22 +4, 48 -2
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Hải Phòng",
        "TP. Hồ Chí Minh",
        "Hà Nội",
        "Thừa Thiên Huế",
        "Quảng Ninh",
        "Đà Nẵng",
    ]
    assert [t.get_text() for t in ax.texts] == ["+14.00", "+10.00", "+8.00", "+5.00", "+4.00", "−2.00"]
    assert legend_texts(ax) == ["2018", "2020, score rose", "2020, score fell", "simulated (demonstration)"]
    rises = moved[moved.score_change > 0]
    only_rises = trends_charts.change(
        rises, "Rises", SOURCE, EN, previous_label="2018", current_label="2020", score_label="PAR INDEX (%)"
    )
    assert legend_texts(only_rises.axes[0]) == ["2018", "2020, score rose", "simulated (demonstration)"]


def figure_texts(figure):
    """Every text a figure shows: title, source, axis labels, tick labels, annotations and legends."""
    found = [figure.get_suptitle()] + [t.get_text() for t in figure.texts]
    for ax in figure.axes:
        if not ax.get_visible():
            continue
        found += [ax.get_xlabel(), ax.get_ylabel(), ax.get_title(loc="left")] + [
            t.get_text() for t in ax.texts
        ]
        if ax.axison:  # an axes drawn without its axis (a legend's place) shows no ticks
            found += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        if ax.get_legend() is not None:
            found += legend_texts(ax)
    return [text for text in found if text]


def test_the_vietnamese_charts_write_comma_decimals_and_vietnamese_words(panel, provinces):
    means = trends_across.mean_by_year(provinces, panel.published("par_index"), 2)
    figure = trends_charts.yearly_means(
        means,
        "PAR INDEX: giá trị trung bình cả nước",
        SOURCE,
        VI,
        spread=trends_across.spread_by_year(provinces),
    )
    ax = figure.axes[0]
    assert [t.get_text() for t in ax.texts] == ["81,00", "85,00", "87,50"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Năm", "Điểm trung bình")
    assert legend_texts(ax) == [
        "giá trị trung bình",
        "nửa giữa, trung vị và khoảng điểm của các đơn vị",
        "giá trị trung bình đã công bố",
        "mô phỏng (dữ liệu minh họa)",
    ]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2018", "2019", "2020"]  # years without separator
    # the Vietnamese row of four entries is too long for the page: its long labels take two lines
    assert [t.get_text().count("\n") for t in ax.get_legend().get_texts()] == [0, 1, 1, 1]
    close = pd.DataFrame({"year": [2021, 2022, 2023], "mean": [81.0, 81.4, 81.8], "published": math.nan})
    ticks = (
        trends_charts.yearly_means(close.assign(simulated=False), "T", SOURCE, VI).axes[0].get_yticklabels()
    )
    labels = [t.get_text() for t in ticks]
    assert "81,0" in labels and "81,4" in labels  # ticks a tenth apart: one decimal, after a comma
    assert all(re.fullmatch(r"\d\d,\d", label) for label in labels), labels
    moved = trends_across.changes(provinces, 2018, 2020, 2)
    dumbbell = trends_charts.change(
        moved, "T", SOURCE, VI, previous_label="2018", current_label="2020", score_label="PAR INDEX (%)"
    )
    assert [t.get_text() for t in dumbbell.axes[0].texts][:2] == ["+14,00", "+10,00"]
    assert legend_texts(dumbbell.axes[0])[1:3] == ["2020, tăng điểm", "2020, giảm điểm"]
    assert dumbbell.axes[0].get_ylabel().replace("\n", " ") == "Tỉnh, thành phố (tăng nhiều nhất ở trên)"
    counts = trends_across.band_counts_by_year(provinces, panel.bands)
    bands = trends_charts.bands_by_year(counts, trends_across.band_regimes(panel.bands), "T", SOURCE, VI)
    assert legend_texts(bands.axes[0])[:2] == ["nhóm cao nhất", "nhóm thứ hai"]
    assert [t.get_text() for t in bands.axes[0].texts].count(" đổi cách phân nhóm") == 2
    assert bands.axes[0].get_ylabel() == "Số tỉnh, thành phố"
    grid = trends_charts.score_grid(panel.scores("ministry"), "T", SOURCE, VI)
    assert [t.get_text() for t in grid.axes[0].texts][:3] == ["84,00 (2)", "88,00 (2)", "93,00 (1)"]
    assert legend_texts(grid.axes[0]) == ["điểm 81", "điểm 93", "không xếp hạng"]
    assert grid.axes[0].get_xlabel() == "Năm: điểm (thứ hạng)"
    regional = trends_across.regional_means_by_year(
        provinces, panel.published("par_index"), panel.regions.names_vi, 2
    )
    regions = trends_charts.regional_trends(regional, means, "T", SOURCE, VI)
    legend = next(ax for ax in regions.axes if ax.get_legend() is not None)
    assert legend_texts(legend)[:2] == ["trung bình vùng", "giá trị trung bình cả nước"]
    ticks = [t.get_text() for t in regions.axes[1].get_yticklabels()]
    # every tick with the same decimals, and no more than the ticks need: 70,0 72,5 75,0 ... here
    assert {len(t.partition(",")[2]) for t in ticks} == {1} and "72,5" in ticks, ticks
    paths = trends_charts.rank_trajectories(trends_across.rank_trajectories(provinces, 3), "T", SOURCE, VI)
    assert paths.axes[0].get_ylabel() == "Thứ hạng (1 = cao nhất)"
    for chart in (figure, dumbbell, bands, grid, regions, paths):
        decimals = [text for text in figure_texts(chart) if re.search(r"\d\.\d", text)]
        assert decimals == [], decimals  # no point as a decimal separator anywhere
        assert style.render(chart, "png")[:8] == b"\x89PNG\r\n\x1a\n"


def hover_texts(figure):
    """The <title> of every mark of a figure's SVG, in drawing order."""
    return re.findall(r"<title>(.*?)</title>", style.render(figure, "svg").decode("utf-8"))


def test_every_mark_of_the_trends_charts_shows_its_values_on_hover(panel, provinces):
    means = trends_across.mean_by_year(provinces, panel.published("par_index"), 2)
    spread = trends_across.spread_by_year(provinces)
    titles = hover_texts(trends_charts.yearly_means(means, "T", SOURCE, VI, spread=spread))
    assert "2019: thấp nhất 79,00 · trung vị 85,25 · cao nhất 91,00" in titles  # the box and its whiskers
    assert "2019: 85,00†" in titles
    counts = trends_across.band_counts_by_year(provinces, panel.bands)
    titles = hover_texts(
        trends_charts.bands_by_year(counts, trends_across.band_regimes(panel.bands), "T", SOURCE, EN)
    )
    assert titles.count("2019: B: 4 (1 simulated)") == 2  # the published part and the hatched one
    assert "2018: A: 4" in titles
    titles = hover_texts(
        trends_charts.rank_trajectories(trends_across.rank_trajectories(provinces, 3), "T", SOURCE, EN)
    )
    assert "Hải Phòng: 2018: 5" in titles and "Quảng Ninh: 2019: 1" in titles
    regional = trends_across.regional_means_by_year(
        provinces, panel.published("par_index"), panel.regions.short_en, 2
    )
    titles = hover_texts(trends_charts.regional_trends(regional, means, "T", SOURCE, EN))
    assert titles.count("national mean: 2018: 81.00 · 2019: 85.00 · 2020: 87.50") == 3  # one per panel
    assert "Southeast: 2019: 82.00†" in titles
    titles = hover_texts(trends_charts.score_grid(panel.scores("ministry"), "T", SOURCE, VI))
    assert titles[:2] == ["Bộ Tư pháp: 2018: 84,00 (2)", "Bộ Tư pháp: 2019: 88,00 (2)"]
    assert "Bộ Tài chính: 2019: không xếp hạng" in titles
    moved = trends_across.changes(provinces, 2018, 2020, 2)
    dumbbell = trends_charts.change(
        moved, "T", SOURCE, VI, previous_label="2018", current_label="2020", score_label="PAR INDEX (%)"
    )
    titles = hover_texts(dumbbell)
    assert titles.count("Thừa Thiên Huế: 2018 80,00 → 2020 85,00 (+5,00)†") == 3  # line and both dots
    assert "Đà Nẵng: 2018 88,00 → 2020 86,00 (−2,00)" in titles


# --- the notebook -------------------------------------------------------------------------------------------


def test_the_trends_notebook_runs_top_to_bottom_on_the_real_params(tmp_path):
    output = tmp_path / "output"
    executed = tmp_path / "par_index_trends.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS / "trends_report.ipynb"),
        str(executed),
        parameters={"output_dir": str(output)},
        kernel_name="parindex",
        cwd=str(NOTEBOOKS),
        progress_bar=False,
    )
    notebook = nbformat.read(executed, as_version=4)
    outputs = [
        out.get("data", {}) for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs
    ]
    pages = {
        code: "".join(out[LANGUAGES_MIME][code] for out in outputs if LANGUAGES_MIME in out)
        for code in ("vi", "en")
    }
    assert "The national mean rose from 76.92% in 2018 to 88.37% in 2024." in pages["en"]
    assert "Giá trị trung bình cả nước tăng từ 76,92% năm 2018 lên 88,37% năm 2024." in pages["vi"]
    assert "Demonstration data" in pages["en"] and "Dữ liệu minh họa" in pages["vi"]
    assert pages["en"].count("<h2>") == 11 and pages["vi"].count("<h2>") == 11  # every section's heading
    assert "<h2>The provinces on the map, year by year</h2>" in pages["en"]
    assert "<h2>Bản đồ các tỉnh, thành phố qua từng năm</h2>" in pages["vi"]
    assert "<h2>Giá trị trung bình cả nước</h2>" in pages["vi"]
    # the notebook shows the main language
    shown = "".join(out.get("text/html", "") for out in outputs)
    assert "Giá trị trung bình cả nước tăng từ 76,92%" in shown and "The national mean rose" not in shown
    summary = json.loads((output / "summary.json").read_text(encoding="utf-8"))
    assert summary["years"] == [2018, 2019, 2020, 2021, 2022, 2023, 2024]
    assert summary["band_counts"]["2018"] == {"A": 9, "B": 36, "C": 15, "D": 3}
    assert summary["band_counts"]["2020"] == {"A": 2, "B": 56, "C": 5}
    assert summary["at_or_above"]["counts"][1] == {"year": 2019, "n": 63, "count": 44}
    assert (output / "tables" / "ranks.csv").is_file()
