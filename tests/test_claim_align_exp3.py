"""ALIGN-Exp3: verdicts of every variant, counterexample replay, figures, helpers."""

import json

import pytest

from theorems.alignment.exp3 import CLAIM
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


def test_condition_holds_exactly_and_frames_frozen_exactly():
    import numpy as np

    from theorems.alignment.exp3 import EXPERIMENT, _obj, data_exact, draw
    from verify.core.alignment_condition import condition_holds_exact
    from verify.domain import take, to_exact

    inst = to_exact(take(draw(False)(np.random.default_rng(2), 1), 0))
    X, Y, _ = data_exact(inst)
    assert condition_holds_exact(_obj(X), _obj(Y))
    assert EXPERIMENT.first_steps_defect_exact(inst, 2) == 0
