"""QLACI's exact classical twin: every query's readout from one small average state.

The index register of `QLACIQuery` is only ever a control of the QRAM loads (U(theta) and
U(phi) act on the query, key-value and readout registers), so tracing it out leaves the
key-value register in the mixture rho_bar = (1/N) sum_j |phi_j><phi_j| and the readout of
query i is c_i = Tr[O V (rho_Q(Q_i) (x) rho_bar (x) |0><0|) V^dag]: linear in rho_bar, a
2^n_kv x 2^n_kv real matrix (docs/derivations/twin.md). This module computes every c_i that
way with NumPy: rho_bar once from the N words (O(N)), then each query from small matrices.
The circuit's fixed unitary V = U(phi) (U(theta) (x) 1) is the Cirq unitary of the query's
own `Interaction` and `ScoreAggregation` sub-bloqs; the key-value feature map and the query
encoding are evaluated here, vectorised over positions and queries.

Every step can report its floating-point operations to an `OpCount` (the counting convention
of `qlaci_cost.analysis.baselines`: a multiply-add is 2, an elementwise operation 1, a
reduction over n values n), which the `qlaci-exact` baseline's closed form is tested against.
"""

from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Optional, Union

import attrs
import numpy as np

from qlaci_cost.core.circuit_parts import brick_pairs
from qlaci_cost.errors import InputError, describe_value
from qlaci_cost.qlaci.query import QLACIQuery

__all__ = [
    "OpCount",
    "average_state",
    "classical_twin",
    "feature_states",
    "multi_query_twin",
    "query_states",
    "readout_forms",
    "readout_operators",
    "twin_template",
]

_PAULI = {
    "I": np.eye(2),
    "X": np.array([[0, 1], [1, 0]]),
    "Y": np.array([[0, -1j], [1j, 0]]),
    "Z": np.diag([1, -1]),
}


class OpCount:
    """Floating-point operations of the twin's steps (`steps`: step name -> FLOPs)."""

    def __init__(self) -> None:
        self.steps: dict[str, int] = {}

    def add(self, step: str, flops: int) -> None:
        self.steps[step] = self.steps.get(step, 0) + int(flops)

    def matmul(self, step: str, a: np.ndarray, b: np.ndarray) -> None:
        """An (m x k)(k x n) product: 2 m k n (batched: times the batch)."""
        m, k = a.shape[-2], a.shape[-1]
        n = b.shape[-1] if b.ndim > 1 else 1
        batch = int(np.prod(a.shape[:-2], dtype=np.int64)) if a.ndim > 2 else 1
        self.add(step, 2 * batch * m * k * n)

    @property
    def total(self) -> int:
        return sum(self.steps.values())


def _count(counter: Optional[OpCount], step: str, flops: int) -> None:
    if counter is not None:
        counter.add(step, flops)


# ---- inputs -----------------------------------------------------------------------------------


def twin_template(query: Union[QLACIQuery, Mapping[str, Any]]) -> QLACIQuery:
    """The `QLACIQuery` whose outputs the twin computes (a bloq, or its parameters as a dict).

    Raises:
        InputError: not a query, or an angle the twin needs (theta, phi, fm_angles for the
            controlled-rotations feature map) is missing.
    """
    if isinstance(query, Mapping):
        try:
            query = QLACIQuery(**dict(query))
        except (TypeError, ValueError) as err:
            raise InputError(f"query parameters are not allowed: {err}") from err
    if not isinstance(query, QLACIQuery):
        what = "a QLACIQuery or a dict of its parameters"
        raise InputError(f"query={describe_value(query)} is not allowed: {what}")
    needed = ["theta", "phi"] + (["fm_angles"] if not query.uses_phase_gradient else [])
    missing = [name for name in needed if getattr(query, name) is None]
    if missing:
        raise InputError(
            f"query has {', '.join(missing)}=None: the twin needs every trained angle "
            "(theta, phi and, for controlled rotations, fm_angles)"
        )
    return query


def _table(name: str, rows: Any, width: int, bits: int) -> np.ndarray:
    """N rows of `width` integers in [0, 2^bits) as an int64 array, or InputError."""
    arr = np.asarray(rows)
    if arr.ndim == 1 and width == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2 or arr.shape[1] != width or arr.shape[0] < 1:
        raise InputError(
            f"{name} has shape {arr.shape}: N >= 1 rows of {width} integer components are needed"
        )
    if not np.issubdtype(arr.dtype, np.integer):
        raise InputError(f"{name} has dtype {arr.dtype}: integer components are needed")
    if arr.min() < 0 or arr.max() >= 2**bits:
        bad = arr[(arr < 0) | (arr >= 2**bits)][0]
        raise InputError(f"{name} holds {bad}: components must be in [0, 2^{bits})")
    return arr.astype(np.int64)


def _data(template: QLACIQuery, keys: Any, values: Any) -> tuple[np.ndarray, np.ndarray]:
    keys = template.keys if keys is None else keys
    values = template.values if values is None else values
    if keys is None or values is None:
        raise InputError("keys and values are None: give them, or a query that carries them")
    k = _table("keys", keys, int(template.d_k), int(template.bits))
    v = _table("values", values, int(template.d_v), int(template.bits))
    if len(k) != len(v):
        raise InputError(f"keys has {len(k)} rows and values {len(v)}: one of each per position")
    return k, v


def _queries(template: QLACIQuery, queries: Any) -> np.ndarray:
    if queries is None:
        if template.query is None:
            raise InputError("queries is None and the query carries no angles: give queries")
        queries = [template.query]
    arr = np.asarray(queries, dtype=float)
    d_q = int(template.d_q)
    if arr.ndim == 1 and d_q == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2 or arr.shape[1] != d_q or arr.shape[0] < 1 or not np.isfinite(arr).all():
        raise InputError(
            f"queries has shape {arr.shape}: M >= 1 rows of d_q={d_q} finite angles are needed"
        )
    return arr


# ---- the key-value side: rho_bar ---------------------------------------------------------------


def _half_angle_map(template: QLACIQuery) -> tuple[np.ndarray, np.ndarray]:
    """(h, t): kv qubit k = c mod n_kv gets Ry(2 beta_k), beta_k = sum_{c -> k} h_c x_c + t_k.

    Controlled rotations: Ry(sum a_c x_c), so h_c = a_c / 2, t = 0. Phase gradient:
    Ry(-sum (2 x_c + 1) 2 pi / 2^b) up to a phase, so h_c = -2 pi / 2^b and t_k = -m_k pi / 2^b
    for the m_k components on qubit k (`KVFeatureMap`).
    """
    fm, n_kv = template.kv_feature_map, int(template.n_kv)
    n_comp, b = int(fm.n_components), int(fm.bits)
    t = np.zeros(n_kv)
    if template.uses_phase_gradient:
        h = np.full(n_comp, -2 * np.pi / 2**b)
        for c in range(n_comp):
            t[fm.kv_qubit(c)] -= np.pi / 2**b
    else:
        h = np.asarray(template.fm_angles, dtype=float) / 2
    return h, t


def _product_states(cos: np.ndarray, sin: np.ndarray, counter, step: str) -> np.ndarray:
    """Columns (x)_k (cos_k, sin_k) for rows k of `cos`, `sin` (qubits x columns), qubit 0 most
    significant: a 2^n x columns array (amplitude-major, so every operation runs along
    contiguous columns); 2^(k+1) products per column for qubit k >= 1."""
    n, cols = cos.shape
    out = np.stack([cos[0], sin[0]])
    for k in range(1, n):
        new = np.empty((2 * len(out), cols))
        np.multiply(out, cos[k], out=new[0::2])
        np.multiply(out, sin[k], out=new[1::2])
        out = new
        _count(counter, step, out.size)
    return out


def feature_states(
    template: QLACIQuery, keys: np.ndarray, values: np.ndarray, counter: Optional[OpCount] = None
) -> np.ndarray:
    """|phi_j> = (x)_k Ry(2 beta_jk)|0> for every position (N x 2^n_kv, real)."""
    return _feature_columns(template, keys, values, counter).T


def _feature_columns(template, keys, values, counter) -> np.ndarray:
    """The feature states as columns: 2^n_kv x N."""
    words = np.concatenate([keys, values], axis=1).T
    h, t = _half_angle_map(template)
    n_pos, n_kv = words.shape[1], int(template.n_kv)
    beta = np.zeros((n_kv, n_pos))
    for c in range(len(words)):  # beta_k += h_c x_c: a multiply and an add per position
        beta[template.kv_feature_map.kv_qubit(c)] += h[c] * words[c]
        _count(counter, "angles", 2 * n_pos)
    beta += t[:, None]
    _count(counter, "angles", beta.size)
    cos, sin = np.cos(beta), np.sin(beta)
    _count(counter, "cos_sin", 2 * beta.size)
    return _product_states(cos, sin, counter, "kv_states")


def average_state(
    query: Union[QLACIQuery, Mapping[str, Any]],
    keys: Any = None,
    values: Any = None,
    counter: Optional[OpCount] = None,
) -> np.ndarray:
    """rho_bar = (1/N) sum_j |phi_j><phi_j| over the N positions (2^n_kv x 2^n_kv, real)."""
    template = twin_template(query)
    k, v = _data(template, keys, values)
    cols = _feature_columns(template, k, v, counter)
    gram = cols @ cols.T
    if counter is not None:
        counter.matmul("rho_bar", cols, cols.T)
    _count(counter, "rho_bar", gram.size)  # the 1/N scale
    return gram / cols.shape[1]


# ---- the query side ---------------------------------------------------------------------------


def _apply_ry(state: np.ndarray, qubit: int, cos: np.ndarray, sin: np.ndarray) -> np.ndarray:
    """Ry on `qubit` of column states (shape 2 x ... x 2 x M), per-column angles."""
    a0, a1 = np.take(state, 0, axis=qubit), np.take(state, 1, axis=qubit)
    return np.stack([cos * a0 - sin * a1, sin * a0 + cos * a1], axis=qubit)


def _apply_cnot(state: np.ndarray, ctrl: int, target: int) -> np.ndarray:
    """CNOT on column states (2 x ... x 2 x M): flip `target` where `ctrl` is 1."""
    out = state.copy()
    index = [slice(None)] * state.ndim
    index[ctrl] = 1
    axis = target - (1 if target > ctrl else 0)
    out[tuple(index)] = np.flip(state[tuple(index)], axis=axis)
    return out


def query_states(
    template: QLACIQuery, queries: np.ndarray, counter: Optional[OpCount] = None
) -> np.ndarray:
    """`QueryEncoding(Q_i)|0>` for every row Q_i (M x 2^d_q, real): r uploads of Ry(Q_i[k]) on
    qubit k with the CNOT brick between uploads (the first upload is a product state)."""
    return _query_columns(template, queries, counter).T


def _query_columns(template: QLACIQuery, queries: np.ndarray, counter) -> np.ndarray:
    """The query states as columns: 2^d_q x M."""
    n_q, d_q = queries.shape
    half = queries.T / 2
    cos, sin = np.cos(half), np.sin(half)
    _count(counter, "query_angles", 3 * queries.size)
    state = _product_states(cos, sin, counter, "query_states")
    state = state.reshape((2,) * d_q + (n_q,))
    for _upload in range(1, int(template.reuploads)):
        for i, j in brick_pairs(d_q):
            state = _apply_cnot(state, i, j)
        for k in range(d_q):  # 2 products and 1 sum per new amplitude
            state = _apply_ry(state, k, cos[k], sin[k])
            _count(counter, "query_states", 3 * state.size)
    return state.reshape(2**d_q, n_q)


# ---- the fixed circuit: V = U(phi) (U(theta) (x) 1) and the observables -----------------------


def _bloq_unitary(bloq) -> np.ndarray:
    """The unitary of a small bloq's Cirq circuit, registers in signature order (big-endian)."""
    from qlaci_cost.core.decomposed import cirq_circuit

    circuit, quregs = cirq_circuit(bloq)
    order = [q for reg in bloq.signature for q in np.asarray(quregs[reg.name]).ravel()]
    return circuit.unitary(qubit_order=order)


@lru_cache(maxsize=64)
def _readout_operators(template: QLACIQuery) -> np.ndarray:
    d_q, n_kv, n_out = int(template.d_q), int(template.n_kv), int(template.n_out)
    u_int = _bloq_unitary(template.interaction)
    u_agg = _bloq_unitary(template.aggregation)
    v = u_agg @ np.kron(u_int, np.eye(2**n_out))
    v0 = v.reshape(-1, 2 ** (d_q + n_kv), 2**n_out)[:, :, 0]  # readout register in |0>
    out = []
    for pauli in template.measurement.pauli_strings:
        p = np.eye(1)
        for letter in pauli:
            p = np.kron(p, _PAULI[letter])
        m = v0.conj().T @ np.kron(np.eye(2 ** (d_q + n_kv)), p) @ v0
        out.append(m.real.reshape(2**d_q, 2**n_kv, 2**d_q, 2**n_kv))
    return np.stack(out)


def readout_operators(query: Union[QLACIQuery, Mapping[str, Any]]) -> np.ndarray:
    """Re <0_out| V^dag (1 (x) P) V |0_out> for each observable P: shape (d_ctx, 2^d_q, 2^n_kv,
    2^d_q, 2^n_kv). Data-independent (theta, phi and the observables only): computed once.
    The imaginary part is antisymmetric and meets only real symmetric states, so it drops."""
    template = twin_template(query)
    key = attrs.evolve(template, keys=None, values=None, query=None, position=None, measure=True)
    return _readout_operators(key)


def readout_forms(
    query: Union[QLACIQuery, Mapping[str, Any]],
    rho_bar: np.ndarray,
    counter: Optional[OpCount] = None,
) -> np.ndarray:
    """A_P[a, b] = sum_{k, l} M_P[a, k, b, l] rho_bar[l, k]: c_i = q_i^T A_P q_i (d_ctx x
    2^d_q x 2^d_q)."""
    ops = readout_operators(query)
    n_obs, d_qs, d_kv = ops.shape[0], ops.shape[1], ops.shape[2]
    flat = ops.transpose(0, 1, 3, 2, 4).reshape(n_obs, d_qs * d_qs, d_kv * d_kv)
    vec = rho_bar.T.reshape(-1, 1)
    if counter is not None:
        counter.matmul("readout_forms", flat, vec)
    return (flat @ vec).reshape(n_obs, d_qs, d_qs)


# ---- the twin ---------------------------------------------------------------------------------


def classical_twin(
    query: Union[QLACIQuery, Mapping[str, Any]],
    keys: Any = None,
    values: Any = None,
    queries: Any = None,
    counter: Optional[OpCount] = None,
) -> np.ndarray:
    """QLACI's exact outputs c_{i,P} = <P> on the readout for every query row Q_i.

    Args:
        query: The `QLACIQuery` (or its parameters): sizes, feature map, theta, phi,
            fm_angles, observables. Its QRAM model does not matter (every model loads the same
            words).
        keys, values: N rows of d_k and d_v integer components in [0, 2^b); default the
            query's own.
        queries: M rows of d_q encoding angles (M = N for a head, G for global tokens);
            default the query's own angles (one row).
        counter: An `OpCount` to report the floating-point operations to.

    Returns:
        An M x d_ctx array: row i, column p is the expectation of observable p (in the order of
        `query.measurement.pauli_strings`) on the readout state before measurement, exactly
        what `simulate(query, measure=False)` gives for each Q_i (no shots).
    """
    template = twin_template(query)
    q = _queries(template, queries)
    forms = readout_forms(template, average_state(template, keys, values, counter), counter)
    states = _query_columns(template, q, counter)  # 2^d_q x M
    n_obs, d_qs = forms.shape[0], forms.shape[1]
    stacked = forms.transpose(0, 2, 1).reshape(n_obs * d_qs, d_qs)  # rows (P, b), columns a
    y = (stacked @ states).reshape(n_obs, d_qs, len(q))  # y[P, b, i] = sum_a A_P[a, b] q_ia
    if counter is not None:
        counter.matmul("evaluate", stacked, states)
    out = np.einsum("pbi,bi->ip", y, states)
    _count(counter, "evaluate", 2 * y.size)  # products, then the sum over 2^d_q
    return out


def multi_query_twin(
    batch, keys: Any = None, values: Any = None, counter: Optional[OpCount] = None
) -> tuple[np.ndarray, np.ndarray]:
    """A `MultiQueryQLACI`'s outputs: (c_b for each branch b, B x d_ctx; the pooled mean
    (1/B) sum_b c_b, d_ctx), from one rho_bar shared by the B queries
    (docs/derivations/twin.md#multi-query-pooled-mean)."""
    from qlaci_cost.qlaci.multi_query.query import MultiQueryQLACI

    if not isinstance(batch, MultiQueryQLACI):
        raise InputError(f"batch={describe_value(batch)} is not allowed: a MultiQueryQLACI")
    n_batch = int(batch.n_batch)
    queries = np.array([batch.query_angles(b) for b in range(n_batch)], dtype=float)
    per_branch = classical_twin(batch.template, keys, values, queries, counter)
    return per_branch, per_branch.mean(axis=0)
