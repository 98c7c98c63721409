"""Verification of QLAM at small sizes (m memory qubits, N tokens), on the bloqs' own circuits.

Checks (each yields `analysis.verify.CheckResult`, model = "qlam m=<m> <protocol>"):
- `qlam-counts`: closed forms of the size-only sequence (final readout, and weak readout)
  equal the counts of the decomposed concrete sequence; depths equal the steps-as-blocks
  schedule of the decomposition and bound the gate-level depth, which equals the Cirq
  circuit's; each protocol's totals equal the sum over its runs of the decomposed counts.
- `qlam-state`: the sequence's state vector equals the state carried through each step's
  circuit one at a time, and the NumPy reference of the model (1e-9).
- `qlam-sampling`: the `final` readout sampled with the protocol's S shots lies within eps of
  the state vector's <Z_q>, over `SEEDS` seeds; failures counted against delta (they must not
  exceed the 0.999 binomial quantile of Bin(trials, delta)).
- `qlam-executions`: the instrumented executor (`executor`) runs every protocol and counts
  exactly the step executions, runs, readouts and rounds the formulas give.
- `qlam-weak`: Cirq's density-matrix simulation of the monitored circuit equals the NumPy
  monitored model (1e-9); trajectories sampled with the weak protocol's S_theta runs give
  <X_anc> / sin(theta) within eps of it (jointly over steps and ancillas by a union bound);
  the monitored values differ from the unmonitored (unitary) ones by more than eps (N >= 4;
  at N = 2, 3 few dephasings precede the last readout: they must differ by 1e-3).
"""

from collections.abc import Iterable, Iterator, Sequence
from math import comb

import attrs
import cirq
import numpy as np

from qlaci_cost.analysis.shots import hoeffding_shots
from qlaci_cost.analysis.verify import CheckResult
from qlaci_cost.core.decomposed import cirq_circuit, cirq_depths, decomposed_summary
from qlaci_cost.core.depth import Depth, asap_depth
from qlaci_cost.core.errors import InputError
from qlaci_cost.core.summary import cost_summary
from qlaci_cost.qlam.executor import InstrumentedExecutor
from qlaci_cost.qlam.protocols import PROTOCOLS, QLAMConfig, protocol_cost
from qlaci_cost.qlam.simulation import (
    monitored_density,
    monitored_reference,
    reference_states,
    step_circuit,
    z_expectations,
)
from qlaci_cost.qlam.step import QLAMSequence

__all__ = ["CHECK_KINDS", "DEFAULT_MEMORY", "DEFAULT_SIZES", "SEEDS", "qlam_checks", "seeded"]

CHECK_KINDS = ("qlam-counts", "qlam-state", "qlam-sampling", "qlam-executions", "qlam-weak")
DEFAULT_SIZES = (2, 3, 4, 5, 6, 7, 8)
DEFAULT_MEMORY = (2, 3, 4)
SEEDS = 40
#: Small circuits the checks run: 2 features, 1 layer of 2 rotations, ladder; K = 2 in G = 2.
CHECK_CONFIG = dict(d_in=2, layers=1, rotations=2, entangler="ladder")
GATES = ("qubits", "toffoli", "t_count", "clifford", "rotations", "measurements")
TOL = 1e-9


def seeded(n: int, m: int, seed: int = 11, weak: int = 0, theta=np.pi / 3) -> QLAMSequence:
    """A concrete sequence with reproducible random angles."""
    rng = np.random.default_rng([seed, n, m, weak])
    kw = dict(CHECK_CONFIG)
    angles = rng.uniform(-np.pi, np.pi, kw["layers"] * kw["rotations"] * m)
    return QLAMSequence(
        n, m, **kw, weak_ancillas=weak, theta=theta, final_readout=not weak,
        tokens=rng.uniform(-np.pi, np.pi, (n, kw["d_in"])), params=angles,
    )  # fmt: skip


def _config(m: int, theta=np.pi / 3) -> QLAMConfig:
    return QLAMConfig(m=m, **CHECK_CONFIG, n_observables=2, n_groups=2, ancillas=2, theta=theta)


def _result(kind, m, protocol, n, ok, detail) -> CheckResult:
    return CheckResult(kind, f"qlam m={m} {protocol}", n, bool(ok), detail)


def check_counts(m: int, n: int) -> Iterator[CheckResult]:
    for weak in (0, 2):
        concrete = seeded(n, m, weak=weak)
        closed = cost_summary(attrs.evolve(concrete, tokens=None, params=None))
        dec = decomposed_summary(concrete)
        bad = [g for g in GATES if getattr(closed, g) != getattr(dec, g)]
        blocks = asap_depth(concrete.decompose_bloq(), lambda b: _depth(b))
        circuit, _ = cirq_circuit(concrete)
        if blocks != closed.depth or dec.depth > closed.depth:
            bad.append(f"depth {closed.depth} vs blocks {blocks}, gates {dec.depth}")
        if cirq_depths(circuit)["depth"] != dec.depth:
            bad.append("Cirq depth")
        label = "weak-sequence" if weak else "final-sequence"
        yield _result("qlam-counts", m, label, n, not bad, "; ".join(map(str, bad)))
    cfg = _config(m)
    for protocol in PROTOCOLS:
        cost = protocol_cost(protocol, n, cfg, "abs:0.5")
        prefixes = range(1, n + 1) if protocol == "every-step" else [n]
        want = {g: 0 for g in GATES[1:]}
        for t in prefixes:
            seq = seeded(t, m, weak=2 if protocol == "weak" else 0)
            dec = decomposed_summary(seq)
            per_prefix = cost.runs // len(prefixes)
            for g in want:
                want[g] += per_prefix * getattr(dec, g)
        bad = [g for g in want if cost.totals[f"total_{g}"] != want[g]]
        yield _result(
            "qlam-counts", m, protocol, n, not bad, f"totals differ: {bad}" if bad else ""
        )


def _depth(bloq):
    from qualtran.resource_counting import get_cost_value

    return get_cost_value(bloq, Depth())


def _carry(seq: QLAMSequence) -> np.ndarray:
    """The state carried through each step's own circuit, one step at a time."""
    state = np.zeros(2 ** int(seq.m), dtype=complex)
    state[0] = 1
    sim = cirq.Simulator(dtype=np.complex128)
    for t in range(int(seq.n_steps)):
        circuit, qubits = step_circuit(seq.step_at(t))
        state = sim.simulate(circuit, qubit_order=qubits, initial_state=state).final_state_vector
    return state


def check_state(m: int, n: int) -> CheckResult:
    seq = attrs.evolve(seeded(n, m), final_readout=False)
    circuit, qubits = step_circuit(seq)
    whole = cirq.Simulator(dtype=np.complex128).simulate(circuit, qubit_order=qubits)
    whole = whole.final_state_vector
    carried, ref = _carry(seq), reference_states(seq)[-1]
    gaps = [np.max(np.abs(whole - carried)), np.max(np.abs(whole - ref))]
    detail = f"|sequence - step by step| = {gaps[0]:.2e}, |sequence - reference| = {gaps[1]:.2e}"
    return _result("qlam-state", m, "unitary", n, max(gaps) < TOL, detail)


def _binomial_quantile(trials: int, p: float, q: float = 0.999) -> int:
    total = 0.0
    for k in range(trials + 1):
        total += comb(trials, k) * p**k * (1 - p) ** (trials - k)
        if total >= q:
            return k
    return trials


def check_sampling(m: int, n: int, eps: str = "0.1", delta: str = "0.05", seeds: int = SEEDS):
    seq = seeded(n, m)
    exact = z_expectations(reference_states(seq)[-1], m)
    shots = protocol_cost("final", n, _config(m), f"abs:{eps}", delta).shots
    assert shots == hoeffding_shots(eps, delta)
    circuit, _ = cirq_circuit(seq)
    failures = trials = 0
    for s in range(seeds):
        result = cirq.Simulator(seed=s).run(circuit, repetitions=shots)
        for q in range(m):
            estimate = 1 - 2 * np.mean(result.measurements[f"r{q}"][:, 0])
            failures += abs(estimate - exact[q]) > float(eps)
            trials += 1
    allowed = _binomial_quantile(trials, float(delta))
    detail = (
        f"{failures} of {trials} estimates ({shots} shots each) off by more than eps = {eps}; "
        f"allowed {allowed} (0.999 quantile of Bin({trials}, {delta}))"
    )
    return _result("qlam-sampling", m, "final", n, failures <= allowed, detail)


def check_executions(m: int, n: int, protocols: Sequence[str] = PROTOCOLS):
    cfg = _config(m, theta=np.pi / 2)
    seq = seeded(n, m)
    for protocol in protocols:
        methods = ("hoeffding",) if protocol == "weak" else ("hoeffding", "amplitude-estimation")
        for method in methods:
            cost = protocol_cost(protocol, n, cfg, "abs:0.5", method=method)
            got = InstrumentedExecutor(seq, seed=n).run(cost)
            want = {"step_executions": cost.step_executions, "runs": cost.runs,
                    "readouts": cost.readouts, "rounds": cost.rounds}  # fmt: skip
            detail = f"executed {got}" + ("" if got == want else f", formulas {want}")
            yield _result("qlam-executions", m, cost.name, n, got == want, detail)


def check_weak(m: int, n: int, eps: str = "0.25", delta: str = "0.05", seed: int = 3):
    theta = np.pi / 3
    seq = seeded(n, m, weak=2, theta=theta)
    reference, density = monitored_reference(seq), monitored_density(seq)
    gap = float(np.max(np.abs(reference - density)))
    cost = protocol_cost("weak", n, _config(m, theta), f"abs:{eps}", delta, union="all")
    circuit, _ = cirq_circuit(seq)
    records = cirq.Simulator(seed=seed).run(circuit, repetitions=int(cost.shots)).records
    sampled = np.stack([1 - 2 * records[f"w{j}"][:, :, 0].mean(axis=0) for j in range(2)], 1)
    estimate = sampled / np.sin(theta)
    error = float(np.max(np.abs(estimate - density / np.sin(theta))))
    unitary = attrs.evolve(seq, weak_ancillas=0)
    targets = seq.step.weak.target_qubits
    plain = np.array([z_expectations(s, m)[list(targets)] for s in reference_states(unitary)])
    difference = float(np.max(np.abs(plain - density / np.sin(theta))))
    # Step 1 is read before any dephasing; from N = 4 on the two models must differ by more
    # than the protocol resolves (eps); below, where few dephasings precede the last readout,
    # they must differ at all (1e-3).
    resolved = difference > (float(eps) if n >= 4 else 1e-3)
    ok = gap < TOL and error <= float(eps) and resolved
    detail = (
        f"|Cirq density matrix - model| = {gap:.1e}; sampled ({cost.shots} trajectories) "
        f"error {error:.3f} <= eps {eps}; monitored vs unitary <O> differ by {difference:.3f}"
    )
    return _result("qlam-weak", m, "weak", n, ok, detail)


def qlam_checks(
    sizes: Iterable[int] = DEFAULT_SIZES,
    kinds: Iterable[str] = CHECK_KINDS,
    memory: Iterable[int] = DEFAULT_MEMORY,
    protocols: Sequence[str] = PROTOCOLS,
) -> Iterator[CheckResult]:
    """Run the named checks for every m in `memory` and N in `sizes`."""
    kinds = list(kinds)
    for kind in kinds:
        if kind not in CHECK_KINDS:
            raise InputError(f"check {kind!r} is not allowed: use one of {', '.join(CHECK_KINDS)}")
    for m in memory:
        for n in sizes:
            if "qlam-counts" in kinds:
                yield from check_counts(m, n)
            if "qlam-state" in kinds:
                yield check_state(m, n)
            if "qlam-sampling" in kinds:
                yield check_sampling(m, n)
            if "qlam-executions" in kinds:
                yield from check_executions(m, n, protocols)
            if "qlam-weak" in kinds:
                yield check_weak(m, n)
