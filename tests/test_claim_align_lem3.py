"""ALIGN-Lem3: verdicts of every variant, counterexample replay, derivation helpers."""

import json
from itertools import pairwise

import numpy as np
import pytest

from theorems.alignment.lem3 import CLAIM, derive_eq13, run_rule
from verify.budget import BUDGETS
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant
from verify.verdicts import Verdict

QUICK = BUDGETS["quick"]


@pytest.mark.parametrize("variant", CLAIM.variants, ids=lambda v: v.name)
def test_variant_verdict(variant):
    result = run_variant(CLAIM, variant, QUICK, seed=0)
    assert result["verdict"] == variant.expected.value, result["checks"]
    if variant.expected is Verdict.REFUTED:
        cex = result["counterexample"]
        assert cex is not None
        saved = Counterexample.from_json(json.loads(json.dumps(cex)))
        replay = variant.check(cex["check"]).replay
        hp = evaluate_hp(replay, saved.instance(), saved.tolerance, 50)
        assert hp is not None and hp.violated


def test_derivation_holds():
    assert derive_eq13().holds


def test_rule_increases_to_target_and_overshoots_with_large_rate():
    S = run_rule([np.array([0.5]), np.array([0.5])], 1.0, 1.0, 0.5, 1, 200)
    assert all(b >= a for a, b in pairwise(S)) and abs(S[-1][0] - 1.0) < 1e-9
    S = run_rule([np.array([1.0]), np.array([1.0])], 1.0, 4.0, 0.35, 1, 1)
    assert S[1][0] > 4.0
