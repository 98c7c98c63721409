"""One QLACI head against classical attention heads: runtime, logical qubits and classical memory
against the sequence length N, three log-log panels; the runtime in human units (µs to years)
with reference lines at 1 day, 1 year and the age of the universe, invalid estimates hollow.

Nothing here is extrapolated: every runtime is an estimate at a size of the grid (or, hollow,
an invalid one), so the figure has no dashed segment."""

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Optional, Union

from matplotlib.figure import Figure

from qlaci_cost.errors import InputError
from qlaci_cost.output.plots.axes import (
    N_SEQUENCE,
    caption_notes,
    n_axis,
    omitted_label,
    plot_points,
    value_axis,
)
from qlaci_cost.output.plots.marks import INVALID_NOTE, draw_invalid, invalid_key, point_valid
from qlaci_cost.output.plots.style import (
    ASSUMED_NOTE,
    MARKERS,
    assumed_models,
    checked_formats,
    model_colors,
    new_figure,
    save_figure,
    series_label,
    styled,
)
from qlaci_cost.output.plots.time_axis import REFERENCE_NOTE, time_axis

__all__ = ["plot_head_vs_classical"]

#: Classical baselines' colours: apart from the QRAM models' (`style.model_colors`).
_CLASSICAL_COLORS = ("C8", "C9", "C7", "0.15", "#b15928", "0.55")


@styled
def head_figure(
    quantum: Mapping[str, Sequence[Sequence[Any]]],
    classical: Mapping[str, Sequence[Sequence[Any]]],
    title: str,
    assumed: Optional[Sequence[str]] = None,
) -> Figure:
    if not quantum and not classical:
        raise InputError("nothing to plot: no quantum and no classical series")
    assumed = assumed_models(quantum, assumed)
    fig = new_figure(14.0, 6.0)
    grid = fig.add_gridspec(2, 3, height_ratios=(1, 12))
    key = fig.add_subplot(grid[0, :])  # a row of its own for the legend, under the title
    key.set_axis_off()
    runtime = fig.add_subplot(grid[1, 0])
    qubits, memory = (fig.add_subplot(grid[1, i], sharex=runtime) for i in (1, 2))
    colors = {**model_colors(quantum), **_classical_colors(classical)}
    panels = {runtime: [], qubits: [], memory: []}
    all_x, omitted = [], []
    any_invalid = False
    for side, series, column, ax in (
        ("quantum", quantum, 2, qubits),
        ("classical", classical, 2, memory),
    ):
        for i, (name, points) in enumerate(series.items()):
            is_assumed = side == "quantum" and name in assumed
            style = dict(
                color=colors[name],
                markersize=4,
                marker=MARKERS[i % len(MARKERS)],
                linestyle=":" if is_assumed else "-",
                linewidth=1.6 if side == "quantum" else 1.1,
                label=f"{side}: {series_label(name, assumed) if side == 'quantum' else name}",
            )
            for target, col in ((runtime, 1), (ax, column)):
                any_invalid |= _draw(target, col, side, name, points, style, panels, all_x, omitted)
    for ax, label, name in (
        (runtime, "runtime of one head", "runtime per head"),
        (qubits, "logical qubits (peak)", "quantum: logical qubits"),
        (memory, "memory (bytes)", "classical: resident memory"),
    ):
        n_axis(ax, all_x, N_SEQUENCE)
        if ax is runtime:
            time_axis(ax, panels[ax], label)
        else:
            value_axis(ax, panels[ax], label)
        ax.set_title(name)
    fig.suptitle(title)
    handles, labels = runtime.get_legend_handles_labels()
    if any_invalid:
        handle, text = invalid_key()
        handles.append(handle)
        labels.append(text)
    key.legend(handles, labels, loc="center", ncols=min(5, len(labels)))
    caption_notes(fig, _notes(any_invalid, omitted, any(name in assumed for name in quantum)))
    return fig


def _classical_colors(names) -> dict[str, str]:
    return {name: _CLASSICAL_COLORS[i % len(_CLASSICAL_COLORS)] for i, name in enumerate(names)}


def _draw(target, col: int, side: str, name: str, points, style: dict, panels, all_x, omitted):
    """One series on one panel (column `col` of its points); True when it has invalid points
    (quantum runtimes outside their error budget, drawn hollow off the line)."""
    shown, invalid = points, False
    if side == "quantum" and col == 1:  # an invalid runtime is not a value
        shown = [p for p in points if point_valid(p)]
        bx, by, _ = plot_points([p for p in points if not point_valid(p)], col)
        draw_invalid(target, bx, by, style["color"], style["marker"])
        panels[target] += by
        all_x += bx
        invalid = bool(bx)
    xs, ys, left_out = plot_points(shown, col)
    target.plot(xs, ys, **style)
    panels[target] += ys
    all_x += xs
    if left_out:
        what = "runtime" if col == 1 else ("qubits" if side == "quantum" else "memory")
        omitted.append(omitted_label(f"{name} {what}", left_out, len(points)))
    return invalid


def _notes(any_invalid: bool, omitted: list, any_assumed: bool) -> list[str]:
    notes = [REFERENCE_NOTE]
    if any_invalid:
        notes.append(INVALID_NOTE)
    if omitted:
        notes.append("Zero values are not shown on log axes: " + ", ".join(omitted) + ".")
    if any_assumed:
        notes.append(ASSUMED_NOTE)
    return notes


def plot_head_vs_classical(
    quantum: Mapping[str, Sequence[Sequence[Any]]],
    classical: Mapping[str, Sequence[Sequence[Any]]],
    out_dir: Union[str, Path] = ".",
    stem: str = "head_vs_classical",
    formats: Union[str, Iterable[str]] = ("png", "pdf"),
    title: str = "QLACI head vs classical attention",
    assumed: Optional[Sequence[str]] = None,
) -> list[Path]:
    """Three log-log panels against N: runtime (s), logical qubits, classical memory (bytes).

    Args:
        quantum: QRAM model -> [(N, runtime_s, qubits[, valid]), ...] for one QLACI head
            (`valid` False: the runtime's estimate is outside its error budget, drawn as a
            hollow marker off the line).
        classical: Baseline -> [(N, runtime_s, memory_bytes), ...].
        out_dir, stem, formats, title, assumed: As in `plot_metrics`; one file per format.

    Returns:
        The files written, sorted.
    """
    chosen = checked_formats(formats)
    fig = head_figure(quantum, classical, title, assumed)
    return save_figure(fig, Path(out_dir), stem, chosen)
