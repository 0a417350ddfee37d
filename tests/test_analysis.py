"""Tests of parindex.analysis; every expected value below was worked out by hand."""

import math

import pandas as pd
import pytest

from parindex.analysis import (
    band_counts,
    band_labels,
    band_of,
    change_summary,
    compare,
    describe,
    metric_value,
    reconcile,
    round_half_up,
    with_bands,
)
from parindex.data.params import Band
from parindex.data.ranking import competition_rank

BANDS_2018 = (
    Band(label="A", min=80),
    Band(label="B", min=75),
    Band(label="C", min=70),
    Band(label="D", min=0),
)
BANDS_2020 = (Band(label="A", min=90), Band(label="B", min=80), Band(label="C", min=70))


def frame(rows, unit_type="province"):
    """A `scores` frame from (code, name, region, score[, provenance]) tuples."""
    records = []
    for row in rows:
        code, name, region, score, *rest = row
        records.append(
            {
                "unit_type": unit_type,
                "code": code,
                "name": name,
                "short_name": name,
                "name_en": name,
                "region": region,
                "score": score,
                "rank": pd.NA,
                "provenance": rest[0] if rest else "published",
            }
        )
    out = pd.DataFrame(records)
    out["rank"] = out["rank"].astype("Int64")
    return out


# Six provinces, worked on paper:
#   sum = 91.04 + 88.93 + 80.00 + 79.96 + 75.25 + 67.25 = 482.43, mean = 80.405 -> 80.41 (half-up)
#   sorted: 67.25 75.25 79.96 80.00 88.93 91.04 -> median (79.96 + 80.00) / 2 = 79.98
#   RRD: (91.04 + 88.93) / 2 = 89.985 -> 89.99; NCC: (80.00 + 79.96) / 2 = 79.98
CURRENT = frame(
    [
        ("01", "Hà Nội", "RRD", 91.04),
        ("22", "Quảng Ninh", "RRD", 88.93),
        ("46", "Thừa Thiên Huế", "NCC", 80.00),
        ("48", "Đà Nẵng", "NCC", 79.96),
        ("89", "An Giang", "MD", 75.25),
        ("74", "Bình Dương", "SE", 67.25, "simulated"),
    ]
)
# The previous year: Bình Dương (74) was not ranked, Kon Tum (62) was and is not any more.
#   changes: 01 +1.04, 22 0.00, 46 +0.50, 48 -0.14, 89 -5.05
PREVIOUS = frame(
    [
        ("01", "Hà Nội", "RRD", 90.00),
        ("22", "Quảng Ninh", "RRD", 88.93),
        ("46", "Thừa Thiên Huế", "NCC", 79.50),
        ("48", "Đà Nẵng", "NCC", 80.10),
        ("89", "An Giang", "MD", 80.30),
        ("62", "Kon Tum", "CH", 70.00),
    ]
)


def test_competition_rank_gives_tied_units_the_same_rank_and_skips_the_next():
    ranks = competition_rank(pd.Series([90.00, 85.50, 85.50, 80.00]), 2)
    assert list(ranks) == [1, 2, 2, 4]


def test_ties_are_judged_on_scores_rounded_to_the_published_decimals():
    scores = frame([("a", "a", "RRD", 90.0), ("b", "b", "RRD", 85.504), ("c", "c", "RRD", 85.499)])
    assert list(with_bands(scores, BANDS_2020, 2)["computed_rank"]) == [1, 2, 2]
    assert list(with_bands(scores, BANDS_2020, 3)["computed_rank"]) == [1, 2, 3]


def test_with_bands_ranks_each_unit_type_apart_and_leaves_its_argument_alone():
    provinces = frame([("01", "Hà Nội", "RRD", 85.0), ("22", "Quảng Ninh", "RRD", 91.0)])
    ministries = frame([("MOJ", "Bộ Tư pháp", None, 88.0)], unit_type="ministry")
    both = pd.concat([provinces, ministries], ignore_index=True)
    before = both.copy()
    out = with_bands(both, BANDS_2020, 2)
    assert list(out["computed_rank"]) == [2, 1, 1]
    assert list(out["band"]) == ["B", "A", "B"]
    pd.testing.assert_frame_equal(both, before)


def test_four_band_year_has_no_catch_all_when_the_lowest_band_starts_at_zero():
    scores = frame(
        [("1", "a", "RRD", 85.0), ("2", "b", "RRD", 77.0), ("3", "c", "RRD", 72.0), ("4", "d", "RRD", 50.0)]
    )
    counts = band_counts(with_bands(scores, BANDS_2018, 2), BANDS_2018)
    assert list(counts["band"]) == ["A", "B", "C", "D"]
    assert list(counts["count"]) == [1, 1, 1, 1]
    assert list(counts["lower"]) == [80, 75, 70, 0]
    assert counts["upper"].tolist()[1:] == [80, 75, 70]
    assert math.isnan(counts["upper"].iloc[0])


def test_three_band_year_lists_empty_bands_and_the_catch_all_only_when_used():
    counts = band_counts(with_bands(CURRENT, BANDS_2020, 2), BANDS_2020)
    assert list(counts["band"]) == ["A", "B", "C", "< 70"]
    assert list(counts["count"]) == [1, 2, 2, 1]
    above = band_counts(with_bands(CURRENT.iloc[:5], BANDS_2020, 2), BANDS_2020)
    assert list(above["band"]) == ["A", "B", "C"]
    assert list(above["count"]) == [1, 2, 2]
    none_at_top = band_counts(with_bands(CURRENT.iloc[1:5], BANDS_2020, 2), BANDS_2020)
    assert list(none_at_top["count"]) == [0, 2, 2]


def test_band_is_judged_on_the_published_rounding():
    scores = frame([("1", "a", "RRD", 79.995), ("2", "b", "RRD", 79.994), ("3", "c", "RRD", 69.99)])
    assert list(with_bands(scores, BANDS_2020, 2)["band"]) == ["B", "C", "< 70"]
    assert band_of(69.99, BANDS_2020) == "< 70"
    assert band_labels(BANDS_2020) == ["A", "B", "C", "< 70"]


def test_round_half_up_rounds_the_number_as_written():
    assert round_half_up(80.405, 2) == 80.41
    assert round_half_up(89.985, 2) == 89.99
    assert round_half_up(2.675, 2) == 2.68
    assert round_half_up(-0.125, 2) == -0.13


def test_describe_overall_uses_the_sample_standard_deviation():
    scores = frame(
        [("1", "a", "RRD", 90.0), ("2", "b", "RRD", 85.5), ("3", "c", "RRD", 85.5), ("4", "d", "RRD", 80.0)]
    )
    row = describe(scores).iloc[0]
    # deviations from 85.25: 4.75 0.25 0.25 -5.25; squares sum to 50.25; / (4 - 1) = 16.75
    assert row["count"] == 4
    assert row["mean"] == pytest.approx(85.25)
    assert row["median"] == pytest.approx(85.5)
    assert row["std"] == pytest.approx(16.75**0.5)
    assert (row["min"], row["max"]) == (80.0, 90.0)


def test_describe_by_region_gives_each_region_mean_in_the_order_asked():
    table = describe(CURRENT, by="region", order=["NMM", "RRD", "NCC", "CH", "SE", "MD"])
    assert list(table["region"]) == ["NMM", "RRD", "NCC", "CH", "SE", "MD"]
    assert list(table["count"]) == [0, 2, 2, 0, 1, 1]
    assert table["mean"].tolist()[1:3] == pytest.approx([89.985, 79.98])
    assert table["mean"].tolist()[4:] == pytest.approx([67.25, 75.25])
    assert math.isnan(table["mean"].iloc[0])
    assert math.isnan(table["std"].iloc[4])


def test_describe_by_band_follows_band_order():
    table = describe(with_bands(CURRENT, BANDS_2020, 2), by="band", order=band_labels(BANDS_2020))
    assert list(table["band"]) == ["A", "B", "C", "< 70"]
    assert list(table["count"]) == [1, 2, 2, 1]
    assert table["mean"].iloc[1] == pytest.approx((88.93 + 80.00) / 2)


def test_aggregates_refuse_a_frame_mixing_unit_types():
    ministries = frame([("MOJ", "Bộ Tư pháp", None, 88.0)], unit_type="ministry")
    mixed = pd.concat([CURRENT, ministries], ignore_index=True)
    with pytest.raises(ValueError) as error:
        describe(mixed)
    assert str(error.value) == (
        "describe needs scores of one unit type, got ministry, province; "
        "select one first, e.g. scores[scores.unit_type == 'province']"
    )
    assert list(describe(mixed, by="unit_type")["count"]) == [1, 6]


def compared(bands_previous=BANDS_2018):
    return compare(CURRENT, PREVIOUS, BANDS_2020, bands_previous, 2).set_index("code")


def test_compare_has_one_row_per_unit_of_either_year():
    table = compare(CURRENT, PREVIOUS, BANDS_2020, BANDS_2018, 2)
    assert list(table["code"]) == ["01", "22", "46", "48", "89", "74", "62"]
    assert list(table["status"]) == ["both"] * 5 + ["new", "absent"]
    assert list(table.columns) == [
        "unit_type",
        "code",
        "name",
        "short_name",
        "name_en",
        "region",
        "provenance",
        "score_previous",
        "score_current",
        "score_change",
        "rank_previous",
        "rank_current",
        "rank_change",
        "band_previous",
        "band_current",
        "band_move",
        "status",
    ]


def test_compare_score_and_rank_changes():
    table = compared()
    assert table.loc[["01", "22", "46", "48", "89"], "score_change"].tolist() == [
        1.04,
        0.0,
        0.5,
        -0.14,
        -5.05,
    ]
    # previous ranks: 90.00 1, 88.93 2, 80.30 3, 80.10 4, 79.50 5, 70.00 6; current: 1 2 3 4 5 6 in order
    assert table.loc[["01", "22", "46", "48", "89"], "rank_change"].tolist() == [0, 0, 2, 0, -2]
    assert pd.isna(table.loc["74", "rank_change"]) and pd.isna(table.loc["62", "rank_current"])
    assert table.loc["62", "rank_previous"] == 6
    assert table.loc["62", "name"] == "Kon Tum"
    assert math.isnan(table.loc["74", "score_change"])
    assert table.loc["74", "provenance"] == "simulated"


def test_band_move_across_years_with_different_bands_uses_this_years_thresholds():
    table = compared(BANDS_2018)
    assert table.loc[["01", "22", "46", "48", "89"], "band_previous"].tolist() == ["A", "A", "B", "A", "A"]
    assert table.loc[["01", "22", "46", "48", "89"], "band_current"].tolist() == ["A", "B", "B", "C", "C"]
    # previous scores placed in 2020's bands: 90.00 A, 88.93 B, 79.50 C, 80.10 B, 80.30 B
    assert table.loc[["01", "22", "46", "48", "89"], "band_move"].tolist() == [
        "same",
        "same",
        "up",
        "down",
        "down",
    ]
    assert table.loc["62", "band_previous"] == "C"
    assert pd.isna(table.loc["62", "band_move"]) and pd.isna(table.loc["74", "band_move"])
    assert table.loc["74", "band_current"] == "< 70"


def test_band_move_with_the_same_labels_compares_positions():
    shifted = (Band(label="A", min=85), Band(label="B", min=80), Band(label="C", min=70))
    table = compared(shifted)
    # previous bands: 90.00 A, 88.93 A, 79.50 C, 80.10 B, 80.30 B
    assert table.loc[["01", "22", "46", "48", "89"], "band_move"].tolist() == [
        "same",
        "down",
        "up",
        "down",
        "down",
    ]


def test_compare_leaves_its_arguments_alone():
    before_current, before_previous = CURRENT.copy(), PREVIOUS.copy()
    compare(CURRENT, PREVIOUS, BANDS_2020, BANDS_2018, 2)
    pd.testing.assert_frame_equal(CURRENT, before_current)
    pd.testing.assert_frame_equal(PREVIOUS, before_previous)


def test_change_summary_counts_and_extremes():
    summary = change_summary(compare(CURRENT, PREVIOUS, BANDS_2020, BANDS_2018, 2), k=1)
    assert (summary.improved, summary.declined, summary.unchanged) == (2, 2, 1)
    assert (summary.new, summary.absent) == (1, 1)
    assert list(summary.risers["code"]) == ["01"]
    assert list(summary.fallers["code"]) == ["89"]
    wider = change_summary(compare(CURRENT, PREVIOUS, BANDS_2020, BANDS_2018, 2), k=5)
    assert list(wider.risers["code"]) == ["01", "46"]
    assert list(wider.fallers["code"]) == ["89", "48"]


PUBLISHED = pd.DataFrame(
    {
        "metric": ["mean", "mean", "mean", "mean", "n_units", "count_ge_80", "count_lt_70", "median"],
        "value": [83.72, 83.72, 83.72, 83.72, 63, 58, 0, 84.0],
        "source_url": ["https://example.org/a"] * 8,
    }
)


def test_reconcile_matches_within_the_tolerance_edge_and_counts_exactly():
    computed = [83.725, 83.715, 83.7251, 83.7149, 63, 57, 0.0, None]
    table = pd.concat(
        [
            reconcile({m: v}, PUBLISHED.iloc[[i]])
            for i, (m, v) in enumerate(zip(PUBLISHED["metric"], computed, strict=True))
        ],
        ignore_index=True,
    )
    assert list(table["status"]) == [
        "match",
        "match",
        "MISMATCH",
        "MISMATCH",
        "match",
        "MISMATCH",
        "match",
        "not computed",
    ]
    assert table["difference"].tolist()[:2] == [0.005, -0.005]
    assert table["difference"].iloc[5] == -1
    assert list(table.columns) == ["metric", "published", "computed", "difference", "status", "source_url"]


def test_reconcile_a_count_differing_by_a_fraction_is_a_mismatch():
    published = pd.DataFrame({"metric": ["count_80_90"], "value": [56], "source_url": ["u"]})
    assert reconcile({"count_80_90": 56.004}, published)["status"].iloc[0] == "MISMATCH"
    assert reconcile({}, published)["status"].iloc[0] == "not computed"


def test_reconcile_widens_the_tolerance_to_the_printed_precision():
    published = pd.DataFrame(
        {
            "metric": ["mean", "mean", "mean", "count_ge_80"],
            "value": [83.7, 83.7, 83.72, 58],
            "source_url": ["u"] * 4,
            "precision": pd.array([1, 1, 2, None], dtype="Int64"),
        }
    )
    computed = [83.75, 83.76, 83.726, 58]
    statuses = [
        reconcile({"mean": v, "count_ge_80": v}, published.iloc[[i]])["status"].iloc[0]
        for i, v in enumerate(computed)
    ]
    assert statuses == ["match", "MISMATCH", "MISMATCH", "match"]


def test_reconcile_keeps_further_published_columns():
    published = PUBLISHED.iloc[[4]].assign(year=2020)
    table = reconcile({"n_units": 63}, published)
    assert list(table.columns) == [
        "metric",
        "published",
        "computed",
        "difference",
        "status",
        "source_url",
        "year",
    ]
    assert table["year"].iloc[0] == 2020


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        ("n_units", 6),
        ("mean", 80.41),
        ("median", 79.98),
        ("min", 67.25),
        ("max", 91.04),
        ("max_min_gap", 23.79),
        ("count_ge_80", 3),
        ("count_ge_90", 1),
        ("count_ge_67.68", 5),
        ("count_lt_80", 3),
        ("count_lt_70", 1),
        ("count_80_90", 2),
        ("count_90_100", 1),
        ("count_67.25_75.25", 1),
        ("count_above_mean", 2),
        ("count_increased", 2),
        ("count_decreased", 2),
        ("count_unchanged", 1),
        ("max_increase", 1.04),
        ("min_increase", 0.5),
        ("max_decrease", 5.05),
        ("min_decrease", 0.14),
        ("mean_region_RRD", 89.99),
        ("mean_region_NCC", 79.98),
        ("mean_region_MD", 75.25),
        ("mean_region_SE", 67.25),
        ("mean_region_NMM", None),
        ("mean_region_CH", None),
    ],
)
def test_metric_value_on_six_provinces(metric, expected):
    assert metric_value(metric, CURRENT, PREVIOUS) == expected


def test_counts_are_whole_numbers():
    assert isinstance(metric_value("count_ge_80", CURRENT), int)


@pytest.mark.parametrize("metric", ["count_increased", "max_increase", "min_decrease", "count_unchanged"])
def test_change_metrics_need_a_previous_year(metric):
    assert metric_value(metric, CURRENT, None) is None


def test_increase_metrics_without_any_increase_are_not_computed():
    assert metric_value("max_increase", PREVIOUS, CURRENT) == 5.05
    falling = CURRENT.assign(score=CURRENT["score"] - 10)
    assert metric_value("max_increase", falling, CURRENT) is None
    assert metric_value("count_increased", falling, CURRENT) == 0


def test_an_unknown_metric_is_named_in_the_error():
    with pytest.raises(ValueError) as error:
        metric_value("count_above_median", CURRENT)
    assert str(error.value) == (
        "unknown metric 'count_above_median': not in the vocabulary of data/published/aggregates.csv"
    )


def test_metric_value_refuses_mixed_unit_types():
    ministries = frame([("MOJ", "Bộ Tư pháp", None, 88.0)], unit_type="ministry")
    with pytest.raises(
        ValueError, match="^metric_value needs scores of one unit type, got ministry, province;"
    ):
        metric_value("mean", pd.concat([CURRENT, ministries]))
