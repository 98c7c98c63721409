"""QLAM readouts: direct measurement of commuting observable groups, and the weak-measurement
gadget on k ancillas (measured and reset at every step)."""

from functools import cached_property
from typing import Any, Optional

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
from qualtran.bloqs.basic_gates import CNOT, Hadamard, Ry, SGate
from qualtran.symbolics import SymbolicInt, ceil, is_symbolic

from qlaci_cost.core.checks import finite_real, integer, text_tuple
from qlaci_cost.core.circuit_parts import MeasureZInPlace, check_int, static_costs
from qlaci_cost.core.leaves import leaf_class
from qlaci_cost.errors import InputError, describe_value
from qlaci_cost.symbolics.exact import rational

__all__ = ["DirectReadout", "MeasureReset", "WeakReadout", "check_theta", "theta_value"]


@frozen
class MeasureReset(MeasureZInPlace):
    """A Z measurement followed by a reset of the qubit to |0> (a measurement in every count).

    The reset is an X conditioned on the outcome just measured (tracked in the Pauli frame),
    so it adds no gate to the counts. In Cirq: `measure` then `reset` in one operation.

    Args:
        key: The Cirq measurement key (repeated keys record every step).

    Registers:
        q: The measured qubit (|0> out).
    """

    key: str = "w"

    def on_classical_vals(self, q):
        return {"q": 0}

    def as_cirq_op(self, qubit_manager, q):
        import cirq

        (qubit,) = q.ravel() if hasattr(q, "ravel") else q
        body = cirq.FrozenCircuit(cirq.measure(qubit, key=self.key), cirq.reset(qubit))
        return cirq.CircuitOperation(body, use_repetition_ids=False), {"q": q}

    def __str__(self):
        return f"MeasureReset({self.key})"


def theta_value(theta: Any) -> Any:
    """theta as an exact sympy number (floats through their repr, text such as 'pi/8' parsed)
    or a symbolic expression; `InputError` naming anything else (NaN, an infinity, a bool)."""
    what = "the weak-measurement angle must be a finite real number or a sympy expression"
    if isinstance(theta, str):
        try:
            value = sympy.sympify(theta, locals={"pi": sympy.pi}, rational=True)
        except (sympy.SympifyError, TypeError, ValueError, SyntaxError):
            value = None
        if not isinstance(value, sympy.Basic) or value.free_symbols:
            raise InputError(f"theta={describe_value(theta)} is not allowed: {what}")
        theta = value
    finite_real(theta, "theta", what)
    if isinstance(theta, sympy.Basic):
        return theta
    return rational(theta, "theta", what)  # a float through its repr


def check_theta(theta: Any) -> None:
    """Raise unless theta is a symbol or a number in (0, pi/2]."""
    value = theta_value(theta)
    if value.free_symbols:
        return
    if not (value.is_extended_real and 0 < value <= sympy.pi / 2):
        raise InputError(
            f"theta={theta!r} is not allowed: the weak-measurement angle must be in (0, pi/2]"
        )


def _target(t: Any) -> int:
    return integer(t, "targets entry", "target indices must be integers")


def _basis_cost(basis: str) -> tuple[int, int]:
    """(Clifford gates, basis-change layers) of a product basis over X, Y, Z."""
    clifford = basis.count("X") + 2 * basis.count("Y")
    layers = 2 if "Y" in basis else (1 if "X" in basis else 0)
    return clifford, layers


@frozen
class DirectReadout(Bloq):
    """Measure the memory in one product basis: the run's group of commuting observables.

    K observables, each a Pauli string diagonal in one of G product bases (qubit-wise
    commuting groups): one run measures one group, rotating each qubit to its basis (H for X,
    S^dagger then H for Y) and measuring all m qubits in place; every observable of the group
    is the parity of some of the m outcome bits, computed classically. The G groups need
    separate runs (the protocols multiply by G); K enters the union bound and amplitude
    estimation (one observable per run).

    Args:
        m: Memory qubits.
        n_observables: K >= 1 (default m: Z on each qubit).
        n_groups: G >= 1 (default 1, or len(bases)).
        bases: G strings of m letters over X, Y, Z (qubit 0 first), or None (all Z).
        group: The group this run measures (index into bases).

    Registers:
        memory: m qubits, measured in place.

    References:
        [Nearly optimal measurement scheduling for partial tomography of quantum
        states](https://arxiv.org/abs/1908.05628). Bonet-Monroig, Babbush, O'Brien 2020.
        Grouping commuting Pauli observables into measurement settings.

    ## Cost
    Exact: measurements = m; Clifford = (#X + 2 #Y) of the group's basis (0 for all Z);
    depth = 1 + (2 if a Y, 1 if an X, else 0); no non-Clifford gates; qubits = m.
    """

    m: SymbolicInt
    n_observables: Optional[SymbolicInt] = None
    n_groups: Optional[SymbolicInt] = None
    bases: Optional[tuple[str, ...]] = attrs.field(
        default=None, converter=lambda v: text_tuple(v, "bases")
    )
    group: int = 0

    def __attrs_post_init__(self):
        if self.n_observables is None:
            object.__setattr__(self, "n_observables", self.m)
        if self.n_groups is None:
            object.__setattr__(self, "n_groups", 1 if self.bases is None else len(self.bases))
        check_int("m", self.m, 1)
        check_int("n_observables", self.n_observables, 1)
        check_int("n_groups", self.n_groups, 1)
        if self.bases is not None:
            if is_symbolic(self.m) or len(self.bases) != self.n_groups:
                raise InputError(f"bases {self.bases!r}: {self.n_groups} strings are needed")
            for b in self.bases:
                if len(b) != self.m or set(b) - set("XYZ"):
                    raise InputError(
                        f"basis {b!r} is not allowed: {self.m} letters over X, Y, Z are needed"
                    )
        check_int("group", self.group, 0)
        if not is_symbolic(self.n_groups) and self.group >= self.n_groups:
            raise InputError(f"group={self.group} is not allowed: it must be < {self.n_groups}")

    @cached_property
    def basis(self) -> Optional[str]:
        """The product basis this run measures (None: all Z, any m)."""
        return None if self.bases is None else self.bases[self.group]

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("memory", QAny(self.m))])

    def build_composite_bloq(self, bb: BloqBuilder, memory):
        if is_symbolic(self.m):
            raise DecomposeTypeError(f"{self} needs a concrete m to decompose")
        qs = list(bb.split(memory))
        basis = self.basis or "Z" * int(self.m)
        for i, letter in enumerate(basis):
            if letter == "Y":
                qs[i] = bb.add(SGate(is_adjoint=True), q=qs[i])
            if letter in "XY":
                qs[i] = bb.add(Hadamard(), q=qs[i])
            qs[i] = bb.add(MeasureZInPlace(key=f"r{i}"), q=qs[i])
        return {"memory": bb.join(qs)}

    def build_call_graph(self, ssa):
        if self.bases is not None:
            return super().build_call_graph(ssa)
        return {MeasureZInPlace(key="r"): self.m}  # one measurement per memory qubit

    def my_static_costs(self, cost_key):
        clifford_layers = 0 if self.basis is None else _basis_cost(self.basis)[1]
        return static_costs(
            cost_key,
            qubits=self.m,
            depth=1 + clifford_layers,
            toffoli_layers=0,
            t_depth=lambda key: 0,
        )

    def __str__(self):
        return f"DirectReadout(m={self.m}, K={self.n_observables}, G={self.n_groups})"


def _theta_weights(theta: Any) -> tuple[str, int, Any]:
    """(leaf class of Ry(theta), its Toffoli-depth weight, a T-depth weight function)."""
    cls = leaf_class(Ry(theta)) if not is_symbolic(theta) else "rotation"
    if cls == "rotation":
        return cls, 1, lambda key: key.per_rotation
    if cls == "t":
        return cls, 1, lambda key: 1
    return cls, 0, lambda key: 0


@frozen
class WeakReadout(Bloq):
    """The weak-measurement gadget on k ancillas: CNOT, ancilla Ry(theta), CNOT, measure X, reset.

    Ancilla j (|0> in) reads O_j = Z on memory qubit targets[j] (default j mod m): CNOT from
    the memory qubit, Ry(theta) on the ancilla, the CNOT again, H and a Z measurement (an X
    measurement), then a reset to |0>. The ancilla's outcome has <X_anc> = sin(theta) <O_j>,
    and the memory's coherences between O_j = +1 and -1 shrink by cos(theta): the memory is
    monitored (dephased), a different model from the unitary QLAM (theta = pi/2 is a
    projective measurement). Derivation in docs/derivations/qlam.md.

    Args:
        m: Memory qubits.
        k: Ancillas = observables read per step.
        theta: Coupling angle in (0, pi/2] (a number or a symbol).
        targets: k memory-qubit indices, or None for j mod m.

    Registers:
        memory: m qubits.
        anc: k qubits, |0> in and out.

    References:
        [A straightforward introduction to continuous quantum
        measurement](https://arxiv.org/abs/quant-ph/0611067). Jacobs, Steck 2006. Section 2
        (weak measurement by a coupled probe).

    ## Cost
    Exact (c = ceil(k / m), the most ancillas on one memory qubit, with default targets):
    Clifford = 3 k (2 CNOTs, 1 H); rotations = k (unless theta is a Clifford or T angle,
    then counted as that gate); measurements = k; qubits = m + k; depth = 3 c + 2;
    Toffoli depth = c (0 for a Clifford angle); T depth = c x T-per-rotation.
    """

    m: SymbolicInt
    k: SymbolicInt = 1
    theta: Any = attrs.field(default=sympy.pi / 4, converter=theta_value)
    targets: Optional[tuple[int, ...]] = attrs.field(
        default=None, converter=lambda v: None if v is None else tuple(_target(t) for t in v)
    )

    def __attrs_post_init__(self):
        check_int("m", self.m, 1)
        check_int("k", self.k, 1)
        check_theta(self.theta)
        if self.targets is not None:
            if is_symbolic(self.m, self.k) or len(self.targets) != self.k:
                raise InputError(f"targets {self.targets!r}: {self.k} indices are needed")
            if any(not 0 <= t < self.m for t in self.targets):
                raise InputError(f"targets {self.targets!r}: each must be in [0, {self.m})")

    @cached_property
    def target_qubits(self) -> tuple[int, ...]:
        if self.targets is not None:
            return self.targets
        return tuple(j % int(self.m) for j in range(int(self.k)))

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("memory", QAny(self.m)), Register("anc", QAny(self.k))])

    @property
    def angle(self) -> Any:
        """theta as Ry takes it (a float for numbers)."""
        return self.theta if self.theta.free_symbols else float(self.theta)

    def build_composite_bloq(self, bb: BloqBuilder, memory, anc):
        if is_symbolic(self.m, self.k):
            raise DecomposeTypeError(f"{self} needs concrete sizes to decompose")
        mem, ancs = list(bb.split(memory)), list(bb.split(anc))
        for j, t in enumerate(self.target_qubits):
            mem[t], ancs[j] = bb.add(CNOT(), ctrl=mem[t], target=ancs[j])
            ancs[j] = bb.add(Ry(self.angle), q=ancs[j])
            mem[t], ancs[j] = bb.add(CNOT(), ctrl=mem[t], target=ancs[j])
            ancs[j] = bb.add(Hadamard(), q=ancs[j])
            ancs[j] = bb.add(MeasureReset(key=f"w{j}"), q=ancs[j])
        return {"memory": bb.join(mem), "anc": bb.join(ancs)}

    def build_call_graph(self, ssa):
        if self.targets is not None:
            return super().build_call_graph(ssa)
        k = self.k
        # Per ancilla: two CNOTs, Ry(theta), H, one measurement-and-reset.
        return {CNOT(): 2 * k, Ry(self.angle): k, Hadamard(): k, MeasureReset(): k}

    def my_static_costs(self, cost_key):
        if self.targets is not None:
            return NotImplemented
        c = ceil(sympy.sympify(self.k) / self.m) if is_symbolic(self.k, self.m) else None
        if c is None:
            c = -(-int(self.k) // int(self.m))
        _, tof, t_weight = _theta_weights(self.angle)
        return static_costs(
            cost_key,
            qubits=self.m + self.k,
            depth=3 * c + 2,
            toffoli_layers=tof * c,
            t_depth=lambda key: t_weight(key) * c,
        )

    def __str__(self):
        return f"WeakReadout(m={self.m}, k={self.k}, theta={self.theta})"


@bloq_example
def _direct_readout_symb() -> DirectReadout:
    m, K = sympy.symbols("m K", positive=True, integer=True)
    direct_readout_symb = DirectReadout(m, K)
    return direct_readout_symb


@bloq_example
def _direct_readout() -> DirectReadout:
    direct_readout = DirectReadout(3, 4, bases=("ZZZ", "XYZ"), group=1)
    return direct_readout


@bloq_example
def _weak_readout_symb() -> WeakReadout:
    m, k, theta = sympy.symbols("m k theta", positive=True)
    weak_readout_symb = WeakReadout(m, k, theta)
    return weak_readout_symb


@bloq_example
def _weak_readout() -> WeakReadout:
    weak_readout = WeakReadout(3, 2, 0.4)
    return weak_readout


@bloq_example
def _measure_reset() -> MeasureReset:
    measure_reset = MeasureReset(key="w")
    return measure_reset


_MEASURE_RESET_DOC = BloqDocSpec(bloq_cls=MeasureReset, examples=(_measure_reset,))
_DIRECT_READOUT_DOC = BloqDocSpec(
    bloq_cls=DirectReadout, examples=(_direct_readout_symb, _direct_readout)
)
_WEAK_READOUT_DOC = BloqDocSpec(bloq_cls=WeakReadout, examples=(_weak_readout_symb, _weak_readout))
