"""Numbers quoted in prose (README.md, docs/) equal the code's at the settings they state.

Each quote is found in its file by a pattern that captures the numbers as written (whitespace
and line breaks in the file match one space of the pattern); the expected value is computed by
the library at the settings the sentence states and compared at the precision the text shows:
an integer exactly, a decimal to its last written digit. A quote that is reworded or removed
fails here (its pattern no longer matches), so a number is never left unchecked.
"""

import json
import re
from collections import Counter
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest
import sympy

from qlaci_cost import cost_summary, qram
from qlaci_cost.analysis.amplitude_estimation import ae_calls, median_repetitions
from qlaci_cost.analysis.shots import clt_shots, hoeffding_shots, measurement_cost
from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, ROTATION_MODELS
from qlaci_cost.qlaci import QLACIQuery
from qlaci_cost.qlaci.multi_query.batch_readout import batch_measurement_cost

ROOT = Path(__file__).resolve().parent.parent


def quote(path: str, pattern: str) -> tuple[str, ...]:
    """The groups of `pattern` in `path`, its whitespace runs read as single spaces."""
    text = " ".join((ROOT / path).read_text(encoding="utf-8").split())
    match = re.search(pattern, text)
    assert match, f"{path} no longer says {pattern!r}: update the prose and this test together"
    return match.groups()


def number(text: str) -> Fraction:
    """A number as written: 1,904 / 1.0200 / 2^20."""
    text = text.replace(",", "")
    if "^" in text:
        base, exp = text.split("^")
        return Fraction(int(base) ** int(exp))
    return Fraction(text)


def shown(value, text: str) -> bool:
    """`value` (exact) reads as `text`: equal for an integer, rounded to the written decimals
    otherwise."""
    value = Fraction(int(value)) if isinstance(value, sympy.Integer) else Fraction(value)
    if "." not in text:
        return value == number(text)
    places = len(text.split(".")[1])
    with localcontext() as ctx:
        ctx.prec = 80
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_EVEN) == Decimal(text)


def calls(precision: str, n: int, method: str = "hoeffding"):
    """Circuit calls per query for one observable (d_ctx = 1) at delta = 0.05."""
    return measurement_cost(precision, n, 1, method).circuit_calls


def test_shown_compares_at_the_written_precision():
    assert shown(Fraction(1204045, 1180448), "1.0200") and not shown(Fraction(102, 100), "1.0201")
    assert shown(1904, "1,904") and not shown(1905, "1,904") and shown(2**20, "2^20")


# --- README ------------------------------------------------------------------------------------


def test_readme_batching_factor_at_the_default_and_at_rel():
    """Executions of B queries batched / sequential, the derived Chernoff margin."""
    default, n, batch, _, rel_factor, rel = quote(
        "README.md",
        r"executions per head stay N x S \(x ([\d.]+) at N = (\d+), B = (\d+) under the "
        r"default `(abs:[\d.]+)`, x ([\d.]+) at `(rel:[\d.]+)`",
    )
    at_default = quote("README.md", r"\(x ([\d.]+) at N = \d+, B = \d+ under the default")[0]
    prec = quote("README.md", r"under the default `(abs:[\d.]+)`, x [\d.]+ at `rel")[0]
    assert shown(batch_measurement_cost(prec, int(n), int(batch)).ratio, at_default)
    assert shown(batch_measurement_cost(rel, int(n), int(batch)).ratio, rel_factor)
    assert default == at_default and not shown(
        batch_measurement_cost(rel, int(n), int(batch)).ratio, at_default
    )  # the two settings give two different factors: the sentence must name the right one


def test_readme_swap_network_t_gates_are_not_toffolis():
    n, b, toffoli, t_count, swaps = quote(
        "README.md",
        r"at N = ([\d,]+), b = (\d+) select-swap has ([\d,]+) Toffolis and ([\d,]+) T, "
        r"([\d,]+) of them from the swaps",
    )
    s = cost_summary(qram.build_symbolic("select-swap", int(number(n)), int(b)))
    c = DEFAULT_CONVENTIONS
    assert shown(s.toffoli, toffoli) and shown(s.t_count, t_count)
    # T gates that are neither Toffoli-class gates (4 T each) nor synthesized rotations: the
    # swap network's (test_readme_metric_table_says_what_each_model_counts shows which gates)
    assert shown(s.t_count - c.t_per_toffoli * s.toffoli - c.t_per_rotation * s.rotations, swaps)


_KINDS = {"Toffoli": "Toffoli", "And": "And", "controlled-SWAP": "TwoBitCSwap"}


def _census(bloq) -> tuple[Counter, int, int, int]:
    """(Toffoli-class leaves by gate name, T leaves inside CSwapApprox, other T leaves, bits
    swapped by CSwapApprox), walking the decomposition (not a closed form)."""
    from qualtran.bloqs.swap_network import CSwapApprox

    from qlaci_cost.core.leaves import leaf_class

    kinds: Counter = Counter()
    tally = {"swap_t": 0, "other_t": 0, "swapped_bits": 0}

    def walk(b, in_swap: bool) -> None:
        cls = leaf_class(b)
        if cls == "toffoli":
            kinds[type(b).__name__] += 1
        elif cls == "t":
            tally["swap_t" if in_swap else "other_t"] += 1
        elif cls is None:
            if isinstance(b, CSwapApprox) and not in_swap:
                tally["swapped_bits"] += int(b.bitsize)
            for inst in b.decompose_bloq().bloq_instances:
                walk(inst.bloq, in_swap or isinstance(b, CSwapApprox))

    walk(bloq, False)
    return kinds, tally["swap_t"], tally["other_t"], tally["swapped_bits"]


def _metric_table() -> list[tuple[list[str], str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    head = "| model | Toffoli-class gates in `toffoli` | T gates in `t_count` besides 4 per"
    assert head in text, "README.md lost its per-model metric table"
    lines = text[text.index(head) :].splitlines()[2:]
    rows = []
    for line in lines:
        if not line.startswith("|"):
            break
        model_cell, toffoli_cell, t_cell = [c.strip() for c in line.strip("|").split("|")]
        rows.append((re.findall(r"`([\w-]+)`", model_cell), toffoli_cell, t_cell))
    return rows


def test_readme_metric_table_says_what_each_model_counts():
    """Per model, the Toffoli-class gates the table names are the ones in the decomposition
    (and in `toffoli`); the T gates it names (Qualtran's approximate CSWAP, 4 T per swapped bit)
    are in `t_count` and not in `toffoli`. N = 8, b = 2 (select-swap and qroam-clean have one
    swap there)."""
    rows = _metric_table()
    listed = [m for models, _, _ in rows for m in models]
    assert sorted(listed) == sorted(qram.MODELS)
    c = DEFAULT_CONVENTIONS
    for models, toffoli_cell, t_cell in rows:
        for model in models:
            s = cost_summary(qram.build_symbolic(model, 8, 2))
            if qram.traits(model).ASSUMED_ORACLE:  # no circuit: the assumed Toffolis only
                assert "assumed" in toffoli_cell and t_cell == "none"
                assert s.toffoli > 0 and s.t_count == c.t_per_toffoli * s.toffoli
                continue
            bloq = qram.build(model, qram.model_class(model).worst_case_data(8, 2), 2)
            kinds, swap_t, other_t, swapped = _census(bloq)
            named = {_KINDS[w] for w in _KINDS if re.search(rf"(^|, ){re.escape(w)}(,|$)",
                                                             toffoli_cell)}  # fmt: skip
            assert set(kinds) == named, (model, dict(kinds), toffoli_cell)
            summary = cost_summary(bloq)
            assert summary.toffoli == sum(kinds.values()), model
            assert other_t == 0, model
            if "CSwapApprox" in t_cell:
                assert re.search(r"(\d+) T per swapped bit", t_cell).group(1) == "4"
                assert swapped > 0 and swap_t == 4 * swapped, (model, swap_t, swapped)
            else:
                assert t_cell == "none" and swap_t == 0, model
            assert summary.t_count == c.t_per_toffoli * summary.toffoli + swap_t + (
                c.t_per_rotation * summary.rotations
            ), model


def _cli_json(capsys, argv: list[str]) -> dict:
    from qlaci_cost.cli import main

    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_readme_default_precision_is_what_the_commands_use(capsys):
    from qlaci_cost.cli.main import build_parser
    from qlaci_cost.qlaci.crossover import DEFAULT_PRECISION

    (default,) = quote(
        "README.md",
        r"readout precision `(abs:[\d.]+)` \(an absolute error [\d.]+ on each read-out Pauli "
        r"expectation\) in `qlaci`, `estimate`, `plot` and `report`",
    )
    assert DEFAULT_PRECISION == default  # the report's and the claims' readout
    commands = {a.dest: a for a in build_parser()._actions if a.dest == "command"}[
        "command"
    ].choices
    for name in ("qlaci", "estimate", "plot"):
        assert f"default {default}" in " ".join(commands[name].format_help().split()), name
    # and what a run does: the shots of `qlaci` at its default are Hoeffding's at that eps
    doc = _cli_json(capsys, ["qlaci", "--n", "16", "--qram", "ideal", "--format", "json"])
    eps = default.split(":")[1]
    assert doc["rows"][0]["shots"] == hoeffding_shots(eps)
    for path in ("docs/design.md", "docs/derivations/shots.md"):
        said = quote(path, r"The command line, the report and the claims default to `([\w:.]+)`")
        assert said == (default,), path


def test_readme_bit_defaults_are_the_parsers():
    from qlaci_cost.cli.args import bits_from_args
    from qlaci_cost.cli.main import build_parser

    words, verify = quote(
        "README.md",
        r"`--word-bits` \(QRAM word, default (\d+) in `qram`, `plot` and `report`, (\d+) in "
        r"`verify`",
    )
    (component,) = quote("README.md", r"`--component-bits` \(QLACI K/V component, default (\d+)\)")
    parser = build_parser()
    plot = ["plot", "--what", "qram", "--out", "unused"]
    for argv, want in ((plot, words), (["report"], words), (["verify"], verify),
                       (["qlaci"], component)):  # fmt: skip
        assert bits_from_args(parser.parse_args(argv)) == int(want), argv
    # qram resolves its default when it builds the table (the parser leaves it unset)
    from qlaci_cost.cli.qram import run  # noqa: F401 - the subcommand exists

    help_text = " ".join(
        {a.dest: a for a in parser._actions if a.dest == "command"}["command"]
        .choices["qram"]
        .format_help()
        .split()
    )
    assert f"(default {words};" in help_text


def test_readme_qram_table_uses_the_word_bits_default(capsys):
    (words,) = quote("README.md", r"`--word-bits` \(QRAM word, default (\d+) in `qram`")
    doc = _cli_json(capsys, ["qram", "--n", "16", "--models", "qrom", "--format", "json"])
    assert doc["rows"][0]["bits"] == int(words)


def test_readme_qlam_defaults():
    from qlaci_cost.qlam.protocols import DEFAULT_CONFIG, DEFAULT_PRECISION

    m, d_in, layers, r, entangler, precision = quote(
        "README.md",
        r"\(defaults m = (\d+), d_in = (\d+), L = (\d+), r = (\d+), (\w+), K = m observables in "
        r"one group, (abs:[\d.]+)\)",
    )
    c = DEFAULT_CONFIG
    assert (c.m, c.d_in, c.layers, c.rotations) == (int(m), int(d_in), int(layers), int(r))
    assert c.entangler == entangler and c.n_observables == c.m and c.n_groups == 1
    assert str(DEFAULT_PRECISION) == precision
    theta, qlam_precision, delta, shots = quote(
        "docs/derivations/qlam.md",
        r"G = 1, k = K, theta = (pi/\d+), precision (abs:[\d.]+), delta = ([\d.]+) "
        r"\(S = ([\d,]+) Hoeffding shots\)",
    )
    assert c.theta == sympy.sympify(theta) and c.ancillas == c.n_observables
    assert qlam_precision == str(DEFAULT_PRECISION)
    assert shown(hoeffding_shots(qlam_precision.split(":")[1], delta), shots)


def test_readme_rotation_synthesis_default():
    name, slope, offset = quote(
        "README.md", r"\(`([\w-]+)` ([\d.]+) log2\(1/eps\) \+ ([\d.]+) by default"
    )
    model = ROTATION_MODELS[DEFAULT_CONVENTIONS.rotation_model]
    assert (model.name, model.slope, model.offset) == (name, float(slope), float(offset))


# --- docs: readout -----------------------------------------------------------------------------


def test_design_readout_numbers():
    default, shots, ae = quote(
        "docs/design.md",
        r"default to `(abs:[\d.]+)`, the accuracy the consumer of the attention output sees at "
        r"every N: with Hoeffding, delta = 0.05, one observable, ([\d,]+) shots per query at "
        r"every N \(amplitude estimation: ([\d,]+) calls\)",
    )
    for n in (16, 2**40):
        assert shown(calls(default, n), shots)
        assert shown(calls(default, n, "amplitude-estimation"), ae)
    rel, shots_1, n_1, shots_2, n_2, a1, a2 = quote(
        "docs/design.md",
        r"`(rel:[\d.]+)`: ([\d,]+) shots per query at N = ([\d,]+) and ([\d,]+) at N = ([\d,]+); "
        r"amplitude estimation needs ([\d,]+) and ([\d,]+) calls",
    )
    for count, n, ae_count in ((shots_1, n_1, a1), (shots_2, n_2, a2)):
        n = int(number(n))
        assert shown(calls(rel, n), count)
        assert shown(calls(rel, n, "amplitude-estimation"), ae_count)


def test_design_query_counts():
    toffoli, qubits, ideal = quote(
        "docs/design.md",
        r"with the bucket brigade has (\d+N - \d+) Toffoli-class gates and "
        r"(\d+N \+ log2 N \+ \d+) qubits; with `ideal`, (\d+ log2 N) Toffolis",
    )
    n = sympy.Symbol("N")

    def expr(text: str):
        text = re.sub(r"(\d)N", r"\1*N", text).replace("log2 N", "log(N, 2)")
        return sympy.sympify(re.sub(r"(\d) log", r"\1*log", text), locals={"N": n})

    for size in (16, 1024):
        bb = cost_summary(QLACIQuery(size, qram_model="bucket-brigade"))
        ideal_query = cost_summary(QLACIQuery(size, qram_model="ideal"))
        for value, text in ((bb.toffoli, toffoli), (bb.qubits, qubits),
                            (ideal_query.toffoli, ideal)):  # fmt: skip
            assert value == sympy.simplify(expr(text).subs(n, size)), (size, text)


def test_shots_derivation_numbers():
    path = "docs/derivations/shots.md"
    s1, s2 = quote(path, r"eps = 0.01, delta = 0.05: \*\*([\d,]+)\*\* shots \(`hoeffding_shots`\); "
                         r"eps = 0.001: ([\d,]+)")  # fmt: skip
    assert shown(hoeffding_shots("0.01", "0.05"), s1) and shown(hoeffding_shots("0.001"), s2)
    (clt,) = quote(path, r"eps = 0.01 gives \*\*([\d,]+)\*\* shots \(`clt_shots`\)")
    assert shown(clt_shots("0.01", "0.95"), clt)
    k5, k1 = quote(path, r"delta = 0.05: \*\*k = (\d+)\*\*; delta = 0.01: k = (\d+)")
    assert median_repetitions("0.05") == int(k5) and median_repetitions("0.01") == int(k1)
    (kh,) = quote(path, r"rounded up to odd: \*\*(\d+)\*\* at delta = 0.05")
    assert median_repetitions("0.05", "hoeffding") == int(kh)
    grid, per_run, k, total, pow2, m2 = quote(
        path,
        r"At eps = 0.01, delta = 0.05: M = ([\d,]+), 2M - 1 = ([\d,]+), k = (\d+): "
        r"\*\*([\d,]+)\*\* calls \(([\d,]+) with M rounded to ([\d,]+)\)",
    )
    ae = ae_calls("0.01", "0.05")
    assert shown(ae.grid_size, grid) and shown(ae.calls_per_repetition, per_run)
    assert ae.repetitions == int(k) and shown(ae.circuit_calls, total)
    rounded = ae_calls("0.01", "0.05", power_of_two=True)
    assert shown(rounded.grid_size, m2) and shown(rounded.circuit_calls, pow2)


def test_shots_derivation_default_and_table():
    path = "docs/derivations/shots.md"
    default, shots, ae_text = quote(
        path,
        r"At the default `(abs:[\d.]+)` \(delta = 0.05, d_ctx = 1\) a query needs ([\d,]+) "
        r"Hoeffding shots or ([\d,]+) amplitude-estimation calls at every N",
    )
    for n in (16, 2**40):
        assert shown(calls(default, n), shots)
        assert shown(calls(default, n, "amplitude-estimation"), ae_text)
    (rel,) = quote(path, r"Resolving one position's share \(`(rel:[\d.]+)`, delta = 0.05")
    text = (ROOT / path).read_text(encoding="utf-8")
    table = text[text.index("| N | Hoeffding shots | amplitude-estimation calls |") :]
    rows = [line for line in table.splitlines()[2:] if line.startswith("|")]
    assert len(rows) == 4
    for line in rows:
        n, hoeffding, ae = [c.strip() for c in line.strip("|").split("|")]
        n = int(number(n))
        assert shown(calls(rel, n), hoeffding), n
        assert shown(calls(rel, n, "amplitude-estimation"), ae), n


def test_qlaci_head_shots_at_abs():
    precision, shots = quote(
        "docs/derivations/qlaci.md", r"with `(abs:[\d.]+)` \(C = ([\d,]+) Hoeffding shots\)"
    )
    assert shown(calls(precision, 2**20), shots)


def test_multi_query_amplitude_estimation_batching():
    from qlaci_cost.qlaci.crossover import DEFAULT_PRECISION

    delta, b4, seq_b, k, seq4, b64, batch64, seq64 = quote(
        "docs/derivations/multi_query.md",
        r"At delta = ([\d.]+) this is ([\d,]+) runs for B = 4 \(vs (\d+) x (\d+) = ([\d,]+) "
        r"sequential\) and ([\d,]+) for B = (\d+) \(vs ([\d,]+)\)",
    )
    assert median_repetitions(delta) == int(k) and int(seq_b) == 4
    for batch, runs, sequential in ((4, b4, seq4), (int(batch64), b64, seq64)):
        cost = batch_measurement_cost(
            DEFAULT_PRECISION, 1024, batch, method="amplitude-estimation", delta=delta
        )
        assert shown(cost.runs, runs) and shown(cost.sequential_runs, sequential), batch


def test_table_lookup_figures_at_b_8():
    path = "docs/derivations/table-lookups.md"
    text = (ROOT / path).read_text(encoding="utf-8")
    table = text[text.index("| model | N | T count | qubits |") :]
    rows = [line for line in table.splitlines()[2:] if line.startswith("|")]
    assert len(rows) >= 5
    for line in rows:
        model, n, t_count, qubits = [c.strip().strip("`") for c in line.strip("|").split("|")]
        s = cost_summary(qram.build_symbolic(model, int(number(n)), 8))
        assert shown(s.t_count, t_count) and shown(s.qubits, qubits), (model, n)


@pytest.mark.parametrize("path", ["README.md", "docs/design.md", "docs/derivations/shots.md"])
def test_no_stale_default_is_quoted(path):
    """rel:0.1 is named only as the setting that resolves one position's share, never as the
    default."""
    text = " ".join((ROOT / path).read_text(encoding="utf-8").split())
    assert not re.search(r"default (is )?`?rel:0\.1", text), path
    assert "x 1.0005 at N = 1024, B = 64 under the default" not in text
