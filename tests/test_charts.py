"""Tests of parindex.charts: what each figure holds, that it draws, and the words describing it."""

import gc
import io
import re
import weakref

import matplotlib as mpl
import matplotlib.text
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from parindex.analysis import compare, with_bands
from parindex.data.params import Band
from parindex.i18n import lang
from parindex.reports import style
from parindex.reports.yearly import charts as yearly_charts

BANDS_2018 = (
    Band(label="A", min=80),
    Band(label="B", min=75),
    Band(label="C", min=70),
    Band(label="D", min=0),
)
BANDS_2020 = (Band(label="A", min=90), Band(label="B", min=80), Band(label="C", min=70))
SOURCE = "Source: test panel."
EN, VI = lang("en"), lang("vi")
REGIONS = {
    "NMM": "Trung du và miền núi phía Bắc",
    "RRD": "Đồng bằng sông Hồng",
    "NCC": "Bắc Trung Bộ và duyên hải miền Trung",
    "CH": "Tây Nguyên",
    "SE": "Đông Nam Bộ",
    "MD": "Đồng bằng sông Cửu Long",
}


def frame(rows, unit_type="province"):
    """A `scores` frame from (code, name, region, score[, provenance]) tuples."""
    out = pd.DataFrame(
        [
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
            for code, name, region, score, *rest in rows
        ]
    )
    out["rank"] = out["rank"].astype("Int64")
    return out


# mean 482.43 / 6 = 80.405 -> 80.41; regions RRD 89.985 -> 89.99, NCC 79.98, MD 75.25, SE 67.25
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
# changes: 01 +1.04, 22 0.00 (previous value simulated), 46 +0.50, 48 -0.14, 89 -5.05; 74 new, 62 absent
PREVIOUS = frame(
    [
        ("01", "Hà Nội", "RRD", 90.00),
        ("22", "Quảng Ninh", "RRD", 88.93, "simulated"),
        ("46", "Thừa Thiên Huế", "NCC", 79.50),
        ("48", "Đà Nẵng", "NCC", 80.10),
        ("89", "An Giang", "MD", 80.30),
        ("62", "Kon Tum", "CH", 70.00),
    ]
)
# SIPAS = 150 - PAR INDEX: a perfect negative line, r = -1
SIPAS = CURRENT.assign(score=[58.96, 61.07, 70.00, 70.04, 74.75, 82.75], provenance="published")
MINISTRIES = frame(
    [
        ("SBV", "Ngân hàng Nhà nước Việt Nam", None, 91.20),
        ("MOJ", "Bộ Tư pháp", None, 90.05),
        ("MOLISA", "Bộ Lao động - Thương binh và Xã hội", None, 84.10, "simulated"),
    ],
    unit_type="ministry",
)


def ticks(ax):
    return [t.get_text() for t in ax.get_yticklabels()]


def hatched(patches):
    return [p.get_hatch() == "////" for p in patches]


def check_frame(figure, title, xlabel, ylabel, tmp_path):
    assert isinstance(figure, Figure)
    assert figure.get_suptitle() == title
    ax = figure.axes[0]
    assert ax.get_xlabel() == xlabel
    assert ax.get_ylabel() == ylabel
    assert SOURCE in [t.get_text() for t in figure.texts]
    path = tmp_path / "chart.png"
    path.write_bytes(style.render(figure, "png"))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return ax


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_ranked_units(tmp_path):
    scored = with_bands(CURRENT, BANDS_2020, 2)
    figure = yearly_charts.ranked_units(scored, BANDS_2020, 80.41, "PAR INDEX 2020", SOURCE, EN)
    ax = check_frame(figure, "PAR INDEX 2020", "Score", "Province (rank order)", tmp_path)
    assert len(ax.patches) == 6
    assert ticks(ax) == ["Hà Nội", "Quảng Ninh", "Thừa Thiên Huế", "Đà Nẵng", "An Giang", "Bình Dương"]
    assert hatched(ax.patches) == [False] * 5 + [True]
    assert [p.get_width() for p in ax.patches] == [91.04, 88.93, 80.00, 79.96, 75.25, 67.25]
    assert legend_texts(ax) == [
        "A (≥ 90)",
        "B (80–<90)",
        "C (70–<80)",
        "< 70",
        "band threshold",
        "mean 80.41",
        "simulated (demonstration)",
    ]
    values = [t.get_text() for t in ax.texts]
    assert values == ["91.04", "88.93", "80.00", "79.96", "75.25", "67.25"]
    titles = re.findall(r"<title>(.*?)</title>", style.render(figure, "svg").decode("utf-8"))
    assert (
        len(titles) == 6 and titles[0] == "Hà Nội: 91.04 (A)" and titles[-1] == "Bình Dương: 67.25† (&lt; 70)"
    )


def test_bands_keep_their_colour_by_position():
    scored = with_bands(CURRENT, BANDS_2020, 2)
    figure = yearly_charts.ranked_units(scored, BANDS_2020, 80.41, "t", SOURCE, EN)
    colours = [p.get_facecolor()[:3] for p in figure.axes[0].patches]
    assert colours[0] == pytest.approx((0 / 255, 114 / 255, 178 / 255))  # A: Okabe-Ito blue
    assert colours[1] == pytest.approx((86 / 255, 180 / 255, 233 / 255))  # B: sky blue
    assert style.band_colour("A", BANDS_2018) == style.band_colour("A", BANDS_2020) == "#0072B2"
    assert style.band_colour("< 70", BANDS_2020) == style.band_colour("D", BANDS_2018)


def test_ranked_units_fills_an_a4_page_for_63_provinces():
    many = frame([(f"{i:02d}", f"Tỉnh {i}", "RRD", 70 + i * 0.3) for i in range(63)])
    figure = yearly_charts.ranked_units(with_bands(many, BANDS_2020, 2), BANDS_2020, 80.0, "t", SOURCE, EN)
    assert tuple(figure.get_size_inches()) == (7.5, 9.0)  # 1.9 + 0.13 x 63 = 10.09, capped at 9 in
    assert len(figure.axes[0].patches) == 63


def test_ministries_ranked_uses_full_names(tmp_path):
    scored = with_bands(MINISTRIES, BANDS_2020, 2)
    figure = yearly_charts.ministries_ranked(scored, BANDS_2020, 88.45, "Ministries 2020", SOURCE, EN)
    ax = check_frame(figure, "Ministries 2020", "Score", "Ministry or agency (rank order)", tmp_path)
    assert ticks(ax) == ["Ngân hàng Nhà nước Việt Nam", "Bộ Tư pháp", "Bộ Lao động - Thương binh và Xã hội"]
    assert hatched(ax.patches) == [False, False, True]


def test_distribution(tmp_path):
    figure = yearly_charts.distribution(CURRENT, BANDS_2020, "Distribution", SOURCE, EN)
    ax = check_frame(figure, "Distribution", "Score", "Number of provinces", tmp_path)
    published, simulated = ax.containers
    # one-point bins from 67 to 92: 25 bins
    assert len(published) == len(simulated) == 25
    assert [p.get_x() for p in published if p.get_height() > 0] == [75, 79, 80, 88, 91]
    assert [(p.get_x(), p.get_height()) for p in simulated if p.get_height() > 0] == [(67, 1)]
    assert all(hatched(simulated)) and not any(hatched(published))
    assert [t.get_text() for t in ax.texts] == ["A ≥ 90", "B 80–<90", "C 70–<80"]
    assert "simulated (demonstration)" in legend_texts(ax)


def test_distribution_without_simulated_values_has_no_simulated_bars():
    figure = yearly_charts.distribution(CURRENT.iloc[:5], BANDS_2020, "Distribution", SOURCE, EN)
    ax = figure.axes[0]
    assert len(ax.containers) == 1
    assert "simulated (demonstration)" not in legend_texts(ax)


def test_change(tmp_path):
    compared = compare(CURRENT, PREVIOUS, BANDS_2020, BANDS_2018, 2)
    figure = yearly_charts.change(
        compared, "Change", SOURCE, EN, previous_label="2019", current_label="2020", score_label="Score (%)"
    )
    ax = check_frame(figure, "Change", "Score (%)", "Province (largest rise first)", tmp_path)
    current = [line for line in ax.lines if line.get_gid() == "current"]
    assert len(current) == 5
    assert ticks(ax) == ["Hà Nội", "Thừa Thiên Huế", "Quảng Ninh", "Đà Nẵng", "An Giang"]
    assert [t.get_text() for t in ax.texts] == ["+1.04", "+0.50", "0.00", "−0.14", "−5.05"]
    hollow = [line.get_markerfacecolor() == "white" for line in current]
    assert hollow == [False, False, True, False, False]
    titles = re.findall(r"<title>(.*?)</title>", style.render(figure, "svg").decode("utf-8"))
    assert len(titles) == 15  # the line and both dots of each province
    assert titles[:3] == ["Hà Nội: 2019 90.00 → 2020 91.04 (+1.04)"] * 3
    assert legend_texts(ax) == [
        "2019",
        "2020, score rose",
        "2020, score fell",
        "2020, unchanged",
        "simulated (demonstration)",
    ]


def test_change_top_keeps_the_largest_moves():
    compared = compare(CURRENT, PREVIOUS, BANDS_2020, BANDS_2018, 2)
    figure = yearly_charts.change(
        compared, "t", SOURCE, EN, previous_label="2019", current_label="2020", top=2
    )
    assert ticks(figure.axes[0]) == ["Hà Nội", "An Giang"]


def test_regional_means(tmp_path):
    figure = yearly_charts.regional_means(CURRENT, REGIONS, "Regions", SOURCE, EN)
    ax = check_frame(figure, "Regions", "Mean score; axis starts at 63", "Socio-economic region", tmp_path)
    assert len(ax.patches) == 0  # dots, not bars: the axis starts near the means, not at 0
    assert ax.get_xlim() == (63, 94)
    assert ticks(ax) == [
        "Đồng bằng sông Hồng",
        "Bắc Trung Bộ và duyên\nhải miền Trung",
        "Đồng bằng sông Cửu Long",
        "Đông Nam Bộ",
    ]
    dots = [line for line in ax.lines if line.get_gid() == "region"]
    assert [list(line.get_xdata()) for line in dots] == [[89.99], [79.98], [75.25], [67.25]]
    assert [line.get_markerfacecolor() for line in dots][2:] == ["#0072B2", "white"]  # simulated: hollow
    titles = re.findall(r"<title>(.*?)</title>", style.render(figure, "svg").decode("utf-8"))
    assert titles == [
        "Đồng bằng sông Hồng: 89.99  (n = 2)",
        "Bắc Trung Bộ và duyên hải miền Trung: 79.98  (n = 2)",
        "Đồng bằng sông Cửu Long: 75.25  (n = 1)",
        "Đông Nam Bộ: 67.25†  (n = 1)",
    ]
    assert [t.get_text() for t in ax.texts] == [
        "89.99  (n = 2)",
        "79.98  (n = 2)",
        "75.25  (n = 1)",
        "67.25  (n = 1)",
    ]
    assert legend_texts(ax) == ["national mean 80.41", "simulated (demonstration)"]


def test_companion_vs_index(tmp_path):
    figure = yearly_charts.companion_vs_index(
        CURRENT,
        SIPAS,
        "SIPAS against PAR INDEX",
        SOURCE,
        EN,
        index_label="PAR INDEX (%)",
        companion_label="SIPAS (%)",
        extremes=1,
    )
    ax = check_frame(figure, "SIPAS against PAR INDEX", "PAR INDEX (%)", "SIPAS (%)", tmp_path)
    published, simulated = ax.collections
    assert len(published.get_offsets()) == 5 and len(simulated.get_offsets()) == 1
    assert tuple(simulated.get_offsets()[0]) == (67.25, 82.75)
    assert sorted(t.get_text() for t in ax.texts) == ["Bình Dương", "Hà Nội"]
    assert legend_texts(ax) == ["province", "least-squares line (r = −1.00)", "simulated (demonstration)"]


def test_render_is_identical_from_one_call_to_the_next():
    for fmt in ("svg", "pdf", "png"):
        first = style.render(yearly_charts.distribution(CURRENT, BANDS_2020, "t", SOURCE, EN), fmt)
        second = style.render(yearly_charts.distribution(CURRENT, BANDS_2020, "t", SOURCE, EN), fmt)
        assert first == second, fmt


def test_a_long_title_and_source_are_wrapped_to_the_page():
    title = (
        "PAR INDEX 2020 of the 63 provinces and centrally-run cities, ranked from the highest to the lowest"
    )
    figure = yearly_charts.distribution(CURRENT, BANDS_2020, title, "word " * 60, EN)
    assert "\n" in figure.get_suptitle()
    assert figure.get_suptitle().replace("\n", " ") == title


def test_alt_text_ranked_units():
    assert yearly_charts.alt_text("ranked_units", CURRENT, "PAR INDEX 2020", EN) == (
        "Bar chart of 6 provinces ranked by PAR INDEX 2020; highest Hà Nội 91.04, lowest Bình Dương 67.25, "
        "mean 80.41."
    )


def test_alt_text_ministries_ranked():
    assert yearly_charts.alt_text("ministries_ranked", MINISTRIES, "PAR INDEX 2020", EN) == (
        "Bar chart of 3 ministries and ministerial-level agencies ranked by PAR INDEX 2020; "
        "highest Ngân hàng Nhà nước Việt Nam 91.20, "
        "lowest Bộ Lao động - Thương binh và Xã hội 84.10, mean 88.45."
    )


def test_alt_text_names_every_unit_tied_at_the_top():
    tied = CURRENT.assign(score=[91.04, 91.04, 80.00, 79.96, 75.25, 67.25])
    text = yearly_charts.alt_text("ranked_units", tied, "PAR INDEX 2020", EN)
    assert "highest Hà Nội and Quảng Ninh 91.04," in text


def test_alt_text_distribution():
    assert yearly_charts.alt_text("distribution", CURRENT, "PAR INDEX 2020", EN, bands=BANDS_2020) == (
        "Histogram of PAR INDEX 2020 for 6 provinces; units per band: A (≥ 90): 1, B (80–<90): 2, "
        "C (70–<80): 2 and < 70: 1."
    )


def test_alt_text_change():
    compared = compare(CURRENT, PREVIOUS, BANDS_2020, BANDS_2018, 2)
    text = yearly_charts.alt_text(
        "change", compared, "PAR INDEX", EN, previous_label="2019", current_label="2020"
    )
    assert text == (
        "Dumbbell chart of PAR INDEX for 5 provinces from 2019 to 2020; 2 improved, 2 declined, 1 unchanged; "
        "largest rise Hà Nội +1.04, largest fall An Giang −5.05."
    )


def test_alt_text_regional_means():
    assert yearly_charts.alt_text("regional_means", CURRENT, "PAR INDEX 2020", EN, regions=REGIONS) == (
        "Dot plot of the mean PAR INDEX 2020 of 4 regions; highest Đồng bằng sông Hồng 89.99, "
        "lowest Đông Nam Bộ 67.25, national mean 80.41."
    )


def test_alt_text_companion_vs_index():
    alt = yearly_charts.alt_text(
        "companion_vs_index", CURRENT, "PAR INDEX 2020", EN, companion=SIPAS, companion_name="SIPAS"
    )
    assert alt == (
        "Scatter plot of SIPAS against PAR INDEX 2020 for 6 provinces, correlation r = −1.00; "
        "highest SIPAS Bình Dương 82.75, lowest Hà Nội 58.96."
    )


def test_alt_text_unknown_kind():
    with pytest.raises(ValueError) as error:
        yearly_charts.alt_text("pie", CURRENT, "PAR INDEX 2020", EN)
    assert str(error.value) == (
        "unknown chart kind 'pie': use ranked_units, ministries_ranked, distribution, change, "
        "regional_means, companion_vs_index"
    )


def test_alt_text_missing_keyword():
    with pytest.raises(ValueError) as error:
        yearly_charts.alt_text("distribution", CURRENT, "PAR INDEX 2020", EN)
    assert str(error.value) == "alt_text('distribution') needs the keyword bands"


def test_chart_functions_leave_the_global_style_alone():
    import matplotlib as mpl

    before = dict(mpl.rcParams)
    yearly_charts.ranked_units(with_bands(CURRENT, BANDS_2020, 2), BANDS_2020, 80.41, "t", SOURCE, VI)
    assert dict(mpl.rcParams) == before


# In Vietnamese: the catalog's words, numbers with a decimal comma and the minus sign


def all_texts(figure):
    """Every text of a drawn figure: title, labels, ticks, legend, annotations, source line."""
    style.render(figure, "png")  # draws, so tick labels are written
    ax = figure.axes[0]
    return [
        figure.get_suptitle(),
        ax.get_xlabel(),
        ax.get_ylabel(),
        *[t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()],
        *legend_texts(ax),
        *[t.get_text() for t in ax.texts],
        *[t.get_text() for t in figure.texts],
    ]


def no_decimal_point(texts):
    return not [t for t in texts if re.search(r"\d\.\d", t)]


def test_ranked_units_in_vietnamese(tmp_path):
    scored = with_bands(CURRENT, BANDS_2020, 2)
    title = "PAR INDEX năm 2020: xếp hạng các tỉnh, thành phố"
    figure = yearly_charts.ranked_units(scored, BANDS_2020, 80.41, title, SOURCE, VI)
    ax = check_frame(figure, title, "Điểm", "Tỉnh, thành phố (theo thứ hạng)", tmp_path)
    assert [t.get_text() for t in ax.texts] == ["91,04", "88,93", "80,00", "79,96", "75,25", "67,25"]
    assert legend_texts(ax) == [
        "A (≥ 90)",
        "B (80–<90)",
        "C (70–<80)",
        "< 70",
        "ngưỡng phân nhóm",
        "trung bình 80,41",
        "mô phỏng (dữ liệu minh họa)",
    ]
    assert no_decimal_point(all_texts(figure))


def test_change_in_vietnamese(tmp_path):
    compared = compare(CURRENT, PREVIOUS, BANDS_2020, BANDS_2018, 2)
    figure = yearly_charts.change(
        compared, "Thay đổi", SOURCE, VI, previous_label="2019", current_label="2020"
    )
    ax = check_frame(figure, "Thay đổi", "Điểm", "Tỉnh, thành phố (tăng nhiều nhất ở trên cùng)", tmp_path)
    assert [t.get_text() for t in ax.texts] == ["+1,04", "+0,50", "0,00", "−0,14", "−5,05"]
    assert legend_texts(ax) == [
        "2019",
        "2020: tăng điểm",
        "2020: giảm điểm",
        "2020: giữ nguyên",
        "mô phỏng (dữ liệu minh họa)",
    ]
    assert no_decimal_point(all_texts(figure))


def test_distribution_in_vietnamese(tmp_path):
    figure = yearly_charts.distribution(CURRENT, BANDS_2020, "Phân bố", SOURCE, VI)
    ax = check_frame(figure, "Phân bố", "Điểm", "Số tỉnh, thành phố", tmp_path)
    assert [t.get_text() for t in ax.texts] == ["A ≥ 90", "B 80–<90", "C 70–<80"]
    assert "mô phỏng (dữ liệu minh họa)" in legend_texts(ax)


def test_regional_means_in_vietnamese(tmp_path):
    figure = yearly_charts.regional_means(CURRENT, REGIONS, "Vùng", SOURCE, VI)
    ax = check_frame(figure, "Vùng", "Điểm trung bình; trục bắt đầu từ 63", "Vùng kinh tế - xã hội", tmp_path)
    assert [t.get_text() for t in ax.texts] == [
        "89,99  (n = 2)",
        "79,98  (n = 2)",
        "75,25  (n = 1)",
        "67,25  (n = 1)",
    ]
    assert legend_texts(ax) == ["trung bình cả nước 80,41", "mô phỏng (dữ liệu minh họa)"]


def test_companion_vs_index_in_vietnamese(tmp_path):
    figure = yearly_charts.companion_vs_index(
        CURRENT,
        SIPAS,
        "SIPAS",
        SOURCE,
        VI,
        index_label="PAR INDEX (%)",
        companion_label="SIPAS (%)",
        extremes=1,
    )
    ax = check_frame(figure, "SIPAS", "PAR INDEX (%)", "SIPAS (%)", tmp_path)
    assert legend_texts(ax) == [
        "tỉnh, thành phố",
        "đường hồi quy tuyến tính (r = −1,00)",
        "mô phỏng (dữ liệu minh họa)",
    ]
    assert no_decimal_point(all_texts(figure))


def test_tick_labels_have_the_decimals_the_ticks_need():
    figure = Figure(figsize=(6, 3))
    ax = figure.add_subplot()
    ax.set_xlim(0, 1)
    ax.set_ylim(-20, 20)
    yearly_charts.number_ticks(ax.xaxis, VI)
    yearly_charts.number_ticks(ax.yaxis, VI)
    style.render(figure, "png")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0,0", "0,2", "0,4", "0,6", "0,8", "1,0"]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "−20",
        "−15",
        "−10",
        "−5",
        "0",
        "5",
        "10",
        "15",
        "20",
    ]


def test_alt_texts_in_vietnamese():
    assert yearly_charts.alt_text("ranked_units", CURRENT, "PAR INDEX năm 2020", VI) == (
        "Biểu đồ cột xếp hạng 6 tỉnh, thành phố theo PAR INDEX năm 2020; cao nhất là Hà Nội (91,04), "
        "thấp nhất là Bình Dương (67,25), trung bình 80,41."
    )
    assert yearly_charts.alt_text("distribution", CURRENT, "PAR INDEX năm 2020", VI, bands=BANDS_2020) == (
        "Biểu đồ phân bố PAR INDEX năm 2020 của 6 tỉnh, thành phố; số đơn vị theo nhóm: A (≥ 90): 1, "
        "B (80–<90): 2, C (70–<80): 2 và < 70: 1."
    )
    compared = compare(CURRENT, PREVIOUS, BANDS_2020, BANDS_2018, 2)
    text = yearly_charts.alt_text(
        "change", compared, "PAR INDEX", VI, previous_label="2019", current_label="2020"
    )
    assert text == (
        "Biểu đồ thay đổi PAR INDEX của 5 tỉnh, thành phố từ năm 2019 đến năm 2020: 2 tăng, 2 giảm, "
        "1 giữ nguyên; tăng nhiều nhất là Hà Nội (+1,04), giảm nhiều nhất là An Giang (−5,05)."
    )
    assert yearly_charts.alt_text("regional_means", CURRENT, "PAR INDEX năm 2020", VI, regions=REGIONS) == (
        "Biểu đồ điểm giá trị trung bình PAR INDEX năm 2020 của 4 vùng; cao nhất là Đồng bằng sông Hồng "
        "(89,99), thấp nhất là Đông Nam Bộ (67,25), trung bình cả nước 80,41."
    )
    assert yearly_charts.alt_text(
        "companion_vs_index", CURRENT, "PAR INDEX năm 2020", VI, companion=SIPAS, companion_name="SIPAS"
    ) == (
        "Biểu đồ phân tán SIPAS theo PAR INDEX năm 2020 của 6 tỉnh, thành phố, hệ số tương quan r = −1,00; "
        "SIPAS cao nhất là Bình Dương (82,75), thấp nhất là Hà Nội (58,96)."
    )


def test_alt_text_of_one_region_in_english():
    one = CURRENT[CURRENT["region"] == "RRD"]
    assert yearly_charts.alt_text("regional_means", one, "PAR INDEX 2020", EN, regions=REGIONS) == (
        "Dot plot of the mean PAR INDEX 2020 of 1 region; highest Đồng bằng sông Hồng 89.99, "
        "lowest Đồng bằng sông Hồng 89.99, national mean 89.99."
    )


def test_shared_style_helpers_write_the_language():
    bands = (Band(label="A", min=90), Band(label="B", min=82.5), Band(label="C", min=70))
    assert style.band_range("B", bands, VI) == "82,5–<90"
    assert style.band_range("B", bands, EN) == "82.5–<90"
    assert style.band_range("< 70", bands, VI) == "< 70"
    assert style.count_text(MINISTRIES, VI) == "3 bộ, cơ quan ngang bộ"
    assert style.count_text(CURRENT.iloc[:1], EN) == "1 province"
    assert style.unit_noun(MINISTRIES, False, EN) == "ministry or agency"
    tied = CURRENT.assign(score=[91.04, 91.04, 80.00, 79.96, 75.25, 67.25])
    assert style.ends_of(tied, "score", VI)[0] == ("Hà Nội và Quảng Ninh", 91.04)
    assert [h.get_label() for h in style.band_handles(pd.Series(["A", "B"]), bands, VI)] == [
        "A (≥ 90)",
        "B (82,5–<90)",
    ]
    assert style.simulated_patch(VI).get_label() == "mô phỏng (dữ liệu minh họa)"


def test_distribution_bins_and_companion_points_show_their_values_on_hover():
    bins = yearly_charts.distribution(CURRENT, BANDS_2020, "t", SOURCE, VI)
    titles = re.findall(r"<title>(.*?)</title>", style.render(bins, "svg").decode("utf-8"))
    assert titles[0] == "67–&lt;68: 1 tỉnh, thành phố" and len(titles) == 12  # both stacks of 6 bins
    points = yearly_charts.companion_vs_index(
        CURRENT, SIPAS, "t", SOURCE, VI, index_label="PAR INDEX (%)", companion_label="SIPAS (%)"
    )
    titles = re.findall(r"<title>(.*?)</title>", style.render(points, "svg").decode("utf-8"))
    assert titles[0] == "Hà Nội: PAR INDEX (%) 91,04, SIPAS (%) 58,96"
    assert titles[-1] == "Bình Dương: PAR INDEX (%) 67,25, SIPAS (%) 82,75†"  # the hollow, simulated one


def _hatched_square(lines: bool):
    """A hatched square drawn at 72 dpi (an RGBA array), by matplotlib's hatching or by style.HatchLines."""
    import io

    import matplotlib.image
    from matplotlib.patches import Rectangle

    figure = Figure(figsize=(2, 2), dpi=72)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 2)
    square = Rectangle((0.25, 0.25), 1.5, 1.5, facecolor="#56b4e9", edgecolor="none")
    ax.add_patch(style.mark_simulated(square))
    if not lines:
        square.set_path_effects([])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=72)
    return matplotlib.image.imread(io.BytesIO(buffer.getvalue()))


def test_hatching_is_drawn_as_lines_where_matplotlib_would_draw_its_pattern():
    drawn, reference = _hatched_square(lines=True), _hatched_square(lines=False)
    assert drawn.shape == reference.shape == (144, 144, 4)
    # The same white lines over the same blue square, to the pixel but for rounding.
    assert abs(drawn - reference).max(axis=-1).mean() < 0.005
    assert drawn[18:126, 18:126, 0].std() > 0.1  # lines across the square
    assert (drawn[:18] == 1).all() and (drawn[:, :18] == 1).all()  # and none outside it


def test_a_hatched_shape_is_written_to_svg_as_lines_not_as_a_pattern_fill():
    import matplotlib as mpl
    from matplotlib.patches import Rectangle

    with mpl.rc_context(style.STYLE):  # as every chart is drawn (style.chart)
        figure = Figure(figsize=(2, 2))
        ax = figure.add_axes((0, 0, 1, 1))
        ax.add_patch(style.mark_simulated(Rectangle((0.2, 0.2), 0.5, 0.5, facecolor="#56b4e9")))
    svg = style.render(figure, "svg").decode()
    assert "<pattern" not in svg
    # The square's lines, clipped to it: 0.8 pt wide (hatch.linewidth), 6 pt apart, the first from the
    # figure's corner (72 pt squares, as matplotlib lays a pattern).
    lines = re.search(
        r'<path d="([^"]*)" clip-path="url\(#(\w+)\)" style="fill: none; stroke: #ffffff; '
        r"stroke-width: 0\.8;",
        svg,
    )
    assert lines and lines.group(1).split()[:6] == ["M", "0", "78", "L", "6", "72"]
    clip = re.search(rf'<clipPath id="{lines.group(2)}">\s*<path d="([^"]*)"', svg)
    assert clip.group(1).split() == "M 28.8 115.2 L 100.8 115.2 L 100.8 43.2 L 28.8 43.2 z".split()


class _CountedText:
    """Counts how often a figure's title is drawn (once in each draw of the figure)."""

    def __init__(self, figure: Figure):
        self.draws = 0
        title = figure.axes[0].title
        draw = title.draw

        def counted(renderer):
            self.draws += 1
            return draw(renderer)

        title.draw = counted


def _laid_out_figure() -> Figure:
    figure = Figure(figsize=(4, 3), layout="constrained")
    ax = figure.add_subplot()
    ax.barh(["Thừa Thiên Huế", "Hà Nội"], [83.72, 79.1])
    ax.set_title("PAR INDEX 2020")
    ax.legend(["điểm"], loc="upper left", bbox_to_anchor=(1, 1))
    return figure


def test_a_chart_with_a_layout_engine_is_saved_drawing_it_once_and_as_savefig_lays_it_out():
    reference = _laid_out_figure()
    counted = _CountedText(reference)
    buffer = io.BytesIO()
    with mpl.rc_context(style.STYLE):
        reference.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    assert counted.draws == 2  # matplotlib's own savefig: a draw to lay out, then the drawing
    figure = _laid_out_figure()
    counted = _CountedText(figure)
    assert style.render(figure, "svg") == buffer.getvalue()
    assert counted.draws == 1
    assert "draw" not in vars(figure)  # the figure draws as before
    figure.savefig(io.BytesIO(), format="svg")
    assert counted.draws == 3


def test_a_chart_with_tooltips_is_freed_once_dropped():
    figure = Figure(figsize=(3, 2))
    ax = figure.add_subplot()
    style.tooltip(ax.bar(["Huế"], [88.47])[0], "Huế: 88,47")
    assert b"<title>Hu\xe1\xba\xbf: 88,47</title>" in style.render(figure, "svg")
    dropped = weakref.ref(figure)
    del figure, ax
    gc.collect()
    assert dropped() is None  # the tooltips kept their figure alive, and a kernel grew with every report


def _titled_figure(title: str) -> Figure:
    figure = Figure(figsize=(3, 2), layout="constrained")
    figure.add_subplot().set_title(title)
    return figure


def test_a_text_is_measured_once_for_every_renderer_of_its_kind(monkeypatch):
    measured = []
    measure = RendererSVG.get_text_width_height_descent

    def counted(renderer, text, prop, ismath):
        measured.append(text)
        return measure(renderer, text, prop, ismath)

    monkeypatch.setattr(RendererSVG, "get_text_width_height_descent", counted)
    monkeypatch.setattr(style, "_MEASURES", {})
    assert matplotlib.text._get_text_metrics_with_cache is style._measure
    first = style.render(_titled_figure("Thừa Thiên Huế"), "svg")
    style.render(_titled_figure("Thừa Thiên Huế"), "svg")
    assert measured.count("Thừa Thiên Huế") == 1
    monkeypatch.setattr(matplotlib.text, "_get_text_metrics_with_cache", style._measure_once_per_renderer)
    measured.clear()
    assert style.render(_titled_figure("Thừa Thiên Huế"), "svg") == first  # the same drawing
    style.render(_titled_figure("Thừa Thiên Huế"), "svg")
    assert measured.count("Thừa Thiên Huế") >= 2  # matplotlib's own: again in each saving's renderers


def test_a_text_is_measured_again_in_another_font_or_resolution(monkeypatch):
    monkeypatch.setattr(style, "_MEASURES", {})
    prop = FontProperties(family="sans-serif", size=9)

    def width(dpi: int, family: str, measure=None) -> float:
        measure = measure or matplotlib.text._get_text_metrics_with_cache
        with mpl.rc_context({"font.sans-serif": [family]}):
            return measure(RendererAgg(400, 100, dpi), "Huế 88,47", prop, False, dpi)[0]

    sans = width(72, "DejaVu Sans")
    assert sans == width(72, "DejaVu Sans", style._measure_once_per_renderer)
    serif = width(72, "DejaVu Serif")
    assert serif == width(72, "DejaVu Serif", style._measure_once_per_renderer) != sans
    assert width(144, "DejaVu Sans") == width(144, "DejaVu Sans", style._measure_once_per_renderer)
    assert 1.8 * sans < width(144, "DejaVu Sans") < 2.2 * sans  # in pixels: about twice as many
    assert len(style._MEASURES) == 3
