"""Global tokens: a hybrid Longformer-style head whose G global tokens use QLACI.

docs/derivations/multi_query.md, section 4. Of N tokens, G are global (they attend to all N
positions) and N - G are local (they attend to a band of 2w + 1 positions, padded at the
sequence ends, and to the G global tokens). A score or an output accumulation costs d
multiply-adds per (query, key) pair, so:

- local part (classical in both heads): 2 d (N - G)(2w + 1 + G) multiply-adds;
- global part, all-classical (Longformer): 2 d G N multiply-adds;
- global part, hybrid: G QLACI queries over the N positions, each `query cost x shots`.

A multiply-add is 2 FLOPs (`analysis.classical`). The crossover compares the hybrid head (its
classical local part and its G quantum queries run side by side: time = the larger of the two,
favourable to the hybrid) with the all-classical head, both on stated hardware.
"""

from collections.abc import Iterable
from typing import Any, Optional

import sympy

from qlaci_cost.analysis.classical import get_hardware
from qlaci_cost.analysis.scenario import LEGACY_READOUT, Scenario, fold_legacy
from qlaci_cost.core.summary import METRICS
from qlaci_cost.errors import InputError

__all__ = [
    "GLOBAL_COLUMNS",
    "check_global_tokens",
    "global_multiply_adds",
    "global_token_crossover",
    "global_token_rows",
    "local_multiply_adds",
    "longformer_multiply_adds",
]

#: Columns of `global_token_rows` (besides the per-query metrics).
GLOBAL_COLUMNS: tuple[str, ...] = (
    "model",
    "N",
    "global_tokens",
    "window",
    "qubits",
    "toffoli",
    "t_count",
    "shots",
    "quantum_queries",
    "total_toffoli",
    "total_t_count",
    "classical_multiply_adds",
    "longformer_multiply_adds",
    "saved_multiply_adds",
)


def check_global_tokens(n: Any, global_tokens: Any, window: Any) -> None:
    """Raise `InputError` naming the bad value unless 0 <= G <= N and w >= 0."""
    for name, v, low in (("G", global_tokens, 0), ("W", window, 0), ("N", n, 1)):
        if isinstance(v, sympy.Basic) and v.free_symbols:
            continue
        if isinstance(v, bool) or not isinstance(v, (int, sympy.Integer)) or v < low:
            raise InputError(f"{name}={v!r} is not allowed: an integer >= {low} is needed")
    sym = any(isinstance(v, sympy.Basic) and v.free_symbols for v in (n, global_tokens))
    if not sym and global_tokens > n:
        raise InputError(f"G={global_tokens} is not allowed: at most N={n} global tokens")


def local_multiply_adds(n: Any, global_tokens: Any, window: Any, d: Any) -> Any:
    """2 d (N - G)(2w + 1 + G): N - G local queries, 2w + 1 band keys + G global keys each."""
    check_global_tokens(n, global_tokens, window)
    return 2 * d * (n - global_tokens) * (2 * window + 1 + global_tokens)


def global_multiply_adds(n: Any, global_tokens: Any, d: Any) -> Any:
    """2 d G N: the G global queries over all N keys, classically."""
    return 2 * d * global_tokens * n


def longformer_multiply_adds(n: Any, global_tokens: Any, window: Any, d: Any) -> Any:
    """The all-classical Longformer-style head: local + global parts."""
    return local_multiply_adds(n, global_tokens, window, d) + global_multiply_adds(
        n, global_tokens, d
    )


def _traffic_values(n, g, w, d, with_global: bool) -> Any:
    """Values moved (as `SlidingWindowAttention`): Q, K, V, O (4 N d) + 4 per score."""
    scores = (n - g) * (2 * w + 1 + g) + (g * n if with_global else 0)
    return 4 * n * d + 4 * scores


def classical_seconds(n, g, w, d, hardware="h100", bytes_per_value=2, with_global=True):
    """Roofline time max(FLOPs / peak, bytes / bandwidth) of the local part (+ global part)."""
    hw = get_hardware(hardware)
    mas = local_multiply_adds(n, g, w, d) + (global_multiply_adds(n, g, d) if with_global else 0)
    flops = sympy.Integer(2 * mas)
    traffic = sympy.Integer(bytes_per_value * _traffic_values(n, g, w, d, with_global))
    return max(flops / hw.peak_flops, traffic / hw.bandwidth)


#: Keywords the global-token functions took before `scenario` (for one release).
LEGACY_GLOBAL: dict[str, str] = {
    **LEGACY_READOUT,
    "d": "head_dim",
    "hardware": "hardware",
    "physical_model": "physical_model",
    "physical_params": "physical_params",
    "bytes_per_value": "bytes_per_value",
}


def global_token_rows(
    models: Iterable[str],
    sizes: Iterable[int],
    global_tokens: int,
    window: int,
    scenario: Optional[Scenario] = None,
    **query_options,
) -> tuple[list[dict], list[str]]:
    """Per model and N: the G quantum queries' totals and the classical multiply-adds.

    Quantum: `crossover.head_rows` under `scenario` (the per-query metrics and shots of a
    QLACI head at N); the hybrid runs G of those queries: total_* = G x shots x metric.
    Classical (head dimension d = `scenario.head_dim`): the local part (both heads) and the
    all-classical head; saved = the global part 2 d G N. The old keywords (d, conventions,
    precision, method, delta) still work for one release.
    """
    from qlaci_cost.qlaci.crossover import head_rows

    scenario = fold_legacy(scenario, query_options, "global_token_rows", LEGACY_GLOBAL)
    d = scenario.head_dim
    sizes = list(sizes)
    for n in sizes:
        check_global_tokens(n, global_tokens, window)
    rows, notes = head_rows(models, sizes, scenario, **query_options)
    out = []
    for r in rows:
        n, G = r["N"], global_tokens
        row = {"model": r["model"], "N": n, "global_tokens": G, "window": window}
        row.update({m: r[m] for m in METRICS})
        row["shots"] = r["shots"]
        row["runs_per_query"] = r["runs_per_query"]
        row["quantum_queries"] = G
        for m in METRICS[1:6] + ("toffoli_depth",):
            row[f"total_{m}"] = G * r["shots"] * r[m]
        row["classical_multiply_adds"] = local_multiply_adds(n, G, window, d)
        row["longformer_multiply_adds"] = longformer_multiply_adds(n, G, window, d)
        row["saved_multiply_adds"] = global_multiply_adds(n, G, d)
        out.append(row)
    # The head's level note speaks of N queries; here only G run.
    notes = [n for n in notes if not n.startswith("level head")] + [
        f"global tokens: G = {global_tokens} queries by QLACI (total_* = G x shots x metric), "
        f"N - G local tokens over a window w = {window} classically: 2 d (N - G)(2w + 1 + G) "
        f"multiply-adds (d = {d}); the all-classical Longformer head adds 2 d G N"
    ]
    return out, notes


def _hybrid_point(r: dict, n: int, global_tokens: int, window: int, scenario: Scenario):
    """The hybrid head at N = n (its row `r`): max(the classical local part, the physical
    runtime of the G global queries' runs); the local part alone when G = 0."""
    from qlaci_cost.qlaci.crossover import QuantumPoint
    from qlaci_cost.qlaci.head_rows import head_run_counts

    d, hardware, bytes_per_value = scenario.head_dim, scenario.hardware, scenario.bytes_per_value
    counts = {
        "qubits": r["qubits"],
        "toffoli": r["total_toffoli"],
        "t_count": r["total_t_count"],
        "rotations": r["total_rotations"],
        "measurements": r["total_measurements"],
        "toffoli_depth": r["total_toffoli_depth"],
    }
    run, head_runs = head_run_counts(r)  # one run; the runs of N queries
    runs = global_tokens * (head_runs // n)  # the runs of the G global queries
    e = scenario.estimate(run, runs, scenario.eps(n), counts=counts) if runs else None
    local = classical_seconds(n, global_tokens, window, d, hardware, bytes_per_value, False)
    if e is None:  # G = 0: no quantum part
        return QuantumPoint(n, local, False, 0, "classical", True)
    seconds = max(sympy.Rational(e.runtime_s), local)
    lower = any("lower bound" in x for x in e.notes)
    return QuantumPoint(
        n,
        seconds,
        lower,
        e.physical_qubits,
        e.limited_by,
        e.within_budget,
        invalid_reason=e.invalid_reason,
    )


def global_token_crossover(
    models: Iterable[str],
    sizes: Iterable[int],
    global_tokens: int = 16,
    window: int = 256,
    scenario: Optional[Scenario] = None,
    **query_options,
):
    """Crossover of the hybrid global-token head against the all-classical Longformer head.

    Uses `qlaci.crossover.crossover` with both sides supplied: the quantum side is the
    hybrid head, max(classical local part, physical runtime of the G quantum queries under
    the scenario's model, parameters and error-budget scope); the classical side (baseline
    `longformer-global`) is the all-classical head's roofline time on the scenario's
    hardware. Returns a `CrossoverResult` (its records carry the verdict "N = 2^k" or "none
    up to 2^k"). The old keywords (d, hardware, physical_model, precision, bytes_per_value,
    physical_params, conventions) still work for one release.
    """
    from qlaci_cost.qlaci.crossover import QuantumPoint, crossover

    scenario = fold_legacy(scenario, query_options, "global_token_crossover", LEGACY_GLOBAL)
    d, hardware, bytes_per_value = scenario.head_dim, scenario.hardware, scenario.bytes_per_value
    models, sizes = list(models), list(sizes)
    rows, notes = global_token_rows(models, sizes, global_tokens, window, scenario, **query_options)
    by_key = {(r["model"], r["N"]): r for r in rows}

    def quantum(model: str, n: int) -> QuantumPoint:
        return _hybrid_point(by_key[(model, n)], n, global_tokens, window, scenario)

    def classical(baseline: str, n: int):
        return classical_seconds(n, global_tokens, window, d, hardware, bytes_per_value, True)

    result = crossover(
        models,
        ["longformer-global"],
        sizes,
        scenario,
        quantum_runtime=quantum,
        classical_runtime=classical,
    )
    result.notes.extend(notes)
    result.assumptions.append(
        f"hybrid head: G = {global_tokens} global tokens by QLACI ({scenario.precision}, "
        f"{scenario.physical_model}, error budget scope {scenario.budget_scope}), the local "
        f"part (w = {window}, d = {d}) classically on "
        f"{get_hardware(hardware).name}, run side by side (time = the larger); all-classical: "
        "the same head with the global part on the GPU (Longformer, arXiv:2004.05150)"
    )
    return result
