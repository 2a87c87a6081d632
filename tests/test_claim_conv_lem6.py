"""CONV-Lem6 (bounded layer norms): verdicts and replay."""

from __future__ import annotations

import json

import pytest

from theorems.convergence.lem6 import CLAIM, _root
from verify.budget import BUDGETS
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant
from verify.verdicts import Verdict


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    return {v.name: run_variant(CLAIM, v, BUDGETS["quick"], seed=0) for v in CLAIM.variants}


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(runs, name):
    assert runs[name]["verdict"] == CLAIM.variant(name).expected.value


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants
                                  if CLAIM.variant(v.name).expected is Verdict.REFUTED])
def test_counterexamples_replay(runs, name):
    cex = Counterexample.from_json(json.loads(json.dumps(runs[name]["counterexample"])))
    check = CLAIM.variant(name).check(cex.check)
    hp = evaluate_hp(check.replay, cex.instance(), cex.tolerance, 50)
    assert hp is not None and hp.violated


def test_every_mutant_is_refuted(runs):
    assert all(runs[v.name]["verdict"] == "refuted" for v in CLAIM.variants if v.is_mutant)


def test_root_enclosure_touching_zero():
    import flint

    ball = flint.arb(0).union(flint.arb(8))
    assert _root(ball, 3).contains(2) and _root(ball, 3).contains(0)
