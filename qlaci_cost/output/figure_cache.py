"""Figures drawn only when their inputs changed, and drawn beside the computation.

A report draws two dozen figures (PNG and PDF each) from its tables; drawing them is most of a
report's time, and the same inputs give byte-identical files (fixed style and metadata,
`output.plots.style`). Two things follow:

- `draw(plot, *args)` calls a plot function of `output.plots` whose arguments hold its output
  folder (one `Path`), keyed by the function, a digest of every other argument's `repr` and the
  Matplotlib version, and keeps the files it wrote (their bytes, base64) in `core.cache`
  (package version and source fingerprint, checksums; a corrupt, stale or unreadable entry a
  miss, an unwritable directory skipped). A hit writes the same files again and returns the
  same paths, without drawing.
- `Drawer` draws what the cache does not hold in worker processes (one per core, at most
  `MAX_WORKERS`; forked on Linux, `_context`; at a lower priority, so the report's own
  stages, which every figure waits on, keep their core), so that the report keeps computing
  its later stages meanwhile (`Drawer.draw` returns a future; `close` waits);
  `QLACI_COST_FIGURE_WORKERS=0` draws in the process instead (the test suite does: its
  reports are small, and a worker's imports would cost more than it saves).

Only plot functions of this package are cached or sent to the worker (another function, a
test's wrapper for example, is drawn here every time); arguments without a stable `repr` (one
holding a memory address) are drawn every time.
"""

import base64
import hashlib
import os
import pickle
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Optional

from qlaci_cost.core import cache

__all__ = ["KIND", "WORKERS_ENV", "Drawer", "draw"]

KIND = "figure"


def _ours(plot: Callable) -> bool:
    return getattr(plot, "__module__", "").startswith("qlaci_cost.")


def _key(plot: Callable, args: tuple, out_dir: Path) -> Optional[dict]:
    inputs = repr(tuple("<out_dir>" if a is out_dir else a for a in args))
    if not _ours(plot) or " at 0x" in inputs:
        return None
    import matplotlib

    return {
        "plot": f"{plot.__module__}.{plot.__qualname__}",
        "inputs_sha256": hashlib.sha256(inputs.encode()).hexdigest(),
        "matplotlib": matplotlib.__version__,
    }


def _out_dir(args: tuple) -> Path:
    (out_dir,) = [a for a in args if isinstance(a, Path)]
    return out_dir


def _replay(plot: Callable, args: tuple) -> Optional[list[Path]]:
    """The paths of the figure's files written from the cache, or None (a miss)."""
    out_dir = _out_dir(args)
    key = _key(plot, args, out_dir) if cache.enabled() else None
    entry = None if key is None else cache.load(KIND, key)
    if entry is None:
        return None
    try:
        files = [(str(name), base64.b64decode(data, validate=True)) for name, data in entry]
    except (TypeError, ValueError):
        return None
    if any(Path(name).name != name for name, _ in files):
        return None  # names only: nothing outside the folder
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, data in files:
        (out_dir / name).write_bytes(data)
    return [out_dir / name for name, _ in files]


def _draw_and_store(plot: Callable, args: tuple, key: Any = "derive") -> list:
    """`plot(*args)`, its files stored in the cache under `key` (by default the key of these
    arguments)."""
    out_dir = _out_dir(args)
    if key == "derive":
        key = _key(plot, args, out_dir) if cache.enabled() else None
    written = plot(*args)
    paths = [Path(p) for p in written]
    if key is not None and all(p.parent == out_dir for p in paths):
        entry = [[p.name, base64.b64encode(p.read_bytes()).decode()] for p in paths]
        cache.store(KIND, key, entry)
    return written


def draw(plot: Callable[..., list], *args: Any) -> list:
    """`plot(*args)`, whose one `Path` argument is its output folder, or the files it wrote
    for the same arguments before (same names, same bytes, same returned paths)."""
    replayed = _replay(plot, args)
    return replayed if replayed is not None else _draw_and_store(plot, args)


def _done(value: Any) -> Future:
    future: Future = Future()
    future.set_result(value)
    return future


def _draw_pickled(pickled: bytes, key: Optional[dict], environ: dict) -> list:
    """In a worker: `_draw_and_store` of the (plot, args) pickled when they were submitted, in
    the submitting process's environment of that moment (the fork server's is the one it
    started with: an earlier cache directory, say)."""
    if environ != os.environ:
        os.environ.clear()
        os.environ.update(environ)
    plot, args = pickle.loads(pickled)
    return _draw_and_store(plot, args, key)


#: Worker processes a `Drawer` starts by default (`0`: figures are drawn in the process).
WORKERS_ENV = "QLACI_COST_FIGURE_WORKERS"


#: The most worker processes a `Drawer` starts by default (a report draws two dozen figures).
MAX_WORKERS = 4


def _default_workers() -> int:
    """`$QLACI_COST_FIGURE_WORKERS`, else one per core (at most `MAX_WORKERS`). On two cores
    two workers beside the computing process finished the default report in 39 s where one
    took 55 s: the computation needs a core only until its last stage."""
    cores = min(os.cpu_count() or 1, MAX_WORKERS)
    try:
        return max(0, int(os.environ.get(WORKERS_ENV, str(cores))))
    except ValueError:
        return cores


#: What the workers' fork server imports once, before it forks them (`_context`, off Linux).
PRELOAD = ("qualtran", "qlaci_cost.output.plots", "matplotlib.backends.backend_pdf")


def _context():
    """How worker processes start. On Linux: forked from this process, with the modules and
    the in-process caches it already has (a spawned worker imported Qualtran, Cirq, sympy and
    Matplotlib itself, about 5 s of CPU, and warmed its own caches: the cold default report
    took 36-41 s so, 28-29 s forked). Elsewhere, where forking a process with threads is not
    safe (macOS), forked from a fresh server process that imported `PRELOAD` once; else
    spawned. Each task runs in the environment of the moment it was submitted either way."""
    import multiprocessing
    import sys

    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods:
        return multiprocessing.get_context("fork")
    if "forkserver" not in methods:  # pragma: no cover - Windows
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")  # pragma: no cover - macOS
    context.set_forkserver_preload(list(PRELOAD))  # pragma: no cover
    return context  # pragma: no cover


#: How much lower the workers' scheduling priority is than the report's (`os.nice`).
WORKER_NICENESS = 10


def _lower_priority() -> None:
    """In a worker, first: a lower priority than the computing process, so the report's own
    stages (the path every figure waits on) keep their core and the workers draw on the
    time left over; as many cores are busy either way."""
    if hasattr(os, "nice"):
        try:
            os.nice(WORKER_NICENESS)
        except OSError:  # pragma: no cover - not permitted: drawn at the same priority
            pass


class Drawer:
    """Figures from the cache, else drawn in worker processes (started when first needed;
    `workers` default `$QLACI_COST_FIGURE_WORKERS` or one per core, at most `MAX_WORKERS`;
    0, a single CPU or a platform without process pools: drawn here, at once).

    `hold`, when given, is entered around the start of the workers (a context manager
    factory, `core.progress.Progress.held`): forked while no other thread writes a line, a
    worker inherits no lock held halfway through a write."""

    def __init__(self, workers: Optional[int] = None, hold: Optional[Callable] = None):
        workers = _default_workers() if workers is None else workers
        self._workers = workers if (os.cpu_count() or 1) > 1 else 0
        self._pool = None
        self._hold = hold

    def draw(self, plot: Callable[..., list], *args: Any) -> Future:
        """A future of `draw(plot, *args)`'s paths."""
        replayed = _replay(plot, args)
        if replayed is not None:
            return _done(replayed)
        first = self._pool is None
        pool = self._start() if _ours(plot) else None
        if pool is None:
            return _done(_draw_and_store(plot, args))
        # The arguments as they are now: the pool pickles them later, in a thread, and the
        # report may go on to change a list it passed (the figure and its key would not match).
        key = _key(plot, args, _out_dir(args)) if cache.enabled() else None
        task = (_draw_pickled, pickle.dumps((plot, args)), key, dict(os.environ))
        if not (first and self._hold is not None):
            return pool.submit(*task)
        with self._hold():  # the first submission starts (forks) the workers
            return pool.submit(*task)

    def _start(self):
        if self._pool is None and self._workers:
            try:
                from concurrent.futures import ProcessPoolExecutor

                self._pool = ProcessPoolExecutor(
                    self._workers, mp_context=_context(), initializer=_lower_priority
                )
            except (ImportError, OSError, NotImplementedError):
                self._workers = 0
        return self._pool

    def close(self, cancel: bool = False) -> None:
        """Wait for the worker (or cancel what it has not started) and stop it."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=cancel)
            self._pool = None
