"""Helpers shared by test modules (fixtures are in conftest.py)."""

from __future__ import annotations


def print_loaded(*modules: str) -> str:
    """A line of Python printing which of these top-level modules its process has loaded, e.g. "['pandas']".

    Appended to a script run with `python -c` (after `import sys`): a test asserts that a process of the
    build never imported a heavy library by its last line of output, "[]".
    """
    return f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(modules)!r}))"
