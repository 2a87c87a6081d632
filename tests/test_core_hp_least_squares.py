"""verify.core.hp_least_squares: truncated-SVD minimum-norm solutions in mpmath."""

from __future__ import annotations

import mpmath
import numpy as np

from verify.core.hp_least_squares import min_norm_solution


def test_full_row_rank_matches_the_pseudo_inverse() -> None:
    rng = np.random.default_rng(0)
    K, b = rng.normal(size=(2, 4)), rng.normal(size=2)
    with mpmath.workdps(40):
        z, rank = min_norm_solution(mpmath.matrix(K.tolist()), mpmath.matrix(b.tolist()),
                                    mpmath.mpf(10) ** -30)
        assert rank == 2
        assert np.allclose(np.array(z.tolist(), dtype=float)[:, 0], np.linalg.pinv(K) @ b)
        assert mpmath.norm(mpmath.matrix(K.tolist()) * z - mpmath.matrix(b.tolist())) < 1e-35


def test_tiny_singular_values_are_truncated() -> None:
    with mpmath.workdps(40):
        eps = mpmath.mpf(10) ** -38
        K = mpmath.matrix([[1, 2, 0], [2, 4 + eps, 0]])
        b = mpmath.matrix([[1], [2 + mpmath.mpf(10) ** -25]])
        z, rank = min_norm_solution(K, b, mpmath.mpf(10) ** -30)
        assert rank == 1
        assert mpmath.norm(z - mpmath.matrix([[1 / mpmath.mpf(5)], [2 / mpmath.mpf(5)], [0]])) \
            < 1e-20
        z_full, rank_full = min_norm_solution(K, b, 0)
        assert rank_full == 2 and mpmath.norm(z_full) > 1e10


def test_zero_matrix_has_rank_zero() -> None:
    with mpmath.workdps(30):
        z, rank = min_norm_solution(mpmath.zeros(2, 3), mpmath.matrix([[1], [1]]), 1e-20)
        assert rank == 0 and mpmath.norm(z) == 0
