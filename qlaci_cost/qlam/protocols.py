"""QLAM readout protocols priced: step executions, circuit runs, sequential rounds, coherent
depth per run and the totals of every metric (docs/derivations/qlam.md, section 5).

A run executes steps 1..t of the sequence and reads the memory; measurement destroys the
state, so every estimate needs fresh runs from the start. With S shots per group (Hoeffding or
CLT, `analysis.shots`), G commuting groups and K observables:

| protocol | runs | step executions | rounds | estimates |
|---|---|---|---|---|
| `final` | G S | G S N | 1 | the unitary model's final <O> |
| `every-step` | G S N | G S N(N+1)/2 | N | every <O_t> (prefix t re-run; fed back*) |
| `weak` | S_theta | S_theta N, S_theta = ceil(S / sin^2 theta) | 1 | the MONITORED model |
| `time-pooled` | G S | G S (N+1)/2 in expectation | 1 | (1/N) sum_t <O_t> (random prefix) |
| `query-dependent` | G_q S | G_q S N | 1 | the final <O> in each of G_q query bases |
| `final` + AE | K k | K k (2M-1) N | 1 | the unitary model's final <O> |
| `every-step` + AE | K k N | K k (2M-1) N(N+1)/2 | N | every <O_t> |

(k, M: repetitions and grid size of amplitude estimation, `shots.ae_calls`.) *The feedback of
every-step estimates into later tokens is an assumption of ours, not the paper's: it makes
the N rounds sequential; the executions are the same without it. `time-pooled` draws one
prefix length t uniformly from 1..N per shot, so its step executions are an expectation
(exact rational). Every number is exact (ints, or sympy expressions in a symbolic N).
"""

import functools
from typing import Any, NamedTuple, Optional, Union

import attrs
import sympy
from attrs import frozen

from qlaci_cost.analysis.precision import unit_interval
from qlaci_cost.analysis.scenario import DEFAULT_PRECISION as _SCENARIO_PRECISION
from qlaci_cost.analysis.scenario import Scenario, as_scenario
from qlaci_cost.analysis.shots import (
    DEFAULT_DELTA,
    METHODS,
    ExactCeiling,
    Precision,
    ae_calls,
    clt_shots,
    hoeffding_shots,
    parse_precision,
)
from qlaci_cost.core.closed_forms import cached_summary, key_of
from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, Conventions
from qlaci_cost.core.summary import CostSummary, cost_summary
from qlaci_cost.errors import InputError
from qlaci_cost.physical.scope import PAULI_RANGE
from qlaci_cost.qlam.query_readout import DEFAULT_QUERY_BASES, QueryReadout
from qlaci_cost.qlam.readout import DirectReadout, check_theta, theta_value
from qlaci_cost.qlam.step import QLAMSequence, QLAMStep

__all__ = [
    "DEFAULT_CONFIG",
    "DEFAULT_PRECISION",
    "NO_AMPLITUDE_ESTIMATION",
    "PROTOCOLS",
    "TOTALS",
    "UNION_BOUNDS",
    "ProtocolCost",
    "QLAMConfig",
    "part_summary",
    "protocol_cost",
    "protocol_name",
    "scenario_cost",
    "summaries_in_m",
]

PROTOCOLS = ("final", "every-step", "weak", "time-pooled", "query-dependent")
#: Protocols amplitude estimation does not apply to (their runs are sampled one by one).
NO_AMPLITUDE_ESTIMATION = ("weak", "time-pooled", "query-dependent")
#: Which estimates a union bound covers: delta is split over K observables, N steps, or both.
UNION_BOUNDS = ("none", "observables", "steps", "all")
#: Default precision: the scenario's (`analysis.scenario`), additive 0.01 on each expectation.
DEFAULT_PRECISION = _SCENARIO_PRECISION
TOTALS = (
    "total_toffoli",
    "total_t_count",
    "total_clifford",
    "total_rotations",
    "total_measurements",
    "total_toffoli_depth",
    "total_t_depth",
    "total_depth",
)
_PER_STEP = ("toffoli", "t_count", "clifford", "rotations", "measurements")
_DEPTHS = {
    "total_toffoli_depth": "toffoli_depth",
    "total_t_depth": "t_depth",
    "total_depth": "depth",
}


def is_symbolic(*values: Any) -> bool:
    """True when a value has free symbols (a sympy number is not symbolic)."""
    return any(isinstance(v, sympy.Basic) and bool(v.free_symbols) for v in values)


def _size(name: str, value: Any, minimum: int = 1) -> None:
    if isinstance(value, sympy.Integer):
        value = int(value)
    if is_symbolic(value):
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InputError(f"{name}={value!r} is not allowed: an integer >= {minimum} is needed")


@frozen
class QLAMConfig:
    """The QLAM circuit parameters a protocol is priced for (the paper publishes none of them).

    Args:
        m: Memory qubits (default 8).
        d_in: Features per token (default 1: one pixel per token, as in sMNIST).
        layers: L (default 2).
        rotations: r per qubit per layer (default 2: Ry, Rz).
        entangler: `ladder` (default), `brick` or `ring`.
        n_observables: K observables read (default m: Z on each memory qubit).
        n_groups: G commuting groups (default 1: all Z).
        ancillas: k weak-readout ancillas (default K; the weak protocol reads k observables).
        theta: Weak-measurement angle in (0, pi/2] (default pi/4).
        query_bases: G_q distinct query bases of the query-dependent readout (default
            `DEFAULT_QUERY_BASES` = 10, an assumption: one query per class of the paper's
            10-class tasks); each query reads K observables in its own basis.
    """

    m: int = 8
    d_in: int = 1
    layers: int = 2
    rotations: int = 2
    entangler: str = "ladder"
    n_observables: Optional[int] = None
    n_groups: int = 1
    ancillas: Optional[int] = None
    theta: Any = attrs.field(default=sympy.pi / 4, converter=theta_value)
    query_bases: int = DEFAULT_QUERY_BASES

    def __attrs_post_init__(self):
        for name in ("m", "d_in", "layers", "rotations", "n_groups", "query_bases"):
            _size(name, getattr(self, name))
        if self.n_observables is None:
            object.__setattr__(self, "n_observables", self.m)
        if self.ancillas is None:
            object.__setattr__(self, "ancillas", self.n_observables)
        _size("n_observables", self.n_observables)
        _size("ancillas", self.ancillas)
        check_theta(self.theta)
        _ = self.step(False), self.step(True)

    @property
    def circuit_sizes(self) -> tuple:
        """(m, d_in, layers, rotations, entangler): the leading arguments of `QLAMStep` (and of
        `QLAMSequence`, after N)."""
        return (self.m, self.d_in, self.layers, self.rotations, self.entangler)

    def step(self, weak: bool) -> QLAMStep:
        k = self.ancillas if weak else 0
        return QLAMStep(*self.circuit_sizes, k, self.theta)

    def readout(self) -> DirectReadout:
        return DirectReadout(self.m, self.n_observables, self.n_groups)

    def query_readout(self) -> QueryReadout:
        """The size-only readout of one query basis (query-dependent protocol)."""
        return QueryReadout(self.m, self.query_bases)

    def sequence(self, n: Any, weak: bool = False) -> QLAMSequence:
        """The circuit of one full-length run (size-only): N steps, then the readout."""
        return QLAMSequence(
            n,
            *self.circuit_sizes,
            self.ancillas if weak else 0,
            self.theta,
            final_readout=not weak,
            n_observables=self.n_observables,
            n_groups=self.n_groups,
        )

    def describe(self) -> str:
        return (
            f"QLAM circuit (parameters; not published by the proposal): m = {self.m} memory "
            f"qubits, d_in = {self.d_in} features per token (Rx/Rz angle encoding), L = "
            f"{self.layers} layers of r = {self.rotations} rotations per qubit and a "
            f"{self.entangler} entangler, K = {self.n_observables} observables in "
            f"G = {self.n_groups} commuting group(s); weak readout: k = {self.ancillas} "
            f"ancillas, theta = {self.theta}; query-dependent readout: G_q = "
            f"{self.query_bases} query bases (an assumption: one per class of a 10-class task)"
        )


DEFAULT_CONFIG = QLAMConfig()


#: Memory sizes m above this are priced from the closed forms in m (the summaries derived once
#: with m a symbol, then evaluated at m): deriving them from the m-qubit circuit itself takes
#: time ~ m^2 (10,000 qubits: half a minute) and memory ~ m. Both give the same numbers
#: (tests/qlam/test_qlam_closed_form_m.py).
CLOSED_FORM_M = 64
_M = sympy.Symbol("qlam_m", positive=True, integer=True)


@functools.cache
def _summaries(config: QLAMConfig, conventions: Conventions) -> dict[str, CostSummary]:
    if not is_symbolic(config.m) and config.m > CLOSED_FORM_M:
        return summaries_in_m(config, conventions)
    return _derived(config, conventions)


#: The disk cache's kind of the QLAM circuits' summaries (`core.closed_forms`).
SUMMARY_KIND = "qlam-summary"


def _derived(config: QLAMConfig, conventions: Conventions) -> dict[str, CostSummary]:
    """The step, weak step, readout and query readout summaries (concrete ones from the
    disk cache when there)."""
    parts = {
        "step": lambda: config.step(False),
        "weak_step": lambda: config.step(True),
        "readout": config.readout,
        "query_readout": config.query_readout,
    }
    return {name: part_summary(config, name, bloq, conventions) for name, bloq in parts.items()}


def part_summary(config: QLAMConfig, part: str, bloq, conventions: Conventions) -> CostSummary:
    """`cost_summary(bloq(), conventions)` of the `part` of `config`, kept in the disk cache
    when its metrics are numbers."""
    key = key_of(config=config, part=part, conventions=conventions)
    return cached_summary(SUMMARY_KIND, key, lambda: cost_summary(bloq(), conventions), conventions)


def summaries_in_m(config: QLAMConfig, conventions: Conventions) -> dict[str, CostSummary]:
    """The step, weak step and readout summaries of `config` from their closed forms in m:
    derived with m (and K, k where they default to m) a symbol, then evaluated exactly at m.
    Nothing of size m is built, so any m costs the same."""
    from qlaci_cost.symbolics.exact import evaluate

    m = config.m
    same = {"n_observables": config.n_observables, "ancillas": config.ancillas}
    symbolic = attrs.evolve(config, m=_M, **{k: _M if v == m else v for k, v in same.items()})
    values = {_M.name: m}
    return {
        name: attrs.evolve(s, **{k: evaluate(v, values) for k, v in s.metrics().items()})
        for name, s in _derived(symbolic, conventions).items()
    }


def protocol_name(protocol: str, amplitude_estimation: bool) -> str:
    """The row label: `final`, `every-step`, `weak`, `final-ae`, `every-step-ae`."""
    return f"{protocol}-ae" if amplitude_estimation else protocol


@frozen
class ProtocolCost:
    """What one readout protocol costs for a sequence of N tokens.

    Attributes:
        protocol: `final`, `every-step` or `weak`; `amplitude_estimation` marks the AE variant.
        N: Tokens.
        eps, delta, delta_each: Target precision, overall failure probability and the share
            each estimate gets after the union bound (`union`).
        shots: Sampling: runs per group and estimate (S; S_theta for weak). AE: total calls
            to the sequence circuit per observable (k (2M - 1)).
        runs: Separate circuit executions (each starts from |0>).
        step_executions: QLAM steps executed in all runs.
        readouts: Final readouts executed (calls to the readout stage).
        rounds: Results that must come back before the next circuits can be built.
        coherent_steps: Steps of the longest run (its coherent length).
        coherent_depth: Depth of the longest run (steps as blocks).
        run: `cost_summary` of one full-length run's circuit (N steps + readout; N weak steps).
        totals: `TOTALS` -> exact value, all runs one after another on one device.
        estimated_model: What the estimates are of (the unitary or the monitored model).
        eps_refers_to: What eps bounds, in words.
    """

    protocol: str
    amplitude_estimation: bool
    N: Any
    config: QLAMConfig
    method: str
    union: str
    eps: Any
    delta: Any
    delta_each: Any
    shots: Any
    runs: Any
    step_executions: Any
    readouts: Any
    rounds: Any
    coherent_steps: Any
    coherent_depth: Any
    run: CostSummary
    totals: dict
    estimated_model: str
    eps_refers_to: str
    ae_grid: Any = None
    ae_repetitions: Any = None

    @property
    def name(self) -> str:
        return protocol_name(self.protocol, self.amplitude_estimation)

    @property
    def longest_run_counts(self) -> dict[str, Any]:
        """The counts of the longest run, as a physical estimate takes them: its
        `coherent_steps` steps are `coherent_steps / N` calls of the N-step circuit `run`
        (qubits once)."""
        per_call = self.coherent_steps // self.N
        run = self.run
        counts = {m: per_call * getattr(run, m) for m in ("toffoli", "t_count", "rotations")}
        counts.update(
            qubits=run.qubits,
            measurements=per_call * run.measurements,
            toffoli_depth=per_call * run.toffoli_depth,
        )
        return counts

    @property
    def observable_range(self) -> Any:
        """The range of one outcome: 2 for a Pauli expectation, 2 / sin(theta) for the weak
        readout's rescaled ancilla (`physical.scope`'s observable range)."""
        if self.protocol == "weak":
            return PAULI_RANGE / sympy.sin(self.config.theta)
        return PAULI_RANGE


def _half(x: Any) -> Any:
    """x / 2 exactly: an int when x is an even int, a sympy Rational or expression otherwise."""
    if is_symbolic(x):
        return x / 2
    x = int(x)
    return x // 2 if x % 2 == 0 else sympy.Rational(x, 2)


def _sampling_shots(eps: Any, delta_each: Any, method: str) -> Any:
    if not is_symbolic(delta_each):
        return (
            hoeffding_shots(eps, delta_each)
            if method == "hoeffding"
            else clt_shots(eps, 1 - delta_each)
        )
    if method != "hoeffding":
        raise InputError(f"method {method!r} is not allowed with a symbolic N: use hoeffding")
    # Hoeffding's M = ceil(2 ln(2 / delta) / eps^2) (`shots.hoeffding_shots`), delta in N.
    return ExactCeiling(2 * sympy.log(2 / delta_each) / sympy.sympify(eps) ** 2)


def _union_share(union: str, protocol: str, K: Any, N: Any) -> Any:
    if union not in UNION_BOUNDS:
        raise InputError(f"union bound {union!r} is not allowed: use one of {UNION_BOUNDS}")
    share = 1
    if union in ("observables", "all"):
        share *= K
    if union in ("steps", "all") and protocol in ("every-step", "weak"):
        share *= N
    return share


def _eps_text(protocol: str, ae: bool, union: str, theta: Any) -> str:
    joint = {
        "none": "each estimate separately",
        "observables": "all K observables jointly (union bound)",
        "steps": "all N steps jointly (union bound)",
        "all": "all K observables and N steps jointly (union bound)",
    }[union]
    if protocol == "final":
        what = "each final expectation <O_k>_N of the unitary model"
    elif protocol == "every-step":
        what = (
            "each <O_k>_t, t = 1..N, of the unitary model given the fed-back estimates of "
            "earlier steps (their errors feed forward and are not bounded here; the feedback "
            "is an assumption of ours, not the paper's: it makes the N rounds sequential, the "
            "executions are the same without it)"
        )
    elif protocol == "time-pooled":
        what = (
            "each time-pooled expectation (1/N) sum_t <O_k>_t of the unitary model (one "
            "prefix length t drawn uniformly from 1..N per shot: every shot is an unbiased "
            "+-1 sample of it)"
        )
    elif protocol == "query-dependent":
        what = (
            "each final expectation of the unitary model in each query's basis (K observables "
            "per query, G_q query bases)"
        )
    else:
        what = (
            f"each <O_k>_t of the MONITORED (dephased) model, read as <X_anc> / sin(theta) with "
            f"theta = {theta}: not the unitary QLAM"
        )
    how = "amplitude estimation" if ae else "sampling"
    return f"additive eps on {what}; confidence 1 - delta for {joint} ({how})"


def protocol_cost(
    protocol: str,
    N: Any,
    config: QLAMConfig = DEFAULT_CONFIG,
    precision: Union[str, Precision] = DEFAULT_PRECISION,
    delta: Any = DEFAULT_DELTA,
    method: str = "hoeffding",
    union: str = "none",
    conventions: Conventions = DEFAULT_CONVENTIONS,
) -> ProtocolCost:
    """Price one readout protocol for N tokens.

    Args:
        protocol: `final`, `every-step`, `weak`, `time-pooled` or `query-dependent`
            (`PROTOCOLS`).
        N: Tokens, an int >= 1 (any size) or a sympy symbol.
        config: The circuit (`QLAMConfig`).
        precision: `abs:EPS` (QLAM has no 1/N share, so `rel:` is not allowed).
        delta: Failure probability, in (0, 1).
        method: `hoeffding`, `clt` or `amplitude-estimation` (not with `weak`).
        union: `none`, `observables`, `steps` or `all` (`UNION_BOUNDS`).
        conventions: Counting conventions.

    Raises:
        InputError: naming a bad protocol, size, precision, method or union bound.
    """
    eps, delta = _checked_readout(protocol, N, precision, delta, method)
    ae = method == "amplitude-estimation"
    K, G = _estimates(protocol, config)
    delta_each = delta / _union_share(union, protocol, K, N)
    step, readout = _circuits(protocol, config, conventions)
    if ae:
        c = _ae_counts(protocol, eps, delta_each, K, N)
    else:
        c = _sampling_counts(protocol, eps, delta_each, method, config, G, N)
    return ProtocolCost(
        protocol,
        ae,
        N,
        config,
        method,
        union,
        eps,
        delta,
        delta_each,
        c.shots,
        c.runs,
        c.steps,
        c.readouts,
        c.rounds,
        c.per_run * N,
        c.per_run * (N * step.depth + (readout.depth if readout is not None else 0)),
        _run_summary(step, readout, N),
        _totals(step, readout, c.steps, c.readouts),
        "monitored (dephased) QLAM, a different model" if protocol == "weak" else "unitary QLAM",
        _eps_text(protocol, ae, union, config.theta),
        c.grid,
        c.reps,
    )


def _checked_readout(protocol: str, N: Any, precision, delta: Any, method: str) -> tuple:
    """(eps, delta) once the protocol, N, method (amplitude estimation only where it applies),
    precision (abs only) and delta are checked."""
    if protocol not in PROTOCOLS:
        raise InputError(f"readout protocol {protocol!r} is not allowed: use one of {PROTOCOLS}")
    _size("N", N)
    if method not in METHODS:
        raise InputError(f"method {method!r} is not allowed: use one of {', '.join(METHODS)}")
    if method == "amplitude-estimation" and protocol in NO_AMPLITUDE_ESTIMATION:
        why = {
            "weak": "its one trajectory per run is sampled, not coherently estimated",
            "time-pooled": "each shot draws its own prefix length at random",
            "query-dependent": "its query bases are read by sampling (use final-ae per basis)",
        }[protocol]
        raise InputError(
            f"amplitude estimation is not allowed with the {protocol} protocol: {why}; use "
            "final or every-step"
        )
    prec = parse_precision(precision)
    if prec.kind != "abs":
        raise InputError(
            f"precision {str(prec)!r} is not allowed for QLAM: use abs:EPS (an additive eps on "
            "each expectation; rel:R is QLACI's share of a uniform average)"
        )
    eps = prec.eps()
    return eps, unit_interval(delta, "delta", "failure probability delta")


def _estimates(protocol: str, config: QLAMConfig) -> tuple[Any, Any]:
    """(K estimates, G commuting groups) the protocol reads."""
    K, G = config.n_observables, config.n_groups
    if protocol == "weak":
        K = config.ancillas
    if protocol == "query-dependent":
        G = config.query_bases
        K = K * G  # K observables in each query's basis
    return K, G


def _circuits(
    protocol: str, config: QLAMConfig, conventions: Conventions
) -> tuple[CostSummary, Optional[CostSummary]]:
    """(one step, the readout stage (None for weak)) of the protocol's circuit."""
    parts = _summaries(config, conventions)
    weak = protocol == "weak"
    step = parts["weak_step"] if weak else parts["step"]
    readout = None if weak else parts["readout"]
    if protocol == "query-dependent":
        readout = parts["query_readout"]
    return step, readout


class _Counts(NamedTuple):
    """Shots, circuit calls per run, runs, step executions, readouts, rounds (and, for
    amplitude estimation, its grid size and repetitions)."""

    shots: Any
    per_run: Any
    runs: Any
    steps: Any
    readouts: Any
    rounds: Any
    grid: Any = None
    reps: Any = None


def _ae_counts(protocol: str, eps: Any, delta_each: Any, K: Any, N: Any) -> _Counts:
    """Amplitude estimation: k repetitions of 2M - 1 calls per observable (`shots.ae_calls`)."""
    tri = _half(N * (N + 1))
    a = ae_calls(eps, delta_each) if not is_symbolic(delta_each) else None
    if a is None:
        raise InputError("amplitude estimation needs a numeric delta share: use union none")
    grid, reps = a.grid_size, a.repetitions
    calls = 2 * grid - 1
    if protocol == "final":
        runs, steps, readouts, rounds = K * reps, K * reps * calls * N, K * reps * calls, 1
    else:
        runs, steps = K * reps * N, K * reps * calls * tri
        readouts, rounds = K * reps * calls * N, N
    return _Counts(reps * calls, calls, runs, steps, readouts, rounds, grid, reps)


def _sampling_counts(
    protocol: str, eps: Any, delta_each: Any, method: str, config: QLAMConfig, G: Any, N: Any
) -> _Counts:
    """Sampling: S shots per group (S_theta = ceil(S / sin^2 theta) runs for weak)."""
    tri = _half(N * (N + 1))
    S = _sampling_shots(eps, delta_each, method)
    if protocol == "weak":
        s_theta = ExactCeiling(sympy.sympify(S) / sympy.sin(config.theta) ** 2)
        shots = int(s_theta) if s_theta.is_Integer else s_theta
        return _Counts(shots, 1, shots, shots * N, 0, 1)
    if protocol in ("final", "query-dependent"):
        runs, steps, readouts, rounds = G * S, G * S * N, G * S, 1
    elif protocol == "time-pooled":  # E[t] = (N + 1) / 2 steps per run
        runs, steps, readouts, rounds = G * S, _half(G * S * (N + 1)), G * S, 1
    else:
        runs, steps, readouts, rounds = G * S * N, G * S * tri, G * S * N, N
    return _Counts(S, 1, runs, steps, readouts, rounds)


def _totals(step: CostSummary, readout: Optional[CostSummary], steps: Any, readouts: Any) -> dict:
    """`TOTALS`: step executions x the step's metric + readouts x the readout's."""
    totals = {}
    for total in TOTALS:
        metric = _DEPTHS.get(total, total.removeprefix("total_"))
        ro = getattr(readout, metric) if readout is not None else 0
        totals[total] = steps * getattr(step, metric) + readouts * ro
    return totals


def scenario_cost(
    protocol: str,
    N: Any,
    config: QLAMConfig = DEFAULT_CONFIG,
    scenario: Optional[Scenario] = None,
    union: str = "none",
    method: Optional[str] = None,
) -> ProtocolCost:
    """`protocol_cost` with the readout (precision, delta, method) and conventions of
    `scenario` (default `DEFAULT_SCENARIO`); `method` overrides the scenario's (the `-ae`
    protocol names). A scenario's amplitude estimation falls back to Hoeffding sampling for
    the protocols it does not apply to (`NO_AMPLITUDE_ESTIMATION`)."""
    s = as_scenario(scenario)
    how = method or s.method
    if method is None and how == "amplitude-estimation" and protocol in NO_AMPLITUDE_ESTIMATION:
        how = "hoeffding"
    return protocol_cost(protocol, N, config, s.precision, s.delta, how, union, s.conventions)


def _run_summary(step: CostSummary, readout: Optional[CostSummary], N: Any) -> CostSummary:
    """One full-length run: N steps then the readout (the `QLAMSequence` closed form)."""
    values = {}
    for metric, v in step.metrics().items():
        if metric == "qubits":
            values[metric] = v
        else:
            values[metric] = N * v + (getattr(readout, metric) if readout is not None else 0)
    return attrs.evolve(step, **values)
