"""Tests of the fan-out QRAM model (qlaci_cost/qram/fanout.py).

Every number is asserted from independent sources: formulas derived by hand from the circuit
(written out below, not taken from the model's output) against the closed forms, the leaf
decomposition and schedulers over the Cirq circuit written here; and the model against the
published bucket-brigade formulas of docs/references.md (Di Matteo, Gheorghiu, Mosca,
arXiv:1902.01329; Di Matteo's k-bit primer), with the differences explained term by term. No
Clifford+T formula of the fan-out circuit is published (docs/references.md#fan-out-qram).
"""

import cirq
import numpy as np
import pytest
import sympy
from qualtran import BloqBuilder, DecomposeTypeError, QBit, Register
from qualtran.bloqs.basic_gates import CNOT, TwoBitCSwap
from qualtran.cirq_interop import BloqAsCirqGate
from qualtran.testing import assert_valid_bloq_decomposition

from qlaci_cost.core.conventions import Conventions
from qlaci_cost.core.decomposed import cirq_circuit, decomposed_summary
from qlaci_cost.core.depth import flatten_to_leaves
from qlaci_cost.core.summary import METRICS, cost_summary
from qlaci_cost.qram import QRAMSizeError, build, build_symbolic, model_class, verify
from qlaci_cost.qram.fanout import (
    FanoutLeafQuery,
    FanoutMemory,
    FanoutQRAM,
    FanoutRoute,
    FanoutSwitches,
    _fanout_qram,
    _fanout_qram_symb,
    fanout_cnots,
)

MODEL = "fanout"
N, b = sympy.symbols("N b", positive=True, integer=True)
n = sympy.log(N, 2)
FAST_SIZES = [2**k for k in range(1, 6)]
BITS = [1, 2, 3]


def _log2(n_cells: int) -> int:
    return n_cells.bit_length() - 1


def _expected(n_cells, bits, log_n, layers):
    """Hand-derived costs of the circuit (worst-case data); `layers` = max(N, b)."""
    toffoli = n_cells * bits + 2 * (n_cells - 2)  # leaf Toffolis + CSWAPs down and back up
    toffoli_depth = (log_n - 1) + layers + (log_n - 1)  # route down, leaf layers, route up
    return {
        # memory N b, switches N - 1, bus flags N (one per leaf), address, target
        "qubits": n_cells * bits + (n_cells - 1) + n_cells + log_n + bits,
        "toffoli": toffoli,
        "t_count": 4 * toffoli,  # default: 4 T per Toffoli-class gate
        # X write + clear every memory bit; N - 1 fan-out CNOTs each way; 3 per root step
        "clifford": 2 * n_cells * bits + 2 * (n_cells - 1) + 2 * 3,
        "rotations": 0,
        "measurements": 0,
        "toffoli_depth": toffoli_depth,
        "t_depth": toffoli_depth,  # T-depth 1 per Toffoli-class gate (jones-4t)
        # root switch set (1) + root step (2) + CSWAP levels (n - 1) = flags ready at n + 2;
        # leaf layers; back: n - 1 CSWAP levels, 2 root-step layers, 1 CNOT clearing s_root
        "depth": (1 + 2 + (log_n - 1)) + layers + ((log_n - 1) + 2 + 1),
    }


def _expected_int(n_cells: int, bits: int) -> dict:
    return _expected(n_cells, bits, _log2(n_cells), max(n_cells, bits))


def _is_cswap(op: cirq.Operation) -> bool:
    gate = op.gate
    return isinstance(gate, cirq.CSwapGate) or (
        isinstance(gate, BloqAsCirqGate) and isinstance(gate.bloq, TwoBitCSwap)
    )


def _is_cnot(op: cirq.Operation) -> bool:
    return isinstance(op.gate, cirq.CXPowGate) or (
        isinstance(op.gate, BloqAsCirqGate) and isinstance(op.gate.bloq, CNOT)
    )


def _cirq_toffoli_depth(circuit: cirq.Circuit) -> int:
    """Most CCX/CSWAP gates on any dependency chain of the Cirq circuit, counted here."""
    ready: dict = {}
    for moment in circuit:
        for op in moment:
            heavy = isinstance(op.gate, cirq.CCXPowGate) or _is_cswap(op)
            end = max((ready.get(q, 0) for q in op.qubits), default=0) + heavy
            for q in op.qubits:
                ready[q] = end
    return max(ready.values(), default=0)


# --- closed forms ---------------------------------------------------------------------------


def test_symbolic_closed_forms_equal_hand_derivation():
    summary = cost_summary(FanoutQRAM(N, b))
    want = _expected(N, b, n, sympy.Max(N, b))
    for m in METRICS:
        assert sympy.simplify(getattr(summary, m) - want[m]) == 0, m


@pytest.mark.parametrize("n_cells", [2**k for k in range(1, 11)])
@pytest.mark.parametrize("bits", BITS)
def test_closed_forms_at_int_sizes(n_cells, bits):
    summary = cost_summary(build_symbolic(MODEL, n_cells, bits))
    assert summary.metrics() == _expected_int(n_cells, bits)


@pytest.mark.parametrize("log_n", [64, 200])
@pytest.mark.parametrize("bits", [1, 8, 300])
def test_exact_integers_at_huge_sizes(log_n, bits):
    n_cells = 2**log_n
    closed = cost_summary(build_symbolic(MODEL, n_cells, bits)).metrics()
    symbolic = cost_summary(FanoutQRAM(N, b)).subs({N: n_cells, b: bits}).metrics()
    want = _expected(n_cells, bits, log_n, max(n_cells, bits))
    for m in METRICS:
        assert type(closed[m]) is int and type(symbolic[m]) is int, m
        assert closed[m] == symbolic[m] == want[m], m
    assert closed["qubits"] == (bits + 2) * 2**log_n + log_n + bits - 1


def test_depth_when_word_is_wider_than_memory():
    # b > N: each bus flag carries b Toffolis, so the leaf stage takes b layers, not N.
    assert cost_summary(build_symbolic(MODEL, 2, 5)).depth == 5 + 2 * 1 + 4
    assert decomposed_summary(build(MODEL, FanoutQRAM.worst_case_data(2, 5), 5)).depth == 11


def test_seven_t_convention_scales_t_count_only():
    conv = Conventions.with_t_per_toffoli(7)
    s = cost_summary(build_symbolic(MODEL, 16, 2), conv)
    assert s.t_count == 7 * (16 * 2 + 2 * 14)
    assert s.t_depth == s.toffoli_depth  # selinger-7t has T-depth 1


# --- decomposition and Cirq -------------------------------------------------------------------


@pytest.mark.parametrize("n_cells", FAST_SIZES + [pytest.param(64, marks=pytest.mark.slow)])
@pytest.mark.parametrize("bits", BITS)
def test_decomposition_equals_hand_derivation(n_cells, bits):  # N = 64: ~3 s each
    bloq = build(MODEL, FanoutQRAM.worst_case_data(n_cells, bits), bits)
    measured = decomposed_summary(bloq).metrics()
    want = _expected_int(n_cells, bits)
    for m in METRICS:
        if m == "qubits":
            # Qualtran's sequential rule on the flattened circuit: at most the closed form.
            assert measured[m] <= want[m]
        else:
            assert measured[m] == want[m], m


@pytest.mark.parametrize("n_cells", FAST_SIZES)
@pytest.mark.parametrize("bits", BITS)
def test_cirq_circuit_width_depth_and_toffoli_depth(n_cells, bits):
    data = FanoutQRAM.worst_case_data(n_cells, bits)
    circuit, quregs = cirq_circuit(build(MODEL, data, bits))
    want = _expected_int(n_cells, bits)
    assert len(circuit) == want["depth"]
    assert _cirq_toffoli_depth(circuit) == want["toffoli_depth"]
    # Width of the as-soon-as-possible schedule: address and target are live throughout, an
    # ancilla from its first gate to its last; all are live at the first leaf layer.
    registers = set(quregs["address"].ravel()) | set(quregs["target"].ravel())
    first = min(
        i for i, mo in enumerate(circuit) for op in mo if isinstance(op.gate, cirq.CCXPowGate)
    )
    span: dict = {}
    for i, moment in enumerate(circuit):
        for q in moment.qubits - registers:
            span[q] = (span.get(q, (i, i))[0], i)
    live = len(registers) + sum(lo <= first <= hi for lo, hi in span.values())
    assert live == len(circuit.all_qubits()) == want["qubits"]


@pytest.mark.parametrize("n_cells", FAST_SIZES)
@pytest.mark.parametrize("bits", BITS)
def test_verify_check_counts(n_cells, bits):
    result = verify.check_counts(MODEL, n_cells, bits)
    assert result.ok, result.line()


@pytest.mark.slow  # N = 64, 128: about 5-12 s each (flattening is quadratic in Qualtran 0.7.0)
@pytest.mark.parametrize("n_cells", [64, 128])
@pytest.mark.parametrize("bits", BITS)
def test_verify_check_counts_large(n_cells, bits):
    test_verify_check_counts(n_cells, bits)


def test_random_data_costs_match_decomposition():
    data = verify.seeded_data(16, 3, seed=11)
    bloq = build(MODEL, data, 3)
    summary, measured = cost_summary(bloq), decomposed_summary(bloq)
    ones = sum(bin(w).count("1") for w in data)
    assert measured.clifford == summary.clifford == 2 * ones + 2 * 15 + 6
    assert summary.metrics() == measured.metrics()
    # Qubits is in BOUNDS: the sequential rule on the flat circuit frees zero-data memory early.
    assert measured.qubits < _expected_int(16, 3)["qubits"]
    # Memory X gates are never on a longest path: depths equal the worst case.
    assert measured.depth == _expected_int(16, 3)["depth"]


# --- stages ---------------------------------------------------------------------------------


def _stages(n_cells: int, bits: int):
    ones = (2**bits - 1,) * n_cells
    yield FanoutMemory(n_cells, bits, ones)
    yield FanoutSwitches(n_cells)
    yield FanoutSwitches(n_cells, uncompute=True)
    yield FanoutRoute(n_cells)
    yield FanoutRoute(n_cells, uncompute=True)
    yield FanoutLeafQuery(n_cells, bits)


@pytest.mark.parametrize("n_cells", [2, 4, 8, 32])
@pytest.mark.parametrize("bits", [1, 3])
def test_each_stage_closed_form_equals_its_decomposition(n_cells, bits):
    for stage in _stages(n_cells, bits):
        assert_valid_bloq_decomposition(stage)
        assert cost_summary(stage).metrics() == decomposed_summary(stage).metrics(), stage


def test_stage_formulas():
    log_n = 5
    rows = {
        FanoutMemory(32, 2): (64, 0, 64, 1, 0),  # (qubits, toffoli, clifford, depth, tof depth)
        FanoutSwitches(32): (log_n + 31, 0, 31, log_n, 0),
        FanoutRoute(32): (63, 30, 3, log_n + 1, log_n - 1),
        FanoutLeafQuery(32, 2): (32 + 64 + 2, 64, 0, 32, 32),
    }
    for stage, want in rows.items():
        s = cost_summary(stage)
        assert (s.qubits, s.toffoli, s.clifford, s.depth, s.toffoli_depth) == want, stage
    symb = cost_summary(FanoutRoute(N))
    assert sympy.simplify(symb.toffoli - (N - 2)) == 0
    assert sympy.simplify(symb.depth - (n + 1)) == 0


def test_stages_adjoint():
    assert FanoutSwitches(8).adjoint() == FanoutSwitches(8, uncompute=True)
    assert FanoutRoute(8, uncompute=True).adjoint() == FanoutRoute(8)
    assert FanoutLeafQuery(8, 2).adjoint() == FanoutLeafQuery(8, 2)
    assert FanoutQRAM(4, 1, data=(1, 0, 1, 1)).adjoint() == FanoutQRAM(4, 1, data=(1, 0, 1, 1))


@pytest.mark.parametrize("log_n", range(1, 8))
def test_fanout_cnots_set_every_switch_once_in_log_depth(log_n):
    pairs = fanout_cnots(log_n)
    targets = [t for _, t in pairs]
    assert sorted(targets) == list(range(2**log_n - 1))
    step = {}
    for (kind, c), t in pairs:
        assert kind == "address" or c in step  # a copy's source is set before it
        step[t] = 1 if kind == "address" else step[c] + 1
    assert max(step.values()) == log_n


# --- active switches (docs/design.md#noise) -----------------------------------------------


def test_active_switch_formulas():
    assert FanoutQRAM(1024, 1).active_switches == 1023
    assert FanoutQRAM(1024, 1).bucket_brigade_active_switches == 10
    assert sympy.simplify(FanoutQRAM(N, b).active_switches - (N - 1)) == 0
    assert sympy.simplify(FanoutQRAM(N, b).bucket_brigade_active_switches - n) == 0
    assert FanoutQRAM(2**200, 1).active_switches == 2**200 - 1


@pytest.mark.parametrize("n_cells", [2, 4, 8, 16])
def test_active_switches_equal_switch_qubits_of_the_circuit(n_cells):
    # Switch qubits = ancillas that control a CNOT or CSWAP (memory and bus flags only ever
    # control Toffolis); each is a target of the fan-out.
    circuit, quregs = cirq_circuit(build(MODEL, FanoutQRAM.worst_case_data(n_cells, 1), 1))
    registers = set(quregs["address"].ravel()) | set(quregs["target"].ravel())
    controls = {op.qubits[0] for op in circuit.all_operations() if _is_cnot(op) or _is_cswap(op)}
    switches = controls - registers
    assert len(switches) == FanoutQRAM(n_cells, 1).active_switches == n_cells - 1


def _route_state(n_cells: int):
    """State after fan-out + routing with the address in uniform superposition."""
    log_n = _log2(n_cells)
    bb = BloqBuilder()
    a = bb.add_register(Register("address", QBit(), shape=(log_n,)))
    sw = np.array([bb.allocate(dtype=QBit()) for _ in range(n_cells - 1)])
    a, sw = bb.add(FanoutSwitches(n_cells), address=a, switches=sw)
    sw, leaves = bb.add(FanoutRoute(n_cells), switches=sw)
    cbloq = flatten_to_leaves(bb.finalize(address=a, switches=sw, leaves=leaves))
    qa = np.array(cirq.LineQubit.range(log_n)).reshape(log_n, 1)
    circuit, out = cbloq.to_cirq_circuit_and_quregs(address=qa)
    qa = qa.ravel()
    order = list(qa) + list(out["switches"].ravel()) + list(out["leaves"].ravel())
    full = cirq.Circuit(cirq.H.on_each(*qa), circuit)
    state = cirq.Simulator(dtype=np.complex128).simulate(full, qubit_order=order)
    return state.final_state_vector, len(order)


@pytest.mark.parametrize("n_cells", [2, 4, 8])
def test_every_switch_is_entangled_with_the_address(n_cells):
    state, width = _route_state(n_cells)
    log_n = _log2(n_cells)
    # Expected: sum_j |j>|switch (k, i) = bit k of j>|leaf flags one-hot at j> / sqrt(N).
    want = np.zeros_like(state)
    for j in range(n_cells):
        bits = [(j >> (log_n - 1 - k)) & 1 for k in range(log_n)]
        switches = [bits[k] for k in range(log_n) for _ in range(2**k)]
        flags = [int(i == j) for i in range(n_cells)]
        index = int("".join(map(str, bits + switches + flags)), 2)
        want[index] = 1 / np.sqrt(n_cells)
    np.testing.assert_allclose(state, want, atol=1e-9)
    # Purity of each switch's reduced state: 1/2 (maximally entangled) for all N - 1.
    tensor = state.reshape((2,) * width)
    mixed = 0
    for q in range(log_n, log_n + n_cells - 1):
        rho = np.tensordot(tensor, tensor.conj(), axes=([i for i in range(width) if i != q],) * 2)
        mixed += bool(abs(np.trace(rho @ rho) - 0.5) < 1e-9)
    assert mixed == FanoutQRAM(n_cells, 1).active_switches


# --- published formulas (docs/references.md) ------------------------------------------------


def test_against_di_matteo_k_bit_bucket_brigade():
    s = cost_summary(FanoutQRAM(N, b))
    # Toffoli (2 + k) N - 4: equal. Both have N k leaf Toffolis and 2 (N - 2) routing
    # Toffoli-class gates (fan-out: one CSWAP per non-root switch, each way).
    assert sympy.simplify(s.toffoli - ((2 + b) * N - 4)) == 0
    # T count (14 + 7k) N - 28 at 7 T per Toffoli: equal.
    s7 = cost_summary(FanoutQRAM(N, b), Conventions.with_t_per_toffoli(7))
    assert sympy.simplify(s7.t_count - ((14 + 7 * b) * N - 28)) == 0
    # Qubits (k + 1) N + n + k: memory k N, address n, target k and N tree qubits are common;
    # the fan-out also keeps a separate switch register of N - 1 qubits (its active switches).
    extra = s.qubits - ((b + 1) * N + n + b)
    assert sympy.simplify(extra - FanoutQRAM(N, b).active_switches) == 0


def test_against_di_matteo_gheorghiu_mosca_one_bit_table():
    conv = Conventions.with_t_per_toffoli(7)  # their count: 7 T per Toffoli, T-depth 1
    for log_n in range(2, 11):
        n_cells = 2**log_n
        s = cost_summary(build_symbolic(MODEL, n_cells, 1), conv)
        # T count 21N - 28 (both variants): equal.
        assert s.t_count == 21 * n_cells - 28
        # Sequential T-depth 3N - 4 = N leaf + 2 (N - 2) routing layers one after another;
        # ours routes each tree level in one layer: 2 (n - 1), so the difference is
        # 2 (N - 2) - 2 (n - 1).
        assert (3 * n_cells - 4) - s.t_depth == 2 * (n_cells - 2) - 2 * (log_n - 1)
        # Parallel T-depth 2n - 1 = (n - 1) + 1 + (n - 1): same routing, but the N leaf writes
        # in one layer; ours writes all N leaves into the one target bit: N layers.
        assert s.t_depth - (2 * log_n - 1) == n_cells - 1
        # Their CNOT counts (50N - 64, 54N - 2n - 66) count CNOTs inside Clifford+T Toffolis;
        # ours counts a Toffoli as one gate, so Clifford counts are not comparable.


# --- verification (qlaci_cost.analysis.verify) ----------------------------------------


@pytest.mark.parametrize("n_cells", FAST_SIZES)
@pytest.mark.parametrize("bits", BITS)
def test_verify_check_classical(n_cells, bits):
    result = verify.check_classical(MODEL, verify.seeded_data(n_cells, bits), bits)
    assert result.ok, result.line()


@pytest.mark.slow  # every address through the flattened circuit: N = 64..1024 takes ~40 min
@pytest.mark.parametrize("n_cells", [64, 128, 256, 512, 1024])
@pytest.mark.parametrize("bits", BITS)
def test_verify_check_classical_large(n_cells, bits):
    test_verify_check_classical(n_cells, bits)


@pytest.mark.parametrize(
    "n_cells",
    [256, pytest.param(1024, marks=pytest.mark.slow)],  # 1024: flattening alone takes ~30 s
)
def test_classical_sample_addresses(n_cells):
    # A cheap stand-in for the slow full sweep: three addresses through the circuit.
    data = verify.seeded_data(n_cells, 1)
    cbloq = flatten_to_leaves(build(MODEL, data, 1))
    for j in (0, (2 * n_cells) // 3, n_cells - 1):
        assert tuple(map(int, cbloq.call_classically(address=j, target=1))) == (j, 1 ^ data[j])


@pytest.mark.parametrize("n_cells, bits", [(2, 1), (2, 2), (2, 3), (4, 1), (4, 2)])
def test_verify_check_superposition(n_cells, bits):
    result = verify.check_superposition(MODEL, verify.seeded_data(n_cells, bits), bits)
    assert result.ok and not result.skipped, result.line()


@pytest.mark.slow  # 24 qubits: about 16 s of state-vector simulation
def test_verify_check_superposition_n4_b3():
    result = verify.check_superposition(MODEL, verify.seeded_data(4, 3), 3)
    assert result.ok and not result.skipped, result.line()


def test_superposition_at_n8_runs_the_sparse_simulation():
    # N = 8, b = 1 needs 8 + 7 + 8 + 3 + 1 = 27 qubits > 24: no state vector; the check runs
    # the sparse simulation over the 8 address branches instead.
    result = verify.check_superposition(MODEL, verify.seeded_data(8, 1), 1)
    assert result.ok and not result.skipped and "sparse" in result.detail, result.line()


# --- interface --------------------------------------------------------------------------------


def test_registry_examples_and_errors():
    assert model_class(MODEL) is FanoutQRAM
    assert FanoutQRAM.BOUNDS == frozenset({"qubits"})
    assert FanoutQRAM.worst_case_data(4, 3) == (7, 7, 7, 7)
    assert_valid_bloq_decomposition(_fanout_qram.make())
    symb = _fanout_qram_symb.make()
    with pytest.raises(DecomposeTypeError):
        symb.decompose_bloq()
    with pytest.raises(DecomposeTypeError):
        FanoutQRAM(4, 2).decompose_bloq()  # sizes only: no data to write
    with pytest.raises(QRAMSizeError):
        FanoutQRAM(6, 1)
    with pytest.raises(QRAMSizeError):
        FanoutQRAM(4, 0)
    with pytest.raises(ValueError, match="data has 3 words"):
        FanoutQRAM(4, 1, data=(1, 0, 1))
    assert FanoutQRAM(4, 2, data=(1, 3, 0, 2)).on_classical_vals(address=1, target=2) == {
        "address": 1,
        "target": 1,
    }
