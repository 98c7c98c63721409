"""The factory search enumerates once per error model and selects per target: the same fronts as
the exhaustive search (every sequence filtered and built for each target), at every target;
the CCZ2T choice from a table sorted once equals the loop over every candidate.

Two sources: `distillation.find_factories` (sequences and factories kept per error model, a
target selecting among them) and `_exhaustive` below (the search written out directly: each
target filters every sequence, drops those with a cheaper sequence meeting it, builds the rest).
"""

from fractions import Fraction

import pytest

from qlaci_cost.physical import distillation as dist
from qlaci_cost.physical import gidney_fowler as gf

US = Fraction(1, 10**6)


def _exhaustive(p, target, cycle_s, max_distance, scaler=0.03, threshold=0.01):
    physical, logical = dist._units(p, cycle_s, max_distance, scaler, threshold)
    floor = min((u.clifford_error for us in logical.values() for u in us), default=p)
    if target < 7.1 * floor:
        return ()
    kinds = [name for name, *_ in dist.UNITS]
    found = []
    for n_rounds in range(1, dist.MAX_EXTRA_ROUNDS + 1):
        if n_rounds > dist.MAX_ROUNDS and found:
            break
        meets = [
            seq
            for seq in dist._sequences(physical, logical, n_rounds)
            if (e := dist._errors(seq, p)) is not None and e[-1][1] <= target
        ]
        meeting = set(meets)
        for seq in meets:
            cheaper = False
            for i, u in enumerate(seq):
                lower = u.distance - 2
                if u.distance < 5 or (i > 0 and seq[i - 1].distance > lower):
                    continue
                cand = seq[:i] + (logical[lower][kinds.index(u.name)],) + seq[i + 1 :]
                cheaper = cheaper or cand in meeting
            factory = None if cheaper else dist.build_factory(seq, p)
            if factory is not None:
                found.append(factory)
    return tuple(dist._pareto(found))


@pytest.mark.parametrize("p, max_distance", [(1e-3, 15), (1e-4, 11), (3e-3, 21)])
def test_search_equals_exhaustive_search_at_every_target(p, max_distance):
    targets = [10.0 ** (-k / 2) for k in range(4, 60, 3)] + [2.5e-9, 2.5000001e-9, 7.1 * p]
    dist.find_factories.cache_clear()
    for target in targets:
        fast = dist.find_factories(p, target, US, max_distance)
        assert fast == _exhaustive(p, target, US, max_distance), target


def test_targets_no_three_rounds_reach_search_five_rounds_as_the_exhaustive_search():
    # p = 5e-3, distances <= 7: above the Clifford floor, some targets no 1-3 rounds reach.
    targets = [10.0 ** (-k / 4) for k in range(2, 30)]
    for target in targets:
        assert dist.find_factories(5e-3, target, US, 7) == _exhaustive(5e-3, target, US, 7)
    space = dist._search_space(5e-3, US, 7, 0.03, 0.01, 5e-3)
    assert dist.MAX_EXTRA_ROUNDS in space._rounds  # some target needed rounds 4 and 5
    assert dist.find_factories(5e-3, 1e-60, US, 7) == ()  # below the Clifford floor


def _ccz2t_direct(lem, states, share):
    """The CCZ2T choice as a loop over every candidate (qubits x distillation distance)."""
    best, lowest = None, None
    for f in gf._ccz2t_candidates():
        err = Fraction(f.l2_error(lem))
        volume = f.n_physical_qubits() * max(2 * f.distillation_l1_d + 1, f.distillation_l2_d)
        if err * states <= share and (best is None or volume < best[0]):
            best = (volume, f)
        if lowest is None or (err, volume) < lowest[:2]:
            lowest = (err, volume, f)
    return (best[1], True) if best is not None else (lowest[2], False)


@pytest.mark.parametrize("p", [1e-3, 1e-4])
def test_ccz2t_choice_equals_the_loop_over_every_candidate(p):
    from qualtran.surface_code import LogicalErrorModel, QECScheme

    lem = LogicalErrorModel(qec_scheme=QECScheme.make_gidney_fowler(), physical_error=p)
    share = Fraction(1, 300)
    oks = set()
    for states in [0, 1, 7, 10**3, 10**6, 10**9, 10**12, 10**15, 10**18, 10**24, 10**40]:
        chosen = gf._choose_ccz2t(lem, states, share)
        assert chosen == _ccz2t_direct(lem, states, share)
        oks.add(chosen[1])
    assert oks == {True, False}  # within the share, and the fallback of least error
