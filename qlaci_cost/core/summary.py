"""`cost_summary`: every metric of a bloq in one call, symbolic or numeric."""

import functools
from collections.abc import Mapping
from typing import Any, Union

import attrs
import numpy as np
import sympy
from attrs import frozen
from qualtran import Bloq
from qualtran.resource_counting import QubitCount, get_cost_value
from qualtran.symbolics import SymbolicInt, is_symbolic

from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, Conventions
from qlaci_cost.core.depth import Depth, TDepth, ToffoliDepth
from qlaci_cost.core.grids import pad_size
from qlaci_cost.core.metric_names import METRICS
from qlaci_cost.errors import InputError, describe_value
from qlaci_cost.symbolics.exact import evaluate
from qlaci_cost.symbolics.exact import integral as _exact

__all__ = ["BLOCK_DEPTH_NOTE", "METRICS", "CostSummary", "cost_summary", "evaluate"]


@frozen
class CostSummary:
    """All metrics of one bloq under one set of conventions.

    Every metric is an `int` or a sympy expression. `notes` carries labels that must travel
    with the numbers (for example that a QRAM is an assumed oracle, or that N was padded).
    """

    qubits: SymbolicInt
    toffoli: SymbolicInt
    t_count: SymbolicInt
    clifford: SymbolicInt
    rotations: SymbolicInt
    measurements: SymbolicInt
    toffoli_depth: SymbolicInt
    t_depth: SymbolicInt
    depth: SymbolicInt
    conventions: Conventions = DEFAULT_CONVENTIONS
    notes: tuple[str, ...] = attrs.field(default=(), converter=tuple)

    def metrics(self) -> dict[str, SymbolicInt]:
        return {m: getattr(self, m) for m in METRICS}

    @property
    def is_symbolic(self) -> bool:
        return any(is_symbolic(v) for v in self.metrics().values())

    def subs(self, values: Mapping[Union[str, sympy.Symbol], Any]) -> "CostSummary":
        """Substitute sizes (by name or Symbol) exactly; integer results become Python ints.

        Every key must name a symbol of the summary and every value be an integer >= 1 (a
        Python or numpy int or sympy Integer; never a float) or a sympy expression in other
        symbols. A symbol the closed forms take
        log2 of (N: cells, sequence length) is a power of two: another value is padded to the
        next power of two and a note says so, as `qram.build_symbolic` does.

        Raises:
            InputError: An unknown symbol, or a value that is not an integer >= 1, naming it.
        """
        checked, notes = _checked_sizes(self, values)
        out = attrs.evolve(self, **{m: evaluate(v, checked) for m, v in self.metrics().items()})
        return attrs.evolve(out, notes=out.notes + tuple(n for n in notes if n not in out.notes))

    def with_note(self, note: str) -> "CostSummary":
        return attrs.evolve(self, notes=self.notes + (note,))


@functools.lru_cache(maxsize=1024)
def _bare_log_symbols(expr: sympy.Basic) -> frozenset[str]:
    """The symbols under a bare log2 of `expr` (not inside floor/ceiling): they must be powers
    of two. A walk of the tree (rebuilding it without the rounded parts would re-evaluate every
    Max of it)."""
    names: set[str] = set()
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, (sympy.floor, sympy.ceiling)):
            continue
        if isinstance(e, sympy.log):
            names.update(s.name for s in e.args[0].free_symbols)
        stack.extend(e.args)
    return frozenset(names)


def _checked_sizes(summary: CostSummary, values) -> tuple[dict[str, int], list[str]]:
    """`subs`' values by symbol name, checked; padding notes for log2 symbols."""
    if not isinstance(values, Mapping):
        raise InputError(
            f"subs: {describe_value(values)} is not allowed: give a mapping of symbol names "
            "to integers >= 1, e.g. {'N': 1024, 'b': 8}"
        )
    exprs = [v for v in summary.metrics().values() if isinstance(v, sympy.Basic)]
    symbols = {s.name: s for e in exprs for s in e.free_symbols}
    logged = {name for e in exprs for name in _bare_log_symbols(e)}
    known = ", ".join(sorted(symbols)) or "none: every metric is a number"
    checked, notes = {}, []
    for key, value in values.items():
        name = key.name if isinstance(key, sympy.Symbol) else key
        if not isinstance(name, str) or name not in symbols:
            raise InputError(
                f"subs: symbol {describe_value(key)} is not allowed: the summary's symbols "
                f"are {known}"
            )
        if isinstance(value, sympy.Basic) and value.free_symbols:
            checked[name] = value  # a symbolic size (e.g. N = 2**m) stays symbolic
            continue
        if isinstance(value, sympy.Integer):
            value = int(value)
        if type(value) is bool or not isinstance(value, (int, np.integer)) or value < 1:
            raise InputError(
                f"subs: {name}={describe_value(value)} is not allowed: sizes are integers >= 1"
            )
        value = int(value)
        if name in logged and value & (value - 1):  # log2 of it must be exact: a power of two
            padded, _ = pad_size(value)
            notes.append(f"{name}={value} padded to the next power of two, {name}={padded}")
            value = padded
        checked[name] = value
    return checked, notes


def cost_summary(bloq: Bloq, conventions: Conventions = DEFAULT_CONVENTIONS) -> CostSummary:
    """Every metric of `bloq`: qubits, gate counts, T count and the three depths.

    One convention on every path (docs/conventions.md#one-number-for-a-concrete-circuit):
    - A bloq that decomposes to leaf gates (every concrete circuit) is measured on that
      decomposition: gate counts leaf by leaf (`LeafGateCounts`, never a hand-written call
      graph that disagrees with the decomposition), qubits the peak live width and depths the
      as-soon-as-possible schedule of the flattened circuit. These equal
      `decomposed.decomposed_summary` exactly.
    - A size-only (symbolic) bloq is costed by its closed forms (`my_static_costs`, call
      graph); a model's docstring says which of them are exact for its worst-case data and
      which are upper bounds (`BOUNDS`).
    - A bloq that decomposes but contains a part without a leaf decomposition (an assumed
      oracle, Qualtran's measurement-based QROAM uncompute) schedules that part as one block:
      its depths are upper bounds, and the summary carries `BLOCK_DEPTH_NOTE`.
    `t_count` = T gates + `conventions.t_per_toffoli` per Toffoli-class gate + rotations x T per
    rotation.
    """
    if not isinstance(bloq, Bloq):
        raise InputError(
            f"cost_summary: bloq={describe_value(bloq)} is not allowed: give a Qualtran Bloq, "
            "e.g. qlaci_cost.qram.build_symbolic('qrom', 1024, 8)"
        )
    if not isinstance(conventions, Conventions):
        raise InputError(
            f"cost_summary: conventions={describe_value(conventions)} is not allowed: give a "
            "qlaci_cost.Conventions"
        )
    from qlaci_cost.core.gate_counts import LeafGateCounts

    gc = get_cost_value(bloq, LeafGateCounts())
    toffoli = _exact(gc.toffoli + gc.cswap + gc.and_bloq)
    rotations = _exact(gc.rotation)
    t_count = _exact(
        gc.t + conventions.t_per_toffoli * toffoli + rotations * conventions.t_per_rotation
    )
    (shape, decomposes), notes = _shape(bloq, conventions), _notes(bloq)
    if shape is None:
        shape = {
            "qubits": get_cost_value(bloq, QubitCount()),
            "toffoli_depth": get_cost_value(bloq, ToffoliDepth()),
            "t_depth": get_cost_value(bloq, TDepth.of(conventions)),
            "depth": get_cost_value(bloq, Depth()),
        }
        if decomposes:
            notes += (BLOCK_DEPTH_NOTE,)
    return CostSummary(
        qubits=_exact(shape["qubits"]),
        toffoli=toffoli,
        t_count=t_count,
        clifford=_exact(gc.clifford),
        rotations=rotations,
        measurements=_exact(gc.measurement),
        toffoli_depth=_exact(shape["toffoli_depth"]),
        t_depth=_exact(shape["t_depth"]),
        depth=_exact(shape["depth"]),
        conventions=conventions,
        notes=notes,
    )


#: Carried by a summary whose depths schedule a part without a leaf decomposition as a block.
BLOCK_DEPTH_NOTE = (
    "depths are upper bounds: a part without a leaf decomposition is scheduled as one block"
)


def _shape(bloq: Bloq, conventions: Conventions) -> tuple[dict | None, bool]:
    """(qubits and depths measured on the leaf decomposition or None, whether `bloq` has a
    decomposition at all)."""
    from qualtran import DecomposeNotImplementedError, DecomposeTypeError

    from qlaci_cost.core._qualtran_adapter import cbloq_peak_width
    from qlaci_cost.core.depth import flatten_to_leaves, leaf_depths
    from qlaci_cost.core.flatten import decomposition

    try:
        decomposition(bloq)
    except (DecomposeNotImplementedError, DecomposeTypeError):
        return None, False
    try:
        cbloq = flatten_to_leaves(bloq)
    except ValueError:
        return None, True
    depths = leaf_depths(cbloq, conventions)
    qubits = int(cbloq_peak_width(cbloq, lambda b: b.signature.n_qubits()))
    return {"qubits": qubits, **depths}, True


def _notes(bloq: Bloq) -> tuple[str, ...]:
    """Labels that travel with the numbers: a model's own notes, then any padding note."""
    notes = tuple(getattr(bloq, "cost_notes", ()))
    padding = getattr(bloq, "padding_note", None)  # a QRAM model's (`qram.build_symbolic`)
    return notes + ((padding,) if padding else ())
