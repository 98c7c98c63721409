"""`cost_summary`: every metric of a bloq in one call, symbolic or numeric."""

from collections.abc import Mapping
from typing import Any, Union

import attrs
import sympy
from attrs import frozen
from qualtran import Bloq
from qualtran.resource_counting import QECGatesCost, QubitCount, get_cost_value
from qualtran.symbolics import SymbolicInt, is_symbolic

from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, Conventions
from qlaci_cost.core.depth import Depth, TDepth, ToffoliDepth

__all__ = ["METRICS", "CostSummary", "cost_summary"]

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


def _exact(value: Any) -> SymbolicInt:
    """Integers stay Python ints; expressions stay sympy (simplified when cheap)."""
    if isinstance(value, sympy.Basic):
        if value.is_Integer:
            return int(value)
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


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


def evaluate(expr: Any, values: Mapping[Union[str, sympy.Symbol], Any]) -> Any:
    """`expr` with symbols replaced by `values` (keyed by Symbol or name), exactly.

    log(N) of a symbol given a power of two 2^k becomes k log(2) first, so log2 N evaluates to
    the integer k (sympy leaves log(2^k)/log(2) unevaluated). Integer results become Python ints
    and never pass through floats, so N = 2^200 stays exact.
    """
    if not isinstance(expr, sympy.Basic):
        return expr
    by_name = {str(k): v for k, v in values.items()}
    mapping, logs = {}, {}
    for s in expr.free_symbols:
        if s.name not in by_name:
            continue
        v = by_name[s.name]
        mapping[s] = v
        if isinstance(v, (int, sympy.Integer)) and v > 0 and (int(v) & (int(v) - 1)) == 0:
            logs[sympy.log(s)] = (int(v).bit_length() - 1) * sympy.log(2)
    out = expr.subs(logs).subs(mapping) if logs else expr.subs(mapping)
    if out.free_symbols:
        return out
    out = sympy.nsimplify(out) if out.has(sympy.Float) else out
    if out.is_Integer:
        return int(out)
    simplified = sympy.simplify(out)
    return int(simplified) if simplified.is_Integer else simplified


def cost_summary(bloq: Bloq, conventions: Conventions = DEFAULT_CONVENTIONS) -> CostSummary:
    """Every metric of `bloq`: qubits, gate counts, T count and the three depths.

    Gate counts come from Qualtran's `QECGatesCost` (Toffoli-class = Toffoli + And + CSWAP);
    qubits from `QubitCount` (a bloq's static closed form where it has one); depths from this
    package's `Depth`, `ToffoliDepth` and `TDepth` keys. `t_count` = T gates +
    `conventions.t_per_toffoli` per Toffoli-class gate + rotations x T per rotation.
    """
    gc = get_cost_value(bloq, QECGatesCost())
    toffoli = _exact(gc.toffoli + gc.cswap + gc.and_bloq)
    rotations = _exact(gc.rotation)
    t_count = _exact(
        gc.t + conventions.t_per_toffoli * toffoli + rotations * conventions.t_per_rotation
    )
    return CostSummary(
        qubits=_exact(get_cost_value(bloq, QubitCount())),
        toffoli=toffoli,
        t_count=t_count,
        clifford=_exact(gc.clifford),
        rotations=rotations,
        measurements=_exact(gc.measurement),
        toffoli_depth=_exact(get_cost_value(bloq, ToffoliDepth())),
        t_depth=_exact(get_cost_value(bloq, TDepth.of(conventions))),
        depth=_exact(get_cost_value(bloq, Depth())),
        conventions=conventions,
        notes=_notes(bloq),
    )


def _notes(bloq: Bloq) -> tuple[str, ...]:
    """Labels that travel with the numbers: a model's own notes, then any padding note."""
    notes = tuple(getattr(bloq, "cost_notes", ()))
    padding = getattr(bloq, "_padding_note", None)
    return notes + ((padding,) if padding else ())
