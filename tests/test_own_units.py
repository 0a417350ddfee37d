"""Another index: the worked example examples/son_ha (a fictional province ranking its own departments,
communes and wards), defined only by files outside src/ and notebooks/, validated and built end to end.

The expected figures are worked out by hand from examples/son_ha/data/2025/communes.csv and departments.csv.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PARINDEX = Path(sys.executable).parent / "parindex"
EXAMPLE = Path("examples") / "son_ha"
PARAMS = EXAMPLE / "params"
# Words of the PAR INDEX and its owner that a report on another index must never print.
FOREIGN = ("PAR INDEX", "SIPAS", "Ministry of Home Affairs", "Bộ Nội vụ", "%")
NOTICE = {
    "vi": "Dữ liệu minh họa: giá trị đánh dấu † là mô phỏng, không phải số liệu chính thức",
    "en": "Demonstration data: values marked † are simulated, not official",
}


def _run(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(PARINDEX), *arguments], cwd=ROOT, capture_output=True, text=True, check=False, timeout=900
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The example built as `make example` builds it (both years, trends), and one commune's profile."""
    output = tmp_path_factory.mktemp("son_ha")
    result = _run("build", "--params-dir", str(PARAMS), "--output-dir", str(output))
    assert result.returncode == 0, result.stderr
    assert re.search(r"^2025 +built ", result.stdout, re.M) and re.search(
        r"^trends +built ", result.stdout, re.M
    )
    common = ("--params-dir", str(PARAMS), "--output-dir", str(output))
    result = _run("build", "--profiles", "--year", "2025", "--unit", "SH07", *common)
    assert result.returncode == 0, result.stderr
    return output


class _Text(HTMLParser):
    """The words a reader sees in an HTML page: its text and its images' descriptions, not its styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._hidden += 1
        self.parts.extend(value for name, value in attrs if name in ("alt", "title") and value)

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def html_text(page: Path) -> str:
    """The visible text of an HTML page, one space between pieces."""
    parser = _Text()
    parser.feed(page.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF, spaces and line ends folded to one space."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s+", " ", page) for page in text.split("\f") if page.strip()]


def test_the_example_validates():
    result = _run("validate", "--params-dir", str(PARAMS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "problem" not in result.stdout + result.stderr


def test_the_example_is_a_fictional_province():
    names = {
        line.split(",")[1]
        for register in ("provinces.csv", "provinces_34.csv")
        for line in (ROOT / "data" / "units" / register).read_text(encoding="utf-8").splitlines()[1:]
    }
    assert "Sơn Hà" not in names
    readme = (ROOT / EXAMPLE / "README.md").read_text(encoding="utf-8")
    assert "**FICTIONAL**" in readme.split("\n\n")[1]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_yearly_report_prints_none_of_the_par_index_words(built, language):
    html = html_text(built / "2025" / f"son_ha_cchc_2025.{language}.html")
    pages = pdf_pages(built / "2025" / f"son_ha_cchc_2025.{language}.pdf")
    for text in (html, *pages):
        found = [word for word in FOREIGN if word in text]
        assert found == []
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        assert NOTICE[language] in page, f"page {number} has no demonstration notice"


# Worked out by hand from examples/son_ha/data/2025: the 36 commune scores sum to 2811.53, mean 78.098;
# the 14 department scores sum to 1177.37, mean 84.098. Xã An Lạc and Xã Diêm Phố share 76.72 (rank 19).
FIGURES = {
    "vi": {
        "communes": (
            "Xếp hạng các xã, phường",
            "78,10",
            "Phường Tân Thịnh",
            "98,49",
            "Xã Minh Tiến",
            "59,73",
        ),
        "departments": ("Sở, ban, ngành", "84,10", "Sở Dân tộc và Tôn giáo", "98,14", "Sở Nội vụ", "77,71"),
        "band": "Xuất sắc",
        "absent": ("Bộ, cơ quan ngang bộ", "Đối chiếu với số liệu công bố", "SIPAS"),
    },
    "en": {
        "communes": ("communes and wards", "78.10", "Tan Thinh ward", "98.49", "Minh Tien commune", "59.73"),
        "departments": (
            "Departments",
            "84.10",
            "Department of Ethnic Minorities",
            "98.14",
            "Department of Home Affairs",
            "77.71",
        ),
        "band": "Excellent",
        "absent": ("Ministries", "Reconciliation with published figures", "companion"),
    },
}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_yearly_report_ranks_communes_and_departments(built, language):
    expected = FIGURES[language]
    html = html_text(built / "2025" / f"son_ha_cchc_2025.{language}.html")
    pdf = " ".join(pdf_pages(built / "2025" / f"son_ha_cchc_2025.{language}.pdf"))
    for text in (html, pdf):
        for figure in (*expected["communes"], *expected["departments"], expected["band"]):
            assert figure in text
        for heading in expected["absent"]:
            assert heading not in text
    tied = re.findall(r"19 (?:Xã An Lạc|Xã Diêm Phố|An Lac commune|Diem Pho commune) 76[.,]72", html)
    assert len(tied) == 2


def test_the_trends_report_and_a_commune_profile_build(built):
    for language in ("vi", "en"):
        trends = built / "trends" / f"son_ha_cchc_trends.{language}"
        profile = built / "2025" / "profiles" / f"son_ha_cchc_2025_SH07.{language}"
        for stem in (trends, profile):
            assert stem.with_suffix(".pdf").is_file()
            text = html_text(stem.with_suffix(".html"))
            assert [word for word in FOREIGN if word in text] == []
            assert NOTICE[language].split(":")[0] in text
    profile = html_text(built / "2025" / "profiles" / "son_ha_cchc_2025_SH07.vi.html")
    assert "Phường Tân Thịnh" in profile and "98,49" in profile and "90,42" in profile
