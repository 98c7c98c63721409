"""The default test suite on every supported Python found on this machine: `nox`.

One session per interpreter, `tests-3.11`, `tests-3.12`, `tests-3.13` (tag `tests`), each in
its own virtual environment under `.nox/` with `.[test]` installed, running
`python -m pytest` (the default selection of pyproject.toml: not slow, not browser). Arguments
after `--` go to pytest instead of `-q`: `nox -s tests-3.13 -- -q -x tests/core`.

An interpreter is found as `pythonX.Y` on PATH (one that runs: a pyenv shim of a version that
is not active does not), else as pyenv's newest `X.Y.*` (`$PYENV_ROOT`, default ~/.pyenv).
Versions not found are listed and skipped; no interpreter is ever downloaded.
"""

import os
import shutil
import subprocess
from pathlib import Path

import nox

#: The versions `requires-python` admits, each tested when found.
VERSIONS = ("3.11", "3.12", "3.13")

nox.options.download_python = "never"
nox.options.error_on_missing_interpreters = False


def _runs(python: str, version: str) -> bool:
    """`python` starts and is `version`."""
    check = "import sys; print('%d.%d' % sys.version_info[:2])"
    try:
        out = subprocess.run([python, "-c", check], capture_output=True, text=True, timeout=60)
    except OSError:
        return False
    return out.returncode == 0 and out.stdout.strip() == version


def _patch_level(path: Path) -> tuple[int, ...]:
    parts = path.name.split(".")
    return tuple(int(p) if p.isdigit() else -1 for p in parts)


def interpreter(version: str) -> str | None:
    """The path of a working Python `version` ("3.12"), or None."""
    on_path = shutil.which(f"python{version}")
    if on_path and _runs(on_path, version):
        return on_path
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = sorted(root.glob(f"{version}.*"), key=_patch_level, reverse=True)
    for folder in candidates:
        python = folder / "bin" / "python"
        if _patch_level(folder)[-1] >= 0 and _runs(str(python), version):
            return str(python)
    return None


FOUND = {v: path for v in VERSIONS if (path := interpreter(v))}
MISSING = [v for v in VERSIONS if v not in FOUND]


def _tests(session: nox.Session) -> None:
    if MISSING:
        session.log(f"Python {', '.join(MISSING)} not found on this machine: not tested")
    session.install(".[test]")
    session.env["QLACI_COST_CACHE_DIR"] = str(Path(session.create_tmp()) / "cache")
    session.run("python", "-m", "pytest", *(session.posargs or ["-q"]))


for _version, _path in FOUND.items():
    nox.session(python=_path, name=f"tests-{_version}", tags=["tests"])(_tests)
