"""ALIGN-Prop1 (§4.2, Proposition 1; proof in App. F): 1-dimensional outputs keep alignment.

Printed statement: "Alignment is an invariant of training for any linear fully connected network
f: R^{k_0} -> R, any real-valued loss function, and data (X, Y) in R^{k_0 x n} x R^{1 x n} for
which gradient descent minimizes the loss to zero."

Definition 3 is existential: some initialization must keep (a) alignment, (b) the frames of
layers 2..d-1 and (c) U_1, V_d, while GD reaches zero error (here a hypothesis on the data).
The witness of App. F is a *rank-one* aligned initialization ``W_i = sigma_i F_i e_1 e_1^T
F_{i-1}^T``: every layer gradient is then ``c_i F_i e_1 (.)^T`` with the same hidden vectors,
whatever the loss derivative is, so only ``V_1`` (the row of ``W_1``) and the scalar values move.

Checked on the shared core for every depth d in 2..4, input width k_0 in 1..3, hidden width in
1..3 (hidden widths 1 are the degenerate "already rank one" case), n in 1..4, signed or zero
values: the squared loss exactly in rationals over K = 3 GD steps (certified for those steps),
the logistic and exponential losses (labels +-1) in float64 re-checked in mpmath. The
convergence part is the statement's hypothesis (GD minimises the loss to zero) and is not
re-checked here (see ALIGN-Prop6, which proves it).

Depth: d = 1 is left out. For a single layer Definition 3(c) asks U_1 *and* V_d = V_1 to stay
fixed, i.e. the direction of the weight vector; GD on a linear model changes it unless the
interpolant is an eigenvector of X X^T (or GD starts at the optimum, excluded by the Remarks of
§3). This is a degenerate reading of "network" that the paper does not consider (alignment of
adjacent layers is vacuous there); it is recorded in the notes, not tested.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flint
import mpmath
import numpy as np

from theorems.papers import ALIGN
from verify.checks import search, trials
from verify.claims import Claim, Variant
from verify.core.alignment import aligned_layers, aligned_layers_exact, frame_residual
from verify.core.balanced_layers import cayley, cayley_exact
from verify.core.hp import FMPQ, entries, mpmath_backend, precision, to_backend
from verify.core.networks import ExponentialLoss, LogisticLoss, Loss, SquaredLoss, gd_step
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (r"**Proposition 1.** Alignment is an invariant of training for any linear fully "
             r"connected network  $f: \mathbb{R}^{k_0} \to \mathbb{R}$ , any real-valued loss "
             r"function, and data  $(X,Y) \in \mathbb{R}^{k_0 \times n} \times \mathbb{R}^{1 "
             r"\times n}$  for which gradient descent minimizes the loss to zero.")

DEPTH = 4
STEPS = 3
GRID = 4
SQ_TOL = Tolerance(rtol=1e-20, atol=1e-26)
"""On squared frame residuals (float rounding ~1e-30 relative)."""
LOSSES = ("squared", "logistic", "exponential")


def _repair(batch: Batch) -> Batch:
    """Grid-round every raw parameter; ``snap < 1/4`` zeroes the first layer's value (a layer
    through zero), ``snap > 3/4`` zeroes the first sample (a zero input)."""
    out = dict(batch)
    for key in ("X", "yv", "s", "s2", *(f"R{i}" for i in range(DEPTH))):
        out[key] = np.round(GRID * batch[key]) / GRID
    out["lr"] = np.maximum(np.round(64 * batch["lr"]) / 64, 1 / 64)
    out["s"][batch["snap"] < 1 / 4, 0] = 0.0
    out["X"][batch["snap"] > 3 / 4, :, 0] = 0.0
    return out


DOMAIN = Domain(
    (Integer("d", 2, DEPTH), Integer("k0", 1, 3), Integer("h", 1, 3), Integer("n", 1, 4),
     Matrix("R0", "k0", "k0"), *(Matrix(f"R{i}", "h", "h") for i in range(1, DEPTH)),
     Matrix("X", "k0", "n", -2.0, 2.0), Vector("yv", "n", -2.0, 2.0),
     Vector("s", DEPTH, -2.0, 2.0), Vector("s2", DEPTH, -2.0, 2.0), Real("lr", 0.01, 0.25),
     Real("snap", 0.0, 1.0)),
    repair=_repair)


def frames(inst: Any, exact: bool) -> list[Any]:
    """F_0 (k_0), F_1..F_{d-1} (hidden width h), F_d = [1] (the output)."""
    d = inst["d"]
    if exact:
        return ([cayley_exact(inst["R0"])] + [cayley_exact(inst[f"R{i}"]) for i in range(1, d)]
                + [flint.fmpq_mat([[1]])])
    B = inst["X"].shape[0]
    return ([cayley(inst["R0"])] + [cayley(inst[f"R{i}"]) for i in range(1, d)]
            + [np.ones((B, 1, 1))])


def rank_one_layers(inst: Any, F: list[Any], exact: bool, second: bool = False) -> list[Any]:
    """App. F's witness ``W_i = F_i diag(s_i, 0, ..) F_{i-1}^T`` (rank one, aligned); with
    ``second`` also a second value ``s2_i`` (a generic aligned initialization)."""
    d = inst["d"]
    if exact:
        sig = [[inst["s"][i], inst["s2"][i] if second else 0, 0] for i in range(d)]
        return aligned_layers_exact(F, sig)
    zero = np.zeros_like(inst["s"][:, 0])
    sig = [np.stack([inst["s"][:, i], inst["s2"][:, i] if second else zero], axis=-1)
           for i in range(d)]
    return aligned_layers(F, sig)


def labels(y: Any) -> Any:
    """Labels +-1 for the margin losses (sign, 0 -> +1)."""
    if isinstance(y, np.ndarray) and y.dtype != object:
        return np.where(y < 0, -1.0, 1.0)
    return np.array([-1 if v < 0 else 1 for v in y], dtype=object)


def make_loss(name: str, X: Any, y: Any) -> Loss:
    """The loss ``name`` on data X (k_0 x n), targets y (n) (labels +-1 for margin losses)."""
    if name == "squared":
        return SquaredLoss(X, y[..., None, :], "half_mean")
    cls = LogisticLoss if name == "logistic" else ExponentialLoss
    return cls(X, labels(y))


def run_steps(weights: list[Any], loss: Loss, lr: Any, steps: int, xp: Any = None) -> list[Any]:
    """``[W(0), ..., W(steps)]`` by the engine's gd_step (numpy, or backend ``xp``)."""
    out = [weights]
    for _ in range(steps):
        out.append(gd_step(out[-1], loss, lr) if xp is None else
                   gd_step(out[-1], loss, lr, xp=xp))
    return out


def _obj(M: Any) -> np.ndarray:
    """A backend matrix as a numpy object array (for frame_residual on mpmath values)."""
    return np.array(entries(M), dtype=object)


InitFn = Callable[[Any, list[Any], bool], list[Any]]


def invariance_property(loss_name: str, init: InitFn = rank_one_layers, strong: bool = False,
                        domain: Domain = DOMAIN) -> Property:
    """From ``init``, STEPS GD steps on ``loss_name`` keep the frames of Definition 3 (weak:
    U_1, hidden frames, V_d; ``strong``: also V_1) exactly (squared loss) or in mpmath."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        F = frames(batch, exact=False)
        W = init(batch, F, False)
        traj = run_steps(W, make_loss(loss_name, batch["X"], batch["yv"]), batch["lr"], STEPS)
        return frame_residual(traj, F, strong=strong)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        F = frames(inst, exact=True)
        W = init(inst, F, True)
        if loss_name == "squared":
            loss = make_loss(loss_name, inst["X"], inst["yv"])
            traj = run_steps(W, loss, FMPQ.scalar(inst["lr"]), STEPS, FMPQ)
            return frame_residual(traj, F, strong=strong)
        xp = mpmath_backend(digits + 10)
        with precision(xp):
            loss = make_loss(loss_name, inst["X"], inst["yv"])
            Wm = to_backend([np.array(entries(w), dtype=object) for w in W], xp)
            traj = run_steps(Wm, loss, xp.scalar(inst["lr"]), STEPS, xp)
            Fm = [np.array([[mpmath.mpf(int(q.p)) / int(q.q) for q in row] for row in entries(f)],
                           dtype=object) for f in F]
            return frame_residual([[_obj(w) for w in ws] for ws in traj], Fm, strong=strong)

    kind = "strong" if strong else "weak"
    return Property(domain, margin, margin_hp, SQ_TOL, rigorous=loss_name == "squared",
                    description=f"{loss_name} loss: {kind} frames frozen for {STEPS} GD steps")


def _generic(inst: Any, F: list[Any], exact: bool) -> list[Any]:
    return rank_one_layers(inst, F, exact, second=True)


SMALL = Domain(tuple(Integer(v.name, 2, 2) if isinstance(v, Integer) else v
                     for v in DOMAIN.variables), repair=_repair)
"""d = k_0 = h = n = 2: the smallest case where a second value or V_1 can move."""


def _variant_checks(loss_names: tuple[str, ...]) -> tuple[Any, ...]:
    out: list[Any] = []
    for name in loss_names:
        prop = invariance_property(name)
        out.append(trials(f"frozen-{name}", prop, count=64 if name == "squared" else 32))
    out.append(search("frozen-search-squared", invariance_property("squared")))
    return tuple(out)


CLAIM = Claim(
    id="ALIGN-Prop1",
    paper=ALIGN,
    location="§4.2 (1-dimensional Outputs, Proposition 1); proof App. F",
    statement=STATEMENT,
    notes=("Proved in App. F as Proposition 6 (000: Proposition 5) for convex C^2 losses. "
           "Witness: rank-one aligned initialization (App. F); checked for the squared loss "
           "exactly, logistic and exponential in mpmath. Depth d = 1 is not tested: there "
           "Definition 3(c) freezes both frames of the single layer (the weight direction), "
           "which GD does not keep unless the interpolant is an eigenvector of X X^T; the "
           "paper's networks are meant to have layers to align (d >= 2). The hypothesis 'GD "
           "minimizes the loss to zero' is taken as given (convergence: ALIGN-Prop6)."),
    variants=(
        Variant("as-printed",
                "d in 2..4, k_0 in 1..3, hidden width 1..3, squared / logistic / exponential "
                "loss: the rank-one aligned witness keeps U_1, the hidden frames and V_d",
                _variant_checks(LOSSES), expected=Verdict.SUPPORTED),
        Variant("mutant:any-aligned-init",
                "every aligned initialization (here with a second non-zero value) keeps the "
                "frames (the rank-one choice of the witness dropped)",
                (trials("frozen-squared", invariance_property("squared", _generic,
                                                              domain=SMALL), count=64),),
                expected=Verdict.REFUTED),
        Variant("mutant:strong",
                "strong alignment is invariant (V_1 frozen too) with the rank-one witness",
                (trials("frozen-squared", invariance_property("squared", strong=True,
                                                              domain=SMALL), count=64),),
                expected=Verdict.REFUTED),
    ),
)
