"""Precision targets of a Pauli expectation value (`abs:eps`, `rel:r` = r / N) and the checks
of the numbers a measurement cost takes (precision, confidence, sizes).

`rel:r` means eps = r / N: the measured value of a QLACI query is (1/N) sum_j f_j, and a single
position moves it by at most O(1/N) (docs/design.md#readout-precision). Decimal inputs are read
as exact rationals (a float through its shortest repr, so 0.01 is 1/100).
"""

import numbers
from typing import Any, Union

import attrs
import sympy
from attrs import frozen

from qlaci_cost.errors import InputError
from qlaci_cost.symbolics.exact import Number, decimal_text, is_symbolic_expr, rational

__all__ = [
    "DEFAULT_DELTA",
    "Precision",
    "confidence_value",
    "parse_precision",
    "positive_size",
    "unit_interval",
]

#: Default failure probability: 95% confidence.
DEFAULT_DELTA = sympy.Rational(1, 20)


# ----------------------------------------------------------------------------------------------
# Validation


def unit_interval(x: Number, name: str, what: str) -> sympy.Expr:
    """Exact value of x, checked to lie in the open interval (0, 1) unless symbolic."""
    msg = f"{what} must be in (0, 1)"
    value = rational(x, name, msg)
    if is_symbolic_expr(value):
        return value
    if not (value.is_extended_real and 0 < value < 1):
        raise InputError(f"{name}={x!r} is not allowed: {msg}")
    return value


def positive_size(x: Any, name: str, what: str) -> Union[int, sympy.Expr]:
    """An int >= 1, or a symbolic sympy expression."""
    if is_symbolic_expr(x):
        return x
    if isinstance(x, sympy.Basic) and x.is_Integer:
        x = int(x)
    if isinstance(x, bool) or not isinstance(x, numbers.Integral) or x < 1:
        raise InputError(f"{name}={x!r} is not allowed: {what} must be an integer >= 1")
    return int(x)


def confidence_value(delta: Number) -> sympy.Expr:
    value = unit_interval(delta, "delta", "failure probability delta")
    if is_symbolic_expr(value):
        raise InputError(f"delta={delta!r} is not allowed: delta must be a number in (0, 1)")
    return value


# ----------------------------------------------------------------------------------------------
# Precision targets

_KINDS = ("abs", "rel")


def _check_kind(instance, attribute, kind) -> None:
    if kind not in _KINDS:
        raise InputError(f"precision kind {kind!r} is not allowed: use 'abs' or 'rel'")


def _precision_value(x: Number) -> sympy.Expr:
    value = unit_interval(x, "precision", "the precision value")
    if is_symbolic_expr(value):
        raise InputError(f"precision={x!r} is not allowed: the precision value must be a number")
    return value


@frozen
class Precision:
    """Target additive precision of each Pauli expectation value.

    Args:
        kind: `abs`: eps = value. `rel`: eps = value / N, i.e. `value` times one position's
            share 1/N of the uniform average (1/N) sum_j f_j that a QLACI query measures.
        value: A number in (0, 1), stored as an exact rational.
    """

    kind: str = attrs.field(validator=_check_kind)
    value: sympy.Expr = attrs.field(converter=_precision_value)

    def eps(self, N: Any = None) -> sympy.Expr:
        """Additive eps on a Pauli expectation, exact: `value`, or `value / N` for `rel`."""
        if self.kind == "abs":
            return self.value
        if N is None:
            raise InputError("N=None is not allowed: a relative precision needs N >= 1")
        return self.value / positive_size(N, "N", "sequence length N")

    def __str__(self) -> str:
        return f"{self.kind}:{decimal_text(self.value)}"

    def describe(self) -> str:
        if self.kind == "abs":
            return f"additive eps = {decimal_text(self.value)} on each Pauli expectation"
        return (
            f"eps = {decimal_text(self.value)}/N on each Pauli expectation "
            f"({decimal_text(self.value)} of one position's share 1/N of the uniform average)"
        )


def parse_precision(text: Union[str, Precision]) -> Precision:
    """`'abs:0.01'` -> absolute eps 0.01; `'rel:0.1'` -> eps = 0.1 / N. Values in (0, 1)."""
    if isinstance(text, Precision):
        return text
    usage = "use 'abs:EPS' or 'rel:R' with EPS, R in (0, 1), e.g. 'abs:0.01' or 'rel:0.1'"
    if not isinstance(text, str) or text.count(":") != 1:
        raise InputError(f"precision {text!r} is not allowed: {usage}")
    kind, _, value = text.strip().partition(":")
    kind = kind.strip().lower()
    if kind not in _KINDS:
        raise InputError(f"precision {text!r} is not allowed: {usage}")
    try:
        return Precision(kind, value.strip())
    except ValueError as exc:
        raise InputError(f"precision {text!r} is not allowed: {usage}") from exc
