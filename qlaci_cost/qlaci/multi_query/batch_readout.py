"""Executions of a multi-query circuit: every one of B queries to eps, vs B sequential queries.

Derivation: docs/derivations/multi_query.md, section 2. One execution of `MultiQueryQLACI`
measures the query index b (uniform on B values) and the readout, so it is one +-1 sample of
one uniformly random query. With T executions query b gets n_b ~ Binomial(T, 1/B) samples.
Per query the target is the sequential one: |estimate - c_b| <= eps with probability
>= 1 - delta. Spend delta_split = split x delta on the uneven split and the rest on the
estimate: every n_b >= S' (S' = the shots of `measurement_cost` at delta (1 - split)) with
probability >= 1 - delta_split by a Chernoff lower tail and a union bound over the B queries,

    B P(Bin(T, 1/B) < S') <= B exp(-g^2 mu / 2) <= delta_split,  mu = T / B, (1 - g) mu >= S'

which holds for T = ceil(B (S' + L + sqrt(L^2 + 2 L S'))), L = ln(B / delta_split). B = 1
needs no split: T = S. The pooled mean (1/B) sum_b c_b (index not measured) is one +-1
observable: S executions. Amplitude estimation: per-query values with the index fixed need B
separate runs per repetition (B x sequential work); with the index measured after a
branch-wise estimation each run serves one random query, and every query needs k (median)
runs: the same split bound with S' = k (the coupon collector for k = 1).

Every number is an exact int (sympy for symbolic N).
"""

from fractions import Fraction
from typing import Any, Optional, Union

import sympy
from attrs import frozen

from qlaci_cost.analysis.precision import positive_size
from qlaci_cost.analysis.shots import (
    DEFAULT_DELTA,
    ExactCeiling,
    MeasurementCost,
    Precision,
    clt_shots,
    hoeffding_shots,
    measurement_cost,
    median_repetitions,
)

__all__ = [
    "SPLITS",
    "BatchMeasurementCost",
    "batch_measurement_cost",
    "coupon_collector_mean",
    "split_executions",
]

#: Fractions of delta tried for the uneven split (the smallest execution count is kept).
SPLITS = (
    sympy.Rational(1, 2),
    sympy.Rational(1, 10),
    sympy.Rational(1, 100),
    sympy.Rational(1, 1000),
)


def _int(x: Any) -> Any:
    return int(x) if isinstance(x, (int, sympy.Integer)) else x


def split_executions(n_batch: int, samples: Any, delta_split: Any) -> Any:
    """Executions T so that each of B queries gets >= `samples` samples w.p. >= 1 - delta_split.

    T = ceil(B (S + L + sqrt(L^2 + 2 L S))), L = ln(B / delta_split) (Chernoff lower tail
    P(X <= (1 - g) mu) <= exp(-g^2 mu / 2) with g = sqrt(2 L / mu), union bound over B).
    B = 1: T = S.
    """
    if n_batch == 1:
        return samples
    S = sympy.sympify(samples)
    L = sympy.log(sympy.Integer(n_batch) / sympy.sympify(delta_split))
    out = ExactCeiling(n_batch * (S + L + sympy.sqrt(L**2 + 2 * L * S)))
    return _int(out)


def coupon_collector_mean(n_batch: int) -> Fraction:
    """Expected executions until every one of B queries is sampled once: B H_B."""
    return n_batch * sum(Fraction(1, k) for k in range(1, n_batch + 1))


@frozen
class BatchMeasurementCost:
    """Executions of one batched circuit (B queries) against B sequential queries.

    Attributes:
        n_batch: B.
        pooled: Query index not measured: the estimate is (1/B) sum_b c_b.
        sequential: The single query's `MeasurementCost` (per query, confidence 1 - delta).
        split: Fraction of delta spent on the uneven split (0 when pooled or B = 1; None when
            the runs are a symbolic minimum over `SPLITS`).
        samples: Samples (or AE repetitions) each query needs per observable setting, at
            confidence 1 - delta (1 - split).
        runs: Executions of the batched circuit, all observable settings.
        calls_per_run: Circuit calls per execution (1 for sampling, 2M - 1 for AE).
        sequential_runs: Executions of B single-query circuits: B x the query's runs.
    """

    n_batch: Any
    pooled: bool
    sequential: MeasurementCost
    split: Any
    samples: Any
    runs: Any

    @property
    def calls_per_run(self) -> Any:
        return self.sequential.calls_per_run

    @property
    def circuit_calls(self) -> Any:
        """Executions of the batched circuit (or its inverse), all runs."""
        return self.runs * self.calls_per_run

    @property
    def sequential_runs(self) -> Any:
        return self.n_batch * self.sequential.runs

    @property
    def sequential_calls(self) -> Any:
        return self.n_batch * self.sequential.circuit_calls

    @property
    def circuits(self) -> int:
        """Distinct circuits compiled: one batched circuit."""
        return 1

    @property
    def sequential_circuits(self) -> Any:
        return self.n_batch

    @property
    def ratio(self) -> Any:
        """Batched / sequential executions (exact)."""
        r = sympy.Rational(1) * self.circuit_calls / self.sequential_calls
        return Fraction(int(r.p), int(r.q)) if r.is_Rational else r

    def describe(self) -> str:
        if self.pooled:
            return (
                f"batch B = {self.n_batch}, query index not measured: the estimate is the pooled "
                f"mean (1/B) sum_b c_b, one observable: {self.runs} runs as for one query"
            )
        if self.n_batch == 1:
            return "batch B = 1: the single query"
        what = (
            "amplitude-estimation runs (index measured after branch-wise estimation)"
            if self.sequential.method == "amplitude-estimation"
            else "shots"
        )
        return (
            f"batch B = {self.n_batch}, query index measured: each execution is one sample of "
            f"one uniformly random query; {self.runs} executions so that every query gets "
            f"{self.samples} {what} per setting (confidence 1 - delta (1 - {self.split})) with "
            f"probability 1 - {self.split} delta (Chernoff lower tail, union bound over B), "
            f"vs B x {self.sequential.runs} = {self.sequential_runs} sequential"
        )


def _per_setting(mc: MeasurementCost) -> Any:
    """Shots per observable (sampling) or median repetitions (amplitude estimation)."""
    if mc.method == "amplitude-estimation":
        return mc.amplitude_estimation.repetitions
    return mc.per_observable


def _samples(mc: MeasurementCost, delta: Any, split: Any) -> Any:
    """Per-setting samples at confidence 1 - delta (1 - split): shots or AE repetitions."""
    d = delta * (1 - split)
    if mc.method == "hoeffding":
        return hoeffding_shots(mc.eps, d)
    if mc.method == "clt":
        return clt_shots(mc.eps, 1 - d)
    return median_repetitions(d)


def batch_measurement_cost(
    precision: Union[str, Precision],
    N: Any,
    n_batch: Any,
    d_ctx: Any = 1,
    method: str = "hoeffding",
    delta: Any = DEFAULT_DELTA,
    grouped: bool = False,
    pooled: bool = False,
    split: Optional[Any] = None,
) -> BatchMeasurementCost:
    """Executions of a B-query circuit for every query (or the pooled mean) to eps.

    Args:
        precision, N, d_ctx, method, delta, grouped: as `shots.measurement_cost` (per query).
        n_batch: B, queries per circuit (an int; N may be a symbol).
        pooled: The query index is not measured: estimate (1/B) sum_b c_b only.
        split: Fraction of delta for the uneven split; None: the `SPLITS` value giving the
            fewest executions (for symbolic N a `Min` over them, the same number at every N;
            `split` and `samples` are then None).
    """
    n_batch = positive_size(n_batch, "n_batch", "B, queries per circuit,")
    mc = measurement_cost(precision, N, d_ctx, method, delta, grouped)
    d = mc.delta
    if pooled or n_batch == 1:
        return BatchMeasurementCost(n_batch, pooled, mc, 0, _per_setting(mc), mc.runs)
    candidates = SPLITS if split is None else (sympy.Rational(split),)
    options = []
    for s in candidates:
        samples = _samples(mc, d, s)
        options.append((s, samples, mc.observables * split_executions(n_batch, samples, s * d)))
    if any(isinstance(o[2], sympy.Basic) for o in options):
        # Symbolic N: the minimum stays a Min over the splits, equal at every N to the search.
        if len(options) == 1:
            return BatchMeasurementCost(n_batch, pooled, mc, *options[0])
        runs = sympy.Min(*[o[2] for o in options], evaluate=False)
        return BatchMeasurementCost(n_batch, pooled, mc, None, None, runs)
    s, samples, runs = min(options, key=lambda o: (o[2], -o[0]))
    return BatchMeasurementCost(n_batch, pooled, mc, s, samples, runs)
