"""What Qualtran's table lookups as QRAM models share: block size, leaf counts and depths of a
QROM and a swap network, the schedule landmarks, data checks and the `LookupQRAM` base."""

from collections import defaultdict
from typing import Optional

import attrs
import numpy as np
import sympy
from attrs import frozen
from qualtran import (
    Bloq,
    DecomposeTypeError,
)
from qualtran.bloqs.basic_gates import CNOT, Hadamard, SGate, TGate, XGate
from qualtran.bloqs.mcmt import And, MultiTargetCNOT
from qualtran.symbolics import SymbolicInt, is_symbolic

from qlaci_cost.core.checks import is_integer
from qlaci_cost.errors import InputError, describe_value
from qlaci_cost.qram.interface import (
    QRAMInterface,
    QRAMSizeError,
    address_bitsize,
    check_sizes,
    data_converter,
)
from qlaci_cost.symbolics.rounding import smax

__all__ = ["CountsT", "optimal_log_block_size"]

CountsT = dict[Bloq, SymbolicInt]


def optimal_log_block_size(n_cells: SymbolicInt, bits: SymbolicInt) -> SymbolicInt:
    """Qualtran 0.7.0's default log2 K for `SelectSwapQROM` (dirty) and `QROAMClean`, exactly.

    Both of Qualtran's helpers (`find_optimal_log_block_size(N, b, use_dirty_ancilla=True)` and
    `get_optimal_log_block_size_clean_ancilla(N, b)`) minimise f(k) = N / 2^k + b (2^k - 1) over
    the floor and ceiling of 0.5 log2(N / b), ties to the smaller k, clipped at 0. f is convex
    in k and f(k) <= f(k + 1) iff N <= 2 b 4^k, so the minimiser is the smallest k >= 0 with
    N <= 2 b 4^k, that is k = max(0, ceil((log2 N - 1 - log2 b) / 2)). Computed with integers
    (no floats), so it is exact at N = 2^200; `optimal_log_block_size(N, 1)` is the default of
    Qualtran's measurement-based uncompute (minimising N / K' + K').
    """
    if is_symbolic(n_cells, bits):
        n = address_bitsize(n_cells)
        return sympy.Max(0, sympy.ceiling((n - 1 - sympy.log(bits, 2)) / 2))
    k = 0
    while n_cells > 2 * bits * 4**k:
        k += 1
    return k


def exact_div(a: SymbolicInt, b: SymbolicInt) -> SymbolicInt:
    """Exact quotient: floor division for ints (only used where it divides), sympy otherwise."""
    if is_symbolic(a, b):
        return sympy.Integer(a) / b if isinstance(a, int) else a / b
    return a // b


def merged_counts(*terms: tuple[SymbolicInt, CountsT]) -> CountsT:
    """Sum of `multiplicity * counts` over the terms."""
    total: dict = defaultdict(int)
    for times, counts in terms:
        for bloq, n in counts.items():
            total[bloq] += times * n
    return dict(total)


def lookup_counts(n_cells: SymbolicInt, bits: SymbolicInt, block: SymbolicInt) -> CountsT:
    """Leaves of Qualtran's zero-control `QROM` over M = N/K batches of K words (worst data).

    Unary iteration over M leaves: 2 X on the top selection bit; one internal node per And,
    M - 2 of them, each And(1, 0) + CNOT (flip to the right child) + And† (measurement-based).
    Loads: one CNOT per data bit 1. A batch equal to its neighbour is pruned (loaded once), so
    the worst case keeps every aligned pair of batches different: at most 2 K b - 1 ones per
    pair, (M / 2)(2 K b - 1) = N b - M / 2 in all.
    """
    m = exact_div(n_cells, block)
    return {
        XGate(): 2,
        And(1, 0): m - 2,
        And(1, 0).adjoint(): m - 2,
        CNOT(): (m - 2) + n_cells * bits - exact_div(m, 2),
    }


def lookup_depth(n_cells: SymbolicInt, bits: SymbolicInt, block: SymbolicInt) -> SymbolicInt:
    """Depth of that QROM: every gate shares a qubit with the one before it (the walk passes
    control down one ancilla chain, loads share their leaf's control), so depth = gate count:
    2 + 3 (M - 2) + N b - M / 2 = N b + 5 M / 2 - 4. Exact for every data."""
    m = exact_div(n_cells, block)
    return n_cells * bits + 5 * exact_div(m, 2) - 4


def swap_counts(bits: SymbolicInt, block: SymbolicInt) -> CountsT:
    """Leaves of Qualtran's `SwapWithZero` on K registers: K - 1 `CSwapApprox(b)`, each
    4 G gates per bit (G = S H T^(+-1) H S†: 1 T, 4 Cliffords), 4 CNOTs per bit and one
    `MultiTargetCNOT(b)` (one Clifford, as `leaves.py` and `QECGatesCost` count it)."""
    n = block - 1
    return {
        TGate(): 2 * bits * n,
        TGate().adjoint(): 2 * bits * n,
        SGate(): 4 * bits * n,
        SGate().adjoint(): 4 * bits * n,
        Hadamard(): 8 * bits * n,
        CNOT(): 4 * bits * n,
        MultiTargetCNOT(bits): n,
    }


def swap_depth(log_block: SymbolicInt, block: SymbolicInt) -> SymbolicInt:
    """Depth of `SwapWithZero` (or its reverse) alone: 25 k + K/2 - 1 for k >= 1, 0 for k = 0.

    A `CSwapApprox` is 12 layers on its register pair, the `MultiTargetCNOT`, 12 more. Level 0
    has K/2 swaps sharing one control: their MultiTargetCNOTs go one per layer, swap s ends at
    25 + s. A swap of level l >= 1 waits for two registers of level l - 1 finishing 2^(l-1)
    apart; by induction swap s of level l ends at 25 (l + 1) + 2^l - 1 + 2^l s, and the last
    swap (level k - 1, s = 0) at 25 k + 2^(k-1) - 1. Checked by `flat_depth` for k <= 4.
    """
    if is_symbolic(log_block, block):
        return sympy.Min(log_block, 1) * (25 * log_block + block / 2 - 1)
    return 0 if log_block == 0 else 25 * log_block + block // 2 - 1


def check_data(bloq) -> None:
    check_sizes(bloq.n_cells, bloq.bits)
    if bloq.data is None:
        return
    if len(bloq.data) != bloq.n_cells:
        raise InputError(f"data has {len(bloq.data)} words, n_cells={bloq.n_cells}")
    bad = [d for d in bloq.data if not 0 <= d < 2**bloq.bits]
    if bad:
        raise InputError(
            f"data value {describe_value(bad[0])} is not allowed: data words must be in "
            f"[0, 2^bits), bits={bloq.bits}"
        )
    if max(bloq.data, default=0) >= 2**63:
        raise QRAMSizeError(
            f"data value {max(bloq.data)} is not allowed: Qualtran's data arrays hold 64-bit "
            "words (values below 2^63)"
        )


def check_log_block(bloq, name: str, value: SymbolicInt) -> None:
    if value is None or is_symbolic(value, bloq.n_cells):
        return
    n = address_bitsize(bloq.n_cells)
    if not is_integer(value) or not 0 <= value <= n - 1:
        raise InputError(
            f"{name}={describe_value(value)} is not allowed: use an int in [0, log2 N - 1]"
        )


def worst_words(n_cells: int, bits: int, block: int) -> tuple[int, ...]:
    """All words 2^b - 1, except the first word of every even batch, 2^b - 2: no two aligned
    neighbouring batches are equal (nothing is pruned), the number of ones is maximal, and the
    last batch (loaded last, which sets when the swaps can start) is all ones."""
    full = 2**bits - 1
    return tuple(full - int((j // block) % 2 == 0 and j % block == 0) for j in range(n_cells))


def block_sizes(bloq) -> tuple[SymbolicInt, SymbolicInt, SymbolicInt]:
    """(k, K, M): log2 block size (option or Qualtran's default), block size, N / K."""
    k = bloq.log_block_size
    if k is None:
        k = optimal_log_block_size(bloq.n_cells, bloq.bits)
    block = 2**k
    return k, block, exact_div(bloq.n_cells, block)


def second_lookup_start(bloq) -> tuple:
    """(h, L, D, start): schedule landmarks shared by the select-swap and QROAM circuits.

    h = n - k levels of the QROM on M = 2^h batches, L = its depth (one chain), D = the swap
    network's stand-alone depth. The first QROM's last load ends at L - h + 1 (h - 1 And† after
    it); the all-ones last batch loads every register, in register order, so each pair
    (2s, 2s + 1) is ready when register 2s + 1's last bit is. The swap network then brings
    register 0 out at
    L - h + 1 + 25 k (its pairs' MultiTargetCNOTs never queue: ready times 2b apart), the CNOTs
    into the target take 1 layer, and the reverse network returns registers 0, 1 at
    A = L - h + 2 + 25 k + D (each reverse level queues its 2^j MultiTargetCNOTs behind the one
    swap feeding it, 25 + 2^(j-1) per level: D again). The second QROM's walk reaches its first
    leaf at L + h (X and h - 1 And, after the first QROM's last gate), and its first load waits
    for register 0 or 1: start = max(A, L + h); from there it is one chain again.
    """
    k, block, _ = block_sizes(bloq)
    h = address_bitsize(bloq.n_cells) - k
    lookup = lookup_depth(bloq.n_cells, bloq.bits, block)
    swap = swap_depth(k, block)
    ready = lookup - h + 2 + 25 * k + swap
    return h, lookup, swap, smax(ready, lookup + h)


@frozen
class LookupQRAM(QRAMInterface, Bloq):
    """Shared fields and plumbing of the three wrappers (not a model by itself)."""

    n_cells: SymbolicInt
    bits: SymbolicInt
    data: Optional[tuple[int, ...]] = attrs.field(default=None, converter=data_converter)

    def __attrs_post_init__(self):
        check_data(self)

    @property
    def is_concrete(self) -> bool:
        return self.data is not None and not is_symbolic(self.n_cells, self.bits)

    def _data_array(self) -> np.ndarray:
        return np.array(self.data, dtype=int)

    def _require_concrete(self) -> None:
        if not self.is_concrete:
            raise DecomposeTypeError(f"{self} needs concrete data and sizes to decompose")

    # Closed forms, overridden by each model (used when data is None).
    def _closed_counts(self) -> CountsT:
        raise NotImplementedError

    def _closed_qubits(self) -> SymbolicInt:
        raise NotImplementedError

    def _closed_depths(self, per_toffoli: SymbolicInt) -> tuple:
        """(depth, toffoli_depth, t_depth) with `per_toffoli` T layers per And."""
        raise NotImplementedError

    def build_call_graph(self, ssa):
        if self.data is None:
            return self._closed_counts()
        return super().build_call_graph(ssa)

    def my_static_costs(self, cost_key):
        from qualtran.resource_counting import QubitCount

        from qlaci_cost.core.depth import TDepth, static_depth

        if self.data is not None:
            return NotImplemented
        if isinstance(cost_key, QubitCount):
            return self._closed_qubits()
        per_toffoli = cost_key.per_toffoli if isinstance(cost_key, TDepth) else 1
        depth, toffoli_depth, t_depth = self._closed_depths(per_toffoli)
        return static_depth(cost_key, depth=depth, toffoli_depth=toffoli_depth, t_depth=t_depth)
