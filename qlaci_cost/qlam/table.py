"""The QLAM tables: per-protocol rows (one run's circuit, step executions, runs, rounds and
totals), crossover rows against the SSM scan and the exact classical simulation, and the
paper-sized worked examples (sMNIST N = 784, sCIFAR-10 N = 1024).

`qlam_rows` is the one function behind `qlaci-cost qlam`, the benchmark and the report. The
step and readout summaries are derived once per (config, conventions) and every row is exact
integer arithmetic on them, so a row costs the same at N = 2^40 (or 2^200) as at N = 16.

Columns of `qlam_rows` (stable; the report reads them):

| column | meaning |
|---|---|
| `protocol` | `final`, `every-step`, `weak`, `time-pooled`, `query-dependent`, `-ae` variants |
| `N`, `m` | tokens, memory qubits |
| `qubits` ... `depth` | the nine `summary.METRICS` of ONE full-length run (N steps + readout) |
| `step_executions` | QLAM steps executed by all runs |
| `runs` | separate circuit executions (each from |0>) |
| `rounds` | results that must come back before the next circuits can be built |
| `coherent_depth` | depth of the longest run (AE: 2M - 1 sequence calls) |
| `total_toffoli`, `total_t_count`, `total_rotations`, `total_depth` | all runs, in sequence |

Each row dict also carries `shots`, `readouts`, `total_clifford`, `total_measurements`,
`total_toffoli_depth`, `total_t_depth`, `estimated_model` and `eps_refers_to`.
"""

import functools
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple, Optional

import attrs

from qlaci_cost.analysis.scenario import Scenario, fold_legacy
from qlaci_cost.analysis.shots import Precision
from qlaci_cost.core.summary import METRICS
from qlaci_cost.errors import InputError
from qlaci_cost.qlam.classical import (
    conditioning_flops,
    quantum_runtime,
    simulation_cost,
    simulation_crossover,
    ssm_reference,
)
from qlaci_cost.qlam.protocols import (
    DEFAULT_CONFIG,
    NO_AMPLITUDE_ESTIMATION,
    PROTOCOLS,
    QLAMConfig,
    protocol_cost,
    scenario_cost,
)
from qlaci_cost.qlam.step import DEPTH_BOUND_NOTE
from qlaci_cost.symbolics.symbols import N as N_SYMBOL

__all__ = [
    "COLUMNS",
    "CROSSOVER_COLUMNS",
    "PROTOCOL_NAMES",
    "WORKED_EXAMPLES",
    "QLAMTable",
    "crossover_rows",
    "parse_protocol",
    "qlam_rows",
    "worked_example_rows",
]

#: Protocol names of the rows: the sampling protocols, then the amplitude-estimation variants.
PROTOCOL_NAMES = (*PROTOCOLS, "final-ae", "every-step-ae")
COLUMNS: tuple[str, ...] = (
    "protocol",
    "N",
    "m",
    *METRICS,
    "step_executions",
    "runs",
    "rounds",
    "coherent_depth",
    "total_toffoli",
    "total_t_count",
    "total_rotations",
    "total_depth",
)
CROSSOVER_COLUMNS: tuple[str, ...] = (
    "protocol",
    "N",
    "m",
    "quantum_runtime_s",
    "ssm_scan_runtime_s",
    "simulation_runtime_s",
    "quantum_vs_ssm",
    "simulation_crossover_m",
    "max_m_in_memory",
)
#: Paper-sized examples: (name, N tokens, d_in features per token, what the sequence is).
WORKED_EXAMPLES = (
    ("sMNIST", 784, 1, "28 x 28 pixels, one grey value per token"),
    ("sCIFAR-10", 1024, 3, "32 x 32 pixels, three colour values per token"),
)

PER_RUN_NOTE = (
    "qubits ... depth are ONE full-length run of the QLAM circuit (N steps, then the readout; "
    "weak: N steps each with its weak readout; amplitude estimation: one call of the "
    "sequence); step_executions, runs, rounds and total_* count every run of the protocol, "
    "one after another on one device"
)
AE_NOTE = (
    "amplitude estimation (final-ae, every-step-ae): K observables x k repetitions (median) x "
    "(2M - 1) calls of the sequence or its inverse per run (Brassard-Hoyer-Mosca-Tapp Thm 12, "
    "analysis.shots.ae_calls); the readout stage stands for the marking of the -1 outcome; "
    "the phase register, reflections and inverse QFT are not counted (a lower bound)"
)
WEAK_NOTE = (
    "weak: S_theta = ceil(S / sin^2 theta) trajectories of N steps, each reading <X_anc> = "
    "sin(theta) <O> at every step; the estimates are of the MONITORED (dephased) model, a "
    "different model from the unitary QLAM the other protocols estimate"
)

#: What the protocols beyond final / weak are, stated with their rows.
PROTOCOL_NOTES = {
    "every-step": (
        "every-step: the estimate of <O_t> is fed back into token t + 1's encoding; this "
        "feedback is an assumption of ours, not the paper's (it makes the N rounds sequential; "
        "the step executions are the same without it)"
    ),
    "time-pooled": (
        "time-pooled: each shot runs a prefix of length t drawn uniformly from 1..N and reads "
        "one group, an unbiased +-1 sample of the pooled (1/N) sum_t <O_t>: G S runs, "
        "step_executions = G S (N + 1) / 2 in expectation (exact rational; the count of one "
        "execution is random, within N sqrt(G S ln(2/delta) / 2) of it with probability "
        "1 - delta, Hoeffding)"
    ),
    "query-dependent": (
        "query-dependent: G_q query bases (a parameter; default 10, one per class of the "
        "paper's 10-class tasks: an assumption), each read by its own S runs of N steps "
        "and a QueryReadout (2 m arbitrary rotations then m measurements; G_q S runs in all): "
        "the proposal's 'query-dependent measurements'"
    ),
}

#: Keywords the QLAM tables took before `scenario` (accepted for one release, with a warning).
LEGACY_QLAM: dict[str, str] = {
    "precision": "precision",
    "qlam_precision": "precision",
    "delta": "delta",
    "method": "method",
    "conventions": "conventions",
    "hardware": "hardware",
    "physical_model": "physical_model",
}


class QLAMTable(NamedTuple):
    """Rows (dicts with at least the keys `columns`), notes to print with them, columns."""

    rows: list[dict[str, Any]]
    notes: list[str]
    columns: tuple[str, ...]


def parse_protocol(name: str) -> tuple[str, str]:
    """(protocol, method override or '') of a row name: `final-ae` -> (`final`, AE)."""
    if name not in PROTOCOL_NAMES:
        allowed = ", ".join(PROTOCOL_NAMES)
        raise InputError(f"readout protocol {name!r} is not allowed: use one of {allowed}")
    if name.endswith("-ae"):
        return name.removesuffix("-ae"), "amplitude-estimation"
    return name, ""


@functools.cache
def _cost(protocol, n, config, precision, delta, method, union, conventions):
    return protocol_cost(protocol, n, config, precision, delta, method, union, conventions)


def _row(cost, config) -> dict[str, Any]:
    row = {"protocol": cost.name, "N": cost.N, "m": config.m, **cost.run.metrics()}
    row.update(
        step_executions=cost.step_executions,
        runs=cost.runs,
        rounds=cost.rounds,
        coherent_depth=cost.coherent_depth,
        **cost.totals,
        shots=cost.shots,
        readouts=cost.readouts,
        estimated_model=cost.estimated_model,
        eps_refers_to=cost.eps_refers_to,
    )
    return row


def _protocol_rows(
    protocol: str, override, name: str, sizes, config, scenario: Scenario, union: str, notes
) -> list[dict]:
    """One protocol's rows, size by size, and its notes (into `notes`): the scenario's method
    unless the name overrides it; sampled where amplitude estimation does not apply."""
    how = override or scenario.method
    if protocol in NO_AMPLITUDE_ESTIMATION and how == "amplitude-estimation":
        if override:  # pragma: no cover - parse_protocol has no weak-ae
            raise InputError(f"{name!r}: amplitude estimation is not allowed with {protocol}")
        how = "hoeffding"
        notes[f"{protocol}: sampled (amplitude estimation does not apply to it)"] = None
    precision, delta, conventions = scenario.precision, scenario.delta, scenario.conventions
    rows = []
    for n in sizes:
        cost = _cost(protocol, n, config, precision, delta, how, union, conventions)
        rows.append(_row(cost, config))
        eps = str(Precision("abs", cost.eps)).partition(":")[2]
        notes[f"{cost.name}: eps = {eps}: {cost.eps_refers_to}"] = None
    if how == "amplitude-estimation":
        notes[AE_NOTE] = None
    if protocol == "weak":
        notes[WEAK_NOTE] = None
    if protocol in PROTOCOL_NOTES:
        notes[PROTOCOL_NOTES[protocol]] = None
    return rows


def qlam_rows(
    sizes: Iterable[int],
    protocols: Sequence[str] = ("final",),
    config: QLAMConfig = DEFAULT_CONFIG,
    scenario: Optional[Scenario] = None,
    union: str = "none",
    *,
    symbolic: bool = False,
    **legacy: Any,
) -> QLAMTable:
    """One row per (protocol, N): one run's metrics, step executions, runs, rounds, totals.

    Args:
        sizes: Tokens N >= 1 (any size, no padding: QLAM has no address register). Ignored
            when `symbolic`.
        protocols: Names in `PROTOCOL_NAMES` (`final-ae` = `final` with amplitude estimation).
        config: The circuit (`QLAMConfig`).
        scenario: The `analysis.scenario.Scenario`: the readout precision (`abs:EPS`; QLAM
            has no 1/N share), delta, method (applies to every protocol that allows it) and
            the conventions. The old keywords conventions, precision, delta and method still
            work for one release.
        union: Union bound over `observables`, `steps`, `all` or `none` (default).
        symbolic: One row per protocol with expressions in N.

    Raises:
        InputError: naming a bad protocol, size, precision, method or union bound.
    """
    scenario = fold_legacy(scenario, legacy, "qlam_rows", LEGACY_QLAM)
    if legacy:
        raise TypeError(f"qlam_rows() got an unexpected keyword argument {next(iter(legacy))!r}")
    picked = [parse_protocol(p) for p in protocols]
    sizes = [N_SYMBOL] if symbolic else list(sizes)
    notes: dict[str, None] = {config.describe(): None, PER_RUN_NOTE: None}
    rows = []
    for (protocol, override), name in zip(picked, protocols):
        rows += _protocol_rows(protocol, override, name, sizes, config, scenario, union, notes)
    notes[f"the {DEPTH_BOUND_NOTE}"] = None
    notes[
        f"classical conditioning (not in the counts): 2 d_in = {2 * config.d_in} FLOPs per "
        "token to compute the encoding angles from x_t; a fault-tolerant device synthesizes "
        "each encoding rotation anew at every token"
    ] = None
    if symbolic:
        notes["N = tokens; ceiling(...) is exact (evaluate at N for integers)"] = None
    return QLAMTable(rows, list(notes), COLUMNS)


def crossover_rows(
    sizes: Iterable[int],
    protocols: Sequence[str] = ("final", "every-step", "weak"),
    config: QLAMConfig = DEFAULT_CONFIG,
    scenario: Optional[Scenario] = None,
    max_m: int = 64,
    union: str = "none",
    **legacy: Any,
) -> QLAMTable:
    """Quantum runtime against the SSM scan and the exact classical simulation, per N.

    Everything under `scenario` (readout, physical model, budget scope, classical hardware;
    the old keywords hardware, physical_model, precision, delta, method and conventions
    still work for one release). `simulation_crossover_m` is the smallest m at which the
    classical simulation is slower than the quantum device (None: not up to `max_m`);
    `max_m_in_memory` the largest m whose state fits in the classical machine's memory.
    Runtimes are floats of seconds; None where the quantum estimate is outside its error
    budget (not an estimate).
    """
    scenario = fold_legacy(scenario, legacy, "crossover_rows", LEGACY_QLAM)
    hardware, physical_model = scenario.hardware, scenario.physical_model
    rows = []
    for name in protocols:
        protocol, override = parse_protocol(name)
        for n in sizes:
            cost = scenario_cost(protocol, n, config, scenario, union, override or None)
            q = quantum_runtime(cost, scenario)
            ssm = ssm_reference(n, hardware=hardware)
            sim = simulation_cost(n, config, protocol, hardware)
            cross = simulation_crossover(
                n, protocol, config, max_m, scenario, union, override or None
            )
            valid = q["estimate"].valid  # outside its error budget: not an estimate
            rows.append(
                {
                    "protocol": cost.name,
                    "N": n,
                    "m": config.m,
                    "quantum_runtime_s": float(q["runtime_s"]) if valid else None,
                    "ssm_scan_runtime_s": float(ssm["runtime_s"]),
                    "simulation_runtime_s": float(sim.runtime_s),
                    "quantum_vs_ssm": float(q["runtime_s"] / ssm["runtime_s"]) if valid else None,
                    "simulation_crossover_m": cross["crossover_m"],
                    "max_m_in_memory": cross["max_m_in_memory"],
                }
            )
    notes = [
        config.describe(),
        f"quantum runtime: surface-code estimate ({physical_model}) of the longest run x "
        "step_executions / coherent_steps (qlam.classical.quantum_runtime)",
        scenario.scope_note(),
        f"{ssm_reference(1, hardware=hardware)['what']}, roofline on {hardware}",
        "exact classical simulation: state vector (density matrix for weak), 16 FLOPs and "
        "16 bytes per amplitude per gate, roofline (qlam.classical.simulation_cost)",
    ]
    return QLAMTable(rows, notes, CROSSOVER_COLUMNS)


def worked_example_rows(
    protocols: Sequence[str] = PROTOCOL_NAMES,
    config: QLAMConfig = DEFAULT_CONFIG,
    scenario: Optional[Scenario] = None,
    union: str = "none",
    **legacy: Any,
) -> list[dict[str, Any]]:
    """sMNIST (N = 784, d_in = 1) and sCIFAR-10 (N = 1024, d_in = 3) under every protocol,
    all under `scenario` (the old keywords still work for one release)."""
    scenario = fold_legacy(scenario, legacy, "worked_example_rows", LEGACY_QLAM)
    hardware = scenario.hardware
    rows = []
    for name, n, d_in, what in WORKED_EXAMPLES:
        cfg = attrs.evolve(config, d_in=d_in)
        for pname in protocols:
            protocol, override = parse_protocol(pname)
            cost = scenario_cost(protocol, n, cfg, scenario, union, override or None)
            q = quantum_runtime(cost, scenario)
            rows.append(
                {
                    "example": name,
                    "N": n,
                    "d_in": d_in,
                    "sequence": what,
                    "protocol": cost.name,
                    "step_executions": cost.step_executions,
                    "runs": cost.runs,
                    "rounds": cost.rounds,
                    **cost.totals,
                    "run_runtime_s": float(q["run_runtime_s"]),
                    "runtime_s": float(q["runtime_s"]),
                    "ssm_scan_runtime_s": float(ssm_reference(n, hardware=hardware)["runtime_s"]),
                    "simulation_runtime_s": float(
                        simulation_cost(n, cfg, protocol, hardware).runtime_s
                    ),
                    "conditioning_flops": conditioning_flops(n, cfg),
                }
            )
    return rows
