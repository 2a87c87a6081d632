"""CONV-Lem11 (Carbery-Wright, App. D.5): verdicts, replay, the paper's instance."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from theorems.convergence import lem11 as MODULE
from theorems.convergence.lem11 import CLAIM
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


def test_small_cases_derivation():
    outcome = MODULE.derive_small_cases()
    assert outcome.holds is True and "FAILED" not in outcome.details


def test_normalised_instance_has_unit_variance():
    values = MODULE._sorted_abs((1, 3, 2, 1))
    assert abs(np.mean(values**2) - 1) < 0.05


def test_degree_one_ratio_matches_erf():
    from scipy.special import erf

    eps = np.array([1e-3, 0.1, 0.9])
    p = MODULE._count((1, 1), eps) / MODULE.MC_SAMPLES
    assert np.all(np.abs(p - erf(eps / np.sqrt(2))) < 0.01)


def test_linear_rate_mutant_by_hand():
    excess, _ = MODULE.linear_rate_prop().margin_hp({"C0": Fraction(50)}, 40)
    assert excess > 0
