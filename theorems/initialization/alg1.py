r"""INIT-Alg1 — Algorithm 1 of §2.2 and Figure 2.1 (seed 004, "On the Role of Initialization
on the Implicit Bias in Deep Learning").

As printed (``statement``): Algorithm 1, "Controlled ordinary linear regression", with inputs
A, b, alpha, theta; ``V^T`` from SVD(A); ``theta* <- A^T (A A^T)^{-1} b``; ``z_0`` arbitrary;
the inner loop ``z_{k+1} <- z_k - alpha V2 V2^T (V2 V2^T z_k - (theta - theta*))`` until
convergence; ``y_0 <- z_k``; the outer loop ``y_{k+1} <- y_k - alpha A^T (A y_k - b)`` until
convergence; output y_k. The text after it claims that it controls the limit: the output is
the desired solution theta ("Algorithm 1 works as intended"), illustrated in Fig. 2.1 on
``x + y = 0`` with theta = (10, -10), and GD from a random point of range(A^T) reaching the
minimum-norm solution (0, 0).

Reading: A has rank n (the algorithm's theta* needs A A^T invertible), d >= n (Theorem 4),
theta solves A theta = b, alpha > 0 with Theorem 4's only step-size condition
``||A||^2 < 2/alpha``; b = 0 is allowed (Fig. 2.1 has b = 0).

Verdict: refuted as printed. The inner loop is GD on ``1/2 ||P z - w||^2`` with the projector
``P = V2 V2^T`` (``||P|| = 1``) and ``w = theta - theta*``: ``P z_{k+1} - w = (1 - alpha)
(P z_k - w)``, so it converges only when ``0 < alpha < 2`` (or P z_0 = w already). Theorem 4's
bound allows alpha >= 2 whenever ||A|| < 1, and then the inner loop never ends. Smallest
counterexample: A = [1/2 0], b = 1/2, theta = (1, 1) (theta* = (1, 0)), z_0 = 0, alpha = 3:
``alpha ||A||^2 = 3/4 < 2`` but the inner steps double forever (``z_k - z_{k-1} = 3 (-2)^{k-1}
(0, 1)``); at alpha = 2 exactly they alternate between (0, 0) and (0, 2). The ``corrected``
variant adds ``alpha < 2`` (i.e. ``alpha < min(2, 2/||A||^2)``, the condition INIT-Thm4's notes
state); then the output is exactly theta for every z_0. The Fig. 2.1 claims are reproduced
(its data: A = [1 1], b = 0, theta = (10, -10); the step size and the random points are not
given, so alpha is sampled in (0.1, 0.9) of the admissible (0, 1)).

Exact output of the ideal algorithm (both loops run to their limits), used by the replays:
the inner increments lie in range(P), so ``(I - P) z_k = (I - P) z_0``, and a limit is a fixed
point (``P z = P w``): ``z_inf = (I - P) z_0 + P w``. Likewise for the outer loop (Lemma 2's
invariant): ``y_inf = P_ker(A) z_inf + theta*``. A loop has no limit when its squared step
lengths ``t_k = ||x_{k+1} - x_k||^2`` (``t_k = d_0^T M^{2k} d_0`` with M symmetric, a
log-convex sequence) satisfy ``t_{k+1} >= t_k > 0``: the steps never shrink again and every
point is at distance >= ``sqrt(t_k)/2`` from infinitely many iterates (the excess reported).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from functools import cache
from typing import Any

import flint
import numpy as np
import sympy as sp

from theorems.initialization import lem1, lem2, thm4
from theorems.papers import INIT
from verify import linalg_exact as lx
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.hp import FMPQ
from verify.core.networks import SquaredLoss, gd_step
from verify.core.safe_linalg import solve_or_nan
from verify.domain import Batch, Domain, Instance, Integer, Property, Real, Vector, to_exact
from verify.verdicts import TINY, Tolerance, Verdict

STATEMENT = (
    "# Algorithm 1 Controlled ordinary linear regression.\n\n"
    "```\n"
    "Inputs: \\mathbf{A} \\in \\mathbb{R}^{n \\times d}, "
    "\\mathbf{b} \\in \\mathbb{R}^{n \\times 1}, "
    "\\alpha \\in \\mathbb{R}, \\boldsymbol{\\theta} \\in \\mathbb{R}^{d \\times 1}\n\n"
    "-, -, \\begin{bmatrix} \\mathbf{V}_1^{\\mathrm{T}} \\\\ \\mathbf{V}_2^{\\mathrm{T}} "
    "\\end{bmatrix} \\leftarrow \\text{SVD}(\\mathbf{A})\n\n"
    "\\boldsymbol{\\theta}^{\\star} \\leftarrow \\mathbf{A}^{\\mathrm{T}} (\\mathbf{A} "
    "\\mathbf{A}^{\\mathrm{T}})^{-1} \\mathbf{b}\n\n"
    "\\mathbf{z}_0 \\leftarrow \\text{arbitrary}\n\n"
    "for iteration k = 0, 1, \\ldots until convergence do\n\n"
    "\\mathbf{z}_{k+1} \\leftarrow \\mathbf{z}_k - \\alpha "
    "\\mathbf{V}_2 \\mathbf{V}_2^{\\mathrm{T}} "
    "(\\mathbf{V}_2 \\mathbf{V}_2^{\\mathrm{T}} \\mathbf{z}_k - (\\boldsymbol{\\theta} - "
    "\\boldsymbol{\\theta}^{\\star}))\n\n"
    "end for\n\n"
    "\\mathbf{y}_0 \\leftarrow \\mathbf{z}_k\n\n"
    "for iteration k = 0, 1, \\ldots until convergence do\n\n"
    "\\mathbf{y}_{k+1} \\leftarrow \\mathbf{y}_k - \\alpha \\mathbf{A}^{\\mathrm{T}} (\\mathbf{A} "
    "\\mathbf{y}_k - \\mathbf{b})\n\n"
    "end for\n\n"
    "output \\mathbf{y}_k\n"
    "```"
)

CLAIM_TEXT = (
    "This possibility of controlling to which solution we converge to is summarized in "
    "Algorithm 1. In Figure 2.1 we illustrate it by solving the trivial system x + y = 0 with "
    "two initializations: one is a random point in range  $(\\mathbf{A}^{\\mathrm{T}})$  and "
    "the other was the initial point suggested by Algorithm 1 when the desired solution was "
    "(10, -10). We see that when initialized in range  $(\\mathbf{A}^{\\mathrm{T}})$  the "
    "iteration converges to the minimum norm solution (0,0) and that Algorithm 1 works as "
    "intended."
)

MAX_N, MAX_D = 2, 4
TRIAL_STEPS, SEARCH_STEPS = 1500, 150
"""Steps per loop at most (trials measure convergence; the search relies on certificates)."""
SEARCH_EVALUATIONS = 20_000
"""Search evaluations at the standard budget (each runs both loops)."""
CONVERGED_RTOL = 1e-11
WINDOW = 64
"""Steps inspected for a non-shrinking step (the no-limit certificate)."""
GROWTH_RTOL = 1e-8
"""Relative growth of a float step length that counts as growth."""
TOLERANCE = Tolerance(rtol=1e-8, atol=1e-12)
FIG_A, FIG_B, FIG_THETA = [[1.0, 1.0]], [0.0], [10.0, -10.0]
"""Figure 2.1: x + y = 0 and the desired solution (10, -10)."""


class Setting:
    """Which algorithm and hypotheses: ``inner_cap`` adds alpha < 2 (the correction);
    ``outer_bound`` is the bound on alpha ||A||^2 (2 printed, 4 in a mutant); ``projector``
    is the inner loop's ``"V2"`` (printed) or ``"V1"`` (a mutant)."""

    def __init__(self, inner_cap: bool, outer_bound: float = 2.0, projector: str = "V2"):
        self.inner_cap, self.outer_bound, self.projector = inner_cap, outer_bound, projector

    def alpha_max(self, A: np.ndarray) -> np.ndarray:
        """The supremum of admissible alpha for a batch of A."""
        smax2 = np.linalg.norm(A, ord=2, axis=(1, 2)) ** 2
        top = self.outer_bound / np.maximum(smax2, TINY)
        return np.minimum(top, 2.0) if self.inner_cap else top

    def admissible_exact(self, A: flint.fmpq_mat, alpha: flint.fmpq) -> bool:
        """alpha > 0, alpha ||A||^2 < outer_bound (Sylvester) and alpha < 2 if capped."""
        if alpha <= 0 or (self.inner_cap and alpha >= 2):
            return False
        n = A.nrows()
        return lx.is_positive_definite(
            lx.identity(n) * (lx.to_fmpq(Fraction(self.outer_bound)) / alpha) - A * A.transpose())


# --------------------------------------------------------------------------- the algorithm


def inner_loss(P: Any, w: Any) -> SquaredLoss:
    """The inner loop's ``1/2 ||P z - w||^2`` as a core loss on the weight ``z^T``:
    ``SquaredLoss(X = P^T, Y = w^T, "half_sum")``, whose GD step is the printed
    ``z - alpha P^T (P z - w)`` (P = V2 V2^T is symmetric)."""
    P, w = np.asarray(P), np.asarray(w)
    return SquaredLoss(np.swapaxes(P, -1, -2), w[..., None, :], convention="half_sum")


def _loop(loss: SquaredLoss, x0: np.ndarray, alpha: np.ndarray, steps: int,
          grad_bound: Callable[[np.ndarray], np.ndarray],
          scale: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run a loop "until convergence" on the core's GD: stops a trial when its a-posteriori
    error bound ``grad_bound(x)`` is below CONVERGED_RTOL * scale. Returns (x_K, bound,
    no-limit certificate sqrt(t_k)/2 from the first WINDOW steps, 0 if none)."""
    x, t = x0, np.full((x0.shape[0], WINDOW + 1), np.nan)
    done = np.zeros(x0.shape[0], dtype=bool)
    bound = np.full(x0.shape[0], np.inf)
    for k in range(steps):
        new = gd_step([x[:, None, :]], loss, alpha)[0][:, 0, :]
        if k <= WINDOW:
            t[:, k] = np.sum((new - x) ** 2, axis=1)
        x = np.where(done[:, None], x, new)
        if k % 25 == 24 or k == steps - 1:
            bound = np.where(done, bound, grad_bound(x))
            done |= bound <= CONVERGED_RTOL * scale
            if k >= WINDOW and done.all():
                break
    grows = (t[:, 1:] >= (1 + GROWTH_RTOL) * t[:, :-1]) & (t[:, :-1] > 0)
    first = np.argmax(grows, axis=1)
    certificate = np.where(grows.any(axis=1), np.sqrt(t[np.arange(t.shape[0]), first]) / 2, 0.0)
    return x, bound, certificate


def inputs_float(batch: Batch, projector: str) -> dict[str, np.ndarray]:
    """The algorithm's first lines in float64: V^T = SVD(A), P = V2 V2^T (or V1 V1^T),
    theta* = A^T (A A^T)^{-1} b, and the input theta = theta* + P_ker(A) t."""
    A, b, n = batch["A"], batch["b"], int(batch["n"])
    Vt = np.linalg.svd(A)[2]
    V = Vt[:, n:, :] if projector == "V2" else Vt[:, :n, :]
    P = np.einsum("bki,bkj->bij", V, V)
    theta_star = lem1.mtv(A, solve_or_nan(A @ np.swapaxes(A, 1, 2), b))
    theta = theta_star + lem1.mv(lem1.projectors(A)[0], batch["t"])
    return {"P": P, "theta*": theta_star, "theta": theta}


def outer_loop(A: np.ndarray, b: np.ndarray, y0: np.ndarray, alpha: np.ndarray, steps: int,
               scale: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The outer loop (GD on 1/2 ||A y - b||^2, rank n) with the bound
    ``||y_K - y_inf|| <= ||A^T (A y_K - b)|| / sigma_min(A)^2``."""
    smin = np.linalg.svd(A, compute_uv=False)[:, -1]
    return _loop(lem2.regression_loss(A, b), y0, alpha, steps,
                 lambda y: lem1.norm(lem1.mtv(A, lem1.mv(A, y) - b)) / np.maximum(smin, TINY) ** 2,
                 scale)


def algorithm_margin(setting: Setting, steps: int) -> Callable[[Batch], tuple[np.ndarray,
                                                                            np.ndarray]]:
    """Batched float64 margin of "the output is theta": a no-limit certificate of either
    loop, or, when both converged measurably, ``||y_K - theta||`` minus the two loops'
    error bounds (the output is 1-Lipschitz in y_0); NaN for undecided runs."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        A, b, alpha = batch["A"], batch["b"], batch["alpha"]
        s = inputs_float(batch, setting.projector)
        P, theta = s["P"], s["theta"]
        w = theta - s["theta*"]
        scale = lem1.norm(theta) + lem1.norm(batch["z0"]) + lem1.norm(s["theta*"])
        z, inner_bound, inner_cert = _loop(
            inner_loss(P, w), batch["z0"], alpha, steps,
            lambda z: lem1.norm(lem1.mtv(P, lem1.mv(P, z) - w)), scale)
        y, outer_bound, outer_cert = outer_loop(A, b, z, alpha, steps, scale)
        converged = (inner_bound <= CONVERGED_RTOL * scale) & \
            (outer_bound <= CONVERGED_RTOL * scale)
        gap = lem1.norm(y - theta) - inner_bound - outer_bound
        certified = np.where(inner_cert > 0, inner_cert, outer_cert)
        excess = np.where(certified > 0, certified, np.where(converged, gap, np.nan))
        return excess, scale

    return margin


def _no_limit_exact(step: Callable[[flint.fmpq_mat], flint.fmpq_mat],
                    x0: flint.fmpq_mat) -> flint.fmpq | None:
    """``t_k`` at the first k < WINDOW with ``t_{k+1} >= t_k > 0`` (exact steps), else None."""
    x = step(x0)
    t_prev = lx.squared_norm(x - x0)
    for _ in range(WINDOW):
        new = step(x)
        t = lx.squared_norm(new - x)
        if t_prev > 0 and t >= t_prev:
            return t_prev
        x, t_prev = new, t
    return None


def exact_output(inst: Instance, setting: Setting) -> dict[str, Any] | None:
    """The ideal algorithm exactly: ``{"theta", "z0", "inner", "outer", "output"}`` where
    ``inner``/``outer`` are no-limit certificates (t_k, or None) and ``output`` the exact
    double limit (module docstring) when both loops converge; None off the hypotheses (rank n,
    d >= n, alpha admissible for ``setting``) or when a loop is undecided."""
    A, b = lx.matrix(inst["A"]), lx.column(inst["b"])
    n, d = A.nrows(), A.ncols()
    alpha = lx.to_fmpq(inst["alpha"])
    if d < n or lx.rank(A) != n or not setting.admissible_exact(A, alpha):
        return None
    P_N = lx.null_space_projector(A)
    P = P_N if setting.projector == "V2" else lx.identity(d) - P_N
    theta_star = lem1.printed_theta_star(A, b)
    theta = theta_star + P_N * lx.column(inst["t"])
    w = theta - theta_star
    z0 = lx.column(inst["z0"])
    frac = lx.to_fractions
    inner = inner_loss(frac(P), frac(w)[:, 0])
    outer = lem2.regression_loss(frac(A), frac(b)[:, 0])
    eta = FMPQ.scalar(alpha)

    def inner_step(z: flint.fmpq_mat) -> flint.fmpq_mat:
        return gd_step([z.transpose()], inner, eta, xp=FMPQ)[0].transpose()

    def outer_step(y: flint.fmpq_mat) -> flint.fmpq_mat:
        return gd_step([y.transpose()], outer, eta, xp=FMPQ)[0].transpose()

    out = {"theta": theta, "z0": z0, "inner": _no_limit_exact(inner_step, z0), "outer": None,
           "output": None}
    if out["inner"] is not None:
        return out
    if alpha >= 2 and P * z0 != P * w:
        return None
    z_inf = z0 - P * z0 + P * w
    if not lx.is_positive_definite(lx.identity(n) * (2 / alpha) - A * A.transpose()):
        out["outer"] = _no_limit_exact(outer_step, z_inf)
        return out if out["outer"] is not None else None
    out["output"] = P_N * z_inf + theta_star
    return out


def algorithm_margin_hp(setting: Setting) -> Callable[[Instance, int], Any]:
    """:func:`algorithm_margin` exactly (module docstring)."""

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        out = exact_output(inst, setting)
        if out is None:
            return None
        with flint.ctx.workprec(lem1.prec(digits)):
            scale = (lem1.arb_norm(lx.squared_norm(out["theta"]))
                     + lem1.arb_norm(lx.squared_norm(out["z0"])))
            for loop in ("inner", "outer"):
                if out[loop] is not None:
                    return lem1.arb_norm(out[loop]) / 2, scale
            return lem1.arb_norm(lx.squared_norm(out["output"] - out["theta"])), scale

    return margin_hp


# --------------------------------------------------------------------------- domain


def make_domain(setting: Setting, t_box: float = 1.0) -> Domain:
    """rank(A) = n <= d, b (any, also 0), t (theta = theta* + P_ker(A) t), z0, and
    ``step = alpha / alpha_max`` in (0, 1)."""

    def repair(batch: Batch) -> Batch:
        return {**batch, "alpha": batch["step"] * setting.alpha_max(batch["A"])}

    return lem1.make_domain(
        (Vector("b", "n"), Vector("t", "d", -t_box, t_box), Vector("z0", "d", -t_box, t_box),
         Real("step", 0.0, 1.0, open_low=True, open_high=True)),
        full_rank=True, d_gt_n=False, repair=repair, max_n=MAX_N, max_d=MAX_D)


def _sampler(domain: Domain, setting: Setting) -> Callable[[np.random.Generator, int],
                                                           list[Batch]]:
    """Every admissible (n, d) in turn; step in [0.05, 0.95]; kept when sigma_max / sigma_min
    <= 4, alpha sigma_min^2 >= 0.04 and alpha in [0.04, 1.96] or >= 2, so that converging
    loops converge measurably within TRIAL_STEPS (the search covers the rest)."""

    def sample(rng: np.random.Generator, count: int) -> list[Batch]:
        combos = domain.all_dims()
        batches = []
        for i, dims in enumerate(combos):
            m = count // len(combos) + (1 if i < count % len(combos) else 0)
            if m == 0:
                continue
            batch = domain.sample(rng, 6 * m, dims)
            step = rng.uniform(0.05, 0.95, 6 * m)
            batch = {**batch, "step": step, "alpha": step * setting.alpha_max(batch["A"])}
            sv = np.linalg.svd(batch["A"], compute_uv=False)
            alpha = batch["alpha"]
            inner_ok = (alpha >= 2) | ((alpha >= 0.04) & (alpha <= 1.96))
            keep = np.flatnonzero((sv[:, 0] <= 4 * sv[:, -1]) & (alpha * sv[:, -1] ** 2 >= 0.04)
                                  & inner_ok)[:m]
            batches.append({k: (x[keep] if isinstance(x, np.ndarray) else x)
                            for k, x in batch.items()})
        return batches

    return sample


# --------------------------------------------------------------------------- Figure 2.1


def _fig_domain() -> Domain:
    """Figure 2.1: A = [1 1], b = 0, theta = (10, -10) fixed; the random z0 (Algorithm 1)
    and v (y_0 = A^T v in range(A^T)), and ``alpha = step`` in (0.1, 0.9) of the admissible
    (0, 1)."""
    def repair(batch: Batch) -> Batch:
        size = batch["z0"].shape[0]
        return {**batch, "A": np.broadcast_to(np.array(FIG_A), (size, 1, 2)).copy(),
                "b": np.broadcast_to(np.array(FIG_B), (size, 1)).copy(),
                "t": np.broadcast_to(np.array(FIG_THETA), (size, 2)).copy(),
                "alpha": batch["step"].copy()}

    return Domain((Integer("n", 1, 1), Integer("d", 2, 2), Integer("r", 1, 1),
                    Vector("z0", 2, -20.0, 20.0), Vector("v", 1, -20.0, 20.0),
                    Real("step", 0.1, 0.9)), repair=repair)


def _fig_float(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    """max(error of Algorithm 1's output w.r.t. (10, -10), ``||y_K - (0, 0)|| - bound`` for
    GD from A^T v)."""
    excess, scale = algorithm_margin(Setting(inner_cap=True), TRIAL_STEPS)(batch)
    A, b = batch["A"], batch["b"]
    y, bound, _ = outer_loop(A, b, lem1.mtv(A, batch["v"]), batch["alpha"], TRIAL_STEPS,
                             scale)
    return np.maximum(excess, lem1.norm(y) - bound), scale


def _fig_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
    """Exactly: Algorithm 1's output (ideal limits) and the GD limit from A^T v, which is
    ``P_ker(A) A^T v + theta* = theta*`` (Lemma 2's invariant and the fixed-point equation)."""
    fixed = {**inst, "A": np.array([[Fraction(x) for x in row] for row in FIG_A]),
             "b": np.array([Fraction(x) for x in FIG_B]),
             "t": np.array([Fraction(x) for x in FIG_THETA])}
    first = algorithm_margin_hp(Setting(inner_cap=True))(fixed, digits)
    if first is None:
        return None
    A = lx.matrix(fixed["A"])
    y0 = A.transpose() * lx.column(inst["v"])
    limit = lx.null_space_projector(A) * y0 + lem1.printed_theta_star(A, lx.column(fixed["b"]))
    with flint.ctx.workprec(lem1.prec(digits)):
        return first[0].max(lem1.arb_norm(lx.squared_norm(limit))), first[1]


# --------------------------------------------------------------------------- symbolic


@cache
def unstable_steps(setting_key: tuple[bool, float]) -> tuple[sp.Set, sp.Set]:
    """``(inner, outer)``: the step sizes the hypotheses allow at which a loop does not
    contract. Inner: ``{alpha : |1 - alpha| >= 1}`` within ``(0, alpha_max)`` with
    ``alpha_max = outer_bound / s^2`` (or ``min(2, .)``), s = ||A|| symbolic, shown at
    s = 1/2; outer: ``{q = alpha sigma^2 : |1 - q| >= 1}`` within ``(0, outer_bound)``."""
    inner_cap, outer_bound = setting_key
    alpha, q = sp.Symbol("alpha", positive=True), sp.Symbol("q", positive=True)
    s = sp.Symbol("s", positive=True)
    top = sp.nsimplify(outer_bound) / s**2
    interval = sp.Interval.open(0, sp.Min(2, top) if inner_cap else top)
    inner = sp.solveset(sp.Abs(1 - alpha) >= 1, alpha, interval).subs(s, sp.Rational(1, 2))
    outer = sp.solveset(sp.Abs(1 - q) >= 1, q, sp.Interval.open(0, sp.nsimplify(outer_bound)))
    return inner, outer


def composed_limit(n: int, d: int, projector: str) -> tuple[sp.Matrix, sp.Matrix]:
    """``(output, theta)`` for A = Sigma (U = I, V = I: V1, V2 the first n and last d - n
    standard basis vectors), symbolic singular values, b = c, z0, and theta = theta* +
    (0, t): each loop decouples into the coordinate recurrences of :func:`thm4.decoupled_step`
    (inner: singular values 1 on the projector's range, 0 elsewhere), solved and taken to the
    limit by :func:`thm4.coordinate_limit` (valid when every coordinate contracts)."""
    s = sp.symbols(f"s1:{n + 1}", positive=True)
    alpha = sp.Symbol("alpha", positive=True)
    c = sp.symbols(f"c1:{n + 1}", real=True)
    z0 = sp.symbols(f"z1:{d + 1}", real=True)
    t = sp.symbols(f"t1:{d + 1}", real=True)
    Sigma = sp.Matrix(n, d, lambda i, j: s[i] if i == j else 0)
    theta_star = thm4.min_norm_solution(Sigma, sp.Matrix(c))
    theta = theta_star + sp.Matrix([0] * n + list(t[n:]))
    w = theta - theta_star
    on = [i >= n for i in range(d)] if projector == "V2" else [i < n for i in range(d)]
    z_inf = [thm4.coordinate_limit(sp.Integer(1), alpha, z0[i], w[i]) if on[i] else z0[i]
             for i in range(d)]
    output = sp.Matrix([thm4.coordinate_limit(s[i], alpha, z_inf[i], c[i]) if i < n
                        else z_inf[i] for i in range(d)])
    return output, theta


def _instance(A: list[list[Fraction]], b: list[Fraction], t: list[Fraction],
              z0: list[Fraction], alpha: Fraction, setting: Setting) -> Instance:
    arr = np.array(A, dtype=float)
    alpha_max = float(setting.alpha_max(arr[None])[0])
    inst = {"n": len(A), "d": len(A[0]), "r": len(A), "A": np.array(A, dtype=object),
            "b": np.array(b, dtype=object), "t": np.array(t, dtype=object),
            "z0": np.array(z0, dtype=object), "step": Fraction(float(alpha) / alpha_max),
            "alpha": alpha}
    return to_exact(inst)


def symbolic_algorithm(setting: Setting) -> SymbolicOutcome:
    """Derive what Algorithm 1 outputs: the printed steps are GD steps (gradients derived
    entrywise, finite differences); the step sizes at which a loop cannot converge; the
    composed limit compared with theta for the shapes of :data:`thm4.SYMBOLIC_SHAPES`."""
    F = Fraction
    if not (thm4.gradient_matches_printed(2, 3) and thm4.gradient_matches_printed(3, 3)):
        return SymbolicOutcome(False, "a printed loop is not GD on its loss")
    fd = max(thm4.finite_difference_error(2, 3), thm4.finite_difference_error(3, 3))
    if fd > 1e-6 or not thm4.decoupled_step(2, 3):
        return SymbolicOutcome(None, "finite differences or the SVD decoupling failed")
    steps = [f"both loops are GD steps B^T (B x - r) (B = V2 V2^T symmetric, B = A; finite "
             f"differences {fd:.1e}), decoupled in SVD coordinates"]
    inner, outer = unstable_steps((setting.inner_cap, setting.outer_bound))
    if inner != sp.S.EmptySet:
        a = F(3) if F(3) in inner else F(str(sp.Rational(inner.inf)))
        return SymbolicOutcome(
            False, "; ".join(steps) + f"; the inner loop z <- (1 - alpha) z + alpha w on "
            f"range(V2) needs |1 - alpha| < 1, but the hypotheses allow alpha in {inner} for "
            f"||A|| = 1/2: A = [1/2 0], b = 1/2, theta = (1, 1), z0 = 0, alpha = {a}: the inner "
            "steps never shrink and the loop never ends",
            _instance([[F(1, 2), F(0)]], [F(1, 2)], [F(0), F(1)], [F(0), F(0)], a, setting))
    if outer != sp.S.EmptySet:
        return SymbolicOutcome(
            False, "; ".join(steps) + f"; the outer loop needs |1 - alpha sigma^2| < 1, but "
            f"alpha sigma^2 in {outer} is allowed: A = [3/2 0], b = 1, theta = (2/3, 0), "
            "z0 = 0, alpha = 1 (alpha ||A||^2 = 9/4): the outer loop diverges",
            _instance([[F(3, 2), F(0)]], [F(1)], [F(0), F(0)], [F(0), F(0)], F(1), setting))
    steps.append("every step size allowed makes both loops contract")
    for n, d in thm4.SYMBOLIC_SHAPES:
        output, theta = composed_limit(n, d, setting.projector)
        gap = sp.simplify(output - theta)
        if gap != sp.zeros(d, 1):
            return SymbolicOutcome(
                False, "; ".join(steps) + f"; for {n}x{d} the output minus theta is "
                f"{list(gap)}: e.g. A = [1 0], b = 1, theta = (1, 1), z0 = 0, alpha = 1/2 "
                "gives (1, 0)",
                _instance([[F(1), F(0)]], [F(1)], [F(0), F(1)], [F(0), F(0)], F(1, 2), setting))
    return SymbolicOutcome(True, "; ".join(steps) + "; the composed limit equals theta "
                           "identically for shapes " +
                           ", ".join(f"{n}x{d}" for n, d in thm4.SYMBOLIC_SHAPES))


# --------------------------------------------------------------------------- checks, variants


def _checks(setting: Setting, figure: bool) -> tuple[Any, ...]:
    domain = make_domain(setting)
    cap = " and alpha < 2" if setting.inner_cap else ""
    described = (f"Algorithm 1 ({setting.projector} inner projector) outputs theta, "
                 f"alpha ||A||^2 < {setting.outer_bound:g}{cap}")
    hp = algorithm_margin_hp(setting)
    prop = Property(domain, algorithm_margin(setting, TRIAL_STEPS), hp, TOLERANCE,
                    rigorous=True, description=described)
    searched = Property(domain, algorithm_margin(setting, SEARCH_STEPS), hp, TOLERANCE,
                        rigorous=True, description=described)
    checks: list[Any] = [symbolic("derivation", lambda: symbolic_algorithm(setting), replay=hp),
                         trials("output", prop, sampler=_sampler(domain, setting), count=256)]
    if figure:
        fig = Property(_fig_domain(), _fig_float, _fig_hp, TOLERANCE, rigorous=True,
                       description="Fig. 2.1: x + y = 0, Algorithm 1 reaches (10, -10), GD "
                       "from range(A^T) reaches (0, 0)")
        checks.append(trials("figure-2.1", fig, count=64))
    checks.append(search("search", searched, evaluations=SEARCH_EVALUATIONS))
    return tuple(checks)


CLAIM = Claim(
    id="INIT-Alg1",
    paper=INIT,
    location="§2.2, Algorithm 1, the paragraph after it and Figure 2.1",
    statement=STATEMENT,
    asymptotic=True,
    notes=(
        "Claimed of it (quoted): \"" + CLAIM_TEXT + "\" The algorithm states no condition on "
        "alpha (alpha in R); the checks use Theorem 4's ||A||^2 < 2/alpha (alpha > 0 by §2.1), "
        "the only one the section gives. Both loops use the same alpha; the inner one "
        "converges only for alpha < 2 (INIT-Thm4's notes; verified: at alpha = 2 it "
        "alternates, above it diverges, unless V2 V2^T z0 = theta - theta* already), which "
        "Theorem 4's bound implies only when ||A|| >= 1. Rank-deficient A is outside: the "
        "line theta* <- A^T (A A^T)^-1 b is undefined. d = n is inside (V2 is empty, the "
        "inner loop is constant, theta = theta*); b = 0 is inside (Fig. 2.1). Figure 2.1's "
        "plotted data are not in the text: its two end points (10, -10) and (0, 0) are "
        "reproduced."
    ),
    variants=(
        Variant(
            "as-printed",
            "Algorithm 1 run as printed (rank(A) = n <= d, theta a solution, any z0, alpha > 0 "
            "with alpha ||A||^2 < 2) outputs theta. Refuted: for ||A|| < 1 the bound allows "
            "alpha >= 2 and the inner loop never converges; e.g. A = [1/2 0], b = 1/2, "
            "theta = (1, 1), z0 = 0, alpha = 3. Fig. 2.1 itself is reproduced.",
            _checks(Setting(inner_cap=False), figure=True),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "corrected",
            "Added alpha < 2 (alpha < min(2, 2/||A||^2)), so that the inner loop, GD on "
            "1/2 ||V2 V2^T z - (theta - theta*)||^2 with ||V2 V2^T|| = 1, converges: then the "
            "output is theta for every z0. Asymptotic, so at best supported.",
            _checks(Setting(inner_cap=True), figure=True),
            expected=Verdict.SUPPORTED,
        ),
        Variant(
            "mutant:outer-bound-4",
            "Planted: alpha ||A||^2 < 4 (with alpha < 2) instead of < 2; the outer loop "
            "diverges for alpha sigma_max^2 in (2, 4).",
            _checks(Setting(inner_cap=True, outer_bound=4.0), figure=False),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:v1-projector",
            "Planted: the inner loop uses V1 V1^T instead of V2 V2^T (with alpha < 2); the "
            "output is then V2 V2^T z0 + theta*, not theta.",
            _checks(Setting(inner_cap=True, projector="V1"), figure=False),
            expected=Verdict.REFUTED,
        ),
    ),
)
