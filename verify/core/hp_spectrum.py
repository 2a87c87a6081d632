"""Rigorous ordered spectra (with multiplicities) of exact rational matrices.

:mod:`verify.core.hp_linalg` encloses the *distinct* singular values of a matrix. Statements
that pair the i-th largest singular values of two matrices (``Sing(A) - Sing(B)``, Mirsky's
inequality) need the full non-increasing list, repeated values included. Here the
characteristic polynomial of the symmetric Gram matrix is computed exactly and its roots are
isolated rigorously with their multiplicities (``fmpq_poly.complex_roots``); the balls are
then expanded by multiplicity and sorted. Ball i encloses the i-th largest value: for
intervals ``[lo_k, hi_k]`` containing reals ``x_k``, the i-th largest ``x`` lies in
``[i-th largest lo, i-th largest hi]``, so sorting lower and upper ends separately is rigorous
even when the balls overlap.
"""

from __future__ import annotations

import flint
import numpy as np

from verify.core.hp_linalg import bits, gram, to_fmpq_mat


def _sorted_balls(balls: list[flint.arb]) -> list[flint.arb]:
    """Balls enclosing the order statistics (non-increasing) of values enclosed by ``balls``."""
    lows = sorted((b.lower() for b in balls), reverse=True)
    highs = sorted((b.upper() for b in balls), reverse=True)
    return [flint.arb.union(lo, hi) for lo, hi in zip(lows, highs, strict=True)]


def eigenvalue_balls(S: flint.fmpq_mat, digits: int) -> list[flint.arb]:
    """Enclosures of all eigenvalues (with multiplicity, non-increasing) of a symmetric
    rational matrix ``S``, at ``digits`` digits."""
    with flint.ctx.workprec(bits(digits)):
        balls = [root.real for root, mult in S.charpoly().complex_roots() for _ in range(mult)]
        return _sorted_balls(balls)


def sorted_singular_value_balls(A: np.ndarray | flint.fmpq_mat, digits: int) -> list[flint.arb]:
    """Enclosures of the ``min(m, n)`` singular values of ``A`` (with multiplicity,
    non-increasing): the diagonal of ``Sing(A)``."""
    with flint.ctx.workprec(bits(digits)):
        return [lam.nonnegative_part().sqrt()
                for lam in eigenvalue_balls(gram(to_fmpq_mat(A)), digits)]


def spectral_norm_ball(A: np.ndarray | flint.fmpq_mat, digits: int) -> flint.arb:
    """An enclosure of ``||A||_sigma`` (0 for an empty or zero matrix)."""
    A = to_fmpq_mat(A)
    if A.nrows() == 0 or A.ncols() == 0:
        return flint.arb(0)
    return sorted_singular_value_balls(A, digits)[0]
