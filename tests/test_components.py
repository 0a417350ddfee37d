"""Component indices: params, wide and long inputs, and every validation message."""

from __future__ import annotations

import pytest

from parindex.data.ingest import load_year
from parindex.errors import InputError

COMPONENTS = [
    {"code": "appraisal", "name": {"vi": "Điểm thẩm định", "en": "Appraisal points"}, "max": 70},
    {
        "code": "survey",
        "name": {"vi": "Điểm điều tra xã hội học", "en": "Survey points"},
        "max": 25,
        "headers": ["Điều tra"],
    },
    {
        "code": "sipas",
        "name": {"vi": "Chỉ số SIPAS", "en": "SIPAS points"},
        "max": None,
        "note": "maximum not published",
    },
]
PUBLISHED = {"unit_type": "province", "provenance": "published"}


def _load(make_params, *inputs, components=COMPONENTS):
    specs = [{"path": f"components/{name}", **PUBLISHED, **extra} for name, extra in inputs]
    return load_year(make_params(specs, components=components))


def _problems(make_params, *inputs):
    with pytest.raises(InputError) as caught:
        _load(make_params, *inputs)
    return [(p.row, p.column, p.message, p.fix) for p in caught.value.problems]


def test_wide_columns_named_in_either_language_or_by_a_header_become_components(make_params):
    year = _load(make_params, ("wide.csv", {}))
    parts = year.components
    assert len(parts) == 18
    assert list(parts.columns) == ["unit_type", "code", "component", "score", "provenance"]
    hanoi = parts[parts["code"] == "01"].set_index("component")["score"].to_dict()
    assert hanoi == {"appraisal": 58.0, "survey": 19.07, "sipas": 9.0}
    assert set(parts["provenance"]) == {"published"}
    assert list(year.scores.columns).count("appraisal") == 0


def test_a_long_table_gives_the_same_components_as_the_wide_one(make_params):
    wide = _load(make_params, ("wide.csv", {})).components
    long = _load(make_params, ("totals.csv", {}), ("long.csv", {"layout": "long"})).components
    key = ["code", "component"]
    wide = wide[wide["code"] != "31"].sort_values(key).reset_index(drop=True)
    long = long[long["code"] != "31"].sort_values(key).reset_index(drop=True)
    assert wide.equals(long)


def test_components_within_the_printed_rounding_pass(make_params):
    # Hải Phòng: 61.50 + 20.01 + 9.01 = 90.52 against 90.51, within 3 × 0.005 = 0.015.
    year = _load(make_params, ("wide.csv", {}))
    assert year.scores.loc[year.scores["code"] == "31", "score"].item() == 90.51


def test_a_component_above_its_maximum(make_params):
    assert _problems(make_params, ("over_max.csv", {})) == [
        (
            5,
            "Điểm thẩm định",
            "the component 'Appraisal points' is 71, outside 0 to 70 points",
            "correct the value: this component counts from 0 to 70 points",
        )
    ]


def test_components_that_do_not_sum_to_the_score(make_params):
    assert _problems(make_params, ("not_summing.csv", {})) == [
        (
            4,
            "Chỉ số",
            "the 3 components sum to 88.570, but the score is 88.47: they may differ by at most 0.015 (half "
            "a unit of the last decimal per part)",
            "correct the components or the score: the components of a score add up to it",
        ),
        (  # Hà Nam: 55.00 + 18.71 + 9.00 = 82.71, the score written as in the file, with its decimals
            7,
            "Chỉ số",
            "the 3 components sum to 82.710, but the score is 83.00: they may differ by at most 0.015 (half "
            "a unit of the last decimal per part)",
            "correct the components or the score: the components of a score add up to it",
        ),
    ]


def test_a_missing_component_column(make_params):
    assert _problems(make_params, ("missing_column.csv", {})) == [
        (
            1,
            None,
            "no column for the component 'SIPAS points' (sipas), while the file gives other components of "
            "the provinces",
            "add a column named one of 'sipas', 'Chỉ số SIPAS', 'SIPAS points' with each unit's points "
            "(every component of a unit is needed to check that they sum to its score), or remove the "
            "component columns to give the totals only",
        )
    ]


def test_a_misspelt_component_column_is_an_unknown_column_with_the_component_proposed(make_params):
    problems = _problems(make_params, ("misspelt_column.csv", {}))
    assert problems[0][2] == (
        "no column for the component 'Appraisal points' (appraisal), while the file gives other components "
        "of the provinces"
    )
    assert problems[1] == (
        1,
        "Điểm thẩm địn",
        "'Điểm thẩm địn' is not a known column",
        "did you mean 'Điểm thẩm định'? Rename it, or add it to a component's headers in test.yaml",
    )


def test_unknown_components_of_a_long_table(make_params):
    assert _problems(make_params, ("totals.csv", {}), ("long_unknown.csv", {"layout": "long"})) == [
        (
            8,
            "Component",
            "'Cải cách thể chế' is not a component of the provinces this year",
            "write one of the components in params: appraisal (Appraisal points), survey (Survey points), "
            "sipas (SIPAS points)",
        ),
        (
            9,
            "Component",
            "'Survey point' is not a component of the provinces this year",
            "did you mean 'survey'? write one of the components in params: appraisal (Appraisal points), "
            "survey (Survey points), sipas (SIPAS points)",
        ),
    ]


def test_a_file_with_totals_only_gives_no_components(make_params):
    year = _load(make_params, ("totals.csv", {}))
    assert year.components.empty


def test_params_refuse_an_unknown_maximum_without_a_note(make_params):
    components = [{"code": "survey", "name": "Survey", "max": None}]
    with pytest.raises(InputError) as caught:
        _load(make_params, ("totals.csv", {}), components=components)
    (problem,) = caught.value.problems
    assert problem.message == "component survey: max is null (unknown) but no note says why"
    assert problem.fix == "add a note, e.g. note: maximum points not found in a public source"


def test_params_refuse_a_repeated_or_reserved_code(make_params):
    components = [{"code": "score", "name": "A", "max": 5}, {"code": "a", "name": "A", "max": 5}] + [
        {"code": "a", "name": "B", "max": 5}
    ]
    with pytest.raises(InputError) as caught:
        _load(make_params, ("totals.csv", {}), components=components)
    messages = [p.message for p in caught.value.problems]
    assert any("component code 'score' must be lowercase" in m for m in messages)
