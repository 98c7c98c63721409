"""Bad input, huge N, --out, file modes, defaults and flag spellings (each item reproduced)."""

import json
import math
import os
import stat

import numpy as np
import pytest
import sympy

from qlaci_cost import InputError, cost_summary
from qlaci_cost.analysis.shots import clt_shots, hoeffding_shots
from qlaci_cost.cli import args as cli_args
from qlaci_cost.cli import main
from qlaci_cost.core.grids import GridError
from qlaci_cost.output.files import file_hash, publish
from qlaci_cost.qlaci.crossover import DEFAULT_PRECISION
from qlaci_cost.qram import QRAMSizeError, UnknownModelError, build, build_symbolic

N, B = sympy.symbols("N b", positive=True, integer=True)
ARGV = ["qram", "--n", "16", "--models", "ideal"]


def run(argv, capsys):
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("qlaci-cost: error: "), err
    assert "Traceback" not in err
    return lines[0]


def test_error_types_share_one_base():
    for cls in (GridError, QRAMSizeError, UnknownModelError, cli_args.CLIError):
        assert issubclass(cls, InputError) and issubclass(cls, ValueError)


# --- API edge ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, named",
    [
        (lambda: cost_summary(None), "bloq=None"),
        (lambda: cost_summary("qrom"), "bloq='qrom'"),
        (lambda: build("qrom", [1.5, 2.7]), "1.5"),
        (lambda: build("qrom", [2**70]), str(2**70)),
        (lambda: build("qrom", 5), "data=5"),
        (lambda: build("qrom", ["3", "x"]), "'3'"),
        (lambda: build("qrom", np.array([0.5, 1.0])), "float64"),
        (lambda: build("ideal", [1, 2], c=-1), "c=-1"),
        (lambda: build("ideal", [1, 2], k=0.5), "k=0.5"),
        (lambda: build("qrom", [1, 2], colour=3), "'colour'"),
        (lambda: build("nope", [1, 2]), "'nope'"),
        (lambda: build_symbolic("qrom", 0, 8), "N=0"),
    ],
)
def test_api_bad_input_names_the_value(call, named):
    with pytest.raises(InputError) as info:
        call()
    assert named in str(info.value)
    assert "\n" not in str(info.value)


def test_build_words_stay_exact():
    """1.5 is refused, never truncated; numpy integer arrays are fine."""
    assert build("qrom", np.array([1, 2, 3])).data == (1, 2, 3, 0)
    assert build("bucket-brigade", [2**70, 1]).bits == 71  # no 64-bit arrays: any width


@pytest.fixture(scope="module")
def qrom_summary():
    return cost_summary(build_symbolic("qrom", N, B))


@pytest.mark.parametrize(
    "values, named",
    [
        ({"N": 0}, "N=0"),
        ({"N": -4, "b": 8}, "N=-4"),
        ({"M": 5}, "'M'"),
        ({"N": 1024.0, "b": 8}, "N=1024.0"),  # used to hang > 100 s
        ({"N": 16, "b": 2.5}, "b=2.5"),
        ({"N": True}, "N=True"),
        ({"N": "16"}, "N='16'"),
        ({"N": sympy.Rational(1, 2)}, "N=1/2"),
        ("N=16", "'N=16'"),
    ],
)
def test_subs_rejects(qrom_summary, values, named):
    with pytest.raises(InputError) as info:
        qrom_summary.subs(values)
    assert named in str(info.value)


def test_subs_pads_like_build_symbolic(qrom_summary):
    padded = qrom_summary.subs({"N": 3, "b": 8})
    direct = cost_summary(build_symbolic("qrom", 3, 8))
    assert padded.metrics() == direct.metrics()
    assert "N=3 padded to the next power of two, N=4" in padded.notes
    exact = qrom_summary.subs({N: 2**200, "b": np.int64(8)})
    assert exact.toffoli == 2**200 - 2 and type(exact.toffoli) is int


def test_shots_exact_at_huge_n():
    """The ceiling of a shot count decides its digits without a float (N = 2^510, 2^1024)."""
    for n in (2**510, 2**1024):
        eps = sympy.Rational(1, 10) / n
        m = hoeffding_shots(eps)
        assert type(m) is int
        # Hoeffding, outcomes in [-1, 1]: M = ceil(2 ln(2/delta) / eps^2), delta = 0.05
        bound = 2 * sympy.log(40) / eps**2
        digits = len(str(m)) + 30
        assert sympy.N(bound - (m - 1), digits) > 0 and sympy.N(m - bound, digits) >= 0
        assert type(clt_shots(eps)) is int


# --- CLI: --out, files ------------------------------------------------------------------------


def test_out_dash_is_stdout(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, _ = run([*ARGV, "--format", "csv", "--out", "-"], capsys)
    assert status == 0 and out.startswith("model,N,")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("path", ["", " ", ".", "..", "/", "/proc/nope/t.csv", "nodir/t.csv"])
def test_bad_out_paths_named_before_any_work(capsys, tmp_path, monkeypatch, path):
    monkeypatch.chdir(tmp_path)
    status, out, err = run([*ARGV, "--out", path], capsys)
    assert status == 2 and out == ""
    assert f"--out: {path!r}" in one_error_line(err)
    assert os.listdir(tmp_path) == []


def test_unwritable_out_names_the_path(capsys, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    target = locked / "t.csv"
    target.write_text("keep")
    target.chmod(0o444)
    locked.chmod(0o555)
    try:
        if os.access(target, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        status, _, err = run([*ARGV, "--out", str(target)], capsys)
        assert status == 2 and repr(str(target)) in one_error_line(err)
        assert target.read_text() == "keep"
    finally:
        locked.chmod(0o755)


def test_new_files_follow_the_umask_and_existing_keep_their_mode(capsys, tmp_path):
    old = os.umask(0o022)
    try:
        new = tmp_path / "new.csv"
        assert run([*ARGV, "--out", str(new)], capsys)[0] == 0
        assert stat.S_IMODE(new.stat().st_mode) == 0o644
        os.umask(0o077)
        kept = tmp_path / "kept.csv"
        kept.write_text("old")
        kept.chmod(0o664)
        assert run([*ARGV, "--out", str(kept)], capsys)[0] == 0
        assert stat.S_IMODE(kept.stat().st_mode) == 0o664 and kept.read_text() != "old"
    finally:
        os.umask(old)


# --- CLI: --out of report and plot (a folder), refused before any work -----------------------

REPORT = ["report", "--n", "16,32", "--models", "ideal", "--formats", "svg", "--quiet"]
PLOT = ["plot", "--what", "qram", "--n", "16", "--models", "ideal", "--formats", "svg"]


def _state(root):
    """Every entry under `root` (symlinks not followed): a file's SHA-256 and mode, a
    folder's mode, a link's target. Equal before and after: nothing written, nothing changed."""
    out = {}
    for folder, dirs, names in os.walk(root):
        for name in dirs + names:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                entry = ("link", os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                entry = ("dir", stat.S_IMODE(st.st_mode))
            else:
                entry = (file_hash(path), stat.S_IMODE(st.st_mode))
            out[os.path.relpath(path, root)] = entry
    return out


def _ours(tmp_path, files):
    """A folder `rep` that a report run wrote (manifest included), holding `files`."""
    build = tmp_path / "build"
    for rel, text in files.items():
        (build / rel).parent.mkdir(parents=True, exist_ok=True)
        (build / rel).write_text(text)
    publish(build, tmp_path / "rep")


def _dangling(tmp_path):
    os.symlink("missing", tmp_path / "rep")


def _user_file_of_our_name(tmp_path):
    _ours(tmp_path, {"index.md": "# qlaci-cost report\n"})
    (tmp_path / "rep" / "noise.csv").write_text("my table\n")
    os.chmod(tmp_path / "rep" / "noise.csv", 0o444)


def _user_figure_of_our_name(tmp_path):
    _ours(tmp_path, {"index.md": "# qlaci-cost report\n", "figures/head_vs_classical.png": "p"})
    (tmp_path / "rep" / "figures" / "qram_toffoli.svg").write_text("<svg>mine</svg>")


def _edited_file_of_ours(tmp_path):
    _ours(tmp_path, {"index.md": "# qlaci-cost report\n", "claims.csv": "key\n"})
    (tmp_path / "rep" / "claims.csv").write_text("key\nmy edit\n")
    os.chmod(tmp_path / "rep" / "claims.csv", 0o400)


def _earlier_report(tmp_path):
    rep = tmp_path / "rep"
    (rep / "figures").mkdir(parents=True)
    (rep / "index.md").write_text("# qlaci-cost report\n\nmy notes in it\n")
    (rep / "qram_table.csv").write_text("model,N\nmine,1\n")
    (rep / "figures" / "qram_toffoli.png").write_bytes(b"png")
    os.chmod(rep / "qram_table.csv", 0o444)


#: (case, command, --out, setup, text the error line holds).
OUT_CASES = [
    ("report-empty", REPORT, "", None, "--out '' is not allowed"),
    ("report-blank", REPORT, " ", None, "--out ' ' is not allowed"),
    ("report-dash", REPORT, "-", None, "cannot be written to standard output"),
    ("plot-dash", PLOT, "-", None, "cannot be written to standard output"),
    ("report-dangling-symlink", REPORT, "rep", _dangling, "'rep' is a symlink to 'missing'"),
    ("plot-dangling-symlink", PLOT, "rep", _dangling, "'rep' is a symlink to 'missing'"),
    ("report-user-file", REPORT, "rep", _user_file_of_our_name, "'noise.csv' exists and was not"),
    (
        "report-user-figure",
        REPORT,
        "rep",
        _user_figure_of_our_name,
        "'figures/qram_toffoli.svg' exists and was not",
    ),
    ("report-edited-file", REPORT, "rep", _edited_file_of_ours, "'claims.csv' was changed"),
    ("report-earlier-version", REPORT, "rep", _earlier_report, "earlier version"),
]


@pytest.mark.parametrize(
    "case, argv, out, setup, expected", OUT_CASES, ids=[c[0] for c in OUT_CASES]
)
def test_out_folder_refused_before_any_work(
    capsys, tmp_path, monkeypatch, case, argv, out, setup, expected
):
    """Exit 2, one line naming the problem, no traceback, no work done, and every file and
    mode under the working folder as it was (hashed before and after; as root too: nothing
    here relies on a permission error)."""
    import qlaci_cost.output.report as report_module
    import qlaci_cost.qram.table as table_module

    def never(*args, **kwargs):
        raise AssertionError("work started")

    monkeypatch.setattr(report_module, "qram_rows", never)
    monkeypatch.setattr(table_module, "qram_rows", never)
    monkeypatch.chdir(tmp_path)
    if setup:
        setup(tmp_path)
    before = _state(tmp_path)
    status, stdout, err = run([*argv, "--out", out], capsys)
    assert status == 2 and stdout == ""
    assert expected in one_error_line(err)
    assert _state(tmp_path) == before


def test_plot_replaces_a_read_only_figure_and_keeps_its_mode(tmp_path):
    """plot replaces files of the same name (its documented rule) but keeps their mode: its
    last step, moving the finished figures in, on a folder holding a read-only figure."""
    from qlaci_cost.cli.plot import _publish

    out, tmp = tmp_path / "figs", tmp_path / "tmp"
    out.mkdir()
    tmp.mkdir()
    (out / "qram_toffoli.svg").write_text("old")
    os.chmod(out / "qram_toffoli.svg", 0o444)
    (tmp / "qram_toffoli.svg").write_text("<svg>new</svg>")
    (tmp / "qram_depth.svg").write_text("<svg>depth</svg>")
    os.chmod(tmp / "qram_depth.svg", 0o640)
    written = _publish(str(tmp), str(out), ["qram_toffoli.svg", "qram_depth.svg"])
    assert written == [str(out / "qram_toffoli.svg"), str(out / "qram_depth.svg")]
    assert (out / "qram_toffoli.svg").read_text() == "<svg>new</svg>"
    assert stat.S_IMODE((out / "qram_toffoli.svg").stat().st_mode) == 0o444
    assert stat.S_IMODE((out / "qram_depth.svg").stat().st_mode) == 0o640
    assert not tmp.exists()


# --- CLI: defaults, spellings, JSON -----------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["qram", "--n", ""],
        ["qlaci", "--n", ""],
        ["estimate", "--n", ""],
        ["qlaci", "--precision", ""],
        ["estimate", "--precision", ""],
        ["plot", "--what", "qram", "--out", "x", "--precision", ""],
    ],
)
def test_empty_values_are_refused(capsys, argv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, _, err = run(argv, capsys)
    assert status == 2 and "''" in one_error_line(err)
    assert os.listdir(tmp_path) == []


def test_one_precision_default():
    assert cli_args.DEFAULT_PRECISION == DEFAULT_PRECISION == "abs:0.01"


@pytest.mark.parametrize("command", ["qlaci", "estimate", "plot"])
def test_every_command_states_the_default(capsys, command):
    assert main([command, "--help"]) == 0
    assert "default abs:0.01" in capsys.readouterr().out


def test_old_bits_spelling_works_with_a_notice(capsys):
    new = run([*ARGV, "--word-bits", "3", "--format", "json"], capsys)
    old = run([*ARGV, "--bits", "3", "--format", "json"], capsys)
    assert new[:2] == old[:2] and new[0] == 0
    assert "--bits is the old spelling of --word-bits" in old[2]
    both = run([*ARGV, "--bits", "3", "--word-bits", "3"], capsys)
    assert both[0] == 2 and "--word-bits" in one_error_line(both[2])
    q = ["qlaci", "--n", "16", "--qram", "qrom", "--format", "json"]
    assert run([*q, "--bits", "3"], capsys)[1] == run([*q, "--component-bits", "3"], capsys)[1]


def test_json_big_integers_are_strings(capsys):
    status, out, _ = run(
        ["qram", "--n", "2^40,2^60", "--models", "qrom", "--format", "json"], capsys
    )
    doc = json.loads(out)
    assert "2^53" in doc["number_format"]
    small, large = doc["rows"]
    assert small["toffoli"] == 2**40 - 2 and type(small["toffoli"]) is int
    assert large["toffoli"] == str(2**60 - 2)
    assert large["N"] == str(2**60)


def test_verify_lists_every_check_kind(capsys):
    from qlaci_cost.core.family import SELECTORS, families

    status, out, _ = run(["verify", "--checks", "list"], capsys)
    assert status == 0
    for kind in {*SELECTORS, *(k for f in families() for k in f.CHECK_KINDS)}:
        assert kind in out
    status, _, err = run(["verify", "--checks", "nope"], capsys)
    assert status == 2 and "qlaci-average" in one_error_line(err)


def test_verify_limit_is_in_help(capsys):
    from qlaci_cost.cli.verify import MAX_VERIFY_N

    assert main(["verify", "--help"]) == 0
    assert f"N <= {MAX_VERIFY_N}" in capsys.readouterr().out
    status, _, err = run(["verify", "--n", str(2 * MAX_VERIFY_N)], capsys)
    assert status == 2 and str(2 * MAX_VERIFY_N) in one_error_line(err)
    assert math.log2(MAX_VERIFY_N).is_integer()
