"""CONV-Lem6 (bounded layer norms): root enclosures touching zero.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from theorems.convergence.lem6 import _root


def test_root_enclosure_touching_zero():
    import flint

    ball = flint.arb(0).union(flint.arb(8))
    assert _root(ball, 3).contains(2) and _root(ball, 3).contains(0)
