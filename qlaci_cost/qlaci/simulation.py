"""State-vector simulation of QLACI bloqs (Cirq) and the classical references they are checked with.

The circuits simulated are the bloqs' own leaf decompositions (an assumed oracle such as
`IdealQRAM` is kept whole: it acts as a permutation matrix). Qubits are ordered register by
register (signature order, qubit 0 of a register first), then every other qubit (ancillas);
freed ancillas are reused by a greedy qubit manager, so the simulated width is close to the
peak qubit count.
"""

from collections.abc import Sequence
from typing import Optional

import cirq
import numpy as np
from attrs import frozen
from qualtran import Bloq, CompositeBloq

from qlaci_cost.core.cirq_paths import for_simulation
from qlaci_cost.core.flatten import flatten_until
from qlaci_cost.core.leaves import leaf_class
from qlaci_cost.errors import InputError

__all__ = [
    "cirq_circuit",
    "SimulatedState",
    "kernel_average",
    "pauli_expectations",
    "simulate",
    "softmax_average",
]

#: Largest number of qubits `simulate` accepts.
MAX_QUBITS = 26


def _keep_whole(bloq: Bloq) -> bool:
    """An assumed oracle (trait `ASSUMED_ORACLE`) has no circuit: it is simulated as its gate."""
    return bool(getattr(type(bloq), "ASSUMED_ORACLE", False))


def _simulated_whole(bloq: Bloq) -> bool:
    """A leaf gate or an assumed oracle: what the simulation applies as one gate."""
    return leaf_class(bloq) is not None or _keep_whole(bloq)


def _flatten(bloq: Bloq) -> CompositeBloq:
    return flatten_until(bloq, _simulated_whole)


@frozen(eq=False)
class SimulatedState:
    """A final state vector and where each register's qubits sit in it.

    Attributes:
        state: The state vector (big-endian over `qubits`).
        qubits: The simulated qubits, in state-vector order.
        registers: Register name -> positions in `qubits` (qubit 0 of the register first).
        ancillas: Positions of every qubit that is not in a register.
    """

    state: np.ndarray
    qubits: tuple
    registers: dict
    ancillas: tuple

    @property
    def n_qubits(self) -> int:
        return len(self.qubits)

    def probability_all_zero(self, positions: Sequence[int]) -> float:
        """Probability that every qubit at `positions` is measured 0."""
        n = self.n_qubits
        amps = self.state.reshape((2,) * n)
        index = tuple(0 if q in set(positions) else slice(None) for q in range(n))
        return float(np.sum(np.abs(amps[index]) ** 2))

    def reduced_density_matrix(self, positions: Sequence[int]) -> np.ndarray:
        """The density matrix of the qubits at `positions` (others traced out)."""
        return cirq.density_matrix_from_state_vector(self.state, list(positions))

    def expectation(self, pauli: str, register: str) -> float:
        """<P> for a Pauli string on `register` (letter k on the register's qubit k)."""
        positions = self.registers[register]
        if len(pauli) != len(positions):
            raise InputError(f"{pauli!r} has {len(pauli)} letters, {register} has {len(positions)}")
        ps = cirq.PauliString(
            {
                self.qubits[p]: {"X": cirq.X, "Y": cirq.Y, "Z": cirq.Z}[c]
                for p, c in zip(positions, pauli)
                if c != "I"
            }
        )
        qubit_map = {q: i for i, q in enumerate(self.qubits)}
        value = ps.expectation_from_state_vector(self.state, qubit_map)
        return float(np.real(value))


def cirq_circuit(cbloq: CompositeBloq) -> tuple[cirq.Circuit, dict, list]:
    """The Cirq circuit of a flattened composite bloq with ancillas reused (a greedy qubit
    manager), its registers' qubits (name -> array) and the qubit order: the registers' qubits
    in signature order, then the ancillas."""
    from qualtran._infra.gate_with_registers import get_named_qubits

    quregs = get_named_qubits(cbloq.signature.lefts())
    manager = cirq.GreedyQubitManager(prefix="_anc", maximize_reuse=True)
    circuit, _ = cbloq.to_cirq_circuit_and_quregs(qubit_manager=manager, **quregs)
    circuit = cirq.Circuit(circuit.all_operations())
    named = [q for reg in cbloq.signature.lefts() for q in np.asarray(quregs[reg.name]).ravel()]
    return circuit, quregs, named + sorted(circuit.all_qubits() - set(named))


def simulate(
    bloq: Bloq, initial: Optional[dict] = None, max_qubits: int = MAX_QUBITS
) -> SimulatedState:
    """Simulate `bloq`'s leaf decomposition from |0...0>, or from the basis values `initial`
    (register name -> unsigned int, qubit 0 of the register most significant).

    Raises:
        InputError: when the circuit needs more than `max_qubits` qubits.
    """
    cbloq = _flatten(bloq)
    circuit, quregs, order = cirq_circuit(cbloq)
    flips = []
    for name, value in (initial or {}).items():
        qs = np.asarray(quregs[name]).ravel()
        flips += [cirq.X(q) for i, q in enumerate(qs) if (int(value) >> (len(qs) - 1 - i)) & 1]
    circuit = cirq.Circuit(flips) + circuit if flips else circuit
    if len(order) > max_qubits:
        raise InputError(f"{bloq} needs {len(order)} qubits to simulate, more than {max_qubits}")
    result = cirq.Simulator(dtype=np.complex128).simulate(
        for_simulation(circuit), qubit_order=order
    )
    registers, start = {}, 0
    for reg in cbloq.signature.lefts():
        registers[reg.name] = tuple(range(start, start + reg.total_bits()))
        start += reg.total_bits()
    return SimulatedState(
        state=result.final_state_vector,
        qubits=tuple(order),
        registers=registers,
        ancillas=tuple(range(start, len(order))),
    )


def pauli_expectations(bloq: Bloq, observables: Sequence[str], register: str = "out") -> np.ndarray:
    """<P> on `register` after `bloq` (simulated from |0...0>), one per Pauli string."""
    sim = simulate(bloq)
    return np.array([sim.expectation(p, register) for p in observables])


def kernel_average(per_position: np.ndarray) -> np.ndarray:
    """(1/N) sum_j f_j: the uniform average of per-position values (rows are positions)."""
    return np.mean(np.asarray(per_position, dtype=float), axis=0)


def softmax_average(per_position: np.ndarray, scores: Sequence[float]) -> np.ndarray:
    """sum_j softmax(scores)_j f_j: the attention-weighted average softmax attention computes."""
    s = np.asarray(scores, dtype=float)
    w = np.exp(s - s.max())
    w /= w.sum()
    return w @ np.asarray(per_position, dtype=float)
