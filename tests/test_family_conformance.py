"""Every registered model family, and the toy family of `tests/toy_family`, meets the seam's
contract (`qlaci_cost.core.family`): each hook is called and its result checked, so a new
family is exercised by registering it.

Sizes are the smallest each hook takes and the checks the cheapest kind of each family
(`CHEAP_KIND`), so the suite runs in seconds; only the report (a full report run) is slow.
"""

import csv
import sys
import types

import pytest
from qualtran import Bloq

from qlaci_cost.analysis.claim_rules import VERDICTS
from qlaci_cost.analysis.scenario import DEFAULT_SCENARIO
from qlaci_cost.cli import main
from qlaci_cost.cli.verify import family_model_names
from qlaci_cost.core.family import (
    FAMILIES,
    HOOKS,
    Family,
    FamilyRows,
    IncompleteFamilyError,
    as_claims,
    family,
)
from qlaci_cost.core.verification import CheckResult
from qlaci_cost.errors import InputError
from qlaci_cost.output.report import planned_files, write_report
from qlaci_cost.verdicts.claims import claim_table

#: Registered families, then the toy family (registered by its fixture for each test).
NAMES = [*FAMILIES, "toy"]
#: The cheapest check kind of a family at N = 2 (measured; a family not named here runs its
#: first kind): qram's classical simulation (the selector `classical` runs no other
#: family's check on a QRAM model), qlaci's query counts (no simulation), multi-query's
#: sampling (one small state), QLAM's state (the m = 2..4 unitaries).
CHEAP_KIND = {
    "qram": "classical",
    "qlaci": "qlaci-counts",
    "multi-query": "batch-sampling",
    "qlam": "qlam-state",
}
CLAIM_KEYS = ("claim", "key", "model", "qram", "verdict", "evidence")


@pytest.fixture(params=NAMES)
def fam(request):
    if request.param == "toy":
        request.getfixturevalue("toy_family")
    return family(request.param)


def _cheap_kind(fam) -> str:
    return CHEAP_KIND.get(fam.NAME, fam.CHECK_KINDS[0])


def test_every_hook_is_defined_with_its_type(fam):
    assert isinstance(fam, Family)
    assert all(hasattr(fam, hook) for hook in HOOKS)
    assert FAMILIES[fam.NAME] == fam.__name__
    for text in (fam.TITLE, fam.ROW_UNIT):
        assert isinstance(text, str) and text.strip()
    for names in (fam.COLUMNS, fam.CHECK_KINDS, fam.OPTIONS):
        assert isinstance(names, tuple) and all(isinstance(n, str) and n for n in names)
        assert len(set(names)) == len(names)
    assert fam.COLUMNS and fam.CHECK_KINDS
    assert "N" in fam.COLUMNS  # the report's section and the table readers key rows by N
    assert isinstance(fam.REPORT_TABLE, bool)
    for hook in ("models", "symbolic", "rows", "checks", "claims"):
        assert callable(getattr(fam, hook))


def test_models_and_their_symbolic_bloqs(fam):
    models = fam.models()
    assert models and all(isinstance(m, str) and m for m in models)
    assert len(set(models)) == len(models)
    for model in models:
        bloq = fam.symbolic(model)
        assert isinstance(bloq, Bloq), model
        assert bloq.signature is not None


def test_rows_hold_every_column_in_order(fam):
    models = list(fam.models())
    table = fam.rows([16], models, DEFAULT_SCENARIO)
    assert isinstance(table, FamilyRows)
    assert table.rows and all(isinstance(note, str) for note in table.notes)
    columns = list(fam.COLUMNS)
    for row in table.rows:
        assert [k for k in row if k in fam.COLUMNS] == columns, row
        assert row["N"] == 16


def test_checks_give_results_of_its_own_kinds(fam):
    kind, model = _cheap_kind(fam), fam.models()[0]
    results = list(fam.checks([2], [model], (kind,), bits=2, seed=2024))
    assert results and all(isinstance(r, CheckResult) for r in results)
    assert {r.check for r in results} <= set(fam.CHECK_KINDS)
    assert all(r.ok for r in results), [r.line() for r in results if not r.ok]
    # a kind that is neither its own nor a selector runs nothing
    assert list(fam.checks([2], [model], ("no-such-kind",), bits=2, seed=2024)) == []


def test_verify_accepts_its_models_and_runs_its_checks(fam, capsys):
    assert set(fam.models()) <= set(family_model_names())
    model, kind = fam.models()[0], _cheap_kind(fam)
    status = main(["verify", "--n", "2", "--models", model, "--checks", kind])
    out, err = capsys.readouterr()
    assert status == 0, out + err
    lines = out.splitlines()
    assert any(line.startswith(f"PASS {kind}") for line in lines), out
    assert " 0 failed" in lines[-1]


def test_claims_rows_and_verdicts(fam):
    models = list(fam.models())[:1]
    direct = as_claims(fam.claims([16, 32], models, DEFAULT_SCENARIO))
    table = claim_table(models, [16, 32], DEFAULT_SCENARIO, family_names=[fam.NAME])
    assert table.rows == direct.rows  # claim_table adds nothing and drops nothing
    for row in table.rows:
        assert set(CLAIM_KEYS) <= set(row), row
        assert row["verdict"] in VERDICTS
        assert row["qram"] in ("circuit", "assumed oracle")
        assert isinstance(row["evidence"], str) and row["evidence"]


def test_an_option_outside_its_options_is_refused(fam):
    bogus = "no_such_option_of_any_family"
    assert bogus not in fam.OPTIONS
    with pytest.raises(InputError, match=bogus):
        claim_table(list(fam.models())[:1], [16], family_names=[fam.NAME], **{bogus: 1})


def test_report_plans_a_table_for_each_report_table_family(fam):
    stem = f"{fam.NAME.replace('-', '_')}_table"
    planned = planned_files(("png",))
    if fam.REPORT_TABLE:
        assert {f"{stem}.{ext}" for ext in ("csv", "notes.md", "tex", "json")} <= set(planned)


@pytest.mark.parametrize("hook", HOOKS)
def test_a_family_missing_a_hook_is_refused(toy_family, monkeypatch, hook):
    complete = family(toy_family)
    partial = types.ModuleType("toy_family_without_a_hook")
    for name in HOOKS:
        if name != hook:
            setattr(partial, name, getattr(complete, name))
    monkeypatch.setitem(sys.modules, partial.__name__, partial)
    monkeypatch.setitem(FAMILIES, "partial", partial.__name__)
    with pytest.raises(IncompleteFamilyError, match=rf"does not define {hook}:"):
        family("partial")


# --- the report: one run for every family -----------------------------------------------------


@pytest.fixture(scope="module")
def report(toy_family_for_module, tmp_path_factory):
    """A report on the smallest grid (N = 16, the assumed oracle, png) with the toy family."""
    out = tmp_path_factory.mktemp("report") / "report"
    write_report(out, [16], ("ideal",), formats=("png",), progress=None)
    return out


@pytest.mark.slow(reason="a full report run: about 10 s on one core, figures the most of it")
@pytest.mark.parametrize("name", NAMES)
def test_report_table_families_get_a_section(report, name):
    fam = family(name)
    if not fam.REPORT_TABLE:
        pytest.skip(f"{name}: the report's own sections cover it (REPORT_TABLE False)")
    stem = f"{name.replace('-', '_')}_table"
    index = (report / "index.md").read_text()
    assert f"## {fam.TITLE}" in index and f"({stem}.csv)" in index
    header = (report / f"{stem}.csv").read_text().splitlines()[0]
    assert header.split(",") == list(fam.COLUMNS)


@pytest.mark.slow(reason="a full report run: about 10 s on one core, figures the most of it")
def test_report_holds_the_toy_rows_and_claim(report):
    """The toy family's own table and claim in the report (tests/test_toy_family.py: its
    table, checks and claims elsewhere)."""
    fam = family("toy")
    with open(report / "toy_table.csv", newline="") as handle:
        written = list(csv.DictReader(handle))
    want = fam.rows([16], list(fam.models()), DEFAULT_SCENARIO).rows
    assert written == [{k: str(row[k]) for k in fam.COLUMNS} for row in want]
    with open(report / "claims.csv", newline="") as handle:
        claims = [row for row in csv.DictReader(handle) if row["model"] == "and-ladder"]
    assert [(r["claim"], r["verdict"]) for r in claims] == [
        ("the AND ladder needs linearly many Toffolis", "holds")
    ]
    index = (report / "index.md").read_text()
    assert "| the AND ladder needs linearly many Toffolis | ✓ |" in index
