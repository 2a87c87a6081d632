"""CONV-Lem15: a uniform vector on a small sphere has a deficiency margin with probability ~1/2.

Arora, Cohen, Golowich and Hu, "A Convergence Analysis of Gradient Descent for Deep Linear
Neural Networks", Appendix D.5 (Lemma 15). F is the standard normal CDF; for Φ ∈ R^{1×d},
σ_min(Φ) = ‖Φ‖_2, and V has deficiency margin c w.r.t. Φ iff ‖V − Φ‖ <= ‖Φ‖ − c (Definition 2).

As printed:

    Lemma 15. "Let d ∈ N, d ≥ 20; a ≥ 1 be a real number (possibly depending on d); and
    Φ ∈ R^d be some vector. Set r = ‖Φ‖_2/sqrt(ad), and suppose that V ∈ S^d(r) is drawn
    according to the uniform measure. Then, with probability at least (3 − 4F(2/sqrt(a)))/2,
    V will have deficiency margin ‖Φ‖_2/(ad) with respect to Φ."

Closed form (derived symbolically from the definitions): with V = r x, x uniform on the unit
sphere and t = <x, Φ/‖Φ‖>, the margin event is t >= u(a, d) = (3 − 1/(ad)) / (2 sqrt(ad)) (‖Φ‖
cancels), so its probability is P(t >= u) = 1/2 − I_{u²}(1/2, (d − 1)/2)/2 (u² is rational).
The checks compare it with the bound in python-flint balls (rigorous), search d in [20, 400]
and a in [1, 1e6] (a = 1, d = 20 included), and cross-check by sampling V and Φ directly
(Clopper-Pearson, confidence 1 − 1e-9).

Verdict: true. The paper's cap {t >= 2/sqrt(ad)} lies inside the event because
u(a, d) <= 1.5/sqrt(ad) < 2/sqrt(ad), and Lemma 14 at normalised height 1 − 2/sqrt(ad) gives
(3 − 4F(2 sqrt(d − 1)/sqrt(ad)))/2 >= (3 − 4F(2/sqrt(a)))/2. The bound is positive only for
a > 8.79 (F(2/sqrt(a)) < 3/4).

Variants:

* ``as-printed``.
* ``mutant:radius-without-d``: r = ‖Φ‖_2/sqrt(a) (the dimension dropped from the radius).
* ``mutant:margin-sqrt``: deficiency margin ‖Φ‖_2/sqrt(ad) instead of ‖Φ‖_2/(ad).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import flint
import mpmath
import numpy as np
import sympy as sp
from scipy.special import erf

from theorems.papers import CONV
from verify import probability
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.hp_linalg import bits, fmpq
from verify.domain import Batch, Domain, Instance, Integer, Property, Real
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "Let  $d \\in \\mathbb{N}$ ,  $d \\geq 20$ ;  $a \\geq 1$  be a real number (possibly "
    "depending on  $d$ ); and  $\\Phi \\in \\mathbb{R}^d$  be some vector. Set  "
    "$r = \\|\\Phi\\|_2/\\sqrt{ad}$ , and suppose that  $V \\in S^d(r)$  is drawn according to "
    "the uniform measure. Then, with probability at least  $\\frac{3-4F(2/\\sqrt{a})}{2}$ ,  "
    "$V$  will have deficiency margin  $\\|\\Phi\\|_2/(ad)$  with respect to  $\\Phi$ ."
)

TOLERANCE = Tolerance(rtol=1e-9, atol=0.0)
MC_SAMPLES = 1 << 14


@dataclass(frozen=True)
class Reading:
    """``radius_with_d``: r = ||Phi||/sqrt(ad) (printed) or ||Phi||/sqrt(a);
    ``margin_sqrt``: margin ||Phi||/sqrt(ad) instead of ||Phi||/(ad) (printed)."""

    radius_with_d: bool = True
    margin_sqrt: bool = False


PRINTED = Reading()


def radius_sq_and_margin(a, d: int, reading: Reading = PRINTED):
    """(r^2, c) for ||Phi|| = 1 (exact for Fractions, float for arrays)."""
    r_sq = 1 / (a * d) if reading.radius_with_d else 1 / a
    c = (1 / (a * d)) ** 0.5 if reading.margin_sqrt else 1 / (a * d)
    return r_sq, c


def threshold_sq(a, d: int, reading: Reading = PRINTED):
    """u^2 with u = (r^2 + 2c - c^2)/(2r): the margin event is t >= u (||Phi|| = 1)."""
    r_sq, c = radius_sq_and_margin(a, d, reading)
    return (r_sq + 2 * c - c * c) ** 2 / (4 * r_sq)


def _band_arb(d: int, u_sq: flint.arb) -> flint.arb:
    """J = P(0 <= t < u) = I_{u^2}(1/2, (d-1)/2)/2 in balls; 1/2 for u >= 1. A ball u^2 that
    straddles 1 gives J in [1/2 - tail, 1/2] with tail = P(t >= sqrt(lower end))."""
    half = flint.arb(1) / 2
    if u_sq < 1:
        return u_sq.beta_lower(half, flint.arb(d - 1) / 2, regularized=True) / 2
    low = flint.arb(u_sq.lower())
    if low >= 1:
        return half
    tail = half - low.beta_lower(half, flint.arb(d - 1) / 2, regularized=True) / 2
    return half - tail * flint.arb(0.5, 0.5)


def _domain() -> Domain:
    return Domain((Integer("d", 20, 400), Real("a", 1.0, 1e6, log=True)))


def prop(reading: Reading = PRINTED) -> Property:
    """"P(margin) >= (3 - 4F(2/sqrt a))/2" with the exact probability: excess = bound - P,
    written as J(u) - 2G(2/sqrt a) (J = 1/2 - P, G = F - 1/2) so nothing cancels."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        d, a = batch["d"], batch["a"]
        u = np.sqrt(threshold_sq(a, d, reading))
        J = probability.sphere_coordinate_band(d, u)
        G = 0.5 * erf(2 / np.sqrt(a) / np.sqrt(2))
        return J - 2 * G, np.maximum(np.abs(0.5 - 2 * G), 0.5 - J)

    def margin_hp(instance: Instance, digits: int):
        d, a = instance["d"], Fraction(instance["a"])
        if d < 20 or a < 1:
            return None
        with flint.ctx.workprec(bits(digits)):
            if reading.margin_sqrt:
                r_sq = flint.arb(fmpq(radius_sq_and_margin(a, d, reading)[0]))
                c = (1 / flint.arb(fmpq(a * d))).sqrt()
                u_sq = (r_sq + 2 * c - c * c) ** 2 / (4 * r_sq)
            else:
                u_sq = flint.arb(fmpq(threshold_sq(a, d, reading)))
            half = flint.arb(1) / 2
            J = _band_arb(d, u_sq)
            G = probability.normal_cdf_arb(2 / flint.arb(fmpq(a)).sqrt()) - half
            return J - 2 * G, abs(half - 2 * G).max(half - J)

    return Property(_domain(), margin, margin_hp, TOLERANCE, rigorous=True,
                    description="P(deficiency margin) >= (3 - 4F(2/sqrt a))/2")


@lru_cache(maxsize=8)
def _sphere(d: int) -> tuple[np.ndarray, np.ndarray]:
    """MC_SAMPLES uniform unit vectors of R^d and a fixed random unit direction."""
    rng = probability.fixed_rng("CONV-Lem15", d)
    return probability.uniform_sphere(rng, MC_SAMPLES, d), probability.uniform_sphere(rng, 1, d)[0]


def _mc_count(d: int, a: float, phi: float) -> int:
    """#samples V = r x (x uniform, r = ||Phi||/sqrt(ad)) with ||V - Phi|| <= ||Phi|| - c."""
    X, e = _sphere(d)
    r, c = phi / np.sqrt(a * d), phi / (a * d)
    return int(np.count_nonzero(np.linalg.norm(r * X - phi * e, axis=1) <= phi - c))


def mc_prop() -> Property:
    """Monte Carlo: V and Phi = phi e sampled in R^d, the event ||V - Phi|| <= ||Phi|| - c
    counted directly; excess = bound - (upper Clopper-Pearson bound, confidence 1 - 1e-9)."""

    def margin(batch: Batch):
        d, a, phi = batch["d"], batch["a"], batch["phi"]
        counts = np.array([_mc_count(d, ai, pi) for ai, pi in zip(a, phi, strict=True)])
        return probability.excess_at_least(counts, MC_SAMPLES,
                                           1.5 - 2 * probability.normal_cdf(2 / np.sqrt(a)))

    def margin_hp(instance: Instance, digits: int):
        d, a = instance["d"], Fraction(instance["a"])
        with mpmath.workdps(digits + 10):
            b = (3 - 4 * mpmath.ncdf(2 / mpmath.sqrt(mpmath.mpf(a.numerator) / a.denominator)))
        count = _mc_count(d, float(a), float(instance["phi"]))
        return probability.excess_at_least_hp(count, MC_SAMPLES, b / 2, digits)

    domain = Domain((Integer("d", 20, 40), Real("a", 1.0, 1e4, log=True),
                     Real("phi", 1e-3, 1e3, log=True)))
    return Property(domain, margin, margin_hp, TOLERANCE, rigorous=False,
                    description="Monte Carlo P(deficiency margin) >= printed bound")


# --------------------------------------------------------------------------- symbolic


def derive_event() -> SymbolicOutcome:
    """From the definitions: ||r x - Phi||^2 <= (||Phi|| - c)^2 is linear in t = <x, Phi>/||Phi||;
    solve it, substitute r and c, and check the proof's geometry and its use of Lemma 14."""
    a, d, p, t, r, c = sp.symbols("a d phi t r c", positive=True)
    lines, ok = [], True

    def record(text: str, good: bool) -> None:
        nonlocal ok
        ok &= bool(good)
        lines.append(f"{text} [{'ok' if good else 'FAILED'}]")

    gap = sp.expand((r**2 - 2 * r * p * t + p**2) - (p - c) ** 2)  # <= 0 is the event
    (t_star,) = sp.solve(gap, t)
    u = sp.simplify(t_star.subs({r: p / sp.sqrt(a * d), c: p / (a * d)}))
    printed_u = (3 - 1 / (a * d)) / (2 * sp.sqrt(a * d))
    record(f"event <=> t >= {u} (||Phi|| cancels)", sp.simplify(u - printed_u) == 0
           and sp.diff(gap, t).equals(-2 * r * p))
    record("u <= 2/sqrt(ad): the proof's cap {t >= 2/sqrt(ad)} lies inside the event",
           sp.simplify(2 / sp.sqrt(a * d) - u - (1 + 1 / (a * d)) / (2 * sp.sqrt(a * d))) == 0)
    rho = 1 / sp.sqrt(a * d)
    r_cos = (rho**2 + 1 - (1 - 1 / (a * d)) ** 2) / 2
    record("law of cosines: d(P, Q) = r cos(theta) - 1/(ad) = (1/(ad) - 1/(a^2 d^2))/2 and "
           "r cos(theta) = sqrt(ad) u / sqrt(ad) ... Q at distance u r",
           sp.simplify(r_cos - 1 / (a * d) - (1 / (a * d) - 1 / (a**2 * d**2)) / 2) == 0
           and sp.simplify(r_cos - u * rho) == 0)
    record("Lemma 14 at height h = 1 - 2/sqrt(ad): (1 - h) sqrt(d - 1) = 2 sqrt(d - 1)/sqrt(ad) "
           "<= 2/sqrt(a), and h in [0, 1] iff ad >= 4 (true for d >= 20, a >= 1)",
           sp.simplify((2 / sp.sqrt(a)) ** 2 - (2 * sp.sqrt(d - 1) / sp.sqrt(a * d)) ** 2
                       - 4 / (a * d)) == 0)
    return SymbolicOutcome(bool(ok), "; ".join(lines))


# --------------------------------------------------------------------------- claim


def _checks(reading: Reading) -> tuple:
    p = prop(reading)
    return trials("trials", p, count=256), search("search", p)


CLAIM = Claim(
    id="CONV-Lem15",
    paper=CONV,
    location="App. D.5, Lemma 15 (Figure 1)",
    statement=STATEMENT,
    variants=(
        Variant("as-printed", "d in [20, 400], a in [1, 1e6] (exact probability in balls)",
                (symbolic("event", derive_event), *_checks(PRINTED),
                 trials("monte-carlo", mc_prop(), count=64)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:radius-without-d", "r = ||Phi||_2/sqrt(a)",
                _checks(Reading(radius_with_d=False)), expected=Verdict.REFUTED),
        Variant("mutant:margin-sqrt", "deficiency margin ||Phi||_2/sqrt(ad)",
                _checks(Reading(margin_sqrt=True)), expected=Verdict.REFUTED),
    ),
    notes=(
        "The margin event is {t >= (3 - 1/(ad))/(2 sqrt(ad))} for t = <V/r, Phi/||Phi||>, whose "
        "probability is an incomplete beta function; compared with the bound in python-flint "
        "balls. The Monte Carlo cross-check samples V on S^d(r) and Phi directly (16384 "
        "samples per d, one-sided Clopper-Pearson, confidence 1 - 1e-9)."
    ),
)
