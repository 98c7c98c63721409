"""Global tokens: multiply-adds by an explicit reference loop; hybrid vs Longformer crossover."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qlaci_cost.qlaci.crossover import head_rows
from qlaci_cost.qlaci.multi_query.global_tokens import (
    classical_seconds,
    global_multiply_adds,
    global_token_crossover,
    global_token_rows,
    local_multiply_adds,
    longformer_multiply_adds,
)


def reference_multiply_adds(n, g, w, d, all_classical):
    """Loop over every (query, key) pair a Longformer-style head computes: a score (d
    multiply-adds) and an output accumulation (d more). Global tokens are positions 0..G-1;
    a local token's band is the 2w + 1 slots i - w .. i + w (padded at the ends), plus the G
    global keys."""
    total = 0
    for i in range(n):
        if i < g:
            if not all_classical:
                continue  # the hybrid runs this query by QLACI
            keys = list(range(n))
        else:
            keys = [("band", j) for j in range(i - w, i + w + 1)] + [
                ("global", j) for j in range(g)
            ]
        for _ in keys:
            total += d  # score q_i . k_j
            total += d  # o_i += p_ij v_j
    return total


@settings(max_examples=80, deadline=None)
@given(n=st.integers(1, 40), g=st.integers(0, 40), w=st.integers(0, 8), d=st.integers(1, 8))
def test_multiply_adds_equal_the_reference_loop(n, g, w, d):
    g = min(g, n)
    assert local_multiply_adds(n, g, w, d) == reference_multiply_adds(n, g, w, d, False)
    assert longformer_multiply_adds(n, g, w, d) == reference_multiply_adds(n, g, w, d, True)
    assert global_multiply_adds(n, g, d) == 2 * d * g * n


def test_design_formula():
    # 2 d (N - G)(2w + 1 + G) at N = 1024, G = 16, w = 256, d = 64.
    assert local_multiply_adds(1024, 16, 256, 64) == 2 * 64 * 1008 * 529


def test_rows_are_g_queries_of_the_head():
    rows, notes = global_token_rows(["qrom"], [64, 1024], 8, 32)
    head, _ = head_rows(["qrom"], [64, 1024], precision="abs:0.01")
    for r, h in zip(rows, head):
        assert r["shots"] == h["shots"] and r["toffoli"] == h["toffoli"]
        assert r["total_toffoli"] * r["N"] == 8 * h["total_toffoli"]
        assert r["saved_multiply_adds"] == 2 * 64 * 8 * r["N"]
    assert any("2 d (N - G)(2w + 1 + G)" in n for n in notes)


def test_crossover_none_for_circuit_models():
    """The G quantum queries are slower than the global part on a GPU at every N."""
    res = global_token_crossover(["qrom", "ideal"], [2**k for k in (6, 10, 16, 20)], 16, 256)
    for rec in res.records:
        assert rec["crossover_N"] is None and rec["verdict"].startswith("none up to 2^20")
        assert rec["margin"] > 1
    assert res.records[1]["qram"] == "assumed oracle"
    # The hybrid is never faster than its own classical local part.
    for q in res.quantum["qrom"]:
        assert q.runtime_s >= classical_seconds(q.N, 16, 256, 64, with_global=False)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="G=65 is not allowed: at most N=64"):
        local_multiply_adds(64, 65, 4, 8)
    with pytest.raises(ValueError, match="W=-1"):
        local_multiply_adds(64, 4, -1, 8)
