"""Build only what changed: every report keyed by what it is made from, the key stored with its outputs."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
from helpers import print_loaded

from parindex.data.params import load_params
from parindex.errors import InputError
from parindex.pipeline import stamps
from parindex.pipeline.build import Report, YearResult, build, stopped_summary

pytestmark = pytest.mark.build  # runs real builds: `make quick` leaves it out

FIXTURE = Path(__file__).parent / "fixtures" / "report_project"
HEAVY = (
    "papermill",
    "nbconvert",
    "nbclient",
    "playwright",
    "pandas",
    "pandera",
    "numpy",
    "openpyxl",
    "matplotlib",
)


def _year(project: Path, year: int, comparison: int) -> None:
    """Adds a year to the fixture project, compared with another: its params and a copy of 2021's data."""
    text = (project / "params" / "2021.yaml").read_text(encoding="utf-8")
    text = text.replace("year: 2021", f"year: {year}\ncomparison_year: {comparison}")
    (project / "params" / f"{year}.yaml").write_text(text.replace("data/2021/", f"data/{year}/"), "utf-8")
    (project / "data" / str(year)).mkdir(exist_ok=True)
    shutil.copy(project / "data" / "2021" / "provinces.csv", project / "data" / str(year) / "provinces.csv")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The fixture project with three years (2021 compared with 2020, 2022 with 2021), its template paired
    with a .py script, built once."""
    project = tmp_path_factory.mktemp("stamps") / "project"
    shutil.copytree(FIXTURE, project)
    _year(project, 2022, 2021)
    params_2021 = project / "params" / "2021.yaml"
    text = params_2021.read_text(encoding="utf-8")
    params_2021.write_text(text.replace("year: 2021", "year: 2021\ncomparison_year: 2020"), "utf-8")
    notebook = project / "notebooks" / "yearly_report.ipynb"
    jupytext.write(jupytext.read(notebook), notebook.with_suffix(".py"), fmt="py:percent")
    results = build(None, project / "params", project / "output", jobs=2, trends=False)
    assert [(r.year, r.status) for r in results] == [(2020, "built"), (2021, "built"), (2022, "built")]
    return project


def _state(output: Path) -> dict[str, tuple[str, int, int]]:
    """Every file of the output: its SHA-256, modification time and inode, by path."""
    return {
        str(path.relative_to(output)): (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_mtime_ns,
            path.stat().st_ino,
        )
        for path in sorted(output.rglob("*"))
        if path.is_file() and path.name != ".lock"
    }


def _changed(before: dict, after: dict) -> set[str]:
    """The top-level entries of the output whose files were written, added or removed."""
    names = before.keys() | after.keys()
    return {name.split("/")[0] for name in names if before.get(name) != after.get(name)}


def _statuses(results) -> dict:
    return {result.year: result.status for result in results}


def test_a_second_build_changes_no_file_and_starts_no_kernel(project):
    output = project / "output"
    before = _state(output)
    script = (
        "import sys\nfrom parindex.cli import main\ncode = main(['build', '--no-trends', '--jobs', '2'])\n"
        f"{print_loaded(*HEAVY)}\nsys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=project, capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == ["2020: up to date", "2021: up to date", "2022: up to date"]
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["year", "status", "seconds", "outputs"]
    assert [line.split()[:4] for line in lines[1:4]] == [
        [str(year), "up", "to", "date"] for year in (2020, 2021, 2022)
    ]
    assert lines[4] == "[]"  # no runner, printer, data library or chart library was imported
    assert _state(output) == before


def test_the_stamp_lists_every_output_with_its_size_and_digest(project):
    folder = project / "output" / "2020"
    stamp = json.loads((folder / ".parindex-key.json").read_text(encoding="utf-8"))
    assert sorted(stamp) == ["files", "format", "key"]
    assert len(stamp["key"]) == 64
    assert sorted(stamp["files"]) == [
        "par_index_2020.en.html",
        "par_index_2020.en.pdf",
        "par_index_2020.ipynb",
        "par_index_2020.vi.html",
        "par_index_2020.vi.pdf",
        "summary.json",
        "tables/par_index_2020.xlsx",
        "tables/scores.csv",
    ]
    scores = (folder / "tables" / "scores.csv").read_bytes()
    assert stamp["files"]["tables/scores.csv"] == {
        "size": len(scores),
        "sha256": hashlib.sha256(scores).hexdigest(),
    }


def test_touching_an_input_without_changing_it_rebuilds_nothing(project):
    output = project / "output"
    before = _state(output)
    for path in (project / "data").rglob("*.csv"):
        os.utime(path, (2_000_000_000, 2_000_000_000))
    results = build(None, project / "params", output, trends=False)
    assert set(_statuses(results).values()) == {"up to date"}
    assert _state(output) == before


def test_one_byte_of_a_years_input_rebuilds_that_year_and_the_year_compared_with_it(project):
    output = project / "output"
    before = _state(output)
    scores = project / "data" / "2020" / "provinces.csv"
    scores.write_text(scores.read_text(encoding="utf-8").replace("86.07", "86.97"), encoding="utf-8")
    results = build(None, project / "params", output, jobs=2, trends=False)
    assert _statuses(results) == {2020: "built", 2021: "built", 2022: "up to date"}
    assert _changed(before, _state(output)) == {"2020", "2021", "index.html", "index.en.html"}
    assert json.loads((output / "2020" / "summary.json").read_text(encoding="utf-8"))["mean"] == 88.83


def test_a_removed_output_is_rebuilt(project):
    output = project / "output"
    (output / "2022" / "par_index_2022.vi.pdf").unlink()
    before = _state(output)
    results = build(None, project / "params", output, trends=False)
    assert _statuses(results) == {2020: "up to date", 2021: "up to date", 2022: "built"}
    assert _changed(before, _state(output)) == {"2022"}
    assert (output / "2022" / "par_index_2022.vi.pdf").is_file()


def test_a_corrupted_output_of_the_same_size_is_rebuilt(project):
    output = project / "output"
    page = output / "2021" / "par_index_2021.en.html"
    text = page.read_bytes()
    page.write_bytes(text.replace(b"<html", b"<HTML", 1))
    assert page.stat().st_size == len(text)
    results = build([2021, 2022], project / "params", output, trends=False)
    assert _statuses(results) == {2021: "built", 2022: "up to date"}
    assert page.read_bytes() == text


def test_force_rebuilds_a_report_that_is_up_to_date(project):
    output = project / "output"
    before = _state(output)
    results = build([2022], project / "params", output, force=True, trends=False)
    assert _statuses(results) == {2022: "built"}
    assert _changed(before, _state(output)) == {"2022"}


def _key(project: Path, year: int, languages: tuple[str, ...] = ()) -> str:
    return Report(load_params(project / "params" / f"{year}.yaml"), languages).key(stamps.Keys())


def test_a_change_in_the_templates_py_pair_is_refused_until_synced_then_rebuilds_what_uses_it(project):
    output = project / "output"
    script = project / "notebooks" / "yearly_report.py"
    keys = {year: _key(project, year) for year in (2020, 2021, 2022)}
    script.write_text(script.read_text(encoding="utf-8") + "\n# %% [markdown]\n# A note.\n", encoding="utf-8")
    assert all(_key(project, year) != key for year, key in keys.items())
    with pytest.raises(InputError, match="yearly_report.ipynb and its pair yearly_report.py differ"):
        build([2022], project / "params", output, trends=False)
    notebook = script.with_suffix(".ipynb")
    nbformat.write(jupytext.read(script), notebook)
    results = build([2022], project / "params", output, trends=False)
    assert _statuses(results) == {2022: "built"}
    assert "A note." in (output / "2022" / "par_index_2022.en.html").read_text(encoding="utf-8")
    assert stamps.up_to_date(output / "2020", _key(project, 2020)) is None  # 2020 is out of date now


def test_a_change_in_the_packages_source_invalidates_every_report(project, tmp_path, monkeypatch):
    source = tmp_path / "parindex"
    shutil.copytree(stamps.SOURCE, source, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(stamps, "SOURCE", source)
    first = _key(project, 2020)
    analysis = source / "analysis.py"
    os.utime(analysis, (2_000_000_000, 2_000_000_000))
    assert _key(project, 2020) == first  # the time of a file is not in the key
    analysis.write_text(analysis.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed = _key(project, 2020)
    assert changed != first
    catalog = source / "i18n" / "locales" / "en" / "LC_MESSAGES" / "parindex.po"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _key(project, 2020) not in (first, changed)


def test_the_languages_and_the_locked_libraries_are_in_the_key(project, tmp_path, monkeypatch):
    both = _key(project, 2020)
    assert _key(project, 2020, ("en",)) != both
    assert _key(project, 2020, ("vi", "en")) == both  # the params' languages, named
    source = tmp_path / "src" / "parindex"
    shutil.copytree(stamps.SOURCE, source, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(stamps, "SOURCE", source)
    (tmp_path / "requirements.txt").write_text("pandas==2.2.3\n", encoding="utf-8")
    locked = _key(project, 2020)
    (tmp_path / "requirements.txt").write_text("pandas==2.2.2\n", encoding="utf-8")
    assert _key(project, 2020) != locked


def test_a_comparison_years_params_and_the_units_are_in_the_key(project):
    keys = {year: _key(project, year) for year in (2020, 2021, 2022)}
    params_2020 = project / "params" / "2020.yaml"
    text = params_2020.read_text(encoding="utf-8")
    try:
        params_2020.write_text(text.replace("Build test fixture.", "Build test fixture, again."), "utf-8")
        assert {year: _key(project, year) != key for year, key in keys.items()} == {
            2020: True,
            2021: True,
            2022: False,
        }
    finally:
        params_2020.write_text(text, encoding="utf-8")
    regions = project / "data" / "units" / "regions.csv"
    text = regions.read_text(encoding="utf-8")
    try:
        regions.write_text(text + "\n", encoding="utf-8")
        assert all(_key(project, year) != key for year, key in keys.items())
    finally:
        regions.write_text(text, encoding="utf-8")


def test_a_stopped_build_names_the_reports_up_to_date(tmp_path):
    for year in (2019, 2020):
        (tmp_path / str(year)).mkdir()
    targets = {year: tmp_path / str(year) for year in (2019, 2020)}
    results = [YearResult(2019, "up to date", 0.0, tmp_path / "2019")]
    assert stopped_summary(results, targets) == (
        f"2019 up to date, 2020 not built; {tmp_path / '2019'}, {tmp_path / '2020'} are unchanged"
    )
