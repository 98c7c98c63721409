"""One scenario: every assumption that sets a number, as one value passed everywhere.

A `Scenario` holds the QRAM word and QLACI component sizes, the readout (precision, method,
delta, given shots, grouping), the counting conventions (T per Toffoli, rotation synthesis),
the physical model with its parameter overrides, the error budget's scope
(docs/derivations/error-budget.md) and the classical machine and baseline options. Every
table, estimate, crossover, claim and report section of one run is computed under one
scenario, states it once (`describe`) and records it (`to_dict`, read back by `from_dict`).

The defaults here are the library's and the command line's (the CLI keeps copies of the
names and default strings only so that `--help` imports nothing heavy; a test checks that
they equal these).
"""

import functools
import warnings
from collections.abc import Iterable, Mapping
from typing import Any, Optional

import attrs
import sympy
from attrs import frozen

from qlaci_cost.analysis.precision import (
    DEFAULT_DELTA,
    Precision,
    confidence_value,
    parse_precision,
)
from qlaci_cost.analysis.roofline import DEFAULT_HARDWARE, HARDWARE, get_hardware
from qlaci_cost.analysis.shots import METHODS, MeasurementCost, measurement_cost
from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, Conventions
from qlaci_cost.errors import InputError
from qlaci_cost.physical.params import PARAMETERS, PRESETS, assumptions_for
from qlaci_cost.physical.result import PhysicalEstimate
from qlaci_cost.physical.scope import (
    BIAS_SHARE,
    BUDGET_SCOPES,
    DEFAULT_BUDGET_SCOPE,
    PAULI_RANGE,
    run_error_budget,
    scope_note,
    scoped_estimate,
    scoped_frontier,
)
from qlaci_cost.symbolics.exact import decimal_text

__all__ = [
    "LEGACY_READOUT",
    "BASELINE_OPTIONS",
    "BUDGET_SCOPES",
    "DEFAULT_BUDGET_SCOPE",
    "DEFAULT_BYTES_PER_VALUE",
    "DEFAULT_COMPONENT_BITS",
    "DEFAULT_DELTA",
    "DEFAULT_HARDWARE",
    "DEFAULT_HEAD_DIM",
    "DEFAULT_METHOD",
    "DEFAULT_PHYSICAL_MODEL",
    "DEFAULT_PRECISION",
    "DEFAULT_SCENARIO",
    "DEFAULT_WORD_BITS",
    "Scenario",
    "as_scenario",
    "fold_legacy",
]

#: QRAM word: bits per memory cell of the QRAM tables.
DEFAULT_WORD_BITS = 8
#: QLACI: bits per loaded key/value component (a query loads (d_k + d_v) x b-bit words).
DEFAULT_COMPONENT_BITS = 2
#: Additive eps = 0.01 on each read-out Pauli expectation: the accuracy the attention output's
#: consumer sees at every N (`rel:R`, eps = R / N, resolves one position's 1/N share at ~N^2
#: more shots; docs/design.md#readout-precision).
DEFAULT_PRECISION = Precision("abs", "0.01")
#: Hoeffding's bound: a guarantee for every state (the CLT rule is an approximation).
DEFAULT_METHOD = "hoeffding"
DEFAULT_PHYSICAL_MODEL = "gidney-fowler"
#: Classical head dimension d (a common transformer head size) and bytes per value (FP16).
DEFAULT_HEAD_DIM = 64
DEFAULT_BYTES_PER_VALUE = 2
#: Options of the classical attention baselines (`analysis.baselines.get_baseline`).
BASELINE_OPTIONS: tuple[str, ...] = ("window", "state", "elementwise")


def fail(name: str, value: Any, allowed: str) -> None:
    raise InputError(f"{name}={value!r} is not allowed: {allowed}")


def _positive_int(name: str, what: str):
    def check(instance, attribute, value):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            fail(name, value, f"{what} must be an integer >= 1")

    return check


def _precision(value: Any) -> Precision:
    try:
        return parse_precision(value)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def _delta(value: Any) -> sympy.Expr:
    try:
        return confidence_value(value)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def _frozen_value(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _pairs(value: Any) -> tuple[tuple[str, Any], ...]:
    """A mapping (or pairs) as a sorted tuple of (name, value) pairs: hashable, one order."""
    if value is None:
        return ()
    items = value.items() if isinstance(value, Mapping) else value
    try:
        pairs = [(str(k), _frozen_value(v)) for k, v in items]
    except (TypeError, ValueError):
        raise InputError(
            f"options {value!r} are not allowed: give a mapping of names to values"
        ) from None
    return tuple(sorted(pairs))


@functools.cache
def _check_physical(model: str, params: tuple) -> None:
    """The preset's checks (`physical.assumptions_for`), then a one-Toffoli estimate (a rate at
    the code threshold fails only when a model runs)."""
    from qlaci_cost.physical import estimate

    try:
        assumptions_for(model, **dict(params))
        if params:
            tiny = {"qubits": 1, "toffoli": 1, "t_count": 4, "toffoli_depth": 1}
            estimate(tiny, model, **dict(params))
    except ValueError as exc:
        raise InputError(f"physical model {model} with {dict(params)}: {exc}") from None


def _in(name: str, allowed: Iterable[str]):
    allowed = tuple(allowed)

    def check(instance, attribute, value):
        if value not in allowed:
            fail(name, value, f"use one of {', '.join(allowed)}")

    return check


@frozen
class Scenario:
    """Every assumption that sets a number: one value for a whole table, estimate or report.

    Args:
        word_bits: Bits per QRAM word (the QRAM tables), default 8.
        component_bits: Bits per QLACI key/value component (`QLACIQuery.bits`), default 2.
        precision: Readout precision, `Precision` or 'abs:EPS' / 'rel:R'; default abs:0.01.
        method: `hoeffding` (default), `clt` or `amplitude-estimation`.
        delta: Failure probability per observable, in (0, 1), exact; default 1/20.
        shots: Shots per observable given directly (sampling only), or None (default) to
            derive them from the precision.
        grouped: Read all observables of a query from the same runs.
        conventions: Counting conventions (T per Toffoli, rotation synthesis model and eps).
        physical_model: A `physical.PRESETS` name, default gidney-fowler.
        physical_params: Overrides of the preset (`physical.params.PARAMETERS`), a mapping or
            pairs, stored as a sorted tuple of pairs.
        budget_scope: What the error budget covers: `run` (default; each circuit run) or `job`
            (all runs of a head in one budget); docs/derivations/error-budget.md.
        hardware: The classical machine, a `analysis.roofline.HARDWARE` name, default h100.
        bytes_per_value: Bytes per value of the classical parts (baselines, hybrid block).
        head_dim: Classical attention head dimension d, default 64.
        baseline_options: Options of the classical baselines (`BASELINE_OPTIONS`), as pairs.

    Raises:
        InputError: naming the value and what is allowed.
    """

    word_bits: int = attrs.field(
        default=DEFAULT_WORD_BITS, validator=_positive_int("word_bits", "bits per QRAM word")
    )
    component_bits: int = attrs.field(
        default=DEFAULT_COMPONENT_BITS,
        validator=_positive_int("component_bits", "bits per K/V component"),
    )
    precision: Precision = attrs.field(default=DEFAULT_PRECISION, converter=_precision)
    method: str = attrs.field(default=DEFAULT_METHOD, validator=_in("method", METHODS))
    delta: sympy.Expr = attrs.field(default=DEFAULT_DELTA, converter=_delta)
    shots: Optional[int] = None
    grouped: bool = False
    conventions: Conventions = DEFAULT_CONVENTIONS
    physical_model: str = attrs.field(
        default=DEFAULT_PHYSICAL_MODEL, validator=_in("physical_model", PRESETS)
    )
    physical_params: tuple = attrs.field(default=(), converter=_pairs)
    budget_scope: str = attrs.field(
        default=DEFAULT_BUDGET_SCOPE, validator=_in("budget_scope", BUDGET_SCOPES)
    )
    hardware: str = attrs.field(default=DEFAULT_HARDWARE, validator=_in("hardware", HARDWARE))
    bytes_per_value: int = attrs.field(
        default=DEFAULT_BYTES_PER_VALUE,
        validator=_positive_int("bytes_per_value", "bytes per value"),
    )
    head_dim: int = attrs.field(
        default=DEFAULT_HEAD_DIM, validator=_positive_int("head_dim", "the head dimension d")
    )
    baseline_options: tuple = attrs.field(default=(), converter=_pairs)

    def __attrs_post_init__(self):
        if self.shots is not None and (
            isinstance(self.shots, bool) or not isinstance(self.shots, int) or self.shots < 1
        ):
            fail("shots", self.shots, "shots per observable must be an integer >= 1 (or None)")
        if not isinstance(self.grouped, bool):
            fail("grouped", self.grouped, "grouped must be True or False")
        ae = self.method == "amplitude-estimation"
        if ae and self.shots is not None:
            fail("shots", self.shots, "amplitude estimation takes a precision, not shots")
        if ae and self.grouped:
            fail("grouped", True, "amplitude estimation reads one observable per run")
        if not isinstance(self.conventions, Conventions):
            fail("conventions", self.conventions, "give a qlaci_cost.Conventions")
        unknown = [k for k, _ in self.baseline_options if k not in BASELINE_OPTIONS]
        if unknown:
            fail("baseline option", unknown[0], f"use {', '.join(BASELINE_OPTIONS)}")
        unknown = [k for k, _ in self.physical_params if k not in PARAMETERS]
        if unknown:
            fail("physical parameter", unknown[0], f"use {', '.join(PARAMETERS)}")
        _check_physical(self.physical_model, self.physical_params)

    # ---- derived values ------------------------------------------------------------------

    def evolve(self, **changes: Any) -> "Scenario":
        """A copy with `changes` (field names) replaced, validated again."""
        bad = [k for k in changes if k not in _FIELDS]
        if bad:
            fail("scenario field", bad[0], f"use one of {', '.join(_FIELDS)}")
        return attrs.evolve(self, **changes)

    def eps(self, N: Any = None) -> sympy.Expr:
        """The readout's additive eps on each Pauli expectation at sequence length N (exact):
        the precision's, or with `shots` given the eps those shots reach by the method
        (Hoeffding sqrt(2 ln(2/delta) / S), CLT z / sqrt(S)); it sets the per-run error
        budget of the `run` scope."""
        if self.shots is None:
            return self.precision.eps(N)
        if self.method == "clt":
            return sympy.sqrt(2) * sympy.erfinv(1 - self.delta) / sympy.sqrt(self.shots)
        return sympy.sqrt(2 * sympy.log(2 / self.delta) / self.shots)

    @property
    def readout(self) -> dict[str, Any]:
        """precision, method, delta, shots, grouped: the readout fields of `QLACIHead`."""
        return {
            "precision": self.precision,
            "method": self.method,
            "delta": self.delta,
            "shots": self.shots,
            "grouped": self.grouped,
        }

    def measurement(self, N: Any, d_ctx: Any) -> MeasurementCost:
        """`shots.measurement_cost` of one query's d_ctx observables at N under this readout."""
        return measurement_cost(self.precision, N, d_ctx, self.method, self.delta, self.grouped)

    @property
    def physical_overrides(self) -> dict[str, Any]:
        return dict(self.physical_params)

    @property
    def error_budget(self) -> float:
        """The physical model's error budget (the preset's, or the override)."""
        return assumptions_for(self.physical_model, **self.physical_overrides).error_budget

    def physical_assumptions(self) -> dict[str, Any]:
        """The preset's parameters with the overrides applied."""
        return {**PRESETS[self.physical_model][1], **self.physical_overrides}

    @property
    def hardware_spec(self):
        return get_hardware(self.hardware)

    def estimate(
        self,
        run_counts: Mapping[str, Any],
        runs: Any,
        eps: Any,
        *,
        counts: Optional[Mapping[str, Any]] = None,
        observable_range: Any = PAULI_RANGE,
    ) -> PhysicalEstimate:
        """The physical estimate of a job of `runs` circuit runs (one run's `run_counts`; the
        job's `counts` when they are not runs x run_counts) under this scenario's model,
        parameters, conventions and budget scope (`physical.scope.scoped_estimate`)."""
        return self._scoped(scoped_estimate, run_counts, runs, eps, counts, observable_range)

    def frontier(
        self, run_counts, runs, eps, *, counts=None, observable_range=PAULI_RANGE
    ) -> list[PhysicalEstimate]:
        """`physical.frontier` of the same job under this scenario (as `estimate`)."""
        return self._scoped(scoped_frontier, run_counts, runs, eps, counts, observable_range)

    def _scoped(self, scoped, run_counts, runs, eps, counts, observable_range):
        """`scoped` (`scoped_estimate` or `scoped_frontier`) of the job under this scenario's
        budget scope, physical model, parameters and conventions."""
        return scoped(
            run_counts,
            runs,
            self.budget_scope,
            eps,
            self.physical_model,
            counts=counts,
            observable_range=observable_range,
            conventions=self.conventions,
            **self.physical_overrides,
        )

    # ---- stating it ----------------------------------------------------------------------

    def describe_lines(self) -> list[str]:
        """The scenario as short lines (`describe` joins them)."""
        conv = self.conventions
        readout = (
            f"{self.shots} shots per observable (given)"
            if self.shots is not None
            else f"{self.precision} ({self.precision.describe()})"
        )
        group = "observables grouped" if self.grouped else "observables measured separately"
        physical = ", ".join(
            f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}"
            for k, v in self.physical_assumptions().items()
        )
        extra = ", ".join(f"{k} {v}" for k, v in self.baseline_options)
        if self.budget_scope == "run":
            share = 1 / BIAS_SHARE
            here = ""
            if self.precision.kind == "abs":
                here = f" = {run_error_budget(self.eps(), self.error_budget):g}"
            scope = (
                f"run: each circuit run fails with probability <= min(error budget, eps / "
                f"{PAULI_RANGE * share}){here}, so failed runs bias an estimate by <= eps / {share}"
            )
        else:
            scope = "job: one error budget for all runs of a head (or protocol)"
        return [
            f"words: QRAM word b = {self.word_bits} bits; QLACI K/V component b = "
            f"{self.component_bits} bits (a query loads (d_k + d_v) x {self.component_bits}-bit "
            "words)",
            f"readout: {readout}, {self.method}, delta = {decimal_text(self.delta)} per "
            f"observable, {group}",
            f"counting: {conv.toffoli} ({conv.t_per_toffoli} T per Toffoli), rotations "
            f"{conv.rotation_model} at eps = {conv.eps} ({conv.t_per_rotation} T)",
            f"physical: {self.physical_model} ({physical})",
            f"error budget scope {scope}",
            f"classical: {self.hardware} ({self.hardware_spec.name}) roofline, head dimension "
            f"d = {self.head_dim}, {self.bytes_per_value} bytes per value"
            + (f", baseline options {extra}" if extra else ""),
        ]

    def describe(self) -> str:
        """A short block stating the scenario once (tables, the report)."""
        return "\n".join(["Scenario:", *(f"- {line}" for line in self.describe_lines())])

    def note(self) -> str:
        """The scenario as one line, for the notes printed with a table."""
        return "Scenario: " + "; ".join(self.describe_lines())

    def scope_note(self) -> str:
        return scope_note(self.budget_scope)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe, exact: numbers that JSON cannot hold exactly are strings."""
        conv = self.conventions
        return {
            "word_bits": self.word_bits,
            "component_bits": self.component_bits,
            "precision": str(self.precision),
            "method": self.method,
            "delta": str(self.delta),
            "shots": self.shots if self.shots is None or self.shots < 2**53 else str(self.shots),
            "grouped": self.grouped,
            "conventions": {
                "toffoli": conv.toffoli,
                "rotation_model": conv.rotation_model,
                "eps": repr(conv.eps) if isinstance(conv.eps, float) else str(conv.eps),
            },
            "physical_model": self.physical_model,
            "physical_params": {k: _json_value(v) for k, v in self.physical_params},
            "budget_scope": self.budget_scope,
            "hardware": self.hardware,
            "bytes_per_value": self.bytes_per_value,
            "head_dim": self.head_dim,
            "baseline_options": {k: _json_value(v) for k, v in self.baseline_options},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Scenario":
        """The scenario `to_dict` wrote (missing keys take their defaults)."""
        if not isinstance(data, Mapping):
            fail("scenario", data, "give the mapping Scenario.to_dict() wrote")
        bad = [k for k in data if k not in _FIELDS]
        if bad:
            fail("scenario field", bad[0], f"use one of {', '.join(_FIELDS)}")
        values = dict(data)
        if isinstance(values.get("shots"), str):
            values["shots"] = int(values["shots"])
        if "conventions" in values:
            values["conventions"] = _conventions(values["conventions"])
        return cls(**values)


_FIELDS: tuple[str, ...] = tuple(f.name for f in attrs.fields(Scenario))


def _json_value(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**53:
        return str(value)
    return value


def _conventions(data: Any) -> Conventions:
    if isinstance(data, Conventions):
        return data
    if not isinstance(data, Mapping) or set(data) - {"toffoli", "rotation_model", "eps"}:
        fail("conventions", data, "give toffoli, rotation_model and eps")
    values = dict(data)
    if isinstance(values.get("eps"), str):
        text = values["eps"]
        try:
            values["eps"] = float(text)
        except ValueError:
            values["eps"] = sympy.sympify(text)
    try:
        return Conventions(**values)
    except ValueError as exc:
        raise InputError(str(exc)) from None


DEFAULT_SCENARIO = Scenario()


def as_scenario(scenario: Any = None) -> Scenario:
    """`scenario` itself, `DEFAULT_SCENARIO` for None, or the default with the given
    `Conventions` (the argument many functions took in this position before)."""
    if scenario is None:
        return DEFAULT_SCENARIO
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, Conventions):
        return DEFAULT_SCENARIO.evolve(conventions=scenario)
    fail("scenario", scenario, "give a qlaci_cost.analysis.scenario.Scenario (or None)")


#: Old keyword -> the `Scenario` field it sets (accepted for one release, with a warning).
LEGACY_FIELDS: dict[str, str] = {
    "precision": "precision",
    "method": "method",
    "delta": "delta",
    "shots": "shots",
    "grouped": "grouped",
    "conventions": "conventions",
    "physical_model": "physical_model",
    "physical_params": "physical_params",
    "hardware": "hardware",
    "bytes_per_value": "bytes_per_value",
    "d": "head_dim",
    "baseline_options": "baseline_options",
    "qlam_precision": "precision",
    "budget_scope": "budget_scope",
}


#: Keywords the table, claim and crossover functions took before `scenario`, and the
#: scenario fields they set (accepted for one release, with a DeprecationWarning).
LEGACY_READOUT: dict[str, str] = {
    "precision": "precision",
    "method": "method",
    "delta": "delta",
    "shots": "shots",
    "grouped": "grouped",
    "conventions": "conventions",
    "bits": "component_bits",
}


def fold_legacy(
    scenario: Any, options: dict, where: str, fields: Optional[Mapping[str, str]] = None
) -> Scenario:
    """The scenario with the old loose keywords of `options` folded in (popped from it).

    `fields` maps the old keywords `where` accepted to scenario fields (default
    `LEGACY_FIELDS`). A keyword given (not None) is applied with a `DeprecationWarning` naming
    the new way: `scenario=Scenario(field=...)`.
    """
    scenario = as_scenario(scenario)
    fields = LEGACY_FIELDS if fields is None else fields
    changes = {}
    for old, field in fields.items():
        if old not in options:
            continue
        value = options.pop(old)
        if value is None:
            continue
        if field == "physical_params":
            value = {**scenario.physical_overrides, **dict(value or {})}
        if field == "baseline_options":
            value = {**dict(scenario.baseline_options), **dict(value or {})}
        changes[field] = value
        warnings.warn(
            f"{where}({old}=...) is deprecated: pass scenario=Scenario({field}=...) "
            "(qlaci_cost.analysis.scenario); the old keyword is accepted for one release",
            DeprecationWarning,
            stacklevel=3,
        )
    return scenario.evolve(**changes) if changes else scenario
