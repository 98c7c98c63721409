"""Crossover figures: the runtime ratio quantum / classical head against the sequence length N,
the crossover where the grid reaches it, and where the top-decade trend would reach it
(dashed: extrapolated, the one extrapolation of the report); invalid estimates hollow
(`marks`), the legend under the axes."""

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Optional, Union

from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from qlaci_cost.errors import InputError
from qlaci_cost.output.plots.axes import (
    COINCIDE_NOTE,
    LOG10_2,
    N_SEQUENCE,
    as_size,
    caption_notes,
    coinciding,
    n_axis,
    omitted_label,
    power2_label,
    record_field,
    safe_log10,
    superscript,
    value_axis,
)
from qlaci_cost.output.plots.legend import legend_below
from qlaci_cost.output.plots.marks import (
    EXTRAPOLATED_STYLE,
    INVALID_LABEL,
    INVALID_NOTE,
    draw_invalid,
    extrapolated_key,
    invalid_key,
    point_valid,
)
from qlaci_cost.output.plots.style import (
    MARKERS,
    assumed_models,
    checked_formats,
    model_colors,
    new_figure,
    save_figure,
    series_label,
    styled,
)

__all__ = ["extrapolated_crossover", "plot_crossover"]

#: An extrapolated crossover further than this many doublings beyond the grid is named in the
#: legend but not drawn (it would squash the data).
_DRAW_BEYOND = 12
#: Legend entry of the dashed trend and its star.
EXTRAPOLATED_CROSSOVER = "extrapolated: the top-decade trend to ratio 1 (not computed)"
#: Fill opacity of the star at an extrapolated crossover (tinted: hollow means invalid).
_TINT = 0.35
#: A ratio that falls slower than N^-0.05 (less than 11 % per decade of N) is "not falling".
MIN_FALL = 0.05
#: Re-exported for the figures that share them (`marks` holds what they mean).
_ = (INVALID_LABEL, INVALID_NOTE, draw_invalid, invalid_key, point_valid)


def _crossover_n(record: Any) -> Any:
    """`crossover`, or `crossover_N` as in `qlaci_cost.qlaci.crossover` records."""
    has = (lambda k: k in record) if isinstance(record, Mapping) else (lambda k: hasattr(record, k))
    return record_field(record, "crossover" if has("crossover") else "crossover_N")


def _ratios(points: Iterable[Sequence[Any]]) -> list[tuple[float, float]]:
    """(log10 N, log10 quantum/classical) of the points where both runtimes are positive."""
    out = []
    for n, q, c, *_ in points:
        lq, lc = safe_log10(q), safe_log10(c)
        if lq is not None and lc is not None:
            out.append((math.log10(as_size(n)), lq - lc))
    return sorted(out)


def extrapolated_crossover(points: Iterable[Sequence[Any]]) -> Optional[float]:
    """log2 of the N where the top-decade trend of the runtime ratio reaches 1, or None.

    The ratio quantum / classical is fitted as a power law over the top decade of N (least
    squares of log ratio against log N; the two largest N when the decade holds one point) and
    extended beyond the grid. None when the quantum head is already faster at the largest N
    (a crossover of the grid, not an extrapolation) or the ratio falls slower than N^-`MIN_FALL`
    (flat within rounding: no trend to extend). This is a trend,
    not an estimate: nothing beyond the grid is computed.

    Only valid points count, and there is no trend to extend when the largest N's estimate is
    invalid (nothing is extended from a point that is not an estimate).

    Args:
        points: [(N, quantum_runtime_s, classical_runtime_s[, valid]), ...], exact values of
            any size; `valid` False marks a quantum estimate outside its error budget.
    """
    points = sorted(points, key=lambda p: as_size(p[0]))
    if points and not point_valid(points[-1]):
        return None
    drawn = _ratios([p for p in points if point_valid(p)])
    if len(drawn) < 2 or drawn[-1][1] <= 0:
        return None
    top = [(x, y) for x, y in drawn if x >= drawn[-1][0] - 1]
    if len(top) < 2:
        top = drawn[-2:]
    mx = sum(x for x, _ in top) / len(top)
    my = sum(y for _, y in top) / len(top)
    sxx = sum((x - mx) ** 2 for x, _ in top)
    slope = sum((x - mx) * (y - my) for x, y in top) / sxx
    if slope > -MIN_FALL:
        return None
    x_last, y_last = drawn[-1]
    return (x_last + y_last / -slope) / LOG10_2


def _extrapolated_text(k: float) -> str:
    return f"extrapolated ≈ 2{superscript(round(k))}"


def _series(records: Sequence[Any], keys: Sequence[str]) -> tuple[dict, dict]:
    """(key -> (log10 N, log10 ratio) lists of the valid points, key -> the invalid points)."""
    series, invalid = {}, {}
    for record, key in zip(records, keys):
        points = [(as_size(p[0]), *p[1:]) for p in record_field(record, "points")]
        drawn = _ratios([p for p in points if point_valid(p)])
        series[key] = ([x for x, _ in drawn], [y for _, y in drawn])
        invalid[key] = _ratios([p for p in points if not point_valid(p)])
    return series, invalid


def _where(points: Sequence[Any], crossover: Any, same: Sequence[str]) -> tuple[str, Any]:
    """(the legend's verdict for one line, log2 of its extrapolated crossover or None)."""
    beyond = None
    if crossover is None:
        top = max((p[0] for p in points if point_valid(p)), default=None)
        where = f"no crossover up to N = {power2_label(top)}" if top else "no valid estimate"
        bad = [p[0] for p in points if not point_valid(p)]
        if bad:
            where += f" (invalid at N = {', '.join(power2_label(n) for n in sorted(bad))})"
        beyond = extrapolated_crossover(points)
        if beyond is not None:
            where += f"; {_extrapolated_text(beyond)}"
    else:
        where = f"crossover at N = {power2_label(as_size(crossover))}"
    if same:
        where += " (≈ " + ", ".join(s.split(" vs ")[0] for s in same) + ")"
    return where, beyond


def _mark_crossover(ax, crossover: Any, beyond: Any, xs, ys, color: str, all_x: list) -> bool:
    """A star at the crossover, or a dashed trend to a tinted star at the extrapolated one
    (if within `_DRAW_BEYOND` doublings); True when an extrapolation is drawn."""
    if crossover is not None:
        x = math.log10(as_size(crossover))
        y = next((y for xd, y in zip(xs, ys) if xd == x), 0.0)
        ax.plot(
            [x],
            [y],
            marker="*",
            markersize=14,
            color=color,
            markeredgecolor="black",
            linestyle="none",
            zorder=4,
        )
        all_x.append(x)
    elif beyond is not None and xs and beyond * LOG10_2 <= xs[-1] + _DRAW_BEYOND * LOG10_2:
        x = beyond * LOG10_2
        ax.plot(
            [xs[-1], x],
            [ys[-1], 0.0],
            color=color,
            linestyle=EXTRAPOLATED_STYLE,
            linewidth=1.2,
            zorder=2,
        )
        ax.plot(
            [x],
            [0.0],
            marker="*",
            markersize=13,
            markerfacecolor=to_rgba(color, _TINT),
            markeredgecolor=color,
            linestyle="none",
            zorder=4,
        )
        all_x.append(x)
        return True
    return False


def _legend(ax, records: Sequence[Any], extrapolated: bool, any_invalid: bool) -> list[str]:
    """The legend under the axes, with keys for the stars, the extrapolation and the hollow
    markers; its labels."""
    handles, labels = ax.get_legend_handles_labels()
    if any(_crossover_n(r) is not None for r in records):
        star = Line2D([], [], marker="*", markersize=10, color="0.5", markeredgecolor="black")
        star.set_linestyle("none")
        handles.append(star)
        labels.append("crossover: quantum faster from this N on")
    if extrapolated or any("extrapolated" in t for t in labels):
        handle, _ = extrapolated_key()
        handle.set_marker("*")
        handle.set_markersize(10)
        handle.set_markerfacecolor(to_rgba("0.3", _TINT))
        handles.append(handle)
        labels.append(EXTRAPOLATED_CROSSOVER)
    if any_invalid:
        handle, text = invalid_key()
        handles.append(handle)
        labels.append(text)
    legend_below(ax, handles, labels, most=3)
    return labels


def _caption(labels, extrapolated: bool, any_invalid: bool, overlaps, omitted) -> list[str]:
    notes = ["Ratio below 1 (shaded): the quantum head is faster on the stated hardware."]
    if extrapolated or any("extrapolated" in t for t in labels):
        notes.append(
            "Extrapolated: the ratio's power-law trend over the top decade of N extended to "
            "ratio 1 (dashed, to a tinted star where it is drawn); beyond the grid nothing is "
            "computed."
        )
    if any_invalid:
        notes.append(INVALID_NOTE)
    if overlaps:
        notes.append(COINCIDE_NOTE)
    if omitted:
        notes.append("Zero or missing runtimes are not shown on log axes: " + ", ".join(omitted))
    return notes


@styled
def crossover_figure(
    records: Sequence[Any], title: str, assumed: Optional[Sequence[str]] = None
) -> Figure:
    if not records:
        raise InputError("no crossover records to plot")
    models = [str(record_field(r, "model")) for r in records]
    baselines = list(dict.fromkeys(str(record_field(r, "baseline")) for r in records))
    unique = list(dict.fromkeys(models))
    assumed = assumed_models(models, assumed)
    colors = model_colors(models)
    fig = new_figure(9.5, 6.4)
    ax = fig.add_subplot()
    all_x, all_y, omitted = [], [], []
    keys = [f"{m} vs {record_field(r, 'baseline')}" for r, m in zip(records, models)]
    series, invalid = _series(records, keys)
    overlaps = coinciding(series)
    extrapolated = any_invalid = False
    for record, model, key in zip(records, models, keys):
        baseline = str(record_field(record, "baseline"))
        points = [(as_size(p[0]), *p[1:]) for p in record_field(record, "points")]
        xs, ys = series[key]
        ix, iy = [x for x, _ in invalid[key]], [y for _, y in invalid[key]]
        if len(xs) + len(ix) < len(points):
            omitted.append(omitted_label(key, len(points) - len(xs) - len(ix), len(points)))
        crossover = _crossover_n(record)
        where, beyond = _where(points, crossover, overlaps.get(key, []))
        index = unique.index(model) if len(baselines) == 1 else baselines.index(baseline)
        marker = MARKERS[index % len(MARKERS)]
        name = series_label(model, assumed) + ("" if len(baselines) == 1 else f" vs {baseline}")
        ax.plot(
            xs,
            ys,
            color=colors[model],
            linestyle=":" if model in assumed else "-",
            marker=marker,
            markersize=4,
            markerfacecolor=colors[model],
            label=f"{name}: {where}",
            zorder=3,
        )
        draw_invalid(ax, ix, iy, colors[model], marker)  # not estimates: off the line
        any_invalid |= bool(ix)
        all_x += xs + ix
        all_y += ys + iy
        extrapolated |= _mark_crossover(ax, crossover, beyond, xs, ys, colors[model], all_x)
    n_axis(ax, all_x, N_SEQUENCE)
    value_axis(ax, all_y, "runtime ratio quantum / classical (dimensionless)", include=(0.0,))
    lo, _ = ax.get_ylim()
    ax.axhspan(lo, 0.0, color="tab:green", alpha=0.08, label="quantum faster (ratio < 1)")
    ax.axhline(0.0, color="black", linewidth=1.0, linestyle="-", label="break-even (ratio 1)")
    ax.set_ylim(lo, ax.get_ylim()[1])
    ax.set_title(title)
    labels = _legend(ax, records, extrapolated, any_invalid)
    caption_notes(fig, _caption(labels, extrapolated, any_invalid, overlaps, omitted))
    return fig


def plot_crossover(
    records: Sequence[Any],
    out_dir: Union[str, Path] = ".",
    stem: str = "crossover",
    formats: Union[str, Iterable[str]] = ("png", "pdf"),
    title: str = "Crossover: quantum / classical runtime vs N",
    assumed: Optional[Sequence[str]] = None,
) -> list[Path]:
    """Runtime ratio quantum / classical against N, one line per (model, baseline).

    Args:
        records: Mappings (or objects with these attributes): `model`, `baseline`, `points` =
            [(N, quantum_runtime_s, classical_runtime_s[, valid]), ...] (`valid` False: the
            quantum estimate is outside its error budget, drawn as a hollow marker off the
            line and left out of the trend), `crossover` = the first N at
            which the quantum head is faster, or None ("no crossover up to 2^k" is printed,
            with the `extrapolated_crossover` of the points when the ratio falls);
            `crossover_N` is read when `crossover` is absent (the
            `qlaci_cost.qlaci.crossover` name).
        out_dir, stem, formats, title, assumed: As in `plot_metrics`; one file per format.

    Returns:
        The files written, sorted.
    """
    chosen = checked_formats(formats)
    fig = crossover_figure(records, title, assumed)
    return save_figure(fig, Path(out_dir), stem, chosen)
