"""Every subcommand x every family and model x every output format x {one size, a sparse grid,
the top of the grid}: each call exits 0 and its output parses with its format's reader.

Axes. Sizes: one size (16; verify 2), sparse grids (16,1024,2^20 and 2^4,2^40; verify 2,8) and
the top of the grid (2^40, and the grid's maximum 2^1024 = `grids.MAX_SIZE_BITS`; verify:
N = 256 for every check, 1024 for the superposition checks alone). Formats: csv (read by
`pandas.read_csv` with its defaults; the notes on stderr, every line `# `), json
(`json.loads`), md and latex (non-empty, with the table's header). Families and models: the
QRAM models (`qram`, `qlaci`, `plot`, `report` name them all in every call; `estimate` takes
one per call), QLACI's levels and its multi-query and global-token variants, QLAM's readout
protocols and memory sizes, the surface-code presets, `table` over every registered family
(all of its models), verify's checks of every family and models of each.

Coverage. The full product of the axes is too slow for the default run (one surface-code
estimate takes up to ~0.5 s, a report ~5 s), so each command's calls are a pairwise covering
array (`pairwise`): every pair of values of any two of its axes appears in at least one call,
hence every value of every axis too. `qram` runs its full product (it is fast).

N = 2^1024 reaches a surface-code estimate (estimate, plot, report) like every other size.
The calls share one warm private cache (this module's `private_cache`) and the in-process
caches of the library: the matrix takes about a minute on one core.
"""

import io
import itertools
import json

import pandas
import pytest

from qlaci_cost import cli
from qlaci_cost.core.family import FAMILIES, family
from qlaci_cost.qram import MODELS

ONE = "16"
SPARSE = ("16,1024,2^20", "2^4,2^40")
TOP = ("2^40", "2^1024")
SIZES = (ONE, *SPARSE, *TOP)
FORMATS = ("csv", "md", "latex", "json")


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("warm-cache")


@pytest.fixture(autouse=True)
def private_cache(warm_cache, monkeypatch):
    """One private disk cache for the whole module (warm after the first call)."""
    monkeypatch.setenv("QLACI_COST_CACHE_DIR", str(warm_cache))
    monkeypatch.delenv("QLACI_COST_NO_CACHE", raising=False)
    return warm_cache


def pairwise(axes: dict) -> list[dict]:
    """A covering array: rows (one value per axis) such that every pair of values of any two
    axes is in some row. Greedy and deterministic: each new row starts from the first
    uncovered pair and fills the other axes, in order, with the value covering most uncovered
    pairs with the values chosen so far."""
    names = list(axes)

    def pair(a, x, b, y):  # oriented as the axes are ordered
        return ((a, x), (b, y)) if names.index(a) < names.index(b) else ((b, y), (a, x))

    uncovered = {
        pair(a, x, b, y)
        for a, b in itertools.combinations(names, 2)
        for x in axes[a]
        for y in axes[b]
    }
    rows = []
    while uncovered:
        (a, x), (b, y) = min(uncovered, key=lambda p: (names.index(p[0][0]), repr(p)))
        row = {a: x, b: y}
        for name in names:
            if name not in row:
                values = list(axes[name])
                row[name] = max(
                    values,
                    key=lambda v, n=name: (
                        sum(pair(m, row[m], n, v) in uncovered for m in row),
                        -values.index(v),
                    ),
                )
        rows.append({n: row[n] for n in names})
        uncovered -= {pair(p, row[p], q, row[q]) for p, q in itertools.combinations(names, 2)}
    return rows


def test_pairwise_covers_every_pair():
    axes = {"a": [1, 2, 3], "b": ["x", "y"], "c": [True, False], "d": [0, 1, 2, 3]}
    rows = pairwise(axes)
    for p, q in itertools.combinations(axes, 2):
        assert {(r[p], r[q]) for r in rows} == set(itertools.product(axes[p], axes[q]))
    assert len(rows) < len(list(itertools.product(*axes.values())))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def check_table(fmt: str, out: str, err: str, first: str, rows: int | None = None) -> None:
    """`out` parses with the reader of `fmt` and holds `rows` rows (when given) whose first
    column is `first`; csv notes are on stderr as `# ` lines."""
    if fmt == "csv":
        frame = pandas.read_csv(io.StringIO(out))
        assert list(frame.columns)[0] == first and "N" in frame.columns
        assert len(frame) == rows if rows is not None else len(frame) >= 1
        assert all(line.startswith("# ") for line in err.splitlines()), err
    elif fmt == "json":
        doc = json.loads(out)
        assert doc["columns"][0] == first and doc["rows"]
        assert len(doc["rows"]) == rows if rows is not None else True
    elif fmt == "md":
        head, rule = out.splitlines()[:2]
        assert head.startswith(f"| {first} | N |") and rule.startswith("|---")
    else:
        assert "\\begin{tabular}" in out and "\\end{tabular}" in out
        assert f"\n{first} & N &" in out


def sizes_of(grid: str) -> int:
    return len(grid.split(","))


# --- qram: the full product -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("grid", [*SIZES, "symbolic"])
def test_qram(capsys, grid, fmt):
    shape = ["--symbolic"] if grid == "symbolic" else ["--n", grid]
    status, out, err = run(capsys, "qram", *shape, "--format", fmt)
    assert status == 0, err
    rows = len(MODELS) * (1 if grid == "symbolic" else sizes_of(grid))
    check_table(fmt, out, err, "model", rows)


# --- qlaci: levels, multi-query and global tokens ---------------------------------------------

QLACI_VARIANTS = {
    "head": [],
    "query": ["--level", "query"],
    "block": ["--level", "block", "--heads", "2"],
    "batch": ["--batch", "1,4,16"],
    "pooled-qram-loader": ["--batch", "4", "--pooled", "--loader", "qram", "--level", "query"],
    "global-tokens": ["--global-tokens", "16", "--window", "256"],
    "amplitude-estimation": ["--amplitude-estimation", "--processors", "8"],
    "grouped-clt": ["--method", "clt", "--grouped", "--n-out", "2", "--observables", "ZI,IZ"],
}
#: Symbolic rows are derived per model (and B): two models keep them fast; every model is in
#: the numeric calls.
SYMBOLIC_MODELS = ["--qram", "qrom,ideal"]


@pytest.mark.parametrize(
    "case",
    pairwise({"variant": list(QLACI_VARIANTS), "grid": [*SIZES, "symbolic"], "fmt": FORMATS}),
    ids=lambda c: f"{c['variant']}-{c['grid']}-{c['fmt']}",
)
def test_qlaci(capsys, case):
    variant, grid, fmt = case["variant"], case["grid"], case["fmt"]
    if grid == "symbolic" and variant in ("global-tokens", "amplitude-estimation"):
        grid = ONE  # no symbolic form (global tokens) / a numeric AE grid: one size instead
    shape = ["--symbolic", *SYMBOLIC_MODELS] if grid == "symbolic" else ["--n", grid]
    status, out, err = run(capsys, "qlaci", *shape, *QLACI_VARIANTS[variant], "--format", fmt)
    assert status == 0, err
    check_table(fmt, out, err, "model")


# --- qlam: readout protocols and memory sizes -------------------------------------------------

QLAM_READOUTS = {
    "final": ["--readout", "final"],
    "every-step": ["--readout", "every-step", "--union", "all"],
    "weak": ["--readout", "weak", "--theta", "pi/8"],
    "amplitude-estimation": ["--readout", "final,every-step", "--amplitude-estimation"],
    "all": ["--readout", "all", "--method", "clt"],
}
#: 8 (the default), 100 (closed forms in m), 10^9 (nothing of size m is built).
QLAM_MEMORY = ("8", "100", "1000000000")


@pytest.mark.parametrize(
    "case",
    pairwise(
        {
            "readout": list(QLAM_READOUTS),
            "grid": [*SIZES, "symbolic"],
            "fmt": FORMATS,
            "m": QLAM_MEMORY,
            "entangler": ("ladder", "brick", "ring"),
        }
    ),
    ids=lambda c: "-".join(str(v) for v in c.values()),
)
def test_qlam(capsys, case):
    grid = case["grid"]
    if grid == "symbolic" and case["readout"] == "amplitude-estimation":
        grid = ONE  # amplitude estimation needs numeric delta shares
    shape = ["--symbolic"] if grid == "symbolic" else ["--n", grid]
    argv = [*QLAM_READOUTS[case["readout"]], "--memory-qubits", case["m"]]
    argv += ["--entangler", case["entangler"], "--format", case["fmt"]]
    status, out, err = run(capsys, "qlam", *shape, *argv)
    assert status == 0, err
    check_table(case["fmt"], out, err, "protocol")


# --- table: every registered family -----------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    pairwise({"family": list(FAMILIES), "grid": SIZES, "fmt": FORMATS}),
    ids=lambda c: "-".join(c.values()),
)
def test_table(capsys, case):
    argv = ["table", case["family"], "--n", case["grid"], "--format", case["fmt"]]
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    check_table(case["fmt"], out, err, family(case["family"]).COLUMNS[0])


# --- estimate: surface-code models, levels, every QRAM model ----------------------------------

PHYSICAL_MODELS = (
    "gidney-fowler", "gidney-fowler-optimistic", "beverland", "beverland-optimistic",
    "microsoft-like",
)  # fmt: skip


def _as_cases(cases: list[dict]) -> list:
    """The cases as they are: N = 2^1024 reaches a surface-code estimate like any N (the
    physical layer answers counts of any size)."""
    return [c for c in cases]


@pytest.mark.parametrize(
    "case",
    _as_cases(
        pairwise(
            {
                "model": list(MODELS),
                "physical": PHYSICAL_MODELS,
                "grid": SIZES,
                "fmt": FORMATS,
                "level": ("head", "query"),
            }
        )
    ),
    ids=lambda c: "-".join(c.values()),
)
def test_estimate(capsys, case):
    argv = ["--n", case["grid"], "--qram", case["model"], "--level", case["level"]]
    argv += ["--physical-model", case["physical"], "--format", case["fmt"]]
    status, out, err = run(capsys, "estimate", *argv)
    assert status == 0, err
    check_table(case["fmt"], out, err, "model", sizes_of(case["grid"]))


@pytest.mark.parametrize("grid", [ONE, SPARSE[1], TOP[0]])
def test_estimate_frontier(capsys, grid):
    argv = ["estimate", "--n", grid, "--qram", "qrom,ideal", "--level", "query", "--frontier"]
    status, out, err = run(capsys, *argv, "--format", "csv")
    assert status == 0, err
    check_table("csv", out, err, "model")


# --- plot and report: figures of every model --------------------------------------------------


@pytest.mark.parametrize(
    "case",
    _as_cases(
        pairwise(
            {
                "what": ("qram", "head", "crossover"),
                "grid": (ONE, SPARSE[0], *TOP),
                "figure": ("png", "pdf", "svg"),
            }
        )
    ),
    ids=lambda c: "-".join(c.values()),
)
def test_plot(capsys, tmp_path, case):
    argv = ["plot", "--what", case["what"], "--n", case["grid"], "--formats", case["figure"]]
    status, out, err = run(capsys, *argv, "--out", tmp_path / "figures")
    assert status == 0, err
    files = [line for line in out.splitlines() if not line.startswith("# ")]
    assert files and all(f.endswith("." + case["figure"]) for f in files)
    assert all((tmp_path / "figures" / f.rsplit("/", 1)[-1]).stat().st_size > 0 for f in files)


@pytest.mark.parametrize(
    "grid, figure",
    [
        (ONE, "svg"),
        (SPARSE[0], "png"),
        (TOP[0], "pdf"),
        (TOP[1], "svg"),
    ],
)
def test_report(capsys, tmp_path, grid, figure):
    """A report of one circuit QRAM and the assumed oracle (every section runs; every model
    is in the other commands' calls)."""
    out_dir = tmp_path / "report"
    argv = ["report", "--n", grid, "--models", "qrom,ideal", "--formats", figure]
    status, out, err = run(capsys, *argv, "--out", out_dir, "--quiet")
    assert status == 0, err
    assert (out_dir / "index.md").read_text().startswith("# ")
    frame = pandas.read_csv(out_dir / "qram_table.csv")
    assert len(frame) == 2 * sizes_of(grid)
    assert any(p.suffix == "." + figure for p in (out_dir / "figures").iterdir())


# --- verify: the checks of every family -------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["--n", "2", "--models", "qrom", "--checks", "classical,counts"],
        ["--n", "2,8", "--models", "ideal,fanout", "--checks", "superposition"],
        ["--n", "256", "--models", "ideal"],  # the top of the grid, every check
        ["--n", "1024", "--models", "ideal", "--checks", "superposition"],  # its sparse top
        # too wide for a state vector at N = 4: the sparse average, skipped batch branches
        [
            "--n",
            "4",
            "--models",
            "bucket-brigade-parallel",
            "--checks",
            "qlaci-average,batch-branches,batch-sampling",
        ],
        ["--n", "2", "--checks", "qlam-counts,qlam-state,qlam-executions"],  # QLAM
        ["--n", "2", "--models", "final,weak", "--checks", "qlam-state"],  # QLAM's own models
    ],  # fmt: skip
    ids=["one", "sparse", "top", "top-sparse", "too-wide", "qlam", "qlam-models"],
)
def test_verify(capsys, argv):
    status, out, err = run(capsys, "verify", *argv)
    assert status == 0, out
    last = out.splitlines()[-1]
    assert last.startswith("verify: ") and " 0 failed" in last
    assert int(last.split()[1]) >= 1  # something passed
    if "bucket-brigade-parallel" in argv:
        assert "qubits to simulate" in out and "SKIP batch-branches" in out
