"""The `gidney-fowler` model: CCZ2T factories, `SimpleDataBlock`, reaction-limited runtime.

Catalyzed CCZ->2T factories (`CCZ2TFactory`, arXiv:1812.01238), `SimpleDataBlock` with 50%
routing overhead, p_L(d) = 0.1 (p / 0.01)^((d+1)/2) per tile per cycle
(`QECScheme.make_gidney_fowler`), wall clock = max(factory-limited, reaction-limited) with the
reaction time of Gidney & Ekera (arXiv:1905.09749).
"""

import bisect
import functools
from collections.abc import Iterator
from fractions import Fraction
from typing import Any, Optional

from attrs import frozen
from qualtran.resource_counting import GateCounts
from qualtran.surface_code import (
    AlgorithmSummary,
    CCZ2TFactory,
    LogicalErrorModel,
    MultiFactory,
    PhysicalCostModel,
    PhysicalParameters,
    QECScheme,
    SimpleDataBlock,
    iter_ccz2t_factories,
)

from qlaci_cost.core.conventions import Conventions
from qlaci_cost.errors import InputError
from qlaci_cost.physical.arithmetic import (
    FLOAT_SAFE,
    code_distance_for,
    p_logical,
    sci,
    to_float,
)
from qlaci_cost.physical.budget import rotation_synthesis, split_budget, union_bound
from qlaci_cost.physical.distillation import Factory, find_factories
from qlaci_cost.physical.params import (
    LogicalInput,
    PhysicalAssumptions,
    check_below_threshold,
)
from qlaci_cost.physical.result import PhysicalEstimate
from qlaci_cost.symbolics.exact import fraction
from qlaci_cost.symbolics.rounding import ceil_div

#: Largest distance of a 15-to-1 round (Microsoft's estimator's maxCodeDistance).
__all__ = ["MAX_FACTORY_DISTANCE", "gidney_fowler_estimate"]

MAX_FACTORY_DISTANCE = 50
_GF_QEC = (0.1, 0.01)  # p_L(d) = 0.1 (p / 0.01)^((d+1)/2), QECScheme.make_gidney_fowler


def _ccz2t_candidates() -> Iterator[CCZ2TFactory]:
    """Qualtran's grid of CCZ2T distances, extended to l1 <= 29, l2 <= 59 for large counts."""
    return iter_ccz2t_factories(l1_start=5, l1_stop=31, l2_stop=61)


def _ccz2t_cycles(factory: CCZ2TFactory, n_ccz: int, n_t: int, lem: LogicalErrorModel) -> int:
    """Cycles for one CCZ2T factory to make the states (`CCZ2TFactory.n_cycles`).

    Exact transcription for large counts: ceil((ccz_states x 5.5 + ceil(n_t/2)) x
    max(2 l1 + 1, l2)) with ccz_states = n_ccz + ceil(n_t/2).
    """
    if n_ccz + n_t < FLOAT_SAFE:
        return int(factory.n_cycles(GateCounts(t=n_t, toffoli=n_ccz), lem))
    d = max(2 * factory.distillation_l1_d + 1, factory.distillation_l2_d)
    cat = ceil_div(n_t, 2)
    return ceil_div(((n_ccz + cat) * Fraction(11, 2) + cat) * d, 1)


def _simple_tiles(qubits: int, overhead: float) -> int:
    if qubits < FLOAT_SAFE:
        return SimpleDataBlock(data_d=3, routing_overhead=overhead).n_tiles(qubits)
    return ceil_div((1 + fraction(overhead)) * qubits, 1)


def _choose_ccz2t(
    lem: LogicalErrorModel, states: int, share: Fraction
) -> tuple[CCZ2TFactory, bool]:
    """Least spacetime per CCZ state (qubits x distillation distance) within `share`: of the
    candidates with error x states <= share the first of least volume, else the first of
    least (error, volume)."""
    errors, best_prefix, lowest = _ccz2t_table(lem)
    if states:
        within = bisect.bisect_right(errors, Fraction(share) / states)
    else:
        within = len(errors) if 0 <= share else 0
    if within:
        return best_prefix[within - 1], True
    return lowest, False


@functools.lru_cache(maxsize=16)
def _ccz2t_table(lem: LogicalErrorModel) -> tuple[list[Fraction], list[CCZ2TFactory], Any]:
    """The candidates' errors (exact, ascending); for each k, the first candidate of least
    volume among the k of lowest error; the first candidate of least (error, volume)."""
    cands = []
    for i, f in enumerate(_ccz2t_candidates()):
        err = Fraction(f.l2_error(lem))
        volume = f.n_physical_qubits() * max(2 * f.distillation_l1_d + 1, f.distillation_l2_d)
        cands.append((err, volume, i, f))
    cands.sort(key=lambda c: (c[0], c[2]))
    errors, best_prefix, best = [], [], None
    for err, volume, i, f in cands:
        if best is None or (volume, i) < best[:2]:
            best = (volume, i, f)
        errors.append(err)
        best_prefix.append(best[2])
    lowest = min(cands, key=lambda c: (c[0], c[1], c[2]))[3]
    return errors, best_prefix, lowest


@frozen
class _Supply:
    """Magic-state supply of one factory design: qubits, states, cycles, error, latency."""

    name: str
    qubits: int
    states: int
    single_cycles: int
    error: Fraction
    latency_cycles: int
    ccz2t: Optional[CCZ2TFactory] = None
    fifteen: Optional[Factory] = None


@frozen
class _ReactionLimitedDataBlock(SimpleDataBlock):
    """`SimpleDataBlock` whose consumption takes the reaction-limited number of cycles.

    Qualtran's `SimpleDataBlock` assumes magic states are consumed instantly; giving it the
    reaction-limited cycle count lets `PhysicalCostModel` take max(factory, reaction) and
    charge data errors for the whole run.
    """

    reaction_cycles: int = 0

    def n_cycles(self, n_logical_gates, logical_error_model) -> int:
        return self.reaction_cycles


def _supply_ccz2t(factory: CCZ2TFactory, lem, n_ccz: int, n_t: int) -> _Supply:
    states = n_ccz + ceil_div(n_t, 2)  # CCZ2TFactory: one CCZ state per Toffoli or per 2 T
    period = max(2 * factory.distillation_l1_d + 1, factory.distillation_l2_d)
    return _Supply(
        name=f"CCZ2T(l1={factory.distillation_l1_d}, l2={factory.distillation_l2_d})",
        qubits=factory.n_physical_qubits(),
        states=states,
        single_cycles=_ccz2t_cycles(factory, n_ccz, n_t, lem),
        error=Fraction(factory.l2_error(lem)) * states,
        latency_cycles=ceil_div(11 * period, 1),
        ccz2t=factory,
    )


def _supply_fifteen(f: Factory, t_states: int, cycle_s: Fraction) -> _Supply:
    runs = ceil_div(t_states, f.output_states)
    run_cycles = ceil_div(f.duration_s, cycle_s)
    return _Supply(
        name=f.describe(),
        qubits=f.qubits,
        states=t_states,
        single_cycles=runs * run_cycles,
        error=Fraction(f.output_error) * t_states,
        latency_cycles=run_cycles,
        fifteen=f,
    )


def _reaction_layers(x: LogicalInput, t_rot: int, depth_r: int) -> int:
    """Non-Clifford layers, each waiting one reaction time: an upper bound.

    A synthesized rotation is `t_rot` T gates in sequence. Two upper bounds, the smaller
    taken: toffoli_depth + rotation layers x (t_rot - 1) (rotation layers: rotation_depth if
    given, else min(rotations, toffoli_depth), since a path holds at most that many
    rotations), and, when the counts give the conventions' t_depth (rotations weighted by the
    conventions' T per rotation t_c), ceil(t_depth x max(1, t_rot / t_c)): every path's weight
    a + b t_rot is at most (a + b t_c) t_rot / t_c.
    """
    if not x.rotations:
        return x.toffoli_depth
    layers = x.toffoli_depth + depth_r * (t_rot - 1)
    if x.t_depth is not None and x.t_per_rotation:
        layers = min(layers, ceil_div(x.t_depth * max(t_rot, x.t_per_rotation), x.t_per_rotation))
    return layers


def _magic_state_supply(
    a: PhysicalAssumptions,
    conv: Conventions,
    lem: LogicalErrorModel,
    shares,
    n_ccz: int,
    n_t: int,
) -> tuple[_Supply, list[str], str]:
    """The factory design (supply, notes, invalid reason): the given one, else the CCZ2T design
    of least spacetime within the distillation share, else the smallest multi-round 15-to-1."""
    p = a.physical_error
    notes, reason = [], ""
    if a.factory:
        supply = _supply_ccz2t(CCZ2TFactory(*a.factory), lem, n_ccz, n_t)
    else:
        states = n_ccz + ceil_div(n_t, 2)
        factory, ok = _choose_ccz2t(lem, states, shares.distillation)
        supply = _supply_ccz2t(factory, lem, n_ccz, n_t)
        if not ok:
            t_states = conv.t_per_toffoli * n_ccz + n_t
            target = to_float(shares.distillation / t_states)
            found = find_factories(p, target, a.cycle_s, MAX_FACTORY_DISTANCE, *_GF_QEC)
            if found:
                best = min(found, key=lambda f: f.normalized_volume())
                supply = _supply_fifteen(best, t_states, a.cycle_s)
                per_ccz = to_float(shares.distillation / states)
                notes.append(
                    f"no two-level CCZ2T factory reaches {per_ccz:.2g} per CCZ state at "
                    f"p = {p:g}: {supply.name} T factories "
                    f"({conv.t_per_toffoli} T states per Toffoli) reach {target:.2g} per T state"
                )
            else:
                reason = (
                    f"no supported factory reaches the needed error: CCZ2T (best "
                    f"{factory.l2_error(lem):.2g} per CCZ state, needed "
                    f"{sci(shares.distillation / states)}) nor up to 5 rounds of 15-to-1 with "
                    f"distances <= {MAX_FACTORY_DISTANCE} (needed "
                    f"{sci(shares.distillation / t_states)} per T state)"
                )
    if a.factory and supply.error > shares.distillation:
        notes.append(
            f"the given factory's distillation error {to_float(supply.error):.2g} exceeds its "
            f"share {to_float(shares.distillation):.2g} of the budget"
        )
    return supply, notes, reason


@frozen
class _Schedule:
    """How many factories run, and the run's limits, in code cycles."""

    n_factories: int
    factory_cycles: int
    latency_cycles: int
    reaction_cycles: int
    reaction_time_s: Fraction

    @property
    def runtime_cycles(self) -> int:
        """The factories' time, or the first state's latency then the reaction-limited layers."""
        return max(self.factory_cycles, self.latency_cycles + self.reaction_cycles)


def _schedule(a: PhysicalAssumptions, supply: _Supply, reaction_time: Fraction) -> _Schedule:
    """Factories (the given number, else enough to keep up with the reaction-limited layers)."""
    reaction_cycles = ceil_div(reaction_time, a.cycle_s)
    if a.n_factories is not None:
        n_f = a.n_factories
    elif supply.states == 0:
        n_f = 0
    elif reaction_cycles == 0:
        raise InputError(
            f"toffoli_depth=0 with {supply.states} magic states is not allowed in automatic "
            "mode: give the toffoli_depth, or n_factories"
        )
    else:
        n_f = ceil_div(supply.single_cycles, reaction_cycles)
    factory_cycles = ceil_div(supply.single_cycles, n_f) if n_f else 0
    latency = supply.latency_cycles if n_f else 0
    return _Schedule(n_f, factory_cycles, latency, reaction_cycles, reaction_time)


def _qubits_and_logical(
    x: LogicalInput,
    a: PhysicalAssumptions,
    qec: QECScheme,
    supply: _Supply,
    s: _Schedule,
    d: int,
    tiles: int,
    n_ccz: int,
    n_t: int,
) -> tuple[int, float]:
    """(physical qubits, logical error): Qualtran's `PhysicalCostModel` while the counts are
    floats, else its formulas (n_f x factory qubits + 2 d^2 tiles; tiles x cycles x p_L(d))."""
    p = a.physical_error
    small = max(n_ccz + n_t, x.qubits, s.runtime_cycles * max(tiles, 1)) < FLOAT_SAFE
    if small and s.n_factories and supply.ccz2t is not None:
        cost_model = PhysicalCostModel(
            physical_params=PhysicalParameters(physical_error=p, cycle_time_us=a.cycle_time_us),
            data_block=_ReactionLimitedDataBlock(
                data_d=d,
                routing_overhead=a.routing_overhead,
                reaction_cycles=s.latency_cycles + s.reaction_cycles,
            ),
            factory=MultiFactory(base_factory=supply.ccz2t, n_factories=s.n_factories),
            qec_scheme=qec,
        )
        algo = AlgorithmSummary(
            n_algo_qubits=x.qubits, n_logical_gates=GateCounts(t=n_t, toffoli=n_ccz)
        )
        physical_qubits = int(cost_model.n_phys_qubits(algo))
        logical = float(cost_model.error(algo)) - to_float(supply.error)
    else:
        physical_qubits = s.n_factories * supply.qubits + 2 * d * d * tiles
        logical = to_float(tiles * s.runtime_cycles * p_logical(qec, p, d))
    return physical_qubits, logical


def _rotation_note(
    x: LogicalInput, conv: Conventions, eps_rot, t_rot: int, layers: int, depth_r: int
) -> str:
    return (
        f"{sci(x.rotations)} rotations synthesized as {t_rot} T each ({conv.rotation_model} "
        f"at eps_rot = {sci(eps_rot)} = rotation share / rotations); reaction layers "
        f"{sci(layers)} = min(toffoli_depth + {sci(depth_r)} rotation layers x ({t_rot} - "
        "1) T layers"
        + ("" if x.rotation_depth is not None else " (min(rotations, toffoli_depth))")
        + (f", t_depth x {t_rot} / {x.t_per_rotation})" if x.t_depth is not None else ")")
        + ", an upper bound"
    )


def _result(
    x: LogicalInput,
    a: PhysicalAssumptions,
    conv: Conventions,
    supply: _Supply,
    s: _Schedule,
    shares,
    eps_rot,
    t_rot: int,
    *,
    physical_qubits: int,
    d: int,
    tiles: int,
    expected: float,
    errors: tuple[float, float, float],
    notes: list[str],
    reason: str,
) -> PhysicalEstimate:
    """The estimate record; `errors` = (logical, distillation, rotations) expected failures."""
    logical, distill, rot = errors
    return PhysicalEstimate(
        model="gidney-fowler",
        physical_qubits=physical_qubits,
        code_distance=d,
        data_qubits=2 * d * d * tiles,
        n_factories=s.n_factories,
        factory=supply.name,
        factory_qubits=supply.qubits,
        magic_states=supply.states,
        time_per_magic_state_s=(
            Fraction(supply.single_cycles, supply.states) * a.cycle_s
            if supply.states
            else Fraction(0)
        ),
        factory_limited_time_s=s.factory_cycles * a.cycle_s,
        reaction_limited_time_s=s.reaction_time_s,
        algorithm_limited_time_s=None,
        runtime_s=s.runtime_cycles * a.cycle_s,
        runtime_cycles=s.runtime_cycles,
        failure_probability=union_bound(expected),
        within_budget=not reason,
        inputs=x,
        params=a,
        conventions=conv,
        notes=tuple(notes),
        valid=not reason,
        invalid_reason=reason,
        expected_failures=expected,
        logical_error=logical,
        distillation_error=distill,
        rotation_error=rot,
        first_state_latency_s=s.latency_cycles * a.cycle_s,
        budget_shares=tuple(shares),
        rotation_eps=eps_rot,
        t_per_rotation=t_rot,
        distillation=supply.fifteen,
    )


def gidney_fowler_estimate(
    x: LogicalInput, a: PhysicalAssumptions, conv: Conventions
) -> PhysicalEstimate:
    qec = QECScheme.make_gidney_fowler()
    p = a.physical_error
    check_below_threshold(qec, p)
    lem = LogicalErrorModel(qec_scheme=qec, physical_error=p)
    budget = fraction(a.error_budget)
    shares = split_budget(budget, x.rotations, bool(x.toffoli or x.t or x.rotations))
    eps_rot, t_rot = rotation_synthesis(conv, shares.rotations, x.rotations)
    n_ccz, n_t = x.toffoli, x.t + x.rotations * t_rot
    # Rotation layers on any path: at most the rotations, and at most the toffoli_depth (which
    # counts a rotation as one layer), unless the rotation depth is given.
    depth_r = min(x.rotations, x.toffoli_depth) if x.rotation_depth is None else x.rotation_depth
    layers = _reaction_layers(x, t_rot, depth_r)
    supply, notes, reason = _magic_state_supply(a, conv, lem, shares, n_ccz, n_t)
    s = _schedule(a, supply, layers * a.reaction_s)
    runtime_cycles = s.runtime_cycles

    tiles = _simple_tiles(x.qubits, a.routing_overhead)
    rot_error = shares.rotations if x.rotations else Fraction(0)
    data_budget = budget - supply.error - rot_error
    if data_budget <= 0:
        data_budget = shares.logical
    d = a.data_distance or code_distance_for(qec, p, data_budget, tiles * runtime_cycles)
    physical_qubits, logical = _qubits_and_logical(x, a, qec, supply, s, d, tiles, n_ccz, n_t)
    distill, rot = to_float(supply.error), to_float(rot_error)
    expected = logical + distill + rot
    exact = tiles * runtime_cycles * p_logical(qec, p, d) + supply.error + rot_error
    if not reason and exact > budget:
        reason = (
            f"expected failures {expected:.3g} (logical {logical:.2g}, distillation "
            f"{distill:.2g}, rotations {rot:.2g}) exceed the budget {a.error_budget:g}"
        )
    if reason:
        notes.append(f"invalid: {reason}")
    if x.rotations:
        notes.append(_rotation_note(x, conv, eps_rot, t_rot, layers, depth_r))
    return _result(
        x,
        a,
        conv,
        supply,
        s,
        shares,
        eps_rot,
        t_rot,
        physical_qubits=physical_qubits,
        d=d,
        tiles=tiles,
        expected=expected,
        errors=(logical, distill, rot),
        notes=notes,
        reason=reason,
    )
