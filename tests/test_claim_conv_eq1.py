"""CONV-Eq1 (§2 eq. (1), App. A): verdicts, counterexample replay, derivation helpers."""

from __future__ import annotations

import json

import pytest

from theorems.convergence.eq1 import (
    CLAIM,
    PRINTED,
    derive_family,
    derive_lines,
    finite_difference_gap,
    whitened_data,
)
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


def test_appendix_a_lines_and_family():
    assert derive_lines(2, 2, 3)[0]
    assert derive_family(1)[0]
    assert finite_difference_gap(seed=3) < 1e-7


def test_sampled_data_is_whitened():
    import numpy as np

    rng = np.random.default_rng(0)
    batch = PRINTED.domain.sample(rng, 8, {"dy": 2, "dx": 3, "m": 4})
    X = whitened_data(batch)
    gram = X @ np.swapaxes(X, -1, -2) / 4
    np.testing.assert_allclose(gram, np.broadcast_to(np.eye(3), (8, 3, 3)), atol=1e-12)
