"""Crossover results: the runtimes behind each verdict, as exact values and display rows."""

from fractions import Fraction
from typing import Any, Optional, Union

import attrs
from attrs import frozen

from qlaci_cost.symbolics.exact import significant_text

__all__ = ["COLUMNS", "CrossoverResult", "QuantumPoint", "log2_text", "seconds_text"]

#: Columns of `CrossoverResult.rows()`.
COLUMNS: tuple[str, ...] = (
    "model",
    "qram",
    "baseline",
    "crossover",
    "N",
    "quantum_s",
    "classical_s",
    "ratio",
    "margin",
    "quantum_lower_bound",
    "established",
    "physical_qubits",
    "quantum_valid",
)


def log2_text(n: int) -> str:
    """2^k for a power of two, else the number."""
    return f"2^{n.bit_length() - 1}" if n > 0 and n & (n - 1) == 0 else str(n)


def seconds_text(x: Union[int, Fraction, None]) -> str:
    """A time in seconds as short text (3 significant digits, `significant_text`), exact input
    of any size; "" for None."""
    return "" if x is None else significant_text(x)


@frozen
class QuantumPoint:
    """The physical estimate of one head at one N (`runtime_s` exact)."""

    N: int
    runtime_s: Fraction
    lower_bound: bool
    physical_qubits: Optional[int] = None
    limited_by: str = ""
    within_budget: Optional[bool] = None
    notes: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    invalid_reason: str = ""

    @property
    def valid(self) -> bool:
        """False when the physical estimate is outside its error budget: not an estimate, so
        its runtime and physical qubits are never shown or compared as numbers."""
        return self.within_budget is not False


@frozen
class CrossoverResult:
    """Crossover records, the runtimes behind them, and every assumption.

    Attributes:
        records: One dict per (model, baseline), in input order: crossover_N (int or None),
            verdict, runtimes at the crossover (or at the largest N) as exact Fractions,
            ratio, margin, flags (see `crossover`).
        quantum: Model -> `QuantumPoint`s over the grid (exact runtimes, for plotting).
        classical: Baseline -> exact roofline runtimes over the grid.
        sizes: The (padded) grid.
        assumptions: Every assumption, one line each (print them with the numbers).
        notes: Notes of the inputs (padding, derived columns, the ideal QRAM's label).
    """

    records: list
    quantum: dict
    classical: dict
    sizes: tuple
    assumptions: list
    notes: list

    def series(self, model: str, baseline: str) -> list[dict[str, Any]]:
        """Runtimes at every N for plotting: exact Fractions (`float()` them to plot);
        `quantum_valid` False marks a point outside its error budget (not an estimate: draw
        it marked, never as a value of the line)."""
        return [
            {
                "model": model,
                "baseline": baseline,
                "N": q.N,
                "quantum_s": q.runtime_s,
                "classical_s": c,
                "quantum_lower_bound": q.lower_bound,
                "quantum_faster": q.runtime_s < c,
                "quantum_valid": q.valid,
            }
            for q, c in zip(self.quantum[model], self.classical[baseline])
        ]

    def rows(self) -> list[dict[str, Any]]:
        """Records as display rows (`COLUMNS`; times as 3-digit text) for `tables.render`.

        Where the quantum estimate at the record's N is invalid (outside its error budget),
        quantum_s, ratio and physical_qubits are None (an empty CSV cell, JSON null) and
        `quantum_valid` says "no: <reason>"."""
        out = []
        for r in self.records:
            out.append(
                {
                    "model": r["model"],
                    "qram": r["qram"],
                    "baseline": r["baseline"],
                    "crossover": r["verdict"],
                    "N": r["N"],
                    "quantum_s": seconds_text(r["quantum_s"]) or None,
                    "classical_s": seconds_text(r["classical_s"]),
                    "ratio": seconds_text(r["ratio"]) or None,
                    "margin": seconds_text(r["margin"]) or None,
                    "quantum_lower_bound": r["quantum_lower_bound"],
                    "established": r["established"],
                    "physical_qubits": r["physical_qubits"],
                    "quantum_valid": (
                        "yes" if r["quantum_valid"] else f"no: {r['invalid_reason']}"
                    ),
                }
            )
        return out

    def describe(self) -> str:
        """The assumptions and notes, one per line."""
        return "\n".join(
            [f"Assumption: {a}" for a in self.assumptions] + [f"Note: {n}" for n in self.notes]
        )
