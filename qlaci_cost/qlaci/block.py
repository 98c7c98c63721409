"""A hybrid transformer block: QLACI heads for attention, the rest classical (FLOPs, bytes)."""

from functools import cached_property
from typing import Optional

import attrs
import sympy
from attrs import frozen
from qualtran import Bloq, BloqDocSpec, DecomposeTypeError, Signature, bloq_example
from qualtran.resource_counting import QubitCount, get_cost_value
from qualtran.symbolics import SymbolicInt

from qlaci_cost.analysis.classical import BlockCost, block_flops, block_memory_bytes
from qlaci_cost.core.circuit_parts import check_int
from qlaci_cost.errors import InputError
from qlaci_cost.qlaci.head import QLACIHead
from qlaci_cost.qlaci.query import QLACIQuery

__all__ = ["HybridBlock", "hybrid_block_flops", "hybrid_block_memory_bytes"]


def _replace(cost: BlockCost, replacements: dict, extra: tuple = ()) -> BlockCost:
    terms = tuple(replacements.get(name, (name, v, f)) for name, v, f in cost.terms)
    return BlockCost(cost.unit, terms + tuple(extra))


def hybrid_block_flops(
    N: SymbolicInt,
    d_model: SymbolicInt,
    d_ff: SymbolicInt,
    heads: SymbolicInt,
    widths: tuple,
    runs_per_query: SymbolicInt,
) -> BlockCost:
    """Classical FLOPs of a hybrid block: `classical.block_flops` with no attention term, the
    projections sized for the quantum heads, and the readout of their measurement outcomes.

    Args:
        N: Sequence length.
        d_model, d_ff, heads: The block's model width, FFN width and number of heads.
        widths: (d_q, d_k, d_v, d_ctx) of each head: query angles, key and value components
            loaded by the QRAM, and context values read out.
        runs_per_query: Circuit runs per query whose outcomes are accumulated.

    Terms replaced (they equal `block_flops`' when d_q = d_k = d_v = d_ctx = d_model / heads):
    qkv_projection = 2 N d_model heads (d_q + d_k + d_v); output_projection =
    2 N (heads d_ctx) d_model. Added: encoding = N heads (d_q + d_k + d_v) (one op per value
    turned into an angle or a b-bit word), readout = heads N runs_per_query (one accumulate per
    run outcome; for amplitude estimation a run's phase estimate).
    """
    d_q, d_k, d_v, d_ctx = widths
    base = block_flops(N, d_model, d_ff, heads)
    proj = heads * (d_q + d_k + d_v)
    return _replace(
        base,
        {
            "qkv_projection": (
                "qkv_projection",
                2 * N * d_model * proj,
                "2 N d_model heads (d_q + d_k + d_v)",
            ),
            "output_projection": (
                "output_projection",
                2 * N * heads * d_ctx * d_model,
                "2 N (heads d_ctx) d_model",
            ),
        },
        (
            ("encoding", N * proj, "N heads (d_q + d_k + d_v) (to angles and b-bit words)"),
            ("readout", heads * N * runs_per_query, "heads N runs per query (accumulate)"),
        ),
    )


def hybrid_block_memory_bytes(
    N: SymbolicInt,
    d_model: SymbolicInt,
    d_ff: SymbolicInt,
    heads: SymbolicInt,
    widths: tuple,
    bytes_per_value: int = 2,
) -> BlockCost:
    """Bytes of a hybrid block's classical weights and activations (`block_memory_bytes`, with
    the attention weights and the Q, K, V, output activations sized for the quantum heads:
    weights_attention = d_model heads (d_q + d_k + d_v + d_ctx), activations =
    N heads (d_q + d_k + d_v + d_ctx) + 7 N d_model + 2 N d_ff; both equal `block_memory_bytes`'
    when every width is d_model / heads). The QRAM's copy of K and V is not counted."""
    d_q, d_k, d_v, d_ctx = widths
    base = block_memory_bytes(N, d_model, d_ff, heads, bytes_per_value)
    per_head = heads * (d_q + d_k + d_v + d_ctx)
    bpv = bytes_per_value
    return _replace(
        base,
        {
            "weights_attention": (
                "weights_attention",
                bpv * d_model * per_head,
                "d_model heads (d_q + d_k + d_v + d_ctx) (W_Q, W_K, W_V, W_O)",
            ),
            "activations": (
                "activations",
                bpv * (N * per_head + 7 * N * d_model + 2 * N * d_ff),
                "N heads (d_q + d_k + d_v + d_ctx) + 7 N d_model + 2 N d_ff",
            ),
        },
    )


@frozen
class HybridBlock(Bloq):
    """A pre-norm transformer block whose attention is `heads` QLACI heads.

    Quantum part: `heads` copies of the `QLACIHead`, run one after another on the head's
    processors, so gate counts are heads x the head's, qubits are the head's, depths are
    heads x the head's. Classical part, reported beside the quantum counts (not as gates):
    embedding, Q/K/V projections, output projection, two residual adds, two layer norms,
    FFN (`classical.block_flops` itemisation, projections sized for the heads'
    widths: `hybrid_block_flops`), the encoding of Q, K, V into angles and words, and the
    accumulation of the measurement outcomes; memory per `hybrid_block_memory_bytes`.

    Args:
        head: The attention head (default: the prototype `QLACIHead()`).
        heads: Number of heads h.
        d_model: Model width; default h x d_q (each head takes a d_q-component query).
        d_ff: FFN width; default 4 d_model.
        bytes_per_value: Bytes per stored value (default 2, 16-bit).

    Registers:
        (none): as the head's.

    References:
        [Attention Is All You Need](https://arxiv.org/abs/1706.03762). Vaswani et al. 2017.
        Section 3 (the block layout). The QLACI proposal: docs/design.md#purpose.

    ## Cost
    Quantum (exact where the head's are, depths upper bounds): gate counts heads x head;
    qubits = head qubits; depths = heads x head depths. Classical FLOPs and bytes: the exact
    formulas of `hybrid_block_flops` and `hybrid_block_memory_bytes` at N = the head's queries.
    """

    head: QLACIHead = attrs.field(factory=QLACIHead)
    heads: SymbolicInt = 1
    d_model: Optional[SymbolicInt] = None
    d_ff: Optional[SymbolicInt] = None
    bytes_per_value: int = 2

    BOUNDS = QLACIHead.BOUNDS

    def __attrs_post_init__(self):
        if not isinstance(self.head, QLACIHead):
            raise InputError(f"head={self.head!r} is not allowed: a QLACIHead is needed")
        check_int("heads", self.heads, 1)
        if self.d_model is None:
            object.__setattr__(self, "d_model", self.heads * self.head.query.d_q)
        if self.d_ff is None:
            object.__setattr__(self, "d_ff", 4 * self.d_model)
        check_int("d_model", self.d_model, 1)
        check_int("d_ff", self.d_ff, 1)
        check_int("bytes_per_value", self.bytes_per_value, 1)
        _ = self.classical_flops()  # validates that heads divides d_model

    @property
    def query(self) -> QLACIQuery:
        return self.head.query

    @property
    def widths(self) -> tuple:
        q = self.query
        return (q.d_q, q.d_k, q.d_v, q.d_ctx)

    def classical_flops(self) -> BlockCost:
        return hybrid_block_flops(
            self.head.queries,
            self.d_model,
            self.d_ff,
            self.heads,
            self.widths,
            self.head.runs_per_query,
        )

    def classical_memory_bytes(self) -> BlockCost:
        h = self.head
        return hybrid_block_memory_bytes(
            h.queries, self.d_model, self.d_ff, self.heads, self.widths, self.bytes_per_value
        )

    @property
    def bounds(self) -> frozenset:
        return self.head.bounds

    @property
    def cost_notes(self) -> tuple[str, ...]:
        return tuple(self.head.cost_notes) + (
            f"block: {self.heads} QLACI head(s) in sequence; classical parts (d_model = "
            f"{self.d_model}, d_ff = {self.d_ff}) reported separately: "
            f"{self.classical_flops().total} FLOPs, {self.classical_memory_bytes().total} bytes",
        )

    @cached_property
    def signature(self) -> Signature:
        return Signature([])

    def build_composite_bloq(self, bb, **soqs):
        raise DecomposeTypeError(f"{self} is costed from its heads (call graph)")

    def build_call_graph(self, ssa):
        return {self.head: self.heads}

    def my_static_costs(self, cost_key):
        from qlaci_cost.core.depth import Depth, TDepth, ToffoliDepth

        if isinstance(cost_key, QubitCount):
            return get_cost_value(self.head, cost_key)  # heads reuse the processors
        if isinstance(cost_key, (Depth, ToffoliDepth, TDepth)):
            return self.heads * get_cost_value(self.head, cost_key)
        return NotImplemented

    def __str__(self):
        return f"HybridBlock({self.head}, heads={self.heads}, d_model={self.d_model})"


@bloq_example
def _hybrid_block_symb() -> HybridBlock:
    N = sympy.symbols("N", positive=True, integer=True)
    hybrid_block_symb = HybridBlock(QLACIHead(QLACIQuery(N)))
    return hybrid_block_symb


@bloq_example
def _hybrid_block() -> HybridBlock:
    hybrid_block = HybridBlock(QLACIHead(QLACIQuery(16)), heads=2)
    return hybrid_block


_HYBRID_BLOCK_DOC = BloqDocSpec(bloq_cls=HybridBlock, examples=(_hybrid_block_symb, _hybrid_block))
