"""Simulation of the QLAM bloqs (their own Cirq circuits) and a NumPy reference of the model.

- `step_circuit` / `step_unitary`: a step bloq's leaf decomposition as a Cirq circuit on the
  memory (and ancilla) qubits, in register order, and its unitary (no weak readout).
- `reference_states`: the model from its definition (rotation matrices and CNOTs in NumPy, no
  Qualtran, no Cirq): the memory state after every token.
- `monitored_reference`: the weak-readout model from its definition: the memory's density
  matrix with each ancilla's <X> = sin(theta) <Z_q> recorded and the memory dephased by the
  channel rho -> (1 + cos theta)/2 rho + (1 - cos theta)/2 Z_q rho Z_q.
- `monitored_density`: Cirq's density-matrix simulation of the sequence's own circuit, each
  measure-and-reset replaced by the reset channel (the average over outcomes), reading each
  ancilla's <Z> (= <X> before its H) just before it is reset.

The reference calls nothing of the package: the encoding axes, the entangler's CNOT pairs and
the weak readout's targets are written here again from their definitions in
docs/derivations/qlam.md (sections 1 to 3), so a change to the bloqs' circuits shows up as a
difference (`qlam.verify.check_state`, `check_weak`); it reads only the sequence's parameters
(sizes, entangler name, tokens, angles, theta).
"""

from collections.abc import Sequence

import cirq
import numpy as np
from qualtran import Bloq

from qlaci_cost.core.decomposed import cirq_circuit
from qlaci_cost.qlam.readout import MeasureReset
from qlaci_cost.qlam.step import QLAMSequence

__all__ = [
    "monitored_density",
    "monitored_reference",
    "reference_states",
    "register_qubits",
    "step_circuit",
    "step_unitary",
    "z_expectations",
]

_I = np.eye(2)
_Z = np.diag([1.0, -1.0])


def register_qubits(quregs: dict, names: Sequence[str] = ("memory", "anc")) -> list:
    return [q for n in names if n in quregs for q in np.asarray(quregs[n]).ravel()]


def step_circuit(bloq: Bloq) -> tuple[cirq.Circuit, list]:
    """The bloq's leaf circuit and its qubits in register order (memory, then anc)."""
    circuit, quregs = cirq_circuit(bloq)
    return circuit, register_qubits(quregs)


def step_unitary(bloq: Bloq) -> np.ndarray:
    """The unitary of a measurement-free bloq's circuit (qubits in register order)."""
    circuit, qubits = step_circuit(bloq)
    return circuit.unitary(qubit_order=qubits)


def _rot(gate_name: str, angle: float) -> np.ndarray:
    c, s = np.cos(angle / 2), np.sin(angle / 2)
    if gate_name == "Rx":
        return np.array([[c, -1j * s], [-1j * s, c]])
    if gate_name == "Ry":
        return np.array([[c, -s], [s, c]])
    return np.diag([np.exp(-1j * angle / 2), np.exp(1j * angle / 2)])


def _on(state: np.ndarray, op: np.ndarray, qubits: Sequence[int], m: int) -> np.ndarray:
    psi = state.reshape((2,) * m)
    k = len(qubits)
    psi = np.tensordot(op.reshape((2,) * (2 * k)), psi, axes=(list(range(k, 2 * k)), qubits))
    return np.moveaxis(psi, list(range(k)), qubits).reshape(-1)


_CNOT = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]], dtype=complex)


def _reference_pairs(entangler: str, m: int) -> list[tuple[int, int]]:
    """(control, target) CNOTs of one entangler layer (docs/derivations/qlam.md, section 2;
    CNOT(c, t) has control c): ladder CNOT(0,1), CNOT(1,2), ..., CNOT(m-2,m-1); brick the even
    pairs (0,1), (2,3), ... then the odd ones (1,2), (3,4), ...; ring the ladder, then
    CNOT(m-1, 0)."""
    chain = [(q, q + 1) for q in range(m - 1)]
    if entangler == "brick":
        return chain[0::2] + chain[1::2]
    if entangler == "ring":
        return chain + [(m - 1, 0)]
    if entangler == "ladder":
        return chain
    raise ValueError(f"entangler {entangler!r}: no reference")


def _reference_step(state, token, params, seq: QLAMSequence) -> np.ndarray:
    """One token: feature k rotates memory qubit k mod m, about X in even passes over the
    qubits (k // m even) and Z in odd ones (docs/derivations/qlam.md, section 1); then L
    layers of r rotation layers (Ry, Rz, Ry, ... on every qubit; angles layer-major, then
    rotation, then qubit), each followed by the entangler's CNOTs."""
    m = int(seq.m)
    for k, a in enumerate(token):
        state = _on(state, _rot("Rx" if (k // m) % 2 == 0 else "Rz", a), [k % m], m)
    angles = iter(params)
    for _ in range(int(seq.layers)):
        for j in range(int(seq.rotations)):
            for q in range(m):
                state = _on(state, _rot(("Ry", "Rz")[j % 2], next(angles)), [q], m)
        for c, t in _reference_pairs(seq.entangler, m):
            state = _on(state, _CNOT, [c, t], m)
    return state


def reference_states(seq: QLAMSequence) -> list[np.ndarray]:
    """The memory state after tokens 1..N, from the model's definition."""
    m = int(seq.m)
    state = np.zeros(2**m, dtype=complex)
    state[0] = 1
    out = []
    for token in seq.tokens:
        state = _reference_step(state, token, seq.params, seq)
        out.append(state)
    return out


def z_expectations(state: np.ndarray, m: int) -> np.ndarray:
    """<Z_q> for q = 0..m-1 of a state vector (qubit 0 most significant)."""
    p = (np.abs(state) ** 2).reshape((2,) * m)
    return np.array([np.sum(p.take(0, axis=q)) - np.sum(p.take(1, axis=q)) for q in range(m)])


def monitored_reference(seq: QLAMSequence) -> np.ndarray:
    """<X_anc> of every ancilla at every step (N x k) of the monitored model, from its
    definition: sin(theta) <Z_q>, then dephasing of memory qubit q by cos(theta)."""
    m, theta = int(seq.m), float(seq.theta)
    targets = [j % m for j in range(int(seq.weak_ancillas))]  # ancilla j reads qubit j mod m
    rho = np.zeros((2**m, 2**m), dtype=complex)
    rho[0, 0] = 1
    out = []
    for token in seq.tokens:
        u = np.stack([_reference_step(col, token, seq.params, seq) for col in np.eye(2**m)], 1)
        rho = u @ rho @ u.conj().T
        row = []
        for q in targets:
            zq = np.diag(z_op := _z_on(q, m))
            row.append(np.sin(theta) * float(np.real(np.sum(np.diag(rho) * zq))))
            rho = (1 + np.cos(theta)) / 2 * rho + (1 - np.cos(theta)) / 2 * (z_op @ rho @ z_op)
        out.append(row)
    return np.array(out)


def _z_on(q: int, m: int) -> np.ndarray:
    op = np.array([[1.0]])
    for i in range(m):
        op = np.kron(op, _Z if i == q else _I)
    return op


def monitored_density(seq: QLAMSequence) -> np.ndarray:
    """<X_anc> (N x k) from Cirq's density-matrix simulation of the sequence's own circuit."""
    circuit, qubits = step_circuit(seq)
    k = int(seq.weak_ancillas)
    ops = []
    for op in circuit.all_operations():
        gate = getattr(op, "gate", None)
        bloq = getattr(gate, "bloq", None)
        if isinstance(op, cirq.CircuitOperation) or isinstance(bloq, MeasureReset):
            (q,) = op.qubits
            ops.append(cirq.ResetChannel().on(q))
        else:
            ops.append(op)
    anc = qubits[int(seq.m) :]
    counts = dict.fromkeys(range(k), 0)
    values = np.zeros((int(seq.n_steps), k))
    rho = None
    sim = cirq.DensityMatrixSimulator(dtype=np.complex128)
    qubit_index = {q: i for i, q in enumerate(qubits)}
    block: list = []
    for op in ops:
        if isinstance(op.gate, cirq.ResetChannel):
            result = sim.simulate(
                cirq.Circuit(block),
                qubit_order=qubits,
                initial_state=rho if rho is not None else 0,
            )
            rho = result.final_density_matrix
            q = op.qubits[0]
            j = anc.index(q)
            values[counts[j], j] = _z_expect(rho, qubit_index[q], len(qubits))
            counts[j] += 1
            block = [op]
        else:
            block.append(op)
    return values


def _z_expect(rho: np.ndarray, q: int, n: int) -> float:
    return float(np.real(np.sum(np.diag(rho) * np.diag(_z_on(q, n)))))
