"""Property tests: one number per question, for random data, every model, option and convention.

For a QRAM model built from data (N = 2^n, b bits, random words):
1. `cost_summary(concrete)` == `decomposed_summary(concrete)` on every metric (one convention
   on every path; the assumed oracle and Qualtran's measurement-based uncompute have no leaf
   decomposition and are skipped for this one).
2. The size-only summary at N is >= the concrete one on every metric, for any data.
3. For `worst_case_data` they are equal on every metric outside the model's `BOUNDS`.
(qroam-clean's measurement-based uncompute: only its modelled metrics, Toffoli, T count and
rotations; the others are `MEASUREMENT_UNMODELLED` and its rows carry `MEASUREMENT_NOTE`.)
The same for the QLACI query (random keys and values; closed form at N vs decomposition).
A failing example prints model, N, b, options, convention and data (`note`).
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from qlaci_cost.core.conventions import Conventions
from qlaci_cost.core.decomposed import decomposed_summary
from qlaci_cost.core.summary import METRICS, cost_summary
from qlaci_cost.qlaci import QLACIQuery
from qlaci_cost.qram import MODELS, build, build_symbolic, model_class
from qlaci_cost.qram.qroam_clean import MEASUREMENT_UNMODELLED

FAST = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
SLOW = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
BLOCK_MODELS = ("select-swap", "qroam-clean")


@st.composite
def qram_cases(draw, max_log_n: int, models=MODELS):
    """(model, N, b, options, conventions, data)."""
    model = draw(st.sampled_from(models))
    n = draw(st.integers(1, max_log_n))
    bits = draw(st.integers(1, 8))
    options: dict = {}
    if model in BLOCK_MODELS:
        options["log_block_size"] = draw(st.one_of(st.none(), st.integers(0, n - 1)))
    if model == "qroam-clean":
        options["uncompute"] = draw(st.sampled_from(["coherent", "measurement"]))
    conv = Conventions.with_t_per_toffoli(draw(st.sampled_from([4, 7])))
    data = draw(st.lists(st.integers(0, 2**bits - 1), min_size=2**n, max_size=2**n))
    return model, 2**n, bits, options, conv, data


def _has_circuit(model: str, options: dict) -> bool:
    return not model_class(model).__dict__.get("ASSUMED_ORACLE", model == "ideal") and (
        options.get("uncompute", "coherent") == "coherent"
    )


def _worst(model, n_cells, bits, options):
    cls = model_class(model)
    if model in BLOCK_MODELS:
        return cls.worst_case_data(n_cells, bits, options.get("log_block_size"))
    return cls.worst_case_data(n_cells, bits)


def check_qram_case(model, n_cells, bits, options, conv, data, worst: bool):
    label = f"model={model} N={n_cells} b={bits} options={options} T/Toffoli={conv.t_per_toffoli}"
    note(f"{label} data={list(data)}")
    concrete_bloq = build(model, list(data), bits, **options)
    concrete = cost_summary(concrete_bloq, conv).metrics()
    size_only = cost_summary(build_symbolic(model, n_cells, bits, **options), conv).metrics()
    if _has_circuit(model, options):
        measured = decomposed_summary(concrete_bloq, conv).metrics()
        for m in METRICS:
            assert concrete[m] == measured[m], f"{label}: {m} cost_summary {concrete[m]} != "
            f"decomposition {measured[m]}"
    bounds = getattr(model_class(model), "BOUNDS", frozenset())
    skip = MEASUREMENT_UNMODELLED if options.get("uncompute") == "measurement" else frozenset()
    for m in sorted(set(METRICS) - skip):
        assert concrete[m] <= size_only[m], (
            f"{label}: {m} concrete {concrete[m]} > size-only {size_only[m]}"
        )
        if worst and m not in bounds:
            assert concrete[m] == size_only[m], (
                f"{label}: {m} worst case {concrete[m]} != size-only {size_only[m]}"
            )


@FAST
@given(qram_cases(max_log_n=4))
def test_any_data_is_bounded_by_the_size_only_model(case):
    check_qram_case(*case, worst=False)


@FAST
@given(qram_cases(max_log_n=4))
def test_worst_case_data_attains_the_size_only_model(case):
    model, n_cells, bits, options, conv, _ = case
    check_qram_case(
        model, n_cells, bits, options, conv, _worst(model, n_cells, bits, options), True
    )


@pytest.mark.slow(reason="N up to 2^7, b up to 8, 120 examples each: several minutes")
@SLOW
@given(qram_cases(max_log_n=7))
def test_any_data_is_bounded_slow(case):
    check_qram_case(*case, worst=False)


@pytest.mark.slow(reason="N up to 2^7, b up to 8, 120 examples each: several minutes")
@SLOW
@given(qram_cases(max_log_n=7))
def test_worst_case_attains_slow(case):
    model, n_cells, bits, options, conv, _ = case
    check_qram_case(
        model, n_cells, bits, options, conv, _worst(model, n_cells, bits, options), True
    )


# --- the QLACI query ------------------------------------------------------------------------


@st.composite
def query_cases(draw, max_log_n: int):
    """(model, N, b, d_q, L, feature map, keys, values, seed)."""
    model = draw(st.sampled_from([m for m in MODELS if m != "ideal"]))
    n_cells = 2 ** draw(st.integers(1, max_log_n))
    fm = draw(st.sampled_from(["controlled-rotations", "phase-gradient"]))
    bits = draw(st.integers(2 if fm == "phase-gradient" else 1, 3))
    d_q, layers = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    component = st.integers(0, 2**bits - 1)
    keys = draw(st.lists(component, min_size=n_cells, max_size=n_cells))
    values = draw(st.lists(component, min_size=n_cells, max_size=n_cells))
    return model, n_cells, bits, d_q, layers, fm, keys, values, draw(st.integers(0, 99))


def _query(model, n_cells, bits, d_q, layers, fm, keys, values, seed):
    rng = np.random.default_rng(seed)
    return QLACIQuery(
        n_cells=n_cells,
        d_q=d_q,
        bits=bits,
        layers=layers,
        qram_model=model,
        feature_map=fm,
        query=rng.uniform(-np.pi, np.pi, d_q),
        keys=[[k] for k in keys],
        values=[[v] for v in values],
        fm_angles=rng.uniform(-np.pi, np.pi, 2) if fm == "controlled-rotations" else None,
        theta=rng.uniform(-np.pi, np.pi, 2 * (d_q + 2) * layers),
        phi=rng.uniform(-np.pi, np.pi, 2 * (d_q + 3) * layers),
    )


def check_query_case(case, worst: bool):
    model, n_cells, bits, d_q, layers, fm, keys, values, seed = case
    if worst:
        words = model_class(model).worst_case_data(n_cells, 2 * bits)
        keys = [w >> bits for w in words]
        values = [w & (2**bits - 1) for w in words]
    label = f"model={model} N={n_cells} b={bits} d_q={d_q} L={layers} {fm} seed={seed}"
    note(f"{label} keys={keys} values={values}")
    query = _query(model, n_cells, bits, d_q, layers, fm, keys, values, seed)
    concrete = cost_summary(query).metrics()
    measured = decomposed_summary(query).metrics()
    size_only = cost_summary(
        QLACIQuery(n_cells, d_q, bits, layers, qram_model=model, feature_map=fm)
    ).metrics()
    for m in METRICS:
        assert concrete[m] == measured[m], f"{label}: {m} {concrete[m]} != {measured[m]}"
        assert concrete[m] <= size_only[m], f"{label}: {m} {concrete[m]} > {size_only[m]}"
        if worst and m not in query.bounds:
            assert concrete[m] == size_only[m], f"{label}: {m} {concrete[m]} != {size_only[m]}"


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(query_cases(max_log_n=2), st.booleans())
def test_query_one_number(case, worst):
    check_query_case(case, worst)


@pytest.mark.slow(reason="QLACI queries up to N = 8, 60 examples: minutes")
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(query_cases(max_log_n=3), st.booleans())
def test_query_one_number_slow(case, worst):
    check_query_case(case, worst)
