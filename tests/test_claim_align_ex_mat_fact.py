"""ALIGN-ExMatFact: verdicts of every variant, counterexample replay, derivation helpers."""

import json

import numpy as np
import pytest

from theorems.alignment.ex_mat_fact import CLAIM, _derive, condition_property, recipe_property
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


def test_inversion_literal_reading_fails_on_a_fixed_matrix():
    M = np.array([[[1.0, 2.0], [0.0, 1.0]]])
    batch = {"k": 2, "M": M, "N": M, "snap": np.array([1.0])}
    ok, scale = recipe_property("inversion", "right", "left").margin(batch)
    bad, _ = recipe_property("inversion", "left", "right").margin(batch)
    assert ok[0] <= 1e-12 * scale[0] and bad[0] > 0.1 * scale[0]
    assert condition_property("inversion").margin(batch)[0][0] <= 1e-24
    assert condition_property("free").margin_hp(
        {"k": 2, "M": M[0].astype(object), "N": (M[0].T).astype(object)}, 30)[0] > 0
