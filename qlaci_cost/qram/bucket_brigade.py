"""The sequential bucket-brigade QRAM circuit: a CSWAP router tree, a leaf query, its uncompute."""

from functools import cached_property
from typing import Optional

import attrs
import numpy as np
import sympy
from attrs import frozen
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    DecomposeTypeError,
    QAny,
    QBit,
    QUInt,
    Register,
    Side,
    Signature,
    bloq_example,
)
from qualtran.bloqs.basic_gates import CNOT, Toffoli, TwoBitCSwap, XGate
from qualtran.drawing import Text, WireSymbol
from qualtran.symbolics import SymbolicInt, is_symbolic

from qlaci_cost.core.circuit_parts import static_costs
from qlaci_cost.qram.interface import (
    QRAMInterface,
    address_bitsize,
    check_sizes,
    data_converter,
)

__all__ = ["BucketBrigadeQRAM", "LeafQuery", "MemoryWrite", "RouterTree"]


def _half(n_cells: SymbolicInt) -> SymbolicInt:
    """N / 2, exact for a power of two N >= 2 (an int for int N)."""
    return n_cells / 2 if is_symbolic(n_cells) else n_cells // 2


def _word_bit(word: int, bits: int, t: int) -> int:
    """Bit t of a b-bit word, t = 0 the most significant (qualtran's big-endian split order)."""
    return (word >> (bits - 1 - t)) & 1


@frozen
class MemoryWrite(Bloq):
    """Write classical words into N x b memory qubits with one X gate per 1-bit (self-inverse).

    Args:
        n_cells: N, the number of words.
        bits: b, bits per word.
        data: N words, or None for the worst case (every bit 1).

    Registers:
        memory: N x b qubits; memory[j, t] is bit t of word j, t = 0 the most significant.

    ## Cost
    Clifford = number of 1-bits of `data` (worst case N b), depth 1 (0 for all-zero data),
    no Toffolis, N b qubits. Exact.
    """

    n_cells: SymbolicInt
    bits: SymbolicInt
    data: Optional[tuple[int, ...]] = attrs.field(default=None, converter=data_converter)

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("memory", QBit(), shape=(self.n_cells, self.bits))])

    @cached_property
    def n_ones(self) -> SymbolicInt:
        if self.data is None:
            return self.n_cells * self.bits
        return sum(bin(w).count("1") for w in self.data)

    def build_composite_bloq(self, bb: BloqBuilder, memory):
        if self.data is None or is_symbolic(self.n_cells, self.bits):
            raise DecomposeTypeError(f"{self} needs concrete data to decompose")
        for j, word in enumerate(self.data):
            for t in range(self.bits):
                if _word_bit(word, self.bits, t):
                    memory[j, t] = bb.add(XGate(), q=memory[j, t])
        return {"memory": memory}

    def build_call_graph(self, ssa):
        # One X per 1-bit.
        return {XGate(): self.n_ones} if self.n_ones != 0 else {}

    def my_static_costs(self, cost_key):
        # All X gates act on distinct qubits: one layer.
        return static_costs(
            cost_key,
            qubits=self.n_cells * self.bits,
            depth=1 if self.data is None else int(self.n_ones > 0),
            toffoli_layers=0,
        )

    def on_classical_vals(self, memory):
        words = np.array(
            [[_word_bit(w, self.bits, t) for t in range(self.bits)] for w in self.data]
        )
        return {"memory": np.asarray(memory) ^ words}

    def adjoint(self) -> "MemoryWrite":
        return self

    def __str__(self):
        return f"MemoryWrite(N={self.n_cells}, b={self.bits})"


@frozen
class RouterTree(Bloq):
    """Route a flag down a binary tree of CSWAP routers: a one-hot register over N leaves.

    Level 0 -> 1 uses Cliffords only: the pair (L, R) becomes (NOT a_0, a_0) by CNOT(a_0 -> R),
    X(L), CNOT(R -> L). Level k -> k + 1 (k = 1 .. n - 1): for each node i of level k (in order
    i = 0, 1, ...), a fresh |0> qubit is allocated as its right child and `TwoBitCSwap`
    controlled on a_k swaps the flag into it when a_k = 1 (node i's own qubit is the left child).
    Leaf j holds 1 iff address = j (a_0 the most significant bit, qualtran's big-endian order).

    With `uncompute=True` it is the adjoint: the CSWAPs from level n - 1 up to level 1, each level
    in ascending node order (CSWAPs of one level commute), freeing each right child, then the
    level-1 Cliffords in reverse. Ascending order lets the uncompute of the low leaves overlap
    the query of the high ones inside `BucketBrigadeQRAM`.

    Args:
        n_cells: N, a power of two >= 2, or a symbol.
        uncompute: False: allocate and route the leaves; True: unroute and free them.

    Registers:
        address: log2 N qubits.
        leaves: N qubits, one-hot ([right] when computing, [left] when uncomputing).

    References:
        [On the robustness of bucket brigade quantum RAM](https://arxiv.org/abs/1502.03450).
        Arunachalam, Gheorghiu, Jochym-O'Connor, Mosca, Srinivasan 2015. Fig. 9.

    ## Cost
    Exact, with n = log2 N, valid for every N >= 2: N - 2 CSWAPs (2^k at level k), 3 Cliffords,
    N + n qubits; Toffoli depth N/2 + n - 2 (level k's CSWAP on node i ends at layer k + i, the
    controls being shared within a level); depth N/2 + n (2 Clifford layers first).
    """

    n_cells: SymbolicInt
    uncompute: bool = False

    def __attrs_post_init__(self):
        check_sizes(self.n_cells, 1)

    @cached_property
    def signature(self) -> Signature:
        side = Side.LEFT if self.uncompute else Side.RIGHT
        return Signature(
            [
                Register("address", QUInt(address_bitsize(self.n_cells))),
                Register("leaves", QBit(), shape=(self.n_cells,), side=side),
            ]
        )

    def build_composite_bloq(self, bb: BloqBuilder, address, leaves=None):
        if is_symbolic(self.n_cells):
            raise DecomposeTypeError(f"{self} needs a concrete N to decompose")
        n = address_bitsize(self.n_cells)
        a = bb.split(address)
        if self.uncompute:
            nodes = list(leaves)
            for k in range(n - 1, 0, -1):
                parents = []
                for i in range(2**k):
                    a[k], left, right = bb.add(
                        TwoBitCSwap(), ctrl=a[k], x=nodes[2 * i], y=nodes[2 * i + 1]
                    )
                    bb.free(right)
                    parents.append(left)
                nodes = parents
            left, right = nodes
            right, left = bb.add(CNOT(), ctrl=right, target=left)
            left = bb.add(XGate(), q=left)
            a[0], right = bb.add(CNOT(), ctrl=a[0], target=right)
            bb.free(left)
            bb.free(right)
            return {"address": bb.join(a, dtype=QUInt(n))}
        left, right = bb.allocate(dtype=QBit()), bb.allocate(dtype=QBit())
        a[0], right = bb.add(CNOT(), ctrl=a[0], target=right)
        left = bb.add(XGate(), q=left)
        right, left = bb.add(CNOT(), ctrl=right, target=left)
        nodes = [left, right]
        for k in range(1, n):
            children = []
            for node in nodes:
                a[k], node, fresh = bb.add(
                    TwoBitCSwap(), ctrl=a[k], x=node, y=bb.allocate(dtype=QBit())
                )
                children.extend([node, fresh])
            nodes = children
        return {"address": bb.join(a, dtype=QUInt(n)), "leaves": np.array(nodes)}

    def build_call_graph(self, ssa):
        # Level 0 -> 1: CNOT(a_0 -> R), CNOT(R -> L) and X(L). Levels 1 .. n - 1: 2^k CSWAPs at
        # level k, sum_{k=1}^{n-1} 2^k = N - 2.
        counts = {CNOT(): 2, XGate(): 1}
        if self.n_cells != 2:
            counts[TwoBitCSwap()] = self.n_cells - 2
        return counts

    def my_static_costs(self, cost_key):
        n = address_bitsize(self.n_cells)
        return static_costs(
            cost_key,
            qubits=self.n_cells + n,
            depth=_half(self.n_cells) + n,
            toffoli_layers=_half(self.n_cells) + n - 2,
        )

    def on_classical_vals(self, address, leaves=None):
        one_hot = np.zeros(self.n_cells, dtype=int)
        one_hot[int(address)] = 1
        if not self.uncompute:
            return {"address": address, "leaves": one_hot}
        if not np.array_equal(np.asarray(leaves), one_hot):
            raise ValueError(f"{self}: leaves {leaves} are not one-hot at address {address}")
        return {"address": address}

    def adjoint(self) -> "RouterTree":
        return attrs.evolve(self, uncompute=not self.uncompute)

    def __str__(self):
        return f"RouterTree(N={self.n_cells}{', uncompute' if self.uncompute else ''})"


@frozen
class LeafQuery(Bloq):
    """Copy the addressed word: Toffoli(leaf_j, memory[j, t] -> target_t) for every j and t.

    The N b Toffolis run along diagonals: at step s = 0 .. N + b - 2, target bit t uses leaf
    j = s - t (when 0 <= j < N). No two Toffolis of one step share a leaf or a target, for every
    b (also b > N), and leaf j is used at steps j .. j + b - 1, so the leaves finish in order.

    Args:
        n_cells: N, a power of two >= 2, or a symbol.
        bits: b, bits per word.

    Registers:
        leaves: N qubits (one-hot).
        memory: N x b qubits.
        target: b qubits, XORed with the word whose leaf is 1.

    ## Cost
    Exact: N b Toffolis (data-independent), no Cliffords, N + N b + b qubits, Toffoli depth =
    depth = N + b - 1 (the Toffoli of step s ends at layer s + 1).
    """

    n_cells: SymbolicInt
    bits: SymbolicInt

    @cached_property
    def signature(self) -> Signature:
        return Signature(
            [
                Register("leaves", QBit(), shape=(self.n_cells,)),
                Register("memory", QBit(), shape=(self.n_cells, self.bits)),
                Register("target", QUInt(self.bits)),
            ]
        )

    def build_composite_bloq(self, bb: BloqBuilder, leaves, memory, target):
        if is_symbolic(self.n_cells, self.bits):
            raise DecomposeTypeError(f"{self} needs concrete sizes to decompose")
        tgt = bb.split(target)
        for s in range(self.n_cells + self.bits - 1):
            for t in range(self.bits):
                j = s - t
                if 0 <= j < self.n_cells:
                    (leaves[j], memory[j, t]), tgt[t] = bb.add(
                        Toffoli(), ctrl=[leaves[j], memory[j, t]], target=tgt[t]
                    )
        return {"leaves": leaves, "memory": memory, "target": bb.join(tgt, dtype=QUInt(self.bits))}

    def build_call_graph(self, ssa):
        # One Toffoli per (leaf, bit) pair, whatever the data.
        return {Toffoli(): self.n_cells * self.bits}

    def my_static_costs(self, cost_key):
        depth = self.n_cells + self.bits - 1
        return static_costs(
            cost_key,
            qubits=self.n_cells * (self.bits + 1) + self.bits,
            depth=depth,
            toffoli_layers=depth,
        )

    def on_classical_vals(self, leaves, memory, target):
        word = 0
        for j in np.flatnonzero(np.asarray(leaves)):
            for t in range(self.bits):
                word ^= int(memory[j, t]) << (self.bits - 1 - t)
        return {"leaves": leaves, "memory": memory, "target": int(target) ^ word}

    def adjoint(self) -> "LeafQuery":
        return self

    def __str__(self):
        return f"LeafQuery(N={self.n_cells}, b={self.bits})"


@frozen
class BucketBrigadeQRAM(QRAMInterface, Bloq):
    """Sequential bucket-brigade QRAM: |j>|t> -> |j>|t XOR data[j]>.

    The circuit model of Arunachalam et al. (Fig. 9) as counted by Di Matteo, Gheorghiu, Mosca,
    for b-bit words. Stages (n = log2 N, a_0 the most significant address bit):
    1. `MemoryWrite`: N b memory qubits are allocated and the data written with X gates (worst
       case every bit 1); the same X gates clear them at the end. In a persistent QRAM this
       write and clear is paid once per memory, not per query.
    2. `RouterTree`: a one-hot register over N leaves (N - 2 CSWAPs).
    3. `LeafQuery`: Toffoli(leaf_j, memory[j, t] -> target_t): N b Toffolis.
    4. `RouterTree(uncompute=True)`: the adjoint of 2; the tree is freed.

    Args:
        n_cells: N, a power of two >= 2, or a symbol.
        bits: b, bits per word.
        data: N words, or None for a size-only model (worst case over data).

    Registers:
        address: log2 N qubits.
        target: b qubits, XORed with data[address].

    References:
        [On the robustness of bucket brigade quantum RAM](https://arxiv.org/abs/1502.03450).
        Arunachalam, Gheorghiu, Jochym-O'Connor, Mosca, Srinivasan 2015. Fig. 9 (circuit model).
        [Fault-tolerant resource estimation of quantum random-access memories](
        https://arxiv.org/abs/1902.01329). Di Matteo, Gheorghiu, Mosca 2020. Sequential
        bucket brigade: n + 2N + 5 qubits, 21N - 28 T, T-depth 3N - 4 (b = 1, 7 T per Toffoli).
        [Quantum random access memory](https://arxiv.org/abs/0708.1879). Giovannetti, Lloyd,
        Maccone 2008. The bucket-brigade architecture.

    ## Cost
    Derived in docs/derivations/bucket-brigade.md#bucket-brigade-the-sequential-circuit.
    Exact for the worst-case data (every bit 1), with n = log2 N, for every N >= 2:
    - qubits (b + 1) N + n + b: N b memory, N tree, n address, b target (the primer's
      (k + 1) N + n + k). Di Matteo et al.'s n + 2N + 5 at b = 1 is 4 more, as many as the
      ancillas of the T-depth-1 Toffoli it uses; Toffoli ancillas are not counted here.
    - Toffoli-class (2 + b) N - 4: 2 (N - 2) CSWAPs (route, unroute) + N b query Toffolis.
      T count 4 ((2 + b) N - 4); with 7 T per Toffoli and b = 1, 21 N - 28 (Di Matteo et al.).
    - Clifford 2 N b + 6: N b X to write, N b X to clear (2 x the number of 1-bits for given
      data), 3 Cliffords at tree level 1 and 3 to undo them. No measurements, no rotations.
    - Toffoli depth N + 2 n + b - 3 = (n - 1) + (N + b - 1) + (n - 1): the flag reaches leaf 0
      after n - 1 CSWAP layers, the diagonal query of the last target bit ends N + b - 1 layers
      later (the routing of the other leaves overlaps it), and unrouting the last leaf pair and
      its ancestors takes n - 1 more. T depth = Toffoli depth x T-depth per Toffoli. Di Matteo et
      al.'s 3N - 4 puts every Toffoli in sequence (3N - 4 = 2 (N - 2) + N = the Toffoli count
      at b = 1).
    - depth N + 2 n + b + 1: the Toffoli depth plus 2 Clifford layers before the first CSWAP
      (level 1) and 2 after the last (its uncompute).
    Di Matteo et al.'s CNOT count and depth are for Toffolis decomposed into Clifford+T, so they
    are not comparable with the leaf-level Clifford count and depth here.
    Both depths are exact for any data too (missing memory X gates are never on a longest
    path), so `my_static_costs` answers them for concrete data as well; the gate counts of
    concrete data come from the decomposition (Clifford 2 x the number of 1-bits + 6).
    """

    n_cells: SymbolicInt
    bits: SymbolicInt
    data: Optional[tuple[int, ...]] = attrs.field(default=None, converter=data_converter)

    #: Noisy routers without error correction: infidelity ~ eps polylog N (Hann et al. 2021).
    NOISE_RULE = "polylog-recall"

    def build_composite_bloq(self, bb: BloqBuilder, address, target):
        if self.data is None or is_symbolic(self.n_cells, self.bits):
            raise DecomposeTypeError(f"{self} needs concrete data and sizes to decompose")
        write = MemoryWrite(self.n_cells, self.bits, self.data)
        # One allocation (and one free) for the whole memory: its N b qubits are alive together,
        # as in a QRAM whose data sits in memory cells.
        n_mem = self.n_cells * self.bits
        memory = bb.split(bb.allocate(n_mem)).reshape(self.n_cells, self.bits)
        memory = bb.add(write, memory=memory)
        address, leaves = bb.add(RouterTree(self.n_cells), address=address)
        leaves, memory, target = bb.add(
            LeafQuery(self.n_cells, self.bits), leaves=leaves, memory=memory, target=target
        )
        address = bb.add(RouterTree(self.n_cells, uncompute=True), address=address, leaves=leaves)
        memory = bb.add(write.adjoint(), memory=memory)
        bb.free(bb.join(memory.ravel(), dtype=QAny(n_mem)))
        return {"address": address, "target": target}

    def build_call_graph(self, ssa):
        if self.data is not None:
            return super().build_call_graph(ssa)
        # Worst case over data: write + clear (N b X each), route (N - 2 CSWAP, 3 Clifford),
        # query (N b Toffoli), unroute (N - 2 CSWAP, 3 Clifford).
        return {
            MemoryWrite(self.n_cells, self.bits): 2,
            RouterTree(self.n_cells): 1,
            LeafQuery(self.n_cells, self.bits): 1,
            RouterTree(self.n_cells, uncompute=True): 1,
        }

    def my_static_costs(self, cost_key):
        N, b, n = self.n_cells, self.bits, address_bitsize(self.n_cells)
        # The depths hold for any data: data only removes memory X gates, none of which is on a
        # longest path (a write ends at layer 1, before the first leaf is ready; a clear follows
        # the word's last Toffoli, before that leaf's unrouting ends).
        return static_costs(
            cost_key,
            qubits=(b + 1) * N + n + b if self.data is None else NotImplemented,
            depth=N + 2 * n + b + 1,
            toffoli_layers=N + 2 * n + b - 3,
        )

    def wire_symbol(self, reg: Optional[Register], idx: tuple[int, ...] = ()) -> WireSymbol:
        if reg is None:
            return Text("BB-QRAM")
        return super().wire_symbol(reg, idx)

    def __str__(self):
        return f"BucketBrigadeQRAM(N={self.n_cells}, b={self.bits})"


@bloq_example
def _bucket_brigade_qram_symb() -> BucketBrigadeQRAM:
    N, b = sympy.symbols("N b", positive=True, integer=True)
    bucket_brigade_qram_symb = BucketBrigadeQRAM(N, b)
    return bucket_brigade_qram_symb


@bloq_example
def _bucket_brigade_qram() -> BucketBrigadeQRAM:
    bucket_brigade_qram = BucketBrigadeQRAM(4, 2, data=(1, 3, 0, 2))
    return bucket_brigade_qram


_BUCKET_BRIGADE_QRAM_DOC = BloqDocSpec(
    bloq_cls=BucketBrigadeQRAM, examples=(_bucket_brigade_qram_symb, _bucket_brigade_qram)
)


@bloq_example
def _memory_write_symb() -> MemoryWrite:
    N, b = sympy.symbols("N b", positive=True, integer=True)
    memory_write_symb = MemoryWrite(N, b)
    return memory_write_symb


@bloq_example
def _memory_write() -> MemoryWrite:
    memory_write = MemoryWrite(4, 2, data=(1, 3, 0, 2))
    return memory_write


@bloq_example
def _router_tree_symb() -> RouterTree:
    N = sympy.symbols("N", positive=True, integer=True)
    router_tree_symb = RouterTree(N)
    return router_tree_symb


@bloq_example
def _router_tree() -> RouterTree:
    router_tree = RouterTree(8)
    return router_tree


@bloq_example
def _leaf_query_symb() -> LeafQuery:
    N, b = sympy.symbols("N b", positive=True, integer=True)
    leaf_query_symb = LeafQuery(N, b)
    return leaf_query_symb


@bloq_example
def _leaf_query() -> LeafQuery:
    leaf_query = LeafQuery(4, 2)
    return leaf_query


_MEMORY_WRITE_DOC = BloqDocSpec(bloq_cls=MemoryWrite, examples=(_memory_write_symb, _memory_write))
_ROUTER_TREE_DOC = BloqDocSpec(bloq_cls=RouterTree, examples=(_router_tree_symb, _router_tree))
_LEAF_QUERY_DOC = BloqDocSpec(bloq_cls=LeafQuery, examples=(_leaf_query_symb, _leaf_query))
