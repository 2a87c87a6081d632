"""INIT-Alg2 (seed 004, §3): verdicts, replay of counterexamples, derivation helpers."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from theorems.initialization import alg2
from verify.budget import BUDGETS
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

CLAIM = alg2.CLAIM
F = Fraction
SEED = "/work/shared/seeds/004_bae8d3aeafe845f9.txt"


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    return {v.name: run_variant(CLAIM, v, BUDGETS["quick"], seed=0) for v in CLAIM.variants}


def test_variant_verdicts_match_expected(results):
    for variant in CLAIM.variants:
        assert results[variant.name]["verdict"] == variant.expected.value, variant.name


def test_every_mutant_is_refuted_and_replays(results):
    for variant in CLAIM.variants:
        if not variant.is_mutant:
            continue
        assert results[variant.name]["verdict"] == "refuted"
        for check in results[variant.name]["checks"]:
            if check["verdict"] != "refuted":
                continue
            saved = Counterexample.from_json(json.loads(json.dumps(check["counterexample"])))
            replay = variant.check(saved.check).replay
            hp = evaluate_hp(replay, saved.instance(), saved.tolerance, 50)
            assert hp is not None and hp.violated, (variant.name, check["name"])


def _instance() -> dict:
    A = np.array([[F(1), F(2), F(0)], [F(0), F(1), F(-1)]], dtype=object)
    return {"n": 2, "d": 3, "deficient": 0, "A": A, "b": np.array([F(1), F(-2)], dtype=object),
            "x0": np.array([F(1), F(0), F(2)], dtype=object),
            "v0": np.array([F(1), F(1, 2)], dtype=object), "step": F(1, 2), "alpha": F(1, 50)}


def test_rational_unit_vector():
    u = alg2.unit_from_exact([F(1, 2), F(3), F(7)])
    assert sum(u[i, 0] ** 2 for i in range(3)) == 1
    assert np.allclose(alg2.unit_from(np.array([[0.5, 3.0, 7.0]]))[0],
                       [float(u[i, 0].p) / float(u[i, 0].q) for i in range(3)])


def test_statement_is_quoted_verbatim():
    with open(SEED) as fh:
        assert alg2.STATEMENT in fh.read()


def test_boxed_updates_follow_from_the_loss():
    assert alg2.boxed_identities(1, 2) == {"printed": True, "unscaled-v": False,
                                           "one-gram": False}


def test_exact_iterates():
    inst = _instance()
    excess, _ = alg2.iterates_hp("printed")(inst, 40)
    assert excess == 0 and excess.rad() == 0
    for form in ("unscaled-v", "one-gram"):
        wrong, _ = alg2.iterates_hp(form)(inst, 40)
        assert wrong > 0


def test_rank_deficient_a_is_exact_too():
    inst = _instance()
    inst["A"] = np.array([[F(1), F(2), F(0)], [F(2), F(4), F(0)]], dtype=object)
    excess, _ = alg2.iterates_hp("printed")(inst, 40)
    assert excess == 0
