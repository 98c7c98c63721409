"""Classical attention baselines and transformer-block parts as FLOP / memory / roofline models.

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
"""

import numbers
from typing import Any, ClassVar, Optional, Union

import attrs
import sympy
from attrs import frozen

from qlaci_cost.symbolics.exact import rational_or_same

__all__ = [
    "BASELINES",
    "HARDWARE",
    "BlockCost",
    "FlashAttention",
    "Hardware",
    "LinearAttention",
    "SSMScan",
    "SlidingWindowAttention",
    "SoftmaxAttention",
    "block_flops",
    "block_memory_bytes",
    "fits_in_memory",
    "get_baseline",
    "get_hardware",
    "runtime_seconds",
]

Size = Union[int, sympy.Expr]

#: Per score: scale by 1/sqrt(d), row max, subtract max, exp, row sum, divide (1 each).
SOFTMAX_OPS_PER_SCORE = 6
#: Per element of a layer norm: mean sum, subtract mean, square, variance sum, times rstd,
#: times gain, plus bias; per row: mean divide, variance divide, + eps, rsqrt.
LAYER_NORM_OPS_PER_ELEMENT = 7
LAYER_NORM_OPS_PER_ROW = 4


def _size(x: Any, name: str, minimum: int = 1) -> Size:
    """An int >= minimum, or a symbolic sympy expression; anything else is a ValueError."""
    if isinstance(x, sympy.Basic) and x.free_symbols:
        return x
    if isinstance(x, sympy.Basic) and x.is_Integer:
        x = int(x)
    if isinstance(x, bool) or not isinstance(x, numbers.Integral) or x < minimum:
        raise ValueError(f"{name}={x!r} is not allowed: {name} must be an integer >= {minimum}")
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
        N, d = _size(N, "N"), _size(d, "d")
        return 4 * N**2 * d + (SOFTMAX_OPS_PER_SCORE * N**2 if self.elementwise else 0)

    def workspace_values(self, N: Size, d: Size) -> Size:
        """Values held beyond Q, K, V and O."""
        return _size(N, "N") ** 2

    def traffic_values(self, N: Size, d: Size) -> Size:
        N, d = _size(N, "N"), _size(d, "d")
        return 4 * N * d + 4 * N**2

    def memory_bytes(self, N: Size, d: Size, bytes_per_value: int = 2) -> Size:
        b = _size(bytes_per_value, "bytes_per_value")
        return b * (4 * _size(N, "N") * _size(d, "d") + self.workspace_values(N, d))

    def traffic_bytes(self, N: Size, d: Size, bytes_per_value: int = 2) -> Size:
        return _size(bytes_per_value, "bytes_per_value") * self.traffic_values(N, d)


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
        return 2 * _size(N, "N")

    def traffic_values(self, N: Size, d: Size) -> Size:
        return 4 * _size(N, "N") * _size(d, "d")


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
        N, d = _size(N, "N"), _size(d, "d")
        return 4 * N * d**2 + (4 * N * d if self.elementwise else 0)

    def workspace_values(self, N: Size, d: Size) -> Size:
        d = _size(d, "d")
        return d**2 + d

    def traffic_values(self, N: Size, d: Size) -> Size:
        return 4 * _size(N, "N") * _size(d, "d") + self.workspace_values(N, d)


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

    window: Size = attrs.field(default=512, converter=lambda w: _size(w, "window"))
    name: ClassVar[str] = "sliding-window"

    def _w(self, N: Size) -> Size:
        return _min(self.window, _size(N, "N"))

    def flops(self, N: Size, d: Size) -> Size:
        N, d = _size(N, "N"), _size(d, "d")
        w = self._w(N)
        return 4 * N * w * d + (SOFTMAX_OPS_PER_SCORE * N * w if self.elementwise else 0)

    def workspace_values(self, N: Size, d: Size) -> Size:
        return _size(N, "N") * self._w(N)

    def traffic_values(self, N: Size, d: Size) -> Size:
        N, d = _size(N, "N"), _size(d, "d")
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

    state: Size = attrs.field(default=16, converter=lambda s: _size(s, "state"))
    elementwise: bool = True  # the scan is all elementwise work; kept for a uniform interface
    name: ClassVar[str] = "ssm-scan"

    def flops(self, N: Size, d: Size) -> Size:
        N, d = _size(N, "N"), _size(d, "d")
        return 7 * N * d * self.state + 3 * N * d

    def _values(self, N: Size, d: Size) -> Size:
        N, d, s = _size(N, "N"), _size(d, "d"), self.state
        return 3 * N * d + 2 * N * s + 2 * d * s + d

    def memory_bytes(self, N: Size, d: Size, bytes_per_value: int = 2) -> Size:
        return _size(bytes_per_value, "bytes_per_value") * self._values(N, d)

    def traffic_bytes(self, N: Size, d: Size, bytes_per_value: int = 2) -> Size:
        return self.memory_bytes(N, d, bytes_per_value)


_BASELINE_CLASSES = {
    cls.name: cls
    for cls in (SoftmaxAttention, FlashAttention, LinearAttention, SlidingWindowAttention, SSMScan)
}
BASELINES = tuple(_BASELINE_CLASSES)
Baseline = Union[SoftmaxAttention, SSMScan]


def get_baseline(baseline: Union[str, Baseline], **options) -> Baseline:
    """A baseline object from its name (options: `window`, `state`, `elementwise`)."""
    if not isinstance(baseline, str):
        if not isinstance(baseline, tuple(_BASELINE_CLASSES.values())):
            raise ValueError(f"baseline {baseline!r} is not allowed: use one of {BASELINES}")
        make = lambda **kw: attrs.evolve(baseline, **kw)  # noqa: E731
    elif baseline in _BASELINE_CLASSES:
        make = _BASELINE_CLASSES[baseline]
    else:
        allowed = ", ".join(BASELINES)
        raise ValueError(f"unknown baseline {baseline!r}: allowed are {allowed}")
    try:
        return make(**options)
    except TypeError as exc:
        raise ValueError(f"options {sorted(options)} are not allowed for {baseline!r}") from exc


# ----------------------------------------------------------------------------------------------
# Hardware and roofline


def _positive(instance, attribute, value) -> None:
    ok = isinstance(value, sympy.Rational) and value > 0
    if not ok:
        raise ValueError(
            f"{attribute.name}={value!r} is not allowed: {attribute.name} must be a positive "
            "finite number"
        )


@frozen
class Hardware:
    """A machine for roofline estimates.

    Args:
        name: Label.
        peak_flops: Peak FLOP/s at the precision the counts assume.
        bandwidth: Main-memory bandwidth in bytes/s.
        memory_bytes: Memory capacity in bytes.
        source: Where the numbers come from.
    """

    name: str
    peak_flops: sympy.Rational = attrs.field(converter=rational_or_same, validator=_positive)
    bandwidth: sympy.Rational = attrs.field(converter=rational_or_same, validator=_positive)
    memory_bytes: sympy.Rational = attrs.field(converter=rational_or_same, validator=_positive)
    source: str = ""

    def describe(self) -> str:
        return (
            f"{self.name}: {float(self.peak_flops):.4g} FLOP/s, {float(self.bandwidth):.4g} B/s, "
            f"{float(self.memory_bytes):.4g} B memory [{self.source}]"
        )


HARDWARE: dict[str, Hardware] = {
    "h100": Hardware(
        "NVIDIA H100 SXM5 80GB",
        989 * 10**12,
        335 * 10**10,
        80 * 10**9,
        "NVIDIA H100 Tensor Core GPU datasheet: dense FP16/BF16 Tensor Core 989 TFLOPS "
        "(1,979 with sparsity), HBM3 3.35 TB/s, 80 GB",
    ),
    "a100": Hardware(
        "NVIDIA A100 SXM 80GB",
        312 * 10**12,
        2039 * 10**9,
        80 * 10**9,
        "NVIDIA A100 Tensor Core GPU datasheet: dense FP16/BF16 Tensor Core 312 TFLOPS, "
        "HBM2e 2,039 GB/s, 80 GB",
    ),
    "cpu": Hardware(
        "96-core server CPU (AMD EPYC 9654 class)",
        96 * 24 * 10**8 * 32,
        12 * 4800 * 10**6 * 8,
        768 * 10**9,
        "derived: 96 cores x 2.4 GHz base x 32 FP32 FLOP/cycle (two 256-bit FMA pipes) = "
        "7.37 TFLOP/s; 12 channels DDR5-4800 x 8 B = 460.8 GB/s; 768 GB (12 x 64 GB); "
        "use bytes_per_value=4 for FP32",
    ),
}
DEFAULT_HARDWARE = "h100"


def get_hardware(hardware: Union[str, Hardware] = DEFAULT_HARDWARE) -> Hardware:
    if isinstance(hardware, Hardware):
        return hardware
    if hardware not in HARDWARE:
        raise ValueError(f"unknown hardware {hardware!r}: allowed are {', '.join(HARDWARE)}")
    return HARDWARE[hardware]


def runtime_seconds(
    baseline: Union[str, Baseline],
    N: Size,
    d: Size,
    hardware: Union[str, Hardware] = DEFAULT_HARDWARE,
    bytes_per_value: int = 2,
    **options,
) -> Any:
    """Roofline time of one head: max(FLOPs / peak FLOP/s, traffic bytes / bandwidth).

    Assumes compute and memory traffic overlap perfectly and each runs at its peak
    (Williams, Waterman, Patterson, "Roofline", CACM 52(4), 2009): a lower bound on the real
    runtime, i.e. favourable to the classical side. Exact sympy rational (call `float`), or a
    sympy expression for symbolic sizes.
    """
    b = get_baseline(baseline, **options)
    hw = get_hardware(hardware)
    compute = sympy.sympify(b.flops(N, d)) / hw.peak_flops
    memory = sympy.sympify(b.traffic_bytes(N, d, bytes_per_value)) / hw.bandwidth
    return sympy.Max(compute, memory)


def fits_in_memory(
    baseline: Union[str, Baseline],
    N: int,
    d: int,
    hardware: Union[str, Hardware] = DEFAULT_HARDWARE,
    bytes_per_value: int = 2,
    **options,
) -> bool:
    """Whether one head's resident memory fits in the hardware's capacity."""
    b = get_baseline(baseline, **options)
    return bool(b.memory_bytes(N, d, bytes_per_value) <= get_hardware(hardware).memory_bytes)


# ----------------------------------------------------------------------------------------------
# Transformer block (classical parts of a hybrid block)


@frozen
class BlockCost:
    """Itemised cost: `terms` = ((name, value, formula), ...); `total` is their sum."""

    unit: str
    terms: tuple

    @property
    def total(self) -> Size:
        return sum((v for _, v, _ in self.terms), 0)

    def as_dict(self) -> dict:
        return {name: value for name, value, _ in self.terms}

    def __getitem__(self, name: str) -> Size:
        return self.as_dict()[name]

    def describe(self) -> str:
        items = "; ".join(f"{n} = {f} = {v}" for n, v, f in self.terms)
        return f"{self.unit}: {items}; total {self.total}"


def _block_sizes(N, d_model, d_ff, heads):
    N, dm = _size(N, "N"), _size(d_model, "d_model")
    dff, h = _size(d_ff, "d_ff"), _size(heads, "heads")
    if isinstance(dm, int) and isinstance(h, int) and dm % h:
        raise ValueError(f"heads={h} is not allowed: heads must divide d_model={dm}")
    d_head = dm // h if isinstance(dm, int) and isinstance(h, int) else dm / h
    return N, dm, dff, h, d_head


def _attention(attention: Optional[Union[str, Baseline]], options: dict):
    if attention is None:
        return None
    b = get_baseline(attention, **options)
    if isinstance(b, SSMScan):
        raise ValueError(
            "attention='ssm-scan' is not allowed in block costs: the block layout has Q/K/V "
            "projections; use softmax, flash, linear or sliding-window"
        )
    return b


def block_flops(
    N: Size,
    d_model: Size,
    d_ff: Size,
    heads: Size,
    attention: Optional[Union[str, Baseline]] = None,
    **attention_options,
) -> BlockCost:
    """FLOPs of one pre-norm transformer block, itemised (bias-free linear layers).

    The classical parts of a hybrid block; with `attention` (a baseline name), `heads` heads of
    that classical attention at d_head = d_model / heads are added as the `attention` term.
    """
    N, dm, dff, h, dh = _block_sizes(N, d_model, d_ff, heads)
    ln = LAYER_NORM_OPS_PER_ELEMENT * N * dm + LAYER_NORM_OPS_PER_ROW * N
    terms = [
        ("embedding", 0, "0 (a table lookup)"),
        ("qkv_projection", 3 * 2 * N * dm**2, "3 x 2 N d_model^2"),
        ("output_projection", 2 * N * dm**2, "2 N d_model^2"),
        ("residuals", 2 * N * dm, "2 N d_model (two residual adds)"),
        ("layer_norms", 2 * ln, "2 x (7 N d_model + 4 N) (two layer norms)"),
        ("ffn", 2 * 2 * N * dm * dff, "2 x 2 N d_model d_ff (two matmuls)"),
        ("ffn_activation", N * dff, "N d_ff (1 op per element; a tanh-GELU is ~8)"),
    ]
    b = _attention(attention, attention_options)
    if b is not None:
        terms.append(("attention", h * b.flops(N, dh), f"heads x {b.name} flops(N, d_head)"))
    return BlockCost("FLOPs", tuple(terms))


def block_memory_bytes(
    N: Size,
    d_model: Size,
    d_ff: Size,
    heads: Size,
    bytes_per_value: int = 2,
    attention: Optional[Union[str, Baseline]] = None,
    **attention_options,
) -> BlockCost:
    """Bytes of one block's weights and activations, itemised, every tensor kept (no reuse).

    Activations (values): x, ln1(x), Q, K, V, attention output, output projection,
    h = x + o, ln2(h), FFN hidden and activated (2 N d_ff), FFN output, y = h + f: 11 N d_model
    + 2 N d_ff. An upper bound for inference, which can reuse buffers. With `attention`, each
    head's workspace beyond Q, K, V, O (e.g. N^2 scores for softmax) is added.
    """
    N, dm, dff, h, dh = _block_sizes(N, d_model, d_ff, heads)
    bpv = _size(bytes_per_value, "bytes_per_value")
    terms = [
        ("weights_attention", bpv * 4 * dm**2, "4 d_model^2 (W_Q, W_K, W_V, W_O)"),
        ("weights_ffn", bpv * 2 * dm * dff, "2 d_model d_ff"),
        ("weights_layer_norm", bpv * 4 * dm, "4 d_model (gain and bias of two norms)"),
        ("activations", bpv * (11 * N * dm + 2 * N * dff), "11 N d_model + 2 N d_ff"),
    ]
    b = _attention(attention, attention_options)
    if b is not None:
        ws = bpv * h * b.workspace_values(N, dh)
        terms.append(("attention_workspace", ws, f"heads x {b.name} workspace(N, d_head)"))
    return BlockCost(f"bytes at {bpv} per value", tuple(terms))
