"""The report's LaTeX tables: booktabs, escaped, numbers to 3 significant figures, a caption and
a label, and they compile without an overfull line.

The fast tests read the writer's text (no TeX). The tests marked `latex` generate the report's
tables (a small grid up to N = 2^40, so 30-digit counts are exercised) and a synthetic table
(specials, a 200-digit integer, 26 columns, 150 rows), wrap each in the smallest document
(`LATEX_PREAMBLE`), compile it with pdflatex and read the log: `.ci/run` installs TeX
(texlive-latex-base, texlive-latex-recommended) when it is missing and runs them with
`python -m pytest -m latex tests/output/test_latex_tables.py`.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sympy

from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.output.latex import (
    LATEX_PACKAGES,
    LATEX_PREAMBLE,
    latex_cell,
    latex_table,
    latex_text,
)
from qlaci_cost.output.report import planned_files, write_report

SPECIALS = r"a_b 50% R&D #1 $5 x^y ~z C:\dir {set} <= >= <k> |l| --opt"
#: The same, as LaTeX: written out by hand from the escaping rules.
SPECIALS_TEX = (
    r"a\_b 50\% R\&D \#1 \$5 x\textasciicircum{}y \textasciitilde{}z C:\textbackslash{}dir "
    r"\{set\} $\leq$ $\geq$ \textless{}k\textgreater{} \textbar{}l\textbar{} -{}-opt"
)
#: 46 digits: 1.23e45 to 3 significant figures.
HUGE = 1234567890123456789012345678901234567890123456
#: A run of digits longer than a person reads (CSV and JSON keep such integers exact).
LONG_DIGITS = re.compile(r"\d{17,}")


def _bodies(tex: str) -> list[str]:
    return re.findall(r"\\begin\{longtable\}.*?\\end\{longtable\}", tex, flags=re.S)


def _synthetic(columns: int = 4, rows: int = 3) -> tuple[list[dict], list[str]]:
    names = ["model", "N", "note_text"] + [f"count_{i}" for i in range(columns - 3)]
    table = [
        {"model": f"m_{r}", "N": 2**40, "note_text": SPECIALS, **{n: HUGE for n in names[3:]}}
        for r in range(rows)
    ]
    return table, names


# --- fast: the text the writer produces ------------------------------------------------------


def test_booktabs_caption_label_and_right_aligned_numbers():
    rows, columns = _synthetic()
    tex = latex_table(rows, columns, "demo_table", "one demo per model", ["a note"])
    (body,) = _bodies(tex)
    assert body.startswith(r"\begin{longtable}{@{}l")
    spec = re.match(r"\\begin\{longtable\}\{@\{\}(.*)@\{\}\}", body).group(1)
    assert spec.endswith("r") and spec.count("r") == 2  # N and count_0; text is left-aligned
    # the first page's header and the repeated one, each ruled; one bottom rule per page
    assert body.count(r"\toprule") == 2 and body.count(r"\midrule") == 2
    assert body.count(r"\bottomrule") == 1
    assert r"\caption{One demo per model. Exact values in demo\_table.csv.}" in body
    assert r"\label{tab:demo_table}" in body
    assert r"\hline" not in tex
    lines = tex.splitlines()
    assert lines[0].startswith("% demo_table.tex: one demo per model")
    assert all(p in lines[1] for p in LATEX_PACKAGES)
    assert "% Note: a note" in lines


def test_specials_are_escaped_in_text_cells_and_headers():
    assert latex_text(SPECIALS) == SPECIALS_TEX
    rows, columns = _synthetic()
    tex = latex_table(rows, columns, "demo", "specials")
    (body,) = _bodies(tex)
    assert SPECIALS_TEX in body.replace(r"\allowbreak{}", "")
    assert "note\\_text" in body and "m\\_0" in body
    assert latex_text("x² ≤ y † Σ ℵ") == r"x$^{2}$ $\leq$ y \dag{} $\Sigma$ [U+2135]"
    # a cell after a row's end `\\` must not read as its optional argument
    assert latex_text("[1, 10]") == "{}[1, 10]" and latex_text("*x") == "{}*x"


@pytest.mark.parametrize(
    "column, value, expected",
    [
        ("toffoli", HUGE, r"$1.23\times10^{45}$"),
        ("toffoli", 73_778, r"$7.38\times10^{4}$"),  # 5 significant digits: 3, as in Markdown
        ("toffoli", 34_650, r"$34{,}650$"),  # 4 significant digits: exact, as in Markdown
        ("toffoli", 9_999_999, r"$1.00\times10^{7}$"),
        ("toffoli", 10**7, r"$1.00\times10^{7}$"),
        ("toffoli", sympy.Integer(2**100), r"$1.27\times10^{30}$"),
        ("N", 2**40, r"$2^{40}$"),
        ("N", 1000, r"$1{,}000$"),
        ("ratio", 0.033912, r"$0.0339$"),
        ("runtime_s", 1.7816e24, r"$1.78\times10^{24}$"),
        ("margin", -2.5e-7, r"$-2.50\times10^{-7}$"),
        ("ratio", "3.882e+23", r"$3.88\times10^{23}$"),  # a string that is a number
        ("range", "1e+04", r"$1\times10^{4}$"),  # 1 significant digit, kept as written
        ("slope", "1.00", r"$1.00$"),
        ("N", "2^40", r"$2^{40}$"),
        ("valid", True, "yes"),
        ("valid", None, ""),
        ("slope", "n/a", "n/a"),
    ],
)
def test_cells_follow_the_markdown_numbers(column, value, expected):
    assert latex_cell(column, value) == expected


def test_numbers_inside_text():
    text = "qubits: O(N), 5,497,558,138,931 at N=2^40; 2,107 runs; id 123456789012345678901"
    assert latex_text(text) == (
        r"qubits: O(N), $5.50\times10^{12}$ at N=$2^{40}$; 2,107 runs; id $1.23\times10^{20}$"
    )
    assert latex_text("eps (log2 N)^2, 3.882e+23") == r"eps (log2 N)$^{2}$, $3.88\times10^{23}$"
    assert latex_text("O(N^0.5), N^-1") == r"O(N$^{0.5}$), N$^{-1}$"


def test_no_integer_a_person_cannot_read_anywhere_in_the_file():
    rows, columns = _synthetic(columns=6)
    rows[0]["note_text"] = f"{2**200} at N=2^40"
    tex = latex_table(rows, columns, "demo", "long numbers", [f"the total is {2**175}"])
    assert not LONG_DIGITS.search(tex), LONG_DIGITS.search(tex)
    assert r"$1.61\times10^{60}$" in tex  # 2^200 in the text cell
    assert "% Note: the total is 4.79e52" in tex  # 2^175 in the note


def test_a_wide_table_splits_into_parts_that_repeat_the_keys():
    rows, columns = _synthetic(columns=26, rows=5)
    tex = latex_table(rows, columns, "wide", "a wide table")
    bodies = _bodies(tex)
    assert len(bodies) > 1
    for i, body in enumerate(bodies):
        head = body.split(r"\midrule")[0]
        assert "model" in head and " N " in head  # the keys lead every part
        assert f"(part {i + 1} of {len(bodies)})" in body
        assert (r"\label{tab:wide}" if i == 0 else rf"\label{{tab:wide-{i + 1}}}") in body
    assert tex.count(r"\addtocounter{table}{-1}") == len(bodies) - 1  # one table number
    shown = {c for body in bodies for c in columns if c.replace("_", r"\_") in body}
    assert shown == set(columns)


def test_an_empty_table_still_has_its_header_and_rules():
    tex = latex_table([], ["model", "N"], "empty", "nothing")
    (body,) = _bodies(tex)
    assert "model & N" in body and r"\bottomrule" in body


# --- marked latex: compiled by pdflatex ---------------------------------------------------------


def _compile(folder: Path, stems: list[str], name: str, extra: str = "") -> str:
    """pdflatex (twice: longtable settles its widths) on a document inputting `stems`;
    returns the log of the second run."""
    if shutil.which("pdflatex") is None:
        pytest.fail(
            "pdflatex not found: apt-get install texlive-latex-base texlive-latex-recommended"
        )
    body = "".join(rf"\input{{{s}.tex}}" + "\n" for s in stems)
    (folder / f"{name}.tex").write_text(
        LATEX_PREAMBLE + "\\begin{document}\n" + extra + body + "\\end{document}\n"
    )
    for _ in range(2):
        run = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"],
            cwd=folder, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert run.returncode == 0, run.stdout[-3000:]
    return (folder / f"{name}.log").read_text(errors="replace")


def _pages(log: str) -> int:
    return int(re.search(r"Output written on .* \((\d+) pages?", log).group(1))


REPORT_TEX = sorted(n[: -len(".tex")] for n in planned_files(("svg",)) if n.endswith(".tex"))


@pytest.fixture(scope="module")
def report_folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("latex") / "report"
    models = ["bucket-brigade", "bucket-brigade-parallel", "ideal"]
    write_report(out, [2**4, 2**10, 2**40], models, Scenario(), ("svg",), progress=None)
    return out


@pytest.mark.latex
@pytest.mark.parametrize("stem", REPORT_TEX)
def test_each_report_table_compiles_without_overfull_lines(report_folder, stem):
    tex = (report_folder / f"{stem}.tex").read_text()
    assert not LONG_DIGITS.search(tex), LONG_DIGITS.search(tex)
    assert r"\toprule" in tex and rf"\label{{tab:{stem}}}" in tex
    log = _compile(report_folder, [stem], f"doc_{stem}")
    assert "Overfull \\hbox" not in log, re.findall(r"Overfull \\hbox.*", log)
    assert "Missing character" not in log
    assert _pages(log) >= 1


@pytest.mark.latex
def test_all_report_tables_in_one_document_with_references(report_folder):
    refs = "".join(rf"Table~\ref{{tab:{s}}}. " for s in REPORT_TEX)
    log = _compile(report_folder, REPORT_TEX, "all_tables", refs + "\n\n")
    assert "Overfull \\hbox" not in log
    assert "undefined" not in log and "multiply defined" not in log


@pytest.mark.latex
def test_a_long_wide_table_with_specials_breaks_across_pages(tmp_path):
    rows, columns = _synthetic(columns=26, rows=150)
    rows[0]["note_text"] = f"{SPECIALS} x² ≤ y † Σ ℵ {2**664}"  # 200 digits
    rows[1]["note_text"] = sympy.sympify("n*log(n)/log(2) + 3")
    rows[2]["model"], rows[3]["model"] = "[1, 10]: a range", "*starred"  # after `\\`
    (tmp_path / "synthetic.tex").write_text(latex_table(rows, columns, "synthetic", "100% & #1"))
    log = _compile(tmp_path, ["synthetic"], "doc")
    assert "Overfull \\hbox" not in log and "Missing character" not in log
    assert _pages(log) > 3  # 150 rows in parts: the table broke across pages
