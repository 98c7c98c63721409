"""`qlaci-cost qlam`: the table, its growth in N, and bad input (one line, exit 2, no file)."""

import json
import os

import numpy as np
import pytest

from qlaci_cost import cli
from qlaci_cost.qlam.protocols import protocol_cost
from qlaci_cost.qlam.table import COLUMNS

NAMED = (
    "step_executions", "runs", "rounds", "total_toffoli", "total_t_count", "total_rotations",
    "total_depth",
)  # fmt: skip


def run(argv, capsys):
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def rows_of(argv, capsys):
    status, out, err = run([*argv, "--format", "json"], capsys)
    assert status == 0, err
    return json.loads(out)


@pytest.mark.parametrize(
    "readout, slope",
    [("every-step", 2.0), ("final", 1.0), ("time-pooled", 1.0), ("query-dependent", 1.0)],
)
def test_step_executions_grow_as_n_squared_and_n(readout, slope, capsys):
    data = rows_of(["qlam", "--n", "784,1024,2^20", "--readout", readout], capsys)
    assert data["columns"] == list(COLUMNS) and set(NAMED) <= set(data["columns"])
    n = [r["N"] for r in data["rows"]]
    y = [int(r["step_executions"]) for r in data["rows"]]  # JSON: big integers as strings
    assert n == [784, 1024, 2**20]
    fit = np.polyfit(np.log(np.array(n, float)), np.log(np.array(y, float)), 1)[0]
    assert fit == pytest.approx(slope, abs=0.01)
    # The same number through the Python API.
    assert y[0] == protocol_cost(readout, 784).step_executions


def test_all_protocols_amplitude_estimation_and_symbolic(capsys):
    data = rows_of(["qlam", "--n", "16", "--readout", "all", "--theta", "pi/8"], capsys)
    assert [r["protocol"] for r in data["rows"]] == [
        "final", "every-step", "weak", "time-pooled", "query-dependent",
    ]  # fmt: skip
    assert any("MONITORED" in note for note in data["notes"])
    data = rows_of(["qlam", "--n", "2^200", "--readout", "final,every-step",
                    "--amplitude-estimation"], capsys)  # fmt: skip
    assert [r["protocol"] for r in data["rows"]] == ["final-ae", "every-step-ae"]
    assert (
        int(data["rows"][1]["step_executions"])
        == protocol_cost("every-step", 2**200, method="amplitude-estimation").step_executions
    )
    data = rows_of(["qlam", "--symbolic", "--readout", "every-step"], capsys)
    # G S N(N+1)/2 with S = 73,778: 36,889 N (N + 1).
    assert data["rows"][0]["step_executions"] == "36889*N*(N + 1)"


def test_circuit_options_change_the_counts(capsys):
    small = rows_of(["qlam", "--n", "10", "--memory-qubits", "4", "--layers", "1"], capsys)
    ring = ["--entangler", "ring", "--observables", "3", "--groups", "2"]
    big = rows_of(["qlam", "--n", "10", "--memory-qubits", "6", "--layers", "3", *ring], capsys)
    assert small["rows"][0]["rotations"] == 10 * (1 * 2 * 4 + 1)
    assert big["rows"][0]["clifford"] == 10 * 3 * 6
    assert big["rows"][0]["runs"] == 2 * 73778


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["--n", "0"], "--n"),
        (["--n", "12x"], "--n"),
        (["--readout", "stream"], "--readout"),
        (["--readout", "weak", "--theta", "2"], "--theta"),
        (["--readout", "weak", "--theta", "0"], "--theta"),
        (["--theta", "pi"], "--theta"),
        (["--theta", "import os"], "--theta"),
        (["--precision", "rel:0.1"], "--precision"),
        (["--precision", "abs:2"], "--precision"),
        (["--memory-qubits", "0"], "--memory-qubits"),
        (["--readout", "weak", "--amplitude-estimation"], "amplitude-estimation"),
        (["--symbolic", "--n", "16"], "--symbolic"),
        (["--union", "some"], "--union"),
        (["--readout", "time-pooled", "--amplitude-estimation"], "time-pooled"),
        (["--readout", "query-dependent", "--query-bases", "0"], "--query-bases"),
    ],
)
def test_bad_input_one_line_exit_2_nothing_written(argv, needle, capsys, tmp_path):
    out_file = tmp_path / "t.csv"
    status, out, err = run(["qlam", *argv, "--out", str(out_file)], capsys)
    assert status == 2
    assert out == "" and err.count("\n") == 1 and needle in err and "Traceback" not in err
    assert not os.path.exists(out_file)


def test_out_file_written_only_on_success(capsys, tmp_path):
    path = tmp_path / "q.csv"
    status, _, _ = run(["qlam", "--n", "784", "--format", "csv", "--out", str(path)], capsys)
    assert status == 0 and "step_executions" in path.read_text()
