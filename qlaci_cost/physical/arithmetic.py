"""Exact arithmetic of the physical models: ints and `Fraction`s where Qualtran's floats round.

Qualtran's float formulas are exact on counts below `FLOAT_SAFE`; above it the models use
exact transcriptions built on these helpers. Also the number and time formatting of
`PhysicalEstimate.describe` and the code distance for an error budget.
"""

import math
from fractions import Fraction
from typing import Any, Union

from qualtran.surface_code import QECScheme

from qlaci_cost.symbolics.exact import significant_text

FLOAT_SAFE = 2**40  # Qualtran's float arithmetic is exact on counts below this
TINY = Fraction(1, 10**300)  # below this a per-cell error budget is left to logarithms


def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _ln(x: Union[int, float, Fraction]) -> float:
    x = Fraction(x)
    return math.log(x.numerator) - math.log(x.denominator)


def to_float(x: Union[int, Fraction]) -> float:
    return float(x) if x < 1e300 else math.inf


def sci(x: Union[int, float, Fraction]) -> str:
    """A count or quantity of any size: ints below 10^15 exact (`12,345`), else 3 significant
    digits (`symbolics.exact.significant_text`)."""
    if is_int(x) and x < 10**15:
        return f"{x:,}"
    return significant_text(x)


def log2_ratio(num: Union[int, Fraction], den: Union[int, Fraction]) -> float:
    """log2(num / den) of positive exact values of any size (never under- or overflows)."""
    return (_ln(num) - _ln(den)) / math.log(2)


def fmt_time(seconds: Fraction) -> str:
    if seconds == 0:
        return "0 s"
    units = [(Fraction(1, 10**6), "us"), (Fraction(1, 1000), "ms"), (1, "s"), (3600, "h"),
             (86400, "days"), (31557600, "years")]  # fmt: skip
    scale, name = units[0]
    for s, n in units:
        if seconds >= s:
            scale, name = s, n
    return f"{sci(seconds / scale)} {name}"


def code_distance_for(qec: QECScheme, p: float, budget: Fraction, cells: int) -> int:
    """Smallest odd d >= 3 with cells x p_L(d) <= budget (Qualtran's formula).

    Calls `QECScheme.code_distance_from_budget` when budget / cells is a normal float; otherwise
    the same formula in logarithms of the exact values (never under- or overflows).
    """
    cells = max(cells, 1)
    per_cell = budget / cells
    if per_cell > TINY:
        return qec.code_distance_from_budget(physical_error=p, budget=float(per_cell))
    r = (_ln(budget) - _ln(cells) - math.log(qec.error_rate_scaler)) / math.log(
        p / qec.error_rate_threshold
    )
    return max(3, 2 * math.ceil(r) - 1)


def p_logical(qec: QECScheme, p: float, d: int) -> Fraction:
    """Qualtran's p_L(d) as a Fraction; exact where its float would underflow (large d)."""
    value = qec.logical_error_rate(code_distance=d, physical_error=p)
    if value > 1e-280:
        return Fraction(value)
    ratio = Fraction(p) / Fraction(qec.error_rate_threshold)
    return Fraction(qec.error_rate_scaler) * ratio ** ((d + 1) // 2)
