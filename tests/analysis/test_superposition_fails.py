"""The sparse superposition verifier fails on crafted wrong circuits, each error just above the
tolerance of the one check that must see it (and passes the same flaw just below it).

Each circuit is Qualtran's QROM for `DATA` (N = 4, b = 2; correct on its own) followed by one
flaw. The tolerances: amplitudes 1e-9 (`superposition_check`'s `atol`), kept branches
|amplitude| > `PRUNE` = 1e-12, the measurement-based uncompute's two outcomes 1e-9.

The freed-qubit and dirty-ancilla checks back each other up (an ancilla freed dirty and never
reused is still dirty at the end), so each has a circuit only it can see: a dirty ancilla freed
and then reused and cleaned by a later allocation (the end state is right: only the freed-qubit
check sees it), and a scratch register left dirty without being freed (only the end-state
check sees it).
"""

import numpy as np
import pytest
from qualtran import BloqBuilder, QBit, QUInt
from qualtran.bloqs.basic_gates import CNOT, Ry, ZPowGate
from qualtran.bloqs.mcmt import And

from qlaci_cost.core.superposition import (
    PRUNE,
    UncleanAncilla,
    leaf_program,
    run_program,
    superposition_check,
    uniform_address_state,
)
from qlaci_cost.qram import build

DATA = (1, 2, 3, 0)
BITS = 2


def _qrom_then(flaw, scratch: bool = False):
    """QROM(DATA) on (address, target), then `flaw(bb, address_bits, target_bits, scratch)`
    on the split registers (lists of qubits, most significant first)."""
    bb = BloqBuilder()
    address = bb.add_register("address", QUInt(2))
    target = bb.add_register("target", QUInt(BITS))
    extra = bb.add_register("scratch", QBit()) if scratch else None
    address, target = bb.add(build("qrom", DATA, BITS), address=address, target=target)
    a, t = list(bb.split(address)), list(bb.split(target))
    extra = flaw(bb, a, t, extra)
    out = {"address": bb.join(np.array(a)), "target": bb.join(np.array(t))}
    if scratch:
        out["scratch"] = extra
    return bb.finalize(**out)


def _phase_on_odd_addresses(exponent):
    def flaw(bb, a, t, extra):
        a[-1] = bb.add(ZPowGate(exponent=exponent), q=a[-1])
        return extra

    return flaw


def test_the_unflawed_qrom_passes():
    assert superposition_check(_qrom_then(lambda bb, a, t, x: x), DATA) is None


def test_a_relative_phase_just_above_the_amplitude_tolerance_fails():
    """Z^t on the address's low bit: odd addresses get e^{i pi t} / 2, an amplitude error of
    ~pi t / 2. At 1e-8 (10 x atol) it fails naming the address; at 1e-11 it passes."""
    above = _qrom_then(_phase_on_odd_addresses(2e-8 / np.pi))
    problem = superposition_check(above, DATA)
    assert problem == "address=1: amplitude 0.500000000000+0.000000010000j, want 1/sqrt(N)"
    assert superposition_check(_qrom_then(_phase_on_odd_addresses(2e-11 / np.pi)), DATA) is None


def _rotate_target(angle):
    def flaw(bb, a, t, extra):
        t[-1] = bb.add(Ry(angle), q=t[-1])
        return extra

    return flaw


def test_an_extra_branch_just_above_the_prune_threshold_is_named():
    """Ry(1e-10) on the target's low bit: every address gets a second branch of amplitude
    ~2.5e-11 (> PRUNE = 1e-12): 8 branches, named as such. At Ry(1e-13) the extra branches
    (~2.5e-14) are below PRUNE: dropped, and the state passes."""
    assert PRUNE == 1e-12
    problem = superposition_check(_qrom_then(_rotate_target(1e-10)), DATA)
    assert problem == "8 branches at the end, want N=4"
    assert superposition_check(_qrom_then(_rotate_target(1e-13)), DATA) is None


def _free_then_reuse(first, second):
    """Allocate a qubit, apply `first` (controlled by the address's low bit), free it; allocate
    again (the simulation hands out the freed qubit), apply `second`, free it."""

    def flaw(bb, a, t, extra):
        for gate in (first, second):
            q = bb.allocate(1)
            if gate == "cnot":
                a[-1], q = bb.add(CNOT(), ctrl=a[-1], target=q)
            else:
                q = bb.add(gate, q=q)
            bb.free(q)
        return extra

    return flaw


def test_a_dirty_ancilla_freed_then_cleaned_by_reuse_fails_at_the_free():
    """The ancilla is freed entangled with the address (a discarded qubit: decoherence); the
    next allocation reuses it and undoes the CNOT, so the end state is exactly right. Only the
    freed-qubit check can see this."""
    bloq = _qrom_then(_free_then_reuse("cnot", "cnot"))
    problem = superposition_check(bloq, DATA)
    assert problem is not None and problem.endswith("freed by Free is not |0> in every branch")


def test_an_ancilla_freed_just_above_the_prune_threshold_fails():
    """Ry(1e-10) on a fresh ancilla, freed (|1> amplitude ~2.5e-11 per branch > PRUNE), then
    Ry(-1e-10) on its reuse: the end state is right, the free is not. Ry(+-1e-13) passes."""
    flawed = _qrom_then(_free_then_reuse(Ry(1e-10), Ry(-1e-10)))
    assert "not |0> in every branch" in superposition_check(flawed, DATA)
    assert superposition_check(_qrom_then(_free_then_reuse(Ry(1e-13), Ry(-1e-13))), DATA) is None


def test_a_qrom_that_frees_an_entangled_ancilla_fails():
    """The plain case (freed, never reused): caught at the free."""

    def flaw(bb, a, t, extra):
        q = bb.allocate(1)
        a[-1], q = bb.add(CNOT(), ctrl=a[-1], target=q)
        bb.free(q)
        return extra

    problem = superposition_check(_qrom_then(flaw), DATA)
    assert problem is not None and "not |0> in every branch" in problem


def test_a_scratch_register_left_dirty_fails_at_the_end():
    """No qubit is freed: the scratch qubit copies the address's low bit and stays so. Only the
    end-state check (every qubit but address and target is 0) can see it."""

    def flaw(bb, a, t, scratch):
        a[-1], scratch = bb.add(CNOT(), ctrl=a[-1], target=scratch)
        return scratch

    bloq = _qrom_then(flaw, scratch=True)
    assert not [op for op in leaf_program(bloq).ops if op[0] == "free"]
    assert superposition_check(bloq, DATA) == "address=1: an ancilla qubit is 1 at the end"
    assert superposition_check(_qrom_then(lambda bb, a, t, x: x, scratch=True), DATA) is None


def _and_pair_with(middle):
    """And(a, b) -> t; `middle` on t; And^dag (measurement-based uncompute); b = 1, a = |+>."""
    bb = BloqBuilder()
    a, b = bb.add_register("a", QBit()), bb.add_register("b", QBit())
    (a, b), t = bb.add(And(), ctrl=[a, b])
    t = bb.add(middle, q=t)
    a, b = bb.add(And().adjoint(), ctrl=[a, b], target=t)
    program = leaf_program(bb.finalize(a=a, b=b))
    state = uniform_address_state(program, "a", 2)
    state.flip(program.inputs["b"][0])
    return program, state


def test_an_uncompute_just_above_its_tolerance_fails():
    """Ry(eps) on the And target: outcome 0 leaves (c + s, c - s) / sqrt 2, outcome 1
    (c - s, c + s), s = sin(eps / 2): after the fix-up they differ by ~1.4 eps (each outcome
    has probability exactly 1/2, so only the state comparison sees it). eps = 1e-8: fails
    (tolerance 1e-9); eps = 1e-11: passes."""
    program, state = _and_pair_with(Ry(1e-8))
    with pytest.raises(UncleanAncilla, match="outcomes 0 and 1 leave different states"):
        run_program(program, state)
    program, state = _and_pair_with(Ry(1e-11))
    run_program(program, state)
    np.testing.assert_allclose(np.abs(state.amps), [2**-0.5] * 2, rtol=0, atol=1e-10)
