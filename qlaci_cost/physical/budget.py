"""The error budget of a physical estimate: logical data errors, distillation, rotation synthesis.

Default split (as Microsoft's resource estimator, Beverland et al. arXiv:2211.07629 Sec. IV):
a third each to logical (data) errors, magic-state distillation and rotation synthesis when the
program has rotations; half each to logical errors and distillation when it has none; all to
logical errors when it needs no magic state at all. Rotation synthesis gets its share as a
precision: eps_rot = share / rotations per rotation, so the T gates per rotation follow from
the budget through a rotation-synthesis model (the conventions' for gidney-fowler, the
estimator's for microsoft-like, Beverland et al.'s for beverland). Every estimate reports the three
expected failure counts; `expected_failures` is their sum (can exceed 1) and
`failure_probability` = min(1, expected_failures), the union bound (never above 1). See
docs/derivations/physical.md#error-budget.
"""

import math
from fractions import Fraction
from typing import Union

from qlaci_cost.core.conventions import Conventions
from qlaci_cost.physical import arithmetic

__all__ = ["BudgetSplit", "rotation_synthesis", "split_budget", "union_bound"]

BUDGET_RULE = (
    "error budget split like Microsoft's estimator: 1/3 logical data errors, 1/3 distillation, "
    "1/3 rotation synthesis (eps_rot = 1/3 budget / rotations per rotation); without rotations "
    "1/2 logical, 1/2 distillation; without magic states all logical. failure_probability = "
    "min(1, expected_failures) (union bound), expected_failures = logical + distillation + "
    "rotation errors (first order)"
)


class BudgetSplit(tuple):
    """(logical, distillation, rotations) shares of the budget as exact Fractions."""

    @property
    def logical(self) -> Fraction:
        return self[0]

    @property
    def distillation(self) -> Fraction:
        return self[1]

    @property
    def rotations(self) -> Fraction:
        return self[2]


def split_budget(budget: Fraction, rotations: int, magic_states: bool = True) -> BudgetSplit:
    """The budget's three shares (exact) for a program with `rotations` rotations."""
    budget = Fraction(budget)
    if rotations:
        third = budget / 3
        return BudgetSplit((third, third, third))
    if magic_states:
        return BudgetSplit((budget / 2, budget / 2, Fraction(0)))
    return BudgetSplit((budget, Fraction(0), Fraction(0)))


def rotation_synthesis(
    conventions: Conventions, share: Fraction, rotations: int
) -> tuple[Union[float, Fraction, None], int]:
    """(eps_rot, T per rotation) with eps_rot = share / rotations, by the conventions' model.

    eps_rot is a float where it is a normal one; below 1e-300 (more than ~10^297 rotations) it
    stays an exact `Fraction` and log2(1/eps_rot) is taken from the logarithms of the exact
    values, so any number of rotations has an answer.
    """
    if not rotations:
        return None, 0
    model = conventions.synthesis
    ratio = Fraction(share) / rotations
    if ratio > arithmetic.TINY:
        eps = float(ratio)
        return eps, int(model.t_per_rotation(eps))
    if model.slope == 0:
        return ratio, max(1, math.ceil(model.offset))
    bits = arithmetic.log2_ratio(rotations, Fraction(share))
    return ratio, max(1, math.ceil(model.slope * bits + model.offset))


def union_bound(expected: float) -> float:
    """Failure probability from the expected number of failures: min(1, expected)."""
    return min(1.0, expected)
