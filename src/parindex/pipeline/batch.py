"""Batch: many small notebooks (province profiles) through a few warm kernels and browsers, in parallel."""

from __future__ import annotations

import json
import logging
import multiprocessing
import multiprocessing.util
import shutil
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from logging.handlers import QueueListener
from pathlib import Path
from typing import TextIO

from parindex.data.params import Params, code_problems, load_params, load_years, year_files
from parindex.errors import InputError, ParindexError, Problem, Stopped
from parindex.i18n import lang
from parindex.pipeline import stamps
from parindex.pipeline.build import (
    PROFILES,
    Apart,
    Report,
    YearResult,
    close_worker,
    date_from_inputs,
    demonstration_notice,
    end_worker,
    forward_logs,
    index_name,
    page_name,
    remove_work,
    site_links,
    stop_workers,
    stopped_summary,
    warm_worker,
    worker_kernel,
    worker_printer,
    write_index,
)
from parindex.pipeline.folders import link_tree, remove_leftovers, replace_folder, work_folder
from parindex.pipeline.kernelspec import check_kernel
from parindex.pipeline.lock import output_lock
from parindex.pipeline.progress import Progress, up_to_date
from parindex.reports import nouns

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """What every worker needs to make the profiles of one year.

    Attributes:
        notebook: The profile template.
        params_file: The year's params file.
        folder: The temporary folder the year's profiles are written into.
        label: The year's profiles in log messages, e.g. "PAR INDEX 2020 profiles".
        languages: The languages each profile is exported in, the main one first.
        peers: The peer group of every profile (--peers); empty for each province's own.
        stems: The name of each province's files, by code.
    """

    notebook: Path
    params_file: Path
    folder: Path
    label: str
    languages: tuple[str, ...]
    stems: dict[str, str]
    peers: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Year:
    """One year's profiles as planned (`_plan`): the profiles to make and the year's listings.

    Attributes:
        report: The year's report (its params and languages).
        notebook: The profile template.
        names: The name of each province to make, by code (those up to date left out).
        stems: The name of the files of each province to make, by code.
        key: What the profiles' stamps hold (see `stamps`).
        listings: The year's listings of profiles, by file name (see `_listings`).
        links: The links at the top of each language's listing, as they were when it was written.
    """

    report: Report
    notebook: Path
    names: dict[str, str]
    stems: dict[str, str]
    key: str
    listings: dict[str, str]
    links: dict[str, list]


def build_profiles(
    years: list[int] | None,
    params_dir: Path,
    output_dir: Path,
    jobs: int = 1,
    units: list[str] | None = None,
    languages: tuple[str, ...] = (),
    wait: bool = True,
    peers: tuple[str, ...] = (),
    progress: TextIO | None = None,
    force: bool = False,
) -> list[YearResult]:
    """Builds the profile of every province of each year into output/<year>/profiles/, with an index page.

    Each worker process starts one kernel and one browser and makes its share of the profiles with them: the
    imports and the loaded data stay warm in the kernel from one profile to the next. Every profile of a year
    is written into a folder in output/.work/, which replaces output/<year>/profiles/ in one atomic step
    only when all succeeded. The build holds the output's lock, like a build of the reports. A profile made
    from the same files and options, intact in output/<year>/profiles/, is up to date and not made again
    (see `stamps`; a profile reads every year, so a change in any year's files makes it again).

    Args:
        years: The years; None for every params/<year>.yaml.
        params_dir: The folder of the params files.
        output_dir: The output folder.
        jobs: Worker processes, each with its own kernel and browser.
        units: Codes of the provinces to (re)build; None for every province. The other profiles already in
            output/<year>/profiles/ are kept.
        languages: The languages to publish in, the main one first; each year's params' when empty.
        wait: Whether to wait for another build holding the output's lock, or raise OutputLocked.
        peers: Codes of a peer group every profile built compares with, its own province added when the
            list leaves it out; empty for each province's group in params, else its region.
        progress: Where to show a line per finished profile (count, what runs, time left; a bar on a
            terminal); None shows none.
        force: Whether to make the profiles that are up to date too.

    Returns:
        One result per year.

    Raises:
        InputError: Params, data or notebook parameters are wrong, or a unit is unknown.
        OutputLocked: Another build holds the output folder and `wait` is False.
        Stopped: A signal stopped the build; its `kept` says which years' profiles were built.
    """
    found, problems = load_years(year_files(Path(params_dir), years))
    shown, output_dir = Path(output_dir), Path(output_dir).resolve()
    # The data libraries the plan loads (about 100 MB) go with the process it runs in (see `Apart`).
    with Apart(_plan, found, units, tuple(languages), tuple(peers), output_dir, force) as planning:
        planned, found_problems = planning.result()
    problems += found_problems
    if problems:
        raise InputError(list(dict.fromkeys(problems)))  # --peers' problems are the same in every year
    if any(year.names for year in planned):
        check_kernel()
    date_from_inputs([year.report.params for year in planned])
    results: list[YearResult] = []
    with output_lock(output_dir, wait):
        remove_leftovers(output_dir)
        try:
            for year in planned:
                if year.names:
                    results.append(_build_year(year, output_dir, jobs, tuple(peers), progress))
                else:
                    up_to_date(progress, f"{year.report.year} profiles")
                    target = output_dir / str(year.report.year) / PROFILES
                    results.append(YearResult(year.report.year, "up to date", 0.0, target, (f"{PROFILES}/",)))
            write_index(output_dir, max((year.report.params for year in planned), key=lambda p: p.year))
        except Stopped as stop:
            targets = {year.report.year: shown / str(year.report.year) / PROFILES for year in planned}
            stop.kept = "profiles of " + stopped_summary(results, targets)
            raise
        finally:
            remove_work(output_dir)
    return results


def _plan(
    found: list[Params],
    units: list[str] | None,
    languages: tuple[str, ...],
    peers: tuple[str, ...],
    output_dir: Path,
    force: bool,
) -> tuple[list[_Year], list[Problem]]:
    """Reads each year's data for its provinces and plans its profiles: (the years, every problem found).

    Run apart from the build (`Apart`): the data libraries it loads stay out of the build's parent.
    """
    from parindex.data.ingest import load_year
    from parindex.pipeline.run import check_parameters
    from parindex.reports.profile import file_stem

    keys = stamps.Keys()
    planned: list[_Year] = []
    problems: list[Problem] = []
    for params in found:
        try:
            data = load_year(params)
            report = Report(params, languages)
            notebook = params.check_template("profile")
            check_parameters(notebook, _parameters(params.file, "", Path(), report.codes, peers))
            codes = tuple(data.scores[data.scores.unit_type == params.main_type].code)
            problems += code_problems(peers, codes, "--peers", *nouns.main_set(params))
            unknown = sorted(set(units or ()) - set(codes))
            if unknown:
                problems.append(nouns.unknown_code(params, unknown))
            codes = tuple(c for c in codes if not units or c in units)
            names = data.scores[data.scores.unit_type == params.main_type].set_index("code")["name"]
            key = keys.key(
                "profiles",
                notebook,
                stamps.every_year(Path(params.file).parent),
                {"languages": report.codes, "peers": list(peers)},
            )
            stems = {code: file_stem(params, code, str(names[code])) for code in codes}
            profiles_dir = output_dir / str(params.year) / PROFILES
            fresh = {} if force else stamps.fresh_units(profiles_dir, key, stems)
            todo = {c: str(names[c]) for c in codes if c not in fresh}
            listings, links = _listings(report, output_dir) if todo else ({}, {})
            planned.append(_Year(report, notebook, todo, {c: stems[c] for c in todo}, key, listings, links))
        except InputError as error:
            problems.extend(error.problems)
    return planned, problems


def _build_year(
    year: _Year,
    output_dir: Path,
    jobs: int,
    peers: tuple[str, ...] = (),
    progress: TextIO | None = None,
) -> YearResult:
    started = time.monotonic()
    report, names = year.report, year.names
    year_dir = output_dir / str(report.year)
    year_dir.mkdir(parents=True, exist_ok=True)
    folder = work_folder(f"{PROFILES}-{report.year}-", output_dir)
    codes = tuple(names)
    jobs = max(1, min(jobs, len(codes)))
    job = Job(
        year.notebook,
        Path(report.params.file),
        folder,
        f"{report.label} profiles",
        report.codes,
        year.stems,
        peers,
    )
    failures: dict[str, str] = {}
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    listener = QueueListener(queue, forward_logs())
    listener.start()
    level = logging.getLogger("parindex").getEffectiveLevel()
    pool = ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_worker, initargs=(job, queue, level)
    )
    try:
        futures = {pool.submit(_make, code): code for code in codes}
        with Progress(len(codes), progress, job.label) as counted:
            for future in as_completed(futures):
                code, name, failure, seconds = future.result()
                if failure:
                    failures[code] = failure
                    log.error("%s: %s failed: %s", job.label, code, failure)
                running = [f"{names[c]}" for f, c in futures.items() if f.running() and not f.done()]
                counted.finished(f"{report.year} {name}", seconds, running, bool(failure))
        pool.shutdown()
    except BaseException:
        stop_workers(pool)
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        listener.stop()
    try:  # no thread of the build's is left: its listings can be written in a forked process
        return _finish_year(year, folder, year_dir, time.monotonic() - started, failures)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _finish_year(
    year: _Year, folder: Path, year_dir: Path, seconds: float, failures: dict[str, str]
) -> YearResult:
    """Swaps complete profiles in for output/<year>/profiles/, stamped, or keeps failed ones apart.

    The profiles not rebuilt are kept, except the files of a rebuilt unit under another name (an earlier
    build's name, e.g. par_index_2020_40 for par_index_2020_nghe_an_40).
    """
    report, stems, key = year.report, year.stems, year.key
    prefix = f"{report.params.index.slug}_{report.year}_"
    target = year_dir / PROFILES
    if failures:
        failed = year_dir / f"{PROFILES}.failed"
        replace_folder(folder, failed)
        message = f"{report.year}: {len(failures)} profile(s) failed, kept in {failed}: " + "; ".join(
            f"{code}: {why}" for code, why in sorted(failures.items())
        )
        log.error("%s", message)
        return YearResult(report.year, "failed", seconds, failed, (), message)
    if target.is_dir():
        for old in target.iterdir():  # profiles not rebuilt this time stay as they were
            listing = old.name.startswith("index.") and old.suffix == ".html"  # written anew below
            replaced = (folder / old.name).exists() or _earlier_name(old.name, prefix, stems)
            if not replaced and not listing:
                link_tree(old, folder / old.name)
    if key:
        stored = stamps.read(target).get("units", {})
        kept = {code: entry for code, entry in stored.items() if code not in stems}
        stamps.stamp_units(folder, kept, stems, key)
    listings = year.listings
    if _links(report, year_dir.parent) != year.links:  # another build made a page they link meanwhile
        with Apart(_listings, report, year_dir.parent) as listing:
            listings = listing.result()[0]
    for name, page in listings.items():
        (folder / name).write_text(page, encoding="utf-8")
    replace_folder(folder, target)
    shutil.rmtree(year_dir / f"{PROFILES}.failed", ignore_errors=True)
    outputs = tuple(sorted(p.name for p in target.iterdir() if p.suffix in (".html", ".pdf")))
    log.info("%s: %d profiles in %.1f s into %s", report.label, len(stems), seconds, target)
    return YearResult(report.year, "built", seconds, target, (f"{PROFILES}/ ({len(outputs)} files)",))


def _earlier_name(name: str, prefix: str, stems: dict[str, str]) -> bool:
    """Whether a file or folder of profiles/ is a rebuilt province's under another name than its new one."""
    stem = name.partition(".")[0]
    return stem.startswith(prefix) and any(
        stem.endswith(f"_{code}") and stem != new for code, new in stems.items()
    )


def _parameters(
    params_file: Path,
    code: str,
    folder: Path,
    languages: tuple[str, ...] = (),
    peers: tuple[str, ...] = (),
) -> dict[str, str]:
    """The profile notebook's parameters; empty languages or peers leave the params' (or the region)."""
    return {
        "params_file": str(params_file),
        "unit_code": code,
        "output_dir": str(folder),
        "languages": ",".join(languages),
        "peers": ",".join(peers),
    }


class _Worker:
    """What a worker process needs for the profiles of one year; the kernel and browser are the worker's."""

    def __init__(self, job: Job):
        self.job = job
        self.report = Report(load_params(job.params_file), job.languages)

    def make(self, code: str) -> tuple[str, str | None]:
        """Runs, exports and prints one profile: (its unit's name, the failure or None)."""
        job = self.job
        stem = job.stems[code]
        unit_dir = job.folder / stem
        unit_dir.mkdir(parents=True, exist_ok=True)
        notebook_file = job.folder / f"{stem}.ipynb"
        parameters = _parameters(job.params_file, code, unit_dir, job.languages, job.peers)
        try:
            worker_kernel().run(job.notebook, notebook_file, parameters, f"{job.label} {code}")
            summary = json.loads((unit_dir / "summary.json").read_text(encoding="utf-8"))
            for language in self.report.codes:
                self._export(notebook_file, stem, summary, language)
        except (ParindexError, OSError, ValueError, KeyError) as error:
            return code, str(error)
        return summary["name"], None

    def _export(self, notebook_file: Path, stem: str, summary: dict, code: str) -> None:
        """Writes one profile's HTML and PDF in one language, linked to the profile in the others."""
        from parindex.pipeline.export import export_html

        report, folder = self.report, self.job.folder
        language = lang(code)
        title = language.t("profile.page_title", heading=report.heading(language), name=summary["name"])
        alternates = {other: page_name(stem, other, ".html") for other in report.codes if other != code}
        links = site_links(report.params, code, folder.parent.parent, f"{report.year}/{PROFILES}")
        page = export_html(
            notebook_file, folder / page_name(stem, code, ".html"), title, code, alternates, links=links
        )
        params = report.params
        worker_printer().print_pdf(
            page,
            folder / page_name(stem, code, ".pdf"),
            title,
            title,
            params.text(params.author, code) if params.author else "",
            notice=demonstration_notice(code) if summary.get("demonstration") else "",
            language=code,
        )


_worker: _Worker | None = None  # the year's profiles to make (set in each worker only)


def _start_worker(job: Job, queue: multiprocessing.Queue, level: int) -> None:
    global _worker
    warm_worker(queue, level)
    _worker = _Worker(job)


def _make(code: str) -> tuple[str, str, str | None, float]:
    started = time.monotonic()
    try:
        name, failure = _worker.make(code)
    except SystemExit as stop:
        end_worker(stop, close_worker)
    return code, name, failure, time.monotonic() - started


def _listings(report: Report, output_dir: Path) -> tuple[dict[str, str], dict[str, list]]:
    """The year's listing of profiles in each language, by file name, and the links at the top of each.

    Each links the other languages' listings; the main language's is profiles/index.html, the others'
    profiles/index.<code>.html, as the index page of output/ links them. The links to the other pages
    (`_links`) are those of the output folder as it is now.
    """
    from parindex.reports.profile import index_page, index_rows, load_history

    history = load_history(Path(report.params.file).parent)
    codes, params = report.codes, report.params
    pages, links = {}, _links(report, output_dir)
    for code in codes:
        language = lang(code)
        others = {other: index_name(other, codes[0]) for other in codes if other != code}
        title = nouns.sentence(
            params, params.main_type, language, "profile.listing.title", heading=report.heading(language)
        )
        rows = index_rows(history, report.year, language)
        column = nouns.column(params, params.main_type, language)
        page = index_page(rows, title, language, others, params.index.decimals, column, links[code])
        pages[index_name(code, codes[0])] = page
    return pages, links


def _links(report: Report, output_dir: Path) -> dict[str, list]:
    """The links at the top of the year's listing of profiles in each language (see `site_links`)."""
    links = {}
    for code in report.codes:
        listing = index_name(code, report.codes[0])
        found = site_links(report.params, code, output_dir, f"{report.year}/{PROFILES}")
        links[code] = [link for link in found if link[1] != listing]  # not the page itself
    return links
