"""Limit points of gradient flow in underdetermined regression (seed 003, §5.1 Theorem 5,
App F.2): the potential ``Q_{L,alpha,eta}``, its minimisation over ``{rho : A rho = y}``, and
linear tensor networks built from a real orthogonal decomposition (Assumption 1, eq. (9)).

``Q_{L,alpha,eta}(rho) = alpha^2 sum_j eta_j^2 H_L(rho_j / (alpha^L |eta_j|^L))`` with
``H_L(t) = int_0^t h_L^{-1}`` (:mod:`verify.core.h_functions`). Its gradient and Hessian are the
chain rule applied to this definition (``H_L' = h_L^{-1}``, ``(h_L^{-1})' = 1 / h_L'(h_L^{-1})``,
``h_L' = (1 + q^2)^{L-2} (L q^2 + 1)`` with ``q = q_L``).

The constrained minimiser is computed in two independent stages:

* :func:`minimize_q` (float64): scipy SLSQP on the normalised objective, falling back to
  ``trust-constr``, with tight tolerances;
* :func:`minimize_q_mp` (mpmath, ``dps`` digits): the equality-constrained Newton method
  started from the float solution projected onto ``A rho = y`` (exactly feasible steps,
  backtracking on ``Q``; ``Q`` is strictly convex, so the KKT point it converges to is the
  unique minimiser). It returns the KKT multiplier ``nu`` (``grad Q = A^T nu``) and the KKT
  residual, measured.

Networks: :func:`real_decomposition` draws ``S`` (m x d, full column rank) and ``U_l``
(k_l x m, orthonormal columns); :func:`basis_tensor` stacks ``M(e_i)`` of eq. (9);
:func:`value_and_gradients` and :func:`gradient_flow` run the linear tensor network (6) with
that data tensor on the shared integrator :func:`verify.core.flow.integrate`.
"""

from __future__ import annotations

import string
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import mpmath
import numpy as np
import scipy.optimize

from verify.core import flow
from verify.core import h_functions as hf
from verify.core.losses import Loss

# --------------------------------------------------------------------------- Q (float64)


def _scales(L: int, alpha: float, eta: np.ndarray) -> np.ndarray:
    """``c_j = alpha^L |eta_j|^L``, the denominators inside ``H_L``."""
    return alpha**L * np.abs(eta) ** L


def q_value(L: int, alpha: float, eta: np.ndarray, rho: np.ndarray) -> float:
    """``Q_{L,alpha,eta}(rho)`` (float64)."""
    eta, rho = np.asarray(eta, dtype=float), np.asarray(rho, dtype=float)
    return float(alpha**2 * np.sum(eta**2 * hf.H(L, rho / _scales(L, alpha, eta))))


def q_gradient(L: int, alpha: float, eta: np.ndarray, rho: np.ndarray) -> np.ndarray:
    """``grad Q``: ``alpha^2 eta_j^2 h_L^{-1}(rho_j / c_j) / c_j`` (chain rule)."""
    eta, rho = np.asarray(eta, dtype=float), np.asarray(rho, dtype=float)
    c = _scales(L, alpha, eta)
    return alpha**2 * eta**2 * hf.h_inverse(L, rho / c) / c


# --------------------------------------------------------------------------- Q (mpmath)


def _mp_scales(L: int, alpha: mpmath.mpf, eta: Sequence[mpmath.mpf]) -> list[mpmath.mpf]:
    return [alpha**L * abs(e) ** L for e in eta]


def q_value_mp(L: int, alpha: object, eta: Sequence[object], rho: Sequence[object],
               dps: int = 50) -> mpmath.mpf:
    """``Q_{L,alpha,eta}(rho)`` at ``dps`` digits."""
    with mpmath.workdps(dps + 10):
        a = hf.to_mpf(alpha)
        et, rh = [hf.to_mpf(e) for e in eta], [hf.to_mpf(r) for r in rho]
        c = _mp_scales(L, a, et)
        return a**2 * mpmath.fsum(e**2 * hf.H_mp(L, r / cj, dps)
                                  for e, r, cj in zip(et, rh, c, strict=True))


def q_gradient_mp(L: int, alpha: object, eta: Sequence[object], rho: Sequence[object],
                  dps: int = 50) -> list[mpmath.mpf]:
    """``grad Q`` at ``dps`` digits (chain rule, as :func:`q_gradient`)."""
    with mpmath.workdps(dps + 10):
        a = hf.to_mpf(alpha)
        et, rh = [hf.to_mpf(e) for e in eta], [hf.to_mpf(r) for r in rho]
        c = _mp_scales(L, a, et)
        return [a**2 * e**2 * hf.h_inverse_mp(L, r / cj, dps) / cj
                for e, r, cj in zip(et, rh, c, strict=True)]


def h_derivative_mp(L: int, t: object, dps: int = 50) -> mpmath.mpf:
    """``h_L'(t) = (1 + q^2)^{L-2} (L q^2 + 1)``, ``q = q_L(t)`` (from ``p^2 - q^2 = 1``)."""
    _, q = hf.p_q_mp(L, t, dps)
    with mpmath.workdps(dps + 10):
        return (1 + q**2) ** (L - 2) * (L * q**2 + 1)


def q_hessian_diag_mp(L: int, alpha: object, eta: Sequence[object], rho: Sequence[object],
                      dps: int = 50) -> list[mpmath.mpf]:
    """Diagonal of ``hess Q``: ``alpha^2 eta_j^2 / (c_j^2 h_L'(h_L^{-1}(rho_j / c_j)))``."""
    with mpmath.workdps(dps + 10):
        a = hf.to_mpf(alpha)
        et, rh = [hf.to_mpf(e) for e in eta], [hf.to_mpf(r) for r in rho]
        c = _mp_scales(L, a, et)
        out = []
        for e, r, cj in zip(et, rh, c, strict=True):
            t = hf.h_inverse_mp(L, r / cj, dps)
            out.append(a**2 * e**2 / (cj**2 * h_derivative_mp(L, t, dps)))
        return out


# --------------------------------------------------------------------------- minimisation


@dataclass(frozen=True)
class Minimizer:
    """A solution of ``min Q s.t. A rho = y``: ``rho``, the multiplier ``nu``
    (``grad Q(rho) = A^T nu``), the measured KKT residuals and the method used."""

    rho: list
    nu: list
    stationarity: float
    feasibility: float
    method: str


def minimize_q(L: int, alpha: float, eta: np.ndarray, A: np.ndarray, y: np.ndarray,
               ftol: float = 1e-15) -> Minimizer:
    """Float64 solution of ``min Q_{L,alpha,eta}(rho) s.t. A rho = y`` by scipy SLSQP
    (``trust-constr`` when SLSQP fails), objective normalised by its value at the
    minimum-norm feasible point."""
    eta, A, y = (np.asarray(v, dtype=float) for v in (eta, A, y))
    start = np.linalg.lstsq(A, y, rcond=None)[0]
    norm = max(q_value(L, alpha, eta, start), 1e-300)

    def fun(r: np.ndarray) -> float:
        return q_value(L, alpha, eta, r) / norm

    def jac(r: np.ndarray) -> np.ndarray:
        return q_gradient(L, alpha, eta, r) / norm

    cons = {"type": "eq", "fun": lambda r: A @ r - y, "jac": lambda r: A}
    res = scipy.optimize.minimize(fun, start, jac=jac, constraints=[cons], method="SLSQP",
                                  options={"ftol": ftol, "maxiter": 2000})
    method = "SLSQP"
    if not res.success:
        lin = scipy.optimize.LinearConstraint(A, y, y)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            res = scipy.optimize.minimize(fun, start, jac=jac, constraints=[lin],
                                          method="trust-constr",
                                          options={"gtol": 1e-14, "xtol": 1e-16,
                                                   "maxiter": 5000})
        method = "trust-constr"
    rho = res.x
    grad = q_gradient(L, alpha, eta, rho)
    nu = np.linalg.lstsq(A.T, grad, rcond=None)[0]
    return Minimizer(list(rho), list(nu), float(np.linalg.norm(grad - A.T @ nu)),
                     float(np.linalg.norm(A @ rho - y)), method)


def minimize_q_mp(L: int, alpha: object, eta: Sequence[object], A: Sequence[Sequence[object]],
                  y: Sequence[object], start: Sequence[object], dps: int = 50,
                  max_steps: int = 200) -> Minimizer:
    """Equality-constrained Newton method for ``min Q s.t. A rho = y`` at ``dps`` digits.

    ``start`` is projected onto ``A rho = y``; every Newton step ``d`` solves
    ``[D A^T; A 0] [d; w] = [-grad Q; 0]`` (``D`` the diagonal Hessian), so iterates stay
    feasible; steps are halved until ``Q`` decreases by a quarter of the predicted amount,
    until the Newton decrement ``d^T D d`` falls below ``10^{-2 dps}`` times ``Q``.
    """
    with mpmath.workdps(dps + 10):
        Am = mpmath.matrix([[hf.to_mpf(a) for a in row] for row in A])
        ym = mpmath.matrix([hf.to_mpf(v) for v in y])
        et = [hf.to_mpf(e) for e in eta]
        a = hf.to_mpf(alpha)
        n, m = Am.rows, Am.cols
        r = mpmath.matrix([hf.to_mpf(v) for v in start])
        gram = Am * Am.T
        r = r - Am.T * mpmath.lu_solve(gram, Am * r - ym)
        tiny = mpmath.mpf(10) ** (-2 * dps)
        value = q_value_mp(L, a, et, r, dps)
        for _ in range(max_steps):
            g = mpmath.matrix(q_gradient_mp(L, a, et, r, dps))
            D = q_hessian_diag_mp(L, a, et, r, dps)
            Dinv_g = mpmath.matrix([g[j] / D[j] for j in range(m)])
            K = mpmath.matrix(n, n)
            for i in range(n):
                for k in range(n):
                    K[i, k] = mpmath.fsum(Am[i, j] * Am[k, j] / D[j] for j in range(m))
            w = mpmath.lu_solve(K, -(Am * Dinv_g))
            atw = Am.T * w
            d = mpmath.matrix([-(g[j] + atw[j]) / D[j] for j in range(m)])
            decrement = mpmath.fsum(d[j] ** 2 * D[j] for j in range(m))
            if decrement <= tiny * max(abs(value), tiny):
                break
            slope = mpmath.fsum(g[j] * d[j] for j in range(m))
            step = mpmath.mpf(1)
            while True:
                trial = r + step * d
                new = q_value_mp(L, a, et, trial, dps)
                if new <= value + step * slope / 4 or step < mpmath.mpf(2) ** -60:
                    break
                step /= 2
            r, value = trial, new
        g = mpmath.matrix(q_gradient_mp(L, a, et, r, dps))
        nu = mpmath.lu_solve(gram, Am * g)
        stat = mpmath.norm(g - Am.T * nu)
        feas = mpmath.norm(Am * r - ym)
        return Minimizer([r[j] for j in range(m)], [nu[i] for i in range(n)], stat, feas,
                         f"Newton (mpmath, {dps} digits)")


# --------------------------------------------------------------------------- networks


def real_decomposition(rng: np.random.Generator, d: int, m: int, sizes: Sequence[int],
                       s_scale: float = 1.0) -> tuple[np.ndarray, list[np.ndarray]]:
    """Random real ``S`` (m x d, Gaussian entries times ``s_scale``) and ``U_l`` (k_l x m) with
    orthonormal columns (Q factors of Gaussian matrices), ``d <= m <= min k_l``."""
    if not d <= m <= min(sizes):
        raise ValueError(f"Assumption 1 needs d <= m <= min k_l, got d={d}, m={m}, k={sizes}")
    S = s_scale * rng.standard_normal((m, d))
    U = [np.linalg.qr(rng.standard_normal((k, m)))[0] for k in sizes]
    return S, U


def basis_tensor(S: np.ndarray, U: Sequence[np.ndarray]) -> np.ndarray:
    """``[M(e_1), ..., M(e_d)]`` of eq. (9): ``M(e_i) = sum_j S_{j i} u_{1j} ⊗ ... ⊗ u_{Lj}``;
    shape (d, k_1, ..., k_L). ``S`` (m, d) and ``U_l`` (k_l, m) may carry a leading batch axis,
    then the result is (B, d, k_1, ..., k_L)."""
    L = len(U)
    letters = string.ascii_lowercase[:L]
    batch = "Z" if np.ndim(S) == 3 else ""
    spec = f"{batch}ji," + ",".join(f"{batch}{c}j" for c in letters) + f"->{batch}i{letters}"
    return np.einsum(spec, S, *U, optimize=True)


def _contract(T: np.ndarray, params: Sequence[np.ndarray], skip: int | None) -> np.ndarray:
    """``T ∘ (v_1, ..., v_L)`` for a batched tensor T (B, ..., k_1..k_L) and vectors (B, k_l),
    the slot ``skip`` left open."""
    L = len(params)
    letters = string.ascii_letters[:L]
    extra = "".join(string.ascii_letters[L: L + T.ndim - 1 - L])
    subs, ops = [f"Z{extra}{letters}"], [T]
    for l, v in enumerate(params):
        if l != skip:
            subs.append(f"Z{letters[l]}")
            ops.append(v)
    out = f"Z{extra}" + (letters[skip] if skip is not None else "")
    return np.einsum(",".join(subs) + "->" + out, *ops)


def beta(T: np.ndarray, params: Sequence[np.ndarray]) -> np.ndarray:
    """Linear coefficients ``beta_i = M(e_i) ∘ (v_1, ..., v_L)``: (B, d); T (B, d, k...)."""
    return _contract(T, params, None)


def value_and_gradients(T: np.ndarray, params: Sequence[np.ndarray],
                        loss: Loss) -> tuple[np.ndarray, list[np.ndarray]]:
    """Loss (B,) and ``dL/dv_l = M(dL/dbeta) ∘ (v_1, .., I, .., v_L)`` (B, k_l) (§3)."""
    b = beta(T, params)
    value, G = loss.value_and_grad(b[:, None, :])
    Mg = np.einsum("Zi,Zi...->Z...", G[:, 0, :], T)
    return value, [_contract(Mg, params, l) for l in range(len(params))]


def gradient_flow(T: np.ndarray, params: Sequence[np.ndarray], loss: Loss,
                  t_end: float | None = None, **options: object) -> flow.FlowResult:
    """Gradient flow of the linear tensor network with batched basis tensor ``T``
    (B, d, k_1..k_L); options as :func:`verify.core.flow.integrate`."""

    def vg(ps: list[np.ndarray], idx: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        return value_and_gradients(T[idx], ps, loss.take(idx))

    return flow.integrate(params, vg, t_end, **options)
