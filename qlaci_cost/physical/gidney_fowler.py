"""The `gidney-fowler` model: CCZ2T factories, `SimpleDataBlock`, reaction-limited runtime.

Catalyzed CCZ->2T factories (`CCZ2TFactory`, arXiv:1812.01238), `SimpleDataBlock` with 50%
routing overhead, p_L(d) = 0.1 (p / 0.01)^((d+1)/2) per tile per cycle
(`QECScheme.make_gidney_fowler`), wall clock = max(factory-limited, reaction-limited) with the
reaction time of Gidney & Ekera (arXiv:1905.09749).
"""

from collections.abc import Iterator
from fractions import Fraction

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
from qlaci_cost.physical.arithmetic import (
    _FLOAT_SAFE,
    _ceil_div,
    _code_distance,
    _decimal,
    _p_logical,
    _to_float,
)
from qlaci_cost.physical.params import (
    DISTILLATION_SHARE,
    LogicalInput,
    PhysicalAssumptions,
    _check_below_threshold,
)
from qlaci_cost.physical.result import PhysicalEstimate


def _ccz2t_candidates() -> Iterator[CCZ2TFactory]:
    """Qualtran's grid of CCZ2T distances, extended to l1 <= 29, l2 <= 59 for large counts."""
    return iter_ccz2t_factories(l1_start=5, l1_stop=31, l2_stop=61)


def _ccz2t_cycles(factory: CCZ2TFactory, n_ccz: int, n_t: int, lem: LogicalErrorModel) -> int:
    """Cycles for one CCZ2T factory to make the states (`CCZ2TFactory.n_cycles`).

    Exact transcription for large counts: ceil((ccz_states x 5.5 + ceil(n_t/2)) x
    max(2 l1 + 1, l2)) with ccz_states = n_ccz + ceil(n_t/2).
    """
    if n_ccz + n_t < _FLOAT_SAFE:
        return int(factory.n_cycles(GateCounts(t=n_t, toffoli=n_ccz), lem))
    d = max(2 * factory.distillation_l1_d + 1, factory.distillation_l2_d)
    cat = _ceil_div(n_t, 2)
    return _ceil_div(((n_ccz + cat) * Fraction(11, 2) + cat) * d, 1)


def _simple_tiles(qubits: int, overhead: float) -> int:
    if qubits < _FLOAT_SAFE:
        return SimpleDataBlock(data_d=3, routing_overhead=overhead).n_tiles(qubits)
    return _ceil_div((1 + _decimal(overhead)) * qubits, 1)


def _choose_ccz2t(
    lem: LogicalErrorModel, states: int, share: Fraction
) -> tuple[CCZ2TFactory, bool]:
    """Least spacetime per CCZ state (qubits x distillation distance) within `share`."""
    best, lowest = None, None
    for f in _ccz2t_candidates():
        err = Fraction(f.l2_error(lem))
        volume = f.n_physical_qubits() * max(2 * f.distillation_l1_d + 1, f.distillation_l2_d)
        if err * states <= share and (best is None or volume < best[0]):
            best = (volume, f)
        if lowest is None or (err, volume) < lowest[:2]:
            lowest = (err, volume, f)
    if best is not None:
        return best[1], True
    return lowest[2], False


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


def _gidney_fowler(x: LogicalInput, a: PhysicalAssumptions, conv: Conventions) -> PhysicalEstimate:
    qec = QECScheme.make_gidney_fowler()
    p = a.physical_error
    _check_below_threshold(qec, p)
    lem = LogicalErrorModel(qec_scheme=qec, physical_error=p)
    budget = _decimal(a.error_budget)
    notes = []
    n_ccz, n_t = x.toffoli, x.t_states
    states = n_ccz + _ceil_div(n_t, 2)  # CCZ2TFactory: one CCZ state per Toffoli or per 2 T
    reaction_time = x.toffoli_depth * a.reaction_s
    reaction_cycles = _ceil_div(reaction_time, a.cycle_s)

    if a.factory:
        factory, ok = CCZ2TFactory(*a.factory), True
    else:
        factory, ok = _choose_ccz2t(lem, states, budget * DISTILLATION_SHARE)
    factory_error = Fraction(factory.l2_error(lem)) * states
    if a.factory and factory_error > budget:
        notes.append(
            f"the given factory's distillation error {_to_float(factory_error):.2g} exceeds "
            f"the budget {a.error_budget:g}"
        )
    elif not ok:
        notes.append(
            f"no two-level CCZ2T factory reaches the needed per-state error "
            f"{_to_float(budget * DISTILLATION_SHARE / states):.2g} at p = {p:g} (best "
            f"{factory.l2_error(lem):.2g}); a third distillation level would be needed, so "
            "this estimate is a lower bound on the cost"
        )
    single = _ccz2t_cycles(factory, n_ccz, n_t, lem)
    if a.n_factories is not None:
        n_f = a.n_factories
    elif states == 0:
        n_f = 0
    elif reaction_cycles == 0:
        raise ValueError(
            f"toffoli_depth=0 with {states} magic states is not allowed in automatic mode: "
            "give the toffoli_depth, or n_factories"
        )
    else:
        n_f = _ceil_div(single, reaction_cycles)
    factory_cycles = _ceil_div(single, n_f) if n_f else 0
    runtime = max(factory_cycles * a.cycle_s, reaction_time)
    runtime_cycles = max(factory_cycles, reaction_cycles)

    tiles = _simple_tiles(x.qubits, a.routing_overhead)
    data_budget = budget - factory_error
    if data_budget <= 0:
        data_budget = budget * (1 - DISTILLATION_SHARE)
    d = a.data_distance or _code_distance(qec, p, data_budget, tiles * runtime_cycles)

    small = max(n_ccz + n_t, x.qubits, runtime_cycles * max(tiles, 1)) < _FLOAT_SAFE
    if small and n_f:
        cost_model = PhysicalCostModel(
            physical_params=PhysicalParameters(physical_error=p, cycle_time_us=a.cycle_time_us),
            data_block=_ReactionLimitedDataBlock(
                data_d=d, routing_overhead=a.routing_overhead, reaction_cycles=reaction_cycles
            ),
            factory=MultiFactory(base_factory=factory, n_factories=n_f),
            qec_scheme=qec,
        )
        algo = AlgorithmSummary(
            n_algo_qubits=x.qubits, n_logical_gates=GateCounts(t=n_t, toffoli=n_ccz)
        )
        physical_qubits = int(cost_model.n_phys_qubits(algo))
        failure = float(cost_model.error(algo))
    else:
        physical_qubits = n_f * factory.n_physical_qubits() + 2 * d * d * tiles
        failure = _to_float(factory_error + tiles * runtime_cycles * _p_logical(qec, p, d))
    if x.rotations:
        notes.append(
            f"{x.rotations} rotations synthesized as {x.t_per_rotation} T each "
            f"({conv.rotation_model}, eps={conv.eps}); toffoli_depth counts a rotation as one "
            "reaction layer, so the reaction limit is a lower bound if rotations are sequential"
        )
    return PhysicalEstimate(
        model="gidney-fowler", physical_qubits=physical_qubits, code_distance=d,
        data_qubits=2 * d * d * tiles, n_factories=n_f,
        factory=f"CCZ2T(l1={factory.distillation_l1_d}, l2={factory.distillation_l2_d})",
        factory_qubits=factory.n_physical_qubits(), magic_states=states,
        time_per_magic_state_s=Fraction(single, states) * a.cycle_s if states else Fraction(0),
        factory_limited_time_s=factory_cycles * a.cycle_s, reaction_limited_time_s=reaction_time,
        algorithm_limited_time_s=None, runtime_s=runtime, runtime_cycles=runtime_cycles,
        failure_probability=failure, within_budget=failure <= a.error_budget, inputs=x,
        params=a, conventions=conv, notes=tuple(notes),
    )  # fmt: skip
