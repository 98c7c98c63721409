"""Gradient estimators as priced protocols: parameter shift, finite differences and SPSA.

A gradient of a measured circuit is paid in circuit *evaluations*: each evaluation estimates
the circuit's outputs (expectation values) at some parameter values, to a precision, with the
shots (or amplitude-estimation calls) that precision needs (`analysis.shots`). This module
counts the evaluations; the family that owns the circuit prices one evaluation (a QLACI head,
a QLAM readout protocol) and multiplies. Derivations: docs/derivations/training.md.

How a parameter enters a circuit is read from the bloqs themselves (`parameter_spectra`): the
circuit is built with sympy symbols for the trainable angles and flattened to leaf gates; each
leaf rotation whose angle depends on a symbol is one *occurrence*, with the frequencies of its
generator times the coefficient d(angle)/d(symbol) (a Pauli rotation exp(-i a P / 2) has the
single frequency 1 in a). A parameter shared by N steps has N occurrences.

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
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import sympy
from attrs import field, frozen

from qlaci_cost.core.errors import InputError

__all__ = [
    "DEFAULT_ESTIMATOR",
    "DEFAULT_SPSA_FACTOR",
    "ESTIMATORS",
    "KINDS",
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
#: Parameter kinds: `weight` (a circuit parameter shared by every example) or `input` (an angle
#: computed per example by the data or an earlier classical layer, whose gradient
#: backpropagation into that layer needs).
KINDS: tuple[str, ...] = ("weight", "input")


# ----------------------------------------------------------------------------------------------
# How a parameter enters the circuit


def _fraction(x: Any) -> Fraction:
    value = sympy.nsimplify(x) if isinstance(x, float) else sympy.sympify(x)
    if not value.is_Rational:
        raise ValueError(f"coefficient {x!r} is not allowed: a rational coefficient is needed")
    return Fraction(int(value.p), int(value.q))


#: Leaf gate class name -> (the attribute holding its angle, generator eigenvalues per unit
#: of that attribute). Rx, Ry, Rz(a) = exp(-i a P / 2): eigenvalues -1/2, 1/2 (one frequency,
#: 1). Other parameterized leaves (P^t gates, controlled rotations kept whole) have no entry:
#: a trainable angle in one is refused rather than priced by a guessed rule.
_PAULI_ROTATION = (Fraction(-1, 2), Fraction(1, 2))
LEAF_GENERATORS: dict[str, tuple[str, tuple[Fraction, ...]]] = {
    "Rx": ("angle", _PAULI_ROTATION),
    "Ry": ("angle", _PAULI_ROTATION),
    "Rz": ("angle", _PAULI_ROTATION),
}


def leaf_frequencies(eigenvalues: Sequence[Fraction], coefficient: Fraction) -> tuple:
    """The distinct positive frequencies |c| (l_i - l_j) of a gate whose generator has the
    given eigenvalues, its angle being c x the parameter (sorted)."""
    c = abs(Fraction(coefficient))
    return tuple(sorted({c * (a - b) for a in eigenvalues for b in eigenvalues if a > b}))


def _gcd(values: Iterable[Fraction]) -> Fraction:
    out = Fraction(0)
    for v in values:
        num = math.gcd(out.numerator * v.denominator, v.numerator * out.denominator)
        out = Fraction(num, out.denominator * v.denominator)
    return out


#: Largest number of occurrences for which the whole parameter's spectrum is enumerated.
_SUMSET_LIMIT = 256


def _is_int(x: Any) -> bool:
    return isinstance(x, int) or (isinstance(x, sympy.Basic) and x.is_Integer)


@frozen
class ParameterSpectrum:
    """How one trainable parameter (or `count` parameters alike) enters the circuit.

    Args:
        name: A label (`theta`, `token angles`, ...).
        kind: `weight` or `input` (`KINDS`).
        occurrences: (frequencies of one gate occurrence, how many such occurrences) pairs;
            a count may be a sympy symbol (N steps).
        count: How many parameters have this profile (may be symbolic).
        share: The fraction of one evaluation's runs a shifted evaluation needs (1: the whole
            circuit's outputs change; 1/N: only one query of a head's N depends on it).

    Properties: `occurrences_total`; `omega` (the largest frequency of the parameter, a bound
    on |df/dtheta| for an output in [-1, 1]); `base` (every frequency is a multiple of it);
    `chain_terms` (shift-rule evaluations, occurrence by occurrence); `whole_terms` (the
    parameter shifted as a whole, 2 x its distinct frequencies); `shift_terms` the fewer.
    """

    name: str
    kind: str = field()
    occurrences: tuple = field(converter=lambda v: tuple((tuple(f), n) for f, n in v))
    count: Any = 1
    share: Any = 1

    @kind.validator
    def _check_kind(self, attribute, value):
        if value not in KINDS:
            raise ValueError(f"kind {value!r} is not allowed: use one of {', '.join(KINDS)}")

    @property
    def occurrences_total(self) -> Any:
        return sum((n for _, n in self.occurrences), 0)

    @property
    def omega(self) -> Any:
        return sum((max(f) * n for f, n in self.occurrences), Fraction(0))

    @property
    def base(self) -> Fraction:
        return _gcd(x for f, _ in self.occurrences for x in f)

    @property
    def chain_terms(self) -> Any:
        """Sum over occurrences of 2 x (the gate's number of frequencies)."""
        return sum((2 * len(f) * n for f, n in self.occurrences), 0)

    @property
    def whole_frequencies(self) -> Any:
        """Distinct positive frequencies of the whole parameter. n occurrences of one single-
        frequency gate (frequency c): exactly c, 2c, ..., n c. Otherwise enumerated (the sums
        of each occurrence's levels {0} and its frequencies: exact for two-level gates, a
        superset otherwise) when concrete and at most `_SUMSET_LIMIT` occurrences, else the
        bound omega / base."""
        total = self.occurrences_total
        if len(self.occurrences) == 1 and len(self.occurrences[0][0]) == 1:
            return int(total) if _is_int(total) else total
        if _is_int(total) and int(total) <= _SUMSET_LIMIT:
            levels = {Fraction(0)}  # eigenvalue sums, up to a common shift
            for freqs, n in self.occurrences:
                gaps = {Fraction(0), *freqs}
                for _ in range(int(n)):
                    levels = {a + g for a in levels for g in gaps}
            return len({a - b for a in levels for b in levels if a > b})
        ratio = self.omega / self.base
        return int(ratio) if isinstance(ratio, Fraction) else ratio

    @property
    def whole_terms(self) -> Any:
        return 2 * self.whole_frequencies

    @property
    def shift_terms(self) -> Any:
        """Evaluations of the cheaper exact rule (chain rule on ties)."""
        chain, whole = self.chain_terms, self.whole_terms
        if _is_int(chain) and _is_int(whole):
            return min(int(chain), int(whole))
        return chain  # symbolic: the chain rule (never above omega / base shifts)

    @property
    def shift_rule_name(self) -> str:
        if self.shift_terms == self.chain_terms:
            one = all(len(f) == 1 for f, _ in self.occurrences)
            return (
                "two-term rule per occurrence (chain rule)"
                if one
                else "per-occurrence general rule (chain rule)"
            )
        return "general rule on the whole parameter (Wierichs et al. 2022)"

    def shared(self, copies: Any) -> "ParameterSpectrum":
        """The same parameter used by `copies` copies of the circuit (N steps)."""
        occ = tuple((f, n * copies) for f, n in self.occurrences)
        return ParameterSpectrum(self.name, self.kind, occ, self.count, self.share)

    def replicated(self, copies: Any, share: Any = 1) -> "ParameterSpectrum":
        """`copies` x as many parameters alike (each in its own copy), each shift needing
        `share` x its runs."""
        return ParameterSpectrum(
            self.name, self.kind, self.occurrences, self.count * copies, self.share * share
        )

    def describe(self) -> str:
        occ = ", ".join(
            f"{n} x frequencies {{{', '.join(str(x) for x in f)}}}" for f, n in self.occurrences
        )
        share = "" if self.share == 1 else f", each shift needing {self.share} of an evaluation"
        return (
            f"{self.count} {self.kind} parameter(s) '{self.name}': {occ}; Omega = {self.omega}; "
            f"{self.shift_terms} shift evaluations ({self.shift_rule_name}){share}"
        )


def _profile(occurrences: list[tuple]) -> tuple:
    counts: dict[tuple, int] = {}
    for freqs in occurrences:
        counts[freqs] = counts.get(freqs, 0) + 1
    return tuple(sorted(counts.items()))


def parameter_spectra(bloq: Any, parameters: Mapping[Any, tuple[str, str]]) -> list:
    """The `ParameterSpectrum` of every trainable symbol of a concrete bloq, read from its leaf
    gates; parameters with the same profile are merged (their `count` added).

    Args:
        bloq: A bloq whose trainable angles are sympy symbols (it must decompose to leaves).
        parameters: symbol -> (name, kind) for each trainable symbol (other symbols ignored).

    Raises:
        ValueError: a trainable symbol in a leaf with no known generator, an angle not linear
            in it, or a symbol that appears in no leaf.
    """
    from qlaci_cost.core.depth import flatten_to_leaves
    from qlaci_cost.core.leaves import leaf_class

    found: dict[Any, list[tuple]] = {s: [] for s in parameters}
    if leaf_class(bloq) is not None:
        leaves = [bloq]
    else:
        leaves = [binst.bloq for binst in flatten_to_leaves(bloq).bloq_instances]
    for leaf in leaves:
        for symbol, freqs in _leaf_occurrences(leaf, parameters):
            found[symbol].append(freqs)
    missing = [str(s) for s, occ in found.items() if not occ]
    if missing:
        raise ValueError(f"parameters {missing} are not allowed: they drive no leaf gate")
    merged: dict[tuple, int] = {}
    for symbol, occ in found.items():
        name, kind = parameters[symbol]
        key = (name, kind, _profile(occ))
        merged[key] = merged.get(key, 0) + 1
    return [ParameterSpectrum(n, k, occ, count) for (n, k, occ), count in merged.items()]


def _leaf_occurrences(leaf: Any, parameters: Mapping) -> list[tuple]:
    attr_eigen = LEAF_GENERATORS.get(type(leaf).__name__)
    values = [getattr(leaf, a) for a in ("angle", "exponent") if hasattr(leaf, a)]
    symbols = set().union(*[v.free_symbols for v in values if isinstance(v, sympy.Basic)]) & set(
        parameters
    )
    if not symbols:
        return []
    if attr_eigen is None:
        raise ValueError(
            f"leaf {leaf} is not allowed as a trainable gate: no shift rule is known for it "
            f"(known: {', '.join(LEAF_GENERATORS)})"
        )
    angle = sympy.sympify(getattr(leaf, attr_eigen[0]))
    out = []
    for symbol in symbols:
        coefficient = sympy.diff(angle, symbol)
        if coefficient.free_symbols:
            raise ValueError(f"angle {angle} of {leaf} is not linear in {symbol}")
        freqs = leaf_frequencies(attr_eigen[1], _fraction(coefficient))
        out.append((symbol, freqs))
    return out


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
        raise ValueError(f"frequencies={frequencies!r} is not allowed: an integer >= 1 is needed")
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
        return GradientCost(
            estimator, weights, n_inputs, 1,
            _evaluations(spectra, "weight", lambda s: s.shift_terms),
            _evaluations(spectra, "input", lambda s: s.shift_terms),
            eps, eps, 1, rules, "none (exact shift rules)",
            "each component within eps x Omega (each evaluation within eps)",
        )  # fmt: skip
    if estimator == "finite-difference":
        return GradientCost(
            estimator, weights, n_inputs, 1,
            _evaluations(spectra, "weight", lambda s: 2),
            _evaluations(spectra, "input", lambda s: 2),
            eps, finite_difference_eps(eps), 1, rules,
            "central difference with h = sqrt(3 eps) / Omega: |bias| <= Omega^3 h^2 / 6 = "
            "eps Omega / 2 (Bernstein's inequality bounds |f'''| by Omega^3)",
            "each component within eps x Omega: bias eps Omega / 2 plus statistical "
            "eps_evaluation / h <= eps Omega / 2",
        )  # fmt: skip
    return GradientCost(
        estimator, weights, n_inputs, 0, 2, 0, eps, eps, factor, rules,
        "O(c^2) in the perturbation size c (Spall 1992, Lemma 1); it vanishes with c",
        "one random direction per step: a noisy estimate whose convergence in steps is the "
        f"assumption (x {factor} the steps of a gradient method)",
    )  # fmt: skip


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
