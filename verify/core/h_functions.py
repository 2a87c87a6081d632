"""h_L and H_L of BIAS Lemma 4 / Theorem 5 (§5.1, App F.1-F.2): float, mpmath and arb versions.

Lemma 4 defines ``(p_L, q_L)`` by ``p' = p^{L-2} q``, ``q' = p^{L-1}``, ``p(0) = 1``,
``q(0) = 0`` on the maximal interval ``(-c_L, c_L)`` and ``h_L = p_L^{L-1} q_L``; Theorem 5 uses
``H_L(t) := int_0^t h_L^{-1}(tau) dtau``. Everything below rests on three exact facts (each is
re-derived with sympy by the claim module ``theorems.implicit_bias.lem4``):

* first integral: ``p^2 - q^2 = 1`` along the solution, so ``p >= 1``;
* the time change ``dtau = p^{L-2} dt`` linearises the system (``dp/dtau = q``, ``dq/dtau = p``),
  so ``p = cosh tau``, ``q = sinh tau`` and ``t = T_L(tau) := int_0^tau sech^{L-2}(s) ds``;
* hence ``c_L = T_L(oo) = sqrt(pi) Gamma((L-2)/2) / (2 Gamma((L-1)/2))`` for ``L >= 3`` and
  ``c_2 = oo``; ``h_L(t) = cosh^{L-1}(tau) sinh(tau)`` with ``tau = T_L^{-1}(t)``; and (Legendre
  transform, ``int_0^{t} h_L = q_L(t)^2 / 2``) ``H_L(y) = y h_L^{-1}(y) - q_L(h_L^{-1}(y))^2 / 2``.

``T_L`` is evaluated by the reduction formula
``I_m = sech^{m-2} tanh / (m-1) + (m-2)/(m-1) I_{m-2}`` (``I_0 = tau``, ``I_1 = gd(tau)``; no
cancellation for ``tau >= 0``), and its tail near the blow-up by
``c_L - T_L(tau) = 2^{m-1} B_z(m/2, m/2)``, ``z = 1 / (1 + e^{2 tau})``, ``m = L - 2``.

Tiers: ``h``, ``p_q``, ``h_inverse``, ``H`` are batched float64 (numpy arrays); ``*_mp`` work at a
given number of decimal digits (mpmath); ``h_arb``/``blowup_time_arb`` return rigorous
python-flint balls; ``ode_solution_hp`` and ``ode_solution_rk`` integrate the ODE itself
(Taylor series / Runge-Kutta) without using the facts above, as an independent cross-check;
``series_coefficients`` gives the exact Taylor coefficients at 0 from the ODE recurrence.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache
from typing import Any

import flint
import mpmath
import numpy as np
import scipy.special
import sympy

Real = Any
"""A real scalar: ``int``, ``float``, ``Fraction``, ``mpmath.mpf`` or ``flint.arb``."""

_NEWTON_STEPS = 60
_GUARD_DIGITS = 15


def _check_depth(L: int) -> int:
    if isinstance(L, bool) or not isinstance(L, (int, np.integer)) or L < 2:
        raise ValueError(f"the depth L must be an integer >= 2, got {L!r}")
    return int(L)


# --------------------------------------------------------------------------- blow-up time c_L


def blowup_time_exact(L: int) -> sympy.Expr:
    """``c_L`` exactly: ``oo`` for ``L = 2``, else
    ``sqrt(pi) Gamma((L-2)/2) / (2 Gamma((L-1)/2))``."""
    L = _check_depth(L)
    if L == 2:
        return sympy.oo
    return sympy.simplify(sympy.sqrt(sympy.pi) * sympy.gamma(sympy.Rational(L - 2, 2))
                          / (2 * sympy.gamma(sympy.Rational(L - 1, 2))))


@lru_cache(maxsize=64)
def _blowup_time_split(L: int) -> tuple[float, float]:
    """``c_L = hi + lo`` as two floats (``lo`` keeps ``c_L - |t|`` accurate near the blow-up)."""
    with mpmath.workdps(40):
        c = blowup_time_mp(L, 40)
        hi = float(c)
        return hi, float(c - hi)


def blowup_time(L: int) -> float:
    """``c_L`` in float64: ``inf, pi/2, 1, pi/4, 2/3, ...`` for ``L = 2, 3, 4, 5, 6, ...``."""
    L = _check_depth(L)
    return math.inf if L == 2 else _blowup_time_split(L)[0]


def blowup_time_mp(L: int, dps: int = 50) -> mpmath.mpf:
    """``c_L`` at ``dps`` digits from the Gamma formula (``+inf`` for ``L = 2``)."""
    L = _check_depth(L)
    with mpmath.workdps(dps + _GUARD_DIGITS):
        if L == 2:
            return mpmath.inf
        a = mpmath.mpf(L - 2) / 2
        value = mpmath.sqrt(mpmath.pi) * mpmath.gamma(a) / (2 * mpmath.gamma(a + 0.5))
    return value


def blowup_time_quad(L: int, dps: int = 50) -> mpmath.mpf:
    """``c_L = int_0^oo sech^{L-2}(s) ds`` by mpmath quadrature (independent of the formula)."""
    L = _check_depth(L)
    with mpmath.workdps(dps + _GUARD_DIGITS):
        value = mpmath.quad(lambda s: mpmath.sech(s) ** (L - 2), [0, 1, 4, 16, mpmath.inf])
    return value


def blowup_time_arb(L: int, prec: int = 200) -> flint.arb:
    """A rigorous ball for ``c_L`` (Wallis recursion ``c_L = (L-4)/(L-3) c_{L-2}``,
    ``c_3 = pi/2``, ``c_4 = 1``); ``+inf`` for ``L = 2``."""
    L = _check_depth(L)
    with flint.ctx.workprec(prec):
        if L == 2:
            return flint.arb.pos_inf()
        value = flint.arb.pi() / 2 if L % 2 else flint.arb(1)
        for k in range(6 if L % 2 == 0 else 5, L + 1, 2):
            value = value * flint.arb(flint.fmpq(k - 4, k - 3))
        return value


# --------------------------------------------------------------------------- float64 tier


def time_of_tau(L: int, tau: np.ndarray) -> np.ndarray:
    """``T_L(tau) = int_0^tau sech^{L-2}`` (batched float64, any sign)."""
    L = _check_depth(L)
    tau = np.asarray(tau, dtype=float)
    m = L - 2
    x = np.abs(tau)
    sech, tanh = 1.0 / np.cosh(x), np.tanh(x)
    acc = x.copy() if m % 2 == 0 else 2.0 * np.arctan(np.tanh(x / 2))
    for k in range(2 if m % 2 == 0 else 3, m + 1, 2):
        acc = sech ** (k - 2) * tanh / (k - 1) + (k - 2) / (k - 1) * acc
    return np.sign(tau) * acc


def _tail(L: int, tau: np.ndarray) -> np.ndarray:
    """``c_L - T_L(tau) = 2 c_L I_z(m/2, m/2)``, ``z = 1/(1 + e^{2 tau})`` (float64, L >= 3)."""
    a = (L - 2) / 2
    return 2.0 * blowup_time(L) * scipy.special.betainc(a, a, scipy.special.expit(-2.0 * tau))


def tau_of_t(L: int, t: np.ndarray) -> np.ndarray:
    """``T_L^{-1}(t)`` for ``|t| < c_L`` (batched float64; nan outside the interval).

    ``|t| <= c_L/2``: Newton on ``T_L(tau) = |t|`` from ``tau = |t|`` (``T_L`` is concave and
    ``T_L(tau) <= tau``, so the iterates increase monotonically to the root). ``|t| > c_L/2``:
    Newton on ``log(c_L - T_L(tau)) = log(c_L - |t|)``, a concave function of ``tau``.
    """
    L = _check_depth(L)
    t = np.asarray(t, dtype=float)
    c = blowup_time(L)
    x = np.abs(t)
    out = np.full(t.shape, np.nan)
    inner = x <= c / 2
    tau = x[inner].copy()
    for _ in range(_NEWTON_STEPS):
        step = (x[inner] - time_of_tau(L, tau)) * np.cosh(tau) ** (L - 2)
        tau = tau + step
        if np.all(np.abs(step) <= 4e-16 * np.maximum(tau, 1e-300)):
            break
    out[inner] = tau
    outer = (x > c / 2) & (x < c)
    if np.any(outer):
        m = L - 2
        hi, lo = _blowup_time_split(L)
        delta = (hi - x[outer]) + lo
        tau = np.maximum(np.log(2.0**m / (m * delta)) / m, 0.0)
        for _ in range(_NEWTON_STEPS):
            tail = _tail(L, tau)
            step = (np.log(tail) - np.log(delta)) * tail * np.cosh(tau) ** m
            tau = tau + step
            if np.all(np.abs(step) <= 4e-16 * tau):
                break
        out[outer] = tau
    return np.sign(t) * out


def p_q(L: int, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(p_L(t), q_L(t)) = (cosh tau, sinh tau)``, ``tau = T_L^{-1}(t)`` (batched float64)."""
    tau = tau_of_t(L, t)
    return np.cosh(tau), np.sinh(tau)


def h(L: int, t: np.ndarray) -> np.ndarray:
    """``h_L(t) = p_L(t)^{L-1} q_L(t)`` on ``(-c_L, c_L)`` (batched float64; nan outside)."""
    L = _check_depth(L)
    if L == 2:
        return np.sinh(2.0 * np.asarray(t, dtype=float)) / 2
    p, q = p_q(L, t)
    return p ** (L - 1) * q


def _q_of_h(L: int, y: np.ndarray) -> np.ndarray:
    """``q >= 0`` with ``q (1 + q^2)^{(L-1)/2} = y`` for ``y >= 0`` (batched float64).

    Newton in ``u = log q`` on ``u + (L-1)/2 log(1 + e^{2u}) - log y``, which is convex and
    increasing in ``u``: started at ``log min(y, y^{1/L}) >= u*`` it decreases monotonically.
    """
    y = np.asarray(y, dtype=float)
    positive = y > 0
    ys = np.where(positive, y, 1.0)
    log_y = np.log(ys)
    u = np.minimum(log_y, log_y / L)
    for _ in range(_NEWTON_STEPS):
        s = scipy.special.expit(2.0 * u)
        g = u + (L - 1) / 2 * np.logaddexp(0.0, 2.0 * u) - log_y
        step = g / (1.0 + (L - 1) * s)
        u = u - step
        if np.all(np.abs(step) <= 4e-16 * np.maximum(np.abs(u), 1.0)):
            break
    return np.where(positive, np.exp(u), 0.0)


def h_inverse(L: int, y: np.ndarray) -> np.ndarray:
    """``h_L^{-1}(y)`` for every real ``y`` (batched float64): ``T_L(asinh q)``, ``h_L = y``."""
    L = _check_depth(L)
    y = np.asarray(y, dtype=float)
    q = _q_of_h(L, np.abs(y))
    return np.sign(y) * time_of_tau(L, np.arcsinh(q))


def H(L: int, y: np.ndarray) -> np.ndarray:
    """``H_L(y) = int_0^y h_L^{-1} = y h_L^{-1}(y) - q^2/2``, ``q = q_L(h_L^{-1}(y))``
    (batched float64; even, ``~ y^2/2`` at 0, ``~ c_L |y|`` at infinity for ``L >= 3``)."""
    L = _check_depth(L)
    y = np.asarray(y, dtype=float)
    q = _q_of_h(L, np.abs(y))
    return np.abs(y) * time_of_tau(L, np.arcsinh(q)) - q**2 / 2


# --------------------------------------------------------------------------- mpmath tier


def to_mpf(x: Real) -> mpmath.mpf:
    """An mpmath number (current precision) from an exact, float, mpf or arb (its midpoint)."""
    if isinstance(x, Fraction):
        return mpmath.mpf(x.numerator) / x.denominator
    if isinstance(x, flint.arb):
        man, exp = x.mid().man_exp()
        return mpmath.ldexp(mpmath.mpf(int(man)), int(exp))
    return mpmath.mpf(x)


def time_of_tau_mp(L: int, tau: Real) -> mpmath.mpf:
    """``T_L(tau)`` in the current mpmath precision (reduction formula)."""
    m = _check_depth(L) - 2
    tau = to_mpf(tau)
    sech, tanh = mpmath.sech(tau), mpmath.tanh(tau)
    acc = tau if m % 2 == 0 else 2 * mpmath.atan(mpmath.tanh(tau / 2))
    for k in range(2 if m % 2 == 0 else 3, m + 1, 2):
        acc = sech ** (k - 2) * tanh / (k - 1) + mpmath.mpf(k - 2) / (k - 1) * acc
    return acc


def _tail_mp(L: int, tau: mpmath.mpf) -> mpmath.mpf:
    m = L - 2
    z = 1 / (1 + mpmath.exp(2 * tau))
    return mpmath.mpf(2) ** (m - 1) * mpmath.betainc(mpmath.mpf(m) / 2, mpmath.mpf(m) / 2, 0, z)


def tau_of_t_mp(L: int, t: Real, dps: int = 50) -> mpmath.mpf:
    """``T_L^{-1}(t)`` at ``dps`` digits (mpmath).

    ``|t| <= c_L/2``: Newton on ``T_L(tau) = t`` from ``tau = t`` (monotone on either side of
    0). ``|t| > c_L/2``: Newton on ``log tail(|tau|) = log(c_L - |t|)`` with the incomplete-beta
    tail, using that ``T_L`` is odd.
    """
    L = _check_depth(L)
    with mpmath.workdps(dps + _GUARD_DIGITS):
        t = to_mpf(t)
        if L == 2:
            return +t
        c = blowup_time_mp(L, dps + _GUARD_DIGITS)
        if not abs(t) < c:
            raise ValueError(f"t = {mpmath.nstr(t, 20)} is outside (-c_{L}, c_{L})")
        eps = mpmath.mpf(10) ** (-(dps + 5))
        m = L - 2
        if abs(t) <= c / 2:
            tau = t
            for _ in range(_NEWTON_STEPS):
                step = (t - time_of_tau_mp(L, tau)) * mpmath.cosh(tau) ** m
                tau += step
                if abs(step) <= eps * max(abs(tau), eps):
                    return tau
        else:
            sign = 1 if t > 0 else -1
            delta = c - abs(t)
            tau = max(mpmath.log(mpmath.mpf(2) ** m / (m * delta)) / m, mpmath.mpf(0))
            for _ in range(_NEWTON_STEPS):
                tail = _tail_mp(L, tau)
                step = (mpmath.log(tail) - mpmath.log(delta)) * tail * mpmath.cosh(tau) ** m
                tau += step
                if abs(step) <= eps * tau:
                    return sign * tau
        raise ArithmeticError(
            f"Newton iteration for T_{L}^-1({mpmath.nstr(t, 20)}) did not converge")


def p_q_mp(L: int, t: Real, dps: int = 50) -> tuple[mpmath.mpf, mpmath.mpf]:
    """``(p_L(t), q_L(t))`` at ``dps`` digits."""
    tau = tau_of_t_mp(L, t, dps)
    with mpmath.workdps(dps + _GUARD_DIGITS):
        return mpmath.cosh(tau), mpmath.sinh(tau)


def h_mp(L: int, t: Real, dps: int = 50) -> mpmath.mpf:
    """``h_L(t)`` at ``dps`` digits."""
    L = _check_depth(L)
    p, q = p_q_mp(L, t, dps)
    with mpmath.workdps(dps + _GUARD_DIGITS):
        return p ** (L - 1) * q


def _q_of_h_mp(L: int, y: mpmath.mpf, dps: int) -> mpmath.mpf:
    if y == 0:
        return mpmath.mpf(0)
    sign = 1 if y > 0 else -1
    log_y = mpmath.log(abs(y))
    u = min(log_y, log_y / L)
    eps = mpmath.mpf(10) ** (-(dps + 5))
    for _ in range(_NEWTON_STEPS):
        e2u = mpmath.exp(2 * u)
        step = (u + mpmath.mpf(L - 1) / 2 * mpmath.log1p(e2u) - log_y) / (
            1 + (L - 1) * e2u / (1 + e2u))
        u -= step
        if abs(step) <= eps * max(abs(u), 1):
            return sign * mpmath.exp(u)
    raise ArithmeticError("Newton iteration for h_L^-1 did not converge")


def h_inverse_mp(L: int, y: Real, dps: int = 50) -> mpmath.mpf:
    """``h_L^{-1}(y)`` at ``dps`` digits."""
    L = _check_depth(L)
    with mpmath.workdps(dps + _GUARD_DIGITS):
        q = _q_of_h_mp(L, to_mpf(y), dps)
        return time_of_tau_mp(L, mpmath.asinh(q))


def H_mp(L: int, y: Real, dps: int = 50) -> mpmath.mpf:
    """``H_L(y) = y h_L^{-1}(y) - q^2/2`` at ``dps`` digits."""
    L = _check_depth(L)
    with mpmath.workdps(dps + _GUARD_DIGITS):
        y = to_mpf(y)
        q = _q_of_h_mp(L, y, dps)
        return y * time_of_tau_mp(L, mpmath.asinh(q)) - q**2 / 2


# --------------------------------------------------------------------------- arb tier (rigorous)


def to_arb(x: Real) -> flint.arb:
    """A ball (current flint precision) for an exact, float, mpf or arb value."""
    if isinstance(x, flint.arb):
        return x
    if isinstance(x, Fraction):
        return flint.arb(flint.fmpq(x.numerator, x.denominator))
    if isinstance(x, mpmath.mpf):
        sign, man, exp, _ = x._mpf_
        return (-1) ** sign * flint.arb(flint.fmpz(int(man))) * flint.arb(2) ** int(exp)
    if isinstance(x, float):
        return to_arb(Fraction(x))
    return flint.arb(x)


def time_of_tau_arb(L: int, tau: flint.arb) -> flint.arb:
    """A ball for ``T_L`` over the ball ``tau`` (current flint precision)."""
    m = _check_depth(L) - 2
    sech, tanh = tau.sech(), tau.tanh()
    acc = tau if m % 2 == 0 else 2 * (tau / 2).tanh().atan()
    for k in range(2 if m % 2 == 0 else 3, m + 1, 2):
        acc = sech ** (k - 2) * tanh / (k - 1) + flint.arb(flint.fmpq(k - 2, k - 1)) * acc
    return acc


def tau_of_t_arb(L: int, t: Real, prec: int = 200) -> flint.arb:
    """A rigorous ball containing ``T_L^{-1}(s)`` for every ``s`` in the ball ``t``.

    An mpmath approximation ``tau0`` is bracketed by ``tau0 -/+ eps`` and the bracket is
    certified in ball arithmetic on ``t`` itself (any sign): ``T_L(tau0 - eps) < t <
    T_L(tau0 + eps)``; ``T_L`` is strictly increasing (``T_L' = sech^{L-2} > 0``), so the root
    lies in between.
    """
    L = _check_depth(L)
    with flint.ctx.workprec(prec):
        ball = to_arb(t)
        if L == 2:
            return ball
        if not abs(ball) < blowup_time_arb(L, prec):
            raise ValueError(f"t = {ball} is not certainly inside (-c_{L}, c_{L})")
        dps = int(prec * 0.30103) + 5
        tau0 = to_arb(tau_of_t_mp(L, ball.mid(), dps))
        eps = (abs(tau0) + flint.arb(2) ** -prec) * flint.arb(2) ** (20 - prec) \
            + 2 * ball.rad() * tau0.cosh() ** (L - 2)
        for _ in range(12):
            lo, hi = tau0 - eps, tau0 + eps
            if time_of_tau_arb(L, lo) < ball and time_of_tau_arb(L, hi) > ball:
                return lo.union(hi)
            eps = eps * 2**12
        raise ArithmeticError(f"could not certify a bracket for T_{L}^-1({ball})")


def h_arb(L: int, t: Real, prec: int = 200) -> flint.arb:
    """A rigorous ball containing ``h_L(s)`` for every ``s`` in the ball ``t`` (``|t| < c_L``)."""
    L = _check_depth(L)
    tau = tau_of_t_arb(L, t, prec)
    with flint.ctx.workprec(prec):
        return tau.cosh() ** (L - 1) * tau.sinh()


# --------------------------------------------------------------------------- the ODE itself


def _miller_next(ps: list[Any], coeffs: list[Any], e: float, k: int) -> Any:
    """Coefficient ``k >= 1`` of ``p^e`` given ``p_0..p_k`` and ``(p^e)_0..(p^e)_{k-1}``
    (J. C. P. Miller's recurrence ``f_k = (1/(k p_0)) sum_{j=1}^k ((e+1) j - k) p_j f_{k-j}``)."""
    return sum((((e + 1) * j - k) * ps[j] * coeffs[k - j] for j in range(1, k + 1)),
               0 * ps[0]) / (k * ps[0])


def _taylor_step(p0: flint.arb, q0: flint.arb, a: float, b: float,
                 order: int) -> tuple[list[flint.arb], list[flint.arb]]:
    """Taylor coefficients of ``p' = p^a q, q' = p^b`` at a point with ``p = p0 != 0``.

    Powers of the series ``p`` use Miller's recurrence (:func:`_miller_next`).
    """
    ps, qs = [p0], [q0]
    pa, pb = [p0**a], [p0**b]
    for k in range(order):
        if k > 0:
            pa.append(_miller_next(ps, pa, a, k))
            pb.append(_miller_next(ps, pb, b, k))
        ps.append(sum((pa[j] * qs[k - j] for j in range(1, k + 1)), pa[0] * qs[k]) / (k + 1))
        qs.append(pb[k] / (k + 1))
    return ps, qs


def _horner(coeffs: list[flint.arb], x: flint.arb) -> flint.arb:
    acc = coeffs[-1]
    for c in reversed(coeffs[:-1]):
        acc = acc * x + c
    return acc


def _taylor_flow(a: float, b: float, dps: int, target: mpmath.mpf | None = None,
                 q_stop: mpmath.mpf | None = None) -> tuple[mpmath.mpf, mpmath.mpf, mpmath.mpf]:
    """Integrate ``p' = p^a q, q' = p^b`` from ``(p, q)(0) = (1, 0)`` by Taylor steps until
    ``t = target``, or (forward) until ``q >= q_stop``; returns ``(t, p, q)``.

    Arithmetic is python-flint ``arb`` at ``3.33 (dps + 15)`` bits (for speed; the truncation
    error is not enclosed, so midpoints are kept). Each step has order ``N ~ 1.1 (dps + 15)``
    and length ``R / 8``, where ``R`` is the root-test estimate of the radius of convergence
    from the last coefficients; the truncation error per step is ~ ``8^-N``.
    """
    digits = dps + _GUARD_DIGITS
    order = int(digits / 0.9) + 2
    with flint.ctx.workprec(int(digits * 3.33) + 20), mpmath.workdps(digits):
        direction = -1 if target is not None and target < 0 else 1
        now, p, q = mpmath.mpf(0), flint.arb(1), flint.arb(0)
        floor = mpmath.mpf(10) ** -(3 * digits)
        for _ in range(100_000):
            if now == target or (q_stop is not None and to_mpf(q) >= q_stop):
                return now, to_mpf(p), to_mpf(q)
            ps, qs = _taylor_step(p, q, a, b, order)
            size = max(abs(to_mpf(p)), abs(to_mpf(q)), 1)
            radius = min((size / max(abs(to_mpf(c[k])), floor)) ** (mpmath.mpf(1) / k)
                         for c in (ps, qs) for k in (order - 2, order - 1, order))
            last = target is not None and abs(target - now) <= radius / 8
            step = abs(target - now) * direction if last else radius / 8 * direction
            p, q = _horner(ps, to_arb(step)), _horner(qs, to_arb(step))
            p, q = flint.arb(p.mid()), flint.arb(q.mid())
            now = target if last else now + step
        raise ArithmeticError("Taylor integration did not finish (blow-up before t?)")


def ode_solution_hp(t: Real, L: int | None = None, dps: int = 50,
                    exponents: tuple[float, float] | None = None,
                    ) -> tuple[mpmath.mpf, mpmath.mpf]:
    """``(p(t), q(t))`` by a Taylor-series integration (:func:`_taylor_flow`) of
    ``p' = p^a q``, ``q' = p^b``, ``p(0) = 1``, ``q(0) = 0`` at ``dps`` digits, with
    ``(a, b) = (L-2, L-1)`` (Lemma 4) unless ``exponents`` is given. Uses neither the first
    integral nor the time change."""
    if exponents is None:
        L = _check_depth(L)
        exponents = (L - 2, L - 1)
    with mpmath.workdps(dps + _GUARD_DIGITS):
        _, p, q = _taylor_flow(*exponents, dps, target=to_mpf(t))
    return p, q


def blowup_time_ode(L: int, dps: int = 50) -> mpmath.mpf:
    """``c_L`` (``L >= 3``) from the ODE alone: integrate (:func:`_taylor_flow`) until
    ``q >= Q = 10^{(dps + 10)/L}``, then add ``q / ((L-2) q')`` with ``q' = p^{L-1}`` (the
    remaining time if ``q^{2-L}`` were linear in ``t``; the error is ``O(q^{-L})``)."""
    L = _check_depth(L)
    if L == 2:
        return mpmath.inf
    with mpmath.workdps(dps + _GUARD_DIGITS):
        q_stop = mpmath.mpf(10) ** (mpmath.mpf(dps + 10) / L)
        t, p, q = _taylor_flow(L - 2, L - 1, dps, q_stop=q_stop)
        return t + q / ((L - 2) * p ** (L - 1))


def ode_solution_rk(L: int, t: np.ndarray, steps: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """``(p_L(t), q_L(t))`` by classical Runge-Kutta (RK4) with ``steps`` equal steps from 0,
    vectorised over the batch ``t`` (float64; independent of the closed forms)."""
    L = _check_depth(L)
    t = np.asarray(t, dtype=float)
    dt = t / steps
    p, q = np.ones_like(t), np.zeros_like(t)

    def field(p: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return p ** (L - 2) * q, p ** (L - 1)

    for _ in range(steps):
        k1 = field(p, q)
        k2 = field(p + dt / 2 * k1[0], q + dt / 2 * k1[1])
        k3 = field(p + dt / 2 * k2[0], q + dt / 2 * k2[1])
        k4 = field(p + dt * k3[0], q + dt * k3[1])
        p = p + dt / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
        q = q + dt / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
    return p, q


def series_coefficients(L: int, order: int,
                        ) -> tuple[list[Fraction], list[Fraction], list[Fraction]]:
    """Exact Taylor coefficients at 0 of ``p_L``, ``q_L`` and ``h_L`` up to ``t^order``,
    from the ODE recurrence (no closed form used)."""
    L = _check_depth(L)
    ps, qs = [Fraction(1)], [Fraction(0)]
    pa, pb = [Fraction(1)], [Fraction(1)]
    for k in range(order):
        if k > 0:
            pa.append(_miller_next(ps, pa, L - 2, k))
            pb.append(_miller_next(ps, pb, L - 1, k))
        ps.append(sum((pa[j] * qs[k - j] for j in range(k + 1)), Fraction(0)) / (k + 1))
        qs.append(pb[k] / (k + 1))
    if order > 0:
        pb.append(_miller_next(ps, pb, L - 1, order))
    hs = [sum((pb[j] * qs[k - j] for j in range(k + 1)), Fraction(0)) for k in range(order + 1)]
    return ps, qs, hs


# --------------------------------------------------------------------------- closed forms (sympy)


@lru_cache(maxsize=8)
def closed_form(L: int) -> tuple[sympy.Expr, sympy.Expr, sympy.Expr] | None:
    """``(p_L, q_L, h_L)`` as sympy expressions in ``t`` when sympy finds them, else None.

    ``L = 2``: ``dsolve`` of the linear system ``p' = q, q' = p``. ``L >= 3``: the separable
    ``q' = (1 + q^2)^{(L-1)/2}`` (from ``p^2 - q^2 = 1``): ``t = int_0^q (1 + s^2)^{-(L-1)/2} ds``
    solved for ``q`` (the root with ``q'(0) = 1``) and ``p = sqrt(1 + q^2)``, simplified on the
    interval (where ``cos t > 0`` for ``L = 3``). sympy succeeds for ``L = 3, 4``
    (``q_3 = tan t``, ``q_4 = t sqrt(-1/(t^2 - 1))``); for ``L = 5`` the time mixes ``atan`` and
    rational terms, and None is returned for ``L >= 5``.
    """
    L = _check_depth(L)
    t = sympy.Symbol("t", real=True)
    if L == 2:
        p, q = sympy.Function("p"), sympy.Function("q")
        sol = sympy.dsolve([sympy.Eq(p(t).diff(t), q(t)), sympy.Eq(q(t).diff(t), p(t))],
                           [p(t), q(t)], ics={p(0): 1, q(0): 0})
        pe, qe = (sympy.simplify(s.rhs.rewrite(sympy.cosh)) for s in sol)
        return pe, qe, sympy.simplify(pe * qe)
    if L > 4:
        return None
    s, Q = sympy.symbols("s Q", real=True)
    time = sympy.integrate((1 + s**2) ** sympy.Rational(-(L - 1), 2), (s, 0, Q))
    for qe in sympy.solve(sympy.Eq(time, t), Q):
        if sympy.diff(qe, t).subs(t, 0) == 1:
            pe = sympy.refine(sympy.simplify(sympy.sqrt(1 + qe**2)), sympy.Q.positive(sympy.cos(t)))
            return pe, qe, sympy.simplify(pe ** (L - 1) * qe)
    return None
