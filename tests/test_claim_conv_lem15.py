"""CONV-Lem15 (App. D.5): verdicts, counterexample replay, closed form and derivations."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from theorems.convergence import lem15
from theorems.convergence.lem15 import CLAIM, PRINTED, prop
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
    for line in lem15.STATEMENT.splitlines():
        assert "".join(line.split()) in text


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(runs, name):
    assert runs[name]["verdict"] == CLAIM.variant(name).expected.value


def test_printed_statement_is_certified_on_the_trials(runs):
    checks = {c["name"]: c["verdict"] for c in runs["as-printed"]["checks"]}
    assert checks["trials"] == "certified"
    assert all(v == "certified" for c, v in checks.items() if c not in
               ("trials", "search", "monte-carlo"))
    assert checks["monte-carlo"] == "supported"


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants if v.is_mutant])
def test_mutant_counterexamples_replay(runs, name):
    entry = runs[name]
    assert entry["verdict"] == Verdict.REFUTED.value and entry["counterexample"]
    for result in (c for c in entry["checks"] if c["counterexample"]):
        saved = Counterexample.from_json(json.loads(json.dumps(result["counterexample"])))
        check = CLAIM.variant(name).check(result["name"])
        hp = evaluate_hp(check.replay, saved.instance(), saved.tolerance, 50)
        assert hp is not None and hp.violated


def test_event_derivation():
    outcome = lem15.derive_event()
    assert outcome.holds is True and "FAILED" not in outcome.details


def test_closed_form_matches_direct_sampling():
    rng = np.random.default_rng(5)
    d, a, phi = 30, 40.0, 2.5
    x = rng.standard_normal((200_000, d))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    V = phi / np.sqrt(a * d) * x
    Phi = np.zeros(d)
    Phi[0] = phi
    empirical = np.mean(np.linalg.norm(V - Phi, axis=1) <= phi - phi / (a * d))
    u = np.sqrt(lem15.threshold_sq(a, d))
    assert abs(empirical - (0.5 - lem15.probability.sphere_coordinate_band(d, u))) < 5e-3


def test_margin_sqrt_mutant_has_probability_zero():
    excess, _ = prop(lem15.Reading(margin_sqrt=True)).margin_hp({"d": 20, "a": Fraction(100)}, 40)
    assert excess > 0
    assert PRINTED == lem15.Reading()
