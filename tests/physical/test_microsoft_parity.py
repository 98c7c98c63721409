"""The `microsoft-like` model against Microsoft's resource estimator on the same logical counts.

The cases: one QLACI query (`qlaci-cost qlaci --level query`) at N = 16, 256, 1024 for the
bucket-brigade, qrom, select-swap and ideal QRAM models, as one circuit execution and as the
query's `shots` executions in sequence. Matched physical assumptions: p = 1e-3 for every
operation, a 1 us code cycle (4 two-qubit gates + 2 measurements), the same error budget. Our
physical qubits and runtime must be within 1.25x of Microsoft's (`qsharp.estimator`, an
independent implementation of Beverland et al. arXiv:2211.07629) for every case.
"""

import math

import pytest

from qlaci_cost import physical
from qlaci_cost.qlaci.table import qlaci_rows

MODELS = ("bucket-brigade", "qrom", "select-swap", "ideal")
SIZES = (16, 256, 1024)
TOLERANCE = 1.25


@pytest.fixture(scope="module")
def query_rows():
    return qlaci_rows(MODELS, SIZES, "query").rows


def _counts(row, shots):
    return {
        "qubits": row["qubits"],
        "toffoli": shots * row["toffoli"],
        "t_count": shots * row["t_count"],
        "rotations": shots * row["rotations"],
        "measurements": shots * row["measurements"],
        "toffoli_depth": shots * row["toffoli_depth"],
    }


def _parity(counts, budget):
    ours = physical.estimate(counts, "microsoft-like", cycle_time_us=1.0, error_budget=budget)
    theirs = physical.microsoft_estimate(counts, error_budget=budget)
    return ours, theirs


def _check(ours, theirs, where):
    q = ours.physical_qubits / theirs.physical_qubits
    t = float(ours.runtime_s / theirs.runtime_s)
    assert 1 / TOLERANCE <= q <= TOLERANCE, (where, "qubits", q)
    assert 1 / TOLERANCE <= t <= TOLERANCE, (where, "runtime", t)
    assert ours.valid and ours.failure_probability <= ours.params.error_budget
    # Same distance and T states: the same schedule and budget split.
    assert ours.code_distance == theirs.code_distance, where
    assert ours.magic_states == theirs.result["physicalCounts"]["breakdown"]["numTstates"]


@pytest.mark.parametrize("budget", [1e-2])
def test_one_execution_within_tolerance(query_rows, budget):
    for row in query_rows:
        ours, theirs = _parity(_counts(row, 1), budget)
        _check(ours, theirs, (row["model"], row["N"], "one execution"))


@pytest.mark.parametrize("budget", [1e-3])
def test_all_shots_within_tolerance_with_multi_round_factories(query_rows, budget):
    rounds = set()
    for row in query_rows:
        ours, theirs = _parity(_counts(row, row["shots"]), budget)
        _check(ours, theirs, (row["model"], row["N"], "all shots"))
        tf = theirs.result["tfactory"]
        ours_f = ours.distillation
        rounds.add(len(ours_f.rounds))
        assert len(ours_f.rounds) == tf["numRounds"]
        assert [r.units for r in ours_f.rounds] == tf["numUnitsPerRound"]
        assert [r.unit.distance for r in ours_f.rounds] == tf["codeDistancePerRound"]
        assert ours_f.qubits == tf["physicalQubits"]
        assert ours_f.duration_s * 10**9 == tf["runtime"]
        assert math.isclose(ours_f.output_error, tf["logicalErrorRate"], rel_tol=1e-9)
    assert rounds == {2}  # ~1e13 T states at 1e-3 need two rounds of 15-to-1


@pytest.mark.slow  # 48 Microsoft estimates: the same check at both budgets
@pytest.mark.parametrize("budget", [1e-2, 1e-3])
@pytest.mark.parametrize("all_shots", [False, True])
def test_every_case_both_budgets(query_rows, budget, all_shots):
    for row in query_rows:
        ours, theirs = _parity(_counts(row, row["shots"] if all_shots else 1), budget)
        _check(ours, theirs, (row["model"], row["N"], all_shots, budget))
