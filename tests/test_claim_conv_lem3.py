"""CONV-Lem3 (Mirsky / Weyl singular-value perturbation): ordered singular-value balls.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations


def test_ordered_singular_value_balls_with_multiplicity():
    from fractions import Fraction

    import numpy as np

    from verify.core.hp_spectrum import sorted_singular_value_balls

    A = np.array([[Fraction(2), 0, 0], [0, Fraction(2), 0]], dtype=object)
    balls = sorted_singular_value_balls(A, 30)
    assert len(balls) == 2 and all(b.contains(2) for b in balls)
