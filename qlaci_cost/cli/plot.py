"""The `qlaci-cost plot` subcommand: log-log figures of QRAM metrics, head totals, crossover."""

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence

from qlaci_cost.cli.args import (
    add_convention_args,
    add_head_scenario_args,
    add_models_arg,
    add_sizes_arg,
    checked_out_dir,
    models_from_args,
    scenario_from_args,
    sizes_from_args,
)
from qlaci_cost.core.progress import Progress

__all__ = ["HEAD_METRICS", "PLOTS", "add_parser", "run"]

#: Names the options accept, kept here so `--help` imports no library module (a test checks
#: they equal analysis.classical.BASELINES and output.plots.FORMATS).
BASELINES: tuple[str, ...] = ("softmax", "flash", "linear", "sliding-window", "ssm-scan")
PLOT_FORMATS: tuple[str, ...] = ("png", "pdf", "svg")

#: Head totals `plot --what head` draws.
HEAD_METRICS: tuple[str, ...] = (
    "total_toffoli",
    "total_t_count",
    "total_toffoli_depth",
    "total_depth",
)
PLOTS: tuple[str, ...] = ("qram", "head", "crossover")

_PLOT_EPILOG = """\
figures (log-log, N on the x axis), written to DIR (created if missing; files of the same name
are replaced, keeping their mode; on any error nothing is written; '-' is refused: figures
cannot go to stdout):
  qram       qram_<metric>.<fmt>: the nine metrics of one QRAM query (qram_rows), per model
  head       head_<metric>.<fmt>: QLACI head totals total_toffoli, total_t_count,
             total_toffoli_depth, total_depth (N queries x shots), per model
  crossover  crossover_<baseline>.<fmt>: quantum / classical runtime of one head, one line
             per model, the crossover N starred; one file per classical baseline
The files written are printed one per line, then the assumptions and notes on '# ' lines.

examples:
  qlaci-cost plot --what qram --n 2^4..2^40 --out figures
  qlaci-cost plot --what head,crossover --models bucket-brigade,qrom,ideal --formats png,pdf --out figures
  qlaci-cost plot --what crossover --baselines softmax --physical-model beverland --out figures
"""  # noqa: E501


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "plot",
        help="log-log figures: QRAM metrics, QLACI head totals, crossover vs classical",
        description=(
            "Writes log-log figures against N into a directory: the QRAM models' metrics, the\n"
            "QLACI head totals, and the quantum / classical runtime ratio with the crossover."
        ),
        epilog=_PLOT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--what",
        metavar="NAMES",
        required=True,
        help=f"comma list of figures: {', '.join(PLOTS)} (or all)",
    )
    add_sizes_arg(p, "2^4..2^40", "sizes N")
    add_models_arg(p, "--models")
    p.add_argument(
        "--baselines",
        metavar="NAMES",
        default="all",
        help=f"classical baselines for crossover (default all): {', '.join(BASELINES)}",
    )
    p.add_argument(
        "--formats",
        metavar="FORMATS",
        default="png,pdf",
        help=f"comma list of file formats (default png,pdf): {', '.join(PLOT_FORMATS)}",
    )
    p.add_argument(
        "--out",
        metavar="DIR",
        required=True,
        help="directory for the figures (created if missing; its parent must exist)",
    )
    add_head_scenario_args(
        p, "qram: bits per QRAM word b >= 1 (default 8)", "crossover: classical hardware"
    )
    add_convention_args(p)
    p.set_defaults(run=run)
    return p


def _publish(tmp: str, out: str, names: Sequence[str]) -> list[str]:
    """Move the finished files from `tmp` into `out` (a rename when `out` is new)."""
    from qlaci_cost.output.files import move_in

    move_in(tmp, out, names)
    return [os.path.join(out, name) for name in names]


def run(args: argparse.Namespace) -> int:
    from qlaci_cost.analysis.classical import BASELINES
    from qlaci_cost.core.grids import parse_names
    from qlaci_cost.core.summary import METRICS
    from qlaci_cost.output.plots import FORMATS as PLOT_FORMATS
    from qlaci_cost.output.plots import plot_metrics
    from qlaci_cost.qlaci.crossover import head_rows
    from qlaci_cost.qram.table import qram_rows

    what = parse_names(args.what, PLOTS, "--what")
    sizes = sizes_from_args(args)
    models = models_from_args(args)
    baselines = parse_names(args.baselines, BASELINES, "--baselines")
    formats = parse_names(args.formats, PLOT_FORMATS, "--formats")
    scenario = scenario_from_args(args)
    bits, conventions, precision = scenario.word_bits, scenario.conventions, scenario.precision
    method = scenario.method
    out = checked_out_dir(args.out)

    # Every number first (any input error raises here), then the figures.
    step = (getattr(args, "progress", None) or Progress(None)).step  # cli.main's heartbeat
    lines: dict[str, None] = {scenario.note(): None, conventions.describe(): None}
    jobs = []
    if "qram" in what:
        step("qram: the QRAM table")
        table = qram_rows(models, sizes, bits, conventions)
        lines.update(dict.fromkeys(table.notes))
        jobs.append(lambda d: plot_metrics(table.rows, METRICS, d, "qram", formats))
    if "head" in what:
        step("head: the QLACI head table")
        rows, notes = head_rows(models, sizes, scenario)
        lines[f"head: precision {precision}, shots by {method}"] = None
        lines.update(dict.fromkeys(notes))
        title = f"QLACI head ({precision}, {method})"
        jobs.append(lambda d, t=title: plot_metrics(rows, HEAD_METRICS, d, "head", formats, t))
    if "crossover" in what:
        step("crossover: physical estimates and classical baselines")
        jobs += _crossover_jobs(models, baselines, sizes, scenario, formats, lines)
    written = _write_figures(jobs, out, step)
    sys.stdout.write("".join(f"{path}\n" for path in written))
    sys.stdout.write("".join(f"# {' '.join(line.split())}\n" for line in lines))
    sys.stdout.flush()
    return 0


def _crossover_jobs(models, baselines, sizes, scenario, formats, lines: dict) -> list:
    """The crossover figures to draw, one per baseline (the crossover computed here, its
    assumptions, notes and verdicts added to `lines`)."""
    from qlaci_cost.output.plots import plot_crossover
    from qlaci_cost.qlaci.crossover import crossover

    precision, physical_model = scenario.precision, scenario.physical_model
    result = crossover(models, baselines, sizes, scenario)
    lines.update(dict.fromkeys(result.assumptions))
    lines.update(dict.fromkeys(result.notes))
    for rec in result.records:
        lines[f"crossover: {rec['model']} vs {rec['baseline']}: {rec['verdict']}"] = None
    jobs = []
    for baseline in baselines:
        records = [
            {
                "model": m,
                "baseline": baseline,
                "points": [
                    (s["N"], s["quantum_s"], s["classical_s"], s["quantum_valid"])
                    for s in result.series(m, baseline)
                ],
                "crossover_N": next(
                    r["crossover_N"]
                    for r in result.records
                    if r["model"] == m and r["baseline"] == baseline
                ),
            }
            for m in models
        ]
        title = (
            f"Crossover vs {baseline}: quantum / classical runtime "
            f"({physical_model}, {precision}, error budget per {scenario.budget_scope})"
        )
        jobs.append(
            lambda d, r=records, b=baseline, t=title: plot_crossover(
                r, d, f"crossover_{b}", formats, t
            )
        )
    return jobs


def _write_figures(jobs: list, out: str, step) -> list[str]:
    """Every figure drawn into a temporary folder beside `out`, then moved in (nothing is
    written on an error); the paths written."""
    parent = out if os.path.isdir(out) else os.path.dirname(os.path.abspath(out))
    tmp = tempfile.mkdtemp(prefix=".qlaci-cost-plot-", dir=parent)
    try:
        names: list[str] = []
        for k, job in enumerate(jobs, 1):
            step(f"figures {k}/{len(jobs)}")
            names += [os.path.basename(str(path)) for path in job(tmp)]
        return _publish(tmp, out, list(dict.fromkeys(names)))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
