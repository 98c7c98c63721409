"""Verification of multi-query QLACI by simulation of the same bloqs (Cirq), at small N and B.

Checks (each an `core.verification.CheckResult`; docs/derivations/multi_query.md):
- `batch-branches`: Cirq state vector of `MultiQueryQLACI` (B = 2, 4; N = 2, 4; B <= N): the
  query index is uniform (P(b) = 1/B to 1e-9), the readout conditioned on b has the <X>, <Y>,
  <Z> of the single-query `QLACIQuery` for Q_b (to 1e-6), and every ancilla is back in |0>.
  A circuit wider than `simulation.MAX_QUBITS` (the parallel bucket brigade at N = 4) is
  skipped, saying so; at N = 2 every model runs.
- `batch-sampling`: a seeded sampling experiment from those simulated distributions at equal
  total executions (B S): per query, the mean squared error of the batched estimate (random
  split n_b ~ Bin(B S, 1/B)) and of the sequential one (S shots) each equal the derived
  formula ((1 - c_b^2) E[1/n_b; n_b >= 1] + P(n_b = 0) c_b^2, and (1 - c_b^2) / S) within
  4 standard errors of the experiment; and at the derived executions T for (eps, delta) every
  query misses eps in at most a delta fraction of the repetitions.
- `batch-counts`: the symbolic `MultiQueryQLACI(N, B)` summary at (N, B) equals the
  decomposition of the worst-case circuit (bounded metrics: >=).
"""

import functools
from collections.abc import Iterable, Iterator
from typing import Optional

import numpy as np
import sympy

from qlaci_cost.core.decomposed import decomposed_summary
from qlaci_cost.core.summary import METRICS, cost_summary
from qlaci_cost.core.verification import CheckResult
from qlaci_cost.qlaci.multi_query.batch_readout import batch_measurement_cost
from qlaci_cost.qlaci.multi_query.query import MultiQueryQLACI
from qlaci_cost.qlaci.query import QLACIQuery
from qlaci_cost.qlaci.query_loading import worst_case_words
from qlaci_cost.qlaci.verify import seeded_query, worst_case
from qlaci_cost.qram import traits

__all__ = [
    "BATCH_CHECKS",
    "batch_checks",
    "branch_values",
    "check_batch_branches",
    "check_batch_counts",
    "check_batch_sampling",
    "conditional_density",
    "conditional_expectation",
    "sampling_experiment",
    "seeded_batch",
]

#: Check kind -> what it verifies.
BATCH_CHECKS = {
    "batch-branches": "P(b) = 1/B and the readout given b equals the single query for Q_b",
    "batch-sampling": "batched and sequential errors at equal executions equal the formula",
    "batch-counts": "closed form in N and B equals the decomposition",
}
OBSERVABLES = ("X", "Y", "Z")
MAX_SIMULATED_N = 4
MAX_SIMULATED_B = 4
_N, _B = sympy.symbols("N B", positive=True, integer=True)


def seeded_batch(n_cells: int, n_batch: int, model: str, seed: int = 2024, **kw) -> MultiQueryQLACI:
    """A concrete B-query circuit on `verify.seeded_query` (d_q = 1, b = 1) with seeded Q_b."""
    template = seeded_query(n_cells, model, 1, seed, **kw)
    rng = np.random.default_rng([seed, n_cells, n_batch, 7])
    return MultiQueryQLACI(template, n_batch, queries=rng.uniform(-np.pi, np.pi, (n_batch, 1)))


def conditional_density(sim, register: str, value: int, out: str = "out"):
    """(P(register = value), the density matrix of `out` given it) from a `SimulatedState`: the
    state restricted to the branch (an index into the amplitude tensor, no copy), traced down to
    `out` (qubit 0 of a register is the most significant bit, and the first tensor factor)."""
    positions = sim.registers[register]
    n = sim.n_qubits
    index: list = [slice(None)] * n
    for k, p in enumerate(positions):
        index[p] = (value >> (len(positions) - 1 - k)) & 1
    branch = sim.state.reshape((2,) * n)[tuple(index)]
    prob = float(np.vdot(branch, branch).real)
    if prob == 0:
        return 0.0, None
    kept = [q for q in range(n) if q not in set(positions)]
    axes = [kept.index(q) for q in sim.registers[out]]
    rows = np.moveaxis(branch, axes, range(len(axes))).reshape(2 ** len(axes), -1)
    return prob, rows @ rows.conj().T / prob


def pauli_matrix(pauli: str) -> np.ndarray:
    """The matrix of a Pauli string (letter k on qubit k, the first the most significant)."""
    import cirq

    factors = [cirq.unitary({"I": cirq.I, "X": cirq.X, "Y": cirq.Y, "Z": cirq.Z}[c]) for c in pauli]
    return functools.reduce(np.kron, factors)


def conditional_expectation(sim, register: str, value: int, pauli: str, out: str = "out"):
    """(P(register = value), <P on `out`> given it) from a `SimulatedState`."""
    prob, rho = conditional_density(sim, register, value, out)
    if rho is None:
        return 0.0, float("nan")
    return prob, float(np.real(np.trace(rho @ pauli_matrix(pauli))))


def branch_values(mq: MultiQueryQLACI) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(P(b), <X,Y,Z | b> of the batched circuit, <X,Y,Z> of the single queries, P(ancillas 0))
    by state-vector simulation of the bloqs (measurements left out)."""
    import attrs

    from qlaci_cost.qlaci.simulation import simulate

    unmeasured = attrs.evolve(mq, measure=False)
    sim = simulate(unmeasured)
    B = int(mq.n_batch)
    probs, cond, single = np.zeros(B), np.zeros((B, 3)), np.zeros((B, 3))
    for b in range(B):
        probs[b], rho = conditional_density(sim, "batch", b)
        for i, p in enumerate(OBSERVABLES):
            cond[b, i] = np.nan if rho is None else np.real(np.trace(rho @ pauli_matrix(p)))
        ref = simulate(attrs.evolve(mq.single_query(b), measure=False))
        single[b] = [ref.expectation(p, "out") for p in OBSERVABLES]
    return probs, cond, single, sim.probability_all_zero(sim.ancillas)


@functools.lru_cache(maxsize=32)
def _branches(model: str, n_cells: int, n_batch: int, seed: int):
    return branch_values(seeded_batch(n_cells, n_batch, model, seed))


def _too_big(name, model, n_cells, n_batch) -> Optional[CheckResult]:
    if n_cells > MAX_SIMULATED_N or n_batch > MAX_SIMULATED_B or n_batch > n_cells:
        detail = (
            f"B={n_batch}: simulated for N <= {MAX_SIMULATED_N}, "
            f"2 <= B <= min(N, {MAX_SIMULATED_B})"
        )
        return CheckResult(name, model, n_cells, True, detail, True)
    return None


def _simulated(name, model, n_cells, n_batch, seed):
    """(`_branches` values, None), or (None, a skipped result saying why) when (N, B) is
    outside the simulated grid (`_too_big`) or the batched circuit is too wide for a state
    vector (e.g. the parallel bucket brigade at N = 4)."""
    skip = _too_big(name, model, n_cells, n_batch)
    if skip:
        return None, skip
    try:
        return _branches(model, n_cells, n_batch, seed), None
    except ValueError as err:
        if "qubits to simulate" not in str(err):
            raise
        return None, CheckResult(name, model, n_cells, True, f"B={n_batch}: {err}", True)


def check_batch_branches(model: str, n_cells: int, n_batch: int, seed: int = 2024) -> CheckResult:
    name = "batch-branches"
    values, skip = _simulated(name, model, n_cells, n_batch, seed)
    if skip:
        return skip
    probs, cond, single, clean = values
    label = f"B={n_batch}"
    if not np.allclose(probs, 1 / n_batch, rtol=0, atol=1e-9):
        return CheckResult(name, model, n_cells, False, f"{label}: P(b) = {probs.tolist()}")
    bad = np.flatnonzero(~np.all(np.isclose(cond, single, rtol=0, atol=1e-6), axis=1))
    if bad.size:
        b = int(bad[0])
        detail = (
            f"{label}, b={b}, register out: <X,Y,Z | b> = {np.round(cond[b], 6).tolist()}, "
            f"single query = {np.round(single[b], 6).tolist()}"
        )
        return CheckResult(name, model, n_cells, False, detail)
    if abs(clean - 1) > 1e-9:
        return CheckResult(name, model, n_cells, False, f"{label}: ancillas |0> w.p. {clean}")
    return CheckResult(
        name,
        model,
        n_cells,
        True,
        f"{label}: P(b) = 1/B, <X,Y,Z | b> == single query for Q_b, ancillas |0>",
    )


def _mse_formula(c: float, n_total: int, n_batch: int) -> float:
    """(1 - c^2) E[1/n; n >= 1] + P(n = 0) c^2 for n ~ Bin(n_total, 1/B)."""
    from scipy.stats import binom

    n = np.arange(1, n_total + 1)
    pmf = binom.pmf(n, n_total, 1 / n_batch)
    return float((1 - c * c) * np.sum(pmf / n) + binom.pmf(0, n_total, 1 / n_batch) * c * c)


def sampling_experiment(
    probs: np.ndarray, means: np.ndarray, single: np.ndarray, shots: int, reps: int, seed: int
) -> dict:
    """Seeded experiment at equal total executions B S (readout Z).

    Batched: B S draws of (b, z) from the simulated joint P(b) (1 +- c_b) / 2; sequential: S
    draws per query from the single-query circuit's (1 +- c_b) / 2. Returns per query the
    empirical MSEs, their standard errors and the formulas."""
    B = len(probs)
    rng = np.random.default_rng(seed)
    joint = np.ravel([[p * (1 + c) / 2, p * (1 - c) / 2] for p, c in zip(probs, means)])
    counts = rng.multinomial(B * shots, joint / joint.sum(), size=reps).reshape(reps, B, 2)
    n_b = counts.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        est_batched = np.where(n_b > 0, (counts[..., 0] - counts[..., 1]) / n_b, 0.0)
    plus = rng.binomial(shots, (1 + single) / 2, size=(reps, B))
    est_seq = (2 * plus - shots) / shots
    out = {}
    for key, est, truth in (("batched", est_batched, means), ("sequential", est_seq, single)):
        sq = (est - truth) ** 2
        out[key] = sq.mean(axis=0)
        out[key + "_se"] = sq.std(axis=0, ddof=1) / np.sqrt(reps)
    out["batched_formula"] = np.array([_mse_formula(c, B * shots, B) for c in means])
    out["sequential_formula"] = (1 - single**2) / shots
    out["estimates_batched"], out["estimates_sequential"] = est_batched, est_seq
    return out


def check_batch_sampling(
    model: str, n_cells: int, n_batch: int, seed: int = 2024, shots: int = 64, reps: int = 4000
) -> CheckResult:
    name = "batch-sampling"
    values, skip = _simulated(name, model, n_cells, n_batch, seed)
    if skip:
        return skip
    probs, cond, single, _ = values
    z, z1 = cond[:, 2], single[:, 2]
    exp = sampling_experiment(probs, z, z1, shots, reps, seed)
    problems = []
    for key in ("batched", "sequential"):
        gap = np.abs(exp[key] - exp[key + "_formula"])
        if np.any(gap > 4 * exp[key + "_se"]):
            problems.append(
                f"{key} MSE {np.round(exp[key], 6).tolist()} vs formula "
                f"{np.round(exp[key + '_formula'], 6).tolist()} (4 SE "
                f"{np.round(4 * exp[key + '_se'], 6).tolist()})"
            )
    # At the derived executions T for (eps, delta): each query misses eps w.p. <= delta.
    eps, delta = sympy.Rational(1, 4), sympy.Rational(1, 20)
    cost = batch_measurement_cost(f"abs:{float(eps)}", n_cells, n_batch, delta=delta)
    rng = np.random.default_rng([seed, 1])
    joint = np.ravel([[p * (1 + c) / 2, p * (1 - c) / 2] for p, c in zip(probs, z)])
    counts = rng.multinomial(cost.runs, joint / joint.sum(), size=reps).reshape(reps, -1, 2)
    n_b = np.maximum(counts.sum(axis=2), 1)
    miss = np.abs((counts[..., 0] - counts[..., 1]) / n_b - z) > float(eps)
    worst = float(miss.mean(axis=0).max())
    if worst > float(delta):
        problems.append(f"at T={cost.runs} a query missed eps=1/4 in {worst:.4f} > delta")
    label = f"B={n_batch}, S={shots}, {reps} reps"
    if problems:
        return CheckResult(name, model, n_cells, False, f"{label}: " + "; ".join(problems))
    ratio = float(np.mean(exp["batched"]) / np.mean(exp["sequential"]))
    return CheckResult(
        name,
        model,
        n_cells,
        True,
        f"{label}: MSE batched/sequential = {ratio:.3f} at equal executions, both == formula "
        f"(4 SE); T={cost.runs} for eps=1/4: worst miss rate {worst:.4f} <= 0.05",
    )


@functools.cache
def _closed_form(model: str, loader: str):
    """The cost summary of the size-only batch (N and B symbols), derived once per model and
    loader: every (N, B) of the check substitutes into the same closed form."""
    sym = MultiQueryQLACI(QLACIQuery(_N, 1, 1, qram_model=model), _B, loader, query_bits=2)
    return cost_summary(sym)


def check_batch_counts(model: str, n_cells: int, n_batch: int) -> CheckResult:
    name = "batch-counts"
    if traits(model).ASSUMED_ORACLE:
        detail = f"B={n_batch}: an assumed oracle: no circuit"
        return CheckResult(name, model, n_cells, True, detail, True)
    if n_batch > n_cells or n_cells > 16:
        why = "B > N" if n_batch > n_cells else "N > 16"
        return CheckResult(name, model, n_cells, True, f"B={n_batch}: {why}, not decomposed", True)
    template = worst_case(model, n_cells, 1)
    rng = np.random.default_rng([n_cells, n_batch])
    problems = []
    for loader in ("multiplexed", "qram") if n_batch > 1 else ("multiplexed",):
        if loader == "multiplexed":
            mq = MultiQueryQLACI(template, n_batch, queries=rng.uniform(-3, 3, (n_batch, 1)))
        else:
            words = worst_case_words("qrom", n_batch, 1, 2)
            mq = MultiQueryQLACI(template, n_batch, "qram", None, words, (0.7,), 2)
        closed = _closed_form(model, loader).subs({_N: n_cells, _B: n_batch})
        measured = decomposed_summary(mq)
        for m in METRICS:
            c, d = getattr(closed, m), getattr(measured, m)
            if (m in mq.bounds and not d <= c) or (m not in mq.bounds and d != c):
                problems.append(f"{loader} {m}: closed form={c}, decomposition={d}")
    if problems:
        return CheckResult(name, model, n_cells, False, f"B={n_batch}: " + "; ".join(problems))
    return CheckResult(name, model, n_cells, True, f"B={n_batch}: closed form == decomposition")


def batch_checks(
    models: Iterable[str],
    sizes: Iterable[int] = (2, 4),
    batches: Iterable[int] = (2, 4),
    kinds: Iterable[str] = tuple(BATCH_CHECKS),
    seed: int = 2024,
) -> Iterator[CheckResult]:
    """The selected multi-query checks for every model, N and B <= N (failures reported, not
    raised; a case a check cannot simulate is a skipped result saying why)."""
    kinds = tuple(kinds)
    run = {
        "batch-branches": lambda m, n, b: check_batch_branches(m, n, b, seed),
        "batch-sampling": lambda m, n, b: check_batch_sampling(m, n, b, seed),
        "batch-counts": check_batch_counts,
    }
    for model in models:
        for n in sizes:
            for b in [b for b in batches if b <= n]:  # B > N is no circuit (B queries of N)
                for kind in BATCH_CHECKS:
                    if kind not in kinds:
                        continue
                    try:
                        yield run[kind](model, n, b)
                    except Exception as err:  # noqa: BLE001 - a failed check, reported
                        yield CheckResult(kind, model, n, False, f"{type(err).__name__}: {err}")
