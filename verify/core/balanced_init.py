"""Balanced initialization (Arora et al., seed 002, §3.3, Procedure 1), float and exact.

Procedure 1: given widths ``d_0, ..., d_N`` with ``min{d_1, ..., d_{N-1}} >= min{d_0, d_N}``
and a matrix ``A`` (d_N x d_0) with thin SVD ``A = U Sigma V^T`` (``k = min{d_0, d_N}``),

    W_N ~ U Sigma^{1/N},   W_{N-1} ~ ... ~ W_2 ~ Sigma^{1/N},   W_1 ~ Sigma^{1/N} V^T,

where ``~`` is equality up to zero padding. Then ``W_N ... W_1 = A`` and the layers are
0-balanced (footnote 5). For ``N = 1`` the single layer is ``A`` itself.

* :func:`procedure1_from_svd` builds the layers from given SVD factors (batched float64);
  :func:`balanced_initialization` takes ``A`` and uses numpy's SVD;
  :func:`gaussian_balanced_initialization` samples ``A`` with i.i.d. N(0, s^2) entries
  (the distribution of Theorem 2).
* :func:`procedure1_exact` is the exact twin for one instance: rational orthonormal frames
  (e.g. columns of :func:`verify.core.balanced_layers.cayley_exact`) and rational N-th roots
  ``r`` of the singular values (``Sigma = diag(r)^N``), so layers and ``A`` are exactly
  rational; :func:`rational_frames` makes such frames from raw square matrices.
* :func:`procedure1_mp` runs the procedure on an exact ``A`` with mpmath's SVD at a given
  number of digits (a high-precision, non-rigorous twin of :func:`balanced_initialization`).

Hidden widths smaller than ``k`` are accepted and the diagonal is then truncated (the printed
procedure excludes them; the truncated form is what dropping the hypothesis gives).
The padded diagonals reuse :func:`verify.core.balanced_layers.padded_diagonal`; balancedness
is measured by :func:`verify.core.balanced_layers.balancedness`.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import flint
import mpmath
import numpy as np

from verify.core.balanced_layers import cayley, cayley_exact, padded_diagonal
from verify.errors import VerifyError


def _check_widths(widths: Sequence[int]) -> None:
    if len(widths) < 2 or any(int(d) < 1 for d in widths):
        raise VerifyError(f"Procedure 1 needs widths d_0, ..., d_N >= 1 with N >= 1; "
                          f"got {tuple(widths)}")


def _diag_stack(r: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Batched ``rows x cols`` matrices with ``r`` (B, k) on the diagonal (padded/truncated)."""
    out = np.zeros((r.shape[0], rows, cols))
    idx = np.arange(min(r.shape[1], rows, cols))
    out[:, idx, idx] = r[:, idx]
    return out


def procedure1_from_svd(U: np.ndarray, sigma: np.ndarray, V: np.ndarray,
                        widths: Sequence[int], root: float | None = None) -> list[np.ndarray]:
    """Layers ``[W_1, ..., W_N]`` of Procedure 1 (iii) from thin SVD factors.

    ``U`` (B, d_N, k), ``sigma`` (B, k) >= 0, ``V`` (B, d_0, k) with ``A = U diag(sigma) V^T``.
    ``root`` is the exponent applied to ``sigma`` (default ``1/N``, as printed).
    """
    _check_widths(widths)
    N = len(widths) - 1
    if N == 1:
        return [(U * sigma[:, None, :]) @ np.swapaxes(V, -1, -2)]
    r = np.maximum(sigma, 0.0) ** (1.0 / N if root is None else root)
    k = r.shape[1]
    layers = [_diag_stack(r, widths[1], k) @ np.swapaxes(V, -1, -2)]
    layers += [_diag_stack(r, widths[j], widths[j - 1]) for j in range(2, N)]
    layers.append(U @ _diag_stack(r, k, widths[N - 1]))
    return layers


def balanced_initialization(A: np.ndarray, widths: Sequence[int],
                            root: float | None = None) -> list[np.ndarray]:
    """Procedure 1 applied to a batch ``A`` (B, d_N, d_0) with numpy's thin SVD."""
    A = np.asarray(A, dtype=float)
    if A.shape[-2:] != (widths[-1], widths[0]):
        raise VerifyError(f"A has shape {A.shape[-2:]}, widths ask for "
                          f"{(widths[-1], widths[0])}")
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    return procedure1_from_svd(U, s, np.swapaxes(Vt, -1, -2), widths, root)


def gaussian_balanced_initialization(rng: np.random.Generator, batch: int,
                                     widths: Sequence[int], std: float) -> list[np.ndarray]:
    """Procedure 1 with ``D`` = i.i.d. zero-mean Gaussian entries of standard deviation
    ``std`` (Theorem 2's initialization); returns the layers of ``batch`` draws."""
    A = rng.normal(0.0, std, size=(batch, widths[-1], widths[0]))
    return balanced_initialization(A, widths)


# --------------------------------------------------------------------------- exact twin


def _fmpq(v: Any) -> flint.fmpq:
    f = Fraction(v)
    return flint.fmpq(f.numerator, f.denominator)


def rational_frames(U_raw: Any, V_raw: Any, k: int) -> tuple[flint.fmpq_mat, flint.fmpq_mat]:
    """Exact orthonormal frames: the first ``k`` columns of the Cayley transforms of the raw
    square matrices ``U_raw`` (d_N x d_N) and ``V_raw`` (d_0 x d_0)."""
    def first_columns(Q: flint.fmpq_mat) -> flint.fmpq_mat:
        return flint.fmpq_mat(Q.nrows(), k, [Q[i, j] for i in range(Q.nrows())
                                             for j in range(k)])

    return first_columns(cayley_exact(U_raw)), first_columns(cayley_exact(V_raw))


def frames(U_raw: np.ndarray, V_raw: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Float twin of :func:`rational_frames` for batches (B, d, d)."""
    return cayley(U_raw)[..., :k], cayley(V_raw)[..., :k]


def _fmpq_diag(r: Sequence[flint.fmpq], rows: int, cols: int) -> flint.fmpq_mat:
    zero = flint.fmpq(0)
    return flint.fmpq_mat(rows, cols, [v for row in padded_diagonal(list(r), rows, cols, zero)
                                       for v in row])


def procedure1_exact(U: flint.fmpq_mat, roots: Sequence[Any], V: flint.fmpq_mat,
                     widths: Sequence[int]) -> tuple[flint.fmpq_mat, list[flint.fmpq_mat]]:
    """``(A, [W_1, ..., W_N])`` exactly, for ``A = U diag(roots)^N V^T`` (``roots >= 0``
    rational, frames with orthonormal columns): the layers of Procedure 1 (iii)."""
    _check_widths(widths)
    N = len(widths) - 1
    r = [_fmpq(v) for v in roots]
    k = len(r)
    A = U * _fmpq_diag([v**N for v in r], k, k) * V.transpose()
    if N == 1:
        return A, [A]
    layers = [_fmpq_diag(r, widths[1], k) * V.transpose()]
    layers += [_fmpq_diag(r, widths[j], widths[j - 1]) for j in range(2, N)]
    layers.append(U * _fmpq_diag(r, k, widths[N - 1]))
    return A, layers


def procedure1_mp(A: Any, widths: Sequence[int], digits: int,
                  degree: int | None = None) -> list[mpmath.matrix]:
    """Procedure 1 on one exact ``A`` (object array of rationals) with mpmath's SVD at
    ``digits`` digits; layers as mpmath matrices (call inside ``mpmath.workdps``).
    ``degree`` is the root taken of the singular values (default ``N``, as printed)."""
    _check_widths(widths)
    N = len(widths) - 1
    with mpmath.workdps(digits):
        M = mpmath.matrix([[mpmath.mpf(Fraction(v).numerator) / Fraction(v).denominator
                            for v in row] for row in np.asarray(A, dtype=object)])
        if N == 1:
            return [M]
        U, S, Vt = mpmath.svd_r(M, full_matrices=False)
        k = len(S)
        r = [mpmath.root(max(S[i], 0), degree or N) for i in range(k)]

        def diag(rows: int, cols: int) -> mpmath.matrix:
            return mpmath.matrix(padded_diagonal(r, rows, cols, mpmath.mpf(0)))

        layers = [diag(widths[1], k) * Vt]
        layers += [diag(widths[j], widths[j - 1]) for j in range(2, N)]
        layers.append(U * diag(k, widths[N - 1]))
        return layers
