"""Formulas that render: code spans in Markdown, LaTeX that compiles, maxima simplified for
display only (the values stay the same)."""

import shutil
import subprocess

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from qlaci_cost.output.tables import LATEX_INLINE, Log2, display_expr, render, tidy, with_log2

N = sympy.Symbol("N", positive=True, integer=True)
b = sympy.Symbol("b", positive=True, integer=True)
X = sympy.Symbol("x")  # no assumptions: nothing provable


@pytest.fixture(scope="module")
def qram_symbolic():
    from qlaci_cost.qram import MODELS
    from qlaci_cost.qram.table import COLUMNS, qram_rows

    return qram_rows(MODELS, [16], None, symbolic=True).rows, COLUMNS


@pytest.fixture(scope="module")
def qlaci_symbolic():
    from qlaci_cost.qlaci.table import COLUMNS, qlaci_rows

    return qlaci_rows(["bucket-brigade", "fanout", "select-swap", "ideal"], [16],
                      symbolic=True).rows, COLUMNS  # fmt: skip


def test_display_expr_simplifies_nested_maxima():
    five_n = sympy.Max(0, sympy.Max(0, 5 * N, evaluate=False), evaluate=False)
    assert str(five_n) == "Max(0, Max(0, 5*N))"
    assert display_expr(five_n) == 5 * N
    log_n = sympy.log(N) / sympy.log(2)
    expr = sympy.Max(0, N + 2 * log_n + 1, evaluate=False) + 8
    assert tidy(expr) == "N + 2*log2(N) + 9"
    # nothing provable: kept (x may be negative)
    assert display_expr(sympy.Max(0, X, evaluate=False)) == sympy.Max(0, X)
    assert tidy(sympy.Max(4, N, evaluate=False)) == "Max(4, N)"


@pytest.fixture(scope="module")
def both_forms(qlaci_symbolic, qram_symbolic):
    """(the table's expressions, their display forms), compiled to exact functions of (N, b)."""
    from qlaci_cost.qram.table import compile_exact

    exprs = [v for rows, _ in (qlaci_symbolic, qram_symbolic) for row in rows
             for v in row.values() if isinstance(v, sympy.Basic) and v.free_symbols]  # fmt: skip
    shown = [
        display_expr(with_log2(e)).replace(
            lambda x: isinstance(x, Log2), lambda x: sympy.log(x.args[0]) / sympy.log(2)
        )
        for e in exprs
    ]
    assert any(str(a) != str(b) for a, b in zip(exprs, shown))  # something was simplified
    return compile_exact(exprs), compile_exact(shown)


@settings(max_examples=20, deadline=None)
@given(k=st.integers(min_value=1, max_value=200), bits=st.sampled_from([1, 2, 3, 4, 8]))
def test_display_leaves_every_value_unchanged(both_forms, k, bits):
    original, shown = both_forms
    assert original(2**k, bits) == shown(2**k, bits)


def test_qlaci_symbolic_has_no_max_of_zero_and_a_positive_term(qlaci_symbolic):
    rows, columns = qlaci_symbolic
    text = render(rows, columns, "md")
    assert "Max(0, Max(0, 5*N))" not in text and "`5*N + log2(N) + 11`" in text


def test_markdown_expressions_are_code_spans_and_render_without_emphasis(qram_symbolic):
    markdown = pytest.importorskip("markdown")
    rows, columns = qram_symbolic
    text = render(rows, columns, "md")
    assert "| `N*b + 2*N - 4` |" in text
    html = markdown.markdown(text, extensions=["tables"])
    assert "<em>" not in html and "<code>N*b + 2*N - 4</code>" in html


def _document(tabular: str) -> str:
    return "\n".join([r"\documentclass{article}", r"\usepackage[margin=1cm,landscape]{geometry}",
                      r"\begin{document}", r"\tiny", tabular, r"\end{document}", ""])  # fmt: skip


def _structure_ok(tex: str) -> None:
    body = "\n".join(line for line in tex.splitlines() if not line.startswith("%"))
    assert body.count("{") == body.count("}")
    assert body.count(r"\left") == body.count(r"\right")
    assert body.count(r"\[") == body.count(r"\]")
    assert body.count("$") % 2 == 0


@pytest.mark.parametrize("which", ["qram_symbolic", "qlaci_symbolic"])
def test_latex_compiles_with_long_expressions_as_display_math(which, request, tmp_path):
    rows, columns = request.getfixturevalue(which)
    tex = render(rows, columns, "latex", ["a note"], None)
    cells = [line for line in tex.splitlines() if line.endswith(r"\\")]
    for line in cells:
        for cell in line[:-2].split(" & "):
            assert len(cell) <= LATEX_INLINE or not cell.startswith("$"), cell
    assert r"\[" in tex  # the long ones went below the table
    _structure_ok(tex)
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex not installed: structural check only")
    (tmp_path / "t.tex").write_text(_document(tex))
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "t.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:]
    assert (tmp_path / "t.pdf").stat().st_size > 0
