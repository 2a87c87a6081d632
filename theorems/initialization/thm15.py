r"""INIT-Thm15 — Theorem 15 of §5.2 (seed 004): an orthogonal matrix is at Frobenius distance
sqrt(d - n) from range(M).

As printed:

    **Theorem 15.** Let  W in R^{d x d}  be an orthogonal matrix, and  M in R^{d x n}  be at
    full rank. Then  d_range(M)(W) = sqrt(d-n) .

with the definition just before it: ``d_range(M)(W) := ||M M^+ W - W||_F``.

Verdict: refuted as printed, because the sizes are unrestricted. For n > d a full-rank
``d x n`` matrix has rank d, so ``M M^+ = I_d`` and the distance is 0, while sqrt(d - n) is not
even real (the proof writes ``M M^+ = M (M^T M)^{-1} M^T``, which needs n <= d). Exact
counterexample: d = 1, n = 2, M = [1 1], W = [1]: distance 0, d - n = -1. In the paper M is
A^T (d > n), so the gap is a missing hypothesis, not a wrong formula.

Corrected (smallest change): add n <= d (M of full column rank). Then the distance is
sqrt(d - n) for every size: ``||(P - I) W||_F^2 = tr((I - P) W W^T) = tr(I - P) = d - n``.
Certified: derived with sympy from the definitions on explicit sizes (symbolic M, W the Cayley
transform of a symbolic skew-symmetric matrix, so exactly orthogonal), term by term as in the
proof, and checked exactly in rationals (rational orthogonal W = D (I - K)(I + K)^{-1}, D a
diagonal of signs, exact projector onto range(M)) on every sampled size 1 <= n <= d <= 5.

Margins compare squares, ``|d_range(M)(W)^2 - (d - n)|``, so that n > d is measurable. Planted
mutants: the rank hypothesis dropped (a rank-r M is at distance sqrt(d - r)), and the constant
sqrt(n) in place of sqrt(d - n).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from functools import cache
from typing import Any

import flint
import numpy as np
import sympy as sp

from theorems.papers import INIT
from verify import linalg_exact as lx
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import measures
from verify.core.balanced_layers import cayley, cayley_exact
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "**Theorem 15.** Let  $\\mathbf{W} \\in \\mathbb{R}^{d \\times d}$  be an orthogonal "
    "matrix, and  $\\mathbf{M} \\in \\mathbb{R}^{d \\times n}$  be at full rank. Then  "
    "$d_{\\mathbf{range}(\\mathbf{M})}(\\mathbf{W}) = \\sqrt{d-n}$ ."
)
DEFINITION = (
    "The Frobenius distance of an orthogonal  $d \\times d$  matrix  $\\mathbf{W}$  from the "
    "range of a  $d \\times n$  full rank matrix  $\\mathbf{M}$  is  "
    "$d_{\\mathbf{range}(\\mathbf{M})}(\\mathbf{W}) := \\|\\mathbf{M}\\mathbf{M}^{+}"
    "\\mathbf{W} - \\mathbf{W}\\|_{F}$ ."
)

MAX_D, MAX_N = 5, 6
GRID = 8
RANK_RTOL = 1e-6
TOLERANCE = Tolerance(rtol=1e-9, atol=1e-12)
SYMBOLIC_SIZES = ((1, 1), (2, 1), (2, 2), (3, 1))
"""(d, n) of the sympy derivations."""

Form = str
"""``"printed"`` (any n), ``"corrected"`` (n <= d), ``"rank-dropped"`` (mutant: M of any
rank, n <= d) or ``"sqrt-n"`` (mutant: the constant sqrt(n))."""


# --------------------------------------------------------------------------- inputs


def _snap(values: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(values, dtype=float) * GRID) / GRID


def orthogonal(R: np.ndarray, s: np.ndarray) -> np.ndarray:
    """``W = D (I - K)(I + K)^{-1}``, K the skew part of R, D = diag(sign(s)), batched."""
    return np.where(s < 0, -1.0, 1.0)[:, :, None] * cayley(R)


def orthogonal_exact(R: Any, s: Any) -> flint.fmpq_mat:
    """The exact rational twin of :func:`orthogonal` (one instance)."""
    W = cayley_exact(R)
    for i, si in enumerate(np.asarray(s, dtype=object).ravel()):
        if si < 0:
            for j in range(W.ncols()):
                W[i, j] = -W[i, j]
    return W


def _matrix_M(inst: Instance | Batch, form: Form, exact: bool) -> Any:
    """M itself, or (rank-dropped mutant) the product L K of inner dimension r."""
    if form != "rank-dropped":
        return lx.matrix(inst["M"]) if exact else inst["M"]
    if exact:
        return lx.matrix(inst["L"]) * lx.matrix(inst["K"])
    return inst["L"] @ inst["K"]


def _repair(batch: Batch) -> Batch:
    return {k: (_snap(v) if isinstance(v, np.ndarray) else v) for k, v in batch.items()}


def make_domain(form: Form) -> Domain:
    """Sizes 1 <= d <= MAX_D, 1 <= n <= MAX_N (n <= d unless printed), M (or L K) on a 1/8
    grid, W from raw R and signs s."""
    low_rank = form == "rank-dropped"
    variables: tuple[Any, ...] = (Integer("d", 1, MAX_D), Integer("n", 1, MAX_N))
    if low_rank:
        variables += (Integer("r", 1, MAX_D - 1), Matrix("L", "d", "r"), Matrix("K", "r", "n"))
    else:
        variables += (Matrix("M", "d", "n"),)
    variables += (Matrix("R", "d", "d", -2.0, 2.0), Vector("s", "d"))

    def hypothesis(batch: Batch) -> np.ndarray:
        if low_rank:
            return np.ones(batch["R"].shape[0], dtype=bool)
        M = batch["M"]
        return measures.rank(M, RANK_RTOL) == min(M.shape[1:])

    def dims_ok(c: dict[str, int]) -> bool:
        if form == "printed":
            return True
        return c["n"] <= c["d"] and (not low_rank or c["r"] < c["n"])

    return Domain(variables, hypothesis=hypothesis, repair=_repair, dims_ok=dims_ok)


# --------------------------------------------------------------------------- margins


def _claimed(d: int, n: int, form: Form) -> int:
    """The printed value of d_range(M)(W)^2 (``sqrt-n``: n)."""
    return n if form == "sqrt-n" else d - n


def _margin(form: Form) -> Callable[[Batch], tuple[np.ndarray, np.ndarray]]:
    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        d, n = batch["d"], batch["n"]
        M = _matrix_M(batch, form, exact=False)
        W = orthogonal(batch["R"], batch["s"])
        P = measures.projector(M, RANK_RTOL)
        dist2 = np.sum((P @ W - W) ** 2, axis=(1, 2))
        excess = np.abs(dist2 - _claimed(d, n, form))
        return excess, np.full_like(excess, float(max(d, n)))

    return margin


def distance_squared_exact(M: flint.fmpq_mat, W: flint.fmpq_mat) -> flint.fmpq:
    """``d_range(M)(W)^2 = ||M M^+ W - W||_F^2`` exactly (M M^+ = projector onto range(M),
    computed from a row basis of M^T, any rank)."""
    P = lx.row_space_projector(M.transpose())
    return lx.squared_norm(P * W - W)


def _margin_hp(form: Form) -> Callable[[Instance, int], Any]:
    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        d, n = inst["d"], inst["n"]
        M = _matrix_M(inst, form, exact=True)
        if form != "rank-dropped" and lx.rank(M) != min(d, n):
            return None
        W = orthogonal_exact(inst["R"], inst["s"])
        if W * W.transpose() != lx.identity(d):
            return None
        dist2 = distance_squared_exact(M, W)
        return abs(dist2 - _claimed(d, n, form)), flint.fmpq(max(d, n))

    return margin_hp


def distance_property(form: Form) -> Property:
    """``d_range(M)(W)^2 = d - n`` (or the mutant's value) over the form's domain."""
    return Property(make_domain(form), _margin(form), _margin_hp(form), TOLERANCE,
                    rigorous=True, description=f"Theorem 15 ({form}): |d_range(M)(W)^2 - "
                    "claimed| with W exactly orthogonal (Cayley) and M M^+ exact")


# --------------------------------------------------------------------------- sympy


@cache
def derivation(d: int, n: int) -> dict[str, bool]:
    """The proof's steps with sympy on a symbolic d x n M and W the Cayley transform of a
    symbolic skew-symmetric matrix: W W^T = I, ||(P - I) W||_F^2 = ||P - I||_F^2,
    P^2 = P (P = M (M^T M)^{-1} M^T), trace P = n, and d_range(M)(W)^2 = d - n."""
    M = sp.Matrix(d, n, lambda i, j: sp.Symbol(f"m{i + 1}{j + 1}", real=True))
    K = sp.zeros(d, d)
    for i in range(d):
        for j in range(i + 1, d):
            K[i, j] = sp.Symbol(f"k{i + 1}{j + 1}", real=True)
            K[j, i] = -K[i, j]
    eye = sp.eye(d)
    W = (eye - K) * (eye + K).inv()
    P = M * (M.T * M).inv() * M.T

    def zero(E: sp.Matrix) -> bool:
        return all(sp.cancel(e) == 0 for e in E)

    def fro2(E: sp.Matrix) -> sp.Expr:
        return sum((e**2 for e in E), sp.Integer(0))

    dist2 = fro2(P * W - W)
    return {
        "orthogonal": zero(W * W.T - eye),
        "drop-W": sp.cancel(dist2 - fro2(P - eye)) == 0,
        "idempotent": zero(P * P - P),
        "trace": sp.cancel(P.trace() - n) == 0,
        "distance": sp.cancel(dist2 - (d - n)) == 0,
    }


def counterexample_instance() -> Instance:
    """d = 1, n = 2, M = [1 1] (full rank 1), W = [1]: d_range(M)(W) = 0, d - n = -1."""
    return {"d": 1, "n": 2, "M": np.array([[Fraction(1), Fraction(1)]], dtype=object),
            "R": np.array([[Fraction(0)]], dtype=object),
            "s": np.array([Fraction(1)], dtype=object)}


def symbolic_theorem(form: Form) -> Callable[[], SymbolicOutcome]:
    """Derive the identity for the sizes with n <= d; the printed form also admits n > d,
    where the exact instance of :func:`counterexample_instance` refutes it."""

    def derive() -> SymbolicOutcome:
        failed = [f"(d, n) = {size}: {step}" for size in SYMBOLIC_SIZES
                  for step, ok in derivation(*size).items() if not ok]
        if failed:
            return SymbolicOutcome(None, "derivation steps failed: " + "; ".join(failed))
        sizes = ", ".join(str(s) for s in SYMBOLIC_SIZES)
        done = (f"for (d, n) in {sizes}: W W^T = I, ||(P - I)W||_F^2 = ||P - I||_F^2, "
                "P^2 = P, tr P = n and d_range(M)(W)^2 = d - n identically (sympy, entrywise)")
        if form == "corrected":
            return SymbolicOutcome(True, done)
        return SymbolicOutcome(
            False, done + "; but for n > d full rank means rank d, M M^+ = I and the "
            "distance is 0 != sqrt(d - n): d = 1, n = 2, M = [1 1], W = [1]",
            counterexample_instance())

    return derive


# --------------------------------------------------------------------------- claim


def _checks(form: Form, count: int, evaluations: int) -> tuple[Any, ...]:
    prop = distance_property(form)
    return (trials("exact-distance", prop, count=count),
            search("search", prop, evaluations=evaluations))


CLAIM = Claim(
    id="INIT-Thm15",
    paper=INIT,
    location="§5.2, Theorem 15 (definition of d_range(M) just before it)",
    statement=STATEMENT,
    notes=("Definition used, quoted: \"" + DEFINITION + "\" Margins compare squares "
           "|d_range(M)(W)^2 - (d - n)| (scale max(d, n)) so that n > d, where sqrt(d - n) "
           "is not real, is measurable. In the paper M = A^T with d > n, where the theorem "
           "holds; the refutation concerns the unrestricted sizes of the statement."),
    variants=(
        Variant(
            "as-printed",
            "Every size allowed by the statement (1 <= d <= 5, 1 <= n <= 6). Refuted for "
            "n > d: a full-rank d x n M then spans R^d and the distance is 0 (exact "
            "counterexample d = 1, n = 2, M = [1 1], W = [1]).",
            (symbolic("derivation", symbolic_theorem("printed"),
                      replay=distance_property("printed").margin_hp),
             *_checks("printed", 256, 2000)),
            expected=Verdict.REFUTED),
        Variant(
            "corrected",
            "Added hypothesis n <= d (M of full column rank, as in the proof's (M^T M)^{-1} "
            "and in the paper's use M = A^T). The sympy derivation and the exact rational "
            "checks for every size 1 <= n <= d <= 5 certify; the search (float64) supports.",
            (symbolic("derivation", symbolic_theorem("corrected")),
             *_checks("corrected", 512, 2000)),
            expected=Verdict.SUPPORTED),
        Variant(
            "mutant:rank-dropped",
            "Planted: full rank dropped (M = L K of inner dimension r < n); then the distance "
            "is sqrt(d - r).",
            _checks("rank-dropped", 128, 1000), expected=Verdict.REFUTED),
        Variant(
            "mutant:sqrt-n",
            "Planted: wrong constant, d_range(M)(W) = sqrt(n).",
            _checks("sqrt-n", 128, 1000), expected=Verdict.REFUTED),
    ),
)
