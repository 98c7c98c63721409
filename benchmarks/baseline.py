"""What every target benchmark measures against: the import of Qualtran and Cirq, and the load.

`baseline_seconds()` times `python -c "import qualtran, cirq"` in a fresh process (the median
of a few): the cost every command paid before its imports were lazy, run in the same process as
the benchmark, so that a ratio to it says how a target fares on the machine at that moment.
`machine()` states the CPUs and the load average (other work on a shared machine slows both
the target and the baseline; the ratio is the steadier number). `timed(argv)` times one fresh
process of the command line `argv` (`python -m qlaci_cost ...` from this checkout, its disk
cache in `env`).
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["ROOT", "baseline_seconds", "cli", "env_with_cache", "machine", "ratio_line", "timed"]

ROOT = Path(__file__).resolve().parent.parent


def env_with_cache(cache_dir: str) -> dict[str, str]:
    """The environment of a measured command: this checkout, its cache in `cache_dir`, no
    progress lines."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QLACI_COST_CACHE_DIR": str(cache_dir)}
    env.pop("QLACI_COST_NO_CACHE", None)
    env["QLACI_COST_PROGRESS_SECONDS"] = "0"
    return env


def cli(*words: str) -> list[str]:
    """`python -m qlaci_cost WORDS`."""
    return [sys.executable, "-m", "qlaci_cost", *words]


def timed(argv: list[str], env: dict[str, str] | None = None, check: bool = True) -> float:
    """Wall-clock seconds of one process of `argv` (its output discarded)."""
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True)
    seconds = time.perf_counter() - start
    if check and done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()[-800:]}")
    return seconds


def baseline_seconds(repeats: int = 3) -> float:
    """Median seconds of a fresh `python -c "import qualtran, cirq"`."""
    argv = [sys.executable, "-c", "import qualtran, cirq"]
    return statistics.median(timed(argv) for _ in range(repeats))


def machine() -> str:
    """CPUs and load average, as one line."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} CPUs, load average {load} (1, 5, 15 min)"


def ratio_line(name: str, seconds: float, base: float, target_s: float, target_ratio=None) -> str:
    """`name: T s, R x baseline, target ...: met / MISSED`."""
    ok = seconds < target_s and (target_ratio is None or seconds / base < target_ratio)
    target = f"< {target_s:g} s" + ("" if target_ratio is None else f", < {target_ratio:g}x")
    flag = "met" if ok else "MISSED"
    return f"  {name:<44} {seconds:7.2f} s  {seconds / base:5.2f}x baseline  ({target}: {flag})"
