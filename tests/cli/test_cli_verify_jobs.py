"""`verify --jobs`: the checks in worker processes are the checks of one process, in a fixed
order; a bad value is one error line and exit status 2."""

import pytest

from qlaci_cost import cli
from qlaci_cost.core.verification import JOBS_ENV, can_fork, default_jobs, run_family_checks

SELECTION = dict(models=["qrom", "bucket-brigade", "final"], sizes=[2, 4], checks=("counts",))

needs_fork = pytest.mark.skipif(not can_fork(), reason="worker processes are forked")


@needs_fork
def test_workers_run_the_checks_of_one_process():
    alone = [r.line() for r in run_family_checks(**SELECTION, jobs=1)]
    workers = [r.line() for r in run_family_checks(**SELECTION, jobs=2)]
    assert sorted(workers) == sorted(alone) and len(alone) > 6
    assert [r.line() for r in run_family_checks(**SELECTION, jobs=2)] == workers  # fixed order
    sizes = [int(line.split("N=")[1].split()[0]) for line in workers]
    assert sizes == sorted(sizes), "size by size"
    for n in (2, 4):
        qlam = [line.split()[2].startswith("qlam") for line in workers if f"N={n} " in line]
        assert qlam == sorted(qlam), "within a size, family by family in registry order"


@needs_fork
def test_the_cli_with_two_workers(capsys):
    argv = ["verify", "--n", "2,4", "--models", "qrom,final", "--checks", "counts", "--jobs", "2"]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert out.count("PASS") >= 4 and "0 failed" in out


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5", "65"])
def test_a_bad_jobs_value_is_one_line(capsys, value):
    assert cli.main(["verify", "--n", "2", "--jobs", value]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"--jobs: {value!r} is not allowed" in err[0], err
    assert "auto or a whole number from 1 to 64" in err[0]


def test_the_default_follows_the_environment(monkeypatch):
    monkeypatch.setenv(JOBS_ENV, "3")
    assert default_jobs() == 3
    monkeypatch.setenv(JOBS_ENV, "zero")
    assert default_jobs() >= 1
