"""QRAM models as Qualtran bloqs with one interface (`address`, `target`)."""

from qlaci_cost.qram.interface import QRAMSizeError
from qlaci_cost.qram.registry import (
    MODELS,
    Traits,
    UnknownModelError,
    all_models,
    build,
    build_symbolic,
    model_class,
    padding_note,
    register_model,
    traits,
    unregister_model,
)

__all__ = [
    "MODELS",
    "QRAMSizeError",
    "Traits",
    "UnknownModelError",
    "all_models",
    "build",
    "build_symbolic",
    "model_class",
    "padding_note",
    "register_model",
    "traits",
    "unregister_model",
]
