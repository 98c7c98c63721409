"""Pieces the circuit families share: integer and angle checks, angle symbols, the CNOT brick,
static costs, and `MeasureZInPlace` (a Z measurement that keeps its qubit)."""

from collections.abc import Sequence
from functools import cached_property
from typing import Any, Optional

import numpy as np
import sympy
from attrs import frozen
from qualtran import BloqBuilder, BloqDocSpec, QBit, Register, Signature, bloq_example
from qualtran.bloqs.basic_gates import CNOT, MeasureZ
from qualtran.symbolics import SymbolicInt, is_symbolic, smin

from qlaci_cost.core.checks import finite_real
from qlaci_cost.errors import InputError, describe_value

__all__ = [
    "MeasureZInPlace",
    "angle_symbol",
    "angles_converter",
    "brick_depth",
    "brick_pairs",
    "check_int",
    "cnot_brick",
    "static_costs",
]


def check_int(name: str, value: Any, minimum: int) -> None:
    """Raise `InputError` naming the bad value unless it is an int >= minimum (or symbolic)."""
    if is_symbolic(value):
        return
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < minimum:
        raise InputError(
            f"{name}={describe_value(value)} is not allowed: an integer >= {minimum} is needed"
        )


def angles_converter(angles: Optional[Sequence[Any]]) -> Optional[tuple]:
    """Angles as a hashable tuple: numbers become floats, sympy expressions stay symbolic.

    Raises `InputError` naming an angle that is not a finite real number (NaN, an infinity, a
    bool, a string) or a non-sequence."""
    if angles is None:
        return None
    if isinstance(angles, (str, bytes)) or not np.iterable(angles):
        raise InputError(f"angles={describe_value(angles)} is not allowed: a sequence of angles")
    items = np.asarray(angles, dtype=object).ravel().tolist()
    return tuple(finite_real(a, "angle", "angles must be finite real numbers") for a in items)


def check_angles(name: str, angles: Optional[tuple], expected: SymbolicInt) -> None:
    """Raise unless `angles` is None or has `expected` entries (skipped for symbolic sizes)."""
    if angles is None or is_symbolic(expected):
        return
    if len(angles) != expected:
        raise InputError(f"{name} has {len(angles)} angles, {expected} are needed")


def angle_symbol(name: str) -> sympy.Symbol:
    """The placeholder angle of a size-only bloq (a generic, non-Clifford rotation)."""
    return sympy.Symbol(name, real=True)


def brick_pairs(n: int) -> list[tuple[int, int]]:
    """Nearest-neighbour pairs of a line of n qubits: (0,1), (2,3), ... then (1,2), (3,4), ..."""
    return [(i, i + 1) for i in range(0, n - 1, 2)] + [(i, i + 1) for i in range(1, n - 1, 2)]


def brick_depth(n: SymbolicInt) -> SymbolicInt:
    """Layers of the CNOT brick on n >= 1 qubits: 0 (n = 1), 1 (n = 2), 2 (n >= 3)."""
    return smin(2, n - 1)


def cnot_brick(bb: BloqBuilder, qubits: list) -> list:
    """Add one CNOT per `brick_pairs` pair (control the lower index) to the list of bit soquets."""
    qubits = list(qubits)
    for i, j in brick_pairs(len(qubits)):
        qubits[i], qubits[j] = bb.add(CNOT(), ctrl=qubits[i], target=qubits[j])
    return qubits


def static_costs(cost_key, *, qubits, depth, toffoli_layers, t_depth=None):
    """Answer `QubitCount` and the depth keys from closed forms inside a bloq's
    `my_static_costs` (`NotImplemented` for other keys): the one helper every bloq with closed
    forms uses.

    `qubits` may be `NotImplemented` (e.g. concrete data, counted from the decomposition).
    `t_depth` is a function of the `TDepth` key (its `per_toffoli` and `per_rotation`); omitted
    for a bloq with no T gates and no rotations, the T depth is `toffoli_layers` x the key's T
    depth per Toffoli (`core.depth.static_depth`).
    """
    from qualtran.resource_counting import QubitCount

    from qlaci_cost.core.depth import TDepth, static_depth

    if isinstance(cost_key, QubitCount):
        return qubits
    t = t_depth(cost_key) if t_depth is not None and isinstance(cost_key, TDepth) else None
    return static_depth(cost_key, depth=depth, toffoli_depth=toffoli_layers, t_depth=t)


@frozen
class MeasureZInPlace(MeasureZ):
    """A Z-basis measurement that leaves the measured qubit in place (its post-measurement state).

    A `MeasureZ` for every counter (one measurement); unlike `MeasureZ` it keeps the qubit as a
    THRU register and has no classical output wire, so circuits that contain it convert to Cirq
    (`cirq.measure`) in Qualtran 0.7.0.

    Args:
        key: The Cirq measurement key.

    Registers:
        q: The measured qubit.
    """

    key: str = "m"

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("q", QBit())])

    def on_classical_vals(self, q):
        return {"q": q}

    def as_cirq_op(self, qubit_manager, q):
        import cirq

        return cirq.measure(*q, key=self.key), {"q": q}

    def __str__(self):
        return f"MeasureZInPlace({self.key})"


@bloq_example
def _measure_z_in_place() -> MeasureZInPlace:
    measure_z_in_place = MeasureZInPlace(key="m")
    return measure_z_in_place


_MEASURE_Z_IN_PLACE_DOC = BloqDocSpec(bloq_cls=MeasureZInPlace, examples=(_measure_z_in_place,))
