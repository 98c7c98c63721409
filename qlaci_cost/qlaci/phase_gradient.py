"""Phase-gradient pieces of the KV feature map: the gradient state and a data-driven Z kick."""

from functools import cached_property

import sympy
from attrs import frozen
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    DecomposeTypeError,
    QBit,
    QUInt,
    Register,
    Signature,
    bloq_example,
)
from qualtran.bloqs.arithmetic import Add
from qualtran.bloqs.basic_gates import CNOT, Hadamard, SGate, TGate, ZGate, ZPowGate
from qualtran.symbolics import SymbolicInt, is_symbolic, smax, smin

from qlaci_cost.core.circuit_parts import check_int, static_costs

__all__ = ["PhaseGradientKick", "PhaseGradientPrep"]


def _z_power(i: int, sign: int) -> Bloq:
    """Z^(sign / 2^i) as the named gate Qualtran classifies it as: Z, S, T or a rotation."""
    if i == 0:
        return ZGate()
    if i == 1:
        return SGate(is_adjoint=sign < 0)
    if i == 2:
        return TGate(is_adjoint=sign < 0)
    return ZPowGate(exponent=sign / 2**i)


def _rotations(bits: SymbolicInt) -> SymbolicInt:
    """Z^(1/2^i) with i >= 3 are arbitrary rotations: max(0, b - 3) of them."""
    return smax(0, bits - 3)


def _t_gates(bits: SymbolicInt) -> SymbolicInt:
    """Z^(1/4) on qubit 2 is a T gate when b >= 3: min(1, b - 2) of them (b >= 2)."""
    return smin(1, bits - 2)


@frozen
class PhaseGradientPrep(Bloq):
    """Prepare (or, with `uncompute`, unprepare) the b-qubit phase-gradient state in place.

    |0...0> -> |grad> = sum_k exp(-2 pi i k / 2^b) |k> / sqrt(2^b): H on each qubit, then
    Z^(-1/2^i) on qubit i (qubit 0 the most significant). Adding v into the register multiplies
    the state by exp(2 pi i v / 2^b) and leaves it unchanged, so it can be unprepared exactly.
    The register is a THRU register (no allocation inside): its owner decides how long the
    gradient state lives.

    Args:
        bits: b >= 2, gradient qubits.
        uncompute: False: |0> -> |grad>; True: |grad> -> |0>.

    Registers:
        phase_grad: b qubits.

    References:
        [Halving the cost of quantum addition](https://arxiv.org/abs/1709.06648). Gidney 2018.
        The phase-gradient state and addition into it.
        [Compilation of Fault-Tolerant Quantum Heuristics for Combinatorial
        Optimization](https://arxiv.org/abs/2007.07391). Sanders et al. 2020. Appendix A.

    ## Cost
    Exact: Z^(1/2^0) = Z and Z^(1/2^1) = S are Clifford, Z^(1/2^2) = T is a T gate (b >= 3),
    the rest are rotations: Clifford = b + 2; T = min(1, b - 2); rotations = max(0, b - 3);
    depth = 2; Toffoli depth = min(1, b - 2); T depth = T-per-rotation if b >= 4, 1 if b = 3,
    0 if b = 2; qubits = b.
    """

    bits: SymbolicInt
    uncompute: bool = False

    def __attrs_post_init__(self):
        check_int("bits", self.bits, 2)

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("phase_grad", QUInt(self.bits))])

    def build_composite_bloq(self, bb: BloqBuilder, phase_grad):
        if is_symbolic(self.bits):
            raise DecomposeTypeError(f"{self} needs a concrete size to decompose")
        qs = list(bb.split(phase_grad))
        if self.uncompute:
            qs = [bb.add(_z_power(i, +1), q=q) for i, q in enumerate(qs)]
            qs = [bb.add(Hadamard(), q=q) for q in qs]
        else:
            qs = [bb.add(Hadamard(), q=q) for q in qs]
            qs = [bb.add(_z_power(i, -1), q=q) for i, q in enumerate(qs)]
        return {"phase_grad": bb.join(qs, dtype=QUInt(self.bits))}

    def build_call_graph(self, ssa):
        if not is_symbolic(self.bits):
            return super().build_call_graph(ssa)
        b, sign = self.bits, (1 if self.uncompute else -1)
        # b H; Z, S^(+-1), T^(+-1) on qubits 0, 1, 2 (T only when b >= 3); a rotation on each
        # qubit i >= 3.
        return {
            Hadamard(): b,
            ZGate(): 1,
            SGate(is_adjoint=sign < 0): 1,
            TGate(is_adjoint=sign < 0): _t_gates(b),
            ZPowGate(exponent=sign * sympy.Symbol("g", positive=True)): _rotations(b),
        }

    def my_static_costs(self, cost_key):
        b = self.bits
        # One layer of H, one of Z powers; the non-Clifford layer is a T (b = 3) or, for
        # b >= 4, a rotation in parallel with it.
        return static_costs(
            cost_key,
            qubits=b,
            depth=2,
            toffoli_layers=_t_gates(b),
            t_depth=lambda key: smax(_t_gates(b), key.per_rotation * smin(1, _rotations(b))),
        )

    def adjoint(self) -> "PhaseGradientPrep":
        return PhaseGradientPrep(self.bits, uncompute=not self.uncompute)

    def __str__(self):
        return f"PhaseGradient{'Unprep' if self.uncompute else 'Prep'}(b={self.bits})"


@frozen
class PhaseGradientKick(Bloq):
    """Rz(-(2x + 1) 2 pi / 2^b) on `ctrl`, for the b-bit value x, by one addition into |grad>.

    CNOT ctrl -> each bit of x (x becomes x XOR (2^b - 1) ctrl), add x into the phase-gradient
    register (Gidney's adder, `qualtran.bloqs.arithmetic.Add`, b - 1 Toffolis), CNOT again to
    restore x. The addition multiplies the branch by exp(2 pi i x' / 2^b): x' = x for ctrl = 0
    and 2^b - 1 - x = -(x + 1) mod 2^b for ctrl = 1, which is
    exp(-i pi / 2^b) Rz(-(2x + 1) 2 pi / 2^b) on ctrl (a global phase times a rotation): an
    x-controlled rotation with no controlled adder and no rotation gate.

    Args:
        bits: b >= 2, bits of x and of the gradient register.

    Registers:
        ctrl: the rotated qubit.
        x: the b-bit value (restored).
        phase_grad: the b-qubit phase-gradient register (unchanged up to the phase).

    References:
        [Halving the cost of quantum addition](https://arxiv.org/abs/1709.06648). Gidney 2018.
        Adder (Fig. 2) and phase-gradient rotations.

    ## Cost
    Exact: Toffoli = b - 1 (And); measurements = b - 1 (measurement-based And uncompute);
    Clifford = 2b fan-out CNOTs + 6b - 9 adder CNOTs + b - 1 (And uncompute) = 9b - 10;
    Toffoli depth = b - 1; depth = 7b - 8 (the adder is 7b - 10 layers; the first fan-out CNOT,
    onto the least significant bit, precedes it; the last, onto the most significant bit,
    follows it; the others overlap it, since the adder's carry chain takes up the bits from the
    least significant one and releases them from the most significant one); qubits = 2b + 1 +
    (b - 1) adder ancillas = 3b.
    """

    bits: SymbolicInt

    def __attrs_post_init__(self):
        check_int("bits", self.bits, 2)

    @cached_property
    def signature(self) -> Signature:
        return Signature(
            [
                Register("ctrl", QBit()),
                Register("x", QUInt(self.bits)),
                Register("phase_grad", QUInt(self.bits)),
            ]
        )

    @staticmethod
    def _fan_out(bb: BloqBuilder, ctrl, xs: list, order) -> tuple:
        for i in order:
            ctrl, xs[i] = bb.add(CNOT(), ctrl=ctrl, target=xs[i])
        return ctrl, xs

    def build_composite_bloq(self, bb: BloqBuilder, ctrl, x, phase_grad):
        if is_symbolic(self.bits):
            raise DecomposeTypeError(f"{self} needs a concrete size to decompose")
        dtype = QUInt(self.bits)
        b = self.bits
        # Fan out least significant bit first (the adder's carry chain starts there) and
        # restore most significant bit first (the order in which the adder releases the bits).
        ctrl, xs = self._fan_out(bb, ctrl, list(bb.split(x)), reversed(range(b)))
        x, phase_grad = bb.add(Add(dtype), a=bb.join(xs, dtype=dtype), b=phase_grad)
        ctrl, xs = self._fan_out(bb, ctrl, list(bb.split(x)), range(b))
        return {"ctrl": ctrl, "x": bb.join(xs, dtype=dtype), "phase_grad": phase_grad}

    def build_call_graph(self, ssa):
        # 2b fan-out CNOTs and one b-bit adder (its own call graph: b - 1 And, b - 1 And^dagger,
        # 6(b - 2) + 3 CNOTs; correct for b >= 2).
        return {CNOT(): 2 * self.bits, Add(QUInt(self.bits)): 1}

    def my_static_costs(self, cost_key):
        b = self.bits
        return static_costs(
            cost_key,
            qubits=3 * b,
            depth=7 * b - 8,
            toffoli_layers=b - 1,
            t_depth=lambda key: (b - 1) * key.per_toffoli,
        )

    def on_classical_vals(self, ctrl, x, phase_grad):
        b = int(self.bits)
        added = int(x) ^ ((2**b - 1) * int(ctrl))
        return {"ctrl": ctrl, "x": x, "phase_grad": (int(phase_grad) + added) % 2**b}

    def __str__(self):
        return f"PhaseGradientKick(b={self.bits})"


@bloq_example
def _phase_gradient_prep_symb() -> PhaseGradientPrep:
    b = sympy.symbols("b", positive=True, integer=True)
    phase_gradient_prep_symb = PhaseGradientPrep(b)
    return phase_gradient_prep_symb


@bloq_example
def _phase_gradient_prep() -> PhaseGradientPrep:
    phase_gradient_prep = PhaseGradientPrep(4)
    return phase_gradient_prep


@bloq_example
def _phase_gradient_kick_symb() -> PhaseGradientKick:
    b = sympy.symbols("b", positive=True, integer=True)
    phase_gradient_kick_symb = PhaseGradientKick(b)
    return phase_gradient_kick_symb


@bloq_example
def _phase_gradient_kick() -> PhaseGradientKick:
    phase_gradient_kick = PhaseGradientKick(3)
    return phase_gradient_kick


_PHASE_GRADIENT_PREP_DOC = BloqDocSpec(
    bloq_cls=PhaseGradientPrep, examples=(_phase_gradient_prep_symb, _phase_gradient_prep)
)
_PHASE_GRADIENT_KICK_DOC = BloqDocSpec(
    bloq_cls=PhaseGradientKick, examples=(_phase_gradient_kick_symb, _phase_gradient_kick)
)
