"""Qualtran's `SelectSwapQROM` (dirty ancillas) as a QRAM model."""

from functools import cached_property
from typing import Optional

import sympy
from attrs import frozen
from qualtran import (
    BloqBuilder,
    BloqDocSpec,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.basic_gates import CNOT
from qualtran.bloqs.data_loading import SelectSwapQROM
from qualtran.symbolics import SymbolicInt

from qlaci_cost.qram.interface import (
    address_bitsize,
)
from qlaci_cost.qram.qualtran_base import (
    CountsT,
    LookupQRAM,
    block_sizes,
    check_data,
    check_log_block,
    lookup_counts,
    merged_counts,
    optimal_log_block_size,
    second_lookup_start,
    swap_counts,
    worst_words,
)
from qlaci_cost.symbolics.rounding import smax, smin

__all__ = ["SelectSwapQRAM"]


@frozen
class SelectSwapQRAM(LookupQRAM):
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
      (when the second QROM's first load can start; see `second_lookup_start`). For the
      default k and large N: 2L + 2D + 50k + 4 - 3h.
    - toffoli_depth = 2 (M - 2) + 16k - min(8k, h - 1); t_depth = 2p (M - 2) + 16k
      - min(8k, p (h - 1)): the second QROM's descent hides behind two swap networks.
    """

    log_block_size: Optional[SymbolicInt] = None

    def __attrs_post_init__(self):
        check_data(self)
        check_log_block(self, "log_block_size", self.log_block_size)

    @classmethod
    def worst_case_data(
        cls, n_cells: int, bits: int, log_block_size: Optional[int] = None
    ) -> tuple[int, ...]:
        k = optimal_log_block_size(n_cells, bits) if log_block_size is None else log_block_size
        return worst_words(n_cells, bits, 2**k)

    @cached_property
    def qualtran_bloq(self) -> SelectSwapQROM:
        k, _, _ = block_sizes(self)
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
        _, block, _ = block_sizes(self)
        n, b = self.n_cells, self.bits
        # QROM twice (load, unload), swap network four times (swap, reverse, swap, reverse),
        # b CNOTs into the target twice (the second toggle cancels the dirty registers).
        return merged_counts(
            (2, lookup_counts(n, b, block)), (4, swap_counts(b, block)), (2 * b, {CNOT(): 1})
        )

    def _closed_qubits(self) -> SymbolicInt:
        k, block, _ = block_sizes(self)
        return 2 * address_bitsize(self.n_cells) - k - 1 + self.bits * (block + 1)

    def _closed_depths(self, per_toffoli):
        k, _, m = block_sizes(self)
        h, lookup, swap, start = second_lookup_start(self)
        # After `start` the second QROM is one chain; its last load ends L - 2h + 1 later, then
        # the swap network (register 0 out after 25 k), CNOTs (1) and the reverse network (D).
        last_load = start + lookup - 2 * h + 1
        depth = smax(last_load + 25 * k + 1 + swap, start + lookup - h)
        return depth, self._toffoli_depth(1, k, m, h), self._toffoli_depth(per_toffoli, k, m, h)

    @staticmethod
    def _toffoli_depth(p, k, m, h):
        # Non-Clifford layers (And = p, T = 1): QROM p (M - 2), four networks of 4 T layers per
        # level; the second QROM's descent (h - 1 And) hides behind two networks (8k) if it can.
        return 2 * p * (m - 2) + 16 * k - smin(8 * k, p * (h - 1))

    def __str__(self):
        return f"SelectSwapQRAM(N={self.n_cells}, b={self.bits})"


@bloq_example
def _select_swap_qram_symb() -> SelectSwapQRAM:
    N, b = sympy.symbols("N b", positive=True, integer=True)
    select_swap_qram_symb = SelectSwapQRAM(N, b)
    return select_swap_qram_symb


@bloq_example
def _select_swap_qram() -> SelectSwapQRAM:
    select_swap_qram = SelectSwapQRAM(8, 2, data=(1, 3, 0, 2, 2, 1, 3, 0))
    return select_swap_qram


_SELECT_SWAP_QRAM_DOC = BloqDocSpec(
    bloq_cls=SelectSwapQRAM, examples=(_select_swap_qram_symb, _select_swap_qram)
)
