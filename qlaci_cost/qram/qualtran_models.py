"""Qualtran 0.7.0's table lookups (QROM, SelectSwapQROM, QROAMClean) as QRAM models."""

from collections import defaultdict
from functools import cached_property
from typing import Optional

import attrs
import numpy as np
import sympy
from attrs import frozen
from qualtran import (
    Adjoint,
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    DecomposeTypeError,
    QAny,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.arithmetic.bitwise import Xor
from qualtran.bloqs.basic_gates import CNOT, Hadamard, SGate, TGate, Toffoli, XGate
from qualtran.bloqs.data_loading import QROM, QROAMClean, SelectSwapQROM
from qualtran.bloqs.mcmt import And, MultiTargetCNOT
from qualtran.symbolics import SymbolicInt, is_symbolic

from qlaci_cost.qram.interface import (
    QRAMInterface,
    QRAMSizeError,
    address_bitsize,
    check_sizes,
    data_converter,
)
from qlaci_cost.symbolics.rounding import smax as _smax
from qlaci_cost.symbolics.rounding import smin as _smin

__all__ = [
    "QROMQRAM",
    "SelectSwapQRAM",
    "QROAMCleanQRAM",
    "optimal_log_block_size",
]

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


def _div(a: SymbolicInt, b: SymbolicInt) -> SymbolicInt:
    """Exact quotient: floor division for ints (only used where it divides), sympy otherwise."""
    if is_symbolic(a, b):
        return sympy.Integer(a) / b if isinstance(a, int) else a / b
    return a // b


def _merge(*terms: tuple[SymbolicInt, CountsT]) -> CountsT:
    """Sum of `multiplicity * counts` over the terms."""
    total: dict = defaultdict(int)
    for times, counts in terms:
        for bloq, n in counts.items():
            total[bloq] += times * n
    return dict(total)


def _lookup_counts(n_cells: SymbolicInt, bits: SymbolicInt, block: SymbolicInt) -> CountsT:
    """Leaves of Qualtran's zero-control `QROM` over M = N/K batches of K words (worst data).

    Unary iteration over M leaves: 2 X on the top selection bit; one internal node per And,
    M - 2 of them, each And(1, 0) + CNOT (flip to the right child) + And† (measurement-based).
    Loads: one CNOT per data bit 1. A batch equal to its neighbour is pruned (loaded once), so
    the worst case keeps every aligned pair of batches different: at most 2 K b - 1 ones per
    pair, (M / 2)(2 K b - 1) = N b - M / 2 in all.
    """
    m = _div(n_cells, block)
    return {
        XGate(): 2,
        And(1, 0): m - 2,
        And(1, 0).adjoint(): m - 2,
        CNOT(): (m - 2) + n_cells * bits - _div(m, 2),
    }


def _lookup_depth(n_cells: SymbolicInt, bits: SymbolicInt, block: SymbolicInt) -> SymbolicInt:
    """Depth of that QROM: every gate shares a qubit with the one before it (the walk passes
    control down one ancilla chain, loads share their leaf's control), so depth = gate count:
    2 + 3 (M - 2) + N b - M / 2 = N b + 5 M / 2 - 4. Exact for every data."""
    m = _div(n_cells, block)
    return n_cells * bits + 5 * _div(m, 2) - 4


def _swap_counts(bits: SymbolicInt, block: SymbolicInt) -> CountsT:
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


def _swap_depth(log_block: SymbolicInt, block: SymbolicInt) -> SymbolicInt:
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


def _check_data(bloq) -> None:
    check_sizes(bloq.n_cells, bloq.bits)
    if bloq.data is None:
        return
    if len(bloq.data) != bloq.n_cells:
        raise ValueError(f"data has {len(bloq.data)} words, n_cells={bloq.n_cells}")
    if any(not 0 <= d < 2**bloq.bits for d in bloq.data):
        raise ValueError(f"data words must be in [0, 2^bits), bits={bloq.bits}")
    if max(bloq.data, default=0) >= 2**63:
        raise QRAMSizeError(
            f"data value {max(bloq.data)} is not allowed: Qualtran's data arrays hold 64-bit "
            "words (values below 2^63)"
        )


def _check_log_block(bloq, name: str, value: SymbolicInt) -> None:
    if value is None or is_symbolic(value, bloq.n_cells):
        return
    n = address_bitsize(bloq.n_cells)
    if not isinstance(value, (int, np.integer)) or not 0 <= value <= n - 1:
        raise ValueError(f"{name}={value!r} is not allowed: use an int in [0, log2 N - 1]")


def _worst_words(n_cells: int, bits: int, block: int) -> tuple[int, ...]:
    """All words 2^b - 1, except the first word of every even batch, 2^b - 2: no two aligned
    neighbouring batches are equal (nothing is pruned), the number of ones is maximal, and the
    last batch (loaded last, which sets when the swaps can start) is all ones."""
    full = 2**bits - 1
    return tuple(full - int((j // block) % 2 == 0 and j % block == 0) for j in range(n_cells))


def _block(bloq) -> tuple[SymbolicInt, SymbolicInt, SymbolicInt]:
    """(k, K, M): log2 block size (option or Qualtran's default), block size, N / K."""
    k = bloq.log_block_size
    if k is None:
        k = optimal_log_block_size(bloq.n_cells, bloq.bits)
    block = 2**k
    return k, block, _div(bloq.n_cells, block)


def _second_lookup_start(bloq) -> tuple:
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
    k, block, _ = _block(bloq)
    h = address_bitsize(bloq.n_cells) - k
    lookup = _lookup_depth(bloq.n_cells, bloq.bits, block)
    swap = _swap_depth(k, block)
    ready = lookup - h + 2 + 25 * k + swap
    return h, lookup, swap, _smax(ready, lookup + h)


@frozen
class _LookupQRAM(QRAMInterface, Bloq):
    """Shared fields and plumbing of the three wrappers (not a model by itself)."""

    n_cells: SymbolicInt
    bits: SymbolicInt
    data: Optional[tuple[int, ...]] = attrs.field(default=None, converter=data_converter)

    def __attrs_post_init__(self):
        _check_data(self)

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


@frozen
class QROMQRAM(_LookupQRAM):
    """Qualtran's `QROM` (unary iteration) as a QRAM: |j>|t> -> |j>|t XOR data[j]>.

    The decomposition is one `qualtran.bloqs.data_loading.QROM` with registers renamed
    (selection -> address, target0_ -> target); it decomposes into X, And, And† (measurement-based
    uncompute), CNOT.

    Args:
        n_cells: N, a power of two >= 2, or a sympy symbol.
        bits: b, bits per word (int or symbol).
        data: N words, or None for a size-only model (worst case over data).

    Registers:
        address: log2 N qubits (n).
        target: b qubits, XORed with data[address].

    References:
        [Encoding Electronic Spectra in Quantum Circuits with Linear T
        Complexity](https://arxiv.org/abs/1805.03662). Babbush, Gidney, Berry, Wiebe, McClean,
        Paler, Fowler, Neven 2018. Fig. 1 (QROM read by unary iteration), as cited by
        Qualtran's `QROM`; docs/references.md#qrom-by-unary-iteration: N - 2 And, no control.

    ## Cost
    Derived in docs/derivations/table-lookups.md#qrom-unary-iteration-k--1.
    All exact (worst case over data, attained by `worst_case_data`):
    - toffoli (And) = N - 2; t_count = 4 (N - 2) (4N - 8, docs/references.md); measurements = N - 2.
    - clifford = N b + 3N/2 - 2: loads N b - N/2 (a pair of equal neighbouring words is pruned
      by Qualtran, so the worst case has 2b - 1 ones per aligned pair), 2 X, N - 2 CNOTs and
      N - 2 And† (one Clifford each). Qualtran's symbolic call graph says N b CNOTs: it counts
      all-ones data, which its own decomposition prunes to a single load.
    - qubits = 2n + b - 1 (address, target, n - 1 unary-iteration ancillas).
    - depth = N b + 5N/2 - 4; toffoli_depth = N - 2; t_depth = (N - 2) x T-depth per Toffoli.
      The walk is one chain (each gate shares a qubit with the previous one), so depth is the
      gate count, exactly, for every data.
    """

    @classmethod
    def worst_case_data(cls, n_cells: int, bits: int) -> tuple[int, ...]:
        return _worst_words(n_cells, bits, 1)

    @cached_property
    def qualtran_bloq(self) -> QROM:
        """The wrapped Qualtran bloq (symbolic `Shaped` data when `data` is None)."""
        if self.data is None:
            n = address_bitsize(self.n_cells)
            return QROM.build_from_bitsize((self.n_cells,), (self.bits,), selection_bitsizes=(n,))
        return QROM.build_from_data(self._data_array(), target_bitsizes=(self.bits,))

    def build_composite_bloq(
        self, bb: BloqBuilder, address: SoquetT, target: SoquetT
    ) -> dict[str, SoquetT]:
        self._require_concrete()
        out = bb.add_d(self.qualtran_bloq, selection=address, target0_=target)
        return {"address": out["selection"], "target": out["target0_"]}

    def _closed_counts(self) -> CountsT:
        return _lookup_counts(self.n_cells, self.bits, 1)

    def _closed_qubits(self) -> SymbolicInt:
        return 2 * address_bitsize(self.n_cells) + self.bits - 1

    def _closed_depths(self, per_toffoli):
        n_and = self.n_cells - 2
        return _lookup_depth(self.n_cells, self.bits, 1), n_and, per_toffoli * n_and

    def __str__(self):
        return f"QROMQRAM(N={self.n_cells}, b={self.bits})"


@frozen
class SelectSwapQRAM(_LookupQRAM):
    """Qualtran's `SelectSwapQROM` (dirty ancillas, XOR into the target) as a QRAM.

    The decomposition is one `qualtran.bloqs.data_loading.SelectSwapQROM` (use_dirty_ancilla
    True) with registers renamed. Qualtran builds, with K = 2^k blocks and M = N/K: a `QROM`
    loading batch j // K (K words) into K dirty b-bit registers, `SwapWithZero` bringing word
    j % K to register 0, b CNOTs into the target, the reverse swap, the QROM again, and the
    swap, CNOTs, reverse swap once more (the toggles cancel whatever the dirty registers held).

    Block size: by default Qualtran's own choice, `optimal_log_block_size(N, b)`: the k
    minimising N/K + b (K - 1). Qualtran's `find_optimal_log_block_size` docstring says the
    dirty case minimises N/K + 2b (K - 1), which matches this circuit's T count
    8N/K - 16 + 16 b (K - 1), but its code doubles b for the clean case instead. We keep the
    code's choice so that the model is exactly Qualtran's default bloq (same K at N = 1024,
    b = 8). Where the two differ the docstring's k is one smaller and never costs more T, often
    less (N = 8, b = 3: 48 T at K = 1 against 64 at Qualtran's K = 2); pass
    `log_block_size=optimal_log_block_size(N, 2 * b)` for it, or any other k.

    Args:
        n_cells: N, a power of two >= 2, or a sympy symbol.
        bits: b, bits per word.
        data: N words, or None for a size-only model (worst case over data).
        log_block_size: k in [0, log2 N - 1], K = 2^k words per batch; None = Qualtran's.

    Registers:
        address: log2 N qubits (n).
        target: b qubits, XORed with data[address].

    References:
        [Trading T-gates for dirty qubits in state preparation and unitary
        synthesis](https://arxiv.org/abs/1812.00954). Low, Kliuchnikov, Schaeffer 2018
        (Quantum 8, 1375, 2024). Table II (dirty: 8 ceil(N/l) + 32 b l T, as transcribed in
        docs/references.md#selectswap-qrom-and-qroam); App. B.2.c (`CSwapApprox`, 4 T per
        swapped qubit pair).
        [Qubitization of arbitrary basis quantum chemistry leveraging sparsity and low rank
        factorization](https://arxiv.org/abs/1902.02134). Berry, Gidney, Motta, McClean,
        Babbush 2019. Appendices A and B (Toffoli count N/K + b (K - 1) per lookup).

    ## Cost
    Derived in docs/derivations/table-lookups.md#select-swap-selectswapqrom-with-dirty-ancillas.
    With k, K = 2^k, M = N/K, h = n - k, p = T-depth per Toffoli. All exact for
    `worst_case_data` (every aligned pair of batches different, most ones, last batch all
    ones) and upper bounds for any other data (fewer ones remove load gates; a pruned walk is a
    shorter chain):
    - toffoli (And) = 2 (M - 2) (two QROMs); measurements = 2 (M - 2) (their And†).
    - T gates = 16 b (K - 1): 4 swap networks of K - 1 `CSwapApprox(b)` with 4b T each (Low et
      al.'s swap up to a phase, not Toffolis); t_count = 4 toffoli + 16 b (K - 1)
      = 8N/K - 16 + 16 b (K - 1), Qualtran's figure.
    - clifford = 2 (N b + 3M/2 - 2) + 2b + 4 (K - 1)(20 b + 1) (`MultiTargetCNOT` = 1).
    - qubits = 2n - k - 1 + b (K + 1): address, target, K b dirty registers, h - 1 ancillas.
    - depth = max(S + L - 2h + 2 + 25k + D, S + L - h), with L = N b + 5M/2 - 4 (one QROM),
      D = 25k + K/2 - 1 (one swap network, 0 if k = 0), S = max(L - h + 2 + 25k + D, L + h)
      (when the second QROM's first load can start; see `_second_lookup_start`). For the
      default k and large N: 2L + 2D + 50k + 4 - 3h.
    - toffoli_depth = 2 (M - 2) + 16k - min(8k, h - 1); t_depth = 2p (M - 2) + 16k
      - min(8k, p (h - 1)): the second QROM's descent hides behind two swap networks.
    """

    log_block_size: Optional[SymbolicInt] = None

    def __attrs_post_init__(self):
        _check_data(self)
        _check_log_block(self, "log_block_size", self.log_block_size)

    @classmethod
    def worst_case_data(
        cls, n_cells: int, bits: int, log_block_size: Optional[int] = None
    ) -> tuple[int, ...]:
        k = optimal_log_block_size(n_cells, bits) if log_block_size is None else log_block_size
        return _worst_words(n_cells, bits, 2**k)

    @cached_property
    def qualtran_bloq(self) -> SelectSwapQROM:
        k, _, _ = _block(self)
        if self.data is None:
            n = address_bitsize(self.n_cells)
            return SelectSwapQROM.build_from_bitsize(
                (self.n_cells,), (self.bits,), selection_bitsizes=(n,), log_block_sizes=(k,)
            )
        return SelectSwapQROM.build_from_data(
            self._data_array(), target_bitsizes=(self.bits,), log_block_sizes=(k,)
        )

    def build_composite_bloq(
        self, bb: BloqBuilder, address: SoquetT, target: SoquetT
    ) -> dict[str, SoquetT]:
        self._require_concrete()
        out = bb.add_d(self.qualtran_bloq, selection=address, target0_=target)
        return {"address": out["selection"], "target": out["target0_"]}

    def _closed_counts(self) -> CountsT:
        _, block, _ = _block(self)
        n, b = self.n_cells, self.bits
        # QROM twice (load, unload), swap network four times (swap, reverse, swap, reverse),
        # b CNOTs into the target twice (the second toggle cancels the dirty registers).
        return _merge(
            (2, _lookup_counts(n, b, block)), (4, _swap_counts(b, block)), (2 * b, {CNOT(): 1})
        )

    def _closed_qubits(self) -> SymbolicInt:
        k, block, _ = _block(self)
        return 2 * address_bitsize(self.n_cells) - k - 1 + self.bits * (block + 1)

    def _closed_depths(self, per_toffoli):
        k, _, m = _block(self)
        h, lookup, swap, start = _second_lookup_start(self)
        # After `start` the second QROM is one chain; its last load ends L - 2h + 1 later, then
        # the swap network (register 0 out after 25 k), CNOTs (1) and the reverse network (D).
        last_load = start + lookup - 2 * h + 1
        depth = _smax(last_load + 25 * k + 1 + swap, start + lookup - h)
        return depth, self._toffoli_depth(1, k, m, h), self._toffoli_depth(per_toffoli, k, m, h)

    @staticmethod
    def _toffoli_depth(p, k, m, h):
        # Non-Clifford layers (And = p, T = 1): QROM p (M - 2), four networks of 4 T layers per
        # level; the second QROM's descent (h - 1 And) hides behind two networks (8k) if it can.
        return 2 * p * (m - 2) + 16 * k - _smin(8 * k, p * (h - 1))

    def __str__(self):
        return f"SelectSwapQRAM(N={self.n_cells}, b={self.bits})"


UNCOMPUTE_MODES = ("coherent", "measurement")

MEASUREMENT_NOTE = (
    "qroam-clean with measurement-based uncompute: the uncompute is Qualtran's QROAMCleanAdjoint, "
    "costed by its call graph (ceil(N/K') + K' - 4 Toffolis, Berry et al. 2019 App. C) only; "
    "its X-basis measurements, Cliffords, ancillas and depth are not modelled and it has no "
    "leaf decomposition in Qualtran 0.7.0 (not verified by simulation)"
)


@frozen
class QROAMCleanQRAM(_LookupQRAM):
    """Qualtran's `QROAMClean` (clean ancillas) as a QRAM: load, copy out, unload.

    `QROAMClean` loads data[j] into a fresh (RIGHT) b-bit register and leaves K - 1 junk
    registers. The decomposition: `QROAMClean` (QROM on M = N/K batches + `SwapWithZero`),
    b CNOTs from the fresh register into `target` (`Xor`), then the uncompute, then every
    register is free in |0>. Two uncomputes (option `uncompute`):
    - "coherent" (default): `Adjoint(QROAMClean)`, the exact reverse (swap network reversed,
      QROM again). Decomposes to leaf gates; all metrics verified.
    - "measurement": Qualtran's `QROAMClean.adjoint()` (`QROAMCleanAdjoint`), Berry et al.'s
      measurement-based uncompute, ceil(N/K') + K' - 4 Toffolis with K' = 2^k',
      k' = `optimal_log_block_size(N, 1)`. Qualtran 0.7.0 gives it no decomposition (only a
      Toffoli count), and a measurement-based uncompute needs classically controlled gates that
      this package's leaf set and simulators do not support, so it cannot be the verified
      default; its numbers carry `MEASUREMENT_NOTE`. Caveat: Qualtran's swap network uses
      `CSwapApprox`, a swap up to the phase (-1)^(c x_i y_i) per bit pair; the coherent reverse
      cancels it (checked by state vector), a measurement-based uncompute would have to fold
      that address-dependent phase into its fix-up, which the Toffoli count does not show.

    Block size: Qualtran's default for `QROAMClean`, `optimal_log_block_size(N, b)` (the k
    minimising N/K + b (K - 1), its load's Toffoli count; Qualtran's clean-ancilla helper has no
    docstring/code disagreement). Pass `log_block_size` to choose another.

    Args:
        n_cells: N, a power of two >= 2, or a sympy symbol.
        bits: b, bits per word.
        data: N words, or None for a size-only model (worst case over data).
        log_block_size: k in [0, log2 N - 1]; None = Qualtran's default.
        uncompute: "coherent" or "measurement".

    Registers:
        address: log2 N qubits (n).
        target: b qubits, XORed with data[address].

    References:
        [Qubitization of arbitrary basis quantum chemistry leveraging sparsity and low rank
        factorization](https://arxiv.org/abs/1902.02134). Berry, Gidney, Motta, McClean,
        Babbush 2019. Appendix A, B (clean QROAM: N/K + b (K - 1) Toffolis), C (measurement-based
        uncompute: N/K' + K').
        [Trading T-gates for dirty qubits in state preparation and unitary
        synthesis](https://arxiv.org/abs/1812.00954). Low, Kliuchnikov, Schaeffer 2018.
        Appendix B.2.c (`CSwapApprox`, 4b T per swap).

    ## Cost
    Derived in docs/derivations/table-lookups.md#qroam-clean-qroamclean-copy-out-uncompute.
    With k, K = 2^k, M = N/K, h = n - k, p = T-depth per Toffoli; L, D, S as in
    `SelectSwapQRAM`. Coherent uncompute, all exact for `worst_case_data` (upper bounds over
    data):
    - toffoli (And) = 2 (M - 2); measurements = 2 (M - 2); T gates = 8 b (K - 1);
      t_count = 8 (M - 2) + 8 b (K - 1) (twice the bare load's 4N/K - 8 + 4b (K - 1)).
    - clifford = 2 (N b + 3M/2 - 2) + b + 2 (K - 1)(20 b + 1).
    - qubits = 2n - k - 1 + b (K + 1): the bare `QROAMClean`'s 2n - k - 1 + K b (Qualtran's
      QubitCount; 80 at N = 1024, b = 8) plus this interface's b-qubit `target`.
    - depth = S + L - h (the second QROM ends the circuit; default k, large N:
      2L + 25k + D + 2 - 2h); toffoli_depth = 2 (M - 2) + 8k - min(8k, h - 1);
      t_depth = 2p (M - 2) + 8k - min(8k, p (h - 1)).
    Measurement uncompute (Qualtran's figures, not verified): toffoli = (M - 2) + U with
    U = max(0, ceil(N/K') + K' - 4); T gates 4 b (K - 1); clifford = N b + 3M/2 - 2 + b +
    (K - 1)(20 b + 1); measurements = M - 2; qubits as above (the uncompute's own ancillas not
    included); depth = L + D + 1 + U, toffoli_depth = M - 2 + 4k + U,
    t_depth = p (M - 2 + U) + 4k: the load's stages in series, the U Toffolis in series and
    no uncompute Cliffords (neither exact nor a proven bound).
    """

    log_block_size: Optional[SymbolicInt] = None
    uncompute: str = "coherent"

    def __attrs_post_init__(self):
        _check_data(self)
        _check_log_block(self, "log_block_size", self.log_block_size)
        if self.uncompute not in UNCOMPUTE_MODES:
            raise ValueError(
                f"uncompute={self.uncompute!r} is not allowed: use one of {UNCOMPUTE_MODES}"
            )

    @classmethod
    def worst_case_data(
        cls, n_cells: int, bits: int, log_block_size: Optional[int] = None
    ) -> tuple[int, ...]:
        return SelectSwapQRAM.worst_case_data(n_cells, bits, log_block_size)

    @property
    def cost_notes(self) -> tuple[str, ...]:
        return (MEASUREMENT_NOTE,) if self.uncompute == "measurement" else ()

    @cached_property
    def qualtran_bloq(self) -> QROAMClean:
        k, _, _ = _block(self)
        if self.data is None:
            n = address_bitsize(self.n_cells)
            return QROAMClean.build_from_bitsize(
                (self.n_cells,), (self.bits,), selection_bitsizes=(n,), log_block_sizes=(k,)
            )
        return QROAMClean.build_from_data(
            self._data_array(), target_bitsizes=(self.bits,), log_block_sizes=(k,)
        )

    @cached_property
    def unload_bloq(self) -> Bloq:
        """The uncompute stage: `Adjoint(QROAMClean)` or Qualtran's measurement-based one."""
        if self.uncompute == "coherent":
            return Adjoint(self.qualtran_bloq)
        return self.qualtran_bloq.adjoint()

    def build_composite_bloq(
        self, bb: BloqBuilder, address: SoquetT, target: SoquetT
    ) -> dict[str, SoquetT]:
        self._require_concrete()
        load = bb.add_d(self.qualtran_bloq, selection=address)
        load["target0_"], target = bb.add(Xor(QAny(self.bits)), x=load["target0_"], y=target)
        out = bb.add_d(self.unload_bloq, **load)
        return {"address": out["selection"], "target": target}

    def _uncompute_toffolis(self) -> SymbolicInt:
        n_cells = self.n_cells
        k_u = optimal_log_block_size(n_cells, 1)
        value = _div(n_cells, 2**k_u) + 2**k_u - 4
        return sympy.Max(0, value) if is_symbolic(value) else max(0, value)

    def _closed_counts(self) -> CountsT:
        _, block, _ = _block(self)
        n, b = self.n_cells, self.bits
        if self.uncompute == "coherent":
            # Load (QROM + swap network), b CNOTs out, exact reverse (swap network + QROM).
            return _merge(
                (2, _lookup_counts(n, b, block)), (2, _swap_counts(b, block)), (b, {CNOT(): 1})
            )
        # Load, b CNOTs out, Qualtran's measurement-based uncompute (its Toffolis only).
        return _merge(
            (1, _lookup_counts(n, b, block)),
            (1, _swap_counts(b, block)),
            (b, {CNOT(): 1}),
            (self._uncompute_toffolis(), {Toffoli(): 1}),
        )

    def _closed_qubits(self) -> SymbolicInt:
        k, block, _ = _block(self)
        return 2 * address_bitsize(self.n_cells) - k - 1 + self.bits * (block + 1)

    def _closed_depths(self, per_toffoli):
        k, block, m = _block(self)
        if self.uncompute == "coherent":
            h, lookup, _, start = _second_lookup_start(self)

            def toffoli_depth(p):
                return 2 * p * (m - 2) + 8 * k - _smin(8 * k, p * (h - 1))

            return start + lookup - h, toffoli_depth(1), toffoli_depth(per_toffoli)
        lookup = _lookup_depth(self.n_cells, self.bits, block)
        swap = _swap_depth(k, block)
        u = self._uncompute_toffolis()
        return lookup + swap + 1 + u, m - 2 + 4 * k + u, per_toffoli * (m - 2 + u) + 4 * k

    def __str__(self):
        return f"QROAMCleanQRAM(N={self.n_cells}, b={self.bits}, uncompute={self.uncompute})"


@bloq_example
def _qrom_qram_symb() -> QROMQRAM:
    N, b = sympy.symbols("N b", positive=True, integer=True)
    qrom_qram_symb = QROMQRAM(N, b)
    return qrom_qram_symb


@bloq_example
def _qrom_qram() -> QROMQRAM:
    qrom_qram = QROMQRAM(4, 2, data=(1, 3, 0, 2))
    return qrom_qram


@bloq_example
def _select_swap_qram_symb() -> SelectSwapQRAM:
    N, b = sympy.symbols("N b", positive=True, integer=True)
    select_swap_qram_symb = SelectSwapQRAM(N, b)
    return select_swap_qram_symb


@bloq_example
def _select_swap_qram() -> SelectSwapQRAM:
    select_swap_qram = SelectSwapQRAM(8, 2, data=(1, 3, 0, 2, 2, 1, 3, 0))
    return select_swap_qram


@bloq_example
def _qroam_clean_qram_symb() -> QROAMCleanQRAM:
    N, b = sympy.symbols("N b", positive=True, integer=True)
    qroam_clean_qram_symb = QROAMCleanQRAM(N, b)
    return qroam_clean_qram_symb


@bloq_example
def _qroam_clean_qram() -> QROAMCleanQRAM:
    qroam_clean_qram = QROAMCleanQRAM(8, 2, data=(1, 3, 0, 2, 2, 1, 3, 0))
    return qroam_clean_qram


_QROM_QRAM_DOC = BloqDocSpec(bloq_cls=QROMQRAM, examples=(_qrom_qram_symb, _qrom_qram))
_SELECT_SWAP_QRAM_DOC = BloqDocSpec(
    bloq_cls=SelectSwapQRAM, examples=(_select_swap_qram_symb, _select_swap_qram)
)
_QROAM_CLEAN_QRAM_DOC = BloqDocSpec(
    bloq_cls=QROAMCleanQRAM, examples=(_qroam_clean_qram_symb, _qroam_clean_qram)
)
