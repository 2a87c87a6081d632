"""CONV-Lem18: check details, symbolic and exact checks.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import pytest

from theorems.convergence import lem18
from theorems.convergence.lem18 import CLAIM
from verify.testing import assert_expected_verdict


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    """The run entries the tests below inspect (each also checked by test_claim_verdicts)."""
    return {name: assert_expected_verdict(CLAIM, name) for name in ("as-printed",)}


def test_printed_trials_certify(runs):
    checks = {c["name"]: c["verdict"] for c in runs["as-printed"]["checks"]}
    assert checks["identity-init"] == "certified"


def test_symbolic_invariance():
    assert lem18.derive_invariance().holds


def test_cayley_is_orthogonal_and_repeated_eigenvalues_hold():
    U = lem18.cayley([Fraction(1, 2), Fraction(-3, 4), Fraction(2)], 3)
    assert U.transpose() * U == lem18.identity(3)
    excess = lem18.lemma_excess(3, 4, Fraction(1, 3), (Fraction(-1), Fraction(-1), Fraction(0)),
                                (Fraction(1, 2), Fraction(1), Fraction(0)), lem18.PRINTED)
    assert excess == 0
