"""INIT-Alg2 (seed 004, §3): derivation helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from theorems.initialization import alg2

CLAIM = alg2.CLAIM
F = Fraction


def _instance() -> dict:
    A = np.array([[F(1), F(2), F(0)], [F(0), F(1), F(-1)]], dtype=object)
    return {"n": 2, "d": 3, "deficient": 0, "A": A, "b": np.array([F(1), F(-2)], dtype=object),
            "x0": np.array([F(1), F(0), F(2)], dtype=object),
            "v0": np.array([F(1), F(1, 2)], dtype=object), "step": F(1, 2), "alpha": F(1, 50)}


def test_rational_unit_vector():
    u = alg2.unit_from_exact([F(1, 2), F(3), F(7)])
    assert sum(u[i, 0] ** 2 for i in range(3)) == 1
    assert np.allclose(alg2.unit_from(np.array([[0.5, 3.0, 7.0]]))[0],
                       [float(u[i, 0].p) / float(u[i, 0].q) for i in range(3)])


def test_boxed_updates_follow_from_the_loss():
    assert alg2.boxed_identities(1, 2) == {"printed": True, "unscaled-v": False,
                                           "one-gram": False}


def test_exact_iterates():
    inst = _instance()
    excess, _ = alg2.iterates_hp("printed")(inst, 40)
    assert excess == 0 and excess.rad() == 0
    for form in ("unscaled-v", "one-gram"):
        wrong, _ = alg2.iterates_hp(form)(inst, 40)
        assert wrong > 0


def test_rank_deficient_a_is_exact_too():
    inst = _instance()
    inst["A"] = np.array([[F(1), F(2), F(0)], [F(2), F(4), F(0)]], dtype=object)
    excess, _ = alg2.iterates_hp("printed")(inst, 40)
    assert excess == 0
