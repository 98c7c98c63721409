"""`qlaci-cost report` from the disk cache: the same command again publishes the stored report.

A report is a function of its command's arguments (grid, models, every scenario option,
conventions, figure formats) and of the code, as a table is (`cli.table_cache`), and the same
inputs give byte-identical files. `run_cached(args, run)` keys the command as the table cache
does (`table_cache.command_key`: the command's name and every argument but `--out` and
`--quiet`), plus the installed Matplotlib (the figures' bytes depend on it); `core.cache` adds
the package version and source fingerprint and keeps its checksums (a corrupt, stale or
unreadable entry a miss, an unwritable directory skipped).

- A miss runs the report and then stores every file its manifest lists (bytes, checked
  against the manifest's SHA-256 as they are read), index.html aside, with the manifest's
  scenario and provenance.
- A hit checks `--out` as the report does (`files.check_out_folder`, the same file names),
  writes the stored files into a temporary folder beside it, puts this run's provenance
  (`output.provenance`: commit, command, date) in place of the stored one in index.md,
  renders index.html from that index.md (`output.html.render_html`, as the report does) and
  publishes the folder under the manifest rule (`files.publish`). The files are those the
  computation writes, byte for byte (provenance lines aside, as between any two runs), and
  neither Qualtran, Cirq nor sympy is imported nor a figure drawn.

Not cached: what the table cache does not key (a QRAM model or family registered at run time
from outside the package), a report whose files changed between its writing and the reading.
`QLACI_COST_NO_CACHE=1` computes every report.
"""

import argparse
import base64
import hashlib
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Optional

from qlaci_cost.cli.table_cache import command_key
from qlaci_cost.core import cache

__all__ = ["KIND", "run_cached"]

KIND = "report"
#: Files derived from others on a hit rather than stored (index.html: from index.md).
_DERIVED = ("index.html",)


def _key(args: argparse.Namespace) -> Optional[dict]:
    key = command_key(args)
    if key is None:
        return None
    return {**key, "matplotlib": cache.installed("matplotlib")}


def _planned(args: argparse.Namespace) -> list[str]:
    """Every file name the report of `args` may write (`output.report.planned_files`)."""
    from qlaci_cost.cli.args import formats_from_args, models_from_args
    from qlaci_cost.output.report import planned_files

    return planned_files(formats_from_args(args), models_from_args(args))


def _states_once(index: str, origin: Any) -> bool:
    """Whether index.md states the provenance `origin` exactly once (the lines a hit
    replaces)."""
    return index.count("\n".join(origin.lines())) == 1


def _entry(out: Path, planned: list[str]) -> Optional[dict]:
    """The report written in `out` as a cache entry (None: its files are not what its
    manifest lists, or its index does not state its provenance once)."""
    from qlaci_cost.output.files import MANIFEST
    from qlaci_cost.output.provenance import Provenance

    try:
        doc = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        files = {}
        for name, digest in doc["files"].items():
            if name in _DERIVED:
                continue
            data = (out / name).read_bytes()
            if hashlib.sha256(data).hexdigest() not in (
                [digest] if isinstance(digest, str) else digest
            ):
                return None
            files[name] = base64.b64encode(data).decode("ascii")
        origin = Provenance(**doc["provenance"])
        index = base64.b64decode(files["index.md"]).decode("utf-8")
    except (OSError, KeyError, TypeError, ValueError):
        return None
    if not _states_once(index, origin):
        return None
    return {
        "files": files,
        "planned": planned,
        "scenario": doc.get("scenario"),
        "provenance": origin.to_dict(),
    }


def _decoded(entry: Mapping[str, Any]) -> Optional[tuple[dict, list, Any, Any]]:
    """(file name -> bytes, planned names, scenario, stored provenance) of an entry, or None."""
    from qlaci_cost.output.provenance import Provenance

    try:
        files = {
            str(n): base64.b64decode(text, validate=True) for n, text in entry["files"].items()
        }
        planned = [str(n) for n in entry["planned"]]
        origin = Provenance(**entry["provenance"])
        index = files["index.md"].decode("utf-8")
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if not _states_once(index, origin):
        return None
    return files, planned, entry["scenario"], origin


def _publish(args: argparse.Namespace, files: dict, planned: list, scenario: Any, origin) -> None:
    """Write the stored report into `--out` with this run's provenance in place of the stored
    one (which `_decoded` found once in index.md)."""
    from qlaci_cost.output.files import check_out_folder, publish
    from qlaci_cost.output.html import render_html
    from qlaci_cost.output.provenance import provenance

    index = files["index.md"].decode("utf-8")
    old = "\n".join(origin.lines())
    out = check_out_folder(args.out, planned)
    now = provenance(getattr(args, "argv", None))
    index = index.replace(old, "\n".join(now.lines()))
    files = {**files, "index.md": index.encode("utf-8")}
    files["index.html"] = render_html(index).encode("utf-8")
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.resolve().parent))
    try:
        for name, data in files.items():
            path = tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        publish(tmp, out, extra={"scenario": scenario, "provenance": now.to_dict()})
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _replay(entry: Any, args: argparse.Namespace) -> bool:
    """Publish a stored report (False: an entry that does not decode)."""
    from qlaci_cost.cli.args import CLIError
    from qlaci_cost.output.files import FolderError

    start = time.perf_counter()
    decoded = _decoded(entry) if isinstance(entry, dict) else None
    if decoded is None:
        return False
    progress = getattr(args, "progress", None)
    if progress is not None:
        progress.silence()  # nothing to draw: no stage runs
    try:
        _publish(args, *decoded)
    except FolderError as err:
        raise CLIError(str(err)) from None
    if not args.quiet:
        print(
            "report: the same command ran before on this code; every file from the disk cache "
            "(QLACI_COST_NO_CACHE=1 computes it again)",
            file=sys.stderr,
        )
    seconds = time.perf_counter() - start
    print(f"report written to {args.out}/index.md ({seconds:.1f} s, from the disk cache)")
    return True


def run_cached(args: argparse.Namespace, run: Callable[[argparse.Namespace], int]) -> int:
    """`run(args)`, or the report the same command wrote before published again."""
    key = _key(args) if cache.enabled() else None
    if key is not None:
        entry = cache.load(KIND, key)
        if entry is not None and _replay(entry, args):
            return 0
    status = run(args)
    if key is not None and status == 0:
        entry = _entry(Path(args.out), _planned(args))
        if entry is not None:
            cache.store(KIND, key, entry)
    return status
