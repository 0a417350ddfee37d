"""Tests of the tie rules (params `ranking.ties`); every expected rank and message was worked out by hand."""

import dataclasses
import html
import shutil
from pathlib import Path

import pandas as pd
import pytest

from parindex.analysis import with_bands
from parindex.data.ingest import load_year
from parindex.data.params import Band, Ranking
from parindex.data.ranking import TIES, order_conflicts, rank
from parindex.errors import InputError
from parindex.reports.trends import panel as trends_panel
from parindex.reports.trends import sections as trends_sections
from parindex.reports.yearly import sections as yearly_sections
from parindex.reports.yearly import year as yearly_year

REPORT_SMALL = Path(__file__).parent / "fixtures" / "report_small"
TRENDS = Path(__file__).parent / "fixtures" / "trends"

PROVINCES = ["Quảng Ninh", "Hải Phòng", "Thừa Thiên Huế", "Hà Nội", "TP.HCM", "Hà Nam"]
# 85.004 and 84.996 are both written 85.00 with 2 decimals: they tie when rounded, not as given.
SCORES = [91.04, 85.004, 84.996, 80.5, 78.25, 70.0]
PUBLISHED = {"unit_type": "province", "provenance": "published"}


def _csv(tmp_path, ranks, header="Tỉnh/thành phố,Chỉ số,Xếp hạng", scores=SCORES):
    path = tmp_path / "scores.csv"
    rows = [
        f"{n},{s}" + ("" if r is False else f",{'' if r is None else r}")
        for n, s, r in zip(PROVINCES, scores, ranks, strict=True)
    ]
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _load(make_params, tmp_path, ranks, ties, **csv):
    params = make_params([{"path": str(_csv(tmp_path, ranks, **csv)), **PUBLISHED}], ranking={"ties": ties})
    return load_year(params)


def _problems(make_params, tmp_path, ranks, ties, **csv):
    with pytest.raises(InputError) as caught:
        _load(make_params, tmp_path, ranks, ties, **csv)
    return caught.value.problems


@pytest.mark.parametrize(
    ("ties", "expected"),
    [("rounded", [1, 2, 2, 4, 5, 6]), ("unrounded", [1, 2, 3, 4, 5, 6])],
)
def test_each_computed_rule_ranks_the_ties_at_two_decimals(ties, expected):
    assert rank(pd.Series(SCORES), 2, ties).tolist() == expected


def test_the_official_rule_returns_the_ranks_given():
    given = pd.Series([1, 2, 2, 4, 5, 5], dtype="Int64")
    assert rank(pd.Series(SCORES), 2, "official", given).tolist() == [1, 2, 2, 4, 5, 5]


def test_ranks_within_a_group_follow_the_official_ranks():
    given = pd.Series([2, 2, 7], index=[10, 11, 12], dtype="Int64")
    assert rank(
        pd.Series([85.0, 84.0, 80.0], index=[10, 11, 12]), 2, "official", given, within=True
    ).tolist() == [
        1,
        1,
        3,
    ]


def test_the_official_rule_needs_every_rank():
    with pytest.raises(ValueError, match="the tie rule 'official' takes every rank from the input"):
        rank(pd.Series([90.0, 80.0]), 2, "official", pd.Series([1, None], dtype="Int64"))


def test_a_higher_score_with_a_worse_rank_is_a_conflict():
    scores = pd.Series([90.0, 85.0, 80.0], index=["a", "b", "c"])
    assert order_conflicts(scores, pd.Series([1, 3, 2], index=scores.index)) == [("b", "c")]
    assert order_conflicts(scores, pd.Series([1, 2, 2], index=scores.index)) == []


def test_rounded_ties_are_accepted_and_become_the_ranks(make_params, tmp_path):
    year = _load(make_params, tmp_path, [1, 2, 2, 4, 5, 6], "rounded")
    assert year.scores.set_index("code").loc[["46", "01"], "rank"].tolist() == [2, 4]


def test_unrounded_ranks_refuse_a_tie_of_rounded_scores(make_params, tmp_path):
    problems = _problems(make_params, tmp_path, [1, 2, 2, 4, 5, 6], "unrounded")
    assert [(p.row, p.column, p.message, p.fix) for p in problems] == [
        (
            4,
            "Xếp hạng",
            "the rank 2 contradicts the scores: a score of 84.996 ranks 3",
            "write rank 3, or correct the score (ranks are 1-2-2-4 on the scores as given, not rounded, "
            "highest first)",
        )
    ]


def test_rounded_ranks_refuse_ranks_that_split_a_rounded_tie(make_params, tmp_path):
    problems = _problems(make_params, tmp_path, [1, 2, 3, 4, 5, 6], "rounded")
    assert [(p.row, p.message, p.fix) for p in problems] == [
        (
            4,
            "the rank 3 contradicts the scores: a score of 84.996 ranks 2",
            "write rank 2, or correct the score (ranks are 1-2-2-4 on scores rounded to 2 decimals, highest "
            "first)",
        )
    ]


def test_official_ranks_keep_a_tie_the_input_gives(make_params, tmp_path):
    year = _load(make_params, tmp_path, [1, 2, 2, 4, 5, 5], "official")
    assert year.scores.set_index("code")["rank"].to_dict() == {
        "22": 1,
        "31": 2,
        "46": 2,
        "01": 4,
        "79": 5,
        "35": 5,
    }


def test_official_ranks_that_contradict_the_scores_are_refused(make_params, tmp_path):
    problems = _problems(make_params, tmp_path, [1, 2, 3, 6, 5, 4], "official")
    assert [(p.row, p.column, p.message) for p in problems] == [
        (
            5,
            "Xếp hạng",
            "the rank 6 contradicts the order of the scores: 'Hà Nội' scores 80.5, above 'Hà Nam' (row 7), "
            "which scores 70 and ranks 4",
        ),
        (
            6,
            "Xếp hạng",
            "the rank 5 contradicts the order of the scores: 'TP.HCM' scores 78.25, above 'Hà Nam' (row 7), "
            "which scores 70 and ranks 4",
        ),
    ]
    assert problems[0].fix == (
        "correct the rank or the score of one of them: under ranking.ties: official the ranks are taken "
        "from the input, and a higher score never has a worse rank"
    )
    assert "write rank" not in " ".join(p.fix for p in problems)


def test_official_ranks_must_all_be_given(make_params, tmp_path):
    problems = _problems(make_params, tmp_path, [1, 2, 3, None, 5, 6], "official")
    assert [(p.row, p.column, p.message, p.fix) for p in problems] == [
        (
            5,
            "Xếp hạng",
            "the rank is empty",
            "write the unit's official rank: test.yaml sets ranking.ties: official, which takes every rank "
            "from the input",
        )
    ]


def test_official_ranks_need_a_rank_column(make_params, tmp_path):
    problems = _problems(make_params, tmp_path, [False] * 6, "official", header="Tỉnh/thành phố,Chỉ số")
    assert [(p.row, p.message, p.fix) for p in problems] == [
        (
            None,
            "no rank column, but test.yaml sets ranking.ties: official, which takes every rank from the "
            "input",
            "add the official ranks in a column 'Xếp hạng' (or 'Rank'; or name it with columns.rank), or "
            "set ranking.ties: rounded (or unrounded) to compute the ranks from the scores",
        )
    ]


def test_an_unknown_tie_rule_is_refused(make_params):
    with pytest.raises(InputError) as caught:
        make_params([{"path": "good/provinces.csv", **PUBLISHED}], ranking={"ties": "dense"})
    [problem] = caught.value.problems
    assert problem.key == "ranking.ties"
    assert "'rounded', 'unrounded' or 'official'" in problem.message


# The methodology states the rule in force, in both languages


def _year_with(ties="rounded", basis="published"):
    base = yearly_year.load(REPORT_SMALL / "params" / "2020.yaml")
    params = base.params.model_copy(update={"ranking": Ranking(ties=ties), "bands_basis": basis})
    return dataclasses.replace(base, params=params, data=dataclasses.replace(base.data, params=params))


METHOD_RANKS = {
    "rounded": (
        "Xếp hạng: thứ 1 là cao nhất. Chưa có quy định chính thức về xếp hạng khi bằng điểm; báo cáo này xếp "
        "đồng hạng theo kiểu 1, 2, 2, 4 trên điểm số làm tròn đến 2 chữ số thập phân và đối chiếu mọi "
        "thứ hạng có trong dữ liệu đầu vào với cách xếp này.",
        "Ranks: 1 is best. No official rule for ties is published; this report uses competition ranking "
        "(1, 2, 2, 4) on scores rounded to 2 decimals, and checks any rank given in the inputs against it.",
    ),
    "unrounded": (
        "Xếp hạng: thứ 1 là cao nhất. Báo cáo này xếp đồng hạng theo kiểu 1, 2, 2, 4 trên điểm số gốc, không "
        "làm tròn, nên hai đơn vị có điểm hiển thị bằng nhau vẫn có thể khác hạng; mọi thứ hạng có trong dữ "
        "liệu đầu vào được đối chiếu với cách xếp này.",
        "Ranks: 1 is best. This report uses competition ranking (1, 2, 2, 4) on the scores as given, not "
        "rounded, so two units shown with the same score may rank apart; any rank given in the inputs is "
        "checked against it.",
    ),
    "official": (
        "Xếp hạng: thứ 1 là cao nhất. Thứ hạng trong báo cáo là thứ hạng chính thức lấy từ dữ liệu đầu vào, "
        "kể cả các trường hợp đồng hạng; báo cáo chỉ kiểm tra để bảo đảm không đơn vị nào có điểm cao hơn mà "
        "lại xếp hạng thấp hơn.",
        "Ranks: 1 is best. Ranks are the official ones given in the inputs, ties included; this report only "
        "checks that no unit with a higher score has a worse rank.",
    ),
}


@pytest.mark.parametrize("ties", list(METHOD_RANKS))
def test_the_yearly_methodology_states_the_tie_rule_in_force(ties):
    texts = yearly_sections.methodology(_year_with(ties)).texts
    vi, en = METHOD_RANKS[ties]
    assert html.escape(vi) in texts["vi"]
    assert html.escape(en) in texts["en"]
    others = [text for rule, text in METHOD_RANKS.items() if rule != ties]
    assert not any(html.escape(en) in texts["en"] for _, en in others)


def test_the_methodology_says_inferred_bands_were_inferred():
    texts = yearly_sections.methodology(_year_with(basis="inferred")).texts
    assert (
        html.escape(
            "These bands were not published for 2020: they were inferred by the analyst who wrote the "
            "report's parameters."
        )
        in texts["en"]
    )
    assert (
        "Cách phân nhóm này không được công bố chính thức cho năm 2020 mà do người phân tích lập tham số "
        "báo cáo suy ra."
    ) in texts["vi"]
    assert "as published" not in texts["en"] and "theo công bố" not in texts["vi"]


def test_the_methodology_says_published_bands_are_as_published():
    texts = yearly_sections.methodology(_year_with()).texts
    assert "Bands of 2020, as published: " in texts["en"]
    assert "Phân nhóm năm 2020 theo công bố: " in texts["vi"]
    assert "inferred" not in texts["en"]


# An official group column is checked against the bands of the scores


def _grouped(tmp_path, groups, header="Nhóm"):
    path = tmp_path / "groups.csv"
    rows = [f"{n},{s},{g}" for n, s, g in zip(PROVINCES, SCORES, groups, strict=True)]
    path.write_text(f"Tỉnh/thành phố,Chỉ số,{header}\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_groups_that_agree_with_the_scores_pass(make_params, tmp_path):
    # Bands of tests/fixtures/params/tiny.yaml: A ≥ 90, B 80–<90, C 70–<80; case does not matter.
    path = _grouped(tmp_path, ["A", "b", "B", "B", "C", "c"], header="Xếp loại")
    year = load_year(make_params([{"path": str(path), **PUBLISHED}]))
    assert len(year.scores) == 6


def test_every_group_that_contradicts_its_score_is_reported(make_params, tmp_path):
    path = _grouped(tmp_path, ["A", "B", "B", "C", "C", "D"])
    with pytest.raises(InputError) as caught:
        load_year(make_params([{"path": str(path), **PUBLISHED}]))
    assert [(p.row, p.column, p.message, p.fix) for p in caught.value.problems] == [
        (
            5,
            "Nhóm",
            "the group 'C' contradicts the score: a score of 80.5 is in band 'B' (bands of 2020: A ≥ 90, "
            "B 80–<90, C 70–<80)",
            "write 'B', or correct the score, or correct the band limits in test.yaml (scores are rounded "
            "to 2 decimals before banding)",
        ),
        (
            7,
            "Nhóm",
            "the group 'D' is not a band of 2020 (bands: A ≥ 90, B 80–<90, C 70–<80)",
            "write the band of the score, 'C', or add the group to bands in test.yaml",
        ),
    ]


def test_a_group_column_named_in_params_and_labels_in_any_language(make_params, tmp_path):
    path = _grouped(tmp_path, ["Rất tốt", "Good", "Tốt", "Tốt", "Fair", "Khá"], header="Kết quả xếp loại")
    bands = [
        {"label": {"vi": "Rất tốt", "en": "Very good"}, "min": 90},
        {"label": {"vi": "Tốt", "en": "Good"}, "min": 80},
        {"label": {"vi": "Khá", "en": "Fair"}, "min": 0},
    ]
    spec = {"path": str(path), **PUBLISHED, "columns": {"band": "Kết quả xếp loại"}}
    params = make_params([spec], bands=bands)
    assert [band.key for band in params.bands] == ["Rất tốt", "Tốt", "Khá"]
    assert len(load_year(params).scores) == 6
    with pytest.raises(InputError) as caught:
        load_year(
            make_params(
                [
                    {
                        **spec,
                        "path": str(
                            _grouped(
                                tmp_path,
                                ["Rất tốt", "Tốt", "Tốt", "Khá", "Khá", "Khá"],
                                header="Kết quả xếp loại",
                            )
                        ),
                    }
                ],
                bands=bands,
            )
        )
    assert [(p.row, p.message) for p in caught.value.problems] == [
        (
            5,
            "the group 'Khá' contradicts the score: a score of 80.5 is in band 'Tốt' (bands of 2020: "
            "Rất tốt ≥ 90, Tốt 80–<90, Khá < 80)",
        )
    ]


def test_a_band_may_keep_a_key_of_its_own(make_params):
    bands = [{"label": {"vi": "Tốt", "en": "Good"}, "min": 80, "key": "good"}, {"label": "Other", "min": 0}]
    params = make_params([{"path": "good/provinces.csv", **PUBLISHED}], bands=bands)
    assert [(band.key, band.name("en"), band.name("vi")) for band in params.bands] == [
        ("good", "Good", "Tốt"),
        ("Other", "Other", "Other"),
    ]


def test_band_labels_in_a_language_of_the_report_are_required(make_params):
    with pytest.raises(InputError) as caught:
        make_params([{"path": "good/provinces.csv", **PUBLISHED}], bands=[{"label": {"vi": "Tốt"}, "min": 0}])
    [problem] = caught.value.problems
    assert problem.message == "no text in en, a language of the report"


# Trends: each run of years with its own rule; inferred bands said so


def test_the_trends_methodology_states_each_years_rule_and_inferred_bands(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(TRENDS, project)
    params = project / "params" / "2018.yaml"
    extra = "ranking: {ties: unrounded}\nbands_basis: inferred\n"
    params.write_text(params.read_text(encoding="utf-8") + extra, encoding="utf-8")
    panel = trends_panel.load(project / "params")
    texts = {code: html.unescape(text) for code, text in trends_sections.methodology(panel).texts.items()}
    assert (
        "The bands of 2018 were not published: they were inferred by the analyst who wrote the report's "
        "parameters."
    ) in texts["en"]
    assert (
        "Each year is shown in its own bands; a band's name may mean another range in another year."
        in (texts["en"])
    )
    assert "as published" not in texts["en"]
    assert (
        "2018: Ranks: 1 is best. Ranks are computed each year with competition ranking (1, 2, 2, 4) on the "
        "scores as given, not rounded."
    ) in texts["en"]
    assert (
        "2019–2020: Ranks: 1 is best. No official rule for ties is published; ranks are computed each year "
        "with competition ranking (1, 2, 2, 4) on scores rounded to 2 decimals."
    ) in texts["en"]
    assert (
        "Năm 2018: Thứ hạng: 1 là cao nhất. Thứ hạng của từng năm được tính theo cách xếp đồng hạng "
        "(1, 2, 2, 4) trên điểm số gốc, không làm tròn."
    ) in texts["vi"]
    assert (
        "Cách phân nhóm năm 2018 không được công bố chính thức mà do người phân tích lập tham số báo cáo "
        "suy ra."
    ) in texts["vi"]


# Bands labelled per language: the key in data, the label of the report's language on the page

LABELLED = (
    Band(label={"vi": "Điểm cao", "en": "High scores"}, min=7, key="Điểm cao"),
    Band(label={"vi": "Tương đối thấp", "en": "Fairly low"}, min=5, key="Tương đối thấp"),
    Band(label={"vi": "Thấp", "en": "Low"}, min=0, key="Thấp"),
)


def test_tables_show_each_band_in_the_language_of_the_page():
    base = yearly_year.load(REPORT_SMALL / "params" / "2020.yaml")
    params = base.params.model_copy(update={"bands": LABELLED})
    year = dataclasses.replace(base, params=params, data=dataclasses.replace(base.data, params=params))
    assert set(year.units("province")["band"]) <= {"Điểm cao", "Tương đối thấp", "Thấp"}
    page = {code: html.unescape(text) for code, text in yearly_sections.ranking(year).texts.items()}
    english = {"High scores", "Fairly low", "Low"}
    assert any(f">{label}</td>" in page["en"] for label in english)
    assert not any(f">{key}</td>" in page["en"] for key in ("Điểm cao", "Tương đối thấp", "Thấp"))
    assert any(f">{key}</td>" in page["vi"] for key in ("Điểm cao", "Tương đối thấp", "Thấp"))


def test_the_analysis_ranks_by_the_rule_in_force():
    frame = pd.DataFrame(
        {
            "unit_type": "province",
            "code": ["a", "b", "c", "d"],
            "score": [91.04, 85.004, 84.996, 80.5],
            "rank": pd.array([1, 2, 2, 3], dtype="Int64"),  # official ranks need not skip after a tie
        }
    )
    bands = (Band(label="A", min=90), Band(label="B", min=0))
    ranks = {ties: with_bands(frame, bands, 2, ties)["computed_rank"].tolist() for ties in TIES}
    assert ranks == {"rounded": [1, 2, 2, 4], "unrounded": [1, 2, 3, 4], "official": [1, 2, 2, 3]}
