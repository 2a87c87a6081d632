"""Rational orthogonal matrices and (approximately) balanced deep linear networks.

Two parametrisations used to sample the hypothesis sets of statements about balancedness
(Arora et al., seed 002, Definition 1: ``||W_{j+1}^T W_{j+1} - W_j W_j^T||_F <= delta``):

* :func:`cayley` maps a raw square matrix ``R`` to the orthogonal matrix
  ``Q = (I - A)(I + A)^{-1}`` with ``A = (R - R^T)/2`` skew-symmetric (``I + A`` is always
  invertible). With rational ``R`` the result is exactly orthogonal and rational, so the same
  raw parameters give a float64 matrix and its exact twin (:func:`cayley_exact`).
* :func:`balanced_layers` builds ``W_j = U_j Sigma_j U_{j-1}^T + eps P_j`` (``j = 1..N``) from
  orthogonal ``U_0, ..., U_N`` (Cayley), a common vector of singular values ``s`` (padded into
  the ``d_j x d_{j-1}`` diagonal ``Sigma_j``) and perturbations ``P_j``. With ``eps = 0`` the
  layers are exactly 0-balanced (``W_{j+1}^T W_{j+1} = U_j Sigma^2 U_j^T = W_j W_j^T``), and
  every 0-balanced tuple has this form; ``eps > 0`` moves them off the balanced set.

:func:`network_domain` is a :class:`verify.domain.Domain` of such networks of every depth and
width up to given maxima; :func:`network_layers` / :func:`network_layers_exact` build the
float64 batch and the exact instance of layers from its variables; :func:`balancedness`
measures the smallest delta of Definition 1.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from itertools import pairwise
from typing import Any

import flint
import numpy as np

from verify.core.hp_linalg import frobenius_sq, identity, to_fmpq_mat
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Real, Vector


def cayley(R: np.ndarray) -> np.ndarray:
    """Orthogonal Cayley transforms of a stack of square matrices ``R`` (..., d, d)."""
    A = 0.5 * (R - np.swapaxes(R, -1, -2))
    eye = np.broadcast_to(np.eye(R.shape[-1]), R.shape)
    # (I - A)(I + A)^{-1} = ((I + A)^{-T} (I - A)^T)^T and (I + A)^{-T} = (I - A)^{-1}
    return np.swapaxes(np.linalg.solve(eye - A, eye + A), -1, -2)


def cayley_exact(R: Any) -> flint.fmpq_mat:
    """The exact rational Cayley transform of one square matrix (object array or fmpq_mat)."""
    R = to_fmpq_mat(R)
    A = (R - R.transpose()) * flint.fmpq(1, 2)
    eye = identity(R.nrows())
    return (eye - A) * (eye + A).inv()


def padded_diagonal(s: Sequence[Any], rows: int, cols: int, zero: Any = 0.0) -> list[list[Any]]:
    """The ``rows x cols`` matrix with ``s`` on its diagonal (truncated or zero-padded)."""
    return [[(s[i] if i == j and i < len(s) else zero) for j in range(cols)]
            for i in range(rows)]


def balanced_layers(U_raw: Sequence[np.ndarray], s: np.ndarray,
                    P: Sequence[np.ndarray] | None = None,
                    eps: np.ndarray | float = 0.0) -> list[np.ndarray]:
    """Batched layers ``W_j = U_j Sigma U_{j-1}^T + eps P_j`` (module docstring).

    ``U_raw[j]`` has shape (B, d_j, d_j) for ``j = 0..N``; ``s`` (B, k) holds the shared
    singular values (``k <= min_j d_j``; negative entries are used as given); ``P[j-1]`` has
    shape (B, d_j, d_{j-1}); ``eps`` is a scalar or shape (B,).
    """
    U = [cayley(R) for R in U_raw]
    B, k = s.shape
    layers = []
    for j in range(1, len(U)):
        rows, cols = U[j].shape[-1], U[j - 1].shape[-1]
        Sigma = np.zeros((B, rows, cols))
        idx = np.arange(min(k, rows, cols))
        Sigma[:, idx, idx] = s[:, idx]
        W = U[j] @ Sigma @ np.swapaxes(U[j - 1], -1, -2)
        if P is not None:
            W = W + np.reshape(eps, (-1, 1, 1)) * P[j - 1]
        layers.append(W)
    return layers


def balanced_layers_exact(U_raw: Sequence[Any], s: Sequence[Any],
                          P: Sequence[Any] | None = None,
                          eps: Any = 0) -> list[flint.fmpq_mat]:
    """The exact twin of :func:`balanced_layers` for one instance (rational entries)."""
    U = [cayley_exact(R) for R in U_raw]
    s = [flint.fmpq(Fraction(v).numerator, Fraction(v).denominator) for v in s]
    e = Fraction(eps)
    layers = []
    for j in range(1, len(U)):
        rows, cols = U[j].nrows(), U[j - 1].nrows()
        Sigma = flint.fmpq_mat(rows, cols, [v for row in padded_diagonal(s, rows, cols, 0)
                                            for v in row])
        W = U[j] * Sigma * U[j - 1].transpose()
        if P is not None:
            W = W + to_fmpq_mat(P[j - 1]) * flint.fmpq(e.numerator, e.denominator)
        layers.append(W)
    return layers


# --------------------------------------------------------------------------- a domain of networks


def network_domain(max_depth: int = 4, max_width: int = 3, perturbed: bool = False,
                   dims_ok: Callable[[Mapping[str, int]], bool] | None = None,
                   s_range: tuple[float, float] = (-0.5, 2.0)) -> Domain:
    """Networks ``W_N ... W_1`` of depth ``N <= max_depth`` and widths ``d_0, ..., d_N`` in
    ``[1, max_width]``, parametrised as in :func:`balanced_layers`.

    Variables: ``N``; ``d0, ..., d{max_depth}`` (widths beyond ``N`` are pinned to 1); ``k =
    min(d_0, ..., d_N)``; raw orthogonal factors ``U0, ..., U{max_depth}``; raw singular values
    ``s`` (clipped at 0, so rank-deficient layers are frequent) and a log-uniform ``scale`` in
    ``[1/4, 4]``; with ``perturbed``, matrices ``P1, ...`` and a log-uniform ``eps`` in
    ``[1e-6, 1]``. ``dims_ok`` adds constraints on the widths (e.g. ``d_N <= d_{N-1}``).
    """
    def ok(d: Mapping[str, int]) -> bool:
        N = d["N"]
        if any(d[f"d{j}"] != 1 for j in range(N + 1, max_depth + 1)):
            return False
        if d["k"] != min(d[f"d{j}"] for j in range(N + 1)):
            return False
        return dims_ok is None or dims_ok(d)

    variables: list[Any] = [Integer("N", 1, max_depth), Integer("k", 1, max_width)]
    variables += [Integer(f"d{j}", 1, max_width) for j in range(max_depth + 1)]
    variables += [Matrix(f"U{j}", f"d{j}", f"d{j}", -2.0, 2.0) for j in range(max_depth + 1)]
    variables += [Vector("s", "k", *s_range), Real("scale", 0.25, 4.0, log=True)]
    if perturbed:
        variables += [Matrix(f"P{j}", f"d{j}", f"d{j - 1}", -1.0, 1.0)
                      for j in range(1, max_depth + 1)]
        variables.append(Real("eps", 1e-6, 1.0, log=True))
    return Domain(tuple(variables), dims_ok=ok)


def network_layers(batch: Batch) -> list[np.ndarray]:
    """The layers ``[W_1, ..., W_N]`` of a batch of :func:`network_domain`."""
    N = int(batch["N"])
    s = np.maximum(batch["s"], 0.0) * batch["scale"][:, None]
    P = [batch[f"P{j}"] for j in range(1, N + 1)] if "eps" in batch else None
    return balanced_layers([batch[f"U{j}"] for j in range(N + 1)], s, P,
                           batch.get("eps", 0.0))


def network_layers_exact(inst: Instance) -> list[flint.fmpq_mat]:
    """Exact twin of :func:`network_layers` for one instance."""
    N = int(inst["N"])
    scale = Fraction(inst["scale"])
    s = [max(Fraction(v), Fraction(0)) * scale for v in inst["s"]]
    P = [inst[f"P{j}"] for j in range(1, N + 1)] if "eps" in inst else None
    return balanced_layers_exact([inst[f"U{j}"] for j in range(N + 1)], s, P,
                                 inst.get("eps", 0))


def balancedness_sq_exact(Ws: Sequence[flint.fmpq_mat]) -> flint.fmpq:
    """The exact square of :func:`verify.core.measures.balancedness` for one instance of exact
    layers."""
    gaps = [frobenius_sq(b.transpose() * b - a * a.transpose())
            for a, b in pairwise(Ws)]
    return max(gaps, default=flint.fmpq(0))
