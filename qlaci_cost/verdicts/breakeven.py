"""Break-even: the value of one knob at which a QLACI head's runtime equals a classical head's.

Derivation and ranges: docs/derivations/breakeven.md.

For each QRAM model x classical baseline x N and each knob in turn (the others held at the
scenario's values), `breakeven` searches the knob's physical range for the value at which the
quantum head's physical runtime equals the classical head's roofline runtime: the same two
functions the crossover compares (`head_rows` + `head_estimate`; `roofline.runtime_seconds`).
The search is a bisection on a log scale (integers for integer knobs) between the ends of the
range, assuming the quantum / classical ratio is monotone in the knob over the range; the two
ends are evaluated first, so a knob that cannot flip the verdict anywhere in its range is
reported "never in [range]" without a search.

Knobs (`KNOBS`): the surface code's reaction time, cycle time and physical error rate; the
readout's precision value (eps) and method; the number P of identical QPUs sharing the head's
runs (quantum time / P); the ideal QRAM's c and k (ideal model only); and the classical
kernel's efficiency f as a fraction of its roofline (classical time / f). A joint pair,
reaction time x readout method, searches the reaction time under each readout method.

An estimate outside its error budget (or one the physical model refuses) is not an estimate:
it counts as "not faster" at that knob value.
"""

import contextlib
import math
import sys
from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any, Optional, Union

from attrs import frozen

from qlaci_cost.analysis.baselines import CROSSOVER_BASELINES, baseline_options_for
from qlaci_cost.analysis.classical import get_hardware, runtime_seconds
from qlaci_cost.analysis.crossover_result import log2_text
from qlaci_cost.analysis.precision import Precision
from qlaci_cost.analysis.scenario import Scenario, as_scenario
from qlaci_cost.analysis.shots import METHODS
from qlaci_cost.core.progress import Progress
from qlaci_cost.errors import InputError
from qlaci_cost.qlaci.head_rows import head_estimate, head_rows
from qlaci_cost.qram import MODELS
from qlaci_cost.qram.interface import pad_cells
from qlaci_cost.symbolics.exact import fraction

__all__ = [
    "BREAKEVEN_BASELINES",
    "COLUMNS",
    "DEFAULT_MACHINE_QUBITS",
    "KNOBS",
    "Knob",
    "bisect_flip",
    "breakeven",
]

#: Physical qubits of the stated machine that bounds the number of QPUs P: 10^8, a hundred
#: times the million-qubit scale of today's largest fault-tolerant resource estimates
#: (generous to the quantum side).
DEFAULT_MACHINE_QUBITS = 10**8
#: Baselines searched by default: the crossover's and QLACI's exact classical twin.
BREAKEVEN_BASELINES: tuple[str, ...] = CROSSOVER_BASELINES
#: Columns of the break-even table.
COLUMNS: tuple[str, ...] = (
    "model",
    "N",
    "baseline",
    "knob",
    "scenario_value",
    "breakeven_value",
    "range",
    "ratio_at_scenario",
    "verdict",
)
#: Bisection stops at this relative width of the bracket (or after MAX_STEPS steps).
REL_TOL = 1e-6
MAX_STEPS = 60


@frozen
class Knob:
    """One knob: its name, physical range [low, high], and whether it takes integers.

    `favours_low`: lower values make the quantum side relatively faster (documentation of the
    expected direction; the search finds the direction from the range's ends).
    """

    name: str
    low: float
    high: float
    why: str
    integer: bool = False
    favours_low: bool = True


def _physical(scenario: Scenario, name: str) -> float:
    return float(scenario.physical_assumptions()[name])


def knob_range(name: str, scenario: Scenario, machine_qubits: int, qubits: int) -> Knob:
    """The knob `name` with its physical range under `scenario` (`qubits`: one QPU's physical
    qubits, for P)."""
    cycle = _physical(scenario, "cycle_time_us")
    reaction = _physical(scenario, "reaction_time_us")
    if name == "reaction_time_us":
        return Knob(name, cycle, 1e4, f"reaction time >= one cycle ({cycle:g} us)")
    if name == "cycle_time_us":
        return Knob(name, 1e-3, reaction, f"cycle >= 1 ns, <= the reaction time ({reaction:g} us)")
    if name == "physical_error":
        return Knob(name, 1e-6, 5e-3, "p >= 1e-6, <= 5e-3 (below the models' 1e-2 threshold)")
    if name == "readout_eps":
        return Knob(name, 1e-6, 0.5, "precision value in [1e-6, 0.5]", favours_low=False)
    if name == "qpus":
        top = max(1, machine_qubits // max(qubits, 1))
        why = f"P <= {machine_qubits:,} physical qubits / {qubits:,} per QPU"
        return Knob(name, 1, top, why, integer=True, favours_low=False)
    if name == "ideal_c":
        return Knob(name, 1, 10**6, "c an integer >= 1 (IdealQRAM)", integer=True)
    if name == "ideal_k":
        return Knob(name, 0, 8, "k an integer >= 0 (IdealQRAM)", integer=True)
    if name == "classical_efficiency":
        return Knob(name, 1e-3, 1.0, "fraction of the roofline in [1e-3, 1]")
    raise InputError(f"knob={name!r} is not allowed: use one of {', '.join(KNOBS)}")


#: Knob names, in table order ("method" is the readout method; "reaction_time_us x method"
#: the joint pair).
KNOBS: tuple[str, ...] = (
    "reaction_time_us",
    "cycle_time_us",
    "physical_error",
    "readout_eps",
    "method",
    "qpus",
    "ideal_c",
    "ideal_k",
    "classical_efficiency",
    "reaction_time_us x method",
)
IDEAL_ONLY = ("ideal_c", "ideal_k")


def bisect_flip(
    ratio: Callable[[Any], Optional[Fraction]], low: Any, high: Any, integer: bool = False
) -> tuple[str, Any]:
    """Where `ratio(x)` (quantum / classical; None: not an estimate, counted as not faster)
    crosses 1 between `low` and `high`, assuming it is monotone there.

    Returns ("never", None) when ratio >= 1 at both ends, ("always", None) when < 1 at both,
    else ("flip", x) with x the value closest to the other end at which quantum is faster
    (ratio < 1, or == 1 within the bracket's tolerance): bisection on log x (integers:
    on x), REL_TOL relative width or MAX_STEPS steps.
    """

    def wins(x):
        r = ratio(x)
        return r is not None and r < 1

    win_lo, win_hi = wins(low), wins(high)
    if win_lo == win_hi:
        return ("always", None) if win_lo else ("never", None)
    good, bad = (low, high) if win_lo else (high, low)
    for _ in range(MAX_STEPS):
        if integer:
            if abs(good - bad) <= 1:
                break
            mid = (good + bad) // 2
        else:
            if max(good, bad) / min(good, bad) <= 1 + REL_TOL:
                break
            mid = math.sqrt(good * bad) if min(good, bad) > 0 else (good + bad) / 2
        good, bad = (mid, bad) if wins(mid) else (good, mid)
    return "flip", good


def _param_scenario(scenario: Scenario, name: str, x: float) -> Scenario:
    return scenario.evolve(physical_params={**scenario.physical_overrides, name: x})


class _Evaluator:
    """The quantum and classical runtimes of one (model, N) at knob values, cached."""

    def __init__(self, model, n, scenario, query_options, progress):
        self.model, self.n, self.scenario = model, n, scenario
        self.query_options, self.progress = query_options, progress
        self.cache: dict = {}
        hw = get_hardware(scenario.hardware)
        self.hw = hw

    def quantum(self, scenario: Scenario, qram_options: Optional[dict] = None):
        """(runtime, physical qubits) of the head under `scenario`; (None, 0) if invalid."""
        key = (scenario, tuple(sorted((qram_options or {}).items())))
        if key not in self.cache:
            self.progress()
            options = dict(self.query_options)
            if qram_options:
                options["qram_options"] = {**options.get("qram_options", {}), **qram_options}
            try:
                rows, _ = head_rows([self.model], [self.n], scenario, **options)
                e = head_estimate(rows[0], scenario)
            except ValueError:
                self.cache[key] = (None, 0)
            else:
                ok = e.within_budget is not False
                self.cache[key] = (
                    fraction(e.runtime_s, "runtime") if ok else None,
                    e.physical_qubits,
                )
        return self.cache[key]

    def classical(self, baseline: str, scenario: Scenario) -> Fraction:
        key = ("classical", baseline, scenario.hardware, scenario.head_dim)
        if key not in self.cache:
            options = baseline_options_for(baseline, scenario.baseline_options, self.query_options)
            t = runtime_seconds(
                baseline, self.n, scenario.head_dim, self.hw, scenario.bytes_per_value, **options
            )
            self.cache[key] = fraction(t, "runtime")
        return self.cache[key]


def _knob_value(name: str, scenario: Scenario, query_options: dict) -> Any:
    """The knob's value in the scenario (and the query's options)."""
    if name in ("reaction_time_us", "cycle_time_us", "physical_error"):
        return _physical(scenario, name)
    if name == "readout_eps":
        return float(scenario.precision.value)
    if name in IDEAL_ONLY:
        return dict(query_options.get("qram_options", {})).get(name[-1], 1)
    if name == "method":
        return scenario.method
    return 1  # qpus, classical_efficiency


def _ratio_function(ev: _Evaluator, name: str, baseline: str, scenario: Scenario):
    """x -> quantum / classical at knob value x (None when the estimate is not valid)."""
    classical = ev.classical(baseline, scenario)

    def over(q):
        return None if q is None else q / classical

    if name in ("reaction_time_us", "cycle_time_us", "physical_error"):
        return lambda x: over(_quantum_at(ev, lambda: _param_scenario(scenario, name, x)))
    if name == "readout_eps":
        kind = scenario.precision.kind
        return lambda x: over(
            _quantum_at(ev, lambda: scenario.evolve(precision=Precision(kind, Fraction(x))))
        )
    if name in IDEAL_ONLY:
        return lambda x: over(ev.quantum(scenario, {name[-1]: int(x)})[0])
    q0 = ev.quantum(scenario)[0]
    if name == "qpus":
        return lambda x: over(None if q0 is None else q0 / Fraction(x))
    if name == "classical_efficiency":
        return lambda x: over(None if q0 is None else q0 * Fraction(x))
    raise InputError(f"knob={name!r} is not allowed: use one of {', '.join(KNOBS)}")


def _quantum_at(ev: _Evaluator, make: Callable[[], Scenario]) -> Optional[Fraction]:
    """The quantum runtime under the scenario `make()` builds (None if it is refused)."""
    try:
        scenario = make()
    except ValueError:
        return None
    return ev.quantum(scenario)[0]


def _number(x: Any) -> str:
    return f"{x:.4g}" if isinstance(x, float) else str(x)


def _searched_row(ev, knob: Knob, baseline, scenario, label=None) -> dict[str, Any]:
    ratio = _ratio_function(ev, knob.name, baseline, scenario)
    status, value = bisect_flip(ratio, knob.low, knob.high, knob.integer)
    span = f"[{_number(knob.low)}, {_number(knob.high)}]"
    name = label or knob.name
    if status == "flip":
        side = "<=" if ratio(knob.low) is not None and ratio(knob.low) < 1 else ">="
        text, verdict = _number(value), f"quantum faster for {knob.name} {side} {_number(value)}"
    elif status == "never":
        text, verdict = f"never ({span})", "quantum slower across the range"
    else:
        text, verdict = f"always ({span})", "quantum faster across the range"
    ends = [ratio(knob.low), ratio(knob.high)]
    return {
        "knob": name,
        "breakeven_value": text,
        "range": f"{span}: {knob.why}",
        "verdict": verdict,
        "status": status,
        "value": value,
        "ratio_low": None if ends[0] is None else float(ends[0]),
        "ratio_high": None if ends[1] is None else float(ends[1]),
    }


def _method_row(ev, baseline, scenario) -> dict[str, Any]:
    wins = []
    for method in METHODS:
        try:
            s = scenario.evolve(method=method)
        except ValueError:
            continue
        r = _ratio_function(ev, "reaction_time_us", baseline, s)(_physical(s, "reaction_time_us"))
        if r is not None and r < 1:
            wins.append(method)
    span = f"{{{', '.join(METHODS)}}}"
    if wins:
        return {
            "knob": "method",
            "breakeven_value": wins[0],
            "range": span,
            "verdict": "quantum faster with " + ", ".join(wins),
            "status": "flip",
            "value": wins[0],
        }
    return {
        "knob": "method",
        "breakeven_value": f"never ({span})",
        "range": span,
        "verdict": "quantum slower with every method",
        "status": "never",
        "value": None,
    }


def _knob_rows(ev, name, baseline, scenario, machine_qubits, qubits) -> list[dict]:
    """The rows of one knob (several for the pair: one per readout method)."""
    if name == "method":
        return [_method_row(ev, baseline, scenario)]
    if name != "reaction_time_us x method":
        knob = knob_range(name, scenario, machine_qubits, qubits)
        return [_searched_row(ev, knob, baseline, scenario)]
    rows = []
    for method in METHODS:
        try:
            s = scenario.evolve(method=method)
        except ValueError:  # e.g. amplitude estimation with shots given
            continue
        knob = knob_range("reaction_time_us", s, machine_qubits, qubits)
        rows.append(_searched_row(ev, knob, baseline, s, f"{name}={method}"))
    return rows


def _applies(name: str, model: str, scenario: Scenario) -> bool:
    if name in IDEAL_ONLY:
        return model == "ideal"
    if name == "readout_eps":
        return scenario.shots is None  # given shots fix the readout
    return True


def _rows_for(ev, baselines, knobs, scenario, machine_qubits, query_options) -> list[dict]:
    q0, qubits = ev.quantum(scenario)
    rows = []
    for baseline in baselines:
        c0 = ev.classical(baseline, scenario)
        head = {
            "model": ev.model,
            "N": log2_text(ev.n),
            "baseline": baseline,
            "ratio_at_scenario": "" if q0 is None else f"{float(q0 / c0):.4g}",
            "scenario_ratio": None if q0 is None else float(q0 / c0),
        }
        for name in knobs:
            if not _applies(name, ev.model, scenario):
                continue
            value = _number(_knob_value(name.split(" x ")[0], scenario, query_options))
            for row in _knob_rows(ev, name, baseline, scenario, machine_qubits, qubits):
                rows.append({**head, "scenario_value": value, **row})
    return rows


class _Tally:
    """The search's count, named on a `core.progress.Progress` heartbeat: (model, N) pairs done
    and estimates made. Called once per estimate."""

    def __init__(self, progress: Progress, total: int):
        self.progress, self.total, self.done, self.count = progress, total, 0, 0

    def __call__(self):
        self.count += 1
        self.progress.step(f"{self.done}/{self.total} (model, N) done, {self.count} estimates")


@contextlib.contextmanager
def _heartbeat(progress: Union[bool, Progress]):
    """The `Progress` that shows the search: the caller's, else one of its own on stderr
    (True) or a silent one (False)."""
    if isinstance(progress, Progress):
        yield progress
        return
    stream, every = (sys.stderr, None) if progress else (None, 0)
    with Progress(stream, label="breakeven", every=every) as own:
        yield own


def _check_knobs(knobs: list[str], machine_qubits: Any) -> None:
    """`InputError` naming an unknown knob or a machine size that is not an integer >= 1."""
    for name in knobs:
        if name not in KNOBS:
            raise InputError(f"knob={name!r} is not allowed: use one of {', '.join(KNOBS)}")
    if (
        isinstance(machine_qubits, bool)
        or not isinstance(machine_qubits, int)
        or machine_qubits < 1
    ):
        raise InputError(f"machine_qubits={machine_qubits!r} is not allowed: an integer >= 1")


def breakeven(
    models: Iterable[str] = MODELS,
    baselines: Iterable[str] = BREAKEVEN_BASELINES,
    sizes: Iterable[int] = (2**20, 2**40),
    scenario: Optional[Scenario] = None,
    knobs: Iterable[str] = KNOBS,
    *,
    machine_qubits: int = DEFAULT_MACHINE_QUBITS,
    progress: Union[bool, Progress] = False,
    **query_options,
) -> tuple[list[dict[str, Any]], list[str]]:
    """The break-even value of every knob for every model x baseline x N.

    Args:
        models: QRAM model names.
        baselines: Classical baseline names (`BREAKEVEN_BASELINES`: the crossover's and the
            twin `qlaci-exact`).
        sizes: Sequence lengths N (padded to powers of two).
        scenario: The `Scenario` whose values the knobs start from and the others keep.
        knobs: Names of `KNOBS` (`ideal_c`, `ideal_k` apply to the ideal model only).
        machine_qubits: Physical qubits of the machine that bounds P.
        progress: Name the search's progress on a `core.progress.Progress` heartbeat (a line
            on stderr when nothing was shown for a while): the caller's, or with True one of
            its own (False: silent).
        **query_options: `QLACIQuery` options (as `crossover` takes them).

    Returns:
        (rows, notes). Each row has `COLUMNS` (text) and `status` ("flip", "never",
        "always") and `value` (the break-even value, or None); a searched knob's row also has
        `ratio_low` and `ratio_high`, the ratio at the two ends of its range (None: not a
        valid estimate there), and every row `scenario_ratio` (the ratio at the scenario's
        values, a float): what the tornado figure draws.
    """
    scenario = as_scenario(scenario)
    models, baselines, knobs = list(models), list(baselines), list(knobs)
    _check_knobs(knobs, machine_qubits)
    grid = [pad_cells(n)[0] for n in sizes]
    rows = []
    with _heartbeat(progress) as shown:
        tally = _Tally(shown, len(models) * len(grid))
        for model in models:
            for n in grid:
                ev = _Evaluator(model, n, scenario, query_options, tally)
                rows += _rows_for(ev, baselines, knobs, scenario, machine_qubits, query_options)
                tally.done += 1
    notes = [
        "each knob varied alone (the others at the scenario's values); break-even found by "
        f"bisection (log scale, relative width {REL_TOL:g}, at most {MAX_STEPS} steps) between "
        "the ends of its physical range on the crossover's exact runtimes, assuming the "
        "quantum / classical ratio is monotone in the knob there",
        "breakeven_value: the knob's value at which the quantum head is first at least as "
        "fast as the classical one; never (range): slower across the whole range; always "
        "(range): faster across it",
        "quantum: N QLACI queries x shots in sequence on one machine (qpus P: P machines "
        "sharing the runs, time / P); classical: one head's roofline time (classical_efficiency "
        "f: roofline time / f)",
        "an estimate outside its error budget is not an estimate: counted as not faster",
    ]
    return rows, notes
