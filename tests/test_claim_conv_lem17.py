"""CONV-Lem17 (App. D.6): check details, exact step and base-case failure.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import pytest

from theorems.convergence import lem17
from theorems.convergence.lem17 import CLAIM, CORRECTED, PRINTED, PRINTED_STEP
from verify.counterexample import evaluate_hp
from verify.testing import assert_expected_verdict


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    """The run entries the tests below inspect (each also checked by test_claim_verdicts)."""
    return {name: assert_expected_verdict(CLAIM, name) for name in ("as-printed", "corrected")}


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
