"""Batched measurements on stacks of matrices (leading axis = batch)."""

from __future__ import annotations

import numpy as np


def singular_values(M: np.ndarray) -> np.ndarray:
    """Singular values, descending, of each matrix in a stack (..., m, n)."""
    return np.linalg.svd(M, compute_uv=False)


def sigma_min(M: np.ndarray) -> np.ndarray:
    """Smallest singular value (min(m, n)-th) of each matrix in a stack."""
    return singular_values(M)[..., -1]


def sigma_max(M: np.ndarray) -> np.ndarray:
    """Spectral norm of each matrix in a stack."""
    return singular_values(M)[..., 0]


def deficiency_margin(W: np.ndarray, Phi: np.ndarray) -> np.ndarray:
    """Largest c with ||W - Phi||_F <= sigma_min(Phi) - c (CONV Definition 2), i.e.
    ``sigma_min(Phi) - ||W - Phi||_F``; W has deficiency margin c > 0 iff this is >= c."""
    return sigma_min(Phi) - np.linalg.norm(W - Phi, axis=(-2, -1))
