"""`qlaci-cost report` from the disk cache (cli/report_cache.py): the same command on the same
code publishes the files the computation wrote, byte for byte, with this run's provenance."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qlaci_cost.cli import main
from qlaci_cost.cli.report_cache import KIND, _key
from qlaci_cost.cli.table_cache import command_key
from qlaci_cost.core import cache
from qlaci_cost.output import report as report_module
from qlaci_cost.output.files import MANIFEST
from qlaci_cost.output.html import render_html

ARGV = ["report", "--n", "16", "--models", "qrom,ideal", "--formats", "svg", "--out", "r"]


class Computed(Exception):
    """Raised by a stand-in `write_report`: the command computed the report."""


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("report-cache")


@pytest.fixture(autouse=True)
def private_cache(shared, monkeypatch):
    """One cache for the module: the first report fills it."""
    monkeypatch.setenv("QLACI_COST_CACHE_DIR", str(shared))
    monkeypatch.delenv("QLACI_COST_NO_CACHE", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return shared


@pytest.fixture(scope="module")
def computed(shared, tmp_path_factory) -> dict[str, bytes]:
    """The files of the report computed once (an empty cache before it)."""
    where = tmp_path_factory.mktemp("computed")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("QLACI_COST_CACHE_DIR", str(shared))
        mp.delenv("QLACI_COST_NO_CACHE", raising=False)
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        mp.chdir(where)
        assert main(ARGV + ["--quiet"]) == 0
    return files(where / "r")


@pytest.fixture
def no_computing(monkeypatch):
    def refuse(*args, **kwargs):
        raise Computed

    monkeypatch.setattr(report_module, "write_report", refuse)


def test_the_same_command_publishes_the_computed_files_byte_for_byte(
    computed, no_computing, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    assert main(ARGV + ["--quiet"]) == 0
    out, err = capsys.readouterr()
    assert "from the disk cache" in out and err == ""
    assert files(tmp_path / "r") == computed  # the manifest included: same command, same date
    assert main(ARGV) == 0  # again into the report it wrote: replaced in place
    assert "from the disk cache" in capsys.readouterr().err
    again = files(tmp_path / "r")
    assert {n for n in computed if again[n] != computed[n]} == {"index.md", "index.html", MANIFEST}


def test_the_provenance_is_this_runs(computed, no_computing, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert main(ARGV[:-1] + ["again", "--quiet"]) == 0
    now = files(tmp_path / "again")
    index = now["index.md"].decode()
    assert "- **Date:** 1970-01-02 00:00 UTC (SOURCE_DATE_EPOCH)" in index
    assert (
        "- **Command:** `qlaci-cost report --n 16 --models qrom,ideal --formats svg --out again"
        in index
    )
    assert now["index.html"].decode() == render_html(index)
    manifest = json.loads(now[MANIFEST])
    assert manifest["provenance"]["date"] == "1970-01-02 00:00 UTC (SOURCE_DATE_EPOCH)"
    assert manifest["scenario"] == json.loads(computed[MANIFEST])["scenario"]
    old = computed["index.md"].decode().splitlines()
    new = index.splitlines()
    assert len(old) == len(new)
    changed = [a for a, b in zip(old, new) if a != b]
    assert [line.split("**")[1] for line in changed] == ["Command:", "Date:"]
    same = set(computed) - {"index.md", "index.html", MANIFEST}
    assert {n: now[n] for n in same} == {n: computed[n] for n in same}


def _entry_key(args_list: list[str]) -> dict:
    from qlaci_cost.cli.main import build_parser

    return _key(build_parser().parse_args(args_list))


@pytest.mark.parametrize("damage", ["checksum", "no provenance", "not base64"])
def test_a_damaged_entry_is_computed_again(computed, no_computing, tmp_path, monkeypatch, damage):
    key = _entry_key(ARGV)
    entry = cache.load(KIND, key)
    assert entry is not None
    path = next(
        p
        for p in cache.cache_dir().glob(f"{KIND}-*.json")
        if json.loads(p.read_text())["key"]["key"] == key
    )
    original = path.read_text()
    try:
        if damage == "checksum":
            doc = json.loads(original)
            doc["value"]["files"]["noise.csv"] = doc["value"]["files"]["claims.csv"]
            path.write_text(json.dumps(doc))
        else:
            broken = dict(entry, files=dict(entry["files"]))
            if damage == "no provenance":
                broken["provenance"] = dict(entry["provenance"], date="another date")
            else:
                broken["files"]["noise.csv"] = "not base64!"
            assert cache.store(KIND, key, broken)
        monkeypatch.chdir(tmp_path)
        with pytest.raises(Computed):
            main(ARGV)
    finally:
        path.write_text(original)
    assert cache.load(KIND, key) == entry


def test_another_argument_is_another_report(computed, no_computing, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(Computed):
        main(ARGV[:-4] + ["--formats", "png", "--out", "r"])
    with pytest.raises(Computed):
        main(ARGV + ["--budget-scope", "job"])


def test_the_key_is_the_commands_and_matplotlibs(computed):
    key = _entry_key(ARGV)
    from qlaci_cost.cli.main import build_parser

    assert key == {
        **command_key(build_parser().parse_args(ARGV)),
        "matplotlib": cache.installed("matplotlib"),
    }
    assert key == _entry_key(ARGV[:-1] + ["elsewhere", "--quiet"])  # where it goes: no number


def test_a_users_file_is_refused_before_anything_is_written(
    computed, no_computing, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "noise.csv").write_text("mine\n")
    assert main(ARGV) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--out 'r'" in err
    assert files(tmp_path / "r") == {"noise.csv": b"mine\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]  # no temporary folder left


def test_a_hit_imports_neither_sympy_nor_qualtran_nor_cirq(computed, shared, tmp_path):
    code = (
        "import sys; from qlaci_cost.cli import main; status = main(sys.argv[1:]); "
        "heavy = ('sympy', 'qualtran', 'cirq', 'matplotlib'); "
        "heavy = sorted(m for m in heavy if m in sys.modules); "
        "sys.stderr.write(f'HEAVY={heavy}\\n'); sys.exit(status)"
    )
    env = {
        k: v for k, v in os.environ.items() if k not in ("QLACI_COST_NO_CACHE", "SOURCE_DATE_EPOCH")
    }
    env["QLACI_COST_CACHE_DIR"] = str(shared)
    done = subprocess.run(
        [sys.executable, "-c", code, *ARGV, "--quiet"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "HEAVY=[]" in done.stderr
    assert files(tmp_path / "r") == computed


def test_quiet_silences_the_heartbeat_before_the_imports(tmp_path, monkeypatch, capsys):
    """`--quiet`: no "still running" line even while the report's imports take their time."""
    import time

    from qlaci_cost.cli import report_cache

    def slow(args, run):
        time.sleep(0.5)
        return 0

    monkeypatch.setenv("QLACI_COST_PROGRESS_SECONDS", "0.05")
    monkeypatch.setattr(report_cache, "run_cached", slow)
    monkeypatch.chdir(tmp_path)
    assert main(ARGV + ["--quiet"]) == 0
    assert capsys.readouterr().err == ""
    assert main(ARGV) == 0
    assert "still running" in capsys.readouterr().err  # the control: the heartbeat is on
