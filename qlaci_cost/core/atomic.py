"""Atomic file writes: a reader (or a crash) never sees a partial file.

- `atomic_write(path, data)`: the data goes to a temporary file in the same folder, then
  `os.replace` puts it in place. A new file gets the mode the umask gives (like
  `open(path, "w")`); an existing file keeps its mode.
- `move_keeping_mode(src, dst)`: `os.replace`, keeping the mode of the file it replaces.
- `umask_mode(mode)`: `mode` with the process's umask applied, the mode `open` or `mkdir` gives.

The one copy of each: the disk cache, single output files (`--out FILE`) and the report and
figure folders (`output.files`) all write through these.
"""

import os
import tempfile
from typing import Union

__all__ = ["PathLike", "atomic_write", "move_keeping_mode", "umask_mode"]

PathLike = Union[str, "os.PathLike[str]"]


def umask_mode(mode: int) -> int:
    """`mode & ~umask`: what a new file (0o666) or folder (0o777) gets from `open`/`mkdir`."""
    mask = os.umask(0)
    os.umask(mask)
    return mode & ~mask


def atomic_write(path: PathLike, data: Union[str, bytes]) -> None:
    """Write `data` (text as UTF-8) to `path` atomically: a temporary file beside it, then
    `os.replace`. A new file gets `0o666 & ~umask`; an existing one keeps its mode. On any
    failure the temporary file is removed and `path` is untouched."""
    path = os.fspath(path)
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    parent = os.path.dirname(os.path.abspath(path))
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = umask_mode(0o666)
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


def move_keeping_mode(src: PathLike, dst: PathLike) -> None:
    """`os.replace(src, dst)`; when `dst` exists its mode is kept (a read-only file stays
    read-only), else `src` keeps its own."""
    try:
        mode = os.stat(dst).st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    if mode is not None:
        os.chmod(src, mode)
    os.replace(src, dst)
