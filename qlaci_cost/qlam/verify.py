"""Verification of QLAM at small sizes (m memory qubits, N tokens), on the bloqs' own circuits.

Checks (each yields `core.verification.CheckResult`, model = "qlam m=<m> <protocol>"):
- `qlam-counts`: closed forms of the size-only sequence (final readout, and weak readout)
  equal the counts of the decomposed concrete sequence; depths equal the steps-as-blocks
  schedule of the decomposition and bound the gate-level depth, which equals the Cirq
  circuit's; each protocol's totals equal the sum over its runs of the decomposed counts.
- `qlam-state`: the sequence's state vector equals the state carried through each step's
  circuit one at a time, and the NumPy reference of the model (1e-9).
- `qlam-sampling`: the `final` readout sampled with the protocol's S shots lies within eps of
  the state vector's <Z_q>, over `SEEDS` seeds; failures counted against delta (they must not
  exceed the 0.999 binomial quantile of Bin(trials, delta)). The same for `time-pooled` (the
  executor's random-prefix shots against (1/N) sum_t <Z_q>_t of the NumPy reference) and
  `query-dependent` (the sequence and `QueryReadout` bloqs' Cirq circuit sampled, against the
  reference state rotated by the query's rotation matrices).
- `qlam-executions`: the instrumented executor (`executor`) runs every protocol and counts
  exactly the step executions, runs, readouts and rounds the formulas give (`time-pooled`:
  runs, readouts and rounds exactly; its step executions equal the sum of the drawn prefix
  lengths and lie within Hoeffding's 1 - 1e-6 interval around G S (N + 1) / 2).
- `qlam-weak`: Cirq's density-matrix simulation of the monitored circuit equals the NumPy
  monitored model (1e-9); trajectories sampled with the weak protocol's S_theta runs give
  <X_anc> / sin(theta) within eps of it (jointly over steps and ancillas by a union bound);
  the monitored values differ from the unmonitored (unitary) ones by more than eps (N >= 4;
  at N = 2, 3 few dephasings precede the last readout: they must differ by 1e-3).
"""

from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from math import comb, log, sqrt

import attrs
import cirq
import numpy as np
from qualtran import BloqBuilder, QAny, Register

from qlaci_cost.analysis.shots import hoeffding_shots
from qlaci_cost.core.cirq_paths import terminal_samples, trajectory_records
from qlaci_cost.core.decomposed import cirq_circuit, cirq_depths, decomposed_summary, merged
from qlaci_cost.core.depth import Depth, asap_depth
from qlaci_cost.core.summary import cost_summary
from qlaci_cost.core.verification import CheckResult
from qlaci_cost.errors import InputError
from qlaci_cost.qlam.executor import InstrumentedExecutor
from qlaci_cost.qlam.protocols import (
    NO_AMPLITUDE_ESTIMATION,
    PROTOCOLS,
    QLAMConfig,
    protocol_cost,
)
from qlaci_cost.qlam.query_readout import QueryReadout
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
        n,
        m,
        **kw,
        weak_ancillas=weak,
        theta=theta,
        final_readout=not weak,
        tokens=rng.uniform(-np.pi, np.pi, (n, kw["d_in"])),
        params=angles,
    )


def _config(m: int, theta=np.pi / 3) -> QLAMConfig:
    return QLAMConfig(
        m=m, **CHECK_CONFIG, n_observables=2, n_groups=2, ancillas=2, theta=theta, query_bases=2
    )


def query_angles(m: int, bases: int, seed: int = 5) -> np.ndarray:
    """Reproducible angles of `bases` query bases (2 m each)."""
    return np.random.default_rng([seed, m, bases]).uniform(-np.pi, np.pi, (bases, 2 * m))


def _prefix_runs(protocol: str, cost, n: int) -> list[tuple[int, object]]:
    """(prefix length, runs of it) of a protocol: every prefix (every-step: runs / N each;
    time-pooled: runs / N each in expectation), else the full sequence."""
    if protocol == "every-step":
        return [(t, cost.runs // n) for t in range(1, n + 1)]
    if protocol == "time-pooled":
        return [(t, Fraction(int(cost.runs), n)) for t in range(1, n + 1)]
    return [(n, cost.runs)]


def _expected_totals(protocol: str, cost, m: int, n: int) -> dict:
    """Every gate total of a protocol, summed over its runs of the decomposed circuits."""
    want = {g: 0 for g in GATES[1:]}
    weak = 2 if protocol == "weak" else 0
    extra = None
    if protocol == "query-dependent":
        extra = decomposed_summary(QueryReadout(m, 2, angles=query_angles(m, 2)[0]))
    for t, runs in _prefix_runs(protocol, cost, n):
        seq = seeded(t, m, weak=weak)
        if extra is not None:
            seq = attrs.evolve(seq, final_readout=False)
        dec = decomposed_summary(seq)
        for g in want:
            want[g] += runs * (getattr(dec, g) + (getattr(extra, g) if extra else 0))
    return want


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
        want = _expected_totals(protocol, cost, m, n)
        bad = [g for g in want if Fraction(cost.totals[f"total_{g}"]) != Fraction(want[g])]
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
    for measurements in terminal_samples(circuit, shots, range(seeds)):  # as Cirq's run
        for q in range(m):
            estimate = 1 - 2 * np.mean(measurements[f"r{q}"][:, 0])
            failures += abs(estimate - exact[q]) > float(eps)
            trials += 1
    allowed = _binomial_quantile(trials, float(delta))
    detail = (
        f"{failures} of {trials} estimates ({shots} shots each) off by more than eps = {eps}; "
        f"allowed {allowed} (0.999 quantile of Bin({trials}, {delta}))"
    )
    return _result("qlam-sampling", m, "final", n, failures <= allowed, detail)


def _rotated(state: np.ndarray, angles, m: int) -> np.ndarray:
    """The state after Rz(angles[2q]) then Ry(angles[2q + 1]) on each qubit q, from the
    rotation matrices' definitions (qubit 0 most significant)."""
    out = state.reshape((2,) * m)
    for q in range(m):
        a, b = angles[2 * q], angles[2 * q + 1]
        rz = np.diag([np.exp(-1j * a / 2), np.exp(1j * a / 2)])
        ry = np.array([[np.cos(b / 2), -np.sin(b / 2)], [np.sin(b / 2), np.cos(b / 2)]])
        out = np.moveaxis(np.tensordot(ry @ rz, out, axes=([1], [q])), 0, q)
    return out.reshape(-1)


def _with_query_readout(seq: QLAMSequence, readout: QueryReadout):
    """The sequence (no final readout) followed by the query readout, as one composite bloq."""
    bb = BloqBuilder()
    memory = bb.add_register(Register("memory", QAny(int(seq.m))))
    memory = bb.add(attrs.evolve(seq, final_readout=False), memory=memory)
    memory = bb.add(readout, memory=memory)
    return bb.finalize(memory=memory)


def _count_failures(estimates: np.ndarray, exact: np.ndarray, eps: float) -> tuple[int, int]:
    return int(np.sum(np.abs(estimates - exact) > eps)), int(estimates.size)


def check_pooled_sampling(m: int, n: int, eps="0.1", delta="0.05", seeds: int = SEEDS // 4):
    """Time-pooled: the executor's random-prefix shots against (1/N) sum_t <Z_q>_t."""
    seq = seeded(n, m)
    exact = np.mean([z_expectations(s, m) for s in reference_states(seq)], axis=0)
    cost = protocol_cost("time-pooled", n, _config(m), f"abs:{eps}", delta)
    executor = InstrumentedExecutor(seq)
    failures = trials = 0
    for s in range(seeds):
        executor.rng, executor.samples = np.random.default_rng([s, n, m]), []
        executor.run(cost)
        outcomes = np.array([o for g, o in executor.samples if g == 0])
        bits = (outcomes[:, None] >> (m - 1 - np.arange(m))) & 1
        f, t = _count_failures(1 - 2 * bits.mean(axis=0), exact, float(eps))
        failures, trials = failures + f, trials + t
    allowed = _binomial_quantile(trials, float(delta))
    detail = (
        f"{failures} of {trials} pooled estimates ({cost.shots} random-prefix shots each) off "
        f"by more than eps = {eps}; allowed {allowed}"
    )
    return _result("qlam-sampling", m, "time-pooled", n, failures <= allowed, detail)


def check_query_sampling(m: int, n: int, eps="0.1", delta="0.05", seeds: int = SEEDS // 4):
    """Query-dependent: the bloqs' Cirq circuit sampled in each query's basis."""
    seq = seeded(n, m)
    cost = protocol_cost("query-dependent", n, _config(m), f"abs:{eps}", delta)
    failures = trials = 0
    for query, angles in enumerate(query_angles(m, 2)):
        exact = z_expectations(_rotated(reference_states(seq)[-1], angles, m), m)
        circuit, _ = cirq_circuit(_with_query_readout(seq, QueryReadout(m, 2, angles=angles)))
        runs = terminal_samples(circuit, int(cost.shots), [1000 * query + s for s in range(seeds)])
        for measurements in runs:  # as Cirq's run with each seed
            estimates = np.array([1 - 2 * np.mean(measurements[f"r{q}"][:, 0]) for q in range(m)])
            f, t = _count_failures(estimates, exact, float(eps))
            failures, trials = failures + f, trials + t
    allowed = _binomial_quantile(trials, float(delta))
    detail = (
        f"{failures} of {trials} estimates in 2 query bases ({cost.shots} shots each) off by "
        f"more than eps = {eps}; allowed {allowed}"
    )
    return _result("qlam-sampling", m, "query-dependent", n, failures <= allowed, detail)


#: Confidence of the interval the time-pooled step executions must fall in.
POOLED_DELTA = 1e-6


def _pooled_ok(cost, executor, got: dict, want: dict, n: int) -> tuple[bool, str]:
    drawn = sum(executor.draws)
    runs = int(cost.runs)
    bound = (n - 1) * sqrt(runs * log(2 / POOLED_DELTA) / 2)
    gap = abs(drawn - float(cost.step_executions))
    same = {k: got[k] == want[k] for k in ("runs", "readouts", "rounds")}
    ok = all(same.values()) and got["step_executions"] == drawn and gap <= bound
    return ok, (
        f"executed {got}; drawn prefix lengths sum to {drawn}, expected "
        f"{cost.step_executions} (|gap| {gap:.1f} <= Hoeffding bound {bound:.1f})"
    )


def check_executions(m: int, n: int, protocols: Sequence[str] = PROTOCOLS):
    cfg = _config(m, theta=np.pi / 2)
    seq = seeded(n, m)
    for protocol in protocols:
        methods = ("hoeffding",)
        if protocol not in NO_AMPLITUDE_ESTIMATION:
            methods += ("amplitude-estimation",)
        precision = "abs:0.25" if protocol == "time-pooled" else "abs:0.5"
        for method in methods:
            cost = protocol_cost(protocol, n, cfg, precision, method=method)
            executor = InstrumentedExecutor(seq, seed=n, query_angles=query_angles(m, 2))
            got = executor.run(cost)
            want = {
                "step_executions": cost.step_executions,
                "runs": cost.runs,
                "readouts": cost.readouts,
                "rounds": cost.rounds,
            }
            if protocol == "time-pooled":
                ok, detail = _pooled_ok(cost, executor, got, want, n)
            else:
                ok = got == want
                detail = f"executed {got}" + ("" if ok else f", formulas {want}")
            yield _result("qlam-executions", m, cost.name, n, ok, detail)


def check_weak(m: int, n: int, eps: str = "0.25", delta: str = "0.05", seed: int = 3):
    theta = np.pi / 3
    seq = seeded(n, m, weak=2, theta=theta)
    reference, density = monitored_reference(seq), monitored_density(seq)
    gap = float(np.max(np.abs(reference - density)))
    cost = protocol_cost("weak", n, _config(m, theta), f"abs:{eps}", delta, union="all")
    circuit, _ = cirq_circuit(seq)  # measured mid-circuit: merged, every trajectory at once
    # The records of Cirq's Simulator(seed, split_untangled_states=False).run, outcome by
    # outcome (trajectory_records draws the same numbers), without its run per repetition.
    records = trajectory_records(merged(circuit), int(cost.shots), seed)
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
                if "time-pooled" in protocols:
                    yield check_pooled_sampling(m, n)
                if "query-dependent" in protocols:
                    yield check_query_sampling(m, n)
            if "qlam-executions" in kinds:
                yield from check_executions(m, n, protocols)
            if "qlam-weak" in kinds:
                yield check_weak(m, n)
