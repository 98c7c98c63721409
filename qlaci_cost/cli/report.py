"""The `qlaci-cost report` subcommand: the full report into one folder."""

import argparse
import sys

from qlaci_cost.cli.args import (
    CLIError,
    add_convention_args,
    add_head_scenario_args,
    add_models_arg,
    add_sizes_arg,
    formats_from_args,
    models_from_args,
    scenario_from_args,
    sizes_from_args,
)

__all__ = ["add_parser", "cached_run", "run"]

_EPILOG = """\
writes OUT/index.md (the answer first, then verdicts, tables and figures) with the tables as
CSV (plain, header first; notes in TABLE.notes.md), LaTeX and JSON, the figures under
OUT/figures/ and a manifest OUT/.qlaci-cost-report.json listing every file written and its
SHA-256 and the scenario (every option that sets a number: word and component bits,
readout, conventions, physical model, error-budget scope, classical machine; stated once in
index.md). The files are built in a temporary folder beside OUT and moved in only when every
stage succeeded, so a failure leaves an existing report as it was. The same inputs give
byte-identical files.

what OUT may be (nothing a user wrote is ever deleted or overwritten):
  new or empty           the report is written there
  a report of ours       only the files its manifest lists are replaced (or removed when this
                         run does not write them), each keeping its mode; your own files
                         beside them are kept
  anything else          refused before any work, exit 2: a non-empty folder without the
                         manifest (a report of an earlier version included: without the
                         manifest's hashes your edits cannot be told apart), a file of ours
                         you edited since, a file of yours with the name of one of ours, '-'
                         (a folder cannot be stdout), '' or a symlink to nothing: move it
                         away (or fix the path) and run again

examples:
  qlaci-cost report
  qlaci-cost report --out /tmp/report --n 2^4..2^30 --formats png,svg
  qlaci-cost report --out /tmp/report-job --budget-scope job --precision rel:0.1
"""


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "report",
        help="the full report: tables, figures, crossover, claim verdicts (into reports/)",
        description="Compute every table, figure and verdict and write them into one folder.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--out", default="reports", help="output folder (default reports/)")
    add_sizes_arg(p, "2^4..2^40", "grid of sizes N")
    add_models_arg(p, "--models")
    add_head_scenario_args(p)
    p.add_argument(
        "--formats", default="png,pdf", help="figure formats: png, pdf, svg (default png,pdf)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar (and no progress lines)")
    add_convention_args(p)
    p.set_defaults(run=cached_run)
    return p


def cached_run(args: argparse.Namespace) -> int:
    """`run(args)`, or the report the same command wrote before on this code, from the disk
    cache (`cli.report_cache`)."""
    from qlaci_cost.cli.report_cache import run_cached

    progress = getattr(args, "progress", None)
    if args.quiet and progress is not None:
        progress.silence()  # before the imports: they alone can outlast the heartbeat's 5 s
    return run_cached(args, run)


def run(args: argparse.Namespace) -> int:
    sizes = sizes_from_args(args)
    models = models_from_args(args)
    formats = formats_from_args(args)
    scenario = scenario_from_args(args)
    from qlaci_cost.output.report import ReportError, write_report  # after the checks: heavy

    progress = getattr(args, "progress", None)  # cli.main's heartbeat, drawn as stages
    if args.quiet and progress is not None:
        progress.silence()
    try:
        timings = write_report(
            args.out,
            sizes,
            models,
            scenario,
            formats,
            progress=None if args.quiet else (progress or sys.stderr),
            command=getattr(args, "argv", None),
        )
    except ReportError as err:
        raise CLIError(str(err)) from None
    total = sum(timings.values())
    print(f"report written to {args.out}/index.md ({total:.1f} s)")
    return 0
