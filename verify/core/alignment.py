"""Definitions 1-3 of the alignment paper (seed 001, §3): aligned networks, frozen frames along
gradient descent, and a frame-free test that frames cannot have stayed frozen.

*Definition 1* (usSVD): ``A = U Sigma V^T`` with U, V orthonormal and Sigma diagonal, entries
unsorted and signed. *Definition 2*: ``f = W_d ... W_1`` is aligned when there are usSVDs
``W_i = U_i Sigma_i V_i^T`` with ``U_i = V_{i+1}``. Such a network is given by frames
``F_0 = V_1, F_i = U_i = V_{i+1} (0 < i < d), F_d = U_d`` and diagonals:
``W_i = F_i Sigma_i F_{i-1}^T`` (:func:`aligned_layers`). *Definition 3*: alignment is an
invariant of training when, from some initialization, for all steps t (a) f is aligned, (b) the
frames of the layers 2..d-1 are not updated, (c) ``U_1`` and ``V_d`` are not updated (``V_1``
and ``U_d`` may move), and the limit interpolates; *strong* alignment also freezes ``V_1`` and
``U_d``. The paper's squared loss is ``1/(2n) sum_i ||y_i - f(x_i)||^2`` (eq. (2)), i.e.
``SquaredLoss(X, Y, "half_mean")``, whose GD step is the paper's eq. (8).

Two measurements of a trajectory ``W(0), ..., W(K)``:

* :func:`frame_residual` (given frames, the witness of Definition 3): the off-diagonal mass of
  ``F_i^T W_i(t) F_{i-1}`` for the layers whose both frames are fixed, and of
  ``F_1^T W_1 W_1^T F_1`` / ``F_{d-1}^T W_d^T W_d F_{d-1}`` for the end layers whose outer frame
  may move (for a weak invariant). Zero iff the given frames are frozen.
* :func:`invariance_defect` (no frames; necessary condition): if the frame ``F_j`` of the
  hidden space j (``0 < j < d``; for strong alignment also j = 0 and j = d) is fixed, every
  matrix ``W_j(s) W_j(t)^T`` (and ``W_{j+1}(s)^T W_{j+1}(t)``) whose two layers have both frames
  fixed, and every Gram ``W_j(t) W_j(t)^T``, ``W_{j+1}(t)^T W_{j+1}(t)``, is diagonal in
  ``F_j``: the family is symmetric and pairwise commuting. The defect sums the squared
  asymmetries and commutators. It is basis-free (insensitive to sign flips, permutations and
  repeated or zero singular values) and vanishes exactly on a frozen trajectory, so a positive
  defect proves that no choice of frames (in particular none re-chosen inside repeated
  singular values) was frozen. For two matrices it is also sufficient (Eckart-Young 1939:
  ``U^T A V``, ``U^T B V`` both diagonal for some orthogonal U, V iff ``A B^T`` and ``A^T B`` are
  symmetric); in general it is only necessary.

Both come as batched float64 and exact rational (``flint.fmpq_mat``) versions; trajectories are
run with :func:`verify.core.networks.gd_step` (float, batched) or its exact twin
(``xp=FMPQ``).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations
from typing import Any

import flint
import numpy as np

from verify.core.hp import FMPQ
from verify.core.hp_linalg import to_fmpq_mat
from verify.core.networks import SquaredLoss, gd_step

LOSS_CONVENTION = "half_mean"
"""Seed 001, eq. (2): ``1/(2n) sum_i ||y_i - f(x_i)||^2``; its GD step is eq. (8)."""


def _diag_matrix(s: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Batched ``rows x cols`` diagonal matrices with the entries of ``s`` (B, m)."""
    out = np.zeros((s.shape[0], rows, cols))
    m = min(rows, cols, s.shape[-1])
    idx = np.arange(m)
    out[:, idx, idx] = s[:, :m]
    return out


def aligned_layers(frames: Sequence[np.ndarray], sigmas: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Batched aligned layers ``W_i = F_i Sigma_i F_{i-1}^T`` (Definition 2).

    ``frames[i]`` (B, k_i, k_i) orthonormal for i = 0..d, ``sigmas[i-1]`` (B, m) the signed,
    unsorted diagonal of ``Sigma_i`` (m >= min(k_i, k_{i-1}); extra entries ignored).
    """
    layers = []
    for i in range(1, len(frames)):
        rows, cols = frames[i].shape[-1], frames[i - 1].shape[-1]
        S = _diag_matrix(np.asarray(sigmas[i - 1], dtype=float), rows, cols)
        layers.append(frames[i] @ S @ np.swapaxes(frames[i - 1], -1, -2))
    return layers


def aligned_layers_exact(frames: Sequence[Any], sigmas: Sequence[Sequence[Any]]) -> list[Any]:
    """:func:`aligned_layers` of one instance, exactly (frames fmpq_mat or rational arrays)."""
    F = [to_fmpq_mat(f) for f in frames]
    layers = []
    for i in range(1, len(F)):
        rows, cols = F[i].nrows(), F[i - 1].nrows()
        S = flint.fmpq_mat(rows, cols)
        for j in range(min(rows, cols)):
            S[j, j] = FMPQ.scalar(sigmas[i - 1][j])
        layers.append(F[i] * S * F[i - 1].transpose())
    return layers


def _offdiag_sq(M: Any) -> Any:
    """Sum of squared off-diagonal entries: batched numpy (B,) or one fmpq_mat (fmpq)."""
    if isinstance(M, np.ndarray):
        k = min(M.shape[-2:])
        idx = np.arange(k)
        off = M.copy()
        off[..., idx, idx] = 0.0
        return np.sum(off * off, axis=(-2, -1))
    return sum((M[i, j] ** 2 for i in range(M.nrows()) for j in range(M.ncols()) if i != j),
               flint.fmpq(0))


def _sq(M: Any) -> Any:
    if isinstance(M, np.ndarray):
        return np.sum(M * M, axis=(-2, -1))
    return sum((e * e for e in M.entries()), flint.fmpq(0))


def _T(M: Any) -> Any:
    return np.swapaxes(M, -1, -2) if isinstance(M, np.ndarray) else M.transpose()


def _layer_terms(W: Any, i: int, d: int, frames: Sequence[Any], strong: bool) -> Any:
    """The matrix that must be diagonal for layer i (1-based) to keep its frames."""
    if strong or 1 < i < d or d == 1:
        return _T(frames[i]) @ W @ frames[i - 1] if isinstance(W, np.ndarray) else \
            frames[i].transpose() * W * frames[i - 1]
    if i == 1:
        G = W @ _T(W) if isinstance(W, np.ndarray) else W * W.transpose()
        F = frames[1]
    else:
        G = _T(W) @ W if isinstance(W, np.ndarray) else W.transpose() * W
        F = frames[d - 1]
    return _T(F) @ G @ F if isinstance(G, np.ndarray) else F.transpose() * G * F


def frame_residual(trajectory: Sequence[Sequence[Any]], frames: Sequence[Any],
                   strong: bool = False) -> tuple[Any, Any]:
    """``(excess, scale)`` of the given frames along a trajectory (module docstring).

    ``trajectory[t][i-1]`` is ``W_i(t)`` (batched numpy or fmpq_mat, matching ``frames``).
    ``excess`` sums the squared off-diagonal entries of the matrices that must be diagonal
    (:func:`_layer_terms`) over all steps and layers, ``scale`` their squared norms; exact
    (fmpq) for fmpq input. Zero iff the frames are frozen in the sense of Definition 3
    (strong: all frames).
    """
    exact = not isinstance(trajectory[0][0], np.ndarray)
    if exact:
        frames = [to_fmpq_mat(f) for f in frames]
    excess: Any = flint.fmpq(0) if exact else 0.0
    scale: Any = flint.fmpq(0) if exact else 0.0
    for weights in trajectory:
        d = len(weights)
        for i, W in enumerate(weights, start=1):
            M = _layer_terms(W, i, d, frames, strong)
            excess = excess + _offdiag_sq(M)
            scale = scale + _sq(M)
    return excess, scale


def _family(trajectory: Sequence[Sequence[Any]], j: int, strong: bool) -> list[Any]:
    """Matrices on hidden space j that a frozen frame F_j makes diagonal (module docstring)."""
    d = len(trajectory[0])
    numpy = isinstance(trajectory[0][0], np.ndarray)

    def mul(a: Any, b: Any) -> Any:
        return a @ b if numpy else a * b

    def fixed(i: int) -> bool:
        return strong or 1 < i < d

    fam = []
    steps = range(len(trajectory))
    if j >= 1:  # layer j maps into space j: W_j(s) W_j(t)^T
        pairs = [(s, t) for s in steps for t in steps if s <= t] if fixed(j) else \
            [(s, s) for s in steps]
        fam += [mul(trajectory[s][j - 1], _T(trajectory[t][j - 1])) for s, t in pairs]
    if j < d:  # layer j + 1 maps out of space j: W_{j+1}(s)^T W_{j+1}(t)
        pairs = [(s, t) for s in steps for t in steps if s <= t] if fixed(j + 1) else \
            [(s, s) for s in steps]
        fam += [mul(_T(trajectory[s][j]), trajectory[t][j]) for s, t in pairs]
    return fam


def invariance_defect(trajectory: Sequence[Sequence[Any]],
                      strong: bool = False) -> tuple[Any, Any]:
    """Frame-free ``(excess, scale)`` for Definition 3 along a trajectory (module docstring).

    Spaces 1..d-1 (and 0, d when ``strong``): ``excess`` = sum of ``||M - M^T||^2`` over the
    family and of ``||M_a M_b - M_b M_a||^2`` over its pairs; ``scale`` = sum of ``||M||^2``
    and of ``||M_a||^2 ||M_b||^2``. Batched numpy or exact (fmpq_mat input).
    """
    d = len(trajectory[0])
    numpy = isinstance(trajectory[0][0], np.ndarray)
    excess: Any = 0.0 if numpy else flint.fmpq(0)
    scale: Any = 0.0 if numpy else flint.fmpq(0)
    spaces = range(0, d + 1) if strong else range(1, d)
    for j in spaces:
        fam = _family(trajectory, j, strong)
        norms = [_sq(M) for M in fam]
        for M, nm in zip(fam, norms, strict=True):
            excess = excess + _sq(M - _T(M))
            scale = scale + nm
        for (a, na), (b, nb) in combinations(zip(fam, norms, strict=True), 2):
            C = a @ b - b @ a if numpy else a * b - b * a
            excess = excess + _sq(C)
            scale = scale + na * nb
    return excess, scale


def squared_loss(X: Any, Y: Any) -> SquaredLoss:
    """The paper's loss ``1/(2n) ||Y - W X||_F^2`` (eq. (2)) on data X (.., k_0, n), Y."""
    return SquaredLoss(X, Y, LOSS_CONVENTION)


def trajectory(weights: Sequence[np.ndarray], X: np.ndarray, Y: np.ndarray, eta: Any,
               steps: int) -> list[list[np.ndarray]]:
    """Batched float GD (eq. (8)): ``[W(0), W(1), ..., W(steps)]``."""
    loss = squared_loss(X, Y)
    out = [[np.array(w, dtype=float) for w in weights]]
    for _ in range(steps):
        out.append(gd_step(out[-1], loss, eta))
    return out


def trajectory_exact(weights: Sequence[Any], X: Any, Y: Any, eta: Any,
                     steps: int) -> list[list[Any]]:
    """Exact rational GD (eq. (8)) of one instance: ``[W(0), ..., W(steps)]`` as fmpq_mat."""
    loss = squared_loss(np.asarray(X, dtype=object), np.asarray(Y, dtype=object))
    lr = FMPQ.scalar(eta)
    out = [[to_fmpq_mat(w) for w in weights]]
    for _ in range(steps):
        out.append(gd_step(out[-1], loss, lr, xp=FMPQ))
    return out


def matrix4(weights: Sequence[Any], frames: Sequence[Any], X: Any, Y: Any) -> Any:
    """Eq. (4) read as in App. A, eq. (11): ``U_d^T (Y - f(X)) X^T V_1`` with ``U_d = F_d``,
    ``V_1 = F_0`` (batched numpy, or exact for fmpq_mat weights)."""
    if isinstance(weights[0], np.ndarray):
        W = weights[0]
        for w in weights[1:]:
            W = w @ W
        R = (Y - W @ X) @ np.swapaxes(X, -1, -2)
        return np.swapaxes(frames[-1], -1, -2) @ R @ frames[0]
    W = weights[0]
    for w in weights[1:]:
        W = w * W
    Xq, Yq = to_fmpq_mat(X), to_fmpq_mat(Y)
    R = (Yq - W * Xq) * Xq.transpose()
    return to_fmpq_mat(frames[-1]).transpose() * R * to_fmpq_mat(frames[0])


def offdiagonal_sq(M: Any) -> Any:
    """``(sum of squared off-diagonal entries, squared norm)`` of a batched or fmpq matrix."""
    return _offdiag_sq(M), _sq(M)


def fraction(q: Any) -> Fraction:
    """A ``flint.fmpq`` (or int / Fraction) as a ``Fraction``."""
    if isinstance(q, flint.fmpq):
        return Fraction(int(q.p), int(q.q))
    return Fraction(q)
