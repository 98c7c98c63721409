"""Measurement cost of estimating Pauli expectation values: sampling shots or amplitude estimation.

A QLACI query reads its context vector c_i from d_ctx Pauli expectation values. Each is a
+-1-valued observable, so its mean is estimated either by repeated sampling (Hoeffding or the
central-limit rule) or coherently by amplitude estimation. The precision target is either
absolute (`abs:eps`) or relative to one position's share of the uniform average:
`rel:r` means eps = r / N, since the measured value is (1/N) sum_j f_j and a single position
moves it by at most O(1/N) (docs/design.md#readout-precision).

Every number is exact: ints for concrete inputs, sympy expressions when N (or eps) is a symbol.
Decimal inputs are read as exact rationals (a float is read through its shortest repr, so 0.01
is 1/100). Ceilings of irrational values are decided with adaptive-precision arithmetic
(`ExactCeiling`), so N = 2^200 gives the exact integer.
Derivations: docs/derivations/shots.md.
"""

import math
import numbers
from fractions import Fraction
from typing import Any, Optional, Union

import attrs
import sympy
from attrs import frozen

__all__ = [
    "METHODS",
    "REPETITION_BOUNDS",
    "AmplitudeEstimationCost",
    "ExactCeiling",
    "MeasurementCost",
    "Precision",
    "ae_calls",
    "clt_shots",
    "hoeffding_shots",
    "measurement_cost",
    "median_repetitions",
    "parse_precision",
]

Number = Union[int, float, str, Fraction, sympy.Expr]

METHODS = ("hoeffding", "clt", "amplitude-estimation")
REPETITION_BOUNDS = ("binomial", "hoeffding")

#: Default failure probability: 95% confidence.
DEFAULT_DELTA = sympy.Rational(1, 20)

#: Success probability of one run of amplitude estimation (BHMT Theorem 12, k = 1).
AE_SUCCESS = 8 / sympy.pi**2


# ----------------------------------------------------------------------------------------------
# Exact arithmetic


def _ceil_number(x: sympy.Expr) -> sympy.Integer:
    """Ceiling of a real number given as a sympy expression, decided with enough digits."""
    if x.is_Rational:
        return sympy.Integer(-((-x.p) // x.q))
    approx = x.evalf(15)
    digits = len(str(int(abs(approx))))  # of the integer part, exactly (no float: N = 2^1024)
    for guard in (30, 100, 400):
        y = x.evalf(digits + guard)
        floor = sympy.floor(y)
        frac = y - floor
        tol = sympy.Float(10, digits + guard) ** (5 - guard)
        if tol < frac < 1 - tol:
            return sympy.Integer(floor) + 1
    exact = sympy.nsimplify(x)  # an integer, or a value too close to one to tell apart
    if digits <= 50 and exact.is_Integer and sympy.simplify(x - exact) == 0:
        return exact
    raise ValueError(f"cannot decide the ceiling of {x} (too close to an integer)")


class ExactCeiling(sympy.ceiling):
    """`sympy.ceiling` that evaluates numeric arguments exactly at any magnitude.

    sympy's own ceiling gives up (or hangs in `simplify`) on values like 200 log(40) 2^400;
    this one raises the working precision until the integer part is certain. Symbolic
    arguments stay unevaluated, so `expr.subs(N, 2**200)` later gives the exact integer.
    """

    @classmethod
    def eval(cls, arg):
        arg = sympy.sympify(arg)
        if arg.is_number and (arg.is_Rational or arg.evalf(15).is_Float):
            return _ceil_number(arg)  # a finite real number (evalf gives a Float)
        return super().eval(arg)

    def _plain(self) -> sympy.Expr:
        return sympy.ceiling(self.args[0], evaluate=False)

    def _sympystr(self, printer):
        return printer._print(self._plain())

    def _latex(self, printer):
        return printer._print(self._plain())

    def _pretty(self, printer):
        return printer._print(self._plain())


def _ceil(x: sympy.Expr) -> Union[int, sympy.Expr]:
    """Python int for a number, an unevaluated `ExactCeiling` for a symbolic expression."""
    out = ExactCeiling(x)
    return int(out) if out.is_Integer else out


def _is_symbolic(x: Any) -> bool:
    return isinstance(x, sympy.Basic) and bool(x.free_symbols)


def _to_rational(x: Number, name: str, what: str) -> sympy.Expr:
    """An exact sympy number (or a symbolic expression) from int, float, str, Fraction, sympy."""
    bad = ValueError(f"{name}={x!r} is not allowed: {what}")
    if isinstance(x, bool):
        raise bad
    if isinstance(x, sympy.Basic):
        if _is_symbolic(x) or not x.is_Float:
            return x
        return sympy.Rational(str(x))
    if isinstance(x, Fraction):
        return sympy.Rational(x.numerator, x.denominator)
    if isinstance(x, int):
        return sympy.Integer(x)
    if isinstance(x, float):
        if not math.isfinite(x):
            raise bad
        return sympy.Rational(repr(x))
    if isinstance(x, str):
        try:
            value = sympy.Rational(x.strip())
        except (TypeError, ValueError, SyntaxError) as exc:
            raise bad from exc
        if not value.is_finite:
            raise bad
        return value
    try:  # numpy scalars and other numbers
        return _to_rational(float(x), name, what)
    except (TypeError, ValueError) as exc:
        raise bad from exc


def _unit_interval(x: Number, name: str, what: str) -> sympy.Expr:
    """Exact value of x, checked to lie in the open interval (0, 1) unless symbolic."""
    msg = f"{what} must be in (0, 1)"
    value = _to_rational(x, name, msg)
    if _is_symbolic(value):
        return value
    if not (value.is_extended_real and 0 < value < 1):
        raise ValueError(f"{name}={x!r} is not allowed: {msg}")
    return value


def _positive_size(x: Any, name: str, what: str) -> Union[int, sympy.Expr]:
    """An int >= 1, or a symbolic sympy expression."""
    if _is_symbolic(x):
        return x
    if isinstance(x, sympy.Basic) and x.is_Integer:
        x = int(x)
    if isinstance(x, bool) or not isinstance(x, numbers.Integral) or x < 1:
        raise ValueError(f"{name}={x!r} is not allowed: {what} must be an integer >= 1")
    return int(x)


def _confidence_value(delta: Number) -> sympy.Expr:
    value = _unit_interval(delta, "delta", "failure probability delta")
    if _is_symbolic(value):
        raise ValueError(f"delta={delta!r} is not allowed: delta must be a number in (0, 1)")
    return value


def _decimal_text(x: sympy.Expr) -> str:
    """Decimal string of a rational when it terminates (1/100 -> '0.01'), else 'p/q'."""
    if not x.is_Rational:
        return str(x)
    q = int(x.q)
    while q % 2 == 0:
        q //= 2
    while q % 5 == 0:
        q //= 5
    if q != 1:
        return str(x)
    frac = Fraction(int(x.p), int(x.q))
    scale = 0
    while (frac * 10**scale).denominator != 1:
        scale += 1
    text = f"{frac.numerator * 10**scale // frac.denominator}"
    if scale == 0:
        return text
    sign = "-" if text.startswith("-") else ""
    digits = text.lstrip("-").rjust(scale + 1, "0")
    return f"{sign}{digits[:-scale]}.{digits[-scale:]}"


# ----------------------------------------------------------------------------------------------
# Precision targets

_KINDS = ("abs", "rel")


def _check_kind(instance, attribute, kind) -> None:
    if kind not in _KINDS:
        raise ValueError(f"precision kind {kind!r} is not allowed: use 'abs' or 'rel'")


def _precision_value(x: Number) -> sympy.Expr:
    value = _unit_interval(x, "precision", "the precision value")
    if _is_symbolic(value):
        raise ValueError(f"precision={x!r} is not allowed: the precision value must be a number")
    return value


@frozen
class Precision:
    """Target additive precision of each Pauli expectation value.

    Args:
        kind: `abs`: eps = value. `rel`: eps = value / N, i.e. `value` times one position's
            share 1/N of the uniform average (1/N) sum_j f_j that a QLACI query measures.
        value: A number in (0, 1), stored as an exact rational.
    """

    kind: str = attrs.field(validator=_check_kind)
    value: sympy.Expr = attrs.field(converter=_precision_value)

    def eps(self, N: Any = None) -> sympy.Expr:
        """Additive eps on a Pauli expectation, exact: `value`, or `value / N` for `rel`."""
        if self.kind == "abs":
            return self.value
        if N is None:
            raise ValueError("N=None is not allowed: a relative precision needs N >= 1")
        return self.value / _positive_size(N, "N", "sequence length N")

    def __str__(self) -> str:
        return f"{self.kind}:{_decimal_text(self.value)}"

    def describe(self) -> str:
        if self.kind == "abs":
            return f"additive eps = {_decimal_text(self.value)} on each Pauli expectation"
        return (
            f"eps = {_decimal_text(self.value)}/N on each Pauli expectation "
            f"({_decimal_text(self.value)} of one position's share 1/N of the uniform average)"
        )


def parse_precision(text: Union[str, Precision]) -> Precision:
    """`'abs:0.01'` -> absolute eps 0.01; `'rel:0.1'` -> eps = 0.1 / N. Values in (0, 1)."""
    if isinstance(text, Precision):
        return text
    usage = "use 'abs:EPS' or 'rel:R' with EPS, R in (0, 1), e.g. 'abs:0.01' or 'rel:0.1'"
    if not isinstance(text, str) or text.count(":") != 1:
        raise ValueError(f"precision {text!r} is not allowed: {usage}")
    kind, _, value = text.strip().partition(":")
    kind = kind.strip().lower()
    if kind not in _KINDS:
        raise ValueError(f"precision {text!r} is not allowed: {usage}")
    try:
        return Precision(kind, value.strip())
    except ValueError as exc:
        raise ValueError(f"precision {text!r} is not allowed: {usage}") from exc


# ----------------------------------------------------------------------------------------------
# Sampling


def hoeffding_shots(eps: Number, delta: Number = DEFAULT_DELTA) -> Union[int, sympy.Expr]:
    """Shots M = ceil(2 ln(2/delta) / eps^2) for |mean - <P>| <= eps with probability 1 - delta.

    Hoeffding's inequality for M i.i.d. outcomes in [-1, 1] (range 2):
    P(|mean - <P>| >= eps) <= 2 exp(-2 M^2 eps^2 / (M 2^2)) = 2 exp(-M eps^2 / 2) <= delta
    iff M >= 2 ln(2/delta) / eps^2. Valid for every state; eps = 0.01, delta = 0.05: 73,778.
    """
    e = _unit_interval(eps, "eps", "precision eps")
    d = _confidence_value(delta)
    return _ceil(2 * sympy.log(2 / d) / e**2)


def clt_shots(eps: Number, confidence: Number = 1 - DEFAULT_DELTA) -> Union[int, sympy.Expr]:
    """Shots M = ceil(z^2 / eps^2), z = Phi^{-1}((1 + confidence)/2) = sqrt(2) erfinv(confidence).

    Central-limit (normal) approximation with the worst-case variance of a +-1 observable,
    Var = 1 - <P>^2 <= 1. Not a guarantee at finite M (Hoeffding is); 95%: z^2 = 3.8415.
    """
    e = _unit_interval(eps, "eps", "precision eps")
    c = _unit_interval(confidence, "confidence", "confidence")
    if _is_symbolic(c):
        raise ValueError(f"confidence={confidence!r} is not allowed: it must be a number")
    z_squared = 2 * sympy.erfinv(c) ** 2
    return _ceil(z_squared / e**2)


# ----------------------------------------------------------------------------------------------
# Amplitude estimation


def _binomial_repetitions(delta: sympy.Expr) -> int:
    """Smallest odd k with P(Binomial(k, 8/pi^2) <= (k-1)/2) <= delta, in exact rationals.

    The success probability is replaced by a rational lower bound p_lo <= 8/pi^2; the tail
    decreases in p, so the returned k is valid for every per-run success probability >= 8/pi^2.
    """
    scale = 10**40
    p_lo = Fraction(int(sympy.floor(AE_SUCCESS * scale)), scale)
    target = Fraction(int(delta.p), int(delta.q))
    k = 1
    while True:
        tail = sum(
            math.comb(k, s) * p_lo**s * (1 - p_lo) ** (k - s) for s in range((k - 1) // 2 + 1)
        )
        if tail <= target:
            return k
        k += 2


def median_repetitions(delta: Number = DEFAULT_DELTA, bound: str = "binomial") -> int:
    """Odd number k of amplitude-estimation runs whose median is within eps w.p. >= 1 - delta.

    One run is within eps with probability p >= 8/pi^2 (BHMT Theorem 12). With odd k the median
    is outside [a - eps, a + eps] only if at most (k-1)/2 runs succeed. Bounds on that tail:

    - `binomial` (default): the smallest odd k with P(Bin(k, 8/pi^2) <= (k-1)/2) <= delta,
      computed exactly (a larger p only lowers the tail). delta = 0.05 -> 7.
    - `hoeffding`: P(S <= k/2) <= exp(-2 k (p - 1/2)^2), so
      k = ceil(ln(1/delta) / (2 (8/pi^2 - 1/2)^2)) rounded up to odd; delta = 0.05 -> 17.

    Both give k = 1 when delta >= 1 - 8/pi^2 (one run already suffices).
    """
    d = _confidence_value(delta)
    if bound not in REPETITION_BOUNDS:
        allowed = ", ".join(REPETITION_BOUNDS)
        raise ValueError(f"repetition bound {bound!r} is not allowed: use one of {allowed}")
    if d >= 1 - AE_SUCCESS:
        return 1
    if bound == "binomial":
        return _binomial_repetitions(d)
    k = int(_ceil(sympy.log(1 / d) / (2 * (AE_SUCCESS - sympy.Rational(1, 2)) ** 2)))
    return k if k % 2 else k + 1


def _ae_grid_size(eps_a: sympy.Expr, power_of_two: bool) -> Union[int, sympy.Expr]:
    # Worst case a = 1/2: pi/M + pi^2/M^2 <= eps_a  <=>  eps_a M^2 - pi M - pi^2 >= 0
    # <=> M >= pi (1 + sqrt(1 + 4 eps_a)) / (2 eps_a) (the positive root, irrational).
    root = sympy.pi * (1 + sympy.sqrt(1 + 4 * eps_a)) / (2 * eps_a)
    if not power_of_two:
        return _ceil(root)
    # 2^ceil(log2 x) is the least power of two >= x, and equals that of ceil(x) for x >= 1.
    if _is_symbolic(root):
        return 2 ** ExactCeiling(sympy.log(root, 2))
    m = int(_ceil(root))
    return 1 << (m - 1).bit_length()


@frozen
class AmplitudeEstimationCost:
    """Cost of estimating one Pauli expectation to additive eps by amplitude estimation.

    Brassard, Hoyer, Mosca, Tapp, [Quantum Amplitude Amplification and
    Estimation](https://arxiv.org/abs/quant-ph/0005055) (2000), Theorem 12: Est_Amp(A, chi, M)
    returns a~ with |a~ - a| <= 2 pi sqrt(a(1-a))/M + pi^2/M^2 with probability >= 8/pi^2.

    Mapping: the observable's -1 outcome is the "good" subspace, a = (1 - <P>)/2, so
    <P> = 1 - 2a and an additive eps on <P> needs eps_a = eps/2 on a.

    What is counted: one run applies A once to prepare A|0>, then Lambda_M(Q) with
    Q = -A S_0 A^dagger S_chi for powers j = 0..M-1, i.e. M - 1 Grover iterates in total
    (controlled-Q^(2^i) over the bits of j when M = 2^m). Each iterate calls A once and
    A^dagger once (only the reflections S_0, S_chi need the control), so one run makes
    2(M - 1) + 1 = 2M - 1 calls to A or A^dagger. The inverse QFT on the M-point grid
    and the reflections are not in this count.

    Args:
        eps: Target additive error on <P>.
        delta: Allowed failure probability of the median of the runs.
        grid_size: M, the smallest M (or power of two) meeting the Theorem 12 bound for every a.
        repetitions: k, the odd number of runs whose median is returned.
        repetition_bound: How k was derived (`binomial` or `hoeffding`, see
            `median_repetitions`).
    """

    eps: sympy.Expr
    delta: sympy.Expr
    grid_size: Any
    repetitions: int
    repetition_bound: str = "binomial"

    @property
    def amplitude_eps(self) -> sympy.Expr:
        return self.eps / 2

    @property
    def success_probability(self) -> sympy.Expr:
        return AE_SUCCESS

    @property
    def grover_iterates(self) -> Any:
        return self.grid_size - 1

    @property
    def calls_per_repetition(self) -> Any:
        return 2 * self.grid_size - 1

    @property
    def circuit_calls(self) -> Any:
        """Total calls to A or A^dagger: repetitions x (2M - 1)."""
        return self.repetitions * self.calls_per_repetition

    def describe(self) -> str:
        return (
            f"amplitude estimation (Brassard-Hoyer-Mosca-Tapp Thm 12): M = {self.grid_size} "
            f"(error <= pi/M + pi^2/M^2 <= eps/2 on a = (1 - <P>)/2, success >= 8/pi^2), "
            f"{self.repetitions} runs for the median at confidence 1 - {self.delta} "
            f"({self.repetition_bound} bound), 2M - 1 = {self.calls_per_repetition} calls to "
            f"A or A^dagger per run, {self.circuit_calls} in total"
        )


def ae_calls(
    eps: Number,
    delta: Number = DEFAULT_DELTA,
    power_of_two: bool = False,
    repetition_bound: str = "binomial",
) -> AmplitudeEstimationCost:
    """Amplitude-estimation cost for additive eps on a Pauli expectation at confidence 1-delta.

    M = ceil(pi (1 + sqrt(1 + 2 eps)) / eps): the smallest M with pi/M + pi^2/M^2 <= eps/2,
    the Theorem 12 bound at its worst case a = 1/2 (2 pi sqrt(a(1-a)) <= pi). With
    `power_of_two`, M is rounded up to a power of two (an m-qubit phase register).
    Calls to A or A^dagger: repetitions x (2M - 1) ~ 4 pi k / eps.
    """
    e = _unit_interval(eps, "eps", "precision eps")
    d = _confidence_value(delta)
    k = median_repetitions(d, repetition_bound)
    return AmplitudeEstimationCost(e, d, _ae_grid_size(e / 2, power_of_two), k, repetition_bound)


# ----------------------------------------------------------------------------------------------
# Per-query measurement cost


@frozen
class MeasurementCost:
    """Circuit executions needed to read a query's d_ctx Pauli expectations to precision eps.

    `runs` separate executions, each making `calls_per_run` sequential calls to the query
    circuit A (or A^dagger); `circuit_calls` = runs x calls_per_run is the total, the factor
    that multiplies one query circuit's gate count. Sampling: calls_per_run = 1 and runs =
    shots x observables. Amplitude estimation: runs = repetitions x observables,
    calls_per_run = 2M - 1.

    Confidence 1 - delta holds for each observable separately (for all d_ctx jointly, a union
    bound needs delta / d_ctx: pass that delta).
    """

    method: str
    precision: Precision
    N: Any
    d_ctx: Any
    delta: sympy.Expr
    grouped: bool
    eps: Any
    per_observable: Any
    observables: Any
    runs: Any
    calls_per_run: Any
    amplitude_estimation: Optional[AmplitudeEstimationCost] = None

    @property
    def circuit_calls(self) -> Any:
        return self.runs * self.calls_per_run

    def describe(self) -> str:
        group = (
            "all d_ctx observables measured together from the same shots (grouped)"
            if self.grouped
            else f"d_ctx = {self.d_ctx} observables measured separately"
        )
        if self.method == "amplitude-estimation":
            how = self.amplitude_estimation.describe()
        elif self.method == "hoeffding":
            how = f"Hoeffding: ceil(2 ln(2/delta)/eps^2) = {self.per_observable} shots"
        else:
            how = f"CLT: ceil(z^2/eps^2) = {self.per_observable} shots (z at {1 - self.delta})"
        return (
            f"Per query: {self.circuit_calls} circuit calls ({self.runs} runs x "
            f"{self.calls_per_run} calls each) for {self.precision.describe()} "
            f"(eps = {self.eps} at N = {self.N}), confidence 1 - {self.delta} per observable; "
            f"{how}; {group}."
        )


def measurement_cost(
    precision: Union[str, Precision],
    N: Any,
    d_ctx: Any,
    method: str = "hoeffding",
    delta: Number = DEFAULT_DELTA,
    grouped: bool = False,
    repetition_bound: str = "binomial",
) -> MeasurementCost:
    """Circuit calls per query to estimate d_ctx Pauli expectations to the given precision.

    Args:
        precision: `Precision` or `'abs:EPS'` / `'rel:R'` (eps = R / N).
        N: Sequence length (int >= 1 or a sympy symbol).
        d_ctx: Number of Pauli observables read per query (int >= 1 or a sympy symbol).
        method: `hoeffding` (guaranteed), `clt` (normal approximation at confidence 1 - delta)
            or `amplitude-estimation`.
        delta: Failure probability per observable, in (0, 1).
        grouped: Sampling methods only: all observables commute and are read from the same
            shots, so the shot count is not multiplied by d_ctx.
        repetition_bound: Amplitude estimation only: see `median_repetitions`.
    """
    if method not in METHODS:
        raise ValueError(f"method {method!r} is not allowed: use one of {', '.join(METHODS)}")
    prec = parse_precision(precision)
    n = _positive_size(N, "N", "sequence length N")
    d_ctx = _positive_size(d_ctx, "d_ctx", "number of observables d_ctx")
    d = _confidence_value(delta)
    if grouped and method == "amplitude-estimation":
        raise ValueError(
            "grouped=True is not allowed with method 'amplitude-estimation': amplitude "
            "estimation reads one observable per run; grouping applies to hoeffding and clt"
        )
    eps = prec.eps(n)
    observables = 1 if grouped else d_ctx
    ae = None
    if method == "hoeffding":
        per_observable = hoeffding_shots(eps, d)
        runs, calls_per_run = per_observable * observables, 1
    elif method == "clt":
        per_observable = clt_shots(eps, 1 - d)
        runs, calls_per_run = per_observable * observables, 1
    else:
        ae = ae_calls(eps, d, repetition_bound=repetition_bound)
        per_observable = ae.circuit_calls
        runs, calls_per_run = ae.repetitions * observables, ae.calls_per_repetition
    return MeasurementCost(
        method, prec, n, d_ctx, d, grouped, eps, per_observable, observables, runs,
        calls_per_run, ae,
    )  # fmt: skip
