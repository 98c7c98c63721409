"""The `qlaci-cost` parser, the subcommand registry, the error mapping and `main`.

A subcommand is one module under `qlaci_cost/cli/` defining `add_parser(subparsers)` (adds
its subparser and sets `run`, a function `run(args) -> int`) and one line in `COMMANDS`.
Bad input anywhere (`CLIError`, and the library's `InputError` and its subclasses, which name the
value and the rule) prints one line `qlaci-cost: error: ...` on stderr with exit status 2, no
traceback and no output file. Every subcommand runs inside a progress heartbeat on stderr
(`args.progress`, a `core.progress.Progress`).
"""

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from qlaci_cost.cli.args import PROG, CLIError

__all__ = ["COMMANDS", "build_parser", "main", "register"]

#: Subcommand modules (each defines `add_parser(subparsers)`), in help order. A new
#: subcommand is its module plus one line here. Entries may also be `add_parser` functions.
COMMANDS: list[str | Callable] = [
    "qlaci_cost.cli.qram",
    "qlaci_cost.cli.verify",
    "qlaci_cost.cli.qlaci",
    "qlaci_cost.cli.qlam",
    "qlaci_cost.cli.table",
    "qlaci_cost.cli.estimate",
    "qlaci_cost.cli.train",
    "qlaci_cost.cli.plot",
    "qlaci_cost.cli.report",
    "qlaci_cost.cli.breakeven",
    "qlaci_cost.cli.export",
    "qlaci_cost.cli.explore",
    "qlaci_cost.cli.draw",
]


def register(command: str | Callable) -> str | Callable:
    """Add a subcommand: a module name or an `add_parser(subparsers)` function (usable as a
    decorator)."""
    if command not in COMMANDS:
        COMMANDS.append(command)
    return command


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors as one line (and `--help` as the way to more)."""

    def error(self, message: str) -> NoReturn:
        if "required: COMMAND" in message:
            names = ", ".join(getattr(self, "command_names", ()))
            message = f"a command is required: choose from {names}"
        raise CLIError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description=(
            "Fault-tolerant resource estimates for QRAM models and quantum long-sequence "
            "attention. Every number is printed with its counting conventions."
        ),
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        add_parser = (
            importlib.import_module(command).add_parser if isinstance(command, str) else command
        )
        add_parser(subparsers)
    parser.command_names = list(subparsers.choices)
    return parser


def _error(message: str) -> int:
    line = " ".join(part.strip() for part in str(message).splitlines())  # values keep spaces
    sys.stderr.write(f"{PROG}: error: {line}\n")
    sys.stderr.flush()
    return 2


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _run(args: argparse.Namespace) -> int:
    """The subcommand inside a `Progress` heartbeat on stderr (`args.progress`): a command that
    runs longer than `core.progress.PROGRESS_SECONDS` says what it is doing."""
    from qlaci_cost.core.progress import Progress

    with Progress(sys.stderr, label=f"{PROG} {args.command}") as progress:
        args.progress = progress
        return int(args.run(args) or 0)


def main(argv: Sequence[str] | None = None) -> int:
    """Run `qlaci-cost` with `argv` (default `sys.argv[1:]`); returns the exit status."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        args.argv = [PROG, *(sys.argv[1:] if argv is None else argv)]  # for provenance
        return _run(args)
    except SystemExit as exit_:  # --help
        return exit_.code if isinstance(exit_.code, int) else 0
    except ValueError as err:
        # CLIError, GridError, QRAMSizeError, UnknownModelError, Conventions' checks and the
        # other input checks of the library; each message names the value and the rule.
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
