"""qlaci-cost: fault-tolerant resource estimates for quantum long-sequence attention.

Entry points: `cost_summary(bloq)` for every metric of any Qualtran bloq, `qlaci_cost.qram`
for the QRAM models, `Conventions` for the counting conventions printed with every result.
"""

from qlaci_cost import qram
from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, ROTATION_MODELS, Conventions
from qlaci_cost.core.depth import Depth, TDepth, ToffoliDepth
from qlaci_cost.core.summary import METRICS, CostSummary, cost_summary, evaluate

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_CONVENTIONS",
    "METRICS",
    "ROTATION_MODELS",
    "Conventions",
    "CostSummary",
    "Depth",
    "TDepth",
    "ToffoliDepth",
    "cost_summary",
    "evaluate",
    "qram",
]
