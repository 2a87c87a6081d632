"""ALIGN-ExMatSensing (§4.2, "Matrix Sensing"): when is alignment invariant for matrix sensing?

Printed statement (seed 001, §4.2): "Given pairs of observations {(M_i, y_i)}_{i=1}^n with M_i
in R^{k x k} and y_i = Tr(M_i^T X*) for some unobserved matrix X* in R^{k x k}, gradient descent
on {W_i} is used to solve argmin 1/(2n) sum_i ||y_i - Tr(M_i^T W_d W_{d-1} ... W_1)||_2^2. ...
Theorem 1 shows that alignment is an invariant of training for this problem if and only if
M_i = U Lambda_i V^T for all i in [n], and U_d = U, V_1 = V."

Loss: :class:`verify.core.losses.SensingLoss` with the paper's ``1/(2n)`` ("half_mean"); its
end-to-end gradient is ``G = -1/n sum_i r_i M_i`` (``r_i = y_i - <M_i, W>``), so aligned frames
``F_d = U``, ``F_0 = V`` stay frozen iff every ``U^T G V`` met along training is diagonal.

* **"if"** (exact, certified): ``M_i = U Lambda_i V^T``, any X*, random aligned layers with
  those outer frames (random hidden frames, signed/zero values, d = 2, 3, k = 2, 3): all frames
  stay frozen over STEPS exact rational GD steps.
* **"only if" refuted** (exact): ``M_1 = U Lambda_1 V^T`` and ``M_i = U O_i V^T`` (i >= 2) with
  zero-diagonal ``O_i``, X* = U D V^T. Then ``y_i = <M_i, X*> = 0 = <M_i, W(t)>`` for i >= 2
  along the whole run (W stays U diag V^T), so ``G`` is a multiple of ``M_1`` and alignment is
  invariant from *every* aligned initialization with those frames, while no orthogonal pair
  diagonalizes all M_i (certified by a non-zero ``M_i M_j^T - M_j M_i^T`` or
  ``M_i^T M_j - M_j^T M_i``, necessary for a common SVD). Unlike ALIGN-Thm1's counterexamples,
  this needs no special (landing or rank-deficient) initialization.
* **Corrected** (derived here): with ``O_i`` the off-diagonal part of ``U^T M_i V`` and
  ``a_ik = (U^T M_i V)_kk``, alignment with frames (U, V) is invariant from every aligned
  initialization iff ``sum_i r_i O_i = 0`` for every ``r`` in ``y + range(A)``, i.e. iff
  ``sum_i y_i O_i = 0`` and ``sum_i a_ik O_i = 0`` for every k. Checked: data built to meet
  it (observation 0 with off-diagonal part O_0, the last one with the same diagonal and
  -O_0, X* = U D V^T, so their residuals agree and the parts cancel) keep their frames
  exactly; generic data with ``sum_i r_i(0) O_i != 0`` and invertible layers break them
  within STEPS exact steps.

Mutant: the "if" direction with M_i = U Lambda_i V^T but the network's outer frames not equal
to (U, V) (``U_d = U, V_1 = V`` dropped).
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations
from typing import Any

import flint
import numpy as np

from theorems.papers import ALIGN
from verify.checks import search, trials
from verify.claims import Claim, Variant
from verify.core.alignment import aligned_layers, aligned_layers_exact, frame_residual
from verify.core.balanced_layers import cayley, cayley_exact
from verify.core.hp import FMPQ
from verify.core.hp_linalg import to_fmpq_mat
from verify.core.losses import SensingLoss
from verify.core.networks import gd_step
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"Given pairs of observations  $\{(M_i, y_i)\}_{i=1}^n$  with  $M_i \in "
    r"\mathbb{R}^{k \times k}$  and  $y_i = \text{Tr}(M_i^T X^*)$  for some unobserved matrix  "
    r"$X^* \in \mathbb{R}^{k \times k}$ , gradient descent on  $\{W_i\}_{i=1}^n$  is used to "
    r"solve $$\arg\min_{\{W_i\}} \frac{1}{2n} \sum_{i=1}^n \|y_i - \text{Tr}(M_i^T W_d W_{d-1} "
    r"\dots W_1)\|_2^2.$$ Implicit regularization of linear networks in the matrix sensing "
    r"setting has been analyzed extensively [3, 7, 12, 15]. Theorem 1 shows that alignment is an "
    r"invariant of training for this problem if and only if  $M_i = U\Lambda_i V^T$  for all  "
    r"$i \in [n]$ , and  $U_d = U, V_1 = V$ .")

DEPTH = 3
WIDTH = 3
OBS = 4
STEPS = 2
GRID = 4
SQ_TOL = Tolerance(rtol=1e-20, atol=1e-24)
"""On squared off-diagonal mass (float rounding ~1e-30 relative); the exact re-check decides."""

def _repair(batch: Batch) -> Batch:
    """Round raw parameters to the 1/GRID grid (small exact rationals, zeros, ties); where
    ``snap < 1/3`` zero the first layer's last value (a rank-deficient layer)."""
    out = dict(batch)
    for key in ("Lam", "O", "Z", "Sg", *(f"R{i}" for i in range(DEPTH + 1))):
        out[key] = np.round(GRID * batch[key]) / GRID
    out["lr"] = np.maximum(np.round(16 * batch["lr"]) / 16, 1 / 16)
    sg = out["Sg"].copy()
    sg[batch["snap"] < 1 / 3, 0, -1] = 0.0
    out["Sg"] = sg
    return out


DOMAIN = Domain(
    (Integer("d", 2, DEPTH), Integer("k", 2, WIDTH), Integer("n", 2, OBS),
     *(Matrix(f"R{i}", "k", "k") for i in range(DEPTH + 1)), Matrix("S", "k", "k"),
     Matrix("Lam", OBS, WIDTH, -2.0, 2.0), Matrix("O", OBS, WIDTH * WIDTH, -2.0, 2.0),
     Matrix("Z", WIDTH, WIDTH, -2.0, 2.0),
     Matrix("Sg", DEPTH, WIDTH, -2.0, 2.0), Real("lr", 0.05, 0.5), Real("snap", 0.0, 1.0)),
    repair=_repair)
"""Frames F_0 = V (R0), F_d = U (R_d), hidden R_1..R_{d-1} (Cayley); S: the other outer frame of
the wrong-frames mutant; Lam: diagonals of Lambda_i; O: off-diagonal blocks; Z: X* (or the
diagonal D of X* = U D V^T)."""


def _core_blocks(inst: Any, mode: str) -> tuple[list[list[list[Any]]], list[list[Any]]]:
    """The k x k blocks ``B_i = U^T M_i V`` of one instance (entries as given: Fraction or
    float) and the block ``U^T X* V`` (full Z, or its diagonal for ``counter``)."""
    k, n = inst["k"], inst["n"]
    lam, off, Z = inst["Lam"], inst["O"], inst["Z"]
    zero = Z[0][0] * 0

    def offdiag(i: int) -> list[list[Any]]:
        return [[(off[i][a * WIDTH + b] if a != b else zero) for b in range(k)]
                for a in range(k)]

    def diag(i: int) -> list[list[Any]]:
        return [[(lam[i][a] if a == b else zero) for b in range(k)] for a in range(k)]

    Xs = [[Z[a][b] for b in range(k)] for a in range(k)]
    Xdiag = [[(Z[a][b] if a == b else zero) for b in range(k)] for a in range(k)]
    if mode in ("printed", "wrong-frames"):
        return [diag(i) for i in range(n)], Xs
    if mode == "counter":
        return [diag(0)] + [offdiag(i) for i in range(1, n)], Xdiag
    full = [[[diag(i)[a][b] + offdiag(i)[a][b] for b in range(k)] for a in range(k)]
            for i in range(n)]
    if mode == "generic":
        return full, Xs
    cancel = [[(-offdiag(0)[a][b] + diag(0)[a][b]) for b in range(k)] for a in range(k)]
    return [full[0]] + [diag(i) for i in range(1, n - 1)] + [cancel], Xdiag


def _frames(inst: Any, mode: str, exact: bool) -> tuple[list[Any], Any, Any]:
    """Network frames ``F_0 = V, ..., F_d`` (for ``wrong-frames`` F_d = cayley(S) != U) and
    the data frames (U, V)."""
    d = inst["d"]
    make = cayley_exact if exact else cayley
    F = [make(inst[f"R{i}"]) for i in range(d + 1)]
    U, V = F[d], F[0]
    if mode == "wrong-frames":
        F[d] = make(inst["S"])
    return F, U, V


def build(inst: Any, mode: str, exact: bool) -> dict[str, Any]:
    """Frames, aligned layers, observations M_i = U B_i V^T and y_i = <B_i, U^T X* V>: one
    exact instance (fmpq_mat, object arrays) or a float batch."""
    d, k, n = inst["d"], inst["k"], inst["n"]
    F, U, V = _frames(inst, mode, exact)
    if exact:
        blocks, Xs = _core_blocks(inst, mode)
        Bq = [to_fmpq_mat(np.array(b, dtype=object)) for b in blocks]
        M = [U * b * V.transpose() for b in Bq]
        Xq = to_fmpq_mat(np.array(Xs, dtype=object))
        y = [sum((b[a, c] * Xq[a, c] for a in range(k) for c in range(k)), flint.fmpq(0))
             for b in Bq]
        W = aligned_layers_exact(F, [list(inst["Sg"][i][:k]) for i in range(d)])
        A = np.array([[[Fraction(int(m[a, c].p), int(m[a, c].q)) for c in range(k)]
                       for a in range(k)] for m in M], dtype=object)
        yv = np.array([Fraction(int(v.p), int(v.q)) for v in y], dtype=object)
        return {"F": F, "W": W, "A": A, "y": yv}
    size = inst["Sg"].shape[0]
    A = np.zeros((size, n, k, k))
    y = np.zeros((size, n))
    for b in range(size):
        one = {key: (val[b] if isinstance(val, np.ndarray) else val) for key, val in inst.items()}
        blocks, Xs = _core_blocks(one, mode)
        Bm, Xm = np.array(blocks, dtype=float), np.array(Xs, dtype=float)
        A[b] = U[b] @ Bm @ V[b].T
        y[b] = np.sum(Bm * Xm, axis=(-2, -1))
    W = aligned_layers(F, [inst["Sg"][:, i, :k] for i in range(d)])
    return {"F": F, "W": W, "A": A, "y": y}


def run(inst: Any, mode: str, exact: bool) -> tuple[list[list[Any]], dict[str, Any]]:
    """STEPS GD steps of the paper's sensing loss (1/(2n), SensingLoss "half_mean")."""
    case = build(inst, mode, exact)
    loss = SensingLoss(case["A"], case["y"], "half_mean")
    traj = [case["W"]]
    lr = FMPQ.scalar(inst["lr"]) if exact else inst["lr"]
    for _ in range(STEPS):
        traj.append(gd_step(traj[-1], loss, lr, xp=FMPQ) if exact else
                    gd_step(traj[-1], loss, lr))
    return traj, case


def frozen_property(mode: str) -> Property:
    """All network frames stay frozen (strong alignment) over STEPS GD steps."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        traj, case = run(batch, mode, exact=False)
        return frame_residual(traj, case["F"], strong=True)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        traj, case = run(inst, mode, exact=True)
        return frame_residual(traj, case["F"], strong=True)

    return Property(DOMAIN, margin, margin_hp, SQ_TOL, rigorous=True,
                    description=f"{mode} observations: frames frozen for {STEPS} exact steps")


def common_svd_defect(M: list[Any]) -> tuple[Any, Any]:
    """``sum_{i<j} ||M_i M_j^T - M_j M_i^T||^2 + ||M_i^T M_j - M_j^T M_i||^2`` and the squared
    norms: zero whenever some orthogonal U, V make every U^T M_i V diagonal."""
    exact = not isinstance(M[0], np.ndarray)

    def T(a: Any) -> Any:
        return a.transpose() if exact else np.swapaxes(a, -1, -2)

    def sq(a: Any) -> Any:
        return sum((e * e for e in a.entries()), flint.fmpq(0)) if exact else \
            np.sum(a * a, axis=(-2, -1))

    excess: Any = flint.fmpq(0) if exact else 0.0
    scale: Any = flint.fmpq(0) if exact else 0.0
    for a, b in combinations(M, 2):
        for P, Q in ((a * T(b), b * T(a)), (T(a) * b, T(b) * a)) if exact else \
                ((a @ T(b), b @ T(a)), (T(a) @ b, T(b) @ a)):
            excess = excess + sq(P - Q)
            scale = scale + sq(P) + sq(Q)
    return excess, scale


def only_if_property() -> Property:
    """Frames frozen exactly => the M_i have a common usSVD. Excess: the common-SVD defect
    when the run kept its frames and the layers moved (a non-zero gradient at
    initialization: no trivial fixed point); NaN, i.e. not admissible, otherwise."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        traj, case = run(batch, "counter", exact=False)
        res, res_scale = frame_residual(traj, case["F"], strong=True)
        A = case["A"]
        excess, scale = common_svd_defect([A[:, i] for i in range(A.shape[1])])
        kept = res <= SQ_TOL.allowance(res_scale)
        moved = sum(np.sum((a - b) ** 2, axis=(-2, -1)) for a, b in
                    zip(traj[1], traj[0], strict=True)) > 1e-20
        return np.where(kept & moved, excess, np.nan), scale

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        traj, case = run(inst, "counter", exact=True)
        if frame_residual(traj, case["F"], strong=True)[0] != 0 or traj[1] == traj[0]:
            return None
        return common_svd_defect([to_fmpq_mat(m) for m in case["A"]])

    return Property(DOMAIN, margin, margin_hp, SQ_TOL, rigorous=True,
                    description="invariant alignment => M_i = U Lambda_i V^T")


def push_norm(inst: Any) -> Any:
    """``||sum_i r_i(0) O_i||^2`` for one generic instance (Fractions or floats): the
    off-diagonal part of ``U^T G V`` at initialization, up to -1/n. Zero iff the first step
    keeps the frames for every invertible initialization with these values."""
    k, d = inst["k"], inst["d"]
    blocks, Xs = _core_blocks(inst, "generic")
    S = [inst["Sg"][0][a] for a in range(k)]
    for i in range(1, d):
        S = [S[a] * inst["Sg"][i][a] for a in range(k)]
    total = 0
    for a in range(k):
        for b in range(k):
            if a != b:
                entry = sum(B[a][b] * (sum(B[p][q] * Xs[p][q] for p in range(k)
                                           for q in range(k))
                                       - sum(B[c][c] * S[c] for c in range(k)))
                            for B in blocks)
                total = total + entry * entry
    return total


def generic_break_property() -> Property:
    """Corrected 'only if': generic observations (off-diagonal parts not cancelling) and
    invertible aligned layers, the corrected condition failing at initialization
    (``sum_i r_i(0) O_i != 0``): the frames move within STEPS exact steps. Excess
    ``scale [residual = 0] - residual`` (a violation only if nothing moved); instances with a
    zero layer value are not admissible."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        traj, case = run(batch, "generic", exact=False)
        res, scale = frame_residual(traj, case["F"], strong=True)
        k = batch["k"]
        push = np.array([push_norm({key: (val[b] if isinstance(val, np.ndarray) else val)
                                    for key, val in batch.items()})
                         for b in range(batch["Sg"].shape[0])])
        ok = np.all(batch["Sg"][:, : batch["d"], :k] != 0, axis=(1, 2)) & (push > 1e-12)
        moved = res > SQ_TOL.allowance(scale)
        return np.where(ok, np.where(moved, -res, scale), np.nan), scale

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        k = inst["k"]
        if any(inst["Sg"][i][j] == 0 for i in range(inst["d"]) for j in range(k)) or \
                push_norm(inst) == 0:
            return None
        traj, case = run(inst, "generic", exact=True)
        res, scale = frame_residual(traj, case["F"], strong=True)
        return (-res if res != 0 else scale), scale

    return Property(DOMAIN, margin, margin_hp, SQ_TOL, rigorous=True,
                    description="generic observations: frames move within STEPS steps")


IF = frozen_property("printed")

CLAIM = Claim(
    id="ALIGN-ExMatSensing",
    paper=ALIGN,
    location="§4.2 (Classes of Problems with Alignment, Matrix Sensing)",
    statement=STATEMENT,
    notes=("The example is not restated in the appendix file 000. The 'iff' is read with "
           "Definition 3's invariance (some initialization, frames frozen, limit interpolating) "
           "for the network W_d ... W_1 with square k x k layers. 'Gradient descent on "
           "{W_i}_{i=1}^n' in the print indexes layers by n (the number of observations); read "
           "as i = 1..d. The 'only if' fails for every aligned initialization with the given "
           "outer frames (not only special ones, unlike ALIGN-Thm1): observations whose "
           "off-diagonal parts are never weighted (zero diagonal, y_i = 0) leave the gradient "
           "diagonal. The limit's interpolation for the counterexample family follows from the "
           "per-value dynamics driven by M_1 alone (as in Proposition 2) and is not re-checked "
           "here; the exact checks cover the frames."),
    variants=(
        Variant("as-printed",
                "'if': M_i = U Lambda_i V^T and U_d = U, V_1 = V keep all frames frozen "
                "(exact); 'only if': frozen frames => the M_i have a common usSVD",
                (trials("if-frozen", IF, count=64),
                 trials("only-if", only_if_property(), count=64),
                 search("only-if-search", only_if_property(), evaluations=600)),
                expected=Verdict.REFUTED),
        Variant("corrected",
                "invariance from every aligned initialization with frames (U, V) iff sum_i y_i "
                "O_i = 0 and sum_i (U^T M_i V)_kk O_i = 0 for all k (O_i: off-diagonal part of "
                "U^T M_i V); checked: the printed sufficient condition and cancelling "
                "off-diagonal parts keep the frames (exact), generic observations with "
                "invertible layers break them",
                (trials("if-frozen", IF, count=64),
                 trials("cancelling-frozen", frozen_property("corrected"), count=64),
                 trials("generic-break", generic_break_property(), count=64),
                 search("if-search", IF, evaluations=600)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:wrong-frames",
                "M_i = U Lambda_i V^T but the network's output frame U_d != U",
                (trials("if-frozen", frozen_property("wrong-frames"), count=64),),
                expected=Verdict.REFUTED),
    ),
)
