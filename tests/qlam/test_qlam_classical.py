"""QLAM classical references: SSM scan, exact classical simulation, and the crossover in m."""

from fractions import Fraction

import cirq
import numpy as np

from qlaci_cost.core.decomposed import cirq_circuit
from qlaci_cost.qlam import QLAMStep
from qlaci_cost.qlam.classical import (
    quantum_runtime,
    simulation_cost,
    simulation_crossover,
    ssm_reference,
)
from qlaci_cost.qlam.protocols import QLAMConfig, protocol_cost


def test_ssm_reference_is_the_mamba_scan_count():
    # Gu, Dao arXiv:2312.00752 Algorithm 2 as counted in analysis.classical: 7 N d s + 3 N d.
    ref = ssm_reference(784, d=64, state=16)
    assert ref["flops"] == 7 * 784 * 64 * 16 + 3 * 784 * 64
    assert ref["flops_per_token"] * 784 == ref["flops"]


def test_simulation_flops_from_the_cirq_circuit():
    """FLOPs counted gate by gate on the step's own Cirq circuit (16 FLOPs per amplitude per
    single-qubit gate, none for a CNOT), against the closed form."""
    config = QLAMConfig(m=3, d_in=2, layers=2, rotations=2)
    rng = np.random.default_rng(5)
    step = QLAMStep(3, 2, 2, 2, token=rng.uniform(-3, 3, 2), params=rng.uniform(-3, 3, 12))
    circuit, _ = cirq_circuit(step)
    ops = list(circuit.all_operations())
    single = sum(1 for op in ops if len(op.qubits) == 1)
    assert single + sum(1 for op in ops if len(op.qubits) == 2) == len(ops)
    n = 10
    sim = simulation_cost(n, config, "final")
    readout = (3 + config.n_observables) * 2**3
    assert sim.flops == n * single * 16 * 2**3 + readout
    traffic = n * len(ops) * 16 * 2**3 + 8 * 2**3
    assert sim.traffic_bytes == traffic
    every = simulation_cost(n, config, "every-step")
    assert every.flops == sim.flops + (n - 1) * readout
    assert not any(isinstance(op.gate, cirq.MeasurementGate) for op in ops)


def test_quantum_runtime_scales_with_run_equivalents():
    final = protocol_cost("final", 784)
    q = quantum_runtime(final)
    assert q["runtime_s"] == q["run_runtime_s"] * final.runs
    every = protocol_cost("every-step", 784)
    assert quantum_runtime(every)["runtime_s"] == q["run_runtime_s"] * Fraction(
        every.step_executions, 784
    )


def test_crossover_m_is_where_classical_overtakes():
    out = simulation_crossover(64, "final", max_m=64)
    m = out["crossover_m"]
    rows = {r["m"]: r for r in out["rows"]}
    assert m is not None and rows[m]["classical_s"] > rows[m]["quantum_s"]
    assert all(rows[j]["classical_s"] <= rows[j]["quantum_s"] for j in range(2, m))
    assert out["max_m_in_memory"] == 33  # 2^33 complex64 amplitudes = 68.7 GB <= 80 GB
