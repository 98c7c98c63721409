"""`PhysicalEstimate`: the numbers of one physical estimate and every assumption behind them."""

import math
from fractions import Fraction
from typing import Any, Optional

import attrs
from attrs import frozen
from qualtran.surface_code import QECScheme

from qlaci_cost.core.conventions import Conventions
from qlaci_cost.physical.arithmetic import (
    fmt_time,
    sci,
    to_float,
)
from qlaci_cost.physical.budget import BUDGET_RULE
from qlaci_cost.physical.params import SOURCES, LogicalInput, PhysicalAssumptions

__all__ = ["PhysicalEstimate"]


@frozen
class PhysicalEstimate:
    """A physical resource estimate and every assumption behind it.

    Times are exact `Fraction`s of seconds; `runtime_s` is the largest of the limits computed
    by the model (factory-limited, reaction-limited and, for beverland, its logical-step
    schedule), counted from the start of the first factory run (`first_state_latency_s`: no
    schedule finishes before its first magic state exists). `expected_failures` = logical +
    distillation + rotation errors (first order; can exceed 1); `failure_probability` =
    min(1, expected_failures), the union bound. `valid` is False, with `invalid_reason`, when
    no supported factory reaches the needed error or the budget is exceeded: the numbers are
    then not an estimate. `lower_bound` is True only where the runtime is a lower bound (the
    reason is in `notes`).

    `budget_scope` says what the error budget (`params.error_budget`) covers
    (docs/derivations/error-budget.md): `job` (the default of `estimate`), every gate of the
    counts given; `run`, one circuit run of a job of `runs` runs one after another
    (`physical.scope.scoped_estimate`): the qubits, distance, factories and failure
    probability are one run's, the times (and `magic_states`) cover all `runs`, and
    `run_runtime_s` is one run's.
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
    valid: bool = True
    invalid_reason: str = ""
    lower_bound: bool = False
    expected_failures: Optional[float] = None
    logical_error: Optional[float] = None
    distillation_error: Optional[float] = None
    rotation_error: Optional[float] = None
    first_state_latency_s: Optional[Fraction] = None
    budget_shares: Optional[tuple[Fraction, Fraction, Fraction]] = None
    rotation_eps: Optional[float] = None
    t_per_rotation: Optional[int] = None
    distillation: Optional[Any] = attrs.field(default=None, eq=False, repr=False)
    budget_scope: str = "job"
    runs: Any = 1
    run_runtime_s: Optional[Fraction] = None

    @property
    def factory_footprint(self) -> int:
        """Physical qubits in all factories."""
        return self.n_factories * self.factory_qubits

    @property
    def t_states(self) -> int:
        """T states the model consumes, with its own rotation synthesis (`t_per_rotation`):
        T gates + rotations x T per rotation + T per Toffoli x Toffolis, where a Toffoli is 4 T
        states in beverland and microsoft-like (Beverland et al. eq. D4) and, in gidney-fowler,
        a CCZ state counted as the conventions' T per Toffoli."""
        if self.model != "gidney-fowler":
            return self.magic_states
        x = self.inputs
        t_rot = self.t_per_rotation or 0
        return x.t + x.rotations * t_rot + self.conventions.t_per_toffoli * x.toffoli

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
        blocks = {
            "gidney-fowler": f"SimpleDataBlock: ceil((1 + {p.routing_overhead:g}) Q) tiles of "
            "2 d^2 qubits",
            "beverland": "FastDataBlock: ceil(2Q + sqrt(8Q) + 1) tiles of 2 d^2 qubits",
            "microsoft-like": "2Q + ceil(sqrt(8Q)) + 1 tiles of 2 d^2 qubits (Beverland eq. D1)",
        }
        return {
            "model": p.model,
            "model_reference": _MODEL_REFERENCE[p.model],
            "physical_error": p.physical_error,
            "cycle_time_us": p.cycle_time_us,
            "reaction_time_us": p.reaction_time_us,
            "error_budget": p.error_budget,
            "error_budget_scope": _SCOPE_TEXT[self.budget_scope],
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
            "data_block": blocks[p.model],
            "data_distance": "given" if p.data_distance else _DISTANCE_RULE[p.model],
            "reaction_depth": _REACTION[p.model],
            "error_budget_split": _SPLIT[p.model],
            "rotation_synthesis": _SYNTHESIS[p.model].format(
                name=self.conventions.rotation_model,
                formula=self.conventions.synthesis.formula(),
            ),
            "failure_probability": "min(1, expected_failures), the union bound; "
            "expected_failures = logical + distillation + rotation errors (first order)",
            "first_state_latency": _LATENCY[p.model],
            "valid": "false (estimate columns empty) when no supported factory reaches the "
            "needed error per magic state or the expected failures exceed the budget",
            "not_modelled": _NOT_MODELLED[p.model],
            "conventions": self.conventions.as_dict(),
            "sources": dict(SOURCES),
        }

    def as_dict(self) -> dict[str, Any]:
        """Numbers (floats where finite, else strings) and assumptions, for tables and JSON."""
        out: dict[str, Any] = {
            f.name: getattr(self, f.name)
            for f in attrs.fields(PhysicalEstimate)
            if f.name not in ("inputs", "params", "conventions", "notes", "distillation")
        }
        for k, v in out.items():
            if isinstance(v, tuple):
                out[k] = [str(x) for x in v]
            elif isinstance(v, Fraction):
                out[k] = to_float(v) if v == 0 or 1e-300 < v < 1e300 else sci(v)
            elif isinstance(v, float) and not math.isfinite(v):
                out[k] = str(v)  # beyond float range: JSON has no infinity
        out["factory_footprint"] = self.factory_footprint
        out["limited_by"] = self.limited_by
        out["notes"] = list(self.notes)
        out["assumptions"] = self.assumptions()
        return out

    def _reaction_line(self) -> str:
        """The reaction-limited time as the product it is: the layers it counts (toffoli_depth,
        or more where synthesized rotations add T layers) x the reaction time."""
        p, t = self.params, self.reaction_limited_time_s
        if not t:
            return "    reaction-limited: none (this model has no reaction time)"
        runs = self.runs if self.budget_scope == "run" and self.runs else 1
        layers = Fraction(t) / p.reaction_s / runs
        depth = self.inputs.toffoli_depth
        what = (
            f"toffoli_depth {sci(depth)}"
            if layers == depth
            else f"reaction layers {sci(layers)} (toffoli_depth {sci(depth)} + rotation T "
            "layers, see the note)"
        )
        return (
            f"    reaction-limited: {self._runs_text()}{what} x {p.reaction_time_us:g} us = "
            f"{fmt_time(t)}"
        )

    def describe(self) -> str:
        """A readable block: the estimate, then every assumption and note."""
        p = self.params
        lines = [
            f"Physical estimate [{p.model}: {_MODEL_REFERENCE[p.model]}]",
            f"  physical qubits: {sci(self.physical_qubits)} = data {sci(self.data_qubits)} "
            f"(code distance {self.code_distance}) + {self.n_factories} x {self.factory} "
            f"factories of {sci(self.factory_qubits)}",
            f"  runtime: {fmt_time(self.runtime_s)}, limited by {self.limited_by}",
            f"    factory-limited: {sci(self.magic_states)} magic states x "
            f"{fmt_time(self.time_per_magic_state_s)} / {self.n_factories} factories = "
            f"{fmt_time(self.factory_limited_time_s)}",
            self._reaction_line(),
        ]
        if self.budget_scope == "run":
            lines.insert(
                1,
                f"  error budget per circuit run ({p.error_budget:.3g}): one run estimated, "
                f"{sci(self.runs)} runs one after another (times x runs; one run "
                f"{fmt_time(self.run_runtime_s or self.runtime_s)})",
            )
        if self.algorithm_limited_time_s is not None:
            lines.append(
                f"    logical-step limited (Beverland eq. D3 time steps x d cycles): "
                f"{fmt_time(self.algorithm_limited_time_s)}"
            )
        status = "within" if self.within_budget else "EXCEEDS"
        per = " per run" if self.budget_scope == "run" else ""
        lines.append(
            f"  failure probability{per}: {self.failure_probability:.3g} ({status} budget "
            f"{p.error_budget:g})"
            + (
                f"; expected failures {self.expected_failures:.3g} = logical "
                f"{self.logical_error:.2g} + distillation {self.distillation_error:.2g} + "
                f"rotations {self.rotation_error:.2g}"
                if self.expected_failures is not None
                else ""
            )
        )
        if self.first_state_latency_s is not None:
            lines.append(f"  first magic state after {fmt_time(self.first_state_latency_s)}")
        if not self.valid:
            lines.insert(0, f"NOT AN ESTIMATE (invalid): {self.invalid_reason}")
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

    def _runs_text(self) -> str:
        return f"{sci(self.runs)} runs x " if self.budget_scope == "run" else ""


_SCOPE_TEXT = {
    "job": "job: the budget covers every gate of the counts estimated (one failure "
    "probability for the whole program)",
    "run": "run: the budget is each circuit run's failure probability (a failed run corrupts "
    "one sample; docs/derivations/error-budget.md); times cover every run",
}
_MODEL_REFERENCE = {
    "gidney-fowler": "Gidney & Fowler arXiv:1812.01238; Gidney & Ekera arXiv:1905.09749; "
    "via qualtran.surface_code (CCZ2TFactory, SimpleDataBlock, PhysicalCostModel)",
    "beverland": "Beverland et al. arXiv:2211.07629 (eqs. D3, D4); Litinski arXiv:1905.06903 "
    "15-to-1; via qualtran.surface_code (beverland_et_al_model, FifteenToOne, FastDataBlock)",
    "microsoft-like": "Beverland et al. arXiv:2211.07629 Sec. IV, App. C-D: the schedule, "
    "distance and factory choice of Microsoft's resource estimator (qsharp.estimator)",
}
_FACTORY_TYPE = {
    "gidney-fowler": "CCZ2TFactory: catalyzed |CCZ> -> 2|T>, two distillation levels, one CCZ "
    "state per Toffoli-class gate and per 2 T gates, 5.5 x max(2 l1 + 1, l2) cycles per CCZ",
    "beverland": "FifteenToOne: one level of 15-to-1 T distillation (Qualtran's, Litinski "
    "arXiv:1905.06903) when it reaches the target, else multi-round 15-to-1 "
    "(physical.distillation, Beverland et al. App. C); 4 T states per Toffoli",
    "microsoft-like": "multi-round 15-to-1 (RM prep / space efficient units, Beverland et al. "
    "App. C Table VII), least volume per T state among runs that fit the schedule",
}
_FACTORY_RULE = {
    "gidney-fowler": "ceil(single-factory cycles / reaction-limited cycles): enough factories "
    "that distillation keeps up with the reaction limit",
    "beverland": "ceil(single-factory cycles / logical-step cycles): enough factories to keep "
    "up with the algorithm (as in Beverland et al. arXiv:2211.07629)",
    "microsoft-like": "ceil(T states x run time / (outputs per run x algorithm time)), as "
    "Microsoft's estimator",
}
_REACTION = {
    "gidney-fowler": "toffoli_depth + rotation layers x (T per rotation - 1): a synthesized "
    "rotation is T per rotation sequential T layers (rotation layers = rotation_depth if "
    "given, else every rotation)",
    "beverland": "toffoli_depth (non-Clifford layers); its logical steps (eq. D3) already "
    "serialize rotations",
    "microsoft-like": "none (no reaction time, as Microsoft's estimator); lower_bound is set "
    "when toffoli_depth x reaction time exceeds the schedule",
}
_SPLIT = {
    "gidney-fowler": BUDGET_RULE,
    "beverland": "1/3 logical, 1/3 distillation, 1/3 rotation synthesis (Qualtran's "
    "beverland_et_al_model, eps_syn = budget / 3 / rotations)",
    "microsoft-like": BUDGET_RULE,
}
_SYNTHESIS = {
    "gidney-fowler": "the conventions' {name}: {formula} at eps_rot = rotation share / rotations",
    "beverland": "ceil(0.53 log2(1/eps_syn) + 5.3) T per rotation at eps_syn = budget / 3 / "
    "rotations (Beverland et al. arXiv:2211.07629, Qualtran's BeverlandEtAlRotationCost)",
    "microsoft-like": "ceil(0.53 log2(rotations / eps_rotations) + 4.86) T per rotation, "
    "eps_rotations = budget / 3 (Microsoft's estimator, qsharp 1.31: its constant 4.86, not the "
    "published 5.3)",
}
_LATENCY = {
    "gidney-fowler": "two CCZ2T periods of 5.5 max(2 l1 + 1, l2) cycles (one per level, each "
    "no longer than the period), or one multi-round 15-to-1 run; runtime >= latency + "
    "reaction-limited time",
    "beverland": "one 15-to-1 state (6 d_m / (1 - p_fail) cycles) or one multi-round run; "
    "runtime >= latency + max(logical steps, reaction-limited time)",
    "microsoft-like": "one factory run; the schedule lasts at least one run (as Microsoft's "
    "estimator)",
}
_NOT_MODELLED = {
    "gidney-fowler": "Clifford and routing time (lattice surgery assumed to keep up with the "
    "reaction limit), measurements (free), factory placement; errors add to first order",
    "beverland": "Clifford-only layers beyond eq. D3, factory placement; errors add to first order",
    "microsoft-like": "reaction time (no T-depth input: every non-Clifford step is sequential), "
    "factory placement; errors add to first order",
}
_DISTANCE_RULE = {
    "gidney-fowler": "smallest odd d with tiles x runtime cycles x p_L(d) <= budget - "
    "distillation error (Qualtran code_distance_from_budget)",
    "beverland": "smallest odd d with tiles x time steps x p_L(d) <= budget / 3 "
    "(Qualtran beverland_et_al_model.code_distance)",
    "microsoft-like": "smallest odd d <= 50 with tiles x logical steps x p_L(d) <= logical "
    "share of the budget",
}
