"""Closed forms kept in the disk cache: each family's symbolic summaries derived once, anywhere.

A family derives a `cost_summary` with N (and b) symbols per model, options and conventions,
and compiles its metrics to exact integer Python (`symbolics.compile.compile_exact`); both take
seconds of Qualtran and sympy per model. This module keeps them in `core.cache` (the cache of
the QRAM models' closed forms: same keying by package version and source fingerprint, same
checksums, a corrupt, stale or unreadable entry a miss, an unwritable directory skipped):

- `cached_compiled(kind, key, exprs)`: the compiled source of the expressions `exprs()`
  derives; a hit runs the stored source (`symbolics.exact_runtime`, no sympy) and derives only
  if a value is not an exact int there (as `compile_exact` falls back to sympy);
- `cached_value(kind, key, derive)`: JSON data derived from closed forms (a leading order's
  text, for example), stored only when it reads back equal;
- `cached_summary(kind, key, derive, conventions)`: a concrete `CostSummary` (metrics exact
  ints, notes text), such as a QLAM step's; a symbolic one is derived every time (sympy's
  trees do not read back node for node: a nested `Max` is flattened).

A key names what was derived (the family's model, the model's class, options and
conventions, as `key_of` builds it); the cache adds the code fingerprint. Models registered at
run time (classes outside this package, whose source the fingerprint does not cover) and
inputs without a stable `repr` are never cached.
"""

import json
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Optional

from qlaci_cost.core import cache
from qlaci_cost.symbolics.exact_runtime import Unsupported, load_exact

__all__ = ["cached_compiled", "cached_summary", "cached_value", "key_of"]

#: What running stored source may raise where `compile_exact` would fall back to sympy.
_FALLBACK = (Unsupported, ArithmeticError, TypeError, ValueError)


def key_of(model_class: Optional[type] = None, **parts: Any) -> Optional[dict[str, str]]:
    """A cache key of `parts` (each by its `repr`) and the model's class, or None when one
    cannot name what was derived: a class outside this package, or a `repr` holding a memory
    address (an object without a value representation)."""
    key = {name: repr(value) for name, value in sorted(parts.items())}
    if model_class is not None:
        module = getattr(model_class, "__module__", "")
        if not module.startswith("qlaci_cost."):
            return None
        key["class"] = f"{module}.{model_class.__qualname__}"
    if any(" at 0x" in text for text in key.values()):
        return None
    return key


class _Stored:
    """Values of stored compiled source (`source`, valid alone); a value that is not an exact
    int there (or an error where `compile_exact` would fall back) takes the derived
    function's instead."""

    def __init__(self, source: str, derived: Callable[[], Callable]):
        self._fast, self._derived = load_exact(source), derived
        self.source, self.extra = source, None

    def __call__(self, n: int, bits: int) -> tuple:
        try:
            out = self._fast(n, bits)
        except _FALLBACK:
            return self._derived()(n, bits)
        values = []
        for v in out:
            if type(v) is Fraction and v.denominator == 1:
                v = v.numerator
            if type(v) is not int:
                return self._derived()(n, bits)
            values.append(v)
        return tuple(values)


def cached_compiled(
    kind: str,
    key: Optional[Mapping[str, Any]],
    exprs: Callable[[], Sequence[Any]],
    extra: Optional[Callable[[], Any]] = None,
) -> Callable[[int, int], tuple]:
    """`compile_exact(exprs())`, its source kept under (`kind`, `key`); None key: not cached.

    The function returned gives the same values as `compile_exact(exprs())` at every (N, b):
    the same source runs on the same runtime, and whatever that source cannot give exactly is
    derived (once) and evaluated as `compile_exact` does. Its attribute `extra` holds
    `extra()` (JSON data derived with the closed forms, such as their notes), stored with
    them; None without `extra`."""
    from qlaci_cost.symbolics.compile import compile_exact

    derived: list[Callable] = []

    def derive() -> Callable:
        if not derived:
            derived.append(compile_exact(exprs()))
        return derived[0]

    if key is not None:
        entry = cache.load(kind, key)
        try:
            if entry is not None and (extra is None) == ("extra" not in entry):
                stored = _Stored(entry["source"], derive)
                stored.extra = entry.get("extra")
                return stored
        except (KeyError, TypeError, SyntaxError, ValueError, Unsupported):
            pass  # a damaged entry: derive and store again
    values = derive()
    values.extra = None if extra is None else json.loads(json.dumps(extra()))  # as stored
    if key is not None and getattr(values, "source", None) is not None:
        entry = {"source": values.source}
        if extra is not None:
            entry["extra"] = values.extra
        cache.store(kind, key, entry)
    return values


def cached_value(kind: str, key: Optional[Mapping[str, Any]], derive: Callable[[], Any]) -> Any:
    """`derive()` (JSON data: str, int, float, bool, None, lists, dicts with str keys), kept
    under (`kind`, `key`); None key: not cached. A value that does not read back equal (a
    tuple, a Fraction) is returned but not stored, so a hit equals a derivation."""
    if key is not None:
        entry = cache.load(kind, key)
        if isinstance(entry, dict) and "value" in entry:
            return entry["value"]
    value = derive()
    if key is not None:
        try:
            same = json.loads(json.dumps(value)) == value and _plain(value)
        except (TypeError, ValueError):
            same = False
        if same:
            cache.store(kind, key, {"value": value})
    return value


def _plain(value: Any) -> bool:
    """Whether `value` is made of JSON's own types only (a tuple reads back as a list)."""
    if value is None or type(value) in (bool, int, float, str):
        return True
    if type(value) is list:
        return all(_plain(v) for v in value)
    if type(value) is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    return False


def cached_summary(
    kind: str, key: Optional[Mapping[str, Any]], derive: Callable[[], Any], conventions: Any
) -> Any:
    """`derive()`, a concrete `core.summary.CostSummary` under `conventions` (which `key`
    names), kept under (`kind`, `key`): its metrics (exact ints) and notes. None key: not
    cached. A summary with a symbolic metric is not stored (sympy's trees do not read back
    node for node), so a hit is always a summary of ints, equal to the derived one."""
    if key is None:
        return derive()
    entry = cache.load(kind, key)
    if entry is not None:
        summary = _read_summary(entry, conventions)
        if summary is not None:
            return summary
    summary = derive()
    entry = _summary_entry(summary)
    if entry is not None and _read_summary(entry, conventions) == summary:
        cache.store(kind, key, entry)
    return summary


def _summary_entry(summary: Any) -> Optional[dict]:
    from qlaci_cost.core.summary import METRICS

    metrics = {m: getattr(summary, m) for m in METRICS}
    if any(type(v) is not int for v in metrics.values()):
        return None
    return {"metrics": metrics, "notes": list(summary.notes)}


def _read_summary(entry: Mapping[str, Any], conventions: Any) -> Any:
    """The `CostSummary` of a stored entry, or None when it cannot be read back."""
    from qlaci_cost.core.summary import METRICS, CostSummary

    try:
        values = {m: entry["metrics"][m] for m in METRICS}
        notes = tuple(entry["notes"])
    except (KeyError, TypeError):
        return None
    if any(type(v) is not int for v in values.values()):
        return None
    if not all(isinstance(n, str) for n in notes):
        return None
    return CostSummary(**values, conventions=conventions, notes=notes)
