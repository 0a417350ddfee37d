"""Build progress: one line per finished report, with the count done, what is running and the time left.

On a terminal a tqdm bar keeps the count, the elapsed and remaining time and what is running, and each
finished report is written above it; elsewhere (a log file, a pipe, CI) each finished report is one plain
line, e.g. "[3/9] 2020 done in 12.1 s, about 40 s left; running 2021, 2022".
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from typing import TextIO

from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from parindex.errors import printable


def left_text(seconds: float) -> str:
    """An estimate of the time left as a reader takes it in: "about 40 s", "about 3 min".

    Args:
        seconds: The estimate, in seconds.

    Returns:
        Whole seconds under a minute and a half, whole minutes from there.
    """
    if seconds < 90:
        return f"about {max(1, round(seconds))} s"
    return f"about {round(seconds / 60)} min"


def line(
    done: int,
    total: int,
    name: str,
    seconds: float,
    left: float | None,
    running: Sequence[str] = (),
    failed: bool = False,
) -> str:
    """One finished report as a progress line.

    Args:
        done: How many reports are finished, this one included.
        total: How many reports the build makes.
        name: The report just finished, e.g. "2020" or "2020 Nghệ An".
        seconds: How long it took.
        left: The estimated seconds until the last report is finished; None when none is left.
        running: The reports running now.
        failed: Whether it failed.

    Returns:
        E.g. "[3/9] 2020 done in 12.1 s, about 40 s left; running 2021, 2022".
    """
    text = f"[{done}/{total}] {name} {'failed after' if failed else 'done in'} {seconds:.1f} s"
    if left is not None and done < total:
        text += f", {left_text(left)} left"
    if running:
        text += f"; running {', '.join(running)}"
    return text


class Progress:
    """The progress of a build, shown as each report finishes.

    The time left is the time per report so far (wall-clock, so parallel workers count) times the reports
    left.

    Args:
        total: How many reports the build makes.
        stream: Where to write; None writes nothing.
        label: What the bar is about on a terminal, e.g. "PAR INDEX 2020 profiles".
        terminal: Whether to draw a bar; None draws one when the stream is a terminal.
        clock: The clock estimates are made with (seconds).
    """

    def __init__(
        self,
        total: int,
        stream: TextIO | None,
        label: str = "",
        terminal: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.total, self.stream, self.label, self.clock = total, stream, label, clock
        self.terminal = bool(stream is not None and stream.isatty()) if terminal is None else terminal
        self.done = 0
        self.started = clock()
        self._bar: tqdm | None = None
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> Progress:
        if self.stream is not None and self.terminal:
            self._stack.enter_context(logging_redirect_tqdm())  # log lines go above the bar, not through it
            bar = tqdm(total=self.total, desc=printable(self.label), unit="report", file=self.stream)
            self._bar = self._stack.enter_context(bar)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stack.close()

    def left(self) -> float | None:
        """Seconds until the last report is finished, estimated; None before the first and after the last."""
        if not self.done or self.done >= self.total:
            return None
        return (self.clock() - self.started) / self.done * (self.total - self.done)

    def finished(
        self,
        name: str,
        seconds: float,
        running: Sequence[str] = (),
        failed: bool = False,
        left: float | None = None,
    ) -> str:
        """Counts a finished report and shows its line.

        Args:
            name: The report, e.g. "2020".
            seconds: How long it took.
            running: The reports running now.
            failed: Whether it failed.
            left: The seconds left as the caller estimates them from the work it has queued; None for the
                time per report so far times the reports left.

        Returns:
            The line shown.
        """
        self.done += 1
        if left is None or self.done >= self.total:
            left = self.left()
        text = printable(line(self.done, self.total, name, seconds, left, running, failed))
        if self._bar is not None:
            self._bar.set_postfix_str(printable(f"running {', '.join(running)}") if running else "")
            self._bar.update(1)
            self._bar.write(text, file=self.stream)
        elif self.stream is not None:
            self.stream.write(text + "\n")
            self.stream.flush()
        return text


def up_to_date(stream: TextIO | None, name: str) -> None:
    """Says that a report is up to date (made from the same files: nothing to do), e.g. "2020: up to date".

    Args:
        stream: Where the build's progress goes; None writes nothing.
        name: The report, e.g. "2020" or "2020 profiles".
    """
    if stream is not None:
        stream.write(printable(f"{name}: up to date") + "\n")
