"""INIT-Exp5: deep orthogonal (Stiefel) linear networks on the 2x3 system (§5, Figs 5.1-5.3)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from theorems.initialization import exp5
from verify.budget import BUDGETS
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant
from verify.verdicts import Verdict

CLAIM = exp5.CLAIM


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    return {v.name: run_variant(CLAIM, v, BUDGETS["quick"], seed=0) for v in CLAIM.variants}


def test_verdicts_match_expected(results: dict[str, dict]) -> None:
    for variant in CLAIM.variants:
        assert results[variant.name]["verdict"] == variant.expected.value, variant.name


def test_mutants_refuted_and_replay(results: dict[str, dict]) -> None:
    for variant in CLAIM.variants:
        if not variant.is_mutant:
            continue
        cex = results[variant.name]["counterexample"]
        assert cex is not None, variant.name
        parsed = Counterexample.from_json(cex)
        check = variant.check(parsed.check)
        hp = evaluate_hp(check.replay, parsed.instance(), parsed.tolerance, 50)
        assert hp is not None and hp.violated, variant.name


def test_printed_frequency_counterexample_replays(results: dict[str, dict]) -> None:
    cex = results["as-printed"]["counterexample"]
    parsed = Counterexample.from_json(cex)
    check = CLAIM.variant("as-printed").check(parsed.check)
    assert evaluate_hp(check.replay, parsed.instance(), parsed.tolerance, 50).violated


def test_figure_attached(results: dict[str, dict]) -> None:
    runs = next(c for c in results["as-printed"]["checks"] if c["name"] == "runs")
    assert runs["figures"] and runs["figures"][0]["svg"].lstrip().startswith("<?xml")


def test_derivation() -> None:
    assert all(exp5.derivation().values())


def test_theta_star_and_null_vector() -> None:
    theta = exp5.theta_star_exact()
    assert [theta[i, 0] for i in range(3)] == [exp5.flint.fmpq(83, 66), exp5.flint.fmpq(2, 66),
                                               exp5.flint.fmpq(-13, 66)]
    assert np.allclose(exp5.A @ exp5.NULL, 0) and np.allclose(exp5.THETA, [83 / 66, 2 / 66,
                                                                           -13 / 66])


def test_law_frequency() -> None:
    base = exp5.law_frequency(0)
    assert math.isclose(base, math.erf(0.01 * math.sqrt(exp5.THETA @ exp5.THETA) / math.sqrt(2)))
    assert abs(exp5.law_frequency(1) / base - 1) < 1e-3
    assert exp5.law_frequency(1) < exp5.law_frequency(2) < exp5.law_frequency(3)
    rng = np.random.default_rng(0)
    y0 = rng.standard_normal((200_000, 3))
    c0, n0 = y0 @ exp5.NULL, np.sum(y0**2, axis=1)
    t2 = exp5.THETA @ exp5.THETA
    for h in (1, 3):
        eps = 0.01 * math.sqrt(t2)
        hit = np.log(np.abs(c0)) + h / 4 * n0 <= math.log(eps) + h / 4 * (t2 + eps**2)
        assert abs(hit.mean() - exp5.law_frequency(h)) < 0.002


def test_law_limit_matches_rgd() -> None:
    inst = exp5.mutant_instance("never-helps")
    batch = {k: (np.array([[float(v) for v in np.ravel(val)]]).reshape((1, *np.shape(val)))
                 if k != "h" else val) for k, val in inst.items()}
    y0 = batch["y0"][0]
    for h in (1, 2):
        predicted = exp5.law_limit(float(exp5.NULL @ y0), float(y0 @ y0), h)
        coarse = exp5.run(batch, h)["y"][0] @ exp5.NULL
        fine = exp5.run(batch, h, step_scale=0.125, steps=8 * exp5.STEPS)["y"][0] @ exp5.NULL
        assert abs(fine - predicted) < 0.2 * abs(coarse - predicted)
        assert abs(fine - predicted) < 0.05 * abs(predicted)


def test_verdict_of_printed_frequency() -> None:
    hits, runs = exp5.ensemble_counts(1)
    assert runs == exp5.MC_RUNS and hits < 0.05 * runs
    assert CLAIM.variant("as-printed").expected is Verdict.REFUTED
