"""QLAM token encoding: the features of one token x_t as angle rotations on the memory qubits."""

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
from qualtran.bloqs.basic_gates import Rx, Rz
from qualtran.symbolics import SymbolicInt, ceil, is_symbolic

from qlaci_cost.core.circuit_parts import (
    angle_symbol,
    angles_converter,
    check_angles,
    check_int,
    static_costs,
)

__all__ = ["CONDITIONING_FLOPS_PER_FEATURE", "TokenEncoding", "encoding_gate"]

#: Classical FLOPs to compute one encoding angle from a feature: angle = w x + b.
CONDITIONING_FLOPS_PER_FEATURE = 2


def encoding_gate(feature: int, m: int):
    """The rotation class of feature k: Rx on qubit k mod m in even passes, Rz in odd ones."""
    return Rx if (feature // m) % 2 == 0 else Rz


def _layers(d_in: SymbolicInt, m: SymbolicInt) -> SymbolicInt:
    """ceil(d_in / m): rotations on the most loaded qubit (qubit 0)."""
    if is_symbolic(d_in, m):
        return ceil(sympy.sympify(d_in) / m)
    return -(-int(d_in) // int(m))


@frozen
class TokenEncoding(Bloq):
    """Angle encoding of the d_in features of one token on the m memory qubits.

    Feature k is rotated onto memory qubit k mod m: Rx in the first pass over the qubits, Rz in
    the second, Rx again in the third (consecutive rotations about one axis would merge into
    one; Rx also does not merge with the update ansatz's leading Ry). The angles are computed
    classically from x_t (angle_k = w_k x_t[k] + b_k: `conditioning_flops` per token, not a
    quantum cost); a fault-tolerant device then synthesizes each rotation for its new angle at
    every token.

    Args:
        m: Memory qubits.
        d_in: Features per token.
        angles: The d_in encoding angles of this token, or None for a size-only bloq.

    Registers:
        memory: m qubits.

    References:
        The QLAM proposal, [arXiv:2605.13833](https://arxiv.org/abs/2605.13833), abstract: an
        input-conditioned parameterized circuit updates the quantum hidden state once per
        token. The encoding itself is not published: this one is a parameter
        (docs/derivations/qlam.md).

    ## Cost
    Exact for generic angles: rotations = d_in; no other gates; qubits = m; depth = Toffoli
    depth = ceil(d_in / m); T depth = ceil(d_in / m) x T-per-rotation. Classical conditioning:
    2 d_in FLOPs per token (stated separately).
    """

    m: SymbolicInt
    d_in: SymbolicInt = 1
    angles: Optional[tuple] = attrs.field(default=None, converter=angles_converter)

    def __attrs_post_init__(self):
        check_int("m", self.m, 1)
        check_int("d_in", self.d_in, 1)
        check_angles("TokenEncoding", self.angles, self.d_in)

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("memory", QAny(self.m))])

    @property
    def conditioning_flops(self) -> SymbolicInt:
        """Classical FLOPs per token to compute the angles from x_t (a multiply and an add)."""
        return CONDITIONING_FLOPS_PER_FEATURE * self.d_in

    def build_composite_bloq(self, bb: BloqBuilder, memory):
        if self.angles is None or is_symbolic(self.m, self.d_in):
            raise DecomposeTypeError(f"{self} needs concrete sizes and angles to decompose")
        qs = list(bb.split(memory))
        m = int(self.m)
        for k, angle in enumerate(self.angles):
            qs[k % m] = bb.add(encoding_gate(k, m)(angle), q=qs[k % m])
        return {"memory": bb.join(qs)}

    def build_call_graph(self, ssa):
        if self.angles is not None:
            return super().build_call_graph(ssa)
        # One rotation per feature (Rx or Rz: both arbitrary-angle rotations).
        return {Rx(angle_symbol("x")): self.d_in}

    def my_static_costs(self, cost_key):
        if self.angles is not None:
            return NotImplemented
        layers = _layers(self.d_in, self.m)
        return static_costs(
            cost_key,
            qubits=self.m,
            depth=layers,
            toffoli_layers=layers,
            t_depth=lambda key: layers * key.per_rotation,
        )

    def __str__(self):
        return f"TokenEncoding(m={self.m}, d_in={self.d_in})"


@bloq_example
def _token_encoding_symb() -> TokenEncoding:
    m, d_in = sympy.symbols("m d_in", positive=True, integer=True)
    token_encoding_symb = TokenEncoding(m, d_in)
    return token_encoding_symb


@bloq_example
def _token_encoding() -> TokenEncoding:
    token_encoding = TokenEncoding(3, 4, angles=(0.3, -1.1, 0.7, 2.0))
    return token_encoding


_TOKEN_ENCODING_DOC = BloqDocSpec(
    bloq_cls=TokenEncoding, examples=(_token_encoding_symb, _token_encoding)
)
