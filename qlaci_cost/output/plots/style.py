"""The fixed look of every figure: style, colours, markers, saving byte for byte, model traits.

Output is reproducible byte for byte: a fixed style (`matplotlib.rcParamsDefault` plus the
settings in `_STYLE`, whatever the user's matplotlibrc says), fixed figure sizes and dpi, the Agg
canvas (no display, no pyplot state), no dates or version strings in the file metadata, and a
fixed SVG hash salt.
"""

import functools
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Optional, Union

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from qlaci_cost.errors import InputError
from qlaci_cost.qram.registry import MODELS

__all__ = ["FORMATS", "assumed_models", "is_assumed"]

FORMATS: tuple[str, ...] = ("png", "pdf", "svg")

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
MARKERS = ("o", "s", "^", "v", "D", "P", "X", "<", ">", "*")
ASSUMED_NOTE = "Dotted (assumed): a cost the proposal assumes, not a circuit."


def is_assumed(model: str) -> bool:
    """True when `model` names a QRAM model whose class is an assumed oracle cost (the class
    trait `ASSUMED_ORACLE`); False for circuits and for names that are not QRAM models (a
    model with ' b=8' appended is looked up without it)."""
    from qlaci_cost.qram.registry import traits

    try:
        return bool(traits(str(model).split(" b=")[0]).ASSUMED_ORACLE)
    except ValueError:
        return False


def assumed_models(names: Iterable[str], assumed: Optional[Sequence[str]] = None) -> set[str]:
    """The names drawn dotted and labelled "assumed": `assumed` when given, else those whose
    model class is an assumed oracle (`is_assumed`)."""
    names = list(names)
    if assumed is not None:
        return {n for n in names if n in assumed or n.split(" b=")[0] in assumed}
    return {n for n in names if is_assumed(n)}


def series_label(model: str, assumed: set[str]) -> str:
    return f"{model} (assumed)" if model in assumed else model


def checked_formats(formats: Union[str, Iterable[str]]) -> list[str]:
    chosen = [formats] if isinstance(formats, str) else list(formats)
    for fmt in chosen:
        if fmt not in FORMATS:
            raise InputError(f"unknown plot format {fmt!r}: allowed are {', '.join(FORMATS)}")
    if not chosen:
        raise InputError(f"no plot format given: choose from {', '.join(FORMATS)}")
    return sorted(set(chosen))


def model_colors(names: Iterable[str]) -> dict[str, str]:
    """Known models keep one colour in every figure; others take the unused ones in order."""
    names = list(dict.fromkeys(names))
    out = {m: _COLORS[MODELS.index(m) % len(_COLORS)] for m in names if m in MODELS}
    spare = [c for c in ("C8", "C9", *_COLORS[:7], "C7") if c not in out.values()]
    for m in names:
        if m not in out:
            out[m] = spare.pop(0) if spare else "0.2"
    return out


def _style() -> dict[str, Any]:
    rc = {k: v for k, v in matplotlib.rcParamsDefault.items() if k not in _NOT_STYLE}
    return {**rc, **_STYLE}


def styled(function):
    """Run `function` under the fixed style: figures are built and saved with the same rc."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(_style()):
            return function(*args, **kwargs)

    return wrapper


def new_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=_DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


@styled
def save_figure(fig: Figure, out_dir: Path, name: str, formats: Sequence[str]) -> list[Path]:
    """Render every format first, then write: a failure leaves no partial file.

    The layout is computed once, by the first format's drawing, and kept for the others
    (constrained layout works in inches, the same for every format), so every format shows the
    same arrangement and the layout is not solved again per format. The other formats are
    saved with no layout engine at all: Matplotlib draws a figure that has one (even the
    "none" placeholder) twice per save, once without rendering to place it."""
    rendered = {}
    engine = fig.get_layout_engine()
    try:
        for fmt in formats:
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, dpi=_DPI, metadata=_METADATA[fmt])
            rendered[out_dir / f"{name}.{fmt}"] = buffer.getvalue()
            fig.set_layout_engine(None)  # the positions the first drawing chose stay
    finally:
        fig.set_layout_engine(engine)
    out_dir.mkdir(parents=True, exist_ok=True)
    for path, data in rendered.items():
        path.write_bytes(data)
    return sorted(rendered)
