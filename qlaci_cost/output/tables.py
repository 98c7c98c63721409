"""Tables as text: CSV, Markdown, LaTeX and JSON, each carrying the conventions and notes.

Every format states `Conventions.describe()` and the notes with the numbers:
- csv: plain CSV, the header row first (`pandas.read_csv(path)` reads it); the conventions and
  notes are `csv_notes` (`# ` lines), which the CLI prints on stderr; an integer beyond the
  float range (|n| >= 2^1024, 309 digits and more) is written with `_` between groups of
  three digits (`BIG_INTEGER_FORMAT`: Python's `int()` reads it exactly; pandas keeps it as
  text, where the plain digits at the top of a column make its default reader raise);
- md: a Markdown table (expressions as code spans, so `*` never turns into emphasis), then the
  conventions and the notes as text;
- latex: a `tabular` environment after `%` comment lines with the conventions and notes;
  expressions longer than `LATEX_INLINE` characters of LaTeX are numbered in the cell and set
  as display math below the table, so the output compiles in any document;
- json: `{"number_format": ..., "conventions": {...}, "notes": [...], "columns": [...],
  "rows": [{...}, ...]}`: integers up to 2^53 as JSON numbers, larger ones as strings of their
  exact digits (`NUMBER_FORMAT`), expressions as strings.

Integers print exactly (never through floats); sympy expressions print with log(x)/log(2)
written as log2(x) and their maxima and minima simplified for display (`display_expr`: nested
Max flattened, Max(0, x) -> x when x >= 0 for every size; the value is unchanged).
"""

import csv
import functools
import io
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from qlaci_cost.errors import InputError

if TYPE_CHECKING:  # sympy is imported when a table holds expressions: numbers need none
    import sympy

    from qlaci_cost.core.conventions import Conventions

__all__ = [
    "BIG_INTEGER_FORMAT",
    "FORMATS",
    "LATEX_INLINE",
    "NUMBER_FORMAT",
    "Log2",  # noqa: F822 - module __getattr__
    "beyond_float",
    "csv_notes",
    "display_expr",
    "render",
    "tidy",
    "tidy_latex",
    "with_log2",
]

FORMATS: tuple[str, ...] = ("csv", "md", "latex", "json")
#: A cell's LaTeX longer than this goes below the table as display math.
LATEX_INLINE = 60


@functools.cache
def _log2_class() -> type:
    import sympy

    class Log2(sympy.Function):
        """log2(x) as an unevaluated function, for printing and exact evaluation."""

        nargs = 1

        def _sympystr(self, printer):
            return f"log2({printer._print(self.args[0])})"

        def _latex(self, printer):
            arg = self.args[0]
            inner = printer._print(arg)
            return rf"\log_2 {inner}" if arg.is_Symbol else rf"\log_2\left({inner}\right)"

        def _eval_is_nonnegative(self):
            arg = self.args[0]
            if arg.is_positive and arg.is_integer:
                return True  # log2 of an integer >= 1
            return None

        def _eval_is_real(self):
            return True if self.args[0].is_positive else None

    Log2.__module__ = __name__
    return Log2


def __getattr__(name: str):
    if name == "Log2":  # log2(x) as an unevaluated sympy function, made on first use
        return _log2_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _is_expr(value: Any) -> bool:
    """A sympy expression (without importing sympy: no expression exists before it is)."""
    sympy = sys.modules.get("sympy")
    return sympy is not None and isinstance(value, sympy.Basic)


def with_log2(expr: "sympy.Basic") -> "sympy.Basic":
    """log(x)/log(2) -> log2(x): log(x) becomes log2(x) log(2), and log(2) cancels."""
    import sympy

    return expr.replace(
        lambda e: isinstance(e, sympy.log) and not e.args[0].is_Number,
        lambda e: _log2_class()(e.args[0]) * sympy.log(2),
    )


def display_expr(expr: "sympy.Basic") -> "sympy.Basic":
    """`expr` with its maxima and minima simplified for display (the value is unchanged):
    nested Max (Min) flattened into one, repeated arguments dropped, and in a Max a number
    <= 0 dropped when another argument is provably >= 0 (Max(0, Max(0, 5*N)) -> 5*N).

    Only the printed form changes: counts evaluated at any size are the same, and no general
    (slow) simplification runs.
    """
    import sympy

    def rule(e):
        args: list = []
        for a in e.args:
            args.extend(a.args if a.func is e.func else [a])
        args = list(dict.fromkeys(args))
        if e.func is sympy.Max and any(a.is_nonnegative is True for a in args if not a.is_Number):
            args = [a for a in args if not (a.is_Number and a <= 0)]
        return args[0] if len(args) == 1 else e.func(*args, evaluate=False)

    return expr.replace(lambda x: isinstance(x, (sympy.Max, sympy.Min)), rule)


def tidy(value: Any) -> str:
    """Plain text of a table value: exact ints, expressions with log2, '' for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if _is_expr(value):
        if value.is_Integer:
            return str(int(value))
        return str(display_expr(with_log2(value)))
    return str(value)


def tidy_latex(value: Any) -> str:
    """LaTeX of a table value: expressions in math mode, text escaped."""
    if _is_expr(value) and not value.is_Integer:
        import sympy

        return f"${sympy.latex(display_expr(with_log2(value)))}$"
    return _latex_escape(tidy(value))


def _latex_escape(text: str) -> str:
    special = {
        "\\": r"\textbackslash{}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "{": r"\{",
        "}": r"\}",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
    return "".join(special.get(c, c) for c in text)


#: JSON field convention, stated in every JSON document (key "number_format").
NUMBER_FORMAT = (
    "integers with |n| <= 2^53 are JSON numbers; larger integers are JSON strings of their exact "
    "decimal digits (every JSON reader keeps them exact); expressions are strings"
)
_SAFE_INT = 2**53


def _json_value(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _SAFE_INT:
        return str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if _is_expr(value):
        if value.is_Integer:
            return _json_value(int(value))
        return tidy(value)
    if hasattr(value, "item"):  # numpy scalars
        return _json_value(value.item())
    return str(value)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def render(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: str,
    header_lines: Iterable[str] = (),
    conventions: "Conventions | None" = None,
) -> str:
    """The table as text in `fmt` (one of `FORMATS`), ending with a newline.

    Args:
        rows: Mappings with (at least) the keys `columns`; a missing key prints empty.
        columns: The columns, in order.
        fmt: csv, md, latex or json.
        header_lines: Notes printed with the table (one line each).
        conventions: Printed first (`describe()`; JSON: `as_dict()` plus `description`).

    Raises:
        InputError: An unknown format.
    """
    if fmt not in FORMATS:
        raise InputError(f"format {fmt!r} is not allowed: choose from {', '.join(FORMATS)}")
    rows = list(rows)
    columns = list(columns)
    notes = [_one_line(n) for n in header_lines]
    described = [_one_line(conventions.describe())] if conventions is not None else []
    return _RENDERERS[fmt](rows, columns, described, notes, conventions)


#: How a CSV cell holds an integer beyond the float range (said in the module docstring).
BIG_INTEGER_FORMAT = (
    "integers of |n| >= 2^1024 (beyond the float range) are written with _ between groups of "
    "three digits: Python's int() reads them exactly, pandas.read_csv keeps them as text"
)


def _beyond_float(value: Any) -> bool:
    if _is_expr(value) and value.is_Integer:
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    try:
        float(value)
    except OverflowError:
        return True
    return False


def beyond_float(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> bool:
    """Whether a cell of the table holds an integer beyond the float range (its CSV cell then
    follows `BIG_INTEGER_FORMAT`)."""
    return any(_beyond_float(row.get(c)) for row in rows for c in columns)


def _csv_cell(value: Any) -> str:
    """`tidy(value)`; an integer beyond the float range with `_` digit separators, which
    `pandas.read_csv` reads as text (its number parser raises OverflowError on the plain
    digits when they open a column) and `int()` reads exactly."""
    if _beyond_float(value):
        return f"{int(value):_}"
    return tidy(value)


def _csv(rows, columns, described, notes, conventions) -> str:
    """Plain CSV, the header first (read by `pandas.read_csv` with its defaults); the
    conventions and notes travel beside it (`csv_notes`: the CLI prints them on stderr)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    return out.getvalue()


def csv_notes(header_lines: Iterable[str] = (), conventions: "Conventions | None" = None) -> str:
    """What a CSV table does not carry: `# ` lines with the conventions, then `# Note: ` lines."""
    described = [_one_line(conventions.describe())] if conventions is not None else []
    lines = described + [f"Note: {_one_line(n)}" for n in header_lines]
    return "".join(f"# {line}\n" for line in lines)


def _md_cell(value: Any) -> str:
    text = tidy(value).replace("|", r"\|")
    if _is_expr(value) and not value.is_Integer:
        return f"`{text}`"  # a code span: `*` and `_` are not emphasis
    return text


def _md(rows, columns, described, notes, conventions) -> str:
    lines = [
        "| " + " | ".join(columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    lines += ["| " + " | ".join(_md_cell(row.get(c)) for c in columns) + " |" for row in rows]
    if described:
        lines += ["", *described]
    if notes:
        lines += ["", "Notes:", "", *[f"- {n}" for n in notes]]
    return "\n".join(lines) + "\n"


def _latex(rows, columns, described, notes, conventions) -> str:
    lines = [f"% {line}" for line in described]
    lines += [f"% Note: {n}" for n in notes]
    lines += [
        r"\begin{tabular}{" + "l" * min(len(columns), 1) + "r" * max(len(columns) - 1, 0) + "}",
        r"\hline",
        " & ".join(_latex_escape(c) for c in columns) + r" \\",
        r"\hline",
    ]
    below: list[str] = []
    for row in rows:
        cells = []
        for c in columns:
            cell = tidy_latex(row.get(c))
            if cell.startswith("$") and len(cell) > LATEX_INLINE:
                below.append(
                    rf"\noindent ({len(below) + 1}) {_latex_escape(tidy(row.get(columns[0])))}, "
                    rf"\texttt{{{_latex_escape(c)}}}:" + "\n" + rf"\[ {cell[1:-1]} \]"
                )
                cell = f"({len(below)})"
            cells.append(cell)
        lines.append(" & ".join(cells) + r" \\")
    lines += [r"\hline", r"\end{tabular}"]
    if below:
        lines += ["", r"\medskip", "", *below]
    return "\n".join(lines) + "\n"


def _json(rows, columns, described, notes, conventions) -> str:
    conv = {}
    if conventions is not None:
        conv = {**conventions.as_dict(), "description": described[0]}
    doc = {
        "number_format": NUMBER_FORMAT,
        "conventions": conv,
        "notes": notes,
        "columns": columns,
        "rows": [{c: _json_value(row.get(c)) for c in columns} for row in rows],
    }
    return json.dumps(doc, indent=2) + "\n"


_RENDERERS = {"csv": _csv, "md": _md, "latex": _latex, "json": _json}
