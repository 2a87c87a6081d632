"""CONV-Rem-Residual — §3.2.1 (and §4): identity initialization, ‖Φ − I‖_F < 0.5 suffices.

As printed (§3.2.1):

    "In the special case of linear residual networks (uniform dimensions and identity
    initialization), a sufficient condition for the assumptions to be met is that the target
    matrix have (Frobenius) distance less than 0.5 from identity."

and §4: "our assumption of deficiency margin (Definition 2), in the setting of linear
residual networks, is met if the distance between target and identity is less than 0.5."

Reading. Uniform dimensions d_0 = ... = d_N = d, W_1(0) = ... = W_N(0) = I_d. Theorem 1's
assumptions on the initialization are (a) δ-balancedness (here exactly 0-balanced:
W_{j+1}^T W_{j+1} = I = W_j W_j^T) and (b) a deficiency margin c > 0 of W_{1:N}(0) = I w.r.t.
Φ (Definition 2: ‖I − Φ‖_F ≤ σ_min(Φ) − c), i.e. σ_min(Φ) − ‖Φ − I‖_F > 0. The learning rate
is the user's choice and not part of "the assumptions being met".

Derivation (symbolic check): with r = ‖Φ − I‖_F, Weyl's inequality (CONV-Claim1's chain, re-run
here) gives σ_min(Φ) ≥ σ_min(I) − σ_max(Φ − I) ≥ 1 − r, so the largest margin is
σ_min(Φ) − r ≥ 1 − 2r, positive iff r < 1/2. The threshold is sharp: Φ = I − r e_1 e_1^T has
σ_min(Φ) = 1 − r and margin exactly 1 − 2r (sympy).

Verdict: true. Checked exactly: layers I_d (balancedness 0 exactly), W_{1:N}(0) = I, and the
sign of σ_min(Φ) − ‖Φ − I‖_F decided in exact arithmetic (characteristic polynomial of the
Gram matrix), with a ball enclosure of the margin for the report.

Mutants (both refuted with exact counterexamples):

* ``mutant:threshold-06``: distance less than 0.6 (Φ = 0.45, d = 1: r = 0.55, margin −0.1).
* ``mutant:spectral-distance``: ‖Φ − I‖_2 < 0.5 in place of the Frobenius distance
  (Φ = 0.55 I_2: ‖Φ − I‖_2 = 0.45 but σ_min(Φ) − ‖Φ − I‖_F = 0.55 − 0.45√2 < 0).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import flint
import numpy as np
import sympy as sp

from theorems.convergence.claim1 import derive_chain
from theorems.papers import CONV
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import hp_linalg as hp
from verify.core.balanced_layers import balancedness_sq_exact
from verify.core.measures import sigma_max, sigma_min
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real, stack
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "In the special case of linear residual networks (uniform dimensions and identity "
    "initialization), a sufficient condition for the assumptions to be met is that the "
    "target matrix have (Frobenius) distance less than 0.5 from identity.")

MAX_D, MAX_N = 4, 4
TOLERANCE = Tolerance(rtol=1e-9, atol=0.0)


@dataclass(frozen=True)
class Reading:
    """``threshold``: the distance bound (1/2 as printed); ``norm``: the norm of Φ − I in the
    hypothesis ("fro" as printed, or "spectral")."""

    threshold: Fraction = Fraction(1, 2)
    norm: str = "fro"


PRINTED = Reading()


def _fro(A: np.ndarray) -> np.ndarray:
    return np.linalg.norm(A, axis=(-2, -1))


def _distance(A: np.ndarray, norm: str) -> np.ndarray:
    return _fro(A) if norm == "fro" else sigma_max(A)


def _repair(reading: Reading) -> Callable[[Batch], Batch]:
    """Φ = I + t · threshold · D/‖D‖ (the hypothesis norm), t ∈ [0, 1)."""

    def repair(batch: Batch) -> Batch:
        d = int(batch["d"])
        D = batch["D"]
        length = _distance(D, reading.norm)
        unit = D / np.where(length > 0, length, 1.0)[:, None, None]
        Phi = np.eye(d) + (batch["t"] * float(reading.threshold))[:, None, None] * unit
        return {**batch, "Phi": Phi}

    return repair


def _hypothesis(reading: Reading) -> Callable[[Batch], np.ndarray]:
    def hypothesis(batch: Batch) -> np.ndarray:
        d = int(batch["d"])
        return _distance(batch["Phi"] - np.eye(d), reading.norm) < float(reading.threshold)

    return hypothesis


def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    """excess = ‖Φ − I‖_F − σ_min(Φ): the statement is σ_min(Φ) − ‖I − Φ‖_F > 0 (margin c > 0
    of W_{1:N}(0) = I); scale 1."""
    d = int(batch["d"])
    excess = _fro(batch["Phi"] - np.eye(d)) - sigma_min(batch["Phi"])
    return excess, np.ones_like(excess)


def _in_hypothesis_hp(reading: Reading, E: flint.fmpq_mat) -> bool:
    """‖E‖ < threshold exactly (Frobenius: a rational comparison; spectral: λ_max(E^T E) <
    threshold^2, i.e. threshold^2 I − E^T E positive definite)."""
    thr = hp.fmpq(reading.threshold)
    if reading.norm == "fro":
        return hp.frobenius_sq(E) < thr * thr
    H = hp.identity(E.nrows()) * (thr * thr) - hp.gram(E)
    return hp.is_psd(H) and H.det() != 0


def margin_hp(reading: Reading) -> Callable[[Instance, int], tuple | None]:
    """Exact: the layers I_d are 0-balanced, W_{1:N}(0) = I, and the sign of
    σ_min(Φ) − ‖Φ − I‖_F is decided exactly; the excess is a ball refined until it excludes 0
    (exactly 0 when σ_min(Φ) = ‖Φ − I‖_F)."""

    def evaluate(inst: Instance, digits: int) -> tuple | None:
        d, N = int(inst["d"]), int(inst["N"])
        Phi = hp.to_fmpq_mat(inst["Phi"])
        eye = hp.identity(d)
        if Phi.nrows() != d or not _in_hypothesis_hp(reading, Phi - eye):
            return None
        layers = [eye] * N
        W = layers[0]
        for layer in layers[1:]:
            W = layer * W
        if balancedness_sq_exact(layers) != 0 or W != eye:
            return flint.fmpq(1), flint.fmpq(1)
        q = hp.frobenius_sq(W - Phi)
        H = hp.gram(Phi) - hp.identity(d) * q
        if hp.is_psd(H) and H.det() == 0:
            return flint.fmpq(0), flint.fmpq(1)
        for extra in range(6):
            work = digits * 2**extra
            with flint.ctx.workprec(hp.bits(work)):
                excess = flint.arb(q).sqrt() - hp.sigma_min_ball(Phi, work)
                if not excess.contains(0):
                    break
        return excess, flint.fmpq(1)

    return evaluate


def _domain(reading: Reading) -> Domain:
    variables = (Integer("d", 1, MAX_D), Integer("N", 1, MAX_N),
                 Matrix("D", "d", "d"), Real("t", 0.0, 1.0, open_high=True),
                 Matrix("Phi", "d", "d", -2.0, 2.0))
    return Domain(variables, hypothesis=_hypothesis(reading), repair=_repair(reading))


def prop(reading: Reading) -> Property:
    return Property(_domain(reading), margin, margin_hp(reading), TOLERANCE, rigorous=True,
                    description=f"‖Φ − I‖_{reading.norm} < {reading.threshold} ⇒ "
                                "σ_min(Φ) − ‖Φ − I‖_F > 0")


# --------------------------------------------------------------------------- samplers


def _exact_instance(d: int, N: int, Phi: np.ndarray, reading: Reading) -> Instance:
    """An instance with Φ given (D = Φ − I, t its relative distance)."""
    D = Phi - np.eye(d)
    dist = float(_distance(D[None], reading.norm)[0])
    return {"d": d, "N": N, "D": D, "t": dist / float(reading.threshold), "Phi": Phi}


def sampler(reading: Reading) -> Callable[[np.random.Generator, int], list[Batch]]:
    """Per (d, N): uniform directions, the worst direction (−u u^T for Frobenius, −I for the
    spectral reading) with t near 1, and exact dyadic instances Φ = I − r e_1 e_1^T and
    Φ = (1 − r) I with r < threshold."""
    repair = _repair(reading)

    def sample(rng: np.random.Generator, total: int) -> list[Batch]:
        batches = []
        per = max(2, total // (MAX_D * MAX_N))
        for d in range(1, MAX_D + 1):
            for N in range(1, MAX_N + 1):
                raw = {"d": d, "N": N, "D": rng.uniform(-1, 1, (per, d, d)),
                       "t": rng.uniform(0, 1, per)}
                half = per // 2
                u = rng.standard_normal((half, d))
                u /= np.linalg.norm(u, axis=1, keepdims=True)
                worst = -u[:, :, None] * u[:, None, :] if reading.norm == "fro" else \
                    -np.broadcast_to(np.eye(d), (half, d, d))
                raw["D"][:half] = worst
                raw["t"][:half] = 1 - rng.uniform(0, 1e-3, half)
                batches.append(repair(raw))
                thr = float(reading.threshold)
                r = thr * int(rng.integers(0, 64)) / 64
                e1 = np.zeros((d, d))
                e1[0, 0] = 1.0
                batches.append(stack([_exact_instance(d, N, np.eye(d) - r * e1, reading),
                                      _exact_instance(d, N, (1 - r / np.sqrt(d)
                                                             if reading.norm == "fro"
                                                             else 1 - r) * np.eye(d),
                                                      reading)]))
        return batches

    return sample


# --------------------------------------------------------------------------- symbolic


def _exact(d: int, Phi: list[list[Fraction]], reading: Reading) -> Instance:
    P = np.array([[Fraction(v) for v in row] for row in Phi], dtype=object)
    return {**_exact_instance(d, 1, P.astype(float), reading), "Phi": P, "N": 1}


def derive_printed() -> SymbolicOutcome:
    """Weyl (CONV-Claim1's chain) gives σ_min(Φ) ≥ 1 − r; the margin σ_min(Φ) − r ≥ 1 − 2r is
    positive iff r < 1/2; the family Φ = I − r e_1 e_1^T attains 1 − 2r (sharp threshold)."""
    chain = derive_chain()
    r = sp.symbols("r", nonnegative=True)
    sol = sp.solve_univariate_inequality(1 - 2 * r > 0, r, relational=False) \
        .intersect(sp.Interval(0, sp.oo))
    threshold_ok = sol == sp.Interval.Ropen(0, sp.Rational(1, 2))
    Phi = sp.diag(1 - r, 1)
    smin = sp.Min(*[sp.sqrt(e) for e in (Phi.T * Phi).eigenvals()])
    dist = sp.sqrt(((Phi - sp.eye(2)).T * (Phi - sp.eye(2))).trace())
    sharp = sp.simplify((smin - dist).subs(r, sp.Rational(1, 4)) - sp.Rational(1, 2)) == 0 and \
        sp.simplify((smin - dist).subs(r, sp.Rational(1, 2))) == 0
    balanced = all((sp.eye(k).T * sp.eye(k) - sp.eye(k) * sp.eye(k).T).is_zero_matrix
                   for k in range(1, 4))
    ok = chain.holds and threshold_ok and sharp and balanced
    return SymbolicOutcome(
        bool(ok),
        f"identity layers: W_{{j+1}}^T W_{{j+1}} − W_j W_j^T = 0 [{balanced}]; Weyl and "
        f"σ_max ≤ ‖·‖_F (CONV-Claim1's chain) [{chain.holds}] give σ_min(Φ) ≥ 1 − r, r = "
        f"‖Φ − I‖_F, so the margin σ_min(Φ) − r ≥ 1 − 2r > 0 ⟺ r ∈ {sol} [{threshold_ok}]; "
        f"Φ = I − r e1 e1^T: σ_min − ‖Φ − I‖_F = 1/2 at r = 1/4 and 0 at r = 1/2 (the "
        f"threshold 1/2 is sharp) [{sharp}]")


def derive_threshold_06() -> SymbolicOutcome:
    r = sp.Rational(11, 20)
    excess = sp.Abs(1 - (1 - r)) - (1 - r)
    return SymbolicOutcome(
        False if excess > 0 else None,
        f"d = 1, Φ = 9/20: ‖Φ − I‖_F = 11/20 < 0.6 but σ_min(Φ) − ‖Φ − I‖_F = {-excess} < 0",
        _exact(1, [[Fraction(9, 20)]], Reading(Fraction(3, 5))))


def derive_spectral() -> SymbolicOutcome:
    s = sp.Rational(11, 20)
    excess = sp.sqrt(2) * (1 - s) - s
    return SymbolicOutcome(
        False if sp.N(excess) > 0 else None,
        f"Φ = (11/20) I_2: ‖Φ − I‖_2 = 9/20 < 1/2 but ‖Φ − I‖_F − σ_min(Φ) = {excess} "
        f"≈ {sp.N(excess, 6)} > 0",
        _exact(2, [[s, 0], [0, s]], Reading(norm="spectral")))


def _variant(name: str, description: str, reading: Reading, derive, expected: Verdict,
             derivation: str) -> Variant:
    p = prop(reading)
    return Variant(name, description, (
        symbolic(derivation, derive, replay=p.margin_hp),
        trials("exact-trials", p, sampler=sampler(reading), count=256),
        search("search", p, evaluations=4000),
    ), expected=expected)


CLAIM = Claim(
    id="CONV-Rem-Residual", paper=CONV, location="§3.2.1 (also §4)", statement=STATEMENT,
    variants=(
        _variant("as-printed", "d_0 = … = d_N = d ≤ 4, N ≤ 4, W_j(0) = I_d, "
                 "‖Φ − I‖_F < 1/2 ⇒ 0-balanced and σ_min(Φ) − ‖Φ − I‖_F > 0",
                 PRINTED, derive_printed, Verdict.SUPPORTED, "weyl"),
        _variant("mutant:threshold-06", "distance less than 0.6",
                 Reading(threshold=Fraction(3, 5)), derive_threshold_06, Verdict.REFUTED,
                 "sharp-family"),
        _variant("mutant:spectral-distance", "spectral distance ‖Φ − I‖_2 < 0.5",
                 Reading(norm="spectral"), derive_spectral, Verdict.REFUTED, "sharp-family"),
    ),
    notes="The margin provided is c = 1 − 2‖Φ − I‖_F (Weyl); the threshold 1/2 is sharp "
          "(Φ = I − r e_1 e_1^T). Balancedness of identity layers is exact (δ = 0). Verdict "
          "'supported' only because the search check never certifies; the symbolic check "
          "and every trial's exact re-check certify.",
)
