"""QRAM models as Qualtran bloqs with one interface (`address`, `target`)."""

from .interface import QRAMSizeError
from .registry import (
    MODELS,
    UnknownModelError,
    build,
    build_symbolic,
    model_class,
    padding_note,
    register_model,
)

__all__ = [
    "MODELS",
    "QRAMSizeError",
    "UnknownModelError",
    "build",
    "build_symbolic",
    "model_class",
    "padding_note",
    "register_model",
]
