"""`qlaci-cost table FAMILY`: any registered family's table through its `rows` hook, rendered as
the family subcommands render theirs (the toy family's calls: tests/test_toy_family.py)."""

import os
import subprocess
import sys

import pytest

from qlaci_cost.cli import main
from qlaci_cost.core.family import FAMILIES


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _notes(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("# ")]


#: (family subcommand's call, the table command's call): the same rows.
SAME_TABLES = [
    (
        ["qram", "--n", "16,2^40", "--word-bits", "4"],
        ["table", "qram", "--n", "16,2^40", "--word-bits", "4"],
    ),
    (
        ["qlaci", "--n", "16,1024", "--qram", "qrom,ideal", "--precision", "rel:0.1"],
        ["table", "qlaci", "--n", "16,1024", "--models", "qrom,ideal", "--precision", "rel:0.1"],
    ),
    (
        ["qlaci", "--n", "16,64", "--qram", "fanout", "--batch", "1,4,64"],
        ["table", "multi-query", "--n", "16,64", "--models", "fanout"],
    ),
    (
        ["qlam", "--n", "784,2^20", "--readout", "final,weak", "--method", "clt"],
        ["table", "qlam", "--n", "784,2^20", "--models", "final,weak", "--method", "clt"],
    ),
]


@pytest.mark.parametrize("own, generic", SAME_TABLES, ids=["qram", "qlaci", "multi-query", "qlam"])
def test_the_table_of_a_family_is_its_subcommands(capsys, own, generic):
    status, want, want_err = run(capsys, *own, "--format", "csv")
    assert status == 0, want_err
    status, got, err = run(capsys, *generic, "--format", "csv")
    assert status == 0, err
    assert got == want
    # the notes: the scenario first, then the family's own (the subcommand's, which may add
    # a note on its own options, e.g. a B left out at a small N)
    notes = _notes(err)
    assert notes[0].startswith("# Conventions: ") and notes[1].startswith("# Note: Scenario: ")
    assert set(notes[2:]) <= set(_notes(want_err))


def test_every_registered_family_has_a_table(capsys):
    for name in FAMILIES:
        status, out, err = run(capsys, "table", name, "--n", "16", "--format", "md")
        assert status == 0, err
        assert out.startswith("| ") and "| N |" in out.splitlines()[0]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["nope"], "argument FAMILY: invalid choice: 'nope' (choose from "),
        (["qram", "--models", "final"], "--models: 'final' is not allowed: choose from "),
        (["qlam", "--models", "qrom"], "--models: 'qrom' is not allowed: choose from final, "),
        (["qlam", "--precision", "rel:0.1"], "precision 'rel:0.1' is not allowed for QLAM"),
        (["qram", "--n", "0"], "--n: "),
        (["qlaci", "--eps", "2"], "--eps: '2' is not allowed"),
        (["qlaci", "--word-bits", "0"], "--word-bits: '0' is not allowed"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(capsys, tmp_path, argv, message):
    out_file = tmp_path / "t.csv"
    status, out, err = run(capsys, "table", *argv, "--out", str(out_file))
    assert status == 2 and out == ""
    assert err.startswith(f"qlaci-cost: error: {message}") and len(err.splitlines()) == 1, err
    assert not out_file.exists()


def test_out_file_holds_what_stdout_shows(capsys, tmp_path):
    argv = ["table", "qlam", "--n", "16", "--models", "final", "--format", "json"]
    status, shown, _ = run(capsys, *argv)
    assert status == 0
    status, out, _ = run(capsys, *argv, "--out", str(tmp_path / "t.json"))
    assert status == 0 and out == ""
    assert (tmp_path / "t.json").read_text() == shown


def test_help_imports_no_family_nor_heavy_library(tmp_path):
    code = (
        "import sys; from qlaci_cost.cli import main; status = main(['table', '--help']); "
        "heavy = sorted(m for m in ('sympy', 'qualtran', 'cirq') if m in sys.modules); "
        "fams = sorted(m for m in sys.modules if m.endswith('.family') and '.core.' not in m); "
        "sys.stderr.write(f'HEAVY={heavy} FAMILIES={fams}\\n'); sys.exit(status)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=os.environ
    )
    assert done.returncode == 0, done.stderr
    assert "HEAVY=[] FAMILIES=[]" in done.stderr
    assert "FAMILY" in done.stdout and "multi-query" in done.stdout
    assert "examples:\n  qlaci-cost table " in done.stdout
