"""The size symbols every closed form is written in."""

import sympy

__all__ = ["B", "N"]

#: N cells / sequence length (a power of two), b bits per word: positive integers.
N, B = sympy.symbols("N b", positive=True, integer=True)
