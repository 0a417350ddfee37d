"""Tests of the province profile and its chart: one province across the years, and the index page."""

from __future__ import annotations

import ast
import html
import json
import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import papermill
import pytest
from matplotlib.figure import Figure

from parindex.data.params import Band, load_params
from parindex.errors import InputError
from parindex.i18n import lang
from parindex.pipeline.export import Printer
from parindex.reports import style
from parindex.reports.present import LANGUAGES_MIME
from parindex.reports.profile import charts as profile_charts
from parindex.reports.profile import history as profile_history
from parindex.reports.profile import listing as profile_listing
from parindex.reports.profile import outputs as profile_outputs
from parindex.reports.profile import sections as profile_sections
from parindex.reports.profile import text as profile_text
from parindex.reports.profile import unit as profile_unit

ROOT = Path(__file__).resolve().parents[1]
PANEL = Path(__file__).parent / "fixtures" / "profile"
NOTEBOOK = ROOT / "notebooks" / "unit_profile.ipynb"
VI, EN = lang("vi"), lang("en")

# Thừa Thiên Huế's ranks, read by eye from the rank column of data/demo/<year>/provinces.csv.
HUE_RANKS = {2018: 14, 2019: 23, 2020: 3, 2021: 4, 2022: 19, 2023: 17, 2024: 14}


@pytest.fixture(scope="module")
def demo():
    """The demonstration panel of the repository, loaded once."""
    return profile_history.load_history(ROOT / "params")


@pytest.fixture(scope="module")
def panel():
    """The six-province test panel of tests/fixtures/profile (2019 and 2020)."""
    return profile_history.load_history(PANEL / "params")


def html_of(output, code: str = "en") -> str:
    return output.texts[code]


# --- the demonstration panel: Thừa Thiên Huế 2020 ----------------------------------------------------


def test_hue_2020_score_rank_region_and_rank_history(demo):
    hue = profile_unit.profile(demo, "46", 2020)
    assert hue.name == "Thừa Thiên Huế"
    assert hue.region_name == "North Central and Central Coast"
    assert (hue.row["score"], hue.row["rank"], hue.row["band"]) == (88.47, 3, "B")
    assert dict(zip(hue.timeline["year"], hue.timeline["rank"], strict=True)) == HUE_RANKS


def test_hue_2020_rank_history_appears_in_the_table(demo):
    page = html_of(profile_sections.history_table(profile_unit.profile(demo, "46", 2020)))
    for year, rank in HUE_RANKS.items():
        row = rf"<tr><td[^>]*>{year}</td><td[^>]*>[\d.]+†?</td><td[^>]*>{rank}†?</td><td[^>]*>63</td>"
        assert re.search(row, page), f"{year}: rank {rank} not in the table"
    bands = "2018: A ≥ 80, B 75–<80, C 70–<75, D < 70; 2019–2022: A ≥ 90, B 80–<90, C 70–<80; 2023–2024"
    assert bands in html.unescape(page)
    vietnamese = html.unescape(
        html_of(profile_sections.history_table(profile_unit.profile(demo, "46", 2020)), "vi")
    )
    assert "Thừa Thiên Huế: PAR INDEX qua các năm có số liệu" in vietnamese
    assert "Các nhóm theo công bố của từng năm: 2018: A ≥ 80, B 75–<80" in vietnamese
    assert ">88,47<" in vietnamese and ">Trung bình vùng</th>" in vietnamese


def test_hue_2020_sentences(demo):
    texts = profile_text.sentences(profile_unit.profile(demo, "46", 2020), EN)
    # 88.47 - 83.72 = 4.75; the 14 provinces of the region average 1162.32 / 14 = 83.0229 -> 83.02.
    assert texts[0] == (
        "Thừa Thiên Huế ranks 3rd of 63 in 2020 with 88.47%, 4.75 points above the national mean (83.72%); "
        "it is in band B (80% to under 90%)."
    )
    assert texts[1] == (
        "It is in the North Central and Central Coast region, whose mean is 83.02%: Thừa Thiên Huế is 5.45 "
        "points above it and ranks 1st of 14 provinces in the region."
    )
    # 2019: 82.24, rank 23 -> 88.47 is 6.23 more, 20 places up.
    assert (
        texts[2] == "Against 2019 (82.24%), its score rose 6.23 points and it moved up 20 places from 23rd."
    )
    assert texts[3].startswith("Over 2018–2024 its best rank was 3rd (2020) and its lowest 23rd (2019)")


def test_hue_2020_sentences_in_vietnamese(demo):
    texts = profile_text.sentences(profile_unit.profile(demo, "46", 2020), VI)
    assert texts[0] == (
        "Năm 2020, Thừa Thiên Huế đạt 88,47%, xếp thứ 3/63; cao hơn giá trị trung bình cả nước (83,72%) "
        "4,75 điểm và thuộc nhóm B (từ 80% đến dưới 90%)."
    )
    assert texts[1] == (
        "Thừa Thiên Huế thuộc vùng Bắc Trung Bộ và duyên hải miền Trung (giá trị trung bình của vùng: "
        "83,02%), "
        "cao hơn giá trị trung bình của vùng 5,45 điểm và xếp thứ 1/14 địa phương trong vùng."
    )
    assert texts[2] == (
        "So với năm 2019 (82,24%), điểm số tăng 6,23 điểm và thứ hạng tăng 20 bậc (từ vị trí thứ 23)."
    )
    assert texts[3].startswith(
        "Giai đoạn 2018–2024, thứ hạng cao nhất là thứ 3 (2020), thấp nhất là thứ 23 (2019)"
    )


def test_hue_2020_neighbours(demo):
    hue = profile_unit.profile(demo, "46", 2020)
    rows = hue.neighbours
    assert list(zip(rows["name"], rows["rank"], rows["score"], strict=True)) == [
        ("Quảng Ninh", 1, 91.04),
        ("Hải Phòng", 2, 90.51),
        ("Thừa Thiên Huế", 3, 88.47),
        ("Bình Dương", 4, 86.93),
        ("Đồng Tháp", 5, 86.77),
    ]
    assert profile_text.neighbour_sentence(hue, EN) == (
        "Hải Phòng (2nd, 90.51%) is 2.04 points ahead of Thừa Thiên Huế; "
        "Bình Dương (4th, 86.93%) is 1.54 points behind."
    )
    assert profile_text.neighbour_sentence(hue, VI) == (
        "Xếp ngay trên là Hải Phòng (thứ 2, 90,51%), hơn Thừa Thiên Huế 2,04 điểm; "
        "xếp ngay dưới là Bình Dương (thứ 4, 86,93%), kém 1,54 điểm."
    )
    page = html_of(profile_sections.neighbours_section(hue))
    self_row = '<tr class="parindex-self"><td class="num" data-value="3">3</td>'
    assert self_row + '<td class="nowrap">Thừa Thiên Huế</td>' in page
    assert '<td class="nowrap">Central Coast</td>' in page
    vietnamese = html_of(profile_sections.neighbours_section(hue), "vi")
    assert '<th class="" scope="col">Tỉnh, thành phố</th>' in vietnamese
    assert '<td class="nowrap">Bắc Trung Bộ và duyên hải miền Trung</td>' in vietnamese
    assert "Năm 2020: các địa phương liền kề Thừa Thiên Huế trên bảng xếp hạng" in vietnamese


def test_hue_2020_sipas_against_the_national_sipas_mean(demo):
    hue = profile_unit.profile(demo, "46", 2020)
    # data/demo/2020/sipas.csv: 87.17, rank 19; mean of the 63 values 5385.47 / 63 = 85.48.
    assert profile_text.companion_sentences(hue, EN)[0] == (
        "Thừa Thiên Huế's SIPAS in 2020 is 87.17% (19th of 63), 1.69 points above the national SIPAS mean "
        "(85.48%)."
    )
    assert profile_text.companion_sentences(hue, VI)[0] == (
        "Năm 2020, SIPAS của Thừa Thiên Huế đạt 87,17% (xếp thứ 19/63), cao hơn giá trị trung bình SIPAS cả "
        "nước (85,48%) 1,69 điểm."
    )
    page = html_of(profile_sections.sipas(hue))
    assert "87.17†" in page and "19†" in page
    assert "87,17†" in html_of(profile_sections.sipas(hue), "vi")


def test_quang_ninh_2020_components(demo):
    quang_ninh = profile_unit.profile(demo, "22", 2020)
    parts = dict(zip(quang_ninh.components["label"], quang_ninh.components["score"], strict=True))
    assert parts == {
        "Appraised score": 57.66,
        "PAR impact: leaders/managers survey points": 18.83,
        "PAR impact: SIPAS satisfaction points": 9.56,
        "PAR impact: socio-economic development impact points": 5.00,
    }
    # 2020 has component indices in params: the table shows them against the means, published (no †).
    page = html.unescape(html_of(profile_sections.components(quang_ninh)))
    for text in (">Appraisal<", "57.66", "9.56", "18.83", "5.00", "54.04", ">Regional mean<"):
        assert text in page
    assert "†" not in page
    assert "Max." not in page
    vietnamese = html.unescape(html_of(profile_sections.components(quang_ninh), "vi"))
    for text in (">Thẩm định<", "57,66", "9,56", "54,04", "Lĩnh vực", ">TB vùng<"):
        assert text in vietnamese
    # 57.66 + 9.56 + 18.83 + 5.00 = 91.05 against the published 91.04: still reconciled in the section.
    assert profile_text.component_sentences(quang_ninh, EN) == [
        "4 parts of Quảng Ninh's 2020 score are published; they add up to 91.05 points, 0.01 above the score "
        "of 91.04 (each part is rounded as published). Parts are published for Quảng Ninh in 2012."
    ]
    assert profile_text.component_sentences(quang_ninh, VI) == [
        "Điểm số năm 2020 của Quảng Ninh có 4 thành phần đã được công bố; tổng các thành phần là 91,05 điểm, "
        "cao hơn điểm số 91,04 là 0,01 điểm (do mỗi thành phần được làm tròn khi công bố). Các thành phần "
        "điểm số của Quảng Ninh được công bố cho năm 2012."
    ]
    assert "they add up to 91.05 points" in page
    assert "tổng các thành phần là 91,05 điểm" in vietnamese


def test_a_province_without_components_says_so_plainly(demo):
    # 2019 has no component indices in params and no published parts for Hà Giang.
    ha_giang = profile_unit.profile(demo, "02", 2019)
    page = html_of(profile_sections.components(ha_giang))
    assert "No breakdown of Hà Giang's 2019 score into its parts has been published" in html.unescape(page)
    assert "<table" not in page
    vietnamese = html_of(profile_sections.components(ha_giang), "vi")
    assert (
        "Chưa có công bố chi tiết điểm số năm 2019 của Hà Giang theo từng thành phần; chỉ biết tổng điểm "
        "(80,60%)." in vietnamese
    )


def test_demonstration_banner_and_marks(demo):
    hue = profile_unit.profile(demo, "46", 2020)
    assert hue.demonstration
    assert "parindex-banner" in html_of(profile_sections.title(hue))
    assert "† simulated (demonstration) value" in html_of(profile_sections.history_table(hue))
    assert "Dữ liệu minh họa: các giá trị đánh dấu †" in html_of(profile_sections.title(hue), "vi")
    assert "† giá trị mô phỏng (dữ liệu minh họa)" in html_of(profile_sections.history_table(hue), "vi")


def test_title_names_the_province_index_and_region_in_each_language(demo):
    title = profile_sections.title(profile_unit.profile(demo, "46", 2020))
    assert "<h1>Thừa Thiên Huế: PAR INDEX 2020 profile</h1>" in html_of(title)
    assert (
        "Public Administration Reform Index: profile of a province, code 46, North Central and Central Coast "
        "region. Rank 3 of 63 in 2020." in html_of(title)
    )
    assert "<h1>Thừa Thiên Huế: hồ sơ PAR INDEX năm 2020</h1>" in html_of(title, "vi")
    assert (
        "Chỉ số cải cách hành chính: hồ sơ tỉnh, mã 46, vùng Bắc Trung Bộ và duyên hải miền Trung. "
        "Xếp thứ 3/63 năm 2020." in html_of(title, "vi")
    )
    city = html_of(profile_sections.title(profile_unit.profile(demo, "48", 2020)), "vi")
    assert "hồ sơ thành phố trực thuộc Trung ương, mã 48" in city


def test_sections_headings_come_from_the_catalog(demo):
    hue = profile_unit.profile(demo, "46", 2020)
    sipas = profile_sections.section(hue, "sipas")
    assert "<h2>Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)</h2>" in html_of(sipas, "vi")
    assert "<h2>Satisfaction Index of Public Administrative Services (SIPAS)</h2>" in html_of(sipas)
    assert "<h2>Qua các năm</h2>" in html_of(profile_sections.section(hue, "history"), "vi")
    assert list(sipas.texts) == ["vi", "en"]
    only = profile_unit.profile(demo, "46", 2020, "en")
    assert list(profile_sections.section(only, "notes").texts) == ["en"]


# --- the test panel: figures computed by hand ----------------------------------------------------------


def test_years_without_input_files_are_left_out(panel):
    assert panel.year_numbers == [2019, 2020]


def test_panel_ranks_ties_and_means(panel):
    year = panel.ranked(2020)
    assert list(zip(year["code"], year["rank"], strict=True)) == [
        ("22", 1),
        ("31", 2),
        ("01", 3),
        ("46", 3),
        ("79", 5),
        ("35", 6),
    ]
    # (91.04 + 90.51 + 86.00 + 86.00 + 84.45 + 80.00) / 6 = 518.00 / 6 = 86.333 -> 86.33
    assert set(year["national_mean"]) == {86.33}
    # Red River Delta: (91.04 + 90.51 + 86.00 + 80.00) / 4 = 86.8875 -> 86.89
    assert set(year.loc[year["region"] == "RRD", "region_mean"]) == {86.89}
    assert list(year.loc[year["region"] == "RRD", "region_rank"]) == [1, 2, 3, 4]
    # 2019 in 2018's bands: 79.75 is in B (75-<80)
    assert panel.ranked(2019).set_index("code").loc["46", "band"] == "B"


def test_sentences_of_a_tied_province(panel):
    hue = profile_unit.profile(panel, "46", 2020)
    assert profile_text.sentences(hue, EN) == [
        "Thừa Thiên Huế ranks 3rd (tied) of 6 in 2020 with 86.00%, 0.33 points below the national mean "
        "(86.33%); it is in band B (80% to under 90%).",
        "It is in the North Central and Central Coast region, whose mean is 86.00%: Thừa Thiên Huế is equal "
        "to it and is the only province of the region in the data.",
        "Against 2019 (79.75%), its score rose 6.25 points and it moved up 2 places from 5th.",
        "Over 2019–2020 its best rank was 3rd (2020) and its lowest 5th (2019); it scored above the national "
        "mean in 0 of 2 years.",
    ]
    assert profile_text.neighbour_sentence(hue, EN) == (
        "Hà Nội (3rd, 86.00%) has the same score as Thừa Thiên Huế; "
        "Thành phố Hồ Chí Minh (5th, 84.45%) is 1.55 points behind."
    )


def test_sentences_of_a_tied_province_in_vietnamese(panel):
    hue = profile_unit.profile(panel, "46", 2020)
    assert profile_text.sentences(hue, VI) == [
        "Năm 2020, Thừa Thiên Huế đạt 86,00%, xếp thứ 3/6 (đồng hạng); thấp hơn giá trị trung bình cả nước "
        "(86,33%) 0,33 điểm và thuộc nhóm B (từ 80% đến dưới 90%).",
        "Thừa Thiên Huế thuộc vùng Bắc Trung Bộ và duyên hải miền Trung (giá trị trung bình của vùng: "
        "86,00%), "
        "bằng giá trị trung bình của vùng và là địa phương duy nhất của vùng có số liệu.",
        "So với năm 2019 (79,75%), điểm số tăng 6,25 điểm và thứ hạng tăng 2 bậc (từ vị trí thứ 5).",
        "Giai đoạn 2019–2020, thứ hạng cao nhất là thứ 3 (2020), thấp nhất là thứ 5 (2019); có 0/2 năm cao "
        "hơn giá trị trung bình cả nước.",
    ]
    assert profile_text.neighbour_sentence(hue, VI) == (
        "Xếp ngay trên là Hà Nội (thứ 3, 86,00%), cùng điểm với Thừa Thiên Huế; "
        "xếp ngay dưới là Thành phố Hồ Chí Minh (thứ 5, 84,45%), kém 1,55 điểm."
    )


def with_panel(history, change):
    """The history with its panel changed by hand (change takes and returns the panel frame)."""
    copy = profile_history.History(history.years, history.regions, history.components)
    copy.__dict__["panel"] = change(history.panel.copy())
    return copy


def hue_2019(score: float, rank: int):
    """Changes Thừa Thiên Huế's 2019 row of the panel to the given score and rank."""

    def change(frame):
        row = (frame["year"] == 2019) & (frame["code"] == "46")
        frame.loc[row, ["score", "rank"]] = [score, rank]
        return frame

    return change


@pytest.mark.parametrize(
    ("score", "rank", "english", "vietnamese"),
    [
        (
            87.00,
            1,
            "Against 2019 (87.00%), its score fell 1.00 points and it moved down 2 places from 1st.",
            "So với năm 2019 (87,00%), điểm số giảm 1,00 điểm và thứ hạng giảm 2 bậc (từ vị trí thứ 1).",
        ),
        (
            86.00,
            3,
            "Against 2019 (86.00%), its score was unchanged and it kept its rank (3rd).",
            "So với năm 2019 (86,00%), điểm số giữ nguyên và vẫn xếp thứ 3.",
        ),
        (
            84.50,
            4,
            "Against 2019 (84.50%), its score rose 1.50 points and it moved up 1 place from 4th.",
            "So với năm 2019 (84,50%), điểm số tăng 1,50 điểm và thứ hạng tăng 1 bậc (từ vị trí thứ 4).",
        ),
    ],
    ids=["fall", "no change", "rise by one place"],
)
def test_change_on_the_previous_year(panel, score, rank, english, vietnamese):
    hue = profile_unit.profile(with_panel(panel, hue_2019(score, rank)), "46", 2020)
    assert profile_text.change_sentence(hue, EN) == english
    assert profile_text.change_sentence(hue, VI) == vietnamese


def test_a_province_absent_the_previous_year(panel):
    def move_2019_to_2018(frame):
        frame.loc[(frame["year"] == 2019) & (frame["code"] == "46"), "year"] = 2018
        return frame

    hue = profile_unit.profile(with_panel(panel, move_2019_to_2018), "46", 2020)
    assert profile_text.change_sentence(hue, EN) == (
        "Thừa Thiên Huế has no data for 2019, so its change on that year cannot be given."
    )
    assert profile_text.change_sentence(hue, VI) == (
        "Thừa Thiên Huế không có số liệu năm 2019 nên không tính được mức thay đổi so với năm đó."
    )
    assert profile_text.range_sentence(hue, EN).startswith("Over 2018–2020 its best rank was 3rd (2020)")


def test_the_first_year_of_data(panel):
    hue = profile_unit.profile(panel, "46", 2019)
    assert profile_text.change_sentence(hue, EN) == (
        "2019 is the first year with data for Thừa Thiên Huế: there is no earlier year to compare with."
    )
    assert profile_text.change_sentence(hue, VI) == (
        "Năm 2019 là năm đầu tiên Thừa Thiên Huế có số liệu, chưa có năm trước để so sánh."
    )


def test_neighbours_at_the_ends_of_the_ranking(panel):
    first = profile_unit.profile(panel, "22", 2020)
    assert list(first.neighbours["code"]) == ["22", "31", "01"]
    assert profile_text.neighbour_sentence(first, EN).startswith(
        "No province ranks above Quảng Ninh; Hải Phòng"
    )
    assert profile_text.neighbour_sentence(first, VI).startswith(
        "Không có địa phương nào xếp trên Quảng Ninh; xếp ngay dưới là Hải Phòng"
    )
    last = profile_unit.profile(panel, "35", 2020)
    assert list(last.neighbours["code"]) == ["46", "79", "35"]
    assert list(last.neighbours["difference"]) == [6.00, 4.45, 0.00]
    assert profile_text.neighbour_sentence(last, EN).endswith("; no province ranks below it.")
    assert profile_text.neighbour_sentence(last, VI).endswith("; không có địa phương nào xếp dưới.")


def test_companion_sentences(panel):
    # 2020 SIPAS: 532.00 / 6 = 88.667 -> 88.67; 90.40 - 88.67 = 1.73
    hue = profile_unit.profile(panel, "46", 2020)
    assert profile_text.companion_sentences(hue, EN) == [
        "Thừa Thiên Huế's SIPAS in 2020 is 90.40% (2nd of 6), 1.73 points above the national SIPAS mean "
        "(88.67%).",
        "Its SIPAS rank over 2019–2020 ranged from 2nd (2020) to 4th (2019).",
    ]
    assert profile_text.companion_sentences(hue, VI) == [
        "Năm 2020, SIPAS của Thừa Thiên Huế đạt 90,40% (xếp thứ 2/6), cao hơn giá trị trung bình SIPAS cả "
        "nước (88,67%) 1,73 điểm.",
        "Giai đoạn 2019–2020, thứ hạng SIPAS dao động từ thứ 2 (2020) đến thứ 4 (2019).",
    ]


def test_components_are_labelled_ordered_and_summed(panel):
    hue = profile_unit.profile(panel, "46", 2020)
    assert list(hue.components["label"]) == [
        "Appraised score",
        "PAR impact: leaders/managers survey points",
        "PAR impact: SIPAS satisfaction points",
        "PAR impact: socio-economic development impact points",
    ]
    # 58.00 + 16.00 + 9.01 + 3.00 = 86.01 against 86.00
    assert profile_text.component_sentences(hue, EN) == [
        "4 parts of Thừa Thiên Huế's 2020 score are published; they add up to 86.01 points, 0.01 above the "
        "score of 86.00 (each part is rounded as published). Parts are published for Thừa Thiên Huế in 2012."
    ]
    assert "Source: https://example.org/2020" in html_of(profile_sections.components(hue))


def test_write_outputs_writes_the_summary(panel, tmp_path):
    hue = profile_unit.profile(panel, "46", 2020)
    profile_outputs.write_outputs(hue, "")
    assert list(tmp_path.iterdir()) == []
    profile_outputs.write_outputs(hue, tmp_path / "46")
    summary = json.loads((tmp_path / "46" / "summary.json").read_text(encoding="utf-8"))
    assert {k: summary[k] for k in ("code", "name", "year", "score", "rank", "band", "region")} == {
        "code": "46",
        "name": "Thừa Thiên Huế",
        "year": 2020,
        "score": 86.0,
        "rank": 3,
        "band": "B",
        "region": "NCC",
    }
    assert [(h["year"], h["score"], h["rank"], h["band"]) for h in summary["history"]] == [
        (2019, 79.75, 5, "B"),
        (2020, 86.0, 3, "B"),
    ]
    assert summary["national_mean"] == 86.33
    assert [(c["year"], c["rank"]) for c in summary["companion"]] == [(2019, 4), (2020, 2)]


def test_an_unknown_code_names_the_fix(panel):
    with pytest.raises(InputError) as caught:
        profile_unit.profile(panel, "1", 2020)
    problem = caught.value.problems[0]
    assert problem.message == "no province with code '1' in 2020; did you mean '01' (Hà Nội)?"
    # The example is the first ranked province of 2020 in tests/fixtures/profile/data/2020: Quảng Ninh, 22.
    assert problem.fix == 'use a code of ../units/provinces.csv as text, e.g. unit_code = "22"'
    assert problem.key == "unit_code"


def test_a_year_without_data_names_the_years_with_data(panel):
    with pytest.raises(InputError) as caught:
        profile_unit.profile(panel, "46", 2021)
    assert caught.value.problems[0].message == "no data loaded for 2021"
    assert caught.value.problems[0].fix == "use one of the years with data: 2019, 2020"


def test_load_reads_the_year_of_the_params_file():
    hue = profile_unit.load(PANEL / "params" / "2019.yaml", "46")
    assert (hue.year, hue.row["rank"]) == (2019, 5)


# --- small pure functions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"), (21, "21st")]
    + [(22, "22nd"), (23, "23rd"), (63, "63rd"), (101, "101st"), (111, "111th"), (112, "112th")],
)
def test_ordinal(n, text):
    assert profile_text.ordinal(n, EN) == text


def test_ordinal_in_vietnamese():
    assert [profile_text.ordinal(n, VI) for n in (1, 3, 21, 63)] == ["thứ 1", "thứ 3", "thứ 21", "thứ 63"]


def test_difference_is_exact_on_the_written_values():
    assert profile_history.difference(88.47, 83.72) == 4.75
    assert profile_history.difference(0.3, 0.1) == 0.2
    assert profile_history.difference(79.96, 80.00) == -0.04


def test_component_label_drops_asides_in_another_script():
    assert profile_history.component_label("appraised_score (得分, tham dinh)") == "Appraised score"
    assert profile_history.component_label("score_moha (appraisal/self-assessment points)") == (
        "Score moha (appraisal/self-assessment points)"
    )


def test_band_words_and_rules():
    bands_2018 = (
        Band(label="A", min=80),
        Band(label="B", min=75),
        Band(label="C", min=70),
        Band(label="D", min=0),
    )
    bands_2020 = (Band(label="A", min=90), Band(label="B", min=80), Band(label="C", min=70))
    assert profile_text.band_words("A", bands_2020, EN) == "90% and above"
    assert profile_text.band_words("C", bands_2020, EN) == "70% to under 80%"
    assert profile_text.band_words("D", bands_2018, EN) == "under 70%"
    assert profile_text.band_words("< 70", bands_2020, EN) == "under 70%"
    assert profile_text.band_words("A", bands_2020, VI) == "từ 90% trở lên"
    assert profile_text.band_words("C", bands_2020, VI) == "từ 70% đến dưới 80%"
    assert profile_text.band_words("D", bands_2018, VI) == "dưới 70%"
    half = (Band(label="A", min=82.5), Band(label="B", min=0))
    assert profile_text.band_words("A", half, VI) == "từ 82,5% trở lên"
    assert profile_text.band_rules({2020: half}, VI) == "2020: A ≥ 82,5, B < 82,5"
    assert profile_text.band_rules(
        {2018: bands_2018, 2019: bands_2020, 2020: bands_2020, 2022: bands_2020}, EN
    ) == (
        "2018: A ≥ 80, B 75–<80, C 70–<75, D < 70; 2019–2020: A ≥ 90, B 80–<90, C 70–<80; "
        "2022: A ≥ 90, B 80–<90, C 70–<80"
    )


# --- the index page ------------------------------------------------------------------------------------


def test_index_page_of_every_province_links_each_profile(demo):
    rows = profile_listing.index_rows(demo, 2020, EN)
    page = profile_listing.index_page(rows, "PAR INDEX 2020: province profiles", EN, {"vi": "index.html"})
    assert '<html lang="en">' in page
    assert '<table id="profiles">' in page
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    assert body.count("<tr>") == 63
    assert '<a href="par_index_2020_thua_thien_hue_46.en.html">HTML</a>' in page
    assert '<a href="par_index_2020_thua_thien_hue_46.en.pdf">PDF</a>' in page
    assert "Thừa Thiên Huế" in page and "Central Coast" in page
    assert "http://" not in page and "https://" not in page and 'src="//' not in page
    assert '<th scope="col" data-type="number" class="num">Score</th>' in page
    assert '<a href="index.html" hreflang="vi" lang="vi">Tiếng Việt</a>' in page
    assert "63 profiles. Click a column heading to sort by it; click again to reverse." in page
    assert "<script>" in page


def test_index_page_in_vietnamese(demo):
    rows = profile_listing.index_rows(demo, 2020, VI)
    page = profile_listing.index_page(
        rows, "PAR INDEX năm 2020: hồ sơ các tỉnh, thành phố", VI, {"en": "index.en.html"}
    )
    assert '<html lang="vi">' in page
    assert '<a href="par_index_2020_thua_thien_hue_46.vi.pdf">PDF</a>' in page
    assert '<a href="index.en.html" hreflang="en" lang="en">English</a>' in page
    for header in ("Mã", "Tỉnh, thành phố", "Vùng", "Điểm", "Xếp hạng", "Nhóm", "Hồ sơ"):
        assert f">{header}</th>" in page
    assert ">Bắc Trung Bộ và duyên hải miền Trung</td>" in page
    assert '<td class="num" data-value="88.47">88,47</td>' in page
    assert '<td class="num simulated" data-value="82.85">82,85†</td>' in page
    assert "63 hồ sơ. Bấm vào tiêu đề cột để sắp xếp theo cột đó" in page
    assert "† giá trị mô phỏng (dữ liệu minh họa)" in page


def test_vietnamese_listing_sorts_names_by_the_vietnamese_alphabet(demo):
    names = [row["name"] for row in profile_listing.index_rows(demo, 2020, VI, order="name")]
    assert names.index("Đà Nẵng") < names.index("Đắk Lắk") < names.index("Điện Biên")
    assert names.index("Cao Bằng") < names.index("Đà Nẵng") and names.index("Điện Biên") < names.index(
        "Gia Lai"
    )
    page = profile_listing.index_page(profile_listing.index_rows(demo, 2020, VI), "Hồ sơ", VI)

    def place(name: str) -> int:
        return int(re.search(rf'data-value="(\d+)">{name}</td>', page).group(1))

    assert place("Đà Nẵng") < place("Đắk Lắk") < place("Điện Biên")


def test_index_rows_refuse_an_unknown_order(demo):
    with pytest.raises(ValueError, match="order must be 'rank' or 'name', not 'score'"):
        profile_listing.index_rows(demo, 2020, VI, order="score")


def test_index_page_escapes_and_marks_simulated_scores():
    rows = [
        {
            "code": "01",
            "name": "A & <B>",
            "region": "Red River Delta",
            "score": 80.5,
            "rank": 1,
            "band": "B",
            "provenance": "simulated",
            "html": "x.html",
            "pdf": "x.pdf",
        }
    ]
    page = profile_listing.index_page(rows, "Profiles <2020>", EN)
    assert "<title>Profiles &lt;2020&gt;</title>" in page
    assert "A &amp; &lt;B&gt;" in page
    assert '<td class="num simulated" data-value="80.5">80.50†</td>' in page
    assert "† simulated (demonstration) value" in page


def test_index_page_sorts_when_a_header_is_clicked_offline(demo, tmp_path):
    page = tmp_path / "index.html"
    page.write_text(
        profile_listing.index_page(profile_listing.index_rows(demo, 2020, EN), "Profiles", EN),
        encoding="utf-8",
    )

    def first_names(browser_page) -> list[str]:
        return browser_page.eval_on_selector_all(
            "#profiles tbody tr", "rows => rows.slice(0, 2).map(r => r.cells[1].textContent)"
        )

    with Printer() as printer, printer.load(page, scripts=True) as browser_page:
        assert first_names(browser_page) == ["Quảng Ninh", "Hải Phòng"]
        browser_page.click("th:text-is('Score')")
        assert first_names(browser_page)[0] == "Quảng Ngãi"  # lowest, 73.25
        browser_page.click("th:text-is('Score')")
        assert first_names(browser_page) == ["Quảng Ninh", "Hải Phòng"]
        browser_page.click("th:text-is('Code')")
        assert first_names(browser_page) == ["Hà Nội", "Hà Giang"]  # 01, 02
        assert browser_page.get_attribute("th:text-is('Code')", "aria-sort") == "ascending"
        browser_page.click("th:text-is('Province')")
        names = browser_page.eval_on_selector_all(
            "#profiles tbody tr", "rows => rows.map(r => r.cells[1].textContent)"
        )
        assert names.index("Đà Nẵng") < names.index("Đắk Lắk") < names.index("Điện Biên")
        assert printer.blocked == []


# --- the chart -----------------------------------------------------------------------------------------


def history_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2019, 2020, 2021],
            "score": [79.75, 86.00, 88.10],
            "rank": [5, 3, 1],
            "n_units": [6, 6, 6],
            "national_mean": [81.17, 86.33, 85.00],
            "region_mean": [79.75, 86.00, 87.00],
            "provenance": ["simulated", "published", "published"],
        }
    )


def test_profile_history_draws_score_and_rank_panels():
    fig = profile_charts.profile_history(
        history_frame(),
        "Thừa Thiên Huế",
        "Source: test.",
        lang=EN,
        unit_label="Thừa Thiên Huế",
        current_year=2020,
    )
    assert isinstance(fig, Figure)
    score_ax, rank_ax = fig.axes
    assert tuple(fig.get_size_inches()) == (7.5, 3.2)
    low, high = rank_ax.get_ylim()
    assert low > 6 and high < 1  # rank 1 at the top
    assert [t.get_text() for t in score_ax.texts] == ["79.75", "86.00", "88.10"]
    assert [t.get_text() for t in rank_ax.texts] == ["5", "3", "1"]
    hollow = [line for line in score_ax.lines if line.get_gid() == "simulated"]
    assert len(hollow) == 1 and hollow[0].get_markerfacecolor() == "white"
    assert list(hollow[0].get_xdata()) == [2019]
    legend = [t.get_text() for t in score_ax.get_legend().get_texts()]
    assert legend == ["Thừa Thiên Huế", "national mean", "regional mean", "simulated (demonstration)"]
    assert any(t.get_text() == "Source: test." for t in fig.texts)
    assert style.render(fig, "svg").startswith(b"<?xml")
    assert rank_ax.get_ylabel() == "Rank of 6 (1 = best)"
    assert score_ax.get_ylabel() == "Score"  # no unit is assumed: the report passes its label


def test_profile_history_in_vietnamese():
    fig = profile_charts.profile_history(history_frame(), "t", "Nguồn: thử.", lang=VI, unit_label="Huế")
    score_ax, rank_ax = fig.axes
    assert [t.get_text() for t in score_ax.texts] == ["79,75", "86,00", "88,10"]
    legend = [t.get_text() for t in score_ax.get_legend().get_texts()]
    assert legend == ["Huế", "giá trị trung bình cả nước", "trung bình vùng", "mô phỏng (dữ liệu minh họa)"]
    assert rank_ax.get_ylabel() == "Thứ hạng trên 6 (1 = cao nhất)"
    assert score_ax.get_ylabel() == "Điểm"
    formatter = score_ax.yaxis.get_major_formatter()
    assert formatter(1234, 0) == "1.234"


def test_profile_history_points_and_means_show_their_values_on_hover():
    fig = profile_charts.profile_history(history_frame(), "t", "s", lang=VI, unit_label="Huế")
    titles = re.findall(r"<title>(.*?)</title>", style.render(fig, "svg").decode("utf-8"))
    assert "Huế: 2019: 79,75†" in titles and "Huế: 2021: 88,10" in titles
    assert "Huế: 2020: thứ 3/6" in titles
    assert "trung bình vùng: 2019: 79,75 · 2020: 86,00 · 2021: 87,00" in titles
    fig = profile_charts.profile_history(history_frame(), "t", "s", lang=EN, unit_label="Huế")
    titles = re.findall(r"<title>(.*?)</title>", style.render(fig, "svg").decode("utf-8"))
    assert "Huế: 2019: 5th of 6†" in titles and "Huế: 2020: 86.00" in titles


def test_chart_alt_text_in_each_language(demo):
    hue = profile_unit.profile(demo, "46", 2020)
    assert profile_sections.alt_text(hue, EN).startswith(
        "Line chart of Thừa Thiên Huế's PAR INDEX in 7 years against the national and regional means:"
    )
    assert profile_sections.alt_text(hue, VI).startswith(
        "Biểu đồ đường PAR INDEX của Thừa Thiên Huế qua 7 năm so với giá trị trung bình cả nước và của vùng:"
    )
    assert "cao nhất là thứ 3 (2020)." in profile_sections.alt_text(hue, VI)


def test_profile_history_without_simulated_values_has_no_simulated_entry():
    frame = history_frame().assign(provenance="published")
    fig = profile_charts.profile_history(frame, "t", "s", lang=EN, unit_label="X")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "simulated (demonstration)" not in legend
    assert np.array_equal(fig.axes[1].get_yticks(), [1, 6])


# --- the notebook --------------------------------------------------------------------------------------


def test_notebook_parameters_are_the_five_defaults():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    values = {node.targets[0].id: node.value.value for node in ast.parse(tagged[0].source).body}
    assert values == {
        "params_file": "../params/2020.yaml",
        "unit_code": "46",
        "output_dir": "",
        "languages": "",
        "peers": "",
    }
    assert not [c for c in notebook.cells if c.cell_type == "markdown"]
    assert notebook.metadata.kernelspec.name == "parindex"


def test_notebook_runs_top_to_bottom_in_the_project_kernel(tmp_path):
    output = tmp_path / "profile.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(output),
        parameters={"output_dir": str(tmp_path / "out")},
        kernel_name="parindex",
        cwd=str(NOTEBOOK.parent),
        progress_bar=False,
    )
    executed = nbformat.read(output, as_version=4)
    outputs = [o.get("data", {}) for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    shown = "".join(data.get("text/html", "") for data in outputs)
    english = "".join(data.get(LANGUAGES_MIME, {}).get("en", "") for data in outputs)
    assert "Năm 2020, Thừa Thiên Huế đạt 88,47%, xếp thứ 3/63" in shown
    assert "Thừa Thiên Huế ranks 3rd of 63 in 2020 with 88.47%" in english
    assert "North Central and Central Coast" in english
    assert shown.count("data:image/svg+xml;base64,") == 3  # the history chart, the peers and the map
    assert english.count('<svg role="img"') == 3  # inline in the page, where each mark shows its value
    assert "Thừa Thiên Huế ranks 1st of 14 in the North Central and Central Coast region" in english
    assert 'alt="Bản đồ ô vuông 63 tỉnh, thành phố theo nhóm PAR INDEX năm 2020' in shown
    assert "The square of Thừa Thiên Huế has a thick outline." in english
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert {h["year"]: h["rank"] for h in summary["history"]} == HUE_RANKS


# --- peers: rank within the peer group as well as nationally --------------------------------------------


def test_hue_2020_among_the_provinces_of_its_region(demo):
    hue = profile_unit.profile(demo, "46", 2020)
    assert hue.peer_kind == "region"
    assert len(hue.peer_group) == 14
    # the same 14 provinces and mean as the region sentence: 1162.32 / 14 = 83.0229 -> 83.02
    assert hue.peer_mean == 83.02
    assert profile_text.peer_sentences(hue, EN) == [
        "Thừa Thiên Huế ranks 1st of 14 in the North Central and Central Coast region and 3rd of 63 "
        "nationally.",
        "The region's mean is 83.02%; Thừa Thiên Huế is 5.45 points above it.",
    ]
    assert profile_text.peer_sentences(hue, VI) == [
        "Thừa Thiên Huế xếp thứ 1/14 trong vùng Bắc Trung Bộ và duyên hải miền Trung, thứ 3/63 cả nước.",
        "Giá trị trung bình của vùng là 83,02%; Thừa Thiên Huế cao hơn mức này 5,45 điểm.",
    ]


def test_peer_rank_and_mean_of_a_region_with_a_tie_nationally(panel):
    hanoi = profile_unit.profile(panel, "01", 2020)
    group = hanoi.peer_group
    # Red River Delta: Quảng Ninh 91.04, Hải Phòng 90.51, Hà Nội 86.00, Hà Nam 80.00
    assert list(zip(group["code"], group["peer_rank"], group["rank"], strict=True)) == [
        ("22", 1, 1),
        ("31", 2, 2),
        ("01", 3, 3),
        ("35", 4, 6),
    ]
    # (91.04 + 90.51 + 86.00 + 80.00) / 4 = 347.55 / 4 = 86.8875 -> 86.89
    assert hanoi.peer_mean == 86.89
    assert profile_text.peer_sentences(hanoi, EN) == [
        "Hà Nội ranks 3rd of 4 in the Red River Delta region and 3rd (tied) of 6 nationally.",
        "The region's mean is 86.89%; Hà Nội is 0.89 points below it.",
    ]
    assert profile_text.peer_sentences(hanoi, VI) == [
        "Hà Nội xếp thứ 3/4 trong vùng Đồng bằng sông Hồng, thứ 3/6 (đồng hạng) cả nước.",
        "Giá trị trung bình của vùng là 86,89%; Hà Nội thấp hơn mức này 0,89 điểm.",
    ]


def test_peer_rank_and_mean_of_a_custom_list_with_a_tie_in_the_group(panel):
    hue = profile_unit.profile(panel, "46", 2020, peers="01, 79,35")
    assert hue.peer_kind == "custom"
    assert hue.peer_codes == ("01", "79", "35", "46")  # the province is added to the list
    group = hue.peer_group
    # Hà Nội and Thừa Thiên Huế share 86.00: both 1st in the group, 3rd nationally
    assert list(zip(group["code"], group["peer_rank"], group["rank"], strict=True)) == [
        ("01", 1, 3),
        ("46", 1, 3),
        ("79", 3, 5),
        ("35", 4, 6),
    ]
    # 86.00 - 80.50, 86.00 - 79.75, 84.45 - 81.50, 80.00 - 78.00
    assert list(group["change"]) == [5.50, 6.25, 2.95, 2.00]
    # (86.00 + 86.00 + 84.45 + 80.00) / 4 = 336.45 / 4 = 84.1125 -> 84.11
    assert hue.peer_mean == 84.11
    assert profile_text.peer_sentences(hue, EN) == [
        "Thừa Thiên Huế ranks 1st (tied) of 4 in its peer group and 3rd (tied) of 6 nationally.",
        "The group's mean is 84.11%; Thừa Thiên Huế is 1.89 points above it.",
    ]
    assert profile_text.peer_sentences(hue, VI) == [
        "Thừa Thiên Huế xếp thứ 1/4 (đồng hạng) trong nhóm so sánh, thứ 3/6 (đồng hạng) cả nước.",
        "Giá trị trung bình của nhóm là 84,11%; Thừa Thiên Huế cao hơn mức này 1,89 điểm.",
    ]


def test_a_peer_group_whose_mean_is_the_provinces_score(panel):
    hue = profile_unit.profile(panel, "46", 2020, peers=["01"])
    assert profile_text.peer_sentences(hue, EN)[1] == (
        "The group's mean is 86.00%; Thừa Thiên Huế is equal to it."
    )
    assert profile_text.peer_sentences(hue, VI)[1] == (
        "Giá trị trung bình của nhóm là 86,00%; Thừa Thiên Huế bằng mức này."
    )


def test_a_province_alone_in_its_region(panel):
    hue = profile_unit.profile(panel, "46", 2020)
    assert profile_text.peer_sentences(hue, EN) == [
        "Thừa Thiên Huế is the only province in the North Central and Central Coast region with data for "
        "2020; it ranks 3rd (tied) of 6 nationally."
    ]
    assert profile_text.peer_sentences(hue, VI) == [
        "Thừa Thiên Huế là địa phương duy nhất trong vùng Bắc Trung Bộ và duyên hải miền Trung có số liệu "
        "năm 2020, xếp thứ 3/6 (đồng hạng) cả nước."
    ]
    section = html_of(profile_sections.peers_section(hue))
    assert "<table" not in section and "<svg" not in section


def test_peers_without_the_previous_year_have_no_change(panel):
    hue = profile_unit.profile(panel, "46", 2019, peers="01,79")
    assert hue.peer_group["change"].isna().all()
    assert "Change on" not in html_of(profile_sections.peers_section(hue))


def test_peers_section_table_and_chart_in_each_language(panel):
    hue = profile_unit.profile(panel, "46", 2020, peers="01,79,35")
    english = html.unescape(html_of(profile_sections.peers_section(hue)))
    assert "2020: the peer group of Thừa Thiên Huế" in english
    for header in ("Rank in group", "National rank", "Score (%)", "Change on 2019 (points)"):
        assert f">{header}</th>" in english
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", english.split("<tbody>")[1])
    cells = [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", rows[1])]
    assert cells == ["1", "Thừa Thiên Huế", "3", "86.00", "+6.25"]
    assert '<tr class="parindex-self">' in english.split("<tbody>")[1].split("</tr>")[1]
    assert "Dot chart of the PAR INDEX 2020 scores of the 4 provinces in its peer group" in english
    vietnamese = html.unescape(html_of(profile_sections.peers_section(hue), "vi"))
    for header in ("Hạng trong nhóm", "Hạng cả nước", "Điểm (%)", "Tăng/giảm so với 2019 (điểm)"):
        assert f">{header}</th>" in vietnamese
    assert ">+6,25<" in vietnamese and ">84,45†<" in vietnamese
    assert "Năm 2020: nhóm so sánh của Thừa Thiên Huế" in vietnamese
    heading = html_of(profile_sections.peers_heading(hue), "vi")
    assert "<h2" in heading and "So sánh trong nhóm địa phương" in heading


def test_region_peers_table_names_the_region(demo):
    hue = profile_unit.profile(demo, "46", 2020)
    english = html.unescape(html_of(profile_sections.peers_section(hue)))
    assert "2020: the provinces of the Central Coast region" in english and ">Rank in region</th>" in english
    vietnamese = html.unescape(html_of(profile_sections.peers_section(hue), "vi"))
    assert "Năm 2020: các địa phương vùng Bắc Trung Bộ và duyên hải miền Trung" in vietnamese
    assert ">Xếp hạng trong vùng</th>" in vietnamese


def test_peer_chart_in_vietnamese_writes_numbers_the_vietnamese_way(panel):
    hue = profile_unit.profile(panel, "46", 2020, peers="01,79,35")
    fig = profile_charts.peer_scores(
        hue.peer_group, "Tiêu đề", "Nguồn", lang=VI, mean=hue.peer_mean, mean_label="Trung bình: 84,11%"
    )
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert "86,00" in texts and "84,45" in texts and not any("86.00" in t for t in texts)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        "Hà Nội",
        "Thừa Thiên Huế",
        "TP. Hồ Chí Minh",
        "Hà Nam",
    ]
    assert len(fig.axes[0].get_lines()) > 0 and any(
        line.get_gid() == "unit" for line in fig.axes[0].get_lines()
    )
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["Trung bình: 84,11%", "mô phỏng (dữ liệu minh họa)"]
    titles = re.findall(r"<title>(.*?)</title>", style.render(fig, "svg").decode("utf-8"))
    assert titles == ["Hà Nội: 86,00", "Thừa Thiên Huế: 86,00", "TP. Hồ Chí Minh: 84,45†", "Hà Nam: 80,00†"]


def test_an_unknown_peer_code_names_the_fix(panel):
    with pytest.raises(InputError) as caught:
        profile_unit.profile(panel, "46", 2020, peers="1,48")
    assert [(p.file, p.message, p.fix) for p in caught.value.problems] == [
        ("peers", "'1' is not the code of a province of provinces_6", "did you mean '01'?"),
        (
            "peers",
            "'48' is not the code of a province of provinces_6",
            "use the code of a province of provinces_6, e.g. '01'",
        ),
    ]


# --- component indices (areas) against the means, hand-made cases -------------------------------------

REGION_VI = "Bắc Trung Bộ và duyên hải miền Trung"
REGION_EN = "North Central and Central Coast"
AREA_NAMES = {
    VI: {
        "a": "Cải cách thể chế",
        "b": "Công tác chỉ đạo, điều hành cải cách hành chính",
        "c": "Cải cách tài chính công",
    },
    EN: {
        "a": "Institutional reform",
        "b": "Direction and management of administrative reform",
        "c": "Public finance reform",
    },
}


def _areas(maxima, scores, peers=("X", "Y")):
    """Areas a, b, c with the given maxima; `scores` maps unit X (the province), Y (its region) and Z."""
    from parindex.data.params import Component
    from parindex.reports.profile import areas as profile_areas

    comps = tuple(
        Component(code=code, name=code, max=top, note="" if top else "unknown")
        for code, top in zip("abc", maxima, strict=True)
    )
    parts = pd.DataFrame(
        [
            {"code": unit, "component": code, "score": value, "provenance": "simulated"}
            for unit, values in scores.items()
            for code, value in zip("abc", values, strict=True)
        ]
    )
    return comps, profile_areas.area_table(parts, comps, "X", ("X", "Y"), peers, 2)


def _sentences(comps, frame, separate=False):
    from parindex.reports.profile import areas as profile_areas

    how = profile_areas.basis(comps)
    out = {}
    for language, region in ((VI, REGION_VI), (EN, REGION_EN)):
        names = AREA_NAMES[language]
        out[language.code] = [
            profile_areas.basis_text(comps, language),
            profile_areas.loss_sentence(frame, how, names, "Thừa Thiên Huế", 2, language),
            profile_areas.means_sentence(frame, "Thừa Thiên Huế", region, separate, language),
        ]
    return out


def test_areas_ranked_by_points_lost_against_known_maxima():
    comps, frame = _areas((10, 20, 5), {"X": (8, 17, 5), "Y": (6, 19, 4), "Z": (7, 15, 3)})
    # Lost: a 10 - 8 = 2, b 20 - 17 = 3, c 5 - 5 = 0; national means 7, 17, 4; regional (X, Y) 7, 18, 4.5.
    assert list(frame["component"]) == ["b", "a", "c"]
    assert list(frame["rank"]) == [1, 2, 3]
    assert list(frame["lost"]) == [3.0, 2.0, 0.0]
    assert list(frame["national"]) == [17.0, 7.0, 4.0]
    assert list(frame["region"]) == [18.0, 7.0, 4.5]
    assert list(frame["vs_region"]) == [-1.0, 1.0, 0.5]
    assert _sentences(comps, frame) == {
        "vi": [
            "số điểm bị mất so với điểm tối đa",
            "Thừa Thiên Huế mất nhiều điểm nhất ở lĩnh vực “Công tác chỉ đạo, điều hành cải cách "
            "hành chính”, "
            "thấp hơn điểm tối đa 3,00 điểm.",
            "So với giá trị trung bình vùng Bắc Trung Bộ và duyên hải miền Trung (nhóm so sánh), Thừa Thiên "
            "Huế cao hơn ở 2/3 lĩnh vực.",
        ],
        "en": [
            "points lost against the maximum",
            "Thừa Thiên Huế lost most points in Direction and management of administrative reform, "
            "3.00 points "
            "below the maximum.",
            "Thừa Thiên Huế is above the mean of the North Central and Central Coast region (its peer group) "
            "in 2 of 3 areas.",
        ],
    }


def test_areas_tied_for_the_largest_loss_share_the_first_place():
    comps, frame = _areas((10, 20, 5), {"X": (7, 17, 5), "Y": (6, 19, 4), "Z": (7, 15, 3)})
    assert list(frame["component"]) == ["a", "b", "c"]
    assert list(frame["rank"]) == [1, 1, 3]
    sentences = _sentences(comps, frame)
    assert sentences["vi"][1] == (
        "Thừa Thiên Huế mất nhiều điểm nhất ở các lĩnh vực “Cải cách thể chế” và “Công tác chỉ đạo, điều "
        "hành cải cách hành chính”, mỗi lĩnh vực thấp hơn điểm tối đa 3,00 điểm."
    )
    assert sentences["en"][1] == (
        "Thừa Thiên Huế lost most points in Institutional reform and Direction and management of "
        "administrative reform, 3.00 points below the maximum in each."
    )


def test_areas_without_every_maximum_are_ranked_against_the_national_mean():
    comps, frame = _areas((10, 20, None), {"X": (6, 15.5, 5), "Y": (8, 20, 4), "Z": (7, 15.5, 3)})
    # National means 7, 17, 4: X is 1 below in a, 1.5 below in b, 1 above in c.
    assert list(frame["component"]) == ["b", "a", "c"]
    assert list(frame["vs_national"]) == [-1.5, -1.0, 1.0]
    assert _sentences(comps, frame) == {
        "vi": [
            "mức chênh lệch so với giá trị trung bình cả nước, vì điểm tối đa của 1/3 lĩnh vực chưa được "
            "công bố",
            "Thừa Thiên Huế thấp hơn giá trị trung bình cả nước ở 2/3 lĩnh vực, thấp hơn nhiều nhất "
            "ở lĩnh vực "
            "“Công tác chỉ đạo, điều hành cải cách hành chính” (1,50 điểm).",
            "So với giá trị trung bình vùng Bắc Trung Bộ và duyên hải miền Trung (nhóm so sánh), Thừa Thiên "
            "Huế cao hơn ở 1/3 lĩnh vực.",
        ],
        "en": [
            "distance to the national mean, as the maximum points of 1 of the 3 areas are not published",
            "Thừa Thiên Huế is below the national mean in 2 of 3 areas, furthest in Direction and "
            "management of "
            "administrative reform (1.50 points below).",
            "Thừa Thiên Huế is above the mean of the North Central and Central Coast region (its peer group) "
            "in 1 of 3 areas.",
        ],
    }


def test_areas_with_no_published_maximum_and_a_tie_below_the_national_mean():
    comps, frame = _areas((None, None, None), {"X": (6, 16, 5), "Y": (8, 20, 4), "Z": (7, 15, 3)})
    sentences = _sentences(comps, frame)
    assert sentences["vi"][:2] == [
        "mức chênh lệch so với giá trị trung bình cả nước, vì điểm tối đa của các lĩnh vực chưa được công bố",
        "Thừa Thiên Huế thấp hơn giá trị trung bình cả nước ở 2/3 lĩnh vực, thấp hơn nhiều nhất ở "
        "các lĩnh vực "
        "“Cải cách thể chế” và “Công tác chỉ đạo, điều hành cải cách hành chính” (cùng thấp hơn 1,00 điểm).",
    ]
    assert sentences["en"][:2] == [
        "distance to the national mean, as the maximum points of the areas are not published",
        "Thừa Thiên Huế is below the national mean in 2 of 3 areas, furthest in Institutional reform and "
        "Direction and management of administrative reform (1.00 points below in each).",
    ]


def test_a_province_above_every_mean_in_every_area():
    scores = {"X": (9, 19, 5), "Y": (6, 17, 4), "Z": (6, 15, 3)}
    comps, frame = _areas((10, 20, None), scores, peers=("X", "Z"))
    # National 7, 17, 4; regional (X, Y) 7.5, 18, 4.5; peers (X, Z) 7.5, 17, 4.
    assert list(frame["peers"]) == [4.0, 7.5, 17.0]
    assert _sentences(comps, frame, separate=True) == {
        "vi": [
            "mức chênh lệch so với giá trị trung bình cả nước, vì điểm tối đa của 1/3 lĩnh vực chưa được "
            "công bố",
            "Thừa Thiên Huế cao hơn giá trị trung bình cả nước ở cả 3 lĩnh vực; cách biệt ít nhất ở lĩnh vực "
            "“Cải cách tài chính công” (+1,00 điểm).",
            "Thừa Thiên Huế cũng cao hơn giá trị trung bình của vùng Bắc Trung Bộ và duyên hải miền "
            "Trung cũng "
            "như của nhóm so sánh ở tất cả 3 lĩnh vực.",
        ],
        "en": [
            "distance to the national mean, as the maximum points of 1 of the 3 areas are not published",
            "Thừa Thiên Huế is above the national mean in all 3 areas; its narrowest lead is in "
            "Public finance "
            "reform (+1.00 points).",
            "Thừa Thiên Huế is also above the mean of the North Central and Central Coast region and "
            "its peer "
            "group's mean in all 3 areas.",
        ],
    }


def test_hanoi_2024_components_table_against_the_means(demo):
    hanoi = profile_unit.profile(demo, "01", 2024)
    vietnamese = html.unescape(html_of(profile_sections.components(hanoi), "vi"))
    english = html.unescape(html_of(profile_sections.components(hanoi)))
    # 8 areas, 2 maxima known (9.5 and 13): ranked against the national mean, maxima shown where known.
    assert len(hanoi.areas) == 8
    assert (
        "Chỉ số thành phần của Hà Nội năm 2024 (điểm), xếp theo mức chênh lệch so với giá trị trung bình cả "
        "nước, vì điểm tối đa của 6/8 lĩnh vực chưa được công bố" in vietnamese
    )
    assert (
        "Hà Nội's component indices in 2024 (points), ranked by distance to the national mean, as "
        "the maximum "
        "points of 6 of the 8 areas are not published" in english
    )
    for text in ("10,05†", "13,00", "9,50", "−0,05†", ">TB vùng<", ">–<"):
        assert text in vietnamese
    for text in ("10.05†", "13.00", "−0.05†", ">Regional mean<", "Max."):
        assert text in english
    assert "10.05" not in re.sub(r' data-value="[^"]*"', "", vietnamese)  # sort values are not shown


@pytest.mark.parametrize(
    ("code", "name", "stem"),
    [
        ("40", "Nghệ An", "par_index_2020_nghe_an_40"),
        ("79", "Thành phố Hồ Chí Minh", "par_index_2020_ho_chi_minh_79"),
        ("66", "Đắk Lắk", "par_index_2020_dak_lak_66"),
        ("75", "Đồng Nai", "par_index_2020_dong_nai_75"),
        ("99", "", "par_index_2020_99"),
        ("98", "Тест", "par_index_2020_98"),
        (
            "97",
            "Một tên rất dài của một đơn vị hành chính mới",
            "par_index_2020_mot_ten_rat_dai_cua_mot_don_vi_hanh_97",
        ),
    ],
)
def test_profile_files_are_named_by_province_in_ascii_then_code(code, name, stem):
    params = load_params(ROOT / "params" / "2020.yaml")
    assert profile_unit.file_stem(params, code, name) == stem
