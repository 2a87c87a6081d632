"""CONV-Claim3: probability >= 0.49 of a deficiency margin under Gaussian init, scalar output.

Arora, Cohen, Golowich and Hu, "A Convergence Analysis of Gradient Descent for Deep Linear
Neural Networks", Appendix B (Claim 3 and footnotes 8, 9), proof in Appendix D.5.
For Φ ∈ R^{1×d_0}: ‖Φ‖_F = ‖Φ‖_2 = σ_min(Φ); W has deficiency margin c iff ‖W − Φ‖ <= ‖Φ‖ − c.

In plain text (a paraphrase; :data:`STATEMENT` quotes it as printed):

    Claim 3. There is a constant C_1 > 0 such that the following holds. Consider the case where
    d_N = 1, d_0 ≥ 20, and suppose all entries in the matrices W_j ∈ R^{d_j×d_{j−1}},
    j = 1, ..., N, are drawn independently at random from a Gaussian distribution with mean
    zero, whose standard deviation s > 0 is small with respect to the target, i.e.
    s ≤ ‖Φ‖_F^{1/N} / (10^5 d_0^3 d_1···d_{N−1} C_1)^{1/(2N)}. Then, for any c with
    0 < c ≤ ‖Φ‖_F / (10^5 d_0^3 C_1 (C_1 N)^{2N}), the probability of the end-to-end matrix
    W_{1:N} having deficiency margin c with respect to Φ is at least 0.49 if:
        s ≥ c^{1/(2N)} · (C_1 N ‖Φ‖_F^{1/(2N)} / (d_1···d_{N−1})^{1/(2N)}).

The existential constant: the upper bounds on s and c decrease and the lower bound on s
increases with C_1 (derived symbolically), so the admissible (s, c) shrink as C_1 grows and
holding at one C_1 implies holding for every larger one. The checks take C_1 in [1, 1e3]
(C_1 = 1 is the most demanding of these); holding there would establish the claim (here:
Monte Carlo support).

Parametrisation (Π = d_1···d_{N−1}, σ^2 = s^{2N} Π / ‖Φ‖^2): s^{2N} = x s_max^{2N} with
x in (0, 1] and c = y min{c_max, s^{2N} Π / ((C_1 N)^{2N} ‖Φ‖)} with y in (0, 1] — the
second term is the lower bound on s solved for c. On s <= s_max it never exceeds c_max
(footnote 9: they are equal at s = s_max), so the c_max condition is implied.

Sampling: W_{1:N} = s^N λ g in distribution (λ^2 = Π_j χ^2_{d_j}, g ~ N(0, I_{d_0}),
:func:`verify.probability.scalar_end_to_end_factors`), Φ = ‖Φ‖ e_1 (W_{1:N} is
rotation-invariant, CONV-Lem13). Two estimates per instance, 131072 samples per width profile:
the margin event counted directly (one-sided Clopper-Pearson at confidence 1 − 1e-9), and the
conditional probability given ‖W‖ (exact: P(t >= u(‖W‖)), t a sphere coordinate) averaged
with one-sided Hoeffding bounds. At the extreme admissible (s, c) (C_1 = 1, x = y = 1; the
probability decreases in x and y) the Hoeffding lower bound is about 0.4954 > 0.49 (tested)
and the mean about 0.4999, so the evidence is positive there, not only consistent.

Verdict: true (supported). The proof's chain (Lemma 12 with C_2 = 0.999, Lemma 16 with
a >= 1e5) gives 0.999 (3 − 4F(2/sqrt(1e5)))/2 ≈ 0.4945 >= 0.49 (checked in balls); the
actual probability is ≈ 0.4999.

Variants:

* ``as-printed``.
* ``mutant:prob-051``: probability at least 0.51 (impossible: the event is {t >= u} with
  u > 0, probability < 1/2).
* ``mutant:no-s-upper-bound``: the upper bound on s dropped (x up to 1e8; large s puts W far
  from the small ball around Φ).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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
from verify.domain import Batch, Domain, Instance, Integer, Property, Real
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "There is a constant  $C_1 > 0$  such that the following holds. Consider the case where  "
    "$d_N = 1$ ,  $d_0 \\geq 20$ , and suppose all entries in the matrices  $W_j \\in "
    "\\mathbb{R}^{d_j \\times d_{j-1}}$ ,  $j = 1, \\dots, N$ , are drawn independently at "
    "random from a Gaussian distribution with mean zero, whose standard deviation  $s > 0$  is "
    "small with respect to the target, i.e.  $s \\leq \\|\\Phi\\|_F^{1/N} / (10^5 d_0^3 d_1 "
    "\\cdots d_{N-1} C_1)^{1/(2N)}$ . Then, for any  $c$  with  $0 < c \\leq \\|\\Phi\\|_F / "
    "(10^5 d_0^3 C_1 (C_1 N)^{2N})$ , the probability of the end-to-end matrix  $W_{1:N}$  "
    "having deficiency margin  $c$  with respect to  $\\Phi$  is at least 0.49 if: [...] "
    "$$s \\geq c^{1/(2N)} \\cdot (C_1 N \\|\\Phi\\|_F^{1/(2N)} / (d_1 \\cdots "
    "d_{N-1})^{1/(2N)}).$$"
)

TOLERANCE = Tolerance(rtol=1e-9, atol=0.0)
MC_SAMPLES = 1 << 17
MAX_DEPTH, MAX_WIDTH = 4, 4


@dataclass(frozen=True)
class Reading:
    """``bound``: the printed probability 0.49 (or 0.51); ``s_upper``: keep the upper bound
    on s (printed) or drop it (x up to 1e8)."""

    bound: Fraction = Fraction(49, 100)
    s_upper: bool = True


PRINTED = Reading()


def widths(dims: Mapping[str, int]) -> tuple[int, ...]:
    """(d_0, ..., d_N) with d_N = 1."""
    N = int(dims["N"])
    return (int(dims["d0"]), *(int(dims[f"d{j}"]) for j in range(1, N)), 1)


def _dims_ok(dims: Mapping[str, int]) -> bool:
    return all(dims[f"d{j}"] == 1 for j in range(dims["N"], MAX_DEPTH))


def scaled_parameters(d0: int, N: int, C1, x, y):
    """(σ^2, c/‖Φ‖) from the parametrisation (‖Φ‖ cancels): σ^2 = x / (1e5 d0^3 C1) and
    c/‖Φ‖ = y min{1/(1e5 d0^3 C1 (C1 N)^{2N}), σ^2 / (C1 N)^{2N}} (exact for Fractions)."""
    sigma_sq = x / (100000 * d0**3 * C1)
    cn = (C1 * N) ** (2 * N)
    c_max = 1 / (100000 * d0**3 * C1 * cn)
    lower_s = sigma_sq / cn
    return sigma_sq, y * (np.minimum(c_max, lower_s) if isinstance(lower_s, np.ndarray)
                          else min(c_max, lower_s))


def _domain(reading: Reading) -> Domain:
    return Domain((Integer("N", 1, MAX_DEPTH), Integer("d0", 20, 40),
                   *(Integer(f"d{j}", 1, MAX_WIDTH) for j in range(1, MAX_DEPTH)),
                   Real("C1", 1.0, 1e3, log=True),
                   Real("x", 1e-6, 1.0 if reading.s_upper else 1e8, log=True),
                   Real("y", 1e-6, 1.0, log=True)), dims_ok=_dims_ok)


@lru_cache(maxsize=64)
def _factors(w: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(q, z): q = ||g||^2 λ^2 / Π and z = g_1 λ / sqrt(Π), so that W_{1:N}/‖Φ‖ has squared
    norm σ^2 q and first coordinate σ z (common random numbers)."""
    rng = probability.fixed_rng("CONV-Claim3", *w)
    # g enters only through g_1 and ||g||^2 = g_1^2 + chi^2_{d_0 - 1}: draw (lam, g_1) with
    # the engine's factorisation at input width 1, then the independent chi-square
    lam, g1 = probability.scalar_end_to_end_factors(rng, (1, *w[1:]), MC_SAMPLES)
    g_sq = g1[:, 0] ** 2 + rng.chisquare(w[0] - 1, MC_SAMPLES)
    scale = lam / np.sqrt(float(np.prod(w[1:-1])))
    return g_sq * scale**2, g1[:, 0] * scale


def _instance_values(inst: Mapping, reading: Reading) -> tuple[tuple[int, ...], float, float]:
    w = widths(inst)
    sigma_sq, c = scaled_parameters(w[0], int(inst["N"]), float(inst["C1"]), float(inst["x"]),
                                    float(inst["y"]))
    return w, sigma_sq, c


def _count(w: tuple[int, ...], sigma_sq: float, c: float) -> int:
    """#samples with ||W/‖Φ‖ - e_1||^2 <= (1 - c)^2, i.e. σ^2 q - 2σ z + 2c - c^2 <= 0."""
    q, z = _factors(w)
    sigma = np.sqrt(sigma_sq)
    return int(np.count_nonzero(sigma_sq * q - 2 * sigma * z + 2 * c - c * c <= 0))


def _conditional(w: tuple[int, ...], sigma_sq: float, c: float) -> np.ndarray:
    """P(margin | ||W||) = P(t >= u(ρ)) = 1/2 - band(u), ρ = σ sqrt(q), per sample."""
    q, _ = _factors(w)
    rho = np.sqrt(sigma_sq * q)
    u = (rho * rho + 2 * c - c * c) / (2 * rho)
    return 0.5 - probability.sphere_coordinate_band(w[0], u)


def count_prop(reading: Reading = PRINTED) -> Property:
    """The event counted: excess = bound - (upper Clopper-Pearson bound, 1 - 1e-9)."""
    b = float(reading.bound)

    def margin(batch: Batch):
        counts = []
        for i in range(len(batch["x"])):
            inst = {k: (v[i] if isinstance(v, np.ndarray) else v) for k, v in batch.items()}
            counts.append(_count(*_instance_values(inst, reading)))
        return probability.excess_at_least(np.array(counts), MC_SAMPLES, np.full(len(counts), b))

    def margin_hp(instance: Instance, digits: int):
        if not (Fraction(instance["C1"]) > 0 and 0 < Fraction(instance["y"]) <= 1
                and 0 < Fraction(instance["x"]) and instance["d0"] >= 20):
            return None
        count = _count(*_instance_values(instance, reading))
        with mpmath.workdps(digits + 10):
            bound = mpmath.mpf(reading.bound.numerator) / reading.bound.denominator
            return probability.excess_at_least_hp(count, MC_SAMPLES, bound, digits)

    return Property(_domain(reading), margin, margin_hp, TOLERANCE, rigorous=False,
                    description=f"Monte Carlo P(deficiency margin c) >= {reading.bound}")


def conditional_prop(reading: Reading = PRINTED) -> Property:
    """Conditional-probability estimate: excess = bound - (upper Hoeffding bound of the mean
    of P(margin | ||W||) in [0, 1/2], confidence 1 - 1e-9)."""
    b = float(reading.bound)

    def margin(batch: Batch):
        upper = []
        for i in range(len(batch["x"])):
            inst = {k: (v[i] if isinstance(v, np.ndarray) else v) for k, v in batch.items()}
            mean = float(np.mean(_conditional(*_instance_values(inst, reading))))
            upper.append(probability.hoeffding_bounds(mean, MC_SAMPLES, 0.5)[1])
        upper = np.array(upper)
        return b - upper, np.maximum(b, upper)

    def margin_hp(instance: Instance, digits: int):
        if not (Fraction(instance["C1"]) > 0 and 0 < Fraction(instance["y"]) <= 1
                and 0 < Fraction(instance["x"]) and instance["d0"] >= 20):
            return None
        values = _conditional(*_instance_values(instance, reading))
        _, upper = probability.hoeffding_bounds_hp(values, 0.5, digits)
        with mpmath.workdps(digits + 10):
            bound = mpmath.mpf(reading.bound.numerator) / reading.bound.denominator
            return bound - upper, max(bound, upper)

    return Property(_domain(reading), margin, margin_hp, TOLERANCE, rigorous=False,
                    description=f"E[P(margin | ||W||)] >= {reading.bound} (Hoeffding)")


def conditional_bounds(inst: Mapping, reading: Reading = PRINTED) -> tuple[float, float]:
    """Hoeffding (lower, upper) bounds of P(margin) at one instance (for reports and tests)."""
    mean = float(np.mean(_conditional(*_instance_values(inst, reading))))
    return probability.hoeffding_bounds(mean, MC_SAMPLES, 0.5)


# --------------------------------------------------------------------------- symbolic


def derive_constants() -> SymbolicOutcome:
    """Monotonicity in C_1, footnote 9, the implied c_max condition, the proof's (49) and
    its probability 0.999 (3 - 4F(2/sqrt(1e5)))/2 >= 0.49 (balls), and P < 1/2."""
    C1, N, d0, P, phi, c, s, a = sp.symbols("C_1 N d_0 Pi phi c s a", positive=True)
    lines, ok = [], True

    def record(text: str, good: bool) -> None:
        nonlocal ok
        ok &= bool(good)
        lines.append(f"{text} [{'ok' if good else 'FAILED'}]")

    s_max = phi ** (1 / N) / (10**5 * d0**3 * P * C1) ** (1 / (2 * N))
    c_max = phi / (10**5 * d0**3 * C1 * (C1 * N) ** (2 * N))
    s_low = c ** (1 / (2 * N)) * C1 * N * phi ** (1 / (2 * N)) / P ** (1 / (2 * N))
    signs = [sp.simplify(sp.diff(sp.log(e), C1) * C1) for e in (s_max, c_max, s_low)]
    record(f"C_1 d/dC_1 log of (s_max, c_max, s_low) = {signs}: the admissible set shrinks "
           "as C_1 grows",
           sp.simplify(signs[0] + 1 / (2 * N)) == 0 and sp.simplify(signs[1] + 1 + 2 * N) == 0
           and sp.simplify(signs[2] - 1) == 0)
    record("footnote 9: s_low(c_max) = s_max exactly",
           sp.simplify(sp.expand_power_base(sp.log(s_low.subs(c, c_max)) - sp.log(s_max),
                                            force=True)) == 0
           or sp.simplify((s_low.subs(c, c_max) / s_max) ** (2 * N)) == 1)
    c_from_s = s ** (2 * N) * P / ((C1 * N) ** (2 * N) * phi)
    record("s >= s_low <=> c <= s^{2N} Pi / ((C_1 N)^{2N} phi), which at s = s_max is c_max",
           sp.simplify((s_low.subs(c, c_from_s)) ** (2 * N) - s ** (2 * N)) == 0
           and sp.simplify(c_from_s.subs(s, s_max) - c_max) == 0)
    s48 = (phi**2 / (a * d0**3 * P * C1)) ** (1 / (2 * N))
    record("(49): phi/(a d0^3 C_1^{2N+1} N^{2N}) = s^{2N} Pi/(phi (C_1 N)^{2N}) for s of (48)",
           sp.simplify(phi / (a * d0**3 * C1 ** (2 * N + 1) * N ** (2 * N))
                       - s48 ** (2 * N) * P / (phi * (C1 * N) ** (2 * N))) == 0)
    with flint.ctx.workprec(200):
        half = flint.arb(1) / 2
        chain = flint.arb(999) / 1000 * (half * 3 - 2 * probability.normal_cdf_arb(
            2 / flint.arb(10**5).sqrt()))
        good = chain > flint.arb(49) / 100
    record(f"proof: 0.999 (3 - 4F(2/sqrt(1e5)))/2 = {chain.mid().str(8, radius=False)} > 0.49 "
           "(balls)", good)
    u = (a**2 + 2 * c - c**2) / (2 * a)  # threshold at radius a, 0 < c < 1
    record("the event given ||W|| = r is {t >= u(r)}, u(r) = (r^2 + 2c - c^2)/(2r) > 0 for "
           "0 < c < 2, so P < 1/2 for every C_1 (the 0.51 mutant fails everywhere)",
           sp.factor(sp.numer(sp.together(u))).subs(c, sp.Rational(1, 2)).is_positive is True)
    return SymbolicOutcome(bool(ok), "; ".join(lines))


# --------------------------------------------------------------------------- claim


def _checks(reading: Reading) -> tuple:
    p = count_prop(reading)
    return trials("monte-carlo", p, count=64), search("monte-carlo-search", p, evaluations=1000)


CLAIM = Claim(
    id="CONV-Claim3",
    paper=CONV,
    location="App. B, Claim 3 (footnotes 8, 9); proof in App. D.5",
    statement=STATEMENT,
    variants=(
        Variant("as-printed", "C_1 in [1, 1e3], N <= 4, d_0 in [20, 40], hidden widths <= 4, "
                "all admissible (s, c) (Monte Carlo, 131072 samples per profile)",
                (symbolic("constants", derive_constants), *_checks(PRINTED),
                 trials("conditional", conditional_prop(), count=64)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:prob-051", "probability at least 0.51",
                _checks(Reading(bound=Fraction(51, 100))), expected=Verdict.REFUTED),
        Variant("mutant:no-s-upper-bound", "the upper bound on s dropped",
                _checks(Reading(s_upper=False)), expected=Verdict.REFUTED),
    ),
    notes=(
        "Existential C_1: the admissible (s, c) shrink as C_1 grows, so the checks over C_1 in "
        "[1, 1e3] support it. W_{1:N} is sampled through W = s^N lambda g (scalar output) "
        "with Phi along e_1 (rotation invariance, CONV-Lem13); the event is counted "
        "(Clopper-Pearson) and its conditional probability given ||W|| averaged (Hoeffding), "
        "131072 samples per width profile, confidence 1 - 1e-9 each. Actual probability "
        "~0.4999 at the extreme admissible (s, c); the proof's chain gives 0.4945."
    ),
)
