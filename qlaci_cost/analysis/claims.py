"""Claim verdicts: each complexity claim of the QLACI proposal against what the toolkit computes.

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

How a growth class is decided, for a metric f(N) (the rule behind every verdict):

- Symbolic (`scaling.growth`): the leading term c N^a log^k N of the metric's symbolic
  expression, found with N = 2^n: ceilings and floors are replaced by their arguments (they
  change a value by less than 1, or a power 2^x by less than a factor 2), and every Max / Min
  by its argument that dominates as N -> infinity (compared at N = 2^4096, other symbols 8);
  then the term of largest (a, k).
- Numeric: s = `scaling.loglog_slope` of the exact values over the top decade of the grid.
- f is **polylog** when a = 0 and s < `POLYLOG_SLOPE` (0.25; log^k N has local slope
  k / ln N, 0.07 for k = 2 at N = 2^40); **polynomial** when a > 0 and s >= 0.25. When the
  two disagree (a grid too small to show the asymptotics), the symbolic leading order decides
  and the evidence says "slope and leading order disagree". A grid with fewer than two sizes
  in its top decade (one size, or 16,1024,2^20) has no slope ("slope n/a"): the leading order
  decides alone.
- O(log N) (claim 1): a = 0, k <= 1 and s < 0.25.
- O(N polylog N) (claim 3): f / N is polylog (a - 1 = 0, s - 1 < 0.25).
- Below N^2 (claim 4): a < 2 and s < `QUADRATIC_SLOPE` (1.75); a >= 2 is "fails".

Verdicts: "holds", "fails", or "holds only for depth" (gate counts polynomial, depth polylog).
`qlaci_claims` judges these five (the QLACI family's `claims`); `claim_table` gathers the
claims of every registered model family (`qlaci_cost.core.family`), family by family.
Rows for an assumed QRAM oracle (trait `ASSUMED_ORACLE`, e.g. `ideal`) are labelled "assumed
oracle": there the claim holds by assumption, not by any circuit. Claim 5 is answered by
simulating a query at N = 4 (`analysis.attention.simulate_attention`).
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple, Optional

from qlaci_cost.analysis.attention import SIMULATION_ATOL, attention_text, simulate_attention
from qlaci_cost.analysis.baselines import QLACIExact
from qlaci_cost.analysis.head_rows import DEFAULT_SIZES, head_rows
from qlaci_cost.analysis.roofline import runtime_seconds
from qlaci_cost.analysis.scenario import Scenario, fold_legacy
from qlaci_cost.analysis.shots import hoeffding_shots, parse_precision
from qlaci_cost.core.family import (
    FamilyClaims,
    as_claims,
    families,
    family_models,
    family_options,
    unknown_options,
)
from qlaci_cost.errors import InputError
from qlaci_cost.qlaci.family import symbolic
from qlaci_cost.qlaci.table import LEGACY_READOUT, query_summary
from qlaci_cost.qram import MODELS, traits
from qlaci_cost.symbolics.scaling import Growth, growth, loglog_slope, slope_text
from qlaci_cost.symbolics.symbols import N as N_SYMBOL

__all__ = [
    "CLAIMS",
    "COLUMNS",
    "POLYLOG_SLOPE",
    "QUADRATIC_SLOPE",
    "SIMULATION_ATOL",
    "VERDICTS",
    "ClaimTable",
    "Growth",
    "claim_table",
    "growth",
    "qlaci_claims",
    "simulate_attention",
    "verdict_text",
]

CLAIMS: dict[str, str] = {
    "qubits": "O(log N) qubits per query",
    "query-cost": "poly(log N) cost per query",
    "head-cost": "O(N polylog N) cost per head",
    "no-pairwise": "no N^2 pairwise work per head",
    "global-attention": "global (softmax-like) attention over all N positions",
    "needs-quantum": "QLACI's output needs a quantum computer",
}
VERDICTS = ("holds", "fails", "holds only for depth")
COLUMNS: tuple[str, ...] = ("claim", "model", "qram", "verdict", "evidence")
POLYLOG_SLOPE = 0.25
QUADRATIC_SLOPE = 1.75

# ----------------------------------------------------------------------------- evidence


def _metric(name: str, expr: Any, sizes: Sequence[int], values: Sequence[int], shift: int = 0):
    """Evidence for one metric (divided by N^shift before classifying)."""
    g = growth(expr)
    g = Growth(g.a - shift, g.k)
    slope = loglog_slope(sizes, values)
    slope = None if slope is None else slope - shift
    return {
        "metric": name, "growth": g, "leading_order": Growth(g.a + shift, g.k).text(),
        "slope": slope, "N": sizes[-1], "value": values[-1],
    }  # fmt: skip


def _polylog(ev: Mapping[str, Any]) -> tuple[bool, bool]:
    """(is polylog by the rule, slope and leading order agree)."""
    symbolic = ev["growth"].a <= 0
    return symbolic, _agree(symbolic, ev["slope"], POLYLOG_SLOPE)


def _agree(symbolic: bool, slope: Optional[float], limit: float) -> bool:
    """Whether the fitted slope agrees with the leading order's verdict (slope < limit); with
    no slope (fewer than two sizes in the grid's top decade) there is nothing to disagree."""
    return slope is None or symbolic == (slope < limit)


def _text(ev: Mapping[str, Any], shift: int = 0) -> str:
    slope = slope_text(ev["slope"], shift)
    n = ev["N"]
    at = f"2^{n.bit_length() - 1}" if n & (n - 1) == 0 else str(n)
    return f"{ev['metric']}: {ev['leading_order']}, slope {slope}, {ev['value']:,} at N={at}"


class ClaimTable(NamedTuple):
    """Rows (`COLUMNS`), per-metric evidence, the simulation behind claim 5, notes, summary."""

    rows: list
    evidence: list
    simulation: dict
    notes: list
    verdict_text: str


def _gates(row: Mapping[str, Any], prefix: str = "") -> Any:
    """Toffoli-class + Clifford + rotation gates (+ bare T gates), from the given columns."""
    return sum(row[f"{prefix}{m}"] for m in ("toffoli", "clifford", "rotations"))


def _verdict(gates_ok: bool, depth_ok: bool) -> str:
    if gates_ok and depth_ok:
        return "holds"
    return "holds only for depth" if depth_ok else "fails"


def _join(evs, shift=0) -> str:
    return "; ".join(_text(e, shift) for e in evs)


def _flags(evs, check) -> str:
    bad = [e["metric"] for e in evs if not check(e)[1]]
    return f" [slope and leading order disagree for {', '.join(bad)}]" if bad else ""


def claim_table(
    models: Optional[Iterable[str]] = None,
    sizes: Iterable[int] = DEFAULT_SIZES,
    scenario: Optional[Scenario] = None,
    family_names: Optional[Sequence[str]] = None,
    **options: Any,
) -> ClaimTable:
    """The claims of every registered model family, with the numbers behind them.

    Each family (`core.family.families`) judges its claims for its models among `models`
    (all of its `models()` when None: `MODELS` and every registered QRAM model for QLACI)
    under the one `scenario` (default `DEFAULT_SCENARIO`; the old keywords conventions,
    precision, method, delta and grouped still work for one release); rows, evidence and
    notes are gathered family by family, `simulation` holds the families' details (QLACI:
    the claim 5 simulation). `options` go to the families that accept them (`OPTIONS`): for
    QLACI simulation_model, resolution and the `QLACIQuery` options (see `qlaci_claims`).

    Raises:
        InputError: an option no family accepts.
    """
    sizes = list(sizes)
    options = dict(options)
    scenario = fold_legacy(scenario, options, "claim_table", LEGACY_READOUT)
    fams = families(family_names)
    bad = unknown_options(fams, options)
    if bad:
        raise InputError(f"option {bad[0]!r} is not allowed: no model family accepts it")
    rows: list = []
    evidence: list = []
    notes: dict[str, None] = {}
    details: dict[str, Any] = {}
    models = None if models is None else list(models)
    for fam in fams:
        mine = family_models(fam, models)
        if not mine:
            continue
        result = as_claims(fam.claims(sizes, mine, scenario, **family_options(fam, options)))
        rows += result.rows
        evidence += result.evidence
        notes.update(dict.fromkeys(result.notes))
        details.update(result.details)
    return ClaimTable(rows, evidence, details, list(notes), verdict_text(rows))


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
    conventions, prec = scenario.conventions, scenario.precision
    method, delta = scenario.method, scenario.delta
    rows_in, notes = head_rows(models, sizes, scenario, **query_options)
    # What the circuit computes does not depend on b: simulated at its own small default.
    sim = simulate_attention(simulation_model, **query_options)
    query_options = {**query_options, "bits": scenario.component_bits}
    res = _resolution(sorted({r["N"] for r in rows_in}), resolution, delta)
    rows, evidence = [], []
    for model in models:
        mine = [r for r in rows_in if r["model"] == model]
        grid = [r["N"] for r in mine]
        sym = query_summary(model, conventions, **query_options).metrics()
        d_ctx = symbolic(model, **query_options).d_ctx
        calls = scenario.measurement(N_SYMBOL, d_ctx).circuit_calls
        label = "assumed oracle" if traits(model).ASSUMED_ORACLE else "circuit"

        def ev(name, expr, column, shift=0, model_rows=mine, grid=grid):
            values = [column(r) for r in model_rows]
            return _metric(name, expr, grid, values, shift)

        total = N_SYMBOL * calls
        gates_expr = sym["toffoli"] + sym["clifford"] + sym["rotations"]
        per_query = {
            "qubits": ev("qubits", sym["qubits"], lambda r: r["qubits"]),
            **{m: ev(m, sym[m], lambda r, m=m: r[m]) for m in ("toffoli", "t_count", "clifford")},
            **{m: ev(m, sym[m], lambda r, m=m: r[m]) for m in ("toffoli_depth", "depth")},
        }
        head = {
            "gates": ev("total gates", total * gates_expr, lambda r: _gates(r, "total_"), 1),
            "toffoli": ev("total_toffoli", total * sym["toffoli"], lambda r: r["total_toffoli"], 1),
            "toffoli_depth": ev(
                "total_toffoli_depth", total * sym["toffoli_depth"],
                lambda r: r["total_toffoli_depth"], 1,
            ),
            "depth": ev("total_depth", total * sym["depth"], lambda r: r["total_depth"], 1),
        }  # fmt: skip
        pairwise = ev("total gates", total * gates_expr, lambda r: _gates(r, "total_"))
        shots = ev("shots", calls, lambda r: r["shots"])

        # (1) O(log N) qubits
        q = per_query["qubits"]
        ok = q["growth"].a == 0 and q["growth"].k <= 1
        agree = _agree(ok, q["slope"], POLYLOG_SLOPE)
        flag = "" if agree else " [slope and leading order disagree]"
        rows.append(_row("qubits", model, label, "holds" if ok else "fails", _text(q) + flag))
        # (2) poly(log N) per query: gate counts and depths separately
        g = [per_query[m] for m in ("toffoli", "t_count", "clifford")]
        dp = [per_query[m] for m in ("toffoli_depth", "depth")]
        verdict = _verdict(all(_polylog(e)[0] for e in g), all(_polylog(e)[0] for e in dp))
        text = _join(g + dp) + _flags(g + dp, _polylog)
        rows.append(_row("query-cost", model, label, verdict, text))
        # (3) O(N polylog N) per head: total / N polylog
        g3, d3 = [head["gates"], head["toffoli"]], [head["toffoli_depth"], head["depth"]]
        verdict = _verdict(all(_polylog(e)[0] for e in g3), all(_polylog(e)[0] for e in d3))
        text = _join(g3 + d3, 1) + f"; {_text(shots)} per query" + _flags(g3 + d3, _polylog)
        rows.append(_row("head-cost", model, label, verdict, text))
        # (4) no N^2 pairwise work: total gates below N^2
        sub = pairwise["growth"].a < 2
        agree = _agree(sub, pairwise["slope"], QUADRATIC_SLOPE)
        flag = "" if agree else " [slope and leading order disagree]"
        depth_text = _text(head["depth"], 1)
        text = f"{_text(pairwise)}; {depth_text}{flag}"
        twin = _twin(model, grid, scenario, query_options)
        if twin["growth"].a < 2:
            also = "also holds" if sub else "holds"
            text += f"; {also} classically: QLACI's exact twin needs {_text(twin)}"
        rows.append(_row("no-pairwise", model, label, "holds" if sub else "fails", text))
        # (5) global attention: from the simulation (the same unitary for every QRAM model)
        verdict = "holds" if sim["softmax_gap"] <= SIMULATION_ATOL else "fails"
        rows.append(_row("global-attention", model, label, verdict, attention_text(sim, res)))
        # (6) needs a quantum computer: the exact classical twin's cost against the head's
        rows.append(_needs_quantum_row(model, label, twin, pairwise))
        for claim, evs in (
            ("qubits", [q]), ("query-cost", g + dp), ("head-cost", g3 + d3),
            ("no-pairwise", [pairwise]), ("global-attention", [res]),
            ("needs-quantum", [twin, pairwise]),
        ):  # fmt: skip
            for e in evs:
                evidence.append({"claim": claim, "model": model, **_plain(e)})
    for r in rows:
        if r["qram"] == "assumed oracle":
            r["evidence"] += f" ({r['model']} QRAM: assumed oracle cost, not a circuit)"
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
    return FamilyClaims(rows, evidence, notes, {**sim, "resolution": res})


def _twin(model: str, grid: Sequence[int], scenario: Scenario, query_options) -> dict[str, Any]:
    """Evidence of QLACI's exact classical twin of `model`'s query: its FLOPs over the grid
    (`baselines.QLACIExact`) and its roofline time at the largest N (`seconds`)."""
    twin = QLACIExact.from_query(symbolic(model, **query_options))
    d, hw = scenario.head_dim, scenario.hardware
    values = [twin.flops(n, d) for n in grid]
    ev = _metric("qlaci-exact FLOPs", twin.flops(N_SYMBOL, d), grid, values)
    t = runtime_seconds(twin, grid[-1], d, hw, scenario.bytes_per_value)
    return {**ev, "seconds": float(t), "hardware": hw}


def _needs_quantum_row(model, label, twin, head) -> dict[str, Any]:
    """Claim 6: fails when the exact classical twin grows no faster than the quantum head."""
    g, h = twin["growth"], head["growth"]
    fails = (g.a, g.k) <= (h.a, h.k)
    text = (
        f"exact classical twin (no shots): {_text(twin)}, {twin['seconds']:.3g} s on "
        f"{twin['hardware']} (roofline); quantum head {_text(head)}"
    )
    return _row("needs-quantum", model, label, "fails" if fails else "holds", text)


def _row(claim, model, label, verdict, evidence) -> dict[str, Any]:
    assert verdict in VERDICTS
    keys = ("claim", "key", "model", "qram", "verdict", "evidence")
    return dict(zip(keys, (CLAIMS[claim], claim, model, label, verdict, evidence)))


def _plain(e: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "metric": e["metric"], "leading_order": e["leading_order"],
        "slope": None if e["slope"] is None else round(e["slope"], 4),
        "N": e["N"], "value": e["value"],
    }  # fmt: skip


def _resolution(sizes: Sequence[int], rel: str, delta: Any) -> dict[str, Any]:
    """Hoeffding shots per observable for eps = rel / N (one position's share), over the grid."""
    prec = parse_precision(f"rel:{rel}")
    shots = [int(hoeffding_shots(prec.eps(n), delta)) for n in sizes]
    g = growth(hoeffding_shots(prec.eps(N_SYMBOL), delta))
    return {
        "metric": f"Hoeffding shots per observable at eps = {rel}/N", "growth": g,
        "leading_order": g.text(), "slope": loglog_slope(sizes, shots), "rel": rel,
        "N": sizes[-1], "value": shots[-1], "shots": shots[-1],
    }  # fmt: skip


# ----------------------------------------------------------------------------- summary


def verdict_text(rows: Sequence[Mapping[str, Any]]) -> str:
    """One line per claim: which models it holds / holds only for depth / fails for."""
    lines = []
    for key in dict.fromkeys(r["key"] for r in rows):
        mine = [r for r in rows if r["key"] == key]
        claim = mine[0]["claim"]
        parts = []
        for v in VERDICTS:
            names = [
                r["model"] + (" (assumed)" if r["qram"] != "circuit" else "")
                for r in mine
                if r["verdict"] == v
            ]
            if names:
                parts.append(f"{v}: {', '.join(names)}")
        lines.append(f"{claim}: " + "; ".join(parts) + ".")
    return "\n".join(lines)
