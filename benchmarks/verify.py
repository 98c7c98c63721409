"""Benchmark: `qlaci-cost verify` with its defaults (N = 2, 4, 8, b = 2, every model and check).

One whole process (target < 20 s, issue "fast as a whole"), with the disk cache in a temporary
directory (verify's checks derive and simulate: nothing of theirs is cached; the cache only
holds what the families' tables share). Prints the time, its ratio to the baseline run in the
same process (a fresh `python -c "import qualtran, cirq"`, `benchmarks/baseline.py`), the
machine's load, and the summary line of the run.

Run: python benchmarks/verify.py [--repeats R] [-- VERIFY ARGS]
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from baseline import ROOT, baseline_seconds, cli, env_with_cache, machine, ratio_line  # noqa: E402

TARGET_S = 20.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("extra", nargs="*", help="arguments for verify (default: none)")
    args = parser.parse_args()
    base = baseline_seconds()
    print(f"verify {' '.join(args.extra) or '(defaults)'}; before: {machine()}")
    times, summary = [], ""
    with tempfile.TemporaryDirectory() as cache:
        env = env_with_cache(cache)
        for _ in range(args.repeats):
            start = time.perf_counter()
            done = subprocess.run(
                cli("verify", *args.extra), env=env, cwd=ROOT, capture_output=True, text=True
            )
            times.append(time.perf_counter() - start)
            summary = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
    seconds = statistics.median(times)
    print(f"  baseline: python -c 'import qualtran, cirq' {base:.2f} s")
    print(ratio_line(f"verify (median of {args.repeats})", seconds, base, TARGET_S))
    print(f"  {summary}; exit status {done.returncode}")
    print(f"  after: {machine()}")


if __name__ == "__main__":
    main()
