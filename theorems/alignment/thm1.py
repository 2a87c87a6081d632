"""ALIGN-Thm1 (§4.1, Theorem 1): when is alignment an invariant of training (square layers)?

Printed statement: "Let f: R^k -> R^k be a linear fully connected network with d >= 3 square
layers of size k > 1. Alignment is an invariant of training under the squared loss on a dataset
(X, Y) in R^{k x n} x R^{k x n} if and only if there exist orthonormal matrices U, V in
R^{k x k} such that U^T Y X^T V and V^T X X^T V are diagonal."

"Alignment is an invariant of training" is Definition 3: *there exists* an initialization from
which, for all GD steps, the network is aligned, the frames of layers 2..d-1 and U_1, V_d are
not updated, and the limit has zero training error; the Remarks of §3 add that the gradient at
initialization is non-zero and that (X, Y) is interpolable (Y = M X for some M). The loss is
``1/(2n) sum ||y_i - f(x_i)||^2`` (eq. (2)); its GD step is eq. (8). Theorem 1's data condition
is decided exactly by the commutator criterion ``[X X^T, A^T A] = 0``, ``A = Y X^T``
(:mod:`verify.core.alignment_condition`); Definitions 1-3 are in
:mod:`verify.core.alignment`.

**If (condition => invariant).** Data built as ``X = V S_x P^T``, ``Y = U S_y P^T`` (rational
Cayley frames U, V, P; diagonal S_x, S_y with zero, tied and signed entries, S_y zero where S_x
is: exactly the interpolable data meeting the condition) and the witness initialization
``W_i = F_i Sigma_i F_{i-1}^T`` with ``F_d = U``, ``F_0 = V``, arbitrary hidden frames and any
diagonals: the frames stay frozen (strongly) for K = 3 exact rational GD steps (certified for
those steps), and from the initialization of Proposition 2 the loss goes to 0 (measured in
float64 over a long run; re-checked by the per-mode recursion in mpmath, which is what GD is
once the frames are frozen).

**Only if: refuted.** The existential initialization of Definition 3 may be degenerate. Two
exact families, both with one "moving" mode that reaches its optimum in one step (learning rate
chosen for that) and all other modes already at their optimum:

* full-rank layers, k >= 3: ``V^T X X^T V = lambda (+) B_P`` with B_P not diagonal and the
  frozen block at its optimum ``S_P`` (Y = U diag(D*) V^T X). Smallest: d = k = 3,
  ``X = [[1,0,0],[0,1,1],[0,0,1]]``, ``Y = diag(8,1,2) X``, ``W_1 = diag(1,1,2)``,
  ``W_2 = W_3 = I``, ``gamma = 3/7``: one step gives ``W = diag(2,1,2), diag(2,1,1),
  diag(2,1,1)`` with product ``diag(8,1,2)``: zero loss, zero gradient, all frames frozen.
* rank-deficient layers, k >= 2: ``W_1`` of rank one and a zero interior singular value in
  that mode (the construction of Proposition 1 / App. F), rank-one interpolant.

In both, (X, Y) violates the condition (exactly: the commutator is non-zero), yet Definition 3
holds exactly for *all* t (the trajectory is stationary from t = 1 on, with zero loss). The
proofs (App. A, Lemmas 1-2) assume full-rank Sigma_j and "not initialized at the optimal
value", neither of which is in Definition 3.

**Corrected.** The "only if" holds for initializations with invertible layers at t = 0, 1 whose
singular-value products all change in the first step: then the interior update of eq. (8)
forces matrix (4) to be diagonal at t = 0 and t = 1, hence ``(S(1) - S(0)) V^T X X^T V`` is
diagonal, so ``V^T X X^T V`` and then ``U^T Y X^T V`` are. Checked on random violating data and
random aligned full-rank initializations (any frames, tied singular values): the frame-free
invariance defect over two exact steps (t = 0, 1, 2) is never zero.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import flint
import mpmath
import numpy as np

from theorems.papers import ALIGN
from verify.checks import search, trials
from verify.claims import Claim, Variant
from verify.core.alignment import (
    aligned_layers,
    aligned_layers_exact,
    frame_residual,
    invariance_defect,
    matrix4,
    squared_loss,
    trajectory,
    trajectory_exact,
)
from verify.core.alignment_condition import condition_defect, condition_defect_exact
from verify.core.balanced_layers import cayley, cayley_exact
from verify.core.hp import FMPQ
from verify.core.hp_linalg import to_fmpq_mat
from verify.core.networks import gd
from verify.domain import (
    Batch,
    Domain,
    Instance,
    Integer,
    Matrix,
    Property,
    Real,
    Vector,
    to_exact,
)
from verify.verdicts import Tolerance, Verdict

STATEMENT = (r"**Theorem 1.** Let  $f: \mathbb{R}^k \to \mathbb{R}^k$  be a linear fully connected "
             r"network with  $d \geq 3$  square layers of size k > 1. Alignment is an invariant "
             r"of training under the squared loss on a dataset  $(X,Y) \in \mathbb{R}^{k \times "
             r"n} \times \mathbb{R}^{k \times n}$  if and only if there exist orthonormal "
             r"matrices  $U, V \in \mathbb{R}^{k \times k}$  such that  $U^T Y X^T V$  and  "
             r"$V^T X X^T V$  are diagonal.")

DEPTH = 4
"""Largest depth sampled (d in {3, 4})."""
STEPS = 3
"""Exact GD steps of the frozen-frame checks."""
SQ_TOL = Tolerance(rtol=1e-20, atol=0.0)
"""On squared defects: float rounding gives ~1e-30 relative, a genuine defect >= ~1e-8."""
BREAK_STEPS = 2
"""Exact steps of the corrected 'only if' check (t = 0, 1, 2, as in its proof)."""
CONVERGENCE_STEPS = 600
CONVERGENCE_TOL = Tolerance(rtol=1e-12, atol=0.0)


# --------------------------------------------------------------------------- shared builders


def frames_float(batch: Batch, d: int) -> list[np.ndarray]:
    """Frames F_0..F_d (Cayley transforms of R0..Rd)."""
    return [cayley(batch[f"R{i}"]) for i in range(d + 1)]


def frames_exact(inst: Instance, d: int) -> list[Any]:
    return [cayley_exact(inst[f"R{i}"]) for i in range(d + 1)]


def _snap(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    out = values.copy()
    out[mask] = np.round(2 * out[mask]) / 2
    return out


def _frame_vars(k: str = "k") -> tuple[Matrix, ...]:
    return tuple(Matrix(f"R{i}", k, k) for i in range(DEPTH + 1))


GRID = 8
"""Raw matrices and learning rates are rounded to multiples of 1/GRID (1/GRID^2 for rates),
so that the exact rational GD steps stay small (Cayley frames of dyadic 53-bit entries make
the exact trajectories needlessly expensive) and ties and zeros are frequent."""


def quantize(batch: Batch, keys: tuple[str, ...]) -> Batch:
    """Round the raw matrices ``keys`` (and R0..R4, lr) to the grid."""
    out = dict(batch)
    for key in keys + tuple(f"R{i}" for i in range(DEPTH + 1)):
        if key in out:
            out[key] = np.round(GRID * out[key]) / GRID
    if "lr" in out:
        out["lr"] = np.maximum(np.round(GRID**2 * out["lr"]) / GRID**2, 1 / GRID**2)
    return out


# --------------------------------------------------------------------------- if direction


def _if_repair(batch: Batch) -> Batch:
    """Where ``snap < 1/3`` round S_x, S_y, Sigma to halves (zeros, ties); where
    ``snap < 1/6`` also zero the last singular value of X. S_y vanishes where S_x does
    (interpolable data)."""
    batch = quantize(batch, ("P", "Yr"))
    snap = batch["snap"] < 1 / 3
    sx, sy, sg = (_snap(batch[key], snap) for key in ("sx", "sy", "Sg"))
    sx[batch["snap"] < 1 / 6, -1] = 0.0
    k, n = batch["k"], batch["n"]
    m = min(k, n)
    sx[:, m:] = 0.0
    sy = np.where(sx == 0.0, 0.0, sy)
    return dict(batch, sx=sx, sy=sy, Sg=sg)


IF_DOMAIN = Domain(
    (Integer("k", 2, 4), Integer("d", 3, DEPTH), Integer("n", 2, 5), *_frame_vars(),
     Matrix("P", "n", "n"), Vector("sx", "k", -2.0, 2.0), Vector("sy", "k", -2.0, 2.0),
     Matrix("Sg", DEPTH, "k", -2.0, 2.0), Real("lr", 0.01, 0.5), Real("snap", 0.0, 1.0)),
    repair=_if_repair)


def _diag_rect(s: np.ndarray, rows: int, cols: int) -> np.ndarray:
    out = np.zeros((s.shape[0], rows, cols))
    m = min(rows, cols)
    out[:, np.arange(m), np.arange(m)] = s[:, :m]
    return out


def _diag_rect_exact(s: Any, rows: int, cols: int) -> Any:
    out = flint.fmpq_mat(rows, cols)
    for j in range(min(rows, cols)):
        out[j, j] = FMPQ.scalar(s[j])
    return out


def condition_data(batch: Batch, d: int) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Data meeting the condition (X = V S_x P^T, Y = U S_y P^T) and the frames."""
    F = frames_float(batch, d)
    k, n = batch["k"], batch["n"]
    Pt = np.swapaxes(cayley(batch["P"]), -1, -2)
    X = F[0] @ _diag_rect(batch["sx"], k, n) @ Pt
    Y = F[d] @ _diag_rect(batch["sy"], k, n) @ Pt
    return X, Y, F


def condition_data_exact(inst: Instance, d: int) -> tuple[Any, Any, list[Any]]:
    F = frames_exact(inst, d)
    k, n = inst["k"], inst["n"]
    Pt = cayley_exact(inst["P"]).transpose()
    X = F[0] * _diag_rect_exact(inst["sx"], k, n) * Pt
    Y = F[d] * _diag_rect_exact(inst["sy"], k, n) * Pt
    return X, Y, F


def if_property() -> Property:
    """Data meeting the condition + aligned init with the witness frames: every frame stays
    frozen for STEPS exact GD steps (strong alignment, so also alignment)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        d = batch["d"]
        X, Y, F = condition_data(batch, d)
        W0 = aligned_layers(F, [batch["Sg"][:, i] for i in range(d)])
        return frame_residual(trajectory(W0, X, Y, batch["lr"], STEPS), F, strong=True)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        d = inst["d"]
        X, Y, F = condition_data_exact(inst, d)
        W0 = aligned_layers_exact(F, [inst["Sg"][i] for i in range(d)])
        traj = trajectory_exact(W0, _obj(X), _obj(Y), inst["lr"], STEPS)
        return frame_residual(traj, F, strong=True)

    return Property(IF_DOMAIN, margin, margin_hp, SQ_TOL, rigorous=True,
                    description=f"witness frames frozen for {STEPS} exact GD steps")


def _obj(M: Any) -> np.ndarray:
    """An fmpq_mat as an object array of Fractions (for SquaredLoss data)."""
    return np.array([[Fraction(int(M[i, j].p), int(M[i, j].q)) for j in range(M.ncols())]
                     for i in range(M.nrows())], dtype=object)


def b_diagonal_property() -> Property:
    """Mutant data: only V^T X X^T V diagonal (X = V S_x P^T, Y free); witness-style init
    with F_0 = V, F_d = U (Cayley of R_d): frames frozen for STEPS exact steps."""
    domain = Domain((*IF_DOMAIN.variables, Matrix("Yr", "k", "n")), repair=_if_repair)

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        d = batch["d"]
        X, _, F = condition_data(batch, d)
        W0 = aligned_layers(F, [batch["Sg"][:, i] for i in range(d)])
        return frame_residual(trajectory(W0, X, batch["Yr"], batch["lr"], STEPS), F,
                              strong=False)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        d = inst["d"]
        X, _, F = condition_data_exact(inst, d)
        W0 = aligned_layers_exact(F, [inst["Sg"][i] for i in range(d)])
        traj = trajectory_exact(W0, _obj(X), inst["Yr"], inst["lr"], STEPS)
        return frame_residual(traj, F, strong=False)

    return Property(domain, margin, margin_hp, SQ_TOL, rigorous=True,
                    description="only V^T X X^T V diagonal: frames frozen (mutant)")


# --------------------------------------------------------------------------- convergence


CONV_DOMAIN = Domain(
    (Integer("k", 2, 4), Integer("d", 3, DEPTH), Integer("n", 2, 5), *_frame_vars(),
     Matrix("P", "n", "n"), Vector("sx", "k", 1.0, 2.0), Vector("sy", "k", 0.5, 2.0),
     Real("snap", 0.0, 1.0)),
    repair=lambda b: _conv_repair(b))


def _conv_repair(batch: Batch) -> Batch:
    """snap < 1/3: zero the last target singular value (lambda' = 0 < lambda); snap < 1/6:
    zero the last singular value of X too (a mode with lambda = lambda' = 0)."""
    batch = quantize(batch, ("P",))
    sx, sy = batch["sx"].copy(), batch["sy"].copy()
    sy[batch["snap"] < 1 / 3, -1] = 0.0
    sx[batch["snap"] < 1 / 6, -1] = 0.0
    m = min(batch["k"], batch["n"])
    sx[:, m:] = 0.0
    sy = np.where(sx == 0.0, 0.0, sy)
    return dict(batch, sx=sx, sy=sy)


def _prop2_init(lam: np.ndarray, lamp: np.ndarray, d: int, n: int) -> tuple[np.ndarray, Any]:
    """Proposition 2's initialization: every layer's k-th value (lambda'_k / (2 lambda_k))^(1/d)
    (product half the optimum; 0 where lambda'_k = 0, a mode already at its optimum), and its
    learning rate bound gamma = n ln 2 / d min_k sigma_k^2 lambda_k / lambda'_k^2."""
    ratio = np.divide(lamp, lam, out=np.zeros_like(lamp), where=lam > 0)
    sig = (ratio / 2) ** (1.0 / d)
    active = lamp > 0
    bound = np.where(active, sig**2 * lam / np.where(active, lamp, 1.0) ** 2, np.inf)
    return sig, n * np.log(2) / d * bound.min(axis=-1)


def convergence_property() -> Property:
    """From the witness frames and Proposition 2's initialization, the loss after
    CONVERGENCE_STEPS steps is below 1e-12 of the initial loss (Definition 3's zero training
    error, measured)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        d, k, n = batch["d"], batch["k"], batch["n"]
        X, Y, F = condition_data(batch, d)
        m = min(k, n)
        lam, lamp = batch["sx"][:, :m] ** 2, batch["sy"][:, :m] * batch["sx"][:, :m]
        sig, lr = _prop2_init(lam, lamp, d, n)
        W = aligned_layers(F, [sig] * d)
        run = gd(W, squared_loss(X, Y), lr, CONVERGENCE_STEPS)
        return run.final_loss, run.losses[0]

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        d, k, n = inst["d"], inst["k"], inst["n"]
        m = min(k, n)
        with mpmath.workdps(digits):
            sx = [mpmath.mpf(inst["sx"][j].numerator) / inst["sx"][j].denominator
                  for j in range(m)]
            sy = [mpmath.mpf(inst["sy"][j].numerator) / inst["sy"][j].denominator
                  for j in range(m)]
            lam = [s * s for s in sx]
            lamp = [a * b for a, b in zip(sy, sx, strict=True)]
            sig = [(lp / lm / 2) ** (mpmath.mpf(1) / d) if lp > 0 else mpmath.mpf(0)
                   for lp, lm in zip(lamp, lam, strict=True)]
            lr = n * mpmath.log(2) / d * min(
                (s * s * lm / lp**2 for s, lm, lp in zip(sig, lam, lamp, strict=True) if lp > 0),
                default=mpmath.mpf(1))
            # per-mode recursion (eq. (6), the frames being frozen): sigma_i += lr/n
            # prod_{j != i} sigma_j (lambda' - lambda prod sigma)
            sig_l = [[s] * d for s in sig]

            def loss_of(sl: list[list[Any]]) -> Any:
                total = mpmath.mpf(0)
                for sv, lm, yy in zip(sl, lam, sy, strict=True):
                    prod = mpmath.fprod(sv)
                    # ||y_k - prod x_k||^2 in the mode: (sy - prod sx)^2
                    total += (yy - prod * mpmath.sqrt(lm)) ** 2
                return total / (2 * n)

            first = loss_of(sig_l)
            for _ in range(CONVERGENCE_STEPS):
                new = []
                for sv, lm, lp in zip(sig_l, lam, lamp, strict=True):
                    prod = mpmath.fprod(sv)
                    res = lp - lm * prod
                    new.append([sv[i] + lr / n * mpmath.fprod(sv[:i] + sv[i + 1:]) * res
                                for i in range(d)])
                sig_l = new
            return loss_of(sig_l), first

    return Property(CONV_DOMAIN, margin, margin_hp, CONVERGENCE_TOL,
                    description=f"loss after {CONVERGENCE_STEPS} steps <= 1e-12 x initial")


# --------------------------------------------------------------------------- only if


def _cex_repair(batch: Batch) -> Batch:
    batch = quantize(batch, ("Xr", "Sg"))
    snap = batch["snap"] < 1 / 2
    return dict(batch, Sg=_snap(batch["Sg"], snap))


CEX_DOMAIN = Domain(
    (Integer("k", 2, 4), Integer("d", 3, DEPTH), Integer("n", 2, 5), *_frame_vars(),
     Matrix("Xr", "k", "n"), Matrix("Sg", DEPTH, "k", -2.0, 2.0), Real("g", 0.1, 2.0),
     Real("family", 0.0, 1.0), Real("snap", 0.0, 1.0)),
    repair=_cex_repair)
"""One moving mode (index 0) landing on its optimum in one step; ``family < 1/2``: full-rank
layers with ``V^T X X^T V = lambda (+) B_P``; otherwise rank-deficient layers."""


def landing_instance(inst: Instance) -> dict[str, Any] | None:
    """The exact construction of the "only if" counterexample families (module docstring):
    frames, layers, data and learning rate, or None when degenerate (lambda = 0, gamma <= 0)."""
    d, k, n = inst["d"], inst["k"], inst["n"]
    F = frames_exact(inst, d)
    Fr = Fraction
    Xr = [[Fr(v) for v in row] for row in inst["Xr"]]
    sg = [[Fr(inst["Sg"][i][j]) for j in range(k)] for i in range(d)]
    full = inst["family"] < Fr(1, 2)
    if full:
        Xp = [[Xr[0][0]] + [Fr(0)] * (n - 1)] + [[Fr(0), *Xr[r][1:]] for r in range(1, k)]
    else:
        Xp = Xr
        for j in range(1, k):
            sg[0][j] = Fr(0)
        sg[1][0] = Fr(0)
    lam = sum((v * v for v in Xp[0]), Fr(0))
    if lam == 0:
        return None
    if full:
        prod0 = _prod(sg[i][0] for i in range(d))
        g = Fr(inst["g"])
        moved = [sg[i][0] + g * _prod(sg[m][0] for m in range(d) if m != i) for i in range(d)]
        target0 = _prod(moved)
        if target0 == prod0:
            return None
        c = g / ((target0 - prod0) * lam)
    else:
        others = _prod(sg[i][0] for i in range(d) if i != 1)
        if others == 0:
            return None
        target0 = Fr(inst["g"])
        c = 1 / (others * others * lam)
    if c <= 0:
        return None
    targets = [target0] + [_prod(sg[i][j] for i in range(d)) for j in range(1, k)]
    Xq = F[0] * to_fmpq_mat(np.array(Xp, dtype=object))
    Yq = F[d] * _diag_rect_exact(targets, k, k) * to_fmpq_mat(np.array(Xp, dtype=object))
    W0 = aligned_layers_exact(F, sg)
    return {"F": F, "W0": W0, "X": Xq, "Y": Yq, "lr": c * n}


def _prod(values: Any) -> Fraction:
    out = Fraction(1)
    for v in values:
        out *= v
    return out


def invariance_certificate(case: dict[str, Any]) -> bool:
    """Definition 3 holds exactly for all t: strong frames frozen over steps 0..2, W(2) = W(1)
    (a fixed point of GD, so W(t) = W(1) for all t >= 1) with zero loss, W(1) != W(0)
    (non-zero gradient at initialization)."""
    traj = trajectory_exact(case["W0"], _obj(case["X"]), _obj(case["Y"]), case["lr"], 2)
    excess, _ = frame_residual(traj, case["F"], strong=True)
    if excess != 0 or traj[2] != traj[1] or traj[1] == traj[0]:
        return False
    W = traj[1][0]
    for w in traj[1][1:]:
        W = w * W
    return squared_loss(_obj(case["X"]), _obj(case["Y"])).value(W, xp=FMPQ) == 0


def only_if_property() -> Property:
    """Alignment (even strong alignment) is invariant, exactly => Theorem 1's condition.
    Excess: the squared commutator ||[X X^T, A^T A]||_F^2 (zero iff the condition holds)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        size = batch["Xr"].shape[0]
        excess, scale = np.full(size, np.nan), np.ones(size)
        for b in range(size):
            inst = {key: (val[b] if isinstance(val, np.ndarray) else val)
                    for key, val in batch.items()}
            case = landing_instance(to_exact(inst))
            if case is None:
                continue
            X, Y = _float(case["X"]), _float(case["Y"])
            e, s = condition_defect(X, Y)
            excess[b], scale[b] = e, s
        return excess, scale

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        case = landing_instance(inst)
        if case is None or not invariance_certificate(case):
            return None
        return condition_defect_exact(_obj(case["X"]), _obj(case["Y"]))

    return Property(CEX_DOMAIN, margin, margin_hp, SQ_TOL, rigorous=True,
                    description="exactly invariant alignment => commutator criterion")


def _float(M: Any) -> np.ndarray:
    return np.array([[int(M[i, j].p) / int(M[i, j].q) for j in range(M.ncols())]
                     for i in range(M.nrows())])


# --------------------------------------------------------------------------- corrected


def _gen_repair(batch: Batch) -> Batch:
    """Non-zero singular values (|sigma| >= 1/4); snap < 1/3: rounded to halves (ties)."""
    batch = quantize(batch, ("X", "Y", "Sg"))
    sg = _snap(batch["Sg"], batch["snap"] < 1 / 3)
    sg = np.where(np.abs(sg) < 0.25, np.where(sg < 0, -0.25, 0.25), sg)
    return dict(batch, Sg=sg)


GEN_DOMAIN = Domain(
    (Integer("k", 2, 4), Integer("d", 3, DEPTH), Integer("n", 2, 5), *_frame_vars(),
     Matrix("X", "k", "n"), Matrix("Y", "k", "n"), Matrix("Sg", DEPTH, "k", -2.0, 2.0),
     Real("lr", 0.01, 0.3), Real("snap", 0.0, 1.0)),
    repair=_gen_repair, dims_ok=lambda dims: dims["n"] >= dims["k"])


def _generic_hypothesis(X: np.ndarray, Y: np.ndarray, F: list[np.ndarray],
                        W0: list[np.ndarray]) -> np.ndarray:
    """Violating data (condition fails), X X^T invertible, diag of (4) non-zero at t = 0."""
    e, s = condition_defect(X, Y)
    B = X @ np.swapaxes(X, -1, -2)
    well = np.linalg.cond(B) < 1e8
    M4 = matrix4(W0, F, X, Y)
    diag = np.abs(np.diagonal(M4, axis1=-2, axis2=-1)).min(axis=-1)
    return (e > 1e-8 * s) & well & (diag > 1e-8 * np.linalg.norm(M4, axis=(-2, -1)))


def generic_break_property() -> Property:
    """Violating data + a generic aligned init (invertible layers, diag of (4) non-zero):
    after BREAK_STEPS exact steps the frame-free invariance defect is positive (alignment broke).
    Excess 1 when the defect is zero (a violation), else -defect/scale."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        d = batch["d"]
        F = frames_float(batch, d)
        W0 = aligned_layers(F, [batch["Sg"][:, i] for i in range(d)])
        X, Y = batch["X"], batch["Y"]
        e, s = invariance_defect(trajectory(W0, X, Y, batch["lr"], BREAK_STEPS))
        rel = np.divide(e, s, out=np.zeros_like(e), where=s > 0)
        excess = np.where(rel <= 1e-24, 1.0, -rel)
        return np.where(_generic_hypothesis(X, Y, F, W0), excess, np.nan), np.ones_like(e)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        d = inst["d"]
        F = frames_exact(inst, d)
        W0 = aligned_layers_exact(F, [inst["Sg"][i] for i in range(d)])
        Xq = to_fmpq_mat(inst["X"])
        e, _ = condition_defect_exact(inst["X"], inst["Y"])
        M4 = matrix4(W0, F, inst["X"], inst["Y"])
        if e == 0 or (Xq * Xq.transpose()).det() == 0 or \
                any(M4[j, j] == 0 for j in range(inst["k"])):
            return None
        excess, scale = invariance_defect(trajectory_exact(W0, inst["X"], inst["Y"],
                                                           inst["lr"], BREAK_STEPS))
        return (flint.fmpq(1) if excess == 0 else -excess / scale), flint.fmpq(1)

    return Property(GEN_DOMAIN, margin, margin_hp, Tolerance(rtol=0.0, atol=0.0),
                    rigorous=True,
                    description="violating data, generic aligned init: alignment breaks")


CLAIM = Claim(
    id="ALIGN-Thm1",
    paper=ALIGN,
    location="§4.1, Theorem 1 (proof: App. A, D, E)",
    statement=STATEMENT,
    asymptotic=True,
    notes=("Definition 3 quantifies existentially over initializations and needs W^(oo) to "
           "interpolate, hence asymptotic. The 'only if' direction is false: exact "
           "counterexamples with full-rank (k >= 3) or rank-deficient (k >= 2) aligned "
           "initializations that reach zero loss in one step and stay there, on data "
           "violating the condition. The proofs assume full-rank Sigma_j (Lemma 1: 'Since each "
           "of the Sigma_j are square, full rank matrices') and that no singular value starts "
           "at its optimum (Lemma 2: 'satisfied with probability 1'), neither of which "
           "Definition 3 requires. Loss convention: 1/(2n) sum ||y - f(x)||^2 = SquaredLoss "
           "'half_mean' (eq. (2), update (8)); losses.py labels 'sum' as seed 001's, which is "
           "not eq. (2) (the invariance statements do not depend on the scale). File 000 has "
           "the same appendix proof (App. E) with Proposition 2 numbered Proposition 1."),
    variants=(
        Variant("as-printed",
                "both directions: condition => witness frames frozen (exact, K = 3 steps) and "
                "loss -> 0 (measured); exactly invariant alignment => condition",
                (trials("if-frozen", if_property(), count=96),
                 trials("if-converges", convergence_property(), count=32),
                 trials("only-if", only_if_property(), count=48),
                 search("only-if-search", only_if_property(), evaluations=2000)),
                expected=Verdict.REFUTED),
        Variant("corrected",
                "'only if' restricted to initializations with invertible layers whose "
                "singular-value products all move (the hypotheses App. A's proofs use): on "
                "violating data with X X^T invertible, every generic aligned init breaks "
                "alignment within 2 exact steps; the 'if' direction as printed",
                (trials("if-frozen", if_property(), count=96),
                 trials("if-converges", convergence_property(), count=32),
                 trials("generic-break", generic_break_property(), count=96),
                 search("generic-break-search", generic_break_property(), evaluations=1500)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:one-condition",
                "only V^T X X^T V diagonal required (U^T Y X^T V dropped): the witness-style "
                "initialization keeps its frames",
                (trials("frozen", b_diagonal_property(), count=48),
                 search("frozen-search", b_diagonal_property(), evaluations=1000)),
                expected=Verdict.REFUTED),
    ),
)
