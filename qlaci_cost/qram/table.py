"""The QRAM comparison table: every metric of every model over a grid of sizes.

One symbolic derivation per model (`cost_summary` with N and b symbols, cached per model and
conventions), compiled once into integer arithmetic (`compile_exact`; the compiled source and
the model's notes are kept in the disk cache, `core.closed_forms`), then evaluated per size:
the cost of a row does not grow with N, so N = 2^40 (or 2^200) costs what N = 16 costs, and
every number is an exact Python int.
"""

import functools
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from qlaci_cost.core.closed_forms import cached_compiled, key_of
from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, Conventions
from qlaci_cost.core.grids import pad_all
from qlaci_cost.core.summary import METRICS, CostSummary, cost_summary, evaluate
from qlaci_cost.qram import build_symbolic, model_class
from qlaci_cost.qram.interface import check_sizes, pad_cells
from qlaci_cost.symbolics.compile import compile_exact
from qlaci_cost.symbolics.symbols import B, N

__all__ = [
    "COLUMNS",
    "N",
    "B",
    "QRAMTable",
    "compile_exact",
    "compiled_metrics",
    "model_notes",
    "qram_rows",
    "symbolic_summary",
]

#: Output columns, in order.
COLUMNS: tuple[str, ...] = ("model", "N", "bits") + METRICS

WORST_CASE_NOTE = (
    "counts are for size-only models: the worst case over the stored data unless a model's "
    "note says otherwise"
)
SYMBOLIC_NOTE = "N = number of cells (a power of two), b = bits per word, log2(N) = address qubits"


class QRAMTable(NamedTuple):
    """Rows (dicts keyed by `COLUMNS`) and the notes that must be printed with them."""

    rows: list[dict[str, Any]]
    notes: list[str]


@functools.cache
def symbolic_summary(model: str, conventions: Conventions = DEFAULT_CONVENTIONS) -> CostSummary:
    """`cost_summary` of the size-only model with N and b symbols, derived once per process."""
    return cost_summary(build_symbolic(model, N, B), conventions)


#: The disk cache's kind of the compiled closed forms (`core.closed_forms`).
COMPILED_KIND = "qram-compiled"


@functools.cache
def compiled_metrics(model: str, conventions: Conventions) -> Callable[[int, int], tuple]:
    """The model's metrics compiled (`compile_exact`), kept in the disk cache with the model's
    notes (the function's `extra`)."""

    def exprs() -> list:
        summary = symbolic_summary(model, conventions)
        return [getattr(summary, m) for m in METRICS]

    def notes() -> list[str]:
        return model_notes(model, symbolic_summary(model, conventions))

    key = key_of(model_class(model), model=model, conventions=conventions)
    return cached_compiled(COMPILED_KIND, key, exprs, notes)


# --- the table --------------------------------------------------------------------------------


def model_notes(model: str, summary: CostSummary) -> list[str]:
    notes = list(summary.notes)
    bounds = getattr(model_class(model), "BOUNDS", frozenset())
    if bounds:
        named = ", ".join(m for m in METRICS if m in bounds)
        notes.append(f"{model}: {named} are upper bounds (proven closed forms), not exact counts")
    return notes


def qram_rows(
    models: Iterable[str],
    sizes: Iterable[int],
    bits: int | None = 8,
    conventions: Conventions = DEFAULT_CONVENTIONS,
    symbolic: bool = False,
) -> QRAMTable:
    """Every metric of every model at every size, or (symbolic) one row of expressions per model.

    Args:
        models: Names in `qlaci_cost.qram.MODELS`; rows come model by model, sizes in order.
        sizes: Numbers of cells N >= 1; each is padded to the next power of two (the row shows
            the padded N and a note says so). Ignored when `symbolic`.
        bits: Bits per word b >= 1. When `symbolic`, None keeps b a symbol.
        conventions: Counting conventions (T per Toffoli, rotation synthesis).
        symbolic: Give expressions in N (and b) instead of numbers.

    Returns:
        `QRAMTable(rows, notes)`: rows are dicts with exactly the keys `COLUMNS`; values are
        exact Python ints (sympy expressions when `symbolic`). Notes, each once: what the
        counts are (worst case over data; the symbols when `symbolic`), padding notes, then
        each model's notes (the ideal model's assumption, metrics that are upper bounds).

    Raises:
        UnknownModelError: A model outside `MODELS`.
        QRAMSizeError: A size < 1 or bits < 1.
    """
    models = list(models)
    if bits is not None or not symbolic:
        check_sizes(2, bits)
    for model in models:
        model_class(model)
    notes: dict[str, None] = {}
    rows: list[dict[str, Any]] = []
    if symbolic:
        for model in models:
            summary = symbolic_summary(model, conventions)
            values = summary.metrics()
            if bits is not None:
                values = {m: evaluate(v, {"b": bits}) for m, v in values.items()}
            rows.append(
                dict(zip(COLUMNS, (model, N, B if bits is None else bits, *values.values())))
            )
            notes.update(dict.fromkeys(model_notes(model, summary)))
        return QRAMTable(rows, [SYMBOLIC_NOTE, WORST_CASE_NOTE, *notes])
    padded, pad_notes = pad_all(sizes, pad_cells)
    notes.update(dict.fromkeys(pad_notes))
    for model in models:
        values = compiled_metrics(model, conventions)
        for n in padded:
            rows.append(dict(zip(COLUMNS, (model, n, bits, *values(n, bits)))))
        notes.update(dict.fromkeys(values.extra))
    return QRAMTable(rows, [WORST_CASE_NOTE, *notes])
