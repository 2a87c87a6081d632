"""BIAS-Lem4 (Lemma 4: h_L odd, strictly increasing, unbounded): registration, check details,
helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

import numpy as np
import pytest

from theorems.implicit_bias import lem4
from verify.claims import registry
from verify.testing import assert_expected_verdict
from verify.verdicts import Verdict

CLAIM = registry().get("BIAS-Lem4")


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    """The run entries the tests below inspect (each also checked by test_claim_verdicts)."""
    return {name: assert_expected_verdict(CLAIM, name) for name in ("as-printed",)}


def test_claim_is_registered_with_the_printed_statement() -> None:
    assert CLAIM is lem4.CLAIM
    assert CLAIM.asymptotic
    for phrase in (r"\dot{p} = p^{L-2} q", r"\dot{q} = p^{L-1}", "p(0) = 1", "q(0) = 0",
                   r"c \in (0, \infty]", "odd and strictly increasing",
                   r"\lim_{t \downarrow -c} h_L(t) = -\infty"):
        assert phrase in CLAIM.statement
    names = {v.name for v in CLAIM.variants}
    assert "as-printed" in names and "corrected" not in names
    assert sum(v.is_mutant for v in CLAIM.variants) >= 3


def test_printed_lemma_checks(results: dict) -> None:
    checks = {c["name"]: c["verdict"] for c in results["as-printed"]["checks"]}
    for name in ("first-integral", "reflection-symmetry", "derivative-positive",
                 "time-change-blowup", "closed-forms", "taylor-series", "increasing",
                 "growth-to-blowup"):
        assert checks[name] == Verdict.CERTIFIED.value, name
    for name in ("odd", "engine-is-ode", "series-at-0", "search-monotone-odd"):
        assert checks[name] == Verdict.SUPPORTED.value, name


def test_blowup_times_in_the_notes_are_right() -> None:
    outcome = lem4.derive_blowup()
    assert outcome.holds
    assert "3: pi/2, 4: 1, 5: pi/4, 6: 2/3" in outcome.details


def test_growth_bound_is_below_h_and_unbounded() -> None:
    u = 1 - np.logspace(-1, -13, 13)
    for L in range(lem4.L_MIN, lem4.L_MAX + 1):
        bound = lem4._growth_bound(L, u)
        assert np.all(bound <= lem4.hf.h(L, lem4.t_of_u(L, u)))
        assert bound[-1] > 1e5 and np.all(np.diff(bound) > 0)
