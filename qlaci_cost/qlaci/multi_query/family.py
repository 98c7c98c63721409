"""The `multi-query` model family: the hooks of `core.family.Family` for batched QLACI.

Registered as its own family (beside `qlaci`), so that tables, `verify`, claims, crossover,
plots and the report reach it through the seam. Rows: `table.multi_query_rows`; checks:
`verify.batch_checks`; claims: `claims.multi_query_claims` (docs/derivations/multi_query.md).
"""

from collections.abc import Iterator, Sequence
from typing import Any, Optional

import sympy

from qlaci_cost.analysis.scenario import LEGACY_READOUT, Scenario, fold_legacy
from qlaci_cost.core.family import FamilyClaims, FamilyRows
from qlaci_cost.qlaci.multi_query.claims import (
    CLAIMS,
    batch_series,
    multi_query_claims,
    processor_series,
)
from qlaci_cost.qlaci.multi_query.drawing import GALLERY, drawing, drawings
from qlaci_cost.qlaci.multi_query.table import BATCH_COLUMNS, multi_query_rows
from qlaci_cost.qlaci.multi_query.verify import BATCH_CHECKS, batch_checks
from qlaci_cost.qlaci.table import QUERY_OPTIONS

__all__ = [
    "CHECK_KINDS",
    "CLAIMS",
    "COLUMNS",
    "DEFAULT_BATCHES",
    "GALLERY",
    "NAME",
    "OPTIONS",
    "REPORT_TABLE",
    "CHECKS_PER_MODEL",
    "ROW_UNIT",
    "TITLE",
    "batch_series",
    "checks",
    "claims",
    "drawing",
    "drawings",
    "models",
    "processor_series",
    "rows",
    "symbolic",
]

NAME = "multi-query"
#: What one row counts (index.md's exactness sentence).
ROW_UNIT = "multi-query circuit"
#: The report writes this family's table and its index section.
REPORT_TABLE = True
#: `checks` runs each QRAM model on its own, in turn: `verify` may give its workers one model each.
CHECKS_PER_MODEL = True
TITLE = "Multi-query QLACI, data-parallel QPUs and global tokens"
COLUMNS = BATCH_COLUMNS
CHECK_KINDS = tuple(BATCH_CHECKS)
#: Options the hooks accept (`core.family.family_options` passes only these; the readout
#: names are the old way, accepted for one release: the readout comes from the scenario).
OPTIONS: tuple[str, ...] = (
    "batches",
    "level",
    "precision",
    "method",
    "delta",
    "shots",
    "grouped",
    "processors",
    "pooled",
    "loader",
    "symbolic",
    "seed",
    *QUERY_OPTIONS,
)
#: Queries per circuit tabulated by default.
DEFAULT_BATCHES = (1, 4, 64)


def models() -> tuple[str, ...]:
    """The QRAM models the key/value load (shared by the B queries) can use: as `qlaci`."""
    from qlaci_cost.qram.registry import all_models

    return all_models()


def symbolic(model: str, **options: Any):
    """The size-only `MultiQueryQLACI` with N and B symbols."""
    from qlaci_cost.qlaci.multi_query.query import MultiQueryQLACI
    from qlaci_cost.qlaci.query import QLACIQuery

    n, b = sympy.symbols("N B", positive=True, integer=True)
    loader = options.pop("loader", "multiplexed")
    return MultiQueryQLACI(QLACIQuery(n, qram_model=model, **options), b, loader)


def rows(
    sizes: Sequence[int],
    models: Sequence[str],
    scenario: Optional[Scenario] = None,
    **options: Any,
) -> FamilyRows:
    """`multi_query_rows` under `scenario` (options: batches, level, pooled, loader, ...) per
    N; B values above an N are left out for that N."""
    batches = tuple(options.pop("batches", DEFAULT_BATCHES))
    options.pop("seed", None)
    scenario = fold_legacy(scenario, options, "multi-query rows", LEGACY_READOUT)
    if options.get("symbolic"):
        table = multi_query_rows(models, [], batches, scenario=scenario, **options)
        return FamilyRows(table.rows, table.notes)
    out, notes = [], {}
    for n in sizes:
        fit = [b for b in batches if b <= n]
        if not fit:
            continue
        table = multi_query_rows(models, [n], fit, scenario=scenario, **options)
        out += table.rows
        notes.update(dict.fromkeys(table.notes))
    return FamilyRows(out, list(notes))


def checks(
    sizes: Sequence[int],
    models: Sequence[str],
    kinds: Sequence[str] = CHECK_KINDS,
    seed: int = 2024,
    batches: Sequence[int] = (2, 4),
    **_: Any,
) -> Iterator[Any]:
    """`batch_checks` at the given N (simulated up to N = 4) for B = 2, 4: each check named in
    `kinds` or selected there (batch-branches and batch-sampling by superposition,
    batch-counts by counts)."""
    selectors = {"batch-branches": "superposition", "batch-sampling": "superposition"}
    selectors["batch-counts"] = "counts"
    run = [k for k in CHECK_KINDS if k in kinds or selectors[k] in kinds]
    if run:
        yield from batch_checks(models, [n for n in sizes if n <= 16], batches, run, seed)


def claims(
    sizes: Sequence[int],
    models: Sequence[str],
    scenario: Optional[Scenario] = None,
    **options: Any,
) -> FamilyClaims:
    """The three claim rows per model (claim, key, model, qram, verdict, evidence) under
    `scenario`; the global-token crossover over `sizes` (N >= 2 G)."""
    scenario = fold_legacy(scenario, options, "multi-query claims", LEGACY_READOUT)
    return multi_query_claims(sizes, models, scenario)
