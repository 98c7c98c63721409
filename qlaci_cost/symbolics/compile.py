"""`compile_exact`: closed forms in N and b compiled once into exact integer arithmetic.

A symbolic `cost_summary` is derived once; evaluating it with sympy at every size of a grid
costs more than the derivation. `compile_exact` translates the expressions into one Python
function of (N, b) running on ints and `Fraction`s, with log(x)/log(2) as the exact integer
log2 x, so a row costs the same at N = 2^40 (or 2^200) as at N = 16 and every value is exact.
"""

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import sympy

from qlaci_cost.symbolics.exact import evaluate
from qlaci_cost.symbolics.exact_runtime import Unsupported as _Unsupported
from qlaci_cost.symbolics.exact_runtime import load_exact
from qlaci_cost.symbolics.symbols import B, N

__all__ = ["compile_exact"]


class _Translator:
    """Python source for sympy expressions in N and b, exact: ints, with `Fraction` for
    rationals, log(x)/log(2) as the integer log2 x. A subtree met more than once (closed
    forms repeat blocks such as a SelectSwap's block size across metrics) is computed once
    into a local variable."""

    def __init__(self, exprs: Sequence[sympy.Basic]):
        self.names: dict[Any, str] = {N: "N", B: "b"}
        self.lines: list[str] = []
        self.uses: dict[sympy.Basic, int] = {}
        for expr in exprs:
            self._count(expr)

    def _count(self, e: sympy.Basic) -> None:
        self.uses[e] = self.uses.get(e, 0) + 1
        if self.uses[e] == 1:
            for a in e.args:
                self._count(a)

    def source(self, e: sympy.Basic) -> str:
        if e in self.names:
            return self.names[e]
        src = self._node(e)
        if self.uses.get(e, 0) > 1 and e.args:
            name = f"_x{len(self.lines)}"
            self.lines.append(f"    {name} = _n({src})")
            self.names[e] = name
            return name
        return src

    def _node(self, e: sympy.Basic) -> str:
        if e.is_Integer:
            return repr(int(e))
        if e.is_Rational:
            return f"_F({int(e.p)}, {int(e.q)})"
        if e.is_Symbol:
            raise _Unsupported(f"unknown symbol {e}")
        if isinstance(e, (sympy.floor, sympy.ceiling)):
            return self._rounding(e)
        if e.is_Mul:
            return self._mul(e)
        args = [self.source(a) for a in e.args]
        if e.is_Add:
            return "(" + " + ".join(args) + ")"
        if e.is_Pow:
            if e.exp.is_Integer and e.exp >= 0:
                return f"({args[0]} ** {args[1]})"
            return f"_pow({args[0]}, {args[1]})"
        if isinstance(e, sympy.log):
            raise _Unsupported("a logarithm outside log(x)/log(2)")
        if isinstance(e, sympy.Max):
            return f"max({', '.join(args)})"
        if isinstance(e, sympy.Min):
            return f"min({', '.join(args)})"
        if isinstance(e, sympy.Abs):
            return f"abs({args[0]})"
        if isinstance(e, sympy.Mod):
            return f"({args[0]} % {args[1]})"
        raise _Unsupported(type(e).__name__)

    def _log2(self, x: sympy.Basic) -> str:
        """log2 x, computed once per x (exact for a power of two; anything else falls back)."""
        key = ("log2", x)
        if key not in self.names:
            name = f"_x{len(self.lines)}"
            self.lines.append(f"    {name} = _log2({self.source(x)})")
            self.names[key] = name
        return self.names[key]

    def _rounding(self, e: sympy.Basic) -> str:
        """floor/ceiling as integer division: the argument times the common denominator d of
        its terms' rational coefficients, floor-divided by d (exact for ints and Fractions)."""
        arg = e.args[0]
        x = _log2_argument(arg)
        if x is not None:  # floor/ceiling of log2(x): exact for every integer x >= 1
            prefix = "_flog2" if isinstance(e, sympy.floor) else "_clog2"
            return f"{prefix}({self.source(x)})"
        terms = sympy.Add.make_args(arg)
        d = int(sympy.ilcm(1, *[t.as_coeff_Mul()[0].q for t in terms]))
        if d == 1:
            inner = self.source(arg)
        else:
            inner = "(" + " + ".join(self.source(t * d) for t in terms) + ")"
        if isinstance(e, sympy.floor):
            return f"_floor({inner} // {d})" if d > 1 else f"_floor({inner})"
        return f"-_floor((-{inner}) // {d})" if d > 1 else f"_ceil({inner})"

    def _mul(self, e: sympy.Mul) -> str:
        """A product as numerator // denominator when exact (a Fraction otherwise); each
        log(x) pairs with a factor 1/log(2) into the exact log2(x)."""
        logs, inv_log2, num, den = [], 0, [], []
        for f in e.args:
            if _is_log(f):
                logs.append(f.args[0])
            elif f.is_Pow and _is_log(f.base) and f.exp.is_Integer and f.exp > 0:
                logs += [f.base.args[0]] * int(f.exp)
            elif f.is_Pow and f.base == _LOG_2 and f.exp.is_Integer and f.exp < 0:
                inv_log2 += int(-f.exp)
            elif f.is_Rational and not f.is_Integer:
                if f.p != 1:
                    num.append(repr(int(f.p)))
                den.append(repr(int(f.q)))
            elif f.is_Pow and f.exp.could_extract_minus_sign():
                den.append(self.source(f.base ** (-f.exp)))
            else:
                num.append(self.source(f))
        if inv_log2 != len(logs):
            raise _Unsupported("a logarithm outside log(x)/log(2)")
        num = [self._log2(x) for x in logs] + num
        top = "(" + " * ".join(num or ["1"]) + ")"
        if not den:
            return top
        return f"_div({top}, ({' * '.join(den)}))"


_LOG_2 = sympy.log(2)


def _is_log(e: sympy.Basic) -> bool:
    return isinstance(e, sympy.log) and not e.args[0].is_Number


def _log2_argument(e: sympy.Basic) -> sympy.Basic | None:
    """x when `e` is exactly log(x)/log(2), else None."""
    if e.is_Mul and len(e.args) == 2:
        a, c = e.args
        if isinstance(c, sympy.log):
            a, c = c, a
        if _is_log(a) and c == 1 / _LOG_2:
            return a.args[0]
    return None


def compile_exact(exprs: Sequence[Any]) -> Callable[[int, int], tuple]:
    """A function (n, bits) -> the values of `exprs` at N = n (a power of two), b = bits.

    Each value equals `summary.evaluate(expr, {"N": n, "b": bits})`. log(x)/log(2) becomes
    an exact integer log2 (floor and ceiling of it too), and the rest runs as Python integer
    and `Fraction` arithmetic (never floats), so values are exact at any N. Expressions with
    nodes this translator does not know, an irrational intermediate (log2 of a non-power of
    two) or a non-integer result go through `evaluate` instead.
    """
    exprs = tuple(exprs)
    tidy = {i: sympy.sympify(e) for i, e in enumerate(exprs) if isinstance(e, sympy.Basic)}
    translator = _Translator(list(tidy.values()))
    sources: list[str | None] = [repr(e) if isinstance(e, int) else None for e in exprs]
    for i, expr in tidy.items():
        try:
            sources[i] = translator.source(expr)
        except _Unsupported:
            sources[i] = None
    fallback = {i for i, src in enumerate(sources) if src is None}
    body = "".join(f"{src or 'None'}, " for src in sources)
    code = "def _fast(N, b):\n" + "".join(f"{line}\n" for line in translator.lines)
    code += f"    return ({body})\n"
    fast = load_exact(code)

    def slow(i: int, n: int, bits: int):
        return evaluate(exprs[i], {"N": n, "b": bits})

    # Integer-only source (no rationals, no negative powers, no fallback) yields ints only.
    checked = bool(fallback) or any(f in code for f in ("_F(", "_pow(", "_div("))

    def values(n: int, bits: int) -> tuple:
        try:
            out = fast(n, bits)
        except (_Unsupported, ZeroDivisionError, TypeError, ValueError):
            return tuple(slow(i, n, bits) for i in range(len(exprs)))
        if not checked:
            return out
        out = list(out)
        for i, v in enumerate(out):
            if type(v) is int:
                continue
            if i in fallback or not (isinstance(v, Fraction) and v.denominator == 1):
                out[i] = slow(i, n, bits)
            else:
                out[i] = int(v)
        return tuple(out)

    # The source, for a disk cache (qlaci_cost.qram.cached): valid alone when nothing falls back.
    values.source = code if not fallback else None
    return values
