"""The closed forms travel exactly: the explorer page's engine (explorer_engine.js, run here by
node) evaluates the exported trees to the same exact numbers as the Python that compiled them.

Two sources each time: the engine's value (the trees of `verdicts.explorer.explorer_data`,
evaluated in JavaScript with BigInt) against the package's own computation of the same
number (`qlaci_rows`'s compiled closed forms, `measurement_cost`, `runtime_seconds`,
`physical.estimate`, `head_estimate`), at sizes up to N = 2^60 where a float would round.
"""

import json
import random
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest
import sympy

from qlaci_cost.analysis.baselines import CROSSOVER_BASELINES, baseline_options_for
from qlaci_cost.analysis.roofline import runtime_seconds
from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.analysis.shots import METHODS, measurement_cost
from qlaci_cost.core.summary import METRICS
from qlaci_cost.errors import InputError
from qlaci_cost.physical import estimate
from qlaci_cost.qlaci.table import qlaci_rows
from qlaci_cost.symbolics.export import expression_tree
from qlaci_cost.verdicts.explorer import explorer_data, explorer_support
from qlaci_cost.verdicts.head import head_estimate, head_rows

NODE = shutil.which("node")
RUNNER = Path(__file__).with_name("explorer_node.js")
MODELS = ["bucket-brigade", "select-swap", "ideal"]
SIZES = [2**4, 2**10, 2**33, 2**60]

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


@pytest.fixture(scope="module")
def data_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("explorer") / "explorer.json"
    path.write_text(json.dumps(explorer_data(MODELS, [2**20], Scenario())))
    return path


def engine(data_file: Path, tasks: list[dict]) -> list:
    """The engine's results of `tasks` (tests/output/explorer_node.js)."""
    text = json.dumps({"data": str(data_file), "tasks": tasks})
    done = subprocess.run(
        [NODE, str(RUNNER)], input=text, capture_output=True, text=True, check=True, timeout=300
    )
    out = json.loads(done.stdout)
    errors = [(t, r["error"]) for t, r in zip(tasks, out) if "error" in r]
    assert not errors, errors
    return out


def test_query_metrics_equal_the_compiled_closed_forms_up_to_2_60(data_file):
    rows = qlaci_rows(MODELS, SIZES, "query", Scenario()).rows
    tasks = [{"op": "metrics", "model": r["model"], "N": str(r["N"])} for r in rows]
    for r, got in zip(rows, engine(data_file, tasks)):
        assert {m: int(got[m]) for m in METRICS} == {m: r[m] for m in METRICS}, r["model"]
    big = [r for r in rows if r["N"] == 2**60 and r["model"] == "bucket-brigade"]
    assert big and big[0]["toffoli"] > 2**53  # where a double would round


@pytest.mark.parametrize(("c", "k"), [(1, 0), (3, 2), (7, 5)])
def test_the_ideal_oracles_c_and_k_travel_as_symbols(data_file, c, k):
    options = {"qram_options": {"c": c, "k": k}}
    rows = qlaci_rows(["ideal"], SIZES, "query", Scenario(), **options).rows
    tasks = [{"op": "metrics", "model": "ideal", "N": str(r["N"]), "c": c, "k": k} for r in rows]
    for r, got in zip(rows, engine(data_file, tasks)):
        assert {m: int(got[m]) for m in METRICS} == {m: r[m] for m in METRICS}


PRECISIONS = ["abs:0.01", "abs:1e-6", "abs:0.5", "rel:0.1", "rel:1e-6"]


def test_runs_and_calls_equal_measurement_cost(data_file):
    data = json.loads(data_file.read_text())
    d_ctx, delta = data["readout"]["d_ctx"], sympy.Rational(data["readout"]["delta"])
    cases = [(p, m, n) for p in PRECISIONS for m in METHODS for n in (2**4, 2**20, 2**60)]
    tasks = [{"op": "readout", "precision": p, "method": m, "N": str(n)} for p, m, n in cases]
    for (p, m, n), got in zip(cases, engine(data_file, tasks)):
        mc = measurement_cost(p, n, d_ctx, m, delta)
        assert (int(got["runs"]), int(got["calls"])) == (mc.runs, mc.circuit_calls), (p, m, n)
    mc = measurement_cost("rel:0.1", 2**60, d_ctx, "hoeffding", delta)
    assert mc.circuit_calls > 2**120  # decided exactly from the constant's 120 decimals


def test_classical_runtimes_equal_the_roofline(data_file):
    scenario = Scenario()
    cases = [(b, n) for b in CROSSOVER_BASELINES for n in (2**4, 2**20, 2**40, 2**60)]
    tasks = [{"op": "classical", "baseline": b, "N": str(n)} for b, n in cases]
    for (b, n), got in zip(cases, engine(data_file, tasks)):
        options = baseline_options_for(b, scenario.baseline_options, {})
        want = runtime_seconds(b, n, scenario.head_dim, scenario.hardware, 2, **options)
        assert Fraction(int(got[0]), int(got[1])) == Fraction(int(want.p), int(want.q)), (b, n)


def _counts(rng: random.Random) -> dict:
    """Logical counts of one run, from one gate to ~2^70 (beyond Qualtran's float range)."""
    toffoli = rng.choice([0, 1, rng.randrange(1, 10**4), rng.randrange(1, 2**45), 2**70 + 3])
    rotations = rng.choice([0, rng.randrange(1, 10**3), rng.randrange(1, 2**50)])
    t = rng.choice([0, rng.randrange(1, 10**5)])
    depth = max(1, toffoli // rng.choice([1, 2, 1000]) + rotations)
    return {
        "qubits": rng.choice([3, 5141, rng.randrange(1, 2**42)]),
        "toffoli": toffoli,
        "t_count": 4 * toffoli + 16 * rotations + t,
        "rotations": rotations,
        "measurements": rng.randrange(0, 100),
        "toffoli_depth": depth,
        "t_depth": depth + 15 * rotations,
    }


def _physical_cases(n: int, seed: int) -> list[tuple[dict, dict]]:
    rng = random.Random(seed)
    cases = []
    for _ in range(n):
        params = {
            "physical_error": rng.choice([1e-4, 1e-3, 2e-3, 3.5e-3, 5e-3]),
            "cycle_time_us": rng.choice(["1.0", "0.4", "2.5"]),
            "reaction_time_us": rng.choice(["10.0", "1.0", "0.4", "100.0"]),
            "error_budget": rng.choice([1e-2, 5e-4, 1.2345e-9, 3e-20]),
        }
        cases.append((_counts(rng), params))
    return cases


def _check_physical(data_file: Path, cases: list[tuple[dict, dict]]) -> tuple[int, int]:
    """Every case's engine estimate equals `physical.estimate`'s; (15-to-1 factories, invalid)."""
    tasks = [
        {"op": "physical", "counts": {k: str(v) for k, v in c.items()}, "params": p}
        for c, p in cases
    ]
    fallbacks = invalid = 0
    for (counts, params), got in zip(cases, engine(data_file, tasks)):
        py = {k: float(v) if k.endswith("_us") else v for k, v in params.items()}
        e = estimate(counts, "gidney-fowler", **py)
        assert Fraction(int(got["runtime_s"][0]), int(got["runtime_s"][1])) == e.runtime_s
        assert got["valid"] == bool(e.valid), (counts, params)
        assert int(got["physical_qubits"]) == e.physical_qubits, (counts, params)
        assert (got["code_distance"], int(got["n_factories"])) == (e.code_distance, e.n_factories)
        assert got["factory"] == e.factory and int(got["t_per_rotation"]) == e.t_per_rotation
        fallbacks += "15-to-1" in e.factory
        invalid += not e.valid
    return fallbacks, invalid


def test_the_physical_model_transcription_equals_gidney_fowler(data_file):
    fallbacks, invalid = _check_physical(data_file, _physical_cases(8, 2021))
    assert fallbacks >= 3 and invalid >= 3  # both the 15-to-1 search and refusals were met


@pytest.mark.slow  # about a minute: a 15-to-1 factory search per case in Python
def test_the_physical_model_transcription_on_many_counts(data_file):
    fallbacks, invalid = _check_physical(data_file, _physical_cases(80, 7))
    assert fallbacks >= 10 and invalid >= 10


HEAD_CASES = [
    ("bucket-brigade", 2**20, {}),
    ("bucket-brigade", 2**40, {"precision": "rel:0.1"}),
    ("select-swap", 2**30, {"method": "amplitude-estimation", "physical_error": "0.002"}),
    ("ideal", 2**60, {"ideal_c": "5", "ideal_k": "3", "cycle_time_us": "0.4"}),
    ("ideal", 2**12, {"method": "clt", "precision": "abs:1e-6", "reaction_time_us": "1.0"}),
]


@pytest.mark.parametrize("scope", ["run", "job"])
def test_head_estimates_equal_head_estimate(data_file, tmp_path, scope):
    data = json.loads(data_file.read_text())
    data["physical"]["budget_scope"] = scope
    path = tmp_path / "explorer.json"
    path.write_text(json.dumps(data))
    base = data["knobs"]["values"]
    tasks = [
        {"op": "estimate", "model": m, "N": str(n), "knobs": {**base, **k}}
        for m, n, k in HEAD_CASES
    ]
    for (model, n, k), got in zip(HEAD_CASES, engine(path, tasks)):
        knobs = {**base, **k}
        physical = {p: float(knobs[p]) for p in ("physical_error", "cycle_time_us")}
        physical["reaction_time_us"] = float(knobs["reaction_time_us"])
        scenario = Scenario(
            precision=knobs["precision"],
            method=knobs["method"],
            physical_params=physical,
            budget_scope=scope,
        )
        options = {"qram_options": {"c": int(knobs["ideal_c"]), "k": int(knobs["ideal_k"])}}
        rows, _ = head_rows([model], [n], scenario, **(options if model == "ideal" else {}))
        e = head_estimate(rows[0], scenario)
        assert Fraction(int(got["runtime_s"][0]), int(got["runtime_s"][1])) == e.runtime_s
        assert got["valid"] == bool(e.valid) and int(got["physical_qubits"]) == e.physical_qubits


def test_a_ceiling_too_close_to_call_is_an_error_not_a_rounding():
    source = RUNNER.parents[2] / "qlaci_cost" / "output" / "explorer_engine.js"
    script = (
        f"const E=require({json.dumps(str(source))});"
        "try { E.evaluate(['ceil', ['c', 'x', '3.00000', 3]], {}); console.log('rounded'); }"
        " catch (e) { console.log('refused: ' + e.message); }"
        "console.log(E.integer(['ceil', ['c', 'y', '2.50000', 3]], {}).toString());"
    )
    out = subprocess.run([NODE, "-e", script], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["refused: cannot decide the ceiling (too close to an integer)", "3"]


def test_trees_keep_big_integers_as_digits_and_refuse_what_they_cannot_say():
    n = sympy.Symbol("N", positive=True, integer=True)
    assert expression_tree(2**70 * n) == ["*", ["i", str(2**70)], ["s", "N"]]
    assert expression_tree(sympy.log(n) / sympy.log(2)) == ["log2", ["s", "N"]]
    with pytest.raises(InputError, match="not allowed in a tree"):
        expression_tree(sympy.log(n))
    with pytest.raises(InputError, match="not allowed in a tree"):
        expression_tree(sympy.sin(n))


def test_only_the_transcribed_physical_family_is_supported():
    assert explorer_support(Scenario()) == ""
    assert explorer_support(Scenario(physical_model="gidney-fowler-optimistic")) == ""
    assert "gidney-fowler presets only" in explorer_support(Scenario(physical_model="beverland"))
    assert "shots given" in explorer_support(Scenario(shots=100))
    with pytest.raises(InputError, match="not supported by the explorer"):
        explorer_data(["ideal"], [16], Scenario(physical_model="microsoft-like"))
