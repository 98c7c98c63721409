"""Verification of the QLACI query and head at small N, beside the QRAM checks of `verify`.

Checks (each a `core.verification.CheckResult`, run on the same bloqs the tables use):
- `qlaci-average` (with `superposition`): Cirq state vector of the superposed query (N <= 4 and
  at most `simulation.MAX_QUBITS` qubits; else the sparse simulation over the N branches,
  `core.superposition`); <X>, <Y>, <Z> on the readout equal the uniform average
  (1/N) sum_j of the N single-position circuits to 1e-6, and every ancilla (QRAM, loaded word)
  is back in |0> (docs/design.md#kernel-average-not-softmax).
- `qlaci-counts` (with `counts`): the symbolic query summary evaluated at N equals the counts
  of the decomposed query built from the QRAM model's worst-case data (exact metrics equal,
  bounded metrics >=).
- `head-counts` (with `counts`): the symbolic `QLACIHead` summary (P = 2 processors) at N
  equals N x calls x the decomposed query's gate counts, 2 x its qubits, and
  ceil(N / 2) x calls x the query's depths (>= the decomposed depths), with the calls from
  Hoeffding's formula directly.

`qlaci_checks` runs these (the QLACI family's `checks`);
`core.verification.run_family_checks` runs every registered family's checks.
"""

from collections.abc import Iterable, Iterator
from typing import Optional

import numpy as np
import sympy

from qlaci_cost.analysis.shots import hoeffding_shots
from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, Conventions
from qlaci_cost.core.decomposed import decomposed_summary
from qlaci_cost.core.summary import METRICS, CostSummary, cost_summary
from qlaci_cost.core.verification import CheckResult
from qlaci_cost.qlaci.head import QLACIHead
from qlaci_cost.qlaci.query import QLACIQuery
from qlaci_cost.qram import MODELS, model_class, traits
from qlaci_cost.symbolics.rounding import ceil_div
from qlaci_cost.symbolics.symbols import N as _N

__all__ = [
    "QLACI_CHECKS",
    "check_head_counts",
    "check_kernel_average",
    "check_query_counts",
    "qlaci_checks",
    "seeded_query",
]

#: QLACI check -> the `verify` check name that selects it.
QLACI_CHECKS = {
    "qlaci-average": "superposition",
    "qlaci-counts": "counts",
    "head-counts": "counts",
}
#: Largest N whose query is simulated as N + 1 Cirq state vectors (above: the sparse
#: simulation, 0.1-0.7 s per model at N = 8 where the state vectors took 5-25 s), or decomposed.
MAX_SIMULATED_N = 4
MAX_DECOMPOSED_N = 64
OBSERVABLES = ("X", "Y", "Z")


def seeded_query(
    n_cells: int,
    model: str,
    bits: int = 1,
    seed: int = 2024,
    words: Optional[tuple] = None,
    **options,
) -> QLACIQuery:
    """A concrete query (d_q = 1, one key and one value component of b bits): seeded random
    Q, angles and K, V (or K_j || V_j split from the given 2b-bit words)."""
    rng = np.random.default_rng([seed, n_cells, bits])
    if words is None:
        words = rng.integers(0, 2 ** (2 * bits), size=n_cells)
    mask = 2**bits - 1
    return QLACIQuery(
        n_cells=n_cells,
        d_q=1,
        bits=bits,
        qram_model=model,
        query=rng.uniform(-np.pi, np.pi, 1),
        keys=[[int(w) >> bits] for w in words],
        values=[[int(w) & mask] for w in words],
        fm_angles=rng.uniform(-np.pi, np.pi, 2),
        theta=rng.uniform(-np.pi, np.pi, 2 * 3),
        phi=rng.uniform(-np.pi, np.pi, 2 * 4),
        **options,
    )


def _expectations(sim) -> np.ndarray:
    return np.array([sim.expectation(p, "out") for p in OBSERVABLES])


def check_kernel_average(model: str, n_cells: int, seed: int = 2024) -> CheckResult:
    """Superposed query's <X>, <Y>, <Z> == mean over the single-position circuits; ancillas |0>."""
    from qlaci_cost.qlaci.simulation import kernel_average, simulate

    name = "qlaci-average"
    if n_cells > MAX_SIMULATED_N:  # no state vector: the sparse simulation over the branches
        return _sparse_average(model, n_cells, seed)
    try:
        sim = simulate(seeded_query(n_cells, model, 1, seed, measure=False))
    except ValueError as err:
        if "qubits to simulate" in str(err):  # too wide for a state vector: sparse
            return _sparse_average(model, n_cells, seed, f" (state vector: {err})")
        raise
    rows = []
    for j in range(n_cells):
        single = simulate(seeded_query(n_cells, model, 1, seed, position=j, measure=False))
        if abs(single.probability_all_zero(single.ancillas) - 1) > 1e-9:
            return CheckResult(
                name, model, n_cells, False, f"position={j}: an ancilla is not back in |0>"
            )
        rows.append(_expectations(single))
    got, want = _expectations(sim), kernel_average(rows)
    if not np.allclose(got, want, rtol=0, atol=1e-6):
        return CheckResult(
            name,
            model,
            n_cells,
            False,
            f"register out: <X,Y,Z> = {np.round(got, 6).tolist()}, uniform average of the "
            f"positions = {np.round(want, 6).tolist()}",
        )
    clean = sim.probability_all_zero(sim.ancillas)
    if abs(clean - 1) > 1e-9:
        return CheckResult(
            name, model, n_cells, False, f"ancillas back in |0> with probability {clean:.9f}"
        )
    return CheckResult(
        name,
        model,
        n_cells,
        True,
        f"{sim.n_qubits} qubits, b=1: <X,Y,Z> == (1/N) sum_j of {n_cells} positions, ancillas |0>",
    )


def _sparse_average(model: str, n_cells: int, seed: int, why: str = "") -> CheckResult:
    """`qlaci-average` by the sparse simulation over the N address branches."""
    from qlaci_cost.core.superposition import UncleanAncilla, query_average

    name = "qlaci-average"
    superposed = seeded_query(n_cells, model, 1, seed, measure=False)
    at_zero = seeded_query(n_cells, model, 1, seed, position=0, measure=False)
    try:
        got, want = query_average(superposed, at_zero, n_cells)
    except UncleanAncilla as err:
        return CheckResult(name, model, n_cells, False, str(err))
    ok = bool(np.allclose(got, want, rtol=0, atol=1e-9))
    detail = (
        f"sparse, b=1: <X,Y,Z> == (1/N) sum_j of {n_cells} positions, ancillas |0>{why}"
        if ok
        else f"<X,Y,Z> = {np.round(got, 9).tolist()}, average {np.round(want, 9).tolist()}"
    )
    return CheckResult(name, model, n_cells, ok, detail)


def worst_case(model: str, n_cells: int, bits: int) -> QLACIQuery:
    words = model_class(model).worst_case_data(n_cells, 2 * bits)
    return seeded_query(n_cells, model, bits, words=words)


def _compare(closed: CostSummary, measured: CostSummary, bounds) -> list[str]:
    problems = []
    for m in METRICS:
        c, d = getattr(closed, m), getattr(measured, m)
        if (m in bounds and not d <= c) or (m not in bounds and d != c):
            relation = "<=" if m in bounds else "=="
            problems.append(f"{m}: closed form={c}, decomposition={d} (want {relation})")
    return problems


def _no_circuit(name: str, model: str, n_cells: int) -> Optional[CheckResult]:
    if traits(model).ASSUMED_ORACLE:
        return CheckResult(name, model, n_cells, True, "an assumed oracle: no circuit", True)
    if n_cells > MAX_DECOMPOSED_N:
        detail = f"N > {MAX_DECOMPOSED_N}: not decomposed"
        return CheckResult(name, model, n_cells, True, detail, True)
    return None


def check_query_counts(
    model: str, n_cells: int, bits: int, conventions: Conventions = DEFAULT_CONVENTIONS
) -> CheckResult:
    """Symbolic query summary at N == decomposition of the worst-case query (bounds: <=)."""
    name = "qlaci-counts"
    skip = _no_circuit(name, model, n_cells)
    if skip:
        return skip
    query = worst_case(model, n_cells, bits)
    symbolic = QLACIQuery(_N, 1, bits, qram_model=model)
    closed = cost_summary(symbolic, conventions).subs({_N: n_cells})
    problems = _compare(closed, decomposed_summary(query, conventions), query.bounds)
    if problems:
        return CheckResult(name, model, n_cells, False, f"b={bits}: " + "; ".join(problems))
    return CheckResult(name, model, n_cells, True, f"b={bits}: closed form == decomposition")


def check_head_counts(
    model: str,
    n_cells: int,
    bits: int,
    conventions: Conventions = DEFAULT_CONVENTIONS,
    eps: str = "0.1",
    processors: int = 2,
) -> CheckResult:
    """Symbolic head summary at N == the product of N, the calls and the query's counts."""
    name = "head-counts"
    head = QLACIHead(QLACIQuery(_N, 1, bits, qram_model=model), f"abs:{eps}", processors=processors)
    got = cost_summary(head, conventions).subs({_N: n_cells})
    calls = hoeffding_shots(sympy.Rational(eps), sympy.Rational(1, 20))
    if traits(model).ASSUMED_ORACLE or n_cells > MAX_DECOMPOSED_N:
        per_run = cost_summary(QLACIQuery(n_cells, 1, bits, qram_model=model), conventions)
        source = "closed form (no decomposition)"
    else:
        per_run = decomposed_summary(worst_case(model, n_cells, bits), conventions)
        source = "decomposition"
    size_only = QLACIQuery(n_cells, 1, bits, qram_model=model)
    closed = cost_summary(size_only, conventions)
    sequential = ceil_div(n_cells, processors)
    problems = []
    for m in METRICS:
        g = getattr(got, m)
        if m == "qubits":
            factor = processors
        elif m in QLACIQuery.BOUNDS:
            factor = sequential * calls
        else:
            factor = n_cells * calls
        # A metric the query only bounds: the head multiplies the closed form (>= the circuit).
        want = factor * getattr(closed if m in size_only.bounds else per_run, m)
        if g != want:
            problems.append(f"{m}: head={g}, expected {want}")
        if not g >= factor * getattr(per_run, m):
            problems.append(f"{m}: head={g} < {factor} x {source}")
    if problems:
        return CheckResult(name, model, n_cells, False, f"b={bits}: " + "; ".join(problems))
    return CheckResult(
        name,
        model,
        n_cells,
        True,
        f"b={bits}, P={processors}, {calls} calls/query: gate counts == N x calls x {source}, "
        "qubits == P x, depths == ceil(N/P) x calls x closed form",
    )


def qlaci_checks(
    models: Iterable[str] = MODELS,
    sizes: Iterable[int] = (2, 4, 8),
    bits: int = 2,
    checks: Iterable[str] = ("superposition", "counts"),
    seed: int = 2024,
) -> Iterator[CheckResult]:
    """The QLACI checks named in `checks`, or selected by a `verify` check name
    (`QLACI_CHECKS`)."""
    checks = tuple(checks)
    sizes = list(sizes)
    for model in models:
        for n in sizes:
            for name, selector in QLACI_CHECKS.items():
                if selector not in checks and name not in checks:
                    continue
                try:
                    if name == "qlaci-average":
                        yield check_kernel_average(model, n, seed)
                    elif name == "qlaci-counts":
                        yield check_query_counts(model, n, bits)
                    else:
                        yield check_head_counts(model, n, bits)
                except Exception as err:  # noqa: BLE001 - a failed check, reported
                    yield CheckResult(name, model, n, False, f"{type(err).__name__}: {err}")
