"""Folders: temporary work in output/.work/, report folders replaced in one atomic step, leftovers removed."""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

WORK = ".work"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_LEFTOVERS = (".tmp-*", ".old-*", ".index.html.*")


def current_umask() -> int:
    """The process's umask, read by setting it and putting it straight back."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def work_folder(prefix: str, output_dir: Path) -> Path:
    """A new folder in output/.work/, readable by others as the umask allows (mkdtemp makes it 0700).

    The folder is on the same filesystem as the reports, so that it can be renamed into place atomically,
    and outside the published tree, so that no page lists it and a killed build leaves nothing beside the
    reports.

    Args:
        prefix: The start of the folder's name, e.g. '2020-'.
        output_dir: The output folder.

    Returns:
        The folder, with mode 0o777 & ~umask (0755 under umask 022).
    """
    parent = Path(output_dir) / WORK
    parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    folder.chmod(0o777 & ~current_umask())
    return folder


def exchange(first: Path, second: Path) -> None:
    """Swaps two folders in one step: each path names the other's folder afterwards.

    Uses Linux's renameat2(RENAME_EXCHANGE), so that neither path is ever absent. Where the call is
    unavailable (another system, an old kernel, a filesystem that refuses it) the swap takes three renames
    through a temporary name, and `second` is absent for a moment.

    Args:
        first: A folder.
        second: A folder on the same filesystem.

    Raises:
        OSError: A folder is missing, or the two are on different filesystems.
    """
    try:
        _renameat2(first, second, _RENAME_EXCHANGE)
    except OSError as error:
        if error.errno not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            raise
        log.debug("renameat2(RENAME_EXCHANGE) unavailable (%s); swapping %s with renames", error, second)
        exchange_by_renames(first, second)


def exchange_by_renames(first: Path, second: Path) -> None:
    """Swaps two folders with three renames, for where an atomic exchange is unavailable."""
    aside = first.with_name(f"{first.name}.aside")
    first.rename(aside)
    second.rename(first)
    aside.rename(second)


def _renameat2(source: Path, target: Path, flags: int) -> None:
    """Calls libc's renameat2; OSError(ENOSYS) when the C library has no such function."""
    function = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if function is None:
        raise OSError(errno.ENOSYS, "renameat2 is not in the C library")
    if function(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(source), None, str(target))


def replace_folder(new: Path, target: Path) -> None:
    """Puts folder `new` in place of `target` in one step, then deletes the old one.

    `target` is never absent and never partly written: it names either the old folder or the new one. The
    old folder is left at `new`'s path (in output/.work/) while it is deleted, so a kill then leaves it
    for the next build to remove.

    Args:
        new: The complete new folder, on the same filesystem (in output/.work/).
        target: The folder it replaces; created when absent.
    """
    if target.is_dir() and not target.is_symlink():
        exchange(new, target)
        shutil.rmtree(new, ignore_errors=True)
    else:
        new.rename(target)


def link_tree(source: Path, target: Path) -> None:
    """Copies a folder or a file by hard-linking its files (copying them where links are refused).

    The copy costs no space and leaves `source` untouched, so a kill at any moment loses nothing.

    Args:
        source: The folder or file to copy.
        target: The new folder or file; must not exist.
    """
    if Path(source).is_dir() and not Path(source).is_symlink():
        shutil.copytree(source, target, symlinks=True, copy_function=_link_or_copy)
    else:
        _link_or_copy(source, target)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def remove_leftovers(output_dir: Path) -> list[Path]:
    """Removes what stopped builds left: output/.work/, and .tmp-*, .old-* in output/ and its folders.

    Call it only while holding the output's lock (`lock.output_lock`), so that no running build's work
    is taken for a leftover.

    Args:
        output_dir: The output folder.

    Returns:
        What was removed.
    """
    output_dir = Path(output_dir)
    if not output_dir.is_dir():
        return []
    work = output_dir / WORK
    found = sorted(work.iterdir()) if work.is_dir() else []
    for folder in [output_dir, *(p for p in output_dir.iterdir() if p.is_dir() and p.name != WORK)]:
        found += sorted(p for pattern in _LEFTOVERS for p in folder.glob(pattern))
    for path in found:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        log.debug("removed %s, left by a build that was stopped", path)
    return found
