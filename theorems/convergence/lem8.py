"""CONV-Lem8 (= Lemma 16): a rotation-invariant vector with concentrated norm has a margin.

Arora, Cohen, Golowich and Hu, "A Convergence Analysis of Gradient Descent for Deep Linear
Neural Networks", Appendix D.3 (Lemma 8), restated as Lemma 16 in Appendix D.5 and proved
there from Lemma 15. F is the standard normal CDF; for Φ ∈ R^{1×d}, σ_min(Φ) = ‖Φ‖_2.

As printed (Lemma 8; Lemma 16 is word for word the same):

    "Let d ∈ N, d ≥ 20; b_2 > b_1 ≥ 1 be real numbers (possibly depending on d); and Φ ∈ R^d
    be a vector. Suppose that μ is a rotation-invariant distribution over R^d with a
    well-defined density, such that, for some 0 < ε < 1,
        P_{V∼μ}[‖Φ‖_2/sqrt(b_2 d) ≤ ‖V‖_2 ≤ ‖Φ‖_2/sqrt(b_1 d)] ≥ 1 − ε.
    Then, with probability at least (1 − ε)(3 − 4F(2/sqrt(b_1)))/2, V will have deficiency
    margin ‖Φ‖_2/(b_2 d) with respect to Φ."

Reduction (derived in :func:`derive_reduction`): take ‖Φ‖ = 1 (everything scales), c = 1/(b_2 d)
and t = <V/‖V‖, Φ>. Given ‖V‖ = r, V/r is uniform on the sphere (rotation invariance) and the
margin event ‖V − Φ‖ <= 1 − c is t >= u(r) = (r^2 + 2c − c^2)/(2r), so its conditional
probability is p(r) = P(t >= u(r)) (an incomplete beta function). u is convex in r, so p is
quasi-concave and min_{[r_1, r_2]} p = min(p(r_1), p(r_2)) (r_1 = 1/sqrt(b_2 d), r_2 =
1/sqrt(b_1 d)). The infimum of P[margin] over all admissible μ is (1 − ε) min(p(r_1), p(r_2)):
at least that since P[margin] >= ∫_{[r_1, r_2]} p dμ̂ and p >= 0; approached by densities with
mass 1 − ε in a thin shell at the worse endpoint and ε at a radius where p = 0 (e.g. ‖V‖ = 4).
So the lemma holds for all μ iff min(p(r_1), p(r_2)) >= (3 − 4F(2/sqrt(b_1)))/2, which the
checks evaluate in python-flint balls over d in [20, 400], b_1 in [1, 1e6], b_2/b_1 in
(1, 1e6], ε in (0, 1). A Monte Carlo check samples such near-worst-case μ directly.

Verdict: true (the paper's proof: Lemma 15 at each radius, u(r_1), u(r_2) <= 1.5/sqrt(b_1 d)).

Variants:

* ``as-printed``.
* ``mutant:margin-b1``: deficiency margin ‖Φ‖_2/(b_1 d) instead of ‖Φ‖_2/(b_2 d) (at the
  inner radius r_1 the event becomes impossible when b_2 >> b_1).
* ``mutant:no-one-minus-eps``: probability at least (3 − 4F(2/sqrt(b_1)))/2 (the factor
  (1 − ε) dropped: fails when most of the mass is outside the shell).
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
    "Let  $d \\in \\mathbb{N}, d \\geq 20; b_2 > b_1 \\geq 1$  be real numbers (possibly "
    "depending on  $d$ ); and  $\\Phi \\in \\mathbb{R}^d$  be a vector. Suppose that  $\\mu$  is "
    "a rotation-invariant distribution<sup>13</sup> over  $\\mathbb{R}^d$  with a well-defined "
    "density, such that, for some  $0 < \\epsilon < 1$ ,*\n"
    "$$\\mathbb{P}_{V \\sim \\mu} \\left[ \\frac{\\|\\Phi\\|_2}{\\sqrt{b_2 d}} \\leq \\|V\\|_2 "
    "\\leq \\frac{\\|\\Phi\\|_2}{\\sqrt{b_1 d}} \\right] \\geq 1 - \\epsilon.$$\n"
    "*Then, with probability at least  $(1 - \\epsilon) \\cdot \\frac{3-4F(2/\\sqrt{b_1})}{2}$ , "
    " $V$  will have deficiency margin  $\\|\\Phi\\|_2/(b_2 d)$  with respect to  $\\Phi$ ."
)

TOLERANCE = Tolerance(rtol=1e-9, atol=0.0)
MC_SAMPLES = 1 << 14
SHELL = 1e-3
"""Relative width of the thin shell at the worse endpoint in the Monte Carlo measure."""
FAR = 4.0
"""Radius (times ||Phi||) carrying the mass epsilon outside the shell: no margin there."""


@dataclass(frozen=True)
class Reading:
    """``margin_b1``: margin 1/(b_1 d) (mutant) instead of 1/(b_2 d); ``one_minus_eps``:
    keep the factor (1 - eps) in the bound (printed)."""

    margin_b1: bool = False
    one_minus_eps: bool = True


PRINTED = Reading()


def margin_c(b1, b2, d, reading: Reading = PRINTED):
    """c for ||Phi|| = 1."""
    return 1 / (b1 * d) if reading.margin_b1 else 1 / (b2 * d)


def threshold_sq(r_sq, c):
    """u(r)^2 = (r^2 + 2c - c^2)^2 / (4 r^2): the event is t >= u(r) (exact for Fractions)."""
    return (r_sq + 2 * c - c * c) ** 2 / (4 * r_sq)


def _domain() -> Domain:
    return Domain((Integer("d", 20, 400), Real("b1", 1.0, 1e6, log=True),
                   Real("ratio", 1.0, 1e6, log=True, open_low=True),
                   Real("eps", 0.0, 1.0, open_low=True, open_high=True)))


def prop(reading: Reading = PRINTED) -> Property:
    """"inf over admissible mu of P[margin] >= bound": with J = 1/2 - p (band probability),
    G = F(2/sqrt b1) - 1/2 and w = 1 - eps (printed) or 1 (mutant), the excess is
    w (1/2 - 2G) - (1 - eps)(1/2 - max(J(r1), J(r2)))."""

    def margin(batch: Batch):
        d, b1, eps = batch["d"], batch["b1"], batch["eps"]
        b2 = b1 * batch["ratio"]
        c = margin_c(b1, b2, d, reading)
        J = np.maximum(*(probability.sphere_coordinate_band(d, np.sqrt(threshold_sq(r_sq, c)))
                         for r_sq in (1 / (b2 * d), 1 / (b1 * d))))
        G = 0.5 * erf(2 / np.sqrt(b1) / np.sqrt(2))
        keep = 1 - eps
        # bound - inf P = w (1/2 - 2G) - keep (1/2 - J), w the printed factor of the bound
        w = keep if reading.one_minus_eps else 1.0
        excess = w * (0.5 - 2 * G) - keep * (0.5 - J)
        return excess, np.maximum(np.abs(w * (0.5 - 2 * G)), keep * (0.5 - J))

    def margin_hp(instance: Instance, digits: int):
        d, b1 = instance["d"], Fraction(instance["b1"])
        ratio, eps = Fraction(instance["ratio"]), Fraction(instance["eps"])
        if d < 20 or b1 < 1 or ratio <= 1 or not 0 < eps < 1:
            return None
        b2 = b1 * ratio
        c = margin_c(b1, b2, d, reading)
        with flint.ctx.workprec(bits(digits)):
            half = flint.arb(1) / 2
            J = [probability.sphere_coordinate_band_arb(d, flint.arb(fmpq(threshold_sq(r_sq, c))))
                 for r_sq in (1 / (b2 * d), 1 / (b1 * d))]
            G = probability.normal_cdf_arb(2 / flint.arb(fmpq(b1)).sqrt()) - half
            keep = flint.arb(fmpq(1 - eps))
            w = keep if reading.one_minus_eps else flint.arb(1)
            lhs = keep * (half - J[0].max(J[1]))
            return w * (half - 2 * G) - lhs, abs(w * (half - 2 * G)).max(lhs)

    return Property(_domain(), margin, margin_hp, TOLERANCE, rigorous=True,
                    description="inf over mu of P(deficiency margin) >= printed bound")


@lru_cache(maxsize=8)
def _samples(d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(t, U_mix, U_shell): first coordinates of MC_SAMPLES uniform unit vectors of R^d and
    two uniforms per sample (common random numbers)."""
    rng = probability.fixed_rng("CONV-Lem8", d)
    t = probability.uniform_sphere(rng, MC_SAMPLES, d)[:, 0]
    return t, rng.uniform(size=MC_SAMPLES), rng.uniform(size=MC_SAMPLES)


def _mc_count(d: int, b1: float, ratio: float, eps: float, outer: int, phi: float) -> int:
    """#samples with a margin under the near-worst measure: with probability 1 - eps a
    radius uniform in the thin shell of [r1, r2] at the outer (``outer = 1``) or inner end,
    otherwise FAR ||Phi||; Phi = phi e_1 (rotation invariance)."""
    t, u_mix, u_shell = _samples(d)
    b2 = b1 * ratio
    r1, r2 = phi / np.sqrt(b2 * d), phi / np.sqrt(b1 * d)
    shell = (r2 - (r2 - r1) * SHELL * u_shell) if outer else (r1 + (r2 - r1) * SHELL * u_shell)
    r = np.where(u_mix < 1 - eps, shell, FAR * phi)
    c = phi / (b2 * d)
    return int(np.count_nonzero(r * r - 2 * r * phi * t + phi * phi <= (phi - c) ** 2))


def mc_prop() -> Property:
    """Monte Carlo: V drawn from a near-worst rotation-invariant measure (see
    :func:`_mc_count`; the far mass could be smeared into a thin shell too, p = 0 there);
    excess = (1 - eps)(3 - 4F(2/sqrt b1))/2 - (upper Clopper-Pearson bound, 1 - 1e-9)."""

    def bound_float(b1, eps):
        return (1 - eps) * (1.5 - 2 * probability.normal_cdf(2 / np.sqrt(b1)))

    def margin(batch: Batch):
        d, outer = batch["d"], batch["outer"]
        counts = np.array([_mc_count(d, b1, ra, e, outer, p) for b1, ra, e, p in
                           zip(batch["b1"], batch["ratio"], batch["eps"], batch["phi"],
                               strict=True)])
        return probability.excess_at_least(counts, MC_SAMPLES, bound_float(batch["b1"],
                                                                           batch["eps"]))

    def margin_hp(instance: Instance, digits: int):
        b1, eps = Fraction(instance["b1"]), Fraction(instance["eps"])
        count = _mc_count(instance["d"], float(b1), float(instance["ratio"]), float(eps),
                          instance["outer"], float(instance["phi"]))
        with mpmath.workdps(digits + 10):
            keep = mpmath.mpf(eps.denominator - eps.numerator) / eps.denominator
            root = mpmath.sqrt(mpmath.mpf(b1.numerator) / b1.denominator)
            b = keep * (3 - 4 * mpmath.ncdf(2 / root)) / 2
        return probability.excess_at_least_hp(count, MC_SAMPLES, b, digits)

    domain = Domain((Integer("d", 20, 40), Integer("outer", 0, 1),
                     Real("b1", 1.0, 1e4, log=True), Real("ratio", 1.0, 1e4, log=True,
                                                           open_low=True),
                     Real("eps", 0.0, 1.0, open_low=True, open_high=True),
                     Real("phi", 1e-3, 1e3, log=True)))
    return Property(domain, margin, margin_hp, TOLERANCE, rigorous=False,
                    description="Monte Carlo P(margin) under a near-worst measure >= bound")


# --------------------------------------------------------------------------- symbolic


def derive_reduction() -> SymbolicOutcome:
    """The margin event given ||V|| = r, convexity of its threshold in r (so the worst radius
    in [r1, r2] is an endpoint), and the endpoint thresholds <= 1.5/sqrt(b1 d) < 2/sqrt(b1 d)
    (the cap of the proof's Lemma 15 lies inside the event)."""
    r, t, c, b1, b2, d = sp.symbols("r t c b_1 b_2 d", positive=True)
    lines, ok = [], True

    def record(text: str, good: bool) -> None:
        nonlocal ok
        ok &= bool(good)
        lines.append(f"{text} [{'ok' if good else 'FAILED'}]")

    gap = sp.expand((r**2 - 2 * r * t + 1) - (1 - c) ** 2)  # ||r x - Phi||^2 - (1 - c)^2
    (t_star,) = sp.solve(gap, t)
    u = (r**2 + 2 * c - c**2) / (2 * r)
    record(f"||V - Phi|| <= 1 - c <=> t >= u(r) = {t_star} (||Phi|| = 1, coefficient of t "
           "is -2r < 0)", sp.simplify(t_star - u) == 0 and sp.diff(gap, t) == -2 * r)
    u2 = sp.simplify(sp.diff(u, r, 2))
    record(f"u''(r) = {u2} > 0 for 0 < c < 2: u convex, p(r) = P(t >= u(r)) quasi-concave, "
           "its minimum on [r1, r2] is at r1 or r2",
           sp.simplify(u2 - c * (2 - c) / r**3) == 0)
    c_print = 1 / (b2 * d)
    for name, r_end, rhs in (("r2 = 1/sqrt(b1 d)", 1 / sp.sqrt(b1 * d), 1 / (b1 * d)),
                             ("r1 = 1/sqrt(b2 d)", 1 / sp.sqrt(b2 * d), 1 / (b2 * d))):
        u_end = u.subs({r: r_end, c: c_print})
        bound_15 = sp.Rational(3, 2) * r_end  # 1.5 r = 1.5/sqrt(b d)
        slack = sp.simplify((bound_15 - u_end) * 2 / r_end)
        expected = 2 - (2 * c_print - c_print**2) / rhs
        record(f"at {name}: 2(1.5 r - u)/r = 2 - (2c - c^2)/r^2 >= 0 since c <= r^2, so u <= 1.5 r "
               "<= 1.5/sqrt(b1 d)", sp.simplify(slack - expected) == 0)
    lines.append("worst measure: mass 1 - eps near the worse endpoint and eps at ||V|| = "
                 f"{FAR:g} ||Phi|| (no margin: ||V - Phi|| >= 3 ||Phi||), so inf_mu P = "
                 "(1 - eps) min(p(r1), p(r2)); Lemma 15 (CONV-Lem15) at a = 1/(r^2 d) >= b1 "
                 "bounds p from below by (3 - 4F(2/sqrt b1))/2")
    return SymbolicOutcome(bool(ok), "; ".join(lines))


# --------------------------------------------------------------------------- claim


def _checks(reading: Reading) -> tuple:
    p = prop(reading)
    return trials("worst-case", p, count=256), search("search", p)


CLAIM = Claim(
    id="CONV-Lem8",
    paper=CONV,
    location="App. D.3, Lemma 8 (restated as Lemma 16, App. D.5)",
    statement=STATEMENT,
    variants=(
        Variant("as-printed", "d in [20, 400], b1 in [1, 1e6], b2/b1 in (1, 1e6], eps in (0, "
                "1): worst case over mu in balls; Monte Carlo under near-worst measures",
                (symbolic("reduction", derive_reduction), *_checks(PRINTED),
                 trials("monte-carlo", mc_prop(), count=64)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:margin-b1", "deficiency margin ||Phi||_2/(b_1 d)",
                _checks(Reading(margin_b1=True)), expected=Verdict.REFUTED),
        Variant("mutant:no-one-minus-eps", "probability at least (3 - 4F(2/sqrt(b_1)))/2",
                _checks(Reading(one_minus_eps=False)), expected=Verdict.REFUTED),
    ),
    notes=(
        "The quantifier over mu is reduced exactly: inf_mu P(margin) = (1 - eps) min(p(r1), "
        "p(r2)) with p(r) an incomplete beta function (worst measure: mass 1 - eps in a thin "
        "shell at the worse endpoint, eps far away), compared with the bound in python-flint "
        "balls. The Monte Carlo check samples those near-worst measures (16384 samples per d, "
        "one-sided Clopper-Pearson, confidence 1 - 1e-9). Lemma 16 is Lemma 8 word for word."
    ),
)
