"""CONV-Lem14 (App. D.5): verdicts, counterexample replay, closed form and derivations."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from theorems.convergence import lem14
from theorems.convergence.lem14 import CLAIM, PRINTED, prop
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
    for line in lem14.STATEMENT.splitlines():
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


def test_derivations():
    for outcome in (lem14.derive_area_formula(), lem14.derive_proof_steps()):
        assert outcome.holds is True and "FAILED" not in outcome.details


def test_hemisphere_is_exact_equality():
    excess, scale = prop(PRINTED).margin_hp({"d": 20, "h": Fraction(1)}, 40)
    assert excess == 0 and scale == Fraction(1, 2)


def test_closed_form_matches_sampling_and_balls():
    rng = np.random.default_rng(3)
    g = rng.standard_normal((200_000, 25))
    t = g[:, 0] / np.linalg.norm(g, axis=1)
    for h in (0.3, 0.8, 0.95):
        assert abs(np.mean(t >= 1 - h) - float(lem14.cap_area(25, h))) < 5e-3
        excess, _ = prop(PRINTED).margin_hp({"d": 25, "h": Fraction(h)}, 40)
        float_excess, _ = prop(PRINTED).margin({"d": 25, "h": np.array([h])})
        assert abs(float(excess.mid()) - float_excess[0]) < 1e-12
