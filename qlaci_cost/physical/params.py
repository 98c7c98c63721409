"""Inputs of a physical estimate: models, presets and sources, validated assumptions, counts."""

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Optional, Union

import attrs
import sympy
from attrs import frozen
from qualtran.surface_code import PhysicalParameters, QECScheme

from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, Conventions
from qlaci_cost.core.summary import CostSummary
from qlaci_cost.errors import InputError, describe_value
from qlaci_cost.physical.arithmetic import is_int
from qlaci_cost.symbolics.exact import fraction

__all__ = [
    "DISTILLATION_SHARE",
    "MODELS",
    "PRESETS",
    "SOURCES",
    "PARAMETERS",
    "LogicalInput",
    "PhysicalAssumptions",
    "assumptions_for",
    "logical_input",
]

MODELS = ("gidney-fowler", "beverland", "microsoft-like")


def _preset(phys: PhysicalParameters, error_budget: float) -> dict[str, Any]:
    return {
        "physical_error": phys.physical_error,
        "cycle_time_us": phys.cycle_time_us,
        "reaction_time_us": 10.0,
        "error_budget": error_budget,
    }


#: Preset name -> (model, default parameters), hardware values from Qualtran's presets.
PRESETS: dict[str, tuple[str, dict[str, Any]]] = {
    "gidney-fowler": ("gidney-fowler", _preset(PhysicalParameters.make_gidney_fowler(), 1e-2)),
    "gidney-fowler-optimistic": (
        "gidney-fowler",
        _preset(PhysicalParameters.make_gidney_fowler(optimistic_err_rate=True), 1e-2),
    ),
    "beverland": ("beverland", _preset(PhysicalParameters.make_beverland_et_al(), 1e-3)),
    "beverland-optimistic": (
        "beverland",
        _preset(PhysicalParameters.make_beverland_et_al(optimistic_err_rate=True), 1e-3),
    ),
    "microsoft-like": ("microsoft-like", _preset(PhysicalParameters.make_beverland_et_al(), 1e-3)),
}

SOURCES = {
    "physical_error": "1e-3: Gidney & Ekera arXiv:1905.09749 (abstract); Gidney & Fowler "
    "arXiv:1812.01238; Beverland et al. arXiv:2211.07629 'realistic' gate-based qubits",
    "cycle_time_us": "1 us: Gidney & Ekera arXiv:1905.09749; 0.4 us = 4 x 50 ns + 2 x 100 ns: "
    "Beverland et al. superconducting (Qualtran PhysicalParameters.make_beverland_et_al)",
    "reaction_time_us": "10 us: Gidney & Ekera arXiv:1905.09749 (abstract)",
    "error_budget": "1e-2: Qualtran get_ccz2t_costs_from_error_budget (Gidney-Fowler "
    "spreadsheet); 1e-3: Beverland et al. arXiv:2211.07629 and Microsoft's estimator default",
}

#: Distillation's share of the budget when the program has no rotations (`budget.split_budget`;
#: a third with rotations).
DISTILLATION_SHARE = Fraction(1, 2)
PARAMS = (
    "physical_error",
    "cycle_time_us",
    "reaction_time_us",
    "error_budget",
    "factory",
    "n_factories",
    "data_distance",
    "routing_overhead",
    "conventions",
)
#: The parameters of a preset an estimate may override (`estimate(..., **params)`).
PARAMETERS: tuple[str, ...] = tuple(p for p in PARAMS if p != "conventions")


def fail(name: str, value: Any, allowed: str) -> None:
    raise InputError(f"{name}={describe_value(value)} is not allowed: {allowed}")


def _real(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(name, value, "must be a real number")
    try:
        x = float(value)
    except OverflowError:
        fail(name, value, "must be a real number small enough for a float")
    if math.isnan(x):
        fail(name, value, "must be a real number")
    return x


def _check_model(inst, attr, value):
    if not isinstance(value, str) or value not in MODELS:
        fail("model", value, f"known models are {', '.join(MODELS)}")


def _factory(value: Any) -> Optional[tuple]:
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        fail("factory", value, "a tuple of factory code distances (or None)")
    return tuple(value)


def _check_p(inst, attr, value):
    if not 0 < _real("physical_error", value) <= 1e-2:
        fail("physical_error", value, "physical error rate must be in (0, 1e-2]")


def _check_positive(inst, attr, value):
    if not 0 < _real(attr.name, value) < math.inf:
        fail(attr.name, value, "must be a positive finite time in microseconds")


def _check_nonneg(inst, attr, value):
    if not 0 <= _real(attr.name, value) < math.inf:
        fail(attr.name, value, "must be a finite value >= 0")


def _check_budget(inst, attr, value):
    if not 0 < _real("error_budget", value) < 1:
        fail("error_budget", value, "target total failure probability must be in (0, 1)")


def _check_n_factories(inst, attr, value):
    if value is not None and not (is_int(value) and value >= 1):
        fail("n_factories", value, "must be an integer >= 1 (or None for automatic)")


def _check_distance(inst, attr, value):
    if value is not None and not (is_int(value) and value >= 3 and value % 2 == 1):
        fail("data_distance", value, "must be an odd integer >= 3 (or None for automatic)")


@frozen
class PhysicalAssumptions:
    """Every assumption of one physical estimate (validated; printed by `describe`).

    Args:
        model: `gidney-fowler` or `beverland`.
        physical_error: Physical error rate p, in (0, 1e-2].
        cycle_time_us: Surface-code cycle time in microseconds, > 0.
        reaction_time_us: Control-system reaction time in microseconds, >= 0: the time from a
            measurement to the next non-Clifford layer that depends on it.
        error_budget: Target total failure probability, in (0, 1).
        factory: Factory code distances: (l1, l2) for CCZ2T, (d_X, d_Z, d_m) for 15-to-1; None
            chooses the cheapest factory whose distillation error fits the budget.
        n_factories: Number of factories; None = enough to keep up with the reaction limit.
        data_distance: Data code distance; None = smallest meeting the remaining budget.
        routing_overhead: Extra data tiles for routing (`SimpleDataBlock`, gidney-fowler).
    """

    model: str = attrs.field(validator=_check_model)
    physical_error: float = attrs.field(default=1e-3, validator=_check_p)
    cycle_time_us: float = attrs.field(default=1.0, validator=_check_positive)
    reaction_time_us: float = attrs.field(default=10.0, validator=_check_nonneg)
    error_budget: float = attrs.field(default=1e-2, validator=_check_budget)
    factory: Optional[tuple[int, ...]] = attrs.field(default=None, converter=_factory)
    n_factories: Optional[int] = attrs.field(default=None, validator=_check_n_factories)
    data_distance: Optional[int] = attrs.field(default=None, validator=_check_distance)
    routing_overhead: float = attrs.field(default=0.5, validator=_check_nonneg)

    def __attrs_post_init__(self):
        if self.factory is None:
            return
        if self.model == "microsoft-like":
            fail("factory", self.factory, _FACTORY_HELP[self.model])
        size = 2 if self.model == "gidney-fowler" else 3
        if len(self.factory) != size or not all(is_int(d) and d >= 1 for d in self.factory):
            fail("factory", self.factory, _FACTORY_HELP[self.model])
        if self.model == "gidney-fowler" and not 3 <= self.factory[0] < self.factory[1]:
            fail("factory", self.factory, _FACTORY_HELP[self.model])
        if self.model == "beverland" and not self.factory[0] <= 3 * self.factory[2]:
            fail("factory", self.factory, _FACTORY_HELP[self.model])

    @property
    def cycle_s(self) -> Fraction:
        return fraction(self.cycle_time_us) / 10**6

    @property
    def reaction_s(self) -> Fraction:
        return fraction(self.reaction_time_us) / 10**6


def assumptions_for(model: str, **params: Any) -> "PhysicalAssumptions":
    """The validated assumptions of preset `model` with `params` (`PARAMETERS`) overriding its
    defaults: the checks `estimate` applies before any model runs.

    Raises:
        ValueError: an unknown preset or parameter, or a value outside its range (the message
            names it).
    """
    if model not in PRESETS:
        fail("model", model, "known models are " + ", ".join(PRESETS))
    unknown = sorted(set(params) - set(PARAMETERS))
    if unknown:
        fail("parameter", unknown[0], "known parameters are " + ", ".join(PARAMETERS))
    family, defaults = PRESETS[model]
    return PhysicalAssumptions(model=family, **{**defaults, **params})


_FACTORY_HELP = {
    "gidney-fowler": "CCZ2T distances (l1, l2), integers with 3 <= l1 < l2",
    "beverland": "15-to-1 distances (d_X, d_Z, d_m), positive integers with d_X <= 3 d_m",
    "microsoft-like": "the microsoft-like model chooses its factory itself (no factory option)",
}


@frozen
class LogicalInput:
    """Logical counts a physical model needs, as exact non-negative ints.

    `t` is the number of T gates outside Toffolis and rotations (recovered from `t_count` and
    the conventions); `t_per_rotation` is the conventions' synthesis cost, used by the
    gidney-fowler model (the beverland model synthesizes rotations with its own formula).
    """

    qubits: int
    toffoli: int
    t: int
    rotations: int
    measurements: int
    toffoli_depth: int
    t_per_rotation: int
    rotation_depth: Optional[int] = None
    t_depth: Optional[int] = None

    @property
    def t_states(self) -> int:
        """T states for the gidney-fowler model: T gates plus synthesized rotations."""
        return self.t + self.rotations * self.t_per_rotation


def _count(name: str, value: Any) -> int:
    if isinstance(value, sympy.Basic):
        if value.free_symbols:
            raise InputError(
                f"{name}={value} is symbolic: substitute sizes first, e.g. "
                f"summary.subs({{'N': 2**20}})"
            )
        value = sympy.nsimplify(value) if value.has(sympy.Float) else value
        if not value.is_Integer:
            fail(name, value, "counts must be non-negative integers")
        value = int(value)
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    elif hasattr(value, "__index__") and not isinstance(value, bool):
        value = int(value.__index__())
    if not is_int(value) or value < 0:
        fail(name, value, "counts must be non-negative integers")
    return value


def logical_input(
    counts: Union[CostSummary, Mapping[str, Any]], conventions: Optional[Conventions] = None
) -> LogicalInput:
    """Exact counts from a `CostSummary` (its own conventions) or a dict of the same metrics.

    A dict needs `qubits`, `toffoli`, `t_count`, `toffoli_depth`; `rotations`, `measurements`,
    `rotation_depth` and `t_depth` default to 0, 0, None and None. `conventions` (default
    `DEFAULT_CONVENTIONS`) says how `t_count` was formed from T gates, Toffolis and rotations.
    """
    if isinstance(counts, CostSummary):
        conventions = counts.conventions if conventions is None else conventions
        values: Mapping[str, Any] = counts.metrics()
    elif isinstance(counts, Mapping):
        values = counts
    else:
        raise InputError(f"counts={counts!r} is not allowed: give a CostSummary or a dict")
    conventions = conventions or DEFAULT_CONVENTIONS
    missing = [k for k in ("qubits", "toffoli", "t_count", "toffoli_depth") if k not in values]
    if missing:
        raise InputError(
            f"counts lack {', '.join(missing)}: required are qubits, toffoli, "
            "t_count, toffoli_depth (optional rotations, measurements)"
        )
    c = {
        k: _count(k, values.get(k, 0))
        for k in ("qubits", "toffoli", "t_count", "rotations", "measurements", "toffoli_depth")
    }
    t_rot = _count("t_per_rotation", conventions.t_per_rotation)
    t = c["t_count"] - conventions.t_per_toffoli * c["toffoli"] - t_rot * c["rotations"]
    if t < 0:
        raise InputError(
            f"t_count={c['t_count']} is below {conventions.t_per_toffoli} x toffoli + "
            f"{t_rot} x rotations: the counts do not follow the given conventions"
        )
    depth = values.get("rotation_depth")
    t_depth = values.get("t_depth")
    return LogicalInput(
        qubits=c["qubits"],
        toffoli=c["toffoli"],
        t=t,
        rotations=c["rotations"],
        measurements=c["measurements"],
        toffoli_depth=c["toffoli_depth"],
        t_per_rotation=t_rot,
        rotation_depth=None if depth is None else _count("rotation_depth", depth),
        t_depth=None if t_depth is None else _count("t_depth", t_depth),
    )


def check_below_threshold(qec: QECScheme, p: float) -> None:
    if p >= qec.error_rate_threshold:
        fail(
            "physical_error",
            p,
            f"it is at the code threshold {qec.error_rate_threshold:g} of this model, where "
            "no code distance suppresses errors; use a smaller rate",
        )
