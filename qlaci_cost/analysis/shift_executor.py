"""An instrumented executor of shift rules: evaluates a Cirq circuit whose rotation angles hold
sympy symbols (a bloq's own circuit, built with symbolic angles) and counts every evaluation.

`ShiftExecutor.parameter_shift` differentiates each symbol occurrence by occurrence (the
two-term rule of each Pauli rotation, summed by the chain rule: what `gradients` prices);
`whole_parameter_shift` shifts a symbol in every gate at once with the general rule for R
equidistant frequencies (`gradients.shift_rule`); `naive_shift` is the two-term rule applied
to a shared symbol as if it occurred once (wrong when it occurs more than once: the checks
show it). The state is simulated exactly (state vector), so the gradients are exact up to
floating point; the family checks compare them with finite differences of an independent
reference.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Optional

import cirq
import numpy as np
import sympy

from qlaci_cost.analysis.gradients import shift_rule

__all__ = ["ShiftExecutor", "central_difference"]

_ROTATIONS = {cirq.Rx: cirq.rx, cirq.Ry: cirq.ry, cirq.Rz: cirq.rz}


def _rads(gate: Any) -> Optional[sympy.Expr]:
    for cls in _ROTATIONS:
        if type(gate) is cls:
            return sympy.sympify(gate._rads)
    return None


class ShiftExecutor:
    """Evaluates the outputs of a parameterized circuit and counts the evaluations.

    Args:
        circuit: A Cirq circuit whose Rx/Ry/Rz angles may hold sympy symbols.
        qubits: The qubit order of the state vector.
        outputs: state vector -> the circuit's outputs (an array of expectations).
    """

    def __init__(self, circuit: cirq.Circuit, qubits: Sequence, outputs: Callable):
        self.ops = list(circuit.all_operations())
        self.qubits = list(qubits)
        self.outputs = outputs
        self.evaluations = 0
        self.occurrences: dict[sympy.Symbol, list[tuple[int, float]]] = {}
        for index, op in enumerate(self.ops):
            angle = _rads(op.gate)
            if angle is None:
                continue
            for symbol in angle.free_symbols:
                coefficient = float(sympy.diff(angle, symbol))
                self.occurrences.setdefault(symbol, []).append((index, coefficient))
        self._sim = cirq.Simulator(dtype=np.complex128)

    def evaluate(self, values: Mapping, shifts: Optional[Mapping[int, float]] = None):
        """The outputs at `values` (symbol -> float), gate `index` rotated by `shifts[index]`
        more; one evaluation."""
        self.evaluations += 1
        resolver = cirq.ParamResolver({str(k): float(v) for k, v in values.items()})
        ops = []
        for index, op in enumerate(self.ops):
            op = cirq.resolve_parameters(op, resolver)
            if shifts and index in shifts:
                angle = float(op.gate._rads) + shifts[index]
                op = _ROTATIONS[type(op.gate)](angle).on(*op.qubits)
            ops.append(op)
        state = self._sim.simulate(cirq.Circuit(ops), qubit_order=self.qubits)
        return np.asarray(self.outputs(state.final_state_vector), dtype=float)

    def parameter_shift(self, values: Mapping, symbols: Sequence) -> dict:
        """d outputs / d symbol for each symbol: the two-term rule f(a + pi/2)/2 -
        f(a - pi/2)/2 on each occurrence (a Pauli rotation's angle a = c x symbol), times c,
        summed (the chain rule): 2 evaluations per occurrence."""
        two_term = shift_rule(1)
        out = {}
        for symbol in symbols:
            total = 0.0
            for index, c in self.occurrences[symbol]:
                for shift, weight in two_term:
                    total = total + c * weight * self.evaluate(values, {index: shift})
            out[symbol] = total
        return out

    def whole_parameter_shift(self, values: Mapping, symbol, frequencies: int) -> np.ndarray:
        """d outputs / d symbol by the general rule for `frequencies` equidistant frequencies
        (Wierichs et al. 2022), the symbol shifted in every gate at once: 2 R evaluations."""
        total = 0.0
        for shift, weight in shift_rule(frequencies):
            moved = dict(values)
            moved[symbol] = values[symbol] + shift
            total = total + weight * self.evaluate(moved)
        return total

    def naive_shift(self, values: Mapping, symbol) -> np.ndarray:
        """The two-term rule applied to the symbol as a whole (2 evaluations): exact only when
        the symbol occurs in one Pauli rotation with coefficient 1."""
        return self.whole_parameter_shift(values, symbol, 1)


def central_difference(
    f: Callable[[Mapping], np.ndarray], values: Mapping, symbol, h: float = 1e-4
) -> np.ndarray:
    """(f(symbol + h) - f(symbol - h)) / (2 h) of a function of the values."""
    up, down = dict(values), dict(values)
    up[symbol] = values[symbol] + h
    down[symbol] = values[symbol] - h
    return (np.asarray(f(up)) - np.asarray(f(down))) / (2 * h)
