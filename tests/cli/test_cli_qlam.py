"""`qlaci-cost qlam`: the table, its growth in N, and bad input (one line, exit 2, no file)."""

import json
import math
import os

import numpy as np
import pytest
from scipy.stats import binom

from qlaci_cost import cli
from qlaci_cost.qlam.table import COLUMNS

NAMED = (
    "step_executions", "runs", "rounds", "total_toffoli", "total_t_count", "total_rotations",
    "total_depth",
)  # fmt: skip


#: Hoeffding's shots for eps = 0.01, delta = 0.05: ceil(2 ln(2 / delta) / eps^2) = 73,778.
S = math.ceil(2 * math.log(2 / 0.05) / 0.01**2)


def _ae_grid(eps: float) -> int:
    """Smallest M with pi / M + pi^2 / M^2 <= eps / 2 (Theorem 12 at a = 1/2, additive eps on
    <P> = 1 - 2a), by search."""
    m = 1
    while math.pi / m + math.pi**2 / m**2 > eps / 2:
        m += 1
    return m


def _median_runs(delta: float) -> int:
    """Smallest odd k whose median of k runs (each right w.p. >= 8 / pi^2) fails w.p. <= delta."""
    k = 1
    while binom.cdf((k - 1) // 2, k, 8 / math.pi**2) > delta:
        k += 2
    return k


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
    # The protocol table (docs/derivations/qlam.md, section 5), one group, S Hoeffding shots:
    # final S N, every-step S N (N + 1) / 2, time-pooled S (N + 1) / 2 in expectation (one
    # uniformly random prefix of 1..N steps per shot), query-dependent G_q S N with the stated
    # default of G_q = 10 query bases (one per class of a 10-class task).
    want = {
        "final": S * n[0],
        "every-step": S * n[0] * (n[0] + 1) // 2,
        "time-pooled": S * (n[0] + 1) // 2,
        "query-dependent": 10 * S * n[0],
    }[readout]
    assert y[0] == want


def test_all_protocols_amplitude_estimation_and_symbolic(capsys):
    data = rows_of(["qlam", "--n", "16", "--readout", "all", "--theta", "pi/8"], capsys)
    assert [r["protocol"] for r in data["rows"]] == [
        "final", "every-step", "weak", "time-pooled", "query-dependent",
    ]  # fmt: skip
    assert any("MONITORED" in note for note in data["notes"])
    data = rows_of(["qlam", "--n", "2^200", "--readout", "final,every-step",
                    "--amplitude-estimation"], capsys)  # fmt: skip
    assert [r["protocol"] for r in data["rows"]] == ["final-ae", "every-step-ae"]
    # every-step + AE: K k (2M - 1) N (N + 1) / 2 with K = m = 8 observables, k and M of
    # Brassard-Hoyer-Mosca-Tapp Theorem 12 for eps = 0.01, delta = 0.05 (computed below).
    n, grid, reps = 2**200, _ae_grid(0.01), _median_runs(0.05)
    assert (grid, reps) == (632, 7)  # M = ceil(pi (1 + sqrt(1.02)) / 0.01) = ceil(631.4)
    want = 8 * reps * (2 * grid - 1) * n * (n + 1) // 2
    assert int(data["rows"][1]["step_executions"]) == want
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
