r"""INIT-Cor3 — Corollary 3 of §2.2 (seed 004, "On the Role of Initialization on the Implicit
Bias in Deep Learning").

As printed:

    Corollary 3. If  $\mathbf{y}_0 \in \mathbf{range}\left(\mathbf{A}^T\right)$  and
    $\alpha > 0$  is such that the iteration converges to a stationary point, then
    $\mathbf{y}_{\infty} = \boldsymbol{\theta}^{\star}$ . A trivial choice for  $\mathbf{y}_0$
    that ensures that  $\mathbf{y}_0 \in \mathbf{range}\left(\mathbf{A}^T\right)$  is
    $\mathbf{y}_0 = 0$ .

for GD ``y_{k+1} = y_k - alpha A^T (A y_k - b)`` under the standing assumptions (d > n,
rank(A) = n, b != 0, theta* the minimum-norm solution). The proof: every y_k = A^T v_k
(Lemma 2), the limit is a stationary point, hence a solution (A^T has full column rank), and
in range(A^T), hence theta* (Lemma 1).

Verdict: the corollary holds (asymptotic, so at best supported).

* ``fixed-point`` (certified per instance, every alpha > 0, also alpha ||A||^2 >= 2 where the
  hypothesis "converges" needs special y_0): the proof's finite part in exact rationals — the
  iterates of the core's GD stay in range(A^T) for EXACT_STEPS steps, the GD map has exactly
  one fixed point in range(A^T) (the system ``A^T A A^T u = A^T b`` has a unique solution),
  and it is theta* computed from its definition (:func:`lem1.theta_star_exact`);
* ``gd-limit``: float64 GD on the numeric core from y_0 = A^T v (a quarter of them y_0 = 0,
  the paper's "trivial choice") with ``alpha ||A||^2`` in (0, 2), where the iteration
  converges, run until the a-posteriori bound ``||y_K - y_inf|| <= ||A^T (A y_K - b)|| /
  sigma_min(A)^2`` is below CONVERGED_RTOL of the scale; ``||y_K - theta*|| - bound`` is a
  lower bound on ``||y_inf - theta*||``. Two limit certificates, valid without running GD,
  are re-checked exactly: ``delta_N = ||P_ker(A)(y_0 - L)||`` (GD never changes the
  ker(A)-component, so every iterate is that far from a claimed limit L) and ``delta_F =
  ||A^T (A L - b)|| / ||A||_F^2`` (a limit is a fixed point F and ``||L - F|| >= delta_F``).

The planted mutants (y_0 anywhere; limit theta* + y_0) are refuted by delta_N exactly.
"""

from __future__ import annotations

from collections.abc import Callable
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
from verify.core.networks import gd_step
from verify.core.safe_linalg import solve_or_nan
from verify.domain import Batch, Domain, Instance, Property, Real, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "Corollary 3. If  $\\mathbf{y}_0 \\in \\mathbf{range}\\left(\\mathbf{A}^T\\right)$  and  "
    "$\\alpha > 0$  is such that the iteration converges to a stationary point, then  "
    "$\\mathbf{y}_{\\infty} = \\boldsymbol{\\theta}^{\\star}$ . A trivial choice for  "
    "$\\mathbf{y}_0$  that ensures that  $\\mathbf{y}_0 \\in \\mathbf{range}\\left("
    "\\mathbf{A}^T\\right)$  is  $\\mathbf{y}_0 = 0$ ."
)

CONVERGED_RTOL = 1e-11
"""GD has converged when the a-posteriori bound is below this fraction of the scale."""
TRIAL_STEPS, SEARCH_STEPS = 2000, 200
TOLERANCE = Tolerance(rtol=1e-8, atol=1e-12)

Claimed = str
"""The claimed limit and the initial point: ``"theta*"`` from y_0 = A^T v (the corollary),
``"theta*-any-y0"`` from y_0 = A^T v + z, ``"theta*+y0"`` from y_0 = A^T v (mutants)."""


# --------------------------------------------------------------------------- the limit


def _repair(batch: Batch) -> Batch:
    return {**batch, "alpha": lem1.step_size(batch["A"], batch["step"])}


def _b_nonzero(batch: Batch) -> np.ndarray:
    return lem1.norm(batch["b"]) > 0


def make_domain(step_high: float) -> Domain:
    """d > n, rank(A) = n, b != 0, v (y_0 = A^T v), z, ``step = alpha ||A||^2`` in
    (0, step_high)."""
    return lem1.make_domain(
        (Vector("b", "n"), Vector("v", "n"), Vector("z", "d"),
         Real("step", 0.0, step_high, open_low=True, open_high=True)),
        full_rank=True, d_gt_n=True, repair=_repair, hypothesis=_b_nonzero)


def _start_float(batch: Batch, claimed: Claimed) -> np.ndarray:
    y0 = lem1.mtv(batch["A"], batch["v"])
    return y0 + batch["z"] if claimed == "theta*-any-y0" else y0


def limit_margin(claimed: Claimed, max_steps: int) -> Callable[[Batch], tuple[np.ndarray,
                                                                            np.ndarray]]:
    """Batched float64 margin of ``y_inf = L``: the certificates delta_N, delta_F and, once
    the core's GD has measurably converged, ``||y_K - L|| - bound``; NaN (not counted) for
    runs that neither converged nor carry a certified violation."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        A, b, alpha = batch["A"], batch["b"], batch["alpha"]
        P_N, pinv = lem1.projectors(A)
        y0 = _start_float(batch, claimed)
        theta = lem1.mv(pinv, b)
        L = theta + y0 if claimed == "theta*+y0" else theta
        scale = lem1.norm(y0) + lem1.norm(L)
        certified = np.maximum(
            lem1.norm(lem1.mv(P_N, y0 - L)),
            lem1.norm(lem1.mtv(A, lem1.mv(A, L) - b)) / np.sum(A**2, axis=(1, 2)))
        smin = np.linalg.svd(A, compute_uv=False)[:, -1]
        loss = lem2.regression_loss(A, b)
        y, bound = y0, np.full(y0.shape[0], np.inf)
        done = TOLERANCE.violated(certified, scale)
        for k in range(max_steps):
            y = np.where(done[:, None], y, gd_step([y[:, None, :]], loss, alpha)[0][:, 0, :])
            if k % 50 == 49 or k == max_steps - 1:
                grad = lem1.mtv(A, lem1.mv(A, y) - b)
                bound = np.where(done, bound, lem1.norm(grad) / smin**2)
                done |= bound <= CONVERGED_RTOL * scale
                if done.all():
                    break
        converged = bound <= CONVERGED_RTOL * scale
        excess = np.where(converged, np.maximum(certified, lem1.norm(y - L) - bound), certified)
        unknown = ~converged & ~TOLERANCE.violated(certified, scale)
        return np.where(unknown, np.nan, excess), scale

    return margin


def exact_setting(inst: Instance, bound: float | None) -> dict[str, Any] | None:
    """A, b, alpha exactly and theta* from its definition; None off the hypotheses (d > n,
    rank(A) = n, b != 0, alpha > 0 and, when ``bound`` is given, alpha ||A||^2 < bound by
    Sylvester's criterion on ``(bound/alpha) I - A A^T``)."""
    A, b = lx.matrix(inst["A"]), lx.column(inst["b"])
    alpha = lx.to_fmpq(inst["alpha"])
    n, d = A.nrows(), A.ncols()
    if d <= n or lx.rank(A) != n or lx.squared_norm(b) == 0 or alpha <= 0:
        return None
    if bound is not None and not lx.is_positive_definite(
            lx.identity(n) * (lx.to_fmpq(bound) / alpha) - A * A.transpose()):
        return None
    return {"A": A, "b": b, "alpha": alpha, "theta": lem1.theta_star_exact(A, b)}


def limit_margin_hp(claimed: Claimed) -> Callable[[Instance, int], Any]:
    """The certificates delta_N and delta_F exactly (square roots as balls)."""

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        s = exact_setting(inst, 2.0)
        if s is None:
            return None
        A, b = s["A"], s["b"]
        y0 = A.transpose() * lx.column(inst["v"])
        if claimed == "theta*-any-y0":
            y0 = y0 + lx.column(inst["z"])
        L = s["theta"] + y0 if claimed == "theta*+y0" else s["theta"]
        with flint.ctx.workprec(lem1.prec(digits)):
            delta_N = lem1.arb_norm(lx.squared_norm(lx.null_space_projector(A) * (y0 - L)))
            delta_F = lem1.arb_norm(lx.squared_norm(A.transpose() * (A * L - b))) / \
                flint.arb(lx.squared_norm(A))
            scale = lem1.arb_norm(lx.squared_norm(y0)) + lem1.arb_norm(lx.squared_norm(L))
            return delta_N.max(delta_F), scale

    return margin_hp


# --------------------------------------------------------------------------- the proof, exactly


def range_fixed_point(A: flint.fmpq_mat, b: flint.fmpq_mat) -> flint.fmpq_mat | None:
    """The fixed point ``F = A^T u`` of the GD map in range(A^T): ``A^T (A A^T u - b) = 0``;
    None unless it is unique (``A^T A A^T`` of full column rank n). u solves the system
    multiplied by A (equivalent when A^T is injective)."""
    G = A * A.transpose()
    if lx.rank(A.transpose() * G) != A.nrows():
        return None
    return A.transpose() * (G * G).solve(G * b)


def _fixed_point_float(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    """float64 twin of :func:`_fixed_point_hp` (relative, scale 1): the range(A^T)-defect of
    y_1..y_K (:func:`lem2.defect_margin`) and ``||F - theta*|| / ||theta*||`` with
    ``F = A^T (A A^T)^{-1} b`` from the fixed-point equation (theta* != 0 as b != 0)."""
    defect, _ = lem2.defect_margin("range", lem2.EXACT_STEPS)(batch)
    A, b = batch["A"], batch["b"]
    G = A @ np.swapaxes(A, 1, 2)
    F = lem1.mtv(A, solve_or_nan(G, b))
    theta = lem1.mv(lem1.projectors(A)[1], b)
    return np.maximum(defect, lem1.norm(F - theta) / lem1.norm(theta)), np.ones_like(defect)


def _fixed_point_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
    """Exact: ``max_k ||P_ker y_k|| / ||y_k||`` over EXACT_STEPS steps from y_0 = A^T v, and
    the relative distance of the unique fixed point in range(A^T) (also checked to be fixed)
    from theta*; a missing or non-unique fixed point counts as a violation of size 1."""
    s = exact_setting(inst, None)
    if s is None:
        return None
    A, b = s["A"], s["b"]
    F = range_fixed_point(A, b)
    if F is None or lx.squared_norm(A.transpose() * (A * F - b)) != 0:
        with flint.ctx.workprec(lem1.prec(digits)):
            return flint.arb(1), flint.arb(1)
    gap = max(lem2.exact_defects(inst, "range"),
              lx.squared_norm(F - s["theta"]) / lx.squared_norm(s["theta"]))
    with flint.ctx.workprec(lem1.prec(digits)):
        return lem1.arb_norm(gap), flint.arb(1)


# --------------------------------------------------------------------------- symbolic


@cache
def stationary_in_range(n: int, d: int) -> bool:
    """For generic symbolic A (n x d): the stationary points ``grad L(y) = 0`` (gradient
    derived entrywise) with ``y = A^T u`` form the single point theta* (derived as a
    constrained minimum by :func:`thm4.min_norm_solution`)."""
    A, b, y, _, grad = thm4.loss_gradient(n, d)
    u = sp.symbols(f"u1:{n + 1}", real=True)
    Au = A.T * sp.Matrix(u)
    equations = grad.subs(dict(zip(y, Au, strict=True)), simultaneous=True)
    solutions = list(sp.linsolve(list(equations), u))
    if len(solutions) != 1 or any(e.free_symbols & set(u) for e in solutions[0]):
        return False
    point = A.T * sp.Matrix(solutions[0])
    return sp.simplify(point - thm4.min_norm_solution(A, b)) == sp.zeros(d, 1)


@cache
def range_start_has_no_v2_part(n: int, d: int) -> bool:
    """In the SVD coordinates of :func:`thm4.candidate_symbolic` (A = Sigma, V = I), y_0 =
    A^T u has zero V2-block, so Theorem 4's limit ``V2 V2^T y_0 + theta*`` is theta*."""
    s = sp.symbols(f"s1:{n + 1}", positive=True)
    Sigma = sp.Matrix(n, d, lambda i, j: s[i] if i == j else 0)
    u = sp.Matrix(sp.symbols(f"u1:{n + 1}", real=True))
    c = sp.Matrix(sp.symbols(f"c1:{n + 1}", real=True))
    limit = thm4.candidate_symbolic("V2", Sigma, Sigma.T * u, c)
    return sp.simplify(limit - thm4.min_norm_solution(Sigma, c)) == sp.zeros(d, 1)


def symbolic_corollary() -> SymbolicOutcome:
    """The stationary point in range(A^T) is theta*, and the GD limit from y_0 in range(A^T)
    (Theorem 4's derivation for rank n, alpha ||A||^2 < 2) is theta*."""
    shapes = [(1, 2), (2, 3)]
    if not all(stationary_in_range(n, d) for n, d in shapes):
        return SymbolicOutcome(False, "a stationary point in range(A^T) differs from theta*")
    limit = thm4.symbolic_derivation("V2", True, 2.0)
    if not limit.holds:
        return SymbolicOutcome(None, "Theorem 4's derivation did not go through: " +
                               limit.details)
    if not all(range_start_has_no_v2_part(n, d) for n, d in thm4.SYMBOLIC_SHAPES if n < d):
        return SymbolicOutcome(False, "y_0 = A^T u has a V2 component")
    return SymbolicOutcome(True, "for generic symbolic A (1x2, 2x3) the only stationary point "
                           "y = A^T u (gradient derived entrywise) is argmin_{Ax=b} ||x||; "
                           "GD limit derived (rank n, alpha ||A||^2 < 2): " + limit.details +
                           "; for y_0 = A^T u its V2 V2^T y_0 term vanishes, leaving theta*")


# --------------------------------------------------------------------------- checks, variants


def _sampler(domain: Domain) -> Callable[[np.random.Generator, int], list[Batch]]:
    """Every admissible (n, d) in turn; ``alpha ||A||^2`` in [0.2, 1.96] (a third in
    [1.9, 1.97], near the bound); a quarter with v = 0 (y_0 = 0); A kept when
    sigma_max / sigma_min <= 4, so that GD converges measurably within TRIAL_STEPS."""

    def sample(rng: np.random.Generator, count: int) -> list[Batch]:
        combos = domain.all_dims()
        batches = []
        for i, dims in enumerate(combos):
            m = count // len(combos) + (1 if i < count % len(combos) else 0)
            if m == 0:
                continue
            batch = domain.sample(rng, 6 * m, dims)
            near = rng.random(6 * m) < 1 / 3
            step = np.where(near, rng.uniform(1.9, 1.97, 6 * m), rng.uniform(0.2, 1.9, 6 * m))
            v = np.where(rng.random((6 * m, 1)) < 0.25, 0.0, batch["v"])
            sv = np.linalg.svd(batch["A"], compute_uv=False)
            keep = np.flatnonzero(sv[:, 0] <= 4 * sv[:, -1])[:m]
            batch = {**batch, "step": step, "v": v, "alpha": lem1.step_size(batch["A"], step)}
            batches.append({k: (x[keep] if isinstance(x, np.ndarray) else x)
                            for k, x in batch.items()})
        return batches

    return sample


def _checks(claimed: Claimed) -> tuple[Any, ...]:
    domain = make_domain(2.0)
    described = {"theta*": "y_inf = theta* from y_0 in range(A^T)",
                 "theta*-any-y0": "y_inf = theta* from any y_0",
                 "theta*+y0": "y_inf = theta* + y_0 from y_0 in range(A^T)"}[claimed]
    limit = Property(domain, limit_margin(claimed, TRIAL_STEPS), limit_margin_hp(claimed),
                     TOLERANCE, description=described + ", alpha ||A||^2 < 2")
    searched = Property(domain, limit_margin(claimed, SEARCH_STEPS), limit_margin_hp(claimed),
                        TOLERANCE, description=described + ", alpha ||A||^2 < 2")
    checks: list[Any] = [trials("gd-limit", limit, sampler=_sampler(domain), count=256),
                         search("search", searched)]
    if claimed == "theta*":
        wide = make_domain(lem2.STEP_HIGH)
        proof = Property(wide, _fixed_point_float, _fixed_point_hp, TOLERANCE, rigorous=True,
                         description="y_k in range(A^T) (exact, "
                         f"{lem2.EXACT_STEPS} steps) and the unique fixed point there is "
                         f"theta*, alpha ||A||^2 in (0, {lem2.STEP_HIGH:g})")
        checks = [symbolic("derivation", symbolic_corollary),
                  trials("fixed-point", proof, count=256), *checks]
    return tuple(checks)


CLAIM = Claim(
    id="INIT-Cor3",
    paper=INIT,
    location="§2.2, Corollary 3 and its proof",
    statement=STATEMENT,
    asymptotic=True,
    notes=(
        "Standing assumptions of §2.1 (d > n, rank(A) = n, b != 0). The hypothesis 'alpha "
        "is such that the iteration converges' is sampled as alpha ||A||^2 < 2 (where GD "
        "always converges); for larger alpha GD converges only from special y_0, and the "
        "exact 'fixed-point' check covers those step sizes too: whatever y_0 in range(A^T), "
        "the only possible limit in range(A^T) is theta*. y_0 = 0 is a quarter of the "
        "trials."
    ),
    variants=(
        Variant(
            "as-printed",
            "The corollary as printed under the standing assumptions; asymptotic, so at best "
            "supported.",
            _checks("theta*"),
            expected=Verdict.SUPPORTED,
        ),
        Variant(
            "mutant:any-y0",
            "Planted: the hypothesis y_0 in range(A^T) dropped; GD keeps y_0's ker(A) "
            "component, so the limit is theta* + P_ker(A) y_0.",
            _checks("theta*-any-y0"),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:limit-shifted",
            "Planted: y_inf = theta* + y_0 (the initial point not forgotten).",
            _checks("theta*+y0"),
            expected=Verdict.REFUTED,
        ),
    ),
)
