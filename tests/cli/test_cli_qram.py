"""The QRAM table (`qram_rows`) and the `qlaci-cost` command line (`qram`, `verify`)."""

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time

import pytest
import sympy

from qlaci_cost import cli
from qlaci_cost.core.conventions import Conventions
from qlaci_cost.core.summary import METRICS, cost_summary, evaluate
from qlaci_cost.core.verification import CheckResult
from qlaci_cost.qram import MODELS, QRAMSizeError, UnknownModelError, build_symbolic, model_class
from qlaci_cost.qram.ideal import ASSUMPTION_NOTE
from qlaci_cost.qram.table import COLUMNS, compile_exact, qram_rows

EXPECTED_COLUMNS = [
    "model",
    "N",
    "bits",
    "qubits",
    "toffoli",
    "t_count",
    "clifford",
    "rotations",
    "measurements",
    "toffoli_depth",
    "t_depth",
    "depth",
]
N, b = sympy.symbols("N b", positive=True, integer=True)


def _missing(model: str) -> str | None:
    """Why the model is not in the package yet (its module or class is absent), else None."""
    try:
        model_class(model)
    except ModuleNotFoundError as err:
        if err.name and err.name.startswith("qlaci_cost.qram."):
            return f"module {err.name} is not in the package yet"
        raise
    except AttributeError as err:
        if "qlaci_cost.qram." in str(err):
            return f"class not in the package yet ({err})"
        raise
    return None


def _model_or_skip(model: str) -> type:
    """The model class, or a skip when the model is not in the package yet."""
    reason = _missing(model)
    if reason:
        pytest.skip(f"{model}: {reason}")
    return model_class(model)


def _ideal_row(n: int, bits: int, t_per_toffoli: int = 4) -> dict:
    """The ideal model's assumption, written out independently: c (log2 N)^k with c = k = 1."""
    log2n = n.bit_length() - 1
    assert 1 << log2n == n
    return {
        "model": "ideal",
        "N": n,
        "bits": bits,
        "qubits": log2n + bits,
        "toffoli": log2n,
        "t_count": t_per_toffoli * log2n,
        "clifford": 0,
        "rotations": 0,
        "measurements": 0,
        "toffoli_depth": log2n,
        "t_depth": log2n,
        "depth": log2n,
    }


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _csv_rows(text: str) -> list[dict]:
    assert not text.startswith("#")  # plain CSV: the header first, notes on stderr
    return list(csv.DictReader(io.StringIO(text)))


# --- qram_rows --------------------------------------------------------------------------------


def test_columns_exact():
    assert list(COLUMNS) == EXPECTED_COLUMNS
    table = qram_rows(["ideal"], [16, 1000], 8)
    assert all(list(row) == EXPECTED_COLUMNS for row in table.rows)


def test_ideal_equals_closed_form():
    sizes = [2**k for k in (1, 4, 10, 20, 40, 64, 200)]
    table = qram_rows(["ideal"], sizes, 8)
    assert table.rows == [_ideal_row(n, 8) for n in sizes]
    assert ASSUMPTION_NOTE in table.notes
    table7 = qram_rows(["ideal"], sizes, 3, Conventions.with_t_per_toffoli(7))
    assert table7.rows == [_ideal_row(n, 3, 7) for n in sizes]


def test_padding_note_and_padded_row():
    table = qram_rows(["ideal"], [1000, 1024, 1, 3], 8)
    assert [r["N"] for r in table.rows] == [1024, 1024, 2, 4]
    assert "N=1000 padded to the next power of two, N=1024" in table.notes
    assert "N=3 padded to the next power of two, N=4" in table.notes
    assert not any("N=1024 padded" in note for note in table.notes)
    assert table.rows[0] == _ideal_row(1024, 8)


@pytest.mark.parametrize("model", MODELS)
def test_huge_n_equals_symbolic_expression(model):
    """2^64 and 2^200: exact ints equal to the symbolic expression evaluated by sympy."""
    _model_or_skip(model)
    sizes = [2**64, 2**200]
    table = qram_rows([model], sizes, 8)
    # independent: a fresh symbolic summary (not the table's cache), evaluated by sympy subs
    summary = cost_summary(build_symbolic(model, N, b))
    for row, n in zip(table.rows, sizes):
        assert row["N"] == n
        for m in METRICS:
            assert type(row[m]) is int, (model, m, row[m])
            assert row[m] == evaluate(getattr(summary, m), {N: n, b: 8}), (model, n, m)


@pytest.mark.parametrize("model", MODELS)
def test_small_n_equals_concrete_closed_form(model):
    """Symbolic-then-evaluated rows equal the model's closed form built at an integer N."""
    _model_or_skip(model)
    sizes, bits = [2, 4, 16, 1024], 3
    table = qram_rows([model], sizes, bits)
    for row, n in zip(table.rows, sizes):
        concrete = cost_summary(build_symbolic(model, n, bits))
        assert {m: row[m] for m in METRICS} == concrete.metrics(), (model, n)


@pytest.mark.parametrize("model", MODELS)
def test_symbolic_rows(model):
    _model_or_skip(model)
    table = qram_rows([model], [], None, symbolic=True)
    (row,) = table.rows
    assert list(row) == EXPECTED_COLUMNS
    assert row["N"] == N and row["bits"] == b
    summary = cost_summary(build_symbolic(model, N, b))
    (row8,) = qram_rows([model], [], 8, symbolic=True).rows
    assert row8["bits"] == 8 and row8["N"] == N
    for m in METRICS:
        want = getattr(summary, m)
        assert sympy.expand(sympy.sympify(row[m]) - want) == 0, m
        # with bits given, b is substituted: equal to the full expression at every N, b = 8
        assert sympy.sympify(row8[m]).free_symbols <= {N}
        for n in (2, 2**7, 2**64):
            assert evaluate(row8[m], {N: n}) == evaluate(want, {N: n, b: 8}), (m, n)


def test_ideal_symbolic_closed_form():
    (row,) = qram_rows(["ideal"], [], None, symbolic=True).rows
    assert sympy.simplify(row["qubits"] - (sympy.log(N, 2) + b)) == 0
    assert sympy.simplify(row["t_count"] - 4 * sympy.log(N, 2)) == 0


def test_bounds_are_noted():
    for model in filter(_importable, MODELS):
        cls = model_class(model)
        bounds = getattr(cls, "BOUNDS", frozenset())
        notes = qram_rows([model], [16], 2).notes
        for metric in bounds:
            assert any(model in note and metric in note and "upper bound" in note for note in notes)


def test_rows_are_flat_in_n():
    qram_rows(["ideal"], [16], 8)  # derivation cached
    t0 = time.perf_counter()
    table = qram_rows(["ideal"], [2**k for k in range(4, 1001)], 8)
    assert time.perf_counter() - t0 < 1.0
    assert table.rows[-1] == _ideal_row(2**1000, 8)


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        (dict(models=["qram9"], sizes=[16], bits=8), UnknownModelError, "'qram9'"),
        (dict(models=["ideal"], sizes=[16], bits=0), QRAMSizeError, "bits=0"),
        (dict(models=["ideal"], sizes=[0], bits=8), QRAMSizeError, "N=0"),
    ],
)
def test_qram_rows_errors(kwargs, error, text):
    with pytest.raises(error, match=text):
        qram_rows(**kwargs)


# --- compile_exact: the fast evaluator against sympy's substitution ---------------------------

_K = sympy.Max(0, sympy.ceiling(sympy.log(N, 2) / 2 - sympy.log(b, 2) / 2 - sympy.Rational(1, 2)))
# Integer-valued at every N = 2^k and b = 2^j: the fast path gives them without sympy.
INTEGRAL = [
    3 * N * b + N + b - 1,
    N * (sympy.log(N, 2) + 1) / 2,  # a rational coefficient, integral at N = 2^k
    3 * N / 2 + N * b,
    4 * sympy.log(N, 2) + 2 * sympy.ceiling(sympy.log(b, 2)) + 5,
    sympy.floor(sympy.log(b, 2)) + sympy.Max(N, b) - sympy.Min(N, 2 * b),
    sympy.ceiling(N / 3) + sympy.floor((N + 1) / 3) + sympy.floor(N * b / 7),
    2 * N / 2**_K + 16 * _K - 4,  # a SelectSwap-like block count
    b * (2**_K + 1) + 2 * sympy.log(N, 2) - _K,
    sympy.log(N, 2) ** 2 + N**2 - 2 ** sympy.log(N, 2) + sympy.Mod(N, 3),
    sympy.Integer(0),
    7,
]
EXPRESSIONS = INTEGRAL + [
    N / 3,  # not an integer: the rational from sympy
    sympy.sqrt(N),  # irrational at odd log2 N: must fall back, not round
    sympy.floor(sympy.sqrt(N * b)),
    sympy.log(N),  # a natural log, not log2
]


@pytest.mark.parametrize("bits", [1, 5, 8])
@pytest.mark.parametrize("n", [2, 8, 16, 2**64, 2**200 + 0])
def test_compile_exact_matches_evaluate(n, bits):
    values = compile_exact(EXPRESSIONS)(n, bits)
    for expr, got in zip(EXPRESSIONS, values):
        want = evaluate(expr, {"N": n, "b": bits})
        assert got == want, (expr, n, bits)
        assert type(got) is type(want) or isinstance(got, sympy.Basic), (expr, got, want)


def test_compile_exact_fast_path_needs_no_sympy(monkeypatch):
    import qlaci_cost.qram.table

    values = compile_exact(INTEGRAL)

    def no_sympy(*args):
        raise AssertionError("fell back to sympy evaluation")

    want = [[evaluate(e, {"N": n, "b": bits}) for e in INTEGRAL] for n, bits in [(2**10, 8)]]
    monkeypatch.setattr(qlaci_cost.qram.table, "evaluate", no_sympy)
    # b a power of two: log2 b is an integer (for other b, log2 b is irrational and a
    # ceiling of it combined with other terms is left to sympy)
    for n, bits in [(2, 1), (2**10, 8), (2**10, 2), (2**200, 4)]:
        got = values(n, bits)
        assert all(type(v) is int for v in got), got
    assert list(values(2**10, 8)) == want[0]


# --- qlaci-cost qram --------------------------------------------------------------------------


def test_cli_csv(capsys):
    code, out, err = _run(
        capsys, "qram", "--n", "16,1024,2^20", "--models", "ideal", "--format", "csv"
    )
    assert code == 0 and err.startswith("# Conventions: ")
    assert all(line.startswith("# ") for line in err.splitlines())
    rows = _csv_rows(out)
    assert list(rows[0]) == EXPECTED_COLUMNS
    want = [_ideal_row(n, 8) for n in (16, 1024, 2**20)]
    assert rows == [{k: str(v) for k, v in r.items()} for r in want]


def test_cli_defaults(capsys):
    code, out, _ = _run(capsys, "qram", "--models", "ideal")
    assert code == 0
    body = [line for line in out.splitlines() if line.startswith("| ideal |")]
    assert len(body) == 17  # 2^4..2^20
    assert body[0] == "| ideal | 16 | 8 | 12 | 4 | 16 | 0 | 0 | 0 | 4 | 4 | 4 |"
    assert "Conventions: 4 T per Toffoli-class gate" in out
    assert ASSUMPTION_NOTE in out


def test_cli_json_huge_exact(capsys):
    models = [m for m in MODELS if _importable(m)]
    code, out, _ = _run(
        capsys, "qram", "--n", "2^64,2^200", "--format", "json", "--models", ",".join(models)
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["columns"] == EXPECTED_COLUMNS
    assert doc["conventions"]["t_per_toffoli"] == 4
    assert ASSUMPTION_NOTE in doc["notes"]
    assert [r["model"] for r in doc["rows"]] == [m for m in models for _ in range(2)]
    for row in doc["rows"]:
        summary = cost_summary(build_symbolic(row["model"], N, b))
        for m in METRICS:
            want = evaluate(getattr(summary, m), {N: int(row["N"]), b: 8})
            # integers beyond 2^53 are JSON strings of their digits (doc["number_format"])
            assert row[m] == (str(want) if abs(want) > 2**53 else want), (row["model"], m)
    ideal = [r for r in doc["rows"] if r["model"] == "ideal"]
    as_json = lambda row: {k: str(v) if type(v) is int and v > 2**53 else v for k, v in row.items()}  # noqa: E731
    assert ideal == [as_json(_ideal_row(2**64, 8)), as_json(_ideal_row(2**200, 8))]


def _importable(model: str) -> bool:
    return _missing(model) is None


@pytest.mark.parametrize("fmt", ["csv", "md", "latex", "json"])
def test_cli_padding_note(capsys, fmt):
    code, out, err = _run(capsys, "qram", "--n", "1000", "--models", "ideal", "--format", fmt)
    assert code == 0
    out = out + err if fmt == "csv" else out
    assert "N=1000 padded to the next power of two, N=1024" in out
    assert "Conventions: " in out


def test_cli_conventions_options(capsys):
    argv = ["qram", "--n", "2^10", "--models", "ideal", "--format", "json"]
    code, out, _ = _run(capsys, *argv, "--t-per-toffoli", "7", "--eps", "1e-3")
    assert code == 0
    doc = json.loads(out)
    assert doc["rows"] == [_ideal_row(1024, 8, 7)]
    assert doc["conventions"]["toffoli_construction"] == "selinger-7t"
    assert doc["conventions"]["rotation_eps"] == "0.001"
    code, out, _ = _run(capsys, *argv, "--rotation-model", "gridsynth")
    assert json.loads(out)["conventions"]["rotation_model"] == "gridsynth"


def test_cli_symbolic(capsys):
    code, out, _ = _run(capsys, "qram", "--symbolic", "--models", "ideal", "--format", "json")
    assert code == 0
    (row,) = json.loads(out)["rows"]
    assert row["N"] == "N" and row["bits"] == "b"
    assert row["toffoli"] == "log2(N)"
    assert row["qubits"] in ("b + log2(N)", "log2(N) + b")
    code, out, _ = _run(capsys, "qram", "--symbolic", "--models", "ideal", "--format", "latex")
    assert r"\begin{tabular}" in out and r"$\log_2 N$" in out


def test_cli_out_file(capsys, tmp_path):
    path = tmp_path / "t.csv"
    code, out, err = _run(
        capsys, "qram", "--n", "16", "--models", "ideal", "--format", "csv", "--out", str(path)
    )
    assert (code, out) == (0, "") and err.startswith("# Conventions: ")
    _, stdout_text, err2 = _run(capsys, "qram", "--n", "16", "--models", "ideal", "--format", "csv")
    assert path.read_text() == stdout_text and err2 == err
    assert os.listdir(tmp_path) == ["t.csv"]


BAD = [
    (["qram", "--n", "3.5"], "'3.5'", "integers >= 1"),
    (["qram", "--n", "0"], "'0'", "integers >= 1"),
    (["qram", "--n=-4"], "'-4'", "integers >= 1"),
    (["qram", "--n", "2^20..2^4"], "'2^20..2^4'", "smaller size to the larger"),
    (["qram", "--n", "1..2^1024"], "'1..2^1024'", "at most 1000"),
    (["qram", "--n", "16,,32"], "'16,,32'", "empty item"),
    (["qram", "--word-bits", "0"], "'0'", "integer >= 1"),
    (["qram", "--bits", "0"], "'0'", "integer >= 1"),
    (["qram", "--bits", "2.5"], "'2.5'", "integer >= 1"),
    (["qram", "--models", "ideal,qram9"], "'qram9'", "choose from bucket-brigade"),
    (["qram", "--format", "xml"], "'xml'", "choose from 'csv', 'md', 'latex', 'json'"),
    (["qram", "--eps", "0"], "'0'", "(0, 1)"),
    (["qram", "--eps", "1"], "'1'", "(0, 1)"),
    (["qram", "--eps", "nan"], "'nan'", "(0, 1)"),
    (["qram", "--eps", "tiny"], "'tiny'", "(0, 1)"),
    (["qram", "--t-per-toffoli", "5"], "5", "choose from 4, 7"),
    (["qram", "--rotation-model", "magic"], "'magic'", "choose from 'mixed-fallback'"),
    (["qram", "--symbolic", "--n", "16"], "'16'", "--symbolic"),
    (["qram", "--bogus"], "--bogus", "--help"),
    (["frobnicate"], "'frobnicate'", "choose from 'qram', 'verify'"),
    ([], "command is required", "qram, verify"),
    (["verify", "--checks", "classical,magic"], "'magic'", "classical, superposition, counts"),
    (["verify", "--n", "2^20"], "1048576", "<= 256"),
    (["verify", "--n", "512"], "512", "<= 256"),
    (["verify", "--word-bits", "-1"], "'-1'", "integer >= 1"),
]


@pytest.mark.parametrize("argv, quoted, allowed", BAD)
def test_cli_bad_input(capsys, argv, quoted, allowed):
    code, out, err = _run(capsys, *argv)
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("qlaci-cost: error: ")
    assert quoted in lines[0] and allowed in lines[0]
    assert "Traceback" not in err


def test_cli_bad_input_leaves_no_file(capsys, tmp_path):
    path = tmp_path / "t.json"
    code, _, err = _run(capsys, "qram", "--n", "3.5", "--format", "json", "--out", str(path))
    assert code == 2 and len(err.splitlines()) == 1
    assert os.listdir(tmp_path) == []
    # an existing file is left untouched by a failed run
    path.write_text("keep")
    code, _, _ = _run(capsys, "qram", "--models", "qram9", "--out", str(path))
    assert code == 2 and path.read_text() == "keep"
    assert os.listdir(tmp_path) == ["t.json"]


def test_cli_failure_after_parsing_leaves_no_file(capsys, tmp_path, monkeypatch):
    import qlaci_cost.output.tables

    def broken(*args, **kwargs):
        raise ValueError("rendering failed")

    monkeypatch.setattr(qlaci_cost.output.tables, "render", broken)
    path = tmp_path / "t.md"
    code, out, err = _run(capsys, "qram", "--n", "16", "--models", "ideal", "--out", str(path))
    assert code == 2 and out == ""
    assert err == "qlaci-cost: error: rendering failed\n"
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("target", ["dir", "missing/x.csv", ""])
def test_cli_bad_out_path(capsys, tmp_path, target):
    (tmp_path / "dir").mkdir()
    out_path = str(tmp_path / target) if target else ""
    code, out, err = _run(capsys, "qram", "--n", "16", "--models", "ideal", "--out", out_path)
    assert code == 2 and out == ""
    assert err.startswith("qlaci-cost: error: --out: ") and len(err.splitlines()) == 1
    assert sorted(os.listdir(tmp_path)) == ["dir"] and os.listdir(tmp_path / "dir") == []


def test_cli_help(capsys):
    code, out, _ = _run(capsys, "qram", "--help")
    assert code == 0
    assert "'# '" in out and "2^4..2^20" in out
    code, out, _ = _run(capsys, "--help")
    assert code == 0 and "qram" in out and "verify" in out


def test_cli_registry(capsys, monkeypatch):
    def add_parser(subparsers):
        p = subparsers.add_parser("hello", help="say hello")
        p.add_argument("--name", default="world")
        p.set_defaults(run=lambda args: print(f"hello {args.name}") or 0)

    registry = sys.modules["qlaci_cost.cli.main"]
    monkeypatch.setattr(registry, "COMMANDS", list(registry.COMMANDS))
    registry.register(add_parser)
    assert _run(capsys, "hello", "--name", "N")[:2] == (0, "hello N\n")


# --- qlaci-cost verify ------------------------------------------------------------------------


def test_cli_verify_ideal(capsys):
    code, out, err = _run(capsys, "verify", "--n", "2,3", "--models", "ideal")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "note: N=3 padded to the next power of two, N=4"
    assert sum(line.startswith("PASS classical") for line in lines) == 2
    assert sum(line.startswith("PASS superposition") for line in lines) == 2
    assert sum(line.startswith("SKIP counts") for line in lines) == 2
    # ideal has no circuit: its QRAM and QLACI count checks are skipped; the QLACI average and
    # head checks run on its matrix gate.
    assert sum(line.startswith("PASS qlaci-average") for line in lines) == 2
    assert sum(line.startswith("SKIP qlaci-counts") for line in lines) == 2
    # Multi-query family: branches and sampling at (N, B) = (2, 2), (4, 2), (4, 4) pass (B = 4
    # > N = 2 is no circuit: not listed); its count check skips the assumed oracle (3 results).
    assert sum(line.startswith("PASS batch-") for line in lines) == 6
    assert sum(line.startswith("SKIP batch-") for line in lines) == 3
    assert lines[-1] == "verify: 14 passed, 0 failed, 7 skipped"


def test_cli_verify_failure_exit_status(capsys, monkeypatch):
    import qlaci_cost.qlaci.verify
    import qlaci_cost.qram.verify

    def fake(models, sizes, bits, checks, seed=2024):
        yield CheckResult("classical", "ideal", 2, True, "fine")
        yield CheckResult("counts", "ideal", 2, False, "toffoli: closed form=3, decomposition=4")
        yield CheckResult("counts", "ideal", 4, True, "skipped", True)

    monkeypatch.setattr(qlaci_cost.qram.verify, "run_checks", fake)
    monkeypatch.setattr(qlaci_cost.qlaci.verify, "qlaci_checks", lambda *a: iter(()))
    import qlaci_cost.qlaci.multi_query.family

    monkeypatch.setattr(qlaci_cost.qlaci.multi_query.family, "batch_checks", lambda *a: iter(()))
    code, out, _ = _run(capsys, "verify", "--models", "ideal")
    assert code == 1
    assert "FAIL counts" in out and "toffoli: closed form=3, decomposition=4" in out
    assert out.splitlines()[-1] == "verify: 1 passed, 1 failed, 1 skipped"


@pytest.mark.parametrize("model", [m for m in MODELS if m != "ideal"])
def test_cli_verify_circuit_model(capsys, model):
    _model_or_skip(model)
    code, out, _ = _run(capsys, "verify", "--n", "2,4", "--models", model, "--checks", "classical")
    assert out.splitlines()[-1] == "verify: 2 passed, 0 failed, 0 skipped", out
    assert code == 0


# --- a real process ---------------------------------------------------------------------------


def _command() -> list[str]:
    exe = shutil.which("qlaci-cost")
    return [exe] if exe else [sys.executable, "-m", "qlaci_cost.cli"]


def test_subprocess(tmp_path):
    ok = subprocess.run(
        [*_command(), "qram", "--n", "16,2^200", "--models", "ideal", "--format", "csv"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stderr.startswith("# Conventions: ")
    assert _csv_rows(ok.stdout)[1]["toffoli"] == "200"
    out = tmp_path / "t.csv"
    bad = subprocess.run(
        [*_command(), "qram", "--n", "2^4..x", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and bad.stderr.startswith("qlaci-cost: error: --n: ")
    assert "'2^4..x'" in bad.stderr and "Traceback" not in bad.stderr
    assert not out.exists() and os.listdir(tmp_path) == []
