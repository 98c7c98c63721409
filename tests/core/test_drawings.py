"""Bloqs to draw through the family seam (`core.drawings`): names, family names, the gallery, and
the two panels of every drawing showing the same circuit.

The counted bloq (whose call graph is drawn) and the concrete circuit (whose decomposition is
drawn) are built separately by each family's `drawing` hook; their counts are compared here:
the closed forms of the counted bloq against the circuit's leaf-by-leaf decomposition
(`decomposed_summary`), equal except for the metrics a bloq only bounds.
"""

import pytest

from qlaci_cost import InputError, cost_summary
from qlaci_cost.core.decomposed import decomposed_summary
from qlaci_cost.core.drawings import (
    Drawing,
    UnknownDrawingError,
    descriptions,
    drawing,
    drawing_names,
    gallery,
    resolve,
)
from qlaci_cost.core.family import FAMILIES, families
from qlaci_cost.core.summary import METRICS
from qlaci_cost.qlaci.head import QLACIHead
from qlaci_cost.qlaci.query import QLACIQuery
from qlaci_cost.qram import MODELS, traits

FAMILY_BLOQS = ("qlaci-query", "qlaci-head", "multi-query", "qlam-sequence", "qlam-step")
NAMES = tuple(drawing_names())


def test_every_qram_model_and_family_bloq_is_drawable():
    assert set(NAMES) == set(MODELS) | set(FAMILY_BLOQS)
    assert list(descriptions()) == list(NAMES)
    assert all(descriptions().values())


def test_a_family_name_draws_its_first_bloq():
    assert resolve("qram") == ("qram", "bucket-brigade")
    assert resolve("qlaci") == ("qlaci", "qlaci-query")
    assert resolve("multi-query") == ("multi-query", "multi-query")
    assert resolve("qlam") == ("qlam", "qlam-sequence")
    assert set(FAMILIES) <= {resolve(f)[0] for f in FAMILIES}


def test_the_gallery_is_the_qlaci_query_and_one_qram_model():
    assert gallery() == ["bucket-brigade", "qlaci-query"]


def test_an_unknown_name_is_refused_naming_the_allowed_ones():
    with pytest.raises(UnknownDrawingError, match=r"unknown bloq 'nope' to draw: allowed are") as e:
        resolve("nope")
    assert all(name in str(e.value) for name in (*NAMES, *FAMILIES))
    assert isinstance(e.value, InputError)


def test_options_a_bloq_does_not_take_are_refused():
    with pytest.raises(InputError, match=r"option qram is not allowed for 'qrom'"):
        drawing("qrom", 4, {"qram": "qrom"})
    with pytest.raises(InputError, match=r"option qram is not allowed for 'qlam-step'"):
        drawing("qlam-step", 4, {"qram": "qrom"})
    with pytest.raises(InputError, match=r"unknown QRAM model 'nope'"):
        drawing("qlaci-query", 4, {"qram": "nope"})


def test_a_huge_size_builds_no_circuit_until_asked():
    """N = 2^40: the size-only bloq of every name at once; its circuit (2^40 words) is never
    built unless asked for."""
    for name in NAMES:
        assert drawing(name, 2**40).counted is not None


def test_sizes_are_padded_as_everywhere_and_the_note_says_so():
    drawn = drawing("qrom", 3)
    assert drawn.counted.n_cells == 4
    assert "N=3 padded to the next power of two, N=4" in drawn.note
    assert drawing("qlam-sequence", 3).counted.n_steps == 3  # tokens: no padding


def test_the_qram_option_reaches_the_qlaci_bloqs():
    for name in ("qlaci-query", "qlaci-head", "multi-query"):
        drawn = drawing(name, 4, {"qram": "qrom"})
        assert "QRAM qrom" in drawn.title
        circuit = drawn.circuit()
        query = getattr(circuit, "template", circuit)
        assert query.qram_model == "qrom", name


def test_an_assumed_oracle_has_no_circuit():
    for model in MODELS:
        drawn = drawing(model, 4)
        assert (drawn.circuit() is None) == traits(model).ASSUMED_ORACLE, model
    assert "assumed oracle" in drawing("ideal", 4).note


def test_families_without_the_hooks_are_left_out(monkeypatch):
    """Only the families that define the drawing hooks draw: without the QRAM family's, no
    QRAM model is a name and the gallery keeps the QLACI query."""
    from qlaci_cost.core import drawings

    fams = families()

    monkeypatch.setattr(drawings, "families", lambda: [f for f in fams if f.NAME != "qram"])
    assert "qrom" not in drawings.drawing_names()
    assert drawings.gallery() == ["qlaci-query"]


@pytest.mark.parametrize("name", NAMES)
def test_the_call_graph_and_the_circuit_count_the_same_gates(name):
    """The counted bloq's closed forms == the drawn circuit's decomposition, leaf by leaf (a
    metric the bloq only bounds: decomposition <= closed form). A head draws its query's
    circuit: compared with the head's query."""
    drawn = drawing(name, 4)
    assert isinstance(drawn, Drawing) and drawn.title
    circuit = drawn.circuit()
    if circuit is None:
        return
    counted = drawn.counted.query if isinstance(drawn.counted, QLACIHead) else drawn.counted
    assert isinstance(circuit, type(counted))
    closed, measured = cost_summary(counted), decomposed_summary(circuit)
    bounds = getattr(counted, "BOUNDS", frozenset())
    for metric in METRICS:
        c, d = getattr(closed, metric), getattr(measured, metric)
        assert (d <= c) if metric in bounds else (d == c), (name, metric, c, d)
    if isinstance(counted, QLACIQuery):
        assert counted.n_cells == circuit.n_cells == 4
