"""The report pages on screen: the static table the script enhances, charts' hover texts, contents, links."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pytest
from matplotlib.figure import Figure

from parindex.data.params import Band, load_params
from parindex.data.tiles import load_tiles
from parindex.data.units import load_unit_set
from parindex.i18n import lang
from parindex.pipeline.build import site_links
from parindex.pipeline.export import Printer
from parindex.reports import maps, present, screen, style
from parindex.reports.profile import listing as profile_listing
from parindex.reports.profile import load_history

ROOT = Path(__file__).resolve().parents[1]
VI, EN = lang("vi"), lang("en")
NAMES = ["Đồng Tháp", "Bắc Ninh", "An Giang", "Điện Biên", "Cà Mau"]


def _frame(n: int) -> pd.DataFrame:
    names = (NAMES * 4)[:n]
    scores = [80.5 + i for i in range(n)]
    scores[1] = None
    return pd.DataFrame({"rank": range(1, n + 1), "name": names, "score": scores})


COLUMNS = [
    present.Column("rank", "Hạng", VI.integer, numeric=True),
    present.Column("name", "Tỉnh, thành phố"),
    present.Column("score", "Điểm", lambda v: VI.number(v, 2), numeric=True),
]


def test_a_long_table_carries_the_values_it_sorts_by_and_a_search_label():
    page = present.table(_frame(16), COLUMNS, "Xếp hạng", lang=VI)
    assert page.startswith(
        '<div class="parindex-table-box parindex-long"><table class="parindex-table" data-sortable '
        'data-search="Tìm trong bảng"><caption>Xếp hạng</caption>'
    )
    assert '<th class="num" scope="col">Điểm</th>' in page
    assert '<td class="num" data-value="1">1</td><td class="">Đồng Tháp</td>' in page
    assert '<td class="num" data-value="80.5">80,50</td>' in page
    assert '<td class="num">–</td>' in page  # a missing score has no value: it sorts last
    assert "<button" not in page and "aria-sort" not in page  # the script adds them on screen


def test_a_short_table_sorts_but_has_no_search_box():
    page = present.table(_frame(15), COLUMNS, lang=EN)
    assert page.startswith('<div class="parindex-table-box"><table class="parindex-table" data-sortable>')
    assert "data-search" not in page
    assert 'data-search="Search the table"' in present.table(_frame(16), COLUMNS)


def _screen_page(tmp_path: Path, body: str) -> Path:
    page = tmp_path / "page.html"
    page.write_text(
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">{screen.style()}</head>'
        f"<body>{body}{screen.script()}</body></html>",
        encoding="utf-8",
    )
    return page


def test_in_chromium_headers_sort_by_number_and_vietnamese_text_with_empty_cells_last(tmp_path):
    page = _screen_page(tmp_path, present.table(_frame(5), COLUMNS, "Xếp hạng", lang=VI))
    column = "Array.from(document.querySelectorAll('tbody tr')).map(r => r.cells[{}].textContent)"
    with Printer() as printer, printer.load(page, scripts=True) as loaded:
        buttons = loaded.locator("th button.parindex-sort")
        assert buttons.count() == 3
        buttons.nth(1).click()
        names = loaded.evaluate(column.format(1))
        buttons.nth(2).click()
        up = loaded.evaluate(column.format(2))
        buttons.nth(2).click()
        down = loaded.evaluate(column.format(2))
        sorted_by = loaded.evaluate("Array.from(document.querySelectorAll('th')).map(th => th.ariaSort)")
    assert names == ["An Giang", "Bắc Ninh", "Cà Mau", "Điện Biên", "Đồng Tháp"]
    assert up == ["80,50", "82,50", "83,50", "84,50", "–"]
    assert down == ["84,50", "83,50", "82,50", "80,50", "–"]
    assert sorted_by == [None, None, "descending"]


def test_in_chromium_the_search_box_filters_rows_ignoring_diacritics(tmp_path):
    page = _screen_page(tmp_path, present.table(_frame(20), COLUMNS, "Xếp hạng", lang=VI))
    shown = "Array.from(document.querySelectorAll('tbody tr')).filter(r => !r.hidden).length"
    with Printer() as printer, printer.load(page, scripts=True) as loaded:
        box = loaded.get_by_label("Tìm trong bảng")
        box.fill("dien bien")
        found = loaded.evaluate(shown), loaded.locator(".parindex-count").text_content()
        box.fill("ĐỒNG")
        capitals = loaded.evaluate(shown)
        box.fill("")
        everything = loaded.evaluate(shown), loaded.locator(".parindex-count").text_content()
    assert found == (4, "4 / 20")
    assert capitals == 4
    assert everything == (20, "")


def test_contents_anchor_every_h2_and_h3_and_keep_ids_already_there():
    page = (
        '<h1>Title</h1><h2 id="key-figures">Key figures<a class="anchor-link" href="#key-figures">¶</a></h2>'
        "<h3>Bands &amp; counts</h3><h2>Ranking</h2><p>text</p><h3>By region</h3><h3>By band</h3>"
    )
    written, toc = screen.contents(page, "Contents")
    assert (
        '<h3 id="section-2">Bands &amp; counts</h3>' in written
        and '<h2 id="section-3">Ranking</h2>' in written
    )
    assert toc == (
        '<nav class="parindex-toc" aria-label="Contents"><details><summary>Contents</summary><ol>'
        '<li><a href="#key-figures">Key figures</a><ol><li><a href="#section-2">Bands &amp; counts</a></li>'
        '</ol></li><li><a href="#section-3">Ranking</a><ol><li><a href="#section-4">By region</a></li>'
        '<li><a href="#section-5">By band</a></li></ol></li></ol></details></nav>'
    )
    assert screen.contents("<h1>Only a title</h1>", "Contents") == ("<h1>Only a title</h1>", "")


def _chart() -> tuple[Figure, list]:
    figure = Figure(figsize=(3, 2))
    ax = figure.add_subplot()
    bars = ax.barh([0, 1], [91.04, 73.25], gid="bars")
    style.tooltip(bars[0], "Quảng Ninh: 91,04 <A>")
    style.tooltip(bars[1], "Quảng Ngãi: 73,25\x1b[31m")  # a control character XML does not allow
    points = ax.scatter([1, 2], [1, 2], gid="points")
    style.tooltip(points, ["Hà Nội: 1", "Huế: 2"])
    return figure, bars


def test_each_labelled_mark_carries_its_title_and_keeps_its_gid():
    figure, bars = _chart()
    svg = style.render(figure, "svg").decode("utf-8")
    ElementTree.fromstring(svg)
    titles = re.findall(r"<title>(.*?)</title>", svg)
    assert titles == ["Quảng Ninh: 91,04 &lt;A&gt;", "Quảng Ngãi: 73,25[31m", "Hà Nội: 1", "Huế: 2"]
    assert re.search(r"<use [^>]*><title>Hà Nội: 1</title></use>", svg)
    assert bars[0].get_gid() == "bars" and figure.axes[0].collections[0].get_gid() == "points"
    assert style.render(figure, "svg") == style.render(figure, "svg")


def test_an_inline_chart_has_ids_of_its_own_and_its_description():
    first, _ = _chart()
    second = Figure(figsize=(3, 2))
    second.add_subplot().plot([1, 2], [3, 4])
    one, two = present.figure(first, "Bar chart <of> two provinces"), present.figure(second, "A line")
    assert one.startswith(
        '<figure class="parindex-figure"><svg role="img" aria-label="Bar chart &lt;of&gt; two'
    )
    assert "<?xml" not in one and "<!DOCTYPE" not in one
    ids = [set(re.findall(r'\bid="([^"]+)"', page)) for page in (one, two)]
    assert ids[0] and ids[1] and not ids[0] & ids[1]
    references = set(re.findall(r'(?:href="|url\()#([^")]+)', one))
    assert references and references <= ids[0]


def test_a_tooltip_needs_a_mark_in_a_figure_and_one_text_per_point():
    figure = Figure()
    points = figure.add_subplot().scatter([1, 2, 3], [1, 2, 3])
    with pytest.raises(ValueError) as error:
        style.tooltip(points, ["a", "b"])
    assert str(error.value) == (
        "tooltip() got 2 texts for a mark of 3 point(s): give one text per point of a collection, "
        "or one text for any other mark"
    )
    from matplotlib.patches import Rectangle

    with pytest.raises(ValueError) as error:
        style.tooltip(Rectangle((0, 0), 1, 1), "alone")
    assert str(error.value) == "tooltip() needs a mark already added to its axes (it has no figure)"


def test_pages_link_the_index_the_trends_the_years_and_the_profiles_that_exist_or_are_built(tmp_path):
    params = load_params(ROOT / "params" / "2020.yaml")
    output = tmp_path / "output"
    (output / "2019").mkdir(parents=True)
    (output / "2019" / "par_index_2019.vi.html").write_text("", encoding="utf-8")
    (output / "2018").mkdir()  # a year without its page in this language is not linked
    (output / "2020" / "profiles").mkdir(parents=True)
    (output / "2020" / "profiles" / "index.html").write_text("", encoding="utf-8")
    assert site_links(params, "vi", output, "2020") == [
        ("Tất cả báo cáo", "../index.html"),
        ("Hồ sơ từng tỉnh, thành phố", "profiles/index.html"),
    ]
    assert site_links(params, "en", output, "2020", (2020, "trends")) == [
        ("All reports", "../index.en.html"),
        ("PAR INDEX trends", "../trends/par_index_trends.en.html"),
    ]
    assert site_links(params, "vi", output, "trends", (2020, "trends")) == [
        ("Tất cả báo cáo", "../index.html"),
        ("2019", "../2019/par_index_2019.vi.html"),
        ("2020", "../2020/par_index_2020.vi.html"),
    ]
    assert site_links(params, "vi", output, "2020/profiles") == [
        ("Tất cả báo cáo", "../../index.html"),
        ("Hồ sơ từng tỉnh, thành phố", "index.html"),
    ]


def test_the_profiles_listing_links_the_other_pages_before_its_languages():
    related = [("Tất cả báo cáo", "../../index.html"), ("PAR <b>", "../par_index_2020.vi.html")]
    rows = profile_listing.index_rows(load_history(ROOT / "params"), 2020, VI)[:2]
    page = profile_listing.index_page(rows, "Hồ sơ", VI, {"en": "index.en.html"}, related=related)
    assert (
        '<nav aria-label="Các trang của bộ báo cáo"><a href="../../index.html">Tất cả báo cáo</a> · '
        '<a href="../par_index_2020.vi.html">PAR &lt;b&gt;</a> · '
        '<a href="index.en.html" hreflang="en" lang="en">English</a></nav>'
    ) in page


def test_the_profiles_listing_fits_a_phone_its_table_scrolling_in_its_box(tmp_path):
    rows = profile_listing.index_rows(load_history(ROOT / "params"), 2020, VI)
    page = tmp_path / "index.html"
    page.write_text(profile_listing.index_page(rows, "Hồ sơ", VI, {"en": "index.en.html"}), encoding="utf-8")
    with Printer() as printer, printer.load(page, scripts=True) as loaded:
        loaded.set_viewport_size({"width": 390, "height": 800})
        widths = loaded.evaluate(
            "[document.documentElement.scrollWidth, document.querySelector('.scroll').clientWidth,"
            " document.getElementById('profiles').scrollWidth, document.querySelector('h1').offsetLeft]"
        )
    page_width, box, table, left = widths
    assert page_width == 390  # nothing runs past the screen's right edge
    assert box < table  # the table's last columns are reached by scrolling it
    assert left >= 16  # the text does not touch the screen's left edge


def test_yearly_means_show_their_year_and_value_on_hover():
    figure = Figure()
    ax = figure.add_subplot()
    means = pd.DataFrame(
        {"year": [2019, 2020], "mean": [81.15, 83.72], "simulated": [False, True], "published": [81.15, None]}
    )
    style.mean_line(ax, means, lang=VI, name="Tây Nguyên")
    style.mark_published(ax, means, lang=VI)
    titles = re.findall(r"<title>(.*?)</title>", style.render(figure, "svg").decode("utf-8"))
    assert titles == [
        "Tây Nguyên: 2019: 81,15",
        "Tây Nguyên: 2020: 83,72†",
        "2019: giá trị trung bình đã công bố 81,15",
    ]


def test_a_notebook_shows_charts_as_images_and_the_page_keeps_them_inline():
    figure, _ = _chart()
    output = present.each(
        [VI, EN], lambda language: "<p>x</p>" + present.figure(figure, f"Chart <{language.code}>")
    )
    bundle = output._repr_mimebundle_()
    shown = bundle["text/html"]
    assert shown.startswith('<p>x</p><figure class="parindex-figure"><img src="data:image/svg+xml;base64,')
    assert shown.endswith('" alt="Chart &lt;vi&gt;"></figure>') and "<svg" not in shown
    data = re.search(r"base64,([^\"]+)", shown).group(1)
    ElementTree.fromstring(base64.b64decode(data))  # a standalone SVG document
    assert bundle[present.LANGUAGES_MIME]["en"].count('<svg role="img" aria-label="Chart &lt;en&gt;"') == 1


def test_each_tile_and_its_label_show_the_unit_and_its_score_on_hover():
    units = ROOT / "data" / "units"
    frame = load_unit_set(units, "provinces_63", "province").frame()
    frame["score"] = [{"22": 91.04, "51": 73.25}.get(code, 85.0) for code in frame["code"]]
    frame["band"] = ["A" if s >= 90 else "B" if s >= 80 else "C" for s in frame["score"]]
    frame["provenance"] = ["simulated" if code == "01" else "published" for code in frame["code"]]
    bands = (Band(label="A", min=90), Band(label="B", min=80), Band(label="C", min=70))
    figure = maps.band_map(frame, load_tiles(units, "provinces_63"), bands, "T", "S", VI)
    titles = re.findall(r"<title>(.*?)</title>", style.render(figure, "svg").decode("utf-8"))
    assert titles.count("Quảng Ninh: 91,04 (A)") == 3  # the tile, its label and its score
    assert "Hà Nội: 85,00† (B)" in titles and "Quảng Ngãi: 73,25 (C)" in titles
    assert len(titles) == 63 * 3
