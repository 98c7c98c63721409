"""The break-even tornado: its bars are the break-even rows' range ends, and a bar crosses the
break-even line exactly when the bisection found a flip."""

import math

import pytest

from qlaci_cost.analysis.scenario import DEFAULT_SCENARIO
from qlaci_cost.output.plots.tornado import plot_tornado, tornado_bars
from qlaci_cost.verdicts.breakeven import DEFAULT_MACHINE_QUBITS, breakeven, knob_range

BASELINES = ("qlaci-exact", "linear", "flash")


@pytest.fixture(scope="module")
def rows():
    return breakeven(["ideal"], BASELINES, [2**20])[0]


def test_bars_cross_the_line_exactly_where_a_knob_flips(rows):
    bars = {(b["knob"], b["baseline"]): b for b in tornado_bars(rows, "ideal")}
    searched = [r for r in rows if "ratio_low" in r and " x " not in r["knob"]]
    assert len(bars) == len(searched) > 0
    for r in searched:
        bar = bars[(r["knob"], r["baseline"])]
        crosses = bar["left"] < 0 < bar["right"]
        assert crosses == (r["status"] == "flip"), r
        assert (bar["right"] < 0) == (r["status"] == "always"), r


def test_range_ends_follow_the_knobs_own_rules(rows):
    """Independent of the search: P QPUs divide the quantum time by P, a classical kernel at a
    fraction f of its roofline multiplies the classical time by 1/f."""
    for r in rows:
        if r["knob"] == "qpus":
            top = knob_range("qpus", DEFAULT_SCENARIO, DEFAULT_MACHINE_QUBITS, 1).high
            assert r["ratio_low"] == pytest.approx(r["scenario_ratio"], rel=1e-12)
            ratio = r["ratio_low"] / r["ratio_high"]  # the largest P the machine holds
            assert ratio == pytest.approx(round(ratio), rel=1e-9) and 1 < round(ratio) <= top
        if r["knob"] == "classical_efficiency":
            assert r["ratio_high"] == pytest.approx(r["scenario_ratio"], rel=1e-12)
            assert r["ratio_low"] == pytest.approx(1e-3 * r["scenario_ratio"], rel=1e-12)


def test_the_figure_is_written_and_refuses_an_unknown_model(rows, tmp_path):
    written = plot_tornado(rows, "ideal", tmp_path, "tornado_ideal", ("png", "svg"), "t")
    assert sorted(p.name for p in written) == ["tornado_ideal.png", "tornado_ideal.svg"]
    assert all(p.stat().st_size > 1000 for p in written)
    with pytest.raises(ValueError, match="no break-even bars to plot for model 'qrom'"):
        plot_tornado(rows, "qrom", tmp_path, "x", ("png",), "t")


def test_an_end_without_a_valid_estimate_is_marked():
    row = {"model": "m", "knob": "k", "baseline": "b", "N": "2^4"}
    row.update(ratio_low=None, ratio_high=100.0, scenario_ratio=10.0)
    (bar,) = tornado_bars([row], "m")
    assert bar["partial"] and bar["low"] is None
    assert (bar["left"], bar["right"]) == (1.0, 2.0)
    assert math.isclose(bar["at"], 1.0)
