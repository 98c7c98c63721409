"""The multi-query family's claims, each with its evidence (docs/derivations/multi_query.md):

- "multi-query encodings reduce sequential calls": circuits compiled fall N -> N / B, but
  circuit executions (the sequential calls to the QPU) do not: verdict "fails".
- "data-parallel QPUs reduce cost": P processors divide the wall clock (total depth) by P,
  never the gate totals, and multiply the qubits: "holds only for depth".
- "global tokens give a crossover": the hybrid head (G QLACI queries) against the
  all-classical Longformer head: "holds" only with an established crossover.
"""

import functools
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.core.family import FamilyClaims
from qlaci_cost.core.numbers import count_text, quantity_text, size_text
from qlaci_cost.qlaci.multi_query.table import multi_query_rows

__all__ = [
    "CLAIMS",
    "CLAIM_N",
    "GLOBAL_TOKENS",
    "WINDOW",
    "batch_series",
    "multi_query_claims",
    "processor_series",
]

CLAIMS: dict[str, str] = {
    "multi-query": "multi-query encodings reduce sequential calls",
    "data-parallel": "data-parallel QPUs reduce cost",
    "global-tokens": "global tokens (G QLACI queries, local window classically) beat an "
    "all-classical Longformer head",
}
#: Claim evidence sizes: N for the batch and processor rows; the global-token grid.
CLAIM_N = 1024
GLOBAL_TOKENS, WINDOW = 16, 256


def multi_query_claims(
    sizes: Sequence[int], models: Sequence[str], scenario: Scenario
) -> FamilyClaims:
    """The three claim rows per model (claim, key, model, qram, verdict, evidence) under
    `scenario`; the global-token crossover over `sizes` (N >= 2 G)."""
    rows = _claims(tuple(sizes), tuple(models), scenario)
    return FamilyClaims([dict(r) for r in rows], notes=[_NOTE])


def batch_series(
    model: str, n: int = CLAIM_N, batches=(1, 2, 4, 16, 64), scenario=None, **options
) -> list:
    """Figure data: per B at one N, executions, circuits, qubits and per-execution T count."""
    fit = [b for b in batches if b <= n]
    table = multi_query_rows([model], [n], fit, scenario=scenario, **options)
    keys = ("batch", "executions", "circuits", "qubits", "toffoli", "t_count", "rotations")
    return [{"model": model, "N": n, **{k: r[k] for k in keys}} for r in table.rows]


def processor_series(
    model: str, n: int = CLAIM_N, processors=(1, 2, 4, 8), scenario=None, **options
) -> list:
    """Figure data: per P, wall clock (total depth), gate totals and qubits of a head."""
    from qlaci_cost.qlaci.table import qlaci_rows

    out = []
    for p in processors:
        r = qlaci_rows([model], [n], "head", scenario, processors=p, **options).rows[0]
        out.append(
            {
                "model": model,
                "N": n,
                "processors": p,
                "total_depth": r["total_depth"],
                "total_toffoli": r["total_toffoli"],
                "total_t_count": r["total_t_count"],
                "head_qubits": r["head_qubits"],
            }
        )
    return out


def _claim(key: str, model: str, label: str, verdict: str, evidence: str) -> dict:
    return {
        "claim": CLAIMS[key],
        "key": key,
        "model": model,
        "qram": label,
        "verdict": verdict,
        "evidence": evidence,
    }


def _label(model: str) -> str:
    from qlaci_cost.qram import traits

    return "assumed oracle" if traits(model).ASSUMED_ORACLE else "circuit"


def _ratio(a: Any, b: Any) -> str:
    return f"{float(Fraction(a, b)):.4f}"


_NOTE = (
    "multi-query claims: executions and circuits of a head at one N (B = 1, 4, 64), the "
    "head's wall clock and totals on P = 1..8 processors, and the hybrid global-token head "
    "(G = 16, w = 256) against the all-classical Longformer head (docs/derivations/"
    "multi_query.md)"
)


def _seconds_or_invalid(rec) -> str:
    """The hybrid head's runtime, or "invalid (reason)" when its estimate is not one."""
    if not rec["quantum_valid"]:
        return f"invalid ({rec['invalid_reason']})"
    return f"{quantity_text(rec['quantum_s'])} s"


@functools.lru_cache(maxsize=8)
def _claims(sizes, models, scenario: Scenario) -> tuple:
    from qlaci_cost.qlaci.multi_query.global_tokens import global_token_crossover

    n = CLAIM_N if not sizes or max(sizes) >= CLAIM_N else max(sizes)
    out = []
    grid = sorted({s for s in sizes if s >= 2 * GLOBAL_TOKENS}) or [2**k for k in (6, 10, 20)]
    crossover = global_token_crossover(models, grid, GLOBAL_TOKENS, WINDOW, scenario)
    for model in models:
        out.append(_multi_query_claim(model, n, scenario))
        out.append(_data_parallel_claim(model, n, scenario))
    for rec in crossover.records:
        out.append(_global_tokens_claim(rec, scenario))
    return tuple(out)


def _multi_query_claim(model: str, n: int, scenario: Scenario) -> dict:
    """Batching B queries per circuit: circuits fall N -> N/B, executions do not."""
    precision, method = scenario.precision, scenario.method
    series = batch_series(model, n, (1, 4, 64), scenario)
    base = series[0]
    parts = [
        f"B={s['batch']}: {count_text(s['executions'])} executions "
        f"(x{_ratio(s['executions'], base['executions'])}), {s['circuits']} circuits, "
        f"{count_text(s['qubits'])} qubits, {count_text(s['t_count'])} T per execution"
        for s in series
    ]
    pooled = multi_query_rows([model], [n], [min(64, n)], "head", scenario, pooled=True)
    pooled = pooled.rows[0]
    return _claim(
        "multi-query",
        model,
        _label(model),
        "fails",
        f"head at N={size_text(n)}, {precision} {method}: " + "; ".join(parts) + ". Circuits "
        "fall N -> N/B, executions stay N x S (each execution is one sample of one "
        "random query); only the pooled mean (index not measured) needs fewer: "
        f"{count_text(pooled['executions'])} at B={pooled['batch']}, but it is (1/B) sum_b c_b, "
        "not the B context vectors",
    )


def _data_parallel_claim(model: str, n: int, scenario: Scenario) -> dict:
    """P processors divide the head's depth, not its totals."""
    procs = processor_series(model, n, scenario=scenario)
    p1, p8 = procs[0], procs[-1]
    return _claim(
        "data-parallel",
        model,
        _label(model),
        "holds only for depth",
        f"head at N={size_text(n)}: P={p8['processors']} processors divide the wall clock "
        f"(total depth {count_text(p1['total_depth'])} -> {count_text(p8['total_depth'])}) "
        "but not the "
        f"totals (Toffoli {count_text(p1['total_toffoli'])} -> {count_text(p8['total_toffoli'])}); "
        f"logical qubits x{p8['processors']} ({count_text(p1['head_qubits'])} -> "
        f"{count_text(p8['head_qubits'])})",
    )


def _global_tokens_claim(rec: dict, scenario: Scenario) -> dict:
    """The hybrid global-token head against the all-classical one (a crossover record)."""
    verdict = "holds" if rec["crossover_N"] and rec["established"] == "yes" else "fails"
    return _claim(
        "global-tokens",
        rec["model"],
        _label(rec["model"]),
        verdict,
        f"G={GLOBAL_TOKENS}, w={WINDOW}, d={scenario.head_dim}, {scenario.precision}, "
        f"{scenario.physical_model} (budget scope {scenario.budget_scope}) vs "
        f"{scenario.hardware} roofline: crossover {rec['verdict']}; at "
        f"N={size_text(rec['N'])} hybrid "
        + _seconds_or_invalid(rec)
        + f" vs all-classical {quantity_text(rec['classical_s'])} s"
        + (f" (smallest ratio {quantity_text(rec['margin'])})" if rec["margin"] else ""),
    )
