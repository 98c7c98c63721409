"""QRAM models as Qualtran bloqs with one interface (`address`, `target`).

`MODELS` and the registry functions import no Qualtran; a model's module (and Qualtran) is
imported when the model is first built. `QRAMSizeError` is imported on first use.
"""

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


def __getattr__(name: str):
    if name == "QRAMSizeError":
        from qlaci_cost.qram.interface import QRAMSizeError

        return QRAMSizeError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
