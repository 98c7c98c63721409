"""Numbers for people: one style, exact rounding, never more than 16 digits in a row."""

import re
from fractions import Fraction

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from qlaci_cost.core.numbers import (
    MAX_DIGITS,
    MAX_SIGNIFICANT,
    count_text,
    duration_text,
    quantity_text,
    sci_text,
    size_text,
)

CASES = [  # (function, value, text, why)
    (size_text, 2**40, "2^40", "a power of two is a size"),
    (size_text, 1000, "1,000", "padded sizes keep separators"),
    (count_text, 5_141, "5,141", "4 significant digits: exact"),
    (count_text, 34_650, "34,650", "trailing zeros are not significant: exact"),
    (count_text, 1_000_000, "1,000,000", "one significant digit: exact"),
    (count_text, 73_778, "7.38e4", "5 significant digits: 3 of them"),
    (count_text, 9_999_999, "1.00e7", "7 significant digits: 3, rounded up"),
    (count_text, 10**7, "1.00e7", "from 10^7 on: 3 significant digits"),
    # the head table's bucket-brigade total_toffoli at N = 2^40
    (count_text, 1070305549433688376866674573312, "1.07e30", "31 digits"),
    (count_text, sympy.Integer(2) ** 200, "1.61e60", "sympy integers"),
    (count_text, 2**4000, "1.32e1204", "beyond float range: exact"),
    (quantity_text, Fraction(1, 3), "0.333", "3 significant digits"),
    (quantity_text, 23.6, "23.6", ""),
    (quantity_text, 1510.4, "1,510", "thousands"),
    (quantity_text, 6.18e11, "6.18e11", ""),
    (quantity_text, 2.2e-16, "2.20e-16", "tiny values: 3 significant digits"),
    (quantity_text, 0, "0", ""),
    (sci_text, 1005, "1.00e3", "half to even at the exact midpoint"),
    (sci_text, 1015, "1.02e3", ""),
    (duration_text, 1_580_000, "18.3 days", "the physical detail's runtime"),
    (duration_text, Fraction(178, 10**4), "17.8 ms", ""),
    (duration_text, 1.78e24, "5.64e16 years", "Julian years"),
]


@pytest.mark.parametrize("function, value, text, why", CASES)
def test_cases(function, value, text, why):
    assert function(value) == text, why


@given(st.integers(min_value=-(10**400), max_value=10**400))
def test_counts_round_exactly_and_stay_short(n):
    text = count_text(n)
    assert max((len(d) for d in re.findall(r"\d+", text)), default=0) <= MAX_DIGITS
    if "e" in text:  # 3 significant digits, rounded from the exact integer
        mantissa, exponent = text.split("e")
        value = Fraction(mantissa) * Fraction(10) ** int(exponent)
        assert abs(value - n) <= Fraction(5, 1000) * Fraction(10) ** int(exponent)
        assert abs(n) >= 10**7 or len(str(abs(n)).rstrip("0")) > MAX_SIGNIFICANT
    else:  # exact: at most 4 significant digits
        assert int(text.replace(",", "")) == n
        assert len(str(abs(n)).rstrip("0")) <= MAX_SIGNIFICANT


@given(st.integers(min_value=0, max_value=4000))
def test_sizes(k):
    assert size_text(2**k) == f"2^{k}"
