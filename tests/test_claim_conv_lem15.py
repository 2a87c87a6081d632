"""CONV-Lem15 (App. D.5): check details, closed form and derivations.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from theorems.convergence import lem15
from theorems.convergence.lem15 import CLAIM, PRINTED, prop
from verify.testing import assert_expected_verdict


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    """The run entries the tests below inspect (each also checked by test_claim_verdicts)."""
    return {name: assert_expected_verdict(CLAIM, name) for name in ("as-printed",)}


def test_printed_statement_is_certified_on_the_trials(runs):
    checks = {c["name"]: c["verdict"] for c in runs["as-printed"]["checks"]}
    assert checks["trials"] == "certified"
    assert all(v == "certified" for c, v in checks.items() if c not in
               ("trials", "search", "monte-carlo"))
    assert checks["monte-carlo"] == "supported"


def test_event_derivation():
    outcome = lem15.derive_event()
    assert outcome.holds is True and "FAILED" not in outcome.details


def test_closed_form_matches_direct_sampling():
    rng = np.random.default_rng(5)
    d, a, phi = 30, 40.0, 2.5
    x = rng.standard_normal((200_000, d))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    V = phi / np.sqrt(a * d) * x
    Phi = np.zeros(d)
    Phi[0] = phi
    empirical = np.mean(np.linalg.norm(V - Phi, axis=1) <= phi - phi / (a * d))
    u = np.sqrt(lem15.threshold_sq(a, d))
    assert abs(empirical - (0.5 - lem15.probability.sphere_coordinate_band(d, u))) < 5e-3


def test_margin_sqrt_mutant_has_probability_zero():
    excess, _ = prop(lem15.Reading(margin_sqrt=True)).margin_hp({"d": 20, "a": Fraction(100)}, 40)
    assert excess > 0
    assert PRINTED == lem15.Reading()
