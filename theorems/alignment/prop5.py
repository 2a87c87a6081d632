"""ALIGN-Prop5 (§5.2, Proposition 5; App. K): an r-dimensional subspace S of k x k matrices
with ``r < k - 1 - C(k - n, 2)`` aligns with only a measure-zero set of k x n matrices.

Reading: ``M_S = {Z in R^{k x n} : some A in S, not a scalar multiple of I, is aligned with Z}``
("A aligned with Z": usSVDs with ``V_A = U_Z``, Definition 2; the other order needs n = k).
By the criterion of :mod:`theorems.alignment.prop4`, A (k x k) is aligned with Z (k x n) iff
``A^T A`` commutes with ``Z Z^T`` (the support condition holds since max(k, min(k, n)) = k).

**Refuted as printed.** App. K says the partition ``lambda = (k)`` (all singular values equal)
gives "simply the set of scalar multiples of the identity"; it is the set of scalar multiples
of *orthogonal* matrices. If S contains an orthogonal Q that is not +-I, then ``Q^T Q = I``
commutes with every ``Z Z^T``: ``Q = (Q U_Z) I U_Z^T`` is a usSVD with ``V_Q = U_Z``, so
``M_S = R^{k x n}``. Smallest: k = 3, n >= 2, r = 1 < 2, S = span{diag(1, 1, -1)}.

**Corrected:** exclude the scalar multiples of orthogonal matrices (``A^T A`` a multiple of
I). Checked exactly for two families where membership in M_S is decidable in rationals:

* ``S = span{Q_1, Q_2}`` of Cayley (exactly orthogonal) matrices: ``A^T A = |c|^2 I + c_1 c_2
  H``, ``H = Q_1^T Q_2 + Q_2^T Q_1``; Z in M_S iff H is not a multiple of I and
  ``[H, Z Z^T] = 0``; r = 1: M_S is empty;
* rank-one layers ``S = {w x^T : x in L}``, dim L = r: ``A^T A = |w|^2 x x^T``; Z in M_S iff L
  contains an eigenvector of ``Z Z^T``, i.e. iff the gcd of the r x r minors of
  ``Z Z^T L - lambda L`` (a polynomial in lambda) is not constant (sympy, exact). This family
  reaches positive measure at r = k (n >= k) and r = n + 1 (n < k), above the printed bound;
  the mutant ``r < k + 1 - C(k - n, 2)`` is refuted by it.

The proof's arithmetic (dim O(k, n) = C(k, 2) - C(k - n, 2); max over lambda != (k) of
sum C(lambda_i, 2) is C(k - 1, 2); the negation ``r < k - 1 - C(k - n, 2)``) is re-derived
with sympy for k <= 10.
"""

from __future__ import annotations

from itertools import combinations
from math import comb
from typing import Any

import flint
import numpy as np
import sympy as sp
from sympy.utilities.iterables import partitions

from theorems.alignment.eq3 import cayley, cayley_exact
from theorems.papers import ALIGN
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.hp_linalg import to_fmpq_mat
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real
from verify.verdicts import Tolerance, Verdict

STATEMENT = (r"**Proposition 5.** Let S be an r-dimensional linear subspace of  $k \times k$  "
             r"matrices. If  $r < k - 1 - {k-n \choose 2}$  then the set of matrices of size  "
             r"$k \times n$  that can align with an element of S, excluding scalar multiples of "
             r"the identity, has Lebesgue measure zero.")

K_MAX, N_MAX, R_MAX = 5, 5, 5
INDICATOR = Tolerance(rtol=0.0, atol=0.5)
"""Margins are membership indicators (1: Z lies in M_S, 0: it does not)."""
RULES = ("printed", "corrected", "bound-plus-two")


def binom2(m: int) -> int:
    """C(m, 2) with the paper's convention C(m, 2) = 0 for m < 2."""
    return comb(m, 2) if m >= 2 else 0


def bound(k: int, n: int, rule: str) -> int:
    """The dimension bound: ``k - 1 - C(k - n, 2)`` (mutant: ``k + 1 - C(k - n, 2)``)."""
    return k + (1 if rule == "bound-plus-two" else -1) - binom2(k - n)


def family(inst: Any) -> str:
    """Orthogonal-span family (r <= 2) or rank-one family."""
    return "orthogonal" if float(inst["fam"]) < 0.5 and inst["r"] <= 2 else "rank-one"


# --------------------------------------------------------------------------- membership


def rank_one_member(Z: flint.fmpq_mat, L: flint.fmpq_mat) -> bool:
    """Does L (k x r, full column rank) contain an eigenvector of Z Z^T? (exact)"""
    lam = sp.Symbol("lam")
    M = Z * Z.transpose() * L
    k, r = L.nrows(), L.ncols()

    def q(v: flint.fmpq) -> sp.Rational:
        return sp.Rational(int(v.p), int(v.q))

    pencil = sp.Matrix(k, r, lambda i, j: q(M[i, j]) - lam * q(L[i, j]))
    g = sp.Integer(0)
    for rows in combinations(range(k), r):
        g = sp.gcd(g, sp.expand(pencil.extract(list(rows), list(range(r))).det()))
        if g.is_number and g != 0:
            return False
    return sp.Poly(g, lam).degree() >= 1


def orthogonal_member(Q: list[flint.fmpq_mat], Z: flint.fmpq_mat, rule: str) -> bool:
    """Z in M_S for S = span(Q) (exactly orthogonal Q_j), excluding scalar multiples of I
    (printed) or of orthogonal matrices (corrected)."""
    k = Z.nrows()
    eye = to_fmpq_mat(np.eye(k, dtype=int))
    if rule != "corrected":
        # A = Q_j (or a combination) with Q_j != +-I: Q_j^T Q_j = I commutes with Z Z^T
        return any(q != eye and q != -eye for q in Q) or len(Q) > 1
    if len(Q) == 1:
        return False
    H = Q[0].transpose() * Q[1] + Q[1].transpose() * Q[0]
    if H == H[0, 0] * eye:
        return False
    G = Z * Z.transpose()
    return H * G == G * H


def generic_exact(Z: flint.fmpq_mat) -> bool:
    """Z of full rank min(k, n) with distinct non-zero singular values (exact: the
    characteristic polynomial of the smaller Gram matrix is square-free, non-zero at 0)."""
    G = Z.transpose() * Z if Z.ncols() < Z.nrows() else Z * Z.transpose()
    p = G.charpoly()
    return p(0) != 0 and p.gcd(p.derivative()).degree() == 0


def member_exact(inst: Instance, rule: str) -> bool | None:
    """Exact membership of Z in M_S (None: S has dimension < r)."""
    k, r = inst["k"], inst["r"]
    Z = to_fmpq_mat(base_point(k, inst["n"])) + to_fmpq_mat(inst["Z"]) / 8
    if not generic_exact(Z):
        return None
    if family(inst) == "orthogonal":
        Q = [cayley_exact(inst[f"R{j}"]) for j in range(1, r + 1)]
        span = flint.fmpq_mat(r, k * k, [v for q in Q for v in q.entries()])
        if span.rank() < r:
            return None
        return orthogonal_member(Q, Z, rule)
    L = to_fmpq_mat(inst["L"])
    if L.rank() < r or k == 1:
        return None
    return rank_one_member(Z, L)


def member_float(inst: Any, rule: str) -> float:
    """Float64 twin of :func:`member_exact` (nan when S is degenerate)."""
    k, r = inst["k"], inst["r"]
    Z = base_point(k, inst["n"]) + np.asarray(inst["Z"], dtype=float) / 8
    G = Z @ Z.T
    if family(inst) == "orthogonal":
        Q = [cayley(np.asarray(inst[f"R{j}"], dtype=float)) for j in range(1, r + 1)]
        if rule != "corrected":
            return float(r > 1 or not np.allclose(np.abs(Q[0]), np.eye(k)))
        if r == 1:
            return 0.0
        H = Q[0].T @ Q[1] + Q[1].T @ Q[0]
        if np.allclose(H, H[0, 0] * np.eye(k), atol=1e-12):
            return 0.0
        C = H @ G - G @ H
        return float(np.linalg.norm(C) <= 1e-9 * np.linalg.norm(H) * np.linalg.norm(G))
    L = np.asarray(inst["L"], dtype=float)
    if k == 1 or np.linalg.matrix_rank(L) < r:
        return np.nan
    _, vecs = np.linalg.eigh(G)
    Pl = L @ np.linalg.pinv(L)
    dist = np.linalg.norm(vecs - Pl @ vecs, axis=0)
    return float(dist.min() <= 1e-9)


# --------------------------------------------------------------------------- domain


def _ok(rule: str) -> Any:
    return lambda dm: dm["r"] < bound(dm["k"], dm["n"], rule) and dm["r"] <= dm["k"]



def domain(rule: str) -> Domain:
    """k, n, r with the statement's hypothesis on r; generators R_j, L; data G + Z / 8.
    (The rank-one family is ``{w x^T : x in L}`` for any fixed w != 0; membership of the data
    does not depend on w.)"""
    return Domain(
        (Integer("k", 1, K_MAX), Integer("n", 1, N_MAX), Integer("r", 1, R_MAX),
         *(Matrix(f"R{j}", "k", "k") for j in (1, 2)), Matrix("L", "k", "r"),
         Matrix("Z", "k", "n"), Real("fam", 0.0, 1.0)),
        dims_ok=_ok(rule))


def base_point(k: int, n: int) -> np.ndarray:
    """A fixed generic k x n matrix G (dyadic entries from a seeded generator): the data are
    ``G + Z / 8``, so that the search explores the subspaces S while the data stay generic
    (a measure-zero statement cannot be refuted by a specially placed Z)."""
    rng = np.random.default_rng(1000 * k + n)
    return np.round(rng.uniform(-1, 1, size=(k, n)) * 1024) / 1024


def prop5_property(rule: str) -> Property:
    """Indicator that a random Z lies in M_S (measure zero: every trial should give 0).

    ``rule``: 'printed' (exclude multiples of I), 'corrected' (exclude multiples of
    orthogonal matrices) or 'bound-plus-two' (corrected exclusion, looser bound)."""
    exclusion = "printed" if rule == "printed" else "corrected"

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        n = batch["Z"].shape[0]
        out = np.array([member_float({key: (v[b] if isinstance(v, np.ndarray) else v)
                                      for key, v in batch.items()}, exclusion)
                        for b in range(n)])
        return out, np.ones(n)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        got = member_exact(inst, exclusion)
        return None if got is None else (int(got), 1)

    return Property(domain(rule), margin, margin_hp, INDICATOR, rigorous=True,
                    description=f"random Z in M_S ({rule})")


# --------------------------------------------------------------------------- symbolic


def derive_proof_arithmetic() -> SymbolicOutcome:
    """App. K's counting for k <= 10, n <= 12: dim O(k, n) (Stiefel: kn - n(n+1)/2 for
    n <= k, C(k, 2) for n >= k) = C(k, 2) - C(k - n, 2); max over partitions lambda != (k) of
    sum C(lambda_i, 2) = C(k - 1, 2); and not(r + C(k-1, 2) >= C(k, 2) - C(k-n, 2)) iff
    r < k - 1 - C(k - n, 2)."""
    bad = []
    for k in range(2, 11):
        best = max(sum(binom2(p) * m for p, m in part.items())
                   for part in partitions(k) if part != {k: 1})
        if best != binom2(k - 1):
            bad.append(("partition", k))
        for n in range(1, 13):
            stiefel = k * n - n * (n + 1) // 2 if n <= k else binom2(k)
            if stiefel != binom2(k) - binom2(k - n):
                bad.append(("stiefel", k, n))
            for r in range(0, k * k + 1):
                if (not r + binom2(k - 1) >= binom2(k) - binom2(k - n)) != (r < bound(k, n,
                                                                                    "printed")):
                    bad.append(("negation", k, n, r))
    return SymbolicOutcome(not bad, "App. K arithmetic re-derived for k <= 10, n <= 12: "
                                    + ("all steps hold" if not bad else f"fails at {bad[:3]}"))


def derive_orthogonal_counterexample() -> SymbolicOutcome:
    """k = n = 3, S = span{Q}, Q = diag(1, 1, -1): for a fully symbolic Z, Q^T Q Z Z^T -
    Z Z^T Q^T Q = 0 identically, so every Z is aligned with Q (not a multiple of I): M_S is
    all of R^{3 x 3}; r = 1 < 3 - 1 - C(0, 2) = 2."""
    Z = sp.Matrix(3, 3, sp.symbols("z0:9"))
    Q = sp.diag(1, 1, -1)
    comm = (Q.T * Q * Z * Z.T - Z * Z.T * Q.T * Q).applyfunc(sp.expand)
    zero = comm == sp.zeros(3, 3) and Q != Q[0, 0] * sp.eye(3) and Q.T * Q == sp.eye(3)
    inst: Instance = {"k": 3, "n": 3, "r": 1, "fam": 0,
                      "R1": np.array([[0, 0, 0], [0, 0, 0], [0, 0, 0]], dtype=object),
                      "R2": np.zeros((3, 3), dtype=object),
                      "L": np.zeros((3, 1), dtype=object),
                      "Z": np.array([[1, 2, 0], [0, 1, 3], [1, 0, 1]], dtype=object)}
    # R1 with R1 - R1^T = [[0, 0, 0], [0, 0, 1], [0, -1, 0]]: Cayley gives a rotation != +-I
    inst["R1"][1, 2] = 1
    return SymbolicOutcome(False if zero else None,
                           "[Q^T Q, Z Z^T] = 0 for symbolic Z and orthogonal Q = diag(1, 1, -1) "
                           "(not a multiple of I): every 3 x 3 matrix aligns with an element of "
                           "S = span{Q}, r = 1 < 2", counterexample=inst)


CLAIM = Claim(
    id="ALIGN-Prop5",
    paper=ALIGN,
    location="§5.2 Proposition 5; App. K (000: Proposition 4, App. K)",
    statement=STATEMENT,
    notes=("000 numbers this Proposition 4 (App. K identical up to formatting; 001 has a "
           "line break inside 'dim(B) = dim(O(k, n))'). App. K works with left singular "
           "vectors U(A) while alignment with Z needs V_A = U_Z (the same count). The flaw: "
           "T_(k) is the set of scalar multiples of orthogonal matrices, not of the identity. "
           "The measure-zero statement is checked as: a random Z (absolutely continuous law) "
           "lies in M_S with probability 0; for the orthogonal counterexample every Z does."),
    variants=(
        Variant("as-printed", "excluding scalar multiples of the identity",
                (symbolic("proof-arithmetic", derive_proof_arithmetic),
                 symbolic("orthogonal-counterexample", derive_orthogonal_counterexample,
                          replay=prop5_property("printed").margin_hp),
                 trials("random-data", prop5_property("printed"), count=128),
                 search("search", prop5_property("printed"), evaluations=4000)),
                expected=Verdict.REFUTED),
        Variant("corrected", "excluding scalar multiples of orthogonal matrices "
                             "(A^T A = c I): App. K's lambda = (k) stratum",
                (symbolic("proof-arithmetic", derive_proof_arithmetic),
                 trials("random-data", prop5_property("corrected"), count=128),
                 search("search", prop5_property("corrected"), evaluations=4000)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:bound-plus-two", "corrected exclusion, bound r < k + 1 - C(k - n, 2)",
                (trials("random-data", prop5_property("bound-plus-two"), count=128),
                 search("search", prop5_property("bound-plus-two"), evaluations=4000,
                        shrink=False)),
                expected=Verdict.REFUTED),
    ),
)
