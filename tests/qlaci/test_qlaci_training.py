"""QLACI training priced: the gradient of a small query bloq against finite differences of the
position average, the executions counted against the formula, and the rows against the head
estimates they multiply."""

import math

import pytest

from qlaci_cost.analysis.baselines import get_baseline
from qlaci_cost.analysis.roofline import runtime_seconds
from qlaci_cost.analysis.training import trainable_claims, training_task
from qlaci_cost.errors import InputError
from qlaci_cost.qlaci.gradient_check import check_gradient, check_training_executions
from qlaci_cost.qlaci.head_rows import head_estimate, head_rows
from qlaci_cost.qlaci.training import training_rows

S = math.ceil(2 * math.log(40) / 1e-4)  # Hoeffding at eps 0.01, delta 0.05: 73,778


def test_parameter_shift_of_the_query_bloq_equals_finite_differences():
    result = check_gradient(2, "qrom")
    assert result.ok, result.line()


def test_executor_counts_the_priced_executions():
    result = check_training_executions(2, "qrom")
    assert result.ok, result.line()


@pytest.mark.slow  # reason: a 20-qubit bucket-brigade query and an N = 4 query, ~60 evaluations
def test_gradient_checks_other_sizes_and_models():
    for result in (check_gradient(2, "bucket-brigade"), check_gradient(4, "qrom"),
                   check_training_executions(4, "qrom")):  # fmt: skip
        assert result.ok, result.line()


@pytest.fixture(scope="module")
def gpt2():
    return training_rows("gpt2-small", ["bucket-brigade", "ideal"], ["parameter-shift", "spsa"])


def test_gpt2_layer_counts(gpt2):
    rows = {(r["model"], r["gradient"]): r for r in gpt2.rows}
    row = rows["bucket-brigade", "parameter-shift"]
    # A head: U(theta) 2 (d_q + n_kv) L = 12, U(phi) 2 (d_q + n_kv + n_out) L = 14, 2
    # feature-map scales (d_k + d_v); 12 heads.
    assert row["parameters"] == 12 * 28 and row["input_angles"] == 12 * 1024 * 4
    # Evaluations in layer units: forward 1; 26 one-rotation weights x 2; 2 scales x 8 (each
    # drives 2 b = 4 rotations, 2 evaluations each); 4 query angles x 2 (one query's share
    # 1 / N of a head, N queries).
    assert row["evaluations"] == 1 + 26 * 2 + 2 * 8 + 4 * 2 == 77
    assert row["executions_per_gradient"] == 77 * 12 * 1024 * S
    assert row["executions_per_epoch"] == row["executions_per_gradient"] * math.ceil(9e9 / 1024)
    assert row["layers"] == 12 and row["qram"] == "circuit"
    assert rows["ideal", "spsa"]["qram"] == "assumed oracle"
    assert rows["ideal", "spsa"]["executions_per_gradient"] == 2 * 12 * 1024 * S


def test_times_multiply_the_head_estimate(gpt2):
    row = next(r for r in gpt2.rows if r["model"] == "bucket-brigade"
               and r["gradient"] == "parameter-shift")  # fmt: skip
    head = head_rows(["bucket-brigade"], [1024])[0][0]
    one = float(head_estimate(head).runtime_s)  # one head, N queries read out (run scope)
    task = training_task("gpt2-small")
    assert row["test_inference_s"] == pytest.approx(12 * task.test_sequences * one, rel=1e-9)
    assert row["device_time_s"] == pytest.approx(77 * 12 * task.train_sequences * one, rel=1e-9)
    flash = float(runtime_seconds(get_baseline("flash"), 1024, 64, "h100"))
    assert row["classical_time_s"] == pytest.approx(3 * 12 * flash * task.train_sequences)


def test_smnist_one_head_and_claim():
    table = training_rows("smnist", ["select-swap"])
    (row,) = table.rows
    assert row["N"] == 1024 and row["layers"] == 1 and row["parameters"] == 28
    assert any("padded" in n for n in table.notes)
    assert any("W_K, W_V" in n for n in table.notes)
    (claim,) = trainable_claims(table.rows)
    assert claim["verdict"] == "fails" and claim["model"] == "qlaci select-swap (smnist)"


def test_overrides_and_bad_input():
    task = training_task("gpt2-small", sequence_length=256, heads=2, layers=3, train_tokens=10**6)
    assert task.train_sequences == math.ceil(10**6 / 256)
    (row,) = training_rows(task, ["qrom"]).rows
    assert row["N"] == 256 and row["parameters"] == 2 * 28 and row["layers"] == 3
    assert training_rows(task, ["qrom"], inputs=False).rows[0]["evaluations"] == 1 + 52 + 16
    with pytest.raises(InputError, match="task"):
        training_rows("imagenet")
    with pytest.raises(ValueError, match="QRAM model"):
        training_rows("smnist", ["nope"])
    with pytest.raises(InputError, match="query option"):
        training_rows("smnist", ["qrom"], d_z=3)
    with pytest.raises(InputError, match="heads"):
        training_task("gpt2-small", heads=0)
