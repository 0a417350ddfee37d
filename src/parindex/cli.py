"""Command line: parse arguments, delegate to the package, turn errors into messages and exit codes."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from parindex import demo, ingest
from parindex.errors import InputError, ParindexError
from parindex.params import load_params


def _validate(args: argparse.Namespace) -> int:
    """Validates one file, or every input of a year; prints one line per file."""
    params = load_params(args.params)
    if args.file is not None:
        loaded = [ingest.check_file(params, args.file, args.unit_type, args.sheet)]
    else:
        loaded = ingest.check_year(params)
    for result in loaded:
        sys.stdout.write(result.summary(params.index.decimals) + "\n")
    return 0


def _demo(args: argparse.Namespace) -> int:
    """Regenerates the demonstration panel from params/ and data/published/."""
    outputs = demo.generate(sorted(args.params_dir.glob("*.yaml")))
    demo.write(outputs)
    for path in sorted(outputs):
        sys.stdout.write(f"wrote {path}\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parindex", description="Yearly PAR INDEX and SIPAS reports.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what is read and done")
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
        "--params", required=True, type=Path, help="the year's params, e.g. params/2020.yaml"
    )
    validate.add_argument(
        "--unit-type",
        choices=("province", "ministry", "column"),
        help="what FILE holds (default: as in params for the same path, else province)",
    )
    validate.add_argument("--sheet", help="the sheet of an XLSX FILE (default: as in params, else the first)")
    validate.set_defaults(func=_validate)

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
        The exit code: 0 on success, 2 for bad input, 1 for a failed build or a bug.
    """
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s"
    )
    try:
        return args.func(args)
    except InputError as error:
        sys.stderr.write(error.render() + "\n")
        return error.exit_code
    except ParindexError as error:
        sys.stderr.write(f"parindex: {error}\n")
        return error.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("parindex: interrupted\n")
        return 130
    except Exception as error:  # noqa: BLE001 - anything else is a bug: a short message, never a traceback
        sys.stderr.write(
            f"parindex: internal error ({type(error).__name__}: {error}); please report it with the command "
            "you ran\n"
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
