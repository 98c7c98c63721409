"""The multi-query table: executions unchanged (to the derived margin), circuits N / B."""

import math
from fractions import Fraction

import pytest

from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.core.summary import cost_summary, evaluate
from qlaci_cost.qlaci.multi_query.batch_readout import batch_measurement_cost
from qlaci_cost.qlaci.multi_query.query import MultiQueryQLACI
from qlaci_cost.qlaci.multi_query.table import BATCH_COLUMNS, multi_query_rows, pad_batch
from qlaci_cost.qlaci.query import QLACIQuery
from qlaci_cost.qlaci.table import qlaci_rows

REL = Scenario(precision="rel:0.1")


def test_head_executions_unchanged_while_qubits_and_gates_grow():
    """N = 1024, B = 1, 4, 64 (the acceptance case, at rel:0.1): executions per head == N x S
    (B = 1, the `qlaci_rows` head) times at most the derived margin; circuits N / B; qubits
    grow by log2 B, per-execution rotations and T count grow with B."""
    rows = multi_query_rows(["bucket-brigade"], [1024], [1, 4, 64], "head", REL).rows
    single = qlaci_rows(["bucket-brigade"], [1024], "head", REL).rows[0]
    base = rows[0]
    assert base["executions"] == 1024 * single["shots"]
    assert base["total_toffoli"] == single["total_toffoli"]
    for r in rows:
        B = r["batch"]
        c = batch_measurement_cost("rel:0.1", 1024, B)
        assert r["executions"] == (1024 // B) * c.runs
        assert r["circuits"] == 1024 // B
        assert r["qubits"] == single["qubits"] + int(math.log2(B))
        # The derived margin: S'/S - 1 + (L + sqrt(L^2 + 2 L S')) / S.
        if B > 1:
            S, S1 = single["shots"], c.samples
            L = math.log(B / (float(c.split) / 20))
            margin = S1 / S - 1 + (L + math.sqrt(L * L + 2 * L * S1)) / S + 1 / S
            ratio = Fraction(r["executions"], base["executions"])
            assert 1 <= ratio <= 1 + margin
            assert ratio < Fraction(1001, 1000)
    assert [r["rotations"] for r in rows] == sorted({r["rotations"] for r in rows})
    assert rows[0]["t_count"] < rows[1]["t_count"] < rows[2]["t_count"]


def test_qram_loader_grows_toffolis():
    rows = multi_query_rows(["bucket-brigade"], [1024], [4, 64], loader="qram").rows
    single = qlaci_rows(["bucket-brigade"], [1024]).rows[0]
    assert single["toffoli"] < rows[0]["toffoli"] < rows[1]["toffoli"]


def test_rows_equal_the_bloq_and_the_symbolic_row():
    rows = multi_query_rows(["qrom"], [16, 64], [4], level="query").rows
    sym = multi_query_rows(["qrom"], [], [4], level="query", symbolic=True).rows[0]
    for r in rows:
        bloq = cost_summary(MultiQueryQLACI(QLACIQuery(r["N"], qram_model="qrom"), 4))
        assert {m: r[m] for m in bloq.metrics()} == bloq.metrics()
        assert r["circuits"] == 1 and r["executions"] == r["shots"]
        for col in ("qubits", "toffoli", "depth", "shots", "total_t_count", "executions"):
            assert evaluate(sym[col], {"N": r["N"]}) == r[col], col
    assert set(BATCH_COLUMNS) <= set(rows[0])


def test_pooled_and_processors():
    pooled = multi_query_rows(["qrom"], [256], [16], pooled=True).rows[0]
    single = qlaci_rows(["qrom"], [256]).rows[0]
    assert pooled["shots"] == single["shots"]  # one query's executions for the pooled mean
    assert pooled["executions"] == 16 * single["shots"]
    p4 = multi_query_rows(["qrom"], [256], [16], processors=4).rows[0]
    p1 = multi_query_rows(["qrom"], [256], [16]).rows[0]
    assert p4["total_depth"] * 4 == p1["total_depth"]
    assert p4["total_toffoli"] == p1["total_toffoli"] and p4["executions"] == p1["executions"]
    assert p4["head_qubits"] == 4 * p1["qubits"]


def test_shots_given():
    r = multi_query_rows(["qrom"], [64], [1, 4], shots=1000, precision="abs:0.1").rows
    assert r[0]["shots"] == 1000
    assert r[1]["shots"] > 4 * 1000


def test_bad_batch_is_named():
    assert pad_batch(3) == (4, "B=3 padded to the next power of two, B=4")
    with pytest.raises(ValueError, match="B=0"):
        multi_query_rows(["qrom"], [16], [0])
    with pytest.raises(ValueError, match="B=32 is not allowed: at most N=16"):
        multi_query_rows(["qrom"], [16], [32])
    with pytest.raises(ValueError, match="level 'block'"):
        multi_query_rows(["qrom"], [16], [2], level="block")
    table = multi_query_rows(["qrom"], [16], [3])
    assert table.rows[0]["batch"] == 4 and any("padded" in n for n in table.notes)
