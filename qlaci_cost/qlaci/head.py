"""A QLACI attention head: the query circuit run for N queries, each repeated for its readout."""

from functools import cached_property
from typing import Any, Optional

import attrs
import sympy
from attrs import frozen
from qualtran import Bloq, BloqDocSpec, DecomposeTypeError, Signature, bloq_example
from qualtran.resource_counting import QubitCount, get_cost_value
from qualtran.symbolics import SymbolicInt, is_symbolic

from qlaci_cost.analysis.scenario import (
    DEFAULT_DELTA,
    DEFAULT_METHOD,
    DEFAULT_PRECISION,
    Scenario,
    as_scenario,
)
from qlaci_cost.analysis.shots import (
    METHODS,
    MeasurementCost,
    Precision,
    measurement_cost,
    parse_precision,
)
from qlaci_cost.core.circuit_parts import check_int
from qlaci_cost.errors import InputError
from qlaci_cost.qlaci.query import QLACIQuery
from qlaci_cost.symbolics.exact import decimal_text, rational_or_same
from qlaci_cost.symbolics.rounding import ceil_div

__all__ = [
    "DEFAULT_METHOD",
    "DEFAULT_PRECISION",
    "QUERY_LIKE",
    "QLACIHead",
    "ceil_div",
    "measurement_note",
]

# DEFAULT_PRECISION (abs:0.01), DEFAULT_METHOD (hoeffding) and DEFAULT_DELTA (1/20) are the
# scenario's (`analysis.scenario`): the library's defaults are the command line's.
#: What a head needs of its query bloq: N (the sequence length it reads) and the number of
#: observables per readout. Optional: `observables`, `bounds`, `cost_notes`, `qram_model`.
QUERY_LIKE: tuple[str, ...] = ("n_cells", "d_ctx")


def _shots(x: Any) -> Any:
    if x is None or is_symbolic(x):
        return x
    if isinstance(x, sympy.Integer):
        return int(x)
    return x


def _commute(a: str, b: str) -> bool:
    """Pauli strings commute iff they differ (both non-identity) on an even number of qubits."""
    return sum(1 for x, y in zip(a, b) if "I" not in (x, y) and x != y) % 2 == 0


def measurement_note(
    method: str,
    precision: Precision,
    delta: Any,
    d_ctx: Any,
    grouped: bool,
    shots: Optional[SymbolicInt] = None,
    repetitions: Optional[int] = None,
) -> str:
    """What produced the `shots` (circuit runs per query) of a head: one line for tables."""
    observables = (
        "all d_ctx observables read from the same runs (grouped)"
        if grouped
        else f"x d_ctx = {d_ctx} observables (measured separately)"
    )
    if shots is not None:
        return (
            f"shots = circuit runs per query = {shots} shots per observable (given) "
            f"{observables}; each run executes the whole query circuit"
        )
    target = f"precision {precision}, i.e. {precision.describe()}"
    confidence = f"delta = {decimal_text(delta)} (confidence 1 - delta per observable)"
    if method == "amplitude-estimation":
        how = (
            f"amplitude estimation (Brassard-Hoyer-Mosca-Tapp Thm 12): {repetitions} runs "
            "(median) x (2M - 1) calls to the query circuit or its inverse per observable, "
            "M = ceil(pi (1 + sqrt(1 + 2 eps)) / eps); an inverse call is costed as the circuit, "
            "its measurement stage stands for the marking of the -1 outcome, and the "
            "reflection about |0> and the inverse QFT are not counted (a lower bound)"
        )
    elif method == "clt":
        how = "CLT rule ceil(z^2 / eps^2) shots per observable (normal approximation)"
    else:
        how = "Hoeffding ceil(2 ln(2/delta) / eps^2) shots per observable"
    each = (
        "each call executes the query circuit (or its inverse)"
        if method == "amplitude-estimation"
        else "each run executes the whole query circuit"
    )
    return (
        f"shots = circuit calls per query from {target}, {how}, {confidence}, {observables}; {each}"
    )


@frozen
class QLACIHead(Bloq):
    """One QLACI attention head: the query circuit for each of N queries, repeated per readout.

    For each query Q_i (i = 1..N) the context vector c_i is read from d_ctx Pauli expectation
    values of the `QLACIQuery` circuit, so the circuit is executed `circuit_calls` times per
    query: shots x d_ctx runs for sampling (shots x 1 when the observables are `grouped`),
    or the calls of amplitude estimation (`qlaci_cost.analysis.shots.measurement_cost`).
    The shots follow
    from the readout precision eps and confidence 1 - delta, or are given (`shots`, per
    observable). The N queries differ only in Q_i's encoding angles, which do not change the
    counts of the size-only circuit (generic angles), so the head is `query` executed
    N x circuit_calls times.

    Queries run one after another on one quantum processor by default; with P `processors`
    the queries are shared out, each processor running ceil(N / P) queries (all their runs) in
    sequence, so the qubits are P copies of the query's and the depth covers ceil(N / P)
    queries. The measured readout qubits are reset between runs (resets are not counted).

    Args:
        query: The per-query circuit (default: the prototype `QLACIQuery()`, N = 16): any
            query-like bloq (`QUERY_LIKE`: a `Bloq` with `n_cells` and `d_ctx`), for example a
            multi-query bloq.
        precision: `Precision` or 'abs:EPS' / 'rel:R' (eps = R / N); default abs:0.01 (the
            scenario's default, `analysis.scenario.DEFAULT_PRECISION`).
        method: `hoeffding` (default), `clt` or `amplitude-estimation`.
        delta: Failure probability per observable, in (0, 1); default 1/20.
        shots: Shots per observable given directly (sampling only), or None to derive them.
        grouped: Read all d_ctx observables from the same runs (commuting observables).
        processors: P, quantum processors running queries in parallel.
        n_queries: Number of queries; default N = `query.n_cells` (self-attention).

    Registers:
        (none): every run allocates the query's qubits in |0> and measures its readout.

    References:
        The QLACI proposal as summarized in docs/design.md#purpose; docs/derivations/qlaci.md#head.
        [Quantum Amplitude Amplification and Estimation](https://arxiv.org/abs/quant-ph/0005055).
        Brassard, Hoyer, Mosca, Tapp 2000. Theorem 12 (the amplitude-estimation calls).

    ## Cost
    With C = `circuit_calls` per query (an exact ceiling; ~ N^2 for Hoeffding or the CLT and
    ~ N for amplitude estimation at a relative precision): every gate count = N x C x the
    query's count (exact as the query's are); qubits = P x the query's qubits (exact);
    depth, Toffoli depth and T depth = ceil(N / P) x C x the query's (upper bounds: the
    query's depths are the stage-block schedule, and runs are not overlapped).
    """

    query: Bloq = attrs.field(factory=QLACIQuery)
    precision: Precision = attrs.field(default=DEFAULT_PRECISION, converter=parse_precision)
    method: str = DEFAULT_METHOD
    # A float or decimal string as an exact rational (0.05 -> 1/20); anything else as is
    # (`measurement_cost` validates it and names a bad value).
    delta: Any = attrs.field(default=DEFAULT_DELTA, converter=rational_or_same)
    shots: Optional[SymbolicInt] = attrs.field(default=None, converter=_shots)
    grouped: bool = False
    processors: SymbolicInt = 1
    n_queries: Optional[SymbolicInt] = None

    #: Metrics whose closed form is an upper bound (as the query's).
    BOUNDS = QLACIQuery.BOUNDS

    def __attrs_post_init__(self):
        if not isinstance(self.query, Bloq) or not all(hasattr(self.query, a) for a in QUERY_LIKE):
            raise InputError(
                f"query={self.query!r} is not allowed: a query-like bloq is needed (a Bloq "
                f"with {', '.join(QUERY_LIKE)}, such as QLACIQuery)"
            )
        if self.method not in METHODS:
            allowed = ", ".join(METHODS)
            raise InputError(f"method {self.method!r} is not allowed: use one of {allowed}")
        check_int("processors", self.processors, 1)
        if self.n_queries is not None:
            check_int("n_queries", self.n_queries, 1)
        if self.shots is not None:
            if self.method == "amplitude-estimation":
                raise InputError(
                    f"shots={self.shots} is not allowed with method 'amplitude-estimation': "
                    "give a precision instead (shots apply to hoeffding and clt)"
                )
            if not is_symbolic(self.shots) and (
                isinstance(self.shots, bool) or not isinstance(self.shots, int) or self.shots < 1
            ):
                raise InputError(
                    f"shots={self.shots!r} is not allowed: shots must be an integer >= 1"
                )
        obs = getattr(self.query, "observables", None)
        if self.grouped and obs is not None:
            for i, a in enumerate(obs):
                for b in obs[i + 1 :]:
                    if not _commute(a, b):
                        raise InputError(
                            f"grouped=True is not allowed: observables {a!r} and {b!r} do not "
                            "commute, so they cannot be read from the same runs"
                        )
        _ = self.measurement  # validates precision, delta, grouped with the method

    @classmethod
    def from_scenario(
        cls,
        query: Optional[Bloq] = None,
        scenario: Optional[Scenario] = None,
        processors: SymbolicInt = 1,
        n_queries: Optional[SymbolicInt] = None,
    ) -> "QLACIHead":
        """The head of `query` (default `QLACIQuery()`) read out as `scenario` says
        (precision, method, delta, shots, grouped; default `DEFAULT_SCENARIO`)."""
        query = QLACIQuery() if query is None else query
        return cls(
            query, **as_scenario(scenario).readout, processors=processors, n_queries=n_queries
        )

    # ---- readout --------------------------------------------------------------------------

    @property
    def n_cells(self) -> SymbolicInt:
        return self.query.n_cells

    @property
    def queries(self) -> SymbolicInt:
        """N, the number of queries (`n_queries`, default the query's N)."""
        return self.query.n_cells if self.n_queries is None else self.n_queries

    @cached_property
    def measurement(self) -> MeasurementCost:
        """The derived readout cost (computed, and validated, even when `shots` is given)."""
        return measurement_cost(
            self.precision, self.n_cells, self.query.d_ctx, self.method, self.delta, self.grouped
        )

    @property
    def observable_factor(self) -> SymbolicInt:
        return 1 if self.grouped else self.query.d_ctx

    @cached_property
    def runs_per_query(self) -> SymbolicInt:
        """Separate executions per query (sampling: shots x observables)."""
        if self.shots is not None:
            return self.shots * self.observable_factor
        return self.measurement.runs

    @cached_property
    def circuit_calls(self) -> SymbolicInt:
        """Executions of the query circuit (or its inverse) per query: the `shots` column."""
        if self.shots is not None:
            return self.runs_per_query
        return self.measurement.circuit_calls

    @cached_property
    def sequential_queries(self) -> SymbolicInt:
        """ceil(N / P): queries one processor runs one after another."""
        return ceil_div(self.queries, self.processors)

    @property
    def bounds(self) -> frozenset:
        """Metrics whose closed form is an upper bound: the query's (its `bounds`, else its
        class's `BOUNDS`)."""
        default = getattr(type(self.query), "BOUNDS", frozenset())
        return frozenset(getattr(self.query, "bounds", default))

    def describe_measurement(self) -> str:
        reps = None
        if self.method == "amplitude-estimation" and self.shots is None:
            reps = self.measurement.amplitude_estimation.repetitions
        return measurement_note(
            self.method,
            self.precision,
            self.measurement.delta,
            self.query.d_ctx,
            self.grouped,
            self.shots,
            reps,
        )

    @property
    def cost_notes(self) -> tuple[str, ...]:
        schedule = (
            "queries run one after another on one processor"
            if self.processors == 1
            else f"queries shared out over P = {self.processors} processors (qubits x P, "
            "depth over ceil(N / P) queries)"
        )
        return tuple(getattr(self.query, "cost_notes", ())) + (
            f"head: N = {self.queries} queries x {self.circuit_calls} circuit calls per query; "
            f"{schedule}; resets between runs not counted",
            self.describe_measurement(),
        )

    # ---- bloq protocol --------------------------------------------------------------------

    @cached_property
    def signature(self) -> Signature:
        return Signature([])

    def build_composite_bloq(self, bb, **soqs):
        raise DecomposeTypeError(
            f"{self} is a classical loop of measured circuit runs, not one circuit: its counts "
            "come from its call graph (the query circuit, N x circuit_calls times)"
        )

    def build_call_graph(self, ssa):
        # One execution of the query circuit per call: N queries x C calls each. An inverse
        # call (amplitude estimation) has the same counts as the circuit.
        return {self.query: self.queries * self.circuit_calls}

    def my_static_costs(self, cost_key):
        from qlaci_cost.core.depth import Depth, TDepth, ToffoliDepth

        if isinstance(cost_key, QubitCount):
            # P processors, each holding one query circuit's qubits; runs reuse them.
            return self.processors * get_cost_value(self.query, cost_key)
        if isinstance(cost_key, (Depth, ToffoliDepth, TDepth)):
            # Runs in sequence on each processor: ceil(N / P) queries x C calls each.
            return (
                self.sequential_queries * self.circuit_calls * get_cost_value(self.query, cost_key)
            )
        return NotImplemented

    def __str__(self):
        how = f"shots={self.shots}" if self.shots is not None else str(self.precision)
        return (
            f"QLACIHead(N={self.queries}, {getattr(self.query, 'qram_model', self.query)}, "
            f"{self.method}, {how}, "
            f"P={self.processors})"
        )


@bloq_example
def _qlaci_head_symb() -> QLACIHead:
    N = sympy.symbols("N", positive=True, integer=True)
    qlaci_head_symb = QLACIHead(QLACIQuery(N))
    return qlaci_head_symb


@bloq_example
def _qlaci_head() -> QLACIHead:
    qlaci_head = QLACIHead(QLACIQuery(8, d_q=1, bits=1, qram_model="qrom"), precision="abs:0.1")
    return qlaci_head


_QLACI_HEAD_DOC = BloqDocSpec(bloq_cls=QLACIHead, examples=(_qlaci_head_symb, _qlaci_head))
