"""The Scenario: one value, the library's defaults equal the command line's, exact JSON round
trip, bad input named, and the old keywords still reach the same numbers."""

import json
import math
import warnings

import pytest
import sympy

from qlaci_cost import InputError
from qlaci_cost.analysis.precision import Precision
from qlaci_cost.analysis.scenario import (
    DEFAULT_SCENARIO,
    Scenario,
    as_scenario,
)
from qlaci_cost.analysis.shots import hoeffding_shots
from qlaci_cost.cli import args as cli_args
from qlaci_cost.core.conventions import Conventions

OTHER = Scenario(
    word_bits=4,
    component_bits=3,
    precision="rel:1/3",
    method="clt",
    delta="0.01",
    grouped=True,
    conventions=Conventions.with_t_per_toffoli(7, rotation_model="gridsynth", eps=1e-3),
    physical_model="beverland",
    physical_params={"reaction_time_us": 1.0, "error_budget": 1e-4, "factory": [5, 5, 3]},
    budget_scope="job",
    hardware="a100",
    bytes_per_value=4,
    head_dim=128,
    baseline_options={"window": 256},
)


def test_defaults_are_the_command_lines():
    """The CLI keeps name and default strings for a fast --help; they equal the scenario's."""
    s = DEFAULT_SCENARIO
    assert str(s.precision) == cli_args.DEFAULT_PRECISION == "abs:0.01"
    assert s.delta == sympy.Rational(cli_args.DEFAULT_DELTA_TEXT) == sympy.Rational(1, 20)
    assert s.word_bits == int(cli_args.DEFAULT_WORD_BITS) == 8
    assert s.component_bits == int(cli_args.DEFAULT_COMPONENT_BITS) == 2
    assert s.method == "hoeffding" and s.shots is None and not s.grouped
    assert s.budget_scope == cli_args.DEFAULT_BUDGET_SCOPE == "run"
    assert s.physical_model == "gidney-fowler" == cli_args.PHYSICAL_MODEL_NAMES[0]
    assert s.hardware == cli_args.DEFAULT_HARDWARE
    assert s.conventions == Conventions()
    from qlaci_cost.analysis.roofline import HARDWARE
    from qlaci_cost.analysis.shots import METHODS
    from qlaci_cost.physical import PRESETS
    from qlaci_cost.physical.scope import BUDGET_SCOPES

    assert cli_args.BUDGET_SCOPES == BUDGET_SCOPES
    assert cli_args.METHODS == METHODS
    assert cli_args.PHYSICAL_MODEL_NAMES == tuple(PRESETS)
    assert cli_args.HARDWARE == tuple(HARDWARE)


def test_library_defaults_are_the_scenarios():
    """Every library default that sets a number comes from the scenario."""
    from qlaci_cost.qlaci import DEFAULT_PRECISION, QLACIHead, QLACIQuery
    from qlaci_cost.qlaci.crossover import DEFAULT_D
    from qlaci_cost.qlaci.head_rows import DEFAULT_PRECISION as HEAD_ROWS_PRECISION
    from qlaci_cost.qlam.protocols import DEFAULT_PRECISION as QLAM_PRECISION

    s = DEFAULT_SCENARIO
    head = QLACIHead()
    assert (head.precision, head.method, head.delta) == (s.precision, s.method, s.delta)
    assert DEFAULT_PRECISION == QLAM_PRECISION == s.precision
    assert HEAD_ROWS_PRECISION == str(s.precision)
    assert QLACIQuery().bits == s.component_bits
    assert DEFAULT_D == s.head_dim
    assert QLACIHead.from_scenario() == head


@pytest.mark.parametrize("scenario", [DEFAULT_SCENARIO, OTHER, Scenario(shots=2**60)])
def test_to_dict_round_trips_through_json(scenario):
    data = json.loads(json.dumps(scenario.to_dict()))
    assert Scenario.from_dict(data) == scenario
    assert hash(Scenario.from_dict(data)) == hash(scenario)


def test_to_dict_is_exact():
    d = OTHER.to_dict()
    assert d["precision"] == "rel:1/3" and d["delta"] == "1/100"
    assert d["conventions"] == {"toffoli": "selinger-7t", "rotation_model": "gridsynth",
                                "eps": "0.001"}  # fmt: skip
    assert d["physical_params"] == {"error_budget": 1e-4, "factory": [5, 5, 3],
                                    "reaction_time_us": 1.0}  # fmt: skip
    assert Scenario(shots=2**60).to_dict()["shots"] == str(2**60)


def test_top_level_name():
    import qlaci_cost

    assert qlaci_cost.Scenario is Scenario and qlaci_cost.DEFAULT_SCENARIO is DEFAULT_SCENARIO


def test_evolve_and_as_scenario():
    job = DEFAULT_SCENARIO.evolve(budget_scope="job")
    assert job.budget_scope == "job" and job.precision == DEFAULT_SCENARIO.precision
    assert as_scenario(None) is DEFAULT_SCENARIO and as_scenario(job) is job
    conv = Conventions(eps=1e-3)
    assert as_scenario(conv) == DEFAULT_SCENARIO.evolve(conventions=conv)
    with pytest.raises(InputError, match="scenario field='bits'"):
        DEFAULT_SCENARIO.evolve(bits=3)
    with pytest.raises(InputError, match="scenario='h100'"):
        as_scenario("h100")


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        (dict(method="bogus"), "method='bogus'"),
        (dict(precision="abs:2"), "abs:2"),
        (dict(delta=1.5), "delta"),
        (dict(shots=0), "shots=0"),
        (dict(shots=10, method="amplitude-estimation"), "shots=10"),
        (dict(grouped=True, method="amplitude-estimation"), "grouped"),
        (dict(physical_params={"bogus": 1}), "bogus"),
        (dict(physical_params={"physical_error": 0.02}), "physical_error=0.02"),
        (dict(physical_params={"physical_error": 0.01}), "threshold"),
        (dict(physical_model="other"), "physical_model='other'"),
        (dict(budget_scope="all"), "budget_scope='all'"),
        (dict(hardware="tpu"), "hardware='tpu'"),
        (dict(word_bits=0), "word_bits=0"),
        (dict(component_bits=1.5), "component_bits=1.5"),
        (dict(baseline_options={"bogus": 1}), "bogus"),
        (dict(conventions="jones"), "conventions='jones'"),
    ],
)
def test_bad_input_is_named(kwargs, fragment):
    with pytest.raises(InputError, match=fragment.replace("(", r"\(")):
        Scenario(**kwargs)


def test_from_dict_refuses_unknown_keys():
    with pytest.raises(InputError, match="scenario field='bits'"):
        Scenario.from_dict({"bits": 8})
    with pytest.raises(InputError, match="conventions"):
        Scenario.from_dict({"conventions": {"t": 4}})


def test_describe_states_every_value_once():
    text = OTHER.describe()
    needles = (
        "QRAM word b = 4", "component b = 3", "rel:1/3", "clt", "delta = 0.01", "grouped",
        "selinger-7t", "gridsynth", "beverland", "reaction_time_us 1", "error budget scope job",
        "a100", "d = 128", "4 bytes", "window 256",
    )  # fmt: skip
    for needle in needles:
        assert needle in text, needle
    assert "\n" not in OTHER.note() and OTHER.note().startswith("Scenario: ")
    default = DEFAULT_SCENARIO.describe()
    assert "min(error budget, eps / 20) = 0.0005" in default


def test_eps_of_given_shots_is_the_precision_they_reach():
    """With S shots given, eps is Hoeffding's sqrt(2 ln(2/delta) / S): the shot rule at that
    eps gives back exactly S (and the CLT rule z / sqrt(S)); one shot reaches eps > 1."""
    assert Scenario(shots=1).eps() > 1
    for shots in (100, 73_778):
        eps = Scenario(shots=shots).eps(16)
        assert hoeffding_shots(eps) == shots
    z = math.sqrt(2) * float(sympy.erfinv(sympy.Rational(19, 20)))
    assert float(Scenario(shots=100, method="clt").eps()) == pytest.approx(z / 10, rel=1e-12)
    assert DEFAULT_SCENARIO.eps() == sympy.Rational(1, 100)
    assert Scenario(precision="rel:0.1").eps(1024) == sympy.Rational(1, 10240)
    assert Scenario(precision=Precision("abs", "0.05")).eps() == sympy.Rational(1, 20)


def test_old_keywords_still_work_with_a_warning():
    from qlaci_cost.qlaci.crossover import head_rows
    from qlaci_cost.qlaci.table import qlaci_rows

    rel = Scenario(precision="rel:0.1", conventions=Conventions(eps=1e-4))
    new = qlaci_rows(["qrom"], [16, 64], "head", rel)
    with pytest.warns(DeprecationWarning, match=r"scenario=Scenario\(precision=...\)"):
        old = qlaci_rows(["qrom"], [16, 64], "head", precision="rel:0.1",
                         conventions=Conventions(eps=1e-4))  # fmt: skip
    assert old.rows == new.rows and old.notes == new.notes
    with pytest.warns(DeprecationWarning, match="component_bits"):
        old_bits = head_rows(["qrom"], [16], bits=3)[0]
    assert old_bits == head_rows(["qrom"], [16], Scenario(component_bits=3))[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the new way warns about nothing
        qlaci_rows(["qrom"], [16], "head", rel)
