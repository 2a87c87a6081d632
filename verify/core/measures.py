"""Batched measurements on stacks of matrices (leading axis = batch)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

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


def _gram_pairs(weights: Sequence[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(W_j W_j^T, W_{j+1}^T W_{j+1})`` for each adjacent pair (both k_j x k_j)."""
    return [(w @ np.swapaxes(w, -1, -2), np.swapaxes(v, -1, -2) @ v)
            for w, v in itertools.pairwise(weights)]


def balancedness(weights: Sequence[np.ndarray]) -> np.ndarray:
    """Smallest delta for which the layers are delta-balanced (CONV Definition 1):
    ``max_j ||W_{j+1}^T W_{j+1} - W_j W_j^T||_F``, shape (B,) (0 for a single layer)."""
    if len(weights) < 2:
        return np.zeros(np.shape(weights[0])[:-2])
    return np.max([np.linalg.norm(upper - lower, axis=(-2, -1))
                   for lower, upper in _gram_pairs(weights)], axis=0)


def alignment_defect(weights: Sequence[np.ndarray]) -> np.ndarray:
    """Relative alignment defect of each adjacent pair, shape (B, d-1).

    ``||[W_j W_j^T, W_{j+1}^T W_{j+1}]||_F / (||W_j||_F^2 ||W_{j+1}||_F^2)`` (0 for zero
    layers). It vanishes when there are usSVDs ``W_j = U_j S_j V_j^T``, ``W_{j+1} = U_{j+1}
    S_{j+1} V_{j+1}^T`` with ``V_{j+1} = U_j`` (ALIGN Definitions 1-2): both Gram matrices are
    then diagonal in the shared basis. For square layers the converse holds too (commuting
    symmetric matrices share an eigenbasis from which such usSVDs are built); for rectangular
    layers a zero defect is necessary but not sufficient, since the shared eigenvectors on
    which either layer is non-zero must also fit the diagonal shapes of S_j and S_{j+1} (the
    exact test is in ``theorems/alignment/prop4.py``). Basis-free, hence insensitive to sign
    flips, permutations and repeated singular values. (Alignment of a whole network
    additionally needs the shared bases of consecutive pairs to be compatible.)
    """
    out = []
    for (lower, upper), w, v in zip(_gram_pairs(weights), weights[:-1], weights[1:], strict=True):
        comm = lower @ upper - upper @ lower
        scale = (np.linalg.norm(w, axis=(-2, -1)) * np.linalg.norm(v, axis=(-2, -1))) ** 2
        norm = np.linalg.norm(comm, axis=(-2, -1))
        out.append(np.divide(norm, scale, out=np.zeros_like(norm), where=scale > 0))
    return np.stack(out, axis=-1)


def _cluster_labels(s: np.ndarray, size: int, rtol: float) -> np.ndarray:
    """Labels of equal singular values (descending s, (..., r)), padded to ``size`` with the
    label of zero (null-space directions)."""
    tol = rtol * np.maximum(s[..., :1], np.finfo(float).tiny)
    gaps = (s[..., :-1] - s[..., 1:]) > tol
    labels = np.concatenate([np.zeros((*s.shape[:-1], 1), dtype=int),
                             np.cumsum(gaps, axis=-1)], axis=-1)
    labels = np.where(s > tol, labels, -1)
    pad = np.full((*s.shape[:-1], size - s.shape[-1]), -1)
    return np.concatenate([labels, pad], axis=-1)


def frame_defect(W: np.ndarray, W0: np.ndarray, rtol: float = 1e-8) -> np.ndarray:
    """How far W is from being diagonal in the singular frames of W0, shape (B,).

    With a full SVD ``W0 = U0 S0 V0^T``: the relative Frobenius mass of ``U0^T W V0`` outside
    the blocks pairing left and right singular vectors of W0 with the same singular value
    (values within ``rtol * sigma_max(W0)`` count as equal; the null spaces form one block).
    Zero iff W maps each right singular subspace of W0 into the matching left one, i.e. W has
    a usSVD in frames of W0 up to rotations inside repeated singular values; insensitive to sign
    flips and orderings of the singular vectors of W0.
    """
    U0, s0, V0t = np.linalg.svd(W0)
    M = np.swapaxes(U0, -1, -2) @ W @ np.swapaxes(V0t, -1, -2)
    left = _cluster_labels(s0, W0.shape[-2], rtol)
    right = _cluster_labels(s0, W0.shape[-1], rtol)
    off = np.where(left[..., :, None] == right[..., None, :], 0.0, M)
    norm = np.linalg.norm(W, axis=(-2, -1))
    off_norm = np.linalg.norm(off, axis=(-2, -1))
    return np.divide(off_norm, norm, out=np.zeros_like(off_norm), where=norm > 0)


def rank(A: np.ndarray, rtol: float = 1e-10) -> np.ndarray:
    """Numerical rank of each matrix: singular values above ``rtol * sigma_max``."""
    s = singular_values(A)
    return np.sum(s > rtol * s[..., :1], axis=-1)


def projector(A: np.ndarray, rtol: float = 1e-10) -> np.ndarray:
    """Orthogonal projector onto the column space (range) of each A (..., m, n): (..., m, m).

    Directions with singular value at most ``rtol * sigma_max(A)`` are treated as absent.
    """
    U, s, _ = np.linalg.svd(A, full_matrices=False)
    keep = (s > rtol * s[..., :1]).astype(float)
    Uk = U * keep[..., None, :]
    return Uk @ np.swapaxes(Uk, -1, -2)


def distance_to_range(A: np.ndarray, x: np.ndarray, rtol: float = 1e-10) -> np.ndarray:
    """Euclidean distance from x to the range of A: ``||(I - P_A) x||``.

    ``x`` is a vector (..., m) (result (...,)) or a matrix (..., m, k) (Frobenius distance of
    its columns, result (...,)).
    """
    P = projector(A, rtol)
    if np.ndim(x) == np.ndim(A) - 1:
        r = x - (P @ x[..., None])[..., 0]
        return np.linalg.norm(r, axis=-1)
    return np.linalg.norm(x - P @ x, axis=(-2, -1))
