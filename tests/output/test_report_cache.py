"""A report from a warm disk cache is byte-identical to one from an empty cache.

Two sources: `write_report` with an empty cache (every closed form derived, every figure drawn,
in the drawing worker) and again with the cache that run filled, in another folder, with
deriving closed forms and drawing figures made impossible (so whatever the warm report holds
came from the cache). Every file is compared byte for byte, figures included.
"""

import hashlib
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from qlaci_cost.core import cache
from qlaci_cost.output import report
from qlaci_cost.symbolics import compile as compile_module

SIZES = [16, 32, 64]
MODELS = ("qrom", "ideal")


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _never(*args, **kwargs):
    raise AssertionError("derived or drawn although the cache holds it")


def test_warm_report_is_byte_identical_to_the_cold_one(tmp_path, monkeypatch, forget_closed_forms):
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    cold, warm = tmp_path / "cold", tmp_path / "warm"
    report.write_report(cold, SIZES, MODELS, formats=("png",), progress=None)
    forget_closed_forms()
    with monkeypatch.context() as patch:
        patch.setattr(compile_module, "compile_exact", _never)
        patch.setattr(Figure, "savefig", _never)
        report.write_report(warm, SIZES, MODELS, formats=("png",), progress=None)
    cold_files, warm_files = _digest(cold), _digest(warm)
    assert any(name.startswith("figures/") and name.endswith(".png") for name in cold_files)
    assert warm_files == cold_files


@pytest.mark.parametrize("workers", [0, 1])
def test_figures_drawn_here_or_in_the_worker_are_the_same_bytes(tmp_path, monkeypatch, workers):
    from qlaci_cost.output.figure_cache import Drawer
    from qlaci_cost.output.plots import plot_metrics

    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")  # drawn every time
    rows = [{"model": "m", "N": n, "toffoli": 3 * n, "depth": n // 2} for n in SIZES]
    out = {}
    for w in (0, workers):
        folder = tmp_path / f"w{w}-{len(out)}"
        drawer = Drawer(w)
        paths = drawer.draw(
            plot_metrics, rows, ("toffoli", "depth"), folder, "t", ("png",)
        ).result()
        drawer.close()
        out[len(out)] = {p.name: Path(p).read_bytes() for p in paths}
    assert out[0] == out[1] and len(out[0]) == 2


def test_a_figure_drawn_in_the_worker_is_replayed_though_its_rows_changed_later(tmp_path):
    """The worker draws the arguments as they were submitted and stores them under that key,
    though the caller changes a list it passed right after (the pool pickles in a thread):
    the same call again is a cache hit with the same bytes."""
    from qlaci_cost.output import figure_cache
    from qlaci_cost.output.plots import plot_metrics

    rows = [{"model": "m", "N": n, "toffoli": 3 * n, "depth": n // 2} for n in SIZES]
    args = (list(rows), ("toffoli", "depth"), tmp_path / "a", "t", ("png",))
    drawer = figure_cache.Drawer(1)
    future = drawer.draw(plot_metrics, *args)
    args[0].append({"model": "m", "N": 2**20, "toffoli": 1, "depth": 1})  # changed after
    paths = future.result()
    drawer.close()
    args[0].pop()
    replayed = figure_cache._replay(plot_metrics, args)
    assert replayed is not None, "the worker stored the figure under another key"
    assert [Path(p).read_bytes() for p in replayed] == [Path(p).read_bytes() for p in paths]


def test_the_worker_stores_into_the_cache_directory_of_the_moment(tmp_path, monkeypatch):
    """The workers are forked from one server per process, started with the environment of
    its first `Drawer`: a later `Drawer` under another cache directory still stores there."""
    from qlaci_cost.output import figure_cache
    from qlaci_cost.output.plots import plot_metrics

    rows = [{"model": "m", "N": n, "toffoli": 3 * n, "depth": n // 2} for n in SIZES]
    for name in ("first", "second"):
        monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / f"cache-{name}"))
        drawer = figure_cache.Drawer(1)
        args = (rows, ("toffoli", "depth"), tmp_path / name, "t", ("png",), name)
        drawer.draw(plot_metrics, *args).result()
        drawer.close()
        assert list((tmp_path / f"cache-{name}").glob(f"{figure_cache.KIND}-*.json")), name


def test_the_workers_start_inside_the_hold_once(tmp_path):
    """The first submission starts the workers (forked on Linux) inside `hold`; later ones do
    not enter it. Both figures are drawn."""
    import contextlib
    import sys

    from qlaci_cost.output import figure_cache
    from qlaci_cost.output.plots import plot_metrics

    entered = []

    @contextlib.contextmanager
    def hold():
        entered.append(len(entered))
        yield

    rows = [{"model": "m", "N": n, "toffoli": 3 * n, "depth": n // 2} for n in SIZES]
    drawer = figure_cache.Drawer(2, hold=hold)
    futures = [
        drawer.draw(plot_metrics, rows, ("toffoli", "depth"), tmp_path / t, "t", ("png",), t)
        for t in ("a", "b")
    ]
    assert all(f.result() for f in futures)
    drawer.close()
    assert entered == [0]
    if sys.platform.startswith("linux"):
        assert figure_cache._context().get_start_method() == "fork"
