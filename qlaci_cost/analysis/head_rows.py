"""The quantum side of the crossover: a QLACI head's logical counts per model and size.

`head_rows` completes the head rows of `qlaci.table.qlaci_rows` with every total a physical
estimate needs; `head_counts` picks them out for `physical.estimate`.
"""

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

from qlaci_cost.analysis.shots import DEFAULT_DELTA, parse_precision
from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, Conventions
from qlaci_cost.qlaci.table import qlaci_rows
from qlaci_cost.qram import model_class
from qlaci_cost.qram.interface import pad_cells

__all__ = ["DEFAULT_PRECISION", "DEFAULT_SIZES", "SEQUENTIAL_NOTE", "head_counts", "head_rows"]

#: The default grid: N = 2^4 .. 2^40.
DEFAULT_SIZES: tuple[int, ...] = tuple(2**k for k in range(4, 41))
#: Additive eps = 0.01 on each Pauli expectation: a constant shot count, the most favourable
#: precision for the quantum side (`rel:R` makes shots grow ~N^2).
DEFAULT_PRECISION = "abs:0.01"
SEQUENTIAL_NOTE = (
    "total_toffoli_depth derived as N x shots x the query's Toffoli depth: the N queries and "
    "their shots run one after another on one machine"
)


def head_rows(
    models: Iterable[str],
    sizes: Iterable[int],
    conventions: Conventions = DEFAULT_CONVENTIONS,
    precision: Any = DEFAULT_PRECISION,
    method: str = "hoeffding",
    delta: Any = DEFAULT_DELTA,
    grouped: bool = False,
    **query_options,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Per-query metrics and head totals of a QLACI head for every model and (padded) size.

    The rows of `qlaci_cost.qlaci.table.qlaci_rows(level="head", ...)`, each completed with
    `total_rotations`, `total_measurements`, `total_clifford` and (unless the table gives it)
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
    prec = parse_precision(precision)
    table = qlaci_rows(
        models, padded, level="head", conventions=conventions, precision=prec,
        method=method, delta=delta, grouped=grouped, **query_options,
    )  # fmt: skip
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
