"""Minimum-norm least squares in mpmath with a numerical rank: ``K^+ b`` from a truncated SVD.

The exact ``K^+ b`` (:func:`verify.linalg_exact.min_norm_least_squares`) is discontinuous where
the rank of K drops: a high-precision iterate of a run whose limit system is rank-deficient
(e.g. ``A W_k`` with W_k rank one only up to rounding) carries tiny spurious singular values
that would dominate it. Here singular values at most ``rcond * sigma_max`` are treated as zero,
as :func:`numpy.linalg.pinv` does in float64, but at mpmath's working precision.
"""

from __future__ import annotations

from typing import Any

import mpmath


def min_norm_solution(K: Any, b: Any, rcond: Any) -> tuple[mpmath.matrix, int]:
    """``(K_r^+ b, r)``: the minimum-norm minimiser of ``||K_r z - b||_2`` for the truncation
    K_r of K (m x p mpmath matrix) to its singular values ``> rcond * sigma_max``, and that
    numerical rank r; b is an m x 1 mpmath matrix. Runs at the current mpmath precision."""
    K, b = mpmath.matrix(K), mpmath.matrix(b)
    m, p = K.rows, K.cols
    z = mpmath.matrix(p, 1)
    if m == 0 or p == 0:
        return z, 0
    U, S, V = mpmath.svd_r(K, full_matrices=False, compute_uv=True)
    top = max(S[i] for i in range(len(S)))
    rank = 0
    for i in range(len(S)):
        if top == 0 or S[i] <= rcond * top:
            continue
        rank += 1
        c = mpmath.fsum(U[j, i] * b[j, 0] for j in range(m)) / S[i]
        for j in range(p):
            z[j, 0] += c * V[i, j]
    return z, rank
