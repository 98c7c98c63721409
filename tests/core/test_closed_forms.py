"""Closed forms from the disk cache give every family's table exactly as a derivation does.

Two sources per row: each family's `rows` hook with the cache disabled (`QLACI_COST_NO_CACHE`,
every closed form derived with Qualtran and sympy in this process) and the same hook reading the
closed forms back from a warm cache (the derivation made impossible, so a row can only come
from the stored source). Sizes: a small grid and N = 2^1000, where every value must stay an
exact int.
"""

import json

import pytest

from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.core import cache
from qlaci_cost.core.closed_forms import cached_compiled, cached_summary, key_of
from qlaci_cost.core.family import families
from qlaci_cost.qlam import protocols
from qlaci_cost.qram import table as qram_table
from qlaci_cost.symbolics import compile as compile_module

SIZES = [16, 2**20, 2**1000]
#: Each family's models: a few, so that a cold derivation stays quick.
MODELS = {"qram": ["qrom", "select-swap", "ideal"], "qlaci": ["qrom", "ideal"]}
MODELS |= {"multi-query": ["qrom"], "qlam": ["final", "every-step", "weak"]}


def _rows(fam):
    table = fam.rows(SIZES, MODELS.get(fam.NAME, list(fam.models())), Scenario())
    return table.rows, table.notes


def _no_derivation(monkeypatch):
    def derive(*args, **kwargs):
        raise AssertionError("a closed form was derived although the cache holds it")

    monkeypatch.setattr(compile_module, "compile_exact", derive)
    monkeypatch.setattr(protocols, "cost_summary", derive)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch, forget_closed_forms):
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    return tmp_path


@pytest.mark.parametrize("name", ["qram", "qlaci", "multi-query", "qlam"])
def test_rows_from_the_cache_equal_derived_rows(name, cache_dir, monkeypatch, forget_closed_forms):
    (fam,) = [f for f in families() if f.NAME == name]
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    derived = _rows(fam)
    monkeypatch.delenv(cache.NO_CACHE_ENV)
    forget_closed_forms()
    assert _rows(fam) == derived  # cold: derived, then stored
    assert any(cache_dir.iterdir())
    forget_closed_forms()
    with monkeypatch.context() as patch:
        _no_derivation(patch)
        warm = _rows(fam)
    assert warm == derived
    huge = [r for r in warm[0] if r["N"] == 2**1000]
    numbers = [v for r in huge for v in r.values() if type(v) not in (str, bool)]
    assert numbers and all(type(v) is int for v in numbers)  # exact at N = 2^1000


def _exprs():
    import sympy

    n, b = sympy.symbols("N b", positive=True, integer=True)
    # b / 2 is not an int at odd b: the stored source cannot give it, the derivation can.
    return [n * b + 3, sympy.log(n) / sympy.log(2), b / 2, sympy.Max(n, 2 * b)]


def test_stored_source_falls_back_where_it_cannot_give_an_exact_int(cache_dir):
    key = {"test": "fallback"}
    cold = cached_compiled("test-compiled", key, _exprs, lambda: ["a note"])
    warm = cached_compiled("test-compiled", key, _exprs, lambda: ["a note"])
    assert type(warm).__name__ == "_Stored" and warm.extra == cold.extra == ["a note"]
    for n, bits in [(16, 4), (16, 3), (2**1000, 7)]:
        assert warm(n, bits) == cold(n, bits)
        assert [type(v) for v in warm(n, bits)] == [type(v) for v in cold(n, bits)]
    assert warm(16, 3)[2] == compile_module.compile_exact(_exprs())(16, 3)[2]


def test_a_corrupt_entry_is_a_miss_and_is_stored_again(cache_dir):
    key = {"test": "corrupt"}
    cached_compiled("test-compiled", key, _exprs)
    (path,) = cache_dir.glob("test-compiled-*.json")
    doc = json.loads(path.read_text())
    doc["value"]["source"] = "def _fast(N, b):\n    return (1,)\n"  # checksum now wrong
    path.write_text(json.dumps(doc))
    again = cached_compiled("test-compiled", key, _exprs)
    assert type(again).__name__ != "_Stored"  # derived, not the tampered source
    assert again(16, 4)[0] == 16 * 4 + 3
    assert type(cached_compiled("test-compiled", key, _exprs)).__name__ == "_Stored"


def test_an_unwritable_cache_never_fails(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(blocked / "cache"))
    assert cached_compiled("test-compiled", {"test": "x"}, _exprs)(16, 4)[0] == 67


def test_keys_name_only_what_the_fingerprint_covers():
    class Outside:  # a model class registered at run time (this module is not the package)
        pass

    assert key_of(Outside, model="m") is None
    assert key_of(object(), model="m") is None or key_of(None, thing=object()) is None
    assert key_of(None, thing=object()) is None  # a repr with a memory address
    assert key_of(qram_table.model_class("qrom"), model="qrom")["class"].startswith("qlaci_cost.")


def test_a_symbolic_summary_is_derived_every_time(cache_dir):
    import sympy

    from qlaci_cost.core.summary import CostSummary

    n = sympy.Symbol("N", positive=True)
    summary = CostSummary(*([n] * 9))
    assert (
        cached_summary("test-summary", {"k": "1"}, lambda: summary, summary.conventions) is summary
    )
    assert not list(cache_dir.glob("test-summary-*"))
