"""What a QLACI query computes, by state-vector simulation at small N (claim 5's evidence).

The superposed query's readout equals the uniform average (1/N) sum_j f_j of the single-position
circuits (a kernel average), not a softmax-weighted average
(docs/design.md#kernel-average-not-softmax).
"""

from collections.abc import Mapping
from typing import Any

import numpy as np

from qlaci_cost.qlaci.query import QLACIQuery
from qlaci_cost.symbolics.scaling import slope_text

__all__ = ["SIMULATION_ATOL", "attention_text", "simulate_attention"]

#: Simulated expectations equal a reference when within this.
SIMULATION_ATOL = 1e-6


def attention_text(sim: Mapping[str, Any], res: Mapping[str, Any]) -> str:
    """Claim 5's evidence: the simulation and the shots to resolve one position's share."""
    n = sim["N"]
    return (
        f"simulated at N={n} ({sim['model']} QRAM): superposed query vs (1/N) sum_j f_j: max "
        f"diff {sim['kernel_error']:.1e}; vs softmax(Q.K)-weighted average: max diff "
        f"{sim['softmax_gap']:.3f}; duplicating a pair moves c_i by exactly 1/N of the "
        f"difference (error {sim['duplicate_error']:.1e}): uniform weights 1/N whatever Q_i, "
        f"K_j; to resolve one position's share (eps = {res['rel']}/N) a query needs "
        f"{res['shots']:,} Hoeffding shots per observable at N=2^{res['N'].bit_length() - 1}, "
        f"slope {slope_text(res['slope'])}"
    )


def _seeded_query(rng, model: str, n_cells: int, bits: int, d_q: int, query_options) -> dict:
    """`QLACIQuery` arguments with random distinct words, query and angles drawn from `rng`."""
    words = rng.choice(2 ** (2 * bits), size=n_cells, replace=False)
    return dict(
        n_cells=n_cells,
        d_q=d_q,
        bits=bits,
        qram_model=model,
        query=rng.uniform(-np.pi, np.pi, d_q),
        keys=[[int(w) >> bits] for w in words],
        values=[[int(w) % 2**bits] for w in words],
        fm_angles=rng.uniform(-np.pi, np.pi, 2),
        theta=rng.uniform(-np.pi, np.pi, 2 * (d_q + 2)),
        phi=rng.uniform(-np.pi, np.pi, 2 * (d_q + 3)),
        **query_options,
    )


def simulate_attention(
    model: str = "ideal", n_cells: int = 4, seed: int = 11, **query_options
) -> dict[str, Any]:
    """What a QLACI query computes, by state-vector simulation of its circuit at small N.

    Runs the N single-position circuits (index |j>) and the superposed query on the same
    seeded random data (distinct words, b = 2, d_q = 1 unless given), reads <Z>, <X>, <Y> on
    R_out, and compares the superposed values with `kernel_average` (the uniform average
    (1/N) sum_j f_j) and with `softmax_average` under scores Q . K_j; then duplicates the pair
    of position 0 into position 1 and checks the value moves to (2 f_0 + sum_{j>=2} f_j) / N.
    Every QRAM model implements the same unitary (checked per model in its tests), so the
    result holds for each of them.

    Raises:
        RuntimeError: the seed's data do not separate the uniform and softmax averages.
    """
    from qlaci_cost.qlaci.simulation import kernel_average, simulate, softmax_average

    rng = np.random.default_rng([seed, n_cells])
    bits = int(query_options.pop("bits", 2))
    d_q = int(query_options.pop("d_q", 1))
    kwargs = _seeded_query(rng, model, n_cells, bits, d_q, query_options)
    observables = ("Z", "X", "Y")

    def values(**kw):
        sim = simulate(QLACIQuery(**kw, measure=False))
        return np.array([sim.expectation(p, "out") for p in observables])

    per_position = np.array([values(**kwargs, position=j) for j in range(n_cells)])
    superposed = values(**kwargs)
    scores = [sum(q * k for q, k in zip(kwargs["query"], key)) for key in kwargs["keys"]]
    keys, vals = list(kwargs["keys"]), list(kwargs["values"])
    keys[1], vals[1] = keys[0], vals[0]
    duplicated = values(**dict(kwargs, keys=keys, values=vals))
    want_dup = (2 * per_position[0] + per_position[2:].sum(axis=0)) / n_cells
    reference = kernel_average(per_position) - softmax_average(per_position, scores)
    separation = float(np.abs(reference).max())
    if separation <= 10 * SIMULATION_ATOL:
        raise RuntimeError(
            f"seed {seed}: the uniform and softmax averages coincide on this data "
            f"({separation:.1e}); choose another seed"
        )
    return {
        "model": model,
        "N": n_cells,
        "observables": observables,
        "per_position": per_position.tolist(),
        "superposed": superposed.tolist(),
        "kernel_error": float(np.abs(superposed - kernel_average(per_position)).max()),
        "softmax_gap": float(np.abs(superposed - softmax_average(per_position, scores)).max()),
        "duplicate_error": float(np.abs(duplicated - want_dup).max()),
        "spread": float(np.ptp(per_position, axis=0).max()),
        "separation": separation,
        "description": (
            f"claim 5 simulation: QLACIQuery at N={n_cells} with the {model} QRAM, seed {seed}, "
            f"d_q={d_q}, b={bits}; <Z>,<X>,<Y> on R_out; softmax scores Q . K_j"
        ),
    }
