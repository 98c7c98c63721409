"""`expression_tree`: a closed form as a JSON expression tree that another language evaluates
exactly (the explorer page's JavaScript: `qlaci_cost/output/explorer_engine.js`).

The tree follows `compile.compile_exact`'s reading of a closed form: integers and rationals
stay exact (integers as strings of digits, so none is rounded by a JSON reader),
log(x)/log(2) is the exact log2 x (and floor / ceiling of it the integer ones), floor and
ceiling are exact. A real constant that is not rational (log(40), pi, erfinv(19/20)^2) becomes
a `const` node holding its value to `DIGITS` decimals: the evaluator takes it as the interval
[value - 10^-DIGITS, value + 10^-DIGITS] and decides a ceiling only when both ends agree
(a value too close to an integer is an error, never a silent rounding).

Nodes (JSON arrays, the operator first):

| node | meaning |
|---|---|
| `["i", "123"]` | an integer (exact digits) |
| `["r", "p", "q"]` | the rational p/q |
| `["s", "N"]` | a symbol |
| `["c", "log(40)", "3.688...", D]` | a real constant within 10^-D of the decimal given |
| `["+", a, b, ...]`, `["*", a, b, ...]` | sum, product |
| `["^", a, e]` | a^e (e evaluates to an integer, or is 1/2: the square root) |
| `["max", ...]`, `["min", ...]`, `["abs", a]`, `["mod", a, b]` | as named |
| `["floor", a]`, `["ceil", a]` | floor and ceiling, exact |
| `["log2", a]`, `["flog2", a]`, `["clog2", a]` | log2 a (exact: a a power of two), floor, ceiling |
"""

from typing import Any

import sympy

from qlaci_cost.errors import InputError

__all__ = ["DIGITS", "expression_tree", "tree_symbols"]

#: Decimals of a real constant in a tree (the evaluator's interval is +-10^-DIGITS).
DIGITS = 120
_LOG_2 = sympy.log(2)


def expression_tree(expr: Any) -> list:
    """The JSON tree of `expr` (a sympy expression, int or Fraction-like number).

    Raises:
        InputError: a node the tree cannot express (a logarithm of a symbolic value outside
            log(x)/log(2), a function other than those of the table above).
    """
    return _node(sympy.sympify(expr))


def tree_symbols(tree: list) -> set[str]:
    """The symbol names a tree uses."""
    if tree[0] == "s":
        return {tree[1]}
    if tree[0] in ("i", "r", "c"):
        return set()
    return set().union(*(tree_symbols(a) for a in tree[1:]))


def _constant(e: sympy.Basic) -> list:
    """A real constant to DIGITS + 5 decimals (truncated), within 10^-DIGITS of its value."""
    magnitude = len(str(int(abs(e.evalf(30))))) + 1
    value = sympy.Rational(str(e.evalf(DIGITS + 30 + magnitude)))
    return ["c", str(e), _decimal(value, DIGITS + 5), DIGITS]


def _decimal(x: sympy.Rational, places: int) -> str:
    """x rounded toward zero to `places` decimals, as text."""
    sign = "-" if x < 0 else ""
    x = abs(x)
    scaled = int(x.p * 10**places // x.q)
    whole, frac = divmod(scaled, 10**places)
    return f"{sign}{whole}.{frac:0{places}d}"


def _node(e: sympy.Basic) -> list:
    if e.is_Integer:
        return ["i", str(int(e))]
    if e.is_Rational:
        return ["r", str(int(e.p)), str(int(e.q))]
    if e.is_Symbol:
        return ["s", e.name]
    if e.is_number:
        if e.is_extended_real is not True:
            raise InputError(f"expression {e} is not allowed in a tree: not a real number")
        return _constant(e)
    if isinstance(e, (sympy.floor, sympy.ceiling)):
        return _rounding(e)
    if e.is_Mul:
        return _mul(e)
    if e.is_Add:
        return ["+", *(_node(a) for a in e.args)]
    if e.is_Pow:
        return _pow(e)
    if isinstance(e, sympy.Max):
        return ["max", *(_node(a) for a in e.args)]
    if isinstance(e, sympy.Min):
        return ["min", *(_node(a) for a in e.args)]
    if isinstance(e, sympy.Abs):
        return ["abs", _node(e.args[0])]
    if isinstance(e, sympy.Mod):
        return ["mod", _node(e.args[0]), _node(e.args[1])]
    raise InputError(f"expression {e} is not allowed in a tree: {type(e).__name__} unsupported")


def _pow(e: sympy.Pow) -> list:
    """a^e: the evaluator takes e an exact integer (any expression that is one) or 1/2."""
    base, exp = e.args
    if exp == -sympy.Rational(1, 2):
        return ["^", ["^", _node(base), ["i", "-1"]], _node(sympy.Rational(1, 2))]
    if exp.is_Rational and not exp.is_Integer and exp != sympy.Rational(1, 2):
        raise InputError(f"expression {e} is not allowed in a tree: exponent {exp}")
    return ["^", _node(base), _node(exp)]


def _log2_argument(e: sympy.Basic):
    """x when `e` is exactly log(x)/log(2), else None."""
    if e.is_Mul and len(e.args) == 2:
        a, c = e.args
        if isinstance(c, sympy.log):
            a, c = c, a
        if isinstance(a, sympy.log) and not a.args[0].is_Number and c == 1 / _LOG_2:
            return a.args[0]
    return None


def _rounding(e: sympy.Basic) -> list:
    arg = e.args[0]
    x = _log2_argument(arg)
    if x is not None:
        return ["flog2" if isinstance(e, sympy.floor) else "clog2", _node(x)]
    return ["floor" if isinstance(e, sympy.floor) else "ceil", _node(arg)]


def _mul(e: sympy.Mul) -> list:
    """A product; each log(x) of a symbolic x pairs with a factor 1/log(2) into log2 x, the
    numeric factors (rational or not) are gathered into one."""
    logs, inv_log2, numeric, rest = [], 0, [], []
    for f in e.args:
        if isinstance(f, sympy.log) and not f.args[0].is_number:
            logs.append(f.args[0])
        elif f.is_Pow and isinstance(f.base, sympy.log) and not f.base.args[0].is_number:
            if not (f.exp.is_Integer and f.exp > 0):
                raise InputError(f"expression {e} is not allowed in a tree: a power of a log")
            logs += [f.base.args[0]] * int(f.exp)
        elif f.is_Pow and f.base == _LOG_2 and f.exp.is_Integer and f.exp < 0:
            inv_log2 += int(-f.exp)
        elif f.is_number:
            numeric.append(f)
        else:
            rest.append(f)
    if inv_log2 < len(logs):
        raise InputError(f"expression {e} is not allowed in a tree: a log outside log2")
    factors = [["log2", _node(x)] for x in logs]
    number = sympy.Mul(*numeric) * _LOG_2 ** (len(logs) - inv_log2)
    if number != 1:
        factors.insert(0, _node(number))
    factors += [_node(f) for f in rest]
    return factors[0] if len(factors) == 1 else ["*", *factors]
