"""Numbers for people: the one formatter of numbers in prose and Markdown tables.

CSV and JSON keep exact values; everything a person reads goes through these functions, so
one style holds in the whole report:

- sizes that are powers of two as `2^40` (`size_text`), others with thousands separators;
- counts: exact with thousands separators when they have at most 4 significant digits
  (`5,141`, `34,650`, `1,000,000`), else 3 significant digits (`7.38e4`, `1.07e30`;
  `count_text`), rounded from the exact integer (never through a float): no number a person
  reads has more than 4 significant digits (`MAX_SIGNIFICANT`); exact values are in the CSV
  and JSON;
- real quantities (ratios, probabilities) with 3 significant digits (`quantity_text`);
- durations in the unit a person reads (`18.3 days`, `5.65e16 years`; `duration_text`).

Nothing printed has more than 16 digits in a row (`MAX_DIGITS`).
"""

import decimal
import numbers
from fractions import Fraction
from typing import Any

__all__ = [
    "MAX_DIGITS",
    "MAX_SIGNIFICANT",
    "count_text",
    "duration_text",
    "exponent_text",
    "quantity_text",
    "sci_text",
    "size_text",
]

#: No number a person reads has more digits in a row than this.
MAX_DIGITS = 16
#: Integers below this print exactly, with thousands separators.
EXACT_BELOW = 10**7
#: No number a person reads has more significant digits than this (exact values: CSV, JSON).
MAX_SIGNIFICANT = 4
_CONTEXT = decimal.Context(prec=60)
_UNITS = (
    ("years", Fraction(31_557_600)),  # Julian year, 365.25 days
    ("days", Fraction(86_400)),
    ("h", Fraction(3_600)),
    ("min", Fraction(60)),
    ("s", Fraction(1)),
    ("ms", Fraction(1, 1000)),
    ("us", Fraction(1, 10**6)),
)


def _exact(value: Any) -> "int | Fraction":
    """An exact int or Fraction from an int, Fraction, sympy number or float."""
    if isinstance(value, bool):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, Fraction):
        return value
    if hasattr(value, "is_Integer") and value.is_Integer:
        return int(value)
    if hasattr(value, "is_Rational") and value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    return Fraction(float(value))


def _decimal(value: "int | Fraction") -> decimal.Decimal:
    if isinstance(value, int):
        return decimal.Decimal(value)
    return _CONTEXT.divide(decimal.Decimal(value.numerator), decimal.Decimal(value.denominator))


def sci_text(value: Any, digits: int = 3) -> str:
    """`value` with `digits` significant digits in e-notation: 1.07e30, -2.5e-7 (exact
    rounding, half to even, of ints and Fractions of any size)."""
    text = format(_decimal(_exact(value)), f".{digits - 1}e")
    mantissa, exponent = text.split("e")
    return f"{mantissa}e{int(exponent)}"


def exponent_text(k: Any) -> str:
    """`2^k` for an integer k, `2^k` with k to 3 significant digits otherwise."""
    if isinstance(k, numbers.Integral) or float(k).is_integer():
        return f"2^{int(k)}"
    return f"2^{float(k):.3g}"


def size_text(n: Any) -> str:
    """A size N: `2^k` for a power of two, else an exact count (`count_text`)."""
    n = _exact(n)
    if isinstance(n, int) and n > 0 and n & (n - 1) == 0:
        return f"2^{n.bit_length() - 1}"
    return count_text(n)


def count_text(n: Any) -> str:
    """A count: exact with thousands separators when it has at most `MAX_SIGNIFICANT`
    significant digits below 10^7 (`5,141`, `34,650`), else 3 significant digits (`7.38e4`,
    `1.07e30`)."""
    n = _exact(n)
    if isinstance(n, Fraction):
        return quantity_text(n)
    if abs(n) < EXACT_BELOW and len(str(abs(n)).rstrip("0")) <= MAX_SIGNIFICANT:
        return f"{n:,}"
    return sci_text(n)


def quantity_text(x: Any) -> str:
    """A real quantity with 3 significant digits: 0.0339, 23.6, 1,510, 51,400, 6.18e11,
    2.2e-16."""
    x = _exact(x)
    if x == 0:
        return "0"
    if 1000 <= abs(x) < EXACT_BELOW:  # 3 significant digits, written out: 5,080,000
        return f"{int(decimal.Decimal(sci_text(x))):,}"
    if Fraction(1, 1000) <= abs(x) < 1000:
        text = format(_decimal(Fraction(x)), ".3g")
        return text if "e" not in text else sci_text(x)
    return sci_text(x)


def duration_text(seconds: Any) -> str:
    """A time in the largest unit that reads as at least 1 (years, days, h, min, s, ms, us):
    `18.3 days`, `5.65e16 years`."""
    s = Fraction(_exact(seconds))
    if s == 0:
        return "0 s"
    for unit, size in _UNITS:
        if abs(s) >= size:
            return f"{quantity_text(s / size)} {unit}"
    return f"{quantity_text(s)} s"
