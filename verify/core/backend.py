"""Matrix backends: the few primitives the network formulas are written against.

Every formula of :mod:`verify.core.losses`, :mod:`verify.core.networks` and
:mod:`verify.core.tensor_networks` that has a high-precision twin is written once, against
the :class:`Backend` protocol below. :data:`NUMPY` evaluates it on float64 stacks of matrices
(leading batch axis, broadcasting data without one); the backends of :mod:`verify.core.hp`
evaluate the same code on one instance with exact rationals (``fmpq_mat``), balls
(``arb_mat``) or mpmath matrices.

Formulas call only these primitives, so a backend controls every temporary: the cache-blocked
numpy path (:class:`WorkspaceBackend`) serves them from reused buffers, which avoids the page
faults of freshly mapped large arrays (the dominant cost of a step in a virtual machine).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Protocol

import numpy as np
from scipy.special import expit


class Backend(Protocol):
    """Primitives on matrices (numpy: stacks ``(..., r, c)``; hp backends: one matrix)."""

    name: str
    data_key: str
    """Backends with the same key share converted loss data."""

    def matmul(self, a: Any, b: Any) -> Any:
        """Matrix product ``a b``."""

    def T(self, a: Any) -> Any:
        """Transpose (of each matrix of a stack)."""

    def sub(self, a: Any, b: Any) -> Any:
        """Difference ``a - b`` (numpy: broadcasting)."""

    def scalar(self, s: Any) -> Any:
        """Convert a number (float, int, Fraction; numpy: also a (B,) array) to this backend."""

    def scale(self, a: Any, s: Any) -> Any:
        """``s * a``; ``s`` a number or, for numpy, one number per trial (shape (B,))."""

    def asmat(self, x: Any) -> Any:
        """Convert data (a numpy float or Fraction object array, last two axes = matrix)."""

    def sum_squares(self, a: Any) -> Any:
        """Squared Frobenius norm (per trial for numpy)."""

    def total(self, a: Any) -> Any:
        """Sum of all entries (per trial for numpy)."""

    def hadamard(self, a: Any, b: Any) -> Any:
        """Entrywise product."""

    def exp(self, a: Any) -> Any:
        """Entrywise exponential."""

    def softplus(self, a: Any) -> Any:
        """Entrywise ``log(1 + exp(a))``."""

    def sigmoid(self, a: Any) -> Any:
        """Entrywise ``1 / (1 + exp(-a))``."""

    def vec(self, a: Any) -> Any:
        """Row-major vectorisation of an (r, c) matrix into an (r c, 1) column."""

    def unvec(self, v: Any, rows: int, cols: int) -> Any:
        """Inverse of :meth:`vec`."""


class NumpyBackend:
    """float64 stacks of matrices; the batch axis (if any) leads and broadcasts."""

    name = "numpy"
    data_key = "numpy"

    def matmul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.matmul(a, b)

    def T(self, a: np.ndarray) -> np.ndarray:
        return np.swapaxes(a, -1, -2)

    def sub(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.subtract(a, b)

    def scalar(self, s: Any) -> Any:
        if isinstance(s, Fraction):
            return s.numerator / s.denominator
        return np.asarray(s, dtype=float) if np.ndim(s) else float(s)

    def scale(self, a: np.ndarray, s: Any) -> np.ndarray:
        s = self.scalar(s)
        if np.ndim(s):
            return a * np.reshape(s, (*np.shape(s), 1, 1))
        return a * s

    def asmat(self, x: Any) -> np.ndarray:
        arr = np.asarray(x)
        if arr.dtype == object:
            arr = np.vectorize(lambda v: float(Fraction(v)), otypes=[float])(arr)
        return np.ascontiguousarray(arr, dtype=float)

    def sum_squares(self, a: np.ndarray) -> np.ndarray:
        flat = a.reshape((*a.shape[:-2], -1))
        return np.einsum("...i,...i->...", flat, flat)

    def total(self, a: np.ndarray) -> np.ndarray:
        return a.sum(axis=(-2, -1))

    def hadamard(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a * b

    def exp(self, a: np.ndarray) -> np.ndarray:
        return np.exp(a)

    def softplus(self, a: np.ndarray) -> np.ndarray:
        return np.logaddexp(0.0, a)

    def sigmoid(self, a: np.ndarray) -> np.ndarray:
        return expit(a)

    def vec(self, a: np.ndarray) -> np.ndarray:
        return a.reshape((*a.shape[:-2], -1, 1))

    def unvec(self, v: np.ndarray, rows: int, cols: int) -> np.ndarray:
        return v.reshape((*v.shape[:-2], rows, cols))


NUMPY = NumpyBackend()
"""The float64 batched backend (the default everywhere)."""


class WorkspaceBackend(NumpyBackend):
    """numpy backend whose results live in reused buffers (one per call since :meth:`reset`).

    Results are valid until the next :meth:`reset`; callers copy what they keep. A smaller
    batch than the buffers' reuses their leading part, so the last block of a batch allocates
    nothing either.
    """

    def __init__(self) -> None:
        self._pool: list[np.ndarray] = []
        self._next = 0

    def reset(self) -> None:
        """Start a new block: buffers are handed out again from the first."""
        self._next = 0

    def _buffer(self, shape: tuple[int, ...]) -> np.ndarray:
        i = self._next
        self._next += 1
        if i < len(self._pool):
            buf = self._pool[i]
            if (buf.ndim == len(shape) and buf.shape[1:] == shape[1:]
                    and buf.shape[0] >= shape[0]):
                return buf[: shape[0]]
            self._pool[i] = buf = np.empty(shape)
            return buf
        buf = np.empty(shape)
        self._pool.append(buf)
        return buf

    def matmul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        shape = (*np.broadcast_shapes(a.shape[:-2], b.shape[:-2]), a.shape[-2], b.shape[-1])
        return np.matmul(a, b, out=self._buffer(shape))

    def sub(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.subtract(a, b, out=self._buffer(np.broadcast_shapes(a.shape, b.shape)))

    def scale(self, a: np.ndarray, s: Any) -> np.ndarray:
        s = self.scalar(s)
        if np.ndim(s):
            s = np.reshape(s, (*np.shape(s), 1, 1))
        return np.multiply(a, s, out=self._buffer(np.broadcast_shapes(a.shape, np.shape(s))))

    def hadamard(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.multiply(a, b, out=self._buffer(np.broadcast_shapes(a.shape, b.shape)))

    def exp(self, a: np.ndarray) -> np.ndarray:
        return np.exp(a, out=self._buffer(a.shape))

    def softplus(self, a: np.ndarray) -> np.ndarray:
        return np.logaddexp(0.0, a, out=self._buffer(a.shape))

    def sigmoid(self, a: np.ndarray) -> np.ndarray:
        return expit(a, out=self._buffer(a.shape))
