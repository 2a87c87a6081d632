"""CONV-Lem14 (App. D.5): check details, closed form and derivations.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from theorems.convergence import lem14
from theorems.convergence.lem14 import CLAIM, PRINTED, prop
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


def test_derivations():
    for outcome in (lem14.derive_area_formula(), lem14.derive_proof_steps()):
        assert outcome.holds is True and "FAILED" not in outcome.details


def test_hemisphere_is_exact_equality():
    excess, scale = prop(PRINTED).margin_hp({"d": 20, "h": Fraction(1)}, 40)
    assert excess == 0 and scale == Fraction(1, 2)


def test_closed_form_matches_sampling_and_balls():
    rng = np.random.default_rng(3)
    g = rng.standard_normal((200_000, 25))
    t = g[:, 0] / np.linalg.norm(g, axis=1)
    for h in (0.3, 0.8, 0.95):
        assert abs(np.mean(t >= 1 - h) - float(lem14.cap_area(25, h))) < 5e-3
        excess, _ = prop(PRINTED).margin_hp({"d": 25, "h": Fraction(h)}, 40)
        float_excess, _ = prop(PRINTED).margin({"d": 25, "h": np.array([h])})
        assert abs(float(excess.mid()) - float_excess[0]) < 1e-12
