"""Multi-level 15-to-1 T factories: rounds of distillation units until the target error is met.

The units are those of Beverland et al., "Assessing requirements to scale to practical quantum
advantage", arXiv:2211.07629, Appendix C (Table VII), built on Litinski, "Magic state
distillation: not as costly as you think", arXiv:1905.06903:

| unit | physical level | logical level (distance d) |
|---|---|---|
| 15-to-1 RM prep | 31 qubits, 24 measurement times | 31 tiles of 2 d^2, 11 logical cycles |
| 15-to-1 space efficient | 12 qubits, 45 measurement times | 20 tiles of 2 d^2, 13 logical cycles |

with output error 35 p_in^3 + 7.1 c and failure probability 15 p_in + 356 c, where p_in is the
error of the input T states (the physical T error for the first round, the previous round's
output after it) and c the Clifford error (the physical error rate at the physical level,
p_L(d) = a (p / p*)^((d+1)/2) at distance d). A logical cycle is d code cycles; a measurement
time is a quarter of a code cycle (a cycle = 4 two-qubit gates of cycle/8 + 2 measurements of
cycle/4, the gate-based qubit of `physical.microsoft`).

A factory is a sequence of rounds (physical units only in the first round, distances
non-decreasing); each round has enough units that, with probability 1 - 0.01 / rounds, enough of
them succeed to feed the next round (a binomial quantile); its qubits are the largest round's
(rounds reuse space), its duration the sum of the rounds'. `find_factories` returns the Pareto
front (qubits per output state, duration) of the factories whose output error meets a target,
searched over 1-3 rounds (up to 5 if none of those reaches it). The derivation is in
docs/derivations/physical.md#multi-round-15-to-1-factories.
"""

import bisect
import functools
import itertools
import math
from fractions import Fraction
from typing import Optional

from attrs import frozen
from scipy.stats import binom

__all__ = ["Factory", "Round", "Unit", "find_factories", "unit_error", "unit_failure"]

#: (name, physical qubits, physical duration in measurement times, logical tiles, logical cycles)
UNITS = (
    ("15-to-1 RM prep", 31, 24, 31, 11),
    ("15-to-1 space efficient", 12, 45, 20, 13),
)
#: Probability that a factory run fails to deliver its output states (Beverland et al. App. C).
RUN_FAILURE = 0.01
MAX_ROUNDS, MAX_EXTRA_ROUNDS = 3, 5
_MAX_UNITS = 10**15


def unit_error(p_in: float, clifford: float) -> float:
    """Output error of one 15-to-1 unit: 35 p_in^3 + 7.1 c (Beverland et al. Table VII)."""
    return 35 * p_in**3 + 7.1 * clifford


def unit_failure(p_in: float, clifford: float) -> float:
    """Failure (rejection) probability of one 15-to-1 unit: 15 p_in + 356 c."""
    return 15 * p_in + 356 * clifford


@frozen(cache_hash=True)  # searched sequences are hashed as tuples of these
class Unit:
    """One kind of 15-to-1 unit at one level: `distance` 1 means physical qubits."""

    name: str
    distance: int
    qubits: int
    duration_s: Fraction
    clifford_error: float

    @property
    def label(self) -> str:
        level = "physical" if self.distance == 1 else f"d={self.distance}"
        return f"{self.name} ({level})"


@frozen
class Round:
    """`units` copies of one unit; `p_in`, `p_out` its input and output T error."""

    unit: Unit
    units: int
    p_in: float
    p_out: float
    failure: float

    @property
    def qubits(self) -> int:
        return self.units * self.unit.qubits


@frozen
class Factory:
    """A multi-round 15-to-1 T factory: qubits, duration (latency of one run), output states."""

    rounds: tuple[Round, ...]
    output_states: int

    @property
    def qubits(self) -> int:
        return max(r.qubits for r in self.rounds)

    @property
    def duration_s(self) -> Fraction:
        return sum((r.unit.duration_s for r in self.rounds), Fraction(0))

    @property
    def output_error(self) -> float:
        return self.rounds[-1].p_out

    @property
    def input_states(self) -> int:
        return 15 * self.rounds[0].units

    @property
    def max_distance(self) -> int:
        return max(r.unit.distance for r in self.rounds)

    def normalized_qubits(self) -> Fraction:
        return Fraction(self.qubits, self.output_states)

    def normalized_volume(self) -> Fraction:
        return self.qubits * self.duration_s / self.output_states

    def describe(self) -> str:
        inner = " -> ".join(f"{r.units} x {r.unit.label}" for r in self.rounds)
        return f"{len(self.rounds)}-round 15-to-1 [{inner}]"


def _p_logical(p: float, d: int, scaler: float, threshold: float) -> float:
    return scaler * (p / threshold) ** ((d + 1) // 2)


@functools.lru_cache(maxsize=256)
def _units(p: float, cycle_s: Fraction, max_distance: int, scaler: float, threshold: float):
    """Unit kinds: physical ones, then logical ones at every odd distance up to `max_distance`."""
    measurement = cycle_s / 4
    physical = [Unit(n, 1, q, t * measurement, p) for n, q, t, _, _ in UNITS]
    logical = {
        d: [
            Unit(n, d, tiles * 2 * d * d, cycles * d * cycle_s, _p_logical(p, d, scaler, threshold))
            for n, _, _, tiles, cycles in UNITS
        ]
        for d in range(3, max_distance + 1, 2)
    }
    return physical, logical


@functools.lru_cache(maxsize=4096)
def _units_for(needed: int, failure: float, confidence: float) -> Optional[tuple[int, int]]:
    """Fewest units (one output each) such that, with probability >= 1 - `confidence`, at
    least `needed` succeed: (units, guaranteed outputs), or None if unreasonably many. Kept
    per arguments: the factories of one search share their last rounds (the default report
    asks 704 times for 49 distinct arguments, each a search over binomial quantiles)."""

    def outputs(n: int) -> int:
        return int(binom.ppf(confidence, n, 1 - failure))

    hi = needed
    while outputs(hi) < needed:
        hi *= 2
        if hi >= _MAX_UNITS:
            return None
    lo = max(needed, hi // 2)
    while lo < hi:
        mid = (lo + hi) // 2
        if outputs(mid) >= needed:
            hi = mid
        else:
            lo = mid + 1
    return hi, outputs(hi)


def _errors(units: tuple[Unit, ...], p_t: float) -> Optional[list[tuple[float, float, float]]]:
    """(p_in, p_out, failure) per round, or None if a round does not improve or cannot run."""
    out, p_in = [], p_t
    for u in units:
        p_out, q = unit_error(p_in, u.clifford_error), unit_failure(p_in, u.clifford_error)
        if p_out > p_in or not 0 < q < 1:
            return None
        out.append((p_in, p_out, q))
        p_in = p_out
    return out


def build_factory(units: tuple[Unit, ...], p_t: float) -> Optional[Factory]:
    """The factory with these units per round (enough copies of each), or None if invalid."""
    errors = _errors(units, p_t)
    if errors is None:
        return None
    confidence = RUN_FAILURE / len(units)
    counts: list[int] = [0] * len(units)
    needed, final = 1, None
    for i in reversed(range(len(units))):
        found = _units_for(needed, errors[i][2], confidence)
        if found is None:
            return None
        counts[i] = found[0]
        if final is None:
            final = found[1]
        needed = 15 * found[0]
    rounds = tuple(Round(u, n, *e) for u, n, e in zip(units, counts, errors))
    return Factory(rounds, final)


def _sequences(physical, logical, n_rounds: int):
    """Unit sequences: physical units only first, logical distances non-decreasing (rounds
    beyond `MAX_ROUNDS` on every third distance, to bound the search)."""
    ds = sorted(logical)
    if n_rounds > MAX_ROUNDS:
        ds = ds[::3]
    kinds = range(len(UNITS))
    for first_physical in (True, False):
        n_logical = n_rounds - 1 if first_physical else n_rounds
        for dists in itertools.combinations_with_replacement(ds, n_logical):
            for names in itertools.product(kinds, repeat=n_rounds):
                if first_physical:
                    seq = (physical[names[0]],) + tuple(
                        logical[d][k] for d, k in zip(dists, names[1:])
                    )
                else:
                    seq = tuple(logical[d][k] for d, k in zip(dists, names))
                yield seq


def _pareto(factories: list[Factory]) -> list[Factory]:
    """Factories not dominated in (qubits per output state, duration), sorted by volume."""
    pts = sorted(factories, key=lambda f: (f.normalized_qubits(), f.duration_s))
    front: list[Factory] = []
    best_time = None
    for f in pts:
        if best_time is None or f.duration_s < best_time:
            front.append(f)
            best_time = f.duration_s
    return sorted(front, key=lambda f: (f.normalized_volume(), f.duration_s))


@functools.lru_cache(maxsize=256)
def find_factories(
    p: float,
    target: float,
    cycle_s: Fraction,
    max_distance: int,
    scaler: float = 0.03,
    threshold: float = 0.01,
    t_error: Optional[float] = None,
) -> tuple[Factory, ...]:
    """Pareto-optimal 15-to-1 factories with output error <= `target` (empty if none).

    Args:
        p: Physical (Clifford) error rate.
        target: Required error per output T state.
        cycle_s: Code cycle in seconds (exact).
        max_distance: Largest logical distance a round may use.
        scaler, threshold: p_L(d) = scaler (p / threshold)^((d+1)/2) (Beverland et al.).
        t_error: Error of a physical T state (default p).

    The unit sequences, their output errors and their factories do not depend on `target`;
    they are enumerated once per (p, cycle, distances, error model) (`_SearchSpace`), and a
    target only selects the sequences whose output error meets it.
    """
    p_t = p if t_error is None else t_error
    space = _search_space(p, Fraction(cycle_s), max_distance, scaler, threshold, p_t)
    if target < 7.1 * space.floor:  # no last round can do better than its own Clifford error
        return ()
    return space.front(target)


@functools.lru_cache(maxsize=64)
def _search_space(p, cycle_s, max_distance, scaler, threshold, p_t) -> "_SearchSpace":
    return _SearchSpace(_units(p, cycle_s, max_distance, scaler, threshold), p, p_t)


class _SearchSpace:
    """The factory search of one (p, cycle, distances, error model, T error), for any target.

    Per number of rounds: the unit sequences in `_sequences` order whose rounds all improve
    (`_errors`), their final output errors, the least output error of a sequence one step
    cheaper (the same kinds, one round's distance lowered one step: a smaller, faster
    factory) and, built when first needed, their factories. A sequence is kept for a target
    when its output error is <= the target and no cheaper one's is; two targets with as many
    output errors at or below them select the same sequences, so the factories and the front
    are kept per (rounds, that number).
    """

    def __init__(self, units, p: float, p_t: float):
        self.physical, self.logical = units
        self.p_t = p_t
        errors = (u.clifford_error for us in self.logical.values() for u in us)
        self.floor = min(errors, default=p)
        self._rounds: dict[int, tuple] = {}
        self._found: dict[tuple[int, int], list[Factory]] = {}
        self._fronts: dict[tuple, tuple[Factory, ...]] = {}

    def front(self, target: float) -> tuple[Factory, ...]:
        """`_pareto` of the factories meeting `target`: 1-3 rounds, up to 5 if none."""
        keys, found = [], []
        for n_rounds in range(1, MAX_EXTRA_ROUNDS + 1):
            if n_rounds > MAX_ROUNDS and found:
                break
            key, factories = self.factories(n_rounds, target)
            keys.append(key)
            found += factories
        keys = tuple(keys)
        if keys not in self._fronts:
            self._fronts[keys] = tuple(_pareto(found))
        return self._fronts[keys]

    def _enumerate(self, n_rounds: int) -> tuple:
        """(sequences, output errors, least output error of a cheaper sequence (inf when
        there is none), sorted output errors, factories built so far by index)."""
        if n_rounds not in self._rounds:
            seqs, p_out = [], []
            for seq in _sequences(self.physical, self.logical, n_rounds):
                errors = _errors(seq, self.p_t)
                if errors is not None:
                    seqs.append(seq)
                    p_out.append(errors[-1][1])
            index = {seq: i for i, seq in enumerate(seqs)}
            cheaper = [
                min((p_out[j] for j in _cheaper(seq, index, self.logical)), default=math.inf)
                for seq in seqs
            ]
            self._rounds[n_rounds] = (seqs, p_out, cheaper, sorted(p_out), {})
        return self._rounds[n_rounds]

    def factories(self, n_rounds: int, target: float) -> tuple[tuple, list[Factory]]:
        """(key, the factories of `n_rounds` rounds whose sequence meets `target` and has no
        cheaper sequence meeting it, in `_sequences` order): the key names the selection."""
        seqs, p_out, cheaper, ordered, built = self._enumerate(n_rounds)
        key = (n_rounds, bisect.bisect_right(ordered, target))
        if key not in self._found:
            found = []
            for i, seq in enumerate(seqs):
                if not p_out[i] <= target < cheaper[i]:
                    continue
                if i not in built:
                    built[i] = build_factory(seq, self.p_t)
                if built[i] is not None:
                    found.append(built[i])
            self._found[key] = found
        return key, self._found[key]


_KINDS = {name: k for k, (name, *_) in enumerate(UNITS)}


def _cheaper(seq: tuple[Unit, ...], index: dict, logical) -> list[int]:
    """Indices (in `index`) of the sequences one step cheaper than `seq`: one round's distance
    lowered by one step (to at least 3), the distances staying non-decreasing."""
    out = []
    for i, u in enumerate(seq):
        if u.distance < 5:
            continue
        lower = u.distance - 2
        if i > 0 and seq[i - 1].distance > lower:
            continue
        cand = seq[:i] + (logical[lower][_KINDS[u.name]],) + seq[i + 1 :]
        if cand in index:
            out.append(index[cand])
    return out


def first_state_latency(factory: Factory) -> Fraction:
    """Time until a factory's first output exists: one full run, every round."""
    return factory.duration_s


def required_error(share: Fraction, states: int) -> float:
    """Error per magic state that keeps `states` states within `share` (first order)."""
    return float(Fraction(share) / states) if states else math.inf
