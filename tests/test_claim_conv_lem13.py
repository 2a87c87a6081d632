"""CONV-Lem13 (App. D.5): verdicts, replay, the covariance step and the direction law."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from theorems.convergence import lem13 as MODULE
from theorems.convergence.lem13 import CLAIM
from verify.budget import BUDGETS
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant
from verify.verdicts import Verdict

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "002_e19624c72e9662f5.txt"


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    return {v.name: run_variant(CLAIM, v, BUDGETS["quick"], seed=0) for v in CLAIM.variants}


def test_statement_is_quoted_from_the_paper():
    if not SEED.exists():
        pytest.skip("paper text not available")
    text = "".join(SEED.read_text().split())
    for line in MODULE.STATEMENT.splitlines():
        assert "".join(line.split()) in text


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(runs, name):
    assert runs[name]["verdict"] == CLAIM.variant(name).expected.value


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants if v.is_mutant])
def test_mutant_counterexamples_replay(runs, name):
    entry = runs[name]
    assert entry["verdict"] == Verdict.REFUTED.value and entry["counterexample"]
    for result in (c for c in entry["checks"] if c["counterexample"]):
        saved = Counterexample.from_json(json.loads(json.dumps(result["counterexample"])))
        check = CLAIM.variant(name).check(result["name"])
        hp = evaluate_hp(check.replay, saved.instance(), saved.tolerance, 50)
        assert hp is not None and hp.violated


def test_rotation_step_derivation():
    outcome = MODULE.derive_rotation_step()
    assert outcome.holds is True and "FAILED" not in outcome.details


def test_cayley_rotation_is_orthogonal():
    import sympy as sp

    O = MODULE._cayley(sp.Matrix([[0, 1], [-1, 0]]))
    assert O.T * O == sp.eye(2)


def test_directions_are_unit_and_margin_matches_hand_computation():
    w = (4, 2, 1)
    X = MODULE._directions(w, 0.0)
    assert np.allclose(np.linalg.norm(X, axis=1), 1)
    inst = {"N": 2, "d0": 4, "d1": 2, "d2": 1, "v": np.array([Fraction(1), Fraction(0),
            Fraction(0), Fraction(0)], dtype=object), "tau": Fraction(1, 2)}
    excess, _ = MODULE.prop().margin_hp(inst, 40)
    assert excess < 0
    mutant = {**inst, "v": np.array([Fraction(1)] * 4, dtype=object)}
    excess, _ = MODULE.prop(MODULE.Reading(mean=1.0)).margin_hp(mutant, 40)
    assert excess > 0
