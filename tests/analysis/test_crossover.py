"""Crossover records: toy cases solved by hand, and the real pipeline against hand-built counts."""

import math
from fractions import Fraction

import pytest
import sympy

from qlaci_cost.analysis.classical import HARDWARE
from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.core.summary import cost_summary
from qlaci_cost.physical import estimate
from qlaci_cost.qlaci import QLACIQuery
from qlaci_cost.qlaci.crossover import (
    CrossoverResult,
    QuantumPoint,
    crossover,
    head_counts,
    head_rows,
    seconds_text,
)
from qlaci_cost.qram.ideal import ASSUMPTION_NOTE

GRID = [2**k for k in range(4, 17)]
# docs/references.md#shots-and-amplitude-estimation: Hoeffding at eps = 0.01, delta = 0.05
# gives 73,778 shots.
SHOTS = 73_778


def toy(quantum, classical, models=("bucket-brigade",), baselines=("softmax",), sizes=GRID):
    return crossover(models, baselines, sizes, quantum_runtime=quantum, classical_runtime=classical)


# ---------------------------------------------------------------------------- toy cases


def test_toy_crossover_is_the_smallest_n_with_quantum_faster():
    """1000 N < N^2 iff N > 1000: the first power of two is 2^10 = 1024."""
    r = toy(lambda m, n: 1000 * n, lambda b, n: n * n)
    (rec,) = r.records
    assert rec["crossover_N"] == 1024
    assert rec["verdict"] == "N = 2^10"
    assert rec["quantum_s"] == 1000 * 1024 and rec["classical_s"] == 1024**2
    assert rec["ratio"] == Fraction(1000, 1024)
    assert rec["margin"] == Fraction(1000, 2**16)  # smallest ratio: at the largest N
    assert rec["stays_ahead"] and rec["established"] == "yes"
    assert not rec["quantum_lower_bound"]


def test_toy_none_names_the_largest_power():
    r = toy(lambda m, n: 1000 * n, lambda b, n: n)
    (rec,) = r.records
    assert rec["crossover_N"] is None
    assert rec["verdict"] == "none up to 2^16"
    assert rec["N"] == 2**16 and rec["margin"] == 1000
    assert rec["established"] == "yes"  # a lower bound above classical still supports "none"


def test_toy_lower_bound_does_not_establish_a_crossover():
    r = toy(lambda m, n: (Fraction(1000 * n), True), lambda b, n: n * n)
    (rec,) = r.records
    assert rec["crossover_N"] == 1024 and rec["quantum_lower_bound"]
    assert rec["established"].startswith("no")
    assert "not established" in rec["note"]
    assert rec["lower_bound_points"] == len(GRID)


def test_toy_crossover_that_does_not_stay_ahead():
    """Quantum faster only at N = 2^6: the crossover is 2^6, and it does not stay ahead."""
    r = toy(lambda m, n: 1 if n == 64 else 10 * n, lambda b, n: n)
    (rec,) = r.records
    assert rec["crossover_N"] == 64 and not rec["stays_ahead"]


def test_toy_grid_is_padded_and_every_pair_is_recorded():
    r = toy(lambda m, n: n, lambda b, n: 2 * n, ("qrom", "ideal"), ("linear", "flash"), [10, 16])
    assert r.sizes == (16, 16)
    assert [(x["model"], x["baseline"]) for x in r.records] == [
        ("qrom", "linear"), ("qrom", "flash"), ("ideal", "linear"), ("ideal", "flash"),
    ]  # fmt: skip
    assert [x["qram"] for x in r.records] == ["circuit"] * 2 + ["assumed oracle"] * 2
    assert ASSUMPTION_NOTE in r.records[2]["note"] and ASSUMPTION_NOTE in r.notes
    series = r.series("ideal", "flash")
    assert series[0]["quantum_s"] == 16 and series[0]["classical_s"] == 32
    assert series[0]["quantum_faster"]


def test_toy_invalid_points_are_never_compared():
    """Quantum invalid (outside its error budget) at N = 2^10 and from 2^14 on, and 'faster'
    there: those runtimes are not estimates, so no crossover, ratio or margin comes from them;
    the verdict names the largest valid N and the record at the largest N shows no number."""
    bad = {2**10, 2**14, 2**15, 2**16}

    def quantum(model, n):
        if n in bad:
            return QuantumPoint(n, Fraction(1), False, 99, "reaction", False, (), "too noisy")
        return QuantumPoint(n, Fraction(10 * n), False, 7)

    (rec,) = toy(quantum, lambda b, n: n).records
    assert rec["crossover_N"] is None and rec["verdict"] == "none up to 2^13"
    assert rec["invalid_N"] == tuple(sorted(bad)) and not rec["quantum_valid"]
    assert rec["quantum_s"] is rec["ratio"] is rec["physical_qubits"] is None
    assert rec["margin"] == 10 and rec["invalid_reason"] == "too noisy"
    assert "2^10, 2^14, 2^15, 2^16" in rec["note"]
    (row,) = toy(quantum, lambda b, n: n).rows()
    assert row["quantum_valid"] == "no: too noisy" and row["quantum_s"] is None
    # a valid win after an invalid point is a crossover
    late = toy(quantum, lambda b, n: 100 * n if n == 2**12 else n).records[0]
    assert late["crossover_N"] == 2**12 and late["quantum_valid"]
    everything_bad = toy(
        lambda m, n: QuantumPoint(n, Fraction(1), False, within_budget=False), lambda b, n: n
    ).records[0]
    assert everything_bad["verdict"] == "no valid estimate up to 2^16"
    assert everything_bad["established"].startswith("no")


def test_quantum_point_passes_through():
    point = QuantumPoint(16, Fraction(3), True, physical_qubits=5)
    r = toy(lambda m, n: point, lambda b, n: 1, sizes=[16])
    assert r.quantum["bucket-brigade"][0] is point
    assert r.records[0]["physical_qubits"] == 5


# ---------------------------------------------------------------------------- real pipeline


def hand_head(model: str, n: int) -> dict:
    """Head counts built by hand from the concrete-size query cost (not the compiled symbolic
    path): N x 73,778 shots x per-query counts; sequential, so the Toffoli depth multiplies."""
    s = cost_summary(QLACIQuery(n, qram_model=model))
    mult = n * SHOTS
    return {
        "qubits": s.qubits,
        "toffoli": mult * s.toffoli,
        "t_count": mult * s.t_count,
        "rotations": mult * s.rotations,
        "measurements": mult * s.measurements,
        "toffoli_depth": mult * s.toffoli_depth,
        "t_depth": mult * s.t_depth,
    }


def hand_softmax_h100(n: int, d: int = 64) -> Fraction:
    """max(4 N^2 d / 989e12, 2 bytes x (4 N d + 4 N^2) / 3.35e12): classical.py's table."""
    flops = Fraction(4 * n * n * d, 989 * 10**12)
    traffic = Fraction(2 * (4 * n * d + 4 * n * n), 335 * 10**10)
    return max(flops, traffic)


def test_head_rows_match_hand_counts():
    rows, notes = head_rows(["bucket-brigade", "ideal"], [16, 64])
    for row in rows:
        hand = hand_head(row["model"], row["N"])
        assert row["shots"] == SHOTS
        assert head_counts(row) == hand
    assert any("N x shots" in n for n in notes)


def hand_run(model: str, n: int) -> dict:
    """One circuit run of the head, by hand: the concrete-size query's own counts."""
    s = cost_summary(QLACIQuery(n, qram_model=model))
    keys = ("qubits", "toffoli", "t_count", "rotations", "measurements", "toffoli_depth")
    return {**{k: getattr(s, k) for k in keys}, "t_depth": s.t_depth}


def test_real_runtimes_equal_hand_estimates():
    """Default scope `run`: one query run estimated at the per-run budget min(1e-2, eps / 20)
    = 1/2000 (eps = 0.01, docs/derivations/error-budget.md), times the N x 73,778 runs.
    Scope `job`: the whole head's hand-built counts in one estimate at the 1e-2 budget."""
    r = crossover(["bucket-brigade", "ideal"], ["softmax"], [16, 64])
    job = crossover(
        ["bucket-brigade", "ideal"], ["softmax"], [16, 64], Scenario(budget_scope="job")
    )
    for model in ("bucket-brigade", "ideal"):
        for point, whole, n in zip(r.quantum[model], job.quantum[model], (16, 64)):
            one = estimate(hand_run(model, n), "gidney-fowler", error_budget=0.0005)
            assert point.runtime_s == one.runtime_s * n * SHOTS
            assert point.physical_qubits == one.physical_qubits
            e = estimate(hand_head(model, n), "gidney-fowler")
            assert whole.runtime_s == e.runtime_s
            assert whole.physical_qubits == e.physical_qubits
    assert r.classical["softmax"] == [hand_softmax_h100(16), hand_softmax_h100(64)]
    assert all(rec["verdict"] == "none up to 2^6" for rec in r.records)


def test_assumptions_are_printed():
    r = crossover(["ideal"], ["flash"], [16], hardware="a100", physical_model="beverland")
    text = r.describe()
    for needle in (
        HARDWARE["a100"].name, "beverland", "additive eps = 0.01", "hoeffding", "d=64",
        "lower bound", "roofline", "one after another", "ASSUMED", "not equalised",
    ):  # fmt: skip
        assert needle in text, needle
    assert isinstance(r, CrossoverResult) and len(r.rows()) == 1


def test_active_qram_never_beats_softmax():
    """Theta(N) gates per query x N queries x constant shots vs 4 N^2 d FLOPs: the quantum
    head is ~10^11 times slower at every N with a valid estimate, and the gap does not close.
    With one error budget for every run of the head (budget scope `job`), from some N no
    factory reaches the error a magic state needs: those estimates are not estimates, so the
    verdict names the largest valid N and the record shows no number."""
    sizes = [2**k for k in range(4, 41, 6)]
    job = Scenario(budget_scope="job")
    r = crossover(["bucket-brigade", "qrom"], ["softmax", "flash"], sizes, job)
    for rec in r.records:
        points = r.quantum[rec["model"]]
        valid = [p.N for p in points if p.within_budget is not False]
        invalid = [p.N for p in points if p.within_budget is False]
        assert valid and invalid and max(valid) < min(invalid)
        assert rec["verdict"] == f"none up to 2^{max(valid).bit_length() - 1}"
        assert rec["invalid_N"] == tuple(invalid) and not rec["quantum_valid"]
        assert rec["quantum_s"] is None and rec["ratio"] is None
        assert rec["physical_qubits"] is None and "no supported factory" in rec["invalid_reason"]
        assert rec["margin"] > 10**9
        row = next(
            x for x in r.rows() if (x["model"], x["baseline"]) == (rec["model"], rec["baseline"])
        )
        assert row["quantum_s"] is row["ratio"] is row["physical_qubits"] is None
        assert row["quantum_valid"] == "no: " + rec["invalid_reason"]


def test_ideal_qram_crossover_is_computed_not_assumed():
    """Error budget scope `job` (one 1e-2 budget over the whole head). Under the ideal QRAM
    each query takes ~shots x its reaction layers x 10 us (reaction-
    limited at the 10 us reaction time) while softmax on an H100 is memory-bound at ~8 N bytes
    per query: a crossover exists near N ~ 2^48. Computed by hand here from the query's own
    Toffoli depth and T-depth: a synthesized rotation is t_rot sequential T layers, t_rot =
    ceil(0.53 log2(rotations / (budget / 3)) + 5.3) (its share of the 1e-2 budget), and the
    layers are the smaller of two upper bounds (at most min(rotations, Toffoli depth)
    rotations on a path; the T-depth at 16 T per rotation scaled by t_rot / 16). The record is
    established only where the estimate is valid (inside its error budget) and not a lower
    bound."""
    sizes = [2**k for k in range(40, 51)]
    hand = None
    for n in sizes:
        s = cost_summary(QLACIQuery(n, qram_model="ideal"))
        mult = n * SHOTS
        t_rot = math.ceil(0.53 * math.log2(mult * s.rotations / (1e-2 / 3)) + 5.3)
        layers = min(
            mult * s.toffoli_depth + min(mult * s.rotations, mult * s.toffoli_depth) * (t_rot - 1),
            -(-mult * s.t_depth * t_rot // 16),
        )
        quantum = layers * Fraction(10, 10**6)
        if quantum < hand_softmax_h100(n):
            hand = n
            break
    assert hand is not None and 2**44 <= hand <= 2**50
    r = crossover(["ideal"], ["softmax"], sizes, Scenario(budget_scope="job"))
    (rec,) = r.records
    assert rec["crossover_N"] == hand and not rec["quantum_lower_bound"]
    assert (rec["established"] == "yes") == bool(rec["within_budget"])
    assert rec["qram"] == "assumed oracle"


def test_seconds_text_handles_huge_values():
    assert seconds_text(Fraction(3, 2)) == "1.5"
    assert seconds_text(10**400 * 3) == "3e+400"
    assert seconds_text(None) == "" and seconds_text(0) == "0"


@pytest.mark.parametrize(
    "kwargs, needle",
    [
        ({"models": ["nope"]}, "nope"),
        ({"baselines": ["nope"]}, "nope"),
        ({"physical_model": "nope"}, "nope"),
        ({"hardware": "nope"}, "nope"),
        ({"precision": "abs:2"}, "abs:2"),
    ],
)
def test_bad_input_names_the_value(kwargs, needle):
    args = {"models": ["ideal"], "baselines": ["softmax"], "sizes": [16], **kwargs}
    with pytest.raises(ValueError, match=needle):
        crossover(**args)


def test_hoeffding_constant_matches_references():
    assert math.ceil(2 * math.log(2 / 0.05) / 0.01**2) == SHOTS
    assert sympy.ceiling(2 * sympy.log(40) * 10**4) == SHOTS
