"""The QLACI proposal's claims, each against what the toolkit computes.

Claims (docs/design.md#what-the-analysis-shows):

1. `qubits`: O(log N) qubits per query.
2. `query-cost`: poly(log N) cost per query (gate counts and depths judged separately).
3. `head-cost`: O(N polylog N) cost per head (total gates and total depth).
4. `no-pairwise`: no N^2 pairwise work per head (total gates).
5. `global-attention`: global (softmax-like) attention over the N positions.
6. `needs-quantum`: QLACI's output needs a quantum computer. Judged from the cost of QLACI's
   exact classical twin (`baselines.QLACIExact`, docs/derivations/twin.md): every query's
   output from the average state rho_bar, no shots. The claim fails when the twin's FLOPs grow
   no faster than the quantum head's total gates (leading order (a, k) compared); the
   `no-pairwise` row says whether the twin, too, avoids N^2 pairwise work.

Each claim's verdict follows `analysis.claim_rules` (how a growth class is decided).
`qlaci_claims` judges these six (the QLACI family's `claims` hook). Rows for an assumed QRAM
oracle (trait `ASSUMED_ORACLE`, e.g. `ideal`) are labelled "assumed oracle": there the claim
holds by assumption, not by any circuit. Claim 5 is answered by simulating a query at N = 4
(`qlaci.attention.simulate_attention`).
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Optional

import sympy

from qlaci_cost.analysis.baselines import QLACIExact
from qlaci_cost.analysis.claim_rules import (
    POLYLOG_SLOPE,
    QUADRATIC_SLOPE,
    VERDICTS,
    disagreements,
    evidence_text,
    gate_total,
    is_polylog,
    joined_evidence,
    metric_evidence,
    slope_agrees,
    verdict_of,
)
from qlaci_cost.analysis.roofline import runtime_seconds
from qlaci_cost.analysis.scenario import LEGACY_READOUT, Scenario, fold_legacy
from qlaci_cost.analysis.shots import hoeffding_shots, parse_precision
from qlaci_cost.core.closed_forms import cached_value, key_of
from qlaci_cost.core.family import FamilyClaims
from qlaci_cost.core.grids import DEFAULT_SIZES
from qlaci_cost.core.numbers import quantity_text
from qlaci_cost.qlaci.attention import SIMULATION_ATOL, attention_text, simulate_attention
from qlaci_cost.qlaci.head_rows import head_rows
from qlaci_cost.qlaci.query import QLACIQuery
from qlaci_cost.qlaci.table import hashable_query_options, query_summary
from qlaci_cost.qram import MODELS, model_class, traits
from qlaci_cost.symbolics.scaling import Growth, growth, loglog_slope
from qlaci_cost.symbolics.symbols import N as N_SYMBOL

__all__ = ["CLAIMS", "SIMULATION_ATOL", "qlaci_claims", "simulate_attention"]

CLAIMS: dict[str, str] = {
    "qubits": "O(log N) qubits per query",
    "query-cost": "poly(log N) cost per query",
    "head-cost": "O(N polylog N) cost per head",
    "no-pairwise": "no N^2 pairwise work per head",
    "global-attention": "global (softmax-like) attention over all N positions",
    "needs-quantum": "QLACI's output needs a quantum computer",
}


def qlaci_claims(
    models: Iterable[str] = MODELS,
    sizes: Iterable[int] = DEFAULT_SIZES,
    scenario: Optional[Scenario] = None,
    simulation_model: str = "ideal",
    resolution: str = "0.1",
    **query_options,
) -> FamilyClaims:
    """Verdict of every QLACI claim under every QRAM model, with the numbers behind it.

    Per-query and head numbers come from `crossover.head_rows` (exact values at every size);
    leading orders from the symbolic `cost_summary` of the size-only `QLACIQuery` and, for head
    totals, N x the symbolic circuit calls per query (`shots.measurement_cost`) x it. Gate
    count = Toffoli-class + Clifford + rotations. See the module docstring for the rule.

    Args:
        models: QRAM model names.
        sizes: The grid (padded to powers of two); slopes use its top decade.
        scenario: The `analysis.scenario.Scenario` (readout of claims 3-5, component bits,
            conventions); the old keywords conventions, precision, method, delta, grouped and
            bits still work for one release.
        simulation_model: QRAM model of the N = 4 simulation behind claim 5.
        resolution: r of the claim 5 evidence: shots to read one position's share at eps = r/N.
        **query_options: `QLACIQuery` options.
    """
    models = list(models)
    scenario = fold_legacy(scenario, query_options, "qlaci_claims", LEGACY_READOUT)
    rows_in, notes = head_rows(models, sizes, scenario, **query_options)
    # What the circuit computes does not depend on b: simulated at its own small default.
    sim = _simulation(simulation_model, query_options)
    query_options = {**query_options, "bits": scenario.component_bits}
    res = _resolution(sorted({r["N"] for r in rows_in}), resolution, scenario.delta)
    rows, evidence = [], []
    for model in models:
        mine = [r for r in rows_in if r["model"] == model]
        grid = [r["N"] for r in mine]
        growths = model_growths(model, scenario, query_options)
        label = "assumed oracle" if traits(model).ASSUMED_ORACLE else "circuit"
        per_query, head, pairwise, shots = _model_evidence(mine, growths)
        twin = _twin(model, grid, scenario, query_options, growths[TWIN])
        model_rows, groups = _claim_rows(
            model, label, per_query, head, pairwise, shots, twin, sim, res
        )
        rows += model_rows
        for claim, evs in groups:
            for e in evs:
                evidence.append({"claim": claim, "model": model, **_plain(e)})
    for r in rows:
        if r["qram"] == "assumed oracle":
            r["evidence"] += f" ({r['model']} QRAM: assumed oracle cost, not a circuit)"
    _add_notes(notes, models, scenario, sim)
    return FamilyClaims(rows, evidence, notes, {**sim, "resolution": res})


#: The disk cache's kind of the leading orders the claims judge (`core.closed_forms`).
GROWTH_KIND = "qlaci-claim-growths"
SIMULATION_KIND = "qlaci-attention-simulation"
#: Per-query metrics judged, and the growth label of the exact classical twin's FLOPs.
_PER_QUERY = ("qubits", "toffoli", "t_count", "clifford", "toffoli_depth", "depth")
TWIN = "qlaci-exact FLOPs"


def _growth_exprs(model: str, scenario: Scenario, query_options) -> dict[str, Any]:
    """label -> the closed form (in N) behind each growth the claims of `model` judge: the
    size-only query's metrics, N x the symbolic circuit calls per query x them (head totals),
    the calls themselves and the exact classical twin's FLOPs."""
    sym = query_summary(model, scenario.conventions, **query_options).metrics()
    query = QLACIQuery(N_SYMBOL, qram_model=model, **query_options)
    calls = scenario.measurement(N_SYMBOL, query.d_ctx).circuit_calls
    total = N_SYMBOL * calls
    exprs = {m: sym[m] for m in _PER_QUERY}
    exprs["total gates"] = total * (sym["toffoli"] + sym["clifford"] + sym["rotations"])
    for m in ("toffoli", "toffoli_depth", "depth"):
        exprs[f"total_{m}"] = total * sym[m]
    exprs["shots"] = calls
    exprs[TWIN] = QLACIExact.from_query(query).flops(N_SYMBOL, scenario.head_dim)
    return exprs


def model_growths(model: str, scenario: Scenario, query_options) -> dict[str, Growth]:
    """label -> `Growth` (leading order N^a log^k N) of each of `_growth_exprs`, kept in the
    disk cache (a, k as exact rationals' text) by model, scenario and query options: deriving
    them takes the symbolic summary and sympy's series analysis."""

    def derive() -> dict[str, list[str]]:
        growths = {k: growth(e) for k, e in _growth_exprs(model, scenario, query_options).items()}
        return {k: [str(g.a), str(g.k)] for k, g in growths.items()}

    options = hashable_query_options(query_options)
    key = key_of(model_class(model), model=model, scenario=scenario, options=options)
    stored = cached_value(GROWTH_KIND, key, derive)
    return {k: Growth(sympy.Rational(a), sympy.Rational(k_)) for k, (a, k_) in stored.items()}


def _simulation(model: str, query_options) -> dict[str, Any]:
    """`simulate_attention(model, **query_options)`, kept in the disk cache (its values are
    floats and text, stored exactly) by model and query options."""

    def derive() -> dict[str, Any]:
        sim = simulate_attention(model, **query_options)
        return {**sim, "observables": list(sim["observables"])}

    options = hashable_query_options(query_options)
    key = key_of(model_class(model), model=model, options=options)
    sim = cached_value(SIMULATION_KIND, key, derive)
    return {**sim, "observables": tuple(sim["observables"])}


def _model_evidence(mine: list[dict], growths: Mapping[str, Growth]) -> tuple:
    """(per-query, head (per N), total gates, shots) evidence of one model's rows against the
    leading orders `growths` of its closed forms (`model_growths`)."""
    grid = [r["N"] for r in mine]

    def ev(name, column, shift=0):
        values = [column(r) for r in mine]
        return metric_evidence(name, growths[name], grid, values, shift)

    per_query = {m: ev(m, lambda r, m=m: r[m]) for m in _PER_QUERY}
    head = {
        "gates": ev("total gates", lambda r: gate_total(r, "total_"), 1),
        "toffoli": ev("total_toffoli", lambda r: r["total_toffoli"], 1),
        "toffoli_depth": ev("total_toffoli_depth", lambda r: r["total_toffoli_depth"], 1),
        "depth": ev("total_depth", lambda r: r["total_depth"], 1),
    }
    pairwise = ev("total gates", lambda r: gate_total(r, "total_"))
    shots = ev("shots", lambda r: r["shots"])
    return per_query, head, pairwise, shots


def _claim_rows(model, label, per_query, head, pairwise, shots, twin, sim, res) -> tuple:
    """(the six claim rows of one model, (claim, evidence used) pairs)."""
    rows = []
    # (1) O(log N) qubits
    q = per_query["qubits"]
    ok = q["growth"].a == 0 and q["growth"].k <= 1
    agree = slope_agrees(ok, q["slope"], POLYLOG_SLOPE)
    flag = "" if agree else " [slope and leading order disagree]"
    rows.append(_row("qubits", model, label, "holds" if ok else "fails", evidence_text(q) + flag))
    # (2) poly(log N) per query: gate counts and depths separately
    g = [per_query[m] for m in ("toffoli", "t_count", "clifford")]
    dp = [per_query[m] for m in ("toffoli_depth", "depth")]
    verdict = verdict_of(all(is_polylog(e)[0] for e in g), all(is_polylog(e)[0] for e in dp))
    text = joined_evidence(g + dp) + disagreements(g + dp, is_polylog)
    rows.append(_row("query-cost", model, label, verdict, text))
    # (3) O(N polylog N) per head: total / N polylog
    g3, d3 = [head["gates"], head["toffoli"]], [head["toffoli_depth"], head["depth"]]
    verdict = verdict_of(all(is_polylog(e)[0] for e in g3), all(is_polylog(e)[0] for e in d3))
    text = (
        joined_evidence(g3 + d3, 1)
        + f"; {evidence_text(shots)} per query"
        + disagreements(g3 + d3, is_polylog)
    )
    rows.append(_row("head-cost", model, label, verdict, text))
    # (4) no N^2 pairwise work: total gates below N^2
    sub = pairwise["growth"].a < 2
    agree = slope_agrees(sub, pairwise["slope"], QUADRATIC_SLOPE)
    flag = "" if agree else " [slope and leading order disagree]"
    depth_text = evidence_text(head["depth"], 1)
    text = f"{evidence_text(pairwise)}; {depth_text}{flag}"
    if twin["growth"].a < 2:
        also = "also holds" if sub else "holds"
        text += f"; {also} classically: QLACI's exact twin needs {evidence_text(twin)}"
    rows.append(_row("no-pairwise", model, label, "holds" if sub else "fails", text))
    # (5) global attention: from the simulation (the same unitary for every QRAM model)
    verdict = "holds" if sim["softmax_gap"] <= SIMULATION_ATOL else "fails"
    rows.append(_row("global-attention", model, label, verdict, attention_text(sim, res)))
    # (6) needs a quantum computer: the exact classical twin's cost against the head's
    rows.append(_needs_quantum_row(model, label, twin, pairwise))
    groups = (
        ("qubits", [q]),
        ("query-cost", g + dp),
        ("head-cost", g3 + d3),
        ("no-pairwise", [pairwise]),
        ("global-attention", [res]),
        ("needs-quantum", [twin, pairwise]),
    )
    return rows, groups


def _add_notes(notes: list[str], models: list[str], scenario: Scenario, sim: dict) -> None:
    """Append the assumed oracles' notes, the readout and the growth rule to `notes`."""
    prec, method, delta = scenario.precision, scenario.method, scenario.delta
    for model in models:
        note = traits(model).ASSUMPTION_NOTE
        if traits(model).ASSUMED_ORACLE and note not in notes:
            notes.append(note)
    notes += [
        f"precision {prec}: {prec.describe()}; shots by {method}, delta={delta}",
        f"growth rule: polylog iff leading order N^0 and top-decade slope < {POLYLOG_SLOPE}; "
        f"below N^2 iff leading power < 2 and slope < {QUADRATIC_SLOPE}; head-cost evidence "
        "is per N (total / N); gates = Toffoli-class + Clifford + rotations",
        sim["description"],
    ]


def _twin(model: str, grid: Sequence[int], scenario: Scenario, query_options, g) -> dict:
    """Evidence of QLACI's exact classical twin of `model`'s query: its FLOPs over the grid
    (`baselines.QLACIExact`; `g` the growth of its closed form) and its roofline time at the
    largest N (`seconds`)."""
    twin = QLACIExact.from_query(QLACIQuery(N_SYMBOL, qram_model=model, **query_options))
    d, hw = scenario.head_dim, scenario.hardware
    values = [twin.flops(n, d) for n in grid]
    ev = metric_evidence(TWIN, g, grid, values)
    t = runtime_seconds(twin, grid[-1], d, hw, scenario.bytes_per_value)
    return {**ev, "seconds": float(t), "hardware": hw}


def _needs_quantum_row(model, label, twin, head) -> dict[str, Any]:
    """Claim 6: fails when the exact classical twin grows no faster than the quantum head."""
    g, h = twin["growth"], head["growth"]
    fails = (g.a, g.k) <= (h.a, h.k)
    text = (
        f"exact classical twin (no shots): {evidence_text(twin)}, "
        f"{quantity_text(twin['seconds'])} s on "
        f"{twin['hardware']} (roofline); quantum head {evidence_text(head)}"
    )
    return _row("needs-quantum", model, label, "fails" if fails else "holds", text)


def _row(claim, model, label, verdict, evidence) -> dict[str, Any]:
    assert verdict in VERDICTS
    keys = ("claim", "key", "model", "qram", "verdict", "evidence")
    return dict(zip(keys, (CLAIMS[claim], claim, model, label, verdict, evidence)))


def _plain(e: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "metric": e["metric"],
        "leading_order": e["leading_order"],
        "slope": None if e["slope"] is None else round(e["slope"], 4),
        "N": e["N"],
        "value": e["value"],
    }


def _resolution(sizes: Sequence[int], rel: str, delta: Any) -> dict[str, Any]:
    """Hoeffding shots per observable for eps = rel / N (one position's share), over the grid."""
    prec = parse_precision(f"rel:{rel}")
    shots = [int(hoeffding_shots(prec.eps(n), delta)) for n in sizes]
    g = growth(hoeffding_shots(prec.eps(N_SYMBOL), delta))
    return {
        "metric": f"Hoeffding shots per observable at eps = {rel}/N",
        "growth": g,
        "leading_order": g.text(),
        "slope": loglog_slope(sizes, shots),
        "rel": rel,
        "N": sizes[-1],
        "value": shots[-1],
        "shots": shots[-1],
    }
