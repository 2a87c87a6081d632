r"""INIT-Sec4.2 — §4.2 "Stability analysis of deep linear networks" (seed 004):
W_1^(k) = A^T P_k + C with C constant along GD, and the error bound via ||C||.

As printed (§4.2): write ``W_1^(k) = A^T P_k + C_k`` with ``P_k = (A^T)^+ W_1^(k)`` and
``C_k = W_1^(k) - A^T P_k``. Then ``A C_k = 0`` throughout, ``C_{k+1} = C_k`` ("we instead
write W_1^(k) = A^T P_k + C where C is constant"), and if all limits exist and
``A W_1^(inf) ... W_h^(inf) x_inf = b`` then ``A^T P_inf W_2^(inf) ... W_h^(inf) x_inf =
theta*`` and

    ||W_1^(inf) ... W_h^(inf) x_inf - theta*||_2 = ||C W_2^(inf) ... W_h^(inf) x_inf||_2
        <= ||W_2^(inf)|| ... ||W_h^(inf)|| ||x_inf||_2 ||C||.

The iteration is GD (4.1) on ``1/2 ||A W_1 ... W_h x - b||^2`` run by the numeric core, for
every depth the paper allows, h = 1 (§3's model, the form the printed derivation of C_{k+1}
uses) to h = 4. The printed derivation of ``C_{k+1} = C_k`` writes the W_1 update of h = 1
without alpha (``W_1 - A^T (A W_1 x - b) x^T``); the conclusion does not depend on either:
the true update ``-alpha A^T r (W_2 ... W_h x)^T`` lies in range(A^T) for every h and alpha.
Matrix norms ``||.||`` are read as spectral norms (the smallest norm consistent with ||.||_2;
the bound then also holds for the Frobenius norm).

Verdict: holds. Certified pieces: the sympy derivation (the W_1 gradient differentiated
entrywise from the loss is A^T r (W_2...W_h x)^T, P_N A^T = 0 and A P_N = 0 with
P_N = I - A^T (A A^T)^{-1} A, and at a solution W_1 y - theta* = C y); C_k = C_0 exactly in
rationals along EXACT_STEPS steps of the core's GD for h = 1..4, every A (rank n), b, alpha;
the identity ``A^T P y = theta*``, ``||W_1 y - theta*|| = ||C y||`` at exact solution points
(y = W_2 ... W_h x); and the inequality with rigorous ball enclosures of the spectral norms.
The statement is about limits (asymptotic), so the claim is at best supported.

Planted mutants: the bound without the factor ||x||_2, and the decomposition on the other
side (``W_1 = P_k A + C_k``, C_k claimed constant).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import flint
import numpy as np
import sympy as sp

from theorems.initialization.eq4_1 import (
    derived_gradients,
    snap,
    standing_hypotheses,
    step_size,
    trajectory_margins,
)
from theorems.initialization.lem5 import norm, null_projector, theta_star
from theorems.papers import INIT
from verify import linalg_exact as lx
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import deep_invariants as di
from verify.core.hp import FMPQ
from verify.core.hp_linalg import bits, sigma_max_ball
from verify.core.safe_linalg import solve_or_nan
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "Thus, we instead write  $\\mathbf{W}_1^{(k)} = \\mathbf{A}^{\\mathrm{T}} \\mathbf{P}_k + "
    "\\mathbf{C}$  where  $\\mathbf{C}$  is constant and only  $\\mathbf{P}_k$  is being "
    "iterated upon.\n\nA second observation is that if all limits are assumed to exist and  "
    "$\\mathbf{A}\\mathbf{W}_1^{(\\infty)}\\mathbf{W}_2^{(\\infty)}\\dots\\mathbf{W}_h^{(\\infty)}"
    "\\mathbf{x}_{\\infty} = \\mathbf{b}$ , then  $\\mathbf{A}^{\\mathrm{T}}\\mathbf{P}_{\\infty}"
    "\\mathbf{W}_2^{(\\infty)}\\dots\\mathbf{W}_h^{(\\infty)}\\mathbf{x}_{\\infty} = "
    "\\boldsymbol{\\theta}^{\\star}$ ."
)
BOUND = (
    "\\|\\mathbf{C}\\mathbf{W}_{2}^{(\\infty)}\\dots\\mathbf{W}_{h}^{(\\infty)}\\mathbf{x}_{"
    "\\infty}\\|_{2} \\\\ &\\leq \\|\\mathbf{W}_{2}^{(\\infty)}\\|\\dots\\|\\mathbf{W}_{h}^{("
    "\\infty)}\\|\\cdot\\|\\mathbf{x}_{\\infty}\\|_{2} \\cdot \\|\\mathbf{C}\\|"
)

MAX_H = 4
EXACT_STEPS = 3
FLOAT_STEPS = 300
FREE = ("V2", "V3", "V4")
"""W_2, ..., W_h (d x d), in order."""
TOLERANCE = Tolerance(rtol=1e-8, atol=1e-12)
SYMBOLIC_SIZES = ((1, 2, 1), (1, 2, 2), (2, 3, 1), (1, 2, 3))
"""(n, d, h) of the entrywise gradient derivations."""

Form = str
"""``"printed"``; mutants ``"drop-x"`` (bound without ||x||_2) and ``"row-space"``
(W_1 = P_k A + C_k)."""


# --------------------------------------------------------------------------- inputs


def first_layer(batch: Batch) -> np.ndarray:
    """``W_1^(0) = A^T P0 + C`` with ``C = P_ker(A) C0`` (so A C = 0, C0 arbitrary)."""
    A = batch["A"]
    return np.swapaxes(A, 1, 2) @ batch["P0"] + null_projector(A) @ batch["C0"]


def layers(batch: Batch) -> list[np.ndarray]:
    """``[W_1^(0), W_2, ..., W_h]``."""
    return [first_layer(batch), *(batch[k] for k in FREE[: batch["h"] - 1])]


def exact_layers(inst: Instance) -> list[flint.fmpq_mat]:
    """:func:`layers` exactly."""
    A = lx.matrix(inst["A"])
    W1 = A.transpose() * lx.matrix(inst["P0"]) + lx.null_space_projector(A) * lx.matrix(
        inst["C0"])
    return [W1, *(lx.matrix(inst[k]) for k in FREE[: inst["h"] - 1])]


def _repair(batch: Batch) -> Batch:
    out = {k: (snap(v) if isinstance(v, np.ndarray) and k != "step" else v)
           for k, v in batch.items()}
    with np.errstate(all="ignore"):
        factors = [np.nan_to_num(f) for f in (*layers(out), out["x0"])]
    out["alpha"] = step_size(out["A"], out["b"], factors, out["step"])
    return out


def make_domain() -> Domain:
    """1 <= n < d <= 3, 1 <= h <= 4, A of rank n, b != 0, P0, C0, W_2..W_h, x0 on a 1/8 grid,
    step in (0, 2) (alpha = a power of two up to twice the smoothness scale)."""
    variables = (Integer("n", 1, 2), Integer("d", 2, 3), Integer("h", 1, MAX_H),
                 Matrix("A", "n", "d"), Vector("b", "n"), Matrix("P0", "n", "d"),
                 Matrix("C0", "d", "d"), *(Matrix(k, "d", "d") for k in FREE),
                 Vector("x0", "d"), Real("step", 0.0, 2.0, open_low=True, open_high=True))
    return Domain(variables, hypothesis=standing_hypotheses, repair=_repair,
                  dims_ok=lambda c: c["n"] < c["d"])


def _exact_ok(inst: Instance) -> bool:
    A = lx.matrix(inst["A"])
    return (lx.rank(A) == A.nrows() < A.ncols() and lx.squared_norm(lx.column(inst["b"])) > 0
            and inst["alpha"] > 0)


# --------------------------------------------------------------------------- C is constant


def constant_property(form: Form) -> Property:
    """``max_k ||C_k - C_0||_F`` along GD: C_k = P_ker(A) W_1^(k) (``row-space``: the
    mutant's W_1^(k) P_ker(A))."""
    right = form == "row-space"

    def init(batch: Batch) -> tuple[list[np.ndarray], np.ndarray]:
        return layers(batch), batch["x0"]

    def defect(batch: Batch) -> Callable[[list[np.ndarray], np.ndarray], tuple[Any, Any]]:
        P = null_projector(batch["A"])
        C0 = layers(batch)[0] @ P if right else P @ layers(batch)[0]
        return lambda Ws, x: (norm((Ws[0] @ P if right else P @ Ws[0]) - C0), norm(Ws[0]))

    def exact_init(inst: Instance) -> tuple[list[flint.fmpq_mat], flint.fmpq_mat] | None:
        return (exact_layers(inst), lx.column(inst["x0"])) if _exact_ok(inst) else None

    def exact_defect(inst: Instance) -> Callable[[list[flint.fmpq_mat], flint.fmpq_mat],
                                                 tuple[flint.fmpq, flint.fmpq]]:
        P = lx.null_space_projector(lx.matrix(inst["A"]))
        W1 = exact_layers(inst)[0]
        C0 = W1 * P if right else P * W1
        return lambda Ws, x: (lx.squared_norm((Ws[0] * P if right else P * Ws[0]) - C0),
                              lx.squared_norm(Ws[0]))

    margin, margin_hp = trajectory_margins(init, defect, exact_init, exact_defect,
                                           FLOAT_STEPS, EXACT_STEPS)
    side = "W_1 P_ker(A)" if right else "P_ker(A) W_1"
    return Property(make_domain(), margin, margin_hp, TOLERANCE, rigorous=True,
                    description=f"C_k = {side}^(k) constant along GD (exact {EXACT_STEPS} "
                    f"steps, float64 {FLOAT_STEPS})")


# --------------------------------------------------------------------------- at a solution


def solution_point(batch: Batch) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A point solving ``A W_1 W_2 ... W_h x = b`` with W_1 = A^T P + C: from P0, C0,
    W_2..W_h, x0, ``P = P0 + G^{-1}(b - G P0 y) y^T / ||y||^2`` (G = A A^T, y = W_2...W_h x0).
    Returns (P, C, y, theta*)."""
    A, b = batch["A"], batch["b"]
    y = di.product([batch[k] for k in FREE[: batch["h"] - 1]], batch["x0"])
    G = A @ np.swapaxes(A, 1, 2)
    rhs = b - np.einsum("bij,bj->bi", G @ batch["P0"], y)
    corr = solve_or_nan(G, rhs)
    P = batch["P0"] + corr[:, :, None] * y[:, None, :] / (norm(y) ** 2)[:, None, None]
    return P, null_projector(A) @ batch["C0"], y, theta_star(A, b)


def exact_solution_point(inst: Instance) -> dict[str, Any] | None:
    """:func:`solution_point` exactly; None off the hypotheses or when y = 0."""
    if not _exact_ok(inst):
        return None
    A, b = lx.matrix(inst["A"]), lx.column(inst["b"])
    free = [lx.matrix(inst[k]) for k in FREE[: inst["h"] - 1]]
    x = lx.column(inst["x0"])
    y = di.product(free, x, xp=FMPQ)
    if lx.squared_norm(y) == 0:
        return None
    G = A * A.transpose()
    P0 = lx.matrix(inst["P0"])
    P = P0 + G.solve(b - G * P0 * y) * y.transpose() * (1 / lx.squared_norm(y))
    C = lx.null_space_projector(A) * lx.matrix(inst["C0"])
    return {"A": A, "b": b, "P": P, "C": C, "y": y, "x": x, "free": free,
            "theta": lx.min_norm_least_squares(A, b)}


def _identity_float(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    A = batch["A"]
    P, C, y, theta = solution_point(batch)
    At_P_y = np.einsum("bji,bjk,bk->bi", A, P, y)
    Cy = np.einsum("bij,bj->bi", C, y)
    W1y = At_P_y + Cy
    e1 = norm(At_P_y - theta)
    e2 = np.abs(norm(W1y - theta) - norm(Cy))
    return e1 + e2, norm(theta) + norm(W1y)


def _identity_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
    s = exact_solution_point(inst)
    if s is None:
        return None
    At_P_y = s["A"].transpose() * s["P"] * s["y"]
    Cy = s["C"] * s["y"]
    W1y = At_P_y + Cy
    if s["A"] * W1y != s["b"]:
        return None
    e1 = lx.squared_norm(At_P_y - s["theta"])
    e2 = abs(lx.squared_norm(W1y - s["theta"]) - lx.squared_norm(Cy))
    return e1 + e2, lx.squared_norm(s["theta"]) + lx.squared_norm(W1y)


def identity_property() -> Property:
    """At a solution of A W_1 ... W_h x = b: A^T P W_2...x = theta* and
    ||W_1 ... x - theta*|| = ||C W_2 ... x|| (exact, squared)."""
    return Property(make_domain(), _identity_float, _identity_hp, TOLERANCE, rigorous=True,
                    description="A^T P y = theta* and ||W_1 y - theta*|| = ||C y|| at exact "
                    "solutions (y = W_2...W_h x)")


def _spectral(M: np.ndarray) -> np.ndarray:
    return np.linalg.norm(M, ord=2, axis=(1, 2))


def bound_property(form: Form) -> Property:
    """``||C y|| <= ||W_2|| ... ||W_h|| ||x||_2 ||C||`` (spectral norms; ``drop-x``: without
    ||x||_2) at the solution points; exact squares on the left, rigorous balls of the
    spectral norms on the right."""
    with_x = form != "drop-x"

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        _, C, y, _ = solution_point(batch)
        rhs = _spectral(C) * (norm(batch["x0"]) if with_x else 1.0)
        for k in FREE[: batch["h"] - 1]:
            rhs = rhs * _spectral(batch[k])
        lhs = norm(np.einsum("bij,bj->bi", C, y))
        return lhs - rhs, np.maximum(lhs, rhs)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        s = exact_solution_point(inst)
        if s is None:
            return None
        with flint.ctx.workprec(bits(digits)):
            rhs = sigma_max_ball(s["C"], digits) if lx.squared_norm(s["C"]) else flint.arb(0)
            if with_x:
                rhs *= flint.arb(lx.squared_norm(s["x"])).sqrt()
            for W in s["free"]:
                rhs *= sigma_max_ball(W, digits) if lx.squared_norm(W) else flint.arb(0)
            lhs = flint.arb(lx.squared_norm(s["C"] * s["y"])).sqrt()
            return lhs - rhs, abs(lhs) + abs(rhs)

    what = "without ||x||" if not with_x else "as printed"
    return Property(make_domain(), margin, margin_hp, TOLERANCE, rigorous=True,
                    description=f"the §4.2 bound ({what}) with spectral norms")


# --------------------------------------------------------------------------- sympy


@cache
def derivation() -> dict[str, bool]:
    """The steps of §4.2 with sympy: (1) for each (n, d, h) of SYMBOLIC_SIZES the W_1
    gradient differentiated entrywise from the loss equals A^T r (W_2 ... W_h x)^T
    (r = A W_1 ... W_h x - b), so the update lies in range(A^T); (2) for symbolic A of sizes
    (1, 2), (2, 3): P_N A^T = 0 and A P_N = 0, P_N = I - A^T (A A^T)^{-1} A, so
    C_{k+1} - C_k = -alpha P_N A^T (...) = 0 and A C_k = 0; (3) for (n, d) = (1, 2): if
    A (A^T P + C) y = b with A C = 0 then A^T P y = A^T (A A^T)^{-1} b = theta* and
    (A^T P + C) y - theta* = C y."""
    out: dict[str, bool] = {}
    for n, d, h in SYMBOLIC_SIZES:
        g = derived_gradients(n, d, h)
        A, b, Ws, x = g["A"], g["b"], g["Ws"], g["x"]
        y = x
        for W in reversed(Ws[1:]):
            y = np.dot(W, y)
        r = np.dot(np.dot(A, Ws[0]), y) - b
        expected = np.dot(np.dot(A.T, r), y.T)
        out[f"grad_W1 in range(A^T), (n, d, h) = {(n, d, h)}"] = all(
            e == 0 for e in (g["gW"][0] - expected).ravel())
    for n, d in ((1, 2), (2, 3)):
        A = sp.Matrix(n, d, lambda i, j: sp.Symbol(f"a{i + 1}{j + 1}", real=True))
        PN = sp.eye(d) - A.T * (A * A.T).inv() * A
        out[f"P_N A^T = 0, A P_N = 0, (n, d) = {(n, d)}"] = all(
            sp.cancel(e) == 0 for e in [*(PN * A.T), *(A * PN)])
    n, d = 1, 2
    A = sp.Matrix(n, d, lambda i, j: sp.Symbol(f"a{i + 1}{j + 1}", real=True))
    y = sp.Matrix(d, 1, lambda i, _: sp.Symbol(f"y{i + 1}", real=True))
    Cfree = sp.Matrix(d, d, lambda i, j: sp.Symbol(f"c{i + 1}{j + 1}", real=True))
    P1 = sp.Matrix(n, d, lambda i, j: sp.Symbol(f"p{i + 1}{j + 1}", real=True))
    b = sp.Matrix(n, 1, lambda i, _: sp.Symbol(f"b{i + 1}", real=True))
    G = A * A.T
    C = (sp.eye(d) - A.T * G.inv() * A) * Cfree
    P = P1 + G.inv() * (b - G * P1 * y) * y.T / (y.T * y)[0]
    theta = A.T * G.inv() * b
    W1y = (A.T * P + C) * y
    out["solution: A W_1 y = b, A^T P y = theta*, W_1 y - theta* = C y"] = all(
        sp.cancel(e) == 0 for e in [*(A * W1y - b), *(A.T * P * y - theta),
                                    *(W1y - theta - C * y)])
    return out


def symbolic_section() -> SymbolicOutcome:
    """All derivation steps hold identically."""
    steps = derivation()
    failed = [k for k, ok in steps.items() if not ok]
    if failed:
        return SymbolicOutcome(None, "failed: " + "; ".join(failed))
    return SymbolicOutcome(True, "derived with sympy: " + "; ".join(steps))


# --------------------------------------------------------------------------- claim


CLAIM = Claim(
    id="INIT-Sec4.2",
    paper=INIT,
    location="§4.2 (decomposition W_1 = A^T P_k + C_k, C_{k+1} = C_k, limit identity and "
             "bound)",
    statement=STATEMENT,
    asymptotic=True,
    notes=("The claim also covers the bound that follows, quoted: \"" + BOUND + "\". Checked "
           f"for h = 1..{MAX_H}. The printed derivation of C_{{k+1}} = C_k uses the h = 1 "
           "update without alpha; the true update of every depth is in range(A^T), so the "
           "conclusion stands. The limit statements are checked at exact solution points "
           "(every limit that solves the system is one), since C is constant along the run."),
    variants=(
        Variant(
            "as-printed",
            f"C_k = C_0 exactly along {EXACT_STEPS} GD steps for h = 1..{MAX_H} (float64: "
            f"{FLOAT_STEPS}); at solutions A^T P y = theta*, ||W_1 y - theta*|| = ||C y|| "
            "(exact) <= spectral-norm bound (balls). Asymptotic, so at best supported.",
            (symbolic("derivation", symbolic_section),
             trials("constant-C", constant_property("printed"), count=128),
             trials("solution-identity", identity_property(), count=256),
             trials("bound", bound_property("printed"), count=256),
             search("search-constant-C", constant_property("printed"), evaluations=1000),
             search("search-bound", bound_property("printed"), evaluations=2000)),
            expected=Verdict.SUPPORTED),
        Variant(
            "mutant:drop-x",
            "Planted: the bound without the factor ||x_inf||_2.",
            (trials("bound", bound_property("drop-x"), count=256),
             search("search-bound", bound_property("drop-x"), evaluations=2000)),
            expected=Verdict.REFUTED),
        Variant(
            "mutant:row-space",
            "Planted: the decomposition on the other side, W_1 = P_k A + C_k with "
            "C_k = W_1 (I - A^+ A) claimed constant.",
            (trials("constant-C", constant_property("row-space"), count=64),
             search("search-constant-C", constant_property("row-space"), evaluations=500)),
            expected=Verdict.REFUTED),
    ),
)
