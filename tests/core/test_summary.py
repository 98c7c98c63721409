"""cost_summary and exact evaluation of symbolic counts."""

import numpy as np
import pytest
import sympy
from qualtran.bloqs.data_loading import QROM

from qlaci_cost.core.conventions import Conventions
from qlaci_cost.core.decomposed import decomposed_summary
from qlaci_cost.core.summary import METRICS, cost_summary, evaluate


def test_metric_names_are_the_documented_columns():
    assert METRICS == tuple(
        "qubits toffoli t_count clifford rotations measurements toffoli_depth t_depth depth".split()
    )


@pytest.mark.parametrize("n_cells, t_count, qubits", [(16, 56, 15), (1024, 4088, 27)])
def test_qualtran_qrom_matches_published_counts(n_cells, t_count, qubits):
    # docs/references.md [run]: Qualtran QROM, b = 8: 4N - 8 T on b + 2n - 1 qubits.
    data = np.arange(n_cells) % 256
    summary = cost_summary(QROM.build_from_data(data, target_bitsizes=(8,)))
    assert (summary.t_count, summary.qubits) == (t_count, qubits)
    assert summary.toffoli == n_cells - 2
    seven = cost_summary(
        QROM.build_from_data(data, target_bitsizes=(8,)), Conventions(toffoli="amy-7t")
    )
    assert seven.t_count == 7 * (n_cells - 2)


def test_summary_of_a_concrete_qrom_equals_its_decomposition():
    data = np.arange(32) % 8
    qrom = QROM.build_from_data(data, target_bitsizes=(3,))
    from_qualtran = cost_summary(qrom)
    measured = decomposed_summary(qrom)
    for m in ("toffoli", "t_count", "clifford", "rotations", "measurements", "qubits"):
        assert getattr(from_qualtran, m) == getattr(measured, m), m


def test_evaluate_keeps_huge_sizes_exact():
    N, b = sympy.symbols("N b", positive=True, integer=True)
    expr = (b + 1) * N + sympy.log(N, 2) + b
    assert evaluate(expr, {"N": 2**200, "b": 8}) == 9 * 2**200 + 200 + 8
    assert isinstance(evaluate(expr, {N: 2**64, b: 1}), int)
    assert evaluate(N * sympy.log(N, 2) ** 2, {"N": 2**64}) == 2**64 * 64**2
    # A symbol that is not given stays symbolic.
    assert evaluate(expr, {"b": 1}).free_symbols == {N}


def test_subs_on_a_symbolic_summary():
    N, b = sympy.symbols("N b", positive=True, integer=True)
    qrom = QROM.build_from_bitsize((N,), (b,))
    summary = cost_summary(qrom)
    assert summary.is_symbolic
    at_1024 = summary.subs({"N": 1024, "b": 8})
    # Qualtran's symbolic QROM: N - 2 And gates, b + 2 ceil(log2 N) - 1 qubits.
    assert (at_1024.toffoli, at_1024.qubits, at_1024.t_count) == (1022, 27, 4088)
    assert not at_1024.is_symbolic
