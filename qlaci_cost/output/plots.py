"""Log-log plots of cost against N: QRAM metrics, the QLACI head vs classical baselines, crossover.

Inputs are plain Python structures (dicts, lists of tuples); values may be exact ints of any size,
`Fraction`s, sympy numbers or floats. Everything is drawn in log10 space (`math.log10` of the
exact value), so 2^200 gates or 2^2000 seconds plot without float overflow; the tick labels
read as powers (2^k for N, 10^k for costs), so the axes read as log-log axes. Values that are
zero (or not numbers) cannot sit on a log axis: they are left out and the caption says which.

Output is reproducible byte for byte: a fixed style (`matplotlib.rcParamsDefault` plus the
settings in `_STYLE`, whatever the user's matplotlibrc says), fixed figure sizes and dpi, the Agg
canvas (no display, no pyplot state), no dates or version strings in the file metadata, and a
fixed SVG hash salt.
"""

import functools
import io
import math
import numbers
import statistics
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, Optional, Union

import matplotlib
import numpy as np
import sympy
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from qlaci_cost.core.summary import METRICS
from qlaci_cost.symbolics.scaling import loglog_slope

__all__ = ["FORMATS", "plot_crossover", "plot_head_vs_classical", "plot_metrics"]

FORMATS: tuple[str, ...] = ("png", "pdf", "svg")

#: Models whose numbers are an assumption of the proposal, not a circuit: drawn dotted.
ASSUMED: tuple[str, ...] = ("ideal",)

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
}

N_LABEL = "N (sequence length)"
_DPI = 150
_METADATA = {
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
    "svg": {"Date": None, "Creator": None},
}
_STYLE = {
    "svg.hashsalt": "qlaci-cost",
    "figure.dpi": _DPI,
    "savefig.dpi": _DPI,
    "font.family": ["DejaVu Sans"],
    "font.size": 10,
    "axes.grid": True,
    "grid.color": "0.88",
    "legend.fontsize": "small",
}
_NOT_STYLE = ("backend", "backend_fallback", "interactive", "figure.max_open_warning")
_COLORS = tuple(f"C{i}" for i in range(10))
_KNOWN = (
    "bucket-brigade",
    "bucket-brigade-parallel",
    "fanout",
    "qrom",
    "select-swap",
    "qroam-clean",
    "ideal",
)
_MARKERS = ("o", "s", "^", "v", "D", "P", "X", "<", ">", "*")
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
_LOG2 = math.log10(2)
_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")

Point = tuple[int, Any]


# --- inputs -----------------------------------------------------------------------------------


def _formats(formats: Union[str, Iterable[str]]) -> list[str]:
    chosen = [formats] if isinstance(formats, str) else list(formats)
    for fmt in chosen:
        if fmt not in FORMATS:
            raise ValueError(f"unknown plot format {fmt!r}: allowed are {', '.join(FORMATS)}")
    if not chosen:
        raise ValueError(f"no plot format given: choose from {', '.join(FORMATS)}")
    return sorted(set(chosen))


def _size(n: Any) -> int:
    """N as a positive int (sympy and numpy integers accepted)."""
    if isinstance(n, sympy.Integer) or (
        isinstance(n, numbers.Integral) and not isinstance(n, bool)
    ):
        if int(n) >= 1:
            return int(n)
    raise ValueError(f"N must be a positive integer to plot, got {n!r}")


def _log10(value: Any) -> Optional[float]:
    """log10 of a positive number of any size; None for zero, negatives, NaN and symbols."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, sympy.Basic):
        if not value.is_number or not value.is_real:
            return None
        value = (
            int(value)
            if value.is_Integer
            else (Fraction(int(value.p), int(value.q)) if value.is_Rational else float(value))
        )
    if isinstance(value, numbers.Integral):
        return math.log10(int(value)) if value > 0 else None
    if isinstance(value, numbers.Rational):
        value = Fraction(value)
        return math.log10(value.numerator) - math.log10(value.denominator) if value > 0 else None
    try:
        value = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return math.log10(value) if value > 0 and math.isfinite(value) else None


def _field(record: Any, name: str) -> Any:
    return record[name] if isinstance(record, Mapping) else getattr(record, name)


def _crossover_n(record: Any) -> Any:
    """`crossover`, or `crossover_N` as in `qlaci_cost.analysis.crossover` records."""
    has = (lambda k: k in record) if isinstance(record, Mapping) else (lambda k: hasattr(record, k))
    return _field(record, "crossover" if has("crossover") else "crossover_N")


def _label(model: str, assumed: Sequence[str]) -> str:
    return f"{model} (assumed)" if model in assumed else model


def _colors(names: Iterable[str]) -> dict[str, str]:
    """Known models keep one colour in every figure; others take the unused ones in order."""
    names = list(dict.fromkeys(names))
    out = {m: _COLORS[_KNOWN.index(m)] for m in names if m in _KNOWN}
    spare = [c for c in ("C8", "C9", *_COLORS[:7], "C7") if c not in out.values()]
    for m in names:
        if m not in out:
            out[m] = spare.pop(0) if spare else "0.2"
    return out


def _power2(n: int) -> str:
    k = n.bit_length() - 1
    return f"2{_sup(k)}" if n == 1 << k else f"{n:,}"


def _sup(k: int) -> str:
    """An integer exponent in Unicode superscripts (no mathtext: faster, same in every format)."""
    return str(k).translate(_SUPERSCRIPTS)


# --- figure, axes and ticks -------------------------------------------------------------------


def _style() -> dict[str, Any]:
    rc = {k: v for k, v in matplotlib.rcParamsDefault.items() if k not in _NOT_STYLE}
    return {**rc, **_STYLE}


def _styled(function):
    """Run `function` under the fixed style: figures are built and saved with the same rc."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(_style()):
            return function(*args, **kwargs)

    return wrapper


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=_DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _limits(values: Sequence[float], minimum: float = 0.6) -> tuple[float, float]:
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    pad = max(0.04 * (hi - lo), (minimum - (hi - lo)) / 2, 0.15)
    return lo - pad, hi + pad


def _step(count: float, steps: Sequence[int], most: int) -> int:
    return next((s for s in steps if count / s < most), steps[-1])


def _minor(step: int) -> int:
    """Minor tick spacing: the smallest divisor of the major step that gives at most 5 per step."""
    return next(d for d in range(1, step + 1) if step % d == 0 and step // d <= 5)


def _n_axis(ax, xs: Sequence[float]) -> None:
    """x = log10 N: ticks at powers of two, labelled 2^k."""
    lo, hi = _limits(xs, minimum=2 * _LOG2)
    kmin, kmax = math.ceil(lo / _LOG2), math.floor(hi / _LOG2)
    step = _step(kmax - kmin, (1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 50, 64, 100, 128, 250, 500), 8)
    ks = [k for k in range(kmin, kmax + 1) if k % step == 0]
    ax.set_xlim(lo, hi)
    ax.set_xticks([k * _LOG2 for k in ks], [f"2{_sup(k)}" for k in ks])
    minor = _minor(step)
    ax.set_xticks([k * _LOG2 for k in range(kmin, kmax + 1) if k % minor == 0], minor=True)
    ax.set_xlabel(N_LABEL)


def _value_axis(ax, ys: Sequence[float], label: str, include: Sequence[float] = ()) -> None:
    """y = log10 value: decade ticks labelled 10^k (1, 2, 5 per decade on short ranges)."""
    lo, hi = _limits(list(ys) + list(include))
    ax.set_ylim(lo, hi)
    kmin, kmax = math.ceil(lo), math.floor(hi)
    if hi - lo >= 2.5:
        step = _step(kmax - kmin, (1, 2, 3, 5, 10, 20, 25, 50, 100, 200, 500), 8)
        ks = [k for k in range(kmin, kmax + 1) if k % step == 0]
        ax.set_yticks(ks, [f"10{_sup(k)}" for k in ks])
        ax.set_yticks([k for k in range(kmin, kmax + 1) if k % _minor(step) == 0], minor=True)
    else:
        mantissas = (1, 2, 5) if hi - lo >= 1 else (1, 2, 3, 4, 5, 6, 7, 8, 9)
        ticks = [(m, k) for k in range(kmin - 1, kmax + 1) for m in mantissas]
        ticks = [(m, k) for m, k in ticks if lo <= math.log10(m) + k <= hi]
        ax.set_yticks([math.log10(m) + k for m, k in ticks], [_decimal(m, k) for m, k in ticks])
    ax.set_ylabel(label)


def _decimal(m: int, k: int) -> str:
    if 0 <= k <= 3:
        return str(m * 10**k)
    if -3 <= k < 0:
        return f"{m / 10**-k:.{-k}f}"
    return f"10{_sup(k)}" if m == 1 else f"{m}×10{_sup(k)}"


def _caption(fig: Figure, notes: Sequence[str], width: int = 125) -> None:
    """Notes under the axes, wrapped to the figure width (constrained layout makes room)."""
    if notes:
        text = "\n".join(textwrap.fill(note, width) for note in notes)
        fig.supxlabel(text, x=0.01, ha="left", fontsize="small", color="0.3")


@_styled
def _save(fig: Figure, out_dir: Path, name: str, formats: Sequence[str]) -> list[Path]:
    """Render every format first, then write: a failure leaves no partial file."""
    rendered = {}
    for fmt in formats:
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=_DPI, metadata=_METADATA[fmt])
        rendered[out_dir / f"{name}.{fmt}"] = buffer.getvalue()
    out_dir.mkdir(parents=True, exist_ok=True)
    for path, data in rendered.items():
        path.write_bytes(data)
    return sorted(rendered)


def _series(points: Iterable[Sequence[Any]], column: int) -> tuple[list, list, int]:
    """(log10 N, log10 value) of the plottable points, and how many were left out."""
    xs, ys, left_out = [], [], 0
    for point in sorted(points, key=lambda p: _size(p[0])):
        y = _log10(point[column])
        if y is None:
            left_out += 1
        else:
            xs.append(math.log10(_size(point[0])))
            ys.append(y)
    return xs, ys, left_out


def _omitted(name: str, left_out: int, total: int) -> str:
    return f"{name} (all {total})" if left_out == total else f"{name} ({left_out} of {total})"


# --- QRAM metrics -----------------------------------------------------------------------------


def _metric_groups(rows: Sequence[Mapping[str, Any]], metric: str) -> dict[str, list[Point]]:
    """model (with ' b=...' when rows differ in bits) -> [(N, value)] sorted by N."""
    several_bits = len({row.get("bits") for row in rows}) > 1
    groups: dict[str, list[Point]] = {}
    for row in rows:
        if metric not in row:
            raise ValueError(f"row for model {row.get('model')!r} has no metric {metric!r}")
        key = f"{row['model']} b={row['bits']}" if several_bits else str(row["model"])
        groups.setdefault(key, []).append((_size(row["N"]), row[metric]))
    return {key: sorted(points, key=lambda p: p[0]) for key, points in groups.items()}


def _slope_text(points: Sequence[Point]) -> str:
    """`loglog_slope` over the top decade of N; when that decade holds one point (a grid
    coarser than x10 per step), the slope between the two largest N, and says so."""
    numeric = [(n, v) for n, v in points if _log10(v) is not None or v == 0]
    slope = loglog_slope([n for n, _ in numeric], [v for _, v in numeric])
    if slope is not None:
        return f"slope {slope:.2f}"
    positive = list({n: _log10(v) for n, v in points if _log10(v) is not None}.items())
    if len(positive) < 2:
        return "slope n/a"
    (n1, y1), (n2, y2) = positive[-2:]
    return f"slope {(y2 - y1) / (math.log10(n2) - math.log10(n1)):.2f}, last two N"


@_styled
def _metric_figure(
    rows: Sequence[Mapping[str, Any]],
    metric: str,
    title: str = "QRAM models",
    assumed: Sequence[str] = ASSUMED,
) -> Figure:
    """One metric against N, one line per model, slopes in the legend, reference lines."""
    if not rows:
        raise ValueError("no rows to plot")
    name, ylabel = METRIC_LABELS.get(metric, (metric, metric))
    groups = _metric_groups(rows, metric)
    models = {key: key.split(" b=")[0] for key in groups}
    colors = _colors(models.values())
    fig = _figure(9.0, 5.4)
    ax = fig.add_subplot()
    all_x = [math.log10(n) for points in groups.values() for n, _ in points]
    shown: dict[str, tuple[list, list]] = {}
    omitted, notes = [], []
    for i, (key, points) in enumerate(groups.items()):
        model = models[key]
        xs, ys, left_out = _series(points, 1)
        if left_out:
            omitted.append(_omitted(key, left_out, len(points)))
        if xs:
            shown[key] = ([n for n, v in points if _log10(v) is not None], ys)
        text = f"{key} ({'assumed; ' if model in assumed else ''}{_slope_text(points)})"
        ax.plot(
            xs,
            ys,
            label=text,
            color=colors[model],
            marker=_MARKERS[i % len(_MARKERS)],
            markersize=5,
            markerfacecolor="none",
            linewidth=2.0 if model in assumed else 1.5,
            linestyle=":" if model in assumed else "-",
            zorder=3,
        )
    all_y = [y for _, ys in shown.values() for y in ys]
    anchor = _anchor(shown, [k for k in shown if models[k] not in assumed] or list(shown))
    if anchor is not None:
        n0, y0 = anchor
        x0 = math.log10(n0)
        line_x = np.linspace(min(all_x), max(all_x), 64)
        for label, f, dashes, grey in _REFERENCES:
            xs = [x for x in line_x if x >= _LOG2]
            ys = [y0 + f(x) - f(x0) for x in xs]
            ax.plot(xs, ys, linestyle=dashes, color=grey, linewidth=1.1, label=label, zorder=1)
        notes.append(
            f"Reference lines pass through the median of the models at N = {_power2(n0)}; "
            "slope = least-squares log-log fit over the top decade of N."
        )
    else:
        ax.text(
            0.5,
            0.5,
            f"{name}: every value is 0 (or not a number): nothing to draw on log axes",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="0.3",
        )
    if omitted:
        notes.append("Zero values are not shown on log axes: " + ", ".join(omitted) + ".")
    same = [" = ".join(keys) for keys in _coincident(groups) if any(k in shown for k in keys)]
    if same:
        notes.append("Identical values (lines drawn on top of each other): " + "; ".join(same))
    if any(m in assumed for m in models.values()):
        notes.append("Dotted (assumed): a cost the proposal assumes, not a circuit.")
    _n_axis(ax, all_x)
    _value_axis(ax, all_y, ylabel)
    ax.set_title(f"{title}: {name} vs N")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    _caption(fig, notes)
    return fig


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
    assumed: Sequence[str] = ASSUMED,
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
        assumed: Models drawn dotted and labelled as assumptions.

    Returns:
        The files written, sorted.
    """
    chosen = _formats(formats)
    for metric in metrics:
        _metric_groups(rows, metric)  # every input error before the first file
    written: list[Path] = []
    for metric in metrics:
        fig = _metric_figure(rows, metric, title=title, assumed=assumed)
        written += _save(fig, Path(out_dir), f"{stem}_{metric}", chosen)
    return sorted(written)


# --- QLACI head vs classical baselines --------------------------------------------------------


@_styled
def _head_figure(
    quantum: Mapping[str, Sequence[Sequence[Any]]],
    classical: Mapping[str, Sequence[Sequence[Any]]],
    title: str,
    assumed: Sequence[str],
) -> Figure:
    if not quantum and not classical:
        raise ValueError("nothing to plot: no quantum and no classical series")
    fig = _figure(14.0, 6.0)
    grid = fig.add_gridspec(2, 3, height_ratios=(1, 12))
    key = fig.add_subplot(grid[0, :])  # a row of its own for the legend, under the title
    key.set_axis_off()
    runtime = fig.add_subplot(grid[1, 0])
    qubits, memory = (fig.add_subplot(grid[1, i], sharex=runtime) for i in (1, 2))
    colors = _colors(list(quantum) + list(classical))
    panels = {runtime: [], qubits: [], memory: []}
    all_x, omitted = [], []
    for side, series, column, ax in (
        ("quantum", quantum, 2, qubits),
        ("classical", classical, 2, memory),
    ):
        for i, (name, points) in enumerate(series.items()):
            is_assumed = side == "quantum" and name in assumed
            style = dict(
                color=colors[name],
                markersize=4,
                marker=_MARKERS[i % len(_MARKERS)],
                linestyle=":" if is_assumed else ("-" if side == "quantum" else "--"),
                label=f"{side}: {_label(name, assumed) if side == 'quantum' else name}",
            )
            for target, col in ((runtime, 1), (ax, column)):
                xs, ys, left_out = _series(points, col)
                target.plot(xs, ys, **style)
                panels[target] += ys
                all_x += xs
                if left_out:
                    what = "runtime" if col == 1 else ("qubits" if side == "quantum" else "memory")
                    omitted.append(_omitted(f"{name} {what}", left_out, len(points)))
    for ax, label, name in (
        (runtime, "runtime (s)", "runtime per head"),
        (qubits, "logical qubits (peak)", "quantum: logical qubits"),
        (memory, "memory (bytes)", "classical: resident memory"),
    ):
        _n_axis(ax, all_x)
        _value_axis(ax, panels[ax], label)
        ax.set_title(name)
    fig.suptitle(title)
    handles, labels = runtime.get_legend_handles_labels()
    key.legend(handles, labels, loc="center", ncols=min(5, len(labels)))
    notes = []
    if omitted:
        notes.append("Zero values are not shown on log axes: " + ", ".join(omitted) + ".")
    if any(name in assumed for name in quantum):
        notes.append("Dotted (assumed): a cost the proposal assumes, not a circuit.")
    _caption(fig, notes)
    return fig


def plot_head_vs_classical(
    quantum: Mapping[str, Sequence[Sequence[Any]]],
    classical: Mapping[str, Sequence[Sequence[Any]]],
    out_dir: Union[str, Path] = ".",
    stem: str = "head_vs_classical",
    formats: Union[str, Iterable[str]] = ("png", "pdf"),
    title: str = "QLACI head vs classical attention",
    assumed: Sequence[str] = ASSUMED,
) -> list[Path]:
    """Three log-log panels against N: runtime (s), logical qubits, classical memory (bytes).

    Args:
        quantum: QRAM model -> [(N, runtime_s, qubits), ...] for one QLACI head.
        classical: Baseline -> [(N, runtime_s, memory_bytes), ...].
        out_dir, stem, formats, title, assumed: As in `plot_metrics`; one file per format.

    Returns:
        The files written, sorted.
    """
    chosen = _formats(formats)
    fig = _head_figure(quantum, classical, title, assumed)
    return _save(fig, Path(out_dir), stem, chosen)


# --- crossover --------------------------------------------------------------------------------


@_styled
def _crossover_figure(records: Sequence[Any], title: str, assumed: Sequence[str]) -> Figure:
    if not records:
        raise ValueError("no crossover records to plot")
    models = [str(_field(r, "model")) for r in records]
    baselines = list(dict.fromkeys(str(_field(r, "baseline")) for r in records))
    colors = _colors(models)
    fig = _figure(9.5, 5.4)
    ax = fig.add_subplot()
    all_x, all_y, omitted = [], [], []
    for record, model in zip(records, models):
        baseline = str(_field(record, "baseline"))
        points = [(_size(n), q, c) for n, q, c in _field(record, "points")]
        ratio = [(n, _log10(q), _log10(c)) for n, q, c in points]
        drawn = [
            (math.log10(n), lq - lc) for n, lq, lc in ratio if lq is not None and lc is not None
        ]
        drawn.sort()
        if len(drawn) < len(points):
            omitted.append(
                _omitted(f"{model} vs {baseline}", len(points) - len(drawn), len(points))
            )
        crossover = _crossover_n(record)
        if crossover is None:
            top = max((n for n, *_ in points), default=None)
            where = f"no crossover up to N = {_power2(top)}" if top else "no crossover"
        else:
            where = f"crossover at N = {_power2(_size(crossover))}"
        xs, ys = [x for x, _ in drawn], [y for _, y in drawn]
        ax.plot(
            xs,
            ys,
            color=colors[model],
            linestyle=":" if model in assumed else "-",
            marker=_MARKERS[baselines.index(baseline) % len(_MARKERS)],
            markersize=4,
            label=f"{_label(model, assumed)} vs {baseline}: {where}",
            zorder=3,
        )
        all_x += xs
        all_y += ys
        if crossover is not None:
            x = math.log10(_size(crossover))
            y = next((y for xd, y in drawn if xd == x), 0.0)
            ax.plot(
                [x],
                [y],
                marker="*",
                markersize=14,
                color=colors[model],
                markeredgecolor="black",
                linestyle="none",
                zorder=4,
            )
            all_x.append(x)
    _n_axis(ax, all_x)
    _value_axis(ax, all_y, "runtime ratio quantum / classical (dimensionless)", include=(0.0,))
    lo, _ = ax.get_ylim()
    ax.axhspan(lo, 0.0, color="tab:green", alpha=0.08, label="quantum faster (ratio < 1)")
    ax.axhline(0.0, color="black", linewidth=1.0, linestyle="--", label="break-even (ratio 1)")
    ax.set_ylim(lo, ax.get_ylim()[1])
    handles, labels = ax.get_legend_handles_labels()
    if any(_crossover_n(r) is not None for r in records):
        handles.append(
            Line2D(
                [],
                [],
                marker="*",
                markersize=10,
                color="0.5",
                markeredgecolor="black",
                linestyle="none",
            )
        )
        labels.append("crossover: quantum faster from this N on")
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    ax.set_title(title)
    notes = ["Ratio below 1: the quantum head is faster on the stated hardware."]
    if omitted:
        notes.append("Zero or missing runtimes are not shown on log axes: " + ", ".join(omitted))
    _caption(fig, notes)
    return fig


def plot_crossover(
    records: Sequence[Any],
    out_dir: Union[str, Path] = ".",
    stem: str = "crossover",
    formats: Union[str, Iterable[str]] = ("png", "pdf"),
    title: str = "Crossover: quantum / classical runtime vs N",
    assumed: Sequence[str] = ASSUMED,
) -> list[Path]:
    """Runtime ratio quantum / classical against N, one line per (model, baseline).

    Args:
        records: Mappings (or objects with these attributes): `model`, `baseline`, `points` =
            [(N, quantum_runtime_s, classical_runtime_s), ...], `crossover` = the first N at
            which the quantum head is faster, or None ("no crossover up to 2^k" is printed);
            `crossover_N` is read when `crossover` is absent (the
            `qlaci_cost.analysis.crossover` name).
        out_dir, stem, formats, title, assumed: As in `plot_metrics`; one file per format.

    Returns:
        The files written, sorted.
    """
    chosen = _formats(formats)
    fig = _crossover_figure(records, title, assumed)
    return _save(fig, Path(out_dir), stem, chosen)
