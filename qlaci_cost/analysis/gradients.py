"""Gradient estimators as priced protocols: parameter shift, finite differences and SPSA.

A gradient of a measured circuit is paid in circuit *evaluations*: each evaluation estimates
the circuit's outputs (expectation values) at some parameter values, to a precision, with the
shots (or amplitude-estimation calls) that precision needs (`analysis.shots`). This module
counts the evaluations; the family that owns the circuit prices one evaluation (a QLACI head,
a QLAM readout protocol) and multiplies. Derivations: docs/derivations/training.md.

How a parameter enters a circuit is read from the bloqs themselves
(`analysis.parameter_spectra`, re-exported here): its occurrences in the leaf gates and their
frequencies. A parameter shared by N steps has N occurrences.

- `parameter-shift` (Mitarai et al. 2018; Schuld et al. 2019; Wierichs et al. 2022): the
  derivative of each occurrence by its shift rule (2 evaluations for a gate with one
  frequency, 2 R for a gate with R frequencies), summed by the chain rule; or the parameter
  shifted as a whole by the general rule for its whole spectrum (2 R_total evaluations),
  whichever is fewer. Unbiased; each evaluation at the readout's eps bounds every component's
  error by eps x Omega (Omega = the largest frequency, which bounds |df/dtheta| by
  Bernstein's inequality).
- `finite-difference`: central differences, 2 evaluations per parameter, step
  h = sqrt(3 eps) / Omega: bias <= Omega^3 h^2 / 6 = eps Omega / 2, and each evaluation at
  `finite_difference_eps(eps)` <= sqrt(3 eps) eps / 2 keeps the statistical error <= eps Omega
  / 2: the same bound eps x Omega, at (4 / 3 eps) times the shots of an evaluation at eps.
- `spsa` (Spall 1992): 2 evaluations per step for every parameter at once (a random +-1
  perturbation); biased (O(c^2) in the perturbation size c) and noisier; how many steps it
  needs is an assumption (`DEFAULT_SPSA_FACTOR` steps per step of the other estimators).

Every count is exact (ints, Fractions, or sympy expressions in a symbolic size).
"""

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

import sympy
from attrs import frozen

from qlaci_cost.analysis.parameter_spectra import (
    KINDS,
    LEAF_GENERATORS,
    ParameterSpectrum,
    leaf_frequencies,
    parameter_spectra,
)
from qlaci_cost.errors import InputError

__all__ = [
    "DEFAULT_ESTIMATOR",
    "DEFAULT_SPSA_FACTOR",
    "ESTIMATORS",
    "KINDS",
    "LEAF_GENERATORS",
    "GradientCost",
    "ParameterSpectrum",
    "describe_estimator",
    "finite_difference_eps",
    "finite_difference_step",
    "gradient_cost",
    "leaf_frequencies",
    "parameter_spectra",
    "shift_rule",
    "spectra_total",
]

ESTIMATORS: tuple[str, ...] = ("parameter-shift", "finite-difference", "spsa")
DEFAULT_ESTIMATOR = "parameter-shift"
#: SPSA steps per optimizer step of the other estimators: an ASSUMPTION. Spall (1992) shows
#: that, asymptotically and under his conditions, SPSA reaches the accuracy of
#: finite-difference stochastic approximation in the same number of iterations; 1 takes that
#: result at face value (favourable to SPSA: at finite steps and with noisy evaluations it
#: usually needs more).
DEFAULT_SPSA_FACTOR = 1
# ----------------------------------------------------------------------------------------------
# Shift rules


def shift_rule(frequencies: int, base: Fraction = Fraction(1)) -> list[tuple[float, float]]:
    """(shift, coefficient) pairs of the first derivative at 0 of a trigonometric polynomial
    with frequencies among base, 2 base, ..., R base (Wierichs et al. 2022, equidistant case):
    f'(0) = sum_mu c_mu f(x_mu), x_mu = (2 mu - 1) pi / (2 R base), c_mu = (-1)^(mu - 1) base /
    (4 R sin^2((2 mu - 1) pi / (4 R))), mu = 1..2R. R = 1, base 1: f(pi/2)/2 - f(3 pi/2)/2, the
    two-term rule of Mitarai et al. and Schuld et al."""
    R = int(frequencies)
    if R < 1:
        raise InputError(f"frequencies={frequencies!r} is not allowed: an integer >= 1 is needed")
    g = float(base)
    out = []
    for mu in range(1, 2 * R + 1):
        x = (2 * mu - 1) * math.pi / (2 * R)
        out.append((x / g, (-1) ** (mu - 1) * g / (4 * R * math.sin(x / 2) ** 2)))
    return out


# ----------------------------------------------------------------------------------------------
# Estimators


def finite_difference_eps(eps: Any) -> sympy.Rational:
    """The precision of each finite-difference evaluation: sqrt(3 eps) eps / 2 rounded down to
    3 significant digits (exact rational; rounding down only tightens the bound)."""
    e = sympy.Rational(sympy.sympify(eps))
    value = sympy.sqrt(3 * e) * e / 2
    digits = 2 - int(sympy.floor(sympy.log(value, 10)))
    return sympy.Rational(int(sympy.floor(value * 10**digits)), 10**digits)


def finite_difference_step(eps: Any, omega: Any) -> float:
    """The central-difference step h = sqrt(3 eps) / Omega (bias <= eps Omega / 2)."""
    return float(sympy.sqrt(3 * sympy.sympify(eps)) / sympy.sympify(omega))


def _total(values: Iterable[Any]) -> Any:
    out = sum(values, 0)
    if isinstance(out, Fraction) and out.denominator == 1:
        return out.numerator
    if isinstance(out, sympy.Basic) and out.is_Integer:
        return int(out)
    return out


@frozen
class GradientCost:
    """The circuit evaluations of one example's gradient under an estimator.

    Attributes:
        estimator: A name of `ESTIMATORS`.
        parameters, inputs: Weights and input angles (counts).
        forward: Evaluations at the current parameters (the loss and its output weights): 1,
            or 0 for SPSA (its two perturbed evaluations give the loss).
        weight_evaluations, input_evaluations: Gradient evaluations, in units of one full
            evaluation (a shifted evaluation that needs `share` of the runs counts `share`).
        eps: The readout precision of the outputs (the target of the gradient's bound).
        eps_evaluation: The precision each evaluation is read at.
        steps_factor: Optimizer steps per step of a gradient method (SPSA's assumption; 1).
        rules: One line per parameter profile (how it is differentiated).
        bias, error: What the estimate's bias and error are, in words.
    """

    estimator: str
    parameters: Any
    inputs: Any
    forward: int
    weight_evaluations: Any
    input_evaluations: Any
    eps: Any
    eps_evaluation: Any
    steps_factor: Any
    rules: tuple
    bias: str
    error: str

    @property
    def gradient_evaluations(self) -> Any:
        return _total([self.weight_evaluations, self.input_evaluations])

    @property
    def evaluations(self) -> Any:
        """Evaluations per example: forward plus gradient."""
        return _total([self.forward, self.weight_evaluations, self.input_evaluations])


def _evaluations(spectra, kind: str, per_parameter) -> Any:
    return _total(s.count * s.share * per_parameter(s) for s in spectra if s.kind == kind)


def gradient_cost(
    estimator: str,
    spectra: Sequence[ParameterSpectrum],
    eps: Any,
    inputs: bool = True,
    spsa_factor: Any = DEFAULT_SPSA_FACTOR,
) -> GradientCost:
    """The evaluations of one example's gradient (`GradientCost`).

    Args:
        estimator: `parameter-shift`, `finite-difference` or `spsa`.
        spectra: How each parameter enters the circuit (`parameter_spectra`).
        eps: The readout's additive precision on each output (exact).
        inputs: Differentiate the input angles too (backpropagation into the layer before).
        spsa_factor: SPSA steps per step of a gradient method (an assumption, > 0).

    Raises:
        InputError: a bad estimator or factor.
    """
    if estimator not in ESTIMATORS:
        raise InputError(
            f"gradient {estimator!r} is not allowed: use one of {', '.join(ESTIMATORS)}"
        )
    factor = Fraction(spsa_factor) if not isinstance(spsa_factor, Fraction) else spsa_factor
    if factor <= 0:
        raise InputError(f"spsa_factor={spsa_factor!r} is not allowed: it must be > 0")
    spectra = [s for s in spectra if inputs or s.kind == "weight"]
    weights = _total(s.count for s in spectra if s.kind == "weight")
    n_inputs = _total(s.count for s in spectra if s.kind == "input")
    rules = tuple(s.describe() for s in spectra)
    if estimator == "parameter-shift":
        return _parameter_shift(estimator, weights, n_inputs, spectra, eps, rules)
    if estimator == "finite-difference":
        return _finite_difference(estimator, weights, n_inputs, spectra, eps, rules)
    return _spsa(estimator, weights, n_inputs, eps, factor, rules)


def _parameter_shift(estimator, weights, n_inputs, spectra, eps, rules) -> GradientCost:
    """Exact shift rules: each parameter's shift terms, each evaluation within eps."""
    return GradientCost(
        estimator,
        weights,
        n_inputs,
        1,
        _evaluations(spectra, "weight", lambda s: s.shift_terms),
        _evaluations(spectra, "input", lambda s: s.shift_terms),
        eps,
        eps,
        1,
        rules,
        "none (exact shift rules)",
        "each component within eps x Omega (each evaluation within eps)",
    )


def _finite_difference(estimator, weights, n_inputs, spectra, eps, rules) -> GradientCost:
    """Central differences: 2 evaluations per parameter, each within the tighter eps it needs."""
    return GradientCost(
        estimator,
        weights,
        n_inputs,
        1,
        _evaluations(spectra, "weight", lambda s: 2),
        _evaluations(spectra, "input", lambda s: 2),
        eps,
        finite_difference_eps(eps),
        1,
        rules,
        "central difference with h = sqrt(3 eps) / Omega: |bias| <= Omega^3 h^2 / 6 = "
        "eps Omega / 2 (Bernstein's inequality bounds |f'''| by Omega^3)",
        "each component within eps x Omega: bias eps Omega / 2 plus statistical "
        "eps_evaluation / h <= eps Omega / 2",
    )


def _spsa(estimator, weights, n_inputs, eps, factor, rules) -> GradientCost:
    """SPSA: 2 evaluations per step, `factor` x the steps of a gradient method."""
    return GradientCost(
        estimator,
        weights,
        n_inputs,
        0,
        2,
        0,
        eps,
        eps,
        factor,
        rules,
        "O(c^2) in the perturbation size c (Spall 1992, Lemma 1); it vanishes with c",
        "one random direction per step: a noisy estimate whose convergence in steps is the "
        f"assumption (x {factor} the steps of a gradient method)",
    )


def describe_estimator(cost: GradientCost) -> str:
    """One line stating the estimator's evaluations and precision, for table notes."""
    if cost.estimator == "spsa":
        return (
            f"spsa: 2 evaluations per example per step for all {cost.parameters} weights at "
            f"once (Spall 1992), each at eps = {cost.eps_evaluation}; steps x {cost.steps_factor} "
            "of a gradient method (ASSUMPTION); bias " + cost.bias
        )
    what = (
        "shift rules (Mitarai et al. 2018; Schuld et al. 2019; Wierichs et al. 2022)"
        if cost.estimator == "parameter-shift"
        else "central differences"
    )
    return (
        f"{cost.estimator}: {cost.forward} forward + {cost.weight_evaluations} (weights) + "
        f"{cost.input_evaluations} (input angles) evaluations per example by {what}, each at "
        f"eps = {sympy.sympify(cost.eps_evaluation)}; bias {cost.bias}; error: {cost.error}"
    )


def spectra_total(spectra: Sequence[ParameterSpectrum], kind: str) -> Any:
    """How many parameters of `kind` the spectra describe."""
    return _total(s.count for s in spectra if s.kind == kind)
