"""ALIGN-Lem2 (App. A, Lemma 2): frozen frames iff a block-diagonal data condition.

Printed: "Let f: R^{k_0} -> R^{k_d} be a linear fully connected network as in Equation (1), and
let r = min(k_0, ..., k_n). For training under the squared loss on the dataset (X, Y), there
exists an aligned initialization f(x) = W_d^(0) ... W_1^(0) x such that W_i^(t) = U_i
Sigma_i^(t) V_i^T for all i in [d] (that is, U_i, V_i are not updated) if and only if there
exist orthonormal matrices U in R^{k_d x k_d}, V in R^{k_0 x k_0} such that U^T Y X^T V =
[[Lambda', 0], [0, A_1]] and V^T X X^T V = [[Lambda, 0], [0, A_2]] for diagonal r x r
matrices Lambda, Lambda' and arbitrary A_1 in R^{(k_0-r) x (k_d-r)}, A_2 in
R^{(k_0-r) x (k_0-r)}."

Typos: ``r = min(k_0, ..., k_n)`` must be ``min(k_0, ..., k_d)`` (n is the sample count), and
``A_1`` is ``(k_d - r) x (k_0 - r)``. "Not updated" is read for all t (the proof: "for all
t"); the Remarks of §3 add a non-zero gradient at initialization. No zero-error condition.

**If: holds.** Data meeting the block condition in frames (F_d, F_0) (built as ``F_0^T X =
[S_x P_1^T; Z_x P_2^T]``, ``F_d^T Y = [S_y P_1^T; Z_y P_2^T]`` with P orthogonal, any widths)
and the witness initialization ``W_i = F_i Sigma_i F_{i-1}^T``: every frame is frozen,
certified for K = 3 exact rational GD steps (and for all t by the proof's induction: (11) keeps
the block form because ``Sigma_d ... Sigma_1`` only has its top r diagonal entries).

**Only if: refuted** (square layers, r = k = 3, where the condition is decided exactly by the
commutator ``[X X^T, (Y X^T)^T Y X^T] = 0``, :mod:`verify.core.alignment_condition`). Data
sharing only *one* pair (``F_0^T X = [s_x p_1^T; Z_x P_2^T]``, ``F_d^T Y = [s_y p_1^T; Z_y
P_2^T]``, Z generic) and rank-one end layers ``Sigma_1 = diag(a, 0, 0)``, ``Sigma_d = diag(c,
0, 0)``: (11) has first row and column ``(lambda' - p lambda) e_1`` at every t, so by eq. (10)
every update is a multiple of ``F_i e_1 e_1^T F_{i-1}^T``: all frames frozen for all t (checked
exactly for K steps), the gradient is non-zero, yet the data violate the condition. The
full-rank "landing" family of ALIGN-Thm1 is a second counterexample. The proof's 'only if'
needs the top r singular values non-zero and their products moving ("Assuming that we've not
initialized any of the singular values to be their optimal value").

**Corrected:** r = min(k_0..k_d); the 'only if' for initializations whose top r singular
values are non-zero at t = 0, 1 and whose products all move in the first step: if all frames
stay frozen for steps 0..2, the block condition holds with U = U_d, V = V_1 (checked exactly
on block data, perturbed block data and one-pair data, any widths).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import flint
import numpy as np

from theorems.alignment.thm1 import GRID, _obj
from theorems.papers import ALIGN
from verify.checks import search, trials
from verify.claims import Claim, Variant
from verify.core.alignment import (
    aligned_layers_exact,
    frame_residual,
    trajectory,
    trajectory_exact,
)
from verify.core.alignment_condition import condition_defect_exact
from verify.core.balanced_layers import cayley_exact
from verify.core.exact_margin import exact_margin
from verify.core.hp_linalg import identity, to_fmpq_mat
from verify.domain import (
    Batch,
    Domain,
    Instance,
    Integer,
    Matrix,
    Property,
    Real,
    Vector,
    batch_size,
    take,
    to_exact,
)
from verify.verdicts import Tolerance, Verdict

STATEMENT = (r"**Lemma 2.** Let  $f: \mathbb{R}^{k_0} \to \mathbb{R}^{k_d}$  be a linear fully "
             r"connected network as in Equation (1), and let r = $\min(k_0,\ldots,k_n)$ . For "
             r"training under the squared loss on the dataset (X,Y), there exists an aligned "
             r"initialization  $f(x) = W_d^{(0)} \cdots W_1^{(0)} x$  such that  $W_i^{(t)} = "
             r"U_i \Sigma_i^{(t)} V_i^T$  for all  $i \in [d]$  (that is,  $U_i, V_i$  are not "
             r"updated) if and only if there exist orthonormal matrices  $U \in \mathbb{R}^{k_d "
             r"\times k_d}, V \in \mathbb{R}^{k_0 \times k_0}$  such that $$U^T Y X^T V = "
             r"\begin{bmatrix} \Lambda' & \mathbf{0} \\ \mathbf{0} & A_1 \end{bmatrix}, \quad "
             r"and \quad V^T X X^T V = \begin{bmatrix} \Lambda & \mathbf{0} \\ \mathbf{0} & A_2 "
             r"\end{bmatrix}$$ for diagonal  $r \times r$  matrices  $\Lambda, \Lambda'$  and "
             r"arbitrary  $A_1 \in \mathbb{R}^{(k_0-r)\times(k_d-r)}, A_2 \in "
             r"\mathbb{R}^{(k_0-r)\times(k_0-r)}$ .")

DEPTH = 3
WIDTH = 3
STEPS = 3
EXACT = Tolerance(rtol=0.0, atol=0.0)
Fr = Fraction


# --------------------------------------------------------------------------- instances


def widths(inst: Instance) -> list[int]:
    return [inst[f"k{i}"] for i in range(inst["d"] + 1)]


def _dims_ok(dims: dict[str, int]) -> bool:
    """Unused widths are 1; n >= r (room for the r shared directions)."""
    d = dims["d"]
    if any(dims[f"k{i}"] != 1 for i in range(d + 1, DEPTH + 1)):
        return False
    return dims["n"] >= min(dims[f"k{i}"] for i in range(d + 1))


def _repair(batch: Batch) -> Batch:
    """Grid-rounded inputs (frames from halves, to keep the exact trajectories small);
    ``snap < 1/2``: singular values rounded to halves (zeros, ties)."""
    out = dict(batch)
    for key, value in batch.items():
        if isinstance(value, np.ndarray) and value.dtype != object and key not in ("snap",):
            grid = 2 if key[0] in "RP" else GRID
            out[key] = np.round(grid * value) / grid
    snap = batch["snap"] < 0.5
    sg = out["Sg"].copy()
    sg[snap] = np.round(2 * sg[snap]) / 2
    out["Sg"] = sg
    out["lr"] = np.maximum(np.round(GRID**2 * batch["lr"]) / GRID**2, 1 / GRID**2)
    return out


SQUARE_DOMAIN = Domain(
    (Integer("d", 2, DEPTH), *(Integer(f"k{i}", WIDTH, WIDTH) for i in range(DEPTH + 1)),
     Integer("n", WIDTH, 4), Vector("sx", 1, 0.5, 2.0), Vector("sy", 1, -2.0, 2.0),
     Matrix("Zx", WIDTH, "n"), Matrix("Zy", WIDTH, "n"), Matrix("Sg", DEPTH, WIDTH, -2.0, 2.0),
     Real("lr", 0.01, 0.4), Real("snap", 0.0, 1.0)),
    repair=lambda b: _repair(b))
"""Square k = 3 with identity frames (the 'only if' counterexample: the data condition does
not depend on the frames of the initialization)."""


def domain(frames: bool = True, extra: bool = False) -> Domain:
    """Widths k_0..k_3 in 1..3, depth 2..3, data pieces, singular values; ``frames``: frames
    R_i and P (else identities); ``extra``: the perturbation E and the family selector."""
    more = (Matrix("E", "k0", "n", -0.5, 0.5), Real("family", 0.0, 1.0)) if extra else ()
    rotations = (*(Matrix(f"R{i}", f"k{i}", f"k{i}") for i in range(DEPTH + 1)),
                 Matrix("P", "n", "n")) if frames else ()
    return Domain(
        (Integer("d", 2, DEPTH), *(Integer(f"k{i}", 1, WIDTH) for i in range(DEPTH + 1)),
         Integer("n", 2, 4), *rotations, Vector("sx", "k0", -2.0, 2.0),
         Vector("sy", "k0", -2.0, 2.0), Matrix("Zx", "k0", "n"), Matrix("Zy", WIDTH, "n"),
         Matrix("Sg", DEPTH, WIDTH, -2.0, 2.0), Real("lr", 0.01, 0.4), *more,
         Real("snap", 0.0, 1.0)),
        repair=_repair, dims_ok=_dims_ok)


def _frame(inst: Instance, key: str, size: int) -> Any:
    """The Cayley frame of ``inst[key]``, or the identity when the domain has no such key."""
    return cayley_exact(inst[key]) if key in inst else identity(size)


def block_data(inst: Instance, shared: int, zero_a1: bool = False) -> tuple[list[Any], Any, Any]:
    """Frames F_0..F_d and data in block form for the first ``shared`` directions:
    ``F_0^T X = [S_x P_1^T; Z_x P_2^T]``, ``F_d^T Y = [S_y P_1^T; Z_y P_2^T]`` (P_1: the first
    ``shared`` columns of the Cayley frame P, P_2 the rest); ``zero_a1``: Z_y = 0."""
    d, n = inst["d"], inst["n"]
    k = widths(inst)
    F = [_frame(inst, f"R{i}", k[i]) for i in range(d + 1)]
    P = _frame(inst, "P", n)

    def rows(width: int, s: Any, Z: Any) -> Any:
        out = flint.fmpq_mat(width, n)
        for a in range(width):
            for b in range(n):
                if a < shared:
                    out[a, b] = flint.fmpq(s[a].numerator, s[a].denominator) * P[b, a]
                elif not zero_a1 or Z is not inst["Zy"]:
                    val = sum((Z[a][c] * Fr(int(P[b, c].p), int(P[b, c].q))
                               for c in range(shared, n)), Fr(0))
                    out[a, b] = flint.fmpq(val.numerator, val.denominator)
        return out

    X = F[0] * rows(k[0], inst["sx"], inst["Zx"])
    Y = F[d] * rows(k[d], inst["sy"], inst["Zy"])
    return F, X, Y


def sigmas(inst: Instance) -> list[list[Fraction]]:
    k = widths(inst)
    return [[Fr(v) for v in inst["Sg"][i][:min(k[i], k[i + 1])]] for i in range(inst["d"])]


def frozen(F: list[Any], W0: list[Any], X: Any, Y: Any, lr: Any, steps: int) -> tuple[bool,
                                                                                       list]:
    """(all frames frozen for ``steps`` exact GD steps, trajectory)."""
    traj = trajectory_exact(W0, _obj(X), _obj(Y), lr, steps)
    return frame_residual(traj, F, strong=True)[0] == 0, traj


def block_defect(F: list[Any], X: Any, Y: Any, r: int) -> Any:
    """Squared mass of F_d^T Y X^T F_0 and F_0^T X X^T F_0 outside ``[[diag r x r, 0], [0, *]]``
    (zero iff Lemma 2's condition holds with U = F_d, V = F_0)."""
    A = F[-1].transpose() * Y * X.transpose() * F[0]
    B = F[0].transpose() * X * X.transpose() * F[0]
    total = flint.fmpq(0)
    for M in (A, B):
        for a in range(M.nrows()):
            for b in range(M.ncols()):
                if a != b and (a < r or b < r):
                    total += M[a, b] ** 2
    return total


# --------------------------------------------------------------------------- properties


def if_property(zero_a1: bool = False) -> Property:
    """Block data (r = min widths) + witness initialization: all frames frozen for STEPS exact
    steps (excess: the strong frame residual)."""

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        r = min(widths(inst))
        F, X, Y = block_data(inst, r, zero_a1)
        W0 = aligned_layers_exact(F, sigmas(inst))
        traj = trajectory_exact(W0, _obj(X), _obj(Y), inst["lr"], STEPS)
        return frame_residual(traj, F, strong=True)

    return Property(domain(), exact_margin(margin_hp), margin_hp, EXACT, rigorous=True,
                    description=f"block data, witness init: frames frozen for {STEPS} steps")


def one_pair_case(inst: Instance) -> dict[str, Any]:
    """Square k = 3 data sharing one pair (identity frames) and rank-one end layers."""
    F, X, Y = block_data(inst, 1)
    sg = sigmas(inst)
    d = inst["d"]
    for i in (0, d - 1):
        sg[i][1:] = [Fr(0)] * (len(sg[i]) - 1)
    W0 = aligned_layers_exact(F, sg)
    return {"F": F, "X": X, "Y": Y, "W0": W0, "lr": inst["lr"]}


def one_pair_certificate(case: dict[str, Any]) -> bool:
    """Frames frozen for all t: exactly for STEPS steps, non-zero first step, and the
    structure of the induction (Sigma_1, Sigma_d zero beyond (1,1); (11) diagonal in its first
    row and column at t = 0, which the updates preserve)."""
    ok, traj = frozen(case["F"], case["W0"], case["X"], case["Y"], case["lr"], STEPS)
    if not ok or traj[1] == traj[0]:
        return False
    F, X = case["F"], case["X"]
    W = case["W0"][0]
    for w in case["W0"][1:]:
        W = w * W
    M = F[-1].transpose() * (case["Y"] - W * X) * X.transpose() * F[0]
    return all(M[0, j] == 0 and M[j, 0] == 0 for j in range(1, M.nrows()))


def only_if_property() -> Property:
    """Frames frozen for all t (certificate) => the condition (r = k = 3); excess: the squared
    commutator ``||[X X^T, A^T A]||^2`` (zero iff the condition holds). The float screen
    skips the certificate (the exact re-check requires it)."""

    def defect(inst: Instance, digits: int) -> tuple[Any, Any]:
        case = one_pair_case(inst)
        return condition_defect_exact(_obj(case["X"]), _obj(case["Y"]))

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        return defect(inst, digits) if one_pair_certificate(one_pair_case(inst)) else None

    return Property(SQUARE_DOMAIN, exact_margin(defect), margin_hp,
                    Tolerance(rtol=1e-20, atol=0.0), rigorous=True,
                    description="frozen frames (all t) => block condition")


def _perturbed(inst: Instance) -> tuple[list[Any], Any, Any]:
    """``family < 1/3``: block data; ``< 2/3``: block data with X + E (breaks it unless E = 0);
    otherwise one-pair data."""
    r = min(widths(inst))
    family = inst["family"]
    if family >= Fr(2, 3):
        return block_data(inst, 1)
    F, X, Y = block_data(inst, r)
    if family >= Fr(1, 3):
        k0, n = X.nrows(), X.ncols()
        X = X + to_fmpq_mat(np.array([[inst["E"][a][b] for b in range(n)] for a in range(k0)],
                                     dtype=object))
    return F, X, Y


def _top(W: Any, F_out: Any, F_in: Any, r: int) -> list[Any]:
    D = F_out.transpose() * W * F_in
    return [D[j, j] for j in range(r)]


def generic_only_if_property() -> Property:
    """Corrected 'only if': top r singular values non-zero at t = 0, 1 and their products
    moving; frames frozen for steps 0..2 => block condition with U = F_d, V = F_0.
    Excess 1 when frozen but the block condition fails, -1 otherwise."""

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        r = min(widths(inst))
        F, X, Y = _perturbed(inst)
        W0 = aligned_layers_exact(F, sigmas(inst))
        d = inst["d"]
        if any(v == 0 for i in range(d) for v in _top(W0[i], F[i + 1], F[i], r)):
            return None
        ok1, traj = frozen(F, W0, X, Y, inst["lr"], 1)
        if not ok1:
            return flint.fmpq(-1), flint.fmpq(1)
        top0 = [_top(traj[0][i], F[i + 1], F[i], r) for i in range(d)]
        top1 = [_top(traj[1][i], F[i + 1], F[i], r) for i in range(d)]
        prod0 = [_product(top0[i][j] for i in range(d)) for j in range(r)]
        prod1 = [_product(top1[i][j] for i in range(d)) for j in range(r)]
        if any(v == 0 for row in top1 for v in row) or any(a == b for a, b in
                                                           zip(prod0, prod1, strict=True)):
            return None
        ok2, _ = frozen(F, W0, X, Y, inst["lr"], 2)
        violated = ok2 and block_defect(F, X, Y, r) != 0
        return flint.fmpq(1 if violated else -1), flint.fmpq(1)

    return Property(domain(extra=True), exact_margin(margin_hp), margin_hp, EXACT,
                    rigorous=True,
                    description="generic init, frames frozen for 2 steps => block condition")


def _float_batch(part: Any) -> Any:
    """fmpq_mat (or a list of them) as float arrays with a batch axis of one."""
    if isinstance(part, list):
        return [_float_batch(m) for m in part]
    return np.array([[[int(part[i, j].p) / int(part[i, j].q) for j in range(part.ncols())]
                      for i in range(part.nrows())]])


def _product(values: Any) -> Any:
    out = flint.fmpq(1)
    for v in values:
        out *= v
    return out


def one_condition_property() -> Property:
    """Mutant: only V^T X X^T V in block form (Y arbitrary) => the witness init's frames stay
    frozen. Excess: the strong frame residual over STEPS exact steps."""

    def case(inst: Instance) -> tuple[list[Any], Any, Any, list[Any]]:
        r = min(widths(inst))
        F, X, _ = block_data(inst, r)
        d, n = inst["d"], inst["n"]
        kd = widths(inst)[d]
        Y = to_fmpq_mat(np.array([[inst["Zy"][a % WIDTH][b] for b in range(n)]
                                  for a in range(kd)], dtype=object))
        return F, X, Y, aligned_layers_exact(F, sigmas(inst))

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        size = batch_size(batch)
        excess, scale = np.zeros(size), np.ones(size)
        for b in range(size):
            inst = to_exact(take(batch, b))
            F, X, Y, W0 = (_float_batch(m) for m in case(inst))
            traj = trajectory(W0, X, Y, float(inst["lr"]), STEPS)
            excess[b], scale[b] = (float(v[0]) for v in frame_residual(traj, F, strong=True))
        return excess, scale

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        F, X, Y, W0 = case(inst)
        traj = trajectory_exact(W0, _obj(X), _obj(Y), inst["lr"], STEPS)
        return frame_residual(traj, F, strong=True)

    return Property(domain(frames=False), margin, margin_hp, Tolerance(rtol=1e-20, atol=0.0),
                    rigorous=True,
                    description="only V^T X X^T V block form => frames frozen (mutant)")


CLAIM = Claim(
    id="ALIGN-Lem2",
    paper=ALIGN,
    location="App. A, Lemma 2 (seed 000: same statement and proof)",
    statement=STATEMENT,
    notes=("Typos: r = min(k_0, ..., k_n) should be min(k_0, ..., k_d) (both seeds), and A_1 is "
           "(k_d - r) x (k_0 - r), not (k_0 - r) x (k_d - r). The 'if' direction holds (exact, "
           "any widths). The 'only if' is false: rank-one end layers on data sharing a single "
           "pair keep every frame for all t with a non-zero gradient (no zero-error condition "
           "in Lemma 2), on data violating the condition; the proof assumes the top r "
           "singular values are non-zero and their products move ('not initialized ... at "
           "their optimal value'), under which the corrected version is checked exactly."),
    variants=(
        Variant("as-printed",
                "both directions: block data + witness init keeps all frames (exact, any "
                "widths); frames frozen for all t => block condition (r = k = 3)",
                (trials("if-frozen", if_property(), count=128),
                 trials("only-if", only_if_property(), count=64)),
                expected=Verdict.REFUTED),
        Variant("corrected",
                "r = min(k_0..k_d); 'only if' for initializations with non-zero top r singular "
                "values at t = 0, 1 whose products move: frozen frames => block condition with "
                "U = U_d, V = V_1; 'if' as printed",
                (trials("if-frozen", if_property(), count=128),
                 trials("generic-only-if", generic_only_if_property(), count=192),
                 search("generic-only-if-search", generic_only_if_property(), evaluations=800)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:one-condition",
                "only V^T X X^T V required in block form: the witness init keeps its frames",
                (trials("frozen", one_condition_property(), count=64),),
                expected=Verdict.REFUTED),
    ),
)
