"""CONV-Lem11 (Carbery-Wright, App. D.5): the paper's instance.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from theorems.convergence import lem11 as MODULE


def test_small_cases_derivation():
    outcome = MODULE.derive_small_cases()
    assert outcome.holds is True and "FAILED" not in outcome.details


def test_normalised_instance_has_unit_variance():
    values = MODULE._sorted_abs((1, 3, 2, 1))
    assert abs(np.mean(values**2) - 1) < 0.05


def test_degree_one_ratio_matches_erf():
    from scipy.special import erf

    eps = np.array([1e-3, 0.1, 0.9])
    p = MODULE._count((1, 1), eps) / MODULE.MC_SAMPLES
    assert np.all(np.abs(p - erf(eps / np.sqrt(2))) < 0.01)


def test_linear_rate_mutant_by_hand():
    excess, _ = MODULE.linear_rate_prop().margin_hp({"C0": Fraction(50)}, 40)
    assert excess > 0
