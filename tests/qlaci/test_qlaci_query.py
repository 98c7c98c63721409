"""QLACIQuery: simulated kernel average, clean unload, symbolic counts == decomposition."""

import numpy as np
import pytest
import sympy
from qualtran import BloqBuilder, QAny, QUInt
from qualtran.resource_counting import get_cost_value

from qlaci_cost.core.conventions import Conventions
from qlaci_cost.core.decomposed import cirq_circuit, cirq_depths, decomposed_summary
from qlaci_cost.core.depth import Depth
from qlaci_cost.core.summary import METRICS, cost_summary
from qlaci_cost.qlaci import DEFAULT_QRAM_MODEL, QLACIQuery, pack_words
from qlaci_cost.qlaci.simulation import kernel_average, simulate, softmax_average
from qlaci_cost.qram import model_class
from qlaci_cost.qram.ideal import ASSUMPTION_NOTE

CONV = Conventions(eps=1e-4)
OBSERVABLES = ("Z", "X", "Y")
N_SYM = sympy.Symbol("N", positive=True, integer=True)


def query_kwargs(n_cells, model, feature_map, bits, d_q=1, layers=1, seed=0, words=None):
    """Seeded random Q, K, V (or the given words) and angles for a concrete query."""
    rng = np.random.default_rng([seed, n_cells, bits, d_q])
    if words is None:  # distinct words while there are enough of them
        n_words = 2 ** (2 * bits)
        words = rng.choice(n_words, size=n_cells, replace=n_cells > n_words)
    keys = [[int(w) >> bits] for w in words]
    values = [[int(w) & (2**bits - 1)] for w in words]
    return dict(
        n_cells=n_cells,
        d_q=d_q,
        bits=bits,
        layers=layers,
        qram_model=model,
        feature_map=feature_map,
        query=rng.uniform(-np.pi, np.pi, d_q),
        keys=keys,
        values=values,
        fm_angles=rng.uniform(-np.pi, np.pi, 2) if feature_map == "controlled-rotations" else None,
        theta=rng.uniform(-np.pi, np.pi, 2 * (d_q + 2) * layers),
        phi=rng.uniform(-np.pi, np.pi, 2 * (d_q + 3) * layers),
    )


def expectations(sim):
    return np.array([sim.expectation(p, "out") for p in OBSERVABLES])


def per_position(kwargs):
    """<X>, <Y>, <Z> on R_out of the single-position circuits, one row per j."""
    n = kwargs["n_cells"]
    rows = []
    for j in range(n):
        sim = simulate(QLACIQuery(**kwargs, position=j, measure=False))
        assert sim.probability_all_zero(sim.ancillas) == pytest.approx(1, abs=1e-9)
        rows.append(expectations(sim))
    return np.array(rows)


SIM_CASES = [  # (N, model, feature map, b, d_q): every part exercised at the smallest sizes
    (2, "bucket-brigade", "controlled-rotations", 1, 1),
    (2, "bucket-brigade", "controlled-rotations", 2, 2),
    (4, "bucket-brigade", "controlled-rotations", 1, 1),
    (2, "qrom", "phase-gradient", 2, 1),
    (4, "qrom", "phase-gradient", 2, 2),
    (8, "qrom", "controlled-rotations", 1, 2),
    (8, "ideal", "controlled-rotations", 2, 1),
    pytest.param(8, "qrom", "phase-gradient", 2, 1, marks=pytest.mark.slow(reason="~10 s")),
    pytest.param(16, "qrom", "phase-gradient", 2, 1, marks=pytest.mark.slow(reason="~1 min")),
    pytest.param(4, "fanout", "controlled-rotations", 1, 1, marks=pytest.mark.slow(reason="~15 s")),
]


@pytest.mark.parametrize("n_cells, model, fm, bits, d_q", SIM_CASES)
def test_superposed_query_is_the_uniform_average_of_positions(n_cells, model, fm, bits, d_q):
    """docs/design.md#kernel-average-not-softmax: <P> of the superposed query == (1/N) sum_j
    <P>_j to 1e-6."""
    kwargs = query_kwargs(n_cells, model, fm, bits, d_q)
    sim = simulate(QLACIQuery(**kwargs, measure=False))
    rows = per_position(kwargs)
    np.testing.assert_allclose(expectations(sim), kernel_average(rows), atol=1e-6)
    # The positions do differ, so the check is not trivially satisfied.
    assert np.ptp(rows, axis=0).max() > 1e-3
    # (b) After the unload every ancilla (QRAM routers/memory, loaded word, gradient and adder
    # qubits) is |0>: probability 1, and the reduced density matrix is |0...0><0...0|.
    assert sim.probability_all_zero(sim.ancillas) == pytest.approx(1, abs=1e-9)
    if len(sim.ancillas) <= 10:
        rho = sim.reduced_density_matrix(sim.ancillas)
        want = np.zeros_like(rho)
        want[0, 0] = 1
        np.testing.assert_allclose(rho, want, atol=1e-9)


def test_kernel_average_is_not_softmax_attention():
    """The same per-position values weighted by softmax(Q . K_j) give another answer: the
    circuit computes the uniform average whatever the query-key scores are."""
    kwargs = query_kwargs(4, "qrom", "controlled-rotations", 2, d_q=1, seed=3)
    rows = per_position(kwargs)
    got = expectations(simulate(QLACIQuery(**kwargs, measure=False)))
    scores = [kwargs["query"][0] * k[0] for k in QLACIQuery(**kwargs).keys]
    assert np.ptp(scores) > 0.5
    np.testing.assert_allclose(got, kernel_average(rows), atol=1e-6)
    assert np.abs(got - softmax_average(rows, scores)).max() > 1e-2
    # Duplicating the pair of position 0 into position 1 weighs it 2/N, independent of Q.
    keys, values = list(kwargs["keys"]), list(kwargs["values"])
    keys[1], values[1] = keys[0], values[0]
    dup = dict(kwargs, keys=keys, values=values)
    got_dup = expectations(simulate(QLACIQuery(**dup, measure=False)))
    np.testing.assert_allclose(got_dup, (2 * rows[0] + rows[2] + rows[3]) / 4, atol=1e-6)


def test_loaded_register_is_entangled_until_the_unload():
    """Without the unload the loaded word stays entangled with the index: its reduced state is
    the mixture (1/N) sum_j |w_j><w_j|, not |0>; the unload is what returns it to |0>."""
    kwargs = query_kwargs(4, "qrom", "controlled-rotations", 1, seed=1)
    q = QLACIQuery(**kwargs, measure=False)
    bb = BloqBuilder()
    index = bb.add_register("index", q.n_index)
    loaded = bb.add_register("loaded", q.word_bits)
    kv = bb.add_register("kv", q.n_kv)
    index = bb.add(q.index_preparation, index=index)
    index, loaded = bb.add(q.qram, address=index, target=loaded)
    loaded, kv = bb.add(q.kv_feature_map, loaded=loaded, kv=kv)
    sim = simulate(bb.finalize(index=index, loaded=loaded, kv=kv))
    rho = sim.reduced_density_matrix(sim.registers["loaded"])
    want = np.zeros_like(rho)
    for w in q.words:
        want[w, w] += 1 / len(q.words)
    np.testing.assert_allclose(rho, want, atol=1e-9)


def worst_case_query(n_cells, model, fm, bits, **kw):
    words = model_class(model).worst_case_data(n_cells, 2 * bits)
    return QLACIQuery(**query_kwargs(n_cells, model, fm, bits, words=words, **kw))


def assert_matches(closed, measured, bounds, label):
    for m in METRICS:
        c, d = getattr(closed, m), getattr(measured, m)
        if m in bounds:
            assert d <= c, f"{label}: {m} bound {c} < decomposition {d}"
        else:
            assert d == c, f"{label}: {m} closed form {c} != decomposition {d}"


CR, PG = ("controlled-rotations", 1), ("phase-gradient", 2)
COUNT_CASES = [  # (model, N, feature map, b): both models and variants at N = 2, 4, 8
    ("bucket-brigade", 2, *CR),
    ("bucket-brigade", 4, *PG),
    ("bucket-brigade", 8, *CR),
    ("qrom", 2, *PG),
    ("qrom", 4, *CR),
    ("qrom", 8, *PG),
]


@pytest.mark.parametrize("model, n_cells, fm, bits", COUNT_CASES)
def test_symbolic_counts_equal_the_decomposition(model, n_cells, fm, bits):
    """(c) cost_summary(QLACIQuery(N symbolic)) at N == decomposed_summary(concrete), worst-case
    data, every metric (depths: the documented stage-block bound)."""
    symbolic = QLACIQuery(N_SYM, 1, bits, 1, qram_model=model, feature_map=fm)
    closed = cost_summary(symbolic, CONV).subs({N_SYM: n_cells})
    concrete = worst_case_query(n_cells, model, fm, bits)
    measured = decomposed_summary(concrete, CONV)
    assert_matches(closed, measured, concrete.bounds, f"{model} N={n_cells} {fm}")
    # The closed form at int N is the same number.
    size_only = QLACIQuery(n_cells, 1, bits, 1, qram_model=model, feature_map=fm)
    assert cost_summary(size_only, CONV).metrics() == closed.metrics()
    # Gate counts are the sum of the stages' decompositions (the QRAM twice).
    for m in ("toffoli", "clifford", "rotations", "measurements"):
        total = sum(getattr(decomposed_summary(b, CONV), m) for _, b in concrete.stages)
        assert getattr(measured, m) == total


_SLOW_N = pytest.mark.slow(reason="every QRAM model at N = 2, 8, 16: ~2 min")


@pytest.mark.parametrize(
    "model",
    ["bucket-brigade", "bucket-brigade-parallel", "fanout", "select-swap", "qroam-clean", "qrom"],
)
@pytest.mark.parametrize(
    "n_cells",
    [
        pytest.param(2, marks=_SLOW_N),
        4,
        pytest.param(8, marks=_SLOW_N),
        pytest.param(16, marks=_SLOW_N),
    ],
)
def test_symbolic_counts_every_model(model, n_cells):
    """Closed form == decomposition for every QRAM model with d_q = 2, L = 2 (N = 4 in the
    default run)."""
    for fm, bits in (("controlled-rotations", 1), ("phase-gradient", 3)):
        symbolic = QLACIQuery(N_SYM, 2, bits, 2, qram_model=model, feature_map=fm)
        closed = cost_summary(symbolic, CONV).subs({N_SYM: n_cells})
        concrete = worst_case_query(n_cells, model, fm, bits, d_q=2, layers=2)
        assert_matches(closed, decomposed_summary(concrete, CONV), concrete.bounds, model)


def test_depth_bound_is_the_stage_block_schedule():
    """The depth closed form (`my_static_costs`, the `Depth` key) is the as-soon-as-possible
    schedule of the stages as blocks; with each stage's own decomposed depth it is >= the
    gate-level depth, which Cirq confirms and which `cost_summary` of the concrete query
    reports (one number: the decomposition's)."""
    q = worst_case_query(4, "qrom", "phase-gradient", 2)
    stage = {name: decomposed_summary(b, CONV).depth for name, b in q.stages}
    t_fm = max(stage["index"] + stage["load"], stage["gradient"]) + stage["feature_map"]
    t_agg = max(stage["encoding"], t_fm) + stage["interaction"] + stage["aggregation"]
    blocks = max(
        t_agg + stage["measurement"], t_fm + stage["unload"], t_fm + stage["gradient_unprep"]
    )
    assert get_cost_value(q, Depth()) == blocks
    measured = decomposed_summary(q, CONV)
    assert measured.depth < blocks  # stages overlap at gate level
    assert cost_summary(q, CONV).metrics() == measured.metrics()
    got = cirq_depths(cirq_circuit(q)[0])
    assert (got["depth"], got["toffoli_depth"]) == (measured.depth, measured.toffoli_depth)


def test_symbolic_in_every_parameter():
    N, d_q, b, L, d_ctx, r = sympy.symbols("N d_q b L d_ctx r", positive=True, integer=True)
    for fm in ("controlled-rotations", "phase-gradient"):
        symbolic = cost_summary(
            QLACIQuery(N, d_q, b, L, d_ctx, reuploads=r, feature_map=fm, qram_model="qrom"), CONV
        )
        for values in [(16, 3, 3, 2, 1, 2), (4, 1, 2, 1, 1, 1), (64, 4, 5, 3, 1, 3)]:
            got = symbolic.subs(dict(zip((N, d_q, b, L, d_ctx, r), values)))
            n, dq, bb, ll, dc, rr = values
            want = cost_summary(
                QLACIQuery(n, dq, bb, ll, dc, reuploads=rr, feature_map=fm, qram_model="qrom"),
                CONV,
            )
            assert got.metrics() == want.metrics(), (fm, values)
    # Closed forms written out for the default bucket-brigade, controlled rotations,
    # d_q = 1, b = 1, L = 1 (stage sums: Interaction 3 qubits, Aggregation 4 qubits).
    s = cost_summary(QLACIQuery(N, 1, 1), CONV)
    assert sympy.simplify(s.rotations - (1 + 2 * 2 + 2 * 3 + 2 * 4)) == 0
    assert s.measurements == 1 + 2 * cost_summary(QLACIQuery(N, 1, 1).qram).measurements


@pytest.mark.parametrize("n_cells", [2**64, 2**200])
def test_huge_n_is_exact(n_cells):
    s = cost_summary(QLACIQuery(N_SYM), CONV).subs({N_SYM: n_cells})
    for m in METRICS:
        assert isinstance(getattr(s, m), int), m
    assert s.qubits > n_cells  # bucket-brigade: O(N) qubits


def test_prototype_defaults():
    q = QLACIQuery()
    assert (q.n_cells, q.d_q, q.n_index) == (16, 4, 4)
    assert q.n_kv + q.n_out == 3
    assert q.qram_model == DEFAULT_QRAM_MODEL == "bucket-brigade"
    assert q.word_bits == (q.d_k + q.d_v) * q.bits == 4
    assert q.trainable_parameters == 2 * (4 + 2) * 1 + 2 * (4 + 2 + 1) * 1
    assert [name for name, _ in q.stages] == [
        "encoding",
        "index",
        "load",
        "feature_map",
        "interaction",
        "aggregation",
        "unload",
        "measurement",
    ]
    sig = {reg.name: reg.dtype for reg in q.signature}
    assert sig == {"index": QUInt(4), "query": QAny(4), "kv": QAny(2), "out": QAny(1)}
    s = cost_summary(q, CONV)
    assert s.measurements >= q.d_ctx == 1


def test_ideal_qram_note_travels():
    s = cost_summary(QLACIQuery(N_SYM, qram_model="ideal"), CONV)
    assert ASSUMPTION_NOTE in s.notes
    assert sympy.simplify(s.toffoli - 2 * sympy.log(N_SYM, 2)) == 0


def test_pack_words():
    assert pack_words([[1], [2]], [[3], [0]], 2) == (0b0111, 0b1000)
    with pytest.raises(ValueError, match="component 1 of position 0 is 4"):
        pack_words([[1]], [[4]], 2)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="n_cells=6"):
        QLACIQuery(6)
    with pytest.raises(ValueError, match="unknown QRAM model 'magic'"):
        QLACIQuery(4, qram_model="magic")
    with pytest.raises(ValueError, match="keys has 3 rows"):
        QLACIQuery(4, keys=[[0]] * 3, values=[[0]] * 4)
    with pytest.raises(ValueError, match="layers=0"):
        QLACIQuery(4, layers=0)
