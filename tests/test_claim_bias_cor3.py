"""Claim-specific tests for BIAS-Cor3."""

import numpy as np

from theorems.implicit_bias import cor3, thm2
from verify.core import decompositions as dc


def test_dft_facts() -> None:
    assert cor3.derive_dft_facts().holds


def test_dft_matches_engine() -> None:
    F = np.array(cor3.dft(4).evalf(), dtype=complex)
    np.testing.assert_allclose(F, dc.dft_matrix(4), atol=1e-14)


def test_plain_instance_is_admissible() -> None:
    assert thm2.LIMIT_DOMAINS["conv"].admissible(cor3.PLAIN_INSTANCE)[0]
