"""QLAM verification checks (fast variants; the full m = 2..4, N = 2..8 grid is marked slow)."""

import numpy as np
import pytest

from qlaci_cost.qlam.simulation import monitored_density, monitored_reference
from qlaci_cost.qlam.verify import CHECK_KINDS, check_weak, qlam_checks, seeded


@pytest.mark.parametrize("kind", ["qlam-counts", "qlam-state", "qlam-sampling"])
def test_fast_checks_pass(kind):
    results = list(qlam_checks([2, 5], [kind], [2, 3]))
    assert results and all(r.ok for r in results), [r.line() for r in results if not r.ok]


def test_executor_counts_every_protocol():
    results = list(qlam_checks([3], ["qlam-executions"], [2]))
    names = {r.model for r in results}
    # final, final-ae, every-step, every-step-ae, weak, time-pooled, query-dependent
    assert len(names) == 7
    assert all(r.ok for r in results), [r.line() for r in results if not r.ok]


def test_weak_check_small():
    result = check_weak(2, 4)
    assert result.ok, result.line()


def test_monitored_model_differs_from_the_unitary_model_and_matches_the_density_matrix():
    seq = seeded(4, 3, weak=2, theta=np.pi / 3)
    a, b = monitored_reference(seq), monitored_density(seq)
    np.testing.assert_allclose(a, b, atol=1e-9)
    no_dephasing = monitored_reference(seeded(4, 3, weak=2, theta=1e-9)) / 1e-9
    assert np.max(np.abs(a / np.sin(np.pi / 3) - no_dephasing)) > 0.1


def test_a_wrong_closed_form_fails(monkeypatch):
    """The count check can fail: an ansatz closed form one CNOT per layer short is caught."""
    from qualtran.bloqs.basic_gates import CNOT

    from qlaci_cost.qlam.ansatz import UpdateAnsatz

    original = UpdateAnsatz.build_call_graph

    def short(self, ssa):
        counts = dict(original(self, ssa))
        if self.angles is None:
            counts[CNOT()] -= self.layers
        return counts

    monkeypatch.setattr(UpdateAnsatz, "build_call_graph", short)
    results = list(qlam_checks([3], ["qlam-counts"], [3]))
    assert any(not r.ok and "clifford" in r.detail for r in results)
    with pytest.raises(ValueError, match="check"):
        list(qlam_checks([2], ["qlam-nothing"], [2]))


@pytest.mark.slow  # reason: the full grid simulates ~100 circuits and ~5,000 weak trajectories
def test_full_grid():
    results = list(qlam_checks(range(2, 9), CHECK_KINDS, [2, 3, 4]))
    assert all(r.ok for r in results), [r.line() for r in results if not r.ok]
