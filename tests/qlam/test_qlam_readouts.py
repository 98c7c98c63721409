"""The time-pooled and query-dependent QLAM readouts: the bloq, the priced protocols, growth."""

from fractions import Fraction

import numpy as np
import pytest
import sympy
from qualtran.testing import assert_valid_bloq_decomposition

from qlaci_cost.analysis.shots import hoeffding_shots
from qlaci_cost.core.decomposed import cirq_circuit, cirq_depths, decomposed_summary
from qlaci_cost.core.summary import cost_summary
from qlaci_cost.qlam.protocols import TOTALS, QLAMConfig, protocol_cost
from qlaci_cost.qlam.query_readout import DEFAULT_QUERY_BASES, QueryReadout
from qlaci_cost.qlam.simulation import step_unitary
from qlaci_cost.qlam.table import qlam_rows
from qlaci_cost.symbolics.scaling import loglog_slope
from qlaci_cost.verdicts.claims import claim_table

SMALL = QLAMConfig(m=3, d_in=2, layers=1, rotations=2, n_observables=2, n_groups=2,
                   query_bases=3)  # fmt: skip
_METRIC = {"total_toffoli_depth": "toffoli_depth", "total_t_depth": "t_depth",
           "total_depth": "depth"}  # fmt: skip


def _metric(total):
    return _METRIC.get(total, total.removeprefix("total_"))


@pytest.mark.parametrize("m", [1, 2, 4])
def test_query_readout_closed_form_equals_its_decomposition(m):
    rng = np.random.default_rng(m)
    concrete = QueryReadout(m, 3, angles=rng.uniform(-3, 3, 2 * m))
    assert_valid_bloq_decomposition(concrete)
    closed, dec = cost_summary(QueryReadout(m, 3)), decomposed_summary(concrete)
    assert closed.metrics() == dec.metrics()
    # Written out: 2 m rotations, m measurements, depth 3, no Clifford gate.
    assert (dec.rotations, dec.measurements, dec.clifford, dec.depth) == (2 * m, m, 0, 3)
    circuit, _ = cirq_circuit(concrete)
    assert cirq_depths(circuit)["depth"] == dec.depth


def test_query_readout_rotates_the_measured_axis():
    """Rz(a) then Ry(b) is the matrix product of the two rotations (from their definitions)."""
    a, b = 0.7, -1.3
    u = step_unitary(QueryReadout(1, 1, angles=(a, b), measure=False))
    rz = np.diag([np.exp(-1j * a / 2), np.exp(1j * a / 2)])
    ry = np.array([[np.cos(b / 2), -np.sin(b / 2)], [np.sin(b / 2), np.cos(b / 2)]])
    np.testing.assert_allclose(u, ry @ rz, atol=1e-12)
    with pytest.raises(ValueError, match="angles"):
        QueryReadout(2, angles=(0.1,))


@pytest.mark.parametrize("n", [2, 5, 8])
def test_time_pooled_totals_are_the_expected_prefix_runs(n):
    cost = protocol_cost("time-pooled", n, SMALL, "abs:0.1")
    S = hoeffding_shots("0.1", "0.05")
    assert cost.runs == 2 * S and cost.readouts == 2 * S and cost.rounds == 1
    assert cost.step_executions == sympy.Rational(2 * S * (n + 1), 2)
    for total in TOTALS:  # each prefix t = 1..N has probability 1/N
        want = sum(
            Fraction(2 * S, n) * getattr(cost_summary(SMALL.sequence(t)), _metric(total))
            for t in range(1, n + 1)
        )
        assert Fraction(cost.totals[total]) == want, total


@pytest.mark.parametrize("n", [2, 7])
def test_query_dependent_totals_are_runs_of_the_sequence_and_query_readout(n):
    cost = protocol_cost("query-dependent", n, SMALL, "abs:0.1")
    S = hoeffding_shots("0.1", "0.05")
    assert cost.runs == 3 * S and cost.step_executions == 3 * S * n and cost.rounds == 1
    body = cost_summary(SMALL.step(False))
    readout = cost_summary(QueryReadout(3, 3))
    for metric in ("t_count", "rotations", "measurements", "clifford"):
        one_run = n * getattr(body, metric) + getattr(readout, metric)
        assert cost.totals[f"total_{metric}"] == 3 * S * one_run
    assert cost.run.rotations == n * body.rotations + 6


@pytest.mark.parametrize("protocol", ["time-pooled", "query-dependent"])
def test_step_executions_are_linear_in_n(protocol):
    sizes = [2**k for k in range(4, 31)]
    y = [protocol_cost(protocol, n).step_executions for n in sizes]
    assert loglog_slope(sizes, y) == pytest.approx(1.0, abs=0.005)
    fit = np.polyfit(np.log([float(n) for n in sizes]), np.log([float(v) for v in y]), 1)[0]
    assert fit == pytest.approx(1.0, abs=0.005)


def test_defaults_and_ratios():
    assert DEFAULT_QUERY_BASES == 10
    final = protocol_cost("final", 784)
    pooled = protocol_cost("time-pooled", 784)
    query = protocol_cost("query-dependent", 784)
    assert query.step_executions == 10 * final.step_executions
    assert pooled.step_executions * 2 * 784 == final.step_executions * 785


def test_amplitude_estimation_is_refused_or_falls_back():
    for protocol in ("time-pooled", "query-dependent"):
        with pytest.raises(ValueError, match=protocol):
            protocol_cost(protocol, 8, method="amplitude-estimation")
    from qlaci_cost.analysis.scenario import Scenario

    table = qlam_rows([16], ["time-pooled"], scenario=Scenario(method="amplitude-estimation"))
    assert table.rows[0]["protocol"] == "time-pooled"
    assert any("amplitude estimation does not apply" in n for n in table.notes)


def test_every_step_feedback_is_labelled_an_assumption():
    table = qlam_rows([16], ["every-step"])
    assert any("assumption of ours, not the paper's" in n for n in table.notes)


def test_linear_time_claim_holds_for_both():
    table = claim_table(["time-pooled", "query-dependent"], sizes=[2**k for k in range(10, 21)])
    rows = {(r["key"], r["model"]): r for r in table.rows}
    assert rows["linear-time", "qlam time-pooled"]["verdict"] == "holds"
    assert rows["linear-time", "qlam query-dependent"]["verdict"] == "holds"
