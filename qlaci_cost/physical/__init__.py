"""Physical (surface-code) estimates from logical counts, wrapping `qualtran.surface_code`.

The models step by step: docs/derivations/physical.md.

Three models; the first two from Qualtran 0.7.0's `qualtran.surface_code`:

- `gidney-fowler` (default): catalyzed CCZ->2T factories (`CCZ2TFactory`, arXiv:1812.01238),
  `SimpleDataBlock` with 50% routing overhead, p_L(d) = 0.1 (p / 0.01)^((d+1)/2) per tile per
  cycle (`QECScheme.make_gidney_fowler`), wall clock = max(factory-limited, reaction-limited)
  with the reaction time of Gidney & Ekera (arXiv:1905.09749).
- `beverland`: Beverland et al. (arXiv:2211.07629) time steps, code distance and T-state count
  (`beverland_et_al_model`), one-level 15-to-1 T factories (`FifteenToOne`, arXiv:1905.06903),
  `FastDataBlock` layout, p_L(d) = 0.03 (p / 0.01)^((d+1)/2).

Every count stays an exact Python int and every time an exact `Fraction` of seconds. Qualtran's
routines are called while their float arithmetic is exact (all counts below 2^40); above that
the few formulas that go through floats (`CCZ2TFactory.n_cycles`, `FifteenToOne.n_cycles`,
`SimpleDataBlock.n_tiles`, `FastDataBlock.get_n_tiles`, `QECScheme.code_distance_from_budget`)
are evaluated by exact transcriptions (ints, fractions, logarithms of ints) of the same formulas.
- `microsoft-like`: the schedule, distances and factory choice of Microsoft's resource
  estimator (Beverland et al. arXiv:2211.07629 Sec. IV, App. C-D), multi-round 15-to-1.

Every model splits its error budget between logical errors, distillation and rotation
synthesis (`budget`), adds distillation rounds when one factory design misses the target
(`distillation`), starts its schedule when the first magic state exists, and marks an
estimate outside its budget `valid=False` with the reason. `frontier` gives physical qubits vs
runtime as the number of factories varies.
`microsoft_estimate` cross-checks against Microsoft's resource estimator when it is importable.

Modules: `params` (model names, presets, sources, validated `PhysicalAssumptions` and
`LogicalInput`), `arithmetic` (the exact transcriptions' arithmetic and number formatting),
`result` (`PhysicalEstimate`), `budget` (the split), `distillation` (multi-round 15-to-1),
`gidney_fowler`, `beverland` and `microsoft_like` (the models), `estimator` (`estimate`),
`frontier`, `microsoft` (`microsoft_estimate`).
"""

import sys
import types

from qlaci_cost.physical import arithmetic, beverland, gidney_fowler

# Limits and the protocol grid, importable from the package (not in __all__).
from qlaci_cost.physical.arithmetic import FLOAT_SAFE as FLOAT_SAFE
from qlaci_cost.physical.arithmetic import TINY as TINY
from qlaci_cost.physical.beverland import FIFTEEN_TO_ONE_GRID as FIFTEEN_TO_ONE_GRID
from qlaci_cost.physical.estimator import estimate
from qlaci_cost.physical.frontier import FRONTIER_COLUMNS, frontier, frontier_rows
from qlaci_cost.physical.microsoft import MicrosoftEstimate, microsoft_available, microsoft_estimate
from qlaci_cost.physical.params import DISTILLATION_SHARE as DISTILLATION_SHARE
from qlaci_cost.physical.params import (
    MODELS,
    PRESETS,
    LogicalInput,
    PhysicalAssumptions,
    logical_input,
)
from qlaci_cost.physical.params import SOURCES as SOURCES
from qlaci_cost.physical.result import PhysicalEstimate

__all__ = [
    "FRONTIER_COLUMNS",
    "MODELS",
    "PRESETS",
    "LogicalInput",
    "MicrosoftEstimate",
    "PhysicalAssumptions",
    "PhysicalEstimate",
    "estimate",
    "frontier",
    "frontier_rows",
    "logical_input",
    "microsoft_available",
    "microsoft_estimate",
]

#: Limits read at call time by the submodules. Setting one on the package (e.g.
#: `physical.FLOAT_SAFE = 0` to force the exact transcriptions) sets it in every submodule
#: that reads it, as when they were one module.
_SHARED_LIMITS = ("FLOAT_SAFE", "TINY")


class _Package(types.ModuleType):
    def __setattr__(self, name, value):
        super().__setattr__(name, value)
        if name in _SHARED_LIMITS:
            for module in (arithmetic, gidney_fowler, beverland):
                if name in vars(module):
                    setattr(module, name, value)


sys.modules[__name__].__class__ = _Package
