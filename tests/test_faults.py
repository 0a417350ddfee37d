"""Fault injection: real `parindex build` processes killed with SIGKILL at several stages.

Each build runs on a small project (the profile test panel with the small report notebook and the real
profile notebook), with its own temporary folder (TMPDIR) and a mark in its environment that every process
it starts inherits (workers, kernels, the playwright driver, Chromium), so that what outlives it is found.
After each kill: output/2020 is the complete previous report (or absent when there was none), or the
complete new one; the profiles are as they were; no process of the killed build is left and nothing of it
in its temporary folder; one more build succeeds and leaves no leftovers.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.build  # runs real builds: `make quick` leaves it out

PARINDEX = Path(sys.executable).parent / "parindex"
MARK = "PARINDEX_FAULT_BUILD"
REPORT = {
    "par_index_2020.en.html",
    "par_index_2020.en.pdf",
    "par_index_2020.ipynb",
    "par_index_2020.vi.html",
    "par_index_2020.vi.pdf",
    "summary.json",
    "tables/par_index_2020.xlsx",
    "tables/scores.csv",
}
PROFILES = {"profiles/index.html", "profiles/index.en.html"} | {
    f"profiles/par_index_2020_{stem}{suffix}"
    for stem in ("ha_noi_01", "thua_thien_hue_46")
    for suffix in (".en.html", ".en.pdf", ".ipynb", ".vi.html", ".vi.pdf", "/summary.json")
}
TEMPORARY: list[Path] = []  # every build's TMPDIR, removed after the tests
ORPHAN_DEADLINE = 12  # seconds the killed build's workers get to notice and end (WORKER_GRACE is 5)


class Build:
    """One `parindex build` run in the project, its stderr in a file, marked and with its own TMPDIR."""

    def __init__(self, project: Path, output: Path, *options: str, years: tuple[int, ...] = (2020,)):
        self.id = uuid.uuid4().hex
        # Short, as Chromium's and the kernels' sockets are named under it (a socket path has 107 bytes).
        self.temporary = Path(tempfile.mkdtemp(prefix="pf-", dir="/tmp"))
        TEMPORARY.append(self.temporary)
        self.log = project.parent / f"stderr-{self.id}.txt"
        # --verbose: each cell run is logged, so that a test can stop the build at a cell; --force: the output
        # may hold the same reports already, and the build must run to be stopped.
        self.command = [
            str(PARINDEX),
            "--verbose",
            "build",
            "--force",
            "--jobs",
            "1",
            "--output-dir",
            str(output),
        ]
        self.command += options
        for year in years:
            self.command += ["--year", str(year)]
        self.env = dict(os.environ, TMPDIR=str(self.temporary), **{MARK: self.id})
        self.project = project

    def run(self) -> subprocess.CompletedProcess:
        """Runs the build to its end."""
        return subprocess.run(
            self.command, cwd=self.project, env=self.env, capture_output=True, text=True, timeout=300
        )

    def start(self) -> subprocess.Popen:
        """Starts the build in its own session, as a terminal runs it."""
        with open(self.log, "w", encoding="utf-8") as log:
            return subprocess.Popen(
                self.command,
                cwd=self.project,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8") if self.log.exists() else ""

    def kill_when(self, process: subprocess.Popen, moment: Callable[[], bool], timeout: float = 120) -> None:
        """Kills the build with SIGKILL as soon as `moment()` is true; fails if the build ends first."""
        deadline = time.monotonic() + timeout
        while not moment():
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the build ended or hung before the moment to kill it:\n{self.stderr()}")
            time.sleep(0.002)
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(30) == -signal.SIGKILL

    def processes(self) -> list[str]:
        """The processes still alive that this build started (zombies aside), as "pid command"."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if f"{MARK}={self.id}".encode() not in (entry / "environ").read_bytes().split(b"\0"):
                    continue
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if state != "Z":
                found.append(f"{entry.name} {command[:160]}")
        return found

    def orphans(self) -> list[str]:
        """The processes of the build alive after ORPHAN_DEADLINE seconds; none once they all ended."""
        deadline = time.monotonic() + ORPHAN_DEADLINE
        while (alive := self.processes()) and time.monotonic() < deadline:
            time.sleep(0.2)
        return alive

    def strays(self) -> list[str]:
        """What the build left in its temporary folder (kernel sockets, connection files, profiles)."""
        return sorted(p.name for p in self.temporary.iterdir())


def _files(folder: Path) -> set[str]:
    """The outputs under a folder, the stamps of what they were made from aside."""
    if not folder.exists():
        return set()
    return {
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and p.name != ".parindex-key.json"
    }


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file by its path: (inode, modification time); a file carried over by a hard link keeps both."""
    return {
        str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def _leftovers(output: Path) -> list[str]:
    """Hidden entries a stopped build may leave in output/ and its folders; the lock and stamps aside."""
    folders = [output, *(p for p in output.iterdir() if p.is_dir())]
    kept = (".lock", ".parindex-key.json")
    found = [p for folder in folders for p in folder.glob(".*") if p.name not in kept]
    return sorted(str(p.relative_to(output)) for p in found)


def _work_file(output: Path, name: str) -> Callable[[], bool]:
    """A moment: the file `name` exists in a 2020 work folder of output/.work/."""
    return lambda: any((output / ".work").glob(f"2020-*/{name}"))


def _work_export(output: Path) -> Callable[[], bool]:
    """A moment during the export: the Vietnamese HTML is written, the English PDF is not."""
    return lambda: (
        _work_file(output, "par_index_2020.vi.html")() and not _work_file(output, "par_index_2020.en.pdf")()
    )


def _said(build: Build, text: str) -> Callable[[], bool]:
    """A moment: the build's progress output on stderr holds `text`."""
    return lambda: text in build.stderr()


def _swapped(folder: Path) -> Callable[[], bool]:
    """A moment: `folder` names another folder than now (the exchange has happened)."""
    inode = folder.stat().st_ino
    return lambda: folder.stat().st_ino != inode


@pytest.fixture(scope="module", autouse=True)
def _remove_temporary():
    yield
    for folder in TEMPORARY:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def project(small_project) -> Path:
    """The small project of conftest (the profile panel, the small report notebook, the profile one)."""
    return small_project


@pytest.fixture(scope="module")
def built(project) -> Path:
    """An output folder with the complete 2020 report and the profiles of Hà Nội (01) and Huế (46)."""
    output = project / "output"
    year = Build(project, output).run()
    assert year.returncode == 0, year.stderr
    profiles = Build(project, output, "--profiles", "--unit", "01", "--unit", "46").run()
    assert profiles.returncode == 0, profiles.stderr
    assert _files(output / "2020") == REPORT | PROFILES
    return output


def _assert_clean_end(build: Build) -> None:
    """Nothing of the killed build outlives it: no process, nothing in its temporary folder."""
    assert build.orphans() == []
    assert build.strays() == []


def _assert_rebuilt(project: Path, output: Path, *options: str, years: tuple[int, ...] = (2020,)) -> None:
    """One more build succeeds, ends cleanly and leaves no leftovers; the report and profiles complete."""
    again = Build(project, output, *options, years=years)
    result = again.run()
    assert result.returncode == 0, result.stderr
    assert again.orphans() == [] and again.strays() == []
    assert _leftovers(output) == []
    assert not (output / ".work").exists()
    assert _files(output / "2020") >= REPORT


def _assert_whole(output: Path, before: dict[str, tuple[int, int]]) -> str:
    """output/2020 is the complete previous report, or the complete new one: "previous" or "new"."""
    folder = output / "2020"
    assert _files(folder) == REPORT | PROFILES
    after = _snapshot(folder)
    profiles = {name: stat for name, stat in after.items() if name.startswith("profiles")}
    assert profiles == {name: stat for name, stat in before.items() if name.startswith("profiles")}
    if after == before:
        return "previous"
    unchanged = [name for name in REPORT if after[name] == before[name]]
    assert unchanged == [], "output/2020 mixes files of two builds"
    return "new"


def test_a_first_build_killed_while_cells_run_leaves_no_report_folder(project):
    output = project / "first-output"
    build = Build(project, output)
    process = build.start()
    build.kill_when(process, _said(build, "PAR INDEX 2020: cell 4/"))
    assert not (output / "2020").exists()
    assert sorted(p.name for p in output.iterdir()) == [".lock", ".work"]
    _assert_clean_end(build)
    _assert_rebuilt(project, output)
    assert _files(output / "2020") == REPORT


def test_a_build_killed_while_cells_run_leaves_the_previous_report(project, built):
    before = _snapshot(built / "2020")
    build = Build(project, built)
    process = build.start()
    build.kill_when(process, _said(build, "PAR INDEX 2020: cell 4/"))
    assert _assert_whole(built, before) == "previous"
    _assert_clean_end(build)
    _assert_rebuilt(project, built)
    assert _assert_whole(built, before) == "new"


def test_a_build_of_two_years_killed_in_the_first_starts_nothing_for_the_second(project):
    output = project / "two-years"
    build = Build(project, output, years=(2019, 2020))
    process = build.start()
    build.kill_when(process, _said(build, "PAR INDEX 2019: cell 4/"))
    _assert_clean_end(build)
    assert [list(p.iterdir()) for p in (output / ".work").glob("2020-*")] == [[]]
    assert "PAR INDEX 2020" not in build.stderr()
    assert sorted(p.name for p in output.iterdir()) == [".lock", ".work"]
    _assert_rebuilt(project, output, years=(2019, 2020))
    assert _files(output / "2019") == {name.replace("2020", "2019") for name in REPORT}


def test_a_build_killed_during_the_export_leaves_the_previous_report(project, built):
    before = _snapshot(built / "2020")
    build = Build(project, built)
    process = build.start()
    build.kill_when(process, _work_export(built))
    assert _assert_whole(built, before) == "previous"
    assert _said(build, "exporting HTML and PDF (vi)")()
    _assert_clean_end(build)
    _assert_rebuilt(project, built)


@pytest.mark.parametrize(
    "moment",
    ["the last PDF is written", "the folders are exchanged"],
)
def test_a_build_killed_around_the_swap_leaves_one_whole_report(project, built, moment):
    before = _snapshot(built / "2020")
    build = Build(project, built)
    process = build.start()
    written, swapped = _work_file(built, "par_index_2020.en.pdf"), _swapped(built / "2020")
    # The last PDF is written a few tens of milliseconds before the swap; a loaded machine may not let the
    # test look in between, and then the swap that follows is the moment (either leaves one whole report).
    when = {
        "the last PDF is written": lambda: written() or swapped(),
        "the folders are exchanged": swapped,
    }[moment]
    build.kill_when(process, when)
    kept = _assert_whole(built, before)
    if moment != "the last PDF is written":
        assert kept == "new"
    _assert_clean_end(build)
    _assert_rebuilt(project, built)


def test_a_profiles_build_killed_midway_keeps_the_profiles(project, built):
    before = _snapshot(built / "2020")
    build = Build(project, built, "--profiles", "--unit", "22", "--unit", "79")
    process = build.start()
    build.kill_when(process, _said(build, "[1/2] 2020 "))
    assert _assert_whole(built, before) == "previous"
    assert not (built / "2020" / "profiles" / "par_index_2020_quang_ninh_22.vi.pdf").exists()
    _assert_clean_end(build)
    _assert_rebuilt(project, built, "--profiles", "--unit", "22")
    profiles = _snapshot(built / "2020" / "profiles")
    assert (
        profiles["par_index_2020_thua_thien_hue_46.vi.pdf"]
        == before["profiles/par_index_2020_thua_thien_hue_46.vi.pdf"]
    )
    assert (
        "par_index_2020_quang_ninh_22.vi.pdf" in profiles
        and "par_index_2020_ho_chi_minh_79.vi.pdf" not in profiles
    )
