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


# The longest test files first: with a file per worker (`--dist loadfile --no-loadscope-reorder`), a long file
# started last keeps one worker busy while the others have nothing left to do. The times are those of the
# previous runs (pytest's cache, .pytest_cache/); without them, the files that run real builds go first.
_SECONDS = "parindex/seconds_per_file"
_TIMES: dict[str, float] = {}  # this run's seconds per file


def _file(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(config, items) -> None:
    seconds = config.cache.get(_SECONDS, {}) if getattr(config, "cache", None) else {}
    builds = {_file(item.nodeid) for item in items if item.get_closest_marker("build")}
    position: dict[str, int] = {}  # each file's place: the sort keeps a file's tests together and in order
    for item in items:
        position.setdefault(_file(item.nodeid), len(position))

    def order(item) -> tuple:
        file = _file(item.nodeid)
        return (-seconds.get(file, 0.0), file not in builds, position[file])

    items.sort(key=order)


def pytest_runtest_logreport(report) -> None:
    _TIMES[_file(report.nodeid)] = _TIMES.get(_file(report.nodeid), 0.0) + report.duration


def pytest_sessionfinish(session) -> None:
    """The run's times per file, kept with those of files it did not run (in the main process only)."""
    config = session.config
    if getattr(config, "cache", None) and not hasattr(config, "workerinput") and _TIMES:
        seconds = config.cache.get(_SECONDS, {})
        config.cache.set(_SECONDS, {**seconds, **{f: round(t, 1) for f, t in _TIMES.items()}})
