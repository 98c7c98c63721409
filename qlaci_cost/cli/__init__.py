"""The `qlaci-cost` command line: one subcommand per analysis.

Subcommands register through `COMMANDS`: each entry is a function `add_parser(subparsers)` that
adds one subparser and sets its `run` default to a function `run(args) -> int`. Modules listed in
`COMMAND_MODULES` are imported when the parser is built and must define `add_parser`; a new
subcommand adds its module there (or calls `register`). The functions `add_output_args`,
`add_convention_args`, `conventions_from_args`, `checked_out_path` and `write_output` give every
subcommand the same options and the same bad-input behaviour: one line
`qlaci-cost: error: ...` on stderr naming the bad value and what is allowed, exit status 2, no
traceback, no output file.
"""

import argparse
import importlib
import math
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from qlaci_cost.core.conventions import ROTATION_MODELS, Conventions
from qlaci_cost.core.grids import parse_names, parse_sizes
from qlaci_cost.output.tables import FORMATS
from qlaci_cost.qram import MODELS

__all__ = [
    "COMMANDS",
    "COMMAND_MODULES",
    "CLIError",
    "add_convention_args",
    "add_output_args",
    "checked_out_path",
    "conventions_from_args",
    "main",
    "parse_bits",
    "register",
    "write_output",
]

PROG = "qlaci-cost"
CHECKS = ("classical", "superposition", "counts")
#: Largest N `verify` simulates (classical simulation visits every address).
MAX_VERIFY_N = 2**12


class CLIError(Exception):
    """Bad input: printed as one line `qlaci-cost: error: <message>`, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors as one line (and `--help` as the way to more)."""

    def error(self, message: str) -> NoReturn:
        if "required: COMMAND" in message:
            names = ", ".join(getattr(self, "command_names", ()))
            message = f"a command is required: choose from {names}"
        raise CLIError(f"{message} (see '{self.prog} --help')")


# --- shared options ---------------------------------------------------------------------------


def add_qram_models_arg(parser: argparse.ArgumentParser) -> None:
    """`--qram` (alias `--models`): a comma list of QRAM model names, default all."""
    from qlaci_cost.qram import MODELS

    parser.add_argument(
        "--qram",
        "--models",
        dest="qram",
        metavar="NAMES",
        default="all",
        help=f"comma list of QRAM models (default all): {', '.join(MODELS)}",
    )


def add_output_args(parser: argparse.ArgumentParser, default_format: str = "md") -> None:
    """`--format` and `--out`."""
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=default_format,
        help=(
            f"output format (default {default_format}). Every format carries the conventions "
            "and notes: csv puts them on lines starting with '# ' before the header row (read "
            "with pandas.read_csv(path, comment='#')); md after the table; latex as %% "
            "comments before the tabular; json under the keys 'conventions' and 'notes'"
        ),
    )
    parser.add_argument(
        "--out",
        metavar="FILE",
        help="write to FILE instead of stdout (written only when everything succeeded)",
    )


def add_convention_args(parser: argparse.ArgumentParser) -> None:
    """`--t-per-toffoli`, `--rotation-model` and `--eps`."""
    parser.add_argument(
        "--t-per-toffoli",
        type=int,
        choices=(4, 7),
        default=4,
        help="T gates per Toffoli-class gate: 4 (Jones, default) or 7 (Selinger)",
    )
    parser.add_argument(
        "--rotation-model",
        choices=tuple(ROTATION_MODELS),
        default="mixed-fallback",
        help="rotation synthesis model (default mixed-fallback)",
    )
    parser.add_argument(
        "--eps",
        default="1e-6",
        help="rotation synthesis precision, a number in (0, 1) (default 1e-6)",
    )


def conventions_from_args(args: argparse.Namespace) -> Conventions:
    """The `Conventions` of `add_convention_args` options (CLIError on a bad --eps)."""
    try:
        eps = float(args.eps)
    except ValueError:
        eps = math.nan
    if not (0 < eps < 1):
        raise CLIError(f"--eps: {args.eps!r} is not allowed: eps must be a number in (0, 1)")
    return Conventions.with_t_per_toffoli(
        args.t_per_toffoli, rotation_model=args.rotation_model, eps=eps
    )


def parse_bits(text: str, what: str = "--bits") -> int:
    """Bits per word: an integer >= 1."""
    stripped = str(text).strip()
    if not stripped.isdigit() or int(stripped) < 1:
        raise CLIError(f"{what}: {text!r} is not allowed: bits per word must be an integer >= 1")
    return int(stripped)


def checked_out_path(out: str | None) -> str | None:
    """`--out` checked before any work: not a directory, in an existing writable directory."""
    if out is None:
        return None
    if out == "" or os.path.isdir(out):
        raise CLIError(f"--out: {out!r} is a directory (or empty): give a file path")
    parent = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(parent):
        raise CLIError(f"--out: {out!r} is not allowed: directory {parent!r} does not exist")
    if not os.access(parent, os.W_OK) or (os.path.exists(out) and not os.access(out, os.W_OK)):
        raise CLIError(f"--out: {out!r} is not allowed: it is not writable")
    return out


def write_output(text: str, out: str | None) -> None:
    """`text` to stdout, or to `out` atomically (`output.files.atomic_write`: a temporary file
    in the same directory, then `os.replace`), so a failure never leaves a partial file."""
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from qlaci_cost.output.files import atomic_write

    atomic_write(out, text)


# --- qram -------------------------------------------------------------------------------------

_QRAM_EPILOG = """\
sizes: comma lists of integers (16), powers (2^20 or 2**20) and doubling ranges (2^4..2^20 =
2^4, 2^5, ..., 2^20); at most 1000 sizes. N that is not a power of two is padded to the next
power of two and the notes say so. Numbers are exact integers at any N (2^64, 2^200).

examples:
  qlaci-cost qram --n 16,1024,2^20 --bits 8 --format csv
  qlaci-cost qram --models bucket-brigade,qrom --n 2^4..2^40 --format json --out qram.json
  qlaci-cost qram --symbolic --format latex
"""


def add_qram_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "qram",
        help="compare the QRAM models: every metric over a grid of sizes",
        description=(
            "Qubits, Toffoli, T, Clifford, rotation and measurement counts and the three\n"
            "depths of one QRAM query (a load of b-bit words from N cells), for each model\n"
            "and size, from each model's closed forms (worst case over the data)."
        ),
        epilog=_QRAM_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--n",
        metavar="SIZES",
        help="numbers of cells N, e.g. 16,1024,2^20 or 2^4..2^40 (default 2^4..2^20)",
    )
    p.add_argument(
        "--bits",
        metavar="B",
        help="bits per word b >= 1 (default 8; with --symbolic, b stays a symbol unless given)",
    )
    p.add_argument(
        "--models",
        metavar="NAMES",
        default="all",
        help=f"comma list of models (default all): {', '.join(MODELS)}",
    )
    p.add_argument(
        "--symbolic",
        action="store_true",
        help="one row per model with the closed forms in N (and b) instead of numbers",
    )
    add_convention_args(p)
    add_output_args(p)
    p.set_defaults(run=run_qram)
    return p


def run_qram(args: argparse.Namespace) -> int:
    from qlaci_cost.output.tables import render
    from qlaci_cost.qram.table import COLUMNS, qram_rows

    models = parse_names(args.models, MODELS, "--models")
    if args.symbolic and args.n is not None:
        raise CLIError(f"--n {args.n!r} is not allowed with --symbolic (its rows are in N)")
    sizes = [] if args.symbolic else parse_sizes(args.n or "2^4..2^20", "--n")
    if args.bits is None:
        bits = None if args.symbolic else 8
    else:
        bits = parse_bits(args.bits)
    conventions = conventions_from_args(args)
    out = checked_out_path(args.out)
    table = qram_rows(models, sizes, bits, conventions, symbolic=args.symbolic)
    text = render(table.rows, COLUMNS, args.format, table.notes, conventions)
    write_output(text, out)
    return 0


# --- verify -----------------------------------------------------------------------------------


def add_verify_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "verify",
        help="check the QRAM models by simulation and count comparison at small N",
        description=(
            "Runs the verification checks on the same bloqs the tables use: classical "
            "simulation of every address through the leaf decomposition, Cirq state vectors "
            "with the address in superposition, and closed-form counts against the "
            "decomposition and the Cirq circuit. Prints one line per check as it runs and a "
            "summary; exit status 1 if any check failed."
        ),
    )
    p.add_argument(
        "--n",
        metavar="SIZES",
        default="2,4,8",
        help=f"numbers of cells (default 2,4,8; at most {MAX_VERIFY_N}; padded to powers of 2)",
    )
    p.add_argument("--bits", metavar="B", default="2", help="bits per word b >= 1 (default 2)")
    p.add_argument(
        "--models",
        metavar="NAMES",
        default="all",
        help=f"comma list of models (default all): {', '.join(MODELS)}",
    )
    p.add_argument(
        "--checks",
        metavar="NAMES",
        default="all",
        help=f"comma list of checks (default all): {', '.join(CHECKS)}",
    )
    p.set_defaults(run=run_verify)
    return p


def run_verify(args: argparse.Namespace) -> int:
    from qlaci_cost.qlaci import verify
    from qlaci_cost.qram.interface import pad_cells

    models = parse_names(args.models, MODELS, "--models")
    checks = parse_names(args.checks, CHECKS, "--checks")
    bits = parse_bits(args.bits)
    sizes: dict[int, None] = {}
    for n in parse_sizes(args.n, "--n"):
        if n > MAX_VERIFY_N:
            raise CLIError(
                f"--n: {n} is not allowed: verify simulates circuits, N must be <= {MAX_VERIFY_N}"
            )
        padded, note = pad_cells(n)
        if note:
            print(f"note: {note}", flush=True)
        sizes[padded] = None
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for result in verify.run_checks(models, list(sizes), bits, checks):
        print(result.line(), flush=True)
        key = "skipped" if result.skipped else ("passed" if result.ok else "failed")
        counts[key] += 1
    print(
        f"verify: {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['skipped']} skipped",
        flush=True,
    )
    return 1 if counts["failed"] else 0


# --- registry and entry point -----------------------------------------------------------------

#: Functions `add_parser(subparsers)`, one per subcommand, in help order.
COMMANDS: list[Callable] = [add_qram_parser, add_verify_parser]
#: Modules defining `add_parser(subparsers)` for further subcommands, imported lazily.
COMMAND_MODULES: tuple[str, ...] = (
    "qlaci_cost.cli.qlaci",
    "qlaci_cost.cli.analysis",
    "qlaci_cost.cli.report",
)


def register(add_parser: Callable) -> Callable:
    """Add a subcommand (usable as a decorator on its `add_parser` function)."""
    if add_parser not in COMMANDS:
        COMMANDS.append(add_parser)
    return add_parser


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description=(
            "Fault-tolerant resource estimates for QRAM models (and, as subcommands are added, "
            "quantum attention). Every number is printed with its counting conventions."
        ),
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    adders = list(COMMANDS)
    for module in COMMAND_MODULES:
        adders.append(importlib.import_module(module).add_parser)
    for add_parser in adders:
        add_parser(subparsers)
    parser.command_names = list(subparsers.choices)
    return parser


def _error(message: str) -> int:
    line = " ".join(str(message).split())
    sys.stderr.write(f"{PROG}: error: {line}\n")
    sys.stderr.flush()
    return 2


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run `qlaci-cost` with `argv` (default `sys.argv[1:]`); returns the exit status."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        return int(args.run(args) or 0)
    except SystemExit as exit_:  # --help
        return exit_.code if isinstance(exit_.code, int) else 0
    except (CLIError, ValueError) as err:
        # ValueError: GridError, QRAMSizeError, UnknownModelError, Conventions' checks and
        # the other input checks of the library; each message names the value and the rule.
        return _error(str(err))
    except BrokenPipeError:  # stdout closed early (`| head`): not an error
        _silence_stdout()
        return 0
    except OSError as err:
        where = f"{err.filename!r}: " if getattr(err, "filename", None) else ""
        return _error(f"{where}{err.strerror or err}")
    except ImportError as err:  # an installation problem, not bad input: status 1
        _error(f"cannot import {err.name or 'a module'}: {err}")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
