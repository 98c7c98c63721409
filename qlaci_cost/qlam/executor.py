"""An instrumented executor: runs each QLAM readout protocol literally on the simulated circuits
of the bloqs and counts what it executes (steps, runs, readouts, rounds), so the formulas of
`protocols` can be checked against an execution rather than against themselves.

- `final`: G groups x S shots, each a fresh run of the N steps and one sampled readout.
- `every-step`: for t = 1..N (one round each: the estimate of <O_t> is fed back into the
  encoding angle of token t + 1 before the next circuits are built), G x S runs of prefix t.
- `weak`: S_theta trajectories, each N steps of the step circuit with its weak readout, the
  ancilla outcomes sampled by Cirq.
- `time-pooled`: G groups x S shots, each a fresh run of a prefix of length t drawn uniformly
  from 1..N (the draws are kept in `draws`) and one sampled readout.
- `query-dependent`: G_q query bases x S shots, each a fresh run of the N steps, the query's
  basis change (the `QueryReadout` bloq's own circuit) and one sampled readout.
- amplitude estimation: per observable and repetition, A|0> then M - 1 Grover iterates
  Q = -A S_0 A^dagger S_chi (S_chi flips the sign where the observable is -1), each A and
  A^dagger applied step by step (the phase register and inverse QFT are not simulated: the
  executor counts calls, it does not return the estimate).
"""

import attrs
import cirq
import numpy as np

from qlaci_cost.core.decomposed import merged
from qlaci_cost.qlam.protocols import ProtocolCost
from qlaci_cost.qlam.query_readout import QueryReadout
from qlaci_cost.qlam.simulation import step_circuit, step_unitary
from qlaci_cost.qlam.step import QLAMSequence

__all__ = ["FEEDBACK_GAIN", "InstrumentedExecutor"]

#: Feedback of the every-step protocol: token t + 1's first angle += gain x estimate of <O_t>.
FEEDBACK_GAIN = 0.1


class InstrumentedExecutor:
    """Executes a protocol on a concrete sequence (tokens and ansatz angles given).

    Args:
        sequence: A concrete `QLAMSequence` (its readout and weak flags are ignored: the
            protocol decides them).
        seed: Seed of the sampled measurement outcomes.
    """

    def __init__(self, sequence: QLAMSequence, seed: int = 0, query_angles=None):
        self.sequence = attrs.evolve(sequence, final_readout=False, weak_ancillas=0)
        self.m = int(sequence.m)
        self.rng = np.random.default_rng(seed)
        self.seed = seed
        self.counts = {"step_executions": 0, "runs": 0, "readouts": 0, "rounds": 0}
        self.draws: list[int] = []
        self.samples: list[tuple[int, int]] = []
        self.query_angles = query_angles
        self._unitaries: dict = {}
        self._circuits: dict = {}
        self._prefixes: dict = {}

    def _unitary(self, t: int, tokens) -> np.ndarray:
        key = (t, tokens[t])
        if key not in self._unitaries:
            step = attrs.evolve(self.sequence.step, token=tokens[t])
            self._unitaries[key] = step_unitary(step)
        return self._unitaries[key]

    def _apply(self, state, t, tokens, adjoint=False):
        self.counts["step_executions"] += 1
        u = self._unitary(t, tokens)
        return (u.conj().T if adjoint else u) @ state

    def _prefix(self, t: int, tokens) -> np.ndarray:
        """The state after steps 0..t-1 from |0>, each step counted as executed. A run of the
        same prefix (the same tokens) applies the same unitaries to the same vector, so its
        state is computed once and kept (read-only); the counts are those of every run."""
        key = (t, tuple(tokens[:t]))
        self.counts["step_executions"] += t
        if key not in self._prefixes:
            state = np.zeros(2**self.m, dtype=complex)
            state[0] = 1
            for s in range(t):
                state = self._unitary(s, tokens) @ state
            state.setflags(write=False)
            self._prefixes[key] = state
        return self._prefixes[key]

    def _shot(self, state) -> int:
        """One readout: a basis state sampled from |amplitude|^2 (Z on every qubit)."""
        self.counts["readouts"] += 1
        p = np.abs(state) ** 2
        return int(self.rng.choice(len(p), p=p / p.sum()))

    def _z0(self, outcome: int) -> int:
        return 1 - 2 * ((outcome >> (self.m - 1)) & 1)

    def run(self, cost: ProtocolCost) -> dict:
        """Execute the protocol `cost` prices (its N, shots, K, G); return the counts."""
        tokens = list(self.sequence.tokens)
        N, cfg = int(cost.N), cost.config
        if cost.amplitude_estimation:
            prefixes = range(1, N + 1) if cost.protocol == "every-step" else [N]
            for t in prefixes:
                self.counts["rounds"] += 1
                for _obs in range(cfg.n_observables):
                    for _rep in range(cost.ae_repetitions):
                        self._amplitude_estimation_run(t, tokens, cost.ae_grid)
        elif cost.protocol == "weak":
            self.counts["rounds"] += 1
            for _ in range(int(cost.shots)):
                self._trajectory(tokens, cfg)
        elif cost.protocol == "time-pooled":
            self.counts["rounds"] += 1
            for group in range(cfg.n_groups):
                for _s in range(int(cost.shots)):
                    t = int(self.rng.integers(1, N + 1))
                    self.draws.append(t)
                    self.counts["runs"] += 1
                    self.samples.append((group, self._shot(self._prefix(t, tokens))))
        elif cost.protocol == "query-dependent":
            self.counts["rounds"] += 1
            for query in range(cfg.query_bases):
                basis = self._query_unitary(query, cfg.query_bases)
                for _s in range(int(cost.shots)):
                    self.counts["runs"] += 1
                    state = basis @ self._prefix(N, tokens)
                    self.samples.append((query, self._shot(state)))
        else:
            prefixes = range(1, N + 1) if cost.protocol == "every-step" else [N]
            for t in prefixes:
                self.counts["rounds"] += 1
                values = []
                for _g in range(cfg.n_groups):
                    for _s in range(int(cost.shots)):
                        self.counts["runs"] += 1
                        values.append(self._z0(self._shot(self._prefix(t, tokens))))
                if cost.protocol == "every-step" and t < N:  # feed <O_t> into token t + 1
                    row = list(tokens[t])
                    row[0] += FEEDBACK_GAIN * float(np.mean(values))
                    tokens[t] = tuple(row)
        return dict(self.counts)

    def _query_unitary(self, query: int, bases: int) -> np.ndarray:
        """The basis change of query `query`: the `QueryReadout` bloq's circuit (no measurement)
        at this executor's angles (`query_angles[query]`, else seeded random angles)."""
        if self.query_angles is None:
            rng = np.random.default_rng([self.seed, bases, self.m])
            self.query_angles = rng.uniform(-np.pi, np.pi, (bases, 2 * self.m))
        key = ("query", query)
        if key not in self._unitaries:
            bloq = QueryReadout(self.m, bases, angles=self.query_angles[query], measure=False)
            self._unitaries[key] = step_unitary(bloq)
        return self._unitaries[key]

    def _amplitude_estimation_run(self, t: int, tokens, grid: int) -> None:
        self.counts["runs"] += 1
        bad = np.array([self._z0(j) < 0 for j in range(2**self.m)])

        def a(state, adjoint=False):
            order = reversed(range(t)) if adjoint else range(t)
            for s in order:
                state = self._apply(state, s, tokens, adjoint)
            self.counts["readouts"] += 1  # the marking of the -1 outcome stands for the readout
            return state

        start = np.zeros(2**self.m, dtype=complex)
        start[0] = 1
        state = a(start)
        for _ in range(grid - 1):  # Q = -A S_0 A^dagger S_chi
            state = np.where(bad, -state, state)
            state = a(state, adjoint=True)
            state[0] = -state[0]
            state = -a(state)

    def _trajectory(self, tokens, cfg) -> None:
        self.counts["runs"] += 1
        weak = attrs.evolve(self.sequence.step, weak_ancillas=cfg.ancillas, theta=cfg.theta)
        k = int(cfg.ancillas)
        state = np.zeros(2 ** (self.m + k), dtype=complex)
        state[0] = 1
        seed = int(self.rng.integers(2**31))
        sim = cirq.Simulator(seed=seed, split_untangled_states=False)  # as qlam.verify.check_weak
        for t in range(len(tokens)):
            self.counts["step_executions"] += 1
            key = ("weak", t, tokens[t])
            if key not in self._circuits:
                circuit, qubits = step_circuit(attrs.evolve(weak, token=tokens[t]))
                self._circuits[key] = merged(circuit), qubits
            circuit, qubits = self._circuits[key]
            result = sim.simulate(circuit, qubit_order=qubits, initial_state=state)
            state = result.final_state_vector
            state = state.astype(complex) / np.linalg.norm(state)
