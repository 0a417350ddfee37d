"""Component aggregates against values worked out by hand, and the yearly sentence in both languages."""

from __future__ import annotations

import pandas as pd
import pytest

from parindex import component_analysis as ca
from parindex.data.params import Component
from parindex.i18n import lang
from parindex.reports.yearly.components import change_sentence

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
        "6 of 8 component indices rose on 2023; the largest rise was impact of administrative reform "
        "(+3.79 points). 2 fell: public finance reform (−0.02 points) and institutional reform "
        "(−1.60 points)."
    )


def test_one_rise_and_none_falling():
    summary = _summary(impact=0.5, finance=0.0)
    assert change_sentence(summary, NAMES["en"], 2023, 2, lang("en")) == (
        "1 of 2 component indices rose on 2023; the largest rise was impact of administrative reform "
        "(+0.50 points). None fell."
    )
    assert change_sentence(summary, NAMES["vi"], 2023, 2, lang("vi")) == (
        "So với năm 2023, 1/2 chỉ số thành phần tăng điểm; tăng nhiều nhất là “Tác động của cải cách hành "
        "chính” (+0,50 điểm). Không có chỉ số thành phần nào giảm."
    )
