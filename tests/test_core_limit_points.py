"""verify.core.limit_points: Q, its minimiser (scipy and mpmath Newton), decomposable networks."""

from __future__ import annotations

import mpmath
import numpy as np

from verify.core import h_functions as hf
from verify.core import limit_points as lp
from verify.core import tensor_networks as tn


def test_q_gradient_matches_finite_differences() -> None:
    eta, rho = np.array([0.5, -1.5, 1.0]), np.array([0.3, -2.0, 0.1])
    for L in (2, 3, 4):
        g = lp.q_gradient(L, 0.7, eta, rho)
        for j in range(3):
            e = np.zeros(3)
            e[j] = 1e-6
            fd = (lp.q_value(L, 0.7, eta, rho + e) - lp.q_value(L, 0.7, eta, rho - e)) / 2e-6
            assert abs(fd - g[j]) < 1e-6 * max(1.0, abs(g[j]))


def test_hessian_is_derivative_of_gradient_mp() -> None:
    with mpmath.workdps(40):
        r, step = mpmath.mpf("0.4"), mpmath.mpf(10) ** -15
        for L in (2, 3):
            plus = lp.q_gradient_mp(L, 0.5, [1.5], [r + step], 40)[0]
            minus = lp.q_gradient_mp(L, 0.5, [1.5], [r - step], 40)[0]
            hess = lp.q_hessian_diag_mp(L, 0.5, [1.5], [r], 40)[0]
            assert abs((plus - minus) / (2 * step) - hess) < 1e-20 * abs(hess)


def test_minimizers_agree_and_satisfy_kkt() -> None:
    rng = np.random.default_rng(0)
    A, y = rng.standard_normal((2, 4)), rng.standard_normal(2)
    eta = rng.uniform(0.5, 2, 4) * np.array([1, -1, 1, -1])
    for L in (2, 3, 4):
        for alpha in (0.1, 1.0, 10.0):
            fl = lp.minimize_q(L, alpha, eta, A, y)
            hp = lp.minimize_q_mp(L, alpha, list(eta), A.tolist(), list(y), fl.rho, 40)
            assert hp.stationarity < 1e-30 * (1 + float(mpmath.norm(mpmath.matrix(hp.nu))))
            assert hp.feasibility < 1e-35
            rho = np.array([float(v) for v in hp.rho])
            assert np.linalg.norm(np.array(fl.rho) - rho) < 1e-6 * np.linalg.norm(rho)


def test_decomposed_diagonal_network_matches_the_core() -> None:
    rng = np.random.default_rng(1)
    d, L = 3, 3
    T = lp.basis_tensor(np.eye(d)[None], [np.eye(d)[None]] * L)
    params = [rng.standard_normal((1, d)) for _ in range(L)]
    loss = tn.regression_loss(rng.standard_normal((1, 2, d)), rng.standard_normal((1, 2)))
    value, grads = lp.value_and_gradients(T, params, loss)
    value_core, grads_core = tn.value_and_gradients(tn.diagonal(d, L), params, loss)
    assert np.allclose(value, value_core)
    for g, h in zip(grads, grads_core, strict=True):
        assert np.allclose(g, h)


def test_real_decomposition_is_orthonormal() -> None:
    S, U = lp.real_decomposition(np.random.default_rng(2), 2, 3, (3, 4))
    assert S.shape == (3, 2)
    for Ul in U:
        assert np.allclose(Ul.T @ Ul, np.eye(3))


def test_h_derivative() -> None:
    with mpmath.workdps(40):
        t, step = mpmath.mpf("0.3"), mpmath.mpf(10) ** -15
        for L in (2, 3, 4):
            num = (hf.h_mp(L, t + step, 40) - hf.h_mp(L, t - step, 40)) / (2 * step)
            assert abs(num - lp.h_derivative_mp(L, t, 40)) < 1e-20
