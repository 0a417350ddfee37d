"""Working interactively: the report notebook runs with its defaults; prepare injects a build's parameters."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest

from parindex.reports.present import LANGUAGES_MIME

pytestmark = pytest.mark.build  # runs real builds: `make quick` leaves it out

ROOT = Path(__file__).resolve().parents[1]
PARINDEX = Path(sys.executable).parent / "parindex"


def test_report_notebook_runs_top_to_bottom_with_its_defaults(tmp_path):
    executed = papermill.execute_notebook(
        str(ROOT / "notebooks" / "yearly_report.ipynb"),
        str(tmp_path / "run.ipynb"),
        kernel_name="parindex",
        cwd=str(ROOT / "notebooks"),
        progress_bar=False,
    )
    outputs = [
        output.get("data", {})
        for cell in executed.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    ]
    shown = "".join(data.get("text/html", "") for data in outputs)  # what JupyterLab shows: the main language
    assert "PAR INDEX năm 2020: Chỉ số cải cách hành chính" in shown
    assert "Quảng Ninh dẫn đầu với 91,04%" in shown and "ranks first" not in shown
    english = "".join(data.get(LANGUAGES_MIME, {}).get("en", "") for data in outputs)
    assert "PAR INDEX 2020: Public Administration Reform Index" in english
    assert "Quảng Ninh ranks first with 91.04%" in english


def test_prepare_writes_the_build_parameters_outside_output(tmp_path):
    result = subprocess.run(
        [str(PARINDEX), "prepare", "--year", "2021", "--work-dir", str(tmp_path / "work")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    prepared = tmp_path / "work" / "2021" / "par_index_2021.ipynb"
    assert f"wrote {prepared}" in result.stdout
    notebook = nbformat.read(prepared, as_version=4)
    injected = [c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected[0].source.splitlines()[1:] == [
        f'params_file = "{ROOT / "params" / "2021.yaml"}"',
        f'output_dir = "{tmp_path / "work" / "2021" / "output"}"',
        'languages = "vi,en"',
    ]
    assert all(c.get("outputs", []) == [] for c in notebook.cells if c.cell_type == "code")


def test_prepare_an_unknown_year_is_a_clear_error(tmp_path):
    result = subprocess.run(
        [str(PARINDEX), "prepare", "--year", "1999", "--work-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "params/1999.yaml: params file not found" in result.stderr


def test_prepare_a_profile_and_refuse_an_unknown_code(tmp_path):
    result = subprocess.run(
        [str(PARINDEX), "prepare", "--year", "2020", "--profile", "46", "--work-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    notebook = nbformat.read(tmp_path / "2020" / "par_index_2020_thua_thien_hue_46.ipynb", as_version=4)
    injected = [c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert 'unit_code = "46"' in injected[0].source
    unknown = subprocess.run(
        [str(PARINDEX), "prepare", "--year", "2020", "--profile", "99", "--work-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert unknown.returncode == 2
    assert "no province with code 99 in 2020" in unknown.stderr
