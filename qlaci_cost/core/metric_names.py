"""The metric columns, in output order (docs/conventions.md#metrics): importable without
Qualtran, Cirq or sympy, for code that only names metrics (the figures' worker processes)."""

__all__ = ["METRICS"]

#: The metric columns, in output order; `core.summary.CostSummary` has one field per name.
METRICS: tuple[str, ...] = (
    "qubits",
    "toffoli",
    "t_count",
    "clifford",
    "rotations",
    "measurements",
    "toffoli_depth",
    "t_depth",
    "depth",
)
