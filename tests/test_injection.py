"""Injection: markup, paths, formulas and escape sequences in every text a user controls.

A small project (the profile test panel with the real yearly and profile notebooks) gets hostile text in
the params (index name and title, publisher, author, source note, band labels, the companion's title), in
the unit register and its aliases, and in the input file's name and sheet name. Its yearly report (in
Vietnamese and English) and one profile are built, and every page must show the text literally, the PDFs
must hold no local file, nothing may be written outside the output folder, the tables must neutralise
formulas and the terminal must get no escape sequence.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
import yaml

from parindex.pipeline.export import Printer

pytestmark = pytest.mark.build  # runs real builds: `make quick` leaves it out

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]
PARINDEX = Path(sys.executable).parent / "parindex"

SCRIPT = "<script>document.title='pwned'</script>"
FRAME = '<iframe src="file:///etc/passwd"></iframe>'
IMAGE = "<img src=x onerror=alert(1)>"
BREAK = '"><b>bold'
FORMULA = '=HYPERLINK("http://x")'
RED = "\x1b[31m"
NAME = f"PAR {SCRIPT}"
TITLE = {"vi": f"Chỉ số {FRAME}", "en": f"Index {FRAME}"}
PUBLISHER = f"Ministry {IMAGE}"
AUTHOR = f"Research {BREAK}"
SOURCE_NOTE = f"Source ../../etc {SCRIPT} {RED}red"
BANDS = [FORMULA, IMAGE, f"+cmd|' /C calc'!A0 {BREAK}"]
COMPANION = f"Satisfaction {FRAME}"
HUE = {"name_vi": f"Huế {SCRIPT} {RED}red", "name_en": f"Hue {BREAK}"}
ALIAS = f"Huế ../../etc {IMAGE}"
INPUT = f'provinces {IMAGE} "x".xlsx'
SHEET = "<img src=x onerror=alert(2)>"  # read from, never shown


def _replace_csv(path: Path, change) -> None:
    """Rewrites a CSV file row by row with `change(row) -> row`."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(change(dict(row)) for row in rows)


def _hostile_project(base: Path) -> Path:
    """The profile panel with hostile text in its params, register, aliases, input file and sheet names."""
    project = base / "project"
    shutil.copytree(FIXTURES / "profile", project)
    shutil.copytree(FIXTURES / "units", base / "units")  # its params' units_dir is ../units
    (project / "notebooks").mkdir()
    for notebook in ("yearly_report.ipynb", "unit_profile.ipynb"):
        shutil.copy(ROOT / "notebooks" / notebook, project / "notebooks")
    published = project / "published"
    (published / "aggregates.csv").write_text(
        "year,index,unit_type,metric,value,precision,source_url,note\n", encoding="utf-8"
    )
    (published / "unit_facts.csv").write_text(
        "year,index,unit_type,code,name,field,value,precision,source_url,note\n", encoding="utf-8"
    )

    def hue(row: dict) -> dict:
        return row | (HUE if row["code"] == "46" else {})

    _replace_csv(base / "units" / "provinces.csv", hue)
    with open(base / "units" / "aliases.csv", "a", encoding="utf-8") as handle:
        handle.write(f'46,"{ALIAS}",hostile alias\n')
    for table in project.glob("data/*/*.csv"):
        _replace_csv(table, lambda row: row | ({"name": ALIAS} if row["code"] == "46" else {}))
    data = project / "data" / "2020"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    with open(data / "provinces.csv", encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    book.save(data / INPUT)
    (data / "provinces.csv").unlink()

    params = project / "params" / "2020.yaml"
    raw = yaml.safe_load(params.read_text(encoding="utf-8"))
    raw["index"] |= {"name": NAME, "title": TITLE, "publisher": PUBLISHER}
    raw["author"] = AUTHOR
    raw["source_note"] = SOURCE_NOTE
    raw["inputs"][0] |= {"path": f"data/2020/{INPUT}", "sheet": SHEET}
    for band, label in zip(raw["bands"], BANDS, strict=True):
        band["label"] = label
    raw["companion"]["title"] = COMPANION
    params.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return project


def _tree(folder: Path, skip: Path) -> dict[str, int]:
    """Every file under `folder` but those under `skip`, with its modification time."""
    return {
        str(p.relative_to(folder)): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file() and not p.is_relative_to(skip)
    }


def _run(project: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(PARINDEX), *arguments], cwd=project, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The hostile project, its output folder after a yearly and a profile build, and the terminal text."""
    base = tmp_path_factory.mktemp("injection")
    project = _hostile_project(base)
    output = project / "output"
    before = _tree(base, output)
    options = ["--year", "2020", "--jobs", "1", "--output-dir", str(output)]
    year = _run(project, "build", *options)
    assert year.returncode == 0, year.stderr
    profile = _run(project, "build", "--profiles", "--unit", "46", *options)
    assert profile.returncode == 0, profile.stderr
    assert _tree(base, output) == before  # nothing written beside the output folder
    return output, year.stdout + year.stderr + profile.stdout + profile.stderr


class _Page(HTMLParser):
    """The elements of an HTML page, and the text it shows (outside <style>), as a browser parses them."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[tuple[str, str]] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.texts.append((self.lasttag, data))

    def text(self) -> str:
        return "".join(data for tag, data in self.texts if tag != "style")

    def injected(self) -> list[str]:
        """Elements the hostile texts would create if they were not escaped."""
        found = [tag for tag, _ in self.elements if tag == "iframe"]
        found += [f"script: {data}" for tag, data in self.texts if tag == "script" and "pwned" in data]
        found += [
            f"{tag} {attrs}" for tag, attrs in self.elements if "onerror" in attrs or attrs.get("src") == "x"
        ]
        found += [f"b: {data}" for tag, data in self.texts if tag == "b" and data.startswith("bold")]
        return found


PAGES = {
    "2020/par_index_2020.vi.html": [NAME, TITLE["vi"], HUE["name_vi"], COMPANION, *BANDS],
    "2020/par_index_2020.en.html": [NAME, TITLE["en"], HUE["name_vi"], COMPANION, *BANDS],
    "2020/profiles/par_index_2020_hue_script_document_title_pwned_script_46.vi.html": [NAME, HUE["name_vi"]],
    "2020/profiles/par_index_2020_hue_script_document_title_pwned_script_46.en.html": [NAME, HUE["name_vi"]],
    "2020/profiles/index.html": [NAME, HUE["name_vi"]],
    "2020/profiles/index.en.html": [NAME, HUE["name_vi"]],
    "index.html": [NAME],
    "index.en.html": [NAME],
}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_the_hostile_texts_literally_and_creates_no_element_from_them(built, page):
    output, _ = built
    parsed = _Page((output / page).read_text(encoding="utf-8"))
    assert parsed.injected() == []
    shown = parsed.text()
    missing = [text for text in PAGES[page] if text not in shown]
    assert missing == []


def test_the_input_file_is_named_literally_in_the_provenance(built):
    output, _ = built
    page = _Page((output / "2020" / "par_index_2020.en.html").read_text(encoding="utf-8"))
    assert f"data/2020/{INPUT}" in page.text()
    assert [attrs for _, attrs in page.elements if attrs.get("src") == "x"] == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_chart_is_well_formed_svg_though_its_source_note_holds_a_control_character(built, language):
    output, _ = built
    page = (output / "2020" / f"par_index_2020.{language}.html").read_text(encoding="utf-8")
    charts = re.findall(r"<svg\b.*?</svg>", page, re.S)
    assert len(charts) >= 4
    titles = []
    for chart in charts:
        ElementTree.fromstring(chart)  # raises on a character XML does not allow
        titles += re.findall(r"<title>(.*?)</title>", chart)
    assert titles and not [title for title in titles if "\x1b" in title or "<" in title]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_in_chromium_with_scripts_on_the_title_stays_and_no_frame_or_handler_exists(built, language):
    output, _ = built
    html = output / "2020" / f"par_index_2020.{language}.html"
    with Printer() as printer, printer.load(html, scripts=True) as page:
        title = page.evaluate("document.title")
        found = page.evaluate("document.querySelectorAll('iframe, [onerror]').length")
        scripts = page.evaluate("Array.from(document.scripts).map(s => s.textContent)")
        blocked = list(printer.blocked)
    assert title.startswith(NAME) and title.endswith(TITLE[language])
    assert found == 0
    own = (files("parindex.reports") / "assets" / "screen.js").read_text(encoding="utf-8")
    assert scripts == ["\n" + own]  # the page's own script, and no other
    assert blocked == []


@pytest.mark.parametrize(
    "pdf",
    [
        "2020/par_index_2020.vi.pdf",
        "2020/par_index_2020.en.pdf",
        "2020/profiles/par_index_2020_hue_script_document_title_pwned_script_46.vi.pdf",
        "2020/profiles/par_index_2020_hue_script_document_title_pwned_script_46.en.pdf",
    ],
)
def test_no_pdf_holds_a_local_file_and_its_metadata_is_the_literal_text(built, pdf):
    output, _ = built
    text = subprocess.run(
        ["pdftotext", str(output / pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    info = subprocess.run(["pdfinfo", str(output / pdf)], capture_output=True, text=True, check=True).stdout
    assert "root:x:0:0" not in text and "/bin/bash" not in text
    assert "PAR <script>document.title='pwned'</script>" in " ".join(text.split())
    assert f"Author:          {AUTHOR}" in info


def test_tables_neutralise_every_cell_a_spreadsheet_would_run(built):
    output, _ = built
    cells = []
    for table in sorted((output / "2020" / "tables").glob("*.csv")):
        with open(table, encoding="utf-8-sig", newline="") as handle:
            cells += [cell for row in csv.reader(handle) for cell in row]
    live = [
        cell for cell in cells if cell[:1] in ("=", "+", "@", "\t", "\r") or re.match(r"-(?![\d.])", cell)
    ]
    assert live == []
    assert f"'{FORMULA}" in cells
    assert f"'{BANDS[2]}" in cells


def test_the_terminal_gets_no_escape_sequence_or_control_character(built):
    _, said = built
    assert re.findall(r"[\x00-\x09\x0b-\x1f\x7f]", said) == []


def test_nothing_is_written_outside_the_output_folder(built):
    output, _ = built
    base = output.parent.parent
    assert not (base / "etc").exists() and not (output.parent / "etc").exists()
    assert sorted(p.name for p in output.iterdir()) == [".lock", "2020", "index.en.html", "index.html"]


@pytest.mark.parametrize("name", ["../../etc", "tables/x", "/tmp/sipas", "SIPAS\x1b[31m"])
def test_a_companion_name_that_would_leave_its_folder_is_refused_by_validation(tmp_path, name):
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "profile", project)
    shutil.copytree(FIXTURES / "units", tmp_path / "units")
    params = project / "params" / "2020.yaml"
    raw = yaml.safe_load(params.read_text(encoding="utf-8"))
    raw["companion"]["name"] = name
    params.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = _run(project, "validate", "--params", str(params))
    assert result.returncode == 2
    assert f"companion.name {name!r} cannot name a file" in result.stderr
    assert "\x1b" not in result.stderr
    assert sorted(os.listdir(tmp_path)) == ["project", "units"]
