"""Wired QREF documents of concrete circuits: qubits where QREF carries them.

A call-graph document carries no qubit count a compiler could check
(docs/references.md#qref-and-bartiq); a wired one (`export_qref(bloq, circuit=True)`: every
gate a routine with its ports, every wire a connection) does: Bartiq's `calculate_highwater`
follows the wires to the peak number of live qubits, independently of our peak-width rule.
For every QRAM model built from its worst-case data, Bartiq's peak equals our closed form for
qubits, and its gate counts equal those of the decomposition. Where Qualtran's own importer
(`qualtran.qref_interop.bloq_to_qref`) handles the circuit, its document gives the same peak.
"""

import json

import pytest

from qlaci_cost import InputError, cost_summary
from qlaci_cost.output.qref_export import export_qref, resolve_bloq
from qlaci_cost.qram import MODELS, build, build_symbolic, model_class, traits

bartiq = pytest.importorskip("bartiq")
qref = pytest.importorskip("qref")
from bartiq.compilation.derived_resources import calculate_highwater  # noqa: E402

PEAK = [{"name": "qubit_highwater", "type": "qubits", "calculate": calculate_highwater}]
COUNTS = ("toffoli", "clifford", "rotations", "measurements")
SLOW = pytest.mark.slow(reason="decompositions to N = 16 compiled gate by gate: ~5 s each")
SIZES = [(4, 2), pytest.param(8, 1, marks=SLOW), pytest.param(16, 3, marks=SLOW)]


def compiled(document: dict) -> dict:
    routine = bartiq.compile_routine(document, derived_resources=PEAK).routine
    return {k: int(r.value) for k, r in routine.resources.items()}


def circuit(model: str, n_cells: int, bits: int):
    return build(model, model_class(model).worst_case_data(n_cells, bits), bits)


@pytest.mark.parametrize("n_cells, bits", SIZES)
@pytest.mark.parametrize("model", MODELS)
def test_bartiq_peak_equals_our_qubits(model, n_cells, bits):
    bloq = circuit(model, n_cells, bits)
    got = compiled(json.loads(json.dumps(export_qref(bloq, circuit=True))))
    measured = cost_summary(bloq).metrics()
    closed = cost_summary(build_symbolic(model, n_cells, bits)).qubits
    assert {m: got.get(m, 0) for m in COUNTS} == {m: measured[m] for m in COUNTS}
    assert got["qubit_highwater"] == closed
    if "qubits" in traits(model).BOUNDS:
        # fanout: our closed form is the as-soon-as-possible peak, an upper bound
        # (docs/conventions.md#what-is-a-bound); Qualtran's sequential rule on the flattened
        # circuit measures fewer. Bartiq's peak, a block-by-block bound too, meets the bound.
        assert measured["qubits"] < got["qubit_highwater"]
    else:
        assert got["qubit_highwater"] == measured["qubits"]


def _widest_shape(bloq) -> int:
    """The most dimensions of any register in `bloq`'s decomposition tree."""
    from qlaci_cost.output.qref_tree import decomposition

    cbloq = decomposition(bloq)
    inner = [_widest_shape(b.bloq) for b in cbloq.bloq_instances] if cbloq is not None else []
    return max([len(reg.shape) for reg in bloq.signature] + inner, default=0)


@pytest.mark.parametrize("model", MODELS)
def test_qualtrans_importer_gives_the_same_peak_where_it_serves(model):
    """Qualtran's `bloq_to_qref` imports registers of at most one dimension; the memory
    registers (N x b) inside the bucket brigade and fan-out QRAMs stop it, which is why the
    export maps the wiring itself. Where it serves, Bartiq reads the same peak from its
    document."""
    from qualtran.qref_interop import bloq_to_qref

    bloq = circuit(model, 4, 2)
    if _widest_shape(bloq) > 1:
        with pytest.raises(NotImplementedError, match="more than one index"):
            bloq_to_qref(bloq, decomposition_rules=True)
        return
    theirs = compiled(bloq_to_qref(bloq, decomposition_rules=True))
    assert theirs["qubit_highwater"] == cost_summary(bloq).qubits


def test_the_importer_stops_at_exactly_the_two_dimensional_models():
    assert [m for m in MODELS if _widest_shape(circuit(m, 4, 2)) > 1] == [
        "bucket-brigade",
        "fanout",
    ]


@pytest.mark.parametrize("name, qubits", [("qlam/final/step", 8), ("qlam/weak/step", 16)])
def test_a_qlam_step(name, qubits):
    """A QLAM step has concrete sizes (m = 8 memory qubits, k = 8 weak-readout ancillas)."""
    bloq = resolve_bloq(name)
    got = compiled(export_qref(bloq, circuit=True))
    assert got["qubit_highwater"] == cost_summary(bloq).qubits == qubits
    assert got["rotations"] == cost_summary(bloq).rotations


def test_a_collection_of_circuits_compiles_child_by_child():
    bloqs = [circuit("qrom", 8, 2), circuit("ideal", 8, 2)]
    routine = bartiq.compile_routine(export_qref(bloqs, circuit=True), derived_resources=PEAK)
    peaks = [c.resources["qubit_highwater"].value for c in routine.routine.children.values()]
    assert peaks == [cost_summary(b).qubits for b in bloqs]


@pytest.mark.parametrize(
    "target, sizes, message",
    [
        ("qrom", None, "its registers are symbolic"),
        ("qlaci/qrom/head", None, "no decomposition at concrete sizes"),
        (None, {"N": 4}, "are not allowed with circuit=True"),
    ],
)
def test_bad_input(target, sizes, message):
    target = circuit("qrom", 4, 1) if target is None else target
    with pytest.raises(InputError, match=message):
        export_qref(target, sizes, circuit=True)
