"""A disk cache for derived closed forms, so a warm `qlaci-cost` skips Qualtran and sympy.

Entries are JSON files in the user's cache directory (`platformdirs.user_cache_dir`, else
`$XDG_CACHE_HOME/qlaci-cost` or `~/.cache/qlaci-cost`), one per key. A key names what was
derived (kind, model, model options, conventions) and is stored with the package version and a
fingerprint of the package's source files and of the installed Qualtran, so an entry from other
code is stale and rebuilt. A file also stores the SHA-256 of its content: a corrupt, truncated,
foreign or unreadable entry is a miss, and an unwritable directory skips the write. The cache
never changes a number (an entry holds what the code derived) and never fails a command.

Environment:
    QLACI_COST_CACHE_DIR: the cache directory (default: the user's cache directory).
    QLACI_COST_NO_CACHE: `1` (or any non-empty value but `0`) disables reading and writing.
"""

import functools
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qlaci_cost.core.atomic import atomic_write

__all__ = ["CACHE_DIR_ENV", "NO_CACHE_ENV", "cache_dir", "enabled", "installed", "load", "store"]

CACHE_DIR_ENV = "QLACI_COST_CACHE_DIR"
NO_CACHE_ENV = "QLACI_COST_NO_CACHE"
#: Bumped when the file layout changes.
FORMAT = 1


def enabled() -> bool:
    """False when `QLACI_COST_NO_CACHE` is set (to anything but '' or '0')."""
    return os.environ.get(NO_CACHE_ENV, "") in ("", "0")


def cache_dir() -> Path:
    """`$QLACI_COST_CACHE_DIR`, else the user's cache directory for qlaci-cost."""
    given = os.environ.get(CACHE_DIR_ENV)
    if given:
        return Path(given).expanduser()
    try:
        import platformdirs

        return Path(platformdirs.user_cache_dir("qlaci-cost", appauthor=False))
    except ImportError:  # pragma: no cover - platformdirs is a dependency of our dependencies
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        return Path(base) / "qlaci-cost"


#: Package files whose content the output depends on (the explorer page embeds its scripts).
_SOURCE_SUFFIXES = (".py", ".js")


@functools.cache
def _code_fingerprint() -> dict[str, str]:
    """The package version, a hash of its source files (path, size, mtime; Python and the
    scripts it embeds) and of Qualtran's installed `__init__.py`: an entry stored under other
    code is stale."""
    import qlaci_cost

    root = Path(qlaci_cost.__file__).parent
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in _SOURCE_SUFFIXES):
        st = path.stat()
        h.update(f"{path.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return {
        "package": qlaci_cost.__version__,
        "source": h.hexdigest(),
        "qualtran": installed("qualtran"),
    }


@functools.cache
def installed(package: str) -> str:
    """Which installed copy of `package` is found (its `__init__.py`: path, size, mtime), without
    importing it (nor `importlib.metadata`, ~0.1 s); "unknown" when it is not installed."""
    try:
        import importlib.util

        origin = Path(importlib.util.find_spec(package).origin)
        st = origin.stat()
        return f"{origin}:{st.st_size}:{st.st_mtime_ns}"
    except Exception:  # not installed: the source hash still applies
        return "unknown"


def _full_key(kind: str, key: Mapping[str, Any]) -> dict[str, Any]:
    return {"format": FORMAT, "kind": kind, **_code_fingerprint(), "key": dict(key)}


def _path(full_key: Mapping[str, Any]) -> Path:
    digest = hashlib.sha256(json.dumps(full_key, sort_keys=True).encode()).hexdigest()
    return cache_dir() / f"{full_key['kind']}-{digest[:32]}.json"


def _checksum(full_key: Mapping[str, Any], value: Any) -> str:
    body = json.dumps({"key": full_key, "value": value}, sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()


def load(kind: str, key: Mapping[str, Any]) -> Any | None:
    """The value stored under (`kind`, `key`) by this code, or None (missing, stale, corrupt,
    unreadable or disabled)."""
    if not enabled():
        return None
    try:
        full = _full_key(kind, key)
        doc = json.loads(_path(full).read_text(encoding="utf-8"))
        if doc.get("key") != full or doc.get("sha256") != _checksum(full, doc.get("value")):
            return None
        return doc["value"]
    except Exception:  # any unreadable entry is a miss, never an error
        return None


def store(kind: str, key: Mapping[str, Any], value: Any) -> bool:
    """Store a JSON-serializable `value` under (`kind`, `key`); False when it could not be
    written (disabled, unwritable directory, full disk): never an error."""
    if not enabled():
        return False
    try:
        full = _full_key(kind, key)
        path = _path(full)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"key": full, "value": value, "sha256": _checksum(full, value)})
        atomic_write(path, text)  # a reader never sees a partial entry
        return True
    except Exception:  # a cache that cannot be written is skipped, never an error
        return False
