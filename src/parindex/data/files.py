"""Files: what is wrong with a path given as an input, said before anything tries to read it."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


def resolve(path: Path) -> Path:
    """The absolute path with symbolic links followed; a link loop is left as it is, to be reported.

    Args:
        path: Any path.

    Returns:
        The resolved path, or the absolute path when it cannot be resolved (a symbolic link loop).
    """
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # a symbolic link loop
        return Path(os.path.abspath(path))


def state(path: Path) -> tuple[int, int, int] | None:
    """A file's modification time, size and inode, to notice that it changed; None when it is missing."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino


def trouble(
    path: Path,
    max_bytes: int | None = None,
    missing: tuple[str, str] = ("file not found", "check the path and the file name"),
) -> tuple[str, str] | None:
    """What keeps a path from being read as a file, with its fix; None when it is a readable-looking file.

    Args:
        path: The path.
        max_bytes: The largest size allowed, or None.
        missing: The message and fix when nothing is at the path.

    Returns:
        (message, fix), or None.
    """
    try:
        info = path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            return (
                "the path is a symbolic link that leads back to itself (a loop)",
                "point the link at the file itself, or give the file's own path",
            )
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            return missing
        return f"cannot read it: {error.strerror}", "check that you may read it, and its folder"
    if stat.S_ISDIR(info.st_mode):
        return "this is a folder, not a file", "name a file (for instance one inside this folder)"
    if not stat.S_ISREG(info.st_mode):
        return "this is not a regular file (a device, pipe or socket)", "name a file saved on disk"
    if max_bytes is not None and info.st_size > max_bytes:
        return (
            f"the file is {_megabytes(info.st_size)}, more than the {_megabytes(max_bytes)} a file may be",
            "check that this is the right file: a results table of one row per unit is far smaller; "
            "save the table alone (without other sheets or pictures), or as CSV",
        )
    return None


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MB" if size % (1024 * 1024) else f"{size // 1024 // 1024:,} MB"
