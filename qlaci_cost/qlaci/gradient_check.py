"""Gradient checks of a small QLACI query on its own bloqs (docs/derivations/training.md,
section 4).

- `qlaci-gradient`: the parameter-shift gradient of <Z_out> of the superposed query (Cirq
  simulation of the `QLACIQuery` bloq built with symbolic U(theta), U(phi), feature-map and
  query angles; every occurrence shifted, `analysis.shift_executor`) equals the central finite
  difference of the exact expectation computed another way: the uniform average of the N
  single-position circuits (`simulation.simulate`, `kernel_average`), to `TOL`. The
  executor's evaluations equal the priced count of one query's circuit.
- `qlaci-training-executions`: a head of N queries (each its own query angles) differentiated
  in full: the forward and every weight shift run all N queries, every query-angle shift its
  own query, each evaluation sampled with the runs per query of the readout; the runs counted
  equal the priced circuit runs per example (`training.example_cost`, one head).
"""

import numpy as np
import sympy

from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.analysis.shift_executor import ShiftExecutor, central_difference
from qlaci_cost.core.depth import flatten_to_leaves
from qlaci_cost.core.verification import CheckResult
from qlaci_cost.errors import InputError
from qlaci_cost.qlaci.query import QLACIQuery
from qlaci_cost.qlaci.simulation import MAX_QUBITS, cirq_circuit, kernel_average, simulate
from qlaci_cost.qlaci.training import example_cost, head_spectra

__all__ = ["OPTIONS", "TOL", "check_gradient", "check_training_executions"]

TOL = 1e-6
#: The small query: 2 query qubits, 2-bit components, one layer (2 + 2 + 1 readout qubits).
OPTIONS = (("bits", 2), ("d_q", 2))
EXECUTION_PRECISION = "abs:0.5"


def _symbols(prefix: str, n: int) -> tuple:
    return tuple(sympy.Symbol(f"{prefix}{i}", real=True) for i in range(n))


def _data(n: int, seed: int):
    rng = np.random.default_rng([seed, n])
    return rng.integers(0, 4, (n, 1)), rng.integers(0, 4, (n, 1))


def _query(n: int, model: str, seed: int, **angles) -> QLACIQuery:
    keys, values = _data(n, seed)
    return QLACIQuery(
        n, qram_model=model, keys=keys, values=values, measure=False, **dict(OPTIONS), **angles
    )


def _symbolic(n: int, model: str, seed: int):
    size = QLACIQuery(n, **dict(OPTIONS))
    symbols = {
        "query": _symbols("q", size.d_q),
        "fm_angles": _symbols("f", size.d_k + size.d_v),
        "theta": _symbols("t", size.interaction.n_parameters),
        "phi": _symbols("p", size.aggregation.n_parameters),
    }
    return _query(n, model, seed, **symbols), symbols


def _z_out(quregs, qubits):
    position = qubits.index(np.asarray(quregs["out"]).ravel()[0])
    width = len(qubits)

    def outputs(state):
        p = (np.abs(state) ** 2).reshape((2,) * width)
        return [np.sum(p.take(0, axis=position)) - np.sum(p.take(1, axis=position))]

    return outputs


def _circuit(bloq):
    """The bloq's leaf circuit with ancillas reused (a greedy qubit manager, as `simulate`),
    its named registers and the qubit order (registers, then ancillas)."""
    return cirq_circuit(flatten_to_leaves(bloq))


def _executor(n: int, model: str, seed: int):
    query, symbols = _symbolic(n, model, seed)
    circuit, quregs, qubits = _circuit(query)
    if len(qubits) > MAX_QUBITS:
        raise InputError(f"{query} needs {len(qubits)} qubits, more than {MAX_QUBITS}")
    return ShiftExecutor(circuit, qubits, _z_out(quregs, qubits)), symbols


def _reference(n: int, model: str, seed: int, symbols: dict):
    """<Z_out> = (1/N) sum_j <Z_out>_j of the N single-position circuits (index |j>, not a
    superposition) at given values: each position's circuit built once with the symbols."""
    positions = []
    for j in range(n):
        circuit, quregs, qubits = _circuit(_query(n, model, seed, position=j, **symbols))
        positions.append(ShiftExecutor(circuit, qubits, _z_out(quregs, qubits)))

    def f(values):
        return kernel_average([p.evaluate(values) for p in positions])

    return f


def _simulated(n: int, model: str, seed: int, symbols: dict, values: dict) -> float:
    """The same average from `simulation.simulate` of numeric single-position queries."""
    angles = {k: [values[s] for s in v] for k, v in symbols.items()}
    return float(
        np.mean(
            [
                simulate(_query(n, model, seed, position=j, **angles)).expectation("Z", "out")
                for j in range(n)
            ]
        )
    )


def check_gradient(n: int = 2, model: str = "qrom", seed: int = 11) -> CheckResult:
    executor, symbols = _executor(n, model, seed)
    everything = [s for group in symbols.values() for s in group]
    rng = np.random.default_rng(seed)
    values = {s: float(v) for s, v in zip(everything, rng.uniform(-np.pi, np.pi, len(everything)))}
    shift = executor.parameter_shift(values, everything)
    reference = _reference(n, model, seed, symbols)
    gap = max(
        float(np.max(np.abs(shift[s] - central_difference(reference, values, s))))
        for s in everything
    )
    priced = sum(s.count * s.shift_terms for s in head_spectra(OPTIONS))
    at = abs(float(reference(values)[0]) - _simulated(n, model, seed, symbols, values))
    same = abs(float(executor.evaluate(values)[0]) - float(reference(values)[0]))
    ok = gap < TOL and executor.evaluations == priced + 1 and at < TOL and same < TOL
    detail = (
        f"superposed = position average to {same:.1e} (and = simulate() to {at:.1e}); "
        f"|shift - finite difference of the position average| = {gap:.1e} over "
        f"{len(everything)} angles; {executor.evaluations - 1} gradient evaluations executed, "
        f"{priced} priced (one query's circuit)"
    )
    return CheckResult("qlaci-gradient", model, n, bool(ok), detail)


def check_training_executions(n: int = 2, model: str = "qrom", seed: int = 5):
    scenario = Scenario(precision=EXECUTION_PRECISION)
    grad, row, _ = example_cost(model, n, 1, scenario=scenario, options=OPTIONS)
    runs_q = row["runs_per_query"]
    executor, symbols = _executor(n, model, seed)
    rng = np.random.default_rng(seed)
    weights = [s for k in ("fm_angles", "theta", "phi") for s in symbols[k]]
    base = {s: float(v) for s, v in zip(weights, rng.uniform(-np.pi, np.pi, len(weights)))}
    queries = [
        {**base, **dict(zip(symbols["query"], rng.uniform(-np.pi, np.pi, len(symbols["query"]))))}
        for _ in range(n)
    ]
    runs = 0

    def sample(values, shifts=None):
        nonlocal runs
        z = float(executor.evaluate(values, shifts)[0])
        rng.binomial(runs_q, min(1.0, max(0.0, (1 - z) / 2)))  # the runs' outcomes
        runs += runs_q

    shifts = [
        {i: x} for s in weights for i, _ in executor.occurrences[s] for x in (np.pi / 2, -np.pi / 2)
    ]
    for shift in [None, *shifts]:  # forward and weight shifts: every query
        for values in queries:
            sample(values, shift)
    for values in queries:  # query-angle shifts: that query only
        for s in symbols["query"]:
            for i, _ in executor.occurrences[s]:
                for x in (np.pi / 2, -np.pi / 2):
                    sample(values, {i: x})
    want = grad.evaluations * n * runs_q
    ok = runs == want
    detail = f"executed {runs} circuit runs for one example's gradient; priced {want}"
    return CheckResult("qlaci-training-executions", model, n, ok, detail)
