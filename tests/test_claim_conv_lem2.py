"""CONV-Lem2 (invariants A, A', B, C along exact GD): the first-order cancellation.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from theorems.convergence.lem2 import derive_first_order_cancellation


def test_first_order_terms_cancel():
    assert derive_first_order_cancellation().holds
