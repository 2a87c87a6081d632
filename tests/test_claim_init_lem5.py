"""INIT-Lem5 (seed 004, §3, Lemma 5 and the limit remark): check details, helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from theorems.initialization import lem5
from verify import linalg_exact as lx
from verify.core import one_hidden_layer as ohl
from verify.testing import assert_expected_verdict
from verify.verdicts import Verdict

CLAIM = lem5.CLAIM
F = Fraction


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    """The run entries the tests below inspect (each also checked by test_claim_verdicts)."""
    return {name: assert_expected_verdict(CLAIM, name) for name in ("as-printed",)}


def test_printed_checks(results):
    printed = {c["name"]: c["verdict"] for c in results["as-printed"]["checks"]}
    assert printed["derivation"] == printed["invariant"] == printed["fixed-points"] == "certified"
    assert CLAIM.asymptotic


def test_limit_remark_is_quoted_verbatim(seeds: Path) -> None:
    assert lem5.LIMIT_REMARK in (seeds / "004_bae8d3aeafe845f9.txt").read_text()


def _instance() -> dict:
    A = np.array([[F(1), F(2), F(0)], [F(0), F(1), F(-1)]], dtype=object)
    return {"n": 2, "d": 3, "A": A, "b": np.array([F(1), F(-2)], dtype=object),
            "x0": np.array([F(1), F(0), F(0)], dtype=object),
            "Z0": np.array([[F(1), F(0), F(-1)], [F(2), F(1), F(0)]], dtype=object),
            "step": F(1, 2), "alpha": F(1, 100)}


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
