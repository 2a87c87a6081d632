"""CONV-Lem1: variant verdicts at the quick budget; refuted variants replay."""

from __future__ import annotations

import json

import pytest

from theorems.convergence.lem1 import CLAIM
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


def test_rational_below_and_exact_setting():
    import flint
    import numpy as np

    from theorems.convergence.lem1 import (
        exact_setting,
        hypothesis_domain,
        rational_below,
        setting,
    )
    from verify.domain import take, to_exact

    x = flint.arb(2).sqrt()
    q = rational_below(x)
    assert flint.arb(q) <= x and float(q) > 1.41421356
    domain = hypothesis_domain()
    dims = {"N": 2, "dN": 2, "d0": 2, "d1": 2, "d2": 2, "d3": 1}
    batch = domain.sample(np.random.default_rng(0), 8, dims)
    ok = domain.admissible(batch)
    i = int(np.argmax(ok))
    s = exact_setting(to_exact(take(batch, i)), 40)
    assert s is not None and s.c > 0 and s.eta > 0
    fs = setting(batch)
    assert abs(float(s.eta) / fs.eta[i] - 1) < 1e-6
