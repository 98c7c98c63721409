"""Benchmark: the exact superposition check at N = 2^10 for every circuit model.

For each QRAM model with a circuit: build the model from seeded data (b bits, default 2), then
time the sparse superposition check of `qlaci_cost.core.superposition` (its leaf program,
decomposition included, and the simulation) on all N = 1024 address branches. The baseline in
the same process: the Cirq state-vector check (`analysis.verify.check_superposition`, dense) of
the same model at N = 8 (when it fits in 24 qubits, else the bucket brigade's). Prints seconds
and the ratio to the baseline, and whether each check passed.

Run: python benchmarks/superposition.py [--n 1024] [--bits 2] [--models a,b]
"""

import argparse
import time

from qlaci_cost.core.superposition import (
    final_state_problem,
    leaf_program,
    run_program,
    uniform_address_state,
)
from qlaci_cost.core.verification import seeded_data
from qlaci_cost.qram import MODELS, build, traits
from qlaci_cost.qram.verify import check_superposition


def _sparse(model: str, n_cells: int, bits: int) -> tuple[float, float, bool, int]:
    """(leaf program s, simulation and final-state check s, passed, leaf operations)."""
    data = seeded_data(n_cells, bits)
    bloq = build(model, data, bits)
    t0 = time.perf_counter()
    program = leaf_program(bloq)
    t1 = time.perf_counter()
    state = run_program(program, uniform_address_state(program, "address", n_cells))
    ok = final_state_problem(program, state, data) is None
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, ok, len(program.ops)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1024)
    parser.add_argument("--bits", type=int, default=2)
    parser.add_argument("--models", default=",".join(m for m in MODELS))
    args = parser.parse_args()
    models = [m for m in args.models.split(",") if not traits(m).ASSUMED_ORACLE]

    t0 = time.perf_counter()
    base = check_superposition("bucket-brigade", seeded_data(8, 1), 1)
    baseline = time.perf_counter() - t0
    print(f"baseline: Cirq state-vector check, bucket-brigade N=8 b=1: {baseline:.2f} s", base.ok)
    head = f"{'model':<26}{'ops':>8}{'program s':>11}{'simulate s':>12}{'total s':>9}"
    print(f"{head}{'ratio':>8}  ok")
    for model in models:
        prog, sim, ok, n_ops = _sparse(model, args.n, args.bits)
        total = prog + sim
        print(
            f"{model:<26}{n_ops:>8}{prog:>11.2f}{sim:>12.2f}{total:>9.2f}"
            f"{total / baseline:>8.1f}  {ok}"
        )


if __name__ == "__main__":
    main()
