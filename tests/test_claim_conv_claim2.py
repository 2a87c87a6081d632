"""CONV-Claim2 (App. B, D.4): the union-bound route.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from theorems.convergence import claim2 as MODULE


def test_union_bound_derivation():
    outcome = MODULE.derive_union_bound()
    assert outcome.holds is True and "FAILED" not in outcome.details


def test_moment_route_on_a_wide_profile():
    dims = {"N": 4, "d0": 4, "d1": 4, "d2": 4, "d3": 4, "d4": 4}
    excess, scale = MODULE.moment_prop().margin_hp(dims, 30)
    assert excess < 0 and scale == 10 * 4 * 64


def test_single_layer_is_always_balanced():
    w = (3, 2)
    assert np.all(MODULE._sorted_imbalance(w) == 0)


def test_mutant_counterexample_by_hand():
    inst = {"N": 2, "d0": 1, "d1": 1, "d2": 1, "d3": 1, "d4": 1,
            "kappa": Fraction(2), "s": Fraction(20)}
    excess, _ = MODULE.prob_prop(MODULE.Reading(s_power=2)).margin_hp(inst, 40)
    assert excess > 0
    excess, _ = MODULE.prob_prop().margin_hp(inst, 40)
    assert excess < 0
