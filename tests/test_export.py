import base64
import datetime
import io
import logging
import os
import re
import subprocess
import threading

import matplotlib
import nbformat
import pikepdf
import pytest
from PIL import Image

from parindex.errors import BuildError
from parindex.pipeline.export import (
    Printer,
    export_html,
    find_chromium,
    pdf_date,
    remote_references,
    select_language,
    unfold_uses,
    within,
)
from parindex.reports import screen
from parindex.reports.present import LANGUAGES_MIME, Localized

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def _png() -> str:
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["Quảng Ninh", "Hải Phòng"], [91.04, 90.51])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _executed(tmp_path, extra_html: str = ""):
    """An executed notebook as papermill leaves it: code cells with outputs, markdown, tags."""
    (tmp_path / "logo.png").write_bytes(base64.b64decode(_png()))
    chart = nbformat.v4.new_code_cell("SECRET_SOURCE = plot(scores)", execution_count=1)
    chart.outputs = [nbformat.v4.new_output("display_data", {"image/png": _png(), "text/plain": "<Figure>"})]
    svg = nbformat.v4.new_code_cell("svg_source_line()", execution_count=2)
    svg.outputs = [
        nbformat.v4.new_output(
            "display_data",
            {"image/svg+xml": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'},
        )
    ]
    table = nbformat.v4.new_code_cell("table_source_line()", execution_count=3)
    table.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            {"text/html": "<table><tr><td>Thừa Thiên Huế</td><td>88.47</td></tr></table>" + extra_html},
            execution_count=3,
        )
    ]
    hidden = nbformat.v4.new_code_cell("hidden_source_line()", execution_count=4)
    hidden.metadata["tags"] = ["remove-cell"]
    hidden.outputs = [nbformat.v4.new_output("stream", name="stdout", text="HIDDEN OUTPUT")]
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Báo cáo Thừa Thiên Huế\n\n![logo](logo.png)"),
        chart,
        svg,
        nbformat.v4.new_markdown_cell("## Provinces"),
        table,
        hidden,
    ]
    path = tmp_path / "report.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def printer():
    with Printer() as started:
        yield started


@pytest.fixture
def page(tmp_path):
    return export_html(_executed(tmp_path), tmp_path / "report.html", "PAR INDEX 2020: Thừa Thiên Huế")


def test_html_has_no_code_no_hidden_cells_and_nothing_remote(page):
    text = page.read_text(encoding="utf-8")
    assert "Báo cáo Thừa Thiên Huế" in text
    assert "<title>PAR INDEX 2020: Thừa Thiên Huế</title>" in text
    for source in (
        "SECRET_SOURCE",
        "svg_source_line",
        "table_source_line",
        "hidden_source_line",
        "HIDDEN OUTPUT",
    ):
        assert source not in text
    assert not re.search(r"<(script|link)\b[^>]*(src|href)=[\"']?(https?:)?//", text, re.I)
    assert remote_references(text) == []
    sources = [s.split(",")[0] for s in re.findall(r"<img[^>]*\ssrc=\"([^\"]*)\"", text)]
    assert sorted(sources) == ["data:image/png;base64", "data:image/png;base64", "data:image/svg+xml;base64"]
    assert "@page { size: A4; }" in text


def test_html_renders_with_the_network_off(page, printer, caplog):
    caplog.set_level(logging.WARNING, logger="parindex")
    with printer.load(page) as loaded:
        widths = loaded.evaluate("Array.from(document.images).map(i => i.naturalWidth)")
        shot = loaded.screenshot(full_page=True)
    assert len(widths) == 3 and all(w > 0 for w in widths)
    assert shot.startswith(b"\x89PNG")
    assert printer.blocked == []
    assert caplog.records == []


def test_a_page_that_reaches_out_is_blocked_and_reported(tmp_path, printer, caplog):
    remote = tmp_path / "remote.html"
    remote.write_text(
        '<html><head><link rel="stylesheet" href="http://cdn.invalid/x.css"></head><body>x</body></html>',
        encoding="utf-8",
    )
    with printer.load(remote):
        pass
    assert printer.blocked == ["http://cdn.invalid/x.css"]
    assert "remote.html: blocked requests outside its folder: http://cdn.invalid/x.css" in caplog.text


@pytest.mark.parametrize(
    "title",
    [
        "</title><script>alert(1)</script>",
        '<iframe src="file:///etc/passwd"></iframe>',
        "A & <b>B</b>",
    ],
)
def test_a_hostile_title_stays_literal_text(tmp_path, title):
    page = export_html(_executed(tmp_path), tmp_path / "report.html", title).read_text(encoding="utf-8")
    [written] = re.findall(r"<title>(.*?)</title>", page, re.S)
    assert written == title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert page.count("<script") == 1 and screen.script() in page  # the page's own script, once
    assert "<iframe" not in page and "<b>B</b>" not in page


def test_a_chart_drawn_in_html_is_written_as_drawn_and_a_look_alike_mark_stays_a_comment(tmp_path):
    drawing = (
        '<figure><svg role="img" aria-label="Biểu đồ" viewBox="0 0 10 10" xmlns="http://www.w3.org/2000/svg">'
        '<path d="M 0 0 L 10 10" style="stroke: #0072B2"/><g id="f1-x"><title>Huế: 88,47</title></g></svg>'
        "</figure>"
    )
    path = _executed(tmp_path, extra_html=drawing)
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("A note <!--parindex-drawing-0--> ends here."))
    nbformat.write(nb, path)
    page = export_html(path, tmp_path / "report.html", "PAR INDEX 2020").read_text(encoding="utf-8")
    assert drawing in page  # not rewritten by nbconvert's pass (which would write `viewbox`, reorder)
    assert page.count("<svg") == 1
    assert "<!--parindex-drawing-0-->" in page
    nested = '<svg viewBox="0 0 4 4"><svg x="1"><rect width="1" height="1"/></svg><circle r="1"/></svg>'
    output = nbformat.v4.new_output("display_data", {"text/html": nested})
    nb.cells.append(nbformat.v4.new_code_cell("nested()", outputs=[output]))
    nbformat.write(nb, path)
    page = export_html(path, tmp_path / "report.html", "PAR INDEX 2020").read_text(encoding="utf-8")
    assert page.count("<svg") == 3 and page.count("</svg>") == 3 and "<circle r=" in page
    assert re.findall(r"<!--parindex-drawing-[0-9a-f]+-\d+-->", page) == []


def _hostile_site(tmp_path):
    """A report folder whose page reaches out: a script, frames of local files, an image outside it."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("SECRET OUTSIDE THE FOLDER\n", encoding="utf-8")
    (outside / "secret.png").write_bytes(base64.b64decode(_png()))
    site = tmp_path / "report"
    site.mkdir()
    (site / "link.txt").symlink_to(outside / "secret.txt")
    (site / "own.txt").write_text("OWN FILE OF THE REPORT\n", encoding="utf-8")
    (site / "own.png").write_bytes(base64.b64decode(_png()))
    return site, outside


def test_printing_runs_no_script_and_reads_no_file_outside_the_folder(tmp_path, printer, caplog):
    site, outside = _hostile_site(tmp_path)
    page = site / "report.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body>'
        "<h1>Báo cáo</h1>"
        '<iframe src="file:///etc/passwd"></iframe>'
        '<iframe src="link.txt"></iframe>'
        '<iframe src="../outside/secret.txt"></iframe>'
        '<iframe src="own.txt"></iframe>'
        '<img src="own.png" alt="own">'
        "<script>document.body.insertAdjacentHTML('beforeend', '<p>WRITTEN BY A SCRIPT</p>')</script>"
        "</body></html>",
        encoding="utf-8",
    )
    pdf = printer.print_pdf(page, tmp_path / "report.pdf", "PAR INDEX 2020", "t")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Báo cáo" in text and "OWN FILE OF THE REPORT" in text
    assert "root:x:0:0" not in text
    assert "SECRET OUTSIDE THE FOLDER" not in text
    assert "WRITTEN BY A SCRIPT" not in text
    assert sorted(printer.blocked) == sorted(
        ["file:///etc/passwd", (site / "link.txt").as_uri(), (outside / "secret.txt").as_uri()]
    )
    assert "report.html: blocked requests outside its folder: file:///etc/passwd" in caplog.text


def test_an_image_outside_the_folder_is_blocked_and_listed(tmp_path, printer, caplog):
    site, outside = _hostile_site(tmp_path)
    page = site / "report.html"
    page.write_text(
        f'<html><body><img src="own.png"><img src="{(outside / "secret.png").as_uri()}"></body></html>',
        encoding="utf-8",
    )
    with pytest.raises(BuildError, match=r"^report\.html: 1 image\(s\) did not load$"):
        printer.print_pdf(page, tmp_path / "report.pdf", "h", "t")
    assert printer.blocked == [(outside / "secret.png").as_uri()]
    assert f"report.html: blocked requests outside its folder: {(outside / 'secret.png').as_uri()}" in (
        caplog.text
    )
    assert not (tmp_path / "report.pdf").exists()


def test_scripts_run_only_when_asked(tmp_path, printer):
    page = tmp_path / "sorted.html"
    page.write_text("<html><body><script>document.title = 'ran'</script></body></html>", encoding="utf-8")
    with printer.load(page) as loaded:
        assert loaded.evaluate("document.title") == ""
    with printer.load(page, scripts=True) as loaded:
        assert loaded.evaluate("document.title") == "ran"


def test_what_a_page_may_load(tmp_path):
    site, outside = _hostile_site(tmp_path)
    (site / "sub").mkdir()
    (site / "inner").symlink_to(site / "sub")
    allowed = [
        "data:image/png;base64,AAAA",
        "blob:null/1d2c",
        (site / "own.png").as_uri(),
        (site / "sub" / "x.css").as_uri(),
        (site / "inner" / "x.css").as_uri(),
        f"file://localhost{site / 'own.png'}",
        (site / "own%20copy.png").as_uri(),
    ]
    refused = [
        "file:///etc/passwd",
        (site / "link.txt").as_uri(),
        f"file://{site}/../outside/secret.txt",
        f"file://{site}/%2e%2e/outside/secret.txt",
        f"file://example.org{site / 'own.png'}",
        "http://127.0.0.1/x.png",
        "https://cdn.example.org/x.js",
        "ftp://example.org/x",
        "chrome://version",
        f"file://{tmp_path / 'report-other' / 'x.png'}",
    ]
    assert [url for url in allowed if not within(url, site)] == []
    assert [url for url in refused if within(url, site)] == []


def test_an_output_loading_scripts_from_the_network_is_refused(tmp_path):
    notebook = _executed(tmp_path, extra_html='<script src="https://cdn.example.org/plotly.js"></script>')
    with pytest.raises(BuildError) as caught:
        export_html(notebook, tmp_path / "report.html", "x")
    assert str(caught.value) == (
        "report.ipynb: the report would load https://cdn.example.org/plotly.js from the network. "
        "Make the notebook output static images or tables instead (e.g. matplotlib figures)."
    )


@pytest.fixture
def two_pages(tmp_path):
    page = tmp_path / "tiny.html"
    filler = "".join(f"<p>Đoạn {n}: Thừa Thiên Huế 88,47%.</p>" for n in range(40))
    page.write_text(
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>t</title></head><body>'
        f"<h1>Chỉ số cải cách hành chính</h1><p>Thừa Thiên Huế</p><h2>Tỉnh</h2>{filler}</body></html>",
        encoding="utf-8",
    )
    return page


def test_pdf_has_the_text_header_page_numbers_bookmarks_and_tags(two_pages, tmp_path, printer, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1609459200")
    pdf = printer.print_pdf(
        two_pages, tmp_path / "tiny.pdf", "PAR INDEX 2020", "PAR INDEX 2020 report", "MOHA"
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Thừa Thiên Huế" in text
    assert "Chỉ số cải cách hành chính" in text
    assert text.count("PAR INDEX 2020") == 2
    assert "Page 1 of 2" in text and "Page 2 of 2" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Tagged:\s+yes", info)
    assert re.search(r"Page size:\s+595\.\d+ x 842\.\d+ pts \(A4\)", info)
    with pikepdf.open(pdf) as document, document.open_outline() as outline:
        assert [(item.title, [child.title for child in item.children]) for item in outline.root] == [
            ("Chỉ số cải cách hành chính", ["Tỉnh"])
        ]
        assert {key: str(value) for key, value in document.docinfo.items() if key != "/Producer"} == {
            "/Title": "PAR INDEX 2020 report",
            "/Author": "MOHA",
            "/Creator": "parindex",
            "/CreationDate": "D:20210101000000Z",
            "/ModDate": "D:20210101000000Z",
        }
        assert str(document.Root.Lang) == "en"


def test_a_vietnamese_pdf_numbers_its_pages_in_vietnamese_and_says_its_language(two_pages, tmp_path, printer):
    pdf = printer.print_pdf(two_pages, tmp_path / "vi.pdf", "PAR INDEX năm 2020", "t", language="vi")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Trang 1/2" in text and "Trang 2/2" in text and "Page" not in text
    with pikepdf.open(pdf) as document:
        assert str(document.Root.Lang) == "vi"


def _bilingual() -> nbformat.NotebookNode:
    """A notebook with an output in two languages, one in every language, and cells tagged by language."""
    both = nbformat.v4.new_code_cell("section()", execution_count=1)
    both.outputs = [
        nbformat.v4.new_output(
            "display_data", Localized({"vi": "<p>83,72%</p>", "en": "<p>83.72%</p>"})._repr_mimebundle_()
        )
    ]
    english_only = nbformat.v4.new_code_cell("note()", execution_count=2)
    english_only.outputs = [
        nbformat.v4.new_output("display_data", {LANGUAGES_MIME: {"en": "<p>note</p>"}, "text/html": "x"})
    ]
    plain = nbformat.v4.new_code_cell("frame", execution_count=3)
    plain.outputs = [
        nbformat.v4.new_output("execute_result", {"text/plain": "a DataFrame"}, execution_count=3)
    ]
    vi = nbformat.v4.new_markdown_cell("## Xếp hạng", metadata={"tags": ["lang-vi"]})
    en = nbformat.v4.new_markdown_cell("## Ranking", metadata={"tags": ["lang-en", "remove-input"]})
    nb = nbformat.v4.new_notebook()
    nb.cells = [vi, en, both, english_only, plain]
    return nb


def test_select_language_keeps_one_language_of_each_output_and_of_tagged_cells():
    nb = select_language(_bilingual(), "vi")
    assert [cell.source for cell in nb.cells] == ["## Xếp hạng", "section()", "note()", "frame"]
    assert nb.cells[1].outputs[0]["data"] == {"text/html": "<p>83,72%</p>"}
    assert nb.cells[2].outputs == []
    assert nb.cells[3].outputs[0]["data"] == {"text/plain": "a DataFrame"}
    english = select_language(_bilingual(), "en")
    assert [cell.source for cell in english.cells] == ["## Ranking", "section()", "note()", "frame"]
    assert english.cells[1].outputs[0]["data"] == {"text/html": "<p>83.72%</p>"}
    assert english.cells[2].outputs[0]["data"] == {"text/html": "<p>note</p>"}


def test_a_localized_output_shows_the_main_language_in_a_notebook():
    bundle = Localized({"vi": "<p>Tóm tắt</p>", "en": "<p>Summary</p>"})._repr_mimebundle_()
    assert bundle == {
        "text/html": "<p>Tóm tắt</p>",
        LANGUAGES_MIME: {"vi": "<p>Tóm tắt</p>", "en": "<p>Summary</p>"},
    }


def test_the_html_of_one_language_says_its_language_and_links_the_others(tmp_path):
    notebook = tmp_path / "bilingual.ipynb"
    nbformat.write(_bilingual(), notebook)
    page = export_html(notebook, tmp_path / "r.vi.html", "Báo cáo", "vi", {"en": "r.en.html"})
    text = page.read_text(encoding="utf-8")
    assert '<html lang="vi">' in text
    assert '<span aria-label="Ngôn ngữ khác" class="parindex-languages" role="group">' in text
    assert '<a href="r.en.html" hreflang="en" lang="en">English</a>' in text
    assert "83,72%" in text and "83.72%" not in text and "Ranking" not in text


def test_pdf_is_byte_identical_when_printed_twice(two_pages, tmp_path, printer, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1609459200")
    first = printer.print_pdf(two_pages, tmp_path / "a.pdf", "PAR INDEX 2020", "t").read_bytes()
    second = printer.print_pdf(two_pages, tmp_path / "b.pdf", "PAR INDEX 2020", "t").read_bytes()
    assert first == second


def test_pdf_date_is_utc():
    moment = datetime.datetime(2021, 5, 17, 9, 30, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    assert pdf_date(moment) == "D:20210517023005Z"


def test_missing_chromium_says_how_to_install_it(tmp_path):
    with pytest.raises(BuildError) as caught:
        find_chromium(search_path=str(tmp_path))
    assert str(caught.value) == (
        "Chromium is needed to print PDFs and was not found (looked for chromium-headless-shell, chromium, "
        "chromium-browser, google-chrome, google-chrome-stable on the PATH). Install it with: "
        "sudo apt-get install chromium-headless-shell poppler-utils fonts-dejavu-core fonts-liberation"
    )


def test_the_headless_shell_is_preferred_to_a_full_chromium_found_before_it(tmp_path):
    full, shell = tmp_path / "full", tmp_path / "shell"
    for folder, name in ((full, "chromium"), (shell, "chromium-headless-shell")):
        folder.mkdir()
        (folder / name).write_text("#!/bin/sh\n")
        (folder / name).chmod(0o755)
    assert find_chromium(search_path=f"{full}:{shell}") == shell / "chromium-headless-shell"
    assert find_chromium(search_path=str(full)) == full / "chromium"


def test_a_browser_that_does_not_start_is_reported(tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    caught = []

    def start():  # in a thread of its own: the module's printer holds this thread's playwright
        try:
            with Printer(fake):
                pass
        except BuildError as error:
            caught.append(str(error))

    thread = threading.Thread(target=start)
    thread.start()
    thread.join()
    assert len(caught) == 1
    assert re.match(
        rf"^Chromium at {fake} did not start: .+\. Reinstall it with: sudo apt-get install chromium",
        caught[0],
    )


def test_printing_outside_the_context_is_refused(two_pages, tmp_path):
    with pytest.raises(BuildError, match=r"^Printer used outside `with Printer\(\) as printer:`$"):
        Printer().print_pdf(two_pages, tmp_path / "x.pdf", "h", "t")


@pytest.mark.skipif(os.geteuid() != 0, reason="Chromium refuses its sandbox only as root")
def test_without_a_usable_sandbox_the_printer_says_so_and_still_prints(
    two_pages, tmp_path, monkeypatch, caplog
):
    monkeypatch.setattr(
        os, "geteuid", lambda: 1000
    )  # as root, the sandbox fails as it would on such a machine
    results = []

    def run():  # in a thread of its own: the module's printer holds this thread's playwright
        with Printer() as started:
            results.append(started.sandboxed)
            results.append(started.print_pdf(two_pages, tmp_path / "x.pdf", "h", "t").is_file())

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert results == [False, True]
    assert "Chromium's sandbox cannot start on this machine; printing without it" in caplog.text


def test_chromium_runs_in_its_sandbox_unless_root(printer):
    assert printer.sandboxed is (os.geteuid() != 0)


def test_the_page_heads_with_links_to_the_build_and_its_tables_and_its_contents(tmp_path):
    notebook = tmp_path / "bilingual.ipynb"
    nbformat.write(_bilingual(), notebook)
    links = [("Tất cả báo cáo", "../index.html"), ("<b>PAR</b> qua các năm", "../trends/t.vi.html")]
    page = export_html(
        notebook,
        tmp_path / "r.vi.html",
        "Báo cáo",
        "vi",
        {"en": "r.en.html"},
        {"common.download.workbook": "tables/r.xlsx"},
        links,
        ["tables/provinces.csv", "tables/regions.csv"],
    )
    text = page.read_text(encoding="utf-8")
    nav = text[text.index('<nav aria-label="Các trang của bộ báo cáo" class="parindex-nav">') :]
    nav = nav[: nav.index("</nav>")]
    assert re.findall(r'<a [^>]*href="([^"]+)"', nav) == [
        "../index.html",
        "../trends/t.vi.html",
        "tables/r.xlsx",
        "tables/provinces.csv",
        "tables/regions.csv",
        "r.en.html",
    ]
    assert "&lt;b&gt;PAR&lt;/b&gt; qua các năm</a>" in nav
    assert "<summary>Bảng số liệu (CSV)</summary>" in nav
    assert (
        '<summary>Mục lục</summary><ol><li><a href="#X%E1%BA%BFp-h%E1%BA%A1ng">Xếp hạng</a></li></ol>' in text
    )
    assert text.count("<script") == 1 and "table[data-sortable]" in text


def test_pages_of_one_folder_share_a_browser_page_and_another_folder_gets_its_own(tmp_path, printer):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "own.png").write_bytes(base64.b64decode(_png()))
    for name, words in (("a", "Alpha page"), ("b", "Beta page")):
        (first / f"{name}.html").write_text(
            f'<html><body><p>{words}</p><img src="own.png" alt="dot"></body></html>', encoding="utf-8"
        )
    # A page of the second folder asks for the first folder's image, which its own page may not load.
    (second / "c.html").write_text(
        f'<html><body><p>Gamma page</p><img src="{(first / "own.png").as_uri()}" alt="dot"></body></html>',
        encoding="utf-8",
    )
    for name in ("a", "b"):
        printer.print_pdf(first / f"{name}.html", tmp_path / f"{name}.pdf", "h", "t")
        assert printer.blocked == []
    with pytest.raises(BuildError, match=r"^c\.html: 1 image\(s\) did not load$"):
        printer.print_pdf(second / "c.html", tmp_path / "c.pdf", "h", "t")
    assert printer.blocked == [(first / "own.png").as_uri()]
    printer.print_pdf(first / "a.html", tmp_path / "again.pdf", "h", "t")  # after a failure, a new page
    texts = {
        name: subprocess.run(
            ["pdftotext", str(tmp_path / f"{name}.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        for name in ("a", "b", "again")
    }
    assert "Alpha page" in texts["a"] and "Beta page" not in texts["a"]
    assert "Beta page" in texts["b"] and "Alpha page" not in texts["b"]
    assert "Alpha page" in texts["again"]


def test_a_page_exported_after_another_keeps_nothing_of_it(tmp_path):
    """The exporter is made once per language and process; each page still gets only its own parts."""
    notebook = tmp_path / "bilingual.ipynb"
    nbformat.write(_bilingual(), notebook)
    export_html(
        notebook,
        tmp_path / "first.vi.html",
        "Báo cáo thứ nhất",
        "vi",
        {"en": "first.en.html"},
        {"common.download.workbook": "tables/first.xlsx"},
        [("Tất cả báo cáo", "../index.html")],
        ["tables/provinces.csv"],
    )
    second = export_html(_executed(tmp_path), tmp_path / "second.vi.html", "Báo cáo thứ hai", "vi")
    text = second.read_text(encoding="utf-8")
    assert "<title>Báo cáo thứ hai</title>" in text
    left = ("thứ nhất", "first.en.html", "first.xlsx", "../index.html", "provinces.csv", "<nav aria-label")
    assert [part for part in left if part in text] == []
    assert "Thừa Thiên Huế" in text and '<html lang="vi">' in text


def test_each_use_of_a_drawing_is_unfolded_into_a_copy_of_what_it_shows():
    page = (
        '<p>before</p><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 10 10"><defs><path id="m" d="M 0 0 L 1 1" style="stroke: #000"/>'
        '<path id="glyph" d="M 1 1" transform="scale(0.5)"/><path id="f" d="M 2 2" fill="blue"/></defs>'
        '<use xlink:href="#m" x="2" y="3" style="fill: red"><title>Hà Nội: 88,47</title></use>'
        '<use href="#glyph" transform="translate(4 0)"/>'
        '<use xlink:href="#m" transform="rotate(90)" x="1" style="opacity: 0.5"/>'
        '<use xlink:href="#f" style="fill: red"/>'
        '<use xlink:href="#elsewhere" x="1"/></svg>'
        "<p>after</p><svg><use></svg>"
    )
    assert unfold_uses(page) == (
        '<p>before</p><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 10 10"><defs><path id="m" d="M 0 0 L 1 1" style="stroke: #000" />'
        '<path id="glyph" d="M 1 1" transform="scale(0.5)" /><path id="f" d="M 2 2" fill="blue" /></defs>'
        # a path shown with colours only: the copy takes the use's place, the use's style first
        '<path d="M 0 0 L 1 1" style="fill: red; stroke: #000" transform="translate(2 3)">'
        "<title>Hà Nội: 88,47</title></path>"
        '<path d="M 1 1" transform="translate(4 0) scale(0.5)" />'
        # anything else: a group with the use's attributes, as SVG 1.1 defines it
        '<g transform="rotate(90) translate(1 0)" style="opacity: 0.5">'
        '<path d="M 0 0 L 1 1" style="stroke: #000" /></g>'
        '<g style="fill: red"><path d="M 2 2" fill="blue" /></g>'
        '<use xlink:href="#elsewhere" x="1" /></svg>'
        "<p>after</p><svg><use></svg>"
    )
    assert unfold_uses("<p>no drawing</p>") == "<p>no drawing</p>"


def test_a_page_with_uses_is_printed_from_a_copy_that_is_removed_after_and_the_page_is_left_as_it_was(
    tmp_path, printer
):
    drawing = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="80" '
        'height="40"><defs><path id="dot" d="M 0 0 h 10 v 10 h -10 z"/></defs>'
        '<use xlink:href="#dot" x="5" y="5" style="fill: #0072B2"/></svg>'
    )
    page = tmp_path / "page.html"
    page.write_text(f"<html><body><p>Hà Giang</p>{drawing}</body></html>", encoding="utf-8")
    before = page.read_bytes()
    printer.print_pdf(page, tmp_path / "page.pdf", header="h", title="t")
    text = subprocess.run(["pdftotext", str(tmp_path / "page.pdf"), "-"], capture_output=True, text=True)
    assert "Hà Giang" in text.stdout
    image = subprocess.run(
        ["pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "1", str(tmp_path / "page.pdf")],
        capture_output=True,
    ).stdout
    colours = dict(
        (colour, count) for count, colour in Image.open(io.BytesIO(image)).convert("RGB").getcolors(1 << 24)
    )
    assert colours.get((0, 114, 178), 0) > 20  # the square drawn by its use
    assert page.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html", "page.pdf"]
    broken = tmp_path / "broken.html"
    broken.write_text(f'<html><body>{drawing}<img src="missing.png"></body></html>', encoding="utf-8")
    with pytest.raises(BuildError, match=r"^broken.html: 1 image\(s\) did not load$"):
        printer.print_pdf(broken, tmp_path / "broken.pdf", header="h", title="t")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.html", "page.html", "page.pdf"]


def test_a_page_printed_after_another_is_the_same_file_as_printed_first(tmp_path, printer, monkeypatch):
    """The printer keeps its page for the folder's next file; the tags' ids must not show it."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1609459200")
    rows = "".join(f"<tr><th scope='row'>Tỉnh {n}</th><td>{80 + n / 10:.2f}</td></tr>" for n in range(30))
    table = f"<table><thead><tr><th scope='col'>Tỉnh</th><th scope='col'>Điểm</th></tr></thead>{rows}</table>"
    shared, own = tmp_path / "shared", tmp_path / "own"
    for folder in (shared, own):
        folder.mkdir()
        page = f"<html lang='vi'><body><h1>Hai</h1>{table}<p>Hết.</p></body></html>"
        (folder / "second.html").write_text(page, encoding="utf-8")
    longer = f"<html lang='vi'><body><h1>Một</h1>{table * 3}</body></html>"
    (shared / "first.html").write_text(longer, encoding="utf-8")
    alone = printer.print_pdf(own / "second.html", tmp_path / "alone.pdf", "h", "t").read_bytes()
    printer.print_pdf(shared / "first.html", tmp_path / "first.pdf", "h", "t")
    after = printer.print_pdf(shared / "second.html", tmp_path / "after.pdf", "h", "t").read_bytes()
    assert after == alone
    with pikepdf.open(tmp_path / "after.pdf") as document:
        ids = list(pikepdf.NameTree(document.Root.StructTreeRoot.IDTree).keys())
    assert ids[:3] == ["node00000000", "node00000001", "node00000002"]
