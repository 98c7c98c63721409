"""qlaci-cost: fault-tolerant resource estimates for quantum long-sequence attention.

Entry points: `cost_summary(bloq)` for every metric of any Qualtran bloq, `qlaci_cost.qram`
for the QRAM models, `Conventions` for the counting conventions printed with every result,
`Scenario` for every assumption behind a table, estimate or report.

The names below are imported on first use (module `__getattr__`), so `import qlaci_cost` and
the command line's `--help` do not pay for importing Qualtran and Cirq.
"""

import importlib

__version__ = "0.1.0"

#: Public name -> module defining it (imported on first access).
_LAZY = {
    "DEFAULT_CONVENTIONS": "qlaci_cost.core.conventions",
    "ROTATION_MODELS": "qlaci_cost.core.conventions",
    "Conventions": "qlaci_cost.core.conventions",
    "Depth": "qlaci_cost.core.depth",
    "TDepth": "qlaci_cost.core.depth",
    "ToffoliDepth": "qlaci_cost.core.depth",
    "METRICS": "qlaci_cost.core.summary",
    "CostSummary": "qlaci_cost.core.summary",
    "cost_summary": "qlaci_cost.core.summary",
    "evaluate": "qlaci_cost.core.summary",
    "InputError": "qlaci_cost.errors",
    "DEFAULT_SCENARIO": "qlaci_cost.analysis.scenario",
    "Scenario": "qlaci_cost.analysis.scenario",
}

__all__ = [*sorted(_LAZY), "qram"]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # later lookups skip this function
        return value
    if name == "qram":
        return importlib.import_module("qlaci_cost.qram")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
