"""BIAS-Thm7: derivation helpers and measured flows.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py (the mutants' replay is also checked here)."""

from __future__ import annotations

import numpy as np
import sympy

from theorems.implicit_bias import thm7
from verify.budget import BUDGETS
from verify.claims import registry
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

CLAIM = registry().get("BIAS-Thm7")


def test_conservation_laws_and_gradients() -> None:
    assert thm7.derive_conservation(3) == []
    assert thm7.derive_conservation(4, gradients=False) == []
    assert thm7.finite_difference_gap(3, 3, 2) < 1e-6


def test_wrong_gradient_is_caught() -> None:
    Ws, w = thm7._symbols(2, 2)
    X = sympy.Matrix(1, 2, sympy.symbols("x0 x1"))
    r = sympy.Matrix([sympy.Symbol("r0")])
    (G1, g2) = thm7.printed_gradients(Ws, w, X, r)
    assert G1 == X.T * r * w.T and g2 == Ws[0].T * X.T * r


def test_repair_enforces_both_conditions() -> None:
    rng = np.random.default_rng(1)
    batch = thm7._draw(rng, thm7.DOMAIN, 5, 4, 3, 2)
    one, lam = thm7.condition_gaps(batch)
    assert np.all(one >= -1e-10) and np.all(lam >= thm7.LAMBDA)


def test_rate_runs_reach_zero_loss_within_the_rate() -> None:
    rng = np.random.default_rng(2)
    batch = thm7._draw(rng, thm7.DOMAIN, 3, 3, 2, 1)
    for run in thm7.rate_runs(batch):
        assert run["status"] == "loss"
        excess, scale = thm7._rate_excess(run)
        assert excess <= 1e-7 * scale
        assert run["defect"] < 1e-6


def test_limit_approaches_min_norm_solution() -> None:
    X, y = np.array([[[1.0, 2.0]]]), np.array([[1.0]])
    assert np.allclose(thm7.min_norm_solution(X, y), [[0.2, 0.4]])
    batch = {"L": 2, "X": X, "y": y, "V": np.array([[[1.0, 0.5], [-0.3, 0.8]]]),
             "w": np.array([[0.4, -0.2]])}
    (runs,) = thm7.limit_runs(batch, thm7.ALPHAS)
    dist = [np.linalg.norm(r["beta"] - [0.2, 0.4]) for r in runs]
    assert all(r["status"] == "loss" for r in runs)
    assert dist[0] > dist[1] > dist[2] and dist[2] < 0.02


def test_mutants_replay() -> None:
    for name in ("mutant:condition-2-dropped", "mutant:min-l2-at-fixed-alpha"):
        variant = next(v for v in CLAIM.variants if v.name == name)
        result = run_variant(CLAIM, variant, BUDGETS["quick"], seed=0)
        assert result["verdict"] == "refuted"
        (check,) = variant.checks
        cex = Counterexample.from_json(result["checks"][0]["counterexample"])
        assert evaluate_hp(check.replay, cex.instance(), cex.tolerance, 50).violated
