"""CONV-Lem10 (App. D.4): verdicts, replay, moments and the proof's typo."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from theorems.convergence import lem10 as MODULE
from theorems.convergence.lem10 import CLAIM
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


def test_moment_derivation_and_typo():
    outcome = MODULE.derive_moments()
    assert outcome.holds is True and "FAILED" not in outcome.details
    assert MODULE.printed_diagonal_moment(1, 1) == 5 and MODULE.diagonal_moment(1, 1) == 4


def test_second_moment_matches_sampling():
    rng = np.random.default_rng(3)
    a, b, d = 3, 2, 5
    A = rng.standard_normal((200_000, a, d))
    B = rng.standard_normal((200_000, d, b))
    X = np.swapaxes(A, 1, 2) @ A - B @ np.swapaxes(B, 1, 2)
    diag = np.mean(X[:, 0, 0] ** 2)
    total = np.mean(np.sum(X**2, axis=(1, 2)))
    assert abs(diag - MODULE.diagonal_moment(a, b)) < 0.05 * MODULE.diagonal_moment(a, b)
    assert abs(total - MODULE.second_moment(a, b, d)) < 0.02 * MODULE.second_moment(a, b, d)


def test_sorted_norms_match_direct_computation():
    norms = MODULE._sorted_norms(2, 3, 4)
    assert norms.shape == (MODULE.MC_SAMPLES,) and np.all(np.diff(norms) >= 0)
    assert abs(np.mean(norms**2) - MODULE.second_moment(2, 3, 4)) < 0.05 * \
        MODULE.second_moment(2, 3, 4)


def test_markov_route_is_exact():
    m = MODULE.markov_prop()
    excess, _ = m.margin_hp({"a": 7, "b": 2, "d": 11}, 30)
    assert excess == MODULE.second_moment(7, 2, 11) - MODULE.threshold_sq(7, 2, 11) < 0
    excess, _ = MODULE.tail_prop(MODULE.Reading(d_squared=False)).margin_hp(
        {"a": 1, "b": 1, "d": 40, "k": Fraction(3), "s": Fraction(1)}, 40)
    assert excess > 0
