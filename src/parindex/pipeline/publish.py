"""Publish a notebook of one's own: a tweaked copy becomes the HTML and PDF a build makes, in each language.

`parindex export NOTEBOOK` runs a notebook written by `parindex prepare` (or a copy of a template) when it
has not been run, then exports it like a build: one HTML page and one A4 PDF per language, with the running
header, page numbers, bookmarks, the demonstration notice and links between the languages. The same export
is offered to JupyterLab's "Save and Export Notebook As" menu by the nbconvert exporters `ReportPDFExporter`
and `ReportHTMLExporter`, registered under the names parindex_pdf and parindex_html.
"""

from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters import Exporter
from traitlets import Unicode

from parindex.data.params import load_params
from parindex.errors import InputError, ParindexError, Problem
from parindex.i18n import LANGUAGES, LANGUAGES_MIME, lang
from parindex.pipeline.build import demonstration_notice, page_name
from parindex.pipeline.export import Printer, export_html
from parindex.pipeline.lock import LOCK
from parindex.pipeline.run import run_notebook, stable_ids

_HEADING = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_BANNER = 'class="parindex-banner"'


def export_notebook(
    notebook: Path, output_dir: Path, languages: tuple[str, ...] = (), force: bool = False
) -> list[Path]:
    """Writes a notebook as the HTML and PDF a build makes, one of each per language, into `output_dir`.

    A notebook with a code cell that has not run is run first, as it is (its parameters are those it holds),
    in the project's kernel, in its own folder; the executed copy is written beside the pages.

    Args:
        notebook: The notebook, e.g. work/2020/par_index_2020.ipynb written by `parindex prepare`.
        output_dir: The folder to write into; never inside a build's output folder (one holding .lock and
            index.html) unless `force`.
        languages: The languages to export; empty for those the notebook's outputs are written in.
        force: Write into a build's output folder all the same.

    Returns:
        The files written: the executed notebook, then HTML and PDF per language.

    Raises:
        InputError: The notebook is missing or unreadable, the folder belongs to a build, or a language
            asked for has no catalog or no output in the notebook.
        BuildError: A cell failed, or Chromium could not print.
    """
    notebook = Path(notebook).resolve()
    nb = _read(notebook)
    output_dir = Path(output_dir).resolve()
    _check_folder(output_dir, force)
    output_dir.mkdir(parents=True, exist_ok=True)
    executed = output_dir / f"{notebook.stem}.ipynb"
    if _has_run(nb):
        if executed != notebook:
            nbformat.write(stable_ids(nb), executed)
    else:
        run_notebook(notebook, executed, None, notebook.stem)
        nb = nbformat.read(executed, as_version=4)
    codes = _languages(nb, notebook, languages)
    written = [executed]
    with Printer() as printer:
        for code in codes:
            others = {other: page_name(notebook.stem, other, ".html") for other in codes if other != code}
            html_file, pdf_file = written_pages(nb, executed, output_dir, code, others, printer)
            written += [html_file, pdf_file]
    return written


def written_pages(
    nb: nbformat.NotebookNode,
    executed: Path,
    output_dir: Path,
    code: str,
    others: dict[str, str],
    printer: Printer,
) -> tuple[Path, Path]:
    """Exports one language of an executed notebook: its HTML page and its PDF."""
    title = _title(nb, code) or executed.stem
    page = export_html(executed, output_dir / page_name(executed.stem, code, ".html"), title, code, others)
    demonstration = any(_BANNER in text for text in _texts(nb, code))
    pdf = printer.print_pdf(
        page,
        output_dir / page_name(executed.stem, code, ".pdf"),
        title.split(":")[0],
        title,
        _author(nb, code),
        notice=demonstration_notice(code) if demonstration else "",
        language=code,
    )
    return page, pdf


def _read(notebook: Path) -> nbformat.NotebookNode:
    if not notebook.is_file():
        raise InputError(
            [
                Problem(
                    str(notebook),
                    "notebook not found",
                    "give the path of an .ipynb file, e.g. one written by parindex prepare",
                )
            ]
        )
    try:
        return nbformat.read(notebook, as_version=4)
    except (ValueError, UnicodeDecodeError, nbformat.reader.NotJSONError) as error:
        raise InputError(
            [
                Problem(
                    str(notebook),
                    f"not a readable notebook ({type(error).__name__})",
                    "give a Jupyter notebook (.ipynb) saved by JupyterLab or parindex prepare",
                )
            ]
        ) from None


def _check_folder(output_dir: Path, force: bool) -> None:
    """Refuses a folder inside a build's output (a folder holding .lock and index.html), unless forced."""
    build = next(
        (
            folder
            for folder in (output_dir, *output_dir.parents)
            if (folder / LOCK).is_file() and (folder / "index.html").is_file()
        ),
        None,
    )
    if build is not None and not force:
        raise InputError(
            [
                Problem(
                    str(output_dir),
                    f"this folder is inside a build's output ({build}), which the next build replaces",
                    "export elsewhere, e.g. --output-dir exported, or add --force to write there anyway",
                )
            ]
        )


def _has_run(nb: nbformat.NotebookNode) -> bool:
    """Whether every code cell with code in it has run."""
    return all(
        cell.get("execution_count") is not None
        for cell in nb.cells
        if cell.cell_type == "code" and cell.source.strip()
    )


def _texts(nb: nbformat.NotebookNode, code: str) -> list[str]:
    """The HTML the notebook's outputs show in one language."""
    texts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if LANGUAGES_MIME in data:
                texts.append(data[LANGUAGES_MIME].get(code, ""))
            elif "text/html" in data:
                texts.append("".join(data["text/html"]))
    return texts


def _languages(nb: nbformat.NotebookNode, notebook: Path, asked: tuple[str, ...]) -> tuple[str, ...]:
    """The languages to export: those asked for, else those of the outputs, else the params' or the main."""
    found = list(
        dict.fromkeys(
            code
            for cell in nb.cells
            for output in cell.get("outputs", [])
            for code in output.get("data", {}).get(LANGUAGES_MIME, {})
        )
    )
    if asked:
        codes = tuple(lang(code).code for code in asked)
        missing = [code for code in codes if found and code not in found]
        if missing:
            raise InputError(
                [
                    Problem(
                        str(notebook),
                        f"the notebook's outputs are in {', '.join(found)}, not in {', '.join(missing)}",
                        f"export in {', '.join(found)}, or run the notebook with languages = "
                        f'"{",".join(codes)}"',
                    )
                ]
            )
        return codes
    params = _params(nb)
    order = list(params.languages if params is not None else ()) + list(LANGUAGES)
    if found:  # notebooks store outputs with sorted keys: the params say which language is the main one
        return tuple(sorted(found, key=lambda code: order.index(code) if code in order else len(order)))
    return params.languages if params is not None else (LANGUAGES[0],)


def _title(nb: nbformat.NotebookNode, code: str) -> str:
    """The text of the first top-level heading the outputs show in a language."""
    for text in _texts(nb, code):
        match = _HEADING.search(text)
        if match:
            return html.unescape(_TAG.sub("", match.group(1))).strip()
    return ""


def _params(nb: nbformat.NotebookNode) -> Any:
    """The params file the notebook ran with (papermill's record of its parameters), or None."""
    recorded = nb.metadata.get("papermill", {}).get("parameters", {}).get("params_file")
    if not recorded:
        return None
    try:
        return load_params(recorded, require_inputs=False)
    except ParindexError:
        return None


def _author(nb: nbformat.NotebookNode, code: str) -> str:
    params = _params(nb)
    return params.text(params.author, code) if params is not None else ""


class _ReportExporter(Exporter):
    """Exports the notebook open in JupyterLab as the report a build makes (without running it)."""

    language = Unicode(
        "", help="The language to export; the first the outputs are written in when empty."
    ).tag(config=True)

    def _export(self, nb: nbformat.NotebookNode, suffix: str) -> bytes:
        with tempfile.TemporaryDirectory(prefix="parindex-export-") as folder:
            executed = Path(folder) / "report.ipynb"
            nbformat.write(nb, executed)
            code = self.language or _languages(nb, executed, ())[0]
            with Printer() as printer:
                page, pdf = written_pages(nb, executed, Path(folder), code, {}, printer)
            return (page if suffix == ".html" else pdf).read_bytes()


class ReportPDFExporter(_ReportExporter):
    """JupyterLab's File › Save and Export Notebook As › "Report PDF (parindex)"."""

    export_from_notebook = "Report PDF (parindex)"
    output_mimetype = "application/pdf"

    def _file_extension_default(self) -> str:
        return ".pdf"

    def from_notebook_node(
        self, nb: nbformat.NotebookNode, resources: dict | None = None, **kw: Any
    ) -> tuple[bytes, dict]:
        nb, resources = super().from_notebook_node(nb, resources, **kw)
        resources["output_extension"] = ".pdf"
        return self._export(nb, ".pdf"), resources


class ReportHTMLExporter(_ReportExporter):
    """JupyterLab's File › Save and Export Notebook As › "Report HTML (parindex)"."""

    export_from_notebook = "Report HTML (parindex)"
    output_mimetype = "text/html"

    def _file_extension_default(self) -> str:
        return ".html"

    def from_notebook_node(
        self, nb: nbformat.NotebookNode, resources: dict | None = None, **kw: Any
    ) -> tuple[str, dict]:
        nb, resources = super().from_notebook_node(nb, resources, **kw)
        resources["output_extension"] = ".html"
        return self._export(nb, ".html").decode("utf-8"), resources
