"""The error budget's scope (docs/derivations/error-budget.md): the bias bound of a failed
run checked by exact enumeration, the per-run budget, and run vs job estimates of a head
related as derived."""

import itertools
import math
import re
from fractions import Fraction

import pytest
import sympy

from qlaci_cost import InputError, physical
from qlaci_cost.analysis.scenario import DEFAULT_SCENARIO, Scenario
from qlaci_cost.physical.scope import (
    BUDGET_SCOPES,
    job_counts,
    run_error_budget,
    scoped_estimate,
    scoped_frontier,
)
from qlaci_cost.qlaci.head_rows import head_counts, head_estimate, head_rows, head_run_counts
from qlaci_cost.qram import MODELS

JOB = DEFAULT_SCENARIO.evolve(budget_scope="job")


# --- the derivation, checked by exact enumeration ---------------------------------------------


def biased_mean(m: Fraction, runs: int, fail_plus: Fraction, fail_minus: Fraction, adversary):
    """E[mean of `runs` outcomes], exactly, by enumerating every (ideal outcome, failed?) of
    every run: the ideal outcome is +1 w.p. (1 + m)/2; a run fails with probability fail_plus
    or fail_minus (the failure may depend on the ideal outcome) and then outputs
    adversary(ideal outcome) in [-1, 1]."""
    outcomes = []
    for x in (1, -1):
        px = (1 + m) / 2 if x == 1 else (1 - m) / 2
        f = fail_plus if x == 1 else fail_minus
        outcomes += [(px * (1 - f), Fraction(x)), (px * f, Fraction(adversary(x)))]
    total = Fraction(0)
    for combo in itertools.product(outcomes, repeat=runs):
        weight = math.prod(w for w, _ in combo)
        total += weight * sum(y for _, y in combo) / runs
    return total


@pytest.mark.parametrize("m", [Fraction(1), Fraction(1, 3), Fraction(-4, 5)])
@pytest.mark.parametrize("fails", [(Fraction(1, 10), Fraction(1, 10)), (Fraction(1, 5), 0)])
@pytest.mark.parametrize(
    "adversary", [lambda x: -x, lambda x: -1, lambda x: 1, lambda x: Fraction(x, 2)]
)
def test_a_failed_run_biases_the_mean_by_at_most_p_times_the_range(m, fails, adversary):
    p = max(fails)
    mean = biased_mean(m, 3, *fails, adversary)
    assert abs(mean - m) <= 2 * p  # range 2 for a Pauli expectation


def test_the_bound_is_tight_and_independent_of_the_number_of_runs():
    """Ideal outcome always +1, a failed run always outputs -1: bias exactly 2 p, for any M."""
    p = Fraction(1, 20)
    for runs in (1, 2, 4):
        assert biased_mean(Fraction(1), runs, p, p, lambda x: -1) == 1 - 2 * p


# --- the per-run budget -------------------------------------------------------------------------


def test_run_budget_is_eps_over_20_below_the_model_budget():
    assert run_error_budget(Fraction(1, 100), 1e-2) == 0.0005
    assert run_error_budget(Fraction(1, 100), 1e-4) == 1e-4  # a tighter budget wins
    rel = run_error_budget(Fraction(1, 10) / 2**40, 1e-2)
    assert Fraction(repr(rel)) <= Fraction(1, 200 * 2**40) < Fraction(repr(rel)) * (1 + 1e-15)
    weak = run_error_budget(Fraction(1, 100), 1e-2, 2 / sympy.sin(sympy.pi / 4))
    assert weak == pytest.approx(math.sin(math.pi / 4) / 2000, rel=1e-15)
    assert sympy.Rational(repr(weak)) <= sympy.sin(sympy.pi / 4) / 2000
    for bad in (0, -1, float("nan"), "x"):
        with pytest.raises(ValueError, match="eps="):
            run_error_budget(bad, 1e-2)
    with pytest.raises(ValueError, match="budget scope 'all'"):
        scoped_estimate(
            {"qubits": 1, "toffoli": 1, "t_count": 4, "toffoli_depth": 1}, 1, "all", 0.1
        )
    assert BUDGET_SCOPES == ("run", "job")


def test_amplitude_estimation_repetitions_hold_at_the_run_budget():
    """A failed run is a failed repetition: success >= 8/pi^2 - p_run. At delta = 0.05 the
    binomial tail of the median of k = 7 stays below delta (floats, independent of the
    package's exact rule)."""
    from qlaci_cost.analysis.amplitude_estimation import median_repetitions

    def tail(k, p):
        return sum(math.comb(k, s) * p**s * (1 - p) ** (k - s) for s in range((k - 1) // 2 + 1))

    assert median_repetitions(Fraction(1, 20)) == 7
    assert tail(7, 8 / math.pi**2) < tail(7, 8 / math.pi**2 - 0.0005) < 0.05


# --- run vs job of a head ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_heads():
    rows, _ = head_rows(["ideal", "qrom"], [16, 64])
    return rows


def test_run_scope_is_one_run_at_the_per_run_budget_times_the_runs(small_heads):
    for row in small_heads:
        run, runs = head_run_counts(row)
        assert runs == row["N"] * 73_778
        assert job_counts(run, runs) == head_counts(row)  # runs x one run = the head
        e = head_estimate(row)
        one = physical.estimate(run, error_budget=0.0005)
        assert e.budget_scope == "run" and e.runs == runs and e.valid
        assert e.runtime_s == runs * one.runtime_s and e.run_runtime_s == one.runtime_s
        assert e.physical_qubits == one.physical_qubits
        assert e.code_distance == one.code_distance
        assert e.failure_probability == one.failure_probability <= 0.0005
        assert e.magic_states == runs * one.magic_states
        whole = head_estimate(row, JOB)
        ref = physical.estimate(head_counts(row))
        assert (whole.runtime_s, whole.physical_qubits) == (ref.runtime_s, ref.physical_qubits)
        assert whole.budget_scope == "job" and whole.failure_probability <= 1e-2
        # one budget over every run asks more of each magic state: a larger code distance
        assert whole.code_distance > e.code_distance


def test_amplitude_estimation_runs_are_repetitions(small_heads):
    ae = Scenario(method="amplitude-estimation")
    (row,) = head_rows(["ideal"], [16], ae)[0]
    run, runs = head_run_counts(row)
    assert runs == 16 * 7 and row["shots"] == 7 * (2 * 632 - 1)  # docs/derivations/shots.md
    plain = small_heads[0]
    assert run["toffoli"] == (2 * 632 - 1) * plain["toffoli"]
    assert job_counts(run, runs) == head_counts(row)


def test_frontier_under_each_scope(small_heads):
    row = small_heads[0]
    run, runs = head_run_counts(row)
    points = scoped_frontier(run, runs, "run", Fraction(1, 100))
    ref = physical.frontier(run, error_budget=0.0005)
    assert [p.runtime_s for p in points] == [runs * r.runtime_s for r in ref]
    assert [p.physical_qubits for p in points] == [r.physical_qubits for r in ref]
    whole = scoped_frontier(run, runs, "job", Fraction(1, 100))
    assert [p.runtime_s for p in whole] == [
        r.runtime_s for r in physical.frontier(head_counts(row))
    ]


def test_estimate_describes_its_scope(small_heads):
    e = head_estimate(small_heads[0])
    text = e.describe()
    assert "error budget per circuit run (0.0005)" in text
    assert re.search(r"reaction-limited: \S+ runs x (toffoli_depth|reaction layers) ", text)
    assert e.as_dict()["assumptions"]["error_budget_scope"].startswith("run:")
    assert head_estimate(small_heads[0], JOB).as_dict()["budget_scope"] == "job"


# --- the validity table of docs/derivations/error-budget.md --------------------------------------


def test_validity_at_2_30_and_2_40_under_run_and_job():
    rows, _ = head_rows(MODELS, [2**30, 2**40])
    job_valid = {
        "bucket-brigade": (False, False), "fanout": (False, False), "qrom": (False, False),
        "bucket-brigade-parallel": (False, False), "select-swap": (True, False),
        "qroam-clean": (True, False), "ideal": (True, True),
    }  # fmt: skip
    for row in rows:
        run, job = head_estimate(row), head_estimate(row, JOB)
        assert run.valid, (row["model"], row["N"])
        assert job.valid == job_valid[row["model"]][row["N"] == 2**40], row["model"]
        if not job.valid:
            need = float(re.search(r"needed ([0-9.e+-]+) per T state", job.invalid_reason)[1])
            assert 1e-34 <= need <= 1e-26


def test_first_state_latency_share_of_a_run():
    """Each run is charged its first magic state: 15-20 % of a short run (ideal, parallel
    bucket brigade), under 8 % of the others, at N = 2^10."""
    rows, _ = head_rows(MODELS, [2**10])
    for row in rows:
        e = head_estimate(row)
        share = e.first_state_latency_s / e.run_runtime_s
        slow = row["model"] in ("ideal", "bucket-brigade-parallel")
        assert (0.15 <= share <= 0.2) if slow else (share < 0.08), row["model"]


def test_scenario_physical_params_reach_the_estimate(small_heads):
    s = Scenario(physical_params={"error_budget": 1e-5, "reaction_time_us": 1.0})
    e = head_estimate(small_heads[0], s)
    assert e.params.error_budget == 1e-5 and e.params.reaction_time_us == 1.0
    with pytest.raises(InputError, match="error_budget=2"):
        Scenario(physical_params={"error_budget": 2})
