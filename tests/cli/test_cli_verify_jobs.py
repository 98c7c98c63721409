"""`verify --jobs`: the checks in worker processes are the checks of one process, in a fixed
order; a bad value is one error line and exit status 2."""

import pytest

from qlaci_cost import cli
from qlaci_cost.core.verification import JOBS_ENV, can_fork, default_jobs, run_family_checks

SELECTION = dict(models=["qrom", "bucket-brigade", "final"], sizes=[2, 4], checks=("counts",))

needs_fork = pytest.mark.skipif(not can_fork(), reason="worker processes are forked")


@needs_fork
def test_workers_run_the_checks_of_one_process():
    """One unit per model (qrom, bucket-brigade) or per family (QLAM's final): the same lines,
    each once, in a fixed order."""
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


@pytest.mark.parametrize("name", ["qram", "qlaci", "multi-query"])
def test_a_family_checked_per_model_checks_each_model_alone(name):
    """`CHECKS_PER_MODEL` is true to its word: the checks of two models are the checks of each
    model alone, in turn (what lets `verify` give a worker one model)."""
    from qlaci_cost.core.family import family

    fam = family(name)
    assert fam.CHECKS_PER_MODEL
    models, kinds = ["qrom", "select-swap"], ("counts",)
    both = [r.line() for r in fam.checks([2], models, kinds)]
    alone = [r.line() for m in models for r in fam.checks([2], [m], kinds)]
    assert both == alone and len(both) >= 2


def test_a_family_not_checked_per_model_stays_one_unit():
    """QLAM's counts and state checks belong to no protocol: split per protocol they would run
    once per protocol."""
    from qlaci_cost.core.family import family
    from qlaci_cost.core.verification import _parts

    fam = family("qlam")
    assert not getattr(fam, "CHECKS_PER_MODEL", False)
    assert _parts(fam, ["final", "weak"]) == [["final", "weak"]]
    assert _parts(family("qram"), ["qrom", "fanout"]) == [["qrom"], ["fanout"]]
    counts = {p: [r.line() for r in fam.checks([2], [p], ("counts",))] for p in ("final", "weak")}
    both = [r.line() for r in fam.checks([2], ["final", "weak"], ("counts",))]
    split = counts["final"] + counts["weak"]
    protocol_free = [line for line in both if "qlam-counts" in line]
    assert protocol_free and len(set(both)) == len(both)
    assert len([line for line in split if "qlam-counts" in line]) == 2 * len(protocol_free)
