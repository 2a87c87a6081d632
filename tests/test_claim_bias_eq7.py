"""BIAS-Eq7 (gradient-flow field and residual vector (7), §3): check details, derivations.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from theorems.implicit_bias import eq7
from theorems.implicit_bias.eq7 import CLAIM
from verify.core import flow
from verify.core import tensor_networks as tn
from verify.testing import assert_expected_verdict


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    """The run entries the tests below inspect (each also checked by test_claim_verdicts)."""
    return {name: assert_expected_verdict(CLAIM, name) for name in ("as-printed",)}


def test_printed_field_is_certified_for_regression(runs):
    checks = {c["name"]: c["verdict"] for c in runs["as-printed"]["checks"]}
    assert checks["sympy-gradient"] == checks["regression-exact"] == "certified"


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
