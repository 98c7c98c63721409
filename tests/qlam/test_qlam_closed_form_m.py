"""QLAM's step and readout counts at any memory size m: the closed forms in m (derived once with
m a symbol, `protocols.summaries_in_m`) equal the counts derived from the m-qubit circuit
itself, and a memory of 10^9 qubits costs what 8 do (nothing of size m is built)."""

import time

import pytest

from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, Conventions
from qlaci_cost.core.summary import cost_summary
from qlaci_cost.qlam.protocols import CLOSED_FORM_M, QLAMConfig, protocol_cost, summaries_in_m

CASES = [
    # (m, entangler, K, G, k, L, r, d_in): defaults, K = m, small K, d_in > m, one qubit
    (1, "ladder", None, 1, None, 2, 2, 1),
    (2, "ring", None, 1, None, 2, 2, 1),
    (3, "brick", 1, 1, 1, 3, 1, 7),
    (5, "ladder", 3, 2, 5, 1, 3, 4),
    (8, "ring", 8, 3, None, 2, 2, 200),
    (33, "brick", None, 1, None, 2, 2, 1),
]


def _config(m, entangler, k_obs, groups, ancillas, layers, rotations, d_in) -> QLAMConfig:
    return QLAMConfig(
        m=m, d_in=d_in, layers=layers, rotations=rotations, entangler=entangler,
        n_observables=k_obs, n_groups=groups, ancillas=ancillas,
    )  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"m={c[0]}-{c[1]}")
def test_closed_form_in_m_equals_the_circuit(case):
    config = _config(*case)
    closed = summaries_in_m(config, DEFAULT_CONVENTIONS)
    circuits = {
        "step": config.step(False),
        "weak_step": config.step(True),
        "readout": config.readout(),
    }
    for name, bloq in circuits.items():
        derived = cost_summary(bloq, DEFAULT_CONVENTIONS).metrics()
        assert closed[name].metrics() == derived, name
        assert all(type(v) is int for v in closed[name].metrics().values())


def test_the_table_switches_to_the_closed_form_above_the_threshold_with_the_same_numbers():
    """Just above `CLOSED_FORM_M` the protocol costs come from the closed forms; they equal
    those of the circuit-derived summaries (the same config priced both ways)."""
    m = CLOSED_FORM_M + 1
    config = QLAMConfig(m=m, entangler="ring")
    seven_t = Conventions.with_t_per_toffoli(7)
    for protocol in ("final", "every-step", "weak"):
        closed = protocol_cost(protocol, 64, config, conventions=seven_t)
        by_circuit = {k: cost_summary(b, seven_t) for k, b in _bloqs(config).items()}
        part = by_circuit["weak_step" if protocol == "weak" else "step"]
        assert closed.run.qubits == part.qubits
        assert closed.totals["total_t_count"] == closed.step_executions * part.t_count + (
            0 if protocol == "weak" else closed.readouts * by_circuit["readout"].t_count
        )


def _bloqs(config: QLAMConfig) -> dict:
    return {"step": config.step(False), "weak_step": config.step(True), "readout": config.readout()}


def test_a_billion_memory_qubits_cost_what_eight_do():
    start = time.perf_counter()
    config = QLAMConfig(m=10**9)
    cost = protocol_cost("every-step", 2**40, config)
    assert time.perf_counter() - start < 5
    assert cost.run.qubits == 10**9
    # The ladder step's gate counts are affine in m: the circuits of m = 100 and 200 qubits
    # (derived gate by gate) extrapolate to the closed form's value at m = 10^9.
    huge = summaries_in_m(config, DEFAULT_CONVENTIONS)["step"]
    small = {m: cost_summary(QLAMConfig(m=m).step(False)) for m in (100, 200)}
    for metric in ("t_count", "clifford", "rotations", "depth"):
        a, b = getattr(small[100], metric), getattr(small[200], metric)
        assert getattr(huge, metric) == a + (b - a) * (10**9 - 100) // 100, metric
