"""The structured sparse superposition simulation against Cirq's state vector, and its own
failure detection (wrong data, a stray phase, a broken measurement-based uncompute)."""

import numpy as np
import pytest
from qualtran import BloqBuilder, QBit, QUInt
from qualtran.bloqs.basic_gates import Hadamard, ZGate
from qualtran.bloqs.mcmt import And

from qlaci_cost.core.superposition import (
    UncleanAncilla,
    leaf_program,
    run_program,
    superposition_check,
    uniform_address_state,
)
from qlaci_cost.core.verification import seeded_data
from qlaci_cost.qram import MODELS, build
from qlaci_cost.qram.verify import superposition_state

CIRCUIT_MODELS = [m for m in MODELS if m != "ideal"]


def _sparse_vector(model, data, bits, n_anc):
    """The sparse final state as a dense vector in the Cirq check's qubit order (address,
    target, ancillas); ancillas are 0 (the sparse check asserts it)."""
    bloq = build(model, data, bits)
    program = leaf_program(bloq)
    state = run_program(program, uniform_address_state(program, "address", len(data)))
    n_addr = len(program.outputs["address"])
    vec = np.zeros(2 ** (n_addr + bits + n_anc), dtype=complex)
    addresses = state.register(program.outputs["address"])
    targets = state.register(program.outputs["target"])
    for a, t, amp in zip(addresses, targets, state.amps):
        vec[((int(a) << bits) | int(t)) << n_anc] += amp
    return vec


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("n_cells, bits", [(2, 1), (4, 2), (8, 1), (8, 2)])
def test_matches_cirq_state_vector(model, n_cells, bits):
    """Where a state vector fits, the sparse final state equals Cirq's, amplitude by amplitude
    (phases included)."""
    data = seeded_data(n_cells, bits, seed=5)
    assert superposition_check(build(model, data, bits), list(data)) is None
    result, width = superposition_state(model, data, bits)
    if result is None:
        pytest.skip(f"{width} qubits: no state vector")
    dense, _, _, n_anc = result
    np.testing.assert_allclose(_sparse_vector(model, data, bits, n_anc), dense, atol=1e-9)


@pytest.mark.parametrize("model", MODELS)
def test_wrong_data_is_named(model):
    data = [1, 2, 3, 0, 1, 2, 3, 3]
    wrong = data[:-1] + [2]
    assert superposition_check(build(model, data, 2), wrong) == "address=7: target=3, want 2"


def _with_gate_on_address(bloq, gate):
    bb = BloqBuilder()
    address = bb.add_register("address", QUInt(bloq.signature.get_left("address").bitsize))
    target = bb.add_register("target", QUInt(bloq.bits))
    address, target = bb.add(bloq, address=address, target=target)
    qs = bb.split(address)
    qs[-1] = bb.add(gate, q=qs[-1])
    address = bb.join(qs, dtype=QUInt(len(qs)))
    return bb.finalize(address=address, target=target)


@pytest.mark.parametrize("model", CIRCUIT_MODELS)
def test_a_stray_phase_fails(model):
    """Z on the address's last bit: every basis state is right, half the amplitudes are -1:
    only a check with phases sees it."""
    data = seeded_data(4, 2, seed=1)
    problem = superposition_check(_with_gate_on_address(build(model, data, 2), ZGate()), data)
    assert problem == "address=1: amplitude -0.500000000000+0.000000000000j, want 1/sqrt(N)"


def _and_pair(middle):
    """And(a, b) -> t; `middle` on t; And^dag (measurement-based) on (a, b, t)."""
    bb = BloqBuilder()
    a, b = bb.add_register("a", QBit()), bb.add_register("b", QBit())
    (a, b), t = bb.add(And(), ctrl=[a, b])
    if middle is not None:
        t = bb.add(middle, q=t)
    a, b = bb.add(And().adjoint(), ctrl=[a, b], target=t)
    return bb.finalize(a=a, b=b)


def _run_and_pair(middle):
    program = leaf_program(_and_pair(middle))
    state = uniform_address_state(program, "a", 2)
    b = program.inputs["b"][0]
    state.flip(b)  # b = 1: the And is a
    return run_program(program, state)


def test_measurement_uncompute_exact():
    state = _run_and_pair(None)
    np.testing.assert_allclose(sorted(state.amps.real), [2**-0.5, 2**-0.5], atol=1e-12)


def test_measurement_uncompute_keeps_a_phase_it_cannot_see():
    """Z on the And target is a CZ on the controls: the fix-up keeps it (the final-state
    check then sees it as a wrong amplitude)."""
    state = _run_and_pair(ZGate())
    np.testing.assert_allclose(sorted(state.amps.real), [-(2**-0.5), 2**-0.5], atol=1e-12)


def test_measurement_uncompute_of_a_superposed_target_fails():
    with pytest.raises(UncleanAncilla, match="outcomes 0 and 1 leave different states"):
        _run_and_pair(Hadamard())


@pytest.mark.parametrize("model", ["qrom", "bucket-brigade", "select-swap", "ideal"])
def test_query_average_matches_cirq(model):
    """QLACI query at N = 4: the sparse runs (superposed, and the N single-position circuits
    in one table) equal Cirq's state vectors of the superposed query and of each
    single-position circuit."""
    from qlaci_cost.core.superposition import query_average
    from qlaci_cost.qlaci.simulation import kernel_average, simulate
    from qlaci_cost.qlaci.verify import _expectations, seeded_query

    n = 4
    superposed = seeded_query(n, model, 1, 3, measure=False)
    got, want = query_average(
        superposed, seeded_query(n, model, 1, 3, position=0, measure=False), n
    )
    singles = [
        _expectations(simulate(seeded_query(n, model, 1, 3, position=j, measure=False)))
        for j in range(n)
    ]
    np.testing.assert_allclose(got, _expectations(simulate(superposed)), atol=1e-9)
    np.testing.assert_allclose(want, kernel_average(singles), atol=1e-9)


def test_qlaci_average_check_beyond_state_vectors():
    from qlaci_cost.qlaci.verify import check_kernel_average

    result = check_kernel_average("qrom", 32)
    assert result.ok and not result.skipped and "sparse" in result.detail, result.line()
