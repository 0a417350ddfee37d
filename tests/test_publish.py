"""parindex export: a prepared or tweaked notebook to the pages a build makes; JupyterLab's exporters."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbconvert.exporters import get_exporter

from parindex.cli import main
from parindex.errors import InputError
from parindex.pipeline.build import prepare
from parindex.pipeline.publish import export_notebook

pytestmark = pytest.mark.build  # runs real builds: `make quick` leaves it out

FIXTURE = Path(__file__).parent / "fixtures" / "report_project"


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Path:
    """The fixture project's 2020 notebook as `parindex prepare` writes it, tweaked by hand, not yet run."""
    project = tmp_path_factory.mktemp("publish") / "project"
    shutil.copytree(FIXTURE, project)
    notebook = prepare(project / "params" / "2020.yaml", project / "work")
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("## Ghi chú của tôi", metadata={"tags": ["lang-vi"]}))
    nb.cells.append(nbformat.v4.new_code_cell("print('a tweak of my own')"))
    nbformat.write(nb, notebook)
    return notebook


@pytest.fixture(scope="module")
def exported(prepared) -> tuple[Path, list[Path]]:
    folder = prepared.parent / "exported"
    return folder, export_notebook(prepared, folder)


def test_an_unrun_notebook_is_run_then_written_in_each_language_main_first(exported):
    folder, written = exported
    assert [path.name for path in written] == [
        "par_index_2020.ipynb",
        "par_index_2020.vi.html",
        "par_index_2020.vi.pdf",
        "par_index_2020.en.html",
        "par_index_2020.en.pdf",
    ]
    assert all(path.parent == folder for path in written)
    executed = nbformat.read(folder / "par_index_2020.ipynb", as_version=4)
    assert all(cell.execution_count for cell in executed.cells if cell.cell_type == "code")


def test_each_page_is_the_report_in_its_language_with_the_tweaks(exported):
    folder, _ = exported
    vi = (folder / "par_index_2020.vi.html").read_text(encoding="utf-8")
    en = (folder / "par_index_2020.en.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in vi and '<html lang="en">' in en
    assert "83,72%" in vi and "Ghi chú của tôi" in vi and "a tweak of my own" in vi
    assert "83.72%" in en and "Ghi chú của tôi" not in en and "a tweak of my own" in en
    assert 'href="par_index_2020.en.html"' in vi and 'href="par_index_2020.vi.html"' in en
    text = _pdf_text(folder / "par_index_2020.vi.pdf")
    assert "83,72%" in text and "Trang 1/1" in text


def test_a_build_output_folder_is_refused_unless_forced(prepared, tmp_path):
    output = tmp_path / "output"
    (output / "2020").mkdir(parents=True)
    (output / ".lock").write_text("")
    (output / "index.html").write_text("<!DOCTYPE html>")
    with pytest.raises(InputError) as caught:
        export_notebook(prepared, output / "2020", ("en",))
    [problem] = caught.value.problems
    assert (
        problem.message == f"this folder is inside a build's output ({output}), which the next build replaces"
    )
    assert problem.fix == "export elsewhere, e.g. --output-dir exported, or add --force to write there anyway"
    assert not list((output / "2020").iterdir())
    written = export_notebook(prepared, output / "2020", ("en",), force=True)
    assert [path.name for path in written] == [
        "par_index_2020.ipynb",
        "par_index_2020.en.html",
        "par_index_2020.en.pdf",
    ]


def test_the_command_says_what_it_wrote_and_refuses_a_missing_notebook(prepared, capsys, tmp_path):
    assert main(["export", str(tmp_path / "nothing.ipynb"), "--output-dir", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'nothing.ipynb'}: notebook not found" in err
    assert "fix: give the path of an .ipynb file, e.g. one written by parindex prepare" in err
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{ not json", encoding="utf-8")
    assert main(["export", str(broken), "--output-dir", str(tmp_path / "x")]) == 2
    assert f"{broken}: not a readable notebook (NotJSONError)" in capsys.readouterr().err


def test_a_language_the_outputs_are_not_written_in_is_refused(exported):
    folder, _ = exported
    with pytest.raises(InputError) as caught:
        export_notebook(folder / "par_index_2020.ipynb", folder.parent / "again", ("vi", "fr"))
    assert caught.value.problems[0].message == "no catalog for language 'fr'; the languages are vi, en"


def test_jupyterlab_exporters_print_the_report(exported):
    folder, _ = exported
    nb = nbformat.read(folder / "par_index_2020.ipynb", as_version=4)
    pdf, resources = get_exporter("parindex_pdf")().from_notebook_node(nb)
    assert pdf.startswith(b"%PDF") and resources["output_extension"] == ".pdf"
    page, resources = get_exporter("parindex_html")().from_notebook_node(nb)
    assert '<html lang="vi">' in page and "83,72%" in page and resources["output_extension"] == ".html"
    english = get_exporter("parindex_html")(language="en")
    assert '<html lang="en">' in english.from_notebook_node(nb)[0]
