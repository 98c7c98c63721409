"""Physical (surface-code) estimates: against Qualtran's own routines, published anchors,
exact huge counts, monotonicity, validation, and Microsoft's estimator."""

import json
import math
from fractions import Fraction

import pytest
import sympy
from qualtran.bloqs.data_loading import QROM
from qualtran.resource_counting import GateCounts
from qualtran.surface_code import (
    AlgorithmSummary,
    CCZ2TFactory,
    FastDataBlock,
    FifteenToOne,
    LogicalErrorModel,
    MultiFactory,
    PhysicalCostModel,
    PhysicalParameters,
    QECScheme,
    SimpleDataBlock,
    get_ccz2t_costs_from_error_budget,
    get_ccz2t_costs_from_grid_search,
    iter_ccz2t_factories,
)
from qualtran.surface_code import beverland_et_al_model as bev
from qualtran.surface_code.rotation_cost_model import BeverlandEtAlRotationCost

from qlaci_cost import physical
from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, Conventions
from qlaci_cost.core.summary import cost_summary
from qlaci_cost.physical import PRESETS, estimate, logical_input

US = Fraction(1, 10**6)
HOUR = 3600


def counts(qubits, toffoli, t=0, toffoli_depth=0, rotations=0, measurements=0, **extra):
    """A dict of metrics with t_count formed by the default conventions (4 T per Toffoli)."""
    t_count = t + 4 * toffoli + rotations * DEFAULT_CONVENTIONS.t_per_rotation
    return dict(qubits=qubits, toffoli=toffoli, t_count=t_count, toffoli_depth=toffoli_depth,
                rotations=rotations, measurements=measurements, **extra)  # fmt: skip


# ----------------------------------------------------------------------------- anchors


def test_gidney_fowler_spreadsheet_anchor_through_the_wrapper():
    # Qualtran gidney_fowler_model_test.test_vs_spreadsheet: 1e8 T + 1e8 Toffoli on 100 qubits,
    # p = 1e-3, 1 us cycle, budget 1e-2, CCZ2T(15, 31), one factory: the Gidney-Fowler
    # spreadsheet (arXiv:1812.01238) gives failure 0.0084, 4.00e5 qubits, 7.53 hours.
    e = estimate(counts(100, 10**8, t=10**8), factory=(15, 31), n_factories=1)
    assert e.failure_probability == pytest.approx(0.0084, rel=1e-3)
    assert e.physical_qubits == pytest.approx(4.00e5, rel=1e-3)
    assert float(e.runtime_s) / HOUR == pytest.approx(7.53, rel=1e-3)
    assert e.limited_by == "factories" and e.within_budget
    # Independent path: Qualtran's own function on the same numbers, exactly.
    direct = get_ccz2t_costs_from_error_budget(
        n_logical_gates=GateCounts(t=10**8, toffoli=10**8), n_algo_qubits=100
    )
    assert e.physical_qubits == direct.footprint
    assert float(e.runtime_s) / HOUR == pytest.approx(direct.duration_hr, rel=1e-15)
    assert e.failure_probability == pytest.approx(direct.failure_prob, rel=1e-12)


def test_thc_anchor_reproduced_with_qualtrans_grid_search_choice():
    # Qualtran gidney_fowler_model_test.test_grid_search_against_thc (Lee et al., PRX Quantum 2,
    # 030305 (2021), section IV.C): 6,665,400,000 Toffolis on 696 qubits, 4 factories.
    gates = GateCounts(toffoli=6665400000)
    cost, factory, block = get_ccz2t_costs_from_grid_search(
        n_logical_gates=gates, n_algo_qubits=696, error_budget=1e-2, phys_err=1e-3,
        factory_iter=iter_ccz2t_factories(n_factories=4),
        cost_function=lambda pc: pc.duration_hr,
    )  # fmt: skip
    base = factory.base_factory
    assert (base.distillation_l1_d, base.distillation_l2_d, block.data_d) == (17, 29, 33)
    e = estimate(counts(696, 6665400000), factory=(17, 29), n_factories=4, data_distance=33)
    assert e.physical_qubits == 2933032 == cost.footprint
    assert float(e.runtime_s) / HOUR == 89.1034375 == cost.duration_hr
    assert e.failure_probability == pytest.approx(0.007725395132201774, rel=1e-12)


def test_reaction_limited_run_against_qualtran_physical_cost_model():
    # 1e8 Toffolis, Toffoli depth 1e7: reaction-limited at 10 us per layer = 100 s, after the
    # first CCZ state exists (latency: two factory periods of 5.5 max(2 l1 + 1, l2) cycles,
    # one per distillation level). Qualtran's PhysicalCostModel, given the same factory count
    # and distance, must give the same qubits, and its factory time must not exceed 100 s.
    c = counts(100, 10**8, toffoli_depth=10**7)
    e = estimate(c)
    l1, l2 = (int(s.split("=")[1]) for s in e.factory[6:-1].split(", "))
    latency = 11 * max(2 * l1 + 1, l2)
    assert e.first_state_latency_s == latency * US
    assert e.runtime_s == 100 + latency * US == e.reaction_limited_time_s + latency * US
    assert e.limited_by == "reaction" and e.valid
    lem = LogicalErrorModel(qec_scheme=QECScheme.make_gidney_fowler(), physical_error=1e-3)
    gates = GateCounts(toffoli=10**8)
    single = CCZ2TFactory(l1, l2).n_cycles(gates, lem)
    assert e.n_factories == math.ceil(single / (10**7 * 10))
    model = PhysicalCostModel(
        physical_params=PhysicalParameters(physical_error=1e-3, cycle_time_us=1.0),
        data_block=SimpleDataBlock(data_d=e.code_distance),
        factory=MultiFactory(base_factory=CCZ2TFactory(l1, l2), n_factories=e.n_factories),
        qec_scheme=QECScheme.make_gidney_fowler(),
    )
    algo = AlgorithmSummary(n_algo_qubits=100, n_logical_gates=gates)
    assert e.physical_qubits == model.n_phys_qubits(algo)
    assert model.duration_hr(algo) * HOUR <= 100
    assert e.factory_limited_time_s == Fraction(model.n_cycles(algo)) * US
    # Data errors are charged for the full run: the smallest d meeting what is left of the
    # budget after distillation (no rotations: half the budget is distillation's share).
    qec = QECScheme.make_gidney_fowler()
    left = 1e-2 - CCZ2TFactory(l1, l2).factory_error(gates, lem)
    assert CCZ2TFactory(l1, l2).factory_error(gates, lem) <= 1e-2 / 2
    d = qec.code_distance_from_budget(physical_error=1e-3, budget=left / (150 * (10**8 + latency)))
    assert e.code_distance == d


def test_beverland_anchors_through_the_wrapper():
    # Qualtran beverland_et_al_model_test (Beverland et al. arXiv:2211.07629 examples), p = 1e-4:
    # (qubits, T, rotations, Toffoli, measurements, rotation layers, budget) -> time steps,
    # code distance, T states. The third example's published time steps (1.5e5) differ from
    # its own C_min (1.5e6), so only the two consistent ones are anchors here.
    cases = [
        ((1318, int(5.53e7), int(2.06e8), int(1.35e11), int(1.37e9), int(2.05e8)), 1e-2,
         4.1e11, 17, 5.44e11),
        ((12581, 12, 12, int(3.73e9), int(1.08e9), 12), 1 / 3, 1.23e10, 13, 1.49e10),
    ]  # fmt: skip
    for (q, t, r, tof, meas, layers), eps, steps, d, t_states in cases:
        c = counts(q, tof, t=t, rotations=r, measurements=meas, toffoli_depth=1)
        e = estimate({**c, "rotation_depth": layers}, "beverland", physical_error=1e-4,
                     error_budget=eps)  # fmt: skip
        assert e.code_distance == d
        assert e.magic_states == pytest.approx(t_states, rel=0.1)
        my_steps = e.algorithm_limited_time_s / (d * e.params.cycle_s)
        assert my_steps == pytest.approx(steps, rel=0.1)
        # Independent path: the Qualtran functions on the same AlgorithmSummary, exactly.
        algo = AlgorithmSummary(
            n_algo_qubits=q, n_rotation_layers=layers,
            n_logical_gates=GateCounts(t=t, rotation=r, toffoli=tof, measurement=meas),
        )  # fmt: skip
        rot = BeverlandEtAlRotationCost
        c_min = bev.minimum_time_steps(error_budget=eps, alg=algo, rotation_model=rot)
        assert my_steps == c_min
        assert e.magic_states == bev.t_states(error_budget=eps, alg=algo, rotation_model=rot)
        assert d == bev.code_distance(
            error_budget=eps, time_steps=c_min, alg=algo,
            qec_scheme=QECScheme.make_beverland_et_al(), physical_error=1e-4,
        )  # fmt: skip
        assert e.data_qubits == FastDataBlock(data_d=d).n_physical_qubits(q)
        # ~5e11 T states: one 15-to-1 level is not enough, a second round reaches the target.
        assert e.valid and e.within_budget and not e.lower_bound
        assert len(e.distillation.rounds) >= 2
        assert e.distillation.output_error * e.magic_states <= eps / 3
        assert e.failure_probability <= eps


def test_beverland_feasible_small_program():
    # 4e4 T states at p = 1e-4, budget 1e-3: a one-level factory suffices.
    e = estimate(counts(100, 10**4, toffoli_depth=10**3), "beverland-optimistic")
    assert e.within_budget and e.failure_probability <= 1e-3
    assert e.n_factories >= 1 and e.factory_limited_time_s <= e.algorithm_limited_time_s
    # The schedule starts when the first T state exists (one 15-to-1 run of 6 d_m cycles).
    assert e.runtime_s == e.algorithm_limited_time_s + e.first_state_latency_s
    ds = [int(v.split("=")[1]) for v in e.factory[8:-1].split(", ")]
    lem = LogicalErrorModel(qec_scheme=QECScheme.make_beverland_et_al(), physical_error=1e-4)
    one = FifteenToOne(*ds).n_cycles(GateCounts(t=1), lem)  # Qualtran: 6 d_m / (1 - p_fail)
    assert e.first_state_latency_s == math.ceil(one) * Fraction(4, 10) * US


def test_presets_carry_qualtrans_published_parameters():
    # Beverland et al. superconducting: 4 x 50 ns gates + 2 x 100 ns measurements = 0.4 us.
    assert PRESETS["beverland"][1]["cycle_time_us"] == 0.4
    assert PRESETS["beverland-optimistic"][1]["physical_error"] == 1e-4
    assert PRESETS["gidney-fowler"][1]["cycle_time_us"] == 1.0
    e = estimate(counts(10, 100, toffoli_depth=10))
    assert (e.params.physical_error, e.params.cycle_time_us, e.params.reaction_time_us) == (
        1e-3, 1.0, 10.0,
    )  # fmt: skip
    assert e.params.error_budget == 1e-2


# ----------------------------------------------------------------------------- exactness


def test_exact_fallback_equals_qualtran_path(monkeypatch):
    # The exact transcriptions (used above 2^40) must equal Qualtran's routines where both run.
    cases = [
        ("gidney-fowler", counts(1000, 3 * 10**9, t=12345, toffoli_depth=10**8)),
        ("gidney-fowler", counts(77, 10**7, t=7, rotations=5, toffoli_depth=10**4)),
        ("beverland-optimistic", counts(1000, 10**5, t=3, toffoli_depth=10**4)),
    ]
    normal = [estimate(c, m) for m, c in cases]
    monkeypatch.setattr(physical, "FLOAT_SAFE", 0)
    monkeypatch.setattr(physical, "TINY", Fraction(10**9))
    for (m, c), a in zip(cases, normal):
        b = estimate(c, m)
        for f in ("physical_qubits", "code_distance", "n_factories", "runtime_s", "data_qubits",
                  "factory_limited_time_s", "time_per_magic_state_s"):  # fmt: skip
            assert getattr(a, f) == getattr(b, f), (m, f)
        assert a.failure_probability == pytest.approx(b.failure_probability, rel=1e-9)


def test_huge_counts_stay_exact():
    # 2^60 + 1 Toffolis in one CCZ2T(15, 31) factory: ceil((2^60 + 1) x 5.5 x 31) cycles
    # = 341 x 2^59 + 171 (170.5 rounded up), which a float product would lose.
    n = 2**60 + 1
    e = estimate(counts(64, n, toffoli_depth=1), factory=(15, 31), n_factories=1)
    assert e.runtime_cycles == 341 * 2**59 + 171
    assert e.runtime_s == Fraction(341 * 2**59 + 171, 10**6)
    assert isinstance(e.physical_qubits, int) and e.code_distance % 2 == 1
    assert e.magic_states == n and not e.within_budget  # beyond the two-level floor at 1e-3


@pytest.mark.parametrize("k, p", [(60, 1e-6), (200, 1e-3), (200, 1e-7)])
def test_huge_counts_distance_by_exact_search(k, p):
    # The code distance for 2^k Toffolis must be the smallest odd d with
    # tiles x cycles x 0.1 (p/0.01)^((d+1)/2) <= budget - distillation error, checked here
    # with exact rational arithmetic (no logarithms).
    c = counts(2**20, 2**k + 3, toffoli_depth=2 ** (k // 2) + 1)
    e = estimate(c, physical_error=p)
    assert isinstance(e.physical_qubits, int) and e.runtime_s > 0
    json.dumps(e.as_dict())
    if not e.valid:  # 2^200 CCZ states at p = 1e-3: no supported factory reaches 3e-63
        assert (k, p) == (200, 1e-3) and "no supported factory" in e.invalid_reason
        assert e.failure_probability == 1.0 and e.expected_failures > 1
        return
    tiles = 2**20 + 2**19
    cells = tiles * e.runtime_cycles
    left = Fraction(1, 100) - Fraction(e.distillation_error)
    ratio = Fraction(repr(p)) / Fraction(1, 100)

    def fits(d):
        return cells * Fraction(1, 10) * ratio ** ((d + 1) // 2) <= left

    assert fits(e.code_distance)
    assert e.code_distance == 3 or not fits(e.code_distance - 2)
    reaction = (2 ** (k // 2) + 1) * 10 * US
    assert e.runtime_s == e.reaction_limited_time_s + e.first_state_latency_s
    assert e.reaction_limited_time_s == reaction


def test_huge_beverland_counts():
    e = estimate(counts(2**30, 2**100, toffoli_depth=2**50), "beverland", physical_error=1e-5)
    assert e.magic_states == 4 * 2**100
    assert e.algorithm_limited_time_s == 3 * 2**100 * e.code_distance * Fraction(4, 10**7)
    # FastDataBlock tiles ceil(2Q + sqrt(8Q) + 1); sqrt(2^33) = 92681.9..., so 2^31 + 92683.
    assert e.data_qubits == 2 * e.code_distance**2 * (2**31 + 92683)
    json.dumps(e.as_dict())


# ----------------------------------------------------------------------------- monotonicity


@pytest.mark.parametrize("model", ["gidney-fowler", "beverland-optimistic"])
def test_more_toffolis_never_less_runtime(model):
    runtimes = [
        estimate(counts(200, 10**k, toffoli_depth=10**3), model).runtime_s for k in range(3, 11)
    ]
    assert runtimes == sorted(runtimes)
    fixed = [
        estimate(counts(200, 10**k, toffoli_depth=10**3), factory=(15, 31), n_factories=2)
        for k in range(3, 11)
    ]
    times = [e.runtime_s for e in fixed]
    assert times == sorted(times) and times[-1] > times[0]


def test_more_toffoli_depth_never_less_runtime():
    times = [estimate(counts(50, 10**6, toffoli_depth=10**k)).runtime_s for k in range(0, 7)]
    assert times == sorted(times)


@pytest.mark.parametrize("model", ["gidney-fowler", "beverland"])
def test_lower_error_rate_never_larger_distance(model):
    c = counts(500, 10**6, t=10**5, toffoli_depth=10**5)
    rates = [1e-2 * 0.99, 5e-3, 2e-3, 1e-3, 5e-4, 1e-4, 1e-5, 1e-6]
    distances = [estimate(c, model, physical_error=p).code_distance for p in rates]
    assert distances == sorted(distances, reverse=True) and distances[0] > distances[-1]


# ----------------------------------------------------------------------------- inputs, output


def test_cost_summary_and_dict_give_the_same_estimate():
    qrom = QROM.build_from_data(list(range(64)), target_bitsizes=(8,))
    s = cost_summary(qrom)
    from_summary = estimate(s)
    from_dict = estimate(s.metrics())
    assert from_summary.physical_qubits == from_dict.physical_qubits
    latency = from_summary.first_state_latency_s
    assert from_summary.runtime_s == from_dict.runtime_s == s.toffoli_depth * 10 * US + latency
    assert from_summary.magic_states == s.toffoli  # QROM: And gates only, no T, no rotations


def test_t_count_is_split_by_the_conventions():
    seven = Conventions.with_t_per_toffoli(7)
    x = logical_input({"qubits": 3, "toffoli": 10, "t_count": 75, "toffoli_depth": 4}, seven)
    assert (x.toffoli, x.t) == (10, 5)
    e4 = estimate(counts(9, 10, t=6, toffoli_depth=4))
    e7 = estimate({**counts(9, 10, t=6, toffoli_depth=4), "t_count": 76}, conventions=seven)
    assert e4.magic_states == e7.magic_states == 10 + 3  # one CCZ state per 2 T


def test_describe_and_assumptions_state_every_assumption():
    e = estimate(counts(100, 10**6, toffoli_depth=10**4), cycle_time_us=2, reaction_time_us=5)
    a = e.assumptions()
    keys = ("physical_error", "cycle_time_us", "reaction_time_us", "error_budget",
            "factory_type", "qec_scheme", "data_block", "n_factories_rule", "sources")  # fmt: skip
    assert set(keys) <= set(a)
    assert (a["physical_error"], a["cycle_time_us"], a["reaction_time_us"]) == (1e-3, 2, 5)
    text = e.describe()
    for fragment in (
        "physical_error: 0.001",
        "cycle_time_us: 2",
        "reaction_time_us: 5",
        "error_budget: 0.01",
        "CCZ2TFactory",
        "arXiv:1905.09749",
        "4 T per Toffoli",
    ):
        assert fragment in text, fragment  # fmt: skip
    assert e.reaction_limited_time_s == 10**4 * 5 * US
    json.dumps(e.as_dict())


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"model": "surface"}, "model='surface'"),
        ({"physical_error": 0}, "physical_error=0"),
        ({"physical_error": 0.02}, "physical_error=0.02"),
        ({"physical_error": -1e-3}, "physical_error=-0.001"),
        ({"physical_error": 1e-2}, "threshold"),
        ({"cycle_time_us": 0}, "cycle_time_us=0"),
        ({"cycle_time_us": -1}, "cycle_time_us=-1"),
        ({"reaction_time_us": -10}, "reaction_time_us=-10"),
        ({"error_budget": 1}, "error_budget=1"),
        ({"error_budget": 0}, "error_budget=0"),
        ({"n_factories": 0}, "n_factories=0"),
        ({"n_factories": 2.5}, "n_factories=2.5"),
        ({"data_distance": 4}, "data_distance=4"),
        ({"factory": (31, 15)}, "factory=(31, 15)"),
        ({"factory": (15, 31, 7)}, "factory=(15, 31, 7)"),
        ({"model": "beverland", "factory": (17, 7)}, "factory=(17, 7)"),
        ({"model": "beverland", "factory": (25, 7, 7)}, "factory=(25, 7, 7)"),
        ({"speed": 3}, "parameter='speed'"),
    ],
)
def test_invalid_parameters_raise_one_clear_error(kwargs, fragment):
    with pytest.raises(ValueError, match="not allowed") as err:
        estimate(counts(10, 100, toffoli_depth=10), **kwargs)
    assert fragment in str(err.value)


@pytest.mark.parametrize(
    "bad, fragment",
    [
        ({"toffoli": sympy.Symbol("N")}, "symbolic"),
        ({"toffoli": -1}, "toffoli=-1"),
        ({"qubits": 2.5}, "qubits=2.5"),
        ({"t_count": 3}, "t_count=3"),
    ],
)
def test_invalid_counts_raise(bad, fragment):
    with pytest.raises(ValueError) as err:
        estimate({**counts(10, 100, toffoli_depth=10), **bad})
    assert fragment in str(err.value)
    with pytest.raises(ValueError, match="lack toffoli_depth"):
        estimate({"qubits": 1, "toffoli": 1, "t_count": 4})
    with pytest.raises(ValueError, match="toffoli_depth=0"):
        estimate(counts(10, 100, toffoli_depth=0))


# ----------------------------------------------------------------------------- Microsoft


needs_msft = pytest.mark.skipif(
    not physical.microsoft_available(), reason="Microsoft's estimator is not importable"
)


@needs_msft
def test_microsoft_estimate_feeds_the_documented_logical_counts():
    from qsharp.estimator import LogicalCounts

    c = counts(100, 10**6, t=300, rotations=20, measurements=1000, toffoli_depth=10)
    m = physical.microsoft_estimate(c)
    assert m.logical_counts == {
        "numQubits": 100, "tCount": 300, "rotationCount": 20, "rotationDepth": 20,
        "cczCount": 10**6, "measurementCount": 1000,
    }  # fmt: skip
    direct = LogicalCounts(m.logical_counts).estimate(m.params)
    assert m.physical_qubits == direct["physicalCounts"]["physicalQubits"]
    assert m.runtime_s == Fraction(direct["physicalCounts"]["runtime"], 10**9)
    # Its code cycle is 4 gates + 2 measurements = the requested 1 us.
    assert direct["logicalQubit"]["logicalCycleTime"] == m.code_distance * 1000
    # It serializes: depth = 3 per CCZ + T + measurements + rotations + Ts in rotation layers.
    depth = direct["physicalCounts"]["breakdown"]["algorithmicLogicalDepth"]
    per_rot = direct["physicalCounts"]["breakdown"]["numTsPerRotation"]
    assert depth == 3 * 10**6 + 300 + 1000 + 20 + 20 * per_rot


@needs_msft
def test_microsoft_estimate_refuses_counts_that_overflow_it():
    with pytest.raises(ValueError, match="2\\^50"):
        physical.microsoft_estimate(counts(100, 2**51, toffoli_depth=1))


@needs_msft
@pytest.mark.parametrize(
    "qubits, toffoli, t, measurements",
    [(100, 10**8, 10**8, 0), (50, 10**5, 0, 10**4), (1000, 10**10, 10**3, 10**6), (20, 1000, 0, 0)],
)
@pytest.mark.parametrize("budget", [1e-2, 1e-3])
def test_beverland_model_agrees_with_microsofts_estimator(qubits, toffoli, t, measurements, budget):
    # Two independent implementations of Beverland et al. (arXiv:2211.07629): Qualtran's
    # functions (through our wrapper) and Microsoft's estimator. Same tiles (2Q + sqrt(8Q) + 1),
    # same logical time steps (eq. D3: M + R + T + 3 Toffoli), and the same code distance once
    # the budget split is aligned: without rotations Microsoft gives half the budget to logical
    # errors, Qualtran always a third, so Qualtran at 1.5 x budget must match Microsoft at budget.
    c = counts(qubits, toffoli, t=t, measurements=measurements, toffoli_depth=10)
    m = physical.microsoft_estimate(c, error_budget=budget)
    b = m.result["physicalCounts"]["breakdown"]
    assert b["requiredLogicalQubitErrorRate"] * b["algorithmicLogicalQubits"] * b[
        "algorithmicLogicalDepth"
    ] == pytest.approx(budget / 2)
    e = estimate(c, "beverland", cycle_time_us=1.0, error_budget=1.5 * budget)
    assert e.data_qubits == 2 * e.code_distance**2 * b["algorithmicLogicalQubits"]
    assert e.algorithm_limited_time_s / (e.code_distance * US) == b["algorithmicLogicalDepth"]
    assert e.code_distance == m.code_distance
    assert estimate(c, "beverland", error_budget=budget).code_distance >= m.code_distance
