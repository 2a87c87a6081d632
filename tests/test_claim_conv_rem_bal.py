"""CONV-Rem-Bal (0-balanced layers share non-zero singular values): verdicts and replay."""

from __future__ import annotations

import json

import pytest

from theorems.convergence.rem_bal import CLAIM, DOMAIN, power_sums
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


def test_sampled_layers_are_exactly_balanced():
    import numpy as np

    from verify.core.balanced_layers import balancedness_sq_exact, network_layers_exact
    from verify.domain import take, to_exact

    rng = np.random.default_rng(2)
    dims = DOMAIN.all_dims()[-1]
    batch = DOMAIN.sample(rng, 4, dims)
    for i in range(4):
        Ws = network_layers_exact(to_exact(take(batch, i)))
        assert balancedness_sq_exact(Ws) == 0
        assert len(power_sums(Ws[0], 3)) == 3
