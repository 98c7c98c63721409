"""The `microsoft-like` model: the schedule, distances and factory choice of Microsoft's estimator.

Mirrors Microsoft's resource estimator (Beverland et al., "Assessing requirements to scale to
practical quantum advantage", arXiv:2211.07629, Sec. IV and Appendices C-D) from the formulas of
the paper, so that its numbers can be compared like for like with `physical.microsoft_estimate`:

- layout: Q_alg = 2Q + ceil(sqrt(8Q)) + 1 logical tiles of 2 d^2 physical qubits (eq. D1);
- budget: `budget.split_budget` (thirds with rotations, halves without);
- rotations: T per rotation = the conventions' model at eps_rot = eps_rotations / R;
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
  of factories (`n_factories`, the frontier) the schedule lasts until they made every state,
  at a larger distance if the data must survive longer (as Microsoft's frontier mode).

It has no reaction-time limit (Microsoft's estimator has no T-depth input) and counts no routing
beyond eq. D1. Derivation and measured parity: docs/derivations/physical.md#microsoft-like.
"""

import math
from fractions import Fraction

from qlaci_cost.core.conventions import Conventions
from qlaci_cost.physical.arithmetic import _decimal
from qlaci_cost.physical.budget import rotation_synthesis, split_budget, union_bound
from qlaci_cost.physical.distillation import Factory, find_factories
from qlaci_cost.physical.params import LogicalInput, PhysicalAssumptions, _check_below_threshold
from qlaci_cost.physical.result import PhysicalEstimate

__all__ = ["MAX_DISTANCE", "microsoft_like_tiles"]

#: Largest code distance considered (Microsoft's surface code `maxCodeDistance`).
MAX_DISTANCE = 50
SCALER, THRESHOLD = 0.03, 0.01


def microsoft_like_tiles(qubits: int) -> int:
    """Q_alg = 2Q + ceil(sqrt(8Q)) + 1 (Beverland et al. eq. D1), exact."""
    if qubits == 0:
        return 0
    root = math.isqrt(8 * qubits)
    return 2 * qubits + root + (root * root < 8 * qubits) + 1


def _p_l(p: float, d: int) -> float:
    return SCALER * (p / THRESHOLD) ** ((d + 1) // 2)


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


def _microsoft_like(x: LogicalInput, a: PhysicalAssumptions, conv: Conventions):
    p = a.physical_error
    from qualtran.surface_code import QECScheme

    _check_below_threshold(QECScheme.make_beverland_et_al(), p)
    budget = _decimal(a.error_budget)
    tiles = microsoft_like_tiles(x.qubits)
    shares = split_budget(budget, x.rotations, bool(x.t or x.toffoli or x.rotations))
    eps_rot, t_rot = rotation_synthesis(conv, shares.rotations, x.rotations)
    depth_r = x.rotations if x.rotation_depth is None else x.rotation_depth
    steps = x.measurements + x.rotations + x.t + 3 * x.toffoli + depth_r * t_rot
    states = x.t + 4 * x.toffoli + x.rotations * t_rot
    notes: list[str] = []
    cycles = max(steps, 1)
    target = float(shares.distillation / states) if states else math.inf
    factory: Factory | None = None
    reason = ""
    while True:
        need = float(shares.logical) / (tiles * cycles)
        d = next((d for d in range(3, MAX_DISTANCE + 1, 2) if _p_l(p, d) <= need), None)
        if d is None:
            reason = (
                f"no code distance up to {MAX_DISTANCE} reaches the logical error "
                f"{need:.2g} per tile per step at p = {p:g}"
            )
            break
        max_cycles = math.floor(float(shares.logical) / (tiles * _p_l(p, d)))
        if not states:
            break
        cycle_d = d * a.cycle_s
        pick = _pick(find_factories(p, target, a.cycle_s, d, SCALER, THRESHOLD), cycles,
                     cycle_d, max_cycles)  # fmt: skip
        if pick is not None and a.n_factories:
            # A given number of factories: the schedule lasts until they made every state.
            runs = -(-states // (a.n_factories * pick[0].output_states))
            cycles = max(pick[1], math.ceil(runs * pick[0].duration_s / cycle_d))
            if cycles <= max_cycles:
                factory = pick[0]
                break
            continue
        if pick is not None:
            factory, cycles = pick
            break
        cycles = max_cycles + 1
    if d is None or (states and factory is None):
        reason = reason or (
            f"no factory of up to 5 rounds of 15-to-1 reaches {target:.2g} per T state"
        )
        d = d or MAX_DISTANCE
    cycle_d = d * a.cycle_s
    runtime = cycles * cycle_d
    if factory is not None:
        n_f = a.n_factories or int(
            -(-states * factory.duration_s // (factory.output_states * runtime))
        )
        f_qubits, latency = factory.qubits, factory.duration_s
        distill = factory.output_error * states
    else:
        n_f, f_qubits, latency, distill = 0, 0, Fraction(0), 0.0
    data_qubits = 2 * d * d * tiles
    logical = tiles * cycles * _p_l(p, d)
    rot_err = float(shares.rotations) if x.rotations else 0.0
    expected = logical + distill + rot_err
    valid = not reason and expected <= float(budget) * (1 + 1e-12)
    if not valid and not reason:
        reason = f"expected failures {expected:.3g} exceed the budget {a.error_budget:g}"
    if reason:
        notes.append(f"invalid: {reason}")
    if factory is not None and cycles > max(steps, 1):
        notes.append(
            f"the schedule lasts {cycles} logical steps, beyond its {steps}: it waits for "
            f"magic states (one factory run takes {float(factory.duration_s) * 10**6:.4g} us)"
        )
    reaction = x.toffoli_depth * a.reaction_s
    lower = valid and reaction > runtime
    if lower:
        notes.append(
            f"lower bound: this schedule has no reaction time (as Microsoft's estimator), but "
            f"toffoli_depth {x.toffoli_depth} x {a.reaction_time_us:g} us = "
            f"{float(reaction):.3g} s of reaction-limited layers exceed its {float(runtime):.3g} s"
        )
    return PhysicalEstimate(
        model="microsoft-like", physical_qubits=data_qubits + n_f * f_qubits, code_distance=d,
        data_qubits=data_qubits, n_factories=n_f,
        factory=factory.describe() if factory else "none", factory_qubits=f_qubits,
        magic_states=states,
        time_per_magic_state_s=(latency / factory.output_states if factory else Fraction(0)),
        factory_limited_time_s=(
            -(-states // (n_f * factory.output_states)) * latency if n_f else Fraction(0)
        ),
        reaction_limited_time_s=Fraction(0), algorithm_limited_time_s=steps * cycle_d,
        lower_bound=lower,
        runtime_s=runtime, runtime_cycles=cycles * d,
        failure_probability=union_bound(expected), within_budget=valid, inputs=x, params=a,
        conventions=conv, notes=tuple(notes), valid=valid, invalid_reason=reason,
        expected_failures=expected, logical_error=logical, distillation_error=distill,
        rotation_error=rot_err, first_state_latency_s=latency, budget_shares=tuple(shares),
        rotation_eps=eps_rot, t_per_rotation=t_rot, distillation=factory,
    )  # fmt: skip
