"""The multi-query table: per-execution metrics of a B-query circuit, executions and circuits.

`multi_query_rows` is behind `qlaci-cost qlaci --batch B` and the multi-query family's rows.
Per (model, B) it derives one symbolic `cost_summary` of the size-only `MultiQueryQLACI`
(N a symbol) and compiles it into exact integer arithmetic (kept in the disk cache,
`core.closed_forms`); per N it adds the executions of
`batch_readout.batch_measurement_cost` (docs/derivations/multi_query.md, section 2).

Columns: `qlaci.table.COLUMNS` (metrics of ONE execution of the B-query circuit; `shots` =
executions of one batched circuit, all observable settings, x calls per run for amplitude
estimation) plus

| column | meaning |
|---|---|
| `batch` | B, queries per circuit (B = 1: the single query) |
| `executions` | query: `shots`; head: (N / B) x `shots` (every circuit execution of the head) |
| `circuits` | distinct circuits compiled: query 1; head N / B |

total_toffoli, total_t_count = executions x metric; total_depth = ceil((N / B) / P) x shots x
depth (head) with P processors; the row key head_qubits = P x qubits.
"""

import functools
from collections.abc import Iterable
from typing import Any, Optional

from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.analysis.shots import Precision
from qlaci_cost.core.closed_forms import cached_compiled, key_of
from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, Conventions
from qlaci_cost.core.summary import METRICS, CostSummary, cost_summary
from qlaci_cost.errors import InputError
from qlaci_cost.qlaci.head import ceil_div
from qlaci_cost.qlaci.multi_query.batch_readout import batch_measurement_cost, split_executions
from qlaci_cost.qlaci.multi_query.query import MultiQueryQLACI
from qlaci_cost.qlaci.query import QLACIQuery
from qlaci_cost.qlaci.query_loading import QUERY_METHODS
from qlaci_cost.qlaci.table import COLUMNS as QLACI_COLUMNS
from qlaci_cost.qlaci.table import (
    QLACITable,
    hashable_query_options,
    model_notes,
    scenario_query_options,
)
from qlaci_cost.qram import model_class
from qlaci_cost.qram.interface import pad_cells
from qlaci_cost.qram.table import N

__all__ = ["BATCH_COLUMNS", "BATCH_LEVELS", "multi_query_rows", "multi_query_summary", "pad_batch"]

#: Columns of the multi-query table.
BATCH_COLUMNS: tuple[str, ...] = QLACI_COLUMNS + ("batch", "executions", "circuits")
#: Levels a batch applies to.
BATCH_LEVELS: tuple[str, ...] = ("query", "head")

PER_RUN_NOTE = (
    "qubits ... depth are ONE execution of the B-query circuit (MultiQueryQLACI: query-index "
    "superposition, B queries loaded coherently, the single query's stages, readout and query "
    "index measured); `shots` = executions of one batched circuit; executions = every circuit "
    "execution of the level; circuits = distinct circuits compiled"
)


def pad_batch(n_batch: Any) -> tuple[int, Optional[str]]:
    """B padded to the next power of two (a note when it changes); B < 1 is an InputError."""
    if isinstance(n_batch, bool) or not isinstance(n_batch, int) or n_batch < 1:
        raise InputError(f"B={n_batch!r} is not allowed: queries per circuit must be >= 1")
    padded = 1 << (n_batch - 1).bit_length()
    if padded == n_batch:
        return n_batch, None
    return padded, f"B={n_batch} padded to the next power of two, B={padded}"


@functools.cache
def _summary(model: str, n_batch: int, loader: str, conventions: Conventions, options: tuple):
    template = QLACIQuery(N, qram_model=model, **dict(options))
    return cost_summary(MultiQueryQLACI(template, n_batch, loader), conventions)


def multi_query_summary(
    model: str,
    n_batch: int,
    loader: str = "multiplexed",
    conventions: Conventions = DEFAULT_CONVENTIONS,
    **query_options,
) -> CostSummary:
    """`cost_summary` of the size-only `MultiQueryQLACI(QLACIQuery(N), B)`, N the table symbol."""
    return _summary(model, n_batch, loader, conventions, hashable_query_options(query_options))


#: The disk cache's kind of the compiled closed forms (`core.closed_forms`).
COMPILED_KIND = "multi-query-compiled"


@functools.cache
def _compiled(model, n_batch, loader, conventions, options):
    def exprs() -> list:
        summary = _summary(model, n_batch, loader, conventions, options)
        return [getattr(summary, m) for m in METRICS]

    key = key_of(
        model_class(model),
        model=model,
        batch=n_batch,
        loader=loader,
        conventions=conventions,
        options=options,
    )
    return cached_compiled(COMPILED_KIND, key, exprs)


@functools.lru_cache(maxsize=4096)
def _runs(n, n_batch, precision, method, delta, grouped, pooled, d_ctx, shots) -> Any:
    """Circuit calls of one batched circuit (all settings) at N = n (exact; kept per
    arguments in the process: the claims and the family's table ask for the same cells)."""
    if shots is not None:
        settings = 1 if grouped else d_ctx
        per = shots if (pooled or n_batch == 1) else split_executions(n_batch, shots, delta)
        return settings * per
    c = batch_measurement_cost(precision, n, n_batch, d_ctx, method, delta, grouped, pooled)
    return c.circuit_calls


def multi_query_rows(
    models: Iterable[str],
    sizes: Iterable[int],
    batches: Iterable[int] = (1,),
    level: str = "head",
    scenario: Optional[Scenario] = None,
    *,
    processors: int = 1,
    pooled: bool = False,
    loader: str = "multiplexed",
    symbolic: bool = False,
    **query_options,
) -> QLACITable:
    """Rows per model, B and N: one execution's metrics, executions, circuits and totals.

    Args:
        models, sizes, scenario, processors, symbolic, **query_options: as
            `qlaci.table.qlaci_rows` (the readout, component bits and conventions come from
            the scenario; the old keywords still work for one release).
        batches: B values (padded to powers of two, a note says so); each must be <= N.
        level: `query` (one batched circuit) or `head` (N queries in N / B circuits).
        pooled: The query index is not measured: estimates (1/B) sum_b c_b only.
        loader: `multiplexed` or `qram` (how the B queries are loaded).

    Raises:
        InputError: naming a bad level, B (< 1 or > N), loader or option.
    """
    scenario, options = scenario_query_options(scenario, query_options, "multi_query_rows")
    if level not in BATCH_LEVELS:
        raise InputError(
            f"level {level!r} is not allowed with a batch: use one of {', '.join(BATCH_LEVELS)}"
        )
    if loader not in QUERY_METHODS:
        raise InputError(f"query loader {loader!r} is not allowed: use {', '.join(QUERY_METHODS)}")
    models = [m for m in models if model_class(m)]
    notes: dict[str, None] = {PER_RUN_NOTE: None}
    padded_b, padded_n = _padded_grid(batches, sizes, symbolic, notes)
    d_ctx = QLACIQuery(16, **dict(options)).d_ctx
    precision, method, delta = scenario.precision, scenario.method, scenario.delta
    exact_delta = batch_measurement_cost(precision, 16, 1, d_ctx, method, delta).sequential.delta
    rows = []
    for model in models:
        rows += _model_rows(
            model,
            padded_b,
            padded_n,
            scenario,
            options,
            notes,
            level=level,
            processors=processors,
            pooled=pooled,
            loader=loader,
            symbolic=symbolic,
            d_ctx=d_ctx,
            exact_delta=exact_delta,
        )
    _add_closing_notes(notes, padded_b, scenario, pooled, loader, exact_delta)
    return QLACITable(rows, list(notes), BATCH_COLUMNS)


def _padded_grid(batches, sizes, symbolic: bool, notes: dict) -> tuple[list, list]:
    """(B values, N values), each padded to a power of two (a note in `notes` when it changes
    one); N is the symbol when `symbolic`. Raises `InputError` for a B above an N."""
    padded_b = []
    for b in batches:
        p, note = pad_batch(b)
        padded_b.append(p)
        if note:
            notes[note] = None
    sizes = [N] if symbolic else list(sizes)
    padded_n = []
    for n in sizes:
        p, note = (n, None) if symbolic else pad_cells(n)
        padded_n.append(p)
        if note:
            notes[note] = None
    if not symbolic:
        for b in padded_b:
            for n in padded_n:
                if b > n:
                    raise InputError(f"B={b} is not allowed: at most N={n} queries per circuit")
    return padded_b, padded_n


def _model_rows(
    model: str,
    padded_b: list,
    padded_n: list,
    scenario: Scenario,
    options: tuple,
    notes: dict,
    *,
    level: str,
    processors: int,
    pooled: bool,
    loader: str,
    symbolic: bool,
    d_ctx: int,
    exact_delta: Any,
) -> list[dict]:
    """One model's rows, B by B and N by N; its notes go into `notes`."""
    conventions, precision, method = scenario.conventions, scenario.precision, scenario.method
    shots, grouped = scenario.shots, scenario.grouped
    rows = []
    for b in padded_b:
        if symbolic:
            summary = _summary(model, b, loader, conventions, options)
            notes.update(dict.fromkeys(summary.notes))
        else:
            values = _compiled(model, b, loader, conventions, options)
        for n in padded_n:
            bits = scenario.component_bits
            metrics = summary.metrics() if symbolic else dict(zip(METRICS, values(n, bits)))
            runs = _runs(n, b, precision, method, exact_delta, grouped, pooled, d_ctx, shots)
            groups = 1 if level == "query" else ceil_div(n, b)
            P = processors if level == "head" else 1
            row = {"model": model, "N": n, "level": level, **metrics, "shots": runs}
            row["total_toffoli"] = groups * runs * metrics["toffoli"]
            row["total_t_count"] = groups * runs * metrics["t_count"]
            row["total_depth"] = ceil_div(groups, P) * runs * metrics["depth"]
            row.update(batch=b, executions=groups * runs, circuits=groups)
            row.update(precision=str(precision), method=method, pooled=pooled, loader=loader)
            row.update(processors=P, head_qubits=P * metrics["qubits"])
            rows.append(row)
    query = QLACIQuery(16, qram_model=model, **dict(options))
    notes.update(dict.fromkeys(query.cost_notes))
    notes.update(dict.fromkeys(model_notes(model, query)))
    return rows


def _add_closing_notes(notes: dict, padded_b, scenario, pooled, loader, exact_delta) -> None:
    """The loader's, the batch's and the readout's notes."""
    if loader == "qram":
        notes[
            "qubits with the qram loader: an upper bound (its query word and QRAM ancillas "
            "counted beside the key/value load)"
        ] = None
    notes[
        f"multi-query: B queries per circuit loaded by '{loader}'; each execution measures the "
        "query index and yields one sample of one uniformly random query"
    ] = None
    delta_text = str(Precision("abs", exact_delta)).partition(":")[2]
    note = _readout_note(
        padded_b, scenario.precision, scenario.method, pooled, scenario.shots, delta_text
    )
    notes[note] = None


def _readout_note(batches, precision, method, pooled, shots, delta) -> str:
    if pooled:
        return (
            "pooled: the query index is not measured, so one batched circuit estimates only the "
            "mean (1/B) sum_b c_b of its B context values, with the executions of one query"
        )
    what = (
        f"{shots} shots per observable (given)"
        if shots is not None
        else (f"precision {precision} by {method}")
    )
    return (
        f"batched readout ({what}, delta = {delta} per query): every one of the B context "
        "values reaches the single query's precision and confidence; executions = B x the "
        "query's, times a Chernoff margin for the uneven split of executions over the B "
        "queries (docs/derivations/multi_query.md); batching saves circuits, not executions"
    )
