"""The one place that touches Qualtran's private API (qualtran 0.7.0)."""

from collections.abc import Callable

from qualtran import Bloq, CompositeBloq
from qualtran.bloqs.bookkeeping._bookkeeping_bloq import _BookkeepingBloq
from qualtran.resource_counting._qubit_counts import _cbloq_max_width
from qualtran.symbolics import SymbolicInt

__all__ = ["is_bookkeeping", "cbloq_peak_width"]


def is_bookkeeping(bloq: Bloq) -> bool:
    """True for Split, Join, Partition, Cast, Allocate, Free and the other wiring bloqs."""
    return isinstance(bloq, _BookkeepingBloq)


def cbloq_peak_width(cbloq: CompositeBloq, width_of: Callable[[Bloq], SymbolicInt]) -> SymbolicInt:
    """Peak number of live qubits of `cbloq` executed sequentially (Qualtran's QubitCount rule)."""
    return _cbloq_max_width(cbloq._binst_graph, width_of)  # noqa: SLF001
