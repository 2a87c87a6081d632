"""INIT-Thm6 (seed 004, §3, Theorem 6 and the x_{k+1} = 0 discussion): check details,
derivation helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from theorems.initialization import lem5, thm6
from verify import linalg_exact as lx
from verify.testing import assert_expected_verdict

CLAIM = thm6.CLAIM
F = Fraction


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    """The run entries the tests below inspect (each also checked by test_claim_verdicts)."""
    return {name: assert_expected_verdict(CLAIM, name) for name in ("as-printed",)}


def test_printed_checks(results):
    printed = {c["name"]: c["verdict"] for c in results["as-printed"]["checks"]}
    assert printed["derivation"] == printed["invariant"] == "certified"
    assert printed["zero-crossing"] == "certified"


def _instance() -> dict:
    A = np.array([[F(1), F(2), F(0)], [F(0), F(1), F(-1)]], dtype=object)
    return {"n": 2, "d": 3, "A": A, "b": np.array([F(1), F(-2)], dtype=object),
            "x0": np.array([F(1), F(0), F(2)], dtype=object),
            "v0": np.array([F(1), F(1, 2)], dtype=object), "step": F(1, 2), "alpha": F(1, 50)}


def test_symbolic_identities():
    assert thm6.identity_from_loss(1, 2)
    assert all(thm6.free_r_identities(2, 3).values())
    assert thm6.zero_crossing_formulas(2, 3)


def test_eight_terms_pair_up_and_a_wrong_term_is_caught():
    lhs, rhs = thm6.eight_terms(1, 2)
    diffs = [thm6._zero(thm6._add(p, thm6._scal(-1, q))) for p, q in zip(lhs, rhs, strict=True)]
    assert all(diffs)
    assert not thm6._zero(thm6._add(lhs[4], thm6._scal(-1, rhs[5])))


def test_exact_invariant_and_u():
    inst = _instance()
    excess, _ = thm6.invariant_hp("printed")(inst, 40)
    assert excess == 0 and excess.rad() == 0
    for form in ("frozen", "unnormalised"):
        wrong, _ = thm6.invariant_hp(form)(inst, 40)
        assert wrong > 0


def test_zero_crossing_exactly():
    inst = _instance()
    s = thm6._zero_setting(inst)
    A, v, x = s["A"], s["v0"], s["x0"]
    run = lem5.exact_run(s, A.transpose() * v * x.transpose(), x, steps=2)
    assert lx.squared_norm(run[1][1]) == 0  # alpha chosen so that x_1 = 0
    assert lx.squared_norm(run[1][0]) > 0  # but W_1 != 0: the theorem fails at k = 1
    excess, _ = thm6.zero_hp(True)(inst, 40)
    assert excess == 0  # the printed x_2, W_2, v_2 and the form at k = 2
    mutant, _ = thm6.zero_hp(False)(inst, 40)
    assert mutant > 0


def test_rank_one_defect_float():
    rng = np.random.default_rng(0)
    A, v, x = rng.normal(size=(4, 2, 3)), rng.normal(size=(4, 2)), rng.normal(size=(4, 3))
    W = np.einsum("bji,bj,bk->bik", A, v, x)
    assert np.all(thm6.rank_one_defect(A, W, x) < 1e-13)
    assert np.all(thm6.rank_one_defect(A, W + rng.normal(size=W.shape), x) > 1e-3)


def test_float_invariant_stable_on_a_repelling_run():
    """A run that lingers near the saddle (x small): the set {W = A^T v x^T} repels rounding
    errors there (a plain 400-step float run drifts 2e-6 off it); re-building W_k from v_k
    at each step keeps the printed margin at rounding level, the mutants stay refuted."""
    domain = thm6.invariant_property("printed").domain
    raw = {"A": np.array([[[-0.864546, 0.27649, 0.33259, 0.993996],
                           [-0.170628, 0.441404, -0.573884, -0.58979]]]),
           "b": np.array([[0.344755, 0.677218]]),
           "x0": np.array([[0.509141, -0.408497, -0.631493, 0.497668]]),
           "v0": np.array([[0.999466, -0.760535]]), "step": np.array([1.340629774])}
    batch = domain.assemble(raw, {"n": 2, "d": 4})
    excess, scale = thm6.invariant_float("printed", lem5.FLOAT_STEPS)(batch)
    assert excess[0] < 1e-12 * scale[0]
    excess, scale = thm6.invariant_float("unnormalised", lem5.FLOAT_STEPS)(batch)
    assert excess[0] > 1e-3 * scale[0]
