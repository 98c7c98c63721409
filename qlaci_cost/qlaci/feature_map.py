"""Stage 4 of a QLACI query: the key-value feature map, rotations driven by the loaded bits."""

from functools import cached_property
from typing import Optional

import attrs
import numpy as np
import sympy
from attrs import frozen
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    DecomposeTypeError,
    QAny,
    QBit,
    QUInt,
    Register,
    Signature,
    bloq_example,
)
from qualtran.bloqs.basic_gates import CNOT, Hadamard, Ry, SGate
from qualtran.symbolics import SymbolicFloat, SymbolicInt, is_symbolic, smax, smin

from qlaci_cost.core.checks import finite_real
from qlaci_cost.core.circuit_parts import (
    angle_symbol,
    angles_converter,
    check_angles,
    check_int,
    static_costs,
)
from qlaci_cost.errors import InputError
from qlaci_cost.qlaci.phase_gradient import PhaseGradientKick
from qlaci_cost.symbolics.rounding import ceil_div

__all__ = ["FEATURE_MAPS", "ControlledRy", "KVFeatureMap", "ceil_div"]

#: Feature-map variants of `KVFeatureMap`.
FEATURE_MAPS = ("controlled-rotations", "phase-gradient")


@frozen
class ControlledRy(Bloq):
    """Ry(angle) on `target` when `ctrl` is 1, as Ry(a/2) CNOT Ry(-a/2) CNOT.

    For ctrl = 0 the two half rotations cancel; for ctrl = 1, X Ry(-a/2) X = Ry(a/2) adds up
    to Ry(a). Qualtran's `Controlled(Ry)` counts as one rotation; its fault-tolerant cost is
    this circuit's two.

    Args:
        angle: a, a float or a sympy expression.

    Registers:
        ctrl: the control qubit.
        target: the rotated qubit.

    References:
        [Elementary gates for quantum computation](https://arxiv.org/abs/quant-ph/9503016).
        Barenco et al. 1995. Lemma 5.4 (controlled-W from two rotations and two CNOTs).

    ## Cost
    Exact for a generic angle: rotations = 2, Clifford = 2, depth = 4, Toffoli depth = 2,
    T depth = 2 x T-per-rotation, qubits = 2.
    """

    angle: SymbolicFloat

    def __attrs_post_init__(self):
        finite_real(self.angle, "angle", "a finite real number or a sympy expression is needed")

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("ctrl", QBit()), Register("target", QBit())])

    def build_composite_bloq(self, bb: BloqBuilder, ctrl, target):
        target = bb.add(Ry(self.angle / 2), q=target)
        ctrl, target = bb.add(CNOT(), ctrl=ctrl, target=target)
        target = bb.add(Ry(-self.angle / 2), q=target)
        ctrl, target = bb.add(CNOT(), ctrl=ctrl, target=target)
        return {"ctrl": ctrl, "target": target}

    def build_call_graph(self, ssa):
        return {Ry(self.angle / 2): 1, Ry(-self.angle / 2): 1, CNOT(): 2}

    def my_static_costs(self, cost_key):
        if not is_symbolic(self.angle):
            return NotImplemented  # a Clifford or T angle is counted as such by decomposition
        return static_costs(
            cost_key, qubits=2, depth=4, toffoli_layers=2, t_depth=lambda k: 2 * k.per_rotation
        )

    def __str__(self):
        return f"ControlledRy({self.angle})"


@frozen
class KVFeatureMap(Bloq):
    """Rotations of the key-value qubits R_KV driven by the loaded word K_j || V_j.

    The loaded register holds C = d_k + d_v components of b bits, component c in qubits
    [c b, (c + 1) b), most significant bit first (keys first, then values). Component c drives
    kv qubit c mod n_kv (with d_k = d_v = 1 and n_kv = 2: K on kv qubit 0, V on kv qubit 1).
    Variants:

    - `controlled-rotations`: for each bit p of component c, `ControlledRy(angle_c 2^p)` with
      that bit as control: kv qubit k gets Ry(sum_{c -> k} angle_c x_c).
    - `phase-gradient`: a b-qubit register holding the phase-gradient state (a THRU register,
      prepared by its owner with `PhaseGradientPrep`); kv qubit k is turned into the Z basis
      (S^dagger, H), each component c -> k applies a `PhaseGradientKick` (an addition into the
      gradient register), then H, S: kv qubit k gets Ry(-sum_{c -> k} (2 x_c + 1) 2 pi / 2^b)
      up to a global phase. The angle unit is fixed to 4 pi / 2^b (no trainable scale; a
      trainable one needs a multiplication). Needs b >= 2. Kicks run in the order c = 0, 1, ...
      (kv qubits interleaved) so that a kick's fan-out hides under the previous addition.

    Args:
        n_kv: Key-value qubits.
        d_k: Key components per word.
        d_v: Value components per word.
        bits: b, bits per component.
        variant: One of `FEATURE_MAPS`.
        angles: `controlled-rotations` only: the C angle scales angle_c, or None for a
            size-only bloq. Must be None for `phase-gradient` (its circuit has no angles).

    Registers:
        loaded: C b qubits, the loaded word (unchanged).
        kv: n_kv qubits, rotated.
        phase_grad: `phase-gradient` only: b qubits in the phase-gradient state (unchanged).

    References:
        [Supervised learning with quantum enhanced feature
        spaces](https://arxiv.org/abs/1804.11326). Havlicek et al. 2019. Data-dependent
        feature-map circuits.
        [Halving the cost of quantum addition](https://arxiv.org/abs/1709.06648). Gidney 2018.
        Rotations by addition into a phase-gradient state.

    ## Cost
    C = d_k + d_v, W = C b, m = ceil(C / n_kv) (components on kv qubit 0, the busiest).
    `controlled-rotations` (exact for generic angles): rotations = 2 C b; Clifford = 2 C b;
    qubits = W + n_kv; depth = 4 b m; Toffoli depth = 2 b m; T depth = 2 b m T-per-rotation.
    `phase-gradient` (exact; the gradient state's preparation is not included, see
    `PhaseGradientPrep`): Toffoli = C (b - 1); measurements = C (b - 1); Clifford =
    C (9 b - 10) + 4 min(C, n_kv); no T or rotation; qubits = W + n_kv + 2 b - 1 (gradient +
    b - 1 adder ancillas); depth = C (7 b - 10) + 6 + 2 (C - 1) [n_kv = 1] (the additions are
    serial through the gradient register; 3 layers precede the first and 3 follow the last;
    with one kv qubit each kick also waits 2 layers for its control); Toffoli depth =
    C (b - 1); T depth = C (b - 1) T-per-Toffoli.
    """

    n_kv: SymbolicInt
    d_k: SymbolicInt
    d_v: SymbolicInt
    bits: SymbolicInt
    variant: str = "controlled-rotations"
    angles: Optional[tuple] = attrs.field(default=None, converter=angles_converter)

    def __attrs_post_init__(self):
        for name in ("n_kv", "d_k", "d_v", "bits"):
            check_int(name, getattr(self, name), 1)
        if self.variant not in FEATURE_MAPS:
            raise InputError(
                f"feature map {self.variant!r} is not allowed: use one of {', '.join(FEATURE_MAPS)}"
            )
        if self.variant == "phase-gradient":
            check_int("bits (phase-gradient feature map)", self.bits, 2)
            if self.angles is not None:
                raise InputError("the phase-gradient feature map takes no angles")
        check_angles("KVFeatureMap", self.angles, self.n_components)

    @cached_property
    def n_components(self) -> SymbolicInt:
        return self.d_k + self.d_v

    @cached_property
    def word_bits(self) -> SymbolicInt:
        return self.n_components * self.bits

    @cached_property
    def signature(self) -> Signature:
        regs = [Register("loaded", QUInt(self.word_bits)), Register("kv", QAny(self.n_kv))]
        if self.variant == "phase-gradient":
            regs.append(Register("phase_grad", QUInt(self.bits)))
        return Signature(regs)

    @property
    def is_size_only(self) -> bool:
        """True when the circuit is not fixed: counts come from the closed forms."""
        return self.variant == "controlled-rotations" and self.angles is None

    def kv_qubit(self, component: int) -> int:
        return component % self.n_kv

    def build_composite_bloq(self, bb: BloqBuilder, loaded, kv, **soqs):
        if self.is_size_only or is_symbolic(self.n_kv, self.d_k, self.d_v, self.bits):
            raise DecomposeTypeError(f"{self} needs concrete sizes and angles to decompose")
        xs, kvs, out = list(bb.split(loaded)), list(bb.split(kv)), {}
        b, n_comp = self.bits, self.n_components
        if self.variant == "controlled-rotations":
            for c in range(n_comp):
                k = self.kv_qubit(c)
                for p in range(b):
                    i = c * b + (b - 1 - p)
                    xs[i], kvs[k] = bb.add(
                        ControlledRy(self.angles[c] * 2**p), ctrl=xs[i], target=kvs[k]
                    )
        else:
            used = range(min(n_comp, self.n_kv))
            grad = soqs["phase_grad"]
            for k in used:
                kvs[k] = bb.add(SGate(is_adjoint=True), q=kvs[k])
                kvs[k] = bb.add(Hadamard(), q=kvs[k])
            for c in range(n_comp):
                k = self.kv_qubit(c)
                x = bb.join(np.array(xs[c * b : (c + 1) * b]), dtype=QUInt(b))
                kvs[k], x, grad = bb.add(PhaseGradientKick(b), ctrl=kvs[k], x=x, phase_grad=grad)
                xs[c * b : (c + 1) * b] = list(bb.split(x))
            for k in used:
                kvs[k] = bb.add(Hadamard(), q=kvs[k])
                kvs[k] = bb.add(SGate(), q=kvs[k])
            out["phase_grad"] = grad
        out["loaded"] = bb.join(np.array(xs), dtype=QUInt(self.word_bits))
        out["kv"] = bb.join(np.array(kvs))
        return out

    def build_call_graph(self, ssa):
        n_comp, b = self.n_components, self.bits
        if self.variant == "controlled-rotations":
            if self.angles is not None:
                return super().build_call_graph(ssa)
            # One controlled rotation per loaded bit.
            return {ControlledRy(angle_symbol("k")): n_comp * b}
        used = smin(n_comp, self.n_kv)
        # One kick per component; S^dagger H ... H S around the kicks on every kv qubit that
        # some component drives.
        return {
            PhaseGradientKick(b): n_comp,
            SGate(is_adjoint=True): used,
            SGate(): used,
            Hadamard(): 2 * used,
        }

    def my_static_costs(self, cost_key):
        if self.variant == "controlled-rotations" and self.angles is not None:
            return NotImplemented
        n_comp, b, n_kv = self.n_components, self.bits, self.n_kv
        if self.variant == "controlled-rotations":
            # Each controlled rotation is 4 layers on its target (Ry, CNOT, Ry, CNOT); kv qubit 0
            # is the target of b m of them, one after another; their controls are distinct
            # loaded bits, ready at the start.
            m = ceil_div(n_comp, n_kv)
            return static_costs(
                cost_key,
                qubits=self.word_bits + n_kv,
                depth=4 * b * m,
                toffoli_layers=2 * b * m,
                t_depth=lambda key: 2 * b * m * key.per_rotation,
            )
        # Kicks are serial through the gradient register (each adds its adder's 7b - 10
        # layers); 3 layers precede the first addition (S^dagger, H, the first fan-out CNOT)
        # and 3 follow the last (the last restoring CNOT, H, S); with one kv qubit each further
        # kick waits 2 more layers (restore and fan-out on the shared control).
        return static_costs(
            cost_key,
            qubits=self.word_bits + n_kv + 2 * b - 1,
            depth=n_comp * (7 * b - 10) + 6 + 2 * (n_comp - 1) * smax(0, 2 - n_kv),
            toffoli_layers=n_comp * (b - 1),
            t_depth=lambda key: n_comp * (b - 1) * key.per_toffoli,
        )

    def __str__(self):
        return (
            f"KVFeatureMap({self.variant}, n_kv={self.n_kv}, C={self.n_components}, b={self.bits})"
        )


@bloq_example
def _kv_feature_map_symb() -> KVFeatureMap:
    n_kv, d_k, d_v, b = sympy.symbols("n_kv d_k d_v b", positive=True, integer=True)
    kv_feature_map_symb = KVFeatureMap(n_kv, d_k, d_v, b)
    return kv_feature_map_symb


@bloq_example
def _kv_feature_map() -> KVFeatureMap:
    kv_feature_map = KVFeatureMap(2, 1, 1, 2, angles=(0.4, -0.9))
    return kv_feature_map


@bloq_example
def _kv_feature_map_phase_gradient() -> KVFeatureMap:
    kv_feature_map_phase_gradient = KVFeatureMap(2, 1, 1, 3, variant="phase-gradient")
    return kv_feature_map_phase_gradient


@bloq_example
def _controlled_ry() -> ControlledRy:
    controlled_ry = ControlledRy(0.7)
    return controlled_ry


_CONTROLLED_RY_DOC = BloqDocSpec(bloq_cls=ControlledRy, examples=(_controlled_ry,))
_KV_FEATURE_MAP_DOC = BloqDocSpec(
    bloq_cls=KVFeatureMap,
    examples=(_kv_feature_map_symb, _kv_feature_map, _kv_feature_map_phase_gradient),
)
