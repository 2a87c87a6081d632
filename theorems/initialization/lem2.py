r"""INIT-Lem2 — Lemma 2 of §2.2 (seed 004, "On the Role of Initialization on the Implicit
Bias in Deep Learning").

As printed:

    **Lemma 2.** If  $\mathbf{y}_k \in \mathbf{range}\left(\mathbf{A}^T\right)$  for some k
    then  $\mathbf{y}_{k+1} \in \mathbf{range}\left(\mathbf{A}^T\right)$ .

for GD on ``L_{A,b}(y) = 1/2 ||A y - b||_2^2`` with fixed step alpha > 0,
``y_{k+1} = y_k - alpha A^T (A y_k - b)`` (§2.2). The proof writes ``y_k = A^T v_k`` and
``y_{k+1} = A^T (v_k - alpha (A A^T v_k - b))``.

Verdict: the lemma holds, for every alpha > 0 (convergent or not), every rank, every b. The
iteration does not depend on k, so "y_k in range(A^T)" is checked from y_0 = A^T v. Exact:
``||P_ker(A) y_k|| = 0`` for k <= EXACT_STEPS steps of the numeric core's GD step run in
rational arithmetic (:data:`verify.core.hp.FMPQ`), certified on every sampled instance, with
step sizes ``alpha ||A||^2`` in (0, 4) (beyond the convergence bound 2 as well). float64:
the same defect over FLOAT_STEPS steps stays at rounding level. The search also covers
rank-deficient A (A = 0 included), d = n, b = 0 and b outside range(A).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import flint
import numpy as np
import sympy as sp

from theorems.initialization import lem1, thm4
from theorems.papers import INIT
from verify import linalg_exact as lx
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.hp import FMPQ
from verify.core.networks import SquaredLoss, gd_step
from verify.domain import Batch, Domain, Instance, Property, Real, Vector
from verify.verdicts import TINY, Tolerance, Verdict

STATEMENT = (
    "**Lemma 2.** If  $\\mathbf{y}_k \\in \\mathbf{range}\\left(\\mathbf{A}^T\\right)$  for "
    "some k then  $\\mathbf{y}_{k+1} \\in \\mathbf{range}\\left(\\mathbf{A}^T\\right)$ ."
)

EXACT_STEPS = 8
"""GD steps run in exact rationals."""
FLOAT_STEPS = 300
"""GD steps of the float64 runs (alpha ||A||^2 < 4 keeps |y_k| below 3^300: no overflow)."""
STEP_HIGH = 4.0
"""``alpha ||A||^2`` is sampled in (0, STEP_HIGH): convergent and divergent step sizes."""
TOLERANCE = Tolerance(rtol=1e-8, atol=1e-12)

Start = str
"""Initial point and invariant subspace: ``"range"`` (y_0 = A^T v, stays in range(A^T): the
lemma), ``"anywhere"`` (y_0 = A^T v + z, claimed to land in range(A^T)) or ``"kernel"``
(y_0 = P_ker(A) z, claimed to stay in ker(A))."""


# --------------------------------------------------------------------------- the core's GD


def regression_loss(A: Any, b: Any) -> SquaredLoss:
    """``1/2 ||A y - b||^2`` as a core loss on the depth-1 network with weight ``y^T``
    (1 x d): ``SquaredLoss(X = A^T, Y = b^T, "half_sum")``; A (n, d) or (B, n, d), b (n,) or
    (B, n); exact entries (``Fraction`` object arrays) stay exact."""
    A, b = np.asarray(A), np.asarray(b)
    return SquaredLoss(np.swapaxes(A, -1, -2), b[..., None, :], convention="half_sum")


def float_run(A: np.ndarray, b: np.ndarray, y0: np.ndarray, alpha: np.ndarray,
              steps: int) -> list[np.ndarray]:
    """``[y_0, ..., y_K]`` (each (B, d)) by the numeric core's batched GD step."""
    loss = regression_loss(A, b)
    ys = [y0]
    for _ in range(steps):
        ys.append(gd_step([ys[-1][:, None, :]], loss, alpha)[0][:, 0, :])
    return ys


def exact_run(A: Any, b: Any, y0: flint.fmpq_mat, alpha: Any,
              steps: int = EXACT_STEPS) -> list[flint.fmpq_mat]:
    """``[y_0, ..., y_K]`` (columns) by the core's GD step in exact rationals; A (n, d) and
    b (n,) exact (``Fraction``) arrays."""
    loss = regression_loss(np.asarray(A, dtype=object), np.asarray(b, dtype=object))
    eta = FMPQ.scalar(alpha)
    ys, w = [y0], y0.transpose()
    for _ in range(steps):
        w = gd_step([w], loss, eta, xp=FMPQ)[0]
        ys.append(w.transpose())
    return ys


# --------------------------------------------------------------------------- the property


def _repair(batch: Batch) -> Batch:
    return {**batch, "alpha": lem1.step_size(batch["A"], batch["step"])}


def _b_nonzero(batch: Batch) -> np.ndarray:
    return lem1.norm(batch["b"]) > 0


def make_domain(printed: bool) -> Domain:
    """A, b, v (y_0 = A^T v), z, ``step = alpha ||A||^2`` in (0, STEP_HIGH). ``printed``: the
    standing assumptions d > n, rank(A) = n, b != 0; otherwise n <= d, any rank, any b."""
    return lem1.make_domain(
        (Vector("b", "n"), Vector("v", "n"), Vector("z", "d"),
         Real("step", 0.0, STEP_HIGH, open_low=True, open_high=True)),
        full_rank=printed, d_gt_n=printed, repair=_repair,
        hypothesis=_b_nonzero if printed else None)


def initial_float(batch: Batch, start: Start, P_N: np.ndarray) -> np.ndarray:
    """y_0 of the ``start`` (see :data:`Start`) in float64."""
    A = batch["A"]
    if start == "kernel":
        return lem1.mv(P_N, batch["z"])
    y0 = lem1.mtv(A, batch["v"])
    return y0 + batch["z"] if start == "anywhere" else y0


def defect_margin(start: Start, steps: int = FLOAT_STEPS) -> Callable[[Batch], tuple[
        np.ndarray, np.ndarray]]:
    """max over 1 <= k <= steps of the distance of y_k from the claimed subspace (range(A^T),
    or ker(A) for ``"kernel"``) relative to ``s_k = max(max_{j<=k} ||y_j||, alpha ||A||_F
    ||b||)`` (0 when s_k = 0); scale 1. Relative to the running maximum, so that diverging
    runs (alpha ||A||^2 > 2) are measured at every step and runs converging to 0 (b = 0)
    keep rounding at its size; the floor is the size of the increment's data ``alpha A^T b``
    (rounding in A^T b when it vanishes exactly)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        P_N, _ = lem1.projectors(batch["A"])
        P = P_N if start != "kernel" else np.eye(P_N.shape[-1]) - P_N
        ys = float_run(batch["A"], batch["b"], initial_float(batch, start, P_N),
                       batch["alpha"], steps)
        floor = batch["alpha"] * np.linalg.norm(batch["A"], axis=(1, 2)) * lem1.norm(batch["b"])
        sizes = np.maximum(np.maximum.accumulate([lem1.norm(y) for y in ys], axis=0), floor)
        defect = np.max([np.where(size > 0, lem1.norm(lem1.mv(P, y)) / np.maximum(size, TINY),
                                  0.0) for y, size in zip(ys[1:], sizes[1:], strict=True)],
                        axis=0)
        return defect, np.ones_like(defect)

    return margin


def initial_exact(inst: Instance, start: Start, A: flint.fmpq_mat) -> flint.fmpq_mat:
    """y_0 of the ``start`` exactly."""
    if start == "kernel":
        return lx.null_space_projector(A) * lx.column(inst["z"])
    y0 = A.transpose() * lx.column(inst["v"])
    return y0 + lx.column(inst["z"]) if start == "anywhere" else y0


def exact_defects(inst: Instance, start: Start, steps: int = EXACT_STEPS) -> flint.fmpq:
    """``max_{1<=k<=K} ||P y_k||^2 / s_k^2`` exactly (s_k of :func:`defect_margin`; 0 while
    s_k = 0; P the projector onto the complement of the claimed subspace), the y_k by the
    core's exact GD step."""
    A = lx.matrix(inst["A"])
    P = lx.null_space_projector(A)
    if start == "kernel":
        P = lx.identity(A.ncols()) - P
    ys = exact_run(inst["A"], inst["b"], initial_exact(inst, start, A), inst["alpha"], steps)
    alpha = lx.to_fmpq(inst["alpha"])
    floor = alpha * alpha * lx.squared_norm(A) * lx.squared_norm(lx.column(inst["b"]))
    worst, size = flint.fmpq(0), max(lx.squared_norm(ys[0]), floor)
    for y in ys[1:]:
        size = max(size, lx.squared_norm(y))
        if size != 0:
            worst = max(worst, lx.squared_norm(P * y) / size)
    return worst


def defect_margin_hp(start: Start, printed: bool) -> Callable[[Instance, int], Any]:
    """:func:`defect_margin` in exact rationals over EXACT_STEPS steps; None off the
    hypotheses (alpha > 0; with ``printed`` also d > n, rank(A) = n, b != 0)."""

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        A = lx.matrix(inst["A"])
        n, d = A.nrows(), A.ncols()
        if lx.to_fmpq(inst["alpha"]) <= 0:
            return None
        if printed and (d <= n or lx.rank(A) != n or lx.squared_norm(lx.column(inst["b"])) == 0):
            return None
        with flint.ctx.workprec(lem1.prec(digits)):
            return lem1.arb_norm(exact_defects(inst, start)), flint.arb(1)

    return margin_hp


# --------------------------------------------------------------------------- symbolic


@cache
def proof_step_identity(n: int, d: int) -> bool:
    """From ``y_k = A^T v`` (symbolic v) the step with the gradient derived entrywise from the
    loss equals the proof's ``A^T (v - alpha (A A^T v - b))``."""
    A, b, y, _, grad = thm4.loss_gradient(n, d)
    alpha = sp.Symbol("alpha", positive=True)
    v = sp.Matrix(sp.symbols(f"v1:{n + 1}", real=True))
    values = dict(zip(y, A.T * v, strict=True))
    step = A.T * v - alpha * grad.subs(values, simultaneous=True)
    return (step - A.T * (v - alpha * (A * A.T * v - b))).expand() == sp.zeros(d, 1)


def symbolic_lemma() -> SymbolicOutcome:
    """The gradient of the loss (entrywise, finite differences) and the proof's identity."""
    if not thm4.gradient_matches_printed(2, 3):
        return SymbolicOutcome(False, "the derived gradient differs from A^T (A y - b)")
    fd = thm4.finite_difference_error(2, 3)
    if fd > 1e-6:
        return SymbolicOutcome(None, f"finite differences disagree with the gradient ({fd:.1e})")
    shapes = [(1, 2), (2, 3), (2, 2)]
    if not all(proof_step_identity(n, d) for n, d in shapes):
        return SymbolicOutcome(False, "the step from y_k = A^T v is not A^T(...)")
    return SymbolicOutcome(True, "grad L = A^T (A y - b) derived entrywise (n=2, d=3; finite "
                           f"differences {fd:.1e}); from y_k = A^T v the GD step equals "
                           "A^T (v - alpha (A A^T v - b)) identically for shapes "
                           + ", ".join(f"{n}x{d}" for n, d in shapes))


# --------------------------------------------------------------------------- checks, variants


def _sampler(domain: Domain) -> Callable[[np.random.Generator, int], list[Batch]]:
    """Every admissible (n, d) in turn; a quarter of the step sizes exactly at the bound
    ``alpha ||A||^2 = 2`` and a quarter beyond it."""

    def sample(rng: np.random.Generator, count: int) -> list[Batch]:
        combos = domain.all_dims()
        batches = []
        for i, dims in enumerate(combos):
            m = count // len(combos) + (1 if i < count % len(combos) else 0)
            if m:
                batch = domain.sample(rng, m, dims)
                kind = rng.integers(0, 4, m)
                step = np.where(kind == 0, 2.0, np.where(kind == 1, rng.uniform(2, STEP_HIGH, m),
                                                         batch["step"]))
                batches.append({**batch, "step": step,
                                "alpha": lem1.step_size(batch["A"], step)})
        return batches

    return sample


def _checks(start: Start) -> tuple[Any, ...]:
    what = {"range": "y_k in range(A^T) for all k when y_0 is",
            "anywhere": "y_k in range(A^T) for k >= 1 from any y_0",
            "kernel": "y_k in ker(A) for all k when y_0 is"}[start]
    printed = make_domain(True)
    prop = Property(printed, defect_margin(start), defect_margin_hp(start, True), TOLERANCE,
                    rigorous=True, description=f"{what} (exact {EXACT_STEPS} steps, float "
                    f"{FLOAT_STEPS} steps, alpha ||A||^2 in (0, {STEP_HIGH:g}))")
    wide = Property(make_domain(False), defect_margin(start), defect_margin_hp(start, False),
                    TOLERANCE, rigorous=True,
                    description=what + " (also rank(A) < n, A = 0, d = n, any b)")
    checks: list[Any] = [trials("invariant", prop, sampler=_sampler(printed), count=256),
                         search("search", wide)]
    if start == "range":
        checks.insert(0, symbolic("derivation", symbolic_lemma))
    return tuple(checks)


CLAIM = Claim(
    id="INIT-Lem2",
    paper=INIT,
    location="§2.2, Lemma 2 and its proof",
    statement=STATEMENT,
    notes=(
        "The GD map does not depend on k, so the invariant is checked from y_0 = A^T v. It "
        "holds for every alpha > 0 (also alpha ||A||^2 >= 2, where GD diverges), every rank "
        "of A and every b (the increment -alpha A^T (A y - b) always lies in range(A^T)); the "
        "search covers rank(A) < n, A = 0, d = n, b = 0 and inconsistent b."
    ),
    variants=(
        Variant(
            "as-printed",
            "The lemma under the standing assumptions (d > n, rank(A) = n, b != 0, alpha > 0): "
            f"y_k in range(A^T) certified in exact arithmetic for {EXACT_STEPS} steps of the "
            f"core's GD on every sampled instance; float64 over {FLOAT_STEPS} steps.",
            _checks("range"),
            expected=Verdict.SUPPORTED,
        ),
        Variant(
            "mutant:no-hypothesis",
            "Planted: the hypothesis dropped (y_{k+1} in range(A^T) for any y_k); false when "
            "y_k has a component in ker(A), which GD never changes.",
            _checks("anywhere"),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:kernel-invariant",
            "Planted: range(A^T) replaced by ker(A) (y_k in ker(A) implies y_{k+1} in ker(A)); "
            "false for b != 0: A y_{k+1} = alpha A A^T b.",
            _checks("kernel"),
            expected=Verdict.REFUTED,
        ),
    ),
)
