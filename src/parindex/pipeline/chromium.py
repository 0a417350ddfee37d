"""Chromium: where the browser that prints the PDFs is, found without loading the printing libraries."""

from __future__ import annotations

import shutil
from pathlib import Path

from parindex.errors import BuildError

# The headless shell first: Chromium without its windows' own pages (the omnibox's, a spare renderer), which
# prints the same pages with about 130 MB less memory and starts on half the CPU time; else a full browser.
CHROMIUM_NAMES = (
    "chromium-headless-shell",
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
)
INSTALL_CHROMIUM = (
    "sudo apt-get install chromium-headless-shell poppler-utils fonts-dejavu-core fonts-liberation"
)


def find_chromium(search_path: str | None = None) -> Path:
    """Finds an installed Chromium (its headless shell, else Chromium or Chrome) on the PATH.

    Args:
        search_path: A PATH-like list of folders to look in instead of $PATH.

    Returns:
        The browser's executable.

    Raises:
        BuildError: No browser found; the message says how to install one.
    """
    for name in CHROMIUM_NAMES:
        found = shutil.which(name, path=search_path)
        if found:
            return Path(found)
    raise BuildError(
        f"Chromium is needed to print PDFs and was not found (looked for {', '.join(CHROMIUM_NAMES)} "
        f"on the PATH). Install it with: {INSTALL_CHROMIUM}"
    )
