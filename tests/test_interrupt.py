"""Interrupted builds: real `parindex build` processes stopped by signals; folders, leftovers, profiles.

The builds run on a small project (the profile test panel with the small report notebook and the real
profile notebook): how a build handles signals does not depend on the size of its reports.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.build  # runs real builds: `make quick` leaves it out

PARINDEX = Path(sys.executable).parent / "parindex"
PROFILE = "profiles/par_index_2020_thua_thien_hue_46.vi.pdf"


def _run(output: Path, *options: str) -> subprocess.CompletedProcess:
    command = [
        str(PARINDEX),
        "--verbose",
        "build",
        "--year",
        "2020",
        "--jobs",
        "1",
        "--lang",
        "vi",
        "--output-dir",
        str(output),
    ]
    command += options  # --verbose: each cell run is logged, so that a test can stop the build at a cell
    return subprocess.run(command, cwd=output.parent, capture_output=True, text=True, timeout=600)


def _start(output: Path, *options: str, hangup_ignored: bool = False) -> subprocess.Popen:
    """A build in its own session, as a terminal runs it; SIGHUP ignored as under nohup when asked."""

    def as_from_a_terminal() -> None:
        # A test run in the background of a shell inherits SIGINT ignored, which a build keeps ignoring
        # (as it keeps a SIGHUP that nohup ignores): a terminal starts the build with both as by default.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_IGN if hangup_ignored else signal.SIG_DFL)

    # --verbose: each cell run is logged, so that a test can stop the build at a cell; --force: 2020 is built
    # already, and the build must run to be stopped.
    # One language: the signals' handling does not depend on how many there are.
    command = [str(PARINDEX), "--verbose", "build", "--force", "--year", "2020", "--jobs", "1"]
    command += ["--lang", "vi", "--output-dir", str(output), *options]
    return subprocess.Popen(
        command,
        cwd=output.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=as_from_a_terminal,
    )


def _wait_for(process: subprocess.Popen, text: str) -> list[str]:
    """Reads the process's stderr until a line holding `text`; the lines read."""
    lines = []
    for line in process.stderr:
        lines.append(line)
        if text in line:
            return lines
    pytest.fail(f"the build ended without {text!r}:\n{''.join(lines)}")


def _leftovers(output: Path) -> list[str]:
    kept = (".lock", ".parindex-key.json")  # the lock and a report's stamp are no leftovers
    found = [p for p in (output, *output.iterdir()) if p.is_dir() for p in p.glob(".*") if p.name not in kept]
    return sorted(str(p.relative_to(output)) for p in found)


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def built(small_project) -> Path:
    """The small project's output folder (project/output) with the 2020 report and the profile of 46."""
    output = small_project / "output"
    assert _run(output).returncode == 0
    profiles = _run(output, "--profiles", "--unit", "46")
    assert profiles.returncode == 0, profiles.stderr
    return output


def test_sigterm_mid_run_exits_143_saying_what_was_kept_and_leaves_the_report_as_it_was(built):
    before = _snapshot(built / "2020")
    build = _start(built)
    _wait_for(build, "PAR INDEX 2020: cell 4/")
    os.killpg(build.pid, signal.SIGTERM)
    assert build.wait(60) == 143
    *before_the_stop, stop = build.stderr.read().splitlines()
    assert stop == f"parindex: stopped by SIGTERM: 2020 not built; {built / '2020'} is unchanged"
    # The kernel may run a cell or two more between the line read and the signal; nothing else is said.
    assert all(re.fullmatch(r"PAR INDEX 2020: cell \d+/\d+", line) for line in before_the_stop)
    assert _snapshot(built / "2020") == before
    assert _leftovers(built) == []


def test_ctrl_c_during_the_export_exits_130_without_a_traceback(built):
    before = _snapshot(built / "2020")
    # Two languages: the English export follows the Vietnamese one. The moment is read in the work folder
    # (the Vietnamese page written, the English PDF not yet), not from the progress lines, which a loaded
    # machine may pass on late, when the build is already ending.
    build = _start(built, "--lang", "en")
    work = built / ".work"
    deadline = time.monotonic() + 300
    while not (any(work.glob("2020-*/par_index_2020.vi.html")) and not any(work.glob("2020-*/*.en.pdf"))):
        assert build.poll() is None and time.monotonic() < deadline, "the build ended before its export"
        time.sleep(0.005)
    os.killpg(build.pid, signal.SIGINT)
    assert build.wait(60) == 130
    rest = build.stderr.read()
    assert rest.endswith(f"parindex: stopped by SIGINT: 2020 not built; {built / '2020'} is unchanged\n")
    assert "Traceback" not in rest
    assert _snapshot(built / "2020") == before
    assert _leftovers(built) == []


def test_a_killed_profiles_build_keeps_the_profiles(built):
    profile = (built / "2020" / PROFILE).read_bytes()
    # Stopped while the second of two profiles is made: the first is done, the year's profiles are not.
    build = _start(built, "--profiles", "--unit", "01", "--unit", "22")
    _wait_for(build, "[1/2] 2020 ")
    assert build.poll() is None, "the build ended before the signal could be sent"
    build.terminate()
    assert build.wait(60) == 143
    assert build.stderr.read().endswith(
        f"parindex: stopped by SIGTERM: profiles of 2020 not built; {built / '2020' / 'profiles'} is "
        "unchanged\n"
    )
    assert (built / "2020" / PROFILE).read_bytes() == profile
    for stem in ("ha_noi_01", "quang_ninh_22"):
        assert not (built / "2020" / "profiles" / f"par_index_2020_{stem}.vi.pdf").exists()
    assert _leftovers(built) == []


def test_under_nohup_a_hang_up_does_not_stop_the_build_which_removes_leftovers_and_keeps_profiles(built):
    (built / ".tmp-2020-x").mkdir()
    (built / ".old-2020-1-2" / "tables").mkdir(parents=True)
    (built / "2020" / ".tmp-profiles-y").mkdir()
    (built / ".work" / "2020-z").mkdir(parents=True)
    profile = (built / "2020" / PROFILE).read_bytes()
    pdf = (built / "2020" / "par_index_2020.vi.pdf").stat().st_ino
    build = _start(built, hangup_ignored=True)
    _wait_for(build, "PAR INDEX 2020: cell 4/")
    os.killpg(build.pid, signal.SIGHUP)
    _wait_for(build, "exporting HTML and PDF")
    os.killpg(build.pid, signal.SIGHUP)
    out, err = build.communicate(timeout=600)
    assert build.returncode == 0, err
    assert out.startswith("year  status  seconds  outputs\n2020  built")
    assert (built / "2020" / "par_index_2020.vi.pdf").stat().st_ino != pdf
    assert (built / "2020" / PROFILE).read_bytes() == profile
    assert "2020/profiles/index.html" in (built / "index.html").read_text(encoding="utf-8")
    assert _leftovers(built) == []
