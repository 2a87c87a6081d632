"""CONV-Lem13 (App. D.5): the covariance step and the direction law.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from theorems.convergence import lem13 as MODULE


def test_rotation_step_derivation():
    outcome = MODULE.derive_rotation_step()
    assert outcome.holds is True and "FAILED" not in outcome.details


def test_cayley_rotation_is_orthogonal():
    import sympy as sp

    O = MODULE._cayley(sp.Matrix([[0, 1], [-1, 0]]))
    assert O.T * O == sp.eye(2)


def test_directions_are_unit_and_margin_matches_hand_computation():
    w = (4, 2, 1)
    X = MODULE._directions(w, 0.0)
    assert np.allclose(np.linalg.norm(X, axis=1), 1)
    inst = {"N": 2, "d0": 4, "d1": 2, "d2": 1, "v": np.array([Fraction(1), Fraction(0),
            Fraction(0), Fraction(0)], dtype=object), "tau": Fraction(1, 2)}
    excess, _ = MODULE.prop().margin_hp(inst, 40)
    assert excess < 0
    mutant = {**inst, "v": np.array([Fraction(1)] * 4, dtype=object)}
    excess, _ = MODULE.prop(MODULE.Reading(mean=1.0)).margin_hp(mutant, 40)
    assert excess > 0
