"""Leaf stages of the parallel bucket brigade: And layers and the leaf products."""

from functools import cached_property

import attrs
import numpy as np
import sympy
from attrs import frozen
from qualtran import (
    BloqBuilder,
    BloqDocSpec,
    QAny,
    Register,
    Side,
    Signature,
    bloq_example,
)
from qualtran.bloqs.mcmt import And
from qualtran.symbolics import SymbolicInt

from qlaci_cost.qram.parallel_base import (
    ParallelStage,
    dagger,
    join_planes,
    require_concrete,
    soqs,
    split_planes,
)

__all__ = ["AndLayer", "LeafAnd"]


@frozen
class AndLayer(ParallelStage):
    """products[j] = And(flags[j], memory[j]) for every j, one layer; or, with
    `uncompute=True`, `And(uncompute=True)` (X measurement and a classically controlled CZ,
    no Toffoli) on every product.

    Registers:
        flags: N. memory: N. products [right; left if uncompute]: N.

    ## Cost
    Compute: Toffoli N, Toffoli depth 1. Uncompute: measurements N, Clifford N, Toffoli depth 0.
    Depth 1, qubits 3N. Exact.
    """

    n_cells: SymbolicInt
    uncompute: bool = False

    @cached_property
    def signature(self) -> Signature:
        side = Side.LEFT if self.uncompute else Side.RIGHT
        return Signature(
            [
                Register("flags", QAny(self.n_cells)),
                Register("memory", QAny(self.n_cells)),
                Register("products", QAny(self.n_cells), side=side),
            ]
        )

    def build_composite_bloq(self, bb: BloqBuilder, flags, memory, products=None):
        require_concrete(self.n_cells)
        f, m = bb.split(flags), bb.split(memory)
        p = bb.split(products) if self.uncompute else np.empty(self.n_cells, dtype=object)
        for j in range(self.n_cells):
            if self.uncompute:
                f[j], m[j] = bb.add(And(uncompute=True), ctrl=np.array([f[j], m[j]]), target=p[j])
            else:
                (f[j], m[j]), p[j] = bb.add(And(), ctrl=np.array([f[j], m[j]]))
        out = {"flags": bb.join(f), "memory": bb.join(m)}
        if not self.uncompute:
            out["products"] = bb.join(p)
        return out

    def build_call_graph(self, ssa):
        return {And(uncompute=self.uncompute): self.n_cells}

    def _closed_forms(self):
        return 3 * self.n_cells, 1, 0 if self.uncompute else 1

    def adjoint(self) -> "AndLayer":
        return attrs.evolve(self, uncompute=not self.uncompute)

    def __str__(self):
        return f"AndLayer{dagger(self.uncompute)}(N={self.n_cells})"


@frozen
class LeafAnd(ParallelStage):
    """All N b products flag_j AND memory_(j,t) at once: an `AndLayer` per bit plane t, on
    copy t of the flags. The products leave as one N b register, so Qualtran's sequential
    qubit count sees them all alive together, as they are in the parallel schedule.

    Args:
        n_cells: N. bits: b. uncompute: measure the products away.

    Registers:
        flags: N. leaf_copies: b - 1 registers of N. memory: N b.
        products [right; left if uncompute]: N b.

    ## Cost
    b `AndLayer`s: Toffoli N b (compute) or measurements N b and Clifford N b (uncompute);
    depth 1; Toffoli depth 1 (compute) or 0; qubits 3 N b. Exact.
    """

    n_cells: SymbolicInt
    bits: SymbolicInt
    uncompute: bool = False

    @cached_property
    def signature(self) -> Signature:
        big, nb = self.n_cells, self.n_cells * self.bits
        side = Side.LEFT if self.uncompute else Side.RIGHT
        return Signature(
            [
                Register("flags", QAny(big)),
                Register("leaf_copies", QAny(big), shape=(self.bits - 1,)),
                Register("memory", QAny(nb)),
                Register("products", QAny(nb), side=side),
            ]
        )

    def build_composite_bloq(self, bb: BloqBuilder, flags, leaf_copies, memory, products=None):
        require_concrete(self.n_cells, self.bits)
        big, b = self.n_cells, self.bits
        ctrl = [flags] + list(leaf_copies)
        mem = split_planes(bb, memory, big, b)
        prod = split_planes(bb, products, big, b) if self.uncompute else [None] * b
        layer = AndLayer(self.n_cells, self.uncompute)
        for t in range(self.bits):
            if self.uncompute:
                ctrl[t], mem[t] = bb.add(layer, flags=ctrl[t], memory=mem[t], products=prod[t])
            else:
                ctrl[t], mem[t], prod[t] = bb.add(layer, flags=ctrl[t], memory=mem[t])
        out = {
            "flags": ctrl[0],
            "leaf_copies": soqs(ctrl[1:]),
            "memory": join_planes(bb, mem, big, b),
        }
        if not self.uncompute:
            out["products"] = join_planes(bb, prod, big, b)
        return out

    def build_call_graph(self, ssa):
        return {AndLayer(self.n_cells, self.uncompute): self.bits}

    def _closed_forms(self):
        return 3 * self.n_cells * self.bits, 1, 0 if self.uncompute else 1

    def adjoint(self) -> "LeafAnd":
        return attrs.evolve(self, uncompute=not self.uncompute)

    def __str__(self):
        return f"LeafAnd{dagger(self.uncompute)}(N={self.n_cells}, b={self.bits})"


@bloq_example
def _and_layer_symb() -> AndLayer:
    N = sympy.symbols("N", positive=True, integer=True)
    and_layer_symb = AndLayer(N)
    return and_layer_symb


@bloq_example
def _and_layer() -> AndLayer:
    and_layer = AndLayer(4)
    return and_layer


@bloq_example
def _leaf_and_symb() -> LeafAnd:
    N, b = sympy.symbols("N b", positive=True, integer=True)
    leaf_and_symb = LeafAnd(N, b)
    return leaf_and_symb


@bloq_example
def _leaf_and() -> LeafAnd:
    leaf_and = LeafAnd(4, 2)
    return leaf_and


_AND_LAYER_DOC = BloqDocSpec(bloq_cls=AndLayer, examples=(_and_layer_symb, _and_layer))
_LEAF_AND_DOC = BloqDocSpec(bloq_cls=LeafAnd, examples=(_leaf_and_symb, _leaf_and))
