"""`core.flatten.flatten_until` against Qualtran's own `CompositeBloq.flatten`: the same leaf
gates, wired the same way (equal Cirq unitaries), for every QRAM model, a QLACI query and a QLAM
step; and the memo shares one flattening between equal bloqs."""

from collections import Counter

import attrs
import cirq
import numpy as np
import pytest

from qlaci_cost import qram
from qlaci_cost.core.depth import _is_leaf, flatten_to_leaves
from qlaci_cost.core.flatten import flatten_until
from qlaci_cost.core.leaves import leaf_class
from qlaci_cost.qlaci.verify import seeded_query
from qlaci_cost.qlam.verify import seeded


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
