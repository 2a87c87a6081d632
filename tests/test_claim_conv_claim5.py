"""CONV-Claim5: check details, symbolic and exact checks.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import pytest

from theorems.convergence import claim5
from theorems.convergence.claim5 import CLAIM
from verify.testing import assert_expected_verdict


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    """The run entries the tests below inspect (each also checked by test_claim_verdicts)."""
    return {name: assert_expected_verdict(CLAIM, name) for name in ("as-printed",)}


def test_printed_trials_certify(runs):
    checks = {c["name"]: c["verdict"] for c in runs["as-printed"]["checks"]}
    assert checks["identity-init"] == "certified"


def test_symbolic_bound():
    assert claim5.derive_bound().holds


def test_odd_depth_lands_on_target():
    """N = 1, eta = 1: W(1) = Phi, so the loss is 0 < mu^2 / 2."""
    assert claim5.claim_excess(1, 1, Fraction(1), Fraction(1), (), (Fraction(0),) * 3) > 0
    assert claim5.claim_excess(2, 2, Fraction(10**6), Fraction(1, 8), (Fraction(0),),
                               (Fraction(1, 4),) * 3) <= 0
