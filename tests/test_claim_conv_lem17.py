"""CONV-Lem17 (App. D.6): verdicts, counterexample replay, exact step and base-case failure."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from theorems.convergence import lem17
from theorems.convergence.lem17 import CLAIM, CORRECTED, PRINTED, PRINTED_STEP
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
    assert "".join(lem17.STATEMENT.split()) in "".join(SEED.read_text().split())


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(runs, name):
    assert runs[name]["verdict"] == CLAIM.variant(name).expected.value


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants
                                  if v.expected is Verdict.REFUTED])
def test_counterexamples_replay(runs, name):
    refuting = [c for c in runs[name]["checks"] if c["counterexample"]]
    assert refuting
    for result in refuting:
        saved = Counterexample.from_json(json.loads(json.dumps(result["counterexample"])))
        hp = evaluate_hp(CLAIM.variant(name).check(result["name"]).replay, saved.instance(),
                         saved.tolerance, 50)
        assert hp is not None and hp.violated


def test_induction_step_is_certified(runs):
    for name in ("as-printed", "corrected"):
        checks = {c["name"]: c["verdict"] for c in runs[name]["checks"]}
        assert checks["induction"] == checks["induction-step"] == "certified"
    checks = {c["name"]: c["verdict"] for c in runs["corrected"]["checks"]}
    assert checks["construction"] == "certified"


def test_symbolic_derivation():
    outcome = lem17.derive_induction()
    assert outcome.holds and "FAILED" not in outcome.details


def test_base_case_fails_near_c_one_and_corrected_a_repairs_it():
    """N = 2, eta = 1, c = 1 - 1e-6: eta m^3 < 20 M at t = 1 with the printed A."""
    instance = {"N": 2, "eta": Fraction(1), "gap": Fraction(1, 10**6)}
    printed = evaluate_hp(lem17.construction_prop(PRINTED).margin_hp, instance,
                          lem17.TOLERANCE, 50)
    corrected = evaluate_hp(lem17.construction_prop(CORRECTED).margin_hp, instance,
                            lem17.TOLERANCE, 50)
    assert printed.violated and corrected.holds_rigorously


def test_signs_stop_alternating_for_small_eta():
    """eta = 1/100, c = 1 - 1e-6, N = 2: W(2) has mixed signs (mpmath, 40 digits)."""
    import mpmath

    from verify.core.hp import mpmath_backend, precision
    xp = mpmath_backend(40)
    with precision(xp):
        eta, c = mpmath.mpf(1) / 100, 1 - mpmath.mpf(10) ** -6
        A = lem17.amplitude(2, eta, c, PRINTED, xp)
        ws = lem17.initial_weights(2, A, mpmath.sqrt(c), xp)
        second = [w[0, 0] for w in lem17.trajectory(ws, eta, 2, xp)[1]]
    assert second[0] > 0 > second[1]


def test_exact_step_at_the_boundary():
    """B = 2, r = 1 (eta B^3 = 20 C = 80), all |W_j| = C: the invariant holds exactly."""
    instance = {"N": 2, "negative": 1, "eta": Fraction(10), "B": Fraction(2), "r": Fraction(1),
                "u": [Fraction(1), Fraction(1)]}
    excess, _ = lem17.step_prop(PRINTED_STEP).margin_hp(instance, 40)
    assert excess < 0
