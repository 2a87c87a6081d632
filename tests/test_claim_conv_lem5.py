"""CONV-Lem5 (eqs. (16)-(18)): (18) as printed is refuted, and only (18).

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

import pytest

from theorems.convergence.lem5 import (
    CLAIM,
    EQ18_CORRECTED,
    EQ18_PRINTED,
    printed_counterexample,
)
from verify.counterexample import evaluate_hp
from verify.testing import assert_expected_verdict


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    """The run entries the tests below inspect (each also checked by test_claim_verdicts)."""
    return {name: assert_expected_verdict(CLAIM, name) for name in ("as-printed",)}


def test_explicit_counterexample_to_printed_18():
    from verify.verdicts import Tolerance

    inst = printed_counterexample()
    printed = evaluate_hp(EQ18_PRINTED.margin_hp, inst, Tolerance(0.0, 0.0), 40)
    corrected = evaluate_hp(EQ18_CORRECTED.margin_hp, inst, Tolerance(0.0, 0.0), 40)
    assert printed.violated and printed.excess.low >= 1 - 1e-20
    assert corrected.holds_rigorously


def test_as_printed_is_refuted_by_eq_18_only(runs):
    checks = {c["name"]: c["verdict"] for c in runs["as-printed"]["checks"]}
    assert checks["eq-16"] != "refuted" and checks["eq-17"] != "refuted"
    assert checks["eq-18"] == "refuted" and checks["explicit-counterexample-18"] == "refuted"
