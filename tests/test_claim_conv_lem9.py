"""CONV-Lem9 (Laurent-Massart chi-square tails, App. D.3): check details, closed forms.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from scipy import stats

from theorems.convergence import lem9
from theorems.convergence.lem9 import CLAIM, PRINTED, Reading, mc_prop, tail_prop
from verify.testing import assert_expected_verdict


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    """The run entries the tests below inspect (each also checked by test_claim_verdicts)."""
    return {name: assert_expected_verdict(CLAIM, name) for name in ("as-printed",)}


def test_printed_tails_are_certified_in_ball_arithmetic(runs):
    checks = {c["name"]: c["verdict"] for c in runs["as-printed"]["checks"]}
    assert checks["chernoff"] == checks["upper-tail"] == checks["lower-tail"] == "certified"


def test_chernoff_derivation():
    outcome = lem9.derive_chernoff()
    assert outcome.holds is True and "FAILED" not in outcome.details


@pytest.mark.parametrize("upper", [True, False])
def test_ball_margin_matches_scipy(upper):
    prop = tail_prop(upper)
    for d, k in [(1, Fraction(1, 3)), (7, Fraction(5, 2)), (40, Fraction(9))]:
        excess, scale = prop.margin_hp({"d": d, "k": k}, 40)
        x = lem9.upper_threshold(d, float(k)) if upper else lem9.lower_threshold(d, float(k))
        p = stats.chi2.sf(x, d) if upper else stats.chi2.cdf(max(x, 0.0), d) * (x > 0)
        assert abs(float(excess.mid()) - (p - np.exp(-float(k)))) < 1e-12
        assert excess < 0 and abs(float(scale.mid()) - np.exp(-float(k))) < 1e-15


def test_lower_threshold_below_zero_gives_probability_zero():
    excess, scale = tail_prop(False).margin_hp({"d": 4, "k": Fraction(1)}, 40)
    assert float(excess.mid()) == -float(scale.mid())


def test_known_mutant_counterexample():
    excess, _ = tail_prop(True, Reading(k_coeff=1)).margin_hp({"d": 1, "k": Fraction(30)}, 40)
    assert excess > 0
    excess, _ = tail_prop(False, Reading(sqrt_coeff=1)).margin_hp({"d": 20, "k": Fraction(5)}, 40)
    assert excess > 0
    assert PRINTED == Reading()


def test_monte_carlo_agrees_with_closed_form():
    batch = {"d": 5, "k": np.array([0.5, 2.0])}
    excess, _ = mc_prop(True).margin(batch)
    assert np.all(excess < 0)
