"""ALIGN-Lem1 (App. A, Lemma 1): for square layers, alignment invariant => strong alignment
invariant.

Printed: "Let {W_i}_{i=1}^d subset R^{k x k}, where d >= 3. If alignment is an invariant of
training under the squared loss for network f = W_d W_{d-1} ... W_1 on data (X, Y) in R^{k x n}
x R^{k x n}, then strong alignment is also invariant."

Both sides are Definition 3, which is existential in the initialization (and asks for zero
training error in the limit). Read literally the lemma compares two existence statements about
the data; its proof argues per initialization ("the initialization satisfies ... Therefore
V_1^(t+1) = V_1^(t)"), using "Since each of the Sigma_j are square, full rank matrices".

**Same initialization: false** (planted as ``mutant:same-initialization``, the proof's
reading). Data with a rank-one interpolant ``Y = F_d (g e_1 e_1^T) F_0^T X`` and the
initialization ``W_1 = F_1 e_1 w^T F_0^T`` (w not along e_1), interior ``W_i = F_i Sigma_i
F_{i-1}^T``, ``W_d = F_d diag(c, 0, ...) F_{d-1}^T``: the weak frames are kept for all t (the
structure of ALIGN-Eq4's rank-one family; exactly for K = 2 rational steps), the loss goes to
zero (measured: float64, 500 steps, below 1e-8 of the initial loss), yet the frame-free
strong invariance defect is positive: no choice of V_1 (nor U_d) stays frozen, because the
row of W_1 must turn from w to e_1.

**Literal reading: supported, not proved.** On exactly these data (where alignment is an
invariant through the initialization above) strong alignment is also an invariant, through a
different initialization: ALIGN-Thm1's rank-deficient "landing" construction (W_1 of rank one
along e_1, a zero interior singular value in that mode, learning rate chosen so that the mode
reaches g in one step) keeps every frame, is stationary from t = 1 with zero loss and has a
non-zero first step (exact certificate). This covers every family in which alignment was found
invariant without strong alignment (for invertible layers at all t the proof is valid); no
general argument is known, so the verdict is 'supported' at most.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import flint
import numpy as np

from theorems.alignment.thm1 import (
    DEPTH,
    _obj,
    frames_exact,
    frames_float,
    invariance_certificate,
    landing_instance,
    quantize,
)
from theorems.papers import ALIGN
from verify.checks import search, trials
from verify.claims import Claim, Variant
from verify.core.alignment import (
    aligned_layers,
    aligned_layers_exact,
    frame_residual,
    invariance_defect,
    squared_loss,
    trajectory,
    trajectory_exact,
)
from verify.core.networks import gd
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (r"**Lemma 1.** Let  $\{W_i\}_{i=1}^d \subset \mathbb{R}^{k \times k}$ , where  $d "
             r"\geq 3$ . If alignment is an invariant of training under the squared loss for "
             r"network  $f = W_d W_{d-1} \dots W_1$  on data  $(X,Y) \in \mathbb{R}^{k \times n} "
             r"\times \mathbb{R}^{k \times n}$ , then strong alignment is also invariant.")

STEPS = 2
"""Exact GD steps of the frozen-frame certificates."""
CONVERGENCE_STEPS = 500
CONVERGENCE_RATIO = 1e-8


def _repair(batch: Batch) -> Batch:
    """Grid-rounded inputs; the first singular values (and X's first frame row) bounded away
    from zero, w with a component off e_1 (so V_1 has to turn)."""
    batch = quantize(batch, ("Xr", "Sg", "w"))
    sg = batch["Sg"].copy()
    sg[:, :, 0] = np.where(np.abs(sg[:, :, 0]) < 0.5, 0.5, sg[:, :, 0])
    Xr = batch["Xr"].copy()
    Xr[:, 0, 0] = np.where(np.abs(Xr[:, 0, 0]) < 0.5, 1.0, Xr[:, 0, 0])
    w = batch["w"].copy()
    w[:, 1] = np.where(np.abs(w[:, 1]) < 0.25, 0.25, w[:, 1])
    w[:, 0] = np.where(np.abs(w[:, 0]) < 0.25, 0.5, w[:, 0])
    return dict(batch, Sg=sg, Xr=Xr, w=w, family=np.ones_like(batch["family"]))


VARIABLES = (Integer("k", 2, 3), Integer("d", 3, DEPTH), Integer("n", 2, 3),
             *(Matrix(f"R{i}", "k", "k") for i in range(DEPTH + 1)), Matrix("Xr", "k", "n"),
             Matrix("Sg", DEPTH, "k", 0.5, 1.5), Vector("w", "k", -1.0, 1.0),
             Real("g", 0.5, 2.0), Real("lr", 0.08, 0.16), Real("family", 0.0, 1.0),
             Real("snap", 0.0, 1.0))
DOMAIN = Domain(VARIABLES, repair=_repair)
IDENTITY_FRAMES = Domain(
    VARIABLES, repair=lambda b: dict(_repair(b), **{f"R{i}": np.zeros_like(b[f"R{i}"])
                                                   for i in range(DEPTH + 1)}))
"""Identity frames (R_i = 0): the mutant's counterexample does not depend on the frames, and
fixed frames keep its shrinking cheap.

``DOMAIN``: ``family`` is pinned to 1: ALIGN-Thm1's rank-deficient landing branch builds the data
``X = F_0 Xr``, ``Y = F_d diag(g, 0, ...) Xr`` and the strong witness."""


def weak_initialization(inst: Instance, F: list[Any]) -> list[Any]:
    """W_1 = F_1 e_1 w^T F_0^T, W_i = F_i Sigma_i F_{i-1}^T (1 < i < d), W_d = F_d diag(c, 0,
    ...) F_{d-1}^T with c = Sigma_d[0]."""
    d, k = inst["d"], inst["k"]
    sg = [[Fraction(v) for v in inst["Sg"][i][:k]] for i in range(d)]
    sg[d - 1][1:] = [Fraction(0)] * (k - 1)
    W = aligned_layers_exact(F, sg)
    row = flint.fmpq_mat(k, k)
    for j in range(k):
        row[0, j] = flint.fmpq(inst["w"][j].numerator, inst["w"][j].denominator)
    W[0] = F[1] * row * F[0].transpose()
    return W


def _converges(W0: list[Any], X: Any, Y: Any, lr: Fraction) -> bool:
    """Float64 GD from W0: final loss below CONVERGENCE_RATIO x initial (measured)."""
    floats = [np.array([[[int(w[i, j].p) / int(w[i, j].q) for j in range(w.ncols())]
                         for i in range(w.nrows())]]) for w in W0]
    Xf = np.asarray(_obj(X), dtype=float)[None]
    Yf = np.asarray(_obj(Y), dtype=float)[None]
    run = gd(floats, squared_loss(Xf, Yf), float(lr), CONVERGENCE_STEPS)
    return bool(run.final_loss[0] <= CONVERGENCE_RATIO * run.losses[0][0])


def weak_case(inst: Instance) -> dict[str, Any] | None:
    """The data and the weak initialization, when alignment is an invariant through it:
    weak frames kept exactly for STEPS steps and the loss measured to go to zero."""
    case = landing_instance(inst)
    if case is None:
        return None
    F = frames_exact(inst, inst["d"])
    W0 = weak_initialization(inst, F)
    traj = trajectory_exact(W0, _obj(case["X"]), _obj(case["Y"]), inst["lr"], STEPS)
    if frame_residual(traj, F, strong=False)[0] != 0 or not _converges(
            W0, case["X"], case["Y"], inst["lr"]):
        return None
    return dict(case, weak=traj)


def _float_case(batch: Batch) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """Batched float64 twin of :func:`weak_case`: (weak W0, X, Y, admissible mask: weak
    frames kept for STEPS float steps and the loss measured to go to zero)."""
    d, k = batch["d"], batch["k"]
    F = frames_float(batch, d)
    e1 = np.zeros(k)
    e1[0] = 1.0
    X = F[0] @ batch["Xr"]
    Y = F[d] @ (batch["g"][:, None, None] * np.outer(e1, e1)) @ batch["Xr"]
    sg = [batch["Sg"][:, i, :k].copy() for i in range(d)]
    sg[d - 1][:, 1:] = 0.0
    W = aligned_layers(F, sg)
    W[0] = F[1] @ (e1[None, :, None] * batch["w"][:, None, :]) @ np.swapaxes(F[0], -1, -2)
    traj = trajectory(W, X, Y, batch["lr"], STEPS)
    e, s = frame_residual(traj, F, strong=False)
    run = gd(W, squared_loss(X, Y), batch["lr"], CONVERGENCE_STEPS)
    ok = (e <= 1e-24 * s) & (run.final_loss <= CONVERGENCE_RATIO * run.losses[0])
    return traj, X, Y, ok


def literal_property() -> Property:
    """Alignment invariant (weak witness) => strong alignment invariant (landing witness,
    exact certificate). Excess -1 when certified, 1 when the certificate fails (float
    stage: -1 on the admissible instances; the certificate is exact only)."""

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        case = weak_case(inst)
        if case is None:
            return None
        return flint.fmpq(-1 if invariance_certificate(case) else 1), flint.fmpq(1)

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        ok = _float_case(batch)[3]
        return np.where(ok, -1.0, np.nan), np.ones(ok.shape)

    return Property(DOMAIN, margin, margin_hp, Tolerance(0.0, 0.0), rigorous=True,
                    description="weak invariant => some strong invariant")


def same_init_property() -> Property:
    """Mutant: the weak initialization itself keeps every frame. Excess: the frame-free strong
    invariance defect over STEPS exact steps (zero for any frozen choice of frames)."""

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        case = weak_case(inst)
        if case is None:
            return None
        return invariance_defect(case["weak"], strong=True)

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        traj, _, _, ok = _float_case(batch)
        e, s = invariance_defect(traj, strong=True)
        return np.where(ok, e, np.nan), s

    return Property(IDENTITY_FRAMES, margin, margin_hp, Tolerance(rtol=1e-20, atol=0.0),
                    rigorous=True, description="the same initialization is strongly invariant")


CLAIM = Claim(
    id="ALIGN-Lem1",
    paper=ALIGN,
    location="App. A, Lemma 1 (seeds 000 and 001; proof text differs, see notes)",
    statement=STATEMENT,
    asymptotic=True,
    notes=("Read literally (Definition 3 is existential) the lemma is supported on every family "
           "where alignment is invariant without strong alignment (a landing initialization "
           "gives strong alignment on the same data), without a proof. The proof's per-"
           "initialization reading is false (rank-one W_1 whose row turns; exact K-step "
           "certificate, convergence measured) and needs 'each of the Sigma_j ... full rank', "
           "which Definition 3 does not provide. Seed differences in the proof: 001 writes "
           "W_1^(t) = U_1 Sigma_1^(t) V_1^(t) (missing transpose) and 'For 0 <= i <= d-1', 000 "
           "writes W_1^(t) = U_1 Sigma_1^(t) V_1^T (V_1 frozen, which is what is to be shown) "
           "and 'For 2 <= i <= d-1'; in the W_d update 001 has 'U_d^(t) Sigma_1^(t) V_d^T' where "
           "000 has 'U_d^(t) Sigma_d^(t) V_d^(t)T', and 001's conclusion 'U_d^(t) U_d^(t+1) is "
           "also diagonal' lacks 000's transpose on U_d^(t)."),
    variants=(
        Variant("as-printed",
                "literal: on data where alignment is an invariant (weak witness: exact frames, "
                "measured convergence), strong alignment is an invariant too (landing witness, "
                "exact certificate)",
                (trials("literal", literal_property(), count=64),
                 search("literal-search", literal_property(), evaluations=160)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:same-initialization",
                "the proof's reading: the initialization that keeps alignment also keeps V_1 "
                "and U_d",
                (trials("same-init", same_init_property(), count=32),),
                expected=Verdict.REFUTED),
    ),
)
