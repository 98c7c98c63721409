"""Pictures of a bloq: its call graph and the circuit of a small instance, as SVG or PNG.

`render(drawing, fmt)` draws a `core.drawings.Drawing` in two panels, one above the other:

- the **call graph** of the counted (size-only) bloq, each node with the qubits and gate counts
  Qualtran's cost queries give it and each edge with how many times the caller calls the callee:
  Qualtran's `GraphvizCallGraph` laid out by Graphviz's `dot` where that program is installed
  (`graphviz_available`), else the same graph and the same labels laid out in layers and drawn
  with matplotlib (nothing outside Python);
- the **circuit** of the concrete instance: its decomposition, `levels` deep, as Qualtran's
  musical score (`qualtran.drawing.musical_score`: one horizontal line per register, one
  column per operation), drawn with matplotlib. A level that is a single operation is
  opened one level further (it would show one box and nothing of the circuit).

The panels are composed into one document (SVG: nested `<svg>` elements, ids kept apart; PNG:
the images stacked). The same drawing gives the same bytes: the figures use the fixed style of
`output.plots.style` and no dates. `draw_gallery` writes the report's pictures (the bloqs the
families name in their `GALLERY`), always with the matplotlib layout: Graphviz's output depends
on its version and on whether it is installed, and a report is the same on every machine.
This module names no family and no model: the bloqs come from `core.drawings`.
"""

import io
import shutil
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Callable, NamedTuple, Optional

import matplotlib
from attrs import frozen
from qualtran import Bloq, Signature
from qualtran.drawing import Text

from qlaci_cost.core.drawings import Drawing, drawing, gallery
from qlaci_cost.errors import InputError
from qlaci_cost.output.plots.style import styled

__all__ = [
    "FORMATS",
    "GALLERY_N",
    "MAX_LEVELS",
    "PICTURES",
    "draw_gallery",
    "gallery_files",
    "graphviz_available",
    "render",
]

FORMATS: tuple[str, ...] = ("svg", "png")
#: What a picture shows: both panels, or one of them.
PICTURES: tuple[str, ...] = ("both", "call-graph", "circuit")
#: Deepest decomposition drawn (a level more roughly multiplies the columns by 3 to 10).
MAX_LEVELS = 3
#: Wires a circuit may have at once (Qualtran's line manager holds 100 unless told).
_MAX_LINES = 1 << 14
#: Size of the report's gallery pictures.
GALLERY_N = 8
_DPI = 150
_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"
_METADATA_NAMESPACES = {
    "cc": "http://creativecommons.org/ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}
_METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}}


def graphviz_available() -> bool:
    """True when Graphviz's `dot` program is on PATH (pydot runs it to lay out graphs)."""
    return shutil.which("dot") is not None


def _check(fmt: str, picture: str, levels: int) -> None:
    if fmt not in FORMATS:
        raise InputError(f"format {fmt!r} is not allowed: choose from {', '.join(FORMATS)}")
    if picture not in PICTURES:
        raise InputError(f"picture {picture!r} is not allowed: choose from {', '.join(PICTURES)}")
    if type(levels) is not int or not 1 <= levels <= MAX_LEVELS:
        raise InputError(
            f"levels={levels!r} is not allowed: an integer from 1 to {MAX_LEVELS} is needed"
        )


class _Panel(NamedTuple):
    """One panel of a picture: its size in inches and how to draw it into a (sub)figure."""

    width: float
    height: float
    draw: Callable[[Any], None]


def render(
    drawn: Drawing,
    fmt: str = "svg",
    picture: str = "both",
    levels: int = 1,
    graphviz: Optional[bool] = None,
) -> bytes:
    """The picture of `drawn` as `fmt` bytes ("svg" or "png").

    Args:
        drawn: What to draw (`core.drawings.drawing(name, n)`).
        fmt: `svg` or `png`.
        picture: `both` (the call graph above the circuit), `call-graph` or `circuit`.
        levels: Decomposition levels of the circuit, 1 to `MAX_LEVELS`.
        graphviz: Lay the call graph out with Graphviz (default: when `dot` is installed);
            False draws it with matplotlib alone.
    """
    _check(fmt, picture, levels)
    use_dot = graphviz_available() if graphviz is None else graphviz
    dot, panels = None, []
    if picture in ("both", "call-graph"):
        drawer = _call_graph(drawn.counted)
        title = f"Call graph: {drawn.title} (size-only: the counts the tables use)"
        if use_dot:
            dot = _call_graph_dot(drawer, title, fmt)
        else:
            panels.append(_call_graph_panel(drawer.g, drawer.bloq_data, title))
    if picture in ("both", "circuit"):
        panels.append(_circuit_panel(drawn, levels))
    if dot is None:
        return _save(_figure(panels), fmt)
    if not panels:
        return dot
    return _compose([dot, _save(_figure(panels), fmt)], fmt)


@styled
def _figure(panels: Sequence[_Panel]):
    """One figure holding `panels` one above the other (no layout engine: each panel places
    its own axes)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width, height = max(p.width for p in panels), sum(p.height for p in panels)
    fig = Figure(figsize=(width, height), dpi=_DPI)
    FigureCanvasAgg(fig)
    if len(panels) == 1:
        panels[0].draw(fig)
        return fig
    subfigures = fig.subfigures(len(panels), 1, height_ratios=[p.height for p in panels])
    for sub, panel in zip(subfigures, panels):
        panel.draw(sub)
    return fig


# --- the call graph ---------------------------------------------------------------------------


def _call_graph(bloq: Any):
    """Qualtran's call-graph drawer of `bloq`: the graph and each node's formatted costs."""
    from qualtran.drawing import GraphvizCallGraph

    return GraphvizCallGraph.from_bloq(bloq)


def _call_graph_dot(drawer, title: str, fmt: str) -> bytes:
    """Qualtran's call-graph drawing, laid out and rendered by Graphviz's `dot`."""
    graph = drawer.get_graph()
    graph.set_label(title)
    graph.set_labelloc("t")
    graph.set_fontname("DejaVu Sans")
    return graph.create(prog="dot", format=fmt)  # PNG at dot's 96 dpi: the size of its fonts


def _layers(g) -> list[list[Any]]:
    """The nodes of the call graph `g` in layers (a node one below its deepest caller), each
    layer ordered by the mean position of its callers (fewer crossings)."""
    import networkx as nx

    depth: dict[Any, int] = {}
    for node in nx.topological_sort(g):
        depth[node] = max((depth[p] + 1 for p in g.predecessors(node)), default=0)
    layers: list[list[Any]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for node in nx.topological_sort(g):
        layers[depth[node]].append(node)
    place: dict[Any, float] = {}
    for layer in layers:
        keyed = []
        for k, node in enumerate(layer):
            callers = [place[p] for p in g.predecessors(node) if p in place]
            keyed.append((sum(callers) / len(callers) if callers else k, k, node))
        layer[:] = [node for _, _, node in sorted(keyed, key=lambda t: t[:2])]
        for k, node in enumerate(layer):
            place[node] = (k + 0.5) / len(layer)
    return layers


def _node_label(bloq: Any, data: dict) -> str:
    title = textwrap.fill(str(bloq), 34)
    costs = ", ".join(f"{k} {v}" for k, v in data.items())
    return title + ("\n" + textwrap.fill(costs, 40) if costs else "")


def _call_graph_panel(g, bloq_data: dict, title: str) -> _Panel:
    """The call graph drawn with matplotlib: layers top to bottom, one box per bloq (its name
    and costs), an arrow per call labelled with its count."""
    layers = _layers(g)
    widest = max((len(layer) for layer in layers), default=1)
    width, height = min(max(6.0, 2.3 * widest), 60.0), 0.6 + 1.25 * max(len(layers), 1)

    def draw(fig) -> None:
        ax = fig.add_axes((0.01, 0.01, 0.98, 1 - 0.45 / height))
        ax.set_axis_off()
        ax.set_xlim(0, 1)
        ax.set_ylim(-len(layers) + 0.4, 0.6)
        ax.set_title(textwrap.fill(title, int(width * 11)), fontsize=9, loc="left")
        where = {
            node: ((k + 0.5) / len(layer), -row)
            for row, layer in enumerate(layers)
            for k, node in enumerate(layer)
        }
        boxes = {
            node: _box(ax, xy, _node_label(node, bloq_data.get(node, {})))
            for node, xy in where.items()
        }
        for caller, callee, attrs in g.edges(data=True):
            _arrow(ax, boxes[caller], boxes[callee], str(attrs.get("n", "")))

    return _Panel(width, height, draw)


def _box(ax, xy, text: str):
    box = dict(boxstyle="round,pad=0.35", fc="white", ec="0.35", lw=0.6)
    return ax.text(*xy, text, ha="center", va="center", fontsize=6, bbox=box, zorder=3)


def _arrow(ax, caller, callee, count: str) -> None:
    """An arrow from box `caller` to box `callee` (its head short of the callee's box by about
    half its height), `count` written near its head."""
    lines = callee.get_text().count("\n") + 1
    arrow = dict(arrowstyle="-|>", color="0.45", lw=0.6, shrinkA=0, shrinkB=4.5 * lines + 5)
    (x0, y0), (x1, y1) = caller.get_position(), callee.get_position()
    ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops=arrow, zorder=1)
    label = dict(boxstyle="round,pad=0.1", fc="white", ec="none")
    x, y = 0.35 * x0 + 0.65 * x1, 0.35 * y0 + 0.65 * y1
    ax.text(x, y, count, fontsize=6, color="0.2", ha="center", va="center", bbox=label, zorder=2)


# --- the circuit ------------------------------------------------------------------------------


def _circuit(bloq: Any, levels: int):
    """The decomposition of `bloq`, `levels` deep (a level of one operation is opened one
    further, up to `MAX_LEVELS` in all)."""
    from qualtran import (
        DecomposeNotImplementedError,
        DecomposeTypeError,
        DidNotFlattenAnythingError,
    )

    try:
        cbloq = bloq.decompose_bloq()
    except (DecomposeTypeError, DecomposeNotImplementedError):
        return bloq.as_composite_bloq()
    depth = 1
    while depth < MAX_LEVELS and (depth < levels or len(cbloq.bloq_instances) == 1):
        try:
            cbloq = cbloq.flatten_once()
        except DidNotFlattenAnythingError:
            break
        depth += 1
    return cbloq


def _labelled(cbloq):
    """`cbloq` rebuilt with every operation that has no title of its own (Qualtran 0.7's
    controlled `XorK` raises instead of giving one) replaced by a stand-in titled with its
    name; the registers' symbols stay the bloq's own."""
    from qualtran import BloqBuilder

    bb, _ = BloqBuilder.from_signature(cbloq.signature)
    soq_map: list = []
    for binst, in_soqs, old_out in cbloq.iter_bloqsoqs():
        bloq = binst.bloq
        try:
            bloq.wire_symbol(None)
        except ValueError:
            bloq = _Titled(bloq, str(bloq))
        new_out = bb.add_t(bloq, **bb.map_soqs(in_soqs, soq_map))
        soq_map.extend(zip(old_out, new_out))
    return bb.finalize(**bb.map_soqs(cbloq.final_soqs(), soq_map))


@frozen
class _Titled(Bloq):
    """`bloq` under the title `title` (its registers and their symbols unchanged)."""

    bloq: Bloq
    title: str

    @property
    def signature(self) -> Signature:
        return self.bloq.signature

    def wire_symbol(self, reg, idx=()):
        if reg is None:
            return Text(self.title)
        return self.bloq.wire_symbol(reg, idx)


def _score(cbloq):
    """Qualtran's musical-score data of `cbloq` (room for `_MAX_LINES` wires, not its default
    100; operations without a title of their own titled by `_labelled`)."""
    from qualtran.drawing.musical_score import LineManager, get_musical_score_data

    try:
        return get_musical_score_data(cbloq, LineManager(_MAX_LINES))
    except ValueError:
        return get_musical_score_data(_labelled(cbloq), LineManager(_MAX_LINES))


def _circuit_panel(drawn: Drawing, levels: int) -> _Panel:
    """The circuit of `drawn` (Qualtran's musical score), or a line saying why there is none."""
    title = f"Circuit: {drawn.title}"
    concrete = drawn.circuit()
    if concrete is None:
        text = textwrap.fill(f"{title}. {drawn.note}", 90)
        return _Panel(6.0, 1.0, lambda fig: fig.text(0.02, 0.5, text, fontsize=9, va="center"))
    msd = _score(_circuit(concrete, levels))
    width = min(max(6.0, 1.0 * (msd.max_x + 3)), 60.0)
    height = min(max(1.6, 0.36 * (msd.max_y + 1.5)) + 0.5, 40.0)

    def draw(fig) -> None:
        ax = fig.add_axes((0.01, 0.35 / height, 0.98, 1 - 0.8 / height))
        _draw_score(ax, msd)
        ax.set_title(textwrap.fill(title, int(width * 11)), fontsize=9, loc="left")
        if drawn.note:
            note = textwrap.fill(drawn.note, int(width * 14))
            ax.text(0, -0.02, note, transform=ax.transAxes, fontsize=7, va="top", color="0.3")

    return _Panel(width, height, draw)


def _draw_score(ax, msd) -> None:
    """Qualtran's `draw_musical_score` on the axes `ax` (it makes its own figure)."""
    from qualtran.drawing.musical_score import HLineFlavor

    for hline in msd.hlines:
        color = "tab:blue" if hline.flavor is HLineFlavor.CLASSICAL else "black"
        ax.hlines(-hline.y, hline.seq_x_start, hline.seq_x_end, color=color, lw=0.8, zorder=-1)
    for vline in msd.vlines:
        ax.vlines(vline.x, -vline.top_y, -vline.bottom_y, color="black", lw=0.8, zorder=-1)
        if vline.label.text:
            vline.label.draw(ax, vline.x, vline.bottom_y - 0.5)
    for soq in msd.soqs:
        soq.symb.draw(ax, soq.rpos.seq_x, soq.rpos.y)
    ax.set_xlim(-2, msd.max_x + 1)
    ax.set_ylim(-msd.max_y - 0.5, 1)
    ax.set_axis_off()


# --- saving and composing ---------------------------------------------------------------------


@styled
def _save(fig, fmt: str) -> bytes:
    """`fig` as `fmt` bytes; SVG text stays text (searchable, and smaller than glyph paths)."""
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buffer, format=fmt, dpi=_DPI, metadata=_METADATA[fmt], facecolor="white")
    return buffer.getvalue()


def _compose(panels: Sequence[bytes], fmt: str) -> bytes:
    return _stack_svg(panels) if fmt == "svg" else _stack_png(panels)


def _points(length: str) -> float:
    """An SVG length ("120pt", "160px", "90") in points."""
    units = {"pt": 1.0, "px": 0.75, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4}
    text = length.strip()
    for unit, scale in units.items():
        if text.endswith(unit):
            return float(text[: -len(unit)]) * scale
    return float(text) * 0.75


def _prefixed(root: ET.Element, prefix: str) -> None:
    """Every id of `root`'s tree and every reference to one (`url(#id)`, `href="#id"`)
    prefixed, so that two documents nested in one keep their ids apart."""
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    href = f"{{{_XLINK}}}href"
    for el in root.iter():
        if el.get("id"):
            el.set("id", prefix + el.get("id"))
        for key, value in list(el.attrib.items()):
            if key in (href, "href") and value.startswith("#") and value[1:] in ids:
                el.set(key, "#" + prefix + value[1:])
            elif "url(#" in value:
                for name in ids:
                    value = value.replace(f"url(#{name})", f"url(#{prefix}{name})")
                el.set(key, value)


def _stack_svg(panels: Sequence[bytes]) -> bytes:
    ET.register_namespace("", _SVG)
    ET.register_namespace("xlink", _XLINK)
    for prefix, uri in _METADATA_NAMESPACES.items():
        ET.register_namespace(prefix, uri)
    outer = ET.Element(f"{{{_SVG}}}svg", {"version": "1.1"})
    width = y = 0.0
    for k, data in enumerate(panels):
        inner = ET.fromstring(data)
        w, h = _points(inner.get("width", "0")), _points(inner.get("height", "0"))
        if not inner.get("viewBox"):
            inner.set("viewBox", f"0 0 {w:g} {h:g}")
        _prefixed(inner, f"panel{k}-")
        inner.set("x", "0")
        inner.set("y", f"{y:g}")
        inner.set("width", f"{w:g}")
        inner.set("height", f"{h:g}")
        outer.append(inner)
        width, y = max(width, w), y + h
    outer.set("width", f"{width:g}pt")
    outer.set("height", f"{y:g}pt")
    outer.set("viewBox", f"0 0 {width:g} {y:g}")
    body = ET.tostring(outer, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8" standalone="no"?>\n' + body + "\n").encode()


def _stack_png(panels: Sequence[bytes]) -> bytes:
    import matplotlib.image as mpimg
    import numpy as np

    images = []
    for data in panels:
        image = mpimg.imread(io.BytesIO(data), format="png")
        if image.dtype != np.float32 and image.dtype != np.float64:
            image = image.astype(np.float64) / 255.0
        if image.ndim == 2:
            image = np.stack([image] * 3, axis=-1)
        if image.shape[2] == 3:
            image = np.concatenate([image, np.ones(image.shape[:2] + (1,))], axis=2)
        images.append(image)
    width = max(image.shape[1] for image in images)
    padded = [
        np.pad(im, ((0, 0), (0, width - im.shape[1]), (0, 0)), constant_values=1.0) for im in images
    ]
    buffer = io.BytesIO()
    mpimg.imsave(buffer, np.concatenate(padded, axis=0), format="png", metadata=_METADATA["png"])
    return buffer.getvalue()


# --- the report's gallery ---------------------------------------------------------------------


def _gallery_formats(formats: Sequence[str]) -> list[str]:
    return [f for f in FORMATS if f in formats] or ["png"]


def gallery_files(formats: Sequence[str]) -> list[str]:
    """The files `draw_gallery` writes for a report in `formats`, relative to its figures
    folder: `bloq_<name>.<fmt>` for every gallery name, in svg and png where asked (png when
    neither is)."""
    return [f"bloq_{name}.{fmt}" for name in gallery() for fmt in _gallery_formats(formats)]


def draw_gallery(out_dir: "str | Path", formats: Sequence[str] = FORMATS) -> list[Path]:
    """The report's pictures: every family's `GALLERY` bloq at N = `GALLERY_N`, call graph and
    circuit, written into `out_dir` (created if missing); the paths written, in order. The call
    graph is laid out with matplotlib whether or not Graphviz is installed (the same bytes on
    every machine)."""
    out_dir = Path(out_dir)
    rendered = {}
    for name in gallery():
        drawn = drawing(name, GALLERY_N)
        for fmt in _gallery_formats(formats):
            rendered[out_dir / f"bloq_{name}.{fmt}"] = render(drawn, fmt, graphviz=False)
    out_dir.mkdir(parents=True, exist_ok=True)
    for path, data in rendered.items():
        path.write_bytes(data)
    return list(rendered)
