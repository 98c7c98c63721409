"""Why a fitted slope differs from the leading order: one sentence per model and metric.

A metric figure prints each line's least-squares log-log slope over the top decade of N (the
`fitted_slope` of its plotted points). The closed form's leading term c N^a log^k N gives the
asymptotic exponent a. Over a finite window the two differ, and the difference splits exactly
into three parts, each a least-squares slope over the same sizes:

- rounding: the fitted slope of the exact values minus that of the closed form with every
  ceiling and floor replaced by its argument (a block size 2^k with k = ceil(...) makes the
  count a staircase; four points of a staircase of period two doublings fit 0.60 or 0.40,
  not its mean 0.5);
- lower-order terms: the slope of that smooth form minus the slope of its leading term alone;
- the log factor: the slope of N^a log^k N minus a (k / ln N locally, 0.04 per power of the
  log at N = 2^37..2^40, vanishing only slowly).

`slope_notes` returns these with a sentence naming the parts that matter; the figures cite the
note in their legend and caption, and the report's captions can quote it.
"""

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple, Optional

import mpmath
import sympy

from qlaci_cost.output.plots.axes import power2_label, record_field, safe_log10
from qlaci_cost.symbolics.scaling import growth, top_decade
from qlaci_cost.symbolics.symbols import B as B_SYMBOL
from qlaci_cost.symbolics.symbols import N as N_SYMBOL

__all__ = [
    "SLOPE_TOLERANCE",
    "SlopeNote",
    "fitted_slope",
    "head_closed_forms",
    "query_closed_forms",
    "slope_notes",
]

#: A fitted slope further than this from the leading exponent gets a note.
SLOPE_TOLERANCE = 0.05
#: A part of the difference smaller than this is not named.
_NAMED = 0.005
_LOG2N = sympy.Symbol("log2(N)", positive=True)


class SlopeNote(NamedTuple):
    """The fitted and the asymptotic slope of one model's metric, and why they differ.

    `fitted`: least-squares slope of log value against log N over `sizes` (the top decade of
    the plotted N; the two largest when the decade holds one point). `leading`, `log_power`:
    a and k of the closed form's leading term N^a log^k N (`symbolics.scaling.growth`);
    `order` its text. `rounding`, `lower_order`, `log_factor`: the parts of fitted - a (they
    sum to it). `note`: one sentence, empty when |fitted - a| <= the tolerance.
    """

    model: str
    metric: str
    fitted: Optional[float]
    sizes: tuple[int, ...]
    leading: Optional[sympy.Rational]
    log_power: Optional[sympy.Rational]
    order: str
    rounding: float
    lower_order: float
    log_factor: float
    note: str

    @property
    def differs(self) -> bool:
        """True when the note is not empty (the slope is off the leading exponent)."""
        return bool(self.note)


def fitted_slope(points: Iterable[Sequence[Any]]) -> tuple[Optional[float], tuple[int, ...]]:
    """(slope, the N it is fitted over) of points (N, value): least squares of log value
    against log N over the top decade of N (`symbolics.scaling.top_decade`) of the positive
    values; the two largest N when that decade holds one point; (None, ()) with fewer than
    two positive values."""
    drawn = sorted((int(n), y) for n, v in points for y in (safe_log10(v),) if y is not None)
    if len(drawn) < 2:
        return None, ()
    sizes = [n for n, _ in drawn]
    used = [drawn[i] for i in top_decade(sizes)]
    if len(used) < 2:
        used = drawn[-2:]
    return _least_squares([(math.log10(n), y) for n, y in used]), tuple(n for n, _ in used)


def _least_squares(xy: Sequence[tuple[float, float]]) -> Optional[float]:
    mx = sum(x for x, _ in xy) / len(xy)
    my = sum(y for _, y in xy) / len(xy)
    sxx = sum((x - mx) ** 2 for x, _ in xy)
    if sxx == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in xy) / sxx


def slope_notes(
    rows: Sequence[Mapping[str, Any]],
    closed_forms: Mapping[str, Any],
    metrics: Sequence[str],
    subs: Optional[Mapping[Any, Any]] = None,
    n: sympy.Symbol = N_SYMBOL,
    tolerance: float = SLOPE_TOLERANCE,
) -> list[SlopeNote]:
    """Per model (in row order) and metric: the fitted slope of the rows' values, the leading
    order of the model's closed form, and why they differ.

    Args:
        rows: The plotted rows: `model`, `N` and the metrics (as `plot_metrics` takes them).
        closed_forms: model -> its closed forms in `n` (a mapping or an object with one
            attribute per metric, e.g. a `CostSummary`, or `query_closed_forms` output).
            Models without one are left out.
        metrics: The metrics to explain.
        subs: Values of the closed forms' other symbols; the symbol b left free takes the
            rows' `bits` when they carry one.
        n: The size symbol of the closed forms.
        tolerance: The largest |fitted - leading| that needs no note.
    """
    out = []
    for model in dict.fromkeys(str(r["model"]) for r in rows):
        forms = closed_forms.get(model)
        if forms is None:
            continue
        mine = [r for r in rows if str(r["model"]) == model]
        values = dict(subs or {})
        if "bits" in mine[0] and B_SYMBOL not in values:
            values[B_SYMBOL] = mine[0]["bits"]
        for metric in metrics:
            expr = sympy.sympify(record_field(forms, metric))
            expr = expr.subs(values) if values else expr
            points = [(r["N"], r[metric]) for r in mine]
            out.append(_note(model, metric, points, expr, n, tolerance))
    return out


def _note(model: str, metric: str, points, expr, n, tolerance: float) -> SlopeNote:
    """`_note_of`, kept per argument where the points are hashable (`Integer`s, floats)."""
    points = tuple(tuple(p) for p in points)
    try:
        hash(points)
    except TypeError:
        return _note_of.__wrapped__(model, metric, points, expr, n, tolerance)
    return _note_of(model, metric, points, expr, n, tolerance)


@functools.lru_cache(maxsize=4096)
def _note_of(model: str, metric: str, points: tuple, expr, n, tolerance: float) -> SlopeNote:
    """The note of one model's metric. Kept per argument: a report computes its QRAM notes
    before its figure workers fork, and the workers' figures ask for the same notes (each
    one sympy limits and 40-digit fits, about 30 ms)."""
    fitted, sizes = fitted_slope(points)
    try:
        lead = growth(expr, n)
    except (ValueError, TypeError):
        lead = None
    if fitted is None or lead is None or expr.free_symbols != {n}:
        a = None if lead is None else lead.a
        k = None if lead is None else lead.k
        order = "" if lead is None else lead.text()
        return SlopeNote(model, metric, fitted, sizes, a, k, order, 0.0, 0.0, 0.0, "")
    differs = abs(fitted - float(lead.a)) > tolerance
    try:
        smooth = _fit(expr, n, sizes, smooth=True)
        leading = _fit(n**lead.a * sympy.log(n) ** lead.k, n, sizes)
    except (NameError, TypeError, ValueError, ZeroDivisionError) as error:
        note = _unsplit(model, metric, fitted, sizes, lead, error) if differs else ""
        return SlopeNote(model, metric, fitted, sizes, lead.a, lead.k, lead.text(), 0, 0, 0, note)
    parts = (fitted - smooth, smooth - leading, leading - float(lead.a))
    note = _sentence(model, metric, fitted, sizes, lead, parts, expr, n) if differs else ""
    return SlopeNote(model, metric, fitted, sizes, lead.a, lead.k, lead.text(), *parts, note)


def _unsplit(model, metric, fitted, sizes, lead, error) -> str:
    """The note of a slope whose closed form could not be evaluated to split the difference."""
    window = f"N = {power2_label(sizes[0])}..{power2_label(sizes[-1])}"
    return (
        f"{model} {metric}: slope {fitted:.2f} over {window} against the leading order "
        f"{lead.text()} (exponent {float(lead.a):g}); the closed form could not be evaluated "
        f"to split the difference ({type(error).__name__})."
    )


def _fit(expr: sympy.Basic, n: sympy.Symbol, sizes: Sequence[int], smooth: bool = False) -> float:
    """Least-squares log-log slope of `expr` (in `n` only) over `sizes`, in 40-digit floats;
    `smooth`: with every ceiling and floor (subclasses such as `ExactCeiling` included) read
    as its argument."""
    rounding = {}
    for atom in expr.atoms(sympy.ceiling, sympy.floor):
        exact = mpmath.ceil if isinstance(atom, sympy.ceiling) else mpmath.floor
        rounding[type(atom).__name__] = (lambda x: x) if smooth else exact
    f = sympy.lambdify(n, expr, modules=[rounding, "mpmath"])
    with mpmath.workdps(40):
        xy = [(math.log10(s), float(mpmath.log10(f(mpmath.mpf(s))))) for s in sizes]
    return _least_squares(xy) or 0.0


def _sentence(model, metric, fitted, sizes, lead, parts, expr, n) -> str:
    rounding, lower, log_factor = parts
    window = f"N = {power2_label(sizes[0])}..{power2_label(sizes[-1])}"
    said = []
    if abs(rounding) >= _NAMED:
        said.append(f"{rounding:+.2f} from rounding in the closed form ({_steps(expr, n, sizes)})")
    if abs(log_factor) >= _NAMED:
        said.append(
            f"{log_factor:+.2f} from the log factor (log^k N rises with local slope k / ln N, "
            "which vanishes only slowly)"
        )
    if abs(lower) >= _NAMED:
        said.append(f"{lower:+.2f} from lower-order terms, which fade as N grows")
    why = "; ".join(said) or "the parts are each below 0.005"
    return (
        f"{model} {metric}: slope {fitted:.2f} over {window} against the leading order "
        f"{lead.text()} (exponent {float(lead.a):g}): {why}."
    )


def _steps(expr: sympy.Basic, n: sympy.Symbol, sizes: Sequence[int]) -> str:
    """What the ceilings and floors of `expr` do over `sizes`, e.g. 'k = ⌈log2(N)/2 - 2⌉ (in
    2^k) rises once every 2 doublings of N and reads 17, 17, 18, 18 at the fit's sizes: slope
    0.40 per doubling where its argument has 0.5'."""
    texts = []
    for atom in sorted(expr.atoms(sympy.ceiling, sympy.floor), key=sympy.default_sort_key)[:2]:
        arg = sympy.simplify(atom.args[0].subs(sympy.log(n), _LOG2N * sympy.log(2)))
        rate = sympy.diff(arg, _LOG2N)
        if arg.free_symbols != {_LOG2N} or not rate.is_number or rate == 0:
            continue
        brackets = "⌈⌉" if isinstance(atom, sympy.ceiling) else "⌊⌋"
        values = [int(atom.subs(n, s)) for s in sizes]
        slope = _least_squares([(math.log2(s), v) for s, v in zip(sizes, values)]) or 0.0
        power = any(p.base == 2 and p.exp.has(atom) for p in expr.atoms(sympy.Pow))
        texts.append(
            f"k = {brackets[0]}{sympy.sstr(arg)}{brackets[1]}{' (in 2^k)' if power else ''} "
            f"rises once every {1 / abs(float(rate)):g} doublings of N and reads "
            f"{', '.join(str(v) for v in values)} at the fit's sizes: slope {slope:.2f} per "
            f"doubling where its argument has {float(rate):g}"
        )
    return "; ".join(texts) or "ceilings and floors make the values a staircase"


def query_closed_forms(
    models: Iterable[str], conventions: Any = None, bits: Optional[int] = None
) -> dict[str, dict[str, sympy.Basic]]:
    """model -> metric -> the closed form of one QRAM query in N (`qram.table.symbolic_summary`
    under `conventions`), b set to `bits` when given."""
    from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS
    from qlaci_cost.qram.table import symbolic_summary

    out = {}
    for model in dict.fromkeys(models):
        metrics = symbolic_summary(model, conventions or DEFAULT_CONVENTIONS).metrics()
        out[model] = {
            m: sympy.sympify(v).subs(B_SYMBOL, bits) if bits is not None else sympy.sympify(v)
            for m, v in metrics.items()
        }
    return out


def head_closed_forms(models: Iterable[str], scenario: Any = None) -> dict[str, dict[str, Any]]:
    """model -> column -> the closed form of one QLACI head in N under `scenario`
    (`verdicts.head.head_rows` with `symbolic=True`: the totals the head figures draw)."""
    from qlaci_cost.verdicts.head import head_rows

    rows, _ = head_rows(list(dict.fromkeys(models)), [], scenario, symbolic=True)
    return {row["model"]: dict(row) for row in rows}
