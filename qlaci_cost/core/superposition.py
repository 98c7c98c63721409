"""Structured superposition simulation: a sparse state over the branches a circuit creates.

A QRAM query with the address in uniform superposition has N basis branches; its permutation
gates (X, CNOT, Toffoli, CSWAP, And, multi-target CNOT) map each branch to one branch, diagonal
gates (S, T, Z, CZ, Rz, global phase) multiply amplitudes, and only non-diagonal gates (H, Rx,
Ry) split branches, which later gates merge again. So the state is kept as a table of basis
states (one row of packed bits per branch) and their complex amplitudes; a gate acts on all rows
at once (numpy, column operations on the packed bits). Memory and time grow with the number of
live branches times the number of qubits, never with 2^qubits: a bucket brigade at N = 1024
(about 5000 qubits) is simulated exactly on its own leaf decomposition.

Measurement-based uncompute (`And(uncompute=True)`: measure the target in the X basis, apply CZ
on the controls when the outcome is 1) is simulated on both outcomes: each outcome branch gets
the fix-up, the two normalised post-measurement states must be equal (else the uncompute
leaves a phase or entanglement, reported as a failure), and the simulation continues with one
of them. Freed qubits must be |0> in every branch. Amplitudes are complex doubles; branches
whose amplitude cancels below `PRUNE` are dropped.

The program simulated is the same bloq's leaf decomposition (`leaf_program`), the one
`core.decomposed` counts; see docs/conventions.md#one-number-for-a-concrete-circuit.
"""

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from attrs import frozen
from qualtran import Bloq, CompositeBloq, DecomposeNotImplementedError, DecomposeTypeError

from qlaci_cost.core._qualtran_adapter import is_bookkeeping
from qlaci_cost.core.leaves import leaf_class

__all__ = [
    "PRUNE",
    "LeafProgram",
    "SparseState",
    "UncleanAncilla",
    "final_state_problem",
    "leaf_program",
    "run_program",
    "superposition_check",
]

#: Amplitudes below this modulus after a merge are dropped (exact cancellations).
PRUNE = 1e-12


class UncleanAncilla(AssertionError):
    """A freed qubit, or a measurement-based uncompute, left the state entangled or phased."""


@frozen
class LeafProgram:
    """A bloq as leaf operations on integer qubit indices.

    `ops` is a list of (kind, bloq, qubits): kind `gate` (a leaf gate), `alloc`, `free`
    (qubits returned, must be |0>) or `classical` (a bloq without decomposition applied by its
    classical action, e.g. the assumed `ideal` oracle). `inputs`/`outputs` map register names
    to qubit lists (most significant bit first, Qualtran's order).
    """

    ops: tuple
    inputs: dict
    outputs: dict
    n_qubits: int


@lru_cache(maxsize=4096)
def _decompose(bloq: Bloq) -> CompositeBloq | None:
    try:
        return bloq.decompose_bloq()
    except (DecomposeNotImplementedError, DecomposeTypeError):
        return None


def leaf_program(bloq: Bloq) -> LeafProgram:
    """`bloq`'s leaf decomposition as a list of operations on qubit indices.

    Recurses through `decompose_bloq` (cached per distinct bloq, so repeated stages are
    decomposed once) without building a flat `CompositeBloq`, which Qualtran 0.7.0 does
    slowly at N = 1024.
    """
    ops: list = []
    free: list[int] = []
    counter = [0]

    def new_qubit() -> int:
        if free:
            return free.pop()
        counter[0] += 1
        return counter[0] - 1

    def expand(b: Bloq, regs_in: dict) -> dict:
        cls = leaf_class(b)
        if cls is not None and not is_bookkeeping(b):
            return _leaf(b, cls, regs_in)
        cbloq = b if isinstance(b, CompositeBloq) else _decompose(b)
        if cbloq is None:
            ops.append(("classical", b, regs_in))
            return regs_in
        return _composite(cbloq, regs_in)

    def _leaf(b: Bloq, cls: str, regs_in: dict) -> dict:
        regs_out = {}
        for reg in b.signature.rights():
            if reg.name in regs_in:
                regs_out[reg.name] = regs_in[reg.name]
            else:
                regs_out[reg.name] = [new_qubit() for _ in range(reg.total_bits())]
        rights, lefts = b.signature.rights(), b.signature.lefts()
        allocated = [q for r in rights if r.name not in regs_in for q in regs_out[r.name]]
        if cls != "free" or allocated or any(r.name not in regs_out for r in lefts):
            qubits = {r.name: regs_in.get(r.name, regs_out.get(r.name)) for r in b.signature}
            ops.append(("gate", b, qubits))
        for reg in b.signature.lefts():
            if reg.name not in regs_out:  # consumed: And^dag's target, an effect
                free.extend(regs_in[reg.name])
        return regs_out

    def _composite(cbloq: CompositeBloq, regs_in: dict) -> dict:
        # Keys (id of the bloq instance or dangle, register name, index): building Soquets
        # validates them, which dominated the run time at N = 1024.
        from qualtran import LeftDangle, RightDangle

        ready: dict[tuple, list] = {}
        for reg in cbloq.signature.lefts():
            qs, size = regs_in[reg.name], reg.bitsize
            for k, idx in enumerate(_idxs(reg)):
                ready[(id(LeftDangle), reg.name, idx)] = qs[k * size : (k + 1) * size]
        final: dict = {}
        for binst, preds, succs in cbloq.iter_bloqnections():
            b = binst.bloq
            source = {(c.right.reg.name, c.right.idx): c.left for c in preds}
            sub_in: dict = {}
            for reg in b.signature.lefts():
                flat: list = []
                for idx in _idxs(reg):
                    src = source[(reg.name, idx)]
                    flat.extend(ready.pop((id(src.binst), src.reg.name, src.idx)))
                sub_in[reg.name] = flat
            sub_out = _bookkeeping(b, sub_in) if is_bookkeeping(b) else expand(b, sub_in)
            for reg in b.signature.rights():
                qs, size = sub_out[reg.name], reg.bitsize
                for k, idx in enumerate(_idxs(reg)):
                    ready[(id(binst), reg.name, idx)] = qs[k * size : (k + 1) * size]
            for c in succs:
                if c.right.binst is RightDangle:
                    final[(c.right.reg.name, c.right.idx)] = c.left
        for c in cbloq.connections:  # wires from the inputs straight to the outputs
            if c.left.binst is LeftDangle and c.right.binst is RightDangle:
                final[(c.right.reg.name, c.right.idx)] = c.left
        out = {}
        for reg in cbloq.signature.rights():
            flat = []
            for idx in _idxs(reg):
                src = final[(reg.name, idx)]
                flat.extend(ready.pop((id(src.binst), src.reg.name, src.idx)))
            out[reg.name] = flat
        return out

    def _bookkeeping(b: Bloq, sub_in: dict) -> dict:
        flat = [q for reg in b.signature.lefts() for q in sub_in[reg.name]]
        n_out = sum(r.total_bits() for r in b.signature.rights())
        if n_out > len(flat):  # Allocate: fresh qubits in |0>
            fresh = [new_qubit() for _ in range(n_out - len(flat))]
            ops.append(("alloc", b, fresh))
            flat = flat + fresh
        elif n_out < len(flat):  # Free: the dropped qubits must be |0>
            dropped = flat[n_out:]
            ops.append(("free", b, dropped))
            free.extend(dropped)
            flat = flat[:n_out]
        out, pos = {}, 0
        for reg in b.signature.rights():
            out[reg.name] = flat[pos : pos + reg.total_bits()]
            pos += reg.total_bits()
        return out

    inputs = {}
    for reg in bloq.signature.lefts():
        inputs[reg.name] = [new_qubit() for _ in range(reg.total_bits())]
    outputs = expand(bloq, {k: list(v) for k, v in inputs.items()})
    return LeafProgram(tuple(ops), inputs, outputs, counter[0])


@lru_cache(maxsize=8192)
def _idxs(reg) -> tuple:
    return tuple(reg.all_idxs())


class SparseState:
    """Basis states (rows of packed bits, uint64 words) with complex amplitudes."""

    def __init__(self, n_qubits: int, rows: np.ndarray, amps: np.ndarray):
        self.words = max(1, (n_qubits + 63) // 64)
        self.bits = np.zeros((len(rows), self.words), dtype=np.uint64)
        self.bits[:, : rows.shape[1]] = rows
        self.amps = amps.astype(np.complex128)

    # -- bit access ------------------------------------------------------------------------
    def col(self, q: int) -> np.ndarray:
        return ((self.bits[:, q >> 6] >> np.uint64(q & 63)) & np.uint64(1)).astype(bool)

    def flip(self, q: int, where: np.ndarray | None = None) -> None:
        mask = np.uint64(1) << np.uint64(q & 63)
        if where is None:
            self.bits[:, q >> 6] ^= mask
        else:
            self.bits[:, q >> 6] ^= where.astype(np.uint64) * mask

    def set_col(self, q: int, values: np.ndarray) -> None:
        self.flip(q, self.col(q) ^ values)

    def register(self, qubits: Sequence[int]) -> np.ndarray:
        """Integer value of a register per row (first qubit most significant)."""
        out = np.zeros(len(self.amps), dtype=object)
        for q in qubits:
            out = out * 2 + self.col(q).astype(int)
        return out

    # -- gates -----------------------------------------------------------------------------
    def merge(self) -> None:
        """Sum the amplitudes of equal rows; drop rows whose amplitude cancelled."""
        view = np.ascontiguousarray(self.bits).view(np.dtype((np.void, 8 * self.words))).ravel()
        uniq, first, inverse = np.unique(view, return_index=True, return_inverse=True)
        if len(uniq) < len(view):
            re = np.bincount(inverse, weights=self.amps.real, minlength=len(uniq))
            im = np.bincount(inverse, weights=self.amps.imag, minlength=len(uniq))
            self.bits, self.amps = self.bits[first], re + 1j * im
        keep = np.abs(self.amps) > PRUNE
        if not keep.all():
            self.bits, self.amps = self.bits[keep], self.amps[keep]

    def apply_matrix(self, matrix: np.ndarray, qubits: Sequence[int]) -> None:
        """A k-qubit unitary (Qualtran's big-endian order: qubits[0] most significant)."""
        k = len(qubits)
        index = np.zeros(len(self.amps), dtype=np.int64)
        for q in qubits:
            index = index * 2 + self.col(q)
        if np.allclose(matrix, np.diag(np.diag(matrix)), atol=0):
            self.amps = self.amps * np.diag(matrix)[index]
            return
        outs_bits, outs_amps = [], []
        for j in range(2**k):
            coeff = matrix[j, index]
            nz = coeff != 0
            if not nz.any():
                continue
            b = self.bits[nz].copy()
            sub = SparseState.__new__(SparseState)
            sub.words, sub.bits, sub.amps = self.words, b, self.amps[nz] * coeff[nz]
            for pos, q in enumerate(qubits):
                sub.set_col(q, np.full(len(b), (j >> (k - 1 - pos)) & 1, dtype=bool))
            outs_bits.append(sub.bits)
            outs_amps.append(sub.amps)
        self.bits, self.amps = np.concatenate(outs_bits), np.concatenate(outs_amps)
        self.merge()


def _matrix(bloq: Bloq) -> np.ndarray:
    return _matrix_cached(bloq)


@lru_cache(maxsize=1024)
def _matrix_cached(bloq: Bloq) -> np.ndarray:
    """The leaf's unitary: Cirq's for gates that name one (fast), else Qualtran's tensor."""
    import cirq

    gate = getattr(bloq, "cirq_gate", None)
    if gate is None:
        try:
            op, _ = bloq.as_cirq_op(cirq.SimpleQubitManager(), **_named_qubits(bloq))
            gate = op.gate if op is not None else None
        except (NotImplementedError, TypeError, ValueError):
            gate = None
    if gate is not None and cirq.has_unitary(gate):
        return np.asarray(cirq.unitary(gate), dtype=np.complex128)
    mat = np.asarray(bloq.tensor_contract(), dtype=np.complex128)
    return mat.reshape(1, 1) if mat.ndim == 0 else mat


def _named_qubits(bloq: Bloq) -> dict:
    from qualtran._infra.gate_with_registers import get_named_qubits

    return get_named_qubits(bloq.signature.lefts())


def _apply_gate(state: SparseState, bloq: Bloq, qubits: dict) -> None:
    from qualtran.bloqs.basic_gates import (
        CNOT,
        CSwap,
        GlobalPhase,
        Identity,
        Toffoli,
        TwoBitCSwap,
        XGate,
    )
    from qualtran.bloqs.mcmt import And, MultiTargetCNOT

    if isinstance(bloq, XGate):
        state.flip(qubits["q"][0])
    elif isinstance(bloq, CNOT):
        state.flip(qubits["target"][0], state.col(qubits["ctrl"][0]))
    elif isinstance(bloq, Toffoli):
        c = qubits["ctrl"]
        state.flip(qubits["target"][0], state.col(c[0]) & state.col(c[1]))
    elif isinstance(bloq, (TwoBitCSwap, CSwap)):
        ctrl = state.col(qubits["ctrl"][0])
        for x, y in zip(qubits["x"], qubits["y"]):
            differ = ctrl & (state.col(x) ^ state.col(y))
            state.flip(x, differ)
            state.flip(y, differ)
    elif isinstance(bloq, MultiTargetCNOT):
        ctrl = state.col(qubits["control"][0])
        for t in qubits["targets"]:
            state.flip(t, ctrl)
    elif isinstance(bloq, And) and not bloq.uncompute:
        c = qubits["ctrl"]
        value = (state.col(c[0]) == bool(bloq.cv1)) & (state.col(c[1]) == bool(bloq.cv2))
        state.flip(qubits["target"][0], value)  # the target was allocated in |0>
    elif isinstance(bloq, And):
        _measure_uncompute(state, bloq, qubits)
    elif isinstance(bloq, GlobalPhase):
        state.amps = state.amps * complex(bloq.coefficient)
    elif isinstance(bloq, Identity):
        return
    elif leaf_class(bloq) == "free":  # a state (|0>, |1>, |k>): set its fresh qubits
        if any(True for _ in bloq.signature.lefts()):
            raise NotImplementedError(f"{bloq}: effects are not simulated")
        for name, value in bloq.on_classical_vals().items():
            qs = qubits[name]
            for pos, q in enumerate(qs):
                state.set_col(q, np.full(len(state.amps), (int(value) >> (len(qs) - 1 - pos)) & 1))
    else:
        order = [q for reg in bloq.signature for q in qubits[reg.name]]
        state.apply_matrix(_matrix(bloq), order)


def _measure_uncompute(state: SparseState, bloq: Bloq, qubits: dict) -> None:
    """X-basis measurement of And's target, CZ fix-up on outcome 1: both outcomes simulated,
    their normalised states must agree (the uncompute is then exact and deterministic)."""
    c, t = qubits["ctrl"], qubits["target"][0]
    value = (state.col(c[0]) == bool(bloq.cv1)) & (state.col(c[1]) == bool(bloq.cv2))
    tbit = state.col(t)
    if np.array_equal(tbit, value):
        # The target is the And of its controls in every branch: outcome m multiplies each
        # branch by (-1)^(m t) (-1)^(m And) = 1, so both outcomes leave the same state and
        # clearing the target cannot merge branches (it is a function of the controls).
        state.flip(t, tbit)
        return
    branches = []
    for outcome in (0, 1):
        sign = np.where(tbit & bool(outcome), -1.0, 1.0) * np.where(value & bool(outcome), -1, 1)
        sub = SparseState.__new__(SparseState)
        sub.words, sub.bits = state.words, state.bits.copy()
        sub.amps = state.amps * sign / np.sqrt(2)
        sub.flip(t, tbit)  # the measured qubit is discarded: clear it
        sub.merge()
        norm = np.sqrt(np.sum(np.abs(sub.amps) ** 2))
        if norm > PRUNE:
            sub.amps = sub.amps / norm
        branches.append((sub, norm))
    (s0, n0), (s1, n1) = branches
    # Equal up to a global phase (which no later operation can see).
    same = (
        n0 > PRUNE
        and n1 > PRUNE
        and len(s0.amps) == len(s1.amps)
        and np.array_equal(s0.bits, s1.bits)
        and np.allclose(s1.amps, s0.amps * (s1.amps[0] / s0.amps[0]), rtol=0, atol=1e-9)
    )
    if not same or abs(n0**2 - 0.5) > 1e-9:
        raise UncleanAncilla(
            f"measurement-based uncompute of qubit {t}: the outcomes 0 and 1 leave different "
            f"states after the fix-up (probabilities {n0**2:.6f}, {n1**2:.6f})"
        )
    state.bits, state.amps = s0.bits, s0.amps


def _apply_classical(state: SparseState, bloq: Bloq, regs: dict) -> None:
    """A bloq without decomposition acting as a permutation of basis states."""
    values = {name: state.register(qs) for name, qs in regs.items()}
    outs = {name: np.zeros(len(state.amps), dtype=object) for name in regs}
    for i in range(len(state.amps)):
        res = bloq.on_classical_vals(**{k: int(v[i]) for k, v in values.items()})
        for k in regs:
            outs[k][i] = int(res[k])
    for name, qs in regs.items():
        for pos, q in enumerate(qs):
            shift = len(qs) - 1 - pos
            state.set_col(q, np.array([(int(v) >> shift) & 1 for v in outs[name]], dtype=bool))


def run_program(program: LeafProgram, state: SparseState) -> SparseState:
    """Apply every operation of `program` to `state` (in place; also returned).

    Raises:
        UncleanAncilla: a freed qubit is not |0> in some branch, or a measurement-based
            uncompute leaves its two outcomes in different states.
    """
    for kind, bloq, qubits in program.ops:
        if kind == "gate":
            _apply_gate(state, bloq, qubits)
        elif kind == "free":
            for q in qubits:
                bad = state.col(q) & (np.abs(state.amps) > PRUNE)
                if bad.any():
                    raise UncleanAncilla(f"qubit {q} freed by {bloq} is not |0> in every branch")
        elif kind == "classical":
            _apply_classical(state, bloq, qubits)
    return state


def uniform_address_state(program: LeafProgram, address: str, n_cells: int) -> SparseState:
    """sum_j |j> / sqrt(N) on register `address`, every other qubit |0>."""
    qs = program.inputs[address]
    words = max(1, (program.n_qubits + 63) // 64)
    rows = np.zeros((n_cells, words), dtype=np.uint64)
    state = SparseState(program.n_qubits, rows, np.full(n_cells, 1 / np.sqrt(n_cells)))
    js = np.arange(n_cells)
    for pos, q in enumerate(qs):
        state.set_col(q, ((js >> (len(qs) - 1 - pos)) & 1).astype(bool))
    return state


def superposition_check(bloq: Bloq, data: Sequence[int], atol: float = 1e-9) -> str | None:
    """None when `bloq` maps sum_j |j>|0> / sqrt(N) to sum_j |j>|data[j]> / sqrt(N) exactly
    (amplitudes to `atol`, phases included) with every ancilla returned to |0>; otherwise a
    line naming the first address and register that disagree."""
    program = leaf_program(bloq)
    state = uniform_address_state(program, "address", len(data))
    try:
        run_program(program, state)
    except UncleanAncilla as err:
        return str(err)
    return final_state_problem(program, state, data, atol)


def final_state_problem(
    program: LeafProgram, state: SparseState, data: Sequence[int], atol: float = 1e-9
) -> str | None:
    """None when `state` is sum_j |j>|data[j]>|0...0> / sqrt(N) on `program`'s registers
    `address` and `target` (every other qubit 0), else a line naming the address."""
    n = len(data)
    addr_q, tgt_q = program.outputs["address"], program.outputs["target"]
    live = set(addr_q) | set(tgt_q)
    others = sorted(set(range(program.n_qubits)) - live)
    if len(state.amps) != n:
        return f"{len(state.amps)} branches at the end, want N={n}"
    addresses, targets = state.register(addr_q), state.register(tgt_q)
    mask = np.zeros(state.words, dtype=np.uint64)
    for q in others:
        mask[q >> 6] |= np.uint64(1) << np.uint64(q & 63)
    dirty = (state.bits & mask).any(axis=1)
    order = np.argsort(addresses.astype(np.int64))
    for i in order:
        j = int(addresses[i])
        if int(targets[i]) != data[j]:
            return f"address={j}: target={int(targets[i])}, want {data[j]}"
        if abs(state.amps[i] - 1 / np.sqrt(n)) > atol:
            return f"address={j}: amplitude {state.amps[i]:.12f}, want 1/sqrt(N)"
        if dirty[i]:
            return f"address={j}: an ancilla qubit is 1 at the end"
    if sorted(int(a) for a in addresses) != list(range(n)):
        return "some address branch is missing"
    return None


def zero_state(program: LeafProgram) -> SparseState:
    """Every qubit |0>: one branch."""
    words = max(1, (program.n_qubits + 63) // 64)
    return SparseState(program.n_qubits, np.zeros((1, words), dtype=np.uint64), np.ones(1))


def qubit_expectations(state: SparseState, q: int) -> np.ndarray:
    """<X>, <Y>, <Z> of qubit `q` (every other qubit traced out), from the branches."""
    bit = state.col(q)
    rest = state.bits.copy()
    rest[:, q >> 6] &= ~(np.uint64(1) << np.uint64(q & 63))
    view = np.ascontiguousarray(rest).view(np.dtype((np.void, 8 * state.words))).ravel()
    _, inverse = np.unique(view, return_inverse=True)
    n_keys = int(inverse.max()) + 1 if len(inverse) else 0
    a0 = np.zeros(n_keys, dtype=complex)
    a1 = np.zeros(n_keys, dtype=complex)
    np.add.at(a0, inverse[~bit], state.amps[~bit])
    np.add.at(a1, inverse[bit], state.amps[bit])
    rho01 = np.sum(a0 * np.conj(a1))
    z = np.sum(np.abs(a0) ** 2) - np.sum(np.abs(a1) ** 2)
    return np.array([2 * rho01.real, -2 * rho01.imag, z])


def _subset(state: SparseState, rows: np.ndarray) -> SparseState:
    sub = SparseState.__new__(SparseState)
    sub.words, sub.bits, sub.amps = state.words, state.bits[rows], state.amps[rows]
    return sub


def query_average(superposed: Bloq, at_zero: Bloq, n_cells: int) -> tuple[np.ndarray, np.ndarray]:
    """(<X>, <Y>, <Z> on register `out` of the superposed query, (1/N) sum_j of the same for
    the single-position circuits), both from sparse runs with rotations as exact 2 x 2
    matrices. The single-position circuits are the query built at position 0 started with
    index = j, all N of them in one table (the index is only ever a control, so the runs never
    mix; each is normalised on its own). Freed qubits (QRAM ancillas, the loaded word) must
    be |0> in every branch of both runs (`UncleanAncilla` otherwise)."""
    program = leaf_program(superposed)
    state = run_program(program, zero_state(program))
    got = qubit_expectations(state, program.outputs["out"][0])
    single = leaf_program(at_zero)
    runs = run_program(single, uniform_address_state(single, "index", n_cells))
    index = runs.register(single.outputs["index"]).astype(np.int64)
    out = single.outputs["out"][0]
    rows = []
    for j in range(n_cells):
        sub = _subset(runs, index == j)
        sub.amps = sub.amps / np.sqrt(np.sum(np.abs(sub.amps) ** 2))
        rows.append(qubit_expectations(sub, out))
    return got, np.mean(rows, axis=0)
