"""Rigorous linear algebra on exact rational matrices (python-flint).

The high-precision margins receive instances whose matrix entries are exact ``Fraction``
values (see :mod:`verify.domain`). The helpers here turn them into ``flint.fmpq_mat`` and
decide or enclose singular-value statements without rounding error:

* the singular values of an ``m x n`` matrix ``A`` are the square roots of the eigenvalues of
  its ``k x k`` Gram matrix (``k = min(m, n)``: ``A^T A`` when ``n <= m``, else ``A A^T``);
* a symmetric rational matrix is positive semi-definite iff the coefficients of its
  characteristic polynomial alternate in sign (all roots are real; by Descartes' rule there
  is no negative root iff ``(-1)^(k-i) a_i >= 0`` for every coefficient), so comparisons such
  as ``sigma_min(A) >= a`` with rational ``a`` are decided exactly;
* enclosures (``flint.arb`` balls) of singular values come from the exact characteristic
  polynomial of the Gram matrix and flint's rigorous root isolation (``complex_roots``).
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from functools import reduce

import flint
import numpy as np

Rational = Fraction | int | flint.fmpq | flint.fmpz


def bits(digits: int) -> int:
    """Working precision in bits for ``digits`` significant decimal digits (with guard bits)."""
    return int(digits * 3.33) + 32


def fmpq(value: Rational) -> flint.fmpq:
    """An exact rational as ``flint.fmpq``."""
    if isinstance(value, flint.fmpq):
        return value
    frac = Fraction(int(value)) if isinstance(value, flint.fmpz) else Fraction(value)
    return flint.fmpq(int(frac.numerator), int(frac.denominator))


def to_fmpq_mat(A: np.ndarray | flint.fmpq_mat) -> flint.fmpq_mat:
    """An exact matrix (object array of rationals, or 2-D array of floats) as ``fmpq_mat``."""
    if isinstance(A, flint.fmpq_mat):
        return A
    A = np.asarray(A)
    if A.ndim != 2:
        raise ValueError(f"expected a matrix, got an array of shape {A.shape}")
    entries = [fmpq(v) for v in A.ravel().tolist()]
    return flint.fmpq_mat(A.shape[0], A.shape[1], entries)


def identity(k: int) -> flint.fmpq_mat:
    """The ``k x k`` identity matrix."""
    return flint.fmpq_mat(k, k, [int(i == j) for i in range(k) for j in range(k)])


def gram(A: np.ndarray | flint.fmpq_mat) -> flint.fmpq_mat:
    """The ``k x k`` Gram matrix whose eigenvalues are the squared singular values of ``A``."""
    A = to_fmpq_mat(A)
    At = A.transpose()
    return At * A if A.ncols() <= A.nrows() else A * At


def frobenius_sq(A: np.ndarray | flint.fmpq_mat) -> flint.fmpq:
    """``||A||_F^2``, exactly."""
    return sum((e * e for e in to_fmpq_mat(A).entries()), flint.fmpq(0))


def rational_sqrt(q: Rational) -> flint.fmpq | None:
    """The exact square root of a non-negative rational, or None when it is irrational."""
    q = fmpq(q)
    if q < 0:
        return None
    p, d = int(q.p), int(q.q)
    rp, rd = flint.fmpz(p).isqrt(), flint.fmpz(d).isqrt()
    return flint.fmpq(rp, rd) if rp * rp == p and rd * rd == d else None


def is_psd(S: flint.fmpq_mat) -> bool:
    """Exactly: is the symmetric rational matrix ``S`` positive semi-definite?"""
    k = S.nrows()
    if S.ncols() != k or S != S.transpose():
        raise ValueError("is_psd needs a symmetric square matrix")
    coeffs = S.charpoly().coeffs()
    return all(((-1) ** (k - i)) * a >= 0 for i, a in enumerate(coeffs))


def sigma_min_at_least(A: np.ndarray | flint.fmpq_mat, a: Rational) -> bool:
    """Exactly: ``sigma_min(A) >= a`` for a rational ``a``."""
    a = fmpq(a)
    if a <= 0:
        return True
    G = gram(A)
    return is_psd(G - identity(G.nrows()) * (a * a))


def sigma_min_equals(A: np.ndarray | flint.fmpq_mat, a: Rational) -> bool:
    """Exactly: ``sigma_min(A) == a`` for a rational ``a >= 0``."""
    a = fmpq(a)
    if a < 0:
        return False
    G = gram(A)
    H = G - identity(G.nrows()) * (a * a)
    return is_psd(H) and H.det() == 0


def sigma_max_at_most(A: np.ndarray | flint.fmpq_mat, b: Rational) -> bool:
    """Exactly: ``sigma_max(A) <= b`` for a rational ``b``."""
    b = fmpq(b)
    if b < 0:
        return False
    G = gram(A)
    return is_psd(identity(G.nrows()) * (b * b) - G)


def sigma_min_at_least_surd(A: np.ndarray | flint.fmpq_mat, c: Rational, q: Rational) -> bool:
    """Exactly: ``sigma_min(A) >= c + sqrt(q)`` for rationals ``c >= 0`` and ``q >= 0``.

    With ``H = G - (c^2 + q) I`` (``G`` the Gram matrix), every eigenvalue ``lambda`` of ``G``
    satisfies ``lambda >= (c + sqrt(q))^2`` iff ``mu = lambda - c^2 - q >= 2 c sqrt(q)``, i.e.
    ``mu >= 0`` and ``mu^2 >= 4 c^2 q``: both ``H`` and ``H^2 - 4 c^2 q I`` are PSD.
    """
    c, q = fmpq(c), fmpq(q)
    if c < 0 or q < 0:
        raise ValueError("sigma_min_at_least_surd needs c >= 0 and q >= 0")
    G = gram(A)
    eye = identity(G.nrows())
    H = G - eye * (c * c + q)
    return is_psd(H) and is_psd(H * H - eye * (4 * c * c * q))


def _eigenvalue_balls(S: flint.fmpq_mat, prec: int) -> list[flint.arb]:
    """Enclosures of the distinct eigenvalues of a symmetric rational matrix (any order)."""
    with flint.ctx.workprec(prec):
        roots = S.charpoly().complex_roots()
        return [root.real for root, _ in roots]


def singular_value_balls(A: np.ndarray | flint.fmpq_mat, digits: int) -> list[flint.arb]:
    """Rigorous enclosures of the distinct singular values of ``A``, at ``digits`` digits."""
    prec = bits(digits)
    with flint.ctx.workprec(prec):
        return [lam.nonnegative_part().sqrt() for lam in _eigenvalue_balls(gram(A), prec)]


def _extreme(balls: Iterable[flint.arb], pick: str, prec: int) -> flint.arb:
    with flint.ctx.workprec(prec):
        return reduce(lambda x, y: getattr(x, pick)(y), balls)


def sigma_min_ball(A: np.ndarray | flint.fmpq_mat, digits: int) -> flint.arb:
    """A rigorous enclosure of ``sigma_min(A)`` (the ``min(m, n)``-th largest singular value)."""
    return _extreme(singular_value_balls(A, digits), "min", bits(digits))


def sigma_max_ball(A: np.ndarray | flint.fmpq_mat, digits: int) -> flint.arb:
    """A rigorous enclosure of ``sigma_max(A)`` (the spectral norm)."""
    return _extreme(singular_value_balls(A, digits), "max", bits(digits))
