"""Claim-specific tests for BIAS-Cor2."""

import numpy as np

from theorems.implicit_bias import cor2, thm2


def test_substitution_into_theorem_2() -> None:
    assert cor2.derive_substitution().holds


def test_l1_certificate_of_the_depth2_mutant_instance() -> None:
    """x = [1 3], y = 1: z* = [0 1/3] (one active constraint, mu = 1/3), a = |1 * 1/3| = 1/3."""
    z, a = thm2.l1_certificate(np.array([[1.0, 3.0]]), np.array([1.0]))
    np.testing.assert_allclose(z, [0.0, 1 / 3], atol=1e-12)
    np.testing.assert_allclose(a, 1 / 3, rtol=1e-12)
    assert thm2.l1_certificate(np.array([[1.0, 1.0]]), np.array([1.0])) is None
