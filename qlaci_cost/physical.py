"""Physical (surface-code) estimates from logical counts, wrapping `qualtran.surface_code`.

Two models, both from Qualtran 0.7.0's `qualtran.surface_code`:

- `gidney-fowler` (default): catalyzed CCZ->2T factories (`CCZ2TFactory`, arXiv:1812.01238),
  `SimpleDataBlock` with 50% routing overhead, p_L(d) = 0.1 (p / 0.01)^((d+1)/2) per tile per
  cycle (`QECScheme.make_gidney_fowler`), wall clock = max(factory-limited, reaction-limited)
  with the reaction time of Gidney & Ekera (arXiv:1905.09749).
- `beverland`: Beverland et al. (arXiv:2211.07629) time steps, code distance and T-state count
  (`beverland_et_al_model`), one-level 15-to-1 T factories (`FifteenToOne`, arXiv:1905.06903),
  `FastDataBlock` layout, p_L(d) = 0.03 (p / 0.01)^((d+1)/2).

Every count stays an exact Python int and every time an exact `Fraction` of seconds. Qualtran's
routines are called while their float arithmetic is exact (all counts below 2^40); above that
the few formulas that go through floats (`CCZ2TFactory.n_cycles`, `FifteenToOne.n_cycles`,
`SimpleDataBlock.n_tiles`, `FastDataBlock.get_n_tiles`, `QECScheme.code_distance_from_budget`)
are evaluated by exact transcriptions (ints, fractions, logarithms of ints) of the same formulas.
`microsoft_estimate` cross-checks against Microsoft's resource estimator when it is importable.
"""

import math
import os
import warnings
from collections.abc import Iterator, Mapping
from fractions import Fraction
from functools import lru_cache
from typing import Any, Optional, Union

import attrs
import sympy
from attrs import frozen
from qualtran.resource_counting import GateCounts
from qualtran.surface_code import (
    AlgorithmSummary,
    CCZ2TFactory,
    FastDataBlock,
    FifteenToOne,
    LogicalErrorModel,
    MultiFactory,
    PhysicalCostModel,
    PhysicalParameters,
    QECScheme,
    SimpleDataBlock,
    iter_ccz2t_factories,
)
from qualtran.surface_code import beverland_et_al_model as beverland
from qualtran.surface_code.rotation_cost_model import BeverlandEtAlRotationCost

from .conventions import DEFAULT_CONVENTIONS, Conventions
from .summary import CostSummary

__all__ = [
    "MODELS",
    "PRESETS",
    "LogicalInput",
    "MicrosoftEstimate",
    "PhysicalAssumptions",
    "PhysicalEstimate",
    "estimate",
    "logical_input",
    "microsoft_available",
    "microsoft_estimate",
]

MODELS = ("gidney-fowler", "beverland")


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

#: Auto factory choice in `gidney-fowler`: distillation may use at most this share of budget.
DISTILLATION_SHARE = Fraction(1, 2)
_FLOAT_SAFE = 2**40  # Qualtran's float arithmetic is exact on counts below this
_TINY = Fraction(1, 10**300)  # below this a per-cell error budget is left to logarithms
_PARAMS = (
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


def _fail(name: str, value: Any, allowed: str) -> None:
    raise ValueError(f"{name}={value!r} is not allowed: {allowed}")


def _real(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        _fail(name, value, "must be a real number")
    return float(value)


def _check_p(inst, attr, value):
    if not 0 < _real("physical_error", value) <= 1e-2:
        _fail("physical_error", value, "physical error rate must be in (0, 1e-2]")


def _check_positive(inst, attr, value):
    if not 0 < _real(attr.name, value) < math.inf:
        _fail(attr.name, value, "must be a positive finite time in microseconds")


def _check_nonneg(inst, attr, value):
    if not 0 <= _real(attr.name, value) < math.inf:
        _fail(attr.name, value, "must be a finite value >= 0")


def _check_budget(inst, attr, value):
    if not 0 < _real("error_budget", value) < 1:
        _fail("error_budget", value, "target total failure probability must be in (0, 1)")


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _check_n_factories(inst, attr, value):
    if value is not None and not (_is_int(value) and value >= 1):
        _fail("n_factories", value, "must be an integer >= 1 (or None for automatic)")


def _check_distance(inst, attr, value):
    if value is not None and not (_is_int(value) and value >= 3 and value % 2 == 1):
        _fail("data_distance", value, "must be an odd integer >= 3 (or None for automatic)")


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

    model: str = attrs.field(validator=attrs.validators.in_(MODELS))
    physical_error: float = attrs.field(default=1e-3, validator=_check_p)
    cycle_time_us: float = attrs.field(default=1.0, validator=_check_positive)
    reaction_time_us: float = attrs.field(default=10.0, validator=_check_nonneg)
    error_budget: float = attrs.field(default=1e-2, validator=_check_budget)
    factory: Optional[tuple[int, ...]] = attrs.field(
        default=None, converter=lambda v: None if v is None else tuple(v)
    )
    n_factories: Optional[int] = attrs.field(default=None, validator=_check_n_factories)
    data_distance: Optional[int] = attrs.field(default=None, validator=_check_distance)
    routing_overhead: float = attrs.field(default=0.5, validator=_check_nonneg)

    def __attrs_post_init__(self):
        if self.factory is None:
            return
        size = 2 if self.model == "gidney-fowler" else 3
        if len(self.factory) != size or not all(_is_int(d) and d >= 1 for d in self.factory):
            _fail("factory", self.factory, _FACTORY_HELP[self.model])
        if self.model == "gidney-fowler" and not 3 <= self.factory[0] < self.factory[1]:
            _fail("factory", self.factory, _FACTORY_HELP[self.model])
        if self.model == "beverland" and not self.factory[0] <= 3 * self.factory[2]:
            _fail("factory", self.factory, _FACTORY_HELP[self.model])

    @property
    def cycle_s(self) -> Fraction:
        return _decimal(self.cycle_time_us) / 10**6

    @property
    def reaction_s(self) -> Fraction:
        return _decimal(self.reaction_time_us) / 10**6


_FACTORY_HELP = {
    "gidney-fowler": "CCZ2T distances (l1, l2), integers with 3 <= l1 < l2",
    "beverland": "15-to-1 distances (d_X, d_Z, d_m), positive integers with d_X <= 3 d_m",
}


def _decimal(x: float) -> Fraction:
    """The decimal a user typed (1e-3 -> 1/1000), not the binary float's expansion."""
    return Fraction(repr(float(x)))


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

    @property
    def t_states(self) -> int:
        """T states for the gidney-fowler model: T gates plus synthesized rotations."""
        return self.t + self.rotations * self.t_per_rotation


def _count(name: str, value: Any) -> int:
    if isinstance(value, sympy.Basic):
        if value.free_symbols:
            raise ValueError(
                f"{name}={value} is symbolic: substitute sizes first, e.g. "
                f"summary.subs({{'N': 2**20}})"
            )
        value = sympy.nsimplify(value) if value.has(sympy.Float) else value
        if not value.is_Integer:
            _fail(name, value, "counts must be non-negative integers")
        value = int(value)
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    elif hasattr(value, "__index__") and not isinstance(value, bool):
        value = int(value.__index__())
    if not _is_int(value) or value < 0:
        _fail(name, value, "counts must be non-negative integers")
    return value


def logical_input(
    counts: Union[CostSummary, Mapping[str, Any]], conventions: Optional[Conventions] = None
) -> LogicalInput:
    """Exact counts from a `CostSummary` (its own conventions) or a dict of the same metrics.

    A dict needs `qubits`, `toffoli`, `t_count`, `toffoli_depth`; `rotations`, `measurements`
    and `rotation_depth` default to 0, 0 and None. `conventions` (default
    `DEFAULT_CONVENTIONS`) says how `t_count` was formed from T gates, Toffolis and rotations.
    """
    if isinstance(counts, CostSummary):
        conventions = counts.conventions if conventions is None else conventions
        values: Mapping[str, Any] = counts.metrics()
    elif isinstance(counts, Mapping):
        values = counts
    else:
        raise ValueError(f"counts={counts!r} is not allowed: give a CostSummary or a dict")
    conventions = conventions or DEFAULT_CONVENTIONS
    missing = [k for k in ("qubits", "toffoli", "t_count", "toffoli_depth") if k not in values]
    if missing:
        raise ValueError(
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
        raise ValueError(
            f"t_count={c['t_count']} is below {conventions.t_per_toffoli} x toffoli + "
            f"{t_rot} x rotations: the counts do not follow the given conventions"
        )
    depth = values.get("rotation_depth")
    return LogicalInput(
        qubits=c["qubits"], toffoli=c["toffoli"], t=t, rotations=c["rotations"],
        measurements=c["measurements"], toffoli_depth=c["toffoli_depth"], t_per_rotation=t_rot,
        rotation_depth=None if depth is None else _count("rotation_depth", depth),
    )  # fmt: skip


@frozen
class PhysicalEstimate:
    """A physical resource estimate and every assumption behind it.

    Times are exact `Fraction`s of seconds; `runtime_s` is the largest of the limits computed
    by the model (factory-limited, reaction-limited and, for beverland, its logical-step
    schedule). `failure_probability` is the model's first-order total (can exceed 1 when
    `within_budget` is False).
    """

    model: str
    physical_qubits: int
    code_distance: int
    data_qubits: int
    n_factories: int
    factory: str
    factory_qubits: int
    magic_states: int
    time_per_magic_state_s: Fraction
    factory_limited_time_s: Fraction
    reaction_limited_time_s: Fraction
    algorithm_limited_time_s: Optional[Fraction]
    runtime_s: Fraction
    runtime_cycles: int
    failure_probability: float
    within_budget: bool
    inputs: LogicalInput
    params: PhysicalAssumptions
    conventions: Conventions
    notes: tuple[str, ...] = attrs.field(default=(), converter=tuple)

    @property
    def factory_footprint(self) -> int:
        """Physical qubits in all factories."""
        return self.n_factories * self.factory_qubits

    @property
    def limited_by(self) -> str:
        limits = {
            "reaction": self.reaction_limited_time_s,
            "factories": self.factory_limited_time_s,
        }
        if self.algorithm_limited_time_s is not None:
            limits["logical steps"] = self.algorithm_limited_time_s
        return max(limits, key=lambda k: limits[k])

    def assumptions(self) -> dict[str, Any]:
        """Every assumption, JSON-friendly, with sources."""
        p = self.params
        gf = p.model == "gidney-fowler"
        qec = QECScheme.make_gidney_fowler() if gf else QECScheme.make_beverland_et_al()
        return {
            "model": p.model,
            "model_reference": _MODEL_REFERENCE[p.model],
            "physical_error": p.physical_error,
            "cycle_time_us": p.cycle_time_us,
            "reaction_time_us": p.reaction_time_us,
            "error_budget": p.error_budget,
            "qec_scheme": (
                f"p_L(d) = {qec.error_rate_scaler:g} (p / {qec.error_rate_threshold:g})^((d+1)/2)"
                + (
                    " per tile per cycle [Fowler, Gidney arXiv:1808.06709]"
                    if gf
                    else " per tile per logical time step [Beverland et al. arXiv:2211.07629]"
                )
            ),
            "factory_type": _FACTORY_TYPE[p.model],
            "factory": self.factory + (" (given)" if p.factory else " (cheapest within budget)"),
            "n_factories_rule": "given" if p.n_factories else _FACTORY_RULE[p.model],
            "data_block": (
                f"SimpleDataBlock: ceil((1 + {p.routing_overhead:g}) Q) tiles of 2 d^2 qubits"
                if gf
                else "FastDataBlock: ceil(2Q + sqrt(8Q) + 1) tiles of 2 d^2 qubits"
            ),
            "data_distance": "given" if p.data_distance else _DISTANCE_RULE[p.model],
            "reaction_depth": "toffoli_depth (non-Clifford layers); a rotation counts one layer",
            "not_modelled": _NOT_MODELLED[p.model],
            "conventions": self.conventions.as_dict(),
            "sources": dict(SOURCES),
        }

    def as_dict(self) -> dict[str, Any]:
        """Numbers (floats where finite, else strings) and assumptions, for tables and JSON."""
        out: dict[str, Any] = {
            f.name: getattr(self, f.name)
            for f in attrs.fields(PhysicalEstimate)
            if f.name not in ("inputs", "params", "conventions", "notes")
        }
        for k, v in out.items():
            if isinstance(v, Fraction):
                out[k] = _to_float(v) if v < 1e300 else _sci(v)
        out["factory_footprint"] = self.factory_footprint
        out["limited_by"] = self.limited_by
        out["notes"] = list(self.notes)
        out["assumptions"] = self.assumptions()
        return out

    def describe(self) -> str:
        """A readable block: the estimate, then every assumption and note."""
        p = self.params
        lines = [
            f"Physical estimate [{p.model}: {_MODEL_REFERENCE[p.model]}]",
            f"  physical qubits: {_sci(self.physical_qubits)} = data {_sci(self.data_qubits)} "
            f"(code distance {self.code_distance}) + {self.n_factories} x {self.factory} "
            f"factories of {_sci(self.factory_qubits)}",
            f"  runtime: {_fmt_time(self.runtime_s)}, limited by {self.limited_by}",
            f"    factory-limited: {_sci(self.magic_states)} magic states x "
            f"{_fmt_time(self.time_per_magic_state_s)} / {self.n_factories} factories = "
            f"{_fmt_time(self.factory_limited_time_s)}",
            f"    reaction-limited: toffoli_depth {_sci(self.inputs.toffoli_depth)} x "
            f"{p.reaction_time_us:g} us = {_fmt_time(self.reaction_limited_time_s)}",
        ]
        if self.algorithm_limited_time_s is not None:
            lines.append(
                f"    logical-step limited (Beverland eq. D3 time steps x d cycles): "
                f"{_fmt_time(self.algorithm_limited_time_s)}"
            )
        status = "within" if self.within_budget else "EXCEEDS"
        lines.append(
            f"  failure probability: {self.failure_probability:.3g} ({status} budget "
            f"{p.error_budget:g})"
        )
        lines.append("Assumptions:")
        for k, v in self.assumptions().items():
            if k == "sources":
                lines.extend(f"  source {sk}: {sv}" for sk, sv in v.items())
            elif k == "conventions":
                lines.append(f"  {self.conventions.describe()}")
            else:
                lines.append(f"  {k}: {v}")
        lines.extend(f"Note: {n}" for n in self.notes)
        return "\n".join(lines)


_MODEL_REFERENCE = {
    "gidney-fowler": "Gidney & Fowler arXiv:1812.01238; Gidney & Ekera arXiv:1905.09749; "
    "via qualtran.surface_code (CCZ2TFactory, SimpleDataBlock, PhysicalCostModel)",
    "beverland": "Beverland et al. arXiv:2211.07629 (eqs. D3, D4); Litinski arXiv:1905.06903 "
    "15-to-1; via qualtran.surface_code (beverland_et_al_model, FifteenToOne, FastDataBlock)",
}
_FACTORY_TYPE = {
    "gidney-fowler": "CCZ2TFactory: catalyzed |CCZ> -> 2|T>, two distillation levels, one CCZ "
    "state per Toffoli-class gate and per 2 T gates, 5.5 x max(2 l1 + 1, l2) cycles per CCZ",
    "beverland": "FifteenToOne: one level of 15-to-1 T distillation (Qualtran has no multi-level "
    "15-to-1), 4 T states per Toffoli, expected 6 d_m / (1 - p_fail) cycles per T state",
}
_FACTORY_RULE = {
    "gidney-fowler": "ceil(single-factory cycles / reaction-limited cycles): enough factories "
    "that distillation keeps up with the reaction limit",
    "beverland": "ceil(single-factory cycles / logical-step cycles): enough factories to keep "
    "up with the algorithm (as in Beverland et al. arXiv:2211.07629)",
}
_NOT_MODELLED = {
    "gidney-fowler": "Clifford and routing time (lattice surgery assumed to keep up with the "
    "reaction limit), measurements (free), factory placement; errors add to first order",
    "beverland": "multi-level distillation (one 15-to-1 level only), Clifford-only layers "
    "beyond eq. D3, factory placement; errors add to first order",
}
_DISTANCE_RULE = {
    "gidney-fowler": "smallest odd d with tiles x runtime cycles x p_L(d) <= budget - "
    "distillation error (Qualtran code_distance_from_budget)",
    "beverland": "smallest odd d with tiles x time steps x p_L(d) <= budget / 3 "
    "(Qualtran beverland_et_al_model.code_distance)",
}


def estimate(
    counts: Union[CostSummary, Mapping[str, Any]], model: str = "gidney-fowler", **params: Any
) -> PhysicalEstimate:
    """Physical qubits, code distance, factories and wall-clock time for logical counts.

    Args:
        counts: A `CostSummary` (concrete) or a dict with its metric names.
        model: A preset name from `PRESETS` (`gidney-fowler`, `gidney-fowler-optimistic`,
            `beverland`, `beverland-optimistic`); it picks the model and default values.
        **params: Overrides: physical_error, cycle_time_us, reaction_time_us, error_budget,
            factory, n_factories, data_distance, routing_overhead (see `PhysicalAssumptions`)
            and conventions (for dict input).

    Raises:
        ValueError: unknown model or parameter, invalid value, symbolic counts, or a physical
            error rate at the code threshold (no error suppression).
    """
    if model not in PRESETS:
        _fail("model", model, "known models are " + ", ".join(PRESETS))
    unknown = sorted(set(params) - set(_PARAMS))
    if unknown:
        _fail("parameter", unknown[0], "known parameters are " + ", ".join(_PARAMS))
    family, defaults = PRESETS[model]
    conventions = params.pop("conventions", None)
    assumptions = PhysicalAssumptions(model=family, **{**defaults, **params})
    x = logical_input(counts, conventions)
    if conventions is not None:
        conv = conventions
    else:
        conv = counts.conventions if isinstance(counts, CostSummary) else DEFAULT_CONVENTIONS
    if family == "gidney-fowler":
        return _gidney_fowler(x, assumptions, conv)
    return _beverland(x, assumptions, conv)


# ----------------------------------------------------------------------------- arithmetic


def _ceil_div(a: Union[int, Fraction], b: Union[int, Fraction]) -> int:
    return -(-Fraction(a) // Fraction(b))


def _ln(x: Union[int, float, Fraction]) -> float:
    x = Fraction(x)
    return math.log(x.numerator) - math.log(x.denominator)


def _to_float(x: Union[int, Fraction]) -> float:
    return float(x) if x < 1e300 else math.inf


def _sci(x: Union[int, Fraction]) -> str:
    if _is_int(x) and x < 10**15:
        return f"{x:,}"
    if x == 0:
        return "0"
    if x < 1e300:
        return f"{float(x):.3g}"
    e = _ln(x) / math.log(10)
    return f"{10 ** (e - math.floor(e)):.3g}e+{math.floor(e)}"


def _fmt_time(seconds: Fraction) -> str:
    if seconds == 0:
        return "0 s"
    units = [(Fraction(1, 10**6), "us"), (Fraction(1, 1000), "ms"), (1, "s"), (3600, "h"),
             (86400, "days"), (31557600, "years")]  # fmt: skip
    scale, name = units[0]
    for s, n in units:
        if seconds >= s:
            scale, name = s, n
    return f"{_sci(seconds / scale)} {name}"


def _check_below_threshold(qec: QECScheme, p: float) -> None:
    if p >= qec.error_rate_threshold:
        _fail(
            "physical_error", p,
            f"it is at the code threshold {qec.error_rate_threshold:g} of this model, where "
            "no code distance suppresses errors; use a smaller rate",
        )  # fmt: skip


def _code_distance(qec: QECScheme, p: float, budget: Fraction, cells: int) -> int:
    """Smallest odd d >= 3 with cells x p_L(d) <= budget (Qualtran's formula).

    Calls `QECScheme.code_distance_from_budget` when budget / cells is a normal float; otherwise
    the same formula in logarithms of the exact values (never under- or overflows).
    """
    cells = max(cells, 1)
    per_cell = budget / cells
    if per_cell > _TINY:
        return qec.code_distance_from_budget(physical_error=p, budget=float(per_cell))
    r = (_ln(budget) - _ln(cells) - math.log(qec.error_rate_scaler)) / math.log(
        p / qec.error_rate_threshold
    )
    return max(3, 2 * math.ceil(r) - 1)


def _p_logical(qec: QECScheme, p: float, d: int) -> Fraction:
    return Fraction(qec.logical_error_rate(code_distance=d, physical_error=p))


# ----------------------------------------------------------------------------- gidney-fowler


def _ccz2t_candidates() -> Iterator[CCZ2TFactory]:
    """Qualtran's grid of CCZ2T distances, extended to l1 <= 29, l2 <= 59 for large counts."""
    return iter_ccz2t_factories(l1_start=5, l1_stop=31, l2_stop=61)


def _ccz2t_cycles(factory: CCZ2TFactory, n_ccz: int, n_t: int, lem: LogicalErrorModel) -> int:
    """Cycles for one CCZ2T factory to make the states (`CCZ2TFactory.n_cycles`).

    Exact transcription for large counts: ceil((ccz_states x 5.5 + ceil(n_t/2)) x
    max(2 l1 + 1, l2)) with ccz_states = n_ccz + ceil(n_t/2).
    """
    if n_ccz + n_t < _FLOAT_SAFE:
        return int(factory.n_cycles(GateCounts(t=n_t, toffoli=n_ccz), lem))
    d = max(2 * factory.distillation_l1_d + 1, factory.distillation_l2_d)
    cat = _ceil_div(n_t, 2)
    return _ceil_div(((n_ccz + cat) * Fraction(11, 2) + cat) * d, 1)


def _simple_tiles(qubits: int, overhead: float) -> int:
    if qubits < _FLOAT_SAFE:
        return SimpleDataBlock(data_d=3, routing_overhead=overhead).n_tiles(qubits)
    return _ceil_div((1 + _decimal(overhead)) * qubits, 1)


def _choose_ccz2t(
    lem: LogicalErrorModel, states: int, share: Fraction
) -> tuple[CCZ2TFactory, bool]:
    """Least spacetime per CCZ state (qubits x distillation distance) within `share`."""
    best, lowest = None, None
    for f in _ccz2t_candidates():
        err = Fraction(f.l2_error(lem))
        volume = f.n_physical_qubits() * max(2 * f.distillation_l1_d + 1, f.distillation_l2_d)
        if err * states <= share and (best is None or volume < best[0]):
            best = (volume, f)
        if lowest is None or (err, volume) < lowest[:2]:
            lowest = (err, volume, f)
    if best is not None:
        return best[1], True
    return lowest[2], False


@frozen
class _ReactionLimitedDataBlock(SimpleDataBlock):
    """`SimpleDataBlock` whose consumption takes the reaction-limited number of cycles.

    Qualtran's `SimpleDataBlock` assumes magic states are consumed instantly; giving it the
    reaction-limited cycle count lets `PhysicalCostModel` take max(factory, reaction) and
    charge data errors for the whole run.
    """

    reaction_cycles: int = 0

    def n_cycles(self, n_logical_gates, logical_error_model) -> int:
        return self.reaction_cycles


def _gidney_fowler(x: LogicalInput, a: PhysicalAssumptions, conv: Conventions) -> PhysicalEstimate:
    qec = QECScheme.make_gidney_fowler()
    p = a.physical_error
    _check_below_threshold(qec, p)
    lem = LogicalErrorModel(qec_scheme=qec, physical_error=p)
    budget = _decimal(a.error_budget)
    notes = []
    n_ccz, n_t = x.toffoli, x.t_states
    states = n_ccz + _ceil_div(n_t, 2)  # CCZ2TFactory: one CCZ state per Toffoli or per 2 T
    reaction_time = x.toffoli_depth * a.reaction_s
    reaction_cycles = _ceil_div(reaction_time, a.cycle_s)

    if a.factory:
        factory, ok = CCZ2TFactory(*a.factory), True
    else:
        factory, ok = _choose_ccz2t(lem, states, budget * DISTILLATION_SHARE)
    factory_error = Fraction(factory.l2_error(lem)) * states
    if a.factory and factory_error > budget:
        notes.append(
            f"the given factory's distillation error {_to_float(factory_error):.2g} exceeds "
            f"the budget {a.error_budget:g}"
        )
    elif not ok:
        notes.append(
            f"no two-level CCZ2T factory reaches the needed per-state error "
            f"{_to_float(budget * DISTILLATION_SHARE / states):.2g} at p = {p:g} (best "
            f"{factory.l2_error(lem):.2g}); a third distillation level would be needed, so "
            "this estimate is a lower bound on the cost"
        )
    single = _ccz2t_cycles(factory, n_ccz, n_t, lem)
    if a.n_factories is not None:
        n_f = a.n_factories
    elif states == 0:
        n_f = 0
    elif reaction_cycles == 0:
        raise ValueError(
            f"toffoli_depth=0 with {states} magic states is not allowed in automatic mode: "
            "give the toffoli_depth, or n_factories"
        )
    else:
        n_f = _ceil_div(single, reaction_cycles)
    factory_cycles = _ceil_div(single, n_f) if n_f else 0
    runtime = max(factory_cycles * a.cycle_s, reaction_time)
    runtime_cycles = max(factory_cycles, reaction_cycles)

    tiles = _simple_tiles(x.qubits, a.routing_overhead)
    data_budget = budget - factory_error
    if data_budget <= 0:
        data_budget = budget * (1 - DISTILLATION_SHARE)
    d = a.data_distance or _code_distance(qec, p, data_budget, tiles * runtime_cycles)

    small = max(n_ccz + n_t, x.qubits, runtime_cycles * max(tiles, 1)) < _FLOAT_SAFE
    if small and n_f:
        cost_model = PhysicalCostModel(
            physical_params=PhysicalParameters(physical_error=p, cycle_time_us=a.cycle_time_us),
            data_block=_ReactionLimitedDataBlock(
                data_d=d, routing_overhead=a.routing_overhead, reaction_cycles=reaction_cycles
            ),
            factory=MultiFactory(base_factory=factory, n_factories=n_f),
            qec_scheme=qec,
        )
        algo = AlgorithmSummary(
            n_algo_qubits=x.qubits, n_logical_gates=GateCounts(t=n_t, toffoli=n_ccz)
        )
        physical_qubits = int(cost_model.n_phys_qubits(algo))
        failure = float(cost_model.error(algo))
    else:
        physical_qubits = n_f * factory.n_physical_qubits() + 2 * d * d * tiles
        failure = _to_float(factory_error + tiles * runtime_cycles * _p_logical(qec, p, d))
    if x.rotations:
        notes.append(
            f"{x.rotations} rotations synthesized as {x.t_per_rotation} T each "
            f"({conv.rotation_model}, eps={conv.eps}); toffoli_depth counts a rotation as one "
            "reaction layer, so the reaction limit is a lower bound if rotations are sequential"
        )
    return PhysicalEstimate(
        model="gidney-fowler", physical_qubits=physical_qubits, code_distance=d,
        data_qubits=2 * d * d * tiles, n_factories=n_f,
        factory=f"CCZ2T(l1={factory.distillation_l1_d}, l2={factory.distillation_l2_d})",
        factory_qubits=factory.n_physical_qubits(), magic_states=states,
        time_per_magic_state_s=Fraction(single, states) * a.cycle_s if states else Fraction(0),
        factory_limited_time_s=factory_cycles * a.cycle_s, reaction_limited_time_s=reaction_time,
        algorithm_limited_time_s=None, runtime_s=runtime, runtime_cycles=runtime_cycles,
        failure_probability=failure, within_budget=failure <= a.error_budget, inputs=x,
        params=a, conventions=conv, notes=tuple(notes),
    )  # fmt: skip


# ----------------------------------------------------------------------------- beverland


#: One-level 15-to-1 protocols searched, in order of qubits x d_m (Litinski arXiv:1905.06903
#: Table 1 uses d_X ~ 2 d_m + 1..3; the last one sits at the distillation floor ~10 p^3).
FIFTEEN_TO_ONE_GRID = ((5, 3, 3), (7, 3, 3), (9, 3, 3), (11, 5, 5), (13, 5, 5), (15, 7, 7),
                       (17, 7, 7), (19, 9, 9), (21, 11, 11))  # fmt: skip


@lru_cache(maxsize=64)
def _f15(ds: tuple[int, int, int]) -> FifteenToOne:
    """One instance per distances, so Qualtran's per-instance caches are reused."""
    return FifteenToOne(*ds)


def _lem(qec: QECScheme, p: float) -> LogicalErrorModel:
    return LogicalErrorModel(qec_scheme=qec, physical_error=p)


@lru_cache(maxsize=512)
def _fifteen_to_one(ds: tuple[int, int, int], p: float) -> Optional[tuple[float, float, int]]:
    """(p_out, p_fail, physical qubits) of Qualtran's `FifteenToOne` (a density-matrix run).

    None where Qualtran's noise model is invalid (near threshold its error probabilities
    exceed 1 and the simulation returns NaN).
    """
    f, lem = _f15(ds), _lem(QECScheme.make_beverland_et_al(), p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        p_out, p_fail = complex(f.p_out(lem)), complex(f.p_fail(lem))
    if not all(math.isfinite(v.real) and v.imag == 0 and 0 <= v.real < 1 for v in (p_out, p_fail)):
        return None
    return p_out.real, p_fail.real, f.n_physical_qubits()


def _choose_fifteen_to_one(p: float, t_states: int, share: Fraction) -> tuple[tuple, bool]:
    """The first protocol of `FIFTEEN_TO_ONE_GRID` with p_out x T states <= share.

    If the last (lowest-error) one does not fit, no one-level factory does: return it, flagged.
    """
    grid = FIFTEEN_TO_ONE_GRID
    last = _fifteen_to_one(grid[-1], p)
    if last is not None and Fraction(last[0]) * t_states > share:
        return grid[-1], False
    valid = []
    for ds in grid:
        stats = _fifteen_to_one(ds, p)
        if stats is not None and Fraction(stats[0]) * t_states <= share:
            return ds, True
        if stats is not None:
            valid.append((stats[0], ds))
    if not valid:
        _fail("physical_error", p, "Qualtran's 15-to-1 model has no valid factory this close "
              "to the threshold 0.01")  # fmt: skip
    return min(valid)[1], False


def _fast_tiles(qubits: int) -> int:
    if qubits < _FLOAT_SAFE:
        return FastDataBlock.get_n_tiles(qubits)
    return 2 * qubits + 1 + (math.isqrt(8 * qubits - 1) + 1)  # ceil(2Q + sqrt(8Q) + 1)


def _beverland(x: LogicalInput, a: PhysicalAssumptions, conv: Conventions) -> PhysicalEstimate:
    qec = QECScheme.make_beverland_et_al()
    p = a.physical_error
    _check_below_threshold(qec, p)
    eps = a.error_budget
    notes = []
    gates = GateCounts(t=x.t, toffoli=x.toffoli, rotation=x.rotations, measurement=x.measurements)
    algo = AlgorithmSummary(
        n_algo_qubits=x.qubits, n_logical_gates=gates, n_rotation_layers=x.rotation_depth
    )
    rot = BeverlandEtAlRotationCost
    steps = int(beverland.minimum_time_steps(error_budget=eps, alg=algo, rotation_model=rot))
    t_states = int(beverland.t_states(error_budget=eps, alg=algo, rotation_model=rot))
    tiles = _fast_tiles(x.qubits)
    third = _decimal(eps) / 3

    def distance(n_steps: int) -> int:
        if max(n_steps, x.qubits) < _FLOAT_SAFE:
            return beverland.code_distance(
                error_budget=eps, time_steps=n_steps, alg=algo, qec_scheme=qec, physical_error=p
            )
        return _code_distance(qec, p, third, tiles * n_steps)

    d = a.data_distance or distance(steps)
    reaction_time = x.toffoli_depth * a.reaction_s
    if reaction_time > steps * d * a.cycle_s and not a.data_distance:
        # Data must survive the reaction-limited run: charge that many logical steps (computed
        # with the smaller d, hence at least the true number).
        d = distance(max(steps, _ceil_div(reaction_time, d * a.cycle_s)))
    algorithm_cycles = steps * d
    reaction_cycles = _ceil_div(reaction_time, a.cycle_s)

    ds, ok = (a.factory, True) if a.factory else _choose_fifteen_to_one(p, t_states, third)
    stats = _fifteen_to_one(ds, p)
    if stats is None:
        _fail("factory", ds, f"Qualtran's 15-to-1 model is invalid at p = {p:g} for it")
    p_out, p_fail, f_qubits = stats
    if not ok or Fraction(p_out) * t_states > third:
        notes.append(
            f"{'the given' if a.factory else 'no'} one-level 15-to-1 factory "
            f"{'misses' if a.factory else 'reaches'} the needed per-T-state error "
            f"{_to_float(third / max(t_states, 1)):.2g} at p = {p:g} "
            f"({'it gives' if a.factory else 'best'} {p_out:.2g}); "
            "Beverland et al. use multi-level factories (see microsoft_estimate), so this "
            "estimate is a lower bound on the cost"
        )
    if t_states < _FLOAT_SAFE:
        single = int(_f15(ds).n_cycles(GateCounts(t=t_states), _lem(qec, p)))
    else:  # FifteenToOne.n_cycles: ceil(T x 6 d_m / (1 - p_fail))
        single = _ceil_div(t_states * 6 * ds[2] / (1 - Fraction(p_fail)), 1)
    limit = max(algorithm_cycles, reaction_cycles)
    n_f = a.n_factories or (_ceil_div(single, limit) if t_states else 0)
    factory_cycles = _ceil_div(single, n_f) if n_f else 0
    runtime = max(factory_cycles * a.cycle_s, reaction_time, algorithm_cycles * a.cycle_s)
    runtime_cycles = max(factory_cycles, reaction_cycles, algorithm_cycles)
    logical_steps = _ceil_div(runtime_cycles, d)
    data_qubits = 2 * d * d * tiles
    failure = (
        tiles * logical_steps * _p_logical(qec, p, d)
        + Fraction(p_out) * t_states
        + (third if x.rotations else 0)
    )
    if x.rotations:
        notes.append(
            "rotations synthesized by Beverland et al.'s 0.53 log2(1/eps) + 5.3 T at eps = "
            f"budget / 3 / rotations, not by the conventions' {conv.rotation_model}; rotation "
            f"depth {'given' if x.rotation_depth is not None else 'taken = rotations'}"
        )
    return PhysicalEstimate(
        model="beverland", physical_qubits=data_qubits + n_f * f_qubits, code_distance=d,
        data_qubits=data_qubits, n_factories=n_f, factory=f"15-to-1(d_X={ds[0]}, d_Z={ds[1]}, "
        f"d_m={ds[2]})", factory_qubits=f_qubits, magic_states=t_states,
        time_per_magic_state_s=Fraction(single, t_states) * a.cycle_s if t_states else Fraction(0),
        factory_limited_time_s=factory_cycles * a.cycle_s, reaction_limited_time_s=reaction_time,
        algorithm_limited_time_s=algorithm_cycles * a.cycle_s, runtime_s=runtime,
        runtime_cycles=runtime_cycles, failure_probability=_to_float(failure),
        within_budget=failure <= _decimal(eps), inputs=x, params=a, conventions=conv,
        notes=tuple(notes),
    )  # fmt: skip


# ----------------------------------------------------------------------------- Microsoft


_MSFT_LIMIT = 2**50  # above this its 64-bit nanosecond runtime can wrap around


def _msft_module():
    os.environ.setdefault("QDK_PYTHON_TELEMETRY", "none")  # no network calls from the import
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                from qsharp import estimator  # type: ignore[import-not-found]
            except ImportError:
                from qdk import estimator  # type: ignore[import-not-found]
        return estimator
    except Exception:  # any import failure means "not available"
        return None


def microsoft_available() -> bool:
    """True if Microsoft's resource estimator (`qsharp.estimator`) runs locally."""
    return _msft_module() is not None


@frozen(eq=False)
class MicrosoftEstimate:
    """Microsoft's estimate for the same counts: physical qubits, runtime, distance, factories."""

    physical_qubits: int
    runtime_s: Fraction
    code_distance: int
    n_factories: int
    logical_counts: dict
    params: dict
    result: dict = attrs.field(repr=False)


def microsoft_estimate(
    counts: Union[CostSummary, Mapping[str, Any]],
    *,
    physical_error: float = 1e-3,
    cycle_time_us: float = 1.0,
    error_budget: float = 1e-2,
    conventions: Optional[Conventions] = None,
) -> MicrosoftEstimate:
    """Cross-check with Microsoft's estimator (`qsharp.estimator.LogicalCounts.estimate`).

    Counts map to numQubits = qubits, cczCount = toffoli, tCount = T gates outside Toffolis and
    rotations, rotationCount = rotations, rotationDepth = rotation_depth (or rotations),
    measurementCount = measurements. The qubit is gate-based with every error rate =
    `physical_error`, two-qubit gates cycle/8 and measurements cycle/4, so its code cycle
    (4 gates + 2 measurements) is `cycle_time_us`; surface code a = 0.03, p* = 0.01. It has
    no T-depth or Toffoli-depth input: it serializes the non-Clifford operations (Beverland
    et al. eq. D3) and synthesizes rotations itself.

    Raises:
        RuntimeError: the estimator is not importable.
        ValueError: invalid values, or counts above 2^50 (its nanosecond runtime is a 64-bit
            integer and wraps around).
    """
    estimator = _msft_module()
    if estimator is None:
        raise RuntimeError("Microsoft's estimator (qsharp.estimator) is not importable")
    a = PhysicalAssumptions(
        model="beverland", physical_error=physical_error, cycle_time_us=cycle_time_us,
        error_budget=error_budget,
    )  # fmt: skip
    x = logical_input(counts, conventions)
    lc = {
        "numQubits": x.qubits,
        "tCount": x.t,
        "rotationCount": x.rotations,
        "rotationDepth": x.rotations if x.rotation_depth is None else x.rotation_depth,
        "cczCount": x.toffoli,
        "measurementCount": x.measurements,
    }
    if max(lc.values()) > _MSFT_LIMIT:
        _fail("counts", max(lc.values()), "Microsoft's estimator needs counts <= 2^50")
    ns = float(_decimal(cycle_time_us) * 1000)
    qubit = {
        "name": "qlaci_gate_based",
        "instructionSet": "GateBased",
        "oneQubitMeasurementTime": f"{ns / 4!r} ns",
        "oneQubitGateTime": f"{ns / 8!r} ns",
        "twoQubitGateTime": f"{ns / 8!r} ns",
        "tGateTime": f"{ns / 8!r} ns",
        **{
            k: physical_error
            for k in ("oneQubitMeasurementErrorRate", "oneQubitGateErrorRate",
                      "twoQubitGateErrorRate", "tGateErrorRate", "idleErrorRate")
        },
    }  # fmt: skip
    params = {"qubitParams": qubit, "errorBudget": a.error_budget}
    result = dict(estimator.LogicalCounts(lc).estimate(params))
    if "physicalCounts" not in result:
        raise ValueError(f"Microsoft's estimator failed: {result.get('status', result)}")
    pc = result["physicalCounts"]
    expected = pc["breakdown"]["logicalDepth"] * result["logicalQubit"]["logicalCycleTime"]
    if pc["runtime"] != expected:
        _fail("counts", lc, "Microsoft's estimator overflowed its 64-bit runtime")
    return MicrosoftEstimate(
        physical_qubits=int(pc["physicalQubits"]),
        runtime_s=Fraction(int(pc["runtime"]), 10**9),
        code_distance=int(result["logicalQubit"]["codeDistance"]),
        n_factories=int(pc["breakdown"]["numTfactories"]),
        logical_counts=lc,
        params=params,
        result=result,
    )
