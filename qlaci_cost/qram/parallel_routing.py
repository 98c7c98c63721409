"""Router stages of the parallel bucket brigade: root, one level, the whole tree."""

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
from qualtran.bloqs.basic_gates import CNOT, TwoBitCSwap, XGate
from qualtran.symbolics import SymbolicInt

from qlaci_cost.qram.interface import (
    address_bitsize,
)
from qlaci_cost.qram.parallel_base import (
    ParallelStage,
    copy_slice,
    dagger,
    require_concrete,
)
from qlaci_cost.qram.parallel_fanout import AddressFanout

__all__ = ["RouterLevel", "RouterRoot", "ParallelRouterTree"]


@frozen
class RouterRoot(ParallelStage):
    """Level 0 -> 1 of the router tree by Cliffords: flags[N/2] = a_0, flags[0] = NOT a_0.

    X on flags[0] and CNOT a_0 -> flags[N/2] (one layer), then CNOT flags[N/2] -> flags[0].

    Registers:
        a0: the address' most significant bit. flags: N qubits, |0> on input.

    ## Cost
    Clifford 3, depth 2, qubits N + 1. Exact.
    """

    n_cells: SymbolicInt
    uncompute: bool = False

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("a0", QBit()), Register("flags", QAny(self.n_cells))])

    def build_composite_bloq(self, bb: BloqBuilder, a0, flags):
        require_concrete(self.n_cells)
        f, half = bb.split(flags), self.n_cells // 2
        ops = ["x", "copy", "not"]
        for op in ops[::-1] if self.uncompute else ops:
            if op == "x":
                f[0] = bb.add(XGate(), q=f[0])
            elif op == "copy":
                a0, f[half] = bb.add(CNOT(), ctrl=a0, target=f[half])
            else:
                f[half], f[0] = bb.add(CNOT(), ctrl=f[half], target=f[0])
        return {"a0": a0, "flags": bb.join(f)}

    def build_call_graph(self, ssa):
        return {XGate(): 1, CNOT(): 2}

    def _closed_forms(self):
        return self.n_cells + 1, 2, 0

    def adjoint(self) -> "RouterRoot":
        return attrs.evolve(self, uncompute=not self.uncompute)

    def __str__(self):
        return f"RouterRoot{dagger(self.uncompute)}(N={self.n_cells})"


@frozen
class RouterLevel(ParallelStage):
    """Level k -> k + 1 of the router tree: 2^k CSWAPs on distinct qubits, one layer.

    Node i of level k lives on flags[i 2^(n-k)]; `TwoBitCSwap` controlled on ctrls[i] (copy i
    of a_k) swaps it with its fresh right child flags[(2i + 1) 2^(n-k-1)]. Its own inverse.

    Args:
        n_cells: N = 2^n. level: k, 1 <= k <= n - 1.

    Registers:
        ctrls: 2^k copies of a_k. flags: N qubits.

    ## Cost
    Toffoli 2^k, Toffoli depth 1, depth 1, qubits N + 2^k. Exact.
    """

    n_cells: SymbolicInt
    level: SymbolicInt

    @cached_property
    def signature(self) -> Signature:
        return Signature(
            [
                Register("ctrls", QBit(), shape=(2**self.level,)),
                Register("flags", QAny(self.n_cells)),
            ]
        )

    def build_composite_bloq(self, bb: BloqBuilder, ctrls, flags):
        require_concrete(self.n_cells, self.level)
        n, k = address_bitsize(self.n_cells), self.level
        f, ctrls = bb.split(flags), np.array(ctrls)
        for i in range(2**k):
            x, y = i << (n - k), (2 * i + 1) << (n - k - 1)
            ctrls[i], f[x], f[y] = bb.add(TwoBitCSwap(), ctrl=ctrls[i], x=f[x], y=f[y])
        return {"ctrls": ctrls, "flags": bb.join(f)}

    def build_call_graph(self, ssa):
        return {TwoBitCSwap(): 2**self.level}

    def _closed_forms(self):
        return self.n_cells + 2**self.level, 1, 1

    def adjoint(self) -> "RouterLevel":
        return self


@frozen
class ParallelRouterTree(ParallelStage):
    """The bucket-brigade router tree as a one-hot flag register: flags[j] = [address == j].

    `RouterRoot`, then `RouterLevel` k = 1 .. n-1, whose CSWAPs take their controls from
    distinct copies of a_k (`AddressFanout`): one Toffoli layer per level.

    Args:
        n_cells: N = 2^n. uncompute: the reversed circuit (flags -> |0>).

    Registers:
        address: n qubits. copies: N - n - 1 address copies. flags: N qubits.

    ## Cost
    Toffoli = sum_(k=1)^(n-1) 2^k = N - 2 CSWAPs, Clifford 3, Toffoli depth n - 1,
    depth n + 1, qubits 2N - 1. Exact.
    """

    n_cells: SymbolicInt
    uncompute: bool = False

    @cached_property
    def signature(self) -> Signature:
        return Signature(
            [*AddressFanout(self.n_cells).signature, Register("flags", QAny(self.n_cells))]
        )

    def build_composite_bloq(self, bb: BloqBuilder, address, copies, flags):
        require_concrete(self.n_cells)
        n = address_bitsize(self.n_cells)
        a, copies = bb.split(address), np.array(copies)
        steps = list(range(n))  # 0: the root, k >= 1: level k
        for k in steps[::-1] if self.uncompute else steps:
            if k == 0:
                root = RouterRoot(self.n_cells, self.uncompute)
                a[0], flags = bb.add(root, a0=a[0], flags=flags)
                continue
            ctrls = np.array([a[k], *copies[copy_slice(k)]])
            ctrls, flags = bb.add(RouterLevel(self.n_cells, k), ctrls=ctrls, flags=flags)
            a[k], copies[copy_slice(k)] = ctrls[0], ctrls[1:]
        return {"address": bb.join(a, dtype=QUInt(n)), "copies": copies, "flags": flags}

    def build_call_graph(self, ssa):
        # Levels 1 .. n-1: N - 2 CSWAPs; the root: an X and 2 CNOTs.
        return {TwoBitCSwap(): self.n_cells - 2, XGate(): 1, CNOT(): 2}

    def _closed_forms(self):
        n = address_bitsize(self.n_cells)
        return 2 * self.n_cells - 1, n + 1, n - 1

    def adjoint(self) -> "ParallelRouterTree":
        return attrs.evolve(self, uncompute=not self.uncompute)

    def __str__(self):
        return f"ParallelRouterTree{dagger(self.uncompute)}(N={self.n_cells})"


@bloq_example
def _router_root_symb() -> RouterRoot:
    N = sympy.symbols("N", positive=True, integer=True)
    router_root_symb = RouterRoot(N)
    return router_root_symb


@bloq_example
def _router_root() -> RouterRoot:
    router_root = RouterRoot(4)
    return router_root


@bloq_example
def _router_level_symb() -> RouterLevel:
    N, k = sympy.symbols("N k", positive=True, integer=True)
    router_level_symb = RouterLevel(N, k)
    return router_level_symb


@bloq_example
def _router_level() -> RouterLevel:
    router_level = RouterLevel(8, 2)
    return router_level


@bloq_example
def _parallel_router_tree_symb() -> ParallelRouterTree:
    N = sympy.symbols("N", positive=True, integer=True)
    parallel_router_tree_symb = ParallelRouterTree(N)
    return parallel_router_tree_symb


@bloq_example
def _parallel_router_tree() -> ParallelRouterTree:
    parallel_router_tree = ParallelRouterTree(8)
    return parallel_router_tree


_ROUTER_ROOT_DOC = BloqDocSpec(bloq_cls=RouterRoot, examples=(_router_root_symb, _router_root))
_ROUTER_LEVEL_DOC = BloqDocSpec(bloq_cls=RouterLevel, examples=(_router_level_symb, _router_level))
_PARALLEL_ROUTER_TREE_DOC = BloqDocSpec(
    bloq_cls=ParallelRouterTree, examples=(_parallel_router_tree_symb, _parallel_router_tree)
)
