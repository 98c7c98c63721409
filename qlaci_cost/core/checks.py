"""Argument checks the bloqs and functions share: integers stay integers, numbers are finite.

Each helper returns the value as the caller stores it, or raises `InputError` naming the
argument, the value given and what is allowed. Nothing is truncated (1.7 where an integer is
needed is refused, never read as 1) and NaN or an infinity is refused wherever a number is
taken. Symbolic values (sympy expressions with free symbols) pass unchanged.
"""

import math
from fractions import Fraction
from typing import Any, Optional

import numpy as np
import sympy

from qlaci_cost.errors import InputError, describe_value

__all__ = ["finite_real", "integer", "integer_rows", "is_integer", "text_tuple"]


def is_integer(x: Any) -> bool:
    """An int, numpy integer or sympy Integer (never a bool, never an integral float)."""
    return isinstance(x, (int, np.integer, sympy.Integer)) and not isinstance(x, (bool, np.bool_))


def integer(x: Any, name: str, what: str = "an integer is needed") -> int:
    """`x` as a Python int, or `InputError` ('{name}={x} is not allowed: {what}')."""
    if not is_integer(x):
        raise InputError(f"{name}={describe_value(x)} is not allowed: {what}")
    return int(x)


def integer_rows(rows: Any, name: str) -> Optional[tuple[tuple[int, ...], ...]]:
    """Rows of integers (a row may be one integer) as a tuple of int tuples; None stays None.

    An entry that is not an integer (1.7, nan, '3', True) is refused, naming it and its row.
    """
    if rows is None:
        return None
    if isinstance(rows, (str, bytes)) or not np.iterable(rows):
        raise InputError(f"{name}={describe_value(rows)} is not allowed: rows of integers")
    out = []
    for j, row in enumerate(rows):
        items = list(np.atleast_1d(np.asarray(row, dtype=object)).ravel())
        for x in items:
            integer(x, f"{name}[{j}] entry", "entries must be integers (never truncated)")
        out.append(tuple(int(x) for x in items))
    return tuple(out)


def finite_real(x: Any, name: str, what: str = "a finite real number is needed") -> Any:
    """A float for a number (int, float, Fraction, numpy scalar), a sympy expression unchanged
    when it has free symbols or is a finite real number; `InputError` for a bool, NaN, an
    infinity, a complex number, a number too large for a float, or anything else."""
    bad = f"{name}={describe_value(x)} is not allowed: {what}"
    if isinstance(x, (bool, np.bool_)):
        raise InputError(bad)
    if isinstance(x, sympy.Basic):
        if x.free_symbols:
            return x
        if x.is_extended_real is True and x.is_finite is True:
            return x
        raise InputError(bad)
    if not isinstance(x, (int, float, Fraction, np.integer, np.floating)):
        raise InputError(bad)
    try:
        value = float(x)
    except OverflowError:
        raise InputError(f"{bad} (too large for a float)") from None
    if not math.isfinite(value):
        raise InputError(bad)
    return value


def text_tuple(values: Any, name: str) -> Optional[tuple[str, ...]]:
    """A sequence of strings (Pauli strings, bases) as a tuple of str; None stays None; a
    single string or a non-sequence is refused (its entries are checked by the caller)."""
    if values is None:
        return None
    if isinstance(values, (str, bytes)) or not np.iterable(values):
        raise InputError(f"{name}={describe_value(values)} is not allowed: a sequence of strings")
    return tuple(str(v) for v in values)
