"""Stamps: a report's key, stored with its outputs, so that a build redoes only what changed.

A report's key is a SHA-256 over the contents (never the times) of every file it is made from: its template
and the template's .py pair, the params files it reads and their input files, the unit registers and
published facts they name, the package's own source and message catalogs, and the locked library versions
(requirements.txt), with the options that change what is written (the languages, a peer group). The key
and the size and SHA-256 of every output file are stored beside the outputs in .parindex-key.json; a report
whose stored key is its key and whose outputs are all there, unchanged, is up to date.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from collections.abc import Iterable, Mapping
from pathlib import Path

from parindex.data.params import Params, load_params
from parindex.errors import InputError

KEY_FILE = ".parindex-key.json"
FORMAT = 1
SOURCE = Path(__file__).resolve().parents[1]  # the package's folder: src/parindex
SOURCE_SUFFIXES = (".py", ".po")


def digest(path: Path) -> str:
    """The SHA-256 of a file's content in hex; "" when there is no such file.

    Args:
        path: The file.

    Returns:
        The digest, or "" for a missing file or a folder.
    """
    try:
        with open(path, "rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return ""


class Keys:
    """Computes the keys of a build's reports, reading each file and params file once."""

    def __init__(self) -> None:
        self._digests: dict[Path, str] = {}
        self._params: dict[Path, Params | None] = {}
        self._common: dict[str, object] | None = None

    def file(self, path: Path) -> str:
        """The digest of one file, read once per build."""
        path = Path(path)
        if path not in self._digests:
            self._digests[path] = digest(path)
        return self._digests[path]

    def files(self, paths: Iterable[Path]) -> dict[str, str]:
        """The digests of files by their path."""
        return {str(path): self.file(path) for path in sorted(set(map(Path, paths)))}

    def tree(self, folder: Path, suffixes: tuple[str, ...] = ()) -> dict[str, str]:
        """The digests of every file under a folder (those ending in `suffixes` when given), by path."""
        found = [
            Path(root) / name
            for root, _, names in os.walk(folder)
            for name in names
            if not suffixes or name.endswith(suffixes)
        ]
        return {str(path.relative_to(folder)): self.file(path) for path in sorted(found)}

    def common(self) -> dict[str, object]:
        """What every report depends on: the package's source and catalogs, the locked libraries, Python."""
        if self._common is None:
            source = hashlib.sha256(
                json.dumps(self.tree(SOURCE, SOURCE_SUFFIXES), sort_keys=True).encode()
            ).hexdigest()
            self._common = {
                "format": FORMAT,
                "source": source,
                "requirements": self.file(SOURCE.parents[1] / "requirements.txt"),
                "python": platform.python_version(),
            }
        return self._common

    def remember(self, params: Params) -> None:
        """Takes params loaded already as those of their file, so that they are not loaded again."""
        self._params.setdefault(Path(params.file), params)

    def params(self, file: Path) -> Params | None:
        """A params file as loaded without requiring its inputs; None when it cannot be loaded."""
        file = Path(file)
        if file not in self._params:
            try:
                self._params[file] = load_params(file, require_inputs=False)
            except InputError:
                self._params[file] = None
        return self._params[file]

    def year(self, params: Params) -> dict[str, str]:
        """The files of one year: its params file, its inputs and its companion's, its units and facts."""
        specs = list(params.inputs) + (list(params.companion.inputs) if params.companion else [])
        found = self.files([Path(params.file)] + [params.path(spec.path) for spec in specs])
        for folder in (params.units_dir, params.published):
            if folder:
                base = params.path(folder)
                found |= {str(base / name): value for name, value in self.tree(base).items()}
        return found

    def years(self, files: Iterable[Path]) -> dict[str, str]:
        """The files of several years' params files (a params file that cannot be loaded by its content)."""
        found: dict[str, str] = {}
        for file in files:
            params = self.params(file)
            found |= self.year(params) if params is not None else self.files([file])
        return found

    def key(
        self,
        kind: str,
        template: Path,
        params_files: Iterable[Path],
        options: Mapping[str, object],
    ) -> str:
        """The key of one report.

        Args:
            kind: What the report is ("report", "trends", "profiles").
            template: The notebook it runs; its .py pair counts with it.
            params_files: Every params file the report reads, with their inputs, units and facts.
            options: The build's options that change the outputs (languages, peers).

        Returns:
            The SHA-256 in hex.
        """
        template = Path(template)
        manifest = {
            "kind": kind,
            "template": self.files([template, template.with_suffix(".py")]),
            "files": self.years(params_files),
            "options": dict(options),
            **self.common(),
        }
        return hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()


def comparison_file(params: Params) -> list[Path]:
    """The params file of the year a yearly report compares with (beside its own), when there is one."""
    if params.comparison_year is None:
        return []
    return [Path(params.file).parent / f"{params.comparison_year}.yaml"]


def every_year(params_dir: Path) -> list[Path]:
    """Every params file of a folder, as the trends report and the profiles' history read them."""
    return sorted(Path(params_dir).glob("*.yaml"))


def read(folder: Path) -> dict:
    """The stamp stored in a folder; {} when there is none or it cannot be read."""
    try:
        stamp = json.loads((Path(folder) / KEY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) and stamp.get("format") == FORMAT else {}


def intact(folder: Path, files: Mapping[str, Mapping[str, object]]) -> bool:
    """Whether every file a stamp lists is in the folder with its size and SHA-256.

    Args:
        folder: The folder the stamp is in.
        files: Size and digest by path relative to the folder.

    Returns:
        False when a file is missing or differs.
    """
    for name, expected in files.items():
        path = Path(folder) / name
        try:
            if path.stat().st_size != expected.get("size"):
                return False
        except OSError:
            return False
        if digest(path) != expected.get("sha256"):
            return False
    return bool(files)


def up_to_date(folder: Path, key: str) -> tuple[str, ...] | None:
    """The outputs of a folder whose stamp holds `key` and whose outputs are intact; None when it must build.

    Args:
        folder: A report's output folder, e.g. output/2020/.
        key: The report's key for this build.

    Returns:
        The output files, relative to the folder, or None.
    """
    stamp = read(folder)
    files = stamp.get("files", {})
    if stamp.get("key") != key or not intact(folder, files):
        return None
    return tuple(sorted(files))


def outputs(folder: Path, names: Iterable[str]) -> dict[str, dict[str, object]]:
    """The size and SHA-256 of output files, by path relative to the folder."""
    return {
        name: {"size": (Path(folder) / name).stat().st_size, "sha256": digest(Path(folder) / name)}
        for name in sorted(names)
    }


def files_in(folder: Path, leave_out: tuple[str, ...] = ()) -> list[str]:
    """The files under a folder, relative to it, but the stamp and the top-level entries in `leave_out`."""
    folder = Path(folder)
    return sorted(
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if path.is_file() and path.name != KEY_FILE and path.relative_to(folder).parts[0] not in leave_out
    )


def write(folder: Path, stamp: Mapping[str, object]) -> Path:
    """Stores a stamp in a folder, as a new file (a hard-linked old stamp is left as it was).

    Args:
        folder: The output folder.
        stamp: The stamp without its format: {"key": ..., "files": ...}, or {"units": ...} for profiles.

    Returns:
        The stamp's file.
    """
    target = Path(folder) / KEY_FILE
    temporary = Path(folder) / f"{KEY_FILE}.{os.getpid()}"
    temporary.write_text(json.dumps({"format": FORMAT, **stamp}, indent=1, sort_keys=True), encoding="utf-8")
    temporary.replace(target)
    return target


def stamp_report(folder: Path, key: str, leave_out: tuple[str, ...] = ()) -> Path:
    """Stores a report's key with the size and digest of every output in its folder.

    Args:
        folder: The folder holding the report's outputs (before it is swapped in).
        key: The report's key.
        leave_out: Top-level entries that are not the report's outputs (e.g. its profiles).

    Returns:
        The stamp's file.
    """
    return write(folder, {"key": key, "files": outputs(folder, files_in(folder, leave_out))})


def fresh_units(folder: Path, key: str, stems: Mapping[str, str]) -> dict[str, dict]:
    """The stamped entries of the units whose profile is built with `key` and is intact in the folder.

    Args:
        folder: A year's profiles folder.
        key: The profiles' key for this build.
        stems: The name of each unit's files, by code.

    Returns:
        The entries ({"key", "files"}) of the units up to date, by code.
    """
    units = read(folder).get("units", {})
    return {
        code: entry
        for code, entry in units.items()
        if code in stems and entry.get("key") == key and intact(folder, entry.get("files", {}))
    }


def unit_files(folder: Path, stem: str) -> list[str]:
    """The files of one profile in a profiles folder: <stem>.* and everything under <stem>/."""
    return [name for name in files_in(folder) if name.startswith((f"{stem}.", f"{stem}/"))]


def stamp_units(folder: Path, kept: Mapping[str, dict], built: Mapping[str, str], key: str) -> Path:
    """Stores the profiles' stamp: the entries of the profiles kept and of those just built.

    Args:
        folder: The profiles folder (before it is swapped in).
        kept: The stored entries of the profiles kept as they were, by code.
        built: The stem of each profile built with `key`, by code.
        key: The profiles' key for this build.

    Returns:
        The stamp's file.
    """
    units = dict(kept)
    for code, stem in built.items():
        units[code] = {"key": key, "files": outputs(folder, unit_files(folder, stem))}
    return write(folder, {"units": units})
