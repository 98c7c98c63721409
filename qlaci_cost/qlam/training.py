"""Training a QLAM layer priced: parameters read from the bloqs, circuit executions per gradient,
per epoch and in all, the physical estimate of the whole job and the classical comparison.

One example is one sequence of N tokens. Its *evaluation* is one readout protocol
(`protocols.protocol_cost`: final, every-step, time-pooled, query-dependent, ...) at the
evaluation's precision; its gradient costs the evaluations of the estimator
(`analysis.gradients`). The parameters are read from a concrete `QLAMStep` built with symbolic
angles: the L r m ansatz angles are shared by every step (N occurrences each in the
sequence), the d_in encoding angles of each token are the inputs (their gradients train the
encoding weights angle = w x + b); the query-dependent readout adds 2 m angles per query basis,
a shift of which changes only that basis's S runs. Derivation: docs/derivations/training.md.
"""

import functools
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, Optional

import attrs
import sympy

from qlaci_cost.analysis.gradients import (
    DEFAULT_ESTIMATOR,
    DEFAULT_SPSA_FACTOR,
    GradientCost,
    ParameterSpectrum,
    describe_estimator,
    parameter_spectra,
)
from qlaci_cost.analysis.scenario import Scenario, as_scenario
from qlaci_cost.analysis.training import (
    TrainingTable,
    TrainingTask,
    check_schedule,
    classical_training_seconds,
    device_columns,
    example_gradient,
    schedule_columns,
    training_task,
)
from qlaci_cost.errors import InputError
from qlaci_cost.physical.result import PhysicalEstimate
from qlaci_cost.qlam.classical import ssm_reference
from qlaci_cost.qlam.protocols import DEFAULT_CONFIG, ProtocolCost, QLAMConfig, scenario_cost
from qlaci_cost.qlam.query_readout import QueryReadout
from qlaci_cost.qlam.step import QLAMStep
from qlaci_cost.qlam.table import parse_protocol

__all__ = [
    "DEFAULT_BATCH",
    "TRAINING_PROTOCOLS",
    "example_cost",
    "job_estimate",
    "sequence_spectra",
    "step_spectra",
    "training_rows",
]

#: Protocols of the training rows by default (the sampled readouts of the unitary model).
TRAINING_PROTOCOLS = ("final", "every-step", "time-pooled", "query-dependent")
#: Examples per optimizer step (sets the optimizer steps, not the executions): an assumption.
DEFAULT_BATCH = 32


def _symbols(prefix: str, n: int) -> tuple:
    return sympy.symbols(f"{prefix}0:{n}", real=True) if n > 1 else (sympy.Symbol(prefix + "0"),)


@functools.cache
def step_spectra(config: QLAMConfig) -> tuple[ParameterSpectrum, ...]:
    """How the ansatz angles (weights) and one token's angles (inputs) enter one step, read
    from a `QLAMStep` whose angles are symbols (`gradients.parameter_spectra`)."""
    theta = _symbols("theta", config.layers * config.rotations * config.m)
    x = _symbols("x", config.d_in)
    step = QLAMStep(*config.circuit_sizes, token=x, params=theta)
    names = {s: ("ansatz angles", "weight") for s in theta}
    names.update({s: ("token angles", "input") for s in x})
    return tuple(parameter_spectra(step, names))


@functools.cache
def query_spectra(config: QLAMConfig) -> tuple[ParameterSpectrum, ...]:
    """The 2 m angles of one query basis (`QueryReadout` with symbolic angles)."""
    angles = _symbols("q", 2 * config.m)
    readout = QueryReadout(config.m, config.query_bases, angles=angles)
    return tuple(parameter_spectra(readout, {a: ("query angles", "weight") for a in angles}))


def sequence_spectra(config: QLAMConfig, protocol: str, N: Any) -> list[ParameterSpectrum]:
    """The parameters of one N-token evaluation: ansatz angles shared by the N steps, each
    token's angles its own (N copies), and the query-dependent readout's angles (G_q bases,
    a shift of one basis's angles re-running 1 / G_q of the evaluation)."""
    out = []
    for s in step_spectra(config):
        out.append(s.shared(N) if s.kind == "weight" else s.replicated(N))
    if protocol == "query-dependent":
        G = config.query_bases
        out += [s.replicated(G, Fraction(1, G)) for s in query_spectra(config)]
    return out


def job_estimate(cost: ProtocolCost, evaluations: Any, scenario: Scenario) -> PhysicalEstimate:
    """The physical estimate of `evaluations` evaluations of the protocol `cost` under the
    scenario's model and error-budget scope (`run`: the longest run at the per-run budget its
    eps needs, times the run-equivalents; `job`: every gate of every evaluation in one
    estimate). As `qlam.classical.quantum_runtime`, for many evaluations."""
    counts = cost.longest_run_counts
    scale = Fraction(evaluations)
    extensive = ("toffoli", "t_count", "rotations", "measurements", "toffoli_depth")
    job = {m: math.ceil(Fraction(cost.totals[f"total_{m}"]) * scale) for m in extensive}
    job["qubits"] = cost.run.qubits
    equivalents = Fraction(cost.step_executions) / cost.coherent_steps * scale
    span = cost.observable_range
    return scenario.estimate(counts, equivalents, cost.eps, counts=job, observable_range=span)


def example_cost(
    config: QLAMConfig,
    protocol: str,
    N: Any,
    estimator: str = DEFAULT_ESTIMATOR,
    scenario: Optional[Scenario] = None,
    inputs: bool = True,
    spsa_factor: Any = DEFAULT_SPSA_FACTOR,
) -> tuple[GradientCost, ProtocolCost, Scenario]:
    """One example's gradient: (the estimator's evaluations, the protocol cost of one
    evaluation at the evaluation's precision, that precision's scenario). Circuit runs per
    example = evaluations x the protocol's runs; step executions likewise."""
    scenario = as_scenario(scenario)
    base, override = parse_protocol(protocol)
    spectra = sequence_spectra(config, base, N)
    grad, evaluation = example_gradient(estimator, spectra, scenario, inputs, spsa_factor)
    return grad, scenario_cost(base, N, config, evaluation, method=override or None), evaluation


def _row(task, protocol, estimator, config, scenario, epochs, batch, spsa_factor, inputs):
    N = task.sequence_length
    base, override = parse_protocol(protocol)
    grad, cost, evaluation = example_cost(
        config, protocol, N, estimator, scenario, inputs, spsa_factor
    )
    per_example = Fraction(grad.evaluations) * Fraction(cost.runs)
    factor = Fraction(grad.steps_factor)
    evaluations_total = Fraction(grad.evaluations) * task.train_sequences * epochs * factor
    device = job_estimate(cost, evaluations_total, evaluation)
    forward = scenario_cost(base, N, config, scenario, method=override or None)
    test = job_estimate(forward, task.test_sequences, scenario)
    ssm = ssm_reference(N, hardware=scenario.hardware)["runtime_s"]
    return {
        "family": "qlam",
        "task": task.name,
        "model": cost.name,
        "gradient": estimator,
        "N": N,
        "layers": 1,
        "heads": 1,
        "parameters": grad.parameters,
        "input_angles": grad.inputs,
        **schedule_columns(grad, per_example, task, epochs, batch),
        "qubits": cost.run.qubits,
        "total_t_count": math.ceil(Fraction(cost.totals["total_t_count"]) * evaluations_total),
        **device_columns(device, test),
        "classical_time_s": classical_training_seconds(ssm, task.train_sequences, epochs),
        "epochs": epochs,
        "test_sequences": task.test_sequences,
        "hardware": scenario.hardware,
        "eps_evaluation": grad.eps_evaluation,
        "shots": cost.shots,
        "qram": "circuit",
        "_estimator": f"{cost.name}: " + describe_estimator(grad),
    }


def training_rows(
    task: Any = "smnist",
    protocols: Sequence[str] = TRAINING_PROTOCOLS,
    estimators: Sequence[str] = (DEFAULT_ESTIMATOR,),
    epochs: int = 1,
    config: QLAMConfig = DEFAULT_CONFIG,
    scenario: Optional[Scenario] = None,
    *,
    batch_size: int = DEFAULT_BATCH,
    spsa_factor: Any = DEFAULT_SPSA_FACTOR,
    inputs: bool = True,
) -> TrainingTable:
    """One row per (protocol, estimator): training one QLAM layer on `task` for `epochs`.

    Args:
        task: A `TrainingTask` or a name of `analysis.training.TASKS` (its features set d_in).
        protocols: Readout protocols (`table.PROTOCOL_NAMES`) whose evaluations are trained.
        estimators: Names of `gradients.ESTIMATORS`.
        epochs: E >= 1.
        config: The QLAM circuit (its d_in replaced by the task's features).
        scenario: Readout (abs:EPS), conventions, physical model, budget scope, hardware.
        batch_size: Examples per optimizer step (sets `optimizer_steps` only).
        spsa_factor: SPSA steps per step of a gradient method (an assumption).
        inputs: Differentiate the token angles (backpropagation into the encoding weights).

    Raises:
        InputError: a bad task, protocol, estimator, epochs, batch size or precision.
    """
    scenario = as_scenario(scenario)
    if scenario.precision.kind != "abs":
        raise InputError(
            f"precision {str(scenario.precision)!r} is not allowed for QLAM: use abs:EPS"
        )
    check_schedule(epochs, batch_size)
    task = task if isinstance(task, TrainingTask) else training_task(task)
    config = attrs.evolve(config, d_in=task.features)
    for p in protocols:
        try:
            parse_protocol(p)
        except ValueError as exc:
            raise InputError(str(exc)) from None
    rows = [
        _row(task, p, e, config, scenario, epochs, batch_size, spsa_factor, inputs)
        for p in protocols
        for e in estimators
    ]
    notes = _notes(task, config, rows, inputs)
    return TrainingTable(rows, notes)


def _notes(task, config, rows, inputs) -> list[str]:
    notes = [task.describe(), config.describe()]
    spectra = step_spectra(config)
    notes.append(
        "parameters read from a QLAMStep with symbolic angles: "
        + "; ".join(s.describe() for s in spectra)
        + f"; in the sequence every ansatz angle occurs in all N = {task.sequence_length:,} "
        "steps (N occurrences: 2 N shift evaluations each), each token's angles once"
        + ("" if inputs else " (input angles not differentiated)")
    )
    notes += list(dict.fromkeys(r.pop("_estimator") for r in rows))
    notes.append(
        "evaluations = per example (one sequence): forward + gradient, in units of one "
        "protocol evaluation; executions = circuit runs (each a fresh run from |0>); "
        "per epoch x the training sequences; total x epochs (x the SPSA factor); "
        "optimizer_steps = ceil(sequences / batch) x epochs"
    )
    notes.append(
        "device_time_s: physical estimate of all executions of the training job, one after "
        "another on one device, under the scenario's model and budget scope; test_inference_s: "
        "the forward evaluation of every test sequence; classical_time_s: the ssm-scan layer "
        "of the QLAM comparison (Mamba scan, d = 64, s = 16) trained by backpropagation, 3 x its "
        "roofline forward time per sequence (Kaplan et al. 2020), x sequences x epochs"
    )
    return notes
