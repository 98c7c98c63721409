"""The `beverland` model: Beverland et al. time steps and distance, one-level 15-to-1 factories.

Beverland et al. (arXiv:2211.07629) time steps, code distance and T-state count
(`beverland_et_al_model`), one-level 15-to-1 T factories (`FifteenToOne`, arXiv:1905.06903),
`FastDataBlock` layout, p_L(d) = 0.03 (p / 0.01)^((d+1)/2).
"""

import math
import warnings
from collections.abc import Callable
from fractions import Fraction
from functools import lru_cache
from typing import Optional

from attrs import frozen
from qualtran.resource_counting import GateCounts
from qualtran.surface_code import (
    AlgorithmSummary,
    FastDataBlock,
    FifteenToOne,
    LogicalErrorModel,
    QECScheme,
)
from qualtran.surface_code import beverland_et_al_model as beverland
from qualtran.surface_code.rotation_cost_model import BeverlandEtAlRotationCost

from qlaci_cost.core.conventions import Conventions
from qlaci_cost.physical.arithmetic import (
    FLOAT_SAFE,
    TINY,
    code_distance_for,
    log2_ratio,
    p_logical,
    sci,
    to_float,
)
from qlaci_cost.physical.budget import union_bound
from qlaci_cost.physical.distillation import Factory, find_factories
from qlaci_cost.physical.gidney_fowler import MAX_FACTORY_DISTANCE
from qlaci_cost.physical.params import (
    LogicalInput,
    PhysicalAssumptions,
    check_below_threshold,
    fail,
)
from qlaci_cost.physical.result import PhysicalEstimate
from qlaci_cost.symbolics.exact import fraction
from qlaci_cost.symbolics.rounding import ceil_div

__all__ = ["FIFTEEN_TO_ONE_GRID", "beverland_estimate"]

#: One-level 15-to-1 protocols searched, in order of qubits x d_m (Litinski arXiv:1905.06903
#: Table 1 uses d_X ~ 2 d_m + 1..3; the last one sits at the distillation floor ~10 p^3).
FIFTEEN_TO_ONE_GRID = ((5, 3, 3), (7, 3, 3), (9, 3, 3), (11, 5, 5), (13, 5, 5), (15, 7, 7),
                       (17, 7, 7), (19, 9, 9), (21, 11, 11))  # fmt: skip


@lru_cache(maxsize=64)
def _f15(ds: tuple[int, int, int]) -> FifteenToOne:
    """One instance per distances, so Qualtran's per-instance caches are reused."""
    return FifteenToOne(*ds)


def _lem(qec: QECScheme, p: float) -> LogicalErrorModel:
    return LogicalErrorModel(qec_scheme=qec, physical_error=p)


@lru_cache(maxsize=512)
def _fifteen_to_one(ds: tuple[int, int, int], p: float) -> Optional[tuple[float, float, int]]:
    """(p_out, p_fail, physical qubits) of Qualtran's `FifteenToOne` (a density-matrix run).

    None where Qualtran's noise model is invalid (near threshold its error probabilities
    exceed 1 and the simulation returns NaN).
    """
    f, lem = _f15(ds), _lem(QECScheme.make_beverland_et_al(), p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        p_out, p_fail = complex(f.p_out(lem)), complex(f.p_fail(lem))
    if not all(math.isfinite(v.real) and v.imag == 0 and 0 <= v.real < 1 for v in (p_out, p_fail)):
        return None
    return p_out.real, p_fail.real, f.n_physical_qubits()


def _choose_fifteen_to_one(p: float, t_states: int, share: Fraction) -> tuple[tuple, bool]:
    """The first protocol of `FIFTEEN_TO_ONE_GRID` with p_out x T states <= share.

    If the last (lowest-error) one does not fit, no one-level factory does: return it, flagged.
    """
    grid = FIFTEEN_TO_ONE_GRID
    last = _fifteen_to_one(grid[-1], p)
    if last is not None and Fraction(last[0]) * t_states > share:
        return grid[-1], False
    valid = []
    for ds in grid:
        stats = _fifteen_to_one(ds, p)
        if stats is not None and Fraction(stats[0]) * t_states <= share:
            return ds, True
        if stats is not None:
            valid.append((stats[0], ds))
    if not valid:
        fail(
            "physical_error",
            p,
            "Qualtran's 15-to-1 model has no valid factory this close to the threshold 0.01",
        )
    return min(valid)[1], False


def _fast_tiles(qubits: int) -> int:
    if qubits < FLOAT_SAFE:
        return FastDataBlock.get_n_tiles(qubits)
    return 2 * qubits + 1 + (math.isqrt(8 * qubits - 1) + 1)  # ceil(2Q + sqrt(8Q) + 1)


def _steps_and_t_states(x: LogicalInput, algo, eps: float, third: Fraction):
    """(time steps, T states, T per rotation) of Beverland et al. eqs. D3-D4 with
    ceil(0.53 log2(1/eps_syn) + 5.3) T per rotation at eps_syn = budget / 3 / rotations.

    Qualtran's `beverland_et_al_model` while eps_syn is a normal float; beyond (more than
    ~10^297 rotations) the same formulas with log2(1/eps_syn) from the exact values' logarithms.
    """
    rot = BeverlandEtAlRotationCost
    if not x.rotations or third / x.rotations > TINY:
        steps = int(beverland.minimum_time_steps(error_budget=eps, alg=algo, rotation_model=rot))
        t_states = int(beverland.t_states(error_budget=eps, alg=algo, rotation_model=rot))
        t_rot = rot.rotation_cost(eps / 3 / x.rotations).t if x.rotations else 0
        return steps, t_states, t_rot
    t_rot = math.ceil(rot.slope * log2_ratio(x.rotations, third) + rot.overhead)
    layers = x.rotations if x.rotation_depth is None else x.rotation_depth
    steps = x.measurements + x.rotations + x.t + 3 * x.toffoli + layers * t_rot
    return steps, x.t + 4 * x.toffoli + x.rotations * t_rot, t_rot


def _rotation_eps(third: Fraction, rotations: int):
    """eps_syn = budget / 3 / rotations: a float, or a Fraction below 1e-300 (None: none)."""
    if not rotations:
        return None
    ratio = third / rotations
    return float(ratio) if ratio > TINY else ratio


@frozen
class _Supply:
    """Magic-state supply of one factory design: qubits, cycles, latency, error."""

    name: str
    qubits: int
    states: int
    single_cycles: int
    latency_cycles: int
    error: Fraction
    multi: Optional[Factory] = None


def _factory_supply(
    a: PhysicalAssumptions, qec: QECScheme, t_states: int, third: Fraction
) -> tuple[_Supply, list[str], str]:
    """The factory (supply, notes, invalid reason): the given or first fitting one-level
    15-to-1, else the smallest design of several rounds that reaches the needed error."""
    p = a.physical_error
    notes = []
    ds, ok = (a.factory, True) if a.factory else _choose_fifteen_to_one(p, t_states, third)
    stats = _fifteen_to_one(ds, p)
    if stats is None:
        fail("factory", ds, f"Qualtran's 15-to-1 model is invalid at p = {p:g} for it")
    p_out, p_fail, f_qubits = stats
    name = f"15-to-1(d_X={ds[0]}, d_Z={ds[1]}, d_m={ds[2]})"
    multi, reason = None, ""
    if t_states < FLOAT_SAFE:
        single = int(_f15(ds).n_cycles(GateCounts(t=t_states), _lem(qec, p)))
    else:  # FifteenToOne.n_cycles: ceil(T x 6 d_m / (1 - p_fail))
        single = ceil_div(t_states * 6 * ds[2] / (1 - Fraction(p_fail)), 1)
    latency = ceil_div(6 * ds[2] / (1 - Fraction(p_fail)), 1)  # one T state, expected
    distill = Fraction(p_out) * t_states
    if a.factory and distill > third:
        notes.append(
            f"the given one-level 15-to-1 factory misses the needed per-T-state error "
            f"{to_float(third / max(t_states, 1)):.2g} at p = {p:g} (it gives {p_out:.2g})"
        )
    elif not ok:
        target = to_float(third / t_states)
        found = find_factories(p, target, a.cycle_s, MAX_FACTORY_DISTANCE)
        if found:
            multi = min(found, key=lambda f: f.normalized_volume())
            run = ceil_div(multi.duration_s, a.cycle_s)
            single = ceil_div(t_states, multi.output_states) * run
            latency, f_qubits, name = run, multi.qubits, multi.describe()
            distill = Fraction(multi.output_error) * t_states
            notes.append(
                f"no one-level 15-to-1 factory reaches {target:.2g} per T state at p = {p:g} "
                f"(best {p_out:.2g}): {name} (Beverland et al. App. C) does"
            )
        else:
            reason = (
                f"no supported factory reaches {sci(third / t_states)} per T state at p = {p:g}: "
                f"one-level "
                f"15-to-1 gives at best {p_out:.2g}, and no design of up to 5 rounds of 15-to-1 "
                f"with distances <= {MAX_FACTORY_DISTANCE} reaches it"
            )
    return _Supply(name, f_qubits, t_states, single, latency, distill, multi), notes, reason


def _distance_rule(
    x: LogicalInput, a: PhysicalAssumptions, algo, qec: QECScheme, third: Fraction, tiles: int
) -> Callable[[int], int]:
    """Code distance for a number of logical steps: Qualtran's `code_distance` while the counts
    are floats, else the least d whose tiles x steps x p_L(d) is within a third of the budget."""
    eps, p = a.error_budget, a.physical_error

    def distance(n_steps: int) -> int:
        n_steps = max(n_steps, 1)  # a program without operations still keeps its data a step
        if max(n_steps, x.qubits) < FLOAT_SAFE:
            return beverland.code_distance(
                error_budget=eps, time_steps=n_steps, alg=algo, qec_scheme=qec, physical_error=p
            )
        return code_distance_for(qec, p, third, tiles * n_steps)

    return distance


@frozen
class _Schedule:
    """Factories, the run's length in code cycles, its logical steps and the final distance."""

    n_factories: int
    factory_cycles: int
    latency_cycles: int
    algorithm_cycles: int
    runtime_cycles: int
    logical_steps: int
    d: int


def _schedule(
    a: PhysicalAssumptions,
    qec: QECScheme,
    supply: _Supply,
    steps: int,
    d: int,
    reaction_cycles: int,
    tiles: int,
    third: Fraction,
    distance: Callable[[int], int],
) -> _Schedule:
    """Factories enough for the logical steps (or the reaction-limited layers), then the distance
    raised until the data survive the whole run, first-state latency included."""
    algorithm_cycles = steps * d
    single = supply.single_cycles
    limit = max(algorithm_cycles, reaction_cycles)
    n_f = a.n_factories or (ceil_div(single, limit) if supply.states else 0)
    factory_cycles = ceil_div(single, n_f) if n_f else 0
    latency = supply.latency_cycles if n_f else 0
    for _ in range(4):  # the data must survive the whole run, first-state latency included
        runtime_cycles = max(factory_cycles, latency + max(reaction_cycles, algorithm_cycles))
        logical_steps = ceil_div(runtime_cycles, d)
        if a.data_distance or tiles * logical_steps * p_logical(qec, a.physical_error, d) <= third:
            break
        d = distance(logical_steps)
        algorithm_cycles = steps * d
    return _Schedule(
        n_f, factory_cycles, latency, algorithm_cycles, runtime_cycles, logical_steps, d
    )


def _rotation_note(x: LogicalInput, conv: Conventions) -> str:
    return (
        "rotations synthesized by Beverland et al.'s 0.53 log2(1/eps) + 5.3 T at eps = "
        f"budget / 3 / rotations (Qualtran's BeverlandEtAlRotationCost), not by the "
        f"conventions' {conv.rotation_model}; rotation depth "
        f"{'given' if x.rotation_depth is not None else 'taken = rotations'}"
    )


def _result(
    x: LogicalInput,
    a: PhysicalAssumptions,
    conv: Conventions,
    supply: _Supply,
    s: _Schedule,
    *,
    tiles: int,
    third: Fraction,
    t_rot: int,
    errors: tuple[Fraction, Fraction, Fraction],
    notes: list[str],
    reason: str,
) -> PhysicalEstimate:
    """The estimate record; `errors` = (logical, distillation, rotations) expected failures."""
    logical, distill, rot_error = errors
    expected = to_float(logical) + to_float(distill) + to_float(rot_error)
    d, n_f, t_states = s.d, s.n_factories, supply.states
    data_qubits = 2 * d * d * tiles
    return PhysicalEstimate(
        model="beverland",
        physical_qubits=data_qubits + n_f * supply.qubits,
        code_distance=d,
        data_qubits=data_qubits,
        n_factories=n_f,
        factory=supply.name,
        factory_qubits=supply.qubits,
        magic_states=t_states,
        time_per_magic_state_s=(
            Fraction(supply.single_cycles, t_states) * a.cycle_s if t_states else Fraction(0)
        ),
        factory_limited_time_s=s.factory_cycles * a.cycle_s,
        reaction_limited_time_s=x.toffoli_depth * a.reaction_s,
        algorithm_limited_time_s=s.algorithm_cycles * a.cycle_s,
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
        logical_error=to_float(logical),
        distillation_error=to_float(distill),
        rotation_error=to_float(rot_error),
        first_state_latency_s=s.latency_cycles * a.cycle_s,
        budget_shares=(third, third, third),
        distillation=supply.multi,
        t_per_rotation=t_rot,
        rotation_eps=_rotation_eps(third, x.rotations),
    )


def beverland_estimate(
    x: LogicalInput, a: PhysicalAssumptions, conv: Conventions
) -> PhysicalEstimate:
    qec = QECScheme.make_beverland_et_al()
    p = a.physical_error
    check_below_threshold(qec, p)
    eps = a.error_budget
    gates = GateCounts(t=x.t, toffoli=x.toffoli, rotation=x.rotations, measurement=x.measurements)
    algo = AlgorithmSummary(
        n_algo_qubits=x.qubits, n_logical_gates=gates, n_rotation_layers=x.rotation_depth
    )
    third = fraction(eps) / 3
    steps, t_states, t_rot = _steps_and_t_states(x, algo, eps, third)
    tiles = _fast_tiles(x.qubits)
    distance = _distance_rule(x, a, algo, qec, third, tiles)
    d = a.data_distance or distance(steps)
    reaction_time = x.toffoli_depth * a.reaction_s
    if reaction_time > steps * d * a.cycle_s and not a.data_distance:
        # Data must survive the reaction-limited run: charge that many logical steps (computed
        # with the smaller d, hence at least the true number).
        d = distance(max(steps, ceil_div(reaction_time, d * a.cycle_s)))
    reaction_cycles = ceil_div(reaction_time, a.cycle_s)
    supply, notes, reason = _factory_supply(a, qec, t_states, third)
    s = _schedule(a, qec, supply, steps, d, reaction_cycles, tiles, third, distance)
    logical = tiles * s.logical_steps * p_logical(qec, p, s.d)
    distill = supply.error
    rot_error = third if x.rotations else Fraction(0)
    exact = logical + distill + rot_error
    if not reason and exact > fraction(eps):
        reason = (
            f"expected failures {sci(exact)} (logical {sci(logical)}, distillation "
            f"{sci(distill)}, rotations {sci(rot_error)}) exceed the "
            f"budget {eps:g}"
        )
    if reason:
        notes.append(f"invalid: {reason}")
    if x.rotations:
        notes.append(_rotation_note(x, conv))
    return _result(
        x,
        a,
        conv,
        supply,
        s,
        tiles=tiles,
        third=third,
        t_rot=t_rot,
        errors=(logical, distill, rot_error),
        notes=notes,
        reason=reason,
    )
