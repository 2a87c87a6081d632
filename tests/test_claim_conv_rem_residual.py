"""CONV-Rem-Residual (identity init, ‖Φ − I‖_F < 0.5): verdicts, replay, derivations."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from theorems.convergence.rem_residual import (
    CLAIM,
    PRINTED,
    Reading,
    derive_printed,
    margin_hp,
)
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


def test_derivation_and_sharp_boundary():
    assert derive_printed().holds
    # Φ = diag(1/2, 1): distance exactly 1/2 is outside the (strict) hypothesis
    inst = {"d": 2, "N": 3, "Phi": np.array([[Fraction(1, 2), 0], [0, 1]], dtype=object)}
    assert margin_hp(PRINTED)(inst, 30) is None
    # just inside: margin 1 - 2r > 0 exactly
    r = Fraction(63, 128)
    inst["Phi"] = np.array([[1 - r, 0], [0, Fraction(1)]], dtype=object)
    excess, _ = margin_hp(PRINTED)(inst, 30)
    assert excess < 0
    # the spectral reading admits Φ = 0.55 I_2, where the margin fails
    inst["Phi"] = np.array([[Fraction(11, 20), 0], [0, Fraction(11, 20)]], dtype=object)
    excess, _ = margin_hp(Reading(norm="spectral"))(inst, 30)
    assert excess > 0
