"""The explorer's data: every closed form behind one scenario's head verdicts, exported as
JSON expression trees (`symbolics.export`) that the explorer page (`output.explorer`)
evaluates exactly in the browser.

`explorer_data(models, sizes, scenario)` gathers:

- each QRAM model's QLACI query metrics (the compiled closed forms of `qlaci.table`, in N;
  a model with the fields c and k, the ideal oracle, keeps them as symbols);
- the readout: runs and calls per observable of each shots method as trees in eps
  (`analysis.shots`), the observables per query;
- the classical baselines' FLOPs and traffic bytes as trees in N, and the machine's peak and
  bandwidth (`analysis.roofline`);
- the constants of the gidney-fowler surface-code model (the preset's values, the CCZ2T grid,
  the 15-to-1 units, the error-budget scope) that the page's transcription of
  `physical.gidney_fowler` reads;
- the growth (leading N^a log^k N) of every metric and of the calls per query, and the
  claims' names, so the page re-judges the QLACI claims as `qlaci.claims` does;
- the knobs at the scenario's values and their physical ranges (`verdicts.breakeven`).

Only the gidney-fowler family of physical models is transcribed; `explorer_support` says
why a scenario is not supported (any other physical model, shots given directly).
"""

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Optional

import attrs
import sympy
from qualtran.surface_code import QECScheme

from qlaci_cost.analysis.baselines import CROSSOVER_BASELINES, QLACIExact, baseline_options_for
from qlaci_cost.analysis.classical import get_baseline
from qlaci_cost.analysis.precision import Precision
from qlaci_cost.analysis.scenario import Scenario, as_scenario
from qlaci_cost.analysis.shots import METHODS, ae_calls, clt_shots, hoeffding_shots
from qlaci_cost.core import cache
from qlaci_cost.core.summary import METRICS
from qlaci_cost.errors import InputError
from qlaci_cost.physical import PRESETS, TINY
from qlaci_cost.physical.distillation import MAX_EXTRA_ROUNDS, MAX_ROUNDS, RUN_FAILURE, UNITS
from qlaci_cost.physical.gidney_fowler import MAX_FACTORY_DISTANCE
from qlaci_cost.physical.params import PhysicalAssumptions
from qlaci_cost.physical.scope import BIAS_SHARE, PAULI_RANGE
from qlaci_cost.qlaci.claims import CLAIMS, qlaci_claims
from qlaci_cost.qlaci.query import QLACIQuery
from qlaci_cost.qlaci.table import query_summary
from qlaci_cost.qram import MODELS, model_class, traits
from qlaci_cost.symbolics.export import expression_tree
from qlaci_cost.symbolics.scaling import growth
from qlaci_cost.symbolics.symbols import N as N_SYMBOL
from qlaci_cost.verdicts.breakeven import DEFAULT_MACHINE_QUBITS, knob_range

__all__ = [
    "EXPLORER_FORMAT",
    "PHYSICAL_FAMILY",
    "explorer_data",
    "explorer_support",
    "simulated_verdicts",
]

#: Version of the data's layout (the page refuses another).
EXPLORER_FORMAT = 1
#: The physical model family the page transcribes.
PHYSICAL_FAMILY = "gidney-fowler"
#: The readout eps of the shots trees.
EPS = sympy.Symbol("eps", positive=True)
#: Sizes the page offers: N = 2^4 .. 2^64 (the trees are exact at any N).
N_EXPONENTS = (4, 64)
#: The physical parameters the page reads from the scenario (the first three are knobs).
_PHYSICAL_KNOBS = ("physical_error", "cycle_time_us", "reaction_time_us", "error_budget")
#: Largest number of QPUs the page offers (the break-even search bounds P by the machine).
MAX_QPUS = 10**6


def explorer_support(scenario: Optional[Scenario] = None) -> str:
    """'' when the explorer can recompute `scenario`'s heads, else why not (one line)."""
    scenario = as_scenario(scenario)
    if PRESETS[scenario.physical_model][0] != PHYSICAL_FAMILY:
        return (
            f"physical model {scenario.physical_model}: the explorer transcribes the "
            f"{PHYSICAL_FAMILY} presets only (gidney-fowler, gidney-fowler-optimistic)"
        )
    if scenario.shots is not None:
        return "shots given directly: the explorer varies the readout precision instead"
    if set(scenario.physical_overrides) - set(_PHYSICAL_KNOBS):
        return "physical overrides other than error rate, cycle, reaction time and budget"
    return ""


def _symbolic_options(model: str) -> tuple[str, ...]:
    """The model's cost options the page varies (the ideal oracle's c and k)."""
    fields = {f.name for f in attrs.fields(model_class(model))}
    return tuple(name for name in ("c", "k") if name in fields)


def _option_symbols(names: Sequence[str]) -> dict[str, sympy.Symbol]:
    return {n: sympy.Symbol(n, integer=True, nonnegative=True) for n in names}


def _model_forms(model: str, scenario: Scenario) -> dict[str, Any]:
    """One model's per-query metrics as trees in N (and its symbolic options)."""
    names = _symbolic_options(model)
    options = {"bits": scenario.component_bits}
    if names:
        options["qram_options"] = _option_symbols(names)
    summary = query_summary(model, scenario.conventions, **options)
    metrics = summary.metrics()
    return {
        "assumed": bool(traits(model).ASSUMED_ORACLE),
        "note": traits(model).ASSUMPTION_NOTE if traits(model).ASSUMED_ORACLE else "",
        "symbols": list(names),
        "defaults": _option_defaults(model),
        "metrics": {m: expression_tree(metrics[m]) for m in METRICS},
    }


def _readout_forms(scenario: Scenario, d_ctx: int) -> dict[str, Any]:
    """Runs per observable and calls per run of each shots method, trees in eps; as
    `analysis.shots.measurement_cost` forms them."""
    delta = scenario.delta
    ae = ae_calls(EPS, delta)
    methods = {
        "hoeffding": (hoeffding_shots(EPS, delta), 1),
        "clt": (clt_shots(EPS, 1 - delta), 1),
        "amplitude-estimation": (ae.repetitions, ae.calls_per_repetition),
    }
    assert tuple(methods) == METHODS
    return {
        "delta": str(delta),
        "grouped": scenario.grouped,
        "d_ctx": d_ctx,
        "observables": 1 if scenario.grouped else d_ctx,
        "methods": {
            name: {
                "runs_per_observable": expression_tree(runs),
                "calls_per_run": expression_tree(calls),
            }
            for name, (runs, calls) in methods.items()
        },
    }


def _decimal(x: Any) -> str:
    """An exact rational as decimal text when it has one, else 'p/q'-free digits (integers)."""
    value = Fraction(str(x)) if not isinstance(x, Fraction) else x
    if value.denominator == 1:
        return str(value.numerator)
    return repr(float(value)) if Fraction(repr(float(value))) == value else str(value)


def _physical_constants(scenario: Scenario) -> dict[str, Any]:
    """What the page's gidney-fowler transcription reads: the scenario's physical values and
    the model's constants (`physical.gidney_fowler`, `distillation`, `scope`)."""
    conv = scenario.conventions
    synthesis = conv.synthesis
    values = scenario.physical_assumptions()
    qec = QECScheme.make_gidney_fowler()
    return {
        "preset": scenario.physical_model,
        "defaults": {k: repr(float(v)) for k, v in values.items() if k in _PHYSICAL_KNOBS},
        "budget_scope": scenario.budget_scope,
        "qec": {"scaler": qec.error_rate_scaler, "threshold": qec.error_rate_threshold},
        "routing_overhead": attrs.fields(PhysicalAssumptions).routing_overhead.default,
        "tiny": f"1e-{len(str(TINY.denominator)) - 1}",
        # gidney_fowler's CCZ2T grid (`iter_ccz2t_factories(l1_start=5, l1_stop=31,
        # l2_stop=61)`); the parity tests of the page's estimates hold it to the model's.
        "ccz2t_grid": {"l1_start": 5, "l1_stop": 31, "l2_stop": 61},
        "units": [list(u) for u in UNITS],
        "max_factory_distance": MAX_FACTORY_DISTANCE,
        "run_failure": RUN_FAILURE,
        "max_rounds": MAX_ROUNDS,
        "max_extra_rounds": MAX_EXTRA_ROUNDS,
        "max_units": 10**15,
        "bias_share": _decimal(BIAS_SHARE),
        "pauli_range": PAULI_RANGE,
        "conventions": {
            "t_per_toffoli": conv.t_per_toffoli,
            "t_per_rotation": int(conv.t_per_rotation),
            "rotation_model": synthesis.name,
            "rotation_slope": synthesis.slope,
            "rotation_offset": synthesis.offset,
        },
    }


def _classical_forms(scenario: Scenario) -> dict[str, Any]:
    """Each baseline's FLOPs and traffic bytes as trees in N; the machine's roofline."""
    hw = scenario.hardware_spec
    d, bpv = scenario.head_dim, scenario.bytes_per_value
    baselines = {}
    for name in CROSSOVER_BASELINES:
        b = get_baseline(name, **baseline_options_for(name, scenario.baseline_options, {}))
        baselines[name] = {
            "flops": expression_tree(b.flops(N_SYMBOL, d)),
            "bytes": expression_tree(b.traffic_bytes(N_SYMBOL, d, bpv)),
        }
    return {
        "hardware": scenario.hardware,
        "hardware_name": hw.name,
        "peak_flops": str(hw.peak_flops),
        "bandwidth": str(hw.bandwidth),
        "head_dim": d,
        "bytes_per_value": bpv,
        "order": list(CROSSOVER_BASELINES),
        "baselines": baselines,
    }


def _pair(g) -> list[str]:
    return [str(g.a), str(g.k)]


def _metric_growths(metrics: Mapping[str, Any]) -> dict[str, list[str]]:
    """Leading (a, k) of the metrics the claims judge, and of the gates they count
    (`claim_rules.gate_total`: Toffoli-class + Clifford + rotations)."""
    names = ("qubits", "toffoli", "t_count", "clifford", "toffoli_depth", "depth")
    out = {m: _pair(growth(metrics[m])) for m in names}
    out["gates"] = _pair(growth(metrics["toffoli"] + metrics["clifford"] + metrics["rotations"]))
    return out


def _model_growths(model: str, scenario: Scenario, k_values: Iterable[int]) -> dict[str, Any]:
    """A model's metric growths; for a model with symbolic options, one set per value of k
    (c scales a term, never its order)."""
    names = _symbolic_options(model)
    forms = query_summary(
        model,
        scenario.conventions,
        bits=scenario.component_bits,
        **({"qram_options": _option_symbols(names)} if names else {}),
    ).metrics()
    if "k" not in names:
        return {"fixed": _metric_growths(forms)}
    syms = _option_symbols(names)
    by_k = {}
    for k in k_values:
        values = {s: 1 for s in syms.values()}
        values[syms["k"]] = k
        by_k[str(k)] = _metric_growths({m: sympy.sympify(v).subs(values) for m, v in forms.items()})
    return {"by_k": by_k}


def _calls_growths(scenario: Scenario, d_ctx: int) -> dict[str, dict[str, list[str]]]:
    """Leading (a, k) of the circuit calls per query, per method and precision kind (None
    where `symbolics.scaling.growth` cannot read the form: `qlaci_claims` fails there too)."""
    out: dict[str, dict[str, list[str]]] = {}
    for method in METHODS:
        if method == "amplitude-estimation" and scenario.grouped:
            continue
        for kind in ("abs", "rel"):
            s = scenario.evolve(method=method, precision=Precision(kind, "1/10"), shots=None)
            calls = s.measurement(N_SYMBOL, d_ctx).circuit_calls
            try:
                out.setdefault(method, {})[kind] = _pair(growth(calls))
            except ValueError:  # a form `growth` does not read: no verdict, as in the claims
                out.setdefault(method, {})[kind] = None
    return out


def _claim_data(models, scenario, d_ctx, simulation) -> dict[str, Any]:
    """What the page needs to judge the QLACI claims as `qlaci.claims.qlaci_claims` does."""
    k_range = knob_range("ideal_k", scenario, 1, 1)
    low, high = int(k_range.low), int(k_range.high)
    twin = QLACIExact.from_query(QLACIQuery(N_SYMBOL, bits=scenario.component_bits))
    return {
        "names": [[key, name] for key, name in CLAIMS.items()],
        "calls": _calls_growths(scenario, d_ctx),
        "models": {m: _model_growths(m, scenario, range(low, high + 1)) for m in models},
        "twin": _pair(growth(twin.flops(N_SYMBOL, scenario.head_dim))),
        "global_attention": simulation,
    }


def _knobs(models, sizes, scenario: Scenario) -> dict[str, Any]:
    """The knobs at the scenario's values and their ranges (`breakeven.knob_range`)."""
    values = scenario.physical_assumptions()
    ranges = {
        name: {"low": r.low, "high": r.high, "why": r.why, "integer": r.integer}
        for name in ("physical_error", "readout_eps", "ideal_c", "ideal_k", "classical_efficiency")
        for r in [knob_range(name, scenario, DEFAULT_MACHINE_QUBITS, 1)]
    }
    for name in ("reaction_time_us", "cycle_time_us"):
        ranges[name] = {"low": 1e-3, "high": 1e4, "why": "microseconds in [1e-3, 1e4]"}
    why = f"P in [1, {MAX_QPUS:.0e}]"
    ranges["qpus"] = {"low": 1, "high": MAX_QPUS, "integer": True, "why": why}
    ranges["N"] = {"low": N_EXPONENTS[0], "high": N_EXPONENTS[1], "why": "N = 2^k"}
    ideal = next((m for m in models if _symbolic_options(m)), None)
    defaults = {} if ideal is None else _option_defaults(ideal)
    top = max(sizes)
    return {
        "values": {
            "reaction_time_us": repr(float(values["reaction_time_us"])),
            "cycle_time_us": repr(float(values["cycle_time_us"])),
            "physical_error": repr(float(values["physical_error"])),
            "precision": str(scenario.precision),
            "method": scenario.method,
            "ideal_c": str(defaults.get("c", 1)),
            "ideal_k": str(defaults.get("k", 1)),
            "qpus": "1",
            "baseline": "fastest",
            "classical_efficiency": "1",
            "N": str(min(top.bit_length() - 1, N_EXPONENTS[1])),
        },
        "ranges": ranges,
        "methods": list(METHODS),
    }


def _option_defaults(model: str) -> dict[str, Any]:
    """The model's defaults of its symbolic options (the ideal oracle's c = k = 1)."""
    names = _symbolic_options(model)
    return {f.name: f.default for f in attrs.fields(model_class(model)) if f.name in names}


def explorer_data(
    models: Sequence[str] = MODELS,
    sizes: Iterable[int] = (2**40,),
    scenario: Optional[Scenario] = None,
    *,
    simulation: Optional[Mapping[str, str]] = None,
) -> dict[str, Any]:
    """The explorer's data for `models` under `scenario` (JSON-safe: big integers are strings
    inside the trees).

    Args:
        models: QRAM model names (the default QLACI query under each).
        sizes: The report's grid; the page starts at its largest N (at most 2^64, the
            largest the page offers).
        scenario: The scenario whose values the knobs start from.
        simulation: The `global-attention` claim's verdict per model (from the claim table);
            None: not shown.

    The closed forms are derived once per (models, scenario, simulation) and kept in the disk
    cache (`core.cache`), as the package's closed forms are.

    Raises:
        InputError: a scenario the explorer does not support (`explorer_support`).
    """
    scenario = as_scenario(scenario)
    reason = explorer_support(scenario)
    if reason:
        raise InputError(f"scenario not supported by the explorer: {reason}")
    models, sizes = list(models), sorted(int(n) for n in sizes)
    key = {"models": models, "scenario": scenario.to_dict(), "simulation": dict(simulation or {})}
    forms = cache.load("explorer", key)
    if forms is None:
        forms = _explorer_forms(models, scenario, dict(simulation or {}))
        cache.store("explorer", key, forms)
    return {**forms, "sizes": [str(n) for n in sizes], "knobs": _knobs(models, sizes, scenario)}


def _explorer_forms(models, scenario: Scenario, simulation: dict) -> dict[str, Any]:
    """Everything but the grid and the knobs (the part worth the disk cache)."""
    d_ctx = int(QLACIQuery(16, bits=scenario.component_bits).d_ctx)
    return {
        "format": EXPLORER_FORMAT,
        "scenario": scenario.to_dict(),
        "scenario_lines": scenario.describe_lines(),
        "order": models,
        "models": {m: _model_forms(m, scenario) for m in models},
        "readout": _readout_forms(scenario, d_ctx),
        "classical": _classical_forms(scenario),
        "physical": _physical_constants(scenario),
        "claims": _claim_data(models, scenario, d_ctx, simulation),
    }


def simulated_verdicts(models: Sequence[str] = MODELS) -> dict[str, str]:
    """Model -> the verdict of the QLACI claim judged by simulation (`global-attention`), as
    `qlaci.claims.qlaci_claims` judges it (its simulation at N = 4 does not depend on the
    scenario; the claim table at two small sizes)."""
    rows = qlaci_claims(list(models), (16, 32)).rows
    return {r["model"]: r["verdict"] for r in rows if r["key"] == "global-attention"}
