"""The high-precision twin: the numeric core's formulas on one instance, exactly or with balls.

The backends below implement :class:`verify.core.backend.Backend` for python-flint ``fmpq_mat``
(exact rationals), ``arb_mat`` (rigorous balls at a working precision) and mpmath matrices
(floating point at a given number of digits, for what flint lacks). They plug into the very
same functions as float64: ``networks.gd_step(ws, loss, eta, xp=FMPQ)`` is the exact GD step,
``loss.value(W, xp=arb_backend(50))`` a ball enclosure of the loss, and so on. Data are
converted exactly: a float is the dyadic rational it stores, a ``Fraction`` stays exact.

Use :func:`to_backend` / :func:`to_numpy` to move one trial's weights in and out, and
:func:`precision` to run a computation at the backend's working precision.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import Any

import flint
import mpmath
import numpy as np

from verify.errors import VerifyError


def _fraction(v: Any) -> Fraction:
    if isinstance(v, flint.fmpq):
        return Fraction(int(v.p), int(v.q))
    if isinstance(v, (np.floating, float)):
        return Fraction(float(v))
    if isinstance(v, (np.integer, int)):
        return Fraction(int(v))
    return Fraction(v)


def _rows(x: Any) -> list[list[Fraction]]:
    arr = np.asarray(x, dtype=object)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise VerifyError(f"the high-precision twin works on one instance; got shape {arr.shape}")
    return [[_fraction(v) for v in row] for row in arr]


class _FlintBackend:
    """Shared code of the flint backends (``mat`` = fmpq_mat or arb_mat)."""

    mat: Any = None
    num: Any = None

    def matmul(self, a: Any, b: Any) -> Any:
        return a * b

    def T(self, a: Any) -> Any:
        return a.transpose()

    def sub(self, a: Any, b: Any) -> Any:
        return a - b

    def scale(self, a: Any, s: Any) -> Any:
        return a * self.scalar(s)

    def asmat(self, x: Any) -> Any:
        rows = _rows(x)
        return self.mat(len(rows), len(rows[0]),
                        [self.scalar(v) for row in rows for v in row])

    def _map(self, a: Any, fn: Any) -> Any:
        return self.mat(a.nrows(), a.ncols(), [fn(v) for v in a.entries()])

    def sum_squares(self, a: Any) -> Any:
        return sum((v * v for v in a.entries()), self.num(0))

    def total(self, a: Any) -> Any:
        return sum(a.entries(), self.num(0))

    def hadamard(self, a: Any, b: Any) -> Any:
        pairs = zip(a.entries(), b.entries(), strict=True)
        return self.mat(a.nrows(), a.ncols(), [x * y for x, y in pairs])

    def vec(self, a: Any) -> Any:
        return self.mat(a.nrows() * a.ncols(), 1, a.entries())

    def unvec(self, v: Any, rows: int, cols: int) -> Any:
        return self.mat(rows, cols, v.entries())


class FmpqBackend(_FlintBackend):
    """Exact rational arithmetic (``flint.fmpq_mat``); no transcendental functions."""

    name = "fmpq"
    data_key = "fmpq"
    mat = flint.fmpq_mat
    num = flint.fmpq

    def scalar(self, s: Any) -> flint.fmpq:
        if isinstance(s, flint.fmpq):
            return s
        f = _fraction(s)
        return flint.fmpq(f.numerator, f.denominator)

    def _no(self, *_: Any) -> Any:
        raise VerifyError("exact rational arithmetic has no exp/log; use an arb backend")

    exp = softplus = sigmoid = _no


class ArbBackend(_FlintBackend):
    """Ball arithmetic (``flint.arb_mat``) at ``digits`` decimal digits (see :func:`precision`)."""

    name = "arb"
    mat = flint.arb_mat
    num = flint.arb

    def __init__(self, digits: int = 50) -> None:
        self.digits = digits
        self.data_key = f"arb{digits}"

    def scalar(self, s: Any) -> flint.arb:
        if isinstance(s, flint.arb):
            return s
        f = _fraction(s)
        return flint.arb(flint.fmpq(f.numerator, f.denominator))

    def exp(self, a: Any) -> Any:
        return self._map(a, lambda v: v.exp())

    def softplus(self, a: Any) -> Any:
        return self._map(a, lambda v: v.exp().log1p())

    def sigmoid(self, a: Any) -> Any:
        return self._map(a, lambda v: 1 / (1 + (-v).exp()))


class MpmathBackend:
    """mpmath matrices at ``digits`` decimal digits (see :func:`precision`)."""

    name = "mpmath"

    def __init__(self, digits: int = 50) -> None:
        self.digits = digits
        self.data_key = f"mpmath{digits}"

    def matmul(self, a: Any, b: Any) -> Any:
        return a * b

    def T(self, a: Any) -> Any:
        return a.T

    def sub(self, a: Any, b: Any) -> Any:
        return a - b

    def scalar(self, s: Any) -> mpmath.mpf:
        if isinstance(s, mpmath.mpf):
            return s
        f = _fraction(s)
        return mpmath.mpf(f.numerator) / f.denominator

    def scale(self, a: Any, s: Any) -> Any:
        return a * self.scalar(s)

    def asmat(self, x: Any) -> Any:
        return mpmath.matrix([[self.scalar(v) for v in row] for row in _rows(x)])

    def _entries(self, a: Any) -> list[Any]:
        return [a[i, j] for i in range(a.rows) for j in range(a.cols)]

    def sum_squares(self, a: Any) -> Any:
        return mpmath.fsum(v * v for v in self._entries(a))

    def total(self, a: Any) -> Any:
        return mpmath.fsum(self._entries(a))

    def hadamard(self, a: Any, b: Any) -> Any:
        out = mpmath.matrix(a.rows, a.cols)
        for i in range(a.rows):
            for j in range(a.cols):
                out[i, j] = a[i, j] * b[i, j]
        return out

    def exp(self, a: Any) -> Any:
        return a.apply(mpmath.exp)

    def softplus(self, a: Any) -> Any:
        return a.apply(lambda v: mpmath.log1p(mpmath.exp(v)))

    def sigmoid(self, a: Any) -> Any:
        return a.apply(lambda v: 1 / (1 + mpmath.exp(-v)))

    def vec(self, a: Any) -> Any:
        return mpmath.matrix([[v] for v in self._entries(a)])

    def unvec(self, v: Any, rows: int, cols: int) -> Any:
        return mpmath.matrix([[v[i * cols + j, 0] for j in range(cols)] for i in range(rows)])


FMPQ = FmpqBackend()
"""The exact rational backend."""


def arb_backend(digits: int = 50) -> ArbBackend:
    """A ball-arithmetic backend at ``digits`` decimal digits."""
    return ArbBackend(digits)


def mpmath_backend(digits: int = 50) -> MpmathBackend:
    """An mpmath backend at ``digits`` decimal digits."""
    return MpmathBackend(digits)


@contextlib.contextmanager
def precision(xp: Any) -> Iterator[None]:
    """Run the enclosed computation at ``xp``'s working precision (no-op for exact/numpy)."""
    digits = getattr(xp, "digits", None)
    if digits is None:
        yield
    elif isinstance(xp, ArbBackend):
        old = flint.ctx.dps
        flint.ctx.dps = digits
        try:
            yield
        finally:
            flint.ctx.dps = old
    else:
        with mpmath.workdps(digits):
            yield


def to_backend(weights: Sequence[np.ndarray], xp: Any, trial: int | None = None) -> list[Any]:
    """One trial's weights (``trial`` of a (B, ...) stack, or unbatched) as ``xp`` matrices."""
    with precision(xp):
        return [xp.asmat(w if trial is None else w[trial]) for w in weights]


def entries(mat: Any) -> list[list[Any]]:
    """The entries of a backend matrix as nested lists (rows)."""
    if hasattr(mat, "nrows"):
        return [[mat[i, j] for j in range(mat.ncols())] for i in range(mat.nrows())]
    return [[mat[i, j] for j in range(mat.cols)] for i in range(mat.rows)]


def to_float(value: Any) -> float:
    """float64 of an exact, ball (midpoint) or mpmath number."""
    if isinstance(value, flint.fmpq):
        return int(value.p) / int(value.q)
    if isinstance(value, flint.arb):
        return float(value.mid())
    return float(value)


def to_numpy(mat: Any) -> np.ndarray:
    """float64 array of a backend matrix (ball midpoints)."""
    return np.array([[to_float(v) for v in row] for row in entries(mat)])
