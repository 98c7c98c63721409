"""Provenance: version, commit, command, and a date that is never the wall clock."""

import subprocess
from pathlib import Path

import pytest

from qlaci_cost import __version__
from qlaci_cost.output import provenance as prov

ROOT = Path(__file__).resolve().parents[2]


def test_source_date_epoch_sets_the_date_and_two_runs_agree(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    a = prov.provenance(["qlaci-cost", "report", "--n", "16"])
    b = prov.provenance(["qlaci-cost", "report", "--n", "16"])
    assert a == b
    assert a.date == "2023-11-14 22:13 UTC (SOURCE_DATE_EPOCH)"
    assert a.version == __version__
    assert a.command == "qlaci-cost report --n 16"
    assert prov.provenance(None).command == "write_report() (Python API)"


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout")
def test_the_commit_and_its_date_come_from_git(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    p = prov.provenance(["qlaci-cost", "report"])
    assert p.commit.split()[0] == head[:12]
    assert p.date.endswith("(the commit's date)")


def test_outside_a_checkout_it_says_so(monkeypatch, tmp_path):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setattr(prov, "_ROOT", tmp_path)
    p = prov.provenance(["qlaci-cost", "report"])
    assert p.commit == "not a git checkout"
    assert p.date.startswith("none")
    lines = p.lines()
    assert lines[0].endswith("commit not a git checkout") and "`qlaci-cost report`" in lines[1]
    assert p.to_dict()["command"] == "qlaci-cost report"
