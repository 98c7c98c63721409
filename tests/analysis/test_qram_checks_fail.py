"""The QRAM checks of `qram.verify` fail on crafted wrong models, each error just above the
check's tolerance (and pass the same flaw just below it), through the model registry and the
same entry points `qlaci-cost verify` runs.

Each wrong model is a `FlawedQROM` (tests/conftest.py): Qualtran's QROM, then one flaw:
- a relative phase Z^t on the address's low bit (odd addresses get e^{i pi t} / sqrt N): the
  Cirq state-vector check (tolerance 1e-6 per amplitude) and, above N = 16, the sparse one
  (1e-9) must see it; the classical check cannot (phases are not classical);
- a Toffoli flipping the target's low bit at the last address only (the smallest classical
  error: one bit of one word): every check must see it;
- an ancilla freed while entangled with the address: every check must see it.
"""

import re

import numpy as np
from qualtran.bloqs.basic_gates import CNOT, Toffoli, ZPowGate

from qlaci_cost.core.verification import run_family_checks, seeded_data
from qlaci_cost.qram.verify import SPARSE_ABOVE_N, check_classical, check_superposition


def phase_flaw(amplitude_error: float, n_cells: int):
    """Z^t on the address's low bit with |e^{i pi t} - 1| / sqrt(N) = `amplitude_error`."""
    exponent = 2 * np.arcsin(amplitude_error * np.sqrt(n_cells) / 2) / np.pi

    def flaw(bb, a, t):
        a[-1] = bb.add(ZPowGate(exponent=exponent), q=a[-1])

    return flaw


def last_address_bit_flip(bb, a, t):
    """Flip the target's low bit when the address is all ones (2 address bits: N = 4)."""
    (a[0], a[1]), t[-1] = bb.add(Toffoli(), ctrl=[a[0], a[1]], target=t[-1])


def entangled_free(bb, a, t):
    q = bb.allocate(1)
    a[-1], q = bb.add(CNOT(), ctrl=a[-1], target=q)
    bb.free(q)


def test_the_unflawed_wrapper_passes(flawed_qram):
    model = flawed_qram("no-flaw", lambda bb, a, t: None)
    data = seeded_data(4, 2)
    assert check_classical(model, data, 2).ok
    assert check_superposition(model, data, 2).ok


def test_state_vector_check_fails_a_phase_just_above_its_tolerance(flawed_qram):
    """Cirq state vector, N = 4: amplitude error 2e-6 (2 x the 1e-6 tolerance) fails; 1e-8
    passes."""
    data = seeded_data(4, 2)
    above = check_superposition(flawed_qram("phase-2e-6", phase_flaw(2e-6, 4)), data, 2)
    assert not above.ok and above.line().startswith("FAIL superposition phase-2e-6")
    assert "qubits" not in above.detail  # the dense check ran (its pass detail names qubits)
    below = check_superposition(flawed_qram("phase-1e-8", phase_flaw(1e-8, 4)), data, 2)
    assert below.ok and "qubits" in below.detail, below.line()


def test_sparse_check_fails_a_phase_just_above_its_tolerance(flawed_qram):
    """Above N = 16 the check is the sparse simulation (tolerance 1e-9): 1e-8 fails naming the
    first odd address; 1e-11 passes. A model built for N = 32 needs 5 address bits."""
    n = 2 * SPARSE_ABOVE_N
    data = seeded_data(n, 2)
    above = check_superposition(flawed_qram("sparse-1e-8", phase_flaw(1e-8, n)), data, 2)
    assert not above.ok and above.detail.startswith("address=1: amplitude"), above.line()
    below = check_superposition(flawed_qram("sparse-1e-11", phase_flaw(1e-11, n)), data, 2)
    assert below.ok and "sparse" in below.detail, below.line()


def test_one_wrong_bit_of_one_word_fails_every_check(flawed_qram):
    model = flawed_qram("one-bit", last_address_bit_flip)
    data = (1, 2, 3, 0)
    classical = check_classical(model, data, 2)
    assert not classical.ok and classical.detail.startswith("address=3 target="), classical.line()
    sup = check_superposition(model, data, 2)
    assert not sup.ok and "|<want|got>|=0.750000" in sup.detail and "address=3" in sup.detail


def test_an_entangled_free_fails_every_check(flawed_qram):
    model = flawed_qram("dirty-free", entangled_free)
    data = (1, 2, 3, 0)
    classical = check_classical(model, data, 2)
    assert not classical.ok and "free a non-zero register" in classical.detail, classical.line()
    sup = check_superposition(model, data, 2)
    assert not sup.ok and re.search(r"ancillas=0*1 ", sup.detail), sup.line()
    sparse = check_superposition(model, seeded_data(32, 2), 2)
    assert not sparse.ok and "not |0> in every branch" in sparse.detail, sparse.line()


def test_verify_reports_fail_for_a_wrong_model(flawed_qram):
    """Through `run_family_checks` (what `qlaci-cost verify --models NAME` runs), QRAM family:
    a FAIL line for each check, none raised."""
    model = flawed_qram("verify-one-bit", last_address_bit_flip)
    checks = ["classical", "superposition"]
    results = list(run_family_checks([model], [4], checks=checks, family_names=["qram"]))
    assert [r.check for r in results] == checks
    assert all(not r.ok and r.line().startswith("FAIL") for r in results)
