"""Qualtran's `QROAMClean` (clean ancillas; coherent or measurement-based uncompute) as a QRAM
model."""

from functools import cached_property
from typing import Optional

import sympy
from attrs import frozen
from qualtran import (
    Adjoint,
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    QAny,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.arithmetic.bitwise import Xor
from qualtran.bloqs.basic_gates import CNOT, Toffoli
from qualtran.bloqs.data_loading import QROAMClean
from qualtran.symbolics import SymbolicInt, is_symbolic

from qlaci_cost.errors import InputError
from qlaci_cost.qram.interface import (
    address_bitsize,
)
from qlaci_cost.qram.qualtran_base import (
    CountsT,
    LookupQRAM,
    block_sizes,
    check_data,
    check_log_block,
    exact_div,
    lookup_counts,
    lookup_depth,
    merged_counts,
    optimal_log_block_size,
    second_lookup_start,
    swap_counts,
    swap_depth,
)
from qlaci_cost.qram.select_swap import SelectSwapQRAM
from qlaci_cost.symbolics.rounding import smin

__all__ = ["MEASUREMENT_NOTE", "MEASUREMENT_UNMODELLED", "QROAMCleanQRAM", "UNCOMPUTE_MODES"]

UNCOMPUTE_MODES = ("coherent", "measurement")

#: Metrics the measurement-based uncompute does not model (`MEASUREMENT_NOTE`): Qualtran gives
#: only its Toffoli count, so these are neither exact nor bounds (a concrete circuit, costed
#: with the uncompute as a block, can exceed them: qubits at N = 2, depths at N = 32).
MEASUREMENT_UNMODELLED = frozenset(
    {"qubits", "clifford", "measurements", "toffoli_depth", "t_depth", "depth"}
)

MEASUREMENT_NOTE = (
    "qroam-clean with measurement-based uncompute: the uncompute is Qualtran's QROAMCleanAdjoint, "
    "costed by its call graph (ceil(N/K') + K' - 4 Toffolis, Berry et al. 2019 App. C) only; "
    "its X-basis measurements, Cliffords, ancillas and depth are not modelled and it has no "
    "leaf decomposition in Qualtran 0.7.0 (not verified by simulation)"
)


@frozen
class QROAMCleanQRAM(LookupQRAM):
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
        check_data(self)
        check_log_block(self, "log_block_size", self.log_block_size)
        if self.uncompute not in UNCOMPUTE_MODES:
            raise InputError(
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
        k, _, _ = block_sizes(self)
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
        value = exact_div(n_cells, 2**k_u) + 2**k_u - 4
        return sympy.Max(0, value) if is_symbolic(value) else max(0, value)

    def _closed_counts(self) -> CountsT:
        _, block, _ = block_sizes(self)
        n, b = self.n_cells, self.bits
        if self.uncompute == "coherent":
            # Load (QROM + swap network), b CNOTs out, exact reverse (swap network + QROM).
            return merged_counts(
                (2, lookup_counts(n, b, block)), (2, swap_counts(b, block)), (b, {CNOT(): 1})
            )
        # Load, b CNOTs out, Qualtran's measurement-based uncompute (its Toffolis only).
        return merged_counts(
            (1, lookup_counts(n, b, block)),
            (1, swap_counts(b, block)),
            (b, {CNOT(): 1}),
            (self._uncompute_toffolis(), {Toffoli(): 1}),
        )

    def _closed_qubits(self) -> SymbolicInt:
        k, block, _ = block_sizes(self)
        return 2 * address_bitsize(self.n_cells) - k - 1 + self.bits * (block + 1)

    def _closed_depths(self, per_toffoli):
        k, block, m = block_sizes(self)
        if self.uncompute == "coherent":
            h, lookup, _, start = second_lookup_start(self)

            def toffoli_depth(p):
                return 2 * p * (m - 2) + 8 * k - smin(8 * k, p * (h - 1))

            return start + lookup - h, toffoli_depth(1), toffoli_depth(per_toffoli)
        lookup = lookup_depth(self.n_cells, self.bits, block)
        swap = swap_depth(k, block)
        u = self._uncompute_toffolis()
        return lookup + swap + 1 + u, m - 2 + 4 * k + u, per_toffoli * (m - 2 + u) + 4 * k

    def __str__(self):
        return f"QROAMCleanQRAM(N={self.n_cells}, b={self.bits}, uncompute={self.uncompute})"


@bloq_example
def _qroam_clean_qram_symb() -> QROAMCleanQRAM:
    N, b = sympy.symbols("N b", positive=True, integer=True)
    qroam_clean_qram_symb = QROAMCleanQRAM(N, b)
    return qroam_clean_qram_symb


@bloq_example
def _qroam_clean_qram() -> QROAMCleanQRAM:
    qroam_clean_qram = QROAMCleanQRAM(8, 2, data=(1, 3, 0, 2, 2, 1, 3, 0))
    return qroam_clean_qram


_QROAM_CLEAN_QRAM_DOC = BloqDocSpec(
    bloq_cls=QROAMCleanQRAM, examples=(_qroam_clean_qram_symb, _qroam_clean_qram)
)
