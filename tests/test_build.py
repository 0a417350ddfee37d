import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from helpers import print_loaded

from parindex.errors import BuildError, InputError, Problem
from parindex.pipeline.build import (
    Apart,
    YearResult,
    build,
    date_from_inputs,
    load_reports,
    results_table,
    stopped_summary,
    write_index,
)
from parindex.pipeline.folders import work_folder

pytestmark = pytest.mark.build  # runs real builds: `make quick` leaves it out

FIXTURE = Path(__file__).parent / "fixtures" / "report_project"
ROOT = Path(__file__).resolve().parents[1]


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
    # Every year is built, so the trends report is too, from the shared notebook (the fixture has none).
    assert [(r.year, r.status, r.message) for r in results] == [
        (2020, "built", ""),
        (2021, "built", ""),
        ("trends", "built", ""),
    ]
    assert results[0].folder == output / "2020"
    assert results[0].outputs == (
        "par_index_2020.en.html",
        "par_index_2020.en.pdf",
        "par_index_2020.ipynb",
        "par_index_2020.vi.html",
        "par_index_2020.vi.pdf",
        "summary.json",
        "tables/par_index_2020.xlsx",
        "tables/scores.csv",
    )
    assert sorted(p.name for p in output.iterdir()) == [
        ".lock",
        "2020",
        "2021",
        "index.en.html",
        "index.html",
        "trends",
    ]


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
    page = (output / "2020" / "par_index_2020.en.html").read_text(encoding="utf-8")
    assert "<title>PAR INDEX 2020: Public Administration Reform Index</title>" in page
    assert "load_year" not in page
    text = _pdf_text(output / "2020" / "par_index_2020.en.pdf")
    assert "PAR INDEX 2020" in text and "Thừa Thiên Huế" in text and "Page 1 of 1" in text


def test_each_language_has_its_own_page_from_one_run_of_the_notebook(built):
    output, _ = built
    vi = (output / "2020" / "par_index_2020.vi.html").read_text(encoding="utf-8")
    en = (output / "2020" / "par_index_2020.en.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in vi and '<html lang="en">' in en
    assert "<title>PAR INDEX năm 2020: Chỉ số cải cách hành chính</title>" in vi
    assert '<h2 id="section-1">Tóm tắt</h2><p>83,72%</p>' in vi and "Summary" not in vi and "83.72" not in vi
    assert '<h2 id="section-1">Summary</h2><p>83.72%</p>' in en and "Tóm tắt" not in en
    assert "Điểm số" in vi and "Scores" not in vi
    assert "Scores" in en and "Điểm số" not in en
    assert '<a href="par_index_2020.en.html" hreflang="en" lang="en">English</a>' in vi
    assert '<a href="par_index_2020.vi.html" hreflang="vi" lang="vi">Tiếng Việt</a>' in en
    assert '<a download="" href="tables/par_index_2020.xlsx">Bảng số liệu (Excel)</a>' in vi
    executed = nbformat.read(output / "2020" / "par_index_2020.ipynb", as_version=4)
    assert executed.metadata.papermill.parameters["languages"] == "vi,en"
    text = _pdf_text(output / "2020" / "par_index_2020.vi.pdf")
    assert "PAR INDEX năm 2020" in text and "83,72%" in text and "Trang 1/1" in text


def test_the_index_links_every_year_with_its_mean_and_units(built):
    output, _ = built
    page = (output / "index.en.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td><td>(.*?)</td></tr>", page)
    assert [row[:3] for row in rows] == [("2021", "85.00", "3"), ("2020", "88.53", "3")]
    assert rows[1][3] == (
        '<a href="2020/par_index_2020.en.html">HTML</a> <a href="2020/par_index_2020.en.pdf">PDF</a>'
    )
    assert '<a href="index.html" hreflang="vi" lang="vi">Tiếng Việt</a>' in page


def test_the_main_index_is_in_the_main_language(built):
    output, _ = built
    page = (output / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td><td>(.*?)</td></tr>", page)
    assert [row[:3] for row in rows] == [("2021", "85,00", "3"), ("2020", "88,53", "3")]
    assert rows[1][3] == (
        '<a href="2020/par_index_2020.vi.html">HTML</a> <a href="2020/par_index_2020.vi.pdf">PDF</a>'
    )
    assert '<html lang="vi">' in page and "<title>Báo cáo PAR INDEX</title>" in page
    assert "<th>Năm</th><th>Giá trị trung bình</th><th>Số đơn vị</th><th>Báo cáo</th>" in page


def test_lang_builds_one_language_only(tmp_path):
    project = _project(tmp_path / "project")
    results = build([2020], project / "params", project / "output", languages=("en",))
    assert results[0].outputs == (
        "par_index_2020.en.html",
        "par_index_2020.en.pdf",
        "par_index_2020.ipynb",
        "summary.json",
        "tables/par_index_2020.xlsx",
        "tables/scores.csv",
    )
    page = (project / "output" / "2020" / "par_index_2020.en.html").read_text(encoding="utf-8")
    assert 'class="parindex-languages"' not in page and "Tiếng Việt" not in page


def test_a_failing_year_keeps_its_partial_notebook_and_the_other_year_builds(tmp_path):
    project = _project(tmp_path / "project")
    params_2021 = project / "params" / "2021.yaml"
    params_2021.write_text(
        params_2021.read_text().replace("source_note: Build test fixture.", "source_note: FAIL on purpose"),
        encoding="utf-8",
    )
    previous = project / "output" / "2021"
    previous.mkdir(parents=True)
    (previous / "par_index_2021.vi.pdf").write_text("the previous build", encoding="utf-8")

    results = build([2020, 2021], project / "params", project / "output", jobs=1)

    assert [(r.year, r.status) for r in results] == [(2020, "built"), (2021, "failed")]
    failed = project / "output" / "2021.failed"
    assert results[1].folder == failed
    assert results[1].message == (
        "2021: yearly_report.ipynb failed at cell 4/9 (In [4], "
        '`if params.source_note.startswith("FAIL"):`): RuntimeError: FAIL on purpose. '
        f"Notebook kept: {failed / 'par_index_2021.ipynb'}; {previous} is unchanged."
    )
    assert sorted(p.name for p in previous.iterdir()) == ["par_index_2021.vi.pdf"]
    assert (previous / "par_index_2021.vi.pdf").read_text(encoding="utf-8") == "the previous build"
    partial = nbformat.read(failed / "par_index_2021.ipynb", as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in partial.cells for o in c.get("outputs", []))
    assert (project / "output" / "2020" / "par_index_2020.vi.pdf").is_file()
    assert not list((project / "output").glob(".tmp-*"))
    assert not (project / "output" / ".work").exists()
    assert "2021/par_index_2021.vi.pdf" in (project / "output" / "index.html").read_text(encoding="utf-8")


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
    notebook = project / "notebooks" / "yearly_report.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    nb.cells[1].source = 'params_path = "../params/2020.yaml"\noutput_dir = ""\nlanguages = ""'
    nbformat.write(nb, notebook)
    with pytest.raises(InputError) as caught:
        load_reports([2020], project / "params")
    assert [p.message for p in caught.value.problems] == [
        "unknown parameter 'params_file': the parameters cell defines params_path, output_dir, languages",
        "parameter 'params_path' is not given",
    ]


def test_write_index_reads_summaries_and_tolerates_their_absence(tmp_path):
    (tmp_path / "2019").mkdir()
    (tmp_path / "2019" / "par_index_2019.en.html").write_text("x")
    (tmp_path / "2020").mkdir()
    (tmp_path / "2020" / "summary.json").write_text('{"mean": 1234.5, "n": 63}')
    (tmp_path / "2020.failed").mkdir()
    (tmp_path / ".tmp-2021-abc").mkdir()
    (tmp_path / ".work" / "2021-abc").mkdir(parents=True)
    params = load_reports([2020], FIXTURE / "params")[0].params
    pages = write_index(tmp_path, params)
    assert pages == [tmp_path / "index.html", tmp_path / "index.en.html"]
    en = pages[1].read_text(encoding="utf-8")
    assert "<title>PAR INDEX reports</title>" in en
    assert "<tr><td>2020</td><td>1,234.50</td><td>63</td><td></td></tr>" in en
    assert (
        '<tr><td>2019</td><td>–</td><td>–</td><td><a href="2019/par_index_2019.en.html">HTML</a></td></tr>'
        in en
    )
    vi = pages[0].read_text(encoding="utf-8")
    assert "<tr><td>2020</td><td>1.234,50</td><td>63</td><td></td></tr>" in vi
    assert "<tr><td>2019</td><td>–</td><td>–</td><td></td></tr>" in vi
    assert "failed" not in en and "tmp" not in en and "work" not in en
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".tmp-2021-abc",
        ".work",
        "2019",
        "2020",
        "2020.failed",
        "index.en.html",
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


def test_without_source_date_epoch_the_build_is_dated_by_its_newest_input(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "unset below; restored after the test")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    project = _project(tmp_path / "project")
    for path in (project / "params").iterdir():
        os.utime(path, (1_600_000_000, 1_600_000_000))
    for path in (project / "data").rglob("*.csv"):
        os.utime(path, (1_609_459_200, 1_609_459_200))  # 2021-01-01 00:00 UTC, the newest
    params = load_reports([2020], project / "params")[0].params
    assert date_from_inputs([params]) == 1_609_459_200
    assert os.environ["SOURCE_DATE_EPOCH"] == "1609459200"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert date_from_inputs([params]) == 1_700_000_000


def test_two_builds_of_the_same_inputs_write_the_same_files(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "unset below; restored after the test")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    project = _project(tmp_path / "project")
    build([2020], project / "params", project / "first", languages=("vi",))
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    build([2020], project / "params", project / "second", languages=("vi",))
    for name in ("par_index_2020.vi.html", "par_index_2020.vi.pdf", "summary.json", "tables/scores.csv"):
        first = (project / "first" / "2020" / name).read_bytes()
        assert first == (project / "second" / "2020" / name).read_bytes(), name


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


def test_an_index_with_its_own_slug_runs_the_shared_template_or_the_one_params_name(tmp_path):
    project = _project(tmp_path / "project")
    params = project / "params" / "2020.yaml"
    params.write_text(params.read_text().replace("slug: par_index", "slug: pci"), encoding="utf-8")
    [report] = load_reports([2020], project / "params")
    assert report.notebook == project.resolve() / "notebooks" / "yearly_report.ipynb"
    (project / "notebooks" / "yearly_report.ipynb").rename(project / "notebooks" / "pci.ipynb")
    [report] = load_reports([2020], project / "params")
    assert report.notebook == ROOT / "notebooks" / "yearly_report.ipynb"
    params.write_text(params.read_text() + "templates: {report: notebooks/missing.ipynb}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_reports([2020], project / "params")
    [problem] = caught.value.problems
    assert (problem.file, problem.key) == (str(params.resolve()), "templates.report")
    assert problem.message == (
        f"no report notebook {project.resolve() / 'notebooks' / 'missing.ipynb'} "
        "(templates.report names notebooks/missing.ipynb)"
    )
    assert problem.fix == (
        "set templates.report in params to the notebook to run (e.g. notebooks/yearly_report.ipynb), "
        "or copy one there"
    )
    params.write_text(
        params.read_text().replace("notebooks/missing.ipynb", "notebooks/pci.ipynb"), encoding="utf-8"
    )
    [report] = load_reports([2020], project / "params")
    assert report.notebook == project.resolve() / "notebooks" / "pci.ipynb"
    assert report.stem == "pci_2020"


def test_the_data_are_checked_in_a_process_of_its_own_that_answers_and_ends():
    with Apart(lambda *texts: [Problem(str(os.getpid()), *texts)], "what is wrong", "how to fix it") as apart:
        [problem] = apart.result()
    assert (problem.message, problem.fix) == ("what is wrong", "how to fix it")
    assert int(problem.file) != os.getpid()
    assert apart._process.exitcode == 0


def test_what_the_checks_raise_is_raised_in_the_build():
    def fail():
        raise ValueError("a defect in the checks")

    with Apart(fail) as apart, pytest.raises(ValueError, match="a defect in the checks"):
        apart.result()


def test_checks_killed_before_they_answer_are_a_build_error():
    with Apart(lambda: os.kill(os.getpid(), signal.SIGKILL)) as apart, pytest.raises(BuildError) as caught:
        apart.result()
    assert str(caught.value) == "the data checks ended before they answered (exit code -9)"


def test_the_builds_parent_keeps_no_data_library_once_checked_and_no_notebook_library(
    tmp_path,
):
    project = _project(tmp_path / "project")
    script = (
        "import sys\nfrom parindex.cli import main\n"
        "code = main(['build', '--year', '2020', '--lang', 'vi', '--no-trends'])\n"
        + print_loaded("pandas", "pandera", "numpy", "openpyxl", "nbformat", "papermill", "nbclient")
        + "\nsys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=project, capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert re.search(r"^2020 +built ", done.stdout, re.M)
    assert done.stdout.splitlines()[-1] == "[]"


def test_a_worker_closes_its_kernel_once_every_notebook_has_started(monkeypatch, tmp_path):
    import multiprocessing

    from parindex.pipeline import build as building
    from parindex.pipeline.run import Kernel

    left = multiprocessing.get_context("spawn").Value("i", 1)
    kernel = Kernel()
    kernel.start(tmp_path)
    process = kernel._manager.provisioner.process
    monkeypatch.setattr(building, "_notebooks_left", left)
    monkeypatch.setattr(building, "_worker_kernel", kernel)
    try:
        building.close_idle_kernel()
        assert building._worker_kernel is kernel and process.poll() is None  # a notebook is still to start
        left.value = 0
        building.close_idle_kernel()
        assert building._worker_kernel is None
        assert process.wait(timeout=10) is not None
    finally:
        kernel.close()


def test_a_stop_while_the_idle_kernel_closes_ends_the_worker_once_it_is_closed(tmp_path):
    script = (
        "import multiprocessing, os, signal\n"
        "from pathlib import Path\n"
        "from parindex.pipeline import build as b\n"
        "from parindex.pipeline.run import Kernel\n"
        "signal.signal(signal.SIGTERM, b._exit_worker)\n"
        "b._notebooks_left = multiprocessing.Value('i', 0)\n"
        "kernel = b._worker_kernel = Kernel()\n"
        "kernel.start(Path.cwd())\n"
        "process, close = kernel._manager.provisioner.process, kernel.close\n"
        "def stopped_while_closing(**options):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    close(**options)\n"
        "kernel.close = stopped_while_closing\n"
        "try:\n"
        "    b.close_idle_kernel()\n"
        "except SystemExit as stop:\n"
        "    closed = process.wait(timeout=10) is not None\n"
        "    print('stopped', stop.code, b._worker_kernel, closed, flush=True)\n"
        "    os._exit(0)\n"
        "print('went on', flush=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "stopped 143 None True"


def test_the_time_left_counts_each_task_left_as_long_as_those_of_its_kind_done(tmp_path):
    from concurrent.futures import Future
    from types import SimpleNamespace

    from parindex.pipeline.build import _Runner

    runner = _Runner(2, tmp_path, 3)
    runner._futures, runner._took, runner._unrun = {}, {"run": [], "export": []}, {}
    assert runner.left() is None  # nothing done yet
    run, export, finished = Future(), Future(), Future()
    finished.set_result((None, 1.0))
    runner._futures = {
        run: (SimpleNamespace(year=2022), None, None),  # its notebook runs; its two exports are to come
        export: (SimpleNamespace(year=2021), None, None),  # one of 2021's exports
        finished: (SimpleNamespace(year=2021), None, None),  # done: not counted
    }
    runner._unrun = {2022: 2}
    runner._took = {"run": [4.0, 6.0], "export": []}
    # Before any export is done, an export counts as long as the mean task: (4 + 6) / 2 = 5 s.
    # One run of 5 s and three exports of 5 s, shared by two workers: 20 / 2 = 10 s.
    assert runner.left() == 10.0
    runner._took["export"] = [1.0, 3.0]
    # One run of 5 s, three exports of (1 + 3) / 2 = 2 s: (5 + 6) / 2 = 5.5 s.
    assert runner.left() == 5.5
