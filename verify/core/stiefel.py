"""Riemannian gradient descent on (products of) Stiefel manifolds.

``St(n, p) = {W in R^{n x p} : W^T W = I_p}`` with the metric inherited from R^{n x p}
(``<U, V> = tr(U^T V)``, the "embedded" metric of Absil et al. 2008 and of pymanopt). For
p = n this is the orthogonal group, the ``Stiefel(d, d)`` of seed 004, §5 (there written
``W W^T = I_d``, the same set for square W).

* Tangent space: ``T_W St = {xi : W^T xi + xi^T W = 0}``.
* Orthogonal projection onto it: ``Proj_W(G) = G - W sym(W^T G)``, ``sym(M) = (M + M^T)/2``.
* Riemannian gradient of a function with Euclidean gradient G: ``rgrad = Proj_W(G)``
  (seed 004, §5.1: ``rgrad f(z) = Proj_z(grad f(z))``).
* Retraction: the **QR retraction** ``R_W(xi) = qf(W + xi)``, the Q factor of the thin QR
  decomposition whose R has a positive diagonal. Chosen because it is pymanopt's default
  Stiefel retraction, which is what seed 004 §5.2 says its experiments used ("with the
  default QR retraction and no line search"), so the iteration is the paper's; it is also a
  first-order retraction (``R_W(0) = W``, ``d/dt R_W(t xi)|_0 = xi``), which is all Riemannian
  GD needs, and cheaper than the polar retraction. ``W + xi`` always has full column rank for
  tangent xi (``(W + xi)^T (W + xi) = I + xi^T xi``), so R is invertible and qf is unique.

Everything runs batched on float64 numpy stacks (leading axis B). The high-precision twin
(one instance) runs on python-flint ``arb_mat`` or mpmath matrices through the backend
interface of :mod:`verify.core.hp`; its QR factor is computed as ``Y R^{-1}`` with R the
Cholesky factor of ``Y^T Y`` (the same Q: positive diagonal), by an explicit Gram-Schmidt on
entries, since neither library has a ball QR.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import flint
import mpmath
import numpy as np

from verify.core.backend import NUMPY, Backend

__all__ = [
    "project_tangent",
    "qr_retraction",
    "random_point",
    "rgd_step",
    "riemannian_gradient",
    "stiefel_defect",
    "sym",
    "tangent_defect",
]


def _T(M: np.ndarray) -> np.ndarray:
    return np.swapaxes(M, -1, -2)


def sym(M: Any, xp: Backend = NUMPY) -> Any:
    """``(M + M^T)/2`` (numpy stacks, or one backend matrix)."""
    return xp.scale(xp.sub(M, xp.scale(xp.T(M), -1)), xp.scalar(0.5))


def project_tangent(W: Any, G: Any, xp: Backend = NUMPY) -> Any:
    """``Proj_W(G) = G - W sym(W^T G)``: the orthogonal projection onto ``T_W St``."""
    return xp.sub(G, xp.matmul(W, sym(xp.matmul(xp.T(W), G), xp)))


riemannian_gradient = project_tangent
"""``rgrad f(W) = Proj_W(grad f(W))`` for the embedded metric (same function)."""


def stiefel_defect(W: np.ndarray) -> np.ndarray:
    """``||W^T W - I_p||_F`` per trial, shape (B,)."""
    p = W.shape[-1]
    return np.linalg.norm(_T(W) @ W - np.eye(p), axis=(-2, -1))


def tangent_defect(W: np.ndarray, xi: np.ndarray) -> np.ndarray:
    """``||W^T xi + xi^T W||_F`` per trial (0 iff xi is tangent at W), shape (B,)."""
    M = _T(W) @ xi
    return np.linalg.norm(M + _T(M), axis=(-2, -1))


def _qf_numpy(Y: np.ndarray) -> np.ndarray:
    Q, R = np.linalg.qr(Y)
    signs = np.where(np.diagonal(R, axis1=-2, axis2=-1) < 0, -1.0, 1.0)
    return Q * signs[..., None, :]


def _sqrt(v: Any) -> Any:
    return v.sqrt() if isinstance(v, flint.arb) else mpmath.sqrt(v)


def _qf_entries(Y: Any) -> Any:
    """Q factor (positive R diagonal) of one arb_mat / mpmath matrix by modified
    Gram-Schmidt on the columns."""
    arb = isinstance(Y, flint.arb_mat)
    rows, cols = (Y.nrows(), Y.ncols()) if arb else (Y.rows, Y.cols)
    Q = [[Y[i, j] for i in range(rows)] for j in range(cols)]
    for j in range(cols):
        for k in range(j):
            r = sum((Q[k][i] * Q[j][i] for i in range(1, rows)), Q[k][0] * Q[j][0])
            Q[j] = [Q[j][i] - r * Q[k][i] for i in range(rows)]
        norm = _sqrt(sum((v * v for v in Q[j][1:]), Q[j][0] * Q[j][0]))
        Q[j] = [v / norm for v in Q[j]]
    entries = [[Q[j][i] for j in range(cols)] for i in range(rows)]
    return flint.arb_mat(entries) if arb else mpmath.matrix(entries)


def qr_retraction(W: Any, xi: Any, xp: Backend = NUMPY) -> Any:
    """``R_W(xi) = qf(W + xi)``: numpy stacks (B, n, p), or one arb_mat / mpmath matrix."""
    Y = xp.sub(W, xp.scale(xi, -1))
    return _qf_numpy(Y) if isinstance(Y, np.ndarray) else _qf_entries(Y)


def random_point(rng: np.random.Generator, size: int, n: int, p: int | None = None
                 ) -> np.ndarray:
    """``size`` points of St(n, p) distributed uniformly (Haar): qf of a Gaussian matrix
    with the sign-fixed (positive-diagonal) R."""
    return _qf_numpy(rng.standard_normal((size, n, n if p is None else p)))


def rgd_step(points: Sequence[Any], egrads: Sequence[Any], eta: Any,
             on_stiefel: Sequence[bool], xp: Backend = NUMPY) -> list[Any]:
    """One Riemannian GD step on a product of Stiefel manifolds and Euclidean factors:
    ``W <- R_W(-eta Proj_W(G))`` where ``on_stiefel``, ``W <- W - eta G`` elsewhere.

    ``eta``: a number, or (numpy) an array (B,) of per-trial step sizes.
    """
    out = []
    for W, G, manifold in zip(points, egrads, on_stiefel, strict=True):
        if isinstance(eta, np.ndarray):
            step = -eta.reshape((-1,) + (1,) * (W.ndim - 1)) * \
                (project_tangent(W, G) if manifold else G)
        else:
            step = xp.scale(project_tangent(W, G, xp) if manifold else G, -eta)
        out.append(qr_retraction(W, step, xp) if manifold else xp.sub(W, xp.scale(step, -1)))
    return out
