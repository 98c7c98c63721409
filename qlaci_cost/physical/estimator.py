"""`estimate`: a preset and overrides, validated, then the preset's physical model."""

from collections.abc import Mapping
from typing import Any, Union

from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS
from qlaci_cost.core.summary import CostSummary
from qlaci_cost.physical.beverland import _beverland
from qlaci_cost.physical.gidney_fowler import _gidney_fowler
from qlaci_cost.physical.microsoft_like import _microsoft_like
from qlaci_cost.physical.params import _PARAMS, PRESETS, PhysicalAssumptions, _fail, logical_input
from qlaci_cost.physical.result import PhysicalEstimate

__all__ = ["estimate"]


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
        _fail("model", model, "known models are " + ", ".join(PRESETS))
    unknown = sorted(set(params) - set(_PARAMS))
    if unknown:
        _fail("parameter", unknown[0], "known parameters are " + ", ".join(_PARAMS))
    family, defaults = PRESETS[model]
    conventions = params.pop("conventions", None)
    assumptions = PhysicalAssumptions(model=family, **{**defaults, **params})
    x = logical_input(counts, conventions)
    if conventions is not None:
        conv = conventions
    else:
        conv = counts.conventions if isinstance(counts, CostSummary) else DEFAULT_CONVENTIONS
    if family == "gidney-fowler":
        return _gidney_fowler(x, assumptions, conv)
    if family == "microsoft-like":
        return _microsoft_like(x, assumptions, conv)
    return _beverland(x, assumptions, conv)
