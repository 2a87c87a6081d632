"""INIT-Thm4 (seed 004, §2.2, Theorem 4): check details, derivation helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from theorems.initialization import thm4
from verify import linalg_exact as lx
from verify.core.networks import SquaredLoss, gd_step
from verify.testing import assert_expected_verdict
from verify.verdicts import Verdict

CLAIM = thm4.CLAIM


def test_claim_statement_and_paragraph(seeds: Path) -> None:
    assert CLAIM.statement == thm4.STATEMENT
    assert thm4.PARAGRAPH in (seeds / "004_bae8d3aeafe845f9.txt").read_text()


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    """The run entries the tests below inspect (each also checked by test_claim_verdicts)."""
    return {name: assert_expected_verdict(CLAIM, name) for name in ("as-printed", "corrected")}


def _paper_counterexample() -> dict:
    """A = diag(1, 0), b = (1, 0), y0 = (0, 1), alpha = 1 (n = d = 2, rank 1)."""
    F = Fraction
    return {"n": 2, "d": 2, "r": 1, "A": np.array([[F(1), F(0)], [F(0), F(0)]], dtype=object),
            "b": np.array([F(1), F(0)], dtype=object), "y0": np.array([F(0), F(1)], dtype=object),
            "step": F(1), "alpha": F(1)}


# --------------------------------------------------------------------------- check details


def test_printed_statement_is_refuted_and_corrected_supported(results):
    assert CLAIM.variant("as-printed").expected is Verdict.REFUTED
    assert CLAIM.variant("corrected").expected is Verdict.SUPPORTED
    assert CLAIM.asymptotic
    corrected = {c["name"]: c["verdict"] for c in results["corrected"]["checks"]}
    assert corrected["derivation"] == "certified"
    assert corrected["proof-identities"] == "certified"
    assert corrected["controlling-y0"] == "certified"
    printed = {c["name"]: c["verdict"] for c in results["as-printed"]["checks"]}
    assert printed["proof-identities"] == "certified"  # the frozen V2 block holds at any rank
    assert printed["controlling-y0"] == "refuted"


def test_has_at_least_three_mutants():
    assert len([v for v in CLAIM.variants if v.is_mutant]) >= 3


# --------------------------------------------------------------------------- the counterexample


def test_paper_counterexample_exactly():
    inst = _paper_counterexample()
    A, b, y = lx.matrix(inst["A"]), lx.column(inst["b"]), lx.column(inst["y0"])
    for _ in range(5):  # exact GD: y_k = (1, 1) for every k >= 1
        y = y - A.transpose() * (A * y - b)
        assert lx.to_fractions(y).ravel().tolist() == [1, 1]
    excess, scale = thm4.limit_margin_hp("V2", False, 2.0)(inst, 40)
    assert excess.contains(1) and excess.rad() == 0  # ||y_inf - formula|| = 1
    assert scale.contains(3)  # ||y0|| + ||formula|| + ||theta*||
    assert thm4.limit_margin_hp("V2", True, 2.0)(inst, 40) is None  # rank 1 < n: not corrected


def test_exact_margins_vanish_for_full_rank():
    F = Fraction
    inst = {"n": 1, "d": 2, "r": 1, "A": np.array([[F(1), F(2)]], dtype=object),
            "b": np.array([F(3)], dtype=object), "y0": np.array([F(1), F(-1)], dtype=object),
            "z": np.array([F(2), F(5)], dtype=object), "step": F(1), "alpha": F(1, 5)}
    for margin_hp in (thm4.limit_margin_hp("V2", True, 2.0), thm4._unrolled_hp(True, 2.0),
                      thm4._paragraph_hp(True, 2.0)):
        excess, _ = margin_hp(inst, 40)
        assert excess == 0 and excess.rad() == 0
    too_big = {**inst, "alpha": F(2, 5)}  # alpha ||A||^2 = 2: outside the hypothesis
    assert thm4.limit_margin_hp("V2", True, 2.0)(too_big, 40) is None


def test_divergence_certificate_for_step_bound_4():
    F = Fraction
    inst = {"n": 1, "d": 1, "r": 1, "A": np.array([[F(1)]], dtype=object),
            "b": np.array([F(1)], dtype=object), "y0": np.array([F(0)], dtype=object),
            "step": F(3), "alpha": F(3)}
    excess, _ = thm4.limit_margin_hp("V2", True, 4.0)(inst, 40)
    assert excess > 1  # steps 3, 6, 12, ...: delta_osc = 3/2
    assert thm4.limit_margin_hp("V2", True, 2.0)(inst, 40) is None


def test_core_gd_step_is_the_papers_iteration():
    rng = np.random.default_rng(1)
    A, b, y = rng.normal(size=(5, 2, 3)), rng.normal(size=(5, 2)), rng.normal(size=(5, 3))
    alpha = rng.uniform(0.1, 0.3, size=5)
    loss = SquaredLoss(np.swapaxes(A, 1, 2), b[:, None, :], convention="half_sum")
    step = gd_step([y[:, None, :]], loss, alpha)[0][:, 0, :]
    manual = y - alpha[:, None] * np.einsum("bji,bj->bi", A, np.einsum("bij,bj->bi", A, y) - b)
    np.testing.assert_allclose(step, manual, rtol=1e-12, atol=1e-12)


def test_float_margin_finds_rank_deficient_violation_and_passes_full_rank():
    rng = np.random.default_rng(3)
    margin = thm4.limit_margin("V2", thm4.TRIAL_STEPS)
    deficient = thm4.make_domain(False, 2.0).sample(rng, 32, {"n": 2, "d": 2, "r": 1})
    excess, scale = margin(deficient)
    assert np.nanmin(excess / scale) > 1e-3
    domain = thm4.make_domain(True, 2.0)
    for batch in thm4._sampler(domain, 2.0)(rng, 64):
        excess, scale = margin(batch)
        assert np.all(np.isfinite(excess))  # every sampled instance converges measurably
        assert np.max(excess / scale) < 1e-9


# --------------------------------------------------------------------------- symbolic helpers


def test_gradient_derivation_and_finite_differences():
    assert thm4.gradient_matches_printed(2, 3)
    assert thm4.gradient_matches_printed(1, 1)
    assert thm4.finite_difference_error(2, 3) < 1e-6


def test_gd_decouples_in_svd_coordinates():
    assert thm4.decoupled_step(2, 3)
    assert thm4.decoupled_step(1, 2)


def test_coordinate_recurrence_and_limit():
    k = sp.Symbol("k", integer=True, nonnegative=True)
    s, alpha = sp.symbols("s alpha", positive=True)
    z0, c = sp.symbols("z0 c", real=True)
    form = thm4.coordinate_closed_form(s, alpha, z0, c)
    assert sp.simplify(form.subs(k, k + 1) - (1 - alpha * s**2) * form - alpha * s * c) == 0
    assert sp.simplify(form.subs(k, 0) - z0) == 0
    assert sp.simplify(thm4.coordinate_limit(s, alpha, z0, c) - c / s) == 0
    assert thm4.coordinate_limit(sp.Integer(0), alpha, z0, 0) == z0
    assert thm4.unstable_step_ratios(2) == sp.S.EmptySet
    assert thm4.unstable_step_ratios(4) == sp.Interval.Ropen(2, 4)


def test_min_norm_solution_and_candidates():
    Sigma = sp.Matrix([[2, 0, 0], [0, 0, 0]])
    c = sp.Matrix([4, 0])
    assert thm4.min_norm_solution(Sigma, c) == sp.Matrix([2, 0, 0])
    y0 = sp.Matrix([1, 2, 3])
    assert thm4.candidate_symbolic("V2", Sigma, y0, c) == sp.Matrix([2, 0, 3])
    assert thm4.candidate_symbolic("V1", Sigma, y0, c) == sp.Matrix([3, 2, 0])
    assert thm4.candidate_symbolic("V2-only", Sigma, y0, c) == sp.Matrix([0, 0, 3])


def test_symbolic_derivation_outcomes():
    printed = thm4.symbolic_derivation("V2", False, 2.0)
    assert printed.holds is False
    assert printed.counterexample["d"] == printed.counterexample["n"] == 2
    assert thm4.symbolic_derivation("V2", True, 2.0).holds is True
    for which, bound in (("V2", 4.0), ("V1", 2.0), ("V2-only", 2.0)):
        outcome = thm4.symbolic_derivation(which, True, bound)
        assert outcome.holds is False and outcome.counterexample is not None


# --------------------------------------------------------------------------- exact helpers


def test_exact_linear_algebra_helpers():
    A = lx.matrix([[1, 2, 0], [-2, -4, 0]])  # rank 1
    assert lx.rank(A) == 1
    P_N = lx.null_space_projector(A)
    assert lx.rank(P_N) == 2 and A * P_N == lx.matrix(np.zeros((2, 3), dtype=int))
    b = lx.column([5, -10])
    assert lx.is_consistent(A, b) and not lx.is_consistent(A, lx.column([1, 1]))
    x = lx.min_norm_least_squares(A, b)
    expected = np.linalg.pinv(np.array([[1.0, 2, 0], [-2, -4, 0]])) @ np.array([5.0, -10])
    np.testing.assert_allclose(np.array(lx.to_fractions(x), dtype=float).ravel(), expected)
    assert lx.is_positive_definite(lx.matrix([[2, 1], [1, 2]]))
    assert not lx.is_positive_definite(lx.matrix([[1, 2], [2, 1]]))
