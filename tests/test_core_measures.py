"""Batched measurements: balancedness, alignment and frame defects, projections."""

from __future__ import annotations

import numpy as np

from verify.core.measures import (
    alignment_defect,
    balancedness,
    deficiency_margin,
    distance_to_range,
    frame_defect,
    projector,
    rank,
    sigma_max,
    sigma_min,
)


def _orthogonal(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.linalg.qr(rng.standard_normal((n, n)))[0]


def test_balancedness_of_balanced_and_unbalanced_layers() -> None:
    rng = np.random.default_rng(0)
    U, V, W = (_orthogonal(rng, 3) for _ in range(3))
    S = np.diag([2.0, 1.0, 0.5])
    layers = [(V @ S @ U.T)[None], (W @ S @ V.T)[None]]
    assert balancedness(layers)[0] < 1e-12
    layers[1] = layers[1] * 2
    expected = np.linalg.norm(layers[1][0].T @ layers[1][0] - layers[0][0] @ layers[0][0].T)
    np.testing.assert_allclose(balancedness(layers), [expected])
    assert balancedness([np.ones((4, 2, 2))]).shape == (4,)


def test_alignment_defect_is_robust() -> None:
    """Aligned pairs built with signed, permuted and repeated singular values have defect 0."""
    rng = np.random.default_rng(1)
    U0, U1, U2 = (_orthogonal(rng, 4) for _ in range(3))
    W1 = U1 @ np.diag([3.0, 2.0, 2.0, 1.0]) @ U0.T
    P = np.eye(4)[[2, 0, 3, 1]]
    W2 = U2 @ np.diag([-1.0, 5.0, 0.0, 4.0]) @ P @ U1.T
    aligned = alignment_defect([W1[None], W2[None]])
    assert aligned.shape == (1, 1) and aligned[0, 0] < 1e-14
    generic = alignment_defect([W1[None], rng.standard_normal((1, 4, 4))])
    assert generic[0, 0] > 1e-3
    assert alignment_defect([np.zeros((1, 2, 2)), np.ones((1, 2, 2))])[0, 0] == 0


def test_frame_defect() -> None:
    rng = np.random.default_rng(2)
    U, V = _orthogonal(rng, 4), _orthogonal(rng, 3)
    S0 = np.zeros((4, 3))
    S0[[0, 1, 2], [0, 1, 2]] = [3.0, 2.0, 2.0]
    W0 = U @ S0 @ V.T
    S = np.zeros((4, 3))
    S[[0, 1, 2], [0, 2, 1]] = [-7.0, 1.0, 5.0]
    W_same_frames = U @ S @ V.T
    assert frame_defect(W_same_frames[None], W0[None])[0] < 1e-14
    assert frame_defect(rng.standard_normal((1, 4, 3)), W0[None])[0] > 1e-2
    T = np.zeros((4, 3))
    T[0, 1] = 1.0
    assert frame_defect((U @ T @ V.T)[None], W0[None])[0] > 0.99


def test_projections_and_spectra() -> None:
    rng = np.random.default_rng(3)
    A = rng.standard_normal((5, 4, 2))
    P = projector(A)
    np.testing.assert_allclose(P @ P, P, atol=1e-13)
    np.testing.assert_allclose(P, np.swapaxes(P, -1, -2), atol=1e-13)
    np.testing.assert_array_equal(rank(A), 2)
    x = rng.standard_normal((5, 4))
    in_range = (A @ rng.standard_normal((5, 2, 1)))[..., 0]
    assert np.all(distance_to_range(A, in_range) < 1e-12)
    coef = np.linalg.lstsq(A[0], x[0], rcond=None)[0]
    np.testing.assert_allclose(distance_to_range(A, x)[0], np.linalg.norm(A[0] @ coef - x[0]))
    assert distance_to_range(A, rng.standard_normal((5, 4, 3))).shape == (5,)
    M = np.diag([3.0, 1.0])[None]
    assert sigma_min(M)[0] == 1.0 and sigma_max(M)[0] == 3.0
    np.testing.assert_allclose(deficiency_margin(M + 0.1, M), 1.0 - 0.2)
