"""QLACI as Qualtran bloqs: the query circuit, its head and the hybrid block (DESIGN.md 2-5)."""

from .ansatz import Interaction, ScoreAggregation
from .block import HybridBlock
from .encoding import IndexBasisState, IndexSuperposition, QueryEncoding
from .feature_map import FEATURE_MAPS, ControlledRy, KVFeatureMap
from .head import DEFAULT_PRECISION, QLACIHead
from .measurement import MeasureZInPlace, PauliMeasurement
from .phase_gradient import PhaseGradientKick, PhaseGradientPrep
from .query import DEFAULT_QRAM_MODEL, QLACIQuery, pack_words
from .simulation import SimulatedState, kernel_average, simulate, softmax_average

__all__ = [
    "DEFAULT_PRECISION",
    "DEFAULT_QRAM_MODEL",
    "FEATURE_MAPS",
    "ControlledRy",
    "HybridBlock",
    "IndexBasisState",
    "IndexSuperposition",
    "Interaction",
    "KVFeatureMap",
    "MeasureZInPlace",
    "PauliMeasurement",
    "PhaseGradientKick",
    "PhaseGradientPrep",
    "QLACIHead",
    "QLACIQuery",
    "QueryEncoding",
    "ScoreAggregation",
    "SimulatedState",
    "kernel_average",
    "pack_words",
    "simulate",
    "softmax_average",
]
