"""Stage 7 of a QLACI query: measurement of d_ctx Pauli observables on the readout qubits."""

from functools import cached_property
from typing import Optional

import attrs
import sympy
from attrs import frozen
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    DecomposeTypeError,
    QAny,
    Register,
    Signature,
    bloq_example,
)
from qualtran.bloqs.basic_gates import CNOT, Hadamard, SGate
from qualtran.symbolics import SymbolicInt, is_symbolic

from qlaci_cost.core.checks import text_tuple
from qlaci_cost.core.circuit_parts import MeasureZInPlace, check_int, static_costs
from qlaci_cost.errors import InputError

__all__ = ["MeasureZInPlace", "PauliMeasurement", "default_observables"]


def default_observables(n_out: int, d_ctx: int) -> tuple[str, ...]:
    """Z on readout qubit k, k = 0 .. d_ctx - 1 (one commuting setting; d_ctx <= n_out)."""
    if d_ctx > n_out:
        raise InputError(
            f"d_ctx={d_ctx} is not allowed with the default observables: at most n_out={n_out} "
            "(pass observables explicitly)"
        )
    return tuple("I" * k + "Z" + "I" * (n_out - k - 1) for k in range(d_ctx))


def _check_observables(observables: tuple[str, ...], n_out: SymbolicInt) -> None:
    for p in observables:
        if is_symbolic(n_out) or len(p) != n_out or set(p) - set("IXYZ") or set(p) <= {"I"}:
            raise InputError(
                f"observable {p!r} is not allowed: a non-identity Pauli string over I, X, Y, Z "
                f"of length n_out={n_out}"
            )


@frozen
class PauliMeasurement(Bloq):
    """Measure d_ctx Pauli observables on the readout register R_out, each in place.

    Each observable P (a Pauli string over R_out) is measured without an ancilla: basis change
    on its support (H for X; S^dagger then H for Y), CNOTs from the other support qubits onto
    the last one (which then holds the parity), `MeasureZInPlace` of that qubit, then the CNOTs
    and basis change undone; the register is left in the post-measurement state. Observables
    are measured in the given order; the estimate of <P> needs repeated runs (shots or
    amplitude estimation), counted elsewhere, and observables that do not commute need separate
    runs. Default observables: Z on readout qubit k, k < d_ctx (one commuting setting).

    Args:
        n_out: Readout qubits.
        d_ctx: Number of observables (context dimensions); default `len(observables)` when
            they are given, else 1.
        observables: Pauli strings of length n_out over I, X, Y, Z (qubit 0 first), or None for
            the default Z observables.

    Registers:
        out: n_out qubits.

    References:
        [Quantum computation and quantum information](https://doi.org/10.1017/CBO9780511976667).
        Nielsen, Chuang 2010. Section 10.5.8 (measuring a Pauli operator via parity).

    ## Cost
    Default observables (exact): measurements = d_ctx; Clifford = 0; depth = 1; no
    non-Clifford gates; qubits = n_out. Given observables (exact, from the decomposition):
    measurements = d_ctx; Clifford = sum over P of 2 (w_P - 1) + 2 x_P + 4 y_P (weight w_P,
    x_P X and y_P Y letters).
    """

    n_out: SymbolicInt
    d_ctx: Optional[SymbolicInt] = None
    observables: Optional[tuple[str, ...]] = attrs.field(
        default=None, converter=lambda v: text_tuple(v, "observables")
    )

    def __attrs_post_init__(self):
        if self.d_ctx is None:  # 1 default observable, or as many as given
            d_ctx = 1 if self.observables is None else len(self.observables)
            object.__setattr__(self, "d_ctx", d_ctx)
        check_int("n_out", self.n_out, 1)
        check_int("d_ctx", self.d_ctx, 1)
        if self.observables is not None:
            _check_observables(self.observables, self.n_out)
            if self.d_ctx != len(self.observables):
                raise InputError(f"d_ctx={self.d_ctx} but {len(self.observables)} observables")
        elif not is_symbolic(self.n_out, self.d_ctx):
            default_observables(self.n_out, self.d_ctx)

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("out", QAny(self.n_out))])

    @cached_property
    def pauli_strings(self) -> tuple[str, ...]:
        """The observables measured (the defaults when none were given)."""
        if self.observables is not None:
            return self.observables
        return default_observables(int(self.n_out), int(self.d_ctx))

    def build_composite_bloq(self, bb: BloqBuilder, out):
        if is_symbolic(self.n_out, self.d_ctx):
            raise DecomposeTypeError(f"{self} needs concrete sizes to decompose")
        qs = list(bb.split(out))
        for k, pauli in enumerate(self.pauli_strings):
            support = [i for i, p in enumerate(pauli) if p != "I"]
            last = support[-1]
            for i in support:
                if pauli[i] == "Y":
                    qs[i] = bb.add(SGate(is_adjoint=True), q=qs[i])
                if pauli[i] in "XY":
                    qs[i] = bb.add(Hadamard(), q=qs[i])
            for i in support[:-1]:
                qs[i], qs[last] = bb.add(CNOT(), ctrl=qs[i], target=qs[last])
            qs[last] = bb.add(MeasureZInPlace(key=f"c{k}"), q=qs[last])
            for i in reversed(support[:-1]):
                qs[i], qs[last] = bb.add(CNOT(), ctrl=qs[i], target=qs[last])
            for i in support:
                if pauli[i] in "XY":
                    qs[i] = bb.add(Hadamard(), q=qs[i])
                if pauli[i] == "Y":
                    qs[i] = bb.add(SGate(), q=qs[i])
        return {"out": bb.join(qs)}

    def build_call_graph(self, ssa):
        if self.observables is not None:
            return super().build_call_graph(ssa)
        # One in-place measurement per default (Z) observable.
        return {MeasureZInPlace(key="c"): self.d_ctx}

    def my_static_costs(self, cost_key):
        if self.observables is not None:
            return NotImplemented
        return static_costs(
            cost_key, qubits=self.n_out, depth=1, toffoli_layers=0, t_depth=lambda key: 0
        )

    def __str__(self):
        return f"PauliMeasurement(n_out={self.n_out}, d_ctx={self.d_ctx})"


@bloq_example
def _pauli_measurement_symb() -> PauliMeasurement:
    n_out, d_ctx = sympy.symbols("n_out d_ctx", positive=True, integer=True)
    pauli_measurement_symb = PauliMeasurement(n_out, d_ctx)
    return pauli_measurement_symb


@bloq_example
def _pauli_measurement() -> PauliMeasurement:
    pauli_measurement = PauliMeasurement(2, observables=("ZI", "XY"))
    return pauli_measurement


_PAULI_MEASUREMENT_DOC = BloqDocSpec(
    bloq_cls=PauliMeasurement, examples=(_pauli_measurement_symb, _pauli_measurement)
)
