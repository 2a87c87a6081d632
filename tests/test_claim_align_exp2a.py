"""ALIGN-Exp2a: verdicts of every variant, counterexample replay, figures, helpers."""

import json

import pytest

from theorems.alignment.exp2a import CLAIM
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


def test_layers_stay_toeplitz_and_degenerate_start_is_frozen():
    import numpy as np

    from theorems.alignment.exp2a import EXPERIMENT, TOEPLITZ, sampler
    from verify.core.alignment_runs import is_in_structure

    batch = sampler(np.random.default_rng(3), 2)
    traj, _ = EXPERIMENT.long_run(batch, 20, [20], None)
    assert all(is_in_structure(w, TOEPLITZ).all() for w in traj.weights[-1])
    Y = np.diag([1.0, 0.0, 0.0, 1.0])[None]
    degenerate = {"Y": Y, "t": np.array([[0.0, 0.0, 0.0, -1.0]]), "s": np.ones((1, 3)),
                  "snap": np.ones(1)}
    assert EXPERIMENT.first_steps_defect(degenerate, 3)[0] < 1e-24
