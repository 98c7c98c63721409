"""QLAM verification checks (fast variants; the full m = 2..4, N = 2..8 grid is marked slow),
their failures on crafted wrong circuits, and the independence of the NumPy reference."""

import attrs
import cirq
import numpy as np
import pytest
from qualtran.bloqs.basic_gates import Rx

from qlaci_cost.core.flatten import flatten_until
from qlaci_cost.qlam import QLAMSequence, simulation
from qlaci_cost.qlam.ansatz import ENTANGLERS, UpdateAnsatz
from qlaci_cost.qlam.simulation import (
    monitored_density,
    monitored_reference,
    reference_states,
    step_circuit,
    z_expectations,
)
from qlaci_cost.qlam.verify import (
    CHECK_KINDS,
    TOL,
    check_sampling,
    check_state,
    check_weak,
    qlam_checks,
    seeded,
)


@pytest.mark.parametrize("kind", ["qlam-counts", "qlam-state", "qlam-sampling"])
def test_fast_checks_pass(kind):
    results = list(qlam_checks([2, 5], [kind], [2, 3]))
    assert results and all(r.ok for r in results), [r.line() for r in results if not r.ok]


def test_executor_counts_every_protocol():
    results = list(qlam_checks([3], ["qlam-executions"], [2]))
    names = {r.model for r in results}
    # final, final-ae, every-step, every-step-ae, weak, time-pooled, query-dependent
    assert len(names) == 7
    assert all(r.ok for r in results), [r.line() for r in results if not r.ok]


def test_executor_prefix_states_are_the_reference_and_every_run_is_counted():
    """The executor keeps the state of a prefix it ran before; the state is still the
    reference's (the model's definition, none of the bloqs) and every run counts its steps."""
    from qlaci_cost.qlam.executor import InstrumentedExecutor

    seq = seeded(5, 3)
    executor = InstrumentedExecutor(seq)
    tokens = list(seq.tokens)
    for repeat in range(2):
        for t, want in enumerate(reference_states(seq), start=1):
            got = executor._prefix(t, tokens)
            assert abs(abs(np.vdot(want, got)) - 1) < 1e-9, (repeat, t)
    assert executor.counts["step_executions"] == 2 * sum(range(1, 6))
    changed = [tokens[0], (tokens[1][0] + 0.5, *tokens[1][1:]), *tokens[2:]]
    assert abs(abs(np.vdot(executor._prefix(2, tokens), executor._prefix(2, changed))) - 1) > 1e-6


def test_weak_check_small():
    result = check_weak(2, 4)
    assert result.ok, result.line()


def test_monitored_model_differs_from_the_unitary_model_and_matches_the_density_matrix():
    seq = seeded(4, 3, weak=2, theta=np.pi / 3)
    a, b = monitored_reference(seq), monitored_density(seq)
    np.testing.assert_allclose(a, b, atol=1e-9)
    no_dephasing = monitored_reference(seeded(4, 3, weak=2, theta=1e-9)) / 1e-9
    assert np.max(np.abs(a / np.sin(np.pi / 3) - no_dephasing)) > 0.1


def test_a_wrong_closed_form_fails(monkeypatch):
    """The count check can fail: an ansatz closed form one CNOT per layer short is caught."""
    from qualtran.bloqs.basic_gates import CNOT

    from qlaci_cost.qlam.ansatz import UpdateAnsatz

    original = UpdateAnsatz.build_call_graph

    def short(self, ssa):
        counts = dict(original(self, ssa))
        if self.angles is None:
            counts[CNOT()] -= self.layers
        return counts

    monkeypatch.setattr(UpdateAnsatz, "build_call_graph", short)
    results = list(qlam_checks([3], ["qlam-counts"], [3]))
    assert any(not r.ok and "clifford" in r.detail for r in results)
    with pytest.raises(ValueError, match="check"):
        list(qlam_checks([2], ["qlam-nothing"], [2]))


@pytest.mark.slow  # reason: the full grid simulates ~100 circuits and ~5,000 weak trajectories
def test_full_grid():
    results = list(qlam_checks(range(2, 9), CHECK_KINDS, [2, 3, 4]))
    assert all(r.ok for r in results), [r.line() for r in results if not r.ok]


@pytest.fixture
def ansatz_with(monkeypatch):
    """`ansatz_with(gate)`: every `UpdateAnsatz` circuit ends with `gate` on memory qubit 0 (a
    wrong circuit; the NumPy reference is written from the definition and does not change)."""
    original = UpdateAnsatz.build_composite_bloq

    def install(gate):
        def build(self, bb, memory):
            qs = list(bb.split(original(self, bb, memory)["memory"]))
            qs[0] = bb.add(gate, q=qs[0])
            return {"memory": bb.join(np.array(qs))}

        monkeypatch.setattr(UpdateAnsatz, "build_composite_bloq", build)
        flatten_until.cache_clear()  # flattenings of the previous circuit are stale

    return install


def test_state_check_fails_just_above_its_tolerance(ansatz_with):
    """Rx(1e-8) after every update (m = 2, N = 3): the sequence and the step-by-step circuits
    agree (both are the wrong circuit), the reference differs by ~5e-9 (> 1e-9): FAIL.
    Rx(1e-11): ~5e-12, PASS."""
    assert TOL == 1e-9
    ansatz_with(Rx(1e-8))
    above = check_state(2, 3)
    assert not above.ok and "|sequence - reference| = 4.66e-09" in above.detail, above.line()
    assert "|sequence - step by step| = " in above.detail
    ansatz_with(Rx(1e-11))
    assert check_state(2, 3).ok


def test_weak_check_fails_just_above_its_tolerance(ansatz_with):
    """The same wrong update under the weak readout (m = 2, N = 2): Cirq's density matrix of
    the circuit and the NumPy monitored model differ by ~5e-9 (> 1e-9): FAIL, although the
    sampled estimate is within eps (the sampling cannot resolve it)."""
    ansatz_with(Rx(1e-8))
    result = check_weak(2, 2)
    assert not result.ok and "|Cirq density matrix - model| = " in result.detail
    gap = float(result.detail.split("model| = ")[1].split(";")[0])
    assert TOL < gap < 100 * TOL, result.line()


def test_sampling_check_fails_a_bias_above_eps(ansatz_with):
    """Rx(0.25) after every update (m = 2, N = 3) moves <Z_q> by more than eps = 0.1 on some
    qubit: the final readout sampled with S = 738 shots misses the reference in more runs than
    the binomial quantile allows. Rx(0.001) (a bias of ~1e-3, far below eps): PASS."""
    ansatz_with(Rx(0.25))
    seq = seeded(3, 2)
    circuit, qubits = step_circuit(attrs.evolve(seq, final_readout=False))
    state = cirq.Simulator(dtype=np.complex128).simulate(circuit, qubit_order=qubits)
    bias = z_expectations(state.final_state_vector, 2) - z_expectations(
        reference_states(seq)[-1], 2
    )
    assert np.max(np.abs(bias)) > 0.1
    assert not check_sampling(2, 3).ok
    ansatz_with(Rx(0.001))
    assert check_sampling(2, 3).ok


@pytest.mark.parametrize("entangler", tuple(ENTANGLERS))
@pytest.mark.parametrize("m", [2, 3, 4])
def test_every_entangler_matches_the_reference(entangler, m):
    """The Cirq circuit of a sequence (d_in = 5 features: the encoding wraps around the m
    qubits, so both axes occur; L = 2, r = 3) equals the NumPy reference, per entangler."""
    rng = np.random.default_rng([m, len(entangler)])
    seq = QLAMSequence(
        3, m, 5, 2, 3, entangler, final_readout=False,
        tokens=rng.uniform(-3, 3, (3, 5)), params=rng.uniform(-3, 3, 2 * 3 * m),
    )  # fmt: skip
    circuit, qubits = step_circuit(seq)
    state = cirq.Simulator(dtype=np.complex128).simulate(circuit, qubit_order=qubits)
    np.testing.assert_allclose(
        state.final_state_vector, reference_states(seq)[-1], rtol=0, atol=1e-9
    )


def test_the_reference_uses_nothing_of_the_package():
    """`reference_states` and `monitored_reference`, and every function of the module they
    call, name no object defined in `qlaci_cost` outside that module: the gates are written
    from their definitions, not taken from the code under test."""
    todo = [simulation.reference_states, simulation.monitored_reference]
    seen = set()
    while todo:
        code = todo.pop().__code__
        codes = [code] + [c for c in code.co_consts if hasattr(c, "co_names")]
        for name in {n for c in codes for n in c.co_names}:
            obj = getattr(simulation, name, None)
            module = getattr(obj, "__module__", None) or ""
            if module == simulation.__name__ and callable(obj):
                if name not in seen:
                    seen.add(name)
                    todo.append(obj)
            else:
                assert not module.startswith("qlaci_cost"), f"the reference uses {name}"
    assert {"_reference_step", "_reference_pairs"} <= seen
