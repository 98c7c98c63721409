"""The QRAM family (`qlaci_cost.core.family`): every QRAM model, its table, checks and claims.

Models are `MODELS` plus every model added with `register_model`, so a registered model gets
the table rows, the verification checks and (through the QLACI family, whose queries load
through it) the claim verdicts without any other change.
"""

from collections.abc import Iterator, Sequence
from typing import Any, Optional

from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, Conventions
from qlaci_cost.core.drawings import DRAWING_HOOKS
from qlaci_cost.core.family import HOOKS, FamilyClaims, FamilyRows
from qlaci_cost.qram.drawing import GALLERY, drawing, drawings  # noqa: F401 (DRAWING_HOOKS)
from qlaci_cost.qram.registry import all_models, build_symbolic
from qlaci_cost.qram.table import COLUMNS as COLUMNS  # the columns of `rows`
from qlaci_cost.qram.table import qram_rows
from qlaci_cost.symbolics.symbols import B, N

__all__ = [*HOOKS, *DRAWING_HOOKS]

NAME = "qram"
#: What one row counts (index.md's exactness sentence).
ROW_UNIT = "QRAM query"
#: The report's QRAM query table and figures cover this family (no generic section).
REPORT_TABLE = False
#: `checks` runs each model on its own, in turn: `verify` may give its workers one model each.
CHECKS_PER_MODEL = True
TITLE = "QRAM models: one query (one coherent load of all N words)"
#: `qram.verify` checks: basis states on every address, state vector, counts.
CHECK_KINDS: tuple[str, ...] = ("classical", "superposition", "counts")
OPTIONS: tuple[str, ...] = ("bits", "symbolic", "seed")


def models() -> tuple[str, ...]:
    """`MODELS`, then the registered models."""
    return all_models()


def symbolic(model: str, **options: Any):
    """The size-only model with N and b symbols (`symbolics.symbols.N`, `B`)."""
    return build_symbolic(model, N, B, **options)


def _conventions(scenario: Any) -> Conventions:
    """The conventions of a scenario (`analysis.scenario.Scenario`, read by attribute: this
    layer sits below it), of a `Conventions` given in its place, or the default."""
    if scenario is None:
        return DEFAULT_CONVENTIONS
    return getattr(scenario, "conventions", scenario)


def rows(
    sizes: Sequence[int],
    models: Sequence[str],
    scenario: Any = None,
    bits: Optional[int] = None,
    symbolic: bool = False,
) -> FamilyRows:
    """`qram.table.qram_rows`: every metric of every model at every (padded) size, with the
    word size (`word_bits`) and conventions of `scenario` (`bits` overrides the word size)."""
    if bits is None:
        bits = getattr(scenario, "word_bits", 8)
    table = qram_rows(models, sizes, bits, _conventions(scenario), symbolic=symbolic)
    return FamilyRows(table.rows, table.notes)


def checks(
    sizes: Sequence[int],
    models: Sequence[str],
    kinds: Sequence[str] = CHECK_KINDS,
    bits: int = 2,
    seed: int = 2024,
) -> Iterator[Any]:
    """`qram.verify.run_checks` for the kinds of `CHECK_KINDS` named in `kinds`."""
    from qlaci_cost.qram.verify import run_checks

    mine = [k for k in kinds if k in CHECK_KINDS]
    if mine:
        yield from run_checks(models, sizes, bits, mine, seed)


def claims(sizes: Sequence[int], models: Sequence[str], scenario: Any = None) -> FamilyClaims:
    """No claim rows of its own: the proposal's claims are about the QLACI query and head,
    which the QLACI family judges under every QRAM model of this family."""
    return FamilyClaims([])
