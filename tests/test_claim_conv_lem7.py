"""CONV-Lem7 (single-step descent under conditions 1-4): verdicts, replay, derivations."""

from __future__ import annotations

import json

import numpy as np
import pytest

from theorems.convergence.lem7 import CLAIM, derive_constants, domain, exact_state, sampler
from verify.budget import BUDGETS
from verify.counterexample import Counterexample, evaluate_hp
from verify.domain import take, to_exact
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


def test_constants_derivation():
    outcome = derive_constants()
    assert outcome.holds, outcome.details


def test_sampled_states_meet_the_conditions_exactly():
    dom = domain()
    batches = sampler(np.random.default_rng(3), 32)
    found = 0
    for batch in batches:
        ok = dom.admissible(batch)
        for i in np.flatnonzero(ok)[:2]:
            s = exact_state(to_exact(take(batch, int(i))), 30)
            assert s is not None and s.c > 0 and s.eta > 0
            found += 1
    assert found >= 4
