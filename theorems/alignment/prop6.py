"""ALIGN-Prop6 (App. F, Proposition 6; seed 000: Proposition 5): 1-dimensional outputs, convex
C^2 losses.

Printed statement: "Assuming gradient descent avoids the point where all parameters are zero,
alignment is an invariant of training for any linear fully connected network f: R^{k_0} -> R,
any convex, twice continuously differentiable loss function, and data (X, Y) in R^{k_0 x n} x
R^{1 x n} for which the network can achieve zero training error."

Unlike Proposition 1, convergence to zero error is now a conclusion (Definition 3). Checked:

* frames frozen (Definition 3 (a)-(c)) from the rank-one aligned witness for the squared loss
  exactly over K = 3 steps, logistic and exponential losses in mpmath (as ALIGN-Prop1);
* zero training error in the limit from App. F's initialization (``W_1 = 0``, layers 2..d
  rank one, aligned, equal values 1, i.e. balanced) for the squared loss on interpolable data
  ``y = w*^T X`` with well-conditioned X (sigma_min(X) >= 1/2, n >= k_0): the loss after
  STEPS float64 GD steps is below 1e-8 of the initial loss, re-run in ball arithmetic
  (python-flint arb; the margin is the ball); a run still decreasing at STEPS (slow, e.g.
  ill-conditioned X) is left out rather than counted as a violation, and only a run that does
  not move (a stationary start) can refute. Asymptotic (t -> oo), so at best supported.

Mutant: dropping "GD avoids the point where all parameters are zero" (all layers initialised
at 0): the gradient vanishes, the loss never decreases.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from theorems.alignment.prop1 import (
    LOSSES,
    frames,
    invariance_property,
    make_loss,
    run_steps,
)
from theorems.papers import ALIGN
from verify.checks import trials
from verify.claims import Claim, Variant
from verify.core.alignment import aligned_layers, aligned_layers_exact
from verify.core.hp import arb_backend, entries, precision, to_backend
from verify.core.networks import end_to_end, gd
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (r"**Proposition 6.** Assuming gradient descent avoids the point where all "
             r"parameters are zero, alignment is an invariant of training for any linear fully "
             r"connected network  $f: \mathbb{R}^{k_0} \to \mathbb{R}$ , any convex, twice "
             r"continuously differentiable loss function, and data  $(X,Y) \in "
             r"\mathbb{R}^{k_0 \times n} \times \mathbb{R}^{1 \times n}$  for which the network "
             r"can achieve zero training error.")

STEPS = 600
RATIO = 1e-8
"""Zero error in the limit, measured: loss(STEPS) <= RATIO * loss(0)."""
STUCK = 1 - 1e-9
"""A run whose loss ratio stays above STUCK has not moved (a stationary start): a violation.
Runs still decreasing after STEPS steps (RATIO < ratio < STUCK) decide nothing about the
limit and are left out (inadmissible), never counted as violations."""
EXTRA_DIGITS = 60
"""Extra working digits of the ball re-run (the balls stay tight on a contracting run)."""


def _repair(batch: Batch) -> Batch:
    out = dict(batch)
    for key in ("X", "w", "R0", "R1", "R2"):
        out[key] = np.round(4 * batch[key]) / 4
    return out


def _conditioned(batch: Batch) -> np.ndarray:
    """Hypothesis of the convergence check: sigma_min(X) >= 1/2 and a non-zero target."""
    smin = np.linalg.svd(batch["X"], compute_uv=False)[..., -1]
    return (smin >= 0.5) & (np.abs(batch["w"]).sum(axis=-1) > 0)


CONV_DOMAIN = Domain(
    (Integer("d", 2, 3), Integer("k0", 1, 3), Integer("h", 1, 2), Integer("n", 1, 4),
     Matrix("R0", "k0", "k0"), Matrix("R1", "h", "h"), Matrix("R2", "h", "h"),
     Matrix("X", "k0", "n", -2.0, 2.0), Vector("w", "k0"), Real("zero", 0.0, 1.0)),
    hypothesis=_conditioned, repair=_repair, dims_ok=lambda dm: dm["n"] >= dm["k0"])
"""Interpolable data y = w^T X; widths k_0 <= n, hidden width h, depth 2..3."""


def _lr(X: np.ndarray, d: int, n: int) -> np.ndarray:
    """gamma = n / (4 d ||X||_2^2), rounded down to a power of two (exact in the re-run)."""
    top = np.linalg.svd(X, compute_uv=False)[..., 0] ** 2
    return 2.0 ** np.floor(np.log2(n / (4 * d * top)))


def app_f_layers(inst: Any, F: list[Any], exact: bool, all_zero: bool) -> list[Any]:
    """App. F's initialization: W_1 = 0, W_i = F_i e_1 e_1^T F_{i-1}^T (value 1) for i >= 2;
    ``all_zero``: every layer 0 (the excluded point)."""
    d = inst["d"]
    if exact:
        one = Fraction(0) if all_zero else Fraction(1)
        return aligned_layers_exact(F, [[0, 0, 0]] + [[one, 0, 0]] * (d - 1))
    B = inst["X"].shape[0]
    one = np.zeros(B) if all_zero else np.ones(B)
    return aligned_layers(F, [np.zeros((B, 1))] + [one[:, None]] * (d - 1))


def convergence_property(all_zero: bool = False) -> Property:
    """Squared loss, App. F's initialization: loss(STEPS) / loss(0) <= RATIO (excess on the
    ratio, scale 1; the data have a non-zero target, so loss(0) > 0). A run that is still
    decreasing after STEPS steps (``RATIO < ratio < STUCK``) is slow, not a counterexample to
    a statement about the limit: its margin is NaN (left out of the trials)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        d, n = batch["d"], batch["n"]
        X = batch["X"]
        y = (batch["w"][:, None, :] @ X)[:, 0, :]
        F = frames(batch, exact=False)
        W = app_f_layers(batch, F, False, all_zero)
        run = gd(W, make_loss("squared", X, y), _lr(X, d, n), STEPS)
        ratio = run.final_loss / run.losses[0]
        slow = (ratio > RATIO) & (ratio < STUCK)
        return np.where(slow, np.nan, ratio - RATIO), np.ones_like(ratio)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        d, n = inst["d"], inst["n"]
        Xf = inst["X"].astype(float)
        if np.linalg.svd(Xf, compute_uv=False)[-1] < 0.5:
            return None
        X = inst["X"]
        y = np.array([sum((inst["w"][a] * X[a][j] for a in range(len(X))), Fraction(0))
                      for j in range(n)], dtype=object)
        lr = Fraction(float(_lr(Xf[None], d, n)[0]))
        F = frames(inst, exact=True)
        W = app_f_layers(inst, F, True, all_zero)
        xp = arb_backend(digits + EXTRA_DIGITS)
        loss = make_loss("squared", X, y)
        with precision(xp):
            Wb = to_backend([np.array(entries(w), dtype=object) for w in W], xp)
            first = loss.value(end_to_end(Wb, xp), xp)
            last = run_steps(Wb, loss, xp.scalar(lr), STEPS, xp)[-1]
            final = loss.value(end_to_end(last, xp), xp)
            ratio = final / first
            if ratio > xp.scalar(Fraction(RATIO)) and ratio < xp.scalar(Fraction(STUCK)):
                return None
            return ratio - xp.scalar(Fraction(RATIO)), 1

    return Property(CONV_DOMAIN, margin, margin_hp, Tolerance(0.0, 0.0),
                    description=f"squared loss, App. F init: loss({STEPS}) <= {RATIO} loss(0)")


CONVERGENCE = convergence_property()

CLAIM = Claim(
    id="ALIGN-Prop6",
    paper=ALIGN,
    location="App. F, Proposition 6 (000: App. F, Proposition 5)",
    statement=STATEMENT,
    asymptotic=True,
    notes=("Seed 000 numbers it Proposition 5 (same wording) and writes sigma_1(W_1) v_1^{(t)T} "
           "where 001 writes v_1^{(t)}; otherwise identical. The proof's convergence argument "
           "initialises W_1 = 0 and equal values in layers 2..d (balanced); that "
           "initialization is the one run here. The statement's 'twice continuously "
           "differentiable' and 'convex' are used only for convergence; the frame invariance "
           "holds for any differentiable loss (ALIGN-Prop1). Depth d = 1 excluded as in "
           "ALIGN-Prop1."),
    variants=(
        Variant("as-printed",
                "rank-one witness keeps the frames (squared exactly; logistic, exponential in "
                "mpmath); from App. F's initialization the squared loss goes to zero (measured)",
                (*(trials(f"frozen-{name}", invariance_property(name),
                          count=64 if name == "squared" else 32) for name in LOSSES),
                 trials("zero-error", CONVERGENCE, count=64)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:start-at-zero",
                "the assumption 'GD avoids the point where all parameters are zero' dropped "
                "(all layers initialised at 0)",
                (trials("zero-error", convergence_property(all_zero=True), count=64),),
                expected=Verdict.REFUTED),
    ),
)
