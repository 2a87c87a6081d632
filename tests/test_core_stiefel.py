"""Tests of verify.core.stiefel: QR retraction, tangent projection, Riemannian GD."""

from __future__ import annotations

import flint
import numpy as np
import pytest

from verify.core import stiefel
from verify.core.hp import arb_backend, precision


def _rng() -> np.random.Generator:
    return np.random.default_rng(1234)


@pytest.mark.parametrize(("n", "p"), [(3, 3), (5, 2), (4, 1), (6, 6)])
def test_retraction_stays_on_manifold(n: int, p: int) -> None:
    rng = _rng()
    W = stiefel.random_point(rng, 64, n, p)
    assert np.all(stiefel.stiefel_defect(W) < 1e-12)
    for scale in (1e-8, 1e-2, 1.0, 100.0):
        xi = stiefel.project_tangent(W, scale * rng.standard_normal(W.shape))
        assert np.all(stiefel.stiefel_defect(stiefel.qr_retraction(W, xi)) < 1e-12)


def test_retraction_is_first_order() -> None:
    rng = _rng()
    W = stiefel.random_point(rng, 16, 4, 3)
    xi = stiefel.project_tangent(W, rng.standard_normal(W.shape))
    assert np.allclose(stiefel.qr_retraction(W, 0 * xi), W, atol=1e-14)
    t = 1e-6
    slope = (stiefel.qr_retraction(W, t * xi) - stiefel.qr_retraction(W, -t * xi)) / (2 * t)
    assert np.max(np.abs(slope - xi)) < 1e-6


def test_projection_is_tangent_and_orthogonal() -> None:
    rng = _rng()
    W = stiefel.random_point(rng, 32, 5, 3)
    G = rng.standard_normal(W.shape)
    P = stiefel.project_tangent(W, G)
    assert np.all(stiefel.tangent_defect(W, P) < 1e-12)
    assert np.allclose(stiefel.project_tangent(W, P), P, atol=1e-12)
    xi = stiefel.project_tangent(W, rng.standard_normal(W.shape))
    assert np.allclose(np.einsum("bij,bij->b", G - P, xi), 0.0, atol=1e-12)


def _f(W: np.ndarray, M: np.ndarray, N: np.ndarray) -> np.ndarray:
    """f(W) = tr(M^T W) + 1/2 ||N W||_F^2, Euclidean gradient M + N^T N W."""
    return np.einsum("bij,bij->b", M, W) + 0.5 * np.sum((N @ W) ** 2, axis=(1, 2))


def test_riemannian_gradient_matches_finite_differences_along_retractions() -> None:
    rng = _rng()
    W = stiefel.random_point(rng, 32, 4, 4)
    M, N = rng.standard_normal(W.shape), rng.standard_normal(W.shape)
    rgrad = stiefel.riemannian_gradient(W, M + np.swapaxes(N, 1, 2) @ N @ W)
    xi = stiefel.project_tangent(W, rng.standard_normal(W.shape))
    t = 1e-6
    fd = (_f(stiefel.qr_retraction(W, t * xi), M, N)
          - _f(stiefel.qr_retraction(W, -t * xi), M, N)) / (2 * t)
    assert np.allclose(fd, np.einsum("bij,bij->b", rgrad, xi), rtol=1e-6, atol=1e-6)


def test_small_steps_descend() -> None:
    rng = _rng()
    W = stiefel.random_point(rng, 32, 3, 3)
    x = rng.standard_normal((32, 3, 1))
    M, N = rng.standard_normal(W.shape), rng.standard_normal(W.shape)
    G = M + np.swapaxes(N, 1, 2) @ N @ W
    gx = 2 * x
    before = _f(W, M, N) + np.sum(x**2, axis=(1, 2))
    W1, x1 = stiefel.rgd_step([W, x], [G, gx], 1e-4, [True, False])
    after = _f(W1, M, N) + np.sum(x1**2, axis=(1, 2))
    assert np.all(after < before)
    assert np.all(stiefel.stiefel_defect(W1) < 1e-12)
    per_trial = np.full(32, 1e-4)
    W2, x2 = stiefel.rgd_step([W, x], [G, gx], per_trial, [True, False])
    assert np.allclose(W2, W1) and np.allclose(x2, x1)


def test_ball_twin_matches_float() -> None:
    rng = _rng()
    W = stiefel.random_point(rng, 1, 3, 3)
    G = rng.standard_normal((1, 3, 3))
    xp = arb_backend(40)
    with precision(xp):
        Wa, Ga = xp.asmat(W[0]), xp.asmat(G[0])
        (step,) = stiefel.rgd_step([Wa], [Ga], xp.scalar(0.1), [True], xp=xp)
        gram = step.transpose() * step - flint.arb_mat(np.eye(3).tolist())
        assert all(abs(gram[i, j]) < 1e-35 for i in range(3) for j in range(3))
        mid = np.array([[float(step[i, j].mid()) for j in range(3)] for i in range(3)])
    (ref,) = stiefel.rgd_step([W], [G], 0.1, [True])
    assert np.allclose(mid, ref[0], atol=1e-13)
