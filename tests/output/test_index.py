"""index.md leads with the answer: rendered to HTML, the summary comes first, the verdict
matrix has one row per claim, numbers are short, every sentence follows from the results."""

import json
import re
from fractions import Fraction
from types import SimpleNamespace

import pytest

from qlaci_cost.core.numbers import MAX_DIGITS
from qlaci_cost.output import answer, index, report
from qlaci_cost.output.captions import Figures
from qlaci_cost.qlaci.claims import CLAIMS

markdown = pytest.importorskip("markdown")

SIZES = [2**k for k in range(4, 11)]
MODELS = ("bucket-brigade-parallel", "qrom", "ideal")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("idx") / "reports"
    report.write_report(out, SIZES, MODELS, formats=("png",), progress=None)
    return out


@pytest.fixture(scope="module")
def page(built):
    text = (built / "index.md").read_text()
    return text, markdown.markdown(text, extensions=["tables", "fenced_code"])


def _blocks(html: str) -> list[tuple[str, str]]:
    """Top-level (tag, inner html) in order."""
    return re.findall(r"<(h1|h2|h3|p|ul|ol|table|pre)>(.*?)</\1>", html, flags=re.S)


def test_the_summary_comes_first(page):
    _, html = page
    blocks = _blocks(html)
    assert blocks[0][0] == "h1"
    headings = [inner for tag, inner in blocks if tag in ("h2", "h3")]
    summary = "Summary: one QLACI head, the fastest circuit QRAM and the assumed ideal"
    assert headings[:3] == ["The answer", summary, "Verdicts: claims × QRAM models"]
    answer = next(inner for tag, inner in blocks if tag == "ul")
    items = re.findall(r"<li>(.*?)</li>", answer, flags=re.S)
    leads = [re.match(r"<strong>(.*?)</strong>", i).group(1) for i in items]
    # the absolute answer first, then what QLACI computes (a uniform average, not softmax)
    assert leads == ["Crossover:", "Largest caveat:"]
    words = [inner for tag, inner in blocks if tag == "ul"][2]  # after the provenance list
    assert "<strong>Claims:</strong>" in words
    # the verdict matrix and the lead figures come before the conventions
    order = [tag for tag, _ in blocks]
    first_table = order.index("table")
    conventions = headings.index("Conventions and assumptions")
    assert first_table < [i for i, (t, x) in enumerate(blocks) if x == headings[conventions]][0]
    assert html.index("<img") < html.index("Conventions and assumptions")


def test_the_verdict_matrix_has_one_row_per_claim_and_one_column_per_model(page, built):
    _, html = page
    table = re.findall(r"<table>(.*?)</table>", html, flags=re.S)[1]  # after the summary
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    header = re.findall(r"<th[^>]*>(.*?)</th>", rows[0])
    assert header == ["claim", "bucket-brigade-parallel", "qrom", "ideal†", "evidence"]
    body = [re.findall(r"<td[^>]*>(.*?)</td>", r) for r in rows[1:]]
    # every claim links to the file where its numbers are (a figure or a table of the report)
    links = [re.search(r'href="([^"]+)"', r[-1]).group(1) for r in body]
    assert all((built / link).is_file() for link in links)
    assert links[0] == "figures/qram_qubits.png"  # O(log N) qubits: the QRAM qubit figure
    body = [r[:-1] for r in body]
    # one row per claim judged under the QRAM models (every registered family's), in order
    judged = json.loads((built / "claims.json").read_text())["rows"]
    claims = list(dict.fromkeys(r["claim"] for r in judged if r["model"] in MODELS))
    assert [r[0] for r in body] == claims and claims[: len(CLAIMS)] == list(CLAIMS.values())
    assert all(cell in ("✓", "◐", "✗") for r in body for cell in r[1:])
    # the same verdicts as claims.csv: qrom keeps O(log N) qubits, bbp holds only for depth
    assert body[0][1:] == ["✗", "✓", "✓"] and body[1][1] == "◐"


def test_no_number_in_the_page_has_more_than_16_digits(page):
    text, html = page
    plain = re.sub(r"<[^>]+>", " ", html)
    numbers = re.findall(r"\d(?:[\d,]*\d)?", plain)
    assert max(len(n.replace(",", "")) for n in numbers) <= MAX_DIGITS
    assert "2^10" in text and "1024 |" not in text  # sizes read as powers of two


def test_the_page_is_short_and_states_each_shared_note_once(page):
    text, _ = page
    assert len(text.splitlines()) < 385  # the report before it led with the answer
    notes = re.findall(r"^\d+\. (.*)$", text, flags=re.M)
    assert len(notes) == len(set(notes))
    assert text.lower().count("upper bounds, not exact counts") == 1  # shared by every model's rows
    assert text.count("global (softmax-like) attention over all N positions") == 2  # answer, matrix


def _inputs(records):
    cross = SimpleNamespace(records=records)
    return SimpleNamespace(cross=cross, sizes=[16, 2**40], hardware="H100",
                           extrapolated={("ideal", "softmax"): 45.2})  # fmt: skip


def _record(model, qram, crossover_n, ratio, baseline="softmax"):
    return {"model": model, "qram": qram, "baseline": baseline, "crossover_N": crossover_n,
            "ratio": Fraction(ratio), "established": "yes", "N": 2**40}  # fmt: skip


def test_the_crossover_sentence_follows_the_records():
    none = [_record("qrom", "circuit", None, 10**12), _record("ideal", "assumed", None, 23.6)]
    text = answer.crossover_sentence(_inputs(none))
    assert (
        "no QRAM model, the assumed ideal QRAM included, beats classical attention on an H100"
        in text
    )
    assert "up to N = 2^40" in text and "ideal† against softmax, 23.6 times slower" in text
    assert "near N = 2^45 (extrapolated, not computed)" in text
    circuits_only = [_record("qrom", "circuit", None, 10**12)]
    assert "every one a circuit" in answer.crossover_sentence(_inputs(circuits_only))
    wins = [_record("qrom", "circuit", 2**20, Fraction(1, 2)), *none]
    text = answer.crossover_sentence(_inputs(wins))
    assert text.startswith("**Crossover:** qrom beats classical attention")
    assert "at N = 2^20" in text


def test_the_crossover_sentence_names_where_no_estimate_is_valid():
    """A model whose largest N has no valid estimate gives no ratio there: the sentence says at
    which N the verdict rests on no estimate, and the closest call comes from valid records."""
    bad = dict(_record("qrom", "circuit", None, 1), ratio=None, invalid_N=(2**30, 2**40))
    ok = _record("ideal", "assumed", None, 23.6)
    text = answer.crossover_sentence(_inputs([bad, ok]))
    assert "not an estimate and not compared: at N = 2^30, 2^40 for qrom)" in text
    assert "Closest: ideal† against softmax, 23.6 times slower at N = 2^40" in text
    only_bad = answer.crossover_sentence(_inputs([bad]))
    assert "Closest" not in only_bad and "2^30, 2^40 for qrom" in only_bad


def test_the_crossover_sentence_leads_with_the_strongest_streaming_method():
    """Absolute times against the twin and linear attention (never naive softmax), and the
    cheapest single flip from the break-even rows (the smallest factor from the scenario)."""
    year = 365.25 * 86400
    rows = [
        dict(_record("ideal", "assumed", None, 23.6), quantum_s=Fraction(2 * 10**6) * year,
             classical_s=Fraction(2 * 10**6) * year / Fraction(236, 10)),
        dict(_record("ideal", "assumed", None, 10**13, "qlaci-exact"),
             quantum_s=Fraction(5000) * year, classical_s=Fraction(459, 100)),
        dict(_record("qrom", "circuit", None, 10**20, "qlaci-exact"),
             quantum_s=Fraction(10**14) * year, classical_s=Fraction(459, 100)),
    ]  # fmt: skip
    inp = _inputs(rows)
    flip = {"model": "ideal", "baseline": "flash", "N": "2^40", "status": "flip"}
    inp.breakeven = [
        {**flip, "knob": "readout_eps", "value": 0.224, "scenario_value": "0.01",
         "breakeven_value": "0.224"},
        {**flip, "knob": "classical_efficiency", "value": 0.00195, "scenario_value": "1",
         "breakeven_value": "0.00195"},
        {**flip, "knob": "method", "value": "clt", "scenario_value": "hoeffding",
         "breakeven_value": "clt"},
    ]  # fmt: skip
    text = answer.crossover_sentence(inp)
    head = text.index("Against the strongest classical methods at N = 2^40: QLACI's exact")
    assert "takes 4.59 s, the fastest quantum head (ideal†) 5,000 years" in text
    assert "softmax" not in text[head : text.index("Closest")]
    # eps x 22.4 is a smaller change than efficiency / 513
    assert "break-even table; figures/tornado_ideal.png): ideal" in text
    assert "breaks even at readout_eps = 0.224 (scenario 0.01)" in text
    inp.breakeven = [{**flip, "status": "never", "knob": "qpus", "value": None,
                      "scenario_value": "1", "breakeven_value": "never ([1, 32])"}]  # fmt: skip
    assert "No single knob within its physical range" in answer.crossover_sentence(inp)


def test_a_column_with_one_value_is_stated_once_under_the_table():
    rows = [
        {"model": "a", "N": 2**10, "shots": 73_778, "valid": True, "qubits": 5},
        {"model": "b", "N": 2**20, "shots": 73_778, "valid": True, "qubits": 6},
    ]
    text = index._table(rows, ["model", "N", "shots", "valid", "qubits"])
    lines = text.splitlines()
    assert lines[0] == "| model | N | qubits |"
    assert lines[2:4] == ["| a | 2^10 | 5 |", "| b | 2^20 | 6 |"]
    assert lines[-1] == "*In every row: shots = 7.38e4; valid = yes.*"
    # one row: nothing is constant; the first column is the row's name, never folded
    assert index._table(rows[:1], ["model", "shots"]).splitlines()[0] == "| model | shots |"
    same = [dict(r, model="a") for r in rows]
    assert index.constant_columns(same, ["model", "N", "shots"]) == ["shots"]


def test_every_cited_figure_is_shown_once_with_its_caption():
    figs = Figures(["figures/a_b.pdf", "figures/a_b.png", "figures/c.svg"])
    assert figs.cite("missing") == "" and figs.show("missing", "x") == []
    assert figs.cite("c") == "[Figure 1](#figure-1)"
    assert figs.cite("a_b") == "[Figure 2](#figure-2)" and figs.cite("c").endswith("(#figure-1)")
    shown = figs.uncited({"c": "What c shows"})
    assert shown[:5] == ['<a id="figure-1"></a>', "", "![Figure 1: c](figures/c.svg)", "",
                         "*Figure 1. What c shows.*"]  # fmt: skip
    assert "![Figure 2: a_b](figures/a_b.png)" in shown  # png before pdf
    assert figs.uncited({}) == []  # each figure once


def test_the_factory_share_is_what_the_data_block_leaves(built, page):
    """The summary's "in factories" = 1 - data block / physical qubits, the data block from
    Gidney & Fowler's layout (arXiv:1812.01238; Qualtran's SimpleDataBlock): ceil(1.5 Q)
    tiles of 2 d^2 physical qubits for Q logical qubits at code distance d."""
    import csv

    text, _ = page
    block = text.split("### Summary", 1)[1].split("\n\n")
    lines = block[1].splitlines()
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = [dict(zip(header, (c.strip() for c in ln.strip("|").split("|")))) for ln in lines[2:]]
    if block[2].startswith("*In every row: "):  # a column with one value, stated once
        for column, value in (p.split(" = ", 1) for p in block[2][15:-2].split("; ")):
            for r in rows:
                r[column] = value
    rows = [(r["model"].rstrip("†"), r["N"], r["in factories"].rstrip(" %")) for r in rows]
    assert rows, "the summary states the factory share"
    head_rows = csv.DictReader(open(built / "qlaci_head.csv"))
    head = {(r["model"], r["N"]): int(r["qubits"]) for r in head_rows}
    physical = {(r["model"], r["N"]): r for r in csv.DictReader(open(built / "physical.csv"))}
    for model, size, share in rows:
        n = str(2 ** int(size[2:]))
        row, q = physical[(model, n)], head[(model, n)]
        d, total = int(row["code_distance"]), int(row["physical_qubits"])
        data = -(-3 * q // 2) * 2 * d * d
        expected = 100 * (1 - Fraction(data, total))
        assert abs(Fraction(share) - expected) <= expected / 200, (model, size, share, expected)


def test_differing_slopes_are_grouped_by_models_with_the_same_slopes_and_reason():
    from qlaci_cost.output.plots import SlopeNote

    def note(model, metric, fitted, sign):
        why = f"{sign}0.10 from rounding in the closed form (k reads 17, 17, 18, 18)."
        text = f"{model} {metric}: slope {fitted:.2f} over N = 2^37..2^40 against the leading "
        text += f"order O(N^0.5) (exponent 0.5): {why}"
        return SlopeNote(model, metric, fitted, (), None, None, "O(N^0.5)", 0.1, 0, 0, text)

    notes = [note(m, "qubits", 0.4, "-") for m in ("a", "b")]
    notes += [note(m, "toffoli", 0.6, "+") for m in ("a", "b")] + [note("c", "toffoli", 0.7, "+")]
    lines = index._slopes_explained(notes)
    why = "from rounding in the closed form (k reads 17, 17, 18, 18)."
    assert lines[2:5] == [
        f"- a, b: qubits 0.40; toffoli 0.60 against O(N^0.5), {why}",
        f"- c: toffoli 0.70 against O(N^0.5), {why}",
        "",
    ]
    assert index._slopes_explained([]) == []
    assert "a, b, c: fitted slope 0.60/0.70" in index._slope_caption(notes, "toffoli")
