"""Stage bloqs of the `fanout` QRAM (`fanout.FanoutQRAM`)."""

from functools import cached_property

import attrs
import numpy as np
import sympy
from attrs import frozen
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    DecomposeTypeError,
    QBit,
    Register,
    Side,
    Signature,
    bloq_example,
)
from qualtran.bloqs.basic_gates import CNOT, Toffoli, TwoBitCSwap, XGate
from qualtran.drawing import Text
from qualtran.symbolics import SymbolicInt, is_symbolic, smax

from qlaci_cost.core.circuit_parts import static_costs
from qlaci_cost.qram.bucket_brigade import MemoryWrite
from qlaci_cost.qram.interface import (
    address_bitsize,
)

__all__ = ["FanoutLeafQuery", "FanoutMemory", "FanoutRoute", "FanoutSwitches", "fanout_cnots"]


def _nonzero(counts: dict) -> dict:
    """Drop zero entries of a concrete call graph (symbolic counts are kept)."""
    return {k: v for k, v in counts.items() if is_symbolic(v) or v != 0}


def _bit(word: int, bits: int, t: int) -> int:
    """Bit of `word` on target qubit t (qubit 0 is the most significant, as in `QUInt`)."""
    return (word >> (bits - 1 - t)) & 1


def fanout_cnots(n: int) -> list[tuple[tuple[str, int], int]]:
    """The switch fan-out as (control, target switch) pairs, in circuit order.

    Switch of tree node (level k, index i) is `2**k - 1 + i` (heap order). Address qubit k
    (qubit 0 the most significant) sets switch (k, 0); then a doubling tree copies it: at step
    m = 1..k switch (k, i) for i in [2**(m-1), 2**m) copies switch (k, i - 2**(m-1)). Level k
    takes 2**k CNOTs and k + 1 steps. Controls are ('address', k) or ('switch', index).
    """
    pairs: list[tuple[tuple[str, int], int]] = []
    for k in range(n):
        base = 2**k - 1
        pairs.append((("address", k), base))
        for m in range(1, k + 1):
            for i in range(2 ** (m - 1), 2**m):
                pairs.append((("switch", base + i - 2 ** (m - 1)), base + i))
    return pairs


#: The memory write/clear stage is the bucket brigade's (same qubits, same X gates).
FanoutMemory = MemoryWrite


@frozen
class FanoutSwitches(Bloq):
    """Sets every switch of level k to address bit k (the fan-out), or un-sets them.

    Address qubit k drives the 2**k switches of level k through a CNOT doubling tree (see
    `fanout_cnots`): the same N - 1 CNOTs as driving them one after another, in depth k + 1
    instead of 2**k. Every switch ends up holding a copy of its address bit: all N - 1 are
    entangled with the address during a query.

    Args:
        n_cells: N, a power of two >= 2, or a symbol.
        uncompute: False sets the switches, True clears them (the gates in reverse order).

    Registers:
        address: log2 N qubits, qubit k drives tree level k (0 = root = most significant).
        switches: N - 1 qubits in heap order (level k occupies [2**k - 1, 2**(k+1) - 1)).

    ## Cost
    Exact: CNOT = N - 1; depth = log2 N (level k: k + 1 steps, levels in parallel);
    qubits = log2 N + N - 1.
    """

    n_cells: SymbolicInt
    uncompute: bool = False

    @cached_property
    def signature(self) -> Signature:
        n = address_bitsize(self.n_cells)
        return Signature(
            [
                Register("address", QBit(), shape=(n,)),
                Register("switches", QBit(), shape=(self.n_cells - 1,)),
            ]
        )

    def build_composite_bloq(self, bb: BloqBuilder, address, switches):
        if is_symbolic(self.n_cells):
            raise DecomposeTypeError(f"{self} needs a concrete size to decompose")
        a, s = list(address), list(switches)
        pairs = fanout_cnots(address_bitsize(self.n_cells))
        for (kind, c), tgt in reversed(pairs) if self.uncompute else pairs:
            src = a if kind == "address" else s
            src[c], s[tgt] = bb.add(CNOT(), ctrl=src[c], target=s[tgt])
        return {"address": np.array(a), "switches": np.array(s)}

    def build_call_graph(self, ssa):
        return {CNOT(): self.n_cells - 1}  # one CNOT per switch

    def my_static_costs(self, cost_key):
        n = address_bitsize(self.n_cells)
        qubits = n + self.n_cells - 1
        return static_costs(cost_key, qubits=qubits, depth=n, toffoli_layers=0)

    def adjoint(self) -> "FanoutSwitches":
        return attrs.evolve(self, uncompute=not self.uncompute)

    def wire_symbol(self, reg, idx=tuple()):
        return (
            Text("fan-out" + "†" * self.uncompute) if reg is None else super().wire_symbol(reg, idx)
        )

    def __str__(self):
        return f"FanoutSwitches(N={self.n_cells}{', uncompute' * self.uncompute})"


@frozen
class FanoutRoute(Bloq):
    """Routes a bus flag from the root to leaf j through the switches (or back).

    The root's flag is the constant 1, so the root step is Clifford: its children get
    left = NOT s_root, right = s_root (CNOT, X, CNOT). Below, the flag of node (k, i) becomes
    its left child's flag and a fresh |0> qubit its right child's; a TwoBitCSwap controlled by
    switch (k, i) moves the flag right when the switch is 1. After level log2 N - 1, leaf j's
    flag is 1 exactly when j is the address. Uncompute runs the gates in reverse and frees the
    N - 2 fresh qubits and the two root children in |0>.

    Args:
        n_cells: N, a power of two >= 2, or a symbol.
        uncompute: False routes the flag down (allocates `leaves`), True routes it back.

    Registers:
        switches: N - 1 switch qubits (heap order), as set by `FanoutSwitches`.
        leaves [right; left if uncompute]: N bus flags, one-hot at the address.

    ## Cost
    Exact: TwoBitCSwap = N - 2 (one per switch below the root); Clifford = 3 (CNOT, X, CNOT);
    Toffoli depth = log2 N - 1; depth = log2 N + 1 (root 2 layers, one layer per lower level);
    qubits = 2N - 1.
    """

    n_cells: SymbolicInt
    uncompute: bool = False

    @cached_property
    def signature(self) -> Signature:
        side = Side.LEFT if self.uncompute else Side.RIGHT
        return Signature(
            [
                Register("switches", QBit(), shape=(self.n_cells - 1,)),
                Register("leaves", QBit(), shape=(self.n_cells,), side=side),
            ]
        )

    def build_composite_bloq(self, bb: BloqBuilder, **soqs):
        if is_symbolic(self.n_cells):
            raise DecomposeTypeError(f"{self} needs a concrete size to decompose")
        n = address_bitsize(self.n_cells)
        s = list(soqs["switches"])
        if self.uncompute:
            flags = list(soqs["leaves"])
            for k in reversed(range(1, n)):
                parents = []
                for i in range(2**k):
                    w = 2**k - 1 + i
                    s[w], x, y = bb.add(
                        TwoBitCSwap(), ctrl=s[w], x=flags[2 * i], y=flags[2 * i + 1]
                    )
                    bb.free(y)
                    parents.append(x)
                flags = parents
            left, right = flags
            s[0], right = bb.add(CNOT(), ctrl=s[0], target=right)
            left = bb.add(XGate(), q=left)
            s[0], left = bb.add(CNOT(), ctrl=s[0], target=left)
            bb.free(left)
            bb.free(right)
            return {"switches": np.array(s)}
        left, right = bb.allocate(dtype=QBit()), bb.allocate(dtype=QBit())
        s[0], left = bb.add(CNOT(), ctrl=s[0], target=left)
        left = bb.add(XGate(), q=left)
        s[0], right = bb.add(CNOT(), ctrl=s[0], target=right)
        flags = [left, right]
        for k in range(1, n):
            children = []
            for i, flag in enumerate(flags):
                w = 2**k - 1 + i
                s[w], x, y = bb.add(TwoBitCSwap(), ctrl=s[w], x=flag, y=bb.allocate(dtype=QBit()))
                children += [x, y]
            flags = children
        return {"switches": np.array(s), "leaves": np.array(flags)}

    def build_call_graph(self, ssa):
        # N - 1 switches; the root's is used by the Clifford step (2 CNOTs, 1 X), the other
        # N - 2 each control one TwoBitCSwap.
        return _nonzero({TwoBitCSwap(): self.n_cells - 2, CNOT(): 2, XGate(): 1})

    def my_static_costs(self, cost_key):
        n = address_bitsize(self.n_cells)
        qubits = 2 * self.n_cells - 1
        return static_costs(cost_key, qubits=qubits, depth=n + 1, toffoli_layers=n - 1)

    def adjoint(self) -> "FanoutRoute":
        return attrs.evolve(self, uncompute=not self.uncompute)

    def wire_symbol(self, reg, idx=tuple()):
        return (
            Text("route" + "†" * self.uncompute) if reg is None else super().wire_symbol(reg, idx)
        )

    def __str__(self):
        return f"FanoutRoute(N={self.n_cells}{', uncompute' * self.uncompute})"


@frozen
class FanoutLeafQuery(Bloq):
    """At the leaves: Toffoli(flag_j, memory[j, t] -> target_t) for every cell j and bit t.

    Gates are placed in layers l(j, t) = (j + t) mod max(N, b): a proper edge colouring of the
    complete bipartite graph (leaves x target bits), so no qubit is used twice in a layer.

    Args:
        n_cells: N, a power of two >= 2, or a symbol.
        bits: b, bits per word.

    Registers:
        leaves: N bus flags (one-hot at the address).
        memory: N x b memory qubits.
        target: b qubits (0 = most significant), XORed with memory[address].

    ## Cost
    Exact: Toffoli = N b; Toffoli depth = depth = max(N, b) (each target bit takes N Toffolis,
    each flag b, and the layering meets that bound); qubits = N + N b + b.
    """

    n_cells: SymbolicInt
    bits: SymbolicInt

    @cached_property
    def signature(self) -> Signature:
        n, b = self.n_cells, self.bits
        return Signature(
            [
                Register("leaves", QBit(), shape=(n,)),
                Register("memory", QBit(), shape=(n, b)),
                Register("target", QBit(), shape=(b,)),
            ]
        )

    def build_composite_bloq(self, bb: BloqBuilder, leaves, memory, target):
        if is_symbolic(self.n_cells, self.bits):
            raise DecomposeTypeError(f"{self} needs concrete sizes to decompose")
        n, b = self.n_cells, self.bits
        layers = max(n, b)
        for _, j, t in sorted(((j + t) % layers, j, t) for j in range(n) for t in range(b)):
            ctrl = np.array([leaves[j], memory[j, t]])
            ctrl, target[t] = bb.add(Toffoli(), ctrl=ctrl, target=target[t])
            leaves[j], memory[j, t] = ctrl
        return {"leaves": leaves, "memory": memory, "target": target}

    def build_call_graph(self, ssa):
        return {Toffoli(): self.n_cells * self.bits}  # one per (cell, bit)

    def my_static_costs(self, cost_key):
        n, b = self.n_cells, self.bits
        layers = smax(n, b)
        return static_costs(cost_key, qubits=n + n * b + b, depth=layers, toffoli_layers=layers)

    def adjoint(self) -> "FanoutLeafQuery":
        return self

    def wire_symbol(self, reg, idx=tuple()):
        return Text("leaf query") if reg is None else super().wire_symbol(reg, idx)

    def __str__(self):
        return f"FanoutLeafQuery(N={self.n_cells}, b={self.bits})"


@bloq_example
def _fanout_switches_symb() -> FanoutSwitches:
    N = sympy.symbols("N", positive=True, integer=True)
    fanout_switches_symb = FanoutSwitches(N)
    return fanout_switches_symb


@bloq_example
def _fanout_switches() -> FanoutSwitches:
    fanout_switches = FanoutSwitches(8)
    return fanout_switches


@bloq_example
def _fanout_route_symb() -> FanoutRoute:
    N = sympy.symbols("N", positive=True, integer=True)
    fanout_route_symb = FanoutRoute(N)
    return fanout_route_symb


@bloq_example
def _fanout_route() -> FanoutRoute:
    fanout_route = FanoutRoute(8)
    return fanout_route


@bloq_example
def _fanout_leaf_query_symb() -> FanoutLeafQuery:
    N, b = sympy.symbols("N b", positive=True, integer=True)
    fanout_leaf_query_symb = FanoutLeafQuery(N, b)
    return fanout_leaf_query_symb


@bloq_example
def _fanout_leaf_query() -> FanoutLeafQuery:
    fanout_leaf_query = FanoutLeafQuery(4, 2)
    return fanout_leaf_query


_FANOUT_SWITCHES_DOC = BloqDocSpec(
    bloq_cls=FanoutSwitches, examples=(_fanout_switches_symb, _fanout_switches)
)
_FANOUT_ROUTE_DOC = BloqDocSpec(bloq_cls=FanoutRoute, examples=(_fanout_route_symb, _fanout_route))
_FANOUT_LEAF_QUERY_DOC = BloqDocSpec(
    bloq_cls=FanoutLeafQuery, examples=(_fanout_leaf_query_symb, _fanout_leaf_query)
)
