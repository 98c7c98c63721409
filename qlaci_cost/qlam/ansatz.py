"""QLAM update ansatz: L layers of r rotations per memory qubit and a named CNOT entangler."""

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
from qualtran.bloqs.basic_gates import CNOT, Ry, Rz
from qualtran.symbolics import SymbolicInt, is_symbolic, smax, smin

from qlaci_cost.core.circuit_parts import (
    angle_symbol,
    angles_converter,
    brick_pairs,
    check_angles,
    check_int,
    static_costs,
)
from qlaci_cost.errors import InputError

__all__ = ["ENTANGLERS", "UpdateAnsatz", "entangler_cnots", "entangler_pairs"]

#: Entangler name -> what it is (one CNOT layer pattern per ansatz layer).
ENTANGLERS: dict[str, str] = {
    "ladder": "CNOT(0,1), CNOT(1,2), ..., CNOT(m-2,m-1): m-1 CNOTs in a chain",
    "brick": "CNOT(0,1), CNOT(2,3), ... then CNOT(1,2), CNOT(3,4), ...: m-1 CNOTs, 2 layers",
    "ring": "the ladder, then CNOT(m-1,0): m CNOTs (m >= 2)",
}


def entangler_pairs(name: str, m: int) -> list[tuple[int, int]]:
    """(control, target) pairs of one entangler layer on m qubits, in circuit order."""
    check_entangler(name, m)
    if name == "brick":
        return brick_pairs(m)
    ladder = [(i, i + 1) for i in range(m - 1)]
    return ladder + ([(m - 1, 0)] if name == "ring" else [])


def entangler_cnots(name: str, m: SymbolicInt) -> SymbolicInt:
    """CNOTs per entangler layer: m - 1 (ladder, brick) or m (ring)."""
    return m if name == "ring" else m - 1


def check_entangler(name: str, m: SymbolicInt) -> None:
    if name not in ENTANGLERS:
        raise InputError(f"entangler {name!r} is not allowed: use one of {', '.join(ENTANGLERS)}")
    if name == "ring" and not is_symbolic(m) and m < 2:
        raise InputError(f"m={m} is not allowed with the ring entangler: it needs m >= 2")


def _rotation(j: int):
    """The j-th rotation of a qubit within a layer: Ry, Rz, Ry, Rz, ..."""
    return (Ry, Rz)[j % 2]


@frozen
class UpdateAnsatz(Bloq):
    """The trainable update of the QLAM memory: L layers of [r rotation layers, entangler].

    Each layer applies r rotation layers (Ry on every qubit, then Rz on every qubit, then Ry,
    ...; r rotations per qubit) and then one entangler layer (`ENTANGLERS`: ladder, brick or
    ring). With r = 2 and the brick entangler this is the QLACI `Interaction` ansatz on m
    qubits (the tests check the two agree). The angles are shared by every token's step.

    Args:
        m: Memory qubits.
        layers: L >= 1.
        rotations: r >= 1, rotations per qubit per layer.
        entangler: `ladder` (default), `brick` or `ring`.
        angles: L r m angles, layer-major, then rotation index, then qubit; or None for a
            size-only bloq.

    Registers:
        memory: m qubits.

    References:
        [Hardware-efficient variational quantum eigensolver for small molecules and quantum
        magnets](https://arxiv.org/abs/1704.05018). Kandala et al. 2017. Fig. 1 (layered
        rotations and entanglers). The QLAM proposal (arXiv:2605.13833) does not publish its
        circuit: layers, rotations and entangler are parameters.

    ## Cost
    Exact for generic angles (derivations in docs/derivations/qlam.md): rotations = L r m;
    Clifford = L (m - 1) CNOTs (ladder, brick) or L m (ring); qubits = m; Toffoli depth = L r;
    T depth = L r x T-per-rotation; depth (as-soon-as-possible schedule) =
    L (r + min(2, m - 1)) (brick), L (r + min(2, m - 1)) + max(0, m - 3) (ladder: the chain
    of one layer overlaps the next layer's rotations), L (r + m) (ring).
    """

    m: SymbolicInt
    layers: SymbolicInt = 1
    rotations: SymbolicInt = 2
    entangler: str = "ladder"
    angles: Optional[tuple] = attrs.field(default=None, converter=angles_converter)

    def __attrs_post_init__(self):
        check_int("m", self.m, 1)
        check_int("layers", self.layers, 1)
        check_int("rotations", self.rotations, 1)
        check_entangler(self.entangler, self.m)
        check_angles("UpdateAnsatz", self.angles, self.n_parameters)

    @cached_property
    def n_parameters(self) -> SymbolicInt:
        """Trainable angles: L r m."""
        return self.layers * self.rotations * self.m

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("memory", QAny(self.m))])

    def build_composite_bloq(self, bb: BloqBuilder, memory):
        if self.angles is None or is_symbolic(self.m, self.layers, self.rotations):
            raise DecomposeTypeError(f"{self} needs concrete sizes and angles to decompose")
        qs = list(bb.split(memory))
        angles = iter(self.angles)
        for _layer in range(int(self.layers)):
            for j in range(int(self.rotations)):
                qs = [bb.add(_rotation(j)(next(angles)), q=q) for q in qs]
            for c, t in entangler_pairs(self.entangler, int(self.m)):
                qs[c], qs[t] = bb.add(CNOT(), ctrl=qs[c], target=qs[t])
        return {"memory": bb.join(qs)}

    def build_call_graph(self, ssa):
        if self.angles is not None:
            return super().build_call_graph(ssa)
        L, r, m = self.layers, self.rotations, self.m
        # Per layer r rotations on each of the m qubits, then the entangler's CNOTs.
        return {
            Ry(angle_symbol("u")): L * r * m,
            CNOT(): L * entangler_cnots(self.entangler, m),
        }

    @cached_property
    def closed_depth(self) -> SymbolicInt:
        """Depth of the as-soon-as-possible schedule (docs/derivations/qlam.md)."""
        L, r, m = self.layers, self.rotations, self.m
        if self.entangler == "ring":
            return L * (r + m)
        base = L * (r + smin(2, m - 1))
        return base + smax(0, m - 3) if self.entangler == "ladder" else base

    def my_static_costs(self, cost_key):
        if self.angles is not None:
            return NotImplemented
        rot_layers = self.layers * self.rotations
        return static_costs(
            cost_key,
            qubits=self.m,
            depth=self.closed_depth,
            toffoli_layers=rot_layers,
            t_depth=lambda key: rot_layers * key.per_rotation,
        )

    def __str__(self):
        return f"UpdateAnsatz(m={self.m}, L={self.layers}, r={self.rotations}, {self.entangler})"


@bloq_example
def _update_ansatz_symb() -> UpdateAnsatz:
    m, L, r = sympy.symbols("m L r", positive=True, integer=True)
    update_ansatz_symb = UpdateAnsatz(m, L, r, "ladder")
    return update_ansatz_symb


@bloq_example
def _update_ansatz() -> UpdateAnsatz:
    update_ansatz = UpdateAnsatz(3, 1, 2, "ring", angles=[0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    return update_ansatz


_UPDATE_ANSATZ_DOC = BloqDocSpec(
    bloq_cls=UpdateAnsatz, examples=(_update_ansatz_symb, _update_ansatz)
)
