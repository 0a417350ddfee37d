"""Times whole parindex commands against a bare papermill loop, run in the same go; prints the figures.

Usage (from the project folder, after `make setup`):

    .venv/bin/python scripts/benchmark.py            # about 4 minutes on 2 idle cores
    .venv/bin/python scripts/benchmark.py --full     # also the 63 profiles of a year: about 6 minutes

The baseline is what a user would otherwise script: per report and language one `papermill` run (a new
kernel, new imports, the data loaded again) with `-p languages <code>`, one `jupyter nbconvert --no-input`
and one headless Chromium print: one HTML page and one PDF. parindex makes the same page and PDF per
language, with the workbook, the tables and the checks. Each parindex row is compared with the bare loop
making the same reports in the same languages.

Every command runs cold, into a folder of its own, and is timed alone. Peak memory is measured in a second
run of the same command (forced to build again), sampled every 50 ms: the largest sum of the proportional
set sizes (shared pages counted once) of the command and every process it started (kernels, workers,
browsers). Reading the memory of some twenty processes twenty times a second slows a build by about a
tenth, and a bare loop, with fewer processes, less: timed with the sampling, parindex would lose to it.
Incremental builds are timed in a copy of the project (params, data, notebooks): two yearly reports built
cold, the same build again with nothing changed, and again after one byte of one year's input changed,
when only that year is rebuilt.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
YEAR = 2020
YEARS = [YEAR - 1, YEAR]
SAMPLE = ["01", "22", "31", "46", "48", "51", "74", "79", "87", "96"]
BASELINE_SAMPLE = ["46", "22"]
LANGUAGES = ["vi", "en"]  # the main language first: what the one-language rows build
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-pdf-header-footer",
]


@dataclass
class Row:
    """One line of the table: what ran, its seconds, seconds per item, speed-up, peak memory in MB."""

    name: str
    seconds: float
    per: float | None = None
    ratio: float | None = None
    peak: float | None = None
    decimals: int = 1  # of the seconds column (2 for a ratio written there)

    def __str__(self) -> str:
        per = f"{self.per:.2f}" if self.per is not None else "-"
        speed = f"{self.ratio:.1f}x" if self.ratio is not None else "-"
        peak = f"{self.peak:.0f}" if self.peak is not None else "-"
        return f"{self.name:70} {self.seconds:8.{self.decimals}f} {per:>9} {speed:>9} {peak:>8}"


def _tree_pss(root: int) -> int:
    """The memory, in bytes, of a process and all its descendants now: the sum of their proportional set
    sizes, so that pages they share (Chromium's processes share most of theirs) count once.
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    ppid = int(stat.read().rsplit(b")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith(b"Pss:")) * 1024
        except (OSError, StopIteration):
            continue
    return total


def run(command: list[str], cwd: Path = ROOT, sample: bool = False) -> tuple[float, float, str]:
    """Runs one command to completion: (wall-clock seconds, peak MB of its process tree or 0, its stdout).

    The memory is sampled only when asked: its time is then not the command's alone.
    """
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, text=True)
        peak = 0
        while sample and process.poll() is None:
            peak = max(peak, _tree_pss(process.pid))
            time.sleep(0.05)
        process.wait()
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            sys.exit(f"benchmark: {' '.join(command)} failed:\n{err.read()[-2000:]}")
        return seconds, peak / 2**20, out.read()


def build(options: list[str], cwd: Path = ROOT, memory: bool = False) -> tuple[float, float | None, str]:
    """Times one `parindex build`: (seconds, peak MB or None, its results table).

    With `memory`, the same build is then forced to run again, sampled, for its peak.
    """
    command = [str(BIN / "parindex"), "build", *options]
    seconds, _, table = run(command, cwd)
    peak = run([*command, "--force"], cwd, sample=True)[1] if memory else None
    return seconds, peak, table


def statuses(table: str) -> dict[str, str]:
    """The status of each report in a build's results table, by year."""
    found = {}
    for line in table.splitlines()[1:]:
        year, rest = line.split(maxsplit=1)
        found[year] = "up to date" if rest.startswith("up to date") else rest.split()[0]
    return found


def bare_report(
    notebook: str, parameters: dict[str, str], out: Path, sample: bool = False
) -> tuple[float, float]:
    """The baseline for one report: papermill, nbconvert, a Chromium print; (seconds, peak MB or 0)."""
    out.mkdir(parents=True)
    executed = out / "report.ipynb"
    options = [item for name, value in parameters.items() for item in ("-p", name, value)]
    steps = [
        [str(BIN / "papermill"), notebook, str(executed), "-k", "parindex", *options, "--cwd", "notebooks"],
        [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
    ]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    profile = tempfile.mkdtemp(prefix="chromium-")
    steps.append(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={out / 'report.pdf'}",
            (out / "report.html").as_uri(),
        ]
    )
    seconds, peak = 0.0, 0.0
    for step in steps:
        took, memory, _ = run(step, sample=sample)
        seconds, peak = seconds + took, max(peak, memory)
    shutil.rmtree(profile, ignore_errors=True)
    return seconds, peak


def bare_years(scratch: Path, language: str) -> tuple[float, float]:
    """The bare loop for the yearly reports of YEARS in one language: (seconds, peak MB).

    The peak is that of YEAR's report, run again, sampled.
    """
    seconds = 0.0
    for year in YEARS:
        seconds += bare_year(scratch / f"bare-{year}-{language}", year, language)[0]
    return seconds, bare_year(scratch / f"bare-{YEAR}-{language}-sampled", YEAR, language, sample=True)[1]


def bare_year(out: Path, year: int, language: str, sample: bool = False) -> tuple[float, float]:
    """The bare loop for one yearly report in one language: (seconds, peak MB or 0)."""
    params = str(ROOT / "params" / f"{year}.yaml")
    return bare_report(
        "notebooks/yearly_report.ipynb",
        {"params_file": params, "output_dir": str(out / "tables"), "languages": language},
        out,
        sample,
    )


def yearly(scratch: Path, jobs: int) -> list[Row]:
    """The yearly reports of YEARS in one language and in two: the bare loop, then parindex."""
    years = [item for year in YEARS for item in ("--year", str(year))]
    rows = []
    first, first_peak = bare_years(scratch, LANGUAGES[0])
    second, second_peak = bare_years(scratch, LANGUAGES[1])
    for options, name, seconds, peak in (
        (["--lang", LANGUAGES[0]], "one language", first, first_peak),
        ([], "both languages", first + second, max(first_peak, second_peak)),
    ):
        rows.append(
            Row(
                f"bare loop, yearly reports {YEARS[0]} and {YEARS[1]}, {name}",
                seconds,
                seconds / 2,
                1.0,
                peak,
            )
        )
        took, memory, _ = build(
            [*years, "--no-trends", "--jobs", str(jobs), *options, "--output-dir", str(scratch / name)],
            memory=True,
        )
        rows.append(
            Row(f"parindex build, the same two years, {name}", took, took / 2, seconds / took, memory)
        )
    rows.append(
        Row(
            "  parindex, both languages against one (1.00 = the second language is free)",
            rows[3].seconds / rows[1].seconds,
            decimals=2,
        )
    )
    return rows


def trends(scratch: Path) -> list[Row]:
    """The trends report: the bare loop against parindex, every year's report already built."""
    seconds, _ = bare_report(
        "notebooks/trends_report.ipynb",
        {
            "params_dir": str(ROOT / "params"),
            "output_dir": str(scratch / "bare-trends" / "t"),
            "languages": LANGUAGES[0],
        },
        scratch / "bare-trends",
    )
    base = Row("bare loop, trends report", seconds, seconds, 1.0)
    options = ["--year", str(YEAR), "--lang", LANGUAGES[0], "--output-dir", str(scratch / "trends")]
    build([*options, "--no-trends"])  # the year's report first: it is up to date in the timed run
    took, memory, _ = build([*options, "--trends"])
    return [
        base,
        Row(
            "parindex build --trends, one language (the year up to date)", took, took, seconds / took, memory
        ),
    ]


def profiles(scratch: Path, jobs: int, full: bool) -> list[Row]:
    """Profiles: the bare loop for a few provinces against parindex for a sample (and all 63)."""
    seconds = 0.0
    for unit in BASELINE_SAMPLE:
        params = str(ROOT / "params" / f"{YEAR}.yaml")
        took, _ = bare_report(
            "notebooks/unit_profile.ipynb",
            {
                "params_file": params,
                "unit_code": unit,
                "output_dir": str(scratch / f"bare-{unit}" / "out"),
                "languages": LANGUAGES[0],
                "peers": "",
            },
            scratch / f"bare-{unit}",
        )
        seconds += took
    per_base = seconds / len(BASELINE_SAMPLE)
    rows = [Row(f"bare loop, {len(BASELINE_SAMPLE)} profiles", seconds, per_base, 1.0)]
    samples = [(f"{len(SAMPLE)} profiles", SAMPLE)] + ([("all 63 profiles", [])] if full else [])
    for name, units in samples:
        options = ["--profiles", "--year", str(YEAR), "--jobs", str(jobs), "--lang", LANGUAGES[0]]
        options += [item for unit in units for item in ("--unit", unit)]
        output = ["--output-dir", str(scratch / f"profiles-{len(units)}")]
        took, memory, _ = build([*options, *output], memory=not units)
        count = len(units) or 63
        name = f"parindex build --profiles, {name}, one language, --jobs {jobs}"
        rows.append(Row(name, took, took / count, per_base / (took / count), memory))
    return rows


def incremental(scratch: Path, jobs: int) -> list[Row]:
    """Every report built cold (peak memory), then with nothing changed, then after one input changed."""
    project = scratch / "project"
    for folder in ("params", "data", "notebooks"):
        shutil.copytree(ROOT / folder, project / folder)
    options = ["--jobs", str(jobs)]
    cold, memory, table = build(options, project, memory=True)
    count = len(statuses(table))
    name = f"parindex build, every report ({count - 1} years and trends), both languages"
    rows = [Row(name, cold, cold / count, None, memory)]
    same, _, table = build(options, project)
    if set(statuses(table).values()) != {"up to date"}:
        sys.exit(f"benchmark: the build with nothing changed built something:\n{table}")
    rows.append(Row("  the same build again, nothing changed (no-op)", same, None, cold / same))
    changed = project / "data" / "demo" / str(YEAR) / "provinces.csv"
    changed.write_bytes(changed.read_bytes() + b"\n")  # one byte more: a blank line the reader leaves out
    one, _, table = build(options, project)
    rebuilt = sorted(year for year, status in statuses(table).items() if status == "built")
    if str(YEAR) not in rebuilt or "trends" not in rebuilt or len(rebuilt) > 3:
        sys.exit(
            f"benchmark: one input changed, yet not its year, its dependants and trends rebuilt:\n{table}"
        )
    name = f"  again after one byte of {YEAR}'s input changed ({', '.join(rebuilt)} rebuilt)"
    rows.append(Row(name, one, None, cold / one))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also the 63 profiles of a year")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="parindex-bench-") as scratch:
        scratch = Path(scratch)
        rows = yearly(scratch, args.jobs)
        rows += trends(scratch)
        rows += profiles(scratch, args.jobs, args.full)
        rows += incremental(scratch, args.jobs)
    print(f"parindex benchmark on {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"{'command':70} {'seconds':>8} {'per item':>9} {'speed-up':>9} {'peak MB':>8}")
    for row in rows:
        print(row)
    per_year = rows[2].per  # a yearly report in both languages
    trends_bare = next(row for row in rows if row.name.startswith("bare loop, trends"))
    every = rows[-3]
    reports = round(every.seconds / every.per)
    estimate = per_year * (reports - 1) + trends_bare.seconds * len(LANGUAGES)
    print(
        f"Every report in both languages as a bare loop would take about {estimate:.0f} s (from the years "
        f"and the trends report above): {estimate / every.seconds:.1f}x the time of parindex build."
    )
    print("Speed-ups are against the bare loop above each row; the incremental rows' against the cold build.")


if __name__ == "__main__":
    main()
