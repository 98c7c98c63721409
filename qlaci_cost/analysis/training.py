"""Training priced, what both families share: task presets, the table's columns (and the ones
both compute alike from a gradient's cost), the classical training time model and the claim
"trainable at the paper's task scale".

Tasks are presets (sequence length, dataset sizes and, for QLACI, a transformer shape).

Each task is a PRESET: the sizes of a published task or model, stated with their source, not
a measurement of this toolkit. `training_task(name, ...)` returns one with any of its sizes
overridden (sequence length, heads, layers, dataset tokens), so a preset is a starting point.

- `smnist`, `scifar10`: the QLAM paper's tasks (arXiv:2605.13833): sequential MNIST, 60,000
  training and 10,000 test sequences of 784 tokens (28 x 28 pixels, one grey value per token);
  sequential CIFAR-10, 50,000 and 10,000 sequences of 1,024 tokens (32 x 32 pixels, three
  colour values per token). A QLACI model on them defaults to one hybrid layer of one head.
- `gpt2-small`: a transformer preset for QLACI: GPT-2 small's shape (12 layers of 12 heads,
  context 1,024; Radford et al. 2019) trained on OpenWebText, ~9.0e9 training and ~4.4e6
  validation tokens with GPT-2's tokenizer (as nanoGPT prepares it: approximate sizes).
"""

from collections.abc import Sequence
from fractions import Fraction
from typing import Any, NamedTuple, Optional

import attrs
from attrs import frozen

from qlaci_cost.core.numbers import count_text, quantity_text, size_text
from qlaci_cost.errors import InputError

__all__ = [
    "check_schedule",
    "device_columns",
    "evaluation_scenario",
    "example_gradient",
    "schedule_columns",
    "BACKWARD_FACTOR",
    "CLAIM",
    "COLUMNS",
    "PRESET_NOTE",
    "SECONDS_PER_YEAR",
    "TASKS",
    "TRAINABLE_SECONDS",
    "TrainingTable",
    "TrainingTask",
    "classical_training_seconds",
    "trainable_claims",
    "training_task",
]

#: Columns of the training tables (`qlam.training`, `qlaci.training`), in order.
COLUMNS: tuple[str, ...] = (
    "family",
    "task",
    "model",
    "gradient",
    "N",
    "layers",
    "heads",
    "parameters",
    "input_angles",
    "evaluations",
    "executions_per_gradient",
    "executions_per_epoch",
    "executions_total",
    "optimizer_steps",
    "qubits",
    "total_t_count",
    "device_time_s",
    "device_years",
    "physical_qubits",
    "valid",
    "test_inference_s",
    "classical_time_s",
)
#: A Julian year.
SECONDS_PER_YEAR = 365.25 * 24 * 3600
#: Training = forward + backward, the backward pass at twice the forward's cost (the 6 N D
#: rule of Kaplan et al. 2020, arXiv:2001.08361, Section 2.1): 3 x the forward pass.
BACKWARD_FACTOR = 3
#: "Trainable on one machine": one epoch of the whole model within a year of device time.
TRAINABLE_SECONDS = SECONDS_PER_YEAR
CLAIM = "trainable at the paper's task scale on one fault-tolerant machine"


class TrainingTable(NamedTuple):
    """Rows (dicts with at least the keys `COLUMNS`), notes to print with them, columns."""

    rows: list[dict[str, Any]]
    notes: list[str]
    columns: tuple[str, ...] = COLUMNS


def classical_training_seconds(forward_seconds: Any, examples: int, epochs: int) -> float:
    """Classical training time: `BACKWARD_FACTOR` x the forward pass per example, x examples
    x epochs (a roofline forward time: a lower bound on the real kernel's)."""
    return float(Fraction(forward_seconds) * BACKWARD_FACTOR * examples * epochs)


PRESET_NOTE = "a preset (published sizes, stated with their source), not a measurement"


@frozen
class TrainingTask:
    """A training task: what one epoch and the test set are.

    Attributes:
        name: Short name (`TASKS` key).
        title: What it is.
        sequence_length: N, tokens per sequence.
        train_sequences, test_sequences: Sequences in one epoch and in the test set.
        features: Values per token (QLAM's d_in).
        heads, layers: The QLACI model's heads per hybrid layer and hybrid layers.
        source: Where the sizes come from.
    """

    name: str
    title: str
    sequence_length: int
    train_sequences: int
    test_sequences: int
    features: int
    heads: int
    layers: int
    source: str

    def __attrs_post_init__(self):
        for key in (
            "sequence_length",
            "train_sequences",
            "test_sequences",
            "features",
            "heads",
            "layers",
        ):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InputError(f"{key}={value!r} is not allowed: an integer >= 1 is needed")

    @property
    def train_tokens(self) -> int:
        return self.train_sequences * self.sequence_length

    def describe(self) -> str:
        return (
            f"task {self.name} ({self.title}): N = {self.sequence_length:,} tokens per sequence, "
            f"{self.train_sequences:,} training and {self.test_sequences:,} test sequences, "
            f"{self.features} value(s) per token; QLACI shape {self.layers} hybrid layer(s) of "
            f"{self.heads} head(s); {PRESET_NOTE}: {self.source}"
        )


def _sequences(tokens: int, n: int) -> int:
    return -(-tokens // n)


#: OpenWebText with GPT-2's tokenizer (nanoGPT's split): ~9.0e9 training, ~4.4e6 test tokens.
_OWT_TRAIN_TOKENS = 9_000_000_000
_OWT_TEST_TOKENS = 4_400_000

TASKS: dict[str, TrainingTask] = {
    "smnist": TrainingTask(
        "smnist",
        "sequential MNIST",
        784,
        60_000,
        10_000,
        1,
        1,
        1,
        "the QLAM paper's task (arXiv:2605.13833); MNIST has 60,000 training and 10,000 test "
        "images of 28 x 28 pixels (LeCun et al. 1998), one pixel per token",
    ),
    "scifar10": TrainingTask(
        "scifar10",
        "sequential CIFAR-10",
        1024,
        50_000,
        10_000,
        3,
        1,
        1,
        "the QLAM paper's task (arXiv:2605.13833); CIFAR-10 has 50,000 training and 10,000 "
        "test images of 32 x 32 pixels (Krizhevsky 2009), one RGB pixel per token",
    ),
    "gpt2-small": TrainingTask(
        "gpt2-small",
        "a GPT-2-small-shaped transformer on OpenWebText",
        1024,
        _sequences(_OWT_TRAIN_TOKENS, 1024),
        _sequences(_OWT_TEST_TOKENS, 1024),
        768,
        12,
        12,
        "GPT-2 small: 12 layers, 12 heads, context 1,024 (Radford et al. 2019); OpenWebText "
        "tokenized for GPT-2: ~9.0e9 training and ~4.4e6 validation tokens (approximate)",
    ),
}


def training_task(
    name: str,
    sequence_length: Optional[int] = None,
    heads: Optional[int] = None,
    layers: Optional[int] = None,
    train_tokens: Optional[int] = None,
    test_tokens: Optional[int] = None,
) -> TrainingTask:
    """The preset `name` with the sizes given replaced. Dataset tokens set the sequences
    (ceil(tokens / N)); a new N alone keeps the number of sequences.

    Raises:
        InputError: an unknown task or a size that is not an integer >= 1.
    """
    if name not in TASKS:
        raise InputError(f"task {name!r} is not allowed: use one of {', '.join(TASKS)}")
    task = TASKS[name]
    changes: dict[str, Any] = {}
    for key, value in (("sequence_length", sequence_length), ("heads", heads), ("layers", layers)):
        if value is not None:
            changes[key] = value
    n = changes.get("sequence_length", task.sequence_length)
    for key, tokens in (("train_sequences", train_tokens), ("test_sequences", test_tokens)):
        if tokens is not None:
            if isinstance(tokens, bool) or not isinstance(tokens, int) or tokens < 1:
                raise InputError(
                    f"{key.split('_')[0]} tokens={tokens!r} is not allowed: an "
                    "integer >= 1 is needed"
                )
            changes[key] = _sequences(tokens, n)
    return attrs.evolve(task, **changes) if changes else task


def _years(seconds: float) -> str:
    return f"{quantity_text(seconds / SECONDS_PER_YEAR)} device-years"


def trainable_claims(rows: Sequence[dict]) -> list[dict[str, Any]]:
    """The claim rows "trainable at the paper's task scale on one fault-tolerant machine",
    one per (family, model, task) of training `rows`: holds when the cheapest estimator's
    epoch of the whole model (layers x one layer) fits in `TRAINABLE_SECONDS` of device time
    with a valid estimate, fails otherwise; the evidence gives every estimator's epoch, the
    test-set inference and the classical training time."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault((row["family"], row["model"], row["task"]), []).append(row)
    out = []
    for (family, model, task), group in groups.items():
        epochs = {r["gradient"]: r["layers"] * r["device_time_s"] / r["epochs"] for r in group}
        best = min(epochs, key=epochs.get)
        valid = all(r["valid"] for r in group if r["gradient"] == best)
        holds = valid and epochs[best] <= TRAINABLE_SECONDS
        first = group[0]
        parts = [f"{g}: {_years(t)} per epoch" for g, t in epochs.items()]
        parts.append(
            f"inference over the {count_text(first['test_sequences'])} test sequences: "
            f"{_years(first['layers'] * first['test_inference_s'])}"
        )
        parts.append(
            f"classical training of the same layer(s) on {first['hardware']}: "
            + quantity_text(first["layers"] * first["classical_time_s"] / first["epochs"])
            + " s per epoch"
        )
        evidence = (
            f"{task}, {first['layers']} layer(s), N = {size_text(first['N'])}: "
            + "; ".join(parts)
            + f"; the cheapest ({best}) is {'within' if holds else 'beyond'} one year per "
            "epoch" + ("" if valid else " (its physical estimate is not valid)")
        )
        out.append(
            {
                "claim": CLAIM,
                "key": "trainable",
                "model": f"{family} {model} ({task})",
                "qram": first.get("qram", "circuit"),
                "verdict": "holds" if holds else "fails",
                "evidence": evidence,
            }
        )
    return out


def check_schedule(epochs: int, batch: int) -> None:
    """Epochs and batch size are integers >= 1 (`InputError` names the one that is not)."""
    for name, value in (("epochs", epochs), ("batch size", batch)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InputError(f"{name}={value!r} is not allowed: an integer >= 1 is needed")


def evaluation_scenario(scenario: Any, eps_evaluation: Any, N: Any = None) -> Any:
    """The scenario one gradient's circuit evaluations run under: `scenario` itself when the
    estimator's precision `eps_evaluation` is the scenario's eps (at sequence length N), else
    the scenario at the additive precision `eps_evaluation` (finite differences).

    Raises:
        InputError: the precision differs and the scenario fixes the shots instead.
    """
    from qlaci_cost.analysis.precision import Precision  # sympy: not at import (`--help`)

    if eps_evaluation == scenario.eps(N):
        return scenario
    if scenario.shots is not None:
        raise InputError(
            "finite differences need a precision, not given shots: drop shots from the scenario"
        )
    return scenario.evolve(precision=Precision("abs", eps_evaluation))


def example_gradient(
    estimator: str, spectra: Sequence[Any], scenario: Any, inputs: bool, spsa_factor: Any, N=None
) -> tuple[Any, Any]:
    """One example's gradient by `estimator` over the parameters `spectra` at the scenario's
    eps (at sequence length N; `gradients.gradient_cost`), and the scenario its circuit
    evaluations run under (`evaluation_scenario`)."""
    from qlaci_cost.analysis.gradients import gradient_cost  # sympy: not at import (`--help`)

    grad = gradient_cost(estimator, spectra, scenario.eps(N), inputs, spsa_factor)
    return grad, evaluation_scenario(scenario, grad.eps_evaluation, N)


def schedule_columns(grad: Any, per_example: Any, task: TrainingTask, epochs: int, batch: int):
    """The columns `evaluations` .. `optimizer_steps` of a training row, from one example's
    gradient cost `grad` (`gradients.GradientCost`) and its circuit runs `per_example`: per
    epoch x the task's training sequences, in total x epochs (x the SPSA steps factor)."""
    from qlaci_cost.symbolics.exact import integral  # sympy: not at import (`--help`)

    factor = Fraction(grad.steps_factor)
    return {
        "evaluations": integral(Fraction(grad.evaluations)),
        "executions_per_gradient": integral(per_example),
        "executions_per_epoch": integral(per_example * task.train_sequences),
        "executions_total": integral(per_example * task.train_sequences * epochs * factor),
        "optimizer_steps": integral(-(-task.train_sequences // batch) * epochs * factor),
    }


def device_columns(device: Any, test: Any) -> dict[str, Any]:
    """The columns `device_time_s` .. `test_inference_s` of a training row, from the physical
    estimates of the training job (`device`) and of the test set's forward runs (`test`)."""
    return {
        "device_time_s": float(device.runtime_s),
        "device_years": float(device.runtime_s) / SECONDS_PER_YEAR,
        "physical_qubits": device.physical_qubits,
        "valid": bool(device.valid),
        "test_inference_s": float(test.runtime_s),
    }
