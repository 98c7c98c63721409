"""The `qlaci-cost estimate` and `qlaci-cost plot` subcommands: surface-code estimates, figures."""

import argparse
import math
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from typing import Any

from qlaci_cost.analysis.shots import METHODS, Precision, parse_precision
from qlaci_cost.cli import (
    CLIError,
    add_convention_args,
    add_output_args,
    add_qram_models_arg,
    checked_out_path,
    conventions_from_args,
    parse_bits,
    write_output,
)
from qlaci_cost.core.grids import parse_names, parse_sizes
from qlaci_cost.qram import MODELS

__all__ = ["ESTIMATE_COLUMNS", "HEAD_METRICS", "MICROSOFT_COLUMNS", "add_parser", "query_counts"]

#: Columns of `qlaci-cost estimate` (the logical inputs, then the physical estimate).
ESTIMATE_COLUMNS: tuple[str, ...] = (
    "model", "N", "level", "physical_model", "logical_qubits", "shots", "total_toffoli",
    "total_t_count", "total_rotations", "total_toffoli_depth", "physical_qubits",
    "code_distance", "n_factories", "factory", "runtime_s", "limited_by", "lower_bound",
    "within_budget", "failure_probability",
)  # fmt: skip
#: Columns `--microsoft` adds: Microsoft's estimator on the same counts.
MICROSOFT_COLUMNS: tuple[str, ...] = (
    "msft_physical_qubits", "msft_code_distance", "msft_n_factories", "msft_runtime_s",
)  # fmt: skip
#: Head totals `plot --what head` draws.
HEAD_METRICS: tuple[str, ...] = (
    "total_toffoli", "total_t_count", "total_toffoli_depth", "total_depth",
)  # fmt: skip
PLOTS: tuple[str, ...] = ("qram", "head", "crossover")
LOWER_BOUND_MARK = (
    "lower bound"  # as in qlaci_cost.analysis.crossover: a note flagging a lower bound
)
#: Values argparse must read as negative numbers, not options (its own pattern misses -1e-3),
#: so that `--error-rate -1e-3` reaches the range check and its message.
_NEGATIVE_NUMBER = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")

QUERY_LEVEL_NOTE = (
    "level query: the physical estimate is of one query, its `shots` circuit executions one "
    "after another: Toffoli, T, rotation and measurement counts and Toffoli depth = shots x "
    "those of one execution; logical qubits = one execution's"
)
HEAD_LEVEL_NOTE = (
    "level head: the physical estimate is of one head, N queries x `shots` executions one "
    "after another on one machine: totals = N x shots x one execution's; logical qubits = one "
    "execution's"
)
MICROSOFT_NOTE = (
    "msft_* columns: Microsoft's resource estimator (qsharp.estimator.LogicalCounts) on the "
    "same counts (numQubits = logical_qubits, cczCount = total_toffoli, tCount = T gates "
    "outside Toffolis and rotations, rotationCount = total_rotations, measurementCount), a "
    "gate-based qubit with every error rate = physical_error and code cycle = cycle_time_us, "
    "the same error budget, surface code a = 0.03, p* = 0.01; it has no reaction-time or "
    "Toffoli-depth input (it serializes the non-Clifford operations) and synthesizes rotations "
    "itself"
)

_ESTIMATE_EPILOG = """\
rows: one per QRAM model and N. logical_qubits ... total_toffoli_depth are the logical counts
given to the surface-code model (the totals of one query or one head, see the notes);
physical_qubits ... failure_probability its estimate; runtime_s in seconds (a float, or text
like 1.23e+400 beyond float range); lower_bound = true when the model flags its estimate as a
lower bound (e.g. no modelled factory reaches the needed error). Every assumption and its
source is printed with the table (csv: '# ' lines; json: also the key 'assumptions').

physical models (defaults: error rate, cycle, reaction time, error budget):
  gidney-fowler             1e-3, 1 us,   10 us, 1e-2  (CCZ2T factories; arXiv:1812.01238)
  gidney-fowler-optimistic  1e-4, 1 us,   10 us, 1e-2
  beverland                 1e-3, 0.4 us, 10 us, 1e-3  (15-to-1 factories; arXiv:2211.07629)
  beverland-optimistic      1e-4, 0.4 us, 10 us, 1e-3

examples:
  qlaci-cost estimate --n 16,1024,2^20 --qram bucket-brigade,ideal
  qlaci-cost estimate --n 2^20 --level query --physical-model beverland --format json
  qlaci-cost estimate --n 1024 --error-rate 1e-4 --reaction-time-us 1 --microsoft --format csv
"""

_PLOT_EPILOG = """\
figures (log-log, N on the x axis), written to DIR (created if missing; files of the same name
are replaced; on any error nothing is written):
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


def add_parser(subparsers) -> None:
    """Add the `estimate` and `plot` subcommands."""
    add_estimate_parser(subparsers)
    add_plot_parser(subparsers)


# --- shared options ---------------------------------------------------------------------------


def _add_physical_args(parser: argparse.ArgumentParser) -> None:
    from qlaci_cost.physical import PRESETS

    group = parser.add_argument_group("surface-code model (defaults: the model's preset)")
    group.add_argument(
        "--physical-model",
        choices=tuple(PRESETS),
        default="gidney-fowler",
        help="surface-code model and its preset values (default gidney-fowler)",
    )
    group.add_argument(
        "--error-rate",
        metavar="P",
        help="physical error rate, in (0, 1e-2] (preset 1e-3; -optimistic 1e-4)",
    )
    group.add_argument(
        "--cycle-time-us",
        metavar="US",
        help="surface-code cycle in microseconds, > 0 (preset 1; beverland 0.4)",
    )
    group.add_argument(
        "--reaction-time-us",
        metavar="US",
        help="measurement-to-next-layer reaction time in microseconds, > 0 (preset 10)",
    )
    group.add_argument(
        "--error-budget",
        metavar="EPS",
        help="total failure probability, in (0, 1) (preset 1e-2; beverland 1e-3)",
    )


def _number(text: str, option: str, rule: str, ok) -> float:
    """A float from the command line, or CLIError naming the option, the value and the rule."""
    try:
        value = float(str(text).strip())
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and ok(value)):
        raise CLIError(f"{option}: {text!r} is not allowed: {rule}")
    return value


#: physical.estimate parameter -> (option, argparse dest, rule, check).
_PHYSICAL_OPTIONS = {
    "physical_error": ("--error-rate", "error_rate", "the physical error rate must be a "
                       "number in (0, 1e-2]", lambda x: 0 < x <= 1e-2),
    "cycle_time_us": ("--cycle-time-us", "cycle_time_us", "the cycle time must be a "
                      "number of microseconds > 0", lambda x: x > 0),
    "reaction_time_us": ("--reaction-time-us", "reaction_time_us", "the reaction time "
                         "must be a number of microseconds > 0", lambda x: x > 0),
    "error_budget": ("--error-budget", "error_budget", "the error budget must be a "
                     "number in (0, 1)", lambda x: 0 < x < 1),
}  # fmt: skip


def physical_params(args: argparse.Namespace, conventions) -> dict[str, float]:
    """The overrides of the preset given on the command line, checked one by one and then
    together by the model itself (a one-Toffoli estimate: e.g. an error rate at the model's
    threshold fails here, before any work)."""
    from qlaci_cost.physical import estimate

    params = {}
    for name, (option, attr, rule, ok) in _PHYSICAL_OPTIONS.items():
        text = getattr(args, attr)
        if text is not None:
            params[name] = _number(text, option, rule, ok)
    tiny = {"qubits": 1, "toffoli": 1, "t_count": conventions.t_per_toffoli, "toffoli_depth": 1}
    try:
        estimate(tiny, args.physical_model, conventions=conventions, **params)
    except ValueError as exc:
        given = "".join(f" {_PHYSICAL_OPTIONS[k][0]} {getattr(args, _PHYSICAL_OPTIONS[k][1])}"
                        for k in params)  # fmt: skip
        raise CLIError(f"--physical-model {args.physical_model}{given}: {exc}") from exc
    return params


def _resolved(physical_model: str, params: Mapping[str, float]) -> dict[str, Any]:
    """The preset values with the overrides applied (what the estimate actually uses)."""
    from qlaci_cost.physical import PRESETS

    return {**PRESETS[physical_model][1], **params}


def _precision(text: str) -> Precision:
    try:
        return parse_precision(text)
    except ValueError as exc:
        raise CLIError(f"--precision: {exc}") from exc


def _add_readout_args(parser: argparse.ArgumentParser, default_precision: str) -> None:
    parser.add_argument(
        "--precision",
        metavar="KIND:VALUE",
        default=default_precision,
        help=f"readout precision abs:EPS or rel:R (eps = R / N), EPS, R in (0, 1) (default "
        f"{default_precision})",
    )
    parser.add_argument(
        "--method",
        choices=METHODS,
        default="hoeffding",
        help="shots from hoeffding (default), clt or amplitude-estimation",
    )


def _query_line() -> str:
    from qlaci_cost.qlaci import QLACIQuery

    q = QLACIQuery(16)
    return (
        f"QLACI query (defaults): d_q={q.d_q}, b={q.bits}, L={q.layers}, d_k={q.d_k}, "
        f"d_v={q.d_v}, n_kv={q.n_kv}, n_out={q.n_out}, d_ctx={q.d_ctx}, r={q.reuploads}, "
        f"feature map {q.feature_map}"
    )


# --- estimate ---------------------------------------------------------------------------------


def add_estimate_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "estimate",
        help="surface-code estimates of one QLACI query or head: physical qubits, runtime",
        description=(
            "Physical qubits, code distance, magic-state factories and wall-clock time of one\n"
            "QLACI query or one head (N queries) for each QRAM model and N, from the exact\n"
            "logical counts and a surface-code model (qlaci_cost.physical.estimate)."
        ),
        epilog=_ESTIMATE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--n", metavar="SIZES", help="sequence lengths N (default 16,1024,2^20)")
    add_qram_models_arg(p)
    p.add_argument(
        "--level",
        choices=("query", "head"),
        default="head",
        help="query: one query (its shots); head: N queries (default)",
    )
    _add_readout_args(p, "rel:0.1")
    _add_physical_args(p)
    p.add_argument(
        "--microsoft",
        action="store_true",
        help="add Microsoft's estimator on the same counts (msft_* columns), if installed",
    )
    add_convention_args(p)
    add_output_args(p)
    p._negative_number_matcher = _NEGATIVE_NUMBER  # argparse's attribute for this check
    p.set_defaults(run=run_estimate)
    return p


def query_counts(row: Mapping[str, Any]) -> dict[str, int]:
    """Logical counts of one query (a `qlaci_rows` query-level row): its shots in sequence."""
    shots = row["shots"]
    return {
        "qubits": row["qubits"],
        "toffoli": row["total_toffoli"],
        "t_count": row["total_t_count"],
        "rotations": shots * row["rotations"],
        "measurements": shots * row["measurements"],
        "toffoli_depth": shots * row["toffoli_depth"],
    }


def _assumption_lines(assumptions: Mapping[str, Any]) -> list[str]:
    lines = []
    for key, value in assumptions.items():
        if key in ("factory", "conventions"):  # a column; printed with every table
            continue
        if key == "sources":
            lines += [f"source of {k}: {v}" for k, v in value.items()]
        else:
            lines.append(f"physical {key}: {value}")
    return lines


def _microsoft(counts, resolved, conventions) -> tuple[dict[str, Any], str]:
    """Microsoft's columns for one row, or ({}, why it was skipped)."""
    from qlaci_cost.physical import microsoft_estimate

    try:
        m = microsoft_estimate(
            counts,
            physical_error=resolved["physical_error"],
            cycle_time_us=resolved["cycle_time_us"],
            error_budget=resolved["error_budget"],
            conventions=conventions,
        )
    except Exception as exc:  # an optional external cross-check: report, do not abort
        return {}, " ".join(str(exc).split()) or type(exc).__name__
    return {
        "msft_physical_qubits": m.physical_qubits,
        "msft_code_distance": m.code_distance,
        "msft_n_factories": m.n_factories,
        "msft_runtime_s": float(m.runtime_s),
    }, ""


def run_estimate(args: argparse.Namespace) -> int:
    import json

    from qlaci_cost.analysis.crossover import head_counts, head_rows
    from qlaci_cost.output.tables import render
    from qlaci_cost.physical import estimate, microsoft_available
    from qlaci_cost.qlaci.table import qlaci_rows

    models = parse_names(args.qram, MODELS, "--qram")
    sizes = parse_sizes(args.n or "16,1024,2^20", "--n")
    precision = _precision(args.precision)
    conventions = conventions_from_args(args)
    params = physical_params(args, conventions)
    out = checked_out_path(args.out)
    resolved = _resolved(args.physical_model, params)

    if args.level == "head":
        rows, notes = head_rows(models, sizes, conventions, precision, args.method)
        counts = [head_counts(r) for r in rows]
        level_note = HEAD_LEVEL_NOTE
    else:
        table = qlaci_rows(models, sizes, "query", conventions, precision, args.method)
        rows, notes = table.rows, table.notes
        counts = [query_counts(r) for r in rows]
        level_note = QUERY_LEVEL_NOTE
    columns = ESTIMATE_COLUMNS
    microsoft = args.microsoft and microsoft_available()
    lines: dict[str, None] = dict.fromkeys([level_note, _query_line(), *notes])
    if args.microsoft:
        columns += MICROSOFT_COLUMNS
        lines[
            MICROSOFT_NOTE
            if microsoft
            else "--microsoft: Microsoft's estimator (qsharp.estimator) is not importable "
            "here: msft_* columns left empty (pip install qsharp to fill them)"
        ] = None
    out_rows, assumptions, row_notes = [], None, []
    for row, c in zip(rows, counts):
        e = estimate(c, args.physical_model, conventions=conventions, **params)
        where = f"{row['model']}, N={row['N']}"
        d = e.as_dict()
        out_row = {
            "model": row["model"], "N": row["N"], "level": args.level,
            "physical_model": args.physical_model, "logical_qubits": c["qubits"],
            "shots": row["shots"], "total_toffoli": c["toffoli"], "total_t_count": c["t_count"],
            "total_rotations": c["rotations"], "total_toffoli_depth": c["toffoli_depth"],
            "physical_qubits": e.physical_qubits, "code_distance": e.code_distance,
            "n_factories": e.n_factories, "factory": e.factory, "runtime_s": d["runtime_s"],
            "limited_by": e.limited_by,
            "lower_bound": any(LOWER_BOUND_MARK in n for n in e.notes),
            "within_budget": e.within_budget, "failure_probability": e.failure_probability,
        }  # fmt: skip
        if microsoft:
            extra, why = _microsoft(c, resolved, conventions)
            out_row.update(extra)
            if why:
                row_notes.append(f"{where}: Microsoft's estimator skipped: {why}")
        out_rows.append(out_row)
        assumptions = assumptions or {k: v for k, v in d["assumptions"].items() if k != "factory"}
        row_notes += [f"{where}: {n}" for n in e.notes]
    if assumptions:
        lines.update(dict.fromkeys(_assumption_lines(assumptions)))
    lines.update(dict.fromkeys(row_notes))
    text = render(out_rows, columns, args.format, list(lines), conventions)
    if args.format == "json":
        doc = json.loads(text)
        doc["assumptions"] = assumptions or {}
        text = json.dumps(doc, indent=2) + "\n"
    write_output(text, out)
    return 0


# --- plot -------------------------------------------------------------------------------------


def add_plot_parser(subparsers) -> argparse.ArgumentParser:
    from qlaci_cost.analysis.classical import BASELINES, DEFAULT_HARDWARE, HARDWARE
    from qlaci_cost.output.plots import FORMATS as PLOT_FORMATS

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
    p.add_argument("--n", metavar="SIZES", help="sizes N (default 2^4..2^40)")
    p.add_argument(
        "--models",
        "--qram",
        dest="models",
        metavar="NAMES",
        default="all",
        help=f"comma list of QRAM models (default all): {', '.join(MODELS)}",
    )
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
    p.add_argument("--bits", metavar="B", default="8", help="qram: bits per word (default 8)")
    _add_readout_args(p, "abs:0.01")
    p.add_argument(
        "--hardware",
        choices=tuple(HARDWARE),
        default=DEFAULT_HARDWARE,
        help=f"crossover: classical hardware (default {DEFAULT_HARDWARE})",
    )
    _add_physical_args(p)
    add_convention_args(p)
    p._negative_number_matcher = _NEGATIVE_NUMBER
    p.set_defaults(run=run_plot)
    return p


def checked_out_dir(out: str) -> str:
    """`--out DIR` checked before any work: not a file, its parent an existing directory,
    writable."""
    if not out or not out.strip():
        raise CLIError(f"--out: {out!r} is not allowed: give a directory path")
    if os.path.exists(out) and not os.path.isdir(out):
        raise CLIError(f"--out: {out!r} is a file: give a directory (created if missing)")
    parent = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(parent):
        raise CLIError(f"--out: {out!r} is not allowed: directory {parent!r} does not exist")
    target = out if os.path.isdir(out) else parent
    if not os.access(target, os.W_OK | os.X_OK):
        raise CLIError(f"--out: {out!r} is not allowed: {target!r} is not writable")
    return out


def _publish(tmp: str, out: str, names: Sequence[str]) -> list[str]:
    """Move the finished files from `tmp` into `out` (a rename when `out` is new)."""
    if not os.path.isdir(out):
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; a new directory is not
        os.rename(tmp, out)
    else:
        for name in names:
            os.replace(os.path.join(tmp, name), os.path.join(out, name))
        shutil.rmtree(tmp, ignore_errors=True)
    return [os.path.join(out, name) for name in names]


def run_plot(args: argparse.Namespace) -> int:
    from qlaci_cost.analysis.classical import BASELINES
    from qlaci_cost.analysis.crossover import crossover, head_rows
    from qlaci_cost.core.summary import METRICS
    from qlaci_cost.output.plots import FORMATS as PLOT_FORMATS
    from qlaci_cost.output.plots import plot_crossover, plot_metrics
    from qlaci_cost.qram.table import qram_rows

    what = parse_names(args.what, PLOTS, "--what")
    sizes = parse_sizes(args.n or "2^4..2^40", "--n")
    models = parse_names(args.models, MODELS, "--models")
    baselines = parse_names(args.baselines, BASELINES, "--baselines")
    formats = parse_names(args.formats, PLOT_FORMATS, "--formats")
    bits = parse_bits(args.bits)
    precision = _precision(args.precision)
    conventions = conventions_from_args(args)
    params = physical_params(args, conventions)
    out = checked_out_dir(args.out)

    # Every number first (any input error raises here), then the figures.
    lines: dict[str, None] = {conventions.describe(): None}
    jobs = []
    if "qram" in what:
        table = qram_rows(models, sizes, bits, conventions)
        lines.update(dict.fromkeys(table.notes))
        jobs.append(lambda d: plot_metrics(table.rows, METRICS, d, "qram", formats))
    if "head" in what:
        rows, notes = head_rows(models, sizes, conventions, precision, args.method)
        lines[f"head: precision {precision}, shots by {args.method}"] = None
        lines.update(dict.fromkeys(notes))
        title = f"QLACI head ({precision}, {args.method})"
        jobs.append(lambda d, t=title: plot_metrics(rows, HEAD_METRICS, d, "head", formats, t))
    if "crossover" in what:
        result = crossover(
            models, baselines, sizes, args.hardware, args.physical_model, precision,
            args.method, conventions=conventions, physical_params=params,
        )  # fmt: skip
        lines.update(dict.fromkeys(result.assumptions))
        lines.update(dict.fromkeys(result.notes))
        for rec in result.records:
            lines[f"crossover: {rec['model']} vs {rec['baseline']}: {rec['verdict']}"] = None
        for baseline in baselines:
            records = [
                {
                    "model": m,
                    "baseline": baseline,
                    "points": [
                        (s["N"], s["quantum_s"], s["classical_s"])
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
                f"({args.physical_model}, {precision})"
            )
            jobs.append(
                lambda d, r=records, b=baseline, t=title: plot_crossover(
                    r, d, f"crossover_{b}", formats, t
                )
            )

    parent = out if os.path.isdir(out) else os.path.dirname(os.path.abspath(out))
    tmp = tempfile.mkdtemp(prefix=".qlaci-cost-plot-", dir=parent)
    try:
        names: list[str] = []
        for job in jobs:
            names += [os.path.basename(str(path)) for path in job(tmp)]
        written = _publish(tmp, out, list(dict.fromkeys(names)))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    sys.stdout.write("".join(f"{path}\n" for path in written))
    sys.stdout.write("".join(f"# {' '.join(line.split())}\n" for line in lines))
    sys.stdout.flush()
    return 0
