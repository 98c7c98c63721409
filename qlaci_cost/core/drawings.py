"""Bloqs to draw, by name, through the family seam (`qlaci_cost.core.family`).

A family may define three optional hooks (`DRAWING_HOOKS`) beside those of `Family`:

| hook | what it gives |
|---|---|
| `drawings()` | {name: one line saying what it is} of the bloqs it can draw |
| `drawing(name, n, **options)` | the `Drawing` of one of them at size N = n |
| `GALLERY` | the names among them the report's gallery draws (may be empty) |

`drawing_names()` gathers every family's names (each name once, in registry order); a family's
own name stands for its first gallery entry (or its first drawing), so `qram` draws a QRAM model
and `qlaci` the QLACI query. Like `core.family`, this module names no family and imports none
until asked.
"""

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, Optional

from qlaci_cost.core.family import FAMILIES, families, family
from qlaci_cost.errors import InputError

__all__ = [
    "DRAWING_HOOKS",
    "Drawing",
    "UnknownDrawingError",
    "descriptions",
    "drawing",
    "drawing_names",
    "gallery",
    "resolve",
]

#: The optional hooks of a family that can draw its bloqs.
DRAWING_HOOKS: tuple[str, ...] = ("GALLERY", "drawings", "drawing")


class UnknownDrawingError(InputError):
    """A name no family can draw."""


class Drawing(NamedTuple):
    """What `qlaci-cost draw` draws of one bloq at one size.

    Attributes:
        title: One line naming the bloq and its sizes ("bucket-brigade QRAM, N = 8, b = 2").
        counted: The size-only bloq at these sizes, the one the tables count: its call graph.
        make_circuit: Builds a concrete instance (data and angles given) whose decomposition
            is drawn as a circuit, only when asked (`circuit()`: at a large N the call graph
            is drawn alone); None when there is no circuit (an assumed oracle).
        note: What the circuit shows (its data, its angles), or why there is none.
    """

    title: str
    counted: Any
    make_circuit: Optional[Callable[[], Any]]
    note: str = ""

    def circuit(self) -> Optional[Any]:
        """The concrete instance (`make_circuit()`), or None when there is no circuit."""
        return None if self.make_circuit is None else self.make_circuit()


def _drawing_families() -> list:
    return [fam for fam in families() if all(hasattr(fam, h) for h in DRAWING_HOOKS)]


def drawing_names() -> dict[str, str]:
    """{name: family name} of every bloq a registered family can draw, each name once (the
    first family naming it), in registry order."""
    names: dict[str, str] = {}
    for fam in _drawing_families():
        for name in fam.drawings():
            names.setdefault(name, fam.NAME)
    return names


def descriptions() -> dict[str, str]:
    """{name: what it is} of every drawable name (`drawing_names`), in the same order."""
    out: dict[str, str] = {}
    for fam in _drawing_families():
        for name, what in fam.drawings().items():
            out.setdefault(name, what)
    return out


def _family_default(fam) -> str:
    return next(iter(fam.GALLERY), None) or next(iter(fam.drawings()))


def resolve(name: str) -> tuple[str, str]:
    """(family name, drawing name) of `name`: a drawing name, or a family's own name (its
    first gallery entry, else its first drawing).

    Raises:
        UnknownDrawingError: A name no family draws, naming the allowed ones.
    """
    names = drawing_names()
    if name in names:
        return names[name], name
    if name in FAMILIES:
        fam = family(name)
        if all(hasattr(fam, h) for h in DRAWING_HOOKS):
            return fam.NAME, _family_default(fam)
    allowed = ", ".join([*names, *(f for f in FAMILIES if f not in names)]) or "none"
    raise UnknownDrawingError(f"unknown bloq {name!r} to draw: allowed are {allowed}")


def drawing(name: str, n: int, options: Optional[Mapping[str, Any]] = None) -> Drawing:
    """The `Drawing` of `name` (a drawing name or a family name, `resolve`) at N = n, built by
    its family's `drawing` hook with `options`."""
    fam_name, drawn = resolve(name)
    return family(fam_name).drawing(drawn, n, **dict(options or {}))


def gallery() -> list[str]:
    """The names the report's gallery draws: every family's `GALLERY`, in registry order."""
    return list(dict.fromkeys(n for fam in _drawing_families() for n in fam.GALLERY))
