"""Stage bloqs of the parallel bucket-brigade QRAM (`bucket_brigade_parallel`).

One concept per module: `parallel_base` (layout, helpers, stage base), `parallel_fanout`,
`parallel_routing`, `parallel_leaves`, `parallel_parity`, `parallel_memory`. This module keeps
the old import path working.
"""

from qlaci_cost.qram.parallel_base import _ceil_log2, _concrete, _soqs  # noqa: F401
from qlaci_cost.qram.parallel_fanout import AddressFanout, CopyTree, TransversalCNOT
from qlaci_cost.qram.parallel_leaves import AndLayer, LeafAnd
from qlaci_cost.qram.parallel_memory import MemoryWrite, PlaneWrite
from qlaci_cost.qram.parallel_parity import ParityAccumulate, ParityTree
from qlaci_cost.qram.parallel_routing import RouterLevel, RouterRoot, RouterTree

__all__ = [
    "AddressFanout",
    "AndLayer",
    "CopyTree",
    "LeafAnd",
    "MemoryWrite",
    "ParityAccumulate",
    "ParityTree",
    "PlaneWrite",
    "RouterLevel",
    "RouterRoot",
    "RouterTree",
    "TransversalCNOT",
]
