"""Depth cost keys: `Depth`, `ToffoliDepth` and `TDepth` (longest weighted path, per qubit).

Qualtran 0.7.0 has no depth cost key. These follow `QubitCount`'s tiers: a bloq's own
`my_static_costs` closed form first (Qualtran checks it before calling `compute`), then leaf
rules, then an as-soon-as-possible schedule of the decomposition, then a serial call-graph bound.

Exactness: the schedule tracks every qubit separately, so for a decomposition whose callees are
all leaves it is exactly the depth of the circuit with each gate placed as early as its qubits
allow, which is what `cirq.Circuit(ops)` (insert strategy EARLIEST) builds, so it equals
`len(circuit)`. A callee that is not a leaf is scheduled as one block (it starts when its last
input qubit is ready, all its outputs are ready when it ends): an upper bound. The call-graph
fallback (callees one after another) is an upper bound too. `flat_depth` flattens first and is
exact. See docs/conventions.md#depth.
"""

import math
from collections.abc import Callable
from typing import Any, Union

from attrs import frozen
from qualtran import Bloq, CompositeBloq, DecomposeNotImplementedError, DecomposeTypeError
from qualtran.resource_counting import CostKey
from qualtran.resource_counting._call_graph import get_bloq_callee_counts
from qualtran.symbolics import SymbolicInt, is_symbolic, smax

from qlaci_cost.core._qualtran_adapter import is_bookkeeping
from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, Conventions
from qlaci_cost.core.flatten import flatten_until, instances_in_order
from qlaci_cost.core.leaves import leaf_class

__all__ = [
    "Depth",
    "ToffoliDepth",
    "TDepth",
    "asap_depth",
    "flat_depth",
    "flatten_to_leaves",
    "leaf_depths",
    "static_depth",
]


def flatten_to_leaves(bloq: Bloq) -> CompositeBloq:
    """Decompose `bloq` until every bloq instance is a leaf gate (`leaves.leaf_class`).

    Each distinct bloq is flattened once per process (`core.flatten.flatten_until`): `verify`
    measures the counts, depths and Cirq circuit of one decomposition through several paths.

    Raises:
        ValueError: naming the first bloq that is neither a leaf nor decomposable.
    """
    cbloq = flatten_until(bloq, _is_leaf)
    for binst in cbloq.bloq_instances:
        if leaf_class(binst.bloq) is None:
            raise ValueError(f"{binst.bloq} has no decomposition into leaf gates")
    return cbloq


def _is_leaf(bloq: Bloq) -> bool:
    return leaf_class(bloq) is not None


def asap_depth(cbloq: CompositeBloq, weight_of: Callable[[Bloq], SymbolicInt]) -> SymbolicInt:
    """Longest weighted path of `cbloq`, tracking each qubit's ready time separately.

    Wiring bloqs (split, join, allocate, free, ...) pass ready times through unchanged; a newly
    allocated qubit is ready at time 0. Every other bloq starts when its last input qubit is
    ready and sets all its output qubits to start + `weight_of(bloq)`.
    """

    def end(bloq: Bloq, flat_in: list) -> SymbolicInt:
        start = smax(*flat_in) if len(flat_in) > 1 else (flat_in[0] if flat_in else 0)
        return start + weight_of(bloq)

    depth: SymbolicInt = 0
    for t in _asap_ends(cbloq, 0, end):
        depth = smax(depth, t)
    return depth


def _asap_ends(cbloq: CompositeBloq, zero: Any, end: Callable[[Bloq, list], Any]) -> list:
    """The end times of `cbloq`'s bloqs (wiring excluded) in one as-soon-as-possible pass, in
    order: each qubit carries a ready time (`zero` for an input of `cbloq` or a new qubit);
    wiring passes them through; any other bloq ends at `end(bloq, its inputs' ready times)`,
    the ready time of all its outputs. Wires are named (bloq number, register name, index)."""
    ready: dict[tuple, list] = {}
    ends = []
    for k, (bloq, inputs) in enumerate(instances_in_order(cbloq)):
        flat_in: list = []
        for _reg, _idx, (src, src_reg, src_idx) in inputs:
            key = (src, src_reg.name, src_idx)
            flat_in.extend(ready.pop(key) if key in ready else [zero] * src_reg.bitsize)
        n_out = sum(reg.bitsize * math.prod(reg.shape) for reg in bloq.signature.rights())
        if is_bookkeeping(bloq):
            flat_out = (flat_in + [zero] * n_out)[:n_out]
        else:
            ends.append(end(bloq, flat_in))
            flat_out = [ends[-1]] * n_out
        pos = 0
        for reg in bloq.signature.rights():
            for idx in reg.all_idxs():
                ready[k, reg.name, idx] = flat_out[pos : pos + reg.bitsize]
                pos += reg.bitsize
    return ends


@frozen
class _LongestPath(CostKey[SymbolicInt]):
    """Shared tiers of the depth keys; subclasses define `leaf_weight`."""

    def leaf_weight(self, cls: str, bloq: Bloq) -> SymbolicInt:
        raise NotImplementedError

    def compute(self, bloq: Bloq, get_callee_cost: Callable[[Bloq], SymbolicInt]) -> SymbolicInt:
        cls = leaf_class(bloq)
        if cls is not None:
            return 0 if cls == "free" else self.leaf_weight(cls, bloq)
        try:
            cbloq = bloq if isinstance(bloq, CompositeBloq) else bloq.decompose_bloq()
        except (DecomposeNotImplementedError, DecomposeTypeError):
            cbloq = None
        if cbloq is not None:
            return asap_depth(cbloq, get_callee_cost)
        # Serial fallback: every callee after the other (an upper bound).
        total: SymbolicInt = 0
        for callee, n in get_bloq_callee_counts(bloq):
            total += n * get_callee_cost(callee)
        return total

    def zero(self) -> SymbolicInt:
        return 0


@frozen
class Depth(_LongestPath):
    """Total gate layers: every leaf gate (Clifford, T, Toffoli-class, rotation, measurement)
    is one layer, wiring is zero. Exact for a decomposition into leaves, else an upper bound.
    """

    def leaf_weight(self, cls: str, bloq: Bloq) -> SymbolicInt:
        return 1

    def __str__(self):
        return "depth"


@frozen
class ToffoliDepth(_LongestPath):
    """Non-Clifford layers (Toffoli, And, CSWAP, T, rotation each one layer): reaction depth.
    Exact for a decomposition into leaves, else an upper bound.
    """

    def leaf_weight(self, cls: str, bloq: Bloq) -> SymbolicInt:
        return 1 if cls in ("toffoli", "t", "rotation") else 0

    def __str__(self):
        return "Toffoli depth"


@frozen
class TDepth(_LongestPath):
    """T layers: a Toffoli-class gate weighs `per_toffoli`, a T gate 1, a rotation
    `per_rotation` (its synthesized T count, applied in sequence). Exact for a decomposition into
    leaves, else an upper bound. Build it from a `Conventions` with `TDepth.of(conventions)`.
    """

    per_toffoli: int = 1
    per_rotation: SymbolicInt = 16

    @classmethod
    def of(cls, conventions: Conventions = DEFAULT_CONVENTIONS) -> "TDepth":
        return cls(conventions.t_depth_per_toffoli, conventions.t_per_rotation)

    def leaf_weight(self, cls: str, bloq: Bloq) -> SymbolicInt:
        return {"toffoli": self.per_toffoli, "t": 1, "rotation": self.per_rotation}.get(cls, 0)

    def __str__(self):
        return "T depth"


DepthKey = Union[Depth, ToffoliDepth, TDepth]


def flat_depth(bloq: Bloq, key: DepthKey) -> SymbolicInt:
    """Exact depth of `bloq` under `key`: flatten to leaves, then schedule as soon as possible."""
    cbloq = flatten_to_leaves(bloq)

    def weight(b: Bloq) -> SymbolicInt:
        cls = leaf_class(b)
        return 0 if cls == "free" else key.leaf_weight(cls, b)

    return asap_depth(cbloq, weight)


def leaf_depths(cbloq: CompositeBloq, conventions: Conventions = DEFAULT_CONVENTIONS) -> dict:
    """`depth`, `toffoli_depth` and `t_depth` of an already flat `cbloq` in one exact
    as-soon-as-possible pass (the same schedule as `flat_depth` with each key)."""
    keys = {"toffoli_depth": ToffoliDepth(), "t_depth": TDepth.of(conventions), "depth": Depth()}
    if is_symbolic(conventions.t_per_rotation):  # a symbolic eps: weights are expressions
        return {name: flat_depth(cbloq, key) for name, key in keys.items()}
    cache: dict = {}

    def weights(b: Bloq) -> tuple:
        if b not in cache:
            cls = leaf_class(b)
            cache[b] = tuple(0 if cls == "free" else k.leaf_weight(cls, b) for k in keys.values())
        return cache[b]

    def end(bloq: Bloq, flat_in: list) -> tuple:
        w = weights(bloq)
        return tuple(max((t[i] for t in flat_in), default=0) + w[i] for i in range(3))

    best = [0, 0, 0]
    for t in _asap_ends(cbloq, (0, 0, 0), end):
        best = [max(best[i], t[i]) for i in range(3)]
    return dict(zip(keys, best))


def static_depth(
    cost_key: CostKey,
    *,
    depth: SymbolicInt,
    toffoli_depth: SymbolicInt,
    t_depth: Union[SymbolicInt, None] = None,
):
    """Answer a depth key from closed forms inside a bloq's `my_static_costs`.

    `t_depth` may be omitted for a bloq with no T gates and no rotations: then every
    non-Clifford layer is a Toffoli-class layer and the T depth is `toffoli_depth` times the
    key's T depth per Toffoli (scaling every weight scales the longest path). Returns
    `NotImplemented` for other keys.
    """
    if isinstance(cost_key, Depth):
        return depth
    if isinstance(cost_key, ToffoliDepth):
        return toffoli_depth
    if isinstance(cost_key, TDepth):
        return toffoli_depth * cost_key.per_toffoli if t_depth is None else t_depth
    return NotImplemented
