"""Batched float64 linear algebra that fails per member instead of per batch.

``np.linalg.solve`` on a stack of matrices raises ``LinAlgError`` for the whole stack as soon
as one member is exactly singular. Property margins are evaluated on whole sampled batches,
hypotheses included, so one inadmissible member (e.g. a rank-deficient ``A`` snapped to a
grid, for which ``A A^T`` is singular) would abort every other member's evaluation. Here
such members give NaN, which the checks count as inadmissible.
"""

from __future__ import annotations

import numpy as np


def solve_or_nan(M: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """``M^{-1} rhs`` per batch member; NaN for the members where ``M`` is singular.

    ``M`` has shape (B, n, n); ``rhs`` is a batch of vectors (B, n) or of matrices (B, n, k),
    and the result has the shape of ``rhs``. Members with non-finite entries propagate NaN as
    LAPACK does; "singular" means an exactly zero pivot of the LU factorisation (what
    ``np.linalg.solve`` reports), so near-singular members must be excluded by the caller's
    hypothesis (a conditioning or rank tolerance).
    """
    M = np.asarray(M, dtype=float)
    vectors = np.ndim(rhs) == M.ndim - 1
    R = np.asarray(rhs, dtype=float)[..., None] if vectors else np.asarray(rhs, dtype=float)
    try:
        out = np.linalg.solve(M, R)
    except np.linalg.LinAlgError:
        out = np.full(np.broadcast_shapes(M.shape[:-2], R.shape[:-2]) + R.shape[-2:], np.nan)
        Mb = np.broadcast_to(M, out.shape[:-2] + M.shape[-2:])
        Rb = np.broadcast_to(R, out.shape)
        for i in np.ndindex(out.shape[:-2]):
            try:
                out[i] = np.linalg.solve(Mb[i], Rb[i])
            except np.linalg.LinAlgError:
                continue
    return out[..., 0] if vectors else out
