"""The `qlaci-cost estimate` and `qlaci-cost plot` subcommands."""

import csv
import io
import json
import math
import os
import subprocess
import sys
from fractions import Fraction

import pytest

from qlaci_cost import cli, physical
from qlaci_cost.analysis.classical import runtime_seconds
from qlaci_cost.core.conventions import Conventions
from qlaci_cost.core.summary import METRICS
from qlaci_cost.output import plots
from qlaci_cost.qlaci.table import qlaci_rows
from qlaci_cost.qram import MODELS

#: The CLI's one readout precision default (qlaci, estimate, plot, report).
PREC = "abs:0.01"

CONV = Conventions()


def run(argv, capsys):
    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def csv_rows(text: str) -> list[dict]:
    assert not text.startswith("#")  # plain CSV: the header first, notes on stderr
    return list(csv.DictReader(io.StringIO(text)))


def counts_from_table(row: dict, level: str) -> dict:
    """Logical counts of one query or one head, built from a `qlaci_rows` row by hand: the
    query's `shots` executions (and, for a head, its N queries) run one after another, so every
    count but the qubits is multiplied by shots (x N)."""
    runs = {"head": row["shots"] * row["N"], "query": row["shots"], "query-run": 1}[level]
    return {
        "qubits": row["qubits"],
        "toffoli": runs * row["toffoli"],
        "t_count": runs * row["t_count"],
        "rotations": runs * row["rotations"],
        "measurements": runs * row["measurements"],
        "toffoli_depth": runs * row["toffoli_depth"],
        "t_depth": runs * row["t_depth"],
    }


def as_float(x) -> float:
    return float(Fraction(x)) if isinstance(x, Fraction) else float(x)


def assert_row_is_estimate(row: dict, e: physical.PhysicalEstimate) -> None:
    assert str(row["valid"]).lower() == str(e.valid).lower()
    assert str(row["within_budget"]).lower() == str(e.within_budget).lower()
    assert float(row["failure_probability"]) == e.failure_probability <= 1
    if not e.valid:  # no number is printed as an estimate
        assert row["invalid_reason"] == e.invalid_reason != ""
        assert row["physical_qubits"] in ("", None) and row["runtime_s"] in ("", None)
        return
    assert int(row["physical_qubits"]) == e.physical_qubits
    assert int(row["code_distance"]) == e.code_distance
    assert int(row["n_factories"]) == e.n_factories
    assert row["factory"] == e.factory
    if isinstance(row["runtime_s"], str):  # csv and md: 4 significant digits; json: exact
        assert float(row["runtime_s"]) == float(f"{as_float(e.runtime_s):.4g}")
    else:
        assert row["runtime_s"] == as_float(e.runtime_s)
    assert row["limited_by"] == e.limited_by
    assert str(row["lower_bound"]).lower() == str(e.lower_bound).lower()


# --- estimate ---------------------------------------------------------------------------------


def test_estimate_head_csv_equals_direct_estimate(capsys):
    """Error budget scope job: the whole head's counts in one estimate."""
    status, out, err = run(
        ["estimate", "--n", "16,1024", "--qram", "bucket-brigade,ideal", "--format", "csv",
         "--budget-scope", "job"],
        capsys,
    )  # fmt: skip
    assert status == 0 and err.startswith("# Conventions: ")
    rows = csv_rows(out)
    assert [(r["model"], int(r["N"])) for r in rows] == [
        ("bucket-brigade", 16), ("bucket-brigade", 1024), ("ideal", 16), ("ideal", 1024),
    ]  # fmt: skip
    table = qlaci_rows(["bucket-brigade", "ideal"], [16, 1024], level="head", precision=PREC)
    for row, ref in zip(rows, table.rows):
        counts = counts_from_table(ref, "head")
        assert int(row["logical_qubits"]) == counts["qubits"]
        assert int(row["total_toffoli"]) == counts["toffoli"] == ref["total_toffoli"]
        assert int(row["total_t_count"]) == counts["t_count"]
        assert int(row["total_rotations"]) == counts["rotations"]
        assert int(row["total_toffoli_depth"]) == counts["toffoli_depth"]
        e = physical.estimate(counts, "gidney-fowler", conventions=CONV)
        assert_row_is_estimate(row, e)
        assert row["physical_model"] == "gidney-fowler" and row["level"] == "head"
        if row["limited_by"] == "reaction":  # Gidney & Ekera: one 10 us reaction per layer
            # Layers: a synthesized rotation is t_rot T layers, t_rot by the mixed fallback at
            # eps = (budget / 3) / rotations; the smaller of two upper bounds: at most
            # min(rotations, toffoli_depth) rotations on a path, or the conventions' t_depth
            # (16 T per rotation) scaled by t_rot / 16.
            r = counts["rotations"]
            t_rot = math.ceil(0.53 * math.log2(r / (1e-2 / 3)) + 5.3)
            layers = min(
                counts["toffoli_depth"] + min(r, counts["toffoli_depth"]) * (t_rot - 1),
                -(-counts["t_depth"] * max(t_rot, 16) // 16),
            )
            # The row shows e's runtime to 4 digits (above); e's exact runtime is this.
            assert e.runtime_s == Fraction(layers * 10, 10**6) + e.first_state_latency_s
    assert any(r["limited_by"] == "reaction" for r in rows)
    # The assumptions and the conventions are printed with the numbers (csv: on stderr).
    assert err.startswith("# Conventions: 4 T per Toffoli-class gate")
    assert "# Note: physical physical_error: 0.001" in err
    assert "# Note: physical reaction_time_us: 10.0" in err
    assert "# Note: source of reaction_time_us: 10 us: Gidney & Ekera" in err
    assert "# Note: level head: the physical estimate is of one head" in err
    assert "ASSUMED oracle" in err


def test_estimate_head_csv_run_scope_is_one_run_times_the_runs(capsys):
    """The default scope run: one query execution (counts by hand from the table row) at the
    per-run budget min(1e-2, eps / 20) = 5e-4, its runtime x N x shots."""
    status, out, err = run(
        ["estimate", "--n", "16,1024", "--qram", "bucket-brigade,ideal", "--format", "csv"],
        capsys,
    )
    assert status == 0
    table = qlaci_rows(["bucket-brigade", "ideal"], [16, 1024], level="head", precision=PREC)
    for row, ref in zip(csv_rows(out), table.rows, strict=True):
        one = physical.estimate(counts_from_table(ref, "query-run"), error_budget=5e-4)
        runs = ref["N"] * ref["shots"]
        assert row["budget_scope"] == "run" and int(row["runs"]) == runs
        assert float(row["error_budget"]) == 5e-4 == one.params.error_budget
        assert int(row["physical_qubits"]) == one.physical_qubits
        assert int(row["code_distance"]) == one.code_distance
        # CSV prints times to 4 significant digits (exact in JSON)
        assert float(row["runtime_s"]) == float(f"{as_float(one.runtime_s * runs):.4g}")
        assert float(row["failure_probability"]) == one.failure_probability <= 5e-4
    assert "# Note: error budget scope run" in err


def test_estimate_query_level_json_with_every_physical_option(capsys):
    argv = [
        "estimate", "--n", "16,2^20", "--qram", "qrom", "--level", "query",
        "--physical-model", "beverland", "--error-rate", "1e-4", "--cycle-time-us", "0.5",
        "--reaction-time-us", "2", "--error-budget", "1e-3", "--precision", "abs:0.01",
        "--method", "clt", "--format", "json", "--budget-scope", "job",
    ]  # fmt: skip
    status, out, _ = run(argv, capsys)
    assert status == 0
    doc = json.loads(out)
    table = qlaci_rows(["qrom"], [16, 2**20], "query", precision="abs:0.01", method="clt")
    assert len(doc["rows"]) == 2
    for row, ref in zip(doc["rows"], table.rows):
        counts = counts_from_table(ref, "query")
        assert row["total_toffoli"] == ref["total_toffoli"] == ref["shots"] * ref["toffoli"]
        assert row["shots"] == ref["shots"]
        e = physical.estimate(
            counts, "beverland", physical_error=1e-4, cycle_time_us=0.5, reaction_time_us=2,
            error_budget=1e-3, conventions=CONV,
        )  # fmt: skip
        assert_row_is_estimate(row, e)
        assert row["failure_probability"] == e.failure_probability
    a = doc["assumptions"]
    assert (a["model"], a["physical_error"], a["cycle_time_us"]) == ("beverland", 1e-4, 0.5)
    assert (a["reaction_time_us"], a["error_budget"]) == (2.0, 1e-3)
    assert "factory" not in a and "FifteenToOne" in a["factory_type"]
    assert any(
        n.startswith("level query: the physical estimate is of one query") for n in doc["notes"]
    )
    assert any("clt" in n or "normal" in n.lower() for n in doc["notes"])


def test_query_and_head_levels_agree(capsys):
    base = ["estimate", "--n", "64", "--qram", "select-swap", "--format", "json"]
    q = json.loads(run(base + ["--level", "query"], capsys)[1])["rows"][0]
    h = json.loads(run(base + ["--level", "head"], capsys)[1])["rows"][0]
    assert h["logical_qubits"] == q["logical_qubits"] and h["shots"] == q["shots"]
    for m in ("total_toffoli", "total_t_count", "total_rotations", "total_toffoli_depth"):
        assert h[m] == 64 * q[m]
    assert h["runtime_s"] > q["runtime_s"]


def test_estimate_md_and_latex(capsys):
    status, out, _ = run(["estimate", "--n", "16", "--qram", "ideal"], capsys)
    assert status == 0 and out.startswith("| model | N | level | physical_model |")
    assert "- physical not_modelled:" in out
    status, out, _ = run(["estimate", "--n", "16", "--qram", "ideal", "--format", "latex"], capsys)
    assert status == 0 and r"\begin{tabular}" in out and "% Note: physical model:" in out


def test_estimate_out_file(tmp_path, capsys):
    path = tmp_path / "e.csv"
    status, out, _ = run(["estimate", "--n", "16", "--format", "csv", "--out", path], capsys)
    assert status == 0 and out == ""
    rows = csv_rows(path.read_text())
    assert [r["model"] for r in rows] == list(MODELS)


@pytest.mark.skipif(not physical.microsoft_available(), reason="qsharp not installed")
def test_estimate_microsoft_columns(capsys):
    argv = ["estimate", "--n", "16,1024", "--qram", "bucket-brigade", "--microsoft"]
    argv += ["--budget-scope", "job"]  # the whole head's counts, as Microsoft's below
    argv += ["--precision", "rel:0.1"]  # N = 1024 then needs more Toffolis than it takes
    status, out, _ = run(argv + ["--format", "json"], capsys)
    assert status == 0
    doc = json.loads(out)
    small, large = doc["rows"]
    table = qlaci_rows(["bucket-brigade"], [16], level="head", precision="rel:0.1")
    m = physical.microsoft_estimate(
        counts_from_table(table.rows[0], "head"), physical_error=1e-3, cycle_time_us=1.0,
        error_budget=1e-2, conventions=CONV,
    )  # fmt: skip
    assert small["msft_physical_qubits"] == m.physical_qubits
    assert small["msft_code_distance"] == m.code_distance
    assert small["msft_n_factories"] == m.n_factories
    assert small["msft_runtime_s"] == float(m.runtime_s)
    # N = 1024: 9.7e15 Toffolis, beyond the 2^50 its 64-bit runtime allows: skipped, said so.
    assert large["msft_physical_qubits"] is None
    assert any("N=1024: Microsoft's estimator skipped" in n for n in doc["notes"])
    assert any(n.startswith("msft_* columns: Microsoft's resource estimator") for n in doc["notes"])


def test_estimate_microsoft_unavailable(capsys, monkeypatch):
    monkeypatch.setattr(physical, "microsoft_available", lambda: False)
    status, out, err = run(
        ["estimate", "--n", "16", "--qram", "qrom", "--microsoft", "--format", "csv"], capsys
    )
    assert status == 0
    assert "# Note: --microsoft: Microsoft's estimator (qsharp.estimator) is not importable" in err
    (row,) = csv_rows(out)
    assert row["msft_physical_qubits"] == "" and row["physical_qubits"] != ""


# --- plot -------------------------------------------------------------------------------------


def written(out: str) -> list[str]:
    return [line for line in out.splitlines() if line and not line.startswith("#")]


def test_plot_all_files_and_crossover_inputs(tmp_path, capsys, monkeypatch):
    seen = []
    real = plots.plot_crossover

    def spy(records, *args, **kwargs):
        seen.append(records)
        return real(records, *args, **kwargs)

    def spy_metrics(rows, metrics, *args, **kwargs):
        titles[metrics[0]] = args[3] if len(args) > 3 else kwargs.get("title")
        return real_metrics(rows, metrics, *args, **kwargs)

    titles, real_metrics = {}, plots.plot_metrics
    monkeypatch.setattr(plots, "plot_crossover", spy)
    monkeypatch.setattr(plots, "plot_metrics", spy_metrics)
    target = tmp_path / "figs"
    argv = [
        "plot", "--what", "all", "--n", "2^4..2^7", "--models", "qrom,ideal", "--budget-scope",
        "job",
        "--baselines", "softmax,flash", "--formats", "png", "--out", target,
    ]  # fmt: skip
    status, out, err = run(argv, capsys)
    assert status == 0 and err == ""
    names = [f"qram_{m}.png" for m in METRICS]
    names += [f"head_{m}.png" for m in ("total_toffoli", "total_t_count",
                                        "total_toffoli_depth", "total_depth")]  # fmt: skip
    names += ["crossover_softmax.png", "crossover_flash.png"]
    assert sorted(written(out)) == sorted(os.path.join(target, n) for n in names)
    assert sorted(os.listdir(target)) == sorted(names)
    assert os.listdir(tmp_path) == ["figs"]  # no temporary directory left behind
    for n in names:
        assert (target / n).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Crossover figures: one per baseline, with the runtimes of an independent path: the
    # physical estimate of the head counts built from qlaci_rows (precision abs:0.01) and the
    # classical roofline time on the H100 with d = 64, 2 bytes per value.
    assert [r[0]["baseline"] for r in seen] == ["softmax", "flash"]
    sizes = [16, 32, 64, 128]
    table = qlaci_rows(["qrom", "ideal"], sizes, level="head", precision="abs:0.01")
    estimates = {
        (row["model"], row["N"]): physical.estimate(
            counts_from_table(row, "head"), "gidney-fowler", conventions=CONV
        )
        for row in table.rows
    }
    quantum = {key: e.runtime_s for key, e in estimates.items()}
    for records in seen:
        assert [r["model"] for r in records] == ["qrom", "ideal"]
        for r in records:
            assert [p[0] for p in r["points"]] == sizes
            classical = [Fraction(str(runtime_seconds(r["baseline"], n, 64))) for n in sizes]
            assert [p[1] for p in r["points"]] == [quantum[r["model"], n] for n in sizes]
            assert [p[2] for p in r["points"]] == classical
            # the 4th item: the estimate is within its error budget (an invalid one is drawn
            # marked, never as a value)
            assert [p[3] for p in r["points"]] == [estimates[r["model"], n].valid for n in sizes]
            wins = [n for n, q, c, _ in r["points"] if q < c]
            assert r["crossover_N"] == (wins[0] if wins else None)
            verdict = f"N = 2^{wins[0].bit_length() - 1}" if wins else "none up to 2^7"
            assert f"# crossover: {r['model']} vs {r['baseline']}: {verdict}" in out
    assert "# Conventions:" in out and "classical hardware: NVIDIA H100" in out
    assert titles == {"qubits": None, "total_toffoli": "QLACI head (abs:0.01, hoeffding)"}


def test_plot_into_existing_directory(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("x")
    argv = ["plot", "--what", "crossover", "--n", "16,32", "--models", "ideal",
            "--baselines", "linear", "--formats", "pdf,svg", "--out", tmp_path]  # fmt: skip
    status, out, _ = run(argv, capsys)
    assert status == 0
    assert sorted(os.listdir(tmp_path)) == ["crossover_linear.pdf", "crossover_linear.svg",
                                            "keep.txt"]  # fmt: skip
    assert (tmp_path / "crossover_linear.pdf").read_bytes()[:5] == b"%PDF-"
    assert b"<svg" in (tmp_path / "crossover_linear.svg").read_bytes()[:2000]
    assert (tmp_path / "keep.txt").read_text() == "x"


def test_plot_failure_writes_nothing(tmp_path, capsys, monkeypatch):
    def boom(*args, **kwargs):
        raise ValueError("crossover figure failed")

    monkeypatch.setattr(plots, "plot_crossover", boom)
    existing = tmp_path / "old"
    existing.mkdir()
    (existing / "keep.txt").write_text("x")
    for target in (tmp_path / "new", existing):
        argv = ["plot", "--what", "qram,crossover", "--n", "16", "--models", "qrom",
                "--baselines", "linear", "--formats", "png", "--out", target]  # fmt: skip
        status, out, err = run(argv, capsys)
        assert status == 2 and out == ""
        assert err == "qlaci-cost: error: crossover figure failed\n"
    assert sorted(os.listdir(tmp_path)) == ["old"]
    assert os.listdir(existing) == ["keep.txt"]


# --- bad input --------------------------------------------------------------------------------

BAD_ESTIMATE = [
    (["--qram", "magic"], "'magic'"),
    (["--physical-model", "nope"], "'nope'"),
    (["--format", "xls"], "'xls'"),
    (["--level", "block"], "'block'"),
    (["--error-rate", "0"], "--error-rate: '0'"),
    (["--error-rate", "-1e-3"], "--error-rate: '-1e-3'"),
    (["--error-rate", "0.02"], "(0, 1e-2]"),
    (["--error-rate", "nan"], "--error-rate: 'nan'"),
    (["--error-rate", "0.01"], "code threshold"),
    (["--cycle-time-us", "0"], "--cycle-time-us: '0'"),
    (["--cycle-time-us", "-1"], "--cycle-time-us: '-1'"),
    (["--reaction-time-us", "0"], "--reaction-time-us: '0'"),
    (["--reaction-time-us", "inf"], "--reaction-time-us: 'inf'"),
    (["--error-budget", "1"], "--error-budget: '1'"),
    (["--n", "0"], "--n: '0'"),
    (["--n", "2^x"], "--n: '2^x'"),
    (["--n", "2^8..2^4"], "'2^8..2^4'"),
    (["--precision", "rel:2"], "rel:2"),
    (["--method", "magic"], "'magic'"),
    (["--eps", "2"], "--eps"),
]


@pytest.mark.parametrize("args, named", BAD_ESTIMATE)
def test_estimate_bad_input(args, named, tmp_path, capsys):
    out_file = tmp_path / "e.csv"
    status, out, err = run(["estimate", "--n", "16", *args, "--out", out_file], capsys)
    assert status == 2 and out == ""
    assert err.startswith("qlaci-cost: error: ") and err.count("\n") == 1
    assert named in err
    assert os.listdir(tmp_path) == []


def test_estimate_bad_out(tmp_path, capsys):
    for out_path, named in ((tmp_path, "is a directory"), (tmp_path / "no" / "e.csv", "exist")):
        status, out, err = run(["estimate", "--n", "16", "--out", out_path], capsys)
        assert status == 2 and out == "" and err.count("\n") == 1 and named in err
    assert os.listdir(tmp_path) == []


BAD_PLOT = [
    (["--what", "galaxy"], "--what: 'galaxy'"),
    (["--models", "magic"], "--models: 'magic'"),
    (["--baselines", "nope"], "--baselines: 'nope'"),
    (["--formats", "gif"], "--formats: 'gif'"),
    (["--n", "2^4..2^x"], "--n"),
    (["--word-bits", "0"], "--word-bits: '0'"),
    (["--physical-model", "nope"], "'nope'"),
    (["--error-rate", "0.5"], "--error-rate: '0.5'"),
    (["--cycle-time-us", "-2"], "--cycle-time-us: '-2'"),
    (["--hardware", "abacus"], "'abacus'"),
]


@pytest.mark.parametrize("args, named", BAD_PLOT)
def test_plot_bad_input(args, named, tmp_path, capsys):
    argv = ["plot", "--what", "qram", "--n", "16", "--formats", "png", "--out", tmp_path / "f"]
    status, out, err = run(argv + args, capsys)
    assert status == 2 and out == ""
    assert err.startswith("qlaci-cost: error: ") and err.count("\n") == 1
    assert named in err
    assert os.listdir(tmp_path) == []


def test_plot_bad_out(tmp_path, capsys, monkeypatch):
    a_file = tmp_path / "a_file"
    a_file.write_text("keep")
    base = ["plot", "--what", "qram", "--n", "16", "--models", "qrom", "--formats", "png"]
    for out_path, named in (
        (a_file, "is a file"),
        (a_file / "sub", "does not exist"),
        (tmp_path / "no" / "sub", "does not exist"),
        ("", "give a directory"),
    ):
        status, out, err = run(base + ["--out", out_path], capsys)
        assert status == 2 and out == "" and err.count("\n") == 1 and named in err
    status, out, err = run(base, capsys)  # --out is required
    assert status == 2 and "--out" in err and err.count("\n") == 1
    monkeypatch.setattr(os, "access", lambda *a, **k: False)  # as if read-only (root can write)
    status, out, err = run(base + ["--out", tmp_path / "figs"], capsys)
    assert status == 2 and "not writable" in err
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["a_file"] and a_file.read_text() == "keep"


def test_subprocess(tmp_path):
    """The installed entry point in a fresh process (no display, default matplotlib rc)."""
    command = [
        sys.executable,
        "-c",
        "import sys; from qlaci_cost.cli import main; sys.exit(main())",
    ]
    argv = ["plot", "--what", "crossover", "--n", "16,32", "--models", "ideal", "--baselines",
            "linear", "--formats", "svg", "--out", str(tmp_path / "f")]  # fmt: skip
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run(command + argv, capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0 and proc.stderr == ""
    assert written(proc.stdout) == [str(tmp_path / "f" / "crossover_linear.svg")]
    assert b"<svg" in (tmp_path / "f" / "crossover_linear.svg").read_bytes()[:2000]
    assert "# crossover: ideal vs linear: " in proc.stdout
