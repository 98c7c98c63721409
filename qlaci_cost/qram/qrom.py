"""Qualtran's `QROM` (unary iteration) as a QRAM model."""

from functools import cached_property

import sympy
from attrs import frozen
from qualtran import (
    BloqBuilder,
    BloqDocSpec,
    SoquetT,
    bloq_example,
)
from qualtran.bloqs.data_loading import QROM
from qualtran.symbolics import SymbolicInt

from qlaci_cost.qram.interface import (
    address_bitsize,
)
from qlaci_cost.qram.qualtran_base import (
    CountsT,
    LookupQRAM,
    lookup_counts,
    lookup_depth,
    worst_words,
)

__all__ = ["QROMQRAM"]


@frozen
class QROMQRAM(LookupQRAM):
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
        return worst_words(n_cells, bits, 1)

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
        return lookup_counts(self.n_cells, self.bits, 1)

    def _closed_qubits(self) -> SymbolicInt:
        return 2 * address_bitsize(self.n_cells) + self.bits - 1

    def _closed_depths(self, per_toffoli):
        n_and = self.n_cells - 2
        return lookup_depth(self.n_cells, self.bits, 1), n_and, per_toffoli * n_and

    def __str__(self):
        return f"QROMQRAM(N={self.n_cells}, b={self.bits})"


@bloq_example
def _qrom_qram_symb() -> QROMQRAM:
    N, b = sympy.symbols("N b", positive=True, integer=True)
    qrom_qram_symb = QROMQRAM(N, b)
    return qrom_qram_symb


@bloq_example
def _qrom_qram() -> QROMQRAM:
    qrom_qram = QROMQRAM(4, 2, data=(1, 3, 0, 2))
    return qrom_qram


_QROM_QRAM_DOC = BloqDocSpec(bloq_cls=QROMQRAM, examples=(_qrom_qram_symb, _qrom_qram))
