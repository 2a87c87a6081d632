"""ALIGN-Prop4 (§5.2, Proposition 4; App. J): an aligned network that interpolates the data
has ``W_d^T`` aligned with ``Y X^T (X X^T)^{-1}``, which is aligned with ``W_1^T``.

"A is aligned with B" (Definition 2): usSVDs ``A = U_A S_A V_A^T``, ``B = U_B S_B V_B^T`` with
``V_A = U_B``. For A (m x p) and B (p x q) this holds iff

* ``A^T A`` and ``B B^T`` commute (a common orthonormal eigenbasis V makes the columns of AV
  and the rows of V^T B orthogonal), and
* ``rank [A^T, B] <= max(min(m, p), min(p, q))``: the non-zero columns of AV must sit in the
  first min(m, p) positions and the non-zero rows of V^T B in the first min(p, q); the union
  of the two supports has size ``dim(row A + col B)`` for every common eigenbasis.

Both conditions are checked exactly in rationals: aligned networks ``W_i = Q_i S_i Q_{i-1}^T``
with exactly orthogonal Cayley frames (:func:`theorems.alignment.eq3.cayley_exact`), X of full
row rank, ``Y = f(X)``, and ``P = Y X^T (X X^T)^{-1}`` computed from the data. Degenerate
diagonals (zero, tied, negative entries), n = k_0, widths 1..3, depth 1..3. The float64 margin
(which guides the search) is left out for ``cond(X) > 1e3``, where it is rounding noise.

Finding: true as printed (App. J's one-line proof: ``P = U_d (prod S_i) V_1^T`` is itself a
usSVD). App. J in 000 (there: Proposition 3) prints ``V_i^T`` for ``V_1^T``.
"""

from __future__ import annotations

from typing import Any

import flint
import numpy as np

from theorems.alignment.eq3 import cayley, cayley_exact
from theorems.papers import ALIGN
from verify.checks import search, trials
from verify.claims import Claim, Variant
from verify.core.hp import FMPQ
from verify.core.hp_linalg import to_fmpq_mat
from verify.core.measures import alignment_defect
from verify.core.networks import end_to_end
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real
from verify.verdicts import Tolerance, Verdict

STATEMENT = (r"**Proposition 4.** Let  $(X,Y) \in \mathbb{R}^{k_0 \times n} \times "
             r"\mathbb{R}^{k_d \times n}$  such that  $n \geq k_0$  and X is full-rank (ensuring "
             r"that  $XX^T$  is invertible). If an aligned network  $f = W_dW_{d-1} \dots W_1$  "
             r"achieves zero error under squared loss (i.e. if Y = f(X)), then  $W_d^T$  aligns "
             r"with  $YX^T(XX^T)^{-1}$ , which in turn aligns with  $W_1^T$ .")

DEPTH = 3
TOL = Tolerance(rtol=1e-9, atol=1e-12)
FLOAT_COND = 1e3
"""float64 resolves the commutator defect of ``P = Y X^T (X X^T)^{-1}`` to about
``cond(X)^2 * 1e-16``; instances with ``cond(X) > FLOAT_COND`` get no float margin (NaN: left
out of trials and search, whose float verdicts could only be noise there). Every instance that
is evaluated is decided in exact arithmetic."""
FORMS = ("printed", "unaligned", "no-transpose")


def _degenerate(batch: Batch) -> Batch:
    """Where ``snap < 1/2`` round the singular values to multiples of 1/2 (zeros, ties)."""
    snap = batch["snap"] < 0.5
    out = dict(batch)
    for i in range(1, DEPTH + 1):
        S = batch[f"S{i}"].copy()
        S[snap] = np.round(2 * S[snap]) / 2
        out[f"S{i}"] = S
    return out


def _dims_ok(dm: dict[str, int]) -> bool:
    return dm["n"] >= dm["k0"] and all(dm[f"k{i}"] == 1 for i in range(dm["d"] + 1, DEPTH + 1))


DOMAIN = Domain(
    (Integer("d", 1, DEPTH), *(Integer(f"k{i}", 1, 3) for i in range(DEPTH + 1)),
     Integer("n", 1, 4),
     *(Matrix(f"R{i}", f"k{i}", f"k{i}") for i in range(DEPTH + 1)),
     *(Matrix(f"F{i}", f"k{i}", f"k{i}") for i in range(DEPTH + 1)),
     *(Matrix(f"S{i}", f"k{i}", f"k{i - 1}", structure="diagonal") for i in range(1, DEPTH + 1)),
     Matrix("X", "k0", "n"), Real("snap", 0.0, 1.0)),
    repair=_degenerate, dims_ok=_dims_ok)
"""Frames Q_i = cayley(R_i); the 'unaligned' mutant uses V_{i+1} = cayley(F_i) instead of Q_i."""

SQUARE = Domain(DOMAIN.variables, repair=_degenerate,
                dims_ok=lambda dm: _dims_ok(dm) and dm["k0"] == dm["k1"] and
                dm[f"k{dm['d']}"] == dm[f"k{dm['d'] - 1}"])
"""Widths where the no-transpose mutant is well-typed (W_d, W_1 square)."""


def _network(inst: Any, exact: bool, form: str) -> list[Any]:
    """Layers ``W_i = Q_i S_i V_i^T``; aligned: ``V_i = Q_{i-1}``."""
    d = inst["d"]
    cay = cayley_exact if exact else cayley
    Q = [cay(inst[f"R{i}"]) for i in range(d + 1)]
    F = [cay(inst[f"F{i}"]) for i in range(d + 1)]
    V = [Q[i - 1] if form != "unaligned" or i == 1 else F[i - 1] for i in range(1, d + 1)]
    if exact:
        return [Q[i] * FMPQ.asmat(inst[f"S{i}"]) * V[i - 1].transpose() for i in range(1, d + 1)]
    return [Q[i] @ inst[f"S{i}"] @ np.swapaxes(V[i - 1], -1, -2) for i in range(1, d + 1)]


def _pairs(weights: list[Any], P: Any, form: str, T: Any) -> list[tuple[Any, Any]]:
    """The two (A, B) pairs "A aligns with B" of the statement (or of the mutant)."""
    first, last = weights[0], weights[-1]
    if form == "no-transpose":
        return [(last, P), (P, first)]
    return [(T(last), P), (P, T(first))]


def support_ok(A: flint.fmpq_mat, B: flint.fmpq_mat) -> bool:
    """``rank [A^T, B] <= max(min(m, p), min(p, q))`` for A (m x p), B (p x q)."""
    m, p, q = A.nrows(), A.ncols(), B.ncols()
    stacked = flint.fmpq_mat(p, m + q, [v for r in range(p) for v in
                                        [*(A[c, r] for c in range(m)), *(B[r, c]
                                                                         for c in range(q))]])
    return stacked.rank() <= max(min(m, p), min(p, q))


def alignment_excess(A: flint.fmpq_mat, B: flint.fmpq_mat) -> tuple[Any, Any]:
    """Exact ``(||[A^T A, B B^T]||_F^2 + [support fails] * scale, ||A||^4 ||B||^4 + 1)``."""
    C = A.transpose() * A * B * B.transpose() - B * B.transpose() * A.transpose() * A
    na = sum(v * v for v in A.entries())
    nb = sum(v * v for v in B.entries())
    scale = na * na * nb * nb + 1
    excess = sum(v * v for v in C.entries())
    return excess + (0 if support_ok(A, B) else scale), scale


def pinv_map(X: Any, Y: Any, exact: bool) -> Any:
    """``Y X^T (X X^T)^{-1}`` (None when X X^T is singular)."""
    if exact:
        G = X * X.transpose()
        if G.rank() < G.nrows():
            return None
        return Y * X.transpose() * G.inv()
    Xt = np.swapaxes(X, -1, -2)
    return np.linalg.solve(X @ Xt, (Y @ Xt).swapaxes(-1, -2)).swapaxes(-1, -2)


def prop4_property(form: str) -> Property:
    """Both alignments of the statement (or the mutant's pairs) for an aligned (or, for the
    'unaligned' mutant, non-aligned) interpolating network."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        W = _network(batch, False, form)
        X = batch["X"]
        P = pinv_map(X, end_to_end(W) @ X, False)
        # alignment_defect is relative to ||A||^2 ||B||^2; P's natural size is prod ||W_i||
        # (a product that vanishes exactly is float noise of size 1e-17 in some direction)
        size = np.prod([np.linalg.norm(w, axis=(-2, -1)) for w in W], axis=0) ** 2
        p_norm = np.linalg.norm(P, axis=(-2, -1)) ** 2
        excess = np.zeros(X.shape[0])
        for A, B in _pairs(W, P, form, lambda M: np.swapaxes(M, -1, -2)):
            rel = alignment_defect([B, A])[:, 0] * np.divide(p_norm, size, out=np.zeros_like(
                size), where=size > 0)
            excess = np.maximum(excess, rel)
        s = np.linalg.svd(X, compute_uv=False)
        resolvable = s[:, -1] * FLOAT_COND >= s[:, 0]
        return np.where(resolvable, excess, np.nan), np.ones_like(excess)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        W = _network(inst, True, form)
        X = to_fmpq_mat(inst["X"])
        P = pinv_map(X, end_to_end(W, FMPQ) * X, True)
        if P is None:
            return None
        worst = (flint.fmpq(0), flint.fmpq(1))
        for A, B in _pairs(W, P, form, lambda M: M.transpose()):
            ex, sc = alignment_excess(A, B)
            if ex / sc > worst[0] / worst[1]:
                worst = (ex, sc)
        return worst

    def hypothesis(batch: Batch) -> np.ndarray:
        X = batch["X"]
        s = np.linalg.svd(X, compute_uv=False)
        return s[:, -1] > 1e-6 * s[:, 0]

    domain = SQUARE if form == "no-transpose" else DOMAIN
    return Property(Domain(domain.variables, hypothesis=hypothesis, repair=domain.repair,
                           dims_ok=domain.dims_ok), margin, margin_hp, TOL, rigorous=True,
                    description=f"Proposition 4 alignments ({form})")


def _checks(form: str) -> tuple[Any, ...]:
    prop = prop4_property(form)
    return (trials("interpolating-networks", prop, count=256),
            search("search", prop, evaluations=8000))


CLAIM = Claim(
    id="ALIGN-Prop4",
    paper=ALIGN,
    location="§5.2 Proposition 4; App. J (000: Proposition 3, App. J)",
    statement=STATEMENT,
    notes=("000 numbers this Proposition 3 and its App. J prints 'V_i^T X' for 'V_1^T X'. "
           "Alignment of two matrices is decided exactly: commuting Gram matrices plus the "
           "support (rank) condition for rectangular shapes. The interpolation Y = f(X) with "
           "X of full row rank forces f = Y X^T (X X^T)^{-1}."),
    variants=(
        Variant("as-printed", "W_d^T aligns with P = Y X^T (X X^T)^{-1}; P aligns with W_1^T",
                _checks("printed"), expected=Verdict.SUPPORTED),
        Variant("mutant:unaligned", "hypothesis 'aligned network' dropped (independent frames)",
                _checks("unaligned"), expected=Verdict.REFUTED),
        Variant("mutant:no-transpose", "W_d (not W_d^T) aligns with P, P aligns with W_1",
                _checks("no-transpose"), expected=Verdict.REFUTED),
    ),
)
