"""verify.core.single_point: the closed-form flow of a 2-layer tensor network on one point."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np

from verify.core import max_margin as mm
from verify.core import single_point as sp
from verify.core import tensor_networks as tn


def _frame(rng: np.random.Generator, k1: int, k2: int, s: list[float]):
    q1 = np.linalg.qr(rng.standard_normal((k1, k1)))[0][:, : len(s)]
    q2 = np.linalg.qr(rng.standard_normal((k2, k2)))[0][:, : len(s)]
    return q1, np.array(s), q2


def test_closed_form_solves_the_flow_equations() -> None:
    rng = np.random.default_rng(0)
    U1, s, U2 = _frame(rng, 3, 2, [1.5, 0.5])
    coef = sp.coefficients(U1, s, U2, -1, rng.standard_normal(3), rng.standard_normal(2))
    M = U1 @ np.diag(s) @ U2.T
    nu, h = 0.7, 1e-6
    (a1, a2), (b1, b2) = sp.state(coef, nu + h), sp.state(coef, nu - h)
    w1, w2 = sp.state(coef, nu)
    # d v_1 / d nu = y M v_2, d v_2 / d nu = y M^T v_1
    assert np.allclose((a1 - b1) / (2 * h), -(M @ w2), atol=1e-7)
    assert np.allclose((a2 - b2) / (2 * h), -(M.T @ w1), atol=1e-7)
    assert np.isclose(sp.margin(coef, nu), -(w1 @ M @ w2))
    assert np.isclose(sp.nu_at_margin(coef, sp.margin(coef, nu)), nu)


def test_state_is_frame_independent_for_repeated_values() -> None:
    rng = np.random.default_rng(1)
    U1, s, U2 = _frame(rng, 3, 3, [1.0, 1.0, 0.4])
    c, t = np.cos(0.3), np.sin(0.3)
    R = np.eye(3)
    R[:2, :2] = [[c, -t], [t, c]]
    v1, v2 = rng.standard_normal(3), rng.standard_normal(3)
    one = sp.state(sp.coefficients(U1, s, U2, 1, v1, v2), 1.3)
    two = sp.state(sp.coefficients(U1 @ R, s, U2 @ R, 1, v1, v2), 1.3)
    assert np.allclose(one[0], two[0]) and np.allclose(one[1], two[1])


def test_engine_arc_length_flow_follows_the_closed_form() -> None:
    rng = np.random.default_rng(2)
    net = tn.conv(4, (2, 4))
    x = rng.standard_normal(4)
    params = [rng.standard_normal((1, 2)), rng.standard_normal((1, 4))]
    run = mm.arc_length_flow(net, params, x[None, None], np.ones((1, 1)), doublings=12,
                             margin_cap=1e4)
    M = tn.data_tensor(net, x)
    coef = sp.coefficients(*sp.svd_frame(M), 1, params[0][0], params[1][0])
    w1, w2 = run.params[0][0], run.params[1][0]
    c1, c2 = sp.state(coef, sp.nu_at_margin(coef, w1 @ M @ w2))
    assert np.allclose(w1, c1, rtol=1e-8) and np.allclose(w2, c2, rtol=1e-8)


def test_limit_direction_exact() -> None:
    one = np.array([[Fraction(1), Fraction(0)], [Fraction(0), Fraction(1)]], dtype=object)
    s = np.array([Fraction(2), Fraction(1)], dtype=object)
    v1 = np.array([Fraction(1), Fraction(1)], dtype=object)
    # c_1 = 0: the limit leaves the top singular direction
    coef = sp.coefficients(one, s, one, 1, v1, np.array([Fraction(-1), Fraction(0)],
                                                          dtype=object))
    assert list(coef.c) == [0, Fraction(1, 2)]
    def sqrt(q: Fraction) -> Fraction:  # of perfect squares only
        return Fraction(round(q.numerator**0.5), round(q.denominator**0.5))

    V1, V2 = sp.limit_direction(coef, lambda v: v == 0, sqrt)
    assert list(V1) == [0, 1] and list(V2) == [0, 1]
    assert sp.loss_to_zero(coef, lambda v: v == 0)
    flat = sp.coefficients(one[:1, :1], s[:1], one[:1, :1], 1, v1[:1], -v1[:1])
    assert not sp.loss_to_zero(flat, lambda v: v == 0)


def test_mpmath_svd_frame() -> None:
    M = np.array([[Fraction(1), Fraction(2), Fraction(0)], [Fraction(0), Fraction(1),
                                                            Fraction(3)]], dtype=object)
    U1, s, U2 = sp.svd_frame_mp(M, 40)
    with mpmath.workdps(40):
        back = U1.dot(np.diag(s)).dot(U2.T) - sp.mp_array(M)
        assert max(abs(v) for v in back.ravel()) < mpmath.mpf(10) ** -35
        assert np.allclose(np.array(s, dtype=float), np.linalg.svd(M.astype(float))[1])
