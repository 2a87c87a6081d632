"""CONV-Lem11: Carbery-Wright anti-concentration (a cited theorem, constant unspecified).

Arora, Cohen, Golowich and Hu, "A Convergence Analysis of Gradient Descent for Deep Linear
Neural Networks", Appendix D.5 (Lemma 11, quoting Carbery and Wright (2001)).

As printed:

    Lemma 11 (Carbery and Wright (2001)). "There is an absolute constant C_0 such that the
    following holds. Suppose that h is a multilinear polynomial of K variables X_1, ..., X_K
    and of degree N. Suppose that X_1, ..., X_K are i.i.d. Gaussian. Then, for any ε > 0:
        P[|h(X_1, ..., X_K)| ≤ ε · sqrt(Var[h(X_1, ..., X_K)])] ≤ C_0 N ε^{1/N}."

What can be checked. The statement quantifies over all multilinear polynomials with an
unspecified constant, so no finite computation decides it; it is a published theorem. The
checks cover the instance the paper uses (proof of Lemma 12): h = g_{i_0}, the (1, i_0) entry
of W_N ··· W_1 with i.i.d. N(0, s^2) entries, multilinear of degree N with Var = Π s^{2N}
(derived in CONV-Lem12). In distribution g_{i_0} / sqrt(Var) = Z λ / sqrt(Π) (Z ~ N(0, 1),
λ^2 = Π_j χ²_{d_j}), sampled through the engine's scalar-output factorisation. With the
candidate constant C_0 = 1 the Monte Carlo estimates (one-sided Clopper-Pearson, confidence
1 − 1e-9) are consistent with the bound over N <= 4, widths <= 4, ε in [1e-8, 1]: the printed
statement is *supported on the paper's instance* (the implied constant there is at most ~1),
and undecided in general. The degree-1 case is exact: P[|Z| <= ε] = erf(ε/sqrt 2) <= sqrt(2/π) ε.

Variants:

* ``as-printed`` (instance used by the paper, candidate C_0 = 1): supported.
* ``mutant:linear-rate``: the rate ε^{1/N} replaced by ε. False for every C_0: for h = X_1 X_2
  (N = 2, Var = 1) the density of X_1 X_2 is K_0(|x|)/π and K_0(x) >= −ln(x/2) − γ for
  0 < x <= 1, so P[|X_1 X_2| <= ε] >= (2/π) ε (ln(2/ε) + 1 − γ); at ε = 2 exp(−π(C_0 + 1)) this
  exceeds 2 C_0 ε. The check evaluates that lower bound in balls for C_0 in [1e-3, 100].
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import flint
import mpmath
import numpy as np
import sympy as sp

from theorems.papers import CONV
from verify import probability
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.hp_linalg import bits, fmpq
from verify.domain import Batch, Domain, Instance, Integer, Property, Real
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "There is an absolute constant  $C_0$  such that the following holds. Suppose that  $h$  "
    "is a multilinear polynomial of  $K$  variables  $X_1, \\dots, X_K$  and of degree  $N$ . "
    "Suppose that  $X_1, \\dots, X_K$  are i.i.d. Gaussian. Then, for any  $\\epsilon > 0$ :*\n"
    "$$\\mathbb{P}[|h(X_1, \\dots, X_K)| \\leq \\epsilon \\cdot \\sqrt{\\text{Var}[h(X_1, \\dots, "
    "X_K)]}] \\leq C_0 N \\epsilon^{1/N}.$$"
)

TOLERANCE = Tolerance(rtol=1e-9, atol=0.0)
MC_SAMPLES = 1 << 16
C0_CANDIDATE = 1.0
MAX_DEPTH, MAX_WIDTH = 4, 4


def widths(batch) -> tuple[int, ...]:
    N = int(batch["N"])
    return (1, *(int(batch[f"d{j}"]) for j in range(1, N)), 1)


def _dims_ok(dims) -> bool:
    return all(dims[f"d{j}"] == 1 for j in range(dims["N"], MAX_DEPTH))


@lru_cache(maxsize=128)
def _sorted_abs(w: tuple[int, ...]) -> np.ndarray:
    """Sorted |g_{i_0}| / sqrt(Var) = |Z| λ / sqrt(Π) (scalar-output factorisation; the
    input width does not matter for one coordinate, so d_0 = 1)."""
    rng = probability.fixed_rng("CONV-Lem11", *w)
    lam, g = probability.scalar_end_to_end_factors(rng, w, MC_SAMPLES)
    return np.sort(np.abs(g[:, 0]) * lam / np.sqrt(float(np.prod(w[1:-1]))))


def _count(w: tuple[int, ...], eps) -> np.ndarray:
    return np.searchsorted(_sorted_abs(w), np.asarray(eps, dtype=float), side="right")


def instance_prop() -> Property:
    """P[|g_{i_0}| <= eps sqrt(Var)] <= C0 N eps^(1/N) with C0 = 1: excess = lower
    Clopper-Pearson bound - C0 N eps^(1/N)."""

    def margin(batch: Batch):
        w, N = widths(batch), int(batch["N"])
        eps = batch["eps"]
        return probability.excess_at_most(_count(w, eps), MC_SAMPLES,
                                          C0_CANDIDATE * N * eps ** (1 / N))

    def margin_hp(instance: Instance, digits: int):
        w, N = widths(instance), int(instance["N"])
        eps = Fraction(instance["eps"])
        if eps <= 0:
            return None
        count = int(_count(w, np.array([float(eps)]))[0])
        with mpmath.workdps(digits + 10):
            bound = C0_CANDIDATE * N * (mpmath.mpf(eps.numerator) / eps.denominator) \
                ** (mpmath.mpf(1) / N)
            return probability.excess_at_most_hp(count, MC_SAMPLES, bound, digits)

    domain = Domain((Integer("N", 1, MAX_DEPTH),
                     *(Integer(f"d{j}", 1, MAX_WIDTH) for j in range(1, MAX_DEPTH)),
                     Real("eps", 1e-8, 1.0, log=True)), dims_ok=_dims_ok)
    return Property(domain, margin, margin_hp, TOLERANCE, rigorous=False,
                    description="paper's instance g_{i0}: P[|h| <= eps sd] <= N eps^(1/N)")


def _eps_for(C0):
    """ε = 2 exp(-π (C0 + 1)) (floats or balls)."""
    if isinstance(C0, flint.arb):
        return 2 * (-flint.arb.pi() * (C0 + 1)).exp()
    return 2 * np.exp(-np.pi * (np.asarray(C0) + 1))


def linear_rate_prop() -> Property:
    """Mutant "P[|X1 X2| <= eps] <= 2 C0 eps" at eps = eps(C0): excess = (2/π) eps (ln(2/eps)
    + 1 - γ) - 2 C0 eps (a lower bound of the probability minus the mutant's bound)."""

    def margin(batch: Batch):
        C0 = batch["C0"]
        eps = _eps_for(C0)
        lower = 2 / np.pi * eps * (np.log(2 / eps) + 1 - np.euler_gamma)
        return lower - 2 * C0 * eps, 2 * C0 * eps

    def margin_hp(instance: Instance, digits: int):
        C0 = Fraction(instance["C0"])
        if C0 <= 0:
            return None
        with flint.ctx.workprec(bits(digits)):
            c0 = flint.arb(fmpq(C0))
            eps = _eps_for(c0)
            lower = 2 / flint.arb.pi() * eps * ((2 / eps).log() + 1 - flint.arb.const_euler())
            return lower - 2 * c0 * eps, 2 * c0 * eps

    domain = Domain((Real("C0", 1e-3, 100.0, log=True),))
    return Property(domain, margin, margin_hp, TOLERANCE, rigorous=True,
                    description="P[|X1 X2| <= eps] <= 2 C0 eps fails at eps = 2 exp(-pi(C0+1))")


# --------------------------------------------------------------------------- symbolic


def derive_small_cases() -> SymbolicOutcome:
    """Degree 1 exactly; the density of X1 X2 (K_0(|x|)/π, checked at 30 digits); the lower
    bound K_0(x) >= -ln(x/2) - γ on (0, 1] from its series; the ε(C_0) algebra."""
    e, C0 = sp.symbols("epsilon C_0", positive=True)
    lines, ok = [], True

    def record(text: str, good: bool) -> None:
        nonlocal ok
        ok &= bool(good)
        lines.append(f"{text} [{'ok' if good else 'FAILED'}]")

    p1 = sp.erf(e / sp.sqrt(2))
    slack = sp.sqrt(2 / sp.pi) * e - p1
    record("N = 1: P[|Z| <= eps] = erf(eps/sqrt 2), and d/deps[sqrt(2/pi) eps - erf] = "
           "sqrt(2/pi)(1 - exp(-eps^2/2)) >= 0, so C_0 = sqrt(2/pi) suffices for N = 1",
           sp.simplify(sp.diff(slack, e) - sp.sqrt(2 / sp.pi) * (1 - sp.exp(-e**2 / 2))) == 0
           and slack.subs(e, 0) == 0)
    with mpmath.workdps(30):
        dens_ok = True
        for x in (mpmath.mpf("0.01"), mpmath.mpf("0.5"), mpmath.mpf(2)):
            direct = 2 * mpmath.quad(lambda t, x=x: mpmath.npdf(t) * mpmath.npdf(x / t) / t,
                                     [0, 1, mpmath.inf])
            dens_ok &= abs(direct - mpmath.besselk(0, x) / mpmath.pi) < mpmath.mpf(10) ** -20
    record("density of X1 X2 at x in {0.01, 0.5, 2}: 2 int_0^oo phi(t) phi(x/t)/t dt = "
           "K_0(x)/pi (30 digits)", dens_ok)
    k = sp.symbols("k", integer=True, positive=True)
    term = sp.harmonic(k) * (sp.Symbol("y") / 4) ** k / sp.factorial(k) ** 2
    record("K_0(x) = -(ln(x/2) + γ) I_0(x) + sum_{k>=1} H_k (x^2/4)^k/(k!)^2 with every term "
           ">= 0 and I_0 >= 1, so K_0(x) >= -ln(x/2) - γ while ln(x/2) + γ < 0 (x <= 1)",
           bool(term.subs({k: 1, sp.Symbol("y"): 1}) > 0)
           and bool(sp.log(sp.Rational(1, 2)) + sp.EulerGamma < 0))
    eps_c = 2 * sp.exp(-sp.pi * (C0 + 1))
    ratio = sp.simplify((2 / sp.pi) * (sp.log(2 / eps_c) + 1 - sp.EulerGamma) / 2)
    record(f"at eps = 2 exp(-pi(C_0 + 1)): lower bound / (2 eps) = {ratio} > C_0",
           sp.simplify(ratio - (C0 + 1 + (1 - sp.EulerGamma) / sp.pi)) == 0)
    return SymbolicOutcome(bool(ok), "; ".join(lines))


# --------------------------------------------------------------------------- claim


CLAIM = Claim(
    id="CONV-Lem11",
    paper=CONV,
    location="App. D.5, Lemma 11 (Carbery and Wright (2001))",
    statement=STATEMENT,
    variants=(
        Variant("as-printed", "checked only on the paper's instance h = g_{i0} (N <= 4, widths "
                "<= 4, eps in [1e-8, 1]) with candidate C_0 = 1; the general statement is a "
                "cited theorem",
                (symbolic("small-cases", derive_small_cases),
                 trials("paper-instance", instance_prop(), count=256),
                 search("paper-instance-search", instance_prop(), evaluations=2000)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:linear-rate", "rate eps instead of eps^(1/N) (fails for every C_0 at "
                "h = X1 X2)", (trials("every-C0-fails", linear_rate_prop(), count=128),),
                expected=Verdict.REFUTED),
    ),
    notes=(
        "A cited theorem with an unspecified constant: not decidable by finite checks. "
        "'supported' covers only the polynomials the paper applies it to (the entries g_{i0} "
        "of a Gaussian product chain), with candidate C_0 = 1 (Monte Carlo, 65536 samples per "
        "width profile, one-sided Clopper-Pearson at confidence 1 - 1e-9), and the exact "
        "degree-1 case (C_0 = sqrt(2/pi) suffices)."
    ),
)
