"""Another index: the worked example examples/son_ha (a fictional province ranking its own departments,
communes and wards), defined only by files outside src/ and notebooks/, validated and built end to end.

The expected figures are worked out by hand from examples/son_ha/data/2025/communes.csv and departments.csv.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytestmark = pytest.mark.build  # runs real builds: `make quick` leaves it out

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


# Worked out by hand from examples/son_ha/data/2025: the 36 commune scores sum to 2811.53, mean 78.098; the
# 9 of the central area (SH01-SH09) sum to 751.19, mean 83.466; the 14 department scores sum to 1177.37,
# mean 84.098. Xã An Lạc and Xã Diêm Phố share 76.72, both 19th; the next is 21st.
ROWS = [  # rank, Vietnamese name, English name, score, change on 2024 (scores of 2024 and 2025)
    (1, "Phường Tân Thịnh", "Tan Thinh ward", "98.49", "+8.07"),  # 90.42 -> 98.49
    (19, "Xã An Lạc", "An Lac commune", "76.72", "+0.59"),  # 76.13 -> 76.72
    (19, "Xã Diêm Phố", "Diem Pho commune", "76.72", "+4.13"),  # 72.59 -> 76.72
    (21, "Phường Nam Sơn", "Nam Son ward", "75.42", "−0.01"),  # 75.43 -> 75.42
    (36, "Xã Minh Tiến", "Minh Tien commune", "59.73", "+0.82"),  # 58.91 -> 59.73
    (1, "Sở Dân tộc và Tôn giáo", "Department of Ethnic Minorities and Religions", "98.14", "+3.07"),
    (14, "Sở Nội vụ", "Department of Home Affairs", "77.71", "−1.33"),  # 79.04 -> 77.71
]
FIGURES = {
    "vi": ("36", "78,10 điểm", "83,47", "84,10 điểm", "Xuất sắc", "Trung bình"),
    "en": ("36", "78.10 points", "83.47", "84.10 points", "Excellent", "Average"),
}
HEADINGS = {
    "vi": ("Xếp hạng các xã, phường", "Các sở, ban, ngành", "Phương pháp"),
    "en": ("Ranking of communes and wards", "Departments", "Methodology"),
}
# Words of headings a report on communes and departments, with nothing published, must not have.
NOT_HEADINGS = {
    "vi": ("tỉnh", "Bộ", "bộ", "Đối chiếu", "SIPAS"),
    "en": ("province", "Ministr", "ministr", "Reconciliation", "companion", "SIPAS"),
}


def _number(text: str, language: str) -> str:
    return text.replace(".", ",") if language == "vi" else text


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_yearly_report_ranks_communes_and_departments(built, language):
    page = built / "2025" / f"son_ha_cchc_2025.{language}.html"
    html = html_text(page)
    pdf = " ".join(pdf_pages(page.with_suffix(".pdf")))
    for figure in FIGURES[language]:
        assert figure in html and figure in pdf
    for rank, name_vi, name_en, score, change in ROWS:
        score, change = re.escape(_number(score, language)), re.escape(_number(change, language))
        name = name_vi if language == "vi" else name_en
        row = rf"(?<!\d){rank} {name} {score}† \S+(?: \S+)? {change}†"
        assert re.search(row, html), row
    headings = re.findall(r"<h2[^>]*>([^<]*)", page.read_text(encoding="utf-8"))
    assert set(HEADINGS[language]) <= set(headings)
    assert [h for h in headings if any(word in h for word in NOT_HEADINGS[language])] == []


# Words that speak of provinces or of the country, wrong in a province's report on its own units (the
# register's names hold "tỉnh" and "province" on their own, as in "Thanh tra tỉnh" and "Sơn Hà province").
NATIONAL = {
    "vi": ("tỉnh, thành phố", "Tỉnh, thành phố", "cả nước", "Cả nước", "kinh tế - xã hội"),
    "en": ("provinces", "Provinces", "national", "National", "country", "socio-economic"),
}
PROFILE = Path("2025") / "profiles" / "son_ha_cchc_2025_phuong_tan_thinh_SH07"


def _reports(built: Path, language: str) -> list[Path]:
    """The HTML pages of the 2025 report, the trends report and the profile of Phường Tân Thịnh."""
    stems = (Path("2025") / "son_ha_cchc_2025", Path("trends") / "son_ha_cchc_trends", PROFILE)
    return [built / f"{stem}.{language}.html" for stem in stems]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_trends_report_and_a_commune_profile_build(built, language):
    for page in _reports(built, language)[1:]:
        pages = pdf_pages(page.with_suffix(".pdf"))
        assert pages and all(NOTICE[language] in text for text in pages)
        for text in (html_text(page), *pages):
            assert [word for word in FOREIGN if word in text] == []
    trends = html_text(built / "trends" / f"son_ha_cchc_trends.{language}.html")
    assert _number("76.46", language) in trends and _number("78.10", language) in trends  # both years' means
    profile = html_text(built / f"{PROFILE}.{language}.html")
    for figure in ("98.49", "90.42", "83.47"):  # its 2025 and 2024 scores, its area's 2025 mean
        assert _number(figure, language) in profile


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_report_speaks_of_provinces_or_the_country(built, language):
    for page in _reports(built, language):
        text = html_text(page)
        assert [word for word in NATIONAL[language] if word in text] == [], page.name


# Words that would be untrue or doubled here: nothing is published (no published means, no reconciliation),
# and the areas' names carry their own word ("Khu vực trung tâm", "Central area").
UNTRUE = {
    "vi": (
        "vùng Khu vực",
        "Vùng Khu vực",
        "Trung bình đã công bố",
        "phần đối chiếu",
        "khớp với mọi số liệu",
        "giữ nguyên mọi",
    ),
    "en": ("area region", "Published mean", "reconciliation section", "to keep every", "keeping every"),
}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_report_speaks_of_what_is_not_there(built, language):
    for page in _reports(built, language):
        text = html_text(page)
        assert [words for words in UNTRUE[language] if words in text] == [], page.name


def test_an_unknown_commune_is_named_as_one(tmp_path):
    common = ("--params-dir", str(PARAMS), "--output-dir", str(tmp_path))
    result = _run("build", "--profiles", "--year", "2025", "--unit", "SH99", *common)
    assert result.returncode == 2
    assert "no commune or ward with code SH99 in 2025" in result.stderr
    assert "use a code of units/communes.csv" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_peers_are_named_as_communes_of_the_example_set(tmp_path):
    common = ("--params-dir", str(PARAMS), "--output-dir", str(tmp_path))
    result = _run("build", "--profiles", "--year", "2025", "--unit", "SH07", "--peers", "SH01,SH99", *common)
    assert result.returncode == 2
    assert result.stderr == (
        "1 problem found:\n"
        "  --peers: 'SH99' is not the code of a commune or ward of son_ha_communes\n"
        "    fix: use the code of a commune or ward of son_ha_communes, e.g. 'SH01'\n"
    )
    assert not any(tmp_path.iterdir())


def test_peer_groups_in_the_params_are_checked_as_groups_of_communes(tmp_path):
    copy = tmp_path / "son_ha"
    shutil.copytree(ROOT / EXAMPLE, copy)
    params = copy / "params" / "2025.yaml"
    peers = "peers:\n  groups:\n    coast: [SH01, SH02]\n    river: [SH02, SH03]\n"
    peers += "  provinces:\n    SH04: hills\n"  # a group no one defined; SH02 is in two without one chosen
    params.write_text(params.read_text(encoding="utf-8") + peers, encoding="utf-8")
    result = _run("validate", "--params-dir", str(copy / "params"))
    assert result.returncode == 2
    assert result.stderr.endswith(
        "2 problems found:\n"
        f"  {params}, key 'peers.provinces.SH04': no peer group named 'hills' (groups: coast, river)\n"
        "    fix: name a group of peers.groups, or give a list of commune or ward codes\n"
        f"  {params}, key 'peers.groups': commune or ward 'SH02' is in the peer groups coast, river\n"
        "    fix: say which it compares with under peers.provinces, e.g. 'SH02': coast\n"
    )


def test_the_2025_report_states_the_official_tie_rule(built):
    rules = {
        "vi": "Thứ hạng trong báo cáo là thứ hạng chính thức lấy từ dữ liệu đầu vào, kể cả các trường hợp "
        "đồng hạng",
        "en": "Ranks are the official ones given in the inputs, ties included",
    }
    for language, rule in rules.items():
        assert rule in html_text(built / "2025" / f"son_ha_cchc_2025.{language}.html")


def test_official_ranks_and_groups_that_contradict_the_scores_are_refused(tmp_path):
    copy = tmp_path / "son_ha"
    shutil.copytree(ROOT / EXAMPLE, copy)
    communes = copy / "data" / "2025" / "communes.csv"
    text = communes.read_text(encoding="utf-8")
    # Row 3 is Xã Đông Hải (94.68, rank 2, Xuất sắc), row 4 Xã Long Điền (91.31, rank 3, Xuất sắc).
    text = text.replace("Xã Đông Hải,94.68,2,Xuất sắc", "Xã Đông Hải,94.68,2,Tốt")
    text = text.replace("Xã Long Điền,91.31,3,", "Xã Long Điền,91.31,1,")
    communes.write_text(text, encoding="utf-8")
    result = _run("validate", "--params", str(copy / "params" / "2025.yaml"))
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert (
        "the rank 2 contradicts the order of the scores: 'Xã Đông Hải' scores 94.68, above 'Xã Long Điền' "
        "(row 4), which scores 91.31 and ranks 1" in output
    )
    assert "the group 'Tốt' contradicts the score: a score of 94.68 is in band 'Xuất sắc'" in output
    assert "Traceback" not in output
