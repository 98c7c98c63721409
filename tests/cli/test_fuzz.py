"""Fuzzing the command line and the public API with malformed input (hypothesis).

Each kind below is one way an argument can be wrong (a size, bits, a name, a precision, a
count of shots or processors, an error rate, a format, a path, unicode, a huge grid), thrown at
the subcommand(s) that take it. Every call must end with exit status 2, exactly one stderr line
`qlaci-cost: error: ...` naming the value, no traceback, nothing on stdout, and no file created
or changed. The CLI runs in-process (`main`) for speed; a few cases run as subprocesses. The
public API must raise `InputError` (our one exception type) naming the value.
"""

import contextlib
import io
import os
import subprocess
import sys

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qlaci_cost import InputError, cost_summary
from qlaci_cost.cli import main
from qlaci_cost.core.grids import GridError, parse_sizes
from qlaci_cost.errors import describe_value
from qlaci_cost.qlaci import QLACIQuery, QueryEncoding
from qlaci_cost.qram import build, build_symbolic

SETTINGS = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

#: A valid command line per subcommand; the bad option is appended (argparse: last one wins).
BASE = {
    "qram": ["qram", "--n=16", "--models=ideal"],
    "verify": ["verify", "--n=2", "--models=ideal", "--checks=classical"],
    "qlaci": ["qlaci", "--n=16", "--qram=ideal"],
    "estimate": ["estimate", "--n=16", "--qram=ideal"],
    "plot": ["plot", "--what=qram", "--n=16", "--models=ideal", "--out={tmp}/figures"],
    "report": ["report", "--n=16", "--models=ideal", "--out={tmp}/report", "--quiet"],
}
TABLES = ("qram", "qlaci", "estimate")
ALL = tuple(BASE)

ints = st.integers
letters = st.text(alphabet="abcxyzXQ_-!@", min_size=1, max_size=8)
nonpositive = ints(-(10**6), 0).map(str)
fractions = st.floats(0.01, 1e6).filter(lambda x: not x.is_integer()).map(repr)
unicode_digits = st.sampled_from(["١٦", "１６", "²", "⁴", "٣", "𝟙𝟞", "16\u200b", "ⅷ"])
blank = st.sampled_from(["", " ", "\t", "  "])

#: (kind, subcommands, option, strategy of bad values). Distinct kinds of malformed input.
KINDS = [
    ("size-empty", ("qram", "qlaci", "estimate", "plot", "report", "verify"), "--n", blank),
    ("size-nonpositive", ("qram", "qlaci", "estimate", "verify"), "--n", nonpositive),
    ("size-fraction", ("qram", "qlaci", "estimate", "plot", "report"), "--n", fractions),
    ("size-letters", ("qram", "qlaci", "estimate", "verify"), "--n", letters),
    ("size-exponent", ("qram", "qlaci"), "--n", st.sampled_from(["1e3", "2e10", "1E4"])),
    ("size-hex", ("qram", "estimate"), "--n", st.sampled_from(["0x10", "0b101", "0o17"])),
    ("size-unicode", ("qram", "qlaci", "estimate", "report"), "--n", unicode_digits),
    (
        "size-power-too-big",
        ("qram", "qlaci", "report"),
        "--n",
        ints(1025, 10**6).map(lambda k: f"2^{k}"),
    ),
    ("size-zero-base", ("qram",), "--n", ints(1, 50).map(lambda k: f"0^{k}")),
    ("size-negative-power", ("qram", "qlaci"), "--n", ints(1, 50).map(lambda k: f"2^-{k}")),
    (
        "size-reversed-range",
        ("qram", "qlaci", "plot"),
        "--n",
        ints(5, 40).map(lambda k: f"2^{k}..2^4"),
    ),
    (
        "size-huge-grid",
        ("qram", "qlaci", "estimate", "plot", "report"),
        "--n",
        st.sampled_from(["1..2^1024", "1..2^1001"]),
    ),
    (
        "size-empty-item",
        ("qram", "qlaci", "estimate"),
        "--n",
        st.sampled_from(["16,,32", "16,", ",16", ","]),
    ),
    (
        "size-bad-range",
        ("qram", "report"),
        "--n",
        st.sampled_from(["2^4..", "..2^4", "2^4...2^8", "2^4..x", "1..2..4"]),
    ),
    ("size-too-many-digits", ("qram",), "--n", ints(401, 800).map(lambda k: "9" * k)),
    ("size-verify-too-large", ("verify",), "--n", ints(9, 40).map(lambda k: f"2^{k}")),
    ("bits-nonpositive", ("qram", "verify", "plot", "report"), "--word-bits", nonpositive),
    ("bits-fraction", ("qram", "plot"), "--word-bits", fractions),
    ("bits-letters", ("qram", "verify", "report"), "--word-bits", letters),
    ("bits-unicode", ("qram", "report"), "--word-bits", unicode_digits),
    ("old-bits-bad", ("qram", "qlaci"), "--bits", st.one_of(nonpositive, letters)),
    (
        "component-bits-bad",
        ("qlaci",),
        "--component-bits",
        st.one_of(nonpositive, fractions, unicode_digits),
    ),
    (
        "model-unknown",
        ("qram", "qlaci", "estimate", "plot", "report", "verify"),
        "--models",
        st.sampled_from(["qrom2", "bucket_brigade", "QROM", "ideal,nope", "ideal;qrom"]),
    ),
    (
        "model-empty",
        ("qram", "qlaci", "estimate"),
        "--models",
        st.sampled_from(["", ",", " , ", "ideal,,qrom"]),
    ),
    (
        "model-unicode",
        ("qram", "verify"),
        "--models",
        st.sampled_from(["qröm", "idéal", "ﬁdeal", "идеал"]),
    ),
    ("precision-empty", ("qlaci", "estimate", "plot"), "--precision", blank),
    (
        "precision-out-of-range",
        ("qlaci", "estimate"),
        "--precision",
        st.sampled_from(["abs:0", "abs:1", "rel:2", "abs:-0.1", "rel:1.5", "abs:1e9"]),
    ),
    (
        "precision-not-number",
        ("qlaci", "estimate", "plot"),
        "--precision",
        st.sampled_from(["abs:nan", "abs:inf", "abs:x", "rel:", "abs:"]),
    ),
    (
        "precision-no-kind",
        ("qlaci", "estimate"),
        "--precision",
        st.sampled_from(["0.1", "x:0.1", "absolute:0.1", ":0.1"]),
    ),
    ("shots-bad", ("qlaci",), "--shots", st.one_of(nonpositive, fractions, letters)),
    (
        "processors-bad",
        ("qlaci",),
        "--processors",
        st.one_of(nonpositive, fractions, unicode_digits),
    ),
    ("counts-bad", ("qlaci",), "--d-q", st.one_of(nonpositive, letters)),
    ("layers-bad", ("qlaci",), "--layers", st.one_of(nonpositive, fractions)),
    ("heads-bad", ("qlaci",), "--heads", st.one_of(nonpositive, letters)),
    ("delta-bad", ("qlaci",), "--delta", st.sampled_from(["0", "1", "-0.5", "2", "x", "nan", ""])),
    ("observables-bad", ("qlaci",), "--observables", st.sampled_from(["Q", "Z,,X", "ZA", ""])),
    (
        "error-rate-bad",
        ("estimate", "plot"),
        "--error-rate",
        st.sampled_from(["0", "1", "-1e-3", "nan", "inf", "0.5", "x", ""]),
    ),
    ("cycle-time-bad", ("estimate",), "--cycle-time-us", st.sampled_from(["0", "-1", "nan", "x"])),
    ("error-budget-bad", ("estimate",), "--error-budget", st.sampled_from(["0", "1", "2", "x"])),
    (
        "eps-bad",
        ("qram", "qlaci", "estimate", "report"),
        "--eps",
        st.sampled_from(["0", "1", "-1e-6", "nan", "x", ""]),
    ),
    ("format-unknown", TABLES, "--format", st.sampled_from(["xml", "CSV", "", "md5"])),
    (
        "figure-formats-unknown",
        ("plot", "report"),
        "--formats",
        st.sampled_from(["gif", "png,", "", "jpeg"]),
    ),
    (
        "choice-unknown",
        ("qram", "qlaci"),
        "--rotation-model",
        st.sampled_from(["fast", "", "gridsynth2"]),
    ),
    ("t-per-toffoli-bad", TABLES, "--t-per-toffoli", st.sampled_from(["5", "x", "4.0", ""])),
    (
        "physical-model-unknown",
        ("estimate",),
        "--physical-model",
        st.sampled_from(["gidney", "", "beverland2"]),
    ),
    ("level-unknown", ("qlaci", "estimate"), "--level", st.sampled_from(["heads", "", "Query"])),
    ("method-unknown", ("qlaci", "estimate"), "--method", st.sampled_from(["monte-carlo", ""])),
    ("plot-what-unknown", ("plot",), "--what", st.sampled_from(["qrams", "", "head,"])),
    ("baselines-unknown", ("plot",), "--baselines", st.sampled_from(["gpt", ""])),
    ("checks-unknown", ("verify",), "--checks", st.sampled_from(["classic", "", "counts,"])),
    (
        "out-path-bad",
        TABLES,
        "--out",
        st.sampled_from(["", " ", ".", "..", "/", "{tmp}/missing/t.csv", "{tmp}"]),
    ),
    (
        "out-dir-bad",
        ("plot",),
        "--out",
        st.sampled_from(["", "{tmp}/missing/figures", "{tmp}/keep.txt", "-"]),
    ),
    (
        "out-folder-not-a-folder",
        ("report", "plot"),
        "--out",
        st.sampled_from(["", " ", "-", "{tmp}/keep.txt", "{tmp}/dangling"]),
    ),
]


def _capture(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


def _read(path):
    return ("link", os.readlink(path)) if os.path.islink(path) else open(path, "rb").read()


def _snapshot(root):
    return {
        os.path.relpath(os.path.join(d, f), root): _read(os.path.join(d, f))
        for d, _, files in os.walk(root)
        for f in files
    } | {
        os.path.relpath(os.path.join(d, x), root) + "/": b""
        for d, dirs, _ in os.walk(root)
        for x in dirs
    }


def _assert_rejected(argv, value, tmp):
    (tmp / "keep.txt").write_text("a file of the user's")
    if not (tmp / "dangling").is_symlink():
        (tmp / "dangling").symlink_to(tmp / "nowhere")
    before = _snapshot(tmp)
    cwd = os.getcwd()
    os.chdir(tmp)
    try:
        status, out, err = _capture(argv)
    finally:
        os.chdir(cwd)
    assert status == 2, (argv, status, err)
    assert out == "", argv
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("qlaci-cost: error: "), (argv, err)
    assert "Traceback" not in err
    items = [value, repr(value)] + [repr(i.strip()) for i in value.split(",") if i.strip()]
    assert any(i in lines[0] for i in items), (argv, lines[0])  # the value, or its bad item
    assert _snapshot(tmp) == before, argv


def test_there_are_at_least_40_kinds():
    assert len({k[0] for k in KINDS}) == len(KINDS) >= 40


@pytest.mark.parametrize("kind, commands, option, values", KINDS, ids=[k[0] for k in KINDS])
@SETTINGS
@given(data=st.data())
def test_cli_rejects(tmp_path_factory, kind, commands, option, values, data):
    tmp = tmp_path_factory.mktemp("fuzz")
    command = data.draw(st.sampled_from(commands), label="command")
    value = data.draw(values, label="value").replace("{tmp}", str(tmp))
    base = [a.replace("{tmp}", str(tmp)) for a in BASE[command]]
    _assert_rejected([*base, f"{option}={value}"], value, tmp)


@SETTINGS
@given(text=st.text(max_size=30))
def test_grid_parser_never_raises_anything_else(text):
    """Any text is a grid of exact ints >= 1 or a GridError naming it."""
    try:
        sizes = parse_sizes(text, "--n")
    except GridError as exc:
        assert str(exc).startswith("--n: ") and "\n" not in str(exc)
    else:
        assert sizes and all(type(n) is int and n >= 1 for n in sizes)


# --- public API ------------------------------------------------------------------------------

N, B = sympy.symbols("N b", positive=True, integer=True)
bad_words = st.one_of(
    st.floats(allow_nan=True).filter(lambda x: not float(x).is_integer() if x == x else True),
    st.text(max_size=4),
    ints(max_value=-1),
    st.none(),
    st.lists(ints(0, 3), min_size=1, max_size=2),
    st.just(True),
)
not_bloqs = st.one_of(
    st.none(), st.text(max_size=5), ints(), st.floats(), st.lists(ints(), max_size=2)
)


@SETTINGS
@given(
    word=bad_words, position=ints(0, 3), model=st.sampled_from(["qrom", "bucket-brigade", "ideal"])
)
def test_build_rejects_bad_words(word, position, model):
    data = [1, 2, 3]
    data.insert(position, word)
    with pytest.raises(InputError) as info:
        build(model, data)
    assert "data value" in str(info.value)


@SETTINGS
@given(
    angle=st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=3),
        st.booleans(),
        st.none(),
        st.integers(10**309, 10**400),
    )
)
def test_angles_are_finite_reals_or_an_input_error(angle):
    """An angle is taken when it is a finite real number, else refused naming it (NaN was
    accepted, then raised KeyError in a query; inf was accepted)."""
    if isinstance(angle, float) and np.isfinite(angle):
        assert QueryEncoding(1, angles=[angle]).angles == (angle,)
        return
    with pytest.raises(InputError) as info:
        QueryEncoding(1, angles=[angle])
    assert describe_value(angle)[:20] in str(info.value)


@SETTINGS
@given(word=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.booleans()))
def test_query_keys_are_never_truncated(word):
    """A key that is not an int (1.7, 2.0, nan, True) is refused; 1.7 was stored as 1."""
    with pytest.raises(InputError):
        QLACIQuery(4, d_q=1, bits=2, keys=[[word], [1], [2], [3]], values=[[0]] * 4)


@SETTINGS
@given(
    data=st.one_of(
        ints(),
        st.text(max_size=3),
        st.floats(),
        st.none(),
        st.dictionaries(ints(), ints(), max_size=2),
    )
)
def test_build_rejects_non_sequences(data):
    with pytest.raises(InputError):
        build("qrom", data)


@SETTINGS
@given(obj=not_bloqs)
def test_cost_summary_rejects_non_bloqs(obj):
    with pytest.raises(InputError) as info:
        cost_summary(obj)
    assert "bloq=" in str(info.value)


@SETTINGS
@given(
    n=st.one_of(
        ints(max_value=0),
        st.floats(0.5, 1e6).filter(lambda x: not x.is_integer()),
        st.text(max_size=3),
    )
)
def test_build_symbolic_rejects_bad_sizes(n):
    with pytest.raises(InputError):
        build_symbolic("qrom", n, 8)


@pytest.fixture(scope="module")
def summary():
    return cost_summary(build_symbolic("qrom", N, B))


@SETTINGS
@given(
    name=st.sampled_from(["N", "b"]),
    value=st.one_of(
        ints(max_value=0),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=3),
        st.just(True),
        st.just(np.float64(16.0)),
    ),
)
def test_subs_rejects_bad_sizes(summary, name, value):
    with pytest.raises(InputError) as info:
        summary.subs({name: value})
    assert f"{name}=" in str(info.value)


@SETTINGS
@given(name=st.text(min_size=1, max_size=4).filter(lambda s: s not in ("N", "b")))
def test_subs_rejects_unknown_symbols(summary, name):
    with pytest.raises(InputError) as info:
        summary.subs({name: 16})
    assert repr(name) in str(info.value)


# --- a few cases as whole processes -----------------------------------------------------------


@pytest.mark.parametrize(
    "argv, value",
    [
        (["qram", "--n=2^4..x"], "2^4..x"),
        (["qlaci", "--n=16", "--qram=ideal", "--precision="], "''"),
        (["estimate", "--n=16", "--qram=ideal", "--error-rate=-1e-3"], "-1e-3"),
        (["qram", "--n=١٦"], "١٦"),
    ],
)
def test_subprocess_rejects(tmp_path, argv, value):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "QLACI_COST_CACHE_DIR": str(tmp_path / "c")}
    done = subprocess.run(
        [sys.executable, "-m", "qlaci_cost", *argv, f"--out={tmp_path / 't.csv'}"],
        capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert value in done.stderr
    assert sorted(os.listdir(tmp_path)) in ([], ["c"])
