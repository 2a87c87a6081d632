"""ALIGN-Eq3: verdicts of every variant, counterexample replay, derivation helpers."""

import json

import numpy as np
import pytest

from theorems.alignment.eq3 import CLAIM, _derive, cayley, cayley_exact
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


def test_cayley_frames_are_orthogonal():
    rng = np.random.default_rng(0)
    Q = cayley(rng.uniform(-1, 1, size=(5, 3, 3)))
    assert np.allclose(Q @ np.swapaxes(Q, -1, -2), np.eye(3))
    R = np.array([[0.5, -0.25], [0.125, 1.0]])
    Qe = cayley_exact(R)
    assert Qe.transpose() * Qe == type(Qe)(2, 2, [1, 0, 0, 1])
