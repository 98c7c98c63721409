"""Multi-query verification by simulation of the same bloqs (B = 2, 4 at N = 2, 4)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qlaci_cost.qlaci.multi_query.verify import (
    BATCH_CHECKS,
    batch_checks,
    branch_values,
    conditional_expectation,
    sampling_experiment,
    seeded_batch,
)

SIZES = [(2, 2), (4, 2), (4, 4)]


@pytest.mark.parametrize("model", ["qrom", "ideal"])
@pytest.mark.parametrize("n_cells, n_batch", SIZES)
def test_every_check_passes(model, n_cells, n_batch):
    results = list(batch_checks([model], [n_cells], [n_batch]))
    assert len(results) == len(BATCH_CHECKS)
    for r in results:
        assert r.ok, r.line()
    assert sum(not r.skipped for r in results) >= (2 if model == "ideal" else 3)


@pytest.mark.slow(reason="bucket-brigade circuits of ~20 qubits, ~1 min")
@pytest.mark.parametrize("n_cells, n_batch", SIZES)
def test_every_check_passes_bucket_brigade(n_cells, n_batch):
    for r in batch_checks(["bucket-brigade"], [n_cells], [n_batch]):
        assert r.ok, r.line()


def test_branches_are_the_single_queries():
    """P(b) = 1/B and the readout given b is the single-query circuit for Q_b (Cirq)."""
    probs, cond, single, clean = branch_values(seeded_batch(4, 4, "qrom"))
    np.testing.assert_allclose(probs, 0.25, atol=1e-9)
    np.testing.assert_allclose(cond, single, atol=1e-6)
    assert clean == pytest.approx(1, abs=1e-9)
    # The B branches differ (the queries differ), so the check compares distinct values.
    assert np.ptp(single[:, 2]) > 1e-3


def test_sampling_experiment_detects_a_nonuniform_index():
    """The experiment can fail: with P(b) = (0.8, 0.2) the batched MSE of query 1 is far from
    the formula, which assumes n_b ~ Bin(B S, 1/B)."""
    means = np.array([0.3, -0.5])
    good = sampling_experiment(np.array([0.5, 0.5]), means, means, 64, 4000, 1)
    assert np.all(np.abs(good["batched"] - good["batched_formula"]) <= 4 * good["batched_se"])
    assert np.all(
        np.abs(good["sequential"] - good["sequential_formula"]) <= 4 * good["sequential_se"]
    )
    bad = sampling_experiment(np.array([0.8, 0.2]), means, means, 64, 4000, 1)
    assert np.any(np.abs(bad["batched"] - bad["batched_formula"]) > 4 * bad["batched_se"])


def test_equal_executions_give_equal_errors_to_order_one_over_s():
    """At equal total executions the batched MSE is the sequential one times
    S E[1/n_b] = 1 + O(1/S): batching neither gains nor loses precision per execution."""
    means = np.array([0.1, 0.4, -0.2, 0.7])
    exp = sampling_experiment(np.full(4, 0.25), means, means, 400, 2000, 3)
    ratio = exp["batched_formula"] / exp["sequential_formula"]
    assert np.all((ratio > 1) & (ratio < 1 + 3 / 400))


def test_a_circuit_too_wide_to_simulate_is_skipped_saying_why():
    """The parallel bucket brigade's batched query at N = 4 needs more qubits than a state
    vector holds: both simulated checks skip it with the count (never a failure), and B > N
    is no case at all."""
    results = list(batch_checks(["bucket-brigade-parallel"], [4], [2], ["batch-branches"]))
    results += list(batch_checks(["bucket-brigade-parallel"], [4], [4], ["batch-sampling"]))
    assert [r.skipped and r.ok for r in results] == [True, True]
    assert all("qubits to simulate, more than" in r.detail for r in results)
    assert list(batch_checks(["qrom"], [2], [4])) == []


def _masked_cirq_expectation(sim, register, value, pauli, out="out"):
    """The reference: every amplitude outside the branch zeroed, the rest renormalized, and
    Cirq's own Pauli-string expectation on the whole vector."""
    import cirq

    positions = sim.registers[register]
    n = sim.n_qubits
    amps = sim.state.reshape((2,) * n).copy()
    for k, p in enumerate(positions):
        idx = [slice(None)] * n
        idx[p] = 1 - ((value >> (len(positions) - 1 - k)) & 1)
        amps[tuple(idx)] = 0
    prob = float(np.sum(np.abs(amps) ** 2))
    paulis = {"X": cirq.X, "Y": cirq.Y, "Z": cirq.Z}
    ps = cirq.PauliString(
        {sim.qubits[q]: paulis[c] for q, c in zip(sim.registers[out], pauli) if c != "I"}
    )
    qubit_map = {q: i for i, q in enumerate(sim.qubits)}
    state = amps.reshape(-1) / np.sqrt(prob)
    return prob, float(np.real(ps.expectation_from_state_vector(state, qubit_map)))


@given(seed=st.integers(0, 2**32 - 1), pauli=st.sampled_from(["XZ", "YY", "ZI", "IX", "XY"]))
@settings(max_examples=30, deadline=None)
def test_branch_expectations_equal_cirqs_on_the_masked_state(seed, pauli):
    """`conditional_expectation` reads a branch by indexing and a reduced density matrix; the
    same numbers as zeroing the other branches and asking Cirq (random states, registers out of
    order and split around the branch register)."""
    import cirq

    from qlaci_cost.qlaci.simulation import SimulatedState

    rng = np.random.default_rng(seed)
    state = rng.normal(size=2**6) + 1j * rng.normal(size=2**6)
    state /= np.linalg.norm(state)
    sim = SimulatedState(
        state=state,
        qubits=tuple(cirq.LineQubit.range(6)),
        registers={"batch": (1, 4), "out": (5, 2)},
        ancillas=(0, 3),
    )
    for b in range(4):
        prob, value = conditional_expectation(sim, "batch", b, pauli)
        want_prob, want = _masked_cirq_expectation(sim, "batch", b, pauli)
        assert prob == pytest.approx(want_prob, abs=1e-12)
        assert value == pytest.approx(want, abs=1e-12)
