"""The data condition of ALIGN Theorem 1 (§4.1) and Theorem 4 (App D), as a computable test.

ALIGN Theorem 1 asks whether there exist orthonormal matrices ``U`` (``k_d x k_d``) and ``V``
(``k_0 x k_0``) such that ``U^T Y X^T V`` and ``V^T X X^T V`` are diagonal (a rectangular
matrix is diagonal when only its ``(i, i)`` entries are non-zero). Searching over ``U, V`` is
not a test; this module decides it from the data.

**Criterion.** Let ``A = Y X^T`` and ``B = X X^T``. The condition holds if and only if the two
symmetric matrices ``B`` and ``A^T A`` commute: ``B A^T A = A^T A B``.

*Necessity.* If ``U^T A V = S`` and ``V^T B V = D`` are diagonal, then
``V^T A^T A V = S^T S`` is diagonal too, so ``V`` diagonalises ``B`` and ``A^T A``
simultaneously and ``B A^T A = V D S^T S V^T = V S^T S D V^T = A^T A B``.

*Sufficiency.* Commuting symmetric matrices have a common orthonormal eigenbasis ``V`` (any
multiplicities). Then ``(A V)^T (A V) = V^T A^T A V`` is diagonal: the columns ``a_j = A v_j``
are mutually orthogonal, and exactly ``r = rank A <= min(k_0, k_d)`` of them are non-zero.
Reorder the columns of ``V`` (still diagonalising ``B``) so those come first, put
``u_j = a_j / |a_j|`` for ``j <= r`` and complete to an orthonormal basis ``U`` of
``R^{k_d}``. Then ``(U^T A V)_{ij} = u_i^T a_j = |a_j| delta_ij`` for ``j <= r`` and ``0``
for ``j > r``: diagonal. No invertibility of ``B``, distinctness of eigenvalues or full rank
is needed.

For rational data the criterion is an exact finite computation
(:func:`condition_defect_exact`, python-flint ``fmpq_mat``), so the condition can be
*certified* or *refuted* exactly. :func:`witness` builds ``U, V`` by the constructive proof.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import flint
import numpy as np

from verify.core.hp_linalg import frobenius_sq, to_fmpq_mat


def data_matrices(X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(A, B) = (Y X^T, X X^T)`` for stacks ``X (..., k_0, n)``, ``Y (..., k_d, n)``."""
    Xt = np.swapaxes(X, -1, -2)
    return Y @ Xt, X @ Xt


def commutator(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """``B A^T A - A^T A B`` (batched); zero iff Theorem 1's condition holds."""
    A, B = data_matrices(X, Y)
    G = np.swapaxes(A, -1, -2) @ A
    return B @ G - G @ B


def condition_defect(X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Batched ``(excess, scale) = (||[B, A^T A]||_F^2, ||B||_F^2 ||A^T A||_F^2)``.

    Squared norms, so that :func:`condition_defect_exact` computes the same quantities
    exactly in rationals. ``excess / scale <= 4`` always; it is 0 iff the condition holds.
    """
    A, B = data_matrices(X, Y)
    G = np.swapaxes(A, -1, -2) @ A
    C = B @ G - G @ B
    return _sum_squares(C), _sum_squares(B) * _sum_squares(G)


def condition_holds(X: np.ndarray, Y: np.ndarray, rtol: float = 1e-10) -> np.ndarray:
    """Batched float test: ``||[B, A^T A]||_F <= rtol ||B||_F ||A^T A||_F``."""
    excess, scale = condition_defect(X, Y)
    return excess <= rtol**2 * scale


def _fraction(q: flint.fmpq) -> Fraction:
    return Fraction(int(q.p), int(q.q))


def condition_defect_exact(X: Any, Y: Any) -> tuple[Fraction, Fraction]:
    """:func:`condition_defect` of one instance, exactly (entries: Fraction, int or float)."""
    Xq, Yq = to_fmpq_mat(X), to_fmpq_mat(Y)
    A, B = Yq * Xq.transpose(), Xq * Xq.transpose()
    G = A.transpose() * A
    C = B * G - G * B
    return _fraction(frobenius_sq(C)), _fraction(frobenius_sq(B) * frobenius_sq(G))


def condition_holds_exact(X: Any, Y: Any) -> bool:
    """Exact decision of Theorem 1's condition for rational data."""
    excess, _ = condition_defect_exact(X, Y)
    return excess == 0


def offdiagonal_defect(M: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Batched ``(||M - diag part||_F, ||M||_F)`` for rectangular stacks ``(..., m, n)``."""
    k = min(M.shape[-2:])
    idx = np.arange(k)
    off = M.copy()
    off[..., idx, idx] = 0.0
    return np.sqrt(_sum_squares(off)), np.sqrt(_sum_squares(M))


def witness(X: np.ndarray, Y: np.ndarray, tol: float = 1e-9) -> tuple[np.ndarray, np.ndarray]:
    """Orthonormal ``(U, V)`` with ``U^T Y X^T V`` and ``V^T X X^T V`` diagonal, built as in the
    sufficiency proof above (one instance; meaningful when the condition holds).

    ``V``: eigenvectors of ``B = X X^T``; inside each eigenspace (eigenvalues within
    ``tol * ||B||``) the eigenvectors of the restriction of ``A^T A``. Columns with
    ``A v_j != 0`` are moved first; ``U`` normalises them and completes the basis.
    """
    A, B = data_matrices(np.asarray(X, dtype=float), np.asarray(Y, dtype=float))
    k0, kd = B.shape[0], A.shape[0]
    G = A.T @ A
    evals, Q = np.linalg.eigh(B)
    cut = tol * float(np.abs(evals).max(initial=0.0))
    blocks: list[np.ndarray] = []
    start = 0
    for j in range(1, k0 + 1):
        if j == k0 or evals[j] - evals[j - 1] > cut:
            Qb = Q[:, start:j]
            _, R = np.linalg.eigh(Qb.T @ G @ Qb)
            blocks.append(Qb @ R)
            start = j
    V = np.concatenate(blocks, axis=1)
    cols = A @ V
    norms = np.linalg.norm(cols, axis=0)
    nonzero = norms > tol * float(np.linalg.norm(A))
    order = np.argsort(~nonzero, kind="stable")
    V, cols, norms = V[:, order], cols[:, order], norms[order]
    r = min(int(nonzero.sum()), kd)
    U_head = cols[:, :r] / norms[:r]
    # complete to an orthonormal basis of R^{k_d}: QR of [U_head, I], signs fixed to U_head
    Qfull, Rfull = np.linalg.qr(np.concatenate([U_head, np.eye(kd)], axis=1))
    signs = np.sign(np.diagonal(Rfull)[:r])
    Qfull[:, :r] *= np.where(signs == 0, 1.0, signs)
    return Qfull[:, :kd], V


def _sum_squares(M: np.ndarray) -> np.ndarray:
    return np.sum(M * M, axis=(-2, -1))
