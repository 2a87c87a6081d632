"""BIAS-Cor1: derivations, the exact l2 max-margin certificate, the mutant bank."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from theorems.implicit_bias import cor1, thm1
from verify.core import max_margin as mm


def test_derivations_hold() -> None:
    assert cor1.derive_rank_one_gradient().holds
    assert cor1.derive_certificate().holds


def test_exact_l2_certificate() -> None:
    X, y = [[1, 0], [0, 1]], [1, 1]
    z, ok = cor1.exact_l2(X, y, mm.l2_max_margin(np.eye(2), np.ones(2)))
    assert ok and z == [Fraction(1), Fraction(1)]
    X, y = [[2, 0], [3, 1]], [1, 1]
    z, ok = cor1.exact_l2(X, y, mm.l2_max_margin(np.array(X, float), np.ones(2)))
    assert ok and z == [Fraction(1, 2), Fraction(0)]


def test_bank_instances_are_separable_and_reproducible() -> None:
    for run in range(cor1.BANK_SIZE):
        a = cor1.bank_instance(run, 3, 3)
        b = cor1.bank_instance(run, 3, 3)
        np.testing.assert_array_equal(a["V"], b["V"])
        assert thm1.separable_hypothesis(a)[0]


def test_two_zero_layers_are_exactly_stationary() -> None:
    inst = {"L": 3, "n": 1, "d": 2, "w2": 2, "w3": 1, "K": 4, "X": np.array([[1.0, 2.0]]),
            "y": np.array([1.0]), "V": np.zeros((3, 4))}
    inst["V"][2, :1] = 1.0
    assert cor1._stationary_margin_hp(inst, 30) == (1, 1)
