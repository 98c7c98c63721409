"""Training tasks (presets with overrides) and the claim "trainable at the paper's task scale"."""

import math

import pytest

from qlaci_cost.analysis.training import (
    CLAIM,
    SECONDS_PER_YEAR,
    TASKS,
    TRAINABLE_SECONDS,
    classical_training_seconds,
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
