"""The head every verdict judges: one QLACI head per QRAM model and sequence length.

Its rows (logical counts with shots), its surface-code estimate and its crossover against
classical attention come from the QLACI family (`qlaci.head_rows`, `qlaci.crossover`); the
verdict layer is where a family is named, so the report, the plots and the command line
reach the head through this module.
"""

from qlaci_cost.qlaci.crossover import crossover
from qlaci_cost.qlaci.head_rows import head_counts, head_estimate, head_rows, head_run_counts

__all__ = ["crossover", "head_counts", "head_estimate", "head_rows", "head_run_counts"]
