"""Noise table: each model's first-order infidelity against hand values and independent counts."""

from fractions import Fraction

import pytest

from qlaci_cost.analysis.noise import COLUMNS, circuit_locations, noise_table
from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS
from qlaci_cost.core.decomposed import decomposed_summary
from qlaci_cost.qram import build, model_class

SIZES = [16, 2**10, 2**20, 2**40]


@pytest.fixture(scope="module")
def table():
    return noise_table(sizes=SIZES, eps=1e-3)


def row(table, model, n):
    (r,) = [r for r in table.rows if r["model"] == model and r["N"] == n]
    return r


@pytest.mark.parametrize(
    "model, n, locations, infidelity, capped",
    [
        # Hann et al. 2021 recalled form eps (log2 N)^2: 1e-3 x 4^2, 10^2, 20^2, 40^2.
        ("bucket-brigade", 16, 16, 0.016, False),
        ("bucket-brigade", 2**10, 100, 0.1, False),
        ("bucket-brigade", 2**20, 400, 0.4, False),
        ("bucket-brigade", 2**40, 1600, 1.0, True),  # 1.6 > 1: capped
        # Fan-out (GLM 2008): all N - 1 switches active.
        ("fanout", 16, 15, 0.015, False),
        ("fanout", 2**10, 1023, 1.0, True),
        # Ideal (assumption): eps log2 N.
        ("ideal", 16, 4, 0.004, False),
        ("ideal", 2**40, 40, 0.04, False),
        # QROM, b = 4, N = 16, from its docstring's exact counts: N - 2 = 14 And, N - 2 = 14
        # measurements (And^dagger), Clifford N b + 3N/2 - 2 = 86; no rotations or bare T.
        ("qrom", 16, 14 + 14 + 86, 0.114, False),
    ],
)
def test_hand_values(table, model, n, locations, infidelity, capped):
    r = row(table, model, n)
    assert r["locations"] == locations
    assert r["infidelity"] == pytest.approx(infidelity, rel=1e-12)
    assert r["capped"] is capped


def test_columns_and_sources(table):
    assert all(set(r) == set(COLUMNS) for r in table.rows)
    assert "[recall]" in row(table, "bucket-brigade", 16)["source"]
    assert "2012.05340" in row(table, "bucket-brigade", 16)["source"]
    assert "0708.1879" in row(table, "fanout", 16)["source"]
    assert "assumption" in row(table, "ideal", 16)["source"]
    assert "union bound" in row(table, "select-swap", 16)["source"]
    assert row(table, "ideal", 16)["circuit_infidelity"] is None
    assert any("capped at 1" in n for n in table.notes)
    assert any("[recall]" in n for n in table.notes)


def test_scaling_column(table):
    want = {
        "bucket-brigade": "O(log^2 N)", "fanout": "O(N)", "ideal": "O(log N)",
        "qrom": "O(N)", "select-swap": "O(N)", "bucket-brigade-parallel": "O(N)",
    }  # fmt: skip
    for model, scaling in want.items():
        assert row(table, model, 16)["scaling"] == scaling, model


def test_fanout_uses_the_models_active_switch_count():
    cls = model_class("fanout")
    assert cls(64, 4).active_switches == 63
    (r,) = noise_table(["fanout"], [64]).rows
    assert r["locations"] == 63


@pytest.mark.parametrize("model", ["qrom", "select-swap", "bucket-brigade-parallel"])
def test_circuit_locations_equal_the_decomposition(model):
    """Closed-form counts (the table) == the leaf decomposition of the worst-case data."""
    n, bits = 16, 4
    (r,) = noise_table([model], [n], bits=bits).rows
    data = model_class(model).worst_case_data(n, bits)
    d = decomposed_summary(build(model, data, bits)).metrics()
    assert r["locations"] == circuit_locations(d, DEFAULT_CONVENTIONS)
    assert r["circuit_infidelity"] == r["infidelity"]


def test_volume_rule_is_qubits_times_depth():
    n, bits = 16, 4
    (r,) = noise_table(["qrom"], [n], bits=bits, circuit_rule="volume", eps=1e-6).rows
    data = model_class("qrom").worst_case_data(n, bits)
    d = decomposed_summary(build("qrom", data, bits))
    assert r["locations"] == d.qubits * d.depth
    assert r["formula"] == "eps x qubits x depth"


def test_eps_is_exact():
    (r,) = noise_table(["bucket-brigade"], [2**8], eps=Fraction(1, 1024)).rows
    assert r["infidelity"] == 64 / 1024  # 8^2 / 1024 exactly


@pytest.mark.parametrize("eps", [0, 1, -0.1, 1.5, "x", True])
def test_bad_eps(eps):
    with pytest.raises(ValueError, match="eps"):
        noise_table(["ideal"], [16], eps=eps)


def test_bad_rule():
    with pytest.raises(ValueError, match="circuit_rule"):
        noise_table(["ideal"], [16], circuit_rule="nope")
