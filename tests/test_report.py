"""Report sections on a small fixture: another index (PCI, 0-10 scale, three bands), five provinces."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest

from parindex.data.params import Band
from parindex.i18n import lang
from parindex.reports import present
from parindex.reports.yearly import outputs as yearly_outputs
from parindex.reports.yearly import reconcile as yearly_reconcile
from parindex.reports.yearly import sections as yearly_sections
from parindex.reports.yearly import text as yearly_text
from parindex.reports.yearly import year as yearly_year

FIXTURE = Path(__file__).parent / "fixtures" / "report_small"
VI, EN = lang("vi"), lang("en")
PROVINCES = {
    "01": ("Hà Nội", "Hanoi", "RRD"),
    "31": ("Hải Phòng", "Hai Phong", "RRD"),
    "46": ("Thừa Thiên Huế", "Thua Thien Hue", "NCC"),
    "48": ("Đà Nẵng", "Da Nang", "NCC"),
    "51": ("Quảng Ngãi", "Quang Ngai", "NCC"),
}
MINISTRIES = {
    "SBV": ("Ngân hàng Nhà nước Việt Nam", "State Bank of Vietnam"),
    "MOJ": ("Bộ Tư pháp", "Ministry of Justice"),
}


@pytest.fixture(scope="module")
def year():
    return yearly_year.load(FIXTURE / "params" / "2020.yaml")


def scores(rows, unit_type="province"):
    """A `scores` frame from (code, score[, provenance]) tuples, names from PROVINCES or MINISTRIES."""
    records = []
    for code, score, *rest in rows:
        if unit_type == "province":
            name, name_en, region = PROVINCES[code]
        else:
            (name, name_en), region = MINISTRIES[code], None
        records.append(
            {
                "unit_type": unit_type,
                "code": code,
                "name": name,
                "short_name": name,
                "name_en": name_en,
                "region": region,
                "score": score,
                "rank": pd.NA,
                "provenance": rest[0] if rest else "published",
            }
        )
    frame = pd.DataFrame(records)
    frame["rank"] = frame["rank"].astype("Int64")
    return frame


def made(base, current, previous=None, unit=None):
    """The fixture year with hand-written scores this year and in the comparison year (None: none)."""
    params = base.params
    if unit is not None:
        params = params.model_copy(update={"index": params.index.model_copy(update={"unit_label": unit})})
    data = dataclasses.replace(base.data, params=params, scores=current)
    before = None if previous is None else dataclasses.replace(base.previous, scores=previous)
    return dataclasses.replace(base, params=params, data=data, previous=before)


# Headline sentences, word for word in both languages


def test_headline_sentences_are_written_from_the_data(year):
    assert yearly_text.headline(year, EN) == [
        "PCI 2020 assessed 5 provinces; the mean score is 6.40, up 0.30 points on 2019 (6.10).",
        "Hà Nội ranks first with 8.20; Quảng Ngãi ranks last (rank 5) with 4.40.",
        "By band: 2 in band High (≥ 7), 2 in band Mid (5–<7) and 1 in band Low (< 5).",
        "Against 2019, 3 improved their score, 1 declined and 1 kept its score.",
    ]
    assert yearly_text.headline(year, VI) == [
        "Kết quả PCI năm 2020 của 5 tỉnh, thành phố có giá trị trung bình đạt 6,40, tăng 0,30 điểm so với "
        "năm 2019 (6,10).",
        "Hà Nội dẫn đầu với 8,20; Quảng Ngãi xếp cuối (thứ 5) với 4,40.",
        "Phân theo nhóm: nhóm High (≥ 7) có 2 địa phương, nhóm Mid (5–<7) có 2 địa phương và nhóm Low (< 5) "
        "có 1 địa phương.",
        "So với năm 2019, 3 địa phương tăng điểm, 1 địa phương giảm điểm và 1 địa phương giữ nguyên điểm.",
    ]


def test_headline_of_a_rise_with_one_unit_in_a_band_and_an_empty_band(year):
    rise = made(
        year,
        scores([("01", 8.20), ("46", 7.90), ("31", 6.00)]),
        scores([("01", 7.50), ("46", 8.00), ("31", 6.00)]),
    )
    assert yearly_text.headline(rise, EN) == [
        "PCI 2020 assessed 3 provinces; the mean score is 7.37, up 0.20 points on 2019 (7.17).",
        "Hà Nội ranks first with 8.20; Hải Phòng ranks last (rank 3) with 6.00.",
        "By band: 2 in band High (≥ 7), 1 in band Mid (5–<7) and none in band Low (< 5).",
        "Against 2019, 1 improved its score, 1 declined and 1 kept its score.",
    ]
    assert yearly_text.headline(rise, VI) == [
        "Kết quả PCI năm 2020 của 3 tỉnh, thành phố có giá trị trung bình đạt 7,37, tăng 0,20 điểm so với "
        "năm 2019 (7,17).",
        "Hà Nội dẫn đầu với 8,20; Hải Phòng xếp cuối (thứ 3) với 6,00.",
        "Phân theo nhóm: nhóm High (≥ 7) có 2 địa phương, nhóm Mid (5–<7) có 1 địa phương và nhóm Low (< 5) "
        "không có địa phương nào.",
        "So với năm 2019, 1 địa phương tăng điểm, 1 địa phương giảm điểm và 1 địa phương giữ nguyên điểm.",
    ]


def test_headline_of_a_fall(year):
    fall = made(year, scores([("01", 6.00), ("46", 5.50)]), scores([("01", 6.50), ("46", 6.20)]))
    assert yearly_text.headline(fall, EN) == [
        "PCI 2020 assessed 2 provinces; the mean score is 5.75, down 0.60 points on 2019 (6.35).",
        "Hà Nội ranks first with 6.00; Thừa Thiên Huế ranks last (rank 2) with 5.50.",
        "By band: none in band High (≥ 7), 2 in band Mid (5–<7) and none in band Low (< 5).",
        "Against 2019, 2 declined.",
    ]
    assert yearly_text.headline(fall, VI) == [
        "Kết quả PCI năm 2020 của 2 tỉnh, thành phố có giá trị trung bình đạt 5,75, giảm 0,60 điểm so với "
        "năm 2019 (6,35).",
        "Hà Nội dẫn đầu với 6,00; Thừa Thiên Huế xếp cuối (thứ 2) với 5,50.",
        "Phân theo nhóm: nhóm High (≥ 7) không có địa phương nào, nhóm Mid (5–<7) có 2 địa phương và "
        "nhóm Low (< 5) không có địa phương nào.",
        "So với năm 2019, 2 địa phương giảm điểm.",
    ]


def test_headline_of_no_change_in_percent(year):
    same = made(year, scores([("01", 8.20), ("46", 7.80)]), scores([("01", 7.80), ("46", 8.20)]), unit="%")
    assert yearly_text.headline(same, EN) == [
        "PCI 2020 assessed 2 provinces; the mean score is 8.00%, unchanged on 2019.",
        "Hà Nội ranks first with 8.20%; Thừa Thiên Huế ranks last (rank 2) with 7.80%.",
        "By band: 2 in band High (≥ 7), none in band Mid (5–<7) and none in band Low (< 5).",
        "Against 2019, 1 improved its score and 1 declined.",
    ]
    assert yearly_text.headline(same, VI) == [
        "Kết quả PCI năm 2020 của 2 tỉnh, thành phố có giá trị trung bình đạt 8,00%, giữ nguyên so với "
        "năm 2019.",
        "Hà Nội dẫn đầu với 8,20%; Thừa Thiên Huế xếp cuối (thứ 2) với 7,80%.",
        "Phân theo nhóm: nhóm High (≥ 7) có 2 địa phương, nhóm Mid (5–<7) không có địa phương nào và "
        "nhóm Low (< 5) không có địa phương nào.",
        "So với năm 2019, 1 địa phương tăng điểm và 1 địa phương giảm điểm.",
    ]


def test_headline_of_ties_at_the_top_and_the_bottom_without_a_comparison_year(year):
    tied = made(year, scores([("01", 8.20), ("31", 8.20), ("46", 6.00), ("48", 4.40), ("51", 4.40)]), None)
    assert yearly_text.headline(tied, EN) == [
        "PCI 2020 assessed 5 provinces; the mean score is 6.24.",
        "Hà Nội and Hải Phòng share first place with 8.20; Đà Nẵng and Quảng Ngãi share last place (rank 4) "
        "with 4.40.",
        "By band: 2 in band High (≥ 7), 1 in band Mid (5–<7) and 2 in band Low (< 5).",
    ]
    assert yearly_text.headline(tied, VI) == [
        "Kết quả PCI năm 2020 của 5 tỉnh, thành phố có giá trị trung bình đạt 6,24.",
        "Hà Nội và Hải Phòng cùng dẫn đầu với 8,20; Đà Nẵng và Quảng Ngãi cùng xếp cuối (đồng hạng 4) "
        "với 4,40.",
        "Phân theo nhóm: nhóm High (≥ 7) có 2 địa phương, nhóm Mid (5–<7) có 1 địa phương và nhóm Low (< 5) "
        "có 2 địa phương.",
    ]


def test_headline_of_a_unit_absent_the_previous_year_and_one_gone(year):
    moved = made(
        year,
        scores([("01", 8.20), ("46", 7.90), ("31", 6.00)]),
        scores([("01", 7.50), ("46", 8.00), ("48", 5.00)]),
    )
    assert yearly_text.headline(moved, EN)[0] == (
        "PCI 2020 assessed 3 provinces; the mean score is 7.37, up 0.54 points on 2019 (6.83)."
    )
    assert yearly_text.headline(moved, EN)[3] == (
        "Against 2019, 1 improved its score, 1 declined, 1 has no score for 2019 and 1 is no longer ranked."
    )
    assert yearly_text.headline(moved, VI)[3] == (
        "So với năm 2019, 1 địa phương tăng điểm, 1 địa phương giảm điểm, 1 địa phương không có số liệu "
        "năm 2019 và 1 địa phương không còn trong bảng xếp hạng."
    )
    page = yearly_sections.ranking(moved).texts["en"]
    row = page[page.index("Hải Phòng") :].split("</tr>")[0]
    assert (
        '<td class="num nowrap">–</td><td class="num nowrap">–</td>' in row
    )  # no change for a unit new this year


def test_headline_of_the_first_year(year):
    first = yearly_year.load(FIXTURE / "params" / "2019.yaml")
    assert yearly_text.headline(first, EN) == [
        "PCI 2019 assessed 5 provinces; the mean score is 6.10.",
        "Thừa Thiên Huế ranks first with 8.00; Quảng Ngãi ranks last (rank 5) with 4.00.",
        "By band: 2 in band High (≥ 7), 2 in band Mid (5–<7) and 1 in band Low (< 5).",
    ]
    assert yearly_text.headline(first, VI) == [
        "Kết quả PCI năm 2019 của 5 tỉnh, thành phố có giá trị trung bình đạt 6,10.",
        "Thừa Thiên Huế dẫn đầu với 8,00; Quảng Ngãi xếp cuối (thứ 5) với 4,00.",
        "Phân theo nhóm: nhóm High (≥ 7) có 2 địa phương, nhóm Mid (5–<7) có 2 địa phương và nhóm Low (< 5) "
        "có 1 địa phương.",
    ]


def test_headline_of_ministries_names_them_in_each_language(year):
    both = pd.concat([year.data.scores, scores([("SBV", 9.10), ("MOJ", 9.10)], "ministry")])
    tied = made(year, both, None)
    assert yearly_text.headline(tied, EN, "ministry") == [
        "PCI 2020 assessed 2 ministries and ministerial-level agencies; the mean score is 9.10.",
        "Ministry of Justice and State Bank of Vietnam share first place with 9.10.",
        "By band: 2 in band High (≥ 7), none in band Mid (5–<7) and none in band Low (< 5).",
    ]
    assert yearly_text.headline(tied, VI, "ministry") == [
        "Kết quả PCI năm 2020 của 2 bộ, cơ quan ngang bộ có giá trị trung bình đạt 9,10.",
        "Bộ Tư pháp và Ngân hàng Nhà nước Việt Nam cùng dẫn đầu với 9,10.",
        "Phân theo nhóm: nhóm High (≥ 7) có 2 đơn vị, nhóm Mid (5–<7) không có đơn vị nào và nhóm Low (< 5) "
        "không có đơn vị nào.",
    ]


def test_band_rule_in_words():
    bands = (Band(label="A", min=90), Band(label="B", min=80), Band(label="C", min=70))
    assert (
        yearly_text.band_rule(bands, EN, "%") == "A: 90% and above; B: 80% to under 90%; C: 70% to under 80%"
    )
    assert yearly_text.band_rule(bands, VI, "%") == (
        "A: từ 90% trở lên; B: từ 80% đến dưới 90%; C: từ 70% đến dưới 80%"
    )
    four = (
        Band(label="A", min=82.5),
        Band(label="B", min=75),
        Band(label="C", min=70),
        Band(label="D", min=0),
    )
    assert (
        yearly_text.band_rule(four, EN, "%")
        == "A: 82.5% and above; B: 75% to under 82.5%; C: 70% to under 75%; D: under 70%"
    )
    assert yearly_text.band_rule(four, VI, "%") == (
        "A: từ 82,5% trở lên; B: từ 75% đến dưới 82,5%; C: từ 70% đến dưới 75%; D: dưới 70%"
    )


def test_rank_moves_and_counts():
    assert [yearly_text.rank_move(v, VI) for v in (3, -1200, 0, None)] == ["▲ 3", "▼ 1.200", "=", "–"]
    assert [yearly_text.rank_move(v, EN) for v in (3, -1200, 0, None)] == ["▲ 3", "▼ 1,200", "=", "–"]
    assert yearly_text.plural_of(1, "province", EN) == "1 province"
    assert yearly_text.plural_of(63, "province", VI) == "63 tỉnh, thành phố"


# Sections


def test_sections_are_written_in_every_language(year):
    for output in (
        yearly_sections.title(year),
        yearly_sections.key_figures(year),
        yearly_sections.ranking(year),
        yearly_sections.chart(year, "distribution"),
        yearly_sections.regions(year),
        yearly_sections.methodology(year),
        yearly_sections.provenance(year),
        yearly_reconcile.reconciliation(year),
    ):
        assert isinstance(output, present.Localized)
        assert list(output.texts) == ["vi", "en"]


def test_section_headings_and_introductions_come_from_the_catalog(year):
    ranking = yearly_sections.section(year, "ranking").texts
    assert ranking["vi"].startswith("<h2>Xếp hạng các tỉnh, thành phố trực thuộc Trung ương</h2><p>")
    assert ranking["en"].startswith("<h2>Ranking of provinces and centrally-run cities</h2><p>")
    # The fixture has no companion index: the section has no heading.
    assert yearly_sections.section(year, "companion").texts == {"vi": "", "en": ""}


def test_reconciliation_flags_a_figure_the_data_does_not_reproduce(year):
    rows = yearly_reconcile.reconciliation_rows(year).set_index("metric")
    assert rows.loc["mean", "status"] == "match"
    assert rows.loc["count_ge_7", "status"] == "match"
    assert rows.loc["max", "status"] == "match"
    assert rows.loc["min", "status"] == "MISMATCH"
    assert rows.loc["min", "computed"] == 4.4
    page = yearly_reconcile.reconciliation(year).texts
    assert "<p>3 of 4 published figures for 2020 are reproduced by the data" in page["en"]
    assert "Flagged: lowest score.</p>" in page["en"]
    assert (
        '<td class="">units at 7 or above</td>' in page["en"] and '<td class="">MISMATCH</td>' in page["en"]
    )
    assert "<p>Dữ liệu tái lập được 3 trên 4 số liệu đã công bố của năm 2020" in page["vi"]
    assert "Cần xem lại: điểm thấp nhất.</p>" in page["vi"]
    assert (
        '<td class="">số đơn vị từ 7 trở lên</td>' in page["vi"]
        and '<td class="">KHÔNG KHỚP</td>' in page["vi"]
    )
    assert '<td class="num" data-value="4.5">4,5</td><td class="num" data-value="4.4">4,4</td>' in page["vi"]
    shown = re.sub(r' data-value="[^"]*"', "", page["vi"])  # the values the table sorts by are not shown
    assert "MISMATCH" not in shown and "4.4" not in shown


def test_metric_labels():
    first = yearly_year.load(FIXTURE / "params" / "2019.yaml")
    label = yearly_reconcile.metric_label
    assert label("count_80_82.5", first, VI) == "số đơn vị từ 80 đến dưới 82,5"
    assert label("count_lt_70", first, EN) == "units under 70"
    assert (
        label("mean_region_NCC", first, VI) == "giá trị trung bình vùng Bắc Trung Bộ và duyên hải miền Trung"
    )
    assert label("mean_region_RRD", first, EN) == "mean of the Red River Delta"
    assert label("something_else", first, EN) == "something_else"


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
    assert "ministries" not in summary
    assert {row["status"] for row in summary["reconciliation"]} == {"match", "MISMATCH"}


def test_ranking_table_marks_simulated_values_and_moves(year):
    page = yearly_sections.ranking(year).texts["en"]
    assert "8.20<" in page and "6.00†" in page  # published plain, simulated marked
    assert "▲ 1" in page  # Hà Nội moved from 2nd to 1st
    assert "† simulated (demonstration) value, not an official figure." in page
    assert '<td class="region">Red River Delta</td>' in page and "Central Coast" in page


def test_vietnamese_ranking_table_writes_numbers_with_a_decimal_comma(year):
    percent = made(
        year,
        scores([("01", 91.04), ("46", 83.72, "simulated")]),
        scores([("01", 90.00), ("46", 82.33)]),
        unit="%",
    )
    page = yearly_sections.ranking(percent).texts["vi"]
    assert (
        '<td class="num nowrap" data-value="91.04">91,04</td>' in page
        and '<td class="num nowrap simulated" data-value="83.72">83,72†</td>' in page
    )
    assert (
        '<td class="num nowrap simulated" data-value="1.39">+1,39†</td>' in page
        and '<td class="num nowrap" data-value="1.04">+1,04</td>' in page
    )
    shown = re.sub(r' data-value="[^"]*"', "", page)  # the values the table sorts by are not shown
    assert "83.72" not in shown and "91.04" not in shown
    assert '<th class="num" scope="col">Điểm (%)</th>' in page and ">Tăng/giảm bậc</th>" in page
    assert '<td class="region">Bắc Trung Bộ và duyên hải miền Trung</td>' in page
    assert "<caption>PCI năm 2020: xếp hạng 2 tỉnh, thành phố; thay đổi so với năm 2019</caption>" in page
    assert "† giá trị mô phỏng (dữ liệu minh họa), không phải số liệu chính thức." in page
    english = yearly_sections.ranking(percent).texts["en"]
    assert (
        '<td class="num nowrap simulated" data-value="83.72">83.72†</td>' in english
        and "83,72" not in english
    )


def test_vietnamese_charts_have_vietnamese_titles_and_decimal_commas(year, monkeypatch):
    drawn = []
    monkeypatch.setattr(present, "figure", lambda fig, alt, caption="": drawn.append((fig, alt)) or "")
    yearly_sections.chart(year, "ranked")
    (vi_figure, vi_alt), (en_figure, en_alt) = drawn
    assert vi_figure.get_suptitle() == "PCI năm 2020: xếp hạng các tỉnh, thành phố"
    assert en_figure.get_suptitle() == "PCI 2020: provinces ranked"
    texts = [t.get_text() for t in vi_figure.axes[0].texts]
    assert texts == ["8,20", "7,90", "6,00", "5,50", "4,40"]
    assert vi_figure.texts[-1].get_text() == "Nguồn: Test publisher. Test fixture."
    assert vi_alt == (
        "Biểu đồ cột xếp hạng 5 tỉnh, thành phố theo PCI năm 2020; cao nhất là Hà Nội (8,20), thấp nhất là "
        "Quảng Ngãi (4,40), trung bình 6,40."
    )
    assert en_alt == (
        "Bar chart of 5 provinces ranked by PCI 2020; highest Hà Nội 8.20, lowest Quảng Ngãi 4.40, mean 6.40."
    )


def test_title_carries_the_banner_only_for_demonstration_data(year):
    title = yearly_sections.title(year).texts
    assert "<h1>PCI năm 2020: Provincial Competitiveness Index</h1>" in title["vi"]
    assert "Dữ liệu minh họa: các giá trị đánh dấu † là giá trị mô phỏng" in title["vi"]
    assert 'role="note">Demonstration data' in title["en"]
    published = made(year, year.data.scores.assign(provenance="published"), None)
    assert 'role="note"' not in yearly_sections.title(published).texts["en"]


def test_write_outputs_writes_summary_and_tables(year, tmp_path):
    yearly_outputs.write_outputs(year, tmp_path)
    assert (tmp_path / "summary.json").is_file()
    data = (tmp_path / "tables" / "provinces.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads the Vietnamese names as UTF-8
    provinces = data.decode("utf-8-sig").splitlines()
    assert provinces[0] == (
        "rank,code,name,score,band,region,provenance,score_change,rank_change,band_move,region_vi,region_en"
    )
    assert provinces[1].startswith("1,01,Hà Nội,8.20,High,RRD,published,0.70,1,same,")  # 7.50 was High too
    reconciliation = (tmp_path / "tables" / "reconciliation.csv").read_text(encoding="utf-8-sig").splitlines()
    assert reconciliation[0].startswith("index,unit_type,metric,published,computed,difference,status")
    assert any(",min,4.5,4.4," in line and ",MISMATCH," in line for line in reconciliation)
    yearly_outputs.write_outputs(year, "")  # an empty folder writes nothing and raises nothing


def test_a_year_without_comparison_shows_no_change_columns():
    first = yearly_year.load(FIXTURE / "params" / "2019.yaml")
    page = yearly_sections.ranking(first).texts
    assert "Change (points)" not in page["en"] and "Change (ranks)" not in page["en"]
    assert "PCI 2019: all 5 provinces ranked</caption>" in page["en"]
    assert "Tăng/giảm điểm" not in page["vi"]
    assert "PCI năm 2019: xếp hạng 5 tỉnh, thành phố</caption>" in page["vi"]
    # Without a comparison year the change section is left out, heading and all.
    assert yearly_sections.chart(first, "change").texts == {"vi": "", "en": ""}
    assert yearly_sections.section(first, "change").texts == {"vi": "", "en": ""}


def test_the_2024_component_figures_published_are_reconciled():
    from parindex.reports import yearly

    year = yearly.load(Path(__file__).resolve().parents[1] / "params" / "2024.yaml", "vi,en")
    rows = yearly_reconcile.reconciliation_rows(year)
    checked = {
        r.metric: (r.published, r.computed, r.status) for r in rows.itertuples() if "component" in r.metric
    }
    assert checked == {
        "n_components": (8.0, 8.0, "match"),
        "components_increased": (6.0, 6.0, "match"),
        "components_decreased": (2.0, 2.0, "match"),
        "component_impact_direction": (1.0, 1.0, "match"),
        "component_public_finance_direction": (-1.0, -1.0, "match"),
        "component_institutions_direction": (-1.0, -1.0, "match"),
    }
    vi, en = (lang("vi"), lang("en"))
    assert yearly_reconcile.metric_label("components_increased", year, vi) == (
        "số chỉ số thành phần tăng so với năm trước"
    )
    assert yearly_reconcile.metric_label("component_institutions_direction", year, en) == (
        "direction of change of “Institutional reform” (1 rose, −1 fell)"
    )
