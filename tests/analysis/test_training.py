"""Training tasks (presets with overrides) and the claim "trainable at the paper's task scale"."""

import math
from fractions import Fraction

import pytest
import sympy

from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.analysis.training import (
    CLAIM,
    SECONDS_PER_YEAR,
    TASKS,
    TRAINABLE_SECONDS,
    classical_training_seconds,
    evaluation_scenario,
    schedule_columns,
    trainable_claims,
    training_task,
)
from qlaci_cost.errors import InputError


def test_presets_are_the_published_sizes():
    # The QLAM paper's tasks: MNIST 60,000 / 10,000 images of 28 x 28; CIFAR-10 50,000 /
    # 10,000 of 32 x 32 x 3.
    assert (
        TASKS["smnist"].sequence_length,
        TASKS["smnist"].train_sequences,
        TASKS["smnist"].test_sequences,
        TASKS["smnist"].features,
    ) == (784, 60000, 10000, 1)
    assert (
        TASKS["scifar10"].sequence_length,
        TASKS["scifar10"].train_sequences,
        TASKS["scifar10"].test_sequences,
        TASKS["scifar10"].features,
    ) == (1024, 50000, 10000, 3)
    gpt2 = TASKS["gpt2-small"]
    assert (gpt2.heads, gpt2.layers, gpt2.sequence_length) == (12, 12, 1024)
    assert gpt2.train_sequences == math.ceil(9e9 / 1024)
    assert all("preset" in t.describe() for t in TASKS.values())


def test_overrides():
    task = training_task("smnist", sequence_length=1000)
    assert task.train_sequences == 60000 and task.train_tokens == 60000 * 1000
    task = training_task("gpt2-small", train_tokens=2048, test_tokens=1)
    assert (task.train_sequences, task.test_sequences) == (2, 1)
    assert training_task("smnist") is TASKS["smnist"]
    for bad in (dict(heads=0), dict(layers=-1), dict(train_tokens=0), dict(sequence_length=1.5)):
        with pytest.raises(InputError, match="not allowed"):
            training_task("smnist", **bad)
    with pytest.raises(InputError, match="task 'mnist'"):
        training_task("mnist")


def _row(gradient, seconds, valid=True, layers=1):
    return {"family": "qlam", "model": "final", "task": "smnist", "gradient": gradient,
            "device_time_s": seconds, "epochs": 2, "layers": layers, "valid": valid, "N": 784,
            "test_sequences": 10000, "test_inference_s": 5.0, "classical_time_s": 1.0,
            "hardware": "h100"}  # fmt: skip


def test_claim_is_judged_on_the_cheapest_epoch_of_the_whole_model():
    year = TRAINABLE_SECONDS
    holds = trainable_claims([_row("parameter-shift", 100 * year), _row("spsa", 1.5 * year)])
    assert holds[0]["verdict"] == "holds" and "spsa" in holds[0]["evidence"]  # 0.75 y / epoch
    assert holds[0]["claim"] == CLAIM and holds[0]["model"] == "qlam final (smnist)"
    fails = trainable_claims([_row("spsa", 1.5 * year, layers=2)])  # 1.5 years per epoch
    assert fails[0]["verdict"] == "fails"
    invalid = trainable_claims([_row("spsa", 1.0, valid=False)])
    assert invalid[0]["verdict"] == "fails" and "not valid" in invalid[0]["evidence"]


def test_classical_training_is_three_forward_passes():
    assert classical_training_seconds(2, 10, 3) == 3 * 2 * 10 * 3
    assert SECONDS_PER_YEAR == 365.25 * 86400


def test_evaluation_scenario_keeps_or_sets_the_precision():
    """The estimator's precision: the scenario itself when it is the scenario's eps, else the
    same scenario at abs:eps; a scenario of given shots has no precision to change."""
    scenario = Scenario()
    assert evaluation_scenario(scenario, scenario.eps(16), 16) is scenario
    finer = evaluation_scenario(scenario, sympy.Rational(1, 10**5), 16)
    assert str(finer.precision) == "abs:0.00001" and finer.eps(16) == sympy.Rational(1, 10**5)
    assert finer.evolve(precision=scenario.precision) == scenario
    with pytest.raises(InputError, match="finite differences need a precision"):
        evaluation_scenario(Scenario(shots=1000), sympy.Rational(1, 10**5))


def test_schedule_columns_count_runs_per_epoch_and_steps():
    """2 evaluations x 3 runs per example, 10 sequences, 2 epochs, batch 4, SPSA factor 5:
    by hand 60 runs per epoch, 600 in total, ceil(10 / 4) x 2 x 5 = 30 steps."""

    class Grad:
        evaluations, steps_factor = 2, 5

    columns = schedule_columns(Grad, Fraction(6), _Task(10), 2, 4)
    assert columns == {
        "evaluations": 2,
        "executions_per_gradient": 6,
        "executions_per_epoch": 60,
        "executions_total": 600,
        "optimizer_steps": 30,
    }
    assert all(type(v) is int for v in columns.values())


class _Task:
    def __init__(self, train_sequences: int):
        self.train_sequences = train_sequences
