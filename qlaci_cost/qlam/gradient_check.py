"""Gradient checks of a small QLAM on its own bloqs (docs/derivations/training.md, section 4).

- `qlam-gradient`: the parameter-shift gradient of <Z_q> after N steps (Cirq simulation of the
  `QLAMSequence` bloq built with symbolic ansatz and token angles, every occurrence shifted,
  `analysis.shift_executor`) equals the central finite difference of the exact expectation of
  the NumPy reference model (`simulation.reference_states`, no Qualtran, no Cirq) to `TOL`;
  the executor's evaluations equal the priced count (`training.example_cost`); the general
  rule on a shared ansatz angle shifted as a whole (R = N frequencies) agrees too, and the
  two-term rule applied to it as if it occurred once does not (for N >= 2).
- `qlam-training-executions`: every evaluation of that gradient (forward, each occurrence
  shifted up and down, each token angle) runs the `final` protocol in the instrumented
  executor (`executor.InstrumentedExecutor`, steps with their own shifted angles): its circuit
  runs and step executions equal evaluations x the protocol's (`training.example_cost`).
"""

from collections.abc import Iterator

import attrs
import numpy as np
import sympy

from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.analysis.shift_executor import ShiftExecutor, central_difference
from qlaci_cost.core.verification import CheckResult
from qlaci_cost.qlam.executor import InstrumentedExecutor
from qlaci_cost.qlam.protocols import QLAMConfig
from qlaci_cost.qlam.simulation import (
    reference_states,
    step_circuit,
    step_unitary,
    z_expectations,
)
from qlaci_cost.qlam.step import QLAMSequence
from qlaci_cost.qlam.training import example_cost

__all__ = ["TOL", "check_gradient", "check_training_executions", "small_config"]

TOL = 1e-6
#: Precision of the executed protocol (few shots: the check counts, it does not estimate).
EXECUTION_PRECISION = "abs:0.5"


def small_config(m: int) -> QLAMConfig:
    """2 features per token, 1 layer of 2 rotations, ladder; K = 2 observables in G = 2."""
    return QLAMConfig(m=m, d_in=2, layers=1, rotations=2, n_observables=2, n_groups=2)


def _symbolic(config: QLAMConfig, n: int):
    P = config.layers * config.rotations * config.m
    theta = sympy.symbols(f"t0:{P}", real=True)
    x = sympy.symbols(f"x0:{n * config.d_in}", real=True)
    tokens = [x[t * config.d_in : (t + 1) * config.d_in] for t in range(n)]
    seq = QLAMSequence(n, *config.circuit_sizes, final_readout=False, tokens=tokens, params=theta)
    return seq, theta, x


def _values(symbols, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    return {s: float(v) for s, v in zip(symbols, rng.uniform(-np.pi, np.pi, len(symbols)))}


def _reference(config: QLAMConfig, n: int, theta, x):
    """<Z_q> after N tokens at given values, from the NumPy model."""

    def f(values):
        tokens = [[values[x[t * config.d_in + j]] for j in range(config.d_in)] for t in range(n)]
        seq = QLAMSequence(
            n,
            *config.circuit_sizes,
            final_readout=False,
            tokens=tokens,
            params=[values[s] for s in theta],
        )
        return z_expectations(reference_states(seq)[-1], config.m)

    return f


def check_gradient(m: int, n: int, seed: int = 7) -> CheckResult:
    config = small_config(m)
    seq, theta, x = _symbolic(config, n)
    circuit, qubits = step_circuit(seq)
    executor = ShiftExecutor(circuit, qubits, lambda state: z_expectations(state, m))
    values = _values((*theta, *x), seed)
    shift = executor.parameter_shift(values, (*theta, *x))
    reference = _reference(config, n, theta, x)
    gap = max(
        float(np.max(np.abs(shift[s] - central_difference(reference, values, s))))
        for s in (*theta, *x)
    )
    counted = executor.evaluations
    grad, _, _ = example_cost(config, "final", n)
    occurrences = {len(executor.occurrences[s]) for s in theta}
    whole = executor.whole_parameter_shift(values, theta[0], n)
    naive = executor.naive_shift(values, theta[0])
    fd0 = central_difference(reference, values, theta[0])
    whole_gap = float(np.max(np.abs(whole - fd0)))
    naive_gap = float(np.max(np.abs(naive - fd0)))
    ok = (
        gap < TOL
        and counted == grad.gradient_evaluations
        and occurrences == {n}
        and whole_gap < TOL
        and (n == 1 or naive_gap > 1e-3)
    )
    detail = (
        f"|shift - finite difference| = {gap:.1e} over {len(theta)} ansatz and {len(x)} token "
        f"angles; {counted} evaluations executed, {grad.gradient_evaluations} priced; each "
        f"ansatz angle in {sorted(occurrences)} gates; general rule (R = {n}) off by "
        f"{whole_gap:.1e}; two-term rule on the shared angle off by {naive_gap:.2f}"
    )
    return CheckResult("qlam-gradient", f"qlam m={m} final", n, bool(ok), detail)


class _ShiftedExecutor(InstrumentedExecutor):
    """The instrumented executor with step `t`'s ansatz angles replaced (`params_at`)."""

    def __init__(self, sequence, seed, params_at, cache):
        super().__init__(sequence, seed)
        self.params_at, self._cache = params_at, cache

    def _unitary(self, t, tokens):
        params = self.params_at.get(t, self.sequence.params)
        key = (t, tokens[t], params)
        if key not in self._cache:
            step = attrs.evolve(self.sequence.step, token=tokens[t], params=params)
            self._cache[key] = step_unitary(step)
        return self._cache[key]


def _shifted_runs(seq: QLAMSequence, d_in: int):
    """(params_at, tokens) of every evaluation of the chain-rule parameter shift: the
    forward, then each (step, ansatz angle) and each (token, feature) shifted by +-pi/2."""
    yield {}, seq.tokens
    params = list(seq.params)
    for k in range(len(params)):
        for t in range(int(seq.n_steps)):
            for sign in (1, -1):
                moved = params.copy()
                moved[k] += sign * np.pi / 2
                yield {t: tuple(moved)}, seq.tokens
    for t in range(int(seq.n_steps)):
        for j in range(d_in):
            for sign in (1, -1):
                tokens = [list(row) for row in seq.tokens]
                tokens[t][j] += sign * np.pi / 2
                yield {}, tokens


def check_training_executions(m: int, n: int, seed: int = 3) -> CheckResult:
    config = small_config(m)
    scenario = Scenario(precision=EXECUTION_PRECISION)
    grad, cost, _ = example_cost(config, "final", n, scenario=scenario)
    rng = np.random.default_rng([seed, m, n])
    seq = QLAMSequence(
        n,
        m,
        config.d_in,
        config.layers,
        config.rotations,
        config.entangler,
        tokens=rng.uniform(-np.pi, np.pi, (n, config.d_in)),
        params=rng.uniform(-np.pi, np.pi, config.layers * config.rotations * m),
    )
    counts = {"runs": 0, "step_executions": 0, "evaluations": 0}
    cache: dict = {}
    for params_at, tokens in _shifted_runs(seq, config.d_in):
        executor = _ShiftedExecutor(attrs.evolve(seq, tokens=tokens), seed, params_at, cache)
        got = executor.run(cost)
        counts["runs"] += got["runs"]
        counts["step_executions"] += got["step_executions"]
        counts["evaluations"] += 1
    want = {
        "runs": grad.evaluations * cost.runs,
        "step_executions": grad.evaluations * cost.step_executions,
        "evaluations": grad.evaluations,
    }
    ok = counts == want
    detail = f"executed {counts}" + ("" if ok else f", priced {want}")
    return CheckResult("qlam-training-executions", f"qlam m={m} final", n, ok, detail)


def gradient_checks(sizes=(2, 3), memory=(2,)) -> Iterator[CheckResult]:
    for m in memory:
        for n in sizes:
            yield check_gradient(m, n)
            yield check_training_executions(m, n)
