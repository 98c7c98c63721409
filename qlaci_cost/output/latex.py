"""The report's tables in LaTeX, fit to publish: booktabs rules, a caption and a label, numbers
to 3 significant figures (exact values stay in the table's CSV and JSON), sized for the page.

What a `.tex` table needs to compile: the packages `LATEX_PACKAGES` (booktabs, longtable,
array, pdflscape) and a text block of at least `TEXT_WIDTH_PT` x `TEXT_HEIGHT_PT` (345 x 550
pt, the article class's at 10 pt on letter paper; A4's is taller); `LATEX_PREAMBLE` is the
smallest document preamble that compiles every table (then `\\input{<stem>.tex}`). Each file
says so in its first comment lines, before the conventions and notes.

- Cells (`latex_cells`) follow `core.numbers`, the rules of the Markdown tables: sizes as
  $2^{40}$, counts exact below 10^7, else $1.07\\times10^{30}$, reals with 3 significant
  figures; text escaped, with no integer of more than `MAX_DIGITS` digits.
- Numbers are right-aligned, text left-aligned; a long text column wraps (a ragged-right `p`
  column); headers wrap after their underscores.
- Type is 8 pt with 4 pt between columns (`\\fontsize`: the same in any document class).
- A table too wide for the page is split into parts of whole columns, each a `longtable`
  that repeats the first column and N (and a row number when those do not tell the rows
  apart) under the same table number, on portrait or landscape pages: `_plan` takes the
  layout of fewest estimated pages. Every part breaks across pages, its header repeated.

Widths are estimated from Computer Modern's 8 pt metrics (cmr8, `latex_cells.CHAR_EM`), with a
3 % margin; a test compiles every table of a report and finds no overfull line.
"""

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from qlaci_cost.core.numbers import sci_text
from qlaci_cost.output.latex_cells import (
    LONG_INTEGER,
    Cell,
    latex_cell,
    latex_text,
    number_cell,
    table_cell,
    text_em,
)

if TYPE_CHECKING:
    from qlaci_cost.core.conventions import Conventions

__all__ = [
    "LATEX_PACKAGES",
    "LATEX_PREAMBLE",
    "TEXT_HEIGHT_PT",
    "TEXT_WIDTH_PT",
    "latex_cell",
    "latex_table",
    "latex_text",
]

#: The packages every table needs: booktabs rules, longtable page breaks, array's `>{...}`,
#: pdflscape's landscape pages.
LATEX_PACKAGES: tuple[str, ...] = ("booktabs", "longtable", "array", "pdflscape")
#: The smallest preamble that compiles every table: `\input{<stem>.tex}` after it.
LATEX_PREAMBLE = "\\documentclass{article}\n" + "".join(
    f"\\usepackage{{{p}}}\n" for p in LATEX_PACKAGES
)
#: The text width and height every table fits (the article class's at 10 pt on letter
#: paper; A4's height is 598 pt): a table wider than the width is set on landscape pages.
TEXT_WIDTH_PT, TEXT_HEIGHT_PT = 345, 550
_FONT_PT, _LEADING_PT, _COLSEP_PT = 8, 9.5, 4
#: The widths are estimates: a table is planned 3 % narrower than the page allows.
_MARGIN = 0.97
#: A text column wider than `_NO_WRAP_PT` may wrap down to `_WRAP_FLOOR_PT` (or its longest
#: word, if wider); a narrower one never wraps.
_WRAP_FLOOR_PT, _NO_WRAP_PT = 60, 100


class _Column(NamedTuple):
    """A column of the table: name, cells (one per row), whether numbers (right-aligned),
    its natural width and the narrowest it may wrap to (pt, without the column gap)."""

    name: str
    cells: tuple[Cell, ...]
    numeric: bool
    natural: float
    floor: float


class _Part(NamedTuple):
    """Columns set together in one longtable, and their widths (pt)."""

    columns: tuple[_Column, ...]
    widths: tuple[float, ...]


def _header_words(name: str) -> list[str]:
    """The header's pieces: it may break after each underscore."""
    words = name.split("_")
    return [w + "_" for w in words[:-1]] + [words[-1]]


def _column(name: str, cells: Sequence[Cell], tight: bool = False) -> _Column:
    """A column: numbers (right-aligned) or text, its natural width and its floor: a text
    column wider than `_NO_WRAP_PT` (any, if `tight`) may wrap down to `_WRAP_FLOOR_PT` or
    its longest word."""
    texts = [c for c in cells if not c.numeric and c.tex]
    numeric = any(c.numeric for c in cells) and all(c.em <= 3 for c in texts)  # "n/a"
    header_word = max(text_em(w) for w in _header_words(name)) * _FONT_PT
    natural = max([header_word, *(c.em * _FONT_PT for c in cells)])
    floor = natural
    if not numeric and (tight or natural > _NO_WRAP_PT):
        words = [header_word, *(c.word_em * _FONT_PT for c in cells)]
        floor = min(natural, max([*words, _WRAP_FLOOR_PT]))
    return _Column(name, tuple(cells), numeric, natural, floor)


def _groups(
    columns: Sequence[_Column], keys: Sequence[int], room: float, alone: bool
) -> list[list[int]]:
    """Column indices of each part: the keys lead every part, the other columns fill parts in
    order while their narrowest widths fit `room` (pt, gaps included); with `alone`, a text
    column wider than the room (one that wraps wherever it is) takes a part of its own."""
    gap = 2 * _COLSEP_PT
    fixed = sum(columns[k].floor + gap for k in keys)
    groups: list[list[int]] = [[]]
    used = fixed
    for i, col in enumerate(columns):
        if i in keys:
            continue
        wide = alone and not col.numeric and col.natural > room
        if groups[-1] and (wide or used + col.floor > room):
            groups.append([])
            used = fixed
        groups[-1].append(i)
        used = room + gap if wide else used + col.floor + gap
    return [sorted([*keys, *g]) for g in groups if g] or [sorted(keys)]


def _widths(columns: Sequence[_Column], room: float) -> tuple[float, ...]:
    """Each column's width (pt) in `room`: natural where they fit, else every text column
    from its floor up by a share of the spare room proportional to what it lacks."""
    room -= 2 * _COLSEP_PT * (len(columns) - 1)
    natural = [c.natural for c in columns]
    floor = [c.floor for c in columns]
    lack = sum(natural) - sum(floor)
    if sum(natural) <= room or lack <= 0:
        return tuple(natural)
    spare = max(room - sum(floor), 0.0)
    return tuple(f + spare * (n - f) / lack for n, f in zip(natural, floor))


def _layout(columns: list[_Column], room: float, alone: bool) -> list[_Part]:
    """The parts of a table in `room` (pt; one part when it fits, `_groups`): each repeats
    the first column and N, and a row number leads every part when those do not tell the
    rows apart."""
    names = [c.name for c in columns]
    keys = [0] + ([names.index("N")] if "N" in names[1:] else [])
    groups = _groups(columns, keys, room, alone)
    rows = len(columns[0].cells)
    seen = {tuple(columns[k].cells[r].tex for k in keys) for r in range(rows)}
    if len(groups) > 1 and len(seen) < rows:
        numbers = tuple(number_cell(str(r + 1)) for r in range(rows))
        columns = [_column("#", numbers), *columns]
        groups = _groups(columns, [0, *(k + 1 for k in keys)], room, alone)
    parts = [tuple(columns[i] for i in g) for g in groups]
    return [_Part(p, _widths(p, room)) for p in parts]


def _height(part: _Part) -> float:
    """The part's estimated height (pt): its header and rows, a wrapped cell's lines from
    its width."""
    header = max(len(_header(c.name, w, "l").split(r"\\")) for c, w in zip(*part))
    height = 40 + header * _LEADING_PT  # caption and rules
    for r in range(len(part.columns[0].cells)):
        lines = [
            math.ceil(c.cells[r].em * _FONT_PT * 1.1 / w) if _wraps(c, w) else 1
            for c, w in zip(*part)
        ]
        height += max([1, *lines]) * _LEADING_PT
    return height


def _header(name: str, width_pt: float, align: str) -> str:
    """The column name, escaped, in lines no wider than the column (split after `_`)."""
    lines: list[str] = []
    for word in _header_words(name):
        if lines and text_em(lines[-1] + word) * _FONT_PT <= width_pt:
            lines[-1] += word
        else:
            lines.append(word)
    escaped = [latex_text(line) for line in lines]
    if len(escaped) == 1:
        return escaped[0]
    return rf"\begin{{tabular}}[b]{{@{{}}{align}@{{}}}}" + r"\\".join(escaped) + r"\end{tabular}"


def _wraps(col: _Column, width_pt: float) -> bool:
    """Whether a text column set `width_pt` wide wraps (it is narrower than its text)."""
    return not col.numeric and width_pt < col.natural - 0.01


def _spec(col: _Column, width_pt: float) -> tuple[str, bool]:
    """The column's preamble entry and whether it wraps."""
    if _wraps(col, width_pt):
        return rf">{{\raggedright\arraybackslash}}p{{{width_pt:.1f}pt}}", True
    return ("r" if col.numeric else "l"), False


def _longtable(part: _Part, name: str, stem: str, index: int) -> list[str]:
    """Part `index` (from 0) of a table: a longtable with booktabs rules, the caption `name`
    and where the exact values are, the label `tab:<stem>` (`tab:<stem>-2` for the second
    part...); the parts of a table share its number."""
    specs = [_spec(c, w) for c, w in zip(*part)]
    head = [_header(c.name, w, "r" if c.numeric else "l") for c, w in zip(*part)]
    head_rows = [r"\toprule", " & ".join(head) + r" \\", r"\midrule"]
    exact = latex_text(f"Exact values in {stem}.csv.")
    label = f"tab:{stem}" + (f"-{index + 1}" if index else "")
    lines = [r"\addtocounter{table}{-1}% the same table, its next part"] if index else []
    lines += [r"\begin{longtable}{@{}" + "".join(s for s, _ in specs) + "@{}}"]
    lines += [rf"\caption{{{name}. {exact}}}\label{{{label}}}\\", *head_rows, r"\endfirsthead"]
    lines += [rf"\caption[]{{{name} (continued).}}\\", *head_rows, r"\endhead"]
    lines += [r"\bottomrule", r"\endfoot"]
    for r in range(len(part.columns[0].cells)):
        cells = [
            c.cells[r].wrap_tex if wraps else c.cells[r].tex
            for c, (_, wraps) in zip(part.columns, specs)
        ]
        lines.append(" & ".join(cells) + r" \\")
    return lines + [r"\end{longtable}"]


def _caption(title: str) -> str:
    """The title as a caption: one line, its first letter a capital, no final full stop."""
    text = " ".join(str(title).split()).rstrip(".")
    return latex_text(text[:1].upper() + text[1:])


def _comments(stem: str, title: str, described: Iterable[str], notes: Iterable[str]) -> list[str]:
    """The file's first lines: what it is, what it needs to compile, where the exact values
    are, then the conventions and notes (long integers with 3 significant figures)."""
    lines = [
        f"{stem}.tex: {' '.join(str(title).split())}",
        f"Needs \\usepackage{{{','.join(LATEX_PACKAGES)}}} and a text width of at least "
        f"{TEXT_WIDTH_PT}pt, a text height of at least {TEXT_HEIGHT_PT}pt (the article class "
        f"at 10pt); then \\input{{{stem}.tex}}.",
        f"Numbers to 3 significant figures: the exact values are in {stem}.csv and {stem}.json.",
    ]
    lines += [" ".join(str(d).split()) for d in described]
    lines += [f"Note: {' '.join(str(n).split())}" for n in notes]
    return [f"% {LONG_INTEGER.sub(lambda m: sci_text(int(m.group())), x)}" for x in lines]


def _plan(cells: Sequence[tuple[str, list[Cell]]]) -> tuple[bool, list[_Part]]:
    """(landscape, parts): of the layouts on portrait and landscape pages, columns in order
    or a long text column in a part of its own, short text columns kept whole or not, the
    one of fewest estimated pages, counting each part after the first as a third of a page."""
    pages = ((False, TEXT_WIDTH_PT, TEXT_HEIGHT_PT), (True, TEXT_HEIGHT_PT, TEXT_WIDTH_PT))
    best: tuple[float, bool, list[_Part]] | None = None
    for (landscape, room, page), alone, tight in itertools.product(pages, *[(False, True)] * 2):
        table = [_column(name, column, tight) for name, column in cells]
        parts = _layout(table, room * _MARGIN, alone)
        cost = sum(_height(p) for p in parts) / page + (len(parts) - 1) / 3
        if best is None or cost < best[0] - 1e-9:
            best = (cost, landscape, parts)
    assert best is not None
    return best[1], best[2]


def latex_table(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    stem: str,
    title: str,
    notes: Iterable[str] = (),
    conventions: "Conventions | None" = None,
) -> str:
    """A report table as a LaTeX file's text: comment lines (what it needs, conventions,
    notes), then the table in one or more `longtable` parts, ending with a newline.

    A table wider than the text width is split into parts, on portrait or landscape pages,
    whichever takes fewer pages (`_plan`).

    Args:
        rows: Mappings with (at least) the keys `columns`; a missing key prints empty.
        columns: The columns, in order.
        stem: The file's name without `.tex`; the label is `tab:<stem>`.
        title: The caption (its first letter capitalised).
        notes: Notes written as `% Note:` comment lines.
        conventions: Written first as a comment (`describe()`).
    """
    rows = list(rows)
    cells = [(c, [table_cell(c, row.get(c)) for row in rows]) for c in columns]
    landscape, parts = _plan(cells) if cells else (False, [])
    described = [conventions.describe()] if conventions is not None else []
    lines = _comments(stem, title, described, notes)
    lines += [r"\begingroup", rf"\fontsize{{{_FONT_PT}}}{{{_LEADING_PT}}}\selectfont"]
    lines += [rf"\setlength{{\tabcolsep}}{{{_COLSEP_PT}pt}}"]
    lines += [r"\begin{landscape}"] if landscape else []
    for i, part in enumerate(parts):
        more = f" (part {i + 1} of {len(parts)})" if len(parts) > 1 else ""
        lines += _longtable(part, _caption(title) + more, stem, i)
    lines += [r"\end{landscape}"] if landscape else []
    return "\n".join([*lines, r"\endgroup"]) + "\n"
