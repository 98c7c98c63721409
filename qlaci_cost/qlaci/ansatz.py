"""Stage 5 of a QLACI query: the trainable interaction U(theta) and score aggregation U(phi)."""

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
    Register,
    Signature,
    bloq_example,
)
from qualtran.bloqs.basic_gates import CNOT, Ry, Rz
from qualtran.symbolics import SymbolicInt, is_symbolic

from qlaci_cost.core.circuit_parts import (
    angle_symbol,
    angles_converter,
    brick_depth,
    check_angles,
    check_int,
    cnot_brick,
    static_costs,
)

__all__ = ["ROTATIONS_PER_QUBIT", "Interaction", "ScoreAggregation"]

#: Trainable rotations per qubit per layer: Ry then Rz.
ROTATIONS_PER_QUBIT = 2


class _LayeredAnsatz(Bloq):
    """L layers of [Ry on every qubit, Rz on every qubit, CNOT brick] on the joined registers.

    Subclasses define `layers`, `angles` and `register_sizes` (name, size) in qubit order.
    """

    register_sizes: tuple
    layers: SymbolicInt
    angles: Optional[tuple]

    @cached_property
    def n_qubits(self) -> SymbolicInt:
        return sum(size for _, size in self.register_sizes)

    @cached_property
    def n_parameters(self) -> SymbolicInt:
        """Trainable angles: 2 per qubit per layer."""
        return ROTATIONS_PER_QUBIT * self.n_qubits * self.layers

    def _validate(self):
        for name, size in self.register_sizes:
            check_int(name, size, 1)
        check_int("layers", self.layers, 1)
        check_angles(type(self).__name__, self.angles, self.n_parameters)

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register(name, QAny(size)) for name, size in self.register_sizes])

    def build_composite_bloq(self, bb: BloqBuilder, **soqs):
        if self.angles is None or is_symbolic(self.n_qubits, self.layers):
            raise DecomposeTypeError(f"{self} needs concrete sizes and angles to decompose")
        qs: list = []
        for name, _ in self.register_sizes:
            qs.extend(bb.split(soqs[name]))
        n = len(qs)
        angles = iter(self.angles)
        for _layer in range(self.layers):
            for gate in (Ry, Rz):
                qs = [bb.add(gate(next(angles)), q=q) for q in qs]
            qs = cnot_brick(bb, qs)
        out, start = {}, 0
        for name, size in self.register_sizes:
            out[name] = bb.join(np.array(qs[start : start + size]))
            start += size
        assert start == n
        return out

    def build_call_graph(self, ssa):
        if self.angles is not None:
            return super().build_call_graph(ssa)
        n, L = self.n_qubits, self.layers
        # Per layer: n Ry, n Rz, and the brick's n - 1 CNOTs.
        return {Ry(angle_symbol("a")): n * L, Rz(angle_symbol("a")): n * L, CNOT(): (n - 1) * L}

    def my_static_costs(self, cost_key):
        if self.angles is not None:
            return NotImplemented
        n, L = self.n_qubits, self.layers
        # Per layer 2 rotation layers and the brick (min(2, n - 1) layers); the next layer's
        # rotations on qubit 1 wait for both halves of the brick (n >= 3), so layers do not
        # overlap on the critical path.
        return static_costs(
            cost_key,
            qubits=n,
            depth=L * (ROTATIONS_PER_QUBIT + brick_depth(n)),
            toffoli_layers=ROTATIONS_PER_QUBIT * L,
            t_depth=lambda key: ROTATIONS_PER_QUBIT * L * key.per_rotation,
        )


_ANSATZ_COST = """
    ## Cost
    With n qubits and L layers, exact for generic angles: rotations = 2 n L; Clifford =
    (n - 1) L CNOTs; trainable parameters = 2 n L; qubits = n; depth = L (2 + min(2, n - 1));
    Toffoli depth = 2 L; T depth = 2 L x T-per-rotation.
"""

_ANSATZ_REFERENCE = """
    References:
        [Hardware-efficient variational quantum eigensolver for small molecules and quantum
        magnets](https://arxiv.org/abs/1704.05018). Kandala et al. 2017. Fig. 1 (layered
        rotations and entanglers).
"""


@frozen
class Interaction(_LayeredAnsatz):
    """U(theta): the layered ansatz on R_Q and R_KV (query-key-value interaction).

    Qubit order: query qubits, then kv qubits; each layer is Ry(theta) and Rz(theta) on every
    qubit, then CNOTs (0,1), (2,3), ... then (1,2), (3,4), ...

    Args:
        d_q: Query qubits.
        n_kv: Key-value qubits.
        layers: L >= 1.
        angles: 2 (d_q + n_kv) L angles, layer-major, then Ry before Rz, then qubit; None for a
            size-only bloq.

    Registers:
        query: d_q qubits.
        kv: n_kv qubits.
    """

    d_q: SymbolicInt
    n_kv: SymbolicInt
    layers: SymbolicInt = 1
    angles: Optional[tuple] = attrs.field(default=None, converter=angles_converter)

    def __attrs_post_init__(self):
        self._validate()

    @cached_property
    def register_sizes(self) -> tuple:
        return (("query", self.d_q), ("kv", self.n_kv))

    def __str__(self):
        return f"Interaction(n={self.n_qubits}, L={self.layers})"


@frozen
class ScoreAggregation(_LayeredAnsatz):
    """U(phi): the layered ansatz on R_Q, R_KV and R_out (aggregation into the readout).

    Qubit order: query, kv, then out qubits; layers as in `Interaction`.

    Args:
        d_q: Query qubits.
        n_kv: Key-value qubits.
        n_out: Readout qubits.
        layers: L >= 1.
        angles: 2 (d_q + n_kv + n_out) L angles (ordered as in `Interaction`), or None.

    Registers:
        query: d_q qubits.
        kv: n_kv qubits.
        out: n_out qubits, |0> in.
    """

    d_q: SymbolicInt
    n_kv: SymbolicInt
    n_out: SymbolicInt
    layers: SymbolicInt = 1
    angles: Optional[tuple] = attrs.field(default=None, converter=angles_converter)

    def __attrs_post_init__(self):
        self._validate()

    @cached_property
    def register_sizes(self) -> tuple:
        return (("query", self.d_q), ("kv", self.n_kv), ("out", self.n_out))

    def __str__(self):
        return f"ScoreAggregation(n={self.n_qubits}, L={self.layers})"


Interaction.__doc__ += _ANSATZ_REFERENCE + _ANSATZ_COST
ScoreAggregation.__doc__ += _ANSATZ_REFERENCE + _ANSATZ_COST


@bloq_example
def _interaction_symb() -> Interaction:
    d_q, L = sympy.symbols("d_q L", positive=True, integer=True)
    interaction_symb = Interaction(d_q, 2, layers=L)
    return interaction_symb


@bloq_example
def _interaction() -> Interaction:
    interaction = Interaction(2, 2, layers=1, angles=np.linspace(0.1, 0.8, 8))
    return interaction


@bloq_example
def _score_aggregation_symb() -> ScoreAggregation:
    d_q, L = sympy.symbols("d_q L", positive=True, integer=True)
    score_aggregation_symb = ScoreAggregation(d_q, 2, 1, layers=L)
    return score_aggregation_symb


@bloq_example
def _score_aggregation() -> ScoreAggregation:
    score_aggregation = ScoreAggregation(2, 2, 1, layers=1, angles=np.linspace(0.1, 1.0, 10))
    return score_aggregation


_INTERACTION_DOC = BloqDocSpec(bloq_cls=Interaction, examples=(_interaction_symb, _interaction))
_SCORE_AGGREGATION_DOC = BloqDocSpec(
    bloq_cls=ScoreAggregation, examples=(_score_aggregation_symb, _score_aggregation)
)
