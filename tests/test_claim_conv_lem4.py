"""CONV-Lem4 (diagonal vs rotated diagonal): verdicts, replay, exact orthogonal matrices."""

from __future__ import annotations

import json

import pytest

from theorems.convergence.lem4 import CLAIM, DOMAIN, orthogonal, orthogonal_exact
from verify.budget import BUDGETS
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant
from verify.verdicts import Verdict


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    return {v.name: run_variant(CLAIM, v, BUDGETS["quick"], seed=0) for v in CLAIM.variants}


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(runs, name):
    assert runs[name]["verdict"] == CLAIM.variant(name).expected.value


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants
                                  if CLAIM.variant(v.name).expected is Verdict.REFUTED])
def test_counterexamples_replay(runs, name):
    cex = Counterexample.from_json(json.loads(json.dumps(runs[name]["counterexample"])))
    check = CLAIM.variant(name).check(cex.check)
    hp = evaluate_hp(check.replay, cex.instance(), cex.tolerance, 50)
    assert hp is not None and hp.violated


def test_every_mutant_is_refuted(runs):
    assert all(runs[v.name]["verdict"] == "refuted" for v in CLAIM.variants if v.is_mutant)


def test_orthogonal_matrices_are_exactly_orthogonal():
    import flint
    import numpy as np

    from verify.domain import take, to_exact

    batch = DOMAIN.sample(np.random.default_rng(1), 6, {"d": 3})
    O = orthogonal(batch)
    np.testing.assert_allclose(O @ np.swapaxes(O, -1, -2), np.broadcast_to(np.eye(3), O.shape),
                               atol=1e-12)
    for i in range(6):
        Oe = orthogonal_exact(to_exact(take(batch, i)))
        assert Oe * Oe.transpose() == flint.fmpq_mat(3, 3, [1, 0, 0, 0, 1, 0, 0, 0, 1])
