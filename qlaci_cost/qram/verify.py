"""Verification of the QRAM models at small N: classical, state-vector and count checks.

Every check runs the same bloq the cost tables use, never a re-implementation:
- `classical`: the leaf decomposition simulated classically on every address (Qualtran's
  `call_classically`; a freed ancilla that is not 0 raises).
- `superposition`: Cirq state vector with the address in uniform superposition; the target must
  hold data[j] entangled with |j> and every ancilla must be back in |0>.
- `counts`: the closed form (size-only model) equals the counts measured on the decomposition
  of the model built from its worst-case data, metric by metric; the symbolic expression
  evaluated at N equals the closed form at N; depths equal those of the Cirq circuit.

`run_checks` runs these for QRAM models: the QRAM family's `checks` hook
(`qlaci_cost.core.verification.run_family_checks` runs every family's).
"""

from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from qlaci_cost.core.cirq_paths import for_simulation
from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, Conventions
from qlaci_cost.core.decomposed import cirq_circuit, cirq_depths, decomposed_summary
from qlaci_cost.core.leaves import leaf_class
from qlaci_cost.core.summary import METRICS, cost_summary
from qlaci_cost.core.verification import CheckResult, seeded_data
from qlaci_cost.errors import InputError
from qlaci_cost.qram.registry import MODELS, build, build_symbolic, model_class, traits
from qlaci_cost.symbolics.symbols import B, N

__all__ = [
    "MAX_STATE_QUBITS",
    "SPARSE_ABOVE_N",
    "check_classical",
    "check_counts",
    "check_superposition",
    "classical_decomposition",
    "run_checks",
    "superposition_state",
]

#: Largest address + target + ancilla count simulated as a state vector.
MAX_STATE_QUBITS = 24
#: Above this N the superposition check goes straight to `core.superposition` (sparse).
SPARSE_ABOVE_N = 16


def check_classical(model: str, data: Sequence[int], bits: int, **options) -> CheckResult:
    """Every address through the leaf decomposition: target ^= data[j], address unchanged."""
    bloq = build(model, data, bits, **options)
    n = bloq.n_cells
    # An assumed oracle has no decomposition: its own classical action is all there is.
    cbloq = bloq if traits(model).ASSUMED_ORACLE else classical_decomposition(bloq)
    rng = np.random.default_rng([7, n, bits])
    for j in range(n):
        t = int(rng.integers(0, 2**bits))
        try:
            out = cbloq.call_classically(address=j, target=t)
        except ValueError as err:
            return CheckResult("classical", model, n, False, f"address={j}: {err}")
        want = (j, t ^ bloq.data[j])
        if (int(out[0]), int(out[1])) != want:
            return CheckResult(
                "classical",
                model,
                n,
                False,
                f"address={j} target={t}: got (address, target)=({out[0]}, {out[1]}), want {want}",
            )
    return CheckResult("classical", model, n, True, f"all {n} addresses, b={bits}")


def classical_decomposition(bloq):
    """The leaf decomposition, except that a `CSwapApprox` (a controlled swap up to relative
    phases, built from H, S and T: not a permutation gate by gate) keeps its own classical
    action; the Cirq superposition check covers its circuit."""
    from qualtran.bloqs.swap_network import CSwapApprox

    cbloq = bloq.decompose_bloq()
    keep = (CSwapApprox,)
    return cbloq.flatten(
        lambda binst: leaf_class(binst.bloq) is None and not isinstance(binst.bloq, keep)
    )


def superposition_state(model: str, data: Sequence[int], bits: int, **options):
    import cirq

    bloq = build(model, data, bits, **options)
    if traits(model).ASSUMED_ORACLE:  # no circuit: the oracle's own gate
        from qualtran._infra.gate_with_registers import get_named_qubits

        quregs = get_named_qubits(bloq.signature.lefts())
        op, _ = bloq.as_cirq_op(cirq.SimpleQubitManager(), **quregs)
        circuit = cirq.Circuit(op)
    else:
        circuit, quregs = cirq_circuit(bloq)
    address, target = list(quregs["address"]), list(quregs["target"])
    ancillas = sorted(circuit.all_qubits() - set(address) - set(target))
    order = address + target + ancillas
    if len(order) > MAX_STATE_QUBITS:
        return None, len(order)
    full = cirq.Circuit(cirq.H.on_each(*address), for_simulation(circuit))
    state = cirq.Simulator(dtype=np.complex128).simulate(full, qubit_order=order).final_state_vector
    return (state, len(address), len(target), len(ancillas)), len(order)


def check_superposition(model: str, data: Sequence[int], bits: int, **options) -> CheckResult:
    """Cirq state vector: sum_j |j>|data[j]>|0...0> / sqrt(N) after the model."""
    n = len(data)
    result, width = (
        (None, None) if n > SPARSE_ABOVE_N else superposition_state(model, data, bits, **options)
    )
    if result is None:  # too wide for a state vector: the structured sparse simulation
        from qlaci_cost.core.superposition import superposition_check

        problem = superposition_check(build(model, data, bits, **options), list(data))
        detail = "sparse simulation over the N address branches, phases and ancillas exact"
        return CheckResult("superposition", model, n, problem is None, problem or detail)
    state, n_addr, n_tgt, n_anc = result
    want = np.zeros_like(state)
    for j in range(n):
        want[((j << n_tgt) | data[j]) << n_anc] = 1 / np.sqrt(n)
    overlap = abs(np.vdot(want, state))
    if np.allclose(state, want, rtol=0, atol=1e-6):
        return CheckResult("superposition", model, n, True, f"{width} qubits, |<want|got>|=1")
    probs = np.abs(state) ** 2
    worst = int(np.argmax(probs * (np.abs(want) < 1e-9)))
    anc = worst & ((1 << n_anc) - 1)
    tgt = (worst >> n_anc) & ((1 << n_tgt) - 1)
    addr = worst >> (n_anc + n_tgt)
    return CheckResult(
        "superposition",
        model,
        n,
        False,
        f"|<want|got>|={overlap:.6f}; stray amplitude at address={addr} target={tgt} "
        f"ancillas={anc:0{max(n_anc, 1)}b} (want target={data[addr]}, ancillas 0)",
    )


def check_counts(
    model: str, n_cells: int, bits: int, conventions: Conventions = DEFAULT_CONVENTIONS
) -> CheckResult:
    """Closed form at N == decomposition of the worst-case data, for every metric;
    symbolic expression at N == closed form at N; depths == Cirq circuit depths."""
    cls = model_class(model)
    if traits(model).ASSUMED_ORACLE:
        return CheckResult("counts", model, n_cells, True, "an assumed oracle: no circuit", True)
    closed = cost_summary(build_symbolic(model, n_cells, bits), conventions)
    symbolic = cost_summary(build_symbolic(model, N, B), conventions).subs({N: n_cells, B: bits})
    data = cls.worst_case_data(n_cells, bits)
    bloq = build(model, data, bits)
    measured = decomposed_summary(bloq, conventions)
    circuit, _ = cirq_circuit(bloq)
    from_cirq = cirq_depths(circuit)
    bounds = traits(model).BOUNDS
    problems = []
    for m in METRICS:
        c, s, d = getattr(closed, m), getattr(symbolic, m), getattr(measured, m)
        if c != s:
            problems.append(f"{m}: symbolic={s} closed form={c}")
        if (m in bounds and not d <= c) or (m not in bounds and d != c):
            relation = "<=" if m in bounds else "=="
            problems.append(f"{m}: closed form={c}, decomposition={d} (want {relation})")
    for m, v in from_cirq.items():
        if getattr(measured, m) != v:
            problems.append(f"{m}: decomposition={getattr(measured, m)}, cirq circuit={v}")
    if problems:
        return CheckResult("counts", model, n_cells, False, f"b={bits}: " + "; ".join(problems))
    exact = [m for m in METRICS if m not in bounds]
    note = f"b={bits}: {len(exact)} metrics exact" + (
        f", bounds hold for {', '.join(sorted(bounds))}" if bounds else ""
    )
    return CheckResult("counts", model, n_cells, True, note)


def run_checks(
    models: Iterable[str] = MODELS,
    sizes: Iterable[int] = (2, 4, 8),
    bits: int = 2,
    checks: Iterable[str] = ("classical", "superposition", "counts"),
    seed: int = 2024,
) -> Iterator[CheckResult]:
    """Every requested check for every model and size, as results (never raises on a failed
    check; an exception inside a check becomes a failing result naming it)."""
    checks = tuple(checks)
    for model in models:
        for n in sizes:
            data = seeded_data(n, bits, seed)
            for check in checks:
                try:
                    if check == "classical":
                        yield check_classical(model, data, bits)
                    elif check == "superposition":
                        yield check_superposition(model, data, bits)
                    elif check == "counts":
                        yield check_counts(model, n, bits)
                    else:
                        raise InputError(f"unknown check {check!r}")
                except Exception as err:  # noqa: BLE001 - a failed check, reported
                    yield CheckResult(check, model, n, False, f"{type(err).__name__}: {err}")
