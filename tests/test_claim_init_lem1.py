"""INIT-Lem1 (seed 004, §2.2, Lemma 1): check details, derivation helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from theorems.initialization import lem1
from verify import linalg_exact as lx
from verify.claims import registry
from verify.testing import assert_expected_verdict
from verify.verdicts import Verdict

CLAIM = registry().get("INIT-Lem1")
F = Fraction


def test_claim_is_the_modules_registered_claim() -> None:
    assert CLAIM is lem1.CLAIM and CLAIM.statement == lem1.STATEMENT
    assert not CLAIM.asymptotic


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    """The run entries the tests below inspect (each also checked by test_claim_verdicts)."""
    return {name: assert_expected_verdict(CLAIM, name) for name in ("as-printed",)}


def test_printed_lemma_is_certified_exactly(results: dict) -> None:
    checks = {c["name"]: c["verdict"] for c in results["as-printed"]["checks"]}
    assert checks == {"derivation": "certified", "exact-solutions": "certified",
                      "search": "supported"}
    assert CLAIM.variant("as-printed").expected is Verdict.SUPPORTED


def test_theta_star_from_the_definition() -> None:
    A = lx.matrix([[F(1), F(2), F(0)], [F(0), F(1), F(1)]])
    b = lx.column([F(3), F(-1)])
    x_p = lem1.particular_solution(A, b)
    assert A * x_p == b
    theta = lem1.theta_star_exact(A, b)
    assert A * theta == b
    assert theta == lem1.printed_theta_star(A, b)
    assert theta == lx.min_norm_least_squares(A, b)
    # any other solution is longer
    other = theta + lx.null_space_projector(A) * lx.column([F(1), F(0), F(0)])
    assert A * other == b and lx.squared_norm(other) > lx.squared_norm(theta)
    assert lem1.particular_solution(lx.matrix([[F(1)], [F(2)]]), lx.column([F(1), F(0)])) is None


def test_exact_margin_on_degenerate_cases() -> None:
    printed = lem1.lemma_margin_hp("theta*", True, True)
    wide = lem1.lemma_margin_hp("theta*", True, False)
    deficient = {"A": np.array([[F(1), F(1), F(0)], [F(2), F(2), F(0)]], dtype=object),
                 "v": np.array([F(1), F(3)], dtype=object),
                 "z": np.array([F(0), F(0), F(1)], dtype=object)}
    assert printed(deficient, 40) is None  # rank 1 < n: outside the standing assumptions
    excess, _ = wide(deficient, 40)
    assert excess == 0  # the lemma, with theta* the argmin, still holds
    zero_b = {"A": np.array([[F(1), F(2)]], dtype=object), "v": np.array([F(0)], dtype=object),
              "z": np.array([F(1), F(1)], dtype=object)}
    assert printed(zero_b, 40) is None and wide(zero_b, 40)[0] == 0
    square = {"A": np.array([[F(1), F(2)], [F(3), F(4)]], dtype=object),
              "v": np.array([F(1), F(-1)], dtype=object), "z": np.zeros(2, dtype=object)}
    assert printed(square, 40) is None and wide(square, 40)[0] == 0


def test_symbolic_helpers() -> None:
    A, b, y = lem1.range_solution(1, 2)
    assert (A * y - b).applyfunc(lambda e: e.simplify()).is_zero_matrix
    assert lem1.symbolic_lemma("theta*").holds
    wrong = lem1.symbolic_lemma("A^T b")
    assert wrong.holds is False and wrong.counterexample is not None


def test_float_margin_and_domain() -> None:
    rng = np.random.default_rng(0)
    domain = lem1.lemma_domain(True)
    batch = domain.sample(rng, 64, {"n": 2, "d": 3, "r": 2})
    ok = domain.admissible(batch)
    excess, scale = lem1.lemma_margin("theta*", True)(batch)
    assert ok.all() and np.max(excess / scale) < 1e-12
    excess, scale = lem1.lemma_margin("theta*", False)(batch)
    assert np.median(excess / scale) > 1e-3
    capped = lem1.cap_rank(batch["A"], 1)
    assert (lem1.numerical_rank(capped) == 1).all()
    assert (lem1.numerical_rank(lem1.cap_rank(batch["A"], 0)) == 0).all()
