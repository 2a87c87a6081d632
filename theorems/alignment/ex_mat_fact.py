"""ALIGN-ExMatFact (§4.2, "Matrix Factorization and Inversion"): X = I, or Y = I, satisfies
Theorem 1's condition.

Printed statement: "In the case of matrix factorization, we have that X = I. Hence taking U and
V to be the left and right singular vectors of Y respectively satisfies the conditions of
Theorem 1. For matrix inversion, we have that Y = I and we proceed analogously."

Theorem 1's condition: orthonormal U, V with U^T Y X^T V and V^T X X^T V diagonal. With X = I
(so n = k) these are U^T Y V and I: an SVD Y = U S V^T gives the witness. With Y = I they are
U^T X^T V and V^T X X^T V; "analogously" is read as taking U, V to be the left and right
singular vectors of Y X^T = X^T, i.e. U = the right and V = the left singular vectors of X
(X = P S Q^T gives Q^T X^T P = S^T and P^T X X^T P = S S^T). The literal transfer "left and
right singular vectors of X" fails; it is kept as a mutant.

Checked over k in {2, 3, 4} with square data including rank-deficient matrices and repeated
or zero singular values: the condition exactly (commutator criterion of
:mod:`verify.core.alignment_condition`) and the witnesses (float SVD, re-checked with an
mpmath SVD).
"""

from __future__ import annotations

from fractions import Fraction
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

STATEMENT = ("Matrix Factorization and Inversion: In the case of matrix factorization, we have "
             "that X = I. Hence taking U and V to be the left and right singular vectors of Y "
             "respectively satisfies the conditions of Theorem 1. For matrix inversion, we have "
             "that Y = I and we proceed analogously.")

CONDITION_TOL = Tolerance(rtol=1e-20, atol=0.0)
"""On the squared commutator defect (float rounding ~1e-32 relative)."""
RECIPE_TOL = Tolerance(rtol=1e-9, atol=0.0)

PROBLEMS = ("factorization", "inversion", "free")
"""Which data: X = I and Y = M; Y = I and X = M; or (mutant) X = M and Y = N both free."""


def _degenerate(batch: Batch) -> Batch:
    """Where ``snap < 1/3``, round M to multiples of 1/2 (zeros, ties, rank deficiency);
    where ``snap < 1/6``, also zero M's last row."""
    M = batch["M"].copy()
    snap = batch["snap"]
    M[snap < 1 / 3] = np.round(2 * M[snap < 1 / 3]) / 2
    M[snap < 1 / 6, -1, :] = 0.0
    return dict(batch, M=M)


DOMAIN = Domain((Integer("k", 2, 4), Matrix("M", "k", "k"), Matrix("N", "k", "k"),
                 Real("snap", 0.0, 1.0)), repair=_degenerate)


def _data(problem: str, M: Any, N: Any, eye: Any) -> tuple[Any, Any]:
    """(X, Y) of the problem, from the sampled M (and N for the free mutant)."""
    if problem == "factorization":
        return eye, M
    if problem == "inversion":
        return M, eye
    return M, N


def condition_property(problem: str) -> Property:
    """Theorem 1's condition for the problem's data, decided by the commutator criterion."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        eye = np.broadcast_to(np.eye(batch["k"]), batch["M"].shape)
        return condition_defect(*_data(problem, batch["M"], batch["N"], eye))

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        k = inst["k"]
        eye = np.array([[Fraction(int(i == j)) for j in range(k)] for i in range(k)],
                       dtype=object)
        return condition_defect_exact(*_data(problem, inst["M"], inst["N"], eye))

    return Property(DOMAIN, margin, margin_hp, CONDITION_TOL, rigorous=True,
                    description=f"{problem}: ||[X X^T, A^T A]||_F^2 = 0, A = Y X^T")


def recipe_property(problem: str, u_from: str, v_from: str) -> Property:
    """With M = P S Q^T an SVD, U and V taken as P ("left") or Q ("right") make
    U^T Y X^T V and V^T X X^T V diagonal."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        P, _, Qt = np.linalg.svd(batch["M"])
        pick = {"left": P, "right": np.swapaxes(Qt, -1, -2)}
        U, V = pick[u_from], pick[v_from]
        eye = np.broadcast_to(np.eye(batch["k"]), batch["M"].shape)
        X, Y = _data(problem, batch["M"], batch["N"], eye)
        Xt = np.swapaxes(X, -1, -2)
        off1, n1 = offdiagonal_defect(np.swapaxes(U, -1, -2) @ Y @ Xt @ V)
        off2, n2 = offdiagonal_defect(np.swapaxes(V, -1, -2) @ X @ Xt @ V)
        return np.hypot(off1, off2), np.hypot(n1, n2)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        with mpmath.workdps(digits + 10):
            def mp(A: np.ndarray) -> mpmath.matrix:
                return mpmath.matrix([[mpmath.mpf(v.numerator) / v.denominator for v in row]
                                      for row in A])

            M = mp(inst["M"])
            P, _, Qt = mpmath.svd_r(M, full_matrices=True)
            pick = {"left": P, "right": Qt.T}
            U, V = pick[u_from], pick[v_from]
            X, Y = _data(problem, M, mp(inst["N"]), mpmath.eye(inst["k"]))
            blocks = (U.T * Y * X.T * V, V.T * X * X.T * V)
            off = mpmath.sqrt(mpmath.fsum(B[i, j] ** 2 for B in blocks for i in range(B.rows)
                                          for j in range(B.cols) if i != j))
            size = mpmath.sqrt(mpmath.fsum(mpmath.norm(B) ** 2 for B in blocks))
            return off, size

    return Property(DOMAIN, margin, margin_hp, RECIPE_TOL,
                    description=f"{problem}: U, V = {u_from}, {v_from} singular vectors of M")


def _derive() -> SymbolicOutcome:
    """From the definitions, for symbolic 2 x 2 data: the criterion [X X^T, A^T A] = 0 expands
    to 0 for X = I and for Y = I; and with M = P S Q^T (P, Q symbolic rotations, S = diag(s1,
    s2)) the two witnesses give diagonal U^T Y X^T V and V^T X X^T V."""
    m = sp.Matrix(2, 2, sp.symbols("m1:5"))
    eye = sp.eye(2)
    crit = []
    for X, Y in ((eye, m), (m, eye)):
        A, B = Y * X.T, X * X.T
        crit.append(sp.expand(B * A.T * A - A.T * A * B) == sp.zeros(2, 2))
    th, ph, s1, s2 = sp.symbols("theta phi s1 s2", real=True)

    def rot(a: sp.Symbol) -> sp.Matrix:
        return sp.Matrix([[sp.cos(a), -sp.sin(a)], [sp.sin(a), sp.cos(a)]])

    P, Q, S = rot(th), rot(ph), sp.diag(s1, s2)
    M = P * S * Q.T
    wit = []
    for (X, Y), (U, V) in (((eye, M), (P, Q)), ((M, eye), (Q, P))):
        for block in (U.T * Y * X.T * V, V.T * X * X.T * V):
            block = sp.simplify(block)
            wit.append(sp.simplify(block[0, 1]) == 0 and sp.simplify(block[1, 0]) == 0)
    holds = all(crit) and all(wit)
    return SymbolicOutcome(
        holds, "commutator criterion expands to 0 for X = I and for Y = I (generic 2x2 data); "
        "witnesses U, V = (P, Q) for X = I, Y = P S Q^T and (Q, P) for Y = I, X = P S Q^T give "
        "diagonal U^T Y X^T V and V^T X X^T V (symbolic rotations)"
        if holds else f"derivation failed: criterion {crit}, witnesses {wit}")


CLAIM = Claim(
    id="ALIGN-ExMatFact",
    paper=ALIGN,
    location="§4.2 (Classes of Problems with Alignment, Matrix Factorization and Inversion)",
    statement=STATEMENT,
    notes=("'Proceed analogously' for inversion (Y = I) is read as: U, V are the left and right "
           "singular vectors of Y X^T = X^T (U = right, V = left singular vectors of X); the "
           "literal transfer (left and right singular vectors of X) is false in general and is "
           "the mutant 'inversion-literal'. The condition itself is decided exactly by the "
           "commutator criterion (verify/core/alignment_condition.py). The appendix file 000 "
           "does not restate this example."),
    variants=(
        Variant("as-printed",
                "X = I: U, V = left, right singular vectors of Y; Y = I: U, V = left, right "
                "singular vectors of X^T; Theorem 1's condition holds exactly in both cases",
                (symbolic("derivation", _derive),
                 trials("condition-factorization", condition_property("factorization"),
                        count=256),
                 trials("condition-inversion", condition_property("inversion"), count=256),
                 trials("witness-factorization", recipe_property("factorization", "left",
                                                                 "right"), count=256),
                 trials("witness-inversion", recipe_property("inversion", "right", "left"),
                        count=256),
                 search("witness-search-factorization",
                        recipe_property("factorization", "left", "right")),
                 search("witness-search-inversion",
                        recipe_property("inversion", "right", "left"))),
                expected=Verdict.SUPPORTED),
        Variant("mutant:swapped-factors",
                "factorization with U, V = right, left singular vectors of Y (swapped)",
                (trials("witness-factorization",
                        recipe_property("factorization", "right", "left"), count=256),
                 search("witness-search-factorization",
                        recipe_property("factorization", "right", "left"))),
                expected=Verdict.REFUTED),
        Variant("mutant:inversion-literal",
                "inversion with U, V = left, right singular vectors of X (not of X^T)",
                (trials("witness-inversion", recipe_property("inversion", "left", "right"),
                        count=256),
                 search("witness-search-inversion",
                        recipe_property("inversion", "left", "right"))),
                expected=Verdict.REFUTED),
        Variant("mutant:dropped-hypothesis",
                "neither X = I nor Y = I: any square data satisfies Theorem 1's condition",
                (trials("condition-free", condition_property("free"), count=256),
                 search("condition-search-free", condition_property("free"))),
                expected=Verdict.REFUTED),
    ),
)
