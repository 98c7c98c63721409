"""Classical references for QLAM: the SSM scan (`analysis.classical`'s `ssm-scan` baseline) and
the exact classical simulation of QLAM itself, against the quantum device's physical runtime.

Exact classical simulation (a state-space model over 2^m complex amplitudes,
docs/derivations/qlam.md): a single-qubit gate on an m-qubit state vector makes every new
amplitude a sum of two products, 2 complex multiply-adds per amplitude = 16 real FLOPs per
amplitude (a complex multiply-add is 8 real FLOPs); a CNOT permutes amplitudes (no FLOPs).
Every gate reads and writes the vector (complex64, 8 bytes per amplitude: 16 bytes per
amplitude of traffic). Reading K Z-type observables: |a|^2 (3 FLOPs) and K signed sums
(1 FLOP each) per amplitude. The simulation is exact (no shots), and reads every step's
expectations in the same single pass. The monitored (weak) model needs the density matrix:
4^m entries, each gate applied from both sides. Runtimes are rooflines (max of compute and
traffic time at peak): a lower bound, favourable to the classical side.

The quantum runtime is a surface-code estimate under the scenario's error-budget scope
(docs/derivations/error-budget.md): `run`, one full-length run (its code distance then
suffices for every shorter run) at the per-run budget its precision needs, times the
run-equivalents step_executions / coherent_steps (runs one after another on one device);
`job`, the protocol's totals in one estimate. The same rule as a QLACI head's.
"""

import functools
import warnings
from fractions import Fraction
from typing import Any, Optional

import attrs
import sympy
from attrs import frozen

from qlaci_cost.analysis.classical import SSMScan, get_hardware, runtime_seconds
from qlaci_cost.analysis.scenario import Scenario, as_scenario
from qlaci_cost.core.conventions import Conventions
from qlaci_cost.qlam.encoding import CONDITIONING_FLOPS_PER_FEATURE
from qlaci_cost.qlam.protocols import (
    DEFAULT_CONFIG,
    ProtocolCost,
    QLAMConfig,
    part_summary,
    scenario_cost,
)

__all__ = [
    "BYTES_PER_AMPLITUDE",
    "DEFAULT_SSM_STATE",
    "DEFAULT_SSM_WIDTH",
    "SimulationCost",
    "quantum_runtime",
    "simulation_cost",
    "simulation_crossover",
    "ssm_reference",
]

#: complex64 amplitudes.
BYTES_PER_AMPLITUDE = 8
FLOPS_PER_AMPLITUDE_PER_GATE = 16
#: The SSM baseline compared with QLAM: d channels of state size s (Mamba's default s = 16).
DEFAULT_SSM_WIDTH = 64
DEFAULT_SSM_STATE = 16


def ssm_reference(
    N: Any,
    d: int = DEFAULT_SSM_WIDTH,
    state: int = DEFAULT_SSM_STATE,
    hardware: str = "h100",
) -> dict[str, Any]:
    """FLOPs per token, per sequence and roofline runtime of the `ssm-scan` baseline."""
    scan = SSMScan(state=state)
    seconds = runtime_seconds(scan, N, d, hardware)
    return {
        "flops_per_token": scan.flops(1, d),
        "flops": scan.flops(N, d),
        "runtime_s": Fraction(int(sympy.numer(seconds)), int(sympy.denom(seconds))),
        "what": f"ssm-scan baseline (Mamba selective scan), d = {d} channels, state s = {state}",
    }


@frozen
class SimulationCost:
    """Exact classical simulation of one QLAM pass over N tokens."""

    flops: int
    traffic_bytes: int
    memory_bytes: int
    runtime_s: Fraction
    fits_in_memory: bool
    what: str


def _gates(config: QLAMConfig) -> tuple[int, int]:
    """(single-qubit rotations, CNOTs) per step, from the step's own counts."""
    from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS

    s = part_summary(config, "step", lambda: config.step(False), DEFAULT_CONVENTIONS)
    return int(s.rotations), int(s.clifford)


def simulation_cost(
    N: int, config: QLAMConfig = DEFAULT_CONFIG, protocol: str = "final", hardware: str = "h100"
) -> SimulationCost:
    """FLOPs, traffic and roofline time of the exact classical simulation of QLAM.

    `final` and `every-step`: one state-vector pass (2^m amplitudes), reading the K
    expectations once (final) or after every step (every-step). `weak`: the monitored model's
    density matrix (4^m entries, gates applied from both sides, K dephasings per step).
    """
    m, K = config.m, config.n_observables
    rot, cnot = _gates(config)
    hw = get_hardware(hardware)
    if protocol == "weak":
        size, sides = 4**m, 2
        per_step_flops = sides * rot * FLOPS_PER_AMPLITUDE_PER_GATE * size + K * size
        per_step_bytes = (sides * (rot + cnot) + K) * 2 * BYTES_PER_AMPLITUDE * size
        reads, what = N, "density matrix (4^m entries), monitored model"
    else:
        size = 2**m
        per_step_flops = rot * FLOPS_PER_AMPLITUDE_PER_GATE * size
        per_step_bytes = (rot + cnot) * 2 * BYTES_PER_AMPLITUDE * size
        # every-step and time-pooled read every step's expectations; query-dependent reads
        # the final state once per query basis (its rotations are not counted).
        reads = {"every-step": N, "time-pooled": N, "query-dependent": config.query_bases}
        reads = reads.get(protocol, 1)
        what = "state vector (2^m amplitudes), exact expectations, no shots"
    read_flops = (3 + K) * size
    read_bytes = BYTES_PER_AMPLITUDE * size
    flops = N * per_step_flops + reads * read_flops
    traffic = N * per_step_bytes + reads * read_bytes
    memory = BYTES_PER_AMPLITUDE * size
    runtime = max(
        Fraction(flops) / Fraction(int(hw.peak_flops)),
        Fraction(traffic) / Fraction(int(hw.bandwidth)),
    )
    fits = memory <= hw.memory_bytes
    return SimulationCost(flops, traffic, memory, runtime, bool(fits), f"{what} on {hw.name}")


def conditioning_flops(N: Any, config: QLAMConfig = DEFAULT_CONFIG) -> Any:
    """Classical FLOPs to compute every token's encoding angles (w x + b per feature)."""
    return CONDITIONING_FLOPS_PER_FEATURE * config.d_in * N


@functools.cache
def _scoped(run: tuple, runs: Fraction, job: tuple, eps: Any, span: Any, scenario: Scenario):
    return scenario.estimate(dict(run), runs, eps, counts=dict(job), observable_range=span)


def runtime_scenario(scenario: Any = None, conventions: Optional[Conventions] = None) -> Scenario:
    """The scenario of `quantum_runtime` and the functions on it: a `Scenario`, or the old
    (physical model name, conventions) pair, accepted for one release with a warning."""
    if isinstance(scenario, str) or conventions is not None:
        warnings.warn(
            "quantum_runtime(cost, model, conventions) is deprecated: pass "
            "scenario=Scenario(physical_model=..., conventions=...)",
            DeprecationWarning,
            stacklevel=3,
        )
        base = as_scenario(None)
        if isinstance(scenario, str):
            base = base.evolve(physical_model=scenario)
        elif scenario is not None:
            base = as_scenario(scenario)
        return base.evolve(conventions=conventions) if conventions is not None else base
    return as_scenario(scenario)


def quantum_runtime(
    cost: ProtocolCost, scenario: Any = None, conventions: Optional[Conventions] = None
) -> dict[str, Any]:
    """Surface-code runtime of a protocol under `scenario`'s model and error-budget scope.

    The longest run is `coherent_steps` steps (with amplitude estimation, 2M - 1 calls of the
    sequence in one coherent run); run-equivalents = step_executions / coherent_steps. Scope
    `run`: the longest run estimated at the per-run budget its eps needs (observable range 2,
    or 2 / sin(theta) for the weak readout's rescaled ancilla), times the run-equivalents;
    `job`: the protocol's totals in one estimate (`run_runtime_s` is then runtime / the
    run-equivalents). The old call `quantum_runtime(cost, model, conventions)` works for one
    release.
    """
    scenario = runtime_scenario(scenario, conventions)
    counts = cost.longest_run_counts
    totals = cost.totals
    job = {m: totals[f"total_{m}"] for m in ("toffoli", "t_count", "rotations", "measurements")}
    job.update(qubits=cost.run.qubits, toffoli_depth=totals["total_toffoli_depth"])
    equivalents = Fraction(cost.step_executions, cost.coherent_steps)
    est = _scoped(
        tuple(sorted(counts.items())),
        equivalents,
        tuple(sorted(job.items())),
        cost.eps,
        cost.observable_range,
        scenario,
    )
    return {
        "run_runtime_s": est.run_runtime_s or est.runtime_s / equivalents,
        "runtime_s": est.runtime_s,
        "physical_qubits": est.physical_qubits,
        "code_distance": est.code_distance,
        "within_budget": est.within_budget,
        "estimate": est,
    }


def simulation_crossover(
    N: int,
    protocol: str = "final",
    config: QLAMConfig = DEFAULT_CONFIG,
    max_m: int = 64,
    scenario: Any = None,
    union: str = "none",
    method: Optional[str] = None,
) -> dict[str, Any]:
    """The smallest m at which the exact classical simulation is slower than the quantum device.

    For every m from 2 to `max_m` (K = m when the config reads one Z per qubit), the quantum
    runtime of the protocol (readout, physical model and budget scope of `scenario`) and the
    classical simulation's roofline time on the scenario's hardware. Returns the first m
    where classical > quantum (None if none up to max_m), the largest m whose state fits in the
    classical machine's memory, and the per-m rows.
    """
    scenario = as_scenario(scenario)
    rows = []
    crossover: Optional[int] = None
    for m in range(2, max_m + 1):
        k_default = config.n_observables == config.m
        cfg = attrs.evolve(
            config,
            m=m,
            n_observables=m if k_default else config.n_observables,
            ancillas=m if k_default and config.ancillas == config.m else config.ancillas,
        )
        cost = scenario_cost(protocol, N, cfg, scenario, union, method)
        q = quantum_runtime(cost, scenario)
        c = simulation_cost(N, cfg, protocol, scenario.hardware)
        rows.append(
            {
                "m": m,
                "quantum_s": q["runtime_s"],
                "classical_s": c.runtime_s,
                "fits": c.fits_in_memory,
            }
        )
        if crossover is None and c.runtime_s > q["runtime_s"]:
            crossover = m
    fit = [r["m"] for r in rows if r["fits"]]
    return {"crossover_m": crossover, "max_m_in_memory": max(fit) if fit else None, "rows": rows}
