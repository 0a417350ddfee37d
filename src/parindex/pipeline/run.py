"""Run: execute a notebook with checked parameters in the project's own kernel, with papermill."""

from __future__ import annotations

import logging
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from papermill import execute_notebook
from papermill.engines import NBClientEngine, papermill_engines
from papermill.exceptions import PapermillExecutionError
from papermill.translators import papermill_translators
from traitlets.config import Config

from parindex.errors import BuildError, InputError, Problem, writing

log = logging.getLogger(__name__)

KERNEL = "parindex"
PARAMETERS_TAG = "parameters"
_ENGINE = "parindex"
_INJECTED_TAGS = {"injected-parameters", "papermill-error-cell-tag"}
_INSTALL_KERNEL = f'python -m ipykernel install --sys-prefix --name {KERNEL} --display-name "{KERNEL}"'


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
    check_pair(notebook)
    known = notebook_parameters(notebook)
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


def check_kernel(name: str = KERNEL) -> Path:
    """Finds the project's kernelspec and checks that its interpreter exists.

    Args:
        name: The kernelspec's name.

    Returns:
        The interpreter the kernel runs.

    Raises:
        BuildError: The kernelspec is not installed, is not this environment's, or its interpreter is gone.
    """
    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise BuildError(
            f"Jupyter kernel '{name}' is not installed. Run `make setup`, or in the project's virtualenv: "
            f"{_INSTALL_KERNEL}"
        ) from None
    interpreter = Path(spec.argv[0])
    if not interpreter.is_file():
        raise BuildError(
            f"Jupyter kernel '{name}' runs {interpreter}, which does not exist. "
            f"Reinstall it with `make setup`, or: {_INSTALL_KERNEL}"
        )
    here = Path(sys.prefix).resolve()
    if not Path(spec.resource_dir).resolve().is_relative_to(here):
        raise BuildError(
            f"Jupyter kernel '{name}' is found at {spec.resource_dir}, outside this environment ({here}), "
            f"so it may run another interpreter. Remove it (jupyter kernelspec remove {name}), then run "
            f"`make setup`, or: {_INSTALL_KERNEL}"
        )
    return interpreter


def run_notebook(
    notebook: Path,
    output: Path,
    parameters: Mapping[str, object] | None,
    label: str = "",
    cell_timeout: int | None = None,
) -> Path:
    """Executes a notebook with parameters into `output`, in the project's kernel.

    Safe to call from a worker process: the kernel talks over IPC sockets in a private folder, so
    runs in parallel cannot race for ports. The executed notebook keeps papermill's metadata.

    Args:
        notebook: The template notebook; the kernel runs in its folder.
        output: Where the executed notebook is written, also after a failure (the partial notebook).
        parameters: Values for every name of the `parameters` cell, and only those; None runs the notebook
            as it is (one written by `prepare` already holds its parameters).
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
    check_kernel()
    output.parent.mkdir(parents=True, exist_ok=True)
    papermill_engines.register(_ENGINE, _ProgressEngine)
    current = {"cell": "before the first cell"}

    def on_cell(nb: nbformat.NotebookNode, index: int) -> None:
        current["cell"] = _describe(nb, index)
        if nb.cells[index].cell_type == "code":
            injected = bool(_tags(nb.cells[index]) & _INJECTED_TAGS)
            log.log(
                logging.DEBUG if injected else logging.INFO,
                "%s: %s",
                label or notebook.stem,
                _position(nb, index),
            )

    with tempfile.TemporaryDirectory(prefix="parindex-kernel-") as sockets:
        config = Config(
            {
                "KernelManager": {"transport": "ipc", "ip": str(Path(sockets) / "k")},
                "NotebookClient": {"shutdown_kernel": "immediate"},  # also when stopped mid-cell, silently
            }
        )
        try:
            execute_notebook(
                notebook,
                output,
                parameters=dict(parameters) if parameters is not None else None,
                engine_name=_ENGINE,
                kernel_name=KERNEL,
                language="python",
                progress_bar=False,
                cwd=notebook.parent,
                execution_timeout=cell_timeout,
                config=config,
                on_cell=on_cell,
            )
        except PapermillExecutionError as error:
            executed = nbformat.read(output, as_version=4)
            cell = _describe(_without_markers(executed), error.cell_index)
            raise BuildError(f"{notebook.name} failed at {cell}: {error.ename}: {error.evalue}") from None
        except Exception as error:  # kernel death, timeouts, start-up failures: name where it stopped
            raise BuildError(
                f"{notebook.name} stopped at {current['cell']}: {type(error).__name__}: "
                + next(iter(str(error).splitlines()), "")
            ) from error
    nbformat.write(stable_ids(nbformat.read(output, as_version=4)), output)
    return output


def stable_ids(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Gives the cells papermill adds (random ids) an id named for their tag, so two runs give one file."""
    for cell in nb.cells:
        tags = sorted(_tags(cell) & _INJECTED_TAGS)
        if tags:
            cell.id = tags[0]
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


class _ProgressEngine(NBClientEngine):
    """Papermill's nbclient engine, calling `on_cell(nb, index)` as each cell starts."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        on_cell: Callable[[nbformat.NotebookNode, int], None] | None = None,
        **kwargs,
    ):
        if on_cell is not None:
            start = nb_man.cell_start

            def cell_start(cell, cell_index=None, **more):
                on_cell(nb_man.nb, cell_index)
                return start(cell, cell_index, **more)

            nb_man.cell_start = cell_start
        return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)


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
