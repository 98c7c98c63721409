"""Benchmark: the QLACI head table from symbolic expressions, every QRAM model, N = 2^4..2^40.

Builds the head table (`qlaci_rows`, level head, readout precision rel:0.1 (shots grow with N,
the costlier setting for the exact ceilings; the default is abs:0.01), Hoeffding,
delta = 0.05; the prototype query: d_q = 4, b = 2, L = 1, d_ctx = 1) for every model at the 37
sizes N = 2^4..2^40, and prints:

- cold: the first call in the process, including the one symbolic derivation per model
  (`cost_summary` of the size-only `QLACIQuery` with N a symbol, compiled to integer code) and
  the exact shot counts per N. Imports (and sympy's lazily imported `sympy.physics.units`) come
  before the clock starts;
- warm: the same table again with the derivations cached but the shot counts recomputed
  (their per-N cache cleared): what a further table with another readout setting costs;
- hot: everything cached;
- the per-row time at N = 2^4..2^20 against 2^4..2^40 (flat in N: a row is integer arithmetic);
- the numbers: shots, total Toffoli, total T count and total depth at N = 2^4, 2^20, 2^40.

Run: python benchmarks/qlaci_table.py [--repeats R]
"""

import argparse
import sys
import time

import sympy.physics.units  # noqa: F401 - sympy.simplify imports it lazily (~0.5 s) on first use

from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.qlaci import table as qlaci_table
from qlaci_cost.qlaci.table import qlaci_rows
from qlaci_cost.qram import MODELS, model_class

REL = Scenario(precision="rel:0.1")

FULL = [2**k for k in range(4, 41)]
SMALL = [2**k for k in range(4, 21)]
SHOWN = (2**4, 2**20, 2**40)


def _available() -> tuple[list[str], list[str]]:
    ok, missing = [], []
    for model in MODELS:
        try:
            model_class(model)
            ok.append(model)
        except (ImportError, AttributeError):  # a model not in the package yet
            missing.append(model)
    return ok, missing


def _best(fn, repeats: int, clear_shots: bool = False) -> float:
    times = []
    for _ in range(repeats):
        if clear_shots:
            qlaci_table._calls.cache_clear()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def _sci(x: int) -> str:
    return f"{x:.3e}" if x >= 10**6 else str(x)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10, help="warm/hot repeats (best of)")
    args = parser.parse_args(argv)

    models, missing = _available()
    if missing:
        print(f"models not importable (skipped): {', '.join(missing)}")

    t0 = time.perf_counter()
    table = qlaci_rows(models, FULL, "head", REL)
    cold = time.perf_counter() - t0
    assert len(table.rows) == len(models) * len(FULL)

    warm = _best(lambda: qlaci_rows(models, FULL, "head", REL), args.repeats, clear_shots=True)
    hot_full = _best(lambda: qlaci_rows(models, FULL, "head", REL), args.repeats)
    hot_small = _best(lambda: qlaci_rows(models, SMALL, "head", REL), args.repeats)

    cells = len(models) * len(FULL)
    print(f"models: {', '.join(models)} ({len(models)})")
    print(f"head table N=2^4..2^40 ({len(FULL)} sizes, {cells} rows), default readout:")
    print(f"  cold (incl. symbolic derivation):     {cold * 1e3:10.1f} ms")
    print(f"  warm (derivations cached, new shots): {warm * 1e3:10.1f} ms")
    print(f"  hot (everything cached):              {hot_full * 1e3:10.1f} ms")
    per_small = hot_small / (len(models) * len(SMALL))
    per_full = hot_full / cells
    print("per row (hot), flat in N:")
    print(f"  N=2^4..2^20: {per_small * 1e6:8.2f} us/row ({len(SMALL)} sizes)")
    print(f"  N=2^4..2^40: {per_full * 1e6:8.2f} us/row ({len(FULL)} sizes)")
    print(f"  ratio: {per_full / per_small:.2f}")
    print()
    print(f"{'model':<24}{'N':>8}{'shots':>12}{'total_toffoli':>14}{'total_t':>12}{'depth':>12}")
    for row in table.rows:
        if row["N"] in SHOWN:
            n = f"2^{row['N'].bit_length() - 1}"
            print(
                f"{row['model']:<24}{n:>8}{_sci(row['shots']):>12}"
                f"{_sci(row['total_toffoli']):>14}{_sci(row['total_t_count']):>12}"
                f"{_sci(row['total_depth']):>12}"
            )
    print()
    for note in table.notes:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
