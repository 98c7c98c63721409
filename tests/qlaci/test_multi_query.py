"""MultiQueryQLACI and its query loaders: closed forms == decomposition, multiplexor action."""

import attrs
import cirq
import numpy as np
import pytest
import sympy
from qualtran.testing import assert_valid_bloq_decomposition

from qlaci_cost.core.conventions import Conventions
from qlaci_cost.core.decomposed import cirq_circuit, cirq_depths, decomposed_summary
from qlaci_cost.core.summary import METRICS, cost_summary
from qlaci_cost.qlaci.multi_query.query import (
    _MULTI_QUERY_QLACI_DOC,
    BatchIndexMeasurement,
    MultiQueryQLACI,
)
from qlaci_cost.qlaci.query import QLACIQuery
from qlaci_cost.qlaci.query_loading import (
    _MULTIPLEXED_QUERY_ENCODING_DOC,
    MultiplexedQueryEncoding,
    QRAMQueryEncoding,
    UniformlyControlledRy,
    multiplexor_angles,
    worst_case_words,
)
from qlaci_cost.qlaci.verify import worst_case

CONV = Conventions(eps=1e-4)
N, B = sympy.symbols("N B", positive=True, integer=True)


def batched(n_cells, n_batch, method, model="bucket-brigade", seed=0, d_q=1):
    """A concrete multi-query circuit on the worst-case template and seeded queries."""
    template = worst_case(model, n_cells, 1)
    if d_q != 1:
        rng = np.random.default_rng(seed)
        template = QLACIQuery(
            **{**_fields(template), "d_q": d_q, "query": rng.uniform(-3, 3, d_q)},
            theta=rng.uniform(-3, 3, 2 * (d_q + 2)),
            phi=rng.uniform(-3, 3, 2 * (d_q + 3)),
        )
    rng = np.random.default_rng([seed, n_batch])
    if method == "multiplexed":
        return MultiQueryQLACI(
            template, n_batch, queries=rng.uniform(-np.pi, np.pi, (n_batch, d_q))
        )
    return MultiQueryQLACI(
        template,
        n_batch,
        "qram",
        query_words=worst_case_words("qrom", n_batch, d_q, 2),
        query_scales=rng.uniform(0.2, 1.5, d_q),
        query_bits=2,
    )


def _fields(q):
    keep = ("n_cells", "bits", "qram_model", "keys", "values", "fm_angles")
    return {k: getattr(q, k) for k in keep}


def assert_matches(closed, measured, bounds, label):
    for m in METRICS:
        c, d = getattr(closed, m), getattr(measured, m)
        if m in bounds:
            assert d <= c, f"{label}: {m} bound {c} < decomposition {d}"
        else:
            assert d == c, f"{label}: {m} closed form {c} != decomposition {d}"


@pytest.mark.parametrize("n_batch", [1, 2, 4, 8])
def test_multiplexor_is_block_diagonal_ry(n_batch):
    """Mottonen's Gray-code circuit == diag_j Ry(alpha_j) (Qualtran's tensor contraction)."""
    alphas = np.random.default_rng(n_batch).uniform(-np.pi, np.pi, n_batch)
    got = UniformlyControlledRy(n_batch, alphas).tensor_contract()
    want = np.zeros((2 * n_batch, 2 * n_batch), dtype=complex)
    for j, a in enumerate(alphas):
        want[2 * j : 2 * j + 2, 2 * j : 2 * j + 2] = cirq.unitary(cirq.ry(a))
    np.testing.assert_allclose(got, want, atol=1e-10)
    # The angle transform is its own inverse up to 1/B (a Hadamard-type matrix).
    if n_batch > 1:
        assert not np.allclose(multiplexor_angles(alphas), alphas)


@pytest.mark.parametrize("n_batch", [1, 2, 4, 8])
def test_multiplexor_counts(n_batch):
    """Published count (Mottonen et al. 2004, Theorem 8): B rotations and B CNOTs (0 at B=1)."""
    closed = cost_summary(UniformlyControlledRy(B), CONV).subs({B: n_batch})
    alphas = np.random.default_rng(1).uniform(-3, 3, n_batch)
    measured = decomposed_summary(UniformlyControlledRy(n_batch, alphas), CONV)
    assert closed.metrics() == measured.metrics()
    assert measured.rotations == n_batch
    assert measured.clifford == (n_batch if n_batch > 1 else 0)
    assert measured.depth == 2 * n_batch if n_batch > 1 else 1


@pytest.mark.parametrize("n_batch, d_q, r", [(1, 2, 2), (2, 1, 1), (4, 2, 2), (8, 3, 1), (4, 3, 3)])
def test_multiplexed_encoding_counts(n_batch, d_q, r):
    dq, rr = sympy.symbols("d_q r", positive=True, integer=True)
    closed = cost_summary(MultiplexedQueryEncoding(B, dq, rr), CONV).subs(
        {B: n_batch, dq: d_q, rr: r}
    )
    queries = np.random.default_rng(3).uniform(-3, 3, (n_batch, d_q))
    bloq = MultiplexedQueryEncoding(n_batch, d_q, r, queries)
    assert_matches(closed, decomposed_summary(bloq, CONV), bloq.BOUNDS, str(bloq))
    if d_q == 1:  # the depth is exact for one query qubit
        assert closed.depth == decomposed_summary(bloq, CONV).depth
    assert_valid_bloq_decomposition(bloq)


CASES = [(n, b) for n in (2, 4, 8, 16) for b in (1, 2, 4, 8) if b <= n]


@pytest.mark.parametrize("n_cells, n_batch", CASES)
@pytest.mark.parametrize("method", ["multiplexed", "qram"])
def test_closed_form_equals_decomposition(method, n_cells, n_batch):
    """Every cost_summary metric of the symbolic MultiQueryQLACI(N, B) at (N, B) == the
    decomposition of the worst-case circuit (depths: the stage-block bound, checked >=)."""
    if method == "qram" and n_batch == 1:
        pytest.skip("a QRAM needs B >= 2 cells; B = 1 is the single query")
    symbolic = MultiQueryQLACI(QLACIQuery(N, 1, 1), B, method, query_bits=2)
    closed = cost_summary(symbolic, CONV).subs({N: n_cells, B: n_batch})
    concrete = batched(n_cells, n_batch, method)
    measured = decomposed_summary(concrete, CONV)
    assert_matches(closed, measured, concrete.bounds, f"{method} N={n_cells} B={n_batch}")
    size_only = MultiQueryQLACI(QLACIQuery(n_cells, 1, 1), n_batch, method, query_bits=2)
    assert cost_summary(size_only, CONV).metrics() == closed.metrics()


@pytest.mark.parametrize("n_batch", [1, 2, 4, 8])
def test_batch_adds_what_the_derivation_says(n_batch):
    """Over the single query (same N): + log2 B qubits, + r d_q (B - 1) rotations, + B
    min(1, log2 B) CNOTs and log2 B H per multiplexor, + log2 B measurements."""
    k = n_batch.bit_length() - 1
    single = cost_summary(QLACIQuery(16, 1, 1), CONV)
    multi = cost_summary(MultiQueryQLACI(QLACIQuery(16, 1, 1), n_batch), CONV)
    assert multi.qubits - single.qubits == k
    assert multi.rotations - single.rotations == n_batch - 1
    assert multi.clifford - single.clifford == (n_batch if k else 0) + k
    assert multi.measurements - single.measurements == k
    assert multi.toffoli == single.toffoli  # the multiplexed loader has no Toffolis
    assert multi.t_count > single.t_count or n_batch == 1


def test_b_equal_one_is_the_single_query():
    template = worst_case("qrom", 4, 1)
    query = (0.37,)
    multi = MultiQueryQLACI(template, 1, queries=[query])
    single = decomposed_summary(attrs.evolve(template, query=query), CONV)
    assert decomposed_summary(multi, CONV).metrics() == single.metrics()
    assert "batch" not in [r.name for r in multi.signature]


def test_d_q_two_and_cirq_depth_agree():
    concrete = batched(4, 4, "multiplexed", model="qrom", d_q=2)
    measured = decomposed_summary(concrete, CONV)
    closed = cost_summary(MultiQueryQLACI(QLACIQuery(N, 2, 1, qram_model="qrom"), B), CONV).subs(
        {N: 4, B: 4}
    )
    assert_matches(closed, measured, concrete.bounds, "d_q=2")
    got = cirq_depths(cirq_circuit(concrete)[0])
    assert (got["depth"], got["toffoli_depth"]) == (measured.depth, measured.toffoli_depth)


def test_symbolic_in_b_and_n():
    s = cost_summary(MultiQueryQLACI(QLACIQuery(N, 1, 1, qram_model="qrom"), B), CONV)
    assert {str(x) for x in s.rotations.free_symbols} == {"B"}
    assert sympy.simplify(s.measurements.subs(B, 2**10) - s.measurements.subs(B, 1) - 10) == 0
    big = s.subs({N: 2**200, B: 2**64})
    assert all(isinstance(v, int) for v in big.metrics().values())


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="B=3"):
        MultiQueryQLACI(QLACIQuery(16), 3)
    with pytest.raises(ValueError, match="B=0"):
        MultiQueryQLACI(QLACIQuery(16), 0)
    with pytest.raises(ValueError, match="B=32 is not allowed: at most N=16"):
        MultiQueryQLACI(QLACIQuery(16), 32)
    with pytest.raises(ValueError, match="method 'bogus'"):
        MultiQueryQLACI(QLACIQuery(16), 2, "bogus")
    with pytest.raises(ValueError, match="B=1 is not allowed with method 'qram'"):
        QRAMQueryEncoding(1, 1)
    with pytest.raises(ValueError, match="query word"):
        QRAMQueryEncoding(2, 1, 2, words=[[4], [0]])


def test_batch_measurement_and_examples():
    assert decomposed_summary(BatchIndexMeasurement(8), CONV).measurements == 3
    for spec in (_MULTI_QUERY_QLACI_DOC, _MULTIPLEXED_QUERY_ENCODING_DOC):
        for example in spec.examples:
            bloq = example.make()
            assert cost_summary(bloq, CONV).qubits is not None
    assert_valid_bloq_decomposition(_MULTI_QUERY_QLACI_DOC.examples[1].make())
