"""The quantum side of the crossover: a QLACI head's logical counts per model and size.

`head_rows` completes the head rows of `qlaci.table.qlaci_rows` with every total a physical
estimate needs; `head_counts` picks them out for `physical.estimate`, `head_run_counts` gives
one circuit run's counts and the runs of the head, and `head_estimate` the head's physical
estimate under a scenario's error-budget scope (docs/derivations/error-budget.md).
"""

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any, Optional

from qlaci_cost.analysis.scenario import DEFAULT_PRECISION as _PRECISION
from qlaci_cost.analysis.scenario import LEGACY_READOUT, Scenario, as_scenario, fold_legacy
from qlaci_cost.core.grids import DEFAULT_SIZES
from qlaci_cost.physical.result import PhysicalEstimate
from qlaci_cost.qlaci.table import qlaci_rows
from qlaci_cost.qram import model_class
from qlaci_cost.qram.interface import pad_cells

__all__ = [
    "DEFAULT_PRECISION",
    "DEFAULT_SIZES",
    "SEQUENTIAL_NOTE",
    "head_counts",
    "head_estimate",
    "head_rows",
    "head_run_counts",
]

#: The default grid: N = 2^4 .. 2^40.
#: The scenario's default readout precision (`analysis.scenario.DEFAULT_PRECISION`), as text.
DEFAULT_PRECISION = str(_PRECISION)
SEQUENTIAL_NOTE = (
    "total_toffoli_depth derived as N x shots x the query's Toffoli depth: the N queries and "
    "their shots run one after another on one machine"
)


def head_rows(
    models: Iterable[str],
    sizes: Iterable[int],
    scenario: Optional[Scenario] = None,
    **query_options,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Per-query metrics and head totals of a QLACI head for every model and (padded) size.

    The rows of `qlaci_cost.qlaci.table.qlaci_rows(level="head", ...)` under `scenario`
    (default `DEFAULT_SCENARIO`; the old keywords conventions, precision, method, delta,
    grouped and shots still work for one release), each completed with `total_rotations`,
    `total_measurements`, `total_clifford` and (unless the table gives it)
    `total_toffoli_depth`, each N x shots x the per-query metric (`SEQUENTIAL_NOTE`).

    Returns:
        (rows, notes): rows are dicts with model, N, level, the per-query metrics, shots
        (circuit calls per query) and the totals; values are exact ints.
    """
    models, padded, notes = list(models), [], {}
    for model in models:
        model_class(model)
    for n in sizes:
        p, note = pad_cells(n)
        padded.append(p)
        if note:
            notes[note] = None
    scenario = fold_legacy(scenario, query_options, "head_rows", LEGACY_READOUT)
    table = qlaci_rows(models, padded, "head", scenario, **query_options)
    rows = [dict(r) for r in table.rows]
    notes.update(dict.fromkeys(table.notes))
    for row in rows:
        mult = row["N"] * row["shots"]
        if row["toffoli"] and row["total_toffoli"] != mult * row["toffoli"]:
            # The table's own multiplier (e.g. a different meaning of `shots`) wins.
            mult = Fraction(row["total_toffoli"], row["toffoli"])
            mult = mult.numerator if mult.denominator == 1 else mult
            notes[
                "head totals of qlaci_rows are not N x shots x per-query: the other totals "
                "use its multiplier total_toffoli / toffoli"
            ] = None
        for m in ("rotations", "measurements", "clifford"):
            row.setdefault(f"total_{m}", mult * row[m])
        if "total_toffoli_depth" not in row:
            row["total_toffoli_depth"] = mult * row["toffoli_depth"]
            notes[SEQUENTIAL_NOTE] = None
    return rows, list(notes)


def head_counts(row: Mapping[str, Any]) -> dict[str, Any]:
    """The logical counts of a whole head for `physical.estimate`: one circuit's qubits, totals
    (t_depth: the queries' T-depths in sequence, None when the row has none)."""
    return {
        "qubits": row["qubits"],
        "toffoli": row["total_toffoli"],
        "t_count": row["total_t_count"],
        "rotations": row["total_rotations"],
        "measurements": row["total_measurements"],
        "toffoli_depth": row["total_toffoli_depth"],
        "t_depth": row["total_toffoli_depth"] // row["toffoli_depth"] * row["t_depth"]
        if row["toffoli_depth"] and "t_depth" in row
        else None,
    }


def head_run_counts(row: Mapping[str, Any]) -> tuple[dict[str, Any], int]:
    """(one circuit run's logical counts, runs of the head) of a head row.

    A run is one separate execution: the query circuit (sampling) or the 2M - 1 calls of one
    amplitude-estimation repetition; runs = N x runs per query (`runs_per_query`, the `shots`
    column when absent). runs x the run's counts = `head_counts(row)`.
    """
    runs_per_query = row.get("runs_per_query", row["shots"])
    per_run = row["shots"] // runs_per_query
    counts = {
        "qubits": row["qubits"],
        **{m: per_run * row[m] for m in ("toffoli", "t_count", "rotations", "measurements")},
        "toffoli_depth": per_run * row["toffoli_depth"],
        "t_depth": per_run * row["t_depth"] if "t_depth" in row else None,
    }
    return counts, row["N"] * runs_per_query


def head_estimate(row: Mapping[str, Any], scenario: Optional[Scenario] = None) -> PhysicalEstimate:
    """The physical estimate of one head row under `scenario` (its physical model,
    parameters, conventions and error-budget scope): `run`, one circuit run at the per-run
    budget its precision needs, times x the head's runs; `job`, `head_counts(row)` in one
    estimate."""
    scenario = as_scenario(scenario)
    run, runs = head_run_counts(row)
    return scenario.estimate(run, runs, scenario.eps(row["N"]), counts=head_counts(row))
