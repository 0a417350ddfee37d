"""Lock: one build per output folder, a second one waiting or refusing with the holder named."""

from __future__ import annotations

import datetime
import json
import logging
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from parindex.errors import OutputLocked
from parindex.pipeline.lock import describe_holder, output_lock

pytestmark = pytest.mark.build  # runs real builds: `make quick` leaves it out

ROOT = Path(__file__).resolve().parents[1]
PARINDEX = Path(sys.executable).parent / "parindex"
HOLD = (
    "import sys, time\n"
    "from parindex.pipeline.lock import output_lock\n"
    "with output_lock(sys.argv[-1]):\n"
    "    print('held', flush=True)\n"
    "    time.sleep(60)\n"
)


@pytest.fixture
def holder(tmp_path):
    """A process holding tmp_path/output's lock, its command line reading as a build of 2020."""
    output = tmp_path / "output"
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, "build", "--year", "2020", str(output)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline() == "held\n"
    started = json.loads((output / ".lock").read_text(encoding="utf-8"))["started"]
    at = datetime.datetime.fromtimestamp(started).strftime("%H:%M:%S")
    yield output, f"build {process.pid} (parindex build --year 2020 {output}, started {at})"
    process.kill()
    process.wait()


def test_the_lock_file_names_its_holder_while_held_and_is_emptied_after(tmp_path):
    with output_lock(tmp_path / "output") as path:
        holder = json.loads(path.read_text(encoding="utf-8"))
        assert holder["pid"] > 0 and holder["started"] <= time.time()
        assert isinstance(holder["command"], str)
        assert re.fullmatch(rf"build {holder['pid']} \(.*, started \d\d:\d\d:\d\d\)", describe_holder(path))
    assert path == tmp_path / "output" / ".lock"
    assert path.read_text(encoding="utf-8") == ""
    assert describe_holder(path, attempts=1) == "another build"


def test_a_second_build_refuses_at_once_with_the_holder_named(holder):
    output, named = holder
    with pytest.raises(OutputLocked) as caught:
        with output_lock(output, wait=False):
            pass
    message = str(caught.value)
    assert message == (
        f"{output} is in use by {named}; wait for it to finish, or run the same command without --no-wait to "
        "wait for it"
    )


def test_a_second_build_says_once_whom_it_waits_for_then_goes_on(tmp_path, caplog):
    output = tmp_path / "output"
    held, release = threading.Event(), threading.Event()

    def hold():
        with output_lock(output):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(10)
    threading.Timer(0.5, release.set).start()
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="parindex.pipeline.lock"), output_lock(output):
        waited = time.monotonic() - started
    thread.join()
    assert waited >= 0.4
    assert len(caplog.messages) == 1
    assert re.fullmatch(
        r"waiting for build \d+ \(.*, started \d\d:\d\d:\d\d\) to finish …", caplog.messages[0]
    )


def test_build_with_no_wait_exits_2_naming_the_build_holding_the_output(holder):
    output, named = holder
    result = subprocess.run(
        [str(PARINDEX), "build", "--year", "2020", "--no-wait", "--output-dir", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"parindex: {output} is in use by {named}; wait for it to finish, or run the same command without "
        "--no-wait to wait for it\n"
    )
    assert sorted(p.name for p in output.iterdir()) == [".lock"]


def test_profiles_with_no_wait_exit_2_too(holder):
    output, named = holder
    result = subprocess.run(
        [
            str(PARINDEX),
            "build",
            "--profiles",
            "--year",
            "2020",
            "--unit",
            "46",
            "--no-wait",
            "--output-dir",
            str(output),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"parindex: {output} is in use by {named}")


def test_a_build_waiting_for_the_lock_is_stopped_by_sigterm_with_nothing_changed(holder):
    output, named = holder
    build = subprocess.Popen(
        [str(PARINDEX), "build", "--year", "2020", "--output-dir", str(output)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert build.stderr.readline() == f"waiting for {named} to finish …\n"
    build.terminate()
    assert build.wait(60) == 143
    assert build.stderr.read() == "parindex: stopped by SIGTERM: nothing was changed\n"
    assert sorted(p.name for p in output.iterdir()) == [".lock"]
