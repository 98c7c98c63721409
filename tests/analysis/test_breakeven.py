"""Break-even search: plugged back into the crossover, against hand solutions, and its ranges."""

import io
import math
from fractions import Fraction

import pytest

from qlaci_cost import InputError
from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.core.numbers import sci_text
from qlaci_cost.core.progress import Progress
from qlaci_cost.qlaci.crossover import crossover
from qlaci_cost.verdicts.breakeven import bisect_flip, breakeven

N = 2**40


def _crossover_ratio(baseline: str, scenario: Scenario) -> Fraction:
    """quantum / classical at N by the crossover (the independent path)."""
    (rec,) = crossover(["ideal"], [baseline], [N], scenario).records
    return rec["quantum_s"] / rec["classical_s"]


def _one(rows, knob):
    (row,) = [r for r in rows if r["knob"] == knob]
    return row


def test_bisection_on_a_known_function():
    status, x = bisect_flip(lambda x: Fraction(x) / 3, 1e-3, 1e3)
    assert status == "flip" and x == pytest.approx(3, rel=1e-5) and x < 3
    status, x = bisect_flip(lambda x: Fraction(7, 1) / x, 1, 100, integer=True)
    assert (status, x) == ("flip", 8)  # 7 / P < 1 first at P = 8
    assert bisect_flip(lambda x: Fraction(2), 1, 10) == ("never", None)
    assert bisect_flip(lambda x: Fraction(1, 2), 1, 10) == ("always", None)
    assert bisect_flip(lambda x: None, 1, 10) == ("never", None)  # invalid: never compared


def test_reaction_time_breakeven_reproduced_by_the_crossover():
    """ideal vs softmax at N = 2^40 with amplitude estimation: at the found reaction time the
    crossover's own quantum and classical runtimes are equal (to the bisection's width)."""
    scenario = Scenario()
    rows, _ = breakeven(["ideal"], ["softmax"], [N], scenario, ["reaction_time_us x method"])
    row = _one(rows, "reaction_time_us x method=amplitude-estimation")
    assert row["status"] == "flip"
    r = row["value"]
    ae = scenario.evolve(method="amplitude-estimation")
    at = _crossover_ratio("softmax", ae.evolve(physical_params={"reaction_time_us": r}))
    assert 1 - 1e-4 < at <= 1
    above = _crossover_ratio("softmax", ae.evolve(physical_params={"reaction_time_us": r * 1.001}))
    assert above > 1


def test_qpus_and_efficiency_match_their_closed_forms():
    """P machines: quantum / P < classical first at P = floor(ratio) + 1; classical efficiency
    f: quantum < classical / f while f < 1 / ratio (ratio from the crossover)."""
    scenario = Scenario()
    ratio = _crossover_ratio("softmax", scenario)
    knobs = ["qpus", "classical_efficiency"]
    rows, _ = breakeven(["ideal"], ["softmax"], [N], scenario, knobs, machine_qubits=10**12)
    assert _one(rows, "qpus")["value"] == math.floor(ratio) + 1
    assert _one(rows, "classical_efficiency")["value"] == pytest.approx(float(1 / ratio), rel=1e-5)


def test_never_states_the_physical_range():
    """Against QLACI's exact twin, even a reaction time of one cycle (1 us, the range's
    favourable end) leaves the quantum head slower: checked by the crossover itself."""
    scenario = Scenario()
    rows, _ = breakeven(["ideal"], ["qlaci-exact"], [N], scenario, ["reaction_time_us", "qpus"])
    row = _one(rows, "reaction_time_us")
    assert row["breakeven_value"] == "never ([1, 1e+04])"
    assert row["range"].startswith("[1, 1e+04]: reaction time >= one cycle (1 us)")
    fast = scenario.evolve(physical_params={"reaction_time_us": 1.0})
    assert _crossover_ratio("qlaci-exact", fast) > 1
    qpus = _one(rows, "qpus")
    assert qpus["status"] == "never" and "P <= 100,000,000 physical qubits" in qpus["range"]


def test_bad_knob_and_machine():
    with pytest.raises(InputError, match="knob='speed'"):
        breakeven(["ideal"], ["flash"], [16], None, ["speed"])
    with pytest.raises(InputError, match="machine_qubits=0"):
        breakeven(["ideal"], ["flash"], [16], None, ["qpus"], machine_qubits=0)


def test_crossover_compares_every_model_with_the_twin_of_the_same_query():
    """The default baselines include qlaci-exact; its time follows the query's own sizes."""
    from qlaci_cost.analysis.baselines import CROSSOVER_BASELINES, QLACIExact
    from qlaci_cost.analysis.classical import get_hardware

    assert CROSSOVER_BASELINES[-1] == "qlaci-exact"
    hw = get_hardware("h100")
    for d_q in (4, 2):
        r = crossover(["ideal"], ["qlaci-exact"], [2**10], None, d_q=d_q)
        # d_q = 4, n_kv = 2, d_k = d_v = d_ctx = r = 1 (docs/derivations/twin.md): rho_bar
        # 46 N + 16, forms 2 * 4^6, per query 3 d_q + 2^(d_q+1) - 4 + 2 4^d_q + 2 2^d_q.
        per_query = 3 * d_q + 2 ** (d_q + 1) - 4 + 2 * 4**d_q + 2 * 2**d_q
        flops = 46 * 2**10 + 16 + 2 * 4 ** (d_q + 2) + 2**10 * per_query
        assert QLACIExact(d_q=d_q).flops(2**10, 64) == flops
        assert r.classical["qlaci-exact"][0] >= Fraction(flops) / Fraction(hw.peak_flops)


def test_claims_judge_the_quantum_need_from_the_twin():
    """Each model: 'needs a quantum computer' fails (the twin is exact and O(N)); the
    pairwise row says the same holds classically. Twin FLOPs by hand at the default query:
    630 N + 8208 (docs/derivations/twin.md with d_q = 4, n_kv = 2, C = K = r = 1)."""
    from qlaci_cost.qlaci.claims import CLAIMS, qlaci_claims

    assert CLAIMS["needs-quantum"] == "QLACI's output needs a quantum computer"
    grid = [2**k for k in range(4, 13)]
    models = ("ideal", "qrom", "select-swap")
    table = qlaci_claims(models, grid)
    rows = {(r["key"], r["model"]): r for r in table.rows}
    for model in models:
        row = rows[("needs-quantum", model)]
        assert row["verdict"] == "fails"
        assert f"{sci_text(630 * 2**12 + 8208)} at N=2^12" in row["evidence"]
        assert "O(N)," in row["evidence"]
        assert "classically: QLACI's exact twin" in rows[("no-pairwise", model)]["evidence"]


def test_the_search_is_named_on_the_callers_progress():
    """Given the command's `Progress`, the search names its count there: after a silence the
    heartbeat line says how many (model, N) pairs are done and how many estimates were made."""
    now = [0.0]
    stream = io.StringIO()
    progress = Progress(stream, label="qlaci-cost breakeven", every=5, clock=lambda: now[0])
    rows, _ = breakeven(["ideal"], ["softmax"], [N], Scenario(), ["qpus"], progress=progress)
    assert stream.getvalue() == ""  # nothing before a silence
    now[0] += 6
    progress.beat()
    line = stream.getvalue()
    assert line.startswith("qlaci-cost breakeven: still running: 0/1 (model, N) done, ")
    assert line.endswith(" estimates (6 s elapsed)\n") and rows
