"""The `qlaci-cost estimate` subcommand: surface-code estimates of a QLACI query or head."""

import argparse
from collections.abc import Mapping
from typing import Any

from qlaci_cost.cli.args import (
    CLIError,
    add_convention_args,
    add_measurement_args,
    add_models_arg,
    add_output_args,
    add_physical_args,
    add_sizes_arg,
    checked_out_path,
    conventions_from_args,
    emit_table,
    measurement_from_args,
    models_from_args,
    physical_params,
    sizes_from_args,
)
from qlaci_cost.output.progress import Progress

__all__ = [
    "ESTIMATE_COLUMNS", "FRONTIER_TABLE_COLUMNS", "MICROSOFT_COLUMNS", "add_parser",
    "query_counts", "run",
]  # fmt: skip

#: Columns of `qlaci-cost estimate` (the logical inputs, then the physical estimate).
ESTIMATE_COLUMNS: tuple[str, ...] = (
    "model", "N", "level", "physical_model", "logical_qubits", "shots", "total_toffoli",
    "total_t_count", "total_rotations", "total_toffoli_depth", "physical_qubits",
    "code_distance", "n_factories", "factory", "runtime_s", "limited_by", "lower_bound",
    "within_budget", "failure_probability", "valid", "expected_failures",
    "first_state_latency_s", "invalid_reason",
)  # fmt: skip
#: Columns of `qlaci-cost estimate --frontier`: one row per point of each frontier.
FRONTIER_TABLE_COLUMNS: tuple[str, ...] = (
    "model", "N", "level", "physical_model", "shots", "n_factories", "physical_qubits",
    "runtime_s", "code_distance", "factory", "limited_by", "failure_probability",
)  # fmt: skip
#: Estimate columns left empty on an invalid row (no number is printed as an estimate).
_ESTIMATE_NUMBERS = (
    "physical_qubits", "code_distance", "n_factories", "factory", "runtime_s", "limited_by",
    "first_state_latency_s",
)  # fmt: skip
FRONTIER_NOTE = (
    "--frontier: the space-time frontier of each row (physical.frontier): the estimate "
    "repeated with 1, 2, ... factories up to the model's automatic choice (geometric steps "
    "above 64), invalid and dominated points dropped; fewer factories = fewer qubits, longer "
    "runtime (a larger code distance when the data must survive longer)"
)
#: Columns `--microsoft` adds: Microsoft's estimator on the same counts.
MICROSOFT_COLUMNS: tuple[str, ...] = (
    "msft_physical_qubits", "msft_code_distance", "msft_n_factories", "msft_runtime_s",
)  # fmt: skip

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
like 1.23e+400 beyond float range), from the first factory run (first_state_latency_s) to the
end; lower_bound = true only where the number is a lower bound (the reason is in the notes).
The error budget is split between logical errors, distillation and rotation synthesis (its
share sets the synthesis precision); expected_failures is their sum (can exceed 1),
failure_probability = min(1, expected_failures). valid = false (with invalid_reason) when no
supported factory reaches the needed error or the budget is exceeded: the estimate columns
are then left empty. Every assumption and its source is printed with the table (csv: '# '
lines on stderr; json: also the key 'assumptions').

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


def _resolved(physical_model: str, params: Mapping[str, float]) -> dict[str, Any]:
    """The preset values with the overrides applied (what the estimate actually uses)."""
    from qlaci_cost.physical import PRESETS

    return {**PRESETS[physical_model][1], **params}


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
    p.set_defaults(run=run)
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


def _estimate_row(row, c, e, level: str, physical_model: str) -> dict[str, Any]:
    d = e.as_dict()
    out = {
        "model": row["model"], "N": row["N"], "level": level, "physical_model": physical_model,
        "logical_qubits": c["qubits"], "shots": row["shots"], "total_toffoli": c["toffoli"],
        "total_t_count": c["t_count"], "total_rotations": c["rotations"],
        "total_toffoli_depth": c["toffoli_depth"], "physical_qubits": e.physical_qubits,
        "code_distance": e.code_distance, "n_factories": e.n_factories, "factory": e.factory,
        "runtime_s": d["runtime_s"], "limited_by": e.limited_by, "lower_bound": e.lower_bound,
        "within_budget": e.within_budget, "failure_probability": e.failure_probability,
        "valid": e.valid, "expected_failures": e.expected_failures,
        "first_state_latency_s": d["first_state_latency_s"], "invalid_reason": e.invalid_reason,
    }  # fmt: skip
    if not e.valid:
        out.update(dict.fromkeys(_ESTIMATE_NUMBERS, ""))
    return out


def _frontier_rows(row, c, level, physical_model, conventions, params) -> list[dict[str, Any]]:
    from qlaci_cost.physical import frontier_rows

    rows = frontier_rows(c, physical_model, conventions=conventions, **params)
    head = {"model": row["model"], "N": row["N"], "level": level,
            "physical_model": physical_model, "shots": row["shots"]}  # fmt: skip
    return [{**head, **r} for r in rows]


def run(args: argparse.Namespace) -> int:
    from qlaci_cost.analysis.crossover import head_counts, head_rows
    from qlaci_cost.output.numbers import size_text
    from qlaci_cost.physical import estimate, microsoft_available
    from qlaci_cost.qlaci.table import qlaci_rows

    models = models_from_args(args)
    sizes = sizes_from_args(args)
    readout = measurement_from_args(args)
    conventions = conventions_from_args(args)
    params = physical_params(args, conventions)
    out = checked_out_path(args.out)
    resolved = _resolved(args.physical_model, params)
    if args.frontier and args.microsoft:
        raise CLIError("--microsoft is not allowed with --frontier: give one")

    step = (getattr(args, "progress", None) or Progress(None)).step  # cli.main's heartbeat
    step(f"the QLACI {args.level} table")
    if args.level == "head":
        rows, notes = head_rows(
            models, sizes, conventions, readout["precision"], readout["method"],
            readout["delta"], readout["grouped"], shots=readout["shots"],
        )  # fmt: skip
        counts = [head_counts(r) for r in rows]
        level_note = HEAD_LEVEL_NOTE
    else:
        table = qlaci_rows(
            models, sizes, "query", conventions, readout["precision"], readout["method"],
            readout["delta"], readout["shots"], readout["grouped"],
        )  # fmt: skip
        rows, notes = table.rows, table.notes
        counts = [query_counts(r) for r in rows]
        level_note = QUERY_LEVEL_NOTE
    columns = FRONTIER_TABLE_COLUMNS if args.frontier else ESTIMATE_COLUMNS
    microsoft = args.microsoft and microsoft_available()
    lines: dict[str, None] = dict.fromkeys([level_note, _query_line(), *notes])
    if args.frontier:
        lines[FRONTIER_NOTE] = None
    if args.microsoft:
        columns += MICROSOFT_COLUMNS
        lines[
            MICROSOFT_NOTE
            if microsoft
            else "--microsoft: Microsoft's estimator (qsharp.estimator) is not importable "
            "here: msft_* columns left empty (pip install qsharp to fill them)"
        ] = None
    out_rows, assumptions, row_notes = [], None, []
    for k, (row, c) in enumerate(zip(rows, counts), 1):
        step(f"{row['model']}, N = {size_text(row['N'])} ({k} of {len(rows)} rows)")
        e = estimate(c, args.physical_model, conventions=conventions, **params)
        where = f"{row['model']}, N={row['N']}"
        if args.frontier:
            points = _frontier_rows(row, c, args.level, args.physical_model, conventions, params)
            out_rows += points
            if not points:
                row_notes.append(f"{where}: no frontier: {e.invalid_reason}")
        else:
            out_row = _estimate_row(row, c, e, args.level, args.physical_model)
            if microsoft:
                extra, why = _microsoft(c, resolved, conventions)
                out_row.update(extra)
                if why:
                    row_notes.append(f"{where}: Microsoft's estimator skipped: {why}")
            out_rows.append(out_row)
        assumptions = assumptions or {
            k: v for k, v in e.as_dict()["assumptions"].items() if k != "factory"
        }
        row_notes += [f"{where}: {n}" for n in e.notes]
    if assumptions:
        lines.update(dict.fromkeys(_assumption_lines(assumptions)))
    lines.update(dict.fromkeys(row_notes))
    extra = {"assumptions": assumptions or {}}
    emit_table(out_rows, columns, args.format, list(lines), conventions, out, json_extra=extra)
    return 0
