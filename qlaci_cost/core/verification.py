"""What every family's verification yields: `CheckResult`, reproducible check data, and
`run_family_checks`, the checks of every registered family (what `qlaci-cost verify` runs).
"""

from collections.abc import Iterable, Iterator, Sequence
from typing import Optional

import numpy as np
from attrs import frozen

from qlaci_cost.core.family import SELECTORS, families, family_models

__all__ = ["CheckResult", "failed", "run_family_checks", "seeded_data"]


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
    """
    models = None if models is None else list(models)
    sizes, checks = list(sizes), tuple(checks)
    for fam in families(family_names):
        mine = family_models(fam, models)
        if mine:
            yield from fam.checks(sizes, mine, checks, bits=bits, seed=seed)


def failed(results: Iterable[CheckResult]) -> list[CheckResult]:
    return [r for r in results if not r.ok]
