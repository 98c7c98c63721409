"""Every public constructor and function, given each kind of bad value, raises `InputError`.

Each entry below is one argument of the public API and the kind of value it takes (a count,
an index, an angle, a list of angles, integer data, a probability, a positive real, a name).
Every kind of bad value that kind does not allow (wrong type, negative, zero, non-integral,
NaN, +inf, -inf, huge, bool, empty) is passed in turn: the call must raise `InputError` (not a
plain ValueError, TypeError, KeyError or OverflowError, and never accept or truncate it) with
a one-line message that names the value.
"""

import math
from fractions import Fraction

import pytest
import sympy

from qlaci_cost import Conventions, InputError, cost_summary, evaluate, physical
from qlaci_cost.analysis.amplitude_estimation import ae_calls
from qlaci_cost.analysis.baselines import SlidingWindowAttention, SSMScan, get_baseline
from qlaci_cost.analysis.noise import noise_table
from qlaci_cost.analysis.precision import Precision, parse_precision
from qlaci_cost.analysis.roofline import Hardware, get_hardware, runtime_seconds
from qlaci_cost.analysis.shots import clt_shots, hoeffding_shots, measurement_cost
from qlaci_cost.errors import describe_value
from qlaci_cost.qlaci import (
    ControlledRy,
    HybridBlock,
    IndexBasisState,
    IndexSuperposition,
    Interaction,
    KVFeatureMap,
    MultiQueryQLACI,
    PauliMeasurement,
    PhaseGradientKick,
    PhaseGradientPrep,
    QLACIHead,
    QLACIQuery,
    QueryEncoding,
    ScoreAggregation,
    pack_words,
)
from qlaci_cost.qlaci.crossover import crossover
from qlaci_cost.qlaci.multi_query.batch_readout import batch_measurement_cost
from qlaci_cost.qlaci.multi_query.global_tokens import check_global_tokens
from qlaci_cost.qlaci.multi_query.table import multi_query_rows, pad_batch
from qlaci_cost.qlaci.table import qlaci_rows
from qlaci_cost.qlam import (
    DirectReadout,
    QLAMSequence,
    QLAMStep,
    TokenEncoding,
    UpdateAnsatz,
    WeakReadout,
)
from qlaci_cost.qlam.protocols import QLAMConfig
from qlaci_cost.qlam.table import qlam_rows
from qlaci_cost.qram import build, build_symbolic
from qlaci_cost.qram.table import qram_rows

NAN, INF = float("nan"), float("inf")
HUGE = 10**400  # exact, but beyond any float

#: The bad values of each kind.
BAD = {
    "wrong type": "x",
    "negative": -3,
    "zero": 0,
    "non-integral": 2.5,
    "nan": NAN,
    "+inf": INF,
    "-inf": -INF,
    "huge": HUGE,
    "bool": True,
    "empty": "",
}
#: Which kinds are bad for each kind of argument (a negative angle is fine, a huge count too).
CATEGORIES = {
    "count": ("wrong type", "negative", "zero", "non-integral", "nan", "+inf", "-inf", "bool",
              "empty"),
    "index": ("wrong type", "negative", "non-integral", "nan", "+inf", "-inf", "bool", "empty"),
    "angle": ("wrong type", "nan", "+inf", "-inf", "huge", "bool", "empty"),
    "probability": ("wrong type", "negative", "zero", "nan", "+inf", "-inf", "huge", "bool",
                    "empty"),
    "positive": ("wrong type", "negative", "zero", "nan", "+inf", "-inf", "bool", "empty"),
    "name": ("wrong type", "negative", "nan", "bool", "empty"),
}  # fmt: skip
#: Integer data (words, keys) adds "huge" (a word wider than its bits) and takes no "empty".
CATEGORIES["data"] = CATEGORIES["index"][:-1] + ("huge",)
#: An exact real (a value to substitute): huge is fine, it stays exact.
CATEGORIES["real"] = ("wrong type", "nan", "+inf", "-inf", "bool", "empty")
#: A list of angles: each bad angle as the one entry of a list of the right length.
CATEGORIES["angles"] = CATEGORIES["angle"][:-1]

_COUNTS = {"qubits": 10, "toffoli": 10, "t_count": 40, "rotations": 0, "toffoli_depth": 5}
_EST = {"counts": _COUNTS}
_Q4 = dict(n_cells=4, d_q=1)


def _crossover(**options):
    return crossover(["ideal"], ["softmax"], [16], **options)


#: (argument, kind, call with the bad value v). Grouped by module.
API = [
    # qram
    ("build data", "data", lambda v: build("qrom", [v, 1, 2, 3], 2)),
    ("build bits", "count", lambda v: build("qrom", [1, 2], v)),
    ("build model", "name", lambda v: build(v, [1, 2])),
    ("build ideal c", "positive", lambda v: build("ideal", [1, 2], c=v)),
    ("build ideal k", "index", lambda v: build("ideal", [1, 2], k=v)),
    ("build select-swap block", "index", lambda v: build("select-swap", [1, 2], log_block_size=v)),
    ("build_symbolic N", "count", lambda v: build_symbolic("qrom", v, 8)),
    ("build_symbolic bits", "count", lambda v: build_symbolic("qrom", 16, v)),
    ("qram model class data", "data", lambda v: type(build("qrom", [1, 2]))(2, 2, data=(v, 1))),
    ("qram_rows sizes", "count", lambda v: qram_rows(["qrom"], [v], 8)),
    ("qram_rows bits", "count", lambda v: qram_rows(["qrom"], [16], v)),
    # core
    ("cost_summary bloq", "name", lambda v: cost_summary(v)),
    ("evaluate value", "real", lambda v: evaluate(sympy.Symbol("N") + 1, {"N": v})),
    ("Conventions eps", "probability", lambda v: Conventions(eps=v)),
    ("Conventions toffoli", "name", lambda v: Conventions(toffoli=v)),
    ("Conventions rotation_model", "name", lambda v: Conventions(rotation_model=v)),
    ("Conventions t_per_toffoli", "count", lambda v: Conventions.with_t_per_toffoli(v)),
    # qlaci stages
    ("ControlledRy angle", "angle", lambda v: ControlledRy(v)),
    ("QueryEncoding d_q", "count", lambda v: QueryEncoding(v)),
    ("QueryEncoding reuploads", "count", lambda v: QueryEncoding(1, reuploads=v)),
    ("QueryEncoding angles", "angles", lambda v: QueryEncoding(1, angles=[v])),
    ("IndexSuperposition N", "count", lambda v: IndexSuperposition(v)),
    ("IndexBasisState position", "index", lambda v: IndexBasisState(4, v)),
    ("Interaction layers", "count", lambda v: Interaction(1, 1, v)),
    ("Interaction angles", "angles", lambda v: Interaction(1, 1, angles=[v] * 4)),
    ("ScoreAggregation n_out", "count", lambda v: ScoreAggregation(1, 1, v)),
    ("ScoreAggregation angles", "angles", lambda v: ScoreAggregation(1, 1, 1, angles=[v] * 6)),
    ("KVFeatureMap bits", "count", lambda v: KVFeatureMap(2, 1, 1, v)),
    ("KVFeatureMap variant", "name", lambda v: KVFeatureMap(2, 1, 1, 2, v)),
    ("KVFeatureMap angles", "angles", lambda v: KVFeatureMap(2, 1, 1, 2, angles=[v, 1.0])),
    ("PauliMeasurement n_out", "count", lambda v: PauliMeasurement(v)),
    ("PauliMeasurement observables", "name", lambda v: PauliMeasurement(1, observables=[v])),
    ("PauliMeasurement observable list", "count", lambda v: PauliMeasurement(1, observables=v)),
    ("PhaseGradientPrep bits", "count", lambda v: PhaseGradientPrep(v)),
    ("PhaseGradientKick bits", "count", lambda v: PhaseGradientKick(v)),
    # qlaci query, head, block, batch
    ("QLACIQuery N", "count", lambda v: QLACIQuery(v)),
    ("QLACIQuery d_q", "count", lambda v: QLACIQuery(4, d_q=v)),
    ("QLACIQuery bits", "count", lambda v: QLACIQuery(4, bits=v)),
    ("QLACIQuery layers", "count", lambda v: QLACIQuery(4, layers=v)),
    ("QLACIQuery n_kv", "count", lambda v: QLACIQuery(4, n_kv=v)),
    ("QLACIQuery reuploads", "count", lambda v: QLACIQuery(4, reuploads=v)),
    ("QLACIQuery d_ctx", "count", lambda v: QLACIQuery(4, d_ctx=v)),
    ("QLACIQuery position", "index", lambda v: QLACIQuery(4, position=v)),
    ("QLACIQuery qram_model", "name", lambda v: QLACIQuery(4, qram_model=v)),
    ("QLACIQuery feature_map", "name", lambda v: QLACIQuery(4, feature_map=v)),
    ("QLACIQuery observables", "name", lambda v: QLACIQuery(4, observables=[v])),
    (
        "QLACIQuery keys",
        "data",
        lambda v: QLACIQuery(**_Q4, bits=2, keys=[[v], [1], [2], [3]], values=[[0]] * 4),
    ),
    (
        "QLACIQuery values",
        "data",
        lambda v: QLACIQuery(**_Q4, bits=2, keys=[[0]] * 4, values=[[1], [v], [2], [3]]),
    ),
    ("QLACIQuery query", "angles", lambda v: QLACIQuery(**_Q4, query=[v])),
    ("QLACIQuery theta", "angles", lambda v: QLACIQuery(**_Q4, theta=[v] * 6)),
    ("QLACIQuery phi", "angles", lambda v: QLACIQuery(**_Q4, phi=[v] * 8)),
    ("QLACIQuery fm_angles", "angles", lambda v: QLACIQuery(**_Q4, fm_angles=[v, 1.0])),
    ("pack_words", "data", lambda v: pack_words([[v]], [[0]], 2)),
    ("QLACIHead query", "name", lambda v: QLACIHead(query=v)),
    ("QLACIHead method", "name", lambda v: QLACIHead(method=v)),
    ("QLACIHead precision", "name", lambda v: QLACIHead(precision=v)),
    ("QLACIHead delta", "probability", lambda v: QLACIHead(delta=v)),
    ("QLACIHead shots", "count", lambda v: QLACIHead(shots=v)),
    ("QLACIHead processors", "count", lambda v: QLACIHead(processors=v)),
    ("QLACIHead n_queries", "count", lambda v: QLACIHead(n_queries=v)),
    ("HybridBlock head", "name", lambda v: HybridBlock(head=v)),
    ("HybridBlock heads", "count", lambda v: HybridBlock(heads=v)),
    ("HybridBlock d_ff", "count", lambda v: HybridBlock(d_ff=v)),
    ("HybridBlock bytes_per_value", "count", lambda v: HybridBlock(bytes_per_value=v)),
    ("MultiQueryQLACI n_batch", "count", lambda v: MultiQueryQLACI(QLACIQuery(4), v)),
    ("MultiQueryQLACI method", "name", lambda v: MultiQueryQLACI(QLACIQuery(4), 2, v)),
    ("MultiQueryQLACI template", "name", lambda v: MultiQueryQLACI(v)),
    (
        "MultiQueryQLACI queries",
        "angles",
        lambda v: MultiQueryQLACI(QLACIQuery(**_Q4), 2, queries=[[v], [0.5]]),
    ),
    (
        "MultiQueryQLACI query_words",
        "data",
        lambda v: MultiQueryQLACI(QLACIQuery(**_Q4), 2, "qram", query_words=[[v], [1]]),
    ),
    ("MultiQueryQLACI query_bits", "count", lambda v: MultiQueryQLACI(query_bits=v)),
    ("pad_batch B", "count", lambda v: pad_batch(v)),
    # qlam
    ("QLAMStep m", "count", lambda v: QLAMStep(v)),
    ("QLAMStep layers", "count", lambda v: QLAMStep(2, layers=v)),
    ("QLAMStep entangler", "name", lambda v: QLAMStep(2, entangler=v)),
    ("QLAMStep theta", "angle", lambda v: QLAMStep(2, weak_ancillas=1, theta=v)),
    ("QLAMStep token", "angles", lambda v: QLAMStep(2, token=[v])),
    ("QLAMSequence n_steps", "count", lambda v: QLAMSequence(v, 2)),
    ("QLAMSequence tokens", "angles", lambda v: QLAMSequence(2, 2, tokens=[[v], [0.5]])),
    ("TokenEncoding angles", "angles", lambda v: TokenEncoding(2, angles=[v, 0.5])),
    ("UpdateAnsatz rotations", "count", lambda v: UpdateAnsatz(2, rotations=v)),
    ("UpdateAnsatz angles", "angles", lambda v: UpdateAnsatz(2, 1, 1, angles=[v] * 2)),
    ("DirectReadout m", "count", lambda v: DirectReadout(v)),
    ("DirectReadout group", "index", lambda v: DirectReadout(2, 2, 2, group=v)),
    ("DirectReadout bases", "name", lambda v: DirectReadout(2, 2, 1, bases=[v])),
    ("WeakReadout k", "count", lambda v: WeakReadout(2, v)),
    ("WeakReadout theta", "angle", lambda v: WeakReadout(2, 1, theta=v)),
    ("WeakReadout targets", "index", lambda v: WeakReadout(2, 1, targets=[v])),
    ("QLAMConfig m", "count", lambda v: QLAMConfig(m=v)),
    ("QLAMConfig theta", "angle", lambda v: QLAMConfig(theta=v)),
    # analysis
    ("hoeffding_shots eps", "probability", lambda v: hoeffding_shots(v)),
    ("hoeffding_shots delta", "probability", lambda v: hoeffding_shots(0.1, v)),
    ("clt_shots confidence", "probability", lambda v: clt_shots(0.1, v)),
    ("measurement_cost N", "count", lambda v: measurement_cost("rel:0.1", v, 1)),
    ("measurement_cost method", "name", lambda v: measurement_cost("abs:0.1", 4, 1, v)),
    ("Precision value", "probability", lambda v: Precision("abs", v)),
    ("Precision kind", "name", lambda v: Precision(v, 0.1)),
    ("parse_precision", "name", lambda v: parse_precision(v)),
    ("ae_calls eps", "probability", lambda v: ae_calls(v)),
    ("get_baseline", "name", lambda v: get_baseline(v)),
    ("SlidingWindowAttention window", "count", lambda v: SlidingWindowAttention(window=v)),
    ("SSMScan state", "count", lambda v: SSMScan(state=v)),
    ("get_hardware", "name", lambda v: get_hardware(v)),
    ("runtime_seconds N", "count", lambda v: runtime_seconds("softmax", v, 64)),
    ("runtime_seconds d", "count", lambda v: runtime_seconds("softmax", 1024, v)),
    ("Hardware peak_flops", "positive", lambda v: Hardware("x", v, 1e12, 8e10)),
    ("noise_table eps", "probability", lambda v: noise_table(["ideal"], [16], eps=v)),
    ("noise_table rule", "name", lambda v: noise_table(["ideal"], [16], circuit_rule=v)),
    ("crossover physical_model", "name", lambda v: _crossover(physical_model=v)),
    ("crossover hardware", "name", lambda v: _crossover(hardware=v)),
    ("crossover d", "count", lambda v: _crossover(d=v)),
    ("batch_measurement_cost B", "count", lambda v: batch_measurement_cost("abs:0.1", 16, v)),
    ("global tokens G", "index", lambda v: check_global_tokens(1024, v, 16)),
    ("global tokens window", "index", lambda v: check_global_tokens(1024, 4, v)),
    # tables
    ("qlaci_rows sizes", "count", lambda v: qlaci_rows(["ideal"], [v])),
    ("qlaci_rows level", "name", lambda v: qlaci_rows(["ideal"], [16], v)),
    ("qlaci_rows shots", "count", lambda v: qlaci_rows(["ideal"], [16], shots=v)),
    ("qlaci_rows processors", "count", lambda v: qlaci_rows(["ideal"], [16], processors=v)),
    ("qlaci_rows delta", "probability", lambda v: qlaci_rows(["ideal"], [16], delta=v)),
    ("qlaci_rows query option", "count", lambda v: qlaci_rows(["ideal"], [16], d_q=v)),
    ("qlam_rows sizes", "count", lambda v: qlam_rows([v])),
    ("qlam_rows protocol", "name", lambda v: qlam_rows([16], [v])),
    ("qlam_rows delta", "probability", lambda v: qlam_rows([16], delta=v)),
    ("multi_query_rows batches", "count", lambda v: multi_query_rows(["ideal"], [16], [v])),
    ("multi_query_rows loader", "name", lambda v: multi_query_rows(["ideal"], [16], loader=v)),
    # physical
    ("estimate counts", "name", lambda v: physical.estimate(v)),
    ("estimate toffoli", "index", lambda v: physical.estimate({**_COUNTS, "toffoli": v})),
    ("estimate model", "name", lambda v: physical.estimate(_COUNTS, v)),
    ("estimate physical_error", "probability",
     lambda v: physical.estimate(_COUNTS, physical_error=v)),
    ("estimate error_budget", "probability",
     lambda v: physical.estimate(_COUNTS, error_budget=v)),
    ("estimate cycle_time_us", "positive", lambda v: physical.estimate(_COUNTS, cycle_time_us=v)),
    ("estimate n_factories", "count", lambda v: physical.estimate(_COUNTS, n_factories=v)),
    ("estimate factory", "name", lambda v: physical.estimate(_COUNTS, factory=v)),
    ("frontier model", "name", lambda v: physical.frontier(_COUNTS, v)),
    ("PhysicalAssumptions model", "name", lambda v: physical.PhysicalAssumptions(v)),
    ("logical_input counts", "name", lambda v: physical.logical_input(v)),
]  # fmt: skip


def _names(message: str, value) -> bool:
    """The message shows the value: its repr, its text, a long value's first digits, or a
    float's exact decimal (-0.5 as -1/2)."""
    shown = {repr(value), str(value), describe_value(value)[:20]}
    if isinstance(value, float) and math.isfinite(value):
        shown.add(str(sympy.Rational(repr(value))))
        shown.add(str(Fraction(repr(value))))
    return any(s in message for s in shown)


@pytest.mark.parametrize("name, kind, call", API, ids=[a[0] for a in API])
def test_every_bad_value_is_an_input_error_naming_it(name, kind, call):
    problems = []
    for bad in CATEGORIES[kind]:
        value = BAD[bad]
        try:
            call(value)
        except InputError as err:
            message = str(err)
            if "\n" in message or not _names(message, value):
                problems.append(f"{bad}: message does not name {value!r}: {message}")
        except Exception as err:  # noqa: BLE001 - any other type is the failure reported
            problems.append(f"{bad}: {type(err).__name__}: {err}")
        else:
            problems.append(f"{bad}: {describe_value(value)} was accepted")
    assert not problems, f"{name}:\n" + "\n".join(problems)


def test_the_table_covers_every_public_bloq():
    """A new public bloq of qlaci or qlam joins the table above."""
    import qlaci_cost.qlaci as qlaci
    import qlaci_cost.qlam as qlam

    covered = {a[0].split()[0] for a in API}
    bloqs = {n for m in (qlaci, qlam) for n in m.__all__ if n[0].isupper() and n.isidentifier()}
    constants = {"DEFAULT_PRECISION", "DEFAULT_QRAM_MODEL", "FEATURE_MAPS", "ENTANGLERS"}
    skipped = {"MeasureZInPlace", "MeasureReset", "SimulatedState"}  # a key name; a result
    assert bloqs - constants - skipped <= covered


def test_non_integral_data_is_refused_not_truncated():
    """1.7 was read as 1 (`int(1.7)`); now it is named and refused, 2.0 as well."""
    with pytest.raises(InputError, match=r"1\.7"):
        QLACIQuery(4, d_q=1, bits=2, keys=[[1.7], [1], [2], [3]], values=[[0]] * 4)
    with pytest.raises(InputError, match=r"2\.0"):
        QLACIQuery(4, d_q=1, bits=2, keys=[[2.0], [1], [2], [3]], values=[[0]] * 4)
    ok = QLACIQuery(4, d_q=1, bits=2, keys=[[3], [1], [2], [3]], values=[[0]] * 4)
    assert ok.keys == ((3,), (1,), (2,), (3,))


@pytest.mark.parametrize("value", [NAN, INF, -INF])
def test_non_finite_queries_are_refused(value):
    """`query=[nan] * 4` raised KeyError and `[inf] * 4` was accepted."""
    with pytest.raises(InputError, match=str(value)):
        QLACIQuery(query=[value] * 4)


def test_symbolic_and_exact_values_still_pass():
    """The checks refuse bad numbers only: symbols, sympy constants and numpy scalars pass."""
    import numpy as np

    a = sympy.Symbol("a", real=True)
    assert ControlledRy(a).angle == a
    assert QueryEncoding(2, angles=[sympy.pi / 4, np.float64(0.5)]).angles == (sympy.pi / 4, 0.5)
    assert QLAMStep(2, weak_ancillas=1, theta="pi/8").theta == sympy.pi / 8
    assert QLAMStep(2, weak_ancillas=1, theta=0.25).theta == sympy.Rational(1, 4)
    assert build("qrom", np.array([1, 2, 3, 0])).data == (1, 2, 3, 0)
