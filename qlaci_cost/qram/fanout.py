"""The `fanout` QRAM: each address bit drives every switch of its tree level (GLM 2008)."""

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
    bloq_example,
)
from qualtran.drawing import Text
from qualtran.symbolics import SymbolicInt, is_symbolic, smax

from qlaci_cost.core.circuit_parts import static_costs
from qlaci_cost.qram.fanout_stages import (
    FanoutLeafQuery,
    FanoutMemory,
    FanoutRoute,
    FanoutSwitches,
    fanout_cnots,
)
from qlaci_cost.qram.interface import (
    QRAMInterface,
    address_bitsize,
    data_converter,
)

__all__ = [
    "FanoutLeafQuery",
    "FanoutMemory",
    "FanoutQRAM",
    "FanoutRoute",
    "FanoutSwitches",
    "fanout_cnots",
]


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
    Derived in docs/derivations/fanout.md.
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
    NOISE_RULE = "active-switches"

    @property
    def active_switches(self) -> SymbolicInt:
        """Switches entangled with the address in one query: all N - 1 (docs/design.md#noise)."""
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
        layers = smax(n_cells, bits)
        return static_costs(
            cost_key,
            qubits=n_cells * bits + 2 * n_cells - 1 + n + bits,
            depth=layers + 2 * n + 4,
            toffoli_layers=layers + 2 * n - 2,
        )

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
