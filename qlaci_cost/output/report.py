"""The full report: tables, figures and verdicts in one folder, written atomically.

`write_report(out, sizes)` checks that `out` is new, empty or a report of ours (the manifest
rule of `qlaci_cost.output.files`), computes every stage, renders it into a temporary folder
beside `out` and only then moves the files in, so a failure leaves the existing report
untouched and nothing a user put in `out` is ever deleted or overwritten. The same inputs give
byte-identical files (no dates, fixed plot metadata, sorted output). Every stage is computed
under one `analysis.scenario.Scenario`, stated once in index.md and in each table's notes
file, and recorded in the manifest (`scenario`), so `Scenario.from_dict` of that entry
regenerates the report.
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence

from attrs import Factory, define

from qlaci_cost.analysis.baselines import CROSSOVER_BASELINES
from qlaci_cost.analysis.classical import get_baseline, get_hardware
from qlaci_cost.analysis.noise import noise_table
from qlaci_cost.analysis.scenario import Scenario, fold_legacy
from qlaci_cost.core.family import FamilyClaims, FamilyRows, as_claims, families, family_models
from qlaci_cost.core.grids import DEFAULT_SIZES
from qlaci_cost.core.progress import Progress
from qlaci_cost.core.summary import METRICS
from qlaci_cost.errors import InputError
from qlaci_cost.output.answer import HEADLINE_BASELINES
from qlaci_cost.output.drawing import draw_gallery, gallery_files
from qlaci_cost.output.explorer import DATA_NAME as EXPLORER_DATA
from qlaci_cost.output.explorer import PAGE_NAME as EXPLORER_PAGE
from qlaci_cost.output.explorer import simulation_verdicts, write_explorer
from qlaci_cost.output.figure_cache import Drawer, draw
from qlaci_cost.output.files import MANIFEST, FolderError, check_out_folder, publish
from qlaci_cost.output.html import render_html
from qlaci_cost.output.index import IndexInputs, build_index, family_block
from qlaci_cost.output.latex import latex_table
from qlaci_cost.output.plots import (
    extrapolated_crossover,
    plot_crossover,
    plot_frontier,
    plot_head_vs_classical,
)
from qlaci_cost.output.plots.metrics import plot_metrics_of_forms
from qlaci_cost.output.plots.slopes import head_closed_forms, query_closed_forms, slope_notes
from qlaci_cost.output.plots.tornado import plot_tornado, tornado_bars
from qlaci_cost.output.provenance import provenance
from qlaci_cost.output.report_rows import frontiers, physical_rows, scaling_rows
from qlaci_cost.output.tables import render
from qlaci_cost.output.training_section import AXIS as TRAINING_AXIS
from qlaci_cost.output.training_section import COLUMNS as TRAINING_COLUMNS
from qlaci_cost.output.training_section import TITLE as TRAINING_TITLE
from qlaci_cost.output.training_section import training_block
from qlaci_cost.qram import MODELS
from qlaci_cost.qram.table import qram_rows
from qlaci_cost.verdicts.breakeven import COLUMNS as BREAKEVEN_COLUMNS
from qlaci_cost.verdicts.breakeven import breakeven
from qlaci_cost.verdicts.claims import claim_table
from qlaci_cost.verdicts.head import crossover, head_rows
from qlaci_cost.verdicts.training import training_results

__all__ = ["DEFAULT_SIZES", "MANIFEST", "STAGES", "ReportError", "planned_files", "write_report"]

#: The default grid: N = 2^4 .. 2^40, doubling.
QRAM_COLUMNS = ("model", "N", "bits") + METRICS
HEAD_COLUMNS = (
    "model",
    "N",
    "qubits",
    "toffoli",
    "t_count",
    "depth",
    "shots",
    "total_toffoli",
    "total_t_count",
    "total_toffoli_depth",
    "total_depth",
)
PHYSICAL_COLUMNS = (
    "model",
    "N",
    "physical_qubits",
    "code_distance",
    "factories",
    "runtime_s",
    "limited_by",
    "lower_bound",
    "valid",
    "budget_scope",
)
#: What each table file holds (the first line of its notes sidecar).
_TITLES = {
    "qram": "one QRAM query (a load of b-bit words from N memory cells) per model and N",
    "head": "one QLACI head (N queries, shots included) per QRAM model and sequence length N",
    "scaling": "fitted top-decade log-log slope and leading order per family, model and metric",
    "physical": "surface-code estimate of one QLACI head per QRAM model at selected N",
    "crossover": "first N at which one QLACI head beats a classical attention head, per "
    "QRAM model and classical baseline",
    "claims": "verdict of each complexity claim of the QLACI proposal per QRAM model",
    "noise": "first-order infidelity of one QRAM query per model and N",
    "breakeven": "each knob's value at which one QLACI head breaks even with the strongest "
    "streaming classical methods, at the largest N",
}
#: Stage names in order, as the progress line shows them.
STAGES = (
    "QRAM table",
    "QLACI head table",
    "scaling fits",
    "physical estimates",
    "crossover",
    "claims",
    "noise",
    "figures",
    "index",
)


#: An output folder that cannot (or must not) be written: one line, names the path.
ReportError = FolderError


#: The table files of a report, one stem each (as `write_report` names them).
_TABLE_STEMS = (
    "qram_table",
    "qlaci_head",
    "scaling",
    "physical",
    "crossover",
    "claims",
    "noise",
    "training_table",
    "breakeven",
)


def planned_files(formats: Sequence[str], models: Sequence[str] = MODELS) -> list[str]:
    """Every file a report of `models` with figures in `formats` may write, relative to its
    folder (a superset: a figure with nothing to draw is left out of the run), so that a
    user's file of one of these names is refused before any work."""
    stems = list(_TABLE_STEMS) + [
        f"{fam.NAME.replace('-', '_')}_table" for fam in families() if fam.REPORT_TABLE
    ]
    names = ["index.md", "index.html", EXPLORER_PAGE, EXPLORER_DATA] + [
        f"{s}.{x}" for s in stems for x in ("csv", "notes.md", "tex", "json")
    ]
    figures = [f"qram_{m}" for m in METRICS] + [f"crossover_{b}" for b in CROSSOVER_BASELINES]
    figures += [f"head_{c}" for c in HEAD_COLUMNS if c.startswith("total_")]
    figures += ["head_vs_classical", "frontier"] + [f"tornado_{m}" for m in models]
    names += [f"figures/{f}" for f in gallery_files(formats)]  # pictures of bloqs
    return names + [f"figures/{f}.{fmt}" for f in figures for fmt in formats]


def _check_out(out: "str | os.PathLike", formats: Sequence[str], models: Sequence[str]) -> Path:
    """Before any work: `out` may receive every file of the report (`files.check_out_folder`
    with `planned_files`). Returns `out` as a Path."""
    return check_out_folder(out, planned_files(formats, models))


def _write(folder: Path, name: str, text: str) -> str:
    (folder / name).write_text(text, encoding="utf-8")
    return name


def _tables(
    folder: Path, stem: str, title: str, rows, columns, notes, conventions, scenario=None
) -> list[str]:
    """CSV (plain: header first), its notes sidecar, LaTeX and JSON of one table; the names.

    The CSV holds only the header and the rows, so `pandas.read_csv` and spreadsheets read it
    with default settings; what it describes, the scenario, the conventions and the notes go
    to `<stem>.notes.md` beside it (and stay in the LaTeX comments and the JSON)."""
    names = [_write(folder, f"{stem}.csv", render(rows, columns, "csv"))]
    sidecar = _sidecar(stem, title, columns, notes, conventions, scenario)
    names.append(_write(folder, f"{stem}.notes.md", sidecar))
    if scenario is not None:
        notes = [scenario.note(), *notes]
    tex = latex_table(rows, columns, stem, title, notes, conventions)
    names.append(_write(folder, f"{stem}.tex", tex))
    names.append(_write(folder, f"{stem}.json", render(rows, columns, "json", notes, conventions)))
    return names


def _sidecar(stem: str, title: str, columns, notes, conventions, scenario=None) -> str:
    """The notes file of `<stem>.csv`: what it holds, its columns, the scenario, conventions
    and notes."""
    lines = [f"# {stem}.csv: {title}", "", "Columns: " + ", ".join(f"`{c}`" for c in columns)]
    if scenario is not None:
        lines += ["", "## Scenario", "", scenario.note()]
    if conventions is not None:
        lines += ["", "## Conventions", "", " ".join(conventions.describe().split())]
    if notes:
        lines += ["", "## Notes", ""] + [f"- {' '.join(str(n).split())}" for n in notes]
    return "\n".join(lines) + "\n"


def write_report(
    out: "str | os.PathLike" = "reports",
    sizes: Iterable[int] = DEFAULT_SIZES,
    models: Sequence[str] = MODELS,
    scenario: Optional[Scenario] = None,
    formats: Sequence[str] = ("png", "pdf"),
    progress: Optional[Any] = sys.stderr,
    clock: Callable[[], float] = time.perf_counter,
    command: Optional[Sequence[str]] = None,
    **legacy: Any,
) -> dict[str, float]:
    """Compute every stage under one `scenario` and write the report folder `out` atomically.

    `scenario` (default `DEFAULT_SCENARIO`) sets every number of every section: word and
    component bits, readout, conventions, physical model and its parameters, error-budget
    scope, classical machine. It is stated once in index.md and recorded in the manifest. The
    old keywords `bits` (the word size) and `conventions` work for one release.

    Returns the seconds spent per stage (also shown on the progress line). `progress` is a
    stream (None: silent) or a `core.progress.Progress` to draw the stages on. `command`
    (the command line's words) goes into the provenance that index.md, index.html and the
    manifest state (`output.provenance`); None names the Python API.
    """
    if "bits" in legacy:
        legacy["word_bits"] = legacy.pop("bits")
    fields = {"word_bits": "word_bits", "conventions": "conventions"}
    scenario = fold_legacy(scenario, legacy, "write_report", fields)
    if legacy:
        raise TypeError(f"write_report() got an unexpected keyword argument {next(iter(legacy))!r}")
    out = _check_out(out, formats, list(models))
    sizes = sorted(set(int(n) for n in sizes))
    if isinstance(progress, Progress):  # the command's own (cli.main): its heartbeat too
        prog = progress
        prog.stages(len(STAGES))
    else:
        prog = Progress(progress, len(STAGES), clock=clock)
    parent = out.resolve().parent
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=parent))
    try:
        inputs = _stages(tmp, sizes, list(models), scenario, formats, prog)
        prog.start(STAGES[8])
        origin = provenance(command)
        index = build_index(inputs._replace(provenance=origin))
        _write(tmp, "index.md", index)
        _write(tmp, "index.html", render_html(index))
        # The what-if explorer beside index.html (output.explorer), under the same scenario.
        sim = simulation_verdicts(inputs.claims.rows)
        write_explorer(tmp, models, sizes, scenario, simulation=sim, report_link="index.html")
        prog.finish()
        extra = {"scenario": scenario.to_dict(), "provenance": origin.to_dict()}
        publish(tmp, out, extra=extra)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dict(prog.timings)


@define
class _Run:
    """One report being computed: its inputs, the files written so far (key -> names) and what
    each stage computed (later stages and the index read it)."""

    tmp: Path
    sizes: list
    models: list
    scenario: Scenario
    formats: Sequence[str]
    files: dict = Factory(dict)
    qram: Any = None
    head: Any = None
    head_notes: Any = None
    scaling: Any = None
    picks: Any = None
    physical: Any = None
    cross: Any = None
    extrapolated: Any = None
    flips: Any = None
    claims: Any = None
    own_axis: Any = None
    sections: Any = None
    trainable: Any = None
    noise: Any = None
    slope_notes: Any = ()
    drawer: Any = Factory(Drawer)
    figures: list = Factory(list)

    def tables(self, stem, key, rows, columns, notes, with_conventions=True) -> list[str]:
        """`_tables` of one stage (under the scenario; its conventions unless told not to)."""
        conv = self.scenario.conventions if with_conventions else None
        return _tables(self.tmp, stem, _TITLES[key], rows, columns, notes, conv, self.scenario)

    def draw(self, plot, *args) -> None:
        """Start drawing a figure (from the cache, or in the drawer's worker while the next
        stages run); the figures stage collects it."""
        self.figures.append((self.drawer.draw(plot, *args), plot, args))


def _qram_stage(run: _Run) -> None:
    bits, conventions = run.scenario.word_bits, run.scenario.conventions
    run.qram = qram_rows(run.models, run.sizes, bits, conventions)
    run.files["qram"] = run.tables(
        "qram_table", "qram", run.qram.rows, QRAM_COLUMNS, run.qram.notes
    )


def _head_stage(run: _Run) -> None:
    run.head, run.head_notes = head_rows(run.models, run.sizes, run.scenario)
    run.files["head"] = run.tables("qlaci_head", "head", run.head, HEAD_COLUMNS, run.head_notes)
    _table_figures(run)


def _scaling_stage(run: _Run) -> None:
    bits, conventions = run.scenario.word_bits, run.scenario.conventions
    run.scaling = scaling_rows(run.qram.rows, run.head, conventions, bits)
    scaling_cols = ("family", "model", "metric", "slope", "leading_order")
    run.files["scaling"] = run.tables("scaling", "scaling", run.scaling, scaling_cols, [])


def _physical_stage(run: _Run) -> None:
    sizes, scenario = run.sizes, run.scenario
    run.picks = [n for n in (2**10, 2**20, 2**30, 2**40) if n in sizes] or sizes[-1:]
    run.physical = physical_rows(run.head, run.picks, scenario)
    run.files["physical"] = run.tables(
        "physical", "physical", run.physical, PHYSICAL_COLUMNS, [scenario.scope_note()], False
    )


def _crossover_stage(run: _Run) -> None:
    """The crossover table (with the extrapolated trend) and the break-even table."""
    cross = run.cross = crossover(run.models, CROSSOVER_BASELINES, run.sizes, run.scenario)
    run.extrapolated = _extrapolated(cross)
    cross_rows = [
        {**row, "extrapolated_log2_N": _round2(run.extrapolated[(r["model"], r["baseline"])])}
        for row, r in zip(cross.rows(), cross.records)
    ]
    cross_cols = tuple(cross_rows[0]) if cross_rows else ()
    notes = cross.assumptions + cross.notes + [EXTRAPOLATED_NOTE]
    run.files["crossover"] = run.tables(
        "crossover", "crossover", cross_rows, cross_cols, notes, False
    )
    _crossover_figures(run)  # drawn while the break-even search runs
    run.flips, flip_notes = breakeven(run.models, HEADLINE_BASELINES, run.sizes[-1:], run.scenario)
    run.files["breakeven"] = run.tables(
        "breakeven", "breakeven", run.flips, BREAKEVEN_COLUMNS, flip_notes, False
    )
    _tornadoes(run)


def _claims_stage(run: _Run) -> None:
    """The claim table, each family's own table and section, and the training verdicts."""
    sizes, models, scenario = run.sizes, run.models, run.scenario
    claims, run.own_axis = _claims(sizes, models, scenario)
    claim_cols = tuple(claims.rows[0]) if claims.rows else ()
    run.files["claims"] = run.tables(
        "claims", "claims", claims.rows, claim_cols, claims.notes, False
    )
    run.sections = []
    for fam in [f for f in families() if f.REPORT_TABLE]:
        section, run.files[fam.NAME] = _family_section(run.tmp, fam, sizes, models, scenario)
        run.sections.append(section)
    trained, trained_notes, run.trainable = training_results(scenario, models)
    run.files["training"] = _tables(
        run.tmp,
        "training_table",
        TRAINING_TITLE,
        trained,
        TRAINING_COLUMNS,
        trained_notes,
        scenario.conventions,
        scenario,
    )
    run.sections.append(training_block(trained, run.trainable, run.files["training"][0]))
    claims.rows.extend(run.trainable)
    run.claims = claims


def _noise_stage(run: _Run) -> None:
    bits, conventions = run.scenario.word_bits, run.scenario.conventions
    noise = run.noise = noise_table(run.models, run.sizes, bits=bits, conventions=conventions)
    noise_cols = tuple(noise.rows[0]) if noise.rows else ()
    run.files["noise"] = run.tables("noise", "noise", noise.rows, noise_cols, noise.notes, False)


def _figures_stage(run: _Run) -> None:
    """Every figure the earlier stages started, once drawn (a worker that died: drawn here)."""
    from concurrent.futures.process import BrokenProcessPool

    written = []
    for future, plot, args in run.figures:
        try:
            written += future.result()
        except BrokenProcessPool:
            written += draw(plot, *args)
    run.drawer.close()
    run.files["figures"] = sorted(str(Path(p).relative_to(run.tmp)) for p in written)


#: The stages before the index, in the order of `STAGES`.
_STAGE_STEPS = (
    _qram_stage,
    _head_stage,
    _scaling_stage,
    _physical_stage,
    _crossover_stage,
    _claims_stage,
    _noise_stage,
    _figures_stage,
)


def _stages(tmp: Path, sizes, models, scenario: Scenario, formats, prog) -> IndexInputs:
    """Every stage but the index, written into `tmp`; what `build_index` reads."""
    run = _Run(tmp, sizes, models, scenario, formats, drawer=Drawer(hold=prog.held))
    try:
        for name, stage in zip(STAGES, _STAGE_STEPS):
            prog.start(name)
            stage(run)
            prog.finish()
    finally:
        run.drawer.close(cancel=True)
    return _index_inputs(run)


def _index_inputs(run: _Run) -> IndexInputs:
    """What `build_index` reads, from the stages' results."""
    scenario = run.scenario
    return IndexInputs(
        sizes=run.sizes,
        bits=scenario.word_bits,
        conventions=scenario.conventions,
        qram=run.qram,
        head=run.head,
        head_notes=run.head_notes,
        scaling=run.scaling,
        physical=run.physical,
        cross=run.cross,
        claims=run.claims,
        noise=run.noise,
        files=run.files,
        hardware=scenario.hardware_spec.name,
        physical_model=scenario.physical_model,
        precision=str(scenario.precision),
        extrapolated=run.extrapolated,
        lead_figures=_lead_figures(run.files["figures"], run.cross),
        extra_sections=run.sections,
        slope_notes=run.slope_notes,
        breakeven=run.flips,
        axes={
            **{fam.TITLE: [r["key"] for r in c.rows] for fam, c in run.own_axis.items()},
            **({TRAINING_AXIS: ["trainable"]} if run.trainable else {}),
        },
        scenario=scenario,
    )


#: What crossover.csv's `extrapolated_log2_N` column holds (a note of the table).
EXTRAPOLATED_NOTE = (
    "extrapolated_log2_N: EXTRAPOLATED, not computed: log2 of the N where the power-law trend "
    "of the runtime ratio over the top decade of the grid would reach 1 (empty where the grid "
    "has a crossover, the ratio does not fall, or the estimate at the largest N is invalid)"
)


def _extrapolated(cross) -> dict:
    """(model, baseline) -> log2 N where the ratio's top-decade trend would reach 1, or None:
    only from valid estimates, and only when the largest N's estimate is valid (nothing is
    extended from a point that is not an estimate)."""
    return {
        (r["model"], r["baseline"]): None
        if r["crossover_N"] is not None
        else extrapolated_crossover(
            [
                (p["N"], p["quantum_s"], p["classical_s"], p["quantum_valid"])
                for p in cross.series(r["model"], r["baseline"])
            ]
        )
        for r in cross.records
    }


def _round2(k: Optional[float]) -> Optional[float]:
    return None if k is None else round(k, 2)


def distinct_metrics(rows: Sequence[dict], metrics: Sequence[str]) -> list[str]:
    """The metrics worth a figure: not 0 in every row (an empty figure), and not equal in
    every row to a metric kept before it (a duplicate figure, e.g. T-depth = Toffoli depth
    when every T gate sits in a Toffoli at T-depth 1)."""
    kept: list[str] = []
    for m in metrics:
        values = [r[m] for r in rows]
        if all(v == 0 for v in values):
            continue
        if any(values == [r[k] for r in rows] for k in kept):
            continue
        kept.append(m)
    return kept


def _table_figures(run: _Run) -> None:
    """Start the figures of the QRAM and head tables (`figures/qram_*`, `figures/head_*`)."""
    figs = run.tmp / "figures"
    figs.mkdir()
    qram, formats, scenario = run.qram, run.formats, run.scenario
    bits = scenario.word_bits
    title = f"QRAM models (one query, b = {bits})"
    models = list(dict.fromkeys(r["model"] for r in qram.rows))
    forms = query_closed_forms(models, scenario.conventions, bits)
    metrics = distinct_metrics(qram.rows, METRICS)
    # The index's slope notes, before the first figure: forked workers inherit them
    # (`plots.slopes._note_of`), and the QRAM figures' legends ask for the same notes.
    run.slope_notes = [n for n in slope_notes(qram.rows, forms, metrics) if n.differs]
    run.draw(plot_metrics_of_forms, qram.rows, metrics, figs, "qram", formats, title, forms)
    head_metrics = ("total_toffoli", "total_t_count", "total_toffoli_depth", "total_depth")
    title = f"QLACI head (N queries, {scenario.precision})"
    forms = head_closed_forms(dict.fromkeys(r["model"] for r in run.head), scenario)
    run.draw(plot_metrics_of_forms, run.head, head_metrics, figs, "head", formats, title, forms)
    run.draw(draw_gallery, figs, formats)


def _crossover_figures(run: _Run) -> None:
    """Start the figures of the crossover: head against classical heads, one per baseline,
    the space-time frontier at the largest picked N."""
    figs, cross, scenario = run.tmp / "figures", run.cross, run.scenario
    precision, model = scenario.precision, scenario.physical_model
    quantum, classical = _runtimes(run.head, cross, scenario)
    hardware = get_hardware(scenario.hardware).name
    title = f"One QLACI head ({model}, {precision}) vs classical heads ({hardware})"
    run.draw(
        plot_head_vs_classical, quantum, classical, figs, "head_vs_classical", run.formats, title
    )
    for baseline in cross.classical:
        records = [
            {
                "model": r["model"],
                "baseline": baseline,
                "crossover": r["crossover_N"],
                "points": [
                    (s["N"], s["quantum_s"], s["classical_s"], s["quantum_valid"])
                    for s in cross.series(r["model"], baseline)
                ],
            }
            for r in cross.records
            if r["baseline"] == baseline
        ]
        title = (
            f"Crossover vs {baseline}: quantum / classical head runtime\n"
            f"{hardware}, {model}, {precision}"
        )
        run.draw(plot_crossover, records, figs, f"crossover_{baseline}", run.formats, title)
    picks = run.picks
    series = frontiers(run.head, picks[-1], scenario)
    if any(series.values()):
        title = f"Space-time frontier of one QLACI head at N = {picks[-1]:,} ({model})"
        title = title.replace(f"{picks[-1]:,}", f"2^{picks[-1].bit_length() - 1}")
        run.draw(plot_frontier, series, figs, "frontier", run.formats, title)


def _runtimes(head, cross, scenario: Scenario) -> tuple[dict, dict]:
    """(model -> [(N, runtime, qubits, valid)], baseline -> [(N, runtime, memory bytes)]):
    the points of the head-against-classical figure."""
    quantum = {
        m: [(q.N, q.runtime_s, _qubits(head, m, q.N), q.valid) for q in cross.quantum[m]]
        for m in cross.quantum
    }
    d, bpv = scenario.head_dim, scenario.bytes_per_value
    options = dict(scenario.baseline_options)
    classical = {
        b: [
            (n, t, get_baseline(b, **_accepted(b, options)).memory_bytes(n, d, bpv))
            for n, t in zip(cross.sizes, cross.classical[b])
        ]
        for b in cross.classical
    }
    return quantum, classical


def _tornadoes(run: _Run) -> None:
    """Start one break-even tornado per model (`figures/tornado_<model>.*`), at the largest N."""
    flips, scenario = run.flips, run.scenario
    for model in dict.fromkeys(r["model"] for r in flips):
        if not tornado_bars(flips, model):
            continue
        title = f"Break-even tornado: {model} QRAM ({scenario.physical_model})"
        figs = run.tmp / "figures"
        run.draw(plot_tornado, flips, model, figs, f"tornado_{model}", run.formats, title)


def _accepted(baseline: str, options: dict) -> dict:
    """The baseline options `baseline` takes (a scenario's options may name others')."""
    out = {}
    for k, v in options.items():
        try:
            get_baseline(baseline, **{k: v})
        except ValueError:
            continue
        out[k] = v
    return out


def _claims(sizes, models, scenario: Scenario):
    """The claim table of the QRAM-model families, plus the claims of the families judged
    over their own models (a family that refuses the scenario gets a note saying why)."""
    claims = claim_table(models, sizes, scenario)
    own_axis = _own_axis_families(models)
    for fam in own_axis:
        try:
            extra = as_claims(fam.claims(sizes, list(fam.models()), scenario))
        except InputError as exc:
            extra = FamilyClaims([], notes=[f"{fam.TITLE}: not judged under this scenario: {exc}"])
        own_axis[fam] = extra
        claims.rows.extend(extra.rows)
        claims.notes.extend(n for n in extra.notes if n not in claims.notes)
    return claims, {fam: c for fam, c in own_axis.items() if c.rows}


def _own_axis_families(models: Sequence[str]) -> dict:
    """Registered families none of whose models is among `models` (the QRAM models): their
    claims are judged over their own models (QLAM's readout protocols, for example)."""
    return {fam: None for fam in families() if not family_models(fam, models)}


def _family_section(tmp: Path, fam, sizes, models, scenario) -> tuple[str, list[str]]:
    """A registered family's table (`rows` hook, under `scenario`) as files `<NAME>_table.*`
    and an index section with its rows at the largest N (the family's models among `models`,
    else its own). A family that refuses the scenario gets an empty table and a note why."""
    mine = family_models(fam, models) or list(fam.models())
    try:
        table = fam.rows(sizes, mine, scenario)
    except InputError as exc:
        table = FamilyRows([], [f"not computed under this scenario: {exc}"])
    stem = f"{fam.NAME.replace('-', '_')}_table"
    columns = tuple(fam.COLUMNS)
    names = _tables(
        tmp, stem, fam.TITLE, table.rows, columns, table.notes, scenario.conventions, scenario
    )
    top = max((r["N"] for r in table.rows), default=None)
    rows = [r for r in table.rows if r["N"] == top]
    return family_block(fam.TITLE, rows, columns, table.notes, top, names[0]), names


def _lead_figures(figures: Sequence[str], cross) -> list[str]:
    """The figures that carry the argument, embedded under the verdicts: the crossover against
    the baseline the quantum head comes closest to, the head against classical heads, and
    the Toffoli count of one query (linear in N for every circuit QRAM)."""
    closest = min(
        (r for r in cross.records if r["ratio"] is not None),
        key=lambda r: r["ratio"],
        default=None,
    )
    stems = ([f"crossover_{closest['baseline']}"] if closest else []) + [
        "head_vs_classical",
        "qram_toffoli",
    ]
    out = []
    for stem in stems:
        for ext in ("png", "svg"):
            if f"figures/{stem}.{ext}" in figures:
                out.append(f"figures/{stem}.{ext}")
                break
    return out


def _qubits(head: Sequence[dict], model: str, n: int) -> int:
    for r in head:
        if r["model"] == model and r["N"] == n:
            return r["qubits"]
    return 0
