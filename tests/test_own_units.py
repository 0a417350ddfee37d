"""An index of one's own units, end to end: a fictional district's communes and departments (tests/fixtures/
own_units), built by `parindex build` from files outside src/ and notebooks/ with the shared notebooks.

Every value of the fixture is simulated. Its communes and wards are the main unit type (in two areas), its
departments the second; it has no companion index, no tile layout and no published facts, and writes its
scores in points ("điểm").
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from parindex.reports import yearly
from parindex.reports.yearly import year as yearly_year
from parindex.reports.yearly.reconcile import reconciliation_rows

pytestmark = pytest.mark.build  # runs real builds: `make quick` leaves it out

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "own_units"
PARINDEX = Path(sys.executable).parent / "parindex"
# What a report of an index of one's own must not say unless its params do.
FOREIGN = ("PAR INDEX", "SIPAS", "Ministry of Home Affairs", "Bộ Nội vụ", "%")


class _Text(HTMLParser):
    """The text a reader sees in a page: its text and the alt text of its images, without style or script."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.headings: list[str] = []
        self._hidden = 0
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("style", "script"):
            self._hidden += 1
        if tag in ("h1", "h2"):
            self._heading = []
        self.parts += [value for name, value in attrs if name == "alt" and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._hidden -= 1
        if tag in ("h1", "h2") and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        self.parts.append(data)
        if self._heading is not None:
            self._heading.append(data)


def _read(page: Path) -> _Text:
    reader = _Text()
    reader.feed(page.read_text(encoding="utf-8"))
    return reader


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("own_units")
    result = subprocess.run(
        [
            str(PARINDEX),
            "build",
            "--trends",
            "--params-dir",
            str(FIXTURE / "params"),
            "--output-dir",
            str(output),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    for name in ("2023", "2024", "trends"):
        assert re.search(rf"^{name} +built ", result.stdout, re.M), result.stdout
    return output


PAGES = [
    f"{folder}/huyen_thu_{stem}.{language}.html"
    for folder, stem in (("2023", "2023"), ("2024", "2024"), ("trends", "trends"))
    for language in ("vi", "en")
]


@pytest.mark.parametrize("page", PAGES)
def test_no_page_names_another_index_its_publisher_or_a_percentage(built, page):
    text = "\n".join(_read(built / page).parts)
    assert [word for word in FOREIGN if word in text] == []


def test_the_yearly_report_has_the_sections_its_data_has(built):
    assert _read(built / "2024" / "huyen_thu_2024.en.html").headings == [
        "CCHC Huyện Thử 2024: Administrative reform index of a test district",
        "Key figures",
        "Ranking of communes and wards",
        "How the scores are spread",
        "Change on the previous year",
        "Regions",
        "Departments",
        "Methodology",
        "Provenance",
    ]
    assert _read(built / "2024" / "huyen_thu_2024.vi.html").headings == [
        "CCHC Huyện Thử năm 2024: Chỉ số cải cách hành chính của huyện thử nghiệm",
        "Các số liệu chính",
        "Xếp hạng các xã, phường",
        "Phân bố điểm số",
        "Thay đổi so với năm trước",
        "Các vùng",
        "Các phòng chuyên môn",
        "Phương pháp",
        "Nguồn gốc dữ liệu",
    ]
    # 2023 has no comparison year: no change section, no heading for it.
    assert "Change on the previous year" not in _read(built / "2023" / "huyen_thu_2023.en.html").headings


def test_the_yearly_report_writes_the_units_nouns_and_points(built):
    en = " ".join(" ".join(_read(built / "2024" / "huyen_thu_2024.en.html").parts).split())
    vi = " ".join(" ".join(_read(built / "2024" / "huyen_thu_2024.vi.html").parts).split())
    # Means worked out by hand from data/2024 and data/2023 of the fixture.
    assert (
        "CCHC Huyện Thử 2024 assessed 8 communes and wards; the mean score is 67.65 points, down 0.65 points "
        "on 2023 (68.30 points)."
    ) in en
    assert "2 communes and wards in band Rất tốt (≥ 80)" in en
    assert "1 commune or ward in band Tương đối thấp (< 50)" in en
    assert "CCHC Huyện Thử 2024 assessed 4 departments; the mean score is 71.70 points" in en
    assert "no departments in band Tương đối thấp (< 50)" in en
    assert "Economy Office ranks first with 80.10 points" in en
    assert "Kết quả CCHC Huyện Thử năm 2024 của 4 phòng chuyên môn có giá trị trung bình đạt 71,70 điểm" in vi
    assert "nhóm Rất tốt (≥ 80) có 2 xã, phường" in vi
    assert "Phòng Kinh tế dẫn đầu với 80,10 điểm" in vi
    assert "Rất tốt: 80 points and above; Tốt: 65 points to under 80 points" in en


def test_the_trends_report_has_the_sections_its_data_has(built):
    assert _read(built / "trends" / "huyen_thu_trends.en.html").headings == [
        "CCHC Huyện Thử 2023–2024: trends",
        "Key movement",
        "Overall mean",
        "Communes and wards per band",
        "The leading communes and wards over time",
        "Risers and fallers",
        "Regions",
        "Departments",
        "Methodology",
        "Provenance",
    ]


def test_the_files_follow_the_unit_types(built):
    summary = json.loads((built / "2024" / "summary.json").read_text(encoding="utf-8"))
    assert (summary["index"], summary["n_units"], summary["mean"]) == ("CCHC Huyện Thử", 8, 67.65)
    assert summary["band_counts"] == {"Rất tốt": 2, "Tốt": 2, "Trung bình": 3, "Tương đối thấp": 1}
    assert (summary["department"]["n_units"], summary["department"]["mean"]) == (4, 71.7)
    assert "ministries" not in summary and "companion" not in summary
    assert summary["reconciliation"] == []
    tables = sorted(p.name for p in (built / "2024" / "tables").iterdir())
    assert tables == [
        "bands.csv",
        "commune.csv",
        "department.csv",
        "huyen_thu_2024.xlsx",
        "reconciliation.csv",
        "regions.csv",
    ]


# --- without regions, and with another index's published facts ---------------------------------------------


def _copy(tmp_path: Path) -> Path:
    """A copy of the fixture to change; its params are those of the copy."""
    project = tmp_path / "own_units"
    shutil.copytree(FIXTURE, project)
    return project


def test_units_without_regions_have_no_regions_section_nor_column(tmp_path):
    project = _copy(tmp_path)
    sets = project / "data" / "units" / "sets.yaml"
    sets.write_text(sets.read_text(encoding="utf-8").replace("  regions: areas.csv\n", ""), encoding="utf-8")
    year = yearly_year.load(project / "params" / "2024.yaml")
    assert not year.has_regions
    assert yearly.section(year, "regions").texts == {"vi": "", "en": ""}
    assert yearly.regions(year).texts == {"vi": "", "en": ""}
    assert yearly.chart(year, "regions").texts == {"vi": "", "en": ""}
    ranking = yearly.ranking(year).texts
    assert ">Region<" not in ranking["en"] and ">Vùng<" not in ranking["vi"]
    assert ">Commune or ward<" in ranking["en"] and ">Xã, phường<" in ranking["vi"]


def test_published_facts_of_another_index_reconcile_nothing(tmp_path):
    project = _copy(tmp_path)
    published = project / "published"
    published.mkdir()
    (published / "aggregates.csv").write_text(
        "year,index,unit_type,metric,value,precision,source_url,note\n"
        "2024,par_index,commune,mean,83.72,2,https://example.org/another-index,\n",
        encoding="utf-8",
    )
    params = project / "params" / "2024.yaml"
    params.write_text(params.read_text(encoding="utf-8") + "published: published\n", encoding="utf-8")
    year = yearly_year.load(params)
    assert reconciliation_rows(year).empty
    assert yearly.section(year, "reconciliation").texts == {"vi": "", "en": ""}
    assert yearly.reconciliation(year).texts == {"vi": "", "en": ""}
    # The same fact under the index's own slug is reconciled (and does not match: the mean is 67.65).
    (published / "aggregates.csv").write_text(
        "year,index,unit_type,metric,value,precision,source_url,note\n"
        "2024,huyen_thu,commune,mean,83.72,2,https://example.org/own-index,\n",
        encoding="utf-8",
    )
    rows = reconciliation_rows(yearly_year.load(params))
    assert list(zip(rows.metric, rows.status, strict=True)) == [("mean", "MISMATCH")]
    assert (
        yearly.section(yearly_year.load(params), "reconciliation")
        .texts["en"]
        .startswith("<h2>Reconciliation with published figures</h2>")
    )


def test_a_profile_of_a_commune_speaks_of_communes_and_leaves_out_what_it_lacks():
    from parindex.reports import profile

    history = profile.load_history(FIXTURE / "params")
    commune = profile.profile(history, "C04", 2024)
    parts = [
        profile.title(commune),
        profile.overview(commune),
        profile.history_table(commune),
        profile.neighbours_section(commune),
        profile.peers_section(commune),
    ]

    def shown(language: str) -> str:
        reader = _Text()
        for part in parts:
            reader.feed(part.texts[language])
        return " ".join(" ".join(reader.parts).split())

    for language in ("vi", "en"):
        text = shown(language)
        assert [word for word in (*FOREIGN, "province", "tỉnh", "cả nước", "national") if word in text] == []
    en = shown("en")
    assert "ranks 4th of 4 communes and wards in the region" in en
    assert "none of the communes and wards ranks below it" in en
    assert "Means are over all communes and wards of the year." in en
    for empty in (profile.map_section, profile.components, profile.sipas):
        assert empty(commune).texts == {"vi": "", "en": ""}, empty.__name__
    for key in ("components", "sipas"):
        assert profile.section(commune, key).texts == {"vi": "", "en": ""}, key


def test_one_file_is_checked_as_a_unit_type_of_the_params():
    from parindex.data import ingest
    from parindex.data.params import load_params
    from parindex.errors import InputError

    params = load_params(FIXTURE / "params" / "2024.yaml")
    loaded = ingest.check_file(params, FIXTURE / "data" / "2024" / "departments.csv", "department")
    assert list(loaded.scores["code"]) == ["D01", "D02", "D03", "D04"]
    with pytest.raises(InputError) as caught:
        ingest.check_file(params, FIXTURE / "data" / "2024" / "departments.csv", "ministry")
    [problem] = caught.value.problems
    assert (problem.file, problem.message, problem.fix) == (
        "--unit-type",
        "unit type 'ministry' is not a unit type of 2024.yaml (commune, department)",
        "use one of commune, department, or column",
    )
