"""Band labels of any length: every chart shows them whole, inside the figure and apart from each other."""

from pathlib import Path

import pandas as pd
import pytest
from matplotlib.text import Text

from parindex.analysis import band_of
from parindex.data.params import Band
from parindex.data.tiles import load_tiles
from parindex.data.units import load_regions, load_unit_set
from parindex.i18n import lang
from parindex.reports import maps, style
from parindex.reports.yearly import charts

UNITS_DIR = Path(__file__).parents[1] / "data" / "units"
# Five bands 2.5 points apart with long labels: the labels of neighbouring thresholds would overlap.
BANDS = (
    Band(label={"vi": "Rất tốt", "en": "Very good"}, min=90, key="Rất tốt"),
    Band(label={"vi": "Tương đối tốt", "en": "Fairly good"}, min=87.5, key="Tương đối tốt"),
    Band(label={"vi": "Trung bình", "en": "Average"}, min=85, key="Trung bình"),
    Band(label={"vi": "Tương đối thấp", "en": "Fairly low"}, min=82.5, key="Tương đối thấp"),
    Band(label={"vi": "Thấp", "en": "Low"}, min=0, key="Thấp"),
)
SCORES = [93.1, 91.0, 89.2, 88.0, 86.4, 85.5, 84.0, 83.1, 80.2, 78.5, 76.0, 74.4]


def scores() -> pd.DataFrame:
    n = len(SCORES)
    frame = pd.DataFrame(
        {
            "unit_type": "province",
            "code": [f"{i:02d}" for i in range(n)],
            "name": [f"Tỉnh {i}" for i in range(n)],
            "short_name": [f"Tỉnh {i}" for i in range(n)],
            "name_en": [f"Province {i}" for i in range(n)],
            "region": "RRD",
            "score": SCORES,
            "rank": pd.array([pd.NA] * n, dtype="Int64"),
            "provenance": "published",
        }
    )
    frame["band"] = [band_of(s, BANDS) for s in frame["score"]]
    return frame


def texts(figure) -> list[Text]:
    figure.draw_without_rendering()
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text()]


def inside(figure, text: Text) -> bool:
    box, page = text.get_window_extent(), figure.bbox
    return (
        page.x0 - 0.5 <= box.x0
        and box.x1 <= page.x1 + 0.5
        and page.y0 - 0.5 <= box.y0
        and box.y1 <= page.y1 + 0.5
    )


@pytest.mark.parametrize("code", ["vi", "en"])
def test_the_distribution_shows_long_band_labels_whole_and_apart(code):
    figure = charts.distribution(scores(), BANDS, "T", "S", lang(code))
    shown = texts(figure)
    thresholds = [t for t in shown if t.get_gid() == "threshold"]
    expected = {
        "vi": ["Tương đối thấp 82,5–<85", "Trung bình 85–<87,5", "Tương đối tốt 87,5–<90", "Rất tốt ≥ 90"],
        "en": ["Fairly low 82.5–<85", "Average 85–<87.5", "Fairly good 87.5–<90", "Very good ≥ 90"],
    }[code]
    assert sorted(t.get_text() for t in thresholds) == sorted(expected)
    assert all(inside(figure, t) for t in thresholds)
    boxes = [t.get_window_extent() for t in thresholds]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert legend[3] == {"vi": "Tương đối thấp (82,5–<85)", "en": "Fairly low (82.5–<85)"}[code]
    svg = style.render(figure, "svg").decode("utf-8")
    assert "Tương đối thấp 82,5–&lt;85" in svg if code == "vi" else "Fairly low 82.5–&lt;85" in svg


def test_the_ranked_chart_legend_fits_the_page():
    figure = charts.ranked_units(scores(), BANDS, 85.0, "T", "S", lang("vi"))
    figure.draw_without_rendering()
    legend = figure.axes[0].get_legend()
    assert "Tương đối thấp (82,5–<85)" in [t.get_text() for t in legend.get_texts()]
    assert legend.get_window_extent().x1 <= figure.bbox.x1


def test_the_tile_map_legends_wrap_long_labels_inside_the_page():
    table = load_unit_set(UNITS_DIR, "provinces_63", "province").frame()
    table["score"] = [SCORES[i % len(SCORES)] for i in range(len(table))]
    table["band"] = [band_of(s, BANDS) for s in table["score"]]
    table["provenance"] = "published"
    layout = load_tiles(UNITS_DIR, "provinces_63")
    one = maps.band_map(table, layout, BANDS, "T", "S", lang("vi"), regions=load_regions(UNITS_DIR))
    several = maps.band_maps(
        {2019: table, 2020: table}, layout, {2019: BANDS, 2020: BANDS}, "T", "S", lang("vi")
    )
    for figure in (one, several):
        shown = texts(figure)
        labels = [t for t in shown if "Tương đối thấp" in t.get_text()]
        assert labels, "the long label is drawn"
        assert all(inside(figure, t) for t in labels)
        legend = (figure.legends or [ax.get_legend() for ax in figure.axes if ax.get_legend()])[0]
        assert legend.get_window_extent().x1 <= figure.bbox.x1 + 0.5


def test_the_note_of_band_limits_says_as_published_only_when_they_are():
    table = load_unit_set(UNITS_DIR, "provinces_63", "province").frame()
    table["score"] = [SCORES[i % len(SCORES)] for i in range(len(table))]
    table["band"] = [band_of(s, BANDS) for s in table["score"]]
    table["provenance"] = "published"
    layout = load_tiles(UNITS_DIR, "provinces_63")
    other = (Band(label="A", min=80), Band(label="B", min=0))
    frames, bands = {2019: table, 2020: table}, {2019: other, 2020: BANDS}

    def note(published: bool) -> str:
        figure = maps.band_maps(frames, layout, bands, "T", "S", lang("en"), published=published)
        return " ".join(t.get_text() for t in figure.texts if t.get_gid() == "limits").replace("\n", " ")

    assert note(True).startswith("Band limits as published each year: 2019: A ≥ 80")
    assert note(False).startswith("Band limits of each year: 2019: A ≥ 80")
