"""The one-hidden-layer linear regression network ``L_{A,b}(W, x) = 1/2 ||A W x - b||_2^2``
(seed 004, §3) on the numeric core.

The core's networks act on columns and apply layer 1 first; the paper's model is read on rows:
``(A W x)^T = x^T W^T A^T``. So the paper's pair (W, x) is the core network
``[W^T (d x d), x^T (1 x d)]`` with end-to-end matrix ``x^T W^T`` and the loss
``SquaredLoss(X = A^T, Y = b^T, "half_sum")``, which is exactly ``1/2 ||A W x - b||^2``; one
core ``gd_step`` with ``eta = alpha`` is the paper's iteration

    x_{k+1} = x_k - alpha W_k^T A^T (A W_k x_k - b),
    W_{k+1} = W_k - alpha A^T (A W_k x_k - b) x_k^T.

The same functions run batched in float64 (W (B, d, d), x (B, d)) and on one instance in exact
rationals (``fmpq_mat`` W (d x d), x (d x 1); :data:`verify.core.hp.FMPQ`).
"""

from __future__ import annotations

from typing import Any

import flint
import numpy as np

from verify.core.backend import NUMPY, Backend
from verify.core.hp import FMPQ
from verify.core.networks import SquaredLoss, gd_step


def regression_loss(A: Any, b: Any) -> SquaredLoss:
    """``1/2 ||A W x - b||^2`` as a core loss: A (n, d) or (B, n, d), b (n,) or (B, n); exact
    entries (``Fraction`` object arrays) stay exact."""
    A, b = np.asarray(A), np.asarray(b)
    return SquaredLoss(np.swapaxes(A, -1, -2), b[..., None, :], convention="half_sum")


def step(W: Any, x: Any, loss: SquaredLoss, alpha: Any,
         xp: Backend = NUMPY) -> tuple[Any, Any]:
    """One GD step of the paper's iteration on the core: ``(W_{k+1}, x_{k+1})``.

    float64: W (B, d, d), x (B, d), alpha a number or (B,). Another backend (``xp=FMPQ``
    exact, arb or mpmath): W and x matrices of that backend of shapes (d, d) and (d, 1).
    """
    if xp is NUMPY:
        Wt, xt = gd_step([np.swapaxes(W, 1, 2), x[:, None, :]], loss, alpha)
        return np.swapaxes(Wt, 1, 2), xt[:, 0, :]
    Wt, xt = gd_step([xp.T(W), xp.T(x)], loss, alpha, xp=xp)
    return xp.T(Wt), xp.T(xt)


def exact_trajectory(A: Any, b: Any, W0: Any, x0: Any, alpha: Any,
                     steps: int) -> list[tuple[flint.fmpq_mat, flint.fmpq_mat]]:
    """``[(W_0, x_0), ..., (W_K, x_K)]`` in exact rationals via the core's GD step.

    A (n, d), b (n,), W0 (d, d), x0 (d,): exact (``Fraction``/int) or float (dyadic) entries.
    """
    loss = regression_loss(np.asarray(A, dtype=object), np.asarray(b, dtype=object))
    W, x = FMPQ.asmat(W0), FMPQ.asmat(np.asarray(x0, dtype=object).reshape(-1, 1))
    eta = FMPQ.scalar(alpha)
    out = [(W, x)]
    for _ in range(steps):
        W, x = step(W, x, loss, eta, xp=FMPQ)
        out.append((W, x))
    return out


def residual(A: np.ndarray, b: np.ndarray, W: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``r = A W x - b`` batched: A (B, n, d), W (B, d, d), x (B, d) -> (B, n)."""
    return np.einsum("bij,bj->bi", A, np.einsum("bij,bj->bi", W, x)) - b


def run_until_fit(A: np.ndarray, b: np.ndarray, W: np.ndarray, x: np.ndarray,
                  alpha: np.ndarray, max_steps: int, rtol: float,
                  check_every: int = 25) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Batched float64 GD (the core's step) until ``||A W x - b|| <= rtol ||b||`` for every
    trial or ``max_steps``; finished trials are frozen. Returns (W_K, x_K, fitted mask);
    trials whose iterates overflow are reported not fitted."""
    loss = regression_loss(A, b)
    W, x = W.copy(), x.copy()
    target = rtol * np.linalg.norm(b, axis=1)
    done = np.zeros(W.shape[0], dtype=bool)
    with np.errstate(all="ignore"):
        for k in range(max_steps):
            W_new, x_new = step(W, x, loss, alpha)
            W = np.where(done[:, None, None], W, W_new)
            x = np.where(done[:, None], x, x_new)
            if k % check_every == check_every - 1 or k == max_steps - 1:
                done |= np.linalg.norm(residual(A, b, W, x), axis=1) <= target
                if done.all():
                    break
        fitted = np.linalg.norm(residual(A, b, W, x), axis=1) <= target
    return W, x, fitted & np.isfinite(W).all(axis=(1, 2)) & np.isfinite(x).all(axis=1)


def run_until_fit_hp(A: Any, b: Any, W0: Any, x0: Any, alpha: Any, xp: Backend,
                     max_steps: int, rtol: Any, check_every: int = 25) -> tuple[Any, Any, bool]:
    """:func:`run_until_fit` on one instance with another backend (e.g. mpmath, run inside
    :func:`verify.core.hp.precision`): A (n, d), b (n,), W0 (d, d), x0 (d,) exact or float
    entries. Returns (W_K, x_K, fitted) as that backend's matrices (x_K a column)."""
    loss = regression_loss(np.asarray(A, dtype=object), np.asarray(b, dtype=object))
    A_, b_ = xp.asmat(A), xp.asmat(np.asarray(b, dtype=object).reshape(-1, 1))
    W, x = xp.asmat(W0), xp.asmat(np.asarray(x0, dtype=object).reshape(-1, 1))
    target = xp.scalar(rtol) ** 2 * xp.sum_squares(b_)
    eta = xp.scalar(alpha)

    def fitted() -> bool:
        return bool(xp.sum_squares(xp.sub(xp.matmul(A_, xp.matmul(W, x)), b_)) <= target)

    for k in range(max_steps):
        W, x = step(W, x, loss, eta, xp=xp)
        if k % check_every == check_every - 1 and fitted():
            return W, x, True
    return W, x, fitted()
