"""ALIGN-Prop3: verdicts of every variant, counterexample replay, derivation helpers."""

import json

import numpy as np
import pytest

from theorems.alignment.prop3 import CLAIM, aligned_balanced, derive, nuclear_norm
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


def test_derivation_holds():
    assert derive().holds


def test_aligned_balanced_pair_is_optimal_and_beats_random_factorizations():
    rng = np.random.default_rng(1)
    W1, W2 = rng.normal(size=(50, 2, 3)), rng.normal(size=(50, 3, 2))
    P = W2 @ W1
    A1, A2 = aligned_balanced(P, np.broadcast_to(np.eye(2), (50, 2, 2)).copy())
    np.testing.assert_allclose(A2 @ A1, P, atol=1e-12)
    cost = np.sum(A1 ** 2, axis=(1, 2)) + np.sum(A2 ** 2, axis=(1, 2))
    np.testing.assert_allclose(cost, 2 * nuclear_norm(P), rtol=1e-12)
    assert np.all(np.sum(W1 ** 2, axis=(1, 2)) + np.sum(W2 ** 2, axis=(1, 2)) >= cost)
    np.testing.assert_allclose(A1 @ np.swapaxes(A1, 1, 2), np.swapaxes(A2, 1, 2) @ A2,
                               atol=1e-12)
