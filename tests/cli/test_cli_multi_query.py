"""`qlaci-cost qlaci --batch B [--pooled]` and `--global-tokens G --window W`."""

import csv
import io
import json
import math

import pandas as pd
import pytest

from qlaci_cost import cli
from qlaci_cost.qlaci.multi_query.batch_readout import batch_measurement_cost
from qlaci_cost.qlaci.multi_query.global_tokens import local_multiply_adds
from qlaci_cost.qlaci.table import COLUMNS, qlaci_rows


def run(argv, capsys):
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def csv_rows(text: str) -> list[dict]:
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(body)))


def test_batch_head_executions_unchanged_qubits_and_gates_grow(capsys):
    """The acceptance case: `qlaci --n 1024 --level head --batch 1,4,64`."""
    argv = ["qlaci", "--n", "1024", "--level", "head", "--batch", "1,4,64", "--format", "csv"]
    status, out, _ = run(argv + ["--qram", "bucket-brigade"], capsys)
    assert status == 0
    rows = csv_rows(out)
    assert list(rows[0])[: len(COLUMNS)] == list(COLUMNS)
    assert list(rows[0])[len(COLUMNS) :] == ["batch", "executions", "circuits"]
    head = qlaci_rows(["bucket-brigade"], [1024], precision="abs:0.01").rows[0]  # CLI default
    base = int(rows[0]["executions"])
    assert base == 1024 * head["shots"]
    for r in rows:
        B = int(r["batch"])
        c = batch_measurement_cost("abs:0.01", 1024, B)
        executions = int(r["executions"])
        assert executions == (1024 // B) * c.runs and int(r["circuits"]) == 1024 // B
        if B > 1:  # the derived margin: S'/S - 1 + (L + sqrt(L^2 + 2 L S')) / S
            S, S1 = head["shots"], c.samples
            L = math.log(B / (float(c.split) / 20))
            margin = S1 / S - 1 + (L + math.sqrt(L * L + 2 * L * S1)) / S + 1 / S
            assert base <= executions <= base * (1 + margin)
    qubits = [int(r["qubits"]) for r in rows]
    t_count = [int(r["t_count"]) for r in rows]
    assert qubits == [head["qubits"], head["qubits"] + 2, head["qubits"] + 6]
    assert t_count[0] == head["t_count"] < t_count[1] < t_count[2]


def test_formats_and_pooled(capsys):
    status, out, _ = run(
        ["qlaci", "--n", "64", "--batch", "4", "--pooled", "--qram", "qrom", "--format", "json"],
        capsys,
    )
    assert status == 0
    data = json.loads(out)
    row = data["rows"][0] if isinstance(data, dict) else data[0]
    assert row["batch"] == 4 and row["circuits"] == 16
    assert row["shots"] == qlaci_rows(["qrom"], [64], precision="abs:0.01").rows[0]["shots"]
    status, out, _ = run(["qlaci", "--n", "64", "--batch", "2", "--qram", "qrom"], capsys)
    assert status == 0 and "| batch | executions | circuits |" in out
    status, out, err = run(
        ["qlaci", "--n", "64", "--batch", "2", "--loader", "qram", "--qram", "qrom",
         "--format", "csv"],
        capsys,
    )  # fmt: skip
    frame = pd.read_csv(io.StringIO(out))  # plain CSV: its notes are on stderr
    assert frame["batch"].tolist() == [2] and "upper bound" in err


def test_global_tokens_rows(capsys):
    argv = ["qlaci", "--n", "256", "--global-tokens", "8", "--window", "16", "--qram", "qrom"]
    status, out, _ = run(argv + ["--format", "csv"], capsys)
    assert status == 0
    row = csv_rows(out)[0]
    assert int(row["classical_multiply_adds"]) == local_multiply_adds(256, 8, 16, 64)
    assert int(row["quantum_queries"]) == 8


BAD = [
    (["--batch", "0"], "'0'"),
    (["--batch", "-2"], "'-2'"),
    (["--batch", "32"], "B=32"),
    (["--batch", "2,"], "'2,'"),
    (["--pooled"], "--pooled"),
    (["--batch", "2", "--level", "block"], "--level block"),
    (["--global-tokens", "17", "--window", "2"], "G=17"),
    (["--global-tokens", "2", "--window", "-1"], "'-1'"),
    (["--global-tokens", "2"], "--window"),
    (["--global-tokens", "2", "--window", "1", "--batch", "2"], "--batch"),
]


@pytest.mark.parametrize("extra, named", BAD)
def test_bad_input_is_one_line_exit_2_nothing_written(extra, named, capsys, tmp_path):
    out = tmp_path / "t.csv"
    status, stdout, err = run(["qlaci", "--n", "16", "--out", str(out), *extra], capsys)
    assert status == 2 and stdout == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and named in lines[0], err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_batch_not_a_power_of_two_is_padded_with_a_note(capsys):
    status, out, _ = run(["qlaci", "--n", "16", "--batch", "3", "--qram", "qrom"], capsys)
    assert status == 0 and "B=3 padded to the next power of two, B=4" in out


def test_verify_lists_and_runs_the_batch_checks(capsys):
    argv = ["verify", "--models", "qrom", "--n", "2", "--checks", "batch-counts,batch-branches"]
    status, out, _ = run(argv, capsys)
    assert status == 0
    assert "PASS batch-counts" in out and "PASS batch-branches" in out
    status, _, err = run(["verify", "--checks", "magic"], capsys)
    assert status == 2 and "batch-sampling" in err
