"""Lock: one build per output folder at a time, held by the process so the kernel releases it if it dies."""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import json
import logging
import os
import shlex
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from parindex.errors import OutputLocked, printable

log = logging.getLogger(__name__)

LOCK = ".lock"


@contextlib.contextmanager
def output_lock(output_dir: Path, wait: bool = True) -> Iterator[Path]:
    """Holds `<output>/.lock` for the block: an exclusive flock, with the holder written into the file.

    The holder line is JSON: the process id, the command and when it started. A build that finds the lock
    held says once which build holds it and waits for it, or refuses.

    Args:
        output_dir: The output folder; created when missing.
        wait: Whether to wait for the build holding the lock; False raises OutputLocked at once.

    Yields:
        The lock file.

    Raises:
        OutputLocked: The lock is held by another build and `wait` is False.
    """
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    path = output_dir / LOCK
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = describe_holder(path)
            if not wait:
                raise OutputLocked(
                    f"{output_dir} is in use by {holder}; wait for it to finish, or run the same command "
                    "without --no-wait to wait for it"
                ) from None
            log.warning("waiting for %s to finish …", holder)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            handle.truncate(0)
            handle.write(json.dumps(_holder()) + "\n")
            handle.flush()
            yield path
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def describe_holder(path: Path, attempts: int = 10) -> str:
    """Names the build holding a lock: "build 1234 (parindex build --year 2020, started 11:02:03)".

    Args:
        path: The lock file.
        attempts: How many times to read it, 0.05 s apart, while the holder has not yet written its line.

    Returns:
        The description; "another build" when the holder's line cannot be read.
    """
    for _ in range(attempts):
        try:
            holder = json.loads(path.read_text(encoding="utf-8"))
            started = datetime.datetime.fromtimestamp(holder["started"])
            when = started.strftime(
                "%H:%M:%S" if started.date() == datetime.date.today() else "%Y-%m-%d %H:%M:%S"
            )
            return printable(f"build {holder['pid']} ({holder['command']}, started {when})")
        except (OSError, ValueError, KeyError, TypeError):
            time.sleep(0.05)
    return "another build"


def _holder() -> dict[str, object]:
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "parindex"
    if name in ("cli.py", "__main__.py", "-c"):
        name = "parindex"
    return {"pid": os.getpid(), "command": shlex.join([name, *sys.argv[1:]]), "started": time.time()}
