"""Tweaking a report without reading the source: filters, highlights, own charts, and the road to the PDF."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbconvert.exporters import get_exporter

from parindex.reports import yearly

pytestmark = pytest.mark.build  # runs real builds: `make quick` leaves it out

ROOT = Path(__file__).resolve().parents[1]
PARINDEX = Path(sys.executable).parent / "parindex"

# The Red River Delta's provinces in data/demo/2021/provinces.csv, best first, read by hand.
RED_RIVER_DELTA_2021 = [
    "Hải Phòng",
    "Quảng Ninh",
    "Vĩnh Phúc",
    "Hà Nội",
    "Bắc Ninh",
    "Nam Định",
    "Thái Bình",
    "Ninh Bình",
    "Hải Dương",
    "Hưng Yên",
    "Hà Nam",
]
PHRASE = "Nhận xét riêng quokka-7361 về vùng đồng bằng"
REGION_CALL = 'region="Red River Delta", highlight=["Hà Nội"]'


@pytest.fixture(scope="module")
def year() -> yearly.Year:
    return yearly.load(ROOT / "params" / "2021.yaml")


def _rows(table: str) -> list[str]:
    """The second cell (the name) of each body row of a report table."""
    body = table.partition("<tbody>")[2]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row)[1] for row in body.split("<tr")[1:]]


def test_the_year_says_what_it_holds(year):
    shown = repr(year)
    assert shown.startswith(f"Year PAR INDEX 2021: params {ROOT / 'params' / '2021.yaml'}, languages vi, en")
    assert (
        "unit types: province (63 units, set provinces_63), ministry (17 units, set ministries_17)" in shown
    )
    assert 'year.units("province"): DataFrame 63 rows x unit_type, code, name, short_name' in shown
    assert 'year.compared("province"): change on 2020: ' in shown and "score_change" in shown
    assert "year.companion: SIPAS, 63 rows x " in shown
    assert "bands: A >= 90, B >= 80, C >= 70" in shown
    assert "RRD Red River Delta" in shown
    assert "<li><code>unit types: province (63 units" in year._repr_html_()
    assert "year.units(unit_type)" in yearly.Year.__doc__ and "yearly.figure" in yearly.Year.__doc__


@pytest.mark.parametrize("region", ["RRD", "Red River Delta", "Đồng bằng sông Hồng", "dong bang song hong"])
def test_one_regions_ranking_by_code_or_name_in_either_language(year, region):
    table = yearly.ranking(year, region=region).texts["en"]
    assert _rows(table) == RED_RIVER_DELTA_2021
    assert "Only the Red River Delta region: 11 of 63 units; ranks are those of the full ranking." in table
    assert "ranking of the units selected; changes on 2020" in table


def test_a_band_and_a_list_of_units_filter_the_ranking(year):
    assert _rows(yearly.ranking(year, band="A").texts["vi"]) == ["Hải Phòng", "Quảng Ninh", "Đà Nẵng"]
    listed = yearly.ranking(year, units=["Hanoi", "TP.HCM", "48"]).texts["vi"]
    assert _rows(listed) == ["Đà Nẵng", "Hà Nội", "Thành phố Hồ Chí Minh"]
    assert "Chỉ hiển thị các đơn vị được chọn: 3/63 đơn vị" in listed


def test_a_highlighted_province_is_emphasised_and_named(year):
    table = yearly.ranking(year, highlight=["Hà Nội"]).texts["en"]
    assert len(_rows(table)) == 63
    rows = table.partition("<tbody>")[2].split("<tr")[1:]
    marked = [_rows("<tbody><tr" + row)[0] for row in rows if row.startswith(' class="parindex-highlight"')]
    assert marked == ["Hà Nội"]
    assert "all 63 provinces ranked; changes on 2020. Highlighted: Hà Nội.</caption>" in table
    assert "tr.parindex-highlight td { background: #FFE8A3; }" in table
    assert "tr.parindex-highlight td:not(.region) { font-weight: bold; }" in table


def test_the_ranked_chart_takes_the_filter_and_the_highlight(year):
    chart = yearly.chart(year, "ranked", region="RRD", highlight="Hanoi")
    assert chart.texts["en"].count("<figure") == 1
    assert (
        "<figcaption>Only the Red River Delta region: 11 of 63 units; ranks are those of the full ranking. "
        "Highlighted: Hà Nội. The mean line is the national mean.</figcaption>"
    ) in chart.texts["en"]
    assert "Làm nổi bật: Hà Nội." in chart.texts["vi"]


def test_a_name_that_is_not_there_names_the_closest(year):
    with pytest.raises(ValueError) as caught:
        yearly.ranking(year, region="Red River")
    assert (
        str(caught.value)
        == "'Red River' is not a region of PAR INDEX 2021; did you mean RRD (Red River Delta)?"
    )
    with pytest.raises(ValueError) as caught:
        yearly.ranking(year, band="D")
    assert str(caught.value) == "'D' is not a band of PAR INDEX 2021; the bands are A, B, C"
    with pytest.raises(ValueError) as caught:
        yearly.chart(year, "ranked", highlight=["Ha Tay", "Hanoi"])
    assert str(caught.value) == "'Ha Tay' is not a unit of this set: did you mean 'Hà Nam'?"
    with pytest.raises(ValueError) as caught:
        yearly.ranking(year, "district", units=["01"])
    assert str(caught.value) == "PAR INDEX 2021 ranks no 'district'; its unit types are province, ministry"
    with pytest.raises(ValueError) as caught:
        yearly.chart(year, "distribution", band="A")
    assert str(caught.value) == "the 'distribution' chart takes no filter or highlight: only 'ranked' does"


def test_a_chart_of_ones_own_in_every_language(year):
    def ten_best(ax, lang):
        top = year.units("province").head(10)
        ax.barh(top.short_name, top.score, color=yearly.COLOURS[0])
        ax.set_xlabel(lang.t("common.column.score"))

    chart = yearly.figure(
        year, ten_best, alt={"vi": "Mười tỉnh", "en": "Ten best"}, caption=lambda lang: f"({lang.code})"
    )
    assert list(chart.texts) == ["vi", "en"]
    assert (
        'aria-label="Mười tỉnh"' in chart.texts["vi"] and "<figcaption>(en)</figcaption>" in chart.texts["en"]
    )
    assert chart.texts["vi"].count("<svg ") == 1
    figure, ax = yearly.new_figure(height=3)
    assert figure.get_size_inches().tolist() == [7.5, 3.0]
    assert 'aria-label="mine"' in yearly.figure(year, figure, alt="mine").texts["en"]


# From a prepared notebook to the PDF, as README "Tweak a report in JupyterLab" walks through it.


@pytest.fixture(scope="module")
def tweaked(tmp_path_factory) -> tuple[Path, Path]:
    """`parindex prepare --year 2021`, one markdown cell and two chart calls edited, `parindex export`."""
    folder = tmp_path_factory.mktemp("tweaks")
    prepared = subprocess.run(
        [str(PARINDEX), "prepare", "--year", "2021", "--work-dir", str(folder / "work")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert prepared.returncode == 0, prepared.stderr
    notebook = Path(re.search(r"^wrote (.+\.ipynb)$", prepared.stdout, re.M).group(1))
    assert notebook == folder / "work" / "2021" / "par_index_2021.ipynb"
    content = json.loads(notebook.read_text(encoding="utf-8"))
    markdown = [cell for cell in content["cells"] if cell["cell_type"] == "markdown"]
    markdown[0]["source"] = [PHRASE]
    edited = 0
    for cell in content["cells"]:
        source = "".join(cell["source"])
        for call in ("yearly.ranking(year", 'yearly.chart(year, "ranked"'):
            if cell["cell_type"] == "code" and source.startswith(call):
                cell["source"] = [re.sub(r"\)\s*$", f", {REGION_CALL})", source)]
                edited += 1
    assert edited == 2
    notebook.write_text(json.dumps(content, ensure_ascii=False, indent=1), encoding="utf-8")
    exported = subprocess.run(
        [str(PARINDEX), "export", str(notebook), "--output-dir", str(folder / "exported")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert exported.returncode == 0, exported.stderr
    return notebook, folder / "exported"


def _pdf_text(pdf: Path | bytes) -> str:
    data = pdf if isinstance(pdf, bytes) else pdf.read_bytes()
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def _ranking_names(text: str, caption: str) -> list[str]:
    """The province names of the ranking table in a PDF's text, from its caption to its note."""
    provinces = set(pd.read_csv(ROOT / "data" / "units" / "provinces.csv", dtype=str).name_vi)
    table = text.partition(caption)[2].partition("\n† ")[0]  # to the note under the table
    return [line for line in table.splitlines() if line in provinces]


def test_the_tweaked_notebook_exported_shows_the_changes(tweaked):
    _, folder = tweaked
    english = _pdf_text(folder / "par_index_2021.en.pdf")
    flat = " ".join(english.split())
    assert PHRASE in flat
    assert _ranking_names(english, "ranking of the units selected") == RED_RIVER_DELTA_2021
    shown = "Only the Red River Delta region: 11 of 63 units; ranks are those of the full ranking."
    assert f"{shown} Highlighted: Hà Nội." in flat  # the table's caption
    assert f"{shown} Highlighted: Hà Nội. The mean line is the national mean." in flat  # the chart's
    vietnamese = _pdf_text(folder / "par_index_2021.vi.pdf")
    assert PHRASE in " ".join(vietnamese.split())
    assert _ranking_names(vietnamese, "xếp hạng các đơn vị được chọn") == RED_RIVER_DELTA_2021


def test_jupyterlabs_export_menu_prints_the_tweaked_notebook(tweaked):
    notebook, folder = tweaked
    executed = nbformat.read(folder / notebook.name, as_version=4)
    pdf, resources = get_exporter("parindex_pdf")().from_notebook_node(executed)
    assert resources["output_extension"] == ".pdf"
    text = _pdf_text(pdf)
    assert PHRASE in " ".join(text.split())
    assert _ranking_names(text, "xếp hạng các đơn vị được chọn") == RED_RIVER_DELTA_2021
