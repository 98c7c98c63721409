"""Faster paths to Cirq's own simulations, each held equal to Cirq's call by a test
(`tests/core/test_for_simulation.py`): the checks keep Cirq as their second source.

- `for_simulation`: Qualtran's controlled-swap leaf as Cirq's `CSWAP` (the same state).
- `terminal_samples`: a circuit measured only at the end, simulated once and sampled per seed
  (the bits of Cirq's `run` for each seed).
- `trajectory_records`: a circuit measured mid-way, every repetition at once (the records of
  Cirq's `run`, the same uniform numbers drawn in the same order).
"""

import cirq
import numpy as np

__all__ = ["for_simulation", "terminal_samples", "trajectory_records"]


def for_simulation(circuit: cirq.Circuit) -> cirq.Circuit:
    """`circuit` with each of Qualtran's `TwoBitCSwap` leaves as Cirq's `CSWAP` on the same
    qubits (control, x, y): the same unitary (`tests/core/test_for_simulation.py`), which Cirq
    applies by swapping two slices of the state. As Qualtran's wrapped bloq, Cirq builds its
    8 x 8 unitary by tensor contraction twice per operation (once to ask whether it has one)
    and applies it by a dense product. For simulation only: counts and depths read the leaves."""
    from qualtran.bloqs.basic_gates import TwoBitCSwap
    from qualtran.cirq_interop import BloqAsCirqGate

    def native(op: cirq.Operation) -> cirq.Operation:
        gate = op.gate
        if isinstance(gate, BloqAsCirqGate) and isinstance(gate.bloq, TwoBitCSwap):
            return cirq.CSWAP.on(*op.qubits)
        return op

    return circuit.map_operations(native)


def terminal_samples(circuit: cirq.Circuit, repetitions: int, seeds) -> list[dict]:
    """For each seed s, the measurements `cirq.Simulator(seed=s).run(circuit, repetitions)`
    returns (key -> array of repetitions x qubits), the circuit simulated once rather than once
    per seed. Its measurements must all be terminal: `run` then samples the one final state
    with the seed's generator (`cirq.sample_state_vector`, all measured qubits at once, in the
    circuit's order), and so does this; `tests/core/test_for_simulation.py` asserts the samples
    equal `run`'s."""
    if not circuit.are_all_measurements_terminal():
        raise ValueError("terminal_samples needs a circuit whose measurements are all terminal")
    ops = list(circuit.all_operations())
    measured = [op for op in ops if cirq.is_measurement(op)]
    body = cirq.Circuit(op for op in ops if not cirq.is_measurement(op))
    qubits = sorted(circuit.all_qubits())
    state = cirq.Simulator().simulate(body, qubit_order=qubits).final_state_vector
    position = {q: i for i, q in enumerate(qubits)}
    indices = [position[q] for op in measured for q in op.qubits]
    out = []
    for seed in seeds:
        bits = cirq.sample_state_vector(state, indices, repetitions=repetitions, seed=seed)
        columns, start = {}, 0
        for op in measured:
            columns[cirq.measurement_key_name(op)] = bits[:, start : start + len(op.qubits)]
            start += len(op.qubits)
        out.append(columns)
    return out


def trajectory_records(circuit: cirq.Circuit, repetitions: int, seed: int) -> dict:
    """`cirq.Simulator(seed=seed, split_untangled_states=False).run(circuit, repetitions)
    .records` for a circuit of unitary gates, measurements and resets measured mid-circuit, with
    every repetition simulated at once: the states are the rows of one array.

    Cirq runs such a circuit one repetition at a time, and each measurement or reset draws one
    uniform number u from the seed's generator (repetition by repetition, operation by
    operation) and takes the outcome where u falls in the outcomes' cumulative probabilities.
    The same numbers, drawn up front in that order, pick the same outcomes here; a reset is a
    measurement followed by a flip to |0>. `tests/core/test_for_simulation.py` asserts the
    records equal Cirq's. (Cirq's state is single precision, this one double: an outcome can
    differ only where u falls within rounding, ~1e-7, of a cumulative probability.)

    Raises:
        ValueError: an operation that is neither unitary, a plain measurement nor a reset.
    """
    qubits = sorted(circuit.all_qubits())
    n = len(qubits)
    ops = [op for moment in circuit for op in moment]
    draws = [op for op in ops if cirq.is_measurement(op) or isinstance(op.gate, cirq.ResetChannel)]
    uniforms = np.random.RandomState(seed).random_sample((repetitions, len(draws)))
    state = np.zeros((repetitions,) + (2,) * n, dtype=np.complex128)
    state[(slice(None),) + (0,) * n] = 1
    position = {q: i + 1 for i, q in enumerate(qubits)}  # axis 0 is the repetition
    records: dict[str, list] = {}
    k = 0
    for op in ops:
        axes = [position[q] for q in op.qubits]
        if cirq.is_measurement(op) or isinstance(op.gate, cirq.ResetChannel):
            state, bits = _measured(state, axes, uniforms[:, k])
            k += 1
            if isinstance(op.gate, cirq.ResetChannel):
                state = _flipped_where(state, axes[0], bits[:, 0])
            else:
                _check_plain(op)
                records.setdefault(cirq.measurement_key_name(op), []).append(bits)
        elif cirq.has_unitary(op):
            u = cirq.unitary(op).reshape((2,) * (2 * len(axes)))
            moved = np.tensordot(state, u, axes=(axes, list(range(len(axes), 2 * len(axes)))))
            state = np.moveaxis(moved, list(range(n + 1 - len(axes), n + 1)), axes)
        else:
            raise ValueError(f"trajectory_records cannot apply {op!r}")
    return {key: np.stack(found, axis=1) for key, found in records.items()}


def _check_plain(op: cirq.Operation) -> None:
    gate = op.gate
    if any(gate.full_invert_mask()) or gate.confusion_map:
        raise ValueError(f"trajectory_records reads plain measurements only, not {op!r}")


def _measured(state: np.ndarray, axes: list, u: np.ndarray) -> tuple:
    """Each row measured on `axes` with its uniform number: (collapsed, renormalized rows;
    the outcome bits, the first qubit the most significant, one row per repetition)."""
    k = len(axes)
    front = np.moveaxis(state, axes, list(range(1, k + 1)))
    amps = front.reshape(state.shape[0], 2**k, -1)
    probs = np.sum(np.abs(amps) ** 2, axis=2)
    cdf = np.cumsum(probs, axis=1)
    outcome = np.minimum(np.sum(cdf <= (u * cdf[:, -1])[:, None], axis=1), 2**k - 1)
    keep = np.zeros_like(probs, dtype=bool)
    keep[np.arange(len(outcome)), outcome] = True
    amps = (
        np.where(keep[:, :, None], amps, 0)
        / np.sqrt(probs[np.arange(len(outcome)), outcome])[:, None, None]
    )
    collapsed = np.moveaxis(amps.reshape(front.shape), list(range(1, k + 1)), axes)
    bits = (outcome[:, None] >> np.arange(k - 1, -1, -1)) & 1
    return collapsed, bits.astype(np.int8)


def _flipped_where(state: np.ndarray, axis: int, flip: np.ndarray) -> np.ndarray:
    """X on qubit `axis` in the rows where `flip` is 1 (a reset after outcome 1)."""
    flipped = np.flip(state, axis=axis)
    return np.where(flip.reshape((-1,) + (1,) * (state.ndim - 1)).astype(bool), flipped, state)
