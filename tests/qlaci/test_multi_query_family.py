"""The multi-query family through the seam: hooks, rows, checks and claim verdicts."""

from qlaci_cost.core.family import FAMILIES, Family, family
from qlaci_cost.core.summary import cost_summary
from qlaci_cost.qlaci.multi_query.table import BATCH_COLUMNS


def test_registered_and_conforms():
    assert "multi-query" in FAMILIES
    f = family("multi-query")
    assert isinstance(f, Family)
    assert f.NAME == "multi-query" and f.COLUMNS == BATCH_COLUMNS
    assert set(f.CHECK_KINDS) == {"batch-branches", "batch-sampling", "batch-counts"}
    s = cost_summary(f.symbolic("qrom"))
    assert {str(x) for x in s.rotations.free_symbols} == {"B"}


def test_rows_leave_out_b_above_n():
    rows, notes = family("multi-query").rows([2, 16], ["qrom"], batches=(1, 4, 64))
    assert [(r["N"], r["batch"]) for r in rows] == [(2, 1), (16, 1), (16, 4)]
    assert all(set(BATCH_COLUMNS) <= set(r) for r in rows) and notes


def test_checks_run_through_the_hook():
    results = list(family("multi-query").checks([2], ["qrom"], ["batch-branches"], batches=(2,)))
    assert [r.check for r in results] == ["batch-branches"] and results[0].ok
    # Selected by the generic selectors: counts -> batch-counts only.
    results = list(family("multi-query").checks([2], ["qrom"], ["counts"], bits=2, seed=1))
    assert {r.check for r in results} == {"batch-counts"} and all(r.ok for r in results)


def test_claim_verdicts():
    result = family("multi-query").claims([16, 64, 1024], ["qrom"])
    by_key = {r["key"]: r for r in result.rows}
    assert by_key["multi-query"]["verdict"] == "fails"
    assert "16 circuits" in by_key["multi-query"]["evidence"]
    assert by_key["data-parallel"]["verdict"] == "holds only for depth"
    assert by_key["global-tokens"]["verdict"] == "fails"
    assert "none up to 2^10" in by_key["global-tokens"]["evidence"]


def test_series_for_figures():
    f = family("multi-query")
    series = f.batch_series("qrom", 64, (1, 4, 64))
    assert [s["circuits"] for s in series] == [64, 16, 1]
    assert series[0]["qubits"] < series[1]["qubits"] < series[2]["qubits"]
    procs = f.processor_series("qrom", 64, (1, 4))
    assert procs[0]["total_toffoli"] == procs[1]["total_toffoli"]
    assert procs[1]["total_depth"] * 4 == procs[0]["total_depth"]


def test_batch_counts_fails_when_the_decomposition_disagrees(monkeypatch):
    """The check can fail: one Toffoli more in the measured decomposition is a FAIL naming the
    metric and both numbers (the closed form is derived once per model and loader)."""
    import attrs

    from qlaci_cost.qlaci.multi_query import verify

    measured = verify.decomposed_summary

    def one_more(bloq):
        summary = measured(bloq)
        return attrs.evolve(summary, toffoli=summary.toffoli + 1)

    monkeypatch.setattr(verify, "decomposed_summary", one_more)
    result = verify.check_batch_counts("qrom", 2, 2)
    assert not result.ok and "toffoli: closed form=" in result.detail, result.detail
    want = verify._closed_form("qrom", "multiplexed").subs({verify._N: 2, verify._B: 2}).toffoli
    assert f"multiplexed toffoli: closed form={want}, decomposition={want + 1}" in result.detail
