"""QRAM table rows from closed forms kept in the disk cache: a warm table imports no sympy.

`qram.table.qram_rows` derives each model's closed forms (`cost_summary` with N and b symbols)
and compiles them to exact integer Python (`compile_exact`). This module keeps that compiled
source, the model's notes and the conventions' description in `qlaci_cost.core.cache`, keyed
by model, model options and conventions (plus the package version and source fingerprint the
cache adds), and evaluates it with `symbolics.exact_runtime`, which needs no sympy. The rows
equal `qram_rows`' (same source, same runtime; tests compare them); any entry that is missing,
stale or corrupt, or a value that is not an exact int, makes `cached_qram_rows` return None
and the caller uses `qram_rows` (then `store_entries` fills the cache).
"""

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, NamedTuple

from qlaci_cost.core import cache
from qlaci_cost.core.grids import pad_all
from qlaci_cost.symbolics.exact_runtime import Unsupported, load_exact

__all__ = ["KIND", "CachedConventions", "CachedTable", "cached_qram_rows", "store_entries"]

KIND = "qram-closed-forms"


class CachedConventions(NamedTuple):
    """What `output.tables.render` prints of a `Conventions`, as stored in the cache."""

    description: str
    fields: dict[str, Any]

    def describe(self) -> str:
        return self.description

    def as_dict(self) -> dict[str, Any]:
        return dict(self.fields)


class CachedTable(NamedTuple):
    rows: list[dict[str, Any]]
    notes: list[str]
    columns: tuple[str, ...]
    conventions: CachedConventions


def _key(model: str, options: Mapping[str, Any], conventions: Mapping[str, Any]) -> dict:
    return {"model": model, "options": dict(options), "conventions": dict(conventions)}


def store_entries(
    models: Sequence[str], conventions: Mapping[str, Any], options: Mapping[str, Any] = {}
) -> None:
    """Derive (as `qram_rows` does) and store each model's entry; models whose closed forms
    need sympy to evaluate are not stored. Never raises for a cache that cannot be written."""
    if not cache.enabled():
        return
    from qlaci_cost.core.conventions import Conventions
    from qlaci_cost.qram.table import COLUMNS, WORST_CASE_NOTE, compiled_metrics

    conv = dict(conventions)
    conv_obj = Conventions.with_t_per_toffoli(conv.pop("t_per_toffoli"), **conv)
    for model in models:
        compiled = compiled_metrics(model, conv_obj)
        source = getattr(compiled, "source", None)
        if source is None or options:
            continue
        entry = {
            "source": source,
            "notes": list(compiled.extra),  # the model's notes (`qram.table.model_notes`)
            "table_note": WORST_CASE_NOTE,
            "columns": list(COLUMNS),
            "conventions": [conv_obj.describe(), conv_obj.as_dict()],
        }
        cache.store(KIND, _key(model, options, conventions), entry)


def _exact(values: tuple) -> tuple[int, ...] | None:
    out = []
    for v in values:
        if type(v) is Fraction and v.denominator == 1:
            v = v.numerator
        if type(v) is not int:
            return None
        out.append(v)
    return tuple(out)


def cached_qram_rows(
    models: Sequence[str],
    sizes: Sequence[int],
    bits: int,
    conventions: Mapping[str, Any],
    options: Mapping[str, Any] = {},
) -> CachedTable | None:
    """`qram_rows(models, sizes, bits, conventions)` from the cache, or None on any miss.

    Args:
        models: Names in `MODELS` (checked by the caller).
        sizes: Numbers of cells N >= 1 (padded to powers of two, with a note, as `qram_rows`).
        bits: Bits per word b >= 1.
        conventions: The arguments of `Conventions.with_t_per_toffoli` (t_per_toffoli,
            rotation_model, eps).
        options: Model options (none are cached yet: a non-empty mapping is a miss).
    """
    if options or not cache.enabled() or type(bits) is not int or bits < 1:
        return None
    entries = []
    for model in models:
        entry = cache.load(KIND, _key(model, options, conventions))
        if entry is None:
            return None
        entries.append(entry)
    if not entries:
        return None
    padded, pad_notes = pad_all(sizes)
    notes = dict.fromkeys([entries[0]["table_note"], *pad_notes])
    rows: list[dict[str, Any]] = []
    columns = tuple(entries[0]["columns"])
    try:
        for model, entry in zip(models, entries):
            fast = load_exact(entry["source"])
            for n in padded:
                values = _exact(fast(n, bits))
                if values is None:
                    return None
                rows.append(dict(zip(columns, (model, n, bits, *values))))
            notes.update(dict.fromkeys(entry["notes"]))
        description, fields = entries[0]["conventions"]
    except (Unsupported, ArithmeticError, TypeError, ValueError, KeyError, SyntaxError):
        return None  # a value this runtime cannot give exactly: the caller derives it
    return CachedTable(rows, list(notes), columns, CachedConventions(description, fields))
