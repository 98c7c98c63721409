"""QLACI as Qualtran bloqs: query circuit, head and hybrid block (docs/derivations/qlaci.md)."""

from qlaci_cost.qlaci.ansatz import Interaction, ScoreAggregation
from qlaci_cost.qlaci.block import HybridBlock
from qlaci_cost.qlaci.encoding import IndexBasisState, IndexSuperposition, QueryEncoding
from qlaci_cost.qlaci.feature_map import FEATURE_MAPS, ControlledRy, KVFeatureMap
from qlaci_cost.qlaci.head import DEFAULT_PRECISION, QLACIHead
from qlaci_cost.qlaci.measurement import MeasureZInPlace, PauliMeasurement
from qlaci_cost.qlaci.multi_query.query import MultiQueryQLACI
from qlaci_cost.qlaci.phase_gradient import PhaseGradientKick, PhaseGradientPrep
from qlaci_cost.qlaci.query import DEFAULT_QRAM_MODEL, QLACIQuery, pack_words
from qlaci_cost.qlaci.simulation import SimulatedState, kernel_average, simulate, softmax_average
from qlaci_cost.qlaci.twin import classical_twin, multi_query_twin

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
    "MultiQueryQLACI",
    "PauliMeasurement",
    "PhaseGradientKick",
    "PhaseGradientPrep",
    "QLACIHead",
    "QLACIQuery",
    "QueryEncoding",
    "ScoreAggregation",
    "SimulatedState",
    "classical_twin",
    "kernel_average",
    "multi_query_twin",
    "pack_words",
    "simulate",
    "softmax_average",
]
