r"""INIT-Lem13 — Lemma 13 of §4.1 (seed 004): the h = 2 invariants of Theorem 12 in the limit.

As printed:

    **Lemma 13.** For h=2, consider the sequences sequences {W_1^(0), W_1^(1), ...},
    {W_2^(0), W_2^(1), ...}, {x_0, x_1, ...}. If the conditions of Theorem 12 are met and the
    sequences converge to W_1^(inf), W_2^(inf), x_inf != 0 respectively, then the sequences
    {v_1, v_2, ...}, {u_1, u_2, ...} defined by the result of Theorem 12 converge to v_inf and
    u_inf respectively, and W_1^(inf) = A^T v_inf x_inf^T W_2^(inf)T,
    W_2^(inf) = W_1^(inf)T A^T u_inf x_inf^T and x_inf in range(W_2^(inf)T W_1^(inf)T A^T)

with (proof) ``v_k = A^{T+} W_1^(k) W_2^(k) x_k / ||x_k||^4`` and
``u_k = A W_1^(k) W_2^(k) x_k / (||x_k||^2 ||A W_1^(k)||_F^2)``; GD (4.1) with h = 2 from
Lemma 9's start (see INIT-Thm12), standing assumptions d > n, rank(A) = n, b != 0, alpha > 0.

What the limits can be. Along the run W_1^(k) = w_k e_1^T with w_k in range(A^T) and
W_2^(k) = e_1 x_k^T, x_k parallel to x_0 = A^T v / ||A^T v||^2 (INIT-Lem8, -Lem10, -Lem11,
Algorithm 4); these are closed conditions, so the limit has the same form. A limit of GD
with a fixed alpha is a stationary point, and there ``grad_{W_1} L = ||x||^2 A^T r e_1^T``
(r = A W_1 W_2 x - b), so x_inf != 0 forces r = 0: the limit solves the system, w_inf =
theta* / ||x_inf||^2 != 0 (b != 0) and A w_inf != 0. Conversely every such point is a GD fixed
point. At these points the printed v_inf, u_inf satisfy the three conditions.

Verdict: holds (asymptotic, so supported). Inherited problem from INIT-Thm12: the u_k of the
proof need A W_1^(k) != 0, which fails at finitely many k in Theorem 12's exact
counterexample (W_1^(1) = 0: u_1 does not exist), so "the sequence {u_1, u_2, ...}" can have
undefined terms; its tail is defined (W_1^(inf) != 0) and converges, and the limit identities
hold. On the exact counterexample with A = [1 1] (alpha = 2/81, b = -80) the run reaches an
exact GD fixed point at k = 2 and the three conditions hold there exactly.

Checks: sympy derivations (the conditions hold identically at the limit points with the
printed v_inf, u_inf; the W_1 gradient at such points); exact rational checks at sampled limit
points (fixedness by the core's GD step, the three conditions with the printed formulas);
long float64 runs from Lemma 9's start with measured convergence, re-run at 40 digits.
Planted mutant: x_inf != 0 dropped (the fixed points with x = 0).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import flint
import mpmath
import numpy as np
import sympy as sp

from theorems.initialization import thm12
from theorems.initialization.eq4_1 import e1_row, snap, standing_hypotheses, step_size
from theorems.initialization.lem5 import norm, theta_star
from theorems.papers import INIT
from verify import linalg_exact as lx
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import deep_invariants as di
from verify.core.hp import arb_backend, precision
from verify.core.safe_linalg import solve_or_nan
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "**Lemma 13.** For h=2, consider the sequences sequences  $\\{\\mathbf{W}_1^{(0)},"
    "\\mathbf{W}_1^{(1)},\\dots\\}, \\{\\mathbf{W}_2^{(0)},\\mathbf{W}_2^{(1)},\\dots\\}, "
    "\\{\\mathbf{x}_0,\\mathbf{x}_1,\\dots\\}$ . If the conditions of Theorem 12 are met and the "
    "sequences converge to  $\\mathbf{W}_1^{(\\infty)},\\mathbf{W}_2^{(\\infty)},"
    "\\mathbf{x}_\\infty\\neq 0$  respectively, then the sequences  $\\{\\mathbf{v}_1,"
    "\\mathbf{v}_2,\\dots\\}, \\{\\mathbf{u}_1,\\mathbf{u}_2,\\dots\\}$  defined by the result "
    "of Theorem 12 converge to  $\\mathbf{v}_\\infty$  and  $\\mathbf{u}_\\infty$  "
    "respectively, and"
)
CONCLUSION = (
    "W_1^(inf) = A^T v_inf x_inf^T W_2^(inf)T, W_2^(inf) = W_1^(inf)T A^T u_inf x_inf^T and "
    "x_inf in range(W_2^(inf)T W_1^(inf)T A^T)"
)

TOLERANCE = Tolerance(rtol=1e-8, atol=1e-12)
RUN_TOLERANCE = Tolerance(rtol=1e-6, atol=1e-10)
FIT_STEPS = 1500
FIT_RTOL = 1e-10
"""A long run has converged when ||A W_1 W_2 x - b|| <= FIT_RTOL ||b|| and its last step moved
the iterate by at most FIT_RTOL times its size."""

Form = str
"""``"printed"`` (x_inf != 0) or ``"zero-x"`` (mutant: the fixed points with x = 0)."""


# --------------------------------------------------------------------------- limit points


def limit_point(batch: Batch, form: Form = "printed") -> tuple[list[np.ndarray], np.ndarray]:
    """The possible limits, batched: x = c A^T v, W_1 = (theta* / ||x||^2) e_1^T, W_2 =
    e_1 x^T (``zero-x``: x = 0, W_2 = 0, W_1 = theta* e_1^T)."""
    A, b = batch["A"], batch["b"]
    theta = theta_star(A, b)
    B, d = theta.shape
    if form == "zero-x":
        x = np.zeros((B, d))
        w = theta
    else:
        x = batch["c"][:, None] * np.einsum("bij,bi->bj", A, batch["v"])
        w = theta / (norm(x) ** 2)[:, None]
    W1 = np.zeros((B, d, d))
    W1[:, :, 0] = w
    W2 = np.zeros((B, d, d))
    W2[:, 0, :] = x
    return [W1, W2], x


def exact_limit_point(inst: Instance, form: Form = "printed") -> dict[str, Any] | None:
    """:func:`limit_point` exactly; None off the hypotheses (rank, b != 0, x != 0)."""
    A, b = lx.matrix(inst["A"]), lx.column(inst["b"])
    n, d = A.nrows(), A.ncols()
    if d <= n or lx.rank(A) != n or lx.squared_norm(b) == 0:
        return None
    theta = lx.min_norm_least_squares(A, b)
    e1 = e1_row(d)
    if form == "zero-x":
        x = flint.fmpq_mat(d, 1)
        w = theta
    else:
        x = A.transpose() * lx.column(inst["v"]) * lx.to_fmpq(inst["c"])
        if lx.squared_norm(x) == 0:
            return None
        w = theta * (1 / lx.squared_norm(x))
    return {"A": A, "b": b, "theta": theta, "Ws": [w * e1.transpose(), e1 * x.transpose()],
            "x": x}


def is_fixed_point(inst: Instance, Ws: list[flint.fmpq_mat], x: flint.fmpq_mat) -> bool:
    """One exact GD step of the core (any alpha > 0; alpha = 1 here) leaves the point fixed."""
    (_, _), (Ws1, x1) = di.exact_trajectory(inst["A"], inst["b"], Ws, x, 1, 1)
    return Ws1 == Ws and x1 == x


# --------------------------------------------------------------------------- v, u, conditions


def printed_vu_exact(A: flint.fmpq_mat, Ws: list[flint.fmpq_mat],
                     x: flint.fmpq_mat) -> tuple[flint.fmpq_mat, flint.fmpq_mat] | None:
    """Theorem 12's v = A^{T+} W_1 W_2 x / ||x||^4 and u = A W_1 W_2 x / (||x||^2
    ||A W_1||_F^2), with A^{T+} = (A A^T)^{-1} A; None where a denominator vanishes."""
    s, AW1 = lx.squared_norm(x), A * Ws[0]
    if s == 0 or lx.squared_norm(AW1) == 0:
        return None
    y = Ws[0] * Ws[1] * x
    v = (A * A.transpose()).solve(A * y) * (1 / s**2)
    u = A * y * (1 / (s * lx.squared_norm(AW1)))
    return v, u


def conditions_exact(A: flint.fmpq_mat, Ws: list[flint.fmpq_mat], x: flint.fmpq_mat
                     ) -> tuple[flint.fmpq, flint.fmpq]:
    """Squared residuals (sum) of the three conditions and squared size. With x != 0 and
    A W_1 != 0 the printed v, u are used (and the witness u of the range condition,
    W_2^T W_1^T A^T u = x, as in Lemma 9's proof); otherwise the best v, u (exact least
    squares) and the exact distance of x from the range."""
    W1, W2 = Ws
    At = A.transpose()
    size = lx.squared_norm(W1) + lx.squared_norm(W2) + lx.squared_norm(x)
    vu = printed_vu_exact(A, Ws, x)
    if vu is None:
        r = (di.factor_residual(W1, At, x.transpose() * W2.transpose())
             + di.factor_residual(W2, W1.transpose() * At, x.transpose())
             + di.column_space_residual(W2.transpose() * W1.transpose() * At, x))
        return r, size
    v, u = vu
    r = (lx.squared_norm(W1 - At * v * x.transpose() * W2.transpose())
         + lx.squared_norm(W2 - W1.transpose() * At * u * x.transpose())
         + lx.squared_norm(W2.transpose() * W1.transpose() * At * u - x))
    return r, size + lx.squared_norm(v) + lx.squared_norm(u)


def _bmv(M: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.einsum("bij,bj->bi", M, y)


def printed_vu_float(A: np.ndarray, Ws: list[np.ndarray], x: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`printed_vu_exact` batched in float64 (NaN/inf where a denominator vanishes)."""
    s = norm(x) ** 2
    y = _bmv(Ws[0], _bmv(Ws[1], x))
    Ay = _bmv(A, y)
    v = solve_or_nan(A @ np.swapaxes(A, 1, 2), Ay) / (s**2)[:, None]
    u = Ay / (s * norm(A @ Ws[0]) ** 2)[:, None]
    return v, u


def conditions_float(A: np.ndarray, Ws: list[np.ndarray], x: np.ndarray,
                     v: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The printed-formula residuals of :func:`conditions_exact` (not squared), batched."""
    W1, W2 = Ws
    At = np.swapaxes(A, 1, 2)
    W1T, W2T = np.swapaxes(W1, 1, 2), np.swapaxes(W2, 1, 2)
    Atv, W2x = _bmv(At, v), _bmv(W2, x)
    r1 = norm(W1 - Atv[:, :, None] * W2x[:, None, :])
    g = _bmv(W1T, _bmv(At, u))
    r2 = norm(W2 - g[:, :, None] * x[:, None, :])
    r3 = norm(_bmv(W2T, g) - x)
    return r1 + r2 + r3, norm(W1) + norm(W2) + norm(x) + norm(v) + norm(u)


# --------------------------------------------------------------------------- limit property


def _grid(batch: Batch) -> Batch:
    return {k: (snap(v) if isinstance(v, np.ndarray) else v) for k, v in batch.items()}


def limit_domain() -> Domain:
    """1 <= n < d <= 3, A of rank n, b != 0, v with A^T v != 0, c in [-2, 2] \\ {0}."""
    variables = (Integer("n", 1, 2), Integer("d", 2, 3), Matrix("A", "n", "d"),
                 Vector("b", "n"), Vector("v", "n"), Real("c", -2.0, 2.0))

    def hypothesis(batch: Batch) -> np.ndarray:
        z = np.einsum("bij,bi->bj", batch["A"], batch["v"])
        ok = standing_hypotheses({**batch, "alpha": np.ones(z.shape[0])})
        return ok & (norm(z) > 0) & (batch["c"] != 0)

    return Domain(variables, hypothesis=hypothesis, repair=_grid,
                  dims_ok=lambda c: c["n"] < c["d"])


def limit_property(form: Form = "printed") -> Property:
    """At every possible limit (a GD fixed point of the structured form, checked exactly) the
    three conditions hold with the printed v_inf, u_inf."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(all="ignore"):
            Ws, x = limit_point(batch, form)
            if form == "zero-x":
                return norm(Ws[0]), norm(Ws[0])
            v, u = printed_vu_float(batch["A"], Ws, x)
            return conditions_float(batch["A"], Ws, x, v, u)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        p = exact_limit_point(inst, form)
        if p is None or not is_fixed_point(inst, p["Ws"], p["x"]):
            return None
        r, s = conditions_exact(p["A"], p["Ws"], p["x"])
        with flint.ctx.workprec(int(digits * 3.33) + 64):
            return flint.arb(r).sqrt(), flint.arb(s).sqrt()

    what = "fixed points with x = 0" if form == "zero-x" else "limit points (x != 0)"
    return Property(limit_domain(), margin, margin_hp, TOLERANCE, rigorous=True,
                    description=f"Lemma 13's conditions at the {what}, exactly")


# --------------------------------------------------------------------------- long runs


def run_domain() -> Domain:
    """1 <= n < d <= 3, A of rank n with sigma_max <= 3 sigma_min, b != 0, Lemma 9's v,
    step in [0.2, 1] (alpha = step / smoothness scale at the start, a power of two)."""
    variables = (Integer("n", 1, 2), Integer("d", 2, 3), Matrix("A", "n", "d"),
                 Vector("b", "n"), Vector("v", "n"), Real("step", 0.2, 1.0))

    def repair(batch: Batch) -> Batch:
        out = _grid(batch)
        out["step"] = batch["step"]
        with np.errstate(all="ignore"):
            Ws, x = thm12.lemma9_start(out["A"], out["v"])
            factors = [np.nan_to_num(f) for f in (*Ws, x)]
        out["alpha"] = step_size(out["A"], out["b"], factors, out["step"])
        return out

    def hypothesis(batch: Batch) -> np.ndarray:
        s = np.linalg.svd(batch["A"], compute_uv=False)
        z = np.einsum("bij,bi->bj", batch["A"], batch["v"])
        return standing_hypotheses(batch) & (s[:, 0] <= 3 * s[:, -1]) & (norm(z) > 0.25)

    return Domain(variables, hypothesis=hypothesis, repair=repair,
                  dims_ok=lambda c: c["n"] < c["d"])


def long_run_float(batch: Batch) -> tuple[list[np.ndarray], np.ndarray, list[np.ndarray],
                                          np.ndarray, np.ndarray]:
    """FIT_STEPS GD steps from Lemma 9's start: (W^(K), x_K, W^(K-1), x_{K-1}, converged)."""
    A, b = batch["A"], batch["b"]
    with np.errstate(all="ignore"):
        Ws0, x0 = thm12.lemma9_start(A, batch["v"])
    prev = last = (Ws0, x0)
    for it in di.float_trajectory(A, b, Ws0, x0, batch["alpha"], FIT_STEPS):
        prev, last = last, it
    (Ws, x), (Wp, xp) = last, prev
    with np.errstate(all="ignore"):
        fit = norm(_bmv(A, di.product(Ws, x)) - b) <= FIT_RTOL * norm(b)
        size = norm(Ws[0]) + norm(Ws[1]) + norm(x)
        moved = norm(Ws[0] - Wp[0]) + norm(Ws[1] - Wp[1]) + norm(x - xp)
        ok = fit & (moved <= FIT_RTOL * size) & (norm(x) > 0) & np.isfinite(size)
    return Ws, x, Wp, xp, ok


def long_run_hp(inst: Instance, digits: int) -> tuple[list[Any], Any, list[Any], Any, bool]:
    """:func:`long_run_float` on one instance with ``digits``-digit arithmetic (the core's GD
    step on flint balls, re-centred every step: high-precision floating point)."""
    A = np.asarray(inst["A"], dtype=object)
    b = np.asarray(inst["b"], dtype=object)
    xp = arb_backend(digits)
    with precision(xp):
        Ws0, x0, _ = thm12.exact_lemma9_start(lx.matrix(A), lx.column(inst["v"]))
        Ws = [flint.arb_mat(W) for W in Ws0]
        x = flint.arb_mat(x0)
        loss = di.regression_loss(A, b)
        eta = xp.scalar(inst["alpha"])
        Wp, xq = Ws, x
        for _ in range(FIT_STEPS):
            Wp, xq = Ws, x
            Ws, x = di.step(Ws, x, loss, eta, xp=xp)
            Ws, x = [W.mid() for W in Ws], x.mid()
        Am, bm = flint.arb_mat(lx.matrix(A)), flint.arb_mat(lx.column(b))
        r = _arb_norm(Am * Ws[0] * Ws[1] * x - bm)
        size = sum((_arb_norm(M) for M in (*Ws, x)), flint.arb(0))
        moved = sum((_arb_norm(M - N) for M, N in zip((*Ws, x), (*Wp, xq), strict=True)),
                    flint.arb(0))
        ok = bool(r < FIT_RTOL * _arb_norm(bm)) and bool(moved < FIT_RTOL * size)
    return Ws, x, Wp, xq, ok


def _arb_norm(M: flint.arb_mat) -> flint.arb:
    return sum((M[i, j] ** 2 for i in range(M.nrows()) for j in range(M.ncols())),
               flint.arb(0)).sqrt()


def _to_mpf(a: flint.arb) -> mpmath.mpf:
    return mpmath.mpf(a.mid().str(60, radius=False))


def _vu_arb(A: flint.arb_mat, Ws: list[flint.arb_mat], x: flint.arb_mat
            ) -> tuple[flint.arb_mat, flint.arb_mat]:
    s = _arb_norm(x) ** 2
    y = Ws[0] * Ws[1] * x
    v = (A * A.transpose()).solve(A * y) * (1 / s**2)
    u = A * y * (1 / (s * _arb_norm(A * Ws[0]) ** 2))
    return v, u


def run_property() -> Property:
    """Converged long runs from Lemma 9's start: the three conditions with the printed
    v_K, u_K at the last iterate, plus ||v_K - v_{K-1}|| + ||u_K - u_{K-1}|| (the sequences
    settle); runs that have not measurably converged are not counted."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        A = batch["A"]
        with np.errstate(all="ignore"):
            Ws, x, Wp, xp, ok = long_run_float(batch)
            v, u = printed_vu_float(A, Ws, x)
            vp, up = printed_vu_float(A, Wp, xp)
            r, s = conditions_float(A, Ws, x, v, u)
            r = r + norm(v - vp) + norm(u - up)
        return np.where(ok, r, np.nan), s

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        Ws, x, Wp, xq, ok = long_run_hp(inst, digits)
        if not ok:
            return None
        with flint.ctx.workprec(int(digits * 3.33) + 64):
            A = flint.arb_mat(lx.matrix(inst["A"]))
            v, u = _vu_arb(A, Ws, x)
            vp, up = _vu_arb(A, Wp, xq)
            At = A.transpose()
            W1, W2 = Ws
            r = (_arb_norm(W1 - At * v * x.transpose() * W2.transpose())
                 + _arb_norm(W2 - W1.transpose() * At * u * x.transpose())
                 + _arb_norm(W2.transpose() * W1.transpose() * At * u - x)
                 + _arb_norm(v - vp) + _arb_norm(u - up))
            s = sum((_arb_norm(M) for M in (W1, W2, x, v, u)), flint.arb(0))
            return _to_mpf(r), _to_mpf(s)

    return Property(run_domain(), margin, margin_hp, RUN_TOLERANCE,
                    description="converged runs from Lemma 9's start: the conditions and "
                    "the settling of v_k, u_k at the last iterate")


# --------------------------------------------------------------------------- sympy


@cache
def derivation() -> dict[str, bool]:
    """With sympy, for (n, d) = (1, 2) and (1, 3): at W_1 = (A^T z) e_1^T, W_2 = e_1 x^T
    (symbols z, x) the printed v, u satisfy the three conditions identically (A^{T+} =
    (A A^T)^{-1} A); and (n, d) = (1, 2): the W_1 gradient of the h = 2 loss, differentiated
    entrywise, is ||x||^2 A^T r e_1^T there, so a stationary point with x != 0 solves the
    system."""
    out: dict[str, bool] = {}
    for n, d in ((1, 2), (1, 3)):
        A = sp.Matrix(n, d, lambda i, j: sp.Symbol(f"a{i + 1}{j + 1}", real=True))
        z = sp.Matrix(n, 1, lambda i, _: sp.Symbol(f"z{i + 1}", real=True))
        x = sp.Matrix(d, 1, lambda i, _: sp.Symbol(f"x{i + 1}", real=True))
        e1 = sp.eye(d)[:, 0]
        W1, W2 = A.T * z * e1.T, e1 * x.T
        s = (x.T * x)[0]
        y = W1 * W2 * x
        v = (A * A.T).inv() * A * y / s**2
        u = A * y / (s * sum(e**2 for e in A * W1))
        residuals = [*(W1 - A.T * v * x.T * W2.T), *(W2 - W1.T * A.T * u * x.T),
                     *(W2.T * W1.T * A.T * u - x)]
        out[f"conditions at the limit points, (n, d) = {(n, d)}"] = all(
            sp.cancel(e) == 0 for e in residuals)
    n, d = 1, 2
    A = sp.Matrix(n, d, lambda i, j: sp.Symbol(f"a{i + 1}{j + 1}", real=True))
    b = sp.Matrix([sp.Symbol("b1", real=True)])
    W1 = sp.Matrix(d, d, lambda i, j: sp.Symbol(f"p{i + 1}{j + 1}", real=True))
    W2 = sp.Matrix(d, d, lambda i, j: sp.Symbol(f"q{i + 1}{j + 1}", real=True))
    x = sp.Matrix(d, 1, lambda i, _: sp.Symbol(f"x{i + 1}", real=True))
    loss = sum((e**2 for e in A * W1 * W2 * x - b), sp.Integer(0)) / 2
    grad = sp.Matrix(d, d, lambda i, j: sp.diff(loss, W1[i, j]))
    w = sp.Matrix(d, 1, lambda i, _: sp.Symbol(f"w{i + 1}", real=True))
    e1 = sp.eye(d)[:, 0]
    point = {**dict(zip(W1, w * e1.T, strict=True)), **dict(zip(W2, e1 * x.T, strict=True))}
    r = A * w * (x.T * x)[0] - b
    out["grad_W1 = ||x||^2 A^T r e_1^T at the structured points"] = (
        grad.subs(point) - (x.T * x)[0] * A.T * r * e1.T).expand() == sp.zeros(d, d)
    return out


def counterexample_limit() -> SymbolicOutcome:
    """Theorem 12's exact counterexample at A = [1 1], v = 1 (alpha = 2/81, b = -80): u_1 does
    not exist (W_1^(1) = 0), the run is constant from k = 2 (an exact limit with x != 0) and
    the three conditions hold there exactly with the printed v_inf, u_inf."""
    inst = thm12.counterexample_instance(a=(1, 1), v=1)
    A = lx.matrix(inst["A"])
    Ws, x0, _ = thm12.exact_lemma9_start(A, lx.column(inst["v"]))
    run = di.exact_trajectory(inst["A"], inst["b"], Ws, x0, inst["alpha"], 3)
    (W_1, x_1), (W_2, x_2), (W_3, x_3) = run[1], run[2], run[3]
    fixed = W_2 == W_3 and x_2 == x_3 and lx.squared_norm(x_2) > 0
    r, _ = conditions_exact(A, W_2, x_2)
    holds = fixed and r == 0 and printed_vu_exact(A, W_1, x_1) is None
    return SymbolicOutcome(
        holds, f"A = [1 1], v = 1, alpha = {inst['alpha']}, b = {inst['b'][0]}: "
        f"W_1^(1) = 0 (u_1 undefined), GD fixed from k = 2 with x = {x_2.entries()}; the "
        f"limit conditions hold exactly (residual {r})")


def symbolic_lemma() -> SymbolicOutcome:
    """All derivation steps hold identically."""
    steps = derivation()
    failed = [k for k, ok in steps.items() if not ok]
    if failed:
        return SymbolicOutcome(None, "failed: " + "; ".join(failed))
    return SymbolicOutcome(True, "derived with sympy: " + "; ".join(steps))


# --------------------------------------------------------------------------- claim


def run_sampler(rng: np.random.Generator, count: int) -> list[Batch]:
    """A batch of :func:`run_domain` samples per size (four per requested instance)."""
    domain = run_domain()
    out = []
    for dims in domain.all_dims():
        m = max(1, count // len(domain.all_dims()))
        out.append(domain.sample(rng, 4 * m, dims))
    return out


CLAIM = Claim(
    id="INIT-Lem13",
    paper=INIT,
    location="§4.1, Lemma 13",
    statement=STATEMENT,
    asymptotic=True,
    notes=("The printed statement continues with the displayed conclusion: " + CONCLUSION
           + ". Inherited from INIT-Thm12: u_k is undefined where W_1^(k) = 0 (finitely "
           "many k, e.g. k = 1 in Theorem 12's exact counterexample); the tail of {u_k} and "
           "the limit statements are unaffected because x_inf != 0 and b != 0 force "
           "W_1^(inf) != 0 at a stationary point."),
    variants=(
        Variant(
            "as-printed",
            "Exact: every possible limit (structured GD fixed point with x != 0) satisfies "
            "the three conditions with the printed v_inf, u_inf; sympy derivations; "
            "Theorem 12's counterexample run reaches such a limit exactly. Float64: "
            f"converged runs ({FIT_STEPS} steps) from Lemma 9's start, re-run at 40 digits. "
            "Asymptotic, so at best supported.",
            (symbolic("derivation", symbolic_lemma),
             symbolic("thm12-counterexample-limit", counterexample_limit),
             trials("limit-points", limit_property(), count=256),
             trials("long-runs", run_property(), sampler=run_sampler, count=32,
                    certify=False),
             search("search", limit_property(), evaluations=2000)),
            expected=Verdict.SUPPORTED),
        Variant(
            "mutant:zero-x",
            "Planted: x_inf != 0 dropped. The points W_1 = w e_1^T (w != 0), W_2 = 0, x = 0 "
            "are GD fixed points, where A^T v x^T W_2^T = 0 != W_1 for every v.",
            (trials("limit-points", limit_property("zero-x"), count=64),
             search("search", limit_property("zero-x"), evaluations=500)),
            expected=Verdict.REFUTED),
    ),
)
