"""ALIGN-Lem1: verdicts of every variant, counterexample replay, and one explicit instance of
both witnesses (weak initialization that turns V_1; landing initialization that keeps all)."""

import json
from fractions import Fraction

import numpy as np
import pytest

from theorems.alignment.lem1 import CLAIM, weak_case
from theorems.alignment.thm1 import invariance_certificate
from verify.budget import BUDGETS
from verify.core.alignment import invariance_defect
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant
from verify.verdicts import Verdict

QUICK = BUDGETS["quick"]
F = Fraction


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


def test_weak_but_not_strong_same_data_strong_elsewhere():
    """k = 2, d = 3, identity frames, X = [[1, 1], [0, 1]], Y = diag(3/2, 0) X."""
    q = np.vectorize(F, otypes=[object])
    inst = {"k": 2, "d": 3, "n": 2, "g": F(3, 2), "lr": F(1, 8), "family": F(1),
            "snap": F(1), "Xr": q(np.array([[1, 1], [0, 1]])),
            "Sg": q(np.array([[1, 1], [1, 1 / 2], [1, 1], [1, 1]])),
            "w": q(np.array([1 / 2, 1 / 2]))}
    for i in range(5):
        inst[f"R{i}"] = q(np.zeros((2, 2)))
    case = weak_case(inst)
    assert case is not None
    assert invariance_defect(case["weak"], strong=True)[0] > 0
    assert invariance_certificate(case)
