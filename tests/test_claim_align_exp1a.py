"""ALIGN-Exp1a: verdicts of every variant, counterexample replay, figures, helpers."""

import json

import pytest

from theorems.alignment.exp1a import CLAIM
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
    else:
        figures = [f for c in result["checks"] for f in c["figures"]]
        assert figures and all(f["svg"].lstrip().startswith("<?xml") for f in figures)


def test_has_mutants():
    assert any(v.is_mutant for v in CLAIM.variants)


def test_random_data_violate_condition_and_frames_move():
    import numpy as np

    from theorems.alignment.exp1a import EXPERIMENT, sampler, violates_condition
    from verify.domain import take, to_exact

    batch = sampler(np.random.default_rng(1), 2)
    assert violates_condition(batch).all()
    assert (EXPERIMENT.first_steps_defect(batch, 1) > 1e-12).all()
    assert EXPERIMENT.first_steps_defect_exact(to_exact(take(batch, 0)), 1) > 0
