"""CONV-Claim2 (App. B, D.4): verdicts, replay, the union-bound route."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from theorems.convergence import claim2 as MODULE
from theorems.convergence.claim2 import CLAIM
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


def test_union_bound_derivation():
    outcome = MODULE.derive_union_bound()
    assert outcome.holds is True and "FAILED" not in outcome.details


def test_moment_route_on_a_wide_profile():
    dims = {"N": 4, "d0": 4, "d1": 4, "d2": 4, "d3": 4, "d4": 4}
    excess, scale = MODULE.moment_prop().margin_hp(dims, 30)
    assert excess < 0 and scale == 10 * 4 * 64


def test_single_layer_is_always_balanced():
    w = (3, 2)
    assert np.all(MODULE._sorted_imbalance(w) == 0)


def test_mutant_counterexample_by_hand():
    inst = {"N": 2, "d0": 1, "d1": 1, "d2": 1, "d3": 1, "d4": 1,
            "kappa": Fraction(2), "s": Fraction(20)}
    excess, _ = MODULE.prob_prop(MODULE.Reading(s_power=2)).margin_hp(inst, 40)
    assert excess > 0
    excess, _ = MODULE.prob_prop().margin_hp(inst, 40)
    assert excess < 0
