"""`qlaci-cost estimate`: the readout options of `qlaci` (--shots included), --frontier,
invalid rows left empty, and the microsoft-like model against Microsoft's estimator."""

import csv
import io
import json
import math

import pytest

from qlaci_cost import cli, physical
from qlaci_cost.qlaci.table import qlaci_rows


def run(argv, capsys):
    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def csv_rows(text: str) -> list[dict]:
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(body)))


def one_run(row):
    """One circuit execution's counts, by hand from a `qlaci_rows` row."""
    keys = ("qubits", "toffoli", "t_count", "rotations", "measurements", "toffoli_depth", "t_depth")
    return {k: row[k] for k in keys}


def test_one_circuit_run_with_shots_1(capsys):
    argv = ["estimate", "--n", "16,256", "--qram", "ideal,qrom", "--level", "query",
            "--shots", "1", "--physical-model", "microsoft-like", "--format", "csv"]  # fmt: skip
    status, out, err = run(argv, capsys)
    assert status == 0 and err.startswith("# Conventions: ")  # csv notes on stderr
    rows = csv_rows(out)
    table = qlaci_rows(["ideal", "qrom"], [16, 256], "query", shots=1)
    assert len(rows) == 4
    for row, ref in zip(rows, table.rows):
        assert int(row["shots"]) == 1 == ref["shots"]
        e = physical.estimate(one_run(ref), "microsoft-like")
        assert int(row["physical_qubits"]) == e.physical_qubits
        # Times in CSV: 4 significant digits (exact values are in JSON, below).
        assert float(row["runtime_s"]) == float(f"{float(e.runtime_s):.4g}")
        assert row["valid"] == "true" and float(row["failure_probability"]) <= 1e-3
        assert float(row["first_state_latency_s"]) == float(f"{float(e.first_state_latency_s):.4g}")


def test_readout_options_reach_the_counts(capsys):
    base = ["estimate", "--n", "16", "--qram", "ideal", "--level", "query", "--format", "json"]
    docs = {}
    for extra in ([], ["--amplitude-estimation"], ["--method", "clt"], ["--delta", "0.01"],
                  ["--precision", "abs:0.05"]):  # fmt: skip
        status, out, _ = run(base + extra, capsys)
        assert status == 0
        docs[tuple(extra)] = json.loads(out)["rows"][0]["shots"]
    ref = qlaci_rows(
        ["ideal"], [16], "query", precision="abs:0.01", method="amplitude-estimation"
    ).rows[0]["shots"]
    assert docs[("--amplitude-estimation",)] == ref
    assert len(set(docs.values())) == len(docs)  # every option changes the shots


@pytest.mark.parametrize(
    "extra, fragment",
    [
        (["--shots", "0"], "--shots"),
        (["--shots", "3", "--amplitude-estimation"], "--shots is not allowed"),
        (["--delta", "2"], "--delta"),
        (["--frontier", "--microsoft"], "--microsoft is not allowed with --frontier"),
    ],
)
def test_bad_readout_options_exit_2(capsys, extra, fragment):
    status, out, err = run(["estimate", "--n", "16", "--qram", "ideal", *extra], capsys)
    assert status == 2 and out == "" and fragment in err and "Traceback" not in err


def test_frontier_rows_equal_physical_frontier(capsys):
    argv = ["estimate", "--n", "16", "--qram", "ideal", "--level", "query", "--shots", "1",
            "--frontier", "--format", "csv"]  # fmt: skip
    status, out, err = run(argv, capsys)
    assert status == 0 and err.startswith("# Conventions: ")  # csv notes on stderr
    rows = csv_rows(out)
    ref = qlaci_rows(["ideal"], [16], "query", shots=1).rows[0]
    points = physical.frontier_rows(one_run(ref))
    assert [int(r["n_factories"]) for r in rows] == [p["n_factories"] for p in points]
    assert [int(r["physical_qubits"]) for r in rows] == [p["physical_qubits"] for p in points]
    assert [float(r["runtime_s"]) for r in rows] == [float(f"{p['runtime_s']:.4g}") for p in points]
    assert len(rows) >= 2 and "# Note: --frontier: the space-time frontier" in err
    status, out, _ = run([*argv[:-1], "json"], capsys)  # JSON: the exact times
    assert [r["runtime_s"] for r in json.loads(out)["rows"]] == [p["runtime_s"] for p in points]


def test_invalid_rows_print_no_estimate(capsys):
    # A 2^40 bucket-brigade head at p = 1e-3 under one 1e-2 budget for all its ~8e16 runs
    # (--budget-scope job) needs ~1e-30 per CCZ state: beyond every supported factory, so the
    # row is marked invalid and left empty. Each run at its own budget (the default scope run,
    # 5e-4 per run) is a valid estimate.
    argv = ["estimate", "--n", "2^40", "--qram", "bucket-brigade", "--format", "csv"]
    status, out, err = run([*argv, "--budget-scope", "job"], capsys)
    assert status == 0
    (row,) = csv_rows(out)
    assert row["valid"] == "false" and row["within_budget"] == "false"
    assert "no supported factory" in row["invalid_reason"]
    assert row["physical_qubits"] == row["runtime_s"] == row["code_distance"] == ""
    assert float(row["failure_probability"]) == 1.0
    assert row["budget_scope"] == "job" and float(row["error_budget"]) == 1e-2
    status, out, err = run(argv, capsys)
    (row,) = csv_rows(out)
    assert row["valid"] == "true" and row["budget_scope"] == "run"
    assert float(row["error_budget"]) == 5e-4 and int(row["runs"]) == 2**40 * 73778
    assert "error budget scope run" in err


def test_microsoft_like_columns_match_msft_columns(capsys):
    argv = ["estimate", "--n", "16,1024", "--qram", "bucket-brigade,select-swap", "--level",
            "query", "--shots", "1", "--physical-model", "microsoft-like", "--cycle-time-us",
            "1", "--error-budget", "0.01", "--microsoft", "--format", "csv"]  # fmt: skip
    status, out, err = run(argv, capsys)
    assert status == 0 and err.startswith("# Conventions: ")  # csv notes on stderr
    for row in csv_rows(out):
        q = int(row["physical_qubits"]) / int(row["msft_physical_qubits"])
        t = float(row["runtime_s"]) / float(row["msft_runtime_s"])
        assert 0.8 <= q <= 1.25 and 0.8 <= t <= 1.25, row


def strict_json(text: str) -> dict:
    """JSON that standard readers accept: no NaN or Infinity."""

    def refuse(name):
        raise AssertionError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


def test_sizes_up_to_2_to_the_1000_give_an_answer(capsys):
    # The grid accepts 2^1000: every row an estimate or an invalid row that says why.
    for model in ("gidney-fowler", "beverland", "microsoft-like"):
        argv = ["estimate", "--n", "16,2^1000", "--qram", "ideal", "--physical-model", model,
                "--format", "json"]  # fmt: skip
        status, out, err = run(argv, capsys)
        assert status == 0 and "Traceback" not in err
        small, huge = strict_json(out)["rows"]
        assert small["valid"] is True and huge["N"] == str(2**1000)
        assert huge["valid"] or (huge["invalid_reason"] and huge["physical_qubits"] is None)


def test_amplitude_estimation_rows_are_lower_bounds(capsys):
    base = ["estimate", "--n", "16", "--qram", "ideal", "--level", "query", "--format", "json"]
    status, out, _ = run(base, capsys)
    assert status == 0 and strict_json(out)["rows"][0]["lower_bound"] is False
    status, out, _ = run([*base, "--amplitude-estimation"], capsys)
    doc = strict_json(out)
    assert status == 0 and doc["rows"][0]["lower_bound"] is True
    assert any(n.startswith("lower_bound = true on every row") for n in doc["notes"])


def test_invalid_rows_are_null_in_json(capsys):
    # The row of test_invalid_rows_print_no_estimate, as JSON: numbers null, not "".
    argv = ["estimate", "--n", "2^40", "--qram", "bucket-brigade", "--format", "json",
            "--budget-scope", "job"]  # fmt: skip
    status, out, _ = run(argv, capsys)
    (row,) = strict_json(out)["rows"]
    assert status == 0 and row["valid"] is False and row["invalid_reason"]
    for column in ("physical_qubits", "code_distance", "n_factories", "runtime_s", "runtime",
                   "first_state_latency_s", "factory", "limited_by"):  # fmt: skip
        assert row[column] is None, column
    assert int(row["t_states"]) > 0 and int(row["measurements"]) > 0  # counts: kept (> 2^53: text)


@pytest.mark.parametrize("model", ["microsoft-like", "beverland", "gidney-fowler"])
def test_t_states_follow_the_models_synthesis_not_the_conventions_eps(capsys, model):
    rows = {}
    for eps in ("1e-6", "1e-9"):
        argv = ["estimate", "--n", "16", "--qram", "ideal", "--level", "query", "--shots", "1",
                "--physical-model", model, "--eps", eps, "--format", "json"]  # fmt: skip
        status, out, _ = run(argv, capsys)
        assert status == 0
        rows[eps] = strict_json(out)["rows"][0]
    a, b = rows["1e-6"], rows["1e-9"]
    assert a["total_t_count"] != b["total_t_count"]  # the conventions' T count moves with eps
    assert a["t_states"] == b["t_states"]  # the model's does not
    # By hand: T gates outside Toffolis and rotations (the conventions' t_count less 4 per
    # Toffoli and ceil(0.53 log2(1/eps) + 5.3) = 16 per rotation at eps = 1e-6), plus 4 per
    # Toffoli and the model's T per rotation at its rotation share of the budget.
    r, tof = a["total_rotations"], a["total_toffoli"]
    t_gates = a["total_t_count"] - 4 * tof - 16 * r
    budget, offset = {"microsoft-like": (1e-3, 4.86), "beverland": (1e-3, 5.3),
                      "gidney-fowler": (1e-2, 5.3)}[model]  # fmt: skip
    t_rot = math.ceil(0.53 * math.log2(r / (budget / 3)) + offset)
    assert a["t_states"] == t_gates + 4 * tof + r * t_rot
    ref = qlaci_rows(["ideal"], [16], "query", shots=1).rows[0]
    assert a["measurements"] == ref["measurements"]


_UNIT_SECONDS = {"us": 1e-6, "ms": 1e-3, "s": 1, "min": 60, "h": 3600, "days": 86400,
                 "years": 365.25 * 86400}  # fmt: skip


def test_runtimes_have_four_digits_and_a_unit(capsys):
    argv = ["estimate", "--n", "16,1024", "--qram", "ideal,bucket-brigade"]
    status, md, _ = run([*argv, "--format", "md"], capsys)
    status_json, out, _ = run([*argv, "--format", "json"], capsys)
    assert status == status_json == 0
    exact = [r["runtime_s"] for r in strict_json(out)["rows"]]
    lines = [line for line in md.splitlines() if line.startswith(("| ideal", "| bucket-brigade"))]
    header = [c.strip() for c in md.splitlines()[0].strip("|").split("|")]
    assert len(lines) == len(exact) == 4
    for line, seconds in zip(lines, exact):
        cells = dict(zip(header, (c.strip() for c in line.strip("|").split("|"))))
        assert float(cells["runtime_s"]) == float(f"{seconds:.4g}")  # 4 significant digits
        value, unit = cells["runtime"].split(" ")
        human = float(value.replace(",", "")) * _UNIT_SECONDS[unit]
        assert human == pytest.approx(seconds, rel=5e-3)  # 3 digits in its unit
        assert unit == "s" or float(value.replace(",", "")) >= 1  # the largest unit that fits


def test_frontier_shows_progress_when_it_runs_long(capsys, monkeypatch):
    import time

    from qlaci_cost.analysis.scenario import Scenario

    real = Scenario.frontier

    def slow(self, *args, **kwargs):
        time.sleep(2.2)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Scenario, "frontier", slow)
    monkeypatch.setenv("QLACI_COST_PROGRESS_SECONDS", "1")
    monkeypatch.setenv("QLACI_COST_NO_CACHE", "1")  # computed, not a stored table replayed
    argv = ["estimate", "--n", "16", "--qram", "ideal", "--level", "query", "--shots", "1",
            "--frontier", "--format", "csv"]  # fmt: skip
    status, out, err = run(argv, capsys)
    assert status == 0 and "qlaci-cost estimate: still running" in err
    assert csv_rows(out)  # the table is unchanged
