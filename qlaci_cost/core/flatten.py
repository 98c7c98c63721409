"""Decompositions flattened once per bloq: `flatten_until(bloq, keep)`.

Qualtran's `CompositeBloq.flatten` opens one level of the whole circuit at a time and rebuilds
the circuit at every level, so a three-level decomposition is built three times, and a bloq
used twice (two QRAM loads, two routing trees) is decomposed twice. `flatten_until` flattens
each distinct sub-bloq once (bloqs are frozen and hashable: equal bloqs have equal
decompositions), memoized per process, and splices the flat pieces into the parent.

The splice builds the same `CompositeBloq` that Qualtran's `BloqBuilder.add_from` builds (the
same connections in the same order, the same numbered instances: `tests/core/test_flatten.py`
compares the two), without the builder's bookkeeping: each piece is read once into a `_Plan`
(its instances in Qualtran's greedy topological order, each input named by the output that
feeds it), and wires are matched by (instance number, register name, index) rather than by
hashing soquets, whose hash rehashes the whole bloq every time.

`verify` measures one decomposition by several paths (gate counts, depths, the Cirq circuit, a
simulation); with the memo they share it. A bloq that cannot be hashed (one holding an array)
is flattened every time. The memo assumes decompositions do not change while the process runs;
code that patches one (a test) calls `flatten_until.cache_clear()` first (it empties the memo
of `decomposition` too).
"""

import functools
from collections.abc import Callable
from typing import NamedTuple

from qualtran import (
    Bloq,
    BloqError,
    BloqInstance,
    CompositeBloq,
    Connection,
    DanglingT,
    DecomposeNotImplementedError,
    DecomposeTypeError,
    LeftDangle,
    RightDangle,
    Soquet,
    check_dtypes_consistent,
)

from qlaci_cost.core._qualtran_adapter import binst_graph, greedy_order

__all__ = ["FLATTEN_MEMO", "decomposition", "flatten_until", "instances_in_order"]

#: Flattened bloqs kept in memory: the distinct bloqs and sub-bloqs of one `verify` run at its
#: default sizes are a few hundred, each of a few thousand leaf instances at most.
FLATTEN_MEMO = 512

#: The input of a composite bloq in a `_Plan` source key (instances count from 0).
_INPUT = -1


class _Plan(NamedTuple):
    """A composite bloq read for splicing.

    `steps`: (bloq, inputs) per instance, in the order Qualtran's `iter_bloqsoqs` visits them;
    `inputs` and `finals` list (register, index, source) in signature order, where a source is
    (step number or `_INPUT`, register, index) of the output soquet feeding that input."""

    steps: tuple
    finals: tuple


class _Piece:
    """A flattened bloq and, read when first spliced into a parent, its `_Plan`."""

    __slots__ = ("cbloq", "_plan")

    def __init__(self, cbloq: CompositeBloq):
        self.cbloq = cbloq
        self._plan = None

    @property
    def plan(self) -> _Plan:
        if self._plan is None:
            self._plan = _plan(self.cbloq)
        return self._plan


def flatten_until(bloq: Bloq, keep: Callable[[Bloq], bool]) -> CompositeBloq:
    """`bloq` decomposed, and every instance not kept (`keep(bloq)` False) decomposed again,
    until each instance is kept or has no decomposition (it stays as it is: the caller decides
    whether that is an error). `keep` must be a module-level function (it keys the memo).

    Raises:
        DecomposeTypeError, DecomposeNotImplementedError: `bloq` itself has no decomposition.
    """
    return _piece(bloq, keep).cbloq


def _piece(bloq: Bloq, keep: Callable[[Bloq], bool]) -> _Piece:
    try:
        return _memo(bloq, keep)
    except TypeError:  # unhashable: flattened every time
        return _Piece(_flatten(bloq, keep))


@functools.lru_cache(maxsize=FLATTEN_MEMO)
def _memo(bloq: Bloq, keep: Callable[[Bloq], bool]) -> _Piece:
    return _Piece(_flatten(bloq, keep))


def decomposition(bloq: Bloq) -> CompositeBloq:
    """`bloq.decompose_bloq()` (`bloq` itself when it is a `CompositeBloq`), once per distinct
    bloq in this process: the cost queries, the depth schedule and `flatten_until` all open the
    same bloqs (Qualtran's Cirq-style gates, QROM for one, rebuild a Cirq circuit each time).

    Raises:
        DecomposeTypeError, DecomposeNotImplementedError: as `decompose_bloq` (never kept).
    """
    if isinstance(bloq, CompositeBloq):
        return bloq
    try:
        return _decomposed(bloq)
    except TypeError:  # unhashable: decomposed every time
        return bloq.decompose_bloq()


@functools.lru_cache(maxsize=FLATTEN_MEMO)
def _decomposed(bloq: Bloq) -> CompositeBloq:
    return bloq.decompose_bloq()


def _clear() -> None:
    _memo.cache_clear()
    _decomposed.cache_clear()


flatten_until.cache_clear = _clear  # type: ignore[attr-defined]


def instances_in_order(cbloq: CompositeBloq) -> tuple:
    """`cbloq`'s bloqs in the order `iter_bloqnections` visits them, as (bloq, inputs): each
    input (register, index, source) in signature order, its source (k, register, index) the
    output of the k-th bloq (-1: an input of `cbloq`) that feeds it. Read without hashing a
    soquet (whose hash rehashes its bloq)."""
    return _plan(cbloq).steps


def _plan(cbloq: CompositeBloq) -> _Plan:
    """`cbloq` read once: its instances in Qualtran's greedy topological order (as
    `iter_bloqsoqs`, and so `BloqBuilder.add_from`, visit them), each input with the output
    that feeds it."""
    graph = binst_graph(cbloq)
    step_of: dict[int, int] = {}  # id(binst) -> step number: no bloq hashing

    def fed(node) -> dict:
        feeds = {}
        for pred, data in graph.pred[node].items():
            k = _INPUT if isinstance(pred, DanglingT) else step_of[id(pred)]
            for cxn in data["cxns"]:
                feeds[cxn.right.reg.name, cxn.right.idx] = (k, cxn.left.reg, cxn.left.idx)
        return feeds

    steps = []
    for binst in greedy_order(graph):
        if isinstance(binst, DanglingT):
            continue
        feeds = fed(binst)
        inputs = tuple(
            (reg, idx, feeds[reg.name, idx])
            for reg in binst.bloq.signature.lefts()
            for idx in reg.all_idxs()
        )
        step_of[id(binst)] = len(steps)
        steps.append((binst.bloq, inputs))
    feeds = fed(RightDangle) if RightDangle in graph else {}
    finals = tuple(
        (reg, idx, feeds[reg.name, idx])
        for reg in cbloq.signature.rights()
        for idx in reg.all_idxs()
    )
    return _Plan(tuple(steps), finals)


class _Splice:
    """The connections and instances of the flat bloq being built, numbered as `BloqBuilder`
    numbers them (0, 1, ... in the order added)."""

    def __init__(self):
        self.cxns: list = []
        self.binsts: set = set()

    def add(self, bloq: Bloq, inputs, sources: list) -> BloqInstance:
        binst = BloqInstance(bloq, i=len(self.binsts))
        self.binsts.add(binst)
        for (reg, idx, _), soq in zip(inputs, sources):
            self.cxns.append(Connection(soq, Soquet(binst, reg, idx)))
            _check_dtypes(soq, reg, bloq)
        return binst


def _check_dtypes(soq: Soquet, reg, bloq) -> None:
    """`BloqBuilder`'s check of one wire's types (a splice joins wires of two pieces)."""
    if not check_dtypes_consistent(soq.reg.dtype, reg.dtype):
        raise BloqError(
            f"{bloq} register dtypes are not consistent "
            f"{soq.reg.name}: {soq.reg.dtype} vs {reg.name}: {reg.dtype}."
        )


def _outputs(binst: BloqInstance, k: int, made: dict) -> None:
    for reg in binst.bloq.signature.rights():
        for idx in reg.all_idxs():
            made[k, reg.name, idx] = Soquet(binst, reg, idx)


def _flatten(bloq: Bloq, keep: Callable[[Bloq], bool]) -> CompositeBloq:
    cbloq = decomposition(bloq)
    if all(keep(binst.bloq) for binst in cbloq.bloq_instances):
        return cbloq
    return _spliced(cbloq, keep)


def _spliced(cbloq: CompositeBloq, keep: Callable[[Bloq], bool]) -> CompositeBloq:
    splice = _Splice()
    made = {
        (_INPUT, reg.name, idx): Soquet(LeftDangle, reg, idx)
        for reg in cbloq.signature.lefts()
        for idx in reg.all_idxs()
    }
    plan = _plan(cbloq)
    for k, (sub, inputs) in enumerate(plan.steps):
        sources = [made[src, reg.name, idx] for _, _, (src, reg, idx) in inputs]
        piece = None
        if not keep(sub):
            try:
                piece = _piece(sub, keep).plan
            except (DecomposeTypeError, DecomposeNotImplementedError):
                piece = None  # no decomposition: kept as it is
        if piece is None:
            _outputs(splice.add(sub, inputs, sources), k, made)
            continue
        local = {(_INPUT, reg.name, idx): soq for (reg, idx, _), soq in zip(inputs, sources)}
        for j, (leaf, leaf_inputs) in enumerate(piece.steps):
            leaf_sources = [local[src, reg.name, idx] for _, _, (src, reg, idx) in leaf_inputs]
            _outputs(splice.add(leaf, leaf_inputs, leaf_sources), j, local)
        for reg, idx, (src, src_reg, src_idx) in piece.finals:
            made[k, reg.name, idx] = local[src, src_reg.name, src_idx]
    for reg, idx, (src, src_reg, src_idx) in plan.finals:
        soq = made[src, src_reg.name, src_idx]
        splice.cxns.append(Connection(soq, Soquet(RightDangle, reg, idx)))
        _check_dtypes(soq, reg, "Finalizing")
    return CompositeBloq(splice.cxns, cbloq.signature, bloq_instances=splice.binsts)
