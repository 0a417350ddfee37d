"""Build: check every year's params and data, then per year run the notebook, export HTML and PDF, swap in."""

from __future__ import annotations

import contextlib
import ctypes
import html
import json
import logging
import multiprocessing
import multiprocessing.util
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from logging.handlers import QueueHandler, QueueListener
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from parindex.data.params import Params, code_problems, load_params, load_years, year_files
from parindex.errors import BuildError, InputError, ParindexError, Problem, Stopped
from parindex.i18n import Lang, lang
from parindex.pipeline import stamps
from parindex.pipeline.folders import WORK, link_tree, remove_leftovers, replace_folder, work_folder
from parindex.pipeline.lock import output_lock
from parindex.pipeline.progress import Progress, up_to_date
from parindex.reports import nouns

if TYPE_CHECKING:
    from parindex.pipeline.export import Printer
    from parindex.pipeline.run import Kernel

# The data checks, papermill, nbconvert and playwright are imported where they are used: a build with
# nothing to do never loads them.

log = logging.getLogger(__name__)

PROFILES = "profiles"
TABLES = "tables"
_PR_SET_PDEATHSIG = 1
WORKER_GRACE = 5  # seconds a worker stopped by SIGTERM gets to close its kernel and browser


def page_name(stem: str, language: str, suffix: str) -> str:
    """The file of a report in one language, e.g. par_index_2020.vi.pdf."""
    return f"{stem}.{language}{suffix}"


def demonstration_notice(language: str) -> str:
    """The warning printed at the foot of every page of a report on demonstration data."""
    return lang(language).t("common.demo_footer")


@dataclass(frozen=True)
class Report:
    """What one year's report is called and made from, all derived from its params.

    Attributes:
        params: The year's params.
        languages: The languages to publish in, the main one first; the params' when empty.
        building: The reports of the same build (years, and "trends"): their pages are linked from this
            report's before they exist.
    """

    params: Params
    languages: tuple[str, ...] = ()
    building: tuple[int | str, ...] = ()

    @property
    def year(self) -> int:
        return self.params.year

    @property
    def codes(self) -> tuple[str, ...]:
        """The languages the report is published in, the main one first."""
        return self.languages or self.params.languages

    def heading(self, language: Lang) -> str:
        """The running header of the report's pages, e.g. "PAR INDEX 2020"."""
        return language.t("report.yearly.header", name=self.params.index.name, year=self.year)

    def title_in(self, language: Lang) -> str:
        """The report's title in a language, e.g. "PAR INDEX 2020: Chỉ số cải cách hành chính"."""
        return language.t(
            "report.yearly.title",
            name=self.params.index.name,
            year=self.year,
            title=self.params.text(self.params.index.title, language.code),
        )

    @property
    def notebook(self) -> Path:
        """The template: templates.report in params, else notebooks/<slug>_report.ipynb."""
        return self.params.template("report")

    @property
    def stem(self) -> str:
        """The name of the year's files: <slug>_<year>."""
        return f"{self.params.index.slug}_{self.year}"

    @property
    def label(self) -> str:
        return f"{self.params.index.name} {self.year}"

    @property
    def title(self) -> str:
        return f"{self.label}: {self.params.index.title}"

    def key(self, keys: stamps.Keys) -> str:
        """The key of the report's outputs: its template, its year and its comparison year, the package."""
        keys.remember(self.params)
        files = [Path(self.params.file), *stamps.comparison_file(self.params)]
        return keys.key("report", self.notebook, files, {"languages": self.codes})

    def check(self) -> None:
        """Checks the year's data and the notebook's parameters before it runs (raises InputError)."""
        from parindex.data.ingest import load_year
        from parindex.pipeline.run import check_parameters

        load_year(self.params)
        check_parameters(self.params.check_template("report"), self.parameters(Path()))

    def parameters(self, folder: Path) -> dict[str, str]:
        """The notebook's parameters: the params file, the folder its tables and summary go to, languages."""
        return {
            "params_file": str(self.params.file),
            "output_dir": str(folder),
            "languages": ",".join(self.codes),
        }


@dataclass(frozen=True)
class TrendsReport(Report):
    """The report across every year: run after the yearly ones, into output/trends/."""

    params_dir: Path = Path("params")

    @property
    def year(self) -> str:
        return "trends"

    @property
    def notebook(self) -> Path:
        return self.params.template("trends")

    @property
    def stem(self) -> str:
        return f"{self.params.index.slug}_trends"

    @property
    def label(self) -> str:
        return f"{self.params.index.name} trends"

    @property
    def title(self) -> str:
        return f"{self.params.index.name}: trends across the years"

    def heading(self, language: Lang) -> str:
        return language.t("report.trends.header", name=self.params.index.name)

    def title_in(self, language: Lang) -> str:
        return language.t(
            "report.trends.title",
            name=self.params.index.name,
            title=self.params.text(self.params.index.title, language.code),
        )

    def key(self, keys: stamps.Keys) -> str:
        """The key of the trends report's outputs: its template, every year in params/, the package."""
        keys.remember(self.params)
        files = stamps.every_year(self.params_dir)
        return keys.key("trends", self.notebook, files, {"languages": self.codes})

    def check(self) -> None:
        """Checks the notebook's parameters (each year's data are checked with its own report)."""
        from parindex.pipeline.run import check_parameters

        check_parameters(self.params.check_template("trends"), self.parameters(Path()))

    def parameters(self, folder: Path) -> dict[str, str]:
        return {
            "params_dir": str(self.params_dir),
            "output_dir": str(folder),
            "languages": ",".join(self.codes),
        }


@dataclass(frozen=True)
class YearResult:
    """How one year's build went.

    Attributes:
        year: The year ("trends" for the report across the years).
        status: "built", "up to date" (its outputs were made from the same files: nothing ran) or "failed".
        seconds: Wall-clock time of the year's run and export.
        folder: output/<year>/ when built; output/<year>.failed/ (holding the partial notebook) when failed.
        outputs: The files written into the folder, relative to it.
        message: Why it failed; empty when built.
    """

    year: int | str
    status: str
    seconds: float
    folder: Path
    outputs: tuple[str, ...] = ()
    message: str = ""


def build(
    years: list[int] | None,
    params_dir: Path,
    output_dir: Path,
    jobs: int = 1,
    trends: bool | None = None,
    languages: tuple[str, ...] = (),
    wait: bool = True,
    progress: TextIO | None = None,
    force: bool = False,
) -> list[YearResult]:
    """Builds the reports of the given years: notebook, HTML and PDF in output/<year>/, and output/index.html.

    Every year's params and data are checked before any notebook runs. A year that fails keeps its partial
    notebook in output/<year>.failed/ and leaves output/<year>/ as it was; the other years still build. The
    trends report over every year (output/trends/) runs after the yearly ones. The build holds the output's
    lock, removes what killed builds left, works in output/.work/, and replaces each year's folder in one
    atomic step, carrying over its profiles. A report whose folder holds the outputs of the same key (see
    `stamps`) is up to date: it is neither checked nor run again, and no kernel or browser starts for it.

    Args:
        years: The years to build; None for every params/<year>.yaml.
        params_dir: The folder of the params files.
        output_dir: The folder the years' folders and index.html go to.
        jobs: How many notebooks run at once, each in its own process.
        trends: Whether to build the trends report; None builds it when every year is built and a trends
            notebook is found (the project's, else the shared one, see `Params.template`).
        languages: The languages to publish in, the main one first; each year's params' when empty.
        wait: Whether to wait for another build holding the output's lock, or raise OutputLocked.
        progress: Where to show a line per finished report (count, what runs, time left; a bar on a
            terminal); None shows none.
        force: Whether to build the reports that are up to date too.

    Returns:
        One result per year, in year order.

    Raises:
        InputError: Params, data or notebook parameters are wrong for some year (all problems listed).
        BuildError: The kernel or Chromium is missing.
        OutputLocked: Another build holds the output folder and `wait` is False.
        Stopped: A signal stopped the build; its `kept` says what was built and what is unchanged.
    """
    shown, output_dir = Path(output_dir), Path(output_dir).resolve()
    keys = stamps.Keys()
    wanted: dict[int | str, str] = {}
    current: dict[int | str, tuple[str, ...]] = {}

    def fresh(report: Report) -> bool:
        wanted[report.year] = report.key(keys)
        found = None if force else stamps.up_to_date(output_dir / str(report.year), wanted[report.year])
        if found is not None:
            current[report.year] = found
        return found is not None

    reports, problems = read_reports(years, Path(params_dir), languages)
    if problems:  # the data of the years whose params are right are checked too: every problem at once
        raise InputError(problems + check_reports([r for r in reports if not fresh(r)]))
    across = TrendsReport(reports[-1].params, languages, params_dir=Path(params_dir).resolve())
    if trends or (trends is None and not years and across.notebook.is_file()):
        reports.append(across)
    stale = {report.year for report in reports if not fresh(report)}
    reports = [replace(report, building=tuple(r.year for r in reports)) for report in reports]
    todo = [report for report in reports if report.year in stale]
    date_from_inputs([report.params for report in reports])  # before the workers start: they inherit it
    results: list[YearResult] = []
    with contextlib.ExitStack() as workers:
        if todo:  # started now, the workers import their modules while the data are checked
            checking = workers.enter_context(Apart(check_reports, todo))  # forked before any thread
            tasks = sum(len(report.codes) for report in todo)  # at most this many run at once
            runner = workers.enter_context(_Runner(min(jobs, tasks), output_dir, len(todo)))
        problems = checking.result() if todo else []
        if problems:
            raise InputError(problems)
        if todo:
            from parindex.pipeline.chromium import find_chromium
            from parindex.pipeline.kernelspec import check_kernel

            check_kernel()
            find_chromium()
        with output_lock(output_dir, wait):
            remove_leftovers(output_dir)
            try:
                with workers.pop_all():  # the workers end before the work folder goes and the lock is let go
                    for report in reports:
                        if report.year in current:
                            up_to_date(progress, str(report.year))
                            target = output_dir / str(report.year)
                            results.append(
                                YearResult(report.year, "up to date", 0.0, target, current[report.year])
                            )
                    if todo:
                        release_memory()  # what reading params and hashing inputs took, as the workers start
                        runner.warm()
                        with Progress(len(todo), progress, "reports") as counted:
                            for report, folder, seconds, failure in runner.run(todo):
                                key = wanted[report.year]
                                results.append(_finish(report, folder, output_dir, seconds, failure, key))
                                running = runner.running()
                                failed = failure is not None
                                counted.finished(str(report.year), seconds, running, failed, runner.left())
                results.sort(key=lambda result: str(result.year))
                write_index(output_dir, reports[-1].params)
            except Stopped as stop:
                stop.kept = stopped_summary(results, {r.year: shown / str(r.year) for r in reports})
                raise
            finally:
                remove_work(output_dir)
    log.debug("Build finished:\n%s", results_table(results))
    return results


def stopped_summary(results: list[YearResult], targets: dict[int | str, Path]) -> str:
    """What a stopped build leaves: "2019 built, 2020 not built; output/2020 is unchanged".

    Args:
        results: The years finished before the stop.
        targets: Every year the build was to make, with the folder it replaces.

    Returns:
        The years built, failed and not built, and the folders left as they were.
    """
    status = {result.year: result.status for result in results}
    status |= {year: "not built" for year in targets if year not in status}
    parts = []
    for kind in ("built", "up to date", "failed", "not built"):
        years = [str(year) for year in targets if status[year] == kind]
        if years:
            parts.append(f"{', '.join(years)} {kind}")
    unchanged = [str(targets[year]) for year in targets if status[year] != "built" and targets[year].exists()]
    if unchanged:
        parts[-1] += f"; {', '.join(unchanged)} {'is' if len(unchanged) == 1 else 'are'} unchanged"
    return ", ".join(parts)


def remove_work(output_dir: Path) -> None:
    """Removes output/.work/ when it is empty (it holds only the work of the build that ends)."""
    with contextlib.suppress(OSError):
        (output_dir / WORK).rmdir()


def prepare(
    params_file: Path, work_dir: Path, profile: str | None = None, peers: tuple[str, ...] = ()
) -> Path:
    """Writes a report notebook with the parameters a build would inject, for tweaking in JupyterLab.

    The notebook goes to <work_dir>/<year>/, never into output/, so a build cannot overwrite it; its
    outputs (summary.json, tables) go to <work_dir>/<year>/output/ when it is run.

    Args:
        params_file: The year's params file.
        work_dir: The folder for prepared notebooks.
        profile: A province's code, for its profile notebook instead of the yearly report.
        peers: With a profile: the codes of its peer group (the province added when left out); empty for
            its group in the params' peers, else its region.

    Returns:
        The prepared notebook.

    Raises:
        InputError: The province or a peer's code is no province of the year.
    """
    from parindex.data.ingest import load_year
    from parindex.pipeline.run import prepare_notebook
    from parindex.reports.profile.unit import file_stem

    report = Report(load_params(params_file))
    folder = Path(work_dir).resolve() / str(report.year)
    if profile is None:
        return prepare_notebook(
            report.params.check_template("report"),
            folder / f"{report.stem}.ipynb",
            report.parameters(folder / "output"),
        )
    scores = load_year(report.params).scores
    units = scores[scores.unit_type == report.params.main_type]
    problems = code_problems(peers, tuple(units.code), "--peers", *nouns.main_set(report.params))
    if profile not in set(units.code):
        problems.insert(
            0, nouns.unknown_code(report.params, [profile], fix_tail=f", e.g. {units.code.iloc[0]}")
        )
    if problems:
        raise InputError(problems)
    stem = file_stem(report.params, profile, units.set_index("code").loc[profile, "name"])
    parameters = {
        "params_file": str(report.params.file),
        "unit_code": profile,
        "output_dir": str(folder / stem),
        "languages": ",".join(report.codes),
        "peers": ",".join(peers),
    }
    return prepare_notebook(report.params.check_template("profile"), folder / f"{stem}.ipynb", parameters)


def date_from_inputs(params: list[Params]) -> int:
    """Dates the build by its inputs, so that two builds of the same files write the same reports.

    Unless SOURCE_DATE_EPOCH is set already, it is set (for this process and the kernels and workers it
    starts) to the modification time of the newest params or input file: the reports' "built" time and the
    PDFs' dates then come from the inputs, not from the clock.

    Args:
        params: The params of every report built.

    Returns:
        The epoch in use, in seconds.
    """
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    files = [Path(p.file) for p in params]
    for one in params:
        specs = list(one.inputs) + (list(one.companion.inputs) if one.companion else [])
        files += [one.path(spec.path) for spec in specs]
    epoch = int(max(file.stat().st_mtime for file in files if file.is_file()))
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    return epoch


def load_reports(
    years: list[int] | None,
    params_dir: Path,
    languages: tuple[str, ...] = (),
) -> list[Report]:
    """Loads and checks every year's params, data and notebook parameters before anything runs.

    Args:
        years: The years; None for every params/<year>.yaml.
        params_dir: The folder of the params files.
        languages: The languages to publish in, overriding the params'; each must have a catalog.

    Raises:
        InputError: Every problem of every year, or no params file found.
    """
    reports, problems = read_reports(years, params_dir, languages)
    problems += check_reports(reports)
    if problems:
        raise InputError(problems)
    return reports


def read_reports(
    years: list[int] | None, params_dir: Path, languages: tuple[str, ...] = ()
) -> tuple[list[Report], list[Problem]]:
    """Every year's report from its params, and the problems of the params that cannot be loaded.

    Args:
        years: The years; None for every params/<year>.yaml.
        params_dir: The folder of the params files.
        languages: The languages to publish in, overriding the params'; each must have a catalog.

    Returns:
        The reports of the years whose params are right, in year order, and every problem of the others
        (none found is one).
    """
    loaded, problems = load_years(year_files(params_dir, years))
    reports = []
    for params in loaded:
        try:
            reports.append(Report(params, tuple(languages)))
        except InputError as error:
            problems.extend(error.problems)
    return reports, problems


def check_reports(reports: list[Report]) -> list[Problem]:
    """Every problem of the reports' data and notebook parameters (`Report.check`), all at once."""
    problems = []
    for report in reports:
        try:
            report.check()
        except InputError as error:
            problems.extend(error.problems)
    return problems


def _export(report: Report, folder: Path, code: str) -> str | None:
    """Writes the report's HTML and PDF in one language beside its executed notebook; a failure, or None."""
    from parindex.pipeline.export import export_html

    language = lang(code)
    log.info("%s: exporting HTML and PDF (%s)", report.label, code)
    alternates = {other: page_name(report.stem, other, ".html") for other in report.codes if other != code}
    workbook = folder / TABLES / f"{report.stem}.xlsx"
    downloads = {"common.download.workbook": f"{TABLES}/{workbook.name}"} if workbook.is_file() else {}
    try:
        page = export_html(
            folder / f"{report.stem}.ipynb",
            folder / page_name(report.stem, code, ".html"),
            report.title_in(language),
            code,
            alternates,
            downloads,
            site_links(report.params, code, folder.parent.parent, str(report.year), report.building),
            [f"{TABLES}/{table.name}" for table in sorted((folder / TABLES).glob("*.csv"))],
        )
        worker_printer().print_pdf(
            page,
            folder / page_name(report.stem, code, ".pdf"),
            report.heading(language),
            report.title_in(language),
            report.params.text(report.params.author, code),
            notice=demonstration_notice(code) if _demonstration(folder) else "",
            language=code,
            keep=False,  # its next task is most often another report's: the renderer (200 MB) goes now
        )
    except ParindexError as error:
        return str(error)
    return None


def _demonstration(folder: Path) -> bool:
    """Whether the report's summary.json says its data is a demonstration."""
    summary = folder / "summary.json"
    return summary.is_file() and bool(json.loads(summary.read_text(encoding="utf-8")).get("demonstration"))


def _finish(
    report: Report, folder: Path, output_dir: Path, seconds: float, failure: str | None, key: str = ""
) -> YearResult:
    """Swaps a complete year in for output/<year>/, stamped with its key, or keeps a failed one apart."""
    target = output_dir / str(report.year)
    failed = output_dir / f"{report.year}.failed"
    if failure is None:
        kept = target / PROFILES
        if kept.is_dir() and not (folder / PROFILES).exists():
            link_tree(kept, folder / PROFILES)  # profiles are built on their own; a year's rebuild keeps them
        if key:
            stamps.stamp_report(folder, key, leave_out=(PROFILES,))
        replace_folder(folder, target)
        shutil.rmtree(failed, ignore_errors=True)
        outputs = tuple(
            sorted(
                str(p.relative_to(target))
                for p in target.rglob("*")
                if p.is_file() and p.name != stamps.KEY_FILE
            )
        )
        log.info("%s: built in %.1f s into %s", report.label, seconds, target)
        return YearResult(report.year, "built", seconds, target, outputs)
    replace_folder(folder, failed)
    kept = failed / f"{report.stem}.ipynb"
    message = f"{report.year}: {failure}. Notebook kept: {kept}; {target} is unchanged."
    log.error("%s", message)
    return YearResult(report.year, "failed", seconds, failed, (kept.name,) if kept.exists() else (), message)


def results_table(results: list[YearResult]) -> str:
    """The results as a plain text table: year, status, seconds, outputs."""
    rows = [("year", "status", "seconds", "outputs")] + [
        (str(r.year), r.status, f"{r.seconds:.1f}", ", ".join(r.outputs) or "-") for r in results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3]
        for row in rows
    )


def index_name(language: str, main: str) -> str:
    """The index page of a language: index.html for the main one, index.<code>.html for the others."""
    return "index.html" if language == main else f"index.{language}.html"


def write_index(output_dir: Path, params: Params) -> list[Path]:
    """Writes the index pages of output/, one per language, linking every report built there.

    Each year folder is listed with its mean and count of units (keys "mean" and "n" of its summary.json)
    and links to its report in that language, its PDF, and its profiles; each page links to the others.

    Args:
        output_dir: The output folder.
        params: The params of the latest year: the index's name and the languages.

    Returns:
        The pages written.
    """
    codes = params.languages
    pages = []
    for code in codes:
        language = lang(code)
        page = _index_page(
            output_dir, params, language, {c: index_name(c, codes[0]) for c in codes if c != code}
        )
        index = output_dir / index_name(code, codes[0])
        pages.append(index)
        with contextlib.suppress(OSError):
            if index.read_text(encoding="utf-8") == page:
                continue  # unchanged: left as it is, time and all
        temporary = output_dir / f".{index.name}.{os.getpid()}"
        temporary.write_text(page, encoding="utf-8")
        temporary.replace(index)
    return pages


def site_links(
    params: Params, code: str, output_dir: Path, here: str, building: tuple[int | str, ...] = ()
) -> list[tuple[str, str]]:
    """The links at the top of a page of the output to the other pages readers go between, in one language.

    From a year's report: the index, the trends and the year's profiles; from the trends: the index and
    each year's report; from a year's profiles (`here` "<year>/profiles"): the index, the year's report, the
    trends and the list of profiles. Only pages that exist, or that this build makes (`building`), are
    linked; addresses are relative, so the links work from a copy of the output folder.

    Args:
        params: The params of the page's report.
        code: The page's language.
        output_dir: The output folder.
        here: Where the page is in the output folder: "<year>", "trends" or "<year>/profiles".
        building: The reports the build makes (years, "trends").

    Returns:
        (text, address relative to the page) of each link.
    """
    language = lang(code)
    t = language.t
    up = "../" * (here.count("/") + 1)
    main = params.languages[0]
    slug, name = params.index.slug, params.index.name

    def report(year: int | str) -> str | None:
        """The address of a report's page in this language, when it exists or is being built."""
        stem = f"{slug}_{year}"
        page = f"{year}/{page_name(stem, code, '.html')}"
        return up + page if year in building or (output_dir / page).is_file() else None

    links = [(t("common.nav.index"), up + index_name(code, main))] if code in params.languages else []
    year = here.partition("/")[0]
    if here == "trends":
        years = {int(y) for y in building if str(y).isdigit()} | {
            int(p.name) for p in output_dir.iterdir() if p.name.isdigit()
        }
        links += [(str(y), address) for y in sorted(years) if (address := report(y))]
    elif here.endswith(PROFILES) and (address := report(int(year))):
        links.append((t("report.yearly.header", name=name, year=year), address))
    if here != "trends" and (address := report("trends")):
        links.append((t("report.trends.header", name=name), address))
    listing = index_name(code, main)
    profiles = nouns.sentence(params, params.main_type, language, "common.nav.profiles")
    if here == year and (output_dir / year / PROFILES / listing).is_file():
        links.append((profiles, f"{PROFILES}/{listing}"))
    elif here.endswith(PROFILES):
        links.append((profiles, listing))
    return links


def _index_page(output_dir: Path, params: Params, language: Lang, others: dict[str, str]) -> str:
    """The index page of output/ in one language."""
    t = language.t
    rows = []
    demonstration = False
    for folder in sorted((p for p in output_dir.iterdir() if p.is_dir() and p.name.isdigit()), reverse=True):
        summary_file = folder / "summary.json"
        summary = json.loads(summary_file.read_text(encoding="utf-8")) if summary_file.is_file() else {}
        links = _links(folder, language)
        listing = folder / PROFILES / index_name(language.code, params.languages[0])
        if listing.is_file():
            address = html.escape(f"{folder.name}/{PROFILES}/{listing.name}")
            links += f' <a href="{address}">{html.escape(t("index.profiles"))}</a>'
        mark = "†" if summary.get("demonstration") else ""
        demonstration = demonstration or bool(mark)
        mean = summary.get("mean")
        n = summary.get("n")
        cells = [
            folder.name,
            ("–" if mean is None else html.escape(language.number(mean, params.index.decimals))) + mark,
            "–" if n is None else html.escape(language.integer(n)),
            links,
        ]
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    title = html.escape(t("index.title", name=params.index.name))
    note = f"<p>{html.escape(t('index.demonstration'))}</p>" if demonstration else ""
    trends = output_dir / "trends"
    across = f"<p>{html.escape(t('index.trends'))} {_links(trends, language)}</p>" if trends.is_dir() else ""
    switch = " ".join(
        f'<a href="{html.escape(href)}" hreflang="{code}" lang="{code}">'
        f"{html.escape(lang(code).t('common.language_name'))}</a>"
        for code, href in others.items()
    )
    head = "".join(
        f"<th>{html.escape(t(key))}</th>"
        for key in ("index.year", "index.mean", "index.units", "index.report")
    )
    return f"""<!DOCTYPE html>
<html lang="{language.code}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font-family:'DejaVu Sans',sans-serif;margin:2rem auto;max-width:44rem;padding:0 1rem}}
td,th{{padding:.3rem 1rem;text-align:left}}td:nth-child(2),td:nth-child(3){{text-align:right}}
nav{{text-align:right}}</style></head>
<body><nav>{switch}</nav><h1>{title}</h1>
{across}
<table><thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>{note}</body></html>
"""


def _links(folder: Path, language: Lang) -> str:
    """Links to the HTML and PDF reports of one language in a folder of output/."""
    return " ".join(
        f'<a href="{html.escape(f"{folder.name}/{p.name}")}">{p.suffix[1:].upper()}</a>'
        for suffix in (".html", ".pdf")
        for p in sorted(folder.glob(f"*.{language.code}{suffix}"))
    )


class Apart:
    """Runs a function in a process forked from the build, which ends once it has answered: `result()`.

    For the data checks (`check_reports`): the data libraries they load (pandas, pandera, openpyxl: about
    65 MB) go with that process instead of staying in the build's parent while the reports are made.
    Forked, the process has what the parent imported already (the params and their models) and starts in
    milliseconds; the build forks it before it starts any thread. It is out of the terminal's reach, as the
    workers are, and ends with the build.
    """

    def __init__(self, function: Callable, *arguments: object):
        self._call = function, arguments

    def __enter__(self) -> Apart:
        context = multiprocessing.get_context("fork")
        self._answer, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run_apart, args=(*self._call, send), daemon=True)
        self._process.start()
        send.close()
        return self

    def result(self):
        """What the function returned, once it has (what it raised is raised again here)."""
        try:
            returned, error = self._answer.recv()
        except EOFError:  # ended without an answer: killed
            self._process.join()
            code = self._process.exitcode
            raise BuildError(f"the data checks ended before they answered (exit code {code})") from None
        self._process.join()
        if error is not None:
            raise error
        return returned

    def __exit__(self, *exc_info: object) -> None:
        if self._process.is_alive():  # the build was stopped while the data were checked
            self._process.kill()
        self._process.join()
        self._answer.close()


def _run_apart(function: Callable, arguments: tuple, send) -> None:
    """The forked process of `Apart`: sends (what the function returned, None) or (None, what it raised)."""
    _out_of_reach(signal.SIG_DFL)
    try:
        answer = function(*arguments), None
    except Exception as error:  # raised again in the build
        answer = None, error
    send.send(answer)


class _Runner:
    """Runs and exports the years' reports in worker processes, `jobs` at a time, each in its own folder.

    Every worker starts at once (a pool would start the second only when the first is busy) and imports its
    modules (`import_worker`) while the build checks the data; `warm` then has each start its kernel and its
    browser, so that all are warm while the first notebook runs. The build starts no more workers than can
    be busy at once (a report's languages are exported side by side). Only as many workers as notebooks can
    run at once start a kernel; the others (a year's second language) start their browser only, in a pool
    of their own, so that no notebook goes to a worker without a kernel.
    """

    def __init__(self, jobs: int, output_dir: Path, notebooks: int):
        self.jobs = max(1, jobs)
        self.kernels = max(1, min(self.jobs, notebooks))
        self.output_dir = output_dir
        self.folders: list[Path] = []
        self._futures: dict = {}

    def __enter__(self) -> _Runner:
        context = multiprocessing.get_context("spawn")
        self._queue = context.Queue()
        self._notebooks = context.Value("i", 0)  # the notebooks not started yet (`close_idle_kernel`)
        self._listener = QueueListener(self._queue, forward_logs())
        self._listener.start()
        level = logging.getLogger("parindex").getEffectiveLevel()
        self._pools: list[tuple[ProcessPoolExecutor, int, bool]] = []
        for workers, kernel in ((self.kernels, True), (self.jobs - self.kernels, False)):
            if workers:
                pool = ProcessPoolExecutor(
                    workers,
                    mp_context=context,
                    initializer=import_worker,
                    initargs=(self._queue, level, self._notebooks),
                )
                self._pools.append((pool, workers, kernel))
                # A task for nobody per worker: each submit to a pool without idle workers starts one.
                for _ in range(workers):
                    pool.submit(int)
        return self

    def warm(self) -> None:
        """Has every worker start its browser, and its kernel if its pool runs notebooks (`warm_up`)."""
        for pool, workers, kernel in self._pools:
            for _ in range(workers):  # one each: a worker is busy with its own for a second or more
                pool.submit(warm_up, kernel)

    def __exit__(self, kind: type[BaseException] | None, *exc_info: object) -> None:
        pools = [pool for pool, _, _ in self._pools]
        if kind is None:  # the pools close their workers side by side; the build waits for all
            closing = [threading.Thread(target=p.shutdown, kwargs={"cancel_futures": True}) for p in pools]
            for thread in closing:
                thread.start()
            for thread in closing:
                thread.join()
        else:
            stop_workers(*pools)
        self._listener.stop()
        for folder in self.folders:
            shutil.rmtree(folder, ignore_errors=True)

    def _exporter(self) -> ProcessPoolExecutor:
        """The pool an export goes to: the one with the fewest tasks waiting or running per worker."""
        waiting = {id(pool): 0 for pool, _, _ in self._pools}
        for job, (_, _, pool) in self._futures.items():
            if not job.done():
                waiting[id(pool)] += 1
        return min(self._pools, key=lambda entry: waiting[id(entry[0])] / entry[1])[0]

    def run(self, reports: list[Report]) -> Iterator[tuple[Report, Path, float, str | None]]:
        """Yields (report, its work folder, seconds, failure or None) as each report is run and exported.

        A report's notebook runs in a worker with a kernel; its languages are then exported as tasks of
        their own, so that a worker without a notebook to run prints a language of another's report.
        """
        self._futures = futures = {}
        self._took = {"run": [], "export": []}
        self._unrun = {report.year: len(report.codes) for report in reports}  # exports not submitted yet
        runs = self._pools[0][0]
        self._notebooks.value = len(reports)
        for report in reports:
            folder = work_folder(f"{report.year}-", self.output_dir)
            self.folders.append(folder)
            futures[runs.submit(_run, report, folder)] = report, folder, runs
        left: dict[int | str, list] = {}  # per report: languages still to export, seconds, first failure
        while futures:
            done, _ = wait(futures, return_when=FIRST_COMPLETED)
            for job in sorted(done, key=lambda job: str(futures[job][0].year)):
                report, folder, _ = futures.pop(job)
                failure, seconds = job.result()
                self._took["export" if report.year in left else "run"].append(seconds)
                if report.year not in left:  # the notebook ran
                    del self._unrun[report.year]
                    if failure is not None:
                        yield report, folder, seconds, failure
                        continue
                    left[report.year] = [len(report.codes), seconds, None]
                    for code in report.codes:
                        pool = self._exporter()
                        futures[pool.submit(_publish, report, folder, code)] = report, folder, pool
                    continue
                entry = left[report.year]
                entry[0] -= 1
                entry[1] += seconds
                entry[2] = entry[2] or failure
                if entry[0] == 0:
                    yield report, folder, entry[1], entry[2]

    def left(self) -> float | None:
        """Seconds until every report is made, estimated from the tasks done so far; None before any.

        A build runs its notebooks first and exports them after (`close_idle_kernel`), so that the first
        reports finish late: the time per report so far would overstate what is left many times over.
        Each task left counts as long as the mean of those of its kind done (a run or an export; the other
        kind's before one is done), and the workers share them.
        """
        done = [seconds for kind in self._took.values() for seconds in kind]
        if not done:
            return None
        mean = {
            kind: sum(took) / len(took) if took else sum(done) / len(done)
            for kind, took in self._took.items()
        }
        runs = sum(1 for job in self._futures if not job.done() and self._futures[job][0].year in self._unrun)
        exports = sum(1 for job in self._futures if not job.done()) - runs + sum(self._unrun.values())
        return (runs * mean["run"] + exports * mean["export"]) / self.jobs

    def running(self) -> list[str]:
        """The reports running now (handed to a worker and not finished), by year."""
        return list(
            dict.fromkeys(
                str(report.year)
                for job, (report, _, _) in self._futures.items()
                if job.running() and not job.done()
            )
        )


def _run(report: Report, folder: Path) -> tuple[str | None, float]:
    """Runs one report's notebook and writes its workbook, in a worker: (the failure or None, seconds)."""
    from parindex.reports.tables import write_workbook

    started = time.monotonic()
    with _notebooks_left.get_lock():
        _notebooks_left.value -= 1
    try:
        try:
            worker_kernel().run(
                report.notebook, folder / f"{report.stem}.ipynb", report.parameters(folder), report.label
            )
            write_workbook(
                folder / TABLES, folder / TABLES / f"{report.stem}.xlsx", [lang(c) for c in report.codes]
            )
        except ParindexError as error:
            return str(error), time.monotonic() - started
        finally:
            close_idle_kernel()
            release_memory()
        return None, time.monotonic() - started
    except SystemExit as stop:
        end_worker(stop, close_worker)


def _publish(report: Report, folder: Path, code: str) -> tuple[str | None, float]:
    """Exports a report run in `_run` in one language, in a worker: (the failure or None, seconds)."""
    started = time.monotonic()
    try:
        try:
            close_idle_kernel()
            return _export(report, folder, code), time.monotonic() - started
        finally:
            release_memory()
    except SystemExit as stop:
        end_worker(stop, close_worker)


def release_memory() -> None:
    """Gives the memory a worker's task freed back to the system (glibc's `malloc_trim`), where there is one.

    Python returns what a task's objects held to the C library, which keeps it for later: a worker that
    exported the 2020 report held about 50 MB it no longer used, beside its kernel and browser.
    """
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    if trim is not None:
        trim(0)


# The modules every report template imports first: a worker's kernel imports them as soon as it starts,
# while the worker starts its browser and the build checks the data.
WARM_UP = "import parindex.reports.yearly, parindex.reports.trends, parindex.reports.profile"

_worker_printer: Printer | None = None  # the worker process's browser (set in each worker only)
_worker_kernel: Kernel | None = None  # the worker process's kernel, warm from one report to the next
_worker_closing = False  # whether the worker is closing its kernel and browser (`close_worker`)
_worker_stop: int | None = None  # the exit code of a SIGTERM received while closing (`close_idle_kernel`)
_notebooks_left = None  # the build's count of notebooks no worker has started (a shared Value)


def warm_worker(queue: multiprocessing.Queue, level: int, kernel: bool = True) -> None:
    """Sets a worker process up (`start_worker`) and warms it: its kernel imports, its browser starts.

    A worker told it runs no notebook (`kernel` False) starts no kernel.
    """
    start_worker(queue, level)
    if kernel:
        worker_kernel()
    worker_printer()


def import_worker(queue: multiprocessing.Queue, level: int, notebooks=None) -> None:
    """Sets a worker process up (`start_worker`) and imports what running and exporting a report need.

    `notebooks` is the build's shared count of the notebooks not started yet (see `close_idle_kernel`).
    """
    global _notebooks_left
    _notebooks_left = notebooks
    start_worker(queue, level)
    try:
        import parindex.pipeline.export
        import parindex.pipeline.run  # noqa: F401
    except SystemExit as stop:  # stopped before it holds anything: the pool would log it as a failure
        end_worker(stop)


def warm_up(kernel: bool) -> None:
    """A worker's task: starts its kernel (unless `kernel` is False) and its browser, if not started."""
    try:
        if kernel:
            worker_kernel()
        worker_printer()
    except SystemExit as stop:
        end_worker(stop, close_worker)


def close_worker() -> None:
    """Closes the worker's kernel, then its browser, those it started.

    A SIGTERM from here on lets it finish within the grace time instead of unwinding it halfway, which
    would leave the kernel's sockets and connection file behind (see `_exit_worker`).
    """
    global _worker_printer, _worker_kernel, _worker_closing
    _worker_closing = True
    if _worker_kernel is not None:  # first: quick, and held until closed for the grace timer's last resort
        _worker_kernel.close()
        _worker_kernel = None
    printer, _worker_printer = _worker_printer, None
    if printer is not None:
        printer.__exit__(None, None, None)


def close_idle_kernel() -> None:
    """Closes the worker's kernel once every notebook of the build has started: none is left for it.

    A build runs its notebooks first and exports their languages after, so that for the last reports'
    exports the kernels (about 150 MB each) are gone. A SIGTERM while the kernel closes lets it finish,
    then stops the worker (see `_exit_worker`).
    """
    global _worker_kernel, _worker_closing, _worker_stop
    if _worker_kernel is None or _notebooks_left is None or _notebooks_left.value > 0:
        return
    _worker_closing = True
    try:
        _worker_kernel.close()
        _worker_kernel = None
    finally:
        _worker_closing = False
    log.debug("closed its kernel: every notebook has started")
    if _worker_stop is not None:
        raise SystemExit(_worker_stop)


def worker_kernel() -> Kernel:
    """The worker's kernel, started (importing WARM_UP) at its first use and closed when the worker ends."""
    global _worker_kernel
    if _worker_kernel is None:
        from parindex.pipeline.run import Kernel

        _worker_kernel = Kernel()
        _worker_kernel.start(Path.cwd(), WARM_UP)
    return _worker_kernel


def worker_printer() -> Printer:
    """The worker's browser, started at its first report and closed when the worker ends."""
    global _worker_printer
    if _worker_printer is None:
        from parindex.pipeline.export import Printer

        _worker_printer = Printer().__enter__()
    return _worker_printer


def start_worker(queue: multiprocessing.Queue, level: int) -> None:
    """Sets up a worker process: its own session, SIGTERM ending it cleanly, logs sent to the parent.

    In its own session the worker, its kernel and its browser are out of the terminal's reach: neither
    Ctrl-C nor a closed terminal's SIGHUP gets to them. The parent stops them (`stop_workers`) when it is
    stopped itself.
    """
    _out_of_reach(_exit_worker)
    worker_logging(queue, level)
    multiprocessing.util.Finalize(None, close_worker, exitpriority=10)  # when the worker ends
    multiprocessing.util.Finalize(None, _skip_teardown, exitpriority=-100)  # last: once the logs are sent


def _skip_teardown() -> None:
    """Ends a worker at once when its work is done, its kernel and browser closed and its logs sent.

    Python would then tear down what the worker imported (nbconvert, playwright, the data libraries), about
    a quarter of a second that the build waits for at its end; nothing of it is needed.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def _out_of_reach(on_sigterm: Callable | int) -> None:
    """Puts this process out of the terminal's reach (a session of its own), ending with the build.

    Args:
        on_sigterm: What SIGTERM does: a handler, or `signal.SIG_DFL` to end at once.
    """
    os.setsid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, on_sigterm)
    _end_with_parent()


def _end_with_parent() -> None:
    """Has Linux send this worker SIGTERM when the build that started it dies, even by SIGKILL."""
    prctl = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None)
    if prctl is None or prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        log.debug("this worker cannot be told to end with its parent")
        return
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:  # the parent died before the call
        os.kill(os.getpid(), signal.SIGTERM)


def _exit_worker(signum: int, frame: object) -> None:
    """Ends a worker on SIGTERM: SystemExit unwinds its run (kernel, browser, temporary folders).

    The pool catches an exception raised inside a task and waits for more work, which a parent that died
    never sends: a timer then ends the process after WORKER_GRACE seconds. A worker already closing its
    kernel and browser (at its normal end, when the parent is killed while it waits for it) is not
    unwound: it finishes closing and ends, or the timer ends it; one closing its idle kernel alone
    (`close_idle_kernel`) finishes that close, then stops. From here on the browser's driver is not
    heard: a command the stop cut short is answered late, and the driver would log the answer it can no
    longer match (with a traceback) on the build's terminal.
    """
    global _worker_stop
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    logging.getLogger("playwright").setLevel(logging.CRITICAL + 1)
    timer = threading.Timer(WORKER_GRACE, _end_now, (128 + signum,))
    timer.daemon = True
    timer.start()
    if not (_worker_closing or multiprocessing.util.is_exiting()):  # its end would skip `close_worker`
        raise SystemExit(128 + signum)
    _worker_stop = 128 + signum


def _end_now(code: int) -> NoReturn:
    """Ends a worker whose grace time ran out, its kernel's process and files removed first.

    Its run may have caught the SystemExit (the pool does while it sends a result) and waited for work, or
    its close may not have finished: what the kernel would leave behind goes before the process does.
    """
    kernel = _worker_kernel
    if kernel is not None:
        kernel.abandon()
    os._exit(code)


def end_worker(stop: SystemExit, *closers: Callable[[], None]) -> NoReturn:
    """Ends a worker whose task a stop unwound (`_exit_worker`): its browser and kernel closed, then exit.

    The pool would catch the SystemExit as the task's outcome and hand the worker its next task, which a
    build killed with SIGKILL queued before it died: the worker would start another kernel and browser for
    nobody. It closes what it holds and exits at once instead.

    Args:
        stop: The SystemExit raised by `_exit_worker`, carrying the exit code.
        closers: What to close first (the worker's browser, its kernel).
    """
    for close in closers:
        with contextlib.suppress(Exception):
            close()
    os._exit(stop.code if isinstance(stop.code, int) else 1)


def stop_workers(*pools: ProcessPoolExecutor, timeout: float = 2 * WORKER_GRACE) -> None:
    """Stops pools' workers now: pending work cancelled, SIGTERM to each, SIGKILL to what outlives it.

    A worker ends on SIGTERM by closing its kernel and its browser; a worker still alive after `timeout`
    seconds is killed with its process group (its browser driver).

    Args:
        pools: The pools, whose workers run in their own sessions (`start_worker`).
        timeout: Seconds every worker together gets to end.
    """
    processes = [process for pool in pools for process in (pool._processes or {}).values()]
    for pool in pools:
        pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for process in processes:
        process.join(max(0, deadline - time.monotonic()))
        if process.exitcode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.join()


def forward_logs() -> logging.Handler:
    """A handler passing worker processes' log records on to this process's loggers."""
    return _Forward()


class _Forward(logging.Handler):
    """Hands a worker's log record to the logger of the same name in this process."""

    def emit(self, record: logging.LogRecord) -> None:
        logging.getLogger(record.name).handle(record)


def worker_logging(queue: multiprocessing.Queue, level: int) -> None:
    """Sends a worker's log records to the parent: parindex's at the parent's level, others' from warnings."""
    root = logging.getLogger()
    root.handlers[:] = [QueueHandler(queue)]
    root.setLevel(max(level, logging.WARNING))
    logging.getLogger("parindex").setLevel(level)
