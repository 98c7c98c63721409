"""`qlaci-cost estimate`: the readout options of `qlaci` (--shots included), --frontier,
invalid rows left empty, and the microsoft-like model against Microsoft's estimator."""

import csv
import io
import json

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
    # 2^40 bucket-brigade heads at p = 1e-3 with rel:0.1 shots need ~1e-30 per CCZ state:
    # beyond every supported factory, so the row is marked invalid and left empty.
    argv = ["estimate", "--n", "2^40", "--qram", "bucket-brigade", "--format", "csv"]
    status, out, err = run(argv, capsys)
    assert status == 0
    (row,) = csv_rows(out)
    assert row["valid"] == "false" and row["within_budget"] == "false"
    assert "no supported factory" in row["invalid_reason"]
    assert row["physical_qubits"] == row["runtime_s"] == row["code_distance"] == ""
    assert float(row["failure_probability"]) == 1.0


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
