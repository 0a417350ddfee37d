"""Run: execute a notebook with checked parameters in the project's own kernel, kept warm between runs."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import nbformat
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from papermill import execute_notebook
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook
from papermill.translators import papermill_translators
from traitlets.config import Config

from parindex.data.files import state
from parindex.errors import BuildError, InputError, Problem, writing
from parindex.pipeline.kernelspec import KERNEL, check_kernel

log = logging.getLogger(__name__)

PARAMETERS_TAG = "parameters"
_INJECTED_TAGS = {"injected-parameters", "papermill-error-cell-tag"}


def notebook_parameters(notebook: Path) -> list[str]:
    """The names the notebook's `parameters` cell defines, in order.

    Args:
        notebook: A notebook with exactly one cell tagged `parameters`.

    Returns:
        The parameter names.

    Raises:
        InputError: The notebook is missing, unreadable, or has no or several `parameters` cells.
    """
    where = str(notebook)
    if not notebook.is_file():
        raise InputError([Problem(where, "notebook not found", "give the path of an .ipynb file")])
    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception as error:  # nbformat raises several unrelated types for a broken file
        raise InputError(
            [Problem(where, f"not a readable notebook: {error}", "open and save it in Jupyter")]
        ) from None
    cells = [cell for cell in nb.cells if PARAMETERS_TAG in _tags(cell)]
    if len(cells) != 1:
        found = "no cell is" if not cells else f"{len(cells)} cells are"
        fix = "tag exactly one code cell, the one holding the defaults, 'parameters' (Property Inspector)"
        raise InputError([Problem(where, f"{found} tagged '{PARAMETERS_TAG}'", fix)])
    translator = papermill_translators.find_translator(KERNEL, "python")
    return [parameter.name for parameter in translator.inspect(cells[0])]


def check_pair(notebook: Path) -> None:
    """Checks that a template and its paired jupytext script (the .py beside it) hold the same cells.

    A notebook edited as its .py pair and not synced would otherwise be built from its stale .ipynb.

    Args:
        notebook: The template notebook; nothing is checked when it has no .py pair.

    Raises:
        InputError: The two differ; the message names the first cell that differs and the command that
            syncs them.
    """
    pair = Path(notebook).with_suffix(".py")
    if not pair.is_file():
        return
    import jupytext  # imported here: only templates with a pair need it

    script = [(c.cell_type, c.source.strip()) for c in jupytext.read(pair).cells]
    cells = [(c.cell_type, c.source.strip()) for c in nbformat.read(notebook, as_version=4).cells]
    if script == cells:
        return
    first = next(
        (i for i, (a, b) in enumerate(zip(script, cells, strict=False)) if a != b),
        min(len(script), len(cells)),
    )
    newer = pair.name if pair.stat().st_mtime > Path(notebook).stat().st_mtime else Path(notebook).name
    raise InputError(
        [
            Problem(
                str(notebook),
                f"{Path(notebook).name} and its pair {pair.name} differ from cell {first + 1} on "
                f"({len(cells)} and {len(script)} cells); {newer} was changed last",
                f"sync them with: .venv/bin/jupytext --sync {pair} (it keeps the one changed last), "
                "then build again",
            )
        ]
    )


def check_parameters(notebook: Path, parameters: Mapping[str, object]) -> None:
    """Checks a template before it runs: its pair agrees, and the parameters are exactly those it defines.

    Args:
        notebook: The notebook to run.
        parameters: The values to inject, by name.

    Raises:
        InputError: The notebook and its .py pair differ (see `check_pair`); or names given that the cell
            does not define, or defined that are not given; all listed.
    """
    notebook = Path(notebook)
    known = _checked_template(notebook, state(notebook), state(notebook.with_suffix(".py")))
    defined = ", ".join(known) or "nothing"
    problems = [
        Problem(
            str(notebook),
            f"unknown parameter '{name}': the parameters cell defines {defined}",
            "correct the name, or add it to the notebook's parameters cell",
            key=name,
        )
        for name in parameters
        if name not in known
    ]
    problems += [
        Problem(str(notebook), f"parameter '{name}' is not given", "pass a value for it", key=name)
        for name in known
        if name not in parameters
    ]
    if problems:
        raise InputError(problems)


@functools.lru_cache(maxsize=16)
def _checked_template(notebook: Path, *states: tuple[int, int, int] | None) -> tuple[str, ...]:
    """`check_pair` and `notebook_parameters` of a template, done once per process for the same files.

    `states` (see `files.state`) are the notebook's and its pair's: an edited file is checked again. A failed
    check raises and is not kept.
    """
    check_pair(notebook)
    return tuple(notebook_parameters(notebook))


def run_notebook(
    notebook: Path,
    output: Path,
    parameters: Mapping[str, object] | None,
    label: str = "",
    cell_timeout: int | None = None,
) -> Path:
    """Executes a notebook with parameters into `output`, in a kernel of its own (see `Kernel.run`)."""
    with Kernel() as kernel:
        return kernel.run(notebook, output, parameters, label, cell_timeout)


class Kernel:
    """A kernel of the project's kind kept warm for notebook after notebook, in one process.

    The first run starts it; each later run starts from an empty namespace (``%reset``) in the notebook's
    folder, with every module the earlier runs imported still loaded, which is what makes a warm run fast.
    A run that leaves the kernel in doubt (dead, stopped mid-cell) shuts it down: the next run starts anew.
    The kernel talks over IPC sockets in a private folder, so kernels of parallel workers cannot race for
    ports. Use it as a context manager, or call `close`.
    """

    def __init__(self) -> None:
        self._sockets = tempfile.TemporaryDirectory(prefix="parindex-kernel-")
        self._config = Config(
            {
                "KernelManager": {"transport": "ipc", "ip": str(Path(self._sockets.name) / "k")},
                "NotebookClient": {"shutdown_kernel": "immediate", "record_timing": False},
            }
        )
        # The kernel's temporary files go in its own folder, removed with it: one it is stopped in the
        # middle of writing (Python's first look for a temporary folder writes one) is not left behind.
        self._launch = {"stderr": subprocess.DEVNULL, "env": dict(os.environ, TMPDIR=self._sockets.name)}
        self._manager = self._client = None
        self._starting = None  # the manager of a kernel being started, for `abandon`
        self._checked = False

    def __enter__(self) -> Kernel:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start(self, folder: Path, imports: str = "") -> None:
        """Starts the kernel in `folder` now and has it import `imports` while the caller does other work."""
        if self._manager is not None:
            return
        self._check()
        runner = self._runner(nbformat.v4.new_notebook(), Path(folder))
        runner.km = self._starting = runner.create_kernel_manager()
        run_sync(runner.async_start_new_kernel)(**self._launch)
        run_sync(runner.async_start_new_kernel_client)()
        self._manager, self._client, self._starting = runner.km, runner.kc, None
        if imports:
            self._client.execute(imports, silent=True, store_history=False)

    def run(
        self,
        notebook: Path,
        output: Path,
        parameters: Mapping[str, object] | None,
        label: str = "",
        cell_timeout: int | None = None,
    ) -> Path:
        """Executes a notebook with parameters into `output`.

        Args:
            notebook: The template notebook; the kernel runs in its folder.
            output: Where the executed notebook is written, also after a failure (the partial notebook).
            parameters: Values for every name of the `parameters` cell, and only those; None runs the
                notebook as it is (one written by `prepare` already holds its parameters).
            label: What progress lines start with, e.g. "PAR INDEX 2020".
            cell_timeout: Seconds one cell may run; None for no limit.

        Returns:
            The executed notebook's path.

        Raises:
            InputError: The parameters do not match the notebook's `parameters` cell.
            BuildError: The kernel is missing, or a cell failed (naming the notebook, the cell and the error).
        """
        notebook, output = Path(notebook).resolve(), Path(output).resolve()
        if parameters is not None:
            check_parameters(notebook, parameters)
        self._check()
        output.parent.mkdir(parents=True, exist_ok=True)
        nb = load_notebook_node(str(notebook))  # papermill's reader: every cell gets its tags list
        if parameters is not None:
            nb = parameterize_notebook(nb, dict(parameters), kernel_name=KERNEL, language="python")
        current = {"index": None}

        def on_cell_start(cell: nbformat.NotebookNode, cell_index: int) -> None:
            current["index"] = cell_index
            if cell.cell_type == "code" and cell.source.strip():
                injected = bool(_tags(cell) & _INJECTED_TAGS)
                level = logging.DEBUG if injected else logging.INFO
                log.log(level, "%s: %s", label or notebook.stem, _position(nb, cell_index))

        if self._manager is not None:
            self._fresh(notebook.parent)
        runner = self._runner(nb, notebook.parent, cell_timeout, on_cell_start)
        try:
            _execute(runner, self._launch)
        except CellExecutionError as error:
            cell = _describe(nb, current["index"])
            raise BuildError(f"{notebook.name} failed at {cell}: {error.ename}: {error.evalue}") from None
        except Exception as error:  # kernel death, timeouts, start-up failures: name where it stopped
            self._manager, self._client = runner.km, runner.kc
            self.close(keep_sockets=True)
            where = "before the first cell" if current["index"] is None else _describe(nb, current["index"])
            raise BuildError(
                f"{notebook.name} stopped at {where}: {type(error).__name__}: "
                + next(iter(str(error).splitlines()), "")
            ) from error
        finally:
            nbformat.write(stable_ids(nb), output)  # the partial notebook too, after a failure
            if self._manager is None and runner.km is not None and runner.km.has_kernel:
                self._manager, self._client = runner.km, runner.kc
        self._fresh()
        return output

    def close(self, keep_sockets: bool = False) -> None:
        """Shuts the kernel down (now) and, unless told to keep it, removes its socket folder."""
        manager, client, self._manager, self._client = self._manager, self._client, None, None
        if manager is not None:
            with contextlib.suppress(Exception):
                client.stop_channels()
            with contextlib.suppress(Exception):
                run_sync(manager.shutdown_kernel)(now=True)
        if not keep_sockets:
            self._sockets.cleanup()

    def abandon(self) -> None:
        """Removes the kernel at once, from any thread: its process killed, its files deleted.

        For a process that has to end now, with no time for `close` (the kernel is not told, its client's
        sockets are left to the process's end).
        """
        manager = self._manager or self._starting
        if manager is not None:
            process = getattr(manager.provisioner, "process", None)
            if process is not None:
                with contextlib.suppress(OSError):
                    process.kill()
            with contextlib.suppress(OSError):
                os.remove(manager.connection_file)
        shutil.rmtree(self._sockets.name, ignore_errors=True)

    def _check(self) -> None:
        if not self._checked:
            check_kernel()
            self._checked = True

    def _runner(
        self,
        nb: nbformat.NotebookNode,
        folder: Path,
        cell_timeout: int | None = None,
        on_cell_start: Callable | None = None,
    ) -> NotebookClient:
        runner = NotebookClient(
            nb,
            km=self._manager,
            kernel_name=KERNEL,
            config=self._config,
            timeout=cell_timeout,
            on_cell_start=on_cell_start,
            resources={"metadata": {"path": str(folder)}},
        )
        runner.kc = self._client
        return runner

    def _fresh(self, folder: Path | None = None) -> None:
        """Empties the warm kernel's namespace and moves it into the notebook's folder (when given).

        What is still alive after the reset (modules, their caches) is then set aside from the garbage
        collector (`gc.freeze`): the next reset's collections, and those the next run triggers, look at the
        new objects only. A reset of a warm kernel took 0.17 s, most of a short run's overhead; 0.005 s
        frozen. Objects set aside are still freed when nothing refers to them (only cycles wait). The
        memory the report's objects held is then given back to the system (glibc's `malloc_trim`): a run
        ends with a reset, so that a kernel waiting for its next report holds none of the last one's
        (about 40 MB less for a yearly report, while its worker exports it).
        """
        code = (
            "get_ipython().run_line_magic('reset', '-f')\n"
            "import gc as _gc\n_gc.freeze()\ndel _gc\n"
            "import ctypes as _ctypes\n_trim = getattr(_ctypes.CDLL(None), 'malloc_trim', None)\n"
            "_trim and _trim(0)\ndel _ctypes, _trim\n"
        )
        if folder is not None:
            code += f"import os as _os\n_os.chdir({str(folder)!r})\ndel _os"
        reply = run_sync(self._client.execute_interactive)(
            code, silent=True, store_history=False, timeout=60, output_hook=lambda message: None
        )
        if reply["content"].get("status") != "ok":
            self.close(keep_sockets=True)


def _execute(runner: NotebookClient, launch: Mapping[str, object]) -> None:
    """Runs every cell of the client's notebook in its kernel, and keeps the kernel.

    `NotebookClient.execute` would do the same but take over the process's SIGTERM handler (and leave the
    default one behind): a stopped worker would no longer close its kernel and browser. `launch` holds
    the options of a kernel started here (see `Kernel`).
    """
    runner.reset_execution_trackers()
    with runner.setup_kernel(cleanup_kc=False, **launch):
        info = runner.wait_for_reply(runner.kc.kernel_info())
        runner.nb.metadata["language_info"] = info["content"]["language_info"]
        for index, cell in enumerate(runner.nb.cells):
            runner.execute_cell(cell, index, execution_count=runner.code_cells_executed + 1)


def stable_ids(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Gives injected cells an id named for their tag and results their cell's count: two runs, one file."""
    for cell in nb.cells:
        tags = sorted(_tags(cell) & _INJECTED_TAGS)
        if tags:
            cell.id = tags[0]
        for output in cell.get("outputs", []):
            if output.get("output_type") == "execute_result":
                output.execution_count = cell.execution_count  # a warm kernel's own count runs on
    return nb


def _position(nb: nbformat.NotebookNode, index: int) -> str:
    """Where a cell of an executed notebook is in its template: "cell 4/9", or "injected parameters"."""
    template = [i for i, cell in enumerate(nb.cells) if not _tags(cell) & _INJECTED_TAGS]
    if index not in template:
        return "injected parameters"
    return f"cell {template.index(index) + 1}/{len(template)}"


def _describe(nb: nbformat.NotebookNode, index: int) -> str:
    """Names a cell for a message: "cell 4/9 (In [3], `x = 1`)", numbered as in the template."""
    cell = nb.cells[index]
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    count = cell.get("execution_count")
    return f"{_position(nb, index)} ({f'In [{count}], ' if count else ''}`{first}`)"


def _tags(cell: nbformat.NotebookNode) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _without_markers(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of an executed notebook without the error marker cells papermill adds on failure."""
    copy = nbformat.from_dict(nb)
    copy.cells = [cell for cell in copy.cells if "papermill-error-cell-tag" not in _tags(cell)]
    return copy


def prepare_notebook(notebook: Path, output: Path, parameters: Mapping[str, object]) -> Path:
    """Writes the template with `parameters` injected, not executed, for opening in JupyterLab.

    Args:
        notebook: The template notebook.
        output: Where the prepared notebook is written.
        parameters: Values for every name of the `parameters` cell, and only those; None runs the notebook
            as it is (one written by `prepare` already holds its parameters).

    Returns:
        The prepared notebook's path.

    Raises:
        InputError: The parameters do not match the notebook's `parameters` cell.
    """
    notebook, output = Path(notebook).resolve(), Path(output).resolve()
    check_parameters(notebook, parameters)
    with writing(output):
        output.parent.mkdir(parents=True, exist_ok=True)
        execute_notebook(
            str(notebook), str(output), parameters=dict(parameters), prepare_only=True, kernel_name=KERNEL
        )
    return output
