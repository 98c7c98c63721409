"""The report: complete, linked, byte-identical on a re-run, atomic on failure."""

import csv
import hashlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from qlaci_cost.analysis.scenario import DEFAULT_SCENARIO, Scenario
from qlaci_cost.cli import main
from qlaci_cost.output import report
from qlaci_cost.output.files import read_manifest_entry

SIZES = [2**k for k in range(4, 9)]
MODELS = ("bucket-brigade", "qrom", "ideal")


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("rep") / "reports"
    stream = io.StringIO()
    timings = report.write_report(out, SIZES, MODELS, formats=("png",), progress=stream)
    return out, timings, stream.getvalue()


def test_every_stage_ran_and_reported_progress(built):
    out, timings, progress = built
    assert list(timings) == list(report.STAGES)
    assert "9/9" in progress and "crossover" in progress


def test_provenance_in_the_index_the_page_and_the_manifest(built):
    out, _, _ = built
    recorded = json.loads((out / report.MANIFEST).read_text())["provenance"]
    assert recorded["command"] == "write_report() (Python API)"
    for name in ("index.md", "index.html"):
        text = (out / name).read_text()
        assert recorded["commit"] in text and recorded["date"] in text, name
    assert "<h2 id=\"the-answer\">The answer</h2>" in (out / "index.html").read_text()


def test_index_links_every_file_and_every_link_resolves(built):
    out, _, _ = built
    index = (out / "index.md").read_text()
    links = set(re.findall(r"\]\(([^)]+)\)", index))
    anchors = {link for link in links if link.startswith("#")}
    files = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    files -= {"index.md", report.MANIFEST}
    assert links - anchors == files
    assert anchors and all(f'<a id="{a[1:]}"></a>' in index for a in anchors)
    for section in ("The answer", "Verdicts", "Conventions", "Scaling", "QRAM models",
                    "QLACI head", "Physical estimates", "Crossover", "Noise", "Figures", "Files",
                    "Notes"):  # fmt: skip
        assert f"## {section}" in index or f"### {section}" in index
    assert index.count("4 T per Toffoli-class gate") == 1  # conventions stated once
    assert "ideal†" in index


def test_rerun_is_byte_identical(built, tmp_path):
    """A rerun, and a report regenerated from the scenario its manifest records."""
    out, _, _ = built
    before = _digest(out)
    report.write_report(out, SIZES, MODELS, formats=("png",), progress=None)
    assert _digest(out) == before
    elsewhere = tmp_path / "again"
    recorded = Scenario.from_dict(read_manifest_entry(out, "scenario"))
    assert recorded == DEFAULT_SCENARIO
    report.write_report(elsewhere, SIZES, MODELS, recorded, formats=("png",), progress=None)
    assert _digest(elsewhere) == before


def test_the_scenario_is_stated_once(built):
    out, _, _ = built
    index = (out / "index.md").read_text()
    assert index.count("**Scenario**") == 1 and index.count("Scenario: ") == 0
    assert "error budget scope run" in index
    physical = list(csv.DictReader(io.StringIO((out / "physical.csv").read_text())))
    assert {r["budget_scope"] for r in physical} == {"run"}
    assert "error budget scope run" in (out / "physical.notes.md").read_text()


def test_a_report_regenerates_from_its_manifest(tmp_path):
    """A tiny report under a scenario that is not the default: the manifest records it, it
    reads back equal, and the report it regenerates is byte-identical. Every section used
    it: the QLACI head and the multi-query head (B = 1) have the same shots at each N, the
    rel:0.1 ones (eps = 0.1 / N); QLAM, which has no 1/N share, says it was not computed."""
    scenario = Scenario(precision="rel:0.1", budget_scope="job", word_bits=4, hardware="a100")
    first, second = tmp_path / "first", tmp_path / "second"
    models = ("qrom", "ideal")
    report.write_report(first, [16, 32], models, scenario, formats=("svg",), progress=None)
    recorded = Scenario.from_dict(read_manifest_entry(first, "scenario"))
    assert recorded == scenario
    report.write_report(second, [16, 32], models, recorded, formats=("svg",), progress=None)
    assert _digest(second) == _digest(first)
    head = list(csv.DictReader(io.StringIO((first / "qlaci_head.csv").read_text())))
    multi = list(csv.DictReader(io.StringIO((first / "multi_query_table.csv").read_text())))
    shots = {(r["model"], r["N"]): r["shots"] for r in head}
    assert shots[("qrom", "16")] == "188871"  # ceil(2 ln 40 x 160^2), docs/derivations/shots.md
    for r in multi:
        if r["batch"] == "1":
            assert r["shots"] == shots[(r["model"], r["N"])]
    assert {
        r["bits"] for r in csv.DictReader(io.StringIO((first / "qram_table.csv").read_text()))
    } == {"4"}
    physical = list(csv.DictReader(io.StringIO((first / "physical.csv").read_text())))
    assert {r["budget_scope"] for r in physical} == {"job"}
    assert "not computed under this scenario" in (first / "qlam_table.notes.md").read_text()


def test_a_failing_stage_leaves_the_existing_report_and_no_temporary_folder(built, monkeypatch):
    out, _, _ = built
    before = _digest(out)

    def broken(*args, **kwargs):
        raise RuntimeError("noise stage failed")

    monkeypatch.setattr(report, "noise_table", broken)
    with pytest.raises(RuntimeError, match="noise stage failed"):
        report.write_report(out, SIZES, MODELS, formats=("png",), progress=None)
    assert _digest(out) == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]


def test_bad_output_paths(tmp_path, capsys):
    a_file = tmp_path / "file.txt"
    a_file.write_text("keep")
    with pytest.raises(report.ReportError, match="is a file"):
        report.write_report(a_file, SIZES, MODELS)
    assert main(["report", "--out", str(a_file), "--n", "16"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a file" in err
    assert a_file.read_text() == "keep"
    assert main(["report", "--out", str(tmp_path / "no" / "such"), "--n", "16"]) == 2


def test_cli_bad_input_exits_2_without_traceback(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "qlaci_cost.cli", "report", "--out", str(tmp_path / "r"),
         "--models", "magic"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "magic" in run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "r").exists()


def test_a_folder_with_a_users_paper_is_refused_and_nothing_is_deleted(tmp_path, capsys):
    mydir = tmp_path / "mydir"
    (mydir / "data").mkdir(parents=True)
    (mydir / "paper.tex").write_text("draft\n")
    argv = ["report", "--out", str(mydir), "--n", "2^4..2^6", "--formats", "png", "--quiet"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(mydir) in err and "not empty" in err
    assert (mydir / "paper.tex").read_text() == "draft\n" and (mydir / "data").is_dir()
    assert sorted(p.name for p in mydir.iterdir()) == ["data", "paper.tex"]
    assert [p.name for p in tmp_path.iterdir()] == ["mydir"]  # no temporary folder left


def test_a_users_file_and_folder_beside_the_report_survive_a_rerun(built, tmp_path):
    out, _, _ = built
    (out / "my notes.txt").write_text("mine")
    (out / "drafts").mkdir()
    (out / "drafts" / "paper.tex").write_text("draft")
    (out / "figures" / "sketch.svg").write_text("<svg/>")
    report.write_report(out, SIZES, MODELS, formats=("png",), progress=None)
    assert (out / "my notes.txt").read_text() == "mine"
    assert (out / "drafts" / "paper.tex").read_text() == "draft"
    assert (out / "figures" / "sketch.svg").read_text() == "<svg/>"
    for p in (out / "my notes.txt", out / "drafts" / "paper.tex", out / "figures" / "sketch.svg"):
        p.unlink()
    (out / "drafts").rmdir()


def test_an_edited_report_file_is_refused_before_any_work(built, tmp_path, monkeypatch):
    out, _, _ = built
    index = out / "index.md"
    original = index.read_bytes()
    index.write_bytes(original + b"my comment\n")

    def never(*args, **kwargs):
        raise AssertionError("work started")

    monkeypatch.setattr(report, "qram_rows", never)
    try:
        with pytest.raises(report.ReportError, match="'index.md' was changed since"):
            report.write_report(out, SIZES, MODELS, formats=("png",), progress=None)
        assert index.read_bytes() == original + b"my comment\n"
    finally:
        index.write_bytes(original)


def test_the_names_checked_before_the_run_cover_every_file_written(built):
    """`planned_files` is what a user's file is checked against before any work: every file
    the run wrote is among them (a table or figure added to the report must be added there)."""
    out, _, _ = built
    written = set(json.loads((out / report.MANIFEST).read_text())["files"])
    planned = set(report.planned_files(("png",)))
    assert written <= planned, sorted(written - planned)
    assert len(written) >= 40 and "figures/qram_toffoli.png" in written


def test_every_report_csv_is_plain_and_pandas_reads_it_with_defaults(built):
    pandas = pytest.importorskip("pandas")
    out, _, _ = built
    csvs = sorted(out.rglob("*.csv"))
    assert len(csvs) >= 7
    for path in csvs:
        frame = pandas.read_csv(path)
        doc = json.loads(path.with_suffix(".json").read_text())
        assert list(frame.columns) == doc["columns"], path.name
        assert len(frame) == len(doc["rows"]), path.name
        assert not path.read_text().startswith("#")
        # exact values survive: every integer cell equals the JSON's integer (any size)
        for row, want in zip(csv.DictReader(io.StringIO(path.read_text())), doc["rows"]):
            for column, value in want.items():
                if isinstance(value, int) and not isinstance(value, bool):
                    assert int(row[column]) == value, (path.name, column)
        sidecar = path.with_name(path.stem + ".notes.md")
        text = sidecar.read_text()
        assert text.startswith(f"# {path.name}: ") and all(f"`{c}`" in text for c in doc["columns"])
        for note in doc["notes"]:
            assert " ".join(note.split()) in text, (path.name, note)


def test_no_empty_or_duplicate_qram_figure(built):
    rows = [{"a": 1, "b": 0, "c": 1, "d": 2}, {"a": 3, "b": 0, "c": 3, "d": 5}]
    assert report.distinct_metrics(rows, ("a", "b", "c", "d")) == ["a", "d"]
    out, _, _ = built
    figures = {p.stem for p in (out / "figures").iterdir()}
    assert "qram_rotations" not in figures and "qram_t_depth" not in figures
    assert {"qram_toffoli", "qram_toffoli_depth", "qram_qubits"} <= figures


def test_the_explorer_is_written_beside_the_index_under_the_reports_scenario(built):
    out, _, _ = built
    data = json.loads((out / "explorer.json").read_text())
    assert data["order"] == list(MODELS) and data["scenario"] == DEFAULT_SCENARIO.to_dict()
    assert data["knobs"]["values"]["N"] == str(max(SIZES).bit_length() - 1)
    claims = list(csv.DictReader(io.StringIO((out / "claims.csv").read_text())))
    simulated = {r["model"]: r["verdict"] for r in claims if r["key"] == "global-attention"}
    assert data["claims"]["global_attention"] == simulated
    assert data["page"]["report"] == "index.html"  # the page links back to the report
    assert "[explorer.html](explorer.html)" in (out / "index.md").read_text()
