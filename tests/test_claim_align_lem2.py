"""ALIGN-Lem2: verdicts of every variant, counterexample replay, and the one-pair family."""

import json
from fractions import Fraction

import numpy as np
import pytest

from theorems.alignment.lem2 import (
    CLAIM,
    block_data,
    block_defect,
    one_pair_case,
    one_pair_certificate,
)
from verify.budget import BUDGETS
from verify.core.alignment_condition import condition_defect_exact
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


def _square_instance():
    q = np.vectorize(F, otypes=[object])
    return {"d": 3, "k0": 3, "k1": 3, "k2": 3, "k3": 3, "n": 3,
            "sx": q(np.array([1.0, 2.0, 1.5])), "sy": q(np.array([2.0, 1.0, -1.0])),
            "Zx": q(np.array([[0, 0, 0], [0, 1, 1], [0, 0, 1]])),
            "Zy": q(np.array([[0, 0, 0], [0, 2, 0], [0, 1, 1]])),
            "Sg": q(np.array([[1, 1, 1], [1, 0.5, 2], [1, 1, 1]])), "lr": F(1, 8)}


def test_one_pair_family_is_frozen_but_violates_condition():
    case = one_pair_case(_square_instance())
    assert one_pair_certificate(case)
    assert condition_defect_exact(case["X"], case["Y"])[0] > 0


def test_block_data_meets_condition_in_its_frames():
    inst = _square_instance()
    for r in (1, 3):
        frames, X, Y = block_data(inst, r)
        assert block_defect(frames, X, Y, r) == 0
    frames, X, Y = block_data(inst, 1)
    assert block_defect(frames, X, Y, 3) > 0
