"""Losses of the end-to-end matrix ``W = W_d ... W_1`` used by the papers.

Each loss holds its data (with or without a leading batch axis of length B) and evaluates, for
a stack of end-to-end matrices W of shape (B, k_d, k_0), ``value(W)`` of shape (B,) and
``grad(W)``, the gradient with respect to W, of shape (B, k_d, k_0). Every method takes an
optional backend ``xp`` (:mod:`verify.core.backend`): the same formula then runs on one
instance in exact or ball arithmetic (:mod:`verify.core.hp`).

Conventions of the squared-error family (``convention``):

* ``"half_mean"``: ``1/(2n) ||W X - Y||_F^2`` (Arora et al., seed 002, eq. (1));
* ``"half_sum"``: ``1/2 ||W X - Y||_F^2`` (Yun et al., seed 003, §2.1 regression);
* ``"mean"``: ``1/n ||W X - Y||_F^2``; ``"sum"``: ``||W X - Y||_F^2`` (seed 001's eq. (2) with the
  squared loss is ``"half_mean"``).

The same conventions scale the softmax cross entropy (:class:`SoftmaxCrossEntropyLoss`):
``"half_mean"`` is seed 001's eq. (2) with ``l`` the cross entropy.
"""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any, ClassVar

import flint
import numpy as np
from scipy.special import log_softmax

from verify.core.backend import NUMPY, Backend
from verify.errors import VerifyError

CONVENTIONS = ("half_mean", "half_sum", "mean", "sum")


def convention_factor(convention: str, n: int) -> Fraction:
    """The exact factor c of ``c ||residual||^2`` for a squared-error convention."""
    factors = {"half_mean": Fraction(1, 2 * n), "half_sum": Fraction(1, 2),
               "mean": Fraction(1, n), "sum": Fraction(1)}
    if convention not in factors:
        raise VerifyError(f"unknown squared-loss convention {convention!r}; use {CONVENTIONS}")
    return factors[convention]


class Loss:
    """A loss of the end-to-end matrix; subclasses set ``_core_ndim`` for their data fields.

    ``_core_ndim`` maps each data attribute to its number of dimensions without a batch axis;
    an attribute with one more dimension is batched (leading axis = trial).
    """

    _core_ndim: ClassVar[dict[str, int]] = {}

    def __init__(self) -> None:
        self._cache: dict[str, dict[str, Any]] = {}
        for field, ndim in self._core_ndim.items():
            arr = getattr(self, field)
            if arr.ndim not in (ndim, ndim + 1):
                raise VerifyError(f"{type(self).__name__}.{field}: expected {ndim} or "
                                  f"{ndim + 1} dimensions, got shape {arr.shape}")

    @property
    def batch(self) -> int | None:
        """Batch length of the data, or None when the data is shared by all trials."""
        for field, ndim in self._core_ndim.items():
            arr = getattr(self, field)
            if arr.ndim == ndim + 1:
                return int(arr.shape[0])
        return None

    def take(self, index: Any) -> Loss:
        """The loss restricted to trials ``index`` (a slice or index array; no-op if unbatched)."""
        if self.batch is None:
            return self
        out = copy.copy(self)
        for field, ndim in self._core_ndim.items():
            arr = getattr(self, field)
            if arr.ndim == ndim + 1:
                setattr(out, field, arr[index])
        prepared = self._cache.get(NUMPY.data_key)
        out._cache = {}
        if prepared is not None:
            out._cache[NUMPY.data_key] = {
                k: v[index] if isinstance(v, np.ndarray) and v.ndim == 3 else v
                for k, v in prepared.items()}
        return out

    def instance(self, i: int) -> Loss:
        """The loss of trial ``i`` with unbatched data (what the high-precision twin needs)."""
        out = copy.copy(self)
        for field, ndim in self._core_ndim.items():
            arr = getattr(self, field)
            if arr.ndim == ndim + 1:
                setattr(out, field, arr[i])
        out._cache = {}
        return out

    def data(self, xp: Backend) -> dict[str, Any]:
        """The data converted to backend ``xp`` (cached per ``xp.data_key``).

        Converted numpy data are matrices: those of ndim 3 carry the batch axis (so
        :meth:`take` can slice them instead of converting again).
        """
        hit = self._cache.get(xp.data_key)
        if hit is None:
            hit = self._cache[xp.data_key] = self._prepare(xp)
        return hit

    def _prepare(self, xp: Backend) -> dict[str, Any]:
        raise NotImplementedError

    def value_and_grad(self, W: Any, xp: Backend = NUMPY) -> tuple[Any, Any]:
        """``(value(W), grad(W))`` sharing the residual computation."""
        raise NotImplementedError

    def value(self, W: Any, xp: Backend = NUMPY) -> Any:
        """Loss value per trial, shape (B,) (a scalar for one hp instance)."""
        return self.value_and_grad(W, xp)[0]

    def grad(self, W: Any, xp: Backend = NUMPY) -> Any:
        """Gradient with respect to the end-to-end matrix, shape (B, k_d, k_0)."""
        return self.value_and_grad(W, xp)[1]


class ConventionLoss(Loss):
    """Shared part of the losses scaled by the factor ``c`` of a ``convention`` (module
    docstring) over ``n`` samples: sets ``convention`` and ``factor`` (exact ``c``), and
    :meth:`scalars` prepares ``c`` and ``2c`` in a backend."""

    def __init__(self, convention: str, n: int) -> None:
        self.convention = convention
        self.factor = convention_factor(convention, n)
        super().__init__()

    def scalars(self, xp: Backend) -> dict[str, Any]:
        """``{"c": c, "c2": 2c}`` in backend ``xp``."""
        return {"c": xp.scalar(self.factor), "c2": xp.scalar(2 * self.factor)}


class SquaredLoss(ConventionLoss):
    """``c ||W X - Y||_F^2`` with X (k_0, n) or (B, k_0, n), Y (k_d, n) or (B, k_d, n).

    ``c`` follows ``convention`` (module docstring): ``"half_mean"`` is Arora et al.'s
    ``1/(2m) sum_i ||W x_i - y_i||^2`` (seed 002, eq. (1)), ``"half_sum"`` Yun et al.'s
    ``sum_i 1/2 (f(x_i) - y_i)^2`` (seed 003, §2.1). Gradient: ``2c (W X - Y) X^T``.
    """

    _core_ndim: ClassVar[dict[str, int]] = {"X": 2, "Y": 2}

    def __init__(self, X: Any, Y: Any, convention: str = "half_mean") -> None:
        self.X = np.asarray(X)
        self.Y = np.asarray(Y)
        super().__init__(convention, self.X.shape[-1])

    def _prepare(self, xp: Backend) -> dict[str, Any]:
        return {"X": xp.asmat(self.X), "Xt": xp.asmat(np.swapaxes(self.X, -1, -2)),
                "Y": xp.asmat(self.Y), **self.scalars(xp)}

    def value_and_grad(self, W: Any, xp: Backend = NUMPY) -> tuple[Any, Any]:
        d = self.data(xp)
        R = xp.sub(xp.matmul(W, d["X"]), d["Y"])
        return xp.sum_squares(R) * d["c"], xp.scale(xp.matmul(R, d["Xt"]), d["c2"])

    def value(self, W: Any, xp: Backend = NUMPY) -> Any:
        d = self.data(xp)
        return xp.sum_squares(xp.sub(xp.matmul(W, d["X"]), d["Y"])) * d["c"]


class WhitenedLoss(Loss):
    """``1/2 ||W - Phi||_F^2``, Phi (k_d, k_0) or (B, k_d, k_0); gradient ``W - Phi``.

    The squared loss over whitened data (``X X^T / m = I``) equals this loss up to an additive
    constant (Arora et al., seed 002, eqs. (2)-(3)).
    """

    _core_ndim: ClassVar[dict[str, int]] = {"Phi": 2}

    def __init__(self, Phi: Any) -> None:
        self.Phi = np.asarray(Phi)
        super().__init__()

    def _prepare(self, xp: Backend) -> dict[str, Any]:
        return {"Phi": xp.asmat(self.Phi), "half": xp.scalar(Fraction(1, 2))}

    def value_and_grad(self, W: Any, xp: Backend = NUMPY) -> tuple[Any, Any]:
        d = self.data(xp)
        R = xp.sub(W, d["Phi"])
        return xp.sum_squares(R) * d["half"], R


class _MarginLoss(Loss):
    """Shared part of the classification losses: margins ``m_i = y_i W x_i`` (k_d = 1)."""

    _core_ndim: ClassVar[dict[str, int]] = {"X": 2, "y": 1}

    def __init__(self, X: Any, y: Any) -> None:
        self.X = np.asarray(X)
        self.y = np.asarray(y)
        super().__init__()

    def _prepare(self, xp: Backend) -> dict[str, Any]:
        return {"X": xp.asmat(self.X), "Xt": xp.asmat(np.swapaxes(self.X, -1, -2)),
                "y": xp.asmat(self.y[..., None, :])}

    def _margins(self, W: Any, xp: Backend) -> tuple[dict[str, Any], Any]:
        d = self.data(xp)
        return d, xp.hadamard(d["y"], xp.matmul(W, d["X"]))


class ExponentialLoss(_MarginLoss):
    """``sum_i exp(-y_i W x_i)``, X (k_0, n), labels y (n,) in {±1} (seed 003, §2.1).

    Gradient ``-sum_i y_i exp(-y_i W x_i) x_i^T`` (the residual r_i of seed 003, eq. (7)).
    """

    def value_and_grad(self, W: Any, xp: Backend = NUMPY) -> tuple[Any, Any]:
        d, M = self._margins(W, xp)
        E = xp.exp(xp.scale(M, -1))
        return xp.total(E), xp.scale(xp.matmul(xp.hadamard(d["y"], E), d["Xt"]), -1)


class LogisticLoss(_MarginLoss):
    """``sum_i log(1 + exp(-y_i W x_i))``, X (k_0, n), labels y (n,) in {±1}.

    Gradient ``-sum_i y_i sigmoid(-y_i W x_i) x_i^T``.
    """

    def value_and_grad(self, W: Any, xp: Backend = NUMPY) -> tuple[Any, Any]:
        d, M = self._margins(W, xp)
        neg = xp.scale(M, -1)
        S = xp.sigmoid(neg)
        return xp.total(xp.softplus(neg)), xp.scale(xp.matmul(xp.hadamard(d["y"], S), d["Xt"]), -1)


class SensingLoss(ConventionLoss):
    """Matrix sensing ``c sum_i (<A_i, W> - y_i)^2``, A (m, k_d, k_0), y (m,) (maybe batched).

    ``convention="half_sum"`` (default, c = 1/2) is the brief's ``1/2 sum_i (...)^2``;
    ``"sum"`` (c = 1) is Yun et al.'s ``L_ms`` (seed 003, eq. (13)). Gradient
    ``2c sum_i (<A_i, W> - y_i) A_i``.
    """

    _core_ndim: ClassVar[dict[str, int]] = {"A": 3, "y": 1}

    def __init__(self, A: Any, y: Any, convention: str = "half_sum") -> None:
        self.A = np.asarray(A)
        self.y = np.asarray(y)
        super().__init__(convention, self.A.shape[-3])

    def _prepare(self, xp: Backend) -> dict[str, Any]:
        flat = self.A.reshape((*self.A.shape[:-2], -1))
        return {"A": xp.asmat(flat), "At": xp.asmat(np.swapaxes(flat, -1, -2)),
                "y": xp.asmat(self.y[..., :, None]), **self.scalars(xp)}

    def value_and_grad(self, W: Any, xp: Backend = NUMPY) -> tuple[Any, Any]:
        d = self.data(xp)
        rows, cols = self.A.shape[-2:]
        r = xp.sub(xp.matmul(d["A"], xp.vec(W)), d["y"])
        grad = xp.unvec(xp.matmul(d["At"], r), rows, cols)
        return xp.sum_squares(r) * d["c"], xp.scale(grad, d["c2"])


class SoftmaxCrossEntropyLoss(ConventionLoss):
    """Softmax cross entropy ``c sum_i -y_i^T log softmax(W x_i)``, X (k_0, n) or (B, k_0, n),
    targets Y (k_d, n) (maybe batched; columns probability vectors, e.g. one-hot labels).

    ``c`` follows ``convention`` (module docstring; ``"half_mean"``: ``1/(2n)``, seed 001
    eq. (2)). With ``P = softmax(W X)`` (per column) and ``s_i = sum_r Y_ri`` the gradient is
    ``c (P diag(s) - Y) X^T`` (``c (P - Y) X^T`` for one-hot Y). Backends: numpy (batched, a
    stable log-softmax) and ball arithmetic (``flint.arb_mat``, rigorous enclosures); the exact
    rational backend has no form (the loss is transcendental).
    """

    _core_ndim: ClassVar[dict[str, int]] = {"X": 2, "Y": 2}

    def __init__(self, X: Any, Y: Any, convention: str = "half_mean") -> None:
        self.X = np.asarray(X)
        self.Y = np.asarray(Y)
        super().__init__(convention, self.X.shape[-1])

    def _prepare(self, xp: Backend) -> dict[str, Any]:
        out = {"X": xp.asmat(self.X), "Xt": xp.asmat(np.swapaxes(self.X, -1, -2)),
               "c": xp.scalar(self.factor)}
        if isinstance(out["X"], np.ndarray):
            Y = np.asarray(self.Y, dtype=float)
            return {**out, "Y": Y, "s": Y.sum(axis=-2, keepdims=True)}
        return {**out, "Y": xp.asmat(self.Y)}

    def value_and_grad(self, W: Any, xp: Backend = NUMPY) -> tuple[Any, Any]:
        d = self.data(xp)
        Z = xp.matmul(W, d["X"])
        if isinstance(Z, np.ndarray):
            logp = log_softmax(Z, axis=-2)
            value = -float(self.factor) * np.sum(d["Y"] * logp, axis=(-2, -1))
            GZ = np.exp(logp) * d["s"] - d["Y"]
            return value, xp.scale(xp.matmul(GZ, d["Xt"]), float(self.factor))
        if not isinstance(Z, flint.arb_mat):
            raise VerifyError("SoftmaxCrossEntropyLoss needs numpy or ball (arb) arithmetic")
        value, GZ = _softmax_ce_ball(Z, d["Y"])
        return value * d["c"], xp.scale(xp.matmul(GZ, d["Xt"]), d["c"])


def _softmax_ce_ball(Z: flint.arb_mat, Y: flint.arb_mat) -> tuple[flint.arb, flint.arb_mat]:
    """``sum_i -y_i^T log softmax(z_i)`` and ``P diag(s) - Y`` over the columns of Z (balls)."""
    rows, cols = Z.nrows(), Z.ncols()
    GZ = flint.arb_mat(rows, cols)
    value = flint.arb(0)
    for j in range(cols):
        col = [Z[i, j] for i in range(rows)]
        shift = max(z.mid() for z in col)
        e = [(z - shift).exp() for z in col]
        total = sum(e, flint.arb(0))
        lse = shift + total.log()
        s = sum((Y[i, j] for i in range(rows)), flint.arb(0))
        for i in range(rows):
            GZ[i, j] = e[i] / total * s - Y[i, j]
            value += Y[i, j] * (lse - col[i])
    return value, GZ
