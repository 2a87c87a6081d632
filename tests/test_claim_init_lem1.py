"""INIT-Lem1 (seed 004, §2.2, Lemma 1): verdicts, counterexample replay, derivation helpers."""

from __future__ import annotations

import time
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from theorems.initialization import lem1
from verify import linalg_exact as lx
from verify.budget import BUDGETS
from verify.claims import registry
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant
from verify.verdicts import Verdict

CLAIM = registry().get("INIT-Lem1")
F = Fraction


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    out = {}
    for variant in CLAIM.variants:
        start = time.perf_counter()
        out[variant.name] = run_variant(CLAIM, variant, BUDGETS["quick"], seed=0)
        out[variant.name]["_seconds"] = time.perf_counter() - start
    return out


def test_statement_is_quoted_verbatim() -> None:
    with open("/work/shared/seeds/004_bae8d3aeafe845f9.txt") as fh:
        assert lem1.STATEMENT in fh.read()
    assert CLAIM is lem1.CLAIM and CLAIM.statement == lem1.STATEMENT
    assert not CLAIM.asymptotic


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(results: dict, name: str) -> None:
    assert results[name]["verdict"] == CLAIM.variant(name).expected.value
    assert results[name]["_seconds"] < 10


def test_printed_lemma_is_certified_exactly(results: dict) -> None:
    checks = {c["name"]: c["verdict"] for c in results["as-printed"]["checks"]}
    assert checks == {"derivation": "certified", "exact-solutions": "certified",
                      "search": "supported"}
    assert CLAIM.variant("as-printed").expected is Verdict.SUPPORTED


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants if v.is_mutant])
def test_mutant_is_refuted_and_its_counterexample_replays(results: dict, name: str) -> None:
    cex = results[name]["counterexample"]
    assert results[name]["verdict"] == "refuted" and cex is not None
    parsed = Counterexample.from_json(cex)
    replay = CLAIM.variant(name).check(parsed.check).replay
    hp = evaluate_hp(replay, parsed.instance(), parsed.tolerance, 50)
    assert hp is not None and hp.violated


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
