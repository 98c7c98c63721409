"""Counting conventions: T per Toffoli, T-depth per Toffoli, rotation synthesis, depth.

Every number the toolkit prints is computed under one `Conventions` value, and every output
prints `Conventions.describe()` beside it.
Each convention is explained in docs/conventions.md.
"""

import math
from typing import Union

import attrs
import sympy
from attrs import frozen
from qualtran.symbolics import SymbolicFloat, SymbolicInt, ceil, is_symbolic, log2

from qlaci_cost.errors import InputError


@frozen
class RotationSynthesis:
    """T gates per arbitrary-angle single-qubit rotation at precision eps: a log2(1/eps) + b.

    Args:
        name: The model's name, as accepted by `ROTATION_MODELS`.
        slope: Coefficient of log2(1/eps).
        offset: Constant term.
        source: Citation for the formula.
    """

    name: str
    slope: float
    offset: float
    source: str

    def t_per_rotation(self, eps: SymbolicFloat) -> SymbolicInt:
        """Ceiling of `slope * log2(1/eps) + offset`, never below 1."""
        if self.slope == 0:
            return max(1, math.ceil(self.offset))
        if is_symbolic(eps):
            expr = sympy.Float(self.slope, 4) * sympy.log(1 / eps, 2) + sympy.Float(self.offset, 4)
            return sympy.ceiling(expr)
        value = self.slope * float(log2(1 / eps)) + self.offset
        return max(1, int(ceil(value)))

    def formula(self) -> str:
        if self.slope == 0:
            return f"{self.offset:g} T per rotation"
        sign = "+" if self.offset >= 0 else "-"
        return f"ceil({self.slope:g} log2(1/eps) {sign} {abs(self.offset):g}) T per rotation"


ROTATION_MODELS: dict[str, RotationSynthesis] = {
    m.name: m
    for m in [
        RotationSynthesis(
            "mixed-fallback",
            0.53,
            5.3,
            "Kliuchnikov et al. arXiv:2203.10064; Beverland et al. arXiv:2211.07629 "
            "(Qualtran's 11 T per rotation is this model at eps = 1e-3)",
        ),
        RotationSynthesis("gridsynth", 3.0, 0.0, "Ross, Selinger arXiv:1403.2975 (leading term)"),
        RotationSynthesis(
            "repeat-until-success", 1.26, -3.53, "Paetznick, Svore arXiv:1311.1074 (expected)"
        ),
        RotationSynthesis("brs-fallback", 1.149, 9.2, "Bocharov, Roetteler, Svore arXiv:1404.5320"),
        RotationSynthesis("qualtran-default", 0.0, 11.0, "Qualtran GateCounts.total_t_count"),
    ]
}

#: Toffoli constructions: (T count, T depth, extra ancillas, source).
TOFFOLI_CONSTRUCTIONS: dict[str, tuple[int, int, int, str]] = {
    "jones-4t": (4, 1, 1, "Jones, PRA 87, 022328 (2013), arXiv:1212.5069: 4 T, T-depth 1"),
    "selinger-7t": (7, 1, 4, "Selinger, PRA 87, 042302 (2013), arXiv:1210.0974: 7 T, T-depth 1"),
    "amy-7t": (7, 3, 0, "Amy et al., IEEE TCAD 32, 818 (2013), arXiv:1206.0758: 7 T, T-depth 3"),
}

DEPTH_DEFINITION = (
    "depth = longest path through the circuit with every leaf gate (Toffoli, And, CSWAP, T, "
    "rotation, Clifford, measurement) one layer and bookkeeping zero; toffoli_depth counts only "
    "non-Clifford layers (Toffoli-class, T, rotation); t_depth weighs a Toffoli-class layer by "
    "the Toffoli construction's T-depth, a rotation by its synthesized T count"
)


def _check_eps(eps: SymbolicFloat) -> None:
    if is_symbolic(eps):
        return
    if not (isinstance(eps, (int, float)) and 0 < eps < 1):
        raise InputError(f"eps={eps!r} is not allowed: rotation precision must be in (0, 1)")


def _check_toffoli(name: str) -> None:
    if not isinstance(name, str) or name not in TOFFOLI_CONSTRUCTIONS:
        allowed = ", ".join(TOFFOLI_CONSTRUCTIONS)
        raise InputError(f"unknown Toffoli construction {name!r}: allowed are {allowed}")


def _check_rotation(name: str) -> None:
    if not isinstance(name, str) or name not in ROTATION_MODELS:
        allowed = ", ".join(ROTATION_MODELS)
        raise InputError(f"unknown rotation synthesis model {name!r}: allowed are {allowed}")


@frozen
class Conventions:
    """How counts are converted to T and T-depth.

    Args:
        toffoli: Toffoli construction, a key of `TOFFOLI_CONSTRUCTIONS`. Default `jones-4t`
            (4 T per Toffoli-class gate, T-depth 1). `selinger-7t` and `amy-7t` give 7 T.
        rotation_model: Rotation synthesis model, a key of `ROTATION_MODELS`.
        eps: Synthesis precision per rotation, in (0, 1), or a sympy symbol.
    """

    toffoli: str = attrs.field(default="jones-4t", validator=lambda s, a, v: _check_toffoli(v))
    rotation_model: str = attrs.field(
        default="mixed-fallback", validator=lambda s, a, v: _check_rotation(v)
    )
    eps: Union[float, sympy.Expr] = attrs.field(
        default=1e-6, validator=lambda s, a, v: _check_eps(v)
    )

    @classmethod
    def with_t_per_toffoli(cls, t_per_toffoli: int, **kwargs) -> "Conventions":
        """4 -> `jones-4t`, 7 -> `selinger-7t` (T-depth 1, as Di Matteo et al. count)."""
        names = {4: "jones-4t", 7: "selinger-7t"}
        if t_per_toffoli not in names:
            raise InputError(f"T per Toffoli {t_per_toffoli!r} is not allowed: use 4 or 7")
        return cls(toffoli=names[t_per_toffoli], **kwargs)

    @property
    def t_per_toffoli(self) -> int:
        return TOFFOLI_CONSTRUCTIONS[self.toffoli][0]

    @property
    def t_depth_per_toffoli(self) -> int:
        return TOFFOLI_CONSTRUCTIONS[self.toffoli][1]

    @property
    def synthesis(self) -> RotationSynthesis:
        return ROTATION_MODELS[self.rotation_model]

    @property
    def t_per_rotation(self) -> SymbolicInt:
        return self.synthesis.t_per_rotation(self.eps)

    def describe(self) -> str:
        """One paragraph stating every convention, printed with every result."""
        t, td, anc, src = TOFFOLI_CONSTRUCTIONS[self.toffoli]
        rot = self.synthesis
        return (
            f"Conventions: {t} T per Toffoli-class gate (Toffoli, And, CSWAP), T-depth {td} each "
            f"[{self.toffoli}: {src}; its {anc} ancilla(s) not counted in qubits]; "
            f"rotations: {rot.formula()} at eps={self.eps} = {self.t_per_rotation} T "
            f"[{rot.name}: {rot.source}]; {DEPTH_DEFINITION}."
        )

    def as_dict(self) -> dict:
        return {
            "toffoli_construction": self.toffoli,
            "t_per_toffoli": self.t_per_toffoli,
            "t_depth_per_toffoli": self.t_depth_per_toffoli,
            "rotation_model": self.rotation_model,
            "rotation_eps": str(self.eps),
            "t_per_rotation": str(self.t_per_rotation),
        }


DEFAULT_CONVENTIONS = Conventions()
