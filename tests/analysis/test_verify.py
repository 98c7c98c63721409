"""The verification checks pass on a correct model and fail, naming what broke, on a wrong one."""

from functools import cached_property

import attrs
import pytest
from attrs import frozen
from qualtran import Bloq, BloqBuilder, Signature
from qualtran.bloqs.basic_gates import CNOT

from qlaci_cost.core.verification import seeded_data
from qlaci_cost.qram.interface import check_sizes, data_converter, qram_signature, xor_lookup
from qlaci_cost.qram.verify import check_classical, check_superposition, run_checks


@frozen
class WrongLowBitQRAM(Bloq):
    """A deliberately wrong model: copies the address's low bit into the target's low bit."""

    n_cells: int
    bits: int
    data: tuple = attrs.field(default=None, converter=data_converter)

    def __attrs_post_init__(self):
        check_sizes(self.n_cells, self.bits)

    @cached_property
    def signature(self) -> Signature:
        return qram_signature(self.n_cells, self.bits)

    def build_composite_bloq(self, bb: BloqBuilder, address, target):
        a, t = bb.split(address), bb.split(target)
        a[-1], t[-1] = bb.add(CNOT(), ctrl=a[-1], target=t[-1])
        return {"address": bb.join(a), "target": bb.join(t)}

    def on_classical_vals(self, address, target):
        return xor_lookup(self.data, address, target)


@pytest.fixture
def wrong_model(register_qram_model):
    return register_qram_model("wrong", WrongLowBitQRAM)


def test_seeded_data_is_reproducible_and_in_range():
    assert seeded_data(16, 3) == seeded_data(16, 3)
    assert all(0 <= x < 8 for x in seeded_data(16, 3))


@pytest.mark.parametrize("n_cells", [2, 4, 8])
def test_ideal_passes_classical_and_superposition(n_cells):
    data = seeded_data(n_cells, 2)
    assert check_classical("ideal", data, 2).ok
    assert check_superposition("ideal", data, 2).ok


def test_a_wrong_model_fails_naming_model_size_and_address(wrong_model):
    data = (3, 0, 2, 1)
    result = check_classical(wrong_model, data, 2)
    assert not result.ok
    assert "address=0" in result.detail and result.model == "wrong" and result.n_cells == 4
    sup = check_superposition(wrong_model, data, 2)
    assert not sup.ok and "stray amplitude at address=" in sup.detail
    assert sup.line().startswith("FAIL superposition wrong")


def test_run_checks_reports_exceptions_as_failures(wrong_model):
    results = list(run_checks([wrong_model], sizes=(4,), checks=("counts",)))
    assert len(results) == 1 and not results[0].ok
    assert results[0].detail.startswith(("AttributeError", "ValueError"))
