"""Cross-check against Microsoft's resource estimator (`qsharp.estimator`), when importable."""

import os
import warnings
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Optional, Union

import attrs
from attrs import frozen

from qlaci_cost.core.conventions import Conventions
from qlaci_cost.core.summary import CostSummary
from qlaci_cost.errors import InputError
from qlaci_cost.physical.params import LogicalInput, PhysicalAssumptions, fail, logical_input
from qlaci_cost.symbolics.exact import fraction

__all__ = ["MicrosoftEstimate", "microsoft_available", "microsoft_estimate"]

_MSFT_LIMIT = 2**50  # above this its 64-bit nanosecond runtime can wrap around
_U64 = 2**64  # its integer arithmetic is unsigned 64-bit


def _msft_module():
    os.environ.setdefault("QDK_PYTHON_TELEMETRY", "none")  # no network calls from the import
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                from qsharp import estimator  # type: ignore[import-not-found]
            except ImportError:
                from qdk import estimator  # type: ignore[import-not-found]
        return estimator
    except Exception:  # any import failure means "not available"
        return None


def microsoft_available() -> bool:
    """True if Microsoft's resource estimator (`qsharp.estimator`) runs locally."""
    return _msft_module() is not None


@frozen(eq=False)
class MicrosoftEstimate:
    """Microsoft's estimate for the same counts: physical qubits, runtime, distance, factories."""

    physical_qubits: int
    runtime_s: Fraction
    code_distance: int
    n_factories: int
    logical_counts: dict
    params: dict
    result: dict = attrs.field(repr=False)


def _check_not_wrapped(breakdown: Mapping[str, Any], qubit: Mapping[str, Any], runtime: int):
    """Raise `InputError` if the estimator's 64-bit integer arithmetic wrapped around.

    It divides the logical error budget by tiles x logical steps computed in 64-bit unsigned
    integers: at or above 2^64 the product wraps to a small number, so the required error per
    tile and step is too large and the code distance too small (the estimate exceeds its budget,
    silently). Its runtime (nanoseconds, also 64-bit) can wrap the same way.
    """
    tiles, depth = breakdown["algorithmicLogicalQubits"], breakdown["logicalDepth"]
    if tiles * depth >= _U64:
        raise InputError(
            f"counts: Microsoft's estimator overflowed: logical qubits {tiles:,} x logical depth "
            f"{depth:,} = {float(tiles * depth):.3g} >= 2^64 wraps its 64-bit product, so its "
            f"code distance {qubit['codeDistance']} is too small for the budget; result refused"
        )
    if runtime != depth * qubit["logicalCycleTime"]:
        raise InputError(
            f"counts: Microsoft's estimator overflowed its 64-bit runtime ({depth:,} logical "
            f"steps x {qubit['logicalCycleTime']:,} ns >= 2^64 ns); result refused"
        )


def _logical_counts(x: LogicalInput) -> dict[str, int]:
    """The estimator's `LogicalCounts` (rotation depth: the rotations if not given)."""
    return {
        "numQubits": x.qubits,
        "tCount": x.t,
        "rotationCount": x.rotations,
        "rotationDepth": x.rotations if x.rotation_depth is None else x.rotation_depth,
        "cczCount": x.toffoli,
        "measurementCount": x.measurements,
    }


def _qubit_params(physical_error: float, cycle_time_us: float) -> dict[str, Any]:
    """A gate-based qubit whose code cycle (4 gates + 2 measurements) is `cycle_time_us`."""
    ns = float(fraction(cycle_time_us) * 1000)
    return {
        "name": "qlaci_gate_based",
        "instructionSet": "GateBased",
        "oneQubitMeasurementTime": f"{ns / 4!r} ns",
        "oneQubitGateTime": f"{ns / 8!r} ns",
        "twoQubitGateTime": f"{ns / 8!r} ns",
        "tGateTime": f"{ns / 8!r} ns",
        **{
            k: physical_error
            for k in (
                "oneQubitMeasurementErrorRate",
                "oneQubitGateErrorRate",
                "twoQubitGateErrorRate",
                "tGateErrorRate",
                "idleErrorRate",
            )
        },
    }


def microsoft_estimate(
    counts: Union[CostSummary, Mapping[str, Any]],
    *,
    physical_error: float = 1e-3,
    cycle_time_us: float = 1.0,
    error_budget: float = 1e-2,
    conventions: Optional[Conventions] = None,
) -> MicrosoftEstimate:
    """Cross-check with Microsoft's estimator (`qsharp.estimator.LogicalCounts.estimate`).

    Counts map to numQubits = qubits, cczCount = toffoli, tCount = T gates outside Toffolis and
    rotations, rotationCount = rotations, rotationDepth = rotation_depth (or rotations),
    measurementCount = measurements. The qubit is gate-based with every error rate =
    `physical_error`, two-qubit gates cycle/8 and measurements cycle/4, so its code cycle
    (4 gates + 2 measurements) is `cycle_time_us`; surface code a = 0.03, p* = 0.01. It has
    no T-depth or Toffoli-depth input: it serializes the non-Clifford operations (Beverland
    et al. eq. D3) and synthesizes rotations itself.

    Raises:
        RuntimeError: the estimator is not importable.
        ValueError: invalid values, or counts above 2^50 (its nanosecond runtime is a 64-bit
            integer and wraps around); `InputError` when its result wrapped around 2^64
            (logical qubits x logical depth, or the runtime in nanoseconds): that result
            would be wrong, not an estimate.
    """
    estimator = _msft_module()
    if estimator is None:
        raise RuntimeError("Microsoft's estimator (qsharp.estimator) is not importable")
    a = PhysicalAssumptions(
        model="beverland",
        physical_error=physical_error,
        cycle_time_us=cycle_time_us,
        error_budget=error_budget,
    )
    x = logical_input(counts, conventions)
    lc = _logical_counts(x)
    if max(lc.values()) > _MSFT_LIMIT:
        fail("counts", max(lc.values()), "Microsoft's estimator needs counts <= 2^50")
    qubit = _qubit_params(physical_error, cycle_time_us)
    params = {"qubitParams": qubit, "errorBudget": a.error_budget}
    result = dict(estimator.LogicalCounts(lc).estimate(params))
    if "physicalCounts" not in result:
        raise ValueError(f"Microsoft's estimator failed: {result.get('status', result)}")
    pc = result["physicalCounts"]
    _check_not_wrapped(pc["breakdown"], result["logicalQubit"], pc["runtime"])
    return MicrosoftEstimate(
        physical_qubits=int(pc["physicalQubits"]),
        runtime_s=Fraction(int(pc["runtime"]), 10**9),
        code_distance=int(result["logicalQubit"]["codeDistance"]),
        n_factories=int(pc["breakdown"]["numTfactories"]),
        logical_counts=lc,
        params=params,
        result=result,
    )
