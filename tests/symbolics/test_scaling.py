"""Log-log slopes and leading-order terms."""

import math

import pytest
import sympy

from qlaci_cost.analysis import claim_rules as claims
from qlaci_cost.symbolics.scaling import Growth, growth, leading_order, loglog_slope, top_decade

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


# ---------------------------------------------------------------------------- growth

LOG2N = sympy.log(N, 2)


def test_other_symbols_are_positive_constants_inside_max_and_min():
    # Max(N, b) -> N and Min(N, b) -> b for any constant b as N -> oo; sympy cannot order N
    # and a symbolic b, so the comparison takes b = 8.
    assert growth(sympy.Max(N, b) + LOG2N) == Growth(1, 0)
    assert leading_order(sympy.Max(N, b) + LOG2N, N) == "O(N)"
    assert leading_order(sympy.Min(N, b) + LOG2N, N) == "O(log N)"
    assert leading_order(sympy.Max(N, b * N**2) * LOG2N, N) == "O(N^2 log N)"


def test_growth_of_a_select_swap_like_block_with_symbolic_b():
    # Block size 2^k with k = max(0, ceil(log2(N / b) / 2 - 1/2)) ~ sqrt(N / (2 b)): N / 2^k
    # + b 2^k both grow as N^(1/2).
    k = sympy.Max(0, sympy.ceiling(LOG2N / 2 - sympy.log(b, 2) / 2 - sympy.Rational(1, 2)))
    expr = 4 * N / 2**k + b * 2**k - 8
    assert growth(expr) == Growth(sympy.Rational(1, 2), 0)
    assert leading_order(expr, N) == "O(N^0.5)"


def test_growth_and_leading_order_in_another_symbol():
    m, n = sympy.symbols("M n", positive=True)
    # `n` is a constant here: it must not be mistaken for log2 M.
    expr = n * m * sympy.log(m, 2) + N**3
    assert growth(expr, m) == Growth(1, 1)
    assert leading_order(expr, m) == "O(M log M)"
    assert leading_order(expr, N) == "O(N^3)"
    assert Growth(sympy.Rational(3, 2), 2).text("M") == "O(M^1.5 log^2 M)"


def test_unrecognised_expressions_fall_back_to_sympy_order():
    # growth knows only N^a log^k N terms; sympy's O still names an exponential.
    with pytest.raises(ValueError, match="cannot find the growth"):
        growth(sympy.exp(N) + N)
    assert leading_order(sympy.exp(N) + N, N) == "O(exp(N))"


def test_claims_reexports_the_one_growth():
    assert claims.growth is growth and claims.Growth is Growth


@pytest.mark.parametrize(
    "value",
    [3, 2**80, 2.5, sympy.Integer(7), sympy.Rational(1, 3), sympy.Symbol("N") + 1, sympy.oo, None],
)
def test_is_symbolic_answers_as_qualtran_does(value):
    """`scaling.is_symbolic` stands in for Qualtran's, so that the figures' workers need not
    import Qualtran: the same answer for numbers, sympy numbers, expressions and Qualtran's own
    symbolic shapes."""
    from qualtran.symbolics import HasLength, Shaped
    from qualtran.symbolics import is_symbolic as qualtran_is_symbolic

    from qlaci_cost.symbolics.scaling import is_symbolic

    assert is_symbolic(value) == qualtran_is_symbolic(value)
    for shaped in (Shaped((sympy.Symbol("n"),)), HasLength(sympy.Symbol("n"))):
        assert is_symbolic(shaped) == qualtran_is_symbolic(shaped) is True
