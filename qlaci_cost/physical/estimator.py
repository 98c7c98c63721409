"""`estimate`: a preset and overrides, validated, then the preset's physical model.

A preset (`params.PRESETS`) names its physical model; `PHYSICAL_MODELS` maps each model name
to the function computing its estimate (imported on first use), as `qram.registry` maps QRAM
model names to classes. `register_physical_model` adds one.
"""

import importlib
from collections.abc import Mapping
from typing import Any, Union

from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS
from qlaci_cost.core.summary import CostSummary
from qlaci_cost.errors import InputError
from qlaci_cost.physical.params import PARAMS, PRESETS, assumptions_for, fail, logical_input
from qlaci_cost.physical.result import PhysicalEstimate

__all__ = ["PHYSICAL_MODELS", "estimate", "register_physical_model"]

#: Physical model name -> "module:function" taking (LogicalInput, PhysicalAssumptions,
#: Conventions) and returning a `PhysicalEstimate`.
PHYSICAL_MODELS: dict[str, str] = {
    "gidney-fowler": "qlaci_cost.physical.gidney_fowler:gidney_fowler_estimate",
    "beverland": "qlaci_cost.physical.beverland:beverland_estimate",
    "microsoft-like": "qlaci_cost.physical.microsoft_like:microsoft_like_estimate",
}


def register_physical_model(name: str, target: str) -> None:
    """Register a physical model by "module:function" (its presets go in `params.PRESETS`)."""
    if not isinstance(target, str) or target.count(":") != 1:
        raise InputError(f"physical model target {target!r} is not allowed: 'module:function'")
    PHYSICAL_MODELS[name] = target


def _model_function(name: str):
    module, function = PHYSICAL_MODELS[name].split(":")
    return getattr(importlib.import_module(module), function)


def estimate(
    counts: Union[CostSummary, Mapping[str, Any]], model: str = "gidney-fowler", **params: Any
) -> PhysicalEstimate:
    """Physical qubits, code distance, factories and wall-clock time for logical counts.

    Args:
        counts: A `CostSummary` (concrete) or a dict with its metric names.
        model: A preset name from `PRESETS` (`gidney-fowler`, `gidney-fowler-optimistic`,
            `beverland`, `beverland-optimistic`, `microsoft-like`); it picks the model and
            default values.
        **params: Overrides: physical_error, cycle_time_us, reaction_time_us, error_budget,
            factory, n_factories, data_distance, routing_overhead (see `PhysicalAssumptions`)
            and conventions (for dict input).

    Raises:
        InputError: unknown model or parameter, invalid value, symbolic counts, or a physical
            error rate at the code threshold (no error suppression).
    """
    if not isinstance(model, str) or model not in PRESETS:
        fail("model", model, "known models are " + ", ".join(PRESETS))
    unknown = sorted(set(params) - set(PARAMS))
    if unknown:
        fail("parameter", unknown[0], "known parameters are " + ", ".join(PARAMS))
    family = PRESETS[model][0]
    conventions = params.pop("conventions", None)
    assumptions = assumptions_for(model, **params)
    x = logical_input(counts, conventions)
    if conventions is not None:
        conv = conventions
    else:
        conv = counts.conventions if isinstance(counts, CostSummary) else DEFAULT_CONVENTIONS
    return _model_function(family)(x, assumptions, conv)
