"""Probabilistic statements: Monte Carlo estimates with rigorous confidence bounds, common
random numbers, Gaussian moments, and samplers of the paper's Gaussian initialisation.

Confidence bounds
-----------------
A probability ``p`` estimated from ``k`` successes in ``n`` independent Bernoulli(p) trials gets
one-sided Clopper-Pearson bounds at confidence ``1 - alpha`` each (exact binomial tails, never
below the nominal level): ``lower`` is the ``alpha`` quantile of Beta(k, n - k + 1) (0 when
k = 0), ``upper`` the ``1 - alpha`` quantile of Beta(k + 1, n - k) (1 when k = n). The default
``ALPHA = 1e-9`` keeps a false refutation unlikely even across the thousands of estimates a
counterexample search makes (union bound: at most 1e-5 for 10 000 estimates).

A statement "P(bad) <= bound" is violated with confidence ``1 - alpha`` when the lower bound
exceeds ``bound``: its excess is ``lower - bound`` (:func:`excess_at_most`). A statement
"P(good) >= bound" has excess ``bound - upper`` (:func:`excess_at_least`). Negative excess means
the data are consistent with the statement; positive means the violation is statistically
certain at the stated level.

Common random numbers
---------------------
A margin that is a Monte Carlo estimate must be a deterministic function of the instance, so
that a counterexample replays and the search optimises a fixed function.
:func:`fixed_rng` derives a generator from a text key (the statement and its integer
parameters); samples are drawn once per key (cached by the callers) and every continuous
parameter is applied to those same samples.

Gaussian initialisation (CONV, App. B)
--------------------------------------
:func:`gaussian_layers` draws layers ``W_j`` (d_j x d_{j-1}) with i.i.d. N(0, s^2) entries.
For a scalar output (d_N = 1), :func:`scalar_end_to_end_factors` samples the end-to-end
vector ``W_{1:N}`` through the exact factorisation ``W_{1:N} = s^N lambda g`` with
``lambda^2 = prod_{j=1}^{N-1} chi^2_{d_j}`` and ``g ~ N(0, I_{d_0})`` independent: conditioned on
``h = W_N ... W_{j+1}`` (a row), ``h W_j`` is N(0, s^2 ||h||^2 I_{d_{j-1}}) (rows of a Gaussian
matrix are rotation invariant), so the squared norms multiply by independent chi-squares.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import mpmath
import numpy as np
from scipy import stats

from verify.budget import stable_key

ALPHA = 1e-9
"""Default one-sided error level of every confidence bound (confidence 1 - 1e-9)."""


# --------------------------------------------------------------------------- bounds


def clopper_pearson(k, n, alpha: float = ALPHA) -> tuple[np.ndarray, np.ndarray]:
    """One-sided Clopper-Pearson bounds (lower, upper), each at confidence ``1 - alpha``, of a
    binomial proportion with ``k`` successes out of ``n`` (numpy-broadcast)."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore"):
        lower = np.where(k > 0, stats.beta.ppf(alpha, np.maximum(k, 1), n - k + 1), 0.0)
        # 1 - (alpha quantile of Beta(n - k, k + 1)): never rounds 1 - alpha
        upper = np.where(k < n, 1 - stats.beta.ppf(alpha, np.maximum(n - k, 1), k + 1), 1.0)
    return lower, upper


def _beta_quantile(tail: float, a: int, b: int, start: float, digits: int,
                   upper: bool) -> mpmath.mpf:
    """x with I_x(a, b) = tail (or 1 - I_x(a, b) = tail when ``upper``; the regularized
    incomplete beta in python-flint balls, so ``1 - alpha`` is never rounded), by Newton's
    method from the float64 quantile ``start`` (already accurate to ~1e-15, so a few steps
    reach ``digits`` digits)."""
    import flint

    with flint.ctx.workprec(int(digits * 3.33) + 40):
        x = flint.arb(start)
        log_beta = flint.arb(a).lgamma() + flint.arb(b).lgamma() - flint.arb(a + b).lgamma()
        for _ in range(12):
            cdf = x.beta_lower(a, b, regularized=True)
            f = (1 - cdf if upper else cdf) - flint.arb(tail)
            density = ((a - 1) * x.log() + (b - 1) * (1 - x).log() - log_beta).exp()
            step = (-f if upper else f).mid() / density.mid()
            x = flint.arb(x.mid() - step)
            if abs(float(step)) <= abs(float(x.mid())) * 10.0 ** (-(digits + 4) / 2):
                break  # quadratic convergence: the next step is below 10^-(digits + 4)
        return mpmath.mpf(x.mid().str(digits + 5, radius=False))


def clopper_pearson_hp(k: int, n: int, alpha: float = ALPHA, digits: int = 50,
                       side: str = "both") -> tuple[mpmath.mpf | None, mpmath.mpf | None]:
    """:func:`clopper_pearson` for one estimate with ``digits`` significant digits (python-flint
    incomplete beta, Newton from the float64 bound); ``side`` "lower"/"upper" computes only
    that bound (the other is None)."""
    k, n = int(k), int(n)
    lo_f, hi_f = (float(v) for v in clopper_pearson(k, n, alpha))
    lower = upper = None
    with mpmath.workdps(digits + 10):
        if side in ("both", "lower"):
            lower = mpmath.mpf(0) if k == 0 else \
                _beta_quantile(alpha, k, n - k + 1, lo_f, digits, False)
        if side in ("both", "upper"):
            upper = mpmath.mpf(1) if k == n else \
                _beta_quantile(alpha, k + 1, n - k, hi_f, digits, True)
    return lower, upper


@dataclass(frozen=True)
class Estimate:
    """``successes`` out of ``trials`` Bernoulli trials, with one-sided Clopper-Pearson bounds
    at confidence ``1 - alpha``."""

    successes: int
    trials: int
    alpha: float = ALPHA

    @property
    def p_hat(self) -> float:
        return self.successes / self.trials

    @property
    def lower(self) -> float:
        return float(clopper_pearson(self.successes, self.trials, self.alpha)[0])

    @property
    def upper(self) -> float:
        return float(clopper_pearson(self.successes, self.trials, self.alpha)[1])

    def bounds_hp(self, digits: int) -> tuple[mpmath.mpf, mpmath.mpf]:
        return clopper_pearson_hp(self.successes, self.trials, self.alpha, digits)

    def describe(self) -> str:
        return (f"{self.successes}/{self.trials} = {self.p_hat:.5f}, one-sided "
                f"Clopper-Pearson [{self.lower:.5f}, {self.upper:.5f}] at confidence "
                f"1 - {self.alpha:g} each")


def excess_at_most(successes, trials, bound, alpha: float = ALPHA):
    """Float excess and scale of "P <= bound": (lower confidence bound - bound, scale)."""
    lower, _ = clopper_pearson(successes, trials, alpha)
    bound = np.asarray(bound, dtype=float)
    return lower - bound, np.maximum(np.abs(bound), np.asarray(successes) / trials)


def excess_at_least(successes, trials, bound, alpha: float = ALPHA):
    """Float excess and scale of "P >= bound": (bound - upper confidence bound, scale)."""
    _, upper = clopper_pearson(successes, trials, alpha)
    bound = np.asarray(bound, dtype=float)
    return bound - upper, np.maximum(np.abs(bound), np.asarray(successes) / trials)


def hoeffding_bounds(mean, n: int, width: float, alpha: float = ALPHA):
    """One-sided Hoeffding bounds (lower, upper), each at confidence ``1 - alpha``, of the
    expectation of a variable with values in an interval of length ``width``, from the mean
    of ``n`` independent samples: ``mean -/+ width sqrt(ln(1/alpha) / (2n))``."""
    half = width * math.sqrt(math.log(1 / alpha) / (2 * n))
    return mean - half, mean + half


def hoeffding_bounds_hp(values: np.ndarray, width, digits: int, alpha: float = ALPHA):
    """:func:`hoeffding_bounds` with the mean (from the correctly rounded sum of the float64
    ``values``) and the width computed by mpmath at ``digits`` digits (mpmath numbers)."""
    with mpmath.workdps(digits + 10):
        n = len(values)
        mean = mpmath.mpf(math.fsum(np.asarray(values, dtype=float).tolist())) / n
        half = mpmath.mpf(width) * mpmath.sqrt(mpmath.log(1 / mpmath.mpf(alpha)) / (2 * n))
        return mean - half, mean + half


def excess_at_most_hp(successes: int, trials: int, bound, digits: int,
                      alpha: float = ALPHA) -> tuple[mpmath.mpf, mpmath.mpf]:
    """High-precision :func:`excess_at_most` for one estimate (``bound`` an mpmath-compatible
    number)."""
    lower, _ = clopper_pearson_hp(successes, trials, alpha, digits, side="lower")
    with mpmath.workdps(digits + 10):
        bound = mpmath.mpf(bound)
        return lower - bound, max(abs(bound), mpmath.mpf(successes) / trials)


def excess_at_least_hp(successes: int, trials: int, bound, digits: int,
                       alpha: float = ALPHA) -> tuple[mpmath.mpf, mpmath.mpf]:
    """High-precision :func:`excess_at_least` for one estimate."""
    _, upper = clopper_pearson_hp(successes, trials, alpha, digits, side="upper")
    with mpmath.workdps(digits + 10):
        bound = mpmath.mpf(bound)
        return bound - upper, max(abs(bound), mpmath.mpf(successes) / trials)


# --------------------------------------------------------------------------- sampling


def fixed_rng(key: str, *params: int) -> np.random.Generator:
    """A generator determined by a text key and integer parameters (common random numbers)."""
    return np.random.default_rng(np.random.SeedSequence(
        stable_key(key), spawn_key=tuple(int(p) for p in params)))


def uniform_sphere(rng: np.random.Generator, size: int, d: int) -> np.ndarray:
    """``size`` points drawn uniformly from the unit sphere of R^d, shape (size, d)."""
    g = rng.standard_normal((size, d))
    return g / np.linalg.norm(g, axis=1, keepdims=True)


def gaussian_layers(rng: np.random.Generator, widths: Sequence[int], s: float,
                    size: int) -> list[np.ndarray]:
    """The paper's Gaussian initialisation: ``W_j`` of shape (size, d_j, d_{j-1}) with i.i.d.
    N(0, s^2) entries, j = 1..N, for ``widths = (d_0, ..., d_N)``."""
    return [s * rng.standard_normal((size, widths[j + 1], widths[j]))
            for j in range(len(widths) - 1)]


def scalar_end_to_end_factors(rng: np.random.Generator, widths: Sequence[int],
                              size: int) -> tuple[np.ndarray, np.ndarray]:
    """``(lam, g)`` with ``W_{1:N} = s^N lam g`` in distribution for a scalar output
    (``widths[-1] == 1``): ``lam^2 = prod_{j=1}^{N-1} chi^2_{d_j}`` (shape (size,)) and
    ``g ~ N(0, I_{d_0})`` (shape (size, d_0)), independent (see the module docstring)."""
    if widths[-1] != 1:
        raise ValueError("the factorisation needs a scalar output (d_N = 1)")
    lam_sq = np.ones(size)
    for d in widths[1:-1]:
        lam_sq *= rng.chisquare(d, size)
    return np.sqrt(lam_sq), rng.standard_normal((size, widths[0]))


# --------------------------------------------------------------------------- closed forms


def normal_cdf(x):
    """F, the standard normal CDF (numpy-broadcast)."""
    return stats.norm.cdf(x)


def sphere_coordinate_sf(d: int, u):
    """P(<x, e> >= u) for x uniform on the unit sphere of R^d (d >= 2) and a unit vector e:
    ``I_{1-u^2}((d-1)/2, 1/2) / 2`` for 0 <= u <= 1 (<x, e>^2 ~ Beta(1/2, (d-1)/2)),
    0 for u > 1 and ``1 - sf(-u)`` for u < 0. See :func:`sphere_coordinate_band`."""
    u = np.asarray(u, dtype=float)
    tail = 0.5 - sphere_coordinate_band(d, np.abs(u))
    return np.where(u >= 0, tail, 1 - tail)


def sphere_coordinate_band(d: int, u):
    """P(0 <= <x, e> < u) = I_{u^2}(1/2, (d-1)/2) / 2 for u >= 0 (1/2 for u >= 1), computed
    without cancellation for small u (then 1/2 minus it is the cap area)."""
    from scipy.special import betainc

    a = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
    small = a * a <= 0.5
    direct = 0.5 * betainc(0.5, (d - 1) / 2, np.where(small, a * a, 0.0))
    complement = 0.5 - 0.5 * betainc((d - 1) / 2, 0.5, np.where(small, 0.5, (1 - a) * (1 + a)))
    return np.where(small, direct, complement)


def sphere_coordinate_sf_arb(d: int, u):
    """Ball version of :func:`sphere_coordinate_sf` for 0 <= u (``u`` a ``flint.arb``)."""
    import flint

    if u > 1:
        return flint.arb(0)
    z = (1 - u) * (1 + u)
    return z.beta_lower(flint.arb(d - 1) / 2, flint.arb(1) / 2, regularized=True) / 2


def sphere_coordinate_band_arb(d: int, u_sq):
    """Ball version of :func:`sphere_coordinate_band` from ``u_sq = u^2`` (a ``flint.arb``,
    u >= 0): I_{u^2}(1/2, (d-1)/2) / 2, and 1/2 for u >= 1. A ball u^2 that straddles 1 gives
    [1/2 - tail, 1/2] with tail = P(<x, e> >= sqrt(lower end of u^2))."""
    import flint

    half = flint.arb(1) / 2
    if u_sq < 1:
        return u_sq.beta_lower(half, flint.arb(d - 1) / 2, regularized=True) / 2
    low = flint.arb(u_sq.lower())
    if low >= 1:
        return half
    tail = half - low.beta_lower(half, flint.arb(d - 1) / 2, regularized=True) / 2
    return half - tail * flint.arb(0.5, 0.5)


def normal_cdf_arb(x):
    """Ball version of F: ``erfc(-x / sqrt(2)) / 2``."""
    import flint

    return (-x / flint.arb(2).sqrt()).erfc() / 2


def gaussian_moment(power: int) -> int:
    """E[Z^power] for Z ~ N(0, 1): 0 for odd powers, (power - 1)!! for even ones."""
    return 0 if power % 2 else math.prod(range(power - 1, 0, -2))


def gaussian_expectation(expr, variables, s=1):
    """E[expr] (a sympy polynomial) when ``variables`` are independent N(0, s^2): every
    monomial is replaced by the product of its Gaussian moments (exact)."""
    import sympy as sp

    poly = sp.Poly(sp.expand(expr), *variables)
    total = sp.Integer(0)
    for powers, coeff in poly.terms():
        term = coeff
        for p in powers:
            term *= gaussian_moment(p) * s**p
        total += term
    return sp.expand(total)
