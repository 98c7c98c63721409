"""The report's training section: rows of both families, the claim rows, the index block."""

from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.analysis.training import CLAIM
from qlaci_cost.output.training_section import COLUMNS, training_block
from qlaci_cost.verdicts.training import QLACI_TASKS, QLAM_TASKS, training_results


def test_rows_claims_and_block():
    rows, notes, claims = training_results(Scenario(), ["qrom"])
    assert all(set(COLUMNS) <= set(r) for r in rows)
    assert {(r["family"], r["task"]) for r in rows} == {
        *(("qlam", t) for t in QLAM_TASKS),
        *(("qlaci", t) for t in QLACI_TASKS),
    }
    # One claim per (family, model, task): 4 QLAM protocols x 2 tasks + 1 QRAM model x 2 tasks.
    assert len(claims) == 4 * 2 + 2 and {c["claim"] for c in claims} == {CLAIM}
    assert all(c["verdict"] == "fails" for c in claims)  # at the default scenario
    block = training_block(rows, claims, "training_table.csv")
    assert block.startswith("## Training") and "qlaci qrom (gpt2-small): **fails**" in block
    assert any("preset" in n for n in notes)


def test_a_refused_scenario_leaves_a_note():
    rows, notes, _ = training_results(Scenario(precision="rel:0.1"), ["ideal"])
    assert {r["family"] for r in rows} == {"qlaci"}
    assert any("QLAM training not computed" in n for n in notes)
