"""The physical space-time frontier: physical qubits against runtime of one QLACI head as the
number of magic-state factories varies (`qlaci_cost.physical.frontier`), one line per QRAM
model, both axes logarithmic, the runtime in human units with reference lines (1 day, 1 year,
the age of the universe).

`physical.frontier` keeps only valid estimates (an invalid one is not an estimate, so there is
no point to draw hollow): a model whose estimate is invalid has an empty series, named in the
caption. Nothing is extrapolated."""

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Optional, Union

from matplotlib.figure import Figure

from qlaci_cost.errors import InputError
from qlaci_cost.output.plots.axes import caption_notes, safe_log10, superscript
from qlaci_cost.output.plots.legend import legend_below
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

__all__ = ["plot_frontier"]

_CHOSEN = "chosen (fastest)"


@styled
def frontier_figure(
    series: Mapping[str, Sequence[Sequence[Any]]], title: str, assumed: Optional[Sequence[str]]
) -> Figure:
    if not any(series.values()):
        raise InputError("no frontier points to plot")
    assumed = assumed_models(series, assumed)
    colors = model_colors(series)
    fig = new_figure(9.5, 6.4)
    ax = fig.add_subplot()
    xs_all, ys_all = [], []
    chosen = False
    for i, (model, points) in enumerate(series.items()):
        drawn = [(safe_log10(q), safe_log10(t), k) for k, q, t in points]
        drawn = [(x, y, k) for x, y, k in drawn if x is not None and y is not None]
        if not drawn:
            continue
        fewest, most = drawn[0][2], drawn[-1][2]
        ax.plot(
            [x for x, _, _ in drawn],
            [y for _, y, _ in drawn],
            color=colors[model],
            marker=MARKERS[i % len(MARKERS)],
            markersize=4,
            linestyle=":" if model in assumed else "-",
            label=f"{series_label(model, assumed)} ({_count(fewest)}..{_count(most)} factories)",
        )
        xs_all += [x for x, _, _ in drawn]
        ys_all += [y for _, y, _ in drawn]
        x, y, _ = min(drawn, key=lambda point: point[1])  # the fastest: the one estimates use
        ax.plot(
            [x],
            [y],
            marker="*",
            markersize=13,
            color=colors[model],
            markeredgecolor="black",
            linestyle="none",
            label=_CHOSEN if not chosen else None,
            zorder=4,
        )
        chosen = True
    _qubit_axis(ax, xs_all)
    time_axis(ax, ys_all, "runtime of one head")
    ax.set_title(title)
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda i: labels[i] == _CHOSEN)  # the star last
    legend_below(ax, [handles[i] for i in order], [labels[i] for i in order], most=3)
    caption_notes(fig, _notes(series, assumed))
    return fig


def _qubit_axis(ax, xs: Sequence[float]) -> None:
    """x = log10 physical qubits, at most 10 labelled decades."""
    lo, hi = min(xs), max(xs)
    pad = max(0.1, 0.04 * (hi - lo))
    ks = list(range(math.floor(lo - pad), math.ceil(hi + pad) + 1))
    ax.set_xlim(lo - pad, hi + pad)
    step = math.ceil(len(ks) / 10)
    ax.set_xticks(ks[::step], [f"10{superscript(k)}" for k in ks[::step]])
    ax.set_xticks(ks, minor=True)
    ax.set_xlabel("physical qubits (data + factories)")


def _notes(series: Mapping[str, Sequence], assumed: set) -> list[str]:
    notes = [
        "Each point: one number of factories; only points no other point beats in both "
        "qubits and runtime (the frontier). Star: the point the estimates use (the fastest).",
        REFERENCE_NOTE,
    ]
    invalid = [model for model, points in series.items() if not points]
    if invalid:
        notes.append(
            "No valid estimate (outside its error budget, not an estimate, not drawn): "
            + ", ".join(invalid)
            + "."
        )
    if assumed & set(series):
        notes.append(ASSUMED_NOTE)
    return notes


def _count(k: int) -> str:
    """A number of factories: exact up to 6 digits, else 3 significant figures (6.89e10)."""
    return f"{k:,}" if k < 10**6 else f"{k:.3g}".replace("e+", "e")


def plot_frontier(
    series: Mapping[str, Sequence[Sequence[Any]]],
    out_dir: Union[str, Path] = ".",
    stem: str = "frontier",
    formats: Union[str, Iterable[str]] = ("png", "pdf"),
    title: str = "Space-time frontier of one QLACI head",
    assumed: Optional[Sequence[str]] = None,
) -> list[Path]:
    """Physical qubits vs runtime, one line per model.

    Args:
        series: model -> [(n_factories, physical_qubits, runtime_s), ...], fewest qubits first
            (`physical.frontier` order); exact values of any size.
        out_dir, stem, formats, title, assumed: As in `plot_metrics`; one file per format.

    Returns:
        The files written, sorted.
    """
    chosen = checked_formats(formats)
    return save_figure(frontier_figure(series, title, assumed), Path(out_dir), stem, chosen)
