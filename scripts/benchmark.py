"""Times whole parindex commands against a bare papermill loop, run in the same go; prints the figures.

Usage (from the project folder, after `make setup`):

    .venv/bin/python scripts/benchmark.py            # about 3 minutes on 2 idle cores
    .venv/bin/python scripts/benchmark.py --full     # also the 63 profiles of a year and the full build

The baseline is what a user would otherwise script: for each province, one `papermill` run (a new kernel,
new imports, the data loaded again), one `jupyter nbconvert --no-input` and one headless Chromium print.
parindex builds profiles in warm kernels, one per worker, with one browser per worker, `--jobs` at once.

Incremental builds are timed in a copy of the project (params, data, notebooks): two yearly reports built
cold, the same build again with nothing changed, and again after one byte of one year's input changed, when
only that year is rebuilt.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
YEAR = 2020
SAMPLE = ["01", "22", "31", "46", "48", "51", "74", "79", "87", "96"]
BASELINE_SAMPLE = ["46", "22"]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-pdf-header-footer",
]


def timed(command: list[str], cwd: Path = ROOT) -> float:
    """Runs one command to completion and returns its wall-clock seconds; stops on failure."""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"benchmark: {' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return seconds


def timed_build(options: list[str], cwd: Path) -> tuple[float, str]:
    """Runs `parindex build` with options in a project folder: (wall-clock seconds, its results table)."""
    started = time.perf_counter()
    command = [str(BIN / "parindex"), "build", *options]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"benchmark: {' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return seconds, result.stdout


def statuses(table: str) -> dict[str, str]:
    """The status of each report in a build's results table, by year."""
    found = {}
    for line in table.splitlines()[1:]:
        year, rest = line.split(maxsplit=1)
        found[year] = "up to date" if rest.startswith("up to date") else rest.split()[0]
    return found


def incremental(scratch: Path, jobs: int) -> list[tuple[str, float, float | None, float | None]]:
    """Rows for two years built cold, rebuilt with nothing changed, and rebuilt after one input changed."""
    project = scratch / "project"
    for folder in ("params", "data", "notebooks"):
        shutil.copytree(ROOT / folder, project / folder)
    years = [str(YEAR - 1), str(YEAR)]
    options = ["--year", years[0], "--year", years[1], "--no-trends", "--jobs", str(jobs)]
    cold, _ = timed_build(options, project)
    rows = [(f"parindex build --year {years[0]} --year {years[1]} --no-trends (cold)", cold, cold / 2, None)]
    same, table = timed_build(options, project)
    if set(statuses(table).values()) != {"up to date"}:
        sys.exit(f"benchmark: the build with nothing changed built something:\n{table}")
    rows.append(("  the same build again, nothing changed (no-op)", same, None, cold / same))
    changed = project / "data" / "demo" / str(YEAR) / "provinces.csv"
    changed.write_bytes(changed.read_bytes() + b"\n")  # one byte more: a blank line the reader leaves out
    one, table = timed_build(options, project)
    if statuses(table) != {years[0]: "up to date", years[1]: "built"}:
        sys.exit(f"benchmark: one input changed, yet not exactly its year was rebuilt:\n{table}")
    rows.append((f"  again after one byte of {YEAR}'s input changed ({YEAR} rebuilt)", one, None, cold / one))
    return rows


def parindex_profiles(output: Path, jobs: int, units: list[str] | None) -> float:
    command = [str(BIN / "parindex"), "build", "--profiles", "--year", str(YEAR), "--jobs", str(jobs)]
    command += ["--output-dir", str(output)]
    for unit in units or []:
        command += ["--unit", unit]
    return timed(command)


def bare_loop(folder: Path, units: list[str]) -> float:
    """The baseline: papermill, nbconvert and a Chromium print per province, one after the other."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    params = ROOT / "params" / f"{YEAR}.yaml"
    started = time.perf_counter()
    for unit in units:
        out = folder / unit
        out.mkdir()
        notebook = out / "profile.ipynb"
        timed(
            [
                str(BIN / "papermill"),
                "notebooks/unit_profile.ipynb",
                str(notebook),
                "-k",
                "parindex",
                "-p",
                "params_file",
                str(params),
                "-p",
                "unit_code",
                unit,
                "-p",
                "output_dir",
                str(out),
                "--cwd",
                "notebooks",
            ]
        )
        timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(notebook)])
        profile = tempfile.mkdtemp(prefix="chromium-")
        timed(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--print-to-pdf={out / 'profile.pdf'}",
                (out / "profile.html").as_uri(),
            ]
        )
        shutil.rmtree(profile, ignore_errors=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--full", action="store_true", help="also the 63 profiles of a year and the full build"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="parindex-bench-") as scratch:
        scratch = Path(scratch)
        (scratch / "baseline").mkdir()
        baseline = bare_loop(scratch / "baseline", BASELINE_SAMPLE)
        per_baseline = baseline / len(BASELINE_SAMPLE)
        rows.append((f"bare papermill loop, {len(BASELINE_SAMPLE)} profiles", baseline, per_baseline, 1.0))
        sample = parindex_profiles(scratch / "sample", args.jobs, SAMPLE)
        per_sample = sample / len(SAMPLE)
        rows.append(
            (
                f"parindex build --profiles, {len(SAMPLE)} profiles, --jobs {args.jobs}",
                sample,
                per_sample,
                per_baseline / per_sample,
            )
        )
        year = timed(
            [
                str(BIN / "parindex"),
                "build",
                "--year",
                str(YEAR),
                "--no-trends",
                "--output-dir",
                str(scratch / "year"),
            ]
        )
        rows.append((f"parindex build --year {YEAR} (one yearly report, both languages)", year, year, None))
        one = timed(
            [
                str(BIN / "parindex"),
                "build",
                "--year",
                str(YEAR),
                "--no-trends",
                "--lang",
                "vi",
                "--output-dir",
                str(scratch / "year-vi"),
            ]
        )
        rows.append((f"parindex build --year {YEAR} --lang vi (one language)", one, one, None))
        rows.append(
            ("  both languages against one (cost ratio, 2.0 would be a second run)", year / one, None, None)
        )
        rows += incremental(scratch, args.jobs)
        if args.full:
            full_profiles = parindex_profiles(scratch / "profiles", args.jobs, None)
            rows.append(
                (
                    f"parindex build --profiles --year {YEAR}, all 63, --jobs {args.jobs}",
                    full_profiles,
                    full_profiles / 63,
                    per_baseline / (full_profiles / 63),
                )
            )
            full = timed(
                [
                    str(BIN / "parindex"),
                    "build",
                    "--jobs",
                    str(args.jobs),
                    "--output-dir",
                    str(scratch / "all"),
                ]
            )
            rows.append(("parindex build (every year and the trends report)", full, None, None))
    print(f"parindex benchmark on {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"{'command':66} {'seconds':>8} {'per item':>9} {'speed-up':>9}")
    for name, seconds, per_item, ratio in rows:
        per = f"{per_item:.2f}" if per_item is not None else "-"
        speed = f"{ratio:.1f}x" if ratio is not None else "-"
        print(f"{name:66} {seconds:8.1f} {per:>9} {speed:>9}")
    print(
        f"63 profiles as a bare loop would take about {per_baseline * 63:.0f} s "
        f"(from {len(BASELINE_SAMPLE)} measured)."
    )
    print("The speed-up of the incremental rows is against the cold build of the same two years.")


if __name__ == "__main__":
    main()
