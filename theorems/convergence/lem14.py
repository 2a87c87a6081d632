"""CONV-Lem14: lower bound on the area of a hyperspherical cap.

Arora, Cohen, Golowich and Hu, "A Convergence Analysis of Gradient Descent for Deep Linear
Neural Networks", Appendix D.5 (Lemma 14). F is the standard normal CDF (App. D, notation).

In plain text (a paraphrase; :data:`STATEMENT` quotes Lemma 14 as printed):

    Definition: a (d, r)-hyperspherical cap of height h is a subset C ⊂ B^d(r) of the form
    {x ∈ B^d(r) : <x, u> ≥ r − h}, where u is any d-dimensional unit vector. We define the area
    of a (d, r)-hyperspherical cap of height h — C — to be σ^{d,r}(∂C ∩ S^d(r)) (σ^{d,r} the
    uniform probability measure on the sphere S^d(r)).

    Lemma 14. For d ≥ 20, choose any 0 ≤ h ≤ 1. Then, the area of a (d, 1)-hyperspherical cap
    of height h is at least (3 − 4F((1 − h) sqrt(d − 1)))/2.

Closed form: for x uniform on the unit sphere of R^d, <x, u>^2 ~ Beta(1/2, (d − 1)/2), so the
area is A(d, h) = I_{1 − (1 − h)^2}((d − 1)/2, 1/2) / 2 (Chudnov's (1 − C_{d−2}(h)/C_{d−2}(0))/2).
Both sides are computed in python-flint balls (incomplete beta, erfc); h = 1 (a hemisphere,
area 1/2 = bound) is decided exactly.

Verdict: true, with equality at h = 1 (the excess tends to 0 there) and the bound negative,
hence trivial, for small h. The proof's chain ends with F((1 − h) sqrt(d − 3)); the printed
sqrt(d − 1) is the weaker statement (F increases), so the lemma follows from the proof as
printed. The symbolic check re-derives the proof's auxiliary steps.

Variants:

* ``as-printed``.
* ``mutant:three-f``: bound (3 − 3F(...))/2 (wrong constant; fails near h = 1).
* ``mutant:gaussian-tail``: bound 1 − F((1 − h) sqrt(d − 1)) (the Gaussian approximation
  without the proof's factor-2 slack; fails because <x, u> sqrt(d − 1) has lighter tails).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cache

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
    "For  $d \\geq 20$ , choose any  $0 \\leq h \\leq 1$ . Then, the area of a  $(d, 1)$ "
    "-hyperspherical cap of height  $h$  is at least*\n"
    "$$\\frac{3 - 4F((1 - h)\\sqrt{d - 1})}{2}.$$"
)

TOLERANCE = Tolerance(rtol=1e-9, atol=0.0)
MC_SAMPLES = 1 << 15
FORMS = ("printed", "three-f", "gaussian-tail")


@dataclass(frozen=True)
class Reading:
    """The lower bound: ``printed`` (3 - 4F)/2, ``three-f`` (3 - 3F)/2, ``gaussian-tail`` 1 - F."""

    form: str = "printed"


PRINTED = Reading()


def bound(G, reading: Reading):
    """The lower bound as a function of G = F((1 - h) sqrt(d - 1)) - 1/2 (floats or balls;
    written with G so that nothing cancels near h = 1)."""
    half = flint.arb(1) / 2 if isinstance(G, flint.arb) else 0.5
    if reading.form == "printed":
        return half - 2 * G
    if reading.form == "three-f":
        return 3 * half / 2 - 3 * G / 2
    return half - G


def excess_float(d: int, h) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(G, J, area) in float64 with J = 1/2 - area = P(0 <= <x, u> < 1 - h)."""
    u = 1 - np.asarray(h, dtype=float)
    G = 0.5 * erf(u * np.sqrt(d - 1) / np.sqrt(2))
    J = probability.sphere_coordinate_band(d, u)
    return G, J, 0.5 - J


def cap_area(d: int, h):
    """A(d, h) in float64 (vectorised over h)."""
    return probability.sphere_coordinate_sf(d, 1 - np.asarray(h, dtype=float))


def _domain(d_max: int = 400) -> Domain:
    return Domain((Integer("d", 20, d_max), Real("h", 0.0, 1.0)))


def prop(reading: Reading = PRINTED) -> Property:
    """"area >= bound": excess = bound - area, scale = max(|bound|, area)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        G, J, area = excess_float(batch["d"], batch["h"])
        b = bound(G, reading)
        return (b - 0.5) + J, np.maximum(np.abs(b), area)

    def margin_hp(instance: Instance, digits: int):
        d, h = instance["d"], Fraction(instance["h"])
        if not (d >= 20 and 0 <= h <= 1):
            return None
        if h == 1 and reading.form == "printed":
            return Fraction(0), Fraction(1, 2)
        with flint.ctx.workprec(bits(digits)):
            u = flint.arb(fmpq(1 - h))
            area = probability.sphere_coordinate_sf_arb(d, u)
            b = bound(probability.normal_cdf_arb(u * flint.arb(d - 1).sqrt()) - flint.arb(1) / 2,
                      reading)
            return b - area, abs(b).max(area)

    return Property(_domain(), margin, margin_hp, TOLERANCE, rigorous=True,
                    description=f"cap area >= bound ({reading.form})")


@cache
def _coordinates(d: int) -> np.ndarray:
    """Sorted first coordinates of MC_SAMPLES uniform points of the unit sphere of R^d."""
    return np.sort(probability.uniform_sphere(probability.fixed_rng("CONV-Lem14", d),
                                              MC_SAMPLES, d)[:, 0])


def mc_prop() -> Property:
    """Monte Carlo cross-check of the cap area (points <x, e_1> >= 1 - h) against the printed
    bound: excess = bound - (upper Clopper-Pearson bound, confidence 1 - 1e-9)."""

    def count(d: int, h) -> np.ndarray:
        t = _coordinates(d)
        return MC_SAMPLES - np.searchsorted(t, 1 - np.asarray(h, dtype=float), side="left")

    def margin(batch: Batch):
        d, h = batch["d"], batch["h"]
        b = bound(excess_float(d, h)[0], PRINTED)
        return probability.excess_at_least(count(d, h), MC_SAMPLES, b)

    def margin_hp(instance: Instance, digits: int):
        d, h = instance["d"], Fraction(instance["h"])
        with mpmath.workdps(digits + 10):
            x = (1 - mpmath.mpf(h.numerator) / h.denominator) * mpmath.sqrt(d - 1)
            b = (3 - 4 * mpmath.ncdf(x)) / 2
        k = int(count(d, np.array([float(h)]))[0])
        return probability.excess_at_least_hp(k, MC_SAMPLES, b, digits)

    return Property(_domain(64), margin, margin_hp, TOLERANCE, rigorous=False,
                    description="Monte Carlo cap area >= printed bound")


# --------------------------------------------------------------------------- symbolic


def derive_area_formula() -> SymbolicOutcome:
    """The cap area from the uniform measure: the slice {<x, u> = t} of the unit sphere is a
    (d - 2)-sphere of radius sqrt(1 - t^2) met at arc length dt / sqrt(1 - t^2), so <x, u> has
    density proportional to (1 - t^2)^((d-3)/2); integrated exactly (odd d, polynomial
    integrand) it matches Chudnov's (1 - C_{d-2}(h)/C_{d-2}(0))/2 and the incomplete-beta
    form used by the checks (50 digits)."""
    t, dd = sp.symbols("t d", positive=True)
    slice_density = sp.powsimp((1 - t**2) ** ((dd - 2) / 2) / sp.sqrt(1 - t**2))
    density_ok = sp.simplify(slice_density - (1 - t**2) ** ((dd - 3) / 2)) == 0
    lines, ok = [f"slice density (1 - t^2)^((d-3)/2) [{'ok' if density_ok else 'FAILED'}]"], \
        density_ok
    for d, h in ((21, sp.Rational(1, 3)), (23, sp.Rational(9, 10)), (41, sp.Rational(1, 20))):
        w = (1 - t**2) ** sp.Rational(d - 3, 2)
        exact = sp.integrate(w, (t, 1 - h, 1)) / sp.integrate(w, (t, -1, 1))
        chudnov = (1 - sp.integrate(w, (t, 0, 1 - h)) / sp.integrate(w, (t, 0, 1))) / 2
        same = sp.simplify(exact - chudnov) == 0
        with mpmath.workdps(50):
            beta = mpmath.betainc((d - 1) / mpmath.mpf(2), mpmath.mpf(1) / 2, 0,
                                  1 - (1 - mpmath.mpf(h.p) / h.q) ** 2, regularized=True) / 2
            close = abs(sp.N(exact, 50) - sp.Float(beta, 50)) < sp.Float(10) ** -45
        ok &= same and close
        lines.append(f"d={d}, h={h}: exact area {sp.N(exact, 12)} = Chudnov = incomplete beta "
                     f"[{'ok' if same and close else 'FAILED'}]")
    return SymbolicOutcome(bool(ok), "; ".join(lines))


def derive_proof_steps() -> SymbolicOutcome:
    """The auxiliary facts of the printed proof, derived with sympy:
    1 - t^2 >= exp(-2 t^2) on [0, 1/2]; the Gaussian integrals of (46) and (47);
    F(x) >= 1 - exp(-x^2/2) for x >= 1; 1/(1 - y) <= 1 + 2y on (0, 1/2);
    y = 2 exp(-17/4) < 1/2; 1 + 4 exp(-(d-3)/4) <= sqrt(2) for d >= 20."""
    t, x, y, m, a = sp.symbols("t x y m a", positive=True)
    F = (1 + sp.erf(x / sp.sqrt(2))) / 2
    lines, ok = [], True

    def record(text: str, good: bool) -> None:
        nonlocal ok
        ok &= bool(good)
        lines.append(f"{text} [{'ok' if good else 'FAILED'}]")

    g = sp.log(1 - t**2) + 2 * t**2
    dg = sp.factor(sp.simplify(sp.diff(g, t)))
    record(f"d/dt[log(1 - t^2) + 2t^2] = {dg} >= 0 on [0, 1/sqrt(2)], value 0 at t = 0",
           sp.simplify(dg - 2 * t * (1 - 2 * t**2) / (1 - t**2)) == 0 and g.subs(t, 0) == 0)
    i46 = sp.integrate(sp.exp(-t**2 * m), (t, 0, sp.Rational(1, 2)))
    f46 = sp.sqrt(sp.pi / m) * (2 * F.subs(x, sp.sqrt(m / 2)) - 1) / 2
    record("(46): int_0^{1/2} exp(-t^2 (d-3)) dt = sqrt(pi/(d-3)) (2F(sqrt((d-3)/2)) - 1)/2",
           sp.simplify(i46 - f46) == 0)
    i47 = sp.integrate(sp.exp(-t**2 * m / 2), (t, 0, a))
    f47 = sp.sqrt(2 * sp.pi / m) * (2 * F.subs(x, a * sp.sqrt(m)) - 1) / 2
    record("(47): int_0^{1-h} exp(-t^2 (d-3)/2) dt = sqrt(2 pi/(d-3)) (2F((1-h)sqrt(d-3)) - 1)/2",
           sp.simplify(i47 - f47) == 0)
    tail = F - 1 + sp.exp(-x**2 / 2)
    dtail = sp.simplify(sp.diff(tail, x) * sp.exp(x**2 / 2))
    record(f"d/dx[F(x) - 1 + exp(-x^2/2)] exp(x^2/2) = {dtail} < 0 for x >= 1 and the limit at "
           "infinity is 0, so F(x) >= 1 - exp(-x^2/2) for x >= 1",
           sp.simplify(dtail - (1 / sp.sqrt(2 * sp.pi) - x)) == 0
           and sp.limit(tail, x, sp.oo) == 0)
    record("(1 + 2y)(1 - y) - 1 = y(1 - 2y) >= 0 on (0, 1/2)",
           sp.expand((1 + 2 * y) * (1 - y) - 1 - y * (1 - 2 * y)) == 0)
    y0 = 2 * sp.exp(-sp.Rational(17, 4))
    record(f"y = 2 exp(-17/4) = {sp.N(y0, 6)} < 1/2", bool(y0 < sp.Rational(1, 2)))
    record("1 + 4 exp(-17/4) <= sqrt(2) (d = 20; decreasing in d)",
           bool(1 + 4 * sp.exp(-sp.Rational(17, 4)) <= sp.sqrt(2)))
    record("sqrt(2)(1 + 4 exp(-17/4)) <= 2, so (1 - sqrt(2)(2F - 1)(1 + 4e))/2 >= (3 - 4F)/2",
           bool(sp.sqrt(2) * (1 + 4 * sp.exp(-sp.Rational(17, 4))) <= 2))
    lines.append("the chain ends with F((1-h)sqrt(d-3)); the printed sqrt(d-1) gives a smaller "
                 "bound (F increasing), so the statement follows")
    return SymbolicOutcome(bool(ok), "; ".join(lines))


# --------------------------------------------------------------------------- claim


def _checks(reading: Reading) -> tuple:
    p = prop(reading)
    return trials("trials", p, count=256), search("search", p)


CLAIM = Claim(
    id="CONV-Lem14",
    paper=CONV,
    location="App. D.5, Lemma 14 (and the cap definition before it)",
    statement=STATEMENT,
    variants=(
        Variant("as-printed", "d in [20, 400], h in [0, 1] (closed form in balls)",
                (symbolic("area-formula", derive_area_formula),
                 symbolic("proof-steps", derive_proof_steps), *_checks(PRINTED),
                 trials("monte-carlo", mc_prop(), count=64)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:three-f", "bound (3 - 3F((1 - h) sqrt(d - 1)))/2",
                _checks(Reading("three-f")), expected=Verdict.REFUTED),
        Variant("mutant:gaussian-tail", "bound 1 - F((1 - h) sqrt(d - 1))",
                _checks(Reading("gaussian-tail")), expected=Verdict.REFUTED),
    ),
    notes=(
        "Area in closed form (regularized incomplete beta), compared with the bound in "
        "python-flint balls; equality at h = 1 (hemisphere) is exact. The proof's chain gives "
        "sqrt(d - 3) in place of the printed sqrt(d - 1), which is weaker, so the printed "
        "statement follows. The Monte Carlo cross-check samples 32768 sphere points per d "
        "(one-sided Clopper-Pearson upper bound, confidence 1 - 1e-9)."
    ),
)
