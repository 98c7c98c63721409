"""Counts of any size get an answer, in every model: none at all, no qubits, 10^400 rotations,
2^1000 qubits and gates.

Second sources: the rotation-synthesis formulas evaluated by hand from log2(10^400) =
400 log2(10) (never through a float of 10^400), and the code distance by exact rational search.
"""

import importlib
import json
import math
from fractions import Fraction

import pytest

from qlaci_cost import physical
from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS

MODELS = ("gidney-fowler", "beverland", "microsoft-like")
R = 10**400
LOG2_R = 400 * math.log2(10)  # 1328.77...


def counts(qubits, toffoli=0, t=0, rotations=0, measurements=0, toffoli_depth=0):
    t_count = t + 4 * toffoli + rotations * DEFAULT_CONVENTIONS.t_per_rotation
    return dict(qubits=qubits, toffoli=toffoli, t_count=t_count, rotations=rotations,
                measurements=measurements, toffoli_depth=toffoli_depth)  # fmt: skip


def _answers(e: physical.PhysicalEstimate) -> None:
    """An estimate, or an invalid one that says why; printable and strict JSON."""
    assert e.valid or e.invalid_reason
    json.dumps(e.as_dict(), allow_nan=False)
    assert e.describe()


@pytest.mark.parametrize(
    "model, t_rot",
    [
        # The conventions' mixed fallback at eps = (1e-2 / 3) / 10^400 (gidney-fowler's budget):
        # ceil(0.53 (1328.77 + log2(300)) + 5.3) = ceil(713.91) = 714.
        ("gidney-fowler", math.ceil(0.53 * (LOG2_R + math.log2(300)) + 5.3)),
        # Beverland et al.'s published fit at eps = (1e-3 / 3) / 10^400: ceil(715.67) = 716.
        ("beverland", math.ceil(0.53 * (LOG2_R + math.log2(3000)) + 5.3)),
        # Microsoft's estimator's constant: ceil(0.53 log2(10^400 / (1e-3 / 3)) + 4.86) = 716.
        ("microsoft-like", math.ceil(0.53 * (LOG2_R + math.log2(3000)) + 4.86)),
    ],
)
def test_ten_to_the_400_rotations(model, t_rot):
    assert t_rot == {"gidney-fowler": 714, "beverland": 716, "microsoft-like": 716}[model]
    e = physical.estimate(counts(10, toffoli=10, rotations=R, toffoli_depth=10), model)
    _answers(e)
    assert e.t_per_rotation == t_rot
    budget = Fraction(1, 100) if model == "gidney-fowler" else Fraction(1, 1000)
    assert e.rotation_eps == budget / 3 / R  # exact: no float holds it
    assert e.t_states == R * t_rot + 4 * 10
    assert not e.valid  # ~10^403 T states: no factory reaches 1e-407 per state


@pytest.mark.parametrize("model", MODELS)
def test_two_to_the_1000_everything(model):
    n = 2**1000
    e = physical.estimate(counts(n, toffoli=n, rotations=n, toffoli_depth=n), model)
    _answers(e)
    assert not e.valid and e.physical_qubits > n  # at least one tile of 18 qubits per qubit


def test_huge_run_without_magic_states_is_an_estimate():
    # 10^400 Toffoli layers and no magic state at all (gidney-fowler): the data must survive
    # 10^400 reaction times of 10 us = 10^401 cycles on ceil(1.5 x 10) = 15 tiles, within the
    # whole 1e-2 budget. The distance is the smallest odd d with
    # 15 x 10^401 x 0.1 x 0.1^((d+1)/2) <= 1e-2, by exact search here: 2 x 404 - 1 = 807.
    e = physical.estimate(counts(10, toffoli_depth=R))
    _answers(e)

    def fits(d):
        return 15 * 10 * R * Fraction(1, 10) ** (1 + (d + 1) // 2) <= Fraction(1, 100)

    assert e.valid and e.code_distance == 807 and fits(807) and not fits(805)
    assert e.runtime_s == Fraction(10 * R, 10**6)
    assert e.expected_failures == pytest.approx(1.5e-3, rel=1e-9)  # 15 x 10^401 x 0.1^405


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("qubits, toffoli", [(0, 0), (3, 0), (0, 5)])
def test_empty_programs_and_no_qubits(model, qubits, toffoli):
    # Nothing to run, or gates on no data qubit: an estimate (the data, if any, kept one step),
    # never a division by zero. The microsoft-like layout 2Q + ceil(sqrt(8Q)) + 1 gives 1 tile
    # at Q = 0, as Microsoft's estimator does (its algorithmicLogicalQubits).
    e = physical.estimate(counts(qubits, toffoli=toffoli, toffoli_depth=toffoli), model)
    _answers(e)
    assert e.valid and e.code_distance >= 3 and e.runtime_s >= 0
    assert (e.n_factories > 0) == (toffoli > 0)
    if model == "microsoft-like":
        tiles = {0: 1, 3: 2 * 3 + 5 + 1}[qubits]  # ceil(sqrt(24)) = 5
        assert e.data_qubits == 2 * e.code_distance**2 * tiles


@pytest.mark.parametrize("model", ["gidney-fowler", "microsoft-like"])
def test_frontier_with_astronomically_many_factories(model):
    # At p = 1e-20 10^330 Toffolis in 10 layers are a valid estimate: gidney-fowler needs
    # ~10^331 factories to keep up with the 10 reaction times; its frontier spaces 24 counts
    # geometrically from 1 to there without float overflow.
    # microsoft-like's p_L(d) = 0.03 (1e-18)^((d+1)/2) underflows floats at every d >= 35.
    c = counts(10, toffoli=10**330, toffoli_depth=10)
    e = physical.estimate(c, model, physical_error=1e-20)
    _answers(e)
    assert e.valid
    front = physical.frontier(c, model, physical_error=1e-20)
    assert front and all(f.valid for f in front) and front[-1].runtime_s == e.runtime_s
    if model == "gidney-fowler":
        assert len(str(e.n_factories)) == 332
        steps = importlib.import_module("qlaci_cost.physical.frontier")._counts(e.n_factories)
        assert steps[0] == 1 and steps[-1] == e.n_factories and len(steps) == 24
        # n^(1/23), n^(2/23), ...: the i-th count has log10 = i/23 log10(n) (n ~ 2.5e331).
        for i, k in enumerate(steps[1:-1], 1):
            assert math.log10(k) == pytest.approx(math.log10(e.n_factories) * i / 23, rel=1e-12)
