"""The `microsoft-like` model's flags, frontier steps and limits, each at a crafted edge.

Second sources: closed forms derived by hand in the comments (Beverland et al.
arXiv:2211.07629 eqs. D1, D3, D4 with the surface code p_L(d) = 0.03 (p / 0.01)^((d+1)/2)) and
Microsoft's resource estimator (`qsharp.estimator`, an independent implementation) where it runs.
Defaults of the preset: p = 1e-3, a 0.4 us code cycle, a 1e-3 budget.
"""

import math
from fractions import Fraction

import pytest

from qlaci_cost import InputError, physical
from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS

CYCLE = Fraction(4, 10**7)  # 0.4 us
needs_msft = pytest.mark.skipif(
    not physical.microsoft_available(), reason="Microsoft's estimator is not importable"
)


def counts(qubits, toffoli=0, t=0, rotations=0, measurements=0, toffoli_depth=0):
    """Counts with t_count formed by the default conventions (4 T per Toffoli, 16 per rotation)."""
    t_count = t + 4 * toffoli + rotations * DEFAULT_CONVENTIONS.t_per_rotation
    return dict(qubits=qubits, toffoli=toffoli, t_count=t_count, rotations=rotations,
                measurements=measurements, toffoli_depth=toffoli_depth)  # fmt: skip


# ----------------------------------------------------------------------------- lower_bound

# One logical qubit: 2Q + ceil(sqrt(8Q)) + 1 = 2 + 3 + 1 = 6 tiles (eq. D1). 1000 measurements,
# nothing else: 1000 steps (eq. D3), no magic state, so the whole 1e-3 budget is the data's.
# Distance: 6 x 1000 x 0.03 x 0.1^k <= 1e-3 needs 0.1^k <= 5.6e-6, k = 6, d = 2k - 1 = 11.
# Runtime: 1000 steps x 11 cycles x 0.4 us = 4.4 ms. With a 10 us reaction time, 440 Toffoli
# layers take 4.4 ms exactly (not longer: no lower bound), 441 take 4.41 ms (a lower bound).
MEASURED = counts(1, measurements=1000)


@pytest.mark.parametrize("depth, lower", [(440, False), (441, True), (10**6, True)])
def test_lower_bound_set_just_past_the_reaction_limited_time(depth, lower):
    e = physical.estimate({**MEASURED, "toffoli_depth": depth}, "microsoft-like")
    assert e.valid and e.code_distance == 11 and e.n_factories == 0
    assert e.runtime_s == 1000 * 11 * CYCLE == Fraction(44, 10**4)
    assert e.lower_bound is lower
    assert any(n.startswith("lower bound:") for n in e.notes) is lower


def test_lower_bound_never_set_on_an_invalid_estimate():
    # 10^23 measurements need 6 x 10^23 x p_L(d) <= 1e-3, p_L(d) <= 1.7e-27: beyond d = 49
    # (p_L = 3e-27), the largest distance the estimator considers. Invalid, whatever the depth.
    e = physical.estimate(counts(1, measurements=10**23, toffoli_depth=10**30), "microsoft-like")
    assert not e.valid and not e.lower_bound and "no code distance up to 50" in e.invalid_reason


# ----------------------------------------------------------------------------- valid

# The largest number of steps distance 49 allows on 6 tiles: share / (6 x 0.03 x 0.1^25).
P_L_49 = Fraction(3, 100) * Fraction(1, 10) ** 25


def _steps_limit(share: Fraction) -> Fraction:
    return share / (6 * P_L_49)


@pytest.mark.parametrize(
    "scale, valid", [(1 - Fraction(1, 10**6), True), (1 + Fraction(1, 10**6), False)]
)
def test_valid_flag_just_inside_and_past_the_data_budget(scale, valid):
    # No magic states: all of the 1e-3 budget to the data, 10^24 / 18 = 5.6e22 steps at most.
    m = math.floor(_steps_limit(Fraction(1, 1000)) * scale)
    e = physical.estimate(counts(1, measurements=m), "microsoft-like")
    assert e.valid is valid and e.within_budget is valid
    if valid:
        assert e.code_distance == 49 and e.expected_failures <= 1e-3
    else:
        assert "no code distance up to 50" in e.invalid_reason
        assert (
            e.expected_failures > 1e-3
            and e.failure_probability == 1.0
            or (e.failure_probability == e.expected_failures)
        )


@pytest.mark.parametrize(
    "scale, valid", [(1 - Fraction(1, 10**6), True), (1 + Fraction(1, 10**6), False)]
)
def test_each_share_must_hold_not_only_their_sum(scale, valid):
    # One rotation: the budget splits in thirds. Its T count is ceil(0.53 log2(3000) + 4.86) =
    # ceil(10.98) = 11, so the steps are M + 1 + 11 (eq. D3), and the data's third allows
    # 10^24 / 54 = 1.9e22 of them at d = 49. Just past it the data errors exceed their third
    # while the three shares together stay below the budget (~2/3 of it): still not an estimate.
    m = math.floor(_steps_limit(Fraction(1, 3000)) * scale) - 12
    e = physical.estimate(counts(1, rotations=1, measurements=m), "microsoft-like")
    assert e.t_per_rotation == 11
    assert e.valid is valid and e.within_budget is valid
    if valid:
        assert e.code_distance == 49 and e.n_factories >= 1
        assert e.logical_error <= 1e-3 / 3 * (1 + 1e-12)
    else:
        assert "no code distance up to 50" in e.invalid_reason
        assert e.expected_failures < 1e-3  # the sum alone would pass


def test_fixed_factories_that_cannot_keep_up_are_invalid():
    # 10^16 Toffolis on 10^6 qubits: 3e16 layout steps and 4e16 T states at <= 5e-4 / 4e16 =
    # 1.25e-20 each, so the last round of any factory runs at d >= 39 (7.1 x 0.03 x
    # 0.1^((d+1)/2) <= 1.25e-20): an RM-prep unit there alone takes 11 x 39 x 0.4 us = 171.6 us.
    # The data (2Q + ceil(sqrt(8Q)) + 1 = 2,002,830 tiles, half the budget) survive at most
    # 5e-4 / (2,002,830 x 3e-27) = 8.3e16 steps of 49 x 0.4 us = 1.63e12 s. One factory making
    # k states a run needs 4e16 / k x 171.6 us = 6.9e12 / k s: too long unless k >= 5.
    c = counts(10**6, toffoli=10**16, toffoli_depth=1)
    e = physical.estimate(c, "microsoft-like", n_factories=1)
    assert not e.valid and "1 factories cannot make" in e.invalid_reason
    assert e.invalid_reason in e.notes[0] and not e.lower_bound
    limit = Fraction(5, 10**4) / (2_002_830 * P_L_49) * 49 * CYCLE
    assert float(limit) == pytest.approx(1.63e12, rel=0.01)
    runs = physical.distillation.find_factories(1e-3, 5e-4 / 4e16, CYCLE, 49)
    assert runs and all(4 * 10**16 // f.output_states * f.duration_s > limit for f in runs)
    auto = physical.estimate(c, "microsoft-like")  # enough factories: an estimate
    assert auto.valid and auto.n_factories > 1


# ----------------------------------------------------------------------------- frontier

# One QLACI query (N = 1024, ideal QRAM, 73,778 shots; `qlaci-cost estimate --n 1024 --qram
# ideal --level query`): 1,475,560 Toffolis, 2,803,564 rotations, no other T gate, 21 qubits.
QUERY_1024 = counts(21, toffoli=1_475_560, rotations=2_803_564, toffoli_depth=1_770_672)


def test_frontier_counts_steps_at_the_distance_it_runs_at():
    # By hand. T per rotation: ceil(0.53 log2(2,803,564 x 3000) + 4.86) = ceil(22.33) = 23.
    # Magic states (eq. D4): 4 x 1,475,560 + 23 x 2,803,564 = 70,384,212.
    # Layout steps (eq. D3): 3 x 1,475,560 + 2,803,564 + 23 x 2,803,564 = 71,712,216.
    # With 4 factories the data must last longer than at d = 23, so d = 25. The factory:
    # 17 space-efficient units at d = 7 (13 logical cycles), then one RM-prep unit at d = 21
    # (11 logical cycles): (13 x 7 + 11 x 21) x 0.4 us = 128.8 us per run, one state a run.
    # Runs: ceil(70,384,212 / 4) = 17,596,053, i.e. 2266.3716264 s = 226,637,162.64 steps of
    # 25 cycles: 226,637,163 steps, 2266.37163 s (not 2463.4 s, the step count of d = 23).
    (e,) = [e for e in physical.frontier(QUERY_1024, "microsoft-like") if e.n_factories == 4]
    assert e.magic_states == e.t_states == 70_384_212 and e.t_per_rotation == 23
    assert e.code_distance == 25 and e.valid
    assert e.first_state_latency_s == Fraction(1288, 10**7)
    assert e.runtime_s == 226_637_163 * 25 * CYCLE == Fraction(226_637_163, 10**5)
    assert e.algorithm_limited_time_s == 71_712_216 * 25 * CYCLE


@needs_msft
def test_frontier_points_are_microsofts_frontier_points():
    from qsharp.estimator import LogicalCounts

    m = physical.microsoft_estimate(QUERY_1024, cycle_time_us=0.4, error_budget=1e-3)
    theirs = LogicalCounts(m.logical_counts).estimate({**m.params, "estimateType": "frontier"})
    points = {
        (p["physicalCounts"]["breakdown"]["numTfactories"], p["physicalCounts"]["physicalQubits"],
         Fraction(p["physicalCounts"]["runtime"], 10**9))
        for p in theirs["frontierEntries"]
    }  # fmt: skip
    ours = physical.frontier(QUERY_1024, "microsoft-like")
    assert len(ours) == 14  # 1 .. 14 factories, each one of Microsoft's points exactly
    for e in ours:
        assert (e.n_factories, e.physical_qubits, e.runtime_s) in points


# ----------------------------------------------------------------------------- Microsoft


@needs_msft
def test_microsoft_results_with_a_wrapped_product_are_refused():
    # 2^30 qubits: 2^31 + ceil(sqrt(2^33)) + 1 = 2,147,576,331 tiles. The estimator multiplies
    # them by its logical depth (3 per Toffoli here) in 64-bit integers: the largest Toffoli
    # count below the wrap is floor((2^64 - 1) / tiles / 3).
    tiles = 2**31 + 92_682 + 1
    below = (2**64 - 1) // tiles // 3
    ok = physical.microsoft_estimate(
        counts(2**30, toffoli=below), cycle_time_us=0.4, error_budget=1e-3
    )
    ours = physical.estimate(counts(2**30, toffoli=below), "microsoft-like")
    assert ok.result["physicalCounts"]["breakdown"]["algorithmicLogicalQubits"] == tiles
    assert ok.code_distance == ours.code_distance
    with pytest.raises(InputError, match=r"2\^64"):
        physical.microsoft_estimate(
            counts(2**30, toffoli=below + 1), cycle_time_us=0.4, error_budget=1e-3
        )


@needs_msft
def test_estimate_blanks_a_wrapped_microsoft_result_with_its_reason():
    from qlaci_cost.cli.estimate import _microsoft

    tiles = 2**31 + 92_682 + 1
    wrapped = counts(2**30, toffoli=(2**64 - 1) // tiles // 3 + 1)
    resolved = {"physical_error": 1e-3, "cycle_time_us": 0.4, "error_budget": 1e-3}
    columns, why = _microsoft(wrapped, resolved, DEFAULT_CONVENTIONS)
    assert "2^64" in why and columns == {"msft_invalid_reason": why}
