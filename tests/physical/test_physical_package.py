"""The `qlaci_cost.physical` package: its import paths, and limits set on it reach its modules."""

from fractions import Fraction

from qualtran.surface_code import CCZ2TFactory, FastDataBlock, FifteenToOne, SimpleDataBlock

from qlaci_cost import physical
from qlaci_cost.physical import arithmetic, beverland, gidney_fowler

# The names `qlaci_cost.physical` had as one module: its `__all__`, then its other public
# constants and the private limits that tests set.
ALL = [
    "FRONTIER_COLUMNS",
    "MODELS",
    "PRESETS",
    "LogicalInput",
    "MicrosoftEstimate",
    "PhysicalAssumptions",
    "PhysicalEstimate",
    "estimate",
    "frontier",
    "frontier_rows",
    "logical_input",
    "microsoft_available",
    "microsoft_estimate",
]
OTHER = ["SOURCES", "DISTILLATION_SHARE", "FIFTEEN_TO_ONE_GRID", "FLOAT_SAFE", "TINY"]


def counts(qubits, toffoli, t=0, toffoli_depth=0):
    return dict(
        qubits=qubits, toffoli=toffoli, t_count=t + 4 * toffoli, toffoli_depth=toffoli_depth
    )


def test_public_names_and_all():
    assert physical.__all__ == ALL
    namespace: dict = {}
    exec("from qlaci_cost.physical import *", namespace)
    assert sorted(k for k in namespace if k != "__builtins__") == sorted(ALL)
    for name in ALL + OTHER:
        exec(f"from qlaci_cost.physical import {name}", {})
    assert callable(physical.estimate) and callable(physical.logical_input)
    assert physical.MODELS == ("gidney-fowler", "beverland", "microsoft-like")
    assert physical.FLOAT_SAFE == 2**40 and physical.TINY == Fraction(1, 10**300)


def test_limits_set_on_the_package_reach_the_models(monkeypatch):
    # With FLOAT_SAFE = 0 every count is "large": the models must take their exact
    # transcriptions and never call Qualtran's float routines (made to fail here).
    cases = [
        ("gidney-fowler", counts(1000, 3 * 10**9, t=12345, toffoli_depth=10**8)),
        ("beverland", counts(1000, 10**5, t=3, toffoli_depth=10**4)),
    ]
    normal = [physical.estimate(c, m) for m, c in cases]
    monkeypatch.setattr(physical, "FLOAT_SAFE", 0)
    monkeypatch.setattr(physical, "TINY", Fraction(10**9))
    assert gidney_fowler.FLOAT_SAFE == beverland.FLOAT_SAFE == arithmetic.FLOAT_SAFE == 0
    assert arithmetic.TINY == Fraction(10**9)

    def fail(*args, **kwargs):
        raise AssertionError("a float routine was called above FLOAT_SAFE")

    monkeypatch.setattr(CCZ2TFactory, "n_cycles", fail)
    monkeypatch.setattr(SimpleDataBlock, "n_tiles", fail)
    monkeypatch.setattr(FastDataBlock, "get_n_tiles", fail)
    monkeypatch.setattr(FifteenToOne, "n_cycles", fail)
    for (m, c), a in zip(cases, normal):
        b = physical.estimate(c, m)
        assert (a.physical_qubits, a.runtime_s, a.code_distance) == (
            b.physical_qubits,
            b.runtime_s,
            b.code_distance,
        ), m
    monkeypatch.undo()
    assert gidney_fowler.FLOAT_SAFE == beverland.FLOAT_SAFE == physical.FLOAT_SAFE == 2**40
    assert arithmetic.TINY == physical.TINY == Fraction(1, 10**300)


def test_other_attributes_are_not_forwarded(monkeypatch):
    monkeypatch.setattr(physical, "DISTILLATION_SHARE", Fraction(1, 3))
    from qlaci_cost.physical import params

    assert params.DISTILLATION_SHARE == Fraction(1, 2)
