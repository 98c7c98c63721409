"""Benchmark: QLACI's exact classical twin for a whole head at N = 2^20, against the quantum head.

Times `qlaci_cost.qlaci.twin.classical_twin` on a prototype query (`QLACIQuery()` sizes:
d_q = 4, b = 2, n_kv = 2, one key and one value component, L = 1, Z readout) with seeded random
keys, values and N query rows (docs/derivations/twin.md). The baseline in the same process: a
plain NumPy operation of the same size, the elementwise product of two 2^d_q x N float64 arrays
(one pass over as many values as the N query states hold; not a BLAS call, so it does not
depend on the BLAS thread count). Prints seconds and the ratio to the baseline, the
operations the twin reports against the `qlaci-exact` closed form, its roofline time (H100 at
2 bytes per value, as the other baselines; the `cpu` preset at 8 bytes per value, the float64
this implementation uses), and the quantum head's estimated runtime at the same N for the
assumed `ideal` QRAM (the crossover's quantum side at its defaults).

Run: python benchmarks/twin.py [--n 1048576] [--repeat 3] [--no-quantum]
"""

import argparse
import time

import numpy as np

from qlaci_cost.analysis.baselines import QLACIExact
from qlaci_cost.analysis.roofline import runtime_seconds
from qlaci_cost.qlaci import QLACIQuery
from qlaci_cost.qlaci.twin import OpCount, classical_twin, readout_operators


def _query(seed: int = 2024) -> QLACIQuery:
    rng = np.random.default_rng(seed)
    q = QLACIQuery()
    return QLACIQuery(
        fm_angles=rng.uniform(-np.pi, np.pi, q.d_k + q.d_v),
        theta=rng.uniform(-np.pi, np.pi, q.interaction.n_parameters),
        phi=rng.uniform(-np.pi, np.pi, q.aggregation.n_parameters),
    )


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def _quantum_head_seconds(n: int) -> float:
    from qlaci_cost.qlaci.crossover import crossover

    result = crossover(["ideal"], ["flash"], [n])
    return float(result.records[0]["quantum_s"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2**20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-quantum", action="store_true", help="skip the quantum estimate")
    args = parser.parse_args()
    n, query = args.n, _query()
    rng = np.random.default_rng([7, n])
    keys = rng.integers(0, 2**query.bits, (n, query.d_k))
    values = rng.integers(0, 2**query.bits, (n, query.d_v))
    queries = rng.uniform(-np.pi, np.pi, (n, query.d_q))
    readout_operators(query)  # data-independent, once per trained circuit (not timed)

    a, b = rng.uniform(-1, 1, (2, 2**query.d_q, n))
    baseline = _best(lambda: a * b, args.repeat)
    twin = _best(lambda: classical_twin(query, keys, values, queries), args.repeat)
    counter = OpCount()
    out = classical_twin(query, keys, values, queries, counter)
    cost = QLACIExact.from_query(query)
    print(f"N = {n}: {out.shape[0]} queries x {out.shape[1]} observable(s), all exact")
    print(
        f"baseline: NumPy elementwise product of two {2**query.d_q} x {n} arrays: {baseline:.4f} s"
    )
    print(f"twin (rho_bar + {n} queries): {twin:.4f} s, {twin / baseline:.1f} x the baseline")
    print(f"FLOPs counted {counter.total:,}, closed form {cost.flops(n, 64):,}")
    for hw, bpv in (("h100", 2), ("cpu", 8)):
        roof = float(runtime_seconds(cost, n, 64, hw, bpv))
        print(f"qlaci-exact roofline, {hw} at {bpv} B/value: {roof:.3e} s")
    if not args.no_quantum:
        seconds = _quantum_head_seconds(n)
        print(
            f"quantum head, ideal QRAM (assumed oracle), crossover defaults: {seconds:.3e} s "
            f"= {seconds / (365.25 * 86400):.3e} years, {seconds / twin:.2e} x the twin"
        )


if __name__ == "__main__":
    main()
