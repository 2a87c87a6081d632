"""ALIGN-Eq3 (§3, eq. (3)): the end-to-end map of an aligned network collapses to
U_d (prod Sigma) V_1^T.

Printed statement: "when the network f is aligned with usSVDs W_i = U_i Sigma_i V_i^T for all
1 <= i <= d, then f(x) = W_d ... W_1 x = U_d (prod_{i=0}^{d-1} Sigma_{d-i}) V_1^T x." (3)

Aligned (Definition 2): usSVDs W_i = U_i Sigma_i V_i^T (Definition 1: U_i, V_i orthonormal,
Sigma_i diagonal k_i x k_{i-1}, signed and unsorted) with U_i = V_{i+1} for i in [d - 1]. The
product prod_{i=0}^{d-1} Sigma_{d-i} is read left to right, Sigma_d Sigma_{d-1} ... Sigma_1 (the
only order that is defined for rectangular widths).

An aligned network is parametrised by orthonormal frames Q_0 = V_1, Q_i = U_i = V_{i+1}
(i < d), Q_d = U_d and diagonal Sigma_i: W_i = Q_i Sigma_i Q_{i-1}^T. The frames are Cayley
transforms Q = (I - S)(I + S)^{-1} of skew S = R - R^T, which are exactly orthogonal for
rational R, so the identity is re-checked in exact rational arithmetic. (Frames with
determinant -1 add nothing: a column sign change of Q_i is absorbed by the signed Sigma_i and
Sigma_{i+1}.) Widths k_0..k_d in {1, 2, 3}, depth d in {1, ..., 4}; Sigma_i with zero, tied and
negative entries.
"""

from __future__ import annotations

from typing import Any

import flint
import numpy as np
import sympy as sp

from theorems.papers import ALIGN
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.backend import NUMPY
from verify.core.hp import FMPQ
from verify.core.hp_linalg import identity, to_fmpq_mat
from verify.core.networks import end_to_end
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real
from verify.verdicts import Tolerance, Verdict

STATEMENT = (r"In particular, note that when the network f is aligned with usSVDs  "
             r"$W_i = U_i \Sigma_i V_i^T$  for all  $1 \le i \le d$ , then $$f(x) = W_d \cdots "
             r"W_1 x = U_d \left( \prod_{i=0}^{d-1} \Sigma_{d-i} \right) V_1^T x.$$ (3)")

DEPTH = 4
TOL = Tolerance(rtol=1e-12, atol=1e-14)
FORMS = ("printed", "outer-frames", "no-transpose", "unaligned")
"""The right-hand side as printed, and the mutants' versions (see CLAIM)."""


def _degenerate(batch: Batch) -> Batch:
    """Where ``snap < 1/2``, round the singular values to multiples of 1/2 (zeros, ties)."""
    snap = batch["snap"] < 0.5
    out = dict(batch)
    for i in range(1, DEPTH + 1):
        S = batch[f"S{i}"].copy()
        S[snap] = np.round(2 * S[snap]) / 2
        out[f"S{i}"] = S
    return out


def _dims_ok(d: dict[str, int]) -> bool:
    """Unused layers (i > d) get width 1, so that only real configurations are enumerated."""
    return all(d[f"k{i}"] == 1 for i in range(d["d"] + 1, DEPTH + 1))


DOMAIN = Domain(
    (Integer("d", 1, DEPTH), *(Integer(f"k{i}", 1, 3) for i in range(DEPTH + 1)),
     *(Matrix(f"R{i}", f"k{i}", f"k{i}") for i in range(DEPTH + 1)),
     *(Matrix(f"P{i}", f"k{i}", f"k{i}") for i in range(DEPTH + 1)),
     *(Matrix(f"S{i}", f"k{i}", f"k{i - 1}", structure="diagonal")
       for i in range(1, DEPTH + 1)),
     Real("snap", 0.0, 1.0)),
    repair=_degenerate, dims_ok=_dims_ok)
"""Frames from R_i (and, for the unaligned mutant, independent V-frames from P_i)."""

SQUARE_DOMAIN = Domain(DOMAIN.variables, repair=_degenerate,
                       dims_ok=lambda d: _dims_ok(d) and len({d[f"k{i}"] for i in
                                                              range(d["d"] + 1)}) == 1)
"""Equal widths, where the outer-frames mutant is well-typed."""


def cayley(R: np.ndarray) -> np.ndarray:
    """Batched Cayley transform (I + S)^{-1}(I - S) of S = R - R^T: orthogonal."""
    S = R - np.swapaxes(R, -1, -2)
    eye = np.eye(R.shape[-1])
    return np.linalg.solve(eye + S, eye - S)


def cayley_exact(R: np.ndarray) -> flint.fmpq_mat:
    """Exact Cayley transform of a rational matrix (an exactly orthogonal fmpq_mat)."""
    Rq = to_fmpq_mat(R)
    S = Rq - Rq.transpose()
    eye = identity(Rq.nrows())
    return (eye + S).inv() * (eye - S)


def _sides(form: str, Q: list[Any], P: list[Any], S: list[Any], xp: Any) -> tuple[Any, Any]:
    """(W_d ... W_1, right-hand side) for frames Q_0..Q_d, V-frames P, diagonal S_1..S_d."""
    d = len(S)
    V = [Q[i - 1] if form != "unaligned" else (Q[0] if i == 1 else P[i - 1])
         for i in range(1, d + 1)]
    weights = [xp.matmul(xp.matmul(Q[i], S[i - 1]), xp.T(V[i - 1])) for i in range(1, d + 1)]
    lhs = end_to_end(weights, xp)
    sigma = end_to_end(S, xp)  # Sigma_d ... Sigma_1 = prod_{i=0}^{d-1} Sigma_{d-i}
    if form == "outer-frames":
        return lhs, xp.matmul(xp.matmul(Q[1], sigma), xp.T(Q[d - 1]))
    right = Q[0] if form == "no-transpose" else xp.T(Q[0])
    return lhs, xp.matmul(xp.matmul(Q[d], sigma), right)


def eq3_property(form: str) -> Property:
    """W_d ... W_1 = U_d Sigma_d ... Sigma_1 V_1^T (or the mutant's right-hand side).

    Excess: largest entry of the difference; scale: prod_i max |Sigma_i| (the size of the
    product's entries, so that rounding of a vanishing product is not a relative O(1))."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        d = batch["d"]
        Q = [cayley(batch[f"R{i}"]) for i in range(d + 1)]
        P = [cayley(batch[f"P{i}"]) for i in range(d + 1)]
        S = [batch[f"S{i}"] for i in range(1, d + 1)]
        lhs, rhs = _sides(form, Q, P, S, NUMPY)
        excess = np.abs(lhs - rhs).max(axis=(-2, -1))
        return excess, np.prod([np.abs(s).max(axis=(-2, -1)) for s in S], axis=0)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        d = inst["d"]
        Q = [cayley_exact(inst[f"R{i}"]) for i in range(d + 1)]
        P = [cayley_exact(inst[f"P{i}"]) for i in range(d + 1)]
        S = [FMPQ.asmat(inst[f"S{i}"]) for i in range(1, d + 1)]
        lhs, rhs = _sides(form, Q, P, S, FMPQ)
        excess = max(abs(v) for v in (lhs - rhs).entries())
        scale = flint.fmpq(1)
        for s in S:
            scale *= max(abs(v) for v in s.entries())
        return excess, scale

    return Property(SQUARE_DOMAIN if form == "outer-frames" else DOMAIN, margin, margin_hp,
                    TOL, rigorous=True,
                    description=f"W_d ... W_1 = {form} right-hand side of (3)")


def _cancel_orthogonal(factors: list[sp.Expr]) -> list[sp.Expr]:
    """Remove adjacent pairs Q^T Q (Definition 1: the frames are orthonormal)."""
    out: list[sp.Expr] = []
    for f in factors:
        if out and isinstance(out[-1], sp.Transpose) and out[-1].arg == f:
            out.pop()
        else:
            out.append(f)
    return out


def _derive() -> SymbolicOutcome:
    """Non-commutative derivation from Definitions 1-2 for d = 1..6 (substitute V_{i+1} = U_i,
    cancel U_i^T U_i = I), compared with the printed right-hand side; and an explicit check
    at widths (2, 3, 1, 2) with symbolic exactly-orthogonal frames (rational rotations / a
    3 x 3 Cayley transform) and symbolic diagonal Sigma_i."""
    k = sp.Symbol("k", integer=True, positive=True)
    details = []
    for d in range(1, 7):
        U = [sp.MatrixSymbol(f"U{i}", k, k) for i in range(d + 1)]  # U0 stands for V_1
        Sig = [None, *(sp.MatrixSymbol(f"Sigma{i}", k, k) for i in range(1, d + 1))]
        V = [None, U[0], *U[1:d]]  # Definition 2: V_{i+1} = U_i
        factors = [f for i in range(d, 0, -1) for f in (U[i], Sig[i], V[i].T)]
        derived = sp.MatMul(*_cancel_orthogonal(factors)).doit()
        printed = sp.MatMul(U[d], *[Sig[d - i] for i in range(d)], V[1].T).doit()
        if derived != printed:
            return SymbolicOutcome(False, f"d = {d}: derived {derived}, printed {printed}")
        details.append(f"d={d}")
    widths = (2, 3, 1, 2)
    t = sp.symbols("t0:4", real=True)
    a = sp.symbols("a0:3", real=True)

    def rot2(s: sp.Symbol) -> sp.Matrix:
        return sp.Matrix([[1 - s**2, -2 * s], [2 * s, 1 - s**2]]) / (1 + s**2)

    skew = sp.Matrix([[0, a[0], a[1]], [-a[0], 0, a[2]], [-a[1], -a[2], 0]])
    rot3 = (sp.eye(3) + skew).inv() * (sp.eye(3) - skew)
    frames = [rot2(t[0]), rot3, sp.Matrix([[1]]), rot2(t[3])]
    sig = [sp.Matrix(widths[i], widths[i - 1],
                     lambda r, c, i=i: sp.Symbol(f"s{i}_{r}") if r == c else 0)
           for i in range(1, 4)]
    W = [frames[i] * sig[i - 1] * frames[i - 1].T for i in range(1, 4)]
    diff = (W[2] * W[1] * W[0] - frames[3] * sig[2] * sig[1] * sig[0] * frames[0].T)
    zero = diff.applyfunc(sp.cancel) == sp.zeros(2, 2)
    orth = (rot3.T * rot3).applyfunc(sp.cancel) == sp.eye(3)
    holds = zero and orth
    return SymbolicOutcome(
        holds, "W_d...W_1 reduces to U_d Sigma_d...Sigma_1 V_1^T after V_{i+1} = U_i and "
        f"U_i^T U_i = I ({', '.join(details)}); explicit widths {widths} with symbolic "
        "orthogonal frames: difference cancels to 0" if holds else
        f"explicit check failed (orthogonal frame: {orth}, difference zero: {zero})")


CLAIM = Claim(
    id="ALIGN-Eq3",
    paper=ALIGN,
    location="§3, eq. (3)",
    statement=STATEMENT,
    notes=("The product prod_{i=0}^{d-1} Sigma_{d-i} is read left to right (Sigma_d ... "
           "Sigma_1). The appendix file 000 uses (3) in the proofs of Lemma 1 and App. J "
           "without restating it."),
    variants=(
        Variant("as-printed", "W_d ... W_1 = U_d Sigma_d ... Sigma_1 V_1^T for aligned usSVDs",
                (symbolic("derivation", _derive),
                 trials("aligned-networks", eq3_property("printed"), count=256),
                 search("search", eq3_property("printed"))),
                expected=Verdict.SUPPORTED),
        Variant("mutant:outer-frames", "U_1 (prod Sigma) V_d^T instead of U_d (prod Sigma) V_1^T",
                (trials("aligned-networks", eq3_property("outer-frames"), count=256),
                 search("search", eq3_property("outer-frames"))),
                expected=Verdict.REFUTED),
        Variant("mutant:no-transpose", "V_1 instead of V_1^T",
                (trials("aligned-networks", eq3_property("no-transpose"), count=256),
                 search("search", eq3_property("no-transpose"))),
                expected=Verdict.REFUTED),
        Variant("mutant:unaligned", "hypothesis U_i = V_{i+1} dropped (independent usSVDs)",
                (trials("aligned-networks", eq3_property("unaligned"), count=256),
                 search("search", eq3_property("unaligned"))),
                expected=Verdict.REFUTED),
    ),
)
