"""Conformance: every QRAM model (each name in `MODELS` and every registered model) passes the
same checks, so a new model gets all of them by being registered.

Per model: registers, traits, the classical action on every address (seeded random data,
b = 1..8), the state vector with the address in superposition, closed form == decomposition
of the worst-case data, size errors, and its appearance in the QRAM table, the noise table, the
verification checks of every family and the claim table. The two sources of each number: the
leaf decomposition against the defining action |j>|t> -> |j>|t XOR data[j]> (classical and
state vector), and the closed form against the decomposition's counts and Cirq depths
(`qram.verify`); the compiled table against `cost_summary`.

`ToyQRAM` (defined here, registered as `toy-qrom`) shows what adding a model takes: one
module with the class, one `register_model` line.
"""

from typing import Optional

import attrs
import pytest
import sympy
from attrs import frozen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qualtran import Bloq, DecomposeTypeError
from qualtran.resource_counting import get_cost_value
from qualtran.symbolics import SymbolicInt, is_symbolic

from qlaci_cost.analysis.noise import NOISE_RULES, noise_table
from qlaci_cost.core.family import ModelTraits
from qlaci_cost.core.summary import METRICS, cost_summary
from qlaci_cost.core.verification import run_family_checks, seeded_data
from qlaci_cost.qlaci.claims import CLAIMS
from qlaci_cost.qram import (
    MODELS,
    QRAMSizeError,
    all_models,
    build,
    build_symbolic,
    model_class,
    padding_note,
    register_model,
    traits,
    unregister_model,
)
from qlaci_cost.qram.interface import QRAMInterface, data_converter
from qlaci_cost.qram.table import qram_rows
from qlaci_cost.qram.verify import (
    MAX_STATE_QUBITS,
    check_classical,
    check_counts,
    check_superposition,
)
from qlaci_cost.verdicts.claims import claim_table

SLOW = pytest.mark.slow(reason="decomposes and simulates every model at every (N, b) of the grid")
SIZES = (2, 4, 8, 16)
N, B = sympy.symbols("N b", positive=True, integer=True)


# --- a model added by registering it ------------------------------------------------------------


@frozen
class ToyQRAM(QRAMInterface, Bloq):
    """A toy model: the `qrom` lookup under its own name (one module, one registry line).

    Args:
        n_cells: N, a power of two >= 2, or a symbol.
        bits: b, bits per word.
        data: N words, or None for a size-only model.

    Registers:
        address: log2 N qubits.
        target: b qubits, XORed with data[address].
    """

    n_cells: SymbolicInt
    bits: SymbolicInt
    data: Optional[tuple[int, ...]] = attrs.field(default=None, converter=data_converter)

    @property
    def inner(self) -> Bloq:
        return model_class("qrom")(self.n_cells, self.bits, data=self.data)

    @property
    def cost_notes(self) -> tuple:
        return tuple(getattr(self.inner, "cost_notes", ()))

    @staticmethod
    def worst_case_data(n_cells: int, bits: int) -> tuple[int, ...]:
        return model_class("qrom").worst_case_data(n_cells, bits)

    def build_composite_bloq(self, bb, address, target):
        if self.data is None or is_symbolic(self.n_cells, self.bits):
            raise DecomposeTypeError(f"{self} needs concrete data and sizes to decompose")
        address, target = bb.add(self.inner, address=address, target=target)
        return {"address": address, "target": target}

    def build_call_graph(self, ssa):
        return {self.inner: 1}

    def my_static_costs(self, cost_key):
        if self.data is not None:
            return NotImplemented  # from the decomposition
        return get_cost_value(self.inner, cost_key)


TOY = "toy-qrom"
#: Every model the suite checks: the built-in ones, those registered so far, and the toy.
NAMES = tuple(dict.fromkeys((*all_models(), TOY)))


@pytest.fixture(scope="module", autouse=True)
def toy_registered():
    register_model(TOY, ToyQRAM)  # the one registry line
    yield TOY
    unregister_model(TOY)


# --- interface ----------------------------------------------------------------------------------


@pytest.mark.parametrize("model", NAMES)
def test_registers(model):
    for n in SIZES:
        for b in (1, 8):
            regs = {r.name: r.dtype.num_qubits for r in build_symbolic(model, n, b).signature}
            assert regs == {"address": n.bit_length() - 1, "target": b}, (model, n, b)
    regs = {r.name: r.dtype.num_qubits for r in build_symbolic(model, N, B).signature}
    assert set(regs) == {"address", "target"}
    assert sympy.simplify(regs["address"] - sympy.log(N, 2)) == 0 and regs["target"] == B


@pytest.mark.parametrize("model", NAMES)
def test_traits(model):
    t = traits(model)
    assert isinstance(model_class(model), ModelTraits)
    assert isinstance(t.ASSUMED_ORACLE, bool)
    assert bool(t.ASSUMPTION_NOTE) == t.ASSUMED_ORACLE, "an assumed model says what it assumes"
    assert t.NOISE_RULE in NOISE_RULES
    assert set(t.BOUNDS) <= set(METRICS)


@pytest.mark.parametrize("model", NAMES)
def test_size_errors(model):
    cls = model_class(model)
    for n, b in ((3, 2), (0, 2), (1, 2), (4, 0), (2.0, 1), (4, True)):
        with pytest.raises(QRAMSizeError, match="is not allowed"):
            cls(n, b)
    for data, bits in (([], None), ([-1, 2], None), ([5, 1], 2)):
        with pytest.raises(QRAMSizeError, match="not allowed|empty"):
            build(model, data, bits)
    with pytest.raises(QRAMSizeError, match="N=0 is not allowed"):
        build_symbolic(model, 0, 2)
    with pytest.raises(ValueError, match="data has 3 words"):
        cls(4, 2, data=(1, 2, 3))


@pytest.mark.parametrize("model", NAMES)
def test_padding_is_a_note_built_with_the_bloq(model):
    """A padded size gives a new value that carries its note (no frozen bloq is changed): it
    equals the bloq of the padded size and the note reaches its cost summary."""
    padded, exact = build_symbolic(model, 5, 2), build_symbolic(model, 8, 2)
    note = "N=5 padded to the next power of two, N=8"
    assert padded == exact and hash(padded) == hash(exact)
    assert padding_note(padded) == note and padding_note(exact) is None
    assert note in cost_summary(padded).notes and note not in cost_summary(exact).notes
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        padded.padding_note = None
    assert padding_note(build(model, [1, 2, 3])) == "N=3 padded to the next power of two, N=4"


# --- the action: every address, and the address in superposition -------------------------------


@pytest.mark.parametrize("model", NAMES)
@pytest.mark.parametrize("n, bits", [(2, 8), (4, 5), (8, 3), (16, 1)])
def test_classical_every_address(model, n, bits):
    result = check_classical(model, seeded_data(n, bits, seed=7), bits)
    assert result.ok, result.line()


@SLOW
@pytest.mark.parametrize("model", NAMES)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("bits", range(1, 9))
def test_classical_every_address_full_grid(model, n, bits):
    result = check_classical(model, seeded_data(n, bits, seed=11), bits)
    assert result.ok, result.line()


@pytest.mark.parametrize("model", NAMES)
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_classical_random_data(model, data):
    bits = data.draw(st.integers(1, 8), label="bits")
    words = data.draw(st.lists(st.integers(0, 2**bits - 1), min_size=2, max_size=16))
    result = check_classical(model, words, bits)  # padded to a power of two with zeros
    assert result.ok, result.line()


@pytest.mark.parametrize("model", NAMES)
@pytest.mark.parametrize("n, bits", [(2, 1), (2, 2), (4, 1), pytest.param(4, 2, marks=SLOW)])
def test_superposition(model, n, bits):
    result = check_superposition(model, seeded_data(n, bits, seed=5), bits)
    assert result.ok, result.line()
    if (n, bits) == (2, 1):
        assert not result.skipped, "the smallest state vector always fits"
    if result.skipped:
        assert f"> {MAX_STATE_QUBITS}" in result.detail


# --- closed form == decomposition ---------------------------------------------------------------


@pytest.mark.parametrize("model", NAMES)
@pytest.mark.parametrize("n", SIZES)
def test_closed_form_equals_decomposition(model, n):
    result = check_counts(model, n, 2)
    assert result.ok, result.line()
    assert result.skipped == traits(model).ASSUMED_ORACLE


@SLOW
@pytest.mark.parametrize("model", NAMES)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("bits", (1, 3, 8))
def test_closed_form_equals_decomposition_more_bits(model, n, bits):
    result = check_counts(model, n, bits)
    assert result.ok, result.line()


# --- every table, check and claim ---------------------------------------------------------------


@pytest.mark.parametrize("model", NAMES)
def test_in_the_qram_and_noise_tables(model, conventions):
    table = qram_rows([model], [16, 2**40], 4, conventions)
    assert [(r["model"], r["N"]) for r in table.rows] == [(model, 16), (model, 2**40)]
    assert all(type(r[m]) is int for r in table.rows for m in METRICS)
    direct = cost_summary(build_symbolic(model, 16, 4), conventions).metrics()
    assert {m: table.rows[0][m] for m in METRICS} == direct  # compiled == cost_summary
    rows = noise_table([model], [16, 2**40]).rows
    assert [r["model"] for r in rows] == [model, model]
    assert (rows[0]["circuit_infidelity"] is None) == traits(model).ASSUMED_ORACLE


@pytest.mark.parametrize("model", NAMES)
def test_in_the_verify_checks_of_every_family(model):
    results = list(run_family_checks([model], [2], bits=1, checks=("classical", "counts")))
    kinds = {r.check for r in results if r.model == model}
    assert {"classical", "counts", "qlaci-counts", "head-counts"} <= kinds
    assert all(r.ok for r in results), [r.line() for r in results if not r.ok]


@pytest.fixture(scope="module")
def claims(toy_registered):
    """The claim table over every family's models (None: MODELS and the registered ones)."""
    return claim_table(None, [2**k for k in range(4, 11)])


@pytest.mark.parametrize("model", NAMES)
def test_in_the_claim_table(model, claims):
    # The QLACI family's five claims, in order (other families may add rows of their own).
    mine = [r for r in claims.rows if r["model"] == model and r["key"] in CLAIMS]
    assert [r["key"] for r in mine] == list(CLAIMS)
    label = "assumed oracle" if traits(model).ASSUMED_ORACLE else "circuit"
    assert {r["qram"] for r in mine} == {label}
    assert model in claims.verdict_text


def test_adding_a_model_is_one_module_plus_one_registry_line(claims, conventions):
    assert TOY not in MODELS and TOY in all_models()
    # The toy is the qrom lookup: every table gives it the qrom's numbers, from its own rows.
    toy, qrom = qram_rows([TOY, "qrom"], [64], 3, conventions).rows
    assert {m: toy[m] for m in METRICS} == {m: qrom[m] for m in METRICS}
    verdicts = {r["key"]: r["verdict"] for r in claims.rows if r["model"] == TOY}
    assert verdicts == {r["key"]: r["verdict"] for r in claims.rows if r["model"] == "qrom"}
    checks = list(run_family_checks([TOY], [4], bits=2))
    assert {r.check for r in checks} >= {
        "classical", "superposition", "counts", "qlaci-average", "qlaci-counts", "head-counts",
    }  # fmt: skip
    assert all(r.ok for r in checks), [r.line() for r in checks if not r.ok]
