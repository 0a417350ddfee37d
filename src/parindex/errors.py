"""Errors: one small hierarchy, each problem naming the file, the row, the column and the fix."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erasing
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, links
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*[0-~]?"  # any other escape sequence, or a lone ESC
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"  # other C0 controls but tab and newline, DEL, C1 controls
)


def printable(text: object) -> str:
    """Text safe to echo to a terminal: escape sequences and control characters removed.

    Args:
        text: Anything; converted with str() first.

    Returns:
        The text without C0 control characters (tab and newline kept), DEL, C1 control characters and
        whole escape sequences, so a unit name, cell, header or file name cannot recolour, move or retitle
        the user's terminal.
    """
    return _ESCAPES.sub("", str(text))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input.

    Attributes:
        file: The file the problem is in.
        message: What is wrong.
        fix: How to fix it.
        row: The 1-based line or spreadsheet row, when the problem has one.
        column: The column (header as written in the file), when the problem has one.
        key: The key of a YAML file (dotted path), when the problem has one.
    """

    file: str
    message: str
    fix: str = ""
    row: int | None = None
    column: str | None = None
    key: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        if self.key is not None:
            where += f", key '{self.key}'"
        text = f"{where}: {self.message}"
        if self.fix:
            text += f"\n    fix: {self.fix}"
        return text


class ParindexError(Exception):
    """Base of every error parindex reports to its user."""

    exit_code = 2


class InputError(ParindexError):
    """Bad input data or parameters: carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        """The problems as the terminal shows them: a count, then each problem, control characters removed."""
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found:"
        return printable("\n".join([head] + [f"  {p}" for p in self.problems]))


class BuildError(ParindexError):
    """A build step failed for a reason that is not bad input (a kernel, a browser, a tool)."""

    exit_code = 1


class OutputLocked(ParindexError):
    """Another build holds the output folder's lock, and this one was told not to wait (exit code 2)."""


class Stopped(KeyboardInterrupt):
    """A build was stopped by a signal (SIGINT, SIGTERM or SIGHUP); raised by the handlers `cli` installs.

    Attributes:
        signal: The signal's number.
        kept: What the build leaves, for the message (e.g. "2019 built, 2020 not built; output/2020 is
            unchanged"); set by the build as the exception passes.
    """

    def __init__(self, signal: int):
        super().__init__(signal)
        self.signal = signal
        self.kept = ""

    @property
    def exit_code(self) -> int:
        """128 plus the signal's number, as a shell reports a process ended by it: 130, 143 or 129."""
        return 128 + self.signal
