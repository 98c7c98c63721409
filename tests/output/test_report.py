"""The report: complete, linked, byte-identical on a re-run, atomic on failure."""

import hashlib
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from qlaci_cost.cli import main
from qlaci_cost.output import report

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


def test_index_links_every_file_and_every_link_resolves(built):
    out, _, _ = built
    index = (out / "index.md").read_text()
    links = set(re.findall(r"\]\(([^)]+)\)", index))
    files = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()} - {"index.md"}
    assert links == files
    for section in ("Conventions", "Verdicts", "QRAM models", "QLACI head", "Scaling",
                    "Physical estimates", "Crossover", "Noise", "Figures"):  # fmt: skip
        assert f"## {section}" in index
    assert "4 T per Toffoli-class gate" in index and "ideal (assumed)" in index


def test_rerun_is_byte_identical(built, tmp_path):
    out, _, _ = built
    before = _digest(out)
    report.write_report(out, SIZES, MODELS, formats=("png",), progress=None)
    assert _digest(out) == before
    elsewhere = tmp_path / "again"
    report.write_report(elsewhere, SIZES, MODELS, formats=("png",), progress=None)
    assert _digest(elsewhere) == before


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
