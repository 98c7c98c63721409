"""Benchmark: start-up of the `qlaci-cost` command, whole processes, ratios in one run.

Times (median of R runs each, wall clock of a fresh `python -m qlaci_cost` process):
- bare: `python -c pass` (the interpreter alone);
- old: `python -c "import cirq, qualtran"` (what every command paid before imports were
  lazy: `qlaci_cost.cli` imported Qualtran and Cirq); the baseline of the ratios;
- help: `qlaci-cost --help` and every subcommand's `--help`;
- qram cold: `qlaci-cost qram --n 2^4..2^40 --format csv` with an empty disk cache (derives
  and compiles every model's closed forms, then stores them);
- qram warm: the same command again (closed forms from the cache; no sympy, no Qualtran);
- every table command warm (`TABLES`: qram, qlaci, qlam, multi-query, estimate, breakeven,
  table FAMILY for every registered family): run once to fill the cache, then timed. Targets:
  < 1 s and < 0.3x the Qualtran and Cirq import (issue "fast as a whole").

Prints the times, the ratios and the machine's load. The cache lives in a temporary directory
(QLACI_COST_CACHE_DIR), never the user's.

Run: python benchmarks/startup.py [--repeats R] [--tables-only]
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from baseline import baseline_seconds, cli, env_with_cache, machine, ratio_line  # noqa: E402

from qlaci_cost.cli.main import COMMANDS  # noqa: E402 - imports nothing heavy

#: Every registered subcommand.
SUBCOMMANDS = tuple(c.rsplit(".", 1)[-1] for c in COMMANDS if isinstance(c, str))
QRAM = ["qram", "--n", "2^4..2^40", "--format", "csv"]
#: Every table command, as the targets name them (the sizes of the issue's timings).
TABLES: dict[str, list[str]] = {
    "qram --n 2^4..2^40": QRAM,
    "qlaci --n 16": ["qlaci", "--n", "16"],
    "qlaci --n 2^4..2^40": ["qlaci", "--n", "2^4..2^40"],
    "qlam --n 16": ["qlam", "--n", "16"],
    "multi-query (qlaci --n 16 --batch 1,4,16)": ["qlaci", "--n", "16", "--batch", "1,4,16"],
    "estimate --n 16": ["estimate", "--n", "16"],
    "breakeven (defaults)": ["breakeven"],
    "table qram --n 16": ["table", "qram", "--n", "16"],
    "table qlaci --n 16": ["table", "qlaci", "--n", "16"],
    "table multi-query --n 16": ["table", "multi-query", "--n", "16"],
    "table qlam --n 16": ["table", "qlam", "--n", "16"],
}


def _time(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{argv} failed: {done.stderr.decode()[-500:]}")
    return elapsed


def _median(argv: list[str], env: dict[str, str], repeats: int) -> float:
    return statistics.median(_time(argv, env) for _ in range(repeats))


def tables(repeats: int, base: float) -> None:
    """Every table command warm: one run fills the cache, the median of `repeats` is timed."""
    print(f"table commands, warm cache, median of {repeats} processes; {machine()}")
    print(f"  baseline: python -c 'import qualtran, cirq' {base:.2f} s")
    with tempfile.TemporaryDirectory() as cache:
        env = env_with_cache(cache)
        for name, argv in TABLES.items():
            _time(cli(*argv), env)  # cold: fills the cache
            warm = _median(cli(*argv), env, repeats)
            print(ratio_line(name, warm, base, 1.0, 0.3), flush=True)
    print(f"  after: {machine()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--tables-only", action="store_true", help="only the table commands")
    args = parser.parse_args()
    repeats = args.repeats
    base = baseline_seconds()
    if args.tables_only:
        tables(repeats, base)
        return
    cli_ = [sys.executable, "-m", "qlaci_cost"]
    with tempfile.TemporaryDirectory() as cache:
        env = env_with_cache(cache)
        bare = _median([sys.executable, "-c", "pass"], env, repeats)
        old = _median([sys.executable, "-c", "import cirq, qualtran"], env, repeats)
        helps = {"--help": _median([*cli_, "--help"], env, repeats)}
        for name in SUBCOMMANDS:
            helps[f"{name} --help"] = _median([*cli_, name, "--help"], env, repeats)
        colds = []
        for _ in range(max(1, repeats // 2)):
            for entry in Path(cache).iterdir():
                entry.unlink()
            colds.append(_time([*cli_, *QRAM], env))
        cold = statistics.median(colds)
        warm = _median([*cli_, *QRAM], env, repeats)
    print(f"start-up, median of {repeats} processes (cold: {len(colds)}); {machine()}")
    print(f"  python -c pass                      {bare * 1e3:8.0f} ms")
    print(f"  python -c 'import cirq, qualtran'   {old * 1e3:8.0f} ms  (each command's old cost)")
    for name, t in helps.items():
        flag = "ok" if t < 0.5 else "OVER 0.5 s"
        print(f"  qlaci-cost {name:<24} {t * 1e3:8.0f} ms  {flag}")
    print(f"  qram 2^4..2^40 csv, cold cache      {cold * 1e3:8.0f} ms")
    flag = "ok" if warm < 1 else "OVER 1 s"
    print(f"  qram 2^4..2^40 csv, warm cache      {warm * 1e3:8.0f} ms  {flag}")
    print(f"ratio cold / warm: {cold / warm:.1f}x")
    print(f"ratio import cirq+qualtran / warm: {old / warm:.1f}x")
    print(f"ratio warm / bare interpreter: {warm / bare:.2f}x")
    print()
    tables(repeats, base)


if __name__ == "__main__":
    main()
