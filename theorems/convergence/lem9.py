"""CONV-Lem9: Laurent-Massart chi-square tail bounds.

Arora, Cohen, Golowich and Hu, "A Convergence Analysis of Gradient Descent for Deep Linear
Neural Networks", Appendix D.3 (Lemma 9, quoting Laurent and Massart (2000), Lemma 1).

In plain text (a paraphrase; :data:`STATEMENT` quotes it as printed):

    Lemma 9 (Laurent and Massart (2000), Lemma 1). Suppose that d ∈ N and V ∈ R^d is a vector
    whose entries are i.i.d. Gaussians with mean 0 and standard deviation s. Then, for any
    k > 0,
        P[‖V‖_2^2 ≥ s^2 (d + 2k + 2 sqrt(kd))] ≤ exp(−k)
        P[‖V‖_2^2 ≤ s^2 (d − 2 sqrt(kd))] ≤ exp(−k).

The paper calls it "a direct consequence of the Chernoff bound applied to the χ² distribution
with d_0 degrees of freedom", and uses it with k = d_0/16 (thresholds 13 d_0/8 <= 2 d_0 and
d_0/2).

Closed form: ‖V‖^2 / s^2 ~ χ²_d, so the two probabilities are the regularized incomplete gamma
functions Q(d/2, x/2) and P(d/2, x/2) at the thresholds x (0 when x <= 0). Both sides are
computed in python-flint ball arithmetic (rigorous) for every instance; the trials certify
the statement on the instances checked and the search explores d in [1, 64], k in
[1e-3, 300] (smallest d, tiny and huge k, the lower threshold crossing 0 at k = d/4).

Verdict: true. The symbolic check derives it completely from the definitions: the χ² moment
generating function, the optimised Chernoff exponent (d/2)(x − 1 − ln x), and the two
inequalities (d/2)(x − 1 − ln x) >= k at x = 1 + 2u + 2u² and x = 1 − 2u (u = sqrt(k/d)),
each by a derivative that is a manifest square over a positive denominator.

Variants:

* ``as-printed``: both tails (symbolic proof, rigorous trials, search, and a Monte Carlo
  cross-check with Clopper-Pearson bounds on sampled Gaussian vectors).
* ``mutant:upper-k``: upper threshold d + k + 2 sqrt(kd) (coefficient 2 of k dropped).
* ``mutant:lower-sqrt``: lower threshold d − sqrt(kd) (coefficient 2 of sqrt(kd) dropped).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cache

import flint
import numpy as np
import sympy as sp
from scipy import stats

from theorems.papers import CONV
from verify import probability
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.hp_linalg import bits, fmpq
from verify.domain import Batch, Domain, Instance, Integer, Property, Real
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "Suppose that  $d \\in \\mathbb{N}$  and  $V \\in \\mathbb{R}^d$  is a vector whose entries "
    "are i.i.d. Gaussians with mean 0 and standard deviation  $s$ . Then, for any  $k > 0$ ,*\n"
    "$$\\begin{aligned} \\mathbb{P}\\left[\\|V\\|_2^2 \\geq s^2(d + 2k + 2\\sqrt{kd})\\right] "
    "&\\leq \\exp(-k) \\\\ \\mathbb{P}\\left[\\|V\\|_2^2 \\leq s^2(d - 2\\sqrt{kd})\\right] "
    "&\\leq \\exp(-k). \\end{aligned}$$"
)

TOLERANCE = Tolerance(rtol=1e-9, atol=0.0)
MC_SAMPLES = 1 << 16
"""Gaussian vectors per dimension in the Monte Carlo cross-check."""


@dataclass(frozen=True)
class Reading:
    """Thresholds d + k_coeff k + 2 sqrt(kd) (upper) and d - sqrt_coeff sqrt(kd) (lower)."""

    k_coeff: int = 2
    sqrt_coeff: int = 2


PRINTED = Reading()


def _sqrt(value):
    """Square root of a float array, a ball or a sympy expression."""
    if isinstance(value, flint.arb):
        return value.sqrt()
    if isinstance(value, sp.Basic):
        return sp.sqrt(value)
    return np.sqrt(value)


def upper_threshold(d, k, reading: Reading = PRINTED):
    """x with P[||V||^2 >= s^2 x] the printed upper tail (floats, balls or sympy)."""
    return d + reading.k_coeff * k + 2 * _sqrt(k * d)


def lower_threshold(d, k, reading: Reading = PRINTED):
    """x with P[||V||^2 <= s^2 x] the printed lower tail."""
    return d - reading.sqrt_coeff * _sqrt(k * d)


# --------------------------------------------------------------------------- properties


def _domain() -> Domain:
    return Domain((Integer("d", 1, 64), Real("k", 1e-3, 300.0, log=True)))


def tail_prop(upper: bool, reading: Reading = PRINTED) -> Property:
    """One tail as "P <= exp(-k)": excess P - exp(-k), scale exp(-k); the high-precision
    margin evaluates the incomplete gamma function and exp(-k) in balls."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        d, k = batch["d"], batch["k"]
        if upper:
            p = stats.chi2.sf(upper_threshold(d, k, reading), d)
        else:
            x = lower_threshold(d, k, reading)
            p = np.where(x > 0, stats.chi2.cdf(np.maximum(x, 0.0), d), 0.0)
        bound = np.exp(-k)
        return p - bound, bound

    def margin_hp(instance: Instance, digits: int) -> tuple[flint.arb, flint.arb] | None:
        d, k = instance["d"], Fraction(instance["k"])
        if k <= 0 or d < 1:
            return None
        with flint.ctx.workprec(bits(digits)):
            ka = flint.arb(fmpq(k))
            half_d = flint.arb(d) / 2
            bound = (-ka).exp()
            if upper:
                p = (upper_threshold(d, ka, reading) / 2).gamma_upper(half_d, regularized=1)
            elif reading.sqrt_coeff ** 2 * k * d >= d * d:
                p = flint.arb(0)
            else:
                p = (lower_threshold(d, ka, reading) / 2).gamma_lower(half_d, regularized=1)
            return p - bound, bound

    side = "upper" if upper else "lower"
    return Property(_domain(), margin, margin_hp, TOLERANCE, rigorous=True,
                    description=f"{side} chi-square tail <= exp(-k)")


@cache
def _norms_sq(d: int) -> np.ndarray:
    """Sorted ||g||^2 of MC_SAMPLES standard Gaussian vectors g in R^d (common random
    numbers: V = s g, so ||V||^2 >= s^2 x iff ||g||^2 >= x for every s > 0)."""
    g = probability.fixed_rng("CONV-Lem9", d).standard_normal((MC_SAMPLES, d))
    return np.sort(np.einsum("ij,ij->i", g, g))


def _mc_count(d: int, x: np.ndarray, upper: bool) -> np.ndarray:
    q = _norms_sq(d)
    below = np.searchsorted(q, x, side="right")
    return MC_SAMPLES - np.searchsorted(q, x, side="left") if upper else below


def mc_prop(upper: bool) -> Property:
    """Monte Carlo cross-check: sampled V, one-sided Clopper-Pearson lower bound of the tail
    probability (confidence 1 - 1e-9) minus exp(-k)."""

    def threshold(d, k):
        return upper_threshold(d, k) if upper else lower_threshold(d, k)

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        d, k = batch["d"], batch["k"]
        count = _mc_count(d, threshold(d, k), upper)
        return probability.excess_at_most(count, MC_SAMPLES, np.exp(-k))

    def margin_hp(instance: Instance, digits: int):
        d, k = instance["d"], float(instance["k"])
        count = int(_mc_count(d, np.array([threshold(d, k)]), upper)[0])
        with flint.ctx.workprec(bits(digits)):
            bound = (-flint.arb(fmpq(Fraction(instance["k"])))).exp()
        return probability.excess_at_most_hp(count, MC_SAMPLES, bound.mid().str(digits + 5,
                                              radius=False), digits)

    return Property(_domain(), margin, margin_hp, TOLERANCE, rigorous=False,
                    description="Monte Carlo tail <= exp(-k)")


# --------------------------------------------------------------------------- symbolic


def derive_chernoff() -> SymbolicOutcome:
    """Both tails from the definitions: the chi-square MGF, the optimal Chernoff exponent,
    and the two exponent inequalities (derivatives are squares over positive denominators)."""
    z, mu, lam, t, d, x = sp.symbols("z mu lambda t d x", positive=True)
    u = sp.symbols("u", nonnegative=True)
    lines, ok = [], True
    # E exp(lam Z^2) for Z ~ N(0, 1), lam = 1/2 - mu < 1/2
    mgf = sp.simplify(sp.integrate(sp.exp(-mu * z**2), (z, -sp.oo, sp.oo)) / sp.sqrt(2 * sp.pi))
    mgf_ok = sp.simplify(mgf - (1 - 2 * (sp.Rational(1, 2) - mu)) ** sp.Rational(-1, 2)) == 0
    ok &= mgf_ok
    lines.append(f"E exp(lam Z^2) = (1 - 2 lam)^(-1/2) [{'ok' if mgf_ok else 'FAILED'}]")
    # upper tail: min over 0 < lam < 1/2 of -lam t - (d/2) log(1 - 2 lam)
    for name, log_bound in (("upper", -lam * t - d / 2 * sp.log(1 - 2 * lam)),
                            ("lower", lam * t - d / 2 * sp.log(1 + 2 * lam))):
        (star,) = [s for s in sp.solve(sp.diff(log_bound, lam), lam)]
        exponent = sp.simplify(log_bound.subs(lam, star).subs(t, d * x))
        target = -d / 2 * (x - 1 - sp.log(x))
        same = sp.simplify(sp.expand_log(exponent - target, force=True)) == 0
        ok &= same
        lines.append(f"{name} tail: optimal lambda = {star}, log bound = "
                     f"-(d/2)(x - 1 - ln x) [{'ok' if same else 'FAILED'}]")
    # exponent >= k with k = d u^2: f(u) = (x - 1 - ln x) - 2 u^2 >= 0 with f(0) = 0, f' >= 0
    for name, x_of_u, expected in (
            ("upper", 1 + 2 * u + 2 * u**2, 4 * u**2 / (2 * u**2 + 2 * u + 1)),
            ("lower", 1 - 2 * u, 8 * u**2 / (1 - 2 * u))):
        f = x_of_u - 1 - sp.log(x_of_u) - 2 * u**2
        derivative_ok = sp.simplify(sp.diff(f, u) - expected) == 0 and f.subs(u, 0) == 0
        ok &= derivative_ok
        lines.append(f"{name}: x = {x_of_u}, d/du[(x - 1 - ln x) - 2u^2] = {expected} >= 0 "
                     f"(u < 1/2 for the lower tail; for u >= 1/2 the threshold is <= 0) "
                     f"[{'ok' if derivative_ok else 'FAILED'}]")
    k_use = sp.simplify(upper_threshold(d, d / 16)), sp.simplify(lower_threshold(d, d / 16))
    use_ok = k_use == (13 * d / 8, d / 2)
    ok &= use_ok
    lines.append(f"k = d/16 (as used for Theorem 2): thresholds {k_use[0]} <= 2d and {k_use[1]} "
                 f"[{'ok' if use_ok else 'FAILED'}]")
    return SymbolicOutcome(bool(ok), "; ".join(lines))


# --------------------------------------------------------------------------- claim


def _checks(reading: Reading) -> tuple:
    upper, lower = tail_prop(True, reading), tail_prop(False, reading)
    return (trials("upper-tail", upper, count=256), search("upper-search", upper),
            trials("lower-tail", lower, count=256), search("lower-search", lower))


CLAIM = Claim(
    id="CONV-Lem9",
    paper=CONV,
    location="App. D.3, Lemma 9",
    statement=STATEMENT,
    variants=(
        Variant("as-printed", "both tails as printed, d in [1, 64], k in [1e-3, 300]",
                (symbolic("chernoff", derive_chernoff), *_checks(PRINTED),
                 trials("upper-monte-carlo", mc_prop(True), count=128),
                 trials("lower-monte-carlo", mc_prop(False), count=128)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:upper-k", "upper threshold d + k + 2 sqrt(kd)",
                _checks(Reading(k_coeff=1)), expected=Verdict.REFUTED),
        Variant("mutant:lower-sqrt", "lower threshold d - sqrt(kd)",
                _checks(Reading(sqrt_coeff=1)), expected=Verdict.REFUTED),
    ),
    notes=(
        "Closed form: ||V||^2/s^2 ~ chi^2_d, so the tails are Q(d/2, x/2) and P(d/2, x/2), "
        "evaluated in python-flint balls; s cancels. The symbolic check is a full proof "
        "(Chernoff). The Monte Carlo cross-checks sample 65536 Gaussian vectors per d and "
        "compare the one-sided Clopper-Pearson lower bound (confidence 1 - 1e-9) with exp(-k). "
        "'supported' rather than 'certified' only because search and Monte Carlo never certify."
    ),
)
