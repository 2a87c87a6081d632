"""CONV-Claim4 (App. C / D.6): exact construction.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import pytest

from theorems.convergence import claim4
from theorems.convergence.claim4 import PRINTED, Reading


def test_symbolic_reduction():
    outcome = claim4.derive_reduction()
    assert outcome.holds and "FAILED" not in outcome.details


@pytest.mark.parametrize("eta", [Fraction(1, 10**6), Fraction(1), Fraction(10**6)])
@pytest.mark.parametrize("gap", [Fraction(1, 10**9), Fraction(1, 4), Fraction(999, 1000)])
def test_exact_construction_holds(eta, gap):
    excess = claim4.claim_excess(4, 2, eta, 1 - gap, PRINTED)
    assert excess <= 0


def test_amplitude_is_a_power_of_two_above_every_term():
    A = claim4.amplitude(2, Fraction(1), Fraction(3, 4))
    assert A == 2 ** (A.numerator.bit_length() - 1) and A >= 2000
    assert claim4._pow2_at_least(Fraction(1025), 1) == 11
    assert claim4._pow2_at_least(Fraction(1, 3), 2) == 0


def test_balanced_init_converges():
    assert claim4.claim_excess(2, 1, Fraction(1, 4), Fraction(9, 10), Reading(balanced=True)) > 0
