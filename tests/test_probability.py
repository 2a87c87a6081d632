"""verify.probability: confidence bounds, common random numbers, samplers, closed forms."""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp
from scipy import stats

from verify import probability as pr
from verify.core.networks import end_to_end


def test_clopper_pearson_edges_and_symmetry():
    low, high = pr.clopper_pearson(np.array([0, 10, 100]), 100, 1e-6)
    assert low[0] == 0 and high[2] == 1
    assert 0 < low[1] < 0.1 < high[1] < 1
    l5, h5 = pr.clopper_pearson(30, 100, 1e-6)
    l7, h7 = pr.clopper_pearson(70, 100, 1e-6)
    assert abs(l5 - (1 - h7)) < 1e-12 and abs(h5 - (1 - l7)) < 1e-12


def test_clopper_pearson_is_the_binomial_tail_quantile():
    k, n, alpha = 37, 200, 1e-4
    low, high = pr.clopper_pearson(k, n, alpha)
    assert abs(stats.binom.sf(k - 1, n, low) - alpha) < 1e-9
    assert abs(stats.binom.cdf(k, n, high) - alpha) < 1e-9


def test_high_precision_bounds_agree_and_are_consistent():
    low, high = pr.clopper_pearson_hp(500, 1000, 1e-9, 40)
    with mpmath.workdps(50):
        assert abs(low - (1 - high)) < mpmath.mpf(10) ** -35
    lf, hf = pr.clopper_pearson(500, 1000)
    assert abs(float(low) - lf) < 1e-12 and abs(float(high) - hf) < 1e-12
    assert pr.clopper_pearson_hp(0, 10, side="lower") == (0, None)
    assert pr.clopper_pearson_hp(10, 10, side="upper") == (None, 1)


def test_excess_signs():
    assert pr.excess_at_most(900, 1000, 0.5)[0] > 0
    assert pr.excess_at_most(400, 1000, 0.5)[0] < 0
    assert pr.excess_at_least(400, 1000, 0.5)[0] > 0
    assert pr.excess_at_least(600, 1000, 0.5)[0] < 0
    excess, _ = pr.excess_at_least_hp(400, 1000, mpmath.mpf(1) / 2, 30)
    assert excess > 0


def test_estimate_describes_itself():
    est = pr.Estimate(30, 100)
    assert est.lower < est.p_hat < est.upper and "Clopper-Pearson" in est.describe()


def test_fixed_rng_is_reproducible():
    a = pr.fixed_rng("x", 3).standard_normal(4)
    assert np.array_equal(a, pr.fixed_rng("x", 3).standard_normal(4))
    assert not np.array_equal(a, pr.fixed_rng("x", 4).standard_normal(4))


def test_scalar_end_to_end_factorisation_matches_direct_products():
    widths = (6, 3, 2, 1)
    rng = np.random.default_rng(0)
    W = end_to_end(pr.gaussian_layers(rng, widths, 1.0, 40_000))[:, 0, :]
    lam, g = pr.scalar_end_to_end_factors(rng, widths, 40_000)
    direct = np.sum(W**2, axis=1)
    factored = lam**2 * np.sum(g**2, axis=1)
    assert stats.ks_2samp(direct, factored).pvalue > 1e-3
    assert stats.ks_2samp(W[:, 0] / np.sqrt(direct), g[:, 0] / np.linalg.norm(g, axis=1)
                          ).pvalue > 1e-3


def test_sphere_coordinate_tail_and_band():
    rng = np.random.default_rng(1)
    t = pr.uniform_sphere(rng, 100_000, 12)[:, 0]
    for u in (-0.3, 0.0, 0.2, 0.6):
        assert abs(np.mean(t >= u) - float(pr.sphere_coordinate_sf(12, u))) < 6e-3
    assert pr.sphere_coordinate_band(12, 1.5) == 0.5
    assert abs(pr.sphere_coordinate_band(12, 1e-9) - 0) < 1e-8


def test_gaussian_expectation():
    x, y, s = sp.symbols("x y s", positive=True)
    assert pr.gaussian_expectation(x**4 * y**2 + x * y, (x, y), s) == 3 * s**6
    assert [pr.gaussian_moment(p) for p in range(7)] == [1, 0, 1, 0, 3, 0, 15]
