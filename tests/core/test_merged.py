"""`core.decomposed.merged` (unitary runs merged into matrix gates, for sampling circuits that
measure mid-way) is the same circuit: equal unitaries without measurements, the same channel
(measurements as dephasing) with them."""

import cirq
import numpy as np

from qlaci_cost.core.decomposed import MERGED_QUBITS, cirq_circuit, merged
from qlaci_cost.qlam.verify import seeded


def random_circuit(seed: int, n_qubits: int = 6, depth: int = 30) -> cirq.Circuit:
    return cirq.testing.random_circuit(n_qubits, depth, 0.8, random_state=seed)


def test_merged_keeps_the_unitary():
    for seed in range(5):
        circuit = random_circuit(seed)
        qubits = sorted(circuit.all_qubits())
        np.testing.assert_allclose(
            merged(circuit).unitary(qubit_order=qubits),
            circuit.unitary(qubit_order=qubits),
            atol=1e-9,
        )
        widest = max(len(op.qubits) for op in merged(circuit).all_operations())
        assert widest <= MERGED_QUBITS


def channel(circuit: cirq.Circuit, qubits) -> np.ndarray:
    """The final density matrix, each measurement replaced by the dephasing it causes."""
    sim = cirq.DensityMatrixSimulator(dtype=np.complex128)
    return sim.simulate(cirq.dephase_measurements(circuit), qubit_order=qubits).final_density_matrix


def test_merged_is_the_same_channel_with_measurements_midway():
    circuit, _ = cirq_circuit(seeded(4, 2, weak=2, theta=np.pi / 3))  # measured mid-circuit
    fewer = merged(circuit)
    assert len(list(fewer.all_operations())) < len(list(circuit.all_operations()))
    qubits = sorted(circuit.all_qubits())
    np.testing.assert_allclose(channel(fewer, qubits), channel(circuit, qubits), atol=1e-9)
    no_reset = cirq.Circuit(
        op for op in fewer.all_operations() if not isinstance(op.gate, cirq.ResetChannel)
    )  # the same operations without the resets between steps: another channel
    assert not np.allclose(channel(no_reset, qubits), channel(circuit, qubits), atol=1e-6)
