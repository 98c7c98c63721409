"""Log-log slopes and leading-order terms."""

import math

import pytest
import sympy

from qlaci_cost.scaling import leading_order, loglog_slope, top_decade

N, b = sympy.symbols("N b", positive=True, integer=True)
SIZES = [2**k for k in range(4, 41)]


@pytest.mark.parametrize("power", [0.5, 1, 2, 3])
def test_slope_of_an_exact_power_law(power):
    values = [7 * math.isqrt(n) if power == 0.5 else 7 * n**power for n in SIZES]
    assert loglog_slope(SIZES, values) == pytest.approx(power, abs=1e-6)


def test_slope_of_n_log_n_over_the_top_decade_is_just_above_one():
    # d log(N log N) / d log N = 1 + 1/ln N: between 1 + 1/ln(2^40) and 1 + 1/ln(2^37).
    slope = loglog_slope(SIZES, [n * (n.bit_length() - 1) for n in SIZES])
    assert 1 + 1 / math.log(2**40) < slope < 1 + 1 / math.log(2**36)


def test_top_decade_and_degenerate_inputs():
    assert [SIZES[i] for i in top_decade(SIZES)] == [2**37, 2**38, 2**39, 2**40]
    assert loglog_slope([16], [5]) is None
    assert loglog_slope(SIZES, [0] * len(SIZES)) is None
    assert loglog_slope([2**200, 2**201], [2**400, 2**402]) == pytest.approx(2)


@pytest.mark.parametrize(
    "expr, expected",
    [
        ((b + 1) * N + sympy.log(N, 2) + b, "O(N)"),
        (3 * sympy.log(N, 2) ** 2 + 5, "O(log^2 N)"),
        (N**2 * sympy.log(N, 2) + N, "O(N^2 log N)"),
        (4 * sympy.ceiling(sympy.sqrt(N / b)) + 8 * b, "O(N^0.5)"),
        (N * sympy.log(N, 2) - 4, "O(N log N)"),
        (sympy.Integer(7), "O(1)"),
        (b**2, "O(1)"),
    ],
)
def test_leading_order(expr, expected):
    assert leading_order(expr, N) == expected
