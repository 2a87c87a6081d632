"""CONV-Eq14: the symbolic gap and the float gradients.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations


def test_symbolic_gap_vanishes_and_detects_errors():
    from theorems.convergence.eq14 import _symbolic_gap

    assert _symbolic_gap((2, 1, 2)) == 0 and _symbolic_gap((1, 2, 2, 1)) == 0


def test_eq14_gradients_match_core_in_float():
    import numpy as np

    from theorems.convergence.eq14 import eq14_gradients
    from verify.core.networks import WhitenedLoss, layer_gradients

    rng = np.random.default_rng(0)
    Ws = [rng.normal(size=(3, 2, 3)), rng.normal(size=(3, 1, 2)), rng.normal(size=(3, 2, 1))]
    Phi = rng.normal(size=(3, 2, 3))
    for a, b in zip(eq14_gradients(Ws, Phi), layer_gradients(Ws, WhitenedLoss(Phi)), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-12)
    sq = [rng.normal(size=(1, 2, 2)) for _ in range(3)]
    asc = eq14_gradients(sq, rng.normal(size=(1, 2, 2)), ascending=True)
    assert not np.allclose(asc[0], eq14_gradients(sq, sq[0] * 0, ascending=False)[0])
