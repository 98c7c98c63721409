"""The space-time frontier: physical qubits vs runtime as the number of factories varies.

As the frontier mode of Microsoft's resource estimator (Beverland et al. arXiv:2211.07629,
Sec. IV): for 1, 2, ... factories up to the model's automatic choice (every count when that is
at most `DENSE`, else about `POINTS` counts spaced geometrically, both ends included) the
estimate is repeated with that many factories; fewer factories mean fewer physical qubits and
a longer run (the code distance grows when the data must survive longer). Points that are
invalid (outside their error budget) or dominated (another point is no larger and no slower)
are dropped. `frontier_rows` gives the points as plain rows (floats) for tables and figures.
See docs/derivations/physical.md#frontier.
"""

import math
from collections.abc import Mapping
from typing import Any, Union

from qlaci_cost.core.summary import CostSummary
from qlaci_cost.errors import InputError
from qlaci_cost.physical.arithmetic import (
    to_float,
)
from qlaci_cost.physical.estimator import estimate
from qlaci_cost.physical.result import PhysicalEstimate

__all__ = ["FRONTIER_COLUMNS", "frontier", "frontier_rows"]

DENSE, POINTS = 64, 24
FRONTIER_COLUMNS: tuple[str, ...] = (
    "n_factories",
    "physical_qubits",
    "runtime_s",
    "code_distance",
    "factory",
    "factory_qubits",
    "limited_by",
    "failure_probability",
)


def _counts(top: int) -> list[int]:
    if top <= DENSE:
        return list(range(1, top + 1))
    out = {1, top}
    for i in range(1, POINTS - 1):  # i = 0 and POINTS - 1 are the ends, 1 and top
        out.add(max(1, min(top, _power(top, i / (POINTS - 1)))))
    return sorted(out)


def _power(top: int, exponent: float) -> int:
    """About top^exponent as an int, for a top of any size (no float overflow)."""
    bits = math.log2(top) * exponent
    if bits < 1000:
        return round(2**bits)
    whole = math.floor(bits)
    return round(2 ** (bits - whole) * 2**52) << (whole - 52)


def frontier(
    counts: Union[CostSummary, Mapping[str, Any]], model: str = "gidney-fowler", **params: Any
) -> list[PhysicalEstimate]:
    """Non-dominated valid estimates over the number of factories, fastest last.

    Args:
        counts, model, **params: as `physical.estimate` (without `n_factories`).

    Returns:
        Estimates sorted by physical qubits (ascending; runtime descending). Empty if the
        automatic estimate itself is invalid or needs no factory (then only that point).
    """
    if "n_factories" in params:
        raise InputError(
            f"n_factories={params['n_factories']!r} is not allowed in a frontier: it varies"
        )
    auto = estimate(counts, model, **params)
    if not auto.valid:
        return []
    if auto.n_factories == 0:
        return [auto]
    points = [estimate(counts, model, n_factories=k, **params) for k in _counts(auto.n_factories)]
    points = [e for e in points if e.valid] + [auto]
    points.sort(key=lambda e: (e.physical_qubits, e.runtime_s))
    front: list[PhysicalEstimate] = []
    for e in points:
        if not front or e.runtime_s < front[-1].runtime_s:
            front.append(e)
    return front


def frontier_rows(
    counts: Union[CostSummary, Mapping[str, Any]], model: str = "gidney-fowler", **params: Any
) -> list[dict[str, Any]]:
    """`frontier` as rows of `FRONTIER_COLUMNS` (runtime_s a float) for tables and plots."""
    return [
        {
            "n_factories": e.n_factories,
            "physical_qubits": e.physical_qubits,
            "runtime_s": to_float(e.runtime_s),
            "code_distance": e.code_distance,
            "factory": e.factory,
            "factory_qubits": e.factory_qubits,
            "limited_by": e.limited_by,
            "failure_probability": e.failure_probability,
        }
        for e in frontier(counts, model, **params)
    ]
