"""The disk cache of QRAM closed forms: same rows as the derivation, and never a failure.

Two sources per number: `qram.table.qram_rows` (closed forms derived with sympy in this
process) and `qram.cached.cached_qram_rows` (the compiled source read back from disk).
"""

import json
import os
import subprocess
import sys

import pytest

from qlaci_cost.cli import main
from qlaci_cost.core import cache
from qlaci_cost.core.conventions import Conventions
from qlaci_cost.qram import MODELS
from qlaci_cost.qram.cached import KIND, cached_qram_rows, store_entries
from qlaci_cost.qram.table import COLUMNS, qram_rows

DEFAULT = {"t_per_toffoli": 4, "rotation_model": "mixed-fallback", "eps": 1e-6}
SIZES = [1, 2, 3, 16, 1000, 2**20, 2**40 + 1, 2**200]
ARGV = ["qram", "--n", "3,16,2^20,2^64", "--format", "csv"]


def _conventions(options):
    options = dict(options)
    return Conventions.with_t_per_toffoli(options.pop("t_per_toffoli"), **options)


def _run(capsys, argv):
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    "options, bits",
    [
        (DEFAULT, 8),
        (DEFAULT, 1),
        ({"t_per_toffoli": 7, "rotation_model": "gridsynth", "eps": 1e-3}, 16),
    ],
)
def test_cached_rows_equal_derived_rows(options, bits):
    models = list(MODELS)
    assert cached_qram_rows(models, SIZES, bits, options) is None  # empty cache: a miss
    store_entries(models, options)
    cached = cached_qram_rows(models, SIZES, bits, options)
    assert cached is not None
    derived = qram_rows(models, SIZES, bits, _conventions(options))
    assert cached.rows == derived.rows
    assert all(type(r[m]) is int for r in cached.rows for m in COLUMNS[3:])
    assert cached.notes == derived.notes
    assert cached.columns == COLUMNS
    conv = _conventions(options)
    assert cached.conventions.describe() == conv.describe()
    assert cached.conventions.as_dict() == conv.as_dict()


def test_values_the_runtime_cannot_give_exactly_fall_back():
    """qroam-clean at b = 13 takes log2 of a number that is not a power of two: its compiled
    source defers to sympy, so the cached path declines the table rather than guess."""
    store_entries(["qroam-clean", "qrom"], DEFAULT)
    assert cached_qram_rows(["qroam-clean"], [16], 13, DEFAULT) is None
    cached = cached_qram_rows(["qrom"], [16, 2**70], 13, DEFAULT)
    assert cached.rows == qram_rows(["qrom"], [16, 2**70], 13).rows


def test_cli_cached_and_uncached_output_identical(capsys, private_cache, forget_closed_forms):
    first = _run(capsys, ARGV)  # derives, fills the cache (the in-process caches emptied)
    kinds = [p.name.rsplit("-", 1)[0] for p in private_cache.iterdir()]
    assert sorted(kinds) == sorted(["qram-closed-forms", "qram-compiled"] * len(MODELS))
    second = _run(capsys, ARGV)  # from the cache
    assert first == second and first[0] == 0
    for fmt in ("md", "json", "latex"):
        argv = ["qram", "--n", "2^4..2^40", "--models", "qrom,ideal", "--format", fmt]
        warm = _run(capsys, argv)
        os.environ["QLACI_COST_NO_CACHE"] = "1"
        try:
            cold = _run(capsys, argv)
        finally:
            del os.environ["QLACI_COST_NO_CACHE"]
        assert warm == cold


def test_corrupt_entries_are_misses(capsys, private_cache):
    reference = _run(capsys, ARGV)
    for i, path in enumerate(sorted(private_cache.iterdir())):
        text = path.read_text()
        if i % 3 == 0:
            path.write_text(text[: len(text) // 2])  # truncated
        elif i % 3 == 1:  # valid JSON, a changed number in the source: the checksum fails
            doc = json.loads(text)
            doc["value"]["source"] = doc["value"]["source"].replace("1", "2")
            path.write_text(json.dumps(doc))
        else:
            path.write_bytes(b"\xff\x00 not json")
    assert _run(capsys, ARGV) == reference
    models = list(MODELS)
    assert cached_qram_rows(models, [16], 8, DEFAULT) is not None  # rewritten by that run


def test_unwritable_cache_never_fails(capsys, tmp_path, monkeypatch):
    """A cache directory that cannot be created by anyone, root included (how CI runs): its
    parent, or the path itself, is a regular file, so mkdir fails whatever the permissions.
    Writing reports False, the run prints what an uncached run prints, and nothing is created
    or changed."""
    reference = _run(capsys, ARGV)
    file_in_the_way = tmp_path / "file"
    file_in_the_way.write_text("not a directory")
    for path in (file_in_the_way / "sub", file_in_the_way):
        monkeypatch.setenv("QLACI_COST_CACHE_DIR", str(path))
        assert cache.store(KIND, {"probe": 1}, [1]) is False
        assert cache.load(KIND, {"probe": 1}) is None
        assert _run(capsys, ARGV) == reference
        assert file_in_the_way.read_text() == "not a directory"
        assert list(tmp_path.iterdir()) == [file_in_the_way]


def test_stale_entries_are_misses(monkeypatch):
    models = ["qrom"]
    store_entries(models, DEFAULT)
    assert cached_qram_rows(models, [16], 8, DEFAULT) is not None
    stale = {**cache._code_fingerprint(), "source": "other source"}
    monkeypatch.setattr(cache, "_code_fingerprint", lambda: stale)
    assert cached_qram_rows(models, [16], 8, DEFAULT) is None
    assert cached_qram_rows(models, [16], 8, {**DEFAULT, "eps": 1e-3}) is None  # other key


def test_no_cache_env_reads_and_writes_nothing(capsys, private_cache, monkeypatch):
    monkeypatch.setenv("QLACI_COST_NO_CACHE", "1")
    assert _run(capsys, ARGV)[0] == 0
    assert list(private_cache.iterdir()) == []
    assert cache.load(KIND, {"model": "qrom"}) is None
    assert cache.store(KIND, {"model": "qrom"}, {"x": 1}) is False


def test_warm_table_imports_neither_sympy_nor_qualtran(private_cache, tmp_path):
    """What makes the warm command fast: the cached path needs no sympy, Qualtran or Cirq."""
    code = (
        "import sys; from qlaci_cost.cli import main; status = main(sys.argv[1:]); "
        "heavy = sorted(m for m in ('sympy', 'qualtran', 'cirq') if m in sys.modules); "
        "sys.stderr.write(f'HEAVY={heavy}\\n'); sys.exit(status)"
    )
    env = {**os.environ, "QLACI_COST_CACHE_DIR": str(private_cache)}
    argv = [sys.executable, "-c", code, "qram", "--n", "2^4..2^40", "--format", "csv"]
    first = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=tmp_path)
    second = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert first.returncode == second.returncode == 0
    assert "HEAVY=[]" in second.stderr
    assert first.stdout == second.stdout
    help_ = [sys.executable, "-c", code, "qram", "--help"]
    done = subprocess.run(help_, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "HEAVY=[]" in done.stderr


def test_the_fingerprint_covers_the_scripts_the_explorer_embeds(monkeypatch):
    """explorer.html embeds output/explorer_*.js: a changed script is other code."""
    with_scripts = cache._code_fingerprint.__wrapped__()
    monkeypatch.setattr(cache, "_SOURCE_SUFFIXES", (".py",))
    without = cache._code_fingerprint.__wrapped__()
    assert with_scripts["source"] != without["source"]
    assert {k: v for k, v in with_scripts.items() if k != "source"} == {
        k: v for k, v in without.items() if k != "source"
    }


#: Bad inputs that every command checks before it imports Qualtran, Cirq or sympy (an input that
#: only the scenario, a family or a model can judge is checked after those imports).
CHEAP_REJECTIONS = [
    ["qram", "--n", "0"],
    ["qlaci", "--n", "0"],
    ["qlaci", "--n", "16", "--qram", "nope"],
    ["qlaci", "--n", "16", "--d-q", "0"],
    ["qlam", "--n", "0"],
    ["qlam", "--n", "4", "--memory-qubits", "0"],
    ["estimate", "--n", "16", "--qram", "nope"],
    ["breakeven", "--n", "0"],
    ["report", "--n", "0"],
    ["report", "--formats", "gif"],
    ["verify", "--n", "0"],
    ["verify", "--word-bits", "99"],
    ["plot", "--n", "0"],
    ["table", "--n", "0"],
    ["explore", "--n", "two"],
]


def test_bad_input_is_rejected_before_the_heavy_imports(private_cache, tmp_path):
    """A mistyped value costs a fraction of a second, not the 4-8 s of importing Qualtran and
    Cirq: every call below exits 2 with one line, and the process never imported them."""
    code = (
        "import json, sys; from qlaci_cost.cli import main\n"
        "for argv in json.loads(sys.argv[1]):\n"
        "    status = main(argv)\n"
        "    heavy = sorted(m for m in ('sympy', 'qualtran', 'cirq') if m in sys.modules)\n"
        "    print(json.dumps([argv, status, heavy]))\n"
    )
    env = {**os.environ, "QLACI_COST_CACHE_DIR": str(private_cache)}
    argv = [sys.executable, "-c", code, json.dumps(CHEAP_REJECTIONS)]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r[0] for r in results] == CHEAP_REJECTIONS
    assert [(r[0], r[1], r[2]) for r in results] == [(a, 2, []) for a in CHEAP_REJECTIONS]
    errors = done.stderr.strip().splitlines()
    assert len(errors) == len(CHEAP_REJECTIONS)
    assert all(line.startswith("qlaci-cost: error: ") for line in errors)
    assert list(tmp_path.iterdir()) == []  # no partial file
