"""Parallel bucket-brigade QRAM: Toffoli depth 2 log2 N - 1, at the price of O(N b) qubits."""

from typing import Optional

import attrs
import sympy
from attrs import frozen
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    DecomposeTypeError,
    bloq_example,
)
from qualtran.symbolics import SymbolicInt

from qlaci_cost.core.circuit_parts import static_costs
from qlaci_cost.qram.interface import (
    QRAMInterface,
    address_bitsize,
    data_converter,
)
from qlaci_cost.qram.parallel_base import ceil_log2, require_concrete, soqs
from qlaci_cost.qram.parallel_fanout import AddressFanout, CopyTree, TransversalCNOT
from qlaci_cost.qram.parallel_leaves import AndLayer, LeafAnd
from qlaci_cost.qram.parallel_memory import ParallelMemoryWrite, PlaneWrite
from qlaci_cost.qram.parallel_parity import ParityAccumulate, ParityTree
from qlaci_cost.qram.parallel_routing import ParallelRouterTree, RouterLevel, RouterRoot

__all__ = [
    "AddressFanout",
    "AndLayer",
    "CopyTree",
    "LeafAnd",
    "ParallelMemoryWrite",
    "ParallelBucketBrigadeQRAM",
    "ParityAccumulate",
    "ParityTree",
    "PlaneWrite",
    "RouterLevel",
    "RouterRoot",
    "ParallelRouterTree",
    "TransversalCNOT",
]


@frozen
class ParallelBucketBrigadeQRAM(QRAMInterface, Bloq):
    r"""Bucket-brigade QRAM with every router level, and the whole query, one Toffoli layer.

    The circuit, stage by stage (each stage a sub-bloq in a `parallel_*` module):
    1. `ParallelMemoryWrite`: the N b-bit words into N b memory qubits with X gates.
    2. `AddressFanout`: address bit a_k (k >= 1) into 2^k copies, CNOT doubling trees.
    3. `ParallelRouterTree`: the router tree as a one-hot flag register; level k -> k + 1 is 2^k
       CSWAPs controlled on distinct copies of a_k: one Toffoli layer per level.
    4. `CopyTree(b, N)`: the N leaf flags into b copies (doubling tree of transversal CNOTs),
    5. `LeafAnd`: so that all N b products flag_j AND memory_(j,t) are one layer of `And`s;
    6. `ParityAccumulate`: target_t ^= parity over j of the products (CNOT trees, log depth,
       undone afterwards);
    7. the adjoints of 5, 4, 3, 2 and 1: `And(uncompute=True)` measures the products away
       without Toffolis (where Di Matteo et al. avoid the uncompute with an even-parity
       target state), the rest is the reversed circuit.
    The circuit depends on the data only through the X gates of stage 1: the worst case
    (every data bit 1) changes the Clifford count only.

    Stage 4 is a choice: N (b - 1) qubits and 2 N (b - 1) CNOTs buy a Toffoli depth that does
    not grow with b; without it the products of one leaf share its flag and take b layers.

    Args:
        n_cells: N, a power of two >= 2, or a symbol.
        bits: b, bits per word.
        data: N words, or None for the worst case over data.

    Registers:
        address: log2 N qubits.
        target: b qubits, XORed with data[address].

    References:
        [Fault-tolerant resource estimation of quantum random-access memories](https://arxiv.org/abs/1902.01329).
        Di Matteo, Gheorghiu, Mosca 2020 (IEEE TQE). Parallel bucket brigade: 8N qubits,
        T-count 21N - 28, T-depth 2n - 1 for 1-bit words at 7 T (T-depth 1) per Toffoli.
        [Parallelizing the queries in a bucket-brigade quantum RAM](https://arxiv.org/abs/2002.09340).
        Paler, Oumarou, Basmadjian 2020 (PRA 102, 032608). T-depth 8n - 8 + 4k, k-bit words.
        [Quantum random access memory](https://arxiv.org/abs/0708.1879). Giovannetti, Lloyd,
        Maccone 2008. The bucket-brigade architecture.

    ## Cost
    Derived in docs/derivations/bucket-brigade.md (`bucket-brigade-parallel`).
    n = log2 N, D = ceil(log2 b), P = number of data bits equal to 1 (worst case N b).
    Every formula is exact: equal to the decomposition into leaf gates and its Cirq circuit.
    - Toffoli-class = 2 (N - 2) CSWAPs (tree, uncompute) + N b And = (b + 2) N - 4.
    - Clifford = 2P (memory) + 2 (N - n - 1) (address copies) + 6 (root level) + 2 N (b - 1)
      (flag copies) + b (2N - 1) (parity trees) + N b (And† corrections)
      = 2P + 5 N b - 2n - b + 4; worst case 7 N b - 2n - b + 4.
    - Measurements = N b (one per And†).
    - Qubits = n + b (registers) + N b (memory) + N - n - 1 (address copies) + N (flags)
      + N (b - 1) (flag copies) + N b (products) = 3 N b + N + b - 1, all alive at once.
    - Toffoli depth = (n - 1) levels + 1 And layer + (n - 1) levels undone = 2n - 1;
      T depth = (2n - 1) x the T depth of one Toffoli.
    - Depth = 4n + 5 + 2D, independent of the data. As-soon-as-possible schedule: the root's
      gates end at layer 2 and the copies of a_k at layer k, so level k's CSWAPs end at k + 2
      and the leaf flags at n + 1; flag copies D, And 1, parity 2n + 1, And† 1, flag copies
      undone D: flags back at 3n + 4 + 2D; levels n-1 .. 1 and the root's 2 layers undone:
      4n + 5 + 2D (the copies of a_k, undone after level k, end at 4n + 4 + 2D).
    """

    n_cells: SymbolicInt
    bits: SymbolicInt
    data: Optional[tuple[int, ...]] = attrs.field(default=None, converter=data_converter)

    def build_composite_bloq(self, bb: BloqBuilder, address, target):
        require_concrete(self.n_cells, self.bits)
        if self.data is None:
            raise DecomposeTypeError(f"{self} needs concrete data to decompose")
        big, b = self.n_cells, self.bits
        n_copies = big - address_bitsize(big) - 1
        memory, flags = bb.allocate(big * b), bb.allocate(big)
        copies = bb.split(bb.allocate(n_copies)) if n_copies else soqs([])
        leaf_copies = soqs(bb.allocate(big) for _ in range(b - 1))
        write = ParallelMemoryWrite(big, b, self.data)
        fan, tree = AddressFanout(big), ParallelRouterTree(big)
        flag_copies, leaf_and = CopyTree(b, big), LeafAnd(big, b)

        memory = bb.add(write, memory=memory)
        address, copies = bb.add(fan, address=address, copies=copies)
        address, copies, flags = bb.add(tree, address=address, copies=copies, flags=flags)
        flags, leaf_copies = bb.add(flag_copies, src=flags, copies=leaf_copies)
        flags, leaf_copies, memory, products = bb.add(
            leaf_and, flags=flags, leaf_copies=leaf_copies, memory=memory
        )
        products, target = bb.add(ParityAccumulate(big, b), products=products, target=target)
        flags, leaf_copies, memory = bb.add(
            leaf_and.adjoint(),
            flags=flags,
            leaf_copies=leaf_copies,
            memory=memory,
            products=products,
        )
        flags, leaf_copies = bb.add(flag_copies.adjoint(), src=flags, copies=leaf_copies)
        address, copies, flags = bb.add(tree.adjoint(), address=address, copies=copies, flags=flags)
        address, copies = bb.add(fan.adjoint(), address=address, copies=copies)
        memory = bb.add(write, memory=memory)

        for soq in [memory, flags, *leaf_copies]:
            bb.free(soq)
        if n_copies:
            bb.free(bb.join(copies))
        return {"address": address, "target": target}

    def build_call_graph(self, ssa):
        if self.data is not None:
            return super().build_call_graph(ssa)  # the decomposition's stages
        big, b = self.n_cells, self.bits
        # Every stage once and its adjoint once (their counts: the stages' `## Cost`), the
        # memory written and cleared; the sum is this class's `## Cost`.
        stages = [AddressFanout(big), ParallelRouterTree(big), CopyTree(b, big), LeafAnd(big, b)]
        counts: dict = {s: 1 for s in stages}
        counts.update({s.adjoint(): 1 for s in stages})
        counts[ParityAccumulate(big, b)] = 1
        counts[ParallelMemoryWrite(big, b)] = 2
        return counts

    def my_static_costs(self, cost_key):
        big, b = self.n_cells, self.bits
        n = address_bitsize(big)
        # Qubits and depths do not depend on the data (see `## Cost`).
        return static_costs(
            cost_key,
            qubits=3 * big * b + big + b - 1,
            depth=4 * n + 5 + 2 * ceil_log2(b),
            toffoli_layers=2 * n - 1,
        )

    def __str__(self):
        return f"ParallelBucketBrigadeQRAM(N={self.n_cells}, b={self.bits})"


@bloq_example
def _parallel_bucket_brigade_qram_symb() -> ParallelBucketBrigadeQRAM:
    N, b = sympy.symbols("N b", positive=True, integer=True)
    parallel_bucket_brigade_qram_symb = ParallelBucketBrigadeQRAM(N, b)
    return parallel_bucket_brigade_qram_symb


@bloq_example
def _parallel_bucket_brigade_qram() -> ParallelBucketBrigadeQRAM:
    parallel_bucket_brigade_qram = ParallelBucketBrigadeQRAM(4, 2, data=(1, 3, 0, 2))
    return parallel_bucket_brigade_qram


_PARALLEL_BUCKET_BRIGADE_QRAM_DOC = BloqDocSpec(
    bloq_cls=ParallelBucketBrigadeQRAM,
    examples=(_parallel_bucket_brigade_qram_symb, _parallel_bucket_brigade_qram),
)
