"""QRAM model names and the two constructors: from data and from sizes."""

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import attrs

from qlaci_cost.errors import InputError

if TYPE_CHECKING:  # the names of MODELS need no Qualtran: it is imported when a model is built
    from qualtran import Bloq
    from qualtran.symbolics import SymbolicInt

#: Model name -> (module, class). Every class takes (n_cells, bits, data=None, **options).
_CLASSES = {
    "bucket-brigade": ("bucket_brigade", "BucketBrigadeQRAM"),
    "bucket-brigade-parallel": ("bucket_brigade_parallel", "ParallelBucketBrigadeQRAM"),
    "fanout": ("fanout", "FanoutQRAM"),
    "qrom": ("qrom", "QROMQRAM"),
    "select-swap": ("select_swap", "SelectSwapQRAM"),
    "qroam-clean": ("qroam_clean", "QROAMCleanQRAM"),
    "ideal": ("ideal", "IdealQRAM"),
}

MODELS: tuple[str, ...] = tuple(_CLASSES)

#: Models added at run time with `register_model` (not part of `MODELS`).
_REGISTERED: dict[str, type] = {}


class UnknownModelError(InputError):
    """A QRAM model name outside `MODELS`."""


def __getattr__(name: str):
    if name == "QRAMSizeError":  # re-exported without importing Qualtran up front
        from qlaci_cost.qram.interface import QRAMSizeError

        return QRAMSizeError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def model_class(model: str) -> type:
    """The bloq class of a model name."""
    if model in _REGISTERED:
        return _REGISTERED[model]
    if model not in _CLASSES:
        raise UnknownModelError(f"unknown QRAM model {model!r}: allowed are {', '.join(MODELS)}")
    module, name = _CLASSES[model]
    return getattr(importlib.import_module(f"{__package__}.{module}"), name)


class Traits(NamedTuple):
    """The traits of a model class (`qlaci_cost.core.family.ModelTraits`), defaults filled in
    for a registered class that does not inherit `QRAMInterface`."""

    ASSUMED_ORACLE: bool = False
    ASSUMPTION_NOTE: str = ""
    NOISE_RULE: str = "gates"
    BOUNDS: frozenset = frozenset()


def traits(model: str) -> Traits:
    """The traits of a model name: assumed oracle or circuit, its note, noise rule, bounds.

    Raises:
        UnknownModelError: A name neither in `MODELS` nor registered.
    """
    cls = model_class(model)
    defaults = Traits._field_defaults
    return Traits(*(getattr(cls, name, default) for name, default in defaults.items()))


def all_models() -> tuple[str, ...]:
    """Every model name: `MODELS`, then the models added with `register_model`."""
    return MODELS + tuple(name for name in _REGISTERED if name not in MODELS)


def register_model(name: str, cls: type) -> None:
    """Make a user's QRAM bloq class (same constructor and interface) available by name."""
    if name in _CLASSES:
        raise InputError(f"model name {name!r} is built in: choose another name")
    _REGISTERED[name] = cls


def unregister_model(name: str) -> None:
    """Remove a model added with `register_model` (built-in names cannot be removed)."""
    if name in _CLASSES:
        raise InputError(f"model name {name!r} is built in: it cannot be removed")
    _REGISTERED.pop(name, None)


def build(model: str, data: Sequence[int], bits: int | None = None, **options) -> "Bloq":
    """A QRAM bloq for concrete integer `data` (padded with zeros to a power of two).

    Args:
        model: A name in `MODELS`.
        data: Non-negative integer words.
        bits: Bits per word; default: the width of the largest word (at least 1).
        **options: Model options (for example `c`, `k` of `ideal`).
    """
    from qlaci_cost.qram.interface import pad_data

    cls = model_class(model)
    values, bits, note = pad_data(data, bits)
    return _construct(cls, model, len(values), bits, data=values, **options, **_noted(cls, note))


def build_symbolic(model: str, n_cells: "SymbolicInt", bits: "SymbolicInt", **options) -> "Bloq":
    """A size-only QRAM bloq: N cells (int or sympy symbol; padded to a power of two) of
    `bits` bits. Counts are the worst case over data (see each model's docstring)."""
    from qlaci_cost.qram.interface import check_sizes, pad_cells

    cls = model_class(model)
    padded, note = pad_cells(n_cells)
    check_sizes(padded, bits)
    return _construct(cls, model, padded, bits, **options, **_noted(cls, note))


def _construct(cls: type, model: str, *args, **options) -> "Bloq":
    """`cls(*args, **options)`, an unknown option reported as `InputError` naming it."""
    try:
        return cls(*args, **options)
    except TypeError as exc:
        if "unexpected keyword" not in str(exc):
            raise
        unknown = str(exc).rsplit("argument", 1)[-1].strip()
        raise InputError(
            f"option {unknown} is not allowed for model {model!r} (it is not a field of "
            f"{cls.__name__})"
        ) from None


def _noted(cls: type, note: str | None) -> dict:
    """The keyword that builds the bloq with its padding note: its `padding_note` field (every
    class built on `QRAMInterface` has one); {} without a note or without the field."""
    has_field = attrs.has(cls) and "padding_note" in attrs.fields_dict(cls)
    return {"padding_note": note} if note is not None and has_field else {}


def padding_note(bloq: "Bloq") -> str | None:
    """The padding note `build`/`build_symbolic` built the bloq with, or None."""
    return getattr(bloq, "padding_note", None)


__all__ = [
    "MODELS",
    "QRAMSizeError",  # noqa: F822 - module __getattr__
    "Traits",
    "UnknownModelError",
    "build",
    "build_symbolic",
    "model_class",
    "all_models",
    "padding_note",
    "register_model",
    "traits",
    "unregister_model",
]
