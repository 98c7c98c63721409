"""Benchmark: the QLAM table, 37 sizes N = 2^4..2^40 x every readout protocol, flat in N.

Builds `qlam_rows` for the five protocols (final, every-step, weak, final-ae, every-step-ae;
default circuit m = 8, d_in = 1, L = 2, r = 2, ladder; abs:0.01, delta = 0.05) at the 37 sizes
and prints:

- cold: the first table in the process (the step and readout summaries derived once);
- per-row time at N = 2^40 against N = 2^20 (row caches cleared, best of R), with the union
  bound `none` (shots independent of N) and `all` (shots depend on N through ln(2 K N / delta),
  an exact ceiling): the ratio is ~1 when a row is integer arithmetic whatever N. With `all`
  the amplitude-estimation rows pay for `shots.median_repetitions` (an exact binomial tail
  whose length grows with ln(1 / delta_each), so with ln N): not flat;
- the numbers: step executions at N = 2^4, 2^20, 2^40 per protocol.

Run: python benchmarks/qlam_table.py [--repeats R]
"""

import argparse
import time

import sympy.physics.units  # noqa: F401 - sympy.simplify imports it lazily on first use

from qlaci_cost.qlam import table as qlam_table
from qlaci_cost.qlam.table import PROTOCOL_NAMES, qlam_rows

FULL = [2**k for k in range(4, 41)]


def _per_row(n: int, union: str, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        qlam_table._cost.cache_clear()
        t0 = time.perf_counter()
        qlam_rows([n], PROTOCOL_NAMES, union=union)
        best = min(best, time.perf_counter() - t0)
    return best / len(PROTOCOL_NAMES)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20, help="repeats per size (best of)")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    table = qlam_rows(FULL, PROTOCOL_NAMES)
    cold = time.perf_counter() - t0
    assert len(table.rows) == len(FULL) * len(PROTOCOL_NAMES) == 185
    print(f"table: {len(FULL)} sizes x {len(PROTOCOL_NAMES)} protocols = {len(table.rows)} rows")
    print(f"cold (first table in the process): {cold:.3f} s")
    for union in ("none", "all"):
        small, large = _per_row(2**20, union, args.repeats), _per_row(2**40, union, args.repeats)
        print(
            f"union {union:<4}: per row {small * 1e3:.3f} ms at N = 2^20, {large * 1e3:.3f} ms at "
            f"N = 2^40: ratio 2^40 / 2^20 = {large / small:.2f}"
        )
    print("step executions:")
    for row in table.rows:
        if row["N"] in (2**4, 2**20, 2**40):
            print(f"  {row['protocol']:<14} N = 2^{row['N'].bit_length() - 1:<3} "
                  f"{row['step_executions']:.4e}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
