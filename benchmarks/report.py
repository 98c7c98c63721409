"""Benchmark: the full default report (N = 2^4..2^40, every model, PNG and PDF figures).

Whole processes of `qlaci-cost report --out DIR` (a new folder each time), with the disk cache
in a temporary directory:

- cold: an empty cache (every closed form derived, every figure drawn);
- warm: the same command again into another folder (the report the first run wrote, from the
  cache: `cli/report_cache.py`);
- one assumption changed: the same grid with `--reaction-time-us 5` (closed forms, leading
  orders and the figures it does not change from the cache; the physical estimates,
  crossover, break-even, claims and the figures they change computed again). Not a target
  of its own; printed so that the warm number is not read as the cost of a new question.

Targets (issue "fast as a whole"): warm < 10 s, cold < 30 s. Each time is also given as a
multiple of the baseline run in the same process, a fresh `python -c "import qualtran, cirq"`
(`benchmarks/baseline.py`), and the machine's load is printed with it. The report's own stage
times (its progress line) are printed for the warm run. `--in-process` times `write_report`'s
stages in this process instead (imports excluded), as this benchmark did before.

Run: python benchmarks/report.py [--repeats R] [--in-process]
"""

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from baseline import ROOT, baseline_seconds, cli, env_with_cache, machine, ratio_line  # noqa: E402

WARM_TARGET_S, COLD_TARGET_S = 10.0, 30.0


#: The assumption the third run changes.
CHANGED = ("--reaction-time-us", "5")


def _report(out: Path, env: dict, *extra: str) -> tuple[float, str]:
    """(seconds, the progress lines) of one `qlaci-cost report --out out` process."""
    env = {**env, "QLACI_COST_PROGRESS_SECONDS": "1000"}  # stage lines only, no heartbeat
    start = time.perf_counter()
    argv = cli("report", "--out", str(out), *extra)
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"report failed: {done.stderr.decode()[-800:]}")
    return seconds, done.stderr.decode()


def _stages(progress: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"\d+/\d+ (.+ done \([\d.]+ s\))", progress)]


def whole_process(repeats: int) -> None:
    base = baseline_seconds()
    print("report, N = 2^4..2^40 (37 sizes), every model, png + pdf; whole processes")
    print(f"  before: {machine()}")
    print(f"  baseline: python -c 'import qualtran, cirq' {base:.2f} s")
    colds, warms, changed, stages = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeats):
            cache = Path(tmp) / f"cache-{i}"
            env = env_with_cache(str(cache))
            colds.append(_report(Path(tmp) / f"cold-{i}", env)[0])
            warms.append(_report(Path(tmp) / f"warm-{i}", env)[0])
            seconds, progress = _report(Path(tmp) / f"changed-{i}", env, *CHANGED)
            changed.append(seconds)
            stages = _stages(progress)
    cold, warm = statistics.median(colds), statistics.median(warms)
    print(ratio_line(f"cold cache (median of {repeats})", cold, base, COLD_TARGET_S))
    print(ratio_line(f"warm cache (median of {repeats})", warm, base, WARM_TARGET_S))
    again = statistics.median(changed)
    name = f"warm, {' '.join(CHANGED)} (median of {repeats})"
    print(f"  {name:<44} {again:7.2f} s  {again / base:5.2f}x baseline  (no target)")
    print("  its stages: " + "; ".join(stages))
    print(f"  after: {machine()}")


def in_process() -> None:
    from qlaci_cost.output.report import DEFAULT_SIZES, write_report

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        timings = write_report(Path(tmp) / "reports", DEFAULT_SIZES, progress=None)
        total = time.perf_counter() - start
    print(f"report stages in this process, N = 2^4..2^40; {machine()}")
    for stage, seconds in timings.items():
        print(f"  {stage:<20} {seconds:8.2f} s")
    print(f"  {'total':<20} {total:8.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--in-process", action="store_true")
    args = parser.parse_args()
    if args.in_process:
        in_process()
    else:
        whole_process(args.repeats)


if __name__ == "__main__":
    main()
