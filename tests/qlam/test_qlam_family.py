"""The QLAM family hooks and claims: one number through every path, verdicts with evidence."""

import sympy

from qlaci_cost.analysis.claims import claim_table
from qlaci_cost.analysis.verify import run_family_checks
from qlaci_cost.core.family import FAMILIES, Family, FamilyRows, family
from qlaci_cost.core.summary import cost_summary, evaluate
from qlaci_cost.qlam.protocols import protocol_cost
from qlaci_cost.qlam.table import COLUMNS, PROTOCOL_NAMES, qlam_rows, worked_example_rows


def test_registered_and_protocol_conformant():
    assert "qlam" in FAMILIES
    fam = family("qlam")
    assert isinstance(fam, Family) and fam.models() == PROTOCOL_NAMES


def test_rows_hook_is_the_table(conventions):
    fam = family("qlam")
    got = fam.rows([784, 2**20], ["final", "every-step-ae"], conventions)
    want = qlam_rows([784, 2**20], ["final", "every-step-ae"], conventions=conventions)
    assert isinstance(got, FamilyRows) and got == (want.rows, want.notes)
    assert all(set(COLUMNS) <= set(r) for r in got.rows)


def test_symbolic_hook_and_rows_agree():
    fam = family("qlam")
    seq = fam.symbolic("weak")
    summary = cost_summary(seq)
    row = qlam_rows([1024], ["weak"]).rows[0]
    assert evaluate(summary.t_count, {"N": 1024}) == row["t_count"]
    assert evaluate(summary.depth, {"N": 1024}) == row["depth"]
    symbolic = qlam_rows([], ["every-step"], symbolic=True).rows[0]
    assert isinstance(symbolic["step_executions"], sympy.Expr)
    assert evaluate(symbolic["step_executions"], {"N": 784}) == (
        protocol_cost("every-step", 784).step_executions
    )


def test_checks_are_selected_by_kind_and_selector():
    fam = family("qlam")
    results = list(fam.checks([2, 64], ["final"], ["qlam-state"], memory=(2,)))
    assert [r.check for r in results] == ["qlam", "qlam-state"]
    assert results[0].skipped and results[1].ok
    assert list(fam.checks([2], ["final"], ["classical"])) == []
    through_seam = list(run_family_checks(["final"], [2], checks=["counts"]))
    assert through_seam and all(r.ok for r in through_seam)
    assert {r.check for r in through_seam} == {"qlam-counts", "qlam-executions"}


def test_claim_verdicts():
    table = claim_table(["final", "every-step", "weak"], sizes=[2**k for k in range(10, 31)])
    rows = {(r["key"], r["model"]): r for r in table.rows}
    assert rows["linear-time", "qlam final"]["verdict"] == "holds"
    assert rows["linear-time", "qlam per run (one shot)"]["verdict"] == "holds"
    assert rows["linear-time", "qlam every-step"]["verdict"] == "fails"
    assert rows["linear-time", "qlam weak (monitored model)"]["verdict"] == "holds"
    assert rows["cheaper-than-ssm", "qlam final"]["verdict"] == "fails"
    assert rows["richer-memory", "qlam readable information"]["verdict"] == "fails"
    assert rows["richer-memory", "qlam state space"]["verdict"] == "holds"
    assert "O(N^2)" in rows["linear-time", "qlam every-step"]["evidence"]
    assert "8 bits per shot" in rows["richer-memory", "qlam readable information"]["evidence"]


def test_worked_examples():
    rows = {(r["example"], r["protocol"]): r for r in worked_example_rows(["final", "every-step"])}
    # sMNIST: N = 784, S = 73,778 Hoeffding shots (eps 0.01, delta 0.05), one group.
    assert rows["sMNIST", "final"]["step_executions"] == 73778 * 784
    assert rows["sMNIST", "every-step"]["step_executions"] == 73778 * 784 * 785 // 2
    assert rows["sCIFAR-10", "final"]["step_executions"] == 73778 * 1024
    assert rows["sCIFAR-10", "final"]["d_in"] == 3
    assert rows["sMNIST", "final"]["runtime_s"] > rows["sMNIST", "final"]["ssm_scan_runtime_s"]
