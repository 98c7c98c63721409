"""Classical parts of a transformer block as FLOP / memory models, and the classical side's
names in one place: the attention baselines (`baselines`) and the roofline (`roofline`).

Derivations and sources: docs/derivations/classical.md.

Counting convention (every formula): a multiply-add is 2 FLOPs, so an (m x k)(k x n) matrix
product is 2 m k n; an elementwise operation (add, multiply, divide, exp, max, rsqrt) costs 1 per
element. Forward pass, one sequence (batch 1). Counts are exact for the stated layout: Python
ints for int sizes, sympy expressions for symbolic sizes. Memory is in bytes at
`bytes_per_value` per value. The per-head attention baselines and their table are in
`qlaci_cost.analysis.baselines`.
"""

from typing import Optional, Union

from attrs import frozen

from qlaci_cost.analysis.baselines import (
    BASELINES,
    Baseline,
    FlashAttention,
    LinearAttention,
    Size,
    SlidingWindowAttention,
    SoftmaxAttention,
    SSMScan,
    get_baseline,
)
from qlaci_cost.analysis.baselines import size as _size
from qlaci_cost.analysis.roofline import (
    DEFAULT_HARDWARE,
    HARDWARE,
    Hardware,
    fits_in_memory,
    get_hardware,
    runtime_seconds,
)
from qlaci_cost.errors import InputError

__all__ = [
    "BASELINES",
    "DEFAULT_HARDWARE",
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

#: Per element of a layer norm: mean sum, subtract mean, square, variance sum, times rstd,
#: times gain, plus bias; per row: mean divide, variance divide, + eps, rsqrt.
LAYER_NORM_OPS_PER_ELEMENT = 7
LAYER_NORM_OPS_PER_ROW = 4


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
        raise InputError(f"heads={h} is not allowed: heads must divide d_model={dm}")
    d_head = dm // h if isinstance(dm, int) and isinstance(h, int) else dm / h
    return N, dm, dff, h, d_head


def _attention(attention: Optional[Union[str, Baseline]], options: dict):
    if attention is None:
        return None
    b = get_baseline(attention, **options)
    if isinstance(b, SSMScan):
        raise InputError(
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
