"""Crossover: the smallest N at which a QLACI head's physical runtime beats a classical head.

For each QRAM model and classical baseline, over a grid of sequence lengths N: the quantum
runtime is the surface-code estimate (`qlaci_cost.physical.estimate`) of one QLACI head (N
queries, each repeated for its measurement shots), the classical runtime is the roofline time
of one attention head on the stated hardware (`qlaci_cost.analysis.classical.runtime_seconds`). The
crossover is the smallest N of the grid with quantum < classical, or "none up to 2^k".

Quantum: `head_rows` gives each head's logical counts (one query circuit's qubits; N x shots x
the query's Toffoli, T, rotation and measurement counts and Toffoli depth: queries and shots
run sequentially on one machine) and `head_estimate` turns them into a wall-clock time under
the scenario's physical model, parameters and error-budget scope (the fastest point of the
space-time frontier); the estimate's `lower_bound` flags the time as a lower bound. Classical:
`runtime_seconds(baseline, N, d, hardware, bytes_per_value, **baseline_options)`, the roofline
time of one head, all from the scenario.

Each record of `crossover`'s result: model, baseline, qram ("circuit" / "assumed oracle"),
crossover_N (smallest N of the grid with quantum < classical, or None), verdict ("N = 2^k" or
"none up to 2^k", k = log2 of the largest N with a valid estimate), N (the crossover, or the
largest N), quantum_s and classical_s there (exact Fractions), ratio = quantum / classical
there, margin = the smallest ratio over the grid, quantum_lower_bound there, established
("yes", or "no ..." when the quantum time at the crossover is a lower bound), stays_ahead
(quantum faster at every larger N of the grid), lower_bound_points (how many grid points are
lower bounds), physical_qubits and within_budget (the physical model's failure probability
within its budget) there, quantum_valid and invalid_reason there, invalid_N (the N whose
estimate is invalid), note. An invalid estimate (outside its error budget) is not an estimate:
it is never compared (no crossover, ratio or margin comes from it) and its quantum_s, ratio
and physical_qubits are None.

Honesty rules carried by every result:

- The quantum runtime can be a *lower bound* (the physical model's `lower_bound`, with the
  reason in its notes) or outside its error budget (`valid` false: not an estimate). A lower
  bound above the classical time still supports a "none" verdict; a lower bound below it does
  not establish a crossover, and the record says so. An invalid estimate is never compared:
  "none up to 2^k" names the largest N with a valid estimate, and the record's runtime, ratio
  and physical qubits at an invalid N are None (with the reason).
- The classical runtime is a roofline (peak-throughput) time: a lower bound on a real kernel's
  time, favourable to the classical side. A "none" verdict therefore carries its margin, the
  smallest quantum / classical ratio over the grid: it stands unless the classical kernel runs
  more than that many times slower than its roofline.
- An assumed QRAM oracle (trait `ASSUMED_ORACLE`, e.g. `ideal`: the proposal's poly(log N)
  cost), not a circuit: its records say so.
"""

from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any, Optional

from qlaci_cost.analysis.baselines import CROSSOVER_BASELINES, baseline_options_for
from qlaci_cost.analysis.classical import (
    fits_in_memory,
    get_baseline,
    get_hardware,
    runtime_seconds,
)
from qlaci_cost.analysis.crossover_result import (
    COLUMNS,
    CrossoverResult,
    QuantumPoint,
    log2_text,
    seconds_text,
)
from qlaci_cost.analysis.scenario import DEFAULT_HEAD_DIM, LEGACY_READOUT, Scenario, fold_legacy
from qlaci_cost.physical import PRESETS
from qlaci_cost.qlaci.head_rows import (
    DEFAULT_PRECISION,
    DEFAULT_SIZES,
    SEQUENTIAL_NOTE,
    head_counts,
    head_estimate,
    head_rows,
)
from qlaci_cost.qlaci.query import QLACIQuery
from qlaci_cost.qram import MODELS, traits
from qlaci_cost.qram.interface import pad_cells
from qlaci_cost.symbolics.exact import fraction

__all__ = [
    "COLUMNS",
    "DEFAULT_D",
    "DEFAULT_PRECISION",
    "DEFAULT_SIZES",
    "SEQUENTIAL_NOTE",
    "CrossoverResult",
    "QuantumPoint",
    "crossover",
    "head_counts",
    "head_rows",
    "seconds_text",
]

#: Classical head dimension (a common transformer head size). The default QLACI query carries
#: d_q = 4 query components and one key and one value component, so the classical head does
#: more work per position than the quantum one: favourable to the quantum side.
DEFAULT_D = DEFAULT_HEAD_DIM
#: Keywords `crossover` took before `scenario` (accepted for one release, with a warning).
LEGACY_CROSSOVER: dict[str, str] = {
    **LEGACY_READOUT,
    "hardware": "hardware",
    "physical_model": "physical_model",
    "physical_params": "physical_params",
    "baseline_options": "baseline_options",
    "bytes_per_value": "bytes_per_value",
    "d": "head_dim",
}

LOWER_BOUND_MARK = "lower bound"


def _fraction(x: Any) -> Fraction:
    return fraction(x, "runtime", "runtimes must be exact rationals")


def _record(model, baseline, sizes, qpoints, cpoints) -> dict[str, Any]:
    assumed = traits(model)
    valid = [i for i, q in enumerate(qpoints) if q.valid]  # invalid: not an estimate
    invalid_n = tuple(sizes[i] for i, q in enumerate(qpoints) if not q.valid)
    wins = [i for i in valid if qpoints[i].runtime_s < cpoints[i]]
    i = wins[0] if wins else len(sizes) - 1
    q, c = qpoints[i], cpoints[i]
    ratios = [p.runtime_s / x if x and p.valid else None for p, x in zip(qpoints, cpoints)]
    finite = [r for r in ratios if r is not None]
    rec: dict[str, Any] = {
        "model": model,
        "baseline": baseline,
        "qram": "assumed oracle" if assumed.ASSUMED_ORACLE else "circuit",
        "crossover_N": sizes[i] if wins else None,
        "N": sizes[i],
        "quantum_s": q.runtime_s if q.valid else None,
        "classical_s": c,
        "ratio": ratios[i],
        "margin": min(finite) if finite else None,
        "quantum_lower_bound": q.lower_bound,
        "physical_qubits": q.physical_qubits if q.valid else None,
        "within_budget": q.within_budget,
        "quantum_valid": q.valid,
        "invalid_reason": "" if q.valid else (q.invalid_reason or "outside its error budget"),
        "invalid_N": invalid_n,
        "stays_ahead": bool(wins) and wins == [j for j in valid if j >= i],
        "lower_bound_points": sum(qpoints[j].lower_bound for j in valid),
    }
    if wins:
        rec["verdict"] = f"N = {log2_text(sizes[i])}"
        rec["established"] = "no (quantum runtime is a lower bound)" if q.lower_bound else "yes"
        rec["note"] = (
            "quantum runtime at the crossover is only a lower bound: the crossover is not "
            "established"
            if q.lower_bound
            else "quantum head faster than the roofline time"
        )
    elif valid:
        rec["verdict"] = f"none up to {log2_text(sizes[valid[-1]])}"
        rec["established"] = "yes"
        rec["note"] = (
            "quantum slower at every N of the grid with a valid estimate (a quantum lower "
            "bound supports this too); it stands unless the classical kernel runs more than "
            "`margin` times slower than its roofline"
        )
    else:
        rec["verdict"] = f"no valid estimate up to {log2_text(sizes[-1])}"
        rec["established"] = "no (every quantum estimate outside its error budget)"
        rec["note"] = "no quantum estimate within its error budget: nothing to compare"
    if invalid_n:
        rec["note"] += (
            "; no valid quantum estimate (outside its error budget, not compared) at N = "
            + ", ".join(log2_text(n) for n in invalid_n)
        )
    if assumed.ASSUMED_ORACLE:
        rec["note"] += f"; {model} QRAM: " + assumed.ASSUMPTION_NOTE
    return rec


def _quantum_point(n: int, value: Any) -> QuantumPoint:
    if isinstance(value, QuantumPoint):
        return value
    if isinstance(value, tuple):
        return QuantumPoint(n, _fraction(value[0]), bool(value[1]))
    return QuantumPoint(n, _fraction(value), False)


def crossover(
    models: Iterable[str] = MODELS,
    baselines: Iterable[str] = CROSSOVER_BASELINES,
    sizes: Iterable[int] = DEFAULT_SIZES,
    scenario: Optional[Scenario] = None,
    *,
    quantum_runtime: Optional[Callable[[str, int], Any]] = None,
    classical_runtime: Optional[Callable[[str, int], Any]] = None,
    **query_options,
) -> CrossoverResult:
    """Smallest N (per QRAM model and classical baseline) where the quantum head is faster.

    Both sides, and the fields of each record, as the module docstring describes them.

    Args:
        models: QRAM model names (`ideal` is the proposal's assumed oracle, labelled so).
        baselines: Classical baseline names (default `baselines.CROSSOVER_BASELINES`: the
            attention baselines and `qlaci-exact`, QLACI's exact classical twin of the same
            query). Each takes the scenario's baseline options that apply to it
            (`baselines.baseline_options_for`).
        sizes: Sequence lengths N (padded to powers of two).
        scenario: The `analysis.scenario.Scenario` (default `DEFAULT_SCENARIO`): readout,
            component bits, conventions, physical model and parameters, budget scope, classical
            hardware, head dimension d, bytes per value and baseline options. The old keywords
            (hardware, physical_model, precision, method, d, delta, grouped, conventions,
            physical_params, baseline_options, bytes_per_value) still work for one release.
        quantum_runtime: Replaces the quantum side: (model, N) -> seconds, (seconds,
            lower_bound) or a `QuantumPoint` (for checks and what-if studies).
        classical_runtime: Replaces the classical side: (baseline, N) -> seconds.
        **query_options: `QLACIQuery` options (d_q, layers, d_ctx, qram_options, ...).

    Returns:
        `CrossoverResult`: one record per (model, baseline), in input order.
    """
    scenario = fold_legacy(scenario, query_options, "crossover", LEGACY_CROSSOVER)
    models, baselines = list(models), list(baselines)
    options = {
        b: baseline_options_for(b, scenario.baseline_options, query_options) for b in baselines
    }
    hw = get_hardware(scenario.hardware)
    for b in baselines if classical_runtime is None else ():  # a supplied side names its own
        get_baseline(b, **options[b])
    notes: dict[str, None] = {}
    grid, quantum = _quantum_side(models, sizes, scenario, quantum_runtime, query_options, notes)
    classical = _classical_side(baselines, grid, scenario, hw, options, classical_runtime)
    records = [_record(m, b, grid, quantum[m], classical[b]) for m in models for b in baselines]
    if classical_runtime is None:
        _memory_notes(notes, baselines, grid, scenario, hw, options)
    for m in models:
        if traits(m).ASSUMED_ORACLE:
            notes[traits(m).ASSUMPTION_NOTE] = None
    assumptions = _assumptions(scenario, query_options, quantum_runtime, classical_runtime)
    return CrossoverResult(records, quantum, classical, grid, assumptions, list(notes))


def _quantum_side(models, sizes, scenario, quantum_runtime, query_options, notes) -> tuple:
    """(grid, model -> `QuantumPoint`s): each head's physical estimate, or the supplied
    function's values on the padded grid; the head rows' notes go into `notes`."""
    quantum: dict[str, list[QuantumPoint]] = {}
    if quantum_runtime is not None:
        grid = tuple(pad_cells(n)[0] for n in sizes)
        for model in models:
            quantum[model] = [_quantum_point(n, quantum_runtime(model, n)) for n in grid]
        return grid, quantum
    rows, head_notes = head_rows(models, sizes, scenario, **query_options)
    notes.update(dict.fromkeys(head_notes))
    for row in rows:
        e = head_estimate(row, scenario)
        point = QuantumPoint(
            row["N"],
            e.runtime_s,
            e.lower_bound,
            e.physical_qubits,
            e.limited_by,
            e.within_budget,
            e.notes,
            e.invalid_reason,
        )
        quantum.setdefault(row["model"], []).append(point)
    grid = tuple(p.N for p in quantum[models[0]]) if models else ()
    return grid, quantum


def _classical_side(baselines, grid, scenario, hw, options, classical_runtime) -> dict:
    """Baseline -> exact runtimes over the grid: roofline times, or the supplied function's."""
    d, bytes_per_value = scenario.head_dim, scenario.bytes_per_value
    classical: dict[str, list[Fraction]] = {}
    for b in baselines:
        if classical_runtime is not None:
            classical[b] = [_fraction(classical_runtime(b, n)) for n in grid]
        else:
            classical[b] = [
                _fraction(runtime_seconds(b, n, d, hw, bytes_per_value, **options[b])) for n in grid
            ]
    return classical


def _memory_notes(notes: dict, baselines, grid, scenario, hw, options) -> None:
    """A note for each baseline whose resident memory exceeds the hardware's on the grid."""
    d, bytes_per_value = scenario.head_dim, scenario.bytes_per_value
    for b in baselines:
        too_big = [
            n for n in grid if not fits_in_memory(b, n, d, hw, bytes_per_value, **options[b])
        ]
        if too_big:
            notes[
                f"{b}: one head's resident memory exceeds {hw.name}'s capacity from N = "
                f"{log2_text(too_big[0])}: its roofline time assumes unlimited memory (a "
                "multi-device run would be slower)"
            ] = None


def _assumptions(scenario, query_options, quantum_runtime, classical_runtime) -> list[str]:
    hw, d, bytes_per_value = scenario.hardware_spec, scenario.head_dim, scenario.bytes_per_value
    baseline_options, conventions = dict(scenario.baseline_options), scenario.conventions
    prec, method, delta = scenario.precision, scenario.method, scenario.delta
    physical_model = scenario.physical_model
    out = []
    if quantum_runtime is not None:
        out.append("quantum runtimes given by a user-supplied function (not estimated here)")
    else:
        family = PRESETS[physical_model][0]
        text = ", ".join(f"{k}={v}" for k, v in scenario.physical_assumptions().items())
        query = QLACIQuery(16, bits=scenario.component_bits, **query_options)
        out += [
            "quantum head: N QLACI queries, each run `shots` times (circuit calls per query), "
            "all one after another on one fault-tolerant machine: Toffoli, T, rotation and "
            "measurement counts and Toffoli depth = N x shots x those of one query; logical "
            "qubits = one query circuit's; the query's Toffoli depth is its stage-block "
            "schedule (an upper bound, QLACIQuery.BOUNDS), so a reaction-limited time can be "
            "overestimated by whatever a gate-level overlap of stages would save",
            f"QLACI query: d_q={query.d_q}, b={query.bits}, L={query.layers}, "
            f"d_k={query.d_k}, d_v={query.d_v}, n_kv={query.n_kv}, n_out={query.n_out}, "
            f"d_ctx={query.d_ctx}, r={query.reuploads}, feature map {query.feature_map}"
            + (f", QRAM options {dict(query.qram_options)}" if query.qram_options else ""),
            f"precision: {prec.describe()}; shots by {method}, delta={delta} per observable, "
            + ("observables grouped" if scenario.grouped else "observables measured separately"),
            f"physical model {physical_model} ({family}): {text}; runtime = the model's "
            "max(factory-limited, first magic state + reaction-limited) wall clock, the "
            "fastest point of its space-time frontier (physical.frontier: the automatic "
            "factory count, enough factories to keep pace with the schedule); a time flagged "
            "lower_bound by the model still supports a 'none' verdict but cannot establish a "
            "crossover, nor can an estimate outside its error budget (valid = false)",
            scenario.scope_note(),
            conventions.describe(),
        ]
    if classical_runtime is not None:
        out.append("classical runtimes given by a user-supplied function (not estimated here)")
    else:
        opts = f", options {baseline_options}" if baseline_options else ""
        out += [
            f"classical hardware: {hw.describe()}",
            f"classical head: d={d}, {bytes_per_value} bytes per value{opts}; roofline time "
            "max(FLOPs / peak FLOP/s, bytes moved / bandwidth) at peak throughput: a lower "
            "bound on a real kernel's time, i.e. favourable to the classical side",
            "qlaci-exact (when compared): QLACI's exact classical twin of the same query "
            "(every query's output from the N-position average state rho_bar, no shots, O(N) "
            "FLOPs in the query's "
            "sizes, d unused; docs/derivations/twin.md)",
        ]
    if quantum_runtime is None and classical_runtime is None:
        out.append(
            "hardware is not equalised: the classical side is one device, the quantum side gets "
            "every logical qubit of the query circuit and as many magic-state factories as its "
            "reaction limit needs (see physical_qubits); Jaques & Rattew, arXiv:2305.10310, "
            "argue the same hardware could run a massively parallel classical algorithm"
        )
    return out
