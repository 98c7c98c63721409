"""QLAM readout protocols: totals against the sequence bloq's own counts, shot rules, symbolic N."""

import math

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from qlaci_cost.analysis.shots import ae_calls, hoeffding_shots
from qlaci_cost.core.summary import cost_summary, evaluate
from qlaci_cost.qlam import QLAMSequence
from qlaci_cost.qlam.protocols import (
    DEFAULT_CONFIG,
    PROTOCOLS,
    TOTALS,
    QLAMConfig,
    protocol_cost,
)
from qlaci_cost.symbolics.scaling import loglog_slope

SMALL = QLAMConfig(m=3, d_in=2, layers=1, rotations=2, n_observables=2, n_groups=2, theta=0.7)
N_ = sympy.Symbol("N", positive=True, integer=True)
_METRIC = {"total_toffoli_depth": "toffoli_depth", "total_t_depth": "t_depth",
           "total_depth": "depth"}  # fmt: skip


def _seq(config, t, weak=False):
    return cost_summary(config.sequence(t, weak))


def _metric(total):
    return _METRIC.get(total, total.removeprefix("total_"))


@pytest.mark.parametrize("n", [2, 5, 8])
def test_final_totals_are_runs_times_the_sequence(n):
    cost = protocol_cost("final", n, SMALL, "abs:0.1")
    S = hoeffding_shots("0.1", "0.05")
    assert cost.runs == 2 * S and cost.step_executions == 2 * S * n and cost.rounds == 1
    seq = _seq(SMALL, n)
    for total in TOTALS:
        assert cost.totals[total] == cost.runs * getattr(seq, _metric(total))
    assert cost.coherent_depth == seq.depth and cost.run == seq


@pytest.mark.parametrize("n", [2, 5, 8])
def test_every_step_totals_are_the_sum_of_prefix_runs(n):
    cost = protocol_cost("every-step", n, SMALL, "abs:0.1")
    S = hoeffding_shots("0.1", "0.05")
    assert cost.step_executions == 2 * S * sum(range(1, n + 1))
    assert cost.runs == 2 * S * n and cost.rounds == n
    for total in TOTALS:
        want = sum(2 * S * getattr(_seq(SMALL, t), _metric(total)) for t in range(1, n + 1))
        assert cost.totals[total] == want


@pytest.mark.parametrize("protocol", ["final", "every-step"])
def test_amplitude_estimation_counts(protocol):
    n = 6
    cost = protocol_cost(protocol, n, SMALL, "abs:0.1", method="amplitude-estimation")
    ae = ae_calls("0.1", "0.05")
    K, k, C = 2, ae.repetitions, 2 * ae.grid_size - 1
    prefixes = range(1, n + 1) if protocol == "every-step" else [n]
    assert cost.step_executions == sum(K * k * C * t for t in prefixes)
    assert cost.runs == K * k * len(prefixes)
    assert cost.coherent_steps == C * n and cost.coherent_depth == C * _seq(SMALL, n).depth
    for total in TOTALS:
        want = sum(K * k * C * getattr(_seq(SMALL, t), _metric(total)) for t in prefixes)
        assert cost.totals[total] == want


def test_weak_protocol_is_labelled_and_priced():
    cost = protocol_cost("weak", 7, SMALL, "abs:0.1")
    S = hoeffding_shots("0.1", "0.05")
    assert cost.shots == math.ceil(S / math.sin(0.7) ** 2)
    assert cost.step_executions == cost.shots * 7 and cost.runs == cost.shots
    assert "monitored" in cost.estimated_model and "MONITORED" in cost.eps_refers_to
    seq = _seq(SMALL, 7, weak=True)
    assert cost.totals["total_t_count"] == cost.shots * seq.t_count
    # theta = pi/4: sin^2 = 1/2 exactly, so S_theta = 2 S (73,778 x 2 at eps 0.01, delta 0.05).
    assert protocol_cost("weak", 10).shots == 2 * 73778


def test_union_bounds_split_delta():
    base = protocol_cost("every-step", 16, SMALL, "abs:0.1", union="none")
    joint = protocol_cost("every-step", 16, SMALL, "abs:0.1", union="all")
    assert joint.delta_each == sympy.Rational(1, 20) / (2 * 16)
    assert joint.shots == hoeffding_shots("0.1", sympy.Rational(1, 640)) > base.shots
    final = protocol_cost("final", 16, SMALL, "abs:0.1", union="all")
    assert final.delta_each == sympy.Rational(1, 40)  # final: K observables, one step


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(PROTOCOLS), st.sampled_from(["none", "steps", "all"]), st.integers(1, 200))
def test_symbolic_n_evaluates_to_the_concrete_rows(protocol, union, n):
    symb = protocol_cost(protocol, N_, SMALL, "abs:0.1", union=union)
    conc = protocol_cost(protocol, n, SMALL, "abs:0.1", union=union)
    for name in ("shots", "runs", "step_executions", "rounds", "coherent_depth"):
        assert evaluate(getattr(symb, name), {"N": n}) == getattr(conc, name), name
    for total in TOTALS:
        assert evaluate(symb.totals[total], {"N": n}) == conc.totals[total]


def test_huge_n_stays_exact():
    big = 2**200
    for protocol in PROTOCOLS:
        cost = protocol_cost(protocol, big, union="all")
        if protocol == "time-pooled":  # an expectation: G S (N + 1) / 2, exact (S is odd here)
            assert cost.step_executions == sympy.Rational(cost.runs * (big + 1), 2)
            assert all(isinstance(v, (int, sympy.Rational)) for v in cost.totals.values())
            continue
        assert isinstance(cost.step_executions, int)
        assert all(isinstance(v, int) for v in cost.totals.values())
    final = protocol_cost("final", big)
    assert final.step_executions == 73778 * big
    every = protocol_cost("every-step", big)
    assert every.step_executions == 73778 * big * (big + 1) // 2


def test_growth_in_n():
    sizes = [2**k for k in range(10, 21)]
    final = [protocol_cost("final", n).step_executions for n in sizes]
    every = [protocol_cost("every-step", n).step_executions for n in sizes]
    assert loglog_slope(sizes, final) == pytest.approx(1.0, abs=0.01)
    assert loglog_slope(sizes, every) == pytest.approx(2.0, abs=0.01)
    # The paper-sized and large grid of the CLI example, fitted over all three points.
    sizes = [784, 1024, 2**20]
    for protocol, slope in (("final", 1.0), ("every-step", 2.0)):
        y = [protocol_cost(protocol, n).step_executions for n in sizes]
        fit = np.polyfit(np.log([float(n) for n in sizes]), np.log([float(v) for v in y]), 1)
        assert fit[0] == pytest.approx(slope, abs=0.01)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(protocol="stream"), "readout protocol"),
        (dict(N=0), "N=0"),
        (dict(precision="rel:0.1"), "abs:EPS"),
        (dict(protocol="weak", method="amplitude-estimation"), "weak"),
        (dict(union="some"), "union"),
    ],
)
def test_bad_input(kwargs, match):
    args = dict(protocol="final", N=8, config=DEFAULT_CONFIG)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        protocol_cost(**args)
    with pytest.raises(ValueError, match="theta"):
        QLAMConfig(theta=2)


def test_sequence_bloq_matches_config():
    assert DEFAULT_CONFIG.sequence(5) == QLAMSequence(5, 8, 1, 2, 2, "ladder", 0, sympy.pi / 4,
                                                      n_observables=8, n_groups=1)  # fmt: skip
