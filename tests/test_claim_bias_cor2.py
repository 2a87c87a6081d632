"""Claim-specific tests for BIAS-Cor2."""

from theorems.implicit_bias import cor2


def test_substitution_into_theorem_2() -> None:
    assert cor2.derive_substitution().holds
