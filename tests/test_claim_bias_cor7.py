"""BIAS-Cor7: verdicts at the quick budget, counterexample replay, derivation helpers."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from theorems.implicit_bias import cor7
from verify.budget import BUDGETS
from verify.claims import registry
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

CLAIM = registry().get("BIAS-Cor7")
SEED = Path("/work/shared/seeds/003_2b80ef1235f532de.txt")


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, Any]]:
    start = time.perf_counter()
    out = {v.name: run_variant(CLAIM, v, BUDGETS["quick"], seed=0) for v in CLAIM.variants}
    out["_elapsed"] = {"seconds": time.perf_counter() - start}
    return out


def test_statement_is_quoted_from_the_seed() -> None:
    if not SEED.exists():
        pytest.skip("the paper's text is not available here")
    text = SEED.read_text()
    for block in CLAIM.statement.split("\n\n"):
        assert block in text


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(results: dict, name: str) -> None:
    assert results[name]["verdict"] == CLAIM.variant(name).expected.value


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants if v.is_mutant])
def test_mutant_counterexample_replays(results: dict, name: str) -> None:
    cex = results[name]["counterexample"]
    assert cex is not None
    parsed = Counterexample.from_json(cex)
    check = CLAIM.variant(name).check(parsed.check)
    hp = evaluate_hp(check.replay, parsed.instance(), parsed.tolerance, 50)
    assert hp is not None and hp.violated


def test_quick_budget_time(results: dict) -> None:
    assert results["_elapsed"]["seconds"] < 30


def test_reduction_derivation() -> None:
    assert cor7.derive_reduction().holds


def test_unstructured_minimiser_is_the_reduced_one() -> None:
    rng = np.random.default_rng(5)
    b = cor7._draw(rng, 1, 3, 2, 3)
    A = cor7.sensors(b["U"], b["X"])[0]
    M = cor7.generic_minimizer(3, float(b["alpha"][0]), A, b["y"][0])
    R = cor7._reduced_float("q", 3, float(b["alpha"][0]), b["U"][0], b["X"][0], b["y"][0])
    assert np.linalg.norm(M - R) < 1e-6 * np.linalg.norm(R)
    assert np.allclose(np.einsum("nij,ij->n", A, M), b["y"][0])
