"""Training a QLACI hybrid layer priced: per head and per layer of the hybrid block.

One example is one sequence of N tokens; one *evaluation* of a layer runs its H heads, each
N queries read out at the evaluation's precision (`QLACIHead`: N x runs per query circuit
runs). The parameters are read from a concrete `QLACIQuery` built with symbolic angles: the
interaction U(theta), the aggregation U(phi) and the feature map's angle scales are a head's
weights (shared by its N queries); the query angles Q_i (d_q, each uploaded r times) are
inputs, their gradients training W_Q. A shift of one head's weight changes that head only
(1 / H of a layer evaluation); a shift of query i's angle changes query i only (1 / (N H)).
The keys and values reach the circuit as bits through the QRAM: no shift rule differentiates
them, so W_K and W_V get no gradient through QLACI (stated, not priced).
Derivation: docs/derivations/training.md.
"""

import functools
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, Optional

from qlaci_cost.analysis.baselines import get_baseline
from qlaci_cost.analysis.gradients import (
    DEFAULT_ESTIMATOR,
    DEFAULT_SPSA_FACTOR,
    GradientCost,
    ParameterSpectrum,
    describe_estimator,
    parameter_spectra,
)
from qlaci_cost.analysis.roofline import runtime_seconds
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
from qlaci_cost.qlaci.head_rows import head_counts, head_rows, head_run_counts
from qlaci_cost.qlaci.query import QLACIQuery
from qlaci_cost.qlaci.table import QUERY_OPTIONS
from qlaci_cost.qram import MODELS, model_class, traits
from qlaci_cost.qram.interface import pad_cells

__all__ = [
    "CLASSICAL_BASELINE",
    "DEFAULT_BATCH",
    "example_cost",
    "head_spectra",
    "layer_spectra",
    "training_rows",
]

#: Examples (sequences) per optimizer step: sets the optimizer steps only (an assumption).
DEFAULT_BATCH = 32
#: The classical layer trained for comparison: H heads of exact softmax attention (flash).
CLASSICAL_BASELINE = "flash"
#: Sequence length of the small concrete query the parameters are read from (they do not
#: depend on N: the trainable stages act after the load).
_READ_AT = 2


def _angles(prefix: str, n: int) -> tuple:
    import sympy

    return tuple(sympy.Symbol(f"{prefix}{i}", real=True) for i in range(int(n)))


@functools.cache
def head_spectra(options: tuple = ()) -> tuple[ParameterSpectrum, ...]:
    """How a head's weights and one query's angles enter the query circuit, read from a
    `QLACIQuery` (N = 2, the given options) whose angles are symbols."""
    size_only = QLACIQuery(_READ_AT, **dict(options))
    n_fm = size_only.d_k + size_only.d_v
    query = QLACIQuery(
        _READ_AT,
        **dict(options),
        query=_angles("q", size_only.d_q),
        keys=[[0] * size_only.d_k, [1] * size_only.d_k],
        values=[[1] * size_only.d_v, [0] * size_only.d_v],
        fm_angles=_angles("f", n_fm) if size_only.feature_map == "controlled-rotations" else None,
        theta=_angles("t", size_only.interaction.n_parameters),
        phi=_angles("p", size_only.aggregation.n_parameters),
    )
    names = {s: ("U(theta) angles", "weight") for s in query.theta}
    names.update({s: ("U(phi) angles", "weight") for s in query.phi})
    names.update({s: ("feature-map scales", "weight") for s in query.fm_angles or ()})
    names.update({s: ("query angles", "input") for s in query.query})
    return tuple(parameter_spectra(query, names))


def layer_spectra(options: tuple, N: int, heads: int) -> list[ParameterSpectrum]:
    """The parameters of one layer evaluation (H heads of N queries), shares in units of it:
    a head's weight 1 / H, a query's angle 1 / (N H)."""
    out = []
    for s in head_spectra(options):
        if s.kind == "weight":
            out.append(s.replicated(heads, Fraction(1, heads)))
        else:
            out.append(s.replicated(N * heads, Fraction(1, N * heads)))
    return out


@functools.cache
def _head_row(model: str, N: int, scenario: Scenario, options: tuple) -> dict:
    rows, _ = head_rows([model], [N], scenario, **dict(options))
    return rows[0]


def job_estimate(row: dict, heads_evaluations: Any, scenario: Scenario) -> PhysicalEstimate:
    """The physical estimate of `heads_evaluations` head evaluations (each N queries x runs
    per query) of the head `row`, under the scenario's model and budget scope."""
    run, runs = head_run_counts(row)
    scale = Fraction(heads_evaluations)
    total = runs * scale
    total = total.numerator if total.denominator == 1 else total
    job = {
        k: (None if v is None else math.ceil(Fraction(v) * scale))
        for k, v in head_counts(row).items()
    }
    job["qubits"] = row["qubits"]
    return scenario.estimate(run, total, scenario.eps(row["N"]), counts=job)


def example_cost(
    model: str,
    N: int,
    heads: int = 1,
    estimator: str = DEFAULT_ESTIMATOR,
    scenario: Optional[Scenario] = None,
    options: tuple = (),
    inputs: bool = True,
    spsa_factor: Any = DEFAULT_SPSA_FACTOR,
) -> tuple[GradientCost, dict, Scenario]:
    """One example's gradient for a layer of `heads` heads at N (a power of two): (the
    estimator's evaluations in layer units, the head row at the evaluation's precision
    (`qlaci.head_rows`), that precision's scenario). Circuit runs per example =
    evaluations x heads x N x the row's runs per query."""
    scenario = as_scenario(scenario)
    spectra = layer_spectra(options, N, heads)
    grad, evaluation = example_gradient(estimator, spectra, scenario, inputs, spsa_factor, N)
    return grad, _head_row(model, N, evaluation, options), evaluation


def _row(task, model, estimator, scenario, options, epochs, batch, spsa_factor, inputs):
    N, _ = pad_cells(task.sequence_length)
    H = task.heads
    grad, row, evaluation = example_cost(
        model, N, H, estimator, scenario, options, inputs, spsa_factor
    )
    runs_per_head = N * row["runs_per_query"]
    per_example = Fraction(grad.evaluations) * H * runs_per_head
    factor = Fraction(grad.steps_factor)
    head_evaluations = Fraction(grad.evaluations) * H * task.train_sequences * epochs * factor
    device = job_estimate(row, head_evaluations, evaluation)
    test = job_estimate(_head_row(model, N, scenario, options), H * task.test_sequences, scenario)
    d, bpv = scenario.head_dim, scenario.bytes_per_value
    attention = runtime_seconds(get_baseline(CLASSICAL_BASELINE), N, d, scenario.hardware, bpv)
    classical = classical_training_seconds(
        Fraction(int(attention.p), int(attention.q)) * H, task.train_sequences, epochs
    )
    assumed = traits(model).ASSUMED_ORACLE
    return {
        "family": "qlaci",
        "task": task.name,
        "model": model,
        "gradient": estimator,
        "N": N,
        "layers": task.layers,
        "heads": H,
        "parameters": grad.parameters,
        "input_angles": grad.inputs,
        **schedule_columns(grad, per_example, task, epochs, batch),
        "qubits": row["qubits"],
        "total_t_count": math.ceil(Fraction(row["total_t_count"]) * head_evaluations),
        **device_columns(device, test),
        "classical_time_s": classical,
        "epochs": epochs,
        "test_sequences": task.test_sequences,
        "hardware": scenario.hardware,
        "eps_evaluation": grad.eps_evaluation,
        "shots": row["shots"],
        "qram": "assumed oracle" if assumed else "circuit",
        "_estimator": f"{model}: " + describe_estimator(grad),
    }


def _options(query_options: dict, scenario: Scenario) -> tuple:
    for name in query_options:
        if name not in QUERY_OPTIONS:
            raise InputError(
                f"query option {name!r} is not allowed: use one of {', '.join(QUERY_OPTIONS)}"
            )
    merged = {**query_options, "bits": scenario.component_bits}
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in merged.items()))


def training_rows(
    task: Any = "gpt2-small",
    models: Sequence[str] = MODELS,
    estimators: Sequence[str] = (DEFAULT_ESTIMATOR,),
    epochs: int = 1,
    scenario: Optional[Scenario] = None,
    *,
    batch_size: int = DEFAULT_BATCH,
    spsa_factor: Any = DEFAULT_SPSA_FACTOR,
    inputs: bool = True,
    **query_options: Any,
) -> TrainingTable:
    """One row per (QRAM model, estimator): training one hybrid layer (H QLACI heads) on `task`.

    Args:
        task: A `TrainingTask` or a name of `analysis.training.TASKS` (N padded to 2^k).
        models: QRAM models of the query circuit.
        estimators: Names of `gradients.ESTIMATORS`.
        epochs: E >= 1.
        scenario: Readout, component bits, conventions, physical model, budget scope, hardware.
        batch_size: Sequences per optimizer step (sets `optimizer_steps` only).
        spsa_factor: SPSA steps per step of a gradient method (an assumption).
        inputs: Differentiate the query angles (backpropagation into W_Q).
        **query_options: `QLACIQuery` options (`qlaci.table.QUERY_OPTIONS`).

    Raises:
        InputError: a bad task, model, estimator, epochs, batch size or option.
    """

    scenario = as_scenario(scenario)
    check_schedule(epochs, batch_size)
    task = task if isinstance(task, TrainingTask) else training_task(task)
    for model in models:
        model_class(model)
    options = _options(query_options, scenario)
    rows = [
        _row(task, m, e, scenario, options, epochs, batch_size, spsa_factor, inputs)
        for m in models
        for e in estimators
    ]
    return TrainingTable(rows, _notes(task, options, rows, inputs))


def _notes(task, options, rows, inputs) -> list[str]:
    N, pad = pad_cells(task.sequence_length)
    notes = [task.describe()] + ([pad] if pad else [])
    notes.append(
        "query circuit: QLACIQuery with "
        + (", ".join(f"{k} = {v}" for k, v in options) or "its defaults")
        + "; parameters read from it with symbolic angles: "
        + "; ".join(s.describe() for s in head_spectra(options))
        + ("" if inputs else " (query angles not differentiated)")
    )
    notes.append(
        "each row is ONE hybrid layer of H heads: parameters = H x a head's weights, input "
        "angles = H N d_q query angles; the model has `layers` such layers (its totals are "
        "layers x a row's); keys and values are loaded as bits by the QRAM, so no gradient "
        "reaches W_K, W_V through QLACI (not priced)"
    )
    notes += list(dict.fromkeys(r.pop("_estimator") for r in rows))
    notes.append(
        "evaluations = per example (one sequence) in units of one layer evaluation (H heads x "
        "N queries x runs per query); executions = circuit runs; per epoch x the training "
        "sequences; total x epochs (x the SPSA factor)"
    )
    notes.append(
        "device_time_s: physical estimate of all executions of one layer's training, one "
        "after another on one device (scenario model and budget scope); classical_time_s: H "
        f"heads of {CLASSICAL_BASELINE} attention (d = scenario head dimension) trained by "
        "backpropagation, 3 x the roofline forward time (Kaplan et al. 2020), x sequences x "
        "epochs"
    )
    if any(r["qram"] != "circuit" for r in rows):
        notes.append("ideal: an ASSUMED oracle (c (log2 N)^k per load), not a circuit")
    return notes
