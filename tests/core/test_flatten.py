"""`core.flatten.flatten_until` against Qualtran's own `CompositeBloq.flatten`: the same leaf
gates, wired the same way (equal Cirq unitaries), for every QRAM model, a QLACI query and a QLAM
step; against a splice by Qualtran's `BloqBuilder.add_from`: the very same composite bloq
(connections in the same order, instances numbered alike); and the memo shares one flattening
between equal bloqs."""

from collections import Counter

import attrs
import cirq
import numpy as np
import pytest

from qlaci_cost import qram
from qlaci_cost.core.depth import _is_leaf, flatten_to_leaves
from qlaci_cost.core.flatten import flatten_until
from qlaci_cost.core.leaves import leaf_class
from qlaci_cost.qlaci.multi_query.verify import seeded_batch
from qlaci_cost.qlaci.simulation import _simulated_whole
from qlaci_cost.qlaci.verify import seeded_query
from qlaci_cost.qlam.verify import seeded


def builder_flat(bloq, keep):
    """Each distinct sub-bloq flattened once and spliced in with Qualtran's `BloqBuilder`
    (`add_t` for a kept instance, `add_from` for a flattened one), as `iter_bloqsoqs` orders
    the instances: the reference `flatten_until` must equal."""
    from qualtran import BloqBuilder, DecomposeNotImplementedError, DecomposeTypeError

    cbloq = bloq.decompose_bloq()
    if all(keep(binst.bloq) for binst in cbloq.bloq_instances):
        return cbloq
    bb, _ = BloqBuilder.from_signature(cbloq.signature)
    soq_map = []
    for binst, in_soqs, old_out_soqs in cbloq.iter_bloqsoqs():
        in_soqs = bb.map_soqs(in_soqs, soq_map)
        flat = None
        if not keep(binst.bloq):
            try:
                flat = builder_flat(binst.bloq, keep)
            except (DecomposeTypeError, DecomposeNotImplementedError):
                flat = None
        new = bb.add_from(flat, **in_soqs) if flat is not None else bb.add_t(binst.bloq, **in_soqs)
        soq_map.extend(zip(old_out_soqs, new))
    return bb.finalize(**bb.map_soqs(cbloq.final_soqs(), soq_map))


def qualtran_flat(bloq):
    return bloq.decompose_bloq().flatten(lambda binst: leaf_class(binst.bloq) is None)


def leaves(cbloq) -> Counter:
    return Counter(binst.bloq for binst in cbloq.bloq_instances)


def unitary(cbloq) -> np.ndarray:
    from qualtran._infra.gate_with_registers import get_named_qubits

    quregs = get_named_qubits(cbloq.signature.lefts())
    circuit, _ = cbloq.to_cirq_circuit_and_quregs(**quregs)
    order = [q for name in quregs for q in np.asarray(quregs[name]).reshape(-1)]
    return cirq.Circuit(circuit.all_operations()).unitary(qubit_order=order)


CASES = {
    **{m: (lambda m=m: qram.build(m, [3, 0, 2, 1], 2)) for m in qram.MODELS if m != "ideal"},
    "qlaci-query": lambda: seeded_query(2, "bucket-brigade"),
    "qlam-sequence": lambda: attrs.evolve(seeded(2, 2), final_readout=False),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_same_leaves_as_qualtrans_flatten(name):
    bloq = CASES[name]()
    ours, theirs = flatten_until(bloq, _is_leaf), qualtran_flat(bloq)
    assert leaves(ours) == leaves(theirs)
    assert len(ours.connections) == len(theirs.connections)
    assert ours.signature == theirs.signature


SPLICE_CASES = {
    **{
        f"{m} N={n}": (lambda m=m, n=n: qram.build(m, [(5 * j + 3) % 4 for j in range(n)], 2))
        for m in qram.MODELS
        if m != "ideal"
        for n in (2, 8)
    },
    **{
        f"query {m} N=4": (lambda m=m: seeded_query(4, m))
        for m in ("bucket-brigade", "select-swap", "fanout", "ideal")
    },
    "batch bucket-brigade N=4 B=2": lambda: seeded_batch(4, 2, "bucket-brigade"),
    "qlam-sequence m=3": lambda: attrs.evolve(seeded(3, 3), final_readout=False),
}


@pytest.mark.parametrize("keep", [_is_leaf, _simulated_whole], ids=["leaves", "simulated"])
@pytest.mark.parametrize("name", sorted(SPLICE_CASES))
def test_the_same_composite_bloq_as_qualtrans_builder(name, keep):
    bloq = SPLICE_CASES[name]()
    flatten_until.cache_clear()
    ours, theirs = flatten_until(bloq, keep), builder_flat(bloq, keep)
    assert ours.signature == theirs.signature
    assert ours.connections == theirs.connections  # the same wires, in the same order
    assert ours.bloq_instances == theirs.bloq_instances  # the same numbered instances
    assert list(ours._binst_graph.nodes) == list(theirs._binst_graph.nodes)


@pytest.mark.parametrize("name", ["bucket-brigade", "qrom", "select-swap", "fanout"])
def test_the_same_classical_action_as_qualtrans_flatten(name):
    bloq = CASES[name]()
    ours, theirs = flatten_until(bloq, _is_leaf), qualtran_flat(bloq)
    for address in range(4):
        inputs = {reg.name: 0 for reg in bloq.signature.lefts()} | {"address": address}
        assert ours.call_classically(**inputs) == theirs.call_classically(**inputs)


def test_the_same_unitary_as_qualtrans_flatten():
    bloq = CASES["qlam-sequence"]()
    ours, theirs = flatten_until(bloq, _is_leaf), qualtran_flat(bloq)
    np.testing.assert_allclose(unitary(ours), unitary(theirs), atol=1e-12)


def test_equal_bloqs_share_one_flattening_until_cleared():
    first = flatten_to_leaves(qram.build("bucket-brigade", [1, 2, 3, 0], 2))
    assert flatten_to_leaves(qram.build("bucket-brigade", [1, 2, 3, 0], 2)) is first
    flatten_until.cache_clear()
    again = flatten_to_leaves(qram.build("bucket-brigade", [1, 2, 3, 0], 2))
    assert again is not first and leaves(again) == leaves(first)


def test_a_leaf_has_nothing_to_flatten():
    from qualtran import DecomposeTypeError
    from qualtran.bloqs.basic_gates import Toffoli

    with pytest.raises(DecomposeTypeError):
        flatten_to_leaves(Toffoli())


def test_a_decomposition_is_shared_and_cleared_with_the_flattenings():
    from qlaci_cost.core.flatten import decomposition

    bloq = qram.build("qrom", [1, 2, 3, 0], 2)
    first = decomposition(bloq)
    assert decomposition(qram.build("qrom", [1, 2, 3, 0], 2)) is first
    assert leaves(first) == leaves(bloq.decompose_bloq())
    assert decomposition(first) is first  # a composite bloq is its own decomposition
    flatten_until.cache_clear()
    assert decomposition(bloq) is not first
