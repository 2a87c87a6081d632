"""Linear tensor networks with an orthogonally decomposable data tensor (seed 003, §4.2,
Assumption 1), for any ``S`` and ``U_l`` — not only the diagonal and convolutional ones of
:mod:`verify.core.tensor_networks`.

A :class:`DecomposableNetwork` is given by ``S`` (m x d) and ``U_1, ..., U_L`` (k_l x m, real or
complex, ``U_l^H U_l = I_m``); its data tensor is eq. (9),
``M(x) = sum_j [S x]_j [U_1]_{.,j} ⊗ ... ⊗ [U_L]_{.,j}`` (real when the network is a real
one), parameters ``v_l`` are real (B, k_l). Everything is computed *from eq. (9)*:

* the coordinates ``c_l = U_l^T v_l`` (B, m), ``rho = c_1 ⊙ ... ⊙ c_L`` and ``beta = S^T rho``
  (the multilinear product ``M(e_i) ∘ (v_1, ..., v_L)`` by the definition of ``∘``);
* the gradients ``dL/dv_l = M(dL/dbeta) ∘ (v_1, .., I_{k_l}, .., v_L)
  = U_l ((S g) ⊙ prod_{k != l} c_k)`` (real part; App D.1 before eq. (20));
* the initialisation-gap quantities ``|[U_l^T v_l]_j|^2 - |[U_L^T v_L]_j|^2`` of Theorem 2
  (:func:`gaps`) and a repair onto the gap (:func:`with_gap`);
* the arc-length gradient flow of the exponential loss (:func:`arc_length_flow`):
  :func:`verify.core.max_margin.arc_length_flow` run on this module's beta and gradients,
  returning its :class:`MarginRun`.

``synthetic`` draws a real network with random orthonormal ``U_l`` and a full-column-rank
``S`` with ``m >= d`` (replayable from an integer seed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from verify.core import decompositions as dc
from verify.core import max_margin as mm
from verify.core.losses import Loss


@dataclass(frozen=True)
class DecomposableNetwork:
    """``S`` (m x d) and ``U = (U_1, ..., U_L)`` (k_l x m) of Assumption 1."""

    S: np.ndarray
    U: tuple[np.ndarray, ...]

    @property
    def d(self) -> int:
        return int(self.S.shape[1])

    @property
    def m(self) -> int:
        return int(self.S.shape[0])

    @property
    def depth(self) -> int:
        return len(self.U)

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(int(u.shape[0]) for u in self.U)


def from_decomposition(dec: dc.Decomposition) -> DecomposableNetwork:
    """The network of a :class:`verify.core.decompositions.Decomposition` (diagonal: S = U_l
    = I; full-length convolution: S = d^{(L-1)/2} F, U_l = F^*)."""
    return DecomposableNetwork(np.asarray(dec.S), tuple(np.asarray(u) for u in dec.U))


def synthetic(seed: int, d: int, m: int, sizes: Sequence[int]) -> DecomposableNetwork:
    """Real network with ``U_l`` the Q factors of Gaussian (k_l x m) matrices and Gaussian
    ``S`` (m x d) rescaled so its smallest singular value is >= 1/2 (full column rank);
    deterministic in ``seed``."""
    rng = np.random.default_rng(seed)
    U = tuple(np.linalg.qr(rng.standard_normal((k, m)))[0] for k in sizes)
    S = rng.standard_normal((m, d))
    s = np.linalg.svd(S, compute_uv=False)
    S = S / min(1.0, 2 * s[-1]) if s[-1] < 0.5 else S
    return DecomposableNetwork(S, U)


def data_tensor(net: DecomposableNetwork, x: np.ndarray) -> np.ndarray:
    """Eq. (9) for x (..., d): shape (..., k_1, ..., k_L) (complex dtype; real for a real
    network up to rounding)."""
    return dc.decomposed_tensor(dc.Decomposition(net.S, net.U), x)


def coordinates(net: DecomposableNetwork, params: Sequence[np.ndarray]) -> list[np.ndarray]:
    """``U_l^T v_l`` (B, m) for every layer (transpose, not conjugate transpose, as printed)."""
    return [np.asarray(v) @ u for v, u in zip(params, net.U, strict=True)]


def rho(net: DecomposableNetwork, params: Sequence[np.ndarray]) -> np.ndarray:
    """``rho = prod_l^⊙ U_l^T v_l`` (B, m)."""
    return np.prod(np.stack(coordinates(net, params)), axis=0)


def beta(net: DecomposableNetwork, params: Sequence[np.ndarray]) -> np.ndarray:
    """Linear coefficients ``S^T rho`` (B, d), real part (the imaginary part vanishes for a
    network with real data tensor)."""
    return np.real(rho(net, params) @ net.S)


def value_and_gradients(net: DecomposableNetwork, params: Sequence[np.ndarray],
                        loss: Loss) -> tuple[np.ndarray, list[np.ndarray]]:
    """Loss (B,) and ``dL/dv_l = Re U_l ((S g) ⊙ prod_{k != l} U_k^T v_k)`` (B, k_l) with
    ``g = dL/dbeta``."""
    value, G = loss.value_and_grad(beta(net, params)[:, None, :])
    sg = G[:, 0, :] @ net.S.T
    coords = coordinates(net, params)
    grads = []
    for l, u in enumerate(net.U):
        others = np.prod(np.stack([c for k, c in enumerate(coords) if k != l]), axis=0)
        grads.append(np.real((sg * others) @ u.T))
    return value, grads


def gaps(net: DecomposableNetwork, params: Sequence[np.ndarray]) -> np.ndarray:
    """``|[U_l^T v_l]_j|^2 - |[U_L^T v_L]_j|^2`` for ``l < L``: shape (B, L-1, m)."""
    mags = np.stack([np.abs(c) ** 2 for c in coordinates(net, params)], axis=1)
    return mags[:, :-1] - mags[:, -1:]


def with_gap(net: DecomposableNetwork, params: Sequence[np.ndarray],
             lam: float) -> list[np.ndarray]:
    """Real parameters with ``|U_l^T v_l|_j^2 >= |U_L^T v_L|_j^2 + lam`` (``l < L``): the
    coordinates of the first L-1 layers are scaled up in modulus (phase kept; zero ones set to
    the real floor) and written back through ``v + Re conj(U)(c_new - c)``, which keeps ``v``
    real when conjugate-paired coordinates get the same factor (the DFT case) and leaves the
    component of ``v`` outside the range of ``U`` unchanged."""
    coords = coordinates(net, params)
    floor = np.sqrt(np.abs(coords[-1]) ** 2 + lam)
    out = [np.asarray(p, dtype=float).copy() for p in params]
    for l in range(net.depth - 1):
        c = coords[l]
        mag = np.abs(c)
        phase = np.where(mag > 0, c / np.where(mag > 0, mag, 1.0), 1.0)
        new = phase * np.maximum(mag, floor * (1 + 1e-12))
        out[l] = out[l] + np.real((new - c) @ np.conj(net.U[l]).T)
    return out


def arc_length_flow(net: DecomposableNetwork, params: Sequence[np.ndarray], X: np.ndarray,
                    y: np.ndarray, **options: Any) -> mm.MarginRun:
    """The arc-length flow of ``sum_i exp(-y_i f(x_i))`` for one network shared by the batch
    (params (B, k_l), X (B, n, d), y (B, n)): :func:`verify.core.max_margin.arc_length_flow`
    (same records, stopping rule and ``options``) with :func:`beta` and
    :func:`value_and_gradients` of eq. (9)."""
    return mm.arc_length_flow(net, params, X, y, beta=beta,
                              value_and_gradients=value_and_gradients, **options)
