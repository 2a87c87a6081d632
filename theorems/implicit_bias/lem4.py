r"""BIAS-Lem4: Lemma 4 of "A Unifying View on Implicit Bias in Training Linear Neural Networks".

§5.1 (restated and proved in App F.1), as printed::

    **Lemma 4.** *Consider the system of ODEs, where  $p, q : \mathbb{R} \rightarrow \mathbb{R}$ :*

    $$\dot{p} = p^{L-2} q, \quad \dot{q} = p^{L-1}, \quad p(0) = 1, \quad q(0) = 0.$$

    Then, the solutions  $p_L(t)$  and  $q_L(t)$  are continuous on their maximal interval of
    existence of the form  $(-c, c) \subset \mathbb{R}$  for some  $c \in (0, \infty]$ . Define
    $h_L(t) = p_L(t)^{L-1}q_L(t)$ ; then,  $h_L(t)$  is odd and strictly increasing, satisfying
    $\lim_{t \uparrow c} h_L(t) = \infty$  and  $\lim_{t \downarrow -c} h_L(t) = -\infty$ .

Reading. ``L >= 2`` is the depth (§3: "where L >= 2"); Theorem 5 and Remark 4 then use ``h_L``
through ``h_L^{-1}`` and ``H_L(t) := int_0^t h_L^{-1}`` (engine: :mod:`verify.core.h_functions`).

What the checks establish (``as-printed``: supported; the statement contains the limits
``t -> c``, ``c_2 = oo``, so it is asymptotic and never certified):

* ``p^2 - q^2`` is a first integral (exact, symbolic ``L``), so ``p = sqrt(1 + q^2) >= 1``;
* the reflection ``(p, q)(t) -> (p, -q)(-t)`` maps solutions to solutions and fixes the initial
  value, so ``p`` is even, ``q`` and ``h_L`` odd, the interval symmetric (App F.1's argument);
* ``h_L' = (1 + q^2)^{L-2} (L q^2 + 1) >= 1`` (exact, symbolic ``L``): strictly increasing;
* the time change ``dtau = p^{L-2} dt`` gives ``p = cosh tau``, ``q = sinh tau``,
  ``t = int_0^tau sech^{L-2}``, hence ``c_2 = oo`` and, for ``L >= 3``,
  ``c_L = sqrt(pi) Gamma((L-2)/2) / (2 Gamma((L-1)/2))`` (``pi/2, 1, pi/4, 2/3`` for
  ``L = 3..6``), and ``h_L -> +-oo`` at ``+-c_L``;
* closed forms ``h_2 = sinh(2t)/2`` (App G, eq. (75) with ``eta_2 = 0``), ``h_3 = tan t sec^2 t``,
  ``h_4 = t / (1 - t^2)^2``; exact Taylor series agree between the ODE and the time change;
* numerically: monotonicity and the growth bound below are certified in ball arithmetic at the
  sampled points; oddness, agreement with an independent Taylor-series ODE integration and with
  the series at 0 are supported; a search finds no violation.

The printed ``p, q : R -> R`` is loose for ``L >= 3`` (the solutions live on ``(-c_L, c_L)``
with ``c_L < oo``), which the lemma itself then states; no part of the statement is false.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import flint
import mpmath
import numpy as np
import sympy

from theorems.papers import BIAS
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import h_functions as hf
from verify.domain import Batch, Domain, Instance, Integer, Property, Real
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"**Lemma 4.** *Consider the system of ODEs, where  $p, q : \mathbb{R} \rightarrow "
    r"\mathbb{R}$ :*" "\n\n"
    r"$$\dot{p} = p^{L-2} q, \quad \dot{q} = p^{L-1}, \quad p(0) = 1, \quad q(0) = 0.$$"
    "\n\n\n\n"
    r"Then, the solutions  $p_L(t)$  and  $q_L(t)$  are continuous on their maximal interval "
    r"of existence of the form  $(-c, c) \subset \mathbb{R}$  for some  $c \in (0, \infty]$ . "
    r"Define  $h_L(t) = p_L(t)^{L-1}q_L(t)$ ; then,  $h_L(t)$  is odd and strictly increasing, "
    r"satisfying  $\lim_{t \uparrow c} h_L(t) = \infty$  and  "
    r"$\lim_{t \downarrow -c} h_L(t) = -\infty$ ."
)

L_MIN, L_MAX = 2, 6
SERIES_ORDER = 61
BOUND = 10**6
"""The bound of the planted ``h-bounded`` mutant."""

RELATIVE = Tolerance(rtol=1e-9, atol=0.0)


def _bits(digits: int) -> int:
    return int(3.33 * digits) + 40


def _in_balls(margin_hp: Callable[[Instance, int], Any]) -> Callable[[Instance, int], Any]:
    """Run a high-precision margin with python-flint working at the precision of ``digits``
    (ball arithmetic outside ``workprec`` would round to 53 bits)."""

    @functools.wraps(margin_hp)
    def wrapped(inst: Instance, digits: int) -> Any:
        with flint.ctx.workprec(_bits(digits)):
            return margin_hp(inst, digits)

    return wrapped


# --------------------------------------------------------------------------- points of (-c, c)
# A point of the maximal interval is given by u in (-1, 1): t = c_L u when c_L < oo, and
# t = artanh(u) for L = 2 (c_2 = oo); u -> +-1 is t -> +-c_L.


def t_of_u(L: int, u: np.ndarray) -> np.ndarray:
    """The point ``t`` of ``(-c_L, c_L)`` encoded by ``u`` in ``(-1, 1)`` (float64)."""
    return np.arctanh(u) if L == 2 else hf.blowup_time(L) * np.asarray(u, dtype=float)


def t_of_u_arb(L: int, u: Fraction, digits: int) -> flint.arb:
    """A ball for the point ``t`` encoded by the exact ``u``."""
    with flint.ctx.workprec(_bits(digits)):
        ball = flint.arb(flint.fmpq(u.numerator, u.denominator))
        return ball.atanh() if L == 2 else ball * hf.blowup_time_arb(L, _bits(digits))


def _h_at(L: int, u: Fraction, digits: int) -> flint.arb:
    return hf.h_arb(L, t_of_u_arb(L, u, digits), _bits(digits))


def _h_float(batch: Batch, key: str) -> np.ndarray:
    return hf.h(batch["L"], t_of_u(batch["L"], batch[key]))


# --------------------------------------------------------------------------- samplers


def _interior_points(rng: np.random.Generator, n: int) -> np.ndarray:
    """``u`` in ``(-1, 1)``: uniform, within ``10^-k`` of an end (``k`` up to 13), near 0."""
    kind = rng.integers(3, size=n)
    sign = rng.choice([-1.0, 1.0], size=n)
    uniform = rng.uniform(-1, 1, size=n)
    near_end = sign * (1 - 10.0 ** -rng.uniform(1, 13, size=n))
    near_zero = sign * 10.0 ** -rng.uniform(1, 12, size=n)
    return np.choose(kind, [uniform, near_end, near_zero])


def _per_depth(n: int, draw: Callable[[int], Batch]) -> list[Batch]:
    sizes = np.full(L_MAX - L_MIN + 1, n // (L_MAX - L_MIN + 1))
    sizes[: n - int(sizes.sum())] += 1
    depths = range(L_MIN, L_MAX + 1)
    return [{"L": L, **draw(int(k))} for L, k in zip(depths, sizes, strict=True) if k]


def _pairs_sampler(rng: np.random.Generator, n: int) -> list[Batch]:
    """Pairs ``(u1, u2)``: independent, or ``u2`` within ``10^-k`` of ``u1`` (close pairs)."""

    def draw(k: int) -> Batch:
        u1 = _interior_points(rng, k)
        gap = (1 - np.abs(u1)) * 10.0 ** -rng.uniform(0, 10, size=k)
        close = np.clip(u1 + rng.choice([-0.5, 0.5], size=k) * gap, -1 + 1e-15, 1 - 1e-15)
        u2 = np.where(rng.random(k) < 0.5, _interior_points(rng, k), close)
        return {"u1": u1, "u2": u2}

    return _per_depth(n, draw)


def _points_sampler(rng: np.random.Generator, n: int) -> list[Batch]:
    return _per_depth(n, lambda k: {"u": _interior_points(rng, k)})


def _right_half_sampler(rng: np.random.Generator, n: int) -> list[Batch]:
    """``u`` in ``[0, 1)``, mostly close to the blow-up ``u -> 1``."""
    return _per_depth(n, lambda k: {"u": np.where(rng.random(k) < 0.7,
                                                  1 - 10.0 ** -rng.uniform(0, 14, size=k),
                                                  rng.uniform(0, 1, size=k))})


def _bounded_sampler(bound: float) -> Callable[[np.random.Generator, int], list[Batch]]:
    def sample(rng: np.random.Generator, n: int) -> list[Batch]:
        return _per_depth(n, lambda k: {"u": rng.uniform(-bound, bound, size=k)})

    return sample


# --------------------------------------------------------------------------- h_L increasing


def _increasing_margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = np.minimum(batch["u1"], batch["u2"]), np.maximum(batch["u1"], batch["u2"])
    a, b = _h_float({**batch, "u": lo}, "u"), _h_float({**batch, "u": hi}, "u")
    return a - b, np.abs(a) + np.abs(b)


@_in_balls
def _increasing_margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
    if inst["u1"] == inst["u2"]:
        return None
    lo, hi = sorted((inst["u1"], inst["u2"]))
    a, b = _h_at(inst["L"], lo, digits), _h_at(inst["L"], hi, digits)
    return a - b, abs(a) + abs(b)


_PAIRS = Domain(
    variables=(Integer("L", L_MIN, L_MAX), Real("u1", -1, 1, open_low=True, open_high=True),
               Real("u2", -1, 1, open_low=True, open_high=True)),
    hypothesis=lambda b: b["u1"] != b["u2"])

INCREASING = Property(
    _PAIRS, _increasing_margin, _increasing_margin_hp, RELATIVE, rigorous=True,
    description="h_L(t1) < h_L(t2) for t1 < t2 in (-c_L, c_L): excess h_L(t1) - h_L(t2)")


# --------------------------------------------------------------------------- h_L odd / even


def _points_domain(low: float = -1.0, high: float = 1.0, open_low: bool = True) -> Domain:
    return Domain((Integer("L", L_MIN, L_MAX),
                   Real("u", low, high, open_low=open_low, open_high=True)))


def _parity_margin(sign: int) -> Callable[[Batch], tuple[np.ndarray, np.ndarray]]:
    """``|h(t) + sign * h(-t)|``: ``sign = +1`` is oddness, ``-1`` evenness."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        a = _h_float(batch, "u")
        b = _h_float({**batch, "u": -batch["u"]}, "u")
        return np.abs(a + sign * b), np.abs(a) + np.abs(b)

    return margin


def _parity_margin_hp(sign: int) -> Callable[[Instance, int], tuple[Any, Any]]:
    """The same in ball arithmetic; the ball for ``h(-t)`` is certified on ``-t`` itself."""

    @_in_balls
    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        a, b = _h_at(inst["L"], inst["u"], digits), _h_at(inst["L"], -inst["u"], digits)
        return abs(a + sign * b), abs(a) + abs(b)

    return margin_hp


ODD = Property(_points_domain(), _parity_margin(+1), _parity_margin_hp(+1), RELATIVE,
               description="h_L(-t) = -h_L(t): excess |h_L(t) + h_L(-t)|")
EVEN = Property(_points_domain(), _parity_margin(-1), _parity_margin_hp(-1), RELATIVE,
                rigorous=True, description="planted: h_L(-t) = h_L(t)")


# --------------------------------------------------------------------------- growth towards c_L


def _growth_bound(L: int, u: np.ndarray) -> np.ndarray:
    """``B_L(t) <= h_L(t)`` on ``[0, c_L)`` with ``B_L -> oo`` as ``t -> c_L``.

    ``sech s >= e^{-s}`` gives ``c_L - t >= e^{-(L-2) tau} / (L-2)``, i.e. ``e^tau >= E :=
    ((L-2)(c_L - t))^{-1/(L-2)}``; with ``tau >= 0`` and ``h = cosh^{L-1} sinh`` increasing in
    ``e^tau``: ``h_L >= (X^L - X^{L-2}) / 2^L``, ``X = max(E, 1)``. ``L = 2``:
    ``h_2 = sinh(2t)/2 >= (e^{2t} - 1)/4``.
    """
    if L == 2:
        return np.expm1(2 * np.arctanh(u)) / 4
    x = np.maximum(((L - 2) * hf.blowup_time(L) * (1 - u)) ** (-1.0 / (L - 2)), 1.0)
    return (x**L - x ** (L - 2)) / 2**L


def _growth_bound_arb(L: int, u: Fraction, digits: int) -> flint.arb:
    with flint.ctx.workprec(_bits(digits)):
        if L == 2:
            return (2 * t_of_u_arb(L, u, digits)).expm1() / 4
        gap = (L - 2) * hf.blowup_time_arb(L, _bits(digits)) * (1 - flint.arb(
            flint.fmpq(u.numerator, u.denominator)))
        x = (gap ** flint.arb(flint.fmpq(-1, L - 2))).max(flint.arb(1))
        return (x**L - x ** (L - 2)) / 2**L


def _growth_margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    bound, value = _growth_bound(batch["L"], batch["u"]), _h_float(batch, "u")
    return bound - value, np.abs(bound) + np.abs(value)


@_in_balls
def _growth_margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
    bound, value = _growth_bound_arb(inst["L"], inst["u"], digits), _h_at(
        inst["L"], inst["u"], digits)
    return bound - value, abs(bound) + abs(value)


GROWTH = Property(
    _points_domain(0.0, 1.0, open_low=False), _growth_margin, _growth_margin_hp, RELATIVE,
    rigorous=True,
    description="B_L(t) <= h_L(t) on [0, c_L) with B_L -> oo at c_L (hence h_L -> oo; by "
                "oddness h_L -> -oo at -c_L)")


# --------------------------------------------------------------------------- the engine is the ODE


ODE_TOLERANCE = Tolerance(rtol=1e-8, atol=0.0)
ODE_RANGE = 0.95


def _ode_margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    L, t = batch["L"], t_of_u(batch["L"], batch["u"])
    p, q = hf.ode_solution_rk(L, t)
    ode, engine = p ** (L - 1) * q, hf.h(L, t)
    return np.abs(engine - ode), np.abs(engine)


def _ode_margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
    L = inst["L"]
    t = t_of_u_arb(L, inst["u"], digits)
    engine = hf.h_arb(L, t, _bits(digits))
    p, q = hf.ode_solution_hp(t, L, digits)
    with mpmath.workdps(digits + 10):
        ode = p ** (L - 1) * q
        value = hf.to_mpf(engine)
        return abs(value - ode), abs(value)


ENGINE_IS_ODE = Property(
    _points_domain(-ODE_RANGE, ODE_RANGE), _ode_margin, _ode_margin_hp, ODE_TOLERANCE,
    description="h_L from the time change equals p^{L-1} q of a direct integration of the ODE "
                "(float: RK4, 2000 steps; high precision: Taylor series, no first integral used)")


@functools.cache
def _series(L: int) -> tuple[Fraction, ...]:
    return tuple(hf.series_coefficients(L, SERIES_ORDER)[2])


SERIES_RANGE = 0.25


def _series_margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    L, t = batch["L"], t_of_u(batch["L"], batch["u"])
    poly = np.polynomial.polynomial.polyval(t, [float(c) for c in _series(L)])
    value = hf.h(L, t)
    return np.abs(value - poly), np.abs(value)


@_in_balls
def _series_margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
    L = inst["L"]
    t = t_of_u_arb(L, inst["u"], digits)
    poly = flint.arb(0)
    for c in reversed(_series(L)):
        poly = poly * t + flint.arb(flint.fmpq(c.numerator, c.denominator))
    value = hf.h_arb(L, t, _bits(digits))
    return abs(value - poly), abs(value)


SERIES_AT_0 = Property(
    _points_domain(-SERIES_RANGE, SERIES_RANGE), _series_margin, _series_margin_hp,
    Tolerance(rtol=1e-12, atol=0.0),
    description=f"h_L(t) equals its Taylor polynomial of degree {SERIES_ORDER} from the ODE "
                f"recurrence for |t| <= {SERIES_RANGE} c_L (truncation ~ 4^-{SERIES_ORDER})")


# --------------------------------------------------------------------------- adversarial search


def _search_points(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    """``u1 = 1 - g`` (close to the end for small ``g``) and ``u2 = 1 - g (1 - r/2)``."""
    return 1 - batch["g"], 1 - batch["g"] * (1 - batch["r"] / 2)


def _search_margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    u1, u2 = _search_points(batch)
    a, b = _h_float({**batch, "u": u1}, "u"), _h_float({**batch, "u": u2}, "u")
    ma, mb = _h_float({**batch, "u": -u1}, "u"), _h_float({**batch, "u": -u2}, "u")
    rel = np.maximum.reduce([(a - b) / (np.abs(a) + np.abs(b)),
                             (mb - ma) / (np.abs(ma) + np.abs(mb)),
                             np.abs(a + ma) / np.maximum(np.abs(a) + np.abs(ma), 1e-300)])
    return rel, np.ones_like(rel)


@_in_balls
def _search_margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
    u1 = 1 - inst["g"]
    u2 = 1 - inst["g"] * (1 - inst["r"] / 2)
    if not -1 < u1 < u2 < 1:
        return None
    L = inst["L"]
    a, b = _h_at(L, u1, digits), _h_at(L, u2, digits)
    ma, mb = _h_at(L, -u1, digits), _h_at(L, -u2, digits)
    rel = ((a - b) / (abs(a) + abs(b))).max((mb - ma) / (abs(ma) + abs(mb)))
    if u1 != 0:
        rel = rel.max(abs(a + ma) / (abs(a) + abs(ma)))
    return rel, flint.arb(1)


SEARCH = Property(
    Domain((Integer("L", L_MIN, L_MAX), Real("g", 1e-13, 2.0, log=True, open_high=True),
            Real("r", 1e-12, 1.0, log=True))),
    _search_margin, _search_margin_hp, RELATIVE,
    description="max of the relative violations of h(t1) < h(t2), h(-t2) < h(-t1) and "
                "h(-t1) = -h(t1), with t1 < t2 close to each other and to +-c_L")


def _bounded_margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    value = np.abs(_h_float({**batch, "u": 1 - batch["g"]}, "u"))
    return value - BOUND, np.full_like(value, BOUND)


@_in_balls
def _bounded_margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
    return abs(_h_at(inst["L"], 1 - inst["g"], digits)) - BOUND, flint.arb(BOUND)


BOUNDED = Property(
    Domain((Integer("L", L_MIN, L_MAX), Real("g", 1e-13, 2.0, log=True, open_high=True))),
    _bounded_margin, _bounded_margin_hp, RELATIVE, rigorous=True,
    description=f"planted: |h_L(t)| <= {BOUND} on (-c_L, c_L)")


# --------------------------------------------------------------------------- symbolic derivations

_t = sympy.Symbol("t", real=True)
_L = sympy.Symbol("L", integer=True, positive=True)
_p = sympy.Symbol("p", positive=True)
_q = sympy.Symbol("q", real=True)


def _field(a: sympy.Expr, b: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """The vector field ``(p^a q, p^b)`` at the symbolic point ``(p, q)``."""
    return _p**a * _q, _p**b


def derive_first_integral() -> SymbolicOutcome:
    """``d/dt (p^2 - q^2) = 2 p p' - 2 q q' = 0`` for every ``L``; hence ``p^2 = 1 + q^2``."""
    dp, dq = _field(_L - 2, _L - 1)
    rate = sympy.simplify(2 * _p * dp - 2 * _q * dq)
    return SymbolicOutcome(rate == 0,
                           f"d/dt (p^2 - q^2) = {rate} along p' = p^(L-2) q, q' = p^(L-1) "
                           "(symbolic L); with p(0) = 1, q(0) = 0: p^2 = 1 + q^2, so p never "
                           "vanishes and p = sqrt(1 + q^2) >= 1 on the whole interval")


def derive_reflection() -> SymbolicOutcome:
    """``R(p, q) = (p, -q)`` reverses the field, ``F(R x) = -R F(x)``, and fixes ``(1, 0)``:
    ``t -> R x(-t)`` is again the solution (App F.1), so ``p`` is even, ``q`` and ``h`` odd."""
    dp, dq = _field(_L - 2, _L - 1)
    reflected = (dp.subs(_q, -_q), dq.subs(_q, -_q))
    residual = [sympy.simplify(reflected[0] + dp), sympy.simplify(reflected[1] - dq)]
    h = _p ** (_L - 1) * _q
    odd = sympy.simplify(h.subs(_q, -_q) + h)
    holds = residual == [0, 0] and odd == 0
    return SymbolicOutcome(holds, f"F(p, -q) + R F(p, q) = {residual}; h(p, -q) + h(p, q) = "
                                  f"{odd} (symbolic L); R fixes (p(0), q(0)) = (1, 0)")


def derive_monotone() -> SymbolicOutcome:
    """``h' = (L-1) p^{L-2} p' q + p^{L-1} q' = (1 + q^2)^{L-2} (L q^2 + 1)`` given
    ``p^2 = 1 + q^2``, which sympy proves positive (and ``>= 1``) for every ``L >= 1``."""
    dp, dq = _field(_L - 2, _L - 1)
    dh = (_L - 1) * _p ** (_L - 2) * dp * _q + _p ** (_L - 1) * dq
    target = (1 + _q**2) ** (_L - 2) * (_L * _q**2 + 1)
    gap = sympy.simplify(dh.subs(_p, sympy.sqrt(1 + _q**2)) - target)
    positive = target.is_positive
    return SymbolicOutcome(gap == 0 and positive is True,
                           f"h_L' - (1 + q^2)^(L-2) (L q^2 + 1) = {gap}; positive: {positive} "
                           "(so h_L is strictly increasing, h_L(t) - h_L(s) >= t - s)")


def derive_blowup() -> SymbolicOutcome:
    """Time change ``dtau = p^{L-2} dt``: ``dp/dtau = q, dq/dtau = p`` (dsolve: ``cosh, sinh``);
    ``c_L = int_0^oo sech^{L-2} = int_0^oo (1 + s^2)^{-(L-1)/2} ds`` (``s = sinh``) in closed form;
    ``h = cosh^{L-1} sinh -> oo`` as ``tau -> oo``, i.e. as ``t -> c_L``."""
    tau = sympy.Symbol("tau", real=True)
    P, Q = sympy.Function("P"), sympy.Function("Q")
    sol = sympy.dsolve([sympy.Eq(P(tau).diff(tau), Q(tau)), sympy.Eq(Q(tau).diff(tau), P(tau))],
                       [P(tau), Q(tau)], ics={P(0): 1, Q(0): 0})
    linear = [sympy.simplify(s.rhs - f(tau))
              for s, f in zip(sol, (sympy.cosh, sympy.sinh), strict=True)]
    dp, dq = _field(_L - 2, _L - 1)
    rescaled = [sympy.simplify(dp / _p ** (_L - 2) - _q), sympy.simplify(dq / _p ** (_L - 2) - _p)]
    s = sympy.Symbol("s", positive=True)
    Lg = sympy.Symbol("L", positive=True)
    general = sympy.integrate((1 + s**2) ** (-(Lg - 1) / 2), (s, 0, sympy.oo))
    general = general.args[0][0] if isinstance(general, sympy.Piecewise) else general
    formula_ok = sympy.simplify(general - sympy.sqrt(sympy.pi) * sympy.gamma(Lg / 2 - 1)
                                / (2 * sympy.gamma(Lg / 2 - sympy.Rational(1, 2)))) == 0
    values, limits = {}, {}
    for L in range(L_MIN, L_MAX + 1):
        values[L] = sympy.integrate((1 + s**2) ** sympy.Rational(-(L - 1), 2), (s, 0, sympy.oo))
        limits[L] = sympy.limit(sympy.cosh(tau) ** (L - 1) * sympy.sinh(tau), tau, sympy.oo)
    expected = {L: hf.blowup_time_exact(L) for L in values}
    holds = (linear == [0, 0] and rescaled == [0, 0] and formula_ok and values == expected
             and all(v is sympy.oo for v in limits.values()))
    return SymbolicOutcome(
        holds,
        f"after dtau = p^(L-2) dt: dp/dtau - q, dq/dtau - p = {rescaled}; solution "
        f"(cosh tau, sinh tau): {linear == [0, 0]}; t(tau) = int_0^tau sech^(L-2) is a strictly "
        f"increasing bijection R -> (-c_L, c_L), c_L = sqrt(pi) Gamma(L/2-1)/(2 Gamma(L/2-1/2)) "
        f"for L > 2: {formula_ok}; c_L for L = 2..6: {values}; so the maximal interval is "
        f"(-c_L, c_L) (q = sinh tau -> +-oo at its ends) and lim_(tau->oo) h = {limits}")


CLOSED_FORMS = {2: sympy.sinh(2 * _t) / 2, 3: sympy.tan(_t) / sympy.cos(_t) ** 2,
                4: _t / (1 - _t**2) ** 2}
"""h_2 (App G, eq. (75) with eta_2 = 0: cosh * sinh), h_3 and h_4 in closed form."""


def derive_closed_forms() -> SymbolicOutcome:
    """``h_2 = sinh(2t)/2`` (dsolve; App G eq. (75) with ``eta_2 = 0``), ``h_3 = tan t sec^2 t``,
    ``h_4 = t/(1-t^2)^2``: each solves the IVP exactly and its singularity is at ``c_L``."""
    t = _t
    report, holds = [], True
    for L, h_expected in CLOSED_FORMS.items():
        p, q, h = hf.closed_form(L)
        ode = [sympy.simplify(sympy.diff(p, t) - p ** (L - 2) * q),
               sympy.simplify(sympy.diff(q, t) - p ** (L - 1))]
        initial = (p.subs(t, 0), q.subs(t, 0))
        same = sympy.simplify(h - h_expected) == 0
        ok = ode == [0, 0] and initial == (1, 0) and same
        if L > 2:
            c = hf.blowup_time_exact(L)
            ok = ok and sympy.limit(h, t, c, "-") is sympy.oo
        else:
            ok = ok and sympy.limit(h, t, sympy.oo) is sympy.oo
        holds &= ok
        report.append(f"L={L}: q={q}, h={h} ({'ok' if ok else 'FAILS'})")
    return SymbolicOutcome(holds, "; ".join(report))


Series = list[Fraction]
"""Truncated power series at 0: exact coefficients of ``x^0 .. x^order``."""


def _mul(a: Series, b: Series) -> Series:
    return [sum((a[j] * b[k - j] for j in range(k + 1)), Fraction(0)) for k in range(len(a))]


def _reciprocal(a: Series) -> Series:
    out = [1 / a[0]]
    for k in range(1, len(a)):
        out.append(-sum((a[j] * out[k - j] for j in range(1, k + 1)), Fraction(0)) / a[0])
    return out


def _power(a: Series, n: int) -> Series:
    out = [Fraction(1)] + [Fraction(0)] * (len(a) - 1)
    for _ in range(n):
        out = _mul(out, a)
    return out


def _compose(outer: Series, inner: Series) -> Series:
    """Truncated ``outer(inner(x))`` for ``inner(0) = 0``."""
    result = [Fraction(0)] * len(inner)
    power = [Fraction(1)] + [Fraction(0)] * (len(inner) - 1)
    for c in outer:
        result = [r + c * pw for r, pw in zip(result, power, strict=True)]
        power = _mul(power, inner)
    return result


def _revert(a: Series) -> Series:
    """Series of ``a^{-1}`` for ``a(x) = x + ...``: fixed point ``y = x - (a(y) - y)``."""
    x = [Fraction(int(k == 1)) for k in range(len(a))]
    y = list(x)
    for _ in range(len(a)):
        y = [xk - ak + yk for xk, ak, yk in zip(x, _compose(a, y), y, strict=True)]
    return y


def _cosh_sinh(order: int) -> tuple[Series, Series]:
    fact = [Fraction(1, math.factorial(k)) for k in range(order + 1)]
    return ([f if k % 2 == 0 else Fraction(0) for k, f in enumerate(fact)],
            [f if k % 2 == 1 else Fraction(0) for k, f in enumerate(fact)])


def _sympy_coefficients(expr: sympy.Expr, order: int) -> Series:
    poly = sympy.series(expr, _t, 0, order + 1).removeO()
    return [Fraction(str(poly.coeff(_t, k))) for k in range(order + 1)]


def derive_series(order: int = 13) -> SymbolicOutcome:
    """Taylor coefficients of ``h_L`` at 0, exactly, three ways: the ODE recurrence; the time
    change (``tau = T_L^{-1}(t)``, ``T_L = int sech^{L-2}``, then ``cosh^{L-1} sinh``), for
    ``L = 2..6``; and sympy's series of the closed forms (``L = 2, 3, 4``)."""
    cosh, sinh = _cosh_sinh(order)
    report, holds = [], True
    for L in range(L_MIN, L_MAX + 1):
        ode = hf.series_coefficients(L, order)[2]
        density = _power(_reciprocal(cosh), L - 2)
        time = [Fraction(0)] + [density[k - 1] / k for k in range(1, order + 1)]
        via_tau = _compose(_mul(_power(cosh, L - 1), sinh), _revert(time))
        agree = ode == via_tau
        if L in CLOSED_FORMS:
            agree = agree and ode == _sympy_coefficients(CLOSED_FORMS[L], order)
        holds &= agree
        shown = " + ".join(f"{c} t^{k}" for k, c in enumerate(ode[:8]) if c)
        report.append(f"L={L}: h = {shown} + ... ({'agree' if agree else 'DIFFER'})")
    return SymbolicOutcome(holds, "; ".join(report))


# --------------------------------------------------------------------------- planted mutants


def derive_wrong_exponent() -> SymbolicOutcome:
    """Mutant ``p' = p^{L-1} q`` at ``L = 2``: ``p - q^2/2`` is conserved, so
    ``q' = 1 + q^2/2``, ``t = int_0^q ds / (1 + s^2/2)``, ``q = sqrt(2) tan(t/sqrt(2))``:
    ``h = p q`` is not ``sinh(2t)/2`` (it even blows up at ``pi/sqrt(2)``)."""
    rate = sympy.simplify(_p * _q - _q * _p)
    s, Q = sympy.symbols("s Q", real=True)
    time = sympy.integrate(1 / (1 + s**2 / 2), (s, 0, Q))
    (qe,) = sympy.solve(sympy.Eq(time, _t), Q)
    gap = sympy.simplify((1 + qe**2 / 2) * qe - sympy.sinh(2 * _t) / 2)
    value = sympy.N(gap.subs(_t, sympy.Rational(1, 2)), 30)
    return SymbolicOutcome(gap == 0 if rate == 0 else None,
                           f"d/dt(p - q^2/2) = {rate}; q = {qe}; h - sinh(2t)/2 at t = 1/2: "
                           f"{value}", counterexample={"t": Fraction(1, 2)})


def _wrong_exponent_replay(inst: Instance, digits: int) -> tuple[Any, Any]:
    """Integrate ``p' = p q, q' = p`` numerically and compare ``p q`` with ``sinh(2t)/2``."""
    p, q = hf.ode_solution_hp(inst["t"], dps=digits, exponents=(1, 1))
    with mpmath.workdps(digits + 10):
        printed = mpmath.sinh(2 * hf.to_mpf(inst["t"])) / 2
        return abs(p * q - printed), abs(printed)


def derive_wrong_blowup() -> SymbolicOutcome:
    """Mutant ``c_L = pi/2`` for every ``L >= 3`` (the blow-up time of ``tan``)."""
    s = sympy.Symbol("s", positive=True)
    for L in range(3, L_MAX + 1):
        c = sympy.integrate((1 + s**2) ** sympy.Rational(-(L - 1), 2), (s, 0, sympy.oo))
        if sympy.simplify(c - sympy.pi / 2) != 0:
            return SymbolicOutcome(False, f"c_{L} = {c} != pi/2", counterexample={"L": L})
    return SymbolicOutcome(True, "c_L = pi/2 for L = 3..6")


def _wrong_blowup_replay(inst: Instance, digits: int) -> tuple[Any, Any]:
    """``|c_L - pi/2|`` with ``c_L = int_0^oo sech^{L-2}`` by mpmath quadrature."""
    c = hf.blowup_time_quad(inst["L"], digits)
    with mpmath.workdps(digits + 10):
        return abs(c - mpmath.pi / 2), mpmath.pi / 2


# --------------------------------------------------------------------------- the claim

CLAIM = Claim(
    id="BIAS-Lem4",
    paper=BIAS,
    location="§5.1 Lemma 4; proof App F.1; h_L, H_L used in Theorem 5 (App F.2) and Remark 4",
    statement=STATEMENT,
    asymptotic=True,
    notes=("L >= 2 (§3). c_2 = oo and c_L = sqrt(pi) Gamma((L-2)/2) / (2 Gamma((L-1)/2)) for "
           "L >= 3 (pi/2, 1, pi/4, 2/3 for L = 3..6): the printed 'p, q : R -> R' only holds on "
           "(-c_L, c_L), as the lemma then says. Points of the interval are encoded by u in "
           "(-1, 1): t = c_L u, or t = artanh u for L = 2."),
    variants=(
        Variant(
            "as-printed",
            "Lemma 4 as printed, L = 2..6: existence on a symmetric maximal interval, h_L odd, "
            "strictly increasing, h_L -> +-oo at +-c",
            (
                symbolic("first-integral", derive_first_integral),
                symbolic("reflection-symmetry", derive_reflection),
                symbolic("derivative-positive", derive_monotone),
                symbolic("time-change-blowup", derive_blowup),
                symbolic("closed-forms", derive_closed_forms),
                symbolic("taylor-series", derive_series),
                trials("increasing", INCREASING, sampler=_pairs_sampler, count=256),
                trials("odd", ODD, sampler=_points_sampler, count=256),
                trials("growth-to-blowup", GROWTH, sampler=_right_half_sampler, count=256),
                trials("engine-is-ode", ENGINE_IS_ODE, sampler=_bounded_sampler(ODE_RANGE),
                       count=24),
                trials("series-at-0", SERIES_AT_0, sampler=_bounded_sampler(SERIES_RANGE),
                       count=128),
                search("search-monotone-odd", SEARCH),
            ),
            expected=Verdict.SUPPORTED,
        ),
        Variant(
            "mutant:h-even",
            "planted: h_L is even (instead of odd)",
            (trials("even", EVEN, sampler=_points_sampler, count=64),),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:h-bounded",
            f"planted: h_L is bounded, |h_L| <= {BOUND} on (-c, c) (finite limits at +-c)",
            (search("search-unbounded", BOUNDED),),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:exponent-off-by-one",
            "planted: p' = p^(L-1) q (wrong exponent) still gives h_2(t) = sinh(2t)/2",
            (symbolic("closed-form-L2", derive_wrong_exponent, replay=_wrong_exponent_replay),),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:blowup-pi-half",
            "planted: the blow-up time is c_L = pi/2 for every L >= 3",
            (symbolic("blowup-time", derive_wrong_blowup, replay=_wrong_blowup_replay),),
            expected=Verdict.REFUTED,
        ),
    ),
)
