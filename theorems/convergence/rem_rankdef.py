"""CONV-Rem-RankDef — Abstract and §1 (iii): the margin condition is "initial loss below the loss
of every rank-deficient solution".

As printed:

    Abstract: "(iii) the initial loss is smaller than the loss of any rank-deficient solution."
    §1: "(iii) the initial loss is smaller than any loss obtainable with rank deficiencies".

These paraphrase Theorem 1's deficiency-margin assumption (Definition 2: ‖W_{1:N}(0) − Φ‖_F ≤
σ_min(Φ) − c with c > 0). Reading: with L(W) = ½‖W − Φ‖_F^2 and "rank-deficient" meaning rank
< min(d_N, d_0) (footnote 1's σ_min), condition (iii) — ℓ(0) < L(W') for every rank-deficient
W' — is equivalent to a deficiency margin c > 0. This holds because

    min { ‖W' − Φ‖_F : rank W' < min(d_N, d_0) } = σ_min(Φ)        (Eckart–Young–Mirsky)

(≥ by Weyl: 0 = σ_min(W') ≥ σ_min(Φ) − ‖W' − Φ‖_2 ≥ σ_min(Φ) − ‖W' − Φ‖_F; attained by
Φ − σ_min u_k v_k^T), so (iii) ⟺ ½‖W(0) − Φ‖_F^2 < ½σ_min(Φ)^2 ⟺ ‖W(0) − Φ‖_F < σ_min(Φ) ⟺
∃ c > 0 with ‖W(0) − Φ‖_F ≤ σ_min(Φ) − c (take c = σ_min(Φ) − ‖W(0) − Φ‖_F).

Checks. Symbolic: Weyl's chain (CONV-Claim1's derivation, re-run), attainment for a general
2 × 2 Φ = R(θ) diag(s_1, s_2) R(φ)^T and the equivalence algebra. Numeric (``eckart-young``):
L(W') ≥ ½σ_min(Φ)^2 for exactly rank-deficient W' = A_{:, <k} B_{<k, :} (k = min(d_N, d_0); W' = 0
when k = 1), shapes 1×1 … 3×4, W' random, near the minimiser, or exactly the minimiser (dyadic Φ
with exact SVD, excess exactly 0); the sign is decided in exact arithmetic.

Verdict: true (the paraphrase is exact).

Mutants:

* ``mutant:sigma-max``: the rank-deficient losses bounded below by ½σ_max(Φ)^2 (the margin
  read with the largest singular value); refuted by W' = Φ − σ_min u_k v_k^T.
* ``mutant:zero-solution``: "smaller than the loss of the rank-deficient solution W' = 0"
  (ℓ(0) < ½‖Φ‖_F^2) taken as sufficient for a margin; refuted e.g. by Φ = diag(1, 1/8),
  W = diag(1, 5/8).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import flint
import numpy as np
import sympy as sp

from theorems.convergence.claim1 import derive_chain
from theorems.papers import CONV
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import hp_linalg as hp
from verify.core.measures import sigma_max, sigma_min
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real, stack
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "(iii) the initial loss is smaller than the loss of any rank-deficient solution. [...] "
    "(iii) the initial loss is smaller than any loss obtainable with rank deficiencies")

SHAPES = tuple((m, n) for m in range(1, 4) for n in range(1, 5))
TOLERANCE = Tolerance(rtol=1e-9, atol=0.0)


def _fro(A: np.ndarray) -> np.ndarray:
    return np.linalg.norm(A, axis=(-2, -1))


def _dims_ok(d: Mapping[str, int]) -> bool:
    return d["k"] == min(d["m"], d["n"])


def rank_deficient(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """W' = A_{:, <k} B_{<k, :} (rank ≤ k − 1), batched; zero when k = 1."""
    k = A.shape[-1]
    return A[..., :, : k - 1] @ B[..., : k - 1, :]


def rank_deficient_exact(A: np.ndarray, B: np.ndarray) -> flint.fmpq_mat:
    m, k = A.shape
    n = B.shape[1]
    if k == 1:
        return flint.fmpq_mat(m, n)
    return hp.to_fmpq_mat(A[:, : k - 1]) * hp.to_fmpq_mat(B[: k - 1, :])


def signed_gap(G: flint.fmpq_mat, q: flint.fmpq, digits: int) -> flint.fmpq | flint.arb:
    """λ_min(G) − q for a symmetric PSD rational G: exactly 0 when equal, otherwise a ball
    refined until it excludes 0 (the sign is decided exactly first)."""
    H = G - hp.identity(G.nrows()) * q
    if hp.is_psd(H) and H.det() == 0:
        return flint.fmpq(0)
    for extra in range(8):
        work = digits * 2**extra
        with flint.ctx.workprec(hp.bits(work)):
            gap = hp.sigma_min_ball(G, work) - flint.arb(q)
            if not gap.contains(0):
                return gap
    return gap


# --------------------------------------------------------------------------- Eckart-Young


def ey_property(use_max: bool = False) -> Property:
    """L(W') ≥ ½σ_min(Φ)^2 for rank-deficient W' (``use_max``: ½σ_max(Φ)^2, mutant):
    excess = ½σ(Φ)^2 − ½‖W' − Φ‖_F^2."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        Phi = batch["Phi"]
        s = sigma_max(Phi) if use_max else sigma_min(Phi)
        loss = 0.5 * _fro(rank_deficient(batch["A"], batch["B"]) - Phi) ** 2
        return 0.5 * s**2 - loss, np.maximum(0.5 * s**2, loss)

    def margin_hp(inst: Instance, digits: int) -> tuple | None:
        Phi = hp.to_fmpq_mat(inst["Phi"])
        Wp = rank_deficient_exact(inst["A"], inst["B"])
        q = hp.frobenius_sq(Wp - Phi)
        if use_max:
            with flint.ctx.workprec(hp.bits(digits)):
                top = hp.sigma_max_ball(Phi, digits) ** 2
                return (top - flint.arb(q)) / 2, (flint.arb(q).max(top)) / 2
        gap = signed_gap(hp.gram(Phi), q, digits)
        return gap / 2, flint.fmpq(max(q, flint.fmpq(1, 10**30))) / 2

    domain = Domain((Integer("m", 1, 3), Integer("n", 1, 4), Integer("k", 1, 3),
                     Matrix("Phi", "m", "n", -2.0, 2.0), Matrix("A", "m", "k", -4.0, 4.0),
                     Matrix("B", "k", "n", -4.0, 4.0)), dims_ok=_dims_ok)
    what = "σ_max" if use_max else "σ_min"
    return Property(domain, margin, margin_hp, TOLERANCE, rigorous=True,
                    description=f"L(W') ≥ ½{what}(Φ)^2 for every rank-deficient W'")


def _signed_permutation(rng: np.random.Generator, k: int) -> np.ndarray:
    return np.eye(k)[rng.permutation(k)] * rng.choice([-1.0, 1.0], size=k)


def ey_sampler(rng: np.random.Generator, total: int) -> list[Batch]:
    """Per shape: random A, B; W' near the minimiser Φ − σ_k u_k v_k^T (perturbed factors of
    the truncated SVD); and exact minimisers of dyadic Φ = P diag(s) Q^T (signed
    permutations, repeated singular values half of the time)."""
    batches = []
    per = max(3, total // len(SHAPES))
    for m, n in SHAPES:
        k = min(m, n)
        Phi = rng.uniform(-2, 2, (per, m, n))
        A = rng.uniform(-4, 4, (per, m, k))
        B = rng.uniform(-4, 4, (per, k, n))
        U, s, Vt = np.linalg.svd(Phi, full_matrices=False)
        near = per // 2
        eps = 10.0 ** rng.uniform(-8, -1, (near, 1, 1))
        A[:near] = U[:near] * s[:near, None, :] + eps * rng.standard_normal((near, m, k))
        B[:near] = Vt[:near] + eps * rng.standard_normal((near, k, n))
        batches.append({"m": m, "n": n, "k": k, "Phi": Phi, "A": A, "B": B})
        exact = []
        for _ in range(2):
            sv = np.sort(rng.integers(1, 9, size=k) / 8.0)[::-1]
            if rng.random() < 0.5:
                sv[:] = sv[-1]
            P, Q = _signed_permutation(rng, m)[:, :k], _signed_permutation(rng, n)[:, :k]
            exact.append({"m": m, "n": n, "k": k, "Phi": P @ np.diag(sv) @ Q.T,
                          "A": P @ np.diag(sv), "B": Q.T})
        batches.append(stack(exact))
    return batches


# --------------------------------------------------------------------------- W' = 0 only


def zero_solution_property() -> Property:
    """Mutant reading: ℓ(W) < L(0) = ½‖Φ‖_F^2 ⇒ σ_min(Φ) − ‖W − Φ‖_F > 0;
    excess = ‖W − Φ‖_F − σ_min(Φ)."""

    def repair(batch: Batch) -> Batch:
        Phi, D = batch["Phi"], batch["D"]
        unit = D / np.where(_fro(D) > 0, _fro(D), 1.0)[:, None, None]
        W = Phi + (batch["t"] * _fro(Phi))[:, None, None] * unit
        return {**batch, "W": W}

    def hypothesis(batch: Batch) -> np.ndarray:
        return _fro(batch["W"] - batch["Phi"]) < _fro(batch["Phi"])

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        excess = _fro(batch["W"] - batch["Phi"]) - sigma_min(batch["Phi"])
        return excess, _fro(batch["Phi"])

    def margin_hp(inst: Instance, digits: int) -> tuple | None:
        Phi, W = hp.to_fmpq_mat(inst["Phi"]), hp.to_fmpq_mat(inst["W"])
        q = hp.frobenius_sq(W - Phi)
        if not q < hp.frobenius_sq(Phi):
            return None
        gap = signed_gap(hp.gram(Phi), q, digits)
        with flint.ctx.workprec(hp.bits(digits)):
            scale = flint.arb(hp.frobenius_sq(Phi)).sqrt()
        return -gap, scale

    domain = Domain((Integer("m", 1, 3), Integer("n", 1, 4),
                     Matrix("Phi", "m", "n", -2.0, 2.0), Matrix("D", "m", "n"),
                     Real("t", 0.0, 1.0, open_high=True), Matrix("W", "m", "n", -8.0, 8.0)),
                    hypothesis=hypothesis, repair=repair)
    return Property(domain, margin, margin_hp, TOLERANCE, rigorous=True,
                    description="ℓ(W) < ½‖Φ‖_F^2 ⇒ deficiency margin c > 0")


# --------------------------------------------------------------------------- symbolic


def derive_printed() -> SymbolicOutcome:
    """Weyl lower bound (CONV-Claim1's chain), attainment for a general 2×2 Φ, equivalence."""
    chain = derive_chain()
    th, ph = sp.symbols("theta phi", real=True)
    s1, s2 = sp.symbols("s1 s2", positive=True)

    def rot(a: sp.Symbol) -> sp.Matrix:
        return sp.Matrix([[sp.cos(a), -sp.sin(a)], [sp.sin(a), sp.cos(a)]])

    U, V = rot(th), rot(ph)
    Phi = U * sp.diag(s1, s2) * V.T
    Wstar = s1 * U[:, 0] * V[:, 0].T
    attained = sp.simplify(Wstar.det()) == 0 and \
        sp.simplify(sp.trigsimp(((Phi - Wstar).T * (Phi - Wstar)).trace()) - s2**2) == 0
    G = Phi.T * Phi
    gram_ok = sp.simplify(sp.trigsimp(G.trace()) - (s1**2 + s2**2)) == 0 and \
        sp.simplify(sp.trigsimp(G.det()) - s1**2 * s2**2) == 0
    r, s, c = sp.symbols("r s c", nonnegative=True)
    equiv = sp.simplify((s - r).subs(r, s - c) - c) == 0 and \
        sp.expand(s**2 / 2 - r**2 / 2 - (s - r) * (s + r) / 2) == 0
    ok = bool(chain.holds and attained and gram_ok and equiv)
    return SymbolicOutcome(
        ok,
        f"Weyl + σ_max ≤ ‖·‖_F (CONV-Claim1's chain) [{chain.holds}]: rank-deficient W' has "
        f"σ_min(W') = 0 ≥ σ_min(Φ) − ‖W' − Φ‖_F, so L(W') ≥ ½σ_min(Φ)^2; Φ = R(θ) diag(s1, "
        f"s2) R(φ)^T has squared singular values s1^2, s2^2 [{gram_ok}] and W* = s1 u1 v1^T is "
        f"singular with ‖Φ − W*‖_F^2 = s2^2 [{attained}] (the minimum is attained); ½r^2 < "
        f"½s^2 ⟺ (s − r)(s + r) > 0 ⟺ r < s (s + r > 0) ⟺ r ≤ s − c with c = s − r > 0 "
        f"[{equiv}]: (iii) ⟺ margin c > 0")


def _array(rows: list[list]) -> np.ndarray:
    return np.array([[Fraction(v) for v in row] for row in rows], dtype=object)


def derive_sigma_max() -> SymbolicOutcome:
    cex = {"m": 2, "n": 2, "k": 2, "Phi": _array([[2, 0], [0, 1]]),
           "A": _array([[2, 0], [0, 0]]), "B": _array([[1, 0], [0, 1]])}
    return SymbolicOutcome(False, "Φ = diag(2, 1), W' = diag(2, 0) (rank 1): L(W') = 1/2 < "
                                  "½σ_max(Φ)^2 = 2", cex)


def derive_zero_solution() -> SymbolicOutcome:
    Phi, W = _array([[1, 0], [0, Fraction(1, 8)]]), _array([[1, 0], [0, Fraction(5, 8)]])
    cex = {"m": 2, "n": 2, "Phi": Phi, "W": W, "D": _array([[0, 0], [0, 1]]),
           "t": Fraction(1, 2) / Fraction(65, 64)}
    ok = Fraction(1, 4) < Fraction(65, 64) and Fraction(1, 2) > Fraction(1, 8)
    return SymbolicOutcome(False if ok else None,
                           "Φ = diag(1, 1/8), W = diag(1, 5/8): ‖W − Φ‖_F^2 = 1/4 < ‖Φ‖_F^2 = "
                           "65/64 (loss below that of W' = 0) but ‖W − Φ‖_F = 1/2 > σ_min(Φ) "
                           "= 1/8: no deficiency margin", cex)


EY = ey_property()
EY_MAX = ey_property(use_max=True)
ZERO = zero_solution_property()

CLAIM = Claim(
    id="CONV-Rem-RankDef", paper=CONV, location="Abstract (iii); §1 (iii); Definition 2",
    statement=STATEMENT,
    variants=(
        Variant("as-printed", "(iii) ⟺ deficiency margin c > 0: min over rank-deficient W' of "
                "L(W') is ½σ_min(Φ)^2 (Eckart–Young), shapes 1×1 … 3×4",
                (symbolic("eckart-young", derive_printed, replay=EY.margin_hp),
                 trials("exact-trials", EY, sampler=ey_sampler, count=256, certify=True),
                 search("search", EY, evaluations=4000)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:sigma-max", "rank-deficient losses bounded below by ½σ_max(Φ)^2",
                (symbolic("counterexample", derive_sigma_max, replay=EY_MAX.margin_hp),
                 trials("exact-trials", EY_MAX, sampler=ey_sampler, count=256)),
                expected=Verdict.REFUTED),
        Variant("mutant:zero-solution", "only the rank-deficient solution W' = 0 compared: "
                "ℓ(0) < ½‖Φ‖_F^2 taken as sufficient for a margin",
                (symbolic("counterexample", derive_zero_solution, replay=ZERO.margin_hp),
                 trials("exact-trials", ZERO, count=256),
                 search("search", ZERO, evaluations=2000)),
                expected=Verdict.REFUTED),
    ),
    notes="Rank-deficient means rank < min(d_N, d_0) (footnote 1's σ_min). The minimum of "
          "L over rank-deficient matrices is attained, so 'smaller than the loss of any' and "
          "'smaller than the infimum' coincide. For a row/column vector Φ (k = 1) the only "
          "rank-deficient matrix is 0 and σ_min(Φ) = ‖Φ‖_F, so the W' = 0 mutant is true "
          "there and fails only for k ≥ 2.",
)
