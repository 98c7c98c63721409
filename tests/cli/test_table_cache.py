"""A repeated table command renders its stored table: the same bytes as computing it.

Two sources per output: the command computed (empty private cache, `tests/cli/conftest.py`)
and the same command rendered from the entry that run stored, with the computation made
impossible (no `emit_table` recording may start, so nothing can be computed). Sizes include
N = 2^1000, whose exact digits must come back from the cache unchanged.
"""

import json

import pytest

from qlaci_cost.cli import main, table_cache
from qlaci_cost.core import cache

HUGE = "16,2^1000"
COMMANDS = [
    ["qlaci", "--n", HUGE, "--models", "qrom,ideal", "--format", "csv"],
    ["qlaci", "--n", HUGE, "--models", "qrom", "--level", "block", "--format", "json"],
    ["qlaci", "--n", "16", "--batch", "1,4", "--qram", "qrom", "--format", "md"],
    ["qlam", "--n", HUGE, "--readout", "final,weak", "--format", "json"],
    ["table", "qram", "--n", HUGE, "--models", "qrom,select-swap", "--format", "latex"],
    ["table", "qlaci", "--n", HUGE, "--models", "ideal", "--precision", "rel:0.1"],
    ["table", "multi-query", "--n", "16,1024", "--models", "qrom", "--format", "json"],
    ["table", "qlam", "--n", HUGE, "--models", "final,time-pooled", "--format", "csv"],
    ["estimate", "--n", "16,2^20", "--qram", "qrom", "--format", "json"],
    ["estimate", "--n", "16", "--qram", "ideal", "--level", "query", "--format", "csv"],
    ["breakeven", "--n", "2^20", "--qram", "ideal", "--knob", "reaction_time_us", "--quiet"],
    ["train", "--family", "qlam", "--task", "smnist", "--format", "json"],
]


def _run(capsys, argv):
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def _entries(path):
    return sorted(path.glob(f"{table_cache.KIND}-*.json"))


def _no_computation(monkeypatch):
    def compute(record):
        raise AssertionError("the command ran although its table is stored")

    monkeypatch.setattr(table_cache.cli_args, "recording", compute)


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_repeated_command_renders_the_same_bytes_from_the_cache(argv, capsys, monkeypatch):
    cold = _run(capsys, argv)
    assert cold[0] == 0, cold[2]
    with monkeypatch.context() as patch:
        _no_computation(patch)
        warm = _run(capsys, argv)
    assert warm == cold


def test_huge_numbers_come_back_exact(capsys, private_cache):
    argv = ["table", "qlaci", "--n", "2^1000", "--models", "qrom", "--format", "json"]
    cold = _run(capsys, argv)
    (entry,) = _entries(private_cache)
    rows = table_cache._decode(json.loads(entry.read_text())["value"]["rows"])
    assert rows[0]["N"] == 2**1000 and type(rows[0]["total_toffoli"]) is int
    assert str(rows[0]["total_toffoli"]) in cold[1]  # exact digits (a JSON string)
    assert _run(capsys, argv) == cold


def test_the_key_is_every_argument_but_the_output_file(capsys, private_cache, tmp_path):
    argv = ["table", "qram", "--n", "16", "--models", "qrom"]
    _run(capsys, argv)
    _run(capsys, [*argv, "--format", "csv"])  # another format: another table
    _run(capsys, [*argv, "--t-per-toffoli", "7"])
    assert len(_entries(private_cache)) == 3
    out = tmp_path / "t.md"
    assert _run(capsys, [*argv, "--out", str(out)])[0] == 0  # replayed into the file
    assert len(_entries(private_cache)) == 3
    assert out.read_text() == _run(capsys, argv)[1]


def test_what_is_not_stored(capsys, private_cache, monkeypatch):
    assert _run(capsys, ["qlaci", "--n", "16", "--models", "nope"])[0] == 2  # bad input
    assert _run(capsys, ["qlaci", "--symbolic", "--models", "ideal"])[0] == 0  # sympy values
    assert _entries(private_cache) == []
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    assert _run(capsys, ["table", "qram", "--n", "16", "--models", "qrom"])[0] == 0
    assert _entries(private_cache) == []


def test_a_corrupt_entry_is_computed_again(capsys, private_cache):
    argv = ["table", "qram", "--n", "16", "--models", "qrom", "--format", "csv"]
    cold = _run(capsys, argv)
    (entry,) = _entries(private_cache)
    doc = json.loads(entry.read_text())
    doc["value"]["rows"][0]["dict"][1][1] = 17  # N changed: the checksum no longer matches
    entry.write_text(json.dumps(doc))
    assert _run(capsys, argv) == cold
    entry.write_text("{not json")
    assert _run(capsys, argv) == cold


def test_codec_keeps_types():
    from decimal import Decimal
    from fractions import Fraction

    import sympy

    value = {"a": [1, 2**1000, -3.5, Fraction(2, 3), Decimal("0.10"), (1, "x"), None, True]}
    value["b"] = [sympy.Rational(1, 100), sympy.Integer(7)]
    back = table_cache._decode(json.loads(json.dumps(table_cache._encode(value))))
    assert back == value
    for k in value:
        assert [type(v) for v in back[k]] == [type(v) for v in value[k]]
    with pytest.raises(table_cache._Unsupported):
        table_cache._encode({"a": object()})
    with pytest.raises(table_cache._Unsupported):
        table_cache._encode(sympy.Symbol("N"))
