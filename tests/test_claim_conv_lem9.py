"""CONV-Lem9 (Laurent-Massart chi-square tails, App. D.3): verdicts, replay, closed forms."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from theorems.convergence import lem9
from theorems.convergence.lem9 import CLAIM, PRINTED, Reading, mc_prop, tail_prop
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
    for line in lem9.STATEMENT.splitlines():
        assert "".join(line.split()) in text


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(runs, name):
    assert runs[name]["verdict"] == CLAIM.variant(name).expected.value


def test_printed_tails_are_certified_in_ball_arithmetic(runs):
    checks = {c["name"]: c["verdict"] for c in runs["as-printed"]["checks"]}
    assert checks["chernoff"] == checks["upper-tail"] == checks["lower-tail"] == "certified"


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants if v.is_mutant])
def test_mutant_counterexamples_replay(runs, name):
    entry = runs[name]
    assert entry["verdict"] == Verdict.REFUTED.value and entry["counterexample"]
    for result in (c for c in entry["checks"] if c["counterexample"]):
        saved = Counterexample.from_json(json.loads(json.dumps(result["counterexample"])))
        check = CLAIM.variant(name).check(result["name"])
        hp = evaluate_hp(check.replay, saved.instance(), saved.tolerance, 50)
        assert hp is not None and hp.violated


def test_chernoff_derivation():
    outcome = lem9.derive_chernoff()
    assert outcome.holds is True and "FAILED" not in outcome.details


@pytest.mark.parametrize("upper", [True, False])
def test_ball_margin_matches_scipy(upper):
    prop = tail_prop(upper)
    for d, k in [(1, Fraction(1, 3)), (7, Fraction(5, 2)), (40, Fraction(9))]:
        excess, scale = prop.margin_hp({"d": d, "k": k}, 40)
        x = lem9.upper_threshold(d, float(k)) if upper else lem9.lower_threshold(d, float(k))
        p = stats.chi2.sf(x, d) if upper else stats.chi2.cdf(max(x, 0.0), d) * (x > 0)
        assert abs(float(excess.mid()) - (p - np.exp(-float(k)))) < 1e-12
        assert excess < 0 and abs(float(scale.mid()) - np.exp(-float(k))) < 1e-15


def test_lower_threshold_below_zero_gives_probability_zero():
    excess, scale = tail_prop(False).margin_hp({"d": 4, "k": Fraction(1)}, 40)
    assert float(excess.mid()) == -float(scale.mid())


def test_known_mutant_counterexample():
    excess, _ = tail_prop(True, Reading(k_coeff=1)).margin_hp({"d": 1, "k": Fraction(30)}, 40)
    assert excess > 0
    excess, _ = tail_prop(False, Reading(sqrt_coeff=1)).margin_hp({"d": 20, "k": Fraction(5)}, 40)
    assert excess > 0
    assert PRINTED == Reading()


def test_monte_carlo_agrees_with_closed_form():
    batch = {"d": 5, "k": np.array([0.5, 2.0])}
    excess, _ = mc_prop(True).margin(batch)
    assert np.all(excess < 0)
