"""ALIGN-ExAutoenc (§4.2, "Autoencoding"): the case X = Y satisfies Theorem 1's condition.

Printed statement: "In the case when X = Y, it holds that U^T Y X^T V = U^T X X^T V. Taking
U = V to be the left singular vectors of X satisfies the conditions of Theorem 1."

Theorem 1's condition asks for orthonormal U, V with U^T Y X^T V and V^T X X^T V diagonal.
Two things are checked, over X in R^{k x n} (k > 1 as in Theorem 1, any n, including
rank-deficient X, repeated and zero singular values):

* the condition itself, decided exactly by the commutator criterion of
  :mod:`verify.core.alignment_condition` (X = Y gives A = B = X X^T, and [B, B^2] = 0);
* the printed witness: with X = P S Q^T an SVD, U = V = P makes P^T X X^T P = S S^T diagonal
  (re-checked with an mpmath SVD at the working precision).
"""

from __future__ import annotations

from typing import Any

import mpmath
import numpy as np
import sympy as sp

from theorems.papers import ALIGN
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.alignment_condition import (
    condition_defect,
    condition_defect_exact,
    offdiagonal_defect,
)
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real
from verify.verdicts import Tolerance, Verdict

STATEMENT = ("In the case when X = Y, it holds that  $U^T Y X^T V = U^T X X^T V$ . Taking "
             "U = V to be the left singular vectors of X satisfies the conditions of Theorem 1.")

CONDITION_TOL = Tolerance(rtol=1e-20, atol=0.0)
"""On the squared commutator defect: float rounding gives ~1e-32 relative; a genuine
violation is O(1e-2) or larger."""
RECIPE_TOL = Tolerance(rtol=1e-9, atol=0.0)


def _degenerate(batch: Batch) -> Batch:
    """Where ``snap < 1/3``, round X to multiples of 1/2 (zeros, ties, rank deficiency);
    where ``snap < 1/6``, also zero X's last row."""
    X = batch["X"].copy()
    snap = batch["snap"] < 1 / 3
    X[snap] = np.round(2 * X[snap]) / 2
    X[batch["snap"] < 1 / 6, -1, :] = 0.0
    out = dict(batch, X=X)
    if "Y" in batch:
        Y = batch["Y"].copy()
        Y[snap] = np.round(2 * Y[snap]) / 2
        out["Y"] = Y
    return out


def _domain(*, square: bool = False, free_y: bool = False) -> Domain:
    variables: list[Any] = [Integer("k", 2, 4), Integer("n", 1, 6), Matrix("X", "k", "n"),
                            Real("snap", 0.0, 1.0)]
    if free_y:
        variables.append(Matrix("Y", "k", "n"))
    dims_ok = (lambda d: d["n"] == d["k"]) if square else None
    return Domain(tuple(variables), repair=_degenerate, dims_ok=dims_ok)


def condition_property(*, free_y: bool = False) -> Property:
    """Theorem 1's condition for the data (X, Y) with Y = X (or, for the mutant, Y free)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        Y = batch["Y"] if free_y else batch["X"]
        return condition_defect(batch["X"], Y)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        Y = inst["Y"] if free_y else inst["X"]
        return condition_defect_exact(inst["X"], Y)

    return Property(_domain(free_y=free_y), margin, margin_hp, CONDITION_TOL, rigorous=True,
                    description="||[X X^T, A^T A]||_F^2 = 0 with A = Y X^T (exact criterion)")


def recipe_property(side: str) -> Property:
    """U = V = the ``side`` ("left" or "right") singular vectors of X make U^T X X^T V and
    V^T X X^T V diagonal (the two coincide since X = Y)."""
    index = 0 if side == "left" else 2

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        X = batch["X"]
        P = np.linalg.svd(X)[index]
        if side == "right":
            P = np.swapaxes(P, -1, -2)
        return offdiagonal_defect(np.swapaxes(P, -1, -2) @ X @ np.swapaxes(X, -1, -2) @ P)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        with mpmath.workdps(digits + 10):
            X = mpmath.matrix([[mpmath.mpf(v.numerator) / v.denominator for v in row]
                               for row in inst["X"]])
            svd = mpmath.svd_r(X, full_matrices=True)
            P = svd[0] if side == "left" else svd[2].T
            M = P.T * X * X.T * P
            off = mpmath.sqrt(mpmath.fsum(M[i, j] ** 2 for i in range(M.rows)
                                          for j in range(M.cols) if i != j))
            return off, mpmath.norm(M)

    return Property(_domain(square=side == "right"), margin, margin_hp, RECIPE_TOL,
                    description=f"U = V = {side} singular vectors of X")


def _derive() -> SymbolicOutcome:
    """From the definitions, with X = Y: U^T Y X^T V - U^T X X^T V = 0 for a generic 2 x 3 X;
    the criterion [B, A^T A] = 0 with A = B = X X^T; and for X = P S Q^T (P, Q rotations,
    S diagonal, all symbolic) P^T X X^T P = S S^T is diagonal."""
    X, Y = sp.Matrix(2, 3, sp.symbols("x1:7")), sp.Matrix(2, 3, sp.symbols("y1:7"))
    U, V = sp.Matrix(2, 2, sp.symbols("u1:5")), sp.Matrix(2, 2, sp.symbols("v1:5"))
    first = sp.expand((U.T * Y * X.T * V).subs(dict(zip(Y, X, strict=True))) - U.T * X * X.T * V)
    A, B = X * X.T, X * X.T
    comm = sp.expand(B * (A.T * A) - (A.T * A) * B)
    th, ph, s1, s2 = sp.symbols("theta phi s1 s2", real=True)
    rot2 = sp.Matrix([[sp.cos(th), -sp.sin(th)], [sp.sin(th), sp.cos(th)]])
    c, s = sp.cos(ph), sp.sin(ph)
    rot3 = sp.Matrix([[c, -s, 0], [s, c, 0], [0, 0, 1]])
    S = sp.Matrix([[s1, 0, 0], [0, s2, 0]])
    Xs = rot2 * S * rot3.T
    M = sp.simplify(rot2.T * Xs * Xs.T * rot2)
    off = [M[0, 1], M[1, 0]]
    holds = first == sp.zeros(2, 2) and comm == sp.zeros(2, 2) and all(e == 0 for e in off) \
        and sp.simplify(M[0, 0] - s1**2) == 0 and sp.simplify(M[1, 1] - s2**2) == 0
    return SymbolicOutcome(
        holds, "generic X (2x3): substituting Y = X turns U^T Y X^T V into U^T X X^T V; "
        "[X X^T, (X X^T)^2] expands to 0, so the commutator criterion holds; X = P S Q^T "
        "with symbolic rotations P, Q: P^T X X^T P = diag(s1^2, s2^2)"
        if holds else f"derivation failed: commutator {comm}, P^T X X^T P = {M}")


CLAIM = Claim(
    id="ALIGN-ExAutoenc",
    paper=ALIGN,
    location="§4.2 (Classes of Problems with Alignment, Autoencoding)",
    statement=STATEMENT,
    notes=("Theorem 1's condition is decided exactly by the commutator criterion "
           "(verify/core/alignment_condition.py): it holds iff X X^T and A^T A commute, "
           "A = Y X^T. The appendix file 000 does not restate this example."),
    variants=(
        Variant("as-printed",
                "X = Y: Theorem 1's condition holds (exact criterion) and U = V = left singular "
                "vectors of X witness it",
                (symbolic("derivation", _derive),
                 trials("condition", condition_property(), count=256),
                 trials("recipe", recipe_property("left"), count=256),
                 search("condition-search", condition_property()),
                 search("recipe-search", recipe_property("left"))),
                expected=Verdict.SUPPORTED),
        Variant("mutant:right-singular-vectors",
                "U = V = the right singular vectors of X (n = k) instead of the left ones",
                (trials("recipe", recipe_property("right"), count=256),
                 search("recipe-search", recipe_property("right"))),
                expected=Verdict.REFUTED),
        Variant("mutant:dropped-hypothesis",
                "hypothesis X = Y dropped: any data (X, Y) satisfies Theorem 1's condition",
                (trials("condition", condition_property(free_y=True), count=256),
                 search("condition-search", condition_property(free_y=True))),
                expected=Verdict.REFUTED),
    ),
)
