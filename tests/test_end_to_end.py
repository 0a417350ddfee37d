"""End to end: `parindex build --year 2020 --trends` with the real kernel and Chromium; what comes out."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import nbformat
import openpyxl
import pytest

from parindex.pipeline.export import Printer, remote_references

pytestmark = pytest.mark.build  # runs real builds: `make quick` leaves it out

ROOT = Path(__file__).resolve().parents[1]
PARINDEX = Path(sys.executable).parent / "parindex"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("output")
    result = subprocess.run(
        [str(PARINDEX), "build", "--year", "2020", "--trends", "--output-dir", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"^2020 +built ", result.stdout, re.M) and re.search(
        r"^trends +built ", result.stdout, re.M
    )
    # One line per finished report, in the order they finish; each cell run only with --verbose.
    assert re.search(r"^\[1/2\] (2020|trends) done in \d+\.\d s, about \d+ (s|min) left", result.stderr, re.M)
    assert re.search(r"^\[2/2\] (2020|trends) done in \d+\.\d s$", result.stderr, re.M)
    assert "cell 2/" not in result.stderr
    return output


def test_summary_json_carries_the_2020_figures(built):
    summary = json.loads((built / "2020" / "summary.json").read_text(encoding="utf-8"))
    assert (summary["year"], summary["index"], summary["n_units"], summary["mean"]) == (
        2020,
        "PAR INDEX",
        63,
        83.72,
    )
    assert summary["band_counts"] == {"A": 2, "B": 56, "C": 5}
    assert (summary["min"], summary["max"]) == (73.25, 91.04)
    ranks = {r["name"]: (r["rank"], r["score"], r["provenance"]) for r in summary["ranking"]}
    assert ranks["Quảng Ninh"] == (1, 91.04, "published")
    assert ranks["Hải Phòng"] == (2, 90.51, "published")
    assert ranks["Thừa Thiên Huế"] == (3, 88.47, "published")
    assert ranks["Bình Dương"] == (4, 86.93, "published")
    assert ranks["Đồng Tháp"] == (5, 86.77, "published")
    assert ranks["Hà Nội"] == (8, 86.07, "published")
    assert ranks["Quảng Ngãi"] == (63, 73.25, "published")
    assert set(summary["ranking"][0]) >= {"code", "name", "score", "rank", "band", "provenance"}
    assert summary["ministries"]["n_units"] == 17
    assert summary["ministries"]["band_counts"] == {"A": 3, "B": 14, "C": 0}
    assert summary["companion"]["mean"] == 85.48
    assert summary["demonstration"] is True
    statuses = {(r["index"], r["unit_type"], r["metric"]): r["status"] for r in summary["reconciliation"]}
    assert statuses[("PAR INDEX", "province", "mean")] == "match"
    assert statuses[("PAR INDEX", "province", "count_increased")] == "match"
    assert set(statuses.values()) == {"match"}


def _pdf(pdf: Path) -> tuple[str, str]:
    """The PDF's text (pages split by form feeds) and pdfinfo's description of it."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return text, info


@pytest.mark.parametrize(
    ("language", "heading", "numbers", "other", "notice", "page"),
    [
        (
            "en",
            "Key figures",
            ("83.72", "91.04"),
            "83,72",
            "Demonstration data: values marked † are simulated, not official",
            "Page {number} of {pages}",
        ),
        (
            "vi",
            "Các số liệu chính",
            ("83,72", "91,04"),
            "83.72",
            "Dữ liệu minh họa: giá trị đánh dấu † là mô phỏng, không phải số liệu chính thức",
            "Trang {number}/{pages}",
        ),
    ],
)
def test_pdf_has_the_figures_page_numbers_and_no_code(built, language, heading, numbers, other, notice, page):
    text, info = _pdf(built / "2020" / f"par_index_2020.{language}.pdf")
    assert "Thừa Thiên Huế" in text and "Đắk Lắk" in text and heading in text
    assert all(number in text for number in numbers) and other not in text
    for source in ("import ", "yearly.chart(", "params_file =", "def "):
        assert source not in text
    assert "Tagged:          yes" in info
    assert "Ministry of Home Affairs" not in info  # the index's owner did not write a demonstration report
    assert "A4" in info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 6
    sheets = [sheet for sheet in text.split("\f") if sheet.strip()]
    assert len(sheets) == pages
    for number, sheet in enumerate(sheets, start=1):
        assert notice in sheet  # on every page
        assert page.format(number=number, pages=pages) in sheet


def test_the_vietnamese_report_speaks_vietnamese(built):
    text, info = _pdf(built / "2020" / "par_index_2020.vi.pdf")
    assert "Title:           PAR INDEX năm 2020: Chỉ số cải cách hành chính" in info
    assert "PAR INDEX năm 2020" in text  # the running header
    assert "Quảng Ninh dẫn đầu với 91,04%; Quảng Ngãi xếp cuối (thứ 63) với 73,25%." in text
    for heading in ("Xếp hạng các tỉnh, thành phố trực thuộc Trung ương", "Các vùng kinh tế - xã hội"):
        assert heading in text
    for english in ("Key figures", "ranks first", "Page "):
        assert english not in text


def test_the_2020_report_keeps_every_section_its_data_has(built):
    page = (built / "2020" / "par_index_2020.en.html").read_text(encoding="utf-8")
    headings = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", page)]
    assert headings == [
        "Key figures",
        "Ranking of provinces and centrally-run cities",
        "The provinces on the map",
        "How the scores are spread",
        "Change on the previous year",
        "Component indices",
        "Regions",
        "Ministries and ministerial-level agencies",
        "Satisfaction Index of Public Administrative Services (SIPAS)",
        "Reconciliation with published figures",
        "Methodology",
        "Provenance",
    ]


@pytest.mark.parametrize(
    ("language", "figure", "alt", "other"),
    [
        ("en", "83.72", 'aria-label="Bar chart of 63 provinces ranked by PAR INDEX 2020', "vi"),
        ("vi", "83,72", 'aria-label="Biểu đồ cột xếp hạng 63 tỉnh, thành phố theo PAR INDEX năm 2020', "en"),
    ],
)
def test_html_is_self_contained_and_renders_offline(built, language, figure, alt, other):
    html = built / "2020" / f"par_index_2020.{language}.html"
    page = html.read_text(encoding="utf-8")
    assert f'<html lang="{language}">' in page
    assert f'href="par_index_2020.{other}.html"' in page  # the other language, one click away
    assert remote_references(page) == []
    assert "Thừa Thiên Huế" in page and figure in page
    assert alt in page
    assert "yearly.chart(" not in page
    with Printer() as printer, printer.load(html) as loaded:
        charts = loaded.evaluate(
            "Array.from(document.querySelectorAll('figure svg'))"
            ".map(s => [s.getBoundingClientRect().width, s.getAttribute('aria-label').length])"
        )
    assert len(charts) >= 6
    assert all(width > 0 and alt_length > 0 for width, alt_length in charts)


def test_the_executed_notebook_keeps_papermill_metadata(built):
    notebook = nbformat.read(built / "2020" / "par_index_2020.ipynb", as_version=4)
    assert notebook.metadata.papermill.parameters["params_file"].endswith("params/2020.yaml")
    assert notebook.metadata.kernelspec.name == "parindex"


def test_every_chart_is_one_the_report_meant_with_its_own_alt_text(built):
    # A figure left open in a cell would be shown again by the kernel, as a PNG without alt text.
    for folder, stem in (("2020", "par_index_2020"), ("trends", "par_index_trends")):
        notebook = nbformat.read(built / folder / f"{stem}.ipynb", as_version=4)
        outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
        assert [o for o in outputs if "image/png" in o.get("data", {})] == []
        for language in ("vi", "en"):
            page = (built / folder / f"{stem}.{language}.html").read_text(encoding="utf-8")
            assert re.findall(r"<img(?![^>]*\balt=\"[^\"]+\")[^>]*>", page) == []
            assert "No description has been provided" not in page  # nbconvert's stand-in


def test_tables_and_index_page(built):
    provinces = (built / "2020" / "tables" / "provinces.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(provinces) == 64
    assert provinces[1].startswith("1,22,Quảng Ninh,91.04,A,RRD,published")
    assert provinces[1].endswith(",Đồng bằng sông Hồng,Red River Delta")
    assert {p.name for p in (built / "2020" / "tables").iterdir()} >= {
        "provinces.csv",
        "ministries.csv",
        "sipas.csv",
    }
    book = openpyxl.load_workbook(built / "2020" / "tables" / "par_index_2020.xlsx", read_only=True)
    assert book.sheetnames == ["bands", "ministries", "provinces", "reconciliation", "regions", "sipas"]
    first = list(book["provinces"].iter_rows(max_row=3, values_only=True))
    assert first[0][:4] == ("Xếp hạng", "Mã", "Tên", "Điểm số") and first[1][:4] == (
        "Rank",
        "Code",
        "Name",
        "Score",
    )
    assert first[2][:4] == (1, "22", "Quảng Ninh", 91.04)
    index = (built / "index.en.html").read_text(encoding="utf-8")
    assert 'href="2020/par_index_2020.en.pdf"' in index
    assert (
        "<td>83.72†</td>" in index
        and "† Demonstration data: computed from values partly simulated, not official." in index
    )
    main = (built / "index.html").read_text(encoding="utf-8")
    assert 'href="2020/par_index_2020.vi.pdf"' in main and "<td>83,72†</td>" in main
    assert 'href="index.en.html"' in main and 'href="index.html"' in index


def test_a_failed_rebuild_leaves_the_built_year_as_it_was(built, tmp_path):
    params = tmp_path / "params"
    shutil.copytree(ROOT / "params", params)
    broken = (params / "2020.yaml").read_text(encoding="utf-8").replace("min: 90", "min: 190")
    (params / "2020.yaml").write_text(broken, encoding="utf-8")
    before = (built / "2020" / "summary.json").read_bytes()
    result = subprocess.run(
        [str(PARINDEX), "build", "--year", "2020", "--params-dir", str(params), "--output-dir", str(built)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "key 'bands'" in result.stderr and "outside the index's scale" in result.stderr
    assert "Traceback" not in result.stderr
    assert (built / "2020" / "summary.json").read_bytes() == before


@pytest.mark.parametrize(
    ("language", "sentence", "page"),
    [
        ("en", "The national mean rose from 76.92% in 2018 to 88.37% in 2024.", "Page 1 of"),
        ("vi", "Giá trị trung bình cả nước tăng từ 76,92% năm 2018 lên 88,37% năm 2024.", "Trang 1/"),
    ],
)
def test_the_trends_report_covers_every_year_and_is_linked(built, language, sentence, page):
    text, _ = _pdf(built / "trends" / f"par_index_trends.{language}.pdf")
    assert sentence in text
    assert page in text and "†" in text
    summary = json.loads((built / "trends" / "summary.json").read_text(encoding="utf-8"))
    assert summary["years"] == [2018, 2019, 2020, 2021, 2022, 2023, 2024]
    index = (built / ("index.html" if language == "vi" else f"index.{language}.html")).read_text(
        encoding="utf-8"
    )
    assert f'href="trends/par_index_trends.{language}.pdf"' in index


def test_on_screen_the_ranking_sorts_searches_and_the_charts_and_links_work(built):
    html = built / "2020" / "par_index_2020.vi.html"
    first_row = "Array.from(t.tBodies[0].rows).find(r => !r.hidden).cells"
    sorted_by = "t.tHead.rows[0].cells[2].getAttribute('aria-sort')"
    with Printer() as printer, printer.load(html, scripts=True) as page:
        page.wait_for_selector(".parindex-sort")
        ranking = "document.querySelector('table[data-search]')"
        score = page.locator("table[data-search]").first.locator("th button").nth(2)
        score.click()
        ascending = page.evaluate(
            f"(() => {{ const t = {ranking}; const c = {first_row}; "
            f"return [c[1].textContent, c[2].textContent, {sorted_by}]; }})()"
        )
        score.click()
        descending = page.evaluate(
            f"(() => {{ const t = {ranking}; const c = {first_row}; "
            f"return [c[1].textContent, c[2].textContent, {sorted_by}]; }})()"
        )
        page.locator(".parindex-search input").first.fill("da nang")
        shown = page.evaluate(
            f"(() => {{ const t = {ranking}; return Array.from(t.tBodies[0].rows)"
            ".filter(r => !r.hidden).map(r => r.cells[1].textContent); })()"
        )
        count = page.locator(".parindex-count").first.text_content()
        bar = page.evaluate("document.querySelector('figure.parindex-figure svg title').textContent")
        hovered = page.locator("figure.parindex-figure svg title").first.evaluate("t => t.parentNode.tagName")
        contents = page.evaluate(
            "Array.from(document.querySelectorAll('.parindex-toc a')).map(a => a.textContent)"
        )
        links = page.evaluate(
            "Array.from(document.querySelectorAll('.parindex-nav a')).map(a => [a.textContent, a.href])"
        )
        blocked = list(printer.blocked)
    assert ascending == ["Quảng Ngãi", "73,25", "ascending"]
    assert descending == ["Quảng Ninh", "91,04", "descending"]
    assert shown == ["Đà Nẵng"] and count == "1 / 63"
    assert bar == "Quảng Ninh: 91,04 (A)" and hovered == "g"
    assert contents[:2] == ["Các số liệu chính", "Xếp hạng các tỉnh, thành phố trực thuộc Trung ương"]
    assert blocked == []
    targets = {text: Path(url2pathname(urlsplit(href).path)) for text, href in links}
    assert targets["Tất cả báo cáo"] == built / "index.html"
    assert targets["PAR INDEX qua các năm"] == built / "trends" / "par_index_trends.vi.html"
    assert targets["Bảng số liệu (Excel)"] == built / "2020" / "tables" / "par_index_2020.xlsx"
    assert targets["English"] == built / "2020" / "par_index_2020.en.html"
    assert targets["provinces.csv"] == built / "2020" / "tables" / "provinces.csv"
    assert all(path.is_file() for path in targets.values())
    with Printer() as printer, printer.load(targets["PAR INDEX qua các năm"], scripts=True) as page:
        back = page.evaluate("Array.from(document.querySelectorAll('.parindex-nav a')).map(a => a.href)")
    assert html.as_uri() in back and (built / "index.html").as_uri() in back


def test_the_pdf_is_printed_from_the_static_page(built):
    text, _ = _pdf(built / "2020" / "par_index_2020.vi.pdf")
    assert "Mục lục" not in text and "Tìm trong bảng" not in text and "Tất cả báo cáo" not in text
    assert "Quảng Ninh" in text


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_pdfs_are_small_enough_to_send_with_the_hatching_drawn_as_lines(built, language):
    # Simulated values are hatched; as pattern fills Chromium printed every hatched shape as an image
    # (2.0 MB for the 2020 report after compression); as lines clipped to the shapes it is about 1.3 MB.
    for pdf in (
        built / "2020" / f"par_index_2020.{language}.pdf",
        built / "trends" / f"par_index_trends.{language}.pdf",
    ):
        assert pdf.stat().st_size < 1_600_000, pdf.name
