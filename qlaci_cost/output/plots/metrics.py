"""Metric-vs-N log-log figures: one line per model, fitted slopes in the legend (with a note
where a slope differs from the closed form's leading order, `slopes.slope_notes`), N, N log N
and N^2 reference lines, identical or overlapping lines named, the legend under the axes.

Every point is a closed form evaluated exactly at its N (checked against decompositions at
small N, `qram.verify`): there is nothing invalid or extrapolated to mark in these figures."""

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Optional, Union

import numpy as np
from matplotlib.figure import Figure

from qlaci_cost.core.metric_names import METRICS
from qlaci_cost.errors import InputError
from qlaci_cost.output.plots.axes import (
    LOG10_2,
    N_CELLS,
    N_SEQUENCE,
    as_size,
    caption_notes,
    coinciding,
    n_axis,
    omitted_label,
    plot_points,
    power2_label,
    safe_log10,
    value_axis,
)
from qlaci_cost.output.plots.legend import legend_below
from qlaci_cost.output.plots.slopes import SlopeNote, fitted_slope, slope_notes
from qlaci_cost.output.plots.style import (
    ASSUMED_NOTE,
    MARKERS,
    assumed_models,
    checked_formats,
    model_colors,
    new_figure,
    save_figure,
    styled,
)

__all__ = ["METRIC_LABELS", "plot_metrics", "plot_metrics_of_forms"]

#: metric -> (name in titles, y-axis label with units).
METRIC_LABELS: dict[str, tuple[str, str]] = {
    "qubits": ("logical qubits", "logical qubits (peak)"),
    "toffoli": ("Toffoli count", "Toffoli gates per query"),
    "t_count": ("T count", "T gates per query"),
    "clifford": ("Clifford count", "Clifford gates per query"),
    "rotations": ("rotations", "rotations per query"),
    "measurements": ("measurements", "measurements per query"),
    "toffoli_depth": ("Toffoli depth", "Toffoli depth (layers per query)"),
    "t_depth": ("T depth", "T depth (layers per query)"),
    "depth": ("circuit depth", "circuit depth (gate layers per query)"),
    "total_toffoli": ("Toffoli count", "Toffoli gates per head"),
    "total_t_count": ("T count", "T gates per head"),
    "total_toffoli_depth": ("Toffoli depth", "Toffoli depth (layers per head)"),
    "total_depth": ("circuit depth", "circuit depth (gate layers per head)"),
}
_REFERENCES = (  # label, log10 f(N) from x = log10 N, line style, grey level: never dashed
    ("reference ∝ N", lambda x: x, "-", "0.7"),
    ("reference ∝ N log₂ N", lambda x: x + math.log10(x / math.log10(2)), "-.", "0.5"),
    ("reference ∝ N²", lambda x: 2 * x, "-", "0.3"),
)
#: Near-coincident lines (`axes.coinciding`), named in the caption.
NEAR_NOTE = "Within 5 % of each other over at least 3/4 of the grid (drawn on top of each other)"

Point = tuple[int, Any]


def n_label_for(metric: str) -> str:
    """What N counts on the x axis: memory cells for one QRAM query's metrics, the sequence
    length for a head's totals (`total_*`)."""
    return N_SEQUENCE if metric.startswith("total_") else N_CELLS


def _metric_groups(rows: Sequence[Mapping[str, Any]], metric: str) -> dict[str, list[Point]]:
    """model (with ' b=...' when rows differ in bits) -> [(N, value)] sorted by N."""
    several_bits = len({row.get("bits") for row in rows}) > 1
    groups: dict[str, list[Point]] = {}
    for row in rows:
        if metric not in row:
            raise InputError(f"row for model {row.get('model')!r} has no metric {metric!r}")
        key = f"{row['model']} b={row['bits']}" if several_bits else str(row["model"])
        groups.setdefault(key, []).append((as_size(row["N"]), row[metric]))
    return {key: sorted(points, key=lambda p: p[0]) for key, points in groups.items()}


def _slope_text(points: Sequence[Point]) -> str:
    """`slopes.fitted_slope` over the top decade of N; when that decade holds one point (a
    grid coarser than x10 per step), the slope between the two largest N, and says so."""
    slope, sizes = fitted_slope(points)
    if slope is None:
        return "slope n/a"
    top = [n for n, v in points if safe_log10(v) is not None]
    last_two = len(sizes) == 2 and len([n for n in top if 10 * n >= max(top)]) < 2
    return f"slope {slope:.2f}" + (", last two N" if last_two else "")


@styled
def metric_figure(
    rows: Sequence[Mapping[str, Any]],
    metric: str,
    title: str = "QRAM models",
    assumed: Optional[Sequence[str]] = None,
    n_label: Optional[str] = None,
    closed_forms: Optional[Mapping[str, Any]] = None,
    subs: Optional[Mapping[Any, Any]] = None,
) -> Figure:
    """One metric against N, one line per model, slopes in the legend, reference lines; with
    `closed_forms` (model -> its closed forms, as `slopes.slope_notes` takes them) a slope
    off its leading order by more than `slopes.SLOPE_TOLERANCE` is numbered in the legend and
    explained in the caption."""
    if not rows:
        raise InputError("no rows to plot")
    name, ylabel = METRIC_LABELS.get(metric, (metric, metric))
    groups = _metric_groups(rows, metric)
    models = {key: key.split(" b=")[0] for key in groups}
    assumed = assumed_models(models.values(), assumed)
    marks, notes = _slope_marks(rows, groups, metric, closed_forms, subs)
    fig = new_figure(9.0, 6.2)
    ax = fig.add_subplot()
    all_x = [math.log10(n) for points in groups.values() for n, _ in points]
    shown, omitted = _draw_series(ax, groups, models, assumed, marks)
    all_y = [y for _, ys in shown.values() for y in ys]
    references = [k for k in shown if models[k] not in assumed] or list(shown)
    notes = _draw_references(ax, shown, references, all_x, name) + notes
    if omitted:
        notes.append("Zero values are not shown on log axes: " + ", ".join(omitted) + ".")
    same = [" = ".join(keys) for keys in _coincident(groups) if any(k in shown for k in keys)]
    if same:
        notes.append("Identical values (lines drawn on top of each other): " + "; ".join(same))
    near = _near(shown, same)
    if near:
        notes.append(f"{NEAR_NOTE}: {'; '.join(near)}.")
    if any(m in assumed for m in models.values()):
        notes.append(ASSUMED_NOTE)
    n_axis(ax, all_x, n_label or n_label_for(metric))
    value_axis(ax, all_y, ylabel)
    ax.set_title(f"{title}: {name} vs N")
    legend_below(ax, most=4)
    caption_notes(fig, notes)
    return fig


def _slope_marks(rows, groups, metric, closed_forms, subs) -> tuple[dict, list[str]]:
    """(series key -> its legend mark 'vs O(N^0.5) [1]', the caption's numbered notes): one
    number per distinct explanation, the series sharing it named together."""
    if not closed_forms:
        return {}, []
    explained: dict[str, list[tuple[str, SlopeNote]]] = {}
    for key in groups:
        mine = [r for r in rows if _key(r, groups) == key]
        for note in slope_notes(mine, closed_forms, [metric], subs):
            if note.differs:
                body = note.note.split(": ", 1)[1]
                explained.setdefault(body, []).append((key, note))
    marks, notes = {}, []
    for i, (body, series) in enumerate(explained.items(), start=1):
        for key, note in series:
            marks[key] = f"vs {note.order} [{i}]"
        notes.append(f"[{i}] {', '.join(key for key, _ in series)}: {body}")
    return marks, notes


def _key(row: Mapping[str, Any], groups: Mapping[str, Any]) -> str:
    """The series key of a row (as `_metric_groups` names it)."""
    model = str(row["model"])
    return model if model in groups else f"{model} b={row.get('bits')}"


def _near(shown: Mapping[str, tuple[list, list]], same: Sequence[str]) -> list[str]:
    """Groups of near-coincident lines ('a ≈ b ≈ c') not already named identical."""
    drawn = {k: ([math.log10(n) for n in xs], ys) for k, (xs, ys) in shown.items()}
    overlaps = coinciding(drawn)
    groups: list[list[str]] = []
    for key in overlaps:
        group = sorted({key, *overlaps[key]}, key=list(shown).index)
        if group not in groups and " = ".join(group) not in same:
            groups.append(group)
    return [" ≈ ".join(g) for g in groups]


def _draw_series(ax, groups, models, assumed, marks) -> tuple[dict, list]:
    """One line per series, its slope in the legend; (key -> (N, log10 values) drawn, labels
    of the series with values left out)."""
    shown: dict[str, tuple[list, list]] = {}
    omitted = []
    colors = model_colors(models.values())
    for i, (key, points) in enumerate(groups.items()):
        model = models[key]
        xs, ys, left_out = plot_points(points, 1)
        if left_out:
            omitted.append(omitted_label(key, left_out, len(points)))
        if xs:
            shown[key] = ([n for n, v in points if safe_log10(v) is not None], ys)
        slope = _slope_text(points) + (f" {marks[key]}" if key in marks else "")
        ax.plot(
            xs,
            ys,
            label=f"{key} ({'assumed; ' if model in assumed else ''}{slope})",
            color=colors[model],
            marker=MARKERS[i % len(MARKERS)],
            markersize=4.5,
            linewidth=2.0 if model in assumed else 1.5,
            linestyle=":" if model in assumed else "-",
            zorder=3,
        )
    return shown, omitted


def _draw_references(ax, shown, keys: Sequence[str], all_x: Sequence[float], name: str) -> list:
    """Reference lines through the models' median at the smallest N drawn (`_anchor` of
    `keys`), or a message when nothing can be drawn on log axes; the caption's note."""
    anchor = _anchor(shown, keys)
    if anchor is None:
        ax.text(
            0.5,
            0.5,
            f"{name}: every value is 0 (or not a number): nothing to draw on log axes",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="0.3",
        )
        return []
    n0, y0 = anchor
    x0 = math.log10(n0)
    line_x = np.linspace(min(all_x), max(all_x), 64)
    for label, f, dashes, grey in _REFERENCES:
        xs = [x for x in line_x if x >= LOG10_2]
        ys = [y0 + f(x) - f(x0) for x in xs]
        ax.plot(xs, ys, linestyle=dashes, color=grey, linewidth=0.9, label=label, zorder=1)
    return [
        f"Reference lines pass through the median of the models at N = {power2_label(n0)}; "
        "slope = least-squares log-log fit over the top decade of N."
    ]


def _coincident(groups: Mapping[str, list[Point]]) -> list[list[str]]:
    """Groups of series with exactly the same points, in drawing order."""
    by_points: dict[tuple, list[str]] = {}
    for key, points in groups.items():
        by_points.setdefault(tuple(points), []).append(key)
    return [keys for keys in by_points.values() if len(keys) > 1]


def _anchor(shown: Mapping[str, tuple[list, list]], keys: Sequence[str]):
    """(N0, y0): the smallest N >= 2 drawn, and the median log10 value of the models there."""
    candidates = [n for k in keys for n in shown[k][0] if n >= 2]
    if not candidates:
        return None
    n0 = min(candidates)
    return n0, statistics.median(y for k in keys for n, y in zip(*shown[k]) if n == n0)


def plot_metrics(
    rows: Sequence[Mapping[str, Any]],
    metrics: Sequence[str] = METRICS,
    out_dir: Union[str, Path] = ".",
    stem: str = "qram_metrics",
    formats: Union[str, Iterable[str]] = ("png", "pdf"),
    title: str = "QRAM models",
    assumed: Optional[Sequence[str]] = None,
    n_label: Optional[str] = None,
    closed_forms: Optional[Mapping[str, Any]] = None,
    subs: Optional[Mapping[Any, Any]] = None,
) -> list[Path]:
    """One log-log figure per metric, `<stem>_<metric>.<format>`, one line per model.

    Args:
        rows: Dicts with `model`, `N` and one key per metric (for example `qram_rows` output);
            an optional `bits` key splits a model into one line per word size when it varies.
        metrics: The metric columns to draw.
        out_dir: Directory for the files (created if missing).
        stem: File name prefix.
        formats: A subset of `FORMATS`.
        title: First part of every figure title.
        assumed: Models drawn dotted and labelled as assumptions; None: the models whose class
            is an assumed oracle (the `ASSUMED_ORACLE` trait).
        n_label: The x-axis label; None: memory cells for per-query metrics, sequence length
            for head totals (`total_*`).
        closed_forms: model -> its closed forms in N (`slopes.query_closed_forms`,
            `slopes.head_closed_forms`); a fitted slope off the leading order is then
            explained in the caption (`slopes.slope_notes`). None: slopes only.
        subs: Values of the closed forms' symbols other than N.

    Returns:
        The files written, sorted.
    """
    chosen = checked_formats(formats)
    for metric in metrics:
        _metric_groups(rows, metric)  # every input error before the first file
    written: list[Path] = []
    for metric in metrics:
        fig = metric_figure(
            rows, metric, title, assumed, n_label, closed_forms=closed_forms, subs=subs
        )
        written += save_figure(fig, Path(out_dir), f"{stem}_{metric}", chosen)
    return sorted(written)


def plot_metrics_of_forms(rows, metrics, out_dir, stem, formats, title, closed_forms) -> list:
    """`plot_metrics` with the models' closed forms (their slope notes) as one more positional
    argument: what the report's figure cache and its worker call (a worker imports this
    module, Matplotlib and sympy; not Qualtran, Cirq or the report)."""
    return plot_metrics(rows, metrics, out_dir, stem, formats, title, closed_forms=closed_forms)
