"""CONV-Rem-RankDef (condition (iii) ⟺ deficiency margin): verdicts, replay, derivations."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from theorems.convergence.rem_rankdef import (
    CLAIM,
    EY,
    derive_printed,
    rank_deficient,
    rank_deficient_exact,
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


def test_derivation_and_exact_minimiser():
    assert derive_printed().holds
    A = np.array([[2.0, 5.0], [0.0, 7.0]])
    B = np.array([[1.0, 0.0], [3.0, 1.0]])
    assert np.linalg.matrix_rank(rank_deficient(A[None], B[None])[0]) == 1
    assert rank_deficient_exact(A, B).rank() == 1
    # the Eckart-Young minimiser of diag(2, 1): excess exactly 0
    frac = np.vectorize(Fraction, otypes=[object])
    inst = {"m": 2, "n": 2, "k": 2, "Phi": frac(np.diag([2.0, 1.0])), "A": frac(A * [1, 0]),
            "B": frac(np.eye(2))}
    excess, _ = EY.margin_hp(inst, 30)
    assert excess == 0
