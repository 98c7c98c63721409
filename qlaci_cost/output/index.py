"""The report's `index.md`: the answer first (`answer`), then the evidence, each fact stated once.

Order: title; the answer (the crossover sentence, which claims hold under which QRAM model,
the largest caveat); the verdict matrix (claims x models, one symbol per cell); the figures
that carry the argument; conventions and assumptions (once); one block per table, each saying
what it describes (model, N, level, physical model); a gallery of every figure; the files;
numbered notes (rows they apply to are marked). Numbers people read go through
`qlaci_cost.core.numbers` (2^40, 73,778, 1.07e30); the CSV and JSON files keep exact values.
Every sentence of the answer is computed from the results, none is written in advance.
"""

import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple, Optional

from qlaci_cost.core.numbers import (
    MAX_DIGITS,
    count_text,
    duration_text,
    exponent_text,
    quantity_text,
    sci_text,
    size_text,
)
from qlaci_cost.output.answer import (
    HEADLINE_BASELINES,
    LEGEND,
    SYMBOLS,
    caveat_sentence,
    claims_sentence,
    crossover_sentence,
    label,
    matrix,
)
from qlaci_cost.output.captions import GROUP_CAPTIONS, Figures, figure_group, group_caption
from qlaci_cost.output.drawing import GALLERY_N
from qlaci_cost.output.summary import SUMMARY_COLUMNS, summary_rows
from qlaci_cost.symbolics.exact import decimal_text
from qlaci_cost.verdicts.claims import EVIDENCE

__all__ = [
    "LEGEND",
    "SYMBOLS",
    "IndexInputs",
    "build_index",
    "exactness_sentence",
    "family_block",
    "human",
]

TITLE = "# qlaci-cost report: QLACI attention under QRAM models"


class IndexInputs(NamedTuple):
    """Everything `build_index` reads (the report's computed stages)."""

    sizes: Sequence[int]
    bits: int
    conventions: Any
    qram: Any  # QRAMTable: rows, notes
    head: Sequence[Mapping]
    head_notes: Sequence[str]
    scaling: Sequence[Mapping]
    physical: Sequence[Mapping]
    cross: Any  # CrossoverResult
    claims: Any  # ClaimTable
    noise: Any  # NoiseTable
    files: Mapping[str, Sequence[str]]
    hardware: str
    physical_model: str
    precision: str
    extrapolated: Mapping[tuple, Optional[float]]  # (model, baseline) -> log2 N or None
    lead_figures: Sequence[str]
    extra_sections: Sequence[str] = ()
    #: Families judged over their own models: title -> their claim keys (a matrix each).
    axes: Mapping[str, Sequence[str]] = {}
    #: The `analysis.scenario.Scenario` every section was computed under (stated once).
    scenario: Any = None
    #: Break-even rows (`verdicts.breakeven`) behind the answer's cheapest flip.
    breakeven: Sequence[Mapping] = ()
    #: Where the report comes from (`output.provenance.Provenance`), stated under the answer.
    provenance: Any = None
    #: One QRAM query: why a fitted slope differs from its leading order (`plots.SlopeNote`s
    #: whose slope differs).
    slope_notes: Sequence[str] = ()


# --- numbers and cells -----------------------------------------------------------------------

#: A run of more digits than `MAX_DIGITS`: an exact integer no person reads (CSV and JSON keep
#: it); index.md shows it with 3 significant digits.
_LONG_INTEGER = re.compile(rf"(?<![\d.])\d{{{MAX_DIGITS + 1},}}(?![\d.])")


def _no_long_integers(text: str) -> str:
    """`text` with every integer of more than `MAX_DIGITS` digits as 3 significant digits
    (a note written by a model may carry an exact count; the page shows it as 6.81e18)."""
    return _LONG_INTEGER.sub(lambda m: sci_text(int(m.group())), text)


def _bounded(fam, models: Sequence[str]) -> tuple[frozenset, dict[str, frozenset]]:
    """(metrics every model of the family bounds, {model: the ones only it bounds}), read
    from the family's size-only bloqs (their `bounds`, else their class's `BOUNDS`)."""
    from qlaci_cost.core.family import family_models

    names = family_models(fam, models) or list(fam.models())
    each = {}
    for name in names:
        bloq = fam.symbolic(name)
        bounds = getattr(bloq, "bounds", None)
        each[name] = frozenset(getattr(type(bloq), "BOUNDS", ()) if bounds is None else bounds)
    common = frozenset.intersection(*each.values()) if each else frozenset()
    return common, {m: b - common for m, b in each.items() if b - common}


def exactness_sentence(models: Sequence[str]) -> str:
    """What the report's counts are, from the models' traits: closed forms evaluated exactly,
    except the metrics each family's size-only bloq lists as upper bounds (`BOUNDS`: a QRAM
    model's closed-form bound, the QLACI query's and QLAM step's block-scheduled depths, and
    what they pass on to heads and multi-query circuits); an assumed oracle's cost is
    assumed, not counted."""
    from qlaci_cost.core.family import families
    from qlaci_cost.core.summary import METRICS
    from qlaci_cost.qram import traits

    def named(metrics) -> str:
        return ", ".join(m for m in METRICS if m in metrics)

    parts = []
    for fam in families():
        common, own = _bounded(fam, models)
        said = [f"{named(common)} (every model)"] if common else []
        said += [f"{named(b)} ({m})" for m, b in own.items()]
        if said:
            parts.append(f"{fam.ROW_UNIT}: " + " and ".join(said))
    text = "Counts are closed forms evaluated exactly at each N" + (
        ", except upper bounds (the models' BOUNDS): " + "; ".join(parts) if parts else ""
    )
    assumed = [m for m in models if traits(m).ASSUMED_ORACLE]
    if assumed:
        text += f". The {', '.join(assumed)} QRAM's costs are assumed, not counted"
    return text + ". Times are surface-code estimates."


def human(column: str, value: Any) -> str:
    """A table value as a person reads it: sizes as 2^k, counts exact below 10^7 and with 3
    significant digits above, reals with 3 significant digits, true/false as yes/no."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if column == "N" and isinstance(value, int):
        return size_text(value)
    if isinstance(value, int):
        return count_text(value)
    if isinstance(value, (float, Fraction)):
        return quantity_text(value)
    return " ".join(str(value).split()).replace("|", r"\|")


def constant_columns(rows: Sequence[Mapping], columns: Sequence[str]) -> list[str]:
    """The columns after the first (the row's name) whose human value is the same, and not
    empty, in every one of two or more `rows`: stated once under the table, not repeated."""
    if len(rows) < 2:
        return []
    out = []
    for c in columns[1:]:
        values = {human(c, row.get(c)) for row in rows}
        if len(values) == 1 and values != {""}:
            out.append(c)
    return out


def _table(rows: Sequence[Mapping], columns: Sequence[str], marks=None, header=None) -> str:
    """A Markdown table of `rows` with human numbers; `marks(row)` -> ' [n]' after the model.
    A column with one value in every row is not shown; a line under the table states it."""
    head = list(header or columns)
    same = constant_columns(rows, columns)
    keep = [i for i, c in enumerate(columns) if c not in same]
    lines = ["| " + " | ".join(head[i] for i in keep) + " |", "|" + "---|" * len(keep)]
    for row in rows:
        cells = [human(c, row.get(c)) for c in columns]
        if marks is not None:
            cells[0] += marks(row)
        lines.append("| " + " | ".join(cells[i] for i in keep) + " |")
    if same:
        stated = "; ".join(f"{head[columns.index(c)]} = {human(c, rows[0].get(c))}" for c in same)
        lines += ["", f"*In every row: {stated}.*"]
    return "\n".join(lines)


class _Notes:
    """Numbered notes, each text once; `ref(text)` gives its number."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def ref(self, text: str) -> int:
        text = " ".join(str(text).split())
        if text not in self.texts:
            self.texts.append(text)
        return self.texts.index(text) + 1

    def refs(self, texts: Sequence[str]) -> str:
        numbers = sorted({self.ref(t) for t in texts})
        return ", ".join(f"[{n}]" for n in numbers)


def _split_notes(notes: Sequence[str], models: Sequence[str]) -> tuple[list[str], dict]:
    """(notes about the whole table, {model: [its own notes]}) for notes written as
    '<model>: text' (kept as 'text', so the same text for several models is one note) or
    '<model> QRAM: text' (kept whole)."""
    shared, own = [], {}
    for note in notes:
        for m in sorted(models, key=len, reverse=True):
            if note.startswith(f"{m}: "):
                text = note[len(m) + 2 :]
                own.setdefault(m, []).append(text[0].upper() + text[1:])
                break
            if note.startswith(f"{m} QRAM: "):
                own.setdefault(m, []).append(note)
                break
        else:
            shared.append(note)
    return shared, own


def _model_marks(own: Mapping[str, list[str]], notes: _Notes):
    def marks(row: Mapping) -> str:
        mine = own.get(row.get("model"), [])
        return " " + notes.refs(mine) if mine else ""

    return marks


def _caption(what: str, notes: _Notes, shared: Sequence[str]) -> str:
    refs = notes.refs(shared) if shared else ""
    return f"*{what}.*" + (f" Notes {refs}." if refs else "")


# --- the blocks ------------------------------------------------------------------------------


def _conventions(inp: IndexInputs, shots: Optional[int]) -> list[str]:
    described = " ".join(inp.conventions.describe().split())
    lines = []
    if inp.scenario is not None:
        lines.append(
            "- **Scenario** (every section of this report is computed under it; the manifest "
            "records it): " + "; ".join(inp.scenario.describe_lines()) + "."
        )
    lines.append(f"- **Counting:** {described.removeprefix('Conventions: ')}")
    method = inp.scenario.method if inp.scenario is not None else "hoeffding"
    delta = decimal_text(inp.scenario.delta) if inp.scenario is not None else "0.05"
    if shots is not None:
        lines.append(
            f"- **Readout:** head totals and crossovers use precision {inp.precision} per Pauli "
            f"expectation ({method}, delta = {delta}: {count_text(shots)} shots per observable), "
            "the setting most favourable to the quantum head; resolving one position's 1/N "
            "share (rel:0.1, `qlaci-cost qlaci --precision rel:0.1`) multiplies the shots by "
            "~N^2. Queries and shots run one after another on one machine."
        )
    for a in inp.cross.assumptions:
        text = " ".join(a.split())
        if text != described:
            lines.append(f"- {text[0].upper()}{text[1:]}")
    return lines


def _scaling(inp: IndexInputs, notes: _Notes) -> list[str]:
    out = []
    for family, what in (
        ("QRAM query", "One QRAM query (N = memory cells): leading order and fitted slope"),
        ("QLACI head", "One QLACI head (N = sequence length): fitted slope of the totals"),
    ):
        rows = [r for r in inp.scaling if r["family"] == family]
        metrics = list(dict.fromkeys(r["metric"] for r in rows))
        models = list(dict.fromkeys(r["model"] for r in rows))
        if not rows:
            continue
        cell = {
            (r["model"], r["metric"]): " ".join(
                t for t in (r["leading_order"], r["slope"]) if t and t != "n/a"
            )
            or "n/a"
            for r in rows
        }
        pivot = [{"model": m, **{k: cell[(m, k)] for k in metrics}} for m in models]
        out += [
            f"*{what} over the top decade of the grid.*",
            "",
            _table(pivot, ["model", *metrics]),
            "",
        ]
    return out


def _physical(inp: IndexInputs, notes: _Notes) -> list[str]:
    rows = []
    for r in inp.physical:
        est = r["_estimate"]
        if est.valid:
            rows.append({**r, "runtime": duration_text(Fraction(est.runtime_s)), "valid": "yes"})
        else:  # not an estimate: no number of it is shown
            ref = notes.refs([est.invalid_reason])
            rows.append({**r, "runtime": f"invalid {ref}", "valid": f"no {ref}"})
    columns = [
        "model",
        "N",
        "physical_qubits",
        "code_distance",
        "factories",
        "runtime",
        "limited_by",
        "lower_bound",
        "valid",
    ]
    out = [
        f"*One QLACI head (N queries, shots included) per QRAM model, surface code, physical "
        f"model {inp.physical_model}{_scope_text(inp)}; N = sequence length; valid = no: outside "
        "the model's error budget, not an estimate (its numbers are not shown; the note says "
        "why).*",
        "",
        _table(rows, columns),
        "",
    ]
    pick = _detail_row(inp)
    if pick is not None:
        est = pick["_estimate"]
        described = " ".join(inp.conventions.describe().split())
        text = "\n".join(
            line for line in est.describe().splitlines() if " ".join(line.split()) != described
        )
        out += [
            f"Detail: one QLACI head, {pick['model']} QRAM, N = {size_text(pick['N'])}, "
            f"physical model {inp.physical_model} (counting conventions as above):",
            "",
            "```text",
            text,
            "```",
            "",
        ]
    return out


def _scope_text(inp: IndexInputs) -> str:
    """What the error budget covers, from the scenario (docs/derivations/error-budget.md)."""
    if inp.scenario is None:
        return ""
    if inp.scenario.budget_scope == "run":
        return ", error budget per circuit run (one run estimated, its time x the runs)"
    return ", one error budget for all runs of the head"


def _detail_row(inp: IndexInputs) -> Optional[Mapping]:
    """The physical row behind the closest call of the crossover (else the first valid row;
    None when no row is a valid estimate)."""
    valid = [row for row in inp.physical if row["_estimate"].valid]
    records = [r for r in inp.cross.records if r["ratio"] is not None]
    if records:
        closest = min(records, key=lambda r: r["ratio"])
        for row in valid:
            if row["model"] == closest["model"] and row["N"] == closest["N"]:
                return row
    return valid[0] if valid else None


def _crossover(inp: IndexInputs, notes: _Notes) -> list[str]:
    cross = inp.cross
    models = list(dict.fromkeys(r["model"] for r in cross.records))
    baselines = list(dict.fromkeys(r["baseline"] for r in cross.records))
    assumed = {r["model"] for r in cross.records if r["qram"] != "circuit"}
    cell: dict[tuple, str] = {}
    qubits: dict[str, Any] = {}
    for r in cross.records:
        text = r["verdict"].replace("none up to", "none ≤")
        if r["ratio"] is not None:
            text += f" · {quantity_text(r['ratio'])}×"
            if r["margin"] is not None and r["margin"] < r["ratio"]:
                text += f" (min {quantity_text(r['margin'])}×)"
        elif r["margin"] is not None:
            text += f" · min {quantity_text(r['margin'])}×"
        invalid = _invalid_points(cross, r["model"])
        if invalid:
            where = ", ".join(size_text(q.N) for q in invalid)
            text += f" · invalid at {where} {notes.refs([q.invalid_reason for q in invalid])}"
        k = inp.extrapolated.get((r["model"], r["baseline"]))
        if k is not None:
            text += f" · ≈{exponent_text(round(k))} ext."
        if r["established"] != "yes":
            text += f" ({r['established']})"
        cell[(r["model"], r["baseline"])] = text
        qubits[r["model"]] = (
            r["physical_qubits"]
            if r["quantum_valid"]
            else f"invalid {notes.refs([r['invalid_reason']])}"
        )
    rows = [
        {
            "model": label(m, assumed),
            **{b: cell[(m, b)] for b in baselines},
            "physical_qubits": qubits[m],
        }
        for m in models
    ]
    shared, own = _split_notes(cross.notes, models)
    top = size_text(max(inp.sizes))
    return [
        f"*One QLACI head vs one classical attention head on an {inp.hardware}, physical model "
        f"{inp.physical_model}, precision {inp.precision}; N = sequence length. Cell: the "
        f"crossover N (or none up to the largest N with a valid estimate) · runtime ratio "
        f"quantum / classical at {top} (the smallest over the grid when lower) · invalid at "
        "2^k [n]: no estimate within the model's error budget there (not an estimate: no "
        "ratio, no physical qubits; the note says why) · ≈2^k ext.: where the top-decade "
        "trend would cross (extrapolated, not computed); physical_qubits at the last N.* "
        + (f"Notes {notes.refs(shared + sum(own.values(), []))}." if cross.notes else ""),
        "",
        _table(rows, ["model", *baselines, "physical_qubits"]),
        "",
    ]


def _invalid_points(cross, model: str) -> list:
    """The quantum points of `model` outside their error budget (not estimates)."""
    return [q for q in cross.quantum.get(model, ()) if q.within_budget is False]


def _noise(inp: IndexInputs, notes: _Notes) -> list[str]:
    top = max(inp.sizes)
    rows = [dict(r) for r in inp.noise.rows if r["N"] == top]
    for r in rows:
        r["source"] = notes.refs([r["source"]]) if r.get("source") else ""
    columns = [c for c in (rows[0] if rows else ()) if c != "N"]
    shared, own = _split_notes(inp.noise.notes, [r["model"] for r in rows])
    return [
        _caption(
            f"One QRAM query per model at N = {size_text(top)} memory cells, first-order "
            "infidelity; source: the note of each row",
            notes,
            shared,
        ),
        "",
        _table(rows, columns, _model_marks(own, notes)),
        "",
    ]


def family_block(title: str, rows, columns, notes, top, csv_name: str) -> str:
    """The index section of a registered family's table: its rows at the largest N."""
    shown = [c for c in columns if c != "N"]
    what = f"rows at N = {size_text(top)}" if top is not None else "no rows"
    lines = [f"## {title}", "", f"*{what}; every size and the notes are in {csv_name}.*", ""]
    if rows:
        lines.append(_table(rows, shown))
    return "\n".join(lines)


def _gallery(files: Sequence[str]) -> list[str]:
    groups: dict[str, dict[str, list[str]]] = {}
    for f in files:
        stem, ext = Path(f).stem, Path(f).suffix[1:]
        group = figure_group(stem)
        groups.setdefault(group, {}).setdefault(stem, []).append(f"[{ext}]({f})")
    lines = ["| figures | what | files |", "|---|---|---|"]
    for group, stems in groups.items():
        links = " · ".join(
            (f"{stem.split('_', 1)[1]} " if group != stem else "") + " ".join(sorted(exts))
            for stem, exts in stems.items()
        )
        lines.append(f"| {group} | {GROUP_CAPTIONS.get(group, group)} | {links} |")
    return lines


def _files(files: Mapping[str, Sequence[str]]) -> list[str]:
    lines = ["This report as one web page: [index.html](index.html).", ""]
    lines += ["| table | csv | notes | tex | json |", "|---|---|---|---|---|"]
    for key, names in files.items():
        if key == "figures":
            continue
        by_ext = {}
        for n in names:
            kind = "notes" if n.endswith(".notes.md") else Path(n).suffix[1:]
            by_ext[kind] = f"[{n}]({n})"
        stem = Path(names[0]).stem
        lines.append(
            f"| {stem} | "
            + " | ".join(by_ext.get(k, "") for k in ("csv", "notes", "tex", "json"))
            + " |"
        )
    return lines


# --- the whole page --------------------------------------------------------------------------


def _answer(inp: IndexInputs, models: list[str], figs: Figures) -> list[str]:
    """The title, the answer in sentences and the verdict matrices (main claims, then each
    other family's), their legend and the lead figures."""
    other_keys = {k: t for t, keys in inp.axes.items() for k in keys}
    main_rows = [r for r in inp.claims.rows if r["key"] not in other_keys]
    other: dict[str, list] = {}
    for r in inp.claims.rows:
        if r["key"] in other_keys:
            other.setdefault(other_keys[r["key"]], []).append(r)
    evidence = evidence_files(inp.files)
    parts = [
        TITLE,
        "",
        f"{len(models)} QRAM models, N = {size_text(min(inp.sizes))} .. "
        f"{size_text(max(inp.sizes))} "
        f"({len(inp.sizes)} sizes; N = sequence length = memory cells of the QRAM). "
        + exactness_sentence(models),
        "",
        "## The answer",
        "",
        "- " + crossover_sentence(inp, figs.cite),
        "- " + caveat_sentence(inp.claims, inp.sizes),
        "",
        "**What if?** [explorer.html](explorer.html), [its closed forms](explorer.json).\n",
        *_summary(inp),
        "### Verdicts: claims × QRAM models",
        "",
        LEGEND + ".",
        "",
        matrix(main_rows, evidence),
        "",
    ]
    for title, rows in other.items():
        parts += [f"*{title}: claims × its models.*", "", matrix(rows, evidence), ""]
    parts += ["In words:", "", "- " + claims_sentence(main_rows)]
    parts += [f"- {claims_sentence(rows, title.split(':')[0])}" for title, rows in other.items()]
    parts += ["", *_closest(inp.claims.rows)]
    parts += figs.uncited(figure_captions(inp))
    return parts


def figure_captions(inp: IndexInputs) -> dict[str, str]:
    """The caption of every figure the report drew, by stem: its group's caption, made
    specific where the stem names a baseline or a model."""
    out = {}
    for f in inp.files.get("figures", ()):
        stem = Path(f).stem
        group, rest = figure_group(stem), stem.partition("_")[2]
        text = group_caption(stem)
        if group == "crossover":
            text = (
                f"Runtime of one quantum head divided by that of one {rest} head on "
                f"{inp.hardware} (roofline) against N (sequence length), one line per QRAM "
                "model: below 1 the quantum head is faster"
            )
        elif group == "tornado":
            text = f"{text} ({rest} QRAM)"
        elif group == "bloq":
            text = f"{text}: {rest}, N = {GALLERY_N}"
        elif group == "qram":
            text = (
                f"The {rest} of one QRAM query against N (memory cells), one line per model: "
                "its closed form at every size of the grid, with the fitted slope over the top "
                "decade"
            )
        elif group == "head":
            text = (
                f"The {rest} of one QLACI head (N queries, shots included) against N (sequence "
                "length), one line per QRAM model"
            )
        out[stem] = text + (_slope_caption(inp.slope_notes, rest) if group == "qram" else "")
    return out


def _why(note: Any) -> str:
    """A slope note's reason, without its signed size ("from rounding in the closed form ...")."""
    reason = note.note.split("): ", 1)[-1].rstrip(".")
    return re.sub(r"^[+-]?\d+(?:\.\d+)? ", "", reason)


def _slopes_explained(slope_notes: Sequence[Any]) -> list[str]:
    """Why a fitted slope of one query differs from its leading order by more than the
    tolerance: one bullet per set of models with the same slopes and reason ([] when every
    slope is within tolerance of its order)."""
    per_model: dict[str, list] = {}
    for n in slope_notes:
        per_model.setdefault(n.model, []).append((n.order, _why(n), n.metric, f"{n.fitted:.2f}"))
    groups: dict[tuple, list[str]] = {}
    for model, parts in per_model.items():
        groups.setdefault(tuple(parts), []).append(model)
    lines = []
    for parts, models in groups.items():
        by_reason: dict[tuple, dict[str, list[str]]] = {}
        for order, why, metric, slope in parts:
            by_reason.setdefault((order, why), {}).setdefault(slope, []).append(metric)
        for (order, why), slopes in by_reason.items():
            fitted = "; ".join(f"{', '.join(ms)} {s}" for s, ms in slopes.items())
            lines.append(f"- {', '.join(models)}: {fitted} against {order}, {why}.")
    if not lines:
        return []
    head = "Where a fitted slope of one query differs from its leading order by more than 0.05:"
    return [head, "", *lines, ""]


def _slope_caption(notes: Sequence[Any], metric: str) -> str:
    """The caption's pointer to the scaling section for `metric`'s differing slopes."""
    mine = [n for n in notes if n.metric == metric]
    if not mine:
        return ""
    models = ", ".join(dict.fromkeys(n.model for n in mine))
    slopes = "/".join(dict.fromkeys(f"{n.fitted:.2f}" for n in mine))
    return (
        f"; {models}: fitted slope {slopes} against {mine[0].order}, "
        "a difference the scaling section explains"
    )


def evidence_files(files: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Claim key -> the first of its `EVIDENCE` files the report wrote (figures: png or svg
    first, any format else)."""
    written = [f for names in files.values() for f in names]
    out = {}
    for key, candidates in EVIDENCE.items():
        for c in candidates:
            found = [f for f in written if f == c or str(Path(f).with_suffix("")) == c]
            found.sort(key=lambda f: Path(f).suffix not in (".png", ".svg"))
            if found:
                out[key] = found[0]
                break
    return out


#: Claims whose best case comes closest to a quantum advantage, shown with their numbers:
#: the hybrid global-token head, QLAM against an SSM scan, data-parallel QPUs.
CLOSEST_CLAIMS = ("global-tokens", "cheaper-than-ssm", "data-parallel")


def _closest(rows: Sequence[Mapping]) -> list[str]:
    """The closest results, each as its best model's evidence (an assumed oracle first, the
    model the proposal's cost model favours), from claims.csv."""
    out = []
    for key in CLOSEST_CLAIMS:
        mine = [r for r in rows if r["key"] == key]
        if not mine:
            continue
        best = next((r for r in mine if r["qram"] != "circuit"), mine[0])
        out.append(
            f"- **{best['claim']}** ({best['model']}: {best['verdict']}): {best['evidence']}"
        )
    if not out:
        return []
    return ["### Closest results", "", *out, "", "Every model's evidence: claims.csv.", ""]


def _summary(inp: IndexInputs) -> list[str]:
    """The summary table (`output.summary`) under its heading, with the provenance."""
    classical = {b: inp.cross.classical[b] for b in HEADLINE_BASELINES if b in inp.cross.classical}
    rows = summary_rows(inp.physical, inp.head, classical, inp.cross.sizes) if classical else []
    out = []
    if rows:
        out = [
            "### Summary: one QLACI head, the fastest circuit QRAM and the assumed ideal",
            "",
            _table(rows, SUMMARY_COLUMNS),
            "",
            f"*Physical estimates under {inp.physical_model}{_scope_text(inp)}; the fastest "
            f"classical method among {', '.join(classical)} on {inp.hardware} (roofline). Exact "
            "values: physical.csv, crossover.csv.*",
            "",
        ]
    if inp.provenance is not None:
        out += [*inp.provenance.lines(), ""]
    return out


def _figure_after(stem: str, what: str, inp: IndexInputs, figs: Figures) -> list[str]:
    """A sentence citing one figure and the figure under it ([] when the report drew none)."""
    figure = figs.cite(stem)
    if not figure:
        return []
    return [f"{what}: {figure}.", "", *figs.show(stem, figure_captions(inp)[stem])]


def _qram_section(inp: IndexInputs, notes: _Notes, models: list[str], figs: Figures) -> list[str]:
    """One QRAM query per model at the largest N, and its Toffoli count against N."""
    top = max(inp.sizes)
    qram_shared, qram_own = _split_notes(inp.qram.notes, models)
    qram_rows = [r for r in inp.qram.rows if r["N"] == top]
    qram_cols = [c for c in (qram_rows[0] if qram_rows else ()) if c not in ("N", "bits")]
    return [
        "## QRAM models: one query",
        "",
        _caption(
            f"One QRAM query (a load of {inp.bits}-bit words) per model at N = "
            f"{size_text(top)} memory cells; every size is in the CSV",
            notes,
            qram_shared,
        ),
        "",
        _table(qram_rows, qram_cols, _model_marks(qram_own, notes)),
        "",
        *_figure_after("qram_toffoli", "The Toffoli count of one query at every size", inp, figs),
    ]


def _head_section(inp: IndexInputs, notes: _Notes, models: list[str]) -> list[str]:
    """One QLACI head per QRAM model at the largest N."""
    top = max(inp.sizes)
    head_shared, head_own = _split_notes(inp.head_notes, models)
    head_rows = [r for r in inp.head if r["N"] == top]
    head_cols = [
        "model",
        "qubits",
        "toffoli",
        "t_count",
        "depth",
        "shots",
        "total_toffoli",
        "total_t_count",
        "total_toffoli_depth",
        "total_depth",
    ]
    return [
        "## QLACI head: N queries, shots included",
        "",
        _caption(
            f"One QLACI head at N = {size_text(top)} (sequence length), QRAM model per "
            f"row, precision {inp.precision}; qubits .. depth: one run of the query "
            "circuit; total_*: the whole head",
            notes,
            head_shared,
        ),
        "",
        _table(head_rows, head_cols, _model_marks(head_own, notes)),
        "",
    ]


def build_index(inp: IndexInputs) -> str:
    """index.md from the computed stages (see the module docstring for the order)."""
    notes = _Notes()
    figs = Figures(inp.files.get("figures", ()))
    models = list(dict.fromkeys(r["model"] for r in inp.qram.rows))
    shots = next((r["shots"] for r in inp.head), None)
    parts = _answer(inp, models, figs)
    parts += ["## Conventions and assumptions", ""] + _conventions(inp, shots) + [""]
    claim_shared = [n for n in inp.claims.notes if n not in inp.cross.notes]
    parts += [
        "## Scaling: growth of each metric (the verdicts' evidence)",
        "",
        *_scaling(inp, notes),
        *_slopes_explained(inp.slope_notes),
        f"Per-row evidence (leading order, slope and value of every metric behind each verdict) "
        f"is in claims.csv. Notes {notes.refs(claim_shared)}."
        if claim_shared
        else "",
        "",
    ]
    parts += _qram_section(inp, notes, models, figs)
    parts += _head_section(inp, notes, models)
    parts += [
        "## Physical estimates",
        "",
        *_physical(inp, notes),
        *_figure_after("frontier", "The space-time trade-off of the largest estimate", inp, figs),
        "## Crossover against classical attention",
        "",
        *_crossover(inp, notes),
        "## Noise: per-query infidelity",
        "",
        *_noise(inp, notes),
    ]
    for section in inp.extra_sections:
        parts += [section, ""]
    parts += ["## Figures", "", *_gallery(inp.files.get("figures", ())), ""]
    parts += ["## Files", "", *_files(inp.files), ""]
    parts += ["## Notes", ""] + [f"{i}. {t}" for i, t in enumerate(notes.texts, 1)]
    return _no_long_integers("\n".join(parts).rstrip("\n") + "\n")
