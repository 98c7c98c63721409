"""What every family's verification yields: `CheckResult`, reproducible check data, and
`run_family_checks`, the checks of every registered family (what `qlaci-cost verify` runs).

With `jobs` > 1 the checks run in that many worker processes (forked, so a family registered
at run time is known to them), one unit per family and size N, or per family, model and size
for a family whose `CHECKS_PER_MODEL` is True; the results come back unit by unit in a fixed
order (size by size, family by family, model by model), the same checks as one process runs.
"""

import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Optional

import numpy as np
from attrs import frozen

from qlaci_cost.core.family import SELECTORS, families, family, family_models

#: Environment variable: the default number of `verify` worker processes.
JOBS_ENV = "QLACI_COST_JOBS"

__all__ = [
    "JOBS_ENV",
    "CheckResult",
    "can_fork",
    "default_jobs",
    "failed",
    "run_family_checks",
    "seeded_data",
]


@frozen
class CheckResult:
    """One check's outcome; `detail` names model, N, address and register on failure."""

    check: str
    model: str
    n_cells: int
    ok: bool
    detail: str = ""
    skipped: bool = False

    def line(self) -> str:
        status = "SKIP" if self.skipped else ("PASS" if self.ok else "FAIL")
        text = f"{status} {self.check:<13} {self.model:<24} N={self.n_cells:<5}"
        return f"{text} {self.detail}".rstrip()


def seeded_data(n_cells: int, bits: int, seed: int = 2024) -> tuple[int, ...]:
    """Reproducible random words for a check."""
    rng = np.random.default_rng([seed, n_cells, bits])
    return tuple(int(x) for x in rng.integers(0, 2**bits, size=n_cells))


def run_family_checks(
    models: Optional[Iterable[str]] = None,
    sizes: Iterable[int] = (2, 4, 8),
    bits: int = 2,
    checks: Iterable[str] = SELECTORS,
    seed: int = 2024,
    family_names: Optional[Sequence[str]] = None,
    jobs: int = 1,
) -> Iterator[CheckResult]:
    """The checks of every registered family (`core.family.families`), family by family.

    Args:
        models: Model names; each family checks those of its own `models()` (all of them when
            None).
        sizes: Sizes N, as each family reads them (QRAM cells, sequence length).
        bits: Bits per word of the checked data.
        checks: Names from the families' `CHECK_KINDS` or the generic `SELECTORS`.
        seed: Seed of the random data.
        family_names: Registered family names to run (default all).
        jobs: Worker processes (1: this process, in each family's own order).
    """
    models = None if models is None else list(models)
    sizes, checks = list(sizes), tuple(checks)
    runs = [(fam, mine) for fam in families(family_names) if (mine := family_models(fam, models))]
    units = [(fam.NAME, part, n) for n in sizes for fam, mine in runs for part in _parts(fam, mine)]
    if jobs <= 1 or len(units) <= 1 or not can_fork():
        for fam, mine in runs:
            yield from fam.checks(sizes, mine, checks, bits=bits, seed=seed)
        return
    yield from _in_workers(units, checks, bits, seed, jobs)


def _parts(fam, mine: list) -> list:
    """The model lists of `fam`'s units at one size: each model alone when the family says its
    checks are per model (`CHECKS_PER_MODEL`), else all of them together (a whole family)."""
    return [[m] for m in mine] if getattr(fam, "CHECKS_PER_MODEL", False) else [mine]


def can_fork() -> bool:
    """True where worker processes can be forked (POSIX): `jobs` > 1 runs in one process
    elsewhere."""
    return "fork" in multiprocessing.get_all_start_methods()


def default_jobs() -> int:
    """The processes `verify` uses by default: `$QLACI_COST_JOBS` when it is a whole number
    >= 1, else one per core this process may run on."""
    given = os.environ.get(JOBS_ENV, "").strip()
    if given.isdigit() and int(given) >= 1:
        return int(given)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _in_workers(units: list, checks: tuple, bits: int, seed: int, jobs: int):
    """The units' results in their order (`run_family_checks`). They start size by size, the
    small sizes first, so lines come early; at each size a unit holding a whole family (one
    not split per model, `_parts`) starts before the units of one model each: it is the
    longest, and started last it ran alone at the end (QLAM at N = 8: its last 25 s of an
    86 s run, the other worker idle)."""
    context = multiprocessing.get_context("fork")
    whole = {name for name, *_ in units if not getattr(family(name), "CHECKS_PER_MODEL", False)}
    start = sorted(range(len(units)), key=lambda i: (units[i][2], units[i][0] not in whole))
    with ProcessPoolExecutor(max_workers=min(jobs, len(units)), mp_context=context) as pool:
        futures = {i: pool.submit(_unit, *units[i], checks, bits, seed) for i in start}
        try:
            for i in range(len(units)):
                yield from futures[i].result()
        finally:
            for future in futures.values():
                future.cancel()


def _unit(name: str, mine: list, n: int, checks: tuple, bits: int, seed: int) -> list:
    (fam,) = families([name])
    return list(fam.checks([n], mine, checks, bits=bits, seed=seed))


def failed(results: Iterable[CheckResult]) -> list[CheckResult]:
    return [r for r in results if not r.ok]
