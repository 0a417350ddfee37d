"""Provenance shared by every report: file hashes, the build time and the software versions."""

from __future__ import annotations

import datetime
import hashlib
import os
import platform
from importlib import metadata
from pathlib import Path

VERSIONED = ("parindex", "pandas", "numpy", "matplotlib", "papermill", "nbconvert", "pandera", "playwright")


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def build_time() -> str:
    """UTC time of the build: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (
        datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
        if epoch
        else datetime.datetime.now(datetime.UTC)
    )
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def versions() -> dict[str, str]:
    """Versions of Python and the packages that shape the report."""
    found = {"python": platform.python_version()}
    for package in VERSIONED:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return found
