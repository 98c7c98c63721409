"""Size grids and name lists as typed on the command line: `16,1024,2^20`, `2^4..2^40`.

A grid is a comma list of items. An item is an integer (`16`), a power (`2^20` or `2**20`), or
a doubling range (`2^4..2^40` = 2^4, 2^5, ..., 2^40; `16..1000` = 16, 32, ..., 512: doubling
from the start while the value is <= the end). Values are exact Python ints, so `2^200` is
fine. Anything else raises `GridError` naming the bad item and what is allowed.
"""

import re
from collections.abc import Callable, Iterable, Sequence

from qlaci_cost.errors import InputError

__all__ = [
    "DEFAULT_SIZES",
    "MAX_SIZE_BITS",
    "MAX_SIZES",
    "GridError",
    "pad_all",
    "pad_size",
    "parse_names",
    "parse_sizes",
]

#: The default grid of every table, claim and report: N = 2^4 .. 2^40, doubling.
DEFAULT_SIZES: tuple[int, ...] = tuple(2**k for k in range(4, 41))
#: At most this many sizes in one grid.
MAX_SIZES = 1000
#: Sizes are at most 2^MAX_SIZE_BITS (far beyond any memory; keeps every number printable).
MAX_SIZE_BITS = 1024

ALLOWED_SIZES = "sizes are integers >= 1, powers like 2^20, or ranges like 2^4..2^20"

_INT = re.compile(r"[0-9]{1,400}")
_POWER = re.compile(r"([0-9]{1,400})\s*(?:\^|\*\*)\s*([0-9]{1,400})")


class GridError(InputError):
    """A size grid or name list that cannot be parsed; the message names the bad value."""


def _reject(what: str, item: str, reason: str = ALLOWED_SIZES) -> GridError:
    return GridError(f"{what}: {item!r} is not allowed: {reason}")


def _value(text: str, item: str, what: str) -> int:
    """One integer or power, exactly; `item` is the whole grid item for messages."""
    text = text.strip()
    if _INT.fullmatch(text):
        value = int(text)
    elif match := _POWER.fullmatch(text):
        base, exponent = int(match.group(1)), int(match.group(2))
        if base == 0:
            raise _reject(what, item, "the base of a power must be >= 1; " + ALLOWED_SIZES)
        if base > 1 and exponent > MAX_SIZE_BITS:
            raise _reject(what, item, f"sizes are at most 2^{MAX_SIZE_BITS}")
        value = base**exponent
    else:
        raise _reject(what, item)
    if value < 1:
        raise _reject(what, item)
    if value > 2**MAX_SIZE_BITS:
        raise _reject(what, item, f"sizes are at most 2^{MAX_SIZE_BITS}")
    return value


def _doubling(start: int, end: int) -> Iterable[int]:
    value = start
    while value <= end:
        yield value
        value *= 2


def parse_sizes(text: str, what: str = "sizes") -> list[int]:
    """Sizes from a grid like `16,1024,2^20` or `2^4..2^40`, in the order given, duplicates
    dropped.

    Args:
        text: The grid.
        what: How the value is named in error messages (for example the option `--n`).

    Raises:
        GridError: An empty, malformed or out-of-range item, a reversed range, or more than
            `MAX_SIZES` sizes.
    """
    if not isinstance(text, str) or not text.strip():
        raise _reject(what, str(text or ""), "the grid is empty; " + ALLOWED_SIZES)
    sizes: dict[int, None] = {}
    for item in text.split(","):
        stripped = item.strip()
        if not stripped:
            raise _reject(what, text, "it has an empty item; " + ALLOWED_SIZES)
        if ".." in stripped:
            parts = stripped.split("..")
            if len(parts) != 2 or not all(p.strip() for p in parts) or parts[1][0] == ".":
                raise _reject(what, stripped, "a range is two sizes joined by '..', like 2^4..2^20")
            start, end = _value(parts[0], stripped, what), _value(parts[1], stripped, what)
            if start > end:
                raise _reject(
                    what,
                    stripped,
                    "a range runs from the smaller size to the larger, like 2^4..2^20",
                )
            count = (end // start).bit_length()
            if count > MAX_SIZES:
                raise _reject(
                    what, stripped, f"it has {count} sizes; at most {MAX_SIZES} are allowed"
                )
            values: Iterable[int] = _doubling(start, end)
        else:
            values = (_value(stripped, stripped, what),)
        for v in values:
            sizes[v] = None
        if len(sizes) > MAX_SIZES:
            raise _reject(what, text, f"it has more than {MAX_SIZES} sizes")
    return list(sizes)


def parse_names(text: str, allowed: Sequence[str], what: str = "names") -> list[str]:
    """Names from a comma list, each one of `allowed` (or `all` for every allowed name), in the
    order given, duplicates dropped.

    Raises:
        GridError: An empty item or a name outside `allowed`, naming it and the allowed names.
    """
    choices = ", ".join(allowed)
    if not isinstance(text, str) or not text.strip():
        raise GridError(f"{what}: the list is empty: choose from {choices} (or all)")
    names: dict[str, None] = {}
    for item in text.split(","):
        name = item.strip()
        if not name:
            raise GridError(f"{what}: {text!r} has an empty item: choose from {choices} (or all)")
        if name == "all":
            names.update(dict.fromkeys(allowed))
            continue
        if name not in allowed:
            raise GridError(f"{what}: {name!r} is not allowed: choose from {choices} (or all)")
        names[name] = None
    return list(names)


def pad_all(
    values: Iterable, pad: Callable[[int], tuple[int, str | None]] | None = None
) -> tuple[list[int], list[str]]:
    """`pad` (default `pad_size`) of each value: the padded values, and the notes of those it
    changed, in order."""
    padded, notes = [], []
    for value in values:
        p, note = (pad or pad_size)(value)
        padded.append(p)
        if note:
            notes.append(note)
    return padded, notes


def pad_size(n: int) -> tuple[int, str | None]:
    """The next power of two >= max(n, 2), and a note when it differs from n (None otherwise).

    Raises:
        InputError: n is not an integer >= 1 (bools and integral floats included).
    """
    if type(n) is not int or n < 1:
        raise InputError(f"N={n!r} is not allowed: N must be an integer >= 1")
    padded = max(2, 1 << (n - 1).bit_length())
    if padded == n:
        return n, None
    return padded, f"N={n} padded to the next power of two, N={padded}"
