"""How a trainable angle enters a circuit, read from the bloqs: `ParameterSpectrum` and
`parameter_spectra` (docs/derivations/training.md, section 2).

The circuit is built with sympy symbols for the trainable angles and flattened to leaf gates;
each leaf rotation whose angle depends on a symbol is one *occurrence*, with the frequencies of
its generator times the coefficient d(angle)/d(symbol) (a Pauli rotation exp(-i a P / 2) has
the single frequency 1 in a). A parameter shared by N steps has N occurrences. The shift rules
that turn a spectrum into evaluations are priced in `analysis.gradients`.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import sympy
from attrs import field, frozen

from qlaci_cost.errors import InputError
from qlaci_cost.symbolics.exact import fraction

__all__ = [
    "KINDS",
    "LEAF_GENERATORS",
    "ParameterSpectrum",
    "leaf_frequencies",
    "parameter_spectra",
]

#: Parameter kinds: `weight` (a circuit parameter shared by every example) or `input` (an angle
#: computed per example by the data or an earlier classical layer, whose gradient
#: backpropagation into that layer needs).
KINDS: tuple[str, ...] = ("weight", "input")


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
            raise InputError(f"kind {value!r} is not allowed: use one of {', '.join(KINDS)}")

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
        raise InputError(f"parameters {missing} are not allowed: they drive no leaf gate")
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
        raise InputError(
            f"leaf {leaf} is not allowed as a trainable gate: no shift rule is known for it "
            f"(known: {', '.join(LEAF_GENERATORS)})"
        )
    angle = sympy.sympify(getattr(leaf, attr_eigen[0]))
    out = []
    for symbol in symbols:
        coefficient = sympy.diff(angle, symbol)
        if coefficient.free_symbols:
            raise InputError(f"angle {angle} of {leaf} is not linear in {symbol}")
        rule = "a rational coefficient is needed"
        freqs = leaf_frequencies(attr_eigen[1], fraction(coefficient, "coefficient", rule))
        out.append((symbol, freqs))
    return out
