"""CONV-Lem8 / Lemma 16 (App. D.3, D.5): the worst-case reduction.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from theorems.convergence import lem8 as MODULE


def test_reduction_derivation():
    outcome = MODULE.derive_reduction()
    assert outcome.holds is True and "FAILED" not in outcome.details


def test_worst_radius_is_an_endpoint():
    d, b1, b2 = 25, 30.0, 600.0
    c = 1 / (b2 * d)
    radii = np.linspace(1 / np.sqrt(b2 * d), 1 / np.sqrt(b1 * d), 401)
    p = 0.5 - MODULE.probability.sphere_coordinate_band(
        d, np.sqrt(MODULE.threshold_sq(radii**2, c)))
    assert p.min() >= min(p[0], p[-1]) - 1e-15


def test_printed_bound_certified_and_mutants_fail_by_hand():
    inst = {"d": 20, "b1": Fraction(100), "ratio": Fraction(1000), "eps": Fraction(9, 10)}
    excess, _ = MODULE.prop().margin_hp(inst, 40)
    assert excess < 0
    excess, _ = MODULE.prop(MODULE.Reading(one_minus_eps=False)).margin_hp(inst, 40)
    assert excess > 0
    excess, _ = MODULE.prop(MODULE.Reading(margin_b1=True)).margin_hp(inst, 40)
    assert excess > 0


def test_monte_carlo_measure_matches_closed_form():
    d, b1, ratio, eps = 30, 50.0, 10.0, 0.25
    count = MODULE._mc_count(d, b1, ratio, eps, 1, 2.0)
    c = 1 / (b1 * ratio * d)
    p = 0.5 - MODULE.probability.sphere_coordinate_band(
        d, np.sqrt(MODULE.threshold_sq(1 / (b1 * d), c)))
    assert abs(count / MODULE.MC_SAMPLES - (1 - eps) * p) < 0.02


def test_band_in_balls_matches_float():
    import flint

    for d, u_sq in ((20, Fraction(1, 400)), (57, Fraction(9, 10)), (30, Fraction(2))):
        with flint.ctx.workprec(150):
            ball = MODULE.probability.sphere_coordinate_band_arb(d, flint.arb(
                MODULE.fmpq(u_sq)))
        exact = MODULE.probability.sphere_coordinate_band(d, np.sqrt(float(u_sq)))
        assert abs(float(ball.mid()) - float(exact)) < 1e-13
