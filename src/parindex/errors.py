"""Errors: one small hierarchy, each problem naming the file, the row, the column and the fix."""

from __future__ import annotations

from dataclasses import dataclass


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
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found:"
        return "\n".join([head] + [f"  {p}" for p in self.problems])


class BuildError(ParindexError):
    """A build step failed for a reason that is not bad input (a kernel, a browser, a tool)."""

    exit_code = 1
