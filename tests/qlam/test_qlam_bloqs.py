"""QLAM bloqs: closed forms against decompositions, Cirq circuits and the QLACI ansatz."""

import functools

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from qualtran.resource_counting import get_cost_value
from qualtran.testing import assert_valid_bloq_decomposition

from qlaci_cost.core.decomposed import cirq_circuit, cirq_depths, decomposed_summary
from qlaci_cost.core.depth import Depth, TDepth, ToffoliDepth, asap_depth
from qlaci_cost.core.summary import METRICS, cost_summary
from qlaci_cost.qlaci.ansatz import Interaction
from qlaci_cost.qlam import (
    DirectReadout,
    QLAMSequence,
    QLAMStep,
    TokenEncoding,
    UpdateAnsatz,
    WeakReadout,
)
from qlaci_cost.qlam.ansatz import ENTANGLERS, entangler_pairs

GATES = ("qubits", "toffoli", "t_count", "clifford", "rotations", "measurements")
N_, m_, L_, r_, d_, k_ = sympy.symbols("N m L r d_in k", positive=True, integer=True)


def angles(rng, n):
    return rng.uniform(-3, 3, n)


@pytest.mark.parametrize("entangler", tuple(ENTANGLERS))
@pytest.mark.parametrize("m", [2, 3, 4, 5])
@pytest.mark.parametrize("r", [1, 2, 3])
def test_ansatz_closed_form_equals_decomposition(entangler, m, r):
    rng = np.random.default_rng([m, r])
    concrete = UpdateAnsatz(m, 3, r, entangler, angles=angles(rng, 3 * r * m))
    assert cost_summary(UpdateAnsatz(m, 3, r, entangler)) == decomposed_summary(concrete)
    circuit, _ = cirq_circuit(concrete)
    assert cirq_depths(circuit)["depth"] == cost_summary(concrete).depth


def test_ansatz_symbolic_and_entangler_counts():
    s = cost_summary(UpdateAnsatz(m_, L_, r_, "ring"))
    assert sympy.simplify(s.rotations - L_ * r_ * m_) == 0
    assert sympy.simplify(s.clifford - L_ * m_) == 0
    assert sympy.simplify(s.depth - L_ * (r_ + m_)) == 0
    assert [len(entangler_pairs(e, 6)) for e in ("ladder", "brick", "ring")] == [5, 5, 6]


@pytest.mark.parametrize("m", [2, 3, 4, 6])
def test_brick_ansatz_is_the_qlaci_interaction(m):
    """Two independent bloqs: r = 2 with the brick entangler is QLACI's U(theta) on m qubits."""
    assert cost_summary(UpdateAnsatz(m, 2, 2, "brick")) == cost_summary(Interaction(1, m - 1, 2))


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 5), st.integers(1, 8), st.integers(0, 2**32 - 1))
def test_encoding_closed_form_equals_decomposition(m, d_in, seed):
    concrete = TokenEncoding(m, d_in, angles(np.random.default_rng(seed), d_in))
    assert cost_summary(TokenEncoding(m, d_in)) == decomposed_summary(concrete)
    assert TokenEncoding(m, d_in).conditioning_flops == 2 * d_in


@functools.cache
def _weak_closed_form(theta):
    """`WeakReadout` with symbolic m and k: its call graph and `my_static_costs` (depth
    3 ceil(k/m) + 2), never a decomposition."""
    return cost_summary(WeakReadout(m_, k_, theta))


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 4),
    st.integers(1, 8),
    st.sampled_from([0.4, 1.0, np.pi / 4, np.pi / 2]),
)
def test_weak_readout_closed_form_equals_decomposition(m, k, theta):
    """Two sources: the closed form in m and k evaluated at (m, k), and the decomposition of
    the concrete gadget (with concrete sizes `cost_summary` decomposes, so it is not a second
    source). The concrete bloq's static depth, which a step schedules it by, is the closed
    form too."""
    closed = _weak_closed_form(theta).subs({m_: m, k_: k})
    concrete = WeakReadout(m, k, theta)
    dec = decomposed_summary(concrete)
    assert closed.metrics() == dec.metrics()
    assert get_cost_value(concrete, Depth()) == dec.depth == 3 * -(-k // m) + 2


def test_weak_readout_angle_classes():
    assert cost_summary(WeakReadout(3, 2, 0.4)).rotations == 2
    assert cost_summary(WeakReadout(3, 2, np.pi / 2)).rotations == 0  # Ry(pi/2) is Clifford
    assert cost_summary(WeakReadout(3, 2, np.pi / 2)).clifford == 8
    with pytest.raises(ValueError, match="theta"):
        WeakReadout(3, 2, 2.0)
    with pytest.raises(ValueError, match="theta"):
        WeakReadout(3, 2, 0)


@pytest.mark.parametrize("bases", [None, ("ZZZ",), ("XYZ", "ZZX"), ("YXX", "XZZ")])
def test_direct_readout(bases):
    """Two sources: the documented closed form (`DirectReadout`'s Cost section: m
    measurements, #X + 2 #Y Cliffords, depth 1 + (2 with a Y, 1 with an X, else 0)), which is
    also the bloq's static depth, against the decomposition; for all-Z the closed form in a
    symbolic m, evaluated at m = 3."""
    for g in range(len(bases or ("Z",))):
        b = DirectReadout(3, 5, bases=bases, group=g)
        basis = bases[g] if bases else "ZZZ"
        dec = decomposed_summary(b)
        assert dec.measurements == 3 and dec.qubits == 3
        assert dec.clifford == basis.count("X") + 2 * basis.count("Y")
        depth = 1 + (2 if "Y" in basis else 1 if "X" in basis else 0)
        assert dec.depth == depth == get_cost_value(b, Depth())
    closed = cost_summary(DirectReadout(m_, 5)).subs({m_: 3})
    assert closed.metrics() == decomposed_summary(DirectReadout(3, 5)).metrics()
    with pytest.raises(ValueError, match="basis"):
        DirectReadout(3, bases=("ZZ",))


@pytest.mark.parametrize("m", [2, 3, 4])
@pytest.mark.parametrize("n", [2, 5, 8])
@pytest.mark.parametrize("weak", [0, 2])
def test_sequence_closed_form_equals_decomposition(m, n, weak):
    rng = np.random.default_rng([m, n, weak])
    L, r, d_in = 2, 2, 2
    kw = dict(d_in=d_in, layers=L, rotations=r, entangler="ladder", weak_ancillas=weak, theta=0.5)
    concrete = QLAMSequence(
        n, m, **kw, tokens=angles(rng, (n, d_in)), params=angles(rng, L * r * m)
    )
    closed = cost_summary(QLAMSequence(n, m, **kw))
    dec = decomposed_summary(concrete)
    for metric in GATES:
        assert getattr(closed, metric) == getattr(dec, metric), metric
    step = cost_summary(QLAMStep(m, **kw))
    readout = cost_summary(DirectReadout(m))
    keys = ((Depth(), "depth"), (ToffoliDepth(), "toffoli_depth"), (TDepth(), "t_depth"))
    for key, metric in keys:
        # Steps as blocks: the chain is N x step depth + readout, exactly what the Depth keys
        # measure on the decomposition; the gate-level schedule is at most that.
        blocks = asap_depth(concrete.decompose_bloq(), lambda b, key=key: get_cost_value(b, key))
        assert (
            blocks
            == getattr(closed, metric)
            == n * getattr(step, metric) + getattr(readout, metric)
        )
        assert getattr(dec, metric) <= getattr(closed, metric)
    circuit, _ = cirq_circuit(concrete)
    assert cirq_depths(circuit)["depth"] == dec.depth
    assert cirq_depths(circuit)["toffoli_depth"] == dec.toffoli_depth


def test_sequence_symbolic_exact_at_huge_n():
    s = cost_summary(QLAMSequence(N_, m_, d_, L_, r_, weak_ancillas=k_, final_readout=False))
    assert sympy.simplify(s.rotations - N_ * (L_ * r_ * m_ + d_)) == 0
    assert sympy.simplify(s.measurements - N_ * k_) == 0
    assert s.qubits == m_ + k_
    big = 2**200
    symb = cost_summary(QLAMSequence(N_, 4, 1, 2, 2)).subs({"N": big})
    concrete = cost_summary(QLAMSequence(big, 4, 1, 2, 2))
    assert symb.metrics() == concrete.metrics()
    assert concrete.rotations == big * (2 * 2 * 4 + 1) and isinstance(concrete.rotations, int)
    step = cost_summary(QLAMStep(4, 1, 2, 2))
    assert concrete.depth == big * step.depth + 1


def test_valid_decompositions():
    rng = np.random.default_rng(3)
    for bloq in (
        TokenEncoding(3, 4, angles(rng, 4)),
        UpdateAnsatz(3, 1, 2, "ring", angles(rng, 6)),
        DirectReadout(2, bases=("XY",)),
        WeakReadout(2, 3, 0.3),
        QLAMStep(2, 1, 1, weak_ancillas=1, token=(0.2,), params=angles(rng, 4)),
        QLAMSequence(2, 2, tokens=((0.1,), (0.2,)), params=angles(rng, 4)),
    ):
        assert_valid_bloq_decomposition(bloq)


def test_bad_sizes():
    with pytest.raises(ValueError, match="m=0"):
        TokenEncoding(0)
    with pytest.raises(ValueError, match="entangler"):
        UpdateAnsatz(3, entangler="star")
    with pytest.raises(ValueError, match="ring"):
        UpdateAnsatz(1, entangler="ring")
    with pytest.raises(ValueError, match="n_steps"):
        QLAMSequence(0, 2)
    assert set(METRICS) >= set(GATES)
