"""The QLACI table: per-query circuit metrics, circuit runs per query and head/block totals.

`qlaci_rows` is the one function behind `qlaci-cost qlaci`, the benchmark and the report. Per
model it derives one symbolic `cost_summary` of the size-only `QLACIQuery` (N a symbol; cached
per model, conventions and query options, in the process and in the disk cache,
`core.closed_forms`) and compiles it once into exact integer arithmetic
(`symbolics.compile.compile_exact`); per size it adds the circuit runs per query
(`shots.measurement_cost` at that N, exact, cached per N) and the totals as integer products.
A row therefore costs the same at N = 2^40 as at N = 16, and every number is an exact int.

Columns (stable; the report reads them):

| column | meaning |
|---|---|
| `model`, `N`, `level` | QRAM model, sequence length (= QRAM cells, padded to 2^k), level |
| `qubits` ... `depth` | the nine `summary.METRICS` of ONE execution of the per-query circuit |
| `shots` | circuit executions per query: shots x d_ctx (x 1 when grouped), or AE calls |
| `total_toffoli`, `total_t_count` | query: shots x metric; head: N x that; block: heads x head |
| `total_depth` | query: shots x depth; head: ceil(N / P) x that; block: heads x head |
| `classical_flops`, `classical_memory_bytes` | block level only: `HybridBlock` classical parts |

Each row dict also carries (outside the columns, so not printed) `precision` ('abs:0.01'),
`method`, `delta` ('0.05'), `processors`, `runs_per_query` (separate circuit runs per query;
`shots` / runs_per_query calls each) and `head_qubits` (P x qubits): the inputs that produced
`shots` and the totals. The printed notes say the same. Every number follows one
`analysis.scenario.Scenario` (readout, component bits, conventions).
"""

import functools
from collections.abc import Iterable
from typing import Any, NamedTuple, Optional

from attrs import frozen

from qlaci_cost.analysis.scenario import LEGACY_READOUT, Scenario, fold_legacy
from qlaci_cost.analysis.shots import measurement_cost
from qlaci_cost.core.closed_forms import cached_compiled, key_of
from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, Conventions
from qlaci_cost.core.summary import METRICS, CostSummary, cost_summary
from qlaci_cost.errors import InputError
from qlaci_cost.qlaci.block import hybrid_block_flops, hybrid_block_memory_bytes
from qlaci_cost.qlaci.head import QLACIHead
from qlaci_cost.qlaci.query import QLACIQuery
from qlaci_cost.qram import model_class
from qlaci_cost.qram.interface import pad_cells
from qlaci_cost.symbolics.exact import decimal_text
from qlaci_cost.symbolics.rounding import ceil_div
from qlaci_cost.symbolics.symbols import N

__all__ = [
    "BLOCK_COLUMNS",
    "COLUMNS",
    "LEVELS",
    "QUERY_OPTIONS",
    "QLACITable",
    "qlaci_rows",
    "query_summary",
]

LEVELS: tuple[str, ...] = ("query", "head", "block")
TOTALS: tuple[str, ...] = ("shots", "total_toffoli", "total_t_count", "total_depth")
#: Columns of the query and head levels, in order.
COLUMNS: tuple[str, ...] = ("model", "N", "level", *METRICS, *TOTALS)
#: Columns of the block level.
BLOCK_COLUMNS: tuple[str, ...] = COLUMNS + ("classical_flops", "classical_memory_bytes")
#: `QLACIQuery` options a table accepts (N and the QRAM model come from the table).
QUERY_OPTIONS: tuple[str, ...] = (
    "d_q",
    "bits",
    "layers",
    "d_ctx",
    "d_k",
    "d_v",
    "n_kv",
    "n_out",
    "reuploads",
    "feature_map",
    "observables",
    "qram_options",
)

PER_RUN_NOTE = (
    "qubits ... depth are ONE execution of the per-query circuit (QLACIQuery: encoding, index "
    "superposition, QRAM load, feature map, U(theta), U(phi), unload, readout); `shots` is how "
    "many executions one query needs; total_* multiply them out"
)
SYMBOLIC_NOTE = (
    "N = sequence length = QRAM cells (a power of two), log2(N) = index qubits; "
    "ceiling(...) is exact (evaluate at N for integers)"
)


class QLACITable(NamedTuple):
    """Rows (dicts with at least the keys `columns`), the notes to print with them, columns."""

    rows: list[dict[str, Any]]
    notes: list[str]
    columns: tuple[str, ...]


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted(value.items()))
    if isinstance(value, list):
        return tuple(value)
    return value


def scenario_query_options(scenario: Scenario, options: dict, where: str) -> tuple:
    """(scenario, hashable query options) with the old readout keywords of `options` folded
    into the scenario and the query's `bits` set from `scenario.component_bits`."""
    options = dict(options)
    scenario = fold_legacy(scenario, options, where, LEGACY_READOUT)
    return scenario, hashable_query_options({**options, "bits": scenario.component_bits})


def hashable_query_options(options: dict) -> tuple:
    for name in options:
        if name not in QUERY_OPTIONS:
            allowed = ", ".join(QUERY_OPTIONS)
            raise InputError(f"query option {name!r} is not allowed: use one of {allowed}")
    return tuple(sorted((k, _hashable(v)) for k, v in options.items()))


#: The disk cache's kind of the size-only query's compiled closed forms (`core.closed_forms`).
COMPILED_KIND = "qlaci-query-compiled"


@functools.cache
def _query_summary(model: str, conventions: Conventions, options: tuple) -> CostSummary:
    return cost_summary(QLACIQuery(N, qram_model=model, **dict(options)), conventions)


def query_summary(
    model: str, conventions: Conventions = DEFAULT_CONVENTIONS, **query_options
) -> CostSummary:
    """`cost_summary` of the size-only `QLACIQuery` with N the symbol `symbolics.symbols.N`, derived
    once per process for each (model, conventions, options)."""
    return _query_summary(model, conventions, hashable_query_options(query_options))


@functools.cache
def _compiled(model: str, conventions: Conventions, options: tuple):
    def exprs() -> list:
        summary = _query_summary(model, conventions, options)
        return [getattr(summary, m) for m in METRICS]

    key = key_of(model_class(model), model=model, conventions=conventions, options=options)
    return cached_compiled(COMPILED_KIND, key, exprs)


@functools.cache
def _calls(n, precision, method, delta, grouped, d_ctx) -> tuple:
    """(runs, circuit calls) per query at N = n, exact."""
    mc = measurement_cost(precision, n, d_ctx, method, delta, grouped)
    return mc.runs, mc.circuit_calls


def model_notes(model: str, query: QLACIQuery) -> list[str]:
    notes = list(query.cost_notes)
    bounds = [m for m in METRICS if m in query.bounds]
    if bounds:
        depths = [m for m in bounds if m in QLACIQuery.BOUNDS]
        others = [m for m in bounds if m not in QLACIQuery.BOUNDS]
        why = []
        if depths:
            why.append(
                f"{', '.join(depths)} and total_depth: the query's stage-block schedule, runs "
                "not overlapped"
            )
        if others:
            why.append(f"{', '.join(others)}: the QRAM model's closed form is a bound")
        notes.append(f"{model}: upper bounds, not exact counts ({'; '.join(why)})")
    return notes


def _level_notes(level: str, head: QLACIHead, heads: Any) -> list[str]:
    P = head.processors
    if level == "query":
        return [
            "level query: total_* = shots x metric (one query, its runs one after another); "
            f"processors (P = {P}) apply to the head and block levels only"
        ]
    head_note = (
        "level head: total_toffoli, total_t_count = N x shots x metric (N queries); "
        "total_depth = ceil(N / P) x shots x depth with P = "
        f"{P} processor(s) running queries in parallel, each one query at a time; the head "
        f"needs P x qubits = {P} x qubits logical qubits (row key head_qubits)"
    )
    if level == "head":
        return [head_note]
    return [
        head_note,
        f"level block: {heads} head(s) one after another: total_* = heads x the head's; "
        "classical_flops and classical_memory_bytes are the block's classical parts "
        "(HybridBlock: embedding, Q/K/V and output projections, residuals, layer norms, FFN, "
        "encoding, readout accumulation; memory = weights + activations at the given bytes per "
        "value)",
    ]


@frozen(eq=False)
class _TableContext:
    """What every row of one table shares: the level, scenario, query options and processors;
    the template head (every option validated on it once, at N = 16) and its block (block
    level only); the inputs each row carries; the notes so far (a dict used as an ordered set)."""

    level: str
    scenario: Scenario
    options: tuple
    processors: int
    heads: int
    head_model: str
    template: QLACIHead
    block: Any
    extra: dict
    notes: dict

    @property
    def columns(self) -> tuple[str, ...]:
        return BLOCK_COLUMNS if self.level == "block" else COLUMNS


def _head_at(model: str, n, scenario, options, processors) -> QLACIHead:
    query = QLACIQuery(n, qram_model=model, **dict(options))
    return QLACIHead.from_scenario(query, scenario, processors)


def _table_context(
    models: list[str],
    level: str,
    scenario: Scenario,
    options: tuple,
    processors: int,
    heads: int,
    d_model: Optional[int],
    d_ff: Optional[int],
) -> _TableContext:
    """Validate every option once (a small size), before any work; the notes of the level."""
    head_model = models[0] if models else "ideal"
    template = _head_at(head_model, 16, scenario, options, processors)
    block = None
    if level == "block":
        from qlaci_cost.qlaci.block import HybridBlock

        block = HybridBlock(template, heads, d_model, d_ff, scenario.bytes_per_value)
    notes: dict[str, None] = {PER_RUN_NOTE: None, template.describe_measurement(): None}
    notes.update(dict.fromkeys(_level_notes(level, template, heads)))
    extra = {
        "precision": str(scenario.precision),
        "method": scenario.method,
        "delta": decimal_text(template.measurement.delta),
        "processors": processors,
    }
    return _TableContext(
        level, scenario, options, processors, heads, head_model, template, block, extra, notes
    )


def _row(t: _TableContext, model: str, n, metrics: dict, calls, runs) -> dict:
    """One row: the metrics of one execution, the calls per query and the level's totals."""
    level, processors, heads, block = t.level, t.processors, t.heads, t.block
    q_factor = n if level != "query" else 1
    d_factor = ceil_div(n, processors) if level != "query" else 1
    h = heads if level == "block" else 1
    out = {"model": model, "N": n, "level": level, **metrics}
    out["shots"] = calls
    out["total_toffoli"] = h * q_factor * calls * metrics["toffoli"]
    out["total_t_count"] = h * q_factor * calls * metrics["t_count"]
    out["total_depth"] = h * d_factor * calls * metrics["depth"]
    if level == "block":
        dm, dff, widths = block.d_model, block.d_ff, block.widths
        out["classical_flops"] = hybrid_block_flops(n, dm, dff, heads, widths, runs).total
        out["classical_memory_bytes"] = hybrid_block_memory_bytes(
            n, dm, dff, heads, widths, t.scenario.bytes_per_value
        ).total
    out.update(t.extra)
    out["runs_per_query"] = runs
    out["head_qubits"] = (processors if level != "query" else 1) * metrics["qubits"]
    return out


def _symbolic_table(t: _TableContext, models: list[str]) -> QLACITable:
    """One row per model with expressions in the symbol N."""
    symbolic_head = _head_at(t.head_model, N, t.scenario, t.options, t.processors)
    calls, runs = symbolic_head.circuit_calls, symbolic_head.runs_per_query
    rows: list[dict[str, Any]] = []
    for model in models:
        summary = _query_summary(model, t.scenario.conventions, t.options)
        rows.append(_row(t, model, N, summary.metrics(), calls, runs))
        query = QLACIQuery(N, qram_model=model, **dict(t.options))
        t.notes.update(dict.fromkeys(model_notes(model, query)))
    return QLACITable(rows, [SYMBOLIC_NOTE, *t.notes], t.columns)


def _sized_table(t: _TableContext, models: list[str], sizes: Iterable[int]) -> QLACITable:
    """Rows model by model, each size padded to a power of two, from the compiled closed forms."""
    scenario, template, notes = t.scenario, t.template, t.notes
    padded: list[int] = []
    for n in sizes:
        p, note = pad_cells(n)
        padded.append(p)
        if note:
            notes[note] = None
    bits = scenario.component_bits
    delta_exact = template.measurement.delta
    d_ctx = template.query.d_ctx
    rows: list[dict[str, Any]] = []
    for model in models:
        values = _compiled(model, scenario.conventions, t.options)
        for n in padded:
            if scenario.shots is not None:  # independent of N
                runs, calls = template.runs_per_query, template.circuit_calls
            else:
                runs, calls = _calls(
                    n, scenario.precision, scenario.method, delta_exact, scenario.grouped, d_ctx
                )
            metrics = dict(zip(METRICS, values(n, bits)))
            rows.append(_row(t, model, n, metrics, calls, runs))
        query = QLACIQuery(16, qram_model=model, **dict(t.options))
        notes.update(dict.fromkeys(model_notes(model, query)))
    return QLACITable(rows, list(notes), t.columns)


def qlaci_rows(
    models: Iterable[str],
    sizes: Iterable[int],
    level: str = "head",
    scenario: Optional[Scenario] = None,
    *,
    processors: int = 1,
    symbolic: bool = False,
    heads: int = 1,
    d_model: Optional[int] = None,
    d_ff: Optional[int] = None,
    **query_options,
) -> QLACITable:
    """Per-query circuit metrics, circuit runs per query and totals, per model and size.

    Args:
        models: Names in `qlaci_cost.qram.MODELS`; rows come model by model, sizes in order.
        sizes: Sequence lengths N >= 1, each padded to the next power of two (a note says so).
            Ignored when `symbolic`.
        level: `query` (one query), `head` (N queries) or `block` (a `HybridBlock`).
        scenario: The `analysis.scenario.Scenario` (default `DEFAULT_SCENARIO`): readout
            (precision, method, delta, shots, grouped), the query's component bits, the
            counting conventions and the block's bytes per value. A `Conventions` here means
            the default scenario with those conventions. The old keywords precision, method,
            delta, shots, grouped, conventions, bits and bytes_per_value still work for one
            release (a DeprecationWarning names the scenario field).
        processors: P, quantum processors sharing the head's queries.
        symbolic: One row per model with expressions in N instead of numbers.
        heads, d_model, d_ff: `HybridBlock` options (block level).
        **query_options: `QLACIQuery` options (`QUERY_OPTIONS`: d_q, layers, d_ctx, ...).

    Returns:
        `QLACITable(rows, notes, columns)`: `columns` is `COLUMNS` (`BLOCK_COLUMNS` for the
        block level); values are exact ints (sympy expressions when `symbolic`). Notes: what the
        metric columns are (one circuit execution), what produced `shots` (precision, method,
        delta, observables), the totals' formulas for the level, padding, the models' notes
        (ideal QRAM assumption, metrics that are upper bounds).

    Raises:
        InputError: an unknown model or level, or a bad option (the message names it).
    """
    if level not in LEVELS:
        raise InputError(f"level {level!r} is not allowed: use one of {', '.join(LEVELS)}")
    models = list(models)
    for model in models:
        model_class(model)
    block_options = {"bytes_per_value": query_options.pop("bytes_per_value", None)}
    scenario = fold_legacy(scenario, block_options, "qlaci_rows")
    scenario, options = scenario_query_options(scenario, query_options, "qlaci_rows")
    t = _table_context(models, level, scenario, options, processors, heads, d_model, d_ff)
    if symbolic:
        return _symbolic_table(t, models)
    return _sized_table(t, models, sizes)
