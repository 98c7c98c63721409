"""Faster paths to the same simulation (`core.cirq_paths`): `for_simulation` (Qualtran's
`TwoBitCSwap` leaf as Cirq's `CSWAP`) changes the speed, not the state; `terminal_samples` gives
Cirq's `run` samples seed by seed from one simulation; `trajectory_records` gives the records of
Cirq's run of a circuit measured mid-circuit with every repetition simulated at once."""

import cirq
import numpy as np
import pytest
from qualtran.bloqs.basic_gates import TwoBitCSwap
from qualtran.cirq_interop import BloqAsCirqGate

from qlaci_cost import qram
from qlaci_cost.core.cirq_paths import for_simulation, terminal_samples, trajectory_records
from qlaci_cost.core.decomposed import cirq_circuit


def _wrapped(circuit: cirq.Circuit) -> int:
    return sum(isinstance(op.gate, BloqAsCirqGate) for op in circuit.all_operations())


def test_cswap_has_the_unitary_qualtran_contracts_for_its_leaf():
    """Qualtran's tensor contraction of the leaf (control, x, y) against Cirq's CSWAP."""
    qubits = cirq.LineQubit.range(3)
    wrapped = BloqAsCirqGate(TwoBitCSwap()).on(*qubits)
    np.testing.assert_allclose(cirq.unitary(wrapped), cirq.unitary(cirq.CSWAP), atol=1e-12)


def test_a_bucket_brigade_simulates_to_the_same_state():
    circuit, quregs = cirq_circuit(qram.build("bucket-brigade", [3, 0, 2, 1], 2))
    native = for_simulation(circuit)
    assert _wrapped(circuit) > 0 and _wrapped(native) == 0
    assert len(native) == len(circuit) and native.all_qubits() == circuit.all_qubits()
    address = list(quregs["address"])
    order = sorted(circuit.all_qubits())
    states = [
        cirq.Simulator(dtype=np.complex128)
        .simulate(cirq.Circuit(cirq.H.on_each(*address), c), qubit_order=order)
        .final_state_vector
        for c in (circuit, native)
    ]
    np.testing.assert_allclose(states[0], states[1], atol=1e-12)


def test_terminal_samples_are_cirqs_run_per_seed():
    """One simulation sampled per seed, against Cirq's `run` (which simulates per seed): the
    same bits, key by key, for a QLAM sequence read out on every memory qubit."""
    import attrs

    from qlaci_cost.qlam.verify import seeded

    circuit, _ = cirq_circuit(attrs.evolve(seeded(4, 3), final_readout=True))
    seeds = [0, 7, 1000]
    for seed, got in zip(seeds, terminal_samples(circuit, 50, seeds)):
        want = cirq.Simulator(seed=seed).run(circuit, repetitions=50).measurements
        assert set(got) == set(want) and len(want) == 3
        for key in want:
            np.testing.assert_array_equal(got[key], want[key])


def test_terminal_samples_refuse_a_measurement_in_the_middle():
    q = cirq.LineQubit.range(2)
    circuit = cirq.Circuit(cirq.H(q[0]), cirq.measure(q[0], key="m"), cirq.CNOT(q[0], q[1]))
    with pytest.raises(ValueError, match="terminal"):
        terminal_samples(circuit, 10, [0])


def _weak_circuit(n: int, m: int) -> cirq.Circuit:
    from qlaci_cost.core.decomposed import merged
    from qlaci_cost.qlam.verify import seeded

    circuit, _ = cirq_circuit(seeded(n, m, weak=2, theta=np.pi / 3))
    return merged(circuit)


def _toy_circuit() -> cirq.Circuit:
    """Mid-circuit measurements of one and two qubits, resets, a repeated key, entangling
    gates between them: outcomes that depend on earlier ones."""
    a, b, c = cirq.LineQubit.range(3)
    return cirq.Circuit(
        cirq.H(a),
        cirq.ry(0.7).on(b),
        cirq.CNOT(a, c),
        cirq.measure(a, b, key="ab"),
        cirq.reset(a),
        cirq.rx(1.1).on(a),
        cirq.CZ(a, c),
        cirq.H(c),
        cirq.measure(c, key="c"),
        cirq.reset(c),
        cirq.ry(2.0).on(c),
        cirq.CNOT(c, b),
        cirq.measure(a, b, key="ab"),
    )


@pytest.mark.parametrize("seed", [0, 3, 12345])
@pytest.mark.parametrize(
    "make", [lambda: _weak_circuit(3, 2), lambda: _weak_circuit(2, 3), _toy_circuit]
)
def test_trajectory_records_are_cirqs_run_records(make, seed):
    """Every repetition at once, against Cirq's run one repetition at a time: the same
    outcome at every measurement of every repetition."""
    circuit = make()
    want = cirq.Simulator(seed=seed, split_untangled_states=False).run(circuit, repetitions=200)
    got = trajectory_records(circuit, 200, seed)
    assert set(got) == set(want.records)
    for key, records in want.records.items():
        assert got[key].shape == records.shape
        np.testing.assert_array_equal(got[key], records)


def test_trajectory_records_refuse_what_they_cannot_apply():
    q = cirq.LineQubit(0)
    inverted = cirq.Circuit(cirq.H(q), cirq.measure(q, key="m", invert_mask=(True,)))
    with pytest.raises(ValueError, match="plain measurements"):
        trajectory_records(inverted, 5, 0)
    noisy = cirq.Circuit(cirq.depolarize(0.1).on(q), cirq.measure(q, key="m"))
    with pytest.raises(ValueError, match="cannot apply"):
        trajectory_records(noisy, 5, 0)
