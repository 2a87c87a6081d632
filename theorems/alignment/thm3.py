"""ALIGN-Thm3 (§5.2, Theorem 3): networks whose layers lie in a subspace S of dimension
``r < k - 1`` cannot be aligned when they interpolate generic data.

"f is aligned" (Definition 2): usSVDs ``W_i = U_i S_i V_i^T`` with ``U_i = V_{i+1}``; for
d = 2 this is "W_2 is aligned with W_1", decided exactly by
:func:`theorems.alignment.prop4.alignment_excess` (``W_2^T W_2`` commutes with
``W_1 W_1^T``; the support condition is automatic for square layers).

**Refuted as printed.** The statement quantifies S *after* the generic data ("let X, Y be
generic, let S be a subspace ..."), so S may depend on them. For n = k, X invertible and
``P = Y X^{-1}``: ``S = span{I, P}`` has r = 2 < k - 1 for k >= 4, and ``W_1 = P``,
``W_2 = I`` (P not a multiple of I) interpolate (``W_2 W_1 X = Y``) and are aligned
(``W_2^T W_2 = I`` commutes with everything). Every generic data set is a counterexample.
(For n > k generic Y is not ``f(X)`` for any linear f, so the statement only has content at
n = k.)

**Corrected** (S fixed before the data, the exceptional null set may depend on S; conclusion
for networks whose first or last layer is not a scalar multiple of an orthogonal matrix):
the route Proposition 4 + corrected Proposition 5. By Proposition 4 an aligned interpolating
network has ``W_1^T W_1`` commuting with ``P^T P`` and ``W_d W_d^T`` commuting with ``P P^T``.
Checked exactly for S = span{A} and S = span{A, B} (A possibly an exactly orthogonal Cayley
matrix, the case Proposition 5's printed exclusion misses): no W in S with ``W^T W`` not a
multiple of I satisfies either commutation for the random data (the quadratic commutator
pencil in (a : b) has no real common root). The case where only interior layers are
non-orthogonal (W_1, W_d scalar multiples of orthogonal matrices) is not covered by that proof
route and is not checked.

**Mutant** ``generic-dropped``: S = span{I, A} fixed, data ``Y = A X`` (not generic):
``W_1 = A``, ``W_2 = I`` is aligned and interpolates.
"""

from __future__ import annotations

from typing import Any

import flint
import numpy as np
import sympy as sp

from theorems.alignment.eq3 import cayley_exact
from theorems.alignment.prop4 import alignment_excess
from theorems.papers import ALIGN
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.hp_linalg import identity, to_fmpq_mat
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real
from verify.verdicts import Tolerance, Verdict

STATEMENT = (r"**Theorem 3.** Let  $n \geq k$ , let  $X, Y \in \mathbb{R}^{k \times n}$  be "
             r"generic, let  $S \subset \mathbb{R}^{k \times k}$  be a linear subspace of "
             r"dimension r < k - 1, and let  $W_1, \ldots, W_d \in S$  such that at least one  "
             r"$W_i$  is not a scalar multiple of the identity<sup>4</sup>. If the network  "
             r"$f = W_d \cdots W_1$  satisfies Y = f(X), then f is not aligned.")

K_MAX = 5
INDICATOR = Tolerance(rtol=0.0, atol=0.5)
"""Margins are indicators (1: an aligned interpolating network / a Proposition 4 witness)."""
MODES = ("printed", "generic-dropped")


def _q(M: Any) -> flint.fmpq_mat:
    return to_fmpq_mat(np.asarray(M))


def is_scalar(M: flint.fmpq_mat) -> bool:
    """Is the square matrix M a scalar multiple of the identity (exact)?"""
    return M == M[0, 0] * identity(M.nrows())


def _instance(inst: Any, b: int | None) -> dict[str, Any]:
    return {key: (v[b] if b is not None and isinstance(v, np.ndarray) else v)
            for key, v in inst.items()}


# --------------------------------------------------------------------------- as printed


def construction(inst: Any, mode: str) -> int | None:
    """1 when the two-layer network ``W_1 = P``, ``W_2 = I`` with ``S = span{I, P}`` is an
    aligned interpolating network meeting every hypothesis (r = 2 < k - 1, W_1 not a multiple
    of I); None when X is singular or P is a multiple of I (S would have dimension 1).

    ``printed``: ``P = Y X^{-1}`` from the generic data (S chosen after the data);
    ``generic-dropped``: P = A fixed first, ``Y = A X``."""
    k = inst["k"]
    X = _q(inst["X"])
    if X.rank() < k:
        return None
    P = _q(inst["Y"]) * X.inv() if mode == "printed" else _q(inst["A"])
    Y = _q(inst["Y"]) if mode == "printed" else P * X
    if is_scalar(P):
        return None
    W1, W2 = P, identity(k)
    span = flint.fmpq_mat(2, k * k, [*W2.entries(), *W1.entries()])
    r = span.rank()
    interpolates = W2 * W1 * X == Y
    aligned = alignment_excess(W2, W1)[0] == 0
    return int(r == 2 and r < k - 1 and interpolates and aligned and not is_scalar(W1))


def construction_property(mode: str) -> Property:
    """Indicator that the statement fails at the constructed network (every trial: 1)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        n = batch["X"].shape[0]
        out = [construction(_instance(batch, b), mode) for b in range(n)]
        return np.array([np.nan if v is None else v for v in out], float), np.ones(n)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        got = construction(inst, mode)
        return None if got is None else (got, 1)

    return Property(Domain((Integer("k", 4, K_MAX), Matrix("X", "k", "k"), Matrix("Y", "k", "k"),
                            Matrix("A", "k", "k"))),
                    margin, margin_hp, INDICATOR, rigorous=True,
                    description=f"aligned interpolating network in span{{I, P}} ({mode})")


def derive_data_dependent_subspace() -> SymbolicOutcome:
    """For a fully symbolic 4 x 4 P: ``W_2^T W_2 W_1 W_1^T - W_1 W_1^T W_2^T W_2 = 0`` with
    W_1 = P, W_2 = I (so the network is aligned), ``W_2 W_1 X = P X``; span{I, P} has dimension
    2 < 4 - 1 unless P is a multiple of I. The concrete data below is the counterexample."""
    P = sp.Matrix(4, 4, sp.symbols("p0:16"))
    X = sp.Matrix(4, 4, sp.symbols("x0:16"))
    W1, W2 = P, sp.eye(4)
    comm = (W2.T * W2 * W1 * W1.T - W1 * W1.T * W2.T * W2).applyfunc(sp.expand)
    interp = (W2 * W1 * X - P * X).applyfunc(sp.expand)
    ok = comm == sp.zeros(4, 4) and interp == sp.zeros(4, 4)
    inst: Instance = {"k": 4,
                      "X": np.array([[1, 2, 0, 1], [0, 1, 3, 0], [1, 0, 1, 2], [2, 1, 0, 1]],
                                    dtype=object),
                      "Y": np.array([[3, 0, 1, 0], [1, 1, 0, 2], [0, 2, 1, 1], [1, 0, 0, 1]],
                                    dtype=object),
                      "A": np.zeros((4, 4), dtype=object)}
    return SymbolicOutcome(False if ok else None,
                           "S = span{I, Y X^{-1}} (chosen after the data), W_1 = Y X^{-1}, "
                           "W_2 = I: aligned for every P, interpolates, r = 2 < k - 1 = 3",
                           counterexample=inst)


# --------------------------------------------------------------------------- corrected


def _commutator(M: flint.fmpq_mat, G: flint.fmpq_mat) -> flint.fmpq_mat:
    return M * G - G * M


def witness(gens: list[flint.fmpq_mat], G: flint.fmpq_mat) -> bool:
    """Is there ``W = sum c_j gens_j`` (r = len(gens) <= 2) with ``W^T W`` not a multiple of
    I and ``[W^T W, G] = 0``? Exact: r = 1 a single commutator; r = 2 the pencil
    ``t^2 C_1 + t C_2 + C_3`` (W = t A + B) and the point W = A; a real irrational common
    root counts as a witness (conservative)."""
    A = gens[0]
    M = [A.transpose() * A]
    if len(gens) == 2:
        B = gens[1]
        M += [A.transpose() * B + B.transpose() * A, B.transpose() * B]
    C = [_commutator(m, G) for m in M]
    if C[0] == 0 * C[0] and not is_scalar(M[0]):
        return True
    if len(gens) == 1:
        return False
    polys = [flint.fmpq_poly([C[2][i, j], C[1][i, j], C[0][i, j]])
             for i in range(G.nrows()) for j in range(G.nrows())]
    g = flint.fmpq_poly(0)
    for p in polys:
        g = g.gcd(p) if g != 0 else p
    if g == 0:
        return not all(is_scalar(m) for m in M)
    if g.degree() < 1:
        return False
    roots = [t for t, _ in g.roots()]
    if g.degree() == 2 and not roots:
        c0, c1, c2 = g.coeffs()
        return c1 * c1 - 4 * c0 * c2 >= 0
    return any(not is_scalar(t * t * M[0] + t * M[1] + M[2]) for t in roots)


def generators(inst: Any) -> list[flint.fmpq_mat]:
    """S = span{A} or span{A, B}; A exactly orthogonal (Cayley) when ``orth < 0.3``."""
    A = cayley_exact(np.asarray(inst["A"])) if float(inst["orth"]) < 0.3 else _q(inst["A"])
    return [A, _q(inst["B"])][: inst["r"]]


def base_point(k: int, seed: int) -> np.ndarray:
    """A fixed generic k x k matrix (dyadic entries from a seeded generator)."""
    rng = np.random.default_rng(100 * k + seed)
    return np.round(rng.uniform(-1, 1, size=(k, k)) * 1024) / 1024


def generic_data(inst: Any) -> tuple[flint.fmpq_mat, flint.fmpq_mat]:
    """Data ``X = G_X + X / 8``, ``Y = G_Y + Y / 8`` around fixed generic points: the search
    explores the subspaces S while the data stay generic (a statement about generic data
    cannot be refuted by specially placed data)."""
    k = inst["k"]
    return tuple(_q(base_point(k, s)) + _q(inst[name]) / 8 for s, name in ((1, "X"), (2, "Y")))


def corrected_indicator(inst: Any) -> int | None:
    """1 when some admissible first layer (``W^T W`` commutes with ``P^T P``) or last layer
    (``W W^T`` commutes with ``P P^T``) exists in S; None for degenerate draws (S of
    dimension < r, X singular, P with a repeated or zero singular value)."""
    k = inst["k"]
    X, Y = generic_data(inst)
    gens = generators(inst)
    span = flint.fmpq_mat(len(gens), k * k, [v for g in gens for v in g.entries()])
    if X.rank() < k or span.rank() < len(gens):
        return None
    P = Y * X.inv()
    c = (P.transpose() * P).charpoly()
    if c(0) == 0 or c.gcd(c.derivative()).degree() > 0:
        return None
    first = witness(gens, P.transpose() * P)
    last = witness([g.transpose() for g in gens], P * P.transpose())
    return int(first or last)


def corrected_property() -> Property:
    """Indicator of a Proposition 4 witness in a fixed S (measure zero: every trial 0)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        n = batch["X"].shape[0]
        out = [corrected_indicator(_instance(batch, b)) for b in range(n)]
        return np.array([np.nan if v is None else v for v in out], float), np.ones(n)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        got = corrected_indicator(inst)
        return None if got is None else (got, 1)

    domain = Domain((Integer("k", 3, K_MAX), Integer("r", 1, 2), Matrix("A", "k", "k"),
                     Matrix("B", "k", "k"), Matrix("X", "k", "k"), Matrix("Y", "k", "k"),
                     Real("orth", 0.0, 1.0)),
                    dims_ok=lambda dm: dm["r"] < dm["k"] - 1)
    return Property(domain, margin, margin_hp, INDICATOR, rigorous=True,
                    description="Proposition 4 witness in a fixed S")


def _checks(mode: str) -> tuple[Any, ...]:
    prop = construction_property(mode)
    return (trials("generic-data", prop, count=64), search("search", prop, evaluations=400))


CLAIM = Claim(
    id="ALIGN-Thm3",
    paper=ALIGN,
    location="§5.2 Theorem 3 (from Propositions 4 and 5; footnote 4)",
    statement=STATEMENT,
    notes=("As printed S is quantified after the generic data, so it may depend on them; "
           "then span{I, Y X^{-1}} is a counterexample for every data set (k >= 4). For "
           "n > k the hypothesis Y = f(X) fails for generic data (Y's rows must lie in X's "
           "row space), so only n = k has content. The proof also inherits Proposition 5's "
           "gap (scalar multiples of orthogonal matrices align with everything); the "
           "corrected variant excludes them for W_1, W_d and checks the Proposition 4 + 5 "
           "route exactly for r <= 2; interior-only non-orthogonal layers remain unchecked."),
    variants=(
        Variant("as-printed", "S chosen after the generic data (printed quantifier order)",
                (symbolic("data-dependent-subspace", derive_data_dependent_subspace,
                          replay=construction_property("printed").margin_hp),
                 *_checks("printed")),
                expected=Verdict.REFUTED),
        Variant("corrected", "S fixed before the data; W_1 or W_d not a scalar multiple of an "
                             "orthogonal matrix (Proposition 5's lambda = (k) stratum); checked "
                             "as: no such layer in S meets Proposition 4's alignment with P",
                (trials("fixed-subspace", corrected_property(), count=128),
                 search("search", corrected_property(), evaluations=1500)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:generic-dropped", "S = span{I, A} fixed, data Y = A X not generic",
                _checks("generic-dropped"), expected=Verdict.REFUTED),
    ),
)
