"""Batch: many small notebooks (province profiles) through a few warm kernels and browsers, in parallel."""

from __future__ import annotations

import json
import logging
import multiprocessing
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from logging.handlers import QueueListener
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from papermill.parameterize import parameterize_notebook
from traitlets.config import Config

from parindex.build import (
    DEMONSTRATION_NOTICE,
    PROFILES,
    Report,
    YearResult,
    forward_logs,
    replace_folder,
    worker_logging,
    write_index,
)
from parindex.errors import InputError, ParindexError
from parindex.export import Printer, export_html
from parindex.ingest import load_year
from parindex.params import load_params
from parindex.run import KERNEL, check_kernel, check_parameters

log = logging.getLogger(__name__)

PROFILE_NOTEBOOK = "notebooks/province_profile.ipynb"


@dataclass(frozen=True)
class Job:
    """The profiles one worker makes: which units of which year, into which folder."""

    notebook: Path
    params_file: Path
    codes: tuple[str, ...]
    folder: Path
    label: str
    header: str
    publisher: str


def build_profiles(
    years: list[int] | None, params_dir: Path, output_dir: Path, jobs: int = 1
) -> list[YearResult]:
    """Builds the profile of every province of each year into output/<year>/profiles/, with an index page.

    Each worker process starts one kernel and one browser and makes its share of the profiles with them: the
    imports and the loaded data stay warm in the kernel from one profile to the next. Every profile of a year
    is written into a temporary folder, which replaces output/<year>/profiles/ only when all succeeded.

    Args:
        years: The years; None for every params/<year>.yaml.
        params_dir: The folder of the params files.
        output_dir: The output folder.
        jobs: Worker processes, each with its own kernel and browser.

    Returns:
        One result per year.
    """
    files = (
        [Path(params_dir) / f"{y}.yaml" for y in sorted(set(years))]
        if years
        else sorted(p for p in Path(params_dir).glob("*.yaml") if p.stem.isdigit())
    )
    reports, problems = [], []
    for file in files:
        try:
            params = load_params(file)
            data = load_year(params)
            report = Report(params)
            notebook = params.path(PROFILE_NOTEBOOK)
            check_parameters(notebook, _parameters(params.file, "", Path()))
            codes = tuple(data.scores[data.scores.unit_type == "province"].code)
            reports.append((report, notebook, codes))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    check_kernel()
    output_dir = Path(output_dir).resolve()
    results = [_build_year(report, notebook, codes, output_dir, jobs) for report, notebook, codes in reports]
    write_index(output_dir, reports[0][0].params.index.name)
    return results


def _build_year(
    report: Report, notebook: Path, codes: tuple[str, ...], output_dir: Path, jobs: int
) -> YearResult:
    started = time.monotonic()
    year_dir = output_dir / str(report.year)
    year_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".tmp-{PROFILES}-", dir=year_dir))
    jobs = max(1, min(jobs, len(codes)))
    shares = [codes[i::jobs] for i in range(jobs)]
    params = report.params
    work = [
        Job(
            notebook,
            Path(params.file),
            share,
            folder,
            f"{report.label} profiles",
            report.label,
            params.index.publisher,
        )
        for share in shares
    ]
    failures: dict[str, str] = {}
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    listener = QueueListener(queue, forward_logs())
    listener.start()
    level = logging.getLogger("parindex").getEffectiveLevel()
    try:
        with ProcessPoolExecutor(
            jobs, mp_context=context, initializer=worker_logging, initargs=(queue, level)
        ) as pool:
            for done in pool.map(_work, work):
                failures.update(done)
    finally:
        listener.stop()
    seconds = time.monotonic() - started
    target = year_dir / PROFILES
    if failures:
        failed = year_dir / f"{PROFILES}.failed"
        shutil.rmtree(failed, ignore_errors=True)
        folder.rename(failed)
        message = f"{report.year}: {len(failures)} profile(s) failed, kept in {failed}: " + "; ".join(
            f"{code}: {why}" for code, why in sorted(failures.items())
        )
        log.error("%s", message)
        return YearResult(report.year, "failed", seconds, failed, (), message)
    _write_index(report, folder)
    replace_folder(folder, target)
    shutil.rmtree(year_dir / f"{PROFILES}.failed", ignore_errors=True)
    outputs = tuple(sorted(p.name for p in target.iterdir() if p.suffix in (".html", ".pdf")))
    log.info("%s: %d profiles in %.1f s into %s", report.label, len(codes), seconds, target)
    return YearResult(report.year, "built", seconds, target, (f"{PROFILES}/ ({len(outputs)} files)",))


def _parameters(params_file: Path, code: str, folder: Path) -> dict[str, str]:
    return {"params_file": str(params_file), "unit_code": code, "output_dir": str(folder)}


def _work(job: Job) -> dict[str, str]:
    """Runs one worker's profiles in one warm kernel and one browser; the failures by unit code."""
    failures: dict[str, str] = {}
    template = nbformat.read(job.notebook, as_version=4)
    kernel, kernel_client = None, None
    with tempfile.TemporaryDirectory(prefix="parindex-kernel-") as sockets, Printer() as printer:
        config = Config({"KernelManager": {"transport": "ipc", "ip": str(Path(sockets) / "k")}})
        for position, code in enumerate(job.codes, start=1):
            stem = f"profile_{code}"
            unit_dir = job.folder / stem
            unit_dir.mkdir(parents=True, exist_ok=True)
            nb = parameterize_notebook(
                nbformat.from_dict(template), _parameters(job.params_file, code, unit_dir), kernel_name=KERNEL
            )
            client = NotebookClient(
                nb,
                km=kernel,
                kernel_name=KERNEL,
                config=config,
                resources={"metadata": {"path": str(job.notebook.parent)}},
            )
            if kernel is not None:
                client.kc = kernel_client
            try:
                client.execute(cleanup_kc=False)
            except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
                failures[code] = str(error).strip().splitlines()[-1]
                nbformat.write(nb, job.folder / f"{stem}.ipynb")
                if isinstance(error, DeadKernelError):
                    kernel = None
                continue
            finally:
                if kernel is None and client.km is not None and client.km.has_kernel:
                    kernel, kernel_client = client.km, client.kc
            notebook_file = job.folder / f"{stem}.ipynb"
            nbformat.write(nb, notebook_file)
            try:
                summary = json.loads((unit_dir / "summary.json").read_text(encoding="utf-8"))
                title = f"{job.header}: {summary.get('name', code)}"
                page = export_html(notebook_file, job.folder / f"{stem}.html", title)
                notice = DEMONSTRATION_NOTICE if summary.get("demonstration") else ""
                printer.print_pdf(
                    page, job.folder / f"{stem}.pdf", title, title, job.publisher, notice=notice
                )
            except (ParindexError, OSError, ValueError) as error:
                failures[code] = str(error)
                continue
            log.info("%s: %d/%d %s", job.label, position, len(job.codes), summary.get("name", code))
        if kernel is not None:
            kernel_client.stop_channels()
            kernel.shutdown_kernel(now=True)
    return failures


def _write_index(report: Report, folder: Path) -> None:
    """Writes profiles/index.html: a sortable table of every profile, with links."""
    from parindex.profile import index_page

    rows = []
    for summary_file in sorted(folder.glob("profile_*/summary.json")):
        summary = json.loads(summary_file.read_text(encoding="utf-8"))
        stem = summary_file.parent.name
        rows.append({**summary, "html": f"{stem}.html", "pdf": f"{stem}.pdf"})
    page = index_page(rows, f"{report.label}: province profiles")
    (folder / "index.html").write_text(page, encoding="utf-8")
