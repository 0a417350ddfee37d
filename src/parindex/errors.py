"""Errors: one small hierarchy, each problem naming the file, the row, the column and the fix."""

from __future__ import annotations

import errno
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from parindex.limits import PROBLEMS_SHOWN

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
        kind: What kind of problem it is, in the plural ("unknown unit names"), to count the problems left
            out of a long list; "" for a kind of its own.
    """

    file: str
    message: str
    fix: str = ""
    row: int | None = None
    column: str | None = None
    key: str | None = None
    kind: str = ""

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
        """The problems as the terminal shows them, control characters removed.

        A count, then each problem; beyond the first PROBLEMS_SHOWN, a count of the rest per kind, so that a
        file with a million bad rows gives a screenful, not a million lines.
        """
        count = len(self.problems)
        head = f"{count:,} problem{'s' if count != 1 else ''} found"
        shown = self.problems[:PROBLEMS_SHOWN]
        lines = [f"{head}:" if count == len(shown) else f"{head} (the first {len(shown)} listed):"]
        lines += [f"  {p}" for p in shown]
        if count > len(shown):
            lines.append(f"  … and {_rest(self.problems[len(shown) :])}")
        return printable("\n".join(lines))


def _rest(problems: list[Problem]) -> str:
    """'999,950 more problems: 999,950 unknown unit names': the problems left out, counted per kind."""
    kinds = Counter(p.kind or "other problems" for p in problems)
    counts = ", ".join(f"{n:,} {kind}" for kind, n in kinds.most_common())
    return f"{len(problems):,} more problem{'s' if len(problems) != 1 else ''}: {counts}"


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


_FIXES = {
    errno.EACCES: "check that you may {verb} it (its permissions and its folder's), or choose another place",
    errno.EPERM: "check that you may {verb} it (its permissions and its folder's), or choose another place",
    errno.EROFS: "the disk is read-only: choose a folder on a disk you can write to",
    errno.ENOSPC: "free some space on that disk, or choose a folder on another disk",
    errno.EDQUOT: "free some space in your quota on that disk, or choose a folder on another disk",
    errno.ELOOP: "a symbolic link in the path leads back to itself: correct or remove the link",
    errno.ENOTDIR: "a part of the path is a file, not a folder: correct the path",
    errno.EISDIR: "the path is a folder: name a file",
    errno.ENOENT: "check the path",
    errno.ENAMETOOLONG: "use a shorter path",
}


class FileSystemError(ParindexError):
    """A file or folder that could not be read or written: which one, the system's reason and a fix.

    Attributes:
        path: The file or folder.
        reason: The operating system's reason, e.g. "No space left on device".
        fix: What to do about it.
    """

    def __init__(self, error: OSError, path: Path | str | None = None, verb: str = "write"):
        self.path = str(path if path is not None else error.filename or "a file")
        self.reason = error.strerror or str(error) or type(error).__name__
        self.fix = _FIXES.get(error.errno, "check the path and the disk").format(verb=verb)
        super().__init__(f"cannot {verb} {self.path}: {self.reason}\n    fix: {self.fix}")


@contextmanager
def writing(path: Path | str) -> Iterator[None]:
    """Turns an OSError raised while writing `path` into a FileSystemError naming it.

    A full disk or a read-only folder then reads "cannot write <path>: No space left on device" with a fix,
    not an internal error, even where the operating system does not say which file it was writing.

    Args:
        path: The file (or folder) being written.
    """
    try:
        yield
    except OSError as error:
        raise FileSystemError(error, error.filename or path) from None
