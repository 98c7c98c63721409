"""QLACIHead and HybridBlock: totals vs independent products, symbolic vs concrete, scaling."""

import math
from functools import cached_property

import attrs
import mpmath
import pytest
import sympy
from qualtran import Bloq, Signature
from qualtran.bloqs.basic_gates import CNOT
from qualtran.testing import assert_bloq_example_make

from qlaci_cost.analysis.classical import block_flops, block_memory_bytes
from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.core.conventions import Conventions
from qlaci_cost.core.decomposed import decomposed_summary
from qlaci_cost.core.summary import METRICS, cost_summary
from qlaci_cost.qlaci import DEFAULT_PRECISION, HybridBlock, QLACIHead, QLACIQuery
from qlaci_cost.qlaci.block import _hybrid_block, _hybrid_block_symb
from qlaci_cost.qlaci.head import _qlaci_head, _qlaci_head_symb, ceil_div
from qlaci_cost.qlaci.table import qlaci_rows
from qlaci_cost.qlaci.verify import worst_case
from qlaci_cost.symbolics.scaling import loglog_slope, top_decade

CONV = Conventions(eps=1e-4)
#: The relative precision these scaling tests read (eps = 0.1 / N), under CONV.
REL = Scenario(precision="rel:0.1", conventions=CONV)
N_SYM = sympy.Symbol("N", positive=True, integer=True)
GATES = ("toffoli", "t_count", "clifford", "rotations", "measurements")
DEPTHS = ("toffoli_depth", "t_depth", "depth")


def hoeffding(eps: float, delta: float = 0.05) -> int:
    """2 ln(2/delta) / eps^2 rounded up, in floats (fine where it is not near an integer)."""
    x = 2 * math.log(2 / delta) / eps**2
    assert abs(x - round(x)) > 1e-6, "too close to an integer for a float ceiling"
    return math.ceil(x)


def exact_hoeffding_rel(n: int, r: str = "0.1", delta: str = "0.05") -> int:
    """ceil(2 ln(2/delta) n^2 / r^2) with mpmath at enough digits for any n (independent of
    the package's ExactCeiling)."""
    digits = 2 * len(str(n)) + 40
    with mpmath.workdps(digits):
        x = 2 * mpmath.log(2 / mpmath.mpf(delta)) * mpmath.mpf(n) ** 2 / mpmath.mpf(r) ** 2
        return int(mpmath.ceil(x))


def test_default_precision_is_the_scenarios():
    """The library's head reads out as the command line does: abs:0.01, Hoeffding, 1/20."""
    assert str(DEFAULT_PRECISION) == "abs:0.01"
    head = QLACIHead()
    assert head.method == "hoeffding" and head.delta == sympy.Rational(1, 20)
    # eps = 0.01: ceil(2 ln 40 x 100^2) = ceil(73777.7...)
    assert head.circuit_calls == hoeffding(0.01) == 73778
    # eps = 0.1 / 16 = 1/160 with rel:0.1: ceil(2 ln 40 x 160^2) = ceil(188870.6...)
    assert QLACIHead(precision="rel:0.1").circuit_calls == hoeffding(0.1 / 16) == 188871
    assert QLACIHead.from_scenario(scenario=REL) == QLACIHead(precision="rel:0.1")


@pytest.mark.parametrize("model", ["qrom", "bucket-brigade"])
@pytest.mark.parametrize("n_cells", [4, 8])
def test_head_totals_are_n_times_shots_times_the_decomposed_query(model, n_cells):
    """Every gate count of the head == N x shots x the decomposed query's count (worst-case
    data), the shots from Hoeffding's formula in floats; qubits == the query's; depths ==
    N x shots x the query's closed form, which is >= its decomposition."""
    head = QLACIHead(QLACIQuery(N_SYM, 1, 2, qram_model=model), "rel:0.1")
    got = cost_summary(head, CONV).subs({N_SYM: n_cells})
    shots = hoeffding(0.1 / n_cells)
    measured = decomposed_summary(worst_case(model, n_cells, 2), CONV)
    for m in GATES:
        assert getattr(got, m) == n_cells * shots * getattr(measured, m), m
    assert got.qubits == measured.qubits
    closed = cost_summary(QLACIQuery(n_cells, 1, 2, qram_model=model), CONV)
    for m in DEPTHS:
        assert getattr(got, m) == n_cells * shots * getattr(closed, m), m
        assert getattr(got, m) >= n_cells * shots * getattr(measured, m), m


@pytest.mark.parametrize("model", ["bucket-brigade", "qrom", "ideal", "fanout"])
@pytest.mark.parametrize("n_cells", [16, 1024])
def test_symbolic_head_equals_concrete_head_and_table(model, n_cells):
    symbolic = cost_summary(QLACIHead(QLACIQuery(N_SYM, qram_model=model), "rel:0.1"), CONV)
    concrete = cost_summary(QLACIHead(QLACIQuery(n_cells, qram_model=model), "rel:0.1"), CONV)
    assert symbolic.subs({N_SYM: n_cells}).metrics() == concrete.metrics()
    (row,) = qlaci_rows([model], [n_cells], "head", REL).rows
    assert row["shots"] == exact_hoeffding_rel(n_cells)
    assert row["total_toffoli"] == concrete.toffoli
    assert row["total_t_count"] == concrete.t_count
    assert row["total_depth"] == concrete.depth
    assert row["head_qubits"] == concrete.qubits


@pytest.mark.parametrize("n_cells", [2**64, 2**200])
def test_huge_n_is_exact(n_cells):
    summary = cost_summary(QLACIHead(QLACIQuery(N_SYM), "rel:0.1"), CONV).subs({N_SYM: n_cells})
    for m in METRICS:
        assert isinstance(getattr(summary, m), int), m
    shots = exact_hoeffding_rel(n_cells)
    # bucket-brigade query: 12 N - 8 Toffoli-class gates (two loads).
    assert summary.toffoli == n_cells * shots * (12 * n_cells - 8)
    (row,) = qlaci_rows(["bucket-brigade"], [n_cells], "head", REL).rows
    assert row["shots"] == shots
    assert row["total_t_count"] == summary.t_count
    assert row["total_depth"] == summary.depth


@pytest.mark.parametrize("processors", [1, 3, 4, 16, 40])
def test_processors_divide_depth_and_multiply_qubits(processors):
    query = QLACIQuery(16, qram_model="qrom")
    one = cost_summary(QLACIHead(query), CONV)
    many = cost_summary(QLACIHead(query, processors=processors), CONV)
    q = cost_summary(query, CONV)
    calls = QLACIHead(query).circuit_calls
    assert many.qubits == processors * q.qubits
    sequential = -(-16 // processors)  # 16, 6, 4, 1, 1
    for m in DEPTHS:
        assert getattr(many, m) == sequential * calls * getattr(q, m)
    for m in GATES:
        assert getattr(many, m) == getattr(one, m)
    # symbolic N, P = 4: ceil(N / 4) evaluates to the same numbers
    sym = cost_summary(QLACIHead(QLACIQuery(N_SYM, qram_model="qrom"), processors=4), CONV)
    assert sym.subs({N_SYM: 1024}).depth == 256 * QLACIHead(QLACIQuery(1024)).circuit_calls * (
        cost_summary(QLACIQuery(1024, qram_model="qrom"), CONV).depth
    )
    assert ceil_div(17, 4) == 5 and ceil_div(N_SYM, 1) == N_SYM


def test_amplitude_estimation_calls():
    """BHMT Thm 12 at a = 1/2: M = ceil(pi (1 + sqrt(1 + 2 eps)) / eps); 2M - 1 calls per run;
    7 runs for the median at delta = 0.05 (smallest odd k with P(Bin(k, 8/pi^2) <= k//2) <= 0.05,
    recomputed here in floats)."""
    p = 8 / math.pi**2
    k = next(
        k
        for k in range(1, 99, 2)
        if sum(math.comb(k, s) * p**s * (1 - p) ** (k - s) for s in range(k // 2 + 1)) <= 0.05
    )
    assert k == 7
    for n in (16, 1024):
        eps = 0.1 / n
        m = math.ceil(math.pi * (1 + math.sqrt(1 + 2 * eps)) / eps)
        head = QLACIHead(QLACIQuery(n, qram_model="ideal"), "rel:0.1", "amplitude-estimation")
        assert head.circuit_calls == k * (2 * m - 1)
        assert head.runs_per_query == k
        q = cost_summary(head.query, CONV)
        assert cost_summary(head, CONV).toffoli == n * k * (2 * m - 1) * q.toffoli
    # ~N calls against ~N^2 shots
    ae = [
        QLACIHead(QLACIQuery(2**j), "rel:0.1", "amplitude-estimation").circuit_calls for j in (4, 8)
    ]
    assert 15 < ae[1] / ae[0] < 17


def test_observables_multiply_runs_unless_grouped():
    base = QLACIHead(QLACIQuery(16), "abs:0.01").circuit_calls
    assert base == hoeffding(0.01) == 73778  # docs/references.md: eps = 0.01, delta = 0.05
    three = QLACIHead(QLACIQuery(16, observables=("Z", "X", "Y")), "abs:0.01")
    assert three.circuit_calls == 3 * base
    commuting = QLACIQuery(16, n_out=2, observables=("ZI", "IZ", "ZZ"))
    assert QLACIHead(commuting, "abs:0.01", grouped=True).circuit_calls == base
    with pytest.raises(ValueError, match="do not commute"):
        QLACIHead(QLACIQuery(16, observables=("Z", "X")), grouped=True)
    given = QLACIHead(QLACIQuery(16, observables=("Z", "X", "Y")), shots=1000)
    assert given.circuit_calls == 3000
    assert cost_summary(given, CONV).measurements == 16 * 3000 * 3


def test_bad_input_is_named():
    cases = [
        (dict(shots=0), "shots=0"),
        (dict(shots=10, method="amplitude-estimation"), "shots=10"),
        (dict(delta=1.5), "delta"),
        (dict(delta=0), "delta"),
        (dict(method="magic"), "method 'magic'"),
        (dict(precision="rel:2"), "rel:2"),
        (dict(precision="abs:0"), "abs:0"),
        (dict(processors=0), "processors=0"),
        (dict(grouped=True, method="amplitude-estimation"), "grouped"),
    ]
    for kwargs, match in cases:
        with pytest.raises(ValueError, match=match):
            QLACIHead(**kwargs)
    with pytest.raises(ValueError, match="layers=0"):
        QLACIHead(QLACIQuery(16, layers=0))
    with pytest.raises(ValueError, match="heads must divide"):
        HybridBlock(heads=3, d_model=10)
    with pytest.raises(ValueError, match="heads=0"):
        HybridBlock(heads=0)


def test_head_rows_slopes():
    """total_t_count with rel precision: bucket-brigade N x N^2 shots x 48 N: slope 4;
    ideal N x N^2 shots x (8 log2 N + 608): N^3 log N asymptotically, but the 608 (38 rotations
    x 16 T) dominates 8 log2 N up to N = 2^76, so the top-decade slope is 3.0126, computed here
    from that formula (no ceilings) by least squares."""
    sizes = [2**k for k in range(4, 41)]
    table = qlaci_rows(["bucket-brigade", "ideal"], sizes, "head", Scenario(precision="rel:0.1"))
    t = {
        m: [r["total_t_count"] for r in table.rows if r["model"] == m]
        for m in ("bucket-brigade", "ideal")
    }
    assert loglog_slope(sizes, t["bucket-brigade"]) == pytest.approx(4, abs=1e-3)
    idx = top_decade(sizes)
    xs = [math.log(sizes[i]) for i in idx]
    ys = [math.log(sizes[i] ** 3 * (8 * math.log2(sizes[i]) + 608)) for i in idx]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    want = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    assert loglog_slope(sizes, t["ideal"]) == pytest.approx(want, abs=1e-4)
    assert 3.01 < want < 3.02


def test_hybrid_block_quantum_and_classical():
    head = QLACIHead(QLACIQuery(16, qram_model="qrom"))
    block = HybridBlock(head, heads=2)
    h, b = cost_summary(head, CONV), cost_summary(block, CONV)
    assert b.qubits == h.qubits
    for m in GATES + DEPTHS:
        assert getattr(b, m) == 2 * getattr(h, m), m
    assert (block.d_model, block.d_ff) == (8, 32)
    flops = block.classical_flops().as_dict()
    # 2 heads x (d_q + d_k + d_v) = 2 x 6 projected values per token, 2 FLOPs per MAC
    assert flops["qkv_projection"] == 2 * 16 * 8 * 12
    assert flops["output_projection"] == 2 * 16 * 2 * 1 * 8
    assert flops["readout"] == 2 * 16 * head.runs_per_query
    assert "attention" not in flops


def test_hybrid_block_reduces_to_block_flops_at_equal_widths():
    """With d_q = d_k = d_v = d_ctx = d_model / heads the projections and memory equal the
    classical block's (`classical.block_flops` / `block_memory_bytes`)."""
    query = QLACIQuery(16, d_q=2, d_k=2, d_v=2, n_out=2, observables=("ZI", "IZ"))
    block = HybridBlock(QLACIHead(query), heads=2, d_model=4, d_ff=8)
    ours = block.classical_flops().as_dict()
    ref = block_flops(16, 4, 8, 2).as_dict()
    for name, value in ref.items():
        assert ours[name] == value, name
    assert set(ours) - set(ref) == {"encoding", "readout"}
    assert block.classical_memory_bytes().as_dict() == block_memory_bytes(16, 4, 8, 2).as_dict()


def test_symbolic_block():
    block = HybridBlock(QLACIHead(QLACIQuery(N_SYM)))
    flops = block.classical_flops().total
    assert sympy.simplify(flops.subs(N_SYM, 16) - HybridBlock().classical_flops().total) == 0
    assert (
        cost_summary(block, CONV).subs({N_SYM: 16}).metrics()
        == cost_summary(HybridBlock(), CONV).metrics()
    )


def test_bloq_examples_make():
    for example in (_qlaci_head, _qlaci_head_symb, _hybrid_block, _hybrid_block_symb):
        assert_bloq_example_make(example)


def test_notes_say_what_the_numbers_are():
    notes = " ".join(cost_summary(QLACIHead(QLACIQuery(16, qram_model="ideal")), CONV).notes)
    assert "ASSUMED oracle" in notes and "abs:0.01" in notes and "Hoeffding" in notes
    ae = " ".join(QLACIHead(method="amplitude-estimation").cost_notes)
    assert "inverse" in ae and "not counted" in ae


# --- any query-like bloq ------------------------------------------------------------------------


@attrs.frozen
class _Batched(Bloq):
    """A query-like bloq that is not a QLACIQuery: `copies` executions of a query per run."""

    inner: QLACIQuery
    copies: int = 2

    @property
    def n_cells(self):
        return self.inner.n_cells

    @property
    def d_ctx(self):
        return self.inner.d_ctx

    @cached_property
    def signature(self) -> Signature:
        return Signature([])

    def build_call_graph(self, ssa):
        return {self.inner: self.copies}


def test_head_takes_any_query_like_bloq():
    # Two sources: the head of a bloq running the query twice == 2 x the head of the query.
    query = QLACIQuery(16, d_q=1, bits=1, qram_model="qrom")
    one = cost_summary(QLACIHead(query, "abs:0.1"), CONV)
    two = cost_summary(QLACIHead(_Batched(query), "abs:0.1"), CONV)
    for m in GATES:
        assert getattr(two, m) == 2 * getattr(one, m), m
    assert QLACIHead(_Batched(query)).bounds == frozenset()
    assert "QLACIHead(N=16" in str(QLACIHead(_Batched(query)))


def test_head_rejects_what_is_not_query_like():
    with pytest.raises(ValueError, match="query-like bloq is needed"):
        QLACIHead("not a bloq")
    with pytest.raises(ValueError, match="n_cells, d_ctx"):
        QLACIHead(CNOT())
