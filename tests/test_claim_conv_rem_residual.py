"""CONV-Rem-Residual (identity init, ‖Φ − I‖_F < 0.5): derivations.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from theorems.convergence.rem_residual import (
    PRINTED,
    Reading,
    derive_printed,
    margin_hp,
)


def test_derivation_and_sharp_boundary():
    assert derive_printed().holds
    # Φ = diag(1/2, 1): distance exactly 1/2 is outside the (strict) hypothesis
    inst = {"d": 2, "N": 3, "Phi": np.array([[Fraction(1, 2), 0], [0, 1]], dtype=object)}
    assert margin_hp(PRINTED)(inst, 30) is None
    # just inside: margin 1 - 2r > 0 exactly
    r = Fraction(63, 128)
    inst["Phi"] = np.array([[1 - r, 0], [0, Fraction(1)]], dtype=object)
    excess, _ = margin_hp(PRINTED)(inst, 30)
    assert excess < 0
    # the spectral reading admits Φ = 0.55 I_2, where the margin fails
    inst["Phi"] = np.array([[Fraction(11, 20), 0], [0, Fraction(11, 20)]], dtype=object)
    excess, _ = margin_hp(Reading(norm="spectral"))(inst, 30)
    assert excess > 0
