import json
import logging
import multiprocessing
import os
import pickle
import shutil
import signal
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import openpyxl
import pytest
from helpers import print_loaded

from parindex.errors import BuildError, InputError
from parindex.pipeline.kernelspec import KERNEL, check_kernel
from parindex.pipeline.run import Kernel, check_parameters, notebook_parameters, run_notebook

NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"
GREET = NOTEBOOKS / "greet.ipynb"
DIVIDE = NOTEBOOKS / "divide.ipynb"


def test_notebook_parameters_are_the_names_of_the_parameters_cell():
    assert notebook_parameters(GREET) == ["name", "times"]


def test_unknown_and_missing_parameters_are_all_named():
    with pytest.raises(InputError) as caught:
        check_parameters(GREET, {"nme": "Huế", "times": 2, "colour": "red"})
    assert [(p.key, p.message) for p in caught.value.problems] == [
        ("nme", "unknown parameter 'nme': the parameters cell defines name, times"),
        ("colour", "unknown parameter 'colour': the parameters cell defines name, times"),
        ("name", "parameter 'name' is not given"),
    ]
    assert caught.value.problems[0].fix == "correct the name, or add it to the notebook's parameters cell"
    assert str(caught.value).startswith("3 problems found:")


def test_a_notebook_without_a_parameters_cell_is_refused():
    with pytest.raises(InputError) as caught:
        check_parameters(NOTEBOOKS / "untagged.ipynb", {})
    assert caught.value.problems[0].message == "no cell is tagged 'parameters'"
    assert caught.value.problems[0].fix == (
        "tag exactly one code cell, the one holding the defaults, 'parameters' (Property Inspector)"
    )


def test_a_missing_notebook_is_refused(tmp_path):
    with pytest.raises(InputError, match="notebook not found"):
        notebook_parameters(tmp_path / "nothing.ipynb")


def test_a_broken_notebook_is_refused(tmp_path):
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not a readable notebook"):
        notebook_parameters(broken)


def test_bad_parameters_stop_before_a_kernel_starts(tmp_path):
    output = tmp_path / "out" / "greet.ipynb"
    with pytest.raises(InputError, match="unknown parameter 'nme'"):
        run_notebook(GREET, output, {"nme": "x", "times": 1})
    assert not output.parent.exists()


def test_a_missing_kernel_says_how_to_install_it():
    with pytest.raises(BuildError) as caught:
        check_kernel("no-such-kernel")
    assert str(caught.value) == (
        "Jupyter kernel 'no-such-kernel' is not installed. Run `make setup`, or in the project's virtualenv: "
        'python -m ipykernel install --sys-prefix --name parindex --display-name "parindex"'
    )


def test_a_kernel_whose_interpreter_is_gone_says_how_to_reinstall_it(tmp_path, monkeypatch):
    spec = tmp_path / "kernels" / "gone"
    spec.mkdir(parents=True)
    argv = [str(tmp_path / "missing" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "gone", "language": "python"})
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    with pytest.raises(BuildError) as caught:
        check_kernel("gone")
    assert str(caught.value) == (
        f"Jupyter kernel 'gone' runs {argv[0]}, which does not exist. Reinstall it with `make setup`, or: "
        'python -m ipykernel install --sys-prefix --name parindex --display-name "parindex"'
    )


def test_a_kernel_of_another_environment_is_refused(tmp_path, monkeypatch):
    spec = tmp_path / "kernels" / "elsewhere"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "x", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    with pytest.raises(BuildError) as caught:
        check_kernel("elsewhere")
    assert str(caught.value) == (
        f"Jupyter kernel 'elsewhere' is found at {spec}, outside this environment "
        f"({Path(sys.prefix).resolve()}), so it may run another interpreter. Remove it (jupyter kernelspec "
        "remove elsewhere), then run `make setup`, or: "
        'python -m ipykernel install --sys-prefix --name parindex --display-name "parindex"'
    )


def test_the_project_kernel_runs_the_project_interpreter():
    assert check_kernel().is_file()


def test_run_injects_parameters_and_logs_each_code_cell(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="parindex")
    output = run_notebook(
        GREET, tmp_path / "greet.ipynb", {"name": "Thừa Thiên Huế", "times": 2}, label="2020"
    )
    executed = nbformat.read(output, as_version=4)
    assert executed.cells[-1].outputs[0].text == "hello Thừa Thiên Huế, hello Thừa Thiên Huế\n"
    assert executed.metadata.papermill.parameters == {"name": "Thừa Thiên Huế", "times": 2}
    assert executed.metadata.kernelspec.name == KERNEL
    assert "injected-parameters" in executed.cells[2].metadata.tags
    progress = [r.getMessage() for r in caplog.records if r.name == "parindex.pipeline.run"]
    assert progress == ["2020: cell 2/3", "2020: cell 3/3"]


def test_a_failing_cell_keeps_the_partial_notebook_and_is_named(tmp_path):
    output = tmp_path / "divide.ipynb"
    with pytest.raises(BuildError) as caught:
        run_notebook(DIVIDE, output, {"divisor": 0})
    assert str(caught.value) == (
        "divide.ipynb failed at cell 3/5 (In [3], `total = 10 / divisor`): "
        "ZeroDivisionError: division by zero"
    )
    partial = nbformat.read(output, as_version=4)
    errors = [
        o for c in partial.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert [e.ename for e in errors] == ["ZeroDivisionError"]
    assert partial.cells[-1].source == 'print("never")'
    assert partial.cells[-1].execution_count is None


def test_runs_in_parallel_worker_processes_do_not_collide(tmp_path):
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        jobs = [
            pool.submit(run_notebook, GREET, tmp_path / f"greet-{n}.ipynb", {"name": f"run {n}", "times": 1})
            for n in (1, 2)
        ]
        outputs = [job.result() for job in jobs]
    texts = [nbformat.read(o, as_version=4).cells[-1].outputs[0].text for o in outputs]
    assert texts == ["hello run 1\n", "hello run 2\n"]


def test_a_cell_that_runs_too_long_is_named_with_the_partial_notebook_kept(tmp_path):
    output = tmp_path / "sleep.ipynb"
    with pytest.raises(BuildError) as caught:
        run_notebook(NOTEBOOKS / "sleep.ipynb", output, {"seconds": 60}, cell_timeout=2)
    assert str(caught.value) == (
        "sleep.ipynb stopped at cell 3/3 (In [3], `import time`): CellTimeoutError: "
        "A cell timed out while it was being executed, after 2 seconds."
    )
    assert nbformat.read(output, as_version=4).metadata.papermill.parameters == {"seconds": 60}


def test_two_runs_give_the_same_cell_ids(tmp_path):
    first = run_notebook(GREET, tmp_path / "first.ipynb", {"name": "Hà Nội", "times": 1})
    second = run_notebook(GREET, tmp_path / "second.ipynb", {"name": "Hà Nội", "times": 1})
    ids = [[cell.id for cell in nbformat.read(path, as_version=4).cells] for path in (first, second)]
    assert ids[0] == ids[1]
    assert "injected-parameters" in ids[0]


def test_a_template_whose_py_pair_was_edited_and_not_synced_is_refused(tmp_path):
    root = Path(__file__).resolve().parents[1] / "notebooks"
    notebook = tmp_path / "yearly_report.ipynb"
    shutil.copy(root / "yearly_report.ipynb", notebook)
    pair = tmp_path / "yearly_report.py"
    script = (root / "yearly_report.py").read_text(encoding="utf-8")
    pair.write_text(script.replace('yearly.chart(year, "ranked")', 'yearly.chart(year, "distribution")', 1))
    os.utime(notebook, (1_600_000_000, 1_600_000_000))
    parameters = {"params_file": "x", "output_dir": "y", "languages": ""}
    with pytest.raises(InputError) as caught:
        check_parameters(notebook, parameters)
    [problem] = caught.value.problems
    cells = len(nbformat.read(notebook, as_version=4).cells)
    first = next(
        i
        for i, cell in enumerate(nbformat.read(notebook, as_version=4).cells)
        if 'chart(year, "ranked")' in cell.source
    )
    assert problem.message == (
        f"yearly_report.ipynb and its pair yearly_report.py differ from cell {first + 1} on "
        f"({cells} and {cells} cells); yearly_report.py was changed last"
    )
    assert problem.fix == (
        f"sync them with: .venv/bin/jupytext --sync {pair} (it keeps the one changed last), then build again"
    )
    pair.unlink()
    check_parameters(notebook, parameters)  # a template without a pair is taken as it is


def test_a_template_checked_once_is_checked_again_when_it_or_its_pair_changes(tmp_path):
    root = Path(__file__).resolve().parents[1] / "notebooks"
    notebook = tmp_path / "yearly_report.ipynb"
    shutil.copy(root / "yearly_report.ipynb", notebook)
    pair = tmp_path / "yearly_report.py"
    shutil.copy(root / "yearly_report.py", pair)
    parameters = {"params_file": "x", "output_dir": "y", "languages": ""}
    check_parameters(notebook, parameters)
    script = pair.read_text(encoding="utf-8")
    pair.write_text(script.replace('yearly.chart(year, "ranked")', 'yearly.chart(year, "ranked2")', 1))
    with pytest.raises(InputError, match="its pair yearly_report.py differ from cell"):
        check_parameters(notebook, parameters)
    pair.write_text(script)
    check_parameters(notebook, parameters)
    nb = nbformat.read(notebook, as_version=4)
    nb.cells[0].source = nb.cells[0].source.replace("languages = ", "langs = ")
    nbformat.write(nb, notebook)
    pair.unlink()
    with pytest.raises(InputError) as caught:
        check_parameters(notebook, parameters)
    assert [p.message for p in caught.value.problems] == [
        "unknown parameter 'languages': the parameters cell defines params_file, output_dir, langs",
        "parameter 'langs' is not given",
    ]


def test_a_warm_kernel_runs_notebook_after_notebook_each_from_an_empty_namespace(tmp_path):
    with Kernel() as kernel:
        kernel.start(NOTEBOOKS, imports="import json")
        first = kernel.run(GREET, tmp_path / "first.ipynb", {"name": "Huế", "times": 1})
        with pytest.raises(BuildError) as caught:
            kernel.run(DIVIDE, tmp_path / "divide.ipynb", {"divisor": 0})
        second = kernel.run(GREET, tmp_path / "second.ipynb", {"name": "Đà Nẵng", "times": 2})
        leftover = kernel.run(NOTEBOOKS / "leftover.ipynb", tmp_path / "leftover.ipynb", {"limit": 2})
    assert str(caught.value) == (
        "divide.ipynb failed at cell 3/5 (In [3], `total = 10 / divisor`): "
        "ZeroDivisionError: division by zero"
    )
    texts = [nbformat.read(path, as_version=4).cells[-1].outputs[0].text for path in (first, second)]
    assert texts == ["hello Huế\n", "hello Đà Nẵng, hello Đà Nẵng\n"]
    assert (
        nbformat.read(first, as_version=4).cells
        == nbformat.read(
            run_notebook(GREET, tmp_path / "cold.ipynb", {"name": "Huế", "times": 1}), as_version=4
        ).cells
    )
    # the earlier notebooks' names are gone; the counts start at 1 again
    left = nbformat.read(leftover, as_version=4).cells[-1]
    assert left.outputs[0].text == "name: False, divisor: False\n"
    assert left.execution_count == 3


def test_a_build_checks_its_kernel_and_browser_without_loading_the_printing_or_report_libraries():
    # The parent of a build checks the kernel and finds Chromium before its workers start; the libraries
    # that read, run, export and print notebooks, and draw charts, are loaded by the workers and kernels
    # alone.
    script = (
        "import sys\n"
        "from parindex.pipeline.build import build\n"
        "from parindex.pipeline.chromium import find_chromium\n"
        "from parindex.pipeline.kernelspec import check_kernel\n"
        "check_kernel(); find_chromium()\n"
        + print_loaded(
            *("nbformat", "papermill", "nbclient", "nbconvert", "playwright", "pikepdf", "matplotlib"),
            *("rfc3987_syntax", "lark"),
        )
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_worker_takes_its_report_and_writes_its_workbook_without_loading_pandas(tmp_path):
    # A build's workers run notebooks in kernels and export them; pandas (35 MB and 0.25 s a process) is
    # the kernels' and the data checks' alone.
    tables = tmp_path / "tables"
    tables.mkdir()
    (tables / "provinces.csv").write_text("code,score\n01,86.07\n", encoding="utf-8")
    root = Path(__file__).resolve().parents[1]
    script = (
        "import pickle, sys\n"
        "from pathlib import Path\n"
        "from parindex.pipeline import build, run, export\n"
        "from parindex.reports.tables import write_workbook\n"
        "from parindex.i18n import lang\n"
        "report = pickle.loads(sys.stdin.buffer.read())\n"
        "print(report.parameters(Path('out'))['languages'], report.title_in(lang('vi')))\n"
        f"write_workbook(Path({str(tables)!r}), Path({str(tmp_path / 'r.xlsx')!r}), [lang('vi')])\n"
        + print_loaded("pandas", "matplotlib")
    )
    from parindex.data.params import load_params
    from parindex.pipeline.build import Report

    report = pickle.dumps(Report(load_params(root / "params" / "2020.yaml")))
    done = subprocess.run([sys.executable, "-c", script], input=report, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().splitlines() == [
        "vi,en PAR INDEX năm 2020: Chỉ số cải cách hành chính",
        "[]",
    ]
    assert openpyxl.load_workbook(tmp_path / "r.xlsx")["provinces"]["A2"].value == "01"


def test_a_worker_stopped_while_it_closes_its_kernel_still_removes_the_kernels_files(tmp_path):
    # A build killed while its workers end normally sends each SIGTERM in the middle of closing its kernel;
    # the worker finishes closing instead of leaving the kernel's sockets and connection file behind.
    script = (
        "import multiprocessing, os, signal, sys\n"
        "from parindex.pipeline import build\n"
        "build.start_worker(multiprocessing.Queue(), 20)\n"
        "kernel = build.worker_kernel()\n"
        "client = kernel._client\n"
        "stop = client.stop_channels\n"
        "def stopped_midway():\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    stop()\n"
        "client.stop_channels = stopped_midway\n"
        "print(kernel._sockets.name, flush=True)\n"
    )
    environment = dict(os.environ, TMPDIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert Path(done.stdout.strip()).parent == tmp_path
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def _worker_script(tmp_path: Path, script: str) -> subprocess.CompletedProcess:
    """Runs `script` as a build worker would (`start_worker` first), its TMPDIR in tmp_path."""
    prelude = (
        "import multiprocessing, multiprocessing.util, os, signal, sys, time\n"
        "from parindex.pipeline import build\n"
        "build.start_worker(multiprocessing.Queue(), 20)\n"
        "kernel = build.worker_kernel()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + script],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ, TMPDIR=str(tmp_path)),
        timeout=60,
    )


def test_a_stopped_worker_no_longer_passes_on_what_the_browser_driver_logs(tmp_path):
    # A command the stop cut short is answered late; the driver logs the answer it cannot match, with a
    # traceback, which the build's terminal would show under its one line saying what was kept.
    script = (
        "import logging, os, signal, sys, time\n"
        "from parindex.pipeline import build\n"
        "logging.basicConfig(stream=sys.stderr, format='%(name)s: %(message)s')\n"
        "signal.signal(signal.SIGTERM, build._exit_worker)\n"
        "driver = logging.getLogger('playwright._impl._connection')\n"
        "driver.error('heard before the stop')\n"
        "try:\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    time.sleep(10)\n"
        "except SystemExit:\n"
        "    pass\n"
        "try:\n"
        "    raise RuntimeError('Cannot find command to respond: 7')\n"
        "except RuntimeError as error:\n"
        "    driver.error('Error occurred in event listener', exc_info=error)\n"
        "logging.getLogger('parindex.pipeline.build').error('parindex still heard')\n"
        "os._exit(0)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert done.stderr == (
        "playwright._impl._connection: heard before the stop\nparindex.pipeline.build: parindex still heard\n"
    )


def test_a_worker_whose_stop_was_caught_removes_its_kernel_when_the_grace_time_runs_out(tmp_path):
    # The pool catches a stop that comes while it sends a task's result, and waits for work a killed build
    # never sends: the grace timer ends the worker, its kernel's process and files removed first.
    done = _worker_script(
        tmp_path,
        "try:\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    time.sleep(1)\n"
        "except SystemExit:\n"
        "    pass\n"
        "time.sleep(30)\n",
    )
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_worker_stopped_while_it_ends_still_closes_its_kernel(tmp_path):
    # A stop that comes while the process runs its exit handlers, before the worker's own, does not unwind
    # them: the worker's close runs and removes the kernel's sockets and connection file.
    done = _worker_script(
        tmp_path,
        "multiprocessing.util.Finalize(None, os.kill, (os.getpid(), signal.SIGTERM), exitpriority=20)\n",
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def _notebook(path: Path, *sources: str) -> Path:
    """A notebook of code cells, without parameters (run as it is)."""
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources]), path)
    return path


def test_a_warm_kernel_frees_the_last_run_and_sets_aside_what_outlives_the_reset(tmp_path):
    first = _notebook(
        tmp_path / "first.ipynb",
        "import sys, weakref\nclass Node:\n    pass\nnode = Node()\nnode.me = node  # a cycle\n"
        "sys.parindex_probe = weakref.ref(node)",
    )
    second = _notebook(
        tmp_path / "second.ipynb",
        "import gc, sys\nprint(sys.parindex_probe() is None, gc.get_freeze_count() > 0)",
    )
    with Kernel() as kernel:
        kernel.run(first, tmp_path / "first.out.ipynb", None)
        done = kernel.run(second, tmp_path / "second.out.ipynb", None)
    assert nbformat.read(done, as_version=4).cells[0].outputs[0].text == "True True\n"


def test_a_kernels_temporary_files_are_in_its_own_folder_and_go_with_it(tmp_path):
    notebook = _notebook(tmp_path / "where.ipynb", "import tempfile\nprint(tempfile.gettempdir())")
    with Kernel() as kernel:
        done = kernel.run(notebook, tmp_path / "where.out.ipynb", None)
        folder = Path(kernel._sockets.name)
    assert nbformat.read(done, as_version=4).cells[0].outputs[0].text == f"{folder}\n"
    assert not folder.exists()


def test_a_build_with_one_notebook_to_run_starts_one_kernel_and_a_browser_per_worker(tmp_path):
    # One year in two languages: its notebook runs in one worker, its second language is exported in the
    # other at the same time; a kernel there would cost a second and 150 MB for nothing.
    from parindex.pipeline.build import _Runner

    probe = (
        "(lambda b: (b._worker_kernel is not None, b._worker_printer is not None))"
        "(__import__('parindex.pipeline.build', fromlist=['_']))"
    )
    with _Runner(2, tmp_path, notebooks=1) as runner:
        # Started while the build checks the data, the workers hold no kernel or browser until warmed.
        cold = [pool.submit(eval, probe).result(timeout=120) for pool, _, _ in runner._pools]
        runner.warm()
        found = [pool.submit(eval, probe).result(timeout=120) for pool, _, _ in runner._pools]
        assert runner._exporter() is runner._pools[0][0]  # nothing waits yet: the first pool
    assert cold == [(False, False), (False, False)]
    assert found == [(True, True), (False, True)]
    with _Runner(2, tmp_path, notebooks=3) as runner:
        assert [(workers, kernel) for _, workers, kernel in runner._pools] == [(2, True)]
