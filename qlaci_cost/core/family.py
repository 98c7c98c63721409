"""Model families: the one seam through which tables, `verify`, claims, crossover, plots and the
report reach a family of models (QRAM models, QLACI, QLAM, multi-query QLACI).

A family is a module that defines the hooks of `Family` (module-level names). It is registered
by its import path and imported only when first asked for, so registering costs nothing at
start-up. Consumers iterate over `families()`; they never name a family or a model.

Traits of a single model (assumed oracle or circuit, noise rule, metrics whose closed form is
only a bound) are attributes of the model's class (see `ModelTraits`), never string
comparisons on its name.
"""

import importlib
from collections.abc import Iterator, Mapping, Sequence
from types import ModuleType
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "FAMILIES",
    "Family",
    "ModelTraits",
    "UnknownFamilyError",
    "families",
    "family",
    "register_family",
]


class UnknownFamilyError(ValueError):
    """A family name that is not registered."""


@runtime_checkable
class ModelTraits(Protocol):
    """Class attributes every model class carries (defaults in `qram.interface.QRAMInterface`).

    Attributes:
        ASSUMED_ORACLE: True when the model is an assumed cost (no circuit behind it); every
            output labels such rows and no simulation or decomposition check applies.
        ASSUMPTION_NOTE: The label printed with rows of an assumed model ("" for circuits).
        NOISE_RULE: Name of the rule the noise table applies (for example "gates",
            "active-switches", "polylog-recall", "assumption").
        BOUNDS: Metrics whose closed form is only an upper bound (tests check the bound).
    """

    ASSUMED_ORACLE: bool
    ASSUMPTION_NOTE: str
    NOISE_RULE: str
    BOUNDS: frozenset


@runtime_checkable
class Family(Protocol):
    """What a family module provides (module-level names).

    Attributes:
        NAME: Short name ("qram", "qlaci", "qlam", ...), used in file names and CLI output.
        TITLE: A human title for report sections.
        COLUMNS: Column names of `rows`, in order.
        CHECK_KINDS: Names of the checks `checks` can run (listed by `qlaci-cost verify`).
    """

    NAME: str
    TITLE: str
    COLUMNS: tuple[str, ...]
    CHECK_KINDS: tuple[str, ...]

    def models(self) -> tuple[str, ...]:
        """The model (or variant) names this family tabulates by default."""

    def symbolic(self, model: str, **options: Any) -> Any:
        """The size-only (symbolic) bloq of `model`."""

    def rows(self, sizes: Sequence[int], models: Sequence[str], conventions: Any, **options: Any):
        """Table rows (dicts keyed by `COLUMNS`) and their notes, one row per (model, size)."""

    def checks(
        self, sizes: Sequence[int], models: Sequence[str], kinds: Sequence[str], **options: Any
    ) -> Iterator[Any]:
        """Verification results (`analysis.verify.CheckResult`) of the named kinds."""

    def claims(self, sizes: Sequence[int], models: Sequence[str], **options: Any) -> list[Mapping]:
        """Claim-verdict rows (claim, model, qram, verdict, evidence) this family answers."""


#: Family name -> module path; registered in the order consumers show them.
FAMILIES: dict[str, str] = {}


def register_family(name: str, module: str) -> None:
    """Register a family by the import path of the module defining its hooks."""
    if not name or not isinstance(name, str):
        raise ValueError(f"family name {name!r} is not allowed: a non-empty string is needed")
    FAMILIES[name] = module


def family(name: str) -> ModuleType:
    """The module of a registered family (imported on first use)."""
    if name not in FAMILIES:
        allowed = ", ".join(FAMILIES) or "none registered"
        raise UnknownFamilyError(f"unknown model family {name!r}: allowed are {allowed}")
    return importlib.import_module(FAMILIES[name])


def families() -> list[ModuleType]:
    """Every registered family's module, in registration order."""
    return [family(name) for name in FAMILIES]
