"""Component aggregates against values worked out by hand, and the yearly sentence in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from parindex import component_analysis as ca
from parindex.data.params import Component
from parindex.i18n import lang
from parindex.reports import style
from parindex.reports.yearly.components import (
    change_sentence,
    distribution_figure,
    heatmap_figure,
    sentence_name,
    short_name,
    strengths_html,
    strengths_table,
)

A = Component(code="a", name={"vi": "Cải cách thể chế", "en": "Institutional reform"}, max=10)
B = Component(
    code="b", name={"vi": "Cải cách tài chính công", "en": "Public finance reform"}, max=None, note="x"
)


def _parts(values: dict[str, tuple[float, float]]) -> pd.DataFrame:
    rows = [
        {"unit_type": "province", "code": code, "component": comp, "score": v}
        for code, pair in values.items()
        for comp, v in zip("ab", pair, strict=True)
    ]
    return pd.DataFrame(rows)


def test_national_means_and_shares_by_hand():
    # a: (8 + 6 + 7) / 3 = 7, 70% of 10; b: (20 + 23 + 26) / 3 = 23, maximum unknown.
    table = ca.national(_parts({"01": (8, 20), "02": (6, 23), "03": (7, 26)}), (A, B))
    assert table["mean"].tolist() == [7.0, 23.0]
    assert table["share"].iloc[0] == pytest.approx(70.0)
    assert pd.isna(table["share"].iloc[1])


def test_changes_and_their_summary_by_hand():
    now = ca.national(_parts({"01": (8, 20), "02": (6, 23)}), (A, B))  # 7, 21.5
    before = ca.national(_parts({"01": (7, 22), "02": (6, 22)}), (A, B))  # 6.5, 22
    summary = ca.summarise(ca.changes(now, before), 2)
    assert summary.rose == ("a",) and summary.fell == ("b",)
    assert summary.change == {"a": 0.5, "b": -0.5}


def test_strengths_relative_to_the_national_mean():
    found = ca.strengths(_parts({"01": (8, 20), "02": (6, 23), "03": (7, 26)}))
    # 01: a +1, b −3; 02: a −1, b 0; 03: a 0, b +3.
    assert found.loc["01", ["strongest", "weakest"]].tolist() == ["a", "b"]
    assert found.loc["01", "weakest_gap"] == -3
    assert found.loc["02", ["strongest", "weakest"]].tolist() == ["b", "a"]


NAMES = {
    "vi": {
        "impact": "Tác động của cải cách hành chính",
        "finance": "Cải cách tài chính công",
        "inst": "Cải cách thể chế",
    },
    "en": {
        "impact": "impact of administrative reform",
        "finance": "public finance reform",
        "inst": "institutional reform",
    },
}


def _summary(**change: float) -> ca.ChangeSummary:
    frame = pd.DataFrame({"component": list(change), "change": list(change.values())})
    return ca.summarise(frame, 2)


def test_the_2024_sentence_word_for_word():
    summary = _summary(impact=3.79, finance=-0.02, inst=-1.60, d=0.5, e=0.4, f=0.3, g=0.2, h=0.1)
    names = {**{k: k for k in "defgh"}}
    assert change_sentence(summary, {**names, **NAMES["vi"]}, 2023, 2, lang("vi")) == (
        "So với năm 2023, 6/8 chỉ số thành phần tăng điểm; tăng nhiều nhất là “Tác động của cải cách hành "
        "chính” (+3,79 điểm). 2 chỉ số thành phần giảm: “Cải cách tài chính công” (−0,02 điểm) và “Cải cách "
        "thể chế” (−1,60 điểm)."
    )
    assert change_sentence(summary, {**names, **NAMES["en"]}, 2023, 2, lang("en")) == (
        "6 of 8 component indices rose on 2023; the largest rise was in impact of administrative reform "
        "(+3.79 points). 2 fell: public finance reform (−0.02 points) and institutional reform "
        "(−1.60 points)."
    )


def test_one_rise_and_none_falling():
    summary = _summary(impact=0.5, finance=0.0)
    assert change_sentence(summary, NAMES["en"], 2023, 2, lang("en")) == (
        "1 of 2 component indices rose on 2023; the largest rise was in impact of administrative reform "
        "(+0.50 points). None fell."
    )
    assert change_sentence(summary, NAMES["vi"], 2023, 2, lang("vi")) == (
        "So với năm 2023, 1/2 chỉ số thành phần tăng điểm; tăng nhiều nhất là “Tác động của cải cách hành "
        "chính” (+0,50 điểm). Không có chỉ số thành phần nào giảm."
    )


IMPACT = Component(
    code="impact",
    name={"vi": "Tác động của cải cách hành chính", "en": "Impact of administrative reform"},
    max=None,
    note="x",
)
SIPAS = Component(code="sipas", name={"vi": "Chỉ số SIPAS", "en": "SIPAS points"}, max=None, note="x")


def test_an_english_name_inside_a_sentence_starts_small_and_a_vietnamese_one_as_given():
    assert sentence_name(IMPACT, lang("en")) == "impact of administrative reform"
    assert sentence_name(A, lang("en")) == "institutional reform"
    assert sentence_name(SIPAS, lang("en")) == "SIPAS points"
    assert sentence_name(IMPACT, lang("vi")) == "Tác động của cải cách hành chính"


def test_the_sentence_with_names_in_their_sentence_form():
    summary = _summary(impact=1.25, a=-0.5)
    names = {"impact": sentence_name(IMPACT, lang("en")), "a": sentence_name(A, lang("en"))}
    assert change_sentence(summary, names, 2023, 2, lang("en")) == (
        "1 of 2 component indices rose on 2023; the largest rise was in impact of administrative reform "
        "(+1.25 points). 1 fell: institutional reform (−0.50 points)."
    )
    names = {"impact": sentence_name(IMPACT, lang("vi")), "a": sentence_name(A, lang("vi"))}
    assert change_sentence(summary, names, 2023, 2, lang("vi")) == (
        "So với năm 2023, 1/2 chỉ số thành phần tăng điểm; tăng nhiều nhất là “Tác động của cải cách hành "
        "chính” (+1,25 điểm). 1 chỉ số thành phần giảm: “Cải cách thể chế” (−0,50 điểm)."
    )


SHORT_A = Component(
    code="a",
    name={"vi": "Cải cách thể chế", "en": "Institutional reform"},
    short={"vi": "Thể chế", "en": "Institutions"},
    max=10,
)


def test_a_short_name_and_the_name_where_none_is_given():
    assert short_name(SHORT_A, lang("vi")) == "Thể chế"
    assert short_name(SHORT_A, lang("en")) == "Institutions"
    assert short_name(B, lang("en")) == "Public finance reform"


def _strength_rows(code: str) -> list[list[str]]:
    # 01: a +1, b −3; 02: a −1, b 0; 03: a 0, b +3 (means: a 7, b 23). 03's points are simulated.
    parts = _parts({"01": (8, 20), "02": (6, 23), "03": (7, 26)})
    parts["provenance"] = ["published"] * 4 + ["simulated"] * 2
    units = pd.DataFrame(
        {
            "code": ["02", "01", "03", "04"],
            "name": ["Hà Giang", "Hà Nội", "Cao Bằng", "Bắc Kạn"],
            "computed_rank": [1, 2, 2, 4],
        }
    )
    frame = strengths_table(units, parts)
    shorts = {
        "vi": {"a": "Thể chế", "b": "Tài chính công"},
        "en": {"a": "Institutions", "b": "Public finance"},
    }
    html = strengths_html(frame, shorts[code], 2, 2024, lang(code))
    return [
        [re.sub("<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", html)
    ]


def test_strengths_table_word_for_word_in_vietnamese():
    assert _strength_rows("vi") == [
        [
            "Xếp hạng",
            "Tỉnh, thành phố",
            "Lĩnh vực mạnh nhất",
            "Chênh lệch",
            "Lĩnh vực yếu nhất",
            "Chênh lệch",
        ],
        ["1", "Hà Giang", "Tài chính công", "0,00", "Thể chế", "−1,00"],
        ["2", "Hà Nội", "Thể chế", "+1,00", "Tài chính công", "−3,00"],
        ["2", "Cao Bằng", "Tài chính công", "+3,00†", "Thể chế", "0,00†"],
    ]


def test_strengths_table_word_for_word_in_english():
    assert _strength_rows("en") == [
        ["Rank", "Province", "Strongest area", "Gap", "Weakest area", "Gap"],
        ["1", "Hà Giang", "Public finance", "0.00", "Institutions", "−1.00"],
        ["2", "Hà Nội", "Institutions", "+1.00", "Public finance", "−3.00"],
        ["2", "Cao Bằng", "Public finance", "+3.00†", "Institutions", "0.00†"],
    ]


def _distribution(code: str):
    values = {"01": (6.2, 7.9, 20.0), "02": (7.4, 6.6, 23.5), "03": (6.9, 7.1, 26.0), "04": (7.7, 6.3, 22.0)}
    rows = [
        {"unit_type": "province", "code": unit, "component": comp, "score": v, "provenance": "simulated"}
        for unit, triple in values.items()
        for comp, v in zip(("a", "b", "c"), triple, strict=True)
    ]
    rows[0]["provenance"] = "published"
    panels = {"a": "Thể chế", "b": "Tài chính công", "c": "Tác động"}
    figure = distribution_figure(pd.DataFrame(rows), panels, "Phân bố", "Nguồn", lang(code))
    figure.draw_without_rendering()
    return figure


def test_the_distribution_has_one_panel_per_component_with_comma_ticks_in_vietnamese():
    figure = _distribution("vi")
    shown = [ax for ax in figure.axes if ax.get_visible()]
    assert [ax.get_title(loc="left") for ax in shown] == ["Thể chế", "Tài chính công", "Tác động"]
    ticks = [t.get_text() for t in shown[0].get_xticklabels() if t.get_text()]
    assert "6,5" in ticks and "7,5" in ticks
    assert not any("." in t for t in ticks)
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert legend == [
        "Hộp: một nửa số địa phương ở giữa",
        "Địa phương (giá trị công bố)",
        "mô phỏng (dữ liệu minh họa)",
        "Trung bình cả nước",
    ]


def test_every_mark_of_the_distribution_shows_its_points_on_hover():
    rows = [
        {"unit_type": "province", "code": unit, "component": "a", "score": v, "provenance": "simulated"}
        for unit, v in (("01", 6.2), ("02", 7.4), ("03", 6.9), ("04", 7.7))
    ]
    rows[0]["provenance"] = "published"
    figure = distribution_figure(
        pd.DataFrame(rows), {"a": "Thể chế"}, "T", "N", lang("vi"), names={"01": "Hà Nội", "02": "Hà Giang"}
    )
    titles = re.findall(r"<title>(.*?)</title>", style.render(figure, "svg").decode("utf-8"))
    spread = "Thể chế: thấp nhất 6,20 · trung vị 7,15 · cao nhất 7,70"
    assert titles == [spread] * 6 + [  # the box, two whiskers, two caps and the median
        "Thể chế: Hà Nội: 6,20",
        "Thể chế: Hà Giang: 7,40†",
        "Thể chế: 03: 6,90†",
        "Thể chế: 04: 7,70†",
        "Thể chế: Trung bình cả nước 7,05",
    ]


def test_each_cell_of_the_heat_map_shows_its_province_component_and_difference_on_hover():
    from parindex.reports import yearly

    year = yearly.load(Path(__file__).parents[1] / "params" / "2024.yaml", "vi,en")
    parts = year.data.components[year.data.components["unit_type"] == "province"]
    titles = re.findall(
        r"<title>(.*?)</title>", style.render(heatmap_figure(year, parts, lang("vi")), "svg").decode()
    )
    assert len(titles) == 63 * 8
    # Bình Thuận's published direction points 9.428 against the mean of the 63 provinces, 7.526349
    assert "Bình Thuận: 1. Chỉ đạo, điều hành: +1,90" in titles
    assert "Hải Phòng: 2. Thể chế: +1,11†" in titles  # 8.532 - 7.424746, simulated


def test_the_heat_map_of_63_provinces_fits_on_an_a4_page():
    from parindex.reports import yearly

    year = yearly.load(Path(__file__).parents[1] / "params" / "2024.yaml", "vi,en")
    parts = year.data.components[year.data.components["unit_type"] == "province"]
    # A4 is 11.69 in high; the page margins (20 mm and 18 mm) leave 10.2 in. At 0.14 in a row, 63 rows and
    # the title and axes (1.4 in) would take 10.22 in: the last row would go onto the next page.
    assert heatmap_figure(year, parts, lang("vi")).get_size_inches().tolist() == [6.3, 9.4]


def test_the_areas_of_the_strengths_table_may_wrap_so_the_vietnamese_table_fits_the_page():
    frame = pd.DataFrame(
        {
            "rank": [1],
            "name": ["Thành phố Hồ Chí Minh"],
            "strongest": ["a"],
            "strongest_gap": [1.0],
            "weakest": ["b"],
            "weakest_gap": [-1.0],
            "simulated": [False],
        }
    )
    shorts = {"a": "Điều tra xã hội học: lãnh đạo, quản lý", "b": "Tác động kinh tế - xã hội"}
    cells = re.findall(r"<td([^>]*)>([^<]*)</td>", strengths_html(frame, shorts, 2, 2024, lang("vi")))
    wrapping = {text: "nowrap" not in attributes for attributes, text in cells}
    assert wrapping[shorts["a"]] and wrapping[shorts["b"]]
    assert not wrapping["Thành phố Hồ Chí Minh"] and not wrapping["+1,00"]


def test_the_english_distribution_writes_points_with_a_decimal_point():
    shown = [ax for ax in _distribution("en").axes if ax.get_visible()]
    assert len(shown) == 3
    ticks = [t.get_text() for t in shown[0].get_xticklabels() if t.get_text()]
    assert "6.5" in ticks and not any("," in t for t in ticks)
