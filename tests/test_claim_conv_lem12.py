"""CONV-Lem12 (App. D.5): the witness C1*(C2) and the moments.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from theorems.convergence import lem12 as MODULE


def test_moment_derivation():
    outcome = MODULE.derive_moments()
    assert outcome.holds is True and "FAILED" not in outcome.details


def test_witness_bound_has_slack_at_the_smallest_network():
    import flint

    with flint.ctx.workprec(200):
        C2 = flint.arb(9) / 10
        C1 = MODULE.witness(C2, MODULE.neg_quarter_moment_arb(1, False))
        bound = MODULE.failure_bound_arb(C1, (1, 1))
        assert bound < 1 - C2
        half = MODULE.failure_bound_arb(C1 / 2, (1, 1))
        assert abs(half - (1 - C2)) < flint.arb(10) ** -50


def test_witness_probability_by_sampling():
    inst = {"N": 3, "d0": 2, "d1": 1, "d2": 1, "d3": 1, "C2": np.array([0.5, 0.9])}
    excess, _ = MODULE.mc_prop().margin(inst)
    assert np.all(excess < 0)
    assert np.all(np.diff(MODULE._sorted_q((2, 1, 1, 1))) >= 0)


def test_mutant_fails_for_large_c1():
    excess, _ = MODULE.no_n_power_prop().margin_hp({"C1": Fraction(10**12),
                                                    "C2": Fraction(1, 2)}, 40)
    assert excess > 0
