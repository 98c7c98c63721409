"""Tests of the sequential bucket-brigade QRAM model (qlaci_cost/qram/bucket_brigade.py).

Every number is asserted from two independent sources: the closed forms against the leaf
decomposition and a scheduler over the Cirq circuit written here, and both against the published
formulas of docs/references.md#bucket-brigade-qram (Di Matteo, Gheorghiu, Mosca,
arXiv:1902.01329, and Di Matteo's k-bit primer), with the differences explained term by term.
"""

import math

import cirq
import numpy as np
import pytest
import sympy
from qualtran import DecomposeTypeError
from qualtran.bloqs.basic_gates import TwoBitCSwap
from qualtran.cirq_interop import BloqAsCirqGate
from qualtran.testing import assert_valid_bloq_decomposition

from qlaci_cost.core.conventions import TOFFOLI_CONSTRUCTIONS, Conventions
from qlaci_cost.core.decomposed import cirq_circuit, cirq_depths, decomposed_summary
from qlaci_cost.core.depth import Depth, ToffoliDepth, flat_depth
from qlaci_cost.core.summary import METRICS, cost_summary
from qlaci_cost.qram import QRAMSizeError, build, build_symbolic, model_class, verify
from qlaci_cost.qram.bucket_brigade import (
    BucketBrigadeQRAM,
    LeafQuery,
    MemoryWrite,
    RouterTree,
    _bucket_brigade_qram,
    _bucket_brigade_qram_symb,
)

MODEL = "bucket-brigade"
N, b = sympy.symbols("N b", positive=True, integer=True)
n = sympy.log(N, 2)
SIZES = [2**k for k in range(1, 7)]
BITS = [1, 2, 3]


def _zero(expr) -> bool:
    return sympy.simplify(expr) == 0


# Expected closed forms, derived from the circuit (module docstring), with n = log2 N.
def _expected(n_cells, bits, log_n):
    toffoli_depth = (log_n - 1) + (n_cells + bits - 1) + (log_n - 1)
    return {
        "qubits": (bits + 1) * n_cells + log_n + bits,  # primer: (k + 1) N + n + k
        "toffoli": (2 + bits) * n_cells - 4,  # primer: (2 + k) N - 4
        "t_count": 4 * ((2 + bits) * n_cells - 4),  # default 4 T per Toffoli-class gate
        "clifford": 2 * n_cells * bits + 6,  # write + clear every bit, 3 + 3 at tree level 1
        "rotations": 0,
        "measurements": 0,
        "toffoli_depth": toffoli_depth,
        "t_depth": toffoli_depth,  # T-depth 1 per Toffoli (jones-4t)
        "depth": toffoli_depth + 4,  # 2 Clifford layers before the tree, 2 after
    }


# --- closed forms ---------------------------------------------------------------------------


def test_symbolic_closed_forms():
    summary = cost_summary(BucketBrigadeQRAM(N, b))
    for m, want in _expected(N, b, n).items():
        assert _zero(getattr(summary, m) - want), m


def test_registry_builds_this_class():
    assert model_class(MODEL) is BucketBrigadeQRAM
    assert build(MODEL, [1, 0, 3], 2).data == (1, 0, 3, 0)


@pytest.mark.parametrize("n_cells", SIZES)
@pytest.mark.parametrize("bits", BITS)
def test_closed_form_equals_decomposition(n_cells, bits):
    """Closed form (size-only model) == every metric measured on the leaf decomposition of the
    worst-case data == the formulas written above."""
    log_n = n_cells.bit_length() - 1
    closed = cost_summary(build_symbolic(MODEL, n_cells, bits)).metrics()
    data = BucketBrigadeQRAM.worst_case_data(n_cells, bits)
    measured = decomposed_summary(build(MODEL, data, bits)).metrics()
    assert closed == measured == _expected(n_cells, bits, log_n)


@pytest.mark.parametrize("n_cells", [2, 4, 16])
@pytest.mark.parametrize("bits", BITS)
def test_symbolic_at_n_equals_closed_form(n_cells, bits):
    symbolic = cost_summary(BucketBrigadeQRAM(N, b)).subs({N: n_cells, b: bits})
    assert symbolic.metrics() == cost_summary(BucketBrigadeQRAM(n_cells, bits)).metrics()


@pytest.mark.parametrize("log_n", [64, 200])
@pytest.mark.parametrize("bits", [1, 8])
def test_exact_integers_at_huge_n(log_n, bits):
    n_cells = 2**log_n
    want = _expected(n_cells, bits, log_n)
    closed = cost_summary(build_symbolic(MODEL, n_cells, bits)).metrics()
    symbolic = cost_summary(BucketBrigadeQRAM(N, b)).subs({"N": n_cells, "b": bits}).metrics()
    assert closed == symbolic == want
    assert all(type(v) is int for v in list(closed.values()) + list(symbolic.values()))
    # Spelled out once, not through _expected: 2^200 cells of 8 bits.
    if log_n == 200 and bits == 8:
        assert closed["toffoli"] == 10 * 2**200 - 4
        assert closed["qubits"] == 9 * 2**200 + 208


@pytest.mark.parametrize("seed", range(4))
def test_concrete_data_counts_and_depths(seed):
    """For given data the gate counts come from the decomposition (Clifford = 2 x the 1-bits
    + 6) and the depths stay the closed forms, exactly (all-zero data included)."""
    rng = np.random.default_rng(seed)
    n_cells, bits = int(2 ** rng.integers(1, 6)), int(rng.integers(1, 4))
    data = [0] * n_cells if seed == 0 else rng.integers(0, 2**bits, size=n_cells).tolist()
    bloq = build(MODEL, data, bits)
    ones = sum(bin(int(w)).count("1") for w in data)
    want = _expected(n_cells, bits, n_cells.bit_length() - 1)
    want["clifford"] = 2 * ones + 6
    assert cost_summary(bloq).metrics() == decomposed_summary(bloq).metrics() == want


# --- the published formulas, term by term ---------------------------------------------------


def test_t_count_matches_di_matteo_with_seven_t():
    """Di Matteo et al. (sequential, b = 1, 7 T per Toffoli): 21N - 28 = 7 (3N - 4); the primer:
    (14 + 7k) N - 28 for k-bit words."""
    seven = Conventions.with_t_per_toffoli(7)
    assert _zero(cost_summary(BucketBrigadeQRAM(N, 1), seven).t_count - (21 * N - 28))
    assert _zero(cost_summary(BucketBrigadeQRAM(N, b), seven).t_count - ((14 + 7 * b) * N - 28))


def test_toffoli_count_terms():
    """(2 + b) N - 4 = 2 (N - 2) CSWAPs (route and unroute) + N b query Toffolis."""
    route = cost_summary(RouterTree(N)).toffoli
    unroute = cost_summary(RouterTree(N, uncompute=True)).toffoli
    query = cost_summary(LeafQuery(N, b)).toffoli
    assert _zero(route - (N - 2)) and _zero(unroute - (N - 2)) and _zero(query - N * b)
    assert _zero(cost_summary(BucketBrigadeQRAM(N, b)).toffoli - (route + unroute + query))


def test_qubits_vs_di_matteo():
    """Primer: (k + 1) N + n + k. The paper's sequential n + 2N + 5 (b = 1) is 4 more: the 4
    ancillas of the T-depth-1 Toffoli it uses, which our qubit count leaves out (the
    conventions state it)."""
    ours = cost_summary(BucketBrigadeQRAM(N, b)).qubits
    assert _zero(ours - ((b + 1) * N + n + b))
    ancillas = TOFFOLI_CONSTRUCTIONS["selinger-7t"][2]
    assert _zero(ours.subs(b, 1) + ancillas - (n + 2 * N + 5))


def test_toffoli_depth_vs_di_matteo_serial_t_depth():
    """Di Matteo et al.'s T-depth 3N - 4 (b = 1, T-depth 1 per Toffoli) is every Toffoli in
    sequence: the serial sum 2 (N - 2) + N b = the Toffoli count. Our as-soon-as-possible
    schedule overlaps the levels: (n - 1) route + (N + b - 1) query + (n - 1) unroute."""
    summary = cost_summary(BucketBrigadeQRAM(N, b), Conventions.with_t_per_toffoli(7))
    serial = 2 * (N - 2) + N * b
    assert _zero(serial - summary.toffoli)
    assert _zero(serial.subs(b, 1) - (3 * N - 4))
    asap = (n - 1) + (N + b - 1) + (n - 1)
    assert _zero(summary.t_depth - asap)
    # What the overlap saves: routing N - 2 CSWAPs costs only n - 1 layers on the longest path
    # (twice), and the b target bits are queried in parallel: N b layers become N + b - 1.
    saving = 2 * ((N - 2) - (n - 1)) + (N * b - (N + b - 1))
    assert _zero(serial - asap - saving)
    # N = 1024, b = 1: 3068 serial layers against 9 + 1024 + 9 = 1042.
    assert sympy.simplify((serial - asap).subs({N: 1024, b: 1})) == 3068 - 1042
    assert sympy.simplify(asap.subs({N: 1024, b: 1})) == 1042


def test_t_depth_vs_primer_unparallelised():
    """Primer: (6 + 3k) N - 12 unparallelised = 3 T layers per Toffoli (amy-7t), serial.
    With that convention our T depth is 3 x the Toffoli depth."""
    amy = Conventions(toffoli="amy-7t")
    summary = cost_summary(BucketBrigadeQRAM(N, b), amy)
    assert TOFFOLI_CONSTRUCTIONS["amy-7t"][1] == 3
    assert _zero(3 * summary.toffoli - ((6 + 3 * b) * N - 12))
    assert _zero(summary.t_depth - 3 * ((n - 1) + (N + b - 1) + (n - 1)))


def _stage_times(circuit: cirq.Circuit):
    """An independent scheduler over the Cirq circuit: for Toffoli layers (CCX and the CSWAP
    bloq weigh 1, the rest 0) and all layers (moment index), the start of the first query
    Toffoli, the end of the last one, and the end of the circuit."""

    def kind(op):
        if isinstance(op.gate, cirq.CCXPowGate):
            return "query"
        if isinstance(op.gate, BloqAsCirqGate) and isinstance(op.gate.bloq, TwoBitCSwap):
            return "cswap"
        return "clifford"

    ready: dict = {}
    first = last = None
    for index, moment in enumerate(circuit):
        for op in moment:
            start = max((ready.get(q, 0) for q in op.qubits), default=0)
            end = start + (kind(op) != "clifford")
            for q in op.qubits:
                ready[q] = end
            if kind(op) == "query":
                first = (start, index) if first is None else first
                last = (end, index + 1)
    return {
        "first_query_start": first,
        "last_query_end": last,
        "end": (max(ready.values()), len(circuit)),
    }


@pytest.mark.parametrize("n_cells", SIZES)
@pytest.mark.parametrize("bits", BITS)
def test_stage_times_on_cirq_circuit(n_cells, bits):
    """The three terms of the Toffoli depth, read off the Cirq circuit: the query starts after
    n - 1 CSWAP layers (n + 1 moments: 2 Clifford layers first), its last Toffoli ends N + b - 1
    Toffoli layers later, the unrouting adds n - 1 (and 2 Clifford moments)."""
    log_n = n_cells.bit_length() - 1
    circuit, _ = cirq_circuit(build(MODEL, BucketBrigadeQRAM.worst_case_data(n_cells, bits), bits))
    times = _stage_times(circuit)
    route, query = log_n - 1, n_cells + bits - 1
    assert times["first_query_start"] == (route, route + 2)
    assert times["last_query_end"] == (route + query, route + 2 + query)
    assert times["end"] == (2 * route + query, 2 * route + query + 4)
    counts = {}
    for op in circuit.all_operations():
        name = type(op.gate).__name__
        counts[name] = counts.get(name, 0) + 1
    assert counts.get("CCXPowGate") == n_cells * bits
    assert counts.get("BloqAsCirqGate", 0) == 2 * (n_cells - 2)
    assert counts.get("_PauliX", 0) + counts.get("CXPowGate", 0) == 2 * n_cells * bits + 6


# --- the stages as bloqs --------------------------------------------------------------------


def test_sub_bloq_symbolic_closed_forms():
    tree = cost_summary(RouterTree(N))
    assert _zero(tree.qubits - (N + n)) and tree.clifford == 3
    assert _zero(tree.toffoli_depth - (N / 2 + n - 2)) and _zero(tree.depth - (N / 2 + n))
    query = cost_summary(LeafQuery(N, b))
    assert _zero(query.qubits - ((b + 1) * N + b)) and query.clifford == 0
    assert _zero(query.toffoli_depth - (N + b - 1)) and _zero(query.depth - (N + b - 1))
    write = cost_summary(MemoryWrite(N, b))
    assert _zero(write.clifford - N * b) and write.depth == 1 and write.toffoli == 0


@pytest.mark.parametrize("n_cells", SIZES)
@pytest.mark.parametrize("bits", [1, 3])
def test_sub_bloqs_closed_form_equals_decomposition(n_cells, bits):
    ones = (2**bits - 1,) * n_cells
    pairs = [
        (RouterTree(n_cells), RouterTree(n_cells)),
        (RouterTree(n_cells, uncompute=True), RouterTree(n_cells, uncompute=True)),
        (LeafQuery(n_cells, bits), LeafQuery(n_cells, bits)),
        (MemoryWrite(n_cells, bits), MemoryWrite(n_cells, bits, ones)),
    ]
    for closed, concrete in pairs:
        assert_valid_bloq_decomposition(concrete)
        assert cost_summary(closed).metrics() == decomposed_summary(concrete).metrics(), closed


@pytest.mark.parametrize("n_cells", [2, 4, 8, 16])
def test_router_tree_is_one_hot(n_cells):
    tree = RouterTree(n_cells).decompose_bloq()
    for j in range(n_cells):
        address, leaves = tree.call_classically(address=j)
        assert address == j and list(leaves) == [int(i == j) for i in range(n_cells)]
        (address,) = (
            RouterTree(n_cells, uncompute=True)
            .decompose_bloq()
            .call_classically(address=j, leaves=leaves)
        )
        assert address == j
    with pytest.raises(ValueError):
        # leaves one-hot at N - 1, rolled to 0, while the address says 1.
        RouterTree(n_cells, uncompute=True).call_classically(address=1, leaves=np.roll(leaves, 1))


def test_leaf_query_classical():
    rng = np.random.default_rng(11)
    memory = rng.integers(0, 2, size=(8, 3))
    for j in range(8):
        leaves = np.eye(8, dtype=int)[j]
        word = int("".join(str(x) for x in memory[j]), 2)
        out = (
            LeafQuery(8, 3)
            .decompose_bloq()
            .call_classically(leaves=leaves, memory=memory, target=5)
        )
        assert int(out[2]) == 5 ^ word
        assert LeafQuery(8, 3).call_classically(leaves=leaves, memory=memory, target=5)[2] == (
            5 ^ word
        )


def test_adjoints_and_examples():
    assert RouterTree(8).adjoint() == RouterTree(8, uncompute=True)
    assert RouterTree(8, uncompute=True).adjoint() == RouterTree(8)
    bloq = _bucket_brigade_qram.make()
    assert bloq.adjoint() is bloq and LeafQuery(4, 2).adjoint() == LeafQuery(4, 2)
    assert_valid_bloq_decomposition(bloq)
    assert bloq.call_classically(address=1, target=2) == (1, 2 ^ 3)
    assert _bucket_brigade_qram_symb.make() == BucketBrigadeQRAM(N, b)


def test_bad_input():
    with pytest.raises(QRAMSizeError, match="n_cells=3"):
        BucketBrigadeQRAM(3, 1)
    with pytest.raises(QRAMSizeError, match="bits=0"):
        BucketBrigadeQRAM(4, 0)
    with pytest.raises(ValueError, match="data has 3 words"):
        BucketBrigadeQRAM(4, 1, data=(1, 0, 1))
    with pytest.raises(DecomposeTypeError):
        BucketBrigadeQRAM(4, 1).decompose_bloq()
    with pytest.raises(DecomposeTypeError):
        BucketBrigadeQRAM(N, b).decompose_bloq()


# --- verify.py checks -----------------------------------------------------------------------


@pytest.mark.parametrize("n_cells", SIZES)
@pytest.mark.parametrize("bits", BITS)
def test_check_classical(n_cells, bits):
    result = verify.check_classical(MODEL, verify.seeded_data(n_cells, bits), bits)
    assert result.ok, result.line()


@pytest.mark.slow(reason="every address through ~N (3b + 2) gates: minutes at N >= 2^8")
@pytest.mark.parametrize("n_cells", [2**k for k in range(7, 11)])
@pytest.mark.parametrize("bits", BITS)
def test_check_classical_large(n_cells, bits):
    result = verify.check_classical(MODEL, verify.seeded_data(n_cells, bits), bits)
    assert result.ok, result.line()


@pytest.mark.parametrize("n_cells, bits", [(2, 1), (2, 2), (2, 3), (4, 1), (4, 2), (4, 3), (8, 1)])
def test_check_superposition(n_cells, bits):
    # (b + 1) N + log2 N + b qubits: at most 21 here (N = 4, b = 3), 20 at N = 8, b = 1.
    assert (bits + 1) * n_cells + math.log2(n_cells) + bits <= verify.MAX_STATE_QUBITS
    result = verify.check_superposition(MODEL, verify.seeded_data(n_cells, bits), bits)
    assert result.ok and not result.skipped, result.line()


def test_check_superposition_beyond_24_qubits_is_sparse():
    result = verify.check_superposition(MODEL, verify.seeded_data(8, 2), 2)
    assert result.ok and not result.skipped and "sparse" in result.detail, result.line()


def test_cirq_depths_count_the_cswap_bloq():
    """Qualtran 0.7.0 puts `TwoBitCSwap` into Cirq as `BloqAsCirqGate(TwoBitCSwap)`, not
    `cirq.CSWAP`: the Cirq Toffoli depth must still count it as one non-Clifford layer."""
    q = cirq.LineQubit.range(3)
    assert cirq_depths(cirq.Circuit(BloqAsCirqGate(TwoBitCSwap()).on(*q)))["toffoli_depth"] == 1


@pytest.mark.parametrize("n_cells", SIZES)
@pytest.mark.parametrize("bits", BITS)
def test_check_counts(n_cells, bits):
    """Closed form == symbolic at N == decomposition; decomposition depths == Cirq depths."""
    result = verify.check_counts(MODEL, n_cells, bits)
    assert result.ok, result.line()


@pytest.mark.parametrize("n_cells", [2, 8])
def test_check_counts_seven_t(n_cells):
    """The same check under 7 T per Toffoli (Di Matteo et al.'s convention)."""
    result = verify.check_counts(MODEL, n_cells, 1, Conventions.with_t_per_toffoli(7))
    assert result.ok, result.line()


@pytest.mark.slow(reason="N = 2^7 decompositions and Cirq circuits: ~10 s")
@pytest.mark.parametrize("bits", BITS)
def test_check_counts_large(bits):
    result = verify.check_counts(MODEL, 128, bits)
    assert result.ok, result.line()


def test_flat_depths_match_cirq_at_n_8():
    """The shared depth scheduler against Cirq's own moments (Cirq places each operation as
    early as its qubits allow)."""
    bloq = build(MODEL, BucketBrigadeQRAM.worst_case_data(8, 2), 2)
    circuit, _ = cirq_circuit(bloq)
    assert flat_depth(bloq, Depth()) == len(circuit) == 8 + 6 + 2 + 1
    assert flat_depth(bloq, ToffoliDepth()) == _stage_times(circuit)["end"][0] == 8 + 6 + 2 - 3


def test_metric_names_are_the_shared_ones():
    assert set(_expected(4, 1, 2)) == set(METRICS)
