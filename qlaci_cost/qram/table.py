"""The QRAM comparison table: every metric of every model over a grid of sizes.

One symbolic derivation per model (`cost_summary` with N and b symbols, cached per model and
conventions), compiled once into integer arithmetic (`compile_exact`), then evaluated per size:
the cost of a row does not grow with N, so N = 2^40 (or 2^200) costs what N = 16 costs, and
every number is an exact Python int.
"""

import functools
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import Any, NamedTuple

import sympy

from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, Conventions
from qlaci_cost.core.summary import METRICS, CostSummary, cost_summary, evaluate
from qlaci_cost.qram import build_symbolic, model_class
from qlaci_cost.qram.interface import check_sizes, pad_cells
from qlaci_cost.symbolics.exact_runtime import Unsupported as _Unsupported
from qlaci_cost.symbolics.exact_runtime import load_exact
from qlaci_cost.symbolics.symbols import B, N

__all__ = [
    "COLUMNS",
    "N",
    "B",
    "QRAMTable",
    "compile_exact",
    "compiled_metrics",
    "model_notes",
    "qram_rows",
    "symbolic_summary",
]

#: Output columns, in order.
COLUMNS: tuple[str, ...] = ("model", "N", "bits") + METRICS

WORST_CASE_NOTE = (
    "counts are for size-only models: the worst case over the stored data unless a model's "
    "note says otherwise"
)
SYMBOLIC_NOTE = "N = number of cells (a power of two), b = bits per word, log2(N) = address qubits"


class QRAMTable(NamedTuple):
    """Rows (dicts keyed by `COLUMNS`) and the notes that must be printed with them."""

    rows: list[dict[str, Any]]
    notes: list[str]


@functools.cache
def symbolic_summary(model: str, conventions: Conventions = DEFAULT_CONVENTIONS) -> CostSummary:
    """`cost_summary` of the size-only model with N and b symbols, derived once per process."""
    return cost_summary(build_symbolic(model, N, B), conventions)


# --- exact evaluation -------------------------------------------------------------------------


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


@functools.cache
def compiled_metrics(model: str, conventions: Conventions) -> Callable[[int, int], tuple]:
    summary = symbolic_summary(model, conventions)
    return compile_exact([getattr(summary, m) for m in METRICS])


# --- the table --------------------------------------------------------------------------------


def model_notes(model: str, summary: CostSummary) -> list[str]:
    notes = list(summary.notes)
    bounds = getattr(model_class(model), "BOUNDS", frozenset())
    if bounds:
        named = ", ".join(m for m in METRICS if m in bounds)
        notes.append(f"{model}: {named} are upper bounds (proven closed forms), not exact counts")
    return notes


def qram_rows(
    models: Iterable[str],
    sizes: Iterable[int],
    bits: int | None = 8,
    conventions: Conventions = DEFAULT_CONVENTIONS,
    symbolic: bool = False,
) -> QRAMTable:
    """Every metric of every model at every size, or (symbolic) one row of expressions per model.

    Args:
        models: Names in `qlaci_cost.qram.MODELS`; rows come model by model, sizes in order.
        sizes: Numbers of cells N >= 1; each is padded to the next power of two (the row shows
            the padded N and a note says so). Ignored when `symbolic`.
        bits: Bits per word b >= 1. When `symbolic`, None keeps b a symbol.
        conventions: Counting conventions (T per Toffoli, rotation synthesis).
        symbolic: Give expressions in N (and b) instead of numbers.

    Returns:
        `QRAMTable(rows, notes)`: rows are dicts with exactly the keys `COLUMNS`; values are
        exact Python ints (sympy expressions when `symbolic`). Notes, each once: what the
        counts are (worst case over data; the symbols when `symbolic`), padding notes, then
        each model's notes (the ideal model's assumption, metrics that are upper bounds).

    Raises:
        UnknownModelError: A model outside `MODELS`.
        QRAMSizeError: A size < 1 or bits < 1.
    """
    models = list(models)
    if bits is not None or not symbolic:
        check_sizes(2, bits)
    for model in models:
        model_class(model)
    notes: dict[str, None] = {}
    rows: list[dict[str, Any]] = []
    if symbolic:
        for model in models:
            summary = symbolic_summary(model, conventions)
            values = summary.metrics()
            if bits is not None:
                values = {m: evaluate(v, {"b": bits}) for m, v in values.items()}
            rows.append(
                dict(zip(COLUMNS, (model, N, B if bits is None else bits, *values.values())))
            )
            notes.update(dict.fromkeys(model_notes(model, summary)))
        return QRAMTable(rows, [SYMBOLIC_NOTE, WORST_CASE_NOTE, *notes])
    padded = []
    for n in sizes:
        p, note = pad_cells(n)
        padded.append(p)
        if note:
            notes[note] = None
    for model in models:
        values = compiled_metrics(model, conventions)
        for n in padded:
            rows.append(dict(zip(COLUMNS, (model, n, bits, *values(n, bits)))))
        notes.update(dict.fromkeys(model_notes(model, symbolic_summary(model, conventions))))
    return QRAMTable(rows, [WORST_CASE_NOTE, *notes])
