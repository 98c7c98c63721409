"""Parity stages of the parallel bucket brigade: the XOR trees into the target."""

from functools import cached_property

import sympy
from attrs import frozen
from qualtran import (
    BloqBuilder,
    BloqDocSpec,
    QAny,
    QBit,
    QUInt,
    Register,
    Signature,
    bloq_example,
)
from qualtran.bloqs.basic_gates import CNOT
from qualtran.symbolics import SymbolicInt

from qlaci_cost.qram.interface import (
    address_bitsize,
)
from qlaci_cost.qram.parallel_base import (
    ParallelStage,
    join_planes,
    require_concrete,
    split_planes,
)

__all__ = ["ParityAccumulate", "ParityTree"]


@frozen
class ParityTree(ParallelStage):
    """target ^= XOR_j products[j] with an in-place CNOT tree, undone afterwards.

    Rounds r = 1 .. n apply p_j ^= p_(j + 2^(r-1)) for j = 0 mod 2^r (p_0 ends with the
    parity), one CNOT p_0 -> target, then rounds n .. 1 again, which restores every product.
    Its own inverse.

    Registers:
        products: N qubits. target: 1 qubit.

    ## Cost
    Clifford = 2 (N - 1) + 1 = 2N - 1 CNOTs, depth 2n + 1, qubits N + 1. Exact.
    """

    n_cells: SymbolicInt

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("products", QAny(self.n_cells)), Register("target", QBit())])

    def build_composite_bloq(self, bb: BloqBuilder, products, target):
        require_concrete(self.n_cells)
        p = bb.split(products)
        tree, half = [], 1
        while half < self.n_cells:
            tree += [(j + half, j) for j in range(0, self.n_cells, 2 * half)]
            half *= 2
        for c, t in tree:
            p[c], p[t] = bb.add(CNOT(), ctrl=p[c], target=p[t])
        p[0], target = bb.add(CNOT(), ctrl=p[0], target=target)
        for c, t in tree[::-1]:
            p[c], p[t] = bb.add(CNOT(), ctrl=p[c], target=p[t])
        return {"products": bb.join(p), "target": target}

    def build_call_graph(self, ssa):
        # N - 1 CNOTs up the tree, 1 into the target, N - 1 to undo the tree.
        return {CNOT(): 2 * self.n_cells - 1}

    def _closed_forms(self):
        return self.n_cells + 1, 2 * address_bitsize(self.n_cells) + 1, 0

    def adjoint(self) -> "ParityTree":
        return self


@frozen
class ParityAccumulate(ParallelStage):
    """target[t] ^= parity of bit plane t of the products, a `ParityTree` per t in parallel.

    Registers:
        products: N b qubits. target: b qubits.

    ## Cost
    Clifford = b (2N - 1), depth 2n + 1, qubits N b + b. Exact.
    """

    n_cells: SymbolicInt
    bits: SymbolicInt

    @cached_property
    def signature(self) -> Signature:
        return Signature(
            [
                Register("products", QAny(self.n_cells * self.bits)),
                Register("target", QUInt(self.bits)),
            ]
        )

    def build_composite_bloq(self, bb: BloqBuilder, products, target):
        require_concrete(self.n_cells, self.bits)
        p = split_planes(bb, products, self.n_cells, self.bits)
        tgt = bb.split(target)
        for t in range(self.bits):
            p[t], tgt[t] = bb.add(ParityTree(self.n_cells), products=p[t], target=tgt[t])
        return {
            "products": join_planes(bb, p, self.n_cells, self.bits),
            "target": bb.join(tgt, dtype=QUInt(self.bits)),
        }

    def build_call_graph(self, ssa):
        return {ParityTree(self.n_cells): self.bits}

    def _closed_forms(self):
        n = address_bitsize(self.n_cells)
        return (self.n_cells + 1) * self.bits, 2 * n + 1, 0

    def adjoint(self) -> "ParityAccumulate":
        return self


@bloq_example
def _parity_tree_symb() -> ParityTree:
    N = sympy.symbols("N", positive=True, integer=True)
    parity_tree_symb = ParityTree(N)
    return parity_tree_symb


@bloq_example
def _parity_tree() -> ParityTree:
    parity_tree = ParityTree(4)
    return parity_tree


@bloq_example
def _parity_accumulate_symb() -> ParityAccumulate:
    N, b = sympy.symbols("N b", positive=True, integer=True)
    parity_accumulate_symb = ParityAccumulate(N, b)
    return parity_accumulate_symb


@bloq_example
def _parity_accumulate() -> ParityAccumulate:
    parity_accumulate = ParityAccumulate(4, 2)
    return parity_accumulate


_PARITY_TREE_DOC = BloqDocSpec(bloq_cls=ParityTree, examples=(_parity_tree_symb, _parity_tree))
_PARITY_ACCUMULATE_DOC = BloqDocSpec(
    bloq_cls=ParityAccumulate, examples=(_parity_accumulate_symb, _parity_accumulate)
)
