"""CONV-Lem5 (eqs. (16)-(18)): (18) as printed is refuted; corrected variant; replay."""

from __future__ import annotations

import json

import pytest

from theorems.convergence.lem5 import (
    CLAIM,
    EQ18_CORRECTED,
    EQ18_PRINTED,
    printed_counterexample,
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


def test_explicit_counterexample_to_printed_18():
    from verify.verdicts import Tolerance

    inst = printed_counterexample()
    printed = evaluate_hp(EQ18_PRINTED.margin_hp, inst, Tolerance(0.0, 0.0), 40)
    corrected = evaluate_hp(EQ18_CORRECTED.margin_hp, inst, Tolerance(0.0, 0.0), 40)
    assert printed.violated and printed.excess.low >= 1 - 1e-20
    assert corrected.holds_rigorously


def test_as_printed_is_refuted_by_eq_18_only(runs):
    checks = {c["name"]: c["verdict"] for c in runs["as-printed"]["checks"]}
    assert checks["eq-16"] != "refuted" and checks["eq-17"] != "refuted"
    assert checks["eq-18"] == "refuted" and checks["explicit-counterexample-18"] == "refuted"
