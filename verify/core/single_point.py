"""Two-layer linear tensor networks trained on ONE data point with the exponential loss
(seed 003, §4.3 Theorem 3, App E.1): the gradient flow in singular-value coordinates, solved
in closed form.

Write ``M = M(x) = U_1 diag(s) U_2^T`` (``U_l`` with orthonormal columns, ``s >= 0``),
``eta_l = U_l^T v_l`` and ``p_l = (I - U_l U_l^T) v_l``. The flow (39)-(40) is
``v_1' = y e^{-y f} M v_2``, ``v_2' = y e^{-y f} M^T v_1`` (``f = v_1^T M v_2``, ``y = ±1``);
in the time ``nu(t) = int_0^t e^{-y f}`` (strictly increasing) it is linear:

    d eta_1 / d nu = y s ⊙ eta_2,   d eta_2 / d nu = y s ⊙ eta_1,   d p_l / d nu = 0,

with the solution (``a = eta_1(0)``, ``b = eta_2(0)``)

    eta_1(nu) = c ⊙ e^{s nu} + d ⊙ e^{-s nu},   eta_2(nu) = y (c ⊙ e^{s nu} - d ⊙ e^{-s nu}),
    c = (a + y b) / 2,   d = (a - y b) / 2,

so ``eta_1^2 - eta_2^2 = 4 c ⊙ d = a^2 - b^2`` is conserved and
``y f(nu) = sum_j s_j (c_j^2 e^{2 s_j nu} - d_j^2 e^{-2 s_j nu})`` is increasing in ``nu``.
(The symbolic derivation is in :mod:`theorems.implicit_bias.thm3`.) Since ``nu' = L > 0`` and
a bounded ``nu`` would keep ``L`` bounded below, ``nu -> oo`` along every trajectory; the
direction of ``v_l`` then converges to the terms with the largest exponent
(:func:`limit_direction`).

Every function works on one instance, either float64 numpy arrays or numpy object arrays of
exact ``Fraction`` / ``mpmath.mpf`` entries (pass ``exp``/``sqrt`` of the matching library);
the closed-form state is frame-independent (blocks of equal singular values can be rotated).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np

Exp = Callable[[Any], Any]


@dataclass(frozen=True)
class Coefficients:
    """``c``, ``d`` (m,), the constant components ``p_1`` (k1,), ``p_2`` (k2,) and the frame
    (``U1`` (k1, m), ``s`` (m,), ``U2`` (k2, m)) of one trajectory with label ``y = ±1``."""

    U1: np.ndarray
    s: np.ndarray
    U2: np.ndarray
    y: int
    c: np.ndarray
    d: np.ndarray
    p1: np.ndarray
    p2: np.ndarray


def coefficients(U1: np.ndarray, s: np.ndarray, U2: np.ndarray, y: int, v1: np.ndarray,
                 v2: np.ndarray) -> Coefficients:
    """Closed-form coefficients of the flow from ``(v_1(0), v_2(0)) = (v1, v2)``."""
    a, b = U1.T.dot(v1), U2.T.dot(v2)
    return Coefficients(U1, s, U2, int(y), (a + y * b) / 2, (a - y * b) / 2,
                        v1 - U1.dot(a), v2 - U2.dot(b))


def _vexp(values: np.ndarray, exp: Exp) -> np.ndarray:
    return np.array([exp(v) for v in values], dtype=object if values.dtype == object else float)


def state(coef: Coefficients, nu: Any, exp: Exp = np.exp) -> tuple[np.ndarray, np.ndarray]:
    """``(v_1, v_2)`` at time ``nu``."""
    up, down = _vexp(coef.s * nu, exp), _vexp(-coef.s * nu, exp)
    e1 = coef.c * up + coef.d * down
    e2 = coef.y * (coef.c * up - coef.d * down)
    return coef.U1.dot(e1) + coef.p1, coef.U2.dot(e2) + coef.p2


def margin(coef: Coefficients, nu: Any, exp: Exp = np.exp) -> Any:
    """``y f(nu) = sum_j s_j (c_j^2 e^{2 s_j nu} - d_j^2 e^{-2 s_j nu})``."""
    up, down = _vexp(2 * coef.s * nu, exp), _vexp(-2 * coef.s * nu, exp)
    return (coef.s * (coef.c**2 * up - coef.d**2 * down)).sum()


def nu_at_margin(coef: Coefficients, target: Any, exp: Exp = np.exp,
                 iterations: int = 200) -> Any:
    """The time ``nu`` with ``y f(nu) = target`` (bisection; ``y f`` is increasing)."""
    lo, hi = 0 * target - 1, 0 * target + 1
    while margin(coef, lo, exp) > target:
        lo = 2 * lo
    while margin(coef, hi, exp) < target:
        hi = 2 * hi
    for _ in range(iterations):
        mid = (lo + hi) / 2
        if margin(coef, mid, exp) > target:
            hi = mid
        else:
            lo = mid
    return (lo + hi) / 2


def loss_to_zero(coef: Coefficients, zero: Callable[[Any], bool]) -> bool:
    """Does ``y f(nu) -> oo`` (i.e. the loss ``e^{-y f} -> 0``)? Iff some ``s_j > 0`` has
    ``c_j != 0``; ``zero(value)`` decides what counts as zero."""
    return any(sj > 0 and not zero(cj) for sj, cj in zip(coef.s, coef.c, strict=True))


def limit_direction(coef: Coefficients, zero: Callable[[Any], bool],
                    sqrt: Callable[[Any], Any] = np.sqrt) -> tuple[np.ndarray, np.ndarray]:
    """Unit limit directions ``(v_1^oo, v_2^oo)`` as ``nu -> oo``: the terms of largest
    exponent among ``c_j e^{s_j nu}`` (``c_j != 0``), ``d_j e^{-s_j nu}`` (``d_j != 0``) and
    the constant ``p_l``, separately for each layer. ``zero(value)`` decides what counts as a
    vanishing coefficient (exact: ``== 0``)."""
    terms1, terms2 = [], []
    for j, sj in enumerate(coef.s):
        e1 = np.zeros(coef.U1.shape[1], dtype=coef.c.dtype)
        e2 = np.zeros(coef.U2.shape[1], dtype=coef.c.dtype)
        if not zero(coef.c[j]):
            e1[j] = coef.c[j]
            e2[j] = coef.y * coef.c[j]
            terms1.append((sj, coef.U1.dot(e1)))
            terms2.append((sj, coef.U2.dot(e2)))
            e1, e2 = e1 * 0, e2 * 0
        if not zero(coef.d[j]):
            e1[j] = coef.d[j]
            e2[j] = -coef.y * coef.d[j]
            terms1.append((-sj, coef.U1.dot(e1)))
            terms2.append((-sj, coef.U2.dot(e2)))
    for terms, p in ((terms1, coef.p1), (terms2, coef.p2)):
        if not all(zero(v) for v in p):
            terms.append((0 * coef.s[0], p))
    out = []
    for terms in (terms1, terms2):
        top = max(e for e, _ in terms)
        vec = sum(v for e, v in terms if e == top)
        out.append(vec / sqrt((vec * vec).sum()))
    return out[0], out[1]


def top_indices(s: np.ndarray) -> list[int]:
    """``J = {j : s_j = max s}`` (exact comparison)."""
    top = max(s)
    return [j for j, sj in enumerate(s) if sj == top]


def chord(a: np.ndarray, b: np.ndarray, sqrt: Callable[[Any], Any] = np.sqrt) -> Any:
    """``|| a/||a|| - b/||b|| ||`` for one pair of vectors (float or object arrays)."""
    na, nb = sqrt((a * a).sum()), sqrt((b * b).sum())
    diff = a / na - b / nb
    return sqrt((diff * diff).sum())


def svd_frame(M: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Thin SVD ``M = U_1 diag(s) U_2^T`` in float64 (``m = min(k1, k2)``, zeros included)."""
    U, s, Vt = np.linalg.svd(np.asarray(M, dtype=float), full_matrices=False)
    return U, s, Vt.T


def svd_frame_mp(M: np.ndarray, digits: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Thin SVD of an exact/mpf matrix at ``digits`` digits (mpmath), as object arrays."""
    k1, k2 = M.shape
    with mpmath.workdps(digits):
        A = mpmath.matrix([[mpmath.mpf(v.numerator) / v.denominator if hasattr(v, "denominator")
                            else mpmath.mpf(v) for v in row] for row in M])
        if k1 >= k2:
            U, S, V = mpmath.svd_r(A, full_matrices=False)
            Vt = V
        else:
            W, S, Ut = mpmath.svd_r(A.T, full_matrices=False)
            U, Vt = Ut.T, W.T
        m = min(k1, k2)
        U1 = np.array([[U[i, j] for j in range(m)] for i in range(k1)], dtype=object)
        U2 = np.array([[Vt[j, i] for j in range(m)] for i in range(k2)], dtype=object)
        s = np.array([S[j] for j in range(m)], dtype=object)
    return U1, s, U2


def mp_array(values: Any) -> np.ndarray:
    """An object array of ``mpmath.mpf`` (current precision) from exact/float entries."""
    arr = np.asarray(values, dtype=object)
    return np.vectorize(_to_mpf, otypes=[object])(arr) if arr.size else arr


def _to_mpf(v: Any) -> Any:
    if hasattr(v, "denominator") and not isinstance(v, float):
        return mpmath.mpf(int(v.numerator)) / int(v.denominator)
    return mpmath.mpf(v)
