"""Claim verdicts vs docs/design.md#what-the-analysis-shows, and the growth rule itself."""

import pytest
import sympy

from qlaci_cost.analysis.claim_rules import POLYLOG_SLOPE, VERDICTS, is_polylog
from qlaci_cost.qlaci.claims import CLAIMS, simulate_attention
from qlaci_cost.qram.table import N
from qlaci_cost.symbolics.scaling import Growth, growth
from qlaci_cost.verdicts.claims import claim_table

LOG2N = sympy.log(N) / sympy.log(2)
R = sympy.Rational

# Top decade of 2^20..2^40 is 2^37..2^40; the 2^20 point keeps the grid honest.
SIZES = [2**20] + [2**k for k in range(36, 41)]
MODELS = ["bucket-brigade", "bucket-brigade-parallel", "qrom", "select-swap", "ideal"]


@pytest.fixture(scope="module")
def table():
    """The QLACI family's claims (other families add their own rows: tested with them)."""
    return claim_table(MODELS, SIZES, family_names=["qlaci"])


def verdict(table, key, model):
    (row,) = [r for r in table.rows if r["key"] == key and r["model"] == model]
    return row["verdict"]


def evidence(table, key, model, metric):
    (e,) = [
        e
        for e in table.evidence
        if e["claim"] == key and e["model"] == model and e["metric"] == metric
    ]
    return e


# ---------------------------------------------------------------------------- growth


@pytest.mark.parametrize(
    "expr, a, k",
    [
        (12 * N - 8, 1, 0),
        (2 * LOG2N + 10, 0, 1),
        (N * LOG2N, 1, 1),
        (LOG2N**2 + 7, 0, 2),
        (sympy.Integer(38), 0, 0),
        (sympy.Max(N + 2 * LOG2N + 9, 2 * N + 4 * LOG2N + 6), 1, 0),
        (sympy.Max(0, 2 * LOG2N - 1) + 8, 0, 1),
        # SelectSwap-like block size 2^ceil(n/2 - 3/2): 4N / 2^... ~ 8 sqrt(2) sqrt(N).
        (4 * N / 2 ** sympy.Max(0, sympy.ceiling(LOG2N / 2 - R(3, 2))) - 8, R(1, 2), 0),
        (sympy.ceiling(200 * N**2 * sympy.log(40)), 2, 0),
        (N * sympy.ceiling(200 * N**2 * sympy.log(40)) * (2 * LOG2N + 4), 3, 1),
    ],
)
def test_growth_of_hand_expressions(expr, a, k):
    assert growth(expr) == Growth(a, k)


def test_growth_text():
    assert Growth(1, 1).text() == "O(N log N)"
    assert Growth(R(1, 2), 0).text() == "O(N^0.5)"
    assert Growth(0, 2).text() == "O(log^2 N)"
    assert Growth(0, 0).text() == "O(1)"


def test_rule_flags_disagreement():
    """Leading order decides; a slope on the wrong side of 0.25 is flagged, not obeyed."""
    assert is_polylog({"growth": Growth(0, 1), "slope": 0.05}) == (True, True)
    assert is_polylog({"growth": Growth(1, 0), "slope": 0.99}) == (False, True)
    assert is_polylog({"growth": Growth(0, 3), "slope": POLYLOG_SLOPE + 0.1}) == (True, False)


# ---------------------------------------------------------------------------- verdicts


def test_every_row_has_an_allowed_verdict(table):
    assert {r["verdict"] for r in table.rows} <= set(VERDICTS)
    # Every model once per QLACI claim; other registered families add rows of their own.
    assert len([r for r in table.rows if r["key"] in CLAIMS]) == len(MODELS) * len(CLAIMS)


def test_bucket_brigade_fails_every_claim(table):
    """docs/design.md#gates-per-query: O(N) qubits, Theta(N) gates and (sequential) depth per
    query."""
    for key in CLAIMS:
        assert verdict(table, key, "bucket-brigade") == "fails", key
    assert evidence(table, "qubits", "bucket-brigade", "qubits")["slope"] == pytest.approx(1, 0.02)
    e = evidence(table, "query-cost", "bucket-brigade", "toffoli")
    assert e["slope"] == pytest.approx(1, abs=0.02) and e["leading_order"] == "O(N)"


def test_parallel_bucket_brigade_holds_only_for_depth(table):
    """docs/design.md#gates-per-query: only the depth can be poly(log N): per head gates
    Theta(N^2), depth
    N polylog N."""
    m = "bucket-brigade-parallel"
    assert verdict(table, "qubits", m) == "fails"
    assert verdict(table, "query-cost", m) == "holds only for depth"
    assert verdict(table, "head-cost", m) == "holds only for depth"
    assert verdict(table, "no-pairwise", m) == "fails"
    assert evidence(table, "query-cost", m, "toffoli_depth")["slope"] < POLYLOG_SLOPE
    assert evidence(table, "no-pairwise", m, "total gates")["leading_order"] == "O(N^2)"


def test_qrom_has_log_qubits_but_linear_gates(table):
    """docs/references.md: QROM qubits b + 2n - 1 (O(log N)), N - 2 And gates per call."""
    assert verdict(table, "qubits", "qrom") == "holds"
    assert verdict(table, "query-cost", "qrom") == "fails"
    assert evidence(table, "query-cost", "qrom", "toffoli")["leading_order"] == "O(N)"


def test_select_swap_t_count_grows_like_sqrt_n(table):
    """docs/references.md: SelectSwap T-count ~ sqrt(N b) with ~ sqrt(N b) extra qubits, while the
    Clifford count stays Theta(N b)."""
    assert evidence(table, "query-cost", "select-swap", "t_count")["leading_order"] == "O(N^0.5)"
    assert evidence(table, "qubits", "select-swap", "qubits")["leading_order"] == "O(N^0.5)"
    assert evidence(table, "query-cost", "select-swap", "clifford")["leading_order"] == "O(N)"
    assert verdict(table, "query-cost", "select-swap") == "fails"


def test_ideal_holds_as_an_assumption(table):
    for key in ("qubits", "query-cost", "head-cost", "no-pairwise"):
        (row,) = [r for r in table.rows if r["key"] == key and r["model"] == "ideal"]
        assert row["verdict"] == "holds" and row["qram"] == "assumed oracle"
        assert "assumed" in row["evidence"]
    assert any("ASSUMED" in n for n in table.notes)


def test_global_attention_fails_for_every_model(table):
    """docs/design.md#kernel-average-not-softmax: a uniform kernel average; one position needs
    ~N^2 shots."""
    assert {verdict(table, "global-attention", m) for m in MODELS} == {"fails"}
    e = evidence(table, "global-attention", "qrom", "Hoeffding shots per observable at eps = 0.1/N")
    assert e["leading_order"] == "O(N^2)" and e["slope"] == pytest.approx(2, abs=0.01)
    # Hoeffding: ceil(2 ln 40 / (0.1 / 2^40)^2) = ceil(200 ln 40 2^80).
    assert e["value"] == int(sympy.ceiling(200 * sympy.log(40) * sympy.Integer(2) ** 80))


def test_verdict_text_names_each_claim(table):
    for claim in CLAIMS.values():
        assert claim in table.verdict_text
    assert "holds only for depth: bucket-brigade-parallel" in table.verdict_text


def test_relative_precision_breaks_the_head_claim_even_for_ideal():
    """docs/design.md#readout-precision: at eps = r/N shots grow ~N^2, so an ideal-QRAM head
    costs N^3 log N."""
    t = claim_table(["ideal"], [2**k for k in range(10, 15)], precision="rel:0.1")
    assert verdict(t, "head-cost", "ideal") == "fails"
    assert verdict(t, "no-pairwise", "ideal") == "fails"
    assert evidence(t, "head-cost", "ideal", "total_toffoli")["leading_order"] == "O(N^3 log N)"


# ---------------------------------------------------------------------------- simulation


def test_simulation_is_the_uniform_average():
    sim = simulate_attention("ideal")
    assert sim["kernel_error"] < 1e-6 and sim["duplicate_error"] < 1e-6
    assert sim["softmax_gap"] > 1e-3 and sim["separation"] > 1e-3


def test_simulation_does_not_depend_on_the_qram_model():
    """The QROM circuit gives the same expectations as the ideal oracle on the same data."""
    a, b = simulate_attention("ideal"), simulate_attention("qrom")
    assert a["superposed"] == pytest.approx(b["superposed"], abs=1e-6)
    assert b["kernel_error"] < 1e-6
