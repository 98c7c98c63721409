"""`qlaci-cost train`: rows per model and estimator, the same numbers as the API, bad input."""

import io
import json
import os

import pandas as pd
import pytest

from qlaci_cost import cli
from qlaci_cost.analysis.training import COLUMNS
from qlaci_cost.qlam.training import training_rows


def run(argv, capsys):
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_qlam_smnist_one_epoch(capsys):
    status, out, err = run(["train", "--family", "qlam", "--task", "smnist", "--epochs", "1",
                            "--format", "json"], capsys)  # fmt: skip
    assert status == 0, err
    data = json.loads(out)
    assert data["columns"] == list(COLUMNS)
    assert [r["model"] for r in data["rows"]] == [
        "final", "every-step", "time-pooled", "query-dependent",
    ]  # fmt: skip
    api = {r["model"]: r for r in training_rows("smnist").rows}
    for row in data["rows"]:
        assert int(row["executions_per_epoch"]) == api[row["model"]]["executions_per_epoch"]
        assert row["device_years"] == pytest.approx(api[row["model"]]["device_years"])
    assert data["scenario"]["budget_scope"] == "run"


def test_qlaci_smnist_csv_reads_with_pandas(capsys):
    status, out, err = run(["train", "--family", "qlaci", "--task", "smnist", "--epochs", "1",
                            "--qram", "qrom,ideal", "--gradient", "all", "--format", "csv"],
                           capsys)  # fmt: skip
    assert status == 0, err
    frame = pd.read_csv(io.StringIO(out))
    assert list(frame.columns) == list(COLUMNS) and len(frame) == 6
    assert set(frame["gradient"]) == {"parameter-shift", "finite-difference", "spsa"}
    assert "# Note: task smnist" in err and "preset" in err


def test_qlaci_transformer_options(capsys):
    status, out, err = run(["train", "--family", "qlaci", "--qram", "qrom", "--heads", "2",
                            "--layers", "3", "--seq-len", "512", "--train-tokens", "1e6",
                            "--format", "json"], capsys)  # fmt: skip
    assert status == 0, err
    (row,) = json.loads(out)["rows"]
    assert (row["task"], row["N"], row["layers"], row["parameters"]) == ("gpt2-small", 512, 3, 56)


def test_help_has_examples(capsys):
    status, out, _ = run(["train", "--help"], capsys)
    assert status == 0 and "qlaci-cost train --family qlam --task smnist --epochs 1" in out


@pytest.mark.parametrize(
    "argv, needle",
    [
        ([], "--family"),
        (["--family", "qlam", "--task", "mnist"], "--task"),
        (["--family", "qlam", "--epochs", "0"], "--epochs"),
        (["--family", "qlam", "--gradient", "adam"], "--gradient"),
        (["--family", "qlam", "--precision", "rel:0.1"], "--precision"),
        (["--family", "qlam", "--readout", "stream"], "--readout"),
        (["--family", "qlam", "--spsa-factor", "0"], "--spsa-factor"),
        (["--family", "qlaci", "--qram", "nope"], "--qram"),
        (["--family", "qlaci", "--train-tokens", "0.5"], "--train-tokens"),
        (["--family", "qlaci", "--heads", "0"], "--heads"),
        (["--family", "qlaci", "--error-rate", "2"], "--error-rate"),
    ],
)
def test_bad_input_one_line_exit_2_nothing_written(argv, needle, capsys, tmp_path):
    out_file = tmp_path / "t.csv"
    status, out, err = run(["train", *argv, "--out", str(out_file)], capsys)
    assert status == 2
    assert out == "" and err.count("\n") == 1 and needle in err and "Traceback" not in err
    assert not os.path.exists(out_file)


def test_option_names_equal_the_library_names():
    from qlaci_cost.analysis.gradients import ESTIMATORS
    from qlaci_cost.analysis.roofline import HARDWARE
    from qlaci_cost.analysis.training import TASKS
    from qlaci_cost.cli import args, train
    from qlaci_cost.qlam.protocols import PROTOCOLS
    from qlaci_cost.qlam.training import TRAINING_PROTOCOLS

    assert train.TASKS == tuple(TASKS) and train.GRADIENTS == ESTIMATORS
    assert train.QLAM_READOUTS == TRAINING_PROTOCOLS and train.ALL_READOUTS == PROTOCOLS
    assert args.HARDWARE == tuple(HARDWARE)
