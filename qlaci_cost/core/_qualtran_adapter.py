"""The one place that touches Qualtran's private API (qualtran 0.7.0)."""

from collections.abc import Callable

import networkx as nx
from qualtran import Bloq, CompositeBloq
from qualtran._infra.binst_graph_iterators import greedy_topological_sort
from qualtran.bloqs.bookkeeping._bookkeeping_bloq import _BookkeepingBloq
from qualtran.resource_counting._qubit_counts import _cbloq_max_width
from qualtran.symbolics import SymbolicInt

__all__ = ["binst_graph", "cbloq_peak_width", "greedy_order", "is_bookkeeping"]


def is_bookkeeping(bloq: Bloq) -> bool:
    """True for Split, Join, Partition, Cast, Allocate, Free and the other wiring bloqs."""
    return isinstance(bloq, _BookkeepingBloq)


def cbloq_peak_width(cbloq: CompositeBloq, width_of: Callable[[Bloq], SymbolicInt]) -> SymbolicInt:
    """Peak number of live qubits of `cbloq` executed sequentially (Qualtran's QubitCount rule)."""
    return _cbloq_max_width(cbloq._binst_graph, width_of)  # noqa: SLF001


def binst_graph(cbloq: CompositeBloq) -> nx.DiGraph:
    """`cbloq`'s graph of bloq instances (cached on it; each edge holds its `cxns`): read only."""
    return cbloq._binst_graph  # noqa: SLF001


def greedy_order(graph: nx.DiGraph):
    """The instances of `graph` in the order `CompositeBloq.iter_bloqnections` visits them
    (dangling nodes included)."""
    return greedy_topological_sort(graph)
