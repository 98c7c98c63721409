"""What line styles and markers mean in every figure, and their legend entries.

- solid line, filled markers: a computed value (a closed form evaluated exactly at that N, or
  an estimate within its error budget);
- dotted line: a cost the proposal assumes (the `ASSUMED_ORACLE` trait), not a circuit;
- hollow marker (face 'none'), never joined to a line: an invalid estimate, outside its
  error budget (`PhysicalEstimate.valid` False): not a value;
- dashed line: extrapolated, beyond the sizes computed (the crossover's top-decade trend).

No other artist of a figure uses a hollow marker or a dashed line, so the legend entries
`invalid_key` and `extrapolated_key` say what each means wherever it appears.
"""

from collections.abc import Sequence
from typing import Any

from matplotlib.lines import Line2D

__all__ = [
    "EXTRAPOLATED_LABEL",
    "EXTRAPOLATED_STYLE",
    "INVALID_LABEL",
    "INVALID_NOTE",
    "draw_invalid",
    "extrapolated_key",
    "invalid_key",
    "point_valid",
]

#: Legend entry and caption of a point whose quantum estimate is outside its error budget.
INVALID_LABEL = "invalid (outside its error budget): not a value"
INVALID_NOTE = (
    "Hollow markers: the physical estimate is outside its error budget (no supported factory "
    "reaches the needed error, or the expected failures exceed the budget): not an estimate, "
    "drawn off the line and never compared."
)
#: The line style of an extrapolation: dashed, and nothing else in a figure is.
EXTRAPOLATED_STYLE = "--"
EXTRAPOLATED_LABEL = "extrapolated (not computed)"


def point_valid(point: Sequence[Any]) -> bool:
    """A point (N, quantum_s, classical_s[, valid]) is valid unless its 4th item is False (a
    quantum estimate outside its error budget: not an estimate)."""
    return len(point) < 4 or point[3] is not False


def draw_invalid(ax, xs: Sequence[float], ys: Sequence[float], color: str, marker: str) -> None:
    """Points whose estimate is not an estimate: hollow markers, never joined to a line."""
    if xs:
        ax.plot(
            xs,
            ys,
            color=color,
            linestyle="none",
            marker=marker,
            markersize=6,
            markerfacecolor="none",
            markeredgewidth=1.3,
            zorder=3,
        )


def invalid_key() -> tuple[Line2D, str]:
    """The legend entry of `draw_invalid`'s markers."""
    handle = Line2D(
        [], [], marker="o", markersize=6, color="0.3", markerfacecolor="none", linestyle="none"
    )
    return handle, INVALID_LABEL


def extrapolated_key() -> tuple[Line2D, str]:
    """The legend entry of an extrapolated segment: a dashed line (ending in a tinted star
    where it reaches a crossover)."""
    handle = Line2D([], [], color="0.3", linestyle=EXTRAPOLATED_STYLE, linewidth=1.2)
    return handle, EXTRAPOLATED_LABEL
