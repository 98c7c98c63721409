"""The break-even tornado of one QRAM model: for each knob, the runtime ratio quantum / classical
of one head at the two ends of the knob's physical range, the other knobs at the scenario's
values (`verdicts.breakeven` rows), one bar per (knob, classical baseline), on a log axis with
the break-even line at ratio 1.

A bar that crosses the line is a knob that can flip the verdict (its break-even value is in
the table); a bar entirely right of it cannot, anywhere in its range. An end of the range
whose estimate is not valid (outside its error budget) has no ratio: the bar stops at the
scenario's ratio on that side and is marked.
"""

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Union

from matplotlib.figure import Figure

from qlaci_cost.errors import InputError
from qlaci_cost.output.plots.axes import caption_notes, safe_log10, superscript
from qlaci_cost.output.plots.style import checked_formats, new_figure, save_figure, styled

__all__ = ["plot_tornado", "tornado_bars", "tornado_figure"]

_BASELINE_COLORS = ("C0", "C1", "C2", "C3", "C4", "C5")
_INVALID_NOTE = (
    "* an end of the knob's range gives no valid estimate (outside its error budget): the bar "
    "stops at the scenario's ratio on that side."
)


def tornado_bars(rows: Iterable[Mapping[str, Any]], model: str) -> list[dict[str, Any]]:
    """The bars of `model`'s tornado from break-even rows: one per searched (knob, baseline)
    with a range (not the readout method alone, not the joint pairs), in row order.

    Each bar: knob, baseline, N, low and high (log10 of the ratio at the range's ends, None
    where the estimate is not valid), at (log10 of the ratio at the scenario's values), and
    `partial` (an end without a valid estimate)."""
    bars = []
    for r in rows:
        if r.get("model") != model or "ratio_low" not in r or " x " in str(r["knob"]):
            continue
        at = safe_log10(r["scenario_ratio"])
        low, high = safe_log10(r["ratio_low"]), safe_log10(r["ratio_high"])
        if at is None and low is None and high is None:
            continue
        ends = [x for x in (low, high, at) if x is not None]
        bars.append(
            {
                "knob": r["knob"],
                "baseline": r["baseline"],
                "N": r["N"],
                "low": low,
                "high": high,
                "at": at,
                "left": min(ends),
                "right": max(ends),
                "partial": low is None or high is None,
            }
        )
    return bars


@styled
def tornado_figure(rows: Sequence[Mapping[str, Any]], model: str, title: str) -> Figure:
    """The tornado figure of `model` (see the module docstring)."""
    bars = tornado_bars(rows, model)
    if not bars:
        raise InputError(f"no break-even bars to plot for model {model!r}")
    knobs = list(dict.fromkeys(b["knob"] for b in bars))
    baselines = list(dict.fromkeys(b["baseline"] for b in bars))
    colors = {b: _BASELINE_COLORS[i % len(_BASELINE_COLORS)] for i, b in enumerate(baselines)}
    height = 0.8 / len(baselines)
    fig = new_figure(9.5, 1.2 + 0.45 * len(knobs) * max(1, len(baselines) / 2))
    ax = fig.add_subplot()
    labelled: set[str] = set()
    for bar in bars:
        j = baselines.index(bar["baseline"])
        y = knobs.index(bar["knob"]) - 0.4 + (j + 0.5) * height
        width = max(bar["right"] - bar["left"], 0.02)
        label = None if bar["baseline"] in labelled else bar["baseline"]
        labelled.add(bar["baseline"])
        ax.barh(
            y, width, height * 0.9, left=bar["left"], color=colors[bar["baseline"]], label=label
        )
        if bar["at"] is not None:
            ax.plot([bar["at"]], [y], marker="|", color="black", markersize=8)
        if bar["partial"]:
            ax.text(bar["right"], y, " *", va="center", fontsize=8)
    _axes(ax, bars, knobs, model)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, title="baseline")
    notes = [
        "Each bar: the ratio at the two ends of the knob's physical range (docs/derivations/"
        "breakeven.md), the other knobs at the scenario's values; |: the scenario's ratio. "
        "Left of the dashed line, the quantum head is faster."
    ]
    if any(b["partial"] for b in bars):
        notes.append(_INVALID_NOTE)
    caption_notes(fig, notes)
    return fig


def _axes(ax, bars: Sequence[Mapping[str, Any]], knobs: Sequence[str], model: str) -> None:
    lo = min(min(b["left"] for b in bars), 0.0)
    hi = max(max(b["right"] for b in bars), 0.0)
    pad = max(0.25, 0.04 * (hi - lo))
    first, last = int(lo - pad) - 1, int(hi + pad) + 1
    step = max(1, (last - first) // 10)
    ticks = list(range(first, last + 1, step))
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_xticks(ticks, [f"10{superscript(k)}" for k in ticks])
    ax.axvline(0.0, color="black", linestyle="--", linewidth=1.0)
    ax.set_yticks(range(len(knobs)), knobs)
    ax.invert_yaxis()
    ax.set_xlabel(f"runtime ratio quantum / classical head ({model} QRAM, N = {bars[0]['N']})")


def plot_tornado(
    rows: Sequence[Mapping[str, Any]],
    model: str,
    out_dir: Union[str, Path] = ".",
    stem: str = "tornado",
    formats: Union[str, Iterable[str]] = ("png", "pdf"),
    title: str = "Break-even tornado",
) -> list[Path]:
    """Write `model`'s tornado from break-even rows (`verdicts.breakeven.breakeven`, whose
    rows carry `ratio_low` and `ratio_high`); one file per format. Returns the files, sorted."""
    chosen = checked_formats(formats)
    return save_figure(tornado_figure(rows, model, title), Path(out_dir), stem, chosen)
