"""CONV-Claim4 (App. C / D.6): verdicts, counterexample replay, exact construction."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from theorems.convergence import claim4
from theorems.convergence.claim4 import CLAIM, PRINTED, Reading
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
    assert "".join(claim4.STATEMENT.split()) in "".join(SEED.read_text().split())


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


def test_symbolic_reduction():
    outcome = claim4.derive_reduction()
    assert outcome.holds and "FAILED" not in outcome.details


@pytest.mark.parametrize("eta", [Fraction(1, 10**6), Fraction(1), Fraction(10**6)])
@pytest.mark.parametrize("gap", [Fraction(1, 10**9), Fraction(1, 4), Fraction(999, 1000)])
def test_exact_construction_holds(eta, gap):
    excess = claim4.claim_excess(4, 2, eta, 1 - gap, PRINTED)
    assert excess <= 0


def test_amplitude_is_a_power_of_two_above_every_term():
    A = claim4.amplitude(2, Fraction(1), Fraction(3, 4))
    assert A == 2 ** (A.numerator.bit_length() - 1) and A >= 2000
    assert claim4._pow2_at_least(Fraction(1025), 1) == 11
    assert claim4._pow2_at_least(Fraction(1, 3), 2) == 0


def test_balanced_init_converges():
    assert claim4.claim_excess(2, 1, Fraction(1, 4), Fraction(9, 10), Reading(balanced=True)) > 0
