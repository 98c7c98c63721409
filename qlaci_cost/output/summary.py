"""The report's summary table, the kind resource-estimation papers lead with: for the key QRAM
models at N = 2^10, 2^20, 2^30, 2^40 (those of the grid), one QLACI head's logical qubits,
physical qubits and the share of them in magic-state factories, code distance and runtime,
against the fastest of the headline classical methods at the same N, and the ratio.

Key models: the circuit model whose head is fastest at the largest N, and every assumed oracle
(the proposal's cost model), so the table shows the best real circuit and the best case.
"""

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from qlaci_cost.core.numbers import count_text, duration_text, quantity_text, size_text
from qlaci_cost.qram.registry import traits

__all__ = ["SUMMARY_COLUMNS", "key_models", "summary_rows"]

SUMMARY_COLUMNS = (
    "model",
    "N",
    "logical qubits",
    "physical qubits",
    "in factories",
    "distance",
    "quantum head",
    "fastest classical",
    "classical head",
    "quantum / classical",
    "valid",
)


def key_models(physical: Sequence[Mapping[str, Any]]) -> list[str]:
    """The fastest circuit model at the largest N of `physical` (valid estimates only), then
    the assumed oracles, in the rows' order."""
    models = list(dict.fromkeys(r["model"] for r in physical))
    top = max((r["N"] for r in physical), default=None)
    circuits = [
        r
        for r in physical
        if r["N"] == top and not traits(r["model"]).ASSUMED_ORACLE and r["runtime_s"] is not None
    ]
    fastest = [min(circuits, key=lambda r: r["runtime_s"])["model"]] if circuits else []
    return fastest + [m for m in models if traits(m).ASSUMED_ORACLE]


def summary_rows(
    physical: Sequence[Mapping[str, Any]],
    head: Sequence[Mapping[str, Any]],
    classical: Mapping[str, Sequence[Any]],
    sizes: Sequence[int],
) -> list[dict[str, Any]]:
    """One row per key model and N of `physical` (report rows with their `_estimate`); the
    head rows give the logical qubits, `classical` (baseline -> exact runtimes over `sizes`)
    the fastest classical method at each N."""
    qubits = {(r["model"], r["N"]): r["qubits"] for r in head}
    rows = []
    for model in key_models(physical):
        for r in (r for r in physical if r["model"] == model):
            e = r["_estimate"]
            i = list(sizes).index(r["N"])
            name, seconds = min(
                ((b, Fraction(t[i])) for b, t in classical.items()), key=lambda bt: bt[1]
            )
            valid = bool(e.valid)
            rows.append(
                {
                    "model": model + ("†" if traits(model).ASSUMED_ORACLE else ""),
                    "N": size_text(r["N"]),
                    "logical qubits": count_text(qubits[(model, r["N"])]),
                    "physical qubits": count_text(e.physical_qubits) if valid else "",
                    "in factories": quantity_text(
                        Fraction(100 * e.factory_footprint, e.physical_qubits)
                    )
                    + " %"
                    if valid and e.physical_qubits
                    else "",
                    "distance": str(e.code_distance) if valid else "",
                    "quantum head": duration_text(e.runtime_s) if valid else "",
                    "fastest classical": name,
                    "classical head": duration_text(seconds),
                    "quantum / classical": quantity_text(Fraction(e.runtime_s) / seconds)
                    if valid and seconds
                    else "",
                    "valid": "yes" if valid else "no: " + e.invalid_reason,
                }
            )
    return rows
