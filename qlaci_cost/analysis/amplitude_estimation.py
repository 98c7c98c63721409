"""Amplitude estimation of a Pauli expectation value: grid size, median repetitions, calls.

Brassard, Hoyer, Mosca, Tapp, [Quantum Amplitude Amplification and
Estimation](https://arxiv.org/abs/quant-ph/0005055) (2000), Theorem 12. Every number is exact
(ints, or sympy expressions for a symbolic precision).
"""

import math
from fractions import Fraction
from typing import Any, Union

import sympy
from attrs import frozen

from qlaci_cost.analysis.precision import DEFAULT_DELTA, confidence_value, unit_interval
from qlaci_cost.errors import InputError
from qlaci_cost.symbolics.exact import Number, is_symbolic_expr
from qlaci_cost.symbolics.rounding import ExactCeiling, exact_ceiling

__all__ = [
    "AE_SUCCESS",
    "REPETITION_BOUNDS",
    "AmplitudeEstimationCost",
    "ae_calls",
    "median_repetitions",
]

REPETITION_BOUNDS = ("binomial", "hoeffding")

#: Success probability of one run of amplitude estimation (BHMT Theorem 12, k = 1).
AE_SUCCESS = 8 / sympy.pi**2


# ----------------------------------------------------------------------------------------------
# Amplitude estimation


def _binomial_repetitions(delta: sympy.Expr) -> int:
    """Smallest odd k with P(Binomial(k, 8/pi^2) <= (k-1)/2) <= delta, in exact rationals.

    The success probability is replaced by a rational lower bound p_lo <= 8/pi^2; the tail
    decreases in p, so the returned k is valid for every per-run success probability >= 8/pi^2.
    """
    scale = 10**40
    p_lo = Fraction(int(sympy.floor(AE_SUCCESS * scale)), scale)
    target = Fraction(int(delta.p), int(delta.q))
    k = 1
    while True:
        tail = sum(
            math.comb(k, s) * p_lo**s * (1 - p_lo) ** (k - s) for s in range((k - 1) // 2 + 1)
        )
        if tail <= target:
            return k
        k += 2


def median_repetitions(delta: Number = DEFAULT_DELTA, bound: str = "binomial") -> int:
    """Odd number k of amplitude-estimation runs whose median is within eps w.p. >= 1 - delta.

    One run is within eps with probability p >= 8/pi^2 (BHMT Theorem 12). With odd k the median
    is outside [a - eps, a + eps] only if at most (k-1)/2 runs succeed. Bounds on that tail:

    - `binomial` (default): the smallest odd k with P(Bin(k, 8/pi^2) <= (k-1)/2) <= delta,
      computed exactly (a larger p only lowers the tail). delta = 0.05 -> 7.
    - `hoeffding`: P(S <= k/2) <= exp(-2 k (p - 1/2)^2), so
      k = ceil(ln(1/delta) / (2 (8/pi^2 - 1/2)^2)) rounded up to odd; delta = 0.05 -> 17.

    Both give k = 1 when delta >= 1 - 8/pi^2 (one run already suffices).
    """
    d = confidence_value(delta)
    if bound not in REPETITION_BOUNDS:
        allowed = ", ".join(REPETITION_BOUNDS)
        raise InputError(f"repetition bound {bound!r} is not allowed: use one of {allowed}")
    if d >= 1 - AE_SUCCESS:
        return 1
    if bound == "binomial":
        return _binomial_repetitions(d)
    k = int(exact_ceiling(sympy.log(1 / d) / (2 * (AE_SUCCESS - sympy.Rational(1, 2)) ** 2)))
    return k if k % 2 else k + 1


def _ae_grid_size(eps_a: sympy.Expr, power_of_two: bool) -> Union[int, sympy.Expr]:
    # Worst case a = 1/2: pi/M + pi^2/M^2 <= eps_a  <=>  eps_a M^2 - pi M - pi^2 >= 0
    # <=> M >= pi (1 + sqrt(1 + 4 eps_a)) / (2 eps_a) (the positive root, irrational).
    root = sympy.pi * (1 + sympy.sqrt(1 + 4 * eps_a)) / (2 * eps_a)
    if not power_of_two:
        return exact_ceiling(root)
    # 2^ceil(log2 x) is the least power of two >= x, and equals that of ceil(x) for x >= 1.
    if is_symbolic_expr(root):
        return 2 ** ExactCeiling(sympy.log(root, 2))
    m = int(exact_ceiling(root))
    return 1 << (m - 1).bit_length()


@frozen
class AmplitudeEstimationCost:
    """Cost of estimating one Pauli expectation to additive eps by amplitude estimation.

    Brassard, Hoyer, Mosca, Tapp, [Quantum Amplitude Amplification and
    Estimation](https://arxiv.org/abs/quant-ph/0005055) (2000), Theorem 12: Est_Amp(A, chi, M)
    returns a~ with |a~ - a| <= 2 pi sqrt(a(1-a))/M + pi^2/M^2 with probability >= 8/pi^2.

    Mapping: the observable's -1 outcome is the "good" subspace, a = (1 - <P>)/2, so
    <P> = 1 - 2a and an additive eps on <P> needs eps_a = eps/2 on a.

    What is counted: one run applies A once to prepare A|0>, then Lambda_M(Q) with
    Q = -A S_0 A^dagger S_chi for powers j = 0..M-1, i.e. M - 1 Grover iterates in total
    (controlled-Q^(2^i) over the bits of j when M = 2^m). Each iterate calls A once and
    A^dagger once (only the reflections S_0, S_chi need the control), so one run makes
    2(M - 1) + 1 = 2M - 1 calls to A or A^dagger. The inverse QFT on the M-point grid
    and the reflections are not in this count.

    Args:
        eps: Target additive error on <P>.
        delta: Allowed failure probability of the median of the runs.
        grid_size: M, the smallest M (or power of two) meeting the Theorem 12 bound for every a.
        repetitions: k, the odd number of runs whose median is returned.
        repetition_bound: How k was derived (`binomial` or `hoeffding`, see
            `median_repetitions`).
    """

    eps: sympy.Expr
    delta: sympy.Expr
    grid_size: Any
    repetitions: int
    repetition_bound: str = "binomial"

    @property
    def amplitude_eps(self) -> sympy.Expr:
        return self.eps / 2

    @property
    def success_probability(self) -> sympy.Expr:
        return AE_SUCCESS

    @property
    def grover_iterates(self) -> Any:
        return self.grid_size - 1

    @property
    def calls_per_repetition(self) -> Any:
        return 2 * self.grid_size - 1

    @property
    def circuit_calls(self) -> Any:
        """Total calls to A or A^dagger: repetitions x (2M - 1)."""
        return self.repetitions * self.calls_per_repetition

    def describe(self) -> str:
        return (
            f"amplitude estimation (Brassard-Hoyer-Mosca-Tapp Thm 12): M = {self.grid_size} "
            f"(error <= pi/M + pi^2/M^2 <= eps/2 on a = (1 - <P>)/2, success >= 8/pi^2), "
            f"{self.repetitions} runs for the median at confidence 1 - {self.delta} "
            f"({self.repetition_bound} bound), 2M - 1 = {self.calls_per_repetition} calls to "
            f"A or A^dagger per run, {self.circuit_calls} in total"
        )


def ae_calls(
    eps: Number,
    delta: Number = DEFAULT_DELTA,
    power_of_two: bool = False,
    repetition_bound: str = "binomial",
) -> AmplitudeEstimationCost:
    """Amplitude-estimation cost for additive eps on a Pauli expectation at confidence 1-delta.

    M = ceil(pi (1 + sqrt(1 + 2 eps)) / eps): the smallest M with pi/M + pi^2/M^2 <= eps/2,
    the Theorem 12 bound at its worst case a = 1/2 (2 pi sqrt(a(1-a)) <= pi). With
    `power_of_two`, M is rounded up to a power of two (an m-qubit phase register).
    Calls to A or A^dagger: repetitions x (2M - 1) ~ 4 pi k / eps.
    """
    e = unit_interval(eps, "eps", "precision eps")
    d = confidence_value(delta)
    k = median_repetitions(d, repetition_bound)
    return AmplitudeEstimationCost(e, d, _ae_grid_size(e / 2, power_of_two), k, repetition_bound)
