"""QREF export, compiled by a second symbolic engine (Bartiq), against our closed forms.

For every QRAM model and every family bloq (`bloq_names()`: the QLACI query and head over each
QRAM model, multi-query QLACI, the QLAM sequence and step of each readout protocol) the
exported document is compiled by `bartiq.compile_routine`. Bartiq adds the leaf gates' costs up
the routine tree (only leaves carry resources, checked below), so its Toffoli, T, Clifford,
rotation and measurement counts are a second computation of the totals, by another engine,
from the decomposition tree. They must equal, under sympy:

1. `cost_summary` of the same bloq (our closed forms: Qualtran's cost keys over the call
   graphs and the bloqs' declared costs), for every bloq;
2. the closed forms written by hand in docs/derivations (the `closed-form` blocks of the QRAM
   models, and the query, head, multi-query and QLAM formulas of qlaci.md, multi_query.md and
   qlam.md, encoded below with their sources), for every bloq that has one.

Qubits and depths are not additive over a call graph: docs/references.md#qref-and-bartiq
says what a document carries of them. The peers are optional (`pip install -e ".[peers]"`):
without Bartiq these tests are skipped.
"""

import json
from functools import cache

import pytest
import sympy

from qlaci_cost import InputError, cost_summary
from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS
from qlaci_cost.output.qref_export import RESOURCES, bloq_names, export_qref, resolve_bloq
from qlaci_cost.qram import MODELS

bartiq = pytest.importorskip("bartiq")
qref = pytest.importorskip("qref")

N, b, B = sympy.symbols("N b B", positive=True, integer=True)
n = sympy.log(N, 2)
SYMBOLS = {"N": N, "b": b, "B": B}
#: The metrics both sides give (t_count under the default conventions: 4 T per Toffoli-class
#: gate, 16 T per rotation).
COMPARED = ("toffoli", "t_count", "clifford", "rotations", "measurements")
#: Sizes (N, b, B) where two closed forms that do not expand to the same expression must agree
#: exactly: N powers of two (as every closed form assumes) of both parities of log2 N, words
#: below, at and above sqrt(N) (the select-swap block size's cases), batches 1 to 8.
GRID = [
    (2, 1, 1),
    (4, 2, 2),
    (8, 3, 4),
    (32, 8, 1),
    (256, 1, 8),
    (1024, 5, 2),
    (2**13, 2, 4),
    (2**20, 8, 8),
    (2**21, 3, 1),
    (2**40, 1, 2),
]


# --- Bartiq's side -------------------------------------------------------------------------


def ours_by_name(expr) -> sympy.Expr:
    """A Bartiq expression with its symbols replaced by ours (Bartiq's carry no assumptions)."""
    expr = sympy.sympify(expr)
    return expr.subs({s: SYMBOLS.get(s.name, s) for s in expr.free_symbols})


def compiled(document: dict) -> dict:
    """Bartiq's compiled resources of the program, in our metric names."""
    routine = bartiq.compile_routine(document).routine
    got = {name: ours_by_name(r.value) for name, r in routine.resources.items()}
    assert set(got) <= set(RESOURCES), set(got)
    value = {k: got.get(k, sympy.Integer(0)) for k in RESOURCES}
    c = DEFAULT_CONVENTIONS
    value["t_count"] = (
        value["t"] + c.t_per_toffoli * value["toffoli"] + c.t_per_rotation * value["rotations"]
    )
    return value


@cache
def exported(name: str) -> str:
    """The symbolic document of a name, as JSON text (each test reads its own copy)."""
    return json.dumps(export_qref(name))


@cache
def bartiq_metrics(name: str) -> dict:
    return compiled(json.loads(exported(name)))


def same(a, b_) -> bool:
    """Equal under sympy: a - b expands to 0, or (the closed forms with Max, ceiling and
    log2 that do not expand away) equal exactly at every size of `GRID`."""
    a, b_ = sympy.sympify(a), sympy.sympify(b_)
    if sympy.expand(a - b_) == 0:
        return True
    for nn, bits, bb in GRID:
        values = {N: nn, b: bits, B: bb}
        if sympy.nsimplify(a.subs(values) - b_.subs(values)) != 0:
            return False
    return True


def mismatches(got: dict, expected: dict) -> list:
    return [(m, got[m], expected[m]) for m in expected if not same(got[m], expected[m])]


# --- the documented closed forms --------------------------------------------------------------


@cache
def documented_qram() -> dict:
    """Model -> metric -> expression, from docs/derivations' `closed-form` blocks."""
    from tests.test_docs import documented

    return {model: exprs for model, (_, exprs) in documented().items()}


def qram_doc(model: str, bits) -> dict:
    return {m: documented_qram()[model][m].subs(b, bits) for m in COMPARED}


def query_doc(model: str) -> dict:
    """docs/derivations/qlaci.md#query: the stages' sums, the QRAM twice (W = C b = 4 bits).
    The prototype's stages besides the QRAM: 38 rotations (4 + 8 + 12 + 14); Cliffords n (index
    H) + 8 (controlled rotations) + 5 + 6 (the two ansatz bricks); 1 measurement (d_ctx = 1)."""
    load = qram_doc(model, 4)
    stages = {"toffoli": 0, "clifford": n + 19, "rotations": 38, "measurements": 1}
    stages["t_count"] = DEFAULT_CONVENTIONS.t_per_rotation * 38
    return {m: 2 * load[m] + stages[m] for m in COMPARED}


def head_doc(model: str) -> dict:
    """docs/derivations/qlaci.md#head: every gate count = N x C x the query's, C the circuit
    calls per query of the default readout (`QLACIHead.circuit_calls`, the shots module's)."""
    calls = resolve_bloq(f"qlaci/{model}/head").circuit_calls
    return {m: N * calls * v for m, v in query_doc(model).items()}


def multi_query_doc(model: str) -> dict:
    """docs/derivations/multi_query.md#1-the-circuit, `multiplexed` (r = 1, d_q = 4): the
    query's encoding (4 rotations) becomes 4 uniformly controlled Ry (4 B rotations, 4 B
    min(1, log2 B) CNOTs); log2 B H gates and log2 B measurements of the query index."""
    k = sympy.log(B, 2)
    rot = 4 * B - 4
    extra = {
        "toffoli": 0,
        "rotations": rot,
        "t_count": DEFAULT_CONVENTIONS.t_per_rotation * rot,
        "clifford": 4 * B * sympy.Min(1, k) + k,
        "measurements": k,
    }
    return {m: v + extra[m] for m, v in query_doc(model).items()}


def qlam_doc(weak: bool, level: str) -> dict:
    """docs/derivations/qlam.md sections 1-4 at the defaults (m = 8, d_in = 1, L = 2, r = 2,
    ladder, K = m = 8 Z observables in G = 1 group, k = K weak ancillas, theta = pi/4): a step is
    d_in + L r m = 33 rotations and L (m - 1) = 14 CNOTs; the weak readout adds, per ancilla, 3
    Cliffords, 1 measurement and its Ry(theta), which at theta = pi/4 is a T-angle gate (1 T),
    not an arbitrary rotation (qlam.md section 3); a sequence is N steps, then (not weak) the
    direct readout's m measurements."""
    k = 8 if weak else 0
    step = {"toffoli": 0, "rotations": 33, "t": k, "clifford": 14 + 3 * k, "measurements": k}
    if level == "sequence":
        step = {m: N * v for m, v in step.items()}
        step["measurements"] += 0 if weak else 8
    step["t_count"] = step.pop("t") + DEFAULT_CONVENTIONS.t_per_rotation * step["rotations"]
    return step


def documented(name: str) -> dict | None:
    """The documented closed forms of a bloq name, or None when there are none."""
    family, model, *level = name.split("/")
    if family == "qram":
        return qram_doc(model, b)
    if family == "qlaci":
        return head_doc(model) if level == ["head"] else query_doc(model)
    if family == "multi-query":
        return multi_query_doc(model)
    if family == "qlam":
        return qlam_doc(model == "weak", level[0] if level else "sequence")
    return None


# --- the tests -----------------------------------------------------------------------------

NAMES = bloq_names()
#: The QRAM models whose closed forms (Max and ceiling of log2 N and log2 b) take sympy about a
#: second per family bloq: the QLACI and multi-query bloqs over them run with `-m slow` (the
#: QRAM models themselves in the default run).
HEAVY_MODELS = ("select-swap", "qroam-clean")


def params(names) -> list:
    """`names` as pytest params, the family bloqs over `HEAVY_MODELS` marked slow."""
    reason = "the Qualtran lookups' closed forms under a family bloq: ~1 s each in sympy"
    return [
        pytest.param(name, marks=pytest.mark.slow(reason=reason))
        if not name.startswith("qram/") and name.split("/")[1] in HEAVY_MODELS
        else name
        for name in names
    ]


def test_every_model_and_family_bloq_is_exported():
    assert {f"qram/{m}" for m in MODELS} <= set(NAMES)
    for prefix in ("qlaci/", "multi-query/", "qlam/"):
        assert any(name.startswith(prefix) for name in NAMES), prefix
    assert {"qlaci/bucket-brigade/head", "qlam/final/step"} <= set(NAMES)


@pytest.mark.parametrize("name", params(NAMES))
def test_bartiq_equals_our_closed_forms(name):
    ours = cost_summary(resolve_bloq(name)).metrics()
    assert mismatches(bartiq_metrics(name), {m: ours[m] for m in COMPARED}) == []


@pytest.mark.parametrize("name", params(n_ for n_ in NAMES if documented(n_) is not None))
def test_bartiq_equals_the_documented_closed_forms(name):
    assert mismatches(bartiq_metrics(name), documented(name)) == []


def test_every_bloq_has_a_documented_closed_form():
    assert [name for name in NAMES if documented(name) is None] == []


def _routines(routine: dict):
    yield routine
    for child in routine.get("children", ()):
        yield from _routines(child)


@pytest.mark.parametrize("name", params(NAMES))
def test_only_leaves_carry_resources(name):
    """Bartiq's totals are compiled from the leaves up: no routine with children declares a
    resource of its own (so no closed form of ours is copied into a total). A declared leaf
    (no callees, not a gate) is an assumed oracle, and only the `ideal` QRAM is one."""
    program = json.loads(exported(name))["program"]
    routines = list(_routines(program))
    assert all(not r.get("resources") for r in routines if r.get("children"))
    declared = [r["type"] for r in routines if "declared" in r.get("meta", {})]
    assert set(declared) <= {"IdealQRAM"}
    assert bool(declared) == ("ideal" in name.split("/"))


def test_a_wrong_leaf_cost_is_caught():
    """The comparison can fail: one Toffoli leaf counted twice changes Bartiq's total."""
    document = export_qref("qram/bucket-brigade")
    leaves = [r for r in _routines(document["program"]) if r.get("type") == "Toffoli"]
    assert leaves
    leaves[0]["resources"][0]["value"] = 2
    expected = {m: documented_qram()["bucket-brigade"][m] for m in COMPARED}
    wrong = mismatches(compiled(document), expected)
    assert [m for m, _, _ in wrong] == ["toffoli", "t_count"]


@pytest.mark.parametrize(
    "name, sizes",
    [
        ("qram/bucket-brigade-parallel", {"N": 2**20, "b": 5}),
        ("qlaci/qrom/head", {"N": 2**10}),
        pytest.param(
            "qram/select-swap",
            {"N": 2**20, "b": 5},
            marks=pytest.mark.slow(reason="Bartiq evaluates its closed forms in ~2 s"),
        ),
        ("multi-query/qrom", {"N": 2**16, "B": 8}),
    ],
)
def test_sizes_substituted_exactly(name, sizes):
    """A document at given sizes compiles to the numbers our closed forms give there, and so
    does Bartiq's own evaluation of the symbolic document (a second route). Every count here
    is below 10^15, where Bartiq's numbers are exact (see the next test)."""
    document = export_qref(name, sizes)
    ours = cost_summary(resolve_bloq(name)).subs(sizes).metrics()
    got = compiled(document)
    assert {m: got[m] for m in COMPARED} == {m: ours[m] for m in COMPARED}
    assert max(ours[m] for m in COMPARED) < 10**15
    symbolic = bartiq.compile_routine(json.loads(exported(name))).routine
    evaluated = bartiq.evaluate(symbolic, sizes).routine.resources
    assert {k: int(r.value) for k, r in evaluated.items()} == {
        k: int(v) for k, v in got.items() if k in evaluated
    }
    assert document["program"]["meta"]["closed_forms"]["toffoli"] == ours["toffoli"]


@pytest.mark.parametrize(
    "name, sizes",
    [("qlaci/qrom/head", {"N": 2**40}), ("qram/bucket-brigade", {"N": 2**200, "b": 8})],
)
def test_bartiq_rounds_numbers_beyond_15_digits(name, sizes):
    """A difference, recorded in docs/references.md#qref-and-bartiq: Bartiq 0.12.1 evaluates
    every number through sympy's N() at 15 significant digits (`sympy_backend._value_of`), so
    a count of more digits comes back rounded; the document holds it exactly (a string of
    digits beyond 2^53) and our closed forms keep it exact."""
    document = json.loads(json.dumps(export_qref(name, sizes)))
    ours = cost_summary(resolve_bloq(name)).subs(sizes).metrics()
    assert document["program"]["meta"]["closed_forms"]["toffoli"] == str(ours["toffoli"])
    got = int(compiled(document)["toffoli"])
    assert got != ours["toffoli"]
    assert abs(got - ours["toffoli"]) <= ours["toffoli"] // 10**14


def test_padding_is_noted():
    document = export_qref("qrom", {"N": 1000, "b": 3})
    meta = document["program"]["meta"]
    assert meta["sizes"] == {"N": 1024, "b": 3}
    assert "N=1000 padded to the next power of two, N=1024" in meta["notes"]


def test_a_collection_validates_and_compiles_child_by_child():
    """Several bloqs in one document: valid QREF (every port connected: the collection passes
    each child's registers in and out) and each child compiles as its own document does."""
    names = ["qrom", "qlam/final/step", "multi-query/qrom"]
    document = json.loads(json.dumps(export_qref(names)))
    schema = qref.SchemaV1.model_validate(document)
    assert qref.verification.verify_topology(schema)
    children = bartiq.compile_routine(schema).routine.children
    assert len(children) == len(names)
    for child, name in zip(document["program"]["children"], names):
        alone = bartiq.compile_routine(json.loads(exported(name))).routine.resources
        got = children[child["name"]].resources
        assert {k: str(r.value) for k, r in got.items()} == {
            k: str(r.value) for k, r in alone.items()
        }


@pytest.mark.parametrize(
    "target, sizes, message",
    [
        ("bogus", None, "bloq name 'bogus' is not allowed"),
        ("qlaci/qrom/tail", None, "level 'tail' of family 'qlaci'"),
        ("qram/qrom/head", None, "level 'head' of family 'qram'"),
        ("qrom", {"M": 4}, "size 'M' is not allowed: the bloq's size symbols are N, b"),
        ("qrom", {"N": 0}, "size N=0 is not allowed: sizes are integers >= 1"),
        ("qrom", {"N": 2.0}, "size N=2.0 is not allowed"),
        ("qlam/final/step", {"N": 4}, "size 'N' is not allowed"),
        (["qlam/final/step"], {"N": 4}, "size 'N' is not allowed: no bloq given has"),
        ([], None, "bloq list [] is not allowed"),
        ("qrom", [("N", 4)], "sizes=[('N', 4)] is not allowed"),
    ],
)
def test_bad_input_is_one_clear_error(target, sizes, message):
    with pytest.raises(InputError) as err:
        export_qref(target, sizes)
    assert message in str(err.value)
    assert "\n" not in str(err.value)
