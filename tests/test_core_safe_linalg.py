"""Engine: batched solves that give NaN for singular members instead of failing the batch."""

from __future__ import annotations

import numpy as np

from verify.core.safe_linalg import solve_or_nan


def _batch() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    M = rng.normal(size=(4, 3, 3))
    M[1] = np.array([[1.0, 2.0, 0.0], [2.0, 4.0, 0.0], [0.0, 0.0, 1.0]])  # exactly singular
    return M, rng.normal(size=(4, 3))


def test_regular_batch_matches_numpy():
    M, y = _batch()
    M = np.delete(M, 1, axis=0)
    y = np.delete(y, 1, axis=0)
    assert np.allclose(solve_or_nan(M, y), np.linalg.solve(M, y[..., None])[..., 0])


def test_singular_member_is_nan_and_others_solved():
    M, y = _batch()
    out = solve_or_nan(M, y)
    assert out.shape == y.shape
    assert np.all(np.isnan(out[1]))
    for i in (0, 2, 3):
        assert np.allclose(M[i] @ out[i], y[i])


def test_matrix_right_hand_sides():
    M, y = _batch()
    R = np.stack([y, 2 * y], axis=-1)
    out = solve_or_nan(M, R)
    assert out.shape == R.shape
    assert np.all(np.isnan(out[1]))
    assert np.allclose(out[0], np.linalg.solve(M[0], R[0]))


def test_gram_of_rank_deficient_rows():
    """The use in the claims: G = A A^T with rank(A) < n gives NaN, not an exception."""
    A = np.array([[[1.0, 0.5, 0.0], [2.0, 1.0, 0.0]], [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
    out = solve_or_nan(A @ np.swapaxes(A, 1, 2), np.ones((2, 2)))
    assert np.all(np.isnan(out[0])) and np.allclose(out[1], [1.0, 1.0])
