"""CONV-Eq14: variant verdicts at the quick budget; refuted variants replay."""

from __future__ import annotations

import json

import pytest

from theorems.convergence.eq14 import CLAIM
from verify.budget import BUDGETS
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    return {v.name: run_variant(CLAIM, v, BUDGETS["quick"], seed=0) for v in CLAIM.variants}


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(runs, name):
    assert runs[name]["verdict"] == CLAIM.variant(name).expected.value


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants if v.is_mutant])
def test_mutants_are_refuted_and_replay(runs, name):
    assert runs[name]["verdict"] == "refuted"
    cex = Counterexample.from_json(json.loads(json.dumps(runs[name]["counterexample"])))
    check = CLAIM.variant(name).check(cex.check)
    hp = evaluate_hp(check.replay, cex.instance(), cex.tolerance, 50)
    assert hp is not None and hp.violated


def test_symbolic_gap_vanishes_and_detects_errors():
    from theorems.convergence.eq14 import _symbolic_gap

    assert _symbolic_gap((2, 1, 2)) == 0 and _symbolic_gap((1, 2, 2, 1)) == 0


def test_eq14_gradients_match_core_in_float():
    import numpy as np

    from theorems.convergence.eq14 import eq14_gradients
    from verify.core.networks import WhitenedLoss, layer_gradients

    rng = np.random.default_rng(0)
    Ws = [rng.normal(size=(3, 2, 3)), rng.normal(size=(3, 1, 2)), rng.normal(size=(3, 2, 1))]
    Phi = rng.normal(size=(3, 2, 3))
    for a, b in zip(eq14_gradients(Ws, Phi), layer_gradients(Ws, WhitenedLoss(Phi)), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-12)
    sq = [rng.normal(size=(1, 2, 2)) for _ in range(3)]
    asc = eq14_gradients(sq, rng.normal(size=(1, 2, 2)), ascending=True)
    assert not np.allclose(asc[0], eq14_gradients(sq, sq[0] * 0, ascending=False)[0])
