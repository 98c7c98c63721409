"""The QLAM family hooks and claims: one number through every path, verdicts with evidence."""

import math

import numpy as np
import sympy

from qlaci_cost.core.decomposed import decomposed_summary
from qlaci_cost.core.family import FAMILIES, Family, FamilyRows, family
from qlaci_cost.core.summary import cost_summary, evaluate
from qlaci_cost.core.verification import run_family_checks
from qlaci_cost.qlam import DirectReadout, QLAMStep
from qlaci_cost.qlam.protocols import protocol_cost
from qlaci_cost.qlam.table import COLUMNS, PROTOCOL_NAMES, qlam_rows, worked_example_rows
from qlaci_cost.verdicts.claims import claim_table


def test_registered_and_protocol_conformant():
    assert "qlam" in FAMILIES
    fam = family("qlam")
    assert isinstance(fam, Family) and fam.models() == PROTOCOL_NAMES


#: Hoeffding's shots for eps = 0.01, delta = 0.05: ceil(2 ln(2 / delta) / eps^2)
#: (docs/derivations/qlam.md, section 5); 73,778.
S = math.ceil(2 * math.log(2 / 0.05) / 0.01**2)


def _decomposed_parts(conventions):
    """One step (unitary and with the weak readout) and the final readout of the default
    circuit (m = 8, d_in = 1, L = 2, r = 2, ladder, K = k = 8, theta = pi/4), each a concrete
    bloq with generic angles, measured on its decomposition."""
    rng = np.random.default_rng(5)
    params = rng.uniform(-3, 3, 2 * 2 * 8)
    step = QLAMStep(8, 1, 2, 2, "ladder", 0, token=(0.3,), params=params)
    weak = QLAMStep(8, 1, 2, 2, "ladder", 8, sympy.pi / 4, token=(0.3,), params=params)
    return (
        decomposed_summary(step, conventions),
        decomposed_summary(weak, conventions),
        decomposed_summary(DirectReadout(8), conventions),
    )


def test_rows_hook_against_the_protocol_table_and_the_decomposition(conventions):
    """The family's rows hook against two sources written apart from it: the protocol table
    (runs, step executions, readouts: docs/derivations/qlam.md, section 5, with S from
    Hoeffding's formula above and S_theta = ceil(S / sin^2(pi/4)) = 2 S) and one run's circuit
    as N x (decomposed step) + (decomposed readout)."""
    fam = family("qlam")
    got = fam.rows([784, 2**20], ["final", "every-step", "weak"], conventions)
    assert isinstance(got, FamilyRows)
    assert all(set(COLUMNS) <= set(r) for r in got.rows)
    step, weak_step, readout = _decomposed_parts(conventions)
    rows = {(r["protocol"], r["N"]): r for r in got.rows}
    for n in (784, 2**20):
        # protocol: (runs, step executions, final readouts, the step, the readout or None)
        table = {
            "final": (S, S * n, S, step, readout),
            "every-step": (S * n, S * n * (n + 1) // 2, S * n, step, readout),
            "weak": (2 * S, 2 * S * n, 0, weak_step, None),
        }
        for protocol, (runs, steps, readouts, per_step, final) in table.items():
            row = rows[protocol, n]
            assert (row["runs"], row["step_executions"]) == (runs, steps), (protocol, n)
            for metric in ("toffoli", "t_count", "clifford", "rotations", "measurements"):
                at_end = getattr(final, metric) if final is not None else 0
                assert row[metric] == n * getattr(per_step, metric) + at_end, (protocol, metric)
                total = steps * getattr(per_step, metric) + readouts * at_end
                assert row[f"total_{metric}"] == total, (protocol, metric)
            assert row["qubits"] == per_step.qubits


def test_symbolic_hook_and_rows_agree():
    fam = family("qlam")
    seq = fam.symbolic("weak")
    summary = cost_summary(seq)
    row = qlam_rows([1024], ["weak"]).rows[0]
    assert evaluate(summary.t_count, {"N": 1024}) == row["t_count"]
    assert evaluate(summary.depth, {"N": 1024}) == row["depth"]
    symbolic = qlam_rows([], ["every-step"], symbolic=True).rows[0]
    assert isinstance(symbolic["step_executions"], sympy.Expr)
    assert evaluate(symbolic["step_executions"], {"N": 784}) == (
        protocol_cost("every-step", 784).step_executions
    )


def test_checks_are_selected_by_kind_and_selector():
    fam = family("qlam")
    results = list(fam.checks([2, 64], ["final"], ["qlam-state"], memory=(2,)))
    assert [r.check for r in results] == ["qlam", "qlam-state"]
    assert results[0].skipped and results[1].ok
    assert list(fam.checks([2], ["final"], ["classical"])) == []
    through_seam = list(run_family_checks(["final"], [2], checks=["counts"]))
    assert through_seam and all(r.ok for r in through_seam)
    assert {r.check for r in through_seam} == {"qlam-counts", "qlam-executions"}


def test_claim_verdicts():
    table = claim_table(["final", "every-step", "weak"], sizes=[2**k for k in range(10, 31)])
    rows = {(r["key"], r["model"]): r for r in table.rows}
    assert rows["linear-time", "qlam final"]["verdict"] == "holds"
    assert rows["linear-time", "qlam per run (one shot)"]["verdict"] == "holds"
    assert rows["linear-time", "qlam every-step"]["verdict"] == "fails"
    assert rows["linear-time", "qlam weak (monitored model)"]["verdict"] == "holds"
    assert rows["cheaper-than-ssm", "qlam final"]["verdict"] == "fails"
    assert rows["richer-memory", "qlam readable information"]["verdict"] == "fails"
    assert rows["richer-memory", "qlam state space"]["verdict"] == "holds"
    assert "O(N^2)" in rows["linear-time", "qlam every-step"]["evidence"]
    assert "8 bits per shot" in rows["richer-memory", "qlam readable information"]["evidence"]


def test_worked_examples():
    rows = {(r["example"], r["protocol"]): r for r in worked_example_rows(["final", "every-step"])}
    # sMNIST: N = 784, S = 73,778 Hoeffding shots (eps 0.01, delta 0.05), one group.
    assert rows["sMNIST", "final"]["step_executions"] == 73778 * 784
    assert rows["sMNIST", "every-step"]["step_executions"] == 73778 * 784 * 785 // 2
    assert rows["sCIFAR-10", "final"]["step_executions"] == 73778 * 1024
    assert rows["sCIFAR-10", "final"]["d_in"] == 3
    assert rows["sMNIST", "final"]["runtime_s"] > rows["sMNIST", "final"]["ssm_scan_runtime_s"]
