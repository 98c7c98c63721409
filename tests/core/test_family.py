"""The family seam: lazy registry, the qram and qlaci families' hooks, consumers iterate."""

import subprocess
import sys
import types

import pytest

from qlaci_cost.core import family as seam
from qlaci_cost.core.family import (
    FAMILIES,
    Family,
    FamilyClaims,
    FamilyRows,
    UnknownFamilyError,
    as_claims,
    families,
    family_models,
    family_options,
    register_family,
    unknown_options,
    unregister_family,
)
from qlaci_cost.core.verification import run_family_checks
from qlaci_cost.qlaci.table import qlaci_rows
from qlaci_cost.qram import MODELS
from qlaci_cost.qram.table import qram_rows
from qlaci_cost.verdicts.claims import claim_table


def test_registering_and_importing_the_registry_imports_no_family_nor_qualtran():
    # Whatever the package itself imports at start-up, the registry adds nothing heavy.
    code = (
        "import sys; import qlaci_cost; before = set(sys.modules); "
        "import qlaci_cost.core.family as f; f.register_family('x', 'no.such.module'); "
        "new = set(sys.modules) - before; "
        "assert not [m for m in new if m.split('.')[0] in ('qualtran', 'cirq', 'sympy')], new; "
        "assert not [m for m in sys.modules if m.endswith('.family') and '.core.' not in m]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_registered_families_satisfy_the_protocol():
    assert list(FAMILIES)[:2] == ["qram", "qlaci"]
    for fam in families():
        assert isinstance(fam, Family), fam.NAME
        assert fam.NAME in FAMILIES and fam.TITLE and fam.COLUMNS and fam.CHECK_KINDS
        assert fam.models()
    for fam in families(["qram", "qlaci"]):  # families over the QRAM models
        assert set(MODELS) <= set(fam.models())


def test_unknown_family_and_bad_registrations():
    with pytest.raises(UnknownFamilyError, match="unknown model family 'nope'"):
        seam.family("nope")
    with pytest.raises(ValueError, match="family name"):
        register_family("", "x")
    with pytest.raises(ValueError, match="family module"):
        register_family("x", "")


def test_family_rows_are_the_tables_rows(conventions):
    # Two paths to one number: the family hook and the table function.
    qram, qlaci = seam.family("qram"), seam.family("qlaci")
    got = qram.rows([16, 1024], ["qrom", "fanout"], conventions, bits=4)
    want = qram_rows(["qrom", "fanout"], [16, 1024], 4, conventions)
    assert isinstance(got, FamilyRows) and got == (want.rows, want.notes)
    assert all(set(qram.COLUMNS) <= set(r) for r in got.rows)
    got = qlaci.rows([16], ["qrom"], conventions, precision="abs:0.1")
    want = qlaci_rows(["qrom"], [16], "head", conventions, precision="abs:0.1")
    assert got == (want.rows, want.notes)
    assert all(set(qlaci.COLUMNS) <= set(r) for r in got.rows)


def test_symbolic_hooks_give_size_only_bloqs():
    assert seam.family("qram").symbolic("qrom").data is None
    assert seam.family("qlaci").symbolic("qrom").qram_model == "qrom"


def test_family_models_and_options():
    qram = seam.family("qram")
    assert family_models(qram, ["qrom", "not-a-model"]) == ["qrom"]
    assert family_models(qram, None) == list(qram.models())
    assert family_options(qram, {"bits": 3, "precision": "abs:0.1"}) == {"bits": 3}
    bare = types.SimpleNamespace(OPTIONS=())  # a family that takes no option refuses all
    assert family_options(bare, {"anything": 1}) == {}
    assert unknown_options(families(), {"bits": 1, "bitz": 2}) == ["bitz"]
    assert unknown_options([bare], {"bitz": 2}) == ["bitz"]
    assert as_claims([{"key": "k"}]) == FamilyClaims([{"key": "k"}])


def test_consumers_iterate_over_a_registered_family(toy_family):
    """The toy family of tests/toy_family (registered by the `toy_family` fixture)."""
    results = list(run_family_checks(None, [2], checks=("counts",), family_names=["toy"]))
    assert [(r.check, r.model, r.ok) for r in results] == [("toy-counts", "and-ladder", True)]
    # Names of other families' models reach only their own family.
    assert list(run_family_checks(["qrom"], [2], family_names=["toy"])) == []
    table = claim_table(["and-ladder"], [16, 32], family_names=["toy"])
    assert [(r["key"], r["model"], r["verdict"]) for r in table.rows] == [
        ("toy-linear", "and-ladder", "holds")
    ]
    assert table.verdict_text == "the AND ladder needs linearly many Toffolis: holds: and-ladder."


def test_unregistering_a_family():
    register_family("extra", "no.such.module")
    assert "extra" in FAMILIES
    unregister_family("extra")
    assert "extra" not in FAMILIES
    with pytest.raises(UnknownFamilyError, match="unknown model family 'extra'"):
        unregister_family("extra")


def test_claim_table_rejects_an_option_no_family_takes():
    with pytest.raises(ValueError, match="option 'bitz' is not allowed"):
        claim_table(["qrom"], [16], bitz=2)
