"""Table commands from the disk cache: a repeated command renders its stored table at once.

Every table command (`qlaci`, `qlam`, `table`, `estimate`, `breakeven`, `train`) ends in one
`args.emit_table` call. `run_cached(args, run)` keys the command by its name and every argument
it was given (all but `--out`: where the table goes changes no number), the way
`core.cache` keys closed forms (package version and source fingerprint, checksums, a corrupt,
stale or unreadable entry a miss, an unwritable directory skipped). A miss runs the command and
stores what it handed to `emit_table` (rows, columns, notes, the conventions' and scenario's
texts); a hit renders exactly that again, through the same `emit_table`, without importing
Qualtran, Cirq or sympy, so the output is byte-identical and every number exact.

What is never cached: a command that failed (bad input raises before anything is stored), a
table holding a value outside `_encode`'s types (a sympy expression of `--symbolic`, for
example), `--microsoft` rows (they depend on whether Microsoft's estimator is installed), and
any command while a QRAM model or family is registered at run time from outside the package.
`QLACI_COST_NO_CACHE=1` disables the cache, as for the closed forms.
"""

import argparse
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, Optional

from qlaci_cost.cli import args as cli_args
from qlaci_cost.core import cache

__all__ = ["KIND", "cached", "command_key", "run_cached"]

KIND = "table"
#: Arguments that change no number of the table, or are not arguments.
_IGNORED = frozenset({"run", "progress", "argv", "out", "quiet"})


class _Unsupported(Exception):
    """A value the table cache does not store (the command then runs every time)."""


def _encode(value: Any) -> Any:
    """`value` as JSON data that `_decode` turns back into an equal value of the same type."""
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is Fraction:
        return {"fraction": [value.numerator, value.denominator]}
    if type(value) is Decimal:
        return {"decimal": str(value)}
    if type(value) in (list, tuple):
        items = [_encode(v) for v in value]
        return items if type(value) is list else {"tuple": items}
    if type(value) is dict and all(type(k) is str for k in value):
        return {"dict": [[k, _encode(v)] for k, v in value.items()]}
    if type(value).__module__.startswith("sympy") and getattr(value, "is_Rational", False):
        return {"sympy-rational": [int(value.p), int(value.q)]}  # sympy canonicalizes it
    raise _Unsupported(type(value).__name__)


def _decode(data: Any) -> Any:
    if isinstance(data, list):
        return [_decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    (tag, body), *rest = data.items()
    if rest:
        raise ValueError("an encoded value has one tag")
    if tag == "fraction":
        return Fraction(*body)
    if tag == "decimal":
        return Decimal(body)
    if tag == "tuple":
        return tuple(_decode(v) for v in body)
    if tag == "dict":
        return {k: _decode(v) for k, v in body}
    if tag == "sympy-rational":
        import sympy

        return sympy.Rational(*body)
    raise ValueError(f"unknown tag {tag!r}")


class _Texts:
    """The conventions or the scenario of a stored table: what `emit_table` reads of them."""

    def __init__(self, described: str, fields: Any):
        self._described, self._fields = described, fields

    def describe(self) -> str:
        return self._described

    def note(self) -> str:
        return self._described

    def as_dict(self) -> Any:
        return self._fields

    def to_dict(self) -> Any:
        return self._fields


def _registered_elsewhere() -> bool:
    """Whether a QRAM model or a model family was registered at run time from outside this
    package (its code is not in the cache's fingerprint, and its name may mean other code
    in another process)."""
    from qlaci_cost.core.family import FAMILIES
    from qlaci_cost.qram.registry import MODELS, all_models

    return all_models() != MODELS or any(
        not module.startswith("qlaci_cost.") for module in FAMILIES.values()
    )


def command_key(args: argparse.Namespace) -> Optional[dict]:
    """The command's name and arguments (None: a command the cache does not keep)."""
    given = {k: v for k, v in sorted(vars(args).items()) if k not in _IGNORED}
    if given.get("microsoft") or given.get("symbolic") or _registered_elsewhere():
        return None
    if any(v is not None and type(v) not in (bool, int, float, str) for v in given.values()):
        return None
    return {"command": given.get("command"), "arguments": given}


def _texts(thing: Any, text: str, fields: str) -> Optional[list]:
    """[text, encoded fields] of the conventions or the scenario (None stays None)."""
    if thing is None:
        return None
    return [getattr(thing, text)(), _encode(getattr(thing, fields)())]


def _entry(call: Mapping[str, Any]) -> Optional[dict]:
    """What `emit_table` was given, as a cache entry (None: a value it cannot store)."""
    try:
        return {
            "rows": _encode(list(call["rows"])),
            "columns": _encode(tuple(call["columns"])),
            "notes": _encode(list(call["notes"])),
            "conventions": _texts(call["conventions"], "describe", "as_dict"),
            "scenario": _texts(call["scenario"], "note", "to_dict"),
            "json_extra": _encode(call["json_extra"]),
        }
    except _Unsupported:
        return None


def _replay(entry: Mapping[str, Any], args: argparse.Namespace) -> bool:
    """Render a stored table as the command would (False: an entry that does not decode)."""
    try:
        rows, columns, notes = (_decode(entry[k]) for k in ("rows", "columns", "notes"))
        conventions, scenario = (
            None if entry[k] is None else _Texts(entry[k][0], _decode(entry[k][1]))
            for k in ("conventions", "scenario")
        )
        json_extra = _decode(entry["json_extra"])
    except (KeyError, TypeError, ValueError, IndexError, ZeroDivisionError):
        return False
    out = cli_args.checked_out_path(args.out)
    cli_args.emit_table(rows, columns, args.format, notes, conventions, out, json_extra, scenario)
    return True


def run_cached(args: argparse.Namespace, run: Callable[[argparse.Namespace], int]) -> int:
    """`run(args)`, or its stored table rendered again when the same command ran before."""
    key = command_key(args) if cache.enabled() else None
    if key is not None:
        entry = cache.load(KIND, key)
        if entry is not None and _replay(entry, args):
            return 0
    calls: list[dict] = []
    with cli_args.recording(calls.append):
        status = run(args)
    if key is not None and status == 0 and len(calls) == 1:
        entry = _entry(calls[0])
        if entry is not None:
            cache.store(KIND, key, entry)
    return status


def cached(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """`run` behind the table cache (what a table command's `set_defaults(run=...)` takes)."""

    def cached_run(args: argparse.Namespace) -> int:
        return run_cached(args, run)

    cached_run.__doc__ = run.__doc__
    return cached_run
