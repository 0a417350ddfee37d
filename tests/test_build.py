import json
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import nbformat
import pytest

from parindex.errors import InputError
from parindex.pipeline.build import (
    YearResult,
    build,
    load_reports,
    results_table,
    stopped_summary,
    write_index,
)
from parindex.pipeline.folders import work_folder

FIXTURE = Path(__file__).parent / "fixtures" / "report_project"


def _project(folder: Path) -> Path:
    """A copy of the fixture project: params/2020.yaml and 2021.yaml, data, units, the report notebook."""
    shutil.copytree(FIXTURE, folder)
    return folder


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = _project(tmp_path_factory.mktemp("built") / "project")
    results = build(None, project / "params", project / "output", jobs=2)
    return project / "output", results


def test_every_year_is_built_with_notebook_html_pdf_and_the_notebook_outputs(built):
    output, results = built
    assert [(r.year, r.status, r.message) for r in results] == [(2020, "built", ""), (2021, "built", "")]
    assert results[0].folder == output / "2020"
    assert results[0].outputs == (
        "par_index_2020.html",
        "par_index_2020.ipynb",
        "par_index_2020.pdf",
        "summary.json",
        "tables/scores.csv",
    )
    assert sorted(p.name for p in output.iterdir()) == [".lock", "2020", "2021", "index.html"]


def test_the_notebook_ran_with_the_year_and_its_own_folder(built):
    output, _ = built
    executed = nbformat.read(output / "2021" / "par_index_2021.ipynb", as_version=4)
    parameters = executed.metadata.papermill.parameters
    assert parameters["params_file"].endswith("params/2021.yaml")
    assert Path(parameters["output_dir"]).parent == output / ".work"
    assert Path(parameters["output_dir"]).name.startswith("2021-")
    assert json.loads((output / "2021" / "summary.json").read_text()) == {"year": 2021, "mean": 85.0, "n": 3}


def test_html_and_pdf_are_the_report_without_code(built):
    output, _ = built
    page = (output / "2020" / "par_index_2020.html").read_text(encoding="utf-8")
    assert "<title>PAR INDEX 2020: Public Administration Reform Index</title>" in page
    assert "load_year" not in page
    text = _pdf_text(output / "2020" / "par_index_2020.pdf")
    assert "PAR INDEX 2020" in text and "Thừa Thiên Huế" in text and "Page 1 of 1" in text


def test_the_index_links_every_year_with_its_mean_and_units(built):
    output, _ = built
    page = (output / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td><td>(.*?)</td></tr>", page)
    assert [row[:3] for row in rows] == [("2021", "85.0", "3"), ("2020", "88.53", "3")]
    assert (
        rows[1][3] == '<a href="2020/par_index_2020.html">HTML</a> <a href="2020/par_index_2020.pdf">PDF</a>'
    )


def test_a_failing_year_keeps_its_partial_notebook_and_the_other_year_builds(tmp_path):
    project = _project(tmp_path / "project")
    params_2021 = project / "params" / "2021.yaml"
    params_2021.write_text(
        params_2021.read_text().replace("source_note: Build test fixture.", "source_note: FAIL on purpose"),
        encoding="utf-8",
    )
    previous = project / "output" / "2021"
    previous.mkdir(parents=True)
    (previous / "par_index_2021.pdf").write_text("the previous build", encoding="utf-8")

    results = build([2020, 2021], project / "params", project / "output", jobs=1)

    assert [(r.year, r.status) for r in results] == [(2020, "built"), (2021, "failed")]
    failed = project / "output" / "2021.failed"
    assert results[1].folder == failed
    assert results[1].message == (
        "2021: par_index_report.ipynb failed at cell 4/7 (In [4], "
        '`if params.source_note.startswith("FAIL"):`): RuntimeError: FAIL on purpose. '
        f"Notebook kept: {failed / 'par_index_2021.ipynb'}; {previous} is unchanged."
    )
    assert sorted(p.name for p in previous.iterdir()) == ["par_index_2021.pdf"]
    assert (previous / "par_index_2021.pdf").read_text(encoding="utf-8") == "the previous build"
    partial = nbformat.read(failed / "par_index_2021.ipynb", as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in partial.cells for o in c.get("outputs", []))
    assert (project / "output" / "2020" / "par_index_2020.pdf").is_file()
    assert not list((project / "output").glob(".tmp-*"))
    assert not (project / "output" / ".work").exists()
    assert "2021/par_index_2021.pdf" in (project / "output" / "index.html").read_text(encoding="utf-8")


def test_bad_params_and_bad_data_of_any_year_stop_the_build_before_any_kernel(tmp_path):
    project = _project(tmp_path / "project")
    params_2020 = project / "params" / "2020.yaml"
    params_2020.write_text(params_2020.read_text() + "colour: red\n", encoding="utf-8")
    scores_2021 = project / "data" / "2021" / "provinces.csv"
    scores_2021.write_text(scores_2021.read_text().replace("85.00", "185.00"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build(None, project / "params", project / "output")
    assert caught.value.problems[0].message == "unknown key 'colour'"
    assert caught.value.problems[0].file == str(params_2020)
    assert len(caught.value.problems) >= 2
    assert any("185" in str(p) for p in caught.value.problems[1:])
    assert not (project / "output").exists()


def test_a_params_file_named_for_another_year_is_refused(tmp_path):
    project = _project(tmp_path / "project")
    (project / "params" / "2021.yaml").rename(project / "params" / "2019.yaml")
    with pytest.raises(InputError) as caught:
        load_reports(None, project / "params")
    assert str(caught.value.problems[0]) == (
        f"{project / 'params' / '2019.yaml'}: holds year 2021\n    fix: rename it 2021.yaml"
    )


def test_a_missing_year_and_an_empty_params_folder_are_refused(tmp_path):
    project = _project(tmp_path / "project")
    with pytest.raises(InputError, match="params file not found"):
        load_reports([2019], project / "params")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"no params files \(<year>\.yaml\) found"):
        load_reports(None, tmp_path / "empty")


def test_a_notebook_whose_parameters_differ_is_refused_before_running(tmp_path):
    project = _project(tmp_path / "project")
    notebook = project / "notebooks" / "par_index_report.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    nb.cells[1].source = 'params_path = "../params/2020.yaml"\noutput_dir = "../output/2020"'
    nbformat.write(nb, notebook)
    with pytest.raises(InputError) as caught:
        load_reports([2020], project / "params")
    assert [p.message for p in caught.value.problems] == [
        "unknown parameter 'params_file': the parameters cell defines params_path, output_dir",
        "parameter 'params_path' is not given",
    ]


def test_write_index_reads_summaries_and_tolerates_their_absence(tmp_path):
    (tmp_path / "2019").mkdir()
    (tmp_path / "2019" / "par_index_2019.html").write_text("x")
    (tmp_path / "2020").mkdir()
    (tmp_path / "2020" / "summary.json").write_text('{"mean": 83.72, "n": 63}')
    (tmp_path / "2020.failed").mkdir()
    (tmp_path / ".tmp-2021-abc").mkdir()
    (tmp_path / ".work" / "2021-abc").mkdir(parents=True)
    page = write_index(tmp_path, "PAR INDEX").read_text(encoding="utf-8")
    assert "<title>PAR INDEX reports</title>" in page
    assert "<tr><td>2020</td><td>83.72</td><td>63</td><td></td></tr>" in page
    assert (
        '<tr><td>2019</td><td>-</td><td>-</td><td><a href="2019/par_index_2019.html">HTML</a></td></tr>'
        in page
    )
    assert "failed" not in page and "tmp" not in page and "work" not in page
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".tmp-2021-abc",
        ".work",
        "2019",
        "2020",
        "2020.failed",
        "index.html",
    ]


def test_results_table_lines_up_year_status_seconds_outputs():
    results = [
        YearResult(2020, "built", 12.345, Path("output/2020"), ("a.html", "a.pdf")),
        YearResult(2021, "failed", 3.0, Path("output/2021.failed"), (), "boom"),
    ]
    assert results_table(results) == (
        "year  status  seconds  outputs\n2020  built   12.3     a.html, a.pdf\n2021  failed  3.0      -"
    )


def test_a_work_folder_is_in_output_work_and_readable_by_others_as_the_umask_allows(tmp_path):
    previous = os.umask(0o022)
    try:
        folder = work_folder("2020-", tmp_path)
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755
        os.umask(0o027)
        assert stat.S_IMODE(work_folder("2020-", tmp_path).stat().st_mode) == 0o750
    finally:
        os.umask(previous)
    assert folder.parent == tmp_path / ".work"
    assert folder.name.startswith("2020-")


def test_a_stopped_build_says_what_was_built_failed_and_left_unchanged(tmp_path):
    (tmp_path / "2020").mkdir()
    (tmp_path / "2021").mkdir()
    targets = {year: tmp_path / str(year) for year in (2018, 2019, 2020, 2021, 2022)}
    results = [
        YearResult(2018, "built", 1.0, tmp_path / "2018"),
        YearResult(2019, "failed", 1.0, tmp_path / "2019.failed"),
    ]
    assert stopped_summary(results, targets) == (
        f"2018 built, 2019 failed, 2020, 2021, 2022 not built; {tmp_path / '2020'}, {tmp_path / '2021'} "
        "are unchanged"
    )
    assert (
        stopped_summary([], {2020: tmp_path / "2020"}) == f"2020 not built; {tmp_path / '2020'} is unchanged"
    )
    assert stopped_summary([], {2023: tmp_path / "2023"}) == "2023 not built"
