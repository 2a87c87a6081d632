"""BIAS-Eq7 (gradient-flow field and residual vector (7), §3): verdicts, counterexamples."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from theorems.implicit_bias import eq7
from theorems.implicit_bias.eq7 import CLAIM
from verify.budget import BUDGETS
from verify.core import flow
from verify.core import tensor_networks as tn
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "003_2b80ef1235f532de.txt"


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    return {v.name: run_variant(CLAIM, v, BUDGETS["quick"], seed=0) for v in CLAIM.variants}


def test_statement_is_quoted_from_the_paper():
    if not SEED.exists():
        pytest.skip("paper text not available")
    paper = "".join(SEED.read_text().split())
    for excerpt in eq7.EXCERPTS:
        assert "".join(excerpt.split()) in paper


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(runs, name):
    assert runs[name]["verdict"] == CLAIM.variant(name).expected.value


def test_printed_field_is_certified_for_regression(runs):
    checks = {c["name"]: c["verdict"] for c in runs["as-printed"]["checks"]}
    assert checks["sympy-gradient"] == checks["regression-exact"] == "certified"


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants if v.is_mutant])
def test_mutant_counterexamples_replay(runs, name):
    variant = CLAIM.variant(name)
    refuting = [c for c in runs[name]["checks"] if c["verdict"] == "refuted"]
    assert refuting
    for result in refuting:
        cex = Counterexample.from_json(result["counterexample"])
        check = variant.check(cex.check)
        assert evaluate_hp(check.replay, cex.instance(), cex.tolerance, 50).violated


def _instance(task: int) -> dict:
    return {"task": task, "arch": 1, "L": 3, "d": 3, "a": 2, "b": 1, "p": 6, "n": 2,
            "theta": np.array([Fraction(j + 1, 5) for j in range(6)], dtype=object),
            "X": np.array([[Fraction(1), Fraction(-1, 2), Fraction(2)],
                           [Fraction(0), Fraction(1, 3), Fraction(1)]], dtype=object),
            "y": np.array([Fraction(1), Fraction(-1)], dtype=object)}


@pytest.mark.parametrize("task", [0, 1])
def test_gradient_from_definitions_matches_finite_differences(task):
    inst = _instance(task)
    grad = [float(g) for g in eq7.gradient_from_definitions(inst, 30)]
    theta = np.asarray(inst["theta"], dtype=float)
    h = 1e-6
    fd = []
    for k in range(theta.size):
        e = np.eye(theta.size)[k] * h
        hi = eq7.loss_from_definitions({**inst, "X": inst["X"].astype(float),
                                        "y": inst["y"].astype(float)}, theta + e, np.exp)
        lo = eq7.loss_from_definitions({**inst, "X": inst["X"].astype(float),
                                        "y": inst["y"].astype(float)}, theta - e, np.exp)
        fd.append((hi - lo) / (2 * h))
    assert np.allclose(grad, fd, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("task", [0, 1])
def test_exact_margin_of_printed_field(task):
    excess, _ = eq7.prop("printed").margin_hp(_instance(task), 40)
    assert abs(excess) < 1e-30


def test_engine_flow_follows_printed_field():
    rng = np.random.default_rng(3)
    net = tn.fully_connected((2, 2, 2))
    params = net.init(rng, 2, 0.5)
    X = rng.standard_normal((2, 2, 2))
    y = rng.standard_normal((2, 2))
    loss = tn.regression_loss(X, y)
    field = eq7.printed_field(net, params, X, y, 0, "printed")
    dt = 1e-4
    run = flow.tensor_gradient_flow(net, params, loss, t_end=dt)
    for v0, v1, g in zip(params, run.weights, field, strict=True):
        assert np.allclose((v1 - v0) / dt, g, rtol=1e-3, atol=1e-6)
