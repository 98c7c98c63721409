"""The QLACI table (`qlaci_rows`) and the `qlaci-cost qlaci` subcommand; `verify` QLACI checks."""

import csv
import io
import json
import math
import os
import shutil
import subprocess
import sys

import pytest
import sympy

from qlaci_cost import cli
from qlaci_cost.core.conventions import Conventions
from qlaci_cost.core.summary import cost_summary
from qlaci_cost.qlaci import HybridBlock, QLACIHead, QLACIQuery
from qlaci_cost.qlaci.table import BLOCK_COLUMNS, COLUMNS, qlaci_rows

EXPECTED_COLUMNS = (
    "model,N,level,qubits,toffoli,t_count,clifford,rotations,measurements,toffoli_depth,"
    "t_depth,depth,shots,total_toffoli,total_t_count,total_depth"
).split(",")
N = sympy.Symbol("N", positive=True, integer=True)


def run(argv, capsys):
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def csv_rows(text: str) -> list[dict]:
    assert not text.startswith("#")  # plain CSV: the header first, notes on stderr
    return list(csv.DictReader(io.StringIO(text)))


def test_columns_are_stable():
    assert list(COLUMNS) == EXPECTED_COLUMNS
    assert list(BLOCK_COLUMNS) == EXPECTED_COLUMNS + ["classical_flops", "classical_memory_bytes"]
    table = qlaci_rows(["qrom"], [16])
    assert table.columns == COLUMNS
    row = table.rows[0]
    assert set(COLUMNS) <= set(row)
    assert (row["precision"], row["method"], row["delta"]) == ("abs:0.01", "hoeffding", "0.05")


def test_cli_csv_matches_the_head_bloq(capsys):
    status, out, err = run(
        ["qlaci", "--n", "16,1024,2^20", "--qram", "bucket-brigade,ideal", "--format", "csv"],
        capsys,
    )
    assert status == 0 and err.startswith("# Conventions: ")
    rows = csv_rows(out)
    assert [r["model"] for r in rows] == ["bucket-brigade"] * 3 + ["ideal"] * 3
    assert [int(r["N"]) for r in rows[:3]] == [16, 1024, 2**20]
    assert list(rows[0]) == EXPECTED_COLUMNS
    conv = Conventions()
    for r in rows:
        n = int(r["N"])
        head = QLACIHead(QLACIQuery(n, qram_model=r["model"]), precision="abs:0.01")
        s = cost_summary(head, conv)
        assert int(r["shots"]) == head.circuit_calls
        assert int(r["total_toffoli"]) == s.toffoli
        assert int(r["total_t_count"]) == s.t_count
        assert int(r["total_depth"]) == s.depth
        q = cost_summary(head.query, conv)
        assert int(r["qubits"]) == q.qubits and int(r["t_count"]) == q.t_count
    # The notes say what produced `shots` and what the per-query columns are (on stderr).
    assert "# Note: shots = circuit calls per query from precision abs:0.01" in err
    assert "ONE execution of the per-query circuit" in err
    assert "ASSUMED oracle" in err


def test_levels(capsys):
    args = ["qlaci", "--n", "16", "--qram", "qrom", "--format", "json"]
    docs = {}
    for level in ("query", "head", "block"):
        status, out, _ = run(args + ["--level", level, "--heads", "2"], capsys)
        assert status == 0
        docs[level] = json.loads(out)
    q, h, b = (docs[k]["rows"][0] for k in ("query", "head", "block"))
    assert q["shots"] == h["shots"] == b["shots"]
    assert q["total_toffoli"] == q["shots"] * q["toffoli"]
    assert h["total_toffoli"] == 16 * q["total_toffoli"]
    assert b["total_toffoli"] == 2 * h["total_toffoli"]
    assert b["total_depth"] == 2 * h["total_depth"]
    block = HybridBlock(QLACIHead(QLACIQuery(16, qram_model="qrom"), precision="abs:0.01"), heads=2)
    assert b["classical_flops"] == block.classical_flops().total
    assert b["classical_memory_bytes"] == block.classical_memory_bytes().total
    assert docs["block"]["columns"] == list(BLOCK_COLUMNS)
    assert "classical_flops" not in docs["head"]["columns"]


def test_readout_options(capsys):
    base = ["qlaci", "--n", "1024", "--qram", "ideal", "--format", "json"]
    shots = lambda extra: json.loads(run(base + extra, capsys)[1])["rows"][0]  # noqa: E731
    assert shots([])["shots"] == shots(["--precision", "abs:0.01"])["shots"] == 73778  # default
    rel = QLACIHead(QLACIQuery(1024, qram_model="ideal"), precision="rel:0.1").circuit_calls
    assert shots(["--precision", "rel:0.1"])["shots"] == rel  # ~ (0.01 / (0.1 / N))^2 x more
    assert shots(["--shots", "500", "--observables", "Z,X,Y"])["shots"] == 1500
    assert shots(["--shots", "500", "--d-ctx", "2", "--n-out", "2", "--grouped"])["shots"] == 500
    ae = shots(["--amplitude-estimation"])
    eps = 0.01  # the default precision abs:0.01
    assert ae["shots"] == 7 * (2 * math.ceil(math.pi * (1 + math.sqrt(1 + 2 * eps)) / eps) - 1)
    clt = shots(["--method", "clt"])
    assert clt["shots"] < shots([])["shots"]
    status, out, _ = run(base + ["--amplitude-estimation"], capsys)
    assert "amplitude estimation (Brassard-Hoyer-Mosca-Tapp Thm 12): 7 runs" in out
    p4 = shots(["--processors", "4"])
    assert p4["total_depth"] * 4 == shots([])["total_depth"]
    assert p4["total_toffoli"] == shots([])["total_toffoli"]


def test_symbolic_output(capsys):
    status, out, _ = run(
        ["qlaci", "--symbolic", "--qram", "bucket-brigade,ideal", "--format", "json"]
        + ["--precision", "rel:0.1"],  # shots grow with N: an expression
        capsys,
    )
    assert status == 0
    doc = json.loads(out)
    assert [r["N"] for r in doc["rows"]] == ["N", "N"]
    bb = doc["rows"][0]
    assert "ceiling" in bb["shots"] and "log(40)" in bb["shots"]
    names = {"N": N, "log2": lambda x: sympy.log(x, 2), "ceiling": sympy.ceiling}
    expr = sympy.sympify(bb["total_t_count"], locals=names)
    assert int(expr.subs(N, 16)) == cost_summary(QLACIHead(precision="rel:0.1")).t_count
    assert sympy.sympify(bb["toffoli"], locals=names) == 12 * N - 8
    assert any("N = sequence length" in n for n in doc["notes"])
    argv = ["qlaci", "--symbolic", "--qram", "ideal", "--format", "latex", "--precision", "rel:0.1"]
    status, out, _ = run(argv, capsys)
    assert status == 0 and r"\lceil" in out and r"\log_2 N" in out


BAD = [
    (["--d-q", "0"], "--d-q"),
    (["--layers", "-1"], "--layers"),
    (["--layers", "0"], "--layers"),
    (["--component-bits", "0"], "--component-bits"),
    (["--bits", "0"], "--bits"),
    (["--eps", "1.5"], "--eps"),
    (["--eps", "0"], "--eps"),
    (["--precision", "rel:1.5"], "rel:1.5"),
    (["--precision", "abs:0"], "abs:0"),
    (["--precision", "0.1"], "0.1"),
    (["--shots", "0"], "--shots"),
    (["--shots", "many"], "--shots"),
    (["--delta", "1"], "--delta"),
    (["--delta", "0"], "--delta"),
    (["--delta", "x"], "--delta"),
    (["--qram", "magic"], "magic"),
    (["--level", "galaxy"], "galaxy"),
    (["--n", "0"], "--n"),
    (["--n", "2^x"], "--n"),
    (["--processors", "0"], "--processors"),
    (["--heads", "0"], "--heads"),
    (["--d-ctx", "3"], "d_ctx=3"),
    (["--observables", "Q"], "--observables"),
    (["--shots", "10", "--amplitude-estimation"], "--shots"),
    (["--grouped", "--amplitude-estimation"], "--grouped"),
    (["--grouped", "--observables", "Z,X"], "do not commute"),
    (["--precision", "abs:0.1", "--shots", "10"], "--shots"),
    (["--level", "block", "--heads", "3", "--d-model", "10"], "heads must divide"),
    (["--symbolic", "--n", "16"], "--symbolic"),
]


@pytest.mark.parametrize("args, named", BAD)
def test_bad_input_is_one_line_exit_2(args, named, capsys, tmp_path):
    out_file = tmp_path / "t.csv"
    sizes = [] if ("--n" in args or "--symbolic" in args) else ["--n", "16"]
    argv = ["qlaci", *sizes, "--qram", "qrom", *args, "--out", str(out_file)]
    status, out, err = run(argv, capsys)
    assert status == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("qlaci-cost: error:"), err
    assert named in lines[0]
    assert "Traceback" not in err
    assert not out_file.exists()


def _command() -> list[str]:
    exe = shutil.which("qlaci-cost")
    return [exe] if exe else [sys.executable, "-m", "qlaci_cost.cli"]


@pytest.mark.parametrize("args", [["--d-q", "0"], ["--precision", "rel:2"], ["--qram", "nope"]])
def test_bad_input_subprocess(args):
    proc = subprocess.run(
        _command() + ["qlaci", "--n", "16", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr


def test_padding_note(capsys):
    status, out, err = run(["qlaci", "--n", "1000", "--qram", "qrom", "--format", "csv"], capsys)
    assert status == 0
    assert "N=1000 padded to the next power of two, N=1024" in err
    assert csv_rows(out)[0]["N"] == "1024"


def test_out_file(capsys, tmp_path):
    path = tmp_path / "head.md"
    status, out, _ = run(["qlaci", "--n", "16", "--qram", "qrom", "--out", str(path)], capsys)
    assert status == 0 and out == ""
    assert path.read_text().startswith("| model | N | level |")


def test_table_bad_input():
    with pytest.raises(ValueError, match="level 'x'"):
        qlaci_rows(["qrom"], [16], level="x")
    with pytest.raises(ValueError, match="query option 'keys'"):
        qlaci_rows(["qrom"], [16], keys=[[0]])
    with pytest.raises(ValueError, match="unknown QRAM model"):
        qlaci_rows(["nope"], [16])


def test_verify_runs_the_qlaci_checks(capsys):
    status, out, _ = run(["verify", "--models", "qrom", "--n", "2,4", "--checks", "counts"], capsys)
    assert status == 0, out
    assert "PASS qlaci-counts  qrom" in out
    assert "PASS head-counts   qrom" in out
    assert "FAIL" not in out


@pytest.mark.slow(reason="state vectors of the query at N = 2, 4 for two models, ~10 s")
def test_verify_kernel_average(capsys):
    status, out, _ = run(
        ["verify", "--models", "qrom,ideal", "--n", "2,4", "--checks", "superposition"], capsys
    )
    assert status == 0, out
    assert out.count("PASS qlaci-average") == 4
