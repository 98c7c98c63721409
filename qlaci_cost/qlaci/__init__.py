"""The QLACI query circuit as composable Qualtran bloqs (DESIGN.md sections 2-5)."""

from .ansatz import Interaction, ScoreAggregation
from .encoding import IndexBasisState, IndexSuperposition, QueryEncoding
from .feature_map import FEATURE_MAPS, ControlledRy, KVFeatureMap
from .measurement import MeasureZInPlace, PauliMeasurement
from .phase_gradient import PhaseGradientKick, PhaseGradientPrep
from .query import DEFAULT_QRAM_MODEL, QLACIQuery, pack_words
from .simulation import SimulatedState, kernel_average, simulate, softmax_average

__all__ = [
    "DEFAULT_QRAM_MODEL",
    "FEATURE_MAPS",
    "ControlledRy",
    "IndexBasisState",
    "IndexSuperposition",
    "Interaction",
    "KVFeatureMap",
    "MeasureZInPlace",
    "PauliMeasurement",
    "PhaseGradientKick",
    "PhaseGradientPrep",
    "QLACIQuery",
    "QueryEncoding",
    "ScoreAggregation",
    "SimulatedState",
    "kernel_average",
    "pack_words",
    "simulate",
    "softmax_average",
]
