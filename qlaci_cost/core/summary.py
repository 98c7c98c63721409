"""`cost_summary`: every metric of a bloq in one call, symbolic or numeric."""

from collections.abc import Mapping
from typing import Any, Union

import attrs
import sympy
from attrs import frozen
from qualtran import Bloq
from qualtran.resource_counting import QubitCount, get_cost_value
from qualtran.symbolics import SymbolicInt, is_symbolic

from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, Conventions
from qlaci_cost.core.depth import Depth, TDepth, ToffoliDepth
from qlaci_cost.symbolics.exact import evaluate
from qlaci_cost.symbolics.exact import integral as _exact

__all__ = ["BLOCK_DEPTH_NOTE", "METRICS", "CostSummary", "cost_summary", "evaluate"]

#: The metric columns, in output order (docs/conventions.md#metrics).
METRICS = (
    "qubits",
    "toffoli",
    "t_count",
    "clifford",
    "rotations",
    "measurements",
    "toffoli_depth",
    "t_depth",
    "depth",
)


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
        """Substitute symbols (by name or Symbol) exactly; integer results become Python ints."""
        return attrs.evolve(self, **{m: evaluate(v, values) for m, v in self.metrics().items()})

    def with_note(self, note: str) -> "CostSummary":
        return attrs.evolve(self, notes=self.notes + (note,))


def cost_summary(bloq: Bloq, conventions: Conventions = DEFAULT_CONVENTIONS) -> CostSummary:
    """Every metric of `bloq`: qubits, gate counts, T count and the three depths.

    One convention on every path (docs/... `core/summary` section of the design notes):
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
    from qualtran import CompositeBloq, DecomposeNotImplementedError, DecomposeTypeError

    from qlaci_cost.core._qualtran_adapter import cbloq_peak_width
    from qlaci_cost.core.depth import flatten_to_leaves, leaf_depths

    try:
        cbloq = bloq if isinstance(bloq, CompositeBloq) else bloq.decompose_bloq()
    except (DecomposeNotImplementedError, DecomposeTypeError):
        return None, False
    try:
        cbloq = flatten_to_leaves(cbloq)
    except ValueError:
        return None, True
    depths = leaf_depths(cbloq, conventions)
    qubits = int(cbloq_peak_width(cbloq, lambda b: b.signature.n_qubits()))
    return {"qubits": qubits, **depths}, True


def _notes(bloq: Bloq) -> tuple[str, ...]:
    """Labels that travel with the numbers: a model's own notes, then any padding note."""
    notes = tuple(getattr(bloq, "cost_notes", ()))
    padding = getattr(bloq, "_padding_note", None)
    return notes + ((padding,) if padding else ())
