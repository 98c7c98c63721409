"""Measurement cost of estimating Pauli expectation values: sampling shots or amplitude estimation.

A QLACI query reads its context vector c_i from d_ctx Pauli expectation values. Each is a
+-1-valued observable, so its mean is estimated either by repeated sampling (Hoeffding or the
central-limit rule, here) or coherently by amplitude estimation (`amplitude_estimation`). The
precision target (`precision`) is either absolute (`abs:eps`) or relative to one position's
share of the uniform average: `rel:r` means eps = r / N (docs/design.md#readout-precision).

Every number is exact: ints for concrete inputs, sympy expressions when N (or eps) is a symbol.
Ceilings of irrational values are decided with adaptive-precision arithmetic
(`symbolics.rounding.ExactCeiling`), so N = 2^200 gives the exact integer.
Derivations: docs/derivations/shots.md.
"""

from typing import Any, Optional, Union

import sympy
from attrs import frozen

from qlaci_cost.analysis.amplitude_estimation import (
    AE_SUCCESS,
    REPETITION_BOUNDS,
    AmplitudeEstimationCost,
    ae_calls,
    median_repetitions,
)
from qlaci_cost.analysis.precision import (
    DEFAULT_DELTA,
    Precision,
    confidence_value,
    parse_precision,
    positive_size,
    unit_interval,
)
from qlaci_cost.errors import InputError
from qlaci_cost.symbolics.exact import Number, is_symbolic_expr
from qlaci_cost.symbolics.rounding import ExactCeiling, exact_ceiling

__all__ = [
    "AE_SUCCESS",
    "DEFAULT_DELTA",
    "METHODS",
    "REPETITION_BOUNDS",
    "AmplitudeEstimationCost",
    "ExactCeiling",
    "MeasurementCost",
    "Precision",
    "ae_calls",
    "clt_shots",
    "hoeffding_shots",
    "measurement_cost",
    "median_repetitions",
    "parse_precision",
]

METHODS = ("hoeffding", "clt", "amplitude-estimation")


# ----------------------------------------------------------------------------------------------
# Sampling


def hoeffding_shots(eps: Number, delta: Number = DEFAULT_DELTA) -> Union[int, sympy.Expr]:
    """Shots M = ceil(2 ln(2/delta) / eps^2) for |mean - <P>| <= eps with probability 1 - delta.

    Hoeffding's inequality for M i.i.d. outcomes in [-1, 1] (range 2):
    P(|mean - <P>| >= eps) <= 2 exp(-2 M^2 eps^2 / (M 2^2)) = 2 exp(-M eps^2 / 2) <= delta
    iff M >= 2 ln(2/delta) / eps^2. Valid for every state; eps = 0.01, delta = 0.05: 73,778.
    """
    e = unit_interval(eps, "eps", "precision eps")
    d = confidence_value(delta)
    return exact_ceiling(2 * sympy.log(2 / d) / e**2)


def clt_shots(eps: Number, confidence: Number = 1 - DEFAULT_DELTA) -> Union[int, sympy.Expr]:
    """Shots M = ceil(z^2 / eps^2), z = Phi^{-1}((1 + confidence)/2) = sqrt(2) erfinv(confidence).

    Central-limit (normal) approximation with the worst-case variance of a +-1 observable,
    Var = 1 - <P>^2 <= 1. Not a guarantee at finite M (Hoeffding is); 95%: z^2 = 3.8415.
    """
    e = unit_interval(eps, "eps", "precision eps")
    c = unit_interval(confidence, "confidence", "confidence")
    if is_symbolic_expr(c):
        raise InputError(f"confidence={confidence!r} is not allowed: it must be a number")
    z_squared = 2 * sympy.erfinv(c) ** 2
    return exact_ceiling(z_squared / e**2)


# ----------------------------------------------------------------------------------------------
# Per-query measurement cost


@frozen
class MeasurementCost:
    """Circuit executions needed to read a query's d_ctx Pauli expectations to precision eps.

    `runs` separate executions, each making `calls_per_run` sequential calls to the query
    circuit A (or A^dagger); `circuit_calls` = runs x calls_per_run is the total, the factor
    that multiplies one query circuit's gate count. Sampling: calls_per_run = 1 and runs =
    shots x observables. Amplitude estimation: runs = repetitions x observables,
    calls_per_run = 2M - 1.

    Confidence 1 - delta holds for each observable separately (for all d_ctx jointly, a union
    bound needs delta / d_ctx: pass that delta).
    """

    method: str
    precision: Precision
    N: Any
    d_ctx: Any
    delta: sympy.Expr
    grouped: bool
    eps: Any
    per_observable: Any
    observables: Any
    runs: Any
    calls_per_run: Any
    amplitude_estimation: Optional[AmplitudeEstimationCost] = None

    @property
    def circuit_calls(self) -> Any:
        return self.runs * self.calls_per_run

    def describe(self) -> str:
        group = (
            "all d_ctx observables measured together from the same shots (grouped)"
            if self.grouped
            else f"d_ctx = {self.d_ctx} observables measured separately"
        )
        if self.method == "amplitude-estimation":
            how = self.amplitude_estimation.describe()
        elif self.method == "hoeffding":
            how = f"Hoeffding: ceil(2 ln(2/delta)/eps^2) = {self.per_observable} shots"
        else:
            how = f"CLT: ceil(z^2/eps^2) = {self.per_observable} shots (z at {1 - self.delta})"
        return (
            f"Per query: {self.circuit_calls} circuit calls ({self.runs} runs x "
            f"{self.calls_per_run} calls each) for {self.precision.describe()} "
            f"(eps = {self.eps} at N = {self.N}), confidence 1 - {self.delta} per observable; "
            f"{how}; {group}."
        )


def measurement_cost(
    precision: Union[str, Precision],
    N: Any,
    d_ctx: Any,
    method: str = "hoeffding",
    delta: Number = DEFAULT_DELTA,
    grouped: bool = False,
    repetition_bound: str = "binomial",
) -> MeasurementCost:
    """Circuit calls per query to estimate d_ctx Pauli expectations to the given precision.

    Args:
        precision: `Precision` or `'abs:EPS'` / `'rel:R'` (eps = R / N).
        N: Sequence length (int >= 1 or a sympy symbol).
        d_ctx: Number of Pauli observables read per query (int >= 1 or a sympy symbol).
        method: `hoeffding` (guaranteed), `clt` (normal approximation at confidence 1 - delta)
            or `amplitude-estimation`.
        delta: Failure probability per observable, in (0, 1).
        grouped: Sampling methods only: all observables commute and are read from the same
            shots, so the shot count is not multiplied by d_ctx.
        repetition_bound: Amplitude estimation only: see `median_repetitions`.
    """
    if method not in METHODS:
        raise InputError(f"method {method!r} is not allowed: use one of {', '.join(METHODS)}")
    prec = parse_precision(precision)
    n = positive_size(N, "N", "sequence length N")
    d_ctx = positive_size(d_ctx, "d_ctx", "number of observables d_ctx")
    d = confidence_value(delta)
    if grouped and method == "amplitude-estimation":
        raise InputError(
            "grouped=True is not allowed with method 'amplitude-estimation': amplitude "
            "estimation reads one observable per run; grouping applies to hoeffding and clt"
        )
    eps = prec.eps(n)
    observables = 1 if grouped else d_ctx
    ae = None
    if method == "hoeffding":
        per_observable = hoeffding_shots(eps, d)
        runs, calls_per_run = per_observable * observables, 1
    elif method == "clt":
        per_observable = clt_shots(eps, 1 - d)
        runs, calls_per_run = per_observable * observables, 1
    else:
        ae = ae_calls(eps, d, repetition_bound=repetition_bound)
        per_observable = ae.circuit_calls
        runs, calls_per_run = ae.repetitions * observables, ae.calls_per_repetition
    return MeasurementCost(
        method,
        prec,
        n,
        d_ctx,
        d,
        grouped,
        eps,
        per_observable,
        observables,
        runs,
        calls_per_run,
        ae,
    )
