"""The `qlaci-cost estimate` subcommand: surface-code estimates of a QLACI query or head."""

import argparse
import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from qlaci_cost.cli.args import (
    CLIError,
    add_budget_scope_arg,
    add_convention_args,
    add_measurement_args,
    add_models_arg,
    add_output_args,
    add_physical_args,
    add_sizes_arg,
    checked_out_path,
    emit_table,
    models_from_args,
    scenario_from_args,
    sizes_from_args,
)
from qlaci_cost.cli.table_cache import cached
from qlaci_cost.core.progress import Progress

__all__ = [
    "ESTIMATE_COLUMNS",
    "FRONTIER_TABLE_COLUMNS",
    "MICROSOFT_COLUMNS",
    "add_parser",
    "query_counts",
    "query_run_counts",
    "run",
]

#: Columns of `qlaci-cost estimate` (the logical inputs, then the physical estimate).
ESTIMATE_COLUMNS: tuple[str, ...] = (
    "model",
    "N",
    "level",
    "physical_model",
    "logical_qubits",
    "shots",
    "total_toffoli",
    "total_t_count",
    "total_rotations",
    "total_toffoli_depth",
    "measurements",
    "t_states",
    "physical_qubits",
    "code_distance",
    "n_factories",
    "factory",
    "runtime_s",
    "runtime",
    "limited_by",
    "lower_bound",
    "within_budget",
    "failure_probability",
    "valid",
    "expected_failures",
    "first_state_latency_s",
    "invalid_reason",
    "budget_scope",
    "runs",
    "error_budget",
)
#: Columns of `qlaci-cost estimate --frontier`: one row per point of each frontier.
FRONTIER_TABLE_COLUMNS: tuple[str, ...] = (
    "model",
    "N",
    "level",
    "physical_model",
    "shots",
    "n_factories",
    "physical_qubits",
    "runtime_s",
    "code_distance",
    "factory",
    "limited_by",
    "failure_probability",
    "runtime",
    "lower_bound",
    "budget_scope",
)
#: Estimate columns left empty (JSON null) on an invalid row: no number printed as an estimate.
_ESTIMATE_NUMBERS = (
    "physical_qubits",
    "code_distance",
    "n_factories",
    "factory",
    "runtime_s",
    "runtime",
    "limited_by",
    "first_state_latency_s",
)
#: Time columns: exact in JSON (a float, or text beyond float range), 4 significant digits in
#: the other formats (`runtime` beside them: the same time in a unit a person reads).
_TIME_COLUMNS = ("runtime_s", "first_state_latency_s", "msft_runtime_s")
AMPLITUDE_ESTIMATION_NOTE = (
    "lower_bound = true on every row: with amplitude estimation the logical counts leave out "
    "the reflections and the inverse QFT (see the shots note), so every physical number here is "
    "a lower bound too"
)
FRONTIER_NOTE = (
    "--frontier: the space-time frontier of each row (physical.frontier): the estimate "
    "repeated with 1, 2, ... factories up to the model's automatic choice (geometric steps "
    "above 64), invalid and dominated points dropped; fewer factories = fewer qubits, longer "
    "runtime (a larger code distance when the data must survive longer)"
)
#: Columns `--microsoft` adds: Microsoft's estimator on the same counts.
MICROSOFT_COLUMNS: tuple[str, ...] = (
    "msft_physical_qubits",
    "msft_code_distance",
    "msft_n_factories",
    "msft_runtime_s",
    "msft_invalid_reason",
)

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
    "itself; where its 64-bit arithmetic wrapped (logical qubits x logical depth >= 2^64, or its "
    "runtime in ns) the msft_* numbers are left empty and msft_invalid_reason says why"
)

_ESTIMATE_EPILOG = """\
rows: one per QRAM model and N. logical_qubits ... measurements are the logical counts given
to the surface-code model (the totals of one query or one head, see the notes); t_states the
T states the physical model consumes (its own T per rotation at its rotation share of the
budget, 4 per Toffoli: not the conventions' total_t_count); physical_qubits ...
failure_probability its estimate; runtime_s in seconds from the first factory run
(first_state_latency_s) to the end: exact in json (a number, or text like 1.234e+400 beyond
float range), 4 significant digits in csv, md and latex, with runtime beside it in a unit a
person reads (s, min, h, days, years); lower_bound = true only where the number is a lower
bound (the reason is in the notes: the model's schedule, or amplitude estimation's counts).
budget_scope says what the error budget covers (--budget-scope): run (default), each circuit
run fails with at most error_budget = min(preset budget, eps / 20), so failed runs bias an
estimate by at most eps / 10, and the estimate is one run's with its time x runs; job, one
budget for every run of the head (docs/derivations/error-budget.md).
The error budget is split between logical errors, distillation and rotation synthesis (its
share sets the synthesis precision); expected_failures is their sum (can exceed 1),
failure_probability = min(1, expected_failures). valid = false (with invalid_reason) when no
supported factory reaches the needed error or the budget is exceeded: the estimate columns
are then left empty (json: null). Every assumption and its source is printed with the table
(csv: '# ' lines on stderr; json: also the key 'assumptions'). A run longer than 5 s prints
'estimate: still running' lines on stderr.

physical models (defaults: error rate, cycle, reaction time, error budget):
  gidney-fowler             1e-3, 1 us,   10 us, 1e-2  (CCZ2T factories; arXiv:1812.01238)
  gidney-fowler-optimistic  1e-4, 1 us,   10 us, 1e-2
  beverland                 1e-3, 0.4 us, 10 us, 1e-3  (15-to-1 factories; arXiv:2211.07629)
  beverland-optimistic      1e-4, 0.4 us, 10 us, 1e-3
  microsoft-like            1e-3, 0.4 us, -,     1e-3  (Microsoft's estimator's schedule)

examples:
  qlaci-cost estimate --n 16,1024,2^20 --qram bucket-brigade,ideal
  qlaci-cost estimate --n 2^20 --level query --physical-model beverland --format json
  qlaci-cost estimate --n 1024 --error-rate 1e-4 --reaction-time-us 1 --microsoft --format csv
  qlaci-cost estimate --n 1024 --level query --shots 1 --physical-model microsoft-like --microsoft
  qlaci-cost estimate --n 256 --qram qrom --level query --frontier --format csv
"""


def _query_line() -> str:
    from qlaci_cost.qlaci import QLACIQuery

    q = QLACIQuery(16)
    return (
        f"QLACI query (defaults): d_q={q.d_q}, b={q.bits}, L={q.layers}, d_k={q.d_k}, "
        f"d_v={q.d_v}, n_kv={q.n_kv}, n_out={q.n_out}, d_ctx={q.d_ctx}, r={q.reuploads}, "
        f"feature map {q.feature_map}"
    )


def add_parser(subparsers) -> argparse.ArgumentParser:
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
    add_sizes_arg(p, "16,1024,2^20", "sequence lengths N")
    add_models_arg(p, "--qram")
    p.add_argument(
        "--level",
        choices=("query", "head"),
        default="head",
        help="query: one query (its shots); head: N queries (default)",
    )
    add_measurement_args(p)
    add_physical_args(p)
    add_budget_scope_arg(p)
    p.add_argument(
        "--microsoft",
        action="store_true",
        help="add Microsoft's estimator on the same counts (msft_* columns), if installed",
    )
    p.add_argument(
        "--frontier",
        action="store_true",
        help="print the space-time frontier (physical qubits vs runtime as the number of "
        "factories varies) of every row instead of one estimate",
    )
    add_convention_args(p)
    add_output_args(p)
    p.set_defaults(run=cached(run))  # a repeated command: its stored table
    return p


def query_run_counts(row: Mapping[str, Any]) -> tuple[dict[str, Any], int]:
    """(one circuit run's counts, runs) of one query (a `qlaci_rows` query-level row)."""
    from qlaci_cost.qlaci.head_rows import head_run_counts

    counts, _ = head_run_counts(row)
    return counts, row.get("runs_per_query", row["shots"])


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
        "t_depth": shots * row["t_depth"],
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


def _microsoft(counts, resolved, conventions, runs=1) -> tuple[dict[str, Any], str]:
    """Microsoft's columns for one row (the counts of one run x `runs` under the run scope),
    or (empty columns and the reason, why it was skipped).

    A result the estimator computed with wrapped 64-bit arithmetic (`microsoft_estimate`
    refuses it) is not an estimate: its columns stay empty and `msft_invalid_reason` says why.
    """
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
        why = " ".join(str(exc).split()) or type(exc).__name__
        return {"msft_invalid_reason": why}, why
    return {
        "msft_physical_qubits": m.physical_qubits,
        "msft_code_distance": m.code_distance,
        "msft_n_factories": m.n_factories,
        "msft_runtime_s": m.runtime_s * runs,
        "msft_invalid_reason": "",
    }, ""


def _number(value: Any) -> Any:
    """A float column's value for JSON: finite floats as they are, others as text ("inf")."""
    return value if not isinstance(value, float) or math.isfinite(value) else str(value)


def _estimate_row(row, c, e, level: str, physical_model: str, bound: bool) -> dict[str, Any]:
    out = {
        "model": row["model"],
        "N": row["N"],
        "level": level,
        "physical_model": physical_model,
        "logical_qubits": c["qubits"],
        "shots": row["shots"],
        "total_toffoli": c["toffoli"],
        "total_t_count": c["t_count"],
        "total_rotations": c["rotations"],
        "total_toffoli_depth": c["toffoli_depth"],
        "measurements": c["measurements"],
        "t_states": e.t_states,
        "physical_qubits": e.physical_qubits,
        "code_distance": e.code_distance,
        "n_factories": e.n_factories,
        "factory": e.factory,
        "runtime_s": e.runtime_s,
        "limited_by": e.limited_by,
        "lower_bound": e.lower_bound or bound,
        "within_budget": e.within_budget,
        "failure_probability": e.failure_probability,
        "valid": e.valid,
        "expected_failures": _number(e.expected_failures),
        "first_state_latency_s": e.first_state_latency_s,
        "invalid_reason": e.invalid_reason,
        "budget_scope": e.budget_scope,
        "runs": e.runs,
        "error_budget": e.params.error_budget,
    }
    if not e.valid:
        out.update(dict.fromkeys(_ESTIMATE_NUMBERS))
    return out


def _frontier_rows(row, run, runs, c, level, scenario, bound: bool) -> list[dict[str, Any]]:
    points = scenario.frontier(run, runs, scenario.eps(row["N"]), counts=c)
    head = {
        "model": row["model"],
        "N": row["N"],
        "level": level,
        "physical_model": scenario.physical_model,
        "shots": row["shots"],
    }
    return [
        {
            **head,
            "n_factories": e.n_factories,
            "physical_qubits": e.physical_qubits,
            "runtime_s": e.runtime_s,
            "code_distance": e.code_distance,
            "factory": e.factory,
            "limited_by": e.limited_by,
            "failure_probability": e.failure_probability,
            "lower_bound": e.lower_bound or bound,
            "budget_scope": e.budget_scope,
        }
        for e in points
    ]


def _with_times(rows: list[dict[str, Any]], fmt: str) -> list[dict[str, Any]]:
    """Time columns as printed: `runtime` (the runtime in a unit a person reads) added; the
    seconds exact in JSON (a float, or text beyond float range), else 4 significant digits."""
    from qlaci_cost.core.numbers import duration_text

    out = []
    for row in rows:
        row = dict(row)
        if "runtime_s" in row and "runtime" not in row:
            row["runtime"] = None if row["runtime_s"] is None else duration_text(row["runtime_s"])
        for k in _TIME_COLUMNS:
            if isinstance(row.get(k), (int, Fraction)):
                row[k] = _seconds(row[k], exact=fmt == "json")
        out.append(row)
    return out


def _seconds(value: Fraction, exact: bool) -> Any:
    """Seconds for a table: the float (JSON), else 4 significant digits as text, plain from
    1e-4 to 1e6 (`1219`, `0.0001288`, `109900`), in e-notation outside (`1.600e+12`)."""
    if value >= 10**300:  # beyond float range: 4 significant digits as text
        from qlaci_cost.core.numbers import sci_text

        return sci_text(value, 4).replace("e", "e+")
    if exact:
        return float(value)
    rounded = float(f"{float(value):.4g}")
    if rounded == 0 or not 1e-4 <= rounded < 1e6:
        return f"{rounded:.3e}" if rounded else "0"
    return f"{rounded:.{max(0, 3 - math.floor(math.log10(rounded)))}f}"


def _logical(args, models, sizes, scenario):
    """(rows, notes, [(run counts, runs, job counts)], level note) of the level asked."""
    from qlaci_cost.qlaci.crossover import head_counts, head_rows
    from qlaci_cost.qlaci.head_rows import head_run_counts
    from qlaci_cost.qlaci.table import qlaci_rows

    if args.level == "head":
        rows, notes = head_rows(models, sizes, scenario)
        jobs = [(*head_run_counts(r), head_counts(r)) for r in rows]
        return rows, notes, jobs, HEAD_LEVEL_NOTE
    table = qlaci_rows(models, sizes, "query", scenario)
    jobs = [(*query_run_counts(r), query_counts(r)) for r in table.rows]
    return table.rows, table.notes, jobs, QUERY_LEVEL_NOTE


def _physical_rows(args, rows, jobs, scenario, bound, progress):
    """(table rows, assumptions, per-row notes): one estimate (or frontier) per logical row,
    under the scenario's physical model and error-budget scope."""
    from qlaci_cost.core.numbers import size_text
    from qlaci_cost.physical import microsoft_available

    microsoft = args.microsoft and microsoft_available()
    resolved = scenario.physical_assumptions()
    out_rows, assumptions, row_notes = [], None, []
    for k, (row, (run, runs, c)) in enumerate(zip(rows, jobs), 1):
        progress.step(f"{row['model']}, N = {size_text(row['N'])} ({k} of {len(rows)} rows)")
        e = scenario.estimate(run, runs, scenario.eps(row["N"]), counts=c)
        where = f"{row['model']}, N={row['N']}"
        if args.frontier:
            points = _frontier_rows(row, run, runs, c, args.level, scenario, bound)
            out_rows += points
            if not points:
                row_notes.append(f"{where}: no frontier: {e.invalid_reason}")
        else:
            out_row = _estimate_row(row, c, e, args.level, scenario.physical_model, bound)
            if microsoft:
                per_run = scenario.budget_scope == "run"
                budget = {**resolved, "error_budget": e.params.error_budget}
                extra, why = _microsoft(
                    run if per_run else c, budget, scenario.conventions, runs if per_run else 1
                )
                out_row.update(extra)
                if why:
                    row_notes.append(f"{where}: Microsoft's estimator skipped: {why}")
            out_rows.append(out_row)
        assumptions = assumptions or {
            k: v for k, v in e.as_dict()["assumptions"].items() if k != "factory"
        }
        row_notes += [f"{where}: {n}" for n in e.notes]
    return out_rows, assumptions, row_notes


def run(args: argparse.Namespace) -> int:
    models = models_from_args(args)
    sizes = sizes_from_args(args)
    scenario = scenario_from_args(args)
    out = checked_out_path(args.out)
    if args.frontier and args.microsoft:
        raise CLIError("--microsoft is not allowed with --frontier: give one")
    from qlaci_cost.physical import microsoft_available  # after the checks: imports Qualtran

    bound = scenario.method == "amplitude-estimation"
    progress = getattr(args, "progress", None) or Progress(None)  # cli.main's heartbeat
    progress.step(f"the QLACI {args.level} table")
    rows, notes, jobs, level_note = _logical(args, models, sizes, scenario)
    out_rows, assumptions, row_notes = _physical_rows(args, rows, jobs, scenario, bound, progress)
    columns = FRONTIER_TABLE_COLUMNS if args.frontier else ESTIMATE_COLUMNS
    lines: dict[str, None] = dict.fromkeys(
        [level_note, scenario.scope_note(), _query_line(), *notes]
    )
    if bound:
        lines[AMPLITUDE_ESTIMATION_NOTE] = None
    if args.frontier:
        lines[FRONTIER_NOTE] = None
    if args.microsoft:
        columns += MICROSOFT_COLUMNS
        lines[
            MICROSOFT_NOTE
            if microsoft_available()
            else "--microsoft: Microsoft's estimator (qsharp.estimator) is not importable "
            "here: msft_* columns left empty (pip install qsharp to fill them)"
        ] = None
    if assumptions:
        lines.update(dict.fromkeys(_assumption_lines(assumptions)))
    lines.update(dict.fromkeys(row_notes))
    extra = {"assumptions": assumptions or {}}
    table = _with_times(out_rows, args.format)
    emit_table(
        table,
        columns,
        args.format,
        list(lines),
        scenario.conventions,
        out,
        json_extra=extra,
        scenario=scenario,
    )
    return 0
