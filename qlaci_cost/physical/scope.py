"""The error budget's scope: one circuit run, or the whole job of runs.

A sampled estimate (shots, amplitude-estimation repetitions) is the work of many separate
circuit runs. docs/derivations/error-budget.md derives what a failed run does to it: it
corrupts one sample, so it moves the expectation of the sample mean by at most
p_fail x (range of the observable), 2 p_fail for a Pauli expectation. Hence:

- `run` (the default): the budget is each run's failure probability, set so that failed runs
  add at most `BIAS_SHARE` of the readout eps as bias: p_run = min(error_budget,
  BIAS_SHARE x eps / range). One run is estimated at p_run; R runs one after another take
  R x its runtime on the same qubits (`scoped_estimate`).
- `job`: one budget over every run of the job (every gate of the job's counts in one
  estimate): the whole job must succeed with probability 1 - error_budget, which at ~1e17
  runs asks ~1e-27 per magic state.

Every time stays an exact `Fraction`.
"""

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Optional

import attrs
import sympy

from qlaci_cost.errors import InputError, describe_value
from qlaci_cost.physical.estimator import estimate
from qlaci_cost.physical.frontier import frontier
from qlaci_cost.physical.params import assumptions_for
from qlaci_cost.physical.result import PhysicalEstimate
from qlaci_cost.symbolics.exact import rational

__all__ = [
    "BIAS_SHARE",
    "BUDGET_SCOPES",
    "DEFAULT_BUDGET_SCOPE",
    "PAULI_RANGE",
    "check_scope",
    "job_counts",
    "run_error_budget",
    "scope_note",
    "scoped_estimate",
    "scoped_frontier",
]

BUDGET_SCOPES: tuple[str, ...] = ("run", "job")
#: The scope docs/derivations/error-budget.md supports: a failed run corrupts one sample.
DEFAULT_BUDGET_SCOPE = "run"
#: Range of one outcome of a Pauli observable (+1 or -1).
PAULI_RANGE = 2
#: Run scope: the share of the readout eps that failed runs may add as bias.
BIAS_SHARE = Fraction(1, 10)
#: Extensive counts (a job's = runs x one run's); qubits are reused by every run.
EXTENSIVE = ("toffoli", "t_count", "rotations", "measurements", "toffoli_depth", "t_depth")


def check_scope(scope: Any) -> str:
    """`scope` if it is one of `BUDGET_SCOPES`, else a ValueError naming it."""
    if scope not in BUDGET_SCOPES:
        raise InputError(
            f"budget scope {scope!r} is not allowed: use one of {', '.join(BUDGET_SCOPES)} "
            "(run: each circuit run's failure probability; job: one budget for all runs)"
        )
    return scope


def _exact(x: Any, name: str) -> sympy.Expr:
    """An exact positive real (sympy) from an int, float (its repr), Fraction or sympy value
    (`symbolics.exact.rational`)."""
    what = "it must be a positive number"
    value = rational(x, name, what)
    if value.free_symbols or not (value.is_extended_real and value > 0):
        raise InputError(f"{name}={describe_value(x)} is not allowed: {what}")
    return value


def _float_below(x: sympy.Expr) -> float:
    """A float whose decimal repr is <= x and closest to it (x a positive exact real): the
    physical models read a float parameter through its repr, so 1/2000 gives 0.0005 exactly."""
    value = float(x)
    while value > 0 and sympy.Rational(repr(value)) > x:
        value = math.nextafter(value, 0.0)
    return value


def run_error_budget(
    eps: Any,
    error_budget: Any,
    observable_range: Any = PAULI_RANGE,
    share: Any = BIAS_SHARE,
) -> float:
    """Per-run failure probability p_run = min(error_budget, share x eps / range), as the
    largest float not above it: failed runs then bias the estimate by at most share x eps.

    Args:
        eps: The readout's additive precision on the observable.
        error_budget: The physical model's budget (the largest p_run allowed).
        observable_range: Range of one outcome (2 for a Pauli expectation; 2 / sin(theta) for
            QLAM's weak readout, which rescales an ancilla's +-1 outcome).
        share: The share of eps failed runs may add (`BIAS_SHARE`).
    """
    bound = _exact(share, "share") * _exact(eps, "eps") / _exact(observable_range, "range")
    budget = _exact(error_budget, "error_budget")
    return _float_below(bound if bool(bound < budget) else budget)


def job_counts(run_counts: Mapping[str, Any], runs: int) -> dict[str, Any]:
    """A job's counts: `runs` x one run's extensive counts, one run's qubits."""
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise InputError(f"runs={runs!r} is not allowed: a job of whole runs needs an int >= 1")
    out = dict(run_counts)
    for key in EXTENSIVE:
        if out.get(key) is not None:
            out[key] = runs * out[key]
    return out


def _repeated(run: PhysicalEstimate, runs: Any) -> PhysicalEstimate:
    """One run's estimate as a job of `runs` runs one after another: times x runs."""
    runs = Fraction(runs)
    scale = {
        f: getattr(run, f) * runs
        for f in ("factory_limited_time_s", "reaction_limited_time_s", "algorithm_limited_time_s")
        if getattr(run, f) is not None
    }
    whole = runs.numerator if runs.denominator == 1 else runs
    return attrs.evolve(
        run,
        **scale,
        runtime_s=run.runtime_s * runs,
        runtime_cycles=math.ceil(run.runtime_cycles * runs),
        magic_states=math.ceil(run.magic_states * runs),
        budget_scope="run",
        runs=whole,
        run_runtime_s=run.runtime_s,
    )


def _run_params(model: str, eps: Any, observable_range: Any, params: dict) -> dict:
    budget = assumptions_for(model, **{k: v for k, v in params.items() if k != "conventions"})
    out = dict(params)
    out["error_budget"] = run_error_budget(eps, budget.error_budget, observable_range)
    return out


def scoped_estimate(
    run_counts: Mapping[str, Any],
    runs: Any,
    scope: str,
    eps: Any,
    model: str = "gidney-fowler",
    *,
    counts: Optional[Mapping[str, Any]] = None,
    observable_range: Any = PAULI_RANGE,
    **params: Any,
) -> PhysicalEstimate:
    """The physical estimate of a job of `runs` circuit runs under the budget's `scope`.

    Args:
        run_counts: One run's logical counts (as `physical.estimate`; the longest run when
            runs differ in length).
        runs: Runs in the job, one after another (an int; a Fraction of run-equivalents when
            runs differ in length).
        scope: `run`: `run_counts` estimated at `run_error_budget(eps, error_budget)`, the
            times multiplied by `runs`. `job`: `counts` (default `job_counts(run_counts,
            runs)`) estimated at the model's error budget.
        eps: The readout's additive precision (sets the per-run budget).
        model, **params: As `physical.estimate` (`error_budget` is the model's budget).
        counts: The job's whole counts when they are not `runs` x `run_counts` exactly.
        observable_range: Range of one outcome of the observable estimated.

    Returns:
        A `PhysicalEstimate` with `budget_scope` and `runs` set (see its docstring).
    """
    check_scope(scope)
    if scope == "job":
        whole = counts if counts is not None else job_counts(run_counts, runs)
        return attrs.evolve(estimate(whole, model, **params), budget_scope="job", runs=runs)
    run = estimate(run_counts, model, **_run_params(model, eps, observable_range, params))
    return _repeated(run, runs)


def scoped_frontier(
    run_counts: Mapping[str, Any],
    runs: Any,
    scope: str,
    eps: Any,
    model: str = "gidney-fowler",
    *,
    counts: Optional[Mapping[str, Any]] = None,
    observable_range: Any = PAULI_RANGE,
    **params: Any,
) -> list[PhysicalEstimate]:
    """`physical.frontier` of the job under the budget's `scope` (as `scoped_estimate`)."""
    check_scope(scope)
    if scope == "job":
        whole = counts if counts is not None else job_counts(run_counts, runs)
        return [attrs.evolve(e, runs=runs) for e in frontier(whole, model, **params)]
    points = frontier(run_counts, model, **_run_params(model, eps, observable_range, params))
    return [_repeated(e, runs) for e in points]


def scope_note(scope: str) -> str:
    """One line saying what the error budget covers, for the notes of a physical table."""
    check_scope(scope)
    if scope == "job":
        return (
            "error budget scope job: one budget for every run of the job (the whole head's "
            "counts in one estimate), so each magic state must fail with ~budget / all the "
            "job's magic states (docs/derivations/error-budget.md)"
        )
    share = 1 / BIAS_SHARE
    return (
        "error budget scope run: each circuit run fails with probability p_run = "
        f"min(error_budget, eps / ({share} x range)), range 2 for a Pauli expectation "
        f"(eps / {share * PAULI_RANGE}), so failed runs bias an estimate by at most eps / "
        f"{share}; one run is estimated at p_run and the runs take runs x its runtime on its "
        "qubits, each run charged its wait for its first magic state "
        "(docs/derivations/error-budget.md)"
    )
