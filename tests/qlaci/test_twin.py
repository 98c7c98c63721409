"""QLACI's classical twin (docs/derivations/twin.md) against simulations of the same bloqs.

The twin builds rho_bar from the words and evaluates each query from small matrices; the
references simulate the whole `QLACIQuery` circuit (index register, QRAM load and unload,
every ancilla): Cirq's state vector where it fits, the sparse superposition simulation of
`core.superposition` beyond. Data and angles are drawn by hypothesis (derandomized, so
every run draws the same examples).
"""

import re
from pathlib import Path

import attrs
import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from qlaci_cost import InputError
from qlaci_cost.analysis.baselines import BASELINES, QLACIExact, get_baseline
from qlaci_cost.analysis.roofline import runtime_seconds
from qlaci_cost.core.superposition import (
    leaf_program,
    qubit_expectations,
    run_program,
    zero_state,
)
from qlaci_cost.qlaci import MultiQueryQLACI, QLACIQuery, QueryEncoding
from qlaci_cost.qlaci.multi_query.verify import conditional_expectation
from qlaci_cost.qlaci.simulation import simulate
from qlaci_cost.qlaci.twin import (
    OpCount,
    average_state,
    classical_twin,
    multi_query_twin,
    query_states,
)
from qlaci_cost.qlaci.verify import seeded_query
from qlaci_cost.qram import MODELS

TOL = 1e-12
XYZ = ("X", "Y", "Z")
ANGLE = st.floats(-np.pi, np.pi, allow_nan=False)

#: (model, N): the largest N <= 16 whose Cirq state vector is fast (<= 1 s) per model.
FAST_CIRQ = [
    ("qrom", 16), ("ideal", 16), ("select-swap", 4), ("qroam-clean", 4),
    ("bucket-brigade", 2), ("fanout", 2), ("bucket-brigade-parallel", 2),
]  # fmt: skip
#: Every (model, N <= 16) whose simulated width is at most 20 qubits (the rest: sparse).
ALL_CIRQ = [(m, n) for m in ("qrom", "ideal", "select-swap", "qroam-clean") for n in (2, 4, 8, 16)]
ALL_CIRQ += [("bucket-brigade", 2), ("bucket-brigade", 4), ("fanout", 2), ("fanout", 4)]
ALL_CIRQ += [("bucket-brigade-parallel", 2)]
#: (model, N) too wide for a state vector: the sparse simulation of the same bloq.
WIDE = ("bucket-brigade", "fanout", "bucket-brigade-parallel")
SPARSE_SMALL = [(m, n) for m in WIDE for n in (8, 16)]


def cirq_outputs(query: QLACIQuery) -> np.ndarray:
    """<P> on the readout of the whole circuit (Cirq state vector), every observable."""
    sim = simulate(attrs.evolve(query, measure=False), max_qubits=22)
    return np.array([sim.expectation(p, "out") for p in query.measurement.pauli_strings])


def sparse_outputs(query: QLACIQuery) -> np.ndarray:
    """<X>, <Y>, <Z> of the (one) readout qubit from the sparse simulation of the circuit."""
    program = leaf_program(attrs.evolve(query, measure=False))
    state = run_program(program, zero_state(program))
    return qubit_expectations(state, program.outputs["out"][0])


@st.composite
def prototype_queries(draw, model: str, n_cells: int) -> QLACIQuery:
    """`verify.seeded_query`'s layout (d_q = 1, b = 1) with drawn data and angles."""
    bit = st.integers(0, 1)
    return QLACIQuery(
        n_cells=n_cells, d_q=1, bits=1, qram_model=model,
        query=[draw(ANGLE)],
        keys=[[draw(bit)] for _ in range(n_cells)],
        values=[[draw(bit)] for _ in range(n_cells)],
        fm_angles=draw(st.lists(ANGLE, min_size=2, max_size=2)),
        theta=draw(st.lists(ANGLE, min_size=6, max_size=6)),
        phi=draw(st.lists(ANGLE, min_size=8, max_size=8)),
        observables=XYZ,
    )  # fmt: skip


def check_against_cirq(query: QLACIQuery) -> float:
    got, want = classical_twin(query)[0], cirq_outputs(query)
    np.testing.assert_allclose(got, want, rtol=0, atol=TOL)
    return float(np.max(np.abs(got - want)))


# ---- the twin equals the simulated circuit --------------------------------------------------


@pytest.mark.parametrize("model, n_cells", FAST_CIRQ)
@settings(max_examples=2, deadline=None, derandomize=True, database=None)
@given(data=st.data())
def test_twin_equals_cirq_every_model(model, n_cells, data):
    check_against_cirq(data.draw(prototype_queries(model, n_cells)))


@pytest.mark.slow(reason="every model at every N <= 16 that fits a 20-qubit state vector, ~2 min")
@pytest.mark.parametrize("model, n_cells", ALL_CIRQ)
@settings(max_examples=4, deadline=None, derandomize=True, database=None)
@given(data=st.data())
def test_twin_equals_cirq_every_model_every_size(model, n_cells, data):
    check_against_cirq(data.draw(prototype_queries(model, n_cells)))


@st.composite
def general_queries(draw) -> QLACIQuery:
    """Every size and option of `QLACIQuery` the twin reads, drawn (qrom or ideal, N = 2, 4)."""
    fm = draw(st.sampled_from(["controlled-rotations", "phase-gradient"]))
    bits = draw(st.integers(2 if fm == "phase-gradient" else 1, 2))
    d_k, d_v = draw(st.integers(1, 2)), draw(st.integers(1, 3 // bits))
    d_q, n_kv, n_out = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 2))
    layers, n = draw(st.integers(1, 2)), draw(st.sampled_from([2, 4]))
    component = st.integers(0, 2**bits - 1)
    pauli = st.text("IXYZ", min_size=n_out, max_size=n_out).filter(lambda p: set(p) != {"I"})
    return QLACIQuery(
        n_cells=n, d_q=d_q, bits=bits, layers=layers, d_k=d_k, d_v=d_v, n_kv=n_kv,
        n_out=n_out, reuploads=draw(st.integers(1, 3)), feature_map=fm,
        qram_model=draw(st.sampled_from(["qrom", "ideal"])),
        query=draw(st.lists(ANGLE, min_size=d_q, max_size=d_q)),
        keys=[draw(st.lists(component, min_size=d_k, max_size=d_k)) for _ in range(n)],
        values=[draw(st.lists(component, min_size=d_v, max_size=d_v)) for _ in range(n)],
        fm_angles=None if fm == "phase-gradient" else draw(
            st.lists(ANGLE, min_size=d_k + d_v, max_size=d_k + d_v)),
        theta=draw(st.lists(ANGLE, min_size=2 * (d_q + n_kv) * layers,
                            max_size=2 * (d_q + n_kv) * layers)),
        phi=draw(st.lists(ANGLE, min_size=2 * (d_q + n_kv + n_out) * layers,
                          max_size=2 * (d_q + n_kv + n_out) * layers)),
        observables=draw(st.lists(pauli, min_size=1, max_size=3)),
    )  # fmt: skip


@settings(max_examples=6, deadline=None, derandomize=True, database=None)
@given(query=general_queries())
def test_twin_equals_cirq_for_every_query_option(query):
    """d_q, n_kv, n_out, b, d_k, d_v, L, r, both feature maps and any Pauli observables."""
    check_against_cirq(query)


@pytest.mark.slow(reason="30 random circuits of up to ~20 qubits, ~1 min")
@settings(max_examples=30, deadline=None, derandomize=True, database=None)
@given(query=general_queries())
def test_twin_equals_cirq_for_every_query_option_many(query):
    check_against_cirq(query)


@pytest.mark.parametrize("model, n_cells", SPARSE_SMALL)
def test_twin_equals_sparse_simulation_of_wide_circuits(model, n_cells):
    """The models too wide for a state vector at N = 8, 16: the exact sparse simulation."""
    query = seeded_query(n_cells, model, 1, seed=5, observables=XYZ)
    np.testing.assert_allclose(classical_twin(query)[0], sparse_outputs(query), atol=TOL)


@pytest.mark.parametrize("model, n_cells", [("ideal", 2**10), ("bucket-brigade", 2**6)])
def test_twin_equals_sparse_simulation_large_n(model, n_cells):
    query = seeded_query(n_cells, model, 1, seed=11, observables=XYZ)
    np.testing.assert_allclose(classical_twin(query)[0], sparse_outputs(query), atol=TOL)


@pytest.mark.slow(reason="bucket-brigade and qrom circuits at N = 2^10, ~10-15 s each")
@pytest.mark.parametrize("model", ["bucket-brigade", "qrom"])
def test_twin_equals_sparse_simulation_at_1024(model):
    query = seeded_query(2**10, model, 1, seed=11, observables=XYZ)
    np.testing.assert_allclose(classical_twin(query)[0], sparse_outputs(query), atol=TOL)


def test_every_model_is_checked():
    covered = {m for m, _ in FAST_CIRQ}
    assert covered == set(MODELS)
    assert {m for m, _ in ALL_CIRQ + SPARSE_SMALL} == set(MODELS)


# ---- what the derivation predicts -----------------------------------------------------------


def test_one_changed_key_moves_every_output_by_one_nth_of_its_position_change():
    """Changing K_j0 changes c_i by (f(Q_i, w') - f(Q_i, w)) / N, with f the single-position
    circuit (Cirq, `position=j0`): the twin is a uniform average over positions."""
    n, j0 = 8, 5
    query = seeded_query(n, "qrom", 1, seed=3, observables=XYZ)
    keys = [list(k) for k in query.keys]
    keys[j0] = [1 - keys[j0][0]]
    changed = attrs.evolve(query, keys=keys)
    delta = classical_twin(changed)[0] - classical_twin(query)[0]
    single = [cirq_outputs(attrs.evolve(q, position=j0)) for q in (query, changed)]
    predicted = (single[1] - single[0]) / n
    assert np.max(np.abs(predicted)) > 1e-3  # the change is visible, so the check can fail
    np.testing.assert_allclose(delta, predicted, atol=TOL)
    np.testing.assert_allclose(classical_twin(changed)[0], cirq_outputs(changed), atol=TOL)


def test_rho_bar_is_a_real_state_in_the_span_of_i_x_z():
    """rho_bar is real symmetric, PSD, trace 1, rank <= min(N, 2^n_kv), and has no Pauli
    component with a Y (real product states): 3^n_kv real parameters."""
    rng = np.random.default_rng(4)
    n_kv, n = 3, 5
    query = QLACIQuery(
        n_cells=8, d_q=1, bits=2, n_kv=n_kv, d_k=2, d_v=1, query=[0.1],
        fm_angles=rng.uniform(-3, 3, 3), theta=np.zeros(8), phi=np.zeros(10),
    )  # fmt: skip
    rho = average_state(query, rng.integers(0, 4, (n, 2)), rng.integers(0, 4, (n, 1)))
    assert np.allclose(rho, rho.T) and np.isclose(np.trace(rho), 1)
    eig = np.linalg.eigvalsh(rho)
    assert eig.min() > -1e-12 and np.sum(eig > 1e-10) <= min(n, 2**n_kv)
    paulis = {"I": np.eye(2), "X": np.array([[0, 1], [1, 0]]),
              "Y": np.array([[0, -1j], [1j, 0]]), "Z": np.diag([1, -1])}  # fmt: skip
    import itertools

    for word in itertools.product("IXYZ", repeat=n_kv):
        p = paulis[word[0]]
        for letter in word[1:]:
            p = np.kron(p, paulis[letter])
        coeff = np.trace(p @ rho)
        if "Y" in word:
            assert abs(coeff) < 1e-12, word


def _haar(rng, dim: int) -> np.ndarray:
    z = rng.normal(size=(dim, dim)) + 1j * rng.normal(size=(dim, dim))
    q, r = np.linalg.qr(z)
    return q * (np.diag(r) / np.abs(np.diag(r)))


def _ry(a: float) -> np.ndarray:
    return np.array([[np.cos(a / 2), -np.sin(a / 2)], [np.sin(a / 2), np.cos(a / 2)]])


@pytest.mark.parametrize("n_kv, layers", [(1, 1), (1, 2), (1, 3), (2, 2)])
def test_interleaved_feature_maps_are_a_kernel_of_dimension_2l_plus_1_per_kv_qubit(n_kv, layers):
    """Section 5: with L Ry feature maps interleaved with random unitaries, the single-position
    readout f(alpha) lies in span{1, cos m alpha, sin m alpha : m <= L} per kv qubit
    ((2L + 1)^n_kv functions), and not in the span with m <= L - 1."""
    rng = np.random.default_rng([n_kv, layers])
    dim = 2 ** (n_kv + 2)  # one query qubit, n_kv kv qubits, one readout qubit
    vs = [_haar(rng, dim) for _ in range(layers + 1)]
    readout = np.kron(np.eye(dim // 2), np.diag([1, -1]))

    def f(alphas):
        fmap = np.eye(1)
        for a in alphas:
            fmap = np.kron(fmap, _ry(a))
        w = vs[0]
        for v in vs[1:]:
            w = v @ np.kron(np.kron(np.eye(2), fmap), np.eye(2)) @ w
        return float(np.real(w[:, 0].conj() @ readout @ w[:, 0]))

    points = rng.uniform(-np.pi, np.pi, (6 * (2 * layers + 1) ** n_kv, n_kv))
    values = np.array([f(p) for p in points])

    def residual(degree: int) -> float:
        import itertools

        per_qubit = [lambda a: np.ones_like(a)]
        for m in range(1, degree + 1):
            per_qubit += [lambda a, m=m: np.cos(m * a), lambda a, m=m: np.sin(m * a)]
        cols = [
            np.prod([g(points[:, k]) for k, g in enumerate(gs)], axis=0)
            for gs in itertools.product(per_qubit, repeat=n_kv)
        ]
        basis = np.stack(cols, axis=1)
        coef, *_ = np.linalg.lstsq(basis, values, rcond=None)
        return float(np.max(np.abs(basis @ coef - values)))

    assert residual(layers) < 1e-10
    assert residual(layers - 1) > 1e-3


def test_query_states_equal_the_encoding_bloq():
    """The twin's encoding (products, CNOT brick, re-uploads) == Cirq's QueryEncoding unitary."""
    from qlaci_cost.core.decomposed import cirq_circuit

    angles = [0.3, -1.1, 2.0]
    query = QLACIQuery(d_q=3, reuploads=3, query=angles)
    circuit, quregs = cirq_circuit(QueryEncoding(3, 3, angles=angles))
    column = circuit.unitary(qubit_order=list(quregs["query"]))[:, 0]
    np.testing.assert_allclose(query_states(query, np.array([angles]))[0], column, atol=TOL)


@pytest.mark.parametrize("method", ["multiplexed", "qram"])
@pytest.mark.parametrize("n_batch", [2, 4])
def test_multi_query_branches_and_pooled_mean_equal_cirq(method, n_batch):
    """Per branch b: <P | b> of the batched circuit; index not measured: the pooled mean."""
    template = seeded_query(4, "qrom", 1, seed=9, observables=XYZ)
    rng = np.random.default_rng(n_batch)
    extra = (
        {"queries": rng.uniform(-np.pi, np.pi, (n_batch, 1))}
        if method == "multiplexed"
        else {"query_words": [[b % 2] for b in range(n_batch)], "query_scales": [1.3],
              "query_bits": 1}
    )  # fmt: skip
    batch = MultiQueryQLACI(template, n_batch, method=method, measure=False, **extra)
    per_branch, pooled = multi_query_twin(batch)
    sim = simulate(batch)
    cond = np.array([[conditional_expectation(sim, "batch", b, p)[1] for p in XYZ]
                     for b in range(n_batch)])  # fmt: skip
    np.testing.assert_allclose(per_branch, cond, atol=TOL)
    np.testing.assert_allclose(pooled, [sim.expectation(p, "out") for p in XYZ], atol=TOL)
    assert np.ptp(per_branch[:, 2]) > 1e-3  # the branches differ: pooled != any one of them


def test_many_queries_share_one_rho_bar():
    """A head: N query rows at once equal N single-query twins (each its own circuit)."""
    query = seeded_query(8, "ideal", 1, seed=1, observables=XYZ)
    qs = np.random.default_rng(2).uniform(-np.pi, np.pi, (8, 1))
    head = classical_twin(query, queries=qs)
    for i in (0, 5):
        one = attrs.evolve(query, query=qs[i])
        np.testing.assert_allclose(head[i], cirq_outputs(one), atol=TOL)


# ---- cost: the qlaci-exact baseline ---------------------------------------------------------


@pytest.mark.parametrize(
    "sizes, n_pos, n_q",
    [
        (dict(), 16, 16),
        (dict(d_q=1, n_kv=1, d_ctx=1), 4, 3),
        (dict(d_q=2, n_kv=3, d_k=2, d_v=1, reuploads=3, n_out=2, d_ctx=2), 7, 5),
        (dict(d_q=3, n_kv=2, reuploads=2, d_ctx=3, n_out=2), 32, 1),
    ],
)
def test_flop_formula_equals_the_twins_operation_count(sizes, n_pos, n_q):
    """QLACIExact's closed form == the FLOPs the implementation reports from its arrays."""
    rng = np.random.default_rng(n_pos)
    q = QLACIQuery(**{k: v for k, v in sizes.items() if k != "d_ctx"})
    d_ctx = sizes.get("d_ctx", 1)
    obs = [("Z" * q.n_out)[: q.n_out], ("X" * q.n_out), ("Y" * q.n_out)][:d_ctx]
    q = attrs.evolve(
        q, observables=obs, d_ctx=len(obs), fm_angles=rng.uniform(-3, 3, q.d_k + q.d_v),
        theta=rng.uniform(-3, 3, q.interaction.n_parameters),
        phi=rng.uniform(-3, 3, q.aggregation.n_parameters),
    )  # fmt: skip
    counter = OpCount()
    keys = rng.integers(0, 2**q.bits, (n_pos, q.d_k))
    values = rng.integers(0, 2**q.bits, (n_pos, q.d_v))
    classical_twin(q, keys, values, rng.uniform(-3, 3, (n_q, q.d_q)), counter)
    cost = QLACIExact.from_query(q, n_queries=n_q)
    s = counter.steps
    assert s["angles"] + s["cos_sin"] + s.get("kv_states", 0) + s["rho_bar"] == cost.build_flops(
        n_pos
    )
    assert s["readout_forms"] == cost.forms_flops()
    per_query = s["query_angles"] + s.get("query_states", 0) + s["evaluate"]
    assert per_query == n_q * cost.query_flops()
    assert counter.total == cost.flops(n_pos, 64)


def test_documented_twin_cost_equals_the_baseline():
    """The `twin-cost` block of docs/derivations/twin.md == QLACIExact, symbolically."""
    text = (Path(__file__).resolve().parents[2] / "docs/derivations/twin.md").read_text()
    block = re.search(r"^```twin-cost\n(.*?)^```", text, re.S | re.M).group(1)
    names = "N M C n K d_q r d_k"
    N, M, C, n, K, d_q, r, d_k = sympy.symbols(names, positive=True, integer=True)
    env = {"N": N, "M": M, "C": C, "n": n, "K": K, "d_q": d_q, "r": r}
    doc = dict(
        (key.strip(), sympy.sympify(value, locals=env))
        for key, _, value in (line.partition(":") for line in block.strip().splitlines())
    )
    cost = QLACIExact(d_q=d_q, n_kv=n, d_k=d_k, d_v=C - d_k, d_ctx=K, reuploads=r, n_queries=M)
    assert sympy.simplify(doc["flops"] - cost.flops(N, 64)) == 0
    assert sympy.simplify(doc["traffic_values"] - cost.traffic_values(N, 64)) == 0
    wrong = doc["flops"] + N
    assert sympy.simplify(wrong - cost.flops(N, 64)) != 0


def test_qlaci_exact_is_a_registered_baseline_not_yet_iterated():
    b = get_baseline("qlaci-exact")
    assert isinstance(b, QLACIExact) and "qlaci-exact" not in BASELINES
    assert b == QLACIExact.from_query(QLACIQuery())
    # Defaults: 630 FLOPs per position, 16 + 2 4^6 once; 7 values moved per position.
    assert b.flops(2**40, 64) == 630 * 2**40 + 16 + 2 * 4**6
    assert b.traffic_bytes(2**40, 64) == 2 * (7 * 2**40 + 4**6)
    seconds = runtime_seconds("qlaci-exact", 2**40, 64, "h100")
    assert 4 < float(seconds) < 5  # memory bound: 14 bytes per position at 3.35e12 B/s
    g = get_baseline("qlaci-exact", n_queries=16)  # global tokens: G queries over N keys
    assert g.flops(2**20, 64) == b.build_flops(2**20) + b.forms_flops() + 16 * b.query_flops()


# ---- bad input ------------------------------------------------------------------------------


def test_bad_input_is_named():
    query = seeded_query(4, "qrom", 1)
    with pytest.raises(InputError, match="keys holds 2: components must be in"):
        classical_twin(query, keys=[[2], [0], [0], [0]])
    with pytest.raises(InputError, match="keys has 4 rows and values 3"):
        classical_twin(query, values=[[0], [1], [0]])
    with pytest.raises(InputError, match="queries has shape"):
        classical_twin(query, queries=[[0.1, 0.2]])
    with pytest.raises(InputError, match="theta, phi, fm_angles=None"):
        classical_twin(QLACIQuery())
    with pytest.raises(InputError, match="query=3 is not allowed"):
        classical_twin(3)
    with pytest.raises(InputError, match="query parameters are not allowed"):
        classical_twin({"d_q": 0})
    with pytest.raises(InputError, match="a MultiQueryQLACI"):
        multi_query_twin(query)
    with pytest.raises(ValueError, match="n_queries=0 is not allowed"):
        get_baseline("qlaci-exact", n_queries=0)
