"""Shared test helpers: the fixtures folder and params files written for one test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from parindex.data.params import Params, load_params

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def small_project(tmp_path_factory) -> Path:
    """A project whose builds take seconds: the profile test panel (tests/fixtures/profile, its units as
    ../units) with the small report notebook of tests/fixtures/report_project and the real profile notebook.
    """
    base = tmp_path_factory.mktemp("small")
    project = base / "project"
    shutil.copytree(FIXTURES / "profile", project)
    shutil.copytree(FIXTURES / "units", base / "units")  # its params' units_dir is ../units
    (project / "notebooks").mkdir()
    shutil.copy(FIXTURES / "report_project" / "notebooks" / "yearly_report.ipynb", project / "notebooks")
    shutil.copy(ROOT / "notebooks" / "unit_profile.ipynb", project / "notebooks")
    return project


@pytest.fixture
def make_params(tmp_path):
    """Writes a params file on the tiny unit set of tests/fixtures/units and loads it.

    Call it with the inputs (dicts as in a params file; paths relative to tests/fixtures) and optional
    companion inputs; any other keyword replaces a top-level key.
    """

    def make(inputs: list[dict], companion: list[dict] | None = None, **keys) -> Params:
        raw = yaml.safe_load((FIXTURES / "params" / "tiny.yaml").read_text(encoding="utf-8"))
        raw["units_dir"] = str(FIXTURES / "units")
        raw["inputs"] = [{**spec, "path": str(FIXTURES / spec["path"])} for spec in inputs]
        raw.pop("companion")
        if companion is not None:
            specs = [{**spec, "path": str(FIXTURES / spec["path"])} for spec in companion]
            raw["companion"] = {"name": "SIPAS", "title": "Satisfaction index", "inputs": specs}
        raw.update(keys)
        folder = tmp_path / "params"
        folder.mkdir(exist_ok=True)
        path = folder / "test.yaml"
        path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return load_params(path)

    return make
