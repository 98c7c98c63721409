"""One report, one set of numbers: a quantity shown in two places is the same number.

A small report is generated once for this module (a grid whose largest sizes put circuit QRAM
models outside the physical model's error budget, so invalid estimates are in it), with the
data handed to the crossover and head-vs-classical figures recorded on the way. Then:

- every CSV and its JSON hold the same values;
- every number of an index.md table equals its CSV's at the precision index.md shows it (a
  displayed 1.10e13 stands for [1.095e13, 1.105e13], and that interval must hold the CSV's
  value, itself an interval when the CSV rounds);
- the numbers of the answer, the readout line and the detail block equal the tables', and
  every product the detail block states is computed from the numbers it states;
- an invalid physical estimate never appears as a number: empty in CSV, null in JSON,
  "invalid [n]" in index.md with its reason as note n, a hollow marker in the figures;
- what index.md calls exact or an upper bound is what the models' traits say;
- no integer of more than 16 digits is printed in index.md.
"""

import csv
import json
import re
from fractions import Fraction
from html import unescape
from pathlib import Path
from typing import NamedTuple

import pytest

from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.core.numbers import MAX_DIGITS
from qlaci_cost.core.summary import METRICS
from qlaci_cost.output import report
from qlaci_cost.qlaci import QLACIQuery
from qlaci_cost.qram import traits

SIZES = [16, 32, 64, 2**10, 2**39, 2**40]
#: fanout: a circuit with a bound (qubits) and estimates outside the error budget at 2^39 and
#: 2^40; select-swap: another circuit; ideal: the assumed oracle, valid everywhere.
MODELS = ("fanout", "select-swap", "ideal")
TOP = max(SIZES)

_YEAR, _DAY = Fraction(31_557_600), Fraction(86_400)
_UNITS = {"years": _YEAR, "days": _DAY, "h": Fraction(3600), "min": Fraction(60),
          "s": Fraction(1), "ms": Fraction(1, 1000), "us": Fraction(1, 10**6)}  # fmt: skip
#: CSV columns written rounded to 3 significant digits (everything else is exact).
_ROUNDED = {"quantum_s", "classical_s", "ratio", "margin", "runtime_s", "circuit_infidelity"}


#: The report's scenario: one error budget for all runs of a head (scope `job`), so that the
#: grid holds estimates outside their budget (invalid) for the tests below to check; under the
#: default per-run scope every estimate of this grid is valid.
SCENARIO = Scenario(budget_scope="job")


class Report(NamedTuple):
    folder: Path
    figures: dict  # figure function -> [(args, kwargs)] it was called with

    @property
    def index(self) -> str:
        return (self.folder / "index.md").read_text(encoding="utf-8")

    def csv(self, stem: str) -> list[dict]:
        with open(self.folder / f"{stem}.csv", newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))

    def json(self, stem: str) -> list[dict]:
        return json.loads((self.folder / f"{stem}.json").read_text(encoding="utf-8"))["rows"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Report:
    out = tmp_path_factory.mktemp("consistency") / "reports"
    figures: dict = {"plot_crossover": [], "plot_head_vs_classical": []}
    with pytest.MonkeyPatch.context() as mp:
        for name in figures:
            original = getattr(report, name)

            def recording(*args, _name=name, _original=original, **kwargs):
                figures[_name].append((args, kwargs))
                return _original(*args, **kwargs)

            mp.setattr(report, name, recording)
        report.write_report(out, SIZES, MODELS, SCENARIO, formats=("svg",), progress=None)
    return Report(out, figures)


# --- reading numbers at their displayed precision ------------------------------------------


def interval(text: str, exact_int: bool = True) -> tuple[Fraction, Fraction]:
    """The exact values a displayed number stands for: 1.10e13 -> [1.095e13, 1.105e13];
    26.9 days -> that range in seconds; 2^40 exact; an integer exact when `exact_int` (a count
    printed exactly) else +-0.5 (a rounded real)."""
    t = text.strip().replace(",", "").replace("×", "")
    unit = Fraction(1)
    parts = t.split(" ")
    if len(parts) == 2 and parts[1] in _UNITS:
        t, unit = parts[0], _UNITS[parts[1]]
    if re.fullmatch(r"2\^\d+", t):
        v = Fraction(2) ** int(t[2:])
        return v, v
    m = re.fullmatch(r"(-?\d+)(?:\.(\d+))?(?:e([+-]?\d+))?", t)
    assert m, f"not a number: {text!r}"
    decimals = m.group(2) or ""
    exp = int(m.group(3) or 0)
    center = Fraction(m.group(1) + ("." + decimals if decimals else "")) * Fraction(10) ** exp
    if not decimals and not m.group(3) and exact_int:
        return center * unit, center * unit
    half = Fraction(1, 2) * Fraction(10) ** (exp - len(decimals))
    return (center - half) * unit, (center + half) * unit


def agree(a: str, b: str, exact_a: bool = True, exact_b: bool = True) -> bool:
    """Two displays of one number agree: their intervals of exact values overlap."""
    (lo_a, hi_a), (lo_b, hi_b) = interval(a, exact_a), interval(b, exact_b)
    return lo_a <= hi_b and lo_b <= hi_a


def test_agree_reads_the_displayed_precision():
    assert agree("1.10e13", "10995116277760") and not agree("1.10e13", "11100000000000")
    assert agree("26.9 days", "2.33e+06") and not agree("27.1 days", "2.33e+06")
    assert agree("8,388,604", "8388604") and not agree("8,388,604", "8388605")
    assert agree("127", "127", False, False) and agree("2^40", "1099511627776")


# --- index.md as tables -------------------------------------------------------------------


def sections(text: str) -> dict[str, str]:
    out = {}
    for block in re.split(r"^## ", text, flags=re.M)[1:]:
        title, _, body = block.partition("\n")
        out[title.strip()] = body
    return out


def tables(body: str) -> list[tuple[list[str], list[list[str]]]]:
    """(header, rows) of every Markdown table in `body`, cells stripped; the columns stated
    once under a table ("*In every row: a = x; b = y.*") are put back into every row."""
    out, current = [], []
    for line in body.splitlines() + [""]:
        if line.startswith("|"):
            current.append([c.strip().replace("\\|", "|") for c in
                            re.split(r"(?<!\\)\|", line.strip()[1:-1])])  # fmt: skip
        elif current:
            out.append((current[0], current[2:]))
            current = []
        elif out and line.startswith("*In every row: "):
            header, rows = out[-1]
            for column, value in (p.split(" = ", 1) for p in line[15:-2].split("; ")):
                header.append(column)
                for r in rows:
                    r.append(value)
    return out


def notes(text: str) -> dict[int, str]:
    body = sections(text)["Notes"]
    return {int(n): t for n, t in re.findall(r"^(\d+)\. (.*)$", body, flags=re.M)}


def label(cell: str) -> str:
    """A row's model cell without its note marks and the assumed-oracle dagger."""
    return re.sub(r"(\s*\[\d+\],?)+$", "", cell).rstrip("†").strip()


def _section_table(built: Report, title: str, first: str = "model") -> tuple[list, list]:
    found = [t for t in tables(sections(built.index)[title]) if t[0][0] == first]
    assert found, f"index.md section {title!r} has no table"
    return found[0]


# --- CSV and JSON ---------------------------------------------------------------------------


def _same_cell(text: str, value) -> bool:
    if value is None:
        return text == ""
    if isinstance(value, bool):
        return text == str(value).lower()
    if isinstance(value, float):
        return float(text) == value
    return text == str(value)


def test_every_csv_and_its_json_hold_the_same_values(built):
    stems = [p.stem for p in built.folder.glob("*.csv")]
    assert len(stems) >= 9
    for stem in stems:
        rows, doc = built.csv(stem), built.json(stem)
        assert len(rows) == len(doc), stem
        for i, (r, j) in enumerate(zip(rows, doc)):
            assert list(r) == list(j), stem
            for column in r:
                assert _same_cell(r[column], j[column]), (stem, i, column, r[column], j[column])


# --- index tables against the CSV --------------------------------------------------------------


def _compare_rows(index_rows, header, csv_rows, key_columns, note_texts=None):
    """Every index cell equals the CSV's cell of the same column at displayed precision."""
    assert len(index_rows) == len(csv_rows)
    for cells, row in zip(index_rows, csv_rows):
        shown = dict(zip(header, cells))
        for key in key_columns:
            assert label(shown[key]) == row[key]
        for column, cell in shown.items():
            if column in key_columns or column not in row:
                continue
            want = row[column]
            if re.fullmatch(r"\[\d+\]", cell) and note_texts is not None:  # a note's number
                assert note_texts[int(cell[1:-1])] == " ".join(want.split()), column
            elif cell in ("yes", "no"):
                assert want in (("true", "yes") if cell == "yes" else ("false", "no")), column
            elif cell == "" or not re.match(r"-?[\d2]", cell) or not re.match(r"-?\d", want):
                assert " ".join(cell.split()) == " ".join(want.split()), (column, cell, want)
            else:
                assert agree(cell, want, True, column not in _ROUNDED), (column, cell, want)


def test_qram_and_head_tables_equal_their_csv_at_the_largest_n(built):
    for title, stem in (
        ("QRAM models: one query", "qram_table"),
        ("QLACI head: N queries, shots included", "qlaci_head"),
    ):
        header, rows = _section_table(built, title)
        at_top = [r for r in built.csv(stem) if int(r["N"]) == TOP]
        assert [label(r[0]) for r in rows] == [r["model"] for r in at_top] == list(MODELS)
        _compare_rows(rows, header, at_top, ["model"])


def test_noise_and_family_sections_equal_their_csv(built):
    text = built.index
    header, rows = _section_table(built, "Noise: per-query infidelity")
    at_top = [r for r in built.csv("noise") if int(r["N"]) == TOP]
    _compare_rows(rows, header, at_top, ["model"], notes(text))
    for title, stem, key in (
        ("Multi-query QLACI, data-parallel QPUs and global tokens", "multi_query_table", "model"),
        ("QLAM: a quantum recurrent memory, its readout protocols and its linear-time claim",
         "qlam_table", "protocol"),
    ):  # fmt: skip
        header, rows = _section_table(built, title, key)
        at_top = [r for r in built.csv(stem) if int(r["N"]) == TOP]
        _compare_rows(rows, header, at_top, [key])


def test_scaling_tables_equal_scaling_csv(built):
    csv_rows = {(r["family"], r["model"], r["metric"]): r for r in built.csv("scaling")}
    body = sections(built.index)["Scaling: growth of each metric (the verdicts' evidence)"]
    (q_header, q_rows), (h_header, h_rows) = tables(body)[:2]
    for family, header, rows in (
        ("QRAM query", q_header, q_rows),
        ("QLACI head", h_header, h_rows),
    ):
        for cells in rows:
            for metric, cell in zip(header[1:], cells[1:]):
                row = csv_rows[(family, cells[0], metric)]
                want = " ".join(t for t in (row["leading_order"], row["slope"]) if t and t != "n/a")
                assert cell == (want or "n/a"), (family, cells[0], metric)


def _physical_rows(built: Report) -> tuple[list, list]:
    header, rows = _section_table(built, "Physical estimates")
    return header, [dict(zip(header, r)) for r in rows]


def test_physical_table_equals_physical_csv(built):
    _, shown = _physical_rows(built)
    rows = built.csv("physical")
    assert len(shown) == len(rows)
    for cell, row in zip(shown, rows):
        assert (cell["model"], interval(cell["N"])[0]) == (row["model"], int(row["N"]))
        if row["valid"] != "yes":
            continue  # test_invalid_estimates_are_never_numbers
        assert agree(cell["runtime"], row["runtime_s"], True, False), cell
        for column in ("physical_qubits", "code_distance", "factories"):
            assert agree(cell[column], row[column]), (cell, column)


def _crossover_cells(built: Report) -> dict:
    header, rows = _section_table(built, "Crossover against classical attention")
    return {(label(r[0]), b): c for r in rows for b, c in zip(header[1:], r[1:])}


def test_crossover_cells_equal_crossover_csv(built):
    cells = _crossover_cells(built)
    for row in built.csv("crossover"):
        cell = cells[(row["model"], row["baseline"])]
        verdict = row["crossover"].replace("none up to", "none ≤")
        assert cell.startswith(verdict), (cell, verdict)
        qubits = cells[(row["model"], "physical_qubits")]
        if row["physical_qubits"]:
            assert agree(qubits, row["physical_qubits"]), (qubits, row["physical_qubits"])
        else:
            assert qubits.startswith("invalid ["), qubits
        parts = cell.split(" · ")
        ratio = next((p for p in parts if re.fullmatch(r"[\d.,e-]+× ?(\(min .*\))?", p)), None)
        if row["ratio"]:
            assert ratio and agree(ratio.split("×")[0], row["ratio"], False, False), cell
            if "(min " in ratio:
                shown_min = re.search(r"\(min ([\d.,e-]+)×\)", ratio).group(1)
                assert agree(shown_min, row["margin"], False, False), cell
        else:
            assert ratio is None, cell
            if row["margin"]:
                shown_min = re.search(r"min ([\d.,e-]+)×", cell).group(1)
                assert agree(shown_min, row["margin"], False, False), cell
        ext = re.search(r"≈2\^(\d+) ext\.", cell)
        if row["extrapolated_log2_N"]:
            assert ext and int(ext.group(1)) == round(float(row["extrapolated_log2_N"])), cell
        else:
            assert ext is None, cell


# --- invalid estimates ------------------------------------------------------------------------


def test_invalid_estimates_are_never_numbers(built):
    text = built.index
    numbered = notes(text)
    physical = built.csv("physical")
    invalid = [r for r in physical if r["valid"] != "yes"]
    assert invalid, "the grid must hold invalid estimates for this test to mean anything"
    assert any(r["valid"] == "yes" for r in physical)
    empty = ("physical_qubits", "code_distance", "factories", "runtime_s")
    for row, doc in zip(physical, built.json("physical")):
        if row["valid"] != "yes":
            assert row["valid"].startswith("no: ")
            assert all(row[c] == "" and doc[c] is None for c in empty), row
    # index.md: "invalid [n]" with the reason as note n, and no number in the row
    _, shown = _physical_rows(built)
    for cell, row in zip(shown, physical):
        if row["valid"] == "yes":
            assert not cell["runtime"].startswith("invalid")
            continue
        ref = re.fullmatch(r"invalid \[(\d+)\]", cell["runtime"])
        assert ref and numbered[int(ref.group(1))] == row["valid"].removeprefix("no: "), cell
        assert cell["valid"] == f"no [{ref.group(1)}]"
        assert all(cell[c] == "" for c in ("physical_qubits", "code_distance", "factories"))
    # crossover.csv / json: no runtime, ratio or physical qubits from an invalid estimate
    crossover = built.csv("crossover")
    bad = [r for r in crossover if r["quantum_valid"] != "yes"]
    assert bad and {r["model"] for r in bad} <= {"fanout", "select-swap"}
    for row, doc in zip(crossover, built.json("crossover")):
        if row["quantum_valid"] != "yes":
            for column in ("quantum_s", "ratio", "physical_qubits"):
                assert row[column] == "" and doc[column] is None, (row["model"], column)
    cells = _crossover_cells(built)
    for row in bad:
        qubits = re.fullmatch(r"invalid \[(\d+)\]", cells[(row["model"], "physical_qubits")])
        assert qubits and numbered[int(qubits.group(1))] == row["quantum_valid"][4:]
        assert "invalid at 2^" in cells[(row["model"], row["baseline"])]
    # the answer names where the verdict rests on no estimate
    answer = sections(text)["The answer"]
    for model in {r["model"] for r in bad}:
        assert re.search(rf"at N = [^;)]*2\^40[^;)]* for [^;)]*{model}", answer), model


def _points(call) -> list:
    args, kwargs = call
    return args[0] if args else kwargs["records"]


def test_figures_get_the_tables_numbers_and_mark_invalid_points_hollow(built):
    from qlaci_cost.output import plots

    crossover = {(r["model"], r["baseline"]): r for r in built.csv("crossover")}
    calls = built.figures["plot_crossover"]
    assert len(calls) == len({r["baseline"] for r in crossover.values()})
    invalid_seen = 0
    for call in calls:
        records = _points(call)
        for record in records:
            row = crossover[(record["model"], record["baseline"])]
            n, q, c, valid = max(record["points"], key=lambda p: p[0])
            assert n == TOP and valid == (row["quantum_valid"] == "yes")
            assert agree(row["classical_s"], str(float(c)), False, False)
            if valid:
                assert agree(row["quantum_s"], str(float(q)), False, False)
        fig = plots.crossover_figure(records, "t")
        hollow = [
            ln
            for ln in fig.axes[0].get_lines()
            if ln.get_markerfacecolor() == "none" and ln.get_marker() not in ("*", "None", "")
        ]
        bad = sum(1 for r in records for p in r["points"] if p[3] is False)
        legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        assert sum(len(ln.get_xdata()) for ln in hollow) == bad
        assert (plots.crossover.INVALID_LABEL in legend) == bool(bad)
        invalid_seen += bad
    assert invalid_seen
    # head vs classical: runtimes as the crossover's, qubits as the head table's, flags kept
    (call,) = built.figures["plot_head_vs_classical"]
    quantum, classical = call[0][:2]
    runtime_axis = plots.head_figure(quantum, classical, "t").axes[1]
    hollow = [ln for ln in runtime_axis.get_lines() if ln.get_markerfacecolor() == "none"]
    assert sum(len(ln.get_xdata()) for ln in hollow) == sum(
        1 for points in quantum.values() for p in points if p[3] is False
    )
    head = {(r["model"], int(r["N"])): r for r in built.csv("qlaci_head")}
    for model, points in quantum.items():
        for n, _, qubits, _ in points:
            assert str(qubits) == head[(model, n)]["qubits"]
        n, runtime, _, valid = max(points, key=lambda p: p[0])
        row = crossover[(model, "softmax")]
        assert valid == (row["quantum_valid"] == "yes")
        if valid:
            assert agree(row["quantum_s"], str(float(runtime)), False, False)


# --- prose ------------------------------------------------------------------------------------


def test_the_answer_and_the_readout_line_quote_the_tables(built):
    text = built.index
    answer = sections(text)["The answer"]
    m = re.search(
        r"Closest: (\S+?)†? against (\S+), ([\d.,e]+) times slower at N = (2\^\d+)"
        r"(?: \(\[Figure \d+\]\(#figure-\d+\)\))?"
        r"(?:; its top-decade trend would reach break-even near N = 2\^(\d+) \(extrapolated, "
        r"not computed\))?",
        answer,
    )
    assert m, "the answer names the closest call"
    row = next(r for r in built.csv("crossover") if (r["model"], r["baseline"]) == m.group(1, 2))
    assert agree(m.group(3), row["ratio"], False, False)
    assert interval(m.group(4))[0] == int(row["N"])
    if m.group(5):
        assert int(m.group(5)) == round(float(row["extrapolated_log2_N"]))
    shots = re.search(r"delta = 0.05: ([\d,.e]+) shots per observable\)", text).group(1)
    (exact,) = {r["shots"] for r in built.csv("qlaci_head")}
    assert agree(shots, exact)
    # the caveat's numbers are claim 5's evidence
    evidence = next(r["evidence"] for r in built.csv("claims") if r["key"] == "global-attention")
    caveat = re.search(
        r"\(difference ([\d.e-]+)\), not the softmax-weighted one \(difference ([\d.e-]+)\).*"
        r"takes ([\d.,e]+) Hoeffding shots per observable at N = (2\^\d+)",
        answer,
    )
    found = re.search(
        r"max diff ([\d.e+-]+); vs softmax\(Q\.K\)-weighted average: max diff ([\d.]+).*"
        r"needs ([\d,]+) Hoeffding shots per observable at N=(2\^\d+)",
        evidence,
    )
    assert caveat and found
    assert agree(caveat.group(1), found.group(1), False, False)
    assert agree(caveat.group(2), found.group(2), False, False)
    assert agree(caveat.group(3), found.group(3)) and caveat.group(4) == found.group(4)


def _value(text: str) -> tuple[Fraction, Fraction]:
    """A number of describe(): 1.16e+07 years, 751 us, 160,719,146."""
    return interval(text.replace("e+", "e"))


def test_every_product_of_the_detail_block_is_computed_from_its_numbers(built):
    block = re.search(r"```text\n(.*?)```", sections(built.index)["Physical estimates"], re.S)
    assert block, "a valid estimate is detailed"
    detail = block.group(1)
    assert "NOT AN ESTIMATE" not in detail
    m = re.search(r"physical qubits: ([\d,]+) = data ([\d,]+) \(code distance \d+\) \+ (\d+) x "
                  r".* factories of ([\d,]+)", detail)  # fmt: skip
    total, data, factories, each = (int(g.replace(",", "")) for g in m.groups())
    assert total == data + factories * each
    unit = r"([\d.e+,]+ (?:years|days|h|min|s|ms|us))"
    m = re.search(rf"factory-limited: ([\d.e+,]+) magic states x {unit} / (\d+) factories = "
                  rf"{unit}", detail)  # fmt: skip
    states, per_state, n_f, result = (
        _value(m.group(1)),
        _value(m.group(2)),
        int(m.group(3)),
        (_value(m.group(4))),
    )
    assert states[0] * per_state[0] / n_f <= result[1] + result[1] / 1000
    assert states[1] * per_state[1] / n_f >= result[0] - result[0] / 1000
    m = re.search(rf"reaction-limited: (?:toffoli_depth|reaction layers) ([\d.e+,]+) .*?x "
                  rf"([\d.]+) us = {unit}", detail)  # fmt: skip
    layers, reaction, result = _value(m.group(1)), Fraction(m.group(2)) / 10**6, _value(m.group(3))
    assert layers[0] * reaction <= result[1] and layers[1] * reaction >= result[0], m.group(0)
    runtime = re.search(rf"runtime: {unit}, limited by (\w+)", detail)
    pick = re.search(r"Detail: one QLACI head, (\S+) QRAM, N = (2\^\d+)", built.index)
    _, shown = _physical_rows(built)
    row = next(r for r in shown if (r["model"], r["N"]) == pick.group(1, 2))
    assert agree(runtime.group(1).replace("e+", "e"), row["runtime"], False, False)
    assert runtime.group(2) == row["limited_by"]


# --- exact or bound -------------------------------------------------------------------------------


def _said_bounds(groups: str, models) -> dict[str, set]:
    """{model: metrics} from "a, b (every model) and c (fanout)"."""
    out = {m: set() for m in models}
    for group in groups.split(" and "):
        metrics, who = re.fullmatch(r"(.*) \((.*)\)", group).groups()
        for m in models if who == "every model" else who.split(", "):
            out[m] |= set(metrics.split(", "))
    return out


def test_what_is_called_exact_or_a_bound_matches_the_traits(built):
    from qlaci_cost.qlaci.multi_query.query import MultiQueryQLACI
    from qlaci_cost.qlam.family import models as qlam_models
    from qlaci_cost.qlam.step import QLAMStep

    text = built.index
    header = text.split("\n## ")[0]
    m = re.search(r"Counts are closed forms evaluated exactly at each N, except upper bounds "
                  r"\(the models' BOUNDS\): (.*?)\.(?: The (.*?) QRAM's costs are assumed, not "
                  r"counted\.)? Times are surface-code estimates\.", header)  # fmt: skip
    assert m, "the header says what is exact and what is a bound"
    said = dict(part.split(": ", 1) for part in m.group(1).split("; "))
    protocols = qlam_models()
    expected = {
        "QRAM query": {model: set(traits(model).BOUNDS) for model in MODELS},
        "QLACI query and head": {
            model: set(QLACIQuery(16, qram_model=model).bounds) for model in MODELS
        },
        "multi-query circuit": {
            model: set(QLACIQuery(16, qram_model=model).bounds) | set(MultiQueryQLACI.BOUNDS)
            for model in MODELS
        },
        "QLAM run": {protocol: set(QLAMStep.BOUNDS) for protocol in protocols},
    }
    assert set(said) == {k for k, v in expected.items() if any(v.values())}
    for what, groups in said.items():
        assert _said_bounds(groups, list(expected[what])) == expected[what], what
    assumed = {model for model in MODELS if traits(model).ASSUMED_ORACLE}
    assert set((m.group(2) or "").split(", ")) - {""} == assumed
    # each table's marks: a model's "upper bounds" note names exactly its bounded metrics
    numbered = notes(text)
    for title, bounds_of in (
        ("QRAM models: one query", lambda model: set(traits(model).BOUNDS)),
        ("QLACI head: N queries, shots included",
         lambda model: set(QLACIQuery(16, qram_model=model).bounds)),
    ):  # fmt: skip
        header_row, rows = _section_table(built, title)
        for cells in rows:
            refs = [int(n) for n in re.findall(r"\[(\d+)\]", cells[0])]
            named = set()
            for n in refs:
                if "upper bound" in numbered[n].lower():
                    named |= {x for x in METRICS if re.search(rf"\b{x}\b", numbered[n], re.I)}
            assert named == bounds_of(label(cells[0])), (title, cells[0])


def test_no_integer_of_more_than_16_digits_in_index_md(built):
    long = re.findall(rf"\d{{{MAX_DIGITS + 1},}}", built.index)
    assert not long, long[:3]


# --- one scenario -----------------------------------------------------------------------------


def test_every_section_states_the_one_scenario_the_manifest_records(built):
    """index.md states the scenario once, every table's notes state the same scenario, and the
    manifest records it (read back, it is the scenario the report was built under)."""
    line = "; ".join(SCENARIO.describe_lines())
    assert built.index.count("**Scenario**") == 1 and line in " ".join(built.index.split())
    sidecars = sorted(built.folder.glob("*.notes.md"))
    assert len(sidecars) >= 8
    for path in sidecars:
        text = " ".join(path.read_text(encoding="utf-8").split())
        assert f"Scenario: {line}" in text, path.name
    (manifest,) = built.folder.glob(".*.json")
    recorded = json.loads(manifest.read_text(encoding="utf-8"))["scenario"]
    assert Scenario.from_dict(recorded) == SCENARIO and recorded["budget_scope"] == "job"


def test_the_same_setting_has_the_same_shots_in_every_section(built):
    """One readout: the head table, the multi-query table (B = 1 rows) and QLAM's final
    readout all run the same Hoeffding shots per observable at abs:0.01, delta = 0.05:
    ceil(2 ln(2 / 0.05) / 0.01^2) = 73,778 (computed here, not read from the package)."""
    import math

    want = math.ceil(2 * math.log(2 / 0.05) / 0.01**2)
    assert want == 73_778
    head = {int(r["shots"]) for r in built.csv("qlaci_head")}
    assert head == {want}
    multi = built.csv("multi_query_table")
    shots = {int(r["shots"]) for r in multi if r["batch"] == "1"}
    assert shots <= {want} and shots, shots


# --- significant figures ---------------------------------------------------------------------

#: A number as a person reads it: 5,141 · 73778 · 0.00123 · 2.33e3 (not part of a word,
#: an exponent 2^40, a file name, a version or an identifier).
_NUMBER = re.compile(r"(?<![\w.^/:#-])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([eE][+-]?\d+)?(?![\w^])")
#: What is not prose: program output, code, link targets, tags, and the identifiers of
#: publications (arXiv numbers, journal volume and article numbers with the year).
_NOT_PROSE = (
    re.compile(r"```.*?```", re.S),
    re.compile(r"`[^`\n]*`"),
    re.compile(r"\]\([^)]*\)"),
    re.compile(r"</?[a-zA-Z][^>]*>"),
    re.compile(r"arXiv:\s*\d{4}\.\d{4,5}"),
    re.compile(r"\b\d+, \d+ \(\d{4}\)"),
)


def significant_digits(integer: str, fraction: str = "", exponent: str = "") -> int:
    """Significant digits of a written number: leading zeros never count, trailing zeros of
    an integer neither (34,650 has 4)."""
    digits = integer.replace(",", "")
    if fraction:
        return len((digits + fraction[1:]).lstrip("0"))
    return len(digits.strip("0")) or 1


def too_precise(text: str, limit: int = 4) -> list[str]:
    """The numbers of `text`'s prose and tables with more than `limit` significant digits."""
    for pattern in _NOT_PROSE:
        text = pattern.sub(" ", text)
    return [m.group(0) for m in _NUMBER.finditer(text) if significant_digits(*m.groups()) > limit]


def test_significant_digits_reads_what_a_person_reads():
    assert too_precise("5,141 qubits, 34,650 tiles, 1,000,000 runs, 0.00123 and 2.33e3") == []
    assert too_precise("73,778 shots, 3.14159 and N=1,099,511,627,776") == [
        "73,778",
        "3.14159",
        "1,099,511,627,776",
    ]
    assert too_precise("2^40 cells, arXiv:2211.07629, PRX Quantum 2, 020311 (2021)") == []
    assert too_precise("`73778` and\n```text\n3,120,154\n```\n[a](f_12345.png)") == []


def test_no_number_in_the_index_has_more_than_4_significant_digits(built):
    """Prose and tables of index.md and index.html: 3 significant digits, exact counts only
    where they have at most 4 (exact values: CSV and JSON)."""
    assert too_precise(built.index) == []
    html = (built.folder / "index.html").read_text(encoding="utf-8")
    html = re.sub(r"<(style|script|pre|code)\b.*?</\1>|<[^>]+>", " ", html, flags=re.S)
    assert too_precise(unescape(html)) == []
