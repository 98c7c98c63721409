"""Writing files without losing anything: one atomic writer for single files, and a manifest
that marks an output folder as written by this toolkit.

- `atomic_write(path, data)`: the data goes to a temporary file in the same folder, then
  `os.replace` puts it in place, so a reader (or a crash) never sees a partial file. A new file
  gets the mode the umask gives (like `open(path, "w")`); an existing file keeps its mode.
- `publish(tmp, out)`: moves the files of a finished folder `tmp` into the folder `out` under the
  manifest rule (`check_folder`): `out` must be new, empty, or a folder whose manifest
  (`MANIFEST`) lists what we wrote there before. Only files the old manifest lists are replaced
  or removed; anything else in `out` (a user's file or folder) is left as it is. A file of ours
  that changed since we wrote it (its hash differs from the manifest's) is never overwritten:
  the run is refused, naming it, before anything is moved.
"""

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Union

__all__ = [
    "MANIFEST",
    "FolderError",
    "atomic_write",
    "check_folder",
    "file_hash",
    "publish",
    "read_manifest",
    "read_manifest_entry",
]

#: The manifest file name inside a folder we wrote.
MANIFEST = ".qlaci-cost-report.json"
_KIND = "qlaci-cost report manifest"

PathLike = Union[str, "os.PathLike[str]"]


class FolderError(ValueError):
    """An output folder or file we must not (or cannot) write: one line, naming the path."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: PathLike, data: Union[str, bytes]) -> None:
    """Write `data` (text as UTF-8) to `path` atomically: a temporary file beside it, then
    `os.replace`. A new file gets `0o666 & ~umask`; an existing one keeps its mode."""
    path = os.fspath(path)
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    parent = os.path.dirname(os.path.abspath(path))
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=".qlaci-cost-", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def file_hash(path: PathLike) -> str:
    """SHA-256 of a file's bytes, hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _manifest_text(files: "Mapping[str, str | list[str]]", extra: Mapping = None) -> str:
    doc = {"kind": _KIND, "version": 1, "files": dict(sorted(files.items()))}
    doc.update({k: v for k, v in (extra or {}).items() if k not in doc})
    return json.dumps(doc, indent=2) + "\n"


def read_manifest_entry(out: PathLike, key: str):
    """The value a report recorded under `key` in its manifest (`publish(..., extra=...)`,
    e.g. the scenario), or None when `out` has no well-formed manifest or no such entry."""
    if read_manifest(out) is None:
        return None
    doc = json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
    return doc.get(key)


def read_manifest(out: PathLike) -> "dict[str, list[str]] | None":
    """{relative path: accepted SHA-256s} of the files we wrote into `out`, or None when `out`
    has no (readable, well-formed) manifest. A path accepts two hashes only while a run is
    moving its files in (its old and its new bytes)."""
    try:
        doc = json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = doc.get("files") if isinstance(doc, dict) else None
    if not isinstance(files, dict) or doc.get("kind") != _KIND:
        return None
    out_files = {}
    for name, digest in files.items():
        digests = [digest] if isinstance(digest, str) else digest
        valid = isinstance(digests, list) and all(isinstance(d, str) for d in digests)
        if not (valid and _safe(name)):
            return None
        out_files[name] = digests
    return out_files


def _safe(name: str) -> bool:
    """A relative path inside the folder (no absolute paths, no '..')."""
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def check_folder(out: PathLike, option: str = "--out") -> "dict[str, list[str]]":
    """Raise `FolderError` unless we may write into `out`; return the old manifest ({} when `out`
    is new or empty).

    Rules: a missing or empty folder is ours to fill; a non-empty folder must hold our manifest
    (`MANIFEST`); every file that manifest lists and that still exists must be unchanged
    (same SHA-256), so no edit a user made to one of our files is overwritten. A folder an
    earlier version wrote (no manifest; `index.md` starting with our title and only file names
    a report writes) counts as ours, its files unlisted: a run replaces only the files of the
    same name it writes and removes nothing.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise FolderError(f"{option} {str(out)!r} is a file: the report needs a folder")
    if not out.exists() or not any(out.iterdir()):
        return {}
    manifest = read_manifest(out)
    if manifest is None:
        manifest = _legacy(out)
    if manifest is None:
        raise FolderError(
            f"{option} {str(out)!r} is not empty and holds no qlaci-cost report (no {MANIFEST}): "
            "nothing was written; choose a new or empty folder"
        )
    for name, digests in sorted(manifest.items()):
        path = out / name
        if path.is_file() and not path.is_symlink() and file_hash(path) not in digests:
            raise FolderError(
                f"{option} {str(out)!r}: {name!r} was changed since qlaci-cost wrote it: "
                "nothing was written; move the file away (or delete it) and run again"
            )
        if path.exists() and (path.is_symlink() or not path.is_file()):
            raise FolderError(
                f"{option} {str(out)!r}: {name!r} is no longer the file qlaci-cost wrote: "
                "nothing was written; move it away and run again"
            )
    return manifest


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def publish(
    tmp: PathLike, out: PathLike, option: str = "--out", extra: Mapping = None
) -> list[str]:
    """Move every file of the finished folder `tmp` into `out` and write the manifest (with the
    JSON-safe entries of `extra` beside its file list); remove `tmp`. Returns the relative
    paths written (manifest excluded), sorted.

    A new `out` is `tmp` renamed (one atomic step). Otherwise each file is moved in with
    `os.replace` (atomic per file), files of the old manifest that this run did not write are
    removed, and the manifest is written last. Raises `FolderError` (nothing moved) when
    `check_folder` refuses `out`, or when a file of this run would replace a file in `out`
    that the old manifest does not list (a user's file of the same name).
    """
    tmp, out = Path(tmp), Path(out)
    old = check_folder(out, option)
    names = [n for n in _files(tmp) if n != MANIFEST]
    new = {n: file_hash(tmp / n) for n in names}
    clash = [n for n in names if n not in old and (out / n).exists()]
    if clash:
        raise FolderError(
            f"{option} {str(out)!r}: {clash[0]!r} exists and was not written by qlaci-cost: "
            "nothing was written; move it away and run again"
        )
    blocked = [n for n in names if any(_is_file(out / p) for p in _parents(n))]
    if blocked:
        raise FolderError(f"{option} {str(out)!r}: a file blocks the folder of {blocked[0]!r}")
    atomic_write(tmp / MANIFEST, _manifest_text(new, extra))
    _open_mode(tmp)
    if not out.exists():
        os.replace(tmp, out)
        return names
    legacy = read_manifest(out) is None  # an earlier version's report: remove nothing
    # Record the files about to move as ours first: a crash halfway leaves a manifest that
    # accepts their old or their new bytes, so a rerun goes on.
    pending = {n: sorted(set(old.get(n, [])) | {new[n]}) for n in names}
    atomic_write(out / MANIFEST, _manifest_text({**old, **pending}, extra))
    for name in names:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp / name, out / name)
    for name in [] if legacy else sorted(set(old) - set(new)):
        path = out / name
        if path.is_file() and not path.is_symlink():
            path.unlink()
        _prune(out, path.parent)
    os.replace(tmp / MANIFEST, out / MANIFEST)
    shutil.rmtree(tmp, ignore_errors=True)
    return names


def _parents(name: str) -> Iterable[str]:
    parts = Path(name).parts
    return [str(Path(*parts[:i])) for i in range(1, len(parts))]


def _is_file(path: Path) -> bool:
    return path.exists() and not path.is_dir()


def _open_mode(folder: Path) -> None:
    """mkdtemp makes folders private; a folder we publish gets the umask's mode."""
    if folder.is_dir():
        os.chmod(folder, 0o777 & ~_umask())


def _prune(out: Path, folder: Path) -> None:
    """Remove `folder` and its parents up to `out` while they are empty (folders we made)."""
    out = out.resolve()
    folder = folder.resolve()
    while folder != out and out in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


#: File names a report of an earlier version wrote (before the manifest existed).
_LEGACY = re.compile(r"index\.md|[a-z_]+\.(csv|tex|json)|figures/[a-z_-]+\.(png|pdf|svg)")
_LEGACY_TITLE = "# qlaci-cost report"


def _legacy(out: Path) -> "dict[str, list[str]] | None":
    """{} for a report folder of an earlier version (see `check_folder`), else None."""
    index = out / "index.md"
    try:
        first = index.read_text(encoding="utf-8").split("\n", 1)[0]
    except (OSError, UnicodeDecodeError):
        return None
    names = [str(p.relative_to(out)) for p in out.rglob("*") if not p.is_dir()]
    if first.startswith(_LEGACY_TITLE) and all(_LEGACY.fullmatch(n) for n in names):
        return {n: [file_hash(out / n)] for n in names}
    return None
