"""Profile: where `qlaci-cost report` and each table command spend their time (cProfile).

Two parts, each printing the wall time and the top-N functions by cumulative time:

- report: the stages of `output.report.write_report` (the functions of `_STAGE_STEPS`, in
  the order of `STAGES`, then the index), each profiled on its own in one process, on the
  default grid (N = 2^4..2^40) unless `--sizes` says otherwise; figures are drawn (or read
  from the disk cache) in the figures stage, in this process (the report draws them in a
  worker while its later stages compute);
- commands: each table command (`qram`, `qlaci`, `qlam`, `multi-query` as `qlaci --batch`,
  `estimate`, `breakeven`, `table FAMILY` for every registered family, `verify`) in a fresh
  process of its own, profiled from its first import (the imports are part of a command's
  time), twice: with an empty disk cache (cold) and again with the cache it left (warm).

Each part runs in fresh processes, cold (an empty disk cache) then warm (the cache the cold
run left); the cache lives in a temporary directory (QLACI_COST_CACHE_DIR), never the user's.

Run: python benchmarks/profile_report.py [report|commands|COMMAND ...] [--top N]
     [--sizes 2^4..2^40] [--warm-only]
"""

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: Table commands profiled, name -> arguments (`--n 16`: the sizes of the issue's timings).
COMMANDS: dict[str, list[str]] = {
    "qram": ["qram", "--n", "16"],
    "qlaci": ["qlaci", "--n", "16"],
    "qlam": ["qlam", "--n", "16"],
    "multi-query": ["qlaci", "--n", "16", "--batch", "1,4"],
    "estimate": ["estimate", "--n", "16"],
    "breakeven": ["breakeven", "--n", "16"],
    "table qram": ["table", "qram", "--n", "16"],
    "table qlaci": ["table", "qlaci", "--n", "16"],
    "table multi-query": ["table", "multi-query", "--n", "16"],
    "table qlam": ["table", "qlam", "--n", "16"],
    "verify": ["verify"],
}


def _top(profile: cProfile.Profile, top: int) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    lines = out.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join("    " + line for line in lines[start:] if line.strip())


def profile_report(sizes: list[int], top: int) -> None:
    """Each stage of the report in one process, profiled on its own."""
    import shutil

    from qlaci_cost.analysis.scenario import Scenario
    from qlaci_cost.output import report
    from qlaci_cost.output.index import build_index
    from qlaci_cost.output.provenance import provenance
    from qlaci_cost.qram import MODELS

    tmp = Path(tempfile.mkdtemp(prefix="profile-report-"))
    run = report._Run(tmp, sorted(sizes), list(MODELS), Scenario(), ("png", "pdf"))
    run.drawer = _Later()  # figures drawn (or read from the cache) in the figures stage
    total = 0.0
    print(f"report stages, {len(sizes)} sizes, every model, png + pdf")
    steps = list(zip(report.STAGES, report._STAGE_STEPS))
    try:
        for name, step in steps + [(report.STAGES[-1], None)]:
            profile = cProfile.Profile()
            start = time.perf_counter()
            profile.enable()
            if step is None:
                inputs = report._index_inputs(run)._replace(provenance=provenance(None))
                build_index(inputs)
            else:
                step(run)
            profile.disable()
            seconds = time.perf_counter() - start
            total += seconds
            print(f"\n== stage {name}: {seconds:.2f} s")
            print(_top(profile, top))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nreport stages total: {total:.2f} s (imports before the first stage not included)")


class _Later:
    """A report's drawer that draws each figure when the figures stage asks for it, in this
    process (the report's own drawer starts them in a worker, where cProfile does not see)."""

    def draw(self, plot, *args):
        from qlaci_cost.output.figure_cache import draw

        class Lazy:
            def result(self):
                return draw(plot, *args)

        return Lazy()

    def close(self, cancel: bool = False) -> None:
        pass


def _child(argv: list[str], top: int) -> None:
    """In a fresh process: the command from its first import, under cProfile."""
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    from qlaci_cost.cli.main import main

    sink = io.StringIO()
    stdout, sys.stdout = sys.stdout, sink
    try:
        status = main(argv)
    finally:
        sys.stdout = stdout
    profile.disable()
    seconds = time.perf_counter() - start
    print(f"in-process {seconds:.2f} s, status {status}")
    print(_top(profile, top))


def _report_processes(sizes: str, top: int, warm_only: bool) -> None:
    """The report's stages in a fresh process: cold (empty cache), then warm."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "QLACI_COST_CACHE_DIR": cache}
        env.pop("QLACI_COST_NO_CACHE", None)
        for state in ("cold", "warm"):
            argv = [sys.executable, __file__, "--report-child", "--sizes", sizes]
            done = subprocess.run(
                [*argv, "--top", str(top)], env=env, cwd=ROOT, capture_output=True, text=True
            )
            if state == "cold" and warm_only:
                continue
            print(f"\n==== report, {state} cache")
            print(done.stdout.rstrip() or done.stderr[-2000:])


def profile_commands(names: list[str], top: int, warm_only: bool) -> None:
    """Each command in a fresh process: cold (empty cache), then warm (the cache it left)."""
    for name in names:
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "PYTHONPATH": str(ROOT), "QLACI_COST_CACHE_DIR": cache}
            env.pop("QLACI_COST_NO_CACHE", None)
            env["QLACI_COST_PROGRESS_SECONDS"] = "0"
            for state in ("cold", "warm"):
                argv = [sys.executable, __file__, "--child", "--top", str(top), "--"]
                start = time.perf_counter()
                done = subprocess.run(
                    argv + COMMANDS[name], env=env, cwd=ROOT, capture_output=True, text=True
                )
                seconds = time.perf_counter() - start
                if state == "cold" and warm_only:
                    continue
                print(f"\n== {name} ({' '.join(COMMANDS[name])}), {state}: {seconds:.2f} s")
                print(done.stdout.rstrip() or done.stderr[-2000:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="*", help="report, commands or command names")
    parser.add_argument("--top", type=int, default=15, help="functions shown per profile")
    parser.add_argument("--sizes", default="2^4..2^40", help="the report's grid")
    parser.add_argument("--warm-only", action="store_true", help="print warm runs only")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--report-child", action="store_true", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.report_child:
        from qlaci_cost.core.grids import parse_sizes

        profile_report(parse_sizes(args.sizes), args.top)
        return
    if args.child:
        _child([a for a in rest if a != "--"] or args.what, args.top)
        return
    what = args.what or ["report", "commands"]
    if "report" in what:
        _report_processes(args.sizes, args.top, args.warm_only)
    names = [w for w in what if w in COMMANDS]
    if "commands" in what:
        names = list(COMMANDS)
    unknown = [w for w in what if w not in COMMANDS and w not in ("report", "commands")]
    if unknown:
        raise SystemExit(f"unknown: {', '.join(unknown)}; choose report, commands or {COMMANDS}")
    if names:
        profile_commands(names, args.top, args.warm_only)


if __name__ == "__main__":
    main()
