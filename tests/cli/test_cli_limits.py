"""Every input has a limit or an answer: the limits the commands state (refused at parse time,
one line naming the value and the limit, exit 2), the parameters computed without building
anything of their size, values of a list that fit only some sizes of a grid, CSV notes and
integers beyond the float range."""

import io
import json
import time

import pandas
import pytest

from qlaci_cost import cli
from qlaci_cost.cli.args import MIN_PROBABILITY
from qlaci_cost.cli.qlaci import MAX_READOUT_QUBITS
from qlaci_cost.cli.verify import MAX_VERIFY_BITS
from qlaci_cost.qram import MODELS


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def refused(capsys, *argv: str) -> str:
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == "" and len(err.splitlines()) == 1, err
    assert err.startswith("qlaci-cost: error: ") and "Traceback" not in err
    return err


# --- limits stated in --help and refused at parse time ----------------------------------------


@pytest.mark.parametrize(
    "argv, named",
    [
        (["qlaci", "--n", "16", "--precision", "abs:1e-1001"], "'abs:1e-1001'"),
        (["qlaci", "--n", "16", "--precision", "rel:1e-5000"], "'rel:1e-5000'"),
        (["qlaci", "--n", "16", "--delta", "1e-100000"], "'1e-100000'"),
        (["estimate", "--n", "16", "--delta", "1e-1001"], "'1e-1001'"),
        (["qlam", "--n", "16", "--precision", "abs:1e-2000"], "'abs:1e-2000'"),
        (["qlam", "--n", "16", "--delta", "1e-2000"], "'1e-2000'"),
        (["qlam", "--n", "16", "--readout", "weak", "--theta", "1e-4000"], "'1e-4000'"),
        (["qlam", "--n", "16", "--readout", "weak", "--theta", "1e-100000"], "'1e-100000'"),
        (["qlam", "--n", "16", "--readout", "weak", "--theta", "pi/1e5000"], "'pi/1e5000'"),
        (["plot", "--what", "head", "--out", "f", "--precision", "abs:1e-2000"], "'abs:1e-2000'"),
    ],
)
def test_probabilities_and_angles_below_the_minimum_are_refused(capsys, argv, named):
    err = refused(capsys, *argv)
    assert named in err and MIN_PROBABILITY in err


def test_the_minimum_itself_is_an_answer(capsys):
    status, out, err = run(
        capsys, "qlaci", "--n", "2^1024", "--precision", f"abs:{MIN_PROBABILITY}",
        "--delta", MIN_PROBABILITY, "--qram", "ideal", "--format", "json",
    )  # fmt: skip
    assert status == 0, err
    shots = int(json.loads(out)["rows"][0]["shots"])
    assert 10**2000 < shots < 10**2010  # 2 ln(2/delta) / eps^2 per observable


def test_readout_qubits_have_a_limit(capsys):
    err = refused(capsys, "qlaci", "--n", "16", "--n-out", str(MAX_READOUT_QUBITS + 1))
    assert str(MAX_READOUT_QUBITS + 1) in err and str(MAX_READOUT_QUBITS) in err
    argv = ["qlaci", "--n", "16", "--n-out", str(MAX_READOUT_QUBITS), "--qram", "ideal"]
    assert run(capsys, *argv)[0] == 0


@pytest.mark.parametrize("option", ["--word-bits", "--bits"])
def test_verify_word_size_has_a_limit(capsys, option):
    status, out, err = run(capsys, "verify", "--n", "2", option, str(MAX_VERIFY_BITS + 1))
    last = err.splitlines()[-1]  # --bits: a note names the new spelling first
    assert status == 2 and out == "" and last.startswith(f"qlaci-cost: error: {option}: ")
    assert str(MAX_VERIFY_BITS + 1) in last and f"at most {MAX_VERIFY_BITS}" in last


def test_the_limits_are_in_the_help(capsys):
    for command, limit in (
        ("qlaci", MIN_PROBABILITY), ("qlaci", f"at most {MAX_READOUT_QUBITS}"),
        ("qlam", MIN_PROBABILITY), ("estimate", MIN_PROBABILITY), ("plot", MIN_PROBABILITY),
        ("verify", f"b <= {MAX_VERIFY_BITS}"), ("verify", f"at most {MAX_VERIFY_BITS}"),
    ):  # fmt: skip
        status, out, _ = run(capsys, command, "--help")
        assert status == 0 and limit in " ".join(out.split()), (command, limit)


# --- parameters computed without building anything of their size ------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["qlam", "--n", "16", "--memory-qubits", "1000000000", "--readout", "all"],
        ["qlaci", "--n", "16", "--d-q", "10" + "0" * 18, "--batch", "4", "--qram", "qrom"],
        ["qlaci", "--n", "2^100", "--batch", "1" + "0" * 27, "--qram", "qrom"],
        ["qlaci", "--n", "2^100", "--global-tokens", "1" + "0" * 27, "--window", "1" + "0" * 27],
        ["qram", "--n", "16", "--word-bits", "1" + "0" * 18, "--models", "qrom"],
        ["qlaci", "--n", "16", "--component-bits", "1" + "0" * 18, "--layers", "1" + "0" * 18],
    ],
    ids=["qlam-m", "batch-d_q", "batch-B", "global-tokens", "qram-bits", "qlaci-bits-layers"],
)
def test_huge_parameters_are_closed_forms(capsys, argv):
    start = time.perf_counter()
    status, out, err = run(capsys, *argv, "--format", "csv")
    assert status == 0, err
    assert time.perf_counter() - start < 20
    frame = pandas.read_csv(io.StringIO(out))
    assert len(frame) >= 1
    if argv[0] == "qlam":
        assert set(frame["qubits"]) == {10**9, 2 * 10**9}  # m; the weak step's m + k = 2m


# --- a list value that fits only some sizes of a grid -----------------------------------------


def test_a_batch_larger_than_some_sizes_is_left_out_there(capsys):
    argv = ["qlaci", "--n", "16,1024", "--batch", "1,4,64", "--qram", "qrom", "--format", "csv"]
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    frame = pandas.read_csv(io.StringIO(out))
    assert sorted(frame[frame["N"] == 16]["batch"]) == [1, 4]
    assert sorted(frame[frame["N"] == 1024]["batch"]) == [1, 4, 64]
    assert "N=16: B=64 left out" in err
    err = refused(capsys, "qlaci", "--n", "16", "--batch", "1,64")
    assert "B=64" in err and "16" in err


def test_global_tokens_more_than_some_sizes_leave_those_out(capsys):
    argv = ["qlaci", "--n", "16,1024", "--global-tokens", "32", "--window", "8", "--qram", "qrom"]
    status, out, err = run(capsys, *argv, "--format", "csv")
    assert status == 0, err
    assert list(pandas.read_csv(io.StringIO(out))["N"]) == [1024]
    assert "N=16 left out: fewer than G=32 tokens" in err
    err = refused(capsys, "qlaci", "--n", "16", "--global-tokens", "32", "--window", "8")
    assert "G=32" in err


# --- CSV: notes on stderr, integers beyond the float range --------------------------------------


def test_qlam_csv_notes_go_to_stderr(capsys):
    status, out, err = run(capsys, "qlam", "--n", "16", "--readout", "weak", "--format", "csv")
    assert status == 0 and out.startswith("protocol,N,m,")
    assert all(line.startswith("# ") for line in err.splitlines())
    assert "MONITORED (dephased) model" in err and "# Conventions: " in err


def test_csv_integers_beyond_the_float_range_read_exactly(capsys):
    """At N = 2^1024 every count is beyond the float range: pandas.read_csv reads the CSV
    with its defaults, and int() of each cell equals the exact digits of the JSON table."""
    argv = ["qram", "--n", "2^1024", "--word-bits", "8"]
    status, out, err = run(capsys, *argv, "--format", "csv")
    assert status == 0 and "between groups of three digits" in err
    frame = pandas.read_csv(io.StringIO(out))
    status, doc, _ = run(capsys, *argv, "--format", "json")
    rows = json.loads(doc)["rows"]
    assert len(frame) == len(rows) == len(MODELS)
    for (_, got), want in zip(frame.iterrows(), rows):
        assert int(got["N"]) == 2**1024
        for column in ("qubits", "toffoli", "clifford", "depth"):
            assert int(str(got[column])) == int(want[column]), column
