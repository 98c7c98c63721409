"""Tests for qlaci_cost.analysis.shots: closed forms vs independent derivations and simulations."""

import math
import statistics
from fractions import Fraction

import numpy as np
import pytest
import sympy

from qlaci_cost.analysis.shots import (
    METHODS,
    ExactCeiling,
    Precision,
    ae_calls,
    clt_shots,
    hoeffding_shots,
    measurement_cost,
    median_repetitions,
    parse_precision,
)

N = sympy.Symbol("N", positive=True, integer=True)
P_AE = 8 / math.pi**2


# ---------------------------------------------------------------------------------------------
# Precision


@pytest.mark.parametrize(
    "text, kind, value",
    [
        ("abs:0.01", "abs", sympy.Rational(1, 100)),
        ("rel:0.1", "rel", sympy.Rational(1, 10)),
        (" REL : 1e-3 ", "rel", sympy.Rational(1, 1000)),
        ("abs:1/3", "abs", sympy.Rational(1, 3)),
    ],
)
def test_parse_precision(text, kind, value):
    p = parse_precision(text)
    assert p == Precision(kind, value)
    assert parse_precision(str(p)) == p  # round trip
    assert parse_precision(p) is p


def test_precision_eps_exact_at_huge_n():
    p = parse_precision("rel:0.1")
    eps = p.eps(2**200)
    assert eps == sympy.Rational(1, 10 * 2**200)  # exact, no float underflow
    assert p.eps(N) == 1 / (10 * N)
    assert parse_precision("abs:0.01").eps(2**200) == sympy.Rational(1, 100)
    assert str(p) == "rel:0.1"
    assert "1/N" in p.describe()


@pytest.mark.parametrize(
    "text",
    ["abs", "abs:", "foo:0.1", "abs:0", "abs:1", "abs:1.5", "abs:-0.1", "rel:nan", "abs:inf",
     "abs:x", "abs:0.1:2", 0.01, None],
)  # fmt: skip
def test_parse_precision_errors(text):
    with pytest.raises(ValueError, match=r"precision .* is not allowed: use 'abs:EPS' or 'rel:R'"):
        parse_precision(text)


def test_precision_needs_valid_n():
    p = parse_precision("rel:0.1")
    for bad in (None, 0, -4, 2.5, True):
        with pytest.raises(ValueError, match="N=.* is not allowed"):
            p.eps(bad)


# ---------------------------------------------------------------------------------------------
# Hoeffding


def test_hoeffding_reference_value():
    # docs/references.md#shots-and-amplitude-estimation: eps = 0.01, delta = 0.05 -> 73,778.
    # Independently: 2 ln(2/0.05) / 0.01^2 = 2 ln(40) * 10^4 = 73777.59...
    independent = math.ceil(2 * math.log(40) / float(Fraction(1, 100) ** 2))
    assert independent == 73_778
    assert hoeffding_shots(0.01, 0.05) == 73_778
    assert hoeffding_shots("0.01", "0.05") == 73_778
    assert hoeffding_shots(Fraction(1, 100)) == 73_778  # default delta = 0.05


@pytest.mark.parametrize("eps", [0.3, 0.1, 0.05, 0.02, 0.003])
@pytest.mark.parametrize("delta", [0.2, 0.05, 0.01, 1e-6])
def test_hoeffding_matches_float_formula(eps, delta):
    x = 2 * math.log(2 / delta) / eps**2
    assert abs(x - round(x)) > 1e-6  # float rounding cannot flip the ceiling here
    assert hoeffding_shots(eps, delta) == math.ceil(x)


def test_hoeffding_monte_carlo():
    # +-1 outcomes with <P> = 0 (variance 1, the worst case); each trial is M shots.
    eps, delta, trials = 0.01, 0.05, 4000
    rng = np.random.default_rng(20240613)
    m = hoeffding_shots(eps, delta)
    means = 2 * rng.binomial(m, 0.5, size=trials) / m - 1
    failure = np.mean(np.abs(means) > eps)
    assert failure <= delta
    # The simulation can fail: 1/16 of the shots misses eps far more often than delta.
    few = m // 16
    means = 2 * rng.binomial(few, 0.5, size=trials) / few - 1
    assert np.mean(np.abs(means) > eps) > delta
    # A biased observable, <P> = 0.6.
    p_plus = 0.8
    means = 2 * rng.binomial(m, p_plus, size=trials) / m - 1
    assert np.mean(np.abs(means - 0.6) > eps) <= delta


# ---------------------------------------------------------------------------------------------
# CLT


def test_clt_reference_value():
    # docs/references.md: CLT 95% ~ 3.84 / eps^2; z = Phi^-1(0.975) from the stdlib.
    z = statistics.NormalDist().inv_cdf(0.975)
    assert abs(z**2 - 3.8415) < 1e-4
    assert clt_shots(0.01) == math.ceil(z**2 / 0.01**2) == 38_415
    assert clt_shots(0.01, 0.99) == math.ceil(statistics.NormalDist().inv_cdf(0.995) ** 2 * 1e4)


def test_clt_monte_carlo_failure_rate_near_delta():
    eps, trials = 0.01, 20000
    rng = np.random.default_rng(7)
    m = clt_shots(eps, 0.95)
    means = 2 * rng.binomial(m, 0.5, size=trials) / m - 1
    failure = np.mean(np.abs(means) > eps)
    assert 0.04 < failure < 0.06  # normal approximation: ~5%, not a guarantee


# ---------------------------------------------------------------------------------------------
# Amplitude estimation


def _bhmt_bound(a: float, m: int) -> float:
    # Brassard, Hoyer, Mosca, Tapp, quant-ph/0005055, Theorem 12 (k = 1).
    return 2 * math.pi * math.sqrt(a * (1 - a)) / m + math.pi**2 / m**2


@pytest.mark.parametrize("eps", [0.5, 0.2, 0.1, 0.05, 0.01, 0.001])
def test_ae_grid_size_is_smallest_meeting_theorem_12(eps):
    m = ae_calls(eps).grid_size
    eps_a = eps / 2  # <P> = 1 - 2a
    grid = np.linspace(0, 1, 1001)
    assert max(_bhmt_bound(a, m) for a in grid) <= eps_a
    assert _bhmt_bound(0.5, m - 1) > eps_a  # M - 1 fails at the worst case a = 1/2
    # Independent search for the smallest M.
    smallest = next(k for k in range(1, 10**5) if _bhmt_bound(0.5, k) <= eps_a)
    assert m == smallest


def test_ae_reference_numbers():
    # eps = 0.01: pi/632 + pi^2/632^2 = 0.0049956 <= 0.005 < pi/631 + pi^2/631^2 = 0.0050036.
    cost = ae_calls(0.01, 0.05)
    assert cost.grid_size == 632
    assert cost.grover_iterates == 631
    assert cost.calls_per_repetition == 2 * 632 - 1
    assert cost.circuit_calls == cost.repetitions * (2 * 632 - 1)
    assert cost.amplitude_eps == sympy.Rational(1, 200)


def _est_amp_distribution(a: float, m: int) -> tuple[np.ndarray, int]:
    """Simulate Est_Amp(A, chi, M) for a one-qubit A with Pr(|1>) = a; count A/A^dag calls.

    Returns the distribution of the measured y in 0..M-1 and the number of calls to A or A^dag
    made by F_M, Lambda_M(Q) (built from controlled Q^(2^i), M a power of two), F_M^-1.
    """
    theta = math.asin(math.sqrt(a))
    A = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
    calls = 0

    def apply_a(v, dagger=False):
        nonlocal calls
        calls += 1
        return (A.T if dagger else A) @ v

    s0 = np.diag([-1.0, 1.0])  # S_0 = I - 2|0><0|
    schi = np.diag([1.0, -1.0])  # S_chi flips the sign of the good state |1>

    def apply_q(v):  # Q = -A S_0 A^dagger S_chi
        return -apply_a(s0 @ apply_a(schi @ v, dagger=True))

    psi = apply_a(np.array([1.0, 0.0]))
    bits = m.bit_length() - 1
    assert 1 << bits == m
    state = np.tile(psi, (m, 1)) / math.sqrt(m)  # F_M |0> = uniform superposition over j
    for i in range(bits):
        # controlled-Q^(2^i) on the rows j whose bit i is set: 2^i applications of Q.
        sel = (np.arange(m) >> i) & 1 == 1
        block = state[sel].T
        for _ in range(1 << i):
            block = apply_q(block)
        state[sel] = block.T
    amp = np.fft.fft(state, axis=0) / math.sqrt(m)  # F_M^-1 (up to the sign convention)
    probs = np.sum(np.abs(amp) ** 2, axis=1)
    return probs, calls


@pytest.mark.parametrize("eps", [0.2, 0.05])
def test_ae_simulated_success_and_calls(eps):
    cost = ae_calls(eps, power_of_two=True)
    m = cost.grid_size
    assert m & (m - 1) == 0 and m >= ae_calls(eps).grid_size
    for a in [0.0, 0.03, 0.2, 0.5, 0.71, 0.97]:
        probs, calls = _est_amp_distribution(a, m)
        assert math.isclose(probs.sum(), 1.0, abs_tol=1e-9)
        estimates = np.sin(np.pi * np.arange(m) / m) ** 2
        pauli = 1 - 2 * a  # <Z>: the -1 outcome is the good state |1>
        ok = np.abs((1 - 2 * estimates) - pauli) <= eps + 1e-12
        assert probs[ok].sum() >= P_AE
        assert calls == cost.calls_per_repetition == 2 * m - 1


def _median_failure(k: int, p: float) -> float:
    """P(at most (k-1)/2 of k independent runs succeed), each succeeding with p."""
    return sum(math.comb(k, s) * p**s * (1 - p) ** (k - s) for s in range((k - 1) // 2 + 1))


@pytest.mark.parametrize("delta", [0.15, 0.05, 0.01, 1e-4, 1e-9])
def test_median_repetitions_binomial(delta):
    k = median_repetitions(delta)
    assert k % 2 == 1
    assert _median_failure(k, P_AE) <= delta
    if k > 1:
        assert _median_failure(k - 2, P_AE) > delta  # smallest odd k


@pytest.mark.parametrize("delta", [0.15, 0.05, 0.01, 1e-4, 1e-9])
def test_median_repetitions_hoeffding(delta):
    k = median_repetitions(delta, "hoeffding")
    x = math.log(1 / delta) / (2 * (P_AE - 0.5) ** 2)
    expected = math.ceil(x)
    expected += 1 - expected % 2
    assert k == expected
    assert math.exp(-2 * k * (P_AE - 0.5) ** 2) <= delta
    assert k >= median_repetitions(delta)  # Hoeffding is the looser bound


def test_median_repetitions_reference_values():
    # delta = 0.05: Hoeffding ln(20) / (2 (8/pi^2 - 1/2)^2) = 15.53 -> 16 -> odd 17.
    assert median_repetitions(0.05, "hoeffding") == 17
    # One run succeeds with 8/pi^2 = 0.8106 >= 1 - delta for delta >= 0.1894.
    assert median_repetitions(0.2) == median_repetitions(0.2, "hoeffding") == 1
    assert median_repetitions(0.18) > 1


def test_ae_symbolic_and_huge():
    sym = ae_calls(sympy.Rational(1, 10) / N)
    for k in (1, 10, 64, 200):
        conc = ae_calls(sympy.Rational(1, 10 * 2**k))
        assert sym.grid_size.subs(N, 2**k) == conc.grid_size
        assert isinstance(conc.grid_size, int)
    # M ~ 2 pi / (eps/2)... = 2 pi N / r for eps = r / N.
    assert sympy.limit(sym.grid_size / N, N, sympy.oo) == 20 * sympy.pi
    pow2 = ae_calls(sympy.Rational(1, 10) / N, power_of_two=True)
    assert (
        pow2.grid_size.subs(N, 2**64)
        == 1 << (ae_calls(sympy.Rational(1, 10 * 2**64)).grid_size - 1).bit_length()
    )


# ---------------------------------------------------------------------------------------------
# measurement_cost


def test_measurement_cost_concrete():
    # Independent numbers: 73,778 Hoeffding shots (docs/references.md) x d_ctx = 8.
    c = measurement_cost("abs:0.01", 16, 8)
    assert c.circuit_calls == c.runs == 8 * 73_778 and c.calls_per_run == 1
    g = measurement_cost("abs:0.01", 16, 8, grouped=True)
    assert g.circuit_calls == 73_778
    clt = measurement_cost("abs:0.01", 16, 8, method="clt")
    assert clt.circuit_calls == 8 * 38_415
    ae = measurement_cost("abs:0.01", 16, 8, method="amplitude-estimation")
    m = next(k for k in range(1, 10**4) if _bhmt_bound(0.5, k) <= 0.005)
    k = next(k for k in range(1, 99, 2) if _median_failure(k, P_AE) <= 0.05)
    assert ae.circuit_calls == 8 * k * (2 * m - 1)
    assert ae.runs == 8 * k and ae.calls_per_run == 2 * m - 1
    for cost in (c, g, clt, ae):
        text = cost.describe()
        assert str(cost.circuit_calls) in text and "eps = 0.01" in text


def test_measurement_cost_relative_precision_scaling():
    hoeff = measurement_cost("rel:0.1", N, 4)
    clt = measurement_cost("rel:0.1", N, 4, method="clt")
    ae = measurement_cost("rel:0.1", N, 4, method="amplitude-estimation")
    exponent = {
        name: sympy.limit(sympy.log(c.circuit_calls) / sympy.log(N), N, sympy.oo)
        for name, c in [("hoeffding", hoeff), ("clt", clt), ("ae", ae)]
    }
    assert exponent == {"hoeffding": 2, "clt": 2, "ae": 1}  # docs/design.md#readout-precision
    # Leading coefficients: 4 x 2 ln 40 / 0.1^2 and 4 x 7 x 2 x 2 pi / 0.1 (k = 7 at delta 0.05).
    assert sympy.limit(hoeff.circuit_calls / N**2, N, sympy.oo) == 800 * sympy.log(40)
    assert sympy.limit(ae.circuit_calls / N, N, sympy.oo) == 4 * 7 * 40 * sympy.pi
    assert sympy.limit(ae.circuit_calls / hoeff.circuit_calls, N, sympy.oo) == 0
    for k in (1, 5, 64, 200):
        for method, sym in [("hoeffding", hoeff), ("clt", clt), ("amplitude-estimation", ae)]:
            conc = measurement_cost("rel:0.1", 2**k, 4, method=method).circuit_calls
            assert isinstance(conc, int)
            assert sym.circuit_calls.subs(N, 2**k) == conc


def test_measurement_cost_huge_n_exact():
    c = measurement_cost("rel:0.1", 2**200, 1)
    # 200 ln(40) 4^200 shots: compare with an independent high-precision value.
    import mpmath

    with mpmath.workdps(200):
        x = 200 * mpmath.log(40) * mpmath.mpf(2) ** 400
        assert c.circuit_calls == int(mpmath.ceil(x))


def test_exact_ceiling():
    assert ExactCeiling(sympy.Rational(7, 2)) == 4
    assert ExactCeiling(sympy.Integer(5)) == 5
    assert ExactCeiling(-sympy.Rational(7, 2)) == -3
    assert (
        ExactCeiling(sympy.sqrt(2) * 10**50) == 141421356237309504880168872420969807856967187537695
    )
    assert str(ExactCeiling(N * sympy.pi)) == "ceiling(pi*N)"


# ---------------------------------------------------------------------------------------------
# Validation


@pytest.mark.parametrize("eps", [0, 1, 1.5, -0.1, float("nan"), float("inf"), True, "x"])
def test_eps_validation(eps):
    for fn in (hoeffding_shots, clt_shots, ae_calls):
        with pytest.raises(
            ValueError, match=r"eps=.* is not allowed: precision eps must be in \(0, 1\)"
        ):
            fn(eps)


@pytest.mark.parametrize("delta", [0, 1, 2, -0.5, float("nan"), N])
def test_delta_validation(delta):
    for fn in (hoeffding_shots, ae_calls):
        with pytest.raises(ValueError, match=r"delta=.* is not allowed: .*delta.* \(0, 1\)"):
            fn(0.1, delta)
    with pytest.raises(ValueError, match="delta=.* is not allowed"):
        measurement_cost("abs:0.1", 4, 1, delta=delta)


def test_measurement_cost_validation():
    with pytest.raises(ValueError, match="d_ctx=0 is not allowed: .* integer >= 1"):
        measurement_cost("abs:0.1", 4, 0)
    with pytest.raises(ValueError, match="d_ctx=2.5 is not allowed"):
        measurement_cost("abs:0.1", 4, 2.5)
    with pytest.raises(ValueError, match="N=0 is not allowed"):
        measurement_cost("abs:0.1", 0, 1)
    with pytest.raises(
        ValueError, match="method 'shots' is not allowed: use one of " + ", ".join(METHODS)
    ):
        measurement_cost("abs:0.1", 4, 1, method="shots")
    with pytest.raises(ValueError, match="grouped=True is not allowed with method"):
        measurement_cost("abs:0.1", 4, 2, method="amplitude-estimation", grouped=True)
    with pytest.raises(ValueError, match="repetition bound 'chernoff' is not allowed"):
        median_repetitions(0.05, "chernoff")
    with pytest.raises(ValueError, match="confidence=.* is not allowed"):
        clt_shots(0.1, 1.0)
