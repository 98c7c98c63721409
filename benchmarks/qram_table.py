"""Benchmark: the QRAM table from closed forms against Qualtran's concrete count.

Builds the full table (every model, N = 2^4..2^40, 37 sizes, b = 8) with `qram_rows`, then
times Qualtran's concrete `get_cost_value(QROM.build_from_data(data), QECGatesCost())` at
N = 2^16 (build + count, seeded random 8-bit data). Prints both times, their ratio, and the
per-size table time at N = 2^4..2^20 against 2^4..2^40 to show it does not grow with N.

Table times:
- cold: the first call in the process, including the one symbolic derivation per model
  (`cost_summary` of the model with N and b symbols; cached per model and conventions).
  Imports come before the clock starts, including `sympy.physics.units`, which
  `sympy.simplify` would otherwise import on its first call inside the timed region;
- warm: the same call again (derivations cached): what every further table costs.

Run: python benchmarks/qram_table.py [--repeats R]
"""

import argparse
import statistics
import sys
import time

import numpy as np
import sympy.physics.units  # noqa: F401 - sympy.simplify imports it lazily (~0.5 s) on first use
from qualtran.bloqs.data_loading.qrom import QROM
from qualtran.resource_counting import QECGatesCost, get_cost_value

from qlaci_cost.qram import MODELS, model_class
from qlaci_cost.qram.table import qram_rows

FULL = [2**k for k in range(4, 41)]
SMALL = [2**k for k in range(4, 21)]
CONCRETE_N = 2**16


def _available() -> tuple[list[str], list[str]]:
    ok, missing = [], []
    for model in MODELS:
        try:
            model_class(model)
            ok.append(model)
        except (ImportError, AttributeError):  # a model not in the package yet
            missing.append(model)
    return ok, missing


def _best(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def _concrete() -> float:
    data = np.random.default_rng(2024).integers(0, 256, size=CONCRETE_N)
    t0 = time.perf_counter()
    get_cost_value(QROM.build_from_data(data, target_bitsizes=(8,)), QECGatesCost())
    return time.perf_counter() - t0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20, help="warm repeats (best of)")
    args = parser.parse_args(argv)

    models, missing = _available()
    if missing:
        print(f"models not importable (skipped): {', '.join(missing)}")

    t0 = time.perf_counter()
    table = qram_rows(models, FULL, 8)
    cold = time.perf_counter() - t0
    assert len(table.rows) == len(models) * len(FULL)

    warm_full = _best(lambda: qram_rows(models, FULL, 8), args.repeats)
    warm_small = _best(lambda: qram_rows(models, SMALL, 8), args.repeats)
    concrete = statistics.median(_concrete() for _ in range(3))

    cells = len(models) * len(FULL)
    print(f"models: {', '.join(models)} ({len(models)})")
    print(f"table N=2^4..2^40 ({len(FULL)} sizes, {cells} rows, b=8):")
    print(f"  cold (incl. symbolic derivation): {cold * 1e3:10.3f} ms")
    print(f"  warm (derivations cached):        {warm_full * 1e3:10.3f} ms")
    print(f"Qualtran concrete QROM N=2^16 (build + QECGatesCost): {concrete * 1e3:.1f} ms")
    print(f"ratio concrete / table, cold:            {concrete / cold:12.1f}x")
    print(f"ratio concrete / table, warm:            {concrete / warm_full:12.1f}x")
    print(f"ratio concrete / one row (warm):         {concrete / (warm_full / cells):12.1f}x")
    per_small = warm_small / (len(models) * len(SMALL))
    per_full = warm_full / cells
    print("per row (warm), flat in N:")
    print(f"  N=2^4..2^20: {per_small * 1e6:8.2f} us/row ({len(SMALL)} sizes)")
    print(f"  N=2^4..2^40: {per_full * 1e6:8.2f} us/row ({len(FULL)} sizes)")
    print(f"  ratio: {per_full / per_small:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
