"""INIT-Lem2 (seed 004, §2.2, Lemma 2): verdicts, counterexample replay, exact invariant."""

from __future__ import annotations

import time
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from theorems.initialization import lem2
from verify import linalg_exact as lx
from verify.budget import BUDGETS
from verify.claims import registry
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

CLAIM = registry().get("INIT-Lem2")
F = Fraction


def _obj(rows: list) -> np.ndarray:
    return np.array(rows, dtype=object)


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
        assert lem2.STATEMENT in fh.read()
    assert CLAIM is lem2.CLAIM


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(results: dict, name: str) -> None:
    assert results[name]["verdict"] == CLAIM.variant(name).expected.value
    assert results[name]["_seconds"] < 10


def test_invariant_is_certified_exactly(results: dict) -> None:
    checks = {c["name"]: c["verdict"] for c in results["as-printed"]["checks"]}
    assert checks["derivation"] == "certified" and checks["invariant"] == "certified"
    assert checks["search"] == "supported"


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants if v.is_mutant])
def test_mutant_is_refuted_and_its_counterexample_replays(results: dict, name: str) -> None:
    cex = results[name]["counterexample"]
    assert results[name]["verdict"] == "refuted" and cex is not None
    parsed = Counterexample.from_json(cex)
    replay = CLAIM.variant(name).check(parsed.check).replay
    hp = evaluate_hp(replay, parsed.instance(), parsed.tolerance, 50)
    assert hp is not None and hp.violated


def test_exact_run_is_the_papers_iteration() -> None:
    A, b = _obj([[F(1), F(2), F(0)], [F(0), F(1), F(-1)]]), _obj([F(1), F(2)])
    alpha = F(1, 7)
    y0 = lx.column([F(1), F(0), F(2)])
    ys = lem2.exact_run(A, b, y0, alpha, 4)
    Am, bm = lx.matrix(A), lx.column(b)
    y = y0
    for k in range(1, 5):
        y = y - Am.transpose() * (Am * y - bm) * lx.to_fmpq(alpha)
        assert ys[k] == y


@pytest.mark.parametrize("inst", [
    # rank-deficient A, inconsistent b, alpha ||A||^2 = 2 exactly (the bound)
    {"A": [[F(1), F(1)], [F(2), F(2)]], "b": [F(1), F(0)], "v": [F(1), F(1)],
     "alpha": F(1, 5)},
    # d = n, b = 0, alpha beyond the bound (GD diverges)
    {"A": [[F(1), F(0)], [F(0), F(2)]], "b": [F(0), F(0)], "v": [F(1), F(-1)],
     "alpha": F(3, 4)},
    # A = 0
    {"A": [[F(0), F(0), F(0)]], "b": [F(1)], "v": [F(5)], "alpha": F(1)},
])
def test_invariant_holds_exactly_in_degenerate_cases(inst: dict) -> None:
    inst = {"A": _obj(inst["A"]), "b": _obj(inst["b"]), "v": _obj(inst["v"]),
            "z": np.zeros(len(inst["A"][0]), dtype=object), "alpha": inst["alpha"]}
    assert lem2.exact_defects(inst, "range", steps=6) == 0
    assert lem2.defect_margin_hp("range", False)(inst, 40)[0] == 0
    assert lem2.defect_margin_hp("range", True)(inst, 40) is None  # not the standing case


def test_float_invariant_over_long_runs() -> None:
    rng = np.random.default_rng(2)
    domain = lem2.make_domain(False)
    for dims in ({"n": 2, "d": 2, "r": 1}, {"n": 3, "d": 4, "r": 2}, {"n": 1, "d": 3, "r": 1}):
        batch = domain.sample(rng, 32, dims)
        excess, scale = lem2.defect_margin("range")(batch)
        assert np.max(excess / scale) < 1e-12
        excess, scale = lem2.defect_margin("anywhere")(batch)
        assert np.median(excess / scale) > 1e-3


def test_proof_step_identity() -> None:
    assert lem2.proof_step_identity(2, 3) and lem2.symbolic_lemma().holds
