r"""INIT-Thm12 — Theorem 12 of §4.1 (seed 004): the h = 2 invariants for all k.

As printed:

    **Theorem 12.** For h = 2, suppose W_1^(0) and W_2^(0) and x_0 were constructed as
    described in Lemma 9 and assume x_k is never zero. Then, for all k there exists
    v_k, u_k in R^{n x 1} such that W_1^(k) = A^T v_k x_k^T W_2^(k)^T and
    W_2^(k) = W_1^(k)^T A^T u_k x_k^T and x_k in range(W_2^(k)^T W_1^(k)^T A^T)

with Lemma 9's construction from any v != 0: x_0 = A^T v / ||A^T v||^2,
u = A A^T v / ||A A^T v||^2, W_1^(0) = A^T v e_1^T, W_2^(0) = W_1^(0)T A^T u x_0^T
(= e_1 x_0^T), and GD (4.1) with h = 2 (the numeric core's step). Standing assumptions
(§2.1): d > n, rank(A) = n, b != 0, alpha > 0.

Verdict: refuted. Along the run W_1^(k) = w_k e_1^T with w_k = ||x_k||^2 A^T v_k and
W_2^(k) = e_1 x_k^T (INIT-Lem10, -Lem11); the second and third conditions need A w_k != 0.
The proof asserts A W_1^(k+1) != 0 "because A A^T is full rank", but v_{k+1} itself can be
zero: w_1 = s_0 A^T (v - alpha (s_0^2 A A^T v - b)) (s_0 = ||x_0||^2) vanishes for
b = s_0 A A^T v - v / (alpha s_0). Exact counterexample (n = 1, d = 2): A = [1 0], v = 2,
alpha = 16/50625, b = -25312: x_1 = -15 x_0 != 0, W_1^(1) = 0 while W_2^(1) =
e_1 x_1^T != 0, so no u_1 gives W_2^(1) = W_1^(1)T A^T u_1 x_1^T and x_1 is not in
range(0); the next step lands exactly on a solution (A W_1^(2) W_2^(2) x_2 = b), a fixed
point of GD, so x_k = x_1 != 0 for every k >= 1: the hypothesis "x_k is never zero" holds for
all k. The counterexample is derived with sympy for general A = a^T (n = 1), v, alpha and
replayed exactly on the core.

Corrected (smallest change): also assume W_1^(k) is never zero (equivalently v_k != 0).
Then the three conditions hold for every sampled instance exactly (rational arithmetic,
EXACT_STEPS steps of the core, exact least-squares residuals) and in float64 over
FLOAT_STEPS steps. Note also that Lemma 9's own v does not witness the first condition at
k = 0 unless ||A^T v|| = 1 (v_0 = ||A^T v||^2 v does; see INIT-Lem9).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from functools import cache
from typing import Any

import flint
import numpy as np
import sympy as sp

from theorems.initialization.eq4_1 import (
    e1_row,
    exact_setting,
    printed_gradients,
    snap,
    standing_hypotheses,
    step_size,
    trajectory_margins,
)
from theorems.initialization.lem5 import norm
from theorems.papers import INIT
from verify import linalg_exact as lx
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import deep_invariants as di
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "**Theorem 12.** For h = 2, suppose  $\\mathbf{W}_{1}^{(0)}$  and  "
    "$\\mathbf{W}_{2}^{(0)}$  and  $\\mathbf{x}_{0}$  were constructed as described in "
    "Lemma 9 and assume  $\\mathbf{x}_{k}$  is never zero. Then, for all k there exists  "
    "$\\mathbf{v}_{k} \\in \\mathbb{R}^{n \\times 1}$  and  $\\mathbf{u}_{k} \\in "
    "\\mathbb{R}^{n \\times 1}$  such that  $\\mathbf{W}_{1}^{(k)} = "
    "\\mathbf{A}^{T}\\mathbf{v}_{k}\\mathbf{x}_{k}^{T}\\mathbf{W}_{2}^{(k)^{T}}$  and  "
    "$\\mathbf{W}_{2}^{(k)} = "
    "\\mathbf{W}_{1}^{(k)^{T}}\\mathbf{A}^{T}\\mathbf{u}_{k}\\mathbf{x}_{k}^{T}$  and  "
    "$\\mathbf{x}_{k} \\in \\mathbf{range}\\left(\\mathbf{W}_{2}^{(k)^{T}}\\mathbf{W}_{1}^{"
    "(k)^{T}}\\mathbf{A}^{T}\\right)$ "
)

EXACT_STEPS = 5
FLOAT_STEPS = 200
TOLERANCE = Tolerance(rtol=1e-7, atol=1e-12)
PINV_RCOND = 1e-12

Form = str
"""``"printed"`` (x_k != 0 assumed), ``"corrected"`` (also W_1^(k) != 0) or ``"row-range"``
(the planted mutant: x_k in range(W_1^(k)T A^T), W_2^T dropped)."""


# --------------------------------------------------------------------------- Lemma 9's start


def lemma9_start(A: np.ndarray, v: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Lemma 9's construction, batched: A (B, n, d), v (B, n) -> ([W_1, W_2], x)."""
    z = np.einsum("bij,bi->bj", A, v)
    Gv = np.einsum("bij,bj->bi", A, z)
    x = z / np.sum(z**2, axis=1)[:, None]
    u = Gv / np.sum(Gv**2, axis=1)[:, None]
    W1 = np.zeros((*z.shape, z.shape[1]))
    W1[:, :, 0] = z
    At_u = np.einsum("bij,bi->bj", A, u)
    W2 = np.einsum("bji,bj,bk->bik", W1, At_u, x)
    return [W1, W2], x


def exact_lemma9_start(A: flint.fmpq_mat,
                       v: flint.fmpq_mat) -> tuple[list[flint.fmpq_mat], flint.fmpq_mat, Any]:
    """Lemma 9's construction exactly: ([W_1, W_2], x, u); None when A^T v = 0."""
    z = A.transpose() * v
    if lx.squared_norm(z) == 0:
        return None
    Gv = A * z
    x = z * (1 / lx.squared_norm(z))
    u = Gv * (1 / lx.squared_norm(Gv))
    W1 = z * e1_row(z.nrows()).transpose()
    W2 = W1.transpose() * A.transpose() * u * x.transpose()
    return [W1, W2], x, u


# --------------------------------------------------------------------------- the conditions


def _pinv_residual(K: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``||y - K K^+ y||^2`` batched: K (B, m, p), y (B, m); NaN where an input is not
    finite (a start off the hypotheses or a diverged run)."""
    bad = ~(np.isfinite(K).all(axis=(1, 2)) & np.isfinite(y).all(axis=1))
    K, y = np.where(bad[:, None, None], 0.0, K), np.where(bad[:, None], 0.0, y)
    proj = np.einsum("bij,bj->bi", K @ np.linalg.pinv(K, rcond=PINV_RCOND), y)
    return np.where(bad, np.nan, np.sum((y - proj) ** 2, axis=1))


def _vec(W: np.ndarray) -> np.ndarray:
    return np.swapaxes(W, 1, 2).reshape(W.shape[0], -1)


def _factor_residual(W: np.ndarray, L: np.ndarray, R: np.ndarray) -> np.ndarray:
    """``min_v ||W - L v R||_F^2`` batched (R a row (B, 1, d)): vec(L v R) = (R^T kron L) v."""
    K = np.einsum("bj,bik->bjik", R[:, 0, :], L).reshape(L.shape[0], -1, L.shape[2])
    return _pinv_residual(K, _vec(W))


def conditions_float(A: np.ndarray, Ws: list[np.ndarray], x: np.ndarray,
                     form: Form) -> tuple[np.ndarray, np.ndarray]:
    """Squared residuals of the three conditions (sum) and squared size, batched."""
    W1, W2 = Ws
    At = np.swapaxes(A, 1, 2)
    xr = x[:, None, :]
    r1 = _factor_residual(W1, At, xr @ np.swapaxes(W2, 1, 2))
    r2 = _factor_residual(W2, np.swapaxes(W1, 1, 2) @ At, xr)
    M = np.swapaxes(W1, 1, 2) @ At if form == "row-range" else \
        np.swapaxes(W2, 1, 2) @ np.swapaxes(W1, 1, 2) @ At
    r3 = _pinv_residual(M, x)
    return r1 + r2 + r3, norm(W1) ** 2 + norm(W2) ** 2 + norm(x) ** 2


def conditions_exact(A: flint.fmpq_mat, Ws: list[flint.fmpq_mat], x: flint.fmpq_mat,
                     form: Form) -> tuple[flint.fmpq, flint.fmpq]:
    """:func:`conditions_float` exactly (exact least-squares residuals)."""
    W1, W2 = Ws
    At = A.transpose()
    r1 = di.factor_residual(W1, At, x.transpose() * W2.transpose())
    r2 = di.factor_residual(W2, W1.transpose() * At, x.transpose())
    M = W1.transpose() * At if form == "row-range" else W2.transpose() * W1.transpose() * At
    r3 = di.column_space_residual(M, x)
    return r1 + r2 + r3, lx.squared_norm(W1) + lx.squared_norm(W2) + lx.squared_norm(x)


# --------------------------------------------------------------------------- property


def _repair(batch: Batch) -> Batch:
    out = {k: (snap(v) if isinstance(v, np.ndarray) and k != "step" else v)
           for k, v in batch.items()}
    with np.errstate(all="ignore"):
        Ws, x = lemma9_start(out["A"], out["v"])
        factors = [np.nan_to_num(f) for f in (*Ws, x)]
    out["alpha"] = step_size(out["A"], out["b"], factors, out["step"])
    return out


def make_domain() -> Domain:
    """1 <= n < d <= 3, A of rank n, b != 0, v with A^T v != 0 (Lemma 9), step in (0, 1)."""
    variables = (Integer("n", 1, 2), Integer("d", 2, 3), Matrix("A", "n", "d"),
                 Vector("b", "n"), Vector("v", "n"),
                 Real("step", 0.0, 1.0, open_low=True, open_high=True))

    def hypothesis(batch: Batch) -> np.ndarray:
        z = np.einsum("bij,bi->bj", batch["A"], batch["v"])
        return standing_hypotheses(batch) & (norm(z) > 0)

    return Domain(variables, hypothesis=hypothesis, repair=_repair,
                  dims_ok=lambda c: c["n"] < c["d"])


def invariant_property(form: Form) -> Property:
    """The three conditions at every k along the run from Lemma 9's start; the exact margin
    is None (hypotheses fail) when some x_k = 0 (or, corrected, W_1^(k) = 0) within the
    horizon."""

    def start(batch: Batch) -> tuple[list[np.ndarray], np.ndarray]:
        return lemma9_start(batch["A"], batch["v"])

    def measure(batch: Batch) -> Callable[[list[np.ndarray], np.ndarray], tuple[Any, Any]]:
        def m(Ws: list[np.ndarray], x: np.ndarray) -> tuple[Any, Any]:
            r, s = conditions_float(batch["A"], Ws, x, form)
            return np.sqrt(r), np.sqrt(s)

        return m

    def exact_start(inst: Instance) -> tuple[list[flint.fmpq_mat], flint.fmpq_mat] | None:
        s = exact_setting(inst)
        if s is None:
            return None
        built = exact_lemma9_start(s["A"], lx.column(inst["v"]))
        if built is None:
            return None
        run = di.exact_trajectory(inst["A"], inst["b"], built[0], built[1], s["alpha"],
                                  EXACT_STEPS)
        if any(lx.squared_norm(x) == 0 for _, x in run):
            return None
        if form == "corrected" and any(lx.squared_norm(Ws[0]) == 0 for Ws, _ in run):
            return None
        return built[0], built[1]

    def exact_measure(inst: Instance) -> Callable[[list[flint.fmpq_mat], flint.fmpq_mat],
                                                  tuple[flint.fmpq, flint.fmpq]]:
        A = lx.matrix(inst["A"])
        return lambda Ws, x: conditions_exact(A, Ws, x, form)

    margin, margin_hp = trajectory_margins(start, measure, exact_start, exact_measure,
                                           FLOAT_STEPS, EXACT_STEPS)
    return Property(make_domain(), margin, margin_hp, TOLERANCE, rigorous=True,
                    description=f"Theorem 12's conditions ({form}) along GD from Lemma 9's "
                    "start")


# --------------------------------------------------------------------------- counterexample


@cache
def counterexample_family() -> dict[str, Any]:
    """For n = 1, A = a^T (a = (a1, a2)), v, alpha symbolic: one GD step (the corrected
    gradients of INIT-Eq4.1) from Lemma 9's start; ``b`` solving w_1 = 0, and ``alpha``
    making the second step land exactly on A y = b. Returns the sympy expressions."""
    a1, a2, v, al, b = sp.symbols("a1 a2 v alpha b", real=True)
    A, bb = sp.Matrix([[a1, a2]]), sp.Matrix([[b]])
    z = A.T * v
    x0 = z / (z.T * z)[0]
    Gv = A * z
    u = Gv / (Gv.T * Gv)[0]
    W1 = sp.Matrix.hstack(z, sp.zeros(2, 1))
    W2 = W1.T * A.T * u * x0.T
    Ws, x = [W1, W2], x0

    def gd(Ws: list[sp.Matrix], x: sp.Matrix, alpha: Any) -> tuple[list[sp.Matrix], Any]:
        grads, gx = printed_gradients(A, bb, Ws, x, "corrected", lambda p, q: p * q,
                                      lambda p: p.T)
        return [W - alpha * G for W, G in zip(Ws, grads, strict=True)], x - alpha * gx

    Ws1, x1 = gd(Ws, x, al)
    b_sol = sp.solve(sp.simplify(Ws1[0][0, 0]), b)[0]
    Ws1 = [W.subs(b, b_sol).applyfunc(sp.simplify) for W in Ws1]
    x1 = x1.subs(b, b_sol).applyfunc(sp.simplify)
    s1 = sp.simplify((x1.T * x1)[0])
    g = a1**2 + a2**2
    alpha_sol = 1 / (s1**2 * g)
    return {"symbols": (a1, a2, v, al, b), "b": b_sol, "W1_1": Ws1[0], "W2_1": Ws1[1],
            "x1": x1, "alpha": alpha_sol, "gd": gd, "A": A}


def counterexample_instance(a: tuple[int, int] = (1, 0), v: int = 2) -> Instance:
    """The exact counterexample of the family at A = [a1 a2], v."""
    fam = counterexample_family()
    a1, a2, vs, al, _ = fam["symbols"]
    point = {a1: sp.Integer(a[0]), a2: sp.Integer(a[1]), vs: sp.Integer(v)}
    alpha = sp.nsimplify(fam["alpha"].subs(point))
    b = sp.nsimplify(fam["b"].subs({**point, al: alpha}))

    def frac(q: Any) -> Fraction:
        q = sp.Rational(q)
        return Fraction(int(q.p), int(q.q))

    return {"n": 1, "d": 2, "A": np.array([[Fraction(a[0]), Fraction(a[1])]], dtype=object),
            "b": np.array([frac(b)], dtype=object), "v": np.array([Fraction(v)], dtype=object),
            "step": 0.5, "alpha": frac(alpha)}


def symbolic_counterexample() -> SymbolicOutcome:
    """Derive the family with sympy: W_1^(1) = 0 identically at b = b(a, v, alpha), x_1 =
    (1 - ||A^T v||^4) x_0, and at alpha = 1 / (||x_1||^4 ||a||^2) the second step fits
    A y = b exactly (a GD fixed point, so x_k = x_1 for all k >= 1)."""
    fam = counterexample_family()
    a1, a2, v, al, b = fam["symbols"]
    if fam["W1_1"] != sp.zeros(2, 2):
        return SymbolicOutcome(None, "w_1 = 0 was not derived")
    g = a1**2 + a2**2
    x0 = sp.Matrix([a1, a2]) / (g * v)
    if (fam["x1"] - (1 - g**2 * v**4) * x0).applyfunc(sp.simplify) != sp.zeros(2, 1):
        return SymbolicOutcome(None, "x_1 is not (1 - ||A^T v||^4) x_0")
    point = {a1: 1, a2: 0, v: 2}
    point[al] = fam["alpha"].subs(point)
    point[b] = fam["b"].subs(point)
    Ws2, x2 = fam["gd"]([fam["W1_1"], fam["W2_1"]], fam["x1"], al)
    fit = ((fam["A"] * Ws2[0] * Ws2[1] * x2)[0] - b).subs(point)
    if sp.simplify(fit) != 0:
        return SymbolicOutcome(None, "the second step does not fit A y = b")
    inst = counterexample_instance()
    return SymbolicOutcome(
        False, "for n = 1, Lemma 9's start and b = s_0 A A^T v - v / (alpha s_0) give "
        "W_1^(1) = 0 identically while x_1 = (1 - ||A^T v||^4) x_0 != 0 and W_2^(1) = e_1 "
        "x_1^T != 0: no u_1 satisfies W_2^(1) = W_1^(1)T A^T u_1 x_1^T and x_1 is not in "
        f"range(0). At A = [1 0], v = 2, alpha = {inst['alpha']}, b = {inst['b'][0]} the "
        "second step fits A y = b exactly (GD fixed point), so x_k != 0 for all k",
        inst)


# --------------------------------------------------------------------------- claim


def _checks(form: Form, count: int) -> tuple[Any, ...]:
    prop = invariant_property(form)
    return (trials("invariant", prop, count=count),
            search("search", prop, evaluations=1000))


CLAIM = Claim(
    id="INIT-Thm12",
    paper=INIT,
    location="§4.1, Theorem 12",
    statement=STATEMENT,
    notes=("'for all k' and 'x_k is never zero' are checked along EXACT_STEPS exact steps "
           "(FLOAT_STEPS in float64); the counterexample's hypothesis holds for every k "
           "because the run reaches an exact GD fixed point at k = 2. W_2^(0) = e_1 x_0^T "
           "as Lemma 9's proof shows."),
    variants=(
        Variant(
            "as-printed",
            "The three conditions for all k from Lemma 9's start, assuming only x_k != 0. "
            "Refuted by the exact family where v_1 = 0 (W_1^(1) = 0, W_2^(1) != 0).",
            (symbolic("counterexample", symbolic_counterexample,
                      replay=invariant_property("printed").margin_hp),
             *_checks("printed", 128)),
            expected=Verdict.REFUTED),
        Variant(
            "corrected",
            "Added hypothesis: W_1^(k) is never zero either (v_k != 0), which the proof "
            "uses when it claims A W_1^(k+1) != 0.",
            _checks("corrected", 256), expected=Verdict.SUPPORTED),
        Variant(
            "mutant:row-range",
            "Planted: x_k in range(W_1^(k)T A^T) (W_2^T dropped); that range is span(e_1).",
            _checks("row-range", 64), expected=Verdict.REFUTED),
    ),
)
