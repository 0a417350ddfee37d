"""Province profiles in a batch: warm kernels in parallel workers, each profile apart, an index page."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from unittest.mock import ANY

import pytest
from helpers import print_loaded

pytestmark = pytest.mark.build  # runs real builds: `make quick` leaves it out

ROOT = Path(__file__).resolve().parents[1]
PARINDEX = Path(sys.executable).parent / "parindex"
# Profiles are named by province, then code: the names in ASCII written by hand from data/units/provinces.csv.
STEMS = {"01": "ha_noi_01", "22": "quang_ninh_22", "46": "thua_thien_hue_46", "51": "quang_ngai_51"}


# The data and export libraries: a profiles build's parent loads none of them (see `_profiles`).
HEAVY = (
    "pandas",
    "numpy",
    "pandera",
    "openpyxl",
    "matplotlib",
    "papermill",
    "nbclient",
    "nbconvert",
    "playwright",
)


def _profiles(output: Path, *units: str, modules: bool = False) -> subprocess.CompletedProcess:
    """Builds the 2020 profiles of `units` with two workers; with `modules`, from Python, and prints at the
    end which of HEAVY the build's process loaded."""
    options = [
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
        options += ["--unit", unit]
    command = [str(PARINDEX), *options]
    if modules:
        command = [
            sys.executable,
            "-c",
            f"import sys\nfrom parindex.cli import main\ncode = main({options!r})\n"
            f"{print_loaded(*HEAVY)}\nsys.exit(code)",
        ]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)


@pytest.fixture(scope="module")
def build_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    output = tmp_path_factory.mktemp("output")
    return output, _profiles(output, "46", "22", "51", modules=True)


@pytest.fixture(scope="module")
def built(build_run) -> Path:
    output, result = build_run
    assert result.returncode == 0, result.stderr
    finished = sorted(re.findall(r"^\[(\d)/3\] 2020 (.+?) done in \d+\.\d s", result.stderr, re.M))
    assert finished == [("1", ANY), ("2", ANY), ("3", ANY)] and {n for _, n in finished} == {
        "Thừa Thiên Huế",
        "Quảng Ninh",
        "Quảng Ngãi",
    }
    assert re.search(
        r"^\[1/3\] 2020 .+ done in \d+\.\d s, about \d+ (s|min) left; running ", result.stderr, re.M
    )
    return output / "2020" / "profiles"


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _info(pdf: Path) -> dict[str, str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {
        key.strip(): value.strip() for key, _, value in (line.partition(":") for line in info.splitlines())
    }


def test_each_profile_is_a_short_pdf_about_its_province(built):
    pdf = built / "par_index_2020_thua_thien_hue_46.en.pdf"
    text = _text(pdf)
    assert "Thừa Thiên Huế ranks 3rd of 63 in 2020 with 88.47%" in text
    assert "North Central and Central Coast region" in text
    assert "Page 1 of" in text and "Demonstration data" in text
    for year in range(2018, 2025):
        assert str(year) in text
    info = _info(pdf)
    assert 1 <= int(info["Pages"]) <= 3  # with the peers section, as the Vietnamese one
    assert info["Title"] == "PAR INDEX 2020: Thừa Thiên Huế"


def test_each_profile_is_written_in_both_languages_from_one_run(built):
    text = _text(built / "par_index_2020_thua_thien_hue_46.vi.pdf")
    assert "Năm 2020, Thừa Thiên Huế đạt 88,47%, xếp thứ 3/63" in text
    assert "Trang 1/" in text and "Dữ liệu minh họa" in text
    assert (
        _info(built / "par_index_2020_thua_thien_hue_46.vi.pdf")["Title"]
        == "PAR INDEX năm 2020: Thừa Thiên Huế"
    )
    for code, other in (("vi", "en"), ("en", "vi")):
        page = (built / f"par_index_2020_thua_thien_hue_46.{code}.html").read_text(encoding="utf-8")
        assert f'<html lang="{code}">' in page
        assert f'href="par_index_2020_thua_thien_hue_46.{other}.html" hreflang="{other}"' in page
        assert (built / f"par_index_2020_thua_thien_hue_46.{code}.pdf").is_file()
    assert not (built / "par_index_2020_thua_thien_hue_46.html").exists()
    assert len(list(built.glob("par_index_2020_thua_thien_hue_46*.ipynb"))) == 1


def test_outputs_of_parallel_runs_stay_apart(built):
    for code, name in (("46", "Thừa Thiên Huế"), ("22", "Quảng Ninh"), ("51", "Quảng Ngãi")):
        stem = f"par_index_2020_{STEMS[code]}"
        summary = (built / stem / "summary.json").read_text(encoding="utf-8")
        assert f'"code": "{code}"' in summary and name in summary
        assert name in (built / f"{stem}.vi.html").read_text(encoding="utf-8")


def test_index_page_links_every_profile(built):
    for page, code, other in (("index.html", "vi", "index.en.html"), ("index.en.html", "en", "index.html")):
        index = (built / page).read_text(encoding="utf-8")
        assert f'<html lang="{code}">' in index
        assert f'<a href="{other}"' in index
        for unit in ("46", "22", "51"):
            assert f'href="par_index_2020_{STEMS[unit]}.{code}.pdf"' in index
            assert f'href="par_index_2020_{STEMS[unit]}.{code}.html"' in index
        assert "http://" not in index and "https://" not in index
    assert "PAR INDEX năm 2020: hồ sơ các tỉnh, thành phố" in (built / "index.html").read_text(
        encoding="utf-8"
    )
    top = (built.parent.parent / "index.html").read_text(encoding="utf-8")
    assert 'href="2020/profiles/index.html"' in top
    assert 'href="2020/profiles/index.en.html"' in (built.parent.parent / "index.en.html").read_text(
        encoding="utf-8"
    )


def test_rebuilding_one_profile_keeps_the_others(built):
    for earlier in ("par_index_2020_01.vi.pdf", "par_index_2020_01"):  # its name in earlier versions
        (built / earlier).touch()
    result = _profiles(built.parent.parent, "01")
    assert result.returncode == 0, result.stderr
    names = {p.name for p in built.glob("*.pdf")}
    assert names == {
        f"par_index_2020_{STEMS[c]}.{code}.pdf" for c in ("01", "22", "46", "51") for code in ("vi", "en")
    }
    assert not (built / "par_index_2020_01").exists()


def test_an_unknown_unit_stops_before_any_kernel(tmp_path):
    result = _profiles(tmp_path, "99")
    assert result.returncode == 2
    assert "no province with code 99 in 2020" in result.stderr
    assert not (tmp_path / "2020").exists()


def test_profiles_built_with_peers_compare_with_that_group(tmp_path):
    command = [str(PARINDEX), "build", "--profiles", "--year", "2020", "--jobs", "1", "--lang", "en"]
    command += ["--unit", "46", "--peers", "01,31,48,79,92", "--output-dir", str(tmp_path)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stderr
    text = _text(tmp_path / "2020" / "profiles" / "par_index_2020_thua_thien_hue_46.en.pdf")
    assert "Among its peers" in text
    assert "ranks 2nd of 6 in its peer group and 3rd of 63" in " ".join(text.split())


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file()}


def test_profiles_made_from_the_same_files_are_up_to_date_and_a_removed_one_is_made_again(built):
    before = _files(built)
    again = _profiles(built.parent.parent, "46", "22")
    assert again.returncode == 0, again.stderr
    assert "2020 profiles: up to date" in again.stderr.splitlines()
    assert again.stdout.splitlines()[1].split()[:4] == ["2020", "up", "to", "date"]
    assert _files(built) == before
    (built / "par_index_2020_quang_ninh_22.en.pdf").unlink()
    rebuilt = _profiles(built.parent.parent, "46", "22")
    assert rebuilt.returncode == 0, rebuilt.stderr
    after = _files(built)
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    assert {name for name in changed if "_22" in name or "_46" in name} == {
        f"par_index_2020_quang_ninh_22{suffix}"
        for suffix in (".en.html", ".en.pdf", ".ipynb", ".vi.html", ".vi.pdf")
    }


def test_the_profiles_parent_and_workers_load_no_data_library(built, build_run):
    # The parent reads the years for their provinces, and writes the listings, in processes of their own;
    # a worker (which imports this module) exports and prints: pandas, matplotlib and pandera are the
    # kernels' alone, and the parent does not load the exporting libraries either.
    assert build_run[1].stdout.splitlines()[-1] == "[]"
    script = "import sys\nimport parindex.pipeline.batch\n" + print_loaded(
        "pandas", "matplotlib", "nbconvert"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_listing_links_the_years_report_made_while_its_profiles_waited(tmp_path):
    # The listings are written when the years are read, before the build waits for the output's lock;
    # a report another build made meanwhile is linked all the same.
    from parindex.data.params import load_years, year_files
    from parindex.pipeline.batch import _finish_year, _plan

    found, problems = load_years(year_files(ROOT / "params", [2020]))
    assert problems == []
    [year], problems = _plan(found, ["46"], ("vi",), (), tmp_path, False)
    assert problems == [] and list(year.names) == ["46"]
    link = 'href="../../2020/par_index_2020.vi.html"'
    assert link not in year.listings["index.html"]
    (tmp_path / "2020").mkdir()
    (tmp_path / "2020" / "par_index_2020.vi.html").write_text("<html></html>", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    result = _finish_year(year, work, tmp_path / "2020", 1.0, {})
    assert result.status == "built"
    listing = (tmp_path / "2020" / "profiles" / "index.html").read_text(encoding="utf-8")
    assert link in listing
    assert 'href="par_index_2020_thua_thien_hue_46.vi.html"' in listing
