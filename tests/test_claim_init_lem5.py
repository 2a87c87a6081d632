"""INIT-Lem5 (seed 004, §3, Lemma 5 and the limit remark): verdicts, replay, helpers."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from theorems.initialization import lem5
from verify import linalg_exact as lx
from verify.budget import BUDGETS
from verify.core import one_hidden_layer as ohl
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant
from verify.verdicts import Verdict

CLAIM = lem5.CLAIM
F = Fraction


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    return {v.name: run_variant(CLAIM, v, BUDGETS["quick"], seed=0) for v in CLAIM.variants}


def _instance() -> dict:
    A = np.array([[F(1), F(2), F(0)], [F(0), F(1), F(-1)]], dtype=object)
    return {"n": 2, "d": 3, "A": A, "b": np.array([F(1), F(-2)], dtype=object),
            "x0": np.array([F(1), F(0), F(0)], dtype=object),
            "Z0": np.array([[F(1), F(0), F(-1)], [F(2), F(1), F(0)]], dtype=object),
            "step": F(1, 2), "alpha": F(1, 100)}


def test_variant_verdicts_match_expected(results):
    for variant in CLAIM.variants:
        assert results[variant.name]["verdict"] == variant.expected.value, variant.name
    printed = {c["name"]: c["verdict"] for c in results["as-printed"]["checks"]}
    assert printed["derivation"] == printed["invariant"] == printed["fixed-points"] == "certified"
    assert CLAIM.asymptotic


def test_every_mutant_is_refuted_and_replays(results):
    for variant in CLAIM.variants:
        if not variant.is_mutant:
            continue
        assert results[variant.name]["verdict"] == "refuted"
        for check in results[variant.name]["checks"]:
            if check["verdict"] != "refuted":
                continue
            saved = Counterexample.from_json(json.loads(json.dumps(check["counterexample"])))
            replay = variant.check(saved.check).replay
            hp = evaluate_hp(replay, saved.instance(), saved.tolerance, 50)
            assert hp is not None and hp.violated, (variant.name, check["name"])


def test_statement_is_quoted_verbatim():
    with open("/work/shared/seeds/004_bae8d3aeafe845f9.txt") as fh:
        paper = fh.read()
    assert lem5.STATEMENT in paper
    assert lem5.LIMIT_REMARK in paper


def test_gradient_derivation():
    assert lem5.gradients_match_printed(1, 2)
    assert lem5.gradients_match_printed(2, 3)
    assert lem5.finite_difference_error(2, 3) < 1e-7
    assert lem5.lemma_step_identity(2, 3)


def test_exact_core_step_matches_the_printed_iteration():
    inst = _instance()
    s = lem5.exact_setting(inst)
    A, b, alpha = s["A"], s["b"], s["alpha"]
    W0 = A.transpose() * lx.matrix(inst["Z0"])
    (W, x), (W1, x1) = lem5.exact_run(s, W0, s["x0"], steps=1)
    r = A * W * x - b
    assert x1 == x - W.transpose() * A.transpose() * r * alpha
    assert W1 == W - A.transpose() * r * x.transpose() * alpha
    assert lx.squared_norm(s["P_N"] * W1) == 0


def test_exact_margins():
    inst = _instance()
    excess, _ = lem5._defect_hp(False)(inst, 40)
    assert excess == 0 and excess.rad() == 0
    row_excess, _ = lem5._defect_hp(True)(inst, 40)
    assert row_excess > 0  # x0 is not in range(A^T): the rows leave the row space
    inside = {**inst, "x0": np.array([F(1), F(0), F(2)], dtype=object)}  # x0 = A^T (1, -2)
    rows_kept, _ = lem5._defect_hp(True)(inside, 40)
    assert rows_kept == 0  # then x_k stays in range(A^T) and so do the rows of W_k
    fixed, _ = lem5._stationary_hp(False)(inst, 40)
    assert fixed == 0 and fixed.rad() == 0
    zero, scale = lem5._stationary_hp(True)(inst, 40)
    assert zero > 0 and zero.contains(scale.mid())  # x = 0: ||A W x - b|| = ||b||


def test_float_core_step_matches_manual_update():
    rng = np.random.default_rng(1)
    A, b = rng.normal(size=(3, 2, 4)), rng.normal(size=(3, 2))
    W, x = rng.normal(size=(3, 4, 4)), rng.normal(size=(3, 4))
    alpha = np.full(3, 0.05)
    W1, x1 = ohl.step(W, x, ohl.regression_loss(A, b), alpha)
    r = ohl.residual(A, b, W, x)
    np.testing.assert_allclose(W1, W - 0.05 * np.einsum("bji,bj,bk->bik", A, r, x), atol=1e-14)
    np.testing.assert_allclose(x1, x - 0.05 * np.einsum("bji,bj->bi", A @ W, r), atol=1e-14)


def test_expected_verdicts_declared():
    assert CLAIM.variant("as-printed").expected is Verdict.SUPPORTED
