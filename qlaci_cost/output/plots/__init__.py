"""Log-log plots of cost against N: QRAM metrics, the QLACI head vs classical baselines, crossover.

Inputs are plain Python structures (dicts, lists of tuples); values may be exact ints of any size,
`Fraction`s, sympy numbers or floats, drawn on exact log axes (`axes`) in a fixed style that
makes every file byte-identical on a re-run (`style`). Models whose class is an assumed oracle
(the `ASSUMED_ORACLE` trait) are drawn dotted and labelled "assumed". One module per figure:
`metrics` (a metric vs N per model), `head` (a head vs classical heads), `crossover`,
`frontier` (physical qubits vs runtime as the number of factories varies). Shared by them:
`time_axis` (seconds read in human units, with reference lines at 1 day, 1 year and the age of
the universe), `legend` (legends under the axes, never over the data), `marks` (hollow =
invalid, dashed = extrapolated) and `slopes` (why a fitted slope differs from the closed
form's leading order: `slope_notes`).
"""

from qlaci_cost.output.plots.axes import N_CELLS, N_LABEL, N_SEQUENCE
from qlaci_cost.output.plots.crossover import (
    crossover_figure,
    extrapolated_crossover,
    plot_crossover,
)
from qlaci_cost.output.plots.frontier import frontier_figure, plot_frontier
from qlaci_cost.output.plots.head import head_figure, plot_head_vs_classical
from qlaci_cost.output.plots.metrics import METRIC_LABELS, metric_figure, n_label_for, plot_metrics
from qlaci_cost.output.plots.slopes import (
    SLOPE_TOLERANCE,
    SlopeNote,
    fitted_slope,
    head_closed_forms,
    query_closed_forms,
    slope_notes,
)
from qlaci_cost.output.plots.style import FORMATS, assumed_models, is_assumed
from qlaci_cost.output.plots.time_axis import (
    AGE_OF_UNIVERSE_YEARS,
    REFERENCE_TIMES,
    YEAR_S,
    human_time,
)

__all__ = [
    "AGE_OF_UNIVERSE_YEARS",
    "FORMATS",
    "METRIC_LABELS",
    "N_CELLS",
    "N_LABEL",
    "N_SEQUENCE",
    "REFERENCE_TIMES",
    "SLOPE_TOLERANCE",
    "SlopeNote",
    "YEAR_S",
    "assumed_models",
    "extrapolated_crossover",
    "fitted_slope",
    "head_closed_forms",
    "human_time",
    "is_assumed",
    "n_label_for",
    "plot_crossover",
    "plot_frontier",
    "plot_head_vs_classical",
    "plot_metrics",
    "query_closed_forms",
    "slope_notes",
]

# The figure builders (return a Figure, write nothing) stay reachable for tests and notebooks.
_ = (crossover_figure, frontier_figure, head_figure, metric_figure)
