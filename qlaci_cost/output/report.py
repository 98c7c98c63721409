"""The full report: tables, figures and verdicts in one folder, written atomically.

`write_report(out, sizes)` checks that `out` is new, empty or a report of ours (the manifest
rule of `qlaci_cost.output.files`), computes every stage, renders it into a temporary folder
beside `out` and only then moves the files in, so a failure leaves the existing report
untouched and nothing a user put in `out` is ever deleted or overwritten. The same inputs give
byte-identical files (no dates, fixed plot metadata, sorted output).
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence

from qlaci_cost.analysis.claims import claim_table
from qlaci_cost.analysis.classical import BASELINES, get_baseline, get_hardware
from qlaci_cost.analysis.crossover import DEFAULT_D, DEFAULT_PRECISION, crossover, head_rows
from qlaci_cost.analysis.noise import noise_table
from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, Conventions
from qlaci_cost.core.family import as_claims, families, family_models
from qlaci_cost.core.summary import METRICS
from qlaci_cost.output.files import MANIFEST, FolderError, check_folder, publish
from qlaci_cost.output.index import IndexInputs, build_index, family_block
from qlaci_cost.output.plots import (
    extrapolated_crossover,
    plot_crossover,
    plot_frontier,
    plot_head_vs_classical,
    plot_metrics,
)
from qlaci_cost.output.progress import Progress
from qlaci_cost.output.report_rows import frontiers, physical_rows, scaling_rows
from qlaci_cost.output.tables import render
from qlaci_cost.qram import MODELS
from qlaci_cost.qram.table import qram_rows

__all__ = ["DEFAULT_SIZES", "MANIFEST", "STAGES", "ReportError", "write_report"]

#: The default grid: N = 2^4 .. 2^40, doubling.
DEFAULT_SIZES: tuple[int, ...] = tuple(2**k for k in range(4, 41))
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


def _check_out(out: Path) -> None:
    """Before any work: `out` is ours to write (`files.check_folder`), its parent exists and
    both are writable."""
    check_folder(out)
    parent = out.resolve().parent
    if not parent.is_dir():
        raise ReportError(f"--out {str(out)!r}: the parent folder {str(parent)!r} does not exist")
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise ReportError(f"--out {str(out)!r} is not writable")


def _write(folder: Path, name: str, text: str) -> str:
    (folder / name).write_text(text, encoding="utf-8")
    return name


def _tables(folder: Path, stem: str, title: str, rows, columns, notes, conventions) -> list[str]:
    """CSV (plain: header first), its notes sidecar, LaTeX and JSON of one table; the names.

    The CSV holds only the header and the rows, so `pandas.read_csv` and spreadsheets read it
    with default settings; what it describes, the conventions and the notes go to
    `<stem>.notes.md` beside it (and stay in the LaTeX comments and the JSON)."""
    names = [_write(folder, f"{stem}.csv", render(rows, columns, "csv"))]
    names.append(
        _write(folder, f"{stem}.notes.md", _sidecar(stem, title, columns, notes, conventions))
    )
    for fmt, ext in (("latex", "tex"), ("json", "json")):
        names.append(
            _write(folder, f"{stem}.{ext}", render(rows, columns, fmt, notes, conventions))
        )
    return names


def _sidecar(stem: str, title: str, columns, notes, conventions) -> str:
    """The notes file of `<stem>.csv`: what it holds, its columns, conventions and notes."""
    lines = [f"# {stem}.csv: {title}", "", "Columns: " + ", ".join(f"`{c}`" for c in columns)]
    if conventions is not None:
        lines += ["", "## Conventions", "", " ".join(conventions.describe().split())]
    if notes:
        lines += ["", "## Notes", ""] + [f"- {' '.join(str(n).split())}" for n in notes]
    return "\n".join(lines) + "\n"


def write_report(
    out: "str | os.PathLike" = "reports",
    sizes: Iterable[int] = DEFAULT_SIZES,
    models: Sequence[str] = MODELS,
    bits: int = 8,
    conventions: Conventions = DEFAULT_CONVENTIONS,
    formats: Sequence[str] = ("png", "pdf"),
    progress: Optional[Any] = sys.stderr,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, float]:
    """Compute every stage and write the report folder `out` atomically.

    Returns the seconds spent per stage (also shown on the progress line). `progress` is a
    stream (None: silent) or an `output.progress.Progress` to draw the stages on.
    """
    out = Path(out)
    _check_out(out)
    sizes = sorted(set(int(n) for n in sizes))
    if isinstance(progress, Progress):  # the command's own (cli.main): its heartbeat too
        prog = progress
        prog.stages(len(STAGES))
    else:
        prog = Progress(progress, len(STAGES), clock=clock)
    files: dict[str, list[str]] = {}
    parent = out.resolve().parent
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=parent))
    try:
        prog.start(STAGES[0])
        qram = qram_rows(models, sizes, bits, conventions)
        files["qram"] = _tables(
            tmp, "qram_table", _TITLES["qram"], qram.rows, QRAM_COLUMNS, qram.notes, conventions
        )
        prog.finish()

        prog.start(STAGES[1])
        head, head_notes = head_rows(models, sizes, conventions)
        files["head"] = _tables(
            tmp, "qlaci_head", _TITLES["head"], head, HEAD_COLUMNS, head_notes, conventions
        )
        prog.finish()

        prog.start(STAGES[2])
        scaling = scaling_rows(qram.rows, head, conventions, bits)
        scaling_cols = ("family", "model", "metric", "slope", "leading_order")
        files["scaling"] = _tables(
            tmp, "scaling", _TITLES["scaling"], scaling, scaling_cols, [], conventions
        )
        prog.finish()

        prog.start(STAGES[3])
        picks = [n for n in (2**10, 2**20, 2**30, 2**40) if n in sizes] or sizes[-1:]
        physical = physical_rows(head, picks)
        files["physical"] = _tables(
            tmp, "physical", _TITLES["physical"], physical, PHYSICAL_COLUMNS, [], None
        )
        prog.finish()

        prog.start(STAGES[4])
        cross = crossover(models, BASELINES, sizes, conventions=conventions)
        cross_rows = cross.rows()
        cross_cols = tuple(cross_rows[0]) if cross_rows else ()
        files["crossover"] = _tables(
            tmp, "crossover", _TITLES["crossover"], cross_rows, cross_cols,
            cross.assumptions + cross.notes, None,
        )  # fmt: skip
        prog.finish()

        prog.start(STAGES[5])
        claims = claim_table(models, sizes, conventions)
        own_axis = _own_axis_families(models)
        for fam in own_axis:
            extra = as_claims(fam.claims(sizes, list(fam.models()), conventions))
            own_axis[fam] = extra
            claims.rows.extend(extra.rows)
            claims.notes.extend(n for n in extra.notes if n not in claims.notes)
        claim_cols = tuple(claims.rows[0]) if claims.rows else ()
        files["claims"] = _tables(
            tmp, "claims", _TITLES["claims"], claims.rows, claim_cols, claims.notes, None
        )
        sections = []
        for fam in [f for f in families() if f.NAME not in _OWN_SECTIONS]:
            section, names = _family_section(tmp, fam, sizes, models, conventions)
            files[fam.NAME] = names
            sections.append(section)
        prog.finish()

        prog.start(STAGES[6])
        noise = noise_table(models, sizes, conventions=conventions)
        noise_cols = tuple(noise.rows[0]) if noise.rows else ()
        files["noise"] = _tables(
            tmp, "noise", _TITLES["noise"], noise.rows, noise_cols, noise.notes, None
        )
        prog.finish()

        prog.start(STAGES[7])
        figs = tmp / "figures"
        figs.mkdir()
        title = f"QRAM models (one query, b = {bits})"
        written = plot_metrics(qram.rows, METRICS, figs, "qram", formats, title)
        head_metrics = ("total_toffoli", "total_t_count", "total_toffoli_depth", "total_depth")
        title = f"QLACI head (N queries, {DEFAULT_PRECISION})"
        written += plot_metrics(head, head_metrics, figs, "head", formats, title)
        quantum = {
            m: [(q.N, q.runtime_s, _qubits(head, m, q.N)) for q in cross.quantum[m]]
            for m in cross.quantum
        }
        classical = {
            b: [
                (n, t, get_baseline(b).memory_bytes(n, DEFAULT_D))
                for n, t in zip(cross.sizes, cross.classical[b])
            ]
            for b in cross.classical
        }
        hardware = get_hardware("h100").name
        title = (
            f"One QLACI head (gidney-fowler, {DEFAULT_PRECISION}) vs classical heads ({hardware})"
        )
        written += plot_head_vs_classical(
            quantum, classical, figs, "head_vs_classical", formats, title
        )
        for baseline in cross.classical:
            records = [
                {
                    "model": r["model"],
                    "baseline": baseline,
                    "crossover": r["crossover_N"],
                    "points": [
                        (s["N"], s["quantum_s"], s["classical_s"])
                        for s in cross.series(r["model"], baseline)
                    ],
                }
                for r in cross.records
                if r["baseline"] == baseline
            ]
            title = (
                f"Crossover vs {baseline}: quantum / classical head runtime\n"
                f"{hardware}, gidney-fowler, {DEFAULT_PRECISION}"
            )
            written += plot_crossover(records, figs, f"crossover_{baseline}", formats, title)
        series = frontiers(head, picks[-1])
        if any(series.values()):
            title = f"Space-time frontier of one QLACI head at N = {picks[-1]:,} (gidney-fowler)"
            title = title.replace(f"{picks[-1]:,}", f"2^{picks[-1].bit_length() - 1}")
            written += plot_frontier(series, figs, "frontier", formats, title)
        files["figures"] = sorted(str(Path(p).relative_to(tmp)) for p in written)
        prog.finish()

        prog.start(STAGES[8])
        extrapolated = {
            (r["model"], r["baseline"]): (
                None
                if r["crossover_N"] is not None
                else extrapolated_crossover(
                    [(p["N"], p["quantum_s"], p["classical_s"])
                     for p in cross.series(r["model"], r["baseline"])]
                )
            )
            for r in cross.records
        }  # fmt: skip
        inputs = IndexInputs(
            sizes=sizes, bits=bits, conventions=conventions, qram=qram, head=head,
            head_notes=head_notes, scaling=scaling, physical=physical, cross=cross,
            claims=claims, noise=noise, files=files, hardware=hardware,
            physical_model="gidney-fowler", precision=DEFAULT_PRECISION,
            extrapolated=extrapolated, lead_figures=_lead_figures(files["figures"], cross),
            extra_sections=sections,
            axes={fam.TITLE: [r["key"] for r in c.rows] for fam, c in own_axis.items()},
        )  # fmt: skip
        _write(tmp, "index.md", build_index(inputs))
        prog.finish()
        publish(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dict(prog.timings)


#: Families whose tables have sections of their own (QRAM query, QLACI head).
_OWN_SECTIONS = ("qram", "qlaci")


def _own_axis_families(models: Sequence[str]) -> dict:
    """Registered families none of whose models is among `models` (the QRAM models): their
    claims are judged over their own models (QLAM's readout protocols, for example)."""
    return {fam: None for fam in families() if not family_models(fam, models)}


def _family_section(tmp: Path, fam, sizes, models, conventions) -> tuple[str, list[str]]:
    """A registered family's table (`rows` hook) as files `<NAME>_table.*` and an index section
    with its rows at the largest N (the family's models among `models`, else its own)."""
    mine = family_models(fam, models) or list(fam.models())
    table = fam.rows(sizes, mine, conventions)
    stem = f"{fam.NAME.replace('-', '_')}_table"
    columns = tuple(fam.COLUMNS)
    names = _tables(tmp, stem, fam.TITLE, table.rows, columns, table.notes, conventions)
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
