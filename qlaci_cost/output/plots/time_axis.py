"""Time axes in human units: a log10-seconds axis whose ticks read "1 µs", "1 h", "1 year",
"1e6 years", with labelled reference lines at 1 day, 1 year and the age of the universe.

Times span 30 decades in one figure (a classical head at N = 16 takes ~1e-7 s, a quantum head
at N = 2^40 up to ~1e25 s); ticks at powers of ten of seconds do not say how long that is, so
the ticks are the units a reader knows, about one every three decades on long ranges (1 ns,
1 µs, 1 ms, 1 s, 1 h, 1 year, then every factor 1000 of years), finer units on short ranges.
"""

import math
from collections.abc import Sequence
from typing import Optional

from qlaci_cost.output.plots.axes import value_axis

__all__ = [
    "AGE_OF_UNIVERSE_YEARS",
    "DAY_S",
    "REFERENCE_NOTE",
    "REFERENCE_TIMES",
    "YEAR_S",
    "human_time",
    "time_axis",
]

MINUTE_S, HOUR_S = 60, 3_600
DAY_S = 86_400
#: The Julian year (365.25 days), the year of astronomy (IAU) and the one the report's prose
#: converts seconds with.
YEAR_S = 31_557_600
#: Age of the universe in years: 13.787 +- 0.020 Gyr, Planck Collaboration, "Planck 2018
#: results. VI. Cosmological parameters", A&A 641, A6 (2020), arXiv:1807.06209, Table 2
#: (TT,TE,EE+lowE+lensing+BAO). Drawn as a reference line labelled 13.8e9 years.
AGE_OF_UNIVERSE_YEARS = 13.787e9
#: (label, seconds) of the horizontal reference lines, drawn where they fall in the axis range
#: or at most `REFERENCE_ABOVE` decades above the data (the axis then grows to show them).
REFERENCE_TIMES: tuple[tuple[str, float], ...] = (
    ("1 day", DAY_S),
    ("1 year", YEAR_S),
    ("age of the universe (13.8e9 years)", AGE_OF_UNIVERSE_YEARS * YEAR_S),
)
REFERENCE_ABOVE = 1.5
#: The caption of a figure with a time axis.
REFERENCE_NOTE = (
    "Runtime ticks in human units (year = 365.25 days); reference lines at 1 day, 1 year and "
    "the age of the universe (13.8e9 years, Planck 2018) where they fall in the range."
)
REFERENCE_COLOR = "#8c2d04"
#: Reference lines carry this label prefix (a leading "_" keeps them out of legends).
REFERENCE_PREFIX = "_reference: "
_SUBSECOND = (("ps", -12), ("ns", -9), ("µs", -6), ("ms", -3))
#: At most this many labelled ticks.
_MOST_TICKS = 12


def human_time(seconds: float) -> str:
    """A duration in the largest unit it reaches, 3 significant figures at most: 1 µs, 250 ms,
    1 s, 1 min, 1 h, 1 day, 1 year, 100 years, 1e6 years (powers of ten of years from 1e4
    on); below 1 ps, seconds in scientific notation."""
    if seconds <= 0 or not math.isfinite(seconds):
        raise ValueError(f"a duration must be positive and finite, got {seconds!r}")
    years = seconds / YEAR_S
    if years >= 1e4:
        mantissa, exponent = _split(years)
        return f"{_number(mantissa)}e{exponent} years"
    for unit, size in (("years", YEAR_S), ("days", DAY_S), ("h", HOUR_S), ("min", MINUTE_S)):
        if seconds >= size * (1 - 1e-9):
            text = _number(seconds / size)
            if unit in ("years", "days") and text == "1":
                unit = unit[:-1]
            return f"{text} {unit}"
    if seconds >= 1 - 1e-9:
        return f"{_number(seconds)} s"
    for unit, power in reversed(_SUBSECOND):
        if seconds >= 10.0**power * (1 - 1e-9):
            return f"{_number(seconds / 10.0**power)} {unit}"
    mantissa, exponent = _split(seconds)
    return f"{_number(mantissa)}e{exponent} s"


def tick_text(log_seconds: float) -> str:
    """`human_time` of 10^log_seconds, read in the log domain where 10^log_seconds is beyond
    a float (times of 2^1024-position heads): `3.2e400 years`, `1e-400 s`."""
    if abs(log_seconds) < 300:
        return human_time(10.0**log_seconds)
    exponent = log_seconds - math.log10(YEAR_S) if log_seconds > 0 else log_seconds
    k = math.floor(exponent)
    mantissa = float(f"{10.0 ** (exponent - k):.3g}")
    if mantissa >= 10:
        mantissa, k = mantissa / 10, k + 1
    return f"{_number(mantissa)}e{k} {'years' if log_seconds > 0 else 's'}"


def _split(value: float) -> tuple[float, int]:
    exponent = math.floor(math.log10(value) + 1e-9)
    return value / 10.0**exponent, exponent


def _number(value: float) -> str:
    """3 significant figures, no trailing zeros: 1, 2.5, 250, 1,000."""
    text = f"{float(f'{value:.3g}'):,.2f}".rstrip("0").rstrip(".")
    return text


def _candidates() -> list[tuple[float, int]]:
    """(log10 seconds, rank) of every tick a time axis may use: rank 1 the backbone (about
    one per three decades), rank 2 the next finer, rank 3 the finest."""
    out: list[tuple[float, int]] = []
    for _, power in _SUBSECOND:
        out += [(power, 1), (power + 1, 2), (power + 2, 2)]
    out += [(0.0, 1), (1.0, 3), (math.log10(MINUTE_S), 2), (math.log10(10 * MINUTE_S), 3)]
    out += [(math.log10(HOUR_S), 1), (math.log10(10 * HOUR_S), 3), (math.log10(DAY_S), 2)]
    out += [(math.log10(7 * DAY_S), 3), (math.log10(YEAR_S), 1)]
    year = math.log10(YEAR_S)
    out += [(year + k, 1 if k % 3 == 0 else 2) for k in range(1, 40)]
    return sorted(out)


def _ticks(lo: float, hi: float) -> list[float]:
    """The tick positions (log10 s) of an axis from lo to hi: the backbone, thinned to at most
    `_MOST_TICKS` (every other one, keeping 1 s or 1 year), or finer ranks on a short range;
    [] when fewer than two human ticks fit."""
    inside = [(x, rank) for x, rank in _candidates() if lo <= x <= hi]
    for most_rank in (1, 2, 3):
        ticks = [x for x, rank in inside if rank <= most_rank]
        if len(ticks) >= 3 or (most_rank == 3 and len(ticks) >= 2):
            break
    else:
        return []
    step = 1
    while len(ticks[::step]) > _MOST_TICKS:
        step += 1
    anchor = next((i for i, x in enumerate(ticks) if x in (0.0, math.log10(YEAR_S))), 0)
    return ticks[anchor % step :: step]


def time_axis(ax, ys: Sequence[float], label: str, references: bool = True) -> list[str]:
    """y = log10 seconds with ticks in human units (`human_time`), decade minor ticks, and
    the reference lines of `REFERENCE_TIMES` that fall in the range of `ys` or at most
    `REFERENCE_ABOVE` decades above it, labelled on a second y axis at the right (outside the
    data). Returns the labels of the reference lines drawn."""
    refs = _references(ys) if references else []
    value_axis(ax, ys, label, include=[math.log10(s) for _, s in refs])
    lo, hi = ax.get_ylim()
    ticks = _ticks(lo, hi)
    if ticks:
        ax.set_yticks(ticks, [tick_text(x) for x in ticks])
        minor = range(math.ceil(lo), math.floor(hi) + 1)
        ax.set_yticks([k for k in minor if all(abs(k - t) > 1e-9 for t in ticks)], minor=True)
    else:  # a short range: value_axis's positions, read in human units
        ax.set_yticks(ax.get_yticks(), [tick_text(y) for y in ax.get_yticks()])
    _draw_references(ax, refs)
    return [name for name, _ in refs]


def _references(ys: Sequence[float]) -> list[tuple[str, float]]:
    if not ys:
        return []
    lo, hi = min(ys), max(ys)
    return [(name, s) for name, s in REFERENCE_TIMES if lo <= math.log10(s) <= hi + REFERENCE_ABOVE]


def _draw_references(ax, refs: Sequence[tuple[str, float]]) -> Optional[object]:
    """Thin horizontal lines across the axes, named on a right-hand axis in their colour."""
    if not refs:
        return None
    for name, seconds in refs:
        ax.axhline(
            math.log10(seconds),
            color=REFERENCE_COLOR,
            linewidth=0.9,
            linestyle="-",
            alpha=0.7,
            zorder=1.5,
            label=REFERENCE_PREFIX + name,
        )
    side = ax.secondary_yaxis("right")
    side.set_yticks([math.log10(s) for _, s in refs], [_short(name) for name, _ in refs])
    side.tick_params(axis="y", colors=REFERENCE_COLOR, labelsize="small", length=0)
    side.set_yticks([], minor=True)
    return side


def _short(name: str) -> str:
    """The right-axis text of a reference: 'age of the universe' on two lines."""
    return name.replace(" (", "\n(")
