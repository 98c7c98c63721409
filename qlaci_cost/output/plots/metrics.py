"""Metric-vs-N log-log figures: one line per model, fitted slopes in the legend, N, N log N and
N^2 reference lines, identical or overlapping lines named."""

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Optional, Union

import numpy as np
from matplotlib.figure import Figure

from qlaci_cost.core.summary import METRICS
from qlaci_cost.errors import InputError
from qlaci_cost.output.plots.axes import (
    COINCIDE_NOTE,
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
from qlaci_cost.symbolics.scaling import loglog_slope

__all__ = ["METRIC_LABELS", "plot_metrics"]

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
_REFERENCES = (  # label, log10 f(N) from x = log10 N, line style, grey level
    ("reference ∝ N", lambda x: x, (0, (5, 3)), "0.72"),
    (
        "reference ∝ N log₂ N",
        lambda x: x + math.log10(x / math.log10(2)),
        (0, (8, 3, 2, 3)),
        "0.55",
    ),
    ("reference ∝ N²", lambda x: 2 * x, (0, (2, 2)), "0.38"),
)

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
    """`loglog_slope` over the top decade of N; when that decade holds one point (a grid
    coarser than x10 per step), the slope between the two largest N, and says so."""
    numeric = [(n, v) for n, v in points if safe_log10(v) is not None or v == 0]
    slope = loglog_slope([n for n, _ in numeric], [v for _, v in numeric])
    if slope is not None:
        return f"slope {slope:.2f}"
    positive = list({n: safe_log10(v) for n, v in points if safe_log10(v) is not None}.items())
    if len(positive) < 2:
        return "slope n/a"
    (n1, y1), (n2, y2) = positive[-2:]
    return f"slope {(y2 - y1) / (math.log10(n2) - math.log10(n1)):.2f}, last two N"


@styled
def metric_figure(
    rows: Sequence[Mapping[str, Any]],
    metric: str,
    title: str = "QRAM models",
    assumed: Optional[Sequence[str]] = None,
    n_label: Optional[str] = None,
) -> Figure:
    """One metric against N, one line per model, slopes in the legend, reference lines."""
    if not rows:
        raise InputError("no rows to plot")
    name, ylabel = METRIC_LABELS.get(metric, (metric, metric))
    groups = _metric_groups(rows, metric)
    models = {key: key.split(" b=")[0] for key in groups}
    assumed = assumed_models(models.values(), assumed)
    drawn = {key: plot_points(points, 1)[:2] for key, points in groups.items()}
    overlaps = coinciding(drawn)
    colors = model_colors(models.values())
    fig = new_figure(9.0, 5.4)
    ax = fig.add_subplot()
    all_x = [math.log10(n) for points in groups.values() for n, _ in points]
    shown, omitted = _draw_series(ax, groups, models, assumed, overlaps, colors)
    all_y = [y for _, ys in shown.values() for y in ys]
    references = [k for k in shown if models[k] not in assumed] or list(shown)
    notes = _draw_references(ax, shown, references, all_x, name)
    if omitted:
        notes.append("Zero values are not shown on log axes: " + ", ".join(omitted) + ".")
    same = [" = ".join(keys) for keys in _coincident(groups) if any(k in shown for k in keys)]
    if same:
        notes.append("Identical values (lines drawn on top of each other): " + "; ".join(same))
    if overlaps:
        notes.append(COINCIDE_NOTE)
    if any(m in assumed for m in models.values()):
        notes.append(ASSUMED_NOTE)
    n_axis(ax, all_x, n_label or n_label_for(metric))
    value_axis(ax, all_y, ylabel)
    ax.set_title(f"{title}: {name} vs N")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    caption_notes(fig, notes)
    return fig


def _draw_series(ax, groups, models, assumed, overlaps, colors) -> tuple[dict, list]:
    """One line per series, its slope in the legend; (key -> (N, log10 values) drawn, labels
    of the series with values left out)."""
    shown: dict[str, tuple[list, list]] = {}
    omitted = []
    for i, (key, points) in enumerate(groups.items()):
        model = models[key]
        xs, ys, left_out = plot_points(points, 1)
        if left_out:
            omitted.append(omitted_label(key, left_out, len(points)))
        if xs:
            shown[key] = ([n for n, v in points if safe_log10(v) is not None], ys)
        text = f"{key} ({'assumed; ' if model in assumed else ''}{_slope_text(points)})"
        if key in overlaps:
            text += f" ≈ {', '.join(overlaps[key])}"
        ax.plot(
            xs,
            ys,
            label=text,
            color=colors[model],
            marker=MARKERS[i % len(MARKERS)],
            markersize=5,
            markerfacecolor="none",
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
        ax.plot(xs, ys, linestyle=dashes, color=grey, linewidth=1.1, label=label, zorder=1)
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

    Returns:
        The files written, sorted.
    """
    chosen = checked_formats(formats)
    for metric in metrics:
        _metric_groups(rows, metric)  # every input error before the first file
    written: list[Path] = []
    for metric in metrics:
        fig = metric_figure(rows, metric, title=title, assumed=assumed, n_label=n_label)
        written += save_figure(fig, Path(out_dir), f"{stem}_{metric}", chosen)
    return sorted(written)
