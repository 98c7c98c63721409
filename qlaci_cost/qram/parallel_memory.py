"""Memory stages of the parallel bucket brigade: bit-plane writes of the data."""

from functools import cached_property
from typing import Optional

import attrs
import sympy
from attrs import frozen
from qualtran import (
    BloqBuilder,
    BloqDocSpec,
    DecomposeTypeError,
    QAny,
    Register,
    Signature,
    bloq_example,
)
from qualtran.bloqs.basic_gates import XGate
from qualtran.symbolics import SymbolicInt

from qlaci_cost.qram.interface import (
    data_converter,
)
from qlaci_cost.qram.parallel_base import (
    ParallelStage,
    join_planes,
    require_concrete,
    split_planes,
)

__all__ = ["ParallelMemoryWrite", "PlaneWrite"]


@frozen
class PlaneWrite(ParallelStage):
    """X on the cells of one bit plane whose data bit is 1 (`pattern`; None: every cell).

    Registers:
        plane: N qubits.

    ## Cost
    Clifford = number of ones (N if `pattern` is None), depth 1 (0 with no ones), qubits N.
    Exact.
    """

    n_cells: SymbolicInt
    pattern: Optional[tuple[int, ...]] = attrs.field(default=None, converter=data_converter)

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("plane", QAny(self.n_cells))])

    @cached_property
    def ones(self) -> SymbolicInt:
        return self.n_cells if self.pattern is None else sum(self.pattern)

    def build_composite_bloq(self, bb: BloqBuilder, plane):
        require_concrete(self.n_cells)
        if self.pattern is None:
            raise DecomposeTypeError(f"{self} needs a concrete pattern")
        qs = bb.split(plane)
        for j, bit in enumerate(self.pattern):
            if bit:
                qs[j] = bb.add(XGate(), q=qs[j])
        return {"plane": bb.join(qs)}

    def build_call_graph(self, ssa):
        return {XGate(): self.ones}

    def _closed_forms(self):
        return self.n_cells, 1 if (self.pattern is None or self.ones) else 0, 0

    def adjoint(self) -> "PlaneWrite":
        return self


@frozen
class ParallelMemoryWrite(ParallelStage):
    """Write (or, applied again, clear) the words into N b memory qubits: a `PlaneWrite` per
    bit plane t with pattern (bit t of data[j])_j; None: the worst case, every bit 1.

    Registers:
        memory: N b qubits (bit plane t at t N .. t N + N - 1).

    ## Cost
    Clifford = number of data bits equal to 1 (worst case N b), depth 1 (0 when every word is
    0), qubits N b. Exact.
    """

    n_cells: SymbolicInt
    bits: SymbolicInt
    data: Optional[tuple[int, ...]] = attrs.field(default=None, converter=data_converter)

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("memory", QAny(self.n_cells * self.bits))])

    def plane_writes(self) -> list[PlaneWrite]:
        """The `PlaneWrite` of each bit plane (concrete data only)."""
        b = self.bits
        return [
            PlaneWrite(self.n_cells, tuple((w >> (b - 1 - t)) & 1 for w in self.data))
            for t in range(b)
        ]

    def build_composite_bloq(self, bb: BloqBuilder, memory):
        require_concrete(self.n_cells, self.bits)
        if self.data is None:
            raise DecomposeTypeError(f"{self} needs concrete data")
        p = split_planes(bb, memory, self.n_cells, self.bits)
        for t, write in enumerate(self.plane_writes()):
            p[t] = bb.add(write, plane=p[t])
        return {"memory": join_planes(bb, p, self.n_cells, self.bits)}

    def build_call_graph(self, ssa):
        if self.data is None:
            return {PlaneWrite(self.n_cells): self.bits}
        counts: dict = {}
        for write in self.plane_writes():
            counts[write] = counts.get(write, 0) + 1
        return counts

    def _closed_forms(self):
        depth = 1 if (self.data is None or any(self.data)) else 0
        return self.n_cells * self.bits, depth, 0

    def adjoint(self) -> "ParallelMemoryWrite":
        return self

    def __str__(self):
        return f"ParallelMemoryWrite(N={self.n_cells}, b={self.bits})"


@bloq_example
def _plane_write_symb() -> PlaneWrite:
    N = sympy.symbols("N", positive=True, integer=True)
    plane_write_symb = PlaneWrite(N)
    return plane_write_symb


@bloq_example
def _plane_write() -> PlaneWrite:
    plane_write = PlaneWrite(4, pattern=(1, 0, 1, 1))
    return plane_write


@bloq_example
def _parallel_memory_write_symb() -> ParallelMemoryWrite:
    N, b = sympy.symbols("N b", positive=True, integer=True)
    parallel_memory_write_symb = ParallelMemoryWrite(N, b)
    return parallel_memory_write_symb


@bloq_example
def _parallel_memory_write() -> ParallelMemoryWrite:
    parallel_memory_write = ParallelMemoryWrite(4, 2, data=(1, 3, 0, 2))
    return parallel_memory_write


_PLANE_WRITE_DOC = BloqDocSpec(bloq_cls=PlaneWrite, examples=(_plane_write_symb, _plane_write))
_PARALLEL_MEMORY_WRITE_DOC = BloqDocSpec(
    bloq_cls=ParallelMemoryWrite, examples=(_parallel_memory_write_symb, _parallel_memory_write)
)
