"""Benchmark: the full default report (N = 2^4..2^40, every model, PNG and PDF figures).

Prints the seconds per stage, the total against the 60 s target, and, as a baseline run in the
same process, the time of one concrete Qualtran count (QROM at N = 2^12, b = 8, build + count):
the report's total as a multiple of it shows how many such counts the whole report costs.

Run: python benchmarks/report.py
"""

import tempfile
import time
from pathlib import Path

import numpy as np
from qualtran.bloqs.data_loading.qrom import QROM
from qualtran.resource_counting import QECGatesCost, get_cost_value

from qlaci_cost.output.report import DEFAULT_SIZES, write_report

TARGET_S = 60.0


def baseline_seconds() -> float:
    data = np.random.default_rng(2024).integers(0, 256, size=2**12)
    start = time.perf_counter()
    get_cost_value(QROM.build_from_data(data, target_bitsizes=(8,)), QECGatesCost())
    return time.perf_counter() - start


def main() -> None:
    base = baseline_seconds()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        timings = write_report(Path(tmp) / "reports", DEFAULT_SIZES, progress=None)
        total = time.perf_counter() - start
    print(f"report, N = 2^4..2^40 ({len(DEFAULT_SIZES)} sizes), all models, png + pdf")
    for stage, seconds in timings.items():
        print(f"  {stage:<20} {seconds:8.2f} s")
    print(f"  {'total':<20} {total:8.2f} s  (target < {TARGET_S:.0f} s: "
          f"{'met' if total < TARGET_S else 'MISSED'}, {total / TARGET_S:.2f} of it)")  # fmt: skip
    print(f"baseline: concrete QROM count at N = 2^12: {base:.3f} s; report / baseline = "
          f"{total / base:.0f}x")  # fmt: skip


if __name__ == "__main__":
    main()
