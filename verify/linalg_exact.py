"""Exact rational linear algebra on python-flint ``fmpq_mat``: conversions, ranks, the
orthogonal projectors onto the row space and the null space, the minimum-norm least-squares
solution ``A^+ b`` and an exact positive-definiteness test.

Instances reach high-precision margins with ``fractions.Fraction`` entries (see
:mod:`verify.domain`); these helpers turn them into ``fmpq_mat`` and back without rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from verify.core.hp_linalg import fmpq as to_fmpq
from verify.core.hp_linalg import identity
from verify.core.hp_linalg import to_fmpq_mat as matrix

__all__ = ["identity", "matrix", "to_fmpq"]


def column(entries: Sequence[Any]) -> flint.fmpq_mat:
    """A column vector ``fmpq_mat`` (k x 1) from a 1-D sequence."""
    values = list(np.asarray(entries, dtype=object).ravel())
    return flint.fmpq_mat(len(values), 1, [to_fmpq(x) for x in values])


def to_fractions(mat: flint.fmpq_mat) -> np.ndarray:
    """An object array of ``Fraction`` with the entries of ``mat``."""
    rows, cols = mat.nrows(), mat.ncols()
    out = np.empty((rows, cols), dtype=object)
    for i in range(rows):
        for j in range(cols):
            q = mat[i, j]
            out[i, j] = Fraction(int(q.p), int(q.q))
    return out


def rank(mat: flint.fmpq_mat) -> int:
    """Exact rank."""
    if mat.nrows() == 0 or mat.ncols() == 0:
        return 0
    return int(mat.rank())


def hstack(left: flint.fmpq_mat, right: flint.fmpq_mat) -> flint.fmpq_mat:
    """``[left right]`` (same number of rows)."""
    rows = left.nrows()
    out = flint.fmpq_mat(rows, left.ncols() + right.ncols())
    for i in range(rows):
        for j in range(left.ncols()):
            out[i, j] = left[i, j]
        for j in range(right.ncols()):
            out[i, left.ncols() + j] = right[i, j]
    return out


def row_basis(A: flint.fmpq_mat) -> flint.fmpq_mat:
    """The non-zero rows of the reduced row echelon form of A: a basis of its row space,
    as an ``r x d`` matrix (``r = rank(A)``; a ``0 x d`` matrix when A = 0)."""
    reduced, r = A.rref()
    out = flint.fmpq_mat(int(r), A.ncols())
    for i in range(int(r)):
        for j in range(A.ncols()):
            out[i, j] = reduced[i, j]
    return out


def row_space_projector(A: flint.fmpq_mat) -> flint.fmpq_mat:
    """Orthogonal projector onto ``range(A^T)`` (the row space of A), ``d x d``:
    ``R^T (R R^T)^{-1} R`` for a row basis R."""
    R = row_basis(A)
    if R.nrows() == 0:
        return flint.fmpq_mat(A.ncols(), A.ncols())
    return R.transpose() * (R * R.transpose()).inv() * R


def null_space_projector(A: flint.fmpq_mat) -> flint.fmpq_mat:
    """Orthogonal projector onto ``ker(A)``: ``I_d - row_space_projector(A)``."""
    return identity(A.ncols()) - row_space_projector(A)


def min_norm_least_squares(A: flint.fmpq_mat, b: flint.fmpq_mat) -> flint.fmpq_mat:
    """``A^+ b``: the minimum-norm minimiser of ``||A x - b||_2``, exactly.

    It is the unique minimiser in ``range(A^T)``: ``x = R^T w`` with the normal equations
    ``(R A^T A R^T) w = R A^T b`` for a row basis R (the ``r x r`` matrix is invertible).
    When ``A x = b`` is consistent this is ``argmin_{A x = b} ||x||_2``.
    """
    R = row_basis(A)
    if R.nrows() == 0:
        return flint.fmpq_mat(A.ncols(), 1)
    AR = A * R.transpose()
    w = (AR.transpose() * AR).solve(AR.transpose() * b)
    return R.transpose() * w


def is_consistent(A: flint.fmpq_mat, b: flint.fmpq_mat) -> bool:
    """Rouché–Capelli: ``A x = b`` has a solution iff ``rank [A b] = rank A``."""
    return rank(hstack(A, b)) == rank(A)


def is_positive_definite(M: flint.fmpq_mat) -> bool:
    """Sylvester's criterion for a symmetric M: every leading principal minor is > 0."""
    size = M.nrows()
    for k in range(1, size + 1):
        lead = flint.fmpq_mat(k, k, [M[i, j] for i in range(k) for j in range(k)])
        if lead.det() <= 0:
            return False
    return True


def squared_norm(v: flint.fmpq_mat) -> flint.fmpq:
    """``||v||_2^2`` of a column (or the squared Frobenius norm of a matrix)."""
    total = flint.fmpq(0)
    for i in range(v.nrows()):
        for j in range(v.ncols()):
            total += v[i, j] * v[i, j]
    return total
