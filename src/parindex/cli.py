"""Command line: parse arguments, delegate to the package, turn errors into messages and exit codes."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Sequence
from multiprocessing import resource_tracker
from pathlib import Path
from typing import TextIO

from parindex.data.params import load_params, year_files
from parindex.errors import FileSystemError, InputError, ParindexError, Problem, Stopped, printable


def _say(stream: TextIO, text: str) -> None:
    """Writes text to the terminal without the control characters or escape sequences it may carry.

    Args:
        stream: sys.stdout or sys.stderr.
        text: The message, which may quote unit names, cells, headers, file and sheet names.
    """
    stream.write(printable(text))


class _PrintableFormatter(logging.Formatter):
    """Formats log lines for the terminal without the control characters or escape sequences they may carry.

    Progress lines quote the index's name and the units' names, which come from params and registers.
    """

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


def _validate(args: argparse.Namespace) -> int:
    """Validates one file, every input of a year, or every year in params/; prints one line per file."""
    if args.params is None and args.file is not None:
        raise InputError([Problem(str(args.file), "which year is it?", "add --params params/<year>.yaml")])
    from parindex.data import ingest  # imported here: a build with nothing to do never loads the checks

    files = [args.params] if args.params else year_files(args.params_dir)
    problems = []
    for file in files:
        try:
            params = load_params(file)
            if args.file is not None:
                loaded = [ingest.check_file(params, args.file, args.unit_type, args.sheet, args.provenance)]
            else:
                loaded = ingest.check_year(params)
        except InputError as error:
            problems.extend(error.problems)
            continue
        for result in loaded:
            _say(sys.stdout, result.summary(params.index.decimals) + "\n")
    if problems:
        raise InputError(problems)
    return 0


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _stop(signum: int, frame: object) -> None:
    """Ends a build on SIGINT, SIGTERM or SIGHUP: later signals are ignored while it cleans up."""
    for number in _STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)
    raise Stopped(signum)


def _catch_stop_signals() -> dict[int, object]:
    """Makes SIGINT, SIGTERM and SIGHUP raise Stopped, except a signal ignored before we started.

    Under `nohup` SIGHUP is ignored: it stays ignored, so that the build survives a closed terminal.
    multiprocessing's resource tracker, which shares our process group, is started first with SIGHUP
    ignored (it ignores SIGINT and SIGTERM itself), so that a hang-up stops the build through our
    handler, not by killing the tracker under it.

    Returns:
        The handlers replaced, by signal, for putting back.
    """
    hangup = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        resource_tracker.ensure_running()
    finally:
        signal.signal(signal.SIGHUP, hangup)
    previous = {number: signal.getsignal(number) for number in _STOP_SIGNALS}
    for number, handler in previous.items():
        if handler != signal.SIG_IGN:
            signal.signal(number, _stop)
    return previous


def _build(args: argparse.Namespace) -> int:
    """Builds the reports of the chosen years; exit 1 when any year failed."""
    previous = _catch_stop_signals()
    stopped = False
    try:
        from parindex.pipeline import build  # imported here: it loads the params model and the catalogs

        if args.profiles:
            from parindex.pipeline import batch

            results = batch.build_profiles(
                args.year or None,
                args.params_dir,
                args.output_dir,
                jobs=args.jobs,
                units=args.unit,
                languages=_languages(args.lang),
                wait=args.wait,
                peers=_peers(args.peers),
                progress=sys.stderr,
                force=args.force,
            )
        else:
            if args.peers is not None:
                message = "a peer group applies to the profiles only"
                raise InputError([Problem("--peers", message, "add --profiles, or leave --peers out")])
            results = build.build(
                args.year or None,
                args.params_dir,
                args.output_dir,
                args.jobs,
                args.trends,
                languages=_languages(args.lang),
                wait=args.wait,
                progress=sys.stderr,
                force=args.force,
            )
    except Stopped:
        stopped = True  # signals stay ignored until the process exits, so the message is not cut short
        raise
    finally:
        if not stopped:
            for number, handler in previous.items():
                signal.signal(number, handler)
    _say(sys.stdout, build.results_table(results) + "\n")
    failed = [r for r in results if r.status == "failed"]
    for result in failed:
        _say(sys.stderr, result.message + "\n")
    return 1 if failed else 0


def _languages(codes: list[str] | None) -> tuple[str, ...]:
    """The languages asked for with --lang, each checked against the catalogs; () for the params'."""
    from parindex.i18n import lang

    return tuple(dict.fromkeys(lang(code).code for code in codes or ()))


def _peers(text: str | None) -> tuple[str, ...]:
    """The codes of --peers ("01,31, 48"), once each; () when the option is not given.

    Raises:
        InputError: The option is given without a code.
    """
    if text is None:
        return ()
    codes = tuple(dict.fromkeys(code.strip() for code in text.split(",") if code.strip()))
    if not codes:
        fix = "give the codes of the units, e.g. --peers 01,31,48"
        raise InputError([Problem("--peers", "no unit code given", fix)])
    return codes


def _prepare(args: argparse.Namespace) -> int:
    """Writes a notebook with one build's parameters injected, outside output/."""
    from parindex.pipeline import build

    if args.peers is not None and args.profile is None:
        message = "a peer group applies to a profile only"
        raise InputError([Problem("--peers", message, "add --profile CODE, or leave --peers out")])
    notebook = build.prepare(
        args.params_dir / f"{args.year}.yaml", args.work_dir, args.profile, _peers(args.peers)
    )
    _say(sys.stdout, f"wrote {notebook}\nopen it with: make lab (or .venv/bin/jupyter lab {notebook})\n")
    return 0


def _export(args: argparse.Namespace) -> int:
    """Exports a notebook of one's own as the HTML and PDF a build makes, running it first if needed."""
    from parindex.pipeline import publish

    written = publish.export_notebook(args.notebook, args.output_dir, _languages(args.lang), args.force)
    for path in written:
        _say(sys.stdout, f"wrote {path}\n")
    return 0


def _demo(args: argparse.Namespace) -> int:
    """Regenerates the demonstration panel from params/ and data/published/."""
    from parindex.data import demo

    outputs = demo.generate(sorted(args.params_dir.glob("*.yaml")))
    demo.write(outputs)
    for path in sorted(outputs):
        _say(sys.stdout, f"wrote {path}\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parindex", description="Yearly PAR INDEX and SIPAS reports.")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log what is read and done (a build: each cell run)"
    )
    commands = parser.add_subparsers(title="commands", dest="command", required=True)

    validate = commands.add_parser(
        "validate",
        help="check a year's input files, or one file, and list every problem",
        description="Check input files; exit 0 when valid, 2 with every problem listed when not.",
    )
    validate.add_argument(
        "file", nargs="?", type=Path, help="one file to check (default: every input of the year)"
    )
    validate.add_argument(
        "--params", type=Path, help="the year's params, e.g. params/2020.yaml (default: every year)"
    )
    validate.add_argument("--params-dir", type=Path, default=Path("params"), help="folder of params files")
    validate.add_argument(
        "--unit-type",
        help="what FILE holds: a unit type of the params (e.g. province, ministry), or column when a column "
        "says (default: as in params for the same path, else the params' first unit type)",
    )
    validate.add_argument("--sheet", help="the sheet of an XLSX FILE (default: as in params, else the first)")
    validate.add_argument(
        "--provenance",
        choices=("published", "simulated"),
        help="what FILE's values are when it has no provenance column (default: as in params for the same "
        "path, else it must have one)",
    )
    validate.set_defaults(func=_validate)

    make = commands.add_parser(
        "build",
        help="build the yearly reports (notebook, HTML, PDF) of every year in params/, or of --year",
        description="Run each year's report notebook and export it to self-contained HTML and an A4 PDF.",
    )
    make.add_argument("--year", type=int, action="append", help="a year to build (repeatable; default: all)")
    make.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks run at once")
    make.add_argument(
        "--profiles",
        action="store_true",
        help="build the profiles of the main units (e.g. provinces) of the years instead of the reports",
    )
    make.add_argument("--unit", action="append", help="with --profiles: one unit's code (repeatable)")
    make.add_argument(
        "--peers",
        metavar="CODES",
        help="with --profiles: the peer group every profile built is compared with, as unit codes, "
        "comma-separated (e.g. 01,31,48,79,92); each unit is added to the group when the list leaves it "
        "out (default: its group in the params' peers, else its socio-economic region)",
    )
    make.add_argument(
        "--trends",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="build the trends report across the years (default: when every year is built)",
    )
    make.add_argument(
        "--lang",
        action="append",
        metavar="CODE",
        help="publish in this language only, e.g. vi or en (repeatable, main first; default: the params' "
        "languages)",
    )
    make.add_argument("--params-dir", type=Path, default=Path("params"), help="folder of params files")
    make.add_argument("--output-dir", type=Path, default=Path("output"), help="folder the reports go to")
    make.add_argument(
        "--no-wait",
        dest="wait",
        action="store_false",
        help="exit at once (code 2) when another build is using the output folder, instead of waiting",
    )
    make.add_argument(
        "--force",
        action="store_true",
        help="build every report asked for, also those up to date (made from the same files and options)",
    )
    make.set_defaults(func=_build, progress=True)

    prepare = commands.add_parser(
        "prepare",
        help="write a notebook with one build's parameters injected, to tweak in JupyterLab",
        description="Write work/<year>/<slug>_<year>.ipynb: the report notebook with that year's parameters.",
    )
    prepare.add_argument("--year", type=int, required=True, help="the year")
    prepare.add_argument("--profile", metavar="CODE", help="a unit's code: its profile notebook instead")
    prepare.add_argument(
        "--peers",
        metavar="CODES",
        help="with --profile: the peer group's codes, comma-separated, as for build --profiles --peers",
    )
    prepare.add_argument("--params-dir", type=Path, default=Path("params"), help="folder of params files")
    prepare.add_argument("--work-dir", type=Path, default=Path("work"), help="folder for prepared notebooks")
    prepare.set_defaults(func=_prepare)

    export = commands.add_parser(
        "export",
        help="export a notebook (from prepare, or a copy of a template) as the report's HTML and PDF",
        description="Run NOTEBOOK if it has not been run, then write its HTML and PDF in each language, as a "
        "build does, into --output-dir.",
    )
    export.add_argument("notebook", type=Path, help="the notebook, e.g. work/2020/par_index_2020.ipynb")
    export.add_argument(
        "--output-dir", type=Path, default=Path("exported"), help="folder to write into (default: exported)"
    )
    export.add_argument(
        "--lang", action="append", metavar="CODE", help="export this language only (repeatable; default: all)"
    )
    export.add_argument(
        "--force", action="store_true", help="write into a build's output folder all the same"
    )
    export.set_defaults(func=_export)

    make_demo = commands.add_parser(
        "demo",
        help="regenerate the demonstration panel (data/demo) from params and the published facts",
        description="Regenerate data/demo: published values kept, the rest simulated with a fixed seed.",
    )
    make_demo.add_argument("--params-dir", type=Path, default=Path("params"), help="folder of params files")
    make_demo.set_defaults(func=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the parindex command line.

    Args:
        argv: The arguments after the program name; sys.argv[1:] by default.

    Returns:
        The exit code: 0 on success, 2 for bad input or an output folder in use, 1 for a failed build or a
        bug, 128 plus the signal's number for a build stopped by SIGINT, SIGTERM or SIGHUP (130, 143, 129).
    """
    args = _parser().parse_args(argv)
    handler = logging.StreamHandler()
    handler.setFormatter(_PrintableFormatter("%(message)s"))
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, handlers=[handler])
    try:
        return args.func(args)
    except InputError as error:
        _say(sys.stderr, error.render() + "\n")
        return error.exit_code
    except ParindexError as error:
        _say(sys.stderr, f"parindex: {error}\n")
        return error.exit_code
    except Stopped as stop:
        name = signal.Signals(stop.signal).name
        _say(sys.stderr, f"parindex: stopped by {name}: {stop.kept or 'nothing was changed'}\n")
        return stop.exit_code
    except OSError as error:  # a folder that cannot be written, a full disk: the system's reason, no bug
        _say(sys.stderr, f"parindex: {FileSystemError(error)}\n")
        return FileSystemError.exit_code
    except KeyboardInterrupt:
        _say(sys.stderr, "parindex: interrupted\n")
        return 130
    except Exception as error:  # noqa: BLE001 - anything else is a bug: a short message, never a traceback
        _say(
            sys.stderr,
            f"parindex: internal error ({type(error).__name__}: {error}); please report it with the command "
            "you ran\n",
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
