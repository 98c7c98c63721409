"""QLAM training priced: the gradient of the bloqs against finite differences, the executions
counted against the formula, and the rows against the inference tables they multiply."""

import math

import pytest
import sympy

from qlaci_cost.analysis.gradients import ParameterSpectrum
from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.analysis.shots import hoeffding_shots
from qlaci_cost.analysis.training import COLUMNS, SECONDS_PER_YEAR, trainable_claims
from qlaci_cost.errors import InputError
from qlaci_cost.qlam.classical import quantum_runtime, ssm_reference
from qlaci_cost.qlam.gradient_check import check_gradient, check_training_executions
from qlaci_cost.qlam.protocols import protocol_cost
from qlaci_cost.qlam.table import worked_example_rows
from qlaci_cost.qlam.training import training_rows

#: Hoeffding shots at eps = 0.01, delta = 0.05: ceil(2 ln(40) / 0.01^2).
S = math.ceil(2 * math.log(40) / 1e-4)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_parameter_shift_of_the_bloqs_equals_finite_differences(n):
    result = check_gradient(2, n)
    assert result.ok, result.line()


def test_executor_counts_the_priced_executions():
    result = check_training_executions(2, 3)
    assert result.ok, result.line()


def test_pricing_a_shared_angle_once_is_caught(monkeypatch):
    """The check can fail: pricing each ansatz angle as one occurrence (2 evaluations, as if
    the N steps did not share it) disagrees with the evaluations the executor needs."""
    monkeypatch.setattr(ParameterSpectrum, "shared", lambda self, copies: self)
    result = check_gradient(2, 3)
    assert not result.ok and "priced" in result.detail


@pytest.mark.slow  # reason: m = 3, N = 4: ~100 evaluations of a 3-qubit, 4-step circuit
def test_larger_gradient_checks():
    for check in (check_gradient(3, 4), check_training_executions(3, 4)):
        assert check.ok, check.line()


@pytest.fixture(scope="module")
def smnist():
    table = training_rows("smnist", estimators=("parameter-shift", "finite-difference", "spsa"))
    return {(r["model"], r["gradient"]): r for r in table.rows}, table


def test_smnist_parameter_shift_counts(smnist):
    rows, table = smnist
    row = rows["final", "parameter-shift"]
    assert set(COLUMNS) <= set(row) and table.columns == COLUMNS
    # L r m = 2 x 2 x 8 = 32 ansatz angles, each in all 784 steps (2 x 784 evaluations each);
    # 784 token angles (d_in = 1), 2 each; plus the forward: 1 + 2 x 32 x 784 + 2 x 784.
    assert row["parameters"] == 32 and row["input_angles"] == 784
    assert row["evaluations"] == 1 + 2 * 32 * 784 + 2 * 784 == 51745
    assert row["executions_per_gradient"] == 51745 * S  # final: G S runs, G = 1
    assert row["executions_per_epoch"] == 51745 * S * 60000
    assert row["executions_total"] == row["executions_per_epoch"]
    assert row["optimizer_steps"] == 60000 // 32 + (60000 % 32 > 0)
    step_t = protocol_cost("final", 784).totals["total_t_count"]
    assert row["total_t_count"] == step_t * 51745 * 60000


def test_device_and_inference_time_multiply_the_worked_example(smnist):
    rows, _ = smnist
    example = {(r["example"], r["protocol"]): r for r in worked_example_rows(["final"])}
    one = example["sMNIST", "final"]["runtime_s"]  # one sequence read out (run scope)
    row = rows["final", "parameter-shift"]
    assert row["test_inference_s"] == pytest.approx(10000 * one, rel=1e-12)
    assert row["device_time_s"] == pytest.approx(51745 * 60000 * one, rel=1e-12)
    assert row["device_years"] == pytest.approx(row["device_time_s"] / SECONDS_PER_YEAR)
    spsa = rows["final", "spsa"]
    assert spsa["evaluations"] == 2 and spsa["device_time_s"] == pytest.approx(
        2 * 60000 * one, rel=1e-12
    )
    ssm = float(ssm_reference(784)["runtime_s"])
    assert row["classical_time_s"] == pytest.approx(3 * ssm * 60000, rel=1e-12)


def test_finite_differences_read_each_evaluation_finer(smnist):
    rows, _ = smnist
    fd = rows["final", "finite-difference"]
    assert fd["evaluations"] == 1 + 2 * 32 + 2 * 784
    assert fd["eps_evaluation"] == sympy.Rational(433, 500000)  # sqrt(0.03) 0.01 / 2, 3 digits
    assert fd["shots"] == hoeffding_shots(fd["eps_evaluation"], "0.05")
    assert fd["executions_per_gradient"] == fd["evaluations"] * fd["shots"]


def test_protocols_and_query_angles(smnist):
    rows, _ = smnist
    pooled = rows["time-pooled", "parameter-shift"]
    assert pooled["executions_per_gradient"] == 51745 * S  # G S runs of random prefixes
    final = rows["final", "parameter-shift"]
    assert pooled["device_time_s"] == pytest.approx(final["device_time_s"] * 785 / 1568, rel=1e-9)
    query = rows["query-dependent", "parameter-shift"]
    # + 2 m G_q = 160 query angles; a shift of one basis's angle re-runs 1/G_q of the runs:
    # 2 x 160 / 10 = 32 more evaluations.
    assert query["parameters"] == 32 + 160 and query["evaluations"] == 51745 + 32
    assert query["executions_per_gradient"] == (51745 + 32) * 10 * S


def test_scifar10_and_epochs():
    table = training_rows("scifar10", ["final"], epochs=3)
    (row,) = table.rows
    assert row["N"] == 1024 and row["input_angles"] == 3 * 1024
    assert row["evaluations"] == 1 + 2 * 32 * 1024 + 2 * 3 * 1024
    assert row["executions_total"] == 3 * row["executions_per_epoch"]
    cost = protocol_cost("final", 1024)
    one = float(quantum_runtime(cost)["runtime_s"])
    assert row["device_time_s"] == pytest.approx(3 * 50000 * row["evaluations"] * one, rel=1e-9)


def test_claim_fails_at_the_papers_scale(smnist):
    rows, _ = smnist
    claims = trainable_claims(list(rows.values()))
    (claim,) = [c for c in claims if c["model"] == "qlam final (smnist)"]
    assert claim["verdict"] == "fails" and "device-years per epoch" in claim["evidence"]
    assert "10,000 test sequences" in claim["evidence"]


def test_job_scope_and_bad_input():
    job = training_rows("smnist", ["final"], scenario=Scenario(budget_scope="job"))
    assert job.rows[0]["executions_total"] == 51745 * S * 60000
    with pytest.raises(InputError, match="epochs"):
        training_rows("smnist", epochs=0)
    with pytest.raises(InputError, match="abs:EPS"):
        training_rows("smnist", scenario=Scenario(precision="rel:0.1"))
    with pytest.raises(InputError, match="readout protocol"):
        training_rows("smnist", ["stream"])
    with pytest.raises(InputError, match="task"):
        training_rows("mnist")
