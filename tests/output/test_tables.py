"""Table rendering: every format parses back, carries the conventions and notes, stays exact."""

import csv
import io
import json

import pytest
import sympy

from qlaci_cost.core.conventions import Conventions
from qlaci_cost.output.tables import FORMATS, csv_notes, render, tidy, tidy_latex

N, b = sympy.symbols("N b", positive=True, integer=True)
BIG = 2**200
COLUMNS = ["model", "N", "toffoli", "t_count"]
ROWS = [
    {"model": "m_one", "N": 16, "toffoli": 4, "t_count": 16},
    {"model": "m_two", "N": BIG, "toffoli": BIG - 4, "t_count": 4 * BIG - 16},
]
NOTES = ["N=1000 padded to the next power of two, N=1024", "a note, with a comma | and a bar"]
CONV = Conventions()


def _data_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith("#")]


def test_csv_parses_back_exactly():
    text = render(ROWS, COLUMNS, "csv", NOTES, CONV)
    # plain CSV, the header first: the conventions and notes are csv_notes (stderr in the CLI)
    assert text.startswith(",".join(COLUMNS) + "\n")
    assert not any(line.startswith("#") for line in text.splitlines())
    comments = csv_notes(NOTES, CONV).splitlines()
    assert comments[0] == "# " + CONV.describe()
    assert comments[1:] == [f"# Note: {n}" for n in NOTES]
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert list(parsed[0]) == COLUMNS
    assert int(parsed[1]["N"]) == BIG
    assert int(parsed[1]["t_count"]) == 4 * BIG - 16
    assert parsed[0] == {"model": "m_one", "N": "16", "toffoli": "4", "t_count": "16"}


def test_csv_reads_with_pandas_defaults():
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(io.StringIO(render(ROWS[:1], COLUMNS, "csv", NOTES, CONV)))
    assert list(frame.columns) == COLUMNS
    assert frame.iloc[0].to_dict() == {"model": "m_one", "N": 16, "toffoli": 4, "t_count": 16}


def test_json_parses_back_with_exact_ints():
    doc = json.loads(render(ROWS, COLUMNS, "json", NOTES, CONV))
    assert set(doc) == {"number_format", "conventions", "notes", "columns", "rows"}
    assert "2^53" in doc["number_format"]
    assert doc["columns"] == COLUMNS
    assert doc["notes"] == NOTES
    assert doc["conventions"]["description"] == CONV.describe()
    assert doc["conventions"]["t_per_toffoli"] == 4
    # beyond 2^53: strings of the exact digits (a float-only JSON reader keeps them exact)
    assert doc["rows"][1]["N"] == str(BIG)
    assert doc["rows"][1]["t_count"] == str(4 * BIG - 16)
    assert doc["rows"][0] == ROWS[0]


def test_json_integers_switch_to_strings_above_2_53():
    rows = [
        {"model": "m", "N": n, "toffoli": -n, "t_count": sympy.Integer(n)}
        for n in (2**53, 2**53 + 1)
    ]
    doc = json.loads(render(rows, COLUMNS, "json", [], CONV))
    assert doc["rows"][0] == {"model": "m", "N": 2**53, "toffoli": -(2**53), "t_count": 2**53}
    big = str(2**53 + 1)
    assert doc["rows"][1] == {"model": "m", "N": big, "toffoli": "-" + big, "t_count": big}


def test_json_expressions_are_strings_with_log2():
    rows = [
        {
            "model": "m",
            "N": N,
            "toffoli": sympy.log(N, 2),
            "t_count": 4 * sympy.log(N) / sympy.log(2) + b,
        }
    ]
    doc = json.loads(render(rows, COLUMNS, "json", [], CONV))
    row = doc["rows"][0]
    assert row["N"] == "N"
    assert row["toffoli"] == "log2(N)"
    assert row["t_count"] in ("b + 4*log2(N)", "4*log2(N) + b")
    # the string is a valid expression again, equal to the original
    log2 = sympy.Function("log2")
    back = sympy.sympify(row["t_count"], locals={"log2": log2, "N": N, "b": b})
    assert sympy.simplify(back.subs(log2(N), sympy.log(N, 2)) - (4 * sympy.log(N, 2) + b)) == 0


def test_markdown_table_then_conventions_and_notes():
    text = render(ROWS, COLUMNS, "md", NOTES, CONV)
    lines = text.splitlines()
    assert lines[0] == "| model | N | toffoli | t_count |"
    assert set(lines[1].replace("|", "")) == {"-"}
    assert lines[2] == "| m_one | 16 | 4 | 16 |"
    assert lines[3].split(" | ")[1] == str(BIG)
    assert CONV.describe() in lines
    assert "- N=1000 padded to the next power of two, N=1024" in lines
    # a '|' inside a cell or note is escaped in cells; notes are plain text after the table
    rows = [{"model": "a|b", "N": 1, "toffoli": 0, "t_count": 0}]
    assert r"| a\|b | 1 | 0 | 0 |" in render(rows, COLUMNS, "md", [], CONV)


def test_latex_tabular_with_comment_header():
    text = render(ROWS, COLUMNS, "latex", NOTES, CONV)
    lines = text.splitlines()
    assert lines[0] == "% " + CONV.describe()
    assert "% Note: N=1000 padded to the next power of two, N=1024" in lines
    assert r"\begin{tabular}{lrrr}" in lines
    assert lines[-1] == r"\end{tabular}"
    assert r"model & N & toffoli & t\_count \\" in lines
    assert r"m\_one & 16 & 4 & 16 \\" in lines
    assert f"m\\_two & {BIG} & {BIG - 4} & {4 * BIG - 16} \\\\" in lines
    # every line before the tabular is a comment: the conventions cannot break compilation
    body = lines.index(r"\begin{tabular}{lrrr}")
    assert all(line.startswith("%") for line in lines[:body])


def test_latex_expressions_in_math_mode():
    assert tidy_latex(4 * sympy.log(N, 2)) == r"$4 \log_2 N$"
    assert tidy_latex(sympy.Integer(7)) == "7"
    assert tidy_latex("t_count 50%") == r"t\_count 50\%"


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_has_conventions_and_notes(fmt):
    text = render(ROWS, COLUMNS, fmt, NOTES, CONV)
    assert text.endswith("\n")
    if fmt == "csv":  # plain CSV: its conventions and notes travel beside it
        text = csv_notes(NOTES, CONV)
    assert CONV.describe() in text
    for note in NOTES:
        assert note in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_rows(fmt):
    text = render([], COLUMNS, fmt, [], CONV)
    assert "t_count" in text or r"t\_count" in text


def test_multiline_notes_are_kept_on_one_line():
    text = csv_notes(["first\nsecond"], CONV)
    assert "# Note: first second" in text.splitlines()


def test_unknown_format():
    with pytest.raises(ValueError, match="'xml' is not allowed: choose from csv, md, latex, json"):
        render(ROWS, COLUMNS, "xml", [], CONV)


def test_tidy():
    assert tidy(None) == ""
    assert tidy(BIG) == str(BIG)
    assert tidy(sympy.Integer(BIG)) == str(BIG)
    assert tidy(sympy.log(N) / sympy.log(2)) == "log2(N)"
    assert tidy(sympy.ceiling(sympy.log(b, 2))) == "ceiling(log2(b))"
    assert tidy(sympy.log(2)) == "log(2)"  # only logs of non-numbers become log2
