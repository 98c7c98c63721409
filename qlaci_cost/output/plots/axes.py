"""Exact log-log axes: values of any size as log10, ticks read as 2^k (N) and 10^k (costs).

Everything is drawn in log10 space (`math.log10` of the exact value), so 2^200 gates or 2^2000
seconds plot without float overflow; the tick labels read as powers (2^k for N, 10^k for
costs), so the axes read as log-log axes. Values that are zero (or not numbers) cannot sit on a
log axis: they are left out and the caption says which.
"""

import math
import numbers
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Optional

import sympy
from matplotlib.figure import Figure

from qlaci_cost.errors import InputError

__all__ = ["N_CELLS", "N_LABEL", "N_SEQUENCE"]

#: x-axis labels: what N counts in each kind of figure.
N_CELLS = "N (memory cells of the QRAM)"
N_SEQUENCE = "N (sequence length)"
N_LABEL = N_SEQUENCE  # the name earlier versions exported
LOG10_2 = math.log10(2)
_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
#: Series closer than this (|difference| of log10 values: 0.02 is 5 %) over at least
#: `COINCIDE_SHARE` of their points look like one line on log axes spanning decades.
COINCIDE_LOG10 = 0.02
COINCIDE_SHARE = 0.75
COINCIDE_NOTE = (
    "≈ in the legend: lines within 5 % of each other over at least 3/4 of the grid, drawn on "
    "top of each other."
)


def as_size(n: Any) -> int:
    """N as a positive int (sympy and numpy integers accepted)."""
    if isinstance(n, sympy.Integer) or (
        isinstance(n, numbers.Integral) and not isinstance(n, bool)
    ):
        if int(n) >= 1:
            return int(n)
    raise InputError(f"N must be a positive integer to plot, got {n!r}")


def safe_log10(value: Any) -> Optional[float]:
    """log10 of a positive number of any size; None for zero, negatives, NaN and symbols."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, sympy.Basic):
        if not value.is_number or not value.is_real:
            return None
        value = (
            int(value)
            if value.is_Integer
            else (Fraction(int(value.p), int(value.q)) if value.is_Rational else float(value))
        )
    if isinstance(value, numbers.Integral):
        return math.log10(int(value)) if value > 0 else None
    if isinstance(value, numbers.Rational):
        value = Fraction(value)
        return math.log10(value.numerator) - math.log10(value.denominator) if value > 0 else None
    try:
        value = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return math.log10(value) if value > 0 and math.isfinite(value) else None


def record_field(record: Any, name: str) -> Any:
    return record[name] if isinstance(record, Mapping) else getattr(record, name)


def power2_label(n: int) -> str:
    k = n.bit_length() - 1
    return f"2{superscript(k)}" if n == 1 << k else f"{n:,}"


def superscript(k: int) -> str:
    """An integer exponent in Unicode superscripts (no mathtext: faster, same in every format)."""
    return str(k).translate(_SUPERSCRIPTS)


def _limits(values: Sequence[float], minimum: float = 0.6) -> tuple[float, float]:
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    pad = max(0.04 * (hi - lo), (minimum - (hi - lo)) / 2, 0.15)
    return lo - pad, hi + pad


def _step(count: float, steps: Sequence[int], most: int) -> int:
    return next((s for s in steps if count / s < most), steps[-1])


def _minor(step: int) -> int:
    """Minor tick spacing: the smallest divisor of the major step that gives at most 5 per step."""
    return next(d for d in range(1, step + 1) if step % d == 0 and step // d <= 5)


def n_axis(ax, xs: Sequence[float], label: str = N_SEQUENCE) -> None:
    """x = log10 N: ticks at powers of two, labelled 2^k; `label` says what N counts."""
    lo, hi = _limits(xs, minimum=2 * LOG10_2)
    kmin, kmax = math.ceil(lo / LOG10_2), math.floor(hi / LOG10_2)
    step = _step(kmax - kmin, (1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 50, 64, 100, 128, 250, 500), 8)
    ks = [k for k in range(kmin, kmax + 1) if k % step == 0]
    ax.set_xlim(lo, hi)
    ax.set_xticks([k * LOG10_2 for k in ks], [f"2{superscript(k)}" for k in ks])
    minor = _minor(step)
    ax.set_xticks([k * LOG10_2 for k in range(kmin, kmax + 1) if k % minor == 0], minor=True)
    ax.set_xlabel(label)


def value_axis(ax, ys: Sequence[float], label: str, include: Sequence[float] = ()) -> None:
    """y = log10 value: decade ticks labelled 10^k (1, 2, 5 per decade on short ranges)."""
    lo, hi = _limits(list(ys) + list(include))
    ax.set_ylim(lo, hi)
    kmin, kmax = math.ceil(lo), math.floor(hi)
    if hi - lo >= 2.5:
        step = _step(kmax - kmin, (1, 2, 3, 5, 10, 20, 25, 50, 100, 200, 500), 8)
        ks = [k for k in range(kmin, kmax + 1) if k % step == 0]
        ax.set_yticks(ks, [f"10{superscript(k)}" for k in ks])
        ax.set_yticks([k for k in range(kmin, kmax + 1) if k % _minor(step) == 0], minor=True)
    else:
        mantissas = (1, 2, 5) if hi - lo >= 1 else (1, 2, 3, 4, 5, 6, 7, 8, 9)
        ticks = [(m, k) for k in range(kmin - 1, kmax + 1) for m in mantissas]
        ticks = [(m, k) for m, k in ticks if lo <= math.log10(m) + k <= hi]
        ax.set_yticks([math.log10(m) + k for m, k in ticks], [_decimal(m, k) for m, k in ticks])
    ax.set_ylabel(label)


def _decimal(m: int, k: int) -> str:
    if 0 <= k <= 3:
        return str(m * 10**k)
    if -3 <= k < 0:
        return f"{m / 10**-k:.{-k}f}"
    return f"10{superscript(k)}" if m == 1 else f"{m}×10{superscript(k)}"


def caption_notes(fig: Figure, notes: Sequence[str], width: int = 125) -> None:
    """Notes under the axes, wrapped to the figure width (constrained layout makes room)."""
    if notes:
        text = "\n".join(textwrap.fill(note, width) for note in notes)
        fig.supxlabel(text, x=0.01, ha="left", fontsize="small", color="0.3")


def plot_points(points: Iterable[Sequence[Any]], column: int) -> tuple[list, list, int]:
    """(log10 N, log10 value) of the plottable points, and how many were left out."""
    xs, ys, left_out = [], [], 0
    for point in sorted(points, key=lambda p: as_size(p[0])):
        y = safe_log10(point[column])
        if y is None:
            left_out += 1
        else:
            xs.append(math.log10(as_size(point[0])))
            ys.append(y)
    return xs, ys, left_out


def omitted_label(name: str, left_out: int, total: int) -> str:
    return f"{name} (all {total})" if left_out == total else f"{name} ({left_out} of {total})"


def coinciding(
    series: Mapping[str, tuple[Sequence[float], Sequence[float]]],
    tol: float = COINCIDE_LOG10,
    share: float = COINCIDE_SHARE,
) -> dict[str, list[str]]:
    """name -> the other names whose drawn line lies on top of it: the same x values and the
    log10 values within `tol` at no fewer than `share` of the points, so a reader cannot tell
    the lines apart over most of the figure."""

    def close(a, b) -> bool:
        (xa, ya), (xb, yb) = series[a], series[b]
        if list(xa) != list(xb):
            return False
        near = sum(abs(p - q) <= tol for p, q in zip(ya, yb))
        return near >= share * len(ya)

    names = [n for n, (xs, _) in series.items() if len(xs)]
    out = {a: [b for b in names if b != a and close(a, b)] for a in names}
    return {k: v for k, v in out.items() if v}
