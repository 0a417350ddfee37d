"""Province profiles in a batch: warm kernels in parallel workers, each profile apart, an index page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PARINDEX = Path(sys.executable).parent / "parindex"


def _profiles(output: Path, *units: str) -> subprocess.CompletedProcess:
    command = [
        str(PARINDEX),
        "build",
        "--profiles",
        "--year",
        "2020",
        "--jobs",
        "2",
        "--output-dir",
        str(output),
    ]
    for unit in units:
        command += ["--unit", unit]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("output")
    result = _profiles(output, "46", "22", "51")
    assert result.returncode == 0, result.stderr
    assert "PAR INDEX 2020 profiles: 3/3" in result.stderr
    return output / "2020" / "profiles"


def test_each_profile_is_a_short_pdf_about_its_province(built):
    pdf = built / "par_index_2020_46.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Thừa Thiên Huế ranks 3rd of 63 in 2020 with 88.47%" in text
    assert "North Central and Central Coast region" in text
    assert "Page 1 of" in text and "Demonstration data" in text
    for year in range(2018, 2025):
        assert str(year) in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 1 <= pages <= 2


def test_outputs_of_parallel_runs_stay_apart(built):
    for code, name in (("46", "Thừa Thiên Huế"), ("22", "Quảng Ninh"), ("51", "Quảng Ngãi")):
        summary = (built / f"par_index_2020_{code}" / "summary.json").read_text(encoding="utf-8")
        assert f'"code": "{code}"' in summary and name in summary
        assert name in (built / f"par_index_2020_{code}.html").read_text(encoding="utf-8")


def test_index_page_links_every_profile(built):
    index = (built / "index.html").read_text(encoding="utf-8")
    for code in ("46", "22", "51"):
        assert f'href="par_index_2020_{code}.pdf"' in index
        assert f'href="par_index_2020_{code}.html"' in index
    assert "http://" not in index and "https://" not in index


def test_rebuilding_one_profile_keeps_the_others(built):
    result = _profiles(built.parent.parent, "01")
    assert result.returncode == 0, result.stderr
    names = {p.name for p in built.glob("*.pdf")}
    assert names == {f"par_index_2020_{c}.pdf" for c in ("01", "22", "46", "51")}


def test_an_unknown_unit_stops_before_any_kernel(tmp_path):
    result = _profiles(tmp_path, "99")
    assert result.returncode == 2
    assert "no province with code 99 in 2020" in result.stderr
    assert not (tmp_path / "2020").exists()
