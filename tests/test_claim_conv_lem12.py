"""CONV-Lem12 (App. D.5): verdicts, replay, the witness C1*(C2) and the moments."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from theorems.convergence import lem12 as MODULE
from theorems.convergence.lem12 import CLAIM
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


def test_moment_derivation():
    outcome = MODULE.derive_moments()
    assert outcome.holds is True and "FAILED" not in outcome.details


def test_witness_bound_has_slack_at_the_smallest_network():
    import flint

    with flint.ctx.workprec(200):
        C2 = flint.arb(9) / 10
        C1 = MODULE.witness(C2, MODULE.neg_quarter_moment_arb(1, False))
        bound = MODULE.failure_bound_arb(C1, (1, 1))
        assert bound < 1 - C2
        half = MODULE.failure_bound_arb(C1 / 2, (1, 1))
        assert abs(half - (1 - C2)) < flint.arb(10) ** -50


def test_witness_probability_by_sampling():
    inst = {"N": 3, "d0": 2, "d1": 1, "d2": 1, "d3": 1, "C2": np.array([0.5, 0.9])}
    excess, _ = MODULE.mc_prop().margin(inst)
    assert np.all(excess < 0)
    assert np.all(np.diff(MODULE._sorted_q((2, 1, 1, 1))) >= 0)


def test_mutant_fails_for_large_c1():
    excess, _ = MODULE.no_n_power_prop().margin_hp({"C1": Fraction(10**12),
                                                    "C2": Fraction(1, 2)}, 40)
    assert excess > 0
