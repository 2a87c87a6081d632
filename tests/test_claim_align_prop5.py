"""ALIGN-Prop5: verdicts of every variant, counterexample replay, membership helpers."""

import json

import numpy as np
import pytest

from theorems.alignment.prop5 import (
    CLAIM,
    bound,
    derive_orthogonal_counterexample,
    derive_proof_arithmetic,
    rank_one_member,
)
from verify.budget import BUDGETS
from verify.core.hp_linalg import to_fmpq_mat
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


def test_derivations():
    assert derive_proof_arithmetic().holds
    out = derive_orthogonal_counterexample()
    assert out.holds is False and out.counterexample is not None


def test_bound_and_rank_one_membership():
    assert bound(3, 3, "printed") == 2 and bound(5, 3, "printed") == 3
    Z = to_fmpq_mat(np.array([[2, 0], [0, 1], [0, 0]]))
    assert rank_one_member(Z, to_fmpq_mat(np.array([[1], [0], [0]])))
    assert rank_one_member(Z, to_fmpq_mat(np.array([[0], [0], [1]])))  # null space of Z^T
    assert not rank_one_member(Z, to_fmpq_mat(np.array([[1], [1], [0]])))
    full = to_fmpq_mat(np.array([[1, 2, 0], [0, 1, 3], [1, 0, 1]]))
    assert rank_one_member(full, to_fmpq_mat(np.eye(3, dtype=int)))
