"""BIAS-Thm5: derivation helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

import numpy as np

from theorems.implicit_bias import thm5
from verify.claims import registry

CLAIM = registry().get("BIAS-Thm5")


def test_derivations() -> None:
    for derive in (thm5.derive_gradient, thm5.derive_kkt_chain, thm5.derive_solution_form):
        assert derive().holds, derive.__name__
    assert thm5.derive_wrong_gradient().holds is False


def test_domain_repair_gives_orthonormal_u() -> None:
    rng = np.random.default_rng(0)
    batch = thm5._draw(rng, 3, 1, 2, 3, 4, 2, (0.5, 2.0))
    for name in thm5.U_NAMES:
        U = batch[name]
        assert np.allclose(np.swapaxes(U, -1, -2) @ U, np.eye(3))
    assert thm5._hypothesis(batch).all()
