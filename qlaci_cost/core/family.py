"""Model families: the one seam through which tables, `verify`, claims, crossover, plots and the
report reach a family of models (QRAM models, QLACI, QLAM, multi-query QLACI).

A family is a module that defines the hooks of `Family` as module-level names:

| hook | what it gives |
|---|---|
| `NAME`, `TITLE` | short name (file names, CLI output) and a human title (report sections) |
| `ROW_UNIT` | what one row of its table counts ("QRAM query"), as the report names it |
| `COLUMNS` | the column names of its table rows, in order |
| `CHECK_KINDS` | the names of its verification checks (listed by `qlaci-cost verify`) |
| `OPTIONS` | keyword options its `rows`/`checks`/`claims` accept (may be empty) |
| `REPORT_TABLE` | True: the report writes its table and a section; False: a section of its own |
| `models()` | the model (or variant) names it tabulates by default |
| `symbolic(model, **options)` | the size-only (symbolic) bloq of one model |
| `rows(sizes, models, scenario, **options)` | `FamilyRows(rows, notes)` |
| `checks(sizes, models, kinds, **options)` | `core.verification.CheckResult`s of the kinds asked |
| `claims(sizes, models, scenario, **options)` | `FamilyClaims(rows, evidence, notes, details)` |

Optional names a family may define (a consumer reads them with a default):

| name | what it says |
|---|---|
| `SYMBOLIC_LEVELS` | the levels `symbolic` accepts (`level=`), first the default |
| `CHECKS_PER_MODEL` | True: `checks` of several models = each model's alone, in turn |

`verify`'s workers take one model of a `CHECKS_PER_MODEL` family at a time, and a whole
family per size otherwise (the default: QLAM's counts belong to no readout protocol).

Conventions every family follows:

- `models` passed to a hook are names from its own `models()`; consumers pass each family the
  names that belong to it (`family_models`), or its defaults when the user named none.
- `scenario` is one `analysis.scenario.Scenario` (word and component bits, readout,
  conventions, physical model, error-budget scope, classical machine): a consumer passes the
  same one to every family, and a family computes every number under it (a `Conventions` in
  its place means the default scenario with those conventions).
- Keyword options: a consumer gives every family the options named in its `OPTIONS`
  (`family_options`); an option no family names is refused (`unknown_options`).
- `kinds` holds names from any family's `CHECK_KINDS` or the generic `SELECTORS`
  ("classical": basis-state simulation, "superposition": state vectors, "counts": closed form
  against decomposition); a family runs each of its checks whose name, or whose selector, is
  in `kinds`, and ignores the rest.
- `claims` may return a plain list of claim rows (claim, key, model, qram, verdict, evidence);
  `as_claims` turns it into `FamilyClaims`.
- Numbers are exact (ints or sympy expressions), as everywhere in the package.

A family is registered by the import path of its module (`register_family`, or a line in
`FAMILIES`) and imported only when first asked for, so registering costs nothing at start-up:
this module imports neither Qualtran nor any family. Consumers iterate over `families()`; they
never name a family or a model. Adding a family is one module plus one registry line.

Traits of a single model (assumed oracle or circuit, noise rule, metrics whose closed form is
only a bound) are attributes of the model's class (see `ModelTraits`; defaults in
`qlaci_cost.qram.interface.QRAMInterface`, read with `qlaci_cost.qram.traits(name)`), never
string comparisons on its name.
"""

import importlib
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType, ModuleType
from typing import Any, NamedTuple, Optional, Protocol, runtime_checkable

from qlaci_cost.errors import InputError

__all__ = [
    "FAMILIES",
    "HOOKS",
    "SELECTORS",
    "Family",
    "FamilyClaims",
    "FamilyRows",
    "IncompleteFamilyError",
    "ModelTraits",
    "UnknownFamilyError",
    "as_claims",
    "families",
    "family",
    "family_models",
    "family_options",
    "register_family",
    "unknown_options",
    "unregister_family",
]

#: The names every family module defines (all required; `family` refuses a module that lacks
#: one): a family's `__all__`.
HOOKS: tuple[str, ...] = (
    "NAME",
    "TITLE",
    "ROW_UNIT",
    "COLUMNS",
    "CHECK_KINDS",
    "OPTIONS",
    "REPORT_TABLE",
    "models",
    "symbolic",
    "rows",
    "checks",
    "claims",
)
#: Generic check selectors every family maps its own checks onto.
SELECTORS: tuple[str, ...] = ("classical", "superposition", "counts")


class UnknownFamilyError(InputError):
    """A family name that is not registered."""


class IncompleteFamilyError(TypeError):
    """A registered family module that does not define every hook of `HOOKS`."""


@runtime_checkable
class ModelTraits(Protocol):
    """Class attributes every model class carries (defaults in `qram.interface.QRAMInterface`).

    Attributes:
        ASSUMED_ORACLE: True when the model is an assumed cost (no circuit behind it); every
            output labels such rows and no simulation or decomposition check applies.
        ASSUMPTION_NOTE: The label printed with rows of an assumed model ("" for circuits).
        NOISE_RULE: Name of the rule the noise table applies ("gates", "active-switches",
            "polylog-recall", "assumption"; see `qlaci_cost.analysis.noise`).
        BOUNDS: Metrics whose closed form is only an upper bound (tests check the bound).
    """

    ASSUMED_ORACLE: bool
    ASSUMPTION_NOTE: str
    NOISE_RULE: str
    BOUNDS: frozenset


class FamilyRows(NamedTuple):
    """A family's table: rows (dicts with at least the keys `COLUMNS`) and notes to print."""

    rows: list
    notes: list


class FamilyClaims(NamedTuple):
    """A family's claim verdicts.

    Attributes:
        rows: Dicts with claim, key, model, qram ("circuit" / "assumed oracle"), verdict,
            evidence.
        evidence: Per-metric evidence dicts (claim, model, metric, leading_order, slope, N,
            value).
        notes: Notes to print with the rows.
        details: Anything else a report shows (for example the simulation behind a claim).
    """

    rows: list
    evidence: Sequence = ()
    notes: Sequence = ()
    details: Mapping = MappingProxyType({})


@runtime_checkable
class Family(Protocol):
    """What a family module provides (module-level names; see the module docstring)."""

    NAME: str
    TITLE: str
    ROW_UNIT: str
    COLUMNS: tuple[str, ...]
    CHECK_KINDS: tuple[str, ...]
    OPTIONS: tuple[str, ...]
    REPORT_TABLE: bool

    def models(self) -> tuple[str, ...]:
        """The model (or variant) names this family tabulates by default."""

    def symbolic(self, model: str, **options: Any) -> Any:
        """The size-only (symbolic) bloq of `model`."""

    def rows(
        self, sizes: Sequence[int], models: Sequence[str], scenario: Any, **options: Any
    ) -> FamilyRows:
        """Table rows (dicts keyed by `COLUMNS`) and their notes, one row per (model, size)."""

    def checks(
        self, sizes: Sequence[int], models: Sequence[str], kinds: Sequence[str], **options: Any
    ) -> Iterator[Any]:
        """Verification results (`core.verification.CheckResult`) of the named kinds."""

    def claims(
        self, sizes: Sequence[int], models: Sequence[str], scenario: Any, **options: Any
    ) -> FamilyClaims:
        """Claim verdicts this family answers (a plain list of rows is accepted too)."""


#: Family name -> module path; consumers show families in this order.
FAMILIES: dict[str, str] = {
    "qram": "qlaci_cost.qram.family",
    "qlaci": "qlaci_cost.qlaci.family",
    "multi-query": "qlaci_cost.qlaci.multi_query.family",
    "qlam": "qlaci_cost.qlam.family",
}


def register_family(name: str, module: str) -> None:
    """Register a family by the import path of the module defining its hooks."""
    if not name or not isinstance(name, str):
        raise InputError(f"family name {name!r} is not allowed: a non-empty string is needed")
    if not module or not isinstance(module, str):
        raise InputError(f"family module {module!r} is not allowed: an import path is needed")
    FAMILIES[name] = module


def unregister_family(name: str) -> None:
    """Remove a registered family (the inverse of `register_family`)."""
    if name not in FAMILIES:
        allowed = ", ".join(FAMILIES) or "none registered"
        raise UnknownFamilyError(f"unknown model family {name!r}: allowed are {allowed}")
    del FAMILIES[name]


def family(name: str) -> ModuleType:
    """The module of a registered family (imported on first use)."""
    if name not in FAMILIES:
        allowed = ", ".join(FAMILIES) or "none registered"
        raise UnknownFamilyError(f"unknown model family {name!r}: allowed are {allowed}")
    module = importlib.import_module(FAMILIES[name])
    missing = [hook for hook in HOOKS if not hasattr(module, hook)]
    if missing:
        raise IncompleteFamilyError(
            f"family {name!r} ({FAMILIES[name]}) does not define {', '.join(missing)}: every "
            "family module defines all of qlaci_cost.core.family.HOOKS"
        )
    return module


def families(names: Optional[Sequence[str]] = None) -> list[ModuleType]:
    """The modules of the named families (default: every registered one), in registry order."""
    if names is None:
        names = list(FAMILIES)
    return [family(name) for name in names]


def family_models(fam: ModuleType, models: Optional[Sequence[str]] = None) -> list[str]:
    """The names of `models` that belong to `fam` (all of its `models()` when None), in order."""
    own = tuple(fam.models())
    if models is None:
        return list(own)
    return [m for m in models if m in own]


def family_options(fam: ModuleType, options: Mapping[str, Any]) -> dict[str, Any]:
    """The options `fam` accepts (those named in its `OPTIONS`)."""
    return {k: v for k, v in options.items() if k in fam.OPTIONS}


def unknown_options(fams: Sequence[ModuleType], options: Mapping[str, Any]) -> list[str]:
    """Options no family in `fams` names in its `OPTIONS`."""
    return [k for k in options if not any(k in fam.OPTIONS for fam in fams)]


def as_claims(result: Any) -> FamilyClaims:
    """A family's `claims` result as `FamilyClaims` (a list of rows is accepted)."""
    if isinstance(result, FamilyClaims):
        return result
    return FamilyClaims(list(result))
