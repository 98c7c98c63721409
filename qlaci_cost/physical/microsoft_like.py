"""The `microsoft-like` model: the schedule, distances and factory choice of Microsoft's estimator.

Mirrors Microsoft's resource estimator (Beverland et al., "Assessing requirements to scale to
practical quantum advantage", arXiv:2211.07629, Sec. IV and Appendices C-D) from the formulas of
the paper, so that its numbers can be compared like for like with `physical.microsoft_estimate`:

- layout: Q_alg = 2Q + ceil(sqrt(8Q)) + 1 logical tiles of 2 d^2 physical qubits (eq. D1);
- budget: `budget.split_budget` (thirds with rotations, halves without);
- rotations: T per rotation = ceil(0.53 log2(R / eps_rotations) + 4.86), the estimator's
  synthesis (`MICROSOFT_SYNTHESIS`; the beverland model keeps the published + 5.3);
- schedule: sequential logical steps of d code cycles, C = M + R + T + 3 CCZ + D_R x T_rot
  steps (measurements, rotations, T gates, 3 per CCZ, and D_R rotation layers of T_rot
  T steps: eq. D3); magic states M_T = T + 4 CCZ + R x T_rot;
- distance: the smallest odd d with Q_alg C p_L(d) <= eps_logical, p_L(d) = 0.03 (p /
  0.01)^((d+1)/2);
- factories: `distillation.find_factories` with target eps_distillation / M_T and distances up
  to d; the one of least volume per output state whose run fits in the algorithm's time,
  else the smallest volume whose run fits in the longest schedule d allows (the schedule then
  waits for it: its first states cannot be used before they exist); if none, the next
  distance; factories = ceil(M_T x run time / (outputs x algorithm time)). With a given number
  of factories k (`n_factories`, the frontier) as the estimator's frontier mode: at each
  distance from the smallest up, the factory of least volume whose run fits the steps that
  distance allows, and C = max(C_layout, ceil(ceil(M_T / (k outputs)) x run time / d cycles))
  counted at that distance; the first distance where C fits.

The estimator's floating-point arithmetic is followed where it is exact (Q_alg C < 2^64);
beyond, the same comparisons run on exact fractions, so counts of any size get an answer (an
invalid one, with the reason, when no distance up to 50 suffices). It has no reaction-time
limit (Microsoft's estimator has no T-depth input) and counts no routing beyond eq. D1.
Derivation and measured parity: docs/derivations/physical.md#microsoft-like.
"""

import math
from fractions import Fraction
from typing import Optional

from attrs import frozen

from qlaci_cost.core.conventions import Conventions, RotationSynthesis
from qlaci_cost.physical.arithmetic import (
    log2_ratio,
    sci,
    to_float,
)
from qlaci_cost.physical.budget import split_budget, union_bound
from qlaci_cost.physical.distillation import Factory, find_factories
from qlaci_cost.physical.params import LogicalInput, PhysicalAssumptions, check_below_threshold
from qlaci_cost.physical.result import PhysicalEstimate
from qlaci_cost.symbolics.exact import fraction

__all__ = [
    "MAX_DISTANCE",
    "MICROSOFT_SYNTHESIS",
    "microsoft_like_estimate",
    "microsoft_like_tiles",
    "t_per_rotation",
]

#: Largest code distance considered (Microsoft's surface code `maxCodeDistance`).
MAX_DISTANCE = 50
SCALER, THRESHOLD = 0.03, 0.01
#: Rotation synthesis of Microsoft's estimator: ceil(0.53 log2(R / eps_rotations) + 4.86) T per
#: rotation (R rotations, eps_rotations their share of the budget).
MICROSOFT_SYNTHESIS = RotationSynthesis(
    "microsoft-estimator",
    0.53,
    4.86,
    "Microsoft's resource estimator (qsharp 1.31 on qdk 1.33: NUM_TS_PER_ROTATION_A/B_COEFFICIENT"
    " = 0.53, 4.86), its fit of Kliuchnikov et al. arXiv:2203.10064",
)
#: The estimator multiplies logical qubits by steps in 64-bit integers; at or above this the
#: product wraps (`microsoft.microsoft_estimate` refuses such results).
U64 = 2**64


def microsoft_like_tiles(qubits: int) -> int:
    """Q_alg = 2Q + ceil(sqrt(8Q)) + 1 (Beverland et al. eq. D1), exact; 1 tile for Q = 0, as
    the estimator's layout gives."""
    root = math.isqrt(8 * qubits)
    return 2 * qubits + root + (root * root < 8 * qubits) + 1


def t_per_rotation(rotations: int, error_budget: float) -> int:
    """T per rotation of Microsoft's estimator at a total budget (its rotation share a third):
    ceil(0.53 log2(R / (budget / 3)) + 4.86), in its floating-point arithmetic below 2^64
    rotations, from the logarithms of the exact values above."""
    if not rotations:
        return 0
    a, b = MICROSOFT_SYNTHESIS.slope, MICROSOFT_SYNTHESIS.offset
    if rotations < U64:
        return max(1, math.ceil(a * math.log2(rotations / (error_budget / 3)) + b))
    return max(1, math.ceil(a * log2_ratio(rotations, fraction(error_budget) / 3) + b))


def _p_l(p: float, d: int) -> float:
    return SCALER * (p / THRESHOLD) ** ((d + 1) // 2)


def _distance(p: float, share: Fraction, tiles: int, cycles: int):
    """Smallest odd d <= MAX_DISTANCE with tiles x cycles x p_L(d) <= share, or None."""
    distances = range(3, MAX_DISTANCE + 1, 2)
    if tiles * cycles < U64:  # the estimator's arithmetic
        need = float(share) / (tiles * cycles)
        return next((d for d in distances if _p_l(p, d) <= need), None)
    return next((d for d in distances if tiles * cycles * Fraction(_p_l(p, d)) <= share), None)


def _max_cycles(p: float, share: Fraction, tiles: int, d: int) -> int:
    """Most logical steps distance d allows: floor(share / (tiles x p_L(d)))."""
    p_l = _p_l(p, d)
    if tiles < U64 and p_l > 1e-290:  # the estimator's arithmetic
        return math.floor(float(share) / (tiles * p_l))
    exact = Fraction(SCALER) * (Fraction(p) / Fraction(THRESHOLD)) ** ((d + 1) // 2)
    return math.floor(share / (tiles * exact))


def _pick(factories, cycles: int, cycle_d: Fraction, max_cycles: int):
    """(factory, cycles) as Microsoft's estimator picks them, or None."""
    time = cycles * cycle_d
    fits = [f for f in factories if f.duration_s <= time]
    if fits:
        return min(fits, key=lambda f: f.normalized_volume()), cycles
    waits = [(f, math.ceil(f.duration_s / cycle_d)) for f in factories]
    waits = [(f, c) for f, c in waits if c <= max_cycles]
    if waits:
        return min(waits, key=lambda fc: fc[0].normalized_volume())
    return None


def _factories(p: float, target: float, a: PhysicalAssumptions, d: int):
    return find_factories(p, target, a.cycle_s, d, SCALER, THRESHOLD)


def _no_distance(p: float, share: Fraction, tiles: int, cycles: int) -> str:
    return (
        f"no code distance up to {MAX_DISTANCE} reaches the logical error "
        f"{sci(share / (tiles * cycles))} per tile per step at p = {p:g} "
        f"({sci(tiles)} tiles x {sci(cycles)} steps)"
    )


def _no_factory(target: float) -> str:
    return f"no factory of up to 5 rounds of 15-to-1 reaches {target:.2g} per T state"


def _auto_schedule(p, a, share: Fraction, tiles: int, steps: int, states: int, target: float):
    """(d, cycles, factory, reason) as the estimator without constraints: raise the steps past
    what a distance allows until some factory's run fits."""
    cycles, raised = max(steps, 1), False
    while True:
        d = _distance(p, share, tiles, cycles)
        if d is None:
            why = _no_factory(target) if raised else _no_distance(p, share, tiles, cycles)
            return None, max(steps, 1), None, why
        if not states:
            return d, cycles, None, ""
        max_cycles = _max_cycles(p, share, tiles, d)
        pick = _pick(_factories(p, target, a, d), cycles, d * a.cycle_s, max_cycles)
        if pick is not None:
            return d, pick[1], pick[0], ""
        cycles, raised = max_cycles + 1, True


def _fixed_schedule(p, a, share: Fraction, tiles: int, steps: int, states: int, target: float):
    """(d, cycles, factory, reason) with `a.n_factories` factories, as the estimator's frontier:
    from the smallest distance up, the factory of least volume whose run fits the steps the
    distance allows; the steps at that distance are the larger of the layout's and the
    factories' (all their runs); the first distance where they fit."""
    layout = max(steps, 1)
    start = _distance(p, share, tiles, layout)
    if start is None:
        return None, layout, None, _no_distance(p, share, tiles, layout)
    if not states:
        return start, layout, None, ""
    for d in range(start, MAX_DISTANCE + 1, 2):
        max_cycles, cycle_d = _max_cycles(p, share, tiles, d), d * a.cycle_s
        fit = [f for f in _factories(p, target, a, d) if f.duration_s <= max_cycles * cycle_d]
        if not fit:
            continue
        f = min(fit, key=lambda f: f.normalized_volume())
        runs = -(-states // (a.n_factories * f.output_states))
        cycles = max(layout, math.ceil(runs * f.duration_s / cycle_d))
        if cycles <= max_cycles:
            return d, cycles, f, ""
    if not _factories(p, target, a, MAX_DISTANCE):
        return None, layout, None, _no_factory(target)
    return (
        None,
        layout,
        None,
        (
            f"{a.n_factories} factories cannot make the {sci(states)} T states before the data "
            f"errors exceed their share at any distance up to {MAX_DISTANCE}"
        ),
    )


def _scaled(n: int, x: float) -> float:
    """n x (a float), as float arithmetic below 2^64, exactly rounded above (inf past 1e300)."""
    return n * x if n < U64 else to_float(n * Fraction(x))


def _notes(x: LogicalInput, a, conv: Conventions, steps: int, cycles: int, factory, t_rot: int):
    notes = []
    if factory is not None and cycles > max(steps, 1):
        notes.append(
            f"the schedule lasts {sci(cycles)} logical steps, beyond its {sci(steps)}: it "
            f"waits for magic states (one factory run takes "
            f"{float(factory.duration_s) * 10**6:.4g} us)"
        )
    if x.rotations:
        notes.append(
            f"rotations synthesized as Microsoft's estimator does, "
            f"ceil(0.53 log2(rotations / eps_rotations) + 4.86) = {t_rot} T each at "
            f"eps_rotations = budget / 3, not by the conventions' {conv.rotation_model} "
            f"(Beverland et al.'s published + 5.3 is the beverland model's)"
        )
    return notes


def _reaction_note(x: LogicalInput, a, runtime: Fraction, notes: list) -> bool:
    """True (and a note) if toffoli_depth reaction times exceed the schedule: it has none."""
    reaction = x.toffoli_depth * a.reaction_s
    if reaction <= runtime:
        return False
    notes.append(
        f"lower bound: this schedule has no reaction time (as Microsoft's estimator), but "
        f"toffoli_depth {x.toffoli_depth} x {a.reaction_time_us:g} us = "
        f"{sci(reaction)} s of reaction-limited layers exceed its {sci(runtime)} s"
    )
    return True


def _factory_use(a: PhysicalAssumptions, factory, states: int, runtime: Fraction):
    """(factories, qubits per factory, latency, distillation error): the given number of
    factories, else enough to make the states in the runtime; zeros without a factory."""
    if factory is None:
        return 0, 0, Fraction(0), 0.0
    n_f = a.n_factories or math.ceil(
        states * factory.duration_s / (factory.output_states * runtime)
    )
    return n_f, factory.qubits, factory.duration_s, _scaled(states, factory.output_error)


@frozen
class _Plan:
    """The schedule: layout tiles, logical steps and magic states of the counts; the distance,
    steps and factory chosen (None without one), and why there is no valid one ("" if there is)."""

    tiles: int
    steps: int
    states: int
    d: int
    cycles: int
    factory: Optional[Factory]
    reason: str


def _plan(x: LogicalInput, a: PhysicalAssumptions, shares, t_rot: int) -> _Plan:
    """Steps and states of eq. D3-D4, then the estimator's schedule (auto, or `n_factories`)."""
    p = a.physical_error
    tiles = microsoft_like_tiles(x.qubits)
    depth_r = x.rotations if x.rotation_depth is None else x.rotation_depth
    steps = x.measurements + x.rotations + x.t + 3 * x.toffoli + depth_r * t_rot
    states = x.t + 4 * x.toffoli + x.rotations * t_rot
    target = float(shares.distillation / states) if states else math.inf
    schedule = _fixed_schedule if a.n_factories else _auto_schedule
    d, cycles, factory, reason = schedule(p, a, shares.logical, tiles, steps, states, target)
    return _Plan(tiles, steps, states, d or MAX_DISTANCE, cycles, factory, reason)


def _rotation_eps(shares, rotations: int) -> Optional[object]:
    """eps_rot = rotation share / rotations: a float, or a Fraction below 1e-300 (None: none)."""
    if not rotations:
        return None
    ratio = shares.rotations / rotations
    return float(ratio) if ratio > Fraction(1, 10**300) else ratio


def _result(
    x: LogicalInput,
    a: PhysicalAssumptions,
    conv: Conventions,
    shares,
    s: _Plan,
    *,
    t_rot: int,
    use: tuple,
    errors: tuple[float, float, float],
    valid: bool,
    lower: bool,
    reason: str,
    notes: list[str],
) -> PhysicalEstimate:
    """The estimate record; `use` = `_factory_use(...)`, `errors` = (logical, distillation,
    rotations) expected failures."""
    n_f, f_qubits, latency, _ = use
    logical, distill, rot_err = errors
    expected = logical + distill + rot_err
    factory, states, d = s.factory, s.states, s.d
    cycle_d = d * a.cycle_s
    data_qubits = 2 * d * d * s.tiles
    return PhysicalEstimate(
        model="microsoft-like",
        physical_qubits=data_qubits + n_f * f_qubits,
        code_distance=d,
        data_qubits=data_qubits,
        n_factories=n_f,
        factory=factory.describe() if factory else "none",
        factory_qubits=f_qubits,
        magic_states=states,
        time_per_magic_state_s=(latency / factory.output_states if factory else Fraction(0)),
        factory_limited_time_s=(
            -(-states // (n_f * factory.output_states)) * latency if n_f else Fraction(0)
        ),
        reaction_limited_time_s=Fraction(0),
        algorithm_limited_time_s=s.steps * cycle_d,
        lower_bound=lower,
        runtime_s=s.cycles * cycle_d,
        runtime_cycles=s.cycles * d,
        failure_probability=union_bound(expected),
        within_budget=valid,
        inputs=x,
        params=a,
        conventions=conv,
        notes=tuple(notes),
        valid=valid,
        invalid_reason=reason,
        expected_failures=expected,
        logical_error=logical,
        distillation_error=distill,
        rotation_error=rot_err,
        first_state_latency_s=latency,
        budget_shares=tuple(shares),
        rotation_eps=_rotation_eps(shares, x.rotations),
        t_per_rotation=t_rot,
        distillation=factory,
    )


def microsoft_like_estimate(x: LogicalInput, a: PhysicalAssumptions, conv: Conventions):
    p = a.physical_error
    from qualtran.surface_code import QECScheme

    check_below_threshold(QECScheme.make_beverland_et_al(), p)
    budget = fraction(a.error_budget)
    shares = split_budget(budget, x.rotations, bool(x.t or x.toffoli or x.rotations))
    t_rot = t_per_rotation(x.rotations, a.error_budget)
    s = _plan(x, a, shares, t_rot)
    runtime = s.cycles * (s.d * a.cycle_s)
    use = _factory_use(a, s.factory, s.states, runtime)
    logical = _scaled(s.tiles * s.cycles, _p_l(p, s.d))
    rot_err = float(shares.rotations) if x.rotations else 0.0
    expected = logical + use[3] + rot_err
    valid = not s.reason and expected <= float(budget) * (1 + 1e-12)
    reason = s.reason
    if not valid and not reason:
        reason = f"expected failures {expected:.3g} exceed the budget {a.error_budget:g}"
    notes = [f"invalid: {reason}"] if reason else []
    notes += _notes(x, a, conv, s.steps, s.cycles, s.factory, t_rot)
    lower = valid and _reaction_note(x, a, runtime, notes)
    return _result(
        x,
        a,
        conv,
        shares,
        s,
        t_rot=t_rot,
        use=use,
        errors=(logical, use[3], rot_err),
        valid=valid,
        lower=lower,
        reason=reason,
        notes=notes,
    )
