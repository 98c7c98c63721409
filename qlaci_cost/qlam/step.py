"""One QLAM step (token encoding, update, optional weak readout) and the N-step sequence."""

from functools import cached_property
from typing import Any, Optional

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
from qualtran.resource_counting import QubitCount, get_cost_value
from qualtran.symbolics import SymbolicInt, is_symbolic

from qlaci_cost.core.checks import text_tuple
from qlaci_cost.core.circuit_parts import angles_converter, check_int
from qlaci_cost.errors import InputError
from qlaci_cost.qlam.ansatz import UpdateAnsatz
from qlaci_cost.qlam.encoding import TokenEncoding
from qlaci_cost.qlam.readout import DirectReadout, WeakReadout, theta_value

__all__ = ["DEPTH_BOUND_NOTE", "QLAMSequence", "QLAMStep"]

DEPTH_BOUND_NOTE = (
    "depths of a step and a sequence: stages (and steps) as blocks one after another, which is "
    "what the Depth keys give on their decomposition; the gate-level schedule can start the "
    "next stage on a qubit its predecessor has finished with (an upper bound on it)"
)


def _tokens(rows) -> Optional[tuple]:
    if rows is None:
        return None
    return tuple(angles_converter(np.atleast_1d(np.asarray(r, dtype=object))) for r in rows)


def _block_depth(stages, cost_key) -> Any:
    return sum((get_cost_value(b, cost_key) for b in stages), start=0)


class _Depths:
    """Depth keys answered as the sum of the parts' depths (blocks in sequence)."""

    def _parts(self) -> list[tuple[Bloq, SymbolicInt]]:
        raise NotImplementedError

    def my_static_costs(self, cost_key):
        from qlaci_cost.core.depth import Depth, TDepth, ToffoliDepth

        if isinstance(cost_key, QubitCount):
            return self.signature.n_qubits()
        if isinstance(cost_key, (Depth, ToffoliDepth, TDepth)):
            return sum((n * get_cost_value(b, cost_key) for b, n in self._parts()), start=0)
        return NotImplemented


@frozen
class QLAMStep(_Depths, Bloq):
    """One token's update of the QLAM memory: `TokenEncoding`, `UpdateAnsatz`, then (optional)
    `WeakReadout` on k ancillas.

    Args:
        m: Memory qubits.
        d_in: Features per token.
        layers: L, ansatz layers.
        rotations: r, rotations per qubit per layer.
        entangler: `ladder`, `brick` or `ring`.
        weak_ancillas: k >= 0 weak-readout ancillas (0: no readout in the step).
        theta: Weak-measurement angle in (0, pi/2].
        token: The d_in encoding angles of this token, or None.
        params: The L r m ansatz angles (shared by every step), or None.

    Registers:
        memory: m qubits.
        anc: k qubits (only when k >= 1), |0> in and out.

    References:
        The QLAM proposal, [arXiv:2605.13833](https://arxiv.org/abs/2605.13833), abstract.
        Circuit choices are parameters (docs/derivations/qlam.md).

    ## Cost
    Gate counts exact (the sum of the stages); qubits = m + k (exact); depths = the stages'
    depths added (stages as blocks: an upper bound on the gate-level schedule, `BOUNDS`).
    """

    m: SymbolicInt
    d_in: SymbolicInt = 1
    layers: SymbolicInt = 1
    rotations: SymbolicInt = 2
    entangler: str = "ladder"
    weak_ancillas: SymbolicInt = 0
    theta: Any = attrs.field(default=sympy.pi / 4, converter=theta_value)
    token: Optional[tuple] = attrs.field(default=None, converter=angles_converter)
    params: Optional[tuple] = attrs.field(default=None, converter=angles_converter)

    #: Metrics whose closed form is an upper bound on the gate-level decomposition's.
    BOUNDS = frozenset({"depth", "toffoli_depth", "t_depth"})

    def __attrs_post_init__(self):
        check_int("weak_ancillas", self.weak_ancillas, 0)
        _ = self.stages

    @cached_property
    def encoding(self) -> TokenEncoding:
        return TokenEncoding(self.m, self.d_in, angles=self.token)

    @cached_property
    def update(self) -> UpdateAnsatz:
        return UpdateAnsatz(self.m, self.layers, self.rotations, self.entangler, self.params)

    @property
    def has_weak(self) -> bool:
        return is_symbolic(self.weak_ancillas) or self.weak_ancillas > 0

    @cached_property
    def weak(self) -> Optional[WeakReadout]:
        return WeakReadout(self.m, self.weak_ancillas, self.theta) if self.has_weak else None

    @cached_property
    def stages(self) -> tuple[Bloq, ...]:
        return (self.encoding, self.update) + ((self.weak,) if self.has_weak else ())

    def _parts(self):
        return [(b, 1) for b in self.stages]

    @property
    def is_concrete(self) -> bool:
        return self.token is not None and self.params is not None

    @cached_property
    def signature(self) -> Signature:
        regs = [Register("memory", QAny(self.m))]
        if self.has_weak:
            regs.append(Register("anc", QAny(self.weak_ancillas)))
        return Signature(regs)

    def build_composite_bloq(self, bb: BloqBuilder, memory, **anc):
        if not self.is_concrete:
            raise DecomposeTypeError(f"{self} needs token and ansatz angles to decompose")
        memory = bb.add(self.encoding, memory=memory)
        memory = bb.add(self.update, memory=memory)
        if self.has_weak:
            memory, anc["anc"] = bb.add(self.weak, memory=memory, anc=anc["anc"])
        return {"memory": memory, **anc}

    def build_call_graph(self, ssa):
        return {b: 1 for b in self.stages}

    def __str__(self):
        weak = f", weak k={self.weak_ancillas}" if self.has_weak else ""
        return f"QLAMStep(m={self.m}, d_in={self.d_in}, L={self.layers}{weak})"


@frozen
class QLAMSequence(_Depths, Bloq):
    """N QLAM steps on one memory (a chain), then an optional final `DirectReadout`.

    Step t encodes token t (angles `tokens[t]`) and applies the shared update; with
    k = weak_ancillas >= 1 every step also runs the weak readout. `final_readout` measures the
    memory at the end (one group of commuting observables per run).

    Args:
        n_steps: N tokens (an int, exact up to any size, or a symbol).
        m, d_in, layers, rotations, entangler, weak_ancillas, theta: as in `QLAMStep`.
        final_readout: Measure the memory at the end.
        n_observables: K observables (default m); n_groups: G groups; bases, group: as in
            `DirectReadout`.
        tokens: N rows of d_in angles, or None (size-only).
        params: The L r m ansatz angles, or None.

    Registers:
        memory: m qubits.
        anc: k qubits (weak readout only).

    ## Cost
    Gate counts exact: N x step + readout. Qubits = m + k. Depths = N x step depth + readout
    depth (steps as blocks: the chain's length; an upper bound on the gate-level schedule).
    Symbolic N stays exact (N = 2^200 substitutes to integers).
    """

    n_steps: SymbolicInt
    m: SymbolicInt
    d_in: SymbolicInt = 1
    layers: SymbolicInt = 1
    rotations: SymbolicInt = 2
    entangler: str = "ladder"
    weak_ancillas: SymbolicInt = 0
    theta: Any = attrs.field(default=sympy.pi / 4, converter=theta_value)
    final_readout: bool = True
    n_observables: Optional[SymbolicInt] = None
    n_groups: Optional[SymbolicInt] = None
    bases: Optional[tuple[str, ...]] = attrs.field(
        default=None, converter=lambda v: text_tuple(v, "bases")
    )
    group: int = 0
    tokens: Optional[tuple] = attrs.field(default=None, converter=_tokens)
    params: Optional[tuple] = attrs.field(default=None, converter=angles_converter)

    BOUNDS = QLAMStep.BOUNDS

    def __attrs_post_init__(self):
        check_int("n_steps", self.n_steps, 1)
        if self.tokens is not None and (
            is_symbolic(self.n_steps) or len(self.tokens) != self.n_steps
        ):
            raise InputError(f"tokens has {len(self.tokens)} rows, N={self.n_steps} are needed")
        _ = self.step, self.readout

    @cached_property
    def step(self) -> QLAMStep:
        """The size-only step (every step's costs; angles differ per token)."""
        return QLAMStep(
            self.m,
            self.d_in,
            self.layers,
            self.rotations,
            self.entangler,
            self.weak_ancillas,
            self.theta,
            params=self.params,
        )

    def step_at(self, t: int) -> QLAMStep:
        """Step t with its token's angles."""
        return attrs.evolve(self.step, token=self.tokens[t])

    @cached_property
    def readout(self) -> Optional[DirectReadout]:
        if not self.final_readout:
            return None
        return DirectReadout(self.m, self.n_observables, self.n_groups, self.bases, self.group)

    @property
    def is_concrete(self) -> bool:
        return self.tokens is not None and self.params is not None

    def _parts(self):
        parts = [(self.step, self.n_steps)]
        return parts + ([(self.readout, 1)] if self.readout is not None else [])

    @cached_property
    def signature(self) -> Signature:
        return self.step.signature

    def build_composite_bloq(self, bb: BloqBuilder, memory, **anc):
        if not self.is_concrete or is_symbolic(self.n_steps):
            raise DecomposeTypeError(f"{self} needs N, tokens and ansatz angles to decompose")
        for t in range(int(self.n_steps)):
            out = bb.add_d(self.step_at(t), memory=memory, **anc)
            memory = out.pop("memory")
            anc = out
        if self.readout is not None:
            memory = bb.add(self.readout, memory=memory)
        return {"memory": memory, **anc}

    def build_call_graph(self, ssa):
        if self.is_concrete:
            return super().build_call_graph(ssa)
        return {b: n for b, n in self._parts()}

    def __str__(self):
        return f"QLAMSequence(N={self.n_steps}, {self.step})"


@bloq_example
def _qlam_step_symb() -> QLAMStep:
    m, d_in, L = sympy.symbols("m d_in L", positive=True, integer=True)
    qlam_step_symb = QLAMStep(m, d_in, L)
    return qlam_step_symb


@bloq_example
def _qlam_step() -> QLAMStep:
    qlam_step = QLAMStep(2, 1, 1, token=(0.4,), params=(0.1, 0.2, 0.3, 0.4))
    return qlam_step


@bloq_example
def _qlam_sequence_symb() -> QLAMSequence:
    N, m = sympy.symbols("N m", positive=True, integer=True)
    qlam_sequence_symb = QLAMSequence(N, m)
    return qlam_sequence_symb


@bloq_example
def _qlam_sequence() -> QLAMSequence:
    qlam_sequence = QLAMSequence(
        3, 2, tokens=((0.1,), (0.5,), (-0.3,)), params=(0.1, 0.2, 0.3, 0.4)
    )
    return qlam_sequence


_QLAM_STEP_DOC = BloqDocSpec(bloq_cls=QLAMStep, examples=(_qlam_step_symb, _qlam_step))
_QLAM_SEQUENCE_DOC = BloqDocSpec(
    bloq_cls=QLAMSequence, examples=(_qlam_sequence_symb, _qlam_sequence)
)
