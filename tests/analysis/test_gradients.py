"""Gradient estimators priced: shift rules against analytic derivatives, spectra read from the
bloqs against their closed-form parameter counts, the finite-difference bound, bad input."""

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
from qualtran.bloqs.basic_gates import Ry, ZPowGate

from qlaci_cost.analysis.gradients import (
    ESTIMATORS,
    ParameterSpectrum,
    finite_difference_eps,
    finite_difference_step,
    gradient_cost,
    leaf_frequencies,
    parameter_spectra,
    shift_rule,
)
from qlaci_cost.core.summary import cost_summary
from qlaci_cost.errors import InputError
from qlaci_cost.qlaci import QLACIQuery
from qlaci_cost.qlam import QLAMStep, UpdateAnsatz

F = Fraction


def _trig(rng, R, base=1.0):
    a, b = rng.normal(size=R + 1), rng.normal(size=R + 1)

    def f(x):
        return sum(a[k] * np.cos(k * base * x) + b[k] * np.sin(k * base * x) for k in range(R + 1))

    return f, sum(k * base * b[k] for k in range(R + 1))  # f'(0) = sum_k k base b_k


@pytest.mark.parametrize("R", [1, 2, 3, 5, 8])
@pytest.mark.parametrize("base", [1.0, 0.5])
def test_shift_rule_is_the_derivative_of_any_trig_polynomial(R, base):
    f, exact = _trig(np.random.default_rng(R), R, base)
    rule = shift_rule(R, F(base).limit_denominator())
    assert len(rule) == 2 * R
    assert sum(c * f(x) for x, c in rule) == pytest.approx(exact, abs=1e-10)
    # sum |c| = R base: the rule's error bound, eps x Omega with Omega = R base.
    assert sum(abs(c) for _, c in rule) == pytest.approx(R * base, rel=1e-12)


def test_two_term_rule_is_mitarai_schuld():
    (x1, c1), (x2, c2) = shift_rule(1)
    assert (x1, c1) == pytest.approx((math.pi / 2, 0.5))
    assert (x2 % (2 * math.pi), c2) == pytest.approx((3 * math.pi / 2, -0.5))
    with pytest.raises(ValueError, match="frequencies"):
        shift_rule(0)


def _brute_frequencies(coefficients):
    """Distinct positive differences of the sums of +-c/2 over the occurrences."""
    sums = {sum(s * c / 2 for s, c in zip(signs, coefficients))
            for signs in itertools.product((1, -1), repeat=len(coefficients))}  # fmt: skip
    return {a - b for a in sums for b in sums if a > b}


@pytest.mark.parametrize(
    "coefficients",
    [[F(1)], [F(1)] * 5, [F(1, 2), F(1, 2), F(1), F(1)], [F(1), F(3)], [F(2, 3), F(1, 2), F(1)]],
)
def test_whole_parameter_frequencies_match_brute_force(coefficients):
    occ = [(leaf_frequencies((F(-1, 2), F(1, 2)), c), 1) for c in coefficients]
    spectrum = ParameterSpectrum("p", "weight", occ)
    assert spectrum.whole_frequencies == len(_brute_frequencies(coefficients))
    assert spectrum.omega == sum(abs(c) for c in coefficients)
    assert spectrum.chain_terms == 2 * len(coefficients)
    assert spectrum.shift_terms == min(2 * len(coefficients), 2 * spectrum.whole_frequencies)


def test_shared_parameter_symbolic_and_huge():
    N = sympy.Symbol("N", positive=True, integer=True)
    one = ParameterSpectrum("theta", "weight", [((F(1),), 1)])
    assert one.shared(N).shift_terms == 2 * N and one.shared(N).omega == N
    big = one.shared(2**200)
    assert big.shift_terms == 2**201 and big.whole_frequencies == 2**200


def test_spectra_of_the_update_ansatz_are_its_parameters():
    m, L, r = 3, 2, 2
    angles = sympy.symbols(f"a0:{L * r * m}", real=True)
    bloq = UpdateAnsatz(m, L, r, "ring", angles=angles)
    (spectrum,) = parameter_spectra(bloq, {a: ("ansatz", "weight") for a in angles})
    # The closed form n_parameters = L r m, each angle one Pauli rotation.
    assert spectrum.count == UpdateAnsatz(m, L, r, "ring").n_parameters == 12
    assert spectrum.occurrences == (((F(1),), 1),)


def test_spectra_of_a_qlam_step_cover_every_rotation():
    m, d_in = 2, 3
    theta = sympy.symbols("t0:8", real=True)
    x = sympy.symbols("x0:3", real=True)
    step = QLAMStep(m, d_in, 2, 2, token=x, params=theta)
    names = {s: ("ansatz", "weight") for s in theta} | {s: ("token", "input") for s in x}
    spectra = parameter_spectra(step, names)
    occurrences = sum(s.count * s.occurrences_total for s in spectra)
    assert occurrences == cost_summary(QLAMStep(m, d_in, 2, 2)).rotations == 8 + 3


def test_spectra_of_a_qlaci_query():
    q = QLACIQuery(2, d_q=2, bits=2)
    theta = sympy.symbols(f"t0:{q.interaction.n_parameters}", real=True)
    phi = sympy.symbols(f"p0:{q.aggregation.n_parameters}", real=True)
    fm = sympy.symbols("f0:2", real=True)
    query = QLACIQuery(
        2, d_q=2, bits=2, query=sympy.symbols("q0:2", real=True), keys=[[0], [3]],
        values=[[1], [2]], fm_angles=fm, theta=theta, phi=phi,
    )  # fmt: skip
    names = {s: ("w", "weight") for s in (*theta, *phi)} | {s: ("fm", "weight") for s in fm}
    spectra = {s.name: s for s in parameter_spectra(query, names)}
    # 2 (d_q + n_kv) L + 2 (d_q + n_kv + n_out) L = 8 + 10 weights of one Pauli rotation each.
    assert spectra["w"].count == q.trainable_parameters == 18
    # A feature-map scale a_c drives ControlledRy(a_c 2^p) for bits p = 0, 1, i.e.
    # Ry(+-a_c 2^p / 2): frequencies 1/2 (twice) and 1 (twice), Omega = 3.
    assert spectra["fm"].count == 2
    assert dict(spectra["fm"].occurrences) == {(F(1, 2),): 2, (F(1),): 2}
    assert spectra["fm"].omega == 3 and spectra["fm"].shift_terms == 8


def test_unknown_leaf_nonlinear_angle_and_unused_symbol():
    a, b = sympy.symbols("a b", real=True)
    with pytest.raises(ValueError, match="no shift rule"):
        parameter_spectra(ZPowGate(exponent=a), {a: ("a", "weight")})
    with pytest.raises(ValueError, match="not linear"):
        parameter_spectra(Ry(a**2), {a: ("a", "weight")})
    with pytest.raises(ValueError, match="drive no leaf"):
        parameter_spectra(Ry(a), {a: ("a", "weight"), b: ("b", "weight")})
    with pytest.raises(ValueError, match="kind"):
        ParameterSpectrum("a", "bias", [((F(1),), 1)])


def _spectra():
    w = ParameterSpectrum("w", "weight", [((F(1),), 1)]).shared(5).replicated(3)
    x = ParameterSpectrum("x", "input", [((F(1),), 1)]).replicated(10, F(1, 10))
    return [w, x]


def test_estimators_count_evaluations():
    eps = sympy.Rational(1, 100)
    ps = gradient_cost("parameter-shift", _spectra(), eps)
    # 3 weights x 5 occurrences x 2 + 10 inputs x 2 x 1/10.
    assert (ps.forward, ps.weight_evaluations, ps.input_evaluations) == (1, 30, 2)
    assert ps.evaluations == 33 and ps.eps_evaluation == eps
    fd = gradient_cost("finite-difference", _spectra(), eps)
    assert (fd.weight_evaluations, fd.input_evaluations, fd.evaluations) == (6, 2, 9)
    spsa = gradient_cost("spsa", _spectra(), eps, spsa_factor=4)
    assert (spsa.forward, spsa.evaluations, spsa.steps_factor) == (0, 2, 4)
    assert gradient_cost("parameter-shift", _spectra(), eps, inputs=False).evaluations == 31
    assert set(ESTIMATORS) == {"parameter-shift", "finite-difference", "spsa"}


@pytest.mark.parametrize("eps", ["0.01", "0.1", "0.003"])
def test_finite_difference_precision_and_step(eps):
    e = sympy.Rational(eps)
    value = finite_difference_eps(e)
    exact = sympy.sqrt(3 * e) * e / 2
    assert value.is_Rational and value <= exact < value * sympy.Rational(101, 100)
    omega = 7
    h = finite_difference_step(e, omega)
    # Bias bound Omega^3 h^2 / 6 = eps Omega / 2; statistical eps_evaluation / h <= eps Omega / 2.
    assert omega**3 * h**2 / 6 == pytest.approx(float(e) * omega / 2, rel=1e-12)
    assert float(value) / h <= float(e) * omega / 2 * (1 + 1e-12)


def test_finite_difference_bias_bound_holds_on_trig_polynomials():
    eps = 0.01
    for R in (1, 3, 9):
        f, exact = _trig(np.random.default_rng(100 + R), R)
        grid = np.linspace(-np.pi, np.pi, 20001)
        scale = float(np.max(np.abs(f(grid))))  # sup |f|: normalize to an output in [-1, 1]
        h = finite_difference_step(eps, R)
        bias = abs((f(h) - f(-h)) / (2 * h) - exact) / scale
        assert bias <= eps * R / 2


def test_bad_estimator_and_factor():
    with pytest.raises(InputError, match="gradient 'adam'"):
        gradient_cost("adam", _spectra(), sympy.Rational(1, 100))
    with pytest.raises(InputError, match="spsa_factor"):
        gradient_cost("spsa", _spectra(), sympy.Rational(1, 100), spsa_factor=0)
