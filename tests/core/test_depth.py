"""Depth keys against two independent sources: Cirq's moment count and a networkx longest path."""

import cirq
import networkx as nx
import numpy as np
import pytest
from qualtran import BloqBuilder, QAny
from qualtran.bloqs.basic_gates import CNOT, Hadamard, Rz, TGate, Toffoli, XGate
from qualtran.bloqs.data_loading import QROM
from qualtran.resource_counting import get_cost_value

from qlaci_cost.core.decomposed import cirq_depths
from qlaci_cost.core.depth import Depth, TDepth, ToffoliDepth, flat_depth

GATES = ("cnot", "toffoli", "x", "h", "t", "rz")


def random_program(n_qubits: int, n_gates: int, seed: int) -> list[tuple[str, tuple[int, ...]]]:
    rng = np.random.default_rng(seed)
    program = []
    for _ in range(n_gates):
        name = GATES[rng.integers(len(GATES))]
        arity = {"cnot": 2, "toffoli": 3}.get(name, 1)
        program.append((name, tuple(int(q) for q in rng.choice(n_qubits, arity, replace=False))))
    return program


def as_cbloq(n_qubits: int, program):
    bb = BloqBuilder()
    qs = list(bb.split(bb.add_register("q", QAny(n_qubits))))
    for name, idx in program:
        if name == "cnot":
            qs[idx[0]], qs[idx[1]] = bb.add(CNOT(), ctrl=qs[idx[0]], target=qs[idx[1]])
        elif name == "toffoli":
            (c0, c1), t = bb.add(Toffoli(), ctrl=[qs[idx[0]], qs[idx[1]]], target=qs[idx[2]])
            qs[idx[0]], qs[idx[1]], qs[idx[2]] = c0, c1, t
        else:
            gate = {"x": XGate(), "h": Hadamard(), "t": TGate(), "rz": Rz(0.123)}[name]
            qs[idx[0]] = bb.add(gate, q=qs[idx[0]])
    return bb.finalize(q=bb.join(np.array(qs)))


def as_cirq(n_qubits: int, program) -> cirq.Circuit:
    q = cirq.LineQubit.range(n_qubits)
    table = {"cnot": cirq.CNOT, "toffoli": cirq.CCX, "x": cirq.X, "h": cirq.H, "t": cirq.T}
    ops = [
        (cirq.rz(0.123) if name == "rz" else table[name]).on(*(q[i] for i in idx))
        for name, idx in program
    ]
    return cirq.Circuit(ops)  # InsertStrategy.EARLIEST: each op in the first free moment


def networkx_longest_path(n_qubits: int, program, weight) -> int:
    """Longest node-weighted path of the gate DAG (edge = consecutive gates on a qubit)."""
    g = nx.DiGraph()
    last: dict[int, int] = {}
    for k, (name, idx) in enumerate(program):
        g.add_node(k, w=weight(name))
        for i in idx:
            if i in last:
                g.add_edge(last[i], k)
            last[i] = k
    best: dict[int, int] = {}
    for k in nx.topological_sort(g):
        best[k] = g.nodes[k]["w"] + max((best[p] for p in g.predecessors(k)), default=0)
    return max(best.values(), default=0)


@pytest.mark.parametrize("seed", range(12))
def test_depths_of_random_circuits_match_cirq_and_networkx(seed):
    n_qubits, n_gates = 3 + seed % 4, 5 + 4 * seed
    program = random_program(n_qubits, n_gates, seed)
    cbloq, circuit = as_cbloq(n_qubits, program), as_cirq(n_qubits, program)
    non_clifford = {"toffoli": 1, "t": 1, "rz": 1}

    assert flat_depth(cbloq, Depth()) == len(circuit)
    assert flat_depth(cbloq, Depth()) == networkx_longest_path(n_qubits, program, lambda g: 1)
    tof = networkx_longest_path(n_qubits, program, lambda g: non_clifford.get(g, 0))
    assert flat_depth(cbloq, ToffoliDepth()) == tof == cirq_depths(circuit)["toffoli_depth"]
    t_weights = {"toffoli": 3, "t": 1, "rz": 10}
    t_depth = networkx_longest_path(n_qubits, program, lambda g: t_weights.get(g, 0))
    assert flat_depth(cbloq, TDepth(per_toffoli=3, per_rotation=10)) == t_depth
    # The cost key, scheduling the same leaves, agrees with the flattened schedule.
    assert get_cost_value(cbloq, Depth()) == len(circuit)


def test_parallel_gates_share_a_layer_and_chains_do_not():
    parallel = [("cnot", (0, 1)), ("cnot", (2, 3)), ("toffoli", (4, 5, 6))]
    chain = [("cnot", (0, 1)), ("cnot", (1, 2)), ("toffoli", (2, 3, 4))]
    assert flat_depth(as_cbloq(7, parallel), Depth()) == 1
    assert flat_depth(as_cbloq(7, chain), Depth()) == 3
    assert flat_depth(as_cbloq(7, chain), ToffoliDepth()) == 1


def test_t_depth_scales_toffoli_depth_for_toffoli_only_circuits():
    program = [(n, i) for n, i in random_program(6, 40, 99) if n in ("cnot", "toffoli", "x")]
    cbloq = as_cbloq(6, program)
    assert flat_depth(cbloq, TDepth(per_toffoli=3)) == 3 * flat_depth(cbloq, ToffoliDepth())


@pytest.mark.parametrize("n_cells", [4, 16, 64])
def test_qrom_depth_from_the_cost_key_equals_the_cirq_circuit(n_cells):
    data = np.random.default_rng(n_cells).integers(0, 4, n_cells)
    qrom = QROM.build_from_data(data, target_bitsizes=(2,))
    circuit = qrom.decompose_bloq().flatten().to_cirq_circuit()
    # The cost key schedules the QROM's decomposition with sub-bloqs as blocks: an upper bound
    # that is tight here; flattening first is exact.
    assert flat_depth(qrom, Depth()) == len(circuit)
    assert get_cost_value(qrom, Depth()) >= len(circuit)
    assert flat_depth(qrom, ToffoliDepth()) == cirq_depths(circuit)["toffoli_depth"]
