"""Executions of a multi-query circuit (docs/derivations/multi_query.md, section 2)."""

import math
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binom

from qlaci_cost.analysis.shots import hoeffding_shots, measurement_cost, median_repetitions
from qlaci_cost.core.summary import evaluate
from qlaci_cost.qlaci.multi_query.batch_readout import (
    SPLITS,
    batch_measurement_cost,
    coupon_collector_mean,
    split_executions,
)

N = sympy.Symbol("N", positive=True, integer=True)


@settings(max_examples=60, deadline=None)
@given(
    k=st.integers(1, 8),
    samples=st.integers(1, 5000),
    delta_split=st.sampled_from([Fraction(1, 2), Fraction(1, 40), Fraction(1, 2000)]),
)
def test_chernoff_split_bound_holds_against_the_exact_binomial_tail(k, samples, delta_split):
    """B P(Bin(T, 1/B) < S) <= delta_split at the derived T (scipy's exact binomial CDF),
    and the derived T is within the Chernoff slack of the exact minimum."""
    B = 2**k
    T = split_executions(B, samples, sympy.Rational(delta_split.numerator, delta_split.denominator))
    assert isinstance(T, int)
    tail = B * binom.cdf(samples - 1, T, 1 / B)
    assert tail <= float(delta_split) * (1 + 1e-9)
    L = math.log(B / float(delta_split))
    assert T <= B * (samples + L + math.sqrt(L * L + 2 * L * samples)) + 1


def test_split_executions_closed_form():
    # B = 4, S = 100, delta_s = 1/40: L = ln 160; T = ceil(4 (100 + L + sqrt(L^2 + 200 L))).
    L = math.log(160)
    want = math.ceil(4 * (100 + L + math.sqrt(L * L + 200 * L)))
    assert split_executions(4, 100, sympy.Rational(1, 40)) == want
    assert split_executions(1, 100, sympy.Rational(1, 40)) == 100


def test_b1_and_pooled_equal_the_single_query():
    single = measurement_cost("abs:0.01", 1024, 1)
    assert batch_measurement_cost("abs:0.01", 1024, 1).runs == single.runs == 73778
    pooled = batch_measurement_cost("abs:0.01", 1024, 64, pooled=True)
    assert pooled.runs == single.runs  # S executions for (1/B) sum_b c_b
    assert pooled.ratio == Fraction(1, 64)
    assert (pooled.circuits, pooled.sequential_circuits) == (1, 64)


@pytest.mark.parametrize("precision", ["abs:0.1", "abs:0.01", "rel:0.1"])
@pytest.mark.parametrize("B", [2, 4, 64])
def test_batched_executions_are_the_derived_formula(precision, B):
    """T = min over the splits s of ceil(B (S' + L + sqrt(L^2 + 2 L S'))), S' = Hoeffding at
    delta (1 - s), L = ln(B / (s delta)), computed here in floats from the published formula."""
    c = batch_measurement_cost(precision, 1024, B)
    eps = 0.1 if precision == "abs:0.1" else (0.01 if precision == "abs:0.01" else 0.1 / 1024)
    best = None
    for s in SPLITS:
        d_e, d_s = 0.05 * (1 - float(s)), 0.05 * float(s)
        S1 = math.ceil(2 * math.log(2 / d_e) / eps**2)
        L = math.log(B / d_s)
        T = math.ceil(B * (S1 + L + math.sqrt(L * L + 2 * L * S1)))
        best = T if best is None else min(best, T)
    assert c.runs == best
    S = hoeffding_shots(
        sympy.Rational(str(eps)) if "abs" in precision else sympy.Rational(1, 10240)
    )
    assert c.sequential_runs == B * S
    margin = (c.samples - S + math.log(B / (0.05 * float(c.split)))) / S
    assert 1 <= c.ratio <= 1 + margin + 2 * math.sqrt(2 * math.log(B / (0.05 * float(c.split))) / S)


def test_executions_unchanged_at_large_shots():
    """rel:0.1 at N = 1024: ~7.7e8 shots per query; batching changes executions by < 0.1 %."""
    for B in (4, 64):
        assert 1 <= batch_measurement_cost("rel:0.1", 1024, B).ratio < Fraction(1001, 1000)


def test_symbolic_is_the_same_number():
    for method in ("hoeffding", "amplitude-estimation"):
        for B in (4, 64):
            sym = batch_measurement_cost("rel:0.1", N, B, method=method).runs
            for n in (16, 1024):
                assert (
                    evaluate(sym, {N: n})
                    == batch_measurement_cost("rel:0.1", n, B, method=method).runs
                )


def test_amplitude_estimation_batching_costs_more():
    """Index measured: every query needs k median runs (coupon collector with k coupons)."""
    k = median_repetitions(sympy.Rational(1, 20))
    assert k == 7
    c4 = batch_measurement_cost("abs:0.01", 1024, 4, method="amplitude-estimation")
    c64 = batch_measurement_cost("abs:0.01", 1024, 64, method="amplitude-estimation")
    assert (c4.runs, c4.sequential_runs) == (100, 28)
    assert (c64.runs, c64.sequential_runs) == (1990, 448)
    assert (
        c4.calls_per_run
        == measurement_cost("abs:0.01", 1024, 1, "amplitude-estimation").calls_per_run
    )
    # k = 1 coupon: the derived T is above the coupon collector's mean B H_B.
    assert split_executions(64, 1, sympy.Rational(1, 40)) > coupon_collector_mean(64)
    assert coupon_collector_mean(4) == Fraction(25, 3)


def test_observables_multiply_runs():
    one = batch_measurement_cost("abs:0.1", 64, 4, d_ctx=1)
    three = batch_measurement_cost("abs:0.1", 64, 4, d_ctx=3)
    grouped = batch_measurement_cost("abs:0.1", 64, 4, d_ctx=3, grouped=True)
    assert three.runs == 3 * one.runs and grouped.runs == one.runs
    assert "Chernoff" in one.describe()
