"""Committed notebooks: no outputs, one parameters cell, narrative and calls only, in sync with their pair."""

from __future__ import annotations

import ast
from pathlib import Path

import jupytext
import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert "yearly_report.ipynb" in {n.name for n in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name} carries outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_one_parameters_cell_of_literals_and_the_project_kernel(path):
    notebook = nbformat.read(path, as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for statement in ast.parse(tagged[0].source).body:
        assert isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant)
    assert notebook.metadata.kernelspec.name == "parindex"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_code_cells_only_call_the_package(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Lambda | ast.For | ast.While), (
                f"{path.name}: logic belongs in the package, not in a notebook cell:\n{cell.source}"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_paired_percent_script_matches(path):
    pair = path.with_suffix(".py")
    assert pair.is_file(), f"{path.name} has no py:percent pair"
    script = jupytext.read(pair)
    notebook = nbformat.read(path, as_version=4)
    as_cells = [(c.cell_type, c.source.strip()) for c in notebook.cells]
    assert [(c.cell_type, c.source.strip()) for c in script.cells] == as_cells, (
        f"{path.name} drifted from {pair.name}: run `jupytext --sync {pair}`"
    )
