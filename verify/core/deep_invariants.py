"""The h-hidden-layer linear regression network ``L_{A,b}(W_1, ..., W_h, x) =
1/2 ||A W_1 ... W_h x - b||_2^2`` (seed 004, §4.1) on the numeric core, and exact measures of
the structural invariants of its GD iteration.

The core's networks act on columns and apply layer 1 first; the paper's model is read on rows:
``(A W_1 ... W_h x)^T = x^T W_h^T ... W_1^T A^T``. So the paper's tuple (W_1, ..., W_h, x) is
the core network ``[W_1^T, ..., W_h^T, x^T]`` (layer 1 first) with end-to-end matrix
``x^T W_h^T ... W_1^T`` and the loss ``SquaredLoss(X = A^T, Y = b^T, "half_sum")``
(:func:`verify.core.one_hidden_layer.regression_loss`), which is exactly the paper's loss. One
core ``gd_step`` with ``eta = alpha`` is the paper's iteration (4.1).

The same functions run batched in float64 (W_j (B, d_{j-1}, d_j), x (B, d_h)) and on one
instance with another backend (exact rationals :data:`verify.core.hp.FMPQ`: matrices W_j and
a column x). The exact measures (distance of a vector from a column space, the best
rank-one factorisation residual ``min_v ||W - L v R||_F``, sparsity patterns) work on
``flint.fmpq_mat`` and return exact squared quantities.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import flint
import numpy as np

from verify import linalg_exact as lx
from verify.core.backend import NUMPY, Backend
from verify.core.hp import FMPQ
from verify.core.networks import SquaredLoss, gd_step, layer_gradients
from verify.core.one_hidden_layer import regression_loss

__all__ = [
    "column_space_residual",
    "exact_trajectory",
    "factor_residual",
    "float_trajectory",
    "gradients",
    "outside_pattern",
    "product",
    "regression_loss",
    "step",
]


def _to_core(Ws: Sequence[Any], x: Any, xp: Backend) -> list[Any]:
    """The core network ``[W_1^T, ..., W_h^T, x^T]`` of the paper's (W_1, ..., W_h, x)."""
    if xp is NUMPY:
        return [np.swapaxes(W, -1, -2) for W in Ws] + [x[:, None, :]]
    return [xp.T(W) for W in Ws] + [xp.T(x)]


def _from_core(layers: Sequence[Any], xp: Backend) -> tuple[list[Any], Any]:
    if xp is NUMPY:
        return [np.swapaxes(L, -1, -2) for L in layers[:-1]], layers[-1][:, 0, :]
    return [xp.T(L) for L in layers[:-1]], xp.T(layers[-1])


def gradients(Ws: Sequence[Any], x: Any, loss: SquaredLoss,
              xp: Backend = NUMPY) -> tuple[list[Any], Any]:
    """``([grad_{W_1} L, ..., grad_{W_h} L], grad_x L)`` in the paper's orientation, from the
    core's exact layer gradients (:func:`verify.core.networks.layer_gradients`)."""
    return _from_core(layer_gradients(_to_core(Ws, x, xp), loss, xp), xp)


def step(Ws: Sequence[Any], x: Any, loss: SquaredLoss, alpha: Any,
         xp: Backend = NUMPY) -> tuple[list[Any], Any]:
    """One GD step (4.1) of the paper's iteration on the core: ``([W_j^(k+1)], x_{k+1})``.

    float64: W_j (B, ., .), x (B, d), alpha a number or (B,). Another backend: that
    backend's matrices, x a column.
    """
    return _from_core(gd_step(_to_core(Ws, x, xp), loss, alpha, xp=xp), xp)


def product(Ws: Sequence[Any], x: Any, xp: Backend = NUMPY) -> Any:
    """``y = W_1 ... W_h x`` (float64 batched (B, d_0), or a column of the backend)."""
    if xp is NUMPY:
        y = x
        for W in reversed(Ws):
            y = np.einsum("bij,bj->bi", W, y)
        return y
    y = x
    for W in reversed(Ws):
        y = xp.matmul(W, y)
    return y


def exact_trajectory(A: Any, b: Any, Ws0: Sequence[Any], x0: Any, alpha: Any,
                     steps: int) -> list[tuple[list[flint.fmpq_mat], flint.fmpq_mat]]:
    """``[(W^(0), x_0), ..., (W^(K), x_K)]`` in exact rationals via the core's GD step.

    A (n, d), b (n,), each W_j^(0) 2-D, x0 (d_h,): exact (``Fraction``/int/``fmpq``) or float
    (dyadic, converted exactly) entries, or ``fmpq_mat``.
    """
    loss = regression_loss(_objects(A), _objects(b).reshape(-1))
    Ws = [_fmpq(W) for W in Ws0]
    x = _fmpq(x0) if isinstance(x0, flint.fmpq_mat) else \
        FMPQ.asmat(_objects(x0).reshape(-1, 1))
    eta = FMPQ.scalar(alpha)
    out = [(Ws, x)]
    for _ in range(steps):
        Ws, x = step(Ws, x, loss, eta, xp=FMPQ)
        out.append((Ws, x))
    return out


def float_trajectory(A: np.ndarray, b: np.ndarray, Ws0: Sequence[np.ndarray], x0: np.ndarray,
                     alpha: Any, steps: int) -> Iterator[tuple[list[np.ndarray], np.ndarray]]:
    """Batched float64 GD: yields ``(W^(k), x_k)`` for k = 0, ..., steps (overflow is left
    to the caller: iterates may become inf/NaN)."""
    loss = regression_loss(A, b)
    Ws, x = [np.array(W, dtype=float) for W in Ws0], np.array(x0, dtype=float)
    yield Ws, x
    with np.errstate(all="ignore"):
        for _ in range(steps):
            Ws, x = step(Ws, x, loss, alpha)
            yield Ws, x


def _objects(value: Any) -> np.ndarray:
    if isinstance(value, flint.fmpq_mat):
        return lx.to_fractions(value)
    return np.asarray(value, dtype=object)


def _fmpq(value: Any) -> flint.fmpq_mat:
    return value if isinstance(value, flint.fmpq_mat) else lx.matrix(value)


# --------------------------------------------------------------------------- exact measures


def column_space_residual(M: flint.fmpq_mat, Y: flint.fmpq_mat) -> flint.fmpq:
    """``||Y - P_range(M) Y||_F^2``: squared distance of the columns of Y from range(M),
    exactly (M may be rank deficient or zero)."""
    P = lx.row_space_projector(M.transpose())
    return lx.squared_norm(Y - P * Y)


def _kron(P: flint.fmpq_mat, Q: flint.fmpq_mat) -> flint.fmpq_mat:
    rows, cols = P.nrows() * Q.nrows(), P.ncols() * Q.ncols()
    out = flint.fmpq_mat(rows, cols)
    for i in range(P.nrows()):
        for j in range(P.ncols()):
            if P[i, j] == 0:
                continue
            for k in range(Q.nrows()):
                for m in range(Q.ncols()):
                    out[i * Q.nrows() + k, j * Q.ncols() + m] = P[i, j] * Q[k, m]
    return out


def _vec(W: flint.fmpq_mat) -> flint.fmpq_mat:
    """Column-stacking ``vec``."""
    return flint.fmpq_mat(W.nrows() * W.ncols(), 1,
                          [W[i, j] for j in range(W.ncols()) for i in range(W.nrows())])


def factor_residual(W: flint.fmpq_mat, L: flint.fmpq_mat, R: flint.fmpq_mat) -> flint.fmpq:
    """``min_v ||W - L v R||_F^2`` over columns v, exactly: ``vec(L v R) = (R^T kron L) v``,
    so this is the squared distance of vec(W) from range(R^T kron L)."""
    return column_space_residual(_kron(R.transpose(), L), _vec(W))


def outside_pattern(W: flint.fmpq_mat, keep_row: int | None = None,
                    keep_col: int | None = None) -> flint.fmpq:
    """Sum of squares of the entries of W outside row ``keep_row`` / column ``keep_col``
    (``keep_col=0``: "all zeros except first column"; ``keep_row=0``: "except first row")."""
    total = flint.fmpq(0)
    for i in range(W.nrows()):
        for j in range(W.ncols()):
            if i != keep_row and j != keep_col:
                total += W[i, j] * W[i, j]
    return total
