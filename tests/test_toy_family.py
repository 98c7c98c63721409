"""The toy family (`tests/toy_family`: its bloq, its hooks, one `register_family` line in the
`toy_family` fixture) reaches the table command, `verify`, the claim table and the report with
no other change (the report: `test_family_conformance.py`, one report run for every family).
"""

import json

import pytest
from qualtran.bloqs.basic_gates import Toffoli

from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.cli import main
from qlaci_cost.core.conventions import Conventions
from qlaci_cost.core.family import family
from qlaci_cost.verdicts.claims import claim_table


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _decomposed_toffolis(n: int) -> int:
    """Toffolis counted in the decomposition of the toy bloq (not its closed form)."""
    from tests.toy_family.model import AndLadder

    cbloq = AndLadder(n).decompose_bloq()
    return sum(isinstance(inst.bloq, Toffoli) for inst in cbloq.bloq_instances)


def test_table_command_gives_the_toy_rows(toy_family, capsys):
    argv = ["table", toy_family, "--n", "2,16", "--t-per-toffoli", "7", "--format", "json"]
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    doc = json.loads(out)
    fam = family(toy_family)
    assert doc["columns"] == list(fam.COLUMNS)
    scenario = Scenario(conventions=Conventions.with_t_per_toffoli(7))
    want = fam.rows([2, 16], ["and-ladder"], scenario).rows
    assert [{k: row[k] for k in fam.COLUMNS} for row in doc["rows"]] == want
    for row in doc["rows"]:  # the closed form against the decomposition; the scenario's T
        assert row["toffoli"] == _decomposed_toffolis(row["N"])
        assert row["t_count"] == 7 * row["toffoli"]
    assert "toy: closed forms" in " ".join(doc["notes"])


def test_table_command_lists_and_checks_the_toy(toy_family, capsys):
    status, out, _ = run(capsys, "table", "--help")
    assert status == 0 and "toy" in out
    status, out, err = run(capsys, "table", toy_family, "--models", "nope")
    assert status == 2 and out == ""
    assert err == (
        "qlaci-cost: error: --models: 'nope' is not allowed: choose from and-ladder (or all)\n"
    )
    status, out, err = run(capsys, "table", toy_family, "--n", "1")
    assert status == 2 and "N = 1 is not allowed" in err and len(err.splitlines()) == 1


def test_verify_runs_the_toy_checks(toy_family, capsys):
    status, out, _ = run(capsys, "verify", "--checks", "list")
    assert status == 0 and "toy: toy-counts, toy-classical" in out.splitlines()
    status, out, _ = run(capsys, "verify", "--n", "2,4", "--models", "and-ladder")
    assert status == 0, out
    lines = out.splitlines()
    for kind in ("toy-counts", "toy-classical"):
        assert [ln.split()[3] for ln in lines if ln.startswith(f"PASS {kind}")] == [
            "N=2",
            "N=4",
        ]
    assert lines[-1] == "verify: 4 passed, 0 failed, 0 skipped"
    argv = ["verify", "--n", "16", "--models", "and-ladder", "--checks", "toy-classical"]
    status, out, _ = run(capsys, *argv)
    assert status == 0 and out.splitlines()[0].startswith("SKIP toy-classical")


def test_verify_refuses_a_model_of_no_family(toy_family, capsys):
    status, out, err = run(capsys, "verify", "--models", "and-ladder,nope")
    assert status == 2 and out == ""
    assert err.startswith("qlaci-cost: error: --models: 'nope' is not allowed: choose from ")
    assert "qrom" in err and "every-step" in err and "and-ladder" in err
    assert len(err.splitlines()) == 1


def test_claim_table_holds_the_toy_claim(toy_family):
    table = claim_table(["and-ladder"], [16, 1024])
    assert [(r["key"], r["model"], r["verdict"]) for r in table.rows] == [
        ("toy-linear", "and-ladder", "holds")
    ]
    assert table.verdict_text == "the AND ladder needs linearly many Toffolis: holds: and-ladder."
    assert "toy: Toffoli <= 2 N at every N of the grid" in table.notes


@pytest.mark.parametrize("n", [2, 3, 5])
def test_the_toy_bloq_computes_the_and(toy_family, n):
    """The classical action the toy's check compares against, on every input (a third
    source besides the closed form and the decomposition)."""
    import itertools

    import numpy as np

    from tests.toy_family.model import AndLadder

    cbloq = AndLadder(n).decompose_bloq()
    for bits in itertools.product((0, 1), repeat=n):
        ctrl, target = cbloq.call_classically(ctrl=np.array(bits), target=0)
        assert list(ctrl) == list(bits) and target == int(sum(bits) == n)
