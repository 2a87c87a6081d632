"""CONV-Claim1 (deficiency margin, §3.1 / App. D.1): check details, exact margin.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import flint
import numpy as np
import pytest

from theorems.convergence import claim1
from theorems.convergence.claim1 import CLAIM, PRINTED, Reading, prop
from verify.core import hp_linalg as hp
from verify.counterexample import evaluate_hp
from verify.domain import take, to_exact
from verify.testing import assert_expected_verdict

Q = Fraction


def exact(rows: list[list]) -> np.ndarray:
    return np.array([[Fraction(v) for v in row] for row in rows], dtype=object)


def instance(Phi, W, Wp, c) -> dict:
    Phi = exact(Phi)
    return {"m": Phi.shape[0], "n": Phi.shape[1], "Phi": Phi, "W": exact(W), "Wp": exact(Wp),
            "c": Fraction(c), "t_W": Fraction(0), "t_Wp": Fraction(1)}


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    """The run entries the tests below inspect (each also checked by test_claim_verdicts)."""
    return {name: assert_expected_verdict(CLAIM, name) for name in ("as-printed",)}


def test_printed_claim_is_certified_by_symbolic_and_trials(runs):
    checks = {c["name"]: c["verdict"] for c in runs["as-printed"]["checks"]}
    assert checks["chain"] == checks["trials"] == "certified"
    assert checks["search"] in ("certified", "supported")


def test_symbolic_derivation_of_the_proof_chain():
    outcome = claim1.derive_chain()
    assert outcome.holds is True and "FAILED" not in outcome.details


def test_exact_certificate_at_equality():
    """Non-square sharp instance: every inequality of the proof is an equality."""
    margin_hp = prop(PRINTED).margin_hp
    Phi = [[1, 0, 0], [0, Q(1, 2), 0]]
    W = [[1, 0, 0], [0, Q(1, 4), 0]]
    excess, _ = margin_hp(instance(Phi, W, W, Q(1, 4)), 50)
    assert excess == 0 and isinstance(excess, flint.fmpq)
    hp_eval = evaluate_hp(margin_hp, instance(Phi, W, W, Q(1, 4)), claim1.TOLERANCE, 50)
    assert hp_eval.excess.tier == "exact" and hp_eval.holds_rigorously


def test_ball_certificate_inside():
    margin_hp = prop(PRINTED).margin_hp
    Phi = [[1, Q(1, 3)], [0, Q(3, 4)]]
    W = [[1, Q(1, 3)], [Q(1, 10), Q(3, 4)]]
    hp_eval = evaluate_hp(margin_hp, instance(Phi, W, Phi, Q(1, 5)), claim1.TOLERANCE, 50)
    assert hp_eval.excess.tier == "ball" and hp_eval.holds_rigorously
    assert not hp_eval.violated


def test_margin_hp_is_none_outside_the_hypotheses():
    margin_hp = prop(PRINTED).margin_hp
    Phi = [[1, 0], [0, Q(1, 2)]]
    W = [[1, 0], [0, Q(1, 4)]]
    tiny = Q(1, 10**40)
    assert margin_hp(instance(Phi, W, W, 0), 50) is None
    assert margin_hp(instance(Phi, W, W, Q(1, 4) + tiny), 50) is None
    assert margin_hp(instance(Phi, W, [[1, 0], [0, Q(1, 4) - tiny]], Q(1, 4)), 50) is None
    rank_deficient = [[1, 2], [Q(1, 2), 1]]
    assert margin_hp(instance(rank_deficient, rank_deficient, rank_deficient, tiny), 50) is None
    assert margin_hp(instance(Phi, W, W, Q(1, 4)), 50) is not None


def test_spectral_reading_decides_margin_with_balls():
    margin_hp = prop(Reading(margin_norm="spectral")).margin_hp
    Phi = [[1, 0], [0, Q(1, 2)]]
    W = [[Q(5, 4), 0], [0, Q(1, 4)]]
    assert margin_hp(instance(Phi, W, Phi, Q(9, 32)), 50) is None
    excess, _ = margin_hp(instance(Phi, W, [[1, 0], [0, Q(3, 16)]], Q(7, 32)), 50)
    assert excess > 0


@pytest.mark.parametrize("reading", [PRINTED, Reading(center="W"),
                                     Reading(margin_norm="spectral")])
def test_sampled_instances_meet_the_hypotheses_exactly(reading):
    """Every float-admissible trial instance passes the exact hypotheses (so certification is
    not lost to rounding), and the repair is idempotent (the search maps instances back)."""
    p = prop(reading)
    rng = np.random.default_rng(1)
    for batch in claim1.sampler(reading)(rng, 96):
        ok = p.domain.admissible(batch)
        for i in np.flatnonzero(ok):
            assert p.margin_hp(to_exact(take(batch, i)), 40) is not None
        once = p.domain.repair(batch)
        twice = p.domain.repair(once)
        for key in ("W", "Wp", "c"):
            np.testing.assert_allclose(twice[key], once[key], rtol=0, atol=1e-12)


def test_hp_linalg_decisions():
    A = exact([[2, 0, 0], [0, 1, 0]])
    assert hp.sigma_min_equals(A, 1) and hp.sigma_min_at_least(A, 1)
    assert not hp.sigma_min_at_least(A, Q(1) + Q(1, 10**30))
    assert hp.sigma_max_at_most(A, 2) and not hp.sigma_max_at_most(A, Q(199, 100))
    assert hp.sigma_min_at_least_surd(A, Q(3, 4), Q(1, 16))
    assert not hp.sigma_min_at_least_surd(A, Q(3, 4), Q(1, 15))
    assert hp.rational_sqrt(Q(9, 4)) == flint.fmpq(3, 2) and hp.rational_sqrt(2) is None
    B = np.random.default_rng(0).uniform(-1, 1, (3, 4))
    expected = np.linalg.svd(B, compute_uv=False)
    assert abs(float(hp.sigma_min_ball(B, 30).mid()) - expected[-1]) < 1e-12
    assert abs(float(hp.sigma_max_ball(B, 30).mid()) - expected[0]) < 1e-12
    assert hp.sigma_min_ball(exact([[1, 2], [2, 4]]), 30) == 0
