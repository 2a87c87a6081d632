"""ALIGN-ExAutoenc: verdicts of every variant, counterexample replay, derivation helpers."""

import json

import numpy as np
import pytest

from theorems.alignment.ex_autoenc import CLAIM, _derive, condition_property, recipe_property
from verify.budget import BUDGETS
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant
from verify.verdicts import Verdict

QUICK = BUDGETS["quick"]


def _run(variant):
    return run_variant(CLAIM, variant, QUICK, seed=0)


@pytest.mark.parametrize("variant", CLAIM.variants, ids=lambda v: v.name)
def test_variant_verdict(variant):
    result = _run(variant)
    assert result["verdict"] == variant.expected.value, result["checks"]
    if variant.expected is Verdict.REFUTED:
        cex = result["counterexample"]
        assert cex is not None
        saved = Counterexample.from_json(json.loads(json.dumps(cex)))
        replay = variant.check(cex["check"]).replay
        hp = evaluate_hp(replay, saved.instance(), saved.tolerance, 50)
        assert hp is not None and hp.violated


def test_has_mutants():
    assert any(v.is_mutant for v in CLAIM.variants)


def test_derivation_holds():
    assert _derive().holds


def test_recipe_on_rank_deficient_data():
    X = np.array([[[1.0, 2.0, 0.0], [2.0, 4.0, 0.0], [0.0, 0.0, 0.0]]])
    batch = {"k": 3, "n": 3, "X": X, "snap": np.array([1.0])}
    excess, scale = recipe_property("left").margin(batch)
    assert excess[0] <= 1e-12 * scale[0]
    excess, _ = condition_property().margin(batch)
    assert excess[0] == 0.0
