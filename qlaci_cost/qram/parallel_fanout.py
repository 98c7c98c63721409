"""Address fan-out stages of the parallel bucket brigade: transversal CNOTs, copy trees."""

from functools import cached_property

import attrs
import numpy as np
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
    ceil_log2,
    copy_slice,
    dagger,
    doubling_rounds,
    require_concrete,
    soqs,
)

__all__ = ["AddressFanout", "CopyTree", "TransversalCNOT"]


@frozen
class TransversalCNOT(ParallelStage):
    """target[i] ^= ctrl[i] for i < width: one layer of CNOTs.

    Registers:
        ctrl: width qubits. target: width qubits.

    ## Cost
    Clifford = width, depth 1, qubits 2 width. Exact.
    """

    width: SymbolicInt

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("ctrl", QAny(self.width)), Register("target", QAny(self.width))])

    def build_composite_bloq(self, bb: BloqBuilder, ctrl, target):
        require_concrete(self.width)
        cs, ts = bb.split(ctrl), bb.split(target)
        for i in range(self.width):
            cs[i], ts[i] = bb.add(CNOT(), ctrl=cs[i], target=ts[i])
        return {"ctrl": bb.join(cs), "target": bb.join(ts)}

    def build_call_graph(self, ssa):
        return {CNOT(): self.width}

    def _closed_forms(self):
        return 2 * self.width, 1, 0

    def adjoint(self) -> "TransversalCNOT":
        return self


@frozen
class CopyTree(ParallelStage):
    """Copy a width-w register into n_copies - 1 fresh registers with a CNOT doubling tree.

    Copy 0 is `src`; round r (r = 1 .. ceil(log2 m)) copies i -> i + 2^(r-1) for every
    i < 2^(r-1) whose destination exists, as one CNOT (w = 1) or `TransversalCNOT(w)`.

    Args:
        n_copies: m >= 1, copies including the source. width: w.
        uncompute: the reversed circuit (copies -> |0>).

    Registers:
        src: w qubits. copies: m - 1 registers of w qubits.

    ## Cost
    Clifford = (m - 1) w, depth ceil(log2 m), qubits m w. Exact.
    """

    n_copies: SymbolicInt
    width: SymbolicInt = 1
    uncompute: bool = False

    @cached_property
    def signature(self) -> Signature:
        dtype = QBit() if self.width == 1 else QAny(self.width)
        return Signature(
            [Register("src", dtype), Register("copies", dtype, shape=(self.n_copies - 1,))]
        )

    def build_composite_bloq(self, bb: BloqBuilder, src, copies):
        require_concrete(self.n_copies, self.width)
        regs = [src] + list(copies)
        gate = CNOT() if self.width == 1 else TransversalCNOT(self.width)
        pairs = doubling_rounds(self.n_copies)
        for c, t in pairs[::-1] if self.uncompute else pairs:
            regs[c], regs[t] = bb.add(gate, ctrl=regs[c], target=regs[t])
        return {"src": regs[0], "copies": soqs(regs[1:])}

    def build_call_graph(self, ssa):
        if self.width == 1:
            return {CNOT(): self.n_copies - 1}
        return {TransversalCNOT(self.width): self.n_copies - 1}

    def _closed_forms(self):
        return self.n_copies * self.width, ceil_log2(self.n_copies), 0

    def adjoint(self) -> "CopyTree":
        return attrs.evolve(self, uncompute=not self.uncompute)

    def __str__(self):
        return f"CopyTree{dagger(self.uncompute)}(m={self.n_copies}, w={self.width})"


@frozen
class AddressFanout(ParallelStage):
    """Copy address bit a_k into 2^k copies for k = 1 .. n-1 (`CopyTree` each, in parallel).

    Args:
        n_cells: N = 2^n. uncompute: the reversed circuit (copies -> |0>).

    Registers:
        address: n qubits. copies: N - n - 1 qubits, |0> <-> copies of a_1 .. a_(n-1).

    ## Cost
    Clifford = sum_(k=1)^(n-1) (2^k - 1) = N - n - 1 CNOTs, depth n - 1 (a_(n-1) needs n - 1
    rounds), qubits N - 1. Exact.
    """

    n_cells: SymbolicInt
    uncompute: bool = False

    @cached_property
    def signature(self) -> Signature:
        n = address_bitsize(self.n_cells)
        return Signature(
            [
                Register("address", QUInt(n)),
                Register("copies", QBit(), shape=(self.n_cells - n - 1,)),
            ]
        )

    def build_composite_bloq(self, bb: BloqBuilder, address, copies):
        require_concrete(self.n_cells)
        n = address_bitsize(self.n_cells)
        a, copies = bb.split(address), np.array(copies)
        for k in range(1, n):
            tree = CopyTree(2**k, 1, self.uncompute)
            a[k], copies[copy_slice(k)] = bb.add(tree, src=a[k], copies=copies[copy_slice(k)])
        return {"address": bb.join(a, dtype=QUInt(n)), "copies": copies}

    def build_call_graph(self, ssa):
        # sum_{k=1}^{n-1} (2^k - 1) = (2^n - 2) - (n - 1) CNOTs.
        return {CNOT(): self.n_cells - address_bitsize(self.n_cells) - 1}

    def _closed_forms(self):
        return self.n_cells - 1, address_bitsize(self.n_cells) - 1, 0

    def adjoint(self) -> "AddressFanout":
        return attrs.evolve(self, uncompute=not self.uncompute)

    def __str__(self):
        return f"AddressFanout{dagger(self.uncompute)}(N={self.n_cells})"


@bloq_example
def _transversal_cnot_symb() -> TransversalCNOT:
    w = sympy.symbols("w", positive=True, integer=True)
    transversal_cnot_symb = TransversalCNOT(w)
    return transversal_cnot_symb


@bloq_example
def _transversal_cnot() -> TransversalCNOT:
    transversal_cnot = TransversalCNOT(3)
    return transversal_cnot


@bloq_example
def _copy_tree_symb() -> CopyTree:
    m, w = sympy.symbols("m w", positive=True, integer=True)
    copy_tree_symb = CopyTree(m, w)
    return copy_tree_symb


@bloq_example
def _copy_tree() -> CopyTree:
    copy_tree = CopyTree(5, 2)
    return copy_tree


@bloq_example
def _address_fanout_symb() -> AddressFanout:
    N = sympy.symbols("N", positive=True, integer=True)
    address_fanout_symb = AddressFanout(N)
    return address_fanout_symb


@bloq_example
def _address_fanout() -> AddressFanout:
    address_fanout = AddressFanout(8)
    return address_fanout


_TRANSVERSAL_CNOT_DOC = BloqDocSpec(
    bloq_cls=TransversalCNOT, examples=(_transversal_cnot_symb, _transversal_cnot)
)
_COPY_TREE_DOC = BloqDocSpec(bloq_cls=CopyTree, examples=(_copy_tree_symb, _copy_tree))
_ADDRESS_FANOUT_DOC = BloqDocSpec(
    bloq_cls=AddressFanout, examples=(_address_fanout_symb, _address_fanout)
)
