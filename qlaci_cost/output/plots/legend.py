"""Legends that never cover data: below the axes, in as many columns as fit the width.

A legend beside the axes takes 40 % of a figure's width from the data when its labels are
long; below the axes, in columns, it takes a few lines of the height. `legend_below` places it
under the x-axis label (measured, so it never overlaps the tick labels), and constrained
layout makes room for it above the caption.
"""

from collections.abc import Sequence
from typing import Optional

from matplotlib.legend import Legend

__all__ = ["legend_below"]

#: Gap between the x-axis label and the legend, in units of the legend's font size.
_GAP = 0.6


def legend_below(
    ax, handles: Optional[Sequence] = None, labels: Optional[Sequence[str]] = None, most: int = 4
) -> Optional[Legend]:
    """The legend of `ax` (its handles and labels unless given) under its x-axis label, in
    the most columns (at most `most`) whose width fits the figure. None if it is empty."""
    if handles is None or labels is None:
        handles, labels = ax.get_legend_handles_labels()
    if not labels:
        return None
    fig = ax.get_figure()
    # The axis measures its tick and axis labels itself (no draw of the whole figure needed):
    # the gap from the axes' bottom to the labels' does not depend on where the layout puts
    # the axes.
    renderer = fig.canvas.get_renderer()
    gap_px = ax.get_window_extent(renderer).y0 - ax.xaxis.get_tightbbox(renderer).y0
    legend = None
    for ncols in range(min(most, len(labels)), 0, -1):
        legend = ax.legend(handles, labels, loc="upper center", ncols=ncols)
        size = legend.get_texts()[0].get_fontsize() * fig.dpi / 72
        legend.remove()
        legend = ax.legend(
            handles,
            labels,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            borderaxespad=max(gap_px, 0) / size + _GAP,
            ncols=ncols,
        )
        if legend.get_window_extent(renderer).width <= 0.98 * fig.bbox.width or ncols == 1:
            break
    return legend
