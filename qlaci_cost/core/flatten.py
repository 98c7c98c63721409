"""Decompositions flattened once per bloq: `flatten_until(bloq, keep)`.

Qualtran's `CompositeBloq.flatten` opens one level of the whole circuit at a time and rebuilds
the circuit at every level, so a three-level decomposition is built three times, and a bloq
used twice (two QRAM loads, two routing trees) is decomposed twice. `flatten_until` flattens
each distinct sub-bloq once (bloqs are frozen and hashable: equal bloqs have equal
decompositions), memoized per process, and splices the flat pieces into the parent with
Qualtran's `BloqBuilder.add_from`: the circuit is built once, in the same leaf gates wired the
same way (bloq instances are numbered differently; nothing reads those numbers).

`verify` measures one decomposition by several paths (gate counts, depths, the Cirq circuit, a
simulation); with the memo they share it. A bloq that cannot be hashed (one holding an array)
is flattened every time. The memo assumes decompositions do not change while the process runs;
code that patches one (a test) calls `flatten_until.cache_clear()` first (it empties the memo
of `decomposition` too).
"""

import functools
from collections.abc import Callable

import numpy as np
from qualtran import (
    Bloq,
    BloqBuilder,
    CompositeBloq,
    DecomposeNotImplementedError,
    DecomposeTypeError,
    Soquet,
)

__all__ = ["FLATTEN_MEMO", "decomposition", "flatten_until"]

#: Flattened bloqs kept in memory: the distinct bloqs and sub-bloqs of one `verify` run at its
#: default sizes are a few hundred, each of a few thousand leaf instances at most.
FLATTEN_MEMO = 512


def flatten_until(bloq: Bloq, keep: Callable[[Bloq], bool]) -> CompositeBloq:
    """`bloq` decomposed, and every instance not kept (`keep(bloq)` False) decomposed again,
    until each instance is kept or has no decomposition (it stays as it is: the caller decides
    whether that is an error). `keep` must be a module-level function (it keys the memo).

    Raises:
        DecomposeTypeError, DecomposeNotImplementedError: `bloq` itself has no decomposition.
    """
    try:
        return _memo(bloq, keep)
    except TypeError:  # unhashable: flattened every time
        return _flatten(bloq, keep)


@functools.lru_cache(maxsize=FLATTEN_MEMO)
def _memo(bloq: Bloq, keep: Callable[[Bloq], bool]) -> CompositeBloq:
    return _flatten(bloq, keep)


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


def _flatten(bloq: Bloq, keep: Callable[[Bloq], bool]) -> CompositeBloq:
    cbloq = decomposition(bloq)
    if all(keep(binst.bloq) for binst in cbloq.bloq_instances):
        return cbloq
    bb, _ = BloqBuilder.from_signature(cbloq.signature)
    renamed: dict[Soquet, Soquet] = {}
    for binst, in_soqs, old_out_soqs in cbloq.iter_bloqsoqs():
        in_soqs = {name: _renamed(soqs, renamed) for name, soqs in in_soqs.items()}
        sub = binst.bloq
        flat = None
        if not keep(sub):
            try:
                flat = flatten_until(sub, keep)
            except (DecomposeTypeError, DecomposeNotImplementedError):
                flat = None  # no decomposition: kept as it is
        new_out_soqs = (
            bb.add_from(flat, **in_soqs) if flat is not None else bb.add_t(sub, **in_soqs)
        )
        for old, new in zip(old_out_soqs, new_out_soqs):
            _record(old, new, renamed)
    final = {name: _renamed(soqs, renamed) for name, soqs in cbloq.final_soqs().items()}
    return bb.finalize(**final)


def _renamed(soqs, renamed: dict):
    if isinstance(soqs, Soquet):
        return renamed.get(soqs, soqs)
    arr = np.asarray(soqs)
    out = np.empty(arr.shape, dtype=object)
    for index, soq in np.ndenumerate(arr):
        out[index] = renamed.get(soq, soq)
    return out


def _record(old, new, renamed: dict) -> None:
    if isinstance(old, Soquet):
        renamed[old] = new
        return
    for o, n in zip(np.asarray(old).reshape(-1), np.asarray(new).reshape(-1)):
        renamed[o] = n
