"""Roofline time of a classical baseline on stated hardware (peak FLOP/s, bandwidth, memory).

Williams, Waterman, Patterson, "Roofline", CACM 52(4), 2009: max(FLOPs / peak, bytes / bandwidth),
a lower bound on a real kernel's time (favourable to the classical side).
"""

from typing import Any, Union

import attrs
import sympy
from attrs import frozen

from qlaci_cost.analysis.baselines import Baseline, Size, get_baseline
from qlaci_cost.errors import InputError
from qlaci_cost.symbolics.exact import rational_or_same

__all__ = [
    "DEFAULT_HARDWARE",
    "HARDWARE",
    "Hardware",
    "fits_in_memory",
    "get_hardware",
    "runtime_seconds",
]


# ----------------------------------------------------------------------------------------------
# Hardware and roofline


def _positive(instance, attribute, value) -> None:
    ok = isinstance(value, sympy.Rational) and value > 0
    if not ok:
        raise InputError(
            f"{attribute.name}={value!r} is not allowed: {attribute.name} must be a positive "
            "finite number"
        )


@frozen
class Hardware:
    """A machine for roofline estimates.

    Args:
        name: Label.
        peak_flops: Peak FLOP/s at the precision the counts assume.
        bandwidth: Main-memory bandwidth in bytes/s.
        memory_bytes: Memory capacity in bytes.
        source: Where the numbers come from.
    """

    name: str
    peak_flops: sympy.Rational = attrs.field(converter=rational_or_same, validator=_positive)
    bandwidth: sympy.Rational = attrs.field(converter=rational_or_same, validator=_positive)
    memory_bytes: sympy.Rational = attrs.field(converter=rational_or_same, validator=_positive)
    source: str = ""

    def describe(self) -> str:
        return (
            f"{self.name}: {float(self.peak_flops):.4g} FLOP/s, {float(self.bandwidth):.4g} B/s, "
            f"{float(self.memory_bytes):.4g} B memory [{self.source}]"
        )


HARDWARE: dict[str, Hardware] = {
    "h100": Hardware(
        "NVIDIA H100 SXM5 80GB",
        989 * 10**12,
        335 * 10**10,
        80 * 10**9,
        "NVIDIA H100 Tensor Core GPU datasheet: dense FP16/BF16 Tensor Core 989 TFLOPS "
        "(1,979 with sparsity), HBM3 3.35 TB/s, 80 GB",
    ),
    "a100": Hardware(
        "NVIDIA A100 SXM 80GB",
        312 * 10**12,
        2039 * 10**9,
        80 * 10**9,
        "NVIDIA A100 Tensor Core GPU datasheet: dense FP16/BF16 Tensor Core 312 TFLOPS, "
        "HBM2e 2,039 GB/s, 80 GB",
    ),
    "cpu": Hardware(
        "96-core server CPU (AMD EPYC 9654 class)",
        96 * 24 * 10**8 * 32,
        12 * 4800 * 10**6 * 8,
        768 * 10**9,
        "derived: 96 cores x 2.4 GHz base x 32 FP32 FLOP/cycle (two 256-bit FMA pipes) = "
        "7.37 TFLOP/s; 12 channels DDR5-4800 x 8 B = 460.8 GB/s; 768 GB (12 x 64 GB); "
        "use bytes_per_value=4 for FP32",
    ),
}
DEFAULT_HARDWARE = "h100"


def get_hardware(hardware: Union[str, Hardware] = DEFAULT_HARDWARE) -> Hardware:
    if isinstance(hardware, Hardware):
        return hardware
    if hardware not in HARDWARE:
        raise InputError(f"unknown hardware {hardware!r}: allowed are {', '.join(HARDWARE)}")
    return HARDWARE[hardware]


def runtime_seconds(
    baseline: Union[str, Baseline],
    N: Size,
    d: Size,
    hardware: Union[str, Hardware] = DEFAULT_HARDWARE,
    bytes_per_value: int = 2,
    **options,
) -> Any:
    """Roofline time of one head: max(FLOPs / peak FLOP/s, traffic bytes / bandwidth).

    Assumes compute and memory traffic overlap perfectly and each runs at its peak
    (Williams, Waterman, Patterson, "Roofline", CACM 52(4), 2009): a lower bound on the real
    runtime, i.e. favourable to the classical side. Exact sympy rational (call `float`), or a
    sympy expression for symbolic sizes.
    """
    b = get_baseline(baseline, **options)
    hw = get_hardware(hardware)
    compute = sympy.sympify(b.flops(N, d)) / hw.peak_flops
    memory = sympy.sympify(b.traffic_bytes(N, d, bytes_per_value)) / hw.bandwidth
    return sympy.Max(compute, memory)


def fits_in_memory(
    baseline: Union[str, Baseline],
    N: int,
    d: int,
    hardware: Union[str, Hardware] = DEFAULT_HARDWARE,
    bytes_per_value: int = 2,
    **options,
) -> bool:
    """Whether one head's resident memory fits in the hardware's capacity."""
    b = get_baseline(baseline, **options)
    return bool(b.memory_bytes(N, d, bytes_per_value) <= get_hardware(hardware).memory_bytes)
