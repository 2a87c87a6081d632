"""CONV-Lem2 (invariants A, A', B, C along exact GD): verdicts, replay, derivation."""

from __future__ import annotations

import json

import pytest

from theorems.convergence.lem2 import CLAIM, derive_first_order_cancellation
from verify.budget import BUDGETS
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    return {v.name: run_variant(CLAIM, v, BUDGETS["quick"], seed=0) for v in CLAIM.variants}


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(runs, name):
    assert runs[name]["verdict"] == CLAIM.variant(name).expected.value


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants if v.is_mutant])
def test_mutants_are_refuted_and_replay(runs, name):
    assert runs[name]["verdict"] == "refuted"
    cex = Counterexample.from_json(json.loads(json.dumps(runs[name]["counterexample"])))
    check = CLAIM.variant(name).check(cex.check)
    hp = evaluate_hp(check.replay, cex.instance(), cex.tolerance, 50)
    assert hp is not None and hp.violated


def test_first_order_terms_cancel():
    assert derive_first_order_cancellation().holds
