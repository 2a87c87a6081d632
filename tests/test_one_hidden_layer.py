"""verify.core.one_hidden_layer: the paper's (W, x) iteration on the numeric core."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np

from verify.core import one_hidden_layer as ohl
from verify.core.hp import mpmath_backend, precision


def test_float_step_is_the_printed_iteration():
    rng = np.random.default_rng(0)
    A, b = rng.normal(size=(2, 1, 3)), rng.normal(size=(2, 1))
    W, x = rng.normal(size=(2, 3, 3)), rng.normal(size=(2, 3))
    W1, x1 = ohl.step(W, x, ohl.regression_loss(A, b), 0.1)
    r = ohl.residual(A, b, W, x)
    np.testing.assert_allclose(x1, x - 0.1 * np.einsum("bij,bj->bi",
                                                       np.swapaxes(A @ W, 1, 2), r))
    np.testing.assert_allclose(W1, W - 0.1 * np.einsum("bji,bj,bk->bik", A, r, x))


def test_exact_trajectory_is_exact():
    F = Fraction
    A, b = [[F(1), F(1)]], [F(2)]
    traj = ohl.exact_trajectory(A, b, [[F(1), F(0)], [F(0), F(1)]], [F(1), F(0)], F(1, 4), 2)
    W1, x1 = traj[1]
    # r = A W x - b = 1 - 2 = -1: W1 = W0 + 1/4 A^T x^T, x1 = x0 + 1/4 W0^T A^T
    assert [[Fraction(int(q.p), int(q.q)) for q in row] for row in
            (W1.entries()[:2], W1.entries()[2:], x1.entries())] == \
        [[F(5, 4), F(0)], [F(1, 4), F(1)], [F(5, 4), F(1, 4)]]


def test_run_until_fit_float_and_mpmath_agree():
    A, b = np.array([[[1.0, 0.5, 0.0]]]), np.array([[1.0]])
    W0, x0 = np.eye(3)[None] * 0.5, np.array([[0.5, 0.5, 0.5]])
    W, x, fitted = ohl.run_until_fit(A, b, W0, x0, np.array([0.2]), 2000, 1e-12)
    assert fitted.all()
    xp = mpmath_backend(30)
    with precision(xp):
        Wm, xm, ok = ohl.run_until_fit_hp(A[0], b[0], W0[0], x0[0], 0.2, xp, 2000,
                                          mpmath.mpf("1e-20"))
        assert ok
        end = Wm * xm
        assert abs(float(end[0, 0]) - (W[0] @ x[0])[0]) < 1e-9
