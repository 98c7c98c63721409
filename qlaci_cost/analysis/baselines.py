"""Classical attention baselines (one head) as FLOP, memory and traffic models.

Derivations and sources: docs/derivations/classical.md.

Counting convention (every formula below): a multiply-add is 2 FLOPs, so an (m x k)(k x n)
matrix product is 2 m k n; a reduction over n values accumulates into an initial value
(0 or -inf) and costs n operations; an elementwise operation (add, multiply, divide, exp,
max, rsqrt) costs 1 per element. Forward pass, one sequence (batch 1), non-causal (full)
attention. Counts are exact for the stated kernel: Python ints for int sizes, sympy
expressions for symbolic sizes. Memory is in bytes at `bytes_per_value` per value.

Per attention head, sequence length N, head dimension d:

| baseline | FLOPs (`elementwise=False`) | + elementwise | resident memory (values) |
|---|---|---|---|
| softmax | 4 N^2 d | + 6 N^2 | N^2 + 4 N d |
| flash | 4 N^2 d | + 6 N^2 | 4 N d + 2 N |
| linear | 4 N d^2 | + 4 N d | 4 N d + d^2 + d |
| sliding-window | 4 N w' d, w' = min(w, N) | + 6 N w' | N w' + 4 N d |
| ssm-scan | 7 N d s + 3 N d (always) | | 3 N d + 2 N s + 2 d s + d |

`qlaci-exact` (`QLACIExact`, not in `BASELINES`): QLACI's exact classical twin, O(N) FLOPs in the
QLACI query's own sizes (d unused); its formula is derived in docs/derivations/twin.md.
"""

import numbers
from typing import Any, ClassVar, Optional, Union

import attrs
import sympy
from attrs import frozen

from qlaci_cost.errors import InputError

__all__ = [
    "BASELINES",
    "CROSSOVER_BASELINES",
    "EXTRA_BASELINES",
    "Baseline",
    "FlashAttention",
    "LinearAttention",
    "QLACIExact",
    "SSMScan",
    "SlidingWindowAttention",
    "SoftmaxAttention",
    "TWIN_QUERY_OPTIONS",
    "baseline_options_for",
    "get_baseline",
    "size",
]

Size = Union[int, sympy.Expr]

#: Per score: scale by 1/sqrt(d), row max, subtract max, exp, row sum, divide (1 each).
SOFTMAX_OPS_PER_SCORE = 6


def size(x: Any, name: str, minimum: int = 1) -> Size:
    """An int >= minimum, or a symbolic sympy expression; anything else is an InputError."""
    if isinstance(x, sympy.Basic) and x.free_symbols:
        return x
    if isinstance(x, sympy.Basic) and x.is_Integer:
        x = int(x)
    if isinstance(x, bool) or not isinstance(x, numbers.Integral) or x < minimum:
        raise InputError(f"{name}={x!r} is not allowed: {name} must be an integer >= {minimum}")
    return int(x)


def _min(a: Size, b: Size) -> Size:
    if isinstance(a, int) and isinstance(b, int):
        return min(a, b)
    return sympy.Min(a, b)


# ----------------------------------------------------------------------------------------------
# Attention baselines (one head)


@frozen
class SoftmaxAttention:
    """Standard softmax attention softmax(Q K^T / sqrt(d)) V, scores materialised in memory.

    FLOPs: Q K^T is 2 N^2 d, P V is 2 N^2 d: 4 N^2 d. The softmax itself (6 per score:
    scale, max, subtract, exp, sum, divide) adds 6 N^2 when `elementwise` is set; by default
    it is left out, as in the usual 4 N^2 d figure (Vaswani et al., arXiv:1706.03762).
    Resident memory: Q, K, V, O (4 N d) + the N^2 score matrix (P overwrites S).
    Memory traffic (Dao et al., arXiv:2205.14135, Algorithm 0): read Q, K, V and write O
    (4 N d), write S, read S, write P, read P (4 N^2).
    """

    elementwise: bool = False
    name: ClassVar[str] = "softmax"

    def flops(self, N: Size, d: Size) -> Size:
        N, d = size(N, "N"), size(d, "d")
        return 4 * N**2 * d + (SOFTMAX_OPS_PER_SCORE * N**2 if self.elementwise else 0)

    def workspace_values(self, N: Size, d: Size) -> Size:
        """Values held beyond Q, K, V and O."""
        return size(N, "N") ** 2

    def traffic_values(self, N: Size, d: Size) -> Size:
        N, d = size(N, "N"), size(d, "d")
        return 4 * N * d + 4 * N**2

    def memory_bytes(self, N: Size, d: Size, bytes_per_value: int = 2) -> Size:
        b = size(bytes_per_value, "bytes_per_value")
        return b * (4 * size(N, "N") * size(d, "d") + self.workspace_values(N, d))

    def traffic_bytes(self, N: Size, d: Size, bytes_per_value: int = 2) -> Size:
        return size(bytes_per_value, "bytes_per_value") * self.traffic_values(N, d)


@frozen
class FlashAttention(SoftmaxAttention):
    """FlashAttention: the same 4 N^2 d FLOPs, scores kept in on-chip tiles, O(N d) memory.

    Dao, Fu, Ermon, Rudra, Re, [FlashAttention](https://arxiv.org/abs/2205.14135) (2022),
    Algorithm 1. Forward pass, no recomputation. Resident memory: Q, K, V, O (4 N d) and the
    running row max and row sum (2 N). Traffic: 4 N d, each input read once and O written once:
    a lower bound (Theorem 2: Theta(N^2 d^2 / M) for on-chip memory M), which lowers the
    classical runtime, so quantum crossovers computed with it are conservative. With
    `elementwise`, the softmax adds the same 6 N^2 (the online rescaling of O, O(N^2 d / B_c),
    is not counted).
    """

    name: ClassVar[str] = "flash"

    def workspace_values(self, N: Size, d: Size) -> Size:
        return 2 * size(N, "N")

    def traffic_values(self, N: Size, d: Size) -> Size:
        return 4 * size(N, "N") * size(d, "d")


@frozen
class LinearAttention(SoftmaxAttention):
    """Linear attention phi(Q) (phi(K)^T V) / (phi(Q) sum_j phi(K_j)).

    Katharopoulos, Vyas, Pappas, Fleuret, [Transformers are RNNs](https://arxiv.org/abs/2006.16236)
    (2020), Eq. 5-6. FLOPs: phi(K)^T V is 2 N d^2, phi(Q) (K^T V) is 2 N d^2: 4 N d^2 (the same
    count for the causal prefix-sum form: per token an outer product 2 d^2 and a
    vector-matrix product 2 d^2). With `elementwise`, the normaliser adds 4 N d: z = sum_j
    phi(K_j) (N d), phi(Q) z (2 N d), divide (N d). The feature map phi is not counted.
    Memory: Q, K, V, O (4 N d) + state d^2 + normaliser d. Traffic: each value once.
    """

    name: ClassVar[str] = "linear"

    def flops(self, N: Size, d: Size) -> Size:
        N, d = size(N, "N"), size(d, "d")
        return 4 * N * d**2 + (4 * N * d if self.elementwise else 0)

    def workspace_values(self, N: Size, d: Size) -> Size:
        d = size(d, "d")
        return d**2 + d

    def traffic_values(self, N: Size, d: Size) -> Size:
        return 4 * size(N, "N") * size(d, "d") + self.workspace_values(N, d)


@frozen
class SlidingWindowAttention(SoftmaxAttention):
    """Softmax attention over a window of w keys per query (banded kernel).

    Beltagy, Peters, Cohan, [Longformer](https://arxiv.org/abs/2004.05150) (2020). Every query
    scores w' = min(w, N) keys (the banded kernel pads the sequence ends, so the count is the
    same for every query): FLOPs 4 N w' d (+ 6 N w' with `elementwise`). The unpadded causal
    count 4 d (N w - w (w - 1) / 2) is smaller by the boundary triangle. At w >= N this is
    softmax attention. Memory: Q, K, V, O + N w' scores; traffic 4 N d + 4 N w' (as softmax).

    Args:
        window: w, keys per query (default 512).
    """

    window: Size = attrs.field(default=512, converter=lambda w: size(w, "window"))
    name: ClassVar[str] = "sliding-window"

    def _w(self, N: Size) -> Size:
        return _min(self.window, size(N, "N"))

    def flops(self, N: Size, d: Size) -> Size:
        N, d = size(N, "N"), size(d, "d")
        w = self._w(N)
        return 4 * N * w * d + (SOFTMAX_OPS_PER_SCORE * N * w if self.elementwise else 0)

    def workspace_values(self, N: Size, d: Size) -> Size:
        return size(N, "N") * self._w(N)

    def traffic_values(self, N: Size, d: Size) -> Size:
        N, d = size(N, "N"), size(d, "d")
        return 4 * N * d + 4 * N * self._w(N)


@frozen
class SSMScan:
    """Selective state-space scan (Mamba), d channels with state size s each.

    Gu, Dao, [Mamba](https://arxiv.org/abs/2312.00752) (2023), Algorithm 2, as in its reference
    scan with real diagonal A. Per token and channel: dx = Delta x (1); per state element:
    dA = exp(Delta A) (2), h = dA h + dx B (3), y += C h (2): 7 N d s; plus the skip y + D x
    (2 N d): 7 N d s + 3 N d in all. (Mamba's reference code forms Delta B x with 2 products
    per state element: 8 N d s + 2 N d.) The projections that produce x, Delta, B, C are the
    block's linear layers, not counted here. Memory: x, Delta, y (3 N d), B, C (2 N s),
    A and h (2 d s), D (d); traffic the same (each value once, h kept on chip).

    Args:
        state: s, state size per channel (default 16).
    """

    state: Size = attrs.field(default=16, converter=lambda s: size(s, "state"))
    elementwise: bool = True  # the scan is all elementwise work; kept for a uniform interface
    name: ClassVar[str] = "ssm-scan"

    def flops(self, N: Size, d: Size) -> Size:
        N, d = size(N, "N"), size(d, "d")
        return 7 * N * d * self.state + 3 * N * d

    def _values(self, N: Size, d: Size) -> Size:
        N, d, s = size(N, "N"), size(d, "d"), self.state
        return 3 * N * d + 2 * N * s + 2 * d * s + d

    def memory_bytes(self, N: Size, d: Size, bytes_per_value: int = 2) -> Size:
        return size(bytes_per_value, "bytes_per_value") * self._values(N, d)

    def traffic_bytes(self, N: Size, d: Size, bytes_per_value: int = 2) -> Size:
        return self.memory_bytes(N, d, bytes_per_value)


@frozen
class QLACIExact:
    """QLACI's exact classical twin: every query's readout from rho_bar, with no shots.

    docs/derivations/twin.md (the derivation and this formula); `qlaci_cost.qlaci.twin`
    (the implementation whose operation count the formula equals). The sizes are the QLACI
    query's (defaults: `QLACIQuery()`'s); the classical head dimension d is not used.
    C = d_k + d_v, n = n_kv, K = d_ctx, M = the queries evaluated (N for a head, G for global
    tokens, B for a batch):

    - rho_bar from N words: angles 2 N C + N n, cos and sin 2 N n, product states
      N (2^(n+1) - 4), Gram matrix 2 N 4^n, scale 4^n;
    - readout forms A_P = sum rho_bar M_P: 2 K 4^(d_q + n);
    - per query: angles 3 d_q, product state 2^(d_q+1) - 4, later uploads 3 (r - 1) d_q 2^d_q,
      K quadratic forms 2 4^d_q + 2 2^d_q each.

    Not counted: the data-independent M_P = <0|V^dag P V|0> (fixed by theta, phi and the
    observables, computed once per trained circuit). Traffic: the N words (N C values), the M
    queries and outputs (M (d_q + K)), the fixed M_P (K 4^(d_q + n)), each once (rho_bar and
    the forms stay on chip): a lower bound, as for `flash`. Resident memory adds rho_bar and
    the forms (4^n + K 4^d_q).

    Args:
        d_q, n_kv, d_k, d_v, d_ctx, reuploads: The QLACI query's sizes.
        n_queries: M, or None for M = N.
    """

    d_q: Size = attrs.field(default=4, converter=lambda v: size(v, "d_q"))
    n_kv: Size = attrs.field(default=2, converter=lambda v: size(v, "n_kv"))
    d_k: Size = attrs.field(default=1, converter=lambda v: size(v, "d_k"))
    d_v: Size = attrs.field(default=1, converter=lambda v: size(v, "d_v"))
    d_ctx: Size = attrs.field(default=1, converter=lambda v: size(v, "d_ctx"))
    reuploads: Size = attrs.field(default=1, converter=lambda v: size(v, "reuploads"))
    n_queries: Optional[Size] = attrs.field(
        default=None, converter=lambda v: None if v is None else size(v, "n_queries")
    )
    elementwise: bool = True  # every operation is counted; kept for a uniform interface
    name: ClassVar[str] = "qlaci-exact"

    @classmethod
    def from_query(cls, query: Any, n_queries: Optional[Size] = None) -> "QLACIExact":
        """The twin of a `QLACIQuery` (any object with its size attributes)."""
        names = ("d_q", "n_kv", "d_k", "d_v", "d_ctx", "reuploads")
        return cls(**{k: getattr(query, k) for k in names}, n_queries=n_queries)

    def _m(self, N: Size) -> Size:
        return size(N, "N") if self.n_queries is None else self.n_queries

    def build_flops(self, N: Size) -> Size:
        """rho_bar from N words (angles, cos/sin, product states, Gram matrix, 1/N)."""
        N, n, C = size(N, "N"), self.n_kv, self.d_k + self.d_v
        return N * (2 * C + 3 * n + 2 ** (n + 1) - 4 + 2 * 4**n) + 4**n

    def forms_flops(self) -> Size:
        """The d_ctx readout forms A_P (2^d_q x 2^d_q) from rho_bar."""
        return 2 * self.d_ctx * 4 ** (self.d_q + self.n_kv)

    def query_flops(self) -> Size:
        """One query: its encoding state and its d_ctx quadratic forms."""
        dq, r, K = self.d_q, self.reuploads, self.d_ctx
        encode = 3 * dq + 2 ** (dq + 1) - 4 + 3 * (r - 1) * dq * 2**dq
        return encode + K * (2 * 4**dq + 2 * 2**dq)

    def flops(self, N: Size, d: Size) -> Size:
        size(d, "d")
        return self.build_flops(N) + self.forms_flops() + self._m(N) * self.query_flops()

    def traffic_values(self, N: Size, d: Size) -> Size:
        N, C = size(N, "N"), self.d_k + self.d_v
        fixed = self.d_ctx * 4 ** (self.d_q + self.n_kv)
        return N * C + self._m(N) * (self.d_q + self.d_ctx) + fixed

    def workspace_values(self, N: Size, d: Size) -> Size:
        """rho_bar and the readout forms."""
        return 4**self.n_kv + self.d_ctx * 4**self.d_q

    def memory_bytes(self, N: Size, d: Size, bytes_per_value: int = 2) -> Size:
        values = self.traffic_values(N, d) + self.workspace_values(N, d)
        return size(bytes_per_value, "bytes_per_value") * values

    def traffic_bytes(self, N: Size, d: Size, bytes_per_value: int = 2) -> Size:
        return size(bytes_per_value, "bytes_per_value") * self.traffic_values(N, d)


_BASELINE_CLASSES = {
    cls.name: cls
    for cls in (SoftmaxAttention, FlashAttention, LinearAttention, SlidingWindowAttention, SSMScan)
}
BASELINES = tuple(_BASELINE_CLASSES)
#: Baselines `get_baseline` knows beyond `BASELINES`, which the crossover and report iterate.
EXTRA_BASELINES = (QLACIExact.name,)
_BASELINE_CLASSES[QLACIExact.name] = QLACIExact
#: The baselines of the crossover and the report: `BASELINES` and QLACI's exact twin.
CROSSOVER_BASELINES = BASELINES + EXTRA_BASELINES
#: The twin's options that come from the QLACI query (`QLACIExact.from_query`).
TWIN_QUERY_OPTIONS = ("d_q", "n_kv", "d_k", "d_v", "d_ctx", "reuploads")


def baseline_options_for(
    baseline: str, baseline_options: Any = (), query_options: Any = None
) -> dict[str, Any]:
    """The options `baseline` takes: of the scenario's baseline options, `window` only for
    sliding-window and `state` only for ssm-scan; for `qlaci-exact`, `elementwise` and the
    QLACI query's sizes from `query_options` (so the twin evaluates the same query)."""
    options = dict(baseline_options)
    if baseline == QLACIExact.name:
        twin = {k: v for k, v in dict(query_options or {}).items() if k in TWIN_QUERY_OPTIONS}
        return {**{k: v for k, v in options.items() if k == "elementwise"}, **twin}
    if baseline != SlidingWindowAttention.name:
        options.pop("window", None)
    if baseline != SSMScan.name:
        options.pop("state", None)
    return options


Baseline = Union[SoftmaxAttention, SSMScan, QLACIExact]


def get_baseline(baseline: Union[str, Baseline], **options) -> Baseline:
    """A baseline object from its name (options: `window`, `state`, `elementwise`; for
    `qlaci-exact` the query's sizes and `n_queries`)."""
    if not isinstance(baseline, str):
        if not isinstance(baseline, tuple(_BASELINE_CLASSES.values())):
            allowed = BASELINES + EXTRA_BASELINES
            raise InputError(f"baseline {baseline!r} is not allowed: use one of {allowed}")
        make = lambda **kw: attrs.evolve(baseline, **kw)  # noqa: E731
    elif baseline in _BASELINE_CLASSES:
        make = _BASELINE_CLASSES[baseline]
    else:
        allowed = ", ".join(BASELINES + EXTRA_BASELINES)
        raise InputError(f"unknown baseline {baseline!r}: allowed are {allowed}")
    try:
        return make(**options)
    except TypeError as exc:
        raise InputError(f"options {sorted(options)} are not allowed for {baseline!r}") from exc
