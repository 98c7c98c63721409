"""Writing output folders without losing anything: a manifest that marks a folder as written by
this toolkit, and moving a finished folder's files into place. Single files are written with
`core.atomic.atomic_write` (a temporary file beside the target, then `os.replace`).

- `check_folder(out, names=...)`: before any work, whether `out` may receive the files `names`
  under the manifest rule: `out` must be new, empty, or a folder whose manifest (`MANIFEST`)
  lists what we wrote there before. A folder without a manifest is never ours, even one that
  looks like a report of an earlier version (which wrote none): without the hashes nobody can
  tell a file we wrote from one the user edited since, so it is refused rather than guessed.
- `publish(tmp, out)`: moves the files of a finished folder `tmp` into `out` under the same
  rule. Only files the old manifest lists are replaced or removed; anything else in `out` (a
  user's file or folder) is left as it is. A file of ours that changed since we wrote it (its
  hash differs from the manifest's) is never overwritten: the run is refused, naming it,
  before anything is moved. A file we replace keeps its mode (a read-only file of ours stays
  read-only; the content hash, not the mode, says whether the user changed it).
- `move_in(tmp, out, names)`: the same moves without a manifest (a folder of figures).
"""

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from qlaci_cost.core.atomic import PathLike, atomic_write, move_keeping_mode, umask_mode
from qlaci_cost.errors import InputError

__all__ = [
    "MANIFEST",
    "FolderError",
    "check_folder",
    "check_out_folder",
    "check_out_path",
    "file_hash",
    "move_in",
    "publish",
    "read_manifest",
    "read_manifest_entry",
]

#: The manifest file name inside a folder we wrote.
MANIFEST = ".qlaci-cost-report.json"
_KIND = "qlaci-cost report manifest"


class FolderError(InputError):
    """An output folder or file we must not (or cannot) write: one line, naming the path."""


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


def check_out_path(out: PathLike, option: str = "--out") -> Path:
    """`out` as a `Path`, or `FolderError` when the text cannot name an output folder: empty
    or blank (`Path('')` would silently be the current folder), `-` (standard output, which a
    folder of files cannot be; `./-` names a folder called '-'), or a symlink whose target
    does not exist (nothing could be moved there)."""
    text = os.fspath(out)
    if not str(text).strip():
        raise FolderError(
            f"{option} {text!r} is not allowed: give a folder path ('.' for the current folder)"
        )
    if text == "-":
        raise FolderError(
            f"{option} '-' is not allowed: a folder of files cannot be written to standard "
            "output; give a folder path (./- for a folder named '-')"
        )
    path = Path(text)
    if path.is_symlink() and not path.exists():
        raise FolderError(
            f"{option} {text!r} is a symlink to {os.readlink(path)!r}, which does not exist: "
            "nothing was written; create that folder or give another path"
        )
    return path


def check_folder(
    out: PathLike, option: str = "--out", names: Iterable[str] = ()
) -> "dict[str, list[str]]":
    """Raise `FolderError` unless we may write into `out` (and write the files `names` there,
    when given); return the old manifest ({} when `out` is new or empty).

    Rules: `out` must name a folder (`check_out_path`); a missing or empty folder is ours to
    fill; a non-empty folder must hold our manifest (`MANIFEST`); every file that manifest
    lists and that still exists must be unchanged (same SHA-256), so no edit a user made to
    one of our files is overwritten; none of `names` may be a file the manifest does not list
    (a user's file of the same name) or sit below such a file. Called with the names a run
    will write before the run, so a refusal comes before any work.
    """
    out = check_out_path(out, option)
    if out.exists() and not out.is_dir():
        raise FolderError(f"{option} {str(out)!r} is a file: the report needs a folder")
    if not out.exists() or not any(out.iterdir()):
        return {}
    manifest = read_manifest(out)
    if manifest is None:
        raise FolderError(
            f"{option} {str(out)!r} is not empty and holds no qlaci-cost report (no {MANIFEST})"
            f"{_EARLIER if _earlier_report(out) else ''}: nothing was written; choose a new or "
            "empty folder"
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
    _check_names(out, list(names), manifest, option)
    return manifest


def _check_names(out: Path, names: list[str], old: "dict[str, list[str]]", option: str) -> None:
    """Refuse when a file of `names` would replace a file the manifest `old` does not list (a
    user's file of the same name) or needs a folder where a file is."""
    clash = [n for n in names if n not in old and (out / n).exists()]
    if clash:
        raise FolderError(
            f"{option} {str(out)!r}: {clash[0]!r} exists and was not written by qlaci-cost: "
            "nothing was written; move it away and run again"
        )
    blocked = [n for n in names if any(_is_file(out / p) for p in _parents(n))]
    if blocked:
        raise FolderError(
            f"{option} {str(out)!r}: a file blocks the folder of {blocked[0]!r}: nothing was "
            "written; move it away and run again"
        )


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def check_out_folder(out: PathLike, names: Iterable[str], option: str = "--out") -> Path:
    """Before any work: `out` may receive the files `names` (`check_folder`: a folder path,
    new, empty or ours, no file of ours edited, no user's file of one of our names), its
    parent exists and both are writable. Returns `out` as a Path; raises `FolderError`."""
    check_folder(out, option, names=names)
    out = Path(out)
    parent = out.resolve().parent
    if not parent.is_dir():
        raise FolderError(
            f"{option} {str(out)!r}: the parent folder {str(parent)!r} does not exist"
        )
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise FolderError(f"{option} {str(out)!r} is not writable")
    return out


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
    tmp = Path(tmp)
    names = [n for n in _files(tmp) if n != MANIFEST]
    old = check_folder(out, option, names)
    out = Path(out)
    new = {n: file_hash(tmp / n) for n in names}
    atomic_write(tmp / MANIFEST, _manifest_text(new, extra))
    if not out.exists():
        move_in(tmp, out, names)
        return names
    # Record the files about to move as ours first: a crash halfway leaves a manifest that
    # accepts their old or their new bytes, so a rerun goes on.
    pending = {n: sorted(set(old.get(n, [])) | {new[n]}) for n in names}
    atomic_write(out / MANIFEST, _manifest_text({**old, **pending}, extra))
    _move_files(tmp, out, names)
    for name in sorted(set(old) - set(new)):
        path = out / name
        if path.is_file() and not path.is_symlink():
            path.unlink()
        _prune(out, path.parent)
    move_keeping_mode(tmp / MANIFEST, out / MANIFEST)
    shutil.rmtree(tmp, ignore_errors=True)
    return names


def move_in(tmp: PathLike, out: PathLike, names: Iterable[str]) -> None:
    """Move the files `names` (relative paths) of the finished folder `tmp` into `out` and
    remove `tmp`. A new `out` is `tmp` renamed (one atomic step; it gets the mode a new folder
    gets from the umask, not mkdtemp's private one); otherwise each file is moved in with
    `move_keeping_mode` (atomic per file; a file it replaces keeps its mode)."""
    tmp, out = Path(tmp), Path(out)
    if not out.exists():
        _open_mode(tmp)
        os.replace(tmp, out)
        return
    _move_files(tmp, out, names)
    shutil.rmtree(tmp, ignore_errors=True)


def _move_files(tmp: Path, out: Path, names: Iterable[str]) -> None:
    for name in names:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        move_keeping_mode(tmp / name, out / name)


def _parents(name: str) -> Iterable[str]:
    parts = Path(name).parts
    return [str(Path(*parts[:i])) for i in range(1, len(parts))]


def _is_file(path: Path) -> bool:
    return path.exists() and not path.is_dir()


def _open_mode(folder: Path) -> None:
    """mkdtemp makes folders private; a folder we publish gets the umask's mode."""
    if folder.is_dir():
        os.chmod(folder, umask_mode(0o777))


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


_EARLIER = (
    "; its index.md looks like a report of an earlier version, which wrote no manifest, so "
    "nobody can tell its files from your edits of them"
)


def _earlier_report(out: Path) -> bool:
    """`out/index.md` starts with the report's title (a report written before the manifest)."""
    try:
        with open(out / "index.md", encoding="utf-8") as f:
            return f.readline().startswith("# qlaci-cost report")
    except (OSError, UnicodeDecodeError):
        return False
