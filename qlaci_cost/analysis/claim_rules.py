"""The rules behind every claim verdict: how a metric's growth class is decided.

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

Verdicts: "holds", "fails", or "holds only for depth" (gate counts polynomial, depth
polylog). A family's `claims` hook builds its evidence with `metric_evidence` and its verdicts
with these rules (`qlaci.claims` for the QLACI proposal's claims).
"""

from collections.abc import Mapping
from typing import Any, Optional, Sequence

from qlaci_cost.core.numbers import count_text, size_text
from qlaci_cost.symbolics.scaling import Growth, growth, loglog_slope, slope_text

__all__ = [
    "POLYLOG_SLOPE",
    "QUADRATIC_SLOPE",
    "VERDICTS",
    "disagreements",
    "evidence_text",
    "gate_total",
    "is_polylog",
    "joined_evidence",
    "metric_evidence",
    "slope_agrees",
    "verdict_of",
]

VERDICTS = ("holds", "fails", "holds only for depth")
POLYLOG_SLOPE = 0.25
QUADRATIC_SLOPE = 1.75


def metric_evidence(
    name: str, expr: Any, sizes: Sequence[int], values: Sequence[int], shift: int = 0
):
    """Evidence for one metric (divided by N^shift before classifying); `expr` is the
    metric's closed form, or its `Growth` when that is already known."""
    g = expr if isinstance(expr, Growth) else growth(expr)
    g = Growth(g.a - shift, g.k)
    slope = loglog_slope(sizes, values)
    slope = None if slope is None else slope - shift
    return {
        "metric": name,
        "growth": g,
        "leading_order": Growth(g.a + shift, g.k).text(),
        "slope": slope,
        "N": sizes[-1],
        "value": values[-1],
    }


def is_polylog(ev: Mapping[str, Any]) -> tuple[bool, bool]:
    """(is polylog by the rule, slope and leading order agree)."""
    symbolic = ev["growth"].a <= 0
    return symbolic, slope_agrees(symbolic, ev["slope"], POLYLOG_SLOPE)


def slope_agrees(symbolic: bool, slope: Optional[float], limit: float) -> bool:
    """Whether the fitted slope agrees with the leading order's verdict (slope < limit); with
    no slope (fewer than two sizes in the grid's top decade) there is nothing to disagree."""
    return slope is None or symbolic == (slope < limit)


def evidence_text(ev: Mapping[str, Any], shift: int = 0) -> str:
    slope = slope_text(ev["slope"], shift)
    n = ev["N"]
    return (
        f"{ev['metric']}: {ev['leading_order']}, slope {slope}, {count_text(ev['value'])} "
        f"at N={size_text(n)}"
    )


def gate_total(row: Mapping[str, Any], prefix: str = "") -> Any:
    """Toffoli-class + Clifford + rotation gates (+ bare T gates), from the given columns."""
    return sum(row[f"{prefix}{m}"] for m in ("toffoli", "clifford", "rotations"))


def verdict_of(gates_ok: bool, depth_ok: bool) -> str:
    if gates_ok and depth_ok:
        return "holds"
    return "holds only for depth" if depth_ok else "fails"


def joined_evidence(evs, shift=0) -> str:
    return "; ".join(evidence_text(e, shift) for e in evs)


def disagreements(evs, check) -> str:
    bad = [e["metric"] for e in evs if not check(e)[1]]
    return f" [slope and leading order disagree for {', '.join(bad)}]" if bad else ""
