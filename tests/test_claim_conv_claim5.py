"""CONV-Claim5: verdicts, counterexample replay, symbolic and exact checks."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from theorems.convergence import claim5
from theorems.convergence.claim5 import CLAIM
from verify.budget import BUDGETS
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant
from verify.verdicts import Verdict

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "002_e19624c72e9662f5.txt"


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    return {v.name: run_variant(CLAIM, v, BUDGETS["quick"], seed=0) for v in CLAIM.variants}


def test_statement_is_quoted_from_the_paper():
    if not SEED.exists():
        pytest.skip("paper text not available")
    assert "".join(claim5.STATEMENT.split()) in "".join(SEED.read_text().split())


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(runs, name):
    assert runs[name]["verdict"] == CLAIM.variant(name).expected.value


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants if v.is_mutant])
def test_mutant_counterexamples_replay(runs, name):
    refuting = [c for c in runs[name]["checks"] if c["counterexample"]]
    assert refuting and runs[name]["verdict"] == Verdict.REFUTED.value
    for result in refuting:
        saved = Counterexample.from_json(json.loads(json.dumps(result["counterexample"])))
        hp = evaluate_hp(CLAIM.variant(name).check(result["name"]).replay, saved.instance(),
                         saved.tolerance, 50)
        assert hp is not None and hp.violated


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
