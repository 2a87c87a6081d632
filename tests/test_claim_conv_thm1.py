"""CONV-Thm1: the symbolic step from (13) to (8).

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations


def test_symbolic_step_from_13_to_8():
    from theorems.convergence.thm1 import _derive

    assert _derive().holds
