"""ALIGN-Prop4: verdicts of every variant, counterexample replay, alignment helpers."""

import json

import flint
import pytest

from theorems.alignment.prop4 import CLAIM, alignment_excess, support_ok
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


def test_has_mutants():
    assert any(v.is_mutant for v in CLAIM.variants)


def test_alignment_criterion():
    A = flint.fmpq_mat(2, 2, [1, 0, 0, 2])
    B = flint.fmpq_mat(2, 2, [3, 0, 0, 0])
    assert alignment_excess(A, B)[0] == 0
    C = flint.fmpq_mat(2, 2, [1, 1, 0, 1])
    assert alignment_excess(A, C)[0] > 0
    # 1 x 2 times 2 x 1: both non-zero on different coordinates cannot share position 1
    row = flint.fmpq_mat(1, 2, [1, 0])
    col = flint.fmpq_mat(2, 1, [0, 1])
    assert not support_ok(row, col)
    assert support_ok(row, flint.fmpq_mat(2, 1, [2, 0]))
