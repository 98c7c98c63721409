"""Counts measured on a concrete decomposition: the second source for every closed form.

`decomposed_summary` walks a bloq flattened to leaf gates (never its call graph or closed
forms); `cirq_depths` measures the Cirq circuit of that same decomposition with a separate
scheduler on Cirq operations.
"""

from collections import Counter

import cirq
from qualtran import Bloq

from qlaci_cost.core._qualtran_adapter import cbloq_peak_width
from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, Conventions
from qlaci_cost.core.depth import flatten_to_leaves, leaf_depths
from qlaci_cost.core.leaves import leaf_class, leaf_gate_counts
from qlaci_cost.core.summary import CostSummary

__all__ = [
    "MERGED_QUBITS",
    "cirq_circuit",
    "cirq_depths",
    "decomposed_summary",
    "merged",
]

#: Widest gate `merged` builds: a 2^5-square matrix (larger blocks cost more than they save).
MERGED_QUBITS = 5


def decomposed_summary(bloq: Bloq, conventions: Conventions = DEFAULT_CONVENTIONS) -> CostSummary:
    """Every metric of `bloq` measured on its decomposition into leaf gates.

    Gate counts: the sum over leaf instances. Qubits: the peak live width of the flattened
    circuit run gate by gate (Qualtran's QubitCount rule applied to leaves only). Depths: exact
    as-soon-as-possible schedules (`depth.flat_depth`).
    """
    cbloq = flatten_to_leaves(bloq)
    totals: Counter = Counter()
    for binst in cbloq.bloq_instances:
        totals.update(leaf_gate_counts(binst.bloq))
    toffoli = totals["toffoli"]
    rotations = totals["rotations"]
    t_count = (
        totals["t"] + conventions.t_per_toffoli * toffoli + rotations * conventions.t_per_rotation
    )
    return CostSummary(
        qubits=int(cbloq_peak_width(cbloq, lambda b: b.signature.n_qubits())),
        toffoli=toffoli,
        t_count=t_count,
        clifford=totals["clifford"],
        rotations=rotations,
        measurements=totals["measurements"],
        conventions=conventions,
        **leaf_depths(cbloq, conventions),
    )


def cirq_circuit(bloq: Bloq) -> tuple[cirq.Circuit, dict]:
    """The Cirq circuit of `bloq`'s leaf decomposition and its named input registers."""
    from qualtran._infra.gate_with_registers import get_named_qubits

    cbloq = flatten_to_leaves(bloq)
    quregs = get_named_qubits(cbloq.signature.lefts())
    circuit, _ = cbloq.to_cirq_circuit_and_quregs(**quregs)
    return cirq.Circuit(circuit.all_operations()), quregs


def merged(circuit: cirq.Circuit) -> cirq.Circuit:
    """`circuit` with its circuit operations unrolled and each connected run of unitary gates
    on at most `MERGED_QUBITS` qubits merged into one matrix gate (Cirq's
    `merge_k_qubit_unitaries`): the same channel, measurements and resets where they were,
    simulated in fewer steps. For sampling circuits with measurements in the middle, which
    Cirq's simulator runs one repetition at a time."""
    flat = cirq.unroll_circuit_op(circuit, deep=True, tags_to_check=None)
    k = min(len(flat.all_qubits()), MERGED_QUBITS)
    return cirq.merge_k_qubit_unitaries(
        flat, k=k, rewriter=lambda op: cirq.MatrixGate(cirq.unitary(op)).on(*op.qubits)
    )


def _is_non_clifford(op: cirq.Operation) -> bool:
    """Toffoli-class, T or rotation: Qualtran gates by their leaf class, Cirq gates by type."""
    from qualtran.cirq_interop import BloqAsCirqGate

    gate = op.gate
    bloq = gate.bloq if isinstance(gate, BloqAsCirqGate) else gate
    if isinstance(bloq, Bloq):
        return leaf_class(bloq) in ("toffoli", "t", "rotation")
    if isinstance(gate, (cirq.CCXPowGate, cirq.CCZPowGate, cirq.CSwapGate)):
        return True
    return not cirq.has_stabilizer_effect(op) and len(op.qubits) == 1


def cirq_depths(circuit: cirq.Circuit) -> dict[str, int]:
    """`depth` = len(circuit) (Cirq places each operation in the earliest moment its qubits
    allow); `toffoli_depth` = most non-Clifford operations on any dependency chain, computed
    moment by moment on the Cirq operations."""
    ready: dict[cirq.Qid, int] = {}
    for moment in circuit:
        for op in moment:
            start = max((ready.get(q, 0) for q in op.qubits), default=0)
            end = start + (1 if _is_non_clifford(op) else 0)
            for q in op.qubits:
                ready[q] = end
    return {"depth": len(circuit), "toffoli_depth": max(ready.values(), default=0)}
