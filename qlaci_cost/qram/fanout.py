"""The `fanout` QRAM: each address bit drives every switch of its tree level (GLM 2008)."""

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
    QUInt,
    Register,
    Side,
    Signature,
    bloq_example,
)
from qualtran.bloqs.basic_gates import CNOT, Toffoli, TwoBitCSwap, XGate
from qualtran.drawing import Text
from qualtran.symbolics import SymbolicInt, is_symbolic, smax

from ..depth import static_depth
from .interface import (
    QRAMInterface,
    address_bitsize,
    data_converter,
)

__all__ = ["FanoutLeafQuery", "FanoutMemory", "FanoutQRAM", "FanoutRoute", "FanoutSwitches"]


def _qubit_count(cost_key) -> bool:
    from qualtran.resource_counting import QubitCount

    return isinstance(cost_key, QubitCount)


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


@frozen
class FanoutMemory(Bloq):
    """Writes the classical data into the memory qubits with X gates (self-inverse: clears too).

    Args:
        n_cells: N, a power of two >= 2, or a symbol.
        bits: b, bits per word.
        data: N words, or None for the worst case (every bit 1).

    Registers:
        memory: N x b qubits; memory[j, t] is bit t (0 = most significant) of data[j].

    ## Cost
    Exact: X gates = popcount(data) (worst case N b); depth = 1 (0 for all-zero data);
    qubits = N b.
    """

    n_cells: SymbolicInt
    bits: SymbolicInt
    data: tuple[int, ...] | None = attrs.field(default=None, converter=data_converter)

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("memory", QBit(), shape=(self.n_cells, self.bits))])

    @cached_property
    def ones(self) -> SymbolicInt:
        if self.data is None:
            return self.n_cells * self.bits  # worst case: every bit 1
        return sum(bin(w).count("1") for w in self.data)

    def build_composite_bloq(self, bb: BloqBuilder, memory):
        if self.data is None or is_symbolic(self.n_cells, self.bits):
            raise DecomposeTypeError(f"{self} needs concrete data to decompose")
        for j, word in enumerate(self.data):
            for t in range(self.bits):
                if _bit(word, self.bits, t):
                    memory[j, t] = bb.add(XGate(), q=memory[j, t])
        return {"memory": memory}

    def build_call_graph(self, ssa):
        return _nonzero({XGate(): self.ones})

    def my_static_costs(self, cost_key):
        if _qubit_count(cost_key):
            return self.n_cells * self.bits
        layers = 1 if is_symbolic(self.ones) or self.ones > 0 else 0
        return static_depth(cost_key, depth=layers, toffoli_depth=0)

    def adjoint(self) -> "FanoutMemory":
        return self

    def wire_symbol(self, reg, idx=tuple()):
        return Text("memory") if reg is None else super().wire_symbol(reg, idx)

    def __str__(self):
        return f"FanoutMemory(N={self.n_cells}, b={self.bits})"


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
        if _qubit_count(cost_key):
            return n + self.n_cells - 1
        return static_depth(cost_key, depth=n, toffoli_depth=0)

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
        if _qubit_count(cost_key):
            return 2 * self.n_cells - 1
        return static_depth(cost_key, depth=n + 1, toffoli_depth=n - 1)

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
        if _qubit_count(cost_key):
            return n + n * b + b
        return static_depth(cost_key, depth=smax(n, b), toffoli_depth=smax(n, b))

    def adjoint(self) -> "FanoutLeafQuery":
        return self

    def wire_symbol(self, reg, idx=tuple()):
        return Text("leaf query") if reg is None else super().wire_symbol(reg, idx)

    def __str__(self):
        return f"FanoutLeafQuery(N={self.n_cells}, b={self.bits})"


@frozen
class FanoutQRAM(QRAMInterface, Bloq):
    """Fan-out QRAM: address bit k drives all 2**k switches of level k of a binary tree.

    The conventional (fan-out) RAM architecture as a reversible circuit. In one query every
    one of the N - 1 switches is set from the address and so entangled with it (bucket
    brigade: log2 N along the addressed path), which is why its infidelity grows ~ eps N
    rather than ~ eps polylog N. The circuit, in five stages (each its own bloq):

    1. `FanoutMemory`: write the data into N b memory qubits with X gates.
    2. `FanoutSwitches`: copy address bit k into the 2**k switches of level k (CNOT doubling
       tree; a serial fan-out would have the same counts and depth ~ N/2 instead of log2 N).
    3. `FanoutRoute`: route a bus flag from the root to leaf j (Clifford root step, then one
       TwoBitCSwap per lower switch).
    4. `FanoutLeafQuery`: Toffoli(flag_j, memory[j, t] -> target_t) for all j, t.
    5. Route the flag back, un-set the switches, clear the memory (adjoints of 3, 2, 1).

    Gate counts and qubits do not depend on the data except the X gates of stage 1; with
    `data=None` every count is the worst case (every data bit 1), attained by
    `worst_case_data`. Qubits and depths are data-independent and given in closed form for any
    data.

    Args:
        n_cells: N, a power of two >= 2, or a symbol.
        bits: b, bits per word.
        data: N words, or None for a size-only model.

    Registers:
        address: log2 N qubits.
        target: b qubits, XORed with data[address].

    References:
        [Architectures for a quantum random access memory](https://arxiv.org/abs/0807.4994).
        Giovannetti, Lloyd, Maccone 2008 (PRA 78, 052310). The conventional fan-out
        architecture, contrasted with the bucket brigade: O(N) switches activated per call.
        [Quantum random access memory](https://arxiv.org/abs/0708.1879). Giovannetti, Lloyd,
        Maccone 2008 (PRL 100, 160501). Fan-out RAM: the N switches thrown per memory call.
        [Resilience of quantum random access memory to generic noise](
        https://arxiv.org/abs/2012.05340). Hann, Lee, Girvin, Jiang 2021 (PRX Quantum 2,
        020311). Infidelity ~ eps N for circuits that entangle all switches.
        No Clifford+T cost of the fan-out circuit is published: the formulas below are derived
        from this circuit.

    ## Cost
    With n = log2 N and M = max(N, b); exact (checked against the decomposition and Cirq):

    - qubits = N b + 2N - 1 + n + b: memory N b, switches N - 1, bus flags N, address, target.
      Exact peak of the as-soon-as-possible schedule (every qubit is live in the first leaf
      layer) and of Qualtran's qubit rule applied stage by stage. Listed in `BOUNDS` because
      that rule applied to the fully flattened circuit runs gates one at a time, allocating
      as late and freeing as early as possible, and so interleaves the leaf Toffolis with
      clearing memory and routing back: it finds fewer (an upper bound for that rule).
    - Toffoli-class = N b + 2N - 4: N b leaf Toffolis, N - 2 TwoBitCSwaps each way.
    - Clifford = 2 N b + 2N + 4 (worst case; 2 popcount(data) + 2N + 4 in general): X to write
      and clear memory, N - 1 CNOTs each way for the fan-out, 3 for each root step.
    - measurements = 0; rotations = 0; T count = T-per-Toffoli x Toffoli-class.
    - Toffoli depth = M + 2n - 2; T depth = T-depth-per-Toffoli x Toffoli depth.
    - depth = M + 2n + 4.

    Depth of the as-soon-as-possible schedule: switch (k, i) is set by time k + 1; the root
    switch at 1, so the root step (CNOT; X, CNOT) ends at 3 and the CSWAPs of level k at
    k + 3: all N flags are ready at n + 2. The leaf layer l(j, t) then runs at n + 3 + l, since
    the qubit of max(N, b) degree (target bit, or flag when b > N) carries a gate in every
    layer: done at n + 2 + M. Leaf N - 1 is busy in the last layer, so its path back through
    n - 1 CSWAP levels, the root step (CNOT to the right child, CNOT to the left) and the final
    CNOT clearing the root switch ends at n + 2 + M + (n - 1) + 2 + 1. Every other path is no
    longer: level k >= 1 switches are cleared k + 1 steps after their level is routed back.
    Toffoli depth: n - 1 CSWAP levels, M leaf layers, n - 1 levels back.
    """

    n_cells: SymbolicInt
    bits: SymbolicInt
    data: tuple[int, ...] | None = attrs.field(default=None, converter=data_converter)

    BOUNDS = frozenset({"qubits"})

    @property
    def active_switches(self) -> SymbolicInt:
        """Switches entangled with the address in one query: all N - 1 (DESIGN.md 4.5)."""
        return self.n_cells - 1

    @property
    def bucket_brigade_active_switches(self) -> SymbolicInt:
        """The same for a bucket brigade of N cells: the log2 N routers on the path."""
        return address_bitsize(self.n_cells)

    def build_composite_bloq(self, bb: BloqBuilder, address, target):
        if self.data is None or is_symbolic(self.n_cells, self.bits):
            raise DecomposeTypeError(f"{self} needs concrete data and sizes to decompose")
        n_cells, bits = self.n_cells, self.bits
        a, t = bb.split(address), bb.split(target)
        mem = np.array([[bb.allocate(dtype=QBit()) for _ in range(bits)] for _ in range(n_cells)])
        sw = np.array([bb.allocate(dtype=QBit()) for _ in range(n_cells - 1)])
        memory = FanoutMemory(n_cells, bits, self.data)
        mem = bb.add(memory, memory=mem)
        a, sw = bb.add(FanoutSwitches(n_cells), address=a, switches=sw)
        sw, leaves = bb.add(FanoutRoute(n_cells), switches=sw)
        leaves, mem, t = bb.add(FanoutLeafQuery(n_cells, bits), leaves=leaves, memory=mem, target=t)
        sw = bb.add(FanoutRoute(n_cells, uncompute=True), switches=sw, leaves=leaves)
        a, sw = bb.add(FanoutSwitches(n_cells, uncompute=True), address=a, switches=sw)
        mem = bb.add(memory, memory=mem)
        for q in list(mem.ravel()) + list(sw):
            bb.free(q)
        n = address_bitsize(n_cells)
        return {"address": bb.join(a, dtype=QUInt(n)), "target": bb.join(t, dtype=QUInt(bits))}

    def build_call_graph(self, ssa):
        if self.data is not None:
            return super().build_call_graph(ssa)
        n_cells, bits = self.n_cells, self.bits
        # Memory written and cleared: 2 x N b X gates (worst case).
        # Fan-out and its adjoint: 2 x (N - 1) CNOTs.
        # Routing and its adjoint: 2 x (N - 2) TwoBitCSwaps + 2 x 3 Cliffords (root steps).
        # Leaf query: N b Toffolis.
        return {
            FanoutMemory(n_cells, bits): 2,
            FanoutSwitches(n_cells): 1,
            FanoutSwitches(n_cells, uncompute=True): 1,
            FanoutRoute(n_cells): 1,
            FanoutRoute(n_cells, uncompute=True): 1,
            FanoutLeafQuery(n_cells, bits): 1,
        }

    def my_static_costs(self, cost_key):
        # Qubits and depths do not depend on the data (memory X gates are never on a longest
        # path), so the closed forms hold for concrete data too.
        n_cells, bits = self.n_cells, self.bits
        n = address_bitsize(n_cells)
        if _qubit_count(cost_key):
            return n_cells * bits + 2 * n_cells - 1 + n + bits
        layers = smax(n_cells, bits)
        return static_depth(cost_key, depth=layers + 2 * n + 4, toffoli_depth=layers + 2 * n - 2)

    def wire_symbol(self, reg, idx=tuple()):
        return Text("fan-out QRAM") if reg is None else super().wire_symbol(reg, idx)

    def __str__(self):
        return f"FanoutQRAM(N={self.n_cells}, b={self.bits})"


@bloq_example
def _fanout_qram_symb() -> FanoutQRAM:
    N, b = sympy.symbols("N b", positive=True, integer=True)
    fanout_qram_symb = FanoutQRAM(N, b)
    return fanout_qram_symb


@bloq_example
def _fanout_qram() -> FanoutQRAM:
    fanout_qram = FanoutQRAM(4, 2, data=(1, 3, 0, 2))
    return fanout_qram


_FANOUT_QRAM_DOC = BloqDocSpec(bloq_cls=FanoutQRAM, examples=(_fanout_qram_symb, _fanout_qram))
