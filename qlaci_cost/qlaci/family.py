"""The QLACI family (`qlaci_cost.core.family`): the QLACI query and head under every QRAM model.

Its models are the QRAM models (`qram.all_models()`: `MODELS` and every registered model), the
one each query loads its keys and values through. Rows are `qlaci.table.qlaci_rows` (head level
by default), checks `qlaci.verify.qlaci_checks`, claims `qlaci.claims.qlaci_claims` (the
proposal's six complexity claims).
"""

from collections.abc import Iterator, Sequence
from typing import Any, Optional

from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.core.drawings import DRAWING_HOOKS
from qlaci_cost.core.family import HOOKS, FamilyClaims, FamilyRows
from qlaci_cost.errors import InputError
from qlaci_cost.qlaci.drawing import GALLERY, drawing, drawings  # noqa: F401 (DRAWING_HOOKS)
from qlaci_cost.qlaci.table import COLUMNS as COLUMNS  # the columns of `rows` (head level)
from qlaci_cost.qlaci.table import QUERY_OPTIONS, qlaci_rows
from qlaci_cost.qlaci.verify import QLACI_CHECKS
from qlaci_cost.qram.registry import all_models
from qlaci_cost.symbolics.symbols import N

__all__ = [*HOOKS, *DRAWING_HOOKS]

NAME = "qlaci"
#: What one row counts (index.md's exactness sentence).
ROW_UNIT = "QLACI query and head"
#: The report's head, physical, crossover and break-even sections cover this family.
REPORT_TABLE = False
#: `checks` runs each QRAM model on its own, in turn: `verify` may give its workers one model each.
CHECKS_PER_MODEL = True
TITLE = "QLACI: one query circuit, its readout runs, and the head of N queries"
#: `qlaci.verify` checks: kernel average by simulation, query and head counts.
CHECK_KINDS: tuple[str, ...] = tuple(QLACI_CHECKS)
#: Options of `rows` (`qlaci_rows`), `claims` (`qlaci_claims`) and `checks`, and the
#: `QLACIQuery` options (`qlaci.table.QUERY_OPTIONS`); each hook takes the ones it documents.
#: The readout names (precision, method, delta, shots, grouped, bytes_per_value) are the old
#: way, accepted for one release: the readout comes from the scenario.
OPTIONS: tuple[str, ...] = (
    "level",
    "precision",
    "method",
    "delta",
    "shots",
    "grouped",
    "processors",
    "heads",
    "d_model",
    "d_ff",
    "bytes_per_value",
    "symbolic",
    "seed",
    "simulation_model",
    "resolution",
    *QUERY_OPTIONS,
)


def models() -> tuple[str, ...]:
    """The QRAM models a query can load through: `MODELS`, then the registered models."""
    return all_models()


#: The bloqs `symbolic` builds by `level` (the first is the default): the query circuit, or
#: the head (the query run N x its circuit calls, read out as the default scenario says).
SYMBOLIC_LEVELS: tuple[str, ...] = ("query", "head")


def symbolic(model: str, level: str = "query", **options: Any):
    """The size-only `QLACIQuery` (N = `symbolics.symbols.N`) loading through `model`, or its
    `QLACIHead` under the default scenario (`level="head"`)."""
    from qlaci_cost.qlaci.query import QLACIQuery

    if level not in SYMBOLIC_LEVELS:
        allowed = ", ".join(SYMBOLIC_LEVELS)
        raise InputError(f"level {level!r} is not allowed: use one of {allowed}")
    query = QLACIQuery(N, qram_model=model, **options)
    if level == "head":
        from qlaci_cost.qlaci.head import QLACIHead

        return QLACIHead.from_scenario(query)
    return query


def rows(
    sizes: Sequence[int],
    models: Sequence[str],
    scenario: Optional[Scenario] = None,
    level: str = "head",
    **options: Any,
) -> FamilyRows:
    """`qlaci.table.qlaci_rows` at `level` (default head) under `scenario`: per-query metrics,
    runs, totals."""
    table = qlaci_rows(models, sizes, level, scenario, **options)
    return FamilyRows(table.rows, table.notes)


def checks(
    sizes: Sequence[int],
    models: Sequence[str],
    kinds: Sequence[str] = CHECK_KINDS,
    bits: int = 2,
    seed: int = 2024,
) -> Iterator[Any]:
    """`qlaci.verify.qlaci_checks`: its kinds named in `kinds`, or selected by a `SELECTORS`
    name (`qlaci-average` by superposition, `qlaci-counts` and `head-counts` by counts)."""
    from qlaci_cost.qlaci.verify import qlaci_checks

    yield from qlaci_checks(models, sizes, bits, kinds, seed)


def claims(
    sizes: Sequence[int],
    models: Sequence[str],
    scenario: Optional[Scenario] = None,
    **options: Any,
) -> FamilyClaims:
    """`qlaci.claims.qlaci_claims` under `scenario`: the six claims under every model."""
    from qlaci_cost.qlaci.claims import qlaci_claims

    return qlaci_claims(models, sizes, scenario, **options)
