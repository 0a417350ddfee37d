"""Folders: the atomic exchange and its fallback, report folders replaced, hard-link copies, leftovers."""

from __future__ import annotations

import errno
import logging
import os

import pytest

from parindex.pipeline import folders
from parindex.pipeline.folders import (
    exchange,
    exchange_by_renames,
    link_tree,
    remove_leftovers,
    replace_folder,
)


def _folder(path, text):
    path.mkdir(parents=True)
    (path / "report.txt").write_text(text, encoding="utf-8")
    return path


def test_exchange_swaps_two_folders_in_one_step(tmp_path):
    new, live = _folder(tmp_path / "new", "new"), _folder(tmp_path / "live", "old")
    exchange(new, live)
    assert (live / "report.txt").read_text(encoding="utf-8") == "new"
    assert (new / "report.txt").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live", "new"]


def test_exchange_of_a_missing_folder_raises_and_changes_nothing(tmp_path):
    live = _folder(tmp_path / "live", "old")
    with pytest.raises(FileNotFoundError):
        exchange(tmp_path / "absent", live)
    assert (live / "report.txt").read_text(encoding="utf-8") == "old"


def test_without_renameat2_the_exchange_falls_back_to_renames(tmp_path, monkeypatch, caplog):
    def unavailable(source, target, flags):
        raise OSError(errno.ENOSYS, os.strerror(errno.ENOSYS))

    monkeypatch.setattr(folders, "_renameat2", unavailable)
    new, live = _folder(tmp_path / "new", "new"), _folder(tmp_path / "live", "old")
    with caplog.at_level(logging.DEBUG, logger="parindex.pipeline.folders"):
        exchange(new, live)
    assert (live / "report.txt").read_text(encoding="utf-8") == "new"
    assert (new / "report.txt").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live", "new"]
    assert caplog.messages == [
        f"renameat2(RENAME_EXCHANGE) unavailable ([Errno {errno.ENOSYS}] Function not implemented); "
        f"swapping {live} with renames"
    ]


def test_exchange_by_renames_swaps_two_folders(tmp_path):
    first, second = _folder(tmp_path / "a", "a"), _folder(tmp_path / "b", "b")
    exchange_by_renames(first, second)
    assert (first / "report.txt").read_text(encoding="utf-8") == "b"
    assert (second / "report.txt").read_text(encoding="utf-8") == "a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


def test_replace_folder_swaps_in_the_new_one_and_deletes_the_old(tmp_path):
    new, live = _folder(tmp_path / ".work" / "2020-x", "new"), _folder(tmp_path / "2020", "old")
    replace_folder(new, live)
    assert (live / "report.txt").read_text(encoding="utf-8") == "new"
    assert not new.exists()
    fresh = _folder(tmp_path / ".work" / "2021-x", "first")
    replace_folder(fresh, tmp_path / "2021")
    assert (tmp_path / "2021" / "report.txt").read_text(encoding="utf-8") == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".work", "2020", "2021"]


def test_link_tree_copies_a_folder_as_hard_links(tmp_path):
    source = _folder(tmp_path / "profiles" / "par_index_2020_46", "profile")
    link_tree(tmp_path / "profiles", tmp_path / "copy")
    copied = tmp_path / "copy" / "par_index_2020_46" / "report.txt"
    assert copied.read_text(encoding="utf-8") == "profile"
    assert copied.stat().st_ino == (source / "report.txt").stat().st_ino
    (tmp_path / "single.pdf").write_text("pdf", encoding="utf-8")
    link_tree(tmp_path / "single.pdf", tmp_path / "copy" / "single.pdf")
    assert (tmp_path / "copy" / "single.pdf").stat().st_nlink == 2


def test_remove_leftovers_of_a_killed_build(tmp_path):
    _folder(tmp_path / "2020", "report")
    _folder(tmp_path / "2020" / "profiles", "profiles")
    leftovers = [
        _folder(tmp_path / ".tmp-2020-x", "partial"),
        _folder(tmp_path / ".old-2020-1-2", "old"),
        _folder(tmp_path / "2020" / ".tmp-profiles-y", "partial"),
        _folder(tmp_path / "2020" / ".old-profiles-3-4", "old"),
        _folder(tmp_path / ".work" / "2021-z", "partial"),
    ]
    (tmp_path / ".index.html.1234").write_text("<html>", encoding="utf-8")
    removed = remove_leftovers(tmp_path)
    assert sorted(removed) == sorted([*leftovers, tmp_path / ".index.html.1234"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [".work", "2020"]
    assert sorted(p.name for p in (tmp_path / "2020").iterdir()) == ["profiles", "report.txt"]
    assert list((tmp_path / ".work").iterdir()) == []
    assert remove_leftovers(tmp_path / "absent") == []
