"""Table cells in LaTeX, and their widths: numbers as the Markdown tables print them (to 3
significant figures, `core.numbers`), text escaped, both measured in Computer Modern 8 pt.

- A number: sizes as $2^{40}$, counts exact below 10^7 (`12{,}345`), else
  $1.07\\times10^{30}$, reals with 3 significant figures; true/false as yes/no. A string that
  is a number (`"1.65e+06"`, `"2^40"`) is one too: with more than 3 significant digits it is
  rounded to 3, else printed as written.
- Text (`latex_text`): the specials `\\ & % $ # _ { } ~ ^ < > |` escaped, `--` kept as two
  hyphens, common non-ASCII characters as LaTeX (others as [U+XXXX]); inside it `1e+04` and
  `2^40` print as math, `<=` as $\\leq$, an integer of more than `MAX_DIGITS` digits (or one
  written with thousands separators from 10^7) with 3 significant figures.
- A width is in em of the 8 pt font (`CHAR_EM`, from cmr8's metrics); a text cell also has
  its widest unbreakable word, and a copy with break points after `_` and `/` for a wrapped
  column.
"""

import functools
import math
import re
import sys
from fractions import Fraction
from typing import Any, NamedTuple

from qlaci_cost.core.numbers import (
    MAX_DIGITS,
    count_text,
    quantity_text,
    sci_text,
    size_text,
)

__all__ = [
    "CHAR_EM",
    "LONG_INTEGER",
    "Cell",
    "latex_cell",
    "latex_text",
    "number_cell",
    "table_cell",
    "text_em",
]

# Character widths of cmr8 in units of its 8 pt design size (from `tftopl cmr8.tfm`).
CHAR_EM: dict[str, float] = {
    **dict.fromkeys("0123456789", 0.531),
    **dict(
        zip(
            "abcdefghijklmnopqrstuvwxyz",
            (0.531, 0.590, 0.472, 0.590, 0.472, 0.325, 0.531, 0.590, 0.295, 0.325, 0.561)
            + (0.295, 0.885, 0.590, 0.531, 0.590, 0.561, 0.414, 0.419, 0.413, 0.590, 0.561)
            + (0.767, 0.561, 0.561, 0.472),
        )
    ),
    **dict(
        zip(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            (0.796, 0.752, 0.767, 0.811, 0.723, 0.693, 0.834, 0.796, 0.383, 0.545, 0.825)
            + (0.664, 0.973, 0.796, 0.826, 0.723, 0.826, 0.782, 0.590, 0.767, 0.796, 0.796)
            + (1.091, 0.796, 0.796, 0.649),
        )
    ),
    **dict.fromkeys(" -", 0.354),
    **dict.fromkeys(".,:;!'`[]", 0.295),
    **dict.fromkeys("()", 0.413),
    **dict.fromkeys("#%", 0.885),
    **dict.fromkeys("&+=<>@", 0.826),
    **dict.fromkeys("\"*/^_{}~\\$", 0.531),
    "?": 0.502,
    "|": 0.295,
}
#: Math widths, in the same unit: `\times` with its spaces, a superscript digit (6 pt).
#: A superscript also adds \scriptspace (0.5 pt).
_TIMES_EM, _SUP_EM, _MINUS_EM, _SCRIPT_EM = 1.30, 0.46, 0.83, 0.07

_ESCAPES = {
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
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
#: Characters outside ASCII the notes use; any other prints as [U+XXXX].
_UNICODE = {
    "×": r"$\times$",
    "≤": r"$\leq$",
    "≥": r"$\geq$",
    "±": r"$\pm$",
    "·": r"$\cdot$",
    "≈": r"$\approx$",
    "→": r"$\to$",
    "∞": r"$\infty$",
    "√": r"$\surd$",
    "Σ": r"$\Sigma$",
    "ε": r"$\varepsilon$",
    "δ": r"$\delta$",
    "θ": r"$\theta$",
    "φ": r"$\phi$",
    "μ": r"$\mu$",
    "ρ": r"$\rho$",
    "²": r"$^{2}$",
    "†": r"\dag{}",
    "–": "--",
    "—": "---",
    "…": r"\ldots{}",
    "‘": "`",
    "’": "'",
    "“": "``",
    "”": "''",
}
# Numbers inside text: e-notation, powers, superscripts, long integers, comparisons.
_IN_TEXT = re.compile(
    r"(?P<sci>(?<![\w.])\d+(?:\.\d+)?e[+-]?\d+(?![\w.]))"
    r"|(?P<pow>(?<![\w.])\d+\^\d+(?![\w.]))"
    r"|(?P<sup>\^-?\d+(?:\.\d+)?(?![\w.]))"
    r"|(?P<long>(?<![\d.,])(?:\d{1,3}(?:,\d{3}){2,}|\d{"
    + str(MAX_DIGITS + 1)
    + r",})(?![\d.]|,\d))"
    r"|(?P<cmp><=|>=)"
)
#: A string that is a number: `-1,234.5`, `1.65e+06`, `2^40`.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[+-]?\d+)?|\d+\^\d+")
#: An integer of more than `MAX_DIGITS` digits (a comment shows it with 3 significant figures).
LONG_INTEGER = re.compile(r"(?<![\d.])\d{" + str(MAX_DIGITS + 1) + r",}(?![\d.])")
# Where a wrapped (`p`) column may break a word: after these (spaces and hyphens break anyway).
_SOFT = frozenset("_/")


class Cell(NamedTuple):
    """One cell: its LaTeX, the same with break points for a `p` column, its width and its
    widest unbreakable word (in cmr8 em), and whether it is a number."""

    tex: str
    wrap_tex: str
    em: float
    word_em: float
    numeric: bool


def text_em(text: str) -> float:
    return sum(CHAR_EM.get(c, 1.0) for c in text)


def _math_number(text: str) -> tuple[str, float]:
    """A number as `core.numbers` writes it (`-12,345`, `1.07e30`, `2^40`) in math mode."""
    if "^" in text:
        base, exponent = text.split("^")
        return f"${base}^{{{exponent}}}$", text_em(base) + _SUP_EM * len(exponent) + _SCRIPT_EM
    mantissa, _, exponent = text.partition("e")
    tex = mantissa.replace(",", "{,}")
    em = text_em(mantissa.lstrip("-")) + (_MINUS_EM if mantissa.startswith("-") else 0)
    if exponent:
        exponent = str(int(exponent))
        tex += rf"\times10^{{{exponent}}}"
        em += _TIMES_EM + 2 * 0.531 + _SUP_EM * len(exponent) + _SCRIPT_EM
        em += 0.4 * exponent.startswith("-")
    return f"${tex}$", em


def _sci_in_text(text: str) -> str:
    """`1e+04` stays 1e4, `3.882e+23` is rounded to 3 significant figures: 3.88e23."""
    mantissa, exponent = text.split("e")
    if len(mantissa.replace(".", "").lstrip("0")) > 3:
        return sci_text(Fraction(text))
    return f"{mantissa}e{int(exponent)}"


def _number_text(column: str, text: str) -> str:
    """A string that is a number (`_NUMBER`) as `core.numbers` writes it: an integer as a
    count (a size in column N), a real with more than 3 significant digits rounded to 3, a
    real with fewer as written (`1.00`, `0.001`, `1e+04`)."""
    plain = text.replace(",", "")
    if "^" in text:
        return text
    if "." not in plain and "e" not in plain:
        return (size_text if column == "N" else count_text)(int(plain))
    mantissa = plain.split("e")[0].lstrip("+-").replace(".", "").lstrip("0")
    return quantity_text(Fraction(plain)) if len(mantissa) > 3 else plain


def _in_text(match: re.Match) -> tuple[str, float]:
    """LaTeX and width of one `_IN_TEXT` match."""
    kind, text = match.lastgroup, match.group()
    if kind == "sci":
        return _math_number(_sci_in_text(text))
    if kind == "pow":
        return _math_number(text)
    if kind == "sup":
        return f"$^{{{text[1:]}}}$", _SUP_EM * (len(text) - 1) + _SCRIPT_EM
    if kind == "cmp":
        return (r"$\leq$" if text == "<=" else r"$\geq$"), 0.826
    digits = text.replace(",", "")
    if len(digits) > MAX_DIGITS or ("," in text and count_text(int(digits)) != text):
        return _math_number(count_text(int(digits)))
    return text, text_em(text)


def _char(text: str, i: int) -> tuple[str, float]:
    """LaTeX and width of the character `text[i]` in running text."""
    c = text[i]
    if c in _ESCAPES:
        return _ESCAPES[c], CHAR_EM[c]
    if c == "-" and text[i + 1 : i + 2] == "-":
        return "-{}", CHAR_EM[c]  # no en-dash ligature: `--` prints as two hyphens
    if c.isascii():
        return c, CHAR_EM.get(c, 1.0)
    return _UNICODE.get(c, f"[U+{ord(c):04X}]"), 1.0 if c in _UNICODE else 4.0


def latex_text(text: str) -> str:
    """Plain `text` as LaTeX running text: specials escaped, numbers as `latex_table` says."""
    return _text_cell(str(text)).tex


@functools.lru_cache(maxsize=4096)
def _text_cell(text: str) -> Cell:
    """A text cell: escaped, with its break points, width and widest word (kept per text: a
    table repeats its model names, units and notes row after row)."""
    text = " ".join(text.split())
    tex, wrap, em, word, widest = [], [], 0.0, 0.0, 0.0
    i = 0
    while i < len(text):
        match = _IN_TEXT.match(text, i)
        if match:
            piece, width, last = *_in_text(match), ""
            i = match.end()
        else:
            piece, width = _char(text, i)
            last, i = text[i], i + 1
        tex.append(piece)
        wrap.append(piece + (r"\allowbreak{}" if last in _SOFT else ""))
        em += width
        word = 0.0 if last == " " else word + width
        widest = max(widest, word)
        if last in _SOFT or last == "-":
            word = 0.0  # a line may break after it
    if text[:1] in ("[", "*"):  # not an argument of the row end `\\` before it
        tex.insert(0, "{}")
        wrap.insert(0, "{}")
    return Cell("".join(tex), "".join(wrap), em, widest, False)


@functools.lru_cache(maxsize=4096)
def number_cell(text: str) -> Cell:
    """A number as `core.numbers` writes it, in math mode (kept per text)."""
    tex, em = _math_number(text)
    return Cell(tex, tex, em, em, True)


def _plain(value: Any) -> Any:
    """A value as int, Fraction, float, bool or str (numpy scalars and sympy numbers too);
    a sympy expression with symbols stays as it is."""
    sympy = sys.modules.get("sympy")
    if sympy is not None and isinstance(value, sympy.Basic):
        if value.is_Integer:
            return int(value)
        if value.is_Rational:
            return Fraction(int(value.p), int(value.q))
        return float(value) if value.is_number else value
    if hasattr(value, "item") and not isinstance(value, (str, int, float)):
        return value.item()  # numpy scalars
    return value


def table_cell(column: str, value: Any) -> Cell:
    """A table value as a cell of column `column`."""
    value = _plain(value)
    if value is None or value == "":
        return Cell("", "", 0.0, 0.0, False)
    if isinstance(value, bool):
        return _text_cell("yes" if value else "no")
    if isinstance(value, int):
        return number_cell(size_text(value) if column == "N" else count_text(value))
    if isinstance(value, float) and not math.isfinite(value):
        tex = "nan" if math.isnan(value) else ("$-\\infty$" if value < 0 else "$\\infty$")
        return Cell(tex, tex, 1.6, 1.6, True)
    if isinstance(value, (float, Fraction)):
        return number_cell(quantity_text(value))
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        return number_cell(_number_text(column, value.strip()))
    if isinstance(value, str):
        return _text_cell(value)
    from qlaci_cost.output.tables import tidy_latex  # a sympy expression with symbols

    tex = tidy_latex(value)
    return Cell(tex, tex, 0.45 * len(tex), 0.45 * len(tex), False)


def latex_cell(column: str, value: Any) -> str:
    """One table value as LaTeX, as `latex_table` prints it in column `column`."""
    return table_cell(column, value).tex
