"""Tests of verify.core.h_functions: h_L, h_L^{-1}, H_L and c_L of BIAS Lemma 4 / Theorem 5."""

from __future__ import annotations

from fractions import Fraction

import flint
import mpmath
import numpy as np
import pytest
import sympy

from verify.core import h_functions as hf

DEPTHS = range(2, 8)


def interior(L: int, rng: np.random.Generator) -> np.ndarray:
    """Points of (-c_L, c_L): uniform, near both ends (down to 1e-13 relative) and near 0."""
    k = np.arange(1, 14)
    u = np.concatenate([rng.uniform(-1, 1, 40), 1 - 10.0**-k, -(1 - 10.0**-k), 10.0**-k])
    return np.arctanh(u) if L == 2 else hf.blowup_time(L) * u


def mp_close(a: mpmath.mpf, b: mpmath.mpf, rel: float) -> bool:
    with mpmath.workdps(80):
        return abs(a - b) <= mpmath.mpf(rel) * max(abs(a), abs(b), mpmath.mpf(10) ** -70)


# --------------------------------------------------------------------------- c_L


@pytest.mark.parametrize(("L", "exact"), [(3, sympy.pi / 2), (4, sympy.Integer(1)),
                                          (5, sympy.pi / 4), (6, sympy.Rational(2, 3))])
def test_blowup_time_values_at_50_digits(L: int, exact: sympy.Expr) -> None:
    assert sympy.simplify(hf.blowup_time_exact(L) - exact) == 0
    with mpmath.workdps(80):
        target = mpmath.mpf(str(sympy.N(exact, 70)))
    assert mp_close(hf.blowup_time_mp(L, 50), target, 1e-50)
    assert mp_close(hf.blowup_time_quad(L, 50), target, 1e-50)
    with flint.ctx.workprec(400):
        assert hf.blowup_time_arb(L, 200).contains(flint.arb(str(sympy.N(exact, 100))))
    assert hf.blowup_time(L) == pytest.approx(float(exact), rel=1e-15)


@pytest.mark.parametrize("L", [3, 4])
def test_blowup_time_from_the_ode_alone(L: int) -> None:
    assert mp_close(hf.blowup_time_ode(L, 50), hf.blowup_time_mp(L, 60), 1e-48)


def test_depth_two_never_blows_up() -> None:
    assert hf.blowup_time_exact(2) is sympy.oo
    assert hf.blowup_time(2) == np.inf and hf.blowup_time_mp(2) == mpmath.inf
    assert hf.blowup_time_ode(2) == mpmath.inf


def test_bad_depth_is_rejected() -> None:
    for bad in (1, 0, 2.5, True):
        with pytest.raises(ValueError, match="depth"):
            hf.h(bad, np.zeros(1))


# --------------------------------------------------------------------------- closed forms


@pytest.mark.parametrize("L", [2, 3, 4])
def test_closed_forms_match_the_numeric_engine(L: int) -> None:
    p, q, h = hf.closed_form(L)
    t = sympy.Symbol("t", real=True)
    ts = interior(L, np.random.default_rng(L))
    ts = ts[np.abs(ts) < 0.999 * min(hf.blowup_time(L), 8.0)]
    for expr, numeric in ((p, hf.p_q(L, ts)[0]), (q, hf.p_q(L, ts)[1]), (h, hf.h(L, ts))):
        closed = sympy.lambdify(t, expr, "numpy")(ts)
        np.testing.assert_allclose(numeric, closed, rtol=1e-12, atol=1e-300)


def test_depth_two_closed_form_is_the_app_g_solution() -> None:
    p, q, h = hf.closed_form(2)
    t = sympy.Symbol("t", real=True)
    assert (p, q) == (sympy.cosh(t), sympy.sinh(t))
    assert sympy.simplify(h - sympy.sinh(2 * t) / 2) == 0
    assert hf.closed_form(5) is None


# --------------------------------------------------------------------------- h_L in every tier


@pytest.mark.parametrize("L", DEPTHS)
def test_float_h_agrees_with_50_digit_h(L: int) -> None:
    ts = interior(L, np.random.default_rng(10 + L))
    values = hf.h(L, ts)
    for t, value in zip(ts, values, strict=True):
        reference = hf.h_mp(L, Fraction(float(t)), 50)
        assert abs(value - float(reference)) <= 5e-14 * abs(float(reference))


@pytest.mark.parametrize("L", [2, 3, 4, 6])
def test_h_is_the_solution_of_the_ode(L: int) -> None:
    """The time-change engine equals an independent Taylor integration of p' = p^{L-2} q,
    q' = p^{L-1} at 50 digits (also backwards in time), and RK4 in float."""
    c = min(hf.blowup_time(L), 3.0)
    for u in (Fraction(1, 2), Fraction(-9, 10), Fraction(99, 100)):
        t = u * Fraction(c)
        p, q = hf.ode_solution_hp(t, L, 50)
        pe, qe = hf.p_q_mp(L, t, 50)
        assert mp_close(p, pe, 1e-45) and mp_close(q, qe, 1e-45)
    ts = np.array([-0.9, -0.3, 0.2, 0.9]) * c
    p, q = hf.ode_solution_rk(L, ts)
    np.testing.assert_allclose(p ** (L - 1) * q, hf.h(L, ts), rtol=1e-9)


@pytest.mark.parametrize("L", [2, 3, 5])
def test_arb_encloses_the_high_precision_value(L: int) -> None:
    c = min(hf.blowup_time(L), 5.0)
    for u in (Fraction(1, 3), Fraction(-999999, 1000000), Fraction(1, 10**12)):
        t = u * Fraction(c)
        ball = hf.h_arb(L, t, 240)
        with flint.ctx.workprec(400):
            assert ball.contains(hf.to_arb(hf.h_mp(L, t, 90)))
            assert ball.rad() < abs(ball.mid()) * flint.arb(2) ** -150


def test_arb_rejects_points_outside_the_interval() -> None:
    with pytest.raises(ValueError):
        hf.h_arb(3, Fraction(16, 10))
    with pytest.raises(ValueError):
        hf.h_mp(4, Fraction(1))


@pytest.mark.parametrize("L", DEPTHS)
def test_h_odd_increasing_and_nan_outside(L: int) -> None:
    ts = np.sort(interior(L, np.random.default_rng(L)))
    values = hf.h(L, ts)
    assert np.all(np.diff(values) > 0)
    np.testing.assert_array_equal(hf.h(L, -ts), -values)
    if L > 2:
        c = hf.blowup_time(L)
        assert np.all(np.isnan(hf.h(L, np.array([c, -1.5 * c]))))


def test_batched_shapes_are_kept() -> None:
    t = np.linspace(-0.5, 0.5, 12).reshape(3, 4)
    for L in (2, 4):
        assert hf.h(L, t).shape == (3, 4)
        assert hf.h_inverse(L, t).shape == (3, 4)
        assert hf.H(L, t).shape == (3, 4)


@pytest.mark.parametrize("L", [2, 3, 4, 6])
def test_series_of_the_ode_matches_the_numeric_solution(L: int) -> None:
    """Exact Taylor coefficients from the ODE recurrence against mpmath.taylor of h_mp."""
    exact = hf.series_coefficients(L, 9)[2]
    with mpmath.workdps(40):
        numeric = mpmath.taylor(lambda s: hf.h_mp(L, s, mpmath.mp.dps), 0, 9)
        for e, n in zip(exact, numeric, strict=True):
            assert abs(mpmath.mpf(e.numerator) / e.denominator - n) < mpmath.mpf(10) ** -25


def test_series_coefficients_depth_two_and_three() -> None:
    _, _, h2 = hf.series_coefficients(2, 9)
    assert h2 == [Fraction(2 ** (k - 1), int(sympy.factorial(k))) if k % 2 else 0
                  for k in range(10)]
    _, q3, _ = hf.series_coefficients(3, 7)
    assert q3 == [0, 1, 0, Fraction(1, 3), 0, Fraction(2, 15), 0, Fraction(17, 315)]


# --------------------------------------------------------------------------- h_L^{-1} and H_L


@pytest.mark.parametrize("L", DEPTHS)
def test_inverse_of_h(L: int) -> None:
    ts = interior(L, np.random.default_rng(20 + L))
    np.testing.assert_allclose(hf.h_inverse(L, hf.h(L, ts)), ts, rtol=1e-13, atol=1e-300)
    ys = np.concatenate([-np.logspace(-10, 8, 19), [0.0], np.logspace(-10, 8, 19)])
    np.testing.assert_allclose(hf.h(L, hf.h_inverse(L, ys)), ys, rtol=1e-9, atol=0)
    for y in (Fraction(1, 10**8), Fraction(7, 10), Fraction(-3), Fraction(10**30)):
        t = hf.h_inverse_mp(L, y, 50)
        with mpmath.workdps(80):
            assert mp_close(hf.h_mp(L, t, 50), hf.to_mpf(y), 1e-30)  # h is ill-conditioned at c
        assert mp_close(mpmath.mpf(hf.h_inverse(L, np.array(float(y)))), t, 1e-14)
    c = min(hf.blowup_time(L), 4.0)
    for u in (Fraction(1, 7), Fraction(-5, 6), Fraction(999999, 10**6)):
        t = u * Fraction(c)
        with mpmath.workdps(80):
            assert mp_close(hf.h_inverse_mp(L, hf.h_mp(L, t, 50), 50), hf.to_mpf(t), 1e-45)


@pytest.mark.parametrize("L", DEPTHS)
def test_derivative_of_H_is_h_inverse(L: int) -> None:
    ys = np.array([-50.0, -2.0, -0.1, 0.0, 1e-3, 0.5, 3.0, 1e4])
    step = 1e-5 * np.maximum(1.0, np.abs(ys))
    slope = (hf.H(L, ys + step) - hf.H(L, ys - step)) / (2 * step)
    np.testing.assert_allclose(slope, hf.h_inverse(L, ys), rtol=1e-7, atol=1e-9)
    with mpmath.workdps(60):
        for y in (mpmath.mpf("0.25"), mpmath.mpf(-7), mpmath.mpf(1000)):
            dy = mpmath.mpf(10) ** -20
            slope = (hf.H_mp(L, y + dy, 60) - hf.H_mp(L, y - dy, 60)) / (2 * dy)
            assert mp_close(slope, hf.h_inverse_mp(L, y, 60), 1e-35)


def test_H_closed_form_depth_two_and_shape() -> None:
    ys = np.array([-30.0, -1.0, 0.0, 0.01, 2.0, 1e6])
    closed = (ys * np.arcsinh(2 * ys) - 2 * ys**2 / (np.sqrt(1 + 4 * ys**2) + 1)) / 2
    np.testing.assert_allclose(hf.H(2, ys), closed, rtol=1e-13)
    for L in DEPTHS:
        values = hf.H(L, ys)
        np.testing.assert_array_equal(values, hf.H(L, -ys))
        assert values[2] == 0 and np.all(values[ys != 0] > 0)
        np.testing.assert_allclose(hf.H(L, np.array([1e-6])), [0.5e-12], rtol=1e-5)
    big = np.array([1e12])
    for L in range(3, 7):
        assert hf.H(L, big)[0] / big[0] == pytest.approx(hf.blowup_time(L), rel=1e-3)


@pytest.mark.parametrize("L", [2, 4, 5])
def test_H_float_agrees_with_high_precision(L: int) -> None:
    for y in (1e-7, 0.3, -12.0, 1e20):
        assert hf.H(L, np.array(y)) == pytest.approx(float(hf.H_mp(L, y, 40)), rel=1e-13)
